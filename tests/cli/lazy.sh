#!/bin/sh
# Commands read only the columns they use (src/table_lazy.c, ui/loaded.c):
# with other columns' chunks damaged behind hepscope's back, a command on
# one column works and counts what numpy counts; a command that needs a
# damaged column says which chunk of which column is damaged.
. "$HS_SRCDIR/tests/lib.sh"

skip() { _tap_result ok "$1 # SKIP $2"; }
PY=/usr/bin/python3
if ! "$PY" -c 'import numpy' 2>/dev/null; then
    skip "lazy columns" "no numpy"
    done_testing
    exit 0
fi
if command -v sqlite3 >/dev/null 2>&1; then
    sqlx() { sqlite3 "$1" "$2"; }
else
    sqlx() { "$PY" -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1], isolation_level=None).executescript(sys.argv[2])' "$1" "$2"; }
fi

# 150,000 events: three chunks per column.
"$PY" - "$T/ev.csv" <<'PY'
import sys
import numpy as np
r = np.random.default_rng(7)
n = 150000
x, y, w = r.normal(size=n), r.normal(size=n), r.normal(size=n)
z = r.uniform(-1, 1, n)
lab = (r.uniform(size=n) < 0.3).astype(int)
with open(sys.argv[1], "w") as f:
    f.write("x,y,z,w,label\n")
    for row in zip(x, y, z, w, lab):
        f.write("%r,%r,%r,%r,%d\n" % tuple(row))
PY
exits 0 "import 150,000 events" hs --session "$S" import "$T/ev.csv" --name ev --label label

# Counts per class of EXPR (a numpy expression of the columns) over
# [-2, 2) in 10 bins, for the events where WHERE is true: "bkg sig" per bin.
counts() {
    "$PY" - "$T/ev.csv" "$1" "$2" <<'PY'
import sys
import numpy as np
d = np.genfromtxt(sys.argv[1], delimiter=",", names=True)
x, y, z, w, label = d["x"], d["y"], d["z"], d["w"], d["label"]
v, keep = eval(sys.argv[2]), eval(sys.argv[3])
edges = np.linspace(-2, 2, 11)
for cls in (0, 1):
    globals()["h%d" % cls] = np.histogram(v[keep & (label == cls)], edges)[0]
for b, s in zip(h0, h1):
    print(b, s)
PY
}
# The same bins from hepscope's --csv (background, signal per bin).
hs_counts() {
    awk -F, 'NR > 1 { print $3, $5 }' "$1"
}

exits 0 "feature add yz = y + z" hs --session "$S" feature add yz 'y + z'

cols() { sqlx "$S" "SELECT idx FROM columns WHERE name = '$1'"; }
iy=$(cols y)
iw=$(cols w)
# y loses its second chunk, w's first is cut short; x and z are whole.
sqlx "$S" "DELETE FROM chunks WHERE col = $iy AND chunk = 1;
           UPDATE chunks SET data = substr(data, 1, 1000) WHERE col = $iw AND chunk = 0;"

exits 0 "plot hist x with y and w damaged" \
    hs --session "$S" plot hist x --bins 10 --range -2:2 --csv "$T/x.csv"
is "$(hs_counts "$T/x.csv")" "$(counts x 'np.ones_like(x, bool)')" \
    "its counts per class are numpy's"
exits 0 "plot hist x --where 'z > 0' (z read before x)" \
    hs --session "$S" plot hist x --bins 10 --range -2:2 --csv "$T/xz.csv" --where 'z > 0'
is "$(hs_counts "$T/xz.csv")" "$(counts x 'z > 0')" "the selection's counts are numpy's"
exits 0 "plot hist z --where 'x < 0.5 && z > -0.5'" \
    hs --session "$S" plot hist z --bins 10 --range -2:2 --csv "$T/zx.csv" --where 'x < 0.5 && z > -0.5'
is "$(hs_counts "$T/zx.csv")" "$(counts z '(x < 0.5) & (z > -0.5)')" \
    "a selection on the plotted column itself: numpy's counts"
exits 0 "a PNG of x" hs --session "$S" plot hist x -o "$T/x.png"
ok "the PNG was written" test -s "$T/x.png"

# fontconfig says when it loads its configuration (FC_DEBUG=1024): a
# figure in a file needs it, a command that draws no text with cairo must
# not pay for it.
FC_DEBUG=1024 hs --session "$S" plot hist x -o "$T/fc.png" >"$T/fc.out" 2>&1
if grep -q "config file" "$T/fc.out"; then
    FC_DEBUG=1024 hs --session "$S" plot hist x --width 60 --height 12 >"$T/fc.out" 2>&1
    is "$(grep -c "config file" "$T/fc.out")" 0 "a histogram in the terminal starts no fontconfig"
    FC_DEBUG=1024 hs --session "$S" datasets >"$T/fc.out" 2>&1
    is "$(grep -c "config file" "$T/fc.out")" 0 "nor does datasets"
else
    skip "fontconfig stays off the text path" "this fontconfig does not report FC_DEBUG=1024"
    skip "fontconfig stays off datasets" "likewise"
fi

exits 0 "feature add xz = x * z" hs --session "$S" feature add xz 'x * z'
exits 0 "plot hist xz reads x and z only" \
    hs --session "$S" plot hist xz --bins 10 --range -2:2 --csv "$T/xz2.csv"
is "$(hs_counts "$T/xz2.csv")" "$(counts 'x * z' 'np.ones_like(x, bool)')" \
    "the derived feature's counts are numpy's"

damaged="the session file is damaged \\(dataset 'ev'"
exits 3 "plot hist y: damaged" hs --session "$S" plot hist y
like "$(cat "$T/.err")" "$damaged: chunk 1 of column $iy is missing" "names y's missing chunk"
exits 3 "plot hist w: damaged" hs --session "$S" plot hist w
like "$(cat "$T/.err")" "$damaged: chunk 0 of column $iw has 1000 bytes, not 524288" \
    "names w's short chunk"
exits 3 "plot hist yz reads y: damaged" hs --session "$S" plot hist yz
like "$(cat "$T/.err")" "$damaged: chunk 1 of column $iy is missing" "through the derived feature"
exits 3 "export reads every column: damaged" hs --session "$S" export ev -o "$T/out.csv"
like "$(cat "$T/.err")" "$damaged" "export says so"
exits 3 "features reads every feature: damaged" hs --session "$S" features
exits 3 "--where on y: damaged" hs --session "$S" plot hist x --where 'y > 0'
like "$(cat "$T/.err")" "chunk 1 of column $iy is missing" "the selection's column is named"

done_testing

#!/bin/bash
# plot scatter's colours (ui/scatter.c), checked against what python
# computes from the exported events and the SVG's marks:
#  - --color group: the 11 most frequent HNL masses (ties by the smaller
#    mass) each in a colour of its own, none the signal's, background's
#    or "other"'s, the rest as "other values";
#  - a continuous column: bands of about equal counts of the DRAWN events
#    (--where), ties never split (a value that fills a band is a band of
#    its own), coloured by viridis at 0, 1/4, ... 1 (matplotlib's);
#  - a column with few distinct drawn values: categories.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
"$PY" -c "import matplotlib" 2>/dev/null || skip_all "no matplotlib"

exits 0 "a small demo" hs --session "$S" demo --n-signal 300 --n-background 2700 --seed 2
exits 0 "a projection" hs --session "$S" project pca pc --features doca,ip,m_mumu
exits 0 "export" hs --session "$S" export -o "$T/e.csv" --features

# colours FILE.svg: "R,G,B count" per fill colour of its marks.
colours() {
    grep -o 'fill:rgb([^)]*)' "$1" | sort | uniq -c |
        awk '{ gsub(/fill:rgb\(|\)|%/, "", $2); split($2, c, ",")
               printf "%d,%d,%d %d\n", c[1] * 2.55 + 0.5, c[2] * 2.55 + 0.5, c[3] * 2.55 + 0.5, $1 }'
}

# ---- --color group ------------------------------------------------------------
exits 0 "--color group, SVG" hs --session "$S" plot scatter pc_1 pc_2 --color group -o "$T/g.svg"
colours "$T/g.svg" >"$T/g.col"
exits 0 "--color group, text" hs --session "$S" plot scatter pc_1 pc_2 --color group --width 200 --height 60
cp "$T/.out" "$T/g.txt"
check=$("$PY" - "$T/e.csv" "$T/g.col" "$T/g.txt" <<'PY'
import collections, csv, re, sys
rows = list(csv.DictReader(open(sys.argv[1])))
count = collections.Counter(float(r["HNL_mass"]) for r in rows)
top = sorted(count, key=lambda v: (-count[v], v))[:11]
other = sum(count[v] for v in count if v not in top)
bad = []
text = open(sys.argv[3]).read()
for v in top:
    name = "HNL_mass %g" % v
    if not re.search(re.escape(name) + r"(\s|$)", text):
        bad.append("no legend entry '%s'" % name)
if "HNL_mass: other values" not in text:
    bad.append("no 'other values'")
cols = {}
for line in open(sys.argv[2]):
    c, n = line.split()
    cols[tuple(int(x) for x in c.split(","))] = int(n)
roles = {(0, 114, 178), (230, 159, 0), (0, 0, 0), (255, 255, 255)}
# Each category's events plus its legend mark, in a colour no role has.
mine = sorted(n - 1 for c, n in cols.items() if c not in roles)
want = sorted(count[v] for v in top)
if mine != want:
    bad.append("category colours' counts %s, want %s" % (mine, want))
if cols.get((0, 0, 0), 0) < other + 1:
    bad.append("other values: %d black marks < %d" % (cols.get((0, 0, 0), 0), other + 1))
print(" ".join(bad) if bad else "ok")
PY
)
is "$check" ok "11 most frequent masses, each its own colour; the rest 'other'"

# ---- bands of the drawn events ------------------------------------------------
# Only the signal is drawn: its masses, not the background's zeros, make
# the bands.
W='HNL_mass > 0 || doca > 0.5'
exits 0 "--color HNL_mass --where, SVG" hs --session "$S" plot scatter pc_1 pc_2 --color HNL_mass --where "$W" -o "$T/b.svg"
colours "$T/b.svg" >"$T/b.col"
exits 0 "--color HNL_mass --where, text" hs --session "$S" plot scatter pc_1 pc_2 --color HNL_mass --where "$W" --width 200 --height 60
cp "$T/.out" "$T/b.txt"
check=$("$PY" - "$T/e.csv" "$T/b.col" "$T/b.txt" <<'PY'
import csv, sys
from matplotlib import cm
rows = [r for r in csv.DictReader(open(sys.argv[1]))
        if float(r["HNL_mass"]) > 0 or float(r["doca"]) > 0.5]
s = sorted(float(r["HNL_mass"]) for r in rows)
m, bands, i = len(s), [], 0
while i < m and len(bands) < 5:
    left = 5 - len(bands)
    j = m if left == 1 else min(m, i + -(-(m - i) // left))
    while j < m and s[j] == s[j - 1]:
        j += 1
    bands.append((s[i], s[j - 1], j - i))
    i = j
bad = []
text = open(sys.argv[3]).read()
for lo, hi, n in bands:
    name = "HNL_mass %.3g" % lo if lo == hi else "HNL_mass %.3g to %.3g" % (lo, hi)
    if name not in text:
        bad.append("no legend entry '%s'" % name)
cols = {}
for line in open(sys.argv[2]):
    c, n = line.split()
    cols[tuple(int(x) for x in c.split(","))] = int(n)
nb = len(bands)
for b, (lo, hi, n) in enumerate(bands):
    t = round(b * 4 / (nb - 1)) / 4 if nb > 1 else 0.5
    rgb = tuple(int(x * 255 + 0.5) for x in cm.viridis(t)[:3])
    near = [c for c in cols if max(abs(c[k] - rgb[k]) for k in range(3)) <= 2]
    if len(near) != 1 or cols[near[0]] != n + 1:
        bad.append("band %d (%g to %g, %d events): viridis(%g) %s has %s marks" %
                   (b, lo, hi, n, t, rgb, [cols[c] for c in near]))
if len(bands) < 2 or bands[0][0] != 0 or bands[0][1] != 0:
    bad.append("bands %s: want the zeros a band of their own" % bands)
print(" ".join(bad) if bad else "ok")
PY
)
is "$check" ok "quantile bands of the drawn events, ties merged, viridis low to high"

# ---- few distinct drawn values: categories ------------------------------------
exits 0 "--color HNL_mass where it takes 3 values" hs --session "$S" plot scatter pc_1 pc_2 --color HNL_mass --where 'HNL_mass < 1' --width 200 --height 60
out=$(cat "$T/.out")
want=$("$PY" -c "
import csv
v = sorted({float(r['HNL_mass']) for r in csv.DictReader(open('$T/e.csv')) if float(r['HNL_mass']) < 1})
print(' '.join('HNL_mass %g' % x for x in v))")
got=$(printf '%s\n' "$out" | grep -o 'HNL_mass [0-9][0-9.]*\( to [0-9.]*\)\?' | sort -t' ' -k2 -g | uniq | tr '\n' ' ' | sed 's/ $//')
is "$got" "$want" "each of the drawn values a category"

done_testing

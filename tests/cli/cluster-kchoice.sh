#!/bin/bash
# hepscope cluster kmeans over a range of K: the K chosen by the highest
# silhouette (not the largest K, which the always-falling inertia would
# pick) on four well-separated blobs of known K; --csv's k,inertia,
# silhouette rows against scikit-learn's silhouette_score and the
# inertia recomputed by numpy from the stored clusters; -o with a file
# type no figure is saved as refused before any fit (exit 1, nothing
# stored); a learned column refused by `feature add` with a clear reason.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
"$PY" -c "import sklearn" 2>/dev/null || skip_all "no sklearn"

# Four blobs in 2-D, 300 points each, far apart: K = 4 is the answer.
"$PY" - "$T/blobs.csv" <<'PY'
import sys
import numpy as np
r = np.random.default_rng(11)
centres = np.array([[0, 0], [10, 0], [0, 10], [10, 10]], float)
with open(sys.argv[1], "w") as f:
    f.write("a,b,blob,Truth\n")
    for k in range(4):
        for p in r.normal(centres[k], 0.8, size=(300, 2)):
            f.write("%.17g,%.17g,%d,%d\n" % (p[0], p[1], k, k == 0))
PY
exits 0 "import the blobs" hs --session "$S" import "$T/blobs.csv" --label Truth --id blob

exits 0 "kmeans over K 2..7" hs --session "$S" cluster kmeans km --features a,b --k 2..7
out=$(cat "$T/.out")
like "$out" "K = 4 \(the highest silhouette" "four blobs: K = 4, by the silhouette"
like "$out" "silhouette" "the table shows the silhouette"

exits 0 "kmeans --csv" hs --session "$S" cluster kmeans km --features a,b --k 2..7 --csv
is "$(head -1 "$T/.out")" "k,inertia,silhouette" "the k-means header"
is "$(tail -n +2 "$T/.out" | cut -d, -f1 | tr '\n' ' ')" "2 3 4 5 6 7 " "one row per K"
is "$(tail -n +2 "$T/.out" | awk -F, '$2 == "" || $3 == "" { e++ } END { print e + 0 }')" 0 \
    "no empty cells"
cp "$T/.out" "$T/k.csv"
exits 0 "export the chosen clusters" hs --session "$S" export -o "$T/e.csv" --features
check=$("$PY" - "$T/e.csv" "$T/k.csv" <<'PY'
import csv, sys
import numpy as np
from sklearn.metrics import silhouette_score
rows = list(csv.DictReader(open(sys.argv[1])))
x = np.array([[float(r["a"]), float(r["b"])] for r in rows])
z = (x - x.mean(0)) / x.std(0)
lab = np.array([int(float(r["km"])) for r in rows])
k = {int(r["k"]): r for r in csv.DictReader(open(sys.argv[2]))}
bad = []
# The stored clustering is K = 4: its inertia and silhouette (all 1200
# points are under the 5,000 of the subsample) recomputed here.
inertia = sum(((z[lab == c] - z[lab == c].mean(0)) ** 2).sum() for c in set(lab))
if len(set(lab)) != 4:
    bad.append("stored K %d" % len(set(lab)))
if abs(inertia - float(k[4]["inertia"])) > 1e-6 * inertia:
    bad.append("inertia %s vs %.9g" % (k[4]["inertia"], inertia))
s = silhouette_score(z, lab)
if abs(s - float(k[4]["silhouette"])) > 1e-9:
    bad.append("silhouette %s vs %.12f" % (k[4]["silhouette"], s))
if max(k, key=lambda j: float(k[j]["silhouette"])) != 4:
    bad.append("the best silhouette is not K 4's")
print(" ".join(bad) if bad else "ok")
PY
)
is "$check" "ok" "inertia and silhouette of the chosen K as numpy and scikit-learn compute them"

# ---- -o of a type no figure is saved as: refused before the fit --------------
before=$(hs --session "$S" sql --csv "select count(*) from outputs" | tail -1)
exits 1 "gmm -o x.jpg" hs --session "$S" cluster gmm g --features a,b --k 2..8 -o "$T/x.jpg"
like "$(cat "$T/.err")" "-o wants a file ending in .png, .svg or .pdf, not '.*x.jpg'" "says which types"
is "$(grep -c fitted "$T/.out")" 0 "no fit was made"
is "$(hs --session "$S" sql --csv "select count(*) from outputs" | tail -1)" "$before" "nothing stored"

# ---- --help: the command's --k and its default ---------------------------------
exits 0 "cluster --help" hs cluster --help
like "$(sed -n '/^options:/,/^$/p' "$T/.out")" "--k A..B .*\(default 2\.\.8\)" "--k's range and default 2..8 among the options"
is "$(grep -c -- '--k K' "$T/.out")" 0 "the methods' one-K --k is not listed beside the command's range"
exits 0 "--k as a range after the name" hs --session "$S" cluster kmeans k2 --features a,b --k 3..4 --csv
is "$(tail -n +2 "$T/.out" | cut -d, -f1 | tr '\n' ' ')" "3 4 " "the range is read"

# ---- a learned column in a derived feature ---------------------------------
exits 0 "a projection" hs --session "$S" project pca p --features a,b
exits 1 "feature add reading p_1" hs --session "$S" feature add r 'p_1 * 2'
like "$(cat "$T/.err")" "'p_1' is a learned column \(coordinate 1 of the pca projection 'p'\); derived features take only raw columns and other derived features" \
    "says what p_1 is, whose, and what a derived feature takes"
is "$(grep -c "a output's" "$T/.err")" 0 "no garbled kind"

done_testing

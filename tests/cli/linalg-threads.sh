#!/bin/bash
# Fisher's fit and the correlation matrix at several --threads: against
# numpy (weighted correlations, pair by pair where a value is missing)
# and scikit-learn's LinearDiscriminantAnalysis, computed here; a wide
# matrix (150 features, the Gram matrix cut into bands) and a tall one
# (30,000 events, cut into chunks of rows).
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c "import numpy, sklearn" 2>/dev/null || skip_all "no python3 with numpy and sklearn"

# gen N K FILE: K correlated columns c0.., a label, positive weights; a
# missing value (-999) in c3 and a constant last column.
gen() {
    "$PY" - "$1" "$2" "$3" <<'PY'
import sys
import numpy as np
n, k, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(5)
f = rng.normal(size=(3, n))
y = (rng.random(n) < 0.4).astype(int)
x = np.empty((k, n))
for j in range(k):
    x[j] = 50.0 * (j % 5) + (j % 3) * f[j % 3] + 0.5 * f[(j + 1) % 3] + rng.normal(size=n) + 0.7 * y * (j % 4)
x[k - 1] = 2.5
x[3, n // 3] = -999
w = 0.5 + rng.random(n)
with open(path, "w") as out:
    out.write(",".join(["c%d" % j for j in range(k)] + ["label", "w"]) + "\n")
    for i in range(n):
        out.write(",".join(["%.17g" % v for v in x[:, i]] + [str(y[i]), "%.17g" % w[i]]) + "\n")
PY
}

# check CSV CORR.csv: the matrix against numpy's, over the signal events
cat >"$T/corr.py" <<'PY'
import csv, sys
import numpy as np
d = np.genfromtxt(sys.argv[1], delimiter=",", names=True)
cols = [c for c in d.dtype.names if c.startswith("c")]
sig = d["label"] == 1
w = d["w"][sig]
got = list(csv.reader(open(sys.argv[2])))
assert got[0][1:] == cols, "the features in order"
worst = 0.0
for a, ca in enumerate(cols):
    for b, cb in enumerate(cols):
        x, y = d[ca][sig], d[cb][sig]
        keep = (x != -999) & (y != -999)
        x, y, ww = x[keep], y[keep], w[keep]
        if np.ptp(x) == 0 or np.ptp(y) == 0:
            ref = float("nan") if a != b else 1.0
        else:
            c = np.cov(np.vstack([x, y]), aweights=ww, bias=True)
            ref = c[0, 1] / np.sqrt(c[0, 0] * c[1, 1]) if a != b else 1.0
        cell = got[a + 1][b + 1]
        if np.isnan(ref):
            assert cell == "", (ca, cb, cell)
            continue
        worst = max(worst, abs(float(cell) - ref))
print(worst)
sys.exit(0 if worst < 1e-12 else 1)
PY

for shape in "600 150 wide" "30000 5 tall"; do
    read -r n k name <<<"$shape"
    gen "$n" "$k" "$T/$name.csv"
    exits 0 "import the $name data" hs --session "$S" import "$T/$name.csv" --label label --weight w --missing -999
    for t in 1 2 3; do
        exits 0 "corr --threads $t ($name)" hs --session "$S" --dataset "$name" --threads "$t" corr --class signal --csv
        cp "$T/.out" "$T/corr$t.csv"
        ok "$name, --threads $t: every r as numpy's ($("$PY" "$T/corr.py" "$T/$name.csv" "$T/corr$t.csv" 2>&1 | tail -1))" \
            "$PY" "$T/corr.py" "$T/$name.csv" "$T/corr$t.csv"
    done
done

# Fisher on the tall data, unweighted as scikit-learn's LDA is; its
# 'lsqr' solver pools the classes' covariances as Fisher does (its 'svd'
# solver divides by n - 2, not n).
exits 0 "the tall data without weights" hs --session "$S" import "$T/tall.csv" --name tallu --label label --missing -999
exits 0 "a split" hs --session "$S" --dataset tallu split --seed 4
cat >"$T/lda.py" <<'PY'
import csv, sys
import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
d = np.genfromtxt(sys.argv[1], delimiter=",", names=True)
x = np.vstack([d["c%d" % j] for j in range(4)]).T
sc = list(csv.DictReader(open(sys.argv[2])))
part = np.array([r["part"] for r in sc])
score = np.array([float(r["score"]) for r in sc])
x[x == -999] = np.mean(x[(part == "train") & (x[:, 3] != -999), 3])
tr = part == "train"
lda = LinearDiscriminantAnalysis(solver="lsqr").fit(x[tr], d["label"][tr])
worst = float(np.max(np.abs(lda.predict_proba(x)[:, 1] - score)))
print(worst)
sys.exit(0 if worst < 1e-8 else 1)
PY
for t in 1 2 3; do
    exits 0 "train fisher --threads $t" hs --session "$S" --dataset tallu --threads "$t" \
        train "f$t" --method fisher --features c0,c1,c2,c3
    exits 0 "score it" hs --session "$S" --dataset tallu score "f$t" -o "$T/s$t.csv"
    ok "--threads $t: every probability as scikit-learn's ($("$PY" "$T/lda.py" "$T/tall.csv" "$T/s$t.csv" 2>&1 | tail -1))" \
        "$PY" "$T/lda.py" "$T/tall.csv" "$T/s$t.csv"
done

done_testing

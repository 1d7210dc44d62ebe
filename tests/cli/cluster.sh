#!/bin/bash
# hepscope cluster: three well-separated blobs recovered (ARI above 0.99
# against the blob each point came from), the mixture's mean
# log-likelihood against scikit-learn's GaussianMixture on the same
# standardised points, BIC and AIC against their formulas, the cluster
# table against SQL, the probabilities, --csv, --projection, and failures
# that leave the session as it was.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
"$PY" -c "import sklearn" 2>/dev/null || skip_all "no sklearn"

# Three blobs in 3-D, 600 points each; blob 2 is the signal.
"$PY" - "$T/blobs.csv" <<'PY'
import sys
import numpy as np
r = np.random.default_rng(7)
centres = np.array([[0, 0, 0], [8, 0, 3], [0, 9, -4]], float)
with open(sys.argv[1], "w") as f:
    f.write("a,b,c,blob,Truth\n")
    for k in range(3):
        for p in r.normal(centres[k], [1.0, 0.7, 1.3], size=(600, 3)):
            f.write("%.17g,%.17g,%.17g,%d,%d\n" % (p[0], p[1], p[2], k, k == 2))
PY
exits 0 "import the blobs" hs --session "$S" import "$T/blobs.csv" --label Truth --id blob

exits 0 "cluster gmm over K 2..5" hs --session "$S" cluster gmm cl --features a,b,c --k 2..5 --probabilities
out=$(cat "$T/.out")
like "$out" "clustering 'cl' of 'blobs': gmm, 3 inputs, 1800 events fitted, K 2 to 5" "says the fit"
like "$out" "K = 3 \(the lowest BIC\)" "BIC chooses the three blobs"
like "$out" "stored clustering 'cl': column cl and its probabilities" "says what it stored"

exits 0 "export the clusters" hs --session "$S" export blobs -o "$T/e.csv" --features
ari=$("$PY" -c "
import csv
from sklearn.metrics import adjusted_rand_score
d = list(csv.DictReader(open('$T/e.csv')))
print('%.6f' % adjusted_rand_score([r['blob'] for r in d], [r['cl'] for r in d]))")
ok "the blobs are recovered (ARI $ari > 0.99)" awk -v a="$ari" 'BEGIN { exit !(a > 0.99) }'
said=$(printf '%s\n' "$out" | sed -n 's/.*adjusted Rand index \([0-9.-]*\) against the label.*/\1/p')
want=$("$PY" -c "
import csv
from sklearn.metrics import adjusted_rand_score
d = list(csv.DictReader(open('$T/e.csv')))
print('%.4f' % adjusted_rand_score([r['Truth'] for r in d], [r['cl'] for r in d]))")
is "$said" "$want" "the ARI against the label is scikit-learn's"
like "$out" "silhouette 0\.[0-9]{4} \(on at most 5000 events\)" "a silhouette"

# The cluster table: sizes and signal counts as SQL counts them.
sqlt=$(hs --session "$S" sql --csv "select cl, count(*), sum(_label = 1) from events('blobs') group by cl order by cl" | tail -n +2 | tr '\n' ' ')
tab=$(printf '%s\n' "$out" | awk '/^cluster +events/ { on = 1; next } on && NF == 6 { printf "%s,%s,%s ", $1, $2, $3 }')
is "$tab" "$sqlt" "the cluster table agrees with sql"
is "$(hs --session "$S" sql --csv "select max(abs(cl_p1 + cl_p2 + cl_p3 - 1)) < 1e-12, count(cl_p3) from events('blobs')" | tail -1)" \
    "1,1800" "the probabilities of the chosen K sum to 1"
is "$(hs --session "$S" sql --csv "select group_concat(name, ' ') from output_columns where output = 'cl'" | tail -1)" \
    "cl cl_p1 cl_p2 cl_p3" "a probability per cluster of the chosen K"

# --csv: the header, the mean log-likelihood against scikit-learn, BIC and
# AIC against their formulas.
exits 0 "cluster --csv" hs --session "$S" cluster gmm cl --features a,b,c --k 2..4 --csv
is "$(head -1 "$T/.out")" "k,loglik_mean,bic,aic" "the CSV header"
cp "$T/.out" "$T/k.csv"
check=$("$PY" - "$T/blobs.csv" "$T/k.csv" <<'PY'
import csv, math, sys
import numpy as np
from sklearn.mixture import GaussianMixture
x = np.array([[float(r[c]) for c in "abc"] for r in csv.DictReader(open(sys.argv[1]))])
z = (x - x.mean(0)) / x.std(0)
n, d = z.shape
bad = []
for r in csv.DictReader(open(sys.argv[2])):
    k = int(r["k"]); ll = float(r["loglik_mean"])
    nfree = (k - 1) + k * d + k * d * (d + 1) // 2
    bic = -2 * ll * n + nfree * math.log(n)
    aic = -2 * ll * n + 2 * nfree
    if abs(bic - float(r["bic"])) > 1e-9 * abs(bic) or abs(aic - float(r["aic"])) > 1e-9 * abs(aic):
        bad.append("criteria k=%d" % k)
    g = GaussianMixture(k, covariance_type="full", tol=1e-3, reg_covar=1e-6, n_init=5,
                        init_params="k-means++", random_state=0).fit(z)
    if ll < g.score(z) - 1e-3:
        bad.append("k=%d loglik %.6f < sklearn %.6f" % (k, ll, g.score(z)))
print(" ".join(bad) if bad else "ok")
PY
)
is "$check" "ok" "log-likelihood no lower than scikit-learn's, BIC and AIC by their formulas"

# One K, k-means, a figure, a projection's coordinates as the inputs.
exits 0 "kmeans with one K" hs --session "$S" cluster kmeans km --features a,b,c --k 3 -o "$T/km.png"
like "$(cat "$T/.out")" "K = 3 \(as asked\)" "one K is the chosen one"
ok "the figure is written" test -s "$T/km.png"
exits 0 "a projection" hs --session "$S" project pca emb --features a,b,c
exits 0 "cluster its coordinates" hs --session "$S" cluster gmm pc --projection emb --k 3
like "$(cat "$T/.out")" "gmm, 2 inputs, 1800 events fitted" "the projection's two columns are the inputs"
is "$(hs --session "$S" sql --csv "select replace(features, ',', ' ') from outputs where name = 'pc'" | tail -1)" "emb_1 emb_2" \
    "stored with its inputs"

# Failures change nothing.
state() { hs --session "$S" sql --csv "select (select group_concat(name || ':' || ncolumns) from outputs), (select count(*) from journal)" | tail -1; }
before=$(state)
exits 1 "K 0" hs --session "$S" cluster gmm x --k 0
like "$(cat "$T/.err")" "--k wants a number of clusters or a range A..B" "says what --k takes"
exits 1 "K 5..2" hs --session "$S" cluster gmm x --k 5..2
exits 1 "k-means has no probabilities" hs --session "$S" cluster kmeans x --probabilities
exits 1 "both --features and --projection" hs --session "$S" cluster gmm x --features a --projection emb
exits 1 "an unknown projection" hs --session "$S" cluster gmm x --projection emm
like "$(cat "$T/.err")" "did you mean 'emb'" "a did-you-mean"
exits 1 "a clustering is no projection" hs --session "$S" cluster gmm x --projection cl
exits 1 "pca is no clustering" hs --session "$S" cluster pca x
like "$(cat "$T/.err")" "no method 'pca' here \(methods: kmeans, gmm\)" "names the clusterings"
exits 1 "a name taken by a projection's column" hs --session "$S" cluster gmm emb_1 --features a,b
exits 1 "gmm's option on project" hs --session "$S" project pca y --covariance diag
is "$(state)" "$before" "failures leave outputs and journal as they were"

# Per HNL mass, that mass's signal against all the background.
exits 0 "a small demo" hs --session "$S" demo --n-signal 630 --n-background 3000 --seed 5
exits 0 "cluster it" hs --session "$S" --dataset demo cluster kmeans dk --features doca,ip,m_mumu --k 3
like "$(cat "$T/.out")" "per HNL_mass, its signal against all the background:" "a table per mass"
said=$(awk '$1 == "2.5" { print $2 "," $4 }' "$T/.out")
exits 0 "export it" hs --session "$S" export demo -o "$T/dk.csv" --features
want=$("$PY" -c "
import csv
from sklearn.metrics import adjusted_rand_score
d = [r for r in csv.DictReader(open('$T/dk.csv')) if r['Truth'] == '0' or float(r['HNL_mass']) == 2.5]
print('%d,%.4f' % (sum(r['Truth'] == '1' for r in d), adjusted_rand_score([r['Truth'] for r in d], [r['dk'] for r in d])))")
is "$said" "$want" "mass 2.5: its signal count and ARI as scikit-learn has them"

done_testing

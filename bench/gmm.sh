#!/bin/bash
# bench/gmm.sh: Gaussian mixtures, hepscope's gmm against scikit-learn's
# GaussianMixture (full covariance, K = 4, tol 1e-3, reg_covar 1e-6, 5
# starts, init_params='k-means++', max_iter 100) on the same standardised
# rows: 100,000 and 1,000,000 rows x 6 features.  Goal: at least 5x
# faster, with a mean log-likelihood no lower than scikit-learn's minus
# 1e-3.  SIZES and RUNS (default 3; 1 at a million rows) change the
# sizes and repetitions; APPEND=1 adds the table to bench/RESULTS.md.
# --busy (bench/lib.sh): also with one CPU-bound competitor running.
RUNS=${RUNS:-3}
. "$(dirname "$0")/lib.sh"
. "$BENCH_DIR/embed.sh"
SIZES=${SIZES:-"100000 1000000"}
echo "gmm: K 4, full covariance, 6 features, 5 starts; $(machine)"
TABLE=""
one() {
    local n=$1 runs=$RUNS
    [ "$n" -ge 1000000 ] && runs=1
    embed_run gmm "$n" 6 4 "$runs" 5 k 4
    echo " $n rows$SFX ($runs fits each):"
    embed_times GaussianMixture
    local hl sl
    hl=$(val "$WORK/hs.txt" loglik_mean); sl=$(val "$WORK/sk.txt" loglik_mean)
    echo "  mean log-likelihood: hepscope $hl ($(val "$WORK/hs.txt" iterations) iterations), scikit-learn $sl ($(val "$WORK/sk.txt" iterations)); goal hepscope >= scikit-learn - 1e-3: $(awk -v h="$hl" -v s="$sl" 'BEGIN { print (h >= s - 1e-3) ? "met" : "NOT met" }')"
    TABLE="$TABLE
| $n$SFX $EMBED_ROW $hl | $sl |"
}
sizes() { for n in $SIZES; do one "$n"; done; }
for_modes sizes
if [ "${APPEND:-0}" = 1 ]; then
    cat >>"$TOP/bench/RESULTS.md" <<EOT

## Gaussian mixtures (bench/gmm.sh), $(machine)

K 4, full covariance, 6 features (a mixture of 4 correlated Gaussians,
bench/embed_bench), 5 k-means++ starts, tol 1e-3, reg 1e-6; load at the
end $(cut -d' ' -f1-3 /proc/loadavg).  Times in seconds, medians.

| rows | hepscope wall | hepscope cpu | hepscope 1 thread | scikit-learn wall | scikit-learn cpu | wall ratio | cpu ratio | hepscope mean loglik | scikit-learn mean loglik |
|---|---|---|---|---|---|---|---|---|---|$TABLE
EOT
fi

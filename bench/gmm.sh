#!/bin/bash
# bench/gmm.sh: Gaussian mixtures, hepscope's gmm against scikit-learn's
# GaussianMixture (full covariance, K = 4, tol 1e-3, reg_covar 1e-6, 5
# starts, init_params='k-means++', max_iter 100) on the same standardised
# rows: 100,000 and 1,000,000 rows x 6 features, and the real dataset of
# bench/embed_real.sh (18,885 events x 18).  Goal: at least 5x faster,
# with a mean log-likelihood no lower than scikit-learn's minus 1e-3.
# SIZES and RUNS (default 3; 1 at a million rows) change the sizes and
# repetitions, REAL=0 leaves out the real dataset; APPEND=1 adds the
# table to bench/RESULTS.md.
# --busy (bench/lib.sh): also with one CPU-bound competitor running.
RUNS=${RUNS:-3}
. "$(dirname "$0")/lib.sh"
. "$BENCH_DIR/embed.sh"
. "$BENCH_DIR/embed_real.sh"
SIZES=${SIZES:-"100000 1000000"}
echo "gmm: K 4, full covariance, 6 features, 5 starts; $(machine)"
TABLE=""
# one N DIM LABEL: N synthetic rows of DIM features (N 0: the rows
# already in $WORK/rows.bin).
one() {
    local n=$1 dim=$2 label=$3 runs=$RUNS
    [ "$n" -ge 1000000 ] && runs=1
    embed_run gmm "$n" "$dim" 4 "$runs" 5 k 4
    echo " $label$SFX ($runs fits each):"
    embed_times GaussianMixture
    local hl sl
    hl=$(val "$WORK/hs.txt" loglik_mean); sl=$(val "$WORK/sk.txt" loglik_mean)
    echo "  mean log-likelihood: hepscope $hl ($(val "$WORK/hs.txt" iterations) iterations), scikit-learn $sl ($(val "$WORK/sk.txt" iterations)); goal hepscope >= scikit-learn - 1e-3: $(awk -v h="$hl" -v s="$sl" 'BEGIN { print (h >= s - 1e-3) ? "met" : "NOT met" }')"
    TABLE="$TABLE
| $label$SFX $EMBED_ROW $hl | $sl |"
}
sizes() {
    for n in $SIZES; do one "$n" 6 "$n rows"; done
    if [ "${REAL:-1}" = 1 ] && real_rows; then one 0 "$REAL_DIM" "$REAL_NAME"; fi
}
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

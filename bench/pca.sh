#!/bin/bash
# bench/pca.sh: PCA, hepscope's pca against scikit-learn's PCA (full
# SVD) on the same standardised rows: 1,000,000 rows x 19 features, and
# the real dataset of bench/embed_real.sh (18,885 events x 18).  Goal:
# the explained variances equal to 1e-10 relative.  SIZES, DIM and RUNS
# (default 3) change the sizes, features and repetitions, REAL=0 leaves
# out the real dataset; APPEND=1 adds the table to bench/RESULTS.md.
RUNS=${RUNS:-3}
. "$(dirname "$0")/lib.sh"
. "$BENCH_DIR/embed.sh"
. "$BENCH_DIR/embed_real.sh"
SIZES=${SIZES:-"1000000"}
DIM=${DIM:-19}
echo "pca: $DIM features; $(machine)"
TABLE=""
# one N DIM LABEL: N synthetic rows of DIM features (N 0: the rows
# already in $WORK/rows.bin).
one() {
    local n=$1 dim=$2 label=$3 worst
    embed_run pca "$n" "$dim" 4 "$RUNS" 1 dims 2
    echo " $label$SFX ($RUNS fits each):"
    embed_times PCA
    worst=$(awk '/^variance_/ { if (FILENAME == ARGV[1]) h[$1] = $2; else s[$1] = $2 }
        END { w = 0; for (k in h) { d = (h[k] - s[k]) / s[k]; if (d < 0) d = -d; if (d > w) w = d } printf "%.3g", w }' \
        "$WORK/hs.txt" "$WORK/sk.txt")
    echo "  largest relative difference of the explained variances: $worst; goal <= 1e-10: $(awk -v w="$worst" 'BEGIN { print (w <= 1e-10) ? "met" : "NOT met" }')"
    TABLE="$TABLE
| $label$SFX $EMBED_ROW $worst |"
}
sizes() {
    for n in $SIZES; do one "$n" "$DIM" "$n rows"; done
    if [ "${REAL:-1}" = 1 ] && real_rows; then one 0 "$REAL_DIM" "$REAL_NAME"; fi
}
for_modes sizes
if [ "${APPEND:-0}" = 1 ]; then
    cat >>"$TOP/bench/RESULTS.md" <<EOT

## PCA (bench/pca.sh), $(machine)

$DIM features (a mixture of 4 correlated Gaussians, bench/embed_bench),
every component; load at the end $(cut -d' ' -f1-3 /proc/loadavg).
Times in seconds, medians.

| rows | hepscope wall | hepscope cpu | hepscope 1 thread | scikit-learn wall | scikit-learn cpu | wall ratio | cpu ratio | largest relative difference of the variances |
|---|---|---|---|---|---|---|---|---|$TABLE
EOT
fi

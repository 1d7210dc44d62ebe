#!/bin/bash
# bench/fisher.sh: Fisher's linear discriminant against scikit-learn's
# LinearDiscriminantAnalysis on the same events: the demo at 1,000,000
# events (100k signal, 900k background, 19 inputs), fitted on the default
# split's 500k training events, the test AUC on its 250k test events.
# Times: the fit alone (RUNS fits each, median), and scoring every event.
# Also the largest difference between the two tools' probabilities: the
# same model, so it should be at rounding level.  APPEND=1 appends the
# figures to bench/RESULTS.md.  --busy (bench/lib.sh): also the fit and
# scoring at the default thread count and at one, quiet and with a
# competing CPU-bound process.
RUNS=${RUNS:-5}
. "$(dirname "$0")/lib.sh"
need_packages python3-numpy python3-sklearn

make -C "$BUILD" -s bench/fisher_bench >/dev/null
echo "fisher: demo 1,000,000 events, 19 inputs, default split, $RUNS fits each; $(machine)"
"$BUILD/bench/fisher_bench" "$WORK/d.csv" "$RUNS" "$WORK/hs_scores.txt" >"$WORK/hs.txt"
$PY "$BENCH_DIR/fisher_sklearn.py" "$WORK/d.csv" "$RUNS" "$WORK/hs_scores.txt" >"$WORK/sk.txt"
val() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
hs_fit=$(val "$WORK/hs.txt" fit_s_median)
sk_fit=$(val "$WORK/sk.txt" fit_s_median)
sk_svd=$(val "$WORK/sk.txt" fit_svd_s)
hs_sc=$(val "$WORK/hs.txt" score_all_s)
sk_sc=$(val "$WORK/sk.txt" score_all_s)
hs_auc=$(val "$WORK/hs.txt" test_auc)
sk_auc=$(val "$WORK/sk.txt" test_auc)
diff=$(val "$WORK/sk.txt" max_abs_diff)
printf '  %-40s fit %8.4f s  score 1M %8.4f s  test AUC %s\n' hepscope "$hs_fit" "$hs_sc" "$hs_auc"
printf '  %-40s fit %8.4f s  score 1M %8.4f s  test AUC %s\n' "scikit-learn LDA (lsqr)" "$sk_fit" "$sk_sc" "$sk_auc"
printf '  %-40s fit %8.4f s\n' "scikit-learn LDA (svd)" "$sk_svd"
echo "  fit: sklearn/hepscope $(ratio "$sk_fit" "$hs_fit"); score: $(ratio "$sk_sc" "$hs_sc")"
echo "  largest |p_hepscope - p_sklearn| over 1M events: $diff"
if [ "$BUSY" = 1 ]; then
    measure() {
        "$BUILD/bench/fisher_bench" "$WORK/d2.csv" "$RUNS" "$WORK/s2.txt" >"$WORK/fd$SFX.txt"
        OMP_NUM_THREADS=1 "$BUILD/bench/fisher_bench" "$WORK/d2.csv" "$RUNS" "$WORK/s2.txt" >"$WORK/f1$SFX.txt"
        eval "MEDIAN_fit_d$SFX=$(val "$WORK/fd$SFX.txt" fit_s_median)"
        eval "MEDIAN_fit_1$SFX=$(val "$WORK/f1$SFX.txt" fit_s_median)"
        eval "MEDIAN_score_d$SFX=$(val "$WORK/fd$SFX.txt" score_all_s)"
        eval "MEDIAN_score_1$SFX=$(val "$WORK/f1$SFX.txt" score_all_s)"
    }
    for_modes measure
    UNIT=s busy_report "fisher fit" fit_d fit_1
    UNIT=s busy_report "fisher score 1M" score_d score_1
fi
if [ "${APPEND:-0}" = 1 ]; then
    cat >>"$TOP/bench/RESULTS.md" <<EOF

## Fisher's discriminant (bench/fisher.sh), $(machine)

Demo at 1,000,000 events, 19 inputs, fitted on the default split's
training part (500k events), $RUNS fits each; scoring all 1M events.

| tool | fit (s, median) | its time / hepscope's | score 1M (s) | test AUC |
|---|---|---|---|---|
| hepscope \`train --method fisher\` (fit) | $hs_fit | | $hs_sc | $hs_auc |
| scikit-learn LinearDiscriminantAnalysis, lsqr | $sk_fit | $(ratio "$sk_fit" "$hs_fit") | $sk_sc | $sk_auc |
| scikit-learn LinearDiscriminantAnalysis, svd | $sk_svd | $(ratio "$sk_svd" "$hs_fit") | | |

The largest difference between the two probabilities of an event: $diff.
EOF
fi

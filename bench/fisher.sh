#!/bin/bash
# bench/fisher.sh: Fisher's linear discriminant against scikit-learn's
# LinearDiscriminantAnalysis on the same events: the demo at 1,000,000
# events (100k signal, 900k background, 19 inputs), fitted on the default
# split's 500k training events, the test AUC on its 250k test events.
# Times: the fit alone (RUNS fits each, median), and scoring every event.
# Also the largest difference between the two tools' probabilities: the
# same model, so it should be at rounding level.  APPEND=1 appends the
# figures to bench/RESULTS.md.  --busy (bench/lib.sh): also the fit and
# scoring at the default thread count and at one (ROUNDS alternating
# rounds), and scikit-learn's, quiet and with a competing CPU-bound
# process; goal: the default no more than 1.10 x one thread.
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
    # ROUNDS (3) rounds alternating the default thread count and one (the
    # order swapped each round), then scikit-learn; medians of the rounds.
    ROUNDS=${ROUNDS:-3}
    med() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
    one_fisher() { # one_fisher THREADS: fit and score figures appended
        OMP_NUM_THREADS=$1 "$BUILD/bench/fisher_bench" - "$RUNS" >"$WORK/f.txt"
        local k=d; [ "$1" = 1 ] && k=1
        val "$WORK/f.txt" fit_s_median >>"$WORK/fit_$k$SFX"
        val "$WORK/f.txt" score_all_s >>"$WORK/score_$k$SFX"
    }
    measure() {
        local r
        for r in $(seq "$ROUNDS"); do
            if [ $((r % 2)) = 1 ]; then one_fisher "$(nproc)"; one_fisher 1; else one_fisher 1; one_fisher "$(nproc)"; fi
        done
        $PY "$BENCH_DIR/fisher_sklearn.py" "$WORK/d.csv" "$RUNS" >"$WORK/sk2.txt"
        local f
        for f in fit_d fit_1 score_d score_1; do
            eval "MEDIAN_$f$SFX=$(med <"$WORK/$f$SFX")"
        done
        eval "MEDIAN_fit_sk$SFX=$(val "$WORK/sk2.txt" fit_s_median)"
        eval "MEDIAN_score_sk$SFX=$(val "$WORK/sk2.txt" score_all_s)"
        echo "  load average $(cut -d' ' -f1-3 /proc/loadavg)"
    }
    for_modes measure
    UNIT=s busy_report "fisher fit" fit_d fit_1 fit_sk
    UNIT=s busy_report "fisher score 1M" score_d score_1 score_sk
    for m in $(modes); do
        sfx=; [ "$m" = busy ] && sfx=_busy
        printf '  scikit-learn (lsqr)    %-5s fit %s s, score 1M %s s\n' "$m" \
            "$(eval echo "\$MEDIAN_fit_sk$sfx")" "$(eval echo "\$MEDIAN_score_sk$sfx")"
    done
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

#!/bin/bash
# bench/shap.sh: hepscope's TreeSHAP against XGBoost's own
# predict(pred_contribs=True) on the same trees: XGBoost hist (TREES=300
# trees, depth 6, learning rate 0.1, 255 bins) trained on the demo's
# training part (NSIG + NBKG events, default 100k + 900k), its trees
# dumped with trees_to_dataframe() and loaded into a struct hs_forest by
# bench/shap_bench.c, SHAP values of NEV (100,000) test events on two
# threads and one.  Goal: values equal to 1e-6, at least as fast (CPU and
# wall seconds, medians of SHAP_REPS runs, default 3; the load average
# beside them).  XGBoost
# 1.7's bias column is the base margin (logit of base_score 0.5 = 0) plus
# each tree's cover-weighted mean: hepscope's base value.
. "$(dirname "$0")/lib.sh"
need_packages python3-numpy python3-pandas python3-xgboost
TREES=${TREES:-300}
NEV=${NEV:-100000}
NSIG=${NSIG:-100000}
NBKG=${NBKG:-900000}
SHAP_REPS=${SHAP_REPS:-3} # timed runs of each tool

make -C "$BUILD" -s bench/shap_bench >/dev/null
echo "shap: XGBoost hist $TREES trees depth 6 on the demo ($NSIG + $NBKG events), SHAP of $NEV test events; $(machine)"
"$BUILD/bench/shap_bench" demo "$WORK/d.csv" "$NSIG" "$NBKG"
$PY "$BENCH_DIR/shap_xgb.py" "$WORK/d.csv" "$WORK" "$TREES" "$NEV" "$SHAP_REPS" >"$WORK/xgb.txt"
val() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
n=$(val "$WORK/xgb.txt" events)
bm=$(val "$WORK/xgb.txt" base_margin)
for th in 2 1; do
    echo "  load average before hepscope, $th thread(s): $(cut -d' ' -f1-3 /proc/loadavg)"
    "$BUILD/bench/shap_bench" shap "$WORK/trees.csv" "$WORK/x.bin" "$WORK/contribs.bin" \
        "$WORK/margin.bin" "$n" "$bm" "$th" "$SHAP_REPS" >"$WORK/hs$th.txt"
done
cat "$WORK/xgb.txt" | sed 's/^/  xgb: /'
cat "$WORK/hs2.txt" | sed 's/^/  hs (2 threads): /'
grep -E '_s ' "$WORK/hs1.txt" | sed 's/^/  hs (1 thread): /'
echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
for th in 2 1; do
    echo "  $th thread(s): XGBoost/hepscope CPU $(ratio "$(val "$WORK/xgb.txt" xgb_contribs_cpu_s_$th)" "$(val "$WORK/hs$th.txt" hs_cpu_s)"), wall $(ratio "$(val "$WORK/xgb.txt" xgb_contribs_wall_s_$th)" "$(val "$WORK/hs$th.txt" hs_wall_s)")"
done

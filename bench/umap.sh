#!/bin/bash
# bench/umap.sh: UMAP against umap-learn and uwot on the same rows: the
# demo's 19 enabled features, standardised (mean and sd of the fitted
# events, as every projection standardises them), at 20,000 and 100,000
# events (SIZES to change).  Every tool runs with two threads (umap-learn
# n_jobs=2, uwot n_threads = n_sgd_threads = 2, hepscope's default) and
# its own defaults otherwise (15 neighbours, min_dist 0.1, spectral start,
# 200 epochs above 10,000 points).  umap-learn's first call compiles its
# numba code and is not timed.  Times are whole fits, RUNS each (median
# wall and CPU seconds, the CPU of every thread: the steadier figure on a
# shared machine, with the load average before and after each tool);
# trustworthiness (k = 10) of each tool's last layout is scikit-learn's on
# one fixed subsample of 5,000 rows.  Goal (issue 14): at 100,000 points
# at least 4x faster than the faster peer, trustworthiness within 0.01 of
# umap-learn's.  APPEND=1 appends the table to bench/RESULTS.md; KEEP=DIR
# keeps the rows, layouts and figures there.
RUNS=${RUNS:-3}
SIZES=${SIZES:-"20000 100000"}
. "$(dirname "$0")/lib.sh"
need_packages python3-numpy python3-sklearn umap-learn r-cran-uwot

make -C "$BUILD" -s bench/umap_bench >/dev/null
echo "umap: demo, 19 standardised features, $RUNS runs each, 2 threads; $(machine); load $(cut -d' ' -f1-3 /proc/loadavg)"
val() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
rows=""
load() { cut -d' ' -f1 /proc/loadavg; }
for n in $SIZES; do
    l0=$(load)
    "$BUILD/bench/umap_bench" "$n" "$WORK/x$n.csv" "$RUNS" "$WORK/hs$n.csv" 2 >"$WORK/hs$n.txt"
    l1=$(load)
    $PY "$BENCH_DIR/umap_learn.py" "$WORK/x$n.csv" "$WORK/ul$n.csv" "$RUNS" >"$WORK/ul$n.txt"
    l2=$(load)
    Rscript "$BENCH_DIR/umap_uwot.R" "$WORK/x$n.csv" "$WORK/uw$n.csv" "$RUNS" >"$WORK/uw$n.txt"
    l3=$(load)
    $PY "$BENCH_DIR/umap_trust.py" "$WORK/x$n.csv" "$WORK/hs$n.csv" "$WORK/ul$n.csv" \
        "$WORK/uw$n.csv" >"$WORK/tr$n.txt"
    hs=$(val "$WORK/hs$n.txt" seconds_median)
    ul=$(val "$WORK/ul$n.txt" seconds_median)
    uw=$(val "$WORK/uw$n.txt" seconds_median)
    c_hs=$(val "$WORK/hs$n.txt" cpu_median)
    c_ul=$(val "$WORK/ul$n.txt" cpu_median)
    c_uw=$(val "$WORK/uw$n.txt" cpu_median)
    t_hs=$(awk 'NR == 1 { print $2 }' "$WORK/tr$n.txt")
    t_ul=$(awk 'NR == 2 { print $2 }' "$WORK/tr$n.txt")
    t_uw=$(awk 'NR == 3 { print $2 }' "$WORK/tr$n.txt")
    best=$(awk -v a="$ul" -v b="$uw" 'BEGIN { print (a < b) ? a : b }')
    cbest=$(awk -v a="$c_ul" -v b="$c_uw" 'BEGIN { print (a < b) ? a : b }')
    phases=$(awk '$1 ~ /^(knn|graph|init|epochs)_cpu_s$/ { sub(/_cpu_s/, "", $1); printf "%s %.2f  ", $1, $2 }' "$WORK/hs$n.txt")
    printf '  n %6d  hepscope   wall %8.2f s  cpu %8.2f s  trust %s  (load %s; cpu by phase: %s)\n' "$n" "$hs" "$c_hs" "$t_hs" "$l0-$l1" "$phases"
    printf '  n %6d  umap-learn wall %8.2f s  cpu %8.2f s  trust %s  (load %s; %s hepscope by wall)\n' "$n" "$ul" "$c_ul" "$t_ul" "$l1-$l2" "$(ratio "$ul" "$hs")"
    printf '  n %6d  uwot       wall %8.2f s  cpu %8.2f s  trust %s  (load %s; %s hepscope by wall)\n' "$n" "$uw" "$c_uw" "$t_uw" "$l2-$l3" "$(ratio "$uw" "$hs")"
    echo "  n $n: hepscope vs the faster peer: wall $(ratio "$best" "$hs"), cpu $(ratio "$cbest" "$c_hs"); trust - umap-learn's $(awk -v a="$t_hs" -v b="$t_ul" 'BEGIN { printf "%+.4f", a - b }')"
    [ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$WORK"/*"$n".* "$KEEP"/
    rows="$rows| $n | $hs / $c_hs | $t_hs | $ul / $c_ul | $t_ul | $uw / $c_uw | $t_uw | $(ratio "$best" "$hs") / $(ratio "$cbest" "$c_hs") | $l0 / $l1 / $l2 / $l3 |
"
done
if [ "${APPEND:-0}" = 1 ]; then
    cat >>"$TOP/bench/RESULTS.md" <<EOT

## UMAP (bench/umap.sh), $(machine)

Demo, 19 enabled features standardised, 2 threads for every tool, $RUNS
whole fits each (median seconds; umap-learn's numba compile not counted);
trustworthiness k = 10 on one fixed 5,000-row subsample (scikit-learn).
Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg).

| points | hepscope wall / CPU (s) | trust | umap-learn wall / CPU (s) | trust | uwot wall / CPU (s) | trust | faster peer / hepscope, wall / CPU | load at each tool's start and the end |
|---|---|---|---|---|---|---|---|---|
$rows
EOT
fi

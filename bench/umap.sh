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
# umap-learn's.  Then the same on one real public dataset (REAL, default
# CMS open data's Z -> ee events of Run2011A, 18,885 events: its 18
# numeric columns but Run and Event, standardised; REAL= to skip).  APPEND=1 appends the table to bench/RESULTS.md; KEEP=DIR
# keeps the rows, layouts and figures there.
RUNS=${RUNS:-3}
SIZES=${SIZES:-"20000 100000"}
. "$(dirname "$0")/lib.sh"
need_packages python3-numpy python3-sklearn umap-learn r-cran-uwot

make -C "$BUILD" -s bench/umap_bench >/dev/null
echo "umap: demo, 19 standardised features, $RUNS runs each, 2 threads; $(machine); load $(cut -d' ' -f1-3 /proc/loadavg)"
val() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
REAL=${REAL-/work/shared/data/cms/cms_opendata_edu__Zee_Run2011A.csv}
rows=""
load() { cut -d' ' -f1 /proc/loadavg; }
# compare TAG N [DATA.csv]: every tool on N demo rows, or on DATA.csv's
# rows (at most N); TAG names the files
compare() {
    local t=$1 n=$2 data=${3:-} label=$2
    l0=$(load)
    DATA=$data "$BUILD/bench/umap_bench" "$n" "$WORK/x$t.csv" "$RUNS" "$WORK/hs$t.csv" 2 >"$WORK/hs$t.txt"
    [ -n "$data" ] && label="$(basename "$data" .csv), $(val "$WORK/hs$t.txt" fitted)"
    l1=$(load)
    $PY "$BENCH_DIR/umap_learn.py" "$WORK/x$t.csv" "$WORK/ul$t.csv" "$RUNS" >"$WORK/ul$t.txt"
    l2=$(load)
    Rscript "$BENCH_DIR/umap_uwot.R" "$WORK/x$t.csv" "$WORK/uw$t.csv" "$RUNS" >"$WORK/uw$t.txt"
    l3=$(load)
    $PY "$BENCH_DIR/umap_trust.py" "$WORK/x$t.csv" "$WORK/hs$t.csv" "$WORK/ul$t.csv" \
        "$WORK/uw$t.csv" >"$WORK/tr$t.txt"
    hs=$(val "$WORK/hs$t.txt" seconds_median)
    ul=$(val "$WORK/ul$t.txt" seconds_median)
    uw=$(val "$WORK/uw$t.txt" seconds_median)
    c_hs=$(val "$WORK/hs$t.txt" cpu_median)
    c_ul=$(val "$WORK/ul$t.txt" cpu_median)
    c_uw=$(val "$WORK/uw$t.txt" cpu_median)
    t_hs=$(awk 'NR == 1 { print $2 }' "$WORK/tr$t.txt")
    t_ul=$(awk 'NR == 2 { print $2 }' "$WORK/tr$t.txt")
    t_uw=$(awk 'NR == 3 { print $2 }' "$WORK/tr$t.txt")
    best=$(awk -v a="$ul" -v b="$uw" 'BEGIN { print (a < b) ? a : b }')
    cbest=$(awk -v a="$c_ul" -v b="$c_uw" 'BEGIN { print (a < b) ? a : b }')
    phases=$(awk '$1 ~ /^(knn|graph|init|epochs)_cpu_s$/ { sub(/_cpu_s/, "", $1); printf "%s %.2f  ", $1, $2 }' "$WORK/hs$t.txt")
    printf '  %s  hepscope   wall %8.2f s  cpu %8.2f s  trust %s  (load %s; cpu by phase: %s)\n' "$label" "$hs" "$c_hs" "$t_hs" "$l0-$l1" "$phases"
    printf '  %s  umap-learn wall %8.2f s  cpu %8.2f s  trust %s  (load %s; %s hepscope by wall)\n' "$label" "$ul" "$c_ul" "$t_ul" "$l1-$l2" "$(ratio "$ul" "$hs")"
    printf '  %s  uwot       wall %8.2f s  cpu %8.2f s  trust %s  (load %s; %s hepscope by wall)\n' "$label" "$uw" "$c_uw" "$t_uw" "$l2-$l3" "$(ratio "$uw" "$hs")"
    echo "  $label: hepscope vs the faster peer: wall $(ratio "$best" "$hs"), cpu $(ratio "$cbest" "$c_hs"); trust - umap-learn's $(awk -v a="$t_hs" -v b="$t_ul" 'BEGIN { printf "%+.4f", a - b }')"
    [ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$WORK"/*"$t".* "$KEEP"/
    rows="$rows| $label | $hs / $c_hs | $t_hs | $ul / $c_ul | $t_ul | $uw / $c_uw | $t_uw | $(ratio "$best" "$hs") / $(ratio "$cbest" "$c_hs") | $l0 / $l1 / $l2 / $l3 |
"
}
for n in $SIZES; do
    compare "$n" "$n"
done
if [ -n "$REAL" ]; then
    if [ -r "$REAL" ]; then
        compare real 1000000 "$REAL"
    else
        echo "  $REAL: not readable, the real dataset skipped"
    fi
fi
if [ "${APPEND:-0}" = 1 ]; then
    cat >>"$TOP/bench/RESULTS.md" <<EOT

## UMAP (bench/umap.sh), $(machine)

Demo, 19 enabled features standardised (and a real dataset, named), 2 threads for every tool, $RUNS
whole fits each (median seconds; umap-learn's numba compile not counted);
trustworthiness k = 10 on one fixed 5,000-row subsample (scikit-learn).
Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg).

| points | hepscope wall / CPU (s) | trust | umap-learn wall / CPU (s) | trust | uwot wall / CPU (s) | trust | faster peer / hepscope, wall / CPU | load at each tool's start and the end |
|---|---|---|---|---|---|---|---|---|
$rows
EOT
fi

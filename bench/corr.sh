#!/bin/bash
# bench/corr.sh: the correlation matrix of `hepscope corr` (hs_correlation,
# src/featstats.c, through bench/corr_bench) against numpy.corrcoef on the
# same columns, unweighted: tall, 20 columns of 1,000,000 events (the
# Gram matrix cut into chunks of rows), and wide, 1,000 columns of 2,000
# events (cut into bands of the matrix).  RUNS (5) calls each, in a warm
# process, the median; ROUNDS (3) rounds alternating the default thread
# count (the CPUs) and --threads 1, the median of the rounds' medians.
# Also the largest difference between the two tools' matrices.
# --busy (bench/lib.sh): the same with one CPU-bound competitor running;
# goal: the default no more than 1.10 x one thread.
RUNS=${RUNS:-5}
ROUNDS=${ROUNDS:-3}
. "$(dirname "$0")/lib.sh"
need_packages python3-numpy

make -C "$BUILD" -s bench/corr_bench >/dev/null
cpus=$(nproc)
SHAPES="tall:20:1000000 wide:1000:2000"
echo "corr: tall 20 x 1,000,000 and wide 1,000 x 2,000, $RUNS calls x $ROUNDS rounds, default = $cpus threads; $(machine)"
val() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
med() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for s in $SHAPES; do
    IFS=: read -r name k n <<<"$s"
    "$BUILD/bench/corr_bench" "$k" "$n" 1 "$WORK/$name.bin" "$WORK/$name.m" >/dev/null
    diff=$($PY "$BENCH_DIR/corr_numpy.py" "$WORK/$name.bin" "$k" "$n" 1 "$WORK/$name.m" | awk '$1 == "max_abs_diff" { print $2 }')
    echo "  $name: largest |r_hepscope - r_numpy| $diff"
done

# one_round NAME K N FIRST: hepscope at FIRST threads then the other
# count, then numpy; medians appended to $WORK/NAME.{d,1,np}$SFX.
one_round() {
    local name=$1 k=$2 n=$3 t
    for t in $4; do
        OMP_NUM_THREADS=$t "$BUILD/bench/corr_bench" "$k" "$n" "$RUNS" >"$WORK/o.txt"
        if [ "$t" = 1 ]; then val "$WORK/o.txt" corr_ms_median >>"$WORK/$name.1$SFX"; else val "$WORK/o.txt" corr_ms_median >>"$WORK/$name.d$SFX"; fi
    done
    $PY "$BENCH_DIR/corr_numpy.py" "$WORK/$name.bin" "$k" "$n" "$RUNS" | awk '$1 == "corr_ms_median" { print $2 }' >>"$WORK/$name.np$SFX"
}
measure() {
    local s name k n r
    for s in $SHAPES; do
        IFS=: read -r name k n <<<"$s"
        for r in $(seq "$ROUNDS"); do
            if [ $((r % 2)) = 1 ]; then one_round "$name" "$k" "$n" "$cpus 1"; else one_round "$name" "$k" "$n" "1 $cpus"; fi
        done
        eval "MEDIAN_${name}_d$SFX=$(med <"$WORK/$name.d$SFX")"
        eval "MEDIAN_${name}_1$SFX=$(med <"$WORK/$name.1$SFX")"
        eval "MEDIAN_${name}_np$SFX=$(med <"$WORK/$name.np$SFX")"
    done
    echo "  load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
for_modes measure
busy_report "corr tall 20 x 1M" tall_d tall_1 tall_np
busy_report "corr wide 1000 x 2000" wide_d wide_1 wide_np
for m in $(modes); do
    sfx=; [ "$m" = busy ] && sfx=_busy
    printf '  numpy.corrcoef         %-5s tall %s ms, wide %s ms\n' "$m" \
        "$(eval echo "\$MEDIAN_tall_np$sfx")" "$(eval echo "\$MEDIAN_wide_np$sfx")"
done

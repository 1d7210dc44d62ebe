#!/bin/bash
# bench/demo.sh: the embedded generator at the seed study's size,
# 3,100,000 events (21 x 100,000 signal + 1,000,000 background) in memory
# on one core, and the time to store them in a session beside it.
# Goal: under 3 s to generate.  (No peer: the seed study's own generator
# was a full simulation, not something a student runs.)  --busy
# (bench/lib.sh): also at the default thread count, quiet and with a
# competing CPU-bound process.
REPS=${REPS:-3}
. "$(dirname "$0")/lib.sh"

make -C "$BUILD" -s bench/engine_bench >/dev/null
echo "demo: 3,100,000 events; $(machine)"
read -r gen store < <(OMP_NUM_THREADS=1 "$BUILD/bench/engine_bench" sim "$REPS" "$WORK/s.db")
printf '  %-34s median %9.1f ms  (%s runs)\n' "generate, 1 thread" "$gen" "$REPS"
printf '  %-34s median %9.1f ms  (%s runs)\n' "store in a session" "$store" "$REPS"
awk -v g="$gen" 'BEGIN { printf "  generation: %.2f s (goal under 3 s)\n", g / 1000 }'
if [ "$BUSY" = 1 ]; then
    measure() {
        local g1 gd s
        read -r g1 s < <(OMP_NUM_THREADS=1 "$BUILD/bench/engine_bench" sim "$REPS" "$WORK/s.db")
        read -r gd s < <("$BUILD/bench/engine_bench" sim "$REPS" "$WORK/s.db")
        eval "MEDIAN_gen_1$SFX=$g1"
        eval "MEDIAN_gen_d$SFX=$gd"
        printf '  %-34s median %9.1f ms, 1 thread %9.1f ms  (%s runs)\n' "generate, default threads" "$gd" "$g1" "$REPS"
    }
    for_modes measure
    busy_report demo gen_d gen_1
fi

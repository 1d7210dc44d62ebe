#!/bin/bash
# bench/hist.sh: filling 100 bins from 1,000,000 doubles (normal), hepscope's
# hs_hist_fill against numpy.histogram with the same bins, both in-process on
# the same values; the counts are compared too.  Goal: 3x numpy.
# --busy: also with a competing CPU-bound process (bench/lib.sh).
REPS=${REPS:-51}
. "$(dirname "$0")/lib.sh"
need_packages python3-numpy

ROWS=${ROWS:-1000000}
BINS=${BINS:-100}
LO=-4
HI=4
make -C "$BUILD" -s bench/hist_bench >/dev/null
$PY - "$WORK/values.bin" "$ROWS" <<'PY'
import sys
import numpy as np
path, n = sys.argv[1], int(sys.argv[2])
np.random.default_rng(1).normal(0, 1, n).tofile(path)
PY
echo "hist: $ROWS normal doubles into $BINS bins over [$LO, $HI]; $(machine)"
threads=$(nproc)
measure() {
    local t med
    for t in 1 "$threads"; do
        med=$(OMP_NUM_THREADS=$t "$BUILD/bench/hist_bench" "$WORK/values.bin" "$ROWS" "$BINS" "$LO" "$HI" "$REPS")
        eval "MEDIAN_hepscope_$t$SFX=$med"
        printf '  %-34s median %9.2f ms  (%s runs)\n' "hepscope, $t thread(s)" "$med" "$REPS"
    done
    py_median numpy "
import numpy as np
a = np.fromfile('$WORK/values.bin')
" "c, e = np.histogram(a, bins=$BINS, range=($LO, $HI))"
}
for_modes measure
$PY -c "
import numpy as np
a = np.fromfile('$WORK/values.bin')
c, e = np.histogram(a, bins=$BINS, range=($LO, $HI))
h = np.fromfile('$WORK/values.bin.counts')
print('  counts equal to numpy: %s' % ('yes' if np.array_equal(c, h) else 'NO, %d bins differ' % int((c != h).sum())))"
echo "  hepscope (1 thread) vs numpy: $(ratio "$MEDIAN_numpy" "$MEDIAN_hepscope_1") faster (goal 3x)"
echo "  hepscope ($threads threads) vs numpy: $(ratio "$MEDIAN_numpy" "$(eval echo \$MEDIAN_hepscope_$threads)") faster"
busy_report hist "hepscope_$threads" hepscope_1 numpy

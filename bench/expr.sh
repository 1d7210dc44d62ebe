#!/bin/bash
# bench/expr.sh: the invariant mass of two particles over 1,000,000 rows,
# hepscope's compiled expression against the same formula in numpy, both
# in-process on the same columns; the results are compared too.
# Goal: 2x numpy.  --busy: also with a competing CPU-bound process
# (bench/lib.sh).
REPS=${REPS:-21}
. "$(dirname "$0")/lib.sh"
need_packages python3-numpy

ROWS=${ROWS:-1000000}
make -C "$BUILD" -s bench/engine_bench >/dev/null
$PY - "$WORK/cols.bin" "$ROWS" <<'PY'
import sys
import numpy as np
path, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(1)
m = 0.10566
with open(path, "wb") as f:
    for _ in range(2):
        p = rng.normal(0, 10, (3, n))
        f.write(np.sqrt(m * m + (p * p).sum(0)).tobytes())
        for c in p:
            f.write(np.ascontiguousarray(c).tobytes())
PY
echo "expr: mass(E1,px1,py1,pz1,E2,px2,py2,pz2) over $ROWS rows; $(machine)"
threads=$(nproc)
measure() {
    local t med
    for t in 1 "$threads"; do
        med=$(OMP_NUM_THREADS=$t "$BUILD/bench/engine_bench" mass "$WORK/cols.bin" "$ROWS" "$REPS")
        eval "MEDIAN_hepscope_$t$SFX=$med"
        printf '  %-34s median %9.2f ms  (%s runs)\n' "hepscope, $t thread(s)" "$med" "$REPS"
    done
    py_median numpy "
import numpy as np
a = np.fromfile('$WORK/cols.bin').reshape(8, $ROWS)
E1, px1, py1, pz1, E2, px2, py2, pz2 = [a[i].copy() for i in range(8)]
def mass():
    E = E1 + E2; x = px1 + px2; y = py1 + py2; z = pz1 + pz2
    m2 = E * E - (x * x + y * y + z * z)
    return np.copysign(np.sqrt(np.abs(m2)), m2)
" "o = mass()"
}
for_modes measure
$PY -c "
import numpy as np
a = np.fromfile('$WORK/cols.bin').reshape(8, $ROWS)
E = a[0] + a[4]; x = a[1] + a[5]; y = a[2] + a[6]; z = a[3] + a[7]
m2 = E * E - (x * x + y * y + z * z)
o = np.copysign(np.sqrt(np.abs(m2)), m2)
c = np.fromfile('$WORK/cols.bin.out')
print('  largest relative difference from numpy: %.3g' % np.max(np.abs(c - o) / np.maximum(np.abs(o), 1e-300)))"
echo "  hepscope (1 thread) vs numpy: $(ratio "$MEDIAN_numpy" "$MEDIAN_hepscope_1") faster (goal 2x)"
echo "  hepscope ($threads threads) vs numpy: $(ratio "$MEDIAN_numpy" "$(eval echo \$MEDIAN_hepscope_$threads)") faster"
busy_report expr "hepscope_$threads" hepscope_1 numpy

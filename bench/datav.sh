#!/bin/bash
# bench/datav.sh: the data view's keys on a column of 1,000,000 events
# (normal values, 1% missing): sort (s, both ways), frequency table (F) of
# the continuous column and of a column of 21 values, a search that finds
# nothing (a whole pass), and a new selection kept sorted (w).  hepscope's
# view functions (bench/datav_bench.c) against numpy doing the same work
# in-process: a stable argsort, histogram / unique with counts, a
# comparison over the column, argsort of the selected rows.  The order is
# compared with numpy's too.  Goal: each within a frame or two (tens of
# ms) on a quiet machine; the wall and CPU medians are both printed.
# --busy: also with a competing CPU-bound process (bench/lib.sh).
REPS=${REPS:-7}
. "$(dirname "$0")/lib.sh"
need_packages python3-numpy

ROWS=${ROWS:-1000000}
make -C "$BUILD" -s bench/datav_bench >/dev/null
$PY - "$WORK/values.bin" "$ROWS" <<'PY'
import sys
import numpy as np
path, n = sys.argv[1], int(sys.argv[2])
r = np.random.default_rng(1)
a = r.normal(0, 1, n)
a[r.uniform(size=n) < 0.01] = np.nan
a.tofile(path)
PY
echo "datav: $ROWS events; $(machine); load $(cut -d' ' -f1-3 /proc/loadavg)"
SETUP="
import numpy as np
a = np.fromfile('$WORK/values.bin')
g = 0.5 + 0.25 * (np.arange(a.size) % 21)
mask = (np.arange(a.size) % 2).astype(bool)
"
measure() {
    local w wall cpu
    for w in sort sortdesc freq freqg search filter; do
        read -r wall cpu < <("$BUILD/bench/datav_bench" "$WORK/values.bin" "$ROWS" "$REPS" "$w")
        eval "MEDIAN_hepscope_$w$SFX=$wall"
        printf '  %-34s median %9.2f ms  (cpu %8.2f ms, %s runs)\n' "hepscope $w" "$wall" "$cpu" "$REPS"
    done
    py_median numpy_sort "$SETUP" "o = np.argsort(a, kind='stable')"
    py_median numpy_sortdesc "$SETUP" "o = np.argsort(-a, kind='stable')"
    py_median numpy_freq "$SETUP" "c, e = np.histogram(a[~np.isnan(a)], bins=20); m = np.isnan(a).sum()"
    py_median numpy_freqg "$SETUP" "v, c = np.unique(g, return_counts=True); o = np.argsort(-c, kind='stable')"
    py_median numpy_search "$SETUP" "i = np.flatnonzero(a == 12345.678)"
    py_median numpy_filter "$SETUP" "r = np.flatnonzero(mask); o = r[np.argsort(a[r], kind='stable')]"
}
for_modes measure
$PY -c "
import numpy as np
a = np.fromfile('$WORK/values.bin')
o = np.fromfile('$WORK/values.bin.order', dtype=np.int64)
print('  ascending order equal to numpy stable argsort (NaN last): %s' % ('yes' if np.array_equal(o, np.argsort(a, kind='stable')) else 'NO'))"
for w in sort sortdesc freq freqg search filter; do
    echo "  $w: hepscope vs numpy: $(ratio "$(eval echo \$MEDIAN_numpy_$w)" "$(eval echo \$MEDIAN_hepscope_$w)") faster"
done

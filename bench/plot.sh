#!/bin/bash
# bench/plot.sh: one histogram figure (1,000,000 events, 100 bins, signal and
# background) to a 1600 x 1000 PNG, `hepscope plot hist -o` against
# matplotlib (Agg) drawing the same histogram, both as whole processes from
# start, since a user waits for both.  Goal: 10x matplotlib.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cpu.sh"
need_packages python3-numpy python3-matplotlib

NSIG=${NSIG:-100000}
NBKG=${NBKG:-900000}
BINS=${BINS:-100}
S="$WORK/plot.db"

# Prepared once, untimed: the session, and the same numbers for matplotlib.
"$HS" --session "$S" demo --n-signal "$NSIG" --n-background "$NBKG" >/dev/null
"$HS" --session "$S" export demo -o "$WORK/events.csv" --features >/dev/null
read -r LO HI < <($PY - "$WORK/events.csv" "$WORK/values.npz" <<'PY'
import sys
import numpy as np
with open(sys.argv[1]) as f:
    head = f.readline().strip().split(",")
m, lab = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1,
                    usecols=(head.index("m_mumu"), head.index("Truth")), unpack=True)
np.savez(sys.argv[2], signal=m[lab == 1], background=m[lab == 0])
lo, hi = np.quantile(m, [0.001, 0.999])
print(repr(float(lo)), repr(float(hi)))
PY
)
echo "plot: m_mumu of $((NSIG + NBKG)) events, $BINS bins over [$LO, $HI], 1600x1000 PNG; $(machine)"
time_median hepscope "rm -f '$WORK/hs.png'" \
    "'$HS' --session '$S' plot hist m_mumu --bins $BINS --range $LO:$HI -o '$WORK/hs.png' --width 1600 --height 1000"
time_median matplotlib "rm -f '$WORK/mpl.png'" \
    "$PY '$BENCH_DIR/plot_mpl.py' '$WORK/values.npz' $LO $HI $BINS '$WORK/mpl.png'"
# The CPU time each used (bench/cpu.sh): what a busy machine does not
# change, and the wall time on an idle one for a process on one thread.
cpu_median hepscope_1_thread \
    "'$HS' --threads 1 --session '$S' plot hist m_mumu --bins $BINS --range $LO:$HI -o '$WORK/hs.png' --width 1600 --height 1000"
cpu_median matplotlib "$PY '$BENCH_DIR/plot_mpl.py' '$WORK/values.npz' $LO $HI $BINS '$WORK/mpl.png'"
echo "  CPU time, hepscope on 1 thread vs matplotlib: $(ratio "$CPU_matplotlib" "$CPU_hepscope_1_thread")"
for f in hs mpl; do
    [ -s "$WORK/$f.png" ] || { echo "  no $f.png was written" >&2; exit 1; }
done
echo "  hepscope vs matplotlib: $(ratio "$MEDIAN_matplotlib" "$MEDIAN_hepscope") faster (goal 10x)"
if [ -n "${KEEP:-}" ]; then
    cp "$WORK/hs.png" "$KEEP-hepscope.png"
    cp "$WORK/mpl.png" "$KEEP-matplotlib.png"
fi

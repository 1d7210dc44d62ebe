#!/bin/bash
# bench/busy.sh: every parallel path at the default thread count (the CPUs
# usable) and at --threads 1, on a quiet machine and beside one CPU-bound
# competitor (the --busy mode of bench/lib.sh), in one table.
#
# Goal (issue 13): with the competitor, the default is never more than 10%
# slower than one thread; quiet, it keeps the speed of all cores.  The two
# modes alternate ROUNDS (5) times, quiet and busy in turns, and in each
# mode the two thread counts in turns, so that the drift of a shared
# machine hits all four alike; each cell is the median of the rounds'
# figures (each of those a median of its own repetitions: 21 in-process
# fills and evaluations for the millisecond jobs).  Each round prints the
# load average.  PATHS="hist expr import" measures only those paths (the
# names of the table's rows, in label() below).
# The sizes are the other benchmarks': 1M values (hist, expr), a 1M x 9
# CSV (import, whole process), the demo's cut optimisation and a 1M-event
# re-evaluation (cuts_bench), one MLP epoch on 500k events and scoring 1M
# (mlp_bench), 3.1M demo events (engine_bench sim), Fisher's fit on the
# demo's 500k training events and scoring 1M (fisher_bench), correlation
# matrices of 20 x 1M and 1000 x 2000 (corr_bench).  APPEND=1 appends the
# table to bench/RESULTS.md.
ROUNDS=${ROUNDS:-5}
ALL_PATHS="hist expr import cutopt cuts train score demo fisher fscore corr corrw"
PATHS=${PATHS:-$ALL_PATHS}
for p in $PATHS; do
    case " $ALL_PATHS " in
    *" $p "*) ;;
    *) echo "busy.sh: PATHS: no path '$p' (the paths: $ALL_PATHS)" >&2; exit 2 ;;
    esac
done
. "$(dirname "$0")/lib.sh" --busy
need_packages python3-numpy

make -C "$BUILD" -s bench/hist_bench bench/engine_bench bench/cuts_bench bench/mlp_bench \
    bench/fisher_bench bench/corr_bench >/dev/null
cpus=$(nproc)
echo "busy: the parallel paths at $cpus threads (default) and 1, quiet and with one competitor; $(machine)"
$PY - "$WORK" <<'PY'
import sys
import numpy as np
w = sys.argv[1]
rng = np.random.default_rng(1)
rng.normal(0, 1, 1000000).tofile(w + "/values.bin")
m = 0.10566
with open(w + "/cols.bin", "wb") as f:
    for _ in range(2):
        p = rng.normal(0, 10, (3, 1000000))
        f.write(np.sqrt(m * m + (p * p).sum(0)).tobytes())
        for c in p:
            f.write(np.ascontiguousarray(c).tobytes())
PY
$PY "$BENCH_DIR/gen_csv.py" 1000000 9 "$WORK/events.csv"

val() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
wall_ms() { # wall time of a command in ms
    local t0 t1
    t0=$(now_ns)
    "$@" >/dev/null 2>&1
    t1=$(now_ns)
    awk -v d=$((t1 - t0)) 'BEGIN { printf "%.1f", d / 1e6 }'
}

want() { case " $PATHS " in *" $1 "*) return 0 ;; esac; return 1; }

# one_path T: every path's figure at OMP_NUM_THREADS=T, "name value" lines.
one_path() {
    local t=$1
    export OMP_NUM_THREADS=$t
    want hist && echo "hist $("$BUILD/bench/hist_bench" "$WORK/values.bin" 1000000 100 -4 4 21)"
    want expr && echo "expr $("$BUILD/bench/engine_bench" mass "$WORK/cols.bin" 1000000 21)"
    if want import; then
        rm -f "$WORK"/s.db*
        echo "import $(wall_ms "$HS" --threads "$t" --session "$WORK/s.db" import "$WORK/events.csv" --name ev)"
    fi
    if want cutopt || want cuts; then
        "$BUILD/bench/cuts_bench" "$WORK/cuts.csv" 3 30 >"$WORK/c.txt"
        echo "cutopt $(val "$WORK/c.txt" grid_ms)"
        echo "cuts $(val "$WORK/c.txt" reeval_ms)"
    fi
    if want train || want score; then
        "$BUILD/bench/mlp_bench" - 1 1 "$t" >"$WORK/m.txt" 2>/dev/null
        echo "train $(awk '$1 == "epoch_s_median" { printf "%.1f", $2 * 1000 }' "$WORK/m.txt")"
        echo "score $(awk '$1 == "score_all_s_median" { printf "%.1f", $2 * 1000 }' "$WORK/m.txt")"
    fi
    if want demo; then
        read -r gen _ < <("$BUILD/bench/engine_bench" sim 1 "$WORK/sim.db")
        echo "demo $gen"
    fi
    if want fisher || want fscore; then
        "$BUILD/bench/fisher_bench" - 3 >"$WORK/f.txt"
        echo "fisher $(awk '$1 == "fit_s_median" { printf "%.1f", $2 * 1000 }' "$WORK/f.txt")"
        echo "fscore $(awk '$1 == "score_all_s" { printf "%.1f", $2 * 1000 }' "$WORK/f.txt")"
    fi
    want corr && echo "corr $("$BUILD/bench/corr_bench" 20 1000000 3 | awk '$1 == "corr_ms_median" { print $2 }')"
    want corrw && echo "corrw $("$BUILD/bench/corr_bench" 1000 2000 3 | awk '$1 == "corr_ms_median" { print $2 }')"
    unset OMP_NUM_THREADS
}

# one_mode R: both thread counts, in turns (the default first in odd rounds).
one_mode() {
    if [ $(($1 % 2)) = 1 ]; then
        one_path "$cpus" | sed 's/^/d /' >>"$WORK/fig$SFX"
        one_path 1 | sed 's/^/1 /' >>"$WORK/fig$SFX"
    else
        one_path 1 | sed 's/^/1 /' >>"$WORK/fig$SFX"
        one_path "$cpus" | sed 's/^/d /' >>"$WORK/fig$SFX"
    fi
}

# Quiet and busy in turns (quiet first in odd rounds), so that a change
# of the machine's load during the run hits both modes alike.
rounds() {
    local r m
    for r in $(seq "$ROUNDS"); do
        for m in $([ $((r % 2)) = 1 ] && echo quiet busy || echo busy quiet); do
            if [ "$m" = busy ]; then
                SFX=_busy
                busy_start
            else
                SFX=
            fi
            one_mode "$r"
            busy_stop
            echo "  round $r $m done, load average $(cut -d' ' -f1-4 /proc/loadavg)"
        done
    done
    SFX=
}
load0=$(cut -d' ' -f1-3 /proc/loadavg)
rounds
load1=$(cut -d' ' -f1-3 /proc/loadavg)

med() { # med FILE COUNT PATH
    awk -v c="$2" -v p="$3" '$1 == c && $2 == p { print $3 }' "$1" | sort -g |
        awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
label() {
    case $1 in
    hist) echo "histogram, 1M values, 100 bins (ms)" ;;
    expr) echo "expression mass(...), 1M rows (ms)" ;;
    import) echo "import 1M x 9 CSV, whole process (ms)" ;;
    cutopt) echo "cut optimisation, grid of 20 (ms)" ;;
    cuts) echo "cut flow re-evaluation, 1M events (ms)" ;;
    train) echo "MLP training, one epoch of 500k (ms)" ;;
    score) echo "MLP scoring, 1M events (ms)" ;;
    demo) echo "demo generator, 3.1M events (ms)" ;;
    fisher) echo "Fisher fit, 500k events x 19 inputs (ms)" ;;
    fscore) echo "Fisher scoring, 1M events (ms)" ;;
    corr) echo "correlations, 20 columns x 1M events (ms)" ;;
    corrw) echo "correlations, 1000 columns x 2000 events (ms)" ;;
    esac
}
table() {
    echo "| path | quiet: default | quiet: 1 thread | quiet: default / 1 | busy: default | busy: 1 thread | busy: default / 1 | goal busy <= 1.10 |"
    echo "|---|---|---|---|---|---|---|---|"
    local p qd q1 bd b1
    for p in $PATHS; do
        qd=$(med "$WORK/fig" d $p)
        q1=$(med "$WORK/fig" 1 $p)
        bd=$(med "$WORK/fig_busy" d $p)
        b1=$(med "$WORK/fig_busy" 1 $p)
        awk -v l="$(label $p)" -v qd="$qd" -v q1="$q1" -v bd="$bd" -v b1="$b1" 'BEGIN {
            printf "| %s | %s | %s | %.2f | %s | %s | %.2f | %s |\n", l, qd, q1, qd / q1, bd, b1, bd / b1,
                bd <= 1.10 * b1 ? "met" : "**not met**" }'
    done
}
table | tee "$WORK/table.md"
echo "  load average before $load0, after $load1"
if [ "${APPEND:-0}" = 1 ]; then
    {
        echo
        echo "## Parallel paths, quiet and busy (bench/busy.sh), $(machine)"
        echo
        echo "Default = $cpus threads (the CPUs usable), against \`--threads 1\`; busy ="
        echo "one CPU-bound competitor (\`bash -c 'while :; do :; done'\`) running through"
        echo "the measurement.  Medians of $ROUNDS rounds, quiet and busy alternating.  Load average"
        echo "$load0 before, $load1 after."
        echo
        cat "$WORK/table.md"
    } >>"$TOP/bench/RESULTS.md"
fi

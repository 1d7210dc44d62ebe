# bench/lib.sh: shared helpers of the benchmark scripts (sourced).
#
# Each benchmark runs hepscope and its peers on the same data in one run,
# several repetitions each, and prints the median wall time and the ratio.
#
# --busy (any benchmark that measures parallel code): every figure is
# measured twice, quiet and then with one competing CPU-bound process
# started for the measurement (BUSY_CMD, default a shell loop), and
# busy_report prints the default thread count against --threads 1 in
# both, with the goal that the default is never more than 10% slower.
set -eu
BUSY=0
for _a in "$@"; do
    [ "$_a" = --busy ] && BUSY=1
done

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$BENCH_DIR/.." && pwd)
HS=${HS:-$TOP/hepscope}
BUILD=$(cd "$(dirname "$HS")" && pwd)   # the build folder, for the bench helpers
PY=/usr/bin/python3          # Debian's interpreter, with its numpy and pandas
REPS=${REPS:-5}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hsbench.XXXXXX")
BUSY_PID=
trap 'busy_stop; rm -rf "$WORK"' EXIT

# The competitor: one process that never sleeps, on its own until stopped.
busy_start() {
    [ -n "$BUSY_PID" ] && return 0
    if [ -n "${BUSY_CMD:-}" ]; then
        $BUSY_CMD &
    else
        bash -c 'while :; do :; done' &
    fi
    BUSY_PID=$!
    sleep 0.3 # let the scheduler give it its share
}
busy_stop() {
    [ -n "${BUSY_PID:-}" ] || return 0
    kill "$BUSY_PID" 2>/dev/null || true
    wait "$BUSY_PID" 2>/dev/null || true
    BUSY_PID=
}

# modes: "quiet", and "busy" too with --busy.  for_modes FUNCTION runs
# FUNCTION once per mode with SFX "" (quiet) or "_busy" (a competitor
# running), for the names of its figures.
modes() { if [ "$BUSY" = 1 ]; then echo quiet busy; else echo quiet; fi; }
IN_MODES=0
for_modes() {
    local m
    IN_MODES=1
    for m in $(modes); do
        if [ "$m" = busy ]; then
            SFX=_busy
            echo "  -- with one CPU-bound competitor running (--busy):"
            busy_start
            "$@"
            busy_stop
        else
            SFX=
            "$@"
        fi
    done
    SFX=
    IN_MODES=0
}
SFX=

# busy_report LABEL DEFAULT ONE [PEER]: the medians MEDIAN_<DEFAULT> (the
# default thread count) and MEDIAN_<ONE> (--threads 1), quiet and, with
# --busy, busy (MEDIAN_<name>_busy); the ratio default / 1 thread, and
# against PEER when given.  Goal when busy: default <= 1.10 x 1 thread.
busy_report() {
    local label=$1 d=$2 o=$3 peer=${4:-} m sfx dv ov pv verdict
    for m in $(modes); do
        sfx=; [ "$m" = busy ] && sfx=_busy
        dv=$(eval echo "\${MEDIAN_$d$sfx:-}")
        ov=$(eval echo "\${MEDIAN_$o$sfx:-}")
        [ -n "$dv" ] && [ -n "$ov" ] || continue
        verdict=""
        if [ "$m" = busy ]; then
            verdict=$(awk -v d="$dv" -v o="$ov" 'BEGIN { print (d <= 1.10 * o) ? "  goal (<= 1.10): met" : "  goal (<= 1.10): NOT met" }')
        fi
        printf '  %-22s %-5s default %9.3f %s, --threads 1 %9.3f %s, default / 1 thread %s%s\n' \
            "$label" "$m" "$dv" "${UNIT:-ms}" "$ov" "${UNIT:-ms}" "$(awk -v d="$dv" -v o="$ov" 'BEGIN { printf "%.2f", d / o }')" "$verdict"
        if [ -n "$peer" ]; then
            pv=$(eval echo "\${MEDIAN_$peer$sfx:-}")
            if [ -n "$pv" ]; then
                printf '  %-22s %-5s default vs %s: %s faster\n' "$label" "$m" "$peer" "$(ratio "$pv" "$dv")"
            fi
        fi
    done
}

need_packages() { # apt packages the peers need; installed when run as root
    local missing="" p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
        echo "missing packages: sudo apt-get install$missing" >&2
        exit 1
    fi
}

[ -x "$HS" ] || { echo "build hepscope first (make), or set HS=path" >&2; exit 1; }

now_ns() { date +%s%N; }

# _reps SETUP CMD: run SETUP then CMD, REPS times; the median of CMD's
# wall time in ms.
_reps() {
    local setup=$1 cmd=$2 i t0 t1 times=""
    for i in $(seq "$REPS"); do
        eval "$setup" >/dev/null 2>&1
        t0=$(now_ns)
        eval "$cmd" >/dev/null
        t1=$(now_ns)
        times="$times $(((t1 - t0) / 1000))"
    done
    printf '%s\n' $times | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'
}

# _record NAME MEDIAN HOW: remember MEDIAN_<NAME> and print it.
_record() {
    eval "MEDIAN_$1=$2"
    printf '  %-34s median %9.1f ms  (%s runs%s)\n' "$1" "$2" "$REPS" "$3"
}

# time_median NAME SETUP-CMD CMD: run SETUP then CMD, REPS times; print the
# median of CMD's wall time in ms and remember it as MEDIAN_<NAME>.  With
# --busy, outside for_modes, it measures again with the competitor
# running, as MEDIAN_<NAME>_busy (so every script timing a command has
# both figures).
time_median() {
    _record "$1$SFX" "$(_reps "$2" "$3")" ""
    if [ "$BUSY" = 1 ] && [ "$IN_MODES" = 0 ]; then
        busy_start
        _record "$1_busy" "$(_reps "$2" "$3")" ", one CPU-bound competitor running"
        busy_stop
    fi
}

# py_median NAME SETUP STATEMENT: a Python peer timed in a warm
# interpreter (and busy as time_median).
py_median() {
    _record "$1$SFX" "$($PY "$BENCH_DIR/py_median.py" "$REPS" "$2" "$3")" ", in-process"
    if [ "$BUSY" = 1 ] && [ "$IN_MODES" = 0 ]; then
        busy_start
        _record "$1_busy" "$($PY "$BENCH_DIR/py_median.py" "$REPS" "$2" "$3")" \
            ", in-process, one CPU-bound competitor running"
        busy_stop
    fi
}

ratio() { # ratio PEER HEPSCOPE: how many times faster hepscope is
    awk -v p="$1" -v h="$2" 'BEGIN { printf "%.1fx", p / h }'
}

machine() {
    echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB"
}

# bench/lib.sh: shared helpers of the benchmark scripts (sourced).
#
# Each benchmark runs hepscope and its peers on the same data in one run,
# several repetitions each, and prints the median wall time and the ratio.
set -eu

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$BENCH_DIR/.." && pwd)
HS=${HS:-$TOP/hepscope}
BUILD=$(cd "$(dirname "$HS")" && pwd)   # the build folder, for the bench helpers
PY=/usr/bin/python3          # Debian's interpreter, with its numpy and pandas
REPS=${REPS:-5}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hsbench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

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

# time_median NAME SETUP-CMD CMD: run SETUP then CMD, REPS times; print the
# median of CMD's wall time in ms and remember it as MEDIAN_<NAME>.
time_median() {
    local name=$1 setup=$2 cmd=$3 i t0 t1 times=""
    for i in $(seq "$REPS"); do
        eval "$setup" >/dev/null 2>&1
        t0=$(now_ns)
        eval "$cmd" >/dev/null
        t1=$(now_ns)
        times="$times $(((t1 - t0) / 1000))"
    done
    local med
    med=$(printf '%s\n' $times | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}')
    eval "MEDIAN_$name=$med"
    printf '  %-34s median %9.1f ms  (%s runs)\n' "$name" "$med" "$REPS"
}

# py_median NAME SETUP STATEMENT: a Python peer timed in a warm interpreter.
py_median() {
    local name=$1 med
    med=$($PY "$BENCH_DIR/py_median.py" "$REPS" "$2" "$3")
    eval "MEDIAN_$name=$med"
    printf '  %-34s median %9.1f ms  (%s runs, in-process)\n' "$name" "$med" "$REPS"
}

ratio() { # ratio PEER HEPSCOPE: how many times faster hepscope is
    awk -v p="$1" -v h="$2" 'BEGIN { printf "%.1fx", p / h }'
}

machine() {
    echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB"
}

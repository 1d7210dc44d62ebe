# tests/lib.sh: TAP helpers for the script tests (sourced, not run).
#
#   . "$HS_SRCDIR/tests/lib.sh"
#   ok "import prints nothing" test -z "$out"
#   is "$(hs datasets --csv | wc -l)" 2 "one dataset listed"
#   done_testing
#
# Each script gets a fresh temporary folder $T (removed at exit) and a
# session path $S inside it; hs runs the binary under test.

set -u
: "${HS_BIN:?HS_BIN must name the hepscope binary}"
: "${HS_SRCDIR:?HS_SRCDIR must name the source tree}"
T=$(mktemp -d "${TMPDIR:-/tmp}/hstest.XXXXXX")
S="$T/session.db"
export XDG_DATA_HOME="$T/xdg"
export HOME="$T/home"
mkdir -p "$HOME"
trap 'rm -rf "$T"' EXIT
_tap_n=0
_tap_failed=0

hs() { "$HS_BIN" "$@"; }

_tap_result() { # ok|not ok, description
    _tap_n=$((_tap_n + 1))
    echo "$1 $_tap_n - $2"
    [ "$1" = ok ] || _tap_failed=$((_tap_failed + 1))
}

# ok DESCRIPTION COMMAND...: passes when the command exits 0.
ok() {
    local d=$1
    shift
    if "$@" >/dev/null 2>&1; then _tap_result ok "$d"; else _tap_result "not ok" "$d"; fi
}

# is GOT WANT DESCRIPTION
is() {
    if [ "$1" = "$2" ]; then
        _tap_result ok "$3"
    else
        _tap_result "not ok" "$3"
        printf '# got:  %s\n# want: %s\n' "$1" "$2" | head -40
    fi
}

# like GOT REGEX DESCRIPTION: GOT matches the extended regex.
like() {
    if printf '%s' "$1" | grep -Eq -- "$2"; then
        _tap_result ok "$3"
    else
        _tap_result "not ok" "$3"
        printf '# got:  %s\n# want match: %s\n' "$1" "$2" | head -40
    fi
}

# exits CODE DESCRIPTION COMMAND...: the command exits with CODE.
exits() {
    local want=$1 d=$2 got
    shift 2
    "$@" >"$T/.out" 2>"$T/.err"
    got=$?
    if [ "$got" = "$want" ]; then
        _tap_result ok "$d"
    else
        _tap_result "not ok" "$d"
        printf '# exit %s, want %s; stderr: %s\n' "$got" "$want" "$(head -c 300 "$T/.err")"
    fi
}

# near A B [TOL]: passes (exit 0) when the numbers A and B are within TOL
# relative of each other (default 1e-12); for `ok "..." near "$x" "$y"`.
near() {
    awk -v a="$1" -v b="$2" -v t="${3:-1e-12}" 'BEGIN {
        d = a - b; if (d < 0) d = -d
        m = a < 0 ? -a : a; if (b > m) m = b; if (-b > m) m = -b
        exit !(d <= t * m) }'
}

# c_export_agrees FUNC NIN FILE.c INPUTS.txt SCORES.csv [rel]: compile the
# exported C function FUNC (NIN inputs) with a main that reads events from
# INPUTS.txt (NIN numbers a line), and check (two TAP results) that it
# compiles and that its values agree with the score column of SCORES.csv
# (`hepscope score`) to 1e-12 (with rel, relative to 1 + |score|: for a
# score that is not a probability).
c_export_agrees() {
    local func=$1 nin=$2 src=$3 in=$4 scores=$5 rel=${6:+1} cc=${CC:-cc}
    if ! command -v "$cc" >/dev/null 2>&1; then
        _tap_result ok "# SKIP no C compiler"
        _tap_result ok "# SKIP no C compiler"
        return
    fi
    cat >"$T/main_$func.c" <<EOF
#include <stdio.h>
#include <stdlib.h>
double $func(const double *x);
int main(void) {
    double x[$nin];
    char w[64];
    for (;;) {
        for (int i = 0; i < $nin; i++) {
            if (scanf("%63s", w) != 1) return 0;
            x[i] = strtod(w, NULL);
        }
        printf("%.17g\n", $func(x));
    }
}
EOF
    ok "the exported C compiles" "$cc" -std=c99 -O2 -o "$T/$func" "$T/main_$func.c" "$src" -lm
    "$T/$func" <"$in" >"$T/$func.txt"
    ok "the C function agrees with score (1e-12)" /usr/bin/python3 -c "
import csv, sys
a = [float(r['score']) for r in csv.DictReader(open('$scores'))]
b = [float(l) for l in open('$T/$func.txt')]
sys.exit(len(a) != len(b) or max(abs(x - y) / (1 + abs(x) * ${rel:-0}) for x, y in zip(a, b)) > 1e-12)"
}

skip_all() { echo "1..0 # SKIP $1"; exit 0; }

done_testing() { echo "1..$_tap_n"; }

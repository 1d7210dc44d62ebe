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

skip_all() { echo "1..0 # SKIP $1"; exit 0; }

done_testing() { echo "1..$_tap_n"; }

# tests/tui/lib-tmux.sh: drive the TUI in tmux (sourced after tests/lib.sh).
#
#   tui_start NAME W H [VAR=VALUE...] -- ARGS...   run hepscope ARGS in a
#                                   detached W x H pane called NAME
#   keys NAME KEY...                tmux send-keys
#   screen NAME                     the pane's text
#   wait_screen NAME ERE            poll until the text matches (10 s at most)
#   expect_screen NAME ERE DESC     a TAP result; the screen is shown on failure
#   wait_exit NAME                  poll until hepscope has exited; print its status
#
# tmux runs on a private socket in $T with an empty configuration, so the
# tests never see or touch the user's own tmux.  The status line is off
# (the pane is the whole window) and panes stay after their process exits,
# so that a test can read how it ended.  The exit status is written by the
# shell that ran hepscope to $T/NAME.exit: tmux may be slow to reap a pane's
# process, a shell is not.

TMUX_BIN=${TMUX_BIN:-$(command -v tmux || true)}
[ -n "$TMUX_BIN" ] && [ -x "$TMUX_BIN" ] || skip_all "tmux is not installed"

_tm_sock="$T/tmux.sock"
cat >"$T/tmux.conf" <<'CONF'
set -g status off
set -g remain-on-exit on
set -g escape-time 0
set -g history-limit 0
CONF
if infocmp tmux-256color >/dev/null 2>&1; then
    echo 'set -g default-terminal tmux-256color' >>"$T/tmux.conf"
else
    echo 'set -g default-terminal screen' >>"$T/tmux.conf"
fi

tm() { "$TMUX_BIN" -S "$_tm_sock" -f "$T/tmux.conf" "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$T"' EXIT

tui_start() {
    local name=$1 w=$2 h=$3 envs="" cmd
    shift 3
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        envs="$envs '$1'"
        shift
    done
    [ $# -gt 0 ] && shift
    cmd="env LC_ALL=C.UTF-8 HOME='$HOME' XDG_DATA_HOME='$XDG_DATA_HOME'$envs '$HS_BIN'"
    for a in "$@"; do cmd="$cmd '$a'"; done
    rm -f "$T/$name.exit"
    tm new-session -d -s "$name" -x "$w" -y "$h" "$cmd; echo \$? >'$T/$name.exit'"
}

keys() {
    local name=$1
    shift
    tm send-keys -t "$name" "$@"
}

screen() { tm capture-pane -p -t "$1" 2>/dev/null; }

# wait_screen SESSION REGEX [TRIES]: poll every 0.05 s (200 tries, 10 s).
wait_screen() {
    local i=0
    while [ $i -lt "${3:-200}" ]; do
        if screen "$1" | grep -Eq -- "$2"; then
            return 0
        fi
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

# Training takes longer than a redraw (the sanitizer build is slow):
# wait_long and expect_long poll for up to two minutes.
wait_long() { wait_screen "$1" "$2" 2400; }

expect_long() {
    if wait_long "$1" "$2"; then
        _tap_result ok "$3"
    else
        _tap_result "not ok" "$3"
        echo "# no match for: $2"
        _show_screen "$1"
    fi
}

# Poll until the screen no longer matches.
wait_gone() {
    local i=0
    while [ $i -lt 200 ]; do
        if ! screen "$1" | grep -Eq -- "$2"; then
            return 0
        fi
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

_show_screen() {
    screen "$1" | sed 's/^/#   |/' | head -60
}

expect_screen() {
    if wait_screen "$1" "$2"; then
        _tap_result ok "$3"
    else
        _tap_result "not ok" "$3"
        echo "# no match for: $2"
        _show_screen "$1"
    fi
}

expect_gone() {
    if wait_gone "$1" "$2"; then
        _tap_result ok "$3"
    else
        _tap_result "not ok" "$3"
        echo "# still there: $2"
        _show_screen "$1"
    fi
}

# A pane format variable, e.g. pane_height.
pane() { tm display-message -p -t "$1" "#{$2}" 2>/dev/null; }

wait_exit() {
    local i=0
    while [ $i -lt 200 ]; do
        if [ -s "$T/$1.exit" ]; then
            cat "$T/$1.exit"
            return 0
        fi
        sleep 0.05
        i=$((i + 1))
    done
    echo "still running"
    return 1
}

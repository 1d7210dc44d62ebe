#!/bin/bash
# bench/tui.sh: the TUI's start on the demo at 1,000,000 events (100,000
# signal, 900,000 background: 13 columns, 6 derived features) with two
# stored models.
#
#   in process  bench/tui_bench SESSION REPS first: from the session open
#               to the first frame at 80x24 and at 200x60 (the data view),
#               and to the first frame of the histogram view; with the
#               columns of the dataset read by then.
#   process     `hepscope` started in a tmux pane of 80x24 and `q` typed
#               at once: start, session, first screen, the key, exit
#               (tmux's own start included).
#
# No peer: to compare with an earlier build, HS=/its/hepscope bench/tui.sh
# (its bench/tui_bench beside it).
REPS=${REPS:-5}
. "$(dirname "$0")/lib.sh"
need_packages tmux

make -C "$BUILD" -s hepscope bench/tui_bench >/dev/null 2>&1 || true
S=$WORK/demo.db
echo "tui: the demo at 1,000,000 events, two models; $(machine); load $(cut -d' ' -f1-3 /proc/loadavg)"
"$HS" --session "$S" demo --n-signal 100000 --n-background 900000 >/dev/null
"$HS" --session "$S" train fish --method fisher >/dev/null
"$HS" --session "$S" --threads 1 train nn --layers 16 --epochs 2 >/dev/null

"$BUILD/bench/tui_bench" "$S" "$REPS" first | sed 's/^/  /'

TMUX_SOCK=$WORK/tmux.sock
tui_start_quit() {
    local out=$WORK/tui.exit
    rm -f "$out"
    SHELL=/bin/bash tmux -S "$TMUX_SOCK" -f /dev/null new-session -d -x 80 -y 24 \
        "'$HS' --session '$S'; echo \$? >'$out'"
    tmux -S "$TMUX_SOCK" send-keys q
    while [ ! -s "$out" ]; do sleep 0.005; done
}
time_median tui_start_to_quit_80x24 ":" tui_start_quit
tmux -S "$TMUX_SOCK" kill-server >/dev/null 2>&1 || true

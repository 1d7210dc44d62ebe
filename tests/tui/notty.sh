#!/bin/sh
# Without a terminal the TUI refuses with a clear message and exit 1.
. "$HS_SRCDIR/tests/lib.sh"

msg='^hepscope: the TUI needs a terminal \(stdin and stdout must be a tty\); use the batch commands, see hepscope --help$'

# As the issue puts it: hepscope </dev/null | cat
"$HS_BIN" --session "$S" </dev/null 2>"$T/err" | cat >"$T/out"
is "$(cat "$T/out")" "" "piped: nothing on stdout"
like "$(cat "$T/err")" "$msg" "piped: the message says why and what to do"
is "$(wc -l <"$T/err")" 1 "piped: one line on stderr"
exits 1 "exit 1 when stdin and stdout are not terminals" \
    sh -c '"$0" --session "$1" </dev/null' "$HS_BIN" "$S"
exits 1 "exit 1 when stdout is not a terminal" sh -c '"$0" --session "$1" >/dev/null' "$HS_BIN" "$S"
ok "no session file is created for a refused TUI" test ! -e "$S"

# `hepscope FILE` imports for the TUI: refused first, nothing stored.
printf 'a,b,Truth\n1,2,1\n3,4,0\n' >"$T/x.csv"
exits 1 "hepscope FILE without a terminal" sh -c '"$0" --session "$1" "$2" </dev/null' \
    "$HS_BIN" "$S" "$T/x.csv"
like "$(cat "$T/.err")" "$msg" "FILE: the same message"
ok "FILE: nothing imported, no session file" test ! -e "$S"
exits 1 "hepscope FILE with TERM=dumb" sh -c 'TERM=dumb "$0" --session "$1" "$2" </dev/null' \
    "$HS_BIN" "$S" "$T/x.csv"
ok "TERM=dumb: no session file" test ! -e "$S"
done_testing

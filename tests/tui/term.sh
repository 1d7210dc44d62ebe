#!/bin/sh
# A terminal that cannot draw the TUI is refused before the session is
# opened, with a message naming the terminal type (issue 12); in the TUI,
# ':import' of the terminal itself is refused instead of blocking.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

# script(1) gives hepscope a pseudo-terminal and copies what it writes;
# the refusal comes before curses, so the output is the message alone.
SCRIPT_BIN=$(command -v script || true)
for term in dumb "" no-such-terminal-type; do
    case $term in
    dumb) why="that terminal cannot move the cursor" ;;
    "") why="TERM is not set" ;;
    *) why="the terminfo database does not know that terminal type" ;;
    esac
    if [ -z "$SCRIPT_BIN" ]; then
        _tap_result ok "TERM='$term' refused # SKIP no script(1)"
        continue
    fi
    "$SCRIPT_BIN" -qec "env TERM='$term' '$HS_BIN' --session '$S'" /dev/null </dev/null >"$T/term.out" 2>&1
    is "$?" 1 "TERM='$term': exit 1"
    is "$(tr -d '\r' <"$T/term.out")" "hepscope: cannot start the terminal interface for TERM='$term': $why; set TERM (e.g. xterm-256color) or use the batch commands" \
        "TERM='$term': the message names the type and says why"
    ok "TERM='$term': no session file is created" test ! -e "$S"
done

printf 'a,b\n1,2\n' >"$T/small.csv"
ok "import a dataset with the CLI" hs --session "$S" import "$T/small.csv"
tui_start main 100 30 -- --session "$S"
wait_screen main 'row 1 of 1'
for what in /dev/stdin /dev/tty -; do
    keys main ':' "import $what --name x" Enter
    if [ "$what" = - ]; then
        expect_screen main "import: standard input is the terminal in the TUI: give a file" \
            ":import - is refused at once"
    else
        expect_screen main "import: '$what' is a terminal, which the TUI reads its keys from" \
            ":import $what is refused at once"
    fi
    keys main Escape
done
keys main ':' "import $T/small.csv --name y" Enter
expect_screen main "imported 'y'" "the TUI still imports a file afterwards"
keys main q
is "$(wait_exit main)" 0 "the TUI quits normally"
done_testing

#!/bin/sh
# The TUI driven in a real pseudo-terminal (tmux): the data view shows an
# imported dataset, keys scroll it, '?' lists the keys, ':' runs commands,
# resizing keeps the status bar, NO_COLOR turns colours off, q quits.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

# 500 events: energy 2.5, 4.5, ...; pz -0.25, -0.5, ...; every third is HNL
# and signal.  Row i (1-based) is thus known here without hepscope.
awk 'BEGIN { print "energy,pz,kind,Truth";
             for (i = 1; i <= 500; i++)
                 printf "%d.5,%g,%s,%d\n", 2 * i, -i / 4, (i % 3 ? "muon" : "HNL"), (i % 3 == 0) }' \
    >"$T/events.csv"
ok "import the fixture with the CLI" hs --session "$S" import "$T/events.csv" --label Truth

tui_start main 100 30 -- --session "$S"
expect_screen main 'energy +pz +kind +Truth' "the data view shows the column names"
expect_screen main '^ +1 B +2\.5 +-0\.25 +muon +0 *$' "the first row is shown"
expect_screen main '^ +3 S +6\.5 +-0\.75 +HNL +1 *$' "the third row (signal) is shown"
expect_screen main 'events +500 x 4' "the title bar names the dataset and its size"
expect_screen main 'row 1 of 500' "the status bar gives the position"

# 30 lines: title, header, 27 rows, status: a page is 27 rows.
first_row() { screen main | sed -n 3p | awk '{ print $1 }'; }
keys main NPage
wait_screen main '^ +28 ' >/dev/null
is "$(first_row)" 28 "PgDn scrolls one page: the first row is 28"
keys main NPage
wait_screen main '^ +55 ' >/dev/null
is "$(first_row)" 55 "PgDn again: 55"
keys main PPage
wait_screen main '^ +28 ' >/dev/null
is "$(first_row)" 28 "PgUp goes back"
keys main G
expect_screen main '^ *500 [SB] +1000\.5 +-125 ' "G goes to the last row"
keys main g
wait_screen main '^ +1 B' >/dev/null
is "$(first_row)" 1 "g goes back to the first row"
keys main Right Right
expect_screen main 'row 1 of 500 +kind' "Right moves to the next column"

keys main '?'
expect_screen main 'Everywhere' "? opens the key list"
expect_screen main '│ +q +quit +│' "the key list has q: quit"
expect_screen main 'PgDn' "the key list names the paging keys"
keys main Escape
expect_gone main 'Everywhere' "Esc closes the key list"

keys main 2
expect_screen main 'column +class +n +min +max +mean +sd' "2 shows the statistics view"
# energy for signal: i = 3, 6, ..., 498, energy = 2i + 0.5: min 6.5, max 996.5
expect_screen main '^energy +signal +166 +6\.5 +996\.5 +501\.5 ' "signal statistics of energy"
expect_screen main '^ +background +334 +2\.5 +1000\.5 +501\.5 ' "background statistics of energy"
keys main 3
expect_screen main '^\* events +500 +4 +166 +334' "3 shows the datasets view"
keys main 1
expect_screen main 'energy +pz +kind +Truth' "1 goes back to the data view"

keys main ':'
keys main 'datasets' Enter
expect_screen main 'name +rows +columns +labelled' ":datasets shows its output"
expect_screen main 'events +500 +4 +yes' ":datasets output lists the dataset"
keys main Escape
expect_gone main 'labelled' "Esc closes the output"
keys main ':' 'frobnicate' Enter
expect_screen main "unknown command 'frobnicate'" "a bad command shows an error in the status line"
keys main ':' Up
expect_screen main '^:frobnicate' "Up in the : line recalls the last command"
keys main Escape
expect_screen main 'q quit' "Esc leaves the : line"

tm resize-window -t main -x 80 -y 24
expect_screen main 'row 1 of 500 .*q quit *$' "at 80x24 the status bar is shown"
is "$(screen main | wc -l)" 24 "at 80x24 the screen has 24 lines"
expect_screen main 'energy +pz +kind +Truth' "at 80x24 the columns are shown"
tm resize-window -t main -x 60 -y 20
expect_screen main 'q quit *$' "at 60x20 the status bar is shown"
is "$(screen main | sed -n 20p | grep -c 'q quit')" 1 "at 60x20 it is the last line"
keys main NPage
wait_screen main '^ +18 ' >/dev/null
is "$(first_row)" 18 "at 60x20 a page is 17 rows"
tm resize-window -t main -x 30 -y 8
expect_screen main 'terminal too small' "below the minimum the TUI says so"
tm resize-window -t main -x 100 -y 30
expect_screen main 'energy +pz +kind +Truth' "growing again redraws the view"

keys main q
is "$(wait_exit main)" 0 "q quits, exit status 0"

# Colours: present normally, absent under NO_COLOR.
tui_start color 100 30 -- --session "$S"
wait_screen color 'energy' >/dev/null
like "$(tm capture-pane -e -p -t color)" '\[([0-9;]*;)?(3[0-7]|38;5;[0-9]+)(;[0-9]+)*m' \
    "colours are used on a colour terminal"
keys color 5
wait_screen color 'Events / ' >/dev/null
nplus=$(tm capture-pane -p -t color | sed -n '5,26p' | tr -cd '+' | wc -c)
is "$nplus" 1 "with colours the signal's glyph is in the legend only"
keys color q
wait_exit color >/dev/null
tui_start nocolor 100 30 NO_COLOR=1 -- --session "$S"
wait_screen nocolor 'energy' >/dev/null
nc=$(tm capture-pane -e -p -t nocolor)
if printf '%s' "$nc" | grep -Eq '\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)(;[0-9]+)*m'; then
    _tap_result "not ok" "NO_COLOR=1: no colours"
else
    _tap_result ok "NO_COLOR=1: no colours"
fi
expect_screen nocolor 'energy +pz +kind +Truth' "NO_COLOR=1: the data view is shown"
# Without colours a figure tells its series apart by glyph: the signal's
# '+' stands along its outline, not only in the legend (as with colours).
keys nocolor 5
wait_screen nocolor 'Events / ' >/dev/null
nplus=$(screen nocolor | sed -n '5,26p' | tr -cd '+' | wc -c)
ok "NO_COLOR=1: the signal's glyph along its curve ($nplus)" test "$nplus" -ge 3
keys nocolor 1
keys nocolor q
is "$(wait_exit nocolor)" 0 "q quits under NO_COLOR"

# An empty session: the TUI says how to import; importing from the : line
# shows the new dataset.
tui_start empty 80 24 -- --session "$T/empty.db"
expect_screen empty 'no datasets yet' "an empty session says so"
expect_screen empty ':import FILE.csv' "and how to import from the : line"
expect_screen empty 'hepscope import FILE.csv' "and from the shell"
keys empty ':' "import $T/events.csv --label Truth" Enter
expect_screen empty 'energy +pz +kind +Truth' "a : import shows the new dataset"
keys empty 3
expect_screen empty '^\* events +500' "the datasets view lists it"
keys empty q
is "$(wait_exit empty)" 0 "the TUI on a new session quits with 0"

# `hepscope FILE.csv` imports into the session and shows that file, even
# when the session holds another dataset that sorts first.
printf 'x,y\n1,2\n' >"$T/aaa.csv"
ok "import a second dataset" hs --session "$T/default.db" import "$T/aaa.csv"
tui_start file 80 24 -- "$T/events.csv" --session "$T/default.db"
expect_screen file 'energy +pz +kind +Truth' "hepscope FILE.csv opens the TUI on the file"
keys file ']'
expect_screen file '^ *# +x +y *$' "] shows the next dataset"
keys file q
is "$(wait_exit file)" 0 "and quits with 0"

# stdin not a terminal but stdout one: still refused, with the message.
tm new-session -d -s notty -x 100 -y 10 \
    "env LC_ALL=C.UTF-8 '$HS_BIN' --session '$S' </dev/null 2>'$T/notty.err'; echo \$? >'$T/notty.exit'"
is "$(wait_exit notty)" 1 "stdin from /dev/null, stdout a terminal: exit 1"
like "$(cat "$T/notty.err")" 'the TUI needs a terminal' "stdin from /dev/null: the message says why"

done_testing

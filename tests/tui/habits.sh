#!/bin/sh
# Terminal habits in a real pseudo-terminal (tmux): '?' lists the view's
# keys first; ] and [ change the dataset in the view shown, at the same
# place; the ':' line completes with Tab (commands, verbs, options, names
# of the session) and keeps its history in the session across two runs;
# the data view searches (/ n N), shows a selection (w), sorts by a column
# (s, stable) and counts a column's values (F); a click on a histogram of
# the cuts view sets a cut rounded to the decimal the click can mean.
# Every expected number is worked out here from the fixture's formulas.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

# Row i (1-based): energy 2i + 0.5, pz -i/4, kind HNL when i % 3 == 0
# (then signal) else muon.
awk 'BEGIN { print "energy,pz,kind,Truth";
             for (i = 1; i <= 500; i++)
                 printf "%d.5,%g,%s,%d\n", 2 * i, -i / 4, (i % 3 ? "muon" : "HNL"), (i % 3 == 0) }' \
    >"$T/events.csv"
# A second dataset: 300 rows, energy 3i, kind HNL when i is even.
awk 'BEGIN { print "energy,pz,kind,Truth";
             for (i = 1; i <= 300; i++)
                 printf "%d,%g,%s,%d\n", 3 * i, i / 10, (i % 2 ? "muon" : "HNL"), (i % 2 == 0) }' \
    >"$T/other.csv"
ok "import the fixture" hs --session "$S" import "$T/events.csv" --label Truth
ok "import a second dataset" hs --session "$S" import "$T/other.csv" --label Truth
ok "a stored cut set to complete" hs --session "$S" cut set mycuts 'pz < -10' --dataset events

cd "$T" || exit 1
tui_start main 100 30 -- --session "$S" --dataset events
expect_screen main 'energy +pz +kind +Truth' "the data view shows the fixture"
expect_screen main 'events +500 x 4' "dataset events is shown"

# ---- ? lists the view's keys first
nth() { screen main | grep -nE -- "$1" | head -1 | cut -d: -f1; }
keys main 2 '?'
expect_screen main 'Statistics view \(2\)' "? in the statistics view opens the key list"
s=$(nth '│ *Statistics view \(2\)'); g=$(nth '│ *Everywhere')
ok "its keys come first (line $s), then the global ones (line $g)" test "$s" -lt "$g"
is "$s" 3 "the statistics view's heading is the list's first line (under the frame)"
keys main Escape 5 '?'
expect_screen main '│ *Histogram view \(5\)' "in the histogram view, its keys"
is "$(nth '│ *Histogram view \(5\)')" 3 "come first"
keys main Escape 1

# ---- ] and [ keep the view and its place
keys main : 'move down 39' Enter Right Right
expect_screen main 'row 40 of 500 +kind = muon' "row 40, column kind of events"
keys main ']'
expect_screen main 'other +300 x 4' "] shows the next dataset"
expect_screen main 'row 40 of 300 +kind = HNL' "in the data view, at row 40 and column kind"
keys main '['
expect_screen main 'events +500 x 4' "[ goes back"
expect_screen main 'row 40 of 500 +kind = muon' "still at row 40, column kind"
keys main 2 j j
expect_screen main 'column 3 of [0-9]+ +kind' "the statistics view on its third column"
keys main ']'
expect_screen main 'other +300 x 4' "] in the statistics view"
expect_screen main 'column 3 of [0-9]+ +kind' "stays in it, on the same column"
keys main '[' 1

# ---- Tab completes
# (A word typed after each Tab shows the space it added: the pane's text
# loses trailing blanks.)
keys main :
# typed | the line after Tab and an x | what it shows
while IFS='|' read -r typed want what; do
    keys main C-u "$typed" Tab x
    expect_screen main "^:$want x\$" "$what"
done <<'TABS'
plo|plot|Tab completes a command name and adds a space
cut o|cut optimise|a family's verb
cut optimise --ta|cut optimise --target|an option from the command's table
plot hist --ses|plot hist --session|a global option
plot hist en|plot hist energy|a feature of the dataset shown
features --cut my|features --cut mycuts|a cut set after --cut
data-sort d|data-sort desc|a literal word of the usage ([asc|desc|none])
TABS
keys main C-u 'cut ' Tab 'x'
expect_screen main '^:cut x$' "ambiguous: the first Tab adds nothing"
keys main BSpace Tab Tab
expect_screen main 'drop +export +flow +list +optimise +set +show' "a second Tab lists the verbs"
keys main Escape

# ---- history, kept in the session
keys main : 'info' Enter
expect_screen main 'dataset|events' ":info runs"
keys main Escape : 'find 10.5' Enter
keys main q
is "$(wait_exit main)" 0 "q quits"
tui_start again 100 30 -- --session "$S" --dataset events
wait_screen again 'row 1 of' >/dev/null
keys again : Up
expect_screen again '^:find 10\.5 *$' "the next run recalls the last line with Up"
keys again Up
expect_screen again '^:info *$' "and the one before"
keys again Down Down
expect_screen again '^: *$' "Down comes back to a new line"
keys again Escape q
is "$(wait_exit again)" 0 "q quits the second run"
ok "the history is in the session's table, not its journal" \
    sh -c "! hs --session '$S' journal | grep -q 'find 10.5'"

# ---- the data view: search, selection, sort, frequencies
tui_start data 100 30 -- --session "$S" --dataset events
wait_screen data 'row 1 of' >/dev/null
keys data Right Right / HNL Enter
expect_screen data 'row 3 of 500 \(event 3\): kind = HNL' "/HNL finds row 3"
keys data n
expect_screen data 'row 6 of 500 \(event 6\): kind = HNL' "n: the next, row 6"
keys data N
expect_screen data 'row 3 of 500 \(event 3\): kind = HNL' "N: back to row 3"
keys data ^ / '100.5' Enter
expect_screen data 'row 50 of 500 \(event 50\): energy = 100\.5' "/100.5 finds energy 2*50 + 0.5"
keys data / 'xyz' Enter
expect_screen data "'xyz' is not in column 'energy'" "a value not there says so"

keys data w 'pz < -100' Enter
expect_screen data 'selection: pz < -100 \(100 of 500 events\)' \
    "w types :where; pz = -i/4 < -100 keeps rows 401 to 500"
expect_screen data '^ *401 [SB] +802\.5 ' "the data view shows the selected rows from 401"
keys data g
expect_screen data 'row 1 of 100 .*where pz < -100: 100 of 500' "and counts them"

keys data s
expect_screen data 'sorted by energy, ascending' "s sorts by the current column"
keys data s
expect_screen data 'sorted by energy, descending' "s again: descending"
keys data ^
expect_screen data 'row 100 of 100 by energy desc' "the cursor stays on its event (401), now the last"
keys data g
expect_screen data '^ *500 [SB] +1000\.5 +-125 ' "the highest energy first"
keys data : where Enter
expect_screen data 'selection cleared' ":where alone clears the selection"
expect_screen data '^ *500 [SB] +1000\.5 ' "every row, still sorted by energy"
keys data Right Right s
expect_screen data 'sorted by kind, ascending' "sort by kind"
keys data g
expect_screen data 'row 1 of 500 by kind asc' "the status line says so"
# Stable: the HNL rows (3, 6, 9, ...) first, in their order.
first_rows=$(screen data | sed -n '3,7p' | awk '{ print $1 }' | tr '\n' ' ')
is "$first_rows" "3 6 9 12 15 " "equal values keep their order (stable)"
keys data u
expect_screen data 'in the events. order' "u: the events' order again"

keys data F
expect_screen data 'frequencies of kind' "F opens the frequency table of kind"
expect_screen data '│ *HNL +166 +33\.20%' "HNL: 166 of 500 (i % 3 == 0)"
expect_screen data '│ *muon +334 +66\.80%' "muon: 334 of 500"
expect_screen data '│ *value +count +percent +signal +background' "a labelled dataset: counts per class"
expect_screen data '│ *HNL +166 +33\.20% +166 +0 ' "every HNL event is signal"
expect_screen data '│ *muon +334 +66\.80% +0 +334 ' "every muon event background"
expect_screen data '│ *total +500 +100\.00% +166 +334' "the total row sums the classes"
keys data Escape ^ F
# 500 values: about 20 bins of a round width (50), from 0.
n0=$(awk -F, 'NR > 1 && $1 < 50' "$T/events.csv" | wc -l | tr -d ' ')
n1=$(awk -F, 'NR > 1 && $1 >= 50 && $1 < 100' "$T/events.csv" | wc -l | tr -d ' ')
expect_screen data "│ *\\[0, 50\\) +$n0 +4\\.80%" "energy in bins: [0, 50) holds $n0"
s0=$(awk -F, 'NR > 1 && $1 < 50 && $4 == 1' "$T/events.csv" | wc -l | tr -d ' ')
expect_screen data "│ *\\[0, 50\\) +$n0 +4\\.80% +$s0 +$((n0 - s0)) " \
    "[0, 50): $s0 signal, $((n0 - s0)) background"
expect_screen data "│ *\\[50, 100\\) +$n1 +5\\.00%" "[50, 100) holds $n1"
keys data Escape q
is "$(wait_exit data)" 0 "q quits"

# ---- a click on a histogram of the cuts view: a round cut
# A long expression cut: its label in the flow is whole when there is room.
long='energy + 2 * pz > 100 && energy - 4 * pz < 1400'
ok "a cut set with a long expression" hs --session "$S" cut set cuts "$long" --dataset events
tui_start cuts 160 30 -- --session "$S" --dataset events
wait_screen cuts 'row 1 of' >/dev/null
keys cuts 6
expect_screen cuts 'Cut flow' "6 shows the cuts view"
expect_screen cuts "│ +1 \\(energy \\+ 2 \\* pz > 100 && energy - 4 \\* pz < 1400\\) +[0-9]+ +[0-9]+ " \\
    "the flow shows the long cut's label whole"
# The energy row (1-based line) and the first column of its histogram
# (under the header's "signal / background").
y=$(screen cuts | grep -nE '^ energy ' | cut -d: -f1)
x=$(screen cuts | awk '/^ feature +lower +upper/ { print index($0, "signal /"); exit }')
ok "the energy row is on the screen (line $y, histogram at column $x)" test "$y" -gt 0 -a "$x" -gt 20
# An X10 mouse press: ESC [ M, then the button, column and row (1-based),
# each plus 32; six cells into the histogram.
tm send-keys -t cuts -l "$(awk -v c=$((32 + x + 6)) -v r=$((32 + y)) \
    'BEGIN { printf "\033[M %c%c", c, r }')"
expect_screen cuts '^ energy (>=|<) [-0-9.]+: signal eff' "the click sets a cut on energy"
cut=$(screen cuts | sed -n 's/^ energy [<>=]* \([-0-9.e+]*\): signal eff.*/\1/p' | tail -1)
like "$cut" '^[0-9]+$' "energy spans 1000 in some 30 cells: the cut is a whole number ($cut)"
ok "inside energy's range" awk -v c="$cut" 'BEGIN { exit !(c > 2 && c < 1001) }'
keys cuts q
is "$(wait_exit cuts)" 0 "q quits, storing the cut set"
like "$(hs --session "$S" cut show cuts --dataset events)" "energy (>=|<) $cut\$" \
    "the rounded value is what is stored"

done_testing

#!/bin/sh
# The histogram view in a real pseudo-terminal (tmux): 5 shows the first
# enabled feature's distribution in braille with its axes; Right changes
# the feature; l puts decade ticks on the y axis; s saves a PNG in the
# current folder, its path in the status line; g shows every enabled
# feature; it still draws at 60x20; q quits.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

ok "a small demo session" hs --session "$S" demo --n-signal 500 --n-background 5000 --seed 3

# The PNG goes to the current folder: make that the test's own.
cd "$T" || exit 1
tui_start main 80 24 -- --session "$S"
wait_screen main 'row 1 of' >/dev/null
keys main 5
expect_screen main ' 5 hist ' "5 shows the histogram view"
expect_screen main '^ [A-Za-z_][A-Za-z0-9_]*  \(1 of [0-9]+\)  [0-9]+ bins' \
    "its header names the first enabled feature"
first=$(screen main | sed -n 2p | awk '{ print $1 }')
like "$(screen main)" "(⣿|⣀|⣤|⣶)" "the histogram is drawn in braille"
like "$(screen main)" "[0-9]+┤" "with y axis ticks"
like "$(screen main)" "└[─┬]+" "and an x axis"
like "$(screen main)" "background" "and a legend"
like "$(screen main)" "E_mu_plus \\[GeV\\]" "the x axis with the demo's unit"
like "$(screen main)" "Events / [0-9.]+ GeV" "the y axis with the bin width and unit"
keys main : 'feature unit E_mu_plus TeV' Enter
keys main 5
expect_screen main "E_mu_plus \\[TeV\\]" "a unit set at ':' shows at once"
keys main : 'feature unit E_mu_plus GeV' Enter
keys main 5
expect_screen main "E_mu_plus \\[GeV\\]" "and set back"

keys main Right
expect_screen main '^ [A-Za-z_][A-Za-z0-9_]*  \(2 of [0-9]+\)' "Right moves to the second feature"
second=$(screen main | sed -n 2p | awk '{ print $1 }')
ok "Right changes the feature name ($first -> $second)" test "$second" != "$first"

keys main L
expect_screen main '10\^[0-9-]+┤' "L shows log ticks (10^...)"
expect_screen main 'log y' "and says so"

keys main p
png="hepscope-demo-$second.png"
expect_screen main "saved $png" "p saves the figure, its path in the status line"
wait_file() { i=0; while [ $i -lt 100 ] && [ ! -s "$1" ]; do sleep 0.05; i=$((i + 1)); done; }
wait_file "$T/$png"
ok "the PNG exists" test -s "$T/$png"
is "$(head -c 8 "$T/$png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a" "and is a PNG"
like "$(tr -c '[:print:]' '\n' <"$T/$png" | grep -a 'plot hist')" \
    "hepscope --dataset demo plot hist $second --bins [0-9]+ --range [0-9.e+-]+:[0-9.e+-]+ --log -o $png" \
    "its recorded command is the equivalent plot hist"

keys main '#'
expect_screen main 'all [0-9]+ enabled features' "# shows the grid"
nnames=$(screen main | grep -Eo "$first|$second|E_mu_plus|E_mu_minus|p_mu_plus_x|vx|vy|vz" | sort -u | wc -l)
ok "the grid shows several feature names ($nnames)" test "$nnames" -ge 3
keys main p
expect_screen main "saved hepscope-demo-grid.png" "p in the grid saves the whole grid"
wait_file "$T/hepscope-demo-grid.png"
is "$(head -c 8 "$T/hepscope-demo-grid.png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a" "a PNG"
like "$(tr -c '[:print:]' '\n' <"$T/hepscope-demo-grid.png" | grep -a 'plot grid')" \
    "hepscope --dataset demo plot grid -o hepscope-demo-grid.png" "recorded as plot grid"
keys main '#'

tm resize-window -t main -x 60 -y 20
expect_screen main '^ [A-Za-z_][A-Za-z0-9_]*  \(2 of [0-9]+\)' "at 60x20 the view is drawn"
expect_screen main 'q quit *$' "with the status bar"
tm resize-window -t main -x 80 -y 24

keys main q
is "$(wait_exit main)" 0 "q quits, exit status 0"

done_testing

#!/bin/sh
# The ROC view in a real pseudo-terminal (tmux): 7 shows every cut set of
# the dataset on one plot with a table beside it (an optimiser grid as a
# curve with its AUC and background at 95% signal efficiency, the same as
# `hepscope roc` prints; a cut set as a point); a cut set made in the cuts
# view appears when 7 is pressed again; the grid's AUC is above 0.98, so
# the view starts on the log rejection factor and says the curves chose
# it; l switches to the linear rejection; s saves the figure as a PNG
# recording the equivalent roc line.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

ok "a demo session" hs --session "$S" demo --n-signal 2000 --n-background 20000 --seed 5
ok "an optimiser grid from the CLI" hs --session "$S" cut optimise --grid --name grid
ok "a hand-made cut set from the CLI" hs --session "$S" cut set loose --range doca::0.02

cd "$T" || exit 1
tui_start main 130 40 -- --session "$S"
wait_screen main 'row 1 of' >/dev/null
keys main 7
expect_screen main ' 7 roc ' "7 shows the ROC view"
expect_screen main "ROC curves of the cut sets of 'demo' on the test part" "its header"
expect_screen main 'name +kind +AUC' "a table beside the plot"
want=$(hs --session "$S" roc grid loose --table-csv)
gauc=$(echo "$want" | grep '^grid,' | cut -d, -f2)
gb95=$(echo "$want" | grep '^grid,' | cut -d, -f3)
row=$(screen main | grep -Eo 'grid +grid +[0-9.]+ +[0-9.e-]+')
like "$row" '^grid +grid +0\.9[0-9]* ' "the grid is a curve with an AUC ($row)"
ok "its AUC is the CLI's to 4 digits ($gauc)" \
    awk -v a="$(echo "$row" | awk '{ print $3 }')" -v b="$gauc" \
    'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.00051 * b) }'
ok "its background at 95% is the CLI's to 4 digits ($gb95)" \
    awk -v a="$(echo "$row" | awk '{ print $4 }')" -v b="$gb95" \
    'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.00051 * b + 1e-12) }'
expect_screen main 'loose +cuts +- +S [0-9.]+ +B [0-9.e-]+' "a cut set is a point: its efficiencies"
like "$(screen main)" "(⠉|⠑|⠢|⢄|⡇|⢸)" "the curves are drawn in braille"
like "$(screen main)" "signal efficiency" "against the signal efficiency"
like "$(screen main)" "rejection" "with the rejection on the y axis"

# A set made in the cuts view shows up when the view is entered again.
keys main 6
expect_screen main 'Cut flow on test' "6 shows the cuts view"
keys main ':' 'cuts-bound ip upper 5' Enter
expect_screen main "\(saved in the session\)" "a cut set made there is saved"
keys main 7
expect_screen main 'cuts +cuts +- +S [0-9.]+ +B [0-9.e-]+' "7 shows it too"

ok "the grid's AUC is above 0.98 ($gauc)" awk -v a="$gauc" 'BEGIN { exit !(a > 0.98) }'
expect_screen main "log rejection view chosen: every AUC > 0.98" "the figure says the curves chose the view"
expect_screen main 'log 1/B, chosen by the curves \(L: linear\)' "so does the line under the table"
expect_screen main '10\^?[0-9]|1e\+?0?[0-9]|100|1000' "with a log axis"
keys main L
expect_screen main 'rejection 1 - B \(L: log rejection factor\)' "L switches to the linear rejection"
expect_screen main 'background rejection 1 - bkg eff' "its axis"
keys main p
png="hepscope-demo-roc.png"
expect_screen main "saved $png" "p saves the figure, its path in the status line"
i=0; while [ $i -lt 100 ] && [ ! -s "$T/$png" ]; do sleep 0.05; i=$((i + 1)); done
ok "the PNG exists" test -s "$T/$png"
is "$(head -c 8 "$T/$png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a" "and is a PNG"
like "$(tr -c '[:print:]' '\n' <"$T/$png" | grep -a 'roc')" \
    "hepscope --dataset demo roc cuts grid loose --linear -o $png" \
    "its recorded command is the equivalent roc line"
keys main ':' 'roc-save roc.svg' Enter
expect_screen main "saved roc.svg" ":roc-save FILE.svg saves an SVG"
i=0; while [ $i -lt 100 ] && [ ! -s "$T/roc.svg" ]; do sleep 0.05; i=$((i + 1)); done
like "$(head -c 300 "$T/roc.svg")" "<svg" "an SVG file"

keys main q
is "$(wait_exit main)" 0 "q quits, exit status 0"

done_testing

#!/bin/sh
# The ROC view's importance bars (tmux): with a model selected in the
# table, the importance of its inputs under the table, ranked as
# `hepscope importance NAME` ranks them, with the same values (3 digits);
# moving to another model shows its own.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

F=m_mumu,doca,ip,pt_frac
ok "a demo session" hs --session "$S" demo --n-signal 1500 --n-background 6000 --seed 4
ok "a Fisher model" hs --session "$S" train fish --method fisher --features "$F"
ok "a network" hs --session "$S" train net --layers 8 --epochs 2 --features "$F"
fcsv=$(hs --session "$S" importance fish --csv)
ncsv=$(hs --session "$S" importance net --csv)

cd "$T" || exit 1
tui_start main 140 44 -- --session "$S"
wait_screen main 'row 1 of' >/dev/null
keys main 7
expect_screen main ' 7 roc ' "7 shows the ROC view"
expect_long main "importance of 'fish'" "the first model's importance under the table"
expect_screen main "AUC drop, 5 shuffles, test part" "says what the bars are"
top=$(echo "$fcsv" | sed -n 2p | cut -d, -f2)
val=$(echo "$fcsv" | sed -n 2p | cut -d, -f3)
v3=$(awk -v v="$val" 'BEGIN { printf "%.3g", v }')
row=$(screen main | grep -Eo "$top +[0-9.e-]+ +█+" | head -1)
like "$row" "^$top +$v3 " "the first bar is the CLI's first input with its value ($top $v3)"
last=$(echo "$fcsv" | tail -1 | cut -d, -f2)
like "$(screen main | grep -A5 "importance of 'fish'" | tail -1)" "$last" "the last bar is the CLI's last input ($last)"
keys main j
expect_long main "importance of 'net'" "moving down shows the network's"
ntop=$(echo "$ncsv" | sed -n 2p | cut -d, -f2)
nval=$(awk -v v="$(echo "$ncsv" | sed -n 2p | cut -d, -f3)" 'BEGIN { printf "%.3g", v }')
like "$(screen main | grep -Eo "$ntop +[0-9.e-]+ +█+" | head -1)" "^$ntop +$nval " "its first bar ($ntop $nval)"
keys main q
done_testing

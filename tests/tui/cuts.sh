#!/bin/sh
# The cuts view in a real pseudo-terminal (tmux), the workshop exercise
# done in the TUI: 6 shows the enabled features with open cuts, their
# histograms and the cut flow on the test part (making the default split
# and saying so); a bound typed in its cell changes the flow at once, and
# the set stored in the session gives the same flow from the CLI; a nudge
# just before q is not lost; o optimises a box for 95% signal efficiency
# and stores it; an unlabelled dataset says that cuts need labels.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

ok "a demo session" hs --session "$S" demo --n-signal 2000 --n-background 20000 --seed 5

cd "$T" || exit 1
tui_start main 130 45 -- --session "$S"
wait_screen main 'row 1 of' >/dev/null
keys main 6
expect_screen main ' 6 cuts ' "6 shows the cuts view"
expect_screen main "Cut set 'cuts'  [0-9]+ features" "its header names the cut set"
expect_screen main '^ doca +-inf +\+inf ' "a row per enabled feature, its cuts open"
expect_screen main 'Cut flow on test: [0-9]+ signal, [0-9]+ background' "the flow panel, on the test part"
expect_screen main "made the default split of 'demo'" "the default split is made, and said"
like "$(screen main)" "[▁▂▃▄▅▆▇█]{5}" "the rows have histograms"
is "$(hs --session "$S" split | head -1)" \
    "split of 'demo': train 0.5, val 0.25, test 0.25, seed 0, 22000 events" \
    "the split is in the session"

# Walk to doca (the rows are the features view's order), then its upper cut.
n=$(screen main | sed -n '4,$p' | grep -E '^ [A-Za-z_]' | awk '{ print $1 }' | grep -n '^doca$' | cut -d: -f1)
i=1
while [ "$i" -lt "${n:-1}" ]; do keys main j; i=$((i + 1)); done
keys main l
expect_screen main 'feature [0-9]+ of [0-9]+  doca  upper cut' "j and l reach doca's upper cut"
keys main Enter
keys main 0.005 Enter
expect_screen main 'doca < 0.005: signal eff' "a typed bound is set"
expect_screen main '^ doca +-inf +0.005 ' "and shown in its cell"
expect_screen main ' 1 doca < 0.005 ' "the flow has the cut"
expect_screen main "\(saved in the session\)" "and the set is saved"
eff=$(screen main | grep -Eo 'signal efficiency +[0-9.e-]+ +\([0-9]+ of [0-9]+\)')
beff=$(screen main | grep -Eo 'background efficiency +[0-9.e-]+ +\([0-9]+ of [0-9]+\)')
like "$eff" 'signal efficiency +0\.[0-9]+ ' "the signal efficiency fell below 1 ($eff)"
csv=$(hs --session "$S" cut flow cuts --csv)
last=$(echo "$csv" | tail -1)
first=$(echo "$csv" | sed -n 2p)
is "$(echo "$last" | cut -d, -f2)" "doca < 0.005" "cut flow of the saved set has the cut"
is "$(echo "$eff" | sed -E 's/.*\(([0-9]+) of ([0-9]+)\)/\1 \2/')" \
    "$(echo "$last" | cut -d, -f3) $(echo "$first" | cut -d, -f3)" \
    "the screen's signal counts are the CLI's"
is "$(echo "$beff" | sed -E 's/.*\(([0-9]+) of ([0-9]+)\)/\1 \2/')" \
    "$(echo "$last" | cut -d, -f4) $(echo "$first" | cut -d, -f4)" \
    "the screen's background counts are the CLI's"
like "$(hs --session "$S" journal)" \
    "cut --dataset demo --range doca::0.005 set cuts" "the save is journaled as a cut set line"

# A bad number: an error, the old value stays.
keys main Enter C-u abc Enter
expect_screen main "'abc' is not a number" "bad input is an error in the status line"
expect_screen main '^ doca +-inf +0.005 ' "and the old value stays"

# o: the optimiser's box, stored.
keys main o
expect_screen main "box for 95% signal: [0-9]+ cuts; test S eff 0\.9[0-9]*, B eff [0-9.e-]+; saved as 'cuts'" \
    "o optimises a box for 95% signal"
nbounded=$(screen main | sed -n '4,$p' | grep -cE '^ [A-Za-z_][A-Za-z0-9_]* +([-0-9.e]+ +[-+0-9.einf]+|-inf +[-0-9.e]+) ')
ok "the box has cuts on several features ($nbounded)" test "$nbounded" -ge 2
expect_screen main "\(saved in the session\)" "the box is saved"
like "$(hs --session "$S" cut list)" "cuts +set +1 " "cut list shows the set"
seff=$(hs --session "$S" cut flow cuts --csv | tail -1 | cut -d, -f5)
ok "the stored box keeps about 95% of the test signal ($seff)" \
    awk -v e="$seff" 'BEGIN { exit !(e > 0.9 && e <= 1) }'

# A nudge, then q at once: stored on the way out.
before=$(hs --session "$S" cut flow cuts --csv | tail -1)
keys main g h '>'
expect_screen main '^ [A-Za-z_][A-Za-z0-9_]* >= [-0-9.e]+: signal eff' "> nudges the first feature's lower cut"
keys main q
is "$(wait_exit main)" 0 "q quits, exit status 0"
after=$(hs --session "$S" cut flow cuts --csv | tail -1)
ok "the nudge was saved on quitting" test "$before" != "$after"

# An unlabelled dataset.
printf 'a,b\n1,2\n3,4\n5,1\n' >"$T/plain.csv"
ok "an unlabelled dataset" hs --session "$T/plain.db" import "$T/plain.csv"
tui_start plain 100 20 -- --session "$T/plain.db"
wait_screen plain 'row 1 of' >/dev/null
keys plain 6
expect_screen plain 'Cuts need a labelled dataset' "the cuts view says cuts need labels"
keys plain o
expect_screen plain 'cuts need a labelled dataset' "o says so too"
keys plain q
is "$(wait_exit plain)" 0 "q quits"

done_testing

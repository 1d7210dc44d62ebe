#!/bin/sh
# The training form's feature picker, in a real pseudo-terminal: the last
# field, features, starts at the enabled features; Enter on it opens a
# list with a tick per feature; Space on "(all)" drops every one, Space
# picks doca and ip, Enter closes; the model trained has exactly those two
# inputs (`model show`), the journal has the CLI's `train ... --features
# doca,ip` line (the same line from the CLI journals itself identically
# and scores the same), and the dataset's enabled features are as before.
# A form with no inputs does not train.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

last_line() { hs --session "$1" journal | tail -1 | sed -E 's/^ *[0-9]+ +[^ ]+ +//'; }
# name and on/off of every feature, as `features` lists them
toggles() { hs --session "$1" features | awk 'NR > 1 && $4 != "learned" { print $2, $3 }' | sort; }

ok "a demo session" hs --session "$S" demo --n-signal 2000 --n-background 8000 --seed 3
ok "and a twin for the CLI" hs --session "$T/cli.db" demo --n-signal 2000 --n-background 8000 --seed 3
ok "one feature switched off" hs --session "$S" feature off dphi_mumu
before=$(toggles "$S")
like "$before" "dphi_mumu off" "dphi_mumu is off before"

cd "$T" || exit 1
tui_start main 130 45 -- --session "$S" --threads 1
wait_screen main 'row 1 of' >/dev/null
keys main 8 G
expect_screen main '^ features +enabled( |$)' "the last field, features, is the enabled features"
expect_screen main 'Inputs: 18 enabled features' "18 of them"
expect_screen main '^ \[ \] dphi_mumu' "the one switched off is not ticked"
expect_screen main '^ \[x\] doca' "doca is"
keys main Enter
expect_screen main 'Space picks or drops a feature, Enter done' "Enter opens the picker"
keys main Space
expect_screen main 'Inputs: 0 of 19 features picked' "Space on (all) drops every feature"
expect_screen main '^ features +none( |$)' "the field says none"
# rows: (all), then E_mu_plus ... vz (11 features), doca, ip
keys main j j j j j j j j j j j j Space j Space
expect_screen main "picked 'ip': 2 of 19 features are inputs" "Space picks doca, then ip"
expect_screen main '^ \[x\] doca' "doca ticked"
expect_screen main '^ \[x\] ip' "ip ticked"
is "$(screen main | grep -c '^ \[x\] ')" 2 "and nothing else"
expect_screen main '^ \[-\] \(all\)' "(all) shows a part is picked"
keys main Enter
expect_screen main 'features = doca,ip' "Enter closes the picker: the field is doca,ip"
expect_screen main '^ features +2: doca,ip( |$)' "shown in the form"

# epochs: the tenth field
keys main g j j j j j j j j j Enter C-u 2 Enter
expect_screen main '^ epochs +2( |$)' "2 epochs"
keys main t
expect_long main "trained 'mlp': 2 epochs" "t trains"
ok "model show mlp" sh -c "'$HS_BIN' --session '$S' model show mlp >'$T/show.txt'"
is "$(sed -n '/^inputs (/,/^training curve/p' "$T/show.txt" | awk '/^[0-9]+ / { print $2 }' | tr '\n' ' ')" \
    "doca ip " "model show lists exactly doca and ip as inputs"
like "$(cat "$T/show.txt")" '^inputs \(2\):' "two inputs"
like "$(cat "$T/show.txt")" '^options: .*--features doca,ip' "the options say --features doca,ip"
is "$(toggles "$S")" "$before" "the dataset's enabled features are unchanged"

tline=$(last_line "$S")
like "$tline" "^train --dataset demo .*--features doca,ip.* mlp$" "journaled as train ... --features doca,ip"
# shellcheck disable=SC2086 # the journal line's words
ok "the same line from the CLI" hs --session "$T/cli.db" --threads 1 $tline
is "$(last_line "$T/cli.db")" "$tline" "journals the identical line"
ok "scores of the TUI's" hs --session "$S" score mlp -o "$T/tui.csv"
ok "scores of the CLI's" hs --session "$T/cli.db" score mlp -o "$T/cli.csv"
ok "are the same" cmp -s "$T/tui.csv" "$T/cli.csv"

# No inputs: refused; typed back to the default on the ':' line.
keys main G Enter
expect_screen main 'Space picks or drops a feature' "the picker again"
expect_screen main '^ \[ \] mlp( |$)' "the model's score is offered too, not picked"
keys main g Space
expect_screen main 'dropped all: 0 of 20 ' "g goes to (all); Space with some picked drops them all"
keys main Escape
expect_screen main 'features = none' "Esc closes it too"
keys main t
expect_screen main 'no inputs: pick some in the form' "t with no inputs is refused"
keys main : 'train-set features enabled' Enter
expect_screen main 'features = enabled' ":train-set features enabled: the default again"
expect_screen main 'Inputs: 18 enabled features' "the enabled features"
keys main : 'train-set features doca,,ip' Enter
expect_screen main "an empty name in 'doca,,ip'" "a bad list is refused as train refuses it"
keys main q
wait_exit main >/dev/null

done_testing

#!/bin/sh
# The training form from the method layer, in a real pseudo-terminal: the
# form shows the default method's parameters with their defaults; Right
# on the method switches to fisher (shrinkage and priors, its defaults);
# t trains Fisher (no epochs: no curve, its coefficients instead), stores
# it and journals the line the CLI would (the same line run from the CLI
# journals itself identically and gives the same scores); the name
# proposed is free (mlp, then mlp2); t on a stored name asks, n keeps the
# old model untouched, y replaces it.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

# the journal's last line without its number and time
last_line() { hs --session "$1" journal | tail -1 | sed -E 's/^ *[0-9]+ +[^ ]+ +//'; }

ok "a demo session" hs --session "$S" demo --n-signal 2000 --n-background 8000 --seed 3
ok "and a twin for the CLI" hs --session "$T/cli.db" demo --n-signal 2000 --n-background 8000 --seed 3

cd "$T" || exit 1
tui_start main 130 45 -- --session "$S" --threads 1
wait_screen main 'row 1 of' >/dev/null
keys main 8
expect_screen main '^ model name +mlp( |$)' "the form proposes the method's name"
expect_screen main '^ method +< mlp >' "the method, a choice"
expect_screen main '^ layers +64,64( |$)' "mlp's parameters with their defaults: layers"
expect_screen main '^ negative-weights +< use >' "a choice of the spec"
expect_screen main '^ balance +< no >' "a flag"

# mlp, 1 epoch: then the name proposed is mlp2
keys main j j j j j j j j j Enter C-u 1 Enter
expect_screen main '^ epochs +1( |$)' "epochs typed"
keys main t
expect_long main "trained 'mlp': 1 epochs" "mlp trained from the form"
expect_screen main '^ model name +mlp2( |$)' "then the free name mlp2 is proposed"

keys main g j Right
expect_screen main '^ method +< fisher >' "Right switches the method to fisher"
expect_screen main '^ shrinkage +0( |$)' "its shrinkage, default 0"
expect_screen main '^ priors +< data >' "its priors, default data"
expect_screen main '^ model name +fisher( |$)' "the name proposed after the method"
unlike_screen() { if screen main | grep -Eq -- "$1"; then _tap_result "not ok" "$2"; else _tap_result ok "$2"; fi; }
unlike_screen '^ layers ' "no network fields"

keys main t
expect_long main "trained 'fisher', test AUC 0\.[0-9]+; saved" "t trains and stores fisher"
expect_screen main "Trained 'fisher' on 'demo'" "the view says so"
expect_screen main "No training curve: the method fits in one step" "no empty curve: said"
expect_screen main "offset b: " "Fisher's coefficients instead"
list=$(hs --session "$S" model list)
like "$list" '^fisher +demo +[0-9]+ +Fisher' "model list has the fisher model"
tline=$(last_line "$S")
is "$tline" "train --dataset demo --method fisher --shrinkage 0 --priors data fisher" \
    "journaled as the train line with fisher's options"
# shellcheck disable=SC2086 # the journal line's words
ok "the same line from the CLI" hs --session "$T/cli.db" --threads 1 $tline
is "$(last_line "$T/cli.db")" "$tline" "journals the identical canonical line"
ok "scores of the TUI's" hs --session "$S" score fisher -o "$T/tui.csv"
ok "scores of the CLI's" hs --session "$T/cli.db" score fisher -o "$T/cli.csv"
ok "are the same" cmp -s "$T/tui.csv" "$T/cli.csv"
expect_screen main '^ model name +fisher2( |$)' "fisher2 proposed next"

# A stored name: asked, n keeps it untouched.
before=$(hs --session "$S" model list | awk '$1 == "fisher"')
keys main g Enter C-u fisher Enter
expect_screen main '^ model name +fisher( |$)' "the name typed"
keys main t
expect_screen main "model 'fisher' exists: replace it\? \(y replaces, any other key keeps it\)" \
    "t on a stored name asks"
keys main n
expect_screen main "kept model 'fisher': nothing trained" "n keeps it"
sleep 1
is "$(hs --session "$S" model list | awk '$1 == "fisher"')" "$before" \
    "the model is untouched (created, test AUC)"
is "$(last_line "$S")" "$tline" "nothing journaled"
keys main t
expect_screen main "model 'fisher' exists: replace it" "asked again"
keys main y
expect_long main "trained 'fisher', test AUC 0\.[0-9]+; saved" "y replaces it"
like "$(last_line "$S")" "^train --dataset demo --method fisher --replace .* fisher$" \
    "journaled with --replace, as the CLI needs"
keys main q
is "$(wait_exit main)" 0 "q quits, exit status 0"
done_testing

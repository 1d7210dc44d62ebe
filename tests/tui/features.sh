#!/bin/sh
# The features view in a real pseudo-terminal (tmux): the list with its
# statistics, ranked as `hepscope features` ranks them; Space turns a
# feature off through the journaled `feature off`; `a` adds a derived
# feature with the expression typed in place, a bad one showing its error
# with a caret under the offending character; `S` adds the suggested pair
# quantities; the view still works at 60x20.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

ok "a small demo session" hs --session "$S" demo --n-signal 300 --n-background 3000 --seed 2
hs --session "$S" features --csv >"$T/before.csv"
# The CLI's ranking (by separation) is the reference: its first feature.
top=$(awk -F, 'NR == 2 { print $2 }' "$T/before.csv")
top_sep=$(awk -F, -v f="$top" '$2 == f { printf "%.4g", $14 }' "$T/before.csv")
nbefore=$(($(wc -l <"$T/before.csv") - 1))
like "$top" '^doca$' "the CLI ranks doca first by separation"

tui_start main 80 24 -- --session "$S"
wait_screen main 'row 1 of' >/dev/null
keys main 4
expect_screen main 'sorted by separation' "4 shows the features view, sorted by separation"
expect_screen main '^on +feature +kind +mean sig +sd sig +mean bkg +sd bkg +NA +sep +AUC +cut' \
    "at 80x24 every statistics column is shown"
# The status line names the selected feature once the statistics are in
# (while they are computed it shows the progress instead).
expect_screen main "feature 1 of $nbefore +$top on" "the status line names the selected feature"
# Row 4 (title bar, title, header, then the list) is the best feature.
first=$(screen main | sed -n 4p | awk '{ print $2 }')
is "$first" "$top" "the first row is the CLI's best feature ($top)"
sep=$(screen main | sed -n 4p | awk '{ print $(NF - 2) }')
is "$sep" "$top_sep" "its separation is the CLI's, to four digits"
expect_screen main '^\[x\] m_mumu +expr( +-?[0-9.e+-]+){4} +0 +[0-9.e-]+ +[0-9.]+ +[<>]' \
    "m_mumu is listed with its numbers"

# Space: the selected (top) feature off, as `feature off` would.
keys main Space
expect_screen main "^\\[ \\] $top " "Space turns the feature off"
expect_screen main "feature '$top' is off" "and says so"

# a: a bad expression; its error under the input, the caret under the
# misspelt column, the text kept.
bad='mass(E_mu_plsu,p_mu_plus_x,p_mu_plus_y,p_mu_plus_z,E_mu_minus,p_mu_minus_x,p_mu_minus_y,p_mu_minus_z)'
keys main a
expect_screen main '^new feature: Enter adds' "a opens the editor under the list"
keys main 'm = ' "$bad" Enter
expect_screen main "column 'E_mu_plsu' not found at 6" "a bad expression shows its error"
expect_screen main "did you mean 'E_mu_plus'" "with the suggestion"
screen main >"$T/err.txt"
want=$(awk '/^expression / { print index($0, "E_mu_plsu"); exit }' "$T/err.txt")
got=$(awk '/^expression / { found = 1; next } found { print index($0, "^"); exit }' "$T/err.txt")
like "$want" '^[1-9][0-9]*$' "the expression is shown"
is "$got" "$want" "the caret is under the misspelt column"
expect_screen main '^name +m *$' "the name stays for correction"

keys main C-a C-k \
    'mass(E_mu_plus,p_mu_plus_x,p_mu_plus_y,p_mu_plus_z,E_mu_minus,p_mu_minus_x,p_mu_minus_y,p_mu_minus_z)' \
    Enter
expect_screen main "added feature 'm'" "a good expression adds the feature"
expect_screen main '^\[x\] m +expr( +-?[0-9.e+-]+){4} +0 ' "the new feature is listed with its numbers"
expect_screen main '^m = mass\(E_mu_plus,' "and selected: its expression is the detail line"
expect_gone main '^new feature:' "the editor is closed"

# S: the suggested pair quantities, counted in the status line.
keys main S
expect_screen main 'added [1-9][0-9]* features: m_mu_plus_mu_minus' "S adds the suggestions"
nadded=$(screen main | sed -n 's/.*added \([0-9]*\) features.*/\1/p' | head -1)
keys main S
expect_screen main 'added 0 features' "S again adds nothing"

# Escape cancels the editor, and nothing is added.
keys main a x Escape
expect_gone main '^new feature:' "Esc closes the editor"

# Sorting cycles, shown in the title.
keys main s
expect_screen main 'sorted by AUC' "s sorts by AUC"
keys main s
expect_screen main 'sorted by name' "s again: by name"
keys main s s
expect_screen main 'sorted by separation' "and round to separation"

# 60x20: the columns drop gracefully; the status bar stays.
tm resize-window -t main -x 60 -y 20
expect_screen main '^on +feature( +kind)? +mean sig +mean bkg( +NA)? +sep +AUC +cut *$' \
    "at 60x20 the means, separation and AUC stay"
expect_screen main 'q quit *$' "at 60x20 the status bar is shown"
is "$(screen main | sed -n 20p | grep -c 'q quit')" 1 "at 60x20 it is the last line"
tm resize-window -t main -x 80 -y 24

keys main q
is "$(wait_exit main)" 0 "q quits, exit status 0"

hs --session "$S" journal >"$T/journal.txt"
like "$(cat "$T/journal.txt")" "feature (--dataset demo )?off $top" \
    "the journal records feature off $top"
like "$(cat "$T/journal.txt")" "feature (--dataset demo )?add m 'mass\\(E_mu_plus," \
    "the journal records feature add m"
like "$(cat "$T/journal.txt")" "feature (--dataset demo )?(--add suggest|suggest --add)" \
    "the journal records feature suggest --add"
hs --session "$S" features --csv >"$T/after.csv"
is "$(awk -F, -v f="$top" '$2 == f { print $3 }' "$T/after.csv")" 0 "features --csv shows $top off"
is "$(awk -F, '$2 == "m" { print $3 $4 }' "$T/after.csv")" 11 "features --csv shows m, derived and on"
is "$(($(wc -l <"$T/after.csv") - 1))" "$((nbefore + 1 + nadded))" \
    "features --csv lists the suggested ones too"

done_testing

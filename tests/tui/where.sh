#!/bin/sh
# The selection in a real pseudo-terminal (tmux): `:where doca < 0.01`
# narrows the features and histogram views to the selected events, their
# numbers then being the CLI's `features --where` and `plot hist --where`;
# the status line shows the selection and its count (cut to fit a narrow
# terminal); a faulty expression shows its error with a caret under its
# column and keeps the selection; one that keeps nothing is refused;
# `:where` alone restores every event; w types `:where `; the data view
# shows the selected events.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

ok "a small demo session" hs --session "$S" demo --n-signal 300 --n-background 3000 --seed 2
hs --session "$S" features --csv >"$T/all.csv"
hs --session "$S" features --where 'doca < 0.01' --csv >"$T/sel.csv"
# Raw feature $2 (a derived one has a quoted expression with commas),
# column $3 (14 separation, 15 AUC, 6 events) of a CSV, to four digits.
col() { awk -F, -v f="$2" -v c="$3" '$2 == f { printf "%.4g", $c }' "$1"; }
nsel=$(col "$T/sel.csv" doca 6)
like "$nsel" '^[1-9][0-9]*$' "the CLI selects some events ($nsel)"
ok "and fewer than all" test "$nsel" -lt 3300

cd "$T" || exit 1
tui_start main 100 30 -- --session "$S"
wait_screen main 'row 1 of' >/dev/null
keys main 4
expect_screen main 'feature 1 of' "4 shows the features view"

keys main : 'where doca < 0.01' Enter
expect_screen main "selection: doca < 0.01 \\($nsel of 3300 events\\)" \
    ":where says what it selected, with the CLI's count"
keys main j
expect_screen main "feature 2 of [0-9]+ .* where doca < 0.01: $nsel of 3,300 " \
    "the status line then shows the selection and its count"
# Row N of the list (title bar, title, header, then the rows).
row() { screen main | grep -E "^\\[[x ]\\] $1 "; }
for f in ip doca vz; do
    r=$(row $f)
    sep=$(echo "$r" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[<>]$/) { print $(i - 2); exit } }')
    auc=$(echo "$r" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[<>]$/) { print $(i - 1); exit } }')
    is "$sep" "$(col "$T/sel.csv" $f 14)" "$f: the separation is the CLI's over the selection"
    is "$auc" "$(col "$T/sel.csv" $f 15)" "$f: and the AUC"
done
ok "and not the one over every event" test "$(col "$T/sel.csv" doca 14)" != "$(col "$T/all.csv" doca 14)"

# The histogram view: doca's bins and range are the CLI's over the selection.
hs --session "$S" plot hist doca --where 'doca < 0.01' --csv "$T/hist.csv" >/dev/null
nbins=$(($(wc -l <"$T/hist.csv") - 1))
entries=$(awk -F, 'NR > 1 { n += $3 + $5 } END { print n }' "$T/hist.csv")
ok "the CLI's bins hold the selected events in its 0.1-99.9% range ($entries of $nsel)" \
    test "$entries" -le "$nsel" -a "$((entries * 100))" -ge "$((nsel * 99))"
keys main 5 : 'hist-feature doca' Enter
expect_screen main "^ doca  \\([0-9]+ of [0-9]+\\)  $nbins bins" \
    "the histogram view bins doca as the CLI does ($nbins bins)"
expect_screen main "selection: doca < 0.01 \\($nsel of 3300 events\\)" \
    "its figure says how many events it shows"
expect_screen main "doca  where doca < 0.01: $nsel of 3,300 " "so does the status line"
keys main p
expect_screen main "saved hepscope-demo-doca.png" "p saves the figure"
i=0; while [ $i -lt 100 ] && [ ! -s "$T/hepscope-demo-doca.png" ]; do sleep 0.05; i=$((i + 1)); done
recorded=$(tr -c '[:print:]' '\n' <"$T/hepscope-demo-doca.png" | grep -a 'plot hist')
like "$recorded" "plot hist doca --bins $nbins --range [0-9.e+-]+:[0-9.e+-]+ --where 'doca < 0.01' -o" \
    "its recorded command has the selection"
range=$(echo "$recorded" | sed -n 's/.*--range \([^ ]*\) .*/\1/p')
lo=$(awk -F, 'NR == 2 { print $1 }' "$T/hist.csv")
hi=$(awk -F, 'END { print $2 }' "$T/hist.csv")
is "$(echo "$range" | awk -F: '{ printf "%.10g:%.10g", $1, $2 }')" \
    "$(printf '%.10g:%.10g' "$lo" "$hi")" "and the CLI's range over the selection"

# A faulty expression: the error with its column, the text above the
# status line with a caret under the fault; the selection stays.
keys main : 'where doca << 0.01' Enter
expect_screen main "where: unexpected '<' at 7" "a faulty expression shows its error and column"
expect_screen main "kept: where doca < 0.01" "and keeps the selection"
screen main >"$T/err.txt"
want=$(awk '/^ :where doca << 0.01/ { print index($0, "<<") + 1; exit }' "$T/err.txt")
got=$(awk '/^ :where doca << 0.01/ { found = 1; next } found { print index($0, "^"); exit }' \
    "$T/err.txt")
like "$want" '^[1-9][0-9]*$' "the expression is shown above the status line"
is "$got" "$want" "the caret is under the second '<'"
keys main C-l
expect_gone main '^ :where doca << 0.01' "the next key takes it away"
expect_screen main "where doca < 0.01: $nsel of 3,300 " "the selection is still in force"

keys main : 'where doca < 0' Enter
expect_screen main "the selection \\(doca < 0\\) keeps none of the 3300 events" \
    "a selection that keeps no events is refused"
keys main C-l
expect_screen main "where doca < 0.01: $nsel of 3,300 " "and the old one stays"

# Narrow: the expression is cut, the counts stay.
tm resize-window -t main -x 40 -y 20
expect_screen main "where doca[^:]*: $nsel of 3,300" "at 40 columns the counts still show"
tm resize-window -t main -x 100 -y 30

# w types ':where ' for another one.
keys main w
expect_screen main '^:where' "w opens the command line with :where"
keys main Escape

# The data view shows the selected events and says so; the statistics
# view shows every event and does not mention it.
keys main 1
expect_screen main "row 1 of $nsel .*where doca < 0.01: $nsel of 3,300" \
    "the data view shows the selected events"
keys main 2
no_where() { ! screen main | grep -q 'where doca'; }
expect_screen main 'column 1 of' "the statistics view"
ok "says nothing of the selection" no_where

# Cleared: every event again.
keys main 4 : where Enter
expect_screen main "selection cleared: all 3300 events" ":where alone clears it"
keys main j
expect_gone main "where doca" "the status line no longer shows it"
for f in ip doca; do
    r=$(row $f)
    sep=$(echo "$r" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[<>]$/) { print $(i - 2); exit } }')
    is "$sep" "$(col "$T/all.csv" $f 14)" "$f: the separation is over every event again"
done

keys main q
is "$(wait_exit main)" 0 "q quits, exit status 0"

done_testing

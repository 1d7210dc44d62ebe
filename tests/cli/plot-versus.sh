#!/bin/bash
# plot hist FEATURE --where EXPR --versus: every event, the selection
# against the rest, the figure the TUI's `:where --versus` (and a box on
# a map) draws, so that the command a saved PNG records can draw it
# again.  Bin contents against awk over the exported events; the PNG's
# recorded command; options that do not go with it refused.
. "$HS_SRCDIR/tests/lib.sh"

exits 0 "a small demo" hs --session "$S" demo --n-signal 400 --n-background 3600 --seed 4
exits 0 "export it" hs --session "$S" export demo -o "$T/d.csv" --features
col() { head -1 "$T/d.csv" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
cd=$(col doca) ce=$(col ip)
nsel=$(awk -F, -v c="$cd" 'NR > 1 && $c < 0.01 { n++ } END { print n + 0 }' "$T/d.csv")

exits 0 "plot hist --where --versus" hs --session "$S" plot hist ip --where 'doca < 0.01' --versus \
    --bins 5 --range 0:10 --csv "$T/v.csv" -o "$T/v.png"
is "$(head -1 "$T/v.csv")" "lo,hi,the rest,the rest_err,selection,selection_err" "two series: the rest and the selection"
# awk: per bin of ip in [0, 10) by 2, the selected (doca < 0.01) and the rest.
want=$(awk -F, -v c="$cd" -v e="$ce" 'NR > 1 && $e >= 0 && $e < 10 {
        b = int($e / 2); if ($c < 0.01) s[b]++; else r[b]++ }
    END { for (b = 0; b < 5; b++) printf "%d,%d\n", r[b], s[b] }' "$T/d.csv")
is "$(awk -F, 'NR > 1 { print $3 "," $5 }' "$T/v.csv")" "$want" "every bin as awk counts it"
ok "the PNG is written" test -s "$T/v.png"
ok "it records the command that draws it again, --versus included" \
    grep -aq "plot --dataset demo .*--versus .*--where 'doca < 0.01' hist ip" "$T/v.png"
exits 0 "in the terminal" hs --session "$S" plot hist ip --where 'doca < 0.01' --versus --ascii --width 140 --height 24
like "$(cat "$T/.out")" "selection: doca < 0.01 \($nsel of 4000 events\) against the rest" \
    "the figure says what is selected, how many, against the rest"

# A terminal too narrow for the note beside the legend: the note goes
# under the legend, not over it.
exits 0 "a narrow terminal" hs --session "$S" plot hist ip --where 'doca < 0.01 && ip < 30' --versus --ascii --width 70 --height 16
like "$(cat "$T/.out")" "o the rest" "the legend's first entry is whole"
like "$(cat "$T/.out")" "\+ selection" "and its second"
like "$(cat "$T/.out")" "selection: doca < 0.01 && ip < 30" "the note is there too"

# A cut set selects as --where does.
exits 0 "a cut set" hs --session "$S" cut set tight "doca < 0.01"
exits 0 "plot hist --cut --versus" hs --session "$S" plot hist ip --cut tight --versus --bins 5 --range 0:10 --csv "$T/c.csv"
ok "the same bins as --where" cmp "$T/v.csv" "$T/c.csv"

# Without it, --where narrows the events to the selection, by class.
exits 0 "plot hist --where" hs --session "$S" plot hist ip --where 'doca < 0.01' --bins 5 --range 0:10 --csv "$T/w.csv"
is "$(awk -F, 'NR > 1 { n += $3 + $5 } END { print n }' "$T/w.csv")" \
    "$(awk -F, -v c="$cd" -v e="$ce" 'NR > 1 && $c < 0.01 && $e >= 0 && $e < 10 { n++ } END { print n + 0 }' "$T/d.csv")" \
    "--where alone: only the selected events"

exits 1 "--versus without a selection" hs --session "$S" plot hist ip --versus
like "$(cat "$T/.err")" "--versus draws a selection against the rest: give --where or --cut" "says what it needs"
exits 1 "--versus with --stack" hs --session "$S" plot hist ip --where 'doca < 0.01' --versus --stack
exits 1 "--versus on a scatter" hs --session "$S" plot scatter ip doca --where 'doca < 0.01' --versus
like "$(cat "$T/.err")" "--versus goes with plot hist" "says where it goes"

done_testing

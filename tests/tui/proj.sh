#!/bin/sh
# The projections view in a real pseudo-terminal (tmux): 9 shows it; P
# computes a PCA map in the background and stores it as the CLI's
# `project pca pca` (journaled, the same numbers); the map is a braille
# scatter with a legend, coloured by label, group or a clustering (c
# cycles); + zooms; a box marked with keys or the mouse selects the
# events inside it (exactly those: checked against the CLI's export) and
# the histogram view draws them against the rest; C saves the box as a
# cut set whose events are those same ones; Esc cancels a t-SNE being
# computed and keeps the map; s saves the figure as a PNG.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

ok "a demo session" hs --session "$S" demo --n-signal 1000 --n-background 3000 --seed 5
ok "a clustering from the CLI" hs --session "$S" cluster kmeans km --k 3

cd "$T" || exit 1
tui_start main 100 30 -- --session "$S"
wait_screen main 'row 1 of' >/dev/null
keys main 9
expect_screen main ' 9 proj ' "9 shows the projections view"
expect_screen main "no projection of this dataset yet: P computes a PCA map" \
    "without a projection it says which key computes one"

# ---- computing a map in the background, stored through `project`
keys main P
expect_long main "projection 'pca' computed \\(pca, 4000 points" "P computes a PCA map"
expect_screen main "projection pca of 'demo' \\(1 of 1\\), coloured by label" "and shows it"
like "$(hs --session "$S" journal)" "project --dataset demo pca pca" \
    "stored as the CLI's project line, journaled"
ok "the CLI computes the same map under another name" hs --session "$S" project pca cli
hs --session "$S" export -o "$T/all.csv" --features >/dev/null
col() { head -1 "$T/all.csv" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
p1=$(col pca_1) p2=$(col pca_2) c1=$(col cli_1) c2=$(col cli_2)
ok "the export has both maps (columns $p1 $p2 $c1 $c2)" test -n "$p1" -a -n "$p2" -a -n "$c1" -a -n "$c2"
is "$(awk -F, -v a="$p1" -v b="$p2" -v c="$c1" -v d="$c2" \
    'NR > 1 && ($a != $c || $b != $d) { n++ } END { print n + 0 }' "$T/all.csv")" 0 \
    "the TUI's map is the CLI's, number for number"

# ---- the scatter, its legend, the colourings
keys main 9
expect_screen main "projection pca of 'demo' \\(2 of 2\\)" "the view lists both maps (cli, pca)"
expect_screen main "[⠁⠂⠄⡀⠈⠐⠠⢀⣿]" "the map is drawn in braille"
expect_screen main "pca_1" "its x axis is pca_1"
expect_screen main "● background" "a legend: background"
expect_screen main "\\+ signal" "and signal"
keys main c
expect_screen main "coloured by group" "c colours by group"
expect_screen main "HNL_mass 0\\.5" "the legend names the masses"
keys main c
expect_screen main "coloured by km" "c again: by the clustering"
expect_screen main "km 1" "the legend names the clusters"
keys main c
expect_screen main "coloured by label" "and back to the label"

# ---- zoom
keys main +
expect_screen main "zoom 2 " "+ zooms in"
keys main g
expect_screen main "zoom 1 " "g shows the whole map again"

# ---- the histogram before any box
keys main 5
expect_screen main ' 5 hist ' "5 shows the histogram view"
expect_screen main "signal" "its legend: signal against background"

# ---- a box drawn with the keys
keys main 9 Space l l l l l l l l j j j j j j
expect_screen main "\\(marking\\)" "Space marks the first corner"
keys main Space
expect_screen main "[0-9,]+ of 4,000 events in box [^ ]+;" "Space again selects the box"
box=$(screen main | tail -1 | sed -n 's/.* events in box \([^;]*\);.*/\1/p')
like "$box" '^-?[0-9.e+-]+:-?[0-9.e+-]+,-?[0-9.e+-]+:-?[0-9.e+-]+$' "the status line shows the box ($box)"
x0=${box%%:*} r=${box#*:} x1=${r%%,*} r=${r#*,} y0=${r%%:*} y1=${r#*:}
# The events inside, as select --box reads a box: x0 <= pca_1 < x1 and
# y0 <= pca_2 < y1, counted from the CLI's export by awk.
awk -F, -v a="$p1" -v b="$p2" -v x0="$x0" -v x1="$x1" -v y0="$y0" -v y1="$y1" \
    'NR == 1 || ($a != "" && $a + 0 >= x0 + 0 && $a + 0 < x1 + 0 && $b + 0 >= y0 + 0 && $b + 0 < y1 + 0)' \
    "$T/all.csv" >"$T/inside.csv"
n=$(($(wc -l <"$T/inside.csv") - 1))
ok "the box holds some events but not all ($n)" test "$n" -gt 0 -a "$n" -lt 4000
nsel=$(screen main | sed -n 's/^ \([0-9,]*\) of .* events in box.*/\1/p' | tr -d ,)
is "$nsel" "$n" "the selection is exactly the events inside the box"

# ---- the histogram view shows the selection against the rest
keys main 5
expect_screen main "against the rest" "the histogram says it draws the selection against the rest"
expect_screen main "selection" "its legend names the selection"
expect_screen main "where pca_1 >= $x0 && pca_1 < $x1" "the status line shows the selection"
expect_screen main "of 4,000" "and the status line its count"

# ---- saved as a cut set through select --box
keys main 9 C
expect_screen main "^:proj-cutset" "C asks for the cut set's name"
keys main boxed Enter
expect_screen main "saved the box as cut set 'boxed': $n of 4000 events" "the box is saved as cut set 'boxed'"
like "$(hs --session "$S" journal)" "select --dataset demo --box $x0:$x1,$y0:$y1 --projection pca boxed" \
    "journaled as the CLI's select line"
hs --session "$S" export -o "$T/cut.csv" --features --cut boxed >/dev/null
is "$(cmp "$T/cut.csv" "$T/inside.csv" && echo same)" "same" \
    "the cut set's events are exactly those inside the box (export --cut against awk)"
like "$(hs --session "$S" cut show boxed)" "pca_1" "cut show lists it, on the projection's columns"

# ---- a box drawn with the mouse: X10 presses at two cells of the map
keys main x
expect_screen main "no box" "x drops the box"
# A press and its release (ESC [ M, button 0 or 3, column and row, each
# plus 32), as a terminal sends a click.
click() {
    tm send-keys -t main -l "$(awk -v c=$((32 + $1)) -v r=$((32 + $2)) \
        'BEGIN { printf "\033[M %c%c\033[M#%c%c", c, r, c, r }')"
}
click 30 10
expect_screen main "first corner set" "a click marks the first corner"
click 60 18
expect_screen main "[0-9,]+ of 4,000 events in box [^ ]+;" "a second click makes the box"
box2=$(screen main | tail -1 | sed -n 's/.* events in box \([^;]*\);.*/\1/p')
ok "a box from the clicks ($box2), not the keys' box" test -n "$box2" -a "$box2" != "$box"
x0=${box2%%:*} r=${box2#*:} x1=${r%%,*} r=${r#*,} y0=${r%%:*} y1=${r#*:}
n2=$(awk -F, -v a="$p1" -v b="$p2" -v x0="$x0" -v x1="$x1" -v y0="$y0" -v y1="$y1" \
    'NR > 1 && $a != "" && $a + 0 >= x0 + 0 && $a + 0 < x1 + 0 && $b + 0 >= y0 + 0 && $b + 0 < y1 + 0 { n++ } END { print n + 0 }' \
    "$T/all.csv")
nsel=$(screen main | sed -n 's/^ \([0-9,]*\) of .* events in box.*/\1/p' | tr -d ,)
is "$nsel" "$n2" "the clicked box selects exactly the events inside it"

# ---- Esc cancels a computation and keeps the map
keys main T
expect_screen main "computing tsne \\[" "T computes a t-SNE map, with a progress bar"
keys main Escape
expect_long main "tsne cancelled: the map shown stays" "Esc cancels it"
expect_screen main "projection pca of 'demo' \\(2 of 2\\)" "the map shown stays"
expect_screen main "[⠁⠂⠄⡀⠈⠐⠠⢀⣿]" "still drawn"
unlike() { if printf '%s' "$1" | grep -Eq -- "$2"; then _tap_result "not ok" "$3"; else _tap_result ok "$3"; fi; }
unlike "$(hs --session "$S" journal)" "project .*tsne" "nothing stored or journaled"

# ---- s saves the figure
keys main s
png=hepscope-demo-pca.png
expect_screen main "saved $png" "s saves the figure, its path in the status line"
i=0; while [ $i -lt 100 ] && [ ! -s "$T/$png" ]; do sleep 0.05; i=$((i + 1)); done
is "$(head -c 8 "$T/$png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a" "a PNG"
ok "recording the plot scatter line that draws it" \
    grep -aq "hepscope --dataset demo plot scatter pca_1 pca_2 --color label -o $png" "$T/$png"

keys main q
is "$(wait_exit main)" 0 "q quits, exit status 0"

# ---- at 80x24
tui_start small 80 24 -- --session "$S"
wait_screen small 'row 1 of' >/dev/null
keys small 9
expect_screen small "projection (cli|pca) of 'demo'" "at 80x24 the view is drawn"
expect_screen small "background" "with its legend"
expect_screen small "┤" "and its axes"
keys small q
is "$(wait_exit small)" 0 "q quits"

done_testing

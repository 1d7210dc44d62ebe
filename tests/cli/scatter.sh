#!/bin/bash
# plot scatter X Y: any two columns (raw, derived, a projection's, a
# clustering's) in the terminal and in files, coloured by label, group, a
# clustering or a model's score, with a legend; a stratified sample past
# 100,000 points, said on the figure; errors that name what is wrong.
. "$HS_SRCDIR/tests/lib.sh"

exits 0 "a demo of 120,000 events" hs --session "$S" demo --n-signal 10000 --n-background 110000 --seed 4
exits 0 "scatter in the terminal" hs --session "$S" plot scatter m_mumu doca --ascii --width 90 --height 30
out=$(cat "$T/.out")
like "$out" "doca against m_mumu in 'demo'" "a title"
like "$out" "background" "background in the legend"
like "$out" "signal" "signal in the legend"
like "$out" "100000 of 120000 events drawn \(a stratified sample\)" "past 100,000 points, a sample, said"

n=$(hs --session "$S" sql --csv "select count(*) from events('demo') where doca < 0.01" | tail -1)
exits 0 "with --where" hs --session "$S" plot scatter m_mumu doca --where "doca < 0.01" --ascii --width 90 --height 30
like "$(cat "$T/.out")" "selection: doca < 0.01 \($n of 120000 events\)" "the selection as SQL counts it"
ok "no sample note under 100,000" sh -c "! grep -q 'events drawn' '$T/.out'"

for ext in png svg pdf; do
    exits 0 "to a .$ext" hs --session "$S" plot scatter m_mumu pt_mumu -o "$T/s.$ext"
    ok "the .$ext is written" test -s "$T/s.$ext"
done
ok "the PNG is a PNG" sh -c "head -c 8 '$T/s.png' | od -c | grep -q 'P   N   G'"

# Colours: a group (the HNL mass: more than 11 values, the rest 'other'),
# a clustering's clusters, a projection's coordinates as the axes, and a
# model's score in bands.
exits 0 "--color group" hs --session "$S" plot scatter m_mumu doca --color group --ascii --width 100 --height 40
like "$(cat "$T/.out")" "HNL_mass: other values" "many groups: the rest as 'other'"
exits 0 "a projection" hs --session "$S" project pca emb --features doca,ip,m_mumu --n 5000
exits 0 "a clustering" hs --session "$S" cluster kmeans km --features doca,ip,m_mumu --k 3 --n 5000
exits 0 "--color km on emb" hs --session "$S" plot scatter emb_1 emb_2 --color km --ascii --width 90 --height 30
out=$(cat "$T/.out")
like "$out" "km 1" "cluster 1 in the legend"
like "$out" "km 3" "cluster 3 in the legend"
exits 0 "a model" hs --session "$S" train fi --method fisher
exits 0 "--color fi" hs --session "$S" plot scatter m_mumu doca --color fi --ascii --width 90 --height 30
is "$(grep -Eo 'fi [0-9.e+-]+ to [0-9.e+-]+' "$T/.out" | wc -l | tr -d ' ')" 5 "the score in five bands"
exits 0 "project -o with --color km" hs --session "$S" project pca emb --features doca,ip,m_mumu --n 5000 -o "$T/p.svg" --color km
ok "the projection's figure is written" test -s "$T/p.svg"

# Errors.
exits 1 "an unknown column" hs --session "$S" plot scatter m_mumu docca
like "$(cat "$T/.err")" "did you mean 'doca'" "a did-you-mean"
exits 1 "an unknown --color" hs --session "$S" plot scatter m_mumu doca --color nope
like "$(cat "$T/.err")" "--color" "names --color"
exits 1 "one column only" hs --session "$S" plot scatter m_mumu
like "$(cat "$T/.err")" "usage: plot scatter X Y" "says the usage"
printf 'a,b\n1,2\n3,4\n' >"$T/u.csv"
exits 0 "an unlabelled dataset" hs --session "$S" import "$T/u.csv"
exits 1 "--color label without a label" hs --session "$S" --dataset u plot scatter a b --color label
like "$(cat "$T/.err")" "has no label" "says it"
exits 0 "one colour without a label" hs --session "$S" --dataset u plot scatter a b --ascii --width 60 --height 20
like "$(cat "$T/.out")" "events" "one series"

done_testing

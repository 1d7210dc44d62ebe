#!/bin/bash
# hepscope select: a box on a projection as a cut set (its events counted
# by SQL over the stored coordinates), and --explain: the cut set on the
# physical features that reproduces a selection, its figures recounted by
# SQL over the exported cuts; failures that store nothing.
. "$HS_SRCDIR/tests/lib.sh"

F=doca,ip,vz,m_mumu,pt_mumu,p_mumu
exits 0 "a small demo" hs --session "$S" demo --n-signal 1000 --n-background 9000 --seed 3
exits 0 "a projection" hs --session "$S" project pca emb --features $F

sqlc() { hs --session "$S" sql --csv "select count(*), sum(_label = 1), sum(_label = 0) from events('demo') where $1" | tail -1; }
want=$(sqlc "emb_1 >= -1 and emb_1 < 2 and emb_2 < 0.5")
exits 0 "select a box" hs --session "$S" select mid --box -1:2,:0.5 --projection emb
IFS=, read -r n s b <<<"$want"
like "$(cat "$T/.out")" "cut set 'mid': -1 <= emb_1 < 2, emb_2 < 0.5: $n of 10000 events \($s signal, $b background\)" \
    "the box's events as SQL counts them"
exits 0 "its cut flow" hs --session "$S" cut flow mid --on all --csv
is "$(awk -F, 'NR == 4 { print $3 "," $4 }' "$T/.out")" "$s,$b" "the cut flow agrees"
exits 0 "as a selection" hs --session "$S" plot hist doca --cut mid -o "$T/h.png"

# --explain: the physical cuts that keep at least 0.8 of the box.
exits 0 "explain it" hs --session "$S" select mid --explain --target 0.8
out=$(cat "$T/.out")
like "$out" "cut set 'mid' \($n events\) explained on 19 features, for 0.8 of it" "says what it explains"
like "$out" "stored as cut set 'mid_explained'" "stores the explanation"
exits 0 "export the explanation" hs --session "$S" cut export mid_explained --as sql
cond=$(cat "$T/.out")
inside="emb_1 >= -1 and emb_1 < 2 and emb_2 < 0.5"
kept=$(hs --session "$S" sql --csv "select count(*) from events('demo') where ($cond) and ($inside)" | tail -1)
other=$(hs --session "$S" sql --csv "select count(*) from events('demo') where ($cond) and not ($inside)" | tail -1)
like "$out" "keeps $kept of the $n selected events" "the kept events as SQL counts them"
like "$out" "lets in $other of the $((10000 - n)) others" "the others let in as SQL counts them"
ok "it keeps at least 0.8 of the selection ($kept of $n)" awk -v k="$kept" -v n="$n" 'BEGIN { exit !(k >= 0.8 * n) }'
ok "it lets in few others ($other)" awk -v o="$other" -v n="$n" 'BEGIN { exit !(o < 10000 - n) }'
ok "no projection column in the explanation" sh -c "! grep -q emb_ '$T/.out'"

# Failures store nothing.
state() { hs --session "$S" sql --csv "select (select group_concat(name) from cutsets), (select count(*) from journal)" | tail -1; }
before=$(state)
exits 1 "the same name again" hs --session "$S" select mid --box -1:2,:0.5 --projection emb
exits 1 "no projection" hs --session "$S" select x --box 0:1,0:1
exits 1 "an unknown projection" hs --session "$S" select x --box 0:1,0:1 --projection emm
like "$(cat "$T/.err")" "did you mean 'emb'" "a did-you-mean"
exits 1 "a bad box" hs --session "$S" select x --box 0:1 --projection emb
exits 1 "a bad bound" hs --session "$S" select x --box 0:z,0:1 --projection emb
like "$(cat "$T/.err")" "--box" "names --box"
exits 2 "an empty box" hs --session "$S" select x --box 100:200,0:1 --projection emb
exits 1 "neither --box nor --explain" hs --session "$S" select x
exits 1 "explain an unknown cut set" hs --session "$S" select nope --explain
exits 1 "a bad target" hs --session "$S" select mid --explain --target 2
is "$(state)" "$before" "failures leave the cut sets and journal as they were"
exits 0 "--replace" hs --session "$S" select mid --box 0:,: --projection emb --replace

done_testing

#!/bin/bash
# --where and --cut on train, score, overtrain and groups, numbers checked
# against hepscope sql (the selected rows) joined with the stored split's
# parts: the training counts are the selected train/val events, score
# writes the selected rows, overtrain's train and test counts and groups'
# signal counts are the selected events of those parts; the selection is
# stored with the model as typed (model show's selection line) and
# groups --transfer retrains with it.
. "$HS_SRCDIR/tests/lib.sh"

W='doca < 0.01'
exits 0 "a small demo" hs --session "$S" demo --n-signal 2000 --n-background 8000 --seed 3
exits 0 "train --where" hs --session "$S" --threads 1 train w --epochs 3 --where "$W"
out=$(cat "$T/.out")
like "$out" "stored model 'w'" "stored"
exits 0 "model show w" hs --session "$S" model show w
like "$(cat "$T/.out")" "^options: .* --where 'doca < 0\.01'$" "the options hold the selection as typed"
is "$(grep '^selection:' "$T/.out")" "selection: --where 'doca < 0.01'" "model show's selection line"
exits 0 "model show without one" hs --session "$S" model show w
exits 0 "train without a selection" hs --session "$S" --threads 1 train all --epochs 1
hs --session "$S" model show all >"$T/all-show"
is "$(grep '^selection:' "$T/all-show")" "selection: all events" "says all events"

# The reference: every row's part (score without a selection) and the
# selected rows (sql, rowid 1-based).
exits 0 "score every event" hs --session "$S" score w -o "$T/every.csv"
hs --session "$S" sql --csv "select rowid - 1 from events('demo') where $W" | tail -n +2 >"$T/sel"
nsel=$(wc -l <"$T/sel" | tr -d ' ')
# count PART LABEL: selected rows of the part (label 0/1, or any with '*')
count() {
    awk -F, -v part="$1" -v lab="$2" 'NR == FNR { s[$1] = 1; next }
        FNR > 1 && ($1 in s) && $3 == part && (lab == "*" || $2 == lab) { n++ }
        END { print n + 0 }' "$T/sel" "$T/every.csv"
}
ntr=$(count train '*')
nval=$(count val '*')
like "$out" "events: $ntr train, $nval val\$" "train's event counts are sql's selected train/val events ($ntr, $nval)"

exits 0 "score --where" hs --session "$S" score w -o "$T/w.csv" --where "$W"
is "$(($(wc -l <"$T/w.csv") - 1))" "$nsel" "score --where writes sql's count of rows ($nsel)"
is "$(tail -n +2 "$T/w.csv" | cut -d, -f1 | sort -n | md5sum)" "$(sort -n "$T/sel" | md5sum)" \
    "the selected rows, by their row numbers"
like "$(cat "$T/.out")" "selection: doca < 0\.01 \($nsel of 10000 events\)" "and says the selection"

exits 0 "overtrain --where" hs --session "$S" overtrain w --where "$W"
nte=$(count test '*')
like "$(cat "$T/.out")" "train \($ntr events\) vs test \($nte events\)" \
    "overtrain's train and test counts are sql's ($ntr, $nte)"

exits 0 "groups --where --csv" hs --session "$S" groups w --where "$W" --csv
nsig=$(tail -n +2 "$T/.out" | awk -F, '{ n += $2 } END { print n + 0 }')
is "$nsig" "$(count test 1)" "groups' signal counts add up to sql's selected test signal"

exits 2 "a selection that keeps nothing" hs --session "$S" train none --where 'doca < -1'
like "$(cat "$T/.err")" "keeps none" "says so"
exits 1 "nothing stored" hs --session "$S" model show none

# groups --transfer retrains with the stored selection: its 2.5 row on
# the 2.5 column is what a model trained with the same selection on
# group 2.5 alone gives there (Fisher: deterministic).
exits 0 "fisher with the selection" hs --session "$S" train fw --method fisher --where "$W"
exits 0 "and on group 2.5 alone" \
    hs --session "$S" train f25 --method fisher --where "$W" --train-group 2.5
exits 0 "groups f25" hs --session "$S" groups f25 --where "$W" --csv
a25=$(awk -F, '$1 == "2.5" { print $3 }' "$T/.out")
exits 0 "groups fw --transfer" hs --session "$S" groups fw --transfer --where "$W" --csv
col=$(grep "^trained_on," "$T/.out" | tr ',' '\n' | grep -nx '2.5' | cut -d: -f1)
t25=$(awk -F, -v c="$col" '$1 == "2.5" { print $c }' "$T/.out")
is "$t25" "$a25" "the transfer's 2.5 cell is the selected 2.5 model's AUC ($a25)"
exits 0 "groups fw --transfer without --where" hs --session "$S" groups fw --transfer --csv
exits 0 "journal" hs --session "$S" journal
like "$(cat "$T/.out")" "train --dataset demo --method fisher .*--where 'doca < 0\.01' fw$" \
    "journaled with the selection, quoted"
done_testing

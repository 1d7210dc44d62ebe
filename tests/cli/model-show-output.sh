#!/bin/bash
# model show NAME of a projection or a clustering (which `model list`
# shows beside the models): every line against what sqlite3 reads from
# the session's outputs table; a name that is nothing still an error.
. "$HS_SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null || skip_all "no sqlite3 shell"
exits 0 "a small demo" hs --session "$S" demo --n-signal 200 --n-background 800 --seed 4
exits 0 "a projection" hs --session "$S" project pca pc --features doca,ip,m_mumu --where 'doca < 0.5'
exits 0 "a clustering" hs --session "$S" cluster kmeans km --features doca,ip --k 3

for name in pc km; do
    exits 0 "model show $name" hs --session "$S" model show "$name"
    out=$(cat "$T/.out")
    want=$(sqlite3 -separator '|' "$S" "select kind, method, options, features, coalesce(selection, ''), nfitted, nevents, figures from outputs where name = '$name'")
    IFS='|' read -r kind method options features selection nfitted nevents figures <<<"$want"
    like "$out" "^$kind '$name' \\($method\\) of dataset 'demo'" "$name: kind, method, dataset"
    is "$(printf '%s\n' "$out" | sed -n 's/^options: //p')" "$options" "$name: options as stored"
    is "$(printf '%s\n' "$out" | sed -n 's/^inputs: //p')" "$features" "$name: inputs"
    if [ -n "$selection" ]; then sel="--where '$selection'"; else sel="all events"; fi
    is "$(printf '%s\n' "$out" | sed -n 's/^selection: //p')" "$sel" "$name: selection"
    is "$(printf '%s\n' "$out" | sed -n 's/^events fitted: //p')" "$nfitted of $nevents" "$name: events fitted"
    is "$(printf '%s\n' "$out" | sed -n 's/^quality: //p')" "$figures" "$name: quality"
done
is "$(hs --session "$S" model show pc | sed -n 's/^columns: //p')" "pc_1, pc_2" "the projection's columns"
exits 1 "a name that is nothing" hs --session "$S" model show nope
like "$(cat "$T/.err")" "no projection or clustering either" "says so"

done_testing

#!/bin/bash
# hepscope select on a map of a subsample (t-SNE places only the events it
# embedded): the box's events counted with awk over --points, and
# --explain counted among the events the map placed, not among all of
# them (an event the map did not place is no evidence against the
# explanation); its figures recounted with sqlite3 over the exported
# events and the explanation's own SQL.  Malformed boxes and a
# projection that does not exist: clear errors, the session file as it was.
. "$HS_SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null || skip_all "no sqlite3 shell"
F=doca,ip,vz,m_mumu,pt_mumu
exits 0 "a small demo" hs --session "$S" demo --n-signal 500 --n-background 4500 --seed 6
exits 0 "a t-SNE map of 1000 of its events" hs --session "$S" --threads 1 \
    project tsne ts --features $F --n 1000 --iterations 250 --seed 1 --points "$T/p.csv"

# The box: the left half of the map, found from the points themselves.
mid=$(awk -F, 'NR > 1 { print $4 }' "$T/p.csv" | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", v[int(NR / 2)] }')
mid=$(awk -v m="$mid" 'BEGIN { print m + 0 }')
n=$(awk -F, -v m="$mid" 'NR > 1 && $4 < m { n++ } END { print n + 0 }' "$T/p.csv")
s=$(awk -F, -v m="$mid" 'NR > 1 && $4 < m && $2 == 1 { n++ } END { print n + 0 }' "$T/p.csv")
exits 0 "select a box on the map" hs --session "$S" select left --box ":$mid,:" --projection ts
like "$(cat "$T/.out")" "cut set 'left': ts_1 < $mid, ts_2 is not missing: $n of 5000 events \($s signal, $((n - s)) background\)" \
    "the box's events as awk counts them in --points"
like "$(cat "$T/.out")" "\); the map placed 1000 of the 5000$" "says how many the map placed"

exits 0 "explain the box" hs --session "$S" select left --explain --target 0.9
out=$(cat "$T/.out")
like "$out" "counted on the 1000 of 5000 events with a value in the learned columns it cuts on" \
    "counted among the 1000 events on the map"

# sqlite3 over the exported events: the explanation's SQL, among the
# events with ts_1, and what it keeps of the box.
exits 0 "export with the map's columns" hs --session "$S" export demo -o "$T/e.csv" --features
exits 0 "the explanation as SQL" hs --session "$S" cut export left_explained --as sql
cond=$(cat "$T/.out")
sqlite3 "$T/ref.db" ".import --csv $T/e.csv ev"
# sqlite3's import keeps text: a table with every column as a number,
# NULL for an empty cell (an event the map did not place).
cast=$(head -1 "$T/e.csv" | tr ',' '\n' | awk '{ printf "%s%s", (NR > 1 ? ", " : ""), "cast(nullif(\"" $0 "\", '"''"') as real) as \"" $0 "\"" }')
sqlite3 "$T/ref.db" "create table evr as select $cast from ev"
placed=$(sqlite3 "$T/ref.db" "select count(*) from evr where ts_1 is not null")
is "$placed" 1000 "sqlite3 sees 1000 placed events"
kept=$(sqlite3 "$T/ref.db" "select count(*) from evr where ts_1 is not null and ts_1 < $mid and ($cond)")
others=$(sqlite3 "$T/ref.db" "select count(*) from evr where ts_1 is not null and ts_1 >= $mid and ($cond)")
like "$out" "keeps $kept of the $n selected events" "kept: as sqlite3 counts it"
like "$out" "lets in $others of the $((1000 - n)) others" "let in: among the other placed events, as sqlite3 counts it"
passed=$((kept + others))
share=$(awk -v o="$others" -v p="$passed" 'BEGIN { printf "%.4f", o / p }')
like "$out" "\), $share of what it passes" "the others' share of what it passes"
ok "it keeps at least 0.9 of the box ($kept of $n)" awk -v k="$kept" -v n="$n" 'BEGIN { exit !(k >= 0.9 * n) }'

# A box on a PCA map (every event placed) is explained among every event.
exits 0 "a PCA map" hs --session "$S" project pca pc --features $F
exits 0 "a box on it" hs --session "$S" select pbox --box 0:,0: --projection pc
exits 0 "explain it" hs --session "$S" select pbox --explain --features ip,vz,m_mumu
ok "no placed-events line: PCA places every event" sh -c "! grep -q 'counted on the' '$T/.out'"
like "$(cat "$T/.out")" "keeps [0-9]+ of the [0-9]+ selected events \([0-9.]+\); lets in [0-9]+ of the [0-9]+ others" "counted"

# A selection on physical features only is explained among every event.
exits 0 "a cut set on features" hs --session "$S" cut set hard "doca < 0.002"
exits 0 "explain it" hs --session "$S" select hard --explain --features ip,vz,m_mumu
ok "no placed-events line" sh -c "! grep -q 'counted on the' '$T/.out'"
nh=$(sqlite3 "$T/ref.db" "select count(*) from evr where doca < 0.002")
like "$(cat "$T/.out")" "keeps [0-9]+ of the $nh selected events \([0-9.]+\); lets in [0-9]+ of the $((5000 - nh)) others" \
    "counted among all 5000"

# ---- bad input ---------------------------------------------------------------
dump() { sqlite3 "$S" .dump | md5sum; }
before=$(dump)
for box in "0:1" "0:1,2:3,4:5" "a:1,0:1" "0:1,0:b" "1:0,0:1" "0:1;0:1" ","; do
    exits 1 "--box '$box'" hs --session "$S" select x --box "$box" --projection ts
    like "$(cat "$T/.err")" "^hepscope: --box" "'$box': the error names --box"
done
exits 1 "a projection that does not exist" hs --session "$S" select x --box 0:1,0:1 --projection nope
like "$(cat "$T/.err")" "no projection or clustering 'nope' in dataset 'demo'" "says which"
exits 1 "a box without --projection" hs --session "$S" select x --box 0:1,0:1
like "$(cat "$T/.err")" "--box goes with --projection P" "says what it needs"
exits 0 "a clustering" hs --session "$S" cluster kmeans km --features $F --k 2
before=$(dump)
exits 1 "a clustering is not a map" hs --session "$S" select x --box 0:1,0:1 --projection km
like "$(cat "$T/.err")" "'km' is a clustering, not a projection" "says so"
exits 1 "--target 0" hs --session "$S" select left --explain --target 0
exits 1 "--target above 1" hs --session "$S" select left --explain --target 1.5
exits 1 "--explain with --projection" hs --session "$S" select left --explain --projection ts
is "$(dump)" "$before" "the session file is as it was (sqlite3 .dump)"

done_testing

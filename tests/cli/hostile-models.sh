#!/bin/bash
# Stored models planted with raw SQLite: a network that takes more or
# fewer inputs than the model lists, a kind no method makes, bytes that do
# not read back.  Every reader (export, show, score, roc, overtrain, the
# learned column in features and sql) says the session is damaged (exit 3)
# and writes nothing; none crashes.  model list still lists what it can.
. "$HS_SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || skip_all "no sqlite3"
exits 0 "a small demo" hs --session "$S" demo --n-signal 400 --n-background 1600 --seed 2
exits 0 "a network" hs --session "$S" train nn --layers 4 --epochs 1 --threads 1
exits 0 "a discriminant" hs --session "$S" train fish --method fisher
cp "$S" "$T/clean.db"

readers() { # every reader of model $1 on session $2: each must exit 3, naming the model
    local m=$1 s=$2 what=$3
    for c in "model export $m --as c -o $T/out.c" "model show $m" "score $m -o $T/out.csv" \
        "roc $m" "overtrain $m -o $T/out.png" "features" "sql select avg($m) from events('demo')"; do
        rm -f "$T/out.c" "$T/out.csv" "$T/out.png"
        # shellcheck disable=SC2086
        exits 3 "$what: ${c%% *} ${c#* }" hs --session "$s" $c
        like "$(cat "$T/.err")" "model '$m' is damaged" "$what: ${c%% *} names the model"
        ok "$what: ${c%% *} wrote no file" sh -c "! ls '$T'/out.* >/dev/null 2>&1"
    done
}

# More inputs in the network than the model lists (the old heap over-read).
cp "$T/clean.db" "$T/more.db"
sqlite3 "$T/more.db" "DELETE FROM model_features WHERE model = 'nn' AND position >= 2;
                      UPDATE models SET nfeatures = 2 WHERE name = 'nn'"
readers nn "$T/more.db" "19 inputs, 2 listed"
like "$(cat "$T/.err")" "takes 19 inputs but lists 2" "says what does not match"
exits 0 "model list still works" hs --session "$T/more.db" model list

# Fewer: a Fisher discriminant of 19 inputs listed with 20.
cp "$T/clean.db" "$T/fewer.db"
sqlite3 "$T/fewer.db" "INSERT INTO model_features VALUES ('fish', 19, 'vx2', 'vx * 2');
                       UPDATE models SET nfeatures = 20 WHERE name = 'fish'"
readers fish "$T/fewer.db" "19 inputs, 20 listed"

# A kind no method makes, and bytes that do not read back.
cp "$T/clean.db" "$T/kind.db"
sqlite3 "$T/kind.db" "PRAGMA ignore_check_constraints = 1; UPDATE models SET kind = 'svm' WHERE name = 'nn'"
exits 3 "an unknown kind" hs --session "$T/kind.db" model show nn
cp "$T/clean.db" "$T/bytes.db"
sqlite3 "$T/bytes.db" "UPDATE model_params SET params = x'485346534801' WHERE model = 'fish'"
readers fish "$T/bytes.db" "damaged bytes"

# The clean session is untouched by all of it.
exits 0 "the clean copy still scores" hs --session "$T/clean.db" score fish -o "$T/ok.csv"
ok "with every event" test "$(wc -l <"$T/ok.csv")" -eq 2001

done_testing

#!/bin/bash
# The kill test, end to end: `hepscope import` of a large file is killed
# with SIGKILL at random moments.  Each time the session must open, pass
# SQLite's integrity check and hold exactly the datasets committed before
# (an import that finished before the kill counts as committed).
. "$HS_SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null || skip_all "no sqlite3 shell for the integrity check"
awk 'BEGIN {
    srand(11); print "a,b,c,d,e,Truth"
    for (i = 0; i < 400000; i++)
        printf "%.6f,%.6f,%.4f,%d,%.8g,%d\n", rand(), -rand() * 100, rand() * 1e4, i, rand() / 7, i % 2
}' >"$T/big.csv"
exits 0 "a first import that stays" hs --session "$S" import "$T/big.csv" --name base --label Truth
committed="base"
RANDOM=4242
for round in 1 2 3 4 5 6 7 8 9 10; do
    hs --session "$S" import "$T/big.csv" --name "k$round" --label Truth >/dev/null 2>&1 &
    pid=$!
    # 0 to 0.4 s: before the file is read, while it is parsed, while it is stored.
    sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid"
    status=$?
    is "$(sqlite3 -cmd '.timeout 3000' "$S" 'pragma integrity_check' 2>&1)" ok "round $round (exit $status): integrity check"
    got=$(hs --session "$S" datasets --csv | tail -n +2 | cut -d, -f1 | sort | tr '\n' ' ')
    if [ "$status" -eq 0 ]; then
        committed="$committed k$round"
    elif printf '%s' "$got" | grep -qw "k$round"; then
        # Killed after its commit (while closing the session): it must be whole.
        committed="$committed k$round"
        exits 0 "round $round: killed after the commit" hs --session "$S" sql --csv \
            "select count(*) from events('k$round')"
        is "$(tail -1 "$T/.out")" 400000 "round $round: and the dataset is whole"
    fi
    want=$(printf '%s\n' $committed | sort | tr '\n' ' ')
    is "$got" "$want" "round $round: exactly the committed datasets"
    [ "$got" = "$want" ] || echo "# sqlite3 sees: $(sqlite3 -readonly "$S" 'select name from datasets order by name' | tr '\n' ' '); files: $(ls "$S"* | tr '\n' ' ')"
done
exits 0 "the first dataset is whole" hs --session "$S" sql --csv "select count(*), sum(d) from events('base')"
is "$(tail -1 "$T/.out")" "400000,79999800000" "400000 events, every one"
exits 0 "the session still takes a new import" hs --session "$S" import "$T/big.csv" --name after --label Truth
done_testing

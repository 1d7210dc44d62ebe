#!/bin/bash
# The kill test, end to end: `hepscope import` of a large file is killed
# with SIGKILL at random moments.  Each time the session must open, pass
# SQLite's integrity check and hold the datasets committed before: every
# import that finished, and a killed one only whole (when its commit had
# reached the write-ahead log), never a part of one.
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
maybe=""
for round in 1 2 3 4 5 6 7 8 9 10; do
    hs --session "$S" import "$T/big.csv" --name "k$round" --label Truth >/dev/null 2>&1 &
    pid=$!
    # 0 to 0.4 s: before the file is read, while it is parsed, while it is stored.
    sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid"
    status=$?
    if [ "$status" -eq 0 ]; then committed="$committed k$round"; else maybe="$maybe k$round"; fi
    is "$(sqlite3 -cmd '.timeout 3000' "$S" 'pragma integrity_check' 2>&1)" ok \
        "round $round (exit $status): integrity check"
    got=$(hs --session "$S" datasets --csv | tail -n +2 | cut -d, -f1)
    # Every import that finished is there; a killed one is there only if its
    # commit reached the log before the kill (SQLite may surface such a
    # commit only at its next recovery), and then whole.
    missing=""
    for d in $committed; do printf '%s\n' "$got" | grep -qx "$d" || missing="$missing $d"; done
    is "$missing" "" "round $round: every finished import is there"
    stray=""
    for d in $got; do
        case " $committed $maybe " in *" $d "*) ;; *) stray="$stray $d" ;; esac
    done
    is "$stray" "" "round $round: nothing but what was imported"
    for d in $maybe; do
        printf '%s\n' "$got" | grep -qx "$d" || continue
        exits 0 "round $round: $d, killed after its commit, reads" hs --session "$S" sql --csv \
            "select count(*), sum(d) from events('$d')"
        is "$(tail -1 "$T/.out")" "400000,79999800000" "round $round: and $d is whole"
    done
done
exits 0 "the first dataset is whole" hs --session "$S" sql --csv "select count(*), sum(d) from events('base')"
is "$(tail -1 "$T/.out")" "400000,79999800000" "400000 events, every one"
exits 0 "the session still takes a new import" hs --session "$S" import "$T/big.csv" --name after --label Truth
done_testing

#!/bin/bash
# Signals: one SIGINT stops any command at once (exit 130), an endless SQL
# query too; SIGTERM and SIGHUP stop it the same way (exit 143 and 129),
# and a stopped export leaves neither its file nor its temporary file
# behind.
. "$HS_SRCDIR/tests/lib.sh"

# Start a command in the background, send SIG once after WAIT seconds (or
# once the file FOR exists), and set $code and $took (milliseconds from
# the signal to the exit).
stop_with() { # SIG WAIT FOR COMMAND...
    local sig=$1 wait=$2 for=$3 t0
    shift 3
    # exec: with the EXIT trap set, a plain "$@" & would leave a shell
    # between us and hepscope, and the signal would go to it.
    (exec "$@" >/dev/null 2>"$T/.stop-err") &
    local pid=$!
    if [ -n "$for" ]; then
        for _ in $(seq 500); do
            compgen -G "$for" >/dev/null && break
            sleep 0.01
        done
    fi
    sleep "$wait"
    t0=$(date +%s%N)
    if kill -s "$sig" "$pid" 2>/dev/null; then sent=yes; else sent=no; fi
    # A command that does not stop is killed after 5 s (and fails).  No
    # watchdog subshell: killing one would run the EXIT trap in it.
    for _ in $(seq 500); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    kill -9 "$pid" 2>/dev/null
    wait "$pid"
    code=$?
    took=$((($(date +%s%N) - t0) / 1000000))
}

like "$(hs --help)" "143 terminated, 129 hung up" "--help gives the signals' exit codes"

exits 0 "a demo to work on" hs --session "$S" demo --seed 3

endless="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
stop_with INT 0.3 "" "$HS_BIN" --session "$S" sql "$endless"
is "$code" 130 "one SIGINT stops an endless sql query: exit 130"
ok "within a second (took ${took} ms)" test "$took" -lt 1000
like "$(cat "$T/.stop-err")" cancelled "and says it was cancelled"

stop_with TERM 0.3 "" "$HS_BIN" --session "$S" sql "$endless"
is "$code" 143 "SIGTERM stops it too: exit 143"

# features on 220,000 events: one SIGINT while each feature is sorted.
# (On a fast machine it may be done before the later signals: skipped.)
for wait in 0.2 0.4 0.6; do
    stop_with INT "$wait" "" "$HS_BIN" --session "$S" features
    if [ "$sent" = no ]; then
        _tap_result ok "# SKIP features was done within ${wait} s"
        continue
    fi
    is "$code" 130 "one SIGINT stops features after ${wait} s: exit 130"
    ok "within a second (took ${took} ms)" test "$took" -lt 1000
done

for sig in TERM:143 HUP:129 INT:130; do
    stop_with "${sig%:*}" 0.1 "$T/out.csv.tmp*" "$HS_BIN" --session "$S" export demo -o "$T/out.csv"
    is "$code" "${sig#*:}" "SIG${sig%:*} during export: exit ${sig#*:}"
    ok "SIG${sig%:*} during export: no temporary file left" \
        test -z "$(compgen -G "$T/out.csv.tmp*")"
    ok "SIG${sig%:*} during export: no half file" test ! -e "$T/out.csv"
done

# The TUI leaves on SIGTERM as on 'q': the terminal restored, exit 143.
if command -v script >/dev/null && command -v pgrep >/dev/null; then
    # script(1) wants a standard input that stays open: a sleep, whose
    # output must not hold the test's open.
    (sleep 10 | HS_WORDS=$(printf '%q ' "$HS_BIN" --session "$S") \
        script -qec 'eval "$HS_WORDS"; echo "EXIT=$?"' /dev/null) >"$T/tui.out" 2>&1 &
    pid=
    for _ in $(seq 300); do
        pid=$(pgrep -f -x "$HS_BIN --session $S") && break
        sleep 0.01
    done
    sleep 0.5
    [ -n "$pid" ] && kill -TERM "$pid"
    for _ in $(seq 500); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    kill -9 "$pid" 2>/dev/null
    for _ in $(seq 200); do
        grep -q EXIT= "$T/tui.out" && break
        sleep 0.01
    done
    like "$(tr -d '\r' <"$T/tui.out")" 'EXIT=143' "SIGTERM in the TUI: it leaves, exit 143"
else
    _tap_result ok "# SKIP no script or pgrep"
fi

done_testing

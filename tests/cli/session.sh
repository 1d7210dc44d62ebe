#!/bin/sh
# Session safety: busy, corrupt, foreign and newer files; Ctrl-C.
. "$HS_SRCDIR/tests/lib.sh"

skip() { _tap_result ok "$1 # SKIP $2"; }

# SQL on a file behind hepscope's back: the sqlite3 shell, else Python's
# sqlite3 module; HAVE_SQL is empty when there is neither.
if command -v sqlite3 >/dev/null 2>&1; then
    HAVE_SQL=1
    sqlx() { sqlite3 "$1" "$2"; }
    # Hold the write lock of $1 for $2 seconds.
    hold_lock() { (printf 'begin immediate;\n'; sleep "$2"; printf 'rollback;\n') | sqlite3 "$1" >/dev/null 2>&1; }
elif [ -x /usr/bin/python3 ]; then
    HAVE_SQL=1
    sqlx() { /usr/bin/python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1], isolation_level=None).executescript(sys.argv[2])' "$1" "$2"; }
    hold_lock() { /usr/bin/python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("begin immediate")
time.sleep(float(sys.argv[2]))
c.execute("rollback")' "$1" "$2"; }
else
    HAVE_SQL=
fi
printf 'a,b\n1,2\n3,4\n' >"$T/small.csv"
exits 0 "import" hs --session "$S" import "$T/small.csv"

# A corrupt file: exit 3, and the file is never modified.
head -c 4096 /dev/urandom >"$T/garbage.db"
cp "$T/garbage.db" "$T/garbage.copy"
exits 3 "datasets on garbage exits 3" hs --session "$T/garbage.db" datasets
like "$(cat "$T/.err")" "^hepscope: .*garbage.db" "the file is named"
exits 3 "import into garbage exits 3" hs --session "$T/garbage.db" import "$T/small.csv"
ok "the garbage file is unchanged" cmp "$T/garbage.db" "$T/garbage.copy"
ok "no -wal or -journal beside it" sh -c "! ls \"$T\" | grep -E -q 'garbage.db-(wal|journal)'"

# A session with its middle overwritten.
hs --session "$T/big.db" import "$T/small.csv" >/dev/null
awk 'BEGIN { srand(9); print "x,y"; for (i = 0; i < 50000; i++) printf "%.17g,%.17g\n", rand(), rand() }' >"$T/big.csv"
hs --session "$T/big.db" import "$T/big.csv" >/dev/null
size=$(wc -c <"$T/big.db")
dd if=/dev/urandom of="$T/big.db" bs=1 seek=$((size / 2)) count=2048 conv=notrunc 2>/dev/null
# A header left intact but an interior page damaged: a read may or may not
# notice; it must fail with 3 or succeed, and never change the file.
cp "$T/big.db" "$T/big.copy"
hs --session "$T/big.db" export big -o "$T/big-out.csv" >/dev/null 2>"$T/err"
rc=$?
ok "a damaged session gives 0 or 3 (got $rc)" test "$rc" = 0 -o "$rc" = 3
ok "the damaged file is unchanged" cmp "$T/big.db" "$T/big.copy"
head -c 3000 "$S" >"$T/trunc.db"
cp "$T/trunc.db" "$T/trunc.copy"
exits 3 "a truncated session exits 3" hs --session "$T/trunc.db" datasets
ok "the truncated file is unchanged" cmp "$T/trunc.db" "$T/trunc.copy"

# A plain SQLite database that is not a session.
if [ -n "$HAVE_SQL" ]; then
    sqlx "$T/foreign.db" "create table t(x); insert into t values (1);"
    cp "$T/foreign.db" "$T/foreign.copy"
    exits 3 "a foreign SQLite file exits 3" hs --session "$T/foreign.db" import "$T/small.csv"
    ok "the foreign file is unchanged" cmp "$T/foreign.db" "$T/foreign.copy"
    # A session written by a newer hepscope.
    cp "$S" "$T/newer.db"
    sqlx "$T/newer.db" "pragma user_version = 99; update meta set value = '99' where key = 'schema_version';"
    cp "$T/newer.db" "$T/newer.copy"
    exits 3 "a newer session exits 3" hs --session "$T/newer.db" datasets
    like "$(cat "$T/.err")" "newer|version" "the message says why"
    exits 3 "import into a newer session exits 3" hs --session "$T/newer.db" import "$T/small.csv" --name n2
    ok "the newer file is unchanged" cmp "$T/newer.db" "$T/newer.copy"
    # A trigger that hepscope did not create.
    cp "$S" "$T/trig.db"
    sqlx "$T/trig.db" "create trigger evil after insert on journal begin delete from datasets; end;"
    exits 3 "a session with a foreign trigger exits 3" hs --session "$T/trig.db" import "$T/small.csv" --name t2
else
    for d in "foreign file" "newer session" "foreign trigger"; do skip "$d" "no sqlite3 shell or python3"; done
fi

# Two writers: the second gets "session is busy" (exit 3) after a short wait.
if [ -n "$HAVE_SQL" ]; then
    hold_lock "$S" 4 &
    holder=$!
    sleep 1
    exits 3 "a second writer exits 3" hs --session "$S" import "$T/small.csv" --name other
    like "$(cat "$T/.err")" "session is busy" "the message says the session is busy"
    exits 0 "a reader is not blocked by the writer" hs --session "$S" datasets --csv
    wait $holder
    exits 0 "after the writer, the import works" hs --session "$S" import "$T/small.csv" --name other
else
    for d in "second writer" "busy message" "reader" "import after"; do skip "$d" "no sqlite3 shell or python3"; done
fi
# Two hepscope writers at once: each ends 0 or 3, never a damaged file.
awk 'BEGIN { srand(2); print "x,y,z"; for (i = 0; i < 300000; i++) printf "%.17g,%.17g,%.17g\n", rand(), rand(), rand() }' >"$T/w.csv"
hs --session "$T/two.db" import "$T/small.csv" >/dev/null
"$HS_BIN" --session "$T/two.db" import "$T/w.csv" --name w1 >/dev/null 2>"$T/e1" &
p1=$!
"$HS_BIN" --session "$T/two.db" import "$T/w.csv" --name w2 >/dev/null 2>"$T/e2" &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
ok "concurrent writers end 0 or 3 ($r1, $r2)" test "$r1$r2" = 00 -o "$r1$r2" = 03 -o "$r1$r2" = 30
if [ "$r1$r2" != 00 ]; then
    like "$(cat "$T/e1" "$T/e2")" "session is busy" "the loser was told the session is busy"
fi
exits 0 "the session still opens" hs --session "$T/two.db" datasets --csv
n=$(grep -c '^w[12],300000,3,no$' "$T/.out")
ok "the winners are whole ($n)" test "$n" -ge 1

# Ctrl-C: exit 130, nothing stored; a second Ctrl-C leaves at once.  The
# input comes through a FIFO from a feeder that pauses, so that the import
# is surely under way when the signal comes.
awk 'BEGIN { print "x,y"; for (i = 0; i < 1000; i++) print i "," i * 2 }' >"$T/head.csv"
awk 'BEGIN { for (i = 0; i < 1000; i++) print i "," i * 2 }' >"$T/tail.csv"
mkfifo "$T/fifo"
(cat "$T/head.csv"; sleep 2; cat "$T/tail.csv") >"$T/fifo" 2>/dev/null &
feeder=$!
"$HS_BIN" --session "$S" import - --name slow <"$T/fifo" >/dev/null 2>"$T/ce" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
is "$?" 130 "Ctrl-C during an import exits 130"
like "$(cat "$T/ce")" "cancelled" "the cancel is said"
wait $feeder
exits 0 "datasets after the cancel" hs --session "$S" datasets --csv
ok "the cancelled import stored nothing" sh -c "! grep -q '^slow,' \"$T/.out\""
exits 0 "the cancel was not journaled" hs --session "$S" journal
ok "no slow in the journal" sh -c "! grep -q 'slow' \"$T/.out\""
(cat "$T/head.csv"; sleep 5; cat "$T/tail.csv") >"$T/fifo" 2>/dev/null &
feeder=$!
"$HS_BIN" --session "$S" import - --name slow2 <"$T/fifo" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -INT $pid
sleep 0.2
kill -INT $pid
start=$(date +%s)
wait $pid
is "$?" 130 "a second Ctrl-C exits 130"
ok "a second Ctrl-C does not wait for the work" test $(($(date +%s) - start)) -lt 2
kill $feeder 2>/dev/null
wait $feeder 2>/dev/null
hs --session "$S" datasets --csv >"$T/ds"
ok "still nothing stored" sh -c "! grep -q '^slow2,' \"$T/ds\""

# A planted row count: events() says damaged (exit 3) at once, as info does.
if [ -n "$HAVE_SQL" ]; then
    hs --session "$T/count0.db" import "$T/big.csv" >/dev/null
    for n in 1000000000000000 3; do
        cp "$T/count0.db" "$T/count.db"
        sqlx "$T/count.db" "UPDATE datasets SET nrows = $n WHERE name = 'big'"
        exits 3 "sql on a planted count of $n exits 3" timeout 5 "$HS_BIN" --session "$T/count.db" \
            sql "select count(*) from events('big')"
        like "$(cat "$T/.err")" "count.db: the session file is damaged \\(dataset 'big'" \
            "the count of $n is damage in dataset 'big'"
        exits 3 "info on a planted count of $n exits 3" timeout 5 "$HS_BIN" --session "$T/count.db" \
            info big
    done
else
    for n in 1 2 3 4 5 6; do skip "a planted count ($n)" "no sqlite3 or python3"; done
fi
# A planted label other than 0 or 1 (here 2, in event 3): train refuses
# the damaged dataset (exit 3) and stores no model.
if [ -n "$HAVE_SQL" ]; then
    awk 'BEGIN { srand(4); print "x,y,Truth"; for (i = 0; i < 400; i++) printf "%.17g,%.17g,%d\n", rand(), rand(), i % 2 }' >"$T/lab.csv"
    hs --session "$T/label.db" import "$T/lab.csv" --label Truth >/dev/null
    sqlx "$T/label.db" "UPDATE chunks SET data = CAST(substr(data, 1, 16) || x'0000000000000040' || substr(data, 25) AS BLOB) WHERE col = (SELECT idx FROM columns WHERE role = 'label')"
    exits 3 "train on a planted label exits 3" hs --session "$T/label.db" train m --method fisher
    like "$(cat "$T/.err")" "the session file is damaged \\(dataset 'lab': event 3 has the label 2, not 0 or 1\\)" \
        "the planted label is named"
    is "$(sqlx "$T/label.db" "SELECT count(*) FROM models")" "0" "no model is stored on it"
else
    for n in 1 2 3; do skip "a planted label ($n)" "no sqlite3 or python3"; done
fi
# --session is a path, never an SQLite URI: file:other.db is the file of
# that literal name, which does not exist; other.db is not touched.
mkdir "$T/uri"
in_uri() { (cd "$T/uri" && "$HS_BIN" "$@"); }
if [ -n "$HAVE_SQL" ]; then
    sqlx "$T/uri/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
    cp "$T/uri/other.db" "$T/uri/other.copy"
    exits 3 "file:other.db is not read as a URI" in_uri --session file:other.db datasets
    exits 0 "import into file:other.db makes that literal file" \
        in_uri --session file:other.db import "$T/small.csv"
    ok "other.db is unchanged" cmp "$T/uri/other.db" "$T/uri/other.copy"
    ok "other.db has no -wal beside it" test ! -e "$T/uri/other.db-wal"
    ok "the session is the file named file:other.db" test -s "$T/uri/file:other.db"
else
    for n in 1 2 3 4 5; do skip "file: paths ($n)" "no sqlite3 or python3"; done
fi
exits 3 "a missing file:new.db" in_uri --session file:new.db datasets
ok "nothing made for file:new.db" test ! -e "$T/uri/file:new.db" -a ! -e "$T/uri/new.db"
exits 3 "file:x?mode=memory is a missing path" in_uri --session "file:$T/uri/m.db?mode=memory" datasets
ok "no folder named file: is made" test ! -e "$T/uri/file:"
exits 3 "a missing :memory:" in_uri --session :memory: datasets

# An empty file is not a session: a command that does not bring data
# leaves it empty, as the read verbs do; import makes it one.
: >"$T/empty.db"
exits 3 "feature add on an empty file exits 3" hs --session "$T/empty.db" feature add 'q = a + b'
like "$(cat "$T/.err")" "empty.db: not a hepscope session \\(an empty file\\)" \
    "feature add calls it no session"
exits 3 "drop on an empty file exits 3" hs --session "$T/empty.db" drop small
exits 3 "datasets on an empty file exits 3" hs --session "$T/empty.db" datasets
ok "the empty file is still empty" test ! -s "$T/empty.db"
ok "and nothing beside it" test ! -e "$T/empty.db-wal" -a ! -e "$T/empty.db-shm"
exits 0 "import makes an empty file a session" hs --session "$T/empty.db" import "$T/small.csv"

# A train that fails after the default split was made stores no split.
if [ -n "$HAVE_SQL" ]; then
    hs --session "$T/label2.db" import "$T/lab.csv" --label Truth >/dev/null
    exits 2 "train on a selection without signal fails" hs --session "$T/label2.db" train m2 \
        --method fisher --where 'Truth == 0'
    is "$(sqlx "$T/label2.db" "SELECT count(*) FROM splits")" "0" "the failed train stored no split"
    is "$(sqlx "$T/label2.db" "SELECT count(*) FROM journal WHERE command LIKE 'train%'")" "0" \
        "nor a journal line"
else
    for n in 1 2 3; do skip "a failed train ($n)" "no sqlite3 or python3"; done
fi
# Read-only sessions, as a user whom permissions bind (root's do not):
# reads work without making anything beside the file, a write says so.
if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    R=$(mktemp -d /tmp/hsro.XXXXXX)
    chmod 755 "$R"
    nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$HS_BIN" "$@"; }
    hs --session "$R/s.db" import "$T/small.csv" >/dev/null
    chown 65534 "$R/s.db"
    chmod 644 "$R/s.db"
    chmod 555 "$R"
    exits 0 "datasets in a folder the user cannot write" nobody --session "$R/s.db" datasets
    like "$(cat "$T/.out")" "^small +2 " "the dataset is listed"
    exits 0 "sql there" nobody --session "$R/s.db" sql --csv "select count(*) from events('small')"
    is "$(tail -1 "$T/.out")" "2" "sql reads the events"
    exits 3 "drop there exits 3" nobody --session "$R/s.db" drop small
    like "$(cat "$T/.err")" "s.db: cannot write the session \\(its folder is read-only to you\\)" \
        "the write is refused with the reason"
    ok "nothing made in the folder" test ! -e "$R/s.db-shm" -a ! -e "$R/s.db-wal"
    # A 0444 file of the user's own in a folder of theirs.
    chmod 755 "$R"
    chown -R 65534 "$R"
    chmod 444 "$R/s.db"
    exits 0 "datasets on a 0444 file" nobody --session "$R/s.db" datasets
    exits 0 "sql on a 0444 file" nobody --session "$R/s.db" sql "select count(*) from events('small')"
    ok "no -shm left beside the 0444 file" test ! -e "$R/s.db-shm"
    exits 3 "drop on the 0444 file exits 3" nobody --session "$R/s.db" drop small
    like "$(cat "$T/.err")" "cannot write the session \\(the file is read-only to you\\)" \
        "the 0444 file is named as the reason"
    chmod 644 "$R/s.db"
    exits 0 "made writable again, the owner's writes work" nobody --session "$R/s.db" drop small
    rm -rf "$R"
else
    for n in $(seq 1 14); do skip "read-only sessions ($n)" "needs setpriv and root"; done
fi
# A full disk, as a file size limit (EFBIG, SIGXFSZ ignored): a session
# error naming the file, and nothing stored.
awk 'BEGIN { srand(5); print "x,y"; for (i = 0; i < 200000; i++) printf "%.17g,%.17g\n", rand(), rand() }' >"$T/full.csv"
hs --session "$T/full.db" import "$T/small.csv" >/dev/null
limited() { (trap '' XFSZ; ulimit -f 1000 && "$HS_BIN" "$@"); }
exits 3 "an import that fills the disk exits 3" limited --session "$T/full.db" import "$T/full.csv"
like "$(cat "$T/.err")" "full.db: .*the disk is full" "the file is named and the disk said full"
if [ -n "$HAVE_SQL" ]; then
    is "$(sqlx "$T/full.db" "SELECT group_concat(name) FROM datasets")" "small" "nothing was stored"
else
    skip "nothing was stored" "no sqlite3 or python3"
fi

exits 1 "events(NULL) is a usage error" hs --session "$S" sql "select * from events(NULL)"
like "$(cat "$T/.err")" "events\\(\\) needs a dataset name" "events(NULL) says what it needs"

# A progress line on a terminal for work that lasts, erased before the
# result; none at all when stderr is not a terminal (see the tests above).
if command -v script >/dev/null 2>&1; then
    (cat "$T/head.csv"; sleep 1.5; cat "$T/tail.csv") >"$T/fifo" 2>/dev/null &
    feeder=$!
    script -qec "\"$HS_BIN\" --session \"$S\" import \"$T/fifo\" --name prog" /dev/null >"$T/tty" 2>&1 </dev/null
    wait $feeder
    like "$(tr '\r' '\n' <"$T/tty")" "import: reading" "a progress line on a terminal"
    like "$(tr '\r' '\n' <"$T/tty" | grep -v '^ *$' | tail -1)" "^imported 'prog': 2000 events" \
        "the result comes after the progress line is erased"
else
    skip "a progress line on a terminal" "no script(1)"
    skip "the result comes after the progress line is erased" "no script(1)"
fi

done_testing

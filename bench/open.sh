#!/bin/bash
# bench/open.sh: open a session of 1,000,000 events x 20 columns and have the
# table in memory, against reading the same events from an ordinary SQLite
# table of REAL columns.  Both are whole processes (bench/open_bench).
# Goal: under 100 ms, and 8x faster than the SQLite table.
#
# Then what a command that touches one column waits for: the session opened
# lazily and that column read (open_bench column: the label comes with the
# table), and a whole `hepscope plot hist x3` drawn as text, with fixed bins
# so that no quantile search is timed.  Goal: the one-column open under
# 30 ms.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cpu.sh"
need_packages sqlite3 python3-numpy

ROWS=${ROWS:-1000000}
make -C "$BUILD" -s bench/open_bench >/dev/null
OB=$BUILD/bench/open_bench
csv=$WORK/events.csv
$PY "$BENCH_DIR/gen_csv.py" "$ROWS" 20 "$csv"
echo "open: $ROWS events x 20 columns; $(machine)"

"$HS" --session "$WORK/s.db" import "$csv" --name ev --label label >/dev/null
cols=$(head -1 "$csv" | sed 's/,/ REAL, /g; s/$/ REAL/')
tail -n +2 "$csv" >"$WORK/body.csv"
sqlite3 "$WORK/q.db" "create table ev($cols)" ".import --csv $WORK/body.csv ev"
echo "  hepscope: $("$OB" hepscope "$WORK/s.db" ev)"
echo "  sqlite:   $("$OB" sqlite "$WORK/q.db" ev)"

time_median hepscope_open ":" "$OB hepscope $WORK/s.db ev"
time_median sqlite_table ":" "$OB sqlite $WORK/q.db ev"
echo "  hepscope vs an ordinary SQLite table: $(ratio "$MEDIAN_sqlite_table" "$MEDIAN_hepscope_open") faster (goal 8x, and under 100 ms)"

echo "  one column: $("$OB" column "$WORK/s.db" ev x3)"
time_median one_column_open ":" "$OB column $WORK/s.db ev x3"
time_median plot_hist_x3_text ":" \
    "'$HS' --session '$WORK/s.db' plot hist x3 --bins 50 --range -100:100 --width 100 --height 30"
cpu_median one_column_open "$OB column $WORK/s.db ev x3"
cpu_median plot_hist_x3_text_1_thread \
    "'$HS' --threads 1 --session '$WORK/s.db' plot hist x3 --bins 50 --range -100:100 --width 100 --height 30"
echo "  one column vs the whole table: $(ratio "$MEDIAN_hepscope_open" "$MEDIAN_one_column_open") faster (goal: under 30 ms)"

#!/bin/bash
# bench/import.sh: import a 1,000,000-row x 9-column numeric CSV.
#   hepscope import           (parses and stores into the session)
#   sqlite3 ".import --csv"   into a table of REAL columns
#   pandas.read_csv           (parses only; stores nothing)
# Goal: 5x faster than sqlite3, 3x faster than pandas.  --busy: also with
# a competing CPU-bound process, and hepscope at --threads 1 beside its
# default (bench/lib.sh).
. "$(dirname "$0")/lib.sh"
need_packages sqlite3 python3-pandas python3-numpy

ROWS=${ROWS:-1000000}
csv=$WORK/events.csv
$PY "$BENCH_DIR/gen_csv.py" "$ROWS" 9 "$csv"
echo "import: $ROWS rows x 9 columns, $(du -m "$csv" | cut -f1) MB; $(machine)"

cols=$(head -1 "$csv" | sed 's/,/ REAL, /g; s/$/ REAL/')
tail -n +2 "$csv" >"$WORK/body.csv"

measure() {
    time_median hepscope "rm -f $WORK/s.db*" "$HS --session $WORK/s.db import $csv --name ev"
    if [ "$BUSY" = 1 ]; then
        time_median hepscope_1 "rm -f $WORK/s.db*" "$HS --threads 1 --session $WORK/s.db import $csv --name ev"
    fi
    time_median sqlite3 "rm -f $WORK/q.db*; sqlite3 $WORK/q.db 'create table ev($cols)'" \
        "sqlite3 $WORK/q.db '.import --csv $WORK/body.csv ev'"
    py_median pandas "import pandas" "pandas.read_csv('$csv')"
}
for_modes measure

echo "  hepscope vs sqlite3 .import: $(ratio "$MEDIAN_sqlite3" "$MEDIAN_hepscope") faster (goal 5x)"
echo "  hepscope vs pandas.read_csv: $(ratio "$MEDIAN_pandas" "$MEDIAN_hepscope") faster (goal 3x)"
echo "  (hepscope's time is a whole process, start-up included; pandas runs in a warm interpreter)"
busy_report import hepscope hepscope_1 pandas

#!/bin/sh
# export: exact round trips, text and missing cells, atomic writes, locale.
. "$HS_SRCDIR/tests/lib.sh"

skip() { _tap_result ok "$1 # SKIP $2"; }

# Numbers that are hard to print: shortest forms, extremes, subnormals,
# integers past 2^53, many digits; missing cells; text needing quotes.
{
    echo 'a,b,c,t'
    echo '0.1,0.30000000000000004,1e-300,plain'
    echo '4.9406564584124654e-324,2.2250738585072014e-308,1.7976931348623157e308,"with,comma"'
    echo '-0,123456789012345678,9007199254740993,"say ""hi"""'
    echo '1.500,+2,1E5,'
    echo ',3.14,-2.5e-7,x'
    echo '0.000001,1e21,123.456e-2,"  padded "'
    awk 'BEGIN { srand(5); for (i = 0; i < 3000; i++) printf "%.17g,%.17g,%.*g,r%d\n", (rand() - 0.5) * 10 ^ int(rand() * 40 - 20), rand(), 1 + int(rand() * 17), rand() * 1e6, i % 13 }'
} >"$T/hard.csv"

exits 0 "import the hard file" hs --session "$S" import "$T/hard.csv"
exits 0 "export it" hs --session "$S" export hard -o "$T/out.csv"
is "$(cat "$T/.out")$(cat "$T/.err")" "" "export prints nothing"
is "$(head -1 "$T/out.csv")" "a,b,c,t" "the header in file order"
is "$(wc -l <"$T/out.csv")" "$(wc -l <"$T/hard.csv")" "one line per event"
if [ -x /usr/bin/python3 ]; then
    cat >"$T/norm.py" <<'PY'
import csv, sys
def norm(path):
    rows = []
    with open(path, newline='') as f:
        for i, row in enumerate(csv.reader(f)):
            out = []
            for j, cell in enumerate(row):
                if i > 0 and j < 3:
                    out.append(repr(float(cell)) if cell != '' else '')
                else:
                    out.append(cell)
            rows.append(out)
    return rows
a, b = norm(sys.argv[1]), norm(sys.argv[2])
for k, (x, y) in enumerate(zip(a, b)):
    if x != y:
        print('# line %d: %r != %r' % (k + 1, x, y))
        sys.exit(1)
sys.exit(len(a) != len(b))
PY
    ok "every number and string comes back exactly" /usr/bin/python3 "$T/norm.py" "$T/hard.csv" "$T/out.csv"
    /usr/bin/python3 "$T/norm.py" "$T/hard.csv" "$T/out.csv" | head -3
else
    skip "every number and string comes back exactly" "no /usr/bin/python3"
fi
# The same with awk alone for the numeric columns (strtod and %.17g).
awk -F, 'NR > 1 && NR < 3000 && $1 != "" { printf "%.17g\n", $1 }' "$T/hard.csv" | tail -2990 >"$T/want_a"
awk -F, 'NR > 1 && NR < 3000 && $1 != "" { printf "%.17g\n", $1 }' "$T/out.csv" | tail -2990 >"$T/got_a"
ok "column a agrees with awk's strtod" cmp "$T/want_a" "$T/got_a"
is "$(sed -n 3p "$T/out.csv")" '5e-324,2.2250738585072014e-308,1.7976931348623157e+308,"with,comma"' \
    "extremes in shortest form, text with a comma quoted"
is "$(sed -n 2p "$T/out.csv")" "0.1,0.30000000000000004,1e-300,plain" "short decimals stay short"
is "$(sed -n 5p "$T/out.csv")" "1.5,2,100000," "normalised numbers, a missing text cell empty"
is "$(sed -n 6p "$T/out.csv")" ",3.14,-2.5e-07,x" "a missing number is an empty cell"
is "$(sed -n 4p "$T/out.csv")" '-0,1.2345678901234568e+17,9007199254740992,"say ""hi"""' "-0 kept, big integers rounded once, quotes doubled"

# export | import | export is byte-identical.
exits 0 "import the export" hs --session "$S" import "$T/out.csv" --name again
exits 0 "export again" hs --session "$S" export again -o "$T/out2.csv"
ok "the second export is byte-identical" cmp "$T/out.csv" "$T/out2.csv"
exits 0 "export to stdout" hs --session "$S" export again -o -
ok "-o - writes the same bytes" cmp "$T/.out" "$T/out.csv"
exits 0 "export --output=FILE" hs --session "$S" export --output="$T/out3.csv" --dataset again
ok "--output= works" cmp "$T/out3.csv" "$T/out.csv"

# Synthetic columns are not exported; label, weight and group columns are.
printf 'v,Truth,w\n1,0,0.5\n2,1,1.5\n' >"$T/lab.csv"
exits 0 "import labelled" hs --session "$S" import "$T/lab.csv" --label Truth --weight w
exits 0 "export labelled" hs --session "$S" export lab -o "$T/lab-out.csv"
ok "exactly the imported columns" cmp "$T/lab.csv" "$T/lab-out.csv"
printf ',v,u\n0,1,2\n1,3,4\n' >"$T/pandas.csv"
exits 0 "import a pandas index" hs --session "$S" import "$T/pandas.csv"
exits 0 "export without the index" hs --session "$S" export pandas -o -
is "$(cat "$T/.out")" "v,u
1,2
3,4" "the row index is not a column"
printf 'a,b\n1,2\n' >"$T/sg.csv"
printf 'a,b\n3,4\n' >"$T/bg.csv"
exits 0 "import signal and background" hs --session "$S" import --name sb --signal-file "$T/sg.csv" --background-file "$T/bg.csv"
exits 0 "export it" hs --session "$S" export sb -o -
is "$(cat "$T/.out")" "a,b
1,2
3,4" "no _group and no _label in the export"

# Failures leave no file behind.
exits 1 "export without -o exits 1" hs --session "$S" export again
exits 2 "export into a missing folder exits 2" hs --session "$S" export again -o "$T/no/such/dir/x.csv"
like "$(cat "$T/.err")" "no/such/dir/x.csv" "the path is named"
exits 2 "export onto a folder exits 2" hs --session "$S" export again -o "$T"
like "$(cat "$T/.err")" "folder" "a folder is not a file"
echo "old content" >"$T/keep.csv"
chmod a-w "$T"
if [ -w "$T" ]; then
    chmod u+w "$T"
    skip "an unwritable folder keeps the old file" "running as root"
else
    exits 2 "export into a read-only folder exits 2" hs --session "$S" export again -o "$T/keep.csv"
    chmod u+w "$T"
    is "$(cat "$T/keep.csv")" "old content" "an unwritable folder keeps the old file"
fi
ok "no temporary files left" sh -c "! ls \"$T\" | grep -q tmp"
exits 1 "export of an unknown dataset exits 1" hs --session "$S" export nope -o "$T/nope.csv"
ok "no file for an unknown dataset" test ! -e "$T/nope.csv"

# The locale does not change numbers: the same bytes under a comma locale.
loc=$(locale -a 2>/dev/null | grep -i -E '^(de_DE|fr_FR|nl_NL|it_IT|es_ES|pt_BR|ru_RU)\.utf-?8$' | head -1)
if [ -n "$loc" ]; then
    LC_ALL=$loc "$HS_BIN" --session "$T/loc.db" import "$T/hard.csv" >/dev/null 2>&1
    LC_ALL=$loc "$HS_BIN" --session "$T/loc.db" export hard -o "$T/loc.csv" >/dev/null 2>&1
    ok "export under $loc is byte-identical" cmp "$T/loc.csv" "$T/out.csv"
    LC_ALL=$loc "$HS_BIN" --session "$T/loc.db" sql --csv "select avg(b) from events('hard')" >"$T/loc-sql" 2>&1
    "$HS_BIN" --session "$S" sql --csv "select avg(b) from events('hard')" >"$T/c-sql" 2>&1
    ok "sql under $loc prints the same" cmp "$T/loc-sql" "$T/c-sql"
else
    skip "export under a comma-decimal locale is byte-identical" "no such locale installed"
    skip "sql under a comma-decimal locale prints the same" "no such locale installed"
fi

# A device is written in place, never replaced by a renamed file.
if [ -c /dev/null ]; then
    exits 0 "export to /dev/null" hs --session "$S" export hard -o /dev/null
    ok "/dev/null is still a device" test -c /dev/null
fi
mkfifo "$T/fifo" && {
    cat "$T/fifo" >"$T/fifo.out" &
    exits 0 "export to a FIFO" hs --session "$S" export hard -o "$T/fifo"
    wait
    ok "the FIFO got the CSV and is still a FIFO" sh -c "test -p '$T/fifo' && test -s '$T/fifo.out'"
}
done_testing

#!/bin/sh
# sql: results, NULLs, CSV quoting, read-only, hostile names.
. "$HS_SRCDIR/tests/lib.sh"

awk 'BEGIN {
    srand(3);
    print "x,y,lab,name";
    for (i = 1; i <= 2000; i++) {
        y = (i % 10 == 0) ? "" : sprintf("%.17g", rand() * 100);
        printf "%.17g,%s,%d,%s\n", rand() * 2 - 1, y, i % 2, (i % 7 ? "plain" : "\"has,comma\"");
    }
}' >"$T/d.csv"
exits 0 "import" hs --session "$S" import "$T/d.csv" --label lab

exits 0 "count(*)" hs --session "$S" sql --csv "select count(*) from events('d')"
is "$(cat "$T/.out")" "count(*)
2000" "count(*) is the row count"
is "$(cat "$T/.err")" "" "sql writes nothing to stderr"
exits 0 "avg(y)" hs --session "$S" sql --csv "select avg(y), count(y), sum(_label) from events('d')"
got=$(tail -1 "$T/.out")
ref=$(awk -F, 'NR > 1 && $2 != "" { s += $2; n++ } END { printf "%.17g,%d\n", s / n, n }' "$T/d.csv")
ok "avg(y) matches awk within 1e-12" awk -v a="${got%%,*}" -v b="${ref%%,*}" \
    'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-12 * b) }'
is "$(echo "$got" | cut -d, -f2-)" "$(echo "$ref" | cut -d, -f2),1000" "NULLs are not counted; 1000 signal"
exits 0 "NULL is an empty CSV cell" hs --session "$S" sql --csv "select y from events('d') where y is null limit 2"
is "$(wc -l <"$T/.out") $(grep -c '^$' "$T/.out")" "3 2" "NULL as empty cells"
exits 0 "NULL in the aligned table" hs --session "$S" sql "select y, 1 from events('d') where y is null limit 1"
like "$(tail -1 "$T/.out")" "^NULL +1$" "NULL shown as NULL"
exits 0 "aligned table" hs --session "$S" sql "select 1 as a, 'xyz' as bb, 2.5 as c"
is "$(cat "$T/.out")" "a  bb     c
1  xyz  2.5" "aligned columns, numbers right"

# CSV: numbers never quoted, text quoted when needed, exact numbers.
exits 0 "quoted text" hs --session "$S" sql --csv "select name, x from events('d') where name <> 'plain' limit 1"
like "$(tail -1 "$T/.out")" '^"has,comma",-?[0-9]' "a comma in text is quoted, the number is not"
exits 0 "a quote in text" hs --session "$S" sql --csv "select 'say \"hi\"' as s, -0.1 as n, 1e300 as big"
is "$(tail -1 "$T/.out")" '"say ""hi""",-0.1,1e+300' "quotes doubled; numbers in shortest form"
exits 0 "numbers round trip" hs --session "$S" sql --csv "select x from events('d') limit 5"
if [ -x /usr/bin/python3 ]; then
    tail -5 "$T/.out" >"$T/got"
    awk -F, 'NR > 1 && NR <= 6 { print $1 }' "$T/d.csv" >"$T/want"
    ok "sql prints the same doubles as the input" /usr/bin/python3 -c "
import sys
g = [float(l) for l in open('$T/got')]
w = [float(l) for l in open('$T/want')]
sys.exit(g != w)"
fi

# Read-only: writes are refused with exit 1 and the session is unchanged.
cp "$S" "$T/before.db"
exits 1 "drop table refused" hs --session "$S" sql "drop table datasets"
like "$(cat "$T/.err")" "^hepscope: " "the refusal is a message"
exits 1 "insert refused" hs --session "$S" sql "insert into journal(command) values ('x')"
exits 1 "pragma write refused" hs --session "$S" sql "pragma user_version = 7"
exits 1 "attach refused" hs --session "$S" sql "attach database '$T/evil.db' as e"
ok "no attached file made" test ! -e "$T/evil.db"
exits 0 "datasets still there" hs --session "$S" datasets --csv
is "$(tail -1 "$T/.out")" "d,2000,4,yes" "the dataset survived"
exits 1 "a syntax error exits 1" hs --session "$S" sql "selec 1"
exits 1 "an unknown dataset in events() exits 1" hs --session "$S" sql "select * from events('nope')"

# A hostile column name imports as a column and nothing else.
printf '"x""); drop table datasets; --",b\n1,2\n3,4\n' >"$T/evil.csv"
exits 0 "import a hostile column name" hs --session "$S" import "$T/evil.csv" --name 'e"; drop table datasets; --'
exits 0 "both datasets there" hs --session "$S" datasets --csv
is "$(cat "$T/.out")" 'name,rows,columns,labelled
d,2000,4,yes
"e""; drop table datasets; --",2,2,no' "the hostile dataset name listed, quoted"
exits 0 "the hostile column by name" hs --session "$S" sql --csv "select \"x\"\"); drop table datasets; --\", b from events('e\"; drop table datasets; --')"
is "$(cat "$T/.out")" '"x""); drop table datasets; --",b
1,2
3,4' "the hostile column holds its values"
exits 0 "export the hostile dataset" hs --session "$S" export 'e"; drop table datasets; --' -o "$T/evil-out.csv"
ok "export reproduces the hostile file" cmp "$T/evil.csv" "$T/evil-out.csv"

done_testing

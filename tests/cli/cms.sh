#!/bin/sh
# The CMS open-data files (../shared/data/cms) import cleanly; info reports
# their row counts; sql on the Z file reproduces count(*) and avg(M).
. "$HS_SRCDIR/tests/lib.sh"

CMS="$HS_SRCDIR/../shared/data/cms"
[ -d "$CMS" ] || skip_all "no CMS data at $CMS"

for f in "$CMS"/*.csv; do
    name=$(basename "$f" .csv)
    exits 0 "import $name" hs --session "$S" import "$f" --name "$name"
    is "$(cat "$T/.err")" "" "$name: nothing on stderr"
    # The events in the file, counted here: lines after the header.
    want=$(awk 'NR > 1 && NF > 0 { n++ } END { print n + 0 }' "$f")
    exits 0 "info $name" hs --session "$S" info "$name"
    like "$(cat "$T/.out")" "rows +$want \(unlabelled\)" "$name: info reports $want rows"
    ncol=$(head -1 "$f" | awk -F, '{ print NF }')
    like "$(cat "$T/.out")" "columns +$ncol" "$name: info reports $ncol columns"
done

z=cms_opendata_edu__Zmumu_Run2011A_masses
zee=cms_opendata_edu__Zee_Run2011A
if [ -f "$CMS/$z.csv" ]; then
    exits 0 "datasets lists the Z file" hs --session "$S" datasets --csv
    like "$(cat "$T/.out")" "$z,10851,21,no" "the Z file has 10851 events and 21 columns"
    exits 0 "sql count and avg on the Z file" hs --session "$S" sql --csv "select count(*), avg(M) from events('$z')"
    got=$(tail -1 "$T/.out")
    ref=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "M") m = i; next }
        { n++; s += $m } END { printf "%d,%.17g\n", n, s / n }' "$CMS/$z.csv")
    is "${got%%,*}" "${ref%%,*}" "count(*) agrees with awk"
    ok "avg(M) agrees with awk within 1e-12 (${got#*,} vs ${ref#*,})" awk -v a="${got#*,}" -v b="${ref#*,}" \
        'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-12 * b) }'
    if [ -x /usr/bin/python3 ]; then
        pyref=$(/usr/bin/python3 -c "
import csv, math
rows = list(csv.DictReader(open('$CMS/$z.csv')))
print('%d,%r' % (len(rows), math.fsum(float(r['M']) for r in rows) / len(rows)))")
        ok "avg(M) agrees with python's fsum within 1e-12" awk -v a="${got#*,}" -v b="${pyref#*,}" \
            'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-12 * b) }'
    fi
    exits 0 "export the Z file" hs --session "$S" export "$z" -o "$T/z.csv"
    if [ -x /usr/bin/python3 ]; then
        ok "the Z export has the same numbers as the file" /usr/bin/python3 -c "
import csv, sys
def rows(p):
    out = []
    for r in csv.reader(open(p)):
        o = []
        for c in r:
            try: o.append(float(c))
            except ValueError: o.append(c)
        out.append(o)
    return out
sys.exit(rows('$CMS/$z.csv') != rows('$T/z.csv'))"
    fi
fi
if [ -f "$CMS/$zee.csv" ]; then
    exits 0 "info on the Zee file" hs --session "$S" info "$zee"
    like "$(cat "$T/.out")" "rows +18885 " "Zee: 18885 events"
    like "$(cat "$T/.out")" "type1 +text +feature +0 .* 2$" "Zee: type1 is a text column of 2 categories"
    exits 0 "sql on the text column" hs --session "$S" sql --csv "select type1, count(*) from events('$zee') group by type1 order by type1"
    want=$(awk -F, 'NR > 1 { c[$7]++ } END { printf "type1,count(*)\nEB,%d\nEE,%d\n", c["EB"], c["EE"] }' "$CMS/$zee.csv")
    is "$(cat "$T/.out")" "$want" "EB and EE counts agree with awk"
fi

done_testing

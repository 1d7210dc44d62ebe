#!/bin/sh
# info, drop, rename, and the --dataset rule.
. "$HS_SRCDIR/tests/lib.sh"

awk 'BEGIN {
    srand(11);
    print "pt,eta,Truth,det";
    for (i = 1; i <= 500; i++)
        printf "%.17g,%.17g,%d,%s\n", 20 + 50 * rand(), 5 * rand() - 2.5, i % 5 == 0, (i % 2 ? "EB" : "EE");
    print ",0.5,0,EB";   # a missing pt
}' >"$T/a.csv"

exits 0 "import a" hs --session "$S" import "$T/a.csv" --label Truth
# With one dataset, --dataset may be left out.
exits 0 "info with the only dataset" hs --session "$S" info
out=$(cat "$T/.out")
like "$out" "rows +501 \(100 signal, 401 background\)" "info: rows and classes"
like "$out" "columns +4" "info: columns"
like "$out" "sig\.min +sig\.max +sig\.mean +sig\.sd +bkg\.min" "info: per-class headings"
like "$out" "det +text +feature +0( +-){8} +2" "info: a text column shows its categories"
like "$out" "Truth +number +label" "info: the label column has the label role"
like "$out" "pt +number +feature +1 " "info: pt has one missing value"
is "$(cat "$T/.err")" "" "info writes nothing to stderr"

# info --csv against sums done here with awk (exact min and max, means to 1e-12).
exits 0 "info --csv" hs --session "$S" info --csv a
is "$(head -1 "$T/.out")" "column,kind,role,class,n,missing,min,max,mean,sd,unit" "info --csv header"
is "$(awk -F, 'NF != 11' "$T/.out" | wc -l | tr -d ' ')" "0" "info --csv: eleven fields on every line"
is "$(awk -F, 'NR > 1 && $11 != ""' "$T/.out" | wc -l | tr -d ' ')" "0" "the unit empty while no column has one"
sig=$(grep '^pt,number,feature,signal,' "$T/.out")
bkg=$(grep '^pt,number,feature,background,' "$T/.out")
ref_sig=$(awk -F, 'NR > 1 && $3 == 1 && $1 != "" { n++; s += $1; if (min == "" || $1 + 0 < min + 0) min = $1; if (max == "" || $1 + 0 > max + 0) max = $1 }
    END { printf "%d %.17g %.17g %.17g\n", n, min, max, s / n }' "$T/a.csv")
ref_bkg=$(awk -F, 'NR > 1 && $3 == 0 && $1 != "" { n++; s += $1; ss += $1 * $1; if (min == "" || $1 + 0 < min + 0) min = $1; if (max == "" || $1 + 0 > max + 0) max = $1 }
    END { printf "%d %.17g %.17g %.17g %.17g\n", n, min, max, s / n, sqrt((ss - s * s / n) / (n - 1)) }' "$T/a.csv")
got_sig=$(echo "$sig" | awk -F, '{ printf "%d %.17g %.17g %.17g\n", $5, $7, $8, $9 }')
is "$(echo "$got_sig" | cut -d' ' -f1-3)" "$(echo "$ref_sig" | cut -d' ' -f1-3)" "signal n, min, max exact"
ok "signal mean within 1e-12" awk -v a="$(echo "$got_sig" | cut -d' ' -f4)" -v b="$(echo "$ref_sig" | cut -d' ' -f4)" \
    'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-12 * (b < 0 ? -b : b)) }'
got_bkg=$(echo "$bkg" | awk -F, '{ printf "%d %.17g %.17g %.17g %.17g\n", $5, $7, $8, $9, $10 }')
is "$(echo "$got_bkg" | cut -d' ' -f1-3)" "$(echo "$ref_bkg" | cut -d' ' -f1-3)" "background n, min, max exact"
ok "background sd within 1e-9" awk -v a="$(echo "$got_bkg" | cut -d' ' -f5)" -v b="$(echo "$ref_bkg" | cut -d' ' -f5)" \
    'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-9 * b) }'
like "$(grep '^pt,number,feature,background,' "$T/.out")" ",400,1," "background: 400 values and one missing"

# A unit, in the CSV as in the table: on each of the column's lines, the
# other columns' empty (the text column too).
exits 0 "feature unit pt GeV" hs --session "$S" --dataset a feature unit pt GeV
exits 0 "info --csv with a unit" hs --session "$S" info --csv a
is "$(awk -F, '$1 == "pt" {print $11}' "$T/.out" | sort -u)" "GeV" "pt's lines end in its unit"
is "$(awk -F, '$1 == "pt"' "$T/.out" | wc -l | tr -d ' ')" "3" "one per class"
is "$(awk -F, 'NR > 1 && $1 != "pt" && $11 != ""' "$T/.out" | wc -l | tr -d ' ')" "0" \
    "eta and det have none"
like "$(grep '^det,' "$T/.out" | head -1)" '^det,text,feature,all,501,0,,,,,$' "a text column's line"
exits 0 "info with a unit" hs --session "$S" info a
like "$(cat "$T/.out")" "pt +number +feature .* GeV" "the table shows it too"

# Unlabelled: one set of statistics.
exits 0 "import b unlabelled" hs --session "$S" import "$T/a.csv" --name b
exits 0 "info b" hs --session "$S" info b
like "$(cat "$T/.out")" "rows +501 \(unlabelled\)" "info: unlabelled rows"
like "$(cat "$T/.out")" "column +kind +role +missing +min +max +mean +sd" "info: one set of statistics"

# Two datasets: --dataset can no longer be left out.
exits 1 "info without a dataset among two exits 1" hs --session "$S" info
like "$(cat "$T/.err")" "--dataset.*a, b" "the choices are listed"
exits 0 "info --dataset b" hs --session "$S" info --dataset b
exits 0 "export --dataset a" hs --session "$S" export --dataset a -o "$T/a-out.csv"
exits 1 "export without a dataset among two exits 1" hs --session "$S" export -o "$T/x.csv"
ok "nothing written then" test ! -e "$T/x.csv"
exits 1 "info of an unknown dataset exits 1" hs --session "$S" info nope
like "$(cat "$T/.err")" "no dataset 'nope'" "the unknown dataset is named"
exits 1 "--dataset naming no dataset exits 1" hs --session "$S" info --dataset nope

# rename and drop.
exits 0 "rename a c" hs --session "$S" rename a c
is "$(cat "$T/.out")$(cat "$T/.err")" "" "rename is silent"
exits 1 "rename onto an existing name exits 1" hs --session "$S" rename b c
like "$(cat "$T/.err")" "'c' exists already" "the existing name is said"
exits 1 "rename of an unknown dataset exits 1" hs --session "$S" rename zz yy
exits 0 "datasets after rename" hs --session "$S" datasets --csv
is "$(cat "$T/.out")" "name,rows,columns,labelled
b,501,4,no
c,501,4,yes" "renamed"
exits 0 "drop b" hs --session "$S" drop b
exits 1 "drop of an unknown dataset exits 1" hs --session "$S" drop b
like "$(cat "$T/.err")" "no dataset 'b'" "the unknown dataset is named"
exits 0 "datasets after drop" hs --session "$S" datasets --csv
is "$(cat "$T/.out")" "name,rows,columns,labelled
c,501,4,yes" "dropped"
exits 0 "info with the only dataset again" hs --session "$S" info
exits 0 "journal" hs --session "$S" journal --csv
like "$(cat "$T/.out")" "rename a c" "rename journaled"
like "$(cat "$T/.out")" "drop b" "drop journaled"
ok "failed rename not journaled" sh -c "! grep -q 'rename b c' \"$T/.out\""

# An empty session.
exits 0 "drop c" hs --session "$S" drop c
exits 1 "info on an empty session exits 1" hs --session "$S" info
like "$(cat "$T/.err")" "no dataset" "an empty session is said"
exits 0 "datasets --csv on an empty session" hs --session "$S" datasets --csv
is "$(cat "$T/.out")" "name,rows,columns,labelled" "only the header"

done_testing

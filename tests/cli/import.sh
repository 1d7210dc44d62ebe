#!/bin/sh
# import: formats, options, labels, signal and background files, errors.
. "$HS_SRCDIR/tests/lib.sh"

# A labelled file made here: 1000 events, Truth 0/1, a weight, a text column.
awk 'BEGIN {
    srand(7);
    print "x,y,Truth,w,kind";
    for (i = 1; i <= 1000; i++)
        printf "%.17g,%.6f,%d,%.3f,%s\n", rand() * 10 - 5, rand(), i % 4 == 0, 0.5 + rand(), (i % 3 ? "EB" : "EE");
}' >"$T/ev.csv"

exits 0 "import a CSV" hs --session "$S" import "$T/ev.csv" --label Truth
is "$(cat "$T/.out")" "imported 'ev': 1000 events (250 signal, 750 background), 5 columns" \
    "the summary line on stdout"
is "$(cat "$T/.err")" "" "nothing on stderr on success"
exits 0 "datasets --csv" hs --session "$S" datasets --csv
is "$(cat "$T/.out")" "name,rows,columns,labelled
ev,1000,5,yes" "datasets --csv lists the dataset"
is "$(cat "$T/.err")" "" "datasets writes nothing to stderr"
exits 0 "datasets aligned" hs --session "$S" datasets
like "$(head -1 "$T/.out")" "^name +rows +columns +labelled" "aligned header"
like "$(sed -n 2p "$T/.out")" "^ev +1000 +5 +yes +250 +750 +/" "aligned row with counts and source"

# An existing name is refused (exit 1) unless --replace.
exits 1 "import onto an existing name exits 1" hs --session "$S" import "$T/ev.csv"
like "$(cat "$T/.err")" "^hepscope: dataset 'ev' exists already" "the existing name is said"
exits 0 "--replace replaces" hs --session "$S" import "$T/ev.csv" --replace --rows 10
exits 0 "datasets after replace" hs --session "$S" datasets --csv
is "$(cat "$T/.out")" "name,rows,columns,labelled
ev,10,5,no" "replaced by the 10-row unlabelled import"

# --name, standard input, gzip, TSV, whitespace.
exits 0 "import from stdin with --name" sh -c "\"\$HS_BIN\" --session \"$S\" import - --name piped <\"$T/ev.csv\""
is "$(cat "$T/.out")" "imported 'piped': 1000 events, 5 columns" "stdin import summary"
exits 0 "import from stdin without --name" sh -c "\"\$HS_BIN\" --session \"$S\" import - <\"$T/ev.csv\""
like "$(cat "$T/.out")" "^imported 'stdin'" "stdin without --name is called stdin"
gzip -c "$T/ev.csv" >"$T/zipped.csv.gz"
exits 0 "import gzip" hs --session "$S" import "$T/zipped.csv.gz" --label Truth
like "$(cat "$T/.out")" "^imported 'zipped': 1000 events \(250 signal" "gzip: stem without .csv.gz"
tr ',' '\t' <"$T/ev.csv" >"$T/tabbed.tsv"
exits 0 "import TSV" hs --session "$S" import "$T/tabbed.tsv" --label Truth
like "$(cat "$T/.out")" "^imported 'tabbed': 1000 events \(250 signal, 750 background\), 5 columns" "TSV sniffed"
exits 0 "import TSV with --delimiter tab" hs --session "$S" import "$T/tabbed.tsv" --name tab2 --delimiter tab
awk -F, '{ printf "  %s   %s\t%s \n", $1, $2, $3 }' "$T/ev.csv" >"$T/spaced.txt"
exits 0 "import whitespace-separated" hs --session "$S" import "$T/spaced.txt" --delimiter ws --label Truth
like "$(cat "$T/.out")" "^imported 'spaced': 1000 events \(250 signal, 750 background\), 3 columns" "whitespace file"
printf 'a;b\n1;2\n3;4\n' >"$T/semi.csv"
exits 0 "import with --delimiter ';'" hs --session "$S" import "$T/semi.csv" --delimiter ';'
like "$(cat "$T/.out")" "2 events, 2 columns" "semicolon file"

# --columns imports the listed columns and the role columns.
exits 0 "--columns" hs --session "$S" import "$T/ev.csv" --name cols --columns x --label Truth --weight w
like "$(cat "$T/.out")" "1000 events \(250 signal, 750 background\), 3 columns" "--columns keeps label and weight"
exits 0 "sql sees only those columns" hs --session "$S" sql --csv "select * from events('cols') limit 1"
is "$(head -1 "$T/.out")" "x,Truth,w,_label,_weight,_group" "the imported columns, in file order"
exits 0 "--rows" hs --session "$S" import "$T/ev.csv" --name first --rows 7
like "$(cat "$T/.out")" "'first': 7 events" "--rows 7 imports 7 events"
exits 1 "--columns naming no column exits 1" hs --session "$S" import "$T/ev.csv" --name bad --columns nope

# --missing and --text.
printf 'a,b,c\n1,-999,x\n2,-999.0,y\n3,5,z\n' >"$T/miss.csv"
exits 0 "--missing" hs --session "$S" import "$T/miss.csv" --missing -999
exits 0 "missing counted as NULL" hs --session "$S" sql --csv "select count(*), count(b), sum(b) from events('miss')"
is "$(tail -1 "$T/.out")" "3,1,5" "-999 and -999.0 are missing"
printf 'id,v\n007,1\n012,2\nA1,3\n' >"$T/ids.csv"
exits 2 "a text cell in a numeric column exits 2" hs --session "$S" import "$T/ids.csv"
like "$(cat "$T/.err")" "^hepscope: .*ids.csv:4:1: .*'A1'" "the error names FILE:LINE:COL and the cell"
like "$(cat "$T/.err")" "--text" "the error hints at --text"
exits 0 "--text keeps the column as text" hs --session "$S" import "$T/ids.csv" --text id
exits 0 "text values are kept" hs --session "$S" sql --csv "select id from events('ids')"
is "$(cat "$T/.out")" "id
007
012
A1" "--text keeps 007 as written"

# --no-header.
printf '1,2\n3,4\n' >"$T/nohead.csv"
exits 0 "--no-header" hs --session "$S" import "$T/nohead.csv" --no-header
exits 0 "columns are col1, col2" hs --session "$S" sql --csv "select col1, col2 from events('nohead')"
is "$(cat "$T/.out")" "col1,col2
1,2
3,4" "--no-header names the columns col1..colN"

# Label inference: 0/1 only; otherwise the values are listed.
printf 'a,type\n1,s\n2,b\n3,s\n' >"$T/textlab.csv"
exits 2 "a text label without --signal exits 2" hs --session "$S" import "$T/textlab.csv" --label type
like "$(cat "$T/.err")" "textlab.csv:1:2: .*'s', 'b'" "the error lists the label values"
like "$(cat "$T/.err")" "--signal" "the error hints at --signal"
exits 0 "--signal s" hs --session "$S" import "$T/textlab.csv" --label type --signal s
like "$(cat "$T/.out")" "3 events \(2 signal, 1 background\)" "--signal on a text label"
printf 'a,lab\n1,0\n2,1\n3,2\n' >"$T/three.csv"
exits 2 "three numeric label values exit 2" hs --session "$S" import "$T/three.csv" --label lab
like "$(cat "$T/.err")" "0, 1, 2" "the three values are listed"
exits 0 "--signal 2 on a numeric label" hs --session "$S" import "$T/three.csv" --label lab --signal 2.0
like "$(cat "$T/.out")" "3 events \(1 signal, 2 background\)" "--signal 2.0 matches 2"
exits 2 "a missing label column exits 2" hs --session "$S" import "$T/three.csv" --label Truth --name x
like "$(cat "$T/.err")" "three.csv:1:1: .*'Truth'.*columns: 'a', 'lab'" "missing label column named with the columns"
exits 1 "--signal without --label exits 1" hs --session "$S" import "$T/three.csv" --signal 1 --name y
exits 0 "--weight and --group" hs --session "$S" import "$T/ev.csv" --name wg --label Truth --weight w --group kind
exits 0 "weights seen by sql" hs --session "$S" sql --csv "select count(*) from events('wg') where _weight = w and _group = kind"
is "$(tail -1 "$T/.out")" "1000" "_weight is w and _group is kind"
exits 2 "a text weight exits 2" hs --session "$S" import "$T/ev.csv" --name wt --weight kind

# Bad files: FILE:LINE:COL, exit 2, nothing stored.
printf 'a,b\n1,2\n3\n' >"$T/ragged.csv"
exits 2 "a ragged row exits 2" hs --session "$S" import "$T/ragged.csv"
like "$(cat "$T/.err")" "^hepscope: [^ ]*ragged.csv:3:[0-9]+: " "ragged row located"
printf 'a,b\n1,"2\n' >"$T/quote.csv"
exits 2 "an unterminated quote exits 2" hs --session "$S" import "$T/quote.csv"
like "$(cat "$T/.err")" "quote.csv:2:[0-9]+: " "unterminated quote located"
: >"$T/empty.csv"
exits 2 "an empty file exits 2" hs --session "$S" import "$T/empty.csv"
like "$(cat "$T/.err")" "empty.csv:1:[0-9]+: " "empty file located"
printf 'a,b\n' >"$T/headonly.csv"
exits 2 "a header-only file exits 2" hs --session "$S" import "$T/headonly.csv"
like "$(cat "$T/.err")" "headonly.csv:[0-9]+:[0-9]+: " "header-only file located"
printf 'a,a\n1,2\n' >"$T/dup.csv"
exits 2 "duplicate column names exit 2" hs --session "$S" import "$T/dup.csv"
like "$(cat "$T/.err")" "dup.csv:1:2: " "duplicate column located"
printf 'not gzip at all' | gzip -c | head -c 20 >"$T/broken.csv.gz"
exits 2 "a corrupt gzip stream exits 2" hs --session "$S" import "$T/broken.csv.gz"
like "$(cat "$T/.err")" "broken.csv.gz" "corrupt gzip named"
exits 2 "a missing file exits 2" hs --session "$S" import "$T/nothere.csv"
like "$(cat "$T/.err")" "nothere.csv" "missing file named"
exits 0 "failed imports stored nothing" hs --session "$S" datasets --csv
ok "no ragged, quote, empty, dup or broken dataset" sh -c "! grep -Eq '^(ragged|quote|empty|headonly|dup|broken|nothere|x|y|wt),' \"$T/.out\""

# A signal file and background files as one dataset.
printf 'm,p\n1,10\n2,20\n' >"$T/sig.csv"
printf 'm,p\n3,30\n4,40\n5,50\n' >"$T/muons.csv"
printf 'm,p\n6,60\n' >"$T/dis.csv"
exits 0 "--signal-file with two backgrounds" hs --session "$S" import --name sb \
    --signal-file "$T/sig.csv" --background-file "comb=$T/muons.csv" --background-file "$T/dis.csv"
is "$(cat "$T/.out")" "imported 'sb': 6 events (2 signal, 4 background), 2 columns" "signal and background summary"
exits 0 "groups by file" hs --session "$S" sql --csv "select _group, count(*), sum(_label) from events('sb') group by _group order by _group"
is "$(cat "$T/.out")" "_group,count(*),sum(_label)
comb,3,0
dis,1,0
signal,2,2" "groups: NAME, the file stem, and signal"
printf 'm,q\n7,70\n' >"$T/other.csv"
exits 2 "mismatched columns exit 2" hs --session "$S" import --name sb2 --signal-file "$T/sig.csv" --background-file "$T/other.csv"
like "$(cat "$T/.err")" "'p'.*'q'" "the first difference is named"
exits 1 "--background-file without --signal-file exits 1" hs --session "$S" import --background-file "$T/dis.csv"
exits 1 "--signal-file without background exits 1" hs --session "$S" import --signal-file "$T/sig.csv"

# Identifiers: event and run numbers are never features.
printf 'Run,Event_Number,row_id,m,idx\n1,100,0,1.5,0.5\n1,101,1,2.5,1\n2,7,2,3.5,2\n' >"$T/ids.csv"
exits 0 "event and run numbers found" hs --session "$S" import --name evnums "$T/ids.csv"
like "$(cat "$T/.out")" "identifiers, not features: Run, Event_Number, row_id" "the import names them"
exits 0 "their roles" hs --session "$S" sql --csv "select name, role from columns where dataset = (select id from datasets where name = 'evnums') order by idx"
is "$(cat "$T/.out")" "name,role
Run,id
Event_Number,id
row_id,id
m,feature
idx,feature" "idx has a fraction: still a feature"
exits 0 "--id none keeps them" hs --session "$S" import --name evnums2 --id none "$T/ids.csv"
ok "no identifier line with --id none" sh -c "! grep -q identifiers \"$T/.out\""
exits 0 "--id names one" hs --session "$S" import --name evnums3 --id none --id m "$T/ids.csv"
like "$(cat "$T/.out")" "identifiers, not features: m " "--id m"
exits 2 "--id of an unknown column exits 2, as --weight does" hs --session "$S" import --name evnums4 --id mm "$T/ids.csv"
like "$(cat "$T/.err")" "no id column 'mm'" "unknown --id column named"

# Journal: writes are journaled, reads are not; the canonical line.
exits 0 "journal" hs --session "$S" journal --csv
like "$(sed -n 2p "$T/.out")" "^1,[^,]+,import --label Truth [^ ]*ev.csv$" "first import journaled canonically"
like "$(cat "$T/.out")" "import --name sb --signal-file" "multi-file import journaled"
ok "no --session in the journal" sh -c "! grep -q -- --session \"$T/.out\""
n1=$(wc -l <"$T/.out")
hs --session "$S" datasets >/dev/null
hs --session "$S" info ev >/dev/null
hs --session "$S" import "$T/ragged.csv" 2>/dev/null
hs --session "$S" journal --csv >"$T/j2"
is "$(wc -l <"$T/j2")" "$n1" "reads and failed imports are not journaled"

done_testing

#!/bin/sh
# The feature workbench: features, feature add/on/off/drop/suggest, corr,
# export --features; statistics checked against independent python.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
cat >"$T/small.csv" <<'CSV'
a,b,kind,Truth
1,10,x,1
2,20,y,1
3,30,x,1
4,5,y,0
5,6,x,0
6,7,y,0
7,8,x,0
CSV
exits 0 "import" hs --session "$S" import "$T/small.csv" --label Truth
exits 0 "features" hs --session "$S" features --csv
is "$(head -1 "$T/.out")" \
    "rank,name,on,derived,expr,events,missing,mean_signal,sd_signal,mean_background,sd_background,median_signal,median_background,separation,auc,direction,q05_signal,q25_signal,q75_signal,q95_signal,q05_background,q25_background,q75_background,q95_background" \
    "the CSV header"
# a: signal 1..3, background 4..7: AUC 1 with signal lower; b: signal
# 10..30 above background 5..8: AUC 1, higher.  Both separate fully.
like "$(cat "$T/.out")" "^[12],a,1,0,,7,0,2,1,5.5,1.29[0-9]*,2,5,1,1,<,1,1,3,3,4,4,6,7$" \
    "a: stats, separation 1, AUC 1, cut <, weighted quantiles (lower) of each class"
like "$(cat "$T/.out")" "^[12],b,1,0,,7,0,20,10,6.5,1.29[0-9]*,20,6,(1|0.99999999999[0-9]*),1,>," "b: stats, separation 1, AUC 1, cut >"
ok "the text column and the label are not features" sh -c "! grep -Eq ',(kind|Truth|_label),' '$T/.out'"

exits 0 "feature add" hs --session "$S" feature add s 'a + b/10'
exits 0 "a feature of a feature" hs --session "$S" feature add t 's * 2'
exits 1 "a typo in a column" hs --session "$S" feature add m 'sqrt(aa) + b'
is "$(cat "$T/.err")" "hepscope: feature 'm': column 'aa' not found at 6 (did you mean 'a'?)" \
    "the message names the position and a suggestion"
exits 1 "a taken name" hs --session "$S" feature add a 'b'
exits 1 "a syntax error" hs --session "$S" feature add q 'a +'
exits 0 "features after adding" hs --session "$S" features --csv --sort name
like "$(cat "$T/.out")" "^3,s,1,1,a \+ b/10,7,0,4,2,6.1[0-9]*,1.42[0-9]*," "s is derived, with its values' stats (signal 2,4,6; background 4.5..7.8)"
exits 0 "export --features" hs --session "$S" export small -o "$T/f.csv" --features
is "$(head -2 "$T/f.csv" | tr '\n' ' ')" "a,b,kind,Truth,s,t 1,10,x,1,2,4 " \
    "the derived features come after the columns, computed exactly"
exits 0 "export without --features" hs --session "$S" export small -o "$T/g.csv"
is "$(head -1 "$T/g.csv")" "a,b,kind,Truth" "plain export has the file's columns only"

exits 0 "feature off" hs --session "$S" feature off t b
exits 0 "features" hs --session "$S" features --csv --sort name
like "$(cat "$T/.out")" ",b,0,0," "b is off"
like "$(cat "$T/.out")" ",t,0,1," "t is off"
exits 0 "export --features skips features that are off" hs --session "$S" export small -o "$T/h.csv" --features
is "$(head -1 "$T/h.csv")" "a,b,kind,Truth,s" "t is not written"
exits 1 "an unknown feature" hs --session "$S" feature on tt
like "$(cat "$T/.err")" "no feature 'tt' \(did you mean 't'\?\)" "a suggestion"
exits 1 "dropping a used feature" hs --session "$S" feature drop s
like "$(cat "$T/.err")" "used by feature 't'" "names the user"
exits 1 "dropping a raw column" hs --session "$S" feature drop a
exits 0 "drop t" hs --session "$S" feature drop t
exits 0 "drop s" hs --session "$S" feature drop s
exits 0 "journal" hs --session "$S" journal --csv
is "$(grep -c "feature " "$T/.out")" "5" "each successful change is journaled, no failure is"

# A replaced dataset keeps the features that still compute on it.
exits 0 "a feature to keep" hs --session "$S" feature add keep 'a * 2'
exits 0 "a feature that will break" hs --session "$S" feature add lose 'b + 1'
exits 0 "feature off a" hs --session "$S" feature off a
exits 0 "re-import the same file with --replace" hs --session "$S" import "$T/small.csv" --label Truth --replace
exits 0 "features after the re-import" hs --session "$S" features --csv --sort name
like "$(cat "$T/.out")" ",keep,1,1,a \* 2," "the derived feature is still there"
like "$(cat "$T/.out")" ",a,0,0," "and the toggle of a raw column"
cut -d, -f1,3,4 "$T/small.csv" >"$T/small2.csv"
exits 0 "replace with a file that lost column b" hs --session "$S" import "$T/small2.csv" --name small --label Truth --replace
like "$(cat "$T/.out")" "no longer compute on the new data were dropped: lose" "the import says which feature went"
exits 0 "features after the narrower re-import" hs --session "$S" features --csv --sort name
like "$(cat "$T/.out")" ",keep,1,1," "keep survives"
ok "lose is gone" sh -c "! grep -q ',lose,' '$T/.out'"
exits 0 "back to the full file" hs --session "$S" import "$T/small.csv" --label Truth --replace
exits 0 "feature on a" hs --session "$S" feature on a
exits 0 "drop keep" hs --session "$S" feature drop keep
exits 0 "b off again (the narrower file had no b to keep its toggle)" hs --session "$S" feature off b

# Correlations, against python's exact formula.
exits 0 "corr --class all --csv" hs --session "$S" corr --class all --csv
is "$(head -1 "$T/.out")" "feature,a" "only the enabled features (b is off)"
exits 0 "feature on b" hs --session "$S" feature on b
exits 0 "corr --class all --csv" hs --session "$S" corr --class all --csv
got=$(sed -n 2p "$T/.out" | cut -d, -f3)
if [ -x "$PY" ]; then
    ref=$("$PY" -c "
import math
a = [1,2,3,4,5,6,7]; b = [10,20,30,5,6,7,8]
ma, mb = sum(a)/7, sum(b)/7
c = sum((x-ma)*(y-mb) for x, y in zip(a, b))
print(repr(c / math.sqrt(sum((x-ma)**2 for x in a) * sum((y-mb)**2 for y in b))))")
    ok "corr(a, b) agrees with python ($got vs $ref)" awk -v a="$got" -v b="$ref" \
        'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 1e-12) }'
fi
exits 1 "a bad class" hs --session "$S" corr --class both

# AUC and separation on a bigger sample against an independent computation.
if [ -x "$PY" ]; then
    exits 0 "demo for statistics" hs --session "$S" demo --n-signal 2000 --n-background 6000 --seed 3
    exits 0 "export it" hs --session "$S" export demo -o "$T/d.csv"
    exits 0 "features on the demo" hs --session "$S" --dataset demo features --csv
    cp "$T/.out" "$T/feat.csv"
    exits 0 "features with one thread" hs --session "$S" --dataset demo --threads 1 features --csv
    cp "$T/.out" "$T/feat1.csv"
    ok "the statistics do not depend on the thread count" cmp -s "$T/feat.csv" "$T/feat1.csv"
    ok "AUC of doca and ip agree with a brute-force pair count" "$PY" -c "
import bisect, csv, sys
rows = list(csv.DictReader(open('$T/d.csv')))
got = {r['name']: r for r in csv.DictReader(open('$T/feat.csv'))}
for col in ('doca', 'ip', 'vz'):
    s = sorted(float(r[col]) for r in rows if r['Truth'] == '1')
    b = sorted(float(r[col]) for r in rows if r['Truth'] == '0')
    # pairs (s, b) with s > b, plus half the ties, by binary search
    win = sum(bisect.bisect_left(b, x) + 0.5 * (bisect.bisect_right(b, x) - bisect.bisect_left(b, x)) for x in s)
    auc = win / (len(s) * len(b))
    auc = max(auc, 1 - auc)
    if abs(auc - float(got[col]['auc'])) > 1e-12:
        print(col, auc, got[col]['auc']); sys.exit(1)
"
    ok "separation of doca agrees with a 100-bin histogram in python" "$PY" -c "
import csv, sys
rows = list(csv.DictReader(open('$T/d.csv')))
got = {r['name']: r for r in csv.DictReader(open('$T/feat.csv'))}
x = [float(r['doca']) for r in rows]; lab = [r['Truth'] == '1' for r in rows]
lo, hi = min(x), max(x)
hs = [0] * 100; hb = [0] * 100
for v, l in zip(x, lab):
    k = min(int((v - lo) / (hi - lo) * 100), 99)
    (hs if l else hb)[k] += 1
ns, nb = sum(hs), sum(hb)
sep = 0.5 * sum((s/ns - b/nb) ** 2 / (s/ns + b/nb) for s, b in zip(hs, hb) if s + b)
sys.exit(abs(sep - float(got['doca']['separation'])) > 1e-12)"
fi

# Four-vectors: suggest finds the two muons of the CMS dimuon file.
CMS="$HS_SRCDIR/../shared/data/cms/cms_opendata_edu__Zmumu_Run2011A_masses.csv"
# Unlabelled data: the statistics of all events, headed so, and no class
# columns; the mean and median equal awk's.
printf 'a,b\n1,10\n2,20\n4,30\n9,40\n' >"$T/unl.csv"
exits 0 "an unlabelled import" hs --session "$S" import "$T/unl.csv" --name unl
exits 0 "its features" hs --session "$S" --dataset unl features --sort name
is "$(head -1 "$T/.out" | tr -s ' ' | sed 's/^ //; s/ $//')" "# feature on kind mean sd median missing" \
    "headed mean, sd and median: no 'sig', no class columns"
# The median is the smallest value with half the events at or below it.
want=$(awk -F, 'NR > 1 { v[++n] = $1; s += $1 } END {
    for (i = 1; i <= n; i++) if (i / n >= 0.5) { m = v[i]; break }
    printf "%g %g", s / n, m }' "$T/unl.csv")
got=$(awk '$2 == "a" { print $5, $7 }' "$T/.out")
is "$got" "$want" "a: the mean and median awk finds"
like "$(cat "$T/.out")" "unlabelled: the statistics are over all events" "and says so"

if [ -f "$CMS" ]; then
    exits 0 "import the CMS Z file" hs --session "$S" import "$CMS" --name z
    exits 0 "feature suggest" hs --session "$S" --dataset z feature suggest
    like "$(cat "$T/.out")" "^m_1_2 = mass\(E1,px1,py1,pz1,E2,px2,py2,pz2\)" "the pair mass of muons 1 and 2"
    like "$(cat "$T/.out")" "dR_1_2 = deltaR" "and delta-R"
    exits 0 "suggest does not change the session" hs --session "$S" --dataset z features --csv
    ok "no feature was added" sh -c "! grep -q m_1_2 '$T/.out'"
    exits 0 "feature suggest --add" hs --session "$S" --dataset z feature suggest --add
    exits 0 "export with the features" hs --session "$S" export z -o "$T/z.csv" --features
    ok "m_1_2 agrees with CMS's own M to 1e-4 on every event" awk -F, '
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { d = $c["m_1_2"] - $c["M"]; if (d < 0) d = -d; if (d > 1e-4 * $c["M"]) bad++ }
        END { exit bad > 0 }' "$T/z.csv"
fi
done_testing

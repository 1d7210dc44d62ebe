#!/bin/bash
# hepscope split and cut set|flow|optimise|export|list|show|drop: counts
# checked against hepscope sql, python and a compiled C program over an
# exported CSV; the workshop exercise (cut optimise --target 0.95).
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
exits 0 "a small demo" hs --session "$S" demo --n-signal 2000 --n-background 20000 --seed 3
exits 0 "export it as CSV" hs --session "$S" export demo -o "$T/d.csv"

# ---- split -----------------------------------------------------------
exits 0 "split without a split makes the default one" hs --session "$S" split
like "$(cat "$T/.out")" "made the default split of 'demo': 0.5/0.25/0.25 \\(train/val/test\\), seed 0" \
    "and says so"
exits 0 "split again shows it" hs --session "$S" split
ok "without making it again" sh -c "! grep -q 'made the default' '$T/.out'"
exits 0 "the split as stored (sql)" hs --session "$S" sql --csv "select ntrain, nval, ntest, length(part),
    (length(hex(part)) - length(replace(hex(part), '00', ''))) / 2,
    (length(hex(part)) - length(replace(hex(part), '02', ''))) / 2, seed from splits"
IFS=, read -r ntr nva nte len n0 n2 seed < <(tail -1 "$T/.out")
is "$len" 22000 "one part code per event"
is "$((ntr + nva + nte))" 22000 "the parts cover every event"
is "$n0,$n2" "$ntr,$nte" "the stored counts are the codes' counts"
ok "train is half, val and test a quarter each (within 25 events)" \
    test $((ntr - 11000)) -le 25 -a $((11000 - ntr)) -le 25 -a $((nte - 5500)) -le 25 -a $((5500 - nte)) -le 25
is "$seed" 0 "seed 0"
exits 0 "split" hs --session "$S" split
sig_test=$(awk '$1 == "test" { print $4 }' "$T/.out")
ok "stratified: the test part holds a quarter of the signal (500 +- 25)" \
    test "$sig_test" -ge 475 -a "$sig_test" -le 525
like "$(grep '^test' "$T/.out")" "^test +0.25 +$nte " "the printed test count is the stored one"
exits 1 "fractions that do not sum to 1" hs --session "$S" split --train 0.8
like "$(cat "$T/.err")" "sum to 1.3" "the message gives the sum"
exits 0 "a new split" hs --session "$S" split --train 0.6 --val 0.2 --test 0.2 --seed 7
exits 0 "stored" hs --session "$S" sql --csv "select train, ntrain, seed from splits"
IFS=, read -r ftr ntr seed < <(tail -1 "$T/.out")
is "$ftr,$seed" "0.6,7" "fractions and seed stored"
ok "60% in training (within 25 events)" test $((ntr - 13200)) -le 25 -a $((13200 - ntr)) -le 25
exits 0 "back to the default split" hs --session "$S" split --train 0.5 --val 0.25 --test 0.25 --seed 0

# ---- cut set and flow ------------------------------------------------
exits 0 "cut set with ranges and an expression" hs --session "$S" cut set c1 'vx > -1 && doca < 0.05' \
    --range 'ip::3' --range 'vz:20:'
is "$(grep -E '^ +[0-9]\.' "$T/.out" | sed 's/^ *//' | tr '\n' '|')" \
    "1. ip < 3|2. vz >= 20|3. (vx > -1 && doca < 0.05)|" "the cuts in order, ranges first"
exits 0 "cut flow --on all --csv" hs --session "$S" cut flow c1 --on all --csv
cp "$T/.out" "$T/flow.csv"
is "$(head -1 "$T/flow.csv")" "step,cut,sig,bkg,sig_eff,bkg_eff" "the CSV header"
is "$(sed -n 2p "$T/flow.csv")" "0,all,2000,20000,1,1" "step 0 is every event"
is "$(wc -l <"$T/flow.csv" | tr -d ' ')" 5 "a row per cut and step 0"
for step in 1 2 3; do
    case $step in
    1) cond='ip < 3' ;;
    2) cond='ip < 3 and vz >= 20' ;;
    3) cond='ip < 3 and vz >= 20 and vx > -1 and doca < 0.05' ;;
    esac
    exits 0 "sql count after cut $step" hs --session "$S" sql --csv \
        "select sum(_label = 1), sum(_label = 0) from events('demo') where $cond"
    is "$(awk -F, -v s=$((step + 2)) 'NR == s { print $3 "," $4 }' "$T/flow.csv")" "$(tail -1 "$T/.out")" \
        "cut $step: the flow's counts are sql's"
done
# m_mumu is a derived feature of the demo (the pair's mass): python
# computes it from the four-momenta in the exported CSV.
exits 0 "a cut set on a derived feature" hs --session "$S" cut set c2 'm_mumu < 4 && doca < 0.05' \
    --range 'ip::3'
exits 0 "its flow" hs --session "$S" cut flow c2 --on all --csv
c2_last=$(tail -1 "$T/.out" | awk -F, '{ print $3 "," $4 }')
ref=$("$PY" - "$T/d.csv" <<'PY'
import csv, math, sys
s = b = 0
for r in csv.DictReader(open(sys.argv[1])):
    v = {k: float(x) for k, x in r.items()}
    e = v['E_mu_plus'] + v['E_mu_minus']
    px = v['p_mu_plus_x'] + v['p_mu_minus_x']
    py = v['p_mu_plus_y'] + v['p_mu_minus_y']
    pz = v['p_mu_plus_z'] + v['p_mu_minus_z']
    m = math.sqrt(max(e * e - px * px - py * py - pz * pz, 0))
    if v['ip'] < 3 and m < 4 and v['doca'] < 0.05:
        if v['Truth'] == 1: s += 1
        else: b += 1
print(f"{s},{b}")
PY
)
is "$c2_last" "$ref" "the last step's counts are python's"
ok "efficiencies are the counts over step 0's" awk -F, 'NR > 1 {
    d1 = $5 - $3 / 2000; d2 = $6 - $4 / 20000; if (d1 < 0) d1 = -d1; if (d2 < 0) d2 = -d2
    if (d1 > 1e-12 || d2 > 1e-12) bad++ } END { exit bad > 0 }' "$T/flow.csv"

exits 0 "cut flow on the test part (the table)" hs --session "$S" cut flow c1
like "$(head -1 "$T/.out")" "on the test part of 'demo' \\($nte events\\)" "says which part and how many events"
like "$(cat "$T/.out")" "S/sqrt\\(S\\+B\\)" "the significance columns"
exits 0 "cut flow on the test part (CSV)" hs --session "$S" cut flow c1 --csv
is "$(awk -F, 'NR == 2 { print $3 + $4 }' "$T/.out")" "$nte" "step 0 of the test part is its events"
exits 0 "cut flow on the training part" hs --session "$S" cut flow c1 --csv --on train
tr_all=$(awk -F, 'NR == 5 { print $3 }' "$T/.out")
exits 0 "and the validation part" hs --session "$S" cut flow c1 --csv --on val
va_all=$(awk -F, 'NR == 5 { print $3 }' "$T/.out")
exits 0 "and the test part" hs --session "$S" cut flow c1 --csv --on test
te_all=$(awk -F, 'NR == 5 { print $3 }' "$T/.out")
is "$((tr_all + va_all + te_all))" "$(awk -F, 'NR == 5 { print $3 }' "$T/flow.csv")" \
    "the parts' signal after the cuts adds up to all events'"

# Weighted events and missing values: a small file, counted by hand.
cat >"$T/w.csv" <<'CSV'
x,y,w,lab
1,5,0.5,1
2,4,1.5,1
3,3,2,1
4,2,1,0
5,1,0.25,0
6,0,3,0
,2,1,0
CSV
S2="$T/w.db"
exits 0 "import a weighted file" hs --session "$S2" import "$T/w.csv" --label lab --weight w
exits 0 "a cut on it" hs --session "$S2" cut set wc --range 'x:1.5:5.5'
exits 0 "its weighted flow" hs --session "$S2" cut flow wc --on all --csv
is "$(tail -1 "$T/.out")" "1,1.5 <= x < 5.5,3.5,1.25,0.875,0.23809523809523808" \
    "weighted sums: signal 1.5+2 of 4, background 1+0.25 of 5.25 (a missing x fails)"
exits 0 "its weighted table" hs --session "$S2" cut flow wc --on all
like "$(cat "$T/.out")" "sig events +bkg events" "unweighted counts beside the weighted ones"
like "$(cat "$T/.out")" "1 event fails a range cut only for a missing value" "the missing value is reported"

# ---- errors store nothing --------------------------------------------
exits 1 "a cut on an unknown feature" hs --session "$S" cut set bad --range 'docaa::0.1'
like "$(cat "$T/.err")" "'docaa'.*did you mean 'doca'" "a suggestion"
exits 1 "an expression error" hs --session "$S" cut set bad 'doca < * 3'
like "$(cat "$T/.err")" "at 8" "the message gives the column"
is "$(tail -2 "$T/.err" | sed 's/^ *//' | tr '\n' '|')" "doca < * 3|^|" "the expression and a caret"
is "$(tail -1 "$T/.err" | awk '{ print index($0, "^") }')" \
    "$(tail -2 "$T/.err" | head -1 | awk '{ print index($0, "*") }')" "the caret under the '*'"
exits 1 "a bad range" hs --session "$S" cut set bad --range 'doca:x:3'
like "$(cat "$T/.err")" "lower bound 'x' is not a number" "says what is wrong"
exits 1 "a bad name" hs --session "$S" cut set 1bad 'doca < 1'
exits 1 "no cut at all" hs --session "$S" cut set empty
exits 0 "cut list" hs --session "$S" cut list
ok "nothing was stored by the failures" sh -c "! grep -Eq '^(bad|1bad|empty) ' '$T/.out'"
like "$(cat "$T/.out")" "^c1 +set +1 +ip < 3, vz >= 20" "c1 listed with its cuts"
exits 1 "cut alone" hs --session "$S" cut
exits 1 "an unknown action" hs --session "$S" cut frob
like "$(cat "$T/.err")" "unknown action 'frob'" "named"
exits 1 "flow of an unknown set" hs --session "$S" cut flow nosuch
exits 1 "flow --on nowhere" hs --session "$S" cut flow c1 --on nowhere
like "$(cat "$T/.err")" "--on takes train, val, test or all" "lists the parts"

# ---- export ------------------------------------------------------------
exits 0 "export --as sql" hs --session "$S" cut export c1 --as sql
where=$(cat "$T/.out")
exits 0 "the clause works in hepscope sql" hs --session "$S" sql --csv \
    "select sum(_label = 1), sum(_label = 0) from events('demo') where $where"
is "$(tail -1 "$T/.out")" "$(awk -F, 'NR == 5 { print $3 "," $4 }' "$T/flow.csv")" \
    "and counts what cut flow --on all counts"
exits 0 "export --as root" hs --session "$S" cut export c1 --as root
like "$(cat "$T/.out")" "ip<3" "a TCut string"
# The C expression, compiled into a program that counts over the CSV
# (with m_mumu computed as above, in double precision).
exits 0 "export --as c" hs --session "$S" cut export c2 --as c
cexpr=$(cat "$T/.out")
if command -v cc >/dev/null 2>&1 && [ -n "$cexpr" ]; then
    cat >"$T/count.c" <<EOF
#include <math.h>
#include <stdio.h>
int main(void) {
    double E1, E2, px1, px2, py1, py2, pz1, pz2, vx, vy, vz, doca, ip, mass, lab;
    long s = 0, b = 0;
    char line[4096];
    fgets(line, sizeof line, stdin);
    while (scanf("%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &E1, &E2, &px1,
                 &px2, &py1, &py2, &pz1, &pz2, &vx, &vy, &vz, &doca, &ip, &mass, &lab) == 15) {
        double e = E1 + E2, px = px1 + px2, py = py1 + py2, pz = pz1 + pz2;
        double m2 = e * e - px * px - py * py - pz * pz;
        double m_mumu = sqrt(m2 > 0 ? m2 : 0);
        (void)vx; (void)vy; (void)mass;
        if ($cexpr) { if (lab == 1) s++; else b++; }
    }
    printf("%ld,%ld\n", s, b);
    return 0;
}
EOF
    ok "the C expression compiles" cc -o "$T/count" "$T/count.c" -lm
    is "$("$T/count" <"$T/d.csv")" "$c2_last" "and counts what cut flow --on all counts"
fi
exits 1 "export without --as" hs --session "$S" cut export c1
exits 1 "export --as fortran" hs --session "$S" cut export c1 --as fortran
like "$(cat "$T/.err")" "sql, c or root" "names the languages"

# ---- the workshop exercise ---------------------------------------------
exits 0 "cut optimise --target 0.95" hs --session "$S" cut optimise --target 0.95
cp "$T/.out" "$T/opt.txt"
like "$(cat "$T/opt.txt")" "cut box for a signal efficiency of 0.95" "prints the box"
like "$(cat "$T/opt.txt")" "doca < " "with a cut on doca"
test_eff=$(awk '/^signal efficiency/ { print $5 }' "$T/opt.txt")
ok "test signal efficiency near 0.95 ($test_eff)" awk -v e="$test_eff" 'BEGIN { exit !(e > 0.92 && e < 0.98) }'
like "$(cat "$T/opt.txt")" "stored as cut set 'opt95'" "stored as opt95"
exits 0 "its flow on all events" hs --session "$S" cut flow opt95 --on all --csv
opt_bkg=$(tail -1 "$T/.out" | awk -F, '{ print $4 }')
opt_eff=$(tail -1 "$T/.out" | awk -F, '{ print $5 }')
# The reference: one cut on the best single feature (doca) keeping 95% of
# all signal, counted in python.
single=$("$PY" - "$T/d.csv" <<'PY'
import csv, sys
sig, bkg = [], []
for r in csv.DictReader(open(sys.argv[1])):
    (sig if r['Truth'] == '1' else bkg).append(float(r['doca']))
sig.sort()
cut = sig[int(0.95 * len(sig))]
print(sum(1 for x in bkg if x < cut))
PY
)
ok "less background ($opt_bkg) than the single doca cut at 95% ($single)" test "$opt_bkg" -lt "$single"
ok "at about the same signal efficiency ($opt_eff)" awk -v e="$opt_eff" 'BEGIN { exit !(e > 0.93) }'
exits 0 "optimize (the alias) with a name and features" hs --session "$S" cut optimize --features ip,doca \
    --features m_mumu --target 0.9 --name mine
like "$(cat "$T/.out")" "optimised 3 features" "three features"
exits 0 "cut show mine" hs --session "$S" cut show mine
like "$(cat "$T/.out")" "optimised for a target signal efficiency of 0.9" "the target is kept"
exits 0 "the same seed, the same box" hs --session "$S" cut optimize --features ip,doca \
    --features m_mumu --target 0.9 --name mine2
is "$(sed -n '/^cut box/,/^ *train/p' "$T/.out")" \
    "$(hs --session "$S" cut optimise --features ip,doca,m_mumu --target 0.9 --name mine3 | sed -n '/^cut box/,/^ *train/p')" \
    "reproducible"
exits 1 "--target and --grid" hs --session "$S" cut optimise --target 0.9 --grid
exits 1 "an unknown feature" hs --session "$S" cut optimise --features docaa
like "$(cat "$T/.err")" "did you mean 'doca'" "a suggestion"
exits 1 "a target above 1" hs --session "$S" cut optimise --target 1.5
exits 0 "the grid" hs --session "$S" cut optimise --grid --features doca,ip,m_mumu,pt_mumu
is "$(grep -cE '^ *0\.[0-9]+ ' "$T/.out")" 20 "a row per target"
exits 1 "a grid needs a target" hs --session "$S" cut flow optgrid
like "$(cat "$T/.err")" "optgrid@TARGET \\(targets: 0.1, 0.15" "lists the targets"
exits 0 "optgrid@0.95" hs --session "$S" cut flow optgrid@0.94 --on all
like "$(head -1 "$T/.out")" "the box for target 0.95" "the nearest target"
exits 0 "cut export of a grid box" hs --session "$S" cut export optgrid@0.5 --as sql

# ---- list, show, drop --------------------------------------------------
exits 0 "cut list" hs --session "$S" cut list
like "$(cat "$T/.out")" "optgrid +grid +20" "the grid listed with its points"
exits 0 "cut drop" hs --session "$S" cut drop mine2
exits 0 "cut list" hs --session "$S" cut list
ok "gone" sh -c "! grep -q '^mine2 ' '$T/.out'"
exits 1 "drop it again" hs --session "$S" cut drop mine2
exits 1 "show an unknown set" hs --session "$S" cut show nosuch

# ---- each action is a command of its own ---------------------------------
exits 1 "an unknown action" hs --session "$S" cut frob
like "$(cat "$T/.err")" "unknown action 'frob' \(set, flow, optimise, export, list, show or drop\)" \
    "lists the actions"
exits 1 "no action" hs --session "$S" cut
like "$(cat "$T/.err")" "an action is missing" "says an action is missing"
exits 1 "an option of another action" hs --session "$S" cut list --grid
like "$(cat "$T/.err")" "unknown option '--grid'" "each action has its own options"
exits 0 "cut --help" hs cut --help
like "$(cat "$T/.out")" "options of cut optimise:" "the family's help lists each action's options"
exits 0 "help cut set" hs help cut set
like "$(cat "$T/.out")" "^usage: hepscope cut set NAME" "one action's help"
exits 0 "cut optimize, the American spelling" hs --session "$S" cut optimize --features doca,ip \
    --target 0.9 --name us --threads 1
# The journal reads as it always has: the action after the options.
like "$(hs --session "$S" journal | grep ' us$\| --name us ' | tail -1)" \
    "cut --dataset demo --features doca,ip --target 0.9 --name us optimize" \
    "journaled in the family's form"
# An option's value that looks like an action is not taken for one.
exits 0 "cut set with --range before the name" hs --session "$S" cut --range doca::0.02 set list
exits 0 "it is a set called list" hs --session "$S" cut show list
like "$(cat "$T/.out")" "doca" "its cut"

done_testing

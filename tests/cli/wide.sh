#!/bin/sh
# Wide datasets (issue 12): 150 particles (600 columns) and the 67,050 pair
# features feature suggest --add makes of them.  Loading the feature list
# was quadratic (46 s for the suggest, 31 s for each later command); these
# complete, and what they compute is checked.
. "$HS_SRCDIR/tests/lib.sh"

P=150
awk -v P=$P -v N=20 -f "$HS_SRCDIR/tests/cli/wide-gen.awk" >"$T/wide.csv"
exits 0 "import 150 particles" hs --session "$S" import "$T/wide.csv" --label label
exits 0 "feature suggest --add" hs --session "$S" feature suggest --add
# Six quantities per pair (mass, pair pT, angle, delta-phi, delta-R,
# rapidity) of C(150, 2) = 11,175 pairs.
is "$(grep -c '^added ' "$T/.out")" "67050" "six pair features for each of 11,175 pairs"
exits 0 "suggest again" hs --session "$S" feature suggest
is "$(grep -c '^(have) ' "$T/.out")" "67050" "all of them are stored"
exits 0 "split after" hs --session "$S" split --seed 3
exits 0 "feature add after" hs --session "$S" feature add zz 'm_p148_p149 - pt_p0_p1'
exits 0 "export --features" hs --session "$S" export wide -o "$T/f.csv" --features
ok "the last pair's mass, exactly as its formula" awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    {
        e = $c["p148_E"] + $c["p149_E"]; x = $c["p148_px"] + $c["p149_px"]
        y = $c["p148_py"] + $c["p149_py"]; z = $c["p148_pz"] + $c["p149_pz"]
        m = sqrt(e * e - x * x - y * y - z * z)
        pt = sqrt(($c["p0_px"] + $c["p1_px"]) ^ 2 + ($c["p0_py"] + $c["p1_py"]) ^ 2)
        if ((m - $c["m_p148_p149"]) ^ 2 > 1e-16 * m * m) bad++
        if (($c["zz"] - (m - pt)) ^ 2 > 1e-12 * (m * m + pt * pt)) bad++
    }
    END { exit bad > 0 || NR != 21 }' "$T/f.csv"
is "$(head -1 "$T/f.csv" | tr ',' '\n' | wc -l)" "67652" "600 columns, the label, 67,050 pair features and zz"
exits 1 "a taken name among them" hs --session "$S" feature add dR_p7_p9 'p0_E'
like "$(cat "$T/.err")" "feature 'dR_p7_p9': the name is taken" "is refused"
exits 0 "drop one" hs --session "$S" feature drop zz
exits 0 "and add another after the drop" hs --session "$S" feature add zz2 'p149_E * 2'

# A cut of 21,000 terms: cut export --as c took 10.5 s (each term copied
# the text so far) and nested 21,000 parentheses.  Linear now, one flat
# run, and the C compiles and selects what hepscope selects.
printf 'a,b,label\n1,2,1\n0,3,0\n2,0,1\n-1,-2,0\n,1,1\n' >"$T/ab.csv"
exits 0 "import a small one" hs --session "$S" import "$T/ab.csv" --label label
awk 'BEGIN { for (i = 0; i < 21000; i++) printf "%s%s", i ? "&&" : "", i % 2 ? "b" : "a" }' >"$T/cut.txt"
exits 0 "a cut of 21,000 terms" hs --session "$S" --dataset ab cut set big "$(cat "$T/cut.txt")"
exits 0 "cut export --as c" hs --session "$S" --dataset ab cut export big --as c
cp "$T/.out" "$T/big.txt"
is "$(tr -cd '(' <"$T/big.txt" | wc -c)" "21001" "one run: a pair of parentheses per truth test and one round it"
if command -v "${CC:-cc}" >/dev/null 2>&1; then
    { echo '#include <math.h>'; echo '#include <stdio.h>'
      printf 'static int cut(double a, double b) { return %s; }\n' "$(cat "$T/big.txt")"
      echo 'int main(void) { double r[][2] = {{1,2},{0,3},{2,0},{-1,-2},{NAN,1}};'
      echo 'for (int i = 0; i < 5; i++) printf("%d", cut(r[i][0], r[i][1])); return 0; }'; } >"$T/big.c"
    ok "the export compiles" "${CC:-cc}" -std=c99 -o "$T/big" "$T/big.c" -lm
    is "$("$T/big")" "10010" "and selects events 1 and 4 (a and b both non-zero, not missing)"
else
    _tap_result ok "# SKIP no C compiler"
    _tap_result ok "# SKIP no C compiler"
fi
exits 0 "cut flow of it" hs --session "$S" --dataset ab cut flow big --csv

# Figures of many features draw those that separate best, and say so:
# plot corr -o of 10,000 features ran past a minute, plot grid -o said
# "width and height must be 16 to 32768 pixels".
exits 0 "plot corr -o on 67,651 features" hs --session "$S" --dataset wide plot corr -o "$T/corr.png"
like "$(cat "$T/.out")" "^plot corr: drawing the 40 of 67651 features that separate best$" "says which"
ok "a PNG" test -s "$T/corr.png"
exits 0 "plot grid -o on them" hs --session "$S" --dataset wide plot grid -o "$T/grid.png"
like "$(cat "$T/.out")" "^plot grid: drawing the 100 of 67651 features that separate best$" "says which"
# Which: 150 columns of noise and two that separate signal from
# background; the grid's panels are titled by feature.
awk 'BEGIN { srand(7); printf "sepA,"; for (j = 0; j < 150; j++) printf "n%d,", j; print "sepB,label"
             for (i = 0; i < 200; i++) { s = i % 2; printf "%g,", s ? 5 + rand() : rand()
                 for (j = 0; j < 150; j++) printf "%.4f,", rand(); printf "%g,%d\n", s ? -rand() : rand(), s } }' >"$T/sep.csv"
exits 0 "import 152 columns" hs --session "$S" import "$T/sep.csv" --label label
exits 0 "plot grid in the terminal" hs --session "$S" --dataset sep plot grid --width 400 --ascii
like "$(head -1 "$T/.out")" "^plot grid: drawing the 100 of 152 features that separate best$" "says so"
ok "the separating features are drawn" sh -c "grep -q sepA '$T/.out' && grep -q sepB '$T/.out'"

# 400 particles make 478,800 pairs: suggest --add ran past 110 s, printed
# 92,003 "added" lines and committed nothing.  It refuses at once now,
# before any line, saying why; suggest still lists them.
awk -v P=400 -v N=4 -f "$HS_SRCDIR/tests/cli/wide-gen.awk" >"$T/w400.csv"
exits 0 "import 400 particles" hs --session "$S" import "$T/w400.csv" --label label
exits 1 "suggest --add refuses 478,800 pairs" hs --session "$S" --dataset w400 feature suggest --add
is "$(cat "$T/.err")" "hepscope: feature suggest --add: 478800 new pair features would make 478800 derived features, over the 100000 a dataset can work with quickly; add the pairs you need with 'feature add' (feature suggest lists them)" "says why"
ok "no line claims an addition" test ! -s "$T/.out"
exits 0 "suggest lists them" hs --session "$S" --dataset w400 feature suggest
is "$(grep -c ' = ' "$T/.out")" "478800" "all 478,800, none had"

# corr of 152 columns: the complete ones by one matrix product; a few
# pairs against python's Pearson r over the signal events.
exits 0 "corr --csv of 152 columns" hs --session "$S" --dataset sep corr --csv
cp "$T/.out" "$T/corr.csv"
ok "r agrees with python's Pearson (1e-12)" /usr/bin/python3 -c "
import csv, math
rows = list(csv.DictReader(open('$T/sep.csv')))
sig = [r for r in rows if r['label'] == '1']
m = {r['feature']: r for r in csv.DictReader(open('$T/corr.csv'))}
def pearson(a, b):
    x = [float(r[a]) for r in sig]; y = [float(r[b]) for r in sig]
    mx = sum(x) / len(x); my = sum(y) / len(y)
    sxy = sum((p - mx) * (q - my) for p, q in zip(x, y))
    return sxy / math.sqrt(sum((p - mx) ** 2 for p in x) * sum((q - my) ** 2 for q in y))
pairs = [('sepA', 'sepB'), ('n0', 'n149'), ('sepA', 'n77'), ('n3', 'n4')]
assert len(m) == 152
assert all(abs(float(m[a][b]) - pearson(a, b)) < 1e-12 for a, b in pairs)
assert all(float(m[a][a]) == 1 for a in m)
"
done_testing

#!/bin/bash
# hepscope roc and effs: AUC, background at 95% signal efficiency and the
# best threshold checked against independent python computations on an
# exported CSV; the figure as PNG and SVG; usage errors.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
exits 0 "a small demo" hs --session "$S" demo --n-signal 2000 --n-background 20000 --seed 4
exits 0 "export it as CSV" hs --session "$S" export demo -o "$T/d.csv"

# ---- usage -----------------------------------------------------------
exits 1 "roc without a cut set or score" hs --session "$S" roc
like "$(cat "$T/.err")" "name a cut set or give --score 'EXPR' \\(cut sets of 'demo': none yet\\)" \
    "says what it wants"
exits 0 "a cut set" hs --session "$S" cut set tight 'doca < 0.01 && ip < 5'
exits 1 "roc without a cut set or score, again" hs --session "$S" roc
like "$(cat "$T/.err")" "cut sets of 'demo': tight" "lists the session's cut sets"
exits 1 "an unknown cut set" hs --session "$S" roc nosuch --on all
exits 1 "a bad score" hs --session "$S" roc --score 'doca +' --on all
exits 1 "--on nowhere" hs --session "$S" roc tight --on nowhere
exits 1 "-o with an unknown type" hs --session "$S" roc tight -o "$T/r.gif"
ok "no file left behind" test ! -e "$T/r.gif"

# ---- a score's ROC against python -------------------------------------
# AUC as the Mann-Whitney statistic with average ranks (ties count one
# half), and the background efficiency at 95% signal efficiency by linear
# interpolation between the curve's points (one per distinct score).
cat >"$T/ref.py" <<'PY'
import csv, sys
col, sign = sys.argv[2], float(sys.argv[3])
rows = [(sign * float(r[col]), r['Truth'] == '1') for r in csv.DictReader(open(sys.argv[1]))]
ns = sum(1 for _, y in rows if y); nb = len(rows) - ns
order = sorted(rows, key=lambda t: t[0])
rank_sum = 0.0; i = 0
while i < len(order):
    j = i
    while j < len(order) and order[j][0] == order[i][0]: j += 1
    avg = (i + 1 + j) / 2.0
    rank_sum += avg * sum(1 for k in range(i, j) if order[k][1])
    i = j
auc = (rank_sum - ns * (ns + 1) / 2.0) / (ns * nb)
# The curve: thresholds from the highest score down.
pts = [(0.0, 0.0)]; s = b = 0; i = len(order) - 1
while i >= 0:
    j = i
    while j >= 0 and order[j][0] == order[i][0]:
        if order[j][1]: s += 1
        else: b += 1
        j -= 1
    pts.append((b / nb, s / ns)); i = j
b95 = None
for (b0, s0), (b1, s1) in zip(pts, pts[1:]):
    if s1 >= 0.95 and s0 < 0.95:
        b95 = b0 + (0.95 - s0) * (b1 - b0) / (s1 - s0); break
print(f"{auc:.12f} {b95:.12f}")
PY
exits 0 "roc --score on all events (CSV table)" hs --session "$S" roc --score '0 - doca' --score ip \
    --on all --table-csv
is "$(head -1 "$T/.out")" "name,auc,bkg_eff_95,target,sig_eff,meets_target" "the CSV header"
cp "$T/.out" "$T/tab.csv"
read -r auc b95 < <("$PY" "$T/ref.py" "$T/d.csv" doca -1)
ok "AUC of -doca is python's ($auc)" awk -F, -v a="$auc" '$1 == "0 - doca" {
    d = $2 - a; if (d < 0) d = -d; exit !(d < 1e-9) }' "$T/tab.csv"
ok "background at 95% signal is python's ($b95)" awk -F, -v b="$b95" '$1 == "0 - doca" {
    d = $3 - b; if (d < 0) d = -d; exit !(d < 1e-9) }' "$T/tab.csv"
read -r auc b95 < <("$PY" "$T/ref.py" "$T/d.csv" ip 1)
ok "AUC of ip is python's ($auc)" awk -F, -v a="$auc" '$1 == "ip" {
    d = $2 - a; if (d < 0) d = -d; exit !(d < 1e-9) }' "$T/tab.csv"

# A perfect score and a constant one, on a small file.
cat >"$T/p.csv" <<'CSV'
good,flat,lab
0.9,1,1
0.8,1,1
0.7,1,1
0.3,1,0
0.2,1,0
0.1,1,0
0.05,1,0
CSV
S2="$T/p.db"
exits 0 "import a small file" hs --session "$S2" import "$T/p.csv" --label lab
exits 0 "roc of a perfect and a constant score" hs --session "$S2" roc --score good --score flat \
    --on all --table-csv
is "$(sed -n 2p "$T/.out")" "good,1,0,,," "perfect: AUC 1, no background at 95% signal"
like "$(sed -n 3p "$T/.out")" "^flat,0.5," "constant: AUC 1/2"

# ---- cut sets: a point and a curve -----------------------------------
exits 0 "roc of a cut set and a score, on the test part" hs --session "$S" roc tight --score '0 - doca'
like "$(cat "$T/.out")" "made the default split of 'demo'" "the default split is made and said"
like "$(cat "$T/.out")" "ROC on the test part of 'demo' \\([0-9]+ events\\)" "says which events"
like "$(cat "$T/.out")" "tight +cuts +- +- +0\\.[0-9]+ +0\\.[0-9]+" \
    "a single cut set: its efficiencies, no AUC"
like "$(cat "$T/.out")" "0 - doca +score +0\\.9[0-9]* +0\\.[0-9]+ +- +-" "a score: AUC and background at 95%"
exits 0 "the same, as CSV" hs --session "$S" roc tight --score '0 - doca' --table-csv
like "$(sed -n 2p "$T/.out")" "^tight,,,,0\\.[0-9]+,$" \
    "a single cut set: no area, its signal efficiency, no target (made by hand)"
exits 0 "its efficiencies agree with cut flow" hs --session "$S" roc tight
eff_roc=$(awk '$1 == "tight" { print $5 " " $6 }' "$T/.out")
exits 0 "cut flow tight" hs --session "$S" cut flow tight --csv
eff_flow=$(tail -1 "$T/.out" | awk -F, '{ printf "%.4g %.4g", $5, $6 }')
is "$eff_roc" "$eff_flow" "the point is the flow's last step"

exits 0 "the workshop exercise" hs --session "$S" cut optimise --target 0.95 --features doca,ip,vz
exits 0 "the grid" hs --session "$S" cut optimise --grid --features doca,ip,vz
exits 0 "roc opt95 optgrid --score" hs --session "$S" roc opt95 optgrid --score '0 - doca' \
    --points "$T/pts.csv" -o "$T/roc.png"
like "$(cat "$T/.out")" "opt95 +cuts" "opt95 in the table"
like "$(cat "$T/.out")" "optgrid +grid +0\\.9[0-9]* +0\\.[0-9]+" "the grid is a curve with an AUC"
is "$(head -1 "$T/pts.csv")" "name,sig_eff,bkg_eff,threshold" "the points' header"
is "$(grep -c '^opt95,' "$T/pts.csv")" 3 "a cut set is (0,0), its point, (1,1)"
ok "thresholds only for the score" awk -F, 'NR > 1 && (($1 == "0 - doca") != ($4 != "")) { bad++ } END { exit bad > 0 }' "$T/pts.csv"
ok "every curve from (0,0) to (1,1)" "$PY" -c "
import csv, collections
c = collections.defaultdict(list)
for r in csv.DictReader(open('$T/pts.csv')): c[r['name']].append((float(r['bkg_eff']), float(r['sig_eff'])))
assert set(c) == {'opt95', 'optgrid', '0 - doca'}
for p in c.values(): assert p[0] == (0, 0) and p[-1] == (1, 1), p
"
# The grid's AUC is the trapezoid rule over its points.
exits 0 "the grid's AUC" hs --session "$S" roc optgrid --table-csv
ok "the trapezoid rule over the written points" "$PY" -c "
import csv
p = [(float(r['bkg_eff']), float(r['sig_eff'])) for r in csv.DictReader(open('$T/pts.csv')) if r['name'] == 'optgrid']
a = sum((b1 - b0) * (s0 + s1) / 2 for (b0, s0), (b1, s1) in zip(p, p[1:]))
got = float(open('$T/.out').read().splitlines()[1].split(',')[1])
assert abs(a - got) < 1e-12, (a, got)
"
if [ -x "$PY" ]; then
    ok "the PNG is a PNG and records its command" "$PY" -c "
import sys
d = open('$T/roc.png', 'rb').read()
assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
sys.exit(not (b'Command' in d and b'roc --dataset demo' in d and b'opt95 optgrid' in d))"
fi
exits 0 "an SVG with a log axis (--rejection)" hs --session "$S" roc optgrid --score '0 - doca' --rejection -o "$T/roc.svg"
like "$(head -c 400 "$T/roc.svg")" "<svg" "an SVG document"
exits 0 "a PDF" hs --session "$S" roc optgrid -o "$T/roc.pdf"
like "$(head -c 5 "$T/roc.pdf")" "%PDF-" "a PDF document"

# ---- effs ------------------------------------------------------------
exits 0 "effs --csv" hs --session "$S" effs '0 - doca' --on all --nsig 100 --nbkg 1000 --points 11 --csv
is "$(head -1 "$T/.out")" "threshold,sig_eff,bkg_eff,purity,eff_purity,s,b,significance" "the CSV header"
is "$(wc -l <"$T/.out" | tr -d ' ')" 12 "11 thresholds"
ok "S and B are the scales times the efficiencies, purity S/(S+B)" awk -F, 'NR > 1 {
    d1 = $6 - 100 * $2; d2 = $7 - 1000 * $3; if (d1 < 0) d1 = -d1; if (d2 < 0) d2 = -d2
    if (d1 > 1e-9 || d2 > 1e-9) bad++
    if ($6 + $7 > 0) { d3 = $4 - $6 / ($6 + $7); if (d3 < 0) d3 = -d3; if (d3 > 1e-12) bad++ } }
    END { exit bad > 0 }' "$T/.out"
exits 0 "effs (the table and the best threshold)" hs --session "$S" effs '0 - doca' --on all \
    --nsig 100 --nbkg 1000
best=$(grep '^best:' "$T/.out")
like "$best" "^best: threshold [-0-9.e]+, significance [0-9.]+ \\(S = " "the best threshold line"
z=$(printf '%s' "$best" | sed -E 's/.*significance ([0-9.e+-]+) .*/\1/')
ref=$("$PY" - "$T/d.csv" <<'PY'
import csv, math, sys
rows = [(-float(r['doca']), r['Truth'] == '1') for r in csv.DictReader(open(sys.argv[1]))]
ns = sum(1 for _, y in rows if y); nb = len(rows) - ns
rows.sort(key=lambda t: -t[0])
best = 0; s = b = 0; i = 0
while i < len(rows):
    # score > t for t just below this value: every event down to it passes
    j = i
    while j < len(rows) and rows[j][0] == rows[i][0]:
        if rows[j][1]: s += 1
        else: b += 1
        j += 1
    i = j
    # the threshold is the next lower distinct value: everything above it passes
    S, B = 100.0 * s / ns, 1000.0 * b / nb
    if S + B > 0: best = max(best, S / math.sqrt(S + B))
print(f"{best:.6g}")
PY
)
ok "the best significance is python's brute force ($z vs $ref)" awk -v a="$z" -v b="$ref" \
    'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-5 * b) }'
exits 0 "effs --significance ams --lumi" hs --session "$S" effs ip --significance ams --lumi 2 --on all \
    --points 3 --csv
ok "with --lumi 2, S at the lowest threshold is about twice the signal events" awk -F, \
    'NR == 2 { exit !($6 > 3900 && $6 <= 4000) }' "$T/.out"
exits 1 "--nsig without --nbkg" hs --session "$S" effs ip --nsig 10
like "$(cat "$T/.err")" "--nsig and --nbkg go together" "says so"
exits 1 "--lumi with --nsig" hs --session "$S" effs ip --nsig 10 --nbkg 10 --lumi 1
exits 1 "an unknown significance" hs --session "$S" effs ip --significance z
like "$(cat "$T/.err")" "ams, asimov, s_sqrt_b or s_sqrt_sb" "lists the kinds"
exits 1 "a bad score" hs --session "$S" effs 'ipp'
like "$(cat "$T/.err")" "did you mean 'ip'" "a suggestion"

done_testing

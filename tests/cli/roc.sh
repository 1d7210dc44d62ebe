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

# ---- the view: rejection for very good curves, said -------------------
exits 0 "the AUC of a very good score" hs --session "$S" roc --score '0 - doca' --table-csv
auc=$(awk -F, 'NR == 2 { print $2 }' "$T/.out")
exits 0 "its figure in the terminal" hs --session "$S" roc --score '0 - doca' --draw --width 90 \
    --height 24 --ascii
ok "its AUC is above 0.98 ($auc)" awk -v a="$auc" 'BEGIN { exit !(a > 0.98) }'
like "$(cat "$T/.out")" "figure: rejection view, 1/bkg eff on a log axis: every AUC is above 0\\.98 \\(--linear" \
    "the default chooses the rejection view and says why"
like "$(cat "$T/.out")" "log rejection view chosen" "the figure's title says so"
like "$(cat "$T/.out")" "background rejection 1/bkg eff" "its y axis is the rejection factor"
exits 0 "a poor score beside it" hs --session "$S" roc --score '0 - doca' --score ip --draw \
    --width 90 --height 24 --ascii
like "$(cat "$T/.out")" "figure: linear view, 1 - bkg eff \\(--rejection for" \
    "with a curve below 0.98 the default is linear"
exits 0 "--linear forces it" hs --session "$S" roc --score '0 - doca' --linear --draw --ascii
like "$(cat "$T/.out")" "figure: linear view, 1 - bkg eff \\(--linear\\)" "and says so"
like "$(cat "$T/.out")" "background rejection 1 - bkg eff" "the linear axis"
exits 0 "--rejection forces the other" hs --session "$S" roc --score ip --rejection --draw --ascii
like "$(cat "$T/.out")" "figure: rejection view, 1/bkg eff on a log axis \\(--rejection\\)" \
    "and says so"
# Points with no background have no rejection factor: they are drawn at
# a floor, half the smallest non-zero background efficiency, and the axis
# says where.
exits 0 "--rejection, with its points" hs --session "$S" roc --score '0 - doca' --rejection --draw \
    --width 100 --height 24 --ascii --points "$T/rpts.csv"
floor=$(sed -n 's/.*(0 bkg: at \([0-9.e+]*\)).*/\1/p' "$T/.out" | head -1)
ok "the axis says where zero background is drawn ($floor)" test -n "$floor"
ok "at twice the largest measured rejection" "$PY" -c "
import csv, sys
b = [float(r['bkg_eff']) for r in csv.DictReader(open('$T/rpts.csv'))]
assert min(b) == 0
sys.exit('$floor' != '%.2g' % (2 / min(x for x in b if x > 0)))"
exits 0 "no figure, no view said" hs --session "$S" roc --score ip
ok "nothing about a figure" eval '! grep -q "^figure:" "$T/.out"'
exits 1 "--rejection with --linear" hs --session "$S" roc --score ip --rejection --linear
like "$(cat "$T/.err")" "give --rejection or --linear, not both" "refused"
exits 1 "--log is gone: --rejection replaced it" hs --session "$S" roc --score ip --log

# ---- a grid: its Pareto front, and each box against its target --------
# On all events, so that python can count every box from the exported
# CSV with the box's own SQL (cut export): the efficiencies, the front,
# its trapezoid area and whether each box keeps its target.
exits 0 "roc optgrid --on all, its points" hs --session "$S" roc optgrid --on all \
    --points "$T/gpts.csv"
cp "$T/.out" "$T/gtab.txt"
exits 0 "its AUC as CSV" hs --session "$S" roc optgrid --on all --table-csv
gauc=$(awk -F, '$1 == "optgrid" { print $2 }' "$T/.out")
: >"$T/boxes.sql"
for t in $(awk '/^grid .optgrid.: each box/ { on = 1; next } on && $1 ~ /^[0-9.]+$/ { print $1 }' "$T/gtab.txt"); do
    hs --session "$S" cut export "optgrid@$t" --as sql >"$T/box.sql" || echo "cut export optgrid@$t failed" >&2
    printf '%s\t%s\n' "$t" "$(cat "$T/box.sql")" >>"$T/boxes.sql"
done
is "$(wc -l <"$T/boxes.sql" | tr -d ' ')" 20 "the table lists the grid's 20 boxes"
ok "the drawn curve rises in both efficiencies" "$PY" -c "
import csv
p = [(float(r['sig_eff']), float(r['bkg_eff'])) for r in csv.DictReader(open('$T/gpts.csv'))]
assert all(s1 > s0 and b1 >= b0 or (s1, b1) == (1, 1) and s1 >= s0 and b1 >= b0
           for (s0, b0), (s1, b1) in zip(p, p[1:])), p
"
ok "python's front, area and targets from its own counts" "$PY" - "$T/d.csv" "$T/boxes.sql" \
    "$T/gtab.txt" "$T/gpts.csv" "$gauc" <<'PY'
import csv, sqlite3, sys
data, boxes, tab, pts, auc = sys.argv[1:6]
rows = list(csv.DictReader(open(data)))
db = sqlite3.connect(':memory:')
cols = list(rows[0].keys())
db.execute('create table t (%s)' % ','.join('"%s" real' % c for c in cols))
db.executemany('insert into t values (%s)' % ','.join('?' * len(cols)),
               [[float(r[c]) for c in cols] for r in rows])
ns = db.execute('select count(*) from t where Truth = 1').fetchone()[0]
nb = db.execute('select count(*) from t where Truth = 0').fetchone()[0]
eff = {}
for line in open(boxes):
    t, where = line.rstrip('\n').split('\t', 1)
    s = db.execute('select count(*) from t where Truth = 1 and (%s)' % where).fetchone()[0]
    b = db.execute('select count(*) from t where Truth = 0 and (%s)' % where).fetchone()[0]
    eff[t] = (s / ns, b / nb)
# The printed table: target, sig eff, bkg eff, yes/no.
got = {}
on = False
for line in open(tab):
    if line.startswith("grid 'optgrid': each box"):
        on = True; continue
    f = line.split()
    if on and len(f) == 4 and f[3] in ('yes', 'no'):
        got[f[0]] = (float(f[1]), f[3])
assert set(got) == set(eff), (sorted(got), sorted(eff))
bad = 0
for t, (s, b) in eff.items():
    want = 'yes' if s >= float(t) else 'no'
    if got[t][1] != want or abs(got[t][0] - s) > 0.00005:
        print('box', t, got[t], s, want); bad += 1
yes = sum(1 for v in got.values() if v[1] == 'yes')
summary = [l for l in open(tab) if l.startswith('optgrid ')][0]
if ('%d of %d boxes' % (yes, len(got))) not in summary:
    print('summary', summary, yes); bad += 1
# The Pareto front of the boxes, pair by pair, and its trapezoid area.
P = sorted(set(eff.values()))
front = sorted(p for p in P if not any(q[0] >= p[0] and q[1] <= p[1] and q != p for q in P))
curve = [(0.0, 0.0)] + front + [(1.0, 1.0)]
area = sum((b1 - b0) * (s0 + s1) / 2 for (s0, b0), (s1, b1) in zip(curve, curve[1:]))
if abs(area - float(auc)) > 1e-12:
    print('area', area, auc); bad += 1
drawn = [(float(r['sig_eff']), float(r['bkg_eff'])) for r in csv.DictReader(open(pts))]
if len(drawn) != len(curve) or any(abs(a[0] - b[0]) > 1e-12 or abs(a[1] - b[1]) > 1e-12
                                   for a, b in zip(drawn, curve)):
    print('drawn', drawn, curve); bad += 1
print('# %d boxes, %d on the front, %d meet their target' % (len(eff), len(front), yes))
sys.exit(bad > 0)
PY
exits 0 "opt95 on the test part" hs --session "$S" roc opt95 --table-csv
row=$(sed -n 2p "$T/.out")
like "$row" "^opt95,,,0\\.95,0\\.[0-9]+,(yes|no)$" "a set's target, efficiency and verdict in the CSV"
ok "the verdict is the efficiency against 0.95 ($row)" awk -F, 'NR == 2 {
    exit !(($6 == "yes") == ($5 >= 0.95)) }' "$T/.out"
exits 0 "and in the table" hs --session "$S" roc opt95
like "$(cat "$T/.out")" "meets target on test" "the column says which part"
like "$(cat "$T/.out")" "opt95 +cuts .* 0\\.95: (yes|no) \\(0\\.[0-9]{4}\\)" "target: verdict (efficiency)"

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

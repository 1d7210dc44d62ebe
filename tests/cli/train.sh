#!/bin/bash
# hepscope train, score, roc with models, overtrain, groups and model:
# the printed AUC against python's rank formula on the score CSV, the
# exported C function compiled and run against `score`, determinism,
# the overtraining figure, the per-group table, k folds, usage errors.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
CC=${CC:-cc}
exits 0 "a small demo" hs --session "$S" demo --n-signal 2000 --n-background 8000 --seed 5
FAST="--epochs 4 --threads 1"

# ---- usage errors store nothing ---------------------------------------
exits 1 "bad --layers" hs --session "$S" train bad --layers 64,,64
like "$(cat "$T/.err")" "--layers wants widths separated by commas" "says what --layers wants"
exits 1 "a zero width" hs --session "$S" train bad --layers 0,8
exits 1 "--activation nope" hs --session "$S" train bad --activation nope
like "$(cat "$T/.err")" "relu, leaky_relu, tanh, sigmoid or identity, not 'nope'" \
    "lists the accepted activations"
exits 1 "--optimizer nope" hs --session "$S" train bad --optimizer nope
exits 1 "a dropout list of the wrong length" hs --session "$S" train bad --layers 8,8 --dropout 0.1,0.2,0.3
exits 1 "a bad model name" hs --session "$S" train 9lives
exits 1 "an unknown feature" hs --session "$S" train bad --features doca,ipp $FAST
like "$(cat "$T/.err")" "no feature 'ipp'.*did you mean 'ip'" "suggests the feature"
exits 1 "an unknown --train-group" hs --session "$S" train bad --train-group 2.7 $FAST
like "$(cat "$T/.err")" "no signal group '2.7' \\(groups: 0.5, 0.75, 1," "lists the groups"
exits 0 "model list" hs --session "$S" model list
like "$(cat "$T/.out")" "no models yet" "the errors stored no model"

# ---- train ------------------------------------------------------------
exits 0 "train nn" hs --session "$S" train nn --seed 3 $FAST
out=$(cat "$T/.out")
like "$out" "^training 'nn' on 'demo': 19 inputs, 64,64 relu, adam" "describes the network"
like "$out" "epoch +loss +val loss +val AUC +seconds" "the epoch table's header"
is "$(grep -cE '^ +[1-4] +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+$' "$T/.out")" 4 "one line per epoch"
like "$out" "negative weights: use" "the negative-weight policy"
like "$out" "imputed inputs: 0" "the imputed inputs"
like "$out" "best epoch [1-4] of 4, not early stopped$" "the best epoch"
like "$out" "@B=0.01 +@B=0.10 +@B=0.30" "TMVA's summary table"
like "$out" "nn +0\\.[0-9]{4} \\(0\\.[0-9]{4}\\)" "test with train in parentheses"
like "$out" "stored model 'nn'" "stored"
auc=$(sed -n 's/^test AUC \([0-9.e-]*\) .*/\1/p' "$T/.out")
like "$auc" "^0\\.[0-9]+$" "the test AUC is printed"
exits 1 "the name is taken" hs --session "$S" train nn $FAST
like "$(cat "$T/.err")" "model 'nn' exists \\(--replace" "says so"
exits 0 "model list" hs --session "$S" model list
like "$(cat "$T/.out")" "nn +demo +19 +64,64 relu +0\\.[0-9]{4}" "lists the model"

# ---- the AUC three ways -----------------------------------------------
exits 0 "roc nn --table-csv" hs --session "$S" roc nn --table-csv
rauc=$(sed -n 's/^nn,\([^,]*\),.*/\1/p' "$T/.out")
ok "roc's AUC equals train's (1e-9)" "$PY" -c "import sys; sys.exit(abs($rauc - $auc) > 1e-9)"
exits 0 "roc shows the kind" hs --session "$S" roc nn
like "$(cat "$T/.out")" "nn +model +0\\.[0-9]+" "kind model"
exits 0 "score nn" hs --session "$S" score nn -o "$T/sc.csv"
is "$(head -1 "$T/sc.csv")" "row,label,part,score" "the score CSV header"
is "$(wc -l <"$T/sc.csv" | tr -d ' ')" 10001 "one row per event"
cat >"$T/auc.py" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert all(0.0 <= float(r['score']) <= 1.0 for r in rows), "a score outside [0, 1]"
assert [int(r['row']) for r in rows] == list(range(len(rows)))
t = [(float(r['score']), r['label'] == '1') for r in rows if r['part'] == 'test']
ns = sum(1 for _, y in t if y); nb = len(t) - ns
order = sorted(t, key=lambda p: p[0])
rank_sum = 0.0; i = 0
while i < len(order):
    j = i
    while j < len(order) and order[j][0] == order[i][0]: j += 1
    rank_sum += (i + 1 + j) / 2.0 * sum(1 for k in range(i, j) if order[k][1])
    i = j
auc = (rank_sum - ns * (ns + 1) / 2.0) / (ns * nb)
sys.exit(abs(auc - float(sys.argv[2])) > 1e-9)
PY
ok "python's rank AUC of the test rows equals the printed one (1e-9)" "$PY" "$T/auc.py" "$T/sc.csv" "$auc"
exits 1 "score without -o" hs --session "$S" score nn
exits 1 "score an unknown model" hs --session "$S" score nm -o "$T/x.csv"
like "$(cat "$T/.err")" "no model 'nm' \\(did you mean 'nn'\\?\\)" "did you mean"
ok "no file left behind" test ! -e "$T/x.csv"

# ---- the exported C function against score -----------------------------
exits 0 "model export --as c" hs --session "$S" model export nn --as c -o "$T/nn.c"
like "$(cat "$T/nn.c")" "double hepscope_nn\\(const double \\*x\\)" "the default function name"
exits 1 "model export --as java" hs --session "$S" model export nn --as java -o "$T/nn.java"
exits 0 "export the features" hs --session "$S" export demo --features -o "$T/feat.csv"
cat >"$T/inputs.py" <<'PY'
import csv, re, sys
names = re.findall(r'^ \*   ?\s*(\d+)  (\w+): ', open(sys.argv[1]).read(), re.M)
names = [n for _, n in sorted(names, key=lambda p: int(p[0]))]
with open(sys.argv[3], 'w') as out:
    for r in csv.DictReader(open(sys.argv[2])):
        out.write(' '.join(r[n] if r[n] != '' else 'nan' for n in names) + '\n')
print(len(names))
PY
nin=$("$PY" "$T/inputs.py" "$T/nn.c" "$T/feat.csv" "$T/in.txt")
is "$nin" 19 "the C file lists the 19 inputs"
c_export_agrees hepscope_nn "$nin" "$T/nn.c" "$T/in.txt" "$T/sc.csv"

# ---- scoring another dataset ---------------------------------------------
"$PY" -c "
import csv
r = csv.DictReader(open('$T/feat.csv'))
cols = [c for c in r.fieldnames if c not in ('Truth', 'HNL_mass')]
w = csv.writer(open('$T/nolabel.csv', 'w', newline=''))
w.writerow(cols)
w2 = csv.writer(open('$T/noip.csv', 'w', newline=''))
w2.writerow([c for c in cols if c != 'ip'])
for i, row in enumerate(r):
    if i < 300:
        w.writerow([row[c] for c in cols])
        w2.writerow([row[c] for c in cols if c != 'ip'])"
exits 0 "import an unlabelled dataset" hs --session "$S" import "$T/nolabel.csv" --name other
exits 0 "score it" hs --session "$S" score nn --dataset other -o "$T/other.csv"
# (The same scores to rounding: another batch size, another GEMM blocking.)
ok "the same scores (1e-12), no label, no part" "$PY" -c "
import csv, sys
a = list(csv.DictReader(open('$T/sc.csv')))[:300]
b = list(csv.DictReader(open('$T/other.csv')))
bad = [(x, y) for x, y in zip(a, b)
       if abs(float(x['score']) - float(y['score'])) > 1e-12 or y['label'] or y['part']]
sys.exit(len(b) != 300 or len(bad) > 0)"
exits 0 "import one without ip" hs --session "$S" import "$T/noip.csv" --name noip
exits 1 "score it" hs --session "$S" score nn --dataset noip -o "$T/noip.out"
like "$(cat "$T/.err")" "model 'nn' needs input 'ip', which the dataset does not have" "names the input"
ok "no file left behind" test ! -e "$T/noip.out"
exits 0 "drop them again" hs --session "$S" drop other
exits 0 "and the other" hs --session "$S" drop noip

# ---- determinism --------------------------------------------------------
exits 0 "train d1 (seed 3, one thread)" hs --session "$S" train d1 --seed 3 --epochs 2 --threads 1
exits 0 "train d2, the same" hs --session "$S" train d2 --seed 3 --epochs 2 --threads 1
exits 0 "train d3, seed 4" hs --session "$S" train d3 --seed 4 --epochs 2 --threads 1
for m in d1 d2 d3; do hs --session "$S" score $m -o "$T/$m.csv" >/dev/null; done
ok "the same seed gives identical scores" cmp "$T/d1.csv" "$T/d2.csv"
ok "another seed gives other scores" eval '! cmp -s "$T/d1.csv" "$T/d3.csv"'

# ---- overtraining ---------------------------------------------------------
exits 0 "overtrain nn in the terminal" hs --session "$S" overtrain nn --width 80 --height 20
out=$(cat "$T/.out")
like "$out" "classifier output" "the figure's axis"
ps=$(sed -n 's/^\(signal\|background\) \+[0-9.]\+ \+\([0-9.]\+\)$/\2/p' "$T/.out" | tr '\n' ' ')
ok "two p-values in [0, 1]" "$PY" -c "
import sys; p = [float(x) for x in '$ps'.split()]
sys.exit(not (len(p) == 2 and all(0 <= x <= 1 for x in p)))"
line=$(grep '^test AUC' "$T/.out")
like "$line" "^test AUC 0\\.[0-9]{4} ± [0-9.e-]+ \\(DeLong s\\.e\\.\\), train AUC 0\\.[0-9]{4}" \
    "the test AUC with its standard error"
ok "the s.e. is scipy's DeLong on the test rows to 2 digits ($line)" "$PY" -c "
import csv, sys
import numpy as np
from scipy.stats import rankdata
r = [x for x in csv.DictReader(open('$T/sc.csv')) if x['part'] == 'test']
X = np.array([float(x['score']) for x in r if x['label'] == '1'])
Y = np.array([float(x['score']) for x in r if x['label'] == '0'])
m, n = len(X), len(Y)
tz = rankdata(np.concatenate([X, Y]))
v10 = (tz[:m] - rankdata(X)) / n; v01 = 1 - (tz[m:] - rankdata(Y)) / m
se = np.sqrt(v10.var(ddof=1) / m + v01.var(ddof=1) / n)
got = '$line'.split()[4]
sys.exit(got != '%.2g' % se)"
exits 0 "overtrain -o PNG" hs --session "$S" overtrain nn -o "$T/ot.png" --width 800 --height 500 --dpi 100
ok "the PNG is 800 x 500 and records its command" "$PY" -c "
import struct, sys
d = open('$T/ot.png', 'rb').read()
assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
w, h = struct.unpack('>II', d[16:24])
sys.exit(not (w == 800 and h == 500 and b'overtrain' in d and b'Command' in d))"
exits 0 "overtrain --log in the terminal" hs --session "$S" overtrain nn --log --width 80 --height 24 --ascii
like "$(cat "$T/.out")" "10\\^-?[0-9]|1e-0?[0-9]|0\\.001" "a log axis: powers of ten"
exits 0 "overtrain --log -o SVG" hs --session "$S" overtrain nn --log -o "$T/otlog.svg"
like "$(head -c 400 "$T/otlog.svg")" "<svg" "an SVG"
exits 1 "overtrain -o GIF" hs --session "$S" overtrain nn -o "$T/ot.gif"
exits 1 "overtrain --bins 1" hs --session "$S" overtrain nn --bins 1

# ---- groups ------------------------------------------------------------
exits 0 "groups nn" hs --session "$S" groups nn
out=$(cat "$T/.out")
like "$out" "group +signal events +AUC +bkg eff at 95% sig" "the table's header"
want=$("$PY" -c "
import csv
part = {r['row']: r['part'] for r in csv.DictReader(open('$T/sc.csv'))}
m = set()
for i, r in enumerate(csv.DictReader(open('$T/feat.csv'))):
    if r['Truth'] == '1' and part[str(i)] == 'test': m.add(float(r['HNL_mass']))
print(' '.join('%g' % x for x in sorted(m)))")
got=$(sed -n 's/^\([0-9.]\+\) \+[0-9]\+ \+[0-9.]\+ .*/\1/p' "$T/.out" | tr '\n' ' ' | sed 's/ $//')
is "$got" "$want" "every mass group of the test part, in order"
exits 0 "groups --csv" hs --session "$S" groups nn --csv
is "$(head -1 "$T/.out")" "group,nsig,auc,bkg_eff_95,auc_se" "the CSV header"
cp "$T/.out" "$T/groups.csv"
# DeLong's standard error by Sun and Xu's midranks, with scipy's ranks,
# on the test rows: each group's signal against all background.
ok "each group's AUC s.e. is scipy's DeLong (1e-9)" "$PY" -c "
import csv, sys
import numpy as np
from scipy.stats import rankdata
sc = list(csv.DictReader(open('$T/sc.csv')))
ft = list(csv.DictReader(open('$T/feat.csv')))
test = [i for i, r in enumerate(sc) if r['part'] == 'test']
score = np.array([float(sc[i]['score']) for i in test])
lab = np.array([ft[i]['Truth'] == '1' for i in test])
mass = np.array([float(ft[i]['HNL_mass']) for i in test])
Y = score[~lab]; n = len(Y); ty = rankdata(Y)
bad = 0; rows = list(csv.DictReader(open('$T/groups.csv')))
assert len(rows) > 3
for r in rows:
    X = score[lab & (mass == float(r['group']))]; m = len(X)
    tz = rankdata(np.concatenate([X, Y])); tx = rankdata(X)
    v10 = (tz[:m] - tx) / n; v01 = 1 - (tz[m:] - ty) / m
    auc = v10.mean(); se = np.sqrt(v10.var(ddof=1) / m + v01.var(ddof=1) / n)
    if abs(auc - float(r['auc'])) > 1e-9 or abs(se - float(r['auc_se'])) > 1e-9 * max(se, 1e-3):
        print(r['group'], auc, r['auc'], se, r['auc_se']); bad += 1
sys.exit(bad > 0)"
exits 0 "groups -o PNG" hs --session "$S" groups nn -o "$T/g.png"
like "$(head -c 8 "$T/g.png" | od -c | head -1)" "P   N   G" "a PNG"
exits 0 "groups -o SVG --draw" hs --session "$S" groups nn -o "$T/g.svg" --draw
like "$(cat "$T/.out")" "AUC ± DeLong s.e." "the legend says which error bars"
like "$(cat "$T/.out")" "HNL_mass" "the x axis is the group column"
like "$(head -c 400 "$T/g.svg")" "<svg" "an SVG"

# ---- a model trained on one group; transfer ------------------------------
exits 0 "train on group 2.5 only" hs --session "$S" train g25 --train-group 2.5 --layers 8 --epochs 2 --threads 1
like "$(cat "$T/.out")" "signal trained on: group 2.5 only" "says so"
exits 0 "transfer" hs --session "$S" groups g25 --transfer -o "$T/tr.png" --threads 1
out=$(cat "$T/.out")
like "$out" "rows trained on a group, columns tested on one" "the matrix"
is "$(grep -c '^[0-9.]\+  \+0\.[0-9]\{3\}' "$T/.out")" "$(echo "$want" | wc -w)" "one row per group"
like "$(head -c 8 "$T/tr.png" | od -c | head -1)" "P   N   G" "the heat map"

# ---- k folds -----------------------------------------------------------
exits 0 "train --folds 3" hs --session "$S" train kf --folds 3 --layers 16 --epochs 2 --threads 1
like "$(cat "$T/.out")" "folds: AUC mean 0\\.[0-9]{4} sd 0\\.[0-9]{4}; bkg eff at 95% sig eff mean" \
    "mean and sd over the folds"
is "$(grep -cE '^ +[123] +0\.[0-9]{4} ' "$T/.out")" 3 "one line per fold"
for k in 1 0 101 -2 2x ""; do
    exits 1 "train --folds '$k' exits 1" hs --session "$S" train kf1 --folds "$k" --epochs 1
    is "$(cat "$T/.err")" "hepscope: --folds wants a whole number from 2 to 100, not '$k' (without --folds, no folds are run)" \
        "--folds '$k' refused, the range said"
done

# ---- model show, drop ----------------------------------------------------
exits 0 "model show" hs --session "$S" model show nn
out=$(cat "$T/.out")
like "$out" "options: --layers 64,64 --activation relu --optimizer adam --lr 0.001" "the options"
like "$out" "m_mumu +mass\\(E_mu_plus," "a derived input with its expression"
like "$out" "training curve:" "the curve"
exits 0 "model drop" hs --session "$S" model drop d3
exits 1 "roc of a dropped model" hs --session "$S" roc d3
exits 1 "model drop again" hs --session "$S" model drop d3
exits 1 "model nope" hs --session "$S" model nope

# ---- Ctrl-C keeps the best model so far -----------------------------------
"$HS_BIN" --session "$S" train cc --layers 32 --epochs 100000 --patience 0 --threads 1 \
    >"$T/cc.out" 2>"$T/cc.err" &
pid=$!
for i in $(seq 1 200); do
    [ "$(grep -cE '^ +[0-9]+ +[0-9.]+ ' "$T/cc.out" 2>/dev/null)" -ge 2 ] && break
    sleep 0.05
done
kill -INT "$pid"
wait "$pid"
is "$?" 0 "a cancelled training exits 0"
like "$(cat "$T/cc.out")" "cancelled: stored model 'cc' as it was at its best epoch" "says so"
like "$(cat "$T/cc.out")" "best epoch [0-9]+ of [0-9]+, not early stopped, cancelled" "the summary says cancelled"
exits 0 "the cancelled model scores" hs --session "$S" score cc -o "$T/cc.csv"

# ---- text columns: --one-hot ----------------------------------------------
# A category column separates the classes; without --one-hot it is left
# out, with it each category is a 0/1 input kept as an expression, so the
# model scores a file where the categories come in another order.
C="$T/cat.db"
"$PY" -c "
import random
random.seed(2)
with open('$T/cat.csv', 'w') as f:
    f.write('type,x,label\n')
    for i in range(3000):
        l = random.random() < 0.5
        t = random.choice(['EB', 'EE'] if l else ['EE', 'XX'])
        f.write('%s,%.4f,%d\n' % (t, random.gauss(0.3 * l, 1), l))
"
exits 0 "import a text column" hs --session "$C" import "$T/cat.csv" --label label
exits 0 "train without --one-hot" hs --session "$C" train plain --epochs 3 --threads 1
like "$(cat "$T/.out")" "inputs: 1 \(x\)" "the text column is left out"
exits 1 "a text column in --features needs --one-hot" hs --session "$C" train t1 --features type,x
like "$(cat "$T/.err")" "give --one-hot" "the error says what to do"
exits 0 "train --one-hot" hs --session "$C" train oh --one-hot --epochs 3 --threads 1
like "$(cat "$T/.out")" "inputs: 4 \(x, type=E[BE], type=E[BE], type=XX\)" "one input per category"
exits 0 "table of both" hs --session "$C" roc plain oh --on all --table-csv
auc_plain=$(sed -n 's/^plain,\([^,]*\),.*/\1/p' "$T/.out")
auc_oh=$(sed -n 's/^oh,\([^,]*\),.*/\1/p' "$T/.out")
ok "the categories help (AUC $auc_plain -> $auc_oh)" awk -v a="$auc_plain" -v b="$auc_oh" 'BEGIN { exit !(b > a + 0.05) }'
"$PY" -c "
lines = open('$T/cat.csv').read().splitlines()
open('$T/cat2.csv', 'w').write('\n'.join([lines[0]] + lines[1:][::-1]) + '\n')
"
exits 0 "import the rows reversed" hs --session "$C" import "$T/cat2.csv" --label label --name rev
exits 0 "score the reversed file" hs --session "$C" --dataset rev score oh -o "$T/rev.csv"
exits 0 "score the original" hs --session "$C" --dataset cat score oh -o "$T/fwd.csv"
ok "the same scores, whatever the order of the categories' codes" "$PY" -c "
import csv, sys
a = [float(r['score']) for r in csv.DictReader(open('$T/fwd.csv'))]
b = [float(r['score']) for r in csv.DictReader(open('$T/rev.csv'))][::-1]
sys.exit(not (len(a) == len(b) and max(abs(x - y) for x, y in zip(a, b)) < 1e-12))"

# ---- the network against the cuts ------------------------------------------
# The optimiser's box at 95% (trained on the training part) against the
# network, both on the test part: the network's background efficiency at
# 95% signal efficiency, and at the box's own signal efficiency
# (interpolated on its curve), is below the box's.  A larger demo: on
# 10000 events the box still wins.
B="$T/big.db"
exits 0 "a larger demo" hs --session "$B" demo --n-signal 20000 --n-background 80000 --seed 5
exits 0 "cut optimise --target 0.95" hs --session "$B" cut optimise --target 0.95
exits 0 "train" hs --session "$B" train nn --lr 3e-3 --epochs 20 --threads 1
exits 0 "roc nn opt95 --points" hs --session "$B" roc nn opt95 --points "$T/pts.csv" --table-csv
b95=$(sed -n 's/^nn,[^,]*,\([^,]*\),.*/\1/p' "$T/.out")
ok "the network beats the box" "$PY" -c "
import csv, sys
pts = {}
for r in csv.DictReader(open('$T/pts.csv')):
    pts.setdefault(r['name'], []).append((float(r['sig_eff']), float(r['bkg_eff'])))
s0, b0 = pts['opt95'][1]
c = pts['nn']
at = next(ba + (s0 - sa) * (bb - ba) / (sb - sa) for (sa, ba), (sb, bb) in zip(c, c[1:]) if sb >= s0 > sa)
print('# box: sig %.4f bkg %.5f; network: bkg %.5f at 95%%, %.5f at the box' % (s0, b0, $b95, at))
sys.exit(not ($b95 < b0 and at < b0))"
done_testing

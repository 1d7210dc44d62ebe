#!/bin/bash
# train --method fisher: the coefficients and every score against Fisher's
# discriminant computed here in plain python from the exported events of
# the training part (class means, pooled within-class covariance, a
# Gaussian elimination), the AUC against the rank formula, the C export
# compiled and run, the options of another method refused, the model
# listed, shown, scored, compared on a ROC and retrained per group.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
CC=${CC:-cc}
F=m_mumu,doca,ip,pt_frac,open_angle
exits 0 "a small demo" hs --session "$S" demo --n-signal 1500 --n-background 6000 --seed 11

# ---- usage -------------------------------------------------------------
exits 1 "an option of the network" hs --session "$S" train bad --method fisher --layers 8
like "$(cat "$T/.err")" "--layers is an option of mlp, not of fisher" "names the method it belongs to"
exits 1 "a shrinkage above 1" hs --session "$S" train bad --method fisher --shrinkage 1.5
like "$(cat "$T/.err")" "--shrinkage wants a number from 0 to 1, not '1.5'" "says the range"
exits 1 "an unknown prior" hs --session "$S" train bad --method fisher --priors flat
like "$(cat "$T/.err")" "--priors takes data or equal, not 'flat'" "lists the choices"
exits 1 "an unknown method" hs --session "$S" train bad --method svm
like "$(cat "$T/.err")" "no method 'svm': the methods are mlp, fisher, bdt or ae$" "lists the classifiers, the methods train runs"
exits 0 "nothing stored" hs --session "$S" model list
like "$(cat "$T/.out")" "no models yet" "the errors stored no model"

# ---- train -------------------------------------------------------------
exits 0 "train fisher" hs --session "$S" train fish --method fisher --features "$F"
out=$(cat "$T/.out")
like "$out" "^training 'fish' on 'demo': 5 inputs, Fisher" "describes the discriminant"
like "$out" "offset b: " "prints the offset"
like "$out" "@B=0.01 +@B=0.10 +@B=0.30" "TMVA's summary table"
like "$out" "stored model 'fish'" "stored"
printf '%s\n' "$out" | awk '/^input +coefficient/ { on = 1; next } on && NF == 3 { print $1, $2 } on && NF != 3 { on = 0 }' >"$T/coef"
is "$(wc -l <"$T/coef")" 5 "one coefficient per input"
b=$(printf '%s\n' "$out" | sed -n 's/^offset b: //p')

exits 0 "export the events" hs --session "$S" export demo -o "$T/ev.csv" --features
exits 0 "score them" hs --session "$S" score fish -o "$T/sc.csv"
cat >"$T/lda.py" <<PYEOF
import csv, math, sys
feat = "$F".split(",")
ev = list(csv.DictReader(open("$T/ev.csv")))
sc = list(csv.DictReader(open("$T/sc.csv")))
assert len(ev) == len(sc)
rows = [([float(e[f]) for f in feat], int(s["label"])) for e, s in zip(ev, sc) if s["part"] == "train"]
p = len(feat)
def mean(c):
    xs = [x for x, y in rows if y == c]
    return [math.fsum(x[j] for x in xs) / len(xs) for j in range(p)], len(xs)
(ms, ns), (mb, nb) = mean(1), mean(0)
W = [[0.0] * p for _ in range(p)]
for x, y in rows:
    m = ms if y == 1 else mb
    for i in range(p):
        for j in range(p):
            W[i][j] += (x[i] - m[i]) * (x[j] - m[j])
W = [[v / (ns + nb) for v in r] for r in W]
# solve W w = ms - mb by Gaussian elimination with partial pivoting
A = [W[i][:] + [ms[i] - mb[i]] for i in range(p)]
for c in range(p):
    r = max(range(c, p), key=lambda k: abs(A[k][c]))
    A[c], A[r] = A[r], A[c]
    for k in range(c + 1, p):
        f = A[k][c] / A[c][c]
        A[k] = [a - f * b for a, b in zip(A[k], A[c])]
w = [0.0] * p
for i in reversed(range(p)):
    w[i] = (A[i][p] - sum(A[i][j] * w[j] for j in range(i + 1, p))) / A[i][i]
b = -0.5 * sum(w[j] * (ms[j] + mb[j]) for j in range(p)) + math.log(ns / nb)
what = sys.argv[1]
if what == "coef":
    got = dict(l.split() for l in open("$T/coef"))
    bad = [f for j, f in enumerate(feat) if abs(float(got[f]) - w[j]) > 1e-6 * max(1, abs(w[j]))]
    sys.exit(1 if bad or abs(float("$b") - b) > 1e-6 * max(1, abs(b)) else 0)
if what == "scores":
    worst = 0.0
    for e, s in zip(ev, sc):
        t = b + sum(w[j] * float(e[f]) for j, f in enumerate(feat))
        q = 1 / (1 + math.exp(-t)) if t >= 0 else math.exp(t) / (1 + math.exp(t))
        worst = max(worst, abs(q - float(s["score"])))
    sys.exit(0 if worst < 1e-9 else 1)
PYEOF
ok "the coefficients and offset are LDA's (python, 1e-6)" "$PY" "$T/lda.py" coef
ok "every score is LDA's posterior (python, 1e-9)" "$PY" "$T/lda.py" scores

auc=$(printf '%s\n' "$out" | sed -n 's/^test AUC \([0-9.]*\) .*/\1/p')
ok "the test AUC is the rank formula's ($auc)" "$PY" -c "
import csv, sys
r = [(float(x['score']), int(x['label'])) for x in csv.DictReader(open('$T/sc.csv')) if x['part'] == 'test']
r.sort()
rank, i = {}, 0
while i < len(r):
    j = i
    while j < len(r) and r[j][0] == r[i][0]: j += 1
    for k in range(i, j): rank[k] = (i + j + 1) / 2
    i = j
ns = sum(y for _, y in r); nb = len(r) - ns
u = sum(rank[k] for k in range(len(r)) if r[k][1] == 1) - ns * (ns + 1) / 2
sys.exit(abs(u / (ns * nb) - $auc) > 1e-9)"

# ---- stored, shown, listed --------------------------------------------
exits 0 "model show" hs --session "$S" model show fish
show=$(cat "$T/.out")
like "$show" "^model 'fish' \\(fisher: Fisher, 5 coefficients\\)" "kind and shape"
like "$show" "options: --method fisher --shrinkage 0 --priors data --features $F" "the options as typed"
like "$show" "offset b: " "the coefficients"
like "$(sqlite3 "$S" "select kind, length(network), length(params) from models join model_params on model = name")" \
    "^fisher\\|0\\|[0-9]+$" "stored beside the models row, no network"
exits 0 "model list" hs --session "$S" model list
like "$(cat "$T/.out")" "fish +demo +5 +Fisher, 5 coefficients" "listed with its shape"

# ---- the other commands take it like any model ----------------------
exits 0 "roc with the model" hs --session "$S" roc fish --table-csv
like "$(cat "$T/.out")" "^fish,0\\.9[0-9]*,0\\.[0-9]*,,,$" "on the ROC"
exits 0 "overtrain" hs --session "$S" overtrain fish -o "$T/ot.png"
ok "the overtraining figure is a PNG" test -s "$T/ot.png"
exits 0 "groups --transfer retrains with its options" hs --session "$S" groups fish --transfer --csv
like "$(cat "$T/.out")" "trainings with the options of 'fish'" "retrained per group"
exits 0 "train --priors equal" hs --session "$S" train even --method fisher --priors equal --features "$F"
exits 0 "its scores" hs --session "$S" score even -o "$T/even.csv"
ok "equal priors shift the log-odds by log(nb/ns), same ranking" "$PY" -c "
import csv, math, sys
a = [float(r['score']) for r in csv.DictReader(open('$T/sc.csv'))]
b = [float(r['score']) for r in csv.DictReader(open('$T/even.csv'))]
tr = [r for r in csv.DictReader(open('$T/sc.csv')) if r['part'] == 'train']
ns = sum(r['label'] == '1' for r in tr); nb = len(tr) - ns
lo = lambda p: math.log(p / (1 - p))
d = [lo(y) - lo(x) for x, y in zip(a, b) if 1e-12 < x < 1 - 1e-12 and 1e-12 < y < 1 - 1e-12]
sys.exit(max(abs(v - math.log(nb / ns)) for v in d) > 1e-6)"

# ---- the C export -----------------------------------------------------
exits 0 "model export" hs --session "$S" model export fish --as c -o "$T/fish.c"
"$PY" -c "
import csv
for e in csv.DictReader(open('$T/ev.csv')):
    print(' '.join(e[f] if e[f] != '' else 'nan' for f in '$F'.split(',')))" >"$T/in.txt"
c_export_agrees hepscope_fish 5 "$T/fish.c" "$T/in.txt" "$T/sc.csv"

# ---- the journal replays it ------------------------------------------
line=$(hs --session "$S" journal | grep ' train .* fish$' | tail -1 | sed -E 's/^ *[0-9]+ +[^ ]+ +//; s/ fish$/ again/')
like "$line" "^train --dataset demo --method fisher --features $F again$" "journaled as typed ($line)"
eval "set -- $line"
exits 0 "the journal line runs" hs --session "$S" "$@"
exits 0 "its scores" hs --session "$S" score again -o "$T/again.csv"
ok "the same scores" cmp -s <(cut -d, -f4 "$T/sc.csv") <(cut -d, -f4 "$T/again.csv")

# ---- model's actions are commands of their own -------------------------
exits 1 "an unknown action" hs --session "$S" model frob
like "$(cat "$T/.err")" "unknown action 'frob' \\(export, list, show or drop\\)" "lists the actions"
exits 1 "an option of another action" hs --session "$S" model list --as c
like "$(cat "$T/.err")" "unknown option '--as'" "each action has its own options"
exits 1 "show without a name" hs --session "$S" model show
exits 0 "model --help" hs model --help
like "$(cat "$T/.out")" "options of model export:" "the family's help"
exits 0 "drop the copy" hs --session "$S" model drop again
like "$(hs --session "$S" journal | tail -1)" "model drop again$" "journaled as typed"
exits 0 "list" hs --session "$S" model list
ok "gone from the list" sh -c "! grep -q '^again ' '$T/.out'"

done_testing

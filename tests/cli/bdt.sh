#!/bin/bash
# train --method bdt: the test AUC against scikit-learn's
# HistGradientBoostingClassifier fitted here on the same training part of
# the exported events (same trees, depth, learning rate, bins, leaf size
# and L2; within 0.01), the AUC against the rank formula, usage errors,
# the model shown and listed, ROC, overtraining, the C export compiled and
# run on every event, leaf-wise growth and early stopping.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
"$PY" -c "import sklearn.ensemble, numpy" 2>/dev/null || skip_all "no scikit-learn"
F=m_mumu,pt_frac,open_angle,p_mumu,pt_mumu,dphi_mumu
exits 0 "a demo" hs --session "$S" demo --n-signal 4000 --n-background 12000 --seed 5

# ---- usage -------------------------------------------------------------
exits 1 "an option of the network" hs --session "$S" train bad --method bdt --layers 8
like "$(cat "$T/.err")" "--layers is an option of mlp, not of bdt" "names the method it belongs to"
exits 1 "a depth of 0" hs --session "$S" train bad --method bdt --depth 0
like "$(cat "$T/.err")" "--depth wants a whole number from 1 to 16, not '0'" "says the range"
exits 1 "256 bins" hs --session "$S" train bad --method bdt --bins 256
like "$(cat "$T/.err")" "--bins wants a whole number from 2 to 255" "at most 255 bins"
exits 1 "a subsample of 0" hs --session "$S" train bad --method bdt --subsample 0
exits 1 "an unknown weight policy" hs --session "$S" train bad --method bdt --negative-weights drop
exits 0 "nothing stored" hs --session "$S" model list
like "$(cat "$T/.out")" "no models yet" "the errors stored no model"

# ---- train and compare with scikit-learn -------------------------------
exits 0 "train bdt" hs --session "$S" train trees --method bdt --features "$F" --trees 100 \
    --subsample 1 --patience 0
out=$(cat "$T/.out")
like "$out" "^training 'trees' on 'demo': 6 inputs, boosted trees: 100 trees, depth 6, lr 0.1" "describes the trees"
like "$out" "trees: 100 \\(best round 100 of 100 run\\)" "the rounds"
like "$out" "input +total gain +share +splits" "the gain of each input"
like "$out" "stored model 'trees'" "stored"
auc=$(printf '%s\n' "$out" | sed -n 's/^test AUC \([0-9.]*\) .*/\1/p')
exits 0 "export the events" hs --session "$S" export demo -o "$T/ev.csv" --features
exits 0 "score them" hs --session "$S" score trees -o "$T/sc.csv"
ok "scikit-learn's HistGradientBoostingClassifier: the same test AUC within 0.01 ($auc)" "$PY" -c "
import csv, sys
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
F = '$F'.split(',')
ev = list(csv.DictReader(open('$T/ev.csv')))
sc = list(csv.DictReader(open('$T/sc.csv')))
X = np.array([[float(e[f]) if e[f] != '' else np.nan for f in F] for e in ev])
y = np.array([int(s['label']) for s in sc])
part = np.array([s['part'] for s in sc])
tr, te = part == 'train', part == 'test'
m = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_depth=6, max_leaf_nodes=None,
    min_samples_leaf=20, l2_regularization=1.0, max_bins=255, early_stopping=False).fit(X[tr], y[tr])
ref = roc_auc_score(y[te], m.predict_proba(X[te])[:, 1])
ours = roc_auc_score(y[te], np.array([float(s['score']) for s in sc])[te])
print(ref, ours, $auc)
sys.exit(1 if abs(ref - ours) > 0.01 or abs(ours - $auc) > 1e-9 else 0)"

# ---- stored, shown, listed --------------------------------------------
exits 0 "model show" hs --session "$S" model show trees
show=$(cat "$T/.out")
like "$show" "^model 'trees' \\(bdt: 100 trees, depth 6\\)" "kind and shape"
like "$show" "options: --method bdt --trees 100 --depth 6 --leaves 0 --lr 0.1 --subsample 1" "the options"
like "$show" "total gain" "the gains"
exits 0 "model list" hs --session "$S" model list
like "$(cat "$T/.out")" "trees +demo +6 +100 trees, depth 6" "listed with its shape"
exits 0 "roc with the model" hs --session "$S" roc trees --table-csv
like "$(cat "$T/.out")" "^trees,0\\.[0-9]*,0\\.[0-9]*,,,$" "on the ROC"
exits 0 "overtrain" hs --session "$S" overtrain trees -o "$T/ot.png"
ok "the overtraining figure is a PNG" test -s "$T/ot.png"

# ---- the C export -----------------------------------------------------
exits 0 "model export" hs --session "$S" model export trees --as c -o "$T/trees.c"
"$PY" -c "
import csv
for e in csv.DictReader(open('$T/ev.csv')):
    print(' '.join(e[f] if e[f] != '' else 'nan' for f in '$F'.split(',')))" >"$T/in.txt"
c_export_agrees hepscope_trees 6 "$T/trees.c" "$T/in.txt" "$T/sc.csv"

# ---- leaf-wise, early stopping ---------------------------------------------
exits 0 "leaf-wise" hs --session "$S" train leafy --method bdt --features "$F" --trees 30 --leaves 8
like "$(cat "$T/.out")" "boosted trees: 30 trees, 8 leaves" "grown leaf by leaf"
exits 0 "its details" hs --session "$S" model show leafy
n=$(sed -n 's/^trees: [0-9]* .*, \([0-9]*\) leaves, .*/\1/p' "$T/.out")
t=$(sed -n 's/^trees: \([0-9]*\) .*/\1/p' "$T/.out")
ok "at most 8 leaves a tree ($n leaves, $t trees)" test "$n" -le $((8 * t))
exits 0 "early stopping" hs --session "$S" train quick --method bdt --features "$F" --lr 1 --depth 8 --min-leaf 1 --patience 3
like "$(cat "$T/.out")" "stopped early|best round [0-9]+ of [0-9]+ run" "stops on the validation loss"
done_testing

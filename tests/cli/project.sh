#!/bin/bash
# hepscope project: PCA coordinates against numpy's eigen-decomposition of
# the standardised inputs, the stratified subsample's counts, the learned
# columns NAME_1.. in SQL, expressions and export, --where, --points, the
# figure, and failures that leave the session as it was.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
"$PY" -c "import numpy" 2>/dev/null || skip_all "no numpy"
F=doca,ip,vz,m_mumu,pt_mumu,p_mumu
exits 0 "a small demo" hs --session "$S" demo --n-signal 1000 --n-background 9000 --seed 3
exits 0 "export its features" hs --session "$S" export demo -o "$T/d.csv" --features

exits 0 "project pca" hs --session "$S" project pca emb --features $F --points "$T/p.csv"
like "$(cat "$T/.out")" "projection 'emb' of 'demo': pca, 6 inputs, 10000 points fitted" "says the method and the points"
like "$(cat "$T/.out")" "columns emb_1, emb_2: 10000 of 10000 events placed" "says the columns"
like "$(cat "$T/.out")" "stored projection 'emb'" "says it is stored"

# ref.py: PCA of the standardised (divisor n) inputs by numpy's eigh, signs
# as scikit-learn's svd_flip (the largest loading positive: pcaref.py); the
# largest difference from the --points CSV, relative to the coordinates'
# scale.
cat >"$T/ref.py" <<'PY'
import csv, os, sys
import numpy as np
sys.path.insert(0, os.path.join(os.environ["HS_SRCDIR"], "tests", "cli"))
import pcaref
z, w, v = pcaref.pca(sys.argv[1], sys.argv[3].split(","))
proj = z @ v
p = list(csv.DictReader(open(sys.argv[2])))
k = int(sys.argv[4])
got = np.array([[float(r["%s_%d" % (sys.argv[5], j + 1)]) for j in range(k)] for r in p])
rows = [int(r["row"]) for r in p]
print("%.3g" % (np.abs(got - proj[rows, :k]).max() / np.abs(proj[:, :k]).max()))
PY
err=$("$PY" "$T/ref.py" "$T/d.csv" "$T/p.csv" $F 2 emb)
ok "coordinates agree with numpy's PCA (1e-9 relative; got $err)" awk -v e="$err" 'BEGIN { exit !(e < 1e-9) }'
is "$(wc -l <"$T/p.csv" | tr -d ' ')" 10001 "--points has every event"

# The columns are learned columns everywhere.
sqlsum=$(hs --session "$S" sql --csv "select count(emb_1), sum(emb_1 > 0) from events('demo')" | tail -1)
pysum=$("$PY" -c "
import csv
p = list(csv.DictReader(open('$T/p.csv')))
print('%d,%d' % (len(p), sum(float(r['emb_1']) > 0 for r in p)))")
is "$sqlsum" "$pysum" "sql sees emb_1"
exits 0 "a cut on emb_1" hs --session "$S" cut set side "emb_1 > 0 && emb_2 < 1"
exits 0 "its flow" hs --session "$S" cut flow side --on all --csv
pyflow=$("$PY" -c "
import csv
p = list(csv.DictReader(open('$T/p.csv')))
print(sum(float(r['emb_1']) > 0 and float(r['emb_2']) < 1 for r in p))")
is "$(awk -F, 'NR == 3 { print $3 + $4 }' "$T/.out")" "$pyflow" "the cut flow counts what python counts"
exits 0 "export --features has them" hs --session "$S" export demo -o "$T/e.csv" --features
like "$(head -1 "$T/e.csv")" ",emb_1,emb_2$" "emb_1 and emb_2 in the export"
exits 0 "plot hist of emb_1" hs --session "$S" plot hist emb_1 -o "$T/h.png"
# A selection narrows the events: the stored values follow their events.
exits 0 "export --where with them" hs --session "$S" export demo -o "$T/w.csv" --features --where "doca < 0.05"
ok "each selected event keeps its own coordinates" "$PY" -c "
import csv, sys
d = list(csv.DictReader(open('$T/d.csv')))
p = list(csv.DictReader(open('$T/p.csv')))
want = [p[i]['emb_2'] for i in range(len(d)) if float(d[i]['doca']) < 0.05]
got = [r['emb_2'] for r in csv.DictReader(open('$T/w.csv'))]
sys.exit(not (want == got and len(got) > 100))"

# --where: the fit is of the selected events; PCA still places every event.
nsel=$(hs --session "$S" sql --csv "select count(*) from events('demo') where doca < 0.05" | tail -1)
exits 0 "project pca --where" hs --session "$S" project pca near --features $F --dims 3 --where "doca < 0.05"
like "$(cat "$T/.out")" "pca, 6 inputs, $nsel points fitted" "fits the $nsel selected events"
is "$(hs --session "$S" sql --csv "select nfitted, ncolumns, selection from outputs where name = 'near'" | tail -1)" \
    "$nsel,3,doca < 0.05" "the outputs table says so"
is "$(hs --session "$S" sql --csv "select count(near_3) from events('demo')" | tail -1)" 10000 \
    "every event placed"

# --n: a stratified subsample of that many, seeded.
exits 0 "project pca --n 1000" hs --session "$S" project pca sub --features $F --n 1000 --points "$T/s.csv"
like "$(cat "$T/.out")" "1000 points fitted \(a stratified sample of the 10000" "fits 1000 of 10000"
nsig=$("$PY" -c "
import csv
print(sum(r['fitted'] == '1' and r['label'] == '1' for r in csv.DictReader(open('$T/s.csv'))))")
# 1000 signal events of 21 masses: each mass's share rounds to within one.
ok "the subsample keeps the signal fraction ($nsig of 1000, 100 +- 21)" \
    awk -v n="$nsig" 'BEGIN { exit !(n >= 79 && n <= 121) }'
exits 0 "the same again" hs --session "$S" project pca sub --features $F --n 1000 --points "$T/s2.csv"
ok "one seed, one subsample" cmp "$T/s.csv" "$T/s2.csv"

# Trustworthiness against scikit-learn's, on all fitted events (fewer
# than 5,000), in the inputs standardised over those events.
cat >"$T/trust.py" <<'PY'
import csv, sys
import numpy as np
from sklearn.manifold import trustworthiness
d = list(csv.DictReader(open(sys.argv[1])))
p = list(csv.DictReader(open(sys.argv[2])))
feats = sys.argv[3].split(",")
rows = [int(r["row"]) for r in p if r["fitted"] == "1"]
fit = [r for r in p if r["fitted"] == "1"]
x = np.array([[float(d[i][f]) for f in feats] for i in rows])
z = (x - x.mean(0)) / x.std(0)
y = np.array([[float(r[sys.argv[4] + "_1"]), float(r[sys.argv[4] + "_2"])] for r in fit])
print("%.4f" % trustworthiness(z, y, n_neighbors=10))
PY
said=$(sed -n 's/^trustworthiness \([0-9.]*\) (k = 10, on 1000 of the fitted events)$/\1/p' "$T/.out")
if "$PY" -c "import sklearn" 2>/dev/null; then
    is "$said" "$("$PY" "$T/trust.py" "$T/d.csv" "$T/s.csv" $F sub)" "trustworthiness is scikit-learn's"
else
    _tap_result ok "# SKIP no sklearn"
fi

# t-SNE end to end (a small one): only the fitted events are placed.
exits 0 "project tsne" hs --session "$S" project tsne ts --features $F --n 300 --iterations 300 --points "$T/t.csv"
out=$(cat "$T/.out")
like "$out" "projection 'ts' of 'demo': tsne, 6 inputs, 300 points fitted" "says the method and points"
like "$out" "final loss [0-9.]+ \(the KL divergence of the map" "says what the loss is: the KL divergence"
like "$out" "columns ts_1, ts_2: 300 of 10000 events placed" "only the fitted events are placed"
is "$(hs --session "$S" sql --csv "select count(ts_1), count(*) from events('demo')" | tail -1)" "300,10000" \
    "the others are missing"
said=$(sed -n 's/^trustworthiness \([0-9.]*\) .*/\1/p' "$T/.out")
if "$PY" -c "import sklearn" 2>/dev/null; then
    is "$said" "$("$PY" "$T/trust.py" "$T/d.csv" "$T/t.csv" $F ts)" "t-SNE's trustworthiness is scikit-learn's"
else
    _tap_result ok "# SKIP no sklearn"
fi

# UMAP end to end (a small one), through the same method layer.
exits 0 "project umap" hs --session "$S" project umap um --features $F --n 400 --points "$T/u.csv"
out=$(cat "$T/.out")
like "$out" "projection 'um' of 'demo': umap, 6 inputs, 400 points fitted" "says the method and points"
like "$out" "final loss [0-9.]+ \(the fuzzy-set cross-entropy per point\)" "says what UMAP's loss is"
like "$out" "columns um_1, um_2: 400 of 10000 events placed" "only the fitted events are placed"
said=$(sed -n 's/^trustworthiness \([0-9.]*\) .*/\1/p' "$T/.out")
if "$PY" -c "import sklearn" 2>/dev/null; then
    is "$said" "$("$PY" "$T/trust.py" "$T/d.csv" "$T/u.csv" $F um)" "UMAP's trustworthiness is scikit-learn's"
else
    _tap_result ok "# SKIP no sklearn"
fi

# A figure, coloured by group.
exits 0 "project -o with --color group" hs --session "$S" project pca emb --features $F -o "$T/emb.png" --color group
ok "the PNG is written" test -s "$T/emb.png"

# Failures change nothing: the file's outputs and journal as they were.
state() { hs --session "$S" sql --csv "select (select group_concat(name) from outputs), (select count(*) from journal), (select count(*) from output_columns)" | tail -1; }
before=$(state)
exits 1 "an unknown method" hs --session "$S" project lda x
like "$(cat "$T/.err")" "no method 'lda' here \(methods: pca" "names the methods"
exits 1 "another method's option" hs --session "$S" project pca x --layers 8
like "$(cat "$T/.err")" "unknown option '--layers'" "a classifier's option is not one of project"
exits 1 "train takes no projection" hs --session "$S" train x --method pca
like "$(cat "$T/.err")" "--method pca is not a classifier: use 'hepscope project pca NAME'" "says where it belongs"
exits 1 "train lists the classifiers" hs --session "$S" train x --method svm
like "$(cat "$T/.err")" "no method 'svm': the methods are mlp, fisher, bdt or ae" "only the classifiers"
like "$(hs methods)" "projections \(hepscope project M NAME\):" "methods groups the projections"
exits 1 "a bad file type" hs --session "$S" project pca x -o "$T/x.txt"
exits 1 "a bad name" hs --session "$S" project pca 9x
exits 0 "a feature x_1" hs --session "$S" feature add x_1 "doca * 2"
before=$(state)
exits 1 "a name whose column exists" hs --session "$S" project pca x
like "$(cat "$T/.err")" "'x' would make column 'x_1', which dataset 'demo' has already" "says which column"
exits 2 "a selection of nothing" hs --session "$S" project pca y --where "doca < -1"
exits 1 "an unknown input" hs --session "$S" project pca y --features doca,nope
like "$(cat "$T/.err")" "needs input 'nope'" "names the input"
exits 1 "an input that is its own column" hs --session "$S" project pca emb --features doca,emb_1
exits 1 "an unknown --color" hs --session "$S" project pca y --features $F --color nope
is "$(state)" "$before" "failures leave outputs and journal as they were"

# Stopped during a fit (SIGTERM: a script's background job ignores
# SIGINT): exit 143 and nothing stored (or, on a machine fast enough to
# finish first, the whole output).
before=$(state)
"$HS_BIN" --session "$S" project tsne big --features $F --n 3000 >/dev/null 2>"$T/int.err" &
pid=$!
sleep 1
kill -TERM "$pid" 2>/dev/null
wait "$pid"
status=$?
if [ "$status" -eq 143 ]; then
    is "$(state)" "$before" "stopped (exit 143): nothing stored"
else
    is "$status,$(hs --session "$S" sql --csv "select ncolumns from outputs where name = 'big'" | tail -1)" "0,2" \
        "finished before the cancel: stored whole"
fi

# The journal replays; dropping the dataset takes the outputs.
like "$(hs --session "$S" journal)" "project --dataset demo --features $F --points [^ ]*p.csv pca emb" "journaled"
exits 0 "drop the dataset" hs --session "$S" drop demo
is "$(hs --session "$S" sql --csv "select count(*) from outputs" | tail -1)" 0 "its outputs went with it"

done_testing

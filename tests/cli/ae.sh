#!/bin/bash
# train --method ae: an autoencoder on the demo's background; its
# reconstruction error recomputed here with numpy from the exported C's
# constants (weights, standardisation) on every event and compared with
# `hepscope score`, the test AUC against the label recomputed from the
# scores (rank formula), the C export compiled and run, the variational
# version's score likewise, and the options that do not go together.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
"$PY" -c "import numpy" 2>/dev/null || skip_all "no numpy"
exits 0 "a small demo" hs --session "$S" demo --n-signal 1500 --n-background 6000 --seed 5

# ---- usage -------------------------------------------------------------
exits 1 "--beta without --variational" hs --session "$S" train bad --method ae --beta 2
like "$(cat "$T/.err")" "--beta weighs the KL term of --variational only" "says why"
exits 1 "an unknown score" hs --session "$S" train bad --method ae --variational --vae-score max
like "$(cat "$T/.err")" "--vae-score takes recon or kl, not 'max'" "lists the choices"
exits 1 "too many encoder layers" hs --session "$S" train bad --method ae --encoder 8,8,8,8,8,8,8,8
exits 1 "an option of the network" hs --session "$S" train bad --method ae --dropout 0.1
like "$(cat "$T/.err")" "--dropout is an option of mlp, not of ae" "names the method"
exits 0 "nothing stored" hs --session "$S" model list
like "$(cat "$T/.out")" "no models yet" "the errors stored no model"

# ---- train on the background -----------------------------------------
exits 0 "train ae" hs --session "$S" train anom --method ae --encoder 16,8 --bottleneck 3 --epochs 8
out=$(cat "$T/.out")
like "$out" "16,8,\[3\],8,16 relu, autoencoder, adam lr 0.001, batch 256, trained on background" "describes the network"
like "$out" "anomaly score: the mean squared error" "says what the score is"
like "$out" "stored model 'anom'" "stored"
auc=$(printf '%s\n' "$out" | sed -n 's/^test AUC \([0-9.e-]*\) .*/\1/p')
ok "a test AUC against the label ($auc)" test -n "$auc"
ok "above 0.5: the signal reconstructs worse than the background" awk -v a="$auc" 'BEGIN { exit !(a > 0.5) }'
exits 0 "model show" hs --session "$S" model show anom
like "$(cat "$T/.out")" "bottleneck: 3 linear units" "the details"

exits 0 "export the events" hs --session "$S" export demo -o "$T/ev.csv" --features
exits 0 "score them" hs --session "$S" score anom -o "$T/sc.csv"
exits 0 "model export" hs --session "$S" model export anom --as c -o "$T/anom.c"
feats=$(sed -n 's/^ \*   [0-9]*  \([^:]*\):.*/\1/p' "$T/anom.c" | paste -sd, -)
ok "the export names the inputs" test -n "$feats"

# numpy: the network from the exported constants, relu, the linear
# bottleneck, the mean squared error of the standardised inputs; or the
# variational score from the means of the latents.
cat >"$T/ref.py" <<'PYEOF'
import csv, re, sys
import numpy as np
src, evf, scf, feats, what = sys.argv[1:6]
text = open(src).read()
arrs = {}
for name, body in re.findall(r"static const double \w+_(mean|sd|[wb]\d+)\[\d+\] = \{(.*?)\};", text, re.S):
    arrs[name] = np.array([float.fromhex(v) for v in body.replace("\n", " ").split(",") if v.strip()])
feat = feats.split(",")
ev = list(csv.DictReader(open(evf)))
X = np.array([[float(e[f]) if e[f] != "" else np.nan for f in feat] for e in ev])
S = (X - arrs["mean"]) / arrs["sd"]
S[np.isnan(S)] = 0.0
bn = int(re.search(r"linear bottleneck \(layer (\d+)", text).group(1))
nl = len([k for k in arrs if re.fullmatch(r"w\d+", k)])
h = S
for l in range(nl):
    b = arrs["b%d" % l]
    W = arrs["w%d" % l].reshape(len(b), -1)
    h = h @ W.T + b
    if l + 1 == bn:
        if what == "vae":
            h = h[:, : len(b) // 2]
    elif l < nl - 1:
        h = np.maximum(h, 0.0)
if what == "vae":
    ref = 0.5 * ((h - S) ** 2).sum(axis=1) + S.shape[1] * 0.5 * np.log(2 * np.pi)
else:
    ref = ((h - S) ** 2).mean(axis=1)
sc = list(csv.DictReader(open(scf)))
got = np.array([float(r["score"]) for r in sc])
err = np.max(np.abs(got - ref) / (1 + np.abs(ref)))
if err > 1e-9:
    print("worst relative difference", err)
    sys.exit(1)
# the test AUC by the rank formula (ties half)
lab = np.array([int(r["label"]) for r in sc])
test = np.array([r["part"] == "test" for r in sc])
s1, s0 = ref[test & (lab == 1)], ref[test & (lab == 0)]
allv = np.concatenate([s1, s0])
order = allv.argsort(kind="mergesort")
ranks = np.empty(len(allv))
sv = allv[order]
i = 0
while i < len(sv):
    j = i
    while j + 1 < len(sv) and sv[j + 1] == sv[i]:
        j += 1
    ranks[order[i : j + 1]] = (i + j) / 2 + 1
    i = j + 1
auc = (ranks[: len(s1)].sum() - len(s1) * (len(s1) + 1) / 2) / (len(s1) * len(s0))
print("%.10f" % auc)
PYEOF
ref_auc=$("$PY" "$T/ref.py" "$T/anom.c" "$T/ev.csv" "$T/sc.csv" "$feats" ae)
ok "numpy's reconstruction error agrees with score on every event (1e-9)" test -n "$ref_auc"
ok "numpy's test AUC ($ref_auc) agrees with train's ($auc)" near "$ref_auc" "$auc" 1e-6

"$PY" -c "
import csv
feat = '$feats'.split(',')
for e in csv.DictReader(open('$T/ev.csv')):
    print(' '.join(e[f] if e[f] != '' else 'nan' for f in feat))" >"$T/in.txt"
nin=$(printf '%s\n' "$feats" | awk -F, '{ print NF }')
c_export_agrees hepscope_anom "$nin" "$T/anom.c" "$T/in.txt" "$T/sc.csv" rel

# ---- the variational version ------------------------------------------
exits 0 "train a VAE" hs --session "$S" train vae --method ae --encoder 16 --bottleneck 2 --epochs 4 --variational --beta 0.5
like "$(cat "$T/.out")" "16,\[2\],16 relu, variational beta 0.5, score recon" "describes the network"
exits 0 "score it" hs --session "$S" score vae -o "$T/vsc.csv"
exits 0 "export it" hs --session "$S" model export vae --as c -o "$T/vae.c"
ok "numpy's -log p(x | z = mean) agrees with score (1e-9)" "$PY" "$T/ref.py" "$T/vae.c" "$T/ev.csv" "$T/vsc.csv" "$feats" vae
exits 0 "the KL score" hs --session "$S" train vkl --method ae --encoder 16 --bottleneck 2 --epochs 2 --variational --vae-score kl
exits 0 "score it" hs --session "$S" score vkl -o "$T/ksc.csv"
exits 0 "export it" hs --session "$S" model export vkl --as c -o "$T/vkl.c"
c_export_agrees hepscope_vkl "$nin" "$T/vkl.c" "$T/in.txt" "$T/ksc.csv" rel

# ---- on one ROC with the others, and the overtraining check -------------
exits 0 "a network" hs --session "$S" train mlp --epochs 3
exits 0 "one ROC" hs --session "$S" roc mlp anom vae -o "$T/roc.svg"
exits 0 "overtraining check" hs --session "$S" overtrain anom -o "$T/ot.svg"
like "$(cat "$T/.out")" "test AUC" "its figures"

done_testing

#!/bin/bash
# importance: permutation importance of Fisher and MLP models on the test
# part, checked against a permutation importance computed here in numpy
# from the exported test events and Fisher's printed coefficients (its own
# shuffles, many repeats: the means agree within their errors), the base
# AUC against the rank formula on `score`'s output; reproducible for a
# seed and any --threads; the figures; shap and gain refused on models
# that are not trees; bad words refused with the session unchanged.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
"$PY" -c 'import numpy' 2>/dev/null || skip_all "no numpy"
F=m_mumu,doca,ip,pt_frac,open_angle
exits 0 "a small demo" hs --session "$S" demo --n-signal 2000 --n-background 6000 --seed 5
exits 0 "train fisher" hs --session "$S" train fish --method fisher --features "$F"
printf '%s\n' "$(cat "$T/.out")" | awk '/^input +coefficient/ { on = 1; next } on && NF == 3 { print $1, $2 } on && NF != 3 { on = 0 }' >"$T/coef"
b=$(sed -n 's/^offset b: //p' "$T/.out")
is "$(wc -l <"$T/coef")" 5 "five coefficients"
exits 0 "train a small network" hs --session "$S" train net --layers 8 --epochs 3 --features "$F"

# ---- usage ---------------------------------------------------------------
exits 1 "an unknown kind" hs --session "$S" importance fish --kind lime
like "$(cat "$T/.err")" "--kind takes shap, permutation or gain, not 'lime'" "lists the kinds"
exits 1 "shap on fisher" hs --session "$S" importance fish --kind shap
like "$(cat "$T/.err")" "--kind shap needs boosted trees, and model 'fish' is a fisher model" "names the model's kind"
exits 1 "gain on the network" hs --session "$S" importance net --kind gain
like "$(cat "$T/.err")" "model 'net' is a mlp model" "names the kind"
exits 1 "--events without shap" hs --session "$S" importance fish --events -o "$T/e.csv"
like "$(cat "$T/.err")" "give --kind shap" "says what --events needs"
exits 1 "a bad figure name" hs --session "$S" importance fish -o "$T/x.txt"
like "$(cat "$T/.err")" "-o wants a file ending in" "says what -o takes"
exits 1 "zero repeats" hs --session "$S" importance fish --repeats 0
exits 1 "an unknown model" hs --session "$S" importance nosuch
ok "no file written" test ! -e "$T/e.csv"

# ---- permutation on Fisher ----------------------------------------------
exits 0 "permutation importance of fisher" hs --session "$S" importance fish --csv
cp "$T/.out" "$T/fish.csv"
is "$(head -1 "$T/fish.csv")" "rank,feature,auc_drop,sd" "the CSV header"
is "$(tail -n +2 "$T/fish.csv" | wc -l)" 5 "one row per input"
ok "ranked by the drop" sh -c "tail -n +2 '$T/fish.csv' | cut -d, -f3 | sort -g -r -c"
exits 0 "the default kind for fisher is permutation" hs --session "$S" importance fish
like "$(cat "$T/.out")" "^permutation importance of model 'fish' on the test part of 'demo' \([0-9]+ events\)" "says what and where"
auc=$(sed -n 's/.*test AUC \([0-9.]*\)$/\1/p' "$T/.out")
exits 0 "same seed, same table" hs --session "$S" importance fish --csv --threads 1
is "$(cat "$T/.out")" "$(cat "$T/fish.csv")" "one thread gives the same drops as the default"
exits 0 "two threads" hs --session "$S" importance fish --csv --threads 2
is "$(cat "$T/.out")" "$(cat "$T/fish.csv")" "two threads too"
exits 0 "another seed" hs --session "$S" importance fish --csv --seed 9 --repeats 3
ok "other shuffles, other drops" sh -c "! cmp -s '$T/.out' '$T/fish.csv'"

exits 0 "export the events" hs --session "$S" export demo -o "$T/ev.csv" --features
exits 0 "score them" hs --session "$S" score fish -o "$T/sc.csv"
cat >"$T/perm.py" <<PYEOF
import csv, math, sys
import numpy as np
feat = "$F".split(",")
coef = dict(l.split() for l in open("$T/coef"))
w = np.array([float(coef[f]) for f in feat]); b = float("$b")
ev = list(csv.DictReader(open("$T/ev.csv"))); sc = list(csv.DictReader(open("$T/sc.csv")))
test = [i for i, s in enumerate(sc) if s["part"] == "test"]
X = np.array([[float(ev[i][f]) for f in feat] for i in test])
y = np.array([int(sc[i]["label"]) for i in test])
def auc(s):
    # the rank formula, ties shared
    order = np.argsort(s, kind="mergesort"); r = np.empty(len(s)); ss = s[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and ss[j + 1] == ss[i]: j += 1
        r[order[i:j + 1]] = (i + j) / 2 + 1; i = j + 1
    npos = y.sum(); nneg = len(y) - npos
    return (r[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg)
score = lambda X: 1 / (1 + np.exp(-(X @ w + b)))
s0 = score(X)
hs_s = np.array([float(sc[i]["score"]) for i in test])
assert np.allclose(s0, hs_s, rtol=1e-6, atol=1e-7), "fisher scores differ"  # coefficients printed to 9 digits
base = auc(s0)
assert abs(base - float("$auc")) < 6e-5, (base, "$auc")
rng = np.random.default_rng(1)
hs = {r["feature"]: (float(r["auc_drop"]), float(r["sd"])) for r in csv.DictReader(open("$T/fish.csv"))}
bad = 0
for j, f in enumerate(feat):
    d = []
    for _ in range(100):
        Xp = X.copy(); Xp[:, j] = rng.permutation(Xp[:, j]); d.append(base - auc(score(Xp)))
    d = np.array(d); m, sd = d.mean(), d.std()
    hm, hsd = hs[f]
    tol = 4 * math.sqrt(hsd ** 2 / 5 + sd ** 2 / 100) + 2e-4
    ok = abs(hm - m) <= tol
    print("#", f, hm, m, tol, "ok" if ok else "FAR")
    bad += not ok
sys.exit(bad)
PYEOF
exits 0 "the drops agree with numpy's shuffles" "$PY" "$T/perm.py"
[ -s "$T/.out" ] && sed 's/^/# /' "$T/.out" | head -8

# ---- the network, figures ------------------------------------------------
exits 0 "permutation importance of the network" hs --session "$S" importance net --repeats 2 -o "$T/net.png"
like "$(cat "$T/.out")" "mean and sd of 2 repeats" "says the repeats"
ok "a PNG" sh -c "head -c 8 '$T/net.png' | od -An -c | grep -q 'P   N   G'"
exits 0 "an SVG" hs --session "$S" importance net --repeats 1 -o "$T/net.svg"
ok "an SVG" grep -q "<svg" "$T/net.svg"
exits 0 "drawn in the terminal" hs --session "$S" importance fish --draw --ascii --width 80 --height 20
like "$(cat "$T/.out")" "AUC drop when shuffled" "the axis says what the bars are"
exits 0 "the models are as they were" hs --session "$S" model list
like "$(cat "$T/.out")" "fish" "fisher still there"
done_testing

#!/bin/bash
# importance of boosted trees (train --method bdt): SHAP values per test
# event add up, with the base value, to the raw log-odds, which are the
# logit of `score`'s probability (checked here in python); the table's
# mean |SHAP| is the mean of the per-event file's columns; the gain shares
# add up to 100%; the summary plot and the bars are drawn.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
F=m_mumu,doca,ip,pt_frac,open_angle
exits 0 "a small demo" hs --session "$S" demo --n-signal 1500 --n-background 5000 --seed 8
exits 0 "train boosted trees" hs --session "$S" train b --method bdt --trees 30 --depth 4 --features "$F"
exits 0 "the default kind is shap" hs --session "$S" importance b
like "$(cat "$T/.out")" "^SHAP importance of model 'b' on the test part of 'demo'" "says what"
exits 0 "as CSV" hs --session "$S" importance b --csv
cp "$T/.out" "$T/mean.csv"
is "$(head -1 "$T/mean.csv")" "rank,feature,mean_abs_shap" "header"
exits 0 "per-event SHAP values" hs --session "$S" importance b --kind shap --events -o "$T/ev.csv"
is "$(head -1 "$T/ev.csv")" "row,base,m_mumu,doca,ip,pt_frac,open_angle,raw" "the header"
exits 0 "the scores" hs --session "$S" score b -o "$T/sc.csv"
cat >"$T/chk.py" <<PYEOF
import csv, math, sys
ev = list(csv.DictReader(open("$T/ev.csv")))
sc = {int(r["row"]): r for r in csv.DictReader(open("$T/sc.csv"))}
feat = "$F".split(",")
test = [r for r in sc.values() if r["part"] == "test"]
assert len(ev) == len(test), (len(ev), len(test))
for r in ev:
    s = float(r["base"]) + math.fsum(float(r[f]) for f in feat)
    raw = float(r["raw"])
    assert abs(s - raw) <= 1e-9 * (1 + abs(raw)), (r["row"], s, raw)
    p = 1 / (1 + math.exp(-raw))
    q = float(sc[int(r["row"])]["score"])
    assert sc[int(r["row"])]["part"] == "test"
    assert abs(p - q) <= 1e-9, (r["row"], p, q)
mean = {r["feature"]: float(r["mean_abs_shap"]) for r in csv.DictReader(open("$T/mean.csv"))}
for f in feat:
    m = math.fsum(abs(float(r[f])) for r in ev) / len(ev)
    assert abs(m - mean[f]) <= 1e-9 * (1 + m), (f, m, mean[f])
PYEOF
exits 0 "base + SHAP = raw = logit(score), means agree" "$PY" "$T/chk.py"
[ -s "$T/.err" ] && sed 's/^/# /' "$T/.err" | head -5
exits 0 "gain" hs --session "$S" importance b --kind gain --csv
ok "the shares add up to 1" awk -F, 'NR > 1 { s += $4 } END { exit !(s > 0.999999 && s < 1.000001) }' "$T/.out"
exits 0 "permutation on trees" hs --session "$S" importance b --kind permutation --repeats 2
exits 0 "the summary plot" hs --session "$S" importance b -o "$T/sum.png"
ok "a PNG" test -s "$T/sum.png"
exits 0 "the bars" hs --session "$S" importance b --bars -o "$T/bars.svg"
ok "an SVG" grep -q "<svg" "$T/bars.svg"
exits 0 "in the terminal" hs --session "$S" importance b --draw --ascii --width 80 --height 20
like "$(cat "$T/.out")" "SHAP value" "the summary's axis"
done_testing

#!/bin/bash
# Figures a physicist can show: axes with labels and units, the bin width
# in the y label, data as points with sqrt(n) errors, the simulation scaled
# to the data with its uncertainty band, log scales.  The numbers are
# checked against numpy on the exported events.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
exits 0 "a small demo" hs --session "$S" demo --n-signal 2000 --n-background 8000 --seed 5

# ---- Axis labels, in the terminal's text ----
exits 0 "plot hist m_mumu" hs --session "$S" plot hist m_mumu --range 0:5 --bins 100 --width 100 \
    --height 30 --ascii
like "$(cat "$T/.out")" "m_mumu \\[GeV\\]" "the x axis: the feature and its unit"
like "$(cat "$T/.out")" "Events / 0.05 GeV" "the y axis: the bin width and the unit"
exits 0 "plot hist --norm" hs --session "$S" plot hist m_mumu --range 0:5 --bins 100 --norm \
    --width 100 --height 30 --ascii --csv "$T/mn.csv"
like "$(cat "$T/.out")" "Fraction of events / 0.05 GeV" "normalised: the fraction per bin"
ok "--norm: each class's bins sum to 1" awk -F, 'NR > 1 { b += $3; s += $5 }
    END { db = b - 1; ds = s - 1; exit !(db * db < 1e-20 && ds * ds < 1e-20) }' "$T/mn.csv"
exits 0 "a feature with an axis label" hs --session "$S" plot hist doca --range 0:1 --bins 8 \
    --width 100 --height 30 --ascii
like "$(cat "$T/.out")" "DOCA \\[m\\]" "the stored label, then the unit"
like "$(cat "$T/.out")" "Events / 0.125 m" "three significant digits of 1/8"
exits 0 "a feature without a unit" hs --session "$S" plot hist pt_frac --range 0:0.2 --bins 3 \
    --width 100 --height 30 --ascii
like "$(cat "$T/.out")" "Events / 0.0667( |$)" "no unit: the width alone, 0.2/3 to 3 digits"
like "$(cat "$T/.out")" "pT / p of the pair" "the label without brackets"
ok "no empty brackets" sh -c "! grep -q '\\[\\]' '$T/.out'"
exits 0 "a unit set by hand" hs --session "$S" feature unit m_mumu MeV --axis-label 'm(mu mu)'
exits 0 "plot hist after" hs --session "$S" plot hist m_mumu --range 0:5 --bins 100 --width 100 \
    --height 30 --ascii
like "$(cat "$T/.out")" "m\\(mu mu\\) \\[MeV\\]" "the axis follows the stored unit and label"
like "$(cat "$T/.out")" "Events / 0.05 MeV" "and so does the y axis"
exits 0 "back to GeV" hs --session "$S" feature unit m_mumu GeV --axis-label -
exits 0 "plot hist2d" hs --session "$S" plot hist2d vz ip --width 100 --height 30 --ascii
like "$(cat "$T/.out")" "vertex z \\[m\\]" "hist2d: the x axis"
like "$(cat "$T/.out")" "impact parameter \\[m\\]" "hist2d: the y axis"
exits 0 "plot corr" hs --session "$S" plot corr --width 160 --height 50 --ascii
like "$(cat "$T/.out")" "DOCA" "corr: rows and columns named by the features' labels"
ok "corr: not by the name the label replaces" sh -c "! grep -q 'doca' '$T/.out'"
exits 0 "--xlabel still wins" hs --session "$S" plot hist m_mumu --xlabel 'my mass' --width 100 \
    --height 30 --ascii
like "$(cat "$T/.out")" "my mass" "the user's label"
ok "over the made one" sh -c "! grep -q 'm_mumu \\[GeV\\]' '$T/.out'"

# ---- Unlabelled data alone: points with sqrt(n) errors ----
exits 0 "export" hs --session "$S" export demo -o "$T/sim.csv"
exits 0 "a second demo as data" hs --session "$S" demo --n-signal 600 --n-background 2400 --seed 9 \
    --name sim2
exits 0 "exported" hs --session "$S" export sim2 -o "$T/real.csv"
exits 0 "imported unlabelled" hs --session "$S" import "$T/real.csv" --name real \
    --columns E_mu_plus,vz,ip --units vz=m
exits 0 "plot hist on unlabelled data" hs --session "$S" --dataset real plot hist vz --range 30:85 \
    --bins 11 --csv "$T/alone.csv" --width 100 --height 30 --ascii
is "$(head -1 "$T/alone.csv")" "lo,hi,data,data_err" "the CSV's columns"
like "$(cat "$T/.out")" "Events / 5 m" "its axis"
exits 0 "the data's counts (sql)" hs --session "$S" sql --csv \
    "select min(cast((vz - 30) / 5 as int), 10), count(*) from events('real') where vz >= 30 and vz <= 85 group by 1 order by 1"
tail -n +2 "$T/.out" >"$T/alone.want"
awk -F, 'NR > 1 && $3 > 0 { printf "%d,%d\n", NR - 2, $3 }' "$T/alone.csv" >"$T/alone.got"
is "$(cat "$T/alone.got")" "$(cat "$T/alone.want")" "the points are the counts (sql)"
ok "the errors are sqrt(n)" awk -F, 'NR > 1 { d = $4 - sqrt($3); if (d < 0) d = -d;
    if (d > 1e-12 * ($4 + 1)) bad++ } END { exit bad > 0 }' "$T/alone.csv"

# ---- Data over simulation, scaled to the data (the default) ----
exits 0 "plot hist --data" hs --session "$S" --dataset demo plot hist vz --data real --range 30:85 \
    --bins 11 --csv "$T/dv.csv" -o "$T/dv.png"
legend=$(cat "$T/.out")
is "$(head -1 "$T/dv.csv")" \
    "lo,hi,background,background_err,signal,signal_err,simulation,simulation_err,data,data_err,ratio,ratio_err" \
    "the CSV's columns"
if [ -x "$PY" ]; then
    cat >"$T/check.py" <<'PY'
import csv, sys
import numpy as np
sim, real, out, legend, mode = sys.argv[1:6]
def load(path, cols):
    r = list(csv.DictReader(open(path)))
    return {c: np.array([float(x[c]) for x in r]) for c in cols}
s = load(sim, ['vz', 'Truth'] + (['w'] if mode == 'lumi' else []))
d = load(real, ['vz'])
rows = list(csv.DictReader(open(out)))
edges = np.array([float(rows[0]['lo'])] + [float(x['hi']) for x in rows])
w = s['w'] if mode == 'lumi' else np.ones(len(s['vz']))
def hist(v, wt):
    return np.histogram(v, bins=edges, weights=wt)[0]
nb = hist(s['vz'][s['Truth'] == 0], w[s['Truth'] == 0])
ns = hist(s['vz'][s['Truth'] == 1], w[s['Truth'] == 1])
w2 = hist(s['vz'], w * w)
nd = hist(d['vz'], None)
k = nd.sum() / (nb + ns).sum() if mode == 'data' else 1.0
col = lambda c: np.array([float(x[c]) for x in rows])
want = {
    'background': k * nb, 'signal': k * ns, 'simulation': k * (nb + ns),
    'simulation_err': k * np.sqrt(w2), 'data': nd, 'data_err': np.sqrt(nd),
    'ratio': nd / (k * (nb + ns)), 'ratio_err': np.sqrt(nd) / (k * (nb + ns)),
}
bad = [c for c, v in want.items() if not np.allclose(col(c), v, rtol=1e-9, atol=1e-12)]
text = {'data': 'Simulation (scaled to data: x%.3g)' % k,
        'lumi': 'Simulation (weights as stored)',
        'none': 'Simulation (events, not scaled)'}[mode]
if legend != text:
    bad.append('legend %r, want %r' % (legend, text))
if bad:
    print(bad)
    sys.exit(1)
PY
    ok "scaled to data: k = data total / simulation total, errors k sqrt(n), ratio (numpy)" \
        "$PY" "$T/check.py" "$T/sim.csv" "$T/real.csv" "$T/dv.csv" "$legend" data
    ok "the scaled simulation's total is the data's" awk -F, 'NR > 1 { s += $7; d += $9 }
        END { x = s - d; if (x < 0) x = -x; exit !(x < 1e-9 * d) }' "$T/dv.csv"
    exits 0 "--scale none" hs --session "$S" --dataset demo plot hist vz --data real --range 30:85 \
        --bins 11 --csv "$T/dn.csv" --scale none -o "$T/dn.svg"
    ok "not scaled: the simulation's counts (numpy)" \
        "$PY" "$T/check.py" "$T/sim.csv" "$T/real.csv" "$T/dn.csv" "$(cat "$T/.out")" none

    # A weighted simulation: the band is sqrt(sum w^2) of the summed stack.
    awk -F, -v OFS=, 'NR == 1 { print $0, "w"; next } { print $0, 0.25 + (NR % 4) * 0.5 }' \
        "$T/sim.csv" >"$T/simw.csv"
    exits 0 "a weighted simulation" hs --session "$S" import "$T/simw.csv" --name simw \
        --label Truth --weight w --group HNL_mass
    exits 0 "--scale lumi" hs --session "$S" --dataset simw plot hist vz --data real --range 30:85 \
        --bins 11 --csv "$T/dl.csv" --scale lumi -o "$T/dl.pdf"
    ok "lumi: weights as stored, band sqrt(sum w^2) (numpy)" \
        "$PY" "$T/check.py" "$T/simw.csv" "$T/real.csv" "$T/dl.csv" "$(cat "$T/.out")" lumi
    exits 0 "--scale data on the weighted simulation" hs --session "$S" --dataset simw plot hist vz \
        --data real --range 30:85 --bins 11 --csv "$T/dw.csv" -o "$T/dw.png"
    ok "weighted, scaled: k sum(w) per bin, k sqrt(sum w^2)" "$PY" -c "
import csv, numpy as np
s = list(csv.DictReader(open('$T/simw.csv')))
v = np.array([float(x['vz']) for x in s]); w = np.array([float(x['w']) for x in s])
d = np.array([float(x['vz']) for x in csv.DictReader(open('$T/real.csv'))])
rows = list(csv.DictReader(open('$T/dw.csv')))
e = np.array([float(rows[0]['lo'])] + [float(x['hi']) for x in rows])
sw = np.histogram(v, e, weights=w)[0]; sw2 = np.histogram(v, e, weights=w * w)[0]
k = np.histogram(d, e)[0].sum() / sw.sum()
got = np.array([[float(x['simulation']), float(x['simulation_err'])] for x in rows])
raise SystemExit(not (np.allclose(got[:, 0], k * sw, rtol=1e-9) and np.allclose(got[:, 1], k * np.sqrt(sw2), rtol=1e-9)))"
fi
exits 1 "--scale lumi needs weights" hs --session "$S" --dataset demo plot hist vz --data real \
    --scale lumi
like "$(cat "$T/.err")" "--scale lumi: dataset 'demo' has no weight column" "says what is missing"
exits 1 "a bad --scale" hs --session "$S" --dataset demo plot hist vz --data real --scale lots
like "$(cat "$T/.err")" "--scale takes data, none or lumi, not 'lots'" "names the choices"
exits 1 "--scale without --data" hs --session "$S" plot hist vz --scale none
like "$(cat "$T/.err")" "--scale goes with --data" "says where it goes"
exits 0 "--data in the terminal" hs --session "$S" --dataset demo plot hist vz --data real \
    --width 120 --height 40 --ascii
like "$(cat "$T/.out")" "Simulation \\(scaled to data: x0\\.3\\)" "the legend says how it is scaled"
like "$(cat "$T/.out")" "vertex z \\[m\\]" "the ratio panel's x axis has the unit"

# ---- Log scales ----
exits 0 "plot hist2d --logz to a PNG" hs --session "$S" --dataset demo plot hist2d vz ip --logz -o "$T/h2.png"
ok "a PNG" sh -c "head -c 4 '$T/h2.png' | grep -q PNG"
exits 0 "plot hist2d --logz in the terminal" hs --session "$S" --dataset demo plot hist2d vz ip --logz --width 100 \
    --height 30 --ascii
like "$(cat "$T/.out")" "Events / bin \\(log\\)" "the colour bar says log"
exits 1 "--logz on a 1-D histogram" hs --session "$S" --dataset demo plot hist vz --logz
like "$(cat "$T/.err")" "--logz goes with plot hist2d" "says where it goes"
exits 0 "plot grid" hs --session "$S" --dataset demo plot grid --width 160 --ascii
like "$(cat "$T/.out")" "DOCA \\[m\\]  \\(log y\\)" "doca's panel chooses log y by itself"
ok "m_mumu's does not" sh -c "! grep -q 'm_mumu \\[GeV\\]  (log y)' '$T/.out'"
nfeat=$(hs --session "$S" --dataset demo features --csv | awk -F, 'NR > 1 && $3 == 1' | wc -l)
exits 0 "plot grid --log" hs --session "$S" --dataset demo plot grid --log --width 160 --ascii
is "$(grep -o '(log y)' "$T/.out" | wc -l | tr -d ' ')" "$nfeat" "--log: every panel is log"
exits 0 "plot grid --log to a PNG" hs --session "$S" --dataset demo plot grid --log -o "$T/grid.png"
ok "a PNG" sh -c "head -c 4 '$T/grid.png' | grep -q PNG"
done_testing

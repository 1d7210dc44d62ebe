#!/bin/sh
# feature rmm: the rapidity-mass matrix of Chekanov (arXiv:1805.11650) as
# derived features, checked cell by cell against numpy on events made here
# (two muons, two electrons, MET; some electrons missing, some muons out of
# E_T order) and on a real CMS four-lepton file; bad input leaves the
# session as it was; a second run replaces the first.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
"$PY" -c 'import numpy' 2>/dev/null || skip_all "no numpy"

# Events: E,px,py,pz of mu1, mu2, e1, e2 (exact masses), MET and its phi.
# Every 7th event has no e2 (empty cells); every 5th, no electron at all.
"$PY" - "$T/l4.csv" <<'PY'
import sys, numpy as np
rng = np.random.default_rng(7)
n = 300
out = {}
for k, m in (("mu1", 0.1056583755), ("mu2", 0.1056583755), ("e1", 0.000511), ("e2", 0.000511)):
    pt = rng.uniform(3, 90, n); eta = rng.uniform(-2.5, 2.5, n); phi = rng.uniform(-np.pi, np.pi, n)
    px, py, pz = pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)
    out[k] = (np.sqrt(px**2 + py**2 + pz**2 + m * m), px, py, pz)
met = rng.uniform(0, 60, n); mphi = rng.uniform(-np.pi, np.pi, n)
truth = rng.integers(0, 2, n)
with open(sys.argv[1], "w") as f:
    f.write(",".join(f"E_{k},px_{k},py_{k},pz_{k}" for k in out) + ",met,met_phi,Truth\n")
    for i in range(n):
        cells = []
        for k in out:
            gone = (k == "e2" and i % 7 == 0) or (k[0] == "e" and i % 5 == 0)
            cells += ["" if gone else repr(float(c[i])) for c in out[k]]
        cells += [repr(float(met[i])), repr(float(mphi[i])), str(truth[i])]
        f.write(",".join(cells) + "\n")
PY

# The reference: the paper's cells from the four-vectors, computed here.
cat >"$T/ref.py" <<'PY'
import csv, sys, math
import numpy as np
path, cellfile, types, sqrt_s, nmax = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
# types: "mu:E_mu1,px_mu1,py_mu1,pz_mu1;E_mu2,...|e:..."; met columns optional;
# "e@11:E1,px1,py1,pz1,PID1;..." types by |PID| (the fifth column)
tdefs = []
for td in types.split("|"):
    name, slots = td.split(":")
    name, _, code = name.partition("@")
    tdefs.append((name, code, [s.split(",") for s in slots.split(";")]))
def num(s):
    return float(s) if s != "" else math.nan
rows = list(csv.DictReader(open(path)))
cells = list(csv.DictReader(open(cellfile)))
assert len(rows) == len(cells), (len(rows), len(cells))
def et(v):
    E, px, py, pz = v
    return E * math.hypot(px, py) / math.sqrt(px * px + py * py + pz * pz)
def y(v):
    return 0.5 * math.log((v[0] + v[3]) / (v[0] - v[3]))
def mass(a, b):
    s = [a[i] + b[i] for i in range(4)]
    m2 = s[0] ** 2 - s[1] ** 2 - s[2] ** 2 - s[3] ** 2
    return math.copysign(math.sqrt(abs(m2)), m2)
worst = 0.0
checked = 0
for r, c in zip(rows, cells):
    objs = []  # (label, four-vector or None), matrix order
    for name, code, slots in tdefs:
        vs = [tuple(num(r[x]) for x in s[:4]) for s in slots
              if not code or abs(num(r[s[4]])) == int(code)]
        vs = [v for v in vs if not any(math.isnan(x) for x in v)]
        vs.sort(key=et, reverse=True)  # stable: ties keep column order
        for k in range(min(nmax, len(slots))):
            objs.append((f"{name}{k + 1}", vs[k] if k < len(vs) else None, k))
    want = {}
    has_met = "met" in r
    if has_met:
        met, mphi = num(r["met"]), num(r["met_phi"])
        mx, my = met * math.cos(mphi), met * math.sin(mphi)
        want["rmm_met_met"] = met / sqrt_s
    for i, (a, va, ka) in enumerate(objs):
        if has_met:
            want[f"rmm_met_{a}"] = (math.sqrt(max((et(va) + met) ** 2 - (va[1] + mx) ** 2 - (va[2] + my) ** 2, 0)) / sqrt_s
                                    if va else math.nan)
        want[f"rmm_{a}_met"] = math.cosh(y(va)) - 1 if va else math.nan
        for j, (b, vb, kb) in enumerate(objs):
            if i == j:
                if ka == 0:
                    v = et(va) / sqrt_s if va else math.nan
                else:
                    vp = objs[i - 1][1]
                    v = (et(vp) - et(va)) / (et(vp) + et(va)) if va and vp else math.nan
            elif i < j:
                v = mass(va, vb) / sqrt_s if va and vb else math.nan
            else:
                v = math.cosh((y(va) - y(vb)) / 2) - 1 if va and vb else math.nan
            want[f"rmm_{a}_{b}"] = v
    got_names = sorted(k for k in c if k.startswith("rmm_"))
    assert got_names == sorted(want), (got_names, sorted(want))
    for k, w in want.items():
        g = num(c[k])
        if math.isnan(w) or math.isnan(g):
            assert math.isnan(w) and math.isnan(g), (k, w, g)
            continue
        d = abs(g - w) / max(abs(w), 1e-300) if abs(w) > 1e-12 else abs(g - w)
        worst = max(worst, d)
        checked += 1
print(f"{checked} {worst:.3g}")
sys.exit(worst > 1e-9)
PY

exits 0 "import" hs --session "$S" import "$T/l4.csv" --name l4 --label Truth
exits 0 "feature rmm" hs --session "$S" feature rmm
like "$(cat "$T/.out")" "of 4 objects \(mu1 mu2 e1 e2\) and the MET, sqrt\(s\) = 13000 GeV: 25 cells" \
    "four objects, two of each type, and the MET: a 5x5 matrix"
like "$(cat "$T/.out")" "rmm_mu1_mu2 +invariant mass of mu1 and mu2" "cells are listed with what they are"
like "$(cat "$T/.out")" "rmm_e2_e2 +E_T imbalance of e1 and e2 \(missing in [0-9]+ of 300 events\)" \
    "missing electrons are counted"
exits 0 "export the cells" hs --session "$S" export l4 -o "$T/cells.csv" --features
ok "the helper features are off: not exported" sh -c "! head -1 '$T/cells.csv' | grep -q rmm_rank_"
TYPES="mu:E_mu1,px_mu1,py_mu1,pz_mu1;E_mu2,px_mu2,py_mu2,pz_mu2|e:E_e1,px_e1,py_e1,pz_e1;E_e2,px_e2,py_e2,pz_e2"
ok "every cell agrees with the paper's formulas (numpy, 1e-9)" \
    "$PY" "$T/ref.py" "$T/l4.csv" "$T/cells.csv" "$TYPES" 13000 4
ok "some muons are out of E_T order in the file (the ordering is tested)" "$PY" -c "
import csv, math
n = 0
for r in csv.DictReader(open('$T/l4.csv')):
    et = lambda k: float(r['E_'+k]) * math.hypot(float(r['px_'+k]), float(r['py_'+k])) / math.sqrt(sum(float(r[c+'_'+k])**2 for c in ('px','py','pz')))
    n += et('mu2') > et('mu1')
raise SystemExit(n < 50)"

# Again with one object of each type and another sqrt(s): replaces.
exits 0 "feature rmm again" hs --session "$S" feature rmm --objects 1 --sqrt-s 8000
like "$(cat "$T/.out")" "of 2 objects \(mu1 e1\) and the MET, sqrt\(s\) = 8000 GeV: 9 cells, [0-9]+ helper features \(off\), replacing the earlier ones" \
    "the second run replaces the first"
exits 0 "export" hs --session "$S" export l4 -o "$T/cells1.csv" --features
ok "no cell of the first run is left" sh -c "! head -1 '$T/cells1.csv' | grep -q rmm_mu2"
ok "the one-object matrix agrees with numpy" \
    "$PY" "$T/ref.py" "$T/l4.csv" "$T/cells1.csv" "$TYPES" 8000 1

# A feature of the user reading a cell: a rerun would break it, so it stops.
exits 0 "a feature reading a cell" hs --session "$S" feature add mm 'rmm_mu1_e1 * 8000'
exits 0 "journal before" hs --session "$S" journal --csv
before=$(wc -l <"$T/.out")
exits 1 "feature rmm with a user of its cells" hs --session "$S" feature rmm
like "$(cat "$T/.err")" "used by feature 'mm'" "the error names the user"
exits 0 "journal after" hs --session "$S" journal --csv
is "$(wc -l <"$T/.out")" "$before" "nothing journaled"
exits 0 "drop mm" hs --session "$S" feature drop mm

# Bad options.
exits 1 "--objects 0" hs --session "$S" feature rmm --objects 0
exits 1 "--sqrt-s -1" hs --session "$S" feature rmm --sqrt-s -1
exits 1 "--objects with add" hs --session "$S" feature add q 'met' --objects 2
like "$(cat "$T/.err")" "go with feature rmm" "the error says where the option belongs"
exits 1 "an argument" hs --session "$S" feature rmm 3

# A dataset without four-vectors: a clear error, nothing changes.
printf 'a,b,Truth\n1,2,1\n3,4,0\n' >"$T/plain.csv"
exits 0 "import a plain file" hs --session "$S" import "$T/plain.csv" --name plain --label Truth
exits 0 "journal before" hs --session "$S" journal --csv
before=$(wc -l <"$T/.out")
exits 1 "feature rmm without four-vectors" hs --session "$S" feature rmm --dataset plain
like "$(cat "$T/.err")" "no four-vectors among the columns" "the error says why"
exits 0 "journal after" hs --session "$S" journal --csv
is "$(wc -l <"$T/.out")" "$before" "the session is unchanged"
exits 0 "features" hs --session "$S" features --dataset plain --csv
ok "no rmm feature on the plain dataset" sh -c "! grep -q rmm_ '$T/.out'"

# A real CMS four-lepton file: one type of object (the leptons 1..4).
CMS="$HS_SRCDIR/../shared/data/cms"
f=cms_opendata_edu__4mu_2012
if [ -f "$CMS/$f.csv" ]; then
    exits 0 "import $f" hs --session "$S" import "$CMS/$f.csv" --name cms4mu
    exits 0 "feature rmm on $f" hs --session "$S" feature rmm --dataset cms4mu
    like "$(cat "$T/.out")" "of 4 objects \(obj1 obj2 obj3 obj4\), no MET columns" \
        "four leptons of one type, no MET"
    exits 0 "export" hs --session "$S" export cms4mu -o "$T/cms.csv" --features
    ok "the CMS file's cells agree with numpy" "$PY" "$T/ref.py" "$CMS/$f.csv" "$T/cms.csv" \
        "obj:E1,px1,py1,pz1;E2,px2,py2,pz2;E3,px3,py3,pz3;E4,px4,py4,pz4" 13000 4
    # The mass of the two leading leptons, straight from the file.
    ok "rmm_obj1_obj2 is the two leading leptons' mass over 13 TeV" "$PY" -c "
import csv, math
import numpy as np
a = list(csv.DictReader(open('$CMS/$f.csv')))
b = list(csv.DictReader(open('$T/cms.csv')))
for r, c in zip(a, b):
    v = np.array([[float(r[f'{x}{k}']) for x in ('E', 'px', 'py', 'pz')] for k in range(1, 5)])
    et = v[:, 0] * np.hypot(v[:, 1], v[:, 2]) / np.linalg.norm(v[:, 1:], axis=1)
    s = v[np.argsort(-et, kind='stable')[:2]].sum(axis=0)
    m = math.sqrt(s[0]**2 - s[1]**2 - s[2]**2 - s[3]**2)
    assert abs(float(c['rmm_obj1_obj2']) * 13000 - m) < 1e-9 * m, (m, c['rmm_obj1_obj2'])
"
else
    ok "# SKIP no CMS data at $CMS" true
fi

# Two electrons and two muons in any of the four slots, typed by PID.
f=cms_opendata_edu__2e2mu_2012
if [ -f "$CMS/$f.csv" ]; then
    exits 0 "import $f" hs --session "$S" import "$CMS/$f.csv" --name cms2e2mu
    exits 0 "feature rmm --pid on $f" hs --session "$S" feature rmm --dataset cms2e2mu \
        --pid e=11,mu=13 --objects 2
    like "$(cat "$T/.out")" "of 4 objects \(e1 e2 mu1 mu2\), no MET columns" \
        "electrons and muons by their PID columns"
    exits 0 "export" hs --session "$S" export cms2e2mu -o "$T/cms2.csv" --features
    S4="E1,px1,py1,pz1,PID1;E2,px2,py2,pz2,PID2;E3,px3,py3,pz3,PID3;E4,px4,py4,pz4,PID4"
    ok "the 2e2mu file's cells agree with numpy" "$PY" "$T/ref.py" "$CMS/$f.csv" "$T/cms2.csv" \
        "e@11:$S4|mu@13:$S4" 13000 2
    # The file has its electrons first: the same events with the four
    # leptons rotated by one slot more each event must give the same cells.
    "$PY" - "$CMS/$f.csv" "$T/rot.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
cols = list(rows[0])
lep = ["PID", "E", "px", "py", "pz", "pt", "eta", "phi", "Q"]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.DictWriter(f, cols)
    w.writeheader()
    for i, r in enumerate(rows):
        o = dict(r)
        for k in range(4):
            src = (k + i) % 4 + 1
            for x in lep:
                o[f"{x}{k + 1}"] = r[f"{x}{src}"]
        w.writerow(o)
PY
    exits 0 "import the rotated file" hs --session "$S" import "$T/rot.csv" --name rot
    exits 0 "feature rmm --pid on it" hs --session "$S" feature rmm --dataset rot --pid e=11,mu=13 --objects 2
    exits 0 "export" hs --session "$S" export rot -o "$T/rot-cells.csv" --features
    ok "rotating the slots changes no cell (to 1e-12)" "$PY" -c "
import csv, math
a = list(csv.DictReader(open('$T/cms2.csv')))
b = list(csv.DictReader(open('$T/rot-cells.csv')))
ks = [k for k in a[0] if k.startswith('rmm_')]
assert len(ks) == 20 and len(a) == len(b) == 104
for r, s in zip(a, b):
    for k in ks:
        x, y = float(r[k]), float(s[k])
        assert abs(x - y) <= 1e-12 * max(abs(x), 1e-3), (k, x, y)
"
    ok "the rotated file's cells agree with numpy" "$PY" "$T/ref.py" "$T/rot.csv" "$T/rot-cells.csv" \
        "e@11:$S4|mu@13:$S4" 13000 2
    exits 1 "--pid without code columns" hs --session "$S" feature rmm --dataset l4 --pid mu=13
    like "$(cat "$T/.err")" "needs a code column for particle 'mu1'" "the error names the particle"
    exits 1 "--pid with a bad code" hs --session "$S" feature rmm --dataset cms2e2mu --pid e=x
    like "$(cat "$T/.err")" "'x' is not a particle code" "the error names the code"
    exits 1 "--pid with a type twice" hs --session "$S" feature rmm --dataset cms2e2mu --pid e=11,e=13
else
    ok "# SKIP no CMS data at $CMS" true
fi

done_testing

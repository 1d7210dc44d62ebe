#!/bin/bash
# Learned columns: a stored model's score used as a feature everywhere
# (cut sets, effs, plot hist, features, corr, export --features, --where,
# SQL), each number checked against python over `score -o`'s CSV; never
# stale (retrain, drop); not a default input; cycles and name clashes
# refused.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
FAST="--epochs 2 --threads 1 --layers 8"
exits 0 "a small demo" hs --session "$S" demo --n-signal 1500 --n-background 4500 --seed 3
exits 0 "train nn" hs --session "$S" train nn $FAST
nin=$(sed -n "s/^training 'nn' on 'demo': \([0-9]*\) inputs.*/\1/p" "$T/.out")
exits 0 "score nn to a file" hs --session "$S" score nn -o "$T/s.csv"

# ref.py CSV WHAT: the reference figures from the scores file.
cat >"$T/ref.py" <<'PY'
import csv, sys
rows = [(float(r["score"]), r["label"]) for r in csv.DictReader(open(sys.argv[1]))]
sig = [s for s, l in rows if l == "1"]
bkg = [s for s, l in rows if l == "0"]
what = sys.argv[2]
if what == "cut":       # events with score > 0.5, signal then background
    print(sum(s > 0.5 for s in sig), sum(s > 0.5 for s in bkg))
elif what == "avg":     # per label, as sql prints them
    print("%.12g %.12g" % (sum(bkg) / len(bkg), sum(sig) / len(sig)))
elif what == "eff":     # signal and background efficiency at threshold argv[3]
    t = float(sys.argv[3])
    print("%.12g %.12g" % (sum(s >= t for s in sig) / len(sig), sum(s >= t for s in bkg) / len(bkg)))
elif what == "hist":    # counts in 4 bins over [0, 1], background then signal
    def counts(v):
        c = [0] * 4
        for s in v:
            if 0 <= s <= 1:
                c[min(int(s * 4), 3)] += 1
        return c
    print(" ".join(map(str, counts(bkg) + counts(sig))))
PY
ref() { "$PY" "$T/ref.py" "$T/s.csv" "$@"; }

# ---- a column like any other ------------------------------------------
exits 0 "features lists nn" hs --session "$S" features
like "$(grep ' nn ' "$T/.out")" "nn +off +learned" "as off and learned"
exits 0 "a cut set on the score" hs --session "$S" cut set hi 'nn > 0.5'
exits 0 "its flow" hs --session "$S" cut flow hi --on all --csv
is "$(sed -n 3p "$T/.out" | cut -d, -f3,4 | tr , ' ')" "$(ref cut)" "cut flow counts = python's"
exits 0 "--where on the score" hs --session "$S" effs doca --where 'nn > 0.5' --on all --csv
exits 0 "effs nn" hs --session "$S" effs nn --on all --csv --points 5
line=$(sed -n 3p "$T/.out")
thr=${line%%,*}
got=$(echo "$line" | cut -d, -f2,3 | tr , ' ')
ok "effs nn = python's at $thr" "$PY" -c "
a = [float(x) for x in '$got'.split()]; b = [float(x) for x in '$(ref eff "$thr")'.split()]
raise SystemExit(len(a) != 2 or len(b) != 2 or any(abs(x - y) > 1e-12 for x, y in zip(a, b)))"
exits 0 "plot hist nn" hs --session "$S" plot hist nn --norm --bins 4 --range 0:1 \
    --csv "$T/h.csv" -o "$T/h.png"
ok "hist counts = python's" "$PY" -c "
import csv
rows = list(csv.DictReader(open('$T/h.csv')))
want = [int(x) for x in '$(ref hist)'.split()]
nb, ns = sum(want[:4]), sum(want[4:])
got = [round(float(r['background']) * nb) for r in rows] + \
      [round(float(r['signal']) * ns) for r in rows]
raise SystemExit(got != want)"
exits 0 "sql reads nn" hs --session "$S" sql "select _label, avg(nn) from events('demo') group by _label"
ok "sql avg(nn) = python's" "$PY" -c "
got = [float(l.split()[1]) for l in open('$T/.out').read().splitlines()[1:]]
want = [float(x) for x in '$(ref avg)'.split()]
raise SystemExit(len(got) != 2 or len(want) != 2 or any(abs(a - b) > 1e-9 * abs(b) for a, b in zip(got, want)))"
exits 0 "select * leaves it out" hs --session "$S" sql "select * from events('demo') limit 1"
unlike_nn=$(head -1 "$T/.out" | grep -c '\bnn\b')
is "$unlike_nn" 0 "nn is a hidden column"
exits 0 "corr" hs --session "$S" corr --csv
like "$(head -1 "$T/.out")" ",nn" "corr takes nn"
exits 0 "export --features" hs --session "$S" export --features -o "$T/e.csv"
like "$(head -1 "$T/e.csv")" "dphi_mumu,nn\$" "nn written after the derived features"
exits 0 "roc --score nn" hs --session "$S" roc --score nn

# ---- not a default input, no cycles, no clashes ------------------------
exits 0 "a second model" hs --session "$S" train nn2 $FAST
like "$(cat "$T/.out")" "training 'nn2' on 'demo': $nin inputs" "the same inputs as before: nn is not one"
exits 1 "nn cannot be turned on" hs --session "$S" feature on nn
like "$(cat "$T/.err")" "never a default input" "says why"
exits 1 "a derived feature reading nn" hs --session "$S" feature add twice 'nn * 2'
like "$(cat "$T/.err")" "'nn' is a learned column \\(a model's score\\)" "says why"
exits 0 "stacking: nn as an input" hs --session "$S" train stack $FAST --features nn,doca
like "$(cat "$T/.out")" "2 inputs" "two inputs"
exits 0 "sql reads the stacked score" hs --session "$S" sql "select count(stack) from events('demo')"
is "$(sed -n 2p "$T/.out" | tr -d ' ')" 6000 "every event scored"
exits 1 "a cycle" hs --session "$S" train nn --replace $FAST --features stack,doca
like "$(cat "$T/.err")" "'nn' cannot read 'stack', which reads 'nn' \\(stack -> nn\\)" "names the chain"
exits 1 "its own score" hs --session "$S" train nn --replace $FAST --features nn,doca
exits 1 "a name that is a column" hs --session "$S" train doca $FAST
like "$(cat "$T/.err")" "'doca' is a feature of the dataset" "says so"
exits 1 "a name that is a derived feature" hs --session "$S" train m_mumu $FAST
exits 0 "model list" hs --session "$S" model list
is "$(grep -cE '^(doca|m_mumu) ' "$T/.out")" 0 "none stored"

# ---- never stale -------------------------------------------------------
before=$(hs --session "$S" sql "select avg(nn) from events('demo')" | tail -1)
exits 0 "retrain nn" hs --session "$S" train nn --replace --epochs 3 --threads 1 --layers 4 --seed 9
exits 0 "score it again" hs --session "$S" score nn -o "$T/s.csv"
exits 0 "sql" hs --session "$S" sql "select _label, avg(nn) from events('demo') group by _label"
ok "sql gives the new model's scores" "$PY" -c "
got = [float(l.split()[1]) for l in open('$T/.out').read().splitlines()[1:]]
want = [float(x) for x in '$(ref avg)'.split()]
raise SystemExit(len(got) != 2 or len(want) != 2 or any(abs(a - b) > 1e-9 * abs(b) for a, b in zip(got, want)))"
after=$(hs --session "$S" sql "select avg(nn) from events('demo')" | tail -1)
ok "and they changed" test "$before" != "$after"
exits 0 "cut flow follows" hs --session "$S" cut flow hi --on all --csv
is "$(sed -n 3p "$T/.out" | cut -d, -f3,4 | tr , ' ')" "$(ref cut)" "counts of the new model"
exits 0 "drop stack" hs --session "$S" model drop stack
exits 1 "its column is gone from sql" hs --session "$S" sql "select avg(stack) from events('demo')"
like "$(cat "$T/.err")" "no such column: stack" "says so"
exits 0 "features" hs --session "$S" features
is "$(grep -c ' stack ' "$T/.out")" 0 "and from features"
exits 0 "a replaced dataset" hs --session "$S" demo --n-signal 500 --n-background 500 --seed 4 --replace
exits 0 "sql scores its events" hs --session "$S" sql "select count(nn) from events('demo')"
is "$(sed -n 2p "$T/.out" | tr -d ' ')" 1000 "all 1000 of them"
done_testing

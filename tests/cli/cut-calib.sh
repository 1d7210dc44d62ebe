#!/bin/bash
# cut optimise calibrated on the validation part: on the demo, "95% of the
# signal on the test sample" is met, counted in python over the exported
# events, the stored split and the stored box (the session read with
# python's sqlite3, not hepscope); on a hand-made CSV the calibration
# picks the box worked out by hand; cut flow says whether a target is met.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"

# ---- the demo: the workshop's 95% on the test sample -------------------
exits 0 "the demo" hs --session "$S" demo
exits 0 "cut optimise --target 0.95" hs --session "$S" cut optimise --target 0.95
cp "$T/.out" "$T/opt.txt"
like "$(cat "$T/opt.txt")" "calibrated on the validation part \\([0-9]+ events\\)" "names the three parts"
like "$(cat "$T/opt.txt")" "^ +train +validation +test$" "train, validation and test columns"
like "$(cat "$T/opt.txt")" "must reach 0\\.95[0-9]* = 0\\.95 \\+ 1\\.5 x " "the need: target + 1.5 sigma"
like "$(cat "$T/opt.txt")" "target 0.95 on the test part: met" "says the target is met on the test part"
exits 0 "export the events with the derived features" hs --session "$S" export demo -o "$T/d.csv" --features

# Independent counts: the box from the cuts table, each event's part from
# the splits table's BLOB (0 train, 1 val, 2 test), the values from the CSV.
"$PY" - "$S" "$T/d.csv" >"$T/count.txt" <<'PY'
import csv, math, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
box = db.execute("select feature, lo, hi from cuts where cutset = 'opt95' order by position").fetchall()
part = db.execute("select part from splits").fetchone()[0]
sig = [[0, 0], [0, 0], [0, 0]]  # per part: passing, all
bkg = [[0, 0], [0, 0], [0, 0]]
for i, r in enumerate(csv.DictReader(open(sys.argv[2]))):
    ok = all((lo is None or float(r[f]) >= lo) and (hi is None or float(r[f]) < hi) for f, lo, hi in box)
    c = sig if r['Truth'] == '1' else bkg
    c[part[i]][1] += 1
    c[part[i]][0] += ok
nval = sig[1][1]
need = 0.95 + 1.5 * math.sqrt(0.95 * 0.05 / nval)
print(len(box), sig[2][0] / sig[2][1], sig[1][0] / sig[1][1], need, nval,
      bkg[2][0] / bkg[2][1], sig[0][0] / sig[0][1])
PY
read -r ncuts test_eff val_eff need nval test_bkg train_eff <"$T/count.txt"
ok "the box has cuts ($ncuts)" test "$ncuts" -gt 0
ok "test signal efficiency >= 0.95, counted in python ($test_eff)" \
    awk -v e="$test_eff" 'BEGIN { exit !(e >= 0.95) }'
ok "validation signal efficiency ($val_eff) >= 0.95 + 1.5 sqrt(0.95 0.05 / $nval) = $need" \
    awk -v e="$val_eff" -v n="$need" 'BEGIN { exit !(e >= n) }'
ok "the test background stays small ($test_bkg)" awk -v e="$test_bkg" 'BEGIN { exit !(e < 0.01) }'
read -r _ _ tr va te < <(grep '^signal efficiency' "$T/opt.txt")
ok "the printed train column is python's ($tr vs $train_eff)" near "$tr" "$train_eff" 5e-4
ok "the printed validation column is python's ($va vs $val_eff)" near "$va" "$val_eff" 5e-4
ok "the printed test column is python's ($te vs $test_eff)" near "$te" "$test_eff" 5e-4
like "$(cat "$T/opt.txt")" "n = $nval validation signal events" "n is the validation signal count"
exits 0 "cut flow opt95" hs --session "$S" cut flow opt95
like "$(tail -1 "$T/.out")" "^target 0.95 on the test part: met \\(signal efficiency 0\\.9[5-9]" \
    "the cut flow says it meets its target"
exits 0 "cut flow opt95 --on train" hs --session "$S" cut flow opt95 --on train
is "$(tail -1 "$T/.out")" "$(grep '^target' "$T/opt.txt")" \
    "on another part it still judges the test part"
exits 0 "a hand-made cut set" hs --session "$S" cut set byhand 'doca < 0.01'
exits 0 "its flow" hs --session "$S" cut flow byhand
ok "has no target to judge" sh -c "! grep -q '^target' '$T/.out'"
exits 0 "cut flow --csv" hs --session "$S" cut flow opt95 --csv
ok "the CSV stays CSV" sh -c "! grep -q '^target' '$T/.out'"
exits 1 "a negative margin" hs --session "$S" cut optimise --margin -1
like "$(cat "$T/.err")" "margin" "names the option"

# ---- a hand-made CSV ------------------------------------------------------
# One feature x.  The split is stratified by class and group, and a
# group's events share one value of x, so where each value goes does not
# depend on the shuffle: with 0.5/0.25/0.25 a group of 1 goes to train, 2
# to train and val, 3 to train, val and test.  Training signal: x = 1..20
# once each; validation signal: 2, 4, ..., 16, 17, 19 (ten); background:
# 10.5 .. 25.5 in every part.  Below 10.5 there is no background, so the
# best box at n training signal events is x < (n + 0.3), the shortest
# decimal between n and the background at n + 0.5.
# Target 0.8: 16 training events, x < 16.3, validation 8/10 = 0.8.
# sigma = sqrt(0.8 * 0.2 / 10) = 0.12649.
#   --margin 0:   need 0.8, met: x < 16.3.
#   --margin 0.5: need 0.86325; raised by the shortfall to 0.86325 of the
#                 training signal: 18 events, x < 18.3, validation 0.9.
#   default 1.5:  need 0.98974: 20 events, x < 20.3, validation 1.
{
    echo "x,label,g"
    for v in $(seq 1 20); do
        case $v in
        2 | 4 | 6) k=3 ;;
        8 | 10 | 12 | 14 | 16 | 17 | 19) k=2 ;;
        *) k=1 ;;
        esac
        for _ in $(seq $k); do echo "$v,1,$v"; done
    done
    for v in $(seq 10 25); do
        for _ in 1 2 3; do echo "$v.5,0,$((100 + v))"; done
    done
} >"$T/hand.csv"
H="$T/hand.db"
exits 0 "import the hand-made CSV" hs --session "$H" import "$T/hand.csv" --label label --group g
exits 0 "its split" hs --session "$H" split
"$PY" - "$H" "$T/hand.csv" >"$T/parts.txt" <<'PY'
import csv, sqlite3, sys
part = sqlite3.connect(sys.argv[1]).execute("select part from splits").fetchone()[0]
rows = list(csv.DictReader(open(sys.argv[2])))
for p in range(3):
    print(' '.join(r['x'] for i, r in enumerate(rows) if part[i] == p and r['label'] == '1'))
PY
is "$(sed -n 1p "$T/parts.txt")" "$(seq -s ' ' 1 20)" "training signal: 1..20"
is "$(sed -n 2p "$T/parts.txt")" "2 4 6 8 10 12 14 16 17 19" "validation signal: ten events"
for m in 0 0.5 1.5; do
    case $m in
    0) want="x < 16.3" tt=0.8 ;;
    0.5) want="x < 18.3" tt=0.8632 ;;
    1.5) want="x < 20.3" tt=0.9897 ;;
    esac
    exits 0 "optimise with --margin $m" hs --session "$H" cut optimise --target 0.8 --margin $m
    is "$(sed -n '/^cut box/{n;p}' "$T/.out" | sed 's/^ *//')" "$want" "margin $m: the box $want"
    like "$(cat "$T/.out")" "box optimised for $tt of the training signal" "margin $m: training target $tt"
    like "$(cat "$T/.out")" "n = 10 validation signal events" "margin $m: n = 10"
done
exits 0 "the default margin is 1.5" hs --session "$H" cut optimise --target 0.8
is "$(sed -n '/^cut box/{n;p}' "$T/.out" | sed 's/^ *//')" "x < 20.3" "the default: x < 20.3"

# ---- weighted events: Kish's effective number ------------------------------
"$PY" - >"$T/w.csv" <<'PY'
import random
random.seed(5)
print("x,y,label,w")
for i in range(3000):
    s = i % 3 == 0
    x = random.gauss(0, 1) if s else random.gauss(1, 2)
    y = random.gauss(0, 1) if s else random.gauss(-1, 2)
    print(f"{x!r},{y!r},{int(s)},{random.uniform(0.2, 2)!r}")
PY
W="$T/w.db"
exits 0 "import weighted events" hs --session "$W" import "$T/w.csv" --label label --weight w
exits 0 "cut optimise on them" hs --session "$W" cut optimise --target 0.9
cp "$T/.out" "$T/wopt.txt"
"$PY" - "$W" "$T/w.csv" >"$T/wcount.txt" <<'PY'
import csv, math, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
part = db.execute("select part from splits").fetchone()[0]
box = db.execute("select feature, lo, hi from cuts where cutset = 'opt90' order by position").fetchall()
sw = sw2 = ps = 0.0
for i, r in enumerate(csv.DictReader(open(sys.argv[2]))):
    if part[i] != 1 or r['label'] != '1':
        continue
    w = float(r['w'])
    sw += w
    sw2 += w * w
    if all((lo is None or float(r[f]) >= lo) and (hi is None or float(r[f]) < hi) for f, lo, hi in box):
        ps += w
neff = sw * sw / sw2
print(neff, 0.9 + 1.5 * math.sqrt(0.9 * 0.1 / neff), ps / sw)
PY
read -r neff wneed weff <"$T/wcount.txt"
got=$(sed -n 's/.*n = \([0-9.]*\) effective (weighted.*/\1/p' "$T/wopt.txt")
ok "the printed n is Kish's effective number, in python ($got vs $neff)" near "$got" "$neff" 1e-5
ok "the weighted validation efficiency ($weff) meets 0.9 + 1.5 sigma ($wneed)" \
    awk -v e="$weff" -v n="$wneed" 'BEGIN { exit !(e >= n) }'

done_testing

#!/bin/bash
# hepscope search: bad spaces refused with the place and the parameter,
# leaving the session as it was; a small TPE search on the demo: the
# trials table, every trial in the session (`sql`), the best model stored
# with the highest validation AUC, checked against scikit-learn's AUC of
# the model's scores on the validation part; determinism for a seed;
# successive halving's rungs; random search of Fisher's parameters; the
# time budget; --show and its figure; Ctrl-C keeps the trials so far.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
"$PY" -c "import sklearn" 2>/dev/null || skip_all "no scikit-learn (python3-sklearn)"
exits 0 "a small demo" hs --session "$S" demo --n-signal 2000 --n-background 6000 --seed 5
FAST="--epochs 2 --threads 1"
SPACE='layers=[8],[16,16]; lr=log(1e-3,3e-2); dropout=0:0.3'

state() {
    hs --session "$S" sql --csv "select (select count(*) from journal), (select count(*) from models), (select count(*) from searches), (select count(*) from trials), (select count(*) from splits)"
}
before=$(state)

# ---- bad spaces and options store nothing ---------------------------------
exits 1 "an unknown parameter" hs --session "$S" search bad --space 'lr=log(1e-4,1e-2); widths=1:2' $FAST
like "$(cat "$T/.err")" "character 20: no parameter 'widths'; the parameters are layers, activation, optimizer, lr" \
    "names the place and lists the method's parameters"
exits 1 "a bound outside the parameter's range" hs --session "$S" search bad --space 'lr=0:0.1'
like "$(cat "$T/.err")" "character 4: lr: --lr wants a number from 1e-12 to 100, not '0'" "says what lr takes"
exits 1 "an unclosed bracket" hs --session "$S" search bad --space 'layers=[32],[64'
like "$(cat "$T/.err")" "character 13: layers: a '\\[' without its '\\]'" "names the bracket"
exits 1 "a range of a choice" hs --session "$S" search bad --space 'activation=0:1'
like "$(cat "$T/.err")" "activation: a range needs a parameter that is a number" "says why"
exits 1 "a choice the parameter does not take" hs --session "$S" search bad --space 'activation=relu,swish'
like "$(cat "$T/.err")" "--activation takes relu, .* not 'swish'" "lists the choices"
exits 1 "log of zero" hs --session "$S" search bad --space 'l2=log(0,1)'
exits 1 "no --space" hs --session "$S" search bad $FAST
like "$(cat "$T/.err")" "wants --space" "asks for the space"
exits 1 "an unknown strategy" hs --session "$S" search bad --space 'lr=0.001:0.01' --strategy grid
exits 1 "zero trials" hs --session "$S" search bad --space 'lr=0.001:0.01' --trials 0
exits 1 "halving without a budget parameter" hs --session "$S" search bad --method fisher --space 'shrinkage=0:1' --strategy halving
like "$(cat "$T/.err")" "method fisher has no budget parameter" "says fisher has none"
exits 1 "halving with the budget in the space" hs --session "$S" search bad --space 'epochs=1:3' --strategy halving
exits 1 "a parameter of another method" hs --session "$S" search bad --method fisher --space 'lr=0.001:0.01'
like "$(cat "$T/.err")" "--method fisher: .*no parameter 'lr'; the parameters are shrinkage" "lists fisher's"
exits 1 "a fixed option of another method" hs --session "$S" search bad --method fisher --space 'shrinkage=0:1' --layers 8
exits 1 "a projection is no classifier" hs --session "$S" search bad --method pca --space 'seed=1,2'
exits 1 "a bad name" hs --session "$S" search 9x --space 'lr=0.001:0.01'
exits 1 "a stored search that is not there" hs --session "$S" search nope --show
is "$(state)" "$before" "the errors left the session as it was"

# ---- a TPE search ----------------------------------------------------------
exits 0 "search tuned" hs --session "$S" search tuned --space "$SPACE" --trials 6 --seed 3 $FAST -o "$T/t.png"
out=$(cat "$T/.out")
like "$out" "search 'tuned' on 'demo': mlp, tpe, seed 3, 19 inputs, 3 parameters searched" "announces the search"
like "$out" "6 trials \\(the first 6 drawn at random\\)" "and the trials"
is "$(grep -cE '^ +[1-6] +0\.[0-9]{4} +0\.[0-9]{4} +[0-9.]+ +--layers ' "$T/.out")" 6 "a line per trial as it finishes"
like "$out" "rank +trial +val AUC +test AUC +seconds +budget +status +parameters" "the ranked table"
like "$out" "6 trials \\(6 ok\\) in [0-9.]+ s, [0-9.]+ s per trial" "what the trials cost"
like "$out" "stored search 'tuned' \\(6 trials\\) and its best model as 'tuned'" "stores both"
ok "the figure is a PNG" sh -c "head -c 8 '$T/t.png' | od -c | grep -q 'P   N   G'"
is "$(hs --session "$S" sql --csv "select count(*), min(trial), max(trial), sum(status = 'ok'), min(budget), max(budget) from trials where search = 'tuned'" | tail -1)" \
    "6,1,6,6,2,2" "six trials stored, all ok, budget the epochs"
is "$(hs --session "$S" sql --csv "select method, strategy, seed, planned, ntrials, stopped is null, space from searches" | tail -1)" \
    "mlp,tpe,3,6,6,1,\"$SPACE\"" "the search's row"
# The ranked table's first row is the trial with the highest validation AUC.
best=$(hs --session "$S" sql --csv "select trial from trials where search = 'tuned' order by val_auc desc, trial limit 1" | tail -1)
like "$(grep -E '^ +1 +[0-9]+ ' "$T/.out" | tail -1)" "^ +1 +$best " "rank 1 is trial $best"
params=$(hs --session "$S" sql --csv "select params from trials where search = 'tuned' and trial = $best" | tail -1 | tr -d '"')
# The model is the best trial's: its options hold the trial's values, its
# test AUC is the trial's, and the AUC of its scores on the validation
# part (scikit-learn's roc_auc_score) is the stored maximum.
exits 0 "model show tuned" hs --session "$S" model show tuned
for w in $params; do
    case $w in --*) continue ;; esac
    like "$(cat "$T/.out")" "options:.* $w( |$)" "the model has the best trial's value $w"
done
is "$(hs --session "$S" sql --csv "select abs(m.test_auc - t.test_auc) < 1e-12 from models m, trials t where m.name = 'tuned' and t.search = 'tuned' and t.trial = $best" | tail -1)" \
    1 "the model's test AUC is the best trial's"
exits 0 "score tuned" hs --session "$S" score tuned -o "$T/sc.csv"
vmax=$(hs --session "$S" sql --csv "select printf('%.17g', max(val_auc)) from trials where search = 'tuned'" | tail -1)
cat >"$T/auc.py" <<'PY'
import csv, sys
from sklearn.metrics import roc_auc_score
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r['part'] == 'val']
auc = roc_auc_score([r['label'] == '1' for r in rows], [float(r['score']) for r in rows])
sys.exit(int(abs(float(auc) - float(sys.argv[2])) > 1e-9))
PY
ok "scikit-learn's AUC of the best model on the validation part is the stored maximum (1e-9)" \
    "$PY" "$T/auc.py" "$T/sc.csv" "$vmax"
exits 0 "roc takes the best model" hs --session "$S" roc tuned --table-csv -o "$T/roc.svg"

# ---- determinism, names, --show -------------------------------------------------
exits 0 "the same search again" hs --session "$S" search again --space "$SPACE" --trials 6 --seed 3 $FAST
same="select count(*) from trials a join trials b on a.trial = b.trial and a.params = b.params and a.val_auc = b.val_auc where a.search = 'tuned' and b.search = 'again'"
is "$(hs --session "$S" sql --csv "$same" | tail -1)" 6 "the same seed gives the same trials and figures"
exits 0 "another seed" hs --session "$S" search other --space "$SPACE" --trials 6 --seed 4 $FAST
is "$(hs --session "$S" sql --csv "${same//again/other}" | tail -1)" 0 "another seed other trials"
exits 1 "a name taken" hs --session "$S" search tuned --space "$SPACE" --trials 2 $FAST
like "$(cat "$T/.err")" "model 'tuned' exists \\(--replace" "says --replace"
exits 0 "--replace" hs --session "$S" search tuned --replace --space "$SPACE" --trials 2 --seed 9 $FAST
is "$(hs --session "$S" sql --csv "select count(*) from trials where search = 'tuned'" | tail -1)" 2 "the old trials are gone"
exits 0 "--show" hs --session "$S" search again --show -o "$T/show.svg"
like "$(cat "$T/.out")" "search 'again' on 'demo' .*: mlp, tpe, seed 3, 6 trials planned" "what was searched"
like "$(cat "$T/.out")" "space: layers=\\[8\\],\\[16,16\\]" "the space"
is "$(grep -cE '^ +[1-6] +[1-6] +0\.' "$T/.out")" 6 "the six trials ranked"
ok "the figure is an SVG" grep -q "<svg" "$T/show.svg"
exits 1 "an unknown search" hs --session "$S" search agian --show
like "$(cat "$T/.err")" "no search 'agian'.*again" "suggests the name"

# ---- halving, random over Fisher, the time budget -------------------------------
exits 0 "successive halving" hs --session "$S" search hv --strategy halving --space 'layers=[8],[16]; lr=log(1e-3,3e-2)' --trials 9 --epochs 9 --threads 1
like "$(cat "$T/.out")" "rungs \\(configurations x epochs\\): 9 x 1, 3 x 3, 1 x 9" "announces the rungs"
is "$(hs --session "$S" sql --csv "select group_concat(n || 'x' || budget, ' ') from (select budget, count(*) n from trials where search = 'hv' group by budget order by budget)" | tail -1)" \
    "9x1 3x3 1x9" "9 trials of 1 epoch, 3 of 3, 1 of 9"
# The three trials of the second rung are the first rung's best three.
first=$(hs --session "$S" sql --csv "select replace(params, ' --epochs 1', '') from trials where search = 'hv' and budget = 1 order by val_auc desc, trial limit 3" | tail -n +2 | sort)
second=$(hs --session "$S" sql --csv "select replace(params, ' --epochs 3', '') from trials where search = 'hv' and budget = 3" | tail -n +2 | sort)
is "$second" "$first" "the best third of rung one goes on"
exits 0 "random search of fisher" hs --session "$S" search fi --method fisher --strategy random --space 'shrinkage=0:1; priors=data,equal' --trials 4 --seed 2
is "$(hs --session "$S" sql --csv "select count(*), sum(params like '--shrinkage % --priors %'), max(budget) from trials where search = 'fi'" | tail -1)" \
    "4,4,0" "four trials of fisher's parameters, no budget"
exits 0 "a time budget" hs --session "$S" search tb --space 'lr=log(1e-3,3e-2)' --trials 50 --budget 0.000001 $FAST
is "$(hs --session "$S" sql --csv "select ntrials, stopped from searches where name = 'tb'" | tail -1)" \
    "1,time budget" "one trial, then out of time"

# ---- Ctrl-C keeps the trials so far --------------------------------------------
# exec: a plain `hs ... &` leaves a shell between us and hepscope.
(exec "$HS_BIN" --session "$S" search cancelled --space 'layers=[64,64]; lr=log(1e-3,3e-2)' --trials 60 --epochs 20 --patience 0 --threads 1 >"$T/c.out" 2>&1) &
pid=$!
for i in $(seq 1 100); do
    grep -qE '^ +2 +0\.' "$T/c.out" 2>/dev/null && break
    sleep 0.1
done
kill -INT $pid
wait $pid
is "$?" 0 "a cancelled search exits 0"
like "$(cat "$T/c.out")" "stopped early: cancelled" "says it was cancelled"
n=$(hs --session "$S" sql --csv "select ntrials from searches where name = 'cancelled' and stopped = 'cancelled'" | tail -1)
ok "the trials so far are stored ($n)" test "$n" -ge 2 -a "$n" -lt 60
is "$(hs --session "$S" sql --csv "select count(*) from trials where search = 'cancelled'" | tail -1)" "$n" "each of them"
exits 0 "and the best model" hs --session "$S" model show cancelled

done_testing

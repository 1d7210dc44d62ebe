#!/bin/bash
# bench/search.sh: hyperparameter search on the demo.  For each seed of
# SEEDS (1 2 3), a TPE search and a random search of TRIALS (30) trials
# over the space of issue 15 (layers [32], [64,64] or [128,64,32], lr
# log-uniform on [1e-4, 1e-2], dropout uniform on [0, 0.3]), each trial
# an MLP of EPOCHS (5) epochs (early stopping as by default) on the
# demo's N_SIG + N_BKG (20,000 + 80,000) events, default split, at
# --threads THREADS (1: a trial's CPU seconds are its wall seconds on a
# quiet machine).  Both strategies get the same seeds and the same number
# of trials.
#
# Per search: the wall and CPU seconds of the whole command (/usr/bin/time),
# the trials' own seconds (median, sum: training and evaluation), the
# best validation AUC and that trial's test AUC, and the trial where the
# best was first reached.  Then the means over the seeds, and the
# engine's own cost per trial with the training left out
# (bench/search_bench: 200 searches of 30 trials with an objective that
# costs nothing).  FEATURES=F,G,... trains on those inputs only: with
# every input the demo's AUC is saturated (doca alone gives 0.997) and
# the strategies can hardly differ; without doca and ip they can.
SEEDS=${SEEDS:-1 2 3}
TRIALS=${TRIALS:-30}
EPOCHS=${EPOCHS:-5}
THREADS=${THREADS:-1}
N_SIG=${N_SIG:-20000}
N_BKG=${N_BKG:-80000}
FEATURES=${FEATURES:-}
SPACE=${SPACE:-'layers=[32],[64,64],[128,64,32]; lr=log(1e-4,1e-2); dropout=0:0.3'}
. "$(dirname "$0")/lib.sh"

make -C "$BUILD" -s bench/search_bench >/dev/null
S="$WORK/s.db"
"$HS" --session "$S" demo --n-signal "$N_SIG" --n-background "$N_BKG" --seed 1 >/dev/null
"$HS" --session "$S" split >/dev/null
echo "search: demo $N_SIG + $N_BKG events, default split, $TRIALS trials, mlp $EPOCHS epochs, --threads $THREADS; $(machine)"
echo "  space: $SPACE"
[ -n "$FEATURES" ] && echo "  inputs: $FEATURES"
FEAT=()
[ -n "$FEATURES" ] && FEAT=(--features "$FEATURES")
q() { "$HS" --session "$S" sql --csv "$1" | tail -1; }
printf '  %-10s %5s %8s %8s %9s %9s %8s %8s %6s  %s\n' strategy seed wall_s cpu_s trial_med trial_sum best_val its_test first load
for seed in $SEEDS; do
    for st in random tpe; do
        name=${st}_$seed
        /usr/bin/time -f '%e %U %S' -o "$WORK/time" "$HS" --session "$S" search "$name" \
            --strategy "$st" --space "$SPACE" --trials "$TRIALS" --seed "$seed" \
            --epochs "$EPOCHS" --threads "$THREADS" "${FEAT[@]}" >"$WORK/$name.out"
        read -r wall usr sys <"$WORK/time"
        cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
        med=$(q "select seconds from trials where search = '$name' order by seconds limit 1 offset (select count(*) / 2 from trials where search = '$name')")
        sum=$(q "select printf('%.2f', sum(seconds)) from trials where search = '$name'")
        best=$(q "select printf('%.5f', max(val_auc)) from trials where search = '$name'")
        its=$(q "select printf('%.5f', test_auc) from trials where search = '$name' order by val_auc desc, trial limit 1")
        first=$(q "select trial from trials where search = '$name' order by val_auc desc, trial limit 1")
        printf '  %-10s %5s %8.2f %8.2f %9.3f %9.2f %8s %8s %6s  %s\n' "$st" "$seed" "$wall" "$cpu" \
            "$med" "$sum" "$best" "$its" "$first" "$(cut -d' ' -f1-3 /proc/loadavg)"
        echo "$st $wall $cpu $sum $best $its" >>"$WORK/all"
    done
done
echo "  means over the seeds (wall s, CPU s, trials' s, best val AUC, its test AUC; CPU s per trial):"
awk -v n="$TRIALS" '{ w[$1] += $2; c[$1] += $3; t[$1] += $4; b[$1] += $5; e[$1] += $6; k[$1]++ }
    END { for (s in k) printf "    %-8s %8.2f %8.2f %8.2f %8.5f %8.5f   %.3f\n", s, w[s] / k[s], c[s] / k[s],
          t[s] / k[s], b[s] / k[s], e[s] / k[s], c[s] / k[s] / n }' "$WORK/all" | sort
awk '{ if ($1 == "random") r[NR] = $5; else t[NR - 1] = $5 } END { for (i in t) { n++; w += t[i] > r[i]; d += t[i] - r[i] }
    printf "  TPE best val AUC above random on %d of %d seeds, by %+.5f on average\n", w, n, d / n }' "$WORK/all"
"$BUILD/bench/search_bench" 200 | awk '/us_per_trial/ { printf "  engine alone (no training): %s %s us CPU per trial\n", $1, $2 }'

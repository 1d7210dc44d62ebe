#!/bin/bash
# bench/ae.sh: hepscope's autoencoder anomaly score (train --method ae)
# against PyTorch on the CPU, on the demo's background: the demo at
# N_SIG + N_BKG events (20,000 + 180,000 by default), the default split,
# trained on the training part's background (90,000 events), the same
# network (19 -> 32,16 -> 4 linear -> 16,32 -> 19, relu), MSE loss, Adam lr
# 1e-3, batch 256 shuffled, EPOCHS (5) epochs, no early stopping, THREADS
# (2) threads.  Figures: CPU seconds (user + sys) of the whole `hepscope
# train` (session read, training with its per-epoch validation, scoring
# and the ROC of every event, storing) against PyTorch's training loop
# alone (process time) and its whole process; and the test AUC of each
# anomaly score against the label, which neither fit saw.  APPEND=1
# appends the figures to bench/RESULTS.md.
EPOCHS=${EPOCHS:-5}
THREADS=${THREADS:-2}
N_SIG=${N_SIG:-20000}
N_BKG=${N_BKG:-180000}
. "$(dirname "$0")/lib.sh"
need_packages python3-numpy python3-sklearn python3-torch

export OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS
S="$WORK/ae.db"
echo "ae: demo $N_SIG signal + $N_BKG background, default split, 32,16-[4]-16,32 relu, Adam 1e-3, batch 256, $EPOCHS epochs, $THREADS threads; $(machine)"
"$HS" --session "$S" demo --n-signal "$N_SIG" --n-background "$N_BKG" --seed 1 >/dev/null
load0=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/time -f '%U %S %e' -o "$WORK/hs.time" "$HS" --session "$S" train ae --method ae \
    --encoder 32,16 --bottleneck 4 --epochs "$EPOCHS" --patience 0 --threads "$THREADS" \
    >"$WORK/hs.txt" 2>"$WORK/hs.err" || { cat "$WORK/hs.err" >&2; exit 1; }
"$HS" --session "$S" export demo -o "$WORK/ev.csv" --features >/dev/null
"$HS" --session "$S" score ae -o "$WORK/sc.csv" >/dev/null
"$HS" --session "$S" model export ae --as c -o "$WORK/ae.c" >/dev/null
feats=$(sed -n 's/^ \*   [0-9]*  \([^:]*\):.*/\1/p' "$WORK/ae.c" | paste -sd, -)
/usr/bin/time -f '%U %S %e' -o "$WORK/th.time" $PY "$BENCH_DIR/ae_torch.py" "$WORK/ev.csv" \
    "$WORK/sc.csv" "$feats" "$EPOCHS" "$THREADS" 0 >"$WORK/th.txt" 2>"$WORK/th.err" ||
    { cat "$WORK/th.err" >&2; exit 1; }
load1=$(cut -d' ' -f1-3 /proc/loadavg)

val() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
hs_cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$WORK/hs.time")
hs_wall=$(awk '{ print $3 }' "$WORK/hs.time")
th_cpu_all=$(awk '{ printf "%.2f", $1 + $2 }' "$WORK/th.time")
th_cpu=$(val "$WORK/th.txt" train_cpu_s)
th_wall=$(val "$WORK/th.txt" train_wall_s)
hs_auc=$(sed -n 's/^test AUC \([0-9.]*\) .*/\1/p' "$WORK/hs.txt")
th_auc=$(val "$WORK/th.txt" test_auc)
hs_loss=$(awk '$1 == '"$EPOCHS"' && NF >= 4 { print $2; exit }' "$WORK/hs.txt")
th_loss=$(val "$WORK/th.txt" final_loss)
ntrain=$(sed -n 's/^  events: \([0-9]*\) train.*/\1/p' "$WORK/hs.txt")

report() {
    echo "training events (background of the training part): $ntrain, load before $load0, after $load1"
    echo "| tool | CPU s (user+sys) | wall s | last epoch's training loss | test AUC of the anomaly score |"
    echo "|---|---|---|---|---|"
    echo "| hepscope train --method ae (whole command) | $hs_cpu | $hs_wall | $hs_loss | $hs_auc |"
    echo "| PyTorch, training loop only | $th_cpu | $th_wall | $th_loss | $th_auc |"
    echo "| PyTorch, whole process (CSV read, standardise, train, score) | $th_cpu_all | | | |"
}
report
[ "${APPEND:-0}" = 1 ] && report >>"$TOP/bench/RESULTS.md"
exit 0

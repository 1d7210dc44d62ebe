#!/bin/bash
# bench/mlp.sh: hepscope's MLP training against scikit-learn's
# MLPClassifier and PyTorch on the CPU, on the same CSV (the demo at
# 1,000,000 events: 100k signal, 900k background, 19 inputs), the same
# default split (training on its 500k training events, AUC on its 250k
# test events), the same network and optimiser: 64,64 relu, Adam lr 1e-3,
# batch 256 shuffled, L2 1e-4 on the weights (scikit-learn: alpha 0.0256,
# the same penalty per step; see bench/mlp_sklearn.py), no dropout, no
# early stopping, EPOCHS (3) epochs, RUNS (2) trainings each, both cores.
#
# Goals: at least 3x faster per epoch than scikit-learn, no slower than
# PyTorch (a DataLoader loop, float32, its default), a test AUC no worse
# than either's minus 0.002.  Also: the fraction of the machine's dgemm
# GFLOP/s (bench/dgemm_bench, same CBLAS, 2 threads) that training reaches,
# counting 6 x weights x training events per epoch (forward 2, backward 4).
# EXTRA=1 adds, for information, PyTorch without the DataLoader and in
# float64, and hepscope with its per-epoch validation.  APPEND=1 appends
# the figures to bench/RESULTS.md.  --busy (bench/lib.sh): also training
# and scoring at the default thread count and at --threads 1, quiet and
# with a competing CPU-bound process.
EPOCHS=${EPOCHS:-3}
RUNS=${RUNS:-2}
THREADS=${THREADS:-2}
. "$(dirname "$0")/lib.sh"
need_packages python3-numpy python3-sklearn python3-torch

make -C "$BUILD" -s bench/mlp_bench bench/dgemm_bench >/dev/null
export OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS
echo "mlp: demo 1,000,000 events, default split, 64,64 relu, Adam, batch 256, $EPOCHS epochs x $RUNS runs, $THREADS threads; $(machine)"
load0=$(cut -d' ' -f1-3 /proc/loadavg)

val() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
"$BUILD/bench/dgemm_bench" "$THREADS" >"$WORK/dg.txt"
PROFILE=1 "$BUILD/bench/mlp_bench" "$WORK/mlp.csv" "$EPOCHS" "$RUNS" "$THREADS" >"$WORK/hs.txt" 2>"$WORK/hs.err" ||
    { cat "$WORK/hs.err" >&2; exit 1; }
# hepscope with one BLAS thread: the GEMMs of a 256-row batch are small
# enough that a second thread can cost more than it brings.
"$BUILD/bench/mlp_bench" - "$EPOCHS" "$RUNS" 1 >"$WORK/hs1.txt" 2>/dev/null
$PY "$BENCH_DIR/mlp_sklearn.py" "$WORK/mlp.csv" "$EPOCHS" "$RUNS" >"$WORK/sk.txt" 2>"$WORK/sk.err" ||
    { cat "$WORK/sk.err" >&2; exit 1; }
$PY "$BENCH_DIR/mlp_torch.py" "$WORK/mlp.csv" "$EPOCHS" "$RUNS" "$THREADS" loader float32 \
    >"$WORK/th.txt" 2>"$WORK/th.err" || { cat "$WORK/th.err" >&2; exit 1; }
if [ "${EXTRA:-0}" = 1 ]; then
    $PY "$BENCH_DIR/mlp_torch.py" "$WORK/mlp.csv" "$EPOCHS" "$RUNS" "$THREADS" lean float32 \
        >"$WORK/th_lean.txt" 2>/dev/null
    $PY "$BENCH_DIR/mlp_torch.py" "$WORK/mlp.csv" "$EPOCHS" "$RUNS" "$THREADS" loader float64 \
        >"$WORK/th_f64.txt" 2>/dev/null
    $PY "$BENCH_DIR/mlp_torch.py" "$WORK/mlp.csv" "$EPOCHS" "$RUNS" 1 loader float32 \
        >"$WORK/th1.txt" 2>/dev/null
    VAL=1 "$BUILD/bench/mlp_bench" - "$EPOCHS" 1 "$THREADS" >"$WORK/hs_val.txt" 2>/dev/null
fi
load1=$(cut -d' ' -f1-3 /proc/loadavg)

hs_t=$(val "$WORK/hs.txt" epoch_s_median)
sk_t=$(val "$WORK/sk.txt" epoch_s_median)
th_t=$(val "$WORK/th.txt" epoch_s_median)
hs_a=$(val "$WORK/hs.txt" test_auc_median)
hs1_t=$(val "$WORK/hs1.txt" epoch_s_median)
hs1_a=$(val "$WORK/hs1.txt" test_auc_median)
sk_a=$(val "$WORK/sk.txt" test_auc_median)
th_a=$(val "$WORK/th.txt" test_auc_median)
ntrain=$(val "$WORK/hs.txt" train_events)
nw=$(val "$WORK/hs.txt" nweights)
nin=$(val "$WORK/hs.txt" inputs)
setup=$(val "$WORK/hs.txt" setup_s_median)
# dgemm: the best of the squares (the machine's peak) and of the training's
# own shapes, at THREADS threads and at 1.
peak() { awk -v t="$1" -v sq="$2" '$1 == "dgemm" && $5 == t && (sq ? $2 >= 512 : $2 < 512) && $6 > g { g = $6 } END { printf "%.1f", g }' "$WORK/dg.txt"; }
dg_sq=$(peak "$THREADS" 1)
dg_sq1=$(peak 1 1)
dg_small=$(peak "$THREADS" 0)
dg_small1=$(peak 1 0)
skel=$(awk -v t="$THREADS" '$1 == "skeleton" && $2 == t { print $3 }' "$WORK/dg.txt")
skel1=$(awk '$1 == "skeleton" && $2 == 1 { print $3 }' "$WORK/dg.txt")
gflop=$(awk -v w="$nw" -v n="$ntrain" 'BEGIN { printf "%.2f", 6 * w * n / 1e9 }')
hs_rate=$(awk -v g="$gflop" -v t="$hs_t" 'BEGIN { printf "%.1f", g / t }')
frac=$(awk -v r="$hs_rate" -v p="$dg_sq" 'BEGIN { printf "%.0f%%", 100 * r / p }')
frac_small=$(awk -v r="$hs_rate" -v p="$dg_small" 'BEGIN { printf "%.0f%%", 100 * r / p }')
aucdiff() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.4f", a - b }'; }

printf '  %-44s %8.3f s/epoch  test AUC %s\n' "hepscope ($nin inputs, $ntrain training events)" "$hs_t" "$hs_a"
printf '  %-44s %8.3f s/epoch  test AUC %s\n' "hepscope, 1 BLAS thread" "$hs1_t" "$hs1_a"
printf '  %-44s %8.3f s/epoch  test AUC %s\n' "scikit-learn MLPClassifier (partial_fit)" "$sk_t" "$sk_a"
printf '  %-44s %8.3f s/epoch  test AUC %s\n' "PyTorch, DataLoader, float32" "$th_t" "$th_a"
if [ "${EXTRA:-0}" = 1 ]; then
    printf '  %-44s %8.3f s/epoch  test AUC %s\n' "PyTorch, slices without DataLoader, float32" \
        "$(val "$WORK/th_lean.txt" epoch_s_median)" "$(val "$WORK/th_lean.txt" test_auc_median)"
    printf '  %-44s %8.3f s/epoch  test AUC %s\n' "PyTorch, DataLoader, float64" \
        "$(val "$WORK/th_f64.txt" epoch_s_median)" "$(val "$WORK/th_f64.txt" test_auc_median)"
    printf '  %-44s %8.3f s/epoch  test AUC %s\n' "PyTorch, DataLoader, float32, 1 thread" \
        "$(val "$WORK/th1.txt" epoch_s_median)" "$(val "$WORK/th1.txt" test_auc_median)"
    printf '  %-44s %8.3f s/epoch  test AUC %s\n' "hepscope with per-epoch validation (1 run)" \
        "$(val "$WORK/hs_val.txt" epoch_s_median)" "$(val "$WORK/hs_val.txt" test_auc_median)"
fi
echo "  per-epoch times: hepscope $(grep '^run' "$WORK/hs.txt" | sed 's/.*epoch_s \([0-9. ]*\) loss.*/\1/' | tr '\n' ' ')"
echo "                   sklearn  $(grep '^run' "$WORK/sk.txt" | sed 's/.*epoch_s \([0-9. ]*\) loss.*/\1/' | tr '\n' ' ')"
echo "                   torch    $(grep '^run' "$WORK/th.txt" | sed 's/.*epoch_s \([0-9. ]*\) loss.*/\1/' | tr '\n' ' ')"
echo "  hepscope outside the epochs (set-up, standardising, copies): $setup s per training"
echo "  time ratio: sklearn/hepscope $(ratio "$sk_t" "$hs_t"), torch/hepscope $(ratio "$th_t" "$hs_t")"
echo "  AUC difference: hepscope - sklearn $(aucdiff "$hs_a" "$sk_a"), hepscope - torch $(aucdiff "$hs_a" "$th_a")"
echo "  FLOPs: 6 x $nw weights x $ntrain events = $gflop GFLOP per epoch; hepscope $hs_rate GFLOP/s"
echo "  dgemm ($(sed -n 's/^blas //p' "$WORK/dg.txt")): squares 512-2048 best $dg_sq GFLOP/s at $THREADS threads ($dg_sq1 at 1);"
echo "    the training's shapes (256x64x$nin, 256x64x64, 64x64x256) best $dg_small GFLOP/s at $THREADS threads ($dg_small1 at 1)"
echo "  hepscope reaches $frac of the dgemm peak ($frac_small of the best small-shape rate)"
echo "  GEMMs alone of one epoch (no activations, no optimiser): $skel s at $THREADS threads, $skel1 s at 1"
echo "  where hepscope's epoch goes (replayed batch loop, seconds per epoch by phase):"
sed -n 's/^profile_threads /    threads /p' "$WORK/hs.txt"
echo "  load average before $load0, after $load1"
v_sk=met; v_th=met; v_auc=met
awk -v a="$sk_t" -v b="$hs_t" 'BEGIN { exit !(a >= 3 * b) }' || v_sk="NOT met"
awk -v a="$th_t" -v b="$hs_t" 'BEGIN { exit !(a >= b) }' || v_th="NOT met"
awk -v h="$hs_a" -v s="$sk_a" -v t="$th_a" 'BEGIN { exit !(h >= s - 0.002 && h >= t - 0.002) }' ||
    v_auc="NOT met"
echo "  goal >= 3x faster per epoch than scikit-learn: $v_sk"
echo "  goal no slower per epoch than PyTorch: $v_th"
echo "  goal test AUC >= each peer's - 0.002: $v_auc"

# Default threads and one, quiet and busy: s per epoch and s to score 1M.
mlp_pair() {
    "$BUILD/bench/mlp_bench" - "$EPOCHS" "$RUNS" "$THREADS" >"$WORK/bd$SFX.txt" 2>/dev/null
    OMP_NUM_THREADS=1 "$BUILD/bench/mlp_bench" - "$EPOCHS" "$RUNS" 1 >"$WORK/b1$SFX.txt" 2>/dev/null
    eval "MEDIAN_train_d$SFX=$(val "$WORK/bd$SFX.txt" epoch_s_median)"
    eval "MEDIAN_train_1$SFX=$(val "$WORK/b1$SFX.txt" epoch_s_median)"
    eval "MEDIAN_score_d$SFX=$(val "$WORK/bd$SFX.txt" score_all_s_median)"
    eval "MEDIAN_score_1$SFX=$(val "$WORK/b1$SFX.txt" score_all_s_median)"
    echo "  epoch: $THREADS threads $(val "$WORK/bd$SFX.txt" epoch_s_median) s, 1 thread $(val "$WORK/b1$SFX.txt" epoch_s_median) s; test AUC $(val "$WORK/bd$SFX.txt" test_auc_median) / $(val "$WORK/b1$SFX.txt" test_auc_median)"
}
if [ "$BUSY" = 1 ]; then
    echo "  default ($THREADS threads) against --threads 1, quiet and busy:"
    for_modes mlp_pair
    UNIT=s busy_report "mlp train (s/epoch)" train_d train_1
    UNIT=s busy_report "mlp score 1M events" score_d score_1
fi

if [ "${APPEND:-0}" = 1 ]; then
    {
        cat <<EOF

## MLP training (bench/mlp.sh), $(machine)

Demo at 1,000,000 events (100k signal, 900k background), default split
($ntrain training events, AUC on the 250k test events), $nin inputs
standardised with the training part's mean and sd; 64,64 relu, Adam lr
1e-3, batch 256 shuffled, L2 1e-4 on the weights (scikit-learn: alpha
0.0256, the same penalty per step), no dropout, no early stopping, no
validation during training; $EPOCHS epochs x $RUNS runs (seeds 0..$((RUNS - 1))), $THREADS threads
each.  Times: median over all epochs of all runs.  Load average $load0 before, $load1 after.

| tool | s / epoch | its time / hepscope's | test AUC (median) | AUC: hepscope minus it |
|---|---|---|---|---|
| hepscope (double) | $hs_t | | $hs_a | |
| hepscope, 1 BLAS thread | $hs1_t | $(ratio "$hs1_t" "$hs_t") | $hs1_a | |
| scikit-learn 1.2 MLPClassifier (double) | $sk_t | $(ratio "$sk_t" "$hs_t") | $sk_a | $(aucdiff "$hs_a" "$sk_a") |
| PyTorch $($PY -c 'import torch; print(torch.__version__)' 2>/dev/null), DataLoader (float32) | $th_t | $(ratio "$th_t" "$hs_t") | $th_a | $(aucdiff "$hs_a" "$th_a") |
EOF
        if [ "${EXTRA:-0}" = 1 ]; then
            echo "| PyTorch, slices without DataLoader (float32) | $(val "$WORK/th_lean.txt" epoch_s_median) | $(ratio "$(val "$WORK/th_lean.txt" epoch_s_median)" "$hs_t") | $(val "$WORK/th_lean.txt" test_auc_median) | |"
            echo "| PyTorch, DataLoader (float64) | $(val "$WORK/th_f64.txt" epoch_s_median) | $(ratio "$(val "$WORK/th_f64.txt" epoch_s_median)" "$hs_t") | $(val "$WORK/th_f64.txt" test_auc_median) | |"
            echo "| PyTorch, DataLoader (float32), 1 thread | $(val "$WORK/th1.txt" epoch_s_median) | $(ratio "$(val "$WORK/th1.txt" epoch_s_median)" "$hs_t") | $(val "$WORK/th1.txt" test_auc_median) | |"
            echo "| hepscope with per-epoch validation loss and AUC (1 run) | $(val "$WORK/hs_val.txt" epoch_s_median) | | $(val "$WORK/hs_val.txt" test_auc_median) | |"
        fi
        cat <<EOF

Goals: >= 3x faster than scikit-learn: $v_sk; no slower than PyTorch:
$v_th; test AUC >= each peer's - 0.002: $v_auc.

dgemm ($(sed -n 's/^blas //p' "$WORK/dg.txt"), bench/dgemm_bench): $dg_sq GFLOP/s at best on squares of
512-2048 with $THREADS threads ($dg_sq1 with 1); $dg_small GFLOP/s at best on the training's
shapes with $THREADS threads ($dg_small1 with 1).  One epoch is 6 x $nw weights x
$ntrain events = $gflop GFLOP: hepscope trains at $hs_rate GFLOP/s, $frac of the
dgemm peak.  The GEMMs of one epoch alone take $skel s with $THREADS threads, $skel1 s with 1.
EOF
    } >>"$TOP/bench/RESULTS.md"
fi

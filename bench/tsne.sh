#!/bin/bash
# bench/tsne.sh: t-SNE against scikit-learn's TSNE (Barnes-Hut) and
# Rtsne, side by side on the same points: seeded subsamples of 5,000,
# 20,000 and 50,000 events of the demo (10% signal) on the 19 enabled
# features standardised, and the CMS Zmumu Run2011A open data (10,583
# events, its 12 numeric columns standardised), with perplexity 30 and
# 1000 iterations for all.  Seconds (median of RUNS runs of each tool,
# neighbours and similarities included) and trustworthiness (k = 10 on
# the same 5,000-point subsample, hepscope's measure, which equals
# scikit-learn's: tests/unit/test_trust.c); the goal at 20,000 points is
# hepscope at least 4x faster than the faster peer with trustworthiness
# no lower than the best peer's minus 0.01.
#
# Then hepscope alone at 200,000 and 1,000,000 points, through the
# command line a user types (goal: under one minute and under ten):
# `hepscope demo` makes a session of 1.1 times the largest size, and
# `hepscope project tsne` fits a stratified subsample of N events,
# reading the columns from the session and writing NAME_1, NAME_2 back
# for every event; GNU time gives its wall and CPU seconds and its peak
# resident memory, and the load average is printed beside each.
#
# Each line gives wall seconds, CPU seconds (user + system of the
# process, all threads) and the load average when the tool finished: on
# a shared machine compare CPU.
#   SIZES="5000 20000 50000 zmumu 200000 1000000" RUNS=1 bench/tsne.sh
# SIZES picks what runs: a number below 100,000 is a demo subsample with
# the peers, "zmumu" the real dataset with the peers, a number from
# 100,000 on hepscope alone through the CLI (SIZES=1000000 runs just
# that; BIG_FROM moves that threshold, for a smoke test: SIZES=3000
# BIG_FROM=1000).  APPEND=1 appends the tables to bench/RESULTS.md.
RUNS=${RUNS:-1}
SIZES=${SIZES:-"5000 20000 50000 zmumu 200000 1000000"}
. "$(dirname "$0")/lib.sh"
need_packages python3-numpy python3-sklearn r-cran-rtsne

if [ -z "${TB:-}" ]; then # TB: a tsne_bench built elsewhere
    make -C "$BUILD" -s bench/tsne_bench >/dev/null
    TB="$BUILD/bench/tsne_bench"
fi
load1() { cut -d' ' -f1 /proc/loadavg; }
val() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }
med() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ZMUMU=${ZMUMU-$TOP/../shared/data/cms/cms_opendata_edu__Zmumu_Run2011A.csv} # ZMUMU= skips it
echo "t-SNE: perplexity 30, 1000 iterations, $RUNS run(s) each; $(machine); load $(cut -d' ' -f1-3 /proc/loadavg)"
ROWS=""

# peer NAME CMD... : RUNS runs of a peer on $IN, its median seconds and
# the trustworthiness of its last embedding.
peer() {
    local name=$1 t=() c=() r
    shift
    for r in $(seq "$RUNS"); do
        "$@" "$IN" "$WORK/emb.csv" >"$WORK/peer.txt"
        t+=("$(val "$WORK/peer.txt" seconds)")
        c+=("$(val "$WORK/peer.txt" cpu)")
    done
    PEER_S=$(med "${t[@]}")
    PEER_C=$(med "${c[@]}")
    PEER_T=$("$TB" trust "$IN" "$WORK/emb.csv" | awk '{ print $2 }')
    printf '  %-28s %9.2f s wall %9.2f s CPU  trust %s  load %s\n' "$name" "$PEER_S" "$PEER_C" "$PEER_T" "$(load1)"
}

one() { # LABEL: hepscope ($HS_ARGS) then both peers on $IN
    local label=$1
    "$TB" $HS_ARGS "$RUNS" >"$WORK/hs.txt"
    local hs_s hs_c hs_t sk_s sk_c sk_t r_s r_c r_t
    hs_s=$(val "$WORK/hs.txt" seconds_median)
    hs_c=$(val "$WORK/hs.txt" cpu_median)
    hs_t=$(val "$WORK/hs.txt" trust)
    echo "$label:"
    printf '  %-28s %9.2f s wall %9.2f s CPU  trust %s  KL %s  peak %s MB  load %s\n' hepscope "$hs_s" "$hs_c" "$hs_t" \
        "$(val "$WORK/hs.txt" kl)" "$(val "$WORK/hs.txt" peak_mb)" "$(load1)"
    peer "scikit-learn TSNE" $PY "$BENCH_DIR/tsne_sklearn.py"
    sk_s=$PEER_S sk_c=$PEER_C sk_t=$PEER_T
    peer "Rtsne" Rscript "$BENCH_DIR/tsne_rtsne.R"
    r_s=$PEER_S r_c=$PEER_C r_t=$PEER_T
    local fast fastc best
    fast=$(awk -v a="$sk_s" -v b="$r_s" 'BEGIN { print (a < b) ? a : b }')
    fastc=$(awk -v a="$sk_c" -v b="$r_c" 'BEGIN { print (a < b) ? a : b }')
    best=$(awk -v a="$sk_t" -v b="$r_t" 'BEGIN { print (a > b) ? a : b }')
    echo "  faster peer / hepscope: wall $(ratio "$fast" "$hs_s"), CPU $(ratio "$fastc" "$hs_c"); trust - best peer's: $(awk -v a="$hs_t" -v b="$best" 'BEGIN { printf "%+.4f", a - b }')"
    ROWS="$ROWS
| $label | $hs_s / $hs_c | $hs_t | $sk_s / $sk_c | $sk_t | $r_s / $r_c | $r_t | $(ratio "$fast" "$hs_s") / $(ratio "$fastc" "$hs_c") |"
}

zmumu() {
    [ -r "$ZMUMU" ] || { echo "zmumu: $ZMUMU is not readable, skipped"; return 0; }
    IN="$WORK/zmumu.csv"
    $PY -c "
import numpy as np, sys
a = np.genfromtxt('$ZMUMU', delimiter=',', names=True)
cols = [c for c in a.dtype.names if c not in ('Run', 'Event')]
x = np.column_stack([a[c] for c in cols]).astype(float)
x = x[np.all(np.isfinite(x), axis=1)]
x = (x - x.mean(0)) / np.where(x.std(0) > 0, x.std(0), 1)
np.savetxt('$IN', np.column_stack([x, np.zeros(len(x))]), delimiter=',', header=','.join(cols + ['label']), comments='')
"
    HS_ARGS="csv $IN"
    one "CMS Zmumu 2011A, $(($(wc -l <"$IN") - 1)) events, 12 columns"
}

# big N: hepscope alone through the CLI on the session $SESSION.
BIGROWS=""
big() {
    local n=$1 l0 out
    l0=$(load1)
    out="$WORK/big$n.txt"
    /usr/bin/time -f "time %e %U %S %M" -o "$WORK/big.time" \
        "$HS" --session "$SESSION" project tsne "tsne$n" --n "$n" --seed 1 >"$out" 2>&1 ||
        { cat "$out"; return 1; }
    read -r _ wall user sys kb <"$WORK/big.time"
    local cpu trust kl fit
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
    fit=$(sed -n 's/.* points fitted .*, \([0-9.]*\) s$/\1/p' "$out")
    trust=$(sed -n 's/^trustworthiness \([0-9.]*\).*/\1/p' "$out")
    kl=$(sed -n 's/^final loss \([0-9.]*\).*/\1/p' "$out")
    printf 'hepscope alone, demo %s points (CLI): %s s wall (fit %s s), %s s CPU, trust %s, KL %s, peak %s MB, load %s -> %s\n' \
        "$n" "$wall" "$fit" "$cpu" "$trust" "$kl" "$((kb / 1024))" "$l0" "$(load1)"
    BIGROWS="$BIGROWS
| $n | $wall | $cpu | $fit | $trust | $kl | $((kb / 1024)) | $l0 -> $(load1) |"
}

SESSION=
for n in $SIZES; do
    if [ "$n" = zmumu ]; then
        zmumu
    elif [ "$n" -lt "${BIG_FROM:-100000}" ]; then
        IN="$WORK/demo$n.csv"
        "$TB" demo "$n" 0 "$IN" >/dev/null # writes the points
        HS_ARGS="csv $IN"
        one "demo, $n points, 19 features"
    else
        if [ -z "$SESSION" ]; then
            maxn=$(printf '%s\n' $SIZES | grep -v zmumu | sort -g | tail -1)
            SESSION="$WORK/big.db"
            "$HS" --session "$SESSION" demo --n-signal $((maxn / 9)) \
                --n-background $((maxn)) >/dev/null
        fi
        big "$n"
    fi
done
if [ "${APPEND:-0}" = 1 ]; then
    cat >>"$TOP/bench/RESULTS.md" <<EOF2

## t-SNE (bench/tsne.sh), $(machine)

Perplexity 30, 1000 iterations, PCA start for hepscope and scikit-learn;
$RUNS run(s) each, median seconds; trustworthiness k = 10 on 5,000 points.
Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg).

Seconds are wall / CPU (all threads); on a shared, loaded machine the
CPU seconds are the steadier comparison.

| data | hepscope s | trust | scikit-learn s | trust | Rtsne s | trust | faster peer / hepscope (wall / CPU) |
|---|---|---|---|---|---|---|---|$ROWS

| hepscope alone, demo points (CLI) | wall s | CPU s | fit s | trust | KL | peak MB | load |
|---|---|---|---|---|---|---|---|$BIGROWS
EOF2
fi

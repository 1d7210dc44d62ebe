# bench/embed.sh: shared steps of bench/gmm.sh, bench/kmeans.sh and
# bench/pca.sh (sourced after bench/lib.sh): one size of synthetic rows
# (a mixture of K correlated Gaussians, DIM features, drawn by
# bench/embed_bench), hepscope's fit and scikit-learn's on the same
# standardised rows, RUNS fits each, medians of wall and CPU time.
need_packages python3-numpy python3-sklearn
make -C "$BUILD" -s bench/embed_bench >/dev/null

val() { awk -v k="$2" '$1 == k { print $2; exit }' "$1"; }

# embed_run METHOD N DIM K RUNS STARTS [PARAM VALUE ...]: hepscope into
# $WORK/hs.txt (and with one thread into $WORK/hs1.txt), scikit-learn
# into $WORK/sk.txt.
embed_run() {
    local method=$1 n=$2 dim=$3 k=$4 runs=$5 starts=$6
    shift 6
    LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
    "$BUILD/bench/embed_bench" "$method" "$n" "$dim" "$k" "$runs" "$WORK/rows.bin" "$@" >"$WORK/hs.txt"
    OMP_NUM_THREADS=1 "$BUILD/bench/embed_bench" "$method" "$n" "$dim" "$k" "$runs" "$WORK/rows.bin" "$@" >"$WORK/hs1.txt"
    $PY "$BENCH_DIR/embed_sklearn.py" "$method" "$WORK/rows.bin" "$dim" "$runs" "$k" "$starts" >"$WORK/sk.txt"
}

# embed_times LABEL: the three tools' medians and the ratios.
embed_times() {
    local hs hs1 sk hsc hs1c skc
    hs=$(val "$WORK/hs.txt" fit_s_median); hsc=$(val "$WORK/hs.txt" fit_cpu_s_median)
    hs1=$(val "$WORK/hs1.txt" fit_s_median); hs1c=$(val "$WORK/hs1.txt" fit_cpu_s_median)
    sk=$(val "$WORK/sk.txt" fit_s_median); skc=$(val "$WORK/sk.txt" fit_cpu_s_median)
    printf '  %-34s wall %9.3f s  cpu (user+sys) %9.3f s\n' "hepscope ($(nproc) threads)" "$hs" "$hsc"
    printf '  %-34s wall %9.3f s  cpu (user+sys) %9.3f s\n' "hepscope (--threads 1)" "$hs1" "$hs1c"
    printf '  %-34s wall %9.3f s  cpu (user+sys) %9.3f s\n' "scikit-learn $1" "$sk" "$skc"
    echo "  scikit-learn / hepscope: wall $(ratio "$sk" "$hs"), cpu $(ratio "$skc" "$hsc"); load before $LOAD0, after $(cut -d' ' -f1-3 /proc/loadavg)"
    EMBED_ROW="| $hs | $hsc | $hs1 | $sk | $skc | $(ratio "$sk" "$hs") | $(ratio "$skc" "$hsc") |"
}

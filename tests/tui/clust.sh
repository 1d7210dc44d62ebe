#!/bin/sh
# The clusters view in a real pseudo-terminal (tmux), 80x24: 0 shows it;
# r types the range of K, f fits a Gaussian mixture over it in the
# background with a progress bar; the table of K shows the mean
# log-likelihood, BIC and AIC that `hepscope cluster gmm ... --csv`
# prints for the same session, beside their plot in braille; the
# clusters of the lowest BIC are stored as the column through the
# `cluster` command (journaled as the CLI's line), and the view's table
# of them (size, signal, background, purity, signal fraction, purity and
# ARI over all) is what python computes from the stored column; Up and
# a store another K (`cluster ... --k K`); Esc cancels a running fit and
# the last result stays, shown and stored; s saves the figure as a PNG.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
"$PY" -c "import sklearn" 2>/dev/null || skip_all "no sklearn"

ok "a demo session" hs --session "$S" demo --n-signal 1000 --n-background 4000 --seed 3
# The reference: the CLI on a copy of the same session.
cp "$S" "$T/ref.db"
hs --session "$T/ref.db" cluster gmm ref --k 2..4 --csv >"$T/ref.csv"
is "$(head -1 "$T/ref.csv")" "k,loglik_mean,bic,aic" "the CLI's --csv"

cd "$T" || exit 1
tui_start main 80 24 -- --session "$S"
wait_screen main 'row 1 of' >/dev/null
keys main 0
expect_screen main "Clusters of 'demo'" "0 shows the clusters view"
expect_screen main 'method gmm \(m\)  covariance full \(c\)  K 2\.\.8' "its form: gmm, full, K 2..8"
keys main r
expect_screen main ':clust-range' "r types the range"
keys main '2..4' Enter
expect_screen main 'K 2\.\.4 ' "the range is 2..4"
keys main f
expect_long main 'stored as column clusters' "f fits and stores the clusters"
scr=$(screen main)
like "$scr" 'K +loglik/ev +BIC +AIC' "the table of K"
like "$scr" "BIC, AIC" "the plot's axis"
like "$scr" "(⠉|⠑|⠢|⢄|⡇|⢸|⣀|⠤)" "the plot is drawn in braille"
like "$scr" "clusters K" "against K"
like "$scr" 'cluster +events +signal +background +purity +sig\.frac' "the table of clusters"

# The K table against the CLI's --csv, to the 6 digits shown.
want=$(tail -n +2 "$T/ref.csv" | awk -F, '{ printf "%s %.6g %.6g %.6g\n", $1, $2, $3, $4 }')
got=$(printf '%s\n' "$scr" | awk '/K +loglik\/ev +BIC +AIC/ { on = 1; next }
    on && $1 ~ /^[0-9]+$/ { print $1, $2, $3, $4; n++ } n == 3 { exit }')
is "$got" "$want" "log-likelihood per event, BIC and AIC are the CLI's"
chosen=$(tail -n +2 "$T/ref.csv" | sort -t, -k3 -g | head -1 | cut -d, -f1)
like "$scr" "K = $chosen \(lowest BIC\): $chosen clusters of 5000 events" "the lowest BIC's K ($chosen) is shown"

# The column and the table against python on the stored column.
is "$(hs --session "$S" sql --csv "select count(clusters), min(clusters), max(clusters) from events('demo')" | tail -1)" \
    "5000,1,$chosen" "the column holds K = $chosen clusters for every event"
like "$(hs --session "$S" journal)" 'cluster --dataset demo --k 2\.\.4 --covariance full gmm clusters' \
    "the store is journaled as the cluster command's line"
ok "export the events" hs --session "$S" export demo -o "$T/e.csv" --features
table() { # the clusters, purity and ARI that python computes from column $1
    "$PY" - "$T/e.csv" "$1" <<'PY'
import csv, sys
from sklearn.metrics import adjusted_rand_score
rows = list(csv.DictReader(open(sys.argv[1])))
col = sys.argv[2]
lab = [r["Truth"] for r in rows]
ids = [int(float(r[col])) for r in rows]
maj = 0
for c in sorted(set(ids)):
    s = sum(1 for i, l in zip(ids, lab) if i == c and float(l) == 1)
    b = sum(1 for i, l in zip(ids, lab) if i == c and float(l) == 0)
    maj += max(s, b)
    print("%d %d %d %d %.4f %.4f" % (c, s + b, s, b, max(s, b) / (s + b), s / (s + b)))
print("purity %.4f, adjusted Rand index %.4f" % (maj / len(ids), adjusted_rand_score(lab, ids)))
PY
}
shown() { # the view's clusters and the line under them
    screen main | awk '/cluster +events +signal/ { on = 1; next }
        on && $1 ~ /^[0-9]+$/ { print $1, $2, $3, $4, $5, $6; next }
        on && /^ purity/ { sub(/ against the label.*/, ""); sub(/^ /, ""); print; exit }'
}
is "$(shown)" "$(table clusters)" "sizes, signal, background, purity, signal fraction and ARI are python's"

# Up, a: the K above is stored instead, through `cluster ... --k K`.
up=$((chosen - 1))
keys main Up
expect_screen main "K = $up: $up clusters of 5000 events \(a stores it as clusters\)" "Up shows K = $up"
keys main a
expect_long main "K = $up: $up clusters of 5000 events, stored as column clusters" "a stores it"
is "$(hs --session "$S" sql --csv "select count(clusters), max(clusters) from events('demo')" | tail -1)" \
    "5000,$up" "the column holds K = $up clusters now"
like "$(hs --session "$S" journal)" "cluster --dataset demo --k $up --covariance full gmm clusters" \
    "journaled as cluster --k $up"
ok "export again" hs --session "$S" export demo -o "$T/e.csv" --features
is "$(shown)" "$(table clusters)" "its table is python's too"

# Esc: a long fit (K 2..30) cancelled; the last result stays, shown and stored.
keys main r
expect_screen main ':clust-range' "r again"
keys main '2..30' Enter
keys main f
expect_screen main '\[[#-]+\] +[0-9]+%.*\(Esc cancels\)' "a progress bar while it fits"
keys main Escape
expect_long main 'cancelled: the last result stays' "Esc cancels it"
scr=$(screen main)
like "$scr" "K = $up: $up clusters of 5000 events, stored as column clusters" "the last result is still shown"
like "$scr" 'K +loglik/ev +BIC +AIC' "with its table of K"
is "$(hs --session "$S" sql --csv "select count(clusters), max(clusters) from events('demo')" | tail -1)" \
    "5000,$up" "and the stored column is unchanged"

# s saves the figure.
keys main s
png="hepscope-demo-clusters-clusters.png"
expect_screen main "saved $png" "s saves the figure, its path in the status line"
i=0; while [ $i -lt 100 ] && [ ! -s "$T/$png" ]; do sleep 0.05; i=$((i + 1)); done
is "$(head -c 8 "$T/$png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a" "a PNG"

keys main q
is "$(wait_exit main)" 0 "q quits"
done_testing

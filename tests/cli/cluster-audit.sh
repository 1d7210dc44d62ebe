#!/bin/bash
# hepscope cluster, option by option as issue 14 lists them: --csv's
# header and BIC and AIC recomputed by awk from its mean log-likelihood
# with the free parameters of full and diagonal covariances; the chosen
# K's table (size, signal, purity, signal fraction) recounted by sqlite3
# over the exported column; the hard assignment the most probable
# cluster of NAME_p1 ...; --projection; figures; bad input refused with
# the session file as it was.
. "$HS_SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null || skip_all "no sqlite3 shell"
F=doca,ip,m_mumu
exits 0 "a small demo" hs --session "$S" demo --n-signal 300 --n-background 2700 --seed 2

# ---- --csv: BIC = -2 n ll + p ln n, AIC = -2 n ll + 2 p ---------------------
# bicaic D FULL: "ok" when every row's BIC and AIC follow from its mean
# log-likelihood, n = 3000 and p = k d + k (d(d+1)/2 or d) + k - 1.
bicaic() {
    awk -F, -v d="$1" -v full="$2" -v n=3000 '
        NR == 1 { next }
        { k = $1; p = k * d + k * (full ? d * (d + 1) / 2 : d) + k - 1
          ll = $2 * n; b = -2 * ll + p * log(n); a = -2 * ll + 2 * p
          if ((b - $3) ^ 2 > (1e-9 * b) ^ 2 || (a - $4) ^ 2 > (1e-9 * a) ^ 2) bad = bad " k=" k }
        END { print bad == "" ? "ok" : "off at" bad }'
}
exits 0 "gmm --k 2..5 --csv" hs --session "$S" cluster gmm g --features $F --k 2..5 --csv
is "$(head -1 "$T/.out")" "k,loglik_mean,bic,aic" "the header, exactly"
is "$(tail -n +2 "$T/.out" | cut -d, -f1 | tr '\n' ' ')" "2 3 4 5 " "one row per K"
is "$(bicaic 3 1 <"$T/.out")" ok "full covariances: BIC and AIC from the log-likelihood"
exits 0 "gmm --covariance diag --csv" hs --session "$S" cluster gmm g --features $F --k 2..4 --covariance diag --csv
is "$(bicaic 3 0 <"$T/.out")" ok "diagonal covariances: BIC and AIC with k d variances"
exits 0 "gmm --k 3 --starts 2 --probabilities" hs --session "$S" cluster gmm g --features $F --k 3 --starts 2 --probabilities
out=$(cat "$T/.out")
like "$out" "K = 3 \(as asked\)" "one K is the chosen one"
like "$(hs --session "$S" sql --csv "select options from outputs where name = 'g'" | tail -1)" \
    "--starts 2" "--starts is stored"

# ---- the cluster table against sqlite3 over the export -----------------------
exits 0 "export with the clusters" hs --session "$S" export demo -o "$T/e.csv" --features
sqlite3 "$T/ref.db" ".import --csv $T/e.csv ev"
tab=$(sqlite3 -separator ' ' "$T/ref.db" "select cast(g as int), count(*), sum(Truth = '1'), sum(Truth = '0'),
        printf('%.4f', max(sum(Truth = '1'), sum(Truth = '0')) * 1.0 / count(*)),
        printf('%.4f', sum(Truth = '1') * 1.0 / count(*)) from ev group by cast(g as int) order by 1")
said=$(printf '%s\n' "$out" | awk '/^cluster +events/ { on = 1; next } on && NF != 6 { on = 0 } on { print $1, $2, $3, $4, $5, $6 }')
is "$said" "$tab" "size, signal, background, purity and signal fraction as sqlite3 counts them"
# The hard assignment is the most probable cluster.
arg=$(sqlite3 "$T/ref.db" "select count(*) from ev where cast(g as int) <> case
        when cast(g_p1 as real) >= cast(g_p2 as real) and cast(g_p1 as real) >= cast(g_p3 as real) then 1
        when cast(g_p2 as real) >= cast(g_p3 as real) then 2 else 3 end")
is "$arg" 0 "every event's cluster is its most probable one"
is "$(sqlite3 "$T/ref.db" "select sum(abs(g_p1 + g_p2 + g_p3 - 1) > 1e-12) from ev")" 0 "probabilities sum to 1"

# ---- k-means, --projection, figures ------------------------------------------
exits 0 "a projection" hs --session "$S" project pca pc --features $F
exits 0 "kmeans on it, K 2..4, a PDF" hs --session "$S" cluster kmeans km --projection pc --k 2..4 -o "$T/km.pdf"
like "$(cat "$T/.out")" "kmeans, 2 inputs, 3000 events fitted, K 2 to 4" "the projection's two columns"
is "$(head -c 5 "$T/km.pdf")" "%PDF-" "a PDF"
exits 0 "gmm, an SVG" hs --session "$S" cluster gmm g2 --features $F --k 2..3 -o "$T/g.svg"
ok "an SVG" grep -q "<svg" "$T/g.svg"

# ---- bad input ---------------------------------------------------------------
dump() { sqlite3 "$S" .dump | md5sum; }
before=$(dump)
exits 1 "an unknown method" hs --session "$S" cluster dbscan x --features $F
like "$(cat "$T/.err")" "no method 'dbscan' here \(methods: kmeans, gmm\)" "names the methods"
for k in 0 8..2 0..3 2.. ..3 2..65 a 2..x; do
    exits 1 "--k $k" hs --session "$S" cluster gmm x --features $F --k "$k"
    like "$(cat "$T/.err")" "--k wants a number of clusters or a range A..B, from 1 to 64, not '$k'" "--k $k: says what --k takes"
done
exits 1 "--covariance spherical" hs --session "$S" cluster gmm x --features $F --covariance spherical
like "$(cat "$T/.err")" "--covariance takes full or diag, not 'spherical'" "says what --covariance takes"
exits 1 "a projection that does not exist" hs --session "$S" cluster gmm x --projection nope
like "$(cat "$T/.err")" "no projection or clustering 'nope'" "says so"
exits 1 "--starts 0" hs --session "$S" cluster kmeans x --features $F --starts 0
exits 1 "kmeans --probabilities" hs --session "$S" cluster kmeans x --features $F --probabilities
is "$(dump)" "$before" "the session file is as it was (sqlite3 .dump)"

done_testing

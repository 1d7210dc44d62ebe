#!/bin/bash
# Stored projections and clusterings beside the models: `model list`
# lists them (name, dataset, kind, method, points, columns, key figures),
# `model drop NAME` removes one and its learned columns; a name that is
# nothing, or that is in two datasets, is an error (exit 1) that leaves
# the session as it was.  The k-means inertia listed is checked against
# the one worked out here (awk) from the stored clusters.
. "$HS_SRCDIR/tests/lib.sh"

# Three blobs in 3-D (a deterministic generator: no Python needed), two
# datasets of them.
awk 'BEGIN {
    print "a,b,c,Truth"; s = 12345
    for (i = 0; i < 600; i++) {
        k = i % 3
        for (j = 0; j < 3; j++) { s = (s * 1103515245 + 12345) % 2147483648; u[j] = s / 2147483648 - 0.5 }
        printf "%.10f,%.10f,%.10f,%d\n", 8 * (k == 1) + u[0], 9 * (k == 2) + u[1], 3 * k + u[2], k == 2
    }
}' >"$T/blobs.csv"
exits 0 "import" hs --session "$S" import "$T/blobs.csv" --label Truth
exits 0 "import again as 'other'" hs --session "$S" import "$T/blobs.csv" --name other --label Truth

exits 0 "an empty list" hs --session "$S" model list
like "$(cat "$T/.out")" "no projections or clusterings yet" "says there are none"

exits 0 "project pca" hs --session "$S" --dataset blobs project pca pc --features a,b,c
trust=$(sed -n 's/^trustworthiness \([0-9.]*\) .*/\1/p' "$T/.out")
exits 0 "cluster kmeans" hs --session "$S" --dataset blobs cluster kmeans km --features a,b,c --k 3
exits 0 "cluster gmm" hs --session "$S" --dataset blobs cluster gmm gm --features a,b,c --k 3 --probabilities
bic=$(awk -F, 'NR > 1 { printf "%.1f", $3 }' <(hs --session "$S" --dataset blobs cluster gmm tmp --features a,b,c --k 3 --csv))
exits 0 "drop the csv run" hs --session "$S" model drop tmp

exits 0 "model list" hs --session "$S" model list
out=$(cat "$T/.out")
like "$out" "projections and clusterings:" "a table of them"
like "$out" "pc +blobs +projection +pca +600/600 +pc_1, pc_2 +trustworthiness $trust" "the projection, its columns and trustworthiness"
like "$out" "km +blobs +clustering +kmeans +600/600 +km +K 3, inertia " "the k-means clustering"
like "$out" "gm +blobs +clustering +gmm +600/600 +gm, gm_p1, gm_p2, gm_p3 +K 3, log-likelihood .* per event, BIC $bic, AIC " "the mixture with its BIC"
ok "no model listed as one" test "$(printf '%s\n' "$out" | head -1)" = "no models yet (hepscope train NAME)"

# The inertia listed against the clusters stored: standardised a, b, c
# (sd divisor n), squared distances to each cluster's mean.
exits 0 "export the clusters" hs --session "$S" export blobs -o "$T/e.csv" --features
listed=$(printf '%s\n' "$out" | sed -n 's/.*K 3, inertia \([0-9.e+]*\).*/\1/p')
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { n++; for (j = 0; j < 3; j++) { x[n, j] = $col[substr("abc", j + 1, 1)]; s[j] += x[n, j] } id[n] = $col["km"] }
    END {
        for (j = 0; j < 3; j++) { m[j] = s[j] / n; for (i = 1; i <= n; i++) q[j] += (x[i, j] - m[j]) ^ 2; sd[j] = sqrt(q[j] / n) }
        for (i = 1; i <= n; i++) { c = id[i]; cnt[c]++; for (j = 0; j < 3; j++) { z[i, j] = (x[i, j] - m[j]) / sd[j]; cs[c, j] += z[i, j] } }
        for (i = 1; i <= n; i++) { c = id[i]; for (j = 0; j < 3; j++) t += (z[i, j] - cs[c, j] / cnt[c]) ^ 2 }
        printf "%.10g", t
    }' "$T/e.csv")
ok "the inertia listed ($listed) is the clusters' ($want)" near "$listed" "$want" 1e-5

# Failures leave the session as it was.
state() { hs --session "$S" sql --csv "select (select group_concat(dataset || ':' || name) from outputs), (select count(*) from output_columns), (select count(*) from journal)" | tail -1; }
before=$(state)
exits 1 "drop a name that is nothing" hs --session "$S" model drop nope
like "$(cat "$T/.err")" "no model 'nope'.*no projection or clustering either \('model list' shows them all\)" "a clear error"
exits 0 "the same projection name in the other dataset" hs --session "$S" --dataset other project pca pc2 --features a,b,c
exits 0 "and in blobs" hs --session "$S" --dataset blobs project pca pc2 --features a,b,c
before=$(state)
exits 1 "an ambiguous name" hs --session "$S" model drop pc2
like "$(cat "$T/.err")" "'pc2' is a projection or clustering of datasets 'blobs', 'other': name one with --dataset" "says which datasets"
exits 1 "a name of the other dataset only, asked in blobs" hs --session "$S" --dataset blobs model drop nope
is "$(state)" "$before" "failed drops leave outputs, columns and journal as they were"

# Dropping: the output and its learned columns go, the rest stays.
exits 0 "drop the projection" hs --session "$S" model drop pc
like "$(cat "$T/.out")" "dropped projection 'pc' of dataset 'blobs' \(columns pc_1, pc_2\)" "says what went"
is "$(hs --session "$S" sql --csv "select count(*) from output_columns where name like 'pc\_%' escape '\\'" | tail -1)" 0 "its columns are gone"
exits 1 "pc_1 is no column any more" hs --session "$S" --dataset blobs hist pc_1
exits 0 "drop pc2 of the other dataset" hs --session "$S" --dataset other model drop pc2
like "$(cat "$T/.out")" "dropped projection 'pc2' of dataset 'other'" "the one of that dataset"
exits 0 "drop the mixture" hs --session "$S" model drop gm
like "$(cat "$T/.out")" "dropped clustering 'gm' of dataset 'blobs' \(columns gm, gm_p1, gm_p2, gm_p3\)" "with its probabilities"
exits 0 "list again" hs --session "$S" model list
out=$(cat "$T/.out")
ok "pc and gm are not listed" test -z "$(printf '%s\n' "$out" | grep -E '^(pc|gm) ')"
like "$out" "km +blobs" "km stays"
like "$out" "pc2 +blobs" "blobs' pc2 stays"
is "$(hs --session "$S" sql --csv "select group_concat(name) from (select name from output_columns order by name)" | tail -1)" '"km,pc2_1,pc2_2"' "the columns left"
exits 0 "a dropped name may be used again" hs --session "$S" --dataset blobs project pca pc --features a,b,c

# Beside a model: both tables; a model's name drops the model alone.
exits 0 "train a model" hs --session "$S" --dataset blobs train mdl --epochs 2
exits 0 "list both" hs --session "$S" model list
out=$(cat "$T/.out")
like "$out" "^name +dataset +inputs +model" "the models first"
like "$out" "mdl +blobs +3 " "the model"
ok "then the outputs" awk '/^mdl / { m = NR } /^projections and clusterings:/ { p = NR } /^km +blobs/ { k = NR } END { exit !(m && m < p && p < k) }' "$T/.out"
exits 0 "drop the model" hs --session "$S" model drop mdl
like "$(cat "$T/.out")" "dropped model 'mdl'" "the model went"
is "$(hs --session "$S" sql --csv "select count(*) from outputs" | tail -1)" 3 "the outputs stayed"

done_testing

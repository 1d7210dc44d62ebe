#!/bin/bash
# `feature add` and `feature on` of a learned column say which
# projection, clustering or model made it: a projection's coordinate, a
# clustering's cluster numbers and its probabilities; a new feature named
# like one says whose name it is.  Nothing is stored by a refusal.
. "$HS_SRCDIR/tests/lib.sh"

exits 0 "a small demo" hs --session "$S" demo --n-signal 200 --n-background 600 --seed 5
exits 0 "a pca projection" hs --session "$S" project pca p --features doca,ip
exits 0 "a t-SNE projection" hs --session "$S" project tsne tsne1 --features doca,ip --n 300
exits 0 "a k-means clustering" hs --session "$S" cluster kmeans km --features doca,ip --k 3
exits 0 "a gmm clustering with probabilities" \
    hs --session "$S" cluster gmm g --features doca,ip --k 2 --probabilities
exits 0 "a model" hs --session "$S" train f --method fisher

before=$(hs --session "$S" features --csv | cut -d, -f1 | sort | tr '\n' ' ')
tail='; derived features take only raw columns and other derived features'
reads() { # COLUMN ORIGIN
    exits 1 "feature add reading $1" hs --session "$S" feature add r "$1 * 2"
    is "$(cat "$T/.err")" "hepscope: feature 'r': '$1' is a learned column ($2)$tail" \
        "feature add reading $1 names its origin"
}
reads p_2 "coordinate 2 of the pca projection 'p'"
reads tsne1_1 "coordinate 1 of the tsne projection 'tsne1'"
reads km "the cluster numbers of the kmeans clustering 'km'"
reads g "the cluster numbers of the gmm clustering 'g'"
reads g_p2 "the probability of cluster 2 of the gmm clustering 'g'"
reads f "a model's score"

exits 1 "feature on tsne1_2" hs --session "$S" feature on tsne1_2
is "$(cat "$T/.err")" "hepscope: feature 'tsne1_2' is a learned column (coordinate 2 of the tsne projection 'tsne1'): it is never a default input; name it in --features" \
    "feature on names the projection"
exits 1 "feature add named km" hs --session "$S" feature add km "doca * 2"
is "$(cat "$T/.err")" "hepscope: feature 'km': the name is taken by a learned column (the cluster numbers of the kmeans clustering 'km')" \
    "a taken name says whose"
exits 1 "feature add named p_1" hs --session "$S" feature add p_1 "doca * 2"
like "$(cat "$T/.err")" "the name is taken by a learned column \\(coordinate 1 of the pca projection 'p'\\)" \
    "a coordinate's name says whose"
exits 1 "feature add named doca" hs --session "$S" feature add doca "ip * 2"
is "$(cat "$T/.err")" "hepscope: feature 'doca': the name is taken" "a raw column's name: taken"

is "$(hs --session "$S" features --csv | cut -d, -f1 | sort | tr '\n' ' ')" "$before" \
    "refused: no feature added"

# The message follows the stored output: replaced by another method, the
# column is another's.
exits 0 "p again, by t-SNE" hs --session "$S" project tsne p --features doca,ip --n 300
reads p_1 "coordinate 1 of the tsne projection 'p'"

done_testing

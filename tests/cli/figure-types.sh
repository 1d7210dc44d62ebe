#!/bin/bash
# The file types of -o: every command that draws a figure (plot, roc,
# project, cluster, overtrain, groups) takes .png, .svg and .pdf in any
# case, as the renderer does, and refuses any other name before its work
# with one message that names the option, the file and the types: exit 1,
# no file, the session as it was.
. "$HS_SRCDIR/tests/lib.sh"

exits 0 "a small demo" hs --session "$S" demo --n-signal 300 --n-background 700 --seed 2
exits 0 "a model" hs --session "$S" train f --method fisher

state() { hs --session "$S" journal; hs --session "$S" model list; }
before=$(state)

i=0
for cmd in "plot hist doca" "plot grid" "roc f" "project pca p --features doca,ip" \
    "cluster kmeans k --features doca,ip --k 2" "overtrain f" "groups f"; do
    i=$((i + 1))
    for bad in "x$i.jpg" "x$i.png.txt" "x$i" "d$i.png/x"; do
        # shellcheck disable=SC2086 # the command's words
        exits 1 "$cmd -o $bad: a usage error" hs --session "$S" $cmd -o "$T/$bad"
        is "$(cat "$T/.err")" "hepscope: -o wants a file ending in .png, .svg or .pdf, not '$T/$bad'" \
            "$cmd -o $bad: the one message"
        ok "$cmd -o $bad: no file" test ! -e "$T/$bad"
    done
done
is "$(state)" "$before" "refused before the work: nothing journalled or stored"

# Any case, and the file is of the type its extension names.
magic() { head -c "$2" "$1" | od -An -c | tr -d ' \n'; }
exits 0 "plot hist -o X.PNG" hs --session "$S" plot hist doca -o "$T/X.PNG"
is "$(head -c 8 "$T/X.PNG" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a" "X.PNG is a PNG"
exits 0 "roc -o R.Svg" hs --session "$S" roc f -o "$T/R.Svg"
like "$(head -c 300 "$T/R.Svg")" "<svg" "R.Svg is an SVG"
exits 0 "project -o P.PDF" hs --session "$S" project pca p --features doca,ip -o "$T/P.PDF"
is "$(magic "$T/P.PDF" 5)" "%PDF-" "P.PDF is a PDF"
exits 0 "cluster -o K.pNg" hs --session "$S" cluster kmeans k --features doca,ip --k 2 -o "$T/K.pNg"
is "$(head -c 8 "$T/K.pNg" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a" "K.pNg is a PNG"

# --help says the same types as the message.
for c in plot roc project cluster overtrain groups; do
    like "$(hs "$c" --help)" "-o, --output FILE +save the figure as \\.png, \\.svg or \\.pdf" \
        "$c --help: the types of -o"
done

done_testing

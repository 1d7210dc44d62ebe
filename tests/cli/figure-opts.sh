#!/bin/bash
# The options every figure takes: -o with --draw draws and saves, and the
# user's --title, --xlabel and --ylabel replace the figure's own labels,
# in the terminal and in the file (the PNG records its command line).
. "$HS_SRCDIR/tests/lib.sh"

exits 0 "a small demo" hs --session "$S" demo --n-signal 400 --n-background 600
exits 0 "a model" hs --session "$S" train f --method fisher

labels=(--title "Impact, my way" --xlabel "ip in cm" --ylabel "how many")
for cmd in "plot hist ip" "roc f --draw" "overtrain f"; do
    # shellcheck disable=SC2086 # the command's words
    exits 0 "$cmd with -o and --draw" hs --session "$S" $cmd --ascii -o "$T/fig.png" --draw \
        "${labels[@]}"
    ok "$cmd: the file is written" test -s "$T/fig.png"
    is "$(head -c 8 "$T/fig.png" | od -An -tx1 | tr -d ' \n')" "89504e470d0a1a0a" "$cmd: a PNG"
    like "$(cat "$T/.out")" "Impact, my way" "$cmd: drawn here too, with the title given"
    like "$(cat "$T/.out")" "ip in cm" "$cmd: and the x label"
    like "$(cat "$T/.out")" "how many" "$cmd: and the y label"
    rm -f "$T/fig.png"
done

exits 0 "without --draw a file only" hs --session "$S" plot hist ip -o "$T/only.png"
is "$(cat "$T/.out")" "" "nothing drawn here"
exits 0 "roc without -o or --draw: the table only" hs --session "$S" roc f --title T
ok "no figure" sh -c "! grep -q '+----' '$T/.out'"
exits 1 "--title wants text" hs --session "$S" plot hist ip --title
done_testing

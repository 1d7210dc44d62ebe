#!/bin/bash
# Output a terminal can trust: names from files and planted session rows
# that hold escape sequences reach a terminal with their control
# characters shown ("\x1b"), never raw; output to files and pipes stays
# byte for byte; a dataset name taken from a file name with a control
# character is refused, as --name is.
. "$HS_SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null || skip_all "no sqlite3 shell to plant rows"
command -v script >/dev/null || skip_all "no script(1) for a pseudo-terminal"

# script(1) runs its command with $SHELL, which is sh on a CI machine;
# the words below are quoted by bash's printf %q ($'\E...'), so bash it is.
export SHELL="$BASH"

# Run hepscope on a pseudo-terminal (stdout and stderr both); its words
# are passed through the environment so that no quoting is needed.
on_tty() {
    HS_WORDS=$(printf '%q ' "$HS_BIN" --session "$S" "$@") \
        script -qec 'eval "$HS_WORDS"' /dev/null </dev/null
}
esc=$(printf '\033')
bad=$(printf 'a\033[31m')

awk 'BEGIN { srand(3); print "x,y,tag,label"
    for (i = 0; i < 200; i++) printf "%.4f,%.4f,t%c[2J%d,%d\n", rand() + i % 2, rand(), 27, i, i % 2 }' \
    >"$T/ev.csv"
cp "$T/ev.csv" "$T/$bad.csv"

exits 1 "a file name with a control character gives no dataset name" \
    hs --session "$S" import "$T/$bad.csv" --label label --text tag
like "$(cat "$T/.err")" "control character: name the dataset with --name" "and says to use --name"
exits 1 "nor a background group name" hs --session "$S" import --signal-file "$T/ev.csv" \
    --background-file "$T/$bad.csv" --name sb
exits 1 "nor when opened as 'hepscope FILE'" hs --session "$S" "$T/$bad.csv"
exits 0 "with --name it imports" hs --session "$S" import "$T/$bad.csv" --name ev --label label \
    --text tag
exits 0 "a model" hs --session "$S" train m --method fisher --dataset ev

# Rows planted by another program: a dataset's name and source, a journal
# line that retitles the window and clears the screen, a model's options.
sqlite3 "$S" "UPDATE datasets SET source = source || char(27) || '[31m';
    INSERT INTO journal(time, command)
        VALUES ('2024-01-01T00:00:00Z', 'import ' || char(27) || ']0;pwned' || char(7) ||
                char(27) || '[2J');
    UPDATE models SET options = options || char(27) || '[5m'"

out=$(on_tty journal)
like "$out" 'pwned' "journal on a terminal: the planted line is there"
ok "journal on a terminal: no ESC byte" test "${out/$esc/}" = "$out"
like "$out" 'import \\x1b\]0;pwned\\x07\\x1b\[2J' "journal on a terminal: shown as \\x1b"
ok "journal to a pipe: as stored" bash -c '"$0" --session "$1" journal | grep -q "$2"' \
    "$HS_BIN" "$S" "$(printf '\033]0;pwned\a')"

out=$(on_tty info ev)
like "$out" 'source .*\\x1b\[31m' "info on a terminal: the source shown"
ok "info on a terminal: no ESC byte" test "${out/$esc/}" = "$out"

out=$(on_tty model show m)
like "$out" 'options: .*\\x1b\[5m' "model show on a terminal: the options shown"
ok "model show on a terminal: no ESC byte" test "${out/$esc/}" = "$out"

# C1 controls and broken UTF-8 are shown too; good UTF-8 passes.
sqlite3 "$S" "INSERT INTO journal(time, command)
    VALUES ('2024-01-02T00:00:00Z', 'note ' || char(155) || '31m é ' || CAST(x'ff' AS TEXT))"
out=$(on_tty journal)
like "$out" 'note \\u009b31m é \\xff' "C1 as \\u009b, a stray byte as \\xff, é kept"

# Files stay byte for byte, even when hepscope runs on a terminal.
on_tty export ev -o "$T/tty.csv" >/dev/null
hs --session "$S" export ev -o "$T/pipe.csv"
ok "export -o FILE on a terminal: the escapes kept" grep -q "t$esc\[2J7" "$T/tty.csv"
ok "export -o FILE: the same bytes on a terminal or not" cmp "$T/tty.csv" "$T/pipe.csv"

# A plot on a terminal keeps its own colours (written past the layer) but
# shows a planted column name's escape as '?'.
sqlite3 "$S" "UPDATE columns SET name = 'x' || char(27) || '[5m' WHERE name = 'x'"
out=$(HS_WORDS=$(printf '%q ' "$HS_BIN" --session "$S" plot hist "x$esc[5m" --dataset ev) \
    script -qec 'stty cols 80 rows 24; eval "$HS_WORDS"' /dev/null </dev/null)
like "$out" "$esc\[0;" "plot on a terminal: its colours kept"
like "$out" 'x\?\[5m' "plot on a terminal: the name's escape shown as '?'"
ok "plot on a terminal: not the name's escape" test "${out/$esc[5m/}" = "$out"

# Line by line, as a terminal's stdout is: a long training's first lines
# show while it runs, not when it ends.
(sleep 10 | HS_WORDS=$(printf '%q ' "$HS_BIN" --session "$S" train slow --dataset ev \
    --layers 8 --epochs 100000 --patience 0 --threads 1) \
    script -qec 'eval "$HS_WORDS"' /dev/null) >"$T/slow.out" 2>&1 &
seen=no
for _ in $(seq 300); do
    grep -q "training 'slow'" "$T/slow.out" && seen=yes && break
    sleep 0.01
done
pid=$(pgrep -f -x "$HS_BIN --session $S train slow .*")
is "$seen,$([ -n "$pid" ] && echo running)" "yes,running" "a long command's lines show while it runs"
[ -n "$pid" ] && kill -INT $pid
for _ in $(seq 300); do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
done

# Messages on a terminal quote names safely too.
out=$(on_tty import "$T/$bad.csv")
like "$out" "a\\\\x1b\[31m.csv' holds a control character" "the error on a terminal: shown"
ok "the error on a terminal: no ESC byte" test "${out/$esc/}" = "$out"

done_testing

#!/bin/sh
# CLI basics: help, version, the grammar of options, exit codes of usage
# errors, a read command on a missing session.
. "$HS_SRCDIR/tests/lib.sh"

printf 'a,b\n1,2\n3,4\n' >"$T/small.csv"

exits 0 "--help exits 0" hs --help
like "$(cat "$T/.out")" "usage: hepscope" "--help prints the usage"
like "$(cat "$T/.out")" "import" "--help lists import"
is "$(cat "$T/.err")" "" "--help writes nothing to stderr"
exits 0 "-h exits 0" hs -h
exits 0 "--version exits 0" hs --version
like "$(head -1 "$T/.out")" "^hepscope [0-9]+\.[0-9]+" "--version names the version"
exits 0 "help exits 0" hs help
like "$(cat "$T/.out")" "datasets" "help lists the commands"
exits 0 "help import exits 0" hs help import
like "$(cat "$T/.out")" "--signal-file" "help import shows its options"

# Every command has --help, with its usage and options, and needs no session.
for c in import datasets info drop rename sql export journal help; do
    exits 0 "$c --help exits 0" hs "$c" --help
    like "$(cat "$T/.out")" "usage: hepscope $c" "$c --help shows the usage"
    like "$(cat "$T/.out")" "--help" "$c --help lists --help"
done
ok "--help creates no session" test ! -e "$XDG_DATA_HOME/hepscope/default.db"
exits 0 "--help after arguments" hs import nothere.csv --help
like "$(cat "$T/.out")" "--no-header" "import --help lists --no-header"
like "$(cat "$T/.out")" "--session" "import --help lists the global options"

# Usage errors: exit 1, "hepscope CMD: ...", and a hint.
exits 1 "unknown option exits 1" hs import --foo "$T/small.csv"
like "$(head -1 "$T/.err")" "^hepscope import: unknown option '--foo'" "unknown option is named"
like "$(cat "$T/.err")" "hepscope import --help" "unknown option hints at --help"
exits 1 "unknown option with a value" hs datasets --bar=3
like "$(cat "$T/.err")" "unknown option '--bar'" "--bar=3 is named without its value"
exits 1 "unknown command exits 1" hs frobnicate
like "$(cat "$T/.err")" "unknown command 'frobnicate'" "unknown command is named"
exits 1 "unknown global option exits 1" hs --frob datasets
exits 1 "missing option value exits 1" hs import "$T/small.csv" --name
like "$(cat "$T/.err")" "needs a value" "missing value is said"
exits 1 "flag with a value exits 1" hs import --replace=yes "$T/small.csv"
exits 1 "too many arguments exits 1" hs drop a b
like "$(cat "$T/.err")" "unexpected argument 'b'" "the extra argument is named"
exits 1 "too few arguments exits 1" hs rename onlyone
exits 1 "bad --threads exits 1" hs --threads lots datasets
exits 1 "bad --rows exits 1" hs import --rows 0 "$T/small.csv"
exits 1 "bad --delimiter exits 1" hs import --delimiter ab "$T/small.csv"
exits 1 "help of an unknown command" hs help frobnicate
ok "usage errors create no session" test ! -e "$XDG_DATA_HOME/hepscope/default.db"

# A read command on a session that does not exist: exit 3, nothing made.
exits 3 "datasets without a session exits 3" hs --session "$T/none/s.db" datasets
like "$(cat "$T/.err")" "^hepscope: no session at .*none/s.db" "the missing session is named"
ok "the read command created nothing" test ! -e "$T/none"
exits 3 "info without a session exits 3" hs info --session "$T/none.db"
ok "no file for info" test ! -e "$T/none.db"
exits 3 "sql without a session exits 3" hs sql "select 1" --session "$T/none.db"
exits 3 "drop without a session exits 3" hs drop x --session "$T/none.db"
exits 3 "rename without a session exits 3" hs rename x y --session "$T/none.db"
exits 3 "journal without a session exits 3" hs journal --session "$T/none.db"
ok "drop, rename and journal created nothing" test ! -e "$T/none.db"

# The default session lives under XDG_DATA_HOME.
exits 0 "import into the default session" hs import "$T/small.csv"
ok "default session under XDG_DATA_HOME" test -f "$XDG_DATA_HOME/hepscope/default.db"
is "$(cat "$T/.err")" "" "import writes nothing to stderr"
exits 0 "datasets on the default session" hs datasets --csv
is "$(cat "$T/.out")" "name,rows,columns,labelled
small,2,2,no" "the default session holds the import"
unset XDG_DATA_HOME
exits 0 "import with HOME only" hs import "$T/small.csv"
ok "fallback default session under HOME" test -f "$HOME/.local/share/hepscope/default.db"
export XDG_DATA_HOME="$T/xdg"

# Global options before or after the command, --opt=value and --opt value.
exits 0 "--session before the command" hs --session "$S" import "$T/small.csv"
exits 0 "--session= after the command" hs datasets --csv --session="$S"
is "$(tail -1 "$T/.out")" "small,2,2,no" "--session=S works after the command"
exits 0 "--threads accepted" hs datasets --threads 2 --session "$S"
exits 0 "--threads= before" hs --threads=1 --session "$S" datasets
exits 0 "--dataset accepted by info" hs info --dataset small --session "$S"
exits 0 "-- ends the options" hs --session "$S" sql -- "select 1"
is "$(cat "$T/.out")" "1
1" "sql after -- runs"

# hepscope FILE with an unreadable file: bad data, not usage.
exits 2 "a missing data file exits 2" hs "$T/nothere.csv"
like "$(cat "$T/.err")" "nothere.csv" "the missing file is named"

# hepscope FILE: import into the session (or reuse the unchanged import),
# then the TUI.  Without a terminal it is refused before anything is
# stored; on one (script(1) gives a pty; 'q' quits) the import stands.
printf 'p,q\n1,2\n3,4\n' >"$T/view.csv"
hs --session "$T/v.db" "$T/view.csv" </dev/null >/dev/null 2>"$T/err"
ok "hepscope FILE without a terminal fails" test $? -ne 0
like "$(cat "$T/err")" "terminal" "the TUI says it needs a terminal"
ok "and imports nothing" test ! -e "$T/v.db"
tui_file() { # tui_file DIR FILE: hepscope FILE on a terminal, quit at once
    (cd "$1" && printf q | script -qec "TERM=xterm '$HS_BIN' --session '$T/v.db' '$2'" \
        /dev/null >/dev/null 2>&1)
}
if command -v script >/dev/null 2>&1; then
    tui_file "$T" view.csv
    exits 0 "the file was imported" hs --session "$T/v.db" datasets --csv
    is "$(tail -1 "$T/.out")" "view,2,2,no" "imported under its stem"
    tui_file "$T" view.csv
    exits 0 "journal" hs --session "$T/v.db" journal --csv
    is "$(grep -c import "$T/.out")" 1 "an unchanged file is not imported again"
    touch -d '2001-02-03 04:05:06' "$T/view.csv"
    tui_file "$T" view.csv
    exits 0 "journal" hs --session "$T/v.db" journal --csv
    like "$(tail -1 "$T/.out")" "import --name view --replace .*view.csv" "a changed file replaces its import"
    mkdir "$T/other"
    printf 'p\n9\n' >"$T/other/view.csv"
    tui_file "$T/other" view.csv
    exits 0 "datasets" hs --session "$T/v.db" datasets --csv
    is "$(cat "$T/.out")" "name,rows,columns,labelled
view,2,2,no
view-2,1,1,no" "another file of the same stem gets a new name"
else
    for i in 1 2 3 4 5 6 7 8; do _tap_result ok "# SKIP no script(1)"; done
fi

done_testing

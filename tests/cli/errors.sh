#!/bin/sh
# errors: hostile inputs get messages that say where and what (issue 12):
# out-of-range numbers, data after a gzip stream, non-finite weights,
# reserved column names, --folds, a terminal as TUI input, TERM=dumb, a
# full disk under plot -o.  Each checks the message's parts and the exit.
. "$HS_SRCDIR/tests/lib.sh"

# Numbers that a double cannot hold: FILE:LINE:COL, exit 2, nothing stored.
printf 'a,b\n1,2\n3,1e400\n' >"$T/over.csv"
exits 2 "1e400 exits 2" hs --session "$S" import "$T/over.csv"
is "$(cat "$T/.err")" "hepscope: $T/over.csv:3:2: column 'b': '1e400' is out of range (it overflows a double; use --missing 1e400 if it marks a missing value)" \
    "1e400: file, line, column, overflow"
printf 'a,b\n-1e-400,2\n' >"$T/under.csv"
exits 2 "1e-400 exits 2" hs --session "$S" import "$T/under.csv"
is "$(cat "$T/.err")" "hepscope: $T/under.csv:2:1: column 'a': '-1e-400' is out of range (it underflows a double; use --missing -1e-400 if it marks a missing value)" \
    "-1e-400: file, line, column, underflow"
exits 0 "--missing 1e400 reads the cell as missing" hs --session "$S" import "$T/over.csv" --missing 1e400
printf 'a\n4.9e-324\n-2.4703282292062328e-324\n' >"$T/sub.csv"
exits 0 "subnormals import" hs --session "$S" import "$T/sub.csv"
exits 0 "subnormals kept" hs --session "$S" sql --csv "select count(*) from events('sub') where a <> 0"
is "$(tail -1 "$T/.out")" "2" "both subnormals are nonzero"

# gzip: members concatenate; anything else after the last is an error
# at its byte offset.
printf 'a,b\n1,2\n' | gzip -c >"$T/m.csv.gz"
printf '3,4\n' | gzip -c >>"$T/m.csv.gz"
exits 0 "two gzip members import" hs --session "$S" import "$T/m.csv.gz"
like "$(cat "$T/.out")" "^imported 'm': 2 events" "both members read"
size=$(wc -c <"$T/m.csv.gz" | tr -d ' ')
printf 'garbage\n' >>"$T/m.csv.gz"
exits 2 "trailing garbage exits 2" hs --session "$S" import "$T/m.csv.gz" --name m2
is "$(cat "$T/.err")" "hepscope: $T/m.csv.gz: byte offset $size: data after the end of the gzip stream that is not another gzip member" \
    "trailing garbage: file and byte offset"
exits 2 "trailing garbage on stdin exits 2" sh -c "\"\$HS_BIN\" --session \"$S\" import - --name m3 <\"$T/m.csv.gz\""
like "$(cat "$T/.err")" "<stdin>: byte offset $size: data after the end of the gzip stream" \
    "trailing garbage on stdin: byte offset"

# Weights: an infinite or missing one is named where it stands.
printf 'x,w\n1,2\n2,inf\n' >"$T/winf.csv"
exits 2 "an inf weight exits 2" hs --session "$S" import "$T/winf.csv" --weight w
is "$(cat "$T/.err")" "hepscope: $T/winf.csv:3:2: column 'w': the weight 'inf' is not finite" \
    "inf weight: file, line, column"
printf 'x,w\n1,2\n2,\n' >"$T/wnone.csv"
exits 2 "a missing weight exits 2" hs --session "$S" import "$T/wnone.csv" --weight w
is "$(cat "$T/.err")" "hepscope: $T/wnone.csv:3:2: column 'w': the weight is missing (an empty cell)" \
    "missing weight: file, line, column"
# Reserved names: said where they stand, with the way out (--rename).
printf 'x,_label,t\n1,2,1\n2,3,0\n' >"$T/res.csv"
exits 2 "a column _label beside --label exits 2" hs --session "$S" import "$T/res.csv" --label t
is "$(cat "$T/.err")" "hepscope: $T/res.csv:1:2: column name '_label' is reserved (the dataset gets a column of that name): import it under another name with --rename _label=NEW" \
    "_label: file, line, column, --rename"
printf 'x,_group\n1,2\n' >"$T/sig.csv"
exits 2 "a column _group beside --signal-file exits 2" hs --session "$S" import --signal-file "$T/sig.csv" --background-file "$T/sig.csv"
is "$(cat "$T/.err")" "hepscope: $T/sig.csv:1:2: column name '_group' is reserved (the dataset gets a column of that name): import it under another name with --rename _group=NEW" \
    "_group with --signal-file: file, line, column"
exits 0 "--rename _label=lab imports" hs --session "$S" import "$T/res.csv" --label t --rename _label=lab
exits 0 "the renamed column is there" hs --session "$S" sql --csv "select lab, _label from events('res')"
is "$(cat "$T/.out")" "lab,_label
2,1
3,0" "lab is the file's _label, _label the label"
exits 1 "--rename of a missing column exits 1" hs --session "$S" import "$T/res.csv" --name r2 --rename nope=y
is "$(cat "$T/.err")" "hepscope: $T/res.csv: --rename names no column 'nope' (the columns are: x, _label, t)" \
    "--rename of a missing column lists the columns"
exits 1 "--rename to a reserved name exits 1" hs --session "$S" import "$T/res.csv" --name r2 --rename x=_weight
is "$(cat "$T/.err")" "hepscope: import: --rename x=_weight: the name '_weight' is reserved" "said"
exits 1 "--rename without = exits 1" hs --session "$S" import "$T/res.csv" --name r2 --rename x

# A write that fails (here a file size limit; a full disk is the same
# path) names the file and says why.  The limit is above what opening the
# session needs (its 32 KiB -shm file) and below the figures' size.
if command -v bash >/dev/null 2>&1; then
    exits 0 "a small demo" hs --session "$T/p.db" demo --n-signal 200 --n-background 800 --seed 5
    for f in x.png x.svg; do
        exits 2 "plot -o $f over the file size limit exits 2" bash -c \
            'trap "" XFSZ; ulimit -f 40; exec "$0" --session "$1" plot hist doca --width 1600 --height 1200 -o "$2"' \
            "$HS_BIN" "$T/p.db" "$T/$f"
        ext=$(echo "${f#x.}" | tr a-z A-Z)
        like "$(cat "$T/.err")" "^hepscope: $T/$f: cannot write the $ext: (File too large|No space left on device)\$" \
            "$f: the file, what failed and why"
        ok "$f: no file and no temporary left" sh -c "! ls '$T'/x.* 2>/dev/null | grep -q ."
    done
else
    _tap_result ok "plot -o under a file size limit # SKIP no bash for ulimit -f in KiB"
fi

done_testing

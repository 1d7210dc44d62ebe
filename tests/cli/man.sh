#!/bin/sh
# man/hepscope.1 tells the truth: every command and option of the binary is
# in it.  (Its key list is checked against the key table by
# tests/tui/keys-man.sh.)
. "$HS_SRCDIR/tests/lib.sh"

MAN="$HS_SRCDIR/man/hepscope.1"

# Every command the binary lists has a section, and every option it takes
# is mentioned.
hs help | awk '/^commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }' >"$T/cmds"
ok "help lists commands" test -s "$T/cmds"
for c in $(cat "$T/cmds"); do
    ok "man page has a section for '$c'" grep -Eq "^\.SS \"?$c( |\"|$)" "$MAN"
    hs "$c" --help | grep -Eo -- '--[a-z][a-z-]*' | sort -u >"$T/opts"
    for o in $(cat "$T/opts"); do
        esc=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
        ok "man page mentions $c $o" grep -q -- "$esc" "$MAN"
    done
done

# Every option of every method is described under the command that runs
# it ('train' for classifiers, 'project' and 'cluster' for the others)
# with its default, as 'hepscope methods --csv' (the methods' own spec)
# gives it.
hs methods --csv | tail -n +2 >"$T/params"
ok "methods --csv lists parameters" test -s "$T/params"
for c in train project cluster; do
    sed -n "/^\\.SS \"$c /,/^\\.SS /p" "$MAN"
done >"$T/train-section"
while IFS= read -r row; do
    m=${row%%,*}
    rest=${row#*,}
    p=${rest%%,*}
    rest=${rest#*,}
    type=${rest%%,*}
    rest=${rest#*,}
    # the default: a quoted CSV field when it holds a comma
    case $rest in
    \"*) def=${rest#\"}; def=${def%%\"*} ;;
    *) def=${rest%%,*} ;;
    esac
    esc=$(printf '%s' "$p" | sed 's/-/\\\\-/g')
    ok "man page describes $m --$p" grep -q "^\.BR\{0,1\}I\{0,1\} \\\\-\\\\-$esc\( \|$\)" "$T/train-section"
    [ "$type" = flag ] && continue
    edef=$(printf '%s' "$def" | sed 's/-/\\\\-/g; s/\./\\./g')
    ok "man page gives $m --$p's default ($def)" sh -c \
        "awk '/^\\.BR?I? \\\\-\\\\-$esc( |\$)/ { n = 6 } n > 0 { print; n-- }' '$T/train-section' | grep -q -- '$edef'"
done <"$T/params"

# The exit codes and files are there.
for w in '^\.SH EXIT STATUS' '^\.SH ENVIRONMENT' '^\.SH FILES' '^\.SH EXAMPLES' 'XDG_DATA_HOME' 'NO_COLOR' 'default\.db'; do
    ok "man page has $w" grep -q -- "$w" "$MAN"
done
for code in 0 1 2 3 130; do
    ok "man page explains exit code $code" grep -q "^\.B $code\$" "$MAN"
done

# It formats without warnings.
if command -v groff >/dev/null 2>&1; then
    groff -man -ww -z "$MAN" >"$T/groff" 2>&1
    is "$(cat "$T/groff")" "" "groff -ww finds nothing to warn about"
else
    _tap_result ok "groff -ww finds nothing to warn about # SKIP no groff"
fi

done_testing

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

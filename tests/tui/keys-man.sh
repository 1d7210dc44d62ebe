#!/bin/sh
# The man page's key list is generated from the key table: the block
# between the BEGIN KEYS and END KEYS comment lines of man/hepscope.1 must be
# what `hepscope keys --man` prints.  HS_GENERATE=1 rewrites the block.
. "$HS_SRCDIR/tests/lib.sh"

man="$HS_SRCDIR/man/hepscope.1"
[ -f "$man" ] || skip_all "no man/hepscope.1"
hs keys --man >"$T/want" || exit 1

block() { # the lines strictly between the markers
    awk 'index($0, ".\\\" END KEYS") == 1 { on = 0 }
         on { print }
         index($0, ".\\\" BEGIN KEYS") == 1 { on = 1 }' "$1"
}

if [ -n "${HS_GENERATE:-}" ]; then
    awk -v want="$T/want" '
        index($0, ".\\\" END KEYS") == 1 { on = 0 }
        !on { print }
        index($0, ".\\\" BEGIN KEYS") == 1 {
            on = 1
            while ((getline l < want) > 0) print l
        }' "$man" >"$T/man.new" && cp "$T/man.new" "$man"
fi

ok "man/hepscope.1 has the generated key block (.\\\" BEGIN KEYS ... .\\\" END KEYS)" \
    grep -q '^\.\\" BEGIN KEYS' "$man"
block "$man" >"$T/got"
if cmp -s "$T/got" "$T/want"; then
    _tap_result ok "the man page lists the keys of the key table"
else
    _tap_result "not ok" "the man page lists the keys of the key table"
    echo "# run: HS_GENERATE=1 HS_BIN=./hepscope HS_SRCDIR=SRCDIR sh SRCDIR/tests/tui/keys-man.sh"
    diff "$T/got" "$T/want" | head -20 | sed 's/^/# /'
fi
done_testing

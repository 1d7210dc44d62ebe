#!/bin/bash
# hepscope plot: histograms and correlation matrices in the terminal and
# as PNG, SVG and PDF files; the plotted numbers checked independently.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
exits 0 "a small demo" hs --session "$S" demo --n-signal 2000 --n-background 8000 --seed 5

# The terminal drawing: braille in a UTF-8 locale, ASCII when asked.
exits 0 "plot hist in the terminal" hs --session "$S" plot hist doca --width 80 --height 20
like "$(cat "$T/.out")" "doca" "the feature's name is on the figure"
like "$(cat "$T/.out")" "signal" "the legend names the signal"
like "$(cat "$T/.out")" "⣿" "braille dots in a UTF-8 locale"
is "$(wc -l <"$T/.out" | tr -d ' ')" 20 "as many lines as asked for"
exits 0 "plot hist --ascii" hs --session "$S" plot hist m_mumu --ascii --width 70 --height 16
ok "ASCII only with --ascii" sh -c "! LC_ALL=C grep -q '[^ -~]' '$T/.out'"

# The plotted bins: the counts of each class add up to its events in range.
exits 0 "plot hist --csv" hs --session "$S" plot hist vz --range 30:85 --bins 11 --csv "$T/vz.csv" \
    -o "$T/vz.png"
is "$(head -1 "$T/vz.csv")" "lo,hi,background,background_err,signal,signal_err" "the CSV header"
is "$(tail -n +2 "$T/vz.csv" | wc -l | tr -d ' ')" 11 "11 bins"
exits 0 "events in range by class" hs --session "$S" sql --csv \
    "select sum(_label = 0), sum(_label = 1) from events('demo') where vz >= 30 and vz <= 85"
want=$(tail -1 "$T/.out")
got=$(awk -F, 'NR > 1 { b += $3; s += $5 } END { printf "%d,%d", b, s }' "$T/vz.csv")
is "$got" "$want" "bin contents sum to the events in range (sql)"
ok "errors are sqrt(n) for unweighted events" awk -F, 'NR > 1 {
    d = $4 * $4 - $3; if (d < 0) d = -d; if (d > 1e-9 * ($3 + 1)) bad++ } END { exit bad > 0 }' "$T/vz.csv"
ok "edges from 30 to 85 in steps of 5" awk -F, 'NR > 1 {
    want = 30 + 5 * (NR - 2); d = $1 - want; if (d < 0) d = -d; if (d > 1e-9) bad++ } END { exit bad > 0 }' "$T/vz.csv"
exits 0 "normalised" hs --session "$S" plot hist vz --range 30:85 --bins 11 --norm --csv "$T/vzn.csv" -o "$T/vzn.svg"
ok "each class integrates to 1" awk -F, 'NR > 1 { b += $3 * ($2 - $1); s += $5 * ($2 - $1) }
    END { db = b - 1; ds = s - 1; if (db < 0) db = -db; if (ds < 0) ds = -ds; exit !(db < 1e-9 && ds < 1e-9) }' "$T/vzn.csv"

# Files: PNG (size, command in a text chunk), SVG, PDF.
exits 0 "PNG at a chosen size" hs --session "$S" plot hist ip -o "$T/ip.png" --width 800 --height 500 --dpi 100
if [ -x "$PY" ]; then
    ok "the PNG is 800 x 500 and records its command" "$PY" -c "
import struct, sys, zlib
d = open('$T/ip.png', 'rb').read()
assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
w, h = struct.unpack('>II', d[16:24])
sys.exit(not (w == 800 and h == 500 and b'plot' in d and b'Command' in d))"
fi
exits 0 "SVG" hs --session "$S" plot hist ip -o "$T/ip.svg"
like "$(head -c 400 "$T/ip.svg")" "<svg" "an SVG document"
exits 0 "PDF" hs --session "$S" plot corr -o "$T/corr.pdf"
like "$(head -c 5 "$T/corr.pdf")" "%PDF-" "a PDF document"
exits 0 "corr in the terminal" hs --session "$S" plot corr --width 100 --height 30 --class background
like "$(cat "$T/.out")" "background" "the class is in the title"

# Errors: exit 1 with a word, and no file left behind.
exits 1 "an unknown feature" hs --session "$S" plot hist docaa
like "$(cat "$T/.err")" "no feature 'docaa' in dataset 'demo' \\(did you mean 'doca'\\?\\)" "a suggestion"
exits 2 "an unknown file type" hs --session "$S" plot hist doca -o "$T/x.gif"
ok "no file left behind" test ! -e "$T/x.gif"
exits 1 "a bad range" hs --session "$S" plot hist doca --range 5:1
like "$(cat "$T/.err")" "--range wants LO:HI" "the message shows the form"
exits 1 "an unknown figure" hs --session "$S" plot pie doca
done_testing

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
ok "each class's bins sum to 1 (fractions)" awk -F, 'NR > 1 { b += $3; s += $5 }
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
exits 1 "an unknown file type: a usage error, said before the work" hs --session "$S" plot hist doca -o "$T/x.gif"
like "$(cat "$T/.err")" "-o wants a file ending in \.png, \.svg or \.pdf, not '.*x\.gif'" "names the option, the file and the types"
ok "no file left behind" test ! -e "$T/x.gif"
exits 1 "a bad range" hs --session "$S" plot hist doca --range 5:1
like "$(cat "$T/.err")" "--range wants LO:HI" "the message shows the form"
exits 1 "an unknown figure" hs --session "$S" plot pie doca

# ---- 2-D histograms: a heat map with a colour bar. ----
exits 0 "plot hist2d in the terminal" hs --session "$S" plot hist2d vz ip --class background --width 90 --height 26
like "$(cat "$T/.out")" "ip vs vz" "the title names both features"
like "$(cat "$T/.out")" "Events / bin" "the colour bar's label"
like "$(cat "$T/.out")" "background events" "the class is in the title"
is "$(wc -l <"$T/.out" | tr -d ' ')" 26 "as many lines as asked for"
exits 0 "plot hist2d --csv -o PNG" hs --session "$S" plot hist2d vz ip --bins 20 --csv "$T/h2.csv" \
    -o "$T/h2.png" --width 900 --height 700
is "$(tail -n +2 "$T/h2.csv" | wc -l | tr -d ' ')" 400 "20 x 20 cells"
range=$(awk -F, 'NR == 2 { xl = $1; yl = $3 } NR > 1 { xh = $2; yh = $4 } END { print xl, xh, yl, yh }' "$T/h2.csv")
set -- $range
exits 0 "events in the 2-D range (sql)" hs --session "$S" sql --csv \
    "select count(*) from events('demo') where vz >= $1 and vz <= $2 and ip >= $3 and ip <= $4"
want=$(tail -1 "$T/.out")
is "$(awk -F, 'NR > 1 { n += $5 } END { printf "%d", n }' "$T/h2.csv")" "$want" "the cells sum to the events in range"
if [ -x "$PY" ]; then
    ok "the 2-D PNG is 900 x 700" "$PY" -c "
import struct, sys
d = open('$T/h2.png', 'rb').read()
sys.exit(not (d[:4] == b'\\x89PNG' and struct.unpack('>II', d[16:24]) == (900, 700)))"
fi
exits 0 "hist2d as PDF" hs --session "$S" plot hist2d vz ip --class signal -o "$T/h2.pdf"
like "$(head -c 5 "$T/h2.pdf")" "%PDF-" "a PDF document"
exits 1 "hist2d with one feature" hs --session "$S" plot hist2d vz
like "$(cat "$T/.err")" "usage: plot hist2d FEATURE1 FEATURE2" "the usage is shown"
exits 1 "hist2d with a bad class" hs --session "$S" plot hist2d vz ip --class muons
like "$(cat "$T/.err")" "--class takes signal, background or all" "the classes are named"

# ---- Small multiples of every enabled feature. ----
exits 0 "plot grid in the terminal" hs --session "$S" plot grid --width 120
# Each panel's title is its axis: the label and the unit.
for f in "E_mu_plus \\[GeV\\]" "vertex z \\[m\\]" "DOCA \\[m\\]" "impact parameter \\[m\\]" \
    "m_mumu \\[GeV\\]" "dphi_mumu \\[rad\\]"; do
    like "$(cat "$T/.out")" "$f" "the grid has a panel '$f'"
done
like "$(head -3 "$T/.out")" "background" "the first panel has the legend"
exits 0 "plot grid --ascii" hs --session "$S" plot grid --width 80 --ascii
ok "ASCII only" sh -c "! LC_ALL=C grep -q '[^ -~]' '$T/.out'"
exits 0 "plot grid to a PNG" hs --session "$S" plot grid -o "$T/grid.png" --width 1500 --height 1200 --dpi 100
if [ -x "$PY" ]; then
    ok "the grid PNG is 1500 x 1200 and records its command" "$PY" -c "
import struct, sys
d = open('$T/grid.png', 'rb').read()
sys.exit(not (d[:4] == b'\\x89PNG' and struct.unpack('>II', d[16:24]) == (1500, 1200)
              and b'Command\\x00plot ' in d and b' grid' in d))"
fi
exits 0 "plot grid to an SVG" hs --session "$S" plot grid -o "$T/grid.svg" --width 1500 --height 1200 --dpi 120
if [ -x "$PY" ]; then
    ok "the grid SVG is well-formed, 1500 x 1200 pixels at 120 dpi" "$PY" -c "
import sys, xml.etree.ElementTree as ET
r = ET.parse('$T/grid.svg').getroot()
d = open('$T/grid.svg').read()
sys.exit(not (r.tag.endswith('svg') and r.get('width') == '900pt' and r.get('height') == '720pt'
              and d.count('<path') > 20))"
fi
exits 0 "plot grid to a PDF" hs --session "$S" plot grid -o "$T/grid.pdf"
ok "the grid PDF is a one-page PDF" sh -c "head -c 5 '$T/grid.pdf' | grep -q '^%PDF-' &&
    tail -c 64 '$T/grid.pdf' | grep -q '%%EOF' && grep -aq '/Count 1' '$T/grid.pdf'"
like "$(LC_ALL=C grep -a 'Subject' "$T/grid.pdf")" "grid" "the PDF records its command"
exits 1 "plot grid to a .txt" hs --session "$S" plot grid -o "$T/grid.txt"
like "$(cat "$T/.err")" "-o wants a file ending in \.png, \.svg or \.pdf" "says what it can save"
ok "no file left behind" test ! -e "$T/grid.txt"

# ---- Data versus simulation. ----
# The "data": a second simulation with another seed, imported without its
# label as real collisions would be.
exits 0 "a second demo" hs --session "$S" demo --n-signal 600 --n-background 2400 --seed 9 --name sim2
exits 0 "exported" hs --session "$S" export sim2 -o "$T/real.csv"
exits 0 "imported unlabelled" hs --session "$S" import "$T/real.csv" --name real --columns E_mu_plus,vz,ip
exits 0 "plot hist --data in the terminal" hs --session "$S" --dataset demo plot hist vz --data real \
    --width 100 --height 32
for w in "data / sim\\." "data" "signal" "background" "real \\(3000 events\\)"; do
    like "$(cat "$T/.out")" "$w" "the figure shows '$w'"
done
exits 0 "plot hist --data --csv -o PNG, not scaled" hs --session "$S" --dataset demo plot hist vz \
    --data real --scale none --range 30:85 --bins 11 --csv "$T/dv.csv" -o "$T/dv.png" --width 1200 --height 900
is "$(cat "$T/.out")" "Simulation (events, not scaled)" "the command says how the simulation is scaled"
is "$(head -1 "$T/dv.csv")" \
    "lo,hi,background,background_err,signal,signal_err,simulation,simulation_err,data,data_err,ratio,ratio_err" \
    "the CSV header"
exits 0 "the data's counts per bin (sql)" hs --session "$S" sql --csv \
    "select min(cast((vz - 30) / 5 as int), 10), count(*) from events('real') where vz >= 30 and vz <= 85 group by 1 order by 1"
tail -n +2 "$T/.out" >"$T/dv.want"
awk -F, 'NR > 1 && $9 > 0 { printf "%d,%d\n", NR - 2, $9 }' "$T/dv.csv" >"$T/dv.got"
is "$(cat "$T/dv.got")" "$(cat "$T/dv.want")" "the data points are the counts of the data (sql)"
exits 0 "the simulation's counts (sql)" hs --session "$S" sql --csv \
    "select sum(_label = 0), sum(_label = 1) from events('demo') where vz >= 30 and vz <= 85"
is "$(awk -F, 'NR > 1 { b += $3; s += $5 } END { printf "%d,%d", b, s }' "$T/dv.csv")" "$(tail -1 "$T/.out")" \
    "the stacked parts are the simulation's classes"
ok "simulation = sum of the parts, errors sqrt(n), ratio = data / simulation" awk -F, 'function abs(x) { return x < 0 ? -x : x }
    NR > 1 {
        if (abs($7 - $3 - $5) > 1e-9) bad++
        if (abs($10 * $10 - $9) > 1e-6 * ($9 + 1)) bad++
        if ($7 > 0 && abs($11 - $9 / $7) > 1e-12 * ($11 + 1)) bad++
        if ($7 > 0 && abs($12 - $10 / $7) > 1e-12 * ($12 + 1)) bad++
    } END { exit bad > 0 }' "$T/dv.csv"
if [ -x "$PY" ]; then
    ok "the PNG is 1200 x 900" "$PY" -c "
import struct, sys
d = open('$T/dv.png', 'rb').read()
sys.exit(not (d[:4] == b'\\x89PNG' and struct.unpack('>II', d[16:24]) == (1200, 900)))"
fi
exits 0 "--data as SVG, log y, normalised" hs --session "$S" --dataset demo plot hist ip --data real --log --norm \
    -o "$T/dv.svg"
like "$(head -c 400 "$T/dv.svg")" "<svg" "an SVG document"
exits 1 "--data names a missing dataset" hs --session "$S" --dataset demo plot hist vz --data nope
like "$(cat "$T/.err")" "--data: no dataset 'nope'" "the message names it"
exits 1 "a feature the data lacks" hs --session "$S" --dataset demo plot hist doca --data real
like "$(cat "$T/.err")" "no feature 'doca' in dataset 'real'" "the message names the data's dataset"
exits 1 "a feature the simulation lacks" hs --session "$S" --dataset real plot hist doca --data demo
like "$(cat "$T/.err")" "no feature 'doca' in dataset 'real'" "the message names the simulation's dataset"

# Without --dataset, --data's simulation is the only labelled dataset other
# than the data; two labelled ones still need --dataset.
exits 1 "--data with two labelled datasets asks which" hs --session "$S" plot hist vz --data real
like "$(cat "$T/.err")" "plot: the session holds 3 datasets, say which with --dataset D: " \
    "the usual message listing the choices"
D2="$T/dv2.db"
exits 0 "a labelled simulation" hs --session "$D2" demo --n-signal 500 --n-background 1500 --seed 3 --name mc
exits 0 "exported" hs --session "$D2" export mc -o "$T/real2.csv"
exits 0 "imported unlabelled" hs --session "$D2" import "$T/real2.csv" --name real --columns doca,vz
exits 0 "plot hist --data without --dataset" hs --session "$D2" plot hist doca --data real --scale none \
    --range 0:1 --bins 4 --csv "$T/dv2.csv" --width 80 --height 24
like "$(cat "$T/.out")" "real \\(2000 events\\)" "the data is drawn"
exits 0 "the simulation's counts (sql)" hs --session "$D2" sql --csv \
    "select sum(_label = 0), sum(_label = 1) from events('mc') where doca >= 0 and doca <= 1"
is "$(awk -F, 'NR > 1 { b += $3; s += $5 } END { printf "%d,%d", b, s }' "$T/dv2.csv")" "$(tail -1 "$T/.out")" \
    "the simulation is the labelled dataset"
exits 0 "another labelled dataset" hs --session "$D2" demo --n-signal 100 --n-background 100 --seed 4 --name mc2
exits 1 "then --data asks which simulation" hs --session "$D2" plot hist doca --data real
like "$(cat "$T/.err")" "say which with --dataset D: mc, mc2, real" "the message lists the choices"
exits 0 "--dataset still chooses" hs --session "$D2" --dataset mc2 plot hist doca --data real
done_testing

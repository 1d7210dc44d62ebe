#!/bin/sh
# hepscope demo: the embedded HNL simulation as a dataset or a CSV file.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3

exits 0 "demo with the defaults" hs --session "$S" demo
like "$(cat "$T/.out")" "made 'demo': 220000 events \(20000 signal, 200000 background\)" \
    "about 20,000 signal and 200,000 background by default"
is "$(cat "$T/.err")" "" "nothing on stderr"
exits 0 "datasets" hs --session "$S" datasets --csv
like "$(cat "$T/.out")" "demo,220000,15,yes" "demo: 220000 events, 15 columns, labelled"
exits 1 "a second demo of the same name is refused" hs --session "$S" demo
like "$(cat "$T/.err")" "dataset 'demo' exists already" "the message says why"

# The columns, in the documented order, and the label and group roles.
exits 0 "sql on the demo" hs --session "$S" sql --csv \
    "select * from events('demo') limit 1"
is "$(head -1 "$T/.out")" \
    "E_mu_plus,E_mu_minus,p_mu_plus_x,p_mu_minus_x,p_mu_plus_y,p_mu_minus_y,p_mu_plus_z,p_mu_minus_z,vx,vy,vz,doca,ip,HNL_mass,Truth,_label,_weight,_group" \
    "columns in order, then hepscope's own"
exits 0 "class counts from sql" hs --session "$S" sql --csv \
    "select count(*), sum(_label), sum(Truth = _label), sum(_group = HNL_mass), count(distinct HNL_mass) from events('demo')"
is "$(tail -1 "$T/.out")" "220000,20000,220000,220000,22" \
    "Truth is the label, HNL_mass the group: 21 masses and 0"
exits 0 "the signal's DOCA is far narrower than the background's" hs --session "$S" sql --csv \
    "select (select avg(doca) from events('demo') where _label = 1) < 0.1 * (select avg(doca) from events('demo') where _label = 0)"
is "$(tail -1 "$T/.out")" "1" "mean signal DOCA below a tenth of the background's"
exits 0 "info" hs --session "$S" info demo
like "$(cat "$T/.out")" "HNL_mass +number +group" "HNL_mass is the group, not a feature"

# The derived features the demo comes with.
exits 0 "features" hs --session "$S" features --csv
for f in m_mumu p_mumu pt_mumu pt_frac open_angle dphi_mumu; do
    like "$(cat "$T/.out")" "^[0-9]+,$f,1,1," "derived feature $f is there and on"
done
# No true dimuon mass exceeds the HNL mass by more than the resolution.
exits 0 "m_mumu against HNL_mass" hs --session "$S" export demo -o "$T/demo.csv" --features
ok "reconstructed m_mumu stays below 1.05 x M for signal" awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $c["Truth"] == 1 && $c["m_mumu"] > 1.05 * $c["HNL_mass"] { bad++ }
    END { exit bad > 0 }' "$T/demo.csv"

# Same seed, same bytes; another seed, other events.
exits 0 "demo -o" hs demo --n-signal 500 --n-background 5000 --seed 7 -o "$T/a.csv"
exits 0 "demo -o again" hs demo --n-signal 500 --n-background 5000 --seed 7 -o "$T/b.csv"
exits 0 "demo -o another seed" hs demo --n-signal 500 --n-background 5000 --seed 8 -o "$T/c.csv"
ok "same seed, same bytes" cmp -s "$T/a.csv" "$T/b.csv"
ok "another seed, other bytes" sh -c "! cmp -s '$T/a.csv' '$T/c.csv'"
is "$(wc -l <"$T/a.csv" | tr -d ' ')" "5501" "500 + 5000 events and a header"
ok "demo -o leaves no session behind" test ! -e "$XDG_DATA_HOME/hepscope/default.db"

# One mass; the harder channel.
exits 0 "one mass" hs --session "$S" demo --name m2 --mass 2 --n-signal 300 --n-background 100
exits 0 "its masses" hs --session "$S" sql --csv "select distinct HNL_mass from events('m2') order by 1"
is "$(tail -n +2 "$T/.out" | tr '\n' ' ')" "0 2 " "only 0 and 2 GeV"
exits 0 "murho" hs --session "$S" demo --channel murho --n-signal 400 --n-background 400
like "$(cat "$T/.out")" "made 'demo_murho'" "called demo_murho"
exits 0 "murho columns" hs --session "$S" sql --csv "select * from events('demo_murho') limit 1"
like "$(head -1 "$T/.out")" "^E_mu_plus,E_pi_minus,p_mu_plus_x,p_pi_minus_x," "the pion's columns"
exits 0 "murho masses from 1 GeV" hs --session "$S" sql --csv \
    "select min(HNL_mass) from events('demo_murho') where _label = 1"
is "$(tail -1 "$T/.out")" "1" "the lightest murho mass point is 1 GeV"

# Bad options: exit 1 and a clear word, nothing stored.
exits 1 "an unknown channel" hs --session "$S" demo --channel mumu --name bad
like "$(cat "$T/.err")" "mumunu" "the message names the channels"
exits 1 "a mass out of range" hs --session "$S" demo --mass 9 --name bad
like "$(cat "$T/.err")" "--mass wants a number from" "the message gives the range"
exits 1 "no signal" hs --session "$S" demo --n-signal 0 --name bad
exits 1 "a bad seed" hs --session "$S" demo --seed x --name bad
exits 0 "datasets" hs --session "$S" datasets --csv
ok "nothing called bad was stored" sh -c "! grep -q '^bad,' '$T/.out'"

if [ -x "$PY" ]; then
    # The class ratio and the signal's DOCA width from the CSV, in python.
    ok "about ten background events per signal event" "$PY" -c "
import csv, sys
rows = list(csv.DictReader(open('$T/a.csv')))
s = sum(1 for r in rows if r['Truth'] == '1')
sys.exit(not (s == 500 and len(rows) - s == 5000))"
    ok "every reconstructed track keeps the muon mass" "$PY" -c "
import csv, math, sys
bad = 0
for r in csv.DictReader(open('$T/a.csv')):
    for q in ('plus', 'minus'):
        e = float(r['E_mu_' + q])
        p2 = sum(float(r['p_mu_%s_%s' % (q, a)]) ** 2 for a in 'xyz')
        m = math.sqrt(max(e * e - p2, 0))
        bad += abs(m - 0.10566) > 1e-3 * max(e, 1)
sys.exit(bad > 0)"
fi
done_testing

# A demo dataset's source is the generator's settings, which make the
# same events again; the two channels' sources differ.
S2="$T/source.db"
exits 0 "a small mu-rho demo" hs --session "$S2" demo --channel murho --mass 1.5 \
    --n-signal 300 --n-background 200 --seed 7
exits 0 "its source" hs --session "$S2" sql --csv "select source from datasets"
src=$(tail -1 "$T/.out")
is "$src" "demo --channel murho --seed 7 --n-signal 300 --n-background 200 --mass 1.5" \
    "the source names the channel, seed, counts and mass"
# shellcheck disable=SC2086 # the source is words to run again
exits 0 "the source's words, run again" hs --session "$S2" $src --name again
exits 0 "both exported" hs --session "$S2" export demo_murho -o "$T/first.csv"
exits 0 "and the copy" hs --session "$S2" export again -o "$T/again.csv"
ok "the same events" cmp "$T/first.csv" "$T/again.csv"

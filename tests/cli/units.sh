#!/bin/bash
# Units and axis labels: stored per dataset, shown by features and info,
# set by feature add/unit and import --units, journalled and replayed.
. "$HS_SRCDIR/tests/lib.sh"

units() { # DATASET: the stored rows as name|unit|label, by name
    hs --session "${2:-$S}" sql --csv \
        "select name || '|' || coalesce(unit, '-') || '|' || coalesce(axis_label, '-') as r
         from feature_units where dataset = (select id from datasets where name = '$1')
         order by name" | tail -n +2 | sed 's/^"//; s/"$//'
}

cat >"$T/ev.csv" <<'CSV'
pt,eta,m,Truth
10,0.5,91.2,1
20,-1.5,90.1,0
30,2.5,89.7,1
40,0.1,88.0,0
CSV

# ---- import --units: a file and a list ----
cat >"$T/units.csv" <<'CSV'
# the units of ev.csv
name,unit,label

pt, GeV , p_T of the lepton, leading
eta,-
CSV
exits 0 "import --units FILE --units LIST" hs --session "$S" import "$T/ev.csv" --label Truth \
    --units "$T/units.csv" --units m=GeV
is "$(units ev)" "m|GeV|-
pt|GeV|p_T of the lepton, leading" "stored: spaces trimmed, the label keeps its commas, '-' is none"
# eta's line gave neither a unit nor a label: no row for it.
is "$(hs --session "$S" sql --csv "select count(*) from feature_units where name = 'eta'" | tail -1)" 0 \
    "a line of no unit and no label stores nothing"

# features and info show them.
exits 0 "features" hs --session "$S" features --sort name
like "$(grep ' pt ' "$T/.out")" "^ *[0-9]+ +pt +on +raw +GeV " "features: the unit column"
exits 0 "features --csv" hs --session "$S" features --csv --sort name
like "$(head -1 "$T/.out")" ",unit,axis_label$" "features --csv ends with unit and axis_label"
like "$(grep ',pt,' "$T/.out")" ',GeV,"p_T of the lepton, leading"$' "the label quoted as CSV"
like "$(grep ',eta,' "$T/.out")" ',,$' "no unit: empty cells"
exits 0 "info" hs --session "$S" info
like "$(cat "$T/.out")" "column +kind +role +missing .* +unit" "info: a unit column"
like "$(grep '^m ' "$T/.out")" " GeV$" "info: m's unit"

# ---- import --units errors: located, nothing stored; a malformed or
# missing file is a data error (exit 2), a name that is no column a usage
# one (exit 1) ----
printf 'pt,GeV\n\n# fine so far\neta\n' >"$T/bad1.csv"
exits 2 "a line without a unit" hs --session "$S" import "$T/ev.csv" --name bad --units "$T/bad1.csv"
is "$(cat "$T/.err")" "hepscope: $T/bad1.csv:4:4: a line of units reads NAME,UNIT[,AXIS LABEL]" \
    "file:line:column of the missing comma"
printf 'pt,GeV\n , cm\n' >"$T/bad2.csv"
exits 2 "a line without a name" hs --session "$S" import "$T/ev.csv" --name bad --units "$T/bad2.csv"
is "$(cat "$T/.err")" "hepscope: $T/bad2.csv:2:1: no feature name before ','" "file:line:column"
printf 'pt,GeV\nmass,GeV\n' >"$T/bad3.csv"
exits 1 "a name that is no column" hs --session "$S" import "$T/ev.csv" --name bad --units "$T/bad3.csv"
is "$(cat "$T/.err")" "hepscope: $T/bad3.csv:2:1: no column 'mass' in the data to give a unit" \
    "the line of the unknown name"
exits 1 "a list entry that is not NAME=UNIT" hs --session "$S" import "$T/ev.csv" --name bad \
    --units 'pt=GeV,eta'
like "$(cat "$T/.err")" "--units 'pt=GeV,eta': 'eta' is not NAME=UNIT \\(at character 8\\)" \
    "the list's entry and where it stands"
exits 2 "a missing units file" hs --session "$S" import "$T/ev.csv" --name bad --units "$T/none.csv"
like "$(cat "$T/.err")" "--units: cannot open '$T/none.csv'" "the file is named"
is "$(hs --session "$S" datasets --csv | tail -n +2 | cut -d, -f1)" "ev" "no failed import was stored"

# ---- feature add --unit, feature unit, drop ----
exits 0 "feature add --unit --axis-label" hs --session "$S" feature add pt2 'pt * 2' --unit GeV \
    --axis-label '2 p_T'
exits 0 "feature unit on a raw column" hs --session "$S" feature unit eta rad --axis-label 'pseudorapidity'
exits 0 "feature unit: only the label" hs --session "$S" feature unit m --axis-label 'm(ll)'
exits 0 "feature unit: '-' removes the label" hs --session "$S" feature unit pt --axis-label -
is "$(units ev)" "eta|rad|pseudorapidity
m|GeV|m(ll)
pt|GeV|-
pt2|GeV|2 p_T" "what is not given stays"
exits 0 "feature unit NAME prints" hs --session "$S" feature unit m
is "$(cat "$T/.out")" "m: unit GeV, axis label m(ll)" "the unit and label"
exits 1 "feature unit of an unknown feature" hs --session "$S" feature unit mm GeV
like "$(cat "$T/.err")" "no feature 'mm' in dataset 'ev' \\(did you mean 'm'\\?\\)" "a suggestion"
exits 1 "--clear with a unit" hs --session "$S" feature unit m GeV --clear
exits 1 "--unit on a toggle" hs --session "$S" feature off pt --unit GeV
like "$(cat "$T/.err")" "--unit and --axis-label go with feature add" "says where it goes"
exits 1 "a control character" hs --session "$S" feature unit m "$(printf 'G\teV')"
like "$(cat "$T/.err")" "control character" "refused"
exits 0 "feature drop" hs --session "$S" feature drop pt2
is "$(units ev | grep -c '^pt2|')" 0 "a dropped derived feature takes its unit along"
exits 0 "feature unit --clear" hs --session "$S" feature unit eta --clear
is "$(units ev | grep -c '^eta|')" 0 "cleared"

# ---- the dataset: renamed keeps them, replaced keeps them, dropped takes them ----
exits 0 "rename" hs --session "$S" rename ev ev2
is "$(units ev2)" "m|GeV|m(ll)
pt|GeV|-" "a renamed dataset keeps its units"
exits 0 "import --replace" hs --session "$S" import "$T/ev.csv" --name ev2 --replace --label Truth \
    --units eta=rad
is "$(units ev2)" "eta|rad|-
m|GeV|m(ll)
pt|GeV|-" "a replaced dataset keeps its units, and takes new ones"
exits 0 "drop" hs --session "$S" drop ev2
is "$(hs --session "$S" sql --csv 'select count(*) from feature_units' | tail -1)" 0 \
    "a dropped dataset takes its units along"

# ---- journalled and replayed ----
exits 0 "import again" hs --session "$S" import "$T/ev.csv" --label Truth --units "$T/units.csv"
exits 0 "feature add --unit" hs --session "$S" feature add ht 'pt + m' --unit GeV --axis-label 'H_T'
exits 0 "feature unit" hs --session "$S" feature unit eta - --axis-label '#eta'
exits 0 "journal" hs --session "$S" journal
like "$(cat "$T/.out")" "feature --dataset ev --unit GeV --axis-label H_T add ht 'pt \\+ m'" \
    "feature add journals its unit"
like "$(cat "$T/.out")" "import .*--units $T/units.csv" "import journals --units"
R="$T/replay.db"
sed -E 's/^ *[0-9]+ +[^ ]+ +//' "$T/.out" >"$T/lines"
n=0
while IFS= read -r line; do
    eval "hs --session \"\$R\" $line" >/dev/null 2>&1 && n=$((n + 1))
done <"$T/lines"
is "$n" "$(wc -l <"$T/lines" | tr -d ' ')" "every journal line replays"
is "$(units ev "$R")" "$(units ev)" "the replayed session has the same units"

# ---- the demo's units ----
D="$T/demo.db"
exits 0 "demo" hs --session "$D" demo --n-signal 50 --n-background 50
is "$(units demo "$D" | grep -E '^(m_mumu|doca|vz|open_angle|pt_frac|E_mu_plus|HNL_mass)\|')" \
    "E_mu_plus|GeV|-
HNL_mass|GeV|HNL mass
doca|m|DOCA
m_mumu|GeV|-
open_angle|rad|opening angle
pt_frac|-|pT / p of the pair
vz|m|vertex z" "the demo's columns and features have units (GeV, m, rad)"
exits 0 "demo murho" hs --session "$D" demo --channel murho --n-signal 50 --n-background 50
is "$(units demo_murho "$D" | grep -E '^(m_mupi|E_pi_minus|dphi_mupi)\|')" "E_pi_minus|GeV|-
dphi_mupi|rad|-
m_mupi|GeV|-" "and so do the mu-rho channel's"
done_testing

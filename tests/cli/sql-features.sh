#!/bin/bash
# sql: the derived features as columns of events('D'), computed from their
# expressions: values checked against python over `export --features`,
# across chunk boundaries (140,000 events, three chunks), chains of
# features, NaN as NULL, an expression that no longer compiles, text
# columns, and `select *` unchanged.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
exits 0 "a demo of three chunks" hs --session "$S" demo --n-signal 10000 --n-background 130000 --seed 5
exits 0 "export with the features" hs --session "$S" export demo -o "$T/d.csv" --features

exits 0 "select * is the stored events" hs --session "$S" sql --csv "select * from events('demo') limit 1"
is "$(head -1 "$T/.out")" \
    "E_mu_plus,E_mu_minus,p_mu_plus_x,p_mu_minus_x,p_mu_plus_y,p_mu_minus_y,p_mu_plus_z,p_mu_minus_z,vx,vy,vz,doca,ip,HNL_mass,Truth,_label,_weight,_group" \
    "the derived features are hidden columns"

exits 0 "derived features in a query" hs --session "$S" sql --csv \
    "select count(*), avg(m_mumu), sum(pt_frac), min(open_angle), max(dphi_mumu) from events('demo') where doca < 0.01 and _label = 1"
IFS=, read -r n avg sum mn mx < <(tail -1 "$T/.out")
"$PY" - "$T/d.csv" >"$T/ref" <<'EOF'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if float(r["doca"]) < 0.01 and r["Truth"] == "1"]
m = [float(r["m_mumu"]) for r in rows]
print(len(rows), repr(sum(m) / len(m)), repr(sum(float(r["pt_frac"]) for r in rows)),
      repr(min(float(r["open_angle"]) for r in rows)), repr(max(float(r["dphi_mumu"]) for r in rows)))
EOF
read -r rn ravg rsum rmn rmx <"$T/ref"
is "$n" "$rn" "the count of the WHERE clause is python's"
ok "avg(m_mumu) is python's (1e-12)" near "$avg" "$ravg"
ok "sum(pt_frac) is python's (1e-12)" near "$sum" "$rsum"
ok "min(open_angle) is exactly python's" test "$(printf '%.17g' "$mn")" = "$(printf '%.17g' "$rmn")"
ok "max(dphi_mumu) is exactly python's" test "$(printf '%.17g' "$mx")" = "$(printf '%.17g' "$rmx")"

# Row by row across the chunk boundaries at 65536 and 131072.
exits 0 "rows around the chunk boundaries" hs --session "$S" sql --csv \
    "select rowid, m_mumu, p_mumu from events('demo') where rowid between 65530 and 65540 or rowid between 131070 and 131075 or rowid = 140000"
"$PY" - "$T/d.csv" "$T/.out" <<'EOF' >"$T/cmp"
import csv, sys
ref = list(csv.DictReader(open(sys.argv[1])))
bad = 0
got = list(csv.DictReader(open(sys.argv[2])))
for r in got:
    e = ref[int(r["rowid"]) - 1]
    bad += float(r["m_mumu"]) != float(e["m_mumu"]) or float(r["p_mumu"]) != float(e["p_mumu"])
print(len(got), bad)
EOF
is "$(cat "$T/cmp")" "18 0" "every row's value is the exported one, bit for bit"

# A feature built on a feature, one that is NaN, one that is off.
exits 0 "a feature of a feature" hs --session "$S" feature add m2 'm_mumu * 2'
exits 0 "one that is NaN for most events" hs --session "$S" feature add lg 'log(doca - 0.5)'
exits 0 "turned off" hs --session "$S" feature off lg
exits 0 "both in a query" hs --session "$S" sql --csv \
    "select sum(m2 = 2 * m_mumu), count(*), count(lg), sum(doca > 0.5) from events('demo')"
IFS=, read -r same all nlg nref < <(tail -1 "$T/.out")
is "$same" "$all" "m2 is twice m_mumu on every event"
is "$nlg" "$nref" "a NaN is NULL: lg has a value where doca > 0.5 only"
exits 0 "the same query inside another" hs --session "$S" sql --csv \
    "select (select avg(m2) from events('demo') where _label = 1) / (select avg(m_mumu) from events('demo') where _label = 1)"
is "$(tail -1 "$T/.out")" "2" "two cursors at once"

# An expression that no longer compiles (the session edited by hand) reads
# as NULL, and so does a feature that uses it; the rest still works.
"$PY" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("update features set expr = ? where name = ?", ("nosuch + 1", "m_mumu"))' "$S"
exits 0 "a broken feature is not an error" hs --session "$S" sql --csv \
    "select count(m_mumu), count(m2), count(p_mumu), count(*) from events('demo')"
is "$(tail -1 "$T/.out")" "0,0,140000,140000" "it and its users are NULL, others are not"
exits 0 "a query that names no derived feature" hs --session "$S" sql --csv "select count(*) from events('demo')"

# Text columns compare by their strings in a derived feature, as anywhere.
printf 'x,kind,lab\n1,EB,1\n2,EE,0\n3,EB,0\n4,,1\n' >"$T/t.csv"
exits 0 "import a text column" hs --session "$S" import "$T/t.csv" --name txt --label lab
exits 0 "a feature on it" hs --session "$S" --dataset txt feature add barrel 'kind == "EB"'
exits 0 "queried" hs --session "$S" sql --csv "select group_concat(barrel, ' ') from events('txt')"
is "$(tail -1 "$T/.out")" "1.0 0.0 1.0 0.0" "codes bound as the dataset's strings"
exits 1 "an unknown column is still an error" hs --session "$S" sql "select nosuch from events('txt')"
like "$(cat "$T/.err")" "no such column: nosuch" "SQLite's message"

done_testing

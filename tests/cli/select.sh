#!/bin/bash
# --where EXPR and --cut CUTSET on the commands that read events: numbers
# checked against hepscope sql (WHERE clauses, `cut export --as sql`) and
# python over an exported CSV; the selection within the split's test part
# against the stored part codes; errors, exit codes, nothing stored by a
# failure, and the journal line replayed.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
exits 0 "a small demo" hs --session "$S" demo --n-signal 2000 --n-background 20000 --seed 3
exits 0 "export it with its features" hs --session "$S" export demo -o "$T/d.csv" --features

# sqlcount COND: signal and background counts where COND, from hepscope sql.
sqlcount() {
    hs --session "$S" sql --csv "select count(*), sum(_label = 1), sum(_label = 0) from events('demo') where $1" |
        tail -1
}

# ---- features ------------------------------------------------------------
IFS=, read -r n ns nb <<<"$(sqlcount 'doca < 0.01')"
exits 0 "features --where" hs --session "$S" features --where 'doca < 0.01'
is "$(head -1 "$T/.out")" "selection: doca < 0.01 ($n of 22000 events)" \
    "the selection line first, its count sql's"
exits 0 "features --where --csv" hs --session "$S" features --where 'doca < 0.01' --csv
cp "$T/.out" "$T/f.csv"
is "$(head -1 "$T/f.csv" | cut -d, -f1-3)" "rank,name,on" "no selection line in CSV"
"$PY" - "$T/d.csv" "$T/f.csv" >"$T/cmp" <<'EOF'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if float(r["doca"]) < 0.01]
got = {r["name"]: r for r in csv.DictReader(open(sys.argv[2]))}
bad = []
for name in ("ip", "m_mumu", "pt_frac", "vz"):
    for cls, col in (("1", "mean_signal"), ("0", "mean_background")):
        v = [float(r[name]) for r in rows if r["Truth"] == cls]
        ref, x = sum(v) / len(v), float(got[name][col])
        if abs(ref - x) > 1e-12 * abs(ref):
            bad.append("%s %s %r %r" % (name, col, x, ref))
    if int(got[name]["events"]) != len(rows):
        bad.append(name + " events")
print(len(rows), " ".join(bad) or "ok")
EOF
is "$(cat "$T/cmp")" "$n ok" "means per class and counts are python's over the selected rows"

exits 0 "a selection naming a derived feature" hs --session "$S" features --where 'm_mumu > 1 && doca < 0.01' --csv
is "$(awk -F, '$2 == "ip" { print $6 }' "$T/.out")" "$(sqlcount 'm_mumu > 1 and doca < 0.01' | cut -d, -f1)" \
    "its count is sql's, where m_mumu is a column too"

exits 0 "cut set c1" hs --session "$S" cut set c1 'vx > -1 && doca < 0.05' --range 'ip::3'
exits 0 "its SQL" hs --session "$S" cut export c1 --as sql
c1sql=$(cat "$T/.out")
IFS=, read -r nc1 nc1s nc1b <<<"$(sqlcount "$c1sql")"
exits 0 "features --cut" hs --session "$S" features --cut c1
is "$(head -1 "$T/.out")" "selection: cut set 'c1' ($nc1 of 22000 events)" "--cut counts as the cut's SQL"
IFS=, read -r nboth x y <<<"$(sqlcount "($c1sql) and m_mumu < 2")"
exits 0 "both" hs --session "$S" features --cut c1 --where 'm_mumu < 2'
is "$(head -1 "$T/.out")" "selection: m_mumu < 2 and cut set 'c1' ($nboth of 22000 events)" \
    "--where and --cut: both must hold"

# ---- corr ------------------------------------------------------------------
exits 0 "corr --where --csv" hs --session "$S" corr --class all --where 'doca < 0.01' --csv
"$PY" - "$T/d.csv" "$T/.out" >"$T/cmp" <<'EOF'
import csv, math, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if float(r["doca"]) < 0.01]
x = [float(r["ip"]) for r in rows]; y = [float(r["m_mumu"]) for r in rows]
mx, my = sum(x) / len(x), sum(y) / len(y)
sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
r = sxy / math.sqrt(sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in y))
got = {row["feature"]: row for row in csv.DictReader(open(sys.argv[2]))}
print("ok" if abs(float(got["ip"]["m_mumu"]) - r) < 1e-9 else "%s %r" % (got["ip"]["m_mumu"], r))
EOF
is "$(cat "$T/cmp")" "ok" "r(ip, m_mumu) over the selection is python's"
exits 0 "corr says the selection" hs --session "$S" corr --where 'doca < 0.01'
is "$(head -1 "$T/.out")" "selection: doca < 0.01 ($n of 22000 events)" "the selection line"

# ---- plot ------------------------------------------------------------------
exits 0 "plot hist --where" hs --session "$S" plot hist m_mumu --where 'doca < 0.01' \
    --range -1:1000 --bins 7 --csv "$T/h.csv" -o "$T/h.png"
is "$(awk -F, 'NR > 1 { b += $3; s += $5 } END { print b + s "," s "," b }' "$T/h.csv")" "$n,$ns,$nb" \
    "the bins hold sql's counts per class"
ok "the PNG records the --where in its command" grep -aq "where 'doca < 0.01'" "$T/h.png"
exits 0 "plot hist --cut in the terminal" hs --session "$S" plot hist ip --cut c1 --ascii --width 100 --height 20
like "$(cat "$T/.out")" "selection: cut set 'c1' \\($nc1 of 22000 events\\)" "the figure's note"
exits 0 "plot hist --cut --csv" hs --session "$S" plot hist ip --cut c1 --range -1:1000 --bins 3 --csv "$T/h2.csv" -o "$T/h2.svg"
is "$(awk -F, 'NR > 1 { b += $3; s += $5 } END { print b + s "," s "," b }' "$T/h2.csv")" "$nc1,$nc1s,$nc1b" \
    "--cut: the cut's SQL counts"
exits 0 "plot hist2d --where" hs --session "$S" plot hist2d m_mumu doca --where 'doca < 0.01' --ascii --width 100
like "$(cat "$T/.out")" "selection: doca < 0.01" "a heat map names it in its title"
exits 0 "plot corr --where" hs --session "$S" plot corr --where 'doca < 0.01' -o "$T/c.png"
exits 0 "plot grid --cut" hs --session "$S" plot grid --cut c1 --ascii --width 160
like "$(cat "$T/.out")" "selection: cut set 'c1'" "the grid's first panel names it"
# ---- export ----------------------------------------------------------------
exits 0 "export --where" hs --session "$S" export demo -o "$T/sel.csv" --features --where 'doca < 0.01'
is "$(cat "$T/.out")" "selection: doca < 0.01 ($n of 22000 events)" "says what it wrote"
"$PY" - "$T/d.csv" "$T/sel.csv" >"$T/cmp" <<'EOF'
import csv, sys
head, *rows = list(csv.reader(open(sys.argv[1])))
want = [head] + [r for r in rows if float(r[head.index("doca")]) < 0.01]
print("same" if list(csv.reader(open(sys.argv[2]))) == want else "differ")
EOF
is "$(cat "$T/cmp")" "same" "exactly the selected rows, in order, with their features"
exits 0 "export --cut to standard output" hs --session "$S" export demo -o - --cut c1
is "$(($(wc -l <"$T/.out") - 1))" "$nc1" "the cut's rows, no selection line among them"

# ---- effs and roc: within the test part ------------------------------------
exits 0 "split" hs --session "$S" split
hs --session "$S" sql --csv "select hex(part) from splits" | tail -1 >"$T/part"
# python: the selection (doca < 0.01 and c1) within the test part, and the
# AUC of -ip there (Mann-Whitney, ties one half).
"$PY" - "$T/d.csv" "$T/part" >"$T/ref" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
part = bytes.fromhex(open(sys.argv[2]).read().strip())
def c1(r): return float(r["ip"]) < 3 and float(r["vx"]) > -1 and float(r["doca"]) < 0.05
sel = [r for i, r in enumerate(rows) if part[i] == 2 and float(r["doca"]) < 0.01 and c1(r)]
s = sorted(-float(r["ip"]) for r in sel if r["Truth"] == "1")
b = sorted(-float(r["ip"]) for r in sel if r["Truth"] == "0")
import bisect
u = sum(bisect.bisect_left(b, x) + 0.5 * (bisect.bisect_right(b, x) - bisect.bisect_left(b, x)) for x in s)
print(len(sel), repr(u / (len(s) * len(b))))
EOF
read -r ntest auc <"$T/ref"
exits 0 "roc --where --cut" hs --session "$S" roc --score -ip --where 'doca < 0.01' --cut c1
like "$(sed -n 2p "$T/.out")" "^ROC on the test part of 'demo' \\($ntest events\\)$" \
    "the events: the test part within the selection, as python counts them"
like "$(head -1 "$T/.out")" "^selection: doca < 0.01 and cut set 'c1' " "the selection line first"
exits 0 "roc --table-csv" hs --session "$S" roc --score -ip --where 'doca < 0.01' --cut c1 --table-csv
ok "its AUC is python's" near "$(tail -1 "$T/.out" | cut -d, -f2)" "$auc" 1e-9
exits 0 "effs --where --cut" hs --session "$S" effs --where 'doca < 0.01' --cut c1 --points 4 -- -ip
like "$(sed -n 2p "$T/.out")" "on the test part of 'demo' \\($ntest events\\)" "effs counts the same events"
IFS=, read -r x ss sb <<<"$(sqlcount "doca < 0.01 and $c1sql")"
like "$(sed -n 2p "$T/.out")" "S = $ss x sig eff, B = $sb x bkg eff" \
    "S and B scale with the selected events (a preselection)"
exits 0 "effs --csv --on all" hs --session "$S" effs --where 'doca < 0.01' --on all --csv -- -ip
is "$(sed -n 2p "$T/.out" | awk -F, '{ printf "%.0f,%.0f\n", $6 / $2, $7 / $3 }')" "$ns,$nb" \
    "S / sig eff and B / bkg eff are sql's counts of the selection"

# A grid cut set is one box at a time.
exits 0 "a grid" hs --session "$S" cut optimise --grid --features doca,ip
exits 1 "a grid without a box" hs --session "$S" features --cut optgrid
like "$(cat "$T/.err")" "--cut: cut set 'optgrid' is a grid of boxes: pick one as optgrid@TARGET" \
    "says how to pick one"
exits 0 "a grid's box" hs --session "$S" cut export optgrid@0.9 --as sql
IFS=, read -r ng x y <<<"$(sqlcount "$(cat "$T/.out")")"
exits 0 "features --cut NAME@TARGET" hs --session "$S" features --cut optgrid@0.9
is "$(head -1 "$T/.out")" "selection: cut set 'optgrid@0.9' ($ng of 22000 events)" "the box's count"

# ---- errors ----------------------------------------------------------------
exits 1 "a --where that does not parse" hs --session "$S" features --where 'doca < (0.01 + 1'
is "$(cat "$T/.err")" "hepscope: --where: unclosed '(' at 8
    doca < (0.01 + 1
           ^" "the message points at the character"
exits 1 "an unknown name" hs --session "$S" plot hist ip --where 'dcoa < 1'
like "$(head -1 "$T/.err")" "--where: column 'dcoa' not found at 1 \\(did you mean 'doca'\\?\\)" "with a did-you-mean"
exits 1 "an unknown cut set" hs --session "$S" roc --score -ip --cut c2
like "$(cat "$T/.err")" "--cut: no cut set 'c2' in dataset 'demo' \\(did you mean 'c1'\\?\\)" "the session's did-you-mean"
exits 2 "a selection that keeps nothing" hs --session "$S" features --where 'doca < 0'
like "$(cat "$T/.err")" "the selection \\(doca < 0\\) keeps none of the 22000 events of 'demo'" "says so"
is "$(cat "$T/.out")" "" "and prints no table"
exits 2 "nothing to plot" hs --session "$S" plot hist ip --where 'ip > 1e9' -o "$T/none.png"
ok "no file is written" test ! -e "$T/none.png"
exits 2 "nothing to export" hs --session "$S" export demo -o "$T/none.csv" --cut c1 --where 'doca > 1'
ok "no file is written" test ! -e "$T/none.csv"
exits 3 "no session" hs --session "$T/none.db" features --where 'doca < 1'
ok "and none is made" test ! -e "$T/none.db"

# ---- plot hist --data: the same selection on the data and the simulation --
exits 0 "a second dataset as data" hs --session "$S" demo --name data --n-signal 200 --n-background 2000 --seed 9
exits 0 "plot hist --data --where" hs --session "$S" --dataset demo plot hist ip --data data \
    --where 'doca < 0.01' --range -1:1000 --bins 2 --csv "$T/dv.csv" -o "$T/dv.png"
nd=$(hs --session "$S" sql --csv "select count(*) from events('data') where doca < 0.01" | tail -1)
is "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "data") c = i } NR > 1 { d += $c } END { print d }' "$T/dv.csv")" \
    "$nd" "the data are narrowed to the same selection"


# A failure stores nothing: no split is made for a wrong selection.
exits 0 "a dataset without a split" hs --session "$S" demo --name fresh --n-signal 300 --n-background 3000
hs --session "$S" journal --csv >"$T/j1"
exits 1 "roc with a wrong --where" hs --session "$S" --dataset fresh roc --score -ip --where 'ip <'
exits 2 "effs with an empty one" hs --session "$S" --dataset fresh effs --where 'ip < -1' -- -ip
exits 0 "still no split" hs --session "$S" sql --csv "select count(*) from splits s join datasets d on d.id = s.dataset where d.name = 'fresh'"
is "$(tail -1 "$T/.out")" "0" "the failures made no split"
hs --session "$S" journal --csv >"$T/j2"
ok "and journaled nothing" cmp -s "$T/j1" "$T/j2"

# ---- the journal: a quoted --where replays to the same result --------------
exits 1 "a cut set is the dataset's own" hs --session "$S" --dataset fresh \
    effs --where 'doca < 0.01' --cut c1 -- -ip
like "$(cat "$T/.err")" "no cut set 'c1' in dataset 'fresh'" "says so"
exits 0 "a cut set there" hs --session "$S" --dataset fresh cut set c1 'doca < 0.05'
exits 0 "effs makes the split, so it is journaled" hs --session "$S" --dataset fresh \
    effs --where 'doca < 0.01 && ip < 3' --cut c1 --points 5 -- -ip
cp "$T/.out" "$T/effs1"
line=$(hs --session "$S" journal --csv | tail -1 | "$PY" -c 'import csv, sys; print(list(csv.reader(sys.stdin))[0][2])')
is "$line" "effs --dataset fresh --where 'doca < 0.01 && ip < 3' --cut c1 --points 5 -- -ip" \
    "the canonical line quotes the expression"
S2="$T/replay.db"
exits 0 "the same dataset in another session" hs --session "$S2" demo --name fresh --n-signal 300 --n-background 3000
exits 0 "its cut set" hs --session "$S2" --dataset fresh cut set c1 'doca < 0.05'
eval "set -- $line"
exits 0 "the journal line replayed" hs --session "$S2" "$@"
ok "gives the same output" cmp -s "$T/effs1" "$T/.out"

done_testing

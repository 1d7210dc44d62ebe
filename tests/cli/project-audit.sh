#!/bin/bash
# hepscope project, option by option as issue 14 lists them: PCA's
# explained variance and loadings against numpy's eigen-decomposition;
# --dims 3, --perplexity, --neighbors, --min-dist and --seed reaching the
# method (stored options, three columns, one seed one map); the figure as
# PNG, SVG and PDF; --points to standard output; and bad input refused
# before any fit with the session file byte for byte as it was.
. "$HS_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
"$PY" -c "import numpy" 2>/dev/null || skip_all "no numpy"
command -v sqlite3 >/dev/null || skip_all "no sqlite3 shell"
F=doca,ip,vz,m_mumu,pt_mumu
exits 0 "a small demo" hs --session "$S" demo --n-signal 600 --n-background 5400 --seed 8
exits 0 "export its features" hs --session "$S" export demo -o "$T/d.csv" --features

# ---- PCA: explained variance and loadings ---------------------------------
exits 0 "project pca --dims 3" hs --session "$S" project pca pv --features $F --dims 3
cp "$T/.out" "$T/pca.out"
like "$(cat "$T/pca.out")" "explained variance of the standardised inputs:" "prints the explained variance"
like "$(cat "$T/pca.out")" "loadings \(weights of the standardised inputs\):" "prints the loadings"
is "$(awk '/^component/ { on = 1; next } /^loadings/ { on = 0 } on' "$T/pca.out" | wc -l | tr -d ' ')" 5 \
    "a row per component: all 5, not only the 3 output"
is "$(awk '/^input/ { print; exit }' "$T/pca.out" | tr -s ' ')" "input pv_1 pv_2 pv_3" \
    "the loadings' columns are the output's"

# numpy (pcaref.py): the covariance (divisor n - 1, scikit-learn's
# explained_variance_) of the inputs standardised with divisor n, its
# eigenvalues, their shares, and the eigenvectors with the largest
# |weight| positive (scikit-learn's svd_flip).  Prints "ok" or what differs.
cat >"$T/pcacheck.py" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.environ["HS_SRCDIR"], "tests", "cli"))
import pcaref
feats = sys.argv[2].split(",")
z, w, v = pcaref.pca(sys.argv[1], feats)
lines = open(sys.argv[3]).read().splitlines()
i = lines.index(next(l for l in lines if l.split()[:1] == ["component"]))
bad = []
for c in range(len(feats)):
    comp, var, ratio, cum = lines[i + 1 + c].split()
    if int(comp) != c + 1: bad.append("component %s" % comp)
    if abs(float(var) - w[c]) > 1e-5 * w[c]: bad.append("variance %d: %s vs %.9g" % (c + 1, var, w[c]))
    if abs(float(ratio) - w[c] / w.sum()) > 5.1e-5: bad.append("ratio %d: %s" % (c + 1, ratio))
    if abs(float(cum) - w[:c + 1].sum() / w.sum()) > 5.1e-5: bad.append("cumulative %d: %s" % (c + 1, cum))
j = lines.index(next(l for l in lines if l.split()[:1] == ["input"]))
k = len(lines[j].split()) - 1
for f, name in enumerate(feats):
    cells = lines[j + 1 + f].split()
    if cells[0] != name: bad.append("row %s" % cells[0])
    for c in range(k):
        if abs(float(cells[1 + c]) - v[f, c]) > 5.1e-5: bad.append("loading %s,%d: %s vs %.6f" % (name, c + 1, cells[1 + c], v[f, c]))
print("ok" if not bad else "; ".join(bad[:5]))
PY
is "$("$PY" "$T/pcacheck.py" "$T/d.csv" $F "$T/pca.out")" ok "variance, shares, cumulative shares and loadings are numpy's"
exits 0 "t-SNE prints no PCA table" hs --session "$S" project tsne tq --features $F --n 200 --iterations 250
ok "no explained variance for t-SNE" sh -c "! grep -q 'explained variance' '$T/.out'"

# ---- the options reach the method -----------------------------------------
exits 0 "project tsne --dims 3 --perplexity 10 --seed 7" hs --session "$S" --threads 1 \
    project tsne t3 --features $F --n 300 --iterations 250 --perplexity 10 --seed 7 --dims 3 --points "$T/t3a.csv"
like "$(cat "$T/.out")" "columns t3_1, t3_2, t3_3: 300 of 6000 events placed" "three columns, 300 placed"
is "$(hs --session "$S" sql --csv "select count(t3_1), count(t3_3), count(*) from events('demo')" | tail -1)" "300,300,6000" \
    "sql: t3_3 is a column, missing outside the subsample"
like "$(hs --session "$S" sql --csv "select options from outputs where name = 't3'" | tail -1)" \
    "^--perplexity 10 --dims 3 --n 300 --seed 7 --iterations 250 " "the options are stored as given"
exits 0 "the same seed again" hs --session "$S" --threads 1 \
    project tsne t3 --features $F --n 300 --iterations 250 --perplexity 10 --seed 7 --dims 3 --points "$T/t3b.csv"
ok "one thread, one seed: the same map" cmp "$T/t3a.csv" "$T/t3b.csv"
exits 0 "another seed" hs --session "$S" --threads 1 \
    project tsne t3 --features $F --n 300 --iterations 250 --perplexity 10 --seed 8 --dims 3 --points "$T/t3c.csv"
ok "another seed: another subsample or map" sh -c "! cmp -s '$T/t3a.csv' '$T/t3c.csv'"
# The placed rows are a stratified subsample: 30 signal of 300 (10%).
is "$(awk -F, 'NR > 1 { s += $2 } END { print s "," NR - 1 }' "$T/t3a.csv")" "30,300" "30 signal among the 300"

exits 0 "project umap --neighbors 8 --min-dist 0.3 --dims 3" hs --session "$S" \
    project umap u3 --features $F --n 400 --neighbors 8 --min-dist 0.3 --dims 3 --seed 2
like "$(cat "$T/.out")" "final loss [0-9.e+-]+ \(the fuzzy-set cross-entropy per point\)" "says UMAP's loss"
like "$(cat "$T/.out")" "trustworthiness 0\.[0-9]{4} \(k = 10, on 400 of the fitted events\)" "says the trustworthiness"
like "$(hs --session "$S" sql --csv "select options from outputs where name = 'u3'" | tail -1)" \
    "^--neighbors 8 --min-dist 0.3 .*--dims 3 --n 400 --seed 2 " "UMAP's options are stored as given"
is "$(hs --session "$S" sql --csv "select count(u3_3) from events('demo')" | tail -1)" 400 "u3_3 has the 400"

# ---- learned columns: an expression and a histogram on them ---------------
want=$(awk -F, 'NR > 1 { r = sqrt($4*$4 + $5*$5 + $6*$6); if (r < 10) n++ } END { print n + 0 }' "$T/t3c.csv")
exits 0 "an expression of a map's columns as a selection" hs --session "$S" export demo -o "$T/r.csv" \
    --where "sqrt(t3_1*t3_1 + t3_2*t3_2 + t3_3*t3_3) < 10"
is "$(($(wc -l <"$T/r.csv") - 1))" "$want" "it selects what awk counts from --points"
is "$(hs --session "$S" sql --csv "select count(*) from events('demo') where t3_1*t3_1 + t3_2*t3_2 + t3_3*t3_3 < 100" | tail -1)" \
    "$want" "and what sql counts"
exits 0 "plot hist of a learned column" hs --session "$S" plot hist t3_3 --bins 4 --range -1000:1000 --csv "$T/h.csv"
is "$(awk -F, 'NR > 1 { n += $3 + $5 } END { print n }' "$T/h.csv")" 300 "the histogram holds the 300 placed events"

# ---- figures and --points to standard output -------------------------------
exits 0 "an SVG coloured by group" hs --session "$S" project pca pf --features $F -o "$T/p.svg" --color group
ok "it is SVG" grep -q "<svg" "$T/p.svg"
exits 0 "a PDF coloured by a clustering" hs --session "$S" cluster kmeans km --features $F --k 3
exits 0 "the PDF" hs --session "$S" project pca pf --features $F -o "$T/p.pdf" --color km
is "$(head -c 5 "$T/p.pdf")" "%PDF-" "it is PDF"
exits 0 "a PNG coloured by the label" hs --session "$S" project pca pf --features $F -o "$T/p.png" --color label
is "$(head -c 8 "$T/p.png" | od -An -c | tr -s ' ')" " 211 P N G \r \n 032 \n" "it is PNG"
exits 0 "--points -" hs --session "$S" project pca pf --features $F --points -
is "$(grep -c '^[0-9]*,[01],1,' "$T/.out")" 6000 "every event's row on standard output"

# ---- bad input: refused, the session file as it was -------------------------
dump() { sqlite3 "$S" .dump | md5sum; }
before=$(dump)
exits 1 "an unknown method" hs --session "$S" project svd x --features $F
like "$(cat "$T/.err")" "no method 'svd' here \(methods: pca, tsne, umap\)" "names the methods"
for m in pca tsne umap; do
    exits 1 "$m --dims 0" hs --session "$S" project $m x --features $F --dims 0
    like "$(cat "$T/.err")" "^hepscope: --dims wants a whole number from 1 to [0-9]+, not '0'$" "$m: says what --dims takes"
done
exits 1 "pca --dims above the inputs" hs --session "$S" project pca x --features $F --dims 6
like "$(cat "$T/.err")" "5 features has 5 components, not --dims 6" "says how many there are"
exits 1 "--color of a missing column, before the fit" hs --session "$S" project tsne x --features $F --n 300 --color nope
is "$(cat "$T/.out")" "" "nothing fitted or printed"
like "$(cat "$T/.err")" "^hepscope: --color: no column or feature 'nope'" "names --color and the column"
exits 1 "a figure of one coordinate, before the fit" hs --session "$S" project pca x --features $F --dims 1 -o "$T/x.png"
is "$(cat "$T/.out")" "" "nothing fitted or printed"
like "$(cat "$T/.err")" "a figure \(-o\) needs --dims 2 or more" "says why"
exits 2 "--points in a folder that does not exist, before the fit" hs --session "$S" project tsne x --features $F --n 300 --points "$T/no/such/p.csv"
is "$(cat "$T/.out")" "" "nothing fitted or printed"
like "$(cat "$T/.err")" "cannot write '[^']*/no/such/p.csv'" "names the file"
exits 1 "--perplexity 0" hs --session "$S" project tsne x --features $F --perplexity 0
like "$(cat "$T/.err")" "--perplexity wants a number from 1 to 1000, not '0'" "says what --perplexity takes"
exits 1 "--neighbors 1" hs --session "$S" project umap x --features $F --neighbors 1
exits 1 "--min-dist -1" hs --session "$S" project umap x --features $F --min-dist -1
exits 1 "a .jpg figure" hs --session "$S" project pca x --features $F -o "$T/x.jpg"
ok "no file written" test ! -e "$T/x.jpg"
exits 1 "a --where that does not parse" hs --session "$S" project pca x --features $F --where 'doca <'
like "$(cat "$T/.err")" "--where: unexpected end of expression at 7" "points at the fault"
exits 1 "PCA has no --seed" hs --session "$S" project pca x --features $F --seed 1
like "$(cat "$T/.err")" "--seed is an option of .*tsne, umap.*, not of pca" "says whose option it is"
is "$(dump)" "$before" "the session file is as it was (sqlite3 .dump)"

done_testing

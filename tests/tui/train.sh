#!/bin/sh
# The training view in a real pseudo-terminal (tmux): 8 shows the form
# with the enabled features as inputs; a field typed in place (a bad value
# is an error in the status line); t trains in the background while the
# curves draw; afterwards the summary, the overtraining check and the
# per-group table, each saved with s as a PNG that records the equivalent
# CLI line; the model is stored (`hepscope model list`) and journaled as a
# `train` line; Esc stops a long training keeping the best epoch, and the
# journal then says the epochs run, so that the journal line, run from
# the CLI, makes a model giving the same scores bit for bit (one thread);
# 7 shows the models beside the cuts.
. "$HS_SRCDIR/tests/lib.sh"
. "$HS_SRCDIR/tests/tui/lib-tmux.sh"

png_magic() { head -c 8 "$1" | od -An -tx1 | tr -d ' \n'; }
png_command() { tr -c '[:print:]' '\n' <"$1" | grep -a "^hepscope [a-z-]" | head -1; }

ok "a demo session" hs --session "$S" demo --n-signal 2000 --n-background 8000 --seed 3

cd "$T" || exit 1
tui_start main 130 45 -- --session "$S" --threads 1
wait_screen main 'row 1 of' >/dev/null
keys main 8
expect_screen main ' 8 train ' "8 shows the training view"
expect_screen main '^ layers +64,64( |$)' "the form starts with the defaults of train"
expect_screen main '^ model name +mlp( |$)' "and the model's name"
expect_screen main 'Inputs: [0-9]+ enabled features' "the inputs are the enabled features"

# epochs: the tenth field (name, method, then mlp's parameters in its spec's order)
keys main j j j j j j j j j Enter C-u 5 Enter
expect_screen main 'epochs = 5' "a typed field is set"
expect_screen main '^ epochs +5( |$)' "and shown in the form"
keys main Enter C-u abc Enter
expect_screen main "epochs.*'abc'|'abc'.*epochs" "a bad value is an error in the status line"
keys main Escape
expect_screen main '^ epochs +5( |$)' "Esc leaves the old value"
keys main g j j j Right
expect_screen main '^ activation +< leaky_relu >' "Right cycles the activation"
keys main Left
expect_screen main '^ activation +< relu >' "Left goes back"

keys main t
expect_screen main "(Training|Trained) 'mlp' on 'demo'" "t starts the training"
expect_long main "Trained 'mlp' on 'demo'" "the training ends"
expect_screen main 'epoch 5/5  loss [0-9.e-]+  val loss [0-9.e-]+  val AUC 0\.[0-9]+' \
    "the last epoch's figures above the curves"
expect_screen main 'training loss' "the curves have a legend"
like "$(screen main)" "(⠉|⠑|⠢|⢄|⡇|⢸)" "the curves are drawn in braille"
expect_screen main \
    "trained 'mlp': 5 epochs \(best [1-5]\)(, early stopping)?, test AUC 0\.[0-9]+; saved" \
    "the status line says it is saved"
auc=$(screen main | grep -Eo 'test AUC 0\.[0-9]+, B eff' | grep -Eo '0\.[0-9]+')
list=$(hs --session "$S" model list)
like "$list" '^mlp +demo +[0-9]+ +64,64 relu' "model list shows the model"
sauc=$(echo "$list" | awk '$1 == "mlp" { print $6 }')
ok "its stored test AUC is the screen's ($sauc, $auc)" \
    awk -v a="$sauc" -v b="$auc" \
    'BEGIN { d = a - b; exit !(d < 0.0006 && d > -0.0006 && a > 0.9) }'
like "$(hs --session "$S" journal | tail -1)" \
    "train --dataset demo --layers 64,64 --activation relu --optimizer adam --lr 0.001 .*"\
"--epochs 5 .* mlp$" \
    "the model is journaled as its train line"

# The pages, each saved.
keys main '}'
expect_screen main 'summary \(page 2 of 4' "} shows the summary"
expect_screen main 'Test AUC 0\.[0-9]+ \(train 0\.[0-9]+\)' "test AUC, train beside it"
expect_screen main 'Background efficiency at 95% signal efficiency: test [0-9.e-]+ \(train' \
    "the background at 95% signal efficiency"
expect_screen main '^   0\.01 +[0-9.]+ \([0-9.]+\)' \
    "TMVA's table: signal eff at B 0.01, test (train)"
expect_screen main '^   0\.3 +[0-9.]+ \([0-9.]+\)' "and at B 0.3"
keys main p
expect_screen main 'saved hepscope-mlp-summary\.png' "p saves the summary page"
is "$(png_magic "$T/hepscope-mlp-summary.png")" "89504e470d0a1a0a" "as a PNG"
like "$(png_command "$T/hepscope-mlp-summary.png")" \
    "^hepscope train --dataset demo --layers 64,64 .*--epochs 5 .* mlp" "recording the train line"
keys main : 'train-save summary.txt' Enter
expect_screen main 'saved summary\.txt' ":train-save FILE.txt writes the summary as text"
like "$(cat "$T/summary.txt")" '^# hepscope train --dataset demo ' "headed by the train line"
like "$(cat "$T/summary.txt")" 'Test AUC 0\.[0-9]+ \(train 0\.[0-9]+\)' "with the summary"

keys main '}'
expect_screen main 'overtraining check \(page 3 of 4' "} shows the overtraining check"
expect_screen main 'KS p-value train vs test: signal [0-9.e-]+, background [0-9.e-]+' \
    "with the KS p-values"
keys main p
expect_screen main 'saved hepscope-mlp-overtrain\.png' "p saves it"
is "$(png_magic "$T/hepscope-mlp-overtrain.png")" "89504e470d0a1a0a" "as a PNG"
like "$(png_command "$T/hepscope-mlp-overtrain.png")" \
    "^hepscope --dataset demo overtrain mlp -o hepscope-mlp-overtrain\.png" \
    "recording the overtrain line"

keys main '}'
expect_screen main 'per-group table \(page 4 of 4' "} shows the per-group table"
expect_screen main '^ group +signal +AUC +s\.e\. +B eff at 95%' "its header, with the AUC's s.e."
expect_screen main '^ 2\.5 +[0-9]+ +0\.[0-9]+ +[0-9.e-]+ +[0-9.e-]+' "a row per HNL mass"
expect_screen main 'test part of .demo. \(s\.e\.: DeLong\)' "the page says the s.e. is DeLong's"
expect_screen main 'AUC ± DeLong s\.e\.' "the figure's legend too"
expect_screen main 'HNL mass \[GeV\]' "its x axis is the group column with its unit"
# The error bars: braille dots (U+2801-28FF) in a marker's column just
# above or below it, right of the table.  An s.e. of 1e-3 on a y axis of
# about 0.03 over 35 rows is several dots: most points must have one.
bars=$(screen main | /usr/bin/python3 -c '
import sys
rows = [l.rstrip("\n") for l in sys.stdin]
marks = with_bar = 0
for y, l in enumerate(rows):
    for x, ch in enumerate(l):
        if ch != "\u25cf" or x < 56:
            continue
        marks += 1
        near = [rows[y + d][x] for d in (-1, 1) if 0 <= y + d < len(rows) and x < len(rows[y + d])]
        with_bar += any("\u2801" <= c <= "\u28ff" for c in near)
print(marks, with_bar)')
read -r nmarks nbars <<<"$bars"
ok "the AUC points carry error bars ($nbars of $nmarks)" \
    test "$nmarks" -ge 5 -a "$((2 * nbars))" -ge "$nmarks"
expect_screen main 'testing on the others: :groups mlp --transfer' \
    "the transfer study it suggests is a command that runs"
keys main p
expect_screen main 'saved hepscope-mlp-groups\.png' "p saves it"
like "$(png_command "$T/hepscope-mlp-groups.png")" \
    "^hepscope --dataset demo groups mlp -o hepscope-mlp-groups\.png" "recording the groups line"
keys main : 'train-save groups.csv' Enter
expect_screen main 'saved groups\.csv' ":train-save FILE.csv writes the table as CSV"
is "$(sed -n 2p "$T/groups.csv")" "group,signal,auc,bkg_eff_at_95,auc_se_delong" "its header"
ngroups=$(screen main | grep -cE '^ [0-9.]+ +[0-9]+ +0\.[0-9]+ +[0-9.e-]+ +[0-9.e-]+( |$)')
ok "the demo's masses are groups ($ngroups)" test "$ngroups" -ge 5
# The s.e. the page shows is what `groups` says for the stored model.
se_tui=$(awk -F, '$1 == "2.5" {print $5}' "$T/groups.csv")
se_cli=$(hs --session "$S" groups mlp | awk '$1 == "2.5" {print $NF}')
ok "the s.e. of group 2.5 is the CLI's DeLong s.e. ($se_tui, $se_cli)" \
    /usr/bin/python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(a - b) > 1e-3 * b)" \
    "$se_tui" "$se_cli"
is "$(tail -n +3 "$T/groups.csv" | wc -l | tr -d ' ')" "$ngroups" "a row per group on the screen"
keys main '}'
expect_screen main 'training \(page 1 of 4' "} wraps to the form"

# A long one, stopped by Esc.
keys main g Enter C-u long Enter j j j j j j j j j Enter C-u 100000 Enter j j j Enter C-u 0 Enter
expect_screen main '^ patience +0( |$)' "patience 0: no early stopping"
keys main t
expect_long main 'epoch ([3-9]|[0-9]{2,})/100000' "a long training draws its epochs"
keys main 1
expect_screen main 'the other views wait for the training' "other views wait for it"
keys main Escape
expect_long main "stopped 'long': [0-9]+ epochs \(best [0-9]+\), test AUC 0\.[0-9]+; saved" \
    "Esc stops it, the best epoch kept and saved"
n=$(screen main | grep -Eo "stopped 'long': [0-9]+ epochs" | grep -Eo '[0-9]+')
like "$(hs --session "$S" model list | grep '^long ')" '^long +demo +[0-9]+ ' \
    "model list shows the stopped model"
like "$(hs --session "$S" journal | tail -1)" \
    "train --dataset demo .*--epochs $n .*--patience 0 .* long$" \
    "journaled with the epochs it ran ($n)"

# The journal line, run from the CLI under another name: the same model.
line=$(hs --session "$S" journal | tail -1 | sed -E 's/^ *[0-9]+ +[^ ]+ +//; s/ long$/ replay/')
like "$line" '^train --dataset demo .* replay$' "the journal line, renamed ($line)"
# shellcheck disable=SC2086 # the line's words, as the journal holds them
ok "runs from the CLI" hs --session "$S" --threads 1 $line
ok "scores of the stopped model" hs --session "$S" score long -o "$T/long.csv"
ok "scores of the replayed one" hs --session "$S" score replay -o "$T/replay.csv"
ok "are the same, bit for bit" cmp -s "$T/long.csv" "$T/replay.csv"

keys main 7
expect_screen main '^.* mlp +model +0\.[0-9]+ ' "7 shows the model in the ROC table"
expect_screen main '^.* long +model +0\.[0-9]+ ' "both models"
keys main q
is "$(wait_exit main)" 0 "q quits, exit status 0"
done_testing

#!/bin/bash
# bench/wide.sh: wide datasets (issue 12).  P particles x (E, px, py, pz)
# from tests/cli/wide-gen.awk; the commands a user runs on them, each
# timed from a fresh copy of the session where it changes it.
#
#   bench/wide.sh                    150 particles (600 columns), 10,000 events:
#                                    suggest --add (67,050 features), split,
#                                    feature add, features --csv
#   P=2500 N=2000 bench/wide.sh      10,000 columns: plot corr -o, plot grid -o
#   a 21,000-term cut exported as C, on a small dataset, always.
# Goals: under a second each, except what writes output that large.
REPS=${REPS:-3}
. "$(dirname "$0")/lib.sh"
P=${P:-150}
N=${N:-10000}
S="$WORK/s.db"
hs() { "$HS" --session "$S" "$@"; }

echo "wide: $P particles ($((P * 4)) columns), $N events; $(machine)"
awk -v P="$P" -v N="$N" -f "$TOP/tests/cli/wide-gen.awk" >"$WORK/wide.csv"
hs import "$WORK/wide.csv" --label label >/dev/null
cp "$S" "$WORK/base.db"
if [ "$P" -le 182 ]; then
    time_median suggest_add "cp '$WORK/base.db' '$S'" "hs feature suggest --add"
    hs feature suggest --add >/dev/null
    cp "$S" "$WORK/suggested.db"
    echo "  features: $(hs feature suggest | grep -c '^(have) ') pair features"
    time_median split "cp '$WORK/suggested.db' '$S'" "hs split --seed 3"
    time_median feature_add "cp '$WORK/suggested.db' '$S'" "hs feature add zz 'p0_E + p1_E'"
    time_median features_csv "" "hs features --csv"
fi
time_median plot_corr_o "" "hs plot corr -o '$WORK/corr.png'"
time_median plot_grid_o "" "hs plot grid -o '$WORK/grid.png'"

printf 'a,b,label\n1,2,1\n0,3,0\n' >"$WORK/ab.csv"
hs import "$WORK/ab.csv" --label label >/dev/null
hs --dataset ab cut set big "$(awk 'BEGIN { for (i = 0; i < 21000; i++) printf "%s%s", i ? "&&" : "", i % 2 ? "b" : "a" }')" >/dev/null
time_median cut_export_c_21000 "" "hs --dataset ab cut export big --as c"

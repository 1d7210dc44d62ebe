#!/bin/bash
# bench/permimp.sh: permutation importance of a 64,64 MLP through the
# CLI: the demo at NSIG + NBKG events (default 100k + 900k, so that the
# default split's test part holds 250,000 events), a network trained for
# EPOCHS (2; its quality does not matter here), then `importance mlp
# --repeats 5` (19 inputs x 5 shuffles, each scoring the 250k test events
# and computing their AUC), at the default thread count and at one; CPU
# and wall seconds with the load average.  Goal: under 10 s.
. "$(dirname "$0")/lib.sh"
NSIG=${NSIG:-100000}
NBKG=${NBKG:-900000}
EPOCHS=${EPOCHS:-2}
S="$WORK/s.db"
echo "permimp: 64,64 MLP, demo $NSIG + $NBKG events, permutation importance with 5 repeats; $(machine)"
"$HS" --session "$S" demo --n-signal "$NSIG" --n-background "$NBKG" --seed 1 >/dev/null
"$HS" --session "$S" train mlp --layers 64,64 --epochs "$EPOCHS" >/dev/null
for th in 0 1; do
    opt=; [ "$th" = 1 ] && opt="--threads 1"
    echo "  load average before ($([ "$th" = 1 ] && echo "--threads 1" || echo "default threads")): $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f '%e s wall %U+%S cpu %M KB' -o "$WORK/time$th" \
        "$HS" --session "$S" importance mlp --repeats 5 $opt >"$WORK/out$th"
    echo "  $(cat "$WORK/time$th")"
done
head -1 "$WORK/out0" | sed 's/^/  /'
sed -n 2,6p "$WORK/out0" | sed 's/^/  /'
ok=$(cmp -s "$WORK/out0" "$WORK/out1" && echo same || echo DIFFERENT)
echo "  tables at the default threads and at one: $ok"
echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

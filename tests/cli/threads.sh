#!/bin/bash
# --threads and the machine's load: a training's scores and a derived
# feature's values depend on --threads alone, not on how many CPUs run the
# parts (taskset -c 0: two parts on one CPU) nor on a competing busy
# process; the default thread count follows the CPU affinity.
. "$HS_SRCDIR/tests/lib.sh"

unset OMP_NUM_THREADS
command -v taskset >/dev/null || skip_all "no taskset"
ncpu=$(taskset -c 0 nproc 2>/dev/null) || skip_all "taskset cannot pin to CPU 0"
[ "$ncpu" = 1 ] || skip_all "taskset -c 0 leaves $ncpu CPUs"
all=$(nproc)

exits 0 "a small demo" hs --session "$S" demo --n-signal 3000 --n-background 12000 --seed 2
TRAIN="--seed 3 --epochs 2 --layers 16,8 --batch 128"

busy_pid=
busy_start() { bash -c 'while :; do :; done' & busy_pid=$!; }
busy_stop() { kill "$busy_pid" 2>/dev/null; wait "$busy_pid" 2>/dev/null; busy_pid=; }
trap 'busy_stop' EXIT

# shellcheck disable=SC2086
exits 0 "train q, --threads 2, quiet" hs --session "$S" train q $TRAIN --threads 2
busy_start
# shellcheck disable=SC2086
exits 0 "train b, --threads 2, a busy process beside it" hs --session "$S" train b $TRAIN --threads 2
busy_stop
# shellcheck disable=SC2086
exits 0 "train p, --threads 2, pinned to one CPU" taskset -c 0 "$HS_BIN" --session "$S" train p $TRAIN --threads 2
# shellcheck disable=SC2086
exits 0 "train one, --threads 1" hs --session "$S" train one $TRAIN --threads 1
for m in q b p one; do hs --session "$S" score $m -o "$T/$m.csv" >/dev/null; done
ok "busy: the same scores as quiet" cmp "$T/q.csv" "$T/b.csv"
ok "one CPU: the same scores as two" cmp "$T/q.csv" "$T/p.csv"
# Two slices per batch, each with its own dropout stream: another split.
ok "--threads 1 splits the batches otherwise" eval '! cmp -s "$T/q.csv" "$T/one.csv"'

# The default is the CPUs the process may use: one when pinned.
# shellcheck disable=SC2086
exits 0 "train dp, default threads, pinned to one CPU" taskset -c 0 "$HS_BIN" --session "$S" train dp $TRAIN
hs --session "$S" score dp -o "$T/dp.csv" >/dev/null
ok "pinned, the default is one thread" cmp "$T/one.csv" "$T/dp.csv"
if [ "$all" = 2 ]; then
    # shellcheck disable=SC2086
    exits 0 "train d2, default threads, both CPUs" hs --session "$S" train d2 $TRAIN
    hs --session "$S" score d2 -o "$T/d2.csv" >/dev/null
    ok "with two CPUs, the default is two threads" cmp "$T/q.csv" "$T/d2.csv"
fi

# A derived feature over every event, busy and pinned.
exits 0 "a derived feature" hs --session "$S" feature add r 'sqrt(abs(doca)) / (ip + 1)'
exits 0 "export, quiet" hs --session "$S" --threads 2 export -o "$T/fq.csv" --features
busy_start
exits 0 "export, busy" hs --session "$S" --threads 2 export -o "$T/fb.csv" --features
busy_stop
exits 0 "export, pinned" taskset -c 0 "$HS_BIN" --session "$S" --threads 2 export -o "$T/fp.csv" --features
ok "the feature's values do not depend on the load" cmp "$T/fq.csv" "$T/fb.csv"
ok "nor on the CPUs" cmp "$T/fq.csv" "$T/fp.csv"

done_testing

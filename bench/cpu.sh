# bench/cpu.sh: the CPU time of a command (sourced after lib.sh).
#
# On a shared machine the wall times of time_median measure the other jobs
# as much as the command; the CPU time the process used (user + system,
# all its threads) does not, and for a process on one thread it is its
# wall time on an idle machine.

# cpu_median NAME CMD: run CMD REPS times; print the median of its user +
# system time in ms and remember it as CPU_<NAME>.
cpu_median() {
    local name=$1 cmd=$2 i t times="" TIMEFORMAT='%3U %3S'
    for i in $(seq "$REPS"); do
        t=$({ time eval "$cmd" >/dev/null 2>&1; } 2>&1)
        times="$times $(echo "$t" | awk '{printf "%d", ($1 + $2) * 1000}')"
    done
    eval "CPU_$name=$(printf '%s\n' $times | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
    printf '  %-34s median %9s ms of CPU  (%s runs)\n' "$name" "$(eval echo "\$CPU_$name")" "$REPS"
}

/* par.h: parallel work that stays fast on a busy machine and whose numbers
 * never depend on the load.
 *
 * Two counts are kept apart.  The logical thread count (hs_par_threads:
 * --threads, or by default the CPUs this process may use) decides how
 * work is split and in which order partial results are reduced; callers
 * derive their partitions from it alone.  The executor (hs_par_run) then
 * runs the parts of a job on at most that many OS threads, as many as
 * turn up: parts are claimed one at a time from an atomic counter, the
 * calling thread always runs part 0 first and then claims like the
 * others, and it waits for the last part without spinning, so a helper
 * descheduled by another process holds up only the part it claimed.
 * Before each round the executor wakes only as many helpers as the
 * machine has CPUs free at that instant (the runnable tasks of
 * /proc/loadavg against the CPUs online, the caller's own threads not
 * counted): beside a CPU-bound process on every other CPU a round runs on
 * the caller alone, and a short command never starts its threads.
 * When helpers keep arriving late (the rounds take longer than the
 * caller alone would), the rounds run on the calling thread only for a
 * while, then parallel work is tried again, but only when a CPU of the
 * machine stood idle meanwhile (each probe while every CPU is taken
 * costs a scheduler slice); each kind of job (known by its part
 * function) keeps its own record, so a training that fell back does not
 * hold back the scoring after it.  A kind's first round, which starts
 * the threads and first touches its buffers, is not judged.  Which thread ran which part
 * never shows in a result: reduce over parts in part order.
 *
 * Jobs started while another is running (from another thread, or from
 * inside a part) run on their calling thread, with the same parts.
 */
#ifndef HS_PAR_H
#define HS_PAR_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "task.h"

/* Parts of one job at most (the executor packs a part index in 20 bits). */
#define HS_PAR_MAX_PARTS (((size_t)1 << 20) - 1)

/* Part `part` of a job; a non-zero return is the job's result when no
 * lower-numbered part failed.  Every part runs even when one fails: parts
 * that should stop early share a flag through ctx. */
typedef int (*hs_par_fn)(void *ctx, size_t part);

/* The logical thread count: the last hs_par_set_threads(n > 0), else
 * OMP_NUM_THREADS when set, else the CPUs this process may use
 * (hs_par_cpus). */
int hs_par_threads(void);

/* Set the logical thread count (--threads); 0 restores the default.
 * Also the OpenMP default on the calling thread, which the BLAS follows. */
void hs_par_set_threads(int n);

/* The CPUs this process may use: those of its affinity mask, fewer when
 * a cgroup CPU quota allows fewer (whole CPUs, at least 1). */
int hs_par_cpus(void);

/* Run parts 0..nparts-1 of fn on at most `threads` OS threads (the calling
 * one included; fewer when fewer CPUs are usable).  Returns the result of
 * the lowest-numbered failing part, else 0.  nparts above HS_PAR_MAX_PARTS
 * is a caller's bug: group the items. */
int hs_par_run(size_t nparts, int threads, hs_par_fn fn, void *ctx);

/* How many of `threads` would run a job started now (1 when no CPU is
 * free, or inside a job): for work whose results do not depend on its
 * split at all (a CSV's ranges parse to the same table as one serial
 * read), to choose the serial path on a busy machine.  Never for work
 * whose numbers depend on the split. */
int hs_par_threads_free(int threads);

/* True on the thread that called hs_par_run (and outside any job): the
 * only one that may report progress (task.h). */
bool hs_par_on_caller(void);

/* Inside a part: the running thread's slot in its job, from 0 (the
 * caller's) to threads - 1, one thread per slot at a time: an index for
 * per-thread scratch buffers (results must not depend on it). */
int hs_par_slot(void);

/* The items [*lo, *hi) of part k when n items are split into p parts of
 * nearly equal size, in order. */
static inline void
hs_par_range(size_t n, size_t p, size_t k, size_t *lo, size_t *hi)
{
    *lo = n / p * k + (k < n % p ? k : n % p);
    *hi = *lo + n / p + (k < n % p ? 1 : 0);
}

/* Progress of a job's parts: each part adds the units it finished, and
 * the calling thread alone reports (task.h), at most every 0.2 s (eager:
 * also at its first addition). */
struct hs_par_progress {
    const struct hs_task *task;
    const char *what;
    size_t total;
    atomic_size_t done;
    double last; /* the caller's only */
};

void hs_par_progress_init(struct hs_par_progress *p, const struct hs_task *task, size_t total,
                          const char *what, bool eager);
void hs_par_progress_add(struct hs_par_progress *p, size_t units);

/* ---- for tests and benchmarks ---- */

/* Most OS threads any job may use, whatever hs_par_run is asked (0: no
 * limit but the CPUs); returns the previous limit.  Results must not
 * change with it. */
int hs_par_set_max_workers(int n);

/* Force the executor's fallback (every round on the calling thread) on or
 * off; returns the previous setting. */
bool hs_par_set_solo(bool on);

/* Let rounds wake helpers whatever the machine's load (false), so that
 * tests exercise the threads on a busy machine, or judge the load first
 * (true, the default); returns the previous setting. */
bool hs_par_set_gate(bool on);

/* What the executor did since the last hs_par_stats_reset, over every
 * kind of job: rounds run on several threads and on the caller alone
 * (the fallback, or no CPU free: busy_rounds of them; jobs of one part,
 * nested jobs and --threads 1 are not counted), their wall time, and the
 * windows judged. */
struct hs_par_stats {
    unsigned long long par_rounds, solo_rounds;
    long long par_ns, solo_ns;
    unsigned long windows_kept, windows_fell_back;
    unsigned long long busy_rounds;
};

void hs_par_stats_get(struct hs_par_stats *s);
void hs_par_stats_reset(void);

/* ---- the CPU quota, parsed from text (testable without a cgroup) ---- */

/* cgroup v2 cpu.max ("max 100000" or "150000 100000"): *cpus the quota in
 * CPUs, 0 for no limit.  -1 when the text is not in that form. */
int hs_par_parse_cpu_max(const char *text, double *cpus);

/* cgroup v1 cpu.cfs_quota_us and cpu.cfs_period_us texts: *cpus as above
 * (a quota of -1 is no limit).  -1 when either is malformed. */
int hs_par_parse_cfs(const char *quota, const char *period, double *cpus);

/* The quota that applies to the process described by proc_cgroup (the
 * text of /proc/self/cgroup), reading the cgroup files under root (normally
 * "/sys/fs/cgroup"): the smallest quota on the path from the process's own
 * cgroup up to the root, for v2 and v1 (controllers "cpu" or "cpu,cpuacct"
 * mounted as root/cpu or root/cpu,cpuacct).  0 when nothing limits. */
double hs_par_cgroup_quota(const char *root, const char *proc_cgroup);

/* The idle time of all CPUs together (idle plus iowait) from the first
 * line of /proc/stat, in ns for ticks of 1/tick s; -1 when malformed. */
int hs_par_parse_proc_stat(const char *text, long tick, int64_t *idle_ns);

/* /proc/loadavg ("0.52 0.58 0.59 3/467 12345"): *running, the tasks
 * runnable over the whole machine at that instant, the reader included.
 * -1 when malformed. */
int hs_par_parse_loadavg(const char *text, int *running);

/* Helpers a round may wake, at most want: the CPUs (of online) that no
 * other task runs on, when `running` tasks are runnable, the caller and
 * `own` of its awake helpers among them, less the caller's own CPU.  The
 * count is of the whole machine: with an affinity mask or a cgroup quota
 * it is an estimate, which the fallback above corrects. */
int hs_par_free_helpers(int want, int online, int running, int own);

/* Whole CPUs from the affinity count and the quota (0: none). */
int hs_par_cpus_from(int affinity, double quota);

#endif

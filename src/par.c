/* par.c: the logical thread count, the CPUs this process may use, and the
 * executor of par.h.
 *
 * Why not OpenMP's parallel loops: libgomp's threads spin at a barrier
 * (GOMP_SPINCOUNT) and a loop's static schedule hands each thread its
 * share up front.  With another process on one of two cores, the thread
 * sharing that core gets half of it while its peer spins on the other
 * core waiting for it: a per-batch barrier then costs a scheduler slice
 * (milliseconds) instead of microseconds.  Here parts are claimed as
 * threads arrive, the caller sleeps (futex) once it has nothing left to
 * claim, which hands its core to the late helper, and a controller falls
 * back to the calling thread alone when rounds take longer than the
 * caller alone would take.
 *
 * The round's state is one 64-bit ticket: round number (24 bits), part
 * count (20) and next unclaimed part (20).  A claim is a compare-and-swap
 * on it, so a helper that wakes up after its round ended can never take a
 * part of a later round by mistake; the round's function and context are
 * read only after a successful claim, when they cannot change (the
 * caller waits for every claimed part before starting another round).
 */
#include "config.h"

#include "par.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#endif

/* Helper threads at most (a job uses CPUs - 1 of them). */
#define MAX_HELPERS 63
/* How long an idle helper watches for the next round before sleeping:
 * the serial step between two rounds of a training (an optimiser step)
 * fits well inside it on a quiet machine. */
#define HELPER_SPIN_NS 100000
/* How long the caller watches for the last part before sleeping. */
#define CALLER_SPIN_NS 20000
/* Rounds are judged over windows of at least this much wall time. */
#define WINDOW_NS 4000000
/* The fallback to the caller alone lasts this long at first, twice as
 * long after each probe that fails again, at most SOLO_MAX_NS. */
#define SOLO_MIN_NS 32000000
#define SOLO_MAX_NS INT64_C(4096000000)

#define MASK20 ((uint64_t)0xfffff)
/* How much faster than the caller's estimate parallel rounds must be. */
#define PAR_GAIN 1.5

static atomic_int g_threads;  /* --threads; 0: the CPUs */
static atomic_int g_cpus;     /* hs_par_cpus, once known */
static atomic_int g_max_workers;
static atomic_bool g_solo;
static atomic_bool g_no_gate; /* hs_par_set_gate(false) */

/* Set on helper threads, and on any thread while it runs a part. */
static _Thread_local bool tls_helper, tls_in_job;
/* The running thread's slot in the current job (hs_par_slot). */
static _Thread_local int tls_slot;

struct pool {
    pthread_mutex_t lock; /* held by the thread whose job is running */
    int nhelpers;
    bool started;
    _Atomic uint64_t ticket;
    _Atomic uint32_t gen;     /* futex word of idle helpers: bumped each round */
    _Atomic uint32_t done;    /* parts finished: futex word of the caller */
    atomic_int sleepers;      /* helpers asleep on gen */
    atomic_int seats;         /* helpers that may still join the round */
    atomic_bool caller_waits;
    _Atomic uint64_t fail;    /* (part << 32 | rc) of the lowest failing part */
    hs_par_fn fn;
    void *ctx;
    uint64_t round;
};

/* The controller of one kind of job, known by its part function: a
 * training whose rounds fell back to the caller says nothing of the
 * scoring that follows it, so each keeps its own record.  Touched by the
 * pool's lock holder only. */
struct controller {
    hs_par_fn fn;
    bool warm;                /* a round has run: the first (thread start, first touches) is not judged */
    int64_t est_ns, wall_ns, solo_until, solo_for;
    int64_t idle_ns, idle_at; /* the machine's idle CPU time at the last reading, and when
                                 (0 while a probe runs: no reading pending) */
};

#define NCONTROLLERS 16
static struct controller C[NCONTROLLERS];
static unsigned c_next; /* the slot a new kind takes when all are in use */

static struct controller *
controller_of(hs_par_fn fn)
{
    struct controller *c;

    for (unsigned i = 0; i < NCONTROLLERS; i++)
        if (C[i].fn == fn)
            return &C[i];
    c = &C[c_next++ % NCONTROLLERS];
    *c = (struct controller){.fn = fn};
    return c;
}

static struct pool P = {.lock = PTHREAD_MUTEX_INITIALIZER};
/* Touched by the pool's lock holder only. */
static struct hs_par_stats S;

static int64_t
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Sleep while *w == v (or spuriously); wake n sleepers on w. */
static void
word_wait(_Atomic uint32_t *w, uint32_t v)
{
#ifdef __linux__
    syscall(SYS_futex, (uint32_t *)w, FUTEX_WAIT_PRIVATE, v, NULL, NULL, 0);
#else
    struct timespec ts = {0, 50000};
    if (atomic_load(w) == v)
        nanosleep(&ts, NULL);
#endif
}

static void
word_wake(_Atomic uint32_t *w, int n)
{
#ifdef __linux__
    syscall(SYS_futex, (uint32_t *)w, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
#else
    (void)w;
    (void)n;
#endif
}

int
hs_par_parse_proc_stat(const char *text, long tick, int64_t *idle_ns)
{
    unsigned long long user, nice, sys, idle, iowait;

    /* "cpu " with its space: "cpu0" and the others are single CPUs */
    if (!text || tick <= 0 || strncmp(text, "cpu", 3) != 0 || (text[3] != ' ' && text[3] != '\t') ||
        sscanf(text, "cpu %llu %llu %llu %llu %llu", &user, &nice, &sys, &idle, &iowait) != 5)
        return -1;
    *idle_ns = (int64_t)((idle + iowait) * (1000000000ULL / (unsigned long long)tick));
    return 0;
}

/* The machine's idle CPU time from /proc/stat, or -1 when unknown.  Its
 * ticks are coarse (10 ms), but the fallback lasts 32 ms or more, and
 * what it needs to know is whether a whole CPU stood idle, not how much. */
static int64_t
machine_idle_ns(void)
{
    char line[256];
    int64_t ns;
    FILE *f = fopen("/proc/stat", "r");
    bool ok = f && fgets(line, sizeof line, f);

    if (f)
        fclose(f);
    return ok && hs_par_parse_proc_stat(line, sysconf(_SC_CLK_TCK), &ns) == 0 ? ns : -1;
}

int
hs_par_parse_loadavg(const char *text, int *running)
{
    double l1, l5, l15;
    long r, total;
    int used = 0;

    /* "0.52 0.58 0.59 3/467 12345": the fourth field is runnable/all */
    if (!text || sscanf(text, "%lf %lf %lf %ld/%ld %*d%n", &l1, &l5, &l15, &r, &total, &used) != 5 ||
        used == 0 || r < 0 || total < r || r > INT_MAX)
        return -1;
    *running = (int)r;
    return 0;
}

int
hs_par_free_helpers(int want, int online, int running, int own)
{
    /* CPUs that others run on: every runnable task but ours (the caller
     * and its `own` helpers still awake from the last round). */
    int others = running - 1 - own, idle;

    if (want <= 0 || online <= 0 || running < 0)
        return want > 0 ? want : 0;
    if (others < 0)
        others = 0;
    idle = online - others - 1;
    return idle < want ? (idle > 0 ? idle : 0) : want;
}

/* How many helpers the round may wake: those CPUs the machine has idle at
 * this instant, from /proc/loadavg's count of runnable tasks (kept open:
 * a pread regenerates it, a few microseconds).  A helper woken where
 * another process runs shares its CPU, and the part it claimed holds the
 * round up for a scheduler slice: far more than a millisecond job gains.
 * want when the count cannot be read. */
static int
helpers_free_now(int want)
{
    static int fd = -2;
    static long online;
    char buf[128];
    int running;
    ssize_t n;

    if (atomic_load(&g_no_gate))
        return want;
    if (fd == -2) {
        fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
        online = sysconf(_SC_NPROCESSORS_ONLN);
    }
    if (fd < 0 || online <= 0 || (n = pread(fd, buf, sizeof buf - 1, 0)) <= 0)
        return want;
    buf[n] = '\0';
    if (hs_par_parse_loadavg(buf, &running))
        return want;
    int awake = P.nhelpers - atomic_load(&P.sleepers);
    return hs_par_free_helpers(want, online > INT_MAX ? INT_MAX : (int)online, running,
                               awake > 0 ? awake : 0);
}

/* ---- the CPUs ---- */

int
hs_par_parse_cpu_max(const char *text, double *cpus)
{
    char q[32];
    double period;
    int used = 0;

    if (!text || sscanf(text, " %31s %lf %n", q, &period, &used) < 2 || text[used] != '\0')
        return -1;
    if (!(period > 0) || !isfinite(period))
        return -1;
    if (strcmp(q, "max") == 0) {
        *cpus = 0;
        return 0;
    }
    char *end;
    double quota = strtod(q, &end);
    if (*end || !(quota > 0) || !isfinite(quota))
        return -1;
    *cpus = quota / period;
    return 0;
}

int
hs_par_parse_cfs(const char *quota, const char *period, double *cpus)
{
    long long q, p;
    int u1 = 0, u2 = 0;

    if (!quota || !period || sscanf(quota, " %lld %n", &q, &u1) < 1 || quota[u1] != '\0' ||
        sscanf(period, " %lld %n", &p, &u2) < 1 || period[u2] != '\0' || p <= 0)
        return -1;
    if (q < 0) {
        if (q != -1)
            return -1;
        *cpus = 0;
        return 0;
    }
    if (q == 0)
        return -1;
    *cpus = (double)q / (double)p;
    return 0;
}

/* The first 255 bytes of a file, NUL-terminated; false when unreadable. */
static bool
read_small(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    size_t n;

    if (!f)
        return false;
    n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = '\0';
    return n > 0;
}

/* min(a, b) where 0 means no limit. */
static double
tighter(double a, double b)
{
    if (a <= 0)
        return b;
    if (b <= 0)
        return a;
    return a < b ? a : b;
}

/* The smallest quota in dir and its parents down to (and with) base. */
static double
quota_up(const char *base, const char *rel, bool v2)
{
    char dir[PATH_MAX], path[PATH_MAX + 32], a[256], b[256];
    double best = 0, c;
    size_t len;

    if (snprintf(dir, sizeof dir, "%s%s%s", base, *rel == '/' ? "" : "/", rel) >= (int)sizeof dir)
        return 0;
    for (;;) {
        len = strlen(dir);
        while (len > strlen(base) && dir[len - 1] == '/')
            dir[--len] = '\0';
        if (v2) {
            snprintf(path, sizeof path, "%s/cpu.max", dir);
            if (read_small(path, a, sizeof a) && hs_par_parse_cpu_max(a, &c) == 0)
                best = tighter(best, c);
        } else {
            snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", dir);
            bool ok = read_small(path, a, sizeof a);
            snprintf(path, sizeof path, "%s/cpu.cfs_period_us", dir);
            if (ok && read_small(path, b, sizeof b) && hs_par_parse_cfs(a, b, &c) == 0)
                best = tighter(best, c);
        }
        if (len <= strlen(base))
            break;
        char *slash = strrchr(dir + strlen(base), '/');
        if (!slash)
            break;
        *slash = '\0';
    }
    return best;
}

/* Is `name` one of the comma-separated controllers in list? */
static bool
has_controller(const char *list, size_t len, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && list[j] != ',')
            j++;
        if (j - i == n && memcmp(list + i, name, n) == 0)
            return true;
        i = j + 1;
    }
    return false;
}

double
hs_par_cgroup_quota(const char *root, const char *proc_cgroup)
{
    char base[PATH_MAX], rel[PATH_MAX];
    double best = 0;

    for (const char *line = proc_cgroup; line && *line;) {
        const char *eol = strchr(line, '\n'), *end = eol ? eol : line + strlen(line);
        const char *c1 = memchr(line, ':', (size_t)(end - line));
        const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
        if (c2 && (size_t)(end - c2) < sizeof rel) {
            size_t clen = (size_t)(c2 - c1 - 1);
            memcpy(rel, c2 + 1, (size_t)(end - c2 - 1));
            rel[end - c2 - 1] = '\0';
            if (clen == 0 && c1 - line == 1 && line[0] == '0') {
                /* v2: the unified hierarchy at root */
                best = tighter(best, quota_up(root, rel, true));
            } else if (has_controller(c1 + 1, clen, "cpu")) {
                /* v1: the cpu controller's own mount */
                snprintf(base, sizeof base, "%s/%.*s", root, (int)clen, c1 + 1);
                best = tighter(best, quota_up(base, rel, false));
                /* inside a container the process's path may not exist
                 * under the mount, whose root is then its own cgroup */
                best = tighter(best, quota_up(base, "/", false));
                snprintf(base, sizeof base, "%s/cpu", root);
                best = tighter(best, quota_up(base, rel, false));
            }
        }
        line = eol ? eol + 1 : NULL;
    }
    return best;
}

int
hs_par_cpus_from(int affinity, double quota)
{
    int n = affinity > 0 ? affinity : 1;
    /* Whole CPUs (as Go's automaxprocs): a thread more than the quota
     * would only be throttled with the others. */
    if (quota > 0 && quota < (double)n)
        n = quota < 1 ? 1 : (int)quota;
    return n;
}

static int
cpus_now(void)
{
    int aff = 0;
    double quota = 0;
#ifdef __linux__
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        aff = CPU_COUNT(&set);
    char *text = malloc(65536);
    if (text) {
        FILE *f = fopen("/proc/self/cgroup", "r");
        if (f) {
            size_t n = fread(text, 1, 65535, f);
            text[n] = '\0';
            fclose(f);
            quota = hs_par_cgroup_quota("/sys/fs/cgroup", text);
        }
        free(text);
    }
#endif
    if (aff <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        aff = n > 0 && n < INT_MAX ? (int)n : 1;
    }
    return hs_par_cpus_from(aff, quota);
}

int
hs_par_cpus(void)
{
    int n = atomic_load(&g_cpus);
    if (n == 0) {
        n = cpus_now();
        atomic_store(&g_cpus, n);
    }
    return n;
}

/* OMP_NUM_THREADS's first number, or 0: a user's explicit choice, kept as
 * the default as when the parallel loops were OpenMP's. */
static int
env_threads(void)
{
    const char *s = getenv("OMP_NUM_THREADS");
    char *end;
    long n;

    if (!s)
        return 0;
    errno = 0;
    n = strtol(s, &end, 10);
    if (errno || end == s || (*end && *end != ',') || n < 1 || n > 4096)
        return 0;
    return (int)n;
}

int
hs_par_threads(void)
{
    int n = atomic_load(&g_threads);
    if (n > 0)
        return n;
    n = env_threads();
    return n > 0 ? n : hs_par_cpus();
}

void
hs_par_set_threads(int n)
{
    atomic_store(&g_threads, n > 0 ? n : 0);
#ifdef _OPENMP
    omp_set_num_threads(hs_par_threads());
#endif
}

int
hs_par_set_max_workers(int n)
{
    return atomic_exchange(&g_max_workers, n > 0 ? n : 0);
}

bool
hs_par_set_solo(bool on)
{
    return atomic_exchange(&g_solo, on);
}

bool
hs_par_set_gate(bool on)
{
    return !atomic_exchange(&g_no_gate, !on);
}

bool
hs_par_on_caller(void)
{
    return !tls_helper;
}

int
hs_par_slot(void)
{
    return tls_slot;
}

/* ---- progress ---- */

void
hs_par_progress_init(struct hs_par_progress *p, const struct hs_task *task, size_t total,
                     const char *what, bool eager)
{
    p->task = task;
    p->what = what;
    p->total = total ? total : 1;
    atomic_init(&p->done, 0);
    p->last = eager ? -1.0 : (double)now_ns() * 1e-9;
}

void
hs_par_progress_add(struct hs_par_progress *p, size_t units)
{
    size_t done = atomic_fetch_add_explicit(&p->done, units, memory_order_relaxed) + units;
    if (!hs_par_on_caller() || !p->task || !p->task->progress)
        return;
    double t = (double)now_ns() * 1e-9;
    if (p->last < 0 || t - p->last > 0.2) {
        p->last = t;
        hs_task_progress(p->task, (double)done / (double)p->total, p->what);
    }
}

/* ---- the executor ---- */

static void
note_failure(size_t part, int rc)
{
    uint64_t mine = (uint64_t)part << 32 | (uint32_t)rc;
    uint64_t cur = atomic_load(&P.fail);
    while (mine < cur && !atomic_compare_exchange_weak(&P.fail, &cur, mine))
        ;
}

/* Claim the next part of the current round: *part and the round's part
 * count, or false when every part is taken.  *round, when not UINT64_MAX,
 * is the only round to claim from (a helper stays in the round it took a
 * seat for); it is set on success. */
static bool
claim(size_t *part, uint32_t *nparts, uint64_t *round)
{
    uint64_t t = atomic_load_explicit(&P.ticket, memory_order_acquire);
    for (;;) {
        uint64_t np = (t >> 20) & MASK20, i = t & MASK20;
        if (i >= np || (*round != UINT64_MAX && t >> 40 != *round))
            return false;
        if (atomic_compare_exchange_weak_explicit(&P.ticket, &t, t + 1, memory_order_acq_rel,
                                                  memory_order_acquire)) {
            *part = (size_t)i;
            *nparts = (uint32_t)np;
            *round = t >> 40;
            return true;
        }
    }
}

static void
finish_part(size_t part, int rc, uint32_t nparts)
{
    if (rc)
        note_failure(part, rc);
    if (atomic_fetch_add(&P.done, 1) + 1 == nparts && atomic_load(&P.caller_waits))
        word_wake(&P.done, 1);
}

/* Parts run with the BLAS on one thread.  OpenBLAS's OpenMP build asks
 * the calling thread's OpenMP default at every call: on a helper that is
 * the process's (every CPU), so a GEMM in a part (an MLP's slice is big
 * enough) would start a team of its own, whose threads spin against the
 * executor's; and a part's numbers must not depend on how the BLAS split
 * it.  Returns the setting that blas_restore brings back. */
static int
blas_hold(void)
{
#ifdef _OPENMP
    int was = omp_get_max_threads();
    if (was != 1)
        omp_set_num_threads(1);
    return was;
#else
    return 1;
#endif
}

static void
blas_restore(int was)
{
#ifdef _OPENMP
    if (was != 1)
        omp_set_num_threads(was);
#else
    (void)was;
#endif
}

static void *
helper_main(void *arg)
{
    uint32_t seen = 0;
    (void)arg;
    blas_hold(); /* for good: a helper runs nothing but parts */
    tls_helper = true;
    tls_in_job = true; /* a job started inside a part runs inline */
    for (;;) {
        int64_t t0 = now_ns();
        uint32_t g;
        for (unsigned spin = 0; (g = atomic_load(&P.gen)) == seen; spin++) {
            if ((spin & 63) == 63 && now_ns() - t0 > HELPER_SPIN_NS) {
                atomic_fetch_add(&P.sleepers, 1);
                if (atomic_load(&P.gen) == seen)
                    word_wait(&P.gen, seen);
                atomic_fetch_sub(&P.sleepers, 1);
                t0 = now_ns();
            } else {
                cpu_relax();
            }
        }
        seen = g;
        int seat = atomic_fetch_sub(&P.seats, 1);
        if (seat <= 0)
            continue;
        tls_slot = seat;
        size_t part;
        uint32_t np;
        uint64_t round = UINT64_MAX;
        while (claim(&part, &np, &round))
            finish_part(part, P.fn(P.ctx, part), np);
    }
    return NULL;
}

static void
pool_start(void)
{
    int want = hs_par_cpus() - 1;
    pthread_attr_t attr;

    P.started = true;
    if (want > MAX_HELPERS)
        want = MAX_HELPERS;
    atomic_store(&P.fail, UINT64_MAX);
    if (want < 1 || pthread_attr_init(&attr))
        return;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (int k = 0; k < want; k++) {
        pthread_t th;
        if (pthread_create(&th, &attr, helper_main, NULL))
            break;
        P.nhelpers++;
    }
    pthread_attr_destroy(&attr);
}

static int
run_inline(size_t nparts, hs_par_fn fn, void *ctx)
{
    bool was = tls_in_job;
    int first = 0, slot = tls_slot, blas = blas_hold();

    tls_in_job = true;
    tls_slot = 0;
    for (size_t k = 0; k < nparts; k++) {
        int rc = fn(ctx, k);
        if (rc && !first)
            first = rc;
    }
    tls_in_job = was;
    tls_slot = slot;
    blas_restore(blas);
    return first;
}

/* After a round: was it worth the helpers?  The caller's own time per
 * part times the part count is what the round would have cost alone, but
 * measured while the caller shared the machine with its helpers: alone,
 * with the helpers asleep, it gets more of a CPU that another process
 * also wants (a third more with one competitor on two cores).  So the
 * helpers must beat that estimate by PAR_GAIN to keep their place; on a
 * quiet machine two threads beat it by nearly 2. */
static void
judge(struct controller *c, int64_t caller_ns, size_t caller_parts, size_t nparts, int64_t wall_ns,
      int64_t now)
{
    c->est_ns += (int64_t)((double)caller_ns / (double)caller_parts * (double)nparts);
    c->wall_ns += wall_ns;
    if (c->wall_ns < WINDOW_NS)
        return;
    if ((double)c->est_ns < PAR_GAIN * (double)c->wall_ns) {
        S.windows_fell_back++;
        c->solo_for = c->solo_for ? c->solo_for * 2 : SOLO_MIN_NS;
        if (c->solo_for > SOLO_MAX_NS)
            c->solo_for = SOLO_MAX_NS;
        c->solo_until = now + c->solo_for;
        c->idle_ns = machine_idle_ns();
        c->idle_at = now;
    } else {
        S.windows_kept++;
        c->solo_for = 0;
    }
    c->est_ns = c->wall_ns = 0;
}

/* Did at least half a CPU of the machine stand idle since the fallback
 * began?  True when that cannot be known.  Takes a new reading either way. */
static bool
cpu_stood_idle(struct controller *c, int64_t now)
{
    int64_t idle = machine_idle_ns(), before = c->idle_ns, span = now - c->idle_at;
    c->idle_ns = idle;
    c->idle_at = now;
    if (idle < 0 || before < 0 || span <= 0)
        return true;
    return (double)(idle - before) >= 0.5 * (double)span;
}

int
hs_par_threads_free(int threads)
{
    int n;

    if (threads > hs_par_cpus())
        threads = hs_par_cpus();
    if (threads <= 1 || tls_in_job || atomic_load(&g_solo))
        return 1;
    /* the reading's file and the pool's counts are the lock holder's */
    if (pthread_mutex_trylock(&P.lock))
        return 1;
    n = 1 + helpers_free_now(threads - 1);
    pthread_mutex_unlock(&P.lock);
    return n;
}

int
hs_par_run(size_t nparts, int threads, hs_par_fn fn, void *ctx)
{
    int maxw = atomic_load(&g_max_workers), cpus = hs_par_cpus(), rc;

    if (nparts == 0)
        return 0;
    if (threads > cpus)
        threads = cpus;
    if (maxw > 0 && threads > maxw)
        threads = maxw;
    if ((size_t)threads > nparts)
        threads = (int)nparts;
    if (nparts > HS_PAR_MAX_PARTS)
        threads = 1;
    if (threads <= 1 || tls_in_job || atomic_load(&g_solo) || pthread_mutex_trylock(&P.lock))
        return run_inline(nparts, fn, ctx);
    int64_t t0 = now_ns();
    struct controller *ctl = controller_of(fn);
    if (ctl->solo_for && ctl->idle_at && t0 >= ctl->solo_until) {
        if (ctl->solo_for < SOLO_MAX_NS && !cpu_stood_idle(ctl, t0)) {
            /* Nothing was idle while the caller worked alone: a helper
             * would most likely take a CPU from another process and hold
             * the round up, so the fallback goes on, twice as long,
             * without a probe.  At the longest it probes anyway: the CPUs
             * may be busy with work of lower priority that a helper would
             * displace. */
            ctl->solo_for *= 2;
            ctl->solo_until = t0 + ctl->solo_for;
        } else {
            /* The probe: parallel rounds until a window is judged. */
            ctl->idle_at = 0;
        }
    }
    /* Before the pool starts too: a short command on a busy machine
     * never creates its threads. */
    int seats = t0 < ctl->solo_until ? 0 : helpers_free_now(threads - 1);
    bool busy = t0 >= ctl->solo_until && seats == 0;
    if (seats > 0 && !P.started)
        pool_start();
    if (seats > P.nhelpers)
        seats = P.nhelpers;
    if (seats == 0) {
        rc = run_inline(nparts, fn, ctx);
        S.solo_rounds++;
        S.busy_rounds += busy;
        S.solo_ns += now_ns() - t0;
        pthread_mutex_unlock(&P.lock);
        return rc;
    }

    P.fn = fn;
    P.ctx = ctx;
    P.round = (P.round + 1) & 0xffffff;
    atomic_store(&P.done, 0);
    atomic_store(&P.fail, UINT64_MAX);
    atomic_store(&P.caller_waits, false);
    atomic_store(&P.seats, seats);
    /* Part 0 is the caller's: it may report progress (task.h). */
    atomic_store_explicit(&P.ticket, P.round << 40 | (uint64_t)nparts << 20 | 1,
                          memory_order_release);
    atomic_fetch_add(&P.gen, 1);
    if (atomic_load(&P.sleepers) > 0)
        word_wake(&P.gen, seats);

    tls_in_job = true;
    tls_slot = 0;
    int blas = blas_hold();
    size_t part = 0, mine = 1;
    uint32_t np = (uint32_t)nparts;
    uint64_t round = P.round;
    finish_part(0, fn(ctx, 0), np);
    while (claim(&part, &np, &round)) {
        finish_part(part, fn(ctx, part), np);
        mine++;
    }
    int64_t t1 = now_ns();
    uint32_t d;
    while ((d = atomic_load(&P.done)) != nparts) {
        if (now_ns() - t1 < CALLER_SPIN_NS) {
            cpu_relax();
            continue;
        }
        atomic_store(&P.caller_waits, true);
        if ((d = atomic_load(&P.done)) != nparts)
            word_wait(&P.done, d);
    }
    tls_in_job = false;
    blas_restore(blas);
    int64_t t2 = now_ns();
    if (ctl->warm)
        judge(ctl, t1 - t0, mine, nparts, t2 - t0, t2);
    ctl->warm = true;
    S.par_rounds++;
    S.par_ns += t2 - t0;
    uint64_t f = atomic_load(&P.fail);
    rc = f == UINT64_MAX ? 0 : (int)(uint32_t)f;
    pthread_mutex_unlock(&P.lock);
    return rc;
}

void
hs_par_stats_get(struct hs_par_stats *s)
{
    pthread_mutex_lock(&P.lock);
    *s = S;
    pthread_mutex_unlock(&P.lock);
}

void
hs_par_stats_reset(void)
{
    pthread_mutex_lock(&P.lock);
    memset(&S, 0, sizeof S);
    pthread_mutex_unlock(&P.lock);
}

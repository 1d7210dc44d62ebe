/* test_par.c: the executor (every part once, the lowest failure, part 0 on
 * the caller, nested jobs) and the CPU quota read from fixture text and
 * fixture cgroup trees. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "par.h"

static void
test_cpu_max(void **state)
{
    double c = -1;
    (void)state;
    assert_int_equal(hs_par_parse_cpu_max("max 100000\n", &c), 0);
    assert_true(c == 0);
    assert_int_equal(hs_par_parse_cpu_max("150000 100000\n", &c), 0);
    assert_true(c == 1.5);
    assert_int_equal(hs_par_parse_cpu_max("50000 100000", &c), 0);
    assert_true(c == 0.5);
    assert_int_equal(hs_par_parse_cpu_max("", &c), -1);
    assert_int_equal(hs_par_parse_cpu_max("max", &c), -1);
    assert_int_equal(hs_par_parse_cpu_max("100000 0\n", &c), -1);
    assert_int_equal(hs_par_parse_cpu_max("-5 100000\n", &c), -1);
    assert_int_equal(hs_par_parse_cpu_max("12x 100000\n", &c), -1);
    assert_int_equal(hs_par_parse_cpu_max("100 100 100\n", &c), -1);
}

static void
test_cfs(void **state)
{
    double c = -1;
    (void)state;
    assert_int_equal(hs_par_parse_cfs("-1\n", "100000\n", &c), 0);
    assert_true(c == 0);
    assert_int_equal(hs_par_parse_cfs("250000\n", "100000\n", &c), 0);
    assert_true(c == 2.5);
    assert_int_equal(hs_par_parse_cfs("-2\n", "100000\n", &c), -1);
    assert_int_equal(hs_par_parse_cfs("100000\n", "0\n", &c), -1);
    assert_int_equal(hs_par_parse_cfs("abc\n", "100000\n", &c), -1);
    assert_int_equal(hs_par_parse_cfs("100000\n", "", &c), -1);
}

/* The first line of /proc/stat: user nice system idle iowait irq ...,
 * in ticks; idle time is idle plus iowait. */
static void
test_proc_stat(void **state)
{
    int64_t ns = -1;
    (void)state;
    assert_int_equal(
        hs_par_parse_proc_stat("cpu  2849990 74688 328985 973652 16353 0 4324 3553 0 0\n", 100, &ns),
        0);
    assert_true(ns == (int64_t)(973652 + 16353) * 10000000);
    assert_int_equal(hs_par_parse_proc_stat("cpu 1 2 3 4 5\n", 250, &ns), 0);
    assert_true(ns == 9 * 4000000);
    assert_int_equal(hs_par_parse_proc_stat("cpu0 1 2 3 4 5\n", 100, &ns), -1);
    assert_int_equal(hs_par_parse_proc_stat("cpu 1 2 3 4\n", 100, &ns), -1);
    assert_int_equal(hs_par_parse_proc_stat("", 100, &ns), -1);
    assert_int_equal(hs_par_parse_proc_stat("cpu 1 2 3 4 5\n", 0, &ns), -1);
}

/* /proc/loadavg: the fourth field's runnable count; the kernel's own file
 * parses when there is one. */
static void
test_loadavg(void **state)
{
    int r = -1;
    char buf[256];
    FILE *f;
    (void)state;
    assert_int_equal(hs_par_parse_loadavg("0.52 0.58 0.59 3/467 12345\n", &r), 0);
    assert_int_equal(r, 3);
    assert_int_equal(hs_par_parse_loadavg("11.22 5.22 3.03 14/174 20466", &r), 0);
    assert_int_equal(r, 14);
    assert_int_equal(hs_par_parse_loadavg("0.00 0.00 0.00 0/1 1\n", &r), 0);
    assert_int_equal(r, 0);
    assert_int_equal(hs_par_parse_loadavg("0.52 0.58 0.59 3 12345\n", &r), -1);
    assert_int_equal(hs_par_parse_loadavg("0.52 0.58 0.59 9/4 12345\n", &r), -1);
    assert_int_equal(hs_par_parse_loadavg("0.52 0.58 0.59 -1/4 12345\n", &r), -1);
    assert_int_equal(hs_par_parse_loadavg("0.52 0.58 0.59 3/467\n", &r), -1);
    assert_int_equal(hs_par_parse_loadavg("", &r), -1);
    assert_int_equal(hs_par_parse_loadavg(NULL, &r), -1);
    if ((f = fopen("/proc/loadavg", "r"))) {
        assert_non_null(fgets(buf, sizeof buf, f));
        fclose(f);
        r = -1;
        assert_int_equal(hs_par_parse_loadavg(buf, &r), 0);
        assert_true(r >= 1); /* this process is running */
    }
}

/* Helpers a round may wake: the CPUs nothing else runs on, the caller's
 * and its awake helpers' own CPUs not counted as taken. */
static void
test_free_helpers(void **state)
{
    (void)state;
    /* 2 CPUs: quiet (only the caller runs), and one competitor */
    assert_int_equal(hs_par_free_helpers(1, 2, 1, 0), 1);
    assert_int_equal(hs_par_free_helpers(1, 2, 2, 0), 0);
    /* the helper still spinning from the last round is ours */
    assert_int_equal(hs_par_free_helpers(1, 2, 2, 1), 1);
    assert_int_equal(hs_par_free_helpers(1, 2, 3, 1), 0);
    /* a build of eight jobs */
    assert_int_equal(hs_par_free_helpers(1, 2, 9, 0), 0);
    /* 8 CPUs, 3 taken by others: 4 free beside the caller */
    assert_int_equal(hs_par_free_helpers(7, 8, 4, 0), 4);
    assert_int_equal(hs_par_free_helpers(3, 8, 4, 0), 3);
    assert_int_equal(hs_par_free_helpers(7, 8, 6, 2), 4);
    /* a count read while our threads went to sleep: never below zero
     * others, never above want */
    assert_int_equal(hs_par_free_helpers(1, 2, 0, 1), 1);
    assert_int_equal(hs_par_free_helpers(0, 2, 1, 0), 0);
    /* nothing known: want */
    assert_int_equal(hs_par_free_helpers(3, 0, 1, 0), 3);
    assert_int_equal(hs_par_free_helpers(3, 4, -1, 0), 3);
}

/* The statistics count rounds on several threads and on the caller alone,
 * and start again from zero. */
static int
nothing(void *ctx, size_t part)
{
    (void)ctx;
    (void)part;
    return 0;
}

static void
test_stats(void **state)
{
    struct hs_par_stats st;
    (void)state;
    hs_par_stats_reset();
    hs_par_stats_get(&st);
    assert_true(st.par_rounds == 0 && st.solo_rounds == 0 && st.par_ns == 0);
    for (int k = 0; k < 3; k++)
        assert_int_equal(hs_par_run(4, 2, nothing, NULL), 0);
    hs_par_stats_get(&st);
    /* On one CPU every job runs inline and is not a round of either kind. */
    if (hs_par_cpus() > 1)
        assert_true(st.par_rounds + st.solo_rounds == 3);
    else
        assert_true(st.par_rounds + st.solo_rounds == 0);
    assert_true(st.busy_rounds <= st.solo_rounds);
    /* Without the gate no round is counted as busy. */
    bool was = hs_par_set_gate(false);
    assert_true(was);
    hs_par_stats_reset();
    for (int k = 0; k < 3; k++)
        assert_int_equal(hs_par_run(4, 2, nothing, NULL), 0);
    hs_par_stats_get(&st);
    assert_true(st.busy_rounds == 0);
    assert_false(hs_par_set_gate(was));
    hs_par_stats_reset();
    hs_par_stats_get(&st);
    assert_true(st.par_rounds == 0 && st.solo_rounds == 0);
}

static void
test_cpus_from(void **state)
{
    (void)state;
    assert_int_equal(hs_par_cpus_from(2, 0), 2);
    assert_int_equal(hs_par_cpus_from(2, 1.5), 1);
    assert_int_equal(hs_par_cpus_from(8, 2.5), 2);
    assert_int_equal(hs_par_cpus_from(2, 0.25), 1);
    assert_int_equal(hs_par_cpus_from(1, 4), 1);
    assert_int_equal(hs_par_cpus_from(4, 3), 3);
    assert_int_equal(hs_par_cpus_from(0, 0), 1);
    assert_true(hs_par_cpus() >= 1);
}

static void
put(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_non_null(f = fopen(path, "w"));
    fputs(text, f);
    fclose(f);
}

static void
mkdirs(const char *root, const char *rel, char *out, size_t cap)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", root, rel);
    for (char *p = buf + strlen(root) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0700);
            *p = '/';
        }
    mkdir(buf, 0700);
    snprintf(out, cap, "%s", buf);
}

/* The tightest quota along the path, v2 and v1, and no quota where none
 * is set or the controller is not cpu. */
static void
test_cgroup_tree(void **state)
{
    char root[] = "/tmp/hs-par-XXXXXX", d[512];
    (void)state;
    assert_non_null(mkdtemp(root));

    /* v2: the parent's 1.0 is tighter than the leaf's 2.0, the root's
     * "max" does not limit */
    mkdirs(root, "a/b", d, sizeof d);
    put(d, "cpu.max", "200000 100000\n");
    mkdirs(root, "a", d, sizeof d);
    put(d, "cpu.max", "100000 100000\n");
    put(root, "cpu.max", "max 100000\n");
    assert_true(hs_par_cgroup_quota(root, "0::/a/b\n") == 1.0);
    assert_true(hs_par_cgroup_quota(root, "0::/a/b") == 1.0);
    mkdirs(root, "c", d, sizeof d);
    put(d, "cpu.max", "max 100000\n");
    assert_true(hs_par_cgroup_quota(root, "0::/c\n") == 0);
    assert_true(hs_par_cgroup_quota(root, "0::/\n") == 0);
    /* a path that does not exist (another namespace) limits nothing */
    assert_true(hs_par_cgroup_quota(root, "0::/nowhere/x\n") == 0);

    /* v1, cpu and cpuacct mounted together */
    mkdirs(root, "cpu,cpuacct/job", d, sizeof d);
    put(d, "cpu.cfs_quota_us", "150000\n");
    put(d, "cpu.cfs_period_us", "100000\n");
    const char *v1 = "12:memory:/job\n4:cpu,cpuacct:/job\n1:name=systemd:/job\n";
    assert_true(hs_par_cgroup_quota(root, v1) == 1.5);
    assert_true(hs_par_cgroup_quota(root, "12:memory:/job\n") == 0);
    /* v1 with the controller alone, and no quota (-1) */
    mkdirs(root, "cpu/other", d, sizeof d);
    put(d, "cpu.cfs_quota_us", "-1\n");
    put(d, "cpu.cfs_period_us", "100000\n");
    assert_true(hs_par_cgroup_quota(root, "3:cpu:/other\n") == 0);
    put(d, "cpu.cfs_quota_us", "300000\n");
    assert_true(hs_par_cgroup_quota(root, "3:cpu:/other\n") == 3.0);
    assert_int_equal(hs_par_cpus_from(8, hs_par_cgroup_quota(root, v1)), 1);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
}

static void
test_range(void **state)
{
    (void)state;
    for (size_t n = 0; n < 40; n++)
        for (size_t p = 1; p < 9; p++) {
            size_t next = 0;
            for (size_t k = 0; k < p; k++) {
                size_t lo, hi;
                hs_par_range(n, p, k, &lo, &hi);
                assert_int_equal(lo, next);
                assert_true(hi - lo == n / p || hi - lo == n / p + 1);
                next = hi;
            }
            assert_int_equal(next, n);
        }
}

struct job {
    int threads;
    atomic_int *hits;
    bool part0_on_caller;
    int fail_from; /* parts >= this fail with rc = part + 100 */
    int nested;
    double *out;
};

static int
sub_part(void *ctx, size_t part)
{
    double *o = ctx;
    o[part] = (double)part * 0.5;
    return 0;
}

static int
part_fn(void *ctx, size_t part)
{
    struct job *j = ctx;
    atomic_fetch_add(&j->hits[part], 1);
    /* a slot for per-thread scratch: below the thread count */
    assert_true(hs_par_slot() >= 0 && hs_par_slot() < j->threads);
    if (part == 0)
        j->part0_on_caller = hs_par_on_caller();
    /* some work, so that helpers take part */
    double s = 0;
    for (int i = 0; i < 2000; i++)
        s += (double)((int)part ^ i) * 1e-3;
    j->out[part] = s;
    if (j->nested) {
        double sub[4];
        assert_int_equal(hs_par_run(4, 2, sub_part, sub), 0);
        j->out[part] += sub[3];
    }
    return j->fail_from >= 0 && (int)part >= j->fail_from ? (int)part + 100 : 0;
}

static void
run_job(size_t n, int threads, int fail_from, int nested)
{
    atomic_int *hits = calloc(n, sizeof *hits);
    double *out = calloc(n, sizeof *out);
    struct job j = {threads, hits, false, fail_from, nested, out};
    int want = fail_from >= 0 && (size_t)fail_from < n ? fail_from + 100 : 0;

    assert_non_null(hits);
    assert_int_equal(hs_par_run(n, threads, part_fn, &j), want);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(atomic_load(&hits[k]), 1);
        double s = 0;
        for (int i = 0; i < 2000; i++)
            s += (double)((int)k ^ i) * 1e-3;
        assert_true(out[k] == s + (nested ? 1.5 : 0));
    }
    if (n)
        assert_true(j.part0_on_caller);
    free(hits);
    free(out);
}

/* Each part exactly once, whatever the thread count, the number of
 * workers allowed, or the fallback. */
static void
test_every_part_once(void **state)
{
    (void)state;
    for (int gate = 0; gate < 2; gate++) {
        for (int solo = 0; solo < 2; solo++)
            for (int w = 1; w <= 3; w++) {
                bool was = hs_par_set_solo(solo), gwas = hs_par_set_gate(gate);
                int prev = hs_par_set_max_workers(w);
                for (int rep = 0; rep < 50; rep++) {
                    run_job(0, 2, -1, 0);
                    run_job(1, 2, -1, 0);
                    run_job(2, 2, -1, 0);
                    run_job(7, 4, -1, 0);
                    run_job(1000, 2, -1, 0);
                }
                run_job(5, 2, -1, 1);
                hs_par_set_max_workers(prev);
                hs_par_set_solo(was);
                hs_par_set_gate(gwas);
            }
    }
}

/* The lowest-numbered failure is the result, and every part still ran. */
static void
test_lowest_failure(void **state)
{
    (void)state;
    for (int rep = 0; rep < 100; rep++) {
        run_job(64, 2, 40, 0);
        run_job(64, 2, 0, 0);
        run_job(64, 2, 63, 0);
    }
}

/* A second thread's job while one runs: it runs inline, with its parts. */
static void *
other_thread(void *arg)
{
    (void)arg;
    for (int rep = 0; rep < 200; rep++)
        run_job(16, 2, -1, 0);
    return NULL;
}

static void
test_two_callers(void **state)
{
    pthread_t th;
    (void)state;
    assert_int_equal(pthread_create(&th, NULL, other_thread, NULL), 0);
    for (int rep = 0; rep < 200; rep++)
        run_job(16, 2, 5, 0);
    assert_int_equal(pthread_join(th, NULL), 0);
}

/* Progress: reported from the calling thread only, the fraction growing
 * to the whole. */
struct prog_seen {
    pthread_t caller;
    int calls, foreign;
    double last;
};

static void
on_progress(void *user, double fraction, const char *what)
{
    struct prog_seen *ps = user;
    ps->calls++;
    if (!pthread_equal(pthread_self(), ps->caller))
        ps->foreign++;
    assert_string_equal(what, "testing");
    assert_true(fraction >= ps->last && fraction <= 1.0);
    ps->last = fraction;
}

static int
slow_part(void *ctx, size_t part)
{
    struct timespec ts = {0, 2000000};
    (void)part;
    nanosleep(&ts, NULL);
    hs_par_progress_add(ctx, 1);
    return 0;
}

static void
test_progress(void **state)
{
    struct prog_seen ps = {pthread_self(), 0, 0, 0};
    struct hs_task task = {on_progress, &ps, NULL};
    struct hs_par_progress p;
    (void)state;
    hs_par_progress_init(&p, &task, 200, "testing", true);
    assert_int_equal(hs_par_run(200, 2, slow_part, &p), 0);
    assert_true(ps.calls >= 1);
    assert_int_equal(ps.foreign, 0);
    assert_int_equal(atomic_load(&p.done), 200);
}

static void
test_threads_setting(void **state)
{
    (void)state;
    hs_par_set_threads(3);
    assert_int_equal(hs_par_threads(), 3);
    hs_par_set_threads(0);
    assert_int_equal(hs_par_threads(), hs_par_cpus());
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpu_max),        cmocka_unit_test(test_cfs),
        cmocka_unit_test(test_proc_stat),      cmocka_unit_test(test_stats),
        cmocka_unit_test(test_loadavg),        cmocka_unit_test(test_free_helpers),
        cmocka_unit_test(test_cpus_from),      cmocka_unit_test(test_cgroup_tree),
        cmocka_unit_test(test_range),          cmocka_unit_test(test_every_part_once),
        cmocka_unit_test(test_lowest_failure), cmocka_unit_test(test_two_callers),
        cmocka_unit_test(test_progress),       cmocka_unit_test(test_threads_setting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

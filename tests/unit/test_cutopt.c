/* Unit tests of the cut optimiser (src/cutopt.c): the background it finds
 * against an exhaustive search of every box on a grid of thresholds
 * (written here with 2-D cumulative sums), every box recounted by brute
 * force, reproducibility, usage errors and cancel. */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include <cmocka.h>

#include "test_util.h"

#include "cutopt.h"
#include "mem.h"

/* A reproducible stream (xorshift64*), not the engine's. */
static uint64_t rng_state;

static double
uniform(void)
{
    return tu_unit(tu_xorshift(&rng_state));
}

static double
gauss(void)
{
    double u = uniform(), v = uniform();
    return tu_box_muller(u, v);
}

struct data {
    size_t n, nf;
    double *col[4];
    double *label, *weight;
    unsigned char *train, *test;
};

/* Signal: correlated Gaussians in (x, y); background broad and shifted.
 * Feature 2 (when nf > 2) has the same distribution for both classes;
 * feature 3 is a weak separator with some missing values. */
static void
make_data(struct data *d, size_t nsig, size_t nbkg, size_t nf, uint64_t seed, int weighted)
{
    size_t n = nsig + nbkg;
    d->n = n, d->nf = nf;
    for (size_t k = 0; k < nf; k++)
        d->col[k] = malloc(n * sizeof(double));
    d->label = malloc(n * sizeof(double));
    d->weight = weighted ? malloc(n * sizeof(double)) : NULL;
    d->train = malloc(n);
    d->test = malloc(n);
    rng_state = seed;
    for (size_t i = 0; i < n; i++) {
        int sig = i < nsig;
        double a = gauss(), b = gauss();
        if (sig) {
            d->col[0][i] = a;
            d->col[1][i] = 0.6 * a + 0.8 * b + 0.3;
        } else {
            d->col[0][i] = 1.0 + 2.5 * a;
            d->col[1][i] = -0.5 + 2.0 * b + 0.4 * a;
        }
        if (nf > 2)
            d->col[2][i] = gauss() * 3;
        if (nf > 3)
            d->col[3][i] = uniform() < 0.01 ? NAN : (sig ? 0.0 : 0.5) + gauss();
        d->label[i] = sig ? 1 : 0;
        if (weighted)
            d->weight[i] = 0.5 + uniform();
        /* weighted == 2: some negative weights, as NLO generators give. */
        if (weighted == 2 && uniform() < 0.08)
            d->weight[i] = -0.4 * d->weight[i];
        d->train[i] = (i % 2) == 0;
        d->test[i] = !d->train[i];
    }
}

static void
free_data(struct data *d)
{
    for (size_t k = 0; k < d->nf; k++)
        free(d->col[k]);
    free(d->label);
    free(d->weight);
    free(d->train);
    free(d->test);
}

static void
config_for(struct hs_cutopt_config *c, const struct data *d, const double *targets, size_t nt)
{
    static const char *names[] = {"x", "y", "z", "u"};
    memset(c, 0, sizeof *c);
    c->nfeat = d->nf;
    c->vals = (const double *const *)d->col;
    c->names = names;
    c->label = d->label;
    c->weight = d->weight;
    c->train = d->train;
    c->test = d->test;
    c->n = d->n;
    c->targets = targets;
    c->ntargets = nt;
    c->seed = 7;
}

/* Brute-force figures of a box over the rows of mask. */
static void
recount(const struct data *d, const unsigned char *mask, const double *lo, const double *hi,
        double *seff, double *beff, double *s, double *b, size_t *ns, size_t *nb)
{
    double st = 0, bt = 0;
    *s = *b = 0;
    *ns = *nb = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!mask[i])
            continue;
        double w = d->weight ? d->weight[i] : 1;
        int pass = 1;
        for (size_t k = 0; k < d->nf; k++)
            if (!(d->col[k][i] >= lo[k] && d->col[k][i] < hi[k]))
                pass = 0;
        if (d->label[i] == 1) {
            st += w;
            if (pass)
                *s += w, (*ns)++;
        } else {
            bt += w;
            if (pass)
                *b += w, (*nb)++;
        }
    }
    *seff = *s / st;
    *beff = *b / bt;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The exhaustive reference: every box [a, b) x [c, d) whose ends are one
 * of G thresholds (quantiles of the training events) or open, with 2-D
 * cumulative sums so that each box is O(1); the least training background
 * with at least target of the training signal, for each target. */
#define G 110
static void
exhaustive(const struct data *d, const double *targets, size_t nt, double *best)
{
    size_t m = 0, nc = G + 1;
    double th[2][G], *v = malloc(d->n * sizeof *v);
    static double cs[G + 2][G + 2], cb[G + 2][G + 2];
    double stot = 0;

    for (int k = 0; k < 2; k++) {
        m = 0;
        for (size_t i = 0; i < d->n; i++)
            if (d->train[i])
                v[m++] = d->col[k][i];
        qsort(v, m, sizeof *v, cmp_double);
        for (int j = 0; j < G; j++)
            th[k][j] = v[(size_t)((double)(j + 1) / (G + 1) * (double)m)];
    }
    free(v);
    memset(cs, 0, sizeof cs);
    memset(cb, 0, sizeof cb);
    /* cell of x: number of thresholds <= x, 0..G; cumulative at [i+1][j+1]. */
    for (size_t i = 0; i < d->n; i++) {
        if (!d->train[i])
            continue;
        size_t cx = 0, cy = 0;
        while (cx < G && th[0][cx] <= d->col[0][i])
            cx++;
        while (cy < G && th[1][cy] <= d->col[1][i])
            cy++;
        double w = d->weight ? d->weight[i] : 1;
        if (d->label[i] == 1)
            cs[cx + 1][cy + 1] += w, stot += w;
        else
            cb[cx + 1][cy + 1] += w;
    }
    for (size_t i = 1; i <= nc; i++)
        for (size_t j = 1; j <= nc; j++) {
            cs[i][j] += cs[i - 1][j] + cs[i][j - 1] - cs[i - 1][j - 1];
            cb[i][j] += cb[i - 1][j] + cb[i][j - 1] - cb[i - 1][j - 1];
        }
    for (size_t t = 0; t < nt; t++)
        best[t] = HUGE_VAL;
    /* cells [a, b] x [c, e] inclusive */
    for (size_t a = 0; a < nc; a++)
        for (size_t b = a; b < nc; b++)
            for (size_t c = 0; c < nc; c++)
                for (size_t e = c; e < nc; e++) {
                    double s = cs[b + 1][e + 1] - cs[a][e + 1] - cs[b + 1][c] + cs[a][c];
                    double bk = cb[b + 1][e + 1] - cb[a][e + 1] - cb[b + 1][c] + cb[a][c];
                    for (size_t t = 0; t < nt; t++)
                        if (s >= targets[t] * stot * (1 - 1e-12) && bk < best[t])
                            best[t] = bk;
                }
}

static void
check_points(const struct data *d, const struct hs_cutopt_result *r)
{
    for (size_t t = 0; t < r->npoints; t++) {
        const struct hs_cutopt_point *p = &r->p[t];
        double seff, beff, s, b;
        size_t ns, nb;
        recount(d, d->train, p->lo, p->hi, &seff, &beff, &s, &b, &ns, &nb);
        assert_true(seff >= p->target - 1e-9);
        assert_true(fabs(seff - p->train_sig_eff) < 1e-9);
        assert_true(fabs(beff - p->train_bkg_eff) < 1e-9);
        recount(d, d->test, p->lo, p->hi, &seff, &beff, &s, &b, &ns, &nb);
        assert_true(fabs(seff - p->test_sig_eff) < 1e-9);
        assert_true(fabs(beff - p->test_bkg_eff) < 1e-9);
        assert_true(fabs(s - p->test_sig) < 1e-6 && fabs(b - p->test_bkg) < 1e-6);
        assert_int_equal(ns, p->test_nsig);
        assert_int_equal(nb, p->test_nbkg);
        for (size_t k = 0; k < r->nfeat; k++)
            assert_true(p->lo[k] < p->hi[k]);
    }
}

static void
against_exhaustive(int weighted)
{
    static const double targets[] = {0.95, 0.5, 0.8};
    struct data d;
    struct hs_cutopt_config c;
    struct hs_cutopt_result r;
    struct hs_err err;
    double ref[3];

    make_data(&d, 12000, 24000, 2, weighted ? 11 + (uint64_t)weighted : 5, weighted);
    config_for(&c, &d, targets, 3);
    assert_int_equal(hs_cutopt_run(&c, &r, NULL, &err), HS_OK);
    assert_int_equal(r.npoints, 3);
    assert_int_equal(r.nfeat, 2);
    check_points(&d, &r);
    exhaustive(&d, targets, 3, ref);
    for (size_t t = 0; t < 3; t++) {
        double tb, s, seff, beff;
        size_t ns, nb;
        recount(&d, d.train, r.p[t].lo, r.p[t].hi, &seff, &beff, &s, &tb, &ns, &nb);
        print_message("# target %.2f: optimiser %.2f, exhaustive grid %.2f (%+.2f%%)\n", targets[t],
                      tb, ref[t], 100 * (tb / ref[t] - 1));
        assert_true(tb <= ref[t] * 1.02);
        /* Finer than the grid, it may do a little better, not much. */
        assert_true(tb >= ref[t] * 0.9);
    }
    hs_cutopt_release(&r);
    free_data(&d);
}

static void
test_exhaustive(void **state)
{
    (void)state;
    against_exhaustive(0);
}

static void
test_exhaustive_weighted(void **state)
{
    (void)state;
    against_exhaustive(1);
}

static void
test_exhaustive_negative_weights(void **state)
{
    (void)state;
    against_exhaustive(2);
}

/* Every allocation failing in turn: HS_ENOMEM, nothing returned, no leak
 * (the sanitizer build checks that). */
static void
test_out_of_memory(void **state)
{
    struct data d;
    struct hs_cutopt_config c;
    struct hs_cutopt_result r = {0};
    struct hs_err err;
    const double targets[] = {0.9, 0.6};
    int rc = HS_ENOMEM;

    (void)state;
    make_data(&d, 400, 800, 4, 13, 1);
    config_for(&c, &d, targets, 2);
    for (long n = 0; rc == HS_ENOMEM && n < 2000; n++) {
        hs_mem_fail_after(n);
        rc = hs_cutopt_run(&c, &r, NULL, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_ENOMEM)
            assert_null(r.p);
    }
    assert_int_equal(rc, HS_OK);
    check_points(&d, &r);
    hs_cutopt_release(&r);
    free_data(&d);
}

static void
test_sanity_grid(void **state)
{
    struct data d;
    struct hs_cutopt_config c;
    struct hs_cutopt_result r, r2;
    struct hs_err err;

    (void)state;
    make_data(&d, 6000, 20000, 4, 3, 0);
    config_for(&c, &d, hs_cutopt_grid, HS_CUTOPT_GRID_N);
    assert_int_equal(hs_cutopt_run(&c, &r, NULL, &err), HS_OK);
    assert_int_equal(r.npoints, HS_CUTOPT_GRID_N);
    check_points(&d, &r);
    /* Background does not grow as the target falls (each box is the best
     * found, and the tighter target is a looser constraint). */
    for (size_t t = 1; t < r.npoints; t++)
        assert_true(r.p[t - 1].train_bkg_eff <= r.p[t].train_bkg_eff * 1.02 + 1e-12);
    /* Feature z does not separate: its range alone keeps nearly all of the
     * training signal.  (Below 50%, with a handful of training background
     * events left in the box, the exact optimum may buy a cut on z with
     * the sample's fluctuations: that is what the training set says.) */
    for (size_t t = 0; t < r.npoints; t++) {
        if (r.p[t].target < 0.5)
            continue;
        size_t keep = 0, tot = 0;
        for (size_t i = 0; i < d.n; i++)
            if (d.train[i] && d.label[i] == 1) {
                tot++;
                keep += d.col[2][i] >= r.p[t].lo[2] && d.col[2][i] < r.p[t].hi[2];
            }
        assert_true((double)keep >= 0.97 * (double)tot);
    }
    /* Same seed, same boxes; and with one thread as with two. */
#ifdef _OPENMP
    omp_set_num_threads(1);
#endif
    assert_int_equal(hs_cutopt_run(&c, &r2, NULL, &err), HS_OK);
#ifdef _OPENMP
    omp_set_num_threads(2);
#endif
    for (size_t t = 0; t < r.npoints; t++) {
        assert_memory_equal(r.p[t].lo, r2.p[t].lo, 4 * sizeof(double));
        assert_memory_equal(r.p[t].hi, r2.p[t].hi, 4 * sizeof(double));
    }
    hs_cutopt_release(&r2);
    assert_int_equal(hs_cutopt_run(&c, &r2, NULL, &err), HS_OK);
    for (size_t t = 0; t < r.npoints; t++) {
        assert_memory_equal(r.p[t].lo, r2.p[t].lo, 4 * sizeof(double));
        assert_memory_equal(r.p[t].hi, r2.p[t].hi, 4 * sizeof(double));
    }
    hs_cutopt_release(&r2);
    hs_cutopt_release(&r);
    free_data(&d);
}

static void
test_usage(void **state)
{
    struct data d;
    struct hs_cutopt_config c;
    struct hs_cutopt_result r = {0};
    struct hs_err err;
    const double bad[][1] = {{0.0}, {1.5}, {-0.1}, {NAN}};

    (void)state;
    make_data(&d, 500, 500, 4, 9, 0);
    for (size_t i = 0; i < 4; i++) {
        config_for(&c, &d, bad[i], 1);
        assert_int_equal(hs_cutopt_run(&c, &r, NULL, &err), HS_EUSAGE);
        assert_true(strstr(err.msg, "target") != NULL);
        assert_null(r.p);
    }
    /* Feature u misses some values: 100% of the signal is out of reach. */
    const double one = 1.0;
    d.col[3][0] = NAN; /* a training signal event */
    config_for(&c, &d, &one, 1);
    assert_int_equal(hs_cutopt_run(&c, &r, NULL, &err), HS_EUSAGE);
    assert_true(strstr(err.msg, "reach") != NULL);
    assert_true(strstr(err.msg, "'u'") != NULL);
    /* Three features (no missing values): 100% keeps every signal event. */
    c.nfeat = 3;
    assert_int_equal(hs_cutopt_run(&c, &r, NULL, &err), HS_OK);
    assert_true(r.p[0].train_sig_eff == 1.0);
    hs_cutopt_release(&r);
    /* No training signal. */
    for (size_t i = 0; i < d.n; i++)
        if (d.label[i] == 1)
            d.train[i] = 0;
    const double half = 0.5;
    config_for(&c, &d, &half, 1);
    assert_int_equal(hs_cutopt_run(&c, &r, NULL, &err), HS_EUSAGE);
    free_data(&d);
}

static void
raise_cancel(void *user, double f, const char *what)
{
    (void)f, (void)what;
    atomic_store((atomic_int *)user, 1);
}

static double
now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

struct later {
    atomic_int *flag;
    double raised; /* when the flag went up (ms) */
};

static void *
cancel_later(void *arg)
{
    struct later *l = arg;
    struct timespec ts = {0, 40 * 1000 * 1000};
    nanosleep(&ts, NULL);
    l->raised = now_ms();
    atomic_store(l->flag, 1);
    return NULL;
}

static void
test_cancel(void **state)
{
    struct data d;
    struct hs_cutopt_config c;
    struct hs_cutopt_result r = {0};
    struct hs_err err;
    atomic_int flag = 1;
    struct hs_task task = {NULL, NULL, &flag};

    (void)state;
    make_data(&d, 6000, 20000, 4, 3, 0);
    config_for(&c, &d, hs_cutopt_grid, HS_CUTOPT_GRID_N);
    c.effort = 200; /* many seconds, were it not cancelled */
    /* Raised before the start. */
    assert_int_equal(hs_cutopt_run(&c, &r, &task, &err), HS_ECANCELLED);
    assert_null(r.p);
    /* Raised from the progress callback after the first target. */
    atomic_store(&flag, 0);
    task.progress = raise_cancel;
    task.user = &flag;
    assert_int_equal(hs_cutopt_run(&c, &r, &task, &err), HS_ECANCELLED);
    assert_null(r.p);
    /* Raised by another thread in the middle of the search: the contract
     * is 100 ms; the margin is for a loaded machine and the sanitizers. */
    atomic_store(&flag, 0);
    task.progress = NULL;
    struct later l = {&flag, 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, cancel_later, &l), 0);
    assert_int_equal(hs_cutopt_run(&c, &r, &task, &err), HS_ECANCELLED);
    double late = now_ms() - l.raised;
    pthread_join(th, NULL);
    assert_null(r.p);
    print_message("# cancelled %.1f ms after the flag went up\n", late);
    assert_true(late < 250);
    free_data(&d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exhaustive),
        cmocka_unit_test(test_exhaustive_weighted),
        cmocka_unit_test(test_exhaustive_negative_weights),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_sanity_grid),
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

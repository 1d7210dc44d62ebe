/* Unit tests of the exact k nearest neighbours (src/knn.c) against a
 * brute force written here: every pair's distance, sorted by (distance,
 * index). */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

#include "knn.h"
#include "mem.h"

struct pair {
    double d2;
    size_t j;
};

static int
cmp_pair(const void *a, const void *b)
{
    const struct pair *p = a, *q = b;
    if (p->d2 != q->d2)
        return p->d2 < q->d2 ? -1 : 1;
    return p->j < q->j ? -1 : p->j > q->j;
}

/* The answer by brute force: sort every other point of i. */
static void
brute(const double *x, size_t n, size_t dim, size_t k, size_t *idx, double *dist)
{
    struct pair *p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++) {
        size_t m = 0;
        for (size_t j = 0; j < n; j++) {
            double d2 = 0;
            if (j == i)
                continue;
            for (size_t c = 0; c < dim; c++)
                d2 += (x[i * dim + c] - x[j * dim + c]) * (x[i * dim + c] - x[j * dim + c]);
            p[m++] = (struct pair){d2, j};
        }
        qsort(p, m, sizeof *p, cmp_pair);
        for (size_t c = 0; c < k; c++) {
            idx[i * k + c] = p[c].j;
            dist[i * k + c] = sqrt(p[c].d2);
        }
    }
    free(p);
}

/* hs_knn_exact against brute force on x, with each thread count. */
static void
check_against_brute(const double *x, size_t n, size_t dim, size_t k)
{
    size_t *ib = malloc(n * k * sizeof *ib), *ik = malloc(n * k * sizeof *ik);
    double *db = malloc(n * k * sizeof *db), *dk = malloc(n * k * sizeof *dk);
    struct hs_err err = {0};

    brute(x, n, dim, k, ib, db);
    for (int threads = 1; threads <= 3; threads++) {
        memset(ik, 0xff, n * k * sizeof *ik);
        assert_int_equal(hs_knn_exact(x, n, dim, k, ik, dk, threads, NULL, &err), HS_OK);
        for (size_t i = 0; i < n * k; i++) {
            if (ik[i] != ib[i])
                fail_msg("n %zu dim %zu k %zu: point %zu neighbour %zu is %zu, brute force %zu",
                         n, dim, k, i / k, i % k, ik[i], ib[i]);
            assert_true(fabs(dk[i] - db[i]) <= 1e-12 * (1 + db[i]));
        }
    }
    free(ib);
    free(ik);
    free(db);
    free(dk);
}

static double *
gaussian(size_t n, size_t dim, uint64_t seed)
{
    double *x = malloc(n * dim * sizeof *x);
    for (size_t i = 0; i < n * dim; i++)
        x[i] = tu_box_muller(tu_unit(tu_splitmix(&seed)), tu_unit(tu_splitmix(&seed)));
    return x;
}

static void
test_random_points(void **state)
{
    (void)state;
    size_t dims[] = {1, 3, 19, 50};
    for (size_t d = 0; d < 4; d++) {
        double *x = gaussian(700, dims[d], 11 + d);
        check_against_brute(x, 700, dims[d], 1);
        check_against_brute(x, 700, dims[d], 15);
        check_against_brute(x, 700, dims[d], 90);
        free(x);
    }
}

/* Points on a small integer grid: many equal distances, so the order
 * among ties (the lower index first) decides the answer. */
static void
test_ties(void **state)
{
    (void)state;
    size_t n = 600, dim = 3;
    double *x = malloc(n * dim * sizeof *x);
    uint64_t s = 5;
    for (size_t i = 0; i < n * dim; i++)
        x[i] = (double)(tu_splitmix(&s) % 5);
    check_against_brute(x, n, dim, 10);
    check_against_brute(x, n, dim, 40);
    free(x);

    /* The same in 12 dimensions (the brute-force search) with 0/1 values. */
    dim = 12;
    x = malloc(n * dim * sizeof *x);
    for (size_t i = 0; i < n * dim; i++)
        x[i] = (double)(tu_splitmix(&s) % 2) * 3.1;
    check_against_brute(x, n, dim, 10);
    check_against_brute(x, n, dim, 60);
    free(x);
}

/* Every point given several times: its copies are its nearest, at 0. */
static void
test_duplicates(void **state)
{
    (void)state;
    size_t n = 400, dim = 4;
    double *base = gaussian(100, dim, 3), *x = malloc(n * dim * sizeof *x);
    for (size_t i = 0; i < n; i++)
        memcpy(x + i * dim, base + (i % 100) * dim, dim * sizeof *x);
    check_against_brute(x, n, dim, 5);

    size_t *idx = malloc(n * 3 * sizeof *idx);
    double *dist = malloc(n * 3 * sizeof *dist);
    struct hs_err err = {0};
    assert_int_equal(hs_knn_exact(x, n, dim, 3, idx, dist, 2, NULL, &err), HS_OK);
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < 3; c++) {
            assert_true(dist[i * 3 + c] == 0);
            assert_int_equal(idx[i * 3 + c] % 100, i % 100);
            assert_int_not_equal(idx[i * 3 + c], i);
        }
    free(idx);
    free(dist);
    free(base);
    free(x);
}

/* k = n - 1 (every other point) works; k = n, k = 0 and one point are
 * refused, as is a coordinate that is not finite. */
static void
test_limits(void **state)
{
    (void)state;
    double *x = gaussian(30, 2, 9);
    size_t idx[30 * 30];
    double dist[30 * 30];
    struct hs_err err = {0};

    check_against_brute(x, 30, 2, 29);
    assert_int_equal(hs_knn_exact(x, 30, 2, 30, idx, dist, 1, NULL, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "from 1 to 29"));
    assert_int_equal(hs_knn_exact(x, 30, 2, 0, idx, dist, 1, NULL, &err), HS_EUSAGE);
    assert_int_equal(hs_knn_exact(x, 1, 2, 1, idx, dist, 1, NULL, &err), HS_EUSAGE);
    x[17] = NAN;
    assert_int_equal(hs_knn_exact(x, 30, 2, 3, idx, dist, 1, NULL, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "point 9"));
    free(x);
}

static void
test_cancel(void **state)
{
    (void)state;
    size_t n = 20000, k = 30;
    double *x = gaussian(n, 8, 4);
    size_t *idx = malloc(n * k * sizeof *idx);
    struct tu_cancel_at c = {.at = 0.3};
    struct hs_task task = {tu_cancel_at_progress, &c, &c.flag};
    struct hs_err err = {0};

    atomic_init(&c.flag, 0);
    assert_int_equal(hs_knn_exact(x, n, 8, k, idx, NULL, 1, &task, &err), HS_ECANCELLED);
    /* the approximate search too, during its rounds */
    c.at = 0.1;
    atomic_store(&c.flag, 0);
    assert_int_equal(hs_knn_approx(x, n, 8, k, 1, idx, NULL, 2, &task, &err), HS_ECANCELLED);
    assert_true(atomic_load(&c.flag));
    /* and during the leaf steps of long lists */
    atomic_store(&c.flag, 0);
    assert_int_equal(hs_knn_approx(x, n, 8, 40, 1, idx, NULL, 2, &task, &err), HS_ECANCELLED);
    assert_true(atomic_load(&c.flag));
    free(idx);
    free(x);
}

/* hs_knn_approx with each allocation failing in turn: HS_ENOMEM until
 * it has all it needs. */
static void
approx_out_of_memory(const double *x, size_t n, size_t dim, size_t k)
{
    size_t *ia = malloc(n * k * sizeof *ia);
    double *da = malloc(n * k * sizeof *da);
    struct hs_err err = {0};
    int rc = HS_ENOMEM;

    for (long fail = 0; rc == HS_ENOMEM; fail++) {
        hs_mem_fail_after(fail);
        rc = hs_knn_approx(x, n, dim, k, 1, ia, da, 2, NULL, &err);
        hs_mem_fail_after(-1);
        assert_true(rc == HS_OK || rc == HS_ENOMEM);
        assert_true(fail < 1000);
    }
    free(ia);
    free(da);
}

static void
test_out_of_memory(void **state)
{
    (void)state;
    double *x = gaussian(200, 3, 8);
    size_t idx[200 * 4];
    double dist[200 * 4];
    struct hs_err err = {0};
    int rc = HS_ENOMEM;

    for (long fail = 0; rc == HS_ENOMEM; fail++) {
        hs_mem_fail_after(fail);
        rc = hs_knn_exact(x, 200, 3, 4, idx, dist, 2, NULL, &err);
        hs_mem_fail_after(-1);
        assert_true(rc == HS_OK || rc == HS_ENOMEM);
        assert_true(fail < 1000);
    }
    free(x);
    /* the approximate search (above its exact fallback's size), short
     * lists and long ones (the leaf steps) */
    x = gaussian(1200, 3, 9);
    approx_out_of_memory(x, 1200, 3, 4);
    approx_out_of_memory(x, 1200, 3, 40);
    free(x);
}

/* The approximate search on x against brute force: each list sorted
 * with its distances exact, no point or repeat in its own list, the same
 * lists for 1, 2 and 3 threads; returns the recall (the fraction of the
 * true neighbours found). */
static double
approx_recall(const double *x, size_t n, size_t dim, size_t k)
{
    size_t *ie = malloc(n * k * sizeof *ie), *ia = malloc(n * k * sizeof *ia),
           *ib = malloc(n * k * sizeof *ib);
    double *de = malloc(n * k * sizeof *de), *da = malloc(n * k * sizeof *da),
           *db = malloc(n * k * sizeof *db);
    struct hs_err err = {0};
    brute(x, n, dim, k, ie, de);
    assert_int_equal(hs_knn_approx(x, n, dim, k, 3, ia, da, 1, NULL, &err), HS_OK);
    for (int th = 2; th <= 3; th++) {
        assert_int_equal(hs_knn_approx(x, n, dim, k, 3, ib, db, th, NULL, &err), HS_OK);
        assert_memory_equal(ia, ib, n * k * sizeof *ia);
        assert_memory_equal(da, db, n * k * sizeof *da);
    }
    size_t hit = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < k; m++) {
            size_t j = ia[i * k + m];
            double d = 0;
            assert_true(j != i && j < n);
            for (size_t c = 0; c < dim; c++)
                d += (x[i * dim + c] - x[j * dim + c]) * (x[i * dim + c] - x[j * dim + c]);
            assert_true(fabs(sqrt(d) - da[i * k + m]) <= 1e-12 * sqrt(d));
            if (m > 0)
                assert_true(da[i * k + m - 1] <= da[i * k + m]);
            for (size_t o = 0; o < m; o++)
                assert_true(ia[i * k + o] != j);
            for (size_t o = 0; o < k; o++)
                hit += ie[i * k + o] == j;
        }
    free(ie);
    free(ia);
    free(ib);
    free(de);
    free(da);
    free(db);
    return (double)hit / (double)(n * k);
}

/* Points like the standardised physics features UMAP lays out: 19
 * coordinates, a few correlated, in 6 blobs of different widths. */
static double *
blobs19(size_t n, uint64_t seed)
{
    double *x = gaussian(n, 19, seed);
    for (size_t i = 0; i < n; i++) {
        double *p = x + i * 19, w = 0.3 + 0.3 * (double)(i % 6);
        for (size_t c = 0; c < 19; c++)
            p[c] = w * p[c] + 3.0 * (double)((i % 6 + c) % 3 == 0);
        p[18] = 0.8 * p[0] + 0.2 * p[18];
        p[17] = p[1] * p[1] - 1;
    }
    return x;
}

/* The approximate search finds at least 0.95 of the true neighbours (the
 * brief's bar; pynndescent reaches about 0.98 on such data), on
 * UMAP's shape (k = 14) and t-SNE's (k = 90), and on isotropic
 * Gaussian points in 10 dimensions, the hardest case for the trees. */
static void
test_approximate(void **state)
{
    (void)state;
    struct hs_err err = {0};
    double *x = blobs19(6000, 23), r;
    r = approx_recall(x, 6000, 19, 14);
    if (r < 0.95)
        fail_msg("recall %.4f at k = 14", r);
    r = approx_recall(x, 6000, 19, 90);
    /* t-SNE's lists stop earlier (KNN_DELTA_LONG) and still find 0.99
     * of the true neighbours (0.998 here when written). */
    if (r < 0.99)
        fail_msg("recall %.4f at k = 90", r);
    free(x);
    x = gaussian(4000, 10, 17);
    r = approx_recall(x, 4000, 10, 30);
    if (r < 0.95)
        fail_msg("recall %.4f on Gaussian points", r);
    /* Small sets go to the exact search. */
    size_t ia[500 * 30], ie[500 * 30];
    double da[500 * 30], de[500 * 30];
    assert_int_equal(hs_knn_approx(x, 500, 10, 30, 3, ia, da, 2, NULL, &err), HS_OK);
    brute(x, 500, 10, 30, ie, de);
    assert_memory_equal(ia, ie, sizeof ia);
    free(x);
}

/* Points spread evenly over a cube: no cluster for the trees to cut
 * along. */
static double *
uniform(size_t n, size_t dim, uint64_t seed)
{
    double *x = malloc(n * dim * sizeof *x);
    for (size_t i = 0; i < n * dim; i++)
        x[i] = tu_unit(tu_splitmix(&seed));
    return x;
}

/* Long lists (above 30, the leaf steps) against brute force: clustered
 * and uniform points, the shortest long list, a set smaller than one
 * leaf and lists close to n (every pair measured: all found), and every
 * point given three times (its two copies first, at distance 0). */
static void
test_approximate_long(void **state)
{
    (void)state;
    double *x = blobs19(5000, 31), r;
    r = approx_recall(x, 5000, 19, 31);
    if (r < 0.99)
        fail_msg("recall %.4f on blobs at k = 31", r);
    free(x);

    x = uniform(4000, 8, 41);
    r = approx_recall(x, 4000, 8, 60);
    if (r < 0.99)
        fail_msg("recall %.4f on uniform points at k = 60", r);
    free(x);

    /* 600 points, leaves of 3 k = 750: one leaf, exact */
    x = gaussian(600, 12, 43);
    r = approx_recall(x, 600, 12, 250);
    if (r < 0.9999)
        fail_msg("recall %.4f with one leaf", r);
    r = approx_recall(x, 600, 12, 120);
    if (r < 0.999)
        fail_msg("recall %.4f with two leaves", r);
    free(x);

    /* 44 = the two copies and 14 other points' three: no tie across
     * the last place (the search breaks ties in its own order of the
     * points, not by the lower row) */
    size_t n = 2400, dim = 6, k = 44;
    double *base = gaussian(n / 3, dim, 47);
    x = malloc(n * dim * sizeof *x);
    for (size_t i = 0; i < n; i++)
        memcpy(x + i * dim, base + (i % (n / 3)) * dim, dim * sizeof *x);
    r = approx_recall(x, n, dim, k);
    if (r < 0.99)
        fail_msg("recall %.4f with every point three times", r);
    size_t *idx = malloc(n * k * sizeof *idx);
    double *dist = malloc(n * k * sizeof *dist);
    struct hs_err err = {0};
    assert_int_equal(hs_knn_approx(x, n, dim, k, 5, idx, dist, 2, NULL, &err), HS_OK);
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < 2; c++) {
            assert_true(dist[i * k + c] == 0);
            assert_int_equal(idx[i * k + c] % (n / 3), i % (n / 3));
        }
    free(idx);
    free(dist);
    free(base);
    free(x);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_points), cmocka_unit_test(test_ties),
        cmocka_unit_test(test_duplicates),    cmocka_unit_test(test_limits),
        cmocka_unit_test(test_cancel),        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_approximate),   cmocka_unit_test(test_approximate_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

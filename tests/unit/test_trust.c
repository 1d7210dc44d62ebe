/* Unit tests of the trustworthiness (src/trust.c) against a brute force
 * written here from the definition (every rank by a full sort, as
 * scikit-learn does it) and against scikit-learn's own value, computed
 * by /usr/bin/python3 in the test when it has scikit-learn. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_util.h"

#include "mem.h"
#include "trust.h"

static const double *sort_d;

static int
cmp_idx(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    if (sort_d[i] != sort_d[j])
        return sort_d[i] < sort_d[j] ? -1 : 1;
    return i < j ? -1 : i > j;
}

static double
d2(const double *a, const double *b, size_t d)
{
    double s = 0;
    for (size_t c = 0; c < d; c++)
        s += (a[c] - b[c]) * (a[c] - b[c]);
    return s;
}

/* The definition: ranks in the input space from a sorted row of
 * distances, the embedded neighbours from another sorted row. */
static double
brute_trust(const double *x, size_t dx, const double *y, size_t dy, size_t n, size_t k)
{
    double *dist = malloc(n * sizeof *dist);
    size_t *ord = malloc(n * sizeof *ord), *rank = malloc(n * sizeof *rank);
    double t = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++)
            dist[j] = j == i ? INFINITY : d2(x + i * dx, x + j * dx, dx);
        for (size_t j = 0; j < n; j++)
            ord[j] = j;
        sort_d = dist;
        qsort(ord, n, sizeof *ord, cmp_idx);
        for (size_t r = 0; r < n; r++)
            rank[ord[r]] = r + 1;
        for (size_t j = 0; j < n; j++)
            dist[j] = j == i ? INFINITY : d2(y + i * dy, y + j * dy, dy);
        for (size_t j = 0; j < n; j++)
            ord[j] = j;
        qsort(ord, n, sizeof *ord, cmp_idx);
        for (size_t c = 0; c < k; c++)
            if (rank[ord[c]] > k)
                t += (double)(rank[ord[c]] - k);
    }
    free(dist);
    free(ord);
    free(rank);
    return 1 - 2.0 / ((double)n * (double)k * (2.0 * (double)n - 3.0 * (double)k - 1)) * t;
}

static double *
noise(size_t n, uint64_t seed)
{
    double *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = tu_box_muller(tu_unit(tu_splitmix(&seed)), tu_unit(tu_splitmix(&seed)));
    return v;
}

/* y: a noisy linear map of x to 2 dimensions, so T is neither 1 nor low. */
static double *
embed(const double *x, size_t n, size_t dx, double amount, uint64_t seed)
{
    double *y = malloc(n * 2 * sizeof *y), *e = noise(n * 2, seed);
    for (size_t i = 0; i < n; i++) {
        y[i * 2] = x[i * dx] + 0.5 * x[i * dx + 2] + amount * e[i * 2];
        y[i * 2 + 1] = x[i * dx + 1] - 0.3 * x[i * dx + 3] + amount * e[i * 2 + 1];
    }
    free(e);
    return y;
}

static void
test_against_brute_force(void **state)
{
    (void)state;
    size_t n = 400, dx = 6;
    double *x = noise(n * dx, 1), t;
    struct hs_err err = {0};
    for (int a = 0; a < 3; a++) {
        double *y = embed(x, n, dx, 0.2 * a, 7 + a);
        for (size_t k = 1; k <= 30; k += 9) {
            for (int threads = 1; threads <= 2; threads++) {
                assert_int_equal(hs_trustworthiness(x, dx, y, 2, n, k, 0, 0, &t, threads, NULL,
                                                    &err),
                                 HS_OK);
                double want = brute_trust(x, dx, y, 2, n, k);
                if (fabs(t - want) > 1e-12)
                    fail_msg("k %zu: %.15f, brute force %.15f", k, t, want);
            }
        }
        free(y);
    }
    /* The points themselves as their embedding: 1. */
    assert_int_equal(hs_trustworthiness(x, dx, x, dx, n, 10, 0, 0, &t, 1, NULL, &err), HS_OK);
    assert_true(t == 1);
    free(x);
}

/* Ties in both spaces: integer grids, ranked by the lower index. */
static void
test_ties(void **state)
{
    (void)state;
    size_t n = 300, dx = 3;
    double *x = malloc(n * dx * sizeof *x), *y = malloc(n * 2 * sizeof *y), t;
    uint64_t s = 3;
    struct hs_err err = {0};
    for (size_t i = 0; i < n * dx; i++)
        x[i] = (double)(tu_splitmix(&s) % 4);
    for (size_t i = 0; i < n * 2; i++)
        y[i] = (double)(tu_splitmix(&s) % 6);
    assert_int_equal(hs_trustworthiness(x, dx, y, 2, n, 10, 0, 0, &t, 2, NULL, &err), HS_OK);
    assert_true(fabs(t - brute_trust(x, dx, y, 2, n, 10)) < 1e-12);
    free(x);
    free(y);
}

/* scikit-learn's sklearn.manifold.trustworthiness on the same points. */
static void
test_against_sklearn(void **state)
{
    (void)state;
    if (access("/usr/bin/python3", X_OK) != 0 ||
        system("/usr/bin/python3 -c 'import sklearn.manifold' 2>/dev/null") != 0) {
        skip();
        return;
    }
    size_t n = 500, dx = 5;
    double *x = noise(n * dx, 21), *y = embed(x, n, dx, 0.3, 22), t;
    char dir[] = "/tmp/hs-trust-XXXXXX", path[128], cmd[512];
    struct hs_err err = {0};
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/xy.csv", dir);
    FILE *f = fopen(path, "w");
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < dx; c++)
            fprintf(f, "%.17g,", x[i * dx + c]);
        fprintf(f, "%.17g,%.17g\n", y[i * 2], y[i * 2 + 1]);
    }
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c \"import numpy as np; from sklearn.manifold import "
             "trustworthiness as T; a = np.loadtxt('%s', delimiter=','); "
             "print('%%.15f' %% T(a[:, :%zu], a[:, %zu:], n_neighbors=10))\"",
             path, dx, dx);
    FILE *p = popen(cmd, "r");
    double want = NAN;
    assert_non_null(p);
    assert_int_equal(fscanf(p, "%lf", &want), 1);
    pclose(p);
    unlink(path);
    rmdir(dir);
    assert_int_equal(hs_trustworthiness(x, dx, y, 2, n, 10, 0, 0, &t, 2, NULL, &err), HS_OK);
    if (fabs(t - want) > 1e-9)
        fail_msg("trustworthiness %.12f, scikit-learn %.12f", t, want);
    assert_true(t > 0.5 && t < 0.99);
    free(x);
    free(y);
}

/* At most max_points are used: the same fixed subsample every time. */
static void
test_subsample(void **state)
{
    (void)state;
    size_t n = 3000, dx = 4;
    double *x = noise(n * dx, 31), *y = embed(x, n, dx, 0.3, 32), a, b, full;
    struct hs_err err = {0};
    assert_int_equal(hs_trustworthiness(x, dx, y, 2, n, 10, 500, 9, &a, 1, NULL, &err), HS_OK);
    assert_int_equal(hs_trustworthiness(x, dx, y, 2, n, 10, 500, 9, &b, 2, NULL, &err), HS_OK);
    assert_true(a == b);
    assert_int_equal(hs_trustworthiness(x, dx, y, 2, n, 10, 3000, 9, &full, 2, NULL, &err),
                     HS_OK);
    assert_true(fabs(full - brute_trust(x, dx, y, 2, n, 10)) < 1e-12);
    assert_true(a != full && fabs(a - full) < 0.05);
    free(x);
    free(y);
}

static void
test_errors(void **state)
{
    (void)state;
    double *x = noise(40 * 2, 5), t;
    struct hs_err err = {0};
    assert_int_equal(hs_trustworthiness(x, 2, x, 2, 40, 20, 0, 0, &t, 1, NULL, &err), HS_EUSAGE);
    assert_int_equal(hs_trustworthiness(x, 2, x, 2, 40, 0, 0, 0, &t, 1, NULL, &err), HS_EUSAGE);
    x[7] = NAN;
    assert_int_equal(hs_trustworthiness(x, 2, x, 2, 40, 5, 0, 0, &t, 1, NULL, &err), HS_EDATA);
    for (long fail = 0;; fail++) {
        x[7] = 0;
        hs_mem_fail_after(fail);
        int rc = hs_trustworthiness(x, 2, x, 2, 40, 5, 0, 0, &t, 2, NULL, &err);
        hs_mem_fail_after(-1);
        assert_true(rc == HS_OK || rc == HS_ENOMEM);
        if (rc == HS_OK)
            break;
    }
    free(x);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_brute_force), cmocka_unit_test(test_ties),
        cmocka_unit_test(test_against_sklearn),     cmocka_unit_test(test_subsample),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

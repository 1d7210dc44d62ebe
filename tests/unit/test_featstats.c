/* Unit tests of feature separation, AUC, quantiles and correlations
 * (src/featstats.c), against brute force and exact formulas. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "featstats.h"

/* The AUC by brute force over all signal/background pairs. */
static double
auc_pairs(const double *v, const double *label, const double *w, size_t n)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double ww;
            if (label[i] != 1.0 || label[j] != 0.0 || isnan(v[i]) || isnan(v[j]))
                continue;
            ww = (w ? w[i] : 1) * (w ? w[j] : 1);
            den += ww;
            num += ww * (v[i] > v[j] ? 1.0 : v[i] == v[j] ? 0.5 : 0.0);
        }
    return num / den;
}

static void
test_auc_brute_force(void **state)
{
    enum { N = 600 };
    double v[N], label[N], w[N], auc;
    unsigned seed = 7;

    (void)state;
    for (int i = 0; i < N; i++) {
        label[i] = rand_r(&seed) % 3 == 0;
        /* Coarse values so that ties between classes are common. */
        v[i] = (double)(rand_r(&seed) % 40) + (label[i] == 1.0 ? 5 : 0);
        w[i] = 0.5 + (rand_r(&seed) % 100) / 50.0;
        if (i % 37 == 0)
            v[i] = NAN;
    }
    assert_int_equal(hs_auc(v, label, NULL, N, &auc, NULL), HS_OK);
    assert_true(fabs(auc - auc_pairs(v, label, NULL, N)) < 1e-12);
    assert_int_equal(hs_auc(v, label, w, N, &auc, NULL), HS_OK);
    assert_true(fabs(auc - auc_pairs(v, label, w, N)) < 1e-12);
}

static void
test_featstats_direction(void **state)
{
    /* Signal lower than background everywhere: AUC 0 -> reported 1, down. */
    const double v[] = {1, 2, 3, 10, 11, 12, 13};
    const double label[] = {1, 1, 1, 0, 0, 0, 0};
    struct hs_featstats fs;

    (void)state;
    assert_int_equal(hs_featstats_compute(v, label, NULL, 7, &fs, NULL, NULL), HS_OK);
    assert_true(fabs(fs.auc - 1.0) < 1e-15);
    assert_int_equal(fs.direction, -1);
    /* Disjoint shapes: separation 1. */
    assert_true(fabs(fs.separation - 1.0) < 1e-12);
    assert_int_equal(fs.cls[HS_CLASS_SIGNAL].n, 3);
    assert_true(fabs(fs.cls[HS_CLASS_BACKGROUND].mean - 11.5) < 1e-14);
    /* Median of 1,2,3 is 2; of 10..13 the lower median 11. */
    assert_true(fs.quant[HS_CLASS_SIGNAL][2] == 2.0);
    assert_true(fs.quant[HS_CLASS_BACKGROUND][2] == 11.0);
}

static void
test_separation_identical_and_hand(void **state)
{
    /* Same shapes: 0.  Hand-made: s = (1/2, 1/2, 0), b = (0, 1/2, 1/2) on
     * three bins: 1/2 * (1/4/(1/2) + 0 + 1/4/(1/2)) = 1/2. */
    const double v1[] = {0.5, 1.5, 0.5, 1.5};
    const double l1[] = {1, 1, 0, 0};
    const double v2[] = {0.5, 1.5, 1.5, 2.5};
    const double l2[] = {1, 1, 0, 0};

    (void)state;
    assert_true(fabs(hs_separation(v1, l1, NULL, 4, 0, 3, 3)) < 1e-15);
    assert_true(fabs(hs_separation(v2, l2, NULL, 4, 0, 3, 3) - 0.5) < 1e-15);
}

static void
test_correlation(void **state)
{
    const double x[] = {1, 2, 3, 4, 5, NAN};
    const double y[] = {2, 4, 6, 8, 10, 1};
    const double z[] = {5, 4, 3, 2, 1, 0};
    const double q[] = {1, 3, 2, 5, 4, 0};
    const double *cols[] = {x, y, z, q};
    double r[16];

    (void)state;
    assert_int_equal(hs_correlation(cols, 4, NULL, NULL, 6, HS_CLASS_ALL, r, NULL, NULL), HS_OK);
    assert_true(fabs(r[0 * 4 + 1] - 1.0) < 1e-14);
    assert_true(fabs(r[0 * 4 + 2] + 1.0) < 1e-14);
    /* x and q on the 5 complete rows: cov = 8/... exactly 0.8. */
    assert_true(fabs(r[0 * 4 + 3] - 0.8) < 1e-14);
    assert_true(r[3 * 4 + 0] == r[0 * 4 + 3]);
    assert_true(r[2 * 4 + 2] == 1.0);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Values of every sign and scale, zeros of both signs and infinities (the
 * sort works on the bits): the AUC against brute force, and the quantiles
 * of all events against a sort of their own. */
static void
test_sort_signs_and_scales(void **state)
{
    enum { N = 900 };
    double v[N], label[N], sorted[N], auc;
    struct hs_featstats st;
    unsigned seed = 11;
    size_t m = 0;

    (void)state;
    for (int i = 0; i < N; i++) {
        double mag = ldexp(1.0 + rand_r(&seed) % 1000 / 1000.0, rand_r(&seed) % 80 - 40);
        label[i] = rand_r(&seed) % 2;
        v[i] = rand_r(&seed) % 2 ? -mag : mag;
        if (i % 50 == 1)
            v[i] = i % 100 == 1 ? -0.0 : 0.0;
        if (i % 97 == 3)
            v[i] = i % 2 ? INFINITY : -INFINITY;
        if (label[i] == 1.0)
            v[i] = v[i] * 0.5 + 1e-3;
        if (i % 41 == 0)
            v[i] = NAN;
    }
    assert_int_equal(hs_auc(v, label, NULL, N, &auc, NULL), HS_OK);
    assert_true(fabs(auc - auc_pairs(v, label, NULL, N)) < 1e-12);
    assert_int_equal(hs_featstats_compute(v, label, NULL, N, &st, NULL, NULL), HS_OK);
    for (int i = 0; i < N; i++)
        if (!isnan(v[i]))
            sorted[m++] = v[i];
    qsort(sorted, m, sizeof *sorted, cmp_double);
    for (int k = 0; k < HS_NQUANT; k++) {
        size_t at = (size_t)ceil(hs_quantile_levels[k] * (double)m * (1 - 1e-12));
        double q = st.quant[HS_CLASS_ALL][k], want = sorted[at ? at - 1 : 0];
        /* The very value (either zero for a zero; infinities too). */
        assert_false(q < want || q > want || isnan(q));
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auc_brute_force),
        cmocka_unit_test(test_sort_signs_and_scales),
        cmocka_unit_test(test_featstats_direction),
        cmocka_unit_test(test_separation_identical_and_hand),
        cmocka_unit_test(test_correlation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

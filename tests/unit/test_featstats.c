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

/* Weighted r by two passes over the events of the class where both have
 * a value: the reference of test_correlation_many. */
static double
corr_ref(const double *x, const double *y, const double *label, const double *w, size_t n,
         double want)
{
    double sw = 0, mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            if (label[i] != want || isnan(x[i]) || isnan(y[i]))
                continue;
            if (pass == 0) {
                sw += w[i];
                mx += w[i] * x[i];
                my += w[i] * y[i];
            } else {
                sxx += w[i] * (x[i] - mx / sw) * (x[i] - mx / sw);
                syy += w[i] * (y[i] - my / sw) * (y[i] - my / sw);
                sxy += w[i] * (x[i] - mx / sw) * (y[i] - my / sw);
            }
        }
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

/* 40 weighted columns, correlated in pairs, of one class: the complete
 * ones go through one matrix product, those with a missing value, a
 * missing value in the other class only, or none that varies, pair by
 * pair; all agree with the two-pass reference. */
static void
test_correlation_many(void **state)
{
    enum { K = 40, N = 700 };
    static double v[K][N];
    double label[N], w[N], *r = malloc(K * K * sizeof *r);
    const double *cols[K];
    unsigned seed = 5;

    (void)state;
    for (int i = 0; i < N; i++) {
        label[i] = i % 3 == 0;
        w[i] = 0.2 + rand_r(&seed) % 100 / 40.0;
        if (i % 11 == 0)
            w[i] = 0; /* no weight: not counted */
    }
    for (int a = 0; a < K; a++) {
        cols[a] = v[a];
        for (int i = 0; i < N; i++) {
            double u = rand_r(&seed) / (double)RAND_MAX - 0.5;
            v[a][i] = a % 2 ? v[a - 1][i] * 3 + u : u * (1 + a) + 1e3 * a;
        }
    }
    v[5][9] = NAN;        /* a signal event: pair by pair */
    v[6][10] = NAN;       /* a background event: still complete for the signal */
    for (int i = 0; i < N; i++)
        v[7][i] = 4.25;   /* no spread: NaN */
    assert_int_equal(hs_correlation(cols, K, label, w, N, HS_CLASS_SIGNAL, r, NULL, NULL), HS_OK);
    for (int a = 0; a < K; a++)
        for (int b = 0; b < K; b++) {
            double want = a == b ? 1.0 : corr_ref(v[a], v[b], label, w, N, 1.0);
            if (a != b && (a == 7 || b == 7)) {
                assert_true(isnan(r[a * K + b]));
                continue;
            }
            /* Pair by pair, the one-pass update of values near 10^4 keeps
             * some 11 digits; the product of standardised columns, 12. */
            assert_true(fabs(r[a * K + b] - want) < (a == 5 || b == 5 ? 1e-9 : 1e-12));
            assert_false(r[a * K + b] < r[b * K + a] || r[a * K + b] > r[b * K + a]);
        }
    free(r);
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
        cmocka_unit_test(test_correlation_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of the two-sample Kolmogorov-Smirnov test (src/ks.c): D
 * against a brute-force distance taken at every point of both samples,
 * Q_KS against published values and the plain alternating series summed
 * here, weights against duplicated events. */
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

#include "ks.h"
#include "mem.h"

/* The weighted fraction of a sample at or below t (NaN values and
 * weights <= 0 left out). */
static double
cdf_at(const double *x, const double *w, size_t n, double t)
{
    double below = 0, all = 0;

    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1;
        if (isnan(x[i]) || !(wi > 0))
            continue;
        all += wi;
        if (x[i] <= t)
            below += wi;
    }
    return below / all;
}

/* D as the largest |F1 - F2| over every value either sample holds: the
 * step functions only change there. */
static double
brute_d(const double *a, const double *wa, size_t na, const double *b, const double *wb,
        size_t nb)
{
    double d = 0;

    for (int s = 0; s < 2; s++) {
        const double *x = s ? b : a, *w = s ? wb : wa;
        size_t n = s ? nb : na;
        for (size_t i = 0; i < n; i++) {
            if (isnan(x[i]) || (w && !(w[i] > 0)))
                continue;
            double dist = fabs(cdf_at(a, wa, na, x[i]) - cdf_at(b, wb, nb, x[i]));
            if (dist > d)
                d = dist;
        }
    }
    return d;
}

/* Q_KS by its definition, the alternating series, to many terms. */
static double
series_q(double lambda)
{
    double s = 0;

    for (int j = 200; j >= 1; j--) /* smallest first */
        s += (j % 2 ? 2 : -2) * exp(-2.0 * j * j * lambda * lambda);
    return s;
}

static double
effective(const double *w, size_t n, const double *x)
{
    double s = 0, s2 = 0;

    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1;
        if (isnan(x[i]) || !(wi > 0))
            continue;
        s += wi;
        s2 += wi * wi;
    }
    return s * s / s2;
}

/* Is p the KS p-value of D with these effective sizes?  Below lambda
 * 0.3 the plain series needs too many terms, but Q is above 1 - 1e-5. */
static int
p_ok(double p, double d, double n1, double n2, double tol)
{
    double ne = n1 * n2 / (n1 + n2), sq = sqrt(ne), lambda = (sq + 0.12 + 0.11 / sq) * d;

    if (lambda < 0.3)
        return p > 1 - 1e-5 && p <= 1;
    return fabs(p - series_q(lambda)) < tol;
}

static void
test_q_published(void **state)
{
    (void)state;
    /* Values of the Kolmogorov distribution's survival function, as in
     * the tables (1.36 is the 5% critical value). */
    assert_true(fabs(hs_kolmogorov_q(1.36) - 0.0494) < 1e-4);
    assert_true(fabs(hs_kolmogorov_q(1.0) - 0.2700) < 1e-4);
    assert_true(fabs(hs_kolmogorov_q(0.5) - 0.9639) < 1e-4);
    assert_true(fabs(hs_kolmogorov_q(1.63) - 0.0098) < 1e-4); /* the 1% value */
    assert_true(hs_kolmogorov_q(0) == 1);
    assert_true(hs_kolmogorov_q(-1) == 1);
    assert_true(hs_kolmogorov_q(0.05) == 1);
    assert_true(hs_kolmogorov_q(40) == 0);
    assert_true(isnan(hs_kolmogorov_q(NAN)));
}

static void
test_q_series(void **state)
{
    double prev = 1;

    (void)state;
    /* Where the plain series is accurate in doubles it must agree to
     * rounding, on both sides of the switch between the two series. */
    for (double l = 0.3; l <= 4.0; l += 0.01) {
        double q = hs_kolmogorov_q(l);
        assert_true(fabs(q - series_q(l)) < 1e-12);
        assert_true(q >= 0 && q <= 1);
        assert_true(q <= prev);
        prev = q;
    }
}

static void
test_small_cases(void **state)
{
    const double a[] = {1, 2, 3, 4}, b[] = {3, 4, 5, 6}, c[] = {4, 5, 6};
    double d, p;

    (void)state;
    /* Ties across the samples at 3 and 4: both step there. */
    assert_int_equal(hs_ks_test(a, NULL, 4, b, NULL, 4, &d, &p, NULL), HS_OK);
    assert_true(d == 0.5);
    assert_true(p_ok(p, 0.5, 4, 4, 1e-12));
    /* Identical samples: no distance at all. */
    assert_int_equal(hs_ks_test(a, NULL, 4, a, NULL, 4, &d, &p, NULL), HS_OK);
    assert_true(d == 0);
    assert_true(p == 1);
    /* Disjoint. */
    assert_int_equal(hs_ks_test(a, NULL, 3, c, NULL, 3, &d, &p, NULL), HS_OK);
    assert_true(d == 1);
    assert_true(p < 0.1);
    /* Outputs may be NULL. */
    assert_int_equal(hs_ks_test(a, NULL, 4, b, NULL, 4, NULL, NULL, NULL), HS_OK);
}

/* Integer values (many ties), a few NaN. */
static void
fill(double *x, size_t n, uint64_t *r, int range, double shift)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t u = tu_xorshift(r);
        x[i] = (u % 53 == 0) ? NAN : (double)(u % (uint64_t)range) + shift;
    }
}

static void
test_brute_force(void **state)
{
    uint64_t r = 12345;

    (void)state;
    for (int trial = 0; trial < 60; trial++) {
        size_t na = 1 + tu_xorshift(&r) % 300, nb = 1 + tu_xorshift(&r) % 300;
        double *a = malloc(na * sizeof *a), *b = malloc(nb * sizeof *b);
        double *wa = malloc(na * sizeof *wa), *wb = malloc(nb * sizeof *wb);
        int weighted = trial % 2, range = trial % 3 ? 20 : 1000;
        double d, p;
        fill(a, na, &r, range, 0);
        fill(b, nb, &r, range, trial % 4 == 0 ? 2.5 : 0);
        for (size_t i = 0; i < na; i++)
            wa[i] = tu_unit(tu_xorshift(&r)) * 2 - 0.1; /* a few <= 0 */
        for (size_t i = 0; i < nb; i++)
            wb[i] = tu_unit(tu_xorshift(&r)) * 3 - 0.1;
        a[0] = 0; /* at least one usable event each */
        b[0] = 1;
        wa[0] = wb[0] = 1;
        int rc = hs_ks_test(a, weighted ? wa : NULL, na, b, weighted ? wb : NULL, nb, &d, &p,
                            NULL);
        assert_int_equal(rc, HS_OK);
        double bd = brute_d(a, weighted ? wa : NULL, na, b, weighted ? wb : NULL, nb);
        assert_true(fabs(d - bd) < 1e-12);
        double e1 = effective(weighted ? wa : NULL, na, a);
        double e2 = effective(weighted ? wb : NULL, nb, b);
        assert_true(p_ok(p, bd, e1, e2, 1e-9));
        assert_true(p >= 0 && p <= 1);
        free(a);
        free(b);
        free(wa);
        free(wb);
    }
}

/* Integer weights give the same D as the events repeated that often. */
static void
test_weights_as_duplicates(void **state)
{
    uint64_t r = 777;

    (void)state;
    for (int trial = 0; trial < 20; trial++) {
        size_t na = 1 + tu_xorshift(&r) % 100, nb = 1 + tu_xorshift(&r) % 100;
        double a[100], b[100], wa[100], wb[100], da[400], db[400];
        size_t ka = 0, kb = 0;
        double d1, d2, p1, p2;
        for (size_t i = 0; i < na; i++) {
            a[i] = (double)(tu_xorshift(&r) % 30);
            wa[i] = (double)(1 + tu_xorshift(&r) % 4);
            for (int k = 0; k < (int)wa[i]; k++)
                da[ka++] = a[i];
        }
        for (size_t i = 0; i < nb; i++) {
            b[i] = (double)(tu_xorshift(&r) % 30) + 0.5 * (trial % 2);
            wb[i] = (double)(1 + tu_xorshift(&r) % 4);
            for (int k = 0; k < (int)wb[i]; k++)
                db[kb++] = b[i];
        }
        assert_int_equal(hs_ks_test(a, wa, na, b, wb, nb, &d1, &p1, NULL), HS_OK);
        assert_int_equal(hs_ks_test(da, NULL, ka, db, NULL, kb, &d2, &p2, NULL), HS_OK);
        assert_true(fabs(d1 - d2) < 1e-14);
        /* The weighted sample is worth fewer events: a larger p for the
         * same distance (or both 1). */
        assert_true(p1 >= p2 - 1e-15);
    }
}

/* NaN values, and weights <= 0, NaN or infinite, are as if absent. */
static void
test_left_out(void **state)
{
    const double a[] = {1, NAN, 2, 7, 3}, wa[] = {1, 5, 1, -2, 1};
    const double a2[] = {1, 2, 3};
    const double b[] = {2.5, 0, 9, NAN, 4}, wb[] = {1, 0, 1, 1, INFINITY};
    const double b2[] = {2.5, 9};
    double d1, d2, p1, p2;

    (void)state;
    assert_int_equal(hs_ks_test(a, wa, 5, b, wb, 5, &d1, &p1, NULL), HS_OK);
    assert_int_equal(hs_ks_test(a2, NULL, 3, b2, NULL, 2, &d2, &p2, NULL), HS_OK);
    assert_true(d1 == d2);
    assert_true(fabs(p1 - p2) < 1e-15);
}

static void
test_errors(void **state)
{
    const double a[] = {1, 2}, nan2[] = {NAN, NAN}, w0[] = {0, -1};
    struct hs_err err = {0};
    double d = -1, p = -1;

    (void)state;
    assert_int_equal(hs_ks_test(a, NULL, 0, a, NULL, 2, &d, &p, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "first sample"));
    hs_err_clear(&err);
    assert_int_equal(hs_ks_test(a, NULL, 2, nan2, NULL, 2, &d, &p, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "second sample"));
    assert_int_equal(hs_ks_test(a, w0, 2, a, NULL, 2, &d, &p, &err), HS_EDATA);
    assert_true(d == -1 && p == -1);
    /* Out of memory at either allocation. */
    for (long k = 0; k < 2; k++) {
        hs_mem_fail_after(k);
        assert_int_equal(hs_ks_test(a, NULL, 2, a, NULL, 2, &d, &p, &err), HS_ENOMEM);
        hs_mem_fail_after(-1);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_q_published),  cmocka_unit_test(test_q_series),
        cmocka_unit_test(test_small_cases),  cmocka_unit_test(test_brute_force),
        cmocka_unit_test(test_weights_as_duplicates), cmocka_unit_test(test_left_out),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

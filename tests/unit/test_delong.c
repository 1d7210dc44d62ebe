/* Unit tests of DeLong's variance of the ROC area (src/delong.c): against
 * a case worked out by hand, and against the structural components
 * computed pair by pair (the O(m n) definition of DeLong, DeLong and
 * Clarke-Pearson 1988), with ties, NaN scores, masks and weights. */
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

#include "delong.h"
#include "mem.h"
#include "roc.h"

/* psi(x, y) of DeLong: 1 when the signal score x is above the background
 * score y, 1/2 when equal; NaN is below every number and ties with NaN. */
static double
psi(double x, double y)
{
    if (isnan(x) && isnan(y))
        return 0.5;
    if (isnan(x))
        return 0;
    if (isnan(y))
        return 1;
    return x > y ? 1 : x == y ? 0.5 : 0;
}

static bool
picked(const double *lab, const unsigned char *mask, size_t i, double cls)
{
    return (!mask || mask[i]) && lab[i] == cls;
}

/* The definition, pair by pair: V10(i) = sum_j w_j psi(x_i, y_j) / W_b,
 * V01(j) = sum_i w_i psi(x_i, y_j) / W_s, the area their weighted mean,
 * and the variance S10 / m + S01 / n with Kish's counts for weights (the
 * plain sample variances for unit weights). */
static void
brute_delong(const double *sc, const double *lab, const double *w, const unsigned char *mask,
             size_t n, double *auc, double *var)
{
    double ws = 0, wb = 0, ws2 = 0, wb2 = 0, a = 0, ss10 = 0, ss01 = 0;
    double *v = calloc(n, sizeof *v);

    assert_non_null(v);
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1;
        if (picked(lab, mask, i, 1))
            ws += wi, ws2 += wi * wi;
        if (picked(lab, mask, i, 0))
            wb += wi, wb2 += wi * wi;
    }
    for (size_t i = 0; i < n; i++) {
        int cls = picked(lab, mask, i, 1) ? 1 : picked(lab, mask, i, 0) ? 0 : -1;
        if (cls < 0)
            continue;
        for (size_t j = 0; j < n; j++) {
            double wj = w ? w[j] : 1;
            if (cls == 1 && picked(lab, mask, j, 0))
                v[i] += wj * psi(sc[i], sc[j]) / wb;
            if (cls == 0 && picked(lab, mask, j, 1))
                v[i] += wj * psi(sc[j], sc[i]) / ws;
        }
        if (cls == 1)
            a += (w ? w[i] : 1) * v[i] / ws;
    }
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1, d = v[i] - a;
        if (picked(lab, mask, i, 1))
            ss10 += wi * d * d;
        if (picked(lab, mask, i, 0))
            ss01 += wi * d * d;
    }
    {
        double m = ws * ws / ws2, nb = wb * wb / wb2;
        double s10 = ss10 / ws * m / (m - 1), s01 = ss01 / wb * nb / (nb - 1);
        *var = s10 / m + s01 / nb;
    }
    *auc = a;
    free(v);
}

/* Signal 0.9 0.8 0.4, background 0.7 0.4 0.1: V10 = 1, 1, 1/2 and
 * V01 = 2/3, 5/6, 1; area 5/6; S10 = 1/12, S01 = 1/36, so the variance
 * is (1/12 + 1/36) / 3 = 1/27. */
static void
test_by_hand(void **state)
{
    const double sc[] = {0.9, 0.8, 0.4, 0.7, 0.4, 0.1}, lab[] = {1, 1, 1, 0, 0, 0};
    struct hs_delong d;

    (void)state;
    assert_int_equal(hs_delong_auc(sc, lab, NULL, NULL, 6, &d, NULL, NULL), HS_OK);
    assert_true(fabs(d.auc - 5.0 / 6) < 1e-15);
    assert_true(fabs(d.var - 1.0 / 27) < 1e-15);
    assert_true(fabs(d.se - sqrt(1.0 / 27)) < 1e-15);
    assert_true(fabs(d.m_eff - 3) < 1e-15 && fabs(d.n_eff - 3) < 1e-15);
}

/* Integer scores (ties), NaN scores, other labels, a mask and weights. */
static void
test_brute_force(void **state)
{
    (void)state;
    for (int variant = 0; variant < 6; variant++) {
        enum { N = 600 };
        double sc[N], lab[N], w[N];
        unsigned char mask[N];
        uint64_t r = 77 + (uint64_t)variant;
        struct hs_delong d;
        struct hs_roc roc;
        struct hs_err err;
        double auc, var;
        const double *wp = variant & 1 ? w : NULL;
        const unsigned char *mp = variant & 2 ? mask : NULL;

        for (size_t i = 0; i < N; i++) {
            double u = tu_unit(tu_splitmix(&r));
            lab[i] = u < 0.4 ? 1 : u < 0.96 ? 0 : 2;
            /* variant 4, 5: nearly separated classes, the demo's case */
            sc[i] = floor(tu_unit(tu_splitmix(&r)) * (variant >= 4 ? 40 : 9)) +
                    (lab[i] == 1 ? (variant >= 4 ? 36 : 3) : 0);
            if (tu_unit(tu_splitmix(&r)) < 0.03)
                sc[i] = NAN;
            w[i] = 0.2 + 1.5 * tu_unit(tu_splitmix(&r));
            mask[i] = tu_unit(tu_splitmix(&r)) < 0.85;
        }
        assert_int_equal(hs_delong_auc(sc, lab, wp, mp, N, &d, NULL, &err), HS_OK);
        brute_delong(sc, lab, wp, mp, N, &auc, &var);
        assert_true(fabs(d.auc - auc) < 1e-12);
        assert_true(fabs(d.var - var) < 1e-12 * var + 1e-18);
        assert_true(var > 0);
        /* The area is the ROC's (the same ranking, NaN included). */
        assert_int_equal(hs_roc_from_scores(sc, lab, wp, mp, N, &roc, NULL, &err), HS_OK);
        assert_true(fabs(d.auc - roc.auc) < 1e-12);
        hs_roc_release(&roc);
    }
}

/* A perfect separation has no spread; one event in a class has no
 * sample variance; a missing class and a negative weight are errors. */
static void
test_edges(void **state)
{
    const double sc[] = {3, 2, 1, 0}, lab[] = {1, 1, 0, 0}, lab1[] = {1, 0, 0, 0};
    const double lab0[] = {1, 1, 1, 1}, wneg[] = {1, 1, -1, 1};
    struct hs_delong d = {0};
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_delong_auc(sc, lab, NULL, NULL, 4, &d, NULL, &err), HS_OK);
    assert_true(fabs(d.auc - 1) < 1e-15 && fabs(d.var) < 1e-15);
    assert_int_equal(hs_delong_auc(sc, lab1, NULL, NULL, 4, &d, NULL, &err), HS_OK);
    assert_true(fabs(d.auc - 1) < 1e-15 && isnan(d.var) && isnan(d.se));
    assert_int_equal(hs_delong_auc(sc, lab0, NULL, NULL, 4, &d, NULL, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "background"));
    assert_int_equal(hs_delong_auc(sc, lab, wneg, NULL, 4, &d, NULL, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "weight"));
}

/* A raised cancel flag returns HS_ECANCELLED and leaves *out alone. */
static void
test_cancel_and_oom(void **state)
{
    enum { N = 200000 };
    double *sc = malloc(N * sizeof *sc), *lab = malloc(N * sizeof *lab);
    atomic_int flag = 1;
    struct hs_task task = {NULL, NULL, &flag};
    struct hs_delong d = {.auc = 42};
    struct hs_err err;
    uint64_t r = 5;
    int ok = 0;

    (void)state;
    assert_true(sc && lab);
    for (size_t i = 0; i < N; i++) {
        lab[i] = (double)(i & 1);
        sc[i] = tu_unit(tu_splitmix(&r)) + lab[i];
    }
    assert_int_equal(hs_delong_auc(sc, lab, NULL, NULL, N, &d, &task, &err), HS_ECANCELLED);
    assert_true(d.auc == 42);
    for (int k = 0; k < 8; k++) {
        int rc;
        hs_mem_fail_after(k);
        rc = hs_delong_auc(sc, lab, NULL, NULL, 1000, &d, NULL, &err);
        hs_mem_fail_after(-1);
        assert_true(rc == HS_OK || rc == HS_ENOMEM);
        ok += rc == HS_OK;
    }
    assert_true(ok > 0);
    free(sc);
    free(lab);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(test_brute_force),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_cancel_and_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

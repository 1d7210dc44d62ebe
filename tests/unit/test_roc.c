/* Unit tests of ROC curves (src/roc.c) against brute-force pair and
 * threshold counts and curves worked out by hand. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "test_util.h"

#include "mem.h"
#include "roc.h"

/* NaN scores rank below every number and tie with each other, as in the
 * ROC where they enter together at the closing point. */
static double
pair_score(double a, double b)
{
    if (isnan(a) && isnan(b))
        return 0.5;
    if (isnan(a))
        return 0;
    if (isnan(b))
        return 1;
    return a > b ? 1 : a == b ? 0.5 : 0;
}

/* The weighted Mann-Whitney statistic by counting every pair. */
static double
brute_auc(const double *sc, const double *lab, const double *w, const unsigned char *mask,
          size_t n)
{
    double num = 0, ws = 0, wb = 0;

    for (size_t i = 0; i < n; i++) {
        if ((mask && !mask[i]) || !(lab[i] == 0 || lab[i] == 1))
            continue;
        if (lab[i] == 1)
            ws += w ? w[i] : 1;
        else
            wb += w ? w[i] : 1;
    }
    for (size_t i = 0; i < n; i++) {
        if ((mask && !mask[i]) || lab[i] != 1)
            continue;
        for (size_t j = 0; j < n; j++) {
            if ((mask && !mask[j]) || lab[j] != 0)
                continue;
            num += (w ? w[i] * w[j] : 1) * pair_score(sc[i], sc[j]);
        }
    }
    return num / (ws * wb);
}

struct sample {
    size_t n;
    double *sc, *lab, *w;
    unsigned char *mask;
};

/* Integer-valued scores (many ties), a few NaN scores, labels 0/1 with
 * some left-out values, positive weights, a mask dropping ~10%. */
static void
sample_make(struct sample *s, size_t n, uint64_t seed, int with_nan)
{
    uint64_t r = seed;

    s->n = n;
    s->sc = malloc(n * sizeof *s->sc);
    s->lab = malloc(n * sizeof *s->lab);
    s->w = malloc(n * sizeof *s->w);
    s->mask = malloc(n);
    assert_non_null(s->sc);
    assert_non_null(s->lab);
    assert_non_null(s->w);
    assert_non_null(s->mask);
    for (size_t i = 0; i < n; i++) {
        double u = tu_unit(tu_splitmix(&r));
        s->lab[i] = u < 0.45 ? 1 : u < 0.95 ? 0 : (u < 0.97 ? NAN : 2);
        s->sc[i] = floor(tu_unit(tu_splitmix(&r)) * 12) + (s->lab[i] == 1 ? 3 : 0);
        if (with_nan && tu_unit(tu_splitmix(&r)) < 0.03)
            s->sc[i] = NAN;
        s->w[i] = 0.1 + 2 * tu_unit(tu_splitmix(&r));
        s->mask[i] = tu_unit(tu_splitmix(&r)) < 0.9;
    }
}

static void
sample_free(struct sample *s)
{
    free(s->sc);
    free(s->lab);
    free(s->w);
    free(s->mask);
}

static void
test_auc_brute_force(void **state)
{
    (void)state;
    for (int variant = 0; variant < 4; variant++) {
        struct sample s;
        struct hs_roc r;
        struct hs_err err;
        int with_nan = variant & 1;
        const double *w;
        const unsigned char *mask;
        double ref;

        sample_make(&s, 700, 1234 + (uint64_t)variant, with_nan);
        w = variant & 2 ? s.w : NULL;
        mask = variant & 2 ? s.mask : NULL;
        assert_int_equal(hs_roc_from_scores(s.sc, s.lab, w, mask, s.n, &r, NULL, &err), HS_OK);
        ref = brute_auc(s.sc, s.lab, w, mask, s.n);
        assert_true(fabs(r.auc - ref) < 1e-12);
        assert_false(r.single);
        hs_roc_release(&r);
        sample_free(&s);
    }
}

/* Every returned threshold passes exactly the weight its point says. */
static void
test_points_brute_force(void **state)
{
    struct sample s;
    struct hs_roc r;
    struct hs_err err;
    size_t nd = 0;
    double seen[64];
    double ws = 0, wb = 0;

    (void)state;
    sample_make(&s, 900, 99, 1);
    assert_int_equal(hs_roc_from_scores(s.sc, s.lab, s.w, s.mask, s.n, &r, NULL, &err), HS_OK);
    for (size_t i = 0; i < s.n; i++) {
        int found = 0;
        if (!s.mask[i] || !(s.lab[i] == 0 || s.lab[i] == 1))
            continue;
        if (s.lab[i] == 1)
            ws += s.w[i];
        else
            wb += s.w[i];
        if (isnan(s.sc[i]))
            continue;
        for (size_t k = 0; k < nd; k++)
            found |= seen[k] == s.sc[i];
        if (!found)
            seen[nd++] = s.sc[i];
    }
    /* (0, 0), one per distinct value, the closing point of the NaNs. */
    assert_int_equal(r.n, nd + 2);
    assert_non_null(r.thr);
    assert_true(r.bkg_eff[0] == 0 && r.sig_eff[0] == 0);
    assert_true(r.bkg_eff[r.n - 1] == 1 && r.sig_eff[r.n - 1] == 1);
    assert_true(isnan(r.thr[r.n - 1]));
    assert_true(isinf(r.thr[r.n - 2]) && r.thr[r.n - 2] < 0);
    for (size_t k = 0; k + 1 < r.n; k++) {
        double ps = 0, pb = 0;
        for (size_t i = 0; i < s.n; i++) {
            if (!s.mask[i] || !(s.lab[i] == 0 || s.lab[i] == 1) || !(s.sc[i] > r.thr[k]))
                continue;
            if (s.lab[i] == 1)
                ps += s.w[i];
            else
                pb += s.w[i];
        }
        assert_true(fabs(r.sig_eff[k] - ps / ws) < 1e-12);
        assert_true(fabs(r.bkg_eff[k] - pb / wb) < 1e-12);
        if (k > 0) {
            assert_true(r.bkg_eff[k] >= r.bkg_eff[k - 1]);
            assert_true(r.thr[k] < r.thr[k - 1]);
        }
    }
    hs_roc_release(&r);
    sample_free(&s);
}

static void
test_no_nan_ends_at_one(void **state)
{
    const double sc[] = {0.1, 0.4, 0.35, 0.8, -0.0, 0.0};
    const double lab[] = {0, 0, 1, 1, 0, 1};
    struct hs_roc r;

    (void)state;
    assert_int_equal(hs_roc_from_scores(sc, lab, NULL, NULL, 6, &r, NULL, NULL), HS_OK);
    /* -0 and +0 are one value: 5 distinct values, 6 points. */
    assert_int_equal(r.n, 6);
    assert_true(r.thr[0] == 0.8);
    assert_true(r.bkg_eff[5] == 1 && r.sig_eff[5] == 1);
    assert_true(isinf(r.thr[5]));
    /* Pairs (s, b): 0.35>0.1, 0.35<0.4, 0.35>0; 0.8 beats all 3; 0 vs
     * 0.1 loses, vs 0.4 loses, vs -0 ties: (2 + 3 + 0.5) / 9. */
    assert_true(fabs(r.auc - 5.5 / 9) < 1e-15);
    hs_roc_release(&r);
}

static void
test_perfect_and_reversed(void **state)
{
    enum { N = 1000 };
    static double sc[N], lab[N], rev[N];
    uint64_t rs = 7;
    struct hs_roc r;

    (void)state;
    for (int i = 0; i < N; i++) {
        lab[i] = i % 3 == 0;
        sc[i] = lab[i] == 1 ? 0.6 + 0.4 * tu_unit(tu_splitmix(&rs)) : 0.4 * tu_unit(tu_splitmix(&rs));
        rev[i] = -sc[i];
    }
    assert_int_equal(hs_roc_from_scores(sc, lab, NULL, NULL, N, &r, NULL, NULL), HS_OK);
    assert_true(fabs(r.auc - 1) < 1e-15);
    assert_true(fabs(hs_roc_bkg_at(&r, 0.95)) < 1e-15);
    assert_true(fabs(hs_roc_sig_at(&r, 0.0) - 1) < 1e-15);
    hs_roc_release(&r);
    assert_int_equal(hs_roc_from_scores(rev, lab, NULL, NULL, N, &r, NULL, NULL), HS_OK);
    assert_true(fabs(r.auc) < 1e-15);
    assert_true(fabs(hs_roc_bkg_at(&r, 0.95) - 1) < 1e-15);
    hs_roc_release(&r);
}

/* A score independent of the label: AUC within 4 sigma of 1/2, sigma the
 * Mann-Whitney spread sqrt((n1 + n2 + 1) / (12 n1 n2)). */
static void
test_random_score(void **state)
{
    enum { N = 20000 };
    static double sc[N], lab[N];
    uint64_t rs = 2024;
    double n1 = 0, n2 = 0, sigma;
    struct hs_roc r;

    (void)state;
    for (int i = 0; i < N; i++) {
        lab[i] = tu_unit(tu_splitmix(&rs)) < 0.3;
        sc[i] = tu_unit(tu_splitmix(&rs));
        n1 += lab[i] == 1;
        n2 += lab[i] == 0;
    }
    sigma = sqrt((n1 + n2 + 1) / (12 * n1 * n2));
    assert_int_equal(hs_roc_from_scores(sc, lab, NULL, NULL, N, &r, NULL, NULL), HS_OK);
    assert_true(fabs(r.auc - 0.5) < 4 * sigma);
    assert_int_equal(r.n, N + 1);
    hs_roc_release(&r);
}

static void
test_mask_equals_subset(void **state)
{
    struct sample s;
    struct hs_roc a, b;
    double *sc2, *lab2, *w2;
    size_t m = 0;

    (void)state;
    sample_make(&s, 500, 5, 1);
    sc2 = malloc(s.n * sizeof *sc2);
    lab2 = malloc(s.n * sizeof *lab2);
    w2 = malloc(s.n * sizeof *w2);
    assert_true(sc2 && lab2 && w2);
    for (size_t i = 0; i < s.n; i++) {
        if (!s.mask[i])
            continue;
        sc2[m] = s.sc[i], lab2[m] = s.lab[i], w2[m] = s.w[i];
        m++;
    }
    assert_true(m < s.n);
    assert_int_equal(hs_roc_from_scores(s.sc, s.lab, s.w, s.mask, s.n, &a, NULL, NULL), HS_OK);
    assert_int_equal(hs_roc_from_scores(sc2, lab2, w2, NULL, m, &b, NULL, NULL), HS_OK);
    assert_int_equal(a.n, b.n);
    for (size_t k = 0; k < a.n; k++) {
        assert_true(fabs(a.sig_eff[k] - b.sig_eff[k]) < 1e-13);
        assert_true(fabs(a.bkg_eff[k] - b.bkg_eff[k]) < 1e-13);
    }
    hs_roc_release(&a);
    hs_roc_release(&b);
    free(sc2);
    free(lab2);
    free(w2);
    sample_free(&s);
}

/* Negative weights: the area is still the weighted pair count; nothing
 * crashes, whatever the curve does. */
static void
test_negative_weights(void **state)
{
    struct sample s;
    struct hs_roc r;
    uint64_t rs = 77;

    (void)state;
    sample_make(&s, 400, 31, 1);
    for (size_t i = 0; i < s.n; i++)
        if (tu_unit(tu_splitmix(&rs)) < 0.15)
            s.w[i] = -0.3 * s.w[i];
    assert_int_equal(hs_roc_from_scores(s.sc, s.lab, s.w, NULL, s.n, &r, NULL, NULL), HS_OK);
    assert_true(fabs(r.auc - brute_auc(s.sc, s.lab, s.w, NULL, s.n)) < 1e-12);
    assert_false(isnan(hs_roc_bkg_at(&r, 0.5)));
    assert_false(isnan(hs_roc_sig_at(&r, 0.5)));
    hs_roc_release(&r);
    sample_free(&s);
}

static void
test_empty_class(void **state)
{
    const double sc[] = {1, 2, 3, 4};
    const double all_sig[] = {1, 1, 1, 1};
    const double lab[] = {1, 0, 1, 0};
    const double w[] = {1, -2, 1, 1};
    const unsigned char mask[] = {1, 0, 1, 0};
    struct hs_roc r = {0};
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_roc_from_scores(sc, all_sig, NULL, NULL, 4, &r, NULL, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "background"));
    assert_int_equal(hs_roc_from_scores(sc, lab, NULL, mask, 4, &r, NULL, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "background"));
    assert_int_equal(hs_roc_from_scores(sc, lab, w, NULL, 4, &r, NULL, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "background"));
    assert_int_equal(hs_roc_from_scores(sc, lab, NULL, NULL, 0, &r, NULL, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "signal"));
    assert_int_equal(r.n, 0);
    assert_null(r.bkg_eff);
}

static void
test_all_nan_scores(void **state)
{
    const double sc[] = {NAN, NAN, NAN};
    const double lab[] = {1, 0, 0};
    struct hs_roc r;

    (void)state;
    assert_int_equal(hs_roc_from_scores(sc, lab, NULL, NULL, 3, &r, NULL, NULL), HS_OK);
    assert_int_equal(r.n, 2);
    assert_true(fabs(r.auc - 0.5) < 1e-15);
    hs_roc_release(&r);
}

/* Points worked out by hand, as (bkg, sig): (0.1, 0.5), (0.3, 0.5),
 * (0.5, 0.9) and (0.6, 0.8).  (0.3, 0.5) has more background than
 * (0.1, 0.5) for the same signal, (0.6, 0.8) more background and less
 * signal than (0.5, 0.9): both are off the front.  The curve
 *   (0,0) (0.1,0.5) (0.5,0.9) (1,1)
 * has area 0.1*0.5/2 + 0.4*1.4/2 + 0.5*1.9/2 = 0.78. */
static void
test_from_points(void **state)
{
    const double sig[] = {0.9, 0.5, 0.5, 0.8};
    const double bkg[] = {0.5, 0.3, 0.1, 0.6};
    const double ex_b[] = {0, 0.1, 0.5, 1}, ex_s[] = {0, 0.5, 0.9, 1};
    struct hs_roc r;

    (void)state;
    assert_int_equal(hs_roc_from_points(sig, bkg, 4, &r, NULL), HS_OK);
    assert_int_equal(r.n, 4);
    assert_null(r.thr);
    assert_false(r.single);
    for (int k = 0; k < 4; k++) {
        assert_true(r.bkg_eff[k] == ex_b[k]);
        assert_true(r.sig_eff[k] == ex_s[k]);
    }
    /* The dominated points, in the input order. */
    assert_int_equal(r.ndom, 2);
    assert_true(r.dom_bkg[0] == 0.3 && r.dom_sig[0] == 0.5);
    assert_true(r.dom_bkg[1] == 0.6 && r.dom_sig[1] == 0.8);
    assert_true(fabs(r.auc - 0.78) < 1e-15);
    /* bkg_at: 0.5 -> 0.1; 0.25 -> 0.05; 0.7 -> 0.3; 0.95 -> 0.75;
     * 0 -> 0; 1 -> 1; outside -> NaN. */
    assert_true(fabs(hs_roc_bkg_at(&r, 0.5) - 0.1) < 1e-15);
    assert_true(fabs(hs_roc_bkg_at(&r, 0.25) - 0.05) < 1e-15);
    assert_true(fabs(hs_roc_bkg_at(&r, 0.7) - 0.3) < 1e-15);
    assert_true(fabs(hs_roc_bkg_at(&r, 0.95) - 0.75) < 1e-15);
    assert_true(fabs(hs_roc_bkg_at(&r, 0.0)) < 1e-15);
    assert_true(fabs(hs_roc_bkg_at(&r, 1.0) - 1) < 1e-15);
    assert_true(isnan(hs_roc_bkg_at(&r, 1.01)));
    assert_true(isnan(hs_roc_bkg_at(&r, -0.01)));
    /* sig_at: 0.3 -> 0.7; 0.75 -> 0.95; 0.05 -> 0.25. */
    assert_true(fabs(hs_roc_sig_at(&r, 0.3) - 0.7) < 1e-15);
    assert_true(fabs(hs_roc_sig_at(&r, 0.75) - 0.95) < 1e-15);
    assert_true(fabs(hs_roc_sig_at(&r, 0.05) - 0.25) < 1e-15);
    assert_true(isnan(hs_roc_sig_at(&r, 1.5)));
    hs_roc_release(&r);
}

/* Two points at the same background: the lower is dominated, and the
 * curve rises straight to the higher. */
static void
test_vertical(void **state)
{
    const double sig[] = {0.6, 0.3};
    const double bkg[] = {0.2, 0.2};
    struct hs_roc r;

    (void)state;
    assert_int_equal(hs_roc_from_points(sig, bkg, 2, &r, NULL), HS_OK);
    assert_int_equal(r.n, 3);
    assert_true(r.sig_eff[1] == 0.6 && r.bkg_eff[1] == 0.2);
    assert_int_equal(r.ndom, 1);
    assert_true(r.dom_sig[0] == 0.3);
    assert_true(fabs(hs_roc_sig_at(&r, 0.2) - 0.6) < 1e-15);
    assert_true(fabs(hs_roc_sig_at(&r, 0.1) - 0.3) < 1e-15);
    /* 0.2*0.6/2 + 0.8*1.6/2 */
    assert_true(fabs(r.auc - (0.06 + 0.64)) < 1e-15);
    hs_roc_release(&r);
}

/* Random clouds of points (with repeats): every joined point is beaten
 * by no input point, every left-out one by some input point, the curve
 * rises in both efficiencies, and the area is the trapezoid rule over
 * the undominated points found pair by pair. */
static void
test_front_brute_force(void **state)
{
    (void)state;
    for (int round = 0; round < 20; round++) {
        enum { N = 40 };
        double sig[N], bkg[N], fb[N + 2], fs[N + 2], area = 0;
        uint64_t rs = 900 + (uint64_t)round;
        size_t nfront = 0;
        struct hs_roc r;

        for (size_t i = 0; i < N; i++) {
            bkg[i] = floor(tu_unit(tu_splitmix(&rs)) * 20) / 20;
            sig[i] = floor(tu_unit(tu_splitmix(&rs)) * 20) / 20;
        }
        assert_int_equal(hs_roc_from_points(sig, bkg, N, &r, NULL), HS_OK);
        /* The undominated distinct points, pair by pair, sorted by
         * background (insertion). */
        for (size_t i = 0; i < N; i++) {
            bool beaten = false, seen = false;
            for (size_t j = 0; j < N; j++)
                beaten = beaten || (bkg[j] <= bkg[i] && sig[j] >= sig[i] &&
                                    (bkg[j] < bkg[i] || sig[j] > sig[i]));
            for (size_t j = 0; j < nfront; j++)
                seen = seen || (fb[j] == bkg[i] && fs[j] == sig[i]);
            if (beaten || seen)
                continue;
            size_t k = nfront++;
            while (k > 0 && fb[k - 1] > bkg[i]) {
                fb[k] = fb[k - 1];
                fs[k] = fs[k - 1];
                k--;
            }
            fb[k] = bkg[i];
            fs[k] = sig[i];
        }
        assert_int_equal(r.n, nfront + 2);
        for (size_t j = 0; j < nfront; j++)
            assert_true(r.bkg_eff[j + 1] == fb[j] && r.sig_eff[j + 1] == fs[j]);
        for (size_t j = 1; j < r.n; j++)
            assert_true(r.bkg_eff[j] >= r.bkg_eff[j - 1] && r.sig_eff[j] >= r.sig_eff[j - 1]);
        for (size_t d = 0; d < r.ndom; d++) {
            bool beaten = false;
            for (size_t j = 0; j < N; j++)
                beaten = beaten || (bkg[j] <= r.dom_bkg[d] && sig[j] >= r.dom_sig[d] &&
                                    (bkg[j] < r.dom_bkg[d] || sig[j] > r.dom_sig[d]));
            assert_true(beaten);
        }
        {
            double pb = 0, ps = 0;
            for (size_t j = 0; j <= nfront; j++) {
                double b = j < nfront ? fb[j] : 1, s = j < nfront ? fs[j] : 1;
                area += (b - pb) * (s + ps) / 2;
                pb = b;
                ps = s;
            }
        }
        assert_true(fabs(r.auc - area) < 1e-12);
        hs_roc_release(&r);
    }
}

static void
test_single_point(void **state)
{
    const double sig[] = {0.8}, bkg[] = {0.1};
    struct hs_roc r;
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_roc_from_points(sig, bkg, 1, &r, &err), HS_OK);
    assert_int_equal(r.n, 3);
    assert_true(r.single);
    assert_true(isnan(r.auc));
    assert_true(r.bkg_eff[1] == 0.1 && r.sig_eff[1] == 0.8);
    assert_true(r.bkg_eff[2] == 1 && r.sig_eff[2] == 1);
    assert_true(isnan(hs_roc_bkg_at(&r, 0.5)));
    hs_roc_release(&r);
    assert_int_equal(hs_roc_from_points(sig, bkg, 0, &r, &err), HS_EDATA);
}

static void
test_cancel(void **state)
{
    struct sample s;
    struct hs_roc r = {0};
    atomic_int flag = 1;
    struct hs_task task = {NULL, NULL, &flag};
    struct hs_err err;

    (void)state;
    sample_make(&s, 100, 3, 0);
    assert_int_equal(hs_roc_from_scores(s.sc, s.lab, NULL, NULL, s.n, &r, &task, &err),
                     HS_ECANCELLED);
    assert_int_equal(r.n, 0);
    assert_null(r.sig_eff);
    sample_free(&s);
}

static void
test_cancel_mid_job(void **state)
{
    enum { N = 300000 };
    double *sc = malloc(N * sizeof *sc), *lab = malloc(N * sizeof *lab);
    const double stages[] = {0.0, 0.7};
    uint64_t rs = 5;

    (void)state;
    assert_true(sc && lab);
    for (int i = 0; i < N; i++) {
        lab[i] = tu_unit(tu_splitmix(&rs)) < 0.5;
        sc[i] = tu_unit(tu_splitmix(&rs));
    }
    for (int k = 0; k < 2; k++) {
        struct tu_cancel_at c = {stages[k], 0};
        struct hs_task task = {tu_cancel_at_progress, &c, &c.flag};
        struct hs_roc r = {0};
        struct hs_err err;
        assert_int_equal(hs_roc_from_scores(sc, lab, NULL, NULL, N, &r, &task, &err),
                         HS_ECANCELLED);
        assert_int_equal(r.n, 0);
        assert_null(r.sig_eff);
    }
    free(sc);
    free(lab);
}

static void
test_oom(void **state)
{
    struct sample s;
    const double sig[] = {0.5, 0.7}, bkg[] = {0.1, 0.3};
    int ok = 0;

    (void)state;
    sample_make(&s, 200, 8, 1);
    for (long k = 0; k < 12; k++) {
        struct hs_roc r = {0};
        int rc;
        hs_mem_fail_after(k);
        rc = hs_roc_from_scores(s.sc, s.lab, s.w, NULL, s.n, &r, NULL, NULL);
        hs_mem_fail_after(-1);
        assert_true(rc == HS_OK || rc == HS_ENOMEM);
        if (rc == HS_OK)
            ok++;
        else
            assert_null(r.sig_eff);
        hs_roc_release(&r);
        hs_mem_fail_after(k);
        rc = hs_roc_from_points(sig, bkg, 2, &r, NULL);
        hs_mem_fail_after(-1);
        assert_true(rc == HS_OK || rc == HS_ENOMEM);
        hs_roc_release(&r);
    }
    assert_true(ok > 0);
    sample_free(&s);
}

/* A diagnostic, not an assertion: the time of one million scores. */
static void
test_timing(void **state)
{
    enum { N = 1000000 };
    double *sc = malloc(N * sizeof *sc), *lab = malloc(N * sizeof *lab);
    uint64_t rs = 11;
    struct timespec t0, t1;
    struct hs_roc r;

    (void)state;
    assert_true(sc && lab);
    for (int i = 0; i < N; i++) {
        lab[i] = tu_unit(tu_splitmix(&rs)) < 0.5;
        sc[i] = tu_unit(tu_splitmix(&rs)) + 0.3 * lab[i];
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(hs_roc_from_scores(sc, lab, NULL, NULL, N, &r, NULL, NULL), HS_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("# hs_roc_from_scores on 1000000 random scores: %.1f ms (auc %.4f)\n",
           (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6, r.auc);
    fflush(stdout);
    hs_roc_release(&r);
    free(sc);
    free(lab);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auc_brute_force),
        cmocka_unit_test(test_points_brute_force),
        cmocka_unit_test(test_no_nan_ends_at_one),
        cmocka_unit_test(test_perfect_and_reversed),
        cmocka_unit_test(test_random_score),
        cmocka_unit_test(test_mask_equals_subset),
        cmocka_unit_test(test_negative_weights),
        cmocka_unit_test(test_empty_class),
        cmocka_unit_test(test_all_nan_scores),
        cmocka_unit_test(test_from_points),
        cmocka_unit_test(test_vertical),
        cmocka_unit_test(test_front_brute_force),
        cmocka_unit_test(test_single_point),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_cancel_mid_job),
        cmocka_unit_test(test_oom),
        cmocka_unit_test(test_timing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

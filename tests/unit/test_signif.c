/* Unit tests of significances and efficiency curves (src/signif.c)
 * against the plain formulas, published numbers and brute-force scans. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

#include "mem.h"
#include "signif.h"

static int
rel_close(double a, double b, double tol)
{
    return fabs(a - b) <= tol * fmax(fabs(a), fabs(b));
}

/* The textbook forms with plain log, fine while s/b is moderate. */
static double
plain_asimov(double s, double b)
{
    return sqrt(2 * ((s + b) * log(1 + s / b) - s));
}

static void
test_formulas_moderate(void **state)
{
    /* 9.99/100 is just below the switch to the series at s/b = 0.1. */
    const double sv[] = {10, 50, 3, 120, 0.7, 9.99};
    const double bv[] = {100, 20, 1, 4000, 2.5, 100};

    (void)state;
    for (int i = 0; i < 6; i++) {
        double s = sv[i], b = bv[i];
        assert_true(rel_close(hs_signif(HS_SIGNIF_S_SQRT_B, s, b), s / sqrt(b), 1e-15));
        assert_true(rel_close(hs_signif(HS_SIGNIF_S_SQRT_SB, s, b), s / sqrt(s + b), 1e-15));
        assert_true(rel_close(hs_signif(HS_SIGNIF_ASIMOV, s, b), plain_asimov(s, b), 1e-11));
        assert_true(rel_close(hs_signif(HS_SIGNIF_AMS, s, b), plain_asimov(s, b + 10), 1e-11));
    }
}

/* Asimov Z for s = 10, b = 100, to 15 digits with 30-digit arithmetic
 * (mpmath): 0.983991644756940611... (the familiar "0.98 against s/sqrt(b)
 * = 1" of Cowan et al., Eur. Phys. J. C71 (2011) 1554). */
static void
test_asimov_published(void **state)
{
    (void)state;
    assert_true(fabs(hs_signif(HS_SIGNIF_ASIMOV, 10, 100) - 0.983991644756940611) < 1e-14);
    assert_true(fabs(plain_asimov(10, 100) - 0.983991644756940611) < 1e-12);
    assert_true(fabs(hs_signif(HS_SIGNIF_S_SQRT_B, 10, 100) - 1) < 1e-15);
}

/* s << b: Z -> s/sqrt(b), and more precisely 2 b f(x) = s^2/b (1 - x/3
 * + x^2/6 ...) with x = s/b, so Z = s/sqrt(b) (1 - x/6 + 5 x^2/72 + ...).  The
 * plain formula loses ~9 digits at x = 1e-9; log1p and the series must not. */
static void
test_small_s_over_b(void **state)
{
    const double sv[] = {1e-3, 0.5, 2, 1e-8};
    const double bv[] = {1e6, 1e5, 1e9, 1};

    (void)state;
    for (int i = 0; i < 4; i++) {
        double s = sv[i], b = bv[i], x = s / b;
        double ratio = hs_signif(HS_SIGNIF_ASIMOV, s, b) / (s / sqrt(b));
        assert_true(fabs(ratio - (1 - x / 6 + 5 * x * x / 72)) < 1e-13);
        ratio = hs_signif(HS_SIGNIF_AMS, s, b - 10) / (s / sqrt(b));
        assert_true(fabs(ratio - (1 - x / 6 + 5 * x * x / 72)) < 1e-13);
    }
}

static void
test_ams_breg(void **state)
{
    (void)state;
    /* b = 0 is allowed by the regularisation: sqrt(2 (15 ln 1.5 - 5)). */
    assert_true(rel_close(hs_signif(HS_SIGNIF_AMS, 5, 0), sqrt(2 * (15 * log(1.5) - 5)), 1e-13));
    assert_true(rel_close(hs_signif(HS_SIGNIF_AMS, 30, 7),
                          sqrt(2 * ((30 + 7 + 10) * log(1 + 30.0 / 17) - 30)), 1e-13));
    assert_true(HS_AMS_BREG == 10.0);
}

static void
test_undefined(void **state)
{
    (void)state;
    for (int k = HS_SIGNIF_S_SQRT_B; k <= HS_SIGNIF_ASIMOV; k++) {
        assert_true(isnan(hs_signif((enum hs_signif_kind)k, 0, 0)));
        assert_true(isnan(hs_signif((enum hs_signif_kind)k, -1, 5)));
        assert_true(isnan(hs_signif((enum hs_signif_kind)k, NAN, 5)));
    }
    assert_true(isnan(hs_signif(HS_SIGNIF_S_SQRT_B, 3, 0)));
    assert_true(isnan(hs_signif(HS_SIGNIF_ASIMOV, 3, 0)));
    assert_true(fabs(hs_signif(HS_SIGNIF_S_SQRT_SB, 4, 0) - 2) < 1e-15);
    assert_true(fabs(hs_signif(HS_SIGNIF_ASIMOV, 0, 5)) < 1e-300);
}

static void
test_names(void **state)
{
    (void)state;
    assert_string_equal(hs_signif_name(HS_SIGNIF_S_SQRT_B), "s_sqrt_b");
    assert_string_equal(hs_signif_name(HS_SIGNIF_S_SQRT_SB), "s_sqrt_sb");
    assert_string_equal(hs_signif_name(HS_SIGNIF_AMS), "ams");
    assert_string_equal(hs_signif_name(HS_SIGNIF_ASIMOV), "asimov");
    for (int k = HS_SIGNIF_S_SQRT_B; k <= HS_SIGNIF_ASIMOV; k++)
        assert_int_equal(hs_signif_parse(hs_signif_name((enum hs_signif_kind)k)), k);
    assert_int_equal(hs_signif_parse("sqrt"), -1);
    assert_int_equal(hs_signif_parse(""), -1);
}

/* Signal scores {3, 2}, background {1, 2}, scales 10 and 100:
 *   t = 3   nothing passes                  purity NaN
 *   t = 2   s = 5,  b = 0                   purity 1, s/sqrt(b) NaN
 *   t = 1   s = 10, b = 50                  s/sqrt(b) = sqrt(2), the best
 *   t=-inf  s = 10, b = 100                 1 */
static void
test_effs_by_hand(void **state)
{
    const double sc[] = {3, 1, 2, 2, NAN};
    const double lab[] = {1, 0, 1, 0, 2};
    struct hs_effs e;
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_effs_compute(sc, lab, NULL, NULL, 5, HS_SIGNIF_S_SQRT_B, 10, 100, 3,
                                     &e, NULL, &err),
                     HS_OK);
    assert_int_equal(e.n, 3);
    assert_true(fabs(e.p[0].thr - 1) < 1e-15 && fabs(e.p[1].thr - 2) < 1e-15 &&
                fabs(e.p[2].thr - 3) < 1e-15);
    assert_true(fabs(e.p[0].sig_eff - 1) < 1e-15 && fabs(e.p[0].bkg_eff - 0.5) < 1e-15);
    assert_true(fabs(e.p[0].s - 10) < 1e-13 && fabs(e.p[0].b - 50) < 1e-13);
    assert_true(fabs(e.p[0].purity - 10.0 / 60) < 1e-15);
    assert_true(fabs(e.p[0].eff_purity - 10.0 / 60) < 1e-15);
    assert_true(fabs(e.p[0].signif - sqrt(2)) < 1e-14);
    assert_true(fabs(e.p[1].purity - 1) < 1e-15 && isnan(e.p[1].signif));
    assert_true(fabs(e.p[1].eff_purity - 0.5) < 1e-15);
    assert_true(e.p[2].sig_eff == 0 && e.p[2].bkg_eff == 0 && isnan(e.p[2].purity));
    assert_true(fabs(e.best.thr - 1) < 1e-15);
    assert_true(fabs(e.best.signif - sqrt(2)) < 1e-14);
    hs_effs_release(&e);
    assert_null(e.p);
}

struct sample {
    size_t n;
    double *sc, *lab, *w;
    unsigned char *mask;
};

static void
sample_make(struct sample *s, size_t n, uint64_t seed)
{
    uint64_t r = seed;

    s->n = n;
    s->sc = malloc(n * sizeof *s->sc);
    s->lab = malloc(n * sizeof *s->lab);
    s->w = malloc(n * sizeof *s->w);
    s->mask = malloc(n);
    assert_true(s->sc && s->lab && s->w && s->mask);
    for (size_t i = 0; i < n; i++) {
        s->lab[i] = tu_unit(tu_splitmix(&r)) < 0.3;
        s->sc[i] = floor(tu_unit(tu_splitmix(&r)) * 20) + (s->lab[i] == 1 ? 6 : 0);
        if (tu_unit(tu_splitmix(&r)) < 0.02)
            s->sc[i] = NAN;
        s->w[i] = 0.2 + tu_unit(tu_splitmix(&r));
        s->mask[i] = tu_unit(tu_splitmix(&r)) < 0.85;
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

/* Weighted passing fractions of "score > t" by counting. */
static void
count_pass(const struct sample *s, double t, double *es, double *eb)
{
    double ps = 0, pb = 0, ws = 0, wb = 0;

    for (size_t i = 0; i < s->n; i++) {
        if (!s->mask[i])
            continue;
        if (s->lab[i] == 1)
            ws += s->w[i], ps += s->sc[i] > t ? s->w[i] : 0;
        else
            wb += s->w[i], pb += s->sc[i] > t ? s->w[i] : 0;
    }
    *es = ps / ws;
    *eb = pb / wb;
}

static void
test_effs_brute_force(void **state)
{
    struct sample s;

    (void)state;
    sample_make(&s, 1500, 42);
    for (int k = HS_SIGNIF_S_SQRT_B; k <= HS_SIGNIF_ASIMOV; k++) {
        struct hs_effs e;
        double best = -1, lo = INFINITY, hi = -INFINITY, es, eb;
        double cand[64];
        size_t nc = 0;

        assert_int_equal(hs_effs_compute(s.sc, s.lab, s.w, s.mask, s.n,
                                         (enum hs_signif_kind)k, 40, 900, 9, &e, NULL, NULL),
                         HS_OK);
        /* Every selection a threshold can make: each distinct score, and
         * -inf (everything with a score). */
        cand[nc++] = -INFINITY;
        for (size_t i = 0; i < s.n; i++) {
            int seen = 0;
            if (!s.mask[i] || isnan(s.sc[i]))
                continue;
            lo = fmin(lo, s.sc[i]);
            hi = fmax(hi, s.sc[i]);
            for (size_t j = 0; j < nc; j++)
                seen |= cand[j] == s.sc[i];
            if (!seen)
                cand[nc++] = s.sc[i];
        }
        for (size_t j = 0; j < nc; j++) {
            double z;
            count_pass(&s, cand[j], &es, &eb);
            z = hs_signif((enum hs_signif_kind)k, 40 * es, 900 * eb);
            if (!isnan(z) && z > best)
                best = z;
        }
        assert_true(rel_close(e.best.signif, best, 1e-12));
        count_pass(&s, e.best.thr, &es, &eb);
        assert_true(fabs(e.best.sig_eff - es) < 1e-12 && fabs(e.best.bkg_eff - eb) < 1e-12);
        /* The table: 9 evenly spaced thresholds, each checked by counting. */
        assert_int_equal(e.n, 9);
        for (size_t i = 0; i < e.n; i++) {
            double t = lo + (hi - lo) * (double)i / 8;
            assert_true(fabs(e.p[i].thr - t) < 1e-12);
            count_pass(&s, e.p[i].thr, &es, &eb);
            assert_true(fabs(e.p[i].sig_eff - es) < 1e-12);
            assert_true(fabs(e.p[i].bkg_eff - eb) < 1e-12);
            assert_true(fabs(e.p[i].s - 40 * es) < 1e-10);
            assert_true(fabs(e.p[i].b - 900 * eb) < 1e-9);
            if (40 * es + 900 * eb > 0)
                assert_true(fabs(e.p[i].purity - 40 * es / (40 * es + 900 * eb)) < 1e-12);
        }
        assert_true(e.p[8].sig_eff == 0 && isnan(e.p[8].purity));
        hs_effs_release(&e);
    }
    sample_free(&s);
}

static void
test_effs_errors(void **state)
{
    const double sc[] = {1, 2, 3, 4};
    const double lab[] = {1, 1, 1, 1};
    const double lab2[] = {1, 0, 1, 0};
    const double nan_sc[] = {NAN, NAN, NAN, NAN};
    const unsigned char mask[] = {0, 1, 0, 1};
    struct hs_effs e = {0};
    struct hs_err err;
    atomic_int flag = 1;
    struct hs_task task = {NULL, NULL, &flag};

    (void)state;
    assert_int_equal(hs_effs_compute(sc, lab, NULL, NULL, 4, HS_SIGNIF_AMS, 1, 1, 5, &e, NULL,
                                     &err),
                     HS_EDATA);
    assert_non_null(strstr(err.msg, "background"));
    assert_int_equal(hs_effs_compute(sc, lab2, NULL, mask, 4, HS_SIGNIF_AMS, 1, 1, 5, &e, NULL,
                                     &err),
                     HS_EDATA);
    assert_non_null(strstr(err.msg, "signal"));
    assert_int_equal(hs_effs_compute(nan_sc, lab2, NULL, NULL, 4, HS_SIGNIF_AMS, 1, 1, 5, &e,
                                     NULL, &err),
                     HS_EDATA);
    assert_int_equal(hs_effs_compute(sc, lab2, NULL, NULL, 4, HS_SIGNIF_AMS, 1, 1, 1, &e, NULL,
                                     &err),
                     HS_ERANGE);
    assert_int_equal(hs_effs_compute(sc, lab2, NULL, NULL, 4, HS_SIGNIF_AMS, -1, 1, 5, &e, NULL,
                                     &err),
                     HS_ERANGE);
    assert_int_equal(hs_effs_compute(sc, lab2, NULL, NULL, 4, HS_SIGNIF_AMS, 1, 1, 5, &e, &task,
                                     &err),
                     HS_ECANCELLED);
    assert_int_equal(e.n, 0);
    assert_null(e.p);
}

/* Raised once the sort is done: the scan over 300000 distinct scores must
 * notice it and leave the output untouched. */
static void
test_effs_cancel_mid_job(void **state)
{
    enum { N = 300000 };
    double *sc = malloc(N * sizeof *sc), *lab = malloc(N * sizeof *lab);
    uint64_t rs = 6;
    struct tu_cancel_at c = {0.8, 0};
    struct hs_task task = {tu_cancel_at_progress, &c, &c.flag};
    struct hs_effs e = {0};

    (void)state;
    assert_true(sc && lab);
    for (int i = 0; i < N; i++) {
        lab[i] = tu_unit(tu_splitmix(&rs)) < 0.5;
        sc[i] = tu_unit(tu_splitmix(&rs));
    }
    assert_int_equal(hs_effs_compute(sc, lab, NULL, NULL, N, HS_SIGNIF_ASIMOV, 10, 100, 50, &e,
                                     &task, NULL),
                     HS_ECANCELLED);
    assert_int_equal(atomic_load(&c.flag), 1);
    assert_null(e.p);
    free(sc);
    free(lab);
}

static void
test_effs_mask(void **state)
{
    struct sample s;
    struct hs_effs a, b;
    double *sc2, *lab2, *w2;
    size_t m = 0;

    (void)state;
    sample_make(&s, 600, 9);
    sc2 = malloc(s.n * sizeof *sc2);
    lab2 = malloc(s.n * sizeof *lab2);
    w2 = malloc(s.n * sizeof *w2);
    assert_true(sc2 && lab2 && w2);
    for (size_t i = 0; i < s.n; i++)
        if (s.mask[i])
            sc2[m] = s.sc[i], lab2[m] = s.lab[i], w2[m] = s.w[i], m++;
    assert_int_equal(hs_effs_compute(s.sc, s.lab, s.w, s.mask, s.n, HS_SIGNIF_ASIMOV, 5, 50, 6,
                                     &a, NULL, NULL),
                     HS_OK);
    assert_int_equal(hs_effs_compute(sc2, lab2, w2, NULL, m, HS_SIGNIF_ASIMOV, 5, 50, 6, &b,
                                     NULL, NULL),
                     HS_OK);
    for (size_t i = 0; i < 6; i++) {
        assert_true(fabs(a.p[i].thr - b.p[i].thr) < 1e-12);
        assert_true(fabs(a.p[i].sig_eff - b.p[i].sig_eff) < 1e-12);
        assert_true(fabs(a.p[i].bkg_eff - b.p[i].bkg_eff) < 1e-12);
    }
    assert_true(fabs(a.best.signif - b.best.signif) < 1e-12);
    hs_effs_release(&a);
    hs_effs_release(&b);
    free(sc2);
    free(lab2);
    free(w2);
    sample_free(&s);
}

static void
test_effs_oom(void **state)
{
    struct sample s;
    int ok = 0;

    (void)state;
    sample_make(&s, 200, 4);
    for (long k = 0; k < 12; k++) {
        struct hs_effs e = {0};
        int rc;
        hs_mem_fail_after(k);
        rc = hs_effs_compute(s.sc, s.lab, s.w, NULL, s.n, HS_SIGNIF_AMS, 10, 100, 20, &e, NULL,
                             NULL);
        hs_mem_fail_after(-1);
        assert_true(rc == HS_OK || rc == HS_ENOMEM);
        if (rc == HS_OK)
            ok++;
        else
            assert_null(e.p);
        hs_effs_release(&e);
    }
    assert_true(ok > 0);
    sample_free(&s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formulas_moderate),
        cmocka_unit_test(test_asimov_published),
        cmocka_unit_test(test_small_s_over_b),
        cmocka_unit_test(test_ams_breg),
        cmocka_unit_test(test_undefined),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_effs_by_hand),
        cmocka_unit_test(test_effs_brute_force),
        cmocka_unit_test(test_effs_errors),
        cmocka_unit_test(test_effs_cancel_mid_job),
        cmocka_unit_test(test_effs_mask),
        cmocka_unit_test(test_effs_oom),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

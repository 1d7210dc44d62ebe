/* Unit tests of the cut optimiser's calibration on the validation rows
 * (src/cutopt.c): a hand-made one-feature problem whose boxes are worked
 * out by hand below, the need t + z sqrt(t (1 - t) / n) and Kish's
 * effective number recomputed here, every figure recounted by brute
 * force, and the test rows shown to play no part in the box. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

#include "cutopt.h"
#include "mem.h"

/* ---- the hand-made problem -------------------------------------------
 *
 * One feature x.  Training signal at x = 1, 2, ..., 20; background (the
 * same events in every part) at 10.5, 11.5, ..., 25.5.  Below 10.5 there
 * is no background, so every best box is x < c with c just above the
 * last signal value kept, halfway to the next background value and
 * rounded to the shortest decimal there (between 16 and 16.5: 16.3).
 * Validation signal at 2, 4, ..., 16, 17, 19 (ten events); the test
 * signal is elsewhere on purpose (1.5, 2.5, ...) and plays no part.
 *
 * Target 0.8.  The uncalibrated box keeps 16 training events: x < 16.3,
 * validation efficiency 8/10.  sigma = sqrt(0.8 * 0.2 / 10) = 0.126491.
 *   margin 0:   need 0.8: met at once; box x < 16.3, training target 0.8.
 *   margin 0.5: need 0.863246; short by 0.063246 (more than one event's
 *               share, 1/20), so the training target becomes 0.863246:
 *               18 events (17.26 rounded up), x < 18.3, validation 9/10:
 *               met.
 *   margin 1.5: need 0.989737; short by 0.189737: training target
 *               0.989737, 20 events, x < 20.3, validation 10/10: met.
 *   margin 3:   need 1.18 > 1, capped at 1: the same box as 1.5. */

struct hand {
    double x[128], label[128], weight[128];
    unsigned char train[128], val[128], test[128];
    size_t n;
};

static void
hand_add(struct hand *h, double x, int sig, int part, double w)
{
    assert_true(h->n < sizeof h->x / sizeof h->x[0]);
    h->x[h->n] = x;
    h->label[h->n] = sig;
    h->weight[h->n] = w;
    h->train[h->n] = part == 0;
    h->val[h->n] = part == 1;
    h->test[h->n] = part == 2;
    h->n++;
}

static void
hand_make(struct hand *h)
{
    static const double vsig[] = {2, 4, 6, 8, 10, 12, 14, 16, 17, 19};

    memset(h, 0, sizeof *h);
    for (int i = 1; i <= 20; i++)
        hand_add(h, i, 1, 0, 1);
    for (size_t i = 0; i < 10; i++)
        hand_add(h, vsig[i], 1, 1, 1);
    for (int i = 1; i <= 10; i++)
        hand_add(h, i + 0.5, 1, 2, 1);
    for (int p = 0; p < 3; p++)
        for (int i = 0; i < 16; i++)
            hand_add(h, 10.5 + i, 0, p, 1);
}

static void
hand_config(struct hs_cutopt_config *c, const struct hand *h, const double *x, const double *target,
            double margin)
{
    static const char *names[] = {"x"};
    static const double *col[1];

    col[0] = x;
    memset(c, 0, sizeof *c);
    c->nfeat = 1;
    c->vals = col;
    c->names = names;
    c->label = h->label;
    c->train = h->train;
    c->val = h->val;
    c->test = h->test;
    c->n = h->n;
    c->targets = target;
    c->ntargets = 1;
    c->seed = 3;
    c->margin = margin;
}

/* Optimise the hand-made problem (values x) for target 0.8. */
static int
hand_run(const struct hand *h, const double *x, double margin, struct hs_cutopt_result *r)
{
    static const double target = 0.8;
    struct hs_cutopt_config c;
    struct hs_err err;

    hand_config(&c, h, x, &target, margin);
    return hs_cutopt_run(&c, r, NULL, &err);
}

static void
test_hand_made(void **state)
{
    static const struct {
        double margin, hi, train_target, val_eff;
    } want[] = {
        {0, 16.3, 0.8, 0.8},
        {0.5, 18.3, 0.8 + 0.5 * 0.12649110640673517, 0.9},
        {1.5, 20.3, 0.8 + 1.5 * 0.12649110640673517, 1.0},
        {3, 20.3, 1.0, 1.0}, /* the need capped at 1 */
    };
    struct hand h;
    struct hs_cutopt_result r;

    (void)state;
    hand_make(&h);
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        assert_int_equal(hand_run(&h, h.x, want[k].margin, &r), HS_OK);
        const struct hs_cutopt_point *p = &r.p[0];
        print_message("# margin %g: x in [%g, %g), training target %.6f, validation %g\n",
                      want[k].margin, p->lo[0], p->hi[0], p->train_target, p->val_sig_eff);
        assert_true(isinf(p->lo[0]) && p->lo[0] < 0);
        assert_true(tu_same_bits(p->hi[0], want[k].hi));
        assert_true(fabs(p->train_target - want[k].train_target) < 1e-12);
        assert_true(fabs(p->val_sig_eff - want[k].val_eff) < 1e-12);
        assert_true(p->calibrated && p->val_met);
        assert_true(fabs(p->val_neff - 10) < 1e-12);
        assert_true(fabs(p->val_sigma - 0.12649110640673517) < 1e-12);
        assert_true(fabs(p->val_need - fmin(1, 0.8 + want[k].margin * 0.12649110640673517)) <
                    1e-12);
        assert_true(fabs(p->target - 0.8) < 1e-15);
        hs_cutopt_release(&r);
    }
}

/* The test rows never choose the box: moving every test value changes
 * the test figures only. */
static void
test_test_rows_unused(void **state)
{
    struct hand h;
    struct hs_cutopt_result r1, r2;
    double moved[128];

    (void)state;
    hand_make(&h);
    memcpy(moved, h.x, sizeof moved);
    for (size_t i = 0; i < h.n; i++)
        if (h.test[i])
            moved[i] = h.label[i] == 1 ? 100 + (double)i : -5;
    assert_int_equal(hand_run(&h, h.x, 1.5, &r1), HS_OK);
    assert_int_equal(hand_run(&h, moved, 1.5, &r2), HS_OK);
    assert_true(tu_same_bits(r1.p[0].lo[0], r2.p[0].lo[0]));
    assert_true(tu_same_bits(r1.p[0].hi[0], r2.p[0].hi[0]));
    assert_true(tu_same_bits(r1.p[0].train_target, r2.p[0].train_target));
    /* Test signal at 1.5 .. 10.5 all pass x < 20.3; moved, none does. */
    assert_true(fabs(r1.p[0].test_sig_eff - 1) < 1e-12 && r1.p[0].test_met);
    assert_true(r2.p[0].test_sig_eff == 0 && !r2.p[0].test_met);
    hs_cutopt_release(&r1);
    hs_cutopt_release(&r2);
}

/* A validation event the training signal cannot reach: the loosest box
 * (every training signal event) and val_met false, not an error. */
static void
test_out_of_reach(void **state)
{
    struct hand h;
    struct hs_cutopt_result r;

    (void)state;
    hand_make(&h);
    for (size_t i = 0; i < h.n; i++)
        if (h.val[i] && h.label[i] == 1 && h.x[i] <= 4)
            h.x[i] = 40; /* two of ten above every training signal event */
    assert_int_equal(hand_run(&h, h.x, 1.5, &r), HS_OK);
    assert_true(r.p[0].calibrated && !r.p[0].val_met);
    assert_true(fabs(r.p[0].train_target - 1) < 1e-15);
    assert_true(tu_same_bits(r.p[0].hi[0], 20.3));
    assert_true(fabs(r.p[0].val_sig_eff - 0.8) < 1e-12);
    hs_cutopt_release(&r);
}

/* No validation rows, or none with signal: no calibration, NaN figures. */
static void
test_no_validation(void **state)
{
    const double target = 0.8;
    struct hand h;
    struct hs_cutopt_config c;
    struct hs_cutopt_result r;
    struct hs_err err;

    (void)state;
    hand_make(&h);
    hand_config(&c, &h, h.x, &target, 1.5);
    c.val = NULL;
    assert_int_equal(hs_cutopt_run(&c, &r, NULL, &err), HS_OK);
    assert_false(r.p[0].calibrated);
    assert_true(isnan(r.p[0].val_need) && isnan(r.p[0].val_sig_eff));
    assert_true(tu_same_bits(r.p[0].hi[0], 16.3));
    hs_cutopt_release(&r);
    for (size_t i = 0; i < h.n; i++)
        if (h.val[i] && h.label[i] == 1)
            h.val[i] = 0;
    hand_config(&c, &h, h.x, &target, 1.5);
    assert_int_equal(hs_cutopt_run(&c, &r, NULL, &err), HS_OK);
    assert_false(r.p[0].calibrated || r.p[0].val_met);
    assert_true(tu_same_bits(r.p[0].hi[0], 16.3));
    hs_cutopt_release(&r);
    /* A negative margin is a usage error. */
    hand_config(&c, &h, h.x, &target, -1);
    assert_int_equal(hs_cutopt_run(&c, &r, NULL, &err), HS_EUSAGE);
    assert_true(strstr(err.msg, "margin") != NULL);
}

/* ---- a larger weighted problem ------------------------------------- */

/* Two features; signal Gaussian, background broad; parts by i % 4
 * (0, 1 train, 2 validation, 3 test); weights in [0.5, 1.5). */
static void
test_weighted_random(void **state)
{
    enum { N = 40000 };
    static const double targets[] = {0.95, 0.7};
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    double *label = malloc(N * sizeof *label), *w = malloc(N * sizeof *w);
    unsigned char *tr = malloc(N), *va = malloc(N), *te = malloc(N);
    const double *cols[2] = {x, y};
    static const char *names[] = {"x", "y"};
    uint64_t s = 99;
    double sw = 0, sw2 = 0;
    struct hs_cutopt_config c = {0};
    struct hs_cutopt_result r;
    struct hs_err err;

    (void)state;
    for (size_t i = 0; i < N; i++) {
        int sig = i % 5 == 0;
        double a = tu_box_muller(tu_unit(tu_xorshift(&s)), tu_unit(tu_xorshift(&s)));
        double b = tu_box_muller(tu_unit(tu_xorshift(&s)), tu_unit(tu_xorshift(&s)));
        x[i] = sig ? a : 3 * a + 1;
        y[i] = sig ? b + 0.5 : 2 * b;
        label[i] = sig;
        w[i] = 0.5 + tu_unit(tu_xorshift(&s));
        tr[i] = i % 4 < 2, va[i] = i % 4 == 2, te[i] = i % 4 == 3;
        if (va[i] && sig)
            sw += w[i], sw2 += w[i] * w[i];
    }
    c.nfeat = 2, c.vals = cols, c.names = names, c.label = label, c.weight = w;
    c.train = tr, c.val = va, c.test = te, c.n = N;
    c.targets = targets, c.ntargets = 2, c.seed = 1, c.margin = 1.5;
    assert_int_equal(hs_cutopt_run(&c, &r, NULL, &err), HS_OK);
    for (size_t t = 0; t < 2; t++) {
        const struct hs_cutopt_point *p = &r.p[t];
        double neff = sw * sw / sw2, need = targets[t] + 1.5 * sqrt(targets[t] * (1 - targets[t]) / neff);
        double fig[3][2] = {{0}}, tot[3][2] = {{0}};
        for (size_t i = 0; i < N; i++) {
            int part = tr[i] ? 0 : va[i] ? 1 : 2;
            bool pass = x[i] >= p->lo[0] && x[i] < p->hi[0] && y[i] >= p->lo[1] && y[i] < p->hi[1];
            tot[part][label[i] == 1 ? 0 : 1] += w[i];
            if (pass)
                fig[part][label[i] == 1 ? 0 : 1] += w[i];
        }
        print_message("# target %g: need %.5f (n_eff %.1f), train target %.5f, "
                      "validation %.5f, test %.5f\n",
                      targets[t], need, neff, p->train_target, fig[1][0] / tot[1][0],
                      fig[2][0] / tot[2][0]);
        assert_true(fabs(p->val_neff - neff) < 1e-9 * neff);
        assert_true(neff < 2000 && neff > 1800); /* fewer than the 2000 events */
        assert_true(fabs(p->val_need - need) < 1e-12);
        assert_true(p->val_met);
        assert_true(fig[1][0] / tot[1][0] >= need * (1 - 1e-12));
        assert_true(fabs(p->val_sig_eff - fig[1][0] / tot[1][0]) < 1e-12);
        assert_true(fabs(p->val_bkg_eff - fig[1][1] / tot[1][1]) < 1e-12);
        assert_true(fabs(p->train_sig_eff - fig[0][0] / tot[0][0]) < 1e-12);
        assert_true(fabs(p->test_sig_eff - fig[2][0] / tot[2][0]) < 1e-12);
        assert_true(p->train_target >= targets[t]);
        assert_true(p->train_sig_eff >= p->train_target * (1 - 1e-12));
        assert_true(p->test_met == (fig[2][0] / tot[2][0] >= targets[t] * (1 - 1e-12)));
    }
    hs_cutopt_release(&r);
    free(x), free(y), free(label), free(w), free(tr), free(va), free(te);
}

/* Every allocation failing in turn, the calibration included: HS_ENOMEM
 * and nothing returned, then the hand-made answer. */
static void
test_out_of_memory(void **state)
{
    struct hand h;
    struct hs_cutopt_result r = {0};
    int rc = HS_ENOMEM;

    (void)state;
    hand_make(&h);
    for (long n = 0; rc == HS_ENOMEM && n < 2000; n++) {
        hs_mem_fail_after(n);
        rc = hand_run(&h, h.x, 0.5, &r);
        hs_mem_fail_after(-1);
        if (rc == HS_ENOMEM)
            assert_null(r.p);
    }
    assert_int_equal(rc, HS_OK);
    assert_true(tu_same_bits(r.p[0].hi[0], 18.3));
    hs_cutopt_release(&r);
}

static void
test_meets(void **state)
{
    (void)state;
    assert_true(hs_cutopt_meets(0.95, 0.95));
    assert_true(hs_cutopt_meets(0.95 * (1 - 1e-13), 0.95));
    assert_false(hs_cutopt_meets(0.9499, 0.95));
    assert_false(hs_cutopt_meets(NAN, 0.95));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_made),      cmocka_unit_test(test_test_rows_unused),
        cmocka_unit_test(test_out_of_reach),   cmocka_unit_test(test_no_validation),
        cmocka_unit_test(test_weighted_random), cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_meets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

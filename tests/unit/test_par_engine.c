/* test_par_engine.c: the numbers of the parallel paths depend on the
 * logical thread count alone.  An MLP training, a weighted histogram and
 * an expression give the same bits whether their parts run on one OS
 * thread, on two, on the caller alone (the executor's fallback), or on two
 * while another process keeps a CPU busy.  The references are the runs on
 * one OS thread, which involve no concurrency at all. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "expr.h"
#include "hist.h"
#include "mlp.h"
#include "par.h"
#include "test_how.h"
#include "test_util.h"

#define N 20000

static void
make_data(double *x0, double *x1, double *y, double *w)
{
    uint64_t s = 42;
    for (size_t i = 0; i < N; i++) {
        y[i] = (double)(tu_splitmix(&s) % 3 == 0);
        double u = (double)(tu_splitmix(&s) >> 11) * 0x1.0p-53;
        double v = (double)(tu_splitmix(&s) >> 11) * 0x1.0p-53;
        x0[i] = u * 4 - 2 + y[i];
        x1[i] = v * 3 - 1.5 - 0.5 * y[i];
        w[i] = 0.5 + u * v;
    }
}

/* Two slices per batch, dropout on: each slice has its own stream, so
 * any mix-up of slices and threads would show. */
static void
test_mlp_training(void **state)
{
    double *x0 = malloc(N * sizeof *x0), *x1 = malloc(N * sizeof *x1), *y = malloc(N * sizeof *y),
           *w = malloc(N * sizeof *w);
    const double *x[2] = {x0, x1};
    unsigned char *part = malloc(N);
    double *ref = NULL, *score = malloc(N * sizeof *score), *sref = malloc(N * sizeof *sref);
    size_t np = 0;
    (void)state;

    make_data(x0, x1, y, w);
    for (size_t i = 0; i < N; i++)
        part[i] = i % 5 == 0;
    hs_par_set_threads(2);
    for (int h = 0; h < HOW_COUNT; h++) {
        struct hs_mlp_config c;
        struct hs_mlp_result r;
        hs_mlp_config_default(&c);
        c.nhidden = 2;
        c.width[0] = 16;
        c.width[1] = 8;
        c.dropout[0] = c.dropout[1] = 0.2;
        c.epochs = 3;
        c.patience = 0;
        c.batch = 128;
        c.threads = 0; /* the logical count: 2 */
        c.seed = 7;
        how_begin((enum how)h);
        assert_int_equal(hs_mlp_train(&c, x, 2, y, w, part, N, &r, NULL, NULL), HS_OK);
        assert_int_equal(hs_mlp_score(r.model, x, N, score, NULL, NULL), HS_OK);
        how_end((enum how)h);
        if (h == ONE_THREAD) {
            np = r.model->nparams;
            ref = malloc(np * sizeof *ref);
            memcpy(ref, r.model->params, np * sizeof *ref);
            memcpy(sref, score, N * sizeof *sref);
            assert_true(r.curve[2].val_loss < r.curve[0].val_loss * 1.5);
        } else {
            assert_int_equal(r.model->nparams, np);
            for (size_t i = 0; i < np; i++)
                assert_true(tu_same_bits(r.model->params[i], ref[i]));
            for (size_t i = 0; i < N; i++)
                assert_true(tu_same_bits(score[i], sref[i]));
        }
        hs_mlp_result_release(&r);
    }
    hs_par_set_threads(0);
    free(ref);
    free(score);
    free(sref);
    free(part);
    free(x0);
    free(x1);
    free(y);
    free(w);
}

/* A weighted fill large enough for many blocks: the sums are compared bit
 * for bit, and the counts against a count made here. */
static void
test_hist(void **state)
{
    const size_t n = 3000000;
    double *v = malloc(n * sizeof *v), *wt = malloc(n * sizeof *wt);
    struct hs_hist ref, h;
    uint64_t s = 9;
    size_t direct[40] = {0};
    (void)state;

    for (size_t i = 0; i < n; i++) {
        v[i] = ((double)(tu_splitmix(&s) >> 11) * 0x1.0p-53) * 4.4 - 2.2;
        wt[i] = 0.1 + ((double)(tu_splitmix(&s) >> 11) * 0x1.0p-53);
        if (v[i] >= -2 && v[i] < 2)
            direct[(size_t)((v[i] + 2) * 10)]++;
    }
    hs_par_set_threads(2);
    assert_int_equal(hs_hist_init(&ref, 40, -2, 2, NULL), HS_OK);
    for (int k = 0; k < HOW_COUNT; k++) {
        struct hs_hist *t = k == ONE_THREAD ? &ref : &h;
        if (k != ONE_THREAD)
            assert_int_equal(hs_hist_init(&h, 40, -2, 2, NULL), HS_OK);
        how_begin((enum how)k);
        assert_int_equal(hs_hist_fill(t, v, wt, NULL, NAN, n, NULL, NULL), HS_OK);
        how_end((enum how)k);
        if (k == ONE_THREAD)
            continue;
        for (size_t b = 0; b < 40; b++) {
            assert_true(tu_same_bits(h.sumw[b], ref.sumw[b]));
            assert_true(tu_same_bits(h.sumw2[b], ref.sumw2[b]));
        }
        assert_true(tu_same_bits(h.under, ref.under) && tu_same_bits(h.over, ref.over));
        hs_hist_release(&h);
    }
    /* unweighted, against the direct count (bin edges at multiples of
     * 0.1 may round either way: allow a value or two at an edge) */
    assert_int_equal(hs_hist_init(&h, 40, -2, 2, NULL), HS_OK);
    how_begin(TWO_BUSY);
    assert_int_equal(hs_hist_fill(&h, v, NULL, NULL, NAN, n, NULL, NULL), HS_OK);
    how_end(TWO_BUSY);
    for (size_t b = 0; b < 40; b++)
        assert_true(fabs(h.sumw[b] - (double)direct[b]) <= 2);
    hs_hist_release(&h);
    hs_hist_release(&ref);
    hs_par_set_threads(0);
    free(v);
    free(wt);
}

/* An expression over many blocks with missing values and domain errors:
 * every value and both counts, however the blocks ran. */
static void
test_expr(void **state)
{
    const size_t n = 500000;
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    double *ref = malloc(n * sizeof *ref), *out = malloc(n * sizeof *out);
    const char *names[] = {"a", "b"};
    struct hs_expr_columns cols = {.n = 2, .names = names};
    const double *cv[2] = {a, b};
    struct hs_expr *e;
    struct hs_expr_stats rs, st;
    uint64_t s = 5;
    (void)state;

    for (size_t i = 0; i < n; i++) {
        a[i] = ((double)(tu_splitmix(&s) >> 11) * 0x1.0p-53) * 10 - 5;
        b[i] = i % 97 == 0 ? NAN : ((double)(tu_splitmix(&s) >> 11) * 0x1.0p-53) * 3;
    }
    assert_int_equal(hs_expr_compile("sqrt(a) * log(b + 1) + a / (b - 1)", &cols, &e, NULL), HS_OK);
    hs_par_set_threads(2);
    for (int k = 0; k < HOW_COUNT; k++) {
        how_begin((enum how)k);
        assert_int_equal(hs_expr_eval(e, cv, n, k == ONE_THREAD ? ref : out,
                                      k == ONE_THREAD ? &rs : &st, NULL, NULL),
                         HS_OK);
        how_end((enum how)k);
        if (k == ONE_THREAD) {
            /* the reference against the formula computed here */
            for (size_t i = 0; i < n; i += 101) {
                double want = sqrt(a[i]) * log(b[i] + 1) + a[i] / (b[i] - 1);
                assert_true(isnan(want) ? isnan(ref[i]) : fabs(ref[i] - want) <= 1e-12 * fabs(want));
            }
            assert_true(rs.nnan > n / 3);
            continue;
        }
        for (size_t i = 0; i < n; i++)
            assert_true(tu_same_bits(out[i], ref[i]));
        assert_int_equal(st.nnan, rs.nnan);
        assert_int_equal(st.ndomain, rs.ndomain);
    }
    hs_par_set_threads(0);
    hs_expr_free(e);
    free(a);
    free(b);
    free(ref);
    free(out);
}

int
main(void)
{
    /* The helpers run whatever the machine's load (on a busy machine the
     * executor would keep every round on the caller). */
    hs_par_set_gate(false);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mlp_training),
        cmocka_unit_test(test_hist),
        cmocka_unit_test(test_expr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

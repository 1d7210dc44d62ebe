/* test_gram.c: the weighted Gram matrix of src/gram.c against sums written
 * here in long double, for shapes that cut it into chunks of rows, bands
 * of the matrix, both, or neither; and the numbers of Fisher's fit and of
 * the correlation matrix, bit for bit the same for a given --threads
 * whether their parts run on one OS thread, on two, on the caller alone
 * (the executor's fallback) or on two beside a busy process. */
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

#include "featstats.h"
#include "fisher.h"
#include "gram.h"
#include "method.h"
#include "model.h"
#include "par.h"
#include "test_how.h"
#include "test_util.h"

static double
unit(uint64_t *s)
{
    return tu_unit(tu_splitmix(s));
}

/* Columns with some correlation between them, and weights of both signs. */
struct data {
    size_t n, p;
    double **col;
    double *w;
};

static struct data *
data_new(size_t n, size_t p, uint64_t seed, bool negative)
{
    struct data *d = calloc(1, sizeof *d);
    uint64_t s = seed;

    d->n = n;
    d->p = p;
    d->col = calloc(p, sizeof *d->col);
    d->w = malloc(n * sizeof *d->w);
    for (size_t j = 0; j < p; j++)
        d->col[j] = malloc(n * sizeof **d->col);
    for (size_t i = 0; i < n; i++) {
        double common = unit(&s) - 0.5;
        d->w[i] = 0.2 + unit(&s) - (negative && i % 7 == 3 ? 0.9 : 0);
        for (size_t j = 0; j < p; j++)
            d->col[j][i] = (unit(&s) - 0.5) + common * (double)(j % 3) + (double)j;
    }
    return d;
}

static void
data_free(struct data *d)
{
    for (size_t j = 0; j < d->p; j++)
        free(d->col[j]);
    free(d->col);
    free(d->w);
    free(d);
}

/* The gram's fill: row r's column j is its value less j (its own centre),
 * its weight as drawn. */
static void
data_fill(void *ctx, size_t r0, size_t len, size_t c0, double *z, double *w)
{
    const struct data *d = ctx;

    for (size_t r = 0; r < len; r++) {
        w[r] = d->w[r0 + r];
        for (size_t j = c0; j < d->p; j++)
            z[(j - c0) * len + r] = d->col[j][r0 + r] - (double)j;
    }
}

/* G against the sums over rows in long double: chunks only (many rows,
 * few columns), bands only (few rows, many columns), one part (one
 * thread), and odd counts that leave uneven chunks and bands. */
static void
test_gram_sums(void **state)
{
    const size_t shapes[][3] = {{70000, 5, 2},  {70000, 5, 1}, {300, 150, 2}, {40000, 90, 3},
                                {17, 1, 2},     {0, 3, 2},     {9000, 2, 7}};
    (void)state;

    for (size_t t = 0; t < sizeof shapes / sizeof *shapes; t++) {
        size_t n = shapes[t][0], p = shapes[t][1];
        struct data *d = data_new(n, p, 11 + t, true);
        struct hs_gram g = {p, n, data_fill, d, "test", (int)shapes[t][2]};
        double *out = malloc(p * p * sizeof *out);
        long double *ref = calloc(p * p, sizeof *ref);
        struct hs_err err;

        for (size_t i = 0; i < n; i++)
            for (size_t a = 0; a < p; a++)
                for (size_t b = 0; b < p; b++)
                    ref[a * p + b] += (long double)d->w[i] * (d->col[a][i] - (double)a) *
                                      (d->col[b][i] - (double)b);
        assert_int_equal(hs_gram_compute(&g, out, NULL, &err), HS_OK);
        for (size_t k = 0; k < p * p; k++) {
            double scale = sqrtl(fabsl(ref[(k / p) * p + k / p] * ref[(k % p) * p + k % p]));
            assert_true(fabs(out[k] - (double)ref[k]) <= 1e-12 * (scale + 1));
        }
        for (size_t a = 0; a < p; a++)
            for (size_t b = 0; b < a; b++)
                assert_true(tu_same_bits(out[a * p + b], out[b * p + a]));
        free(out);
        free(ref);
        data_free(d);
    }
}

/* Cancelled before and while it runs: HS_ECANCELLED, quickly. */
static void
test_gram_cancel(void **state)
{
    struct data *d = data_new(200000, 40, 3, false);
    struct hs_gram g = {40, 200000, data_fill, d, "test", 2};
    double *out = malloc(40 * 40 * sizeof *out);
    atomic_int raised = 1;
    struct hs_task before = {NULL, NULL, &raised};
    struct tu_cancel_at at = {0.3, 0};
    struct hs_task during = {tu_cancel_at_progress, &at, &at.flag};
    struct hs_err err;
    (void)state;

    assert_int_equal(hs_gram_compute(&g, out, &before, &err), HS_ECANCELLED);
    assert_int_equal(hs_gram_compute(&g, out, &during, &err), HS_ECANCELLED);
    free(out);
    data_free(d);
}

/* Fisher's fit on many rows (chunks) and inputs: w, b, the means, and
 * the scores of every event. */
static void
test_fisher_threads(void **state)
{
    const size_t n = 60000, p = 12;
    struct data *d = data_new(n, p, 5, false);
    double *label = malloc(n * sizeof *label);
    unsigned char *part = malloc(n);
    double ref[3 * 12 + 1], *sref = malloc(n * sizeof *sref), *score = malloc(n * sizeof *score);
    uint64_t s = 77;
    (void)state;

    for (size_t i = 0; i < n; i++) {
        label[i] = (double)(tu_splitmix(&s) % 3 == 0);
        part[i] = i % 4 == 0;
        for (size_t j = 0; j < p; j++)
            d->col[j][i] += label[i] * 0.1 * (double)(j + 1);
        if (i % 97 == 5)
            d->col[i % p][i] = NAN;
    }
    for (int threads = 2; threads <= 3; threads++) {
        hs_par_set_threads(threads);
        for (int h = 0; h < HOW_COUNT; h++) {
            struct hs_method_data md = {n, p, (const double *const *)d->col, NULL, label, d->w,
                                        part, 0};
            const struct hs_method *m = &hs_method_fisher;
            struct hs_params prm;
            struct hs_method_status st;
            struct hs_model *model = NULL;
            struct hs_err err;
            void *fs = NULL;
            const struct hs_fisher *f;

            assert_int_equal(hs_params_init(&prm, m->params, &err), HS_OK);
            assert_int_equal(m->alloc(&prm, &md, &fs, &err), HS_OK);
            how_begin((enum how)h);
            assert_int_equal(m->step(fs, &st, NULL, &err), HS_OK);
            assert_int_equal(m->model(fs, &model, &err), HS_OK);
            f = model->impl;
            assert_int_equal(hs_fisher_score(f, md.x, n, h == ONE_THREAD ? sref : score, NULL,
                                             &err),
                             HS_OK);
            how_end((enum how)h);
            for (size_t i = 0; i < n && h != ONE_THREAD; i++)
                assert_true(tu_same_bits(score[i], sref[i]));
            for (size_t j = 0; j < p; j++) {
                if (h == ONE_THREAD) {
                    ref[j] = f->w[j];
                    ref[p + j] = f->mean[j];
                    ref[2 * p + j] = f->sd[j];
                } else {
                    assert_true(tu_same_bits(f->w[j], ref[j]));
                    assert_true(tu_same_bits(f->mean[j], ref[p + j]));
                    assert_true(tu_same_bits(f->sd[j], ref[2 * p + j]));
                }
            }
            if (h == ONE_THREAD)
                ref[3 * p] = f->b;
            else
                assert_true(tu_same_bits(f->b, ref[3 * p]));
            hs_model_free(model);
            m->free(fs);
            hs_params_release(&prm);
        }
    }
    hs_par_set_threads(0);
    free(sref);
    free(score);
    free(label);
    free(part);
    data_free(d);
}

/* The correlation matrix, tall (chunks) and wide (bands), with a missing
 * value and a constant column (pairs one at a time), per class. */
static void
test_corr_threads(void **state)
{
    const size_t shapes[][2] = {{50000, 6}, {400, 120}};
    (void)state;

    for (size_t t = 0; t < 2; t++) {
        size_t n = shapes[t][0], k = shapes[t][1];
        struct data *d = data_new(n, k, 9 + t, false);
        double *label = malloc(n * sizeof *label), *ref = malloc(k * k * sizeof *ref),
               *r = malloc(k * k * sizeof *r);
        uint64_t s = 3;

        for (size_t i = 0; i < n; i++) {
            label[i] = (double)(tu_splitmix(&s) % 2);
            d->col[k - 1][i] = 4.0;
        }
        d->col[1][n / 2] = NAN;
        hs_par_set_threads(2);
        for (int h = 0; h < HOW_COUNT; h++) {
            double *o = h == ONE_THREAD ? ref : r;
            how_begin((enum how)h);
            assert_int_equal(hs_correlation((const double *const *)d->col, k, label, d->w, n,
                                            HS_CLASS_SIGNAL, o, NULL, NULL),
                             HS_OK);
            how_end((enum how)h);
            if (h == ONE_THREAD)
                continue;
            for (size_t i = 0; i < k * k; i++)
                assert_true(tu_same_bits(r[i], ref[i]));
        }
        hs_par_set_threads(0);
        /* sanity: a diagonal of ones, the constant column NaN, r in [-1, 1] */
        for (size_t a = 0; a < k; a++) {
            assert_true(ref[a * k + a] == 1.0);
            if (a + 1 < k)
                assert_true(isnan(ref[a * k + k - 1]));
            for (size_t b = 0; b + 1 < k; b++)
                assert_true(fabs(ref[a * k + b]) <= 1 || a == k - 1);
        }
        free(label);
        free(ref);
        free(r);
        data_free(d);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gram_sums),
        cmocka_unit_test(test_gram_cancel),
        cmocka_unit_test(test_fisher_threads),
        cmocka_unit_test(test_corr_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

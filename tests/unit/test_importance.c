/* Unit tests of permutation and gain importance (src/importance.c): a
 * linear model of the test's own records every call, so that each
 * shuffled column is checked to be a permutation of the input's values
 * with the other inputs untouched, and each drop equals the base AUC less
 * the AUC of the shuffled scores computed here by the weighted pair count
 * (Mann-Whitney); an input the model ignores drops nothing; the same bits
 * on one thread and two; the gain sums of a hand-made forest; ranking. */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

#include "forest.h"
#include "importance.h"
#include "model.h"
#include "par.h"

#define NIN 3
#define N 300
#define MAXCALLS 64

static const double coef[NIN] = {2, -1, 0}; /* input 2 is ignored */
static double rec[MAXCALLS][NIN][N];
static size_t ncalls;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int
lin_score(const void *impl, const double *const *x, size_t n, double *out,
          const struct hs_task *task, struct hs_err *err)
{
    (void)impl;
    (void)task;
    (void)err;
    pthread_mutex_lock(&lock);
    if (ncalls < MAXCALLS && n == N) {
        for (size_t i = 0; i < NIN; i++)
            memcpy(rec[ncalls][i], x[i], n * sizeof **x);
        ncalls++;
    }
    pthread_mutex_unlock(&lock);
    for (size_t e = 0; e < n; e++) {
        out[e] = 0;
        for (size_t i = 0; i < NIN; i++)
            out[e] += coef[i] * x[i][e];
    }
    return HS_OK;
}

static void
lin_free(void *impl)
{
    (void)impl;
}

static const struct hs_model_kind lin_kind = {.name = "lin", .score = lin_score,
                                              .free = lin_free};

/* The weighted probability that a signal event outscores a background
 * one, ties half. */
static double
pair_auc(const double *s, const double *label, const double *w, size_t n)
{
    long double num = 0, ws = 0, wb = 0;
    for (size_t a = 0; a < n; a++) {
        if (label[a] != 1)
            continue;
        ws += w[a];
        for (size_t b = 0; b < n; b++)
            if (label[b] == 0)
                num += (long double)w[a] * w[b] * (s[a] > s[b] ? 1 : s[a] == s[b] ? 0.5 : 0);
    }
    for (size_t b = 0; b < n; b++)
        if (label[b] == 0)
            wb += w[b];
    return (double)(num / (ws * wb));
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void
test_perm_definition(void **state)
{
    (void)state;
    struct hs_err err = {0};
    struct hs_model *m = NULL;
    assert_int_equal(hs_model_new(&lin_kind, (void *)1, NIN, &m, &err), HS_OK);
    /* 2N events, the test uses the odd ones through rows */
    static double x[NIN][2 * N], label[2 * N], w[2 * N];
    uint64_t s = 42;
    for (size_t e = 0; e < 2 * N; e++) {
        label[e] = e % 3 == 0;
        w[e] = 0.5 + tu_unit(tu_splitmix(&s));
        for (size_t i = 0; i < NIN; i++)
            x[i][e] = tu_box_muller(tu_unit(tu_splitmix(&s)), tu_unit(tu_splitmix(&s))) +
                      (label[e] ? 0.7 : 0);
    }
    size_t rows[N];
    double lab[N], wt[N];
    for (size_t k = 0; k < N; k++) {
        rows[k] = 2 * k + 1;
        lab[k] = label[rows[k]];
        wt[k] = w[rows[k]];
    }
    const double *cols[NIN] = {x[0], x[1], x[2]};
    size_t repeats = 4;
    double drop[NIN * 4], base;
    ncalls = 0;
    assert_int_equal(hs_perm_importance(m, cols, rows, N, label, w, repeats, 7, 1, &base, drop,
                                        NULL, &err),
                     HS_OK);
    assert_int_equal(ncalls, 1 + NIN * repeats);
    double score[N], orig[NIN][N];
    for (size_t i = 0; i < NIN; i++)
        for (size_t k = 0; k < N; k++)
            orig[i][k] = x[i][rows[k]];
    for (size_t c = 0; c < ncalls; c++) {
        for (size_t e = 0; e < N; e++) {
            score[e] = 0;
            for (size_t i = 0; i < NIN; i++)
                score[e] += coef[i] * rec[c][i][e];
        }
        double auc = pair_auc(score, lab, wt, N);
        if (c == 0) {
            assert_memory_equal(rec[0], orig, sizeof orig);
            assert_true(fabs(auc - base) < 1e-12);
            continue;
        }
        size_t part = c - 1, in = part / repeats;
        for (size_t i = 0; i < NIN; i++) {
            if (i != in) {
                assert_memory_equal(rec[c][i], orig[i], sizeof orig[i]);
                continue;
            }
            double a[N], b[N];
            memcpy(a, rec[c][i], sizeof a);
            memcpy(b, orig[i], sizeof b);
            assert_true(memcmp(a, b, sizeof a) != 0); /* shuffled */
            qsort(a, N, sizeof *a, cmp_double);
            qsort(b, N, sizeof *b, cmp_double);
            assert_memory_equal(a, b, sizeof a); /* the same values */
        }
        assert_true(fabs(drop[part] - (base - auc)) < 1e-12);
    }
    /* each repeat shuffles differently */
    assert_true(memcmp(rec[1][0], rec[2][0], sizeof rec[1][0]) != 0);
    for (size_t r = 0; r < repeats; r++)
        assert_true(drop[2 * repeats + r] == 0);
    assert_true(drop[0] > 0.1);
    double mean[NIN], sd[NIN];
    hs_perm_summary(drop, NIN, repeats, mean, sd);
    double mu = (drop[0] + drop[1] + drop[2] + drop[3]) / 4, ss = 0;
    for (int r = 0; r < 4; r++)
        ss += (drop[r] - mu) * (drop[r] - mu);
    assert_true(fabs(mean[0] - mu) < 1e-15 && fabs(sd[0] - sqrt(ss / 4)) < 1e-15);
    assert_true(mean[2] == 0 && sd[2] == 0);

    /* the same drops on two threads */
    double drop2[NIN * 4], base2;
    bool gate = hs_par_set_gate(false);
    assert_int_equal(hs_perm_importance(m, cols, rows, N, label, w, repeats, 7, 2, &base2, drop2,
                                        NULL, &err),
                     HS_OK);
    hs_par_set_gate(gate);
    assert_memory_equal(drop, drop2, sizeof drop);
    /* another seed, other shuffles */
    assert_int_equal(hs_perm_importance(m, cols, rows, N, label, w, repeats, 8, 1, &base2, drop2,
                                        NULL, &err),
                     HS_OK);
    assert_true(memcmp(drop, drop2, sizeof drop) != 0);
    /* cancel */
    atomic_int stop = 1;
    struct hs_task task = {.cancel = &stop};
    assert_int_not_equal(hs_perm_importance(m, cols, rows, N, label, w, repeats, 7, 1, &base2,
                                            drop2, &task, &err),
                         HS_OK);
    assert_int_equal(hs_perm_importance(m, cols, rows, N, label, w, 0, 7, 1, &base2, drop2, NULL,
                                        &err),
                     HS_EUSAGE);
    hs_model_free(m);
}

static void
test_gain_rank(void **state)
{
    (void)state;
    struct hs_err err = {0};
    const struct hs_forest_node t1[] = {
        {.feature = 1, .left = 1, .right = 2, .threshold = 0, .cover = 3, .gain = 5},
        {.feature = 0, .left = 3, .right = 4, .threshold = 0, .cover = 2, .gain = 1.5},
        {.feature = -1, .value = 1, .cover = 1},
        {.feature = -1, .value = 2, .cover = 1},
        {.feature = -1, .value = 3, .cover = 1},
    };
    const struct hs_forest_node t2[] = {
        {.feature = 0, .left = 1, .right = 2, .threshold = 0, .cover = 2, .gain = 0.25},
        {.feature = -1, .value = 1, .cover = 1},
        {.feature = -1, .value = 2, .cover = 1},
    };
    struct hs_forest *f = hs_forest_new(3, 0);
    assert_int_equal(hs_forest_add_tree(f, t1, 5, &err), HS_OK);
    assert_int_equal(hs_forest_add_tree(f, t2, 3, &err), HS_OK);
    double gain[3];
    size_t splits[3];
    hs_forest_gain(f, gain, splits);
    assert_true(gain[0] == 1.75 && gain[1] == 5 && gain[2] == 0);
    assert_true(splits[0] == 2 && splits[1] == 1 && splits[2] == 0);
    size_t order[3];
    hs_importance_rank(gain, 3, order);
    assert_true(order[0] == 1 && order[1] == 0 && order[2] == 2);
    double v[5] = {1, NAN, 3, 1, 2};
    size_t o5[5];
    hs_importance_rank(v, 5, o5);
    assert_true(o5[0] == 2 && o5[1] == 4 && o5[2] == 0 && o5[3] == 3 && o5[4] == 1);
    double phi[6] = {1, -2, 0, -3, 4, 0}, mabs[3];
    hs_shap_mean_abs(phi, 2, 3, mabs);
    assert_true(mabs[0] == 2 && mabs[1] == 3 && mabs[2] == 0);
    hs_forest_free(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perm_definition),
        cmocka_unit_test(test_gain_rank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

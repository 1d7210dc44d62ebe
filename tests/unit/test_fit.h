/* test_fit.h: fitting a projection or clustering method through the
 * method layer with parameters given as text, and the blobs and adjusted
 * Rand index the clustering tests share (the index written here from its
 * definition, Hubert and Arabie 1985, apart from src/clusterq.c). */
#ifndef HS_TEST_FIT_H
#define HS_TEST_FIT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "method.h"
#include "test_util.h"

/* Fit m on d with the parameters of kv ("name", "value", ..., NULL); the
 * fitted state into *state (NULL on failure). */
static inline int
tf_fit(const struct hs_method *m, const struct hs_method_data *d, const char *const *kv,
       void **state, const struct hs_task *task, struct hs_err *err)
{
    struct hs_params p;
    bool cancelled = false;
    int rc;

    *state = NULL;
    if ((rc = hs_method_params(m, &p, err)))
        return rc;
    for (size_t i = 0; kv && kv[i]; i += 2)
        if ((rc = hs_params_set(&p, kv[i], kv[i + 1], err))) {
            hs_params_release(&p);
            return rc;
        }
    rc = hs_method_fit(m, &p, d, NULL, NULL, state, &cancelled, task, err);
    hs_params_release(&p);
    return rc;
}

/* n rows of dim features (columns, new: free with tf_free_cols) drawn
 * with sd 1 around k centres, blob b's at sep ((b + j) mod k) in feature
 * j, so every feature separates them (and
 * feature j scaled by j + 1 and shifted by 10 j, which standardising
 * undoes); the true blob of each row into *truth (new). */
static inline double **
tf_blobs(size_t n, size_t dim, size_t k, double sep, uint64_t seed, long **truth)
{
    double **col = malloc(dim * sizeof *col);
    uint64_t s = seed;

    *truth = malloc(n * sizeof **truth);
    for (size_t j = 0; j < dim; j++)
        col[j] = malloc(n * sizeof **col);
    for (size_t i = 0; i < n; i++) {
        size_t b = i % k;
        (*truth)[i] = (long)b;
        for (size_t j = 0; j < dim; j++) {
            double centre = sep * (double)((b + j) % k);
            double z = tu_box_muller(tu_unit(tu_splitmix(&s)), tu_unit(tu_splitmix(&s)));
            col[j][i] = (double)(j + 1) * (centre + z) + 10.0 * (double)j;
        }
    }
    return col;
}

static inline void
tf_free_cols(double **col, size_t dim)
{
    for (size_t j = 0; j < dim; j++)
        free(col[j]);
    free(col);
}

/* The adjusted Rand index of two labellings of n items (ids 0..63; rows
 * where either is negative are left out), from the pair counts. */
static inline double
tf_ari(const long *a, const long *b, size_t n)
{
    static double t[64][64];
    double ra[64] = {0}, rb[64] = {0}, m = 0, sij = 0, sa = 0, sb = 0;

    memset(t, 0, sizeof t);
    for (size_t i = 0; i < n; i++)
        if (a[i] >= 0 && b[i] >= 0) {
            t[a[i]][b[i]]++;
            ra[a[i]]++;
            rb[b[i]]++;
            m++;
        }
    for (int i = 0; i < 64; i++) {
        for (int j = 0; j < 64; j++)
            sij += t[i][j] * (t[i][j] - 1) / 2;
        sa += ra[i] * (ra[i] - 1) / 2;
        sb += rb[i] * (rb[i] - 1) / 2;
    }
    double expect = sa * sb / (m * (m - 1) / 2), max = (sa + sb) / 2;
    return max == expect ? 1 : (sij - expect) / (max - expect);
}

/* Column-major data standardised as the methods do (mean, sd divisor
 * n) into rows (new). */
static inline double *
tf_standardise(double **col, size_t n, size_t dim)
{
    double *z = malloc(n * dim * sizeof *z);
    for (size_t j = 0; j < dim; j++) {
        double mean = 0, sd = 0;
        for (size_t i = 0; i < n; i++)
            mean += col[j][i];
        mean /= (double)n;
        for (size_t i = 0; i < n; i++)
            sd += (col[j][i] - mean) * (col[j][i] - mean);
        sd = sqrt(sd / (double)n);
        for (size_t i = 0; i < n; i++)
            z[i * dim + j] = (col[j][i] - mean) / sd;
    }
    return z;
}

/* A fit of m whose cancel flag is raised once progress reaches `at`
 * (needs cmocka.h): HS_ECANCELLED, no state, a message saying so. */
static inline void
tf_expect_cancel(const struct hs_method *m, const struct hs_method_data *d,
                 const char *const *kv, double at)
{
    struct tu_cancel_at c = {.at = at};
    atomic_init(&c.flag, 0);
    struct hs_task task = {tu_cancel_at_progress, &c, &c.flag};
    struct hs_err err = {0};
    void *st;

    assert_int_equal(tf_fit(m, d, kv, &st, &task, &err), HS_ECANCELLED);
    assert_null(st);
    assert_non_null(strstr(err.msg, "cancelled"));
}

/* A fit of m and its clusters (needs cmocka.h): with every allocation
 * failing in turn, a clean HS_ENOMEM until enough succeed (more than
 * `least`), then HS_OK. */
static inline void
tf_each_oom(const struct hs_method *m, const struct hs_method_data *d, const char *const *kv,
            long least)
{
    struct hs_err err;
    void *st;

    for (long k = 0;; k++) {
        long *ids = NULL;
        hs_mem_fail_after(k);
        int rc = tf_fit(m, d, kv, &st, NULL, &err);
        if (rc == HS_OK)
            rc = m->clusters(st, &ids, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK) {
            assert_true(k > least);
            free(ids);
            m->free(st);
            return;
        }
        assert_int_equal(rc, HS_ENOMEM);
        m->free(st);
    }
}

#endif

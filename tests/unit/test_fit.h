/* test_fit.h: fitting a projection or clustering method through the
 * method layer with parameters given as text, and the blobs and adjusted
 * Rand index the clustering tests share (the index written here from its
 * definition, Hubert and Arabie 1985, apart from src/clusterq.c). */
#ifndef HS_TEST_FIT_H
#define HS_TEST_FIT_H

#include <stdbool.h>
#include <stdlib.h>

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

#endif

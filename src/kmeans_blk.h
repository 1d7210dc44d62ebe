/* kmeans_blk.h: squared distances of rows held column-major to a centre,
 * shared by k-means++ (kmeans_pp.c) and the k-means iterations
 * (kmeans.c).  Internal to those two.
 *
 * Every function sums a row's squared differences feature by feature in
 * order from 0, so that a blocked one gives the bits of its one-row one:
 * a row's distance never depends on which of them computed it.
 */
#ifndef HS_KMEANS_BLK_H
#define HS_KMEANS_BLK_H

#include <stddef.h>

/* Floats and doubles added lane by lane (GCC's vector extension, as in
 * knn_approx.c): with AVX2 one register, else two of SSE2. */
typedef float km_v8f __attribute__((vector_size(32)));
typedef float km_v4f __attribute__((vector_size(16)));
typedef double km_v4d __attribute__((vector_size(32)));

/* Row i of xt (n rows, column-major) to centre c (dim values): its
 * squared distance, in double (hs_km_sqdist_col) or float (_colf, over
 * a float copy of the rows). */
#define HS_KM_SQDIST_COL(name, T)                                                             \
    static inline T name(const T *xt, size_t n, size_t i, const T *c, size_t dim)             \
    {                                                                                          \
        T s = 0;                                                                               \
        for (size_t j = 0; j < dim; j++) {                                                     \
            T e = xt[j * n + i] - c[j];                                                        \
            s += e * e;                                                                        \
        }                                                                                      \
        return s;                                                                              \
    }
HS_KM_SQDIST_COL(hs_km_sqdist_col, double)
HS_KM_SQDIST_COL(hs_km_sqdist_colf, float)

/* D[b] = the squared distance of row lo + b of xt (n rows) to centre c,
 * for b < nb. */
void hs_km_dist_blk(const double *xt, size_t n, size_t lo, size_t nb, size_t dim,
                    const double *c, double *restrict D);

/* The same in single precision, over a float copy of the rows (xf), for
 * the passes that only compare distances or draw in proportion to them:
 * twice the rows per vector and half the bytes read from memory.  The
 * sum of a row's squares in float is within a few units of 1e-7 of the
 * double one; the blocked function gives the bits of hs_km_sqdist_colf. */
void hs_km_dist_blkf(const float *xf, size_t n, size_t lo, size_t nb, size_t dim,
                     const float *c, float *restrict D);

/* The sum over b < nb of the lesser of D[b] and near[b], in double:
 * sixteen partial sums (four vectors, four chains of additions that do
 * not wait for each other; one running sum waits for each addition
 * before), added in a fixed order. */
double hs_km_sum_min(const float *D, const float *near, size_t nb);

#endif

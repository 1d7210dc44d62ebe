/* kmeans_blk.h: squared distances of rows held column-major to a centre,
 * shared by k-means++ (kmeans_pp.c) and the k-means iterations
 * (kmeans.c).  Internal to those two.
 *
 * Both functions sum a row's squared differences feature by feature in
 * order from 0, so that the blocked one gives the bits of the one-row
 * one: a row's distance never depends on which of them computed it.
 */
#ifndef HS_KMEANS_BLK_H
#define HS_KMEANS_BLK_H

#include <stddef.h>

/* Row i of xt (n rows, column-major) to centre c (dim values): its
 * squared distance. */
static inline double
hs_km_sqdist_col(const double *xt, size_t n, size_t i, const double *c, size_t dim)
{
    double s = 0;
    for (size_t j = 0; j < dim; j++) {
        double e = xt[j * n + i] - c[j];
        s += e * e;
    }
    return s;
}

/* D[b] = the squared distance of row lo + b of xt (n rows) to centre c,
 * for b < nb. */
void hs_km_dist_blk(const double *xt, size_t n, size_t lo, size_t nb, size_t dim,
                    const double *c, double *restrict D);

#endif

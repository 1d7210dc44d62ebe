/* kmeans_blk.c: squared distances to a centre (kmeans_blk.h). */
#include "config.h"

#include "kmeans_blk.h"

#include "simd_clones.h"

/* Eight rows at a time, whose sums stay in registers (the compiler packs
 * them in vectors), in several chains so that one addition need not wait
 * for the one before; faster than a loop over the block per feature that
 * loads and stores every row's sum. */
HS_CLONES void
hs_km_dist_blk(const double *xt, size_t n, size_t lo, size_t nb, size_t dim, const double *c,
               double *restrict D)
{
    size_t b0 = 0;
    for (; b0 + 8 <= nb; b0 += 8) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        for (size_t j = 0; j < dim; j++) {
            const double *xj = xt + j * n + lo + b0;
            double cj = c[j];
            double e0 = xj[0] - cj, e1 = xj[1] - cj, e2 = xj[2] - cj, e3 = xj[3] - cj;
            double e4 = xj[4] - cj, e5 = xj[5] - cj, e6 = xj[6] - cj, e7 = xj[7] - cj;
            a0 += e0 * e0;
            a1 += e1 * e1;
            a2 += e2 * e2;
            a3 += e3 * e3;
            a4 += e4 * e4;
            a5 += e5 * e5;
            a6 += e6 * e6;
            a7 += e7 * e7;
        }
        D[b0] = a0;
        D[b0 + 1] = a1;
        D[b0 + 2] = a2;
        D[b0 + 3] = a3;
        D[b0 + 4] = a4;
        D[b0 + 5] = a5;
        D[b0 + 6] = a6;
        D[b0 + 7] = a7;
    }
    for (size_t b = b0; b < nb; b++)
        D[b] = hs_km_sqdist_col(xt, n, lo + b, c, dim);
}

/* Sixteen rows at a time, two vectors of eight floats with AVX2. */
HS_CLONES void
hs_km_dist_blkf(const float *xf, size_t n, size_t lo, size_t nb, size_t dim, const float *c,
                float *restrict D)
{
    size_t b0 = 0;
    for (; b0 + 16 <= nb; b0 += 16) {
        float a[16] = {0};
        for (size_t j = 0; j < dim; j++) {
            const float *xj = xf + j * n + lo + b0;
            float cj = c[j];
            for (size_t t = 0; t < 16; t++) {
                float e = xj[t] - cj;
                a[t] += e * e;
            }
        }
        for (size_t t = 0; t < 16; t++)
            D[b0 + t] = a[t];
    }
    for (size_t b = b0; b < nb; b++)
        D[b] = hs_km_sqdist_colf(xf, n, lo + b, c, dim);
}

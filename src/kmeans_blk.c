/* kmeans_blk.c: squared distances to a centre (kmeans_blk.h). */
#include "config.h"

#include "kmeans_blk.h"

#include <string.h>

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

/* Thirty-two rows at a time in four vectors of sums, written as vectors
 * so that they stay in registers (as arrays, GCC keeps them in memory),
 * four chains of additions that do not wait for each other: a row's
 * distance is a chain of dim additions, and with fewer chains the
 * adder waits for the one before. */
HS_CLONES void
hs_km_dist_blkf(const float *xf, size_t n, size_t lo, size_t nb, size_t dim, const float *c,
                float *restrict D)
{
    size_t b0 = 0;
    for (; b0 + 32 <= nb; b0 += 32) {
        km_v8f a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, x0, x1, x2, x3;
        for (size_t j = 0; j < dim; j++) {
            const float *xj = xf + j * n + lo + b0;
            float cj = c[j];
            memcpy(&x0, xj, sizeof x0);
            memcpy(&x1, xj + 8, sizeof x1);
            memcpy(&x2, xj + 16, sizeof x2);
            memcpy(&x3, xj + 24, sizeof x3);
            x0 -= cj;
            x1 -= cj;
            x2 -= cj;
            x3 -= cj;
            a0 += x0 * x0;
            a1 += x1 * x1;
            a2 += x2 * x2;
            a3 += x3 * x3;
        }
        memcpy(D + b0, &a0, sizeof a0);
        memcpy(D + b0 + 8, &a1, sizeof a1);
        memcpy(D + b0 + 16, &a2, sizeof a2);
        memcpy(D + b0 + 24, &a3, sizeof a3);
    }
    for (size_t b = b0; b < nb; b++)
        D[b] = hs_km_sqdist_colf(xf, n, lo + b, c, dim);
}

HS_CLONES double
hs_km_sum_min(const float *D, const float *near, size_t nb)
{
    km_v4d a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    km_v4f f0, f1, f2, f3;
    size_t b0 = 0;
    double t;

    for (; b0 + 16 <= nb; b0 += 16) {
        float m[16];
        for (size_t u = 0; u < 16; u++)
            m[u] = D[b0 + u] < near[b0 + u] ? D[b0 + u] : near[b0 + u];
        memcpy(&f0, m, sizeof f0);
        memcpy(&f1, m + 4, sizeof f1);
        memcpy(&f2, m + 8, sizeof f2);
        memcpy(&f3, m + 12, sizeof f3);
        a0 += __builtin_convertvector(f0, km_v4d);
        a1 += __builtin_convertvector(f1, km_v4d);
        a2 += __builtin_convertvector(f2, km_v4d);
        a3 += __builtin_convertvector(f3, km_v4d);
    }
    a0 = (a0 + a1) + (a2 + a3);
    t = (a0[0] + a0[1]) + (a0[2] + a0[3]);
    for (size_t b = b0; b < nb; b++)
        t += D[b] < near[b] ? D[b] : near[b];
    return t;
}

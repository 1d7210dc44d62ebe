/* test_mixture.h: a Gaussian mixture's log-likelihood written out, for
 * the tests of src/gmm.c and src/cluster_range.c (DIM features, defined
 * by the test before including this).  Gauss-Jordan inverses with
 * partial pivoting, nothing of the code under test. */
#ifndef HS_TEST_MIXTURE_H
#define HS_TEST_MIXTURE_H

#include <math.h>
#include <stddef.h>

#include "gmm.h"

/* The inverse and log determinant of a dim x dim matrix by Gauss-Jordan
 * elimination with partial pivoting. */
static inline double
invert(const double *a, size_t dim, double *inv)
{
    double m[DIM][2 * DIM], logdet = 0;
    for (size_t i = 0; i < dim; i++)
        for (size_t j = 0; j < 2 * dim; j++)
            m[i][j] = j < dim ? a[i * dim + j] : (j - dim == i);
    for (size_t c = 0; c < dim; c++) {
        size_t p = c;
        for (size_t r = c + 1; r < dim; r++)
            if (fabs(m[r][c]) > fabs(m[p][c]))
                p = r;
        for (size_t j = 0; j < 2 * dim; j++) {
            double t = m[c][j];
            m[c][j] = m[p][j];
            m[p][j] = t;
        }
        logdet += log(fabs(m[c][c]));
        double piv = m[c][c];
        for (size_t j = 0; j < 2 * dim; j++)
            m[c][j] /= piv;
        for (size_t r = 0; r < dim; r++)
            if (r != c) {
                double f = m[r][c];
                for (size_t j = 0; j < 2 * dim; j++)
                    m[r][j] -= f * m[c][j];
            }
    }
    for (size_t i = 0; i < dim; i++)
        for (size_t j = 0; j < dim; j++)
            inv[i * dim + j] = m[i][dim + j];
    return logdet;
}

/* sum over rows of log sum_k w_k N(z; mu_k, S_k), written out. */
static inline double
mixture_loglik(const struct hs_gmm *g, const double *z, size_t n)
{
    double inv[HS_GMM_MAX_K][DIM * DIM], logdet[HS_GMM_MAX_K], total = 0;
    for (size_t q = 0; q < g->k; q++)
        logdet[q] = invert(g->cov + q * DIM * DIM, DIM, inv[q]);
    for (size_t i = 0; i < n; i++) {
        double dens = 0;
        for (size_t q = 0; q < g->k; q++) {
            double e[DIM], m2 = 0;
            for (size_t j = 0; j < DIM; j++)
                e[j] = z[i * DIM + j] - g->mean[q * DIM + j];
            for (size_t j = 0; j < DIM; j++)
                for (size_t l = 0; l < DIM; l++)
                    m2 += e[j] * inv[q][j * DIM + l] * e[l];
            dens += g->weight[q] * exp(-0.5 * m2 - 0.5 * logdet[q]) /
                    pow(2 * 3.14159265358979323846, DIM / 2.0);
        }
        total += log(dens);
    }
    return total;
}

#endif

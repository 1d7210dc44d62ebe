/* umap_init.c: UMAP's starting layout (see umap.h; umap-learn's
 * simplicial_set_embedding and noisy_scale_coords).
 *
 * A disconnected graph has one zero eigenvalue of its Laplacian per
 * component, and its "next" eigenvectors only tell the components apart;
 * umap-learn then lays out each component's own spectrum around a
 * meta-embedding, here (as the brief of issue 14 asks) the PCA layout
 * takes over, found disconnected by a depth-first search of the graph. */
#include "config.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "mem.h"
#include "rng.h"
#include "umap.h"

#define INIT_RANGE 10.0
#define INIT_NOISE 1e-4

int
hs_umap_pca(const double *x, size_t n, size_t nin, size_t dim, double *y, struct hs_err *err)
{
    double *mean = hs_calloc(nin, sizeof *mean);
    gsl_matrix *C = gsl_matrix_calloc(nin, nin), *V = gsl_matrix_alloc(nin, nin);
    gsl_vector *ev = gsl_vector_alloc(nin);
    gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc(nin);
    int rc = HS_OK, gs;

    if (!mean || !C || !V || !ev || !ws) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < nin; j++)
            mean[j] += x[i * nin + j];
    for (size_t j = 0; j < nin; j++)
        mean[j] /= (double)n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < nin; j++) {
            double dj = x[i * nin + j] - mean[j];
            for (size_t l = 0; l <= j; l++)
                C->data[j * C->tda + l] += dj * (x[i * nin + l] - mean[l]);
        }
    for (size_t j = 0; j < nin; j++)
        for (size_t l = 0; l < j; l++)
            gsl_matrix_set(C, l, j, gsl_matrix_get(C, j, l));
    gs = gsl_eigen_symmv(C, ev, V, ws);
    if (gs == GSL_SUCCESS)
        gs = gsl_eigen_symmv_sort(ev, V, GSL_EIGEN_SORT_VAL_DESC);
    if (gs != GSL_SUCCESS) {
        rc = hs_err_set(err, HS_EDATA, "umap's pca initialisation failed: %s", gsl_strerror(gs));
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < dim; c++) {
            double s = 0;
            if (c < nin)
                for (size_t j = 0; j < nin; j++)
                    s += (x[i * nin + j] - mean[j]) * gsl_matrix_get(V, j, c);
            y[i * dim + c] = s;
        }
done:
    hs_free(mean);
    if (C)
        gsl_matrix_free(C);
    if (V)
        gsl_matrix_free(V);
    if (ev)
        gsl_vector_free(ev);
    if (ws)
        gsl_eigen_symmv_free(ws);
    return rc;
}

/* A standard normal deviate (Box-Muller). */
static double
normal(struct hs_rng *r)
{
    double u = hs_rng_unit(r), v = hs_rng_unit(r);
    return sqrt(-2 * log(1 - u)) * cos(2 * M_PI * v);
}

/* Largest coordinate 10 in absolute value, plus a little noise. */
static void
noisy_scale(double *y, size_t count, struct hs_rng *r)
{
    double big = 0;

    for (size_t i = 0; i < count; i++)
        big = fabs(y[i]) > big ? fabs(y[i]) : big;
    for (size_t i = 0; i < count; i++)
        y[i] = (big > 0 ? y[i] * INIT_RANGE / big : 0) + INIT_NOISE * normal(r);
}

int
hs_umap_init_layout(enum hs_umap_init init, const struct hs_csr *g, const double *x, size_t nin,
                    size_t dim, uint64_t seed, int threads, double *y, enum hs_umap_init *used,
                    const struct hs_task *task, struct hs_err *err)
{
    struct hs_rng r;
    size_t n = g->n;
    int rc = HS_OK;

    hs_rng_seed(&r, seed ^ UINT64_C(0x1a17));
    if (init == HS_UMAP_INIT_SPECTRAL) {
        size_t ncomp;
        rc = hs_spectral_components(g, NULL, &ncomp, err);
        if (rc != HS_OK)
            return rc;
        if (ncomp > 1 || n < dim + 2)
            init = HS_UMAP_INIT_PCA;
    }
    *used = init;
    switch (init) {
    case HS_UMAP_INIT_SPECTRAL:
        rc = hs_spectral_embed(g, dim, seed, threads, y, NULL, task, err);
        if (rc == HS_OK)
            noisy_scale(y, n * dim, &r);
        break;
    case HS_UMAP_INIT_PCA:
        rc = hs_umap_pca(x, n, nin, dim, y, err);
        if (rc == HS_OK)
            noisy_scale(y, n * dim, &r);
        break;
    case HS_UMAP_INIT_RANDOM:
        for (size_t i = 0; i < n * dim; i++)
            y[i] = INIT_RANGE * (2 * hs_rng_unit(&r) - 1);
        break;
    }
    if (rc != HS_OK)
        return rc;
    /* umap-learn 0.5: each coordinate onto [0, 10] before the optimisation */
    for (size_t c = 0; c < dim; c++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            lo = y[i * dim + c] < lo ? y[i * dim + c] : lo;
            hi = y[i * dim + c] > hi ? y[i * dim + c] : hi;
        }
        for (size_t i = 0; i < n; i++)
            y[i * dim + c] = hi > lo ? INIT_RANGE * (y[i * dim + c] - lo) / (hi - lo) : 0;
    }
    return HS_OK;
}

/* umap_init.c: UMAP's starting layout (see umap.h; umap-learn's
 * simplicial_set_embedding and noisy_scale_coords).
 *
 * A disconnected graph has one zero eigenvalue of its Laplacian per
 * component, and its "next" eigenvectors only tell the components apart;
 * umap-learn then lays out each component's own spectrum around a
 * meta-embedding, here (as the brief of issue 14 asks) the PCA layout
 * takes over, found disconnected by a depth-first search of the graph. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mem.h"
#include "pca.h"
#include "rng.h"
#include "umap.h"

#define INIT_RANGE 10.0
#define INIT_NOISE 1e-4

int
hs_umap_pca(const double *x, size_t n, size_t nin, size_t dim, double *y, struct hs_err *err)
{
    struct hs_pca p;
    size_t nc = dim < nin ? dim : nin;
    int rc = hs_pca_fit(x, n, nin, 0, &p, NULL, err);

    if (rc) {
        hs_err_prefix(err, "umap's pca initialisation");
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        hs_pca_project(&p, x + i * nin, nc, y + i * dim);
        for (size_t c = nc; c < dim; c++)
            y[i * dim + c] = 0;
    }
    hs_pca_release(&p);
    return HS_OK;
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

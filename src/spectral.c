/* spectral.c: components and the spectral embedding of a sparse graph
 * (see spectral.h).
 *
 * The Lanczos basis V (n x (m+1), one column per vector) is kept
 * orthogonal by classical Gram-Schmidt applied twice, against V and the
 * null vector u0 = D^1/2 1 / |D^1/2 1|, so that the Ritz values stay
 * clean without selective reorthogonalisation; the cost, 4 m n flops per
 * vector, is a few BLAS-2 calls.  After m vectors the projected matrix T
 * (tridiagonal, plus an arrow after a restart) is diagonalised; the p
 * Ritz vectors of largest Ritz value are kept with the last Lanczos
 * vector as the new start (Krylov-Schur), T becoming their Ritz values
 * with the residual couplings beta s_{m,i} in the arrow.  The residual
 * of Ritz pair i is |beta s_{m,i}|.
 *
 * The sparse product is split in parts of fixed size, each writing its
 * own rows, so it does not depend on the thread count; the dense steps
 * go through the BLAS.
 */
#include "config.h"

#include "spectral.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "mem.h"
#include "par.h"
#include "rng.h"

/* The Lanczos basis, and how many vectors a restart keeps beyond the
 * wanted ones. */
#define SPECTRAL_BASIS 32
#define SPECTRAL_TOL 1e-4
/* Sparse products at most: on a tiny eigengap the iteration stops with
 * its best vectors, which are still a smooth layout to start from. */
#define SPECTRAL_MAX_PRODUCTS 3000
/* Rows per part of the sparse product. */
#define SPECTRAL_ROWS 4096

void
hs_csr_release(struct hs_csr *g)
{
    hs_free(g->start);
    hs_free(g->col);
    hs_free(g->w);
    memset(g, 0, sizeof *g);
}

int
hs_spectral_components(const struct hs_csr *g, size_t *label, size_t *count, struct hs_err *err)
{
    size_t n = g->n, ncomp = 0;
    size_t *lab = label ? label : hs_malloc((n ? n : 1) * sizeof *lab);
    size_t *stack = hs_malloc((n ? n : 1) * sizeof *stack);

    if (!lab || !stack) {
        if (!label)
            hs_free(lab);
        hs_free(stack);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        lab[i] = SIZE_MAX;
    /* depth-first search from each unlabelled vertex */
    for (size_t s = 0; s < n; s++) {
        size_t top = 0;
        if (lab[s] != SIZE_MAX)
            continue;
        lab[s] = ncomp;
        stack[top++] = s;
        while (top) {
            size_t i = stack[--top];
            for (size_t e = g->start[i]; e < g->start[i + 1]; e++) {
                size_t j = g->col[e];
                if (g->w[e] > 0 && lab[j] == SIZE_MAX) {
                    lab[j] = ncomp;
                    stack[top++] = j;
                }
            }
        }
        ncomp++;
    }
    *count = ncomp;
    if (!label)
        hs_free(lab);
    hs_free(stack);
    return HS_OK;
}

/* ---- y = D^-1/2 W D^-1/2 x, in parts ---- */

struct matvec {
    const struct hs_csr *g;
    const double *dinv; /* D^-1/2 */
    const double *x;
    double *y;
};

static int
matvec_part(void *ctx, size_t part)
{
    const struct matvec *mv = ctx;
    size_t lo, hi;

    lo = part * SPECTRAL_ROWS;
    hi = lo + SPECTRAL_ROWS < mv->g->n ? lo + SPECTRAL_ROWS : mv->g->n;
    for (size_t i = lo; i < hi; i++) {
        double s = 0;
        for (size_t e = mv->g->start[i]; e < mv->g->start[i + 1]; e++)
            s += mv->g->w[e] * mv->dinv[mv->g->col[e]] * mv->x[mv->g->col[e]];
        mv->y[i] = mv->dinv[i] * s;
    }
    return 0;
}

/* ---- the iteration ---- */

struct lanczos {
    size_t n, m, nev;
    double *V;     /* n x (m + 1), column-major: vector j at V + j n */
    double *u0;    /* the null vector of L, unit */
    double *dinv;
    double *T;     /* m x m projected matrix */
    double *coef;  /* m + 1 */
    double *Y;     /* n x m: Ritz vectors at a restart */
    double *partial; /* parts x (m + 1): orthogonalise's partial sums */
    gsl_matrix *Tm, *S;
    gsl_vector *theta;
    gsl_eigen_symmv_workspace *ws;
    int threads;
};

static void
lanczos_release(struct lanczos *L)
{
    hs_free(L->V);
    hs_free(L->u0);
    hs_free(L->dinv);
    hs_free(L->T);
    hs_free(L->coef);
    hs_free(L->Y);
    hs_free(L->partial);
    if (L->Tm)
        gsl_matrix_free(L->Tm);
    if (L->S)
        gsl_matrix_free(L->S);
    if (L->theta)
        gsl_vector_free(L->theta);
    if (L->ws)
        gsl_eigen_symmv_free(L->ws);
}

static int
lanczos_alloc(struct lanczos *L, size_t n, size_t nev, struct hs_err *err)
{
    memset(L, 0, sizeof *L);
    L->n = n;
    L->nev = nev;
    /* The basis lives in the complement of u0, of dimension n - 1. */
    L->m = SPECTRAL_BASIS > 2 * nev + 8 ? SPECTRAL_BASIS : 2 * nev + 8;
    if (L->m > n - 1)
        L->m = n - 1;
    L->V = hs_malloc(n * (L->m + 1) * sizeof *L->V);
    L->Y = hs_malloc(n * L->m * sizeof *L->Y);
    L->u0 = hs_malloc(n * sizeof *L->u0);
    L->dinv = hs_malloc(n * sizeof *L->dinv);
    L->T = hs_calloc(L->m * L->m, sizeof *L->T);
    L->coef = hs_malloc(2 * (L->m + 1) * sizeof *L->coef);
    L->partial = hs_malloc((n + SPECTRAL_ROWS - 1) / SPECTRAL_ROWS * (L->m + 1) *
                           sizeof *L->partial);
    if (!L->V || !L->Y || !L->u0 || !L->dinv || !L->T || !L->coef || !L->partial)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    L->Tm = gsl_matrix_alloc(L->m, L->m);
    L->S = gsl_matrix_alloc(L->m, L->m);
    L->theta = gsl_vector_alloc(L->m);
    L->ws = gsl_eigen_symmv_alloc(L->m);
    if (!L->Tm || !L->S || !L->theta || !L->ws)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    return HS_OK;
}

/* One stage of orthogonalise on a part's rows, against the basis B = [u0,
 * V's first k vectors]: 0, the part's share of B^T w; 1, w -= B c, then
 * the part's share of B^T w (the next pass's coefficients, while the rows
 * are in cache); 2, w -= B c. */
struct proj {
    const struct lanczos *L;
    double *w;
    size_t k;
    int stage;
    const double *c; /* k + 1: u0's, then V's */
};

/* Row i of basis vector j of B (j = 0: u0). */
static inline const double *
basis(const struct lanczos *L, size_t j)
{
    return j == 0 ? L->u0 : L->V + (j - 1) * L->n;
}

/* Rows per block of stage 1: B's rows of a block stay in cache between
 * the update and the products. */
#define PROJ_BLOCK 256

static int
proj_part(void *ctx, size_t part)
{
    const struct proj *pj = ctx;
    const struct lanczos *L = pj->L;
    size_t n = L->n, lo = part * SPECTRAL_ROWS, hi = lo + SPECTRAL_ROWS < n ? lo + SPECTRAL_ROWS : n;
    size_t nb = pj->k + 1;
    double *w = pj->w, *out = L->partial + part * (L->m + 1);

    if (pj->stage != 2)
        for (size_t j = 0; j < nb; j++)
            out[j] = 0;
    for (size_t b0 = lo; b0 < hi; b0 += PROJ_BLOCK) {
        size_t b1 = b0 + PROJ_BLOCK < hi ? b0 + PROJ_BLOCK : hi;
        if (pj->stage != 0)
            for (size_t j = 0; j < nb; j++) {
                const double *v = basis(L, j);
                for (size_t i = b0; i < b1; i++)
                    w[i] -= pj->c[j] * v[i];
            }
        if (pj->stage != 2)
            for (size_t j = 0; j < nb; j++) {
                const double *v = basis(L, j);
                double s = 0;
                for (size_t i = b0; i < b1; i++)
                    s += v[i] * w[i];
                out[j] += s;
            }
    }
    return 0;
}

/* The partial sums of the parts, added in part order, into c (k + 1). */
static void
proj_sum(const struct lanczos *L, size_t k, double *c)
{
    size_t nparts = (L->n + SPECTRAL_ROWS - 1) / SPECTRAL_ROWS, stride = L->m + 1;

    for (size_t j = 0; j <= k; j++) {
        double s = 0;
        for (size_t p = 0; p < nparts; p++)
            s += L->partial[p * stride + j];
        c[j] = s;
    }
}

static double
norm2(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i] * v[i];
    return sqrt(s);
}

static void
scale(double *v, size_t n, double f)
{
    for (size_t i = 0; i < n; i++)
        v[i] *= f;
}

/* The first cols Ritz vectors V S (S's columns the eigenvectors of T)
 * into Y, column-major n x cols. */
static void
ritz_vectors(const struct lanczos *L, size_t cols, double *Y)
{
    size_t n = L->n;

    for (size_t c = 0; c < cols; c++) {
        double *y = Y + c * n;
        memset(y, 0, n * sizeof *y);
        for (size_t j = 0; j < L->m; j++) {
            const double *v = L->V + j * n;
            double f = gsl_matrix_get(L->S, j, c);
            for (size_t i = 0; i < n; i++)
                y[i] += f * v[i];
        }
    }
}

/* Make w orthogonal to u0 and the first k basis vectors: classical
 * Gram-Schmidt against them all at once, twice, in three sweeps over the
 * basis (the second pass's products in the first one's update: at
 * 100,000 points the basis, 26 MB, is read from memory each sweep); the
 * summed coefficients against the basis vectors into coef[0..k-1].  Plain
 * loops rather than BLAS-2 calls: OpenBLAS built with OpenMP wakes its
 * threads for every call and leaves them spinning, which at 20,000 points
 * cost 40 times the arithmetic.  In parts of fixed rows, the partial sums
 * added in part order: the same numbers on any number of threads. */
static void
orthogonalise(struct lanczos *L, double *w, size_t k)
{
    size_t nparts = (L->n + SPECTRAL_ROWS - 1) / SPECTRAL_ROWS;
    double *c1 = L->coef, *c2 = L->coef + L->m + 1;
    struct proj pj = {L, w, k, 0, c1};

    hs_par_run(nparts, L->threads, proj_part, &pj);
    proj_sum(L, k, c1);
    pj.stage = 1;
    hs_par_run(nparts, L->threads, proj_part, &pj);
    proj_sum(L, k, c2);
    pj.stage = 2;
    pj.c = c2;
    hs_par_run(nparts, L->threads, proj_part, &pj);
    for (size_t i = 0; i < k; i++)
        L->coef[i] = c1[i + 1] + c2[i + 1];
}

/* A unit vector orthogonal to u0 and the first k basis vectors, from the
 * seeded stream, into v; false when none could be found. */
static bool
random_start(struct lanczos *L, struct hs_rng *r, double *v, size_t k)
{
    for (int attempt = 0; attempt < 5; attempt++) {
        double nrm;
        for (size_t i = 0; i < L->n; i++)
            v[i] = hs_rng_unit(r) - 0.5;
        orthogonalise(L, v, k);
        nrm = norm2(v, L->n);
        if (nrm > 1e-8) {
            scale(v, L->n, 1.0 / nrm);
            return true;
        }
    }
    return false;
}

struct ritz_job {
    struct lanczos *L;
    int gs;
};

static int
ritz_part(void *ctx, size_t part)
{
    struct ritz_job *j = ctx;
    struct lanczos *L = j->L;
    (void)part;
    j->gs = gsl_eigen_symmv(L->Tm, L->theta, L->S, L->ws);
    if (j->gs == GSL_SUCCESS)
        j->gs = gsl_eigen_symmv_sort(L->theta, L->S, GSL_EIGEN_SORT_VAL_DESC);
    return 0;
}

/* Diagonalise T: Ritz values in theta, descending, vectors in S.  As a
 * job of one part (par.h runs it on the caller with the BLAS on one
 * thread): GSL's BLAS calls go to OpenBLAS, whose OpenMP team would
 * otherwise wake for a 32 x 32 matrix and spin on after it, against the
 * sparse products' own threads (at 100,000 points the start's CPU was
 * 4.2 s with the team spinning, 1.5-1.9 s without). */
static int
ritz(struct lanczos *L, struct hs_err *err)
{
    size_t m = L->m;
    struct ritz_job j = {L, GSL_SUCCESS};

    for (size_t i = 0; i < m; i++)
        for (size_t k = 0; k < m; k++)
            gsl_matrix_set(L->Tm, i, k, L->T[i * m + k]);
    hs_par_run(1, 1, ritz_part, &j);
    if (j.gs != GSL_SUCCESS)
        return hs_err_set(err, HS_EDATA, "spectral initialisation: the projected matrix could "
                                         "not be diagonalised: %s",
                          gsl_strerror(j.gs));
    return HS_OK;
}

int
hs_spectral_embed(const struct hs_csr *g, size_t dim, uint64_t seed, int threads, double *out,
                  double *lambda, const struct hs_task *task, struct hs_err *err)
{
    struct lanczos L;
    struct hs_rng r;
    struct matvec mv;
    size_t n = g->n, m, kept = 0, products = 0, nparts;
    double beta = 0, norm0 = 0;
    int rc;
    bool converged = false;

    if (dim == 0 || n < dim + 2)
        return hs_err_set(err, HS_EUSAGE,
                          "spectral embedding in %zu dimensions needs at least %zu points, not %zu",
                          dim, dim + 2, n);
    rc = lanczos_alloc(&L, n, dim, err);
    if (rc != HS_OK) {
        lanczos_release(&L);
        return rc;
    }
    m = L.m;
    L.threads = threads;
    for (size_t i = 0; i < n; i++) {
        double deg = 0;
        for (size_t e = g->start[i]; e < g->start[i + 1]; e++)
            deg += g->w[e];
        if (!(deg > 0)) {
            lanczos_release(&L);
            return hs_err_set(err, HS_EDATA,
                              "spectral initialisation: point %zu has no neighbour in the graph",
                              i + 1);
        }
        L.dinv[i] = 1 / sqrt(deg);
        L.u0[i] = sqrt(deg);
        norm0 += deg;
    }
    scale(L.u0, n, 1 / sqrt(norm0));
    hs_rng_seed(&r, seed ^ UINT64_C(0x5eec7a1));
    if (!random_start(&L, &r, L.V, 0)) {
        lanczos_release(&L);
        return hs_err_set(err, HS_EDATA, "spectral initialisation: no start vector");
    }
    mv.g = g;
    mv.dinv = L.dinv;
    nparts = (n + SPECTRAL_ROWS - 1) / SPECTRAL_ROWS;
    for (;;) {
        /* extend the basis from kept to m vectors */
        for (size_t j = kept; j < m; j++) {
            double *w = L.V + (j + 1) * n;
            if (hs_task_cancelled(task)) {
                lanczos_release(&L);
                return hs_err_set(err, HS_ECANCELLED, "spectral initialisation cancelled");
            }
            mv.x = L.V + j * n;
            mv.y = w;
            hs_par_run(nparts, threads, matvec_part, &mv);
            products++;
            orthogonalise(&L, w, j + 1);
            for (size_t i = 0; i <= j; i++)
                L.T[i * m + j] = L.T[j * m + i] = L.coef[i];
            beta = norm2(w, n);
            if (beta > 1e-12) {
                scale(w, n, 1 / beta);
            } else {
                /* an invariant subspace: go on from a fresh direction */
                beta = 0;
                if (j + 1 < m && !random_start(&L, &r, w, j + 1)) {
                    lanczos_release(&L);
                    return hs_err_set(err, HS_EDATA, "spectral initialisation: no new direction");
                }
            }
            if (j + 1 < m)
                L.T[(j + 1) * m + j] = L.T[j * m + j + 1] = beta;
        }
        rc = ritz(&L, err);
        if (rc != HS_OK) {
            lanczos_release(&L);
            return rc;
        }
        converged = true;
        for (size_t i = 0; i < dim; i++)
            if (fabs(beta * gsl_matrix_get(L.S, m - 1, i)) > SPECTRAL_TOL)
                converged = false;
        hs_task_progress(task, converged ? 1 : (double)products / SPECTRAL_MAX_PRODUCTS,
                         "spectral initialisation");
        if (converged || products >= SPECTRAL_MAX_PRODUCTS || m == n - 1)
            break;
        /* restart: keep the p best Ritz vectors and the residual direction */
        kept = dim + (m - dim) / 2;
        ritz_vectors(&L, kept, L.Y);
        memcpy(L.V, L.Y, n * kept * sizeof *L.V);
        memmove(L.V + kept * n, L.V + m * n, n * sizeof *L.V);
        memset(L.T, 0, m * m * sizeof *L.T);
        for (size_t i = 0; i < kept; i++) {
            double b = beta * gsl_matrix_get(L.S, m - 1, i);
            L.T[i * m + i] = gsl_vector_get(L.theta, i);
            L.T[kept * m + i] = L.T[i * m + kept] = b;
        }
    }
    /* the wanted Ritz vectors, row-major into out */
    ritz_vectors(&L, dim, L.Y);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < dim; k++)
            out[i * dim + k] = L.Y[k * n + i];
    if (lambda)
        for (size_t k = 0; k < dim; k++)
            lambda[k] = 1 - gsl_vector_get(L.theta, k);
    lanczos_release(&L);
    return HS_OK;
}

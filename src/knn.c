/* knn.c: exact k nearest neighbours of every point (knn.h).
 *
 * Two searches, chosen by the dimension:
 *   - a k-d tree (knn_tree.c) over all the points, queried for each
 *     point in tree order so that consecutive queries walk the same
 *     leaves: for few dimensions;
 *   - blocked brute force: the squared distances of a block of queries
 *     to a tile of points as |q|^2 + |x|^2 - 2 q.x, the products by one
 *     GEMM, screen the candidates; only those within rounding of the
 *     current k-th are measured directly (differences squared, summed
 *     in coordinate order) and ranked, so distances and ties are exact.
 * On the standardised 19 demo features a k-d tree (ours or FLANN's exact
 * single tree) visits about three quarters of the points for k = 90:
 * their intrinsic dimension is too high for a tree to prune, so brute
 * force at GEMM speed wins there (bench/RESULTS.md, "k nearest
 * neighbours").
 *
 * The queries are split into fixed blocks run as par.h parts; each
 * writes its own rows of the answer, so the result cannot depend on the
 * thread count.  The GEMMs run one-threaded inside the parts.
 */
#include "config.h"

#include "knn.h"

#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "knn_tree.h"

#ifdef HAVE_OPENBLAS
int openblas_get_num_threads(void);
void openblas_set_num_threads(int n);
#endif
#include "mem.h"
#include "par.h"

/* Queries per part of the tree search: a few milliseconds of work for
 * k near 100, so the cancel flag is seen well within 100 ms. */
#define KNN_BLOCK 64
/* Brute force: queries per part, points per GEMM tile, and the most
 * dimensions for which the tree is used. */
#define KNN_QBLOCK 64
#define KNN_TILE 2048
#define KNN_TREE_MAXDIM 5
/* The GEMM's squared distance is within this fraction of |q|^2 + |x|^2
 * of the exact one (far more than rounding in 1000 dimensions). */
#define KNN_SCREEN 1e-12

int
knn_blas_threads(int n)
{
#ifdef HAVE_OPENBLAS
    if (n > 0) {
        int prev = openblas_get_num_threads();
        openblas_set_num_threads(n);
        return prev;
    }
#else
    (void)n;
#endif
    return 0;
}

struct knn_job {
    const struct knn_tree *tree;
    size_t k;
    const struct knn_out *out;
    struct knn_heap *heaps; /* one per slot */
    size_t *scratch_idx;    /* k per slot */
    double *scratch_d2;     /* k per slot */
    const struct hs_task *task;
    atomic_int stop;
    struct hs_par_progress prog;
};

static int
knn_part(void *ctx, size_t part)
{
    struct knn_job *j = ctx;
    const struct knn_tree *t = j->tree;
    size_t lo, hi, k = j->k;
    int slot = hs_par_slot();
    struct knn_heap *h = &j->heaps[slot];
    size_t *ti = j->scratch_idx + (size_t)slot * k;
    double *td = j->scratch_d2 + (size_t)slot * k;

    if (atomic_load_explicit(&j->stop, memory_order_relaxed))
        return HS_ECANCELLED;
    if (hs_task_cancelled(j->task)) {
        atomic_store(&j->stop, 1);
        return HS_ECANCELLED;
    }
    lo = part * KNN_BLOCK;
    hi = lo + KNN_BLOCK < t->n ? lo + KNN_BLOCK : t->n;
    for (size_t pos = lo; pos < hi; pos++) {
        size_t row = t->perm[pos];
        knn_tree_query(t, t->xs + pos * t->dim, row, h, ti, td);
        knn_out_row(j->out, row, k, ti, td);
    }
    hs_par_progress_add(&j->prog, hi - lo);
    return HS_OK;
}

struct brute_job {
    const double *x, *nrm;
    size_t n, dim, k;
    const struct knn_out *out;
    struct knn_heap *heaps;
    double *G;           /* KNN_QBLOCK x KNN_TILE per slot */
    size_t *scratch_idx; /* k per slot */
    double *scratch_d2;
    const struct hs_task *task;
    atomic_int stop;
    struct hs_par_progress prog;
};

static int
brute_part(void *ctx, size_t part)
{
    struct brute_job *j = ctx;
    size_t dim = j->dim, k = j->k, q0 = part * KNN_QBLOCK;
    size_t nq = j->n - q0 < KNN_QBLOCK ? j->n - q0 : KNN_QBLOCK;
    int slot = hs_par_slot();
    struct knn_heap *heaps = j->heaps + (size_t)slot * KNN_QBLOCK;
    double *G = j->G + (size_t)slot * KNN_QBLOCK * KNN_TILE;

    if (atomic_load_explicit(&j->stop, memory_order_relaxed) || hs_task_cancelled(j->task)) {
        atomic_store(&j->stop, 1);
        return HS_ECANCELLED;
    }
    for (size_t q = 0; q < nq; q++)
        heaps[q].size = 0;
    for (size_t p0 = 0; p0 < j->n; p0 += KNN_TILE) {
        size_t np = j->n - p0 < KNN_TILE ? j->n - p0 : KNN_TILE;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)nq, (int)np, (int)dim, 1.0,
                    j->x + q0 * dim, (int)dim, j->x + p0 * dim, (int)dim, 0.0, G, (int)np);
        for (size_t q = 0; q < nq; q++) {
            size_t qi = q0 + q;
            const double *g = G + q * np, *xq = j->x + qi * dim;
            double nq2 = j->nrm[qi];
            struct knn_heap *h = &heaps[q];
            double w = knn_heap_worst(h);
            for (size_t p = 0; p < np; p++) {
                double s = nq2 + j->nrm[p0 + p];
                if (s - 2 * g[p] - KNN_SCREEN * s > w || p0 + p == qi)
                    continue;
                knn_heap_offer(h, hs_knn_sqdist(xq, j->x + (p0 + p) * dim, dim), p0 + p);
                w = knn_heap_worst(h);
            }
        }
    }
    for (size_t q = 0; q < nq; q++) {
        size_t qi = q0 + q, *ti = j->scratch_idx + (size_t)slot * k;
        double *td = j->scratch_d2 + (size_t)slot * k;
        knn_heap_drain(&heaps[q], ti, td);
        knn_out_row(j->out, qi, k, ti, td);
    }
    hs_par_progress_add(&j->prog, nq);
    return HS_OK;
}

static int
knn_brute(const double *x, size_t n, size_t dim, size_t k, const struct knn_out *o, int nth,
          const struct hs_task *task, struct hs_err *err)
{
    struct brute_job j = {.x = x, .n = n, .dim = dim, .k = k, .out = o, .task = task};
    size_t nheaps = 0, want = (size_t)nth * KNN_QBLOCK;
    int rc = HS_OK;
    double *nrm = hs_malloc(n * sizeof *nrm);

    j.nrm = nrm;
    j.heaps = hs_calloc(want, sizeof *j.heaps);
    j.G = hs_malloc(want * KNN_TILE * sizeof *j.G);
    j.scratch_idx = hs_malloc((size_t)nth * k * sizeof *j.scratch_idx);
    j.scratch_d2 = hs_malloc((size_t)nth * k * sizeof *j.scratch_d2);
    if (!nrm || !j.heaps || !j.G || !j.scratch_idx || !j.scratch_d2) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory for the neighbour search");
        goto done;
    }
    for (; nheaps < want; nheaps++)
        if (knn_heap_init(&j.heaps[nheaps], k, dim)) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory for the neighbour search");
            goto done;
        }
    for (size_t i = 0; i < n; i++)
        nrm[i] = cblas_ddot((int)dim, x + i * dim, 1, x + i * dim, 1);
    atomic_init(&j.stop, 0);
    hs_par_progress_init(&j.prog, task, n, "nearest neighbours", true);
    int prev = knn_blas_threads(1);
    if (hs_par_run((n + KNN_QBLOCK - 1) / KNN_QBLOCK, nth, brute_part, &j) != HS_OK)
        rc = hs_err_set(err, HS_ECANCELLED, "nearest neighbours cancelled");
    knn_blas_threads(prev);
done:
    for (size_t s = 0; s < nheaps; s++)
        knn_heap_release(&j.heaps[s]);
    hs_free(j.heaps);
    hs_free(j.G);
    hs_free(j.scratch_idx);
    hs_free(j.scratch_d2);
    hs_free(nrm);
    return rc;
}

int
knn_check(const double *x, size_t n, size_t dim, size_t k, struct hs_err *err)
{
    if (n < 2 || k < 1 || k > n - 1)
        return hs_err_set(err, HS_EUSAGE,
                          "nearest neighbours: k = %zu, but each of the %zu points has %zu "
                          "others: k must be from 1 to %zu",
                          k, n, n ? n - 1 : 0, n > 1 ? n - 1 : 0);
    if (dim < 1)
        return hs_err_set(err, HS_EUSAGE, "nearest neighbours: the points have no coordinates");
    for (size_t i = 0; i < n * dim; i++)
        if (!isfinite(x[i]))
            return hs_err_set(err, HS_EDATA,
                              "nearest neighbours: point %zu has a coordinate that is not a "
                              "finite number (%g)",
                              i / dim + 1, x[i]);
    return HS_OK;
}

int
hs_knn_exact(const double *x, size_t n, size_t dim, size_t k, size_t *idx, double *dist,
             int threads, const struct hs_task *task, struct hs_err *err)
{
    struct knn_out o = {.idx = idx, .dist = dist};
    return knn_exact(x, n, dim, k, &o, threads, task, err);
}

int
hs_knn_exact32(const double *x, size_t n, size_t dim, size_t k, uint32_t *idx, double *dist,
               int threads, const struct hs_task *task, struct hs_err *err)
{
    struct knn_out o = {.idx32 = idx, .dist = dist};
    if (n > UINT32_MAX)
        return hs_err_set(err, HS_ERANGE, "nearest neighbours: at most %u points, not %zu",
                          UINT32_MAX, n);
    return knn_exact(x, n, dim, k, &o, threads, task, err);
}

int
knn_exact(const double *x, size_t n, size_t dim, size_t k, const struct knn_out *o, int threads,
          const struct hs_task *task, struct hs_err *err)
{
    struct knn_tree tree;
    struct knn_job j = {.k = k, .out = o, .task = task};
    int nth = threads > 0 ? threads : hs_par_threads(), rc = HS_OK;
    size_t nheaps = 0;

    if ((rc = knn_check(x, n, dim, k, err)))
        return rc;
    if (dim > KNN_TREE_MAXDIM)
        return knn_brute(x, n, dim, k, o, nth, task, err);
    if (knn_tree_build(&tree, x, n, dim))
        return hs_err_set(err, HS_ENOMEM, "out of memory building the neighbour tree");
    j.tree = &tree;
    j.heaps = hs_calloc((size_t)nth, sizeof *j.heaps);
    j.scratch_idx = hs_malloc((size_t)nth * k * sizeof *j.scratch_idx);
    j.scratch_d2 = hs_malloc((size_t)nth * k * sizeof *j.scratch_d2);
    if (!j.heaps || !j.scratch_idx || !j.scratch_d2) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory for the neighbour search");
        goto done;
    }
    for (; nheaps < (size_t)nth; nheaps++)
        if (knn_heap_init(&j.heaps[nheaps], k, dim)) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory for the neighbour search");
            goto done;
        }
    if (hs_task_cancelled(task)) {
        rc = hs_err_set(err, HS_ECANCELLED, "nearest neighbours cancelled");
        goto done;
    }
    atomic_init(&j.stop, 0);
    hs_par_progress_init(&j.prog, task, n, "nearest neighbours", true);
    if (hs_par_run((n + KNN_BLOCK - 1) / KNN_BLOCK, nth, knn_part, &j) != HS_OK)
        rc = hs_err_set(err, HS_ECANCELLED, "nearest neighbours cancelled");
done:
    for (size_t s = 0; s < nheaps; s++)
        knn_heap_release(&j.heaps[s]);
    hs_free(j.heaps);
    hs_free(j.scratch_idx);
    hs_free(j.scratch_d2);
    knn_tree_release(&tree);
    return rc;
}

/* knn.c: exact k nearest neighbours of every point (knn.h).
 *
 * One k-d tree (knn_tree.c) over all the points, queried for each point
 * in tree order, so that consecutive queries walk the same leaves.  The
 * queries are split into blocks run as par.h parts; each writes its own
 * rows of the answer, so the result cannot depend on the thread count.
 *
 * Measured against FLANN (its exact single k-d tree and its randomised
 * forest) and blocked brute force on the shapes of this field: see
 * bench/RESULTS.md, "k nearest neighbours".
 */
#include "config.h"

#include "knn.h"

#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "knn_tree.h"
#include "mem.h"
#include "par.h"

/* Queries per part: a few milliseconds of work for k near 100 in 20
 * dimensions, so the cancel flag is seen well within 100 ms. */
#define KNN_BLOCK 64

struct knn_job {
    const struct knn_tree *tree;
    size_t k;
    size_t *idx;
    double *dist;
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
        for (size_t m = 0; m < k; m++) {
            j->idx[row * k + m] = ti[m];
            if (j->dist)
                j->dist[row * k + m] = sqrt(td[m]);
        }
    }
    hs_par_progress_add(&j->prog, hi - lo);
    return HS_OK;
}

int
hs_knn_exact(const double *x, size_t n, size_t dim, size_t k, size_t *idx, double *dist,
             int threads, const struct hs_task *task, struct hs_err *err)
{
    struct knn_tree tree;
    struct knn_job j = {.k = k, .idx = idx, .dist = dist, .task = task};
    int nth = threads > 0 ? threads : hs_par_threads(), rc = HS_OK;
    size_t nheaps = 0;

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

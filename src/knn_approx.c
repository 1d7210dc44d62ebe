/* knn_approx.c: approximate k nearest neighbours (knn.h).
 *
 * Candidates first from KNN_TREES random projection trees: each node
 * splits its points by the hyperplane halfway between two of them drawn
 * at random, down to leaves of at most KNN_LEAF points, and every pair
 * of leaf mates is measured.  Then KNN_ROUNDS rounds of NN-descent: each
 * point measures the nearest KNN_JOIN neighbours of its nearest KNN_JOIN
 * neighbours (read from the lists as the round began, so each point's
 * list is written by its own part only).  The lists live in the answer's
 * own arrays as bounded heaps (squared distance, row) and are sorted at
 * the end.
 *
 * Determinism: the trees are drawn from the seed one after another; the
 * leaves of a tree are handled as parts in any order, but a point lies
 * in one leaf per tree, so the order of the offers to its list is fixed.
 */
#include "config.h"

#include "knn.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "knn_tree.h"
#include "mem.h"
#include "par.h"
#include "rng.h"

#define KNN_TREES 4
#define KNN_ROUNDS 2
#define KNN_JOIN 16
/* Leaves hold at most this many points (and at least k + 1 when k is larger). */
#define KNN_LEAF 256
/* Points (or leaves) per part. */
#define KNN_APPROX_BLOCK 256

struct approx {
    const double *x;
    size_t n, dim, k, leaf;
    size_t *idx;      /* heaps: n x k rows */
    double *d2;       /* n x k squared distances */
    uint32_t *cnt;    /* n: entries in each heap */
    size_t *perm;     /* one tree's order of the points */
    size_t *leaves;   /* its leaves' starts, and n at the end */
    size_t nleaves;
    uint32_t *snap;   /* n x KNN_JOIN: the lists at a round's start */
    const struct hs_task *task;
    atomic_int stop;
};

static void
offer(struct approx *a, size_t i, size_t j, double d2)
{
    struct knn_heap h = {.k = a->k, .size = a->cnt[i], .d2 = a->d2 + i * a->k,
                         .id = a->idx + i * a->k};
    if (d2 > knn_heap_worst(&h))
        return;
    for (size_t m = 0; m < h.size; m++)
        if (h.id[m] == j)
            return;
    knn_heap_offer(&h, d2, j);
    a->cnt[i] = (uint32_t)h.size;
}

/* One tree: perm reordered so that each leaf is a range. */
static int
build_tree(struct approx *a, struct hs_rng *r, size_t *stack, size_t *cap)
{
    size_t top = 0, dim = a->dim;
    a->nleaves = 0;
    for (size_t i = 0; i < a->n; i++)
        a->perm[i] = i;
    stack[top++] = 0;
    stack[top++] = a->n;
    while (top) {
        size_t hi = stack[--top], lo = stack[--top], m = hi - lo;
        if (m <= a->leaf) {
            a->leaves[a->nleaves++] = lo;
            continue;
        }
        const double *p = a->x + a->perm[lo + hs_rng_below(r, m)] * dim;
        const double *q = a->x + a->perm[lo + hs_rng_below(r, m)] * dim;
        double off = 0;
        for (size_t c = 0; c < dim; c++)
            off += (p[c] - q[c]) * (p[c] + q[c]) / 2;
        size_t s = lo;
        for (size_t t = lo; t < hi; t++) {
            const double *v = a->x + a->perm[t] * dim;
            double side = -off;
            for (size_t c = 0; c < dim; c++)
                side += v[c] * (p[c] - q[c]);
            if (side > 0) {
                size_t tmp = a->perm[s];
                a->perm[s++] = a->perm[t];
                a->perm[t] = tmp;
            }
        }
        /* Coincident points (or the same point drawn twice): halve. */
        if (s - lo < m / 8 || hi - s < m / 8)
            s = lo + m / 2;
        if (hs_grow((void **)&stack, cap, top + 4, sizeof *stack))
            return -1;
        stack[top++] = s;
        stack[top++] = hi;
        stack[top++] = lo;
        stack[top++] = s;
    }
    a->leaves[a->nleaves] = a->n;
    return 0;
}

static int
check_stop(struct approx *a)
{
    if (atomic_load(&a->stop) || hs_task_cancelled(a->task)) {
        atomic_store(&a->stop, 1);
        return 1;
    }
    return 0;
}

static int
leaf_part(void *ctx, size_t part)
{
    struct approx *a = ctx;
    if (check_stop(a))
        return HS_ECANCELLED;
    size_t l0 = part * 16, l1 = l0 + 16;
    for (size_t l = l0; l < l1 && l < a->nleaves; l++)
        for (size_t s = a->leaves[l]; s < a->leaves[l + 1]; s++)
            for (size_t t = a->leaves[l]; t < a->leaves[l + 1]; t++) {
                size_t i = a->perm[s], j = a->perm[t];
                if (i != j)
                    offer(a, i, j, hs_knn_sqdist(a->x + i * a->dim, a->x + j * a->dim, a->dim));
            }
    return HS_OK;
}

/* The nearest KNN_JOIN of each list as it stands (heaps are not sorted:
 * a partial selection of the heap's entries). */
static int
snap_part(void *ctx, size_t part)
{
    struct approx *a = ctx;
    size_t lo = part * KNN_APPROX_BLOCK, hi = lo + KNN_APPROX_BLOCK < a->n ? lo + KNN_APPROX_BLOCK : a->n;
    size_t J = a->k < KNN_JOIN ? a->k : KNN_JOIN;
    for (size_t i = lo; i < hi; i++) {
        const double *d = a->d2 + i * a->k;
        const size_t *id = a->idx + i * a->k;
        uint32_t *out = a->snap + i * KNN_JOIN;
        double bd[KNN_JOIN];
        size_t got = 0;
        for (size_t m = 0; m < a->cnt[i]; m++) {
            if (got == J && !(d[m] < bd[J - 1] || (d[m] == bd[J - 1] && id[m] < out[J - 1])))
                continue;
            size_t at = got < J ? got++ : J - 1;
            while (at > 0 && (d[m] < bd[at - 1] || (d[m] == bd[at - 1] && id[m] < out[at - 1]))) {
                bd[at] = bd[at - 1];
                out[at] = out[at - 1];
                at--;
            }
            bd[at] = d[m];
            out[at] = (uint32_t)id[m];
        }
        for (; got < KNN_JOIN; got++)
            out[got] = UINT32_MAX;
    }
    return HS_OK;
}

static int
join_part(void *ctx, size_t part)
{
    struct approx *a = ctx;
    if (check_stop(a))
        return HS_ECANCELLED;
    size_t lo = part * KNN_APPROX_BLOCK, hi = lo + KNN_APPROX_BLOCK < a->n ? lo + KNN_APPROX_BLOCK : a->n;
    for (size_t i = lo; i < hi; i++)
        for (size_t u = 0; u < KNN_JOIN && a->snap[i * KNN_JOIN + u] != UINT32_MAX; u++) {
            size_t j = a->snap[i * KNN_JOIN + u];
            for (size_t v = 0; v < KNN_JOIN && a->snap[j * KNN_JOIN + v] != UINT32_MAX; v++) {
                size_t l = a->snap[j * KNN_JOIN + v];
                if (l != i)
                    offer(a, i, l, hs_knn_sqdist(a->x + i * a->dim, a->x + l * a->dim, a->dim));
            }
        }
    return HS_OK;
}

/* Each heap sorted into the answer: (squared distance, row) order, then
 * distances. */
static int
finish_part(void *ctx, size_t part)
{
    struct approx *a = ctx;
    size_t lo = part * KNN_APPROX_BLOCK, hi = lo + KNN_APPROX_BLOCK < a->n ? lo + KNN_APPROX_BLOCK : a->n;
    for (size_t i = lo; i < hi; i++) {
        /* A list the trees and joins left short (a point in a small
         * leaf with few neighbours of neighbours): every point offered. */
        for (size_t j = 0; a->cnt[i] < a->k && j < a->n; j++)
            if (j != i)
                offer(a, i, j, hs_knn_sqdist(a->x + i * a->dim, a->x + j * a->dim, a->dim));
        struct knn_heap h = {.k = a->k, .size = a->cnt[i], .d2 = a->d2 + i * a->k,
                             .id = a->idx + i * a->k};
        size_t ti[KNN_LEAF], m = h.size;
        double td[KNN_LEAF];
        /* Drain writes from the back; the heap's own arrays are the source. */
        knn_heap_drain(&h, ti, td);
        memcpy(a->idx + i * a->k, ti, m * sizeof *ti);
        for (size_t c = 0; c < m; c++)
            a->d2[i * a->k + c] = sqrt(td[c]);
    }
    return HS_OK;
}

int
hs_knn_approx(const double *x, size_t n, size_t dim, size_t k, uint64_t seed, size_t *idx,
              double *dist, int threads, const struct hs_task *task, struct hs_err *err)
{
    int nth = threads > 0 ? threads : hs_par_threads(), rc = HS_OK;
    size_t scap = 64, npart = (n + KNN_APPROX_BLOCK - 1) / KNN_APPROX_BLOCK;
    struct approx a = {.x = x, .n = n, .dim = dim, .k = k, .idx = idx, .task = task};
    struct hs_rng r;

    /* Small sets, or lists too long for the leaves: the exact search. */
    if (n <= 4 * KNN_LEAF || k + 1 > KNN_LEAF / 2 || n > UINT32_MAX - 1)
        return hs_knn_exact(x, n, dim, k, idx, dist, threads, task, err);
    if ((rc = knn_check(x, n, dim, k, err)))
        return rc;
    a.leaf = KNN_LEAF;
    a.d2 = dist ? dist : hs_malloc(n * k * sizeof *a.d2);
    a.cnt = hs_calloc(n, sizeof *a.cnt);
    a.perm = hs_malloc(n * sizeof *a.perm);
    a.leaves = hs_malloc((n / (KNN_LEAF / 8) + 2) * sizeof *a.leaves);
    a.snap = hs_malloc(n * KNN_JOIN * sizeof *a.snap);
    size_t *stack = hs_malloc(scap * sizeof *stack);
    if (!a.d2 || !a.cnt || !a.perm || !a.leaves || !a.snap || !stack) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory for the neighbour search");
        goto done;
    }
    atomic_init(&a.stop, 0);
    hs_rng_seed(&r, seed);
    for (int t = 0; t < KNN_TREES && rc == HS_OK; t++) {
        if (build_tree(&a, &r, stack, &scap)) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory for the neighbour search");
            break;
        }
        if (hs_par_run((a.nleaves + 15) / 16, nth, leaf_part, &a))
            rc = hs_err_set(err, HS_ECANCELLED, "nearest neighbours cancelled");
        hs_task_progress(task, 0.5 * (t + 1) / KNN_TREES, "nearest neighbours");
    }
    for (int round = 0; round < KNN_ROUNDS && rc == HS_OK; round++) {
        hs_par_run(npart, nth, snap_part, &a);
        if (hs_par_run(npart, nth, join_part, &a))
            rc = hs_err_set(err, HS_ECANCELLED, "nearest neighbours cancelled");
        hs_task_progress(task, 0.5 + 0.5 * (round + 1) / KNN_ROUNDS, "nearest neighbours");
    }
    if (rc == HS_OK)
        hs_par_run(npart, nth, finish_part, &a);
done:
    if (a.d2 != dist)
        hs_free(a.d2);
    hs_free(a.cnt);
    hs_free(a.perm);
    hs_free(a.leaves);
    hs_free(a.snap);
    hs_free(stack);
    return rc;
}

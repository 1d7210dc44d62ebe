/* knn_tree.h: the k-d tree behind hs_knn_exact (knn.c), shared with the
 * trustworthiness measure and the benchmarks.
 *
 * Friedman, Bentley and Finkel's tree: each node splits its points at
 * the median of the coordinate of widest spread, leaves hold at most
 * KNN_LEAF points.  The points are copied in tree order so that a leaf
 * is contiguous in memory.  A search descends to the nearer child first
 * and visits the farther one only when the box it covers may hold a
 * point no farther than the current k-th (Arya and Mount's incremental
 * distance to the box), so the answer is exact, ties included.
 */
#ifndef HS_KNN_TREE_H
#define HS_KNN_TREE_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "task.h"

struct knn_node {
    size_t lo, hi;       /* the points [lo, hi) in tree order */
    size_t left, right;  /* children; 0 for a leaf (the root is node 0) */
    size_t split;        /* the coordinate */
    double value;        /* the median: left holds coordinates <= value */
};

struct knn_tree {
    size_t n, dim;
    double *xs;          /* n x dim, in tree order */
    size_t *perm;        /* n: tree position -> row */
    struct knn_node *node;
    size_t nnodes;
};

/* A search's scratch: the bounded max-heap of the best k so far (squared
 * distance, row) and the per-coordinate offsets of the incremental box
 * distance. */
struct knn_heap {
    size_t k, size;
    double *d2;
    size_t *id;
    double *off;
};

/* Where a search writes its answer: row indices as size_t or as 32-bit
 * ones (half the memory, for t-SNE's n x 90 lists), distances (may be
 * NULL). */
struct knn_out {
    size_t *idx;
    uint32_t *idx32;
    double *dist;
};

/* Row `row`'s k neighbours from ti and their squared distances td2. */
static inline void
knn_out_row(const struct knn_out *o, size_t row, size_t k, const size_t *ti, const double *td2)
{
    for (size_t m = 0; m < k; m++) {
        if (o->idx)
            o->idx[row * k + m] = ti[m];
        else
            o->idx32[row * k + m] = (uint32_t)ti[m];
        if (o->dist)
            o->dist[row * k + m] = sqrt(td2[m]);
    }
}

/* The searches behind hs_knn_exact and hs_knn_approx (knn.h), writing
 * into o. */
int knn_exact(const double *x, size_t n, size_t dim, size_t k, const struct knn_out *o,
              int threads, const struct hs_task *task, struct hs_err *err);
int knn_approx(const double *x, size_t n, size_t dim, size_t k, uint64_t seed,
               const struct knn_out *o, int threads, const struct hs_task *task,
               struct hs_err *err);

/* OpenBLAS's own threads, set to n (when n > 0) for the GEMMs inside
 * par.h parts; returns the previous count (0 without OpenBLAS). */
int knn_blas_threads(int n);

/* hs_knn_exact's checks of its arguments: HS_OK, HS_EUSAGE or HS_EDATA. */
int knn_check(const double *x, size_t n, size_t dim, size_t k, struct hs_err *err);

/* HS_OK or HS_ENOMEM. */
int knn_tree_build(struct knn_tree *t, const double *x, size_t n, size_t dim);
void knn_tree_release(struct knn_tree *t);

int knn_heap_init(struct knn_heap *h, size_t k, size_t dim);
void knn_heap_release(struct knn_heap *h);

/* Offer a candidate (squared distance, row): kept when the heap has
 * room or it comes before the worst kept in (d2, row) order. */
void knn_heap_offer(struct knn_heap *h, double d2, size_t id);
/* The k-th squared distance kept, infinite while fewer are kept. */
double knn_heap_worst(const struct knn_heap *h);
/* Empty the heap into idx and d2, nearest first. */
void knn_heap_drain(struct knn_heap *h, size_t *idx, double *d2);

/* The k nearest rows of t to q, leaving out row `self` (SIZE_MAX for
 * none), into idx and squared distances d2, nearest first, ties by the
 * lower row. */
void knn_tree_query(const struct knn_tree *t, const double *q, size_t self, struct knn_heap *h,
                    size_t *idx, double *d2);

#endif

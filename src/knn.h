/* knn.h: the k nearest neighbours of every point of a set, for t-SNE's
 * affinities, UMAP's graph and the trustworthiness measure.
 *
 * Points are the rows of a row-major n x dim array.  A point's
 * neighbours are the k other points closest to it in Euclidean distance,
 * nearest first, ties broken by the lower index; the point itself is
 * never among them, but a duplicate of it (another row with the same
 * values) is, at distance 0.  Distances are Euclidean, not squared.
 * The result depends on the data alone, never on the thread count.
 */
#ifndef HS_KNN_H
#define HS_KNN_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "task.h"

/* The squared Euclidean distance of two points of dim coordinates, summed
 * in coordinate order (the distance every search here ranks by). */
static inline double
hs_knn_sqdist(const double *a, const double *b, size_t dim)
{
    double s = 0;
    for (size_t c = 0; c < dim; c++)
        s += (a[c] - b[c]) * (a[c] - b[c]);
    return s;
}

/* The exact k nearest neighbours of every point: idx[i * k + j] is the
 * j-th neighbour of point i and dist[i * k + j] its distance (dist may be
 * NULL).  1 <= k <= n - 1, else HS_EUSAGE; a non-finite coordinate is
 * HS_EDATA; HS_ENOMEM; HS_ECANCELLED within 100 ms of the task's flag
 * (idx and dist are then partly written).  threads: hs_par_threads()
 * when 0. */
int hs_knn_exact(const double *x, size_t n, size_t dim, size_t k, size_t *idx, double *dist,
                 int threads, const struct hs_task *task, struct hs_err *err);


/* Approximate k nearest neighbours, for many points: the same answer's
 * form as hs_knn_exact (each list sorted, distances exact for the
 * neighbours found), most of the true neighbours found.  Random
 * projection trees (Dasgupta and Freund 2008) propose each point's leaf
 * mates as candidates, then rounds of neighbours-of-neighbours
 * (NN-descent, Dong, Charikar and Li 2011) refine the lists; lists
 * longer than 30 are refined leaf by leaf instead, each leaf against
 * its points' lists' points (knn_approx.c).  Seeded: the same seed and
 * data give the same lists for any thread count.  Errors as
 * hs_knn_exact. */
int hs_knn_approx(const double *x, size_t n, size_t dim, size_t k, uint64_t seed, size_t *idx,
                  double *dist, int threads, const struct hs_task *task, struct hs_err *err);

/* The same two searches with 32-bit row indices (n < 2^32), for long
 * lists of many points (t-SNE's 90 neighbours of a million points:
 * 360 MB of indices instead of 720). */
int hs_knn_exact32(const double *x, size_t n, size_t dim, size_t k, uint32_t *idx, double *dist,
                   int threads, const struct hs_task *task, struct hs_err *err);
int hs_knn_approx32(const double *x, size_t n, size_t dim, size_t k, uint64_t seed,
                    uint32_t *idx, double *dist, int threads, const struct hs_task *task,
                    struct hs_err *err);

#endif

/* kmeans.h: k-means clustering of the standardised features, and the
 * "kmeans" method (HS_METHOD_CLUSTER).
 *
 * Each start seeds its centres by greedy k-means++ (Arthur and
 * Vassilvitskii 2007, with scikit-learn's 2 + ln k candidates per centre,
 * the one that lowers the potential most kept), then runs Lloyd's
 * iterations or Elkan's (the same assignments but for rows nearly as near
 * one centre as another, with triangle-inequality bounds in double that
 * skip most distances: n x k more doubles of memory) until no
 * row changes cluster or the centres move by at most tol in all (summed
 * squared shifts, in units of the mean feature variance: scikit-learn's
 * criterion).  A cluster left empty takes the row farthest from its
 * centre.  The start of least inertia is kept (the first on a tie).
 * Each start draws its own random numbers from the seed and its index.
 * Up to 8 starts run together, sharing their passes over the rows (each
 * block of rows is read from memory once for all of them, which is what
 * these passes of a few distances per row wait for; with Elkan, fewer
 * when their bounds would pass 512 MB), the parts of a pass on the
 * threads: a seed gives the same clusters on any number of threads, and
 * each start the same as it would alone.  k-means++ and Lloyd's
 * assignments compare distances in float (a float copy of the rows, 4
 * bytes a value more); the centres, the sums and the inertia are in
 * double.
 *
 * The parameters: k (1 to 64, default 2), starts (5), seed, algorithm
 * (lloyd|elkan), n (the front end's subsample size, 0 all), max-iter
 * (300), tol (1e-4).  clusters() gives every row with its inputs present
 * the id of its nearest centre, 0 to k - 1 (-1 for a row with a missing
 * input); report.inertia is the summed squared distances of the fitted
 * rows to their centres, in standardised units.
 */
#ifndef HS_KMEANS_H
#define HS_KMEANS_H

#include <stddef.h>

#include "err.h"
#include "method.h"
#include "rng.h"
#include "task.h"

#define HS_KMEANS_MAX_K 64

extern const struct hs_method hs_method_kmeans;

/* Greedy k-means++ seeding: k centres (k x dim, row-major, into centres)
 * chosen among the n rows of xt (column-major: feature j at xt + j n),
 * drawing from rng; idx (k, may be NULL) gets the rows chosen.  Progress
 * from base to base + span.  HS_ENOMEM, HS_ECANCELLED. */
int hs_kmeans_plusplus(const double *xt, size_t n, size_t dim, size_t k, struct hs_rng *rng,
                       int threads, double *centres, size_t *idx, const struct hs_task *task,
                       double base, double span, struct hs_err *err);

/* The centre nearest to row r (dim values) among k, the first on a tie;
 * its squared distance into *d2. */
size_t hs_kmeans_nearest(const double *centres, size_t k, size_t dim, const double *r,
                         double *d2);

/* The centres of a "kmeans" method state after its fit (k x dim, in
 * standardised units), borrowed; NULL before the fit has finished. */
const double *hs_kmeans_centres(void *state, size_t *k, size_t *dim);

#endif

/* trust.h: trustworthiness of an embedding (Venna and Kaski 2001), as
 * scikit-learn's sklearn.manifold.trustworthiness defines it:
 *
 *   T(k) = 1 - 2 / (n k (2n - 3k - 1)) sum_i sum_{j in U_i} max(0, r(i, j) - k)
 *
 * where U_i are the k nearest neighbours of point i in the embedding
 * and r(i, j) is the rank of j among i's neighbours in the input space
 * (1 the nearest, the point itself left out).  1 means every embedded
 * neighbourhood holds only true neighbours.  Distances are Euclidean;
 * equal distances rank by the lower index first.
 *
 * The projections report T(10) on a fixed subsample of at most 5,000 of
 * their points (the same points for every method and run).
 */
#ifndef HS_TRUST_H
#define HS_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "task.h"

#define HS_TRUST_K 10
#define HS_TRUST_MAX_POINTS 5000
/* The subsample's seed: fixed, so that every method is measured on the
 * same points. */
#define HS_TRUST_SEED UINT64_C(0x7472757374)

/* T(k) of the embedding y (n x dy, row-major) of the points x (n x dx),
 * computed on max_points of them drawn with seed (all when n <=
 * max_points; 0: no limit).  HS_EUSAGE unless 1 <= k < m / 2 (m the
 * points used), HS_EDATA for a non-finite value, HS_ENOMEM,
 * HS_ECANCELLED. */
int hs_trustworthiness(const double *x, size_t dx, const double *y, size_t dy, size_t n,
                       size_t k, size_t max_points, uint64_t seed, double *out, int threads,
                       const struct hs_task *task, struct hs_err *err);

#endif

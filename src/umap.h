/* umap.h: UMAP (McInnes, Healy and Melville 2018) as umap-learn 0.5
 * computes it, in parts that the tests check one by one:
 *
 *   umap_graph.c  smooth kNN distances and the fuzzy union of the graph
 *   umap_ab.c     the curve 1 / (1 + a d^2b) fitted from min_dist, spread
 *   umap_init.c   the initial layout: spectral, PCA or random
 *   umap_sgd.c    the layout's optimisation by SGD with negative sampling
 *   umap_method.c the "umap" method (method.h) that strings them together
 *
 * Neighbours are counted as umap-learn counts n_neighbors: the point
 * itself is the first of its k neighbours, at distance 0.  The arrays
 * here hold the k - 1 others (hs_knn_exact's output), the point itself
 * being implicit.
 */
#ifndef HS_UMAP_H
#define HS_UMAP_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "method.h"
#include "spectral.h"
#include "task.h"

/* ---- the fuzzy graph (umap_graph.c) ---- */

/* Per point, rho (the distance to the nearest neighbour at a positive
 * distance) and sigma: the bisection of umap-learn's smooth_knn_dist on
 * sum over the k - 1 others of exp(-max(d - rho, 0) / sigma) = log2(k),
 * 64 halvings at most, stopping within 1e-5; then sigma is raised to at
 * least 1e-3 of the mean distance to the k neighbours (self included),
 * or of the mean over all points when rho is 0.  dist: n x (k - 1). */
void hs_umap_smooth_knn(const double *dist, size_t n, size_t k, double *rho, double *sigma);

/* The symmetric fuzzy graph of the kNN graph: memberships
 * a_ij = exp(-max(d_ij - rho_i, 0) / sigma_i) of each point's k - 1
 * neighbours, then the fuzzy union A + A^T - A o A^T, rows in column
 * order, without zero entries.  idx, dist: n x (k - 1).  n < 2^32.
 * HS_ENOMEM, HS_EUSAGE for n too large. */
int hs_umap_fuzzy_graph(const size_t *idx, const double *dist, size_t n, size_t k,
                        struct hs_csr *g, struct hs_err *err);

/* ---- the output curve (umap_ab.c) ---- */

/* a and b of 1 / (1 + a x^2b) fitted by nonlinear least squares to
 * exp(-(x - min_dist) / spread) for x >= min_dist and 1 below, on 300
 * points of [0, 3 spread] (umap-learn's find_ab_params: scipy's
 * curve_fit from a = b = 1).  HS_EUSAGE for spread <= 0 or min_dist
 * outside [0, spread]; HS_EDATA when the fit does not converge. */
int hs_umap_fit_ab(double spread, double min_dist, double *a, double *b, struct hs_err *err);

/* ---- the initial layout (umap_init.c) ---- */

enum hs_umap_init { HS_UMAP_INIT_SPECTRAL, HS_UMAP_INIT_PCA, HS_UMAP_INIT_RANDOM };

/* The starting layout y (n x dim, row-major) as umap-learn makes it:
 * spectral (spectral.h), or PCA of x (n x nin, row-major) when asked or
 * when the graph is not connected (*used says which ran), each scaled so
 * that its largest coordinate is 10 in absolute value plus Gaussian noise
 * of sd 1e-4; or uniform in [-10, 10]; then every coordinate mapped
 * linearly onto [0, 10].  HS_ENOMEM, HS_ECANCELLED, HS_EDATA. */
int hs_umap_init_layout(enum hs_umap_init init, const struct hs_csr *g, const double *x,
                        size_t nin, size_t dim, uint64_t seed, int threads, double *y,
                        enum hs_umap_init *used, const struct hs_task *task, struct hs_err *err);

/* The projection of x (n x nin, row-major) onto its dim leading principal
 * components (pca.h's fit: the covariance about the mean), into y (n x dim;
 * components beyond nin are 0). */
int hs_umap_pca(const double *x, size_t n, size_t nin, size_t dim, double *y,
                struct hs_err *err);

/* ---- the optimisation (umap_sgd.c) ---- */

struct hs_umap_sgd;

/* An optimiser of layout y (n x dim, copied) for graph g (borrowed for
 * its life): edges lighter than max / epochs never sampled, the others
 * every max / w epochs, `negative` negative samples per positive one,
 * learning rate 1 falling linearly to 0 over `epochs`.  HS_ENOMEM. */
int hs_umap_sgd_new(const struct hs_csr *g, const double *y, size_t dim, double a, double b,
                    size_t epochs, size_t negative, uint64_t seed, struct hs_umap_sgd **out,
                    struct hs_err *err);
void hs_umap_sgd_free(struct hs_umap_sgd *s);

/* Run up to count more epochs (fewer at the last) on `threads` threads,
 * which also cut the points into slices (umap_sgd.c): the layout depends
 * on the seed and, from 8,192 points on, the thread count.  HS_ECANCELLED
 * leaves the layout as the last whole epoch left it. */
int hs_umap_sgd_run(struct hs_umap_sgd *s, size_t count, int threads, const struct hs_task *task,
                    struct hs_err *err);
size_t hs_umap_sgd_epoch(const struct hs_umap_sgd *s);
/* The current layout (n x dim) into y. */
void hs_umap_sgd_layout(const struct hs_umap_sgd *s, double *y);
/* The fuzzy-set cross-entropy of the current layout per point: over the
 * graph's edges of up to 8,192 points spread evenly over the numbers
 * (every point below that), and over the other ordered pairs from 5
 * seeded random pairs per such point, scaled to all.  This is the objective
 * UMAP states; SGD with negative sampling does not minimise it exactly
 * (Damrich and Hamprecht 2021), so late in a fit, as clusters tighten,
 * it may rise a little. */
double hs_umap_sgd_loss(const struct hs_umap_sgd *s, int threads);
/* The optimiser's pull (push 0) or push (push 1) coefficient at squared
 * distance d2 > 0 as the epochs use it (from a table), for the tests. */
float hs_umap_sgd_coef(const struct hs_umap_sgd *s, int push, float d2);

/* ---- the method (umap_method.c) ---- */

extern const struct hs_method hs_method_umap;

#endif

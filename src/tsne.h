/* tsne.h: t-distributed stochastic neighbour embedding (van der Maaten
 * and Hinton 2008), with the Barnes-Hut gradient of van der Maaten (2014)
 * and the FFT-accelerated interpolation of Linderman et al. (2019, the
 * FIt-SNE method), behind the "tsne" method (tsne_method.c).
 *
 * The pieces, each in its own file and tested on its own:
 *   tsne_affin.c  the input similarities P: each point's conditional
 *                 Gaussian over its 3 x perplexity nearest neighbours
 *                 (knn.h), its bandwidth found by bisection so that the
 *                 entropy is log(perplexity), then P = (P + P^T) / 2n;
 *   tsne_bh.c     the repulsive forces by a Barnes-Hut tree (any of 1 to
 *                 3 output dimensions);
 *   tsne_fft.c    the same by polynomial interpolation on an equispaced
 *                 grid and FFT convolution (FFTW), for 1 or 2 dimensions;
 *   tsne_opt.c    the gradient descent: early exaggeration, momentum,
 *                 gains, the KL divergence.
 *
 * Notation.  w_ij = 1 / (1 + |y_i - y_j|^2), Z = sum over i != j of
 * w_ij, q_ij = w_ij / Z.  The gradient of KL(P || Q) is
 *   dC/dy_i = 4 (a sum_j p_ij w_ij (y_i - y_j) - sum_j w_ij^2 (y_i - y_j) / Z)
 * with a the exaggeration; "attraction" is the first sum, "repulsion"
 * the second before the division by Z.
 */
#ifndef HS_TSNE_H
#define HS_TSNE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "method.h"
#include "task.h"

extern const struct hs_method hs_method_tsne;

/* ---- affinities (tsne_affin.c) ---- */

/* The symmetric joint probabilities, sparse: row i holds the columns
 * col[rowptr[i] .. rowptr[i+1]) in increasing order, with values val;
 * the values of the whole matrix sum to 1. */
struct hs_tsne_p {
    size_t n;
    size_t *rowptr; /* n + 1 */
    uint32_t *col;
    double *val;
};

/* Each row's conditional probabilities from its k neighbours' distances
 * (Euclidean, nearest first, as knn.h gives them): p[i*k + j] is
 * proportional to exp(-beta_i dist[i*k + j]^2), sums to 1 over the row,
 * and beta_i is set by bisection so that the row's entropy (natural log)
 * is log(perplexity) (to 1e-10, or as near as the distances allow).
 * HS_ECANCELLED. */
int hs_tsne_calibrate(const double *dist, size_t n, size_t k, double perplexity, double *p,
                      int threads, const struct hs_task *task, struct hs_err *err);

/* P = (C + C^T) / 2n from the conditional probabilities c of the rows'
 * neighbours idx (n x k).  HS_ENOMEM. */
int hs_tsne_symmetrize(const size_t *idx, const double *c, size_t n, size_t k,
                       struct hs_tsne_p *P, int threads, struct hs_err *err);

/* The whole step: k = floor(3 perplexity) (at most n - 1) neighbours of
 * the rows of x (n x dim), calibrated and symmetrised.  The neighbours
 * are exact up to HS_TSNE_EXACT_KNN points, approximate (knn.h, drawn
 * with seed) above.  HS_EDATA when n - 1 <= perplexity, HS_ENOMEM,
 * HS_ECANCELLED. */
#define HS_TSNE_EXACT_KNN 50000
int hs_tsne_affinities(const double *x, size_t n, size_t dim, double perplexity, uint64_t seed,
                       struct hs_tsne_p *P, int threads, const struct hs_task *task,
                       struct hs_err *err);

void hs_tsne_p_release(struct hs_tsne_p *P);

/* ---- forces ---- */

/* attr (n x d) = sum_j p_ij w_ij (y_i - y_j); with plogw non-NULL also
 * sum p_ij log w_ij (for the KL divergence).  Split into fixed blocks of
 * rows, so the sums never depend on the thread count. */
void hs_tsne_attraction(const struct hs_tsne_p *P, const double *y, size_t d, double *attr,
                        double *plogw, int threads);

/* P in the optimiser's working form (tsne_opt.c): single-precision
 * values and 32-bit columns, 8 bytes a similarity against 12 (the 2-d
 * attraction streams them all every iteration and is bound by memory),
 * its points renumbered so that a row's columns lie near its own index. */
struct hs_tsne_pc {
    size_t n;
    size_t *rowptr; /* n + 1 */
    uint32_t *col;
    float *val;
};

/* The working form of P with its points renumbered: position k holds
 * point perm[k] (perm NULL: none).  A pc already made for the same P is
 * refilled in place.  -1: out of memory (pc then released). */
int hs_tsne_pc_make(const struct hs_tsne_p *P, const uint32_t *perm, struct hs_tsne_pc *pc);
void hs_tsne_pc_release(struct hs_tsne_pc *pc);

/* from[k]: the k-th of the 2-d points y along a Hilbert curve through
 * their bounding square (ties by index, so the order depends on y's bits
 * alone).  -1: out of memory. */
int hs_tsne_hilbert_order(const double *y, size_t n, uint32_t *from);

/* hs_tsne_attraction for a 2-d map and P in the working form. */
void hs_tsne_attraction_2d(const struct hs_tsne_pc *P, const double *y, double *attr,
                           double *plogw, int threads);

/* rep (n x d) = sum_{j != i} w_ij^2 (y_i - y_j) and *Z = sum_{i != j} w_ij,
 * by a Barnes-Hut tree over y (n x d, 1 <= d <= 3) with opening angle
 * theta (0: exact).  HS_ENOMEM, HS_ECANCELLED. */
int hs_tsne_repulsion_bh(const double *y, size_t n, size_t d, double theta, double *rep,
                         double *Z, int threads, const struct hs_task *task, struct hs_err *err);

/* The same by FIt-SNE's interpolation (d = 1 or 2): at least min_boxes
 * boxes per dimension (and one per unit of the embedding's extent, but
 * not more than max_boxes), p interpolation nodes per box.  The workspace keeps FFTW's plans and
 * buffers between iterations; NULL-initialised, freed by
 * hs_tsne_fft_release. */
struct hs_tsne_fft;
int hs_tsne_repulsion_fft(struct hs_tsne_fft **ws, const double *y, size_t n, size_t d,
                          size_t min_boxes, size_t max_boxes, size_t p, double *rep, double *Z,
                          int threads,
                          const struct hs_task *task, struct hs_err *err);
void hs_tsne_fft_release(struct hs_tsne_fft *ws);

/* The same sums by a split of the kernels (tsne_split.c, d = 2): the far
 * parts (hs_tsne_far_kernel with u_c = rc^2) by interpolation on a
 * coarser grid, boxes about box units wide with p nodes each (at most
 * max_boxes per side), plus the near parts, (1 + u)^-k less the far
 * kernel, which vanish beyond rc, summed over the pairs closer than rc.
 * HS_ENOMEM, HS_ECANCELLED. */
int hs_tsne_repulsion_split(struct hs_tsne_fft **ws, const double *y, size_t n, double box,
                            size_t p, double rc, size_t max_boxes, double *rep, double *Z,
                            int threads, const struct hs_task *task, struct hs_err *err);

/* The far part of (1 + u)^-power (power 1 or 2) in u = r^2: the kernel
 * itself from u_c on, inside it the quadratic in u matching the kernel
 * and its first two derivatives at u_c (C^2 in u, so smooth at r = 0
 * too, and on a scale of sqrt(u_c) rather than 1). */
double hs_tsne_far_kernel(double u, double uc, int power);

/* hs_tsne_repulsion_fft with one box per `unit` of extent (at least
 * min_boxes, at most max_boxes) and, with uc > 0, the far kernels; Z
 * then lacks each point's own far(0) - 1 (the near sum adds it). */
int hs_tsne_repulsion_fft_far(struct hs_tsne_fft **ws, const double *y, size_t n, size_t d,
                              size_t min_boxes, size_t max_boxes, double unit, size_t p,
                              double uc, double *rep, double *Z, int threads,
                              const struct hs_task *task, struct hs_err *err);

/* ---- the optimiser (tsne_opt.c) ---- */

enum hs_tsne_repulsion { HS_TSNE_BH, HS_TSNE_FFT };

struct hs_tsne_opts {
    size_t dims;             /* of the embedding, 1 to 3 (FFT: 1 or 2) */
    size_t iterations;       /* in all, exaggerated ones included */
    size_t exag_iterations;  /* the first ones, at momentum 0.5 (250) */
    double exaggeration;     /* of P in those (12) */
    double learning_rate;    /* > 0 */
    double theta;            /* Barnes-Hut's opening angle */
    enum hs_tsne_repulsion repulsion;
    int threads;
};

struct hs_tsne_opt {
    struct hs_tsne_opts o;
    const struct hs_tsne_p *P; /* borrowed; NULL once copied (2-d) */
    size_t n, iter;            /* iterations done */
    double *y, *update, *gains, *grad, *attr, *rep; /* n x dims each */
    double *sums;              /* the update's per-block coordinate sums */
    /* 2-d maps: P in the working form and the points renumbered along a
     * Hilbert curve through the map (redone as the map unfolds), so that
     * a point's neighbours in P and in the map lie near it in memory.
     * Inside hs_tsne_opt_run y, update and gains are in that order
     * (position k holds point perm[k]); it returns them in the points'
     * own order.  grad, attr and rep stay in the working order. */
    struct hs_tsne_pc pc;
    uint32_t *perm;            /* NULL: no renumbering (1 or 3 dimensions) */
    double plogp;              /* sum p log p, for the KL */
    double kl;                 /* at the last iteration that computed it; NaN before */
    struct hs_tsne_fft *fft;
    /* Wall seconds spent so far in the repulsion, the attraction and the
     * update (for the benchmark's profile). */
    double secs_rep, secs_attr, secs_update;
};

/* Start from y0 (n x dims, copied).  For 2-d maps P is copied into the
 * working form and s->P set to NULL: the caller may release P then.
 * HS_ENOMEM. */
int hs_tsne_opt_init(struct hs_tsne_opt *s, const struct hs_tsne_p *P, const double *y0,
                     const struct hs_tsne_opts *o, struct hs_err *err);
/* The same, but for 2-d maps P's own arrays become the working form (P
 * is left empty, as released): no second copy of P is ever held.  On
 * an error P is as it was. */
int hs_tsne_opt_init_taking(struct hs_tsne_opt *s, struct hs_tsne_p *P, const double *y0,
                            const struct hs_tsne_opts *o, struct hs_err *err);
/* Run up to count more iterations (never past o.iterations); with
 * want_kl the last one also computes s->kl.  HS_ECANCELLED leaves y as
 * the last whole iteration left it. */
int hs_tsne_opt_run(struct hs_tsne_opt *s, size_t count, bool want_kl, const struct hs_task *task,
                    struct hs_err *err);
void hs_tsne_opt_release(struct hs_tsne_opt *s);

/* Seconds on the monotonic clock. */
double hs_tsne_now(void);

#endif

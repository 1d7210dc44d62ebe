/* gmm.h: Gaussian mixtures of the standardised features fitted by EM, and
 * the "gmm" method (HS_METHOD_CLUSTER | HS_METHOD_COORDS).
 *
 * As scikit-learn's GaussianMixture with init_params='k-means++': each
 * start seeds k centres by greedy k-means++ (kmeans.h), gives every row
 * to its nearest seed and takes the mixture of those groups (weights,
 * means, covariances) as its first parameters; then EM until the mean
 * log-likelihood per row changes by less than tol between two
 * iterations, or max-iter iterations (the seeding pass counted, as
 * scikit-learn counts it).  reg is added to the diagonal of every
 * covariance (reg_covar).  The start whose last E step had the highest
 * log-likelihood is kept (the first on a tie); the starts draw their own
 * random numbers and run side by side (src/starts.h), so that a seed
 * gives the same mixture on any number of threads.  Densities are evaluated
 * through each covariance's Cholesky factor, responsibilities through
 * log-sum-exp.
 *
 * The parameters: k (1 to 64, default 2), covariance (full|diag), starts
 * (5), seed, tol (1e-3), reg (1e-6), max-iter (100), n (the front end's
 * subsample size, 0 all).  clusters() gives every row with its inputs
 * present its most probable component, 0 to k - 1 (-1 for a missing
 * input); coords() the n x k membership probabilities, row-major (NaN for
 * a missing input).  The report: loglik, the log-likelihood of the final
 * parameters summed over the fitted rows (of their standardised
 * features), and nfree, the free parameters (k - 1 weights, k dim means,
 * and k dim (dim + 1) / 2 covariances, or k dim diagonal ones).
 */
#ifndef HS_GMM_H
#define HS_GMM_H

#include <stdbool.h>
#include <stddef.h>

#include "method.h"

#define HS_GMM_MAX_K 64

extern const struct hs_method hs_method_gmm;

/* A fitted mixture, in standardised units. */
struct hs_gmm {
    size_t k, dim;
    bool diag;
    double *weight; /* k */
    double *mean;   /* k x dim */
    double *cov;    /* k x dim x dim (diag: only the diagonal is non-zero) */
    double loglik;  /* summed over the fitted rows */
    size_t n;       /* fitted rows */
    size_t iters;   /* EM iterations of the start kept */
    bool converged; /* it stopped on tol, not on max-iter */
};

/* The fit of a "gmm" method state after its fit, borrowed; NULL before
 * the fit has finished. */
const struct hs_gmm *hs_gmm_of(void *state);

/* The Bayesian and Akaike information criteria of a fit of nfree free
 * parameters with log-likelihood loglik on n rows: -2 loglik + nfree ln n
 * and -2 loglik + 2 nfree (scikit-learn's bic and aic). */
void hs_gmm_criteria(double loglik, size_t nfree, size_t n, double *bic, double *aic);

#endif

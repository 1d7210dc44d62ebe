/* pca.h: principal component analysis of the standardised features, and
 * the "pca" method (HS_METHOD_COORDS).
 *
 * The fit: the covariance of the fitted rows (standardised with their own
 * mean and sd, embed_input.h, so it is their correlation matrix up to the
 * divisor), its symmetric eigen-decomposition by cyclic Jacobi
 * rotations, the components sorted by decreasing variance.  Each
 * component's sign is fixed so that its largest loading in absolute value
 * (the first such, on a tie) is positive: scikit-learn's svd_flip on the
 * components, so coordinates compare with scikit-learn's directly.
 *
 * The method's parameters: `dims` (components to output, 1 to 50, at most
 * the number of features) and `n` (the subsample size the front end fits;
 * 0 all events: the method fits whatever part-0 rows it is given).
 * coords() projects every row with all its inputs present (NaN for the
 * others): n x dims doubles, row-major (row i's coordinates at
 * out[i * dims .. i * dims + dims - 1]).
 */
#ifndef HS_PCA_H
#define HS_PCA_H

#include <stddef.h>

#include "err.h"
#include "method.h"
#include "task.h"

struct hs_pca {
    size_t n;         /* rows fitted */
    size_t dim;       /* features, and components */
    double *variance; /* dim: each component's variance, decreasing (divisor n - 1, as
                         scikit-learn's explained_variance_; 0 for n = 1) */
    double *ratio;    /* dim: variance over the total (explained_variance_ratio_) */
    double *loadings; /* dim x dim, row-major: row c is component c's unit vector of
                         weights on the standardised features */
    double *mean;     /* dim: the fitted rows' mean (subtracted before projecting) */
};

extern const struct hs_method hs_method_pca;

/* PCA of n rows of dim values (row-major; the method passes them
 * standardised), summing over the rows in parallel on `threads` logical
 * threads (0: hs_par_threads) with the same result for any count.
 * HS_EDATA for n < 1 or dim < 1 or a decomposition that fails to
 * converge, HS_ENOMEM, HS_ECANCELLED; *out is filled only on success
 * (release with hs_pca_release). */
int hs_pca_fit(const double *x, size_t n, size_t dim, int threads, struct hs_pca *out,
               const struct hs_task *task, struct hs_err *err);
void hs_pca_release(struct hs_pca *p);

/* Row x (dim values, in the fit's units) projected on the first ncomp
 * components into out. */
void hs_pca_project(const struct hs_pca *p, const double *x, size_t ncomp, double *out);

/* The fit of a "pca" method state (the state hs_method_fit hands back),
 * borrowed until the state is freed; NULL before the fit has finished. */
const struct hs_pca *hs_pca_of(void *state);

#endif

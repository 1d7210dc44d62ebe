/* cluster_range.h: a clustering method fitted over a range of K, with the
 * criteria that choose among them: what `hepscope cluster` and the TUI's
 * clusters view show (ui/clusterfit.h keeps their tables and figures).
 *
 * For each K the method (one of HS_METHOD_CLUSTER: "gmm", "kmeans") is
 * fitted on the same rows with its parameter k set, and its report gives
 * the log-likelihood (summed over the fitted rows; NaN without one), the
 * free parameters, and the inertia; BIC and AIC follow from the
 * log-likelihood (hs_gmm_criteria).  The K chosen is the one of the
 * lowest BIC, the first on a tie; without a likelihood, the last K.
 * The engine's rules: it never prints; progress is reported over the
 * whole range ("K 3 (2 of 4): ..."), and a cancel ends it within the
 * fit's own bound.
 */
#ifndef HS_CLUSTER_RANGE_H
#define HS_CLUSTER_RANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "method.h"
#include "task.h"

#define HS_CLUSTER_MAX_RANGE 64

/* One K's fit. */
struct hs_cluster_kfit {
    size_t k;
    double loglik; /* summed over the fitted events; NaN without a likelihood */
    size_t nfree;
    double inertia;
    double bic, aic; /* NaN without a likelihood */
};

struct hs_cluster_fits {
    const struct hs_method *method;
    size_t n;                              /* fits made, K lo, lo + 1, ... */
    size_t nfit;                           /* events fitted */
    struct hs_cluster_kfit f[HS_CLUSTER_MAX_RANGE];
    void *state[HS_CLUSTER_MAX_RANGE];     /* each fit's state; NULL once freed or given */
    size_t chosen;                         /* the lowest BIC; without a likelihood the last */
};

/* Fit method m with parameters p (their k set to each K in turn, and
 * left at hi) for K = lo..hi (at most HS_CLUSTER_MAX_RANGE values) on
 * the rows of d.  With keep_all every state is kept, else the chosen
 * one only.  HS_EUSAGE for a bad range or parameters (the method's
 * check), the fit's errors prefixed with the method and K, and
 * HS_ECANCELLED ("cancelled: nothing stored") when the task's flag was
 * raised; *out is released on any error. */
int hs_cluster_fit_range(const struct hs_method *m, struct hs_params *p,
                         const struct hs_method_data *d, size_t lo, size_t hi, bool keep_all,
                         struct hs_cluster_fits *out, const struct hs_task *task,
                         struct hs_err *err);
void hs_cluster_fits_release(struct hs_cluster_fits *f);
/* For a front end's pending slot (frees every state, then f). */
void hs_cluster_fits_free(void *f);

#endif

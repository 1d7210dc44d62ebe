/* ks.h: the two-sample Kolmogorov-Smirnov test, for the overtraining
 * check (does the classifier's output on the training events follow the
 * same distribution as on the test events?).
 *
 * D is the largest distance between the two weighted empirical
 * distribution functions; the p-value is Q_KS(sqrt(ne) D) with
 * ne = n1 n2 / (n1 + n2) and, for weighted samples, n the effective size
 * (sum w)^2 / sum w^2, Q_KS being the Kolmogorov distribution's survival
 * function with Stephens' small-sample correction (sqrt(ne) + 0.12 +
 * 0.11 / sqrt(ne)) as Numerical Recipes gives it.  TMVA shows the same
 * test, computed by ROOT on histograms; this one uses every event.
 */
#ifndef HS_KS_H
#define HS_KS_H

#include <stddef.h>

#include "err.h"

/* Q_KS(lambda) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 lambda^2), in [0, 1]. */
double hs_kolmogorov_q(double lambda);

/* Test samples a (na values, weights wa or NULL for 1) and b.  NaN values
 * are left out; events with a weight <= 0, or not finite, too.  HS_EDATA when a sample is
 * empty; HS_ENOMEM. */
int hs_ks_test(const double *a, const double *wa, size_t na, const double *b, const double *wb,
               size_t nb, double *d, double *p, struct hs_err *err);

#endif

/* delong.h: the standard error of a ROC curve's area, by DeLong's method.
 *
 * DeLong, DeLong and Clarke-Pearson (Biometrics 44, 1988) write the area
 * as the mean of structural components: for signal event i,
 * V10(i) = P(score of a background event < score_i) (ties count one
 * half), for background event j, V01(j) = P(score of a signal event >
 * score_j).  The area is the mean of either, and its variance is
 *     var = S10 / m + S01 / n,
 * S10 and S01 the sample variances (divisor m - 1, n - 1) of the m signal
 * and n background components.  The components come from one sort of the
 * scores (Sun and Xu, IEEE Signal Processing Letters 21, 2014: midranks),
 * so the cost is O(N log N), not O(m n).
 *
 * Scores are ranked as in roc.h: NaN (a missing score) ranks below every
 * number and ties with other NaNs, so the area equals hs_roc_from_scores's.
 *
 * Weights: non-negative weights are handled by weighting each component
 * (the area is then the weighted Mann-Whitney statistic) and by Kish's
 * effective counts m_eff = (sum w)^2 / sum w^2 in place of m and n, which
 * is DeLong's formula again for unit weights.  That is an approximation,
 * not a derivation for weighted samples; negative weights are refused
 * (HS_EDATA), since a variance of events that subtract is not defined
 * this way.
 */
#ifndef HS_DELONG_H
#define HS_DELONG_H

#include <stddef.h>

#include "err.h"
#include "task.h"

struct hs_delong {
    double auc;        /* the area (weighted Mann-Whitney statistic) */
    double var;        /* DeLong's variance of it; NaN when a class has fewer than two
                          (effective) events */
    double se;         /* sqrt(var) */
    double m_eff;      /* signal events (Kish's effective count with weights) */
    double n_eff;      /* background events, likewise */
};

/* The area of score's ROC over the rows where mask is non-zero (NULL: all
 * rows), label 1 signal and 0 background (other labels are left out),
 * weight NULL for 1, and its DeLong variance.  HS_EDATA when a class has
 * no event, a weight is negative or NaN, or a class's weights sum to 0;
 * HS_ENOMEM; HS_ECANCELLED (checked between passes and every 64k rows).
 * *out is written only on success. */
int hs_delong_auc(const double *score, const double *label, const double *weight,
                  const unsigned char *mask, size_t n, struct hs_delong *out,
                  const struct hs_task *task, struct hs_err *err);

#endif

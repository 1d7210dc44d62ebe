/* roc_int.h: the sorted cumulative sweep shared by roc.c and signif.c.
 *
 * Not a public interface.  The selected rows (mask non-zero, label 0 or
 * 1) are sorted by score and grouped by distinct value, highest first;
 * cs[k] and cb[k] are the signal and background weights of the events in
 * the k highest distinct values, i.e. those passing "score > val[k]"
 * (with val[nd] read as -inf).  NaN scores never pass: their weight is
 * only in the totals, which are summed in the same order as cs/cb so that
 * tot_s == cs[nd] exactly when there is no NaN-score signal event.
 */
#ifndef HS_ROC_INT_H
#define HS_ROC_INT_H

#include <stddef.h>

#include "err.h"
#include "task.h"

struct hs_roc_sweep {
    size_t nd;           /* distinct non-NaN score values */
    double *val;         /* nd values, descending */
    double *cs, *cb;     /* nd + 1 cumulative weights, cs[0] = cb[0] = 0 */
    double tot_s, tot_b; /* class weight sums, NaN-score events included */
    size_t n_s, n_b;     /* class event counts, NaN-score events included */
    size_t n_nan;        /* events with a NaN score */
    size_t n_nan_s;      /* of which signal */
};

/* Build the sweep; HS_EDATA when a class has no event or a weight sum
 * <= 0, HS_ENOMEM, HS_ECANCELLED.  On failure *sw is left zeroed. */
int hs_roc_sweep_build(const double *score, const double *label, const double *weight,
                       const unsigned char *mask, size_t n, struct hs_roc_sweep *sw,
                       const struct hs_task *task, struct hs_err *err);
void hs_roc_sweep_release(struct hs_roc_sweep *sw);

/* How many distinct values are > t (so cs[k] passes "score > t"). */
size_t hs_roc_sweep_count_above(const struct hs_roc_sweep *sw, double t);

#endif

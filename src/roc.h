/* roc.h: ROC curves, their area, and efficiencies at a working point.
 *
 * A ROC curve is the signal efficiency against the background efficiency
 * of a selection "score > t" as t sweeps (or of a family of cut sets).
 * Here it is a list of points (bkg_eff, sig_eff) with bkg_eff
 * non-decreasing, from (0, 0) to (1, 1).  Plots usually show background
 * rejection 1 - bkg_eff against sig_eff; that is a drawing choice.
 *
 * From scores: events are sorted by score; all events of one score value
 * enter together (one point per distinct value), so ties cost no
 * arbitrary order and the area equals the Mann-Whitney probability
 * P(score_sig > score_bkg) + 1/2 P(equal), weighted.  A missing score
 * (NaN) never passes: such events enter only at the closing (1, 1).
 *
 * From points (the optimiser's efficiency grid): the curve runs through
 * the points' Pareto front, those that no other point beats in both
 * efficiencies (no other has at most its background and at least its
 * signal, one of them strictly), sorted and closed at (0, 0) and (1, 1),
 * so it is monotone in both; the area is the trapezoid rule over the
 * curve as drawn.  The dominated points are kept apart (dom_*), to be
 * shown but not joined.  A single cut set is one point: no area (NaN).
 */
#ifndef HS_ROC_H
#define HS_ROC_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "task.h"

struct hs_roc {
    size_t n;
    double *bkg_eff;   /* n values from 0 to 1, non-decreasing unless negative weights
                          make a step go back */
    double *sig_eff;   /* n values */
    double *thr;       /* n thresholds (score > thr passes) for a score ROC; NULL otherwise */
    double auc;        /* NaN for a single point */
    bool single;       /* one cut set: n is 3, (0, 0), the point, (1, 1) */
    size_t ndom;       /* from points: the working points off the Pareto front */
    double *dom_bkg;   /* ndom values each (NULL when ndom is 0), in the input order */
    double *dom_sig;
};

/* The ROC of score over the rows where mask is non-zero (NULL: all rows),
 * label 1 signal, 0 background (other values and NaN are left out),
 * weights NULL for 1.  Negative weights are used as given (a step of the
 * curve may then go back).  With missing scores the closing point's thr is
 * NaN: no threshold passes them.  A class
 * without events (or with a weight sum <= 0) is HS_EDATA naming it.
 * O(n log n).  Cancellable. */
int hs_roc_from_scores(const double *score, const double *label, const double *weight,
                       const unsigned char *mask, size_t n, struct hs_roc *out,
                       const struct hs_task *task, struct hs_err *err);

/* The ROC through the Pareto front of npts working points (each in
 * [0, 1]^2), closed at (0, 0) and (1, 1), sorted by background efficiency
 * with signal efficiency strictly rising; the dominated points go to
 * dom_* (a repeat of a point on the front is not listed again).  AUC by the trapezoid rule over the front.
 * npts == 1 makes a single point (AUC NaN). */
int hs_roc_from_points(const double *sig_eff, const double *bkg_eff, size_t npts,
                       struct hs_roc *out, struct hs_err *err);

void hs_roc_release(struct hs_roc *r);

/* The background efficiency at signal efficiency s, interpolated linearly
 * between the curve's points (the lowest where the curve is flat at s).
 * NaN for a single point or an empty curve. */
double hs_roc_bkg_at(const struct hs_roc *r, double s);
/* The signal efficiency at background efficiency b, likewise (the
 * highest where the curve is vertical at b).  TMVA's summary table. */
double hs_roc_sig_at(const struct hs_roc *r, double b);

#endif

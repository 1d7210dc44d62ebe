/* plot-importance.h: the figures of `importance` and of the ROC view's
 * importance panel (ui/plot-importance.c). */
#ifndef HS_UI_PLOT_IMPORTANCE_H
#define HS_UI_PLOT_IMPORTANCE_H

#include <stddef.h>

#include "err.h"
#include "plots/figure.h"

/* The first k inputs of order (ranked, largest first) as bars, one per
 * input, named in the legend; sd (NULL: none) as error bars. */
int hs_importance_bar_figure(const char *const *names, const double *value, const double *sd,
                             const size_t *order, size_t k, const char *title,
                             const char *ylabel, struct hs_figure **out, struct hs_err *err);

/* The SHAP summary plot: one row per input (the first k of order, the
 * most important on top), the events' SHAP values along x in nbins bins,
 * each cell coloured by the mean quantile of the input's value among the
 * events there (low to high), empty where no event falls.  phi and x: n
 * rows of nin values (an event's attributions and its input values). */
int hs_importance_summary_figure(const char *const *names, const double *phi, const double *x,
                                 size_t n, size_t nin, const size_t *order, size_t k,
                                 size_t nbins, const char *title, struct hs_figure **out,
                                 struct hs_err *err);

#endif

/* importance.h: how much a model leans on each of its inputs.
 *
 * Permutation importance (Breiman 2001; scikit-learn's
 * permutation_importance) works for any stored model: on held-out events,
 * the drop of the ROC AUC when one input's values are shuffled among the
 * events (its link to the label and to the other inputs broken, its
 * distribution kept), each shuffle repeated with its own seed.  For tree
 * ensembles the total gain of the splits on each input is the trees' own
 * account; the mean |SHAP value| (src/treeshap.h) the third view.
 */
#ifndef HS_IMPORTANCE_H
#define HS_IMPORTANCE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "forest.h"
#include "model.h"
#include "task.h"

/* The AUC drops of model m when input j is shuffled, for each input and
 * repeat: drop[j * repeats + r].  The events are rows[0..n) of the
 * m->nin columns x (NULL rows: 0..n-1), label 1 signal, 0 background,
 * weight NULL for 1.  Repeat r shuffles input j with a stream seeded from
 * (seed + r, j), so a seed gives the same drops on every machine and for
 * any thread count.  base_auc: the AUC unshuffled.  Parallel over
 * (input, repeat) pairs; progress and cancel on task; HS_EDATA when a
 * class has no events, HS_ENOMEM, HS_ECANCELLED. */
int hs_perm_importance(const struct hs_model *m, const double *const *x, const size_t *rows,
                       size_t n, const double *label, const double *weight, size_t repeats,
                       uint64_t seed, int threads, double *base_auc, double *drop,
                       const struct hs_task *task, struct hs_err *err);

/* Mean and standard deviation (over the repeats, divided by their
 * number, as scikit-learn reports it) of each input's drops. */
void hs_perm_summary(const double *drop, size_t nin, size_t repeats, double *mean, double *sd);

/* Per input of f: the summed gain of the splits on it and their count. */
void hs_forest_gain(const struct hs_forest *f, double *gain, size_t *splits);

/* Per input: the mean |phi| of n events' attributions (n rows of nin). */
void hs_shap_mean_abs(const double *phi, size_t n, size_t nin, double *out);

/* The order of nin values, largest first (ties: the lower index first). */
void hs_importance_rank(const double *v, size_t nin, size_t *order);

#endif

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

/* ---- the importance of a stored model, for `importance` and the ROC view ---- */

#include <stdbool.h>
#include <stdint.h>

#include "featureset.h"
#include "forest.h"
#include "model.h"
#include "sessions/models.h"
#include "split.h"
#include "task.h"

enum hs_imp_kind { HS_IMP_SHAP, HS_IMP_PERM, HS_IMP_GAIN, HS_IMP_DEFAULT };

struct hs_imp {
    enum hs_imp_kind kind;       /* what was computed (never HS_IMP_DEFAULT) */
    size_t nin, n;               /* the model's inputs, the test events */
    const char **names;          /* nin input names (the record's strings) */
    size_t *rows;                /* n test rows of the table */
    double *value, *sd;          /* nin: mean |SHAP|, mean AUC drop (sd), or gain (sd NaN) */
    size_t *order;               /* nin input indexes, the most important first */
    double *phi;                 /* shap: n rows of nin SHAP values */
    double base, base_auc;       /* shap: the base value; permutation: the test AUC */
    size_t repeats;
    uint64_t seed;
    struct hs_model *model;
    const struct hs_forest *forest; /* the model's, or NULL */
    struct hs_inputs in;         /* the model's inputs resolved on the feature set */
};

/* The importance of model rec on the test part of sp (the events its
 * evaluation tests: hs_train_model_masks) of fs's table: kind
 * HS_IMP_DEFAULT is shap for a tree ensemble, permutation otherwise;
 * shap and gain on another model are HS_EUSAGE naming its kind.
 * Cancellable; *imp released on failure. */
int hs_imp_compute(struct hs_featureset *fs, const struct hs_split *sp,
                   const struct hs_model_rec *rec, enum hs_imp_kind kind, size_t repeats,
                   uint64_t seed, struct hs_imp *imp, const struct hs_task *task,
                   struct hs_err *err);
void hs_imp_release(struct hs_imp *imp);
/* "shap", "permutation", "gain". */
const char *hs_imp_kind_name(enum hs_imp_kind k);

#endif

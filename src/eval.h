/* eval.h: how well scores separate signal from background, for any
 * method: the ROC figures TMVA reports, the Kolmogorov-Smirnov
 * overtraining check, and k trainings on folds.  It knows scores, labels,
 * weights and masks, nothing of commands or sessions.
 */
#ifndef HS_EVAL_H
#define HS_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "method.h"
#include "roc.h"
#include "task.h"

/* The background efficiencies of TMVA's summary table. */
extern const double hs_eval_bkg_points[3];

struct hs_eval {
    double test_auc, train_auc;
    double test_auc_se;               /* DeLong's standard error of test_auc (src/delong.h);
                                         NaN when it cannot be had (negative weights) */
    double test_bkg95, train_bkg95;   /* background efficiency at 95% signal efficiency */
    double test_sig_at[3];            /* signal efficiency at background efficiency */
    double train_sig_at[3];           /*   hs_eval_bkg_points (TMVA's summary table) */
    double ks_d[2], ks_p[2];          /* [0] signal, [1] background: train vs test outputs;
                                         NaN when a sample is empty */
};

/* The ROC of score over the rows of mask (NULL: all); when a class has
 * no event there, r is empty (n 0, auc NaN) and the call succeeds. */
int hs_eval_roc(const double *score, const double *label, const double *weight,
                const unsigned char *mask, size_t n, struct hs_roc *r,
                const struct hs_task *task, struct hs_err *err);

/* ROC, AUC, bkg at 95% and the TMVA points on the rows of test_mask and
 * of train_mask, the test AUC's DeLong standard error, KS per class
 * between them.  A part without both classes
 * leaves its numbers NaN. */
int hs_eval_scores(const double *score, const double *label, const double *weight,
                   const unsigned char *train_mask, const unsigned char *test_mask, size_t n,
                   struct hs_eval *ev, const struct hs_task *task, struct hs_err *err);

/* ---- k folds ---------------------------------------------------------- */

struct hs_eval_fold {
    double auc, bkg95;     /* on the test rows */
    size_t best_epoch, nepochs;
    bool cancelled;
};

/* K fits of method m with parameters p on stratified folds of the rows
 * d->part marks 0 or 1 (fold k validates, the others train; a parameter
 * "seed" of the method, when it has one, is p's seed + k), each scored on
 * the rows of test_mask into folds[k].  Folds are dealt per class after
 * a shuffle seeded by `seed`, the same on every machine.  A cancel stops
 * after the fold in progress: HS_ECANCELLED with *done folds filled. */
int hs_eval_folds(const struct hs_method *m, const struct hs_params *p,
                  const struct hs_method_data *d, const unsigned char *test_mask, size_t k,
                  uint64_t seed, struct hs_eval_fold *folds, size_t *done,
                  const struct hs_task *task, struct hs_err *err);

#endif

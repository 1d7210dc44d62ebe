/* train.h: the training layer shared by the CLI (`train`, `score`,
 * `overtrain`, `groups`, `model`) and the TUI's training view.
 *
 * The flow, for both front ends, for every method (src/method.h):
 *
 *   struct hs_train_opts o;             the options, as typed or from a form
 *   hs_train_opts_default(&o, err);  hs_train_opts_set(&o, "layers", "64,64", err) ...
 *     (or hs_train_opts_from_cmd(cmd, &o) for a parsed command)
 *   hs_train_prepare(cmd, app, &ld, &o, &job)   session side: the split (made
 *                                       and stored when missing), the inputs
 *   hs_train_run(&job, task, err)       no session, no featureset changes:
 *                                       may run on a worker thread
 *   hs_train_evaluate(&job, task, err)  scores, test/train ROC, TMVA table, KS
 *   hs_train_to_record(&job, name, &rec, err)   -> hs_sess_model_save
 *   hs_train_job_release(&job); hs_train_opts_release(&o);
 *
 * The job borrows the input columns from the featureset it was prepared
 * on (raw columns and cached derived values): that featureset must stay
 * alive and unchanged (no feature added, dropped or recomputed) until the
 * job is released.
 *
 * Parts: the job's part[] is what the network sees: 0 trains, 1 validates
 * (early stopping), 2 is the test part (never seen), 255 left out (signal
 * of other groups under --train-group, or a fold's bookkeeping).  The
 * dataset's own split stays in split_part[] for the evaluation.
 */
#ifndef HS_UI_TRAIN_H
#define HS_UI_TRAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "featureset.h"
#include "eval.h"
#include "groups.h"
#include "method.h"
#include "model.h"
#include "plots/figure.h"
#include "roc.h"
#include "sessions/models.h"
#include "split.h"
#include "task.h"
#include "ui/cmd.h"
#include "ui/loaded.h"

#define HS_TRAIN_PART_OUT 255

/* ---- options -------------------------------------------------------- */

struct hs_train_opts {
    const struct hs_method *method; /* --method, the first of hs_methods() by default */
    struct hs_params params; /* the method's parameters (src/method.h) */
    char **features;     /* the inputs by name, or NULL: every enabled numeric feature */
    size_t nfeatures;
    size_t folds;        /* 1: no k-fold; K >= 2: K extra trainings (hs_train_folds) */
    char *train_group;   /* --train-group M, or NULL */
    bool replace;        /* --replace: overwrite a model of the same name */
    bool one_hot;        /* --one-hot: a text feature becomes one 0/1 input per category */
    char *where;         /* --where EXPR: train and test on the selected events only, or NULL */
    char *cut;           /* --cut CUTSET: likewise */
};

/* The defaults of `hepscope train`: the default method with its
 * defaults, folds 1.  HS_ENOMEM. */
int hs_train_opts_default(struct hs_train_opts *o, struct hs_err *err);
void hs_train_opts_release(struct hs_train_opts *o);
/* Set one option by its long name without "--": "method" (which resets
 * the method's parameters to its defaults), "folds", "train-group",
 * "where", "cut",
 * "features" (appended), flags "replace" and "one-hot" (value NULL or "1"
 * for on, "0" for off), or a parameter of the method.  HS_EUSAGE naming
 * the option, the value and what is accepted; a parameter of another
 * method is refused naming the method.  For the TUI's form. */
int hs_train_opts_set(struct hs_train_opts *o, const char *name, const char *value,
                      struct hs_err *err);
/* Replace the inputs by names[0..n) (copied; n 0: the default, every
 * enabled numeric feature), or by a comma list read as --features reads
 * it ("": the default).  HS_EUSAGE for an empty name in the list,
 * HS_ENOMEM; o is unchanged then.  For the TUI's feature picker. */
int hs_train_opts_set_features(struct hs_train_opts *o, const char *const *names, size_t n,
                               struct hs_err *err);
int hs_train_opts_set_features_text(struct hs_train_opts *o, const char *text,
                                    struct hs_err *err);
/* After the last hs_train_opts_set: the method's own cross-checks
 * (a dropout rate per layer for as many layers). */
int hs_train_opts_check(struct hs_train_opts *o, struct hs_err *err);
/* Defaults, then every option given to cmd (--method first), then
 * hs_train_opts_check; errors in cmd->err. */
int hs_train_opts_from_cmd(struct hs_cmd *cmd, struct hs_train_opts *o);
/* The options as they would be typed, every parameter written out,
 * defaults included ("--layers 64,64 --activation relu ..."), "--method
 * NAME" first for any method but the default, the selection last
 * ("--where 'doca < 0.01'", quoted as hs_cmd_join does); no --replace,
 * --folds or --threads.  New string (free()), NULL when out of memory. */
char *hs_train_opts_line(const struct hs_train_opts *o);
/* Read such a line back (a stored model's options) into o, defaults
 * first; kind names the method when the line does not (a model's kind).
 * HS_EUSAGE for a word that is not a training option. */
int hs_train_opts_parse_line(const char *line, const char *kind, struct hs_train_opts *o,
                             struct hs_err *err);

/* The options `train` takes besides the methods' parameters (ended by
 * {0}); the entry has HS_CMD_METHOD_PARAMS for those. */
extern const struct hs_opt_spec hs_train_opt_specs[];

/* What identifies a training for the pending slot (struct hs_pending in
 * ui/cmd.h): the model's name, the dataset and hs_train_opts_line.  The
 * TUI puts its finished job there under this key and runs `train` with
 * the same words; train's exec takes the job instead of training again.
 * New string (free()), NULL when out of memory. */
char *hs_train_pending_key(const char *name, const char *dataset, const struct hs_train_opts *o);

/* ---- a training job ------------------------------------------------- */

/* What a fit left: the model, the curve and the counts. */
struct hs_train_result {
    struct hs_model *model;      /* owned */
    struct hs_epoch_info *curve; /* owned: one entry per epoch run */
    size_t nepochs, best_epoch;  /* best_epoch 1-based, 0 without epochs */
    bool early_stopped;
    bool cancelled;              /* stopped by the task, the best so far kept */
    size_t nimputed, ntrain, nval, nnegative;
};

struct hs_train_job {
    const struct hs_method *method;
    struct hs_params params;   /* a copy of the options' */
    int threads;               /* 0: the machine's choice */
    /* Called after each epoch from the thread running hs_train_run (may be NULL). */
    void (*on_epoch)(void *user, const struct hs_epoch_info *e);
    void *on_epoch_user;
    char *options;             /* hs_train_opts_line */
    char *train_group;         /* or NULL */
    size_t n;                  /* events */
    size_t nin;                /* inputs */
    char **names;              /* nin input names */
    char **exprs;              /* nin: a derived input's expression, NULL for a column */
    const double **x;          /* nin columns of n values (borrowed from the featureset,
                                  or one of xown) */
    double **xown;             /* nin: the values computed for the job (one-hot inputs), or NULL */
    const double *label;       /* n (borrowed) */
    const double *weight;      /* n or NULL (borrowed) */
    const double *group;       /* the group column's values, or NULL (borrowed) */
    double group_code;         /* the code of --train-group, NaN without */
    unsigned char *split_part; /* n: the dataset's split, 0/1/2 */
    double split_frac[3];
    uint64_t split_seed;
    unsigned char *part;       /* n: what the method sees (see above) */
    struct hs_train_result res; /* after hs_train_run */
    double *score;             /* n, after hs_train_evaluate */
    struct hs_eval ev;         /* after hs_train_evaluate */
};

/* Gather the job from a loaded dataset: cmd->dataset's split (made and
 * stored when there is none; said on cmd->out: the command must be
 * HS_CMD_WRITES | HS_CMD_LATE_BEGIN), the inputs (o->features or every
 * enabled numeric feature; a text column named in --features is
 * HS_EUSAGE), the label (HS_EUSAGE without one), the weights, and with
 * --train-group the group (HS_EUSAGE without a group column, HS_ENOTFOUND
 * listing the groups for an unknown one).  Errors in cmd->err. */
int hs_train_prepare(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
                     const struct hs_train_opts *o, struct hs_train_job *job);
/* Can feature f of fs be an input: a numeric column, or a derived or
 * learned feature (text columns need --one-hot)? */
bool hs_train_feature_numeric(const struct hs_featureset *fs, const struct hs_feature *f);
/* The same from a featureset and a split the caller has (no session). */
int hs_train_prepare_fs(struct hs_featureset *fs, const struct hs_split *sp,
                        const struct hs_train_opts *o, struct hs_train_job *job,
                        const struct hs_task *task, struct hs_err *err);
/* The selection of o (--where, --cut) on fs's events, when it has one:
 * the events outside it leave the job (split part HS_TRAIN_PART_OUT), so
 * that the method trains and validates on the selected events and the
 * test figures are of the selected test events.  Errors in cmd->err. */
int hs_train_job_select(struct hs_cmd *cmd, struct hs_app *app, struct hs_featureset *fs,
                        const struct hs_train_opts *o, struct hs_train_job *job);
/* Rebuild job->part for training on signal group `code` only (NaN: all
 * signal): train/val signal of other groups becomes HS_TRAIN_PART_OUT. */
void hs_train_job_set_group(struct hs_train_job *job, double code);
/* The epochs the method plans (its "epochs" parameter), 0 when it has none. */
size_t hs_train_job_epochs(const struct hs_train_job *job);

/* Fit the method on job->part: no session access, safe on a worker
 * thread.  On a cancel after the first epoch, HS_OK with res.cancelled. */
int hs_train_run(struct hs_train_job *job, const struct hs_task *task, struct hs_err *err);
/* Score every event with the trained model, then hs_eval_scores:
 * test = split part 2, train = the events the method trained on. */
int hs_train_evaluate(struct hs_train_job *job, const struct hs_task *task, struct hs_err *err);
/* K fits on folds of the training and validation events, each tested on
 * the test part (hs_eval_folds).  job->res is left alone. */
int hs_train_folds(struct hs_train_job *job, size_t k, struct hs_eval_fold *folds, size_t *done,
                   const struct hs_task *task, struct hs_err *err);
/* The stored record of the trained job (needs hs_train_evaluate for the
 * test figures); rec is filled with new strings (hs_model_rec_release). */
int hs_train_to_record(const struct hs_train_job *job, const char *name, const char *dataset,
                       struct hs_model_rec *rec, struct hs_err *err);
void hs_train_job_release(struct hs_train_job *job);
/* Release and free a job allocated with malloc (the pending slot's free). */
void hs_train_job_free(void *job);

/* What `train` prints after training (hs_train_evaluate done): the model
 * described, its inputs, the negative-weight policy, imputed inputs, the
 * best epoch, early stop and cancel for a method with epochs, what the
 * kind has to say of itself (Fisher's coefficients), the test AUC and bkg
 * eff at 95% signal efficiency, TMVA's summary table (test, train in
 * parentheses) and the KS p-values.  HS_OK or HS_ENOMEM. */
int hs_train_summary(FILE *out, const char *name, const struct hs_train_job *job);

/* "fisher: linear, ..." or "64,64 relu, adam lr 0.001, ...": the job's
 * method and configuration in a line. */
void hs_train_describe(const struct hs_train_job *job, char *buf, size_t size);

/* ---- figures -------------------------------------------------------- */

/* Loss and validation loss per epoch (lines), the best epoch marked. */
int hs_train_curve_figure(const struct hs_epoch_info *curve, size_t n, size_t best_epoch,
                          const char *title, struct hs_figure **out, struct hs_err *err);
/* TMVA's overtraining check: per class the output on the test rows as a
 * filled histogram and on the training rows as points with errors, each
 * normalised to unit area over [0, 1] in nbins bins; the KS p-values of
 * ev in the legend. */
int hs_train_overtrain_figure(const double *score, const double *label, const double *weight,
                              const unsigned char *train_mask, const unsigned char *test_mask,
                              size_t n, size_t nbins, const struct hs_eval *ev,
                              const char *title, struct hs_figure **out, struct hs_err *err);
/* The AUC of each of n signal groups (against all background) at x,
 * points with DeLong's standard errors se as error bars (NaN: none),
 * joined by a line when join (a terminal's cells show the bars better
 * without); the legend says "AUC ± DeLong s.e." or, when some group has
 * none, why (se_note).  xlabel: the group column's axis. */
int hs_train_groups_figure(const double *x, const double *auc, const double *se, size_t n,
                           bool join, const char *title, const char *xlabel,
                           const char *se_note, struct hs_figure **out, struct hs_err *err);
/* The transfer matrix (ng x ng AUCs, row = trained on, column = tested
 * on) as a heat map with the group names and the values written. */
int hs_train_transfer_figure(const struct hs_group_set *g, const double *auc, const char *title,
                             struct hs_figure **out, struct hs_err *err);

/* ---- a stored model on a dataset ------------------------------------ */

/* The masks of a stored model's evaluation on sp: test = part 2; train =
 * part 0, only signal of rec->train_group when the model had one (group
 * looked up on t; an unknown one leaves every signal in).  New arrays of
 * t->nrows bytes (free()). */
int hs_train_model_masks(const struct hs_table *t, const struct hs_split *sp,
                         const struct hs_model_rec *rec, unsigned char **train_mask,
                         unsigned char **test_mask, struct hs_err *err);

#endif

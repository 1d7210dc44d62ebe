/* analysis.h: what the cut, ROC, split and efficiency commands and the
 * TUI's cuts and ROC views share: the dataset's split (made on first
 * need), the ROC curves of cut sets and scores, and the ROC figure. */
#ifndef HS_ANALYSIS_H
#define HS_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "cuts.h"
#include "featureset.h"
#include "groups.h"
#include "plots/figure.h"
#include "roc.h"
#include "sessions/learned.h"
#include "sessions/models.h"
#include "sessions/results.h"
#include "split.h"
#include "ui/cmd.h"

/* cmd->dataset's split, loaded from the session into sp; when there is
 * none, the default one (HS_SPLIT_DEFAULT_*) is made on t and stored, in
 * the command's write transaction (hs_cmd_begin is called, so the command
 * must be HS_CMD_WRITES | HS_CMD_LATE_BEGIN, and sets cmd->unchanged when
 * *made stays false), and *made is set so that the caller says so: the
 * line hs_analysis_split_note() gives. */
int hs_analysis_split(struct hs_cmd *cmd, struct hs_app *app, const struct hs_table *t,
                      struct hs_split *sp, bool *made);
/* "made the default split of 'D': 0.5/0.25/0.25 (train/val/test), seed 0" */
void hs_analysis_split_note(const char *dataset, const struct hs_split *sp, char *buf,
                            size_t size);
/* hs_analysis_split, writing the note to cmd->out when the split was made
 * (made may be NULL). */
int hs_analysis_split_say(struct hs_cmd *cmd, struct hs_app *app, const struct hs_table *t,
                          struct hs_split *sp, bool *made);

/* The --on option: train, val, test or all (default test). */
int hs_analysis_parse_on(struct hs_cmd *cmd, enum hs_part_sel *on);
/* The rows of `on` as a new mask (malloc'd; NULL for all events, which
 * needs no split), their count in *nrows; the split is made, and said,
 * when there is none (*made, which may be NULL, says so). */
int hs_analysis_rows(struct hs_cmd *cmd, struct hs_app *app, const struct hs_table *t,
                     enum hs_part_sel on, unsigned char **mask, size_t *nrows, bool *made);

/* One curve of a ROC comparison. */
struct hs_roc_curve {
    char *name;        /* the cut set's or model's name, or the score expression */
    const char *kind;  /* "cuts", "grid", "score", "model" (static strings) */
    struct hs_roc roc;
    double bkg95;      /* background efficiency at 95% signal efficiency: interpolated on
                          a curve; NaN for a single cut set */
    size_t nbox;       /* a cut set's boxes (1 for a set, every box of a grid); 0 else */
    double *box_sig;   /* nbox efficiencies on the rows asked, in the set's order */
    double *box_bkg;
    double *target;    /* nbox target signal efficiencies, NaN for none */
};
void hs_roc_curves_free(struct hs_roc_curve *c, size_t n);

/* Does box b of cut set curve c keep at least its target signal
 * efficiency on the rows the curve was made on?  1 yes, 0 no, -1 when
 * the box has no target (a hand-made set). */
int hs_roc_curve_meets(const struct hs_roc_curve *c, size_t b);

/* The ROC of a stored cut set over the rows of mask: a set is one point,
 * a grid a curve through its boxes' efficiencies on these rows (not the
 * training figures stored with it). */
int hs_analysis_cutset_roc(struct hs_featureset *fs, const struct hs_cutset_rec *rec,
                           const unsigned char *mask, struct hs_roc_curve *out,
                           const struct hs_task *task, struct hs_err *err);
/* The ROC of an expression used as a score (higher is more signal-like)
 * over the rows of mask; the expression may name any column or feature. */
int hs_analysis_score_roc(struct hs_featureset *fs, const char *expr, const unsigned char *mask,
                          struct hs_roc_curve *out, const struct hs_task *task,
                          struct hs_err *err);

/* ---- models (sessions/models.h) ---- */

/* The model's scores of every event of fs's table (*scores: new, free()):
 * hs_model_rec_score (sessions/learned.h), as the model's learned column. */
int hs_analysis_model_scores(struct hs_featureset *fs, const struct hs_model_rec *rec,
                             double **scores, const struct hs_task *task, struct hs_err *err);
/* Its ROC over the rows of mask (kind "model"). */
int hs_analysis_model_roc(struct hs_featureset *fs, const struct hs_model_rec *rec,
                          const unsigned char *mask, struct hs_roc_curve *out,
                          const struct hs_task *task, struct hs_err *err);

/* The two views of a ROC comparison. */
enum hs_roc_scale {
    HS_ROC_AUTO = 0,    /* choose from the curves: hs_roc_scale_choose */
    HS_ROC_LINEAR,      /* background rejection 1 - bkg eff, linear */
    HS_ROC_REJECTION,   /* the rejection factor 1 / bkg eff on a log axis (flavour tagging) */
};

/* The view `asked` stands for on these curves, and why, in words for a
 * title and the command's output (why may be NULL).  AUTO takes the
 * rejection view when the linear one would show flat lines at the top:
 * every curve with an area has AUC above HS_ROC_AUTO_AUC, or keeps less
 * than HS_ROC_AUTO_BKG50 of the background at 50% signal efficiency;
 * single cut sets do not count; no curve with an area: linear. */
#define HS_ROC_AUTO_AUC 0.98
#define HS_ROC_AUTO_BKG50 0.01
enum hs_roc_scale hs_roc_scale_choose(const struct hs_roc_curve *c, size_t n,
                                      enum hs_roc_scale asked, char *why, size_t size);

/* The comparison figure against signal efficiency, in the view `scale`
 * (AUTO: hs_roc_scale_choose, its reason after the title): curves as
 * lines, labelled "NAME (AUC 0.912)", then cut sets as markers over them
 * (a set's point, a grid's boxes on its front; boxes off the front as
 * faint points, not joined).  In the rejection view a point with no
 * background is drawn at a floor, half the smallest non-zero background
 * efficiency of the figure, and the y label says so.  *out is new
 * (hs_figure_free). */
int hs_roc_figure(const struct hs_roc_curve *c, size_t n, enum hs_roc_scale scale,
                  const char *title, struct hs_figure **out, struct hs_err *err);

/* DeLong's standard error (src/delong.h) of each group's AUC, its signal
 * against all background on mask's rows (NULL: all), into se[g->n]; NaN
 * for a group DeLong cannot take (no background, negative weights), and
 * then why, once, in note ("" when every group has one).  HS_ENOMEM,
 * HS_ECANCELLED. */
int hs_analysis_group_se(const struct hs_table *t, const double *score,
                         const unsigned char *mask, const struct hs_group_set *g, double *se,
                         char *note, size_t size, const struct hs_task *task,
                         struct hs_err *err);

#endif

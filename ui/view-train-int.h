/* view-train-int.h: what ui/view-train.c (the form, the drawing) and
 * ui/tui-train.c (the worker thread, the session side, saving) share. */
#ifndef HS_VIEW_TRAIN_INT_H
#define HS_VIEW_TRAIN_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "ui/axislabel.h"
#include "ui/train.h"
#include "ui/view.h"
#include "ui/worker.h"

#define HS_TRAIN_OT_BINS 40 /* bins of the overtraining figure */

/* A training on its worker thread (ui/worker.h).  The thread touches
 * only the job, the epochs array (under bg.mu) and, before it returns,
 * rc and err. */
struct hs_train_worker {
    struct hs_worker bg;
    /* Under bg.mu: the epochs so far. */
    struct hs_epoch_info *ep;
    size_t nep, cap;
    int rc;
    struct hs_err err;
    /* The main thread's alone: */
    struct hs_train_opts opts;
    struct hs_train_job job;      /* the shared layer's job (ui/train.h); the worker's
                                     while it runs */
    char name[HS_TRAIN_FIELD_MAX];
    char dataset[128];
    bool replace;                 /* a model of that name is stored already */
};

/* What a finished training left for the pages: copies, so that nothing
 * points into the featureset once the job is released. */
struct hs_train_outcome {
    char name[HS_TRAIN_FIELD_MAX];
    char dataset[128];
    char describe[256];           /* hs_train_describe */
    char *options;                /* as stored and journaled */
    size_t nin;
    char **inputs;
    size_t n;
    double *score, *label, *weight; /* n each; weight may be NULL */
    unsigned char *train_mask, *test_mask;
    struct hs_eval ev;
    size_t nepochs, best_epoch, nimputed, ntrain, nval;
    bool early_stopped, cancelled;
    size_t ngroups;
    char **gname;
    size_t *gnsig;
    double *gauc, *gbkg95;
    double *gse;                 /* DeLong's s.e. of gauc (NaN: none, gsenote says why) */
    double *gx;                  /* each group's place on the figure's x axis */
    char gsenote[HS_ERR_MSG_MAX]; /* why a group has no s.e., or "" */
    char gaxis[HS_AXISLABEL_MAX]; /* the group column's axis: "HNL mass [GeV]" */
    char gmsg[HS_ERR_MSG_MAX];   /* why there is no group table, or "" */
    char *details;               /* what the model's kind says of itself, or NULL (hs_free) */
    char saved[HS_ERR_MSG_MAX];  /* "saved as model 'mlp'" or why not */
    bool saved_ok;
};

/* The AUC per group with DeLong's error bars (hs_train_groups_figure):
 * `p` saves it (with a title, points joined), the groups page draws it
 * (page: neither, which its cells show better).  *out is new. */
int hs_train_outcome_groups_figure(const struct hs_train_outcome *o, bool page,
                                   struct hs_figure **out, struct hs_err *err);
/* Cancel and join the thread if it runs, then free everything. */
void hs_train_worker_free(struct hs_train_worker *w);
void hs_train_outcome_free(struct hs_train_outcome *o);
/* The form as training options: its line read back by the CLI's reader
 * (threads left 0). */
int hs_train_form_opts(const struct hs_train_form *f, struct hs_train_opts *o,
                       struct hs_err *err);
/* x in 4 significant digits, "-" for NaN, into buf (32 bytes). */
void hs_train_num_text(double x, char *buf);
/* The summary page as text (new string, free()), NULL when out of memory. */
char *hs_train_summary_text(const struct hs_train_outcome *o);

#endif

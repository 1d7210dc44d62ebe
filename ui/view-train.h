/* view-train.h: the training view. */
#ifndef HS_VIEW_TRAIN_H
#define HS_VIEW_TRAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "mlp.h"
#include "ui/prompt.h"
#include "ui/screen.h"
#include "ui/scroll.h"
#include "ui/view-features.h"

/* ---- training view (ui/view-train.c) ----
 *
 * A form for the network and the optimiser (the options of `hepscope
 * train`, kept as text as they would be typed), `t` to train on a worker
 * thread while the loop keeps drawing the loss curves as epochs arrive,
 * Esc to stop (the best model so far is kept), and afterwards pages with
 * the summary, the overtraining check and the per-group table.  The
 * session is touched from the main thread only: the job is prepared
 * before the thread starts and the model saved after it is joined.
 * While a training runs the other views can be looked at but nothing
 * that changes the session or the shown events runs (hs_tui_run says so). */
enum hs_train_field {
    HS_TF_LAYERS,
    HS_TF_ACTIVATION,
    HS_TF_OPTIMIZER,
    HS_TF_LR,
    HS_TF_BATCH,
    HS_TF_EPOCHS,
    HS_TF_L2,
    HS_TF_DROPOUT,
    HS_TF_PATIENCE,
    HS_TF_SEED,
    HS_TF_BALANCE,
    HS_TF_NAME,
    HS_TRAIN_NFIELDS
};

enum hs_train_page {
    HS_TPAGE_TRAIN,     /* the form and the live curves */
    HS_TPAGE_SUMMARY,   /* test AUC, B eff at 95%, the TMVA efficiency table */
    HS_TPAGE_OVERTRAIN, /* train against test output distributions, KS p-values */
    HS_TPAGE_GROUPS,    /* AUC and B eff at 95% per signal group */
    HS_TRAIN_NPAGES
};

#define HS_TRAIN_FIELD_MAX 96

struct hs_train_form {
    char v[HS_TRAIN_NFIELDS][HS_TRAIN_FIELD_MAX]; /* as typed, normalised */
};

struct hs_train_worker;  /* the worker thread (private to view-train.c) */
struct hs_train_outcome; /* the last training's evaluation (likewise) */

struct hs_train_view {
    struct hs_train_form form;
    struct hs_scroll sc;          /* over the fields */
    bool editing;
    struct hs_prompt edit;        /* the in-place editor of the current field */
    enum hs_train_page page;
    struct hs_train_worker *job;  /* a training running (or done, not yet collected) */
    /* The curve drawn: copied from the job as epochs arrive (main thread). */
    struct hs_epoch_info *curve;
    size_t ncurve, curve_cap;
    size_t total;                 /* epochs asked for */
    char model[HS_TRAIN_FIELD_MAX]; /* the model the curve is of */
    char desc[256];               /* its network, "64,64 relu, adam lr 0.001, ... on 19 inputs" */
    char dataset[128];
    bool stopping;                /* Esc was pressed: waiting for the batch to end */
    double progress;              /* the worker's last progress report (fraction, or -1) */
    char what[96];                /* and its words ("epoch 3/50, loss 0.312") */
    struct hs_train_outcome *out; /* NULL until a training finished */
    char msg[HS_ERR_MSG_MAX];     /* the last training's end, or why it failed */
};

/* The defaults of `hepscope train` (64,64 relu adam 1e-3 256 50 1e-4 0.1
 * 5 0, no balance, name "mlp"). */
void hs_train_form_init(struct hs_train_form *f);
/* The field called name ("layers", "activation", ..., "name"), or -1. */
int hs_train_field_find(const char *name);
const char *hs_train_field_name(enum hs_train_field fld);
/* Check text for field fld and store it normalised (numbers in their
 * shortest form, "yes"/"no" for balance).  HS_EUSAGE with a message
 * naming the field and saying what it takes; the field is unchanged then. */
int hs_train_form_set(struct hs_train_form *f, enum hs_train_field fld, const char *text,
                      struct hs_err *err);
/* Step a choice field (activation, optimizer, balance) to the next
 * (dir > 0) or previous choice, wrapping; HS_EUSAGE for other fields. */
int hs_train_form_cycle(struct hs_train_form *f, enum hs_train_field fld, int dir,
                        struct hs_err *err);
/* The form as the options of `hepscope train` (after the command's name,
 * before the model's name): words[] points into f or at static strings;
 * returns their count (at most 2 * HS_TRAIN_NFIELDS). */
int hs_train_form_words(const struct hs_train_form *f, const char **words);

void hs_train_view_init(struct hs_train_view *tv);
/* Cancel and join a running training (nothing is saved), free everything. */
void hs_train_view_release(struct hs_train_view *tv);
bool hs_train_view_running(const struct hs_train_view *tv);
void hs_train_view_move(struct hs_train_view *tv, enum hs_move m, size_t count);
/* Replace the curve shown (n epochs of total) by a copy; HS_ENOMEM. */
int hs_train_view_set_curve(struct hs_train_view *tv, const struct hs_epoch_info *e, size_t n,
                            size_t total);
/* The loss and validation-loss curves against the epoch (x fixed to
 * 1..total so the curve grows to the right), the validation AUC in a
 * panel under them, and a line with the last epoch's figures. */
void hs_train_curves_draw(const struct hs_epoch_info *e, size_t n, size_t total, size_t best,
                          int mode, struct hs_screen *s, int x, int y, int w, int h);
void hs_train_view_draw(struct hs_train_view *tv, struct hs_features_view *fv, int mode,
                        struct hs_screen *s, int x, int y, int w, int h);

#endif

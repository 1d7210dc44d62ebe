/* view-train.h: the training view. */
#ifndef HS_VIEW_TRAIN_H
#define HS_VIEW_TRAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "ui/prompt.h"
#include "ui/screen.h"
#include "ui/scroll.h"
#include "ui/train.h"
#include "ui/view-features.h"

/* ---- training view (ui/view-train.c) ----
 *
 * A form generated from the method layer (src/method.h): the model's
 * name, the method (cycling through hs_methods()), then one field per
 * parameter of the chosen method, from its spec; `t` trains on a worker
 * thread while the loop keeps drawing the loss curves as epochs arrive,
 * Esc stops (the best model so far is kept), and afterwards pages with
 * the summary, the overtraining check and the per-group table.  The
 * finished job is stored by the `train` command (ui/cmd-train.c), which
 * journals its canonical line.  While a training runs the other views can
 * be looked at but nothing that changes the session or the shown events
 * runs (hs_tui_run says so). */
enum hs_train_page {
    HS_TPAGE_TRAIN,     /* the form and the live curves */
    HS_TPAGE_SUMMARY,   /* test AUC, B eff at 95%, the TMVA efficiency table */
    HS_TPAGE_OVERTRAIN, /* train against test output distributions, KS p-values */
    HS_TPAGE_GROUPS,    /* AUC and B eff at 95% per signal group */
    HS_TRAIN_NPAGES
};

#define HS_TRAIN_FIELD_MAX 96

/* The form's first two fields; the method's parameters follow, then the
 * inputs ("features", the last field: hs_train_form_features_field). */
enum { HS_TRAIN_FIELD_NAME, HS_TRAIN_FIELD_METHOD, HS_TRAIN_FIELD_PARAMS };

struct hs_train_form {
    char name[HS_TRAIN_FIELD_MAX]; /* the model's name */
    bool name_typed;               /* typed by the user: no other name is proposed */
    struct hs_train_opts opts;     /* the method, its parameters and the inputs (opts.features:
                                      NULL for the enabled features), checked as set */
    bool no_inputs;                /* every feature unpicked (opts.features NULL): on the way
                                      to a new pick list; training refuses it */
};

struct hs_train_worker;  /* the worker thread (private to view-train.c) */
struct hs_train_outcome; /* the last training's evaluation (likewise) */

struct hs_train_view {
    struct hs_train_form form;
    struct hs_scroll sc;          /* over the fields */
    bool picking;                 /* the feature picker is open: moves, Space, Left/Right
                                     work on its list; Enter or Esc closes it */
    struct hs_scroll pick;        /* over the picker's features (hs_train_pick_*) */
    bool editing;
    bool asking;                  /* "replace model NAME?" waits for y (any other key: no) */
    struct hs_prompt edit;        /* the in-place editor of the current field */
    enum hs_train_page page;
    struct hs_train_worker *job;  /* a training running (or done, not yet collected) */
    /* The curve drawn: copied from the job as epochs arrive (main thread). */
    struct hs_epoch_info *curve;
    size_t ncurve, curve_cap;
    size_t total;                 /* epochs asked for; 0: the method has no epochs */
    char model[HS_TRAIN_FIELD_MAX]; /* the model the curve is of */
    char desc[256];               /* its network, "64,64 relu, adam lr 0.001, ... on 19 inputs" */
    char dataset[128];
    bool stopping;                /* Esc was pressed: waiting for the batch to end */
    double progress;              /* the worker's last progress report (fraction, or -1) */
    char what[96];                /* and its words ("epoch 3/50, loss 0.312") */
    struct hs_train_outcome *out; /* NULL until a training finished */
    char msg[HS_ERR_MSG_MAX];     /* the last training's end, or why it failed */
};

/* The defaults of `hepscope train`: its default method with the
 * method's defaults, the name proposed after the method.  HS_ENOMEM. */
int hs_train_form_init(struct hs_train_form *f, struct hs_err *err);
void hs_train_form_release(struct hs_train_form *f);
/* Fields: the name, the method, one per parameter of the method, the inputs. */
size_t hs_train_form_nfields(const struct hs_train_form *f);
/* The index of the inputs' field, "features" (the last). */
size_t hs_train_form_features_field(const struct hs_train_form *f);
/* Field i's name: "name", "method", the parameter's ("layers") or "features"; "" out of
 * range. */
const char *hs_train_form_field_name(const struct hs_train_form *f, size_t i);
/* The field called name, or -1. */
long hs_train_form_find(const struct hs_train_form *f, const char *name);
/* Field i's value as shown: a flag is "yes" or "no"; the inputs their comma
 * list, "enabled" for the default (the features switched on) or "none". */
void hs_train_form_value(const struct hs_train_form *f, size_t i, char *buf, size_t size);
/* Is field i stepped with Left/Right (the method, a choice, a flag)? */
bool hs_train_form_is_choice(const struct hs_train_form *f, size_t i);
/* Check text for field i and set it, through hs_train_opts_set, so that
 * the form and `hepscope train` agree on every value (a flag also takes
 * yes/no, on/off; the inputs a comma list as --features takes it, "" or
 * "enabled" for the default, "none").  The method field rebuilds the parameter
 * fields with that method's defaults (the inputs stay).  HS_EUSAGE naming
 * the option and what it takes; the field is unchanged then. */
int hs_train_form_set(struct hs_train_form *f, size_t i, const char *text, struct hs_err *err);
/* Step field i to the next (dir > 0) or previous method or choice,
 * wrapping, or toggle a flag; HS_EUSAGE for a typed field. */
int hs_train_form_cycle(struct hs_train_form *f, size_t i, int dir, struct hs_err *err);
/* The options of `hepscope train` the form stands for (hs_train_opts_line:
 * every parameter written out), new string (free()), NULL when out of memory. */
char *hs_train_form_line(const struct hs_train_form *f);
/* Unless the user typed one: the first of METHOD, METHOD2, METHOD3, ...
 * for which taken(user, name) is false (taken NULL: METHOD). */
void hs_train_form_propose(struct hs_train_form *f, bool (*taken)(void *user, const char *name),
                           void *user);

/* ---- the feature picker ----
 *
 * The inputs of one training, chosen in the form without touching the
 * dataset's enabled features (which every other command, the cut
 * optimiser included, uses).  It offers the features of fs that can be
 * inputs (hs_train_feature_numeric), in fs's order; a pick list equal to
 * the enabled features is the default again, so the form's line has
 * --features only when the inputs differ from `train`'s default. */
size_t hs_train_pick_count(const struct hs_featureset *fs);
/* fs's index of the k-th feature offered, or fs->n when k is out of range. */
size_t hs_train_pick_feature(const struct hs_featureset *fs, size_t k);
/* Is feature i of fs an input of the form? */
bool hs_train_form_picked(const struct hs_train_form *f, const struct hs_featureset *fs, size_t i);
/* Make feature i of fs an input (on) or not; the last one dropped leaves
 * the form with no inputs (no_inputs), which training refuses.  HS_EUSAGE
 * when it is no candidate; HS_ENOMEM.  Nothing changes then. */
int hs_train_form_pick(struct hs_train_form *f, const struct hs_featureset *fs, size_t i, bool on,
                       struct hs_err *err);
/* Every raw and derived feature of fs an input (on), or none. */
int hs_train_form_pick_all(struct hs_train_form *f, const struct hs_featureset *fs, bool on,
                           struct hs_err *err);

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

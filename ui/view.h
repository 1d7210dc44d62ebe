/* view.h: the TUI's state and its parts.
 *
 * The TUI is one struct hs_tui.  Keys become command lines (ui/keys.h) that
 * run through the command layer; the TUI commands (ui/cmd-tui.c) reach this
 * state through app->tui and only change it and set `dirty`.  Once per loop
 * turn tui.c draws everything into a cell buffer (ui/screen.h) with
 * hs_tui_draw, then copies that to the terminal.  Every part below draws
 * into a rectangle of a screen and knows nothing of ncurses, so each can be
 * rendered in a test and compared as text.
 */
#ifndef HS_VIEW_H
#define HS_VIEW_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "cuts.h"
#include "featstats.h"
#include "featureset.h"
#include "mlp.h"
#include "split.h"
#include "sessions/session.h"
#include "stats.h"
#include "table.h"
#include "ui/cmd.h"
#include "ui/screen.h"
#include "ui/scroll.h"
#include "ui/view-class.h"

/* The places of the views in hs_view_classes (ui/view-class.h), for the
 * commands that jump to one ("goto-column" shows the data view). */
enum hs_view_id {
    HS_VIEW_DATA,
    HS_VIEW_STATS,
    HS_VIEW_DATASETS,
    HS_VIEW_FEATURES,
    HS_VIEW_HIST,
    HS_VIEW_CUTS,
    HS_VIEW_ROC,
    HS_VIEW_TRAIN,
    HS_NVIEWS
};

/* ---- data view (ui/view-data.c): a virtual grid over a table ---- */
struct hs_data_view {
    const struct hs_table *t; /* borrowed; NULL when no dataset */
    size_t *cols;             /* the columns shown, in order: below t->ncols a table
                                 column, else extra[cols[i] - t->ncols] */
    int *width;               /* their widths in columns */
    size_t ncols;             /* shown columns, the extra ones included */
    struct hs_column *extra;  /* derived features shown after the table's columns;
                                 their names are owned, their values borrowed */
    size_t nextra;
    struct hs_scroll rows;
    size_t left, curcol;      /* first shown and current, indexes into cols */
};

/* Show table t (NULL for none), cursor at the top left.  The column widths
 * come from the names and a sample of rows, so a million rows cost no more
 * than a thousand.  HS_OK or HS_ENOMEM. */
int hs_data_view_set(struct hs_data_view *dv, const struct hs_table *t);
/* Show n derived features after the table's columns (replacing earlier
 * ones; n = 0 removes them): names[i] are copied, values[i] (t->nrows
 * doubles) are borrowed and must stay valid until the next call, a set
 * or a release.  A column of the same name and values as before keeps
 * its width.  Their names are drawn in the HS_COLOR_DERIVED role.  HS_OK or
 * HS_ENOMEM (then no extra columns are shown). */
int hs_data_view_set_extra(struct hs_data_view *dv, const char *const *names,
                           const double *const *values, size_t n);
void hs_data_view_release(struct hs_data_view *dv);
void hs_data_view_move(struct hs_data_view *dv, enum hs_move m, size_t count);
/* Make column `name` current; false when the table has no such column. */
bool hs_data_view_goto_column(struct hs_data_view *dv, const char *name);
/* The current column's name, or NULL. */
const char *hs_data_view_column(const struct hs_data_view *dv);
/* The current cell's exact value as text ("" when there is none). */
void hs_data_view_cell(const struct hs_data_view *dv, char *buf, size_t size);
/* Draw the visible rows and columns only. */
void hs_data_view_draw(struct hs_data_view *dv, struct hs_screen *s, int x, int y, int w, int h);
/* x formatted to fit w columns: the shortest round-trip form when it fits,
 * else fewer digits, else w '#'.  "NA" for a missing value. */
void hs_num_fit(double x, int w, char *buf, size_t bufsize);

/* ---- statistics view (ui/view-stats.c) ---- */
struct hs_stats_entry {
    size_t col;                   /* table column */
    struct hs_colstats st[2];     /* signal, background; or all in [0] */
};

struct hs_stats_view {
    const struct hs_table *t;     /* borrowed */
    struct hs_stats_entry *entries;
    size_t nentries;
    bool labelled;                /* two classes per column, else one */
    struct hs_scroll sc;          /* over entries */
};

/* Compute the statistics of every column of t (once per dataset load, not
 * per frame).  HS_OK or HS_ENOMEM. */
int hs_stats_view_set(struct hs_stats_view *sv, const struct hs_table *t);
void hs_stats_view_release(struct hs_stats_view *sv);
void hs_stats_view_draw(struct hs_stats_view *sv, struct hs_screen *s, int x, int y, int w,
                        int h);
/* The name of the column under the cursor, or NULL. */
const char *hs_stats_view_column(const struct hs_stats_view *sv);

/* ---- datasets view (ui/view-datasets.c) ---- */
void hs_datasets_view_draw(const struct hs_dataset_info *ds, size_t n, const char *current,
                           struct hs_scroll *sc, struct hs_screen *s, int x, int y, int w, int h);

/* ---- text window for help and command output (ui/overlay.c) ---- */
struct hs_overlay {
    bool open;
    char *title;
    char **lines;
    size_t nlines;
    struct hs_scroll sc; /* top is the first line shown */
    int width;           /* columns of the widest line */
    int hoff;            /* columns scrolled off to the left */
};

/* Open with a copy of text, split into lines.  HS_OK or HS_ENOMEM. */
int hs_overlay_open(struct hs_overlay *o, const char *title, const char *text);
void hs_overlay_close(struct hs_overlay *o);
void hs_overlay_move(struct hs_overlay *o, enum hs_move m, size_t count);
void hs_overlay_draw(struct hs_overlay *o, struct hs_screen *s, int x, int y, int w, int h);
/* Columns of an overlay's width taken by its frame and padding. */
#define HS_OVERLAY_PAD 4

/* ---- the ':' line (ui/prompt.c) ---- */
enum hs_prompt_result {
    HS_PROMPT_EDITING,
    HS_PROMPT_RUN,    /* Enter: the line is in hs_prompt_line */
    HS_PROMPT_CANCEL, /* Esc, C-c or C-g, or Backspace on an empty line */
};

struct hs_prompt {
    bool active;
    char *buf;           /* UTF-8, NUL-terminated */
    size_t len, cap, pos; /* pos: byte offset of the cursor, on a character boundary */
    char **hist;         /* earlier lines, oldest first */
    size_t nhist, hist_cap;
    size_t hpos;         /* nhist while editing a new line */
    char *saved;         /* the new line, kept while browsing history */
};

/* Start editing with initial text (may be NULL). */
int hs_prompt_open(struct hs_prompt *p, const char *initial);
/* Feed one key; returns what the key did. */
enum hs_prompt_result hs_prompt_key(struct hs_prompt *p, int code);
const char *hs_prompt_line(const struct hs_prompt *p);
/* Stop editing; a run line that is not empty goes into the history. */
void hs_prompt_close(struct hs_prompt *p, bool keep_in_history);
void hs_prompt_release(struct hs_prompt *p);
/* Draw ":" and the line on row y; places the screen cursor. */
void hs_prompt_draw(const struct hs_prompt *p, struct hs_screen *s, int x, int y, int w);

/* ---- features view (ui/view-features.c) ---- */
enum hs_feat_sort {
    HS_FSORT_SEPARATION, /* best separation first (the default) */
    HS_FSORT_AUC,        /* best single-feature AUC first */
    HS_FSORT_NAME,
    HS_FSORT_FILE,       /* the feature set's order: columns, then derived ones */
    HS_NFSORTS
};

/* The in-place editor of a new derived feature: a name field, then an
 * expression field; the last error is shown under them with a caret. */
struct hs_feature_editor {
    bool active;
    bool on_expr;             /* typing the expression (else the name) */
    struct hs_prompt name, expr; /* the two fields */
    char msg[HS_ERR_MSG_MAX]; /* the last error, or "" */
    int col;                  /* its 1-based character in the expression, 0 for none */
};

struct hs_features_view {
    const struct hs_table *t;  /* borrowed; NULL when no dataset */
    struct hs_featureset fs;   /* owned (when t is set) */
    struct hs_featstats *st;   /* fs.n entries, valid where done[i] */
    bool *done;
    size_t *order;             /* the rows: feature indexes in sort order */
    enum hs_feat_sort sort;
    bool labelled;
    bool stopped;              /* the last computation was cancelled or failed: the
                                  TUI does not retry until the view is entered again */
    char *want;                /* a feature to select at the next set, or NULL */
    struct hs_scroll sc;       /* over order */
    struct hs_feature_editor ed;
};

/* Show the features fs of table t, taking fs (it is released here, also on
 * failure; *fs is zeroed).  Statistics are not computed here (see
 * hs_features_view_compute).  same_data says t holds the same events as
 * the table shown before: the statistics of features with the same name
 * and expression are then kept.  The cursor stays on the feature of the
 * same name, or goes to fv->want when that names one.  HS_OK or
 * HS_ENOMEM. */
int hs_features_view_set(struct hs_features_view *fv, const struct hs_table *t,
                         struct hs_featureset *fs, bool same_data);
/* Release the features and statistics (not the editor, sort or want). */
void hs_features_view_clear(struct hs_features_view *fv);
/* Release everything, the editor too. */
void hs_features_view_release(struct hs_features_view *fv);
/* Features whose statistics are still to be computed. */
size_t hs_features_view_pending(const struct hs_features_view *fv);
/* Compute the missing statistics (derived values first), a few features
 * at a time over the OpenMP threads, reporting progress between batches;
 * cancellable (then the features done so far keep theirs).  Re-sorts,
 * keeping the cursor on its feature.  An hs_status. */
int hs_features_view_compute(struct hs_features_view *fv, const struct hs_task *task,
                             struct hs_err *err);
void hs_features_view_sort(struct hs_features_view *fv, enum hs_feat_sort by);
const char *hs_feat_sort_name(enum hs_feat_sort by); /* "separation", "AUC", ... */
/* The sort called name ("separation", "auc", "name", "file"), or -1. */
int hs_feat_sort_find(const char *name);
/* The feature under the cursor, or NULL. */
const struct hs_feature *hs_features_view_current(const struct hs_features_view *fv);
/* Put the cursor on feature `name`; false when there is none. */
bool hs_features_view_select(struct hs_features_view *fv, const char *name);
/* Draw the list, the selected feature's details and the editor if open. */
void hs_features_view_draw(struct hs_features_view *fv, struct hs_screen *s, int x, int y, int w,
                           int h);

/* Open the editor, the name field holding name (may be NULL); HS_ENOMEM. */
int hs_feature_editor_open(struct hs_feature_editor *ed, const char *name);
/* Feed one key: HS_PROMPT_RUN when Enter is pressed in the expression
 * field (Enter, Tab or '=' in the name field moves to the expression),
 * HS_PROMPT_CANCEL for Esc, C-c or C-g. */
enum hs_prompt_result hs_feature_editor_key(struct hs_feature_editor *ed, int code);
/* The two fields' text. */
const char *hs_feature_editor_name(const struct hs_feature_editor *ed);
const char *hs_feature_editor_expr(const struct hs_feature_editor *ed);
/* Show an error under the fields; col (1-based character of the
 * expression, 0 for none) gets a caret and the cursor. */
void hs_feature_editor_set_error(struct hs_feature_editor *ed, const char *msg, int col);
void hs_feature_editor_close(struct hs_feature_editor *ed);
void hs_feature_editor_release(struct hs_feature_editor *ed);

/* ---- histogram view (ui/view-hist.c) ----
 *
 * The distribution of one enabled feature (in the features view's order),
 * signal over background, or all events when unlabelled; or a grid of
 * every enabled feature.  Binning is done once per (feature, bins, range)
 * and kept: log and normalise change only the drawing, so a key redraws
 * within a frame on a million events. */
#define HS_HIST_VIEW_MIN_BINS 5
#define HS_HIST_VIEW_MAX_BINS 400

struct hs_hist_entry; /* one feature's binnings, private to view-hist.c */

struct hs_hist_view {
    char *feature;               /* the current feature's name; NULL: the first enabled */
    bool logy, norm, grid;
    int mode;                    /* enum hs_canvas_mode (plots/canvas.h) */
    struct hs_hist_entry *cache; /* one per feature of the features view, or NULL */
    size_t ncache;
    char msg[HS_ERR_MSG_MAX];    /* why the last draw shows no figure, or "" */
};

/* Forget the binnings (the features or their events changed). */
void hs_hist_view_reset(struct hs_hist_view *hv);
void hs_hist_view_release(struct hs_hist_view *hv);
/* The current feature's index in fv->fs, or -1 when none is enabled. */
long hs_hist_view_current(const struct hs_hist_view *hv, const struct hs_features_view *fv);
/* Step dir (+1, -1) through the enabled features, wrapping.  HS_OK,
 * HS_ENOMEM, or HS_EUSAGE when no feature is enabled. */
int hs_hist_view_step(struct hs_hist_view *hv, const struct hs_features_view *fv, int dir,
                      struct hs_err *err);
/* Double (dir > 0) or halve the current feature's bins, within
 * HS_HIST_VIEW_MIN_BINS..MAX; *nbins gets the new count. */
int hs_hist_view_rebin(struct hs_hist_view *hv, struct hs_features_view *fv, int dir,
                       size_t *nbins, struct hs_err *err);
/* Save the current feature's figure as a PNG to path (NULL:
 * ./hepscope-DATASET-FEATURE.png); the file's recorded command is the
 * equivalent `hepscope plot hist ...` line.  The path written goes to
 * out (size bytes).  An hs_status. */
int hs_hist_view_save(struct hs_hist_view *hv, struct hs_features_view *fv, const char *dsname,
                      const char *path, char *out, size_t size, struct hs_err *err);
/* Draw the figure (or the grid) into the rectangle. */
void hs_hist_view_draw(struct hs_hist_view *hv, struct hs_features_view *fv, const char *dsname,
                       struct hs_screen *s, int x, int y, int w, int h);

/* ---- cuts view (ui/view-cuts.c) ----
 *
 * One row per enabled feature (the features view's order when the view
 * was loaded) with its lower and upper cut, the feature's signal and
 * background histograms with the cut lines, and the live cut flow on the
 * test part of the dataset's split.  The cut set is kept bound
 * (src/cuts.h): a changed bound re-evaluates only the flow, one pass over
 * the events.  The cut set is stored in the session under `name` by
 * `cut set` lines run through the command layer (journaled). */
#define HS_CUTS_VIEW_NAME "cuts"
#define HS_CUTS_NQ 101 /* percentiles 0..100: the nudge steps */

struct hs_cuts_row {
    size_t feat;           /* index in the features view's set */
    double lo, hi;         /* the cuts: -HUGE_VAL / HUGE_VAL when open */
    double q[HS_CUTS_NQ];  /* percentiles of the finite values (NaN: none) */
    double xlo, xhi;       /* the histogram's range */
    double *hist[2];       /* background, signal: nbins each, or NULL */
    size_t nbins;
};

struct hs_cuts_view {
    bool loaded;           /* rows, split and flow are there for the shown features */
    bool stopped;          /* loading failed or was cancelled: not again until re-entered */
    bool labelled;
    char name[64];         /* the cut set edited ("cuts") */
    char dataset[128];     /* the dataset the rows belong to */
    struct hs_cuts_row *rows;
    size_t nrows;
    struct hs_cutset extra; /* stored cuts that are not rows (expressions, other
                               columns): kept and saved after the rows' cuts */
    struct hs_cutset keep;  /* the last cuts when the view was reset, for a reload
                               without a session */
    bool have_keep;
    struct hs_split split;
    bool have_split;
    unsigned char *test;   /* the test part's mask (the table's rows) */
    struct hs_cuts_bound *bound; /* the set the flow is of */
    size_t *bound_row;     /* its cuts' rows (SIZE_MAX: an extra cut) */
    size_t nbound;
    struct hs_flow flow;
    bool have_flow;
    bool unsaved;          /* changed since the last save */
    bool recheck;          /* cut sets were stored: `name`'s may differ from the view's */
    bool foreign;          /* `name` is stored as something the view cannot edit
                              (an optimiser grid): never saved over */
    struct hs_scroll sc;   /* over rows */
    int col;               /* 0: the lower cut, 1: the upper */
    bool editing;
    struct hs_prompt edit; /* the in-place editor of the current cell */
    char msg[HS_ERR_MSG_MAX]; /* why there is no flow, or "" */
    /* The last draw's layout, for mouse clicks. */
    int list_y, hist_x, hist_w;
};

/* Forget everything tied to the shown features (they or their events
 * changed): rows, bound set, flow.  The current cuts are kept in `keep`. */
void hs_cuts_view_reset(struct hs_cuts_view *cv);
void hs_cuts_view_release(struct hs_cuts_view *cv);
/* Make the rows from fv's enabled features, take sp (a copy is made; NULL
 * when there is none) for the test part, set the cuts from cs (NULL: the
 * kept ones, else none; ranges on a row's feature set its bounds, the rest
 * stays as extra cuts) and evaluate the flow.  An unlabelled dataset makes
 * no rows (the view says why).  Derived values are computed here (task).
 * An hs_status. */
int hs_cuts_view_load(struct hs_cuts_view *cv, struct hs_features_view *fv, const char *dsname,
                      const struct hs_split *sp, const struct hs_cutset *cs,
                      const struct hs_task *task, struct hs_err *err);
/* The cut set as saved: the rows' bounded cuts in row order, then the
 * extra cuts.  dst is initialised here.  HS_ENOMEM. */
int hs_cuts_view_cutset(const struct hs_cuts_view *cv, const struct hs_features_view *fv,
                        struct hs_cutset *dst, struct hs_err *err);
/* Set row r's bound (which 0 lower, 1 upper) to x (+-HUGE_VAL: open) and
 * re-evaluate the flow.  HS_EUSAGE when the lower would not be below the
 * upper (nothing changes then). */
int hs_cuts_view_set_bound(struct hs_cuts_view *cv, struct hs_features_view *fv, size_t r,
                           int which, double x, struct hs_err *err);
/* Move row r's bound one percentile up (dir > 0) or down; past the ends
 * it opens.  *x gets the new bound. */
int hs_cuts_view_nudge(struct hs_cuts_view *cv, struct hs_features_view *fv, size_t r, int which,
                       int dir, double *x, struct hs_err *err);
/* Replace every cut: row bounds from lo[k], hi[k] for the features
 * names[k] (others open), no extra cuts. */
int hs_cuts_view_set_box(struct hs_cuts_view *cv, struct hs_features_view *fv, size_t n,
                         const char *const *names, const double *lo, const double *hi,
                         struct hs_err *err);
/* Replace every cut by those of cs (NULL: none), as hs_cuts_view_load
 * takes them, and re-evaluate the flow only (the rows, their percentiles
 * and histograms stay).  Does not mark the set unsaved.  An hs_status. */
int hs_cuts_view_set_cuts(struct hs_cuts_view *cv, struct hs_features_view *fv,
                          const struct hs_cutset *cs, struct hs_err *err);
/* Parse a bound typed in the editor: a number (exact, any locale; "inf"
 * and "-inf" allowed), or blank for an open end (-HUGE_VAL for the lower,
 * HUGE_VAL for the upper).  HS_EUSAGE with a message otherwise. */
int hs_cuts_parse_bound(const char *text, int which, double *x, struct hs_err *err);
/* The row whose histogram cell (x, y) of the last draw is on, and the
 * feature value there; false when it is on none. */
bool hs_cuts_view_hit(const struct hs_cuts_view *cv, int x, int y, size_t *row, double *value);
void hs_cuts_view_move(struct hs_cuts_view *cv, enum hs_move m, size_t count);
/* The current row's feature name, or NULL. */
const char *hs_cuts_view_current(const struct hs_cuts_view *cv, const struct hs_features_view *fv);
void hs_cuts_view_draw(struct hs_cuts_view *cv, struct hs_features_view *fv, int mode,
                       struct hs_screen *s, int x, int y, int w, int h);

/* ---- ROC view (ui/view-roc.c) ----
 *
 * Every cut set of the shown dataset as a ROC on the test part (a set is
 * a point, an optimiser grid a curve), on one plot with a table beside
 * it.  Computed when the view is shown and the session's cut sets changed
 * since (stale), not per frame. */
struct hs_roc_curve;

struct hs_roc_view {
    bool stale;               /* recompute before the next draw */
    bool stopped;             /* the last computation failed or was cancelled */
    bool logy;                /* rejection factor 1/B on a log axis */
    struct hs_roc_curve *curves;
    size_t ncurves;
    char dataset[128];
    char msg[HS_ERR_MSG_MAX]; /* why there is no plot, or a note */
    struct hs_scroll sc;      /* over curves */
};

void hs_roc_view_release(struct hs_roc_view *rv);
/* Take n curves (freed here later) for dataset dsname. */
void hs_roc_view_set(struct hs_roc_view *rv, const char *dsname, struct hs_roc_curve *c,
                     size_t n);
/* The figure on screen (hs_roc_figure), saved to path (NULL:
 * ./hepscope-DATASET-roc.png; .svg and .pdf by the name); the file
 * records the equivalent `hepscope roc` line.  The path goes to out. */
int hs_roc_view_save(struct hs_roc_view *rv, const char *dsname, const char *path, char *out,
                     size_t size, struct hs_err *err);
void hs_roc_view_draw(struct hs_roc_view *rv, int mode, const char *dsname, struct hs_screen *s,
                      int x, int y, int w, int h);

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
    struct hs_mlp_epoch_info *curve;
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
int hs_train_view_set_curve(struct hs_train_view *tv, const struct hs_mlp_epoch_info *e, size_t n,
                            size_t total);
/* The loss and validation-loss curves against the epoch (x fixed to
 * 1..total so the curve grows to the right), the validation AUC in a
 * panel under them, and a line with the last epoch's figures. */
void hs_train_curves_draw(const struct hs_mlp_epoch_info *e, size_t n, size_t total, size_t best,
                          int mode, struct hs_screen *s, int x, int y, int w, int h);
void hs_train_view_draw(struct hs_train_view *tv, struct hs_features_view *fv, int mode,
                        struct hs_screen *s, int x, int y, int w, int h);

/* ---- the TUI ---- */
struct hs_tui {
    struct hs_app *app;
    struct hs_view *views;      /* one per class of hs_view_classes, in order */
    size_t nviews;
    enum hs_view_id view;       /* the one shown: an index into views */
    unsigned changes;           /* enum hs_change: what changed since the views
                                   last prepared (hs_tui_prepare) */
    struct hs_dataset_info *ds; /* the session's datasets */
    size_t nds;
    struct hs_scroll dssc;      /* cursor in the datasets view */
    char *dsname;               /* the dataset shown, or NULL */
    struct hs_table *table;     /* its events */
    /* The views' states (their classes bind them; other views and the
     * commands read them too). */
    struct hs_data_view data;
    struct hs_stats_view stats;
    struct hs_features_view feat; /* the shown dataset's features */
    struct hs_hist_view hist;   /* the histogram view (over feat's features) */
    struct hs_cuts_view cuts;   /* the cuts view (over feat's features) */
    struct hs_roc_view roc;     /* the ROC view */
    struct hs_train_view train; /* the training view */
    int click_x, click_y;       /* where the last mouse click was (HS_KEY_CLICK) */
    struct hs_overlay overlay;
    struct hs_prompt prompt;
    char msg[HS_ERR_MSG_MAX + 64]; /* one line for the status bar */
    bool msg_error;
    bool quit;                  /* leave after this loop turn */
    bool dirty;                 /* draw at the end of this loop turn */
    bool repaint;               /* repaint the whole terminal (C-l) */
};

/* ui/tui.c */
int hs_tui_init(struct hs_tui *tui, struct hs_app *app);
void hs_tui_release(struct hs_tui *tui);
/* Run one command line through the command layer (journaled as from the
 * CLI), with nothing shown: its output goes to *text (a new string
 * without the last newline, free() it; text may be NULL) and
 * tui->app->changes says what it changed.  The views are not refreshed
 * (hs_tui_refresh).  An hs_status, with err filled. */
int hs_tui_command(struct hs_tui *tui, const char *line, char **text, struct hs_err *err);
/* Refresh what depends on changes (enum hs_change, ui/cmd.h): the
 * dataset list and the shown events for HS_CHANGE_DATASETS, the features
 * (not the events) for HS_CHANGE_FEATURES; cut sets, the split and
 * models only mark what shows them to be computed again when shown.
 * HS_EBUSY while a training runs. */
int hs_tui_refresh(struct hs_tui *tui, unsigned changes, struct hs_err *err);
/* Re-read the dataset list and reload the shown dataset (after a command
 * changed the session); a dataset new in the list is shown. */
int hs_tui_reload(struct hs_tui *tui, struct hs_err *err);
/* Show dataset `name` (NULL: the datasets view's cursor). */
int hs_tui_select_dataset(struct hs_tui *tui, const char *name, struct hs_err *err);
/* Show table t (taking it) as dataset `name`; for tests and loaders. */
int hs_tui_set_table(struct hs_tui *tui, const char *name, struct hs_table *t,
                     struct hs_err *err);
const char *hs_tui_view_name(enum hs_view_id v);
/* The view called name, or -1. */
int hs_tui_view_find(const char *name);
/* Show view v: the shown one's class leaves, v's enters. */
void hs_tui_set_view(struct hs_tui *tui, enum hs_view_id v);
/* Show the view of class cls. */
void hs_tui_show(struct hs_tui *tui, const struct hs_view_class *cls);
/* Is the view of class cls the one shown? */
bool hs_tui_shown(const struct hs_tui *tui, const struct hs_view_class *cls);
/* Move in whatever has the focus: the overlay, else the current view. */
void hs_tui_move(struct hs_tui *tui, enum hs_move m, size_t count);
/* Show text in the overlay window.  HS_OK or HS_ENOMEM. */
int hs_tui_show_text(struct hs_tui *tui, const char *title, const char *text);
void hs_tui_message(struct hs_tui *tui, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Run one command line as a key or the ':' line does: output goes to the
 * status line (one line) or the overlay (more), errors to the status line.
 * Afterwards the features view's statistics are computed if it is shown
 * and they are missing (with progress; Esc cancels). */
int hs_tui_run(struct hs_tui *tui, const char *line);
/* The task of a job the TUI runs itself: the live progress display of a
 * command's, and Esc (the cancel flag is lowered here). */
struct hs_task hs_tui_task(struct hs_tui *tui);
/* hs_tui_run without its checks and messages: on success the output is
 * shown (status line or window), a failure is left in *err. */
int hs_tui_run_line(struct hs_tui *tui, const char *line, struct hs_err *err);
/* Let every view prepare for what changed since the last time (tui->
 * changes, then cleared): the shown one computes what it misses, such as
 * the features view's statistics (hs_tui_run calls this). */
void hs_tui_prepare(struct hs_tui *tui);

/* ui/tui-term.c: raised by Ctrl-C; quits the TUI when no command was
 * running (a command's own Ctrl-C is cleared by the one who ran it). */
extern volatile sig_atomic_t hs_tui_sigint;

/* ui/cmd-tui.c: app->tui for a TUI command, or NULL with "works only in
 * the TUI" in cmd->err. */
struct hs_tui *hs_cmd_need_tui(struct hs_cmd *cmd, struct hs_app *app);

/* ui/tui-features.c */
/* Do a and b hold the same events, bit for bit (names, kinds, roles,
 * values, strings)?  Either may be NULL (then false). */
bool hs_tui_same_events(const struct hs_table *a, const struct hs_table *b);
/* Load the shown dataset's features into the features view (the stored
 * list when a session is open, else the table's raw columns) and show the
 * enabled derived ones as extra columns of the data view.  same_data: the
 * events are those shown before, so the statistics of unchanged features
 * stay.  A stored expression that no longer compiles is left out, with a
 * message in the status line.  HS_OK or HS_ENOMEM. */
int hs_tui_load_features(struct hs_tui *tui, bool same_data, struct hs_err *err);
/* Handle one key (an hs key code, see ui/keys.h). */
void hs_tui_key(struct hs_tui *tui, int code);
/* The key-table view that has the focus: "overlay", "data", ... */
const char *hs_tui_focus(const struct hs_tui *tui);
/* Draw the whole frame into s. */
void hs_tui_draw(struct hs_tui *tui, struct hs_screen *s);

/* ui/tui-features.c: the cuts and ROC views' ties to the session. */
/* The shown dataset's split into sp (released by the caller): the
 * session's, or when there is none the default one, made through the
 * journaled `split` command (*note then says so; else it is ""); without
 * a session, the default one in memory. */
int hs_tui_split(struct hs_tui *tui, struct hs_split *sp, char *note, size_t size,
                 struct hs_err *err);
/* Load the cuts view for the shown dataset if it is shown and not loaded:
 * the split, the stored cut set `tui->cuts.name`, the flow (progress, Esc
 * cancels).  Messages go to the status line. */
void hs_tui_cuts_prepare(struct hs_tui *tui);
/* Save the view's cut set, if it changed since the last save, with a
 * `cut set NAME --range F:lo:hi... [EXPR]` line through the command layer,
 * so that it is journaled as the CLI's would be (an empty set is not
 * stored: `cut set` needs a cut; the stored one is dropped instead).  The TUI does not reload after it
 * (the events and features did not change); the ROC view is made stale.
 * An hs_status. */
int hs_tui_cuts_save(struct hs_tui *tui, struct hs_err *err);
/* (ui/tui.c) hs_tui_cuts_save when there is something to save, its error
 * in the status line. */
void hs_tui_cuts_flush(struct hs_tui *tui);
/* ui/view-roc.c: compute the ROC view's curves if it is shown and stale. */
void hs_tui_roc_prepare(struct hs_tui *tui);

/* ui/view-train.c: the training view's ties to the session and the loop. */
/* Start training the form's network on the shown dataset: the inputs,
 * split and options are prepared here (main thread, session reads and
 * the default split if there is none), then a worker thread trains.  An
 * hs_status (HS_EBUSY when one is running). */
int hs_tui_train_start(struct hs_tui *tui, struct hs_err *err);
/* Ask a running training to stop after the current batch (the best
 * epoch so far is kept).  false when none is running. */
bool hs_tui_train_stop(struct hs_tui *tui);
/* Called every loop turn: copies new epochs for the curve (dirty when
 * there are), and when the worker has ended joins it, evaluates the model
 * and saves it in the session with its journal line.  Returns true while
 * a training runs (the loop then polls keys with a short timeout). */
bool hs_tui_train_poll(struct hs_tui *tui);
/* Quitting: stop a running training, join it and save what it kept. */
void hs_tui_train_finish_now(struct hs_tui *tui);
/* May command `name` run while a training runs?  (Those that look, move
 * and switch views; not those that change the session or the events.) */
bool hs_tui_train_allows(const char *name);
/* Save the training view's current page (the curves, the overtraining
 * figure, or the summary or groups table as text/CSV by path's suffix;
 * PNG by default) to path (NULL: ./hepscope-MODEL-PAGE.png), recording
 * the equivalent CLI line.  The path written goes to out.  An hs_status. */
int hs_tui_train_save(struct hs_tui *tui, const char *path, char *out, size_t size,
                      struct hs_err *err);

/* ui/statusbar.c: the title bar (views, dataset) and the status line. */
void hs_titlebar_draw(const struct hs_tui *tui, struct hs_screen *s, int y);
void hs_statusbar_draw(const struct hs_tui *tui, struct hs_screen *s, int y);

/* Smallest usable terminal; below it the TUI says so instead of drawing. */
#define HS_TUI_MIN_W 40
#define HS_TUI_MIN_H 10

#endif

/* view-cuts.h: the cuts view. */
#ifndef HS_VIEW_CUTS_H
#define HS_VIEW_CUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "cuts.h"
#include "err.h"
#include "split.h"
#include "task.h"
#include "ui/prompt.h"
#include "ui/screen.h"
#include "ui/scroll.h"
#include "ui/view-features.h"

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

#endif

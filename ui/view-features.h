/* view-features.h: the features view. */
#ifndef HS_VIEW_FEATURES_H
#define HS_VIEW_FEATURES_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "featstats.h"
#include "featureset.h"
#include "table.h"
#include "task.h"
#include "ui/prompt.h"
#include "ui/screen.h"
#include "ui/scroll.h"

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

struct hs_where;

struct hs_features_view {
    const struct hs_table *t;  /* borrowed; NULL when no dataset */
    const struct hs_where *sel; /* borrowed: the statistics (and the histogram view) are
                                   over its events; NULL or inactive: every event */
    struct hs_featureset fs;   /* owned (when t is set) */
    struct hs_featstats *st;   /* fs.n entries, valid where done[i] */
    bool *done;
    size_t *order;             /* the rows: feature indexes in sort order */
    enum hs_feat_sort sort;
    bool labelled;
    bool stopped;              /* the last computation was cancelled or failed: the
                                  TUI does not retry until the view is entered again */
    char *want;                /* a feature to select at the next set, or NULL */
    /* The statistics over every event, kept while a selection is in
     * force, so that clearing it costs nothing: by name and expression
     * (a feature changed meanwhile is computed again). */
    struct hs_features_stash *stash;
    size_t nstash;
    bool stats_all;            /* st was computed over every event */
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
/* Forget the statistics (the selection changed): all are computed again. */
void hs_features_view_forget(struct hs_features_view *fv);
/* Forget the statistics of the learned features (a model was stored,
 * replaced or dropped): a reload computes them again, where it keeps those
 * of unchanged raw and derived features. */
void hs_features_view_forget_learned(struct hs_features_view *fv);
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

#endif

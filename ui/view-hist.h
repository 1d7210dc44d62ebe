/* view-hist.h: the histogram view. */
#ifndef HS_VIEW_HIST_H
#define HS_VIEW_HIST_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "ui/screen.h"
#include "sessions/units.h"
#include "ui/view-features.h"

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
    struct hs_feature_unit *units; /* owned: the dataset's units and axis labels */
    size_t nunits;
};

/* Take the dataset's units and axis labels (u[0..n), NULL for none) for
 * the axes, freeing those held before. */
void hs_hist_view_set_units(struct hs_hist_view *hv, struct hs_feature_unit *u, size_t n);

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

#endif

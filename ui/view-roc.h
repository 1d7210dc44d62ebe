/* view-roc.h: the ROC view. */
#ifndef HS_VIEW_ROC_H
#define HS_VIEW_ROC_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "ui/screen.h"
#include "ui/scroll.h"

/* ---- ROC view (ui/view-roc.c) ----
 *
 * Every cut set of the shown dataset as a ROC on the test part (a set is
 * a point, an optimiser grid a curve), on one plot with a table beside
 * it.  Computed when the view is shown and the session's cut sets changed
 * since (stale), not per frame. */
struct hs_roc_curve;
struct hs_roc_imp;

struct hs_roc_view {
    bool stale;               /* recompute before the next draw */
    bool stopped;             /* the last computation failed or was cancelled */
    bool logy;                /* rejection factor 1/B on a log axis (shown) */
    bool auto_logy;           /* what the curves choose (hs_roc_scale_choose): while logy
                                 equals it the view follows the curves, once the key
                                 (roc-log) flips logy the user's choice stands */
    struct hs_roc_curve *curves;
    size_t ncurves;
    char dataset[128];
    char msg[HS_ERR_MSG_MAX]; /* why there is no plot, or a note */
    struct hs_scroll sc;      /* over curves */
    struct hs_roc_imp *imp;   /* the selected model's importance (ui/view-roc.c), or NULL */
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

#endif

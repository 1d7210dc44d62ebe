/* view-stats.h: the statistics view. */
#ifndef HS_VIEW_STATS_H
#define HS_VIEW_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "stats.h"
#include "table.h"
#include "task.h"
#include "ui/screen.h"
#include "ui/scroll.h"

/* ---- statistics view (ui/view-stats.c) ---- */
struct hs_stats_entry {
    size_t col;                   /* table column */
    struct hs_colstats st[2];     /* signal, background; or all in [0] */
    bool done;                    /* st computed (hs_stats_view_load) */
};

struct hs_stats_view {
    const struct hs_table *t;     /* borrowed */
    struct hs_stats_entry *entries;
    size_t nentries;
    bool labelled;                /* two classes per column, else one */
    struct hs_scroll sc;          /* over entries */
};

/* Show the columns of t; their statistics are computed when first shown
 * (hs_stats_view_load), not per frame.  HS_OK or HS_ENOMEM. */
int hs_stats_view_set(struct hs_stats_view *sv, const struct hs_table *t);
/* The statistics of the columns a draw h rows high shows, computed now
 * when not yet (a lazy table's column is read then: table.h).  Errors are
 * the table's; the columns not computed are drawn without numbers. */
int hs_stats_view_load(struct hs_stats_view *sv, int h, const struct hs_task *task,
                       struct hs_err *err);
void hs_stats_view_release(struct hs_stats_view *sv);
void hs_stats_view_draw(struct hs_stats_view *sv, struct hs_screen *s, int x, int y, int w,
                        int h);
/* The name of the column under the cursor, or NULL. */
const char *hs_stats_view_column(const struct hs_stats_view *sv);

#endif

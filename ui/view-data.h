/* view-data.h: the data view: a virtual grid over a table. */
#ifndef HS_VIEW_DATA_H
#define HS_VIEW_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "table.h"
#include "ui/screen.h"
#include "ui/scroll.h"

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

#endif

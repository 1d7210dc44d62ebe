/* view-data.h: the data view: a virtual grid over a table. */
#ifndef HS_VIEW_DATA_H
#define HS_VIEW_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "featureset.h"
#include "table.h"
#include "task.h"
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
    struct hs_scroll rows;    /* over the rows shown (order), not the table's */
    size_t left, curcol;      /* first shown and current, indexes into cols */
    /* The rows shown, in the order shown: table row indexes (rows.n of
     * them), or NULL for every row in the table's order.  A selection
     * (:where) keeps its rows; a sort permutes them, stably. */
    size_t *order;
    char sort_col[128];       /* the column sorted by, "" for none */
    int sort_dir;             /* 1 ascending, -1 descending, 0 unsorted */
    char search[128];         /* the last search, "" for none */
};

/* What a frequency table counts: one row per value (a text column, or a
 * number column of few distinct values) or per bin of a number column
 * (src/freq.h says which); nsig and nbkg count its signal and background
 * rows (both 0 in an unlabelled dataset). */
struct hs_freq_row {
    char label[80];
    size_t count, nsig, nbkg;
};

/* Show table t (NULL for none), cursor at the top left.  The column widths
 * come from the names and a sample of rows, so a million rows cost no more
 * than a thousand.  HS_OK or HS_ENOMEM. */
int hs_data_view_set(struct hs_data_view *dv, const struct hs_table *t);
/* Show n derived features after the table's columns (replacing earlier
 * ones; n = 0 removes them): names[i] are copied, values[i] (t->nrows
 * doubles, or NULL: read when shown, hs_data_view_load) are borrowed and
 * must stay valid until the next call, a set or a release.  A column of
 * the same name and values as before keeps its width.  Their names are
 * drawn in the HS_COLOR_DERIVED role.  HS_OK or HS_ENOMEM (then no extra
 * columns are shown). */
int hs_data_view_set_extra(struct hs_data_view *dv, const char *const *names,
                           const double *const *values, size_t n);
void hs_data_view_release(struct hs_data_view *dv);
/* Columns are read when first shown.  A column still pending (a lazy
 * table, table.h) has width 0 until read and measured, as has a
 * derived column whose values were NULL at hs_data_view_set_extra.
 * hs_data_view_load reads shown column i (from the table, or by name
 * from fs for a derived one, whose values fs then keeps) and measures
 * it; hs_data_view_load_shown does so for the columns a draw w cells
 * wide shows.  HS_OK, or the reader's error (the column then stays
 * unread, drawn as nothing). */
int hs_data_view_load(struct hs_data_view *dv, size_t i, struct hs_featureset *fs,
                      const struct hs_task *task, struct hs_err *err);
int hs_data_view_load_shown(struct hs_data_view *dv, int w, struct hs_featureset *fs,
                            const struct hs_task *task, struct hs_err *err);
void hs_data_view_move(struct hs_data_view *dv, enum hs_move m, size_t count);
/* Make column `name` current; false when the table has no such column. */
bool hs_data_view_goto_column(struct hs_data_view *dv, const char *name);
/* The current column's name, or NULL. */
const char *hs_data_view_column(const struct hs_data_view *dv);
/* The current cell's exact value as text ("" when there is none). */
void hs_data_view_cell(const struct hs_data_view *dv, char *buf, size_t size);
/* The table row shown at position i of the view (i < rows.n). */
size_t hs_data_view_row(const struct hs_data_view *dv, size_t i);
/* Show only the rows of mask (t->nrows bytes, 1: shown; NULL: every
 * row), sorted as before; the cursor stays on its table row when that
 * is still shown.  Long work reports to task and stops on its cancel
 * (HS_ECANCELLED, the view unchanged).  HS_OK, HS_ENOMEM. */
int hs_data_view_filter(struct hs_data_view *dv, const unsigned char *mask,
                        const struct hs_task *task, struct hs_err *err);
/* Sort the rows shown by the current column: dir 1 ascending, -1
 * descending (missing values last either way), 0 the table's order.
 * Stable: equal values keep their order.  The cursor stays on its table
 * row.  task and errors as hs_data_view_filter. */
int hs_data_view_sort(struct hs_data_view *dv, const unsigned char *mask, int dir,
                      const struct hs_task *task, struct hs_err *err);
/* Move the cursor to the next (dir > 0) or previous row after it, in the
 * order shown and wrapping around, whose current-column cell matches
 * text: a text cell containing it (case ignored); a number equal to it
 * or whose digits begin so, to the decimals typed ("11.4" finds 11.419,
 * as 11.4 <= v < 11.5; "-0.3": -0.4 < v <= -0.3).  Kept as
 * dv->search.  HS_ENOTFOUND when no row matches (the cursor stays),
 * HS_ECANCELLED. */
int hs_data_view_search(struct hs_data_view *dv, const char *text, int dir,
                        const struct hs_task *task, struct hs_err *err);
/* The frequency table of the current column over the rows shown, by
 * hs_freq_count (src/freq.h): text values (and numbers of at most
 * HS_FREQ_DISTINCT distinct values) by count, most frequent first, ties
 * in text or numeric order; other numbers in about 20 bins of a round
 * width, in order, infinities apart at their ends.  Missing values are a
 * last row "NA".  *rows is new (free()).  HS_OK, HS_ENOMEM,
 * HS_ECANCELLED. */
#define HS_FREQ_DISTINCT 20
int hs_data_view_freq(const struct hs_data_view *dv, struct hs_freq_row **rows, size_t *n,
                      const struct hs_task *task, struct hs_err *err);

/* Draw the visible rows and columns only. */
void hs_data_view_draw(struct hs_data_view *dv, struct hs_screen *s, int x, int y, int w, int h);
/* x formatted to fit w columns: the shortest round-trip form when it fits,
 * else fewer digits, else w '#'.  "NA" for a missing value. */
void hs_num_fit(double x, int w, char *buf, size_t bufsize);

#endif

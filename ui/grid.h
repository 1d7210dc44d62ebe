/* grid.h: results as an aligned text table or as CSV.
 *
 * A grid collects rows of strings (the first row is the header) and prints
 * them in aligned columns: numbers right-aligned, text left-aligned, two
 * blanks between columns, no trailing blanks; control characters in cells
 * show as '?', so a hostile string cannot move the cursor.  The CSV writers
 * follow RFC 4180: numbers are never quoted, text is quoted when it holds a
 * comma, a quote, a line break, leading or trailing blanks, starts with
 * '#' (a comment to many readers) or is empty.
 */
#ifndef HS_GRID_H
#define HS_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct hs_grid {
    size_t ncols;
    size_t nrows;     /* including the header */
    size_t cap;       /* rows allocated */
    char **cells;     /* nrows * ncols, owned */
    bool *num;        /* nrows * ncols: right-align this cell */
};

void hs_grid_init(struct hs_grid *g, size_t ncols);
/* Append a row of ncols cells (copied; NULL is an empty cell); num may be
 * NULL (all text).  HS_OK or HS_ENOMEM. */
int hs_grid_add(struct hs_grid *g, const char *const *cells, const bool *num);
void hs_grid_print(const struct hs_grid *g, FILE *out);
void hs_grid_release(struct hs_grid *g);

/* A number for a table cell: 4 significant digits, "-" when NaN. */
void hs_grid_num4(double x, char buf[32]);
/* A number for a CSV cell: exact (shortest round trip), empty when NaN. */
void hs_grid_num_exact(double x, char buf[32]);

/* One CSV cell (no separator); NULL writes an empty cell. */
void hs_grid_csv_cell(FILE *out, const char *s, bool is_num);
/* One CSV row of n cells and its line end. */
void hs_grid_csv_row(FILE *out, size_t n, const char *const *cells, const bool *num);

#endif

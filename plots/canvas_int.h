/* canvas_int.h: what canvas.c (layout, axes, legend, output) and
 * canvas_draw.c (the dot layer and the series) share.  Private to plots/. */
#ifndef HS_PLOT_CANVAS_INT_H
#define HS_PLOT_CANVAS_INT_H

#include <stdbool.h>

#include "plots/canvas.h"
#include "plots/figure.h"

/* A panel's plot area on the canvas and the ranges of its axes. */
struct hs_cv_view {
    int cx, cy, cw, ch; /* plot area, in cells */
    int sx, sy;         /* dots per cell */
    double xlo, xhi, ylo, yhi;
    bool xlog, ylog;
};

/* The layers of one cell while drawing (canvas.h): dot masks of fills
 * and lines, their ASCII characters, colours and the series that drew
 * last (hs_canvas.cur), and whether the cell holds a marker glyph.  The
 * fill of the series before the last (fill0, of fown0) is kept apart, so
 * that a line over a stack boundary keeps its own series' fill. */
struct hs_cv_px {
    unsigned char fill, fill0, line;
    char fach, lach;
    bool mark;
    int fcolor, lcolor;
    int fown, fown0, lown;
};

/* Fill characters of filled histograms in ASCII, by fill pattern. */
extern const char hs_cv_ascii_fill[];

static inline struct hs_cell *
hs_cv_cell_at(struct hs_canvas *c, int x, int y)
{
    return (struct hs_cell *)hs_canvas_cell(c, x, y);
}

/* Dots per cell in a mode: 2 x 4, 1 x 2 or 1 x 1. */
void hs_cv_dots_per_cell(enum hs_canvas_mode m, int *sx, int *sy);
/* The braille bit of dot (dx, dy) of a cell, and the glyph of a mask. */
unsigned char hs_cv_braille_bit(int dx, int dy);
void hs_cv_braille_glyph(unsigned char mask, char *g);
/* Set dot (dx, dy) of a plot area (ignored outside it) in the line layer. */
void hs_cv_set_dot(struct hs_canvas *c, const struct hs_cv_view *v, int dx, int dy, int color,
                   char ach);
/* Set a dot of the fill layer; replace clears the fills of other series
 * in its cell first (a band over a stack). */
void hs_cv_set_fill(struct hs_canvas *c, const struct hs_cv_view *v, int dx, int dy, int color,
                    char ach, bool replace);
/* A marker glyph in cell (x, y), over every layer. */
void hs_cv_set_mark(struct hs_canvas *c, int x, int y, const char *glyph, int color);
/* Empty the layers of cell (x, y) (text goes there). */
void hs_cv_clear_px(struct hs_canvas *c, int x, int y);
/* Cells of a rectangle with anything in them (dots, markers or text). */
int hs_cv_ink(const struct hs_canvas *c, int x0, int y0, int w, int h);
/* Turn the layers inside a rectangle into glyphs. */
void hs_cv_finish_dots(struct hs_canvas *c, int x0, int y0, int w, int h);
/* Where u lies along an axis, as a fraction (NaN for u <= 0 on a log axis). */
double hs_cv_frac(double u, double lo, double hi, bool lg);
/* The dot row of y, 0 at the top; clamp keeps it inside the area. */
int hs_cv_ydot(const struct hs_cv_view *v, double u, bool clamp);
/* Whether dot (dx, dy) belongs to fill pattern k. */
bool hs_cv_pattern(int k, int dx, int dy);
/* The colour range of a heat map (positive values only with zlog), the
 * fraction of it at which z lies, and one shaded cell of it. */
void hs_cv_heat_range(const struct hs_series *s, double *lo, double *hi);
double hs_cv_heat_frac(const struct hs_series *s, double z, double lo, double hi);
void hs_cv_shade_cell(struct hs_canvas *c, int x, int y, const struct hs_series *s, double z,
                      double lo, double hi);
/* Every series of a panel into the layers (heat maps as cells, first). */
void hs_cv_draw_series(struct hs_canvas *c, const struct hs_cv_view *v, const struct hs_panel *p);

#endif

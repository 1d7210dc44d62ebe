/* canvas.h: a figure drawn into a buffer of terminal cells.
 *
 * The canvas is plain data (a glyph, a colour and a bold flag per cell), so
 * tests compare its text and ui/ copies it to ncurses; plots/ itself never
 * talks to a terminal.  Series are drawn with braille dots (2 x 4 per
 * cell), half blocks (1 x 2 per cell) or plain ASCII (1 x 1), in three
 * layers: fills (filled histograms, then uncertainty bands, which replace
 * the fill under them), lines over them (outlines, curves, error bars:
 * a cell with a line shows the line's dots, not the fill's, so an outline
 * stays readable inside another series' fill) and markers on top (data
 * points and few-point scatters as whole-cell glyphs, the series' marker
 * glyph, figure.h).  A cell has one colour: where two series share a cell
 * in one layer, the series added later gives the cell its colour.
 *
 * Without colour (mono), series differ by their glyphs: lines and outlines
 * carry their series' marker glyph every few cells, fills differ by dot
 * pattern, and the legend starts each entry with the glyph (it does in
 * colour too: "\u25cf signal").  The legend goes into the corner of the
 * plot with no ink (the figure's legend_pos first), with labels cut short
 * if that frees a corner, else into rows above the plot: it never covers
 * data.  Heat maps are shaded
 * cells (light to dark shades, or the ASCII ramp " .:-=+*#%@") coloured
 * with the sequential or diverging map.  The terminal shows major ticks
 * only; minor ticks are for the file renderers.
 */
#ifndef HS_PLOT_CANVAS_H
#define HS_PLOT_CANVAS_H

#include <stdbool.h>
#include <stddef.h>

#include "plots/figure.h"

enum hs_canvas_mode {
    HS_CANVAS_BRAILLE = 0,   /* U+2800 + bit pattern, 2 x 4 dots a cell */
    HS_CANVAS_HALFBLOCK = 1, /* upper/lower half blocks, 1 x 2 a cell */
    HS_CANVAS_ASCII = 2,     /* one character a cell */
};

struct hs_cell {
    char glyph[5]; /* UTF-8, NUL-terminated; " " when empty */
    int color;     /* palette index (palette.h), or -1 for the default colour */
    int rgb;       /* 0xRRGGBB for heat-map shades and the colour bar (overrides
                      color), or -1 */
    bool bold;
};

struct hs_cv_px;

struct hs_canvas {
    int width, height;
    enum hs_canvas_mode mode;
    bool mono;             /* no colours will be shown: series differ by glyphs; set by
                              the caller after hs_canvas_new (false there) */
    struct hs_cell *cells; /* height rows of width cells */
    /* after a render: the legend's rectangle in cells (legend_w 0: none) */
    int legend_x, legend_y, legend_w, legend_h;
    /* private: the layers while drawing, and the series drawing now */
    struct hs_cv_px *px;
    int cur;
};

/* A blank canvas of width x height cells (each at least 1); NULL when out
 * of memory or for a bad size, with a message in msg. */
struct hs_canvas *hs_canvas_new(int width, int height, enum hs_canvas_mode mode, char *msg);
void hs_canvas_free(struct hs_canvas *c);
/* Blank every cell. */
void hs_canvas_clear(struct hs_canvas *c);
/* The cell at column x, row y, or NULL outside. */
const struct hs_cell *hs_canvas_cell(const struct hs_canvas *c, int x, int y);

/* Draw f over the whole canvas, or into the rectangle of w x h cells at
 * column x, row y (small multiples share one canvas).  Returns 0, or -1
 * with a message (too small, nothing drawable on a log axis, ...). */
int hs_canvas_render(struct hs_canvas *c, const struct hs_figure *f, char *msg);
int hs_canvas_render_rect(struct hs_canvas *c, const struct hs_figure *f, int x, int y, int w,
                          int h, char *msg);

/* The canvas as text: height lines of UTF-8, each ending in '\n', trailing
 * spaces kept (so every line has width cells).  Allocated with malloc;
 * NULL when out of memory. */
char *hs_canvas_to_text(const struct hs_canvas *c);
/* The same with ANSI escapes for 256-colour terminals (38;5;N), reset at
 * the end of every line.  The data colour uses the terminal's default
 * foreground, so it shows on dark and light backgrounds. */
char *hs_canvas_to_ansi(const struct hs_canvas *c);

/* The mode for a terminal: braille when the locale's codeset (nl_langinfo
 * (CODESET), passed in by the caller) is UTF-8, else ASCII; ASCII always
 * when forced.  The one exception is TERM "linux" (the console's font has
 * no braille), which gets half blocks in a UTF-8 locale.  Whether stdout is
 * a terminal plays no part. */
enum hs_canvas_mode hs_canvas_pick_mode(const char *lc_ctype_codeset, const char *term,
                                        bool force_ascii);

#endif

/* cairo_int.h: what cairo_render.c and cairo_axes.c share (private to
 * plots/).  Coordinates are in points, y growing downwards; a struct amap
 * maps data values of one axis onto the page. */
#ifndef HS_PLOT_CAIRO_INT_H
#define HS_PLOT_CAIRO_INT_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "plots/figure.h"
#include "plots/palette.h"
#include "plots/ticks.h"

#define FONT_FAMILY "DejaVu Sans"

/* The colour scale of a heat map: the diverging map on [-1, 1] when the
 * series asks for it (correlations), else viridis over the data's range. */
struct zscale {
    double lo, hi;
    bool diverging;
    bool log; /* over the positive values, log-spaced (hs_series.zlog) */
};

/* Sizes in points. */
#define FS_TITLE 12.0
#define FS_AXIS 11.0
#define FS_TICK 10.0
#define FS_SMALL 9.5
#define FS_EXP 13.0     /* the experiment's name */
#define CAP 0.73        /* DejaVu Sans cap height, in ems */
#define LW_FRAME 0.8
#define LW_HIST 1.3
#define LW_LINE 1.5
#define LW_ERR 1.0
#define R_POINT 2.4     /* data point markers */
#define TICK_MAJOR 5.0
#define TICK_MINOR 2.5
#define PAD 6.0
#define CBAR_W 11.0
#define CBAR_GAP 10.0
#define RATIO_SHARE 0.3

/* One axis mapped onto a stretch of the page: lo goes to p0, hi to p1. */
struct amap {
    double lo, hi;
    bool log;
    double p0, p1;
};

struct box {
    double x0, y0, x1, y1; /* y0 is the top */
};
/* Position of v on the page (non-positive values on a log axis fall far
 * outside it, and get clipped). */
double hs_cr_amap_f(const struct amap *m, double v);
void hs_cr_set_rgb(cairo_t *cr, struct hs_rgb c, double alpha);
void hs_cr_font(cairo_t *cr, double size);
double hs_cr_text_w(cairo_t *cr, const char *s, double size);
/* Draw s with its anchor at (x, y): ha 0 left, 0.5 centre, 1 right; va 0
 * top of capitals, 0.5 middle of capitals, 1 baseline. */
void hs_cr_text_at(cairo_t *cr, const char *s, double size, double x, double y, double ha,
                   double va);
double hs_cr_tick_label_w(cairo_t *cr, const struct hs_ticks *t, size_t i, double size);
void hs_cr_tick_label_at(cairo_t *cr, const struct hs_ticks *t, size_t i, double size, double x,
                         double y, double ha, double va);
double hs_cr_max_tick_w(cairo_t *cr, const struct hs_ticks *t, double size);
/* How many major ticks for an axis length points long, one per per. */
int hs_cr_n_major(double length, double per);
double hs_cr_fill_alpha(const struct hs_series *s);
struct zscale hs_cr_heat_scale(const struct hs_series *s);
struct hs_rgb hs_cr_heat_color(const struct zscale *z, double v);

/* Series (cairo_series.c): every series of a panel, clipped to box b; a
 * series' variant (its rank among the panel's series of its colour, 0 for
 * the first) picks its dashes and marker shape, which the legend repeats. */
void hs_cr_draw_series(cairo_t *cr, const struct hs_panel *p, const struct box *b,
                       const struct amap *mx, const struct amap *my);
int hs_cr_variant(const struct hs_panel *p, size_t i);
void hs_cr_set_dash(cairo_t *cr, int variant);
/* A filled marker of the variant's shape, radius about r, at (x, y). */
void hs_cr_marker(cairo_t *cr, int variant, double x, double y, double r);
/* Hatch lines over the rectangle (clip to the shape first), gap apart. */
void hs_cr_hatch(cairo_t *cr, double x0, double y0, double x1, double y1, double gap);

/* Axes, legend and colour bar (cairo_axes.c). */
void hs_cr_frame_and_ticks(cairo_t *cr, const struct box *b, const struct amap *mx,
                           const struct amap *my, const struct hs_ticks *tx,
                           const struct hs_ticks *ty);
void hs_cr_x_tick_labels(cairo_t *cr, const struct box *b, const struct amap *mx,
                         const struct hs_ticks *t);
void hs_cr_y_tick_labels(cairo_t *cr, const struct box *b, const struct amap *my,
                         const struct hs_ticks *t, bool skip_top);
double hs_cr_names_max_w(cairo_t *cr, char **names, size_t n, double size);
bool hs_cr_xnames_rotated(cairo_t *cr, const struct hs_series *h, double width);
void hs_cr_heat_names(cairo_t *cr, const struct box *b, const struct hs_series *h,
                      const struct amap *mx, const struct amap *my);
void hs_cr_color_bar(cairo_t *cr, const struct box *b, const struct hs_series *h);

/* The legend and the experiment's label (cairo_legend.c).  The legend of
 * a panel's labelled series (in hs_panel_legend_order) is w x h points;
 * hs_cr_legend_place puts its top left corner (*x0, *y0) in the corner of
 * b with least data under it, preferring pos's, and returns false when
 * every corner covers data (or b is too small): then it belongs outside. */
void hs_cr_legend_size(cairo_t *cr, const struct hs_panel *p, double *w, double *h);
bool hs_cr_legend_place(cairo_t *cr, const struct hs_panel *p, const struct box *b,
                        const struct amap *mx, const struct amap *my, enum hs_legend_pos pos,
                        double *x0, double *y0);
void hs_cr_legend_draw(cairo_t *cr, const struct hs_panel *p, double x0, double y0);
/* The experiment's label (figure.h) on the top edge of b: the bold name
 * and the rest at the left, the luminosity and energy at the right. */
void hs_cr_experiment(cairo_t *cr, const struct box *b, const char *experiment);

#endif

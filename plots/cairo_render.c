/* cairo_render.c: a figure drawn with cairo, saved as PNG, SVG or PDF.
 *
 * All drawing happens in points (1/72 inch) on a page of width_px x 72 /
 * dpi points; a PNG's image surface is scaled by dpi / 72 first, so text,
 * line widths and tick lengths keep their physical size at any DPI.  The
 * look follows HEP publication style: ticks inward on all four sides, the
 * x label at the right end of its axis and the y label at the top of its.
 */
#include "config.h"

#include "plots/cairo_render.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plots/palette.h"
#include "plots/png_write.h"
#include "plots/ticks.h"

#define FONT_FAMILY "DejaVu Sans"
#define SOFTWARE "hepscope " PACKAGE_VERSION

/* Sizes in points. */
#define FS_TITLE 12.0
#define FS_AXIS 11.0
#define FS_TICK 10.0
#define FS_SMALL 9.5
#define CAP 0.73        /* DejaVu Sans cap height, in ems */
#define LW_FRAME 0.8
#define LW_HIST 1.3
#define LW_LINE 1.5
#define LW_ERR 1.0
#define TICK_MAJOR 5.0
#define TICK_MINOR 2.5
#define PAD 6.0
#define CBAR_W 11.0
#define CBAR_GAP 10.0
#define RATIO_SHARE 0.3

enum fmt { FMT_PNG, FMT_SVG, FMT_PDF };

/* One axis mapped onto a stretch of the page: lo goes to p0, hi to p1. */
struct amap {
    double lo, hi;
    bool log;
    double p0, p1;
};

struct box {
    double x0, y0, x1, y1; /* y0 is the top */
};

static void
set_msg(char *msg, const char *fmt, const char *a, const char *b)
{
    if (msg)
        snprintf(msg, HS_PLOT_MSG_MAX, fmt, a, b ? b : "");
}

static double
amap_f(const struct amap *m, double v)
{
    double t;

    if (m->log) {
        /* Non-positive values sit far below the axis and get clipped. */
        if (!(v > 0))
            v = m->lo * 1e-6;
        t = (log10(v) - log10(m->lo)) / (log10(m->hi) - log10(m->lo));
    } else {
        t = (v - m->lo) / (m->hi - m->lo);
    }
    /* Keep coordinates finite and moderate: cairo's fixed point overflows. */
    if (t < -10)
        t = -10;
    if (t > 11)
        t = 11;
    return m->p0 + t * (m->p1 - m->p0);
}

static void
set_rgb(cairo_t *cr, struct hs_rgb c, double alpha)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

static void
font(cairo_t *cr, double size)
{
    cairo_select_font_face(cr, FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

static double
text_w(cairo_t *cr, const char *s, double size)
{
    cairo_text_extents_t e;

    font(cr, size);
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

/* Draw s with its anchor at (x, y): ha 0 left, 0.5 centre, 1 right; va 0
 * top of capitals, 0.5 middle of capitals, 1 baseline. */
static void
text_at(cairo_t *cr, const char *s, double size, double x, double y, double ha, double va)
{
    double w = text_w(cr, s, size);

    cairo_move_to(cr, x - ha * w, y + (1 - va) * CAP * size);
    cairo_show_text(cr, s);
    cairo_new_path(cr);
}

/* A tick label, drawn with a raised exponent when ticks.h gives one. */
static double
tick_label_w(cairo_t *cr, const struct hs_ticks *t, size_t i, double size)
{
    char base[HS_TICK_LABEL_MAX + 16], sup[16];

    if (!t->exp_used[i])
        return text_w(cr, t->label[i], size);
    snprintf(base, sizeof base, "%s%s10", t->mant[i], t->mant[i][0] ? "\xc3\x97" : "");
    snprintf(sup, sizeof sup, "%d", t->exp[i]);
    return text_w(cr, base, size) + text_w(cr, sup, 0.7 * size);
}

static void
tick_label_at(cairo_t *cr, const struct hs_ticks *t, size_t i, double size, double x, double y,
              double ha, double va)
{
    char base[HS_TICK_LABEL_MAX + 16], sup[16];
    double w, wb, by;

    if (!t->exp_used[i]) {
        text_at(cr, t->label[i], size, x, y, ha, va);
        return;
    }
    snprintf(base, sizeof base, "%s%s10", t->mant[i], t->mant[i][0] ? "\xc3\x97" : "");
    snprintf(sup, sizeof sup, "%d", t->exp[i]);
    w = tick_label_w(cr, t, i, size);
    wb = text_w(cr, base, size);
    by = y + (1 - va) * CAP * size;
    font(cr, size);
    cairo_move_to(cr, x - ha * w, by);
    cairo_show_text(cr, base);
    font(cr, 0.7 * size);
    cairo_move_to(cr, x - ha * w + wb, by - 0.45 * size);
    cairo_show_text(cr, sup);
    cairo_new_path(cr);
}

static double
max_tick_w(cairo_t *cr, const struct hs_ticks *t, double size)
{
    double m = 0;

    for (size_t i = 0; i < t->n; i++) {
        double w = tick_label_w(cr, t, i, size);

        if (w > m)
            m = w;
    }
    return m;
}

static const struct hs_series *
find_heatmap(const struct hs_panel *p)
{
    for (size_t i = 0; i < p->nseries; i++)
        if (p->series[i].kind == HS_SERIES_HEATMAP)
            return &p->series[i];
    return NULL;
}

static bool
has_kind(const struct hs_panel *p, enum hs_series_kind k)
{
    for (size_t i = 0; i < p->nseries; i++)
        if (p->series[i].kind == k)
            return true;
    return false;
}

static bool
axis_fixed_ok(const struct hs_axis *a)
{
    return a->fixed && isfinite(a->lo) && isfinite(a->hi) && a->lo < a->hi &&
           (a->scale != HS_AXIS_LOG || a->lo > 0);
}

/* The range an axis shows: the caller's, or the data's with room added. */
static void
axis_range(const struct hs_panel *p, int axis, bool ratio, bool headroom, double *lo, double *hi)
{
    const struct hs_axis *a = axis ? &p->y : &p->x;
    bool log = a->scale == HS_AXIS_LOG;
    bool tight = has_kind(p, HS_SERIES_HIST) || has_kind(p, HS_SERIES_HEATMAP);

    if (axis_fixed_ok(a)) {
        *lo = a->lo;
        *hi = a->hi;
        return;
    }
    if (!hs_panel_data_range(p, axis, lo, hi) || !isfinite(*lo) || !isfinite(*hi) ||
        (log && !(*lo > 0))) {
        *lo = log ? 1 : 0;
        *hi = log ? 10 : 1;
        if (ratio && axis) {
            *lo = 0.5;
            *hi = 1.5;
        }
        return;
    }
    if (axis == 0) {
        /* Histograms and heat maps end at their outer edges. */
        if (!tight || *lo == *hi)
            hs_ticks_nice_range(lo, hi, a->scale, 8);
        return;
    }
    if (has_kind(p, HS_SERIES_HEATMAP) && !has_kind(p, HS_SERIES_HIST))
        return;
    if (ratio) {
        double d;

        if (*lo > 1)
            *lo = 1;
        if (*hi < 1)
            *hi = 1;
        /* Symmetric about 1, so the dashed line sits in the middle. */
        d = 1.1 * fmax(1 - *lo, *hi - 1);
        if (!(d > 0))
            d = 0.5;
        *lo = 1 - d;
        *hi = 1 + d;
        if (!log && *lo < 0)
            *lo = 0;
        if (log && !(*lo > 0))
            *lo = *hi / 100;
        return;
    }
    if (log) {
        /* Room above for the legend: a third of the decades shown. */
        double dec;

        /* Far tails (1e-30 of a fitted shape) would squash the picture:
         * show at most eight decades below the highest value. */
        if (*lo < *hi * 1e-8)
            *lo = *hi * 1e-8;
        dec = log10(*hi) - log10(*lo);
        if (dec < 1)
            dec = 1;
        *lo = pow(10, log10(*lo) - 0.1 * dec);
        *hi = pow(10, log10(*hi) + (headroom ? 0.35 : 0.1) * dec);
        hs_ticks_nice_range(lo, hi, a->scale, 8);
        return;
    }
    if (*lo >= 0 && has_kind(p, HS_SERIES_HIST))
        *lo = 0;
    if (*hi == *lo) {
        hs_ticks_nice_range(lo, hi, a->scale, 8);
        return;
    }
    {
        double d = *hi - *lo;

        *hi += (headroom ? 0.3 : 0.06) * d;
        if (*lo < 0 || !has_kind(p, HS_SERIES_HIST))
            *lo -= 0.06 * d;
    }
}

static int
n_major(double length, double per)
{
    int n = (int)(length / per);

    return n < 2 ? 2 : n > 10 ? 10 : n;
}

/* --- series ------------------------------------------------------------ */

/* The running total below histogram si in its stack: the contents of the
 * earlier series with the same stack number and the same bins.  NULL when
 * it is not stacked (or out of memory, which draws it unstacked). */
static double *
stack_base(const struct hs_panel *p, size_t si)
{
    const struct hs_series *s = &p->series[si];
    double *base;

    if (s->stack == 0)
        return NULL;
    base = calloc(s->n ? s->n : 1, sizeof *base);
    if (!base)
        return NULL;
    for (size_t j = 0; j < si; j++) {
        const struct hs_series *o = &p->series[j];

        if (o->kind != HS_SERIES_HIST || o->stack != s->stack || o->n != s->n)
            continue;
        for (size_t i = 0; i < s->n; i++)
            if (isfinite(o->y[i]))
                base[i] += o->y[i];
    }
    return base;
}

static double
fill_alpha(const struct hs_series *s)
{
    return s->alpha > 0 && s->alpha <= 1 ? s->alpha : 0.6;
}

/* The outline of a histogram's tops, from the base at the left edge to the
 * base at the right edge. */
static void
hist_top_path(cairo_t *cr, const struct hs_series *s, const double *base, const struct amap *mx,
              const struct amap *my)
{
    size_t n = s->n;
    double b0 = base ? base[0] : 0, bn = base ? base[n - 1] : 0;

    cairo_move_to(cr, amap_f(mx, s->x[0]), amap_f(my, b0));
    for (size_t i = 0; i < n; i++) {
        double top = (base ? base[i] : 0) + (isfinite(s->y[i]) ? s->y[i] : 0);

        cairo_line_to(cr, amap_f(mx, s->x[i]), amap_f(my, top));
        cairo_line_to(cr, amap_f(mx, s->x[i + 1]), amap_f(my, top));
    }
    cairo_line_to(cr, amap_f(mx, s->x[n]), amap_f(my, bn));
}

static void
draw_hist(cairo_t *cr, const struct hs_panel *p, size_t si, const struct amap *mx,
          const struct amap *my)
{
    const struct hs_series *s = &p->series[si];
    struct hs_rgb c = hs_palette_color(s->color);
    double *base;

    if (s->n == 0 || !s->x || !s->y)
        return;
    base = stack_base(p, si);
    if (s->style == HS_HIST_FILLED) {
        hist_top_path(cr, s, base, mx, my);
        for (size_t i = s->n; i-- > 0;) {
            double b = base ? base[i] : 0;

            cairo_line_to(cr, amap_f(mx, s->x[i + 1]), amap_f(my, b));
            cairo_line_to(cr, amap_f(mx, s->x[i]), amap_f(my, b));
        }
        cairo_close_path(cr);
        set_rgb(cr, c, fill_alpha(s));
        cairo_fill(cr);
    }
    hist_top_path(cr, s, base, mx, my);
    set_rgb(cr, c, 1);
    cairo_set_line_width(cr, LW_HIST);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_stroke(cr);
    free(base);
}

static void
draw_line(cairo_t *cr, const struct hs_series *s, const struct amap *mx, const struct amap *my)
{
    bool pen = false;

    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(s->x[i]) || !isfinite(s->y[i]) || (my->log && !(s->y[i] > 0))) {
            pen = false;
            continue;
        }
        if (pen)
            cairo_line_to(cr, amap_f(mx, s->x[i]), amap_f(my, s->y[i]));
        else
            cairo_move_to(cr, amap_f(mx, s->x[i]), amap_f(my, s->y[i]));
        pen = true;
    }
    set_rgb(cr, hs_palette_color(s->color), 1);
    cairo_set_line_width(cr, LW_LINE);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

static void
draw_points(cairo_t *cr, const struct hs_series *s, const struct amap *mx, const struct amap *my)
{
    set_rgb(cr, hs_palette_color(s->color), 1);
    cairo_set_line_width(cr, LW_ERR);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    for (size_t i = 0; i < s->n; i++) {
        double X, Y;

        if (!isfinite(s->x[i]) || !isfinite(s->y[i]))
            continue;
        X = amap_f(mx, s->x[i]);
        Y = amap_f(my, s->y[i]);
        if (s->yerr && isfinite(s->yerr[i]) && s->yerr[i] > 0) {
            double ylo = amap_f(my, s->y[i] - s->yerr[i]);
            double yhi = amap_f(my, s->y[i] + s->yerr[i]);

            cairo_move_to(cr, X, ylo);
            cairo_line_to(cr, X, yhi);
            cairo_move_to(cr, X - 2, ylo);
            cairo_line_to(cr, X + 2, ylo);
            cairo_move_to(cr, X - 2, yhi);
            cairo_line_to(cr, X + 2, yhi);
            cairo_stroke(cr);
        }
        if (my->log && !(s->y[i] > 0))
            continue;
        cairo_arc(cr, X, Y, 2.3, 0, 2 * M_PI);
        cairo_fill(cr);
    }
}

static void
draw_scatter(cairo_t *cr, const struct hs_series *s, const struct amap *mx, const struct amap *my)
{
    double a = s->alpha > 0 && s->alpha <= 1 ? s->alpha : 0.8;

    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(s->x[i]) || !isfinite(s->y[i]) || (my->log && !(s->y[i] > 0)) ||
            (mx->log && !(s->x[i] > 0)))
            continue;
        set_rgb(cr, hs_palette_color(s->cat ? s->cat[i] : s->color), a);
        cairo_arc(cr, amap_f(mx, s->x[i]), amap_f(my, s->y[i]), 1.6, 0, 2 * M_PI);
        cairo_fill(cr);
    }
}

/* The colour scale of a heat map: the diverging map on [-1, 1] when the
 * series asks for it (correlations), else viridis over the data's range. */
struct zscale {
    double lo, hi;
    bool diverging;
};

static struct zscale
heat_scale(const struct hs_series *s)
{
    struct zscale z = {INFINITY, -INFINITY, false};

    for (size_t i = 0; i < s->nx * s->ny; i++) {
        if (!isfinite(s->z[i]))
            continue;
        z.lo = fmin(z.lo, s->z[i]);
        z.hi = fmax(z.hi, s->z[i]);
    }
    if (!(z.lo <= z.hi)) {
        z.lo = 0;
        z.hi = 1;
    }
    if (s->zdiverging) {
        z.diverging = true;
        z.lo = -1;
        z.hi = 1;
    } else if (z.lo == z.hi) {
        z.lo -= 0.5;
        z.hi += 0.5;
    }
    return z;
}

static struct hs_rgb
heat_color(const struct zscale *z, double v)
{
    if (z->diverging)
        return hs_palette_diverging(v);
    return hs_palette_sequential((v - z->lo) / (z->hi - z->lo));
}

static void
draw_heatmap(cairo_t *cr, const struct hs_series *s, const struct amap *mx, const struct amap *my)
{
    struct zscale z;

    if (!s->z || !s->x || !s->y || s->nx == 0 || s->ny == 0)
        return;
    z = heat_scale(s);
    /* Without anti-aliasing, neighbouring cells meet without a light seam. */
    cairo_save(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    for (size_t j = 0; j < s->ny; j++) {
        for (size_t i = 0; i < s->nx; i++) {
            double v = s->z[j * s->nx + i];
            double X0 = amap_f(mx, s->x[i]), X1 = amap_f(mx, s->x[i + 1]);
            double Y0 = amap_f(my, s->y[j]), Y1 = amap_f(my, s->y[j + 1]);

            if (!isfinite(v))
                continue;
            set_rgb(cr, heat_color(&z, v), 1);
            cairo_rectangle(cr, fmin(X0, X1), fmin(Y0, Y1), fabs(X1 - X0), fabs(Y1 - Y0));
            cairo_fill(cr);
        }
    }
    cairo_restore(cr);
    if (!s->zvalues)
        return;
    for (size_t j = 0; j < s->ny; j++) {
        for (size_t i = 0; i < s->nx; i++) {
            double v = s->z[j * s->nx + i];
            double X0 = amap_f(mx, s->x[i]), X1 = amap_f(mx, s->x[i + 1]);
            double Y0 = amap_f(my, s->y[j]), Y1 = amap_f(my, s->y[j + 1]);

            if (isfinite(v)) {
                char buf[32];
                struct hs_rgb c = heat_color(&z, v);
                double lum = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
                double fs = fmin(9.0, 0.4 * fabs(Y1 - Y0));
                double w;

                snprintf(buf, sizeof buf, "%.2f", v);
                if (strcmp(buf, "-0.00") == 0)
                    strcpy(buf, "0.00");
                w = text_w(cr, buf, fs);
                if (w > 0.9 * fabs(X1 - X0))
                    fs *= 0.9 * fabs(X1 - X0) / w;
                cairo_set_source_rgb(cr, lum < 0.45 ? 1 : 0, lum < 0.45 ? 1 : 0, lum < 0.45 ? 1 : 0);
                text_at(cr, buf, fs, 0.5 * (X0 + X1), 0.5 * (Y0 + Y1), 0.5, 0.5);
            }
        }
    }
}

/* Series drawn back to front: heat maps, filled bars, outlines, lines,
 * scatter markers, then data points on top of everything. */
static void
draw_series(cairo_t *cr, const struct hs_panel *p, const struct box *b, const struct amap *mx,
            const struct amap *my)
{
    static const int order[] = {0, 1, 2, 3, 4, 5};

    cairo_save(cr);
    cairo_rectangle(cr, b->x0, b->y0, b->x1 - b->x0, b->y1 - b->y0);
    cairo_clip(cr);
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        for (size_t i = 0; i < p->nseries; i++) {
            const struct hs_series *s = &p->series[i];

            switch (s->kind) {
            case HS_SERIES_HEATMAP:
                if (k == 0)
                    draw_heatmap(cr, s, mx, my);
                break;
            case HS_SERIES_HIST:
                if ((k == 1 && s->style == HS_HIST_FILLED) || (k == 2 && s->style != HS_HIST_FILLED))
                    draw_hist(cr, p, i, mx, my);
                break;
            case HS_SERIES_LINE:
                if (k == 3)
                    draw_line(cr, s, mx, my);
                break;
            case HS_SERIES_SCATTER:
                if (k == 4)
                    draw_scatter(cr, s, mx, my);
                break;
            case HS_SERIES_POINTS:
                if (k == 5)
                    draw_points(cr, s, mx, my);
                break;
            }
        }
    }
    cairo_restore(cr);
}

/* --- axes, legend, colour bar --------------------------------------------- */

static void
frame_and_ticks(cairo_t *cr, const struct box *b, const struct amap *mx, const struct amap *my,
                const struct hs_ticks *tx, const struct hs_ticks *ty)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, LW_FRAME);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    for (int minor = 0; minor < 2; minor++) {
        double len = minor ? TICK_MINOR : TICK_MAJOR;
        size_t nx = tx ? (minor ? tx->nminor : tx->n) : 0;
        size_t ny = ty ? (minor ? ty->nminor : ty->n) : 0;

        for (size_t i = 0; i < nx; i++) {
            double X = amap_f(mx, minor ? tx->minor[i] : tx->v[i]);

            if (X < b->x0 - 0.01 || X > b->x1 + 0.01)
                continue;
            cairo_move_to(cr, X, b->y1);
            cairo_line_to(cr, X, b->y1 - len);
            cairo_move_to(cr, X, b->y0);
            cairo_line_to(cr, X, b->y0 + len);
        }
        for (size_t i = 0; i < ny; i++) {
            double Y = amap_f(my, minor ? ty->minor[i] : ty->v[i]);

            if (Y < b->y0 - 0.01 || Y > b->y1 + 0.01)
                continue;
            cairo_move_to(cr, b->x0, Y);
            cairo_line_to(cr, b->x0 + len, Y);
            cairo_move_to(cr, b->x1, Y);
            cairo_line_to(cr, b->x1 - len, Y);
        }
    }
    cairo_stroke(cr);
    cairo_rectangle(cr, b->x0, b->y0, b->x1 - b->x0, b->y1 - b->y0);
    cairo_stroke(cr);
}

static void
x_tick_labels(cairo_t *cr, const struct box *b, const struct amap *mx, const struct hs_ticks *t)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (size_t i = 0; i < t->n; i++) {
        double X = amap_f(mx, t->v[i]);

        if (X < b->x0 - 0.01 || X > b->x1 + 0.01)
            continue;
        tick_label_at(cr, t, i, FS_TICK, X, b->y1 + 4 + (t->exp_used[i] ? 2 : 0), 0.5, 0);
    }
}

/* skip_top: leave out a label at the very top, where it would collide
 * with the bottom label of the panel above (the ratio panel's). */
static void
y_tick_labels(cairo_t *cr, const struct box *b, const struct amap *my, const struct hs_ticks *t,
              bool skip_top)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (size_t i = 0; i < t->n; i++) {
        double Y = amap_f(my, t->v[i]);

        if (Y < b->y0 - 0.01 || Y > b->y1 + 0.01 || (skip_top && Y < b->y0 + 0.6 * FS_TICK))
            continue;
        tick_label_at(cr, t, i, FS_TICK, b->x0 - 4, Y, 1, 0.5);
    }
}

/* Names of heat map columns (rotated when they do not fit) and rows. */
static double
names_max_w(cairo_t *cr, char **names, size_t n, double size)
{
    double m = 0;

    for (size_t i = 0; names && i < n; i++)
        if (names[i])
            m = fmax(m, text_w(cr, names[i], size));
    return m;
}

static bool
xnames_rotated(cairo_t *cr, const struct hs_series *h, double width)
{
    return names_max_w(cr, h->xnames, h->nx, FS_TICK) > 0.9 * width / (double)h->nx;
}

static void
heat_names(cairo_t *cr, const struct box *b, const struct hs_series *h, const struct amap *mx,
           const struct amap *my)
{
    bool rot = h->xnames && xnames_rotated(cr, h, b->x1 - b->x0);

    cairo_set_source_rgb(cr, 0, 0, 0);
    for (size_t i = 0; h->xnames && i < h->nx; i++) {
        double X = amap_f(mx, 0.5 * (h->x[i] + h->x[i + 1]));

        if (!h->xnames[i])
            continue;
        if (!rot) {
            text_at(cr, h->xnames[i], FS_TICK, X, b->y1 + 4, 0.5, 0);
            continue;
        }
        cairo_save(cr);
        cairo_translate(cr, X, b->y1 + 4);
        cairo_rotate(cr, -M_PI / 4);
        text_at(cr, h->xnames[i], FS_TICK, 0, 0, 1, 0);
        cairo_restore(cr);
    }
    for (size_t j = 0; h->ynames && j < h->ny; j++)
        if (h->ynames[j])
            text_at(cr, h->ynames[j], FS_TICK, b->x0 - 4, amap_f(my, 0.5 * (h->y[j] + h->y[j + 1])),
                    1, 0.5);
}

static void
color_bar(cairo_t *cr, const struct box *b, const struct hs_series *h)
{
    struct zscale z = heat_scale(h);
    struct box cb = {b->x1 + CBAR_GAP, b->y0, b->x1 + CBAR_GAP + CBAR_W, b->y1};
    struct amap mz = {z.lo, z.hi, false, cb.y1, cb.y0};
    struct hs_ticks t;
    cairo_pattern_t *pat = cairo_pattern_create_linear(0, cb.y1, 0, cb.y0);
    double wmax = 0;

    for (int k = 0; k <= 64; k++) {
        struct hs_rgb c = heat_color(&z, z.lo + (z.hi - z.lo) * k / 64.0);

        cairo_pattern_add_color_stop_rgb(pat, k / 64.0, c.r, c.g, c.b);
    }
    cairo_rectangle(cr, cb.x0, cb.y0, cb.x1 - cb.x0, cb.y1 - cb.y0);
    cairo_set_source(cr, pat);
    cairo_fill(cr);
    cairo_pattern_destroy(pat);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, LW_FRAME);
    if (hs_ticks_make(z.lo, z.hi, HS_AXIS_LINEAR, n_major(cb.y1 - cb.y0, 30), &t) == 0) {
        for (size_t i = 0; i < t.n; i++) {
            double Y = amap_f(&mz, t.v[i]);

            cairo_move_to(cr, cb.x1, Y);
            cairo_line_to(cr, cb.x1 - 3, Y);
            cairo_move_to(cr, cb.x0, Y);
            cairo_line_to(cr, cb.x0 + 3, Y);
        }
        cairo_stroke(cr);
        for (size_t i = 0; i < t.n; i++)
            tick_label_at(cr, &t, i, FS_TICK, cb.x1 + 4, amap_f(&mz, t.v[i]), 0, 0.5);
        wmax = max_tick_w(cr, &t, FS_TICK);
    }
    cairo_rectangle(cr, cb.x0, cb.y0, cb.x1 - cb.x0, cb.y1 - cb.y0);
    cairo_stroke(cr);
    if (h->zlabel) {
        cairo_save(cr);
        cairo_translate(cr, cb.x1 + 4 + wmax + 6, cb.y0);
        cairo_rotate(cr, M_PI / 2);
        text_at(cr, h->zlabel, FS_AXIS, 0, 0, 0, 1);
        cairo_restore(cr);
    }
}

/* The legend's entries: data points first, then the rest in order, stacked
 * series reversed so that the legend reads like the stack, top down. */
static size_t
legend_order(const struct hs_panel *p, size_t *idx)
{
    size_t n = 0;

    for (size_t i = 0; i < p->nseries; i++)
        if (p->series[i].label && p->series[i].kind == HS_SERIES_POINTS)
            idx[n++] = i;
    for (size_t i = 0; i < p->nseries; i++) {
        const struct hs_series *s = &p->series[i];

        if (s->label && s->kind != HS_SERIES_POINTS && s->kind != HS_SERIES_HEATMAP && s->stack == 0)
            idx[n++] = i;
    }
    for (size_t i = p->nseries; i-- > 0;) {
        const struct hs_series *s = &p->series[i];

        if (s->label && s->kind != HS_SERIES_POINTS && s->kind != HS_SERIES_HEATMAP && s->stack != 0)
            idx[n++] = i;
    }
    return n;
}

static void
legend(cairo_t *cr, const struct box *b, const struct hs_panel *p)
{
    size_t *idx, n;
    double row = 1.45 * FS_SMALL, sw = 18, wmax = 0, xr = b->x1 - 10, y = b->y0 + 10;

    if (p->nseries == 0)
        return;
    idx = malloc(p->nseries * sizeof *idx);
    if (!idx)
        return;
    n = legend_order(p, idx);
    for (size_t k = 0; k < n; k++)
        wmax = fmax(wmax, text_w(cr, p->series[idx[k]].label, FS_SMALL));
    for (size_t k = 0; k < n; k++) {
        const struct hs_series *s = &p->series[idx[k]];
        struct hs_rgb c = hs_palette_color(s->color);
        double sx = xr - wmax - 6 - sw, cy = y + row * (double)k + 0.5 * row;

        switch (s->kind) {
        case HS_SERIES_HIST:
            cairo_rectangle(cr, sx, cy - 0.32 * row, sw, 0.64 * row);
            if (s->style == HS_HIST_FILLED) {
                set_rgb(cr, c, fill_alpha(s));
                cairo_fill_preserve(cr);
            }
            set_rgb(cr, c, 1);
            cairo_set_line_width(cr, LW_HIST);
            cairo_stroke(cr);
            break;
        case HS_SERIES_LINE:
            set_rgb(cr, c, 1);
            cairo_set_line_width(cr, LW_LINE);
            cairo_move_to(cr, sx, cy);
            cairo_line_to(cr, sx + sw, cy);
            cairo_stroke(cr);
            break;
        case HS_SERIES_POINTS:
            set_rgb(cr, c, 1);
            cairo_set_line_width(cr, LW_ERR);
            cairo_move_to(cr, sx + sw / 2, cy - 0.4 * row);
            cairo_line_to(cr, sx + sw / 2, cy + 0.4 * row);
            cairo_stroke(cr);
            cairo_arc(cr, sx + sw / 2, cy, 2.3, 0, 2 * M_PI);
            cairo_fill(cr);
            break;
        case HS_SERIES_SCATTER:
        case HS_SERIES_HEATMAP:
            set_rgb(cr, c, 1);
            cairo_arc(cr, sx + sw / 2, cy, 2.3, 0, 2 * M_PI);
            cairo_fill(cr);
            break;
        }
        cairo_set_source_rgb(cr, 0, 0, 0);
        text_at(cr, s->label, FS_SMALL, xr - wmax, cy, 0, 0.5);
    }
    free(idx);
}

/* --- the page ------------------------------------------------------------ */

static void
draw_figure(cairo_t *cr, const struct hs_figure *f, double W, double H)
{
    const struct hs_panel *mp = &f->main, *rp = &f->ratio;
    bool ratio = f->has_ratio;
    const struct hs_series *heat = find_heatmap(mp);
    struct amap mx, my, ry = {0};
    struct hs_ticks tx, ty, tr;
    bool okx, oky, okr = false;
    double xlo, xhi, ylo, yhi, rlo = 0, rhi = 0;
    double left, right, top, bottom, plot_h;
    struct box mb, rb = {0};
    bool headroom = (f->legend && mp->nseries > 0) || f->text;
    bool xn = heat && heat->xnames, yn = heat && heat->ynames;
    const struct hs_axis *xa = ratio ? (rp->x.label ? &rp->x : &mp->x) : &mp->x;

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);

    axis_range(mp, 0, false, false, &xlo, &xhi);
    axis_range(mp, 1, false, headroom && !heat, &ylo, &yhi);
    if (ratio)
        axis_range(rp, 1, true, false, &rlo, &rhi);

    /* Margins from the text they hold; the y ticks first at a guessed
     * height, for the width of their labels. */
    top = f->title ? PAD + 1.3 * FS_TITLE + 4 : 10;
    bottom = PAD + 4 + 1.3 * FS_TICK + (xa->label ? 1.3 * FS_AXIS + 2 : 0);
    plot_h = H - top - bottom;
    oky = hs_ticks_make(ylo, yhi, mp->y.scale, n_major(plot_h * (ratio ? 0.7 : 1), 32), &ty) == 0;
    if (ratio)
        okr = hs_ticks_make(rlo, rhi, rp->y.scale, n_major(plot_h * 0.3, 20), &tr) == 0;
    left = PAD + 4 + (mp->y.label || (ratio && rp->y.label) ? 1.3 * FS_AXIS + 2 : 0);
    if (yn)
        left += names_max_w(cr, heat->ynames, heat->ny, FS_TICK);
    else
        left += fmax(oky ? max_tick_w(cr, &ty, FS_TICK) : 0, okr ? max_tick_w(cr, &tr, FS_TICK) : 0);
    right = 14;
    if (heat) {
        struct zscale z = heat_scale(heat);
        struct hs_ticks tz;

        right = CBAR_GAP + CBAR_W + 4 + PAD + (heat->zlabel ? 1.3 * FS_AXIS + 6 : 0);
        if (hs_ticks_make(z.lo, z.hi, HS_AXIS_LINEAR, 6, &tz) == 0)
            right += max_tick_w(cr, &tz, FS_TICK);
    }
    if (xn && xnames_rotated(cr, heat, W - left - right))
        bottom += 0.71 * names_max_w(cr, heat->xnames, heat->nx, FS_TICK);
    if (W - left - right < 20 || H - top - bottom < 20) {
        /* Too small for a plot: leave the white page. */
        return;
    }
    plot_h = H - top - bottom;
    mb = (struct box){left, top, W - right, H - bottom};
    if (ratio) {
        double rh = RATIO_SHARE * plot_h;

        mb.y1 = top + plot_h - rh;
        rb = (struct box){left, mb.y1 + 4, W - right, H - bottom};
        ry = (struct amap){rlo, rhi, rp->y.scale == HS_AXIS_LOG, rb.y1, rb.y0};
        okr = hs_ticks_make(rlo, rhi, rp->y.scale, n_major(rb.y1 - rb.y0, 24), &tr) == 0;
    }
    mx = (struct amap){xlo, xhi, mp->x.scale == HS_AXIS_LOG, mb.x0, mb.x1};
    my = (struct amap){ylo, yhi, mp->y.scale == HS_AXIS_LOG, mb.y1, mb.y0};
    okx = hs_ticks_make(xlo, xhi, mp->x.scale, n_major(mb.x1 - mb.x0, 55), &tx) == 0;
    oky = hs_ticks_make(ylo, yhi, mp->y.scale, n_major(mb.y1 - mb.y0, 32), &ty) == 0;
    if (xn)
        okx = false;
    if (yn)
        oky = false;

    draw_series(cr, mp, &mb, &mx, &my);
    frame_and_ticks(cr, &mb, &mx, &my, okx ? &tx : NULL, oky ? &ty : NULL);
    if (oky)
        y_tick_labels(cr, &mb, &my, &ty, false);
    if (heat && (xn || yn))
        heat_names(cr, &mb, heat, &mx, &my);
    if (ratio) {
        struct amap rx = mx;

        rx.p0 = rb.x0;
        rx.p1 = rb.x1;
        draw_series(cr, rp, &rb, &rx, &ry);
        if (1 > rlo && 1 < rhi) {
            double Y = amap_f(&ry, 1), dash[] = {4, 3};

            cairo_save(cr);
            cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
            cairo_set_line_width(cr, LW_FRAME);
            cairo_set_dash(cr, dash, 2, 0);
            cairo_move_to(cr, rb.x0, Y);
            cairo_line_to(cr, rb.x1, Y);
            cairo_stroke(cr);
            cairo_restore(cr);
        }
        frame_and_ticks(cr, &rb, &rx, &ry, okx ? &tx : NULL, okr ? &tr : NULL);
        if (okr)
            y_tick_labels(cr, &rb, &ry, &tr, true);
        if (okx)
            x_tick_labels(cr, &rb, &rx, &tx);
    } else if (okx) {
        x_tick_labels(cr, &mb, &mx, &tx);
    }
    if (heat)
        color_bar(cr, &mb, heat);

    cairo_set_source_rgb(cr, 0, 0, 0);
    if (xa->label)
        text_at(cr, xa->label, FS_AXIS, mb.x1, H - PAD, 1, 1);
    if (mp->y.label) {
        cairo_save(cr);
        cairo_translate(cr, PAD + CAP * FS_AXIS, mb.y0);
        cairo_rotate(cr, -M_PI / 2);
        text_at(cr, mp->y.label, FS_AXIS, 0, 0, 1, 1);
        cairo_restore(cr);
    }
    if (ratio && rp->y.label) {
        cairo_save(cr);
        cairo_translate(cr, PAD + CAP * FS_AXIS, 0.5 * (rb.y0 + rb.y1));
        cairo_rotate(cr, -M_PI / 2);
        text_at(cr, rp->y.label, FS_AXIS, 0, 0, 0.5, 1);
        cairo_restore(cr);
    }
    if (f->title)
        text_at(cr, f->title, FS_TITLE, 0.5 * (mb.x0 + mb.x1), top - 6, 0.5, 1);
    if (f->text)
        text_at(cr, f->text, FS_SMALL, mb.x0 + 10, mb.y0 + 10, 0, 0);
    if (f->legend)
        legend(cr, &mb, mp);
}

/* --- files --------------------------------------------------------------- */

static cairo_status_t
write_stream(void *closure, const unsigned char *data, unsigned int length)
{
    FILE *fp = closure;

    return fwrite(data, 1, length, fp) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static int
format_of(const char *path, enum fmt *out)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');

    if (!dot)
        return -1;
    if (strcasecmp(dot, ".png") == 0)
        *out = FMT_PNG;
    else if (strcasecmp(dot, ".svg") == 0)
        *out = FMT_SVG;
    else if (strcasecmp(dot, ".pdf") == 0)
        *out = FMT_PDF;
    else
        return -1;
    return 0;
}

static int
render_to(const struct hs_figure *f, FILE *fp, enum fmt fmt, int wpx, int hpx, double dpi,
          const char *command, char *msg)
{
    double W = wpx * 72.0 / dpi, H = hpx * 72.0 / dpi;
    cairo_surface_t *sf;
    cairo_t *cr;
    cairo_status_t st;
    int rc = 0;

    if (fmt == FMT_PNG)
        sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, wpx, hpx);
    else if (fmt == FMT_SVG)
        sf = cairo_svg_surface_create_for_stream(write_stream, fp, W, H);
    else
        sf = cairo_pdf_surface_create_for_stream(write_stream, fp, W, H);
    if (fmt == FMT_SVG)
        cairo_svg_surface_set_document_unit(sf, CAIRO_SVG_UNIT_PT);
    if (fmt == FMT_PDF) {
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, SOFTWARE);
        if (f->title)
            cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, f->title);
        if (command)
            cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_SUBJECT, command);
    }
    cr = cairo_create(sf);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
    if (fmt == FMT_PNG)
        cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    draw_figure(cr, f, W, H);
    st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(sf);
    if (st == CAIRO_STATUS_SUCCESS && fmt == FMT_PNG) {
        struct hs_png_text text[2] = {{"Software", SOFTWARE}, {"Command", command}};

        rc = hs_png_write(fp, cairo_image_surface_get_data(sf), wpx, hpx,
                          cairo_image_surface_get_stride(sf), dpi, text, command ? 2 : 1, msg);
    }
    cairo_surface_finish(sf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    if (st != CAIRO_STATUS_SUCCESS) {
        set_msg(msg, "cannot draw the figure: %s%s", cairo_status_to_string(st), NULL);
        return -1;
    }
    return rc;
}

int
hs_figure_save(const struct hs_figure *f, const char *path, int width_px, int height_px,
               double dpi, const char *command, char *msg)
{
    enum fmt fmt;
    char *tmp;
    size_t len;
    int fd, rc;
    FILE *fp;
    mode_t mask;

    if (!f || !path || !*path) {
        set_msg(msg, "no figure or no file name%s%s", "", NULL);
        return -1;
    }
    if (format_of(path, &fmt) != 0) {
        set_msg(msg, "cannot save '%s': unknown file type (use .png, .svg or .pdf)%s", path, NULL);
        return -1;
    }
    if (width_px < 16 || height_px < 16 || width_px > 32768 || height_px > 32768) {
        set_msg(msg, "cannot save '%s': width and height must be 16 to 32768 pixels%s", path, NULL);
        return -1;
    }
    if (!(dpi >= 10 && dpi <= 10000)) {
        set_msg(msg, "cannot save '%s': dpi must be 10 to 10000%s", path, NULL);
        return -1;
    }
    len = strlen(path);
    tmp = malloc(len + 8);
    if (!tmp) {
        set_msg(msg, "cannot save '%s': %s", path, strerror(ENOMEM));
        return -1;
    }
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".XXXXXX", 8);
    fd = mkstemp(tmp);
    if (fd < 0) {
        set_msg(msg, "cannot save '%s': %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    /* mkstemp makes the file private; give it a plain file's permissions. */
    mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(fp = fdopen(fd, "wb"))) {
        set_msg(msg, "cannot save '%s': %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    rc = render_to(f, fp, fmt, width_px, height_px, dpi, command, msg);
    if (fflush(fp) != 0 || ferror(fp)) {
        if (rc == 0)
            set_msg(msg, "cannot save '%s': %s", path, strerror(errno));
        rc = -1;
    }
    if (fclose(fp) != 0 && rc == 0) {
        set_msg(msg, "cannot save '%s': %s", path, strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        set_msg(msg, "cannot save '%s': %s", path, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

void
hs_cairo_release(void)
{
    /* cairo's font map holds fontconfig patterns: release it first. */
    cairo_debug_reset_static_data();
    FcFini();
}

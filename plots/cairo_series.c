/* cairo_series.c: the series of a panel drawn with cairo (cairo_render.c
 * lays out the page): stacked and plain histograms, hatched uncertainty
 * bands, lines, scatter markers, data points with error bars and heat
 * maps.  Series that share a colour differ by line dashes and marker
 * shapes, by their rank among the series of that colour.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/cairo_int.h"

/* Series that draw lines (dashes tell them apart) or markers (shapes do). */
static bool
is_marker_kind(enum hs_series_kind k)
{
    return k == HS_SERIES_POINTS || k == HS_SERIES_SCATTER;
}

static bool
is_line_kind(enum hs_series_kind k)
{
    return k == HS_SERIES_HIST || k == HS_SERIES_LINE;
}

int
hs_cr_variant(const struct hs_panel *p, size_t i)
{
    const struct hs_series *s = &p->series[i];
    int k = hs_panel_style_index(p, i), v = 0;

    for (size_t j = 0; j < p->nseries; j++) {
        const struct hs_series *o = &p->series[j];

        if (j == i || o->color != s->color || o->cat || s->cat)
            continue;
        if ((is_marker_kind(o->kind) && is_marker_kind(s->kind)) ||
            (is_line_kind(o->kind) && is_line_kind(s->kind)))
            v += hs_panel_style_index(p, j) < k;
    }
    return v;
}

void
hs_cr_set_dash(cairo_t *cr, int variant)
{
    static const double dash[3][4] = {{5, 3, 0, 0}, {1.5, 2, 0, 0}, {6, 2, 1.5, 2}};
    static const int ndash[3] = {2, 2, 4};

    if (variant <= 0) {
        cairo_set_dash(cr, NULL, 0, 0);
        return;
    }
    cairo_set_dash(cr, dash[(variant - 1) % 3], ndash[(variant - 1) % 3], 0);
}

void
hs_cr_marker(cairo_t *cr, int variant, double x, double y, double r)
{
    switch (variant % 6) {
    case 0:
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        break;
    case 1:
        cairo_rectangle(cr, x - 0.9 * r, y - 0.9 * r, 1.8 * r, 1.8 * r);
        break;
    case 2:
    case 4: {
        double d = variant % 6 == 2 ? 1 : -1;

        cairo_move_to(cr, x, y - d * 1.25 * r);
        cairo_line_to(cr, x + 1.1 * r, y + d * 0.75 * r);
        cairo_line_to(cr, x - 1.1 * r, y + d * 0.75 * r);
        cairo_close_path(cr);
        break;
    }
    case 3:
        cairo_move_to(cr, x, y - 1.3 * r);
        cairo_line_to(cr, x + 1.1 * r, y);
        cairo_line_to(cr, x, y + 1.3 * r);
        cairo_line_to(cr, x - 1.1 * r, y);
        cairo_close_path(cr);
        break;
    default:
        /* an open circle: a ring */
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        cairo_new_sub_path(cr);
        cairo_arc_negative(cr, x, y, 0.55 * r, 2 * M_PI, 0);
        break;
    }
    cairo_fill(cr);
}

/* Diagonal lines 45 degrees up, every gap points, over the whole clip. */
void
hs_cr_hatch(cairo_t *cr, double x0, double y0, double x1, double y1, double gap)
{
    double h = y1 - y0;

    for (double x = x0 - h; x < x1; x += gap) {
        cairo_move_to(cr, x, y1);
        cairo_line_to(cr, x + h, y0);
    }
    cairo_stroke(cr);
}


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

/* The outline of a histogram's tops, from the base at the left edge to the
 * base at the right edge. */
static void
hist_top_path(cairo_t *cr, const struct hs_series *s, const double *base, const struct amap *mx,
              const struct amap *my)
{
    size_t n = s->n;
    double b0 = base ? base[0] : 0, bn = base ? base[n - 1] : 0;

    cairo_move_to(cr, hs_cr_amap_f(mx, s->x[0]), hs_cr_amap_f(my, b0));
    for (size_t i = 0; i < n; i++) {
        double top = (base ? base[i] : 0) + (isfinite(s->y[i]) ? s->y[i] : 0);

        cairo_line_to(cr, hs_cr_amap_f(mx, s->x[i]), hs_cr_amap_f(my, top));
        cairo_line_to(cr, hs_cr_amap_f(mx, s->x[i + 1]), hs_cr_amap_f(my, top));
    }
    cairo_line_to(cr, hs_cr_amap_f(mx, s->x[n]), hs_cr_amap_f(my, bn));
}

static void
draw_hist(cairo_t *cr, const struct hs_panel *p, size_t si, const struct amap *mx,
          const struct amap *my, bool fill)
{
    const struct hs_series *s = &p->series[si];
    struct hs_rgb c = hs_palette_color(s->color);
    double *base;

    if (s->n == 0 || !s->x || !s->y)
        return;
    base = stack_base(p, si);
    if (fill) {
        hist_top_path(cr, s, base, mx, my);
        for (size_t i = s->n; i-- > 0;) {
            double b = base ? base[i] : 0;

            cairo_line_to(cr, hs_cr_amap_f(mx, s->x[i + 1]), hs_cr_amap_f(my, b));
            cairo_line_to(cr, hs_cr_amap_f(mx, s->x[i]), hs_cr_amap_f(my, b));
        }
        cairo_close_path(cr);
        hs_cr_set_rgb(cr, c, hs_cr_fill_alpha(s));
        cairo_fill(cr);
        free(base);
        return;
    }
    hist_top_path(cr, s, base, mx, my);
    hs_cr_set_rgb(cr, c, 1);
    cairo_set_line_width(cr, LW_HIST);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    hs_cr_set_dash(cr, hs_cr_variant(p, si));
    cairo_stroke(cr);
    hs_cr_set_dash(cr, 0);
    free(base);
}

static void
draw_line(cairo_t *cr, const struct hs_series *s, int variant, const struct amap *mx,
          const struct amap *my)
{
    bool pen = false;

    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(s->x[i]) || !isfinite(s->y[i]) || (my->log && !(s->y[i] > 0))) {
            pen = false;
            continue;
        }
        if (pen)
            cairo_line_to(cr, hs_cr_amap_f(mx, s->x[i]), hs_cr_amap_f(my, s->y[i]));
        else
            cairo_move_to(cr, hs_cr_amap_f(mx, s->x[i]), hs_cr_amap_f(my, s->y[i]));
        pen = true;
    }
    hs_cr_set_rgb(cr, hs_palette_color(s->color), 1);
    cairo_set_line_width(cr, LW_LINE);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    hs_cr_set_dash(cr, variant);
    cairo_stroke(cr);
    hs_cr_set_dash(cr, 0);
}

/* Markers with vertical error bars (and caps), as mplhep draws data. */
static void
draw_points(cairo_t *cr, const struct hs_series *s, int variant, const struct amap *mx,
            const struct amap *my)
{
    hs_cr_set_rgb(cr, hs_palette_color(s->color), 1);
    cairo_set_line_width(cr, LW_ERR);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    for (size_t i = 0; i < s->n; i++) {
        double X, Y;

        if (!isfinite(s->x[i]) || !isfinite(s->y[i]))
            continue;
        X = hs_cr_amap_f(mx, s->x[i]);
        Y = hs_cr_amap_f(my, s->y[i]);
        if (s->yerr && isfinite(s->yerr[i]) && s->yerr[i] > 0) {
            double ylo = hs_cr_amap_f(my, s->y[i] - s->yerr[i]);
            double yhi = hs_cr_amap_f(my, s->y[i] + s->yerr[i]);

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
        hs_cr_marker(cr, variant, X, Y, R_POINT);
    }
}

static void
draw_scatter(cairo_t *cr, const struct hs_series *s, int variant, const struct amap *mx,
             const struct amap *my)
{
    double a = s->alpha > 0 && s->alpha <= 1 ? s->alpha : 0.8;

    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(s->x[i]) || !isfinite(s->y[i]) || (my->log && !(s->y[i] > 0)) ||
            (mx->log && !(s->x[i] > 0)))
            continue;
        hs_cr_set_rgb(cr, hs_palette_color(s->cat ? s->cat[i] : s->color), a);
        hs_cr_marker(cr, variant, hs_cr_amap_f(mx, s->x[i]), hs_cr_amap_f(my, s->y[i]),
                     s->n > 64 ? 1.6 : R_POINT);
    }
}

static void
draw_heatmap(cairo_t *cr, const struct hs_series *s, const struct amap *mx, const struct amap *my)
{
    struct zscale z;

    if (!s->z || !s->x || !s->y || s->nx == 0 || s->ny == 0)
        return;
    z = hs_cr_heat_scale(s);
    /* Without anti-aliasing, neighbouring cells meet without a light seam. */
    cairo_save(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    for (size_t j = 0; j < s->ny; j++) {
        for (size_t i = 0; i < s->nx; i++) {
            double v = s->z[j * s->nx + i];
            double X0 = hs_cr_amap_f(mx, s->x[i]), X1 = hs_cr_amap_f(mx, s->x[i + 1]);
            double Y0 = hs_cr_amap_f(my, s->y[j]), Y1 = hs_cr_amap_f(my, s->y[j + 1]);

            if (!isfinite(v) || (z.log && !(v > 0)))
                continue;
            hs_cr_set_rgb(cr, hs_cr_heat_color(&z, v), 1);
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
            double X0 = hs_cr_amap_f(mx, s->x[i]), X1 = hs_cr_amap_f(mx, s->x[i + 1]);
            double Y0 = hs_cr_amap_f(my, s->y[j]), Y1 = hs_cr_amap_f(my, s->y[j + 1]);

            if (isfinite(v) && !(z.log && !(v > 0))) {
                char buf[32];
                struct hs_rgb c = hs_cr_heat_color(&z, v);
                double lum = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
                double fs = fmin(9.0, 0.4 * fabs(Y1 - Y0));
                double w;

                snprintf(buf, sizeof buf, "%.2f", v);
                if (strcmp(buf, "-0.00") == 0)
                    strcpy(buf, "0.00");
                w = hs_cr_text_w(cr, buf, fs);
                if (w > 0.9 * fabs(X1 - X0))
                    fs *= 0.9 * fabs(X1 - X0) / w;
                cairo_set_source_rgb(cr, lum < 0.45 ? 1 : 0, lum < 0.45 ? 1 : 0, lum < 0.45 ? 1 : 0);
                hs_cr_text_at(cr, buf, fs, 0.5 * (X0 + X1), 0.5 * (Y0 + Y1), 0.5, 0.5);
            }
        }
    }
}

/* The band from y - yerr to y + yerr over each bin: hatched in the
 * series' colour, its edge a thin line (mplhep's hatch="///"). */
static void
draw_band(cairo_t *cr, const struct hs_series *s, const struct amap *mx, const struct amap *my)
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;

    if (!s->yerr)
        return;
    cairo_save(cr);
    for (size_t i = 0; i < s->n; i++) {
        double lo, hi, X0, X1, Y0, Y1;

        if (!isfinite(s->y[i]) || !isfinite(s->yerr[i]) || s->yerr[i] == 0)
            continue;
        lo = s->y[i] - fabs(s->yerr[i]);
        hi = s->y[i] + fabs(s->yerr[i]);
        X0 = hs_cr_amap_f(mx, s->x[i]);
        X1 = hs_cr_amap_f(mx, s->x[i + 1]);
        Y0 = hs_cr_amap_f(my, hi);
        Y1 = hs_cr_amap_f(my, lo);
        cairo_rectangle(cr, fmin(X0, X1), fmin(Y0, Y1), fabs(X1 - X0), fabs(Y1 - Y0));
        x0 = fmin(x0, fmin(X0, X1));
        x1 = fmax(x1, fmax(X0, X1));
        y0 = fmin(y0, fmin(Y0, Y1));
        y1 = fmax(y1, fmax(Y0, Y1));
    }
    if (!(x1 > x0)) {
        cairo_new_path(cr);
        cairo_restore(cr);
        return;
    }
    cairo_clip(cr);
    hs_cr_set_rgb(cr, hs_palette_color(s->color), 0.7);
    cairo_set_line_width(cr, 0.6);
    hs_cr_hatch(cr, x0, y0, x1, y1, 3.5);
    cairo_restore(cr);
}

/* Series drawn back to front: heat maps, filled bars, bands, outlines,
 * lines, scatter markers, then data points on top of everything. */
void
hs_cr_draw_series(cairo_t *cr, const struct hs_panel *p, const struct box *b,
                  const struct amap *mx, const struct amap *my)
{
    static const int order[] = {0, 1, 2, 3, 4, 5, 6};

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
                if ((k == 1 && s->style == HS_HIST_FILLED) || k == 3)
                    draw_hist(cr, p, i, mx, my, k == 1);
                break;
            case HS_SERIES_BAND:
                if (k == 2)
                    draw_band(cr, s, mx, my);
                break;
            case HS_SERIES_LINE:
                if (k == 4)
                    draw_line(cr, s, hs_cr_variant(p, i), mx, my);
                break;
            case HS_SERIES_SCATTER:
                if (k == 5)
                    draw_scatter(cr, s, hs_cr_variant(p, i), mx, my);
                break;
            case HS_SERIES_POINTS:
                if (k == 6)
                    draw_points(cr, s, hs_cr_variant(p, i), mx, my);
                break;
            }
        }
    }
    cairo_restore(cr);
}


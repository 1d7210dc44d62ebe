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
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plots/cairo_int.h"
#include "plots/palette.h"
#include "plots/png_write.h"
#include "plots/ticks.h"

#define SOFTWARE "hepscope " PACKAGE_VERSION

enum fmt { FMT_PNG, FMT_SVG, FMT_PDF };

static void
set_msg(char *msg, const char *fmt, const char *a, const char *b)
{
    if (msg)
        snprintf(msg, HS_PLOT_MSG_MAX, fmt, a, b ? b : "");
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

            cairo_line_to(cr, hs_cr_amap_f(mx, s->x[i + 1]), hs_cr_amap_f(my, b));
            cairo_line_to(cr, hs_cr_amap_f(mx, s->x[i]), hs_cr_amap_f(my, b));
        }
        cairo_close_path(cr);
        hs_cr_set_rgb(cr, c, hs_cr_fill_alpha(s));
        cairo_fill(cr);
    }
    hist_top_path(cr, s, base, mx, my);
    hs_cr_set_rgb(cr, c, 1);
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
            cairo_line_to(cr, hs_cr_amap_f(mx, s->x[i]), hs_cr_amap_f(my, s->y[i]));
        else
            cairo_move_to(cr, hs_cr_amap_f(mx, s->x[i]), hs_cr_amap_f(my, s->y[i]));
        pen = true;
    }
    hs_cr_set_rgb(cr, hs_palette_color(s->color), 1);
    cairo_set_line_width(cr, LW_LINE);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

static void
draw_points(cairo_t *cr, const struct hs_series *s, const struct amap *mx, const struct amap *my)
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
        hs_cr_set_rgb(cr, hs_palette_color(s->cat ? s->cat[i] : s->color), a);
        cairo_arc(cr, hs_cr_amap_f(mx, s->x[i]), hs_cr_amap_f(my, s->y[i]), 1.6, 0, 2 * M_PI);
        cairo_fill(cr);
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

            if (!isfinite(v))
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

            if (isfinite(v)) {
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
    bool headroom = (f->legend && mp->nseries > 0 && f->legend_pos == HS_LEGEND_TOP) || f->text;
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
    oky = hs_ticks_make(ylo, yhi, mp->y.scale, hs_cr_n_major(plot_h * (ratio ? 0.7 : 1), 32),
                        &ty) == 0;
    if (ratio)
        okr = hs_ticks_make(rlo, rhi, rp->y.scale, hs_cr_n_major(plot_h * 0.3, 20), &tr) == 0;
    left = PAD + 4 + (mp->y.label || (ratio && rp->y.label) ? 1.3 * FS_AXIS + 2 : 0);
    if (yn)
        left += hs_cr_names_max_w(cr, heat->ynames, heat->ny, FS_TICK);
    else
        left += fmax(oky ? hs_cr_max_tick_w(cr, &ty, FS_TICK) : 0,
                     okr ? hs_cr_max_tick_w(cr, &tr, FS_TICK) : 0);
    right = 14;
    if (heat) {
        struct zscale z = hs_cr_heat_scale(heat);
        struct hs_ticks tz;

        right = CBAR_GAP + CBAR_W + 4 + PAD + (heat->zlabel ? 1.3 * FS_AXIS + 6 : 0);
        if (hs_ticks_make(z.lo, z.hi, HS_AXIS_LINEAR, 6, &tz) == 0)
            right += hs_cr_max_tick_w(cr, &tz, FS_TICK);
    }
    if (xn && hs_cr_xnames_rotated(cr, heat, W - left - right))
        bottom += 0.71 * hs_cr_names_max_w(cr, heat->xnames, heat->nx, FS_TICK);
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
        okr = hs_ticks_make(rlo, rhi, rp->y.scale, hs_cr_n_major(rb.y1 - rb.y0, 24), &tr) == 0;
    }
    mx = (struct amap){xlo, xhi, mp->x.scale == HS_AXIS_LOG, mb.x0, mb.x1};
    my = (struct amap){ylo, yhi, mp->y.scale == HS_AXIS_LOG, mb.y1, mb.y0};
    okx = hs_ticks_make(xlo, xhi, mp->x.scale, hs_cr_n_major(mb.x1 - mb.x0, 55), &tx) == 0;
    oky = hs_ticks_make(ylo, yhi, mp->y.scale, hs_cr_n_major(mb.y1 - mb.y0, 32), &ty) == 0;
    if (xn)
        okx = false;
    if (yn)
        oky = false;

    draw_series(cr, mp, &mb, &mx, &my);
    hs_cr_frame_and_ticks(cr, &mb, &mx, &my, okx ? &tx : NULL, oky ? &ty : NULL);
    if (oky)
        hs_cr_y_tick_labels(cr, &mb, &my, &ty, false);
    if (heat && (xn || yn))
        hs_cr_heat_names(cr, &mb, heat, &mx, &my);
    if (ratio) {
        struct amap rx = mx;

        rx.p0 = rb.x0;
        rx.p1 = rb.x1;
        draw_series(cr, rp, &rb, &rx, &ry);
        if (1 > rlo && 1 < rhi) {
            double Y = hs_cr_amap_f(&ry, 1), dash[] = {4, 3};

            cairo_save(cr);
            cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
            cairo_set_line_width(cr, LW_FRAME);
            cairo_set_dash(cr, dash, 2, 0);
            cairo_move_to(cr, rb.x0, Y);
            cairo_line_to(cr, rb.x1, Y);
            cairo_stroke(cr);
            cairo_restore(cr);
        }
        hs_cr_frame_and_ticks(cr, &rb, &rx, &ry, okx ? &tx : NULL, okr ? &tr : NULL);
        if (okr)
            hs_cr_y_tick_labels(cr, &rb, &ry, &tr, true);
        if (okx)
            hs_cr_x_tick_labels(cr, &rb, &rx, &tx);
    } else if (okx) {
        hs_cr_x_tick_labels(cr, &mb, &mx, &tx);
    }
    if (heat)
        hs_cr_color_bar(cr, &mb, heat);

    cairo_set_source_rgb(cr, 0, 0, 0);
    if (xa->label)
        hs_cr_text_at(cr, xa->label, FS_AXIS, mb.x1, H - PAD, 1, 1);
    if (mp->y.label) {
        cairo_save(cr);
        cairo_translate(cr, PAD + CAP * FS_AXIS, mb.y0);
        cairo_rotate(cr, -M_PI / 2);
        hs_cr_text_at(cr, mp->y.label, FS_AXIS, 0, 0, 1, 1);
        cairo_restore(cr);
    }
    if (ratio && rp->y.label) {
        cairo_save(cr);
        cairo_translate(cr, PAD + CAP * FS_AXIS, 0.5 * (rb.y0 + rb.y1));
        cairo_rotate(cr, -M_PI / 2);
        hs_cr_text_at(cr, rp->y.label, FS_AXIS, 0, 0, 0.5, 1);
        cairo_restore(cr);
    }
    if (f->title)
        hs_cr_text_at(cr, f->title, FS_TITLE, 0.5 * (mb.x0 + mb.x1), top - 6, 0.5, 1);
    if (f->text)
        hs_cr_text_at(cr, f->text, FS_SMALL, mb.x0 + 10, mb.y0 + 10, 0, 0);
    if (f->legend)
        hs_cr_legend(cr, &mb, mp, f->legend_pos);
}

/* --- files --------------------------------------------------------------- */

/* The SVG and PDF surfaces' output: cairo keeps only "error while writing
 * to output stream", so the errno of the first failed write is kept here. */
struct out_stream {
    FILE *fp;
    int err;
};

static cairo_status_t
write_stream(void *closure, const unsigned char *data, unsigned int length)
{
    struct out_stream *out = closure;

    if (fwrite(data, 1, length, out->fp) == length)
        return CAIRO_STATUS_SUCCESS;
    if (!out->err)
        out->err = errno ? errno : EIO;
    return CAIRO_STATUS_WRITE_ERROR;
}

static const char *
format_name(enum fmt fmt)
{
    return fmt == FMT_PNG ? "PNG" : fmt == FMT_SVG ? "SVG" : "PDF";
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

/* Figure k of a grid goes into cell (k % cols, k / cols) of a page W x H
 * points, cut into cols columns and as many rows as needed. */
static void
draw_grid(cairo_t *cr, const struct hs_figure *const *figs, size_t n, size_t cols, double W,
          double H)
{
    size_t rows = (n + cols - 1) / cols;

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    for (size_t k = 0; k < n; k++) {
        size_t c = k % cols, r = k / cols;
        double x0 = W * (double)c / (double)cols, x1 = W * (double)(c + 1) / (double)cols;
        double y0 = H * (double)r / (double)rows, y1 = H * (double)(r + 1) / (double)rows;

        /* Each figure believes it has a page of its own: its origin moved to
         * the cell's corner, and nothing it draws can spill into the next. */
        cairo_save(cr);
        cairo_translate(cr, x0, y0);
        cairo_rectangle(cr, 0, 0, x1 - x0, y1 - y0);
        cairo_clip(cr);
        draw_figure(cr, figs[k], x1 - x0, y1 - y0);
        cairo_restore(cr);
    }
}

/* The pixels of a PNG: 6.4 MB for 1600x1000, which cairo's own calloc
 * faults in 4 KB at a time.  Fresh anonymous pages are zero (transparent,
 * as cairo's are), and in transparent huge pages they take a few faults
 * instead of 1,600.  NULL when the system will not: cairo allocates. */
static unsigned char *
pixels_map(int stride, int hpx, size_t *len)
{
#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
    const size_t huge = (size_t)2 << 20;
    void *p;

    *len = ((size_t)stride * (size_t)hpx + huge - 1) / huge * huge;
    p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    madvise(p, *len, MADV_HUGEPAGE);
    return p;
#else
    (void)stride;
    (void)hpx;
    *len = 0;
    return NULL;
#endif
}

/* One figure fills the page when grid is false (hs_figure_save), else
 * figs form a grid of cols columns. */
static int
render_to(const struct hs_figure *const *figs, size_t n, size_t cols, bool grid, FILE *fp,
          enum fmt fmt, int wpx, int hpx, double dpi, const char *command, char *msg)
{
    double W = wpx * 72.0 / dpi, H = hpx * 72.0 / dpi;
    const char *title = n == 1 ? figs[0]->title : NULL;
    cairo_surface_t *sf;
    cairo_t *cr;
    cairo_status_t st;
    struct out_stream out = {fp, 0};
    unsigned char *pixels = NULL;
    size_t pixels_len = 0;
    int rc = 0;

    if (fmt == FMT_PNG) {
        int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, wpx);
        if (stride > 0 && (pixels = pixels_map(stride, hpx, &pixels_len)))
            sf = cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_ARGB32, wpx, hpx,
                                                     stride);
        else
            sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, wpx, hpx);
    } else if (fmt == FMT_SVG)
        sf = cairo_svg_surface_create_for_stream(write_stream, &out, W, H);
    else
        sf = cairo_pdf_surface_create_for_stream(write_stream, &out, W, H);
    if (fmt == FMT_SVG)
        cairo_svg_surface_set_document_unit(sf, CAIRO_SVG_UNIT_PT);
    if (fmt == FMT_PDF) {
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, SOFTWARE);
        if (title)
            cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
        if (command)
            cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_SUBJECT, command);
    }
    cr = cairo_create(sf);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
    if (fmt == FMT_PNG)
        cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    if (grid)
        draw_grid(cr, figs, n, cols, W, H);
    else
        draw_figure(cr, figs[0], W, H);
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
    if (pixels)
        munmap(pixels, pixels_len);
    if (st == CAIRO_STATUS_WRITE_ERROR && out.err) {
        set_msg(msg, "cannot write the %s: %s", format_name(fmt), strerror(out.err));
        return -1;
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        set_msg(msg, "cannot draw the figure: %s%s", cairo_status_to_string(st), NULL);
        return -1;
    }
    return rc;
}

/* "x.png: cannot write the PNG: No space left on device" */
static void
write_failed(char *msg, const char *path, enum fmt fmt, int err)
{
    if (msg)
        snprintf(msg, HS_PLOT_MSG_MAX, "%.150s: cannot write the %s: %s", path, format_name(fmt),
                 strerror(err ? err : EIO));
}

static int
save(const struct hs_figure *const *figs, size_t n, size_t cols, bool grid, const char *path,
     int width_px, int height_px, double dpi, const char *command, char *msg)
{
    enum fmt fmt;
    char *tmp;
    size_t len;
    int fd, rc;
    FILE *fp;
    mode_t mask;

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
    rc = render_to(figs, n, cols, grid, fp, fmt, width_px, height_px, dpi, command, msg);
    if (rc != 0 && msg) {
        /* what failed, after the file it is about */
        char what[HS_PLOT_MSG_MAX];
        snprintf(what, sizeof what, "%s", msg);
        snprintf(msg, HS_PLOT_MSG_MAX, "%.100s: %.150s", path, what);
    }
    errno = 0;
    if (fflush(fp) != 0 || ferror(fp)) {
        if (rc == 0)
            write_failed(msg, path, fmt, errno);
        rc = -1;
    }
    if (fclose(fp) != 0 && rc == 0) {
        write_failed(msg, path, fmt, errno);
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

int
hs_figure_save(const struct hs_figure *f, const char *path, int width_px, int height_px,
               double dpi, const char *command, char *msg)
{
    if (!f || !path || !*path) {
        set_msg(msg, "no figure or no file name%s%s", "", NULL);
        return -1;
    }
    return save(&f, 1, 1, false, path, width_px, height_px, dpi, command, msg);
}

int
hs_figures_save_grid(const struct hs_figure *const *figs, size_t n, int cols, const char *path,
                     int width_px, int height_px, double dpi, const char *command, char *msg)
{
    if (!figs || n == 0 || !path || !*path) {
        set_msg(msg, "no figures or no file name%s%s", "", NULL);
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        if (!figs[k]) {
            set_msg(msg, "no figure or no file name%s%s", "", NULL);
            return -1;
        }
    }
    if (cols < 1) {
        set_msg(msg, "cannot save '%s': a grid needs at least one column%s", path, NULL);
        return -1;
    }
    /* No empty columns: three figures asked for in five columns take three. */
    if ((size_t)cols > n)
        cols = (int)n;
    return save(figs, n, (size_t)cols, true, path, width_px, height_px, dpi, command, msg);
}

void
hs_cairo_release(void)
{
    /* cairo's font map holds fontconfig patterns: release it first. */
    cairo_debug_reset_static_data();
    FcFini();
}

/* cairo_axes.c: the parts of a cairo figure around the data: text, the
 * frame with its ticks and labels, heat map names, the colour bar and the
 * cairo_legend.c the legend and the experiment's label; cairo_render.c
 * lays out the page and cairo_series.c draws the series.
 */
#include "config.h"

#include "plots/cairo_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double
hs_cr_amap_f(const struct amap *m, double v)
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

void
hs_cr_set_rgb(cairo_t *cr, struct hs_rgb c, double alpha)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

void
hs_cr_font(cairo_t *cr, double size)
{
    cairo_select_font_face(cr, FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double
hs_cr_text_w(cairo_t *cr, const char *s, double size)
{
    cairo_text_extents_t e;

    hs_cr_font(cr, size);
    cairo_text_extents(cr, s, &e);
    return e.x_advance;
}

/* Draw s with its anchor at (x, y): ha 0 left, 0.5 centre, 1 right; va 0
 * top of capitals, 0.5 middle of capitals, 1 baseline. */
void
hs_cr_text_at(cairo_t *cr, const char *s, double size, double x, double y, double ha, double va)
{
    double w = hs_cr_text_w(cr, s, size);

    cairo_move_to(cr, x - ha * w, y + (1 - va) * CAP * size);
    cairo_show_text(cr, s);
    cairo_new_path(cr);
}

/* A tick label, drawn with a raised exponent when ticks.h gives one. */
double
hs_cr_tick_label_w(cairo_t *cr, const struct hs_ticks *t, size_t i, double size)
{
    char base[HS_TICK_LABEL_MAX + 16], sup[16];

    if (!t->exp_used[i])
        return hs_cr_text_w(cr, t->label[i], size);
    snprintf(base, sizeof base, "%s%s10", t->mant[i], t->mant[i][0] ? "\xc3\x97" : "");
    snprintf(sup, sizeof sup, "%d", t->exp[i]);
    return hs_cr_text_w(cr, base, size) + hs_cr_text_w(cr, sup, 0.7 * size);
}

void
hs_cr_tick_label_at(cairo_t *cr, const struct hs_ticks *t, size_t i, double size, double x,
                    double y, double ha, double va)
{
    char base[HS_TICK_LABEL_MAX + 16], sup[16];
    double w, wb, by;

    if (!t->exp_used[i]) {
        hs_cr_text_at(cr, t->label[i], size, x, y, ha, va);
        return;
    }
    snprintf(base, sizeof base, "%s%s10", t->mant[i], t->mant[i][0] ? "\xc3\x97" : "");
    snprintf(sup, sizeof sup, "%d", t->exp[i]);
    w = hs_cr_tick_label_w(cr, t, i, size);
    wb = hs_cr_text_w(cr, base, size);
    by = y + (1 - va) * CAP * size;
    hs_cr_font(cr, size);
    cairo_move_to(cr, x - ha * w, by);
    cairo_show_text(cr, base);
    hs_cr_font(cr, 0.7 * size);
    cairo_move_to(cr, x - ha * w + wb, by - 0.45 * size);
    cairo_show_text(cr, sup);
    cairo_new_path(cr);
}

double
hs_cr_max_tick_w(cairo_t *cr, const struct hs_ticks *t, double size)
{
    double m = 0;

    for (size_t i = 0; i < t->n; i++) {
        double w = hs_cr_tick_label_w(cr, t, i, size);

        if (w > m)
            m = w;
    }
    return m;
}

int
hs_cr_n_major(double length, double per)
{
    int n = (int)(length / per);

    return n < 2 ? 2 : n > 10 ? 10 : n;
}

double
hs_cr_fill_alpha(const struct hs_series *s)
{
    return s->alpha > 0 && s->alpha <= 1 ? s->alpha : 0.6;
}


struct zscale
hs_cr_heat_scale(const struct hs_series *s)
{
    struct zscale z = {INFINITY, -INFINITY, false, s->zlog};

    for (size_t i = 0; i < s->nx * s->ny; i++) {
        if (!isfinite(s->z[i]) || (z.log && !(s->z[i] > 0)))
            continue;
        z.lo = fmin(z.lo, s->z[i]);
        z.hi = fmax(z.hi, s->z[i]);
    }
    if (!(z.lo <= z.hi)) {
        z.lo = z.log ? 1 : 0;
        z.hi = z.log ? 10 : 1;
    }
    if (z.log) {
        if (z.hi == z.lo)
            z.hi = 10 * z.lo;
    } else if (s->zdiverging) {
        z.diverging = true;
        z.lo = -1;
        z.hi = 1;
    } else if (z.lo == z.hi) {
        z.lo -= 0.5;
        z.hi += 0.5;
    }
    return z;
}

struct hs_rgb
hs_cr_heat_color(const struct zscale *z, double v)
{
    if (z->log)
        return hs_palette_sequential((log10(v) - log10(z->lo)) / (log10(z->hi) - log10(z->lo)));
    if (z->diverging)
        return hs_palette_diverging(v);
    return hs_palette_sequential((v - z->lo) / (z->hi - z->lo));
}

/* --- axes, colour bar ----------------------------------------------------- */

void
hs_cr_frame_and_ticks(cairo_t *cr, const struct box *b, const struct amap *mx,
                      const struct amap *my, const struct hs_ticks *tx, const struct hs_ticks *ty)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, LW_FRAME);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    for (int minor = 0; minor < 2; minor++) {
        double len = minor ? TICK_MINOR : TICK_MAJOR;
        size_t nx = tx ? (minor ? tx->nminor : tx->n) : 0;
        size_t ny = ty ? (minor ? ty->nminor : ty->n) : 0;

        for (size_t i = 0; i < nx; i++) {
            double X = hs_cr_amap_f(mx, minor ? tx->minor[i] : tx->v[i]);

            if (X < b->x0 - 0.01 || X > b->x1 + 0.01)
                continue;
            cairo_move_to(cr, X, b->y1);
            cairo_line_to(cr, X, b->y1 - len);
            cairo_move_to(cr, X, b->y0);
            cairo_line_to(cr, X, b->y0 + len);
        }
        for (size_t i = 0; i < ny; i++) {
            double Y = hs_cr_amap_f(my, minor ? ty->minor[i] : ty->v[i]);

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

void
hs_cr_x_tick_labels(cairo_t *cr, const struct box *b, const struct amap *mx,
                    const struct hs_ticks *t)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (size_t i = 0; i < t->n; i++) {
        double X = hs_cr_amap_f(mx, t->v[i]);

        if (X < b->x0 - 0.01 || X > b->x1 + 0.01)
            continue;
        hs_cr_tick_label_at(cr, t, i, FS_TICK, X, b->y1 + 4 + (t->exp_used[i] ? 2 : 0), 0.5, 0);
    }
}

/* skip_top: leave out a label at the very top, where it would collide
 * with the bottom label of the panel above (the ratio panel's). */
void
hs_cr_y_tick_labels(cairo_t *cr, const struct box *b, const struct amap *my,
                    const struct hs_ticks *t, bool skip_top)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (size_t i = 0; i < t->n; i++) {
        double Y = hs_cr_amap_f(my, t->v[i]);

        if (Y < b->y0 - 0.01 || Y > b->y1 + 0.01 || (skip_top && Y < b->y0 + 0.6 * FS_TICK))
            continue;
        hs_cr_tick_label_at(cr, t, i, FS_TICK, b->x0 - 4, Y, 1, 0.5);
    }
}

/* Names of heat map columns (rotated when they do not fit) and rows. */
double
hs_cr_names_max_w(cairo_t *cr, char **names, size_t n, double size)
{
    double m = 0;

    for (size_t i = 0; names && i < n; i++)
        if (names[i])
            m = fmax(m, hs_cr_text_w(cr, names[i], size));
    return m;
}

bool
hs_cr_xnames_rotated(cairo_t *cr, const struct hs_series *h, double width)
{
    return hs_cr_names_max_w(cr, h->xnames, h->nx, FS_TICK) > 0.9 * width / (double)h->nx;
}

void
hs_cr_heat_names(cairo_t *cr, const struct box *b, const struct hs_series *h, const struct amap *mx,
                 const struct amap *my)
{
    bool rot = h->xnames && hs_cr_xnames_rotated(cr, h, b->x1 - b->x0);

    cairo_set_source_rgb(cr, 0, 0, 0);
    for (size_t i = 0; h->xnames && i < h->nx; i++) {
        double X = hs_cr_amap_f(mx, 0.5 * (h->x[i] + h->x[i + 1]));

        if (!h->xnames[i])
            continue;
        if (!rot) {
            hs_cr_text_at(cr, h->xnames[i], FS_TICK, X, b->y1 + 4, 0.5, 0);
            continue;
        }
        cairo_save(cr);
        cairo_translate(cr, X, b->y1 + 4);
        cairo_rotate(cr, -M_PI / 4);
        hs_cr_text_at(cr, h->xnames[i], FS_TICK, 0, 0, 1, 0);
        cairo_restore(cr);
    }
    for (size_t j = 0; h->ynames && j < h->ny; j++)
        if (h->ynames[j])
            hs_cr_text_at(cr, h->ynames[j], FS_TICK, b->x0 - 4,
                          hs_cr_amap_f(my, 0.5 * (h->y[j] + h->y[j + 1])), 1, 0.5);
}

void
hs_cr_color_bar(cairo_t *cr, const struct box *b, const struct hs_series *h)
{
    struct zscale z = hs_cr_heat_scale(h);
    struct box cb = {b->x1 + CBAR_GAP, b->y0, b->x1 + CBAR_GAP + CBAR_W, b->y1};
    struct amap mz = {z.lo, z.hi, z.log, cb.y1, cb.y0};
    struct hs_ticks t;
    cairo_pattern_t *pat = cairo_pattern_create_linear(0, cb.y1, 0, cb.y0);
    double wmax = 0;

    for (int k = 0; k <= 64; k++) {
        double v = z.log ? z.lo * pow(z.hi / z.lo, k / 64.0) : z.lo + (z.hi - z.lo) * k / 64.0;
        struct hs_rgb c = hs_cr_heat_color(&z, v);

        cairo_pattern_add_color_stop_rgb(pat, k / 64.0, c.r, c.g, c.b);
    }
    cairo_rectangle(cr, cb.x0, cb.y0, cb.x1 - cb.x0, cb.y1 - cb.y0);
    cairo_set_source(cr, pat);
    cairo_fill(cr);
    cairo_pattern_destroy(pat);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, LW_FRAME);
    if (hs_ticks_make(z.lo, z.hi, z.log ? HS_AXIS_LOG : HS_AXIS_LINEAR,
                      hs_cr_n_major(cb.y1 - cb.y0, 30), &t) == 0) {
        for (size_t i = 0; i < t.n; i++) {
            double Y = hs_cr_amap_f(&mz, t.v[i]);

            cairo_move_to(cr, cb.x1, Y);
            cairo_line_to(cr, cb.x1 - 3, Y);
            cairo_move_to(cr, cb.x0, Y);
            cairo_line_to(cr, cb.x0 + 3, Y);
        }
        cairo_stroke(cr);
        for (size_t i = 0; i < t.n; i++)
            hs_cr_tick_label_at(cr, &t, i, FS_TICK, cb.x1 + 4, hs_cr_amap_f(&mz, t.v[i]), 0, 0.5);
        wmax = hs_cr_max_tick_w(cr, &t, FS_TICK);
    }
    cairo_rectangle(cr, cb.x0, cb.y0, cb.x1 - cb.x0, cb.y1 - cb.y0);
    cairo_stroke(cr);
    if (h->zlabel) {
        cairo_save(cr);
        cairo_translate(cr, cb.x1 + 4 + wmax + 6, cb.y0);
        cairo_rotate(cr, M_PI / 2);
        hs_cr_text_at(cr, h->zlabel, FS_AXIS, 0, 0, 0, 1);
        cairo_restore(cr);
    }
}

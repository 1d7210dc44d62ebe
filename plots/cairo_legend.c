/* cairo_legend.c: the legend of a cairo figure, placed where the data is
 * not, and the experiment's label above the plot.
 *
 * The legend's place is chosen by drawing the panel's series once more
 * into a small alpha-only image of the plot area and counting the covered
 * pixels under each corner's box: the first corner (in the order of the
 * figure's legend_pos) with almost nothing under it wins; when none has,
 * the page is laid out again with the legend outside, right of the plot.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/cairo_int.h"

#define LEG_ROW (1.45 * FS_SMALL)
#define LEG_SAMPLE 18.0
#define LEG_GAP 6.0
#define LEG_PAD 10.0

void
hs_cr_legend_size(cairo_t *cr, const struct hs_panel *p, double *w, double *h)
{
    size_t *idx = p->nseries ? malloc(p->nseries * sizeof *idx) : NULL;
    size_t n = idx ? hs_panel_legend_order(p, false, idx) : 0;
    double wmax = 0;

    for (size_t k = 0; k < n; k++)
        wmax = fmax(wmax, hs_cr_text_w(cr, p->series[idx[k]].label, FS_SMALL));
    free(idx);
    *w = n ? LEG_SAMPLE + LEG_GAP + wmax : 0;
    *h = LEG_ROW * (double)n;
}

/* The sample of one entry, centred on (sx + LEG_SAMPLE / 2, cy). */
static void
sample(cairo_t *cr, const struct hs_panel *p, size_t i, double sx, double cy)
{
    const struct hs_series *s = &p->series[i];
    struct hs_rgb c = hs_palette_color(s->color);
    int variant = hs_cr_variant(p, i);
    double sw = LEG_SAMPLE, row = LEG_ROW;

    switch (s->kind) {
    case HS_SERIES_HIST:
        cairo_rectangle(cr, sx, cy - 0.32 * row, sw, 0.64 * row);
        if (s->style == HS_HIST_FILLED) {
            hs_cr_set_rgb(cr, c, hs_cr_fill_alpha(s));
            cairo_fill_preserve(cr);
        }
        hs_cr_set_rgb(cr, c, 1);
        cairo_set_line_width(cr, LW_HIST);
        hs_cr_set_dash(cr, variant);
        cairo_stroke(cr);
        hs_cr_set_dash(cr, 0);
        break;
    case HS_SERIES_BAND:
        cairo_save(cr);
        cairo_rectangle(cr, sx, cy - 0.32 * row, sw, 0.64 * row);
        cairo_clip(cr);
        hs_cr_set_rgb(cr, c, 0.7);
        cairo_set_line_width(cr, 0.6);
        hs_cr_hatch(cr, sx, cy - 0.32 * row, sx + sw, cy + 0.32 * row, 3.5);
        cairo_restore(cr);
        break;
    case HS_SERIES_LINE:
        hs_cr_set_rgb(cr, c, 1);
        cairo_set_line_width(cr, LW_LINE);
        hs_cr_set_dash(cr, variant);
        cairo_move_to(cr, sx, cy);
        cairo_line_to(cr, sx + sw, cy);
        cairo_stroke(cr);
        hs_cr_set_dash(cr, 0);
        break;
    case HS_SERIES_POINTS:
        hs_cr_set_rgb(cr, c, 1);
        if (s->yerr) {
            cairo_set_line_width(cr, LW_ERR);
            cairo_move_to(cr, sx + sw / 2, cy - 0.4 * row);
            cairo_line_to(cr, sx + sw / 2, cy + 0.4 * row);
            cairo_stroke(cr);
        }
        hs_cr_marker(cr, variant, sx + sw / 2, cy, R_POINT);
        break;
    case HS_SERIES_SCATTER:
    case HS_SERIES_HEATMAP:
        hs_cr_set_rgb(cr, c, 1);
        hs_cr_marker(cr, variant, sx + sw / 2, cy, R_POINT);
        break;
    }
}

void
hs_cr_legend_draw(cairo_t *cr, const struct hs_panel *p, double x0, double y0)
{
    size_t *idx = p->nseries ? malloc(p->nseries * sizeof *idx) : NULL;
    size_t n = idx ? hs_panel_legend_order(p, false, idx) : 0;

    for (size_t k = 0; k < n; k++) {
        double cy = y0 + LEG_ROW * (double)k + 0.5 * LEG_ROW;

        sample(cr, p, idx[k], x0, cy);
        cairo_set_source_rgb(cr, 0, 0, 0);
        hs_cr_text_at(cr, p->series[idx[k]].label, FS_SMALL, x0 + LEG_SAMPLE + LEG_GAP, cy, 0,
                      0.5);
    }
    free(idx);
}

/* Covered pixels of an alpha image in a rectangle (in image pixels). */
static long
covered(cairo_surface_t *img, double x0, double y0, double x1, double y1)
{
    const unsigned char *d = cairo_image_surface_get_data(img);
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    int stride = cairo_image_surface_get_stride(img);
    long n = 0;

    for (int y = (int)fmax(0, floor(y0)); y < (int)fmin(h, ceil(y1)); y++)
        for (int x = (int)fmax(0, floor(x0)); x < (int)fmin(w, ceil(x1)); x++)
            n += d[(size_t)y * (size_t)stride + (size_t)x] > 8;
    return n;
}

bool
hs_cr_legend_place(cairo_t *cr, const struct hs_panel *p, const struct box *b,
                   const struct amap *mx, const struct amap *my, enum hs_legend_pos pos,
                   double *x0, double *y0)
{
    static const bool top[4][2] = {{1, 0}, {0, 0}, {1, 1}, {0, 1}};
    static const bool bl[4][2] = {{0, 1}, {1, 1}, {0, 0}, {1, 0}};
    const bool(*order)[2] = pos == HS_LEGEND_BOTTOM_LEFT ? bl : top;
    double w, h, bw = b->x1 - b->x0, bh = b->y1 - b->y0;
    long best = -1;
    cairo_surface_t *img;
    cairo_t *pc;

    hs_cr_legend_size(cr, p, &w, &h);
    /* the first corner as a default when nothing can be measured */
    *x0 = order[0][0] ? b->x1 - LEG_PAD - w : b->x0 + LEG_PAD;
    *y0 = order[0][1] ? b->y1 - LEG_PAD - h : b->y0 + LEG_PAD;
    if (w + 2 * LEG_PAD > bw || h + 2 * LEG_PAD > bh)
        return false;
    img = cairo_image_surface_create(CAIRO_FORMAT_A8, (int)ceil(bw), (int)ceil(bh));
    pc = cairo_create(img);
    cairo_translate(pc, -b->x0, -b->y0);
    hs_cr_draw_series(pc, p, b, mx, my);
    cairo_destroy(pc);
    cairo_surface_flush(img);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        return true;
    }
    for (int k = 0; k < 4; k++) {
        double x = order[k][0] ? bw - LEG_PAD - w : LEG_PAD;
        double y = order[k][1] ? bh - LEG_PAD - h : LEG_PAD;
        /* the box and a margin of half the padding around it */
        long n = covered(img, x - LEG_PAD / 2, y - LEG_PAD / 2, x + w + LEG_PAD / 2,
                         y + h + LEG_PAD / 2);

        if (best < 0 || n < best) {
            best = n;
            *x0 = b->x0 + x;
            *y0 = b->y0 + y;
        }
        if (n == 0)
            break;
    }
    cairo_surface_destroy(img);
    /* a few stray pixels (a thin line's end) may stay under it */
    return best <= (long)(0.01 * (w + LEG_PAD) * (h + LEG_PAD));
}

/* Text from (x, baseline y) in the bold or the italic face, as CMS writes
 * "CMS Open Data"; returns its advance. */
static double
styled_text(cairo_t *cr, const char *s, double size, double x, double y, bool bold)
{
    cairo_text_extents_t e;

    cairo_select_font_face(cr, FONT_FAMILY,
                           bold ? CAIRO_FONT_SLANT_NORMAL : CAIRO_FONT_SLANT_ITALIC,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s);
    cairo_new_path(cr);
    return e.x_advance;
}

void
hs_cr_experiment(cairo_t *cr, const struct box *b, const char *experiment)
{
    char name[128], rest[128], right[128];
    double x = b->x0, y = b->y0 - 5;

    hs_figure_experiment_parts(experiment, true, name, rest, right, sizeof name);
    cairo_set_source_rgb(cr, 0, 0, 0);
    x += styled_text(cr, name, FS_EXP, x, y, true);
    if (rest[0])
        styled_text(cr, rest, FS_EXP * 0.9, x, y, false);
    if (right[0])
        hs_cr_text_at(cr, right, FS_AXIS, b->x1, y, 1, 1);
}

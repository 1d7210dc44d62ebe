/* canvas.c: the terminal renderer, a figure drawn into a cell buffer.
 *
 * Series set dots (braille 2 x 4, half blocks 1 x 2, ASCII 1 x 1 with a
 * character per series kind) in a fill and a line layer and put markers
 * over them (canvas_draw.c); the layers are then turned into glyphs, and
 * axes, labels, legend and text are written over them as whole cells.
 * The legend looks for a corner without ink once the series are drawn;
 * when there is none, the figure is laid out again with the legend in
 * rows above the plot.
 */
#include "config.h"

#include "plots/canvas.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/canvas_int.h"
#include "plots/palette.h"
#include "plots/ticks.h"

#define LABEL_MAX 64

static void
set_msg(char *msg, const char *s)
{
    if (msg)
        snprintf(msg, HS_PLOT_MSG_MAX, "%s", s);
}

/* ---- the cell buffer ---- */

struct hs_canvas *
hs_canvas_new(int width, int height, enum hs_canvas_mode mode, char *msg)
{
    if (width < 1 || height < 1 || width > 10000 || height > 10000) {
        set_msg(msg, "canvas size out of range");
        return NULL;
    }
    struct hs_canvas *c = calloc(1, sizeof *c);
    size_t n = (size_t)width * (size_t)height;
    if (c) {
        c->cells = calloc(n, sizeof *c->cells);
        c->px = calloc(n, sizeof *c->px);
    }
    if (!c || !c->cells || !c->px) {
        hs_canvas_free(c);
        set_msg(msg, "out of memory");
        return NULL;
    }
    c->width = width;
    c->height = height;
    c->mode = mode;
    hs_canvas_clear(c);
    return c;
}

void
hs_canvas_free(struct hs_canvas *c)
{
    if (!c)
        return;
    free(c->cells);
    free(c->px);
    free(c);
}

static void
blank_cell(struct hs_cell *cell)
{
    cell->glyph[0] = ' ';
    cell->glyph[1] = '\0';
    cell->color = -1;
    cell->rgb = -1;
    cell->bold = false;
}

void
hs_canvas_clear(struct hs_canvas *c)
{
    for (int y = 0; y < c->height; y++)
        for (int x = 0; x < c->width; x++) {
            blank_cell(hs_cv_cell_at(c, x, y));
            hs_cv_clear_px(c, x, y);
        }
    c->cur = -1;
    c->legend_w = c->legend_h = 0;
}

const struct hs_cell *
hs_canvas_cell(const struct hs_canvas *c, int x, int y)
{
    if (x < 0 || y < 0 || x >= c->width || y >= c->height)
        return NULL;
    return &c->cells[(size_t)y * (size_t)c->width + (size_t)x];
}

/* Length in bytes of the UTF-8 sequence starting with byte b (1 for junk). */
static int
utf8_len(unsigned char b)
{
    return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : b < 0xF8 ? 4 : 1;
}

/* Write s from column x of row y, at most up to column xmax (exclusive);
 * each code point takes one cell.  Returns the column after the text. */
static int
put_text(struct hs_canvas *c, int x, int y, int xmax, const char *s, int color, bool bold)
{
    if (xmax > c->width)
        xmax = c->width;
    while (*s && x < xmax) {
        int n = utf8_len((unsigned char)*s);
        struct hs_cell *cell = hs_cv_cell_at(c, x, y);
        if (cell) {
            int k = 0;
            unsigned char b = (unsigned char)s[0];
            /* Text comes from names in files: a control character (C0,
             * DEL, C1) or a stray byte would drive the terminal that the
             * ANSI form is written to, so it shows as '?'. */
            if (b < 0x20 || b == 0x7f || (n == 1 && b >= 0x80) ||
                (b == 0xc2 && (unsigned char)s[1] < 0xa0))
                cell->glyph[k++] = '?';
            else
                for (; k < n && s[k]; k++)
                    cell->glyph[k] = s[k];
            cell->glyph[k] = '\0';
            cell->color = color;
            cell->rgb = -1;
            cell->bold = bold;
            hs_cv_clear_px(c, x, y);
        }
        for (int k = 0; k < n && *s; k++)
            s++;
        x++;
    }
    return x;
}

/* Code points in a UTF-8 string. */
static int
text_width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

/* ---- mode ---- */

enum hs_canvas_mode
hs_canvas_pick_mode(const char *lc_ctype_codeset, const char *term, bool force_ascii)
{
    if (force_ascii || !lc_ctype_codeset)
        return HS_CANVAS_ASCII;
    const char *s = lc_ctype_codeset;
    bool utf8 = (s[0] == 'U' || s[0] == 'u') && (s[1] == 'T' || s[1] == 't') &&
                (s[2] == 'F' || s[2] == 'f') && strstr(s + 3, "8") != NULL;
    if (!utf8)
        return HS_CANVAS_ASCII;
    /* The Linux console's font has no braille; half blocks it has. */
    if (term && strcmp(term, "linux") == 0)
        return HS_CANVAS_HALFBLOCK;
    return HS_CANVAS_BRAILLE;
}

/* ---- axes ---- */

static const struct hs_series *
find_heatmap(const struct hs_panel *p)
{
    for (size_t i = 0; i < p->nseries; i++)
        if (p->series[i].kind == HS_SERIES_HEATMAP)
            return &p->series[i];
    return NULL;
}

static bool
has_bins(const struct hs_panel *p)
{
    for (size_t i = 0; i < p->nseries; i++)
        if (p->series[i].kind == HS_SERIES_HIST || p->series[i].kind == HS_SERIES_HEATMAP)
            return true;
    return false;
}

/* The range an axis shows: fixed, or the data's (widened to nice limits,
 * except along binned x, where the edges are the natural limits). */
static int
axis_range(const struct hs_panel *p, int axis, int max_major, double *lo, double *hi,
           char *msg)
{
    const struct hs_axis *a = axis ? &p->y : &p->x;
    bool lg = a->scale == HS_AXIS_LOG;
    if (a->fixed) {
        *lo = a->lo;
        *hi = a->hi;
        if (!(*hi > *lo) || (lg && !(*lo > 0))) {
            set_msg(msg, lg ? "log axis range must be positive" : "empty axis range");
            return -1;
        }
        return 0;
    }
    if (!hs_panel_data_range(p, axis, lo, hi)) {
        if (lg) {
            *lo = 1;
            *hi = 10;
        } else {
            *lo = 0;
            *hi = 1;
        }
        return 0;
    }
    bool binned = has_bins(p) && (axis == 0 || find_heatmap(p));
    if (binned && *hi > *lo)
        return 0;
    if (axis == 1 && !lg && *hi > 0 && !find_heatmap(p))
        *hi += 0.05 * (*hi - *lo); /* headroom above the tallest bin */
    if (axis == 1 && lg && !find_heatmap(p))
        *lo *= 0.5; /* a bin at the smallest content stays above the axis */
    return hs_ticks_nice_range(lo, hi, a->scale, max_major);
}

/* Tick labels for heat-map bins with names, at the bin centres. */
static void
named_ticks(const double *edges, char *const *names, size_t n, struct hs_ticks *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < n && t->n < HS_TICKS_MAX; i++) {
        t->v[t->n] = (edges[i] + edges[i + 1]) / 2;
        snprintf(t->label[t->n], HS_TICK_LABEL_MAX, "%s", names[i] ? names[i] : "");
        t->n++;
    }
}

static int
widest(const struct hs_ticks *t)
{
    int w = 0;
    for (size_t i = 0; i < t->n; i++)
        if (text_width(t->label[i]) > w)
            w = text_width(t->label[i]);
    return w;
}

static int
y_ticks(const struct hs_panel *p, const struct hs_cv_view *v, struct hs_ticks *t, char *msg)
{
    const struct hs_series *h = find_heatmap(p);
    if (h && h->ynames) {
        named_ticks(h->y, h->ynames, h->ny, t);
        return 0;
    }
    if (hs_ticks_make(v->ylo, v->yhi, p->y.scale, v->ch / 2 + 1, t) < 0) {
        set_msg(msg, "cannot place ticks on the y axis");
        return -1;
    }
    return 0;
}

static int
x_ticks(const struct hs_panel *p, const struct hs_cv_view *v, struct hs_ticks *t, char *msg)
{
    const struct hs_series *h = find_heatmap(p);
    if (h && h->xnames) {
        named_ticks(h->x, h->xnames, h->nx, t);
        return 0;
    }
    int start = v->cw / 4 < 2 ? 2 : v->cw / 4 < HS_TICKS_MAX ? v->cw / 4 : HS_TICKS_MAX;
    for (int m = start; m >= 2; m--) {
        if (hs_ticks_make(v->xlo, v->xhi, p->x.scale, m, t) < 0) {
            set_msg(msg, "cannot place ticks on the x axis");
            return -1;
        }
        if ((int)t->n * (widest(t) + 1) <= v->cw)
            break;
    }
    return 0;
}

static int
tick_row(const struct hs_cv_view *v, double u)
{
    double f = hs_cv_frac(u, v->ylo, v->yhi, v->ylog);
    if (!(f >= -1e-9 && f <= 1 + 1e-9))
        return -1;
    int r = (int)floor((1 - f) * v->ch);
    return v->cy + (r < 0 ? 0 : r > v->ch - 1 ? v->ch - 1 : r);
}

static int
tick_col(const struct hs_cv_view *v, double u)
{
    double f = hs_cv_frac(u, v->xlo, v->xhi, v->xlog);
    if (!(f >= -1e-9 && f <= 1 + 1e-9))
        return -1;
    int q = (int)floor(f * v->cw);
    return v->cx + (q < 0 ? 0 : q > v->cw - 1 ? v->cw - 1 : q);
}

/* The left axis line with ticks and labels right-aligned before it. */
static void
draw_y_axis(struct hs_canvas *c, const struct hs_cv_view *v, const struct hs_ticks *t, int xmin)
{
    bool ascii = c->mode == HS_CANVAS_ASCII;
    int ax = v->cx - 1;
    for (int r = v->cy; r < v->cy + v->ch; r++)
        put_text(c, ax, r, ax + 1, ascii ? "|" : "\u2502", -1, false);
    int last = -10;
    for (size_t i = 0; i < t->n; i++) {
        int r = tick_row(v, t->v[i]);
        if (r < 0)
            continue;
        put_text(c, ax, r, ax + 1, ascii ? "+" : "\u2524", -1, false);
        if (abs(r - last) < 1)
            continue;
        int w = text_width(t->label[i]);
        int x = ax - w;
        if (x < xmin)
            x = xmin;
        put_text(c, x, r, ax, t->label[i], -1, false);
        last = r;
    }
}

/* The bottom axis line with ticks; labels in the row below when wanted. */
static void
draw_x_axis(struct hs_canvas *c, const struct hs_cv_view *v, const struct hs_ticks *t, bool labels,
            int xmax)
{
    bool ascii = c->mode == HS_CANVAS_ASCII;
    int row = v->cy + v->ch;
    put_text(c, v->cx - 1, row, v->cx, ascii ? "+" : "\u2514", -1, false);
    for (int q = v->cx; q < v->cx + v->cw; q++)
        put_text(c, q, row, q + 1, ascii ? "-" : "\u2500", -1, false);
    int last_end = v->cx - 2;
    for (size_t i = 0; i < t->n; i++) {
        int q = tick_col(v, t->v[i]);
        if (q < 0)
            continue;
        put_text(c, q, row, q + 1, ascii ? "+" : "\u252C", -1, false);
        if (!labels)
            continue;
        int w = text_width(t->label[i]);
        int x = q - (w - 1) / 2;
        if (x + w > xmax)
            x = xmax - w;
        if (x <= last_end)
            continue;
        put_text(c, x, row + 1, xmax, t->label[i], -1, false);
        last_end = x + w;
    }
}

/* ---- legend ---- */

#define LEGEND_MAX 32

struct legend {
    size_t idx[LEGEND_MAX]; /* series in legend order */
    int n;
    int maxw;               /* the widest label, in cells */
};

static void
legend_entries(const struct hs_figure *f, struct legend *L)
{
    const struct hs_panel *p = &f->main;
    size_t *all = f->legend && p->nseries ? malloc(p->nseries * sizeof *all) : NULL;
    size_t n = all ? hs_panel_legend_order(p, false, all) : 0;
    L->n = 0;
    L->maxw = 0;
    for (size_t k = 0; k < n && L->n < LEGEND_MAX; k++) {
        L->idx[L->n++] = all[k];
        int w = text_width(p->series[all[k]].label);
        if (w > L->maxw)
            L->maxw = w;
    }
    free(all);
}

/* The glyph that starts a legend entry: the hatched box for a band, else
 * the series' marker glyph. */
static const char *
legend_glyph(const struct hs_canvas *c, const struct hs_panel *p, size_t i)
{
    bool ascii = c->mode == HS_CANVAS_ASCII;
    if (p->series[i].kind == HS_SERIES_BAND)
        return ascii ? "/" : "\u25a8";
    return hs_figure_marker_glyph(hs_panel_style_index(p, i), ascii);
}

/* "glyph label", the label cut to lw cells (its end marked). */
static int
put_entry(struct hs_canvas *c, const struct hs_panel *p, size_t i, int x, int y, int lw)
{
    const struct hs_series *s = &p->series[i];
    put_text(c, x, y, x + 1, legend_glyph(c, p, i), s->color, false);
    put_text(c, x + 1, y, x + 2, " ", -1, false);
    int end = put_text(c, x + 2, y, x + 2 + lw, s->label, -1, false);
    if (text_width(s->label) > lw && lw > 1)
        put_text(c, end - 1, y, end, c->mode == HS_CANVAS_ASCII ? "~" : "\u2026", -1, false);
    return end;
}

/* The corners in order of preference, as (right, bottom) pairs. */
static void
corner_order(const struct hs_figure *f, bool order[4][2])
{
    static const bool top[4][2] = {{1, 0}, {0, 0}, {1, 1}, {0, 1}};
    static const bool bl[4][2] = {{0, 1}, {1, 1}, {0, 0}, {1, 0}};
    memcpy(order, f->legend_pos == HS_LEGEND_BOTTOM_LEFT ? bl : top, sizeof top);
}

/* A free rectangle of w x h cells in a corner of the plot area: no ink in
 * it, nor (when gap) in the column and row beside it towards the data. */
static bool
free_corner(const struct hs_canvas *c, const struct hs_cv_view *v, const struct hs_figure *f,
            int w, int h, bool gap, int *x0, int *y0)
{
    bool order[4][2];
    corner_order(f, order);
    if (w > v->cw - 1 || h > v->ch)
        return false;
    for (int k = 0; k < 4; k++) {
        bool right = order[k][0], bottom = order[k][1];
        int x = right ? v->cx + v->cw - w : v->cx + 1, y = bottom ? v->cy + v->ch - h : v->cy;
        int gx = gap ? (right ? x - 1 : x) : x, gy = gap ? (bottom ? y - 1 : y) : y;
        int gw = gap ? w + 1 : w, gh = gap && h < v->ch ? h + 1 : h;
        if (hs_cv_ink(c, gx, gy, gw, gh) == 0) {
            *x0 = x;
            *y0 = y;
            return true;
        }
    }
    return false;
}

/* The legend inside the plot, in a corner without ink; its labels are cut
 * short when that frees one.  false when no corner is free. */
static bool
draw_legend_inside(struct hs_canvas *c, const struct hs_cv_view *v, const struct hs_figure *f,
                   const struct legend *L)
{
    int lw = L->maxw, x0 = 0, y0 = 0;
    bool found = false;
    for (int gap = 1; gap >= 0 && !found; gap--)
        found = free_corner(c, v, f, 2 + lw, L->n, gap, &x0, &y0);
    while (!found && lw > 8) {
        lw = lw * 3 / 4 < 8 ? 8 : lw * 3 / 4;
        found = free_corner(c, v, f, 2 + lw, L->n, false, &x0, &y0);
    }
    if (!found)
        return false;
    for (int k = 0; k < L->n; k++)
        put_entry(c, &f->main, L->idx[k], x0, y0 + k, lw);
    c->legend_x = x0;
    c->legend_y = y0;
    c->legend_w = 2 + lw;
    c->legend_h = L->n;
    return true;
}

/* Rows the legend takes above the plot: entries side by side, two blanks
 * apart, as many rows as the width W needs. */
static int
legend_rows(const struct legend *L, const struct hs_panel *p, int W)
{
    int rows = L->n ? 1 : 0, x = 0;
    for (int k = 0; k < L->n; k++) {
        int w = 2 + text_width(p->series[L->idx[k]].label);
        if (w > W)
            w = W;
        if (x > 0 && x + w > W) {
            rows++;
            x = 0;
        }
        x += w + 2;
    }
    return rows;
}

static void
draw_legend_rows(struct hs_canvas *c, const struct hs_figure *f, const struct legend *L, int X,
                 int y, int W)
{
    int x = 0, rows = 1, maxx = 0;
    for (int k = 0; k < L->n; k++) {
        int w = 2 + text_width(f->main.series[L->idx[k]].label);
        if (w > W)
            w = W;
        if (x > 0 && x + w > W) {
            rows++;
            x = 0;
        }
        put_entry(c, &f->main, L->idx[k], X + x, y + rows - 1, w - 2);
        x += w + 2;
        if (x - 2 > maxx)
            maxx = x - 2;
    }
    c->legend_x = X;
    c->legend_y = y;
    c->legend_w = maxx;
    c->legend_h = rows;
}

/* The free text in a corner without ink (the top left one when none is). */
static void
draw_text(struct hs_canvas *c, const struct hs_cv_view *v, const struct hs_figure *f)
{
    if (!f->text || !*f->text)
        return;
    int tw = text_width(f->text), x0 = v->cx + 1, y0 = v->cy;
    if (tw > v->cw - 1)
        tw = v->cw - 1;
    struct hs_figure g = *f;
    g.legend_pos = HS_LEGEND_TOP;
    if (!free_corner(c, v, &g, tw, 1, true, &x0, &y0) &&
        !free_corner(c, v, &g, tw, 1, false, &x0, &y0) && c->legend_h > 0 &&
        y0 >= c->legend_y && y0 < c->legend_y + c->legend_h && x0 + tw > c->legend_x &&
        x0 < c->legend_x + c->legend_w) {
        /* No corner is free and the text would write over the legend (a
         * long selection note beside it in a narrow terminal): the row
         * under the legend, or the text cut short before it. */
        if (c->legend_y + c->legend_h < v->cy + v->ch) {
            y0 = c->legend_y + c->legend_h;
        } else {
            int xmax = c->legend_x - 1;
            put_text(c, x0, y0, xmax, f->text, -1, false);
            if (tw > xmax - x0 && xmax - 1 > x0)
                put_text(c, xmax - 1, y0, xmax, c->mode == HS_CANVAS_ASCII ? "~" : "\u2026", -1,
                         false);
            return;
        }
    }
    put_text(c, x0, y0, v->cx + v->cw, f->text, -1, false);
}

/* The experiment's label: the name bold and the rest at the left, the
 * luminosity and energy at the right of row y. */
static void
draw_experiment(struct hs_canvas *c, const struct hs_figure *f, int X, int y, int W, int rm)
{
    char name[128], rest[128], right[128];
    hs_figure_experiment_parts(f->experiment, c->mode != HS_CANVAS_ASCII, name, rest, right,
                               sizeof name);
    int end = put_text(c, X, y, X + W, name, -1, true);
    end = put_text(c, end, y, X + W, rest, -1, false);
    int rw = text_width(right), x = X + W - rm - rw;
    if (x < end + 2)
        x = end + 2;
    put_text(c, x, y, X + W, right, -1, false);
}

/* ---- colour bar ---- */

static void
draw_colorbar(struct hs_canvas *c, const struct hs_cv_view *v, const struct hs_series *s, int x,
              int xmax)
{
    double lo, hi;
    hs_cv_heat_range(s, &lo, &hi);
    for (int r = 0; r < v->ch; r++) {
        double u = 1 - (r + 0.5) / v->ch;
        double z = s->zlog ? lo * pow(hi / lo, u) : lo + u * (hi - lo);
        hs_cv_shade_cell(c, x, v->cy + r, s, z, lo, hi);
        hs_cv_shade_cell(c, x + 1, v->cy + r, s, z, lo, hi);
    }
    struct hs_ticks t;
    struct hs_cv_view bv = *v;
    bv.ylo = lo;
    bv.yhi = hi;
    bv.ylog = s->zlog;
    if (hs_ticks_make(lo, hi, s->zlog ? HS_AXIS_LOG : HS_AXIS_LINEAR, v->ch / 2 + 1, &t) < 0)
        return;
    int last = -10;
    for (size_t i = 0; i < t.n; i++) {
        int r = tick_row(&bv, t.v[i]);
        if (r < 0 || abs(r - last) < 2)
            continue;
        put_text(c, x + 2, r, x + 3, c->mode == HS_CANVAS_ASCII ? " " : "\u2500", -1, false);
        put_text(c, x + 3, r, xmax, t.label[i], -1, false);
        last = r;
    }
}

static int
colorbar_width(const struct hs_series *s, int rows)
{
    double lo, hi;
    struct hs_ticks t;
    hs_cv_heat_range(s, &lo, &hi);
    if (hs_ticks_make(lo, hi, s->zlog ? HS_AXIS_LOG : HS_AXIS_LINEAR, rows / 2 + 1, &t) < 0)
        return 4;
    return 4 + widest(&t);
}

/* ---- the whole figure ---- */
static void
clear_rect(struct hs_canvas *c, int x0, int y0, int w, int h)
{
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++) {
            struct hs_cell *cell = hs_cv_cell_at(c, x, y);
            if (!cell)
                continue;
            blank_cell(cell);
            hs_cv_clear_px(c, x, y);
        }
}

/* Whether the experiment's label fits in the title's row, beside it. */
static bool
experiment_beside_title(const struct hs_canvas *c, const struct hs_figure *f, int W)
{
    char name[128], rest[128], right[128];
    hs_figure_experiment_parts(f->experiment, c->mode != HS_CANVAS_ASCII, name, rest, right,
                               sizeof name);
    int tw = text_width(f->title), side = (W - tw) / 2;
    return text_width(name) + text_width(rest) + 1 < side && text_width(right) + 3 < side;
}

/* Lay out and draw f; the legend in rows above the plot when outside.
 * Returns 0, -1 with a message, or 1 when no corner of the plot is free
 * for the legend (nothing is left half-drawn that a second call does not
 * clear). */
static int
render_layout(struct hs_canvas *c, const struct hs_figure *f, int X, int Y, int W, int H,
              bool outside, char *msg)
{
    struct legend L;
    clear_rect(c, X, Y, W, H);
    legend_entries(f, &L);
    int row = Y, exp_row = -1, legend_row = -1;
    bool exp = f->experiment && *f->experiment;
    if (f->title && *f->title) {
        int tw = text_width(f->title);
        put_text(c, X + (tw < W ? (W - tw) / 2 : 0), row, X + W, f->title, -1, true);
        if (exp && experiment_beside_title(c, f, W))
            exp_row = row;
        row++;
    }
    if (exp && exp_row < 0)
        exp_row = row++;
    if (outside && L.n > 0) {
        legend_row = row;
        row += legend_rows(&L, &f->main, W);
    }
    const struct hs_series *heat = find_heatmap(&f->main);
    const char *zlabel = heat ? heat->zlabel : NULL;
    int label_row = -1;
    if (f->main.y.label || zlabel)
        label_row = row++;
    bool ratio = f->has_ratio;
    int fixed = 1 + 1 + (f->main.x.label ? 1 : 0);
    if (ratio)
        fixed += 1 + (f->ratio.y.label ? 1 : 0);
    int P = Y + H - row - fixed;
    int rch = ratio ? P / 3 : 0;
    if (ratio && rch < 2)
        rch = 2;
    int mch = P - rch;
    if (mch < 3) {
        clear_rect(c, X, Y, W, H);
        set_msg(msg, "too small for this figure");
        return -1;
    }
    struct hs_cv_view mv = {0}, rv = {0};
    hs_cv_dots_per_cell(c->mode, &mv.sx, &mv.sy);
    mv.cy = row;
    mv.ch = mch;
    mv.xlog = f->main.x.scale == HS_AXIS_LOG;
    mv.ylog = f->main.y.scale == HS_AXIS_LOG;
    if (axis_range(&f->main, 1, mch / 2 + 1, &mv.ylo, &mv.yhi, msg) < 0)
        return -1;
    struct hs_ticks myt, ryt, xt;
    memset(&ryt, 0, sizeof ryt);
    memset(&xt, 0, sizeof xt);
    if (y_ticks(&f->main, &mv, &myt, msg) < 0)
        return -1;
    int lm = widest(&myt);
    if (ratio) {
        rv = mv;
        rv.ch = rch;
        rv.cy = mv.cy + mch + 1 + (f->ratio.y.label ? 1 : 0);
        rv.ylog = f->ratio.y.scale == HS_AXIS_LOG;
        if (axis_range(&f->ratio, 1, rch / 2 + 1, &rv.ylo, &rv.yhi, msg) < 0)
            return -1;
        if (y_ticks(&f->ratio, &rv, &ryt, msg) < 0)
            return -1;
        if (widest(&ryt) > lm)
            lm = widest(&ryt);
    }
    if (lm > W / 3)
        lm = W / 3;
    int rm = heat ? colorbar_width(heat, mch) + 1 : 2;
    mv.cx = X + lm + 1;
    mv.cw = W - lm - 1 - rm;
    if (mv.cw < 5) {
        set_msg(msg, "too narrow for this figure");
        return -1;
    }
    if (axis_range(&f->main, 0, mv.cw / 6 + 1, &mv.xlo, &mv.xhi, msg) < 0)
        return -1;
    if (x_ticks(&f->main, &mv, &xt, msg) < 0)
        return -1;
    rv.cx = mv.cx;
    rv.cw = mv.cw;
    rv.xlo = mv.xlo;
    rv.xhi = mv.xhi;
    rv.xlog = mv.xlog;

    hs_cv_draw_series(c, &mv, &f->main);
    if (ratio) {
        hs_cv_draw_series(c, &rv, &f->ratio);
        if (!rv.ylog && rv.ylo < 1 && rv.yhi > 1) {
            /* the reference line at ratio 1, dotted */
            int dy = hs_cv_ydot(&rv, 1.0, true);
            for (int dx = 0; dx < rv.cw * rv.sx; dx += 2)
                if (!c->px[(size_t)(rv.cy + dy / rv.sy) * (size_t)c->width +
                           (size_t)(rv.cx + dx / rv.sx)].line || c->mode != HS_CANVAS_ASCII)
                    hs_cv_set_dot(c, &rv, dx, dy, -1, '.');
        }
    }
    if (L.n > 0 && legend_row < 0 && !draw_legend_inside(c, &mv, f, &L))
        return 1;
    draw_text(c, &mv, f);
    hs_cv_finish_dots(c, X, Y, W, H);
    if (legend_row >= 0)
        draw_legend_rows(c, f, &L, X, legend_row, W);
    if (exp_row >= 0)
        draw_experiment(c, f, X, exp_row, W, rm);

    if (label_row >= 0) {
        if (f->main.y.label)
            put_text(c, X, label_row, X + W, f->main.y.label, -1, false);
        if (zlabel) {
            int zw = text_width(zlabel);
            put_text(c, X + W - zw > X ? X + W - zw : X, label_row, X + W, zlabel, -1, false);
        }
    }
    draw_y_axis(c, &mv, &myt, X);
    draw_x_axis(c, &mv, &xt, !ratio, X + W);
    if (ratio) {
        if (f->ratio.y.label)
            put_text(c, X, rv.cy - 1, X + W, f->ratio.y.label, -1, false);
        draw_y_axis(c, &rv, &ryt, X);
        draw_x_axis(c, &rv, &xt, true, X + W);
    }
    if (heat)
        draw_colorbar(c, &mv, heat, mv.cx + mv.cw + 1, X + W);
    if (f->main.x.label) {
        int xw = text_width(f->main.x.label);
        int lrow = (ratio ? rv.cy + rv.ch : mv.cy + mv.ch) + 2;
        int x = mv.cx + mv.cw - xw;
        if (x < X)
            x = X;
        put_text(c, x, lrow, X + W, f->main.x.label, -1, false);
    }
    return 0;
}

int
hs_canvas_render_rect(struct hs_canvas *c, const struct hs_figure *f, int X, int Y, int W, int H,
                      char *msg)
{
    if (X < 0 || Y < 0 || W < 1 || H < 1 || X + W > c->width || Y + H > c->height) {
        set_msg(msg, "rectangle outside the canvas");
        return -1;
    }
    int rc = render_layout(c, f, X, Y, W, H, false, msg);
    if (rc == 1)
        rc = render_layout(c, f, X, Y, W, H, true, msg);
    if (rc == -1 && f->legend) {
        /* too small with the legend above: the plot alone, rather than
         * a legend over its data */
        struct hs_figure g = *f;
        g.legend = false;
        if (render_layout(c, &g, X, Y, W, H, false, NULL) == 0)
            return 0;
    }
    return rc < 0 ? -1 : 0;
}

int
hs_canvas_render(struct hs_canvas *c, const struct hs_figure *f, char *msg)
{
    return hs_canvas_render_rect(c, f, 0, 0, c->width, c->height, msg);
}

/* ---- output ---- */

char *
hs_canvas_to_text(const struct hs_canvas *c)
{
    size_t cap = (size_t)c->width * (size_t)c->height * 4 + (size_t)c->height + 1;
    char *out = malloc(cap), *p = out;
    if (!out)
        return NULL;
    for (int y = 0; y < c->height; y++) {
        for (int x = 0; x < c->width; x++) {
            const char *g = c->cells[(size_t)y * (size_t)c->width + (size_t)x].glyph;
            size_t n = strlen(g);
            memcpy(p, g, n);
            p += n;
        }
        *p++ = '\n';
    }
    *p = '\0';
    return out;
}

static int
ansi_color(const struct hs_cell *cell)
{
    if (cell->rgb >= 0) {
        struct hs_rgb c = {((cell->rgb >> 16) & 255) / 255.0, ((cell->rgb >> 8) & 255) / 255.0,
                           (cell->rgb & 255) / 255.0};
        return hs_palette_rgb_xterm256(c);
    }
    if (cell->color < 0 || cell->color % HS_PAL_NCOLORS == HS_PAL_DATA)
        return -1;
    return hs_palette_xterm256(cell->color);
}

char *
hs_canvas_to_ansi(const struct hs_canvas *c)
{
    /* a cell: at most 4 glyph bytes and "\x1b[0;1;38;5;255m" */
    size_t cap = (size_t)c->width * (size_t)c->height * 24 + (size_t)c->height * 8 + 1;
    char *out = malloc(cap), *p = out;
    if (!out)
        return NULL;
    for (int y = 0; y < c->height; y++) {
        int cur = -1;
        bool bold = false;
        for (int x = 0; x < c->width; x++) {
            const struct hs_cell *cell = &c->cells[(size_t)y * (size_t)c->width + (size_t)x];
            int col = ansi_color(cell);
            if (col != cur || cell->bold != bold) {
                p += sprintf(p, "\x1b[0");
                if (cell->bold)
                    p += sprintf(p, ";1");
                if (col >= 0)
                    p += sprintf(p, ";38;5;%d", col);
                *p++ = 'm';
                cur = col;
                bold = cell->bold;
            }
            size_t n = strlen(cell->glyph);
            memcpy(p, cell->glyph, n);
            p += n;
        }
        p += sprintf(p, "\x1b[0m\n");
    }
    *p = '\0';
    return out;
}

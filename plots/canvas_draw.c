/* canvas_draw.c: the series of a panel drawn into the canvas's dot layer
 * (braille 2 x 4, half blocks 1 x 2, ASCII 1 x 1 with a character per
 * series kind), and heat maps as shaded cells.  A cell takes the colour of
 * the last series that puts a dot in it. */
#include "config.h"

#include "plots/canvas_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/palette.h"
/* ---- the dot layer ---- */


void
hs_cv_dots_per_cell(enum hs_canvas_mode m, int *sx, int *sy)
{
    *sx = m == HS_CANVAS_BRAILLE ? 2 : 1;
    *sy = m == HS_CANVAS_BRAILLE ? 4 : m == HS_CANVAS_HALFBLOCK ? 2 : 1;
}

/* The braille bit of dot (column dx, row dy) in a cell (Unicode's order:
 * 1 2 3 down the left column, 4 5 6 down the right, then 7 and 8 below). */
unsigned char
hs_cv_braille_bit(int dx, int dy)
{
    static const unsigned char bits[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};
    return bits[dx & 1][dy & 3];
}

static struct hs_cv_px *
px_at(struct hs_canvas *c, const struct hs_cv_view *v, int dx, int dy, unsigned char *bit)
{
    if (dx < 0 || dy < 0 || dx >= v->cw * v->sx || dy >= v->ch * v->sy)
        return NULL;
    int x = v->cx + dx / v->sx, y = v->cy + dy / v->sy;
    if (x < 0 || y < 0 || x >= c->width || y >= c->height)
        return NULL;
    *bit = 1;
    if (c->mode == HS_CANVAS_BRAILLE)
        *bit = hs_cv_braille_bit(dx % 2, dy % 4);
    else if (c->mode == HS_CANVAS_HALFBLOCK)
        *bit = (dy % 2) ? 2 : 1;
    return &c->px[(size_t)y * (size_t)c->width + (size_t)x];
}

void
hs_cv_set_dot(struct hs_canvas *c, const struct hs_cv_view *v, int dx, int dy, int color, char ach)
{
    unsigned char bit;
    struct hs_cv_px *p = px_at(c, v, dx, dy, &bit);
    if (!p)
        return;
    p->line |= bit;
    p->lach = ach;
    p->lcolor = color;
    p->lown = c->cur;
}

void
hs_cv_set_fill(struct hs_canvas *c, const struct hs_cv_view *v, int dx, int dy, int color,
               char ach, bool replace)
{
    unsigned char bit;
    struct hs_cv_px *p = px_at(c, v, dx, dy, &bit);
    if (!p)
        return;
    if (p->fown != c->cur) {
        p->fill0 = replace ? 0 : p->fill;
        p->fown0 = replace ? -1 : p->fown;
        p->fill = 0;
    }
    p->fill |= bit;
    p->fach = ach;
    p->fcolor = color;
    p->fown = c->cur;
}

void
hs_cv_set_mark(struct hs_canvas *c, int x, int y, const char *glyph, int color)
{
    struct hs_cell *cell = hs_cv_cell_at(c, x, y);
    if (!cell)
        return;
    snprintf(cell->glyph, sizeof cell->glyph, "%s", glyph);
    cell->color = color;
    cell->rgb = -1;
    cell->bold = false;
    c->px[(size_t)y * (size_t)c->width + (size_t)x].mark = true;
}

void
hs_cv_clear_px(struct hs_canvas *c, int x, int y)
{
    if (x < 0 || y < 0 || x >= c->width || y >= c->height)
        return;
    struct hs_cv_px *p = &c->px[(size_t)y * (size_t)c->width + (size_t)x];
    memset(p, 0, sizeof *p);
    p->fown = p->fown0 = p->lown = -1;
}

int
hs_cv_ink(const struct hs_canvas *c, int x0, int y0, int w, int h)
{
    int n = 0;
    for (int y = y0 < 0 ? 0 : y0; y < y0 + h && y < c->height; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x0 + w && x < c->width; x++) {
            size_t i = (size_t)y * (size_t)c->width + (size_t)x;
            const struct hs_cv_px *p = &c->px[i];
            n += p->fill || p->fill0 || p->line || p->mark || strcmp(c->cells[i].glyph, " ") != 0;
        }
    return n;
}

void
hs_cv_braille_glyph(unsigned char mask, char *g)
{
    /* U+2800 + mask in UTF-8. */
    g[0] = (char)0xE2;
    g[1] = (char)(0xA0 | (mask >> 6));
    g[2] = (char)(0x80 | (mask & 0x3F));
    g[3] = '\0';
}

/* Turn the layers inside the rectangle into glyphs: a marker wins, then
 * a line (with its own series' fill under it), then a fill. */
void
hs_cv_finish_dots(struct hs_canvas *c, int x0, int y0, int w, int h)
{
    for (int y = y0 < 0 ? 0 : y0; y < y0 + h && y < c->height; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x0 + w && x < c->width; x++) {
            size_t i = (size_t)y * (size_t)c->width + (size_t)x;
            struct hs_cv_px *p = &c->px[i];
            struct hs_cell *cell = &c->cells[i];
            unsigned char m = 0;
            char ach = 0;
            if (p->mark) {
                hs_cv_clear_px(c, x, y);
                continue;
            }
            if (p->line) {
                m = p->line;
                if (p->fown == p->lown)
                    m |= p->fill;
                if (p->fown0 == p->lown)
                    m |= p->fill0;
                ach = p->lach;
                cell->color = p->lcolor;
            } else if (p->fill | p->fill0) {
                m = p->fill | p->fill0;
                ach = p->fach;
                cell->color = p->fcolor;
            }
            hs_cv_clear_px(c, x, y);
            if (!m)
                continue;
            cell->rgb = -1;
            char *g = cell->glyph;
            if (c->mode == HS_CANVAS_BRAILLE) {
                hs_cv_braille_glyph(m, g);
            } else if (c->mode == HS_CANVAS_HALFBLOCK) {
                strcpy(g, m == 3 ? "\u2588" : m == 1 ? "\u2580" : "\u2584");
            } else {
                g[0] = ach ? ach : '*';
                g[1] = '\0';
            }
        }
}

/* Fraction of the axis at which value u lies (NaN on a log axis for u <= 0). */
double
hs_cv_frac(double u, double lo, double hi, bool lg)
{
    if (lg) {
        if (!(u > 0))
            return NAN;
        return (log10(u) - log10(lo)) / (log10(hi) - log10(lo));
    }
    return (u - lo) / (hi - lo);
}

/* floor(f * n) as an int, safely: far outside for NaN and infinities. */
static int
to_cells(double f, int n)
{
    if (isnan(f))
        return -2 * n - 2;
    double d = floor(f * n);
    return d < -2.0 * n ? -2 * n - 2 : d > 2.0 * n ? 2 * n + 2 : (int)d;
}

/* Dot column of x (may lie outside the area; clamped far out for loops).
 * The right edge maps to one past the last column, as bin edges need;
 * markers use xdot_mark. */
static int
xdot(const struct hs_cv_view *v, double u)
{
    double f = hs_cv_frac(u, v->xlo, v->xhi, v->xlog);
    int W = v->cw * v->sx;
    if (!isfinite(f))
        return f > 0 ? 2 * W : -W;
    double d = floor(f * W);
    return d < -W ? -W : d > 2 * W ? 2 * W : (int)d;
}

/* A marker exactly on the right edge is drawn in the last column. */
static int
xdot_mark(const struct hs_cv_view *v, double u)
{
    int d = xdot(v, u);
    return d == v->cw * v->sx && hs_cv_frac(u, v->xlo, v->xhi, v->xlog) <= 1 + 1e-9 ? d - 1 : d;
}

/* Dot row of y, row 0 at the top; a value at the bottom edge (or not
 * positive on a log axis) gives the lowest row when clamp is set. */
int
hs_cv_ydot(const struct hs_cv_view *v, double u, bool clamp)
{
    double f = hs_cv_frac(u, v->ylo, v->yhi, v->ylog);
    int H = v->ch * v->sy;
    if (isnan(f))
        return clamp ? H - 1 : 2 * H;
    double d = floor((1 - f) * H);
    if (d == H && f >= -1e-9)
        d = H - 1; /* the bottom edge belongs to the lowest row */
    if (d > 2 * H)
        d = 2 * H;
    if (d < -H)
        d = -H;
    int r = (int)d;
    if (clamp)
        r = r < 0 ? 0 : r > H - 1 ? H - 1 : r;
    return r;
}

static void
vline(struct hs_canvas *c, const struct hs_cv_view *v, int dx, int a, int b, int color, char ach)
{
    if (a > b) {
        int t = a;
        a = b;
        b = t;
    }
    for (int y = a; y <= b; y++)
        hs_cv_set_dot(c, v, dx, y, color, ach);
}

static void
hline(struct hs_canvas *c, const struct hs_cv_view *v, int a, int b, int dy, int color, char ach)
{
    for (int x = a; x <= b; x++)
        hs_cv_set_dot(c, v, x, dy, color, ach);
}

/* Bresenham between two dots. */
static void
line(struct hs_canvas *c, const struct hs_cv_view *v, int x0, int y0, int x1, int y1, int color,
     char ach)
{
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
        hs_cv_set_dot(c, v, x0, y0, color, ach);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

/* Fill patterns tell filled histograms apart without colour. */
bool
hs_cv_pattern(int k, int dx, int dy)
{
    switch (k % 4) {
    case 0:
        return true;
    case 1:
        return (dx + dy) % 2 == 0;
    case 2:
        return dx % 2 == 0;
    default:
        return dy % 2 == 0;
    }
}

const char hs_cv_ascii_fill[] = "#%=+";

static bool
stacks_on(const struct hs_series *a, const struct hs_series *s)
{
    return a->kind == HS_SERIES_HIST && s->kind == HS_SERIES_HIST && s->stack != 0 &&
           a->stack == s->stack && a->n == s->n;
}

/* A histogram's fill (fill true) or its outline. */
static void
draw_hist(struct hs_canvas *c, const struct hs_cv_view *v, const struct hs_panel *p, size_t k,
          int fillk, bool fill)
{
    const struct hs_series *s = &p->series[k];
    int H = v->ch * v->sy;
    int prev = -1;
    bool ascii = c->mode == HS_CANVAS_ASCII;
    char fch = hs_cv_ascii_fill[fillk % 4];
    if (fill && s->style != HS_HIST_FILLED)
        return;
    for (size_t i = 0; i < s->n; i++) {
        double base = 0;
        for (size_t j = 0; j < k; j++)
            if (stacks_on(&p->series[j], s) && isfinite(p->series[j].y[i]))
                base += p->series[j].y[i];
        double top = base + (isfinite(s->y[i]) ? s->y[i] : 0);
        int a = xdot(v, s->x[i]), b = xdot(v, s->x[i + 1]) - 1;
        if (b < a)
            b = a;
        int r = hs_cv_ydot(v, top, true);
        int rb = base > 0 ? hs_cv_ydot(v, base, true) : H - 1;
        if (fill) {
            for (int x = a; x <= b; x++)
                for (int y = r; y <= rb; y++)
                    if (ascii || hs_cv_pattern(fillk, x, y))
                        hs_cv_set_fill(c, v, x, y, s->color, fch, false);
            continue;
        }
        /* the outer edges start at the base (the stack below, or the axis) */
        if (prev < 0)
            prev = rb;
        /* an empty bin's top lies on the axis: not drawn over another
         * series' fill */
        bool on_axis = top == base && rb == H - 1;
        if (!on_axis)
            hline(c, v, a, b, r, s->color, s->style == HS_HIST_FILLED ? fch : '-');
        if ((!ascii && !on_axis) || r != prev)
            vline(c, v, a, prev, r, s->color, '|');
        if (ascii && r != prev)
            hs_cv_set_dot(c, v, a, r, s->color, '|');
        prev = r;
        if (i + 1 == s->n)
            vline(c, v, b, r, rb > r ? rb : r, s->color, '|');
    }
}

/* A band's hatch: diagonals, unlike every fill pattern. */
static bool
hatch(int dx, int dy)
{
    return (dx + dy) % 4 == 0;
}

static void
draw_band(struct hs_canvas *c, const struct hs_cv_view *v, const struct hs_series *s)
{
    int H = v->ch * v->sy;
    bool ascii = c->mode == HS_CANVAS_ASCII;
    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(s->y[i]) || !s->yerr || !isfinite(s->yerr[i]))
            continue;
        double e = fabs(s->yerr[i]);
        int a = xdot(v, s->x[i]), b = xdot(v, s->x[i + 1]) - 1;
        int top = hs_cv_ydot(v, s->y[i] + e, false), bot = hs_cv_ydot(v, s->y[i] - e, true);
        if (top < 0)
            top = 0;
        if (top > H - 1 || b < a)
            continue;
        for (int x = a; x <= b; x++)
            for (int y = top; y <= bot; y++)
                if (ascii || (c->mode == HS_CANVAS_HALFBLOCK ? (x + y) % 2 == 0 : hatch(x, y)))
                    hs_cv_set_fill(c, v, x, y, s->color, '/', true);
    }
}

/* The cell of dot (dx, dy), or false outside the plot area. */
static bool
dot_cell(const struct hs_cv_view *v, int dx, int dy, int *x, int *y)
{
    if (dx < 0 || dy < 0 || dx >= v->cw * v->sx || dy >= v->ch * v->sy)
        return false;
    *x = v->cx + dx / v->sx;
    *y = v->cy + dy / v->sy;
    return true;
}

/* Vertical error bars (lines) or the markers over them (marks). */
static void
draw_points(struct hs_canvas *c, const struct hs_cv_view *v, const struct hs_series *s,
            const char *glyph, bool marks)
{
    int H = v->ch * v->sy;
    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(s->x[i]) || !isfinite(s->y[i]) || (v->xlog && !(s->x[i] > 0)))
            continue;
        int dx = xdot_mark(v, s->x[i]);
        if (!marks) {
            if (!s->yerr || !isfinite(s->yerr[i]) || s->yerr[i] == 0)
                continue;
            double e = fabs(s->yerr[i]);
            int a = hs_cv_ydot(v, s->y[i] + e, false), b = hs_cv_ydot(v, s->y[i] - e, true);
            if (a < 0)
                a = 0;
            if (b > H - 1)
                b = H - 1;
            if (a <= H - 1)
                vline(c, v, dx, a, b, s->color, '|');
            continue;
        }
        if (v->ylog && !(s->y[i] > 0))
            continue;
        int x, y;
        if (dot_cell(v, dx, hs_cv_ydot(v, s->y[i], false), &x, &y))
            hs_cv_set_mark(c, x, y, glyph, s->color);
    }
}

static const char ascii_cat[] = "x+o*#@%&";

/* Scatters of at most this many points are drawn as marker glyphs. */
#define FEW_POINTS 64

static void
draw_xy(struct hs_canvas *c, const struct hs_cv_view *v, const struct hs_series *s,
        const char *glyph)
{
    bool have = false, ascii = c->mode == HS_CANVAS_ASCII;
    int px = 0, py = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(s->x[i]) || !isfinite(s->y[i]) || (v->ylog && !(s->y[i] > 0)) ||
            (v->xlog && !(s->x[i] > 0))) {
            have = false;
            continue;
        }
        int dx = xdot_mark(v, s->x[i]), dy = hs_cv_ydot(v, s->y[i], false);
        if (s->kind == HS_SERIES_LINE) {
            if (have)
                line(c, v, px, py, dx, dy, s->color, glyph[0]);
            else
                hs_cv_set_dot(c, v, dx, dy, s->color, glyph[0]);
            have = true;
            px = dx;
            py = dy;
            continue;
        }
        int col = s->cat ? s->cat[i] : s->color;
        int ci = s->cat ? (s->cat[i] % 8 + 8) % 8 : 0;
        int x, y;
        if (s->n > FEW_POINTS)
            hs_cv_set_dot(c, v, dx, dy, col, ascii_cat[ci]);
        else if (dot_cell(v, dx, dy, &x, &y))
            hs_cv_set_mark(c, x, y, s->cat ? hs_figure_marker_glyph(ci, ascii) : glyph, col);
    }
}

/* Without colour, a line or outline carries its marker glyph every few
 * cells (where the series drew last in the line layer), at columns offset
 * by its style index so that two curves' markers do not coincide.  Not in
 * the lowest row, where empty bins of every histogram run together. */
static void
mark_curve(struct hs_canvas *c, const struct hs_cv_view *v, int k, const char *glyph, int color)
{
    int step = v->cw >= 48 ? 8 : 6, off = 2 + (k * 3) % step;
    for (int q = v->cx + off; q < v->cx + v->cw - 1; q += step)
        for (int r = v->cy; r < v->cy + v->ch - 1; r++) {
            const struct hs_cv_px *p = &c->px[(size_t)r * (size_t)c->width + (size_t)q];
            if (p->line && p->lown == c->cur && !p->mark) {
                hs_cv_set_mark(c, q, r, glyph, color);
                break;
            }
        }
}

void
hs_cv_heat_range(const struct hs_series *s, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < s->nx * s->ny; i++)
        if (isfinite(s->z[i]) && (!s->zlog || s->z[i] > 0)) {
            if (s->z[i] < *lo)
                *lo = s->z[i];
            if (s->z[i] > *hi)
                *hi = s->z[i];
        }
    if (!isfinite(*lo)) {
        *lo = s->zlog ? 1 : 0;
        *hi = s->zlog ? 10 : 1;
    }
    if (s->zlog) {
        if (*hi == *lo)
            *hi = *lo * 10;
    } else if (s->zdiverging) {
        double m = fmax(fabs(*lo), fabs(*hi));
        if (m == 0)
            m = 1;
        *lo = -m;
        *hi = m;
    } else if (*hi == *lo) {
        *hi = *lo + 1;
    }
}

static int
rgb24(struct hs_rgb c)
{
    int r = (int)lround(c.r * 255), g = (int)lround(c.g * 255), b = (int)lround(c.b * 255);
    return (r << 16) | (g << 8) | b;
}

double
hs_cv_heat_frac(const struct hs_series *s, double z, double lo, double hi)
{
    if (s->zlog)
        return z > 0 ? (log10(z) - log10(lo)) / (log10(hi) - log10(lo)) : NAN;
    return (z - lo) / (hi - lo);
}

/* Shade a cell for z in [lo, hi]: a glyph by intensity and a colour. */
void
hs_cv_shade_cell(struct hs_canvas *c, int x, int y, const struct hs_series *s, double z, double lo,
           double hi)
{
    static const char ramp[] = " .:-=+*#%@";
    static const char *const blocks[5] = {" ", "\u2591", "\u2592", "\u2593", "\u2588"};
    struct hs_cell *cell = hs_cv_cell_at(c, x, y);
    if (!cell)
        return;
    double t, inten;
    struct hs_rgb col;
    if (s->zdiverging && !s->zlog) {
        t = z / hi;
        inten = fabs(t);
        col = hs_palette_diverging(t);
    } else {
        t = hs_cv_heat_frac(s, z, lo, hi);
        inten = t;
        col = hs_palette_sequential(t);
    }
    if (!(inten > 0))
        inten = 0; /* NaN from an infinite range too */
    if (s->zlog && z > 0 && inten < 0.05)
        inten = 0.05; /* the smallest count is not empty */
    if (inten > 1)
        inten = 1;
    if (c->mode == HS_CANVAS_ASCII) {
        int l = inten <= 0 ? 0 : 1 + (int)floor(inten * 9);
        cell->glyph[0] = ramp[l > 9 ? 9 : l];
        cell->glyph[1] = '\0';
    } else {
        int l = inten <= 0 ? 0 : 1 + (int)floor(inten * 4);
        strcpy(cell->glyph, blocks[l > 4 ? 4 : l]);
    }
    cell->rgb = rgb24(col);
    cell->color = -1;
}

/* The bin of u among n + 1 increasing edges, or -1. */
static long
find_bin(const double *e, size_t n, double u)
{
    if (!(u >= e[0]) || !(u <= e[n]))
        return -1;
    size_t a = 0, b = n;
    while (b - a > 1) {
        size_t m = (a + b) / 2;
        if (u >= e[m])
            a = m;
        else
            b = m;
    }
    return (long)a;
}

static double
unfrac(double f, double lo, double hi, bool lg)
{
    if (lg)
        return pow(10.0, log10(lo) + f * (log10(hi) - log10(lo)));
    return lo + f * (hi - lo);
}

static void
draw_heatmap(struct hs_canvas *c, const struct hs_cv_view *v, const struct hs_series *s)
{
    double lo, hi;
    hs_cv_heat_range(s, &lo, &hi);
    for (int r = 0; r < v->ch; r++) {
        double yv = unfrac(1 - (r + 0.5) / v->ch, v->ylo, v->yhi, v->ylog);
        long iy = find_bin(s->y, s->ny, yv);
        if (iy < 0)
            continue;
        for (int q = 0; q < v->cw; q++) {
            double xv = unfrac((q + 0.5) / v->cw, v->xlo, v->xhi, v->xlog);
            long ix = find_bin(s->x, s->nx, xv);
            if (ix < 0)
                continue;
            double z = s->z[(size_t)iy * s->nx + (size_t)ix];
            if (isfinite(z) && (!s->zlog || z > 0))
                hs_cv_shade_cell(c, v->cx + q, v->cy + r, s, z, lo, hi);
        }
    }
    if (!s->zvalues)
        return;
    bool unit = lo >= -1 && hi <= 1;
    for (size_t iy = 0; iy < s->ny; iy++)
        for (size_t ix = 0; ix < s->nx; ix++) {
            double z = s->z[iy * s->nx + ix];
            if (!isfinite(z))
                continue;
            char buf[32];
            snprintf(buf, sizeof buf, unit ? "%.2f" : "%.3g", z);
            if (strcmp(buf, "-0.00") == 0)
                strcpy(buf, "0.00");
            int a = v->cx + to_cells(hs_cv_frac(s->x[ix], v->xlo, v->xhi, v->xlog), v->cw);
            int b = v->cx + to_cells(hs_cv_frac(s->x[ix + 1], v->xlo, v->xhi, v->xlog), v->cw);
            double fm = 1 - (hs_cv_frac(s->y[iy], v->ylo, v->yhi, v->ylog) +
                             hs_cv_frac(s->y[iy + 1], v->ylo, v->yhi, v->ylog)) / 2;
            int row = v->cy + to_cells(fm, v->ch);
            int len = (int)strlen(buf);
            if (b - a >= len + 2) {
                /* a blank on each side keeps "-0.30" apart from the shades */
                memmove(buf + 1, buf, (size_t)len + 1);
                buf[0] = ' ';
                buf[++len] = ' ';
                buf[++len] = '\0';
            }
            if (b - a < len || row < v->cy || row >= v->cy + v->ch)
                continue;
            int x = a + (b - a - len) / 2;
            for (int k = 0; k < len; k++) {
                struct hs_cell *cell = hs_cv_cell_at(c, x + k, row);
                if (!cell)
                    continue;
                cell->glyph[0] = buf[k];
                cell->glyph[1] = '\0';
                cell->bold = true;
            }
        }
}



/* Heat maps first (as cells), then the fill layer, the line layer and the
 * markers, each series in the order added; the layers make the order
 * matter only for colours within a layer. */
void
hs_cv_draw_series(struct hs_canvas *c, const struct hs_cv_view *v, const struct hs_panel *p)
{
    bool ascii = c->mode == HS_CANVAS_ASCII;
    for (size_t i = 0; i < p->nseries; i++)
        if (p->series[i].kind == HS_SERIES_HEATMAP)
            draw_heatmap(c, v, &p->series[i]);
    for (int pass = 0; pass < 3; pass++) {
        int fillk = 0;
        for (size_t i = 0; i < p->nseries; i++) {
            const struct hs_series *s = &p->series[i];
            int k = hs_panel_style_index(p, i);
            const char *glyph = hs_figure_marker_glyph(k, ascii);
            c->cur = (int)i;
            switch (s->kind) {
            case HS_SERIES_HIST:
                if (pass < 2)
                    draw_hist(c, v, p, i, fillk, pass == 0);
                if (pass == 1 && c->mono)
                    mark_curve(c, v, k, glyph, s->color);
                if (s->style == HS_HIST_FILLED)
                    fillk++;
                break;
            case HS_SERIES_BAND:
                if (pass == 0)
                    draw_band(c, v, s);
                break;
            case HS_SERIES_POINTS:
                if (pass > 0)
                    draw_points(c, v, s, glyph, pass == 2);
                break;
            case HS_SERIES_LINE:
                if (pass == 1)
                    draw_xy(c, v, s, glyph);
                if (pass == 1 && c->mono && !ascii)
                    mark_curve(c, v, k, glyph, s->color);
                break;
            case HS_SERIES_SCATTER:
                if (pass == 2)
                    draw_xy(c, v, s, glyph);
                break;
            case HS_SERIES_HEATMAP:
                break;
            }
        }
    }
    c->cur = -1;
}

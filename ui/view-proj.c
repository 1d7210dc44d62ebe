/* view-proj.c: the projections view's state and drawing (view-proj.h).
 *
 * The figure is `plot scatter`'s (ui/scatter.c), made by ui/tui-proj.c;
 * here its axes are fixed to the window, it is rendered into the cells
 * like every figure of the TUI, and the box and the cursor are drawn
 * over it in cells.  Clicks need the plot area: the renderer keeps it to
 * itself, so it is read back from the axes' corner after rendering (the
 * axes are fixed, so the mapping is exactly linear).
 */
#include "config.h"

#include "ui/view-proj.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/canvas.h"
#include "ui/keys.h"
#include "ui/view.h"

#define MARGIN 0.04  /* of the span, around the points at zoom 1 */
#define STEPS 40     /* cursor steps across the window */
#define ZOOM_MAX 1e6

static void
free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void
hs_proj_view_release(struct hs_proj_view *pv)
{
    hs_proj_view_set_lists(pv, "", NULL, 0, NULL, 0);
    hs_figure_free(pv->fig);
    pv->fig = NULL;
}

void
hs_proj_view_set_lists(struct hs_proj_view *pv, const char *dataset, char **names, size_t nn,
                       char **colors, size_t nc)
{
    free_list(pv->names, pv->nnames);
    free_list(pv->colors, pv->ncolors);
    pv->names = names;
    pv->nnames = nn;
    pv->colors = colors;
    pv->ncolors = nc;
    pv->cur = pv->color = 0;
    /* Another dataset's map goes; this one's stays in use until the
     * new figure replaces it (keys may move over it meanwhile). */
    if (strcmp(pv->dataset, dataset) != 0) {
        hs_figure_free(pv->fig);
        pv->fig = NULL;
        hs_proj_view_unmark(pv);
    }
    snprintf(pv->dataset, sizeof pv->dataset, "%s", dataset);
}

static void
window_reset(struct hs_proj_view *pv)
{
    pv->zoom = 1;
    pv->vx = pv->cx = (pv->xlo + pv->xhi) / 2;
    pv->vy = pv->cy = (pv->ylo + pv->yhi) / 2;
}

void
hs_proj_view_set_figure(struct hs_proj_view *pv, struct hs_figure *f, double xlo, double xhi,
                        double ylo, double yhi, bool keep_window)
{
    hs_figure_free(pv->fig);
    pv->fig = f;
    pv->fig_stale = false;
    /* A single point, or all on a line: a span to show them in. */
    if (!(xhi > xlo)) {
        xlo -= 0.5;
        xhi += 0.5;
    }
    if (!(yhi > ylo)) {
        ylo -= 0.5;
        yhi += 0.5;
    }
    keep_window = keep_window && pv->zoom > 0 && pv->xlo == xlo && pv->xhi == xhi &&
                  pv->ylo == ylo && pv->yhi == yhi;
    pv->xlo = xlo;
    pv->xhi = xhi;
    pv->ylo = ylo;
    pv->yhi = yhi;
    if (!keep_window) {
        window_reset(pv);
        hs_proj_view_unmark(pv);
    }
}

void
hs_proj_view_window(const struct hs_proj_view *pv, double *x0, double *x1, double *y0,
                    double *y1)
{
    double z = pv->zoom > 0 ? pv->zoom : 1;
    double hx = (pv->xhi - pv->xlo) * (0.5 + MARGIN) / z;
    double hy = (pv->yhi - pv->ylo) * (0.5 + MARGIN) / z;

    *x0 = pv->vx - hx;
    *x1 = pv->vx + hx;
    *y0 = pv->vy - hy;
    *y1 = pv->vy + hy;
}

/* Bring the cursor into the window by moving the window. */
static void
follow(struct hs_proj_view *pv)
{
    double x0, x1, y0, y1;

    hs_proj_view_window(pv, &x0, &x1, &y0, &y1);
    if (pv->cx < x0)
        pv->vx -= x0 - pv->cx;
    else if (pv->cx > x1)
        pv->vx += pv->cx - x1;
    if (pv->cy < y0)
        pv->vy -= y0 - pv->cy;
    else if (pv->cy > y1)
        pv->vy += pv->cy - y1;
}

void
hs_proj_view_move(struct hs_proj_view *pv, int dx, int dy, size_t count)
{
    double x0, x1, y0, y1;

    if (!pv->fig)
        return;
    hs_proj_view_window(pv, &x0, &x1, &y0, &y1);
    pv->cx += (double)dx * (double)count * (x1 - x0) / STEPS;
    pv->cy += (double)dy * (double)count * (y1 - y0) / STEPS;
    follow(pv);
}

void
hs_proj_view_zoom(struct hs_proj_view *pv, double factor)
{
    if (!pv->fig)
        return;
    if (factor <= 0) {
        pv->zoom = 1;
        pv->vx = (pv->xlo + pv->xhi) / 2;
        pv->vy = (pv->ylo + pv->yhi) / 2;
        return;
    }
    pv->zoom *= factor;
    if (pv->zoom < 1)
        pv->zoom = 1;
    if (pv->zoom > ZOOM_MAX)
        pv->zoom = ZOOM_MAX;
    /* About the cursor: it stays where it is on the map, the window
     * centres on it. */
    pv->vx = pv->cx;
    pv->vy = pv->cy;
}

void
hs_proj_box_num(double v, char *buf, size_t size)
{
    snprintf(buf, size, "%.6g", v);
}

/* v as the selection will read it: 6 significant digits. */
static double
rounded(double v)
{
    char num[64];

    hs_proj_box_num(v, num, sizeof num);
    return strtod(num, NULL);
}

void
hs_proj_view_mark(struct hs_proj_view *pv, bool *done)
{
    *done = false;
    if (!pv->fig)
        return;
    if (pv->marks != 1) {
        pv->marks = 1;
        pv->mx = pv->cx;
        pv->my = pv->cy;
        return;
    }
    pv->box.x0 = rounded(fmin(pv->mx, pv->cx));
    pv->box.x1 = rounded(fmax(pv->mx, pv->cx));
    pv->box.y0 = rounded(fmin(pv->my, pv->cy));
    pv->box.y1 = rounded(fmax(pv->my, pv->cy));
    pv->marks = 2;
    *done = true;
}

void
hs_proj_view_unmark(struct hs_proj_view *pv)
{
    pv->marks = 0;
    memset(&pv->box, 0, sizeof pv->box);
}

bool
hs_proj_view_hit(const struct hs_proj_view *pv, int x, int y, double *mx, double *my)
{
    double x0, x1, y0, y1;

    if (pv->aw <= 0 || pv->ah <= 0 || x < pv->ax || x >= pv->ax + pv->aw || y < pv->ay ||
        y >= pv->ay + pv->ah)
        return false;
    hs_proj_view_window(pv, &x0, &x1, &y0, &y1);
    *mx = x0 + ((double)(x - pv->ax) + 0.5) / pv->aw * (x1 - x0);
    *my = y1 - ((double)(y - pv->ay) + 0.5) / pv->ah * (y1 - y0);
    return true;
}

void
hs_proj_box_expr(const char *name, const struct hs_proj_box *b, char *buf, size_t size)
{
    char x0[32], x1[32], y0[32], y1[32];

    hs_proj_box_num(b->x0, x0, sizeof x0);
    hs_proj_box_num(b->x1, x1, sizeof x1);
    hs_proj_box_num(b->y0, y0, sizeof y0);
    hs_proj_box_num(b->y1, y1, sizeof y1);
    snprintf(buf, size, "%s_1 >= %s && %s_1 < %s && %s_2 >= %s && %s_2 < %s", name, x0, name, x1,
             name, y0, name, y1);
}

void
hs_proj_box_spec(const struct hs_proj_box *b, char *buf, size_t size)
{
    char x0[32], x1[32], y0[32], y1[32];

    hs_proj_box_num(b->x0, x0, sizeof x0);
    hs_proj_box_num(b->x1, x1, sizeof x1);
    hs_proj_box_num(b->y0, y0, sizeof y0);
    hs_proj_box_num(b->y1, y1, sizeof y1);
    snprintf(buf, size, "%s:%s,%s:%s", x0, x1, y0, y1);
}

/* ---- drawing ---- */

static bool
glyph_is(const struct hs_canvas *c, int x, int y, const char *a, const char *b)
{
    const struct hs_cell *cell = hs_canvas_cell(c, x, y);

    return cell && (strcmp(cell->glyph, a) == 0 || (b && strcmp(cell->glyph, b) == 0));
}

/* The plot area of a rendered canvas: right of the left axis and above
 * the bottom one, found from their corner.  false when there is none. */
static bool
find_area(const struct hs_canvas *c, int *ax, int *ay, int *aw, int *ah)
{
    bool ascii = c->mode == HS_CANVAS_ASCII;
    const char *corner = ascii ? "+" : "\u2514", *vert = ascii ? "|" : "\u2502",
               *vtick = ascii ? "+" : "\u2524", *horz = ascii ? "-" : "\u2500",
               *htick = ascii ? "+" : "\u252c";

    for (int y = c->height - 1; y > 0; y--)
        for (int x = 0; x + 1 < c->width; x++) {
            int w = 0, h = 0;
            if (!glyph_is(c, x, y, corner, NULL) || !glyph_is(c, x, y - 1, vert, vtick) ||
                !glyph_is(c, x + 1, y, horz, htick))
                continue;
            while (glyph_is(c, x + 1 + w, y, horz, htick))
                w++;
            while (glyph_is(c, x, y - 1 - h, vert, vtick))
                h++;
            *ax = x + 1;
            *ay = y - h;
            *aw = w;
            *ah = h;
            return true;
        }
    return false;
}

/* The screen cell of map point (mx, my), which may lie outside the area. */
static void
cell_of(const struct hs_proj_view *pv, double mx, double my, int *x, int *y)
{
    double x0, x1, y0, y1;

    hs_proj_view_window(pv, &x0, &x1, &y0, &y1);
    *x = pv->ax + (int)floor((mx - x0) / (x1 - x0) * pv->aw);
    *y = pv->ay + (int)floor((y1 - my) / (y1 - y0) * pv->ah);
}

static bool
inside(const struct hs_proj_view *pv, int x, int y)
{
    return x >= pv->ax && x < pv->ax + pv->aw && y >= pv->ay && y < pv->ay + pv->ah;
}

static void
put_glyph(struct hs_proj_view *pv, struct hs_screen *s, int x, int y, const char *g)
{
    if (inside(pv, x, y))
        hs_screen_put(s, x, y, 1, g, HS_COLOR_SELECTION, HS_ATTR_BOLD);
}

/* The box from (x0, y0) to (x1, y1) in map coordinates, as cell lines. */
static void
draw_box(struct hs_proj_view *pv, struct hs_screen *s, double bx0, double by0, double bx1,
         double by1, bool ascii)
{
    int l, t, r, b;

    cell_of(pv, fmin(bx0, bx1), fmax(by0, by1), &l, &t);
    cell_of(pv, fmax(bx0, bx1), fmin(by0, by1), &r, &b);
    for (int x = l + 1; x < r; x++) {
        put_glyph(pv, s, x, t, ascii ? "-" : "\u2500");
        put_glyph(pv, s, x, b, ascii ? "-" : "\u2500");
    }
    for (int y = t + 1; y < b; y++) {
        put_glyph(pv, s, l, y, ascii ? "|" : "\u2502");
        put_glyph(pv, s, r, y, ascii ? "|" : "\u2502");
    }
    put_glyph(pv, s, l, t, ascii ? "+" : "\u250c");
    put_glyph(pv, s, r, t, ascii ? "+" : "\u2510");
    put_glyph(pv, s, l, b, ascii ? "+" : "\u2514");
    put_glyph(pv, s, r, b, ascii ? "+" : "\u2518");
}

static void
draw_progress(const struct hs_proj_view *pv, struct hs_screen *s, int x, int y, int w)
{
    char head[160], tail[40];
    const char *esc = hs_keys_key_for("proj", "proj-stop");
    int barw, fill;

    snprintf(head, sizeof head, " %s %s ", pv->stopping ? "stopping" : "computing", pv->method);
    snprintf(tail, sizeof tail, pv->progress >= 0 ? " %3.0f%% " : " ", 100 * pv->progress);
    hs_screen_put(s, x, y, w, head, HS_COLOR_HEADER, HS_ATTR_BOLD);
    barw = w / 4;
    if (barw > 40)
        barw = 40;
    x += hs_text_width(head);
    w -= hs_text_width(head);
    if (barw < 4 || w < barw + 2)
        return;
    fill = pv->progress >= 0 ? (int)lround(pv->progress * barw) : 0;
    hs_screen_put(s, x, y, 1, "[", HS_COLOR_NORMAL, 0);
    for (int i = 0; i < barw; i++)
        hs_screen_put(s, x + 1 + i, y, 1, i < fill ? "#" : ".",
                      i < fill ? HS_COLOR_SIGNAL : HS_COLOR_DIM, 0);
    hs_screen_put(s, x + 1 + barw, y, 1, "]", HS_COLOR_NORMAL, 0);
    x += barw + 2;
    w -= barw + 2;
    snprintf(head, sizeof head, "%s %s cancels  %s", tail, esc ? esc : ":proj-stop", pv->what);
    hs_screen_put(s, x, y, w, head, HS_COLOR_DIM, 0);
}

void
hs_proj_view_draw(struct hs_proj_view *pv, int mode, const char *dsname, struct hs_screen *s,
                  int x, int y, int w, int h)
{
    char title[400], msg[HS_PLOT_MSG_MAX];
    struct hs_canvas *c = NULL;
    double x0, x1, y0, y1;
    int top = y + 1;

    pv->aw = 0;
    hs_screen_fill(s, x, y, w, h, HS_COLOR_NORMAL, 0);
    if (h < 4)
        return;
    if (pv->nnames && pv->cur < pv->nnames)
        snprintf(title, sizeof title, "projection %s of '%s' (%zu of %zu), coloured by %s",
                 pv->names[pv->cur], dsname ? dsname : "", pv->cur + 1, pv->nnames,
                 pv->ncolors ? pv->colors[pv->color] : "label");
    else
        snprintf(title, sizeof title, "projections of '%s'", dsname ? dsname : "");
    hs_screen_put(s, x + 1, y, w - 1, title, HS_COLOR_HEADER, HS_ATTR_BOLD);
    if (pv->job)
        draw_progress(pv, s, x, top++, w);
    if (!pv->fig) {
        const char *p = hs_keys_key_for("proj", "proj-compute pca");
        char hint[200];
        snprintf(hint, sizeof hint,
                 "(no projection of this dataset yet: %s computes a PCA map, or `hepscope "
                 "project pca|tsne|umap NAME`)",
                 p ? p : ":proj-compute pca");
        hs_screen_put(s, x + 1, top + 1, w - 1, pv->msg[0] ? pv->msg : hint,
                      pv->msg[0] && pv->msg_error ? HS_COLOR_ERROR : HS_COLOR_DIM, 0);
        return;
    }
    hs_proj_view_window(pv, &x0, &x1, &y0, &y1);
    pv->fig->main.x.fixed = pv->fig->main.y.fixed = true;
    pv->fig->main.x.lo = x0;
    pv->fig->main.x.hi = x1;
    pv->fig->main.y.lo = y0;
    pv->fig->main.y.hi = y1;
    {
        int ph = y + h - top - (pv->msg[0] ? 1 : 0);
        if (ph >= 6 && w >= 20 && (c = hs_screen_canvas(s, w, ph, mode, msg)) != NULL) {
            if (hs_canvas_render(c, pv->fig, msg) == 0) {
                hs_screen_put_canvas(s, c, x, top);
                if (find_area(c, &pv->ax, &pv->ay, &pv->aw, &pv->ah)) {
                    pv->ax += x;
                    pv->ay += top;
                }
            } else {
                hs_screen_put(s, x + 1, top + 1, w - 1, msg, HS_COLOR_ERROR, 0);
            }
        }
    }
    if (pv->aw > 0) {
        bool ascii = c && c->mode == HS_CANVAS_ASCII;
        int cx, cy;
        if (pv->marks == 2)
            draw_box(pv, s, pv->box.x0, pv->box.y0, pv->box.x1, pv->box.y1, ascii);
        else if (pv->marks == 1)
            draw_box(pv, s, pv->mx, pv->my, pv->cx, pv->cy, ascii);
        cell_of(pv, pv->cx, pv->cy, &cx, &cy);
        put_glyph(pv, s, cx, cy, ascii ? "+" : "\u253c");
    }
    hs_canvas_free(c);
    if (pv->msg[0])
        hs_screen_put(s, x + 1, y + h - 1, w - 1, pv->msg,
                      pv->msg_error ? HS_COLOR_ERROR : HS_COLOR_DIM, 0);
}

/* ---- the view class ---- */

static void
proj_init(struct hs_tui *tui, struct hs_view *view)
{
    view->data = &tui->proj;
    tui->proj.zoom = 1;
}

static void
proj_release(struct hs_tui *tui, struct hs_view *view)
{
    hs_tui_proj_finish_now(tui);
    hs_proj_view_release(view->data);
}

/* Entering reads the lists again: a `project` typed on the ':' line. */
static void
proj_enter(struct hs_tui *tui, struct hs_view *view)
{
    struct hs_proj_view *pv = view->data;

    pv->stale = true;
    hs_tui_proj_prepare(tui);
}

static void
proj_prepare(struct hs_tui *tui, struct hs_view *view, unsigned changes)
{
    struct hs_proj_view *pv = view->data;

    if (changes & (HS_CHANGE_DATASETS | HS_CHANGE_FEATURES | HS_CHANGE_MODELS)) {
        pv->stale = true;
        pv->fig_stale = true;
    }
    hs_tui_proj_prepare(tui);
}

static void
proj_move(struct hs_tui *tui, struct hs_view *view, enum hs_move m, size_t count)
{
    struct hs_proj_view *pv = view->data;

    (void)tui;
    switch (m) {
    case HS_MOVE_UP: hs_proj_view_move(pv, 0, 1, count); break;
    case HS_MOVE_DOWN: hs_proj_view_move(pv, 0, -1, count); break;
    case HS_MOVE_LEFT: hs_proj_view_move(pv, -1, 0, count); break;
    case HS_MOVE_RIGHT: hs_proj_view_move(pv, 1, 0, count); break;
    case HS_MOVE_PAGE_UP: hs_proj_view_move(pv, 0, 1, 10 * count); break;
    case HS_MOVE_PAGE_DOWN: hs_proj_view_move(pv, 0, -1, 10 * count); break;
    case HS_MOVE_FIRST_COLUMN: hs_proj_view_move(pv, -1, 0, 10 * count); break;
    case HS_MOVE_LAST_COLUMN: hs_proj_view_move(pv, 1, 0, 10 * count); break;
    case HS_MOVE_TOP:
    case HS_MOVE_BOTTOM: hs_proj_view_zoom(pv, 0); break;
    }
}

static void
proj_load(struct hs_tui *tui, struct hs_view *view, struct hs_rect r)
{
    (void)view;
    (void)r;
    hs_tui_proj_load(tui);
}

static void
proj_draw(struct hs_tui *tui, struct hs_view *view, struct hs_screen *s, struct hs_rect r)
{
    hs_proj_view_draw(view->data, tui->hist.mode, tui->dsname, s, r.x, r.y, r.w, r.h);
}

static void
proj_status(const struct hs_tui *tui, const struct hs_view *view, char *buf, size_t size)
{
    const struct hs_proj_view *pv = view->data;
    char x[32], y[32];

    (void)tui;
    if (!pv->fig)
        return;
    hs_proj_box_num(pv->cx, x, sizeof x);
    hs_proj_box_num(pv->cy, y, sizeof y);
    if (pv->marks == 2) {
        char box[160];
        hs_proj_box_spec(&pv->box, box, sizeof box);
        snprintf(buf, size, " box %s", box);
    } else {
        snprintf(buf, size, " cursor %s, %s%s  zoom %.3g", x, y,
                 pv->marks == 1 ? " (marking)" : "", pv->zoom);
    }
}

const struct hs_view_class hs_view_proj_class = {
    .name = "proj",
    .init = proj_init,
    .release = proj_release,
    .enter = proj_enter,
    .prepare = proj_prepare,
    .move = proj_move,
    .load = proj_load,
    .draw = proj_draw,
    .status = proj_status,
};

#include "config.h"

#include "ui/view.h"

#include <stdio.h>
#include <string.h>

#define NAME_MAX_W 24

void
hs_datasets_view_draw(const struct hs_dataset_info *ds, size_t n, const char *current,
                      struct hs_scroll *sc, struct hs_screen *s, int x, int y, int w, int h)
{
    static const char *const heads[] = {"rows", "columns", "signal", "background"};
    static const int numw[] = {10, 7, 10, 10};
    int namew = 4, cx;

    hs_screen_fill(s, x, y, w, h, HS_COLOR_NORMAL, 0);
    if (h < 2)
        return;
    for (size_t i = 0; i < n; i++) {
        int nw = hs_text_width(ds[i].name);
        if (nw > namew)
            namew = nw > NAME_MAX_W ? NAME_MAX_W : nw;
    }
    hs_screen_put_field(s, x + 2, y, namew, "name", HS_ALIGN_LEFT, HS_COLOR_HEADER, HS_ATTR_BOLD);
    cx = x + 2 + namew;
    for (int i = 0; i < 4; i++) {
        if (cx + 1 + numw[i] > x + w)
            break;
        hs_screen_put_field(s, cx + 1, y, numw[i], heads[i], HS_ALIGN_RIGHT, HS_COLOR_HEADER,
                            HS_ATTR_BOLD);
        cx += 1 + numw[i];
    }
    if (cx + 2 < x + w)
        hs_screen_put_field(s, cx + 2, y, x + w - cx - 2, "source", HS_ALIGN_LEFT,
                            HS_COLOR_HEADER, HS_ATTR_BOLD);
    if (n == 0) {
        hs_screen_put(s, x + 2, y + 1, w - 2, "(no datasets)", HS_COLOR_DIM, 0);
        return;
    }

    sc->n = n;
    hs_scroll_fit(sc, h - 1);
    for (size_t i = sc->top; i < n && (int)(i - sc->top) < h - 1; i++) {
        const struct hs_dataset_info *d = &ds[i];
        int ry = y + 1 + (int)(i - sc->top);
        char buf[4][32];
        enum hs_color colors[4] = {HS_COLOR_NORMAL, HS_COLOR_NORMAL, HS_COLOR_SIGNAL,
                                   HS_COLOR_BACKGROUND};
        bool shown = current && strcmp(current, d->name) == 0;

        snprintf(buf[0], sizeof buf[0], "%zu", d->nrows);
        snprintf(buf[1], sizeof buf[1], "%zu", d->ncols);
        if (d->labelled) {
            snprintf(buf[2], sizeof buf[2], "%zu", d->nsignal);
            snprintf(buf[3], sizeof buf[3], "%zu", d->nbackground);
        } else {
            snprintf(buf[2], sizeof buf[2], "-");
            snprintf(buf[3], sizeof buf[3], "-");
            colors[2] = colors[3] = HS_COLOR_DIM;
        }
        hs_screen_put(s, x, ry, 1, shown ? "*" : " ", HS_COLOR_HEADER, HS_ATTR_BOLD);
        hs_screen_put_field(s, x + 2, ry, namew, d->name, HS_ALIGN_LEFT, HS_COLOR_NORMAL,
                            shown ? HS_ATTR_BOLD : 0);
        cx = x + 2 + namew;
        for (int k = 0; k < 4; k++) {
            if (cx + 1 + numw[k] > x + w)
                break;
            hs_screen_put_field(s, cx + 1, ry, numw[k], buf[k], HS_ALIGN_RIGHT, colors[k], 0);
            cx += 1 + numw[k];
        }
        if (cx + 2 < x + w && d->source)
            hs_screen_put_field(s, cx + 2, ry, x + w - cx - 2, d->source, HS_ALIGN_LEFT,
                                HS_COLOR_DIM, 0);
        if (i == sc->cur)
            hs_screen_add_attr(s, x, ry, w, HS_ATTR_REVERSE);
    }
}

/* ---- the view class: the session's dataset list (the TUI's own) ---- */

static void
datasets_move(struct hs_tui *tui, struct hs_view *view, enum hs_move m, size_t count)
{
    (void)view;
    tui->dssc.n = tui->nds;
    hs_scroll_move(&tui->dssc, m, count);
}

static void
datasets_draw(struct hs_tui *tui, struct hs_view *view, struct hs_screen *s, struct hs_rect r)
{
    (void)view;
    /* Without a list (a table shown without a session) the events show. */
    if (tui->nds)
        hs_datasets_view_draw(tui->ds, tui->nds, tui->dsname, &tui->dssc, s, r.x, r.y, r.w, r.h);
    else
        hs_data_view_draw(&tui->data, s, r.x, r.y, r.w, r.h);
}

static void
datasets_status(const struct hs_tui *tui, const struct hs_view *view, char *buf, size_t size)
{
    (void)view;
    snprintf(buf, size, " dataset %zu of %zu", tui->dssc.cur + 1, tui->nds);
}

const struct hs_view_class hs_view_datasets_class = {
    .name = "datasets",
    .without_dataset = true,
    .move = datasets_move,
    .draw = datasets_draw,
    .status = datasets_status,
};

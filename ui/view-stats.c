#include "config.h"

#include "ui/view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_W 16
#define NUM_MIN_W 5
#define NUM_MAX_W 12
#define NFIELDS 5 /* n, min, max, mean, sd */

void
hs_stats_view_release(struct hs_stats_view *sv)
{
    free(sv->entries);
    memset(sv, 0, sizeof *sv);
}

int
hs_stats_view_set(struct hs_stats_view *sv, const struct hs_table *t)
{
    size_t n = 0;

    hs_stats_view_release(sv);
    if (!t)
        return HS_OK;
    sv->entries = calloc(t->ncols ? t->ncols : 1, sizeof *sv->entries);
    if (!sv->entries)
        return HS_ENOMEM;
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i].role != HS_ROLE_LABEL)
            sv->entries[n++].col = i;
    sv->t = t;
    sv->nentries = n;
    sv->labelled = hs_table_label(t) != NULL;
    sv->sc.n = n;
    sv->sc.page = 1;
    return HS_OK;
}

/* Entries per screen row: two classes, or all events. */
static int
rows_per_entry(const struct hs_stats_view *sv)
{
    return sv->labelled ? 2 : 1;
}

int
hs_stats_view_load(struct hs_stats_view *sv, int h, const struct hs_task *task,
                   struct hs_err *err)
{
    const double *label, *weight, *v;
    int rc;

    if (!sv->t || h < 2)
        return HS_OK;
    label = hs_table_label(sv->t);
    weight = hs_table_weight(sv->t);
    hs_scroll_fit(&sv->sc, (h - 1) / rows_per_entry(sv));
    for (size_t e = sv->sc.top; e < sv->nentries && e < sv->sc.top + (size_t)sv->sc.page; e++) {
        struct hs_stats_entry *en = &sv->entries[e];
        if (en->done)
            continue;
        if ((rc = hs_table_values(sv->t, en->col, &v, task, err)) != HS_OK)
            return rc;
        if (label) {
            hs_stats_column(v, label, weight, sv->t->nrows, HS_CLASS_SIGNAL, &en->st[0]);
            hs_stats_column(v, label, weight, sv->t->nrows, HS_CLASS_BACKGROUND, &en->st[1]);
        } else {
            hs_stats_column(v, NULL, weight, sv->t->nrows, HS_CLASS_ALL, &en->st[0]);
        }
        en->done = true;
    }
    return HS_OK;
}

const char *
hs_stats_view_column(const struct hs_stats_view *sv)
{
    if (!sv->t || sv->sc.cur >= sv->nentries)
        return NULL;
    return sv->t->cols[sv->entries[sv->sc.cur].col].name;
}

struct layout {
    int x, right; /* the rectangle's left and right edges */
    int namew, classw, numw;
};

/* Field i's x and width, clipped at the right edge (0 when off screen). */
static int
field(const struct layout *l, int i, int *fx)
{
    int cx = l->x + l->namew + 1 + l->classw + 1 + i * (l->numw + 1);
    int w = l->numw;

    *fx = cx;
    if (cx + w > l->right)
        w = l->right - cx;
    return w > 0 ? w : 0;
}

static void
draw_numbers(const struct layout *l, const struct hs_colstats *st, bool text, size_t ncats,
             struct hs_screen *s, int y)
{
    double v[NFIELDS] = {(double)st->n, st->min, st->max, st->mean, st->sd};
    char buf[64];
    int fx, fw;

    for (int i = 0; i < NFIELDS; i++) {
        if (!(fw = field(l, i, &fx)))
            break;
        if (text && i > 0) {
            /* A text column has codes, not values: say how many strings. */
            if (i == 1) {
                int span = l->right - fx;
                snprintf(buf, sizeof buf, "(text, %zu value%s)", ncats, ncats == 1 ? "" : "s");
                hs_screen_put_field(s, fx, y, span, buf, HS_ALIGN_LEFT, HS_COLOR_DIM, 0);
            }
            continue;
        }
        if (i == 0)
            snprintf(buf, sizeof buf, "%zu", st->n); /* exact, when it fits */
        else if (i >= 3 && isfinite(v[i]))
            /* Mean and sd are estimates: six digits say all they know
             * (min and max are data values and keep their digits). */
            snprintf(buf, sizeof buf, "%.6g", v[i]);
        if (i == 1 || i == 2 || (int)strlen(buf) > fw || !isfinite(v[i]))
            hs_num_fit(v[i], fw, buf, sizeof buf);
        hs_screen_put_field(s, fx, y, fw, buf, HS_ALIGN_RIGHT,
                            isnan(v[i]) ? HS_COLOR_DIM : HS_COLOR_NORMAL, 0);
    }
}

void
hs_stats_view_draw(struct hs_stats_view *sv, struct hs_screen *s, int x, int y, int w, int h)
{
    static const char *const heads[NFIELDS] = {"n", "min", "max", "mean", "sd"};
    const int per = rows_per_entry(sv);
    struct layout l = {x, x + w, 6, sv->labelled ? 10 : 3, NUM_MIN_W};
    int fx, fw, rest;

    hs_screen_fill(s, x, y, w, h, HS_COLOR_NORMAL, 0);
    if (!sv->t || h < 2)
        return;
    for (size_t i = 0; i < sv->nentries; i++) {
        int nw = hs_text_width(sv->t->cols[sv->entries[i].col].name);
        if (nw > l.namew)
            l.namew = nw > NAME_MAX_W ? NAME_MAX_W : nw;
    }
    /* Share what the name and class leave among the five numbers. */
    rest = w - l.namew - 1 - l.classw - 1;
    l.numw = rest / NFIELDS - 1;
    l.numw = l.numw < NUM_MIN_W ? NUM_MIN_W : l.numw > NUM_MAX_W ? NUM_MAX_W : l.numw;

    hs_screen_put_field(s, x, y, l.namew, "column", HS_ALIGN_LEFT, HS_COLOR_HEADER, HS_ATTR_BOLD);
    hs_screen_put_field(s, x + l.namew + 1, y, l.classw, "class", HS_ALIGN_LEFT, HS_COLOR_HEADER,
                        HS_ATTR_BOLD);
    for (int i = 0; i < NFIELDS && (fw = field(&l, i, &fx)); i++)
        hs_screen_put_field(s, fx, y, fw, heads[i], HS_ALIGN_RIGHT, HS_COLOR_HEADER,
                            HS_ATTR_BOLD);
    if (sv->nentries == 0) {
        hs_screen_put(s, x, y + 1, w, "(this dataset has no columns)", HS_COLOR_DIM, 0);
        return;
    }

    hs_scroll_fit(&sv->sc, (h - 1) / per);
    for (size_t e = sv->sc.top; e < sv->nentries; e++) {
        const struct hs_stats_entry *en = &sv->entries[e];
        const struct hs_column *c = &sv->t->cols[en->col];
        int ey = y + 1 + (int)(e - sv->sc.top) * per;

        if (ey + per > y + h)
            break;
        for (int k = 0; k < per; k++) {
            static const char *const classes[] = {"signal", "background"};
            enum hs_color cc = !sv->labelled ? HS_COLOR_DIM
                               : k == 0      ? HS_COLOR_SIGNAL
                                             : HS_COLOR_BACKGROUND;
            if (k == 0)
                hs_screen_put_field(s, x, ey, l.namew, c->name, HS_ALIGN_LEFT, HS_COLOR_NORMAL,
                                    HS_ATTR_BOLD);
            hs_screen_put_field(s, x + l.namew + 1, ey + k, l.classw,
                                sv->labelled ? classes[k] : "all", HS_ALIGN_LEFT, cc, 0);
            if (en->done)
                draw_numbers(&l, &en->st[k], c->kind == HS_COL_TEXT, c->ncats, s, ey + k);
            if (e == sv->sc.cur)
                hs_screen_add_attr(s, x, ey + k, w, HS_ATTR_REVERSE);
        }
    }
}

/* ---- the view class ---- */

static void
stats_init(struct hs_tui *tui, struct hs_view *view)
{
    view->data = &tui->stats;
}

static void
stats_release(struct hs_tui *tui, struct hs_view *view)
{
    (void)tui;
    hs_stats_view_release(view->data);
}

static void
stats_move(struct hs_tui *tui, struct hs_view *view, enum hs_move m, size_t count)
{
    struct hs_stats_view *sv = view->data;

    (void)tui;
    hs_scroll_move(&sv->sc, m, count);
}

/* The statistics of the columns shown, each computed when first shown
 * (a column of a lazy table is read then). */
static void
stats_load(struct hs_tui *tui, struct hs_view *view, struct hs_rect r)
{
    struct hs_task task = hs_tui_task(tui);
    struct hs_err err;

    hs_err_clear(&err);
    if (hs_stats_view_load(view->data, r.h, &task, &err) != HS_OK)
        hs_tui_message(tui, true, "%s", err.msg);
}

static void
stats_draw(struct hs_tui *tui, struct hs_view *view, struct hs_screen *s, struct hs_rect r)
{
    (void)tui;
    hs_stats_view_draw(view->data, s, r.x, r.y, r.w, r.h);
}

static void
stats_status(const struct hs_tui *tui, const struct hs_view *view, char *buf, size_t size)
{
    const struct hs_stats_view *sv = view->data;
    const char *col = hs_stats_view_column(sv);

    (void)tui;
    snprintf(buf, size, " column %zu of %zu  %s", sv->sc.cur + 1, sv->nentries, col ? col : "");
}

const struct hs_view_class hs_view_stats_class = {
    .name = "stats",
    .init = stats_init,
    .release = stats_release,
    .move = stats_move,
    .load = stats_load,
    .draw = stats_draw,
    .status = stats_status,
};

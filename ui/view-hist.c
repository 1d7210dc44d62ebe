/* view-hist.c: the histogram view.
 *
 * The engine bins (src/hist.h), plots/ draws into its own cell buffer
 * (plots/canvas.h), and this file copies those cells into the TUI's
 * screen, turning palette colours into the TUI's roles (and, for a
 * 256-colour terminal, into the palette's xterm colours).  Binning a
 * million events takes milliseconds, drawing much less: so every
 * (feature, bins, range) is binned once and kept, and the keys that only
 * change the look (log, normalise, the grid) never bin again.
 *
 * NEEDSWORK: the figure built here is the one `plot hist` (ui/cmd-plot.c)
 * builds without --stack; the two could share one builder.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "numparse.h"
#include "plots/cairo_render.h"
#include "plots/canvas.h"
#include "plots/figure.h"
#include "plots/palette.h"
#include "ui/axislabel.h"
#include "ui/export.h"
#include "ui/view.h"

#define NSLOTS 8 /* binnings kept per feature: 5, 10, ... 400 are 7 doublings */

struct hs_hist_slot {
    size_t nbins;    /* 0: unused */
    int nh;          /* 1 (all events) or 2 (background, signal) */
    struct hs_hist h[2];
    unsigned long used; /* for evicting the least recently used */
};

struct hs_hist_entry {
    bool binned;  /* lo, hi and the automatic bin count are known */
    bool failed;  /* the values could not be had: do not retry every frame */
    double lo, hi;
    size_t nbins; /* shown */
    struct hs_hist_slot slot[NSLOTS];
};

static unsigned long clock_tick;

static void
entry_release(struct hs_hist_entry *e)
{
    for (int k = 0; k < NSLOTS; k++)
        for (int j = 0; j < e->slot[k].nh; j++)
            hs_hist_release(&e->slot[k].h[j]);
    memset(e, 0, sizeof *e);
}

void
hs_hist_view_reset(struct hs_hist_view *hv)
{
    for (size_t i = 0; i < hv->ncache; i++)
        entry_release(&hv->cache[i]);
    free(hv->cache);
    hv->cache = NULL;
    hv->ncache = 0;
}

void
hs_hist_view_release(struct hs_hist_view *hv)
{
    hs_hist_view_reset(hv);
    free(hv->feature);
    hv->feature = NULL;
    hs_hist_view_set_units(hv, NULL, 0);
}

void
hs_hist_view_set_units(struct hs_hist_view *hv, struct hs_feature_unit *u, size_t n)
{
    hs_feature_units_free(hv->units, hv->nunits);
    hv->units = u;
    hv->nunits = n;
}

/* The enabled features in the features view's order, into idx (fv->fs.n
 * entries); returns how many. */
static size_t
enabled(const struct hs_features_view *fv, size_t *idx)
{
    size_t n = 0;

    for (size_t r = 0; fv->t && fv->order && r < fv->fs.n; r++)
        if (fv->fs.f[fv->order[r]].on)
            idx[n++] = fv->order[r];
    return n;
}

long
hs_hist_view_current(const struct hs_hist_view *hv, const struct hs_features_view *fv)
{
    long first = -1;

    if (!fv->t || !fv->order)
        return -1;
    for (size_t r = 0; r < fv->fs.n; r++) {
        const struct hs_feature *f = &fv->fs.f[fv->order[r]];
        if (!f->on)
            continue;
        if (first < 0)
            first = (long)fv->order[r];
        if (hv->feature && strcmp(hv->feature, f->name) == 0)
            return (long)fv->order[r];
    }
    return first;
}

int
hs_hist_view_step(struct hs_hist_view *hv, const struct hs_features_view *fv, int dir,
                  struct hs_err *err)
{
    size_t *idx = malloc((fv->fs.n ? fv->fs.n : 1) * sizeof *idx), n, at = 0;
    long cur = hs_hist_view_current(hv, fv);
    char *name;

    if (!idx)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    n = enabled(fv, idx);
    if (n == 0 || cur < 0) {
        free(idx);
        return hs_err_set(err, HS_EUSAGE, "no feature is enabled");
    }
    for (size_t i = 0; i < n; i++)
        if (idx[i] == (size_t)cur)
            at = i;
    at = (at + n + (dir > 0 ? 1 : n - 1)) % n;
    name = strdup(fv->fs.f[idx[at]].name);
    free(idx);
    if (!name)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    free(hv->feature);
    hv->feature = name;
    return HS_OK;
}

/* Above this many events the range and the bin count come from a
 * subsample of about SAMPLE_TARGET values: the quantile selection on a
 * million events takes longer than a frame, and the picture does not need
 * the 0.1% quantile to more digits than a sample gives.  `plot hist` stays
 * exact. */
#define SAMPLE_ABOVE 200000
#define SAMPLE_TARGET 100000

/* Range and automatic bins of the finite values among v[0..n), as
 * hs_hist_auto with `plot hist`'s settings; for many events estimated from
 * every k-th finite value (deterministic), with the Freedman-Diaconis (or
 * Sturges) count then taken for all the finite values, as the exact
 * answer would be. */
static int
auto_binning(const double *v, size_t n, struct hs_hist_binning *bin, struct hs_err *err)
{
    size_t k, m = 0, finite = 0;
    double *sample, nb;
    int rc;

    if (n <= SAMPLE_ABOVE)
        return hs_hist_auto(v, NULL, NAN, n, 0.001, 10, 200, bin, NULL, err);
    k = (n + SAMPLE_TARGET - 1) / SAMPLE_TARGET;
    if (!(sample = malloc((n / k + 1) * sizeof *sample)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]) && finite++ % k == 0)
            sample[m++] = v[i];
    rc = hs_hist_auto(sample, NULL, NAN, m, 0.001, 10, 200, bin, NULL, err);
    free(sample);
    if (rc != HS_OK || bin->n == 0)
        return rc;
    bin->n = finite;
    if (bin->iqr > 0)
        nb = ceil((bin->hi - bin->lo) / (2 * bin->iqr * pow((double)finite, -1.0 / 3.0)));
    else
        nb = ceil(log2((double)finite) + 1);
    bin->nbins = !(nb >= 10) ? 10 : nb > 200 ? 200 : (size_t)nb;
    return HS_OK;
}

/* Feature idx over the events shown (the active selection's, gathered
 * into *scratch, which the caller frees; else all of them, *scratch NULL):
 * *v and *n. */
static int
values_of(struct hs_features_view *fv, size_t idx, const double **v, size_t *n, double **scratch,
          struct hs_err *err)
{
    const double *all;
    int rc;

    *scratch = NULL;
    *n = hs_where_nrows(fv->sel, fv->t);
    if ((rc = hs_featureset_values(&fv->fs, idx, &all, NULL, err)) != HS_OK)
        return rc;
    if (hs_where_versus(fv->sel)) {
        /* Every event: the selection is a class of them. */
        *n = fv->t->nrows;
        *v = all;
        return HS_OK;
    }
    return hs_where_values(fv->sel, all, v, scratch, err);
}

/* The cache entry of feature idx, its range and automatic bins found. */
static struct hs_hist_entry *
entry_of(struct hs_hist_view *hv, struct hs_features_view *fv, size_t idx, struct hs_err *err)
{
    struct hs_hist_entry *e;
    struct hs_hist_binning bin;
    const double *v;
    double *scratch;
    size_t n;
    int rc;

    if (hv->ncache != fv->fs.n) {
        hs_hist_view_reset(hv);
        if (!(hv->cache = calloc(fv->fs.n ? fv->fs.n : 1, sizeof *hv->cache))) {
            hs_err_set(err, HS_ENOMEM, "out of memory");
            return NULL;
        }
        hv->ncache = fv->fs.n;
    }
    e = &hv->cache[idx];
    if (e->failed) {
        hs_err_set(err, HS_EUSAGE, "feature '%s' cannot be drawn", fv->fs.f[idx].name);
        return NULL;
    }
    if (e->binned)
        return e;
    if ((rc = values_of(fv, idx, &v, &n, &scratch, err)) != HS_OK) {
        e->failed = rc != HS_ENOMEM;
        return NULL;
    }
    /* As `plot hist`: Freedman-Diaconis over the 0.1-99.9% range (estimated
     * from a sample on many events). */
    rc = auto_binning(v, n, &bin, err);
    free(scratch);
    if (rc != HS_OK)
        return NULL;
    e->lo = bin.lo;
    e->hi = bin.hi;
    e->nbins = bin.nbins < HS_HIST_VIEW_MIN_BINS   ? HS_HIST_VIEW_MIN_BINS
               : bin.nbins > HS_HIST_VIEW_MAX_BINS ? HS_HIST_VIEW_MAX_BINS
                                                   : bin.nbins;
    e->binned = true;
    return e;
}

/* The histograms of feature idx at its shown bin count: binned now, or
 * kept from before. */
static struct hs_hist_slot *
slot_of(struct hs_hist_view *hv, struct hs_features_view *fv, size_t idx, struct hs_err *err)
{
    struct hs_hist_entry *e = entry_of(hv, fv, idx, err);
    const double *label, *weight, *v;
    struct hs_hist_slot *sl = NULL;
    double *scratch;
    size_t n;

    if (!e)
        return NULL;
    for (int k = 0; k < NSLOTS; k++)
        if (e->slot[k].nbins == e->nbins) {
            e->slot[k].used = ++clock_tick;
            return &e->slot[k];
        }
    for (int k = 0; k < NSLOTS; k++)
        if (!sl || e->slot[k].used < sl->used)
            sl = &e->slot[k];
    for (int j = 0; j < sl->nh; j++)
        hs_hist_release(&sl->h[j]);
    memset(sl, 0, sizeof *sl);
    if (values_of(fv, idx, &v, &n, &scratch, err) != HS_OK)
        return NULL;
    label = hs_where_label(fv->sel, fv->t);
    weight = hs_where_weight(fv->sel, fv->t);
    if (hs_where_versus(fv->sel)) {
        label = fv->sel->inside;
        weight = hs_table_weight(fv->t);
    }
    sl->nh = label ? 2 : 1;
    for (int j = 0; j < sl->nh; j++) {
        /* h[0]: background (label 0) or all events; h[1]: signal. */
        if (hs_hist_init(&sl->h[j], e->nbins, e->lo, e->hi, err) != HS_OK ||
            hs_hist_fill(&sl->h[j], v, weight, label, label ? (double)j : NAN, n, NULL, err) !=
                HS_OK) {
            for (int i = 0; i <= j; i++)
                hs_hist_release(&sl->h[i]);
            memset(sl, 0, sizeof *sl);
            free(scratch);
            return NULL;
        }
    }
    free(scratch);
    sl->nbins = e->nbins;
    sl->used = ++clock_tick;
    return sl;
}

int
hs_hist_view_rebin(struct hs_hist_view *hv, struct hs_features_view *fv, int dir, size_t *nbins,
                   struct hs_err *err)
{
    long cur = hs_hist_view_current(hv, fv);
    struct hs_hist_entry *e;

    if (cur < 0)
        return hs_err_set(err, HS_EUSAGE, "no feature is enabled");
    if (!(e = entry_of(hv, fv, (size_t)cur, err)))
        return err->code;
    if (dir > 0)
        e->nbins = e->nbins * 2 > HS_HIST_VIEW_MAX_BINS ? HS_HIST_VIEW_MAX_BINS : e->nbins * 2;
    else
        e->nbins = e->nbins / 2 < HS_HIST_VIEW_MIN_BINS ? HS_HIST_VIEW_MIN_BINS : e->nbins / 2;
    *nbins = e->nbins;
    return HS_OK;
}

/* Feature idx as a figure: compact for a tile of the grid (no axis
 * labels, legend or text).  NULL with a message in err. */
static struct hs_figure *
make_figure(struct hs_hist_view *hv, struct hs_features_view *fv, size_t idx, const char *dsname,
            bool compact, struct hs_err *err)
{
    static const char *const labels[3][2] = {
        {"events", NULL}, {"background", "signal"}, {"the rest", "selection"}};
    static const int colors[3][2] = {
        {HS_PAL_DATA, 0}, {HS_PAL_BACKGROUND, HS_PAL_SIGNAL}, {HS_PAL_DATA, HS_PAL_CAT0}};
    struct hs_hist_slot *sl = slot_of(hv, fv, idx, err);
    int kind = hs_where_versus(fv->sel) ? 2 : sl ? sl->nh - 1 : 0;
    const char *name = fv->fs.f[idx].name;
    struct hs_figure *f;
    double *content = NULL;
    char msg[HS_PLOT_MSG_MAX], text[500];
    bool ok;

    if (!sl)
        return NULL;
    f = hs_figure_new();
    content = malloc(sl->nbins * sizeof *content);
    if (hs_where_active(fv->sel)) {
        /* What is selected ("selection: EXPR (N of M events)"); with
         * --versus, first that it is drawn against the rest, which a
         * narrow figure must not cut off. */
        char note[sizeof fv->sel->sel.text + 64];
        static const char lead[] = "selection: ";
        hs_select_note(&fv->sel->sel, note, sizeof note);
        if (kind == 2)
            snprintf(text, sizeof text, "hepscope %s, selection against the rest: %s",
                     dsname ? dsname : "",
                     strncmp(note, lead, sizeof lead - 1) ? note : note + sizeof lead - 1);
        else
            snprintf(text, sizeof text, "hepscope %s, %s", dsname ? dsname : "", note);
    } else {
        snprintf(text, sizeof text, "hepscope %s, %zu events", dsname ? dsname : "", fv->t->nrows);
    }
    ok = f && content && !hs_figure_set_string(&f->title, name, msg);
    if (ok && !compact) {
        /* The axes as every figure labels them (ui/axislabel.h). */
        struct hs_featlabel fl;
        char ylabel[HS_AXISLABEL_MAX];
        hs_featlabel_make(name, hs_feature_units_find(hv->units, hv->nunits, name), &fl);
        hs_axislabel_events((sl->h[0].hi - sl->h[0].lo) / (double)sl->nbins, fl.unit,
                            hv->norm ? HS_YLABEL_FRACTION : HS_YLABEL_EVENTS, ylabel, sizeof ylabel);
        ok = !hs_figure_set_string(&f->text, text, msg) &&
             !hs_figure_set_string(&f->main.x.label, fl.axis, msg) &&
             !hs_figure_set_string(&f->main.y.label, ylabel, msg);
    }
    if (ok) {
        f->legend = !compact && sl->nh == 2;
        f->main.y.scale = hv->logy ? HS_AXIS_LOG : HS_AXIS_LINEAR;
    }
    for (int j = 0; ok && j < sl->nh; j++) {
        struct hs_series ser = {0};
        hs_hist_contents(&sl->h[j], 0, content, NULL);
        if (hv->norm) {
            /* Each class's fraction of its events per bin, as `plot hist
             * --norm` draws it (the view saves that command). */
            double total = hs_hist_integral(&sl->h[j]);
            for (size_t b = 0; b < sl->nbins; b++)
                content[b] = total != 0 ? content[b] / total : 0;
        }
        ser.kind = HS_SERIES_HIST;
        ser.label = (char *)labels[kind][j];
        ser.color = colors[kind][j];
        ser.alpha = 0.35;
        ser.style = sl->nh == 2 && j == 0 ? HS_HIST_FILLED : HS_HIST_STEP;
        ser.n = sl->nbins;
        ser.x = sl->h[j].edges;
        ser.y = content;
        ok = hs_panel_add(&f->main, &ser, msg) != NULL;
    }
    free(content);
    if (!ok) {
        hs_figure_free(f);
        hs_err_set(err, HS_ENOMEM, "out of memory");
        return NULL;
    }
    return f;
}

/* Columns and rows of the grid for n tiles in w x h: the layout whose
 * tiles are largest with a terminal cell's 1:2 aspect.  0 columns when
 * even the smallest tiles do not fit. */
#define TILE_MIN_W 18
#define TILE_MIN_H 6

static int
grid_columns(size_t n, int w, int h)
{
    int best = 0;
    double score = -1;

    for (int c = 1; c <= (int)n && c <= w / TILE_MIN_W; c++) {
        int rows = (int)((n + (size_t)c - 1) / (size_t)c);
        int tw = w / c, th = h / rows;
        double sc = fmin((double)tw, 2.5 * th);
        if (th < TILE_MIN_H)
            continue;
        if (sc > score) {
            score = sc;
            best = c;
        }
    }
    return best;
}

static void
draw_grid(struct hs_hist_view *hv, struct hs_features_view *fv, const char *dsname,
          struct hs_canvas *c, struct hs_screen *s, int x, int y)
{
    size_t *idx = malloc((fv->fs.n ? fv->fs.n : 1) * sizeof *idx), n;
    int cols, rows, tw, th;
    size_t shown;

    if (!idx)
        return;
    n = enabled(fv, idx);
    cols = grid_columns(n, c->width, c->height);
    if (cols == 0) {
        /* Too many to fit: as many as do, in the features view's order. */
        cols = c->width / TILE_MIN_W > 0 ? c->width / TILE_MIN_W : 1;
        rows = c->height / TILE_MIN_H > 0 ? c->height / TILE_MIN_H : 1;
    } else {
        rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
    }
    tw = c->width / cols;
    th = c->height / (rows ? rows : 1);
    shown = n < (size_t)(cols * rows) ? n : (size_t)(cols * rows);
    for (size_t k = 0; k < shown; k++) {
        struct hs_err err;
        struct hs_figure *f;
        char msg[HS_PLOT_MSG_MAX];
        int tx = (int)(k % (size_t)cols) * tw, ty = (int)(k / (size_t)cols) * th;

        hs_err_clear(&err);
        f = make_figure(hv, fv, idx[k], dsname, true, &err);
        if (!f || hs_canvas_render_rect(c, f, tx, ty, tw, th, msg) != 0) {
            /* The name at least, so the tile says what is missing. */
            struct hs_figure *g = hs_figure_new();
            if (g && !hs_figure_set_string(&g->title, fv->fs.f[idx[k]].name, msg))
                (void)hs_canvas_render_rect(c, g, tx, ty, tw, th, msg);
            hs_figure_free(g);
        }
        hs_figure_free(f);
    }
    hs_screen_put_canvas(s, c, x, y);
    if (shown < n)
        snprintf(hv->msg, sizeof hv->msg, "%zu of %zu features shown: a larger terminal shows more",
                 shown, n);
    free(idx);
}

void
hs_hist_view_draw(struct hs_hist_view *hv, struct hs_features_view *fv, const char *dsname,
                  struct hs_screen *s, int x, int y, int w, int h)
{
    long cur = hs_hist_view_current(hv, fv);
    struct hs_canvas *c = NULL;
    struct hs_figure *f = NULL;
    struct hs_err err;
    char msg[HS_PLOT_MSG_MAX], head[200];

    hs_screen_fill(s, x, y, w, h, HS_COLOR_NORMAL, 0);
    hv->msg[0] = '\0';
    if (h < 3)
        return;
    if (cur < 0) {
        hs_screen_put(s, x + 1, y + 1, w - 1,
                      fv->t ? "(no feature is enabled: turn some on in the features view)"
                            : "(no dataset is shown)",
                      HS_COLOR_DIM, 0);
        return;
    }
    hs_err_clear(&err);
    if (hv->grid) {
        size_t *idx = malloc((fv->fs.n ? fv->fs.n : 1) * sizeof *idx);
        snprintf(head, sizeof head, "all %zu enabled features%s%s", idx ? enabled(fv, idx) : 0,
                 hv->logy ? "  log y" : "", hv->norm ? "  normalised" : "");
        free(idx);
    } else {
        struct hs_hist_entry *e = NULL;
        size_t *idx = malloc((fv->fs.n ? fv->fs.n : 1) * sizeof *idx), n = 0, at = 0;
        if (idx)
            n = enabled(fv, idx);
        for (size_t i = 0; i < n; i++)
            if (idx[i] == (size_t)cur)
                at = i;
        free(idx);
        f = make_figure(hv, fv, (size_t)cur, dsname, false, &err);
        if (f)
            e = entry_of(hv, fv, (size_t)cur, &err);
        snprintf(head, sizeof head, "%s  (%zu of %zu)  %zu bins%s%s", fv->fs.f[cur].name, at + 1,
                 n, e ? e->nbins : 0, hv->logy ? "  log y" : "",
                 hv->norm ? "  normalised" : "");
    }
    hs_screen_put(s, x + 1, y, w - 1, head, HS_COLOR_HEADER, HS_ATTR_BOLD);
    if (!hv->grid && !f) {
        hs_screen_put(s, x + 1, y + 2, w - 1, err.msg, HS_COLOR_ERROR, 0);
        snprintf(hv->msg, sizeof hv->msg, "%s", err.msg);
        return;
    }
    c = hs_screen_canvas(s, w, h - 1, hv->mode, msg);
    if (!c) {
        hs_figure_free(f);
        return;
    }
    if (hv->grid) {
        draw_grid(hv, fv, dsname, c, s, x, y + 1);
    } else if (hs_canvas_render(c, f, msg) != 0) {
        hs_screen_put(s, x + 1, y + 2, w - 1, msg, HS_COLOR_ERROR, 0);
        snprintf(hv->msg, sizeof hv->msg, "%s", msg);
    } else {
        hs_screen_put_canvas(s, c, x, y + 1);
    }
    hs_canvas_free(c);
    hs_figure_free(f);
}

/* The active selection as the CLI's options, for a figure's recorded
 * command: up to 5 words appended to argv (with versus_ok, `plot hist`'s
 * --versus: the selection against the rest, the figure `:where --versus`
 * draws; `plot grid` has no such form). */
static int
selection_words(const struct hs_features_view *fv, bool versus_ok, char **argv, int argc)
{
    const struct hs_where *w = fv->sel;

    if (!hs_where_active(w))
        return argc;
    if (w->expr) {
        argv[argc++] = "--where";
        argv[argc++] = w->expr;
    }
    if (w->cut) {
        argv[argc++] = "--cut";
        argv[argc++] = w->cut;
    }
    if (versus_ok && hs_where_versus(w))
        argv[argc++] = "--versus";
    return argc;
}

/* The grid as one page: every enabled feature, as `plot grid` draws it,
 * 640 x 440 pixels a panel at 120 dpi. */
static int
save_grid(struct hs_hist_view *hv, struct hs_features_view *fv, const char *dsname,
          const char *path, char *out, size_t size, struct hs_err *err)
{
    size_t *idx = malloc((fv->fs.n ? fv->fs.n : 1) * sizeof *idx), n, made = 0;
    struct hs_figure **figs = calloc(fv->fs.n ? fv->fs.n : 1, sizeof *figs);
    char msg[HS_PLOT_MSG_MAX], a[128], *line = NULL;
    char *argv[12];
    int argc = 0, cols, rows, rc = HS_OK;

    if (!idx || !figs) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    n = enabled(fv, idx);
    for (; made < n; made++)
        if (!(figs[made] = make_figure(hv, fv, idx[made], dsname, true, err))) {
            rc = err->code;
            goto done;
        }
    if (made && figs[0])
        figs[0]->legend = true;
    cols = n <= 3 ? (int)n : n <= 9 ? 3 : n <= 16 ? 4 : 5;
    rows = cols ? (int)((n + (size_t)cols - 1) / (size_t)cols) : 1;
    if (path) {
        snprintf(out, size, "%s", path);
    } else {
        hs_file_name_part(a, sizeof a, dsname ? dsname : "data");
        snprintf(out, size, "hepscope-%s-grid.png", a);
    }
    argv[argc++] = "hepscope";
    if (dsname) {
        argv[argc++] = "--dataset";
        argv[argc++] = (char *)dsname;
    }
    argv[argc++] = "plot";
    argv[argc++] = "grid";
    argc = selection_words(fv, false, argv, argc);
    argv[argc++] = "-o";
    argv[argc++] = out;
    if (!(line = hs_cmd_join(argc, argv))) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if (hs_figures_save_grid((const struct hs_figure *const *)figs, n, cols, out,
                             cols * 640, (rows ? rows : 1) * 440, 120, line, msg))
        rc = hs_err_set(err, HS_EIO, "%s", msg);
done:
    for (size_t k = 0; k < made; k++)
        hs_figure_free(figs[k]);
    free(figs);
    free(idx);
    free(line);
    return rc;
}

int
hs_hist_view_save(struct hs_hist_view *hv, struct hs_features_view *fv, const char *dsname,
                  const char *path, char *out, size_t size, struct hs_err *err)
{
    long cur = hs_hist_view_current(hv, fv);
    struct hs_hist_entry *e;
    struct hs_figure *f;
    char a[128], b[128], bins[32], lo[HS_NUM_BUF], hi[HS_NUM_BUF], range[2 * HS_NUM_BUF + 1];
    char msg[HS_PLOT_MSG_MAX], *line;
    char *argv[20];
    int argc = 0, rc;

    if (cur < 0)
        return hs_err_set(err, HS_EUSAGE, "no feature is enabled");
    if (hv->grid)
        return save_grid(hv, fv, dsname, path, out, size, err);
    if (!(f = make_figure(hv, fv, (size_t)cur, dsname, false, err)))
        return err->code;
    if (!(e = entry_of(hv, fv, (size_t)cur, err))) {
        hs_figure_free(f);
        return err->code;
    }
    if (path) {
        snprintf(out, size, "%s", path);
    } else {
        hs_file_name_part(a, sizeof a, dsname ? dsname : "data");
        hs_file_name_part(b, sizeof b, fv->fs.f[cur].name);
        snprintf(out, size, "hepscope-%s-%s.png", a, b);
    }
    /* The command that draws the same figure from the CLI, for the PNG's
     * "Command" chunk: the same feature, bins and range. */
    snprintf(bins, sizeof bins, "%zu", e->nbins);
    hs_num_format(e->lo, lo);
    hs_num_format(e->hi, hi);
    snprintf(range, sizeof range, "%s:%s", lo, hi);
    argv[argc++] = "hepscope";
    if (dsname) {
        argv[argc++] = "--dataset";
        argv[argc++] = (char *)dsname;
    }
    argv[argc++] = "plot";
    argv[argc++] = "hist";
    argv[argc++] = fv->fs.f[cur].name;
    argv[argc++] = "--bins";
    argv[argc++] = bins;
    argv[argc++] = "--range";
    argv[argc++] = range;
    if (hv->logy)
        argv[argc++] = "--log";
    if (hv->norm)
        argv[argc++] = "--norm";
    argc = selection_words(fv, true, argv, argc);
    argv[argc++] = "-o";
    argv[argc++] = out;
    if (!(line = hs_cmd_join(argc, argv))) {
        hs_figure_free(f);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    rc = hs_figure_save(f, out, 1600, 1000, 200, line, msg);
    free(line);
    hs_figure_free(f);
    if (rc)
        return hs_err_set(err, HS_EIO, "%s", msg);
    return HS_OK;
}

/* ---- the view class ---- */

static void
hist_init(struct hs_tui *tui, struct hs_view *view)
{
    view->data = &tui->hist;
}

static void
hist_release(struct hs_tui *tui, struct hs_view *view)
{
    (void)tui;
    hs_hist_view_release(view->data);
}

/* The binnings are of the selected events: another selection, others.
 * They are made again when drawn (a few ms for a million events). */
static void
hist_prepare(struct hs_tui *tui, struct hs_view *view, unsigned changes)
{
    (void)tui;
    if (changes & HS_CHANGE_SELECTION)
        hs_hist_view_reset(view->data);
}

/* Up and down walk the features too, as in the features view. */
static void
hist_move(struct hs_tui *tui, struct hs_view *view, enum hs_move m, size_t count)
{
    struct hs_hist_view *hv = view->data;
    struct hs_err err;
    int dir = m == HS_MOVE_UP || m == HS_MOVE_PAGE_UP || m == HS_MOVE_LEFT ? -1 : 1;

    if (m == HS_MOVE_TOP || m == HS_MOVE_BOTTOM) {
        free(hv->feature);
        hv->feature = NULL; /* the first enabled feature */
        count = m == HS_MOVE_BOTTOM;
        dir = -1;           /* and one back from it: the last */
    }
    for (size_t i = 0; i < count && i < tui->feat.fs.n; i++)
        if (hs_hist_view_step(hv, &tui->feat, dir, &err) != HS_OK)
            break;
}

static void
hist_draw(struct hs_tui *tui, struct hs_view *view, struct hs_screen *s, struct hs_rect r)
{
    hs_hist_view_draw(view->data, &tui->feat, tui->dsname, s, r.x, r.y, r.w, r.h);
}

static void
hist_status(const struct hs_tui *tui, const struct hs_view *view, char *buf, size_t size)
{
    const struct hs_hist_view *hv = view->data;
    long cur = hs_hist_view_current(hv, &tui->feat);

    if (hv->msg[0])
        snprintf(buf, size, " %s", hv->msg);
    else if (cur >= 0)
        snprintf(buf, size, " %s", tui->feat.fs.f[cur].name);
}

const struct hs_view_class hs_view_hist_class = {
    .name = "hist",
    .selection = true,
    .init = hist_init,
    .release = hist_release,
    .prepare = hist_prepare,
    .move = hist_move,
    .draw = hist_draw,
    .status = hist_status,
};

/* view-roc.c: the ROC view.
 *
 * Every cut set of the shown dataset as a ROC on the test part (a set is
 * one point, an optimiser grid a curve through its boxes), and every
 * model trained on it (its scores' ROC on the same events), drawn as
 * `hepscope roc` draws them (hs_roc_figure), with a table beside the
 * plot: name, kind, AUC, background efficiency at 95% signal efficiency
 * (a single set: its two efficiencies).  The view, linear or the log
 * rejection factor, is the curves' choice (hs_roc_scale_choose) until the
 * key flips it.  The curves cost a pass over the
 * events per cut set, so they are computed when the view is shown after
 * the session's cut sets changed (the view is then stale), with the
 * progress display and Esc, never while drawing.
 *
 * Under the table, the importance of the selected model's inputs as bars
 * (`hepscope importance NAME` with its defaults: mean |SHAP| for boosted
 * trees, the AUC drop of 5 shuffles otherwise), computed likewise when a
 * model is first selected.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/cairo_render.h"
#include "plots/canvas.h"
#include "plots/palette.h"
#include "sessions/results.h"
#include "ui/analysis.h"
#include "ui/export.h"
#include "ui/grid.h"
#include "ui/keys.h"
#include "ui/plot-importance.h"
#include "ui/view.h"

#define TABLE_W 46     /* the table beside the plot */
#define SIDE_MIN_W 90  /* narrower: the table goes below the plot */

/* The selected model's importance, as the view keeps it. */
struct hs_roc_imp {
    char model[128], dataset[128]; /* whose; model "" when none is kept */
    enum hs_imp_kind kind;
    size_t nin;
    char **names;
    double *value;
    size_t *order;
    char msg[HS_ERR_MSG_MAX];      /* why there are no bars */
};

static void
imp_clear(struct hs_roc_imp *ri)
{
    for (size_t i = 0; ri->names && i < ri->nin; i++)
        free(ri->names[i]);
    free(ri->names);
    free(ri->value);
    free(ri->order);
    memset(ri, 0, sizeof *ri);
}

void
hs_roc_view_release(struct hs_roc_view *rv)
{
    hs_roc_curves_free(rv->curves, rv->ncurves);
    rv->curves = NULL;
    rv->ncurves = 0;
    rv->dataset[0] = '\0';
    rv->msg[0] = '\0';
    if (rv->imp)
        imp_clear(rv->imp);
    free(rv->imp);
    rv->imp = NULL;
}

void
hs_roc_view_set(struct hs_roc_view *rv, const char *dsname, struct hs_roc_curve *c, size_t n)
{
    hs_roc_curves_free(rv->curves, rv->ncurves);
    rv->curves = c;
    rv->ncurves = n;
    snprintf(rv->dataset, sizeof rv->dataset, "%s", dsname ? dsname : "");
    rv->sc.n = n;
    if (rv->sc.cur >= n)
        rv->sc.cur = 0;
    rv->stale = false;
    /* New curves: the models may have changed, their importance too. */
    if (rv->imp)
        imp_clear(rv->imp);
    /* Follow the curves' choice unless the user flipped the view. */
    if (rv->logy == rv->auto_logy) {
        rv->auto_logy = hs_roc_scale_choose(c, n, HS_ROC_AUTO, NULL, 0) == HS_ROC_REJECTION;
        rv->logy = rv->auto_logy;
    }
}

/* The view to draw: the curves' own choice (its reason in the title)
 * until the user flipped it. */
static enum hs_roc_scale
view_scale(const struct hs_roc_view *rv)
{
    if (rv->logy == rv->auto_logy)
        return HS_ROC_AUTO;
    return rv->logy ? HS_ROC_REJECTION : HS_ROC_LINEAR;
}

static void
title_of(const char *dsname, char *buf, size_t size)
{
    snprintf(buf, size, "ROC, test events of '%s'", dsname ? dsname : "");
}

/* The line under the table: the view, whose choice it is, the key (the
 * key table's). */
static void
view_note(const struct hs_roc_view *rv, char *buf, size_t size)
{
    const char *key = hs_keys_key_for("roc", "roc-log");

    key = key ? key : ":roc-log";
    if (rv->logy == rv->auto_logy)
        snprintf(buf, size, rv->logy ? "log 1/B, chosen by the curves (%s: linear)"
                                      : "1 - B, chosen by the curves (%s: log 1/B)",
                 key);
    else
        snprintf(buf, size, rv->logy ? "rejection factor 1/B, log (%s: linear)"
                                     : "rejection 1 - B (%s: log rejection factor)",
                 key);
}

static void
draw_table(struct hs_roc_view *rv, struct hs_screen *s, int x, int y, int w, int h)
{
    int namew = w - 1 - 5 - 1 - 7 - 1 - 20 - 1, yy = y;

    if (namew < 6 || h < 2)
        return;
    hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_HEADER, HS_ATTR_BOLD, "%-*s %-5s %7s %-20s",
                     namew, "name", "kind", "AUC", "B eff at S eff 95%");
    hs_scroll_fit(&rv->sc, h - 3 > 0 ? h - 3 : 1);
    for (size_t i = rv->sc.top; i < rv->ncurves && yy < y + h - 2; i++, yy++) {
        const struct hs_roc_curve *c = &rv->curves[i];
        const struct hs_roc *r = &c->roc;
        char auc[32], b95[80];
        bool cur = i == rv->sc.cur;

        hs_grid_num4(r->auc, auc);
        if (r->single && r->n == 3) {
            char se[32], be[32];
            hs_grid_num4(r->sig_eff[1], se);
            hs_grid_num4(r->bkg_eff[1], be);
            snprintf(b95, sizeof b95, "S %s  B %s", se, be);
        } else {
            hs_grid_num4(c->bkg95, b95);
        }
        hs_screen_printf(s, x + 1, yy, w - 1, HS_COLOR_NORMAL, cur ? HS_ATTR_REVERSE : 0,
                         "%-*.*s %-5s %7s %-20s", namew, namew, c->name ? c->name : "",
                         c->kind ? c->kind : "", auc, b95);
    }
    yy++;
    if (yy < y + h) {
        char note[96];
        view_note(rv, note, sizeof note);
        hs_screen_put(s, x + 1, yy, w - 1, note, HS_COLOR_DIM, 0);
    }
}

/* The selected model's importance as bars under the table. */
static void
draw_importance(const struct hs_roc_view *rv, int mode, struct hs_screen *s, int x, int y, int w,
                int h)
{
    const struct hs_roc_imp *ri = rv->imp;
    static const char *const what[] = {"mean |SHAP|", "AUC drop, 5 shuffles", "split gain"};

    if (h < 3 || !ri || !ri->model[0])
        return;
    hs_screen_printf(s, x + 1, y, w - 1, HS_COLOR_HEADER, HS_ATTR_BOLD, "importance of '%s'",
                     ri->model);
    if (!ri->names) {
        hs_screen_put(s, x + 1, y + 1, w - 1, ri->msg, HS_COLOR_DIM, 0);
        return;
    }
    hs_screen_printf(s, x + 1, y + 1, w - 1, HS_COLOR_DIM, 0, "%s, test part", what[ri->kind]);
    double top = 0;
    for (size_t i = 0; i < ri->nin; i++)
        top = ri->value[i] > top ? ri->value[i] : top;
    int namew = 12, numw = 9, barw = w - 1 - namew - 1 - numw - 1;
    if (barw < 4)
        return;
    for (size_t r = 0; r < ri->nin && y + 2 + (int)r < y + h; r++) {
        size_t i = ri->order[r];
        char bar[256] = "", num[32];
        int len = top > 0 && ri->value[i] > 0 ? (int)lround(ri->value[i] / top * barw) : 0;
        for (int k = 0, o = 0; k < len && o + 4 < (int)sizeof bar; k++)
            o += snprintf(bar + o, sizeof bar - (size_t)o, "%s", mode == HS_CANVAS_ASCII ? "#" : "\u2588");
        snprintf(num, sizeof num, "%.3g", ri->value[i]);
        hs_screen_printf(s, x + 1, y + 2 + (int)r, w - 1, HS_COLOR_NORMAL, 0, "%-*.*s %*s ",
                         namew, namew, ri->names[i], numw, num);
        hs_screen_put(s, x + 1 + namew + 1 + numw + 1, y + 2 + (int)r, barw, bar,
                      HS_COLOR_SIGNAL, 0);
    }
}

void
hs_roc_view_draw(struct hs_roc_view *rv, int mode, const char *dsname, struct hs_screen *s,
                 int x, int y, int w, int h)
{
    bool side = w >= SIDE_MIN_W;
    struct hs_figure *f = NULL;
    struct hs_canvas *c = NULL;
    struct hs_err err;
    char msg[HS_PLOT_MSG_MAX], title[256];
    int pw, ph, tx, ty, tw, th;

    hs_screen_fill(s, x, y, w, h, HS_COLOR_NORMAL, 0);
    if (h < 4)
        return;
    snprintf(title, sizeof title,
             "ROC curves of the cut sets of '%s' on the test part, and its models%s",
             dsname ? dsname : "", rv->logy ? "  log rejection factor" : "");
    hs_screen_put(s, x + 1, y, w - 1, title, HS_COLOR_HEADER, HS_ATTR_BOLD);
    if (rv->ncurves == 0) {
        hs_screen_put(s, x + 1, y + 2, w - 1,
                      rv->msg[0] ? rv->msg
                                 : "(no cut sets or models yet: make cuts in the cuts view (6), "
                                   "train a model in the training view (8))",
                      rv->msg[0] && rv->stopped ? HS_COLOR_ERROR : HS_COLOR_DIM, 0);
        return;
    }
    if (side) {
        pw = w - TABLE_W - 1;
        ph = h - 1;
        tx = x + pw + 1;
        ty = y + 1;
        tw = TABLE_W;
        th = h - 1;
    } else {
        th = (int)rv->ncurves + 3;
        th = th > h / 3 ? h / 3 : th;
        pw = w;
        ph = h - 1 - th;
        tx = x;
        ty = y + 1 + ph;
        tw = w;
    }
    hs_err_clear(&err);
    title_of(dsname, title, sizeof title);
    if (ph >= 6 && pw >= 20 &&
        hs_roc_figure(rv->curves, rv->ncurves, view_scale(rv), title, &f, &err) == HS_OK &&
        (c = hs_screen_canvas(s, pw, ph, mode, msg)) != NULL) {
        if (hs_canvas_render(c, f, msg) == 0)
            hs_screen_put_canvas(s, c, x, y + 1);
        else
            hs_screen_put(s, x + 1, y + 2, pw - 1, msg, HS_COLOR_ERROR, 0);
    } else if (err.msg[0]) {
        hs_screen_put(s, x + 1, y + 2, pw - 1, err.msg, HS_COLOR_ERROR, 0);
    }
    hs_canvas_free(c);
    hs_figure_free(f);
    draw_table(rv, s, tx, ty, tw, th);
    if (side) {
        int used = (int)(rv->ncurves - rv->sc.top) + 3;
        used = used > th ? th : used;
        draw_importance(rv, mode, s, tx, ty + used, tw, th - used);
    }
    if (rv->msg[0] && ty + th < y + h)
        hs_screen_put(s, x + 1, y + h - 1, w - 1, rv->msg, HS_COLOR_DIM, 0);
}

int
hs_roc_view_save(struct hs_roc_view *rv, const char *dsname, const char *path, char *out,
                 size_t size, struct hs_err *err)
{
    struct hs_figure *f = NULL;
    char title[256], a[128], msg[HS_PLOT_MSG_MAX], *line = NULL;
    char **argv = NULL;
    int argc = 0, rc;

    if (rv->ncurves == 0)
        return hs_err_set(err, HS_EUSAGE,
                          "no ROC to save: the dataset has no cut sets or models");
    title_of(dsname, title, sizeof title);
    if ((rc = hs_roc_figure(rv->curves, rv->ncurves, view_scale(rv), title, &f, err)))
        return rc;
    if (path) {
        snprintf(out, size, "%s", path);
    } else {
        hs_file_name_part(a, sizeof a, dsname ? dsname : "data");
        snprintf(out, size, "hepscope-%s-roc.png", a);
    }
    /* The file records the command that draws it from the CLI. */
    if (!(argv = calloc(rv->ncurves + 10, sizeof *argv))) {
        hs_figure_free(f);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    argv[argc++] = "hepscope";
    if (dsname) {
        argv[argc++] = "--dataset";
        argv[argc++] = (char *)dsname;
    }
    argv[argc++] = "roc";
    for (size_t i = 0; i < rv->ncurves; i++)
        argv[argc++] = rv->curves[i].name;
    if (view_scale(rv) != HS_ROC_AUTO)
        argv[argc++] = rv->logy ? "--rejection" : "--linear";
    argv[argc++] = "-o";
    argv[argc++] = out;
    line = hs_cmd_join(argc, argv);
    free(argv);
    if (!line) {
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

/* The importance of the selected curve when it is a model and its
 * importance is not kept yet: with the progress display and Esc. */
static void
imp_prepare(struct hs_tui *tui)
{
    struct hs_roc_view *rv = &tui->roc;
    const struct hs_roc_curve *c;
    struct hs_model_rec rec = {0};
    struct hs_split sp = {0};
    struct hs_imp imp;
    struct hs_task task;
    struct hs_err err;
    char note[300] = "";
    int rc;

    if (rv->sc.cur >= rv->ncurves || !tui->app || !tui->app->sess)
        return;
    c = &rv->curves[rv->sc.cur];
    if (!c->kind || strcmp(c->kind, "model") != 0 || !c->name)
        return;
    if (!rv->imp && !(rv->imp = calloc(1, sizeof *rv->imp)))
        return;
    if (strcmp(rv->imp->model, c->name) == 0 && strcmp(rv->imp->dataset, rv->dataset) == 0)
        return;
    imp_clear(rv->imp);
    snprintf(rv->imp->model, sizeof rv->imp->model, "%s", c->name);
    snprintf(rv->imp->dataset, sizeof rv->imp->dataset, "%s", rv->dataset);
    tui->dirty = true;
    hs_err_clear(&err);
    task = hs_tui_task(tui);
    if ((rc = hs_sess_model_load(tui->app->sess, c->name, &rec, &err)) == HS_OK &&
        (rc = hs_tui_split(tui, &sp, note, sizeof note, &err)) == HS_OK) {
        rc = hs_imp_compute(&tui->feat.fs, &sp, &rec, HS_IMP_DEFAULT, 5, 0, &imp, &task, &err);
        hs_split_release(&sp);
    }
    if (rc == HS_OK) {
        struct hs_roc_imp *ri = rv->imp;
        ri->kind = imp.kind;
        ri->names = calloc(imp.nin + 1, sizeof *ri->names);
        ri->value = malloc((imp.nin + 1) * sizeof *ri->value);
        ri->order = malloc((imp.nin + 1) * sizeof *ri->order);
        if (ri->names && ri->value && ri->order) {
            ri->nin = imp.nin;
            for (size_t i = 0; i < imp.nin; i++) {
                ri->names[i] = strdup(imp.names[i]);
                ri->value[i] = imp.value[i];
                ri->order[i] = imp.order[i];
            }
        } else {
            free(ri->names);
            ri->names = NULL;
            snprintf(ri->msg, sizeof ri->msg, "out of memory");
        }
        hs_imp_release(&imp);
    } else {
        snprintf(rv->imp->msg, sizeof rv->imp->msg, "%s",
                 rc == HS_ECANCELLED ? "cancelled (select the model again to retry)" : err.msg);
    }
    hs_model_rec_release(&rec);
}

void
hs_tui_roc_prepare(struct hs_tui *tui)
{
    struct hs_roc_view *rv = &tui->roc;
    struct hs_app *app = tui->app;
    struct hs_cutset_rec *recs = NULL;
    struct hs_model_rec *models = NULL;
    struct hs_roc_curve *c = NULL;
    struct hs_split sp = {0};
    unsigned char *mask = NULL;
    struct hs_task task;
    struct hs_err err, one;
    size_t nrecs = 0, nmodels = 0, n = 0, skipped = 0;
    char note[300] = "", first[HS_ERR_MSG_MAX] = "";
    bool have_sp = false;
    int rc = HS_OK;

    if (!hs_tui_shown(tui, &hs_view_roc_class) || !tui->feat.t || !tui->dsname || rv->stopped)
        return;
    if (!rv->stale && strcmp(rv->dataset, tui->dsname) == 0) {
        imp_prepare(tui);
        return;
    }
    tui->dirty = true;
    hs_err_clear(&err);
    task = hs_tui_task(tui);
    if (!app || !app->sess) {
        hs_roc_view_set(rv, tui->dsname, NULL, 0);
        snprintf(rv->msg, sizeof rv->msg, "(no session: the ROC view shows stored cut sets)");
        return;
    }
    if (!hs_table_label(tui->table)) {
        hs_roc_view_set(rv, tui->dsname, NULL, 0);
        snprintf(rv->msg, sizeof rv->msg,
                 "ROC curves need a labelled dataset: signal and background events");
        return;
    }
    if ((rc = hs_sess_cutsets(app->sess, tui->dsname, &recs, &nrecs, &err)))
        goto done;
    /* The models trained on this dataset, after the cut sets. */
    if ((rc = hs_sess_models(app->sess, tui->dsname, &models, &nmodels, &err)))
        goto done;
    if (nrecs + nmodels == 0) {
        hs_roc_view_set(rv, tui->dsname, NULL, 0);
        rv->msg[0] = '\0';
        goto done;
    }
    if ((rc = hs_tui_split(tui, &sp, note, sizeof note, &err)))
        goto done;
    have_sp = true;
    if (!(mask = malloc(tui->table->nrows + 1)) || !(c = calloc(nrecs + nmodels, sizeof *c))) {
        rc = hs_err_set(&err, HS_ENOMEM, "out of memory");
        goto done;
    }
    hs_split_mask(&sp, HS_ON_TEST, tui->table->nrows, mask);
    for (size_t i = 0; i < nrecs; i++) {
        hs_err_clear(&one);
        rc = hs_analysis_cutset_roc(&tui->feat.fs, &recs[i], mask, &c[n], &task, &one);
        if (rc == HS_ECANCELLED || rc == HS_ENOMEM) {
            err = one;
            goto done;
        }
        if (rc == HS_OK) {
            n++;
        } else {
            /* One set that no longer fits the data (a dropped feature)
             * must not hide the others. */
            if (!skipped++)
                snprintf(first, sizeof first, "%.60s: %.180s", recs[i].name, one.msg);
            rc = HS_OK;
        }
    }
    for (size_t i = 0; i < nmodels; i++) {
        hs_err_clear(&one);
        rc = hs_analysis_model_roc(&tui->feat.fs, &models[i], mask, &c[n], &task, &one);
        if (rc == HS_ECANCELLED || rc == HS_ENOMEM) {
            err = one;
            goto done;
        }
        if (rc == HS_OK) {
            n++;
        } else {
            /* A model whose inputs are gone (a dropped feature). */
            if (!skipped++)
                snprintf(first, sizeof first, "%.60s: %.180s", models[i].name, one.msg);
            rc = HS_OK;
        }
    }
    hs_roc_view_set(rv, tui->dsname, c, n);
    c = NULL;
    rv->msg[0] = '\0';
    if (skipped)
        snprintf(rv->msg, sizeof rv->msg, "%zu cut set%s or model%s left out (%.400s)", skipped,
                 skipped == 1 ? "" : "s", skipped == 1 ? "" : "s", first);
done:
    hs_roc_curves_free(c, n);
    free(mask);
    if (have_sp)
        hs_split_release(&sp);
    hs_cutset_recs_free(recs, nrecs);
    hs_model_recs_free(models, nmodels);
    if (rc != HS_OK) {
        rv->stopped = true;
        snprintf(rv->msg, sizeof rv->msg, "%s",
                 rc == HS_ECANCELLED ? "cancelled (enter the view again to retry)" : err.msg);
        hs_tui_message(tui, rc != HS_ECANCELLED, "%s",
                       rc == HS_ECANCELLED ? "the ROC curves were cancelled" : err.msg);
    } else {
        if (note[0])
            hs_tui_message(tui, false, "%s", note);
        imp_prepare(tui);
    }
}

/* ---- the view class ---- */

static void
roc_init(struct hs_tui *tui, struct hs_view *view)
{
    view->data = &tui->roc;
}

static void
roc_release(struct hs_tui *tui, struct hs_view *view)
{
    (void)tui;
    hs_roc_view_release(view->data);
}

static void
roc_enter(struct hs_tui *tui, struct hs_view *view)
{
    struct hs_roc_view *rv = view->data;

    (void)tui;
    rv->stopped = false;
}

/* The curves are of the cut sets and models on the test part, through
 * the features: any change makes them stale, computed when shown. */
static void
roc_prepare(struct hs_tui *tui, struct hs_view *view, unsigned changes)
{
    struct hs_roc_view *rv = view->data;

    if (changes)
        rv->stale = true;
    hs_tui_roc_prepare(tui);
}

static void
roc_move(struct hs_tui *tui, struct hs_view *view, enum hs_move m, size_t count)
{
    struct hs_roc_view *rv = view->data;

    (void)tui;
    rv->sc.n = rv->ncurves;
    hs_scroll_move(&rv->sc, m, count);
}

static void
roc_draw(struct hs_tui *tui, struct hs_view *view, struct hs_screen *s, struct hs_rect r)
{
    hs_roc_view_draw(view->data, tui->hist.mode, tui->dsname, s, r.x, r.y, r.w, r.h);
}

static void
roc_status(const struct hs_tui *tui, const struct hs_view *view, char *buf, size_t size)
{
    const struct hs_roc_view *rv = view->data;

    (void)tui;
    if (rv->ncurves)
        snprintf(buf, size, " %zu curve%s", rv->ncurves, rv->ncurves == 1 ? "" : "s");
}

const struct hs_view_class hs_view_roc_class = {
    .name = "roc",
    .init = roc_init,
    .release = roc_release,
    .enter = roc_enter,
    .prepare = roc_prepare,
    .move = roc_move,
    .draw = roc_draw,
    .status = roc_status,
};

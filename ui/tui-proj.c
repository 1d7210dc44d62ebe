/* tui-proj.c: the projections view's ties to the session, the worker
 * thread that computes a map, and the loop.
 *
 * The lists (the dataset's projections; what may colour them) are read
 * from the session when the view is shown after a change.  The figure is
 * `plot scatter`'s, over the features view's set, whose learned columns
 * hold every stored projection, clustering and model score.
 *
 * Computing follows the training view (ui/tui-train.c): the main thread
 * prepares what `project METHOD NAME` would fit (ui/embed.h: the events
 * loaded from the session, the inputs, the subsample), a worker thread
 * runs the method layer's fit with a progress callback and a cancel flag,
 * and the loop polls it.  A finished fit goes into the app's pending slot
 * under the key of its rows and options, and the TUI runs the `project`
 * line itself, whose fit takes it from there: the journal holds the
 * CLI's line, stored and checked the way the CLI stores it.  Until then
 * the map shown stays in use; a cancel keeps it.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mem.h"
#include "plots/cairo_render.h"
#include "plots/palette.h"
#include "sessions/models.h"
#include "sessions/outputs.h"
#include "ui/embed.h"
#include "ui/export.h"
#include "ui/scatter.h"
#include "ui/view.h"
#include "ui/worker.h"

#define SCREEN_POINTS 20000 /* a terminal shows no more */

struct hs_proj_worker {
    struct hs_worker bg;
    /* Set by the job before it returns: */
    int rc;
    struct hs_err err;
    void *state;
    bool cancelled;
    double seconds;
    /* The main thread's (the worker reads e's rows only): */
    struct hs_cmd cmd;  /* `project METHOD NAME`, as hs_embed_prepare reads it */
    char *argv[2];
    char *outbuf;
    size_t outlen;
    struct hs_embed e;
    char method[16], name[64], dataset[128];
    char **cols;
    size_t ncols;
};

/* ---- the worker ---- */

/* The fit, on the worker's thread: only the prepared rows are read. */
static void
fit_map(void *user, const struct hs_task *task)
{
    struct hs_proj_worker *w = user;
    struct hs_method_data d;
    struct timespec t0, t1;

    hs_err_clear(&w->err);
    hs_embed_data(&w->e, w->bg.threads, &d);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    w->rc = hs_method_fit(w->e.o.method, &w->e.o.params, &d, NULL, NULL, &w->state,
                          &w->cancelled, task, &w->err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    w->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
}

static void
worker_free(struct hs_proj_worker *w)
{
    if (!w)
        return;
    hs_worker_release(&w->bg);
    if (w->state)
        w->e.o.method->free(w->state);
    hs_embed_release(&w->e);
    hs_output_names_free(w->cols, w->ncols);
    if (w->cmd.out)
        fclose(w->cmd.out);
    free(w->outbuf);
    free(w);
}

/* ---- lists and figure ---- */

static int
list_add(char ***v, size_t *n, const char *s)
{
    char **p = realloc(*v, (*n + 1) * sizeof *p);

    if (!p)
        return HS_ENOMEM;
    *v = p;
    if (!(p[*n] = strdup(s)))
        return HS_ENOMEM;
    (*n)++;
    return HS_OK;
}

static long
list_find(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return (long)i;
    return -1;
}

/* Read the dataset's projections and colourings, keeping the shown ones
 * (or showing pv->want). */
static int
load_lists(struct hs_tui *tui, struct hs_proj_view *pv, struct hs_err *err)
{
    struct hs_output_rec *outs = NULL;
    struct hs_model_rec *models = NULL;
    size_t nouts = 0, nmodels = 0;
    char shown[128] = "", color[128] = "";
    char **names = NULL, **colors = NULL;
    size_t nn = 0, nc = 0;
    long k = -1;
    int rc;

    if (pv->nnames && strcmp(pv->dataset, tui->dsname) == 0)
        snprintf(shown, sizeof shown, "%s", pv->names[pv->cur]);
    if (pv->ncolors && strcmp(pv->dataset, tui->dsname) == 0)
        snprintf(color, sizeof color, "%s", pv->colors[pv->color]);
    if ((rc = hs_sess_outputs(tui->app->sess, tui->dsname, &outs, &nouts, err)) ||
        (rc = hs_sess_models(tui->app->sess, tui->dsname, &models, &nmodels, err)))
        goto done;
    rc = HS_OK;
    if (hs_table_label(tui->table))
        rc = list_add(&colors, &nc, "label");
    if (rc == HS_OK && hs_table_group(tui->table))
        rc = list_add(&colors, &nc, "group");
    for (size_t i = 0; i < nouts && rc == HS_OK; i++) {
        if (outs[i].kind == HS_OUTPUT_PROJECTION && outs[i].ncols >= 2)
            rc = list_add(&names, &nn, outs[i].name);
        else if (outs[i].kind == HS_OUTPUT_CLUSTERING &&
                 hs_featureset_find(&tui->feat.fs, outs[i].name) >= 0)
            rc = list_add(&colors, &nc, outs[i].name);
    }
    /* A model's score, when this dataset can be scored by it. */
    for (size_t i = 0; i < nmodels && rc == HS_OK; i++)
        if (hs_featureset_find(&tui->feat.fs, models[i].name) >= 0)
            rc = list_add(&colors, &nc, models[i].name);
    /* Nothing to colour by: one colour, the scatter's default. */
    if (rc == HS_OK && nc == 0)
        rc = list_add(&colors, &nc, "events");
    if (rc != HS_OK) {
        hs_err_set(err, rc, "out of memory");
        goto done;
    }
    hs_proj_view_set_lists(pv, tui->dsname, names, nn, colors, nc);
    names = colors = NULL;
    nn = nc = 0;
    if (pv->want[0] && (k = list_find(pv->names, pv->nnames, pv->want)) >= 0)
        pv->cur = (size_t)k;
    else if (shown[0] && (k = list_find(pv->names, pv->nnames, shown)) >= 0)
        pv->cur = (size_t)k;
    if (pv->want[0] && k >= 0)
        pv->want[0] = '\0';
    if (color[0] && (k = list_find(pv->colors, pv->ncolors, color)) >= 0)
        pv->color = (size_t)k;
    pv->fig_stale = true;
done:
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    for (size_t i = 0; i < nc; i++)
        free(colors[i]);
    free(colors);
    hs_output_recs_free(outs, nouts);
    hs_model_recs_free(models, nmodels);
    return rc;
}

/* The scatter of the shown projection (max_points 0: the CLI's), and its
 * points' range; title may be NULL. */
static int
scatter_of(struct hs_tui *tui, const struct hs_proj_view *pv, size_t max_points,
           const char *title, struct hs_figure **f, double range[4], struct hs_err *err)
{
    struct hs_cmd cmd = {0};
    struct hs_scatter_spec sp = {0};
    const char *name = pv->names[pv->cur];
    char xn[160], yn[160];
    int rc;

    snprintf(xn, sizeof xn, "%s_1", name);
    snprintf(yn, sizeof yn, "%s_2", name);
    cmd.dataset = tui->dsname;
    cmd.task = hs_tui_task(tui);
    hs_err_clear(&cmd.err);
    if ((rc = hs_featureset_values_by_name(&tui->feat.fs, xn, &sp.x, &cmd.task, &cmd.err)) ||
        (rc = hs_featureset_values_by_name(&tui->feat.fs, yn, &sp.y, &cmd.task, &cmd.err)))
        goto done;
    sp.color = strcmp(pv->colors[pv->color], "events") ? pv->colors[pv->color] : NULL;
    sp.xlabel = xn;
    sp.ylabel = yn;
    sp.title = title;
    sp.max_points = max_points;
    if ((rc = hs_scatter_figure(&cmd, &tui->feat.fs, &sp, f)))
        goto done;
    range[0] = range[2] = INFINITY;
    range[1] = range[3] = -INFINITY;
    for (size_t i = 0; i < tui->feat.t->nrows; i++)
        if (isfinite(sp.x[i]) && isfinite(sp.y[i])) {
            range[0] = fmin(range[0], sp.x[i]);
            range[1] = fmax(range[1], sp.x[i]);
            range[2] = fmin(range[2], sp.y[i]);
            range[3] = fmax(range[3], sp.y[i]);
        }
done:
    if (rc)
        *err = cmd.err;
    return rc;
}

void
hs_tui_proj_prepare(struct hs_tui *tui)
{
    struct hs_proj_view *pv = &tui->proj;
    struct hs_err err;

    if (!hs_tui_shown(tui, &hs_view_proj_class) || !tui->dsname || !tui->feat.t)
        return;
    if (!tui->app || !tui->app->sess) {
        snprintf(pv->msg, sizeof pv->msg, "(no session: projections are stored in one)");
        return;
    }
    if (!pv->stale && strcmp(pv->dataset, tui->dsname) == 0)
        return;
    hs_err_clear(&err);
    pv->stale = false;
    tui->dirty = true;
    if (load_lists(tui, pv, &err) != HS_OK) {
        snprintf(pv->msg, sizeof pv->msg, "%s", err.msg);
        pv->msg_error = true;
    }
}

void
hs_tui_proj_load(struct hs_tui *tui)
{
    struct hs_proj_view *pv = &tui->proj;
    struct hs_figure *f = NULL;
    struct hs_err err;
    double r[4];

    if (!pv->fig_stale || !pv->nnames || !tui->feat.t)
        return;
    pv->fig_stale = false;
    hs_err_clear(&err);
    if (scatter_of(tui, pv, SCREEN_POINTS, NULL, &f, r, &err) != HS_OK) {
        hs_figure_free(pv->fig);
        pv->fig = NULL;
        snprintf(pv->msg, sizeof pv->msg, "%s", err.msg);
        pv->msg_error = true;
        return;
    }
    hs_proj_view_set_figure(pv, f, r[0], r[1], r[2], r[3], true);
    if (pv->msg_error)
        pv->msg[0] = '\0';
    pv->msg_error = false;
}

/* ---- computing ---- */

int
hs_tui_proj_start(struct hs_tui *tui, const char *method, struct hs_err *err)
{
    struct hs_proj_view *pv = &tui->proj;
    struct hs_proj_worker *w;
    int rc;

    if (pv->job)
        return hs_err_set(err, HS_EBUSY, "a map is being computed: Esc cancels it");
    if (!tui->table || !tui->dsname || !tui->feat.t)
        return hs_err_set(err, HS_EUSAGE, "no dataset is shown");
    if (!tui->app || !tui->app->sess)
        return hs_err_set(err, HS_ESESSION, "no session is open: projections are stored in one");
    if (!(w = calloc(1, sizeof *w)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    hs_worker_init(&w->bg);
    /* The map's name is the method's: `project tsne tsne`. */
    snprintf(w->method, sizeof w->method, "%s", method);
    snprintf(w->name, sizeof w->name, "%s", method);
    snprintf(w->dataset, sizeof w->dataset, "%s", tui->dsname);
    w->argv[0] = w->method;
    w->argv[1] = w->name;
    w->cmd.entry = hs_cmd_find("project");
    w->cmd.argc = 2;
    w->cmd.argv = w->argv;
    w->cmd.dataset = w->dataset;
    w->cmd.task = hs_tui_task(tui);
    hs_err_clear(&w->cmd.err);
    if (!w->cmd.entry || !(w->cmd.out = open_memstream(&w->outbuf, &w->outlen))) {
        worker_free(w);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    /* What `project` would fit, read on this thread (the session's). */
    if ((rc = hs_embed_opts(&w->cmd, method, HS_METHOD_COORDS, NULL, &w->e)) ||
        (rc = hs_output_names(w->name, HS_OUTPUT_PROJECTION, 2, 0, &w->cols, &w->ncols,
                              &w->cmd.err)) ||
        (rc = hs_embed_prepare(&w->cmd, tui->app, &w->e, w->cols, w->ncols))) {
        *err = w->cmd.err;
        worker_free(w);
        return rc;
    }
    if (hs_worker_start(&w->bg, fit_map, w, tui->app->threads) != HS_OK) {
        worker_free(w);
        return hs_err_set(err, HS_ENOMEM, "cannot start the thread that computes the map");
    }
    pv->job = w;
    pv->progress = -1;
    pv->what[0] = '\0';
    pv->stopping = false;
    snprintf(pv->method, sizeof pv->method, "%s", method);
    pv->msg[0] = '\0';
    pv->msg_error = false;
    tui->dirty = true;
    return HS_OK;
}

bool
hs_tui_proj_stop(struct hs_tui *tui)
{
    struct hs_proj_view *pv = &tui->proj;

    if (!pv->job)
        return false;
    hs_worker_cancel(&pv->job->bg);
    pv->stopping = true;
    tui->dirty = true;
    return true;
}

/* The finished worker's map stored through `project` (main thread). */
static void
store_map(struct hs_tui *tui, struct hs_proj_worker *w)
{
    struct hs_proj_view *pv = &tui->proj;
    struct hs_embed_fitted *ft = malloc(sizeof *ft);
    char *key = hs_embed_key(&w->cmd, &w->e), line[400];
    struct hs_err err;
    int rc;

    hs_err_clear(&err);
    if (!ft || !key) {
        free(ft);
        hs_free(key);
        hs_tui_message(tui, true, "out of memory");
        return;
    }
    ft->method = w->e.o.method;
    ft->state = w->state;
    ft->seconds = w->seconds;
    w->state = NULL;
    rc = hs_app_pending_set(tui->app, "project", key, ft, hs_embed_fitted_free);
    hs_free(key);
    if (rc != HS_OK) {
        hs_tui_message(tui, true, "out of memory");
        return;
    }
    snprintf(line, sizeof line, "project %s %s --dataset %s", w->method, w->name, w->dataset);
    snprintf(pv->want, sizeof pv->want, "%s", w->name);
    pv->stale = true;
    rc = hs_tui_run_quiet(tui, line, &err);
    hs_app_pending_clear(tui->app);
    if (rc != HS_OK)
        hs_tui_message(tui, true, "%s", err.msg);
    else
        hs_tui_message(tui, false, "projection '%s' computed (%s, %zu points, %.1f s) and stored",
                       w->name, w->method, w->e.nfit, w->seconds);
}

bool
hs_tui_proj_poll(struct hs_tui *tui)
{
    struct hs_proj_view *pv = &tui->proj;
    struct hs_proj_worker *w = pv->job;

    if (!w)
        return false;
    if (!hs_worker_finished(&w->bg)) {
        if (hs_worker_progress(&w->bg, &pv->progress, pv->what, sizeof pv->what))
            tui->dirty = true;
        return true;
    }
    /* A training borrows the features' columns, which storing the map
     * reloads: the map waits for it. */
    if (hs_train_view_running(&tui->train))
        return true;
    hs_worker_join(&w->bg, false);
    pv->job = NULL;
    pv->stopping = false;
    tui->dirty = true;
    if (w->rc == HS_OK && w->state && !w->cancelled) {
        store_map(tui, w);
    } else if (w->rc == HS_OK || w->rc == HS_ECANCELLED) {
        hs_tui_message(tui, false, "%s cancelled: the map shown stays", w->method);
    } else {
        snprintf(pv->msg, sizeof pv->msg, "%s: %.400s", w->method, w->err.msg);
        pv->msg_error = true;
        hs_tui_message(tui, true, "%s", pv->msg);
    }
    worker_free(w);
    return false;
}

void
hs_tui_proj_finish_now(struct hs_tui *tui)
{
    worker_free(tui->proj.job);
    tui->proj.job = NULL;
}

/* ---- saving ---- */

/* The box as a closed line on the figure. */
static int
add_box(struct hs_figure *f, const struct hs_proj_box *b, char *msg)
{
    double x[5] = {b->x0, b->x1, b->x1, b->x0, b->x0}, y[5] = {b->y0, b->y0, b->y1, b->y1, b->y0};
    struct hs_series s = {0};

    s.kind = HS_SERIES_LINE;
    s.label = "selection";
    s.color = HS_PAL_DATA;
    s.alpha = 1;
    s.n = 5;
    s.x = x;
    s.y = y;
    return hs_panel_add(&f->main, &s, msg) ? HS_OK : HS_ENOMEM;
}

int
hs_tui_proj_save(struct hs_tui *tui, const char *path, char *out, size_t size,
                 struct hs_err *err)
{
    struct hs_proj_view *pv = &tui->proj;
    struct hs_figure *f = NULL;
    char title[300], a[128], b[128], msg[HS_PLOT_MSG_MAX], line[5000];
    const char *name;
    double r[4];
    int rc;

    if (!pv->fig || !pv->nnames || !tui->dsname)
        return hs_err_set(err, HS_EUSAGE, "no projection is shown");
    name = pv->names[pv->cur];
    snprintf(title, sizeof title, "projection %s of '%s'", name, tui->dsname);
    if ((rc = scatter_of(tui, pv, 0, title, &f, r, err)))
        return rc;
    if (pv->zoom > 1) {
        /* The window on screen, not the whole map. */
        hs_proj_view_window(pv, &f->main.x.lo, &f->main.x.hi, &f->main.y.lo, &f->main.y.hi);
        f->main.x.fixed = f->main.y.fixed = true;
    }
    if (pv->marks == 2 && add_box(f, &pv->box, msg) != HS_OK) {
        hs_figure_free(f);
        return hs_err_set(err, HS_ENOMEM, "%s", msg);
    }
    if (path) {
        snprintf(out, size, "%s", path);
    } else {
        hs_file_name_part(a, sizeof a, tui->dsname);
        hs_file_name_part(b, sizeof b, name);
        snprintf(out, size, "hepscope-%s-%s.png", a, b);
    }
    /* The file records the CLI line that draws the same points. */
    snprintf(line, sizeof line, "hepscope --dataset %s plot scatter %s_1 %s_2%s%s -o %s",
             tui->dsname, name, name, strcmp(pv->colors[pv->color], "events") ? " --color " : "",
             strcmp(pv->colors[pv->color], "events") ? pv->colors[pv->color] : "", out);
    rc = hs_figure_save(f, out, 1600, 1000, 200, line, msg);
    hs_figure_free(f);
    return rc ? hs_err_set(err, HS_EIO, "%s", msg) : HS_OK;
}

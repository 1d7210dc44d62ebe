/* tui-clust.c: the clusters view's worker thread, its ties to the
 * session and the loop, and the view class.
 *
 * As the training view's (ui/tui-train.c): hs_tui_clust_start reads the
 * events and inputs on the main thread the way `cluster` reads them
 * (ui/embed.h, with the words `cluster` would be given), then a thread
 * fits every K of the range (hs_cluster_fit_embed, ui/clusterfit.h, over
 * the engine's src/cluster_range.h) and makes each K's table of
 * clusters; the progress goes through a mutex, the loop copies it every
 * turn (hs_tui_clust_poll) and Esc raises the worker's cancel flag.  The
 * worker reads only what was read for it, so the rest of the TUI stays
 * usable.  When it has ended, the main thread
 * shows the result and stores it with the command layer: the chosen
 * fit waits in the app's pending slot while the `cluster` line of the
 * fit runs (hs_tui_run_quiet), which takes it instead of fitting again,
 * so the store is the command's, in its transaction and journaled as
 * the CLI's line.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "mem.h"
#include "plots/cairo_render.h"
#include "ui/export.h"
#include "ui/view.h"
#include "ui/worker.h"

#define WAIT_TRAINING "fitted: stored when the training ends"

struct hs_clust_job {
    struct hs_worker wk;   /* finished: rc and err are set */
    char seen[96];         /* the main thread's: the worker's last text */
    int rc;
    struct hs_err err;
    /* The main thread's, then the worker's while it runs: */
    int threads;
    char method[16], name[HS_CLUST_NAME_MAX], dataset[128], covariance[8];
    char *argv[3];         /* `cluster`'s words: the method, the name */
    struct hs_cmd cmd;     /* the words' command, for ui/embed.h's reads */
    struct hs_embed e;
    bool have_e;
    size_t lo, hi;
    char *keys[HS_CLUSTER_MAX_RANGE + 1]; /* the pending keys: the range, then each K */
    struct hs_cluster_fits fits;
    struct hs_cluster_table *tab;
};

struct hs_clust_view *
hs_tui_clust(struct hs_tui *tui)
{
    for (size_t i = 0; i < tui->nviews; i++)
        if (tui->views[i].cls == &hs_view_clust_class)
            return tui->views[i].data;
    return NULL;
}

/* ---- the worker ---- */

static void
job_run(void *user, const struct hs_task *task)
{
    struct hs_clust_job *w = user;
    struct hs_err err;
    int rc;

    hs_err_clear(&err);
    rc = hs_cluster_fit_embed(&w->e, w->threads, w->lo, w->hi, true, &w->fits, task, &err);
    if (rc == HS_OK && !(w->tab = calloc(w->fits.n, sizeof *w->tab)))
        rc = hs_err_set(&err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; rc == HS_OK && i < w->fits.n; i++) {
        long *ids = NULL;
        if (hs_task_cancelled(task))
            rc = hs_err_set(&err, HS_ECANCELLED, "cancelled");
        else if ((rc = w->fits.method->clusters(w->fits.state[i], &ids, &err)) == HS_OK)
            rc = hs_cluster_table_make(&w->e, ids, &w->tab[i], &err);
        hs_free(ids);
    }
    w->rc = rc;
    w->err = err;
}

static void
job_free(struct hs_clust_job *w)
{
    if (!w)
        return;
    hs_worker_release(&w->wk);
    if (w->tab)
        for (size_t i = 0; i < w->fits.n; i++)
            hs_cluster_table_release(&w->tab[i]);
    free(w->tab);
    if (w->fits.method)
        hs_cluster_fits_release(&w->fits);
    for (size_t i = 0; i <= HS_CLUSTER_MAX_RANGE; i++)
        free(w->keys[i]);
    if (w->have_e)
        hs_embed_release(&w->e);
    free(w);
}

/* ---- start, poll, store ---- */

/* Read the events and inputs as `cluster METHOD NAME` would. */
static int
job_prepare(struct hs_tui *tui, struct hs_clust_job *w, struct hs_err *err)
{
    struct hs_cmd *c = &w->cmd;
    char **cols = NULL;
    size_t ncols = 0;
    int rc;

    c->entry = hs_cmd_find("cluster");
    c->argc = 2;
    c->argv = w->argv;
    c->dataset = w->dataset;
    c->task = hs_tui_task(tui);
    hs_err_clear(&c->err);
    if (!c->entry)
        return hs_err_set(err, HS_EUSAGE, "no 'cluster' command");
    rc = hs_embed_opts(c, w->method, HS_METHOD_CLUSTER, "k", &w->e);
    w->have_e = true;
    if (rc == HS_OK && w->covariance[0] &&
        (rc = hs_train_opts_set(&w->e.o, "covariance", w->covariance, &c->err)) == HS_OK)
        rc = hs_train_opts_check(&w->e.o, &c->err);
    if (rc == HS_OK)
        rc = hs_output_names(w->name, HS_OUTPUT_CLUSTERING, 0, 0, &cols, &ncols, &c->err);
    if (rc == HS_OK)
        rc = hs_embed_prepare(c, tui->app, &w->e, cols, ncols);
    hs_output_names_free(cols, ncols);
    if (rc)
        *err = c->err;
    return rc;
}

int
hs_tui_clust_start(struct hs_tui *tui, struct hs_err *err)
{
    struct hs_clust_view *cv = hs_tui_clust(tui);
    struct hs_clust_job *w;
    int rc;

    if (!cv)
        return hs_err_set(err, HS_ENOMEM, "no clusters view");
    if (cv->job)
        return hs_err_set(err, HS_EBUSY, "a clustering is running: Esc cancels it");
    if (!tui->dsname || !tui->table)
        return hs_err_set(err, HS_EUSAGE, "no dataset is shown");
    if (!tui->app || !tui->app->sess)
        return hs_err_set(err, HS_ESESSION,
                          "no session is open: the clusters are stored in one");
    if (!(w = calloc(1, sizeof *w)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    hs_worker_init(&w->wk);
    w->threads = tui->app->threads;
    snprintf(w->method, sizeof w->method, "%s", hs_clust_view_method(cv));
    snprintf(w->name, sizeof w->name, "%s", cv->name);
    snprintf(w->dataset, sizeof w->dataset, "%s", tui->dsname);
    snprintf(w->covariance, sizeof w->covariance, "%s",
             cv->kmeans ? "" : cv->diag ? "diag" : "full");
    w->argv[0] = w->method;
    w->argv[1] = w->name;
    w->lo = cv->lo;
    w->hi = cv->hi;
    tui->working++;
    rc = job_prepare(tui, w, err);
    tui->working--;
    if (rc) {
        if (rc == HS_ECANCELLED)
            hs_err_set(err, HS_ECANCELLED, "cancelled: the last result stays");
        job_free(w);
        return rc;
    }
    /* The keys `cluster` will look the fits up by: its params are k's
     * default yet. */
    for (size_t i = 0; i <= w->hi - w->lo + 1; i++) {
        size_t k = w->lo + i - (i > 0);
        if (!(w->keys[i] = hs_cluster_pending_key(&w->e, w->dataset, i ? k : w->lo,
                                                  i ? k : w->hi))) {
            job_free(w);
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        }
    }
    if (hs_worker_start(&w->wk, job_run, w, w->threads) != HS_OK) {
        job_free(w);
        return hs_err_set(err, HS_ENOMEM, "cannot start the clustering thread");
    }
    cv->job = w;
    cv->stopping = false;
    cv->progress = -1;
    snprintf(cv->what, sizeof cv->what, "%s over K %zu..%zu on %zu events", w->method, w->lo,
             w->hi, w->e.nfit);
    cv->msg[0] = '\0';
    cv->msg_error = false;
    tui->dirty = true;
    return HS_OK;
}

bool
hs_tui_clust_stop(struct hs_tui *tui)
{
    struct hs_clust_view *cv = hs_tui_clust(tui);

    if (!cv || !cv->job)
        return false;
    hs_worker_cancel(&cv->job->wk);
    cv->stopping = true;
    tui->dirty = true;
    return true;
}

/* The `cluster` line that fits what r shows: its range (k 0) or one K. */
static char *
cluster_line(const struct hs_clust_result *r, size_t k)
{
    char range[48];
    char *argv[12];
    int argc = 0;

    hs_clust_range_text(k ? k : r->lo, k ? k : r->hi, range, sizeof range);
    argv[argc++] = "cluster";
    argv[argc++] = "--dataset";
    argv[argc++] = (char *)r->dataset;
    argv[argc++] = (char *)r->method;
    argv[argc++] = (char *)r->name;
    argv[argc++] = "--k";
    argv[argc++] = range;
    if (r->covariance[0]) {
        argv[argc++] = "--covariance";
        argv[argc++] = (char *)r->covariance;
    }
    return hs_cmd_join(argc, argv);
}

/* Run `cluster` for fit i of r (its range when range is true, else its
 * K alone) with the fit waiting in the pending slot under key. */
static int
store_fit(struct hs_tui *tui, struct hs_clust_result *r, size_t i, bool range, const char *key,
          struct hs_err *err)
{
    struct hs_app *app = tui->app;
    struct hs_cluster_fits *pf = NULL;
    char *line = cluster_line(r, range ? 0 : r->fits.f[i].k);
    int rc;

    if (!line)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    /* A fit already given away is made again by the command. */
    if (key && r->fits.state[i] && (pf = calloc(1, sizeof *pf))) {
        pf->method = r->fits.method;
        pf->nfit = r->fits.nfit;
        if (range) {
            pf->n = r->fits.n;
            memcpy(pf->f, r->fits.f, sizeof pf->f);
        } else {
            pf->n = 1;
            pf->f[0] = r->fits.f[i];
        }
        pf->chosen = range ? i : 0;
        pf->state[pf->chosen] = r->fits.state[i];
        r->fits.state[i] = NULL;
        if (hs_app_pending_set(app, "cluster", key, pf, hs_cluster_fits_free) != HS_OK) {
            free(line);
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        }
    }
    rc = hs_tui_run_quiet(tui, line, err);
    /* Not taken (the command failed before it looked): freed. */
    hs_app_pending_clear(app);
    free(line);
    if (rc == HS_OK)
        r->stored_k = r->fits.f[i].k;
    return rc;
}

/* What the view shows and what is stored, on its state line. */
static void
say_stored(struct hs_clust_view *cv, const struct hs_clust_result *r)
{
    char range[48];

    hs_clust_range_text(r->lo, r->hi, range, sizeof range);
    snprintf(cv->msg, sizeof cv->msg,
             "%s over K %s on %zu inputs, %zu events; K = %zu stored as column %s", r->method,
             range, r->nin, r->nfit, r->stored_k, r->name);
    cv->msg_error = false;
}

/* The worker has returned: join, show, store. */
static void
collect(struct hs_tui *tui, struct hs_clust_view *cv)
{
    struct hs_clust_job *w = cv->job;
    struct hs_clust_result *r = NULL;
    struct hs_err err;
    int rc;

    hs_worker_join(&w->wk, false);
    cv->job = NULL;
    cv->stopping = false;
    tui->dirty = true;
    if (w->rc != HS_OK) {
        cv->msg_error = w->rc != HS_ECANCELLED;
        snprintf(cv->msg, sizeof cv->msg, "%s",
                 w->rc == HS_ECANCELLED
                     ? (cv->res ? "cancelled: the last result stays" : "cancelled")
                     : w->err.msg);
        hs_tui_message(tui, cv->msg_error, "%s", cv->msg);
        job_free(w);
        return;
    }
    if (!(r = calloc(1, sizeof *r))) {
        hs_tui_message(tui, true, "out of memory");
        job_free(w);
        return;
    }
    snprintf(r->method, sizeof r->method, "%s", w->method);
    snprintf(r->covariance, sizeof r->covariance, "%s", w->covariance);
    snprintf(r->name, sizeof r->name, "%s", w->name);
    snprintf(r->dataset, sizeof r->dataset, "%s", w->dataset);
    r->lo = w->lo;
    r->hi = w->hi;
    r->nin = w->e.nin;
    r->nfit = w->e.nfit;
    r->nsel = w->e.nsel;
    r->fits = w->fits;
    r->tab = w->tab;
    memset(&w->fits, 0, sizeof w->fits);
    w->tab = NULL;
    if ((r->keys = calloc(r->fits.n, sizeof *r->keys)))
        for (size_t i = 0; i < r->fits.n; i++) {
            r->keys[i] = w->keys[i + 1];
            w->keys[i + 1] = NULL;
        }
    /* The states read the job's inputs: it goes with the result. */
    r->job = w;
    r->job_free = job_free;
    hs_clust_view_set(cv, r);
    hs_err_clear(&err);
    rc = store_fit(tui, r, r->fits.chosen, true, w->keys[0], &err);
    if (rc == HS_OK) {
        say_stored(cv, r);
        hs_tui_message(tui, false, "clusters: K = %zu stored as column %s", r->stored_k,
                       r->name);
    } else {
        snprintf(cv->msg, sizeof cv->msg, "not stored: %.400s", err.msg);
        cv->msg_error = true;
        hs_tui_message(tui, true, "%s", cv->msg);
    }
}

bool
hs_tui_clust_poll(struct hs_tui *tui)
{
    struct hs_clust_view *cv = hs_tui_clust(tui);
    struct hs_clust_job *w;

    if (!cv || !(w = cv->job))
        return false;
    /* The view's text stays until the worker says something (the fit's
     * range at first, the wait for a training at the end). */
    double frac = cv->progress;
    if (hs_worker_progress(&w->wk, &frac, w->seen, sizeof w->seen)) {
        cv->progress = frac;
        if (w->seen[0])
            snprintf(cv->what, sizeof cv->what, "%s", w->seen);
        tui->dirty = true;
    }
    if (hs_worker_finished(&w->wk)) {
        /* The store reloads the features, which a running training
         * borrows: it waits for the training to end. */
        if (hs_train_view_running(&tui->train)) {
            if (!cv->stopping && strcmp(cv->what, WAIT_TRAINING) != 0) {
                snprintf(cv->what, sizeof cv->what, "%s", WAIT_TRAINING);
                tui->dirty = true;
            }
            return true;
        }
        collect(tui, cv);
        return false;
    }
    return true;
}

int
hs_tui_clust_store(struct hs_tui *tui, struct hs_err *err)
{
    struct hs_clust_view *cv = hs_tui_clust(tui);
    struct hs_clust_result *r = cv ? cv->res : NULL;
    int rc;

    if (!r)
        return hs_err_set(err, HS_EUSAGE, "no clustering yet: f fits one");
    if (cv->job)
        return hs_err_set(err, HS_EBUSY, "a clustering is running: Esc cancels it");
    if (r->stored_k == r->fits.f[cv->cur].k)
        return HS_OK;
    if ((rc = store_fit(tui, r, cv->cur, false, r->keys ? r->keys[cv->cur] : NULL, err)))
        return rc;
    say_stored(cv, r);
    return HS_OK;
}

int
hs_tui_clust_save(struct hs_tui *tui, const char *path, char *out, size_t size,
                  struct hs_err *err)
{
    struct hs_clust_view *cv = hs_tui_clust(tui);
    const struct hs_clust_result *r = cv ? cv->res : NULL;
    struct hs_figure *f = NULL;
    char a[128], b[128], msg[HS_PLOT_MSG_MAX], *words = NULL, *line = NULL;
    int rc;

    if (!r)
        return hs_err_set(err, HS_EUSAGE, "nothing to save yet: f fits the clusters");
    if ((rc = hs_clust_view_figure(cv, true, &f, err)))
        return rc;
    if (path) {
        snprintf(out, size, "%s", path);
    } else {
        hs_file_name_part(a, sizeof a, r->dataset);
        hs_file_name_part(b, sizeof b, r->name);
        snprintf(out, size, "hepscope-%s-%s-clusters.png", a, b);
    }
    /* The file records the CLI line that draws the same criteria. */
    words = cluster_line(r, 0);
    if (words && (line = malloc(strlen(words) + strlen(out) + 32)))
        sprintf(line, "hepscope %s -o %s", words, out);
    free(words);
    if (!line)
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
    else if (hs_figure_save(f, out, 1600, 1000, 200, line, msg) != 0)
        rc = hs_err_set(err, HS_EIO, "%s", msg);
    free(line);
    hs_figure_free(f);
    return rc;
}

/* ---- the view class ---- */

static void
clust_init(struct hs_tui *tui, struct hs_view *view)
{
    struct hs_clust_view *cv = malloc(sizeof *cv);

    (void)tui;
    if (cv)
        hs_clust_view_init(cv);
    view->data = cv;
}

static void
clust_release(struct hs_tui *tui, struct hs_view *view)
{
    struct hs_clust_view *cv = view->data;

    (void)tui;
    if (!cv)
        return;
    /* Quitting cancels a fit: nothing of it is stored. */
    job_free(cv->job);
    cv->job = NULL;
    hs_clust_view_release(cv);
    free(cv);
    view->data = NULL;
}

static void
clust_move(struct hs_tui *tui, struct hs_view *view, enum hs_move m, size_t count)
{
    struct hs_clust_view *cv = view->data;
    struct hs_scroll sc = {0};

    (void)tui;
    if (!cv || !cv->res)
        return;
    sc.n = cv->res->fits.n;
    sc.cur = cv->cur;
    sc.page = 4; /* a page of K */
    hs_scroll_move(&sc, m, count);
    cv->cur = sc.cur < sc.n ? sc.cur : 0;
}

static void
clust_draw(struct hs_tui *tui, struct hs_view *view, struct hs_screen *s, struct hs_rect r)
{
    if (view->data)
        hs_clust_view_draw(view->data, tui->hist.mode, tui->dsname, s, r.x, r.y, r.w, r.h);
}

static void
clust_status(const struct hs_tui *tui, const struct hs_view *view, char *buf, size_t size)
{
    const struct hs_clust_view *cv = view->data;

    (void)tui;
    if (cv && cv->job)
        snprintf(buf, size, " clustering: %3.0f%%  (Esc cancels)",
                 cv->progress >= 0 ? 100 * cv->progress : 0);
    else if (cv && cv->res)
        snprintf(buf, size, " K = %zu of %zu..%zu", cv->res->fits.f[cv->cur].k, cv->res->lo,
                 cv->res->hi);
}

const struct hs_view_class hs_view_clust_class = {
    .name = "clust",
    .init = clust_init,
    .release = clust_release,
    .move = clust_move,
    .draw = clust_draw,
    .status = clust_status,
};

/* tui-train.c: the training view's worker thread and its ties to the
 * session and the loop.
 *
 * hs_tui_train_start prepares the job on the main thread (the split, made
 * and journaled when missing; the inputs, borrowed from the features
 * view's set) and starts a thread running hs_train_run.  Its on_epoch
 * appends each epoch to an array under a mutex, which the loop copies to
 * the view every turn (hs_tui_train_poll).  When the thread has ended the
 * main thread joins it, evaluates the model and keeps copies for the
 * pages.  The store is the command layer's: the finished job goes into
 * the app's pending slot (struct hs_pending, ui/cmd.h) under the key of
 * its options, and the TUI runs the `train` line those options give;
 * train's exec finds the job there and stores it instead of training
 * again, so the journal holds the canonical `train` line, the same as
 * the CLI's, and replaying it retrains the same model.
 */
#include "config.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "numparse.h"
#include "plots/cairo_render.h"
#include "plots/palette.h"
#include "sessions/models.h"
#include "ui/analysis.h"
#include "ui/export.h"
#include "ui/train.h"
#include "ui/view-train-int.h"
#include "ui/view.h"

/* ---- the worker ---- */

/* The engine's on_epoch, on the worker thread: only the array is shared. */
static void
worker_epoch(void *user, const struct hs_epoch_info *e)
{
    struct hs_train_worker *w = user;

    pthread_mutex_lock(&w->bg.mu);
    if (w->nep == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 64;
        struct hs_epoch_info *p = realloc(w->ep, cap * sizeof *p);
        if (p) {
            w->ep = p;
            w->cap = cap;
        }
    }
    if (w->nep < w->cap)
        w->ep[w->nep++] = *e;
    pthread_mutex_unlock(&w->bg.mu);
}

/* The training, on the worker's thread (the team size is the job's,
 * so that Fisher's sums add up as the CLI's do). */
static void
train_job(void *user, const struct hs_task *task)
{
    struct hs_train_worker *w = user;
    struct hs_err err;

    hs_err_clear(&err);
    w->rc = hs_train_run(&w->job, task, &err);
    w->err = err;
}

void
hs_train_worker_free(struct hs_train_worker *w)
{
    if (!w)
        return;
    hs_worker_release(&w->bg);
    hs_train_job_release(&w->job);
    hs_train_opts_release(&w->opts);
    free(w->ep);
    free(w);
}

/* ---- the TUI's side: start, poll, finish, save ---- */

/* The app's progress display and Esc, for work on the main thread. */
static void
main_task(struct hs_tui *tui, struct hs_task *task)
{
    task->progress = NULL;
    task->user = NULL;
    task->cancel = NULL;
    if (tui->app) {
        task->progress = tui->app->progress;
        task->user = tui->app->progress_user;
        task->cancel = &tui->app->cancel;
        atomic_store(&tui->app->cancel, 0);
    }
}

/* Is a model called name stored in the TUI's session? */
static bool
model_taken(void *user, const char *name)
{
    struct hs_app *app = user;
    struct hs_err err;

    return app && app->sess && hs_sess_model_exists(app->sess, name, &err) == 1;
}

void
hs_tui_train_propose(struct hs_tui *tui)
{
    if (tui->train.form.opts.method)
        hs_train_form_propose(&tui->train.form, model_taken, tui->app);
}

int
hs_tui_train_start(struct hs_tui *tui, bool replace, struct hs_err *err)
{
    struct hs_train_view *tv = &tui->train;
    struct hs_app *app = tui->app;
    struct hs_train_worker *w;
    struct hs_split sp;
    struct hs_task task;
    char note[300] = "", desc[256];
    int rc;

    if (tv->job)
        return hs_err_set(err, HS_EBUSY, "a training is running: Esc stops it");
    if (!tui->table || !tui->dsname || !tui->feat.t)
        return hs_err_set(err, HS_EUSAGE, "no dataset is shown");
    if (!hs_table_label(tui->table))
        return hs_err_set(err, HS_EUSAGE,
                          "training needs a labelled dataset: signal and background events");
    if (!tv->form.opts.method)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    /* Never a stored model replaced silently: ask first (the CLI wants
     * --replace). */
    if (!replace && model_taken(app, tv->form.name)) {
        tv->asking = true;
        return HS_OK;
    }
    if (!(w = calloc(1, sizeof *w)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    hs_worker_init(&w->bg);
    if ((rc = hs_train_form_opts(&tv->form, &w->opts, err)) != HS_OK) {
        hs_train_worker_free(w);
        return rc;
    }
    snprintf(w->name, sizeof w->name, "%s", tv->form.name);
    snprintf(w->dataset, sizeof w->dataset, "%s", tui->dsname);
    w->replace = replace;
    /* As `train` checks: the name is no column or feature here, and no
     * model would read its own score. */
    if ((rc = hs_featureset_check_learned(&tui->feat.fs, w->name,
                                          (const char *const *)w->opts.features,
                                          w->opts.nfeatures, err)) != HS_OK) {
        hs_train_worker_free(w);
        return rc;
    }
    /* Session work here, on the main thread: the split (made and
     * journaled when missing), the derived inputs' values. */
    if ((rc = hs_tui_split(tui, &sp, note, sizeof note, err)) != HS_OK) {
        hs_train_worker_free(w);
        return rc;
    }
    main_task(tui, &task);
    rc = hs_train_prepare_fs(&tui->feat.fs, &sp, &w->opts, &w->job, &task, err);
    hs_split_release(&sp);
    if (rc != HS_OK) {
        hs_train_worker_free(w);
        return rc;
    }
    w->job.on_epoch = worker_epoch;
    w->job.on_epoch_user = w;
    w->job.threads = app ? app->threads : 0;
    if (hs_worker_start(&w->bg, train_job, w, w->job.threads) != HS_OK) {
        hs_train_worker_free(w);
        return hs_err_set(err, HS_ENOMEM, "cannot start the training thread");
    }
    tv->job = w;
    hs_train_outcome_free(tv->out);
    tv->out = NULL;
    tv->ncurve = 0;
    tv->total = hs_train_job_epochs(&w->job);
    tv->stopping = false;
    tv->progress = -1;
    tv->what[0] = '\0';
    tv->msg[0] = '\0';
    tv->page = HS_TPAGE_TRAIN;
    tv->editing = false;
    tv->asking = false;
    snprintf(tv->model, sizeof tv->model, "%s", w->name);
    snprintf(tv->dataset, sizeof tv->dataset, "%s", w->dataset);
    hs_train_describe(&w->job, desc, sizeof desc);
    /* The status line shows the progress; a split just made is news. */
    if (note[0])
        hs_tui_message(tui, false, "%s", note);
    snprintf(tv->desc, sizeof tv->desc, "%.200s; %zu inputs", desc, w->job.nin);
    return HS_OK;
}

bool
hs_tui_train_stop(struct hs_tui *tui)
{
    struct hs_train_view *tv = &tui->train;

    if (!tv->job)
        return false;
    hs_worker_cancel(&tv->job->bg);
    tv->stopping = true;
    tui->dirty = true;
    return true;
}

/* Copy what the worker has into the view (main thread). */
static bool
take_epochs(struct hs_train_view *tv)
{
    struct hs_train_worker *w = tv->job;
    bool changed = false;

    pthread_mutex_lock(&w->bg.mu);
    if (w->nep != tv->ncurve) {
        if (hs_train_view_set_curve(tv, w->ep, w->nep, tv->total) == HS_OK)
            changed = true;
    }
    pthread_mutex_unlock(&w->bg.mu);
    return hs_worker_progress(&w->bg, &tv->progress, tv->what, sizeof tv->what) || changed;
}

/* The CLI command that trains the same model: `train --dataset D
 * OPTIONS [--replace] NAME`.  New string, NULL when out of memory. */
static char *
train_line(const struct hs_train_worker *w, const char *options)
{
    char **ow = NULL, **words = NULL, *line = NULL;
    int on = 0, n = 0;
    struct hs_err e;

    if (hs_cmd_split(options ? options : "", &on, &ow, &e) != HS_OK)
        return NULL;
    if ((words = calloc((size_t)on + 8, sizeof *words))) {
        words[n++] = "train";
        words[n++] = "--dataset";
        words[n++] = (char *)w->dataset;
        for (int i = 0; i < on; i++)
            words[n++] = ow[i];
        if (w->replace)
            words[n++] = "--replace";
        words[n++] = (char *)w->name;
        line = hs_cmd_join(n, words);
    }
    free(words);
    hs_cmd_words_free(on, ow);
    return line;
}

/* Store the trained job through the command layer: the job waits in
 * the pending slot while `train` runs with the words of its options, so
 * the journal line is the command's canonical one.  The job is the
 * command's afterwards (or freed). */
static int
store_model(struct hs_tui *tui, struct hs_train_worker *w, const char *options,
            struct hs_err *err)
{
    struct hs_app *app = tui->app;
    struct hs_train_job *pj;
    char *line = NULL, *key = NULL;
    int rc;

    if (!app || !app->sess)
        return hs_err_set(err, HS_ESESSION, "no session is open: the model is not saved");
    line = train_line(w, options);
    key = hs_train_pending_key(w->name, w->dataset, &w->opts);
    pj = malloc(sizeof *pj);
    if (!line || !key || !pj) {
        free(line);
        free(key);
        free(pj);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    *pj = w->job;
    memset(&w->job, 0, sizeof w->job);
    if ((rc = hs_app_pending_set(app, "train", key, pj, hs_train_job_free)) != HS_OK)
        rc = hs_err_set(err, rc, "out of memory");
    else
        rc = hs_tui_run_quiet(tui, line, err);
    /* Not taken (the command failed before it looked): freed. */
    hs_app_pending_clear(app);
    free(key);
    free(line);
    return rc;
}

/* The group column's axis ("HNL mass [GeV]"), its name without a
 * session or when the session cannot say. */
static void
group_axis(struct hs_tui *tui, struct hs_train_outcome *o)
{
    const struct hs_column *gc = hs_table_group(tui->table);
    struct hs_featlabel lab;
    struct hs_err err;

    snprintf(o->gaxis, sizeof o->gaxis, "%s", gc ? gc->name : "signal group");
    if (gc && tui->app && tui->app->sess &&
        hs_featlabel_get(tui->app->sess, o->dataset, gc->name, &lab, &err) == HS_OK)
        snprintf(o->gaxis, sizeof o->gaxis, "%s", lab.axis);
}

/* The per-group table on the test part, into o, with DeLong's standard
 * errors (a dataset without groups leaves a note instead). */
static void
eval_groups(struct hs_tui *tui, struct hs_train_outcome *o, const struct hs_task *task)
{
    const struct hs_column *gc = hs_table_group(tui->table);
    struct hs_group_set g;
    struct hs_err err;

    hs_err_clear(&err);
    memset(&g, 0, sizeof g);
    if (hs_group_set_make(tui->table, o->test_mask, &g, &err) != HS_OK) {
        snprintf(o->gmsg, sizeof o->gmsg, "(no per-group table: %.400s)", err.msg);
        return;
    }
    o->gauc = calloc(g.n ? g.n : 1, sizeof *o->gauc);
    o->gbkg95 = calloc(g.n ? g.n : 1, sizeof *o->gbkg95);
    o->gname = calloc(g.n ? g.n : 1, sizeof *o->gname);
    o->gnsig = calloc(g.n ? g.n : 1, sizeof *o->gnsig);
    o->gse = calloc(g.n ? g.n : 1, sizeof *o->gse);
    o->gx = calloc(g.n ? g.n : 1, sizeof *o->gx);
    if (!o->gauc || !o->gbkg95 || !o->gname || !o->gnsig || !o->gse || !o->gx) {
        snprintf(o->gmsg, sizeof o->gmsg, "(no per-group table: out of memory)");
    } else if (hs_group_perf(tui->table, o->score, o->test_mask, &g, o->gauc, o->gbkg95, task,
                             &err) != HS_OK ||
               hs_analysis_group_se(tui->table, o->score, o->test_mask, &g, o->gse, o->gsenote,
                                    sizeof o->gsenote, task, &err) != HS_OK) {
        snprintf(o->gmsg, sizeof o->gmsg, "(no per-group table: %.400s)", err.msg);
    } else {
        for (size_t i = 0; i < g.n; i++) {
            o->gname[i] = strdup(g.name[i] ? g.name[i] : "");
            o->gnsig[i] = g.nsig[i];
            /* Numbers at their value (a mass), text at its index. */
            o->gx[i] = gc && gc->kind == HS_COL_TEXT ? (double)i : g.code[i];
        }
        o->ngroups = g.n;
        group_axis(tui, o);
    }
    hs_group_set_release(&g);
}

/* The worker has returned: join, evaluate, store, keep the pages' data. */
static void
collect(struct hs_tui *tui)
{
    struct hs_train_view *tv = &tui->train;
    struct hs_train_worker *w = tv->job;
    struct hs_train_job *j = &w->job;
    struct hs_train_outcome *o = NULL;
    struct hs_task task;
    struct hs_err err;
    char *options = NULL;
    int rc;

    hs_worker_join(&w->bg, false);
    take_epochs(tv);
    tv->stopping = false;
    tui->dirty = true;
    if (w->rc != HS_OK) {
        snprintf(tv->msg, sizeof tv->msg, "%s",
                 w->rc == HS_ECANCELLED ? "stopped before the first epoch ended: no model"
                                        : w->err.msg);
        hs_tui_message(tui, w->rc != HS_ECANCELLED, "%s", tv->msg);
        goto done;
    }
    hs_err_clear(&err);
    main_task(tui, &task);
    if ((rc = hs_train_evaluate(j, &task, &err)) != HS_OK) {
        snprintf(tv->msg, sizeof tv->msg, "the evaluation failed: %.400s",
                 rc == HS_ECANCELLED ? "cancelled" : err.msg);
        hs_tui_message(tui, true, "%s (the model is not saved)", tv->msg);
        goto done;
    }
    /* A stopped training is what `--epochs N` with the epochs run gives
     * (same seed, same first N epochs, the same best one), so the stored
     * options and the journal say that. */
    if (j->res.cancelled) {
        char nb[32];
        struct hs_err e2;
        snprintf(nb, sizeof nb, "%zu", j->res.nepochs);
        if (hs_train_job_epochs(j) && hs_train_opts_set(&w->opts, "epochs", nb, &e2) == HS_OK &&
            hs_params_set(&j->params, "epochs", nb, &e2) == HS_OK &&
            (options = hs_train_opts_line(&w->opts)) != NULL) {
            free(j->options);
            j->options = strdup(options);
        }
    }
    if (!options)
        options = j->options ? strdup(j->options) : NULL;
    if (!(o = calloc(1, sizeof *o))) {
        hs_tui_message(tui, true, "out of memory");
        goto done;
    }
    snprintf(o->name, sizeof o->name, "%s", w->name);
    snprintf(o->dataset, sizeof o->dataset, "%s", w->dataset);
    hs_train_describe(j, o->describe, sizeof o->describe);
    o->ev = j->ev;
    o->nepochs = j->res.nepochs;
    o->best_epoch = j->res.best_epoch;
    o->nimputed = j->res.nimputed;
    o->ntrain = j->res.ntrain;
    o->nval = j->res.nval;
    o->early_stopped = j->res.early_stopped;
    o->cancelled = j->res.cancelled;
    o->n = j->n;
    o->options = options;
    options = NULL;
    o->score = malloc((j->n ? j->n : 1) * sizeof *o->score);
    o->label = malloc((j->n ? j->n : 1) * sizeof *o->label);
    o->weight = j->weight ? malloc((j->n ? j->n : 1) * sizeof *o->weight) : NULL;
    o->train_mask = malloc(j->n ? j->n : 1);
    o->test_mask = malloc(j->n ? j->n : 1);
    o->inputs = calloc(j->nin ? j->nin : 1, sizeof *o->inputs);
    if (!o->score || !o->label || (j->weight && !o->weight) || !o->train_mask ||
        !o->test_mask || !o->inputs) {
        hs_train_outcome_free(o);
        o = NULL;
        hs_tui_message(tui, true, "out of memory");
        goto done;
    }
    memcpy(o->score, j->score, j->n * sizeof *o->score);
    memcpy(o->label, j->label, j->n * sizeof *o->label);
    if (j->weight)
        memcpy(o->weight, j->weight, j->n * sizeof *o->weight);
    for (size_t i = 0; i < j->n; i++) {
        o->train_mask[i] = j->part[i] == 0;
        o->test_mask[i] = j->split_part[i] == 2;
    }
    for (size_t i = 0; i < j->nin; i++)
        if ((o->inputs[i] = strdup(j->names[i])))
            o->nin++;
    /* What the kind says of itself (Fisher's coefficients): shown where
     * a method without epochs has no curve. */
    if (hs_model_details(j->res.model, (const char *const *)j->names, &o->details, &err) !=
        HS_OK)
        o->details = NULL;
    eval_groups(tui, o, &task);
    hs_err_clear(&err);
    /* The worker is done: from here on commands may run (the store is one). */
    tv->job = NULL;
    if ((rc = store_model(tui, w, o->options, &err)) == HS_OK) {
        o->saved_ok = true;
        snprintf(o->saved, sizeof o->saved, "%s model '%s' in the session",
                 w->replace ? "Replaced" : "Saved", w->name);
        tui->roc.stale = true;
        tv->form.name_typed = false;
        hs_tui_train_propose(tui);
    } else {
        snprintf(o->saved, sizeof o->saved, "The model was not saved: %.400s", err.msg);
    }
    {
        char a[32], ep[96] = "";
        hs_train_num_text(o->ev.test_auc, a);
        if (o->nepochs)
            snprintf(ep, sizeof ep, ": %zu epochs (best %zu)%s", o->nepochs, o->best_epoch,
                     o->early_stopped ? ", early stopping" : "");
        if (o->saved_ok)
            hs_tui_message(tui, false, "%s '%s'%s, test AUC %s; saved",
                           o->cancelled ? "stopped" : "trained", o->name, ep, a);
        else
            hs_tui_message(tui, true, "%s", o->saved);
    }
    tv->out = o;
    o = NULL;
done:
    free(options);
    hs_train_outcome_free(o);
    hs_train_worker_free(w);
    tv->job = NULL;
}

bool
hs_tui_train_poll(struct hs_tui *tui)
{
    struct hs_train_view *tv = &tui->train;

    if (!tv->job)
        return false;
    if (take_epochs(tv))
        tui->dirty = true;
    if (hs_worker_finished(&tv->job->bg)) {
        collect(tui);
        return false;
    }
    return true;
}

void
hs_tui_train_finish_now(struct hs_tui *tui)
{
    if (!tui->train.job)
        return;
    /* The worker ends within a batch; collect joins it and saves what
     * it kept. */
    hs_tui_train_stop(tui);
    collect(tui);
}

/* ---- saving a page ---- */

static bool
has_suffix(const char *path, const char *suf)
{
    size_t n = strlen(path), m = strlen(suf);

    return n >= m && strcasecmp(path + n - m, suf) == 0;
}

/* A text file written whole or not at all. */
static int
write_text(const char *path, const char *text, struct hs_err *err)
{
    char tmp[4200];
    FILE *f;

    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(f = fopen(tmp, "w")))
        return hs_err_set(err, HS_EIO, "cannot write '%s'", path);
    fputs(text, f);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        return hs_err_set(err, HS_EIO, "cannot write '%s'", path);
    }
    return HS_OK;
}

/* The figure of AUC per group, as the groups page and `groups` draw it. */
int
hs_train_outcome_groups_figure(const struct hs_train_outcome *o, bool page,
                               struct hs_figure **out, struct hs_err *err)
{
    char title[400] = "";

    /* On the page the line above says what the title would. */
    if (!page)
        snprintf(title, sizeof title, "'%s': AUC per signal group, test part of '%s'", o->name,
                 o->dataset);
    return hs_train_groups_figure(o->gx, o->gauc, o->gse, o->ngroups, !page, title, o->gaxis,
                                  o->gsenote, out, err);
}

int
hs_tui_train_save(struct hs_tui *tui, const char *path, char *out, size_t size,
                  struct hs_err *err)
{
    static const char *const suffix[HS_TRAIN_NPAGES] = {"curves", "summary", "overtrain",
                                                        "groups"};
    struct hs_train_view *tv = &tui->train;
    struct hs_train_outcome *o = tv->out;
    struct hs_figure *f = NULL;
    char a[128], msg[HS_PLOT_MSG_MAX], *line = NULL, *text = NULL;
    char *argv[8];
    int argc = 0, rc = HS_OK;

    if (tv->page == HS_TPAGE_TRAIN && o && tv->ncurve == 0)
        return hs_err_set(err, HS_EUSAGE, "'%s' has no training curve: ] shows its pages",
                          o->name);
    if (tv->page == HS_TPAGE_TRAIN ? tv->ncurve == 0 : !o)
        return hs_err_set(err, HS_EUSAGE, "nothing to save yet: t trains a model");
    if (path) {
        snprintf(out, size, "%s", path);
    } else {
        hs_file_name_part(a, sizeof a, o ? o->name : tv->model);
        snprintf(out, size, "hepscope-%s-%s.png", a, suffix[tv->page]);
    }
    /* The file records the CLI line that makes the same thing. */
    argv[argc++] = "hepscope";
    argv[argc++] = "--dataset";
    argv[argc++] = o ? o->dataset : tv->dataset;
    if (tv->page == HS_TPAGE_OVERTRAIN || tv->page == HS_TPAGE_GROUPS) {
        argv[argc++] = tv->page == HS_TPAGE_OVERTRAIN ? "overtrain" : "groups";
        argv[argc++] = o->name;
        argv[argc++] = "-o";
        argv[argc++] = out;
        line = hs_cmd_join(argc, argv);
    } else if (o) {
        char *words = NULL;
        struct hs_train_worker fake;
        memset(&fake, 0, sizeof fake);
        snprintf(fake.name, sizeof fake.name, "%s", o->name);
        snprintf(fake.dataset, sizeof fake.dataset, "%s", o->dataset);
        words = train_line(&fake, o->options);
        if (words && (line = malloc(strlen(words) + 16)))
            sprintf(line, "hepscope %s", words);
        free(words);
    } else {
        line = strdup("hepscope train");
    }
    if (!line)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if (tv->page == HS_TPAGE_SUMMARY &&
        (has_suffix(out, ".txt") || has_suffix(out, ".csv") || has_suffix(out, ".md"))) {
        char *body = hs_train_summary_text(o);
        if (body && (text = malloc(strlen(body) + strlen(line) + 8)))
            sprintf(text, "# %s\n%s", line, body);
        free(body);
        rc = text ? write_text(out, text, err) : hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if (tv->page == HS_TPAGE_GROUPS && has_suffix(out, ".csv")) {
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        if (!m) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto done;
        }
        fprintf(m, "# %s\ngroup,signal,auc,bkg_eff_at_95,auc_se_delong\n", line);
        for (size_t g = 0; g < o->ngroups; g++) {
            char x1[HS_NUM_BUF], x2[HS_NUM_BUF], x3[HS_NUM_BUF];
            hs_num_format(o->gauc[g], x1);
            hs_num_format(o->gbkg95[g], x2);
            hs_num_format(o->gse[g], x3);
            fprintf(m, "%s,%zu,%s,%s,%s\n", o->gname[g], o->gnsig[g], x1, x2,
                    isnan(o->gse[g]) ? "" : x3);
        }
        fclose(m);
        rc = write_text(out, text, err);
        goto done;
    }
    if (tv->page == HS_TPAGE_OVERTRAIN) {
        char title[256];
        snprintf(title, sizeof title, "Overtraining check: '%s'", o->name);
        rc = hs_train_overtrain_figure(o->score, o->label, o->weight, o->train_mask, o->test_mask,
                                       o->n, HS_TRAIN_OT_BINS, &o->ev, title, &f, err);
    } else if (tv->page == HS_TPAGE_GROUPS) {
        if (o->ngroups == 0)
            rc = hs_err_set(err, HS_EUSAGE, "%s", o->gmsg[0] ? o->gmsg : "no signal groups");
        else
            rc = hs_train_outcome_groups_figure(o, false, &f, err);
    } else {
        char title[256];
        snprintf(title, sizeof title, "Training of '%s' on '%s'", tv->model, tv->dataset);
        rc = hs_train_curve_figure(tv->curve, tv->ncurve, o ? o->best_epoch : 0, title, &f, err);
        if (rc == HS_OK && o) {
            char t1[32], t2[32], t3[128];
            hs_train_num_text(o->ev.test_auc, t1);
            hs_train_num_text(o->ev.test_bkg95, t2);
            snprintf(t3, sizeof t3, "test AUC %s, B eff at 95%% S eff %s", t1, t2);
            hs_figure_set_string(&f->text, t3, msg);
        }
    }
    if (rc != HS_OK)
        goto done;
    if (hs_figure_save(f, out, 1600, 1000, 200, line, msg) != 0)
        rc = hs_err_set(err, HS_EIO, "%s", msg);
done:
    hs_figure_free(f);
    free(text);
    free(line);
    return rc;
}

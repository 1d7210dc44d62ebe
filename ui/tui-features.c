/* tui-features.c: the shown dataset's features, loaded into the TUI, and
 * the cuts view's ties to the session (its split, its stored cut set).
 *
 * After every command that changed the session the TUI reloads the shown
 * dataset (ui/tui.c).  Here the reloaded events are compared with the ones
 * shown, so that a command that changed only the features (a toggle, an
 * add) keeps the views and the statistics already computed, and the
 * feature list is read from the session into the features view, its
 * enabled derived features becoming extra columns of the data view.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "featureset.h"
#include "mem.h"
#include "numparse.h"
#include "sessions/features.h"
#include "sessions/results.h"
#include "ui/analysis.h"
#include "ui/view.h"

/* Do a and b hold the same events, bit for bit, as far as a's readers
 * saw them?  A command that changed another dataset reloads the shown
 * one; comparing the columns a has read (a few ms each for a million
 * rows, and the label is always read) is what lets the views and
 * statistics stay.  b's columns are read for it; a column a has not read
 * yet will be read from the dataset as it is stored now, which is b. */
bool
hs_tui_same_events(const struct hs_table *a, const struct hs_table *b)
{
    if (!a || !b || a->nrows != b->nrows || a->ncols != b->ncols)
        return false;
    for (size_t j = 0; j < a->ncols; j++) {
        const struct hs_column *x = &a->cols[j], *y = &b->cols[j];
        const double *yv;
        if (strcmp(x->name, y->name) != 0 || x->kind != y->kind || x->role != y->role ||
            x->synthetic != y->synthetic || x->ncats != y->ncats)
            return false;
        if (a->nrows && !x->pending &&
            (hs_table_values(b, j, &yv, NULL, NULL) != HS_OK ||
             memcmp(x->v, yv, a->nrows * sizeof *x->v) != 0))
            return false;
        for (size_t k = 0; k < x->ncats; k++)
            if (strcmp(x->cats[k], y->cats[k]) != 0)
                return false;
    }
    return true;
}

/* Load the shown dataset's features into the features view (the stored
 * list when a session is open, else the raw columns); the enabled derived
 * ones become extra columns of the data view.  same_data: the events did
 * not change, so the statistics of unchanged features stay.  A stored
 * expression that no longer compiles is left out, with a message; the
 * other features stay. */
int
hs_tui_load_features(struct hs_tui *tui, bool same_data, struct hs_err *err)
{
    struct hs_featureset fs;
    struct hs_err e;
    const char **names = NULL;
    const double **values = NULL;
    size_t n = 0;
    int rc;

    /* The data view borrows the old set's values: they are not used until
     * hs_data_view_set_extra below replaces them (those kept by the
     * features view keep their column's width).  The histograms are of the old features' values and indexes; the
     * cuts view's rows and bound set too (its cuts are kept). */
    hs_hist_view_reset(&tui->hist);
    hs_cuts_view_reset(&tui->cuts);
    tui->roc.stale = true;
    if (!tui->table) {
        hs_data_view_set_extra(&tui->data, NULL, NULL, 0);
        hs_features_view_set(&tui->feat, NULL, NULL, false);
        return HS_OK;
    }
    hs_err_clear(&e);
    if (tui->app && tui->app->sess && tui->dsname)
        rc = hs_sess_featureset_load(tui->app->sess, tui->dsname, tui->table, &fs, &e);
    else
        rc = hs_featureset_init(&fs, tui->table, &e);
    if (rc == HS_ESESSION) {
        /* A stored expression no longer compiles: show the others and
         * say which, rather than no features at all. */
        struct hs_feature_rec *recs = NULL;
        size_t nrecs = 0;
        char *skipped = NULL;
        hs_tui_message(tui, true, "%s", e.msg);
        if ((rc = hs_sess_feature_recs(tui->app->sess, tui->dsname, &recs, &nrecs, &e)) == HS_OK &&
            (rc = hs_featureset_init(&fs, tui->table, &e)) == HS_OK &&
            (rc = hs_featureset_apply_recs(&fs, recs, nrecs, false, &skipped, &e)) != HS_OK)
            hs_featureset_release(&fs);
        if (rc == HS_OK && skipped)
            hs_tui_message(tui, true, "features left out (their expressions do not compile): %s",
                           skipped);
        hs_free(skipped);
        hs_feature_recs_free(recs, nrecs);
    }
    if (rc != HS_OK && rc != HS_ENOMEM) {
        hs_tui_message(tui, true, "%s", e.msg);
        rc = hs_featureset_init(&fs, tui->table, &e);
    }
    if (rc != HS_OK) {
        hs_data_view_set_extra(&tui->data, NULL, NULL, 0);
        hs_features_view_set(&tui->feat, NULL, NULL, false);
        return hs_err_set(err, rc, "%s", e.msg);
    }
    {
        /* The axes' units and labels; without them, the names alone. */
        struct hs_feature_unit *u = NULL;
        size_t nu = 0;
        if (tui->app && tui->app->sess && tui->dsname &&
            hs_sess_units_list(tui->app->sess, tui->dsname, &u, &nu, &e) != HS_OK) {
            hs_tui_message(tui, true, "%s", e.msg);
            u = NULL;
            nu = 0;
        }
        hs_hist_view_set_units(&tui->hist, u, nu);
    }
    if ((rc = hs_features_view_set(&tui->feat, tui->table, &fs, same_data)) != HS_OK) {
        hs_data_view_set_extra(&tui->data, NULL, NULL, 0);
        return hs_err_set(err, rc, "out of memory");
    }
    /* The enabled derived features as columns of the data view: their
     * values when known, else computed when the view first shows them. */
    names = calloc(tui->feat.fs.n + 1, sizeof *names);
    values = calloc(tui->feat.fs.n + 1, sizeof *values);
    for (size_t i = 0; names && values && i < tui->feat.fs.n; i++) {
        const struct hs_feature *f = &tui->feat.fs.f[i];
        if (!f->expr || !f->on)
            continue;
        values[n] = f->values;
        names[n++] = f->name;
    }
    rc = names && values ? hs_data_view_set_extra(&tui->data, names, values, n) : HS_ENOMEM;
    if (rc != HS_OK)
        hs_data_view_set_extra(&tui->data, NULL, NULL, 0);
    free(names);
    free(values);
    return rc == HS_OK ? HS_OK : hs_err_set(err, rc, "out of memory");
}

/* ---- the cuts view and the session: the split, loading, saving ----
 *
 * Everything stored goes through the command layer (`split`, `cut set`,
 * `cut drop`), so the journal holds the lines the CLI would write. */

int
hs_tui_split(struct hs_tui *tui, struct hs_split *sp, char *note, size_t size,
             struct hs_err *err)
{
    struct hs_app *app = tui->app;
    unsigned changes = app ? app->changes : 0;
    char *words[4], *line;
    int rc;

    note[0] = '\0';
    memset(sp, 0, sizeof *sp);
    if (!app || !app->sess)
        return hs_split_make(tui->table, HS_SPLIT_DEFAULT_TRAIN, HS_SPLIT_DEFAULT_VAL,
                             HS_SPLIT_DEFAULT_TEST, HS_SPLIT_DEFAULT_SEED, sp, err);
    rc = hs_sess_split_load(app->sess, tui->dsname, sp, err);
    if (rc != HS_ENOTFOUND)
        return rc;
    hs_err_clear(err);
    /* None yet: the default one, made and journaled by `split` as from
     * the CLI.  It changes no events or features, and the caller takes
     * it: no refresh. */
    words[0] = "split";
    words[1] = "--dataset";
    words[2] = tui->dsname;
    if (!(line = hs_cmd_join(3, words)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    rc = hs_tui_command(tui, line, NULL, err);
    app->changes = changes;
    free(line);
    if (rc == HS_OK)
        rc = hs_sess_split_load(app->sess, tui->dsname, sp, err);
    if (rc == HS_OK)
        hs_analysis_split_note(tui->dsname, sp, note, size);
    return rc;
}

struct hs_task
hs_tui_task(struct hs_tui *tui)
{
    struct hs_task task = {NULL, NULL, NULL};

    if (tui->app) {
        task.progress = tui->app->progress;
        task.user = tui->app->progress_user;
        task.cancel = &tui->app->cancel;
        atomic_store(&tui->app->cancel, 0);
    }
    return task;
}

static bool
same_cuts(const struct hs_cutset *a, const struct hs_cutset *b)
{
    if (a->n != b->n)
        return false;
    for (size_t k = 0; k < a->n; k++) {
        const struct hs_cut *x = &a->cuts[k], *y = &b->cuts[k];
        if (x->kind != y->kind ||
            (x->kind == HS_CUT_RANGE &&
             (strcmp(x->feature, y->feature) != 0 || x->lo != y->lo || x->hi != y->hi)) ||
            (x->kind == HS_CUT_EXPR && strcmp(x->expr, y->expr) != 0))
            return false;
    }
    return true;
}

/* A command stored cut sets: the one the view edits may no longer be the
 * one it shows.  Then the view takes the stored cuts, which costs one new
 * flow; the rows and their histograms stay. */
static void
cuts_recheck(struct hs_tui *tui)
{
    struct hs_cuts_view *cv = &tui->cuts;
    struct hs_cutset_rec rec = {0};
    struct hs_cutset now, none = {0};
    const struct hs_cutset *stored = &none;
    struct hs_err err;
    int rc;

    cv->recheck = false;
    if (cv->unsaved || cv->foreign || !cv->labelled || !tui->app || !tui->app->sess)
        return;
    hs_err_clear(&err);
    rc = hs_sess_cutset_load(tui->app->sess, tui->dsname, cv->name, &rec, &err);
    if (rc == HS_OK && (rec.kind != HS_CUTSET_SET || rec.npoints != 1)) {
        /* Now an optimiser grid: the view says so when loaded again. */
        hs_cutset_rec_release(&rec);
        hs_cuts_view_reset(cv);
        return;
    }
    if (rc == HS_OK)
        stored = &rec.points[0];
    else if (rc != HS_ENOTFOUND)
        return;
    if (hs_cuts_view_cutset(cv, &tui->feat, &now, &err) == HS_OK) {
        if (!same_cuts(&now, stored) &&
            hs_cuts_view_set_cuts(cv, &tui->feat, stored, &err) != HS_OK)
            hs_tui_message(tui, true, "%s", err.msg);
        hs_cutset_release(&now);
    }
    if (rc == HS_OK)
        hs_cutset_rec_release(&rec);
}

void
hs_tui_cuts_prepare(struct hs_tui *tui)
{
    struct hs_cuts_view *cv = &tui->cuts;
    struct hs_app *app = tui->app;
    struct hs_cutset_rec rec = {0};
    const struct hs_cutset *cs = NULL;
    struct hs_split sp = {0};
    struct hs_task task;
    struct hs_err err;
    char note[300] = "", other[HS_ERR_MSG_MAX] = "";
    bool have_sp = false, have_rec = false, foreign = false;
    int rc = HS_OK;

    if (!hs_tui_shown(tui, &hs_view_cuts_class) || !tui->feat.t || !tui->dsname || cv->stopped)
        return;
    if (cv->loaded && strcmp(cv->dataset, tui->dsname) == 0) {
        if (cv->recheck)
            cuts_recheck(tui);
        return;
    }
    if (cv->loaded)
        hs_cuts_view_reset(cv); /* another dataset */
    if (!cv->name[0] || strcmp(cv->dataset, tui->dsname) != 0)
        snprintf(cv->name, sizeof cv->name, "%s", HS_CUTS_VIEW_NAME);
    hs_err_clear(&err);
    task = hs_tui_task(tui);
    tui->dirty = true;
    if (!hs_table_label(tui->table)) {
        /* Nothing to split or cut: the view says why. */
        rc = hs_cuts_view_load(cv, &tui->feat, tui->dsname, NULL, NULL, &task, &err);
        goto done;
    }
    if ((rc = hs_tui_split(tui, &sp, note, sizeof note, &err)) != HS_OK)
        goto done;
    have_sp = true;
    if (app && app->sess) {
        rc = hs_sess_cutset_load(app->sess, tui->dsname, cv->name, &rec, &err);
        if (rc == HS_OK) {
            have_rec = true;
            if (rec.kind == HS_CUTSET_SET && rec.npoints == 1)
                cs = &rec.points[0];
            else
                foreign = true;
            if (foreign)
                snprintf(other, sizeof other,
                         "cut set '%s' is an optimiser grid: the view starts empty; "
                         ":cuts-name NAME edits another set",
                         cv->name);
        } else if (rc == HS_ENOTFOUND) {
            rc = HS_OK;
            /* Nothing stored yet: the kept cuts, if any, are new. */
            cv->unsaved = cv->have_keep && strcmp(cv->dataset, tui->dsname) == 0;
        }
        hs_err_clear(&err);
        rc = HS_OK;
    }
    rc = hs_cuts_view_load(cv, &tui->feat, tui->dsname, &sp, cs, &task, &err);
    if (rc == HS_OK && cs)
        cv->unsaved = false;
    cv->foreign = foreign;
done:
    if (have_rec)
        hs_cutset_rec_release(&rec);
    if (have_sp)
        hs_split_release(&sp);
    if (rc != HS_OK) {
        cv->stopped = true;
        snprintf(cv->msg, sizeof cv->msg, "%s",
                 rc == HS_ECANCELLED ? "cancelled (enter the view again to retry)" : err.msg);
        hs_tui_message(tui, rc != HS_ECANCELLED, "%s",
                       rc == HS_ECANCELLED ? "loading the cuts cancelled" : err.msg);
    } else if (other[0]) {
        hs_tui_message(tui, true, "%s", other);
    } else if (note[0]) {
        hs_tui_message(tui, false, "%s", note);
    } else if (cv->msg[0]) {
        hs_tui_message(tui, true, "%s", cv->msg);
    }
}

int
hs_tui_cuts_save(struct hs_tui *tui, struct hs_err *err)
{
    struct hs_cuts_view *cv = &tui->cuts;
    struct hs_app *app = tui->app;
    struct hs_cutset cs;
    char **words = NULL, *line = NULL, *expr = NULL;
    char (*spec)[3 * HS_NUM_BUF + 256] = NULL;
    size_t nw = 0;
    unsigned changes;
    int rc;

    if (!cv->unsaved || !cv->loaded || !cv->labelled || !tui->dsname ||
        strcmp(cv->dataset, tui->dsname) != 0)
        return HS_OK;
    if (!app || !app->sess)
        return hs_err_set(err, HS_ESESSION, "no session is open: the cuts are not saved");
    if (cv->foreign)
        return hs_err_set(err, HS_EEXIST,
                          "cut set '%s' is an optimiser grid; :cuts-name NAME stores these cuts "
                          "under another name",
                          cv->name);
    if ((rc = hs_cuts_view_cutset(cv, &tui->feat, &cs, err)))
        return rc;
    words = calloc(2 * cs.n + 8, sizeof *words);
    spec = calloc(cs.n + 1, sizeof *spec);
    if (!words || !spec) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    words[nw++] = "cut";
    words[nw++] = cs.n ? "set" : "drop"; /* no cut: nothing to store */
    words[nw++] = "--dataset";
    words[nw++] = tui->dsname;
    for (size_t k = 0; k < cs.n; k++) {
        const struct hs_cut *c = &cs.cuts[k];
        if (c->kind != HS_CUT_RANGE)
            continue;
        char lo[HS_NUM_BUF] = "", hi[HS_NUM_BUF] = "";
        if (c->lo != -HUGE_VAL)
            hs_num_format(c->lo, lo);
        if (c->hi != HUGE_VAL)
            hs_num_format(c->hi, hi);
        snprintf(spec[k], sizeof spec[k], "%s:%s:%s", c->feature, lo, hi);
        words[nw++] = "--range";
        words[nw++] = spec[k];
    }
    words[nw++] = "--";
    words[nw++] = cv->name;
    /* `cut set` takes one expression: several are joined. */
    for (size_t k = 0; k < cs.n; k++) {
        const char *e = cs.cuts[k].expr;
        size_t need;
        char *j;
        if (cs.cuts[k].kind != HS_CUT_EXPR)
            continue;
        need = (expr ? strlen(expr) : 0) + strlen(e) + 16;
        if (!(j = malloc(need))) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto done;
        }
        if (expr)
            snprintf(j, need, "%s && (%s)", expr, e);
        else
            snprintf(j, need, "(%s)", e);
        free(expr);
        expr = j;
    }
    if (expr)
        words[nw++] = expr;
    if (!(line = hs_cmd_join((int)nw, words))) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    /* Through the command layer, so that the journal has the line the CLI
     * would write.  What it changed is not passed on: the cut set is the
     * one the view shows, and the ROC view is made stale below. */
    changes = app->changes;
    rc = hs_tui_command(tui, line, NULL, err);
    app->changes = changes;
    if (rc == HS_ENOTFOUND && cs.n == 0) {
        hs_err_clear(err);
        rc = HS_OK; /* nothing was stored, nothing to drop */
    }
    if (rc == HS_OK) {
        cv->unsaved = false;
        tui->roc.stale = true;
        tui->dirty = true; /* the header says so */
    }
done:
    free(expr);
    free(line);
    free(words);
    free(spec);
    hs_cutset_release(&cs);
    return rc;
}

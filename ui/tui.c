/* tui.c: the TUI's state and the one place that draws.
 *
 * A key is looked up in the key table (ui/keys.c) and becomes a command
 * line; the command (ui/cmd-tui.c, or any batch command typed after ':')
 * changes the state and sets `dirty`.  Once per loop turn (the event loop
 * is in ui/tui-term.c), after every key already waiting has been handled,
 * hs_tui_draw renders the whole frame into a cell buffer, which the
 * terminal layer copies to ncurses.
 */
#include "config.h"

#include "ui/tui.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/canvas.h"
#include "sessions/history.h"
#include "sessions/models.h"
#include "sessions/results.h"
#include "ui/complete.h"
#include "ui/keys.h"
#include "ui/screen.h"
#include "ui/view.h"

/* ---- state ---- */

/* The views, in the order of their tabs (and of enum hs_view_id). */
const struct hs_view_class *const hs_view_classes[] = {
    &hs_view_data_class,     &hs_view_stats_class, &hs_view_datasets_class,
    &hs_view_features_class, &hs_view_hist_class,  &hs_view_cuts_class,
    &hs_view_roc_class,      &hs_view_train_class, &hs_view_proj_class,
    &hs_view_clust_class,    NULL,
};

const char *
hs_tui_view_name(enum hs_view_id v)
{
    for (int i = 0; hs_view_classes[i]; i++)
        if (i == (int)v)
            return hs_view_classes[i]->name;
    return "data";
}

int
hs_tui_view_find(const char *name)
{
    for (int v = 0; hs_view_classes[v]; v++)
        if (strcmp(hs_view_classes[v]->name, name) == 0)
            return v;
    return -1;
}

void
hs_tui_show(struct hs_tui *tui, const struct hs_view_class *cls)
{
    for (size_t i = 0; i < tui->nviews; i++)
        if (tui->views[i].cls == cls)
            hs_tui_set_view(tui, (enum hs_view_id)i);
}

bool
hs_tui_shown(const struct hs_tui *tui, const struct hs_view_class *cls)
{
    return (size_t)tui->view < tui->nviews && tui->views[tui->view].cls == cls;
}

void
hs_tui_set_view(struct hs_tui *tui, enum hs_view_id v)
{
    struct hs_view *from = (size_t)tui->view < tui->nviews ? &tui->views[tui->view] : NULL;
    struct hs_view *to = (size_t)v < tui->nviews ? &tui->views[v] : NULL;

    if (from && from != to && from->cls->leave)
        from->cls->leave(tui, from);
    tui->view = v;
    if (to && to->cls->enter)
        to->cls->enter(tui, to);
    tui->dirty = true;
}

const char *
hs_tui_focus(const struct hs_tui *tui)
{
    return tui->overlay.open ? "overlay" : hs_tui_view_name(tui->view);
}

void
hs_tui_message(struct hs_tui *tui, bool error, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(tui->msg, sizeof tui->msg, fmt, ap);
    va_end(ap);
    /* One line only: the status bar has one. */
    for (char *p = tui->msg; *p; p++)
        if (*p == '\n' || *p == '\t' || *p == '\r')
            *p = ' ';
    tui->msg_error = error;
    tui->dirty = true;
}

int
hs_tui_show_text(struct hs_tui *tui, const char *title, const char *text)
{
    tui->dirty = true;
    return hs_overlay_open(&tui->overlay, title, text);
}

void
hs_tui_move(struct hs_tui *tui, enum hs_move m, size_t count)
{
    tui->dirty = true;
    if (tui->overlay.open) {
        hs_overlay_move(&tui->overlay, m, count);
        return;
    }
    if ((size_t)tui->view < tui->nviews && tui->views[tui->view].cls->move)
        tui->views[tui->view].cls->move(tui, &tui->views[tui->view], m, count);
}

int
hs_tui_set_table(struct hs_tui *tui, const char *name, struct hs_table *t, struct hs_err *err)
{
    bool same = tui->dsname && name && strcmp(tui->dsname, name) == 0;
    struct hs_data_view keep = tui->data;
    struct hs_scroll keep_stats = tui->stats.sc;
    char *dup;
    int rc;

    /* A running training borrows the shown features' columns: they stay
     * until it has ended (hs_tui_run lets nothing through that would
     * come here; this is the last line of defence). */
    if (hs_train_view_running(&tui->train)) {
        hs_table_free(t);
        return hs_err_set(err, HS_EBUSY, "a training is running: Esc in the train view stops it");
    }
    /* Cuts edited on the dataset shown and not yet stored go first. */
    if (!same && tui->cuts.unsaved)
        hs_tui_cuts_flush(tui);
    if (same && t && hs_tui_same_events(tui->table, t)) {
        /* The same events again: a command changed the features only. */
        hs_table_free(t);
        tui->dirty = true;
        return hs_tui_load_features(tui, true, err);
    }
    if (!(dup = name ? strdup(name) : NULL) && name) {
        hs_table_free(t);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    /* The same dataset with new events: the features view stays on its
     * feature. */
    if (same && !tui->feat.want && hs_features_view_current(&tui->feat))
        tui->feat.want = strdup(hs_features_view_current(&tui->feat)->name);
    /* The selection is a mask over the old events: another dataset, or
     * new events of this one, are seen whole. */
    hs_tui_where_clear(tui, same ? "the events changed" : "another dataset is shown");
    /* The views borrow the table: release them before it goes (keep holds
     * only the old positions from here on). */
    hs_data_view_release(&tui->data);
    hs_stats_view_release(&tui->stats);
    hs_features_view_clear(&tui->feat);
    hs_table_free(tui->table);
    free(tui->dsname);
    tui->table = t;
    tui->dsname = dup;
    tui->dirty = true;
    if ((rc = hs_data_view_set(&tui->data, t)) != HS_OK ||
        (rc = hs_stats_view_set(&tui->stats, t)) != HS_OK)
        return hs_err_set(err, rc, "out of memory");
    if ((rc = hs_tui_load_features(tui, false, err)) != HS_OK)
        return rc;
    if (same) {
        /* The same dataset again (after a command): stay where we were. */
        tui->data.rows.cur = keep.rows.cur;
        tui->data.rows.top = keep.rows.top;
        tui->data.curcol = keep.curcol < tui->data.ncols ? keep.curcol : 0;
        tui->data.left = keep.left < tui->data.ncols ? keep.left : 0;
        tui->stats.sc.cur = keep_stats.cur;
        tui->stats.sc.top = keep_stats.top;
    }
    if (tui->app && name && (!tui->app->dataset || strcmp(tui->app->dataset, name) != 0)) {
        /* Batch commands typed after ':' default to the shown dataset. */
        char *d = strdup(name);
        if (d) {
            free(tui->app->dataset);
            tui->app->dataset = d;
        }
    }
    return HS_OK;
}

void
hs_tui_where_clear(struct hs_tui *tui, const char *why)
{
    bool was = hs_where_active(&tui->where);

    hs_where_release(&tui->where);
    if (!was)
        return;
    tui->changes |= HS_CHANGE_SELECTION;
    if (why)
        hs_tui_message(tui, false, "selection cleared: %s", why);
}

static long
find_dataset(const struct hs_tui *tui, const char *name)
{
    for (size_t i = 0; name && i < tui->nds; i++)
        if (strcmp(tui->ds[i].name, name) == 0)
            return (long)i;
    return -1;
}

int
hs_tui_select_dataset(struct hs_tui *tui, const char *name, struct hs_err *err)
{
    struct hs_table *t = NULL;
    long at;
    int rc;

    if (!name) {
        if (tui->nds == 0)
            return hs_err_set(err, HS_ENOTFOUND, "the session has no datasets");
        name = tui->ds[tui->dssc.cur < tui->nds ? tui->dssc.cur : 0].name;
    }
    if ((at = find_dataset(tui, name)) < 0)
        return hs_err_set(err, HS_ENOTFOUND, "no dataset '%s' in this session", name);
    if (!tui->app || !tui->app->sess)
        return hs_err_set(err, HS_ESESSION, "no session is open");
    /* Lazily: each view reads the columns it shows when it first shows
     * them (its load hook), so a million events of twenty columns open
     * at the cost of the label and what the first screen shows. */
    if ((rc = hs_sess_dataset_open(tui->app->sess, name, &t, NULL, err)) != HS_OK)
        return rc;
    if ((rc = hs_tui_set_table(tui, name, t, err)) != HS_OK)
        return rc;
    tui->dssc.cur = (size_t)at;
    hs_tui_show(tui, &hs_view_data_class);
    return HS_OK;
}

void
hs_tui_place_save(const struct hs_tui *tui, struct hs_tui_place *pl)
{
    const char *col = hs_data_view_column(&tui->data);
    const struct hs_feature *f = hs_features_view_current(&tui->feat);

    pl->view = tui->view;
    pl->data = tui->data.rows;
    pl->stats = tui->stats.sc;
    pl->cuts = tui->cuts.sc;
    pl->cuts_col = tui->cuts.col;
    pl->roc = tui->roc.sc;
    snprintf(pl->column, sizeof pl->column, "%s", col ? col : "");
    snprintf(pl->feature, sizeof pl->feature, "%s", f ? f->name : "");
}

/* sc's cursor and top from was, within sc's n (the next draw fits the
 * page). */
static void
scroll_keep(struct hs_scroll *sc, const struct hs_scroll *was)
{
    sc->cur = sc->n && was->cur >= sc->n ? sc->n - 1 : was->cur;
    sc->top = was->top <= sc->cur ? was->top : sc->cur;
    sc->page = was->page;
}

void
hs_tui_place_restore(struct hs_tui *tui, const struct hs_tui_place *pl)
{
    scroll_keep(&tui->data.rows, &pl->data);
    if (pl->column[0])
        hs_data_view_goto_column(&tui->data, pl->column);
    scroll_keep(&tui->stats.sc, &pl->stats);
    /* The cuts and ROC views load their rows when shown: n is set then,
     * and their draw clamps the cursor kept here. */
    tui->cuts.sc.cur = pl->cuts.cur;
    tui->cuts.sc.top = pl->cuts.top;
    tui->cuts.col = pl->cuts_col;
    tui->roc.sc.cur = pl->roc.cur;
    tui->roc.sc.top = pl->roc.top;
    if (pl->feature[0])
        hs_features_view_select(&tui->feat, pl->feature);
    if (tui->view != pl->view)
        hs_tui_set_view(tui, pl->view);
}

int
hs_tui_reload(struct hs_tui *tui, struct hs_err *err)
{
    struct hs_dataset_info *old = tui->ds;
    size_t nold = tui->nds;
    const char *pick = NULL;
    int rc;

    if (hs_train_view_running(&tui->train))
        return hs_err_set(err, HS_EBUSY, "a training is running: Esc in the train view stops it");
    /* A command changed the session: cuts edited and not yet saved go
     * first (the reload reads the stored set back), and the ROC curves
     * are computed again when shown. */
    hs_tui_cuts_flush(tui);
    tui->roc.stale = true;
    tui->ds = NULL;
    tui->nds = 0;
    rc = hs_sess_datasets(tui->app->sess, &tui->ds, &tui->nds, err);
    if (rc == HS_OK) {
        /* A dataset that just appeared (an import) is what the user wants
         * to see; else the one shown, else --dataset, else the first. */
        for (size_t i = 0; i < tui->nds && !pick; i++) {
            bool seen = false;
            for (size_t j = 0; j < nold && !seen; j++)
                seen = strcmp(old[j].name, tui->ds[i].name) == 0;
            if (!seen && old)
                pick = tui->ds[i].name;
        }
        if (!pick && find_dataset(tui, tui->dsname) >= 0)
            pick = tui->dsname;
        if (!pick && find_dataset(tui, tui->app->dataset) >= 0)
            pick = tui->app->dataset;
        if (!pick && tui->nds)
            pick = tui->ds[0].name;
        tui->dssc.n = tui->nds;
        if (pick) {
            char *name = strdup(pick);
            enum hs_view_id v = tui->view;
            bool same = tui->dsname && strcmp(pick, tui->dsname) == 0;
            rc = name ? hs_tui_select_dataset(tui, name, err)
                      : hs_err_set(err, HS_ENOMEM, "out of memory");
            free(name);
            if (same)
                tui->view = v; /* the same dataset again: stay in its view */
        } else {
            hs_tui_set_table(tui, NULL, NULL, NULL);
        }
    }
    hs_dataset_info_free(old, nold);
    tui->dirty = true;
    return rc;
}

/* ---- the ':' line: completion names and history ---- */

/* A new array of copies of n names (name i from get(arr, i)). */
static int
copy_names(char ***out, size_t *nout, size_t n, const char *(*get)(const void *arr, size_t i),
           const void *arr)
{
    *out = calloc(n ? n : 1, sizeof **out);
    *nout = 0;
    if (!*out)
        return HS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!((*out)[i] = strdup(get(arr, i))))
            return HS_ENOMEM;
        *nout = i + 1;
    }
    return HS_OK;
}

static const char *
feature_name(const void *arr, size_t i)
{
    return ((const struct hs_feature *)arr)[i].name;
}

static const char *
cutset_name(const void *arr, size_t i)
{
    return ((const struct hs_cutset_rec *)arr)[i].name;
}

static const char *
model_name(const void *arr, size_t i)
{
    return ((const struct hs_model_rec *)arr)[i].name;
}

static const char *
dataset_name(const void *arr, size_t i)
{
    return ((const struct hs_dataset_info *)arr)[i].name;
}

/* The names a ':' line may complete: the shown dataset's features, its
 * cut sets, the session's models and datasets (read at each Tab: a
 * command may just have stored one). */
static int
complete_names(void *user, struct hs_complete_names *out)
{
    struct hs_tui *tui = user;
    struct hs_sess *sess = tui->app ? tui->app->sess : NULL;
    struct hs_cutset_rec *cs = NULL;
    struct hs_model_rec *ms = NULL;
    size_t ncs = 0, nms = 0;
    struct hs_err err;
    int rc;

    memset(out, 0, sizeof *out);
    rc = copy_names(&out->features, &out->nfeatures, tui->feat.fs.n, feature_name,
                    tui->feat.fs.f);
    if (rc == HS_OK)
        rc = copy_names(&out->datasets, &out->ndatasets, tui->nds, dataset_name, tui->ds);
    if (rc == HS_OK && sess && tui->dsname &&
        hs_sess_cutsets(sess, tui->dsname, &cs, &ncs, &err) == HS_OK) {
        rc = copy_names(&out->cutsets, &out->ncutsets, ncs, cutset_name, cs);
        hs_cutset_recs_free(cs, ncs);
    }
    if (rc == HS_OK && sess && hs_sess_models(sess, NULL, &ms, &nms, &err) == HS_OK) {
        rc = copy_names(&out->models, &out->nmodels, nms, model_name, ms);
        hs_model_recs_free(ms, nms);
    }
    if (rc != HS_OK)
        hs_complete_names_release(out);
    return rc;
}

/* The session's history in the ':' line (none on a failure: it is a
 * convenience). */
static void
history_load(struct hs_tui *tui)
{
    struct hs_sess *sess = tui->app ? tui->app->sess : NULL;
    char **lines;
    size_t n;
    struct hs_err err;

    if (sess && hs_sess_history_read(sess, HS_PROMPT_HISTORY_MAX, &lines, &n, &err) == HS_OK)
        hs_prompt_history_take(&tui->prompt, lines, n);
}

/* A line entered at ':' is kept in the session, unless it is read-only
 * (then in memory only).  Not journaled: it changes no analysis.  A
 * failure (another writer holds the session) loses the line quietly. */
static void
history_keep(struct hs_tui *tui, const char *line)
{
    struct hs_sess *sess = tui->app ? tui->app->sess : NULL;
    struct hs_err err;

    if (sess && !hs_sess_readonly(sess))
        hs_sess_history_append(sess, line, &err);
}

int
hs_tui_init(struct hs_tui *tui, struct hs_app *app)
{
    const char *cs = nl_langinfo(CODESET);
    size_t n = 0;

    memset(tui, 0, sizeof *tui);
    tui->app = app;
    tui->dirty = true;
    tui->hist.mode = (int)hs_canvas_pick_mode(cs, getenv("TERM"), false);
    while (hs_view_classes[n])
        n++;
    if (!(tui->views = calloc(n, sizeof *tui->views)))
        return HS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        tui->views[i].cls = hs_view_classes[i];
        if (hs_view_classes[i]->init)
            hs_view_classes[i]->init(tui, &tui->views[i]);
    }
    tui->nviews = n;
    tui->prompt.names = complete_names;
    tui->prompt.names_user = tui;
    history_load(tui);
    return HS_OK;
}

void
hs_tui_release(struct hs_tui *tui)
{
    /* The last view first: a training still running borrows the features'
     * columns. */
    for (size_t i = tui->nviews; i-- > 0;)
        if (tui->views[i].cls->release)
            tui->views[i].cls->release(tui, &tui->views[i]);
    free(tui->views);
    hs_where_release(&tui->where);
    hs_table_free(tui->table);
    free(tui->dsname);
    hs_dataset_info_free(tui->ds, tui->nds);
    hs_overlay_close(&tui->overlay);
    hs_prompt_release(&tui->prompt);
    memset(tui, 0, sizeof *tui);
}

/* The status line's message, and a faulty expression shown above it,
 * last until the next key. */
static void
clear_message(struct hs_tui *tui)
{
    tui->msg[0] = '\0';
    tui->msg_error = false;
    tui->caret.text[0] = '\0';
}

/* ---- running commands ---- */

int
hs_tui_command(struct hs_tui *tui, const char *line, char **text, struct hs_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out;
    int rc;

    hs_err_clear(err);
    if (text)
        *text = NULL;
    if (!(out = open_memstream(&buf, &len)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    tui->working++;
    rc = hs_cmd_run_line(tui->app, line, out, err);
    tui->working--;
    fclose(out);
    /* A Ctrl-C during the command stopped the command, not the TUI. */
    hs_tui_sigint = 0;
    if (rc != HS_OK && !err->msg[0])
        hs_err_set(err, rc, "%s", hs_status_name(rc));
    if (text && buf) {
        while (len && buf[len - 1] == '\n')
            buf[--len] = '\0';
        *text = buf;
    } else {
        free(buf);
    }
    return rc;
}

int
hs_tui_refresh(struct hs_tui *tui, unsigned changes, struct hs_err *err)
{
    if (!changes)
        return HS_OK;
    tui->dirty = true;
    /* Other events, or another session: everything again. */
    if (changes & HS_CHANGE_DATASETS) {
        tui->changes |= changes;
        if (changes == HS_CHANGE_ALL) {
            /* Maybe another session (--session on the ':' line): the
             * shown table reads its pending columns from the one it came
             * from, which may be closed.  It goes, and the session is
             * made writable now, so that no later command reopens it
             * under the new table. */
            hs_tui_set_table(tui, NULL, NULL, NULL);
            if (!tui->app->sess) {
                hs_dataset_info_free(tui->ds, tui->nds);
                tui->ds = NULL;
                tui->nds = tui->dssc.n = 0;
                return HS_OK;
            }
            if (hs_app_open_session(tui->app, true, err) != HS_OK)
                return err->code;
        }
        return hs_tui_reload(tui, err);
    }
    if (hs_train_view_running(&tui->train))
        return hs_err_set(err, HS_EBUSY, "a training is running: Esc in the train view stops it");
    /* Cuts edited and not yet stored go first: what follows may read the
     * stored set back. */
    hs_tui_cuts_flush(tui);
    /* The views forget the rest when they prepare (hs_tui_prepare). */
    tui->changes |= changes;
    /* The same events: only the features (and what shows them).  A
     * stored model is a learned feature of every dataset it can score,
     * so a model stored, replaced or dropped changes the list too. */
    if (changes & HS_CHANGE_MODELS)
        hs_features_view_forget_learned(&tui->feat);
    if (changes & (HS_CHANGE_FEATURES | HS_CHANGE_MODELS))
        return hs_tui_load_features(tui, true, err);
    return HS_OK;
}

/* The command, then the views refreshed for what it changed; its output
 * (when show) in the status line or a window. */
static int
run_line(struct hs_tui *tui, const char *line, bool show, struct hs_err *err)
{
    struct hs_app *app = tui->app;
    char *buf = NULL;
    int rc;

    tui->dirty = true;
    rc = hs_tui_command(tui, line, &buf, err);
    /* A failed switch to another session leaves none open: refreshing
     * then lets the shown events go with the old one. */
    if (app->sess || (app->changes & HS_CHANGE_DATASETS)) {
        /* Refresh first: the output window opened below must stay open. */
        struct hs_err rerr;
        hs_err_clear(&rerr);
        if (hs_tui_refresh(tui, app->changes, &rerr) != HS_OK && rc == HS_OK) {
            rc = rerr.code;
            *err = rerr;
        }
    }
    if (show && rc == HS_OK && buf && *buf) {
        /* One short line fits the status bar; more opens a window. */
        if (!strchr(buf, '\n') && hs_text_width(buf) < 100)
            hs_tui_message(tui, false, "%s", buf);
        else if (hs_tui_show_text(tui, line, buf) != HS_OK)
            hs_tui_message(tui, true, "out of memory");
    }
    free(buf);
    return rc;
}

int
hs_tui_run_line(struct hs_tui *tui, const char *line, struct hs_err *err)
{
    return run_line(tui, line, true, err);
}

int
hs_tui_run_quiet(struct hs_tui *tui, const char *line, struct hs_err *err)
{
    int rc = run_line(tui, line, false, err);

    hs_tui_prepare(tui);
    return rc;
}

void
hs_tui_prepare(struct hs_tui *tui)
{
    unsigned changes = tui->changes;

    tui->changes = 0;
    tui->working++;
    for (size_t i = 0; i < tui->nviews; i++)
        if (tui->views[i].cls->prepare)
            tui->views[i].cls->prepare(tui, &tui->views[i], changes);
    tui->working--;
}

void
hs_tui_cuts_flush(struct hs_tui *tui)
{
    struct hs_err err;

    if (!tui->cuts.unsaved || !tui->app || !tui->app->sess)
        return;
    hs_err_clear(&err);
    if (hs_tui_cuts_save(tui, &err) != HS_OK)
        hs_tui_message(tui, true, "the cut set was not saved: %s", err.msg);
}

bool
hs_tui_train_allows(const char *name)
{
    const struct hs_cmd_entry *e = hs_cmd_find(name);

    return e && (e->flags & HS_CMD_WHILE_TRAINING);
}

/* While a training runs its job borrows the features' columns: only
 * commands that look, move or edit the form may run. */
static bool
refused_while_training(struct hs_tui *tui, const char *line)
{
    char name[64];
    size_t n;

    if (!hs_train_view_running(&tui->train))
        return false;
    line += strspn(line, " \t");
    n = strcspn(line, " \t");
    snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), line);
    if (hs_tui_train_allows(name))
        return false;
    hs_tui_message(tui, true, "'%s' waits for the training: Esc in the train view stops it",
                   name);
    return true;
}

int
hs_tui_run(struct hs_tui *tui, const char *line)
{
    struct hs_err err;
    int rc;

    if (refused_while_training(tui, line))
        return HS_EBUSY;
    rc = hs_tui_run_line(tui, line, &err);

    if (rc != HS_OK)
        hs_tui_message(tui, true, "%s", err.msg);
    /* A selection asked for by a command that failed is void. */
    free(tui->feat.want);
    tui->feat.want = NULL;
    hs_tui_prepare(tui);
    return rc;
}

void
hs_tui_key(struct hs_tui *tui, int code)
{
    const struct hs_key_binding *b;

    tui->dirty = true;
    /* An in-place editor of the view takes the keys before the table. */
    if (!tui->prompt.active && (size_t)tui->view < tui->nviews &&
        tui->views[tui->view].cls->key &&
        !(tui->views[tui->view].cls->key(tui, &tui->views[tui->view], code) & HS_REACT_PASS))
        return;
    if (tui->prompt.active) {
        enum hs_prompt_result r = hs_prompt_key(&tui->prompt, code);
        if (r == HS_PROMPT_RUN) {
            char *line = strdup(hs_prompt_line(&tui->prompt));
            if (hs_prompt_close(&tui->prompt, true) && line)
                history_keep(tui, line);
            clear_message(tui);
            if (line && line[strspn(line, " ")])
                hs_tui_run(tui, line);
            free(line);
        } else if (r == HS_PROMPT_CANCEL) {
            hs_prompt_close(&tui->prompt, false);
        }
        return;
    }
    clear_message(tui);
    b = hs_keys_lookup(hs_tui_focus(tui), code);
    if (!b) {
        char name[HS_KEY_NAME_MAX];
        const char *help = hs_keys_key_for(hs_tui_focus(tui), "keys");
        if (code == HS_KEY_WHEEL_UP || code == HS_KEY_WHEEL_DOWN || code == HS_KEY_CLICK)
            return;
        hs_tui_message(tui, false, "%s is not bound here%s%s%s", hs_key_name(code, name),
                       help ? " (" : "", help ? help : "", help ? " lists the keys)" : "");
        return;
    }
    hs_tui_run(tui, b->command);
}

/* ---- drawing into the cell buffer ---- */

static void
draw_empty(const struct hs_tui *tui, struct hs_screen *s, int y, int h)
{
    const char *path = tui->app && tui->app->sess ? hs_sess_path(tui->app->sess) : NULL;
    /* The demo line only when this build has the command. */
    bool demo = hs_cmd_find("demo") != NULL;
    const char *lines[] = {
        "This session has no datasets yet.",
        "",
        "Import a CSV file from here:  :import FILE.csv",
        "or from the shell:            hepscope import FILE.csv",
        demo ? "Or make the HNL demo:         :demo" : "",
        "",
        "Press ? for the keys, q to quit.",
    };
    int n = (int)(sizeof lines / sizeof lines[0]);
    int top = y + (h - n - 2) / 3;

    top = top < y ? y : top;
    for (int i = 0; i < n && top + i < y + h; i++)
        hs_screen_put(s, 2, top + i, s->w - 4, lines[i],
                      i == 0 ? HS_COLOR_HEADER : HS_COLOR_NORMAL, i == 0 ? HS_ATTR_BOLD : 0);
    if (path && top + n + 1 < y + h)
        hs_screen_printf(s, 2, top + n + 1, s->w - 4, HS_COLOR_DIM, 0, "session: %s", path);
}

void
hs_tui_draw(struct hs_tui *tui, struct hs_screen *s)
{
    int body = s->h - 2;

    hs_screen_clear(s);
    if (s->w < HS_TUI_MIN_W || s->h < HS_TUI_MIN_H) {
        char msg[64];
        snprintf(msg, sizeof msg, "terminal too small (%dx%d)", s->w, s->h);
        hs_screen_put_field(s, 0, s->h / 2 - 1, s->w, msg, HS_ALIGN_CENTER, HS_COLOR_ERROR,
                            HS_ATTR_BOLD);
        snprintf(msg, sizeof msg, "need %dx%d; q quits", HS_TUI_MIN_W, HS_TUI_MIN_H);
        hs_screen_put_field(s, 0, s->h / 2, s->w, msg, HS_ALIGN_CENTER, HS_COLOR_NORMAL, 0);
        return;
    }
    hs_titlebar_draw(tui, s, 0);
    if ((size_t)tui->view < tui->nviews &&
        (tui->table || (tui->views[tui->view].cls->without_dataset && tui->nds))) {
        struct hs_view *v = &tui->views[tui->view];
        struct hs_rect r = {0, 1, s->w, body};
        if (v->cls->load && !tui->working) {
            tui->working++;
            v->cls->load(tui, v, r);
            tui->working--;
        }
        v->cls->draw(tui, v, s, r);
    } else {
        draw_empty(tui, s, 1, body);
    }
    if (tui->overlay.open) {
        /* A margin shows the view behind, unless the text needs the room. */
        int mx = s->w >= 72 && tui->overlay.width <= s->w - 4 - HS_OVERLAY_PAD ? 2 : 0;
        hs_overlay_draw(&tui->overlay, s, mx, 1, s->w - 2 * mx, body);
        hs_screen_set_cursor(s, -1, -1);
    }
    if (tui->caret.text[0] && !tui->overlay.open)
        hs_caret_draw(tui, s, s->h - 3);
    if (tui->prompt.active)
        hs_prompt_draw(&tui->prompt, s, 0, s->h - 1, s->w);
    else
        hs_statusbar_draw(tui, s, s->h - 1);
}


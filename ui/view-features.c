/* view-features.c: the features view: one row per feature of the shown
 * dataset with its toggle, kind, per-class mean and sd, missing count,
 * separation, AUC and cut direction; the selected feature's expression and
 * quantiles below the list; and the in-place editor of a new derived
 * feature, whose errors are shown under the expression with a caret.
 *
 * The statistics are computed once per load or change of the feature set
 * (hs_features_view_compute, called by the TUI after a command and before
 * it draws), never while drawing.  Columns that do not fit are left out, least useful first,
 * so the view reads at 80x24 and still works at 60x20.
 */
#include "config.h"

#include "ui/view.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/keys.h"

/* Features whose statistics are computed together, spread over the
 * threads; progress and cancel are checked between batches. */
#define BATCH 8
#define NAME_MIN_W 7
#define NAME_MAX_W 16
#define NAME_WIDE_W 32 /* when the screen has room to spare */
#define NUM_W 8
#define EXPR_MIN_W 16
#define DETAIL_ROWS 2
#define ERR_LINES_MAX 3

static const char *const sort_names[HS_NFSORTS] = {"separation", "AUC", "name", "file order"};
static const char *const sort_words[HS_NFSORTS] = {"separation", "auc", "name", "file"};

const char *
hs_feat_sort_name(enum hs_feat_sort by)
{
    return (int)by >= 0 && by < HS_NFSORTS ? sort_names[by] : sort_names[0];
}

int
hs_feat_sort_find(const char *name)
{
    for (int i = 0; i < HS_NFSORTS; i++)
        if (strcmp(name, sort_words[i]) == 0)
            return i;
    return -1;
}

/* ---- state ---- */

void
hs_features_view_clear(struct hs_features_view *fv)
{
    if (fv->t)
        hs_featureset_release(&fv->fs);
    free(fv->st);
    free(fv->done);
    free(fv->order);
    fv->t = NULL;
    fv->st = NULL;
    fv->done = NULL;
    fv->order = NULL;
    memset(&fv->fs, 0, sizeof fv->fs);
    fv->sc.n = fv->sc.cur = fv->sc.top = 0;
    fv->stopped = false;
}

/* ---- the statistics over every event, kept under a selection ---- */

static bool same_text(const char *a, const char *b);

struct hs_features_stash {
    char *name, *expr;
    bool learned;
    struct hs_featstats st;
};

static void
stash_free(struct hs_features_view *fv)
{
    for (size_t i = 0; i < fv->nstash; i++) {
        free(fv->stash[i].name);
        free(fv->stash[i].expr);
    }
    free(fv->stash);
    fv->stash = NULL;
    fv->nstash = 0;
}

/* Keep the statistics of every feature done (they are over every event). */
static void
stash_keep(struct hs_features_view *fv)
{
    struct hs_features_stash *k;
    size_t m = 0;

    stash_free(fv);
    if (!fv->t || !(k = calloc(fv->fs.n ? fv->fs.n : 1, sizeof *k)))
        return;
    for (size_t i = 0; i < fv->fs.n; i++) {
        const struct hs_feature *f = &fv->fs.f[i];
        if (!fv->done[i])
            continue;
        k[m].name = strdup(f->name);
        k[m].expr = f->expr ? strdup(f->expr) : NULL;
        k[m].learned = f->kind == HS_FEATURE_LEARNED;
        k[m].st = fv->st[i];
        if (!k[m].name || (f->expr && !k[m].expr)) {
            free(k[m].name);
            free(k[m].expr);
            continue; /* out of memory: that one is computed again */
        }
        m++;
    }
    fv->stash = k;
    fv->nstash = m;
}

/* Take the kept statistics back for the features not done. */
static void
stash_restore(struct hs_features_view *fv)
{
    for (size_t i = 0; i < fv->fs.n; i++) {
        const struct hs_feature *f = &fv->fs.f[i];
        for (size_t k = 0; !fv->done[i] && k < fv->nstash; k++)
            if (strcmp(fv->stash[k].name, f->name) == 0 &&
                same_text(fv->stash[k].expr, f->expr) &&
                fv->stash[k].learned == (f->kind == HS_FEATURE_LEARNED)) {
                fv->st[i] = fv->stash[k].st;
                fv->done[i] = true;
            }
    }
}

void
hs_features_view_release(struct hs_features_view *fv)
{
    stash_free(fv);
    hs_features_view_clear(fv);
    hs_feature_editor_release(&fv->ed);
    free(fv->want);
    memset(fv, 0, sizeof *fv);
}

void
hs_features_view_forget(struct hs_features_view *fv)
{
    /* Leaving the statistics of every event: kept for when the selection
     * is cleared (at a million events they take seconds). */
    if (fv->stats_all)
        stash_keep(fv);
    for (size_t i = 0; fv->t && i < fv->fs.n; i++)
        fv->done[i] = false;
    fv->stopped = false;
}

void
hs_features_view_forget_learned(struct hs_features_view *fv)
{
    size_t m = 0;

    for (size_t i = 0; fv->t && i < fv->fs.n; i++)
        if (fv->fs.f[i].kind == HS_FEATURE_LEARNED)
            fv->done[i] = false;
    for (size_t k = 0; k < fv->nstash; k++) {
        if (fv->stash[k].learned) {
            free(fv->stash[k].name);
            free(fv->stash[k].expr);
        } else {
            fv->stash[m++] = fv->stash[k];
        }
    }
    fv->nstash = m;
}

size_t
hs_features_view_pending(const struct hs_features_view *fv)
{
    size_t n = 0;

    for (size_t i = 0; fv->t && i < fv->fs.n; i++)
        n += !fv->done[i];
    return n;
}

static bool
same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The sort key of feature i: larger is better; NaN when unknown. */
static double
key(const struct hs_features_view *fv, size_t i)
{
    if (!fv->done[i])
        return NAN;
    return fv->sort == HS_FSORT_AUC ? fv->st[i].auc : fv->st[i].separation;
}

/* Does feature a come before feature b?  Best first, unknown last, ties
 * in the feature set's order (so the sort is stable). */
static bool
before(const struct hs_features_view *fv, size_t a, size_t b)
{
    double x, y;
    int c;

    switch (fv->sort) {
    case HS_FSORT_NAME:
        c = strcmp(fv->fs.f[a].name, fv->fs.f[b].name);
        return c ? c < 0 : a < b;
    case HS_FSORT_FILE:
        return a < b;
    default:
        x = key(fv, a);
        y = key(fv, b);
        if (isnan(x) != isnan(y))
            return !isnan(x);
        if (!isnan(x) && x != y)
            return x > y;
        return a < b;
    }
}

/* Sort the rows; the cursor stays on its feature.  Insertion sort: a
 * dataset has tens of features, rarely a few hundred. */
static void
resort(struct hs_features_view *fv)
{
    size_t n = fv->fs.n, cur = n && fv->sc.cur < n ? fv->order[fv->sc.cur] : 0;

    for (size_t i = 0; i < n; i++)
        fv->order[i] = i;
    for (size_t i = 1; i < n; i++) {
        size_t v = fv->order[i], j = i;
        while (j > 0 && before(fv, v, fv->order[j - 1])) {
            fv->order[j] = fv->order[j - 1];
            j--;
        }
        fv->order[j] = v;
    }
    for (size_t i = 0; i < n; i++)
        if (fv->order[i] == cur)
            fv->sc.cur = i;
}

void
hs_features_view_sort(struct hs_features_view *fv, enum hs_feat_sort by)
{
    fv->sort = by;
    if (fv->t)
        resort(fv);
}

const struct hs_feature *
hs_features_view_current(const struct hs_features_view *fv)
{
    if (!fv->t || fv->sc.cur >= fv->fs.n)
        return NULL;
    return &fv->fs.f[fv->order[fv->sc.cur]];
}

bool
hs_features_view_select(struct hs_features_view *fv, const char *name)
{
    for (size_t r = 0; fv->t && name && r < fv->fs.n; r++)
        if (strcmp(fv->fs.f[fv->order[r]].name, name) == 0) {
            fv->sc.cur = r;
            return true;
        }
    return false;
}

/* A derived feature of the same name and expression over the same events
 * has the same values: take them from the old set rather than compute
 * them again (a million events cost a few frames per feature).  An
 * expression that names an earlier feature cannot change while it is
 * used (hs_featureset_drop refuses), so equal text means equal values. */
static void
take_values(struct hs_feature *f, struct hs_featureset *old)
{
    long j = f->expr && !f->values ? hs_featureset_find(old, f->name) : -1;
    struct hs_feature *o = j >= 0 ? &old->f[j] : NULL;

    if (!o || !o->values || !same_text(o->expr, f->expr))
        return;
    f->values = o->values;
    f->stats = o->stats;
    o->values = NULL;
}

int
hs_features_view_set(struct hs_features_view *fv, const struct hs_table *t,
                     struct hs_featureset *fs, bool same_data)
{
    struct hs_features_view old = *fv;
    size_t row = fv->sc.cur;
    char *keep = NULL;
    size_t n = fs ? fs->n : 0;
    int rc = HS_OK;

    /* Build the new state beside the old one: the statistics of unchanged
     * features are copied over, then the old state goes. */
    if (old.t) {
        const struct hs_feature *f = hs_features_view_current(&old);
        keep = f ? strdup(f->name) : NULL;
    }
    fv->t = NULL;
    memset(&fv->fs, 0, sizeof fv->fs);
    fv->st = NULL;
    fv->done = NULL;
    fv->order = NULL;
    /* A cancel stays in force for the same events (a toggle must not
     * restart what Esc stopped); new events start afresh. */
    fv->stopped = same_data && old.t && old.stopped;
    fv->sc.n = fv->sc.cur = 0;
    if (!same_data)
        stash_free(fv);
    if (t && fs) {
        fv->st = calloc(n ? n : 1, sizeof *fv->st);
        fv->done = calloc(n ? n : 1, sizeof *fv->done);
        fv->order = calloc(n ? n : 1, sizeof *fv->order);
        if (!fv->st || !fv->done || !fv->order) {
            free(fv->st);
            free(fv->done);
            free(fv->order);
            fv->st = NULL;
            fv->done = NULL;
            fv->order = NULL;
            hs_featureset_release(fs);
            rc = HS_ENOMEM;
        } else {
            fv->t = t;
            fv->fs = *fs;
            fv->labelled = hs_table_label(t) != NULL;
            fv->sc.n = n;
            for (size_t i = 0; same_data && old.t && i < n; i++)
                take_values(&fv->fs.f[i], &old.fs);
            for (size_t i = 0; same_data && old.t && i < n; i++)
                for (size_t j = 0; j < old.fs.n; j++)
                    if (old.done[j] && strcmp(old.fs.f[j].name, fv->fs.f[i].name) == 0 &&
                        same_text(old.fs.f[j].expr, fv->fs.f[i].expr)) {
                        fv->st[i] = old.st[j];
                        fv->done[i] = true;
                        break;
                    }
        }
        memset(fs, 0, sizeof *fs);
    } else if (fs) {
        hs_featureset_release(fs);
    }
    /* old holds the previous features, statistics and order only. */
    old.ed = (struct hs_feature_editor){0};
    old.want = NULL;
    hs_features_view_clear(&old);
    if (fv->t) {
        fv->sc.cur = 0;
        resort(fv);
        /* The feature asked for, else the one under the cursor, else (it
         * was dropped) the same row. */
        if (!(fv->want && hs_features_view_select(fv, fv->want)) &&
            !hs_features_view_select(fv, keep))
            fv->sc.cur = row < n ? row : n ? n - 1 : 0;
    }
    free(fv->want);
    fv->want = NULL;
    free(keep);
    return rc;
}

int
hs_features_view_compute(struct hs_features_view *fv, const struct hs_task *task,
                         struct hs_err *err)
{
    size_t total = hs_features_view_pending(fv), ndone = 0, i = 0, n;
    const double *label, *weight;
    /* A fresh list (nothing known yet) starts at its best feature; else
     * the cursor stays on its feature, say the one just added. */
    bool fresh = fv->t && total == fv->fs.n;
    int rc = HS_OK;

    if (!fv->t)
        return HS_OK;
    fv->stats_all = !hs_where_active(fv->sel);
    if (fv->stats_all && total) {
        stash_restore(fv);
        total = hs_features_view_pending(fv);
        if (total == 0)
            resort(fv);
    }
    if (total == 0)
        return HS_OK;
    /* Over the active selection's events: each column is gathered for
     * its batch (the statistics need a copy to sort anyway). */
    n = hs_where_nrows(fv->sel, fv->t);
    label = hs_where_label(fv->sel, fv->t);
    weight = hs_where_weight(fv->sel, fv->t);
    hs_task_progress(task, 0, "feature statistics");
    while (rc == HS_OK && i < fv->fs.n) {
        const double *cols[BATCH], *all;
        double *scratch[BATCH] = {NULL};
        size_t idx[BATCH], k = 0;
        struct hs_featstats out[BATCH];

        for (; i < fv->fs.n && k < BATCH; i++) {
            if (fv->done[i])
                continue;
            if ((rc = hs_featureset_values(&fv->fs, i, &all, task, err)) != HS_OK ||
                (rc = hs_where_values(fv->sel, all, &cols[k], &scratch[k], err)) != HS_OK)
                break;
            idx[k++] = i;
        }
        if (rc == HS_OK && k > 0)
            rc = hs_featstats_many(cols, k, label, weight, n, out, task, err);
        for (size_t j = 0; j < BATCH; j++)
            free(scratch[j]);
        if (rc != HS_OK || k == 0)
            break;
        for (size_t j = 0; j < k; j++) {
            fv->st[idx[j]] = out[j];
            fv->done[idx[j]] = true;
        }
        ndone += k;
        hs_task_progress(task, (double)ndone / (double)total, "feature statistics");
        if (hs_task_cancelled(task))
            rc = hs_err_set(err, HS_ECANCELLED, "cancelled");
    }
    resort(fv);
    if (fresh)
        fv->sc.cur = fv->sc.top = 0;
    return rc;
}

/* ---- the editor ---- */

int
hs_feature_editor_open(struct hs_feature_editor *ed, const char *name)
{
    ed->msg[0] = '\0';
    ed->col = 0;
    ed->on_expr = name && *name;
    if (hs_prompt_open(&ed->name, name) != HS_OK || hs_prompt_open(&ed->expr, NULL) != HS_OK)
        return HS_ENOMEM;
    ed->active = true;
    return HS_OK;
}

const char *
hs_feature_editor_name(const struct hs_feature_editor *ed)
{
    return hs_prompt_line(&ed->name);
}

const char *
hs_feature_editor_expr(const struct hs_feature_editor *ed)
{
    return hs_prompt_line(&ed->expr);
}

/* Byte offset of character number k (0-based) of s, or its length. */
static size_t
char_offset(const char *s, int k)
{
    size_t b = 0;

    for (int i = 0; i < k && s[b]; i++) {
        b++;
        while (((unsigned char)s[b] & 0xc0) == 0x80)
            b++;
    }
    return b;
}

void
hs_feature_editor_set_error(struct hs_feature_editor *ed, const char *msg, int col)
{
    snprintf(ed->msg, sizeof ed->msg, "%s", msg ? msg : "");
    ed->col = col > 0 ? col : 0;
    /* The cursor goes where the error is, ready for the correction; an
     * error without a position is about the name. */
    if (ed->col) {
        ed->on_expr = true;
        ed->expr.pos = char_offset(hs_prompt_line(&ed->expr), ed->col - 1);
    } else if (ed->msg[0]) {
        ed->on_expr = false;
        ed->name.pos = ed->name.len;
    }
}

enum hs_prompt_result
hs_feature_editor_key(struct hs_feature_editor *ed, int code)
{
    struct hs_prompt *p = ed->on_expr ? &ed->expr : &ed->name;
    size_t len = p->len;
    char *was;

    switch (code) {
    case HS_KEY_ESC:
    case 'c' & 0x1f:
    case 'g' & 0x1f:
        return HS_PROMPT_CANCEL;
    case '\t':
    case HS_KEY_FN + KEY_BTAB:
        ed->on_expr = !ed->on_expr;
        return HS_PROMPT_EDITING;
    case HS_KEY_ENTER:
        if (ed->on_expr)
            return HS_PROMPT_RUN;
        ed->on_expr = true;
        return HS_PROMPT_EDITING;
    case HS_KEY_FN + KEY_BACKSPACE:
        /* Backspace on an empty field goes back, never out. */
        if (len == 0) {
            ed->on_expr = false;
            return HS_PROMPT_EDITING;
        }
        break;
    case '=':
        /* "NAME = EXPR" typed in one go: '=' ends the name. */
        if (!ed->on_expr) {
            ed->on_expr = true;
            return HS_PROMPT_EDITING;
        }
        break;
    case ' ':
        /* A name has no spaces, and an expression needs none in front. */
        if (!ed->on_expr || len == 0)
            return HS_PROMPT_EDITING;
        break;
    default:
        break;
    }
    was = strdup(hs_prompt_line(p));
    hs_prompt_key(p, code);
    /* Once the text changes the caret points at nothing: drop it (the
     * message stays until the next try). */
    if (!was || strcmp(was, hs_prompt_line(p)) != 0)
        ed->col = 0;
    free(was);
    return HS_PROMPT_EDITING;
}

void
hs_feature_editor_close(struct hs_feature_editor *ed)
{
    hs_prompt_close(&ed->name, true);
    hs_prompt_close(&ed->expr, true);
    ed->active = false;
    ed->msg[0] = '\0';
    ed->col = 0;
}

void
hs_feature_editor_release(struct hs_feature_editor *ed)
{
    hs_prompt_release(&ed->name);
    hs_prompt_release(&ed->expr);
    memset(ed, 0, sizeof *ed);
}

/* ---- drawing ---- */

/* hs_screen_put into the maxw columns left of a line: nothing when none
 * are (hs_screen_put takes a negative width as "to the edge"). */
static int
put_rest(struct hs_screen *s, int x, int y, int maxw, const char *str, enum hs_color color,
         unsigned attr)
{
    return maxw > 0 ? hs_screen_put(s, x, y, maxw, str, color, attr) : 0;
}

/* clang-format off */
enum field {
    F_ON, F_NAME, F_KIND, F_MEAN_S, F_SD_S, F_MEAN_B, F_SD_B, F_NA, F_SEP, F_AUC, F_CUT, F_EXPR,
    NFIELDS
};
/* clang-format on */

struct layout {
    bool on[NFIELDS];
    int w[NFIELDS], x[NFIELDS];
};

static int
total_width(const struct layout *l)
{
    int t = 0, n = 0;

    for (int i = 0; i < NFIELDS; i++)
        if (l->on[i]) {
            t += l->w[i];
            n++;
        }
    return t + (n > 1 ? n - 1 : 0);
}

/* Which columns fit in w: all at first, then, while too wide, the least
 * useful go (the expression, the sds, the kind, the missing count, the
 * means, the cut direction), the name narrows, and last the AUC. */
static void
layout_fields(const struct hs_features_view *fv, int x, int w, struct layout *l)
{
    static const enum field drop[][2] = {
        {F_SD_S, F_SD_B}, {F_KIND, F_KIND}, {F_NA, F_NA}, {F_MEAN_S, F_MEAN_B}, {F_CUT, F_CUT},
    };
    int namew = NAME_MIN_W, maxname = 0, cx = x;
    size_t miss = 0;

    for (size_t i = 0; i < fv->fs.n; i++) {
        int nw = hs_text_width(fv->fs.f[i].name);
        maxname = nw > maxname ? nw : maxname;
        if (fv->done[i] && fv->st[i].cls[HS_CLASS_ALL].missing > miss)
            miss = fv->st[i].cls[HS_CLASS_ALL].missing;
    }
    namew = maxname > namew ? (maxname > NAME_MAX_W ? NAME_MAX_W : maxname) : namew;
    memset(l, 0, sizeof *l);
    for (int i = 0; i < NFIELDS; i++)
        l->on[i] = true;
    l->w[F_ON] = 3;
    l->w[F_NAME] = namew;
    l->w[F_KIND] = 4;
    l->w[F_MEAN_S] = l->w[F_SD_S] = l->w[F_MEAN_B] = l->w[F_SD_B] = NUM_W;
    l->w[F_NA] = hs_ndigits(miss) > 2 ? hs_ndigits(miss) : 2;
    l->w[F_SEP] = l->w[F_AUC] = 6;
    l->w[F_CUT] = 3;
    l->on[F_EXPR] = false;
    if (!fv->labelled)
        l->on[F_MEAN_B] = l->on[F_SD_B] = l->on[F_SEP] = l->on[F_AUC] = l->on[F_CUT] = false;
    for (size_t d = 0; d < sizeof drop / sizeof drop[0] && total_width(l) > w; d++)
        l->on[drop[d][0]] = l->on[drop[d][1]] = false;
    while (total_width(l) > w && l->w[F_NAME] > 4)
        l->w[F_NAME]--;
    if (total_width(l) > w)
        l->on[F_AUC] = false;
    /* Room to spare: long names first, then the expressions. */
    if (total_width(l) < w && maxname > l->w[F_NAME]) {
        int grow = w - total_width(l), want = (maxname > NAME_WIDE_W ? NAME_WIDE_W : maxname);
        l->w[F_NAME] += grow < want - l->w[F_NAME] ? grow : want - l->w[F_NAME];
    }
    if (w - total_width(l) - 1 >= EXPR_MIN_W) {
        l->on[F_EXPR] = true;
        l->w[F_EXPR] = 0;
        l->w[F_EXPR] = w - total_width(l) - 1;
    }
    for (int i = 0; i < NFIELDS; i++) {
        if (!l->on[i])
            continue;
        l->x[i] = cx;
        cx += l->w[i] + 1;
    }
}

/* x in at most w columns: four significant digits, fewer if need be. */
static void
fmt_num(double x, int w, char *buf, size_t size)
{
    for (int prec = 4; prec >= 1; prec--) {
        snprintf(buf, size, "%.*g", prec, x);
        if ((int)strlen(buf) <= w)
            return;
    }
    hs_num_fit(x, w, buf, size);
}

static void
put_num(struct hs_screen *s, const struct layout *l, enum field f, int y, bool known, double x,
        enum hs_color color)
{
    char buf[64];

    if (!l->on[f])
        return;
    if (!known) {
        hs_screen_put_field(s, l->x[f], y, l->w[f], "…", HS_ALIGN_RIGHT, HS_COLOR_DIM, 0);
        return;
    }
    if (isnan(x)) {
        hs_screen_put_field(s, l->x[f], y, l->w[f], "-", HS_ALIGN_RIGHT, HS_COLOR_DIM, 0);
        return;
    }
    fmt_num(x, l->w[f], buf, sizeof buf);
    hs_screen_put_field(s, l->x[f], y, l->w[f], buf, HS_ALIGN_RIGHT, color, 0);
}

static void
draw_header(const struct hs_features_view *fv, const struct layout *l, struct hs_screen *s, int y)
{
    static const char *const heads[NFIELDS] = {
        "on", "feature", "kind", "mean sig", "sd sig", "mean bkg", "sd bkg",
        "NA", "sep",     "AUC",  "cut",      "expression",
    };
    static const enum hs_align align[NFIELDS] = {
        HS_ALIGN_LEFT,  HS_ALIGN_LEFT,  HS_ALIGN_LEFT,  HS_ALIGN_RIGHT,
        HS_ALIGN_RIGHT, HS_ALIGN_RIGHT, HS_ALIGN_RIGHT, HS_ALIGN_RIGHT,
        HS_ALIGN_RIGHT, HS_ALIGN_RIGHT, HS_ALIGN_RIGHT, HS_ALIGN_LEFT,
    };
    enum field sorted = fv->sort == HS_FSORT_SEPARATION ? F_SEP
                        : fv->sort == HS_FSORT_AUC      ? F_AUC
                        : fv->sort == HS_FSORT_NAME     ? F_NAME
                                                        : NFIELDS;

    for (int i = 0; i < NFIELDS; i++) {
        const char *h = heads[i];
        if (!l->on[i])
            continue;
        if (!fv->labelled && i == F_MEAN_S)
            h = "mean";
        else if (!fv->labelled && i == F_SD_S)
            h = "sd";
        hs_screen_put_field(s, l->x[i], y, l->w[i], h, align[i],
                            (int)sorted == i ? HS_COLOR_SELECTION : HS_COLOR_HEADER, HS_ATTR_BOLD);
    }
}

static void
draw_row(const struct hs_features_view *fv, const struct layout *l, size_t i, struct hs_screen *s,
         int y)
{
    const struct hs_feature *f = &fv->fs.f[i];
    const struct hs_featstats *st = &fv->st[i];
    bool known = fv->done[i];
    enum hs_color sig = fv->labelled ? HS_COLOR_SIGNAL : HS_COLOR_NORMAL;
    const struct hs_colstats *cs = &st->cls[fv->labelled ? HS_CLASS_SIGNAL : HS_CLASS_ALL];
    char buf[32];

    hs_screen_put_field(s, l->x[F_ON], y, l->w[F_ON], f->on ? "[x]" : "[ ]", HS_ALIGN_LEFT,
                        HS_COLOR_NORMAL, 0);
    hs_screen_put_field(s, l->x[F_NAME], y, l->w[F_NAME], f->name, HS_ALIGN_LEFT,
                        !f->on    ? HS_COLOR_DIM
                        : f->expr ? HS_COLOR_DERIVED
                                  : HS_COLOR_NORMAL,
                        f->on ? HS_ATTR_BOLD : 0);
    if (l->on[F_KIND])
        hs_screen_put_field(s, l->x[F_KIND], y, l->w[F_KIND],
                            f->kind == HS_FEATURE_LEARNED ? "lrn"
                            : f->expr                    ? "expr"
                                                         : "raw",
                            HS_ALIGN_LEFT, HS_COLOR_DIM, 0);
    put_num(s, l, F_MEAN_S, y, known, cs->mean, sig);
    put_num(s, l, F_SD_S, y, known, cs->sd, sig);
    put_num(s, l, F_MEAN_B, y, known, st->cls[HS_CLASS_BACKGROUND].mean, HS_COLOR_BACKGROUND);
    put_num(s, l, F_SD_B, y, known, st->cls[HS_CLASS_BACKGROUND].sd, HS_COLOR_BACKGROUND);
    if (l->on[F_NA]) {
        size_t miss = st->cls[HS_CLASS_ALL].missing;
        snprintf(buf, sizeof buf, "%zu", miss);
        hs_screen_put_field(s, l->x[F_NA], y, l->w[F_NA], known ? buf : "…", HS_ALIGN_RIGHT,
                            known && miss ? HS_COLOR_NORMAL : HS_COLOR_DIM, 0);
    }
    put_num(s, l, F_SEP, y, known, st->separation, HS_COLOR_NORMAL);
    put_num(s, l, F_AUC, y, known, st->auc, HS_COLOR_NORMAL);
    if (l->on[F_CUT])
        hs_screen_put_field(s, l->x[F_CUT], y, l->w[F_CUT],
                            !known || isnan(st->auc) ? ""
                            : st->direction > 0      ? ">"
                                                     : "<",
                            HS_ALIGN_RIGHT, HS_COLOR_NORMAL, HS_ATTR_BOLD);
    if (l->on[F_EXPR] && f->expr)
        hs_screen_put_field(s, l->x[F_EXPR], y, l->w[F_EXPR], f->expr, HS_ALIGN_LEFT, HS_COLOR_DIM,
                            0);
}

/* The title line: what is listed, how it is sorted, what is going on. */
static void
draw_title(const struct hs_features_view *fv, struct hs_screen *s, int x, int y, int w)
{
    size_t on = 0, pending = hs_features_view_pending(fv);
    const char *sortkey = hs_keys_key_for("features", "feature-sort");
    const char *addkey = hs_keys_key_for("features", "feature-new");
    char buf[256];
    int used;

    for (size_t i = 0; i < fv->fs.n; i++)
        on += fv->fs.f[i].on;
    snprintf(buf, sizeof buf, "%zu features, %zu on", fv->fs.n, on);
    used = hs_screen_put(s, x, y, w, buf, HS_COLOR_HEADER, HS_ATTR_BOLD);
    snprintf(buf, sizeof buf, "  sorted by %s%s%s%s", hs_feat_sort_name(fv->sort),
             sortkey ? " (" : "", sortkey ? sortkey : "", sortkey ? ")" : "");
    used += put_rest(s, x + used, y, w - used, buf, HS_COLOR_NORMAL, 0);
    if (pending && fv->stopped) {
        const char *again = hs_keys_key_for("features", "view features");
        snprintf(buf, sizeof buf, "  stopped%s%s%s", again ? ": " : "", again ? again : "",
                 again ? " resumes" : "");
        put_rest(s, x + used, y, w - used, buf, HS_COLOR_DIM, 0);
    } else if (pending) {
        put_rest(s, x + used, y, w - used, "  computing statistics…", HS_COLOR_DIM, 0);
    } else if (!fv->labelled) {
        put_rest(s, x + used, y, w - used, "  (unlabelled: no separation)", HS_COLOR_DIM, 0);
    } else if (addkey) {
        snprintf(buf, sizeof buf, "%s adds a derived feature", addkey);
        if (used + 2 + hs_text_width(buf) <= w)
            hs_screen_put(s, x + w - hs_text_width(buf), y, -1, buf, HS_COLOR_DIM, 0);
    }
}

/* The selected feature in two lines: what it is, then where its classes
 * lie. */
static void
draw_detail(const struct hs_features_view *fv, struct hs_screen *s, int x, int y, int w)
{
    const struct hs_feature *f = hs_features_view_current(fv);
    const struct hs_featstats *st;
    char a[32], b[32], c[32], d[32], e[32], g[32], buf[512];
    int used;

    hs_screen_fill(s, x, y, w, DETAIL_ROWS, HS_COLOR_NORMAL, 0);
    if (!f)
        return;
    used = hs_screen_put(s, x, y, w, f->name, f->expr ? HS_COLOR_DERIVED : HS_COLOR_NORMAL,
                         HS_ATTR_BOLD);
    if (f->expr) {
        used += put_rest(s, x + used, y, w - used, " = ", HS_COLOR_NORMAL, 0);
        if (w - used > 0)
            hs_screen_put_field(s, x + used, y, w - used, f->expr, HS_ALIGN_LEFT, HS_COLOR_NORMAL,
                                0);
    } else if (f->kind == HS_FEATURE_LEARNED) {
        put_rest(s, x + used, y, w - used,
                 ": learned, the stored model's score (an input only when named)", HS_COLOR_DIM,
                 0);
    } else {
        put_rest(s, x + used, y, w - used, ": a column of the data", HS_COLOR_DIM, 0);
    }
    st = &fv->st[fv->order[fv->sc.cur]];
    if (!fv->done[fv->order[fv->sc.cur]])
        return;
    if (fv->labelled) {
        const double *qs = st->quant[HS_CLASS_SIGNAL], *qb = st->quant[HS_CLASS_BACKGROUND];
        fmt_num(qs[2], 8, a, sizeof a);
        fmt_num(qb[2], 8, b, sizeof b);
        fmt_num(qs[0], 8, c, sizeof c);
        fmt_num(qs[4], 8, d, sizeof d);
        fmt_num(qb[0], 8, e, sizeof e);
        fmt_num(qb[4], 8, g, sizeof g);
        snprintf(buf, sizeof buf, "median sig %s bkg %s   5-95%% sig %s..%s bkg %s..%s", a, b, c, d,
                 e, g);
    } else {
        const double *q = st->quant[HS_CLASS_ALL];
        fmt_num(q[2], 8, a, sizeof a);
        fmt_num(q[0], 8, c, sizeof c);
        fmt_num(q[4], 8, d, sizeof d);
        snprintf(buf, sizeof buf, "median %s   5-95%% %s..%s", a, c, d);
    }
    if (st->cls[HS_CLASS_ALL].missing) {
        size_t len = strlen(buf);
        snprintf(buf + len, sizeof buf - len, "   %zu missing", st->cls[HS_CLASS_ALL].missing);
    }
    hs_screen_put_field(s, x, y + 1, w, buf, HS_ALIGN_LEFT, HS_COLOR_DIM, 0);
}

/* Split msg into lines of at most w columns at spaces; returns how many
 * (at most max), each a byte range of msg. */
static int
wrap(const char *msg, int w, int max, size_t start[], size_t len[])
{
    size_t at = 0, n = strlen(msg);
    int k = 0;

    while (at < n && k < max && w > 0) {
        size_t fit = hs_text_fit(msg + at, w), cut = fit;
        if (at + fit < n) {
            /* Break at the last space that fits, if there is one. */
            while (cut > 0 && msg[at + cut] != ' ')
                cut--;
            if (cut == 0)
                cut = fit;
        }
        start[k] = at;
        len[k] = cut;
        k++;
        at += cut;
        while (at < n && msg[at] == ' ')
            at++;
    }
    return k;
}

static int
editor_rows(const struct hs_feature_editor *ed, int w)
{
    size_t st[ERR_LINES_MAX], ln[ERR_LINES_MAX];

    if (!ed->msg[0])
        return 3;
    return 3 + (ed->col > 0) + wrap(ed->msg, w - 1, ERR_LINES_MAX, st, ln);
}

/* One field: a label, then the text scrolled so that the cursor shows.
 * Returns the byte offset of the first character shown. */
static size_t
draw_field(const struct hs_prompt *p, const char *label, bool active, struct hs_screen *s, int x,
           int y, int w, int labw)
{
    const char *text = hs_prompt_line(p);
    size_t start = 0;
    int avail = w - labw - 1;

    hs_screen_put_field(s, x, y, labw, label, HS_ALIGN_LEFT,
                        active ? HS_COLOR_SELECTION : HS_COLOR_HEADER, HS_ATTR_BOLD);
    if (avail < 1)
        return 0;
    for (;;) {
        char *head = strndup(text + start, p->pos - start);
        int hw = head ? hs_text_width(head) : 0;
        free(head);
        if (hw < avail || start >= p->pos)
            break;
        start++;
        while (start < p->pos && ((unsigned char)text[start] & 0xc0) == 0x80)
            start++;
    }
    hs_screen_put(s, x + labw + 1, y, avail, text + start, HS_COLOR_NORMAL, 0);
    if (active) {
        char *head = strndup(text + start, p->pos - start);
        hs_screen_set_cursor(s, x + labw + 1 + (head ? hs_text_width(head) : 0), y);
        free(head);
    }
    return start;
}

static void
draw_editor(const struct hs_feature_editor *ed, struct hs_screen *s, int x, int y, int w, int h)
{
    static const char *const help = "new feature: Enter adds, Tab next field, Esc cancels";
    const int labw = 10; /* "expression" */
    size_t st[ERR_LINES_MAX], ln[ERR_LINES_MAX], start;
    int row = y, n;

    hs_screen_fill(s, x, y, w, h, HS_COLOR_NORMAL, 0);
    hs_screen_put(s, x, row++, w, help, HS_COLOR_DIM, 0);
    draw_field(&ed->name, "name", !ed->on_expr, s, x, row++, w, labw);
    start = draw_field(&ed->expr, "expression", ed->on_expr, s, x, row, w, labw);
    row++;
    if (!ed->msg[0])
        return;
    if (ed->col > 0) {
        /* The caret under the character the error is about (it may be
         * one past the end: "unexpected end"). */
        const char *text = hs_prompt_line(&ed->expr);
        size_t at = char_offset(text, ed->col - 1);
        if (at >= start) {
            char *seg = strndup(text + start, at - start);
            int cx = x + labw + 1 + (seg ? hs_text_width(seg) : 0);
            free(seg);
            if (cx < x + w)
                hs_screen_put(s, cx, row, 1, "^", HS_COLOR_ERROR, HS_ATTR_BOLD);
        }
        row++;
    }
    n = wrap(ed->msg, w - 1, ERR_LINES_MAX, st, ln);
    for (int i = 0; i < n && row < y + h; i++, row++) {
        char *part = strndup(ed->msg + st[i], ln[i]);
        if (part)
            hs_screen_put_field(s, x, row, w, part, HS_ALIGN_LEFT, HS_COLOR_ERROR, 0);
        free(part);
    }
}

void
hs_features_view_draw(struct hs_features_view *fv, struct hs_screen *s, int x, int y, int w, int h)
{
    struct layout l;
    int bottom = 0, list;

    hs_screen_fill(s, x, y, w, h, HS_COLOR_NORMAL, 0);
    if (!fv->t || h < 2 || w < 1)
        return;
    if (fv->ed.active)
        bottom = editor_rows(&fv->ed, w);
    else if (h >= 8)
        bottom = DETAIL_ROWS;
    if (bottom > h - 2)
        bottom = h - 2 > 0 ? h - 2 : 0;
    list = h - 2 - bottom;

    draw_title(fv, s, x, y, w);
    layout_fields(fv, x, w, &l);
    draw_header(fv, &l, s, y + 1);
    if (fv->fs.n == 0) {
        hs_screen_put(s, x, y + 2, w, "(this dataset has no numeric columns)", HS_COLOR_DIM, 0);
    } else {
        hs_scroll_fit(&fv->sc, list);
        for (int r = 0; r < list && fv->sc.top + (size_t)r < fv->fs.n; r++) {
            size_t row = fv->sc.top + (size_t)r;
            draw_row(fv, &l, fv->order[row], s, y + 2 + r);
            if (row == fv->sc.cur)
                hs_screen_add_attr(s, x, y + 2 + r, w, HS_ATTR_REVERSE);
        }
    }
    if (fv->ed.active)
        draw_editor(&fv->ed, s, x, y + h - bottom, w, bottom);
    else if (bottom)
        draw_detail(fv, s, x, y + h - bottom, w);
}

/* ---- the view class ---- */

/* Enter in the feature editor: `feature add NAME EXPR` through the command
 * layer, as from the CLI, so that it is stored and journaled alike.  On
 * failure the error stays under the fields with the text. */
static void
editor_run(struct hs_tui *tui)
{
    struct hs_feature_editor *ed = &tui->feat.ed;
    char *name = strdup(hs_feature_editor_name(ed));
    const char *expr = hs_feature_editor_expr(ed);
    char *words[7], *line = NULL;
    struct hs_err err;
    int rc;

    if (!name || !tui->dsname) {
        hs_feature_editor_set_error(ed, name ? "no dataset is shown" : "out of memory", 0);
        free(name);
        return;
    }
    if (!*name) {
        hs_feature_editor_set_error(ed, "the feature needs a name", 0);
        free(name);
        return;
    }
    if (!*expr) {
        hs_feature_editor_set_error(ed, "type the expression, e.g. sqrt(px^2 + py^2)", 1);
        free(name);
        return;
    }
    words[0] = "feature";
    words[1] = "--dataset";
    words[2] = tui->dsname;
    words[3] = "add";
    words[4] = "--"; /* an expression may start with '-' */
    words[5] = name;
    words[6] = (char *)expr;
    if (!(line = hs_cmd_join(7, words))) {
        hs_feature_editor_set_error(ed, "out of memory", 0);
        free(name);
        return;
    }
    free(tui->feat.want);
    tui->feat.want = strdup(name); /* selected when the list reloads */
    tui->msg[0] = '\0';
    rc = hs_tui_run_line(tui, line, &err);
    free(tui->feat.want);
    tui->feat.want = NULL;
    if (rc != HS_OK) {
        hs_feature_editor_set_error(ed, err.msg, err.col);
    } else {
        hs_feature_editor_close(ed);
        if (!tui->msg[0] && !tui->overlay.open)
            hs_tui_message(tui, false, "added feature '%s'", name);
        hs_tui_prepare(tui);
    }
    free(line);
    free(name);
}

static void
features_init(struct hs_tui *tui, struct hs_view *view)
{
    view->data = &tui->feat;
    tui->feat.sel = &tui->where;
}

static void
features_release(struct hs_tui *tui, struct hs_view *view)
{
    (void)tui;
    hs_features_view_release(view->data);
}

static void
features_enter(struct hs_tui *tui, struct hs_view *view)
{
    struct hs_features_view *fv = view->data;

    (void)tui;
    fv->stopped = false; /* entering computes what a cancel left out */
}

/* The statistics missing, when shown (the feature list itself is the
 * TUI's: hs_tui_load_features). */
static void
features_prepare(struct hs_tui *tui, struct hs_view *view, unsigned changes)
{
    struct hs_features_view *fv = view->data;
    struct hs_task task;
    struct hs_err err;
    int rc;

    if (changes & HS_CHANGE_SELECTION)
        hs_features_view_forget(fv);
    if (!hs_tui_shown(tui, view->cls) || !fv->t || fv->stopped ||
        hs_features_view_pending(fv) == 0)
        return;
    hs_err_clear(&err);
    task = hs_tui_task(tui);
    rc = hs_features_view_compute(fv, &task, &err);
    hs_tui_sigint = 0;
    if (rc != HS_OK) {
        /* Not again on every key: entering the view again retries. */
        fv->stopped = true;
        if (rc == HS_ECANCELLED)
            hs_tui_message(tui, false, "feature statistics cancelled");
        else
            hs_tui_message(tui, true, "%s", err.msg[0] ? err.msg : hs_status_name(rc));
    }
    tui->dirty = true;
}

static unsigned
features_key(struct hs_tui *tui, struct hs_view *view, int code)
{
    struct hs_features_view *fv = view->data;
    enum hs_prompt_result r;

    if (!fv->ed.active)
        return HS_REACT_PASS;
    r = hs_feature_editor_key(&fv->ed, code);
    if (r == HS_PROMPT_RUN)
        editor_run(tui);
    else if (r == HS_PROMPT_CANCEL)
        hs_feature_editor_close(&fv->ed);
    return HS_REACT_REDRAW;
}

static void
features_move(struct hs_tui *tui, struct hs_view *view, enum hs_move m, size_t count)
{
    struct hs_features_view *fv = view->data;

    (void)tui;
    hs_scroll_move(&fv->sc, m, count);
}

static void
features_draw(struct hs_tui *tui, struct hs_view *view, struct hs_screen *s, struct hs_rect r)
{
    (void)tui;
    hs_features_view_draw(view->data, s, r.x, r.y, r.w, r.h);
}

static void
features_status(const struct hs_tui *tui, const struct hs_view *view, char *buf, size_t size)
{
    const struct hs_features_view *fv = view->data;
    const struct hs_feature *f = hs_features_view_current(fv);

    (void)tui;
    if (f)
        snprintf(buf, size, " feature %zu of %zu  %s %s", fv->sc.cur + 1, fv->fs.n, f->name,
                 f->on ? "on" : "off");
}

const struct hs_view_class hs_view_features_class = {
    .name = "features",
    .selection = true,
    .init = features_init,
    .release = features_release,
    .enter = features_enter,
    .prepare = features_prepare,
    .key = features_key,
    .move = features_move,
    .draw = features_draw,
    .status = features_status,
};

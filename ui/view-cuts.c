/* view-cuts.c: the cuts view, and its ties to the session.
 *
 * One row per enabled feature: its lower and upper cut, and its signal
 * and background histograms (one line each, a bar of eighth blocks per
 * column) with the kept range bright and the cut positions marked.  The
 * cut flow on the test part sits beside the rows (below them on a narrow
 * terminal).  The cut set stays bound (src/cuts.h), so a changed bound
 * costs one pass over the events and redraws within a frame even on a
 * million; only a cut that opens or closes for good re-binds.
 *
 * The rows and the flow are data here; the session is reached by
 * ui/tui-features.c (hs_tui_split, hs_tui_cuts_prepare, hs_tui_cuts_save),
 * through the command layer, so that a split made or a cut set saved is
 * journaled exactly as from the CLI.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "numparse.h"
#include "numround.h"
#include "plots/canvas.h"
#include "ui/view.h"

#define NAME_W_MAX 16
#define BOUND_W 10
#define FLOW_W 58      /* the flow panel's width beside the rows */
#define SIDE_MIN_W 110 /* narrower than this: the panel goes below the rows */
#define SAMPLE_ABOVE 200000

/* ---- state ---- */

static void
rows_free(struct hs_cuts_view *cv)
{
    for (size_t r = 0; r < cv->nrows; r++) {
        free(cv->rows[r].hist[0]);
        free(cv->rows[r].hist[1]);
    }
    free(cv->rows);
    cv->rows = NULL;
    cv->nrows = 0;
}

static void
unbind(struct hs_cuts_view *cv)
{
    hs_cuts_bound_free(cv->bound);
    cv->bound = NULL;
    free(cv->bound_row);
    cv->bound_row = NULL;
    cv->nbound = 0;
    if (cv->have_flow)
        hs_flow_release(&cv->flow);
    cv->have_flow = false;
}

/* The row cuts as a cut set, by feature names from the rows' names. */
static int
row_cutset(const struct hs_cuts_view *cv, const struct hs_featureset *fs, struct hs_cutset *dst,
           size_t *rowof, struct hs_err *err)
{
    size_t k = 0;
    int rc;

    memset(dst, 0, sizeof *dst);
    for (size_t r = 0; r < cv->nrows; r++) {
        const struct hs_cuts_row *row = &cv->rows[r];
        if (row->lo == -HUGE_VAL && row->hi == HUGE_VAL)
            continue;
        if ((rc = hs_cutset_add_range(dst, fs->f[row->feat].name, row->lo, row->hi, err)))
            goto fail;
        if (rowof)
            rowof[k] = r;
        k++;
    }
    for (size_t e = 0; e < cv->extra.n; e++) {
        const struct hs_cut *c = &cv->extra.cuts[e];
        rc = c->kind == HS_CUT_EXPR ? hs_cutset_add_expr(dst, c->expr, err)
                                    : hs_cutset_add_range(dst, c->feature, c->lo, c->hi, err);
        if (rc)
            goto fail;
        if (rowof)
            rowof[k] = SIZE_MAX;
        k++;
    }
    return HS_OK;
fail:
    hs_cutset_release(dst);
    memset(dst, 0, sizeof *dst);
    return rc;
}

int
hs_cuts_view_cutset(const struct hs_cuts_view *cv, const struct hs_features_view *fv,
                    struct hs_cutset *dst, struct hs_err *err)
{
    return row_cutset(cv, &fv->fs, dst, NULL, err);
}

void
hs_cuts_view_reset(struct hs_cuts_view *cv)
{
    if (cv->loaded && cv->nrows) {
        /* What the user set stays for the next load, should the session
         * not have it (no session, or a save that failed). */
        struct hs_cutset cs;
        if (cv->bound && hs_cutset_copy(&cs, hs_cuts_bound_set(cv->bound), NULL) == HS_OK) {
            if (cv->have_keep)
                hs_cutset_release(&cv->keep);
            cv->keep = cs;
            cv->have_keep = true;
        }
    }
    unbind(cv);
    rows_free(cv);
    hs_cutset_release(&cv->extra);
    memset(&cv->extra, 0, sizeof cv->extra);
    if (cv->have_split)
        hs_split_release(&cv->split);
    cv->have_split = false;
    free(cv->test);
    cv->test = NULL;
    cv->loaded = false;
    cv->editing = false;
    cv->foreign = false;
    cv->msg[0] = '\0';
}

void
hs_cuts_view_release(struct hs_cuts_view *cv)
{
    hs_cuts_view_reset(cv);
    if (cv->have_keep)
        hs_cutset_release(&cv->keep);
    hs_prompt_release(&cv->edit);
    memset(cv, 0, sizeof *cv);
}

/* ---- rows ---- */

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double
round4(double x)
{
    char buf[32];

    if (!isfinite(x) || x == 0)
        return x;
    snprintf(buf, sizeof buf, "%.4g", x);
    return strtod(buf, NULL);
}

/* Percentiles and the histogram range of the finite values of v (from
 * every k-th of them on many events: a picture and a step, not a
 * statistic). */
static int
row_quantiles(struct hs_cuts_row *row, const double *v, size_t n, struct hs_err *err)
{
    size_t k = n > SAMPLE_ABOVE ? (n + SAMPLE_ABOVE - 1) / SAMPLE_ABOVE : 1, m = 0, finite = 0;
    double *s = malloc((n / k + 1) * sizeof *s);

    if (!s)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]) && finite++ % k == 0)
            s[m++] = v[i];
    qsort(s, m, sizeof *s, cmp_double);
    /* Steps to four significant digits: cuts that read well ("< 74.7",
     * not "< 74.69513803120122") and are still a percentile apart. */
    for (int i = 0; i < HS_CUTS_NQ; i++)
        row->q[i] = m ? round4(s[(size_t)llround((double)(m - 1) * i / (HS_CUTS_NQ - 1))]) : NAN;
    if (m) {
        row->xlo = s[(size_t)((double)(m - 1) * 0.001)];
        row->xhi = s[(size_t)((double)(m - 1) * 0.999 + 0.5)];
        if (!(row->xhi > row->xlo)) {
            row->xlo = s[0];
            row->xhi = s[m - 1];
        }
        if (!(row->xhi > row->xlo)) {
            row->xlo -= 0.5;
            row->xhi += 0.5;
        }
    } else {
        row->xlo = 0;
        row->xhi = 1;
    }
    free(s);
    return HS_OK;
}

/* Bind the cut set of the rows and extras and evaluate its flow. */
static int
rebind(struct hs_cuts_view *cv, struct hs_features_view *fv, const struct hs_task *task,
       struct hs_err *err)
{
    struct hs_cutset cs;
    size_t *rowof;
    int rc;

    unbind(cv);
    cv->msg[0] = '\0';
    if (!(rowof = malloc((cv->nrows + cv->extra.n + 1) * sizeof *rowof)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if ((rc = row_cutset(cv, &fv->fs, &cs, rowof, err))) {
        free(rowof);
        return rc;
    }
    rc = hs_cuts_bind(&fv->fs, &cs, &cv->bound, task, err);
    hs_cutset_release(&cs);
    if (rc) {
        free(rowof);
        cv->bound = NULL;
        snprintf(cv->msg, sizeof cv->msg, "%s", err && err->msg[0] ? err->msg : "cannot bind");
        return rc;
    }
    cv->bound_row = rowof;
    cv->nbound = hs_cuts_bound_set(cv->bound)->n;
    if ((rc = hs_cuts_flow(cv->bound, cv->have_split ? cv->test : NULL, &cv->flow, task, err))) {
        snprintf(cv->msg, sizeof cv->msg, "%s", err && err->msg[0] ? err->msg : "no flow");
        return rc;
    }
    cv->have_flow = true;
    return HS_OK;
}

/* Only the flow again: the bounds changed, the set's shape did not. */
static int
reflow(struct hs_cuts_view *cv, struct hs_err *err)
{
    struct hs_flow flow;
    int rc = hs_cuts_flow(cv->bound, cv->have_split ? cv->test : NULL, &flow, NULL, err);

    if (rc) {
        snprintf(cv->msg, sizeof cv->msg, "%s", err && err->msg[0] ? err->msg : "no flow");
        return rc;
    }
    if (cv->have_flow)
        hs_flow_release(&cv->flow);
    cv->flow = flow;
    cv->have_flow = true;
    cv->msg[0] = '\0';
    return HS_OK;
}

static long
row_of_feature(const struct hs_cuts_view *cv, const struct hs_featureset *fs, const char *name)
{
    for (size_t r = 0; r < cv->nrows; r++)
        if (strcmp(fs->f[cv->rows[r].feat].name, name) == 0)
            return (long)r;
    return -1;
}

/* Rows take cs's range cuts on their features (the first on each), the
 * rest become extra cuts. */
static int
take_cuts(struct hs_cuts_view *cv, const struct hs_featureset *fs, const struct hs_cutset *cs,
          struct hs_err *err)
{
    bool *set = calloc(cv->nrows + 1, sizeof *set);
    int rc = HS_OK;

    if (!set)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t k = 0; cs && k < cs->n && rc == HS_OK; k++) {
        const struct hs_cut *c = &cs->cuts[k];
        long r = c->kind == HS_CUT_RANGE ? row_of_feature(cv, fs, c->feature) : -1;
        if (r >= 0 && !set[r]) {
            cv->rows[r].lo = c->lo;
            cv->rows[r].hi = c->hi;
            set[r] = true;
        } else if (c->kind == HS_CUT_EXPR) {
            rc = hs_cutset_add_expr(&cv->extra, c->expr, err);
        } else {
            rc = hs_cutset_add_range(&cv->extra, c->feature, c->lo, c->hi, err);
        }
    }
    free(set);
    return rc;
}

int
hs_cuts_view_load(struct hs_cuts_view *cv, struct hs_features_view *fv, const char *dsname,
                  const struct hs_split *sp, const struct hs_cutset *cs,
                  const struct hs_task *task, struct hs_err *err)
{
    const struct hs_table *t = fv->t;
    bool keep = cv->have_keep && dsname && strcmp(cv->dataset, dsname) == 0;
    struct hs_cutset kept = {0};
    int rc = HS_OK;

    /* The kept cuts survive the reset below. */
    if (keep && !cs) {
        kept = cv->keep;
        cv->have_keep = false;
        memset(&cv->keep, 0, sizeof cv->keep);
        cs = &kept;
    }
    hs_cuts_view_reset(cv);
    snprintf(cv->dataset, sizeof cv->dataset, "%s", dsname ? dsname : "");
    if (!cv->name[0])
        snprintf(cv->name, sizeof cv->name, "%s", HS_CUTS_VIEW_NAME);
    cv->labelled = t && hs_table_label(t) != NULL;
    if (!t || !cv->labelled) {
        cv->loaded = true;
        goto done;
    }
    if (!(cv->rows = calloc(fv->fs.n + 1, sizeof *cv->rows))) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < fv->fs.n && rc == HS_OK; i++) {
        size_t idx = fv->order ? fv->order[i] : i;
        const struct hs_feature *f = &fv->fs.f[idx];
        struct hs_cuts_row *row = &cv->rows[cv->nrows];
        const double *v;

        if (!f->on || (f->col >= 0 && t->cols[f->col].kind != HS_COL_NUMBER))
            continue;
        if ((rc = hs_featureset_values(&fv->fs, idx, &v, task, err)))
            break;
        row->feat = idx;
        row->lo = -HUGE_VAL;
        row->hi = HUGE_VAL;
        if ((rc = row_quantiles(row, v, t->nrows, err)))
            break;
        cv->nrows++;
    }
    if (rc == HS_OK && sp) {
        if (!(cv->test = malloc(t->nrows + 1))) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto done;
        }
        hs_split_mask(sp, HS_ON_TEST, t->nrows, cv->test);
        cv->split.frac[0] = sp->frac[0];
        cv->split.frac[1] = sp->frac[1];
        cv->split.frac[2] = sp->frac[2];
        cv->split.seed = sp->seed;
        cv->split.n = sp->n;
        memcpy(cv->split.count, sp->count, sizeof cv->split.count);
        if (!(cv->split.part = malloc(sp->n + 1))) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto done;
        }
        memcpy(cv->split.part, sp->part, sp->n);
        cv->have_split = true;
    }
    if (rc == HS_OK)
        rc = take_cuts(cv, &fv->fs, cs, err);
    if (rc == HS_OK)
        rc = rebind(cv, fv, task, err);
    if (rc == HS_OK || rc == HS_EUSAGE || rc == HS_ENOTFOUND || rc == HS_EDATA) {
        /* A stored cut that does not bind is shown as the reason, not a
         * failure to load: the rows can still be edited. */
        cv->loaded = true;
        rc = HS_OK;
    }
done:
    if (rc == HS_OK && !cv->loaded)
        cv->loaded = true;
    if (cv->sc.cur >= cv->nrows)
        cv->sc.cur = 0;
    cv->sc.n = cv->nrows;
    if (kept.cuts || kept.n)
        hs_cutset_release(&kept);
    return rc;
}

int
hs_cuts_view_set_bound(struct hs_cuts_view *cv, struct hs_features_view *fv, size_t r,
                       int which, double x, struct hs_err *err)
{
    struct hs_cuts_row *row;
    double lo, hi;
    bool was, now;
    char a[HS_NUM_BUF], b[HS_NUM_BUF];

    if (r >= cv->nrows)
        return hs_err_set(err, HS_EUSAGE, "no such row");
    if (isnan(x))
        return hs_err_set(err, HS_EUSAGE, "a cut cannot be NaN");
    row = &cv->rows[r];
    lo = which ? row->lo : x;
    hi = which ? x : row->hi;
    if (which == 0 && lo == HUGE_VAL)
        return hs_err_set(err, HS_EUSAGE, "the lower cut cannot be +inf");
    if (which == 1 && hi == -HUGE_VAL)
        return hs_err_set(err, HS_EUSAGE, "the upper cut cannot be -inf");
    if (!(lo < hi)) {
        hs_num_format(lo, a);
        hs_num_format(hi, b);
        return hs_err_set(err, HS_EUSAGE,
                          "%s: the lower cut (%s) must be below the upper cut (%s)",
                          fv->fs.f[row->feat].name, a, b);
    }
    was = row->lo != -HUGE_VAL || row->hi != HUGE_VAL;
    now = lo != -HUGE_VAL || hi != HUGE_VAL;
    row->lo = lo;
    row->hi = hi;
    cv->unsaved = true;
    if (was && now && cv->bound) {
        for (size_t k = 0; k < cv->nbound; k++)
            if (cv->bound_row[k] == r) {
                if (hs_cuts_bound_set_range(cv->bound, k, lo, hi, err) != HS_OK)
                    break;
                return reflow(cv, err);
            }
    }
    return rebind(cv, fv, NULL, err);
}

int
hs_cuts_view_nudge(struct hs_cuts_view *cv, struct hs_features_view *fv, size_t r, int which,
                   int dir, double *x, struct hs_err *err)
{
    const struct hs_cuts_row *row;
    double cur, next = NAN;

    if (r >= cv->nrows)
        return hs_err_set(err, HS_EUSAGE, "no feature to cut");
    row = &cv->rows[r];
    if (isnan(row->q[0]))
        return hs_err_set(err, HS_EUSAGE, "%s has no values", fv->fs.f[row->feat].name);
    cur = which ? row->hi : row->lo;
    if (dir > 0) {
        for (int i = 0; i < HS_CUTS_NQ && isnan(next); i++)
            if (row->q[i] > cur)
                next = row->q[i];
        if (isnan(next))
            next = which ? HUGE_VAL : cur; /* past the top: the upper cut opens */
    } else {
        for (int i = HS_CUTS_NQ - 1; i >= 0 && isnan(next); i--)
            if (row->q[i] < cur)
                next = row->q[i];
        if (isnan(next))
            next = which ? cur : -HUGE_VAL; /* below the bottom: the lower cut opens */
    }
    *x = next;
    if (next == cur)
        return HS_OK;
    return hs_cuts_view_set_bound(cv, fv, r, which, next, err);
}

int
hs_cuts_view_set_box(struct hs_cuts_view *cv, struct hs_features_view *fv, size_t n,
                     const char *const *names, const double *lo, const double *hi,
                     struct hs_err *err)
{
    for (size_t r = 0; r < cv->nrows; r++) {
        cv->rows[r].lo = -HUGE_VAL;
        cv->rows[r].hi = HUGE_VAL;
    }
    for (size_t k = 0; k < n; k++) {
        long r = row_of_feature(cv, &fv->fs, names[k]);
        if (r < 0 || !(lo[k] < hi[k]))
            continue;
        cv->rows[r].lo = lo[k];
        cv->rows[r].hi = hi[k];
    }
    hs_cutset_release(&cv->extra);
    memset(&cv->extra, 0, sizeof cv->extra);
    cv->unsaved = true;
    return rebind(cv, fv, NULL, err);
}

int
hs_cuts_view_set_cuts(struct hs_cuts_view *cv, struct hs_features_view *fv,
                      const struct hs_cutset *cs, struct hs_err *err)
{
    int rc;

    for (size_t r = 0; r < cv->nrows; r++) {
        cv->rows[r].lo = -HUGE_VAL;
        cv->rows[r].hi = HUGE_VAL;
    }
    hs_cutset_release(&cv->extra);
    memset(&cv->extra, 0, sizeof cv->extra);
    if ((rc = take_cuts(cv, &fv->fs, cs, err)) != HS_OK)
        return rc;
    return rebind(cv, fv, NULL, err);
}

int
hs_cuts_parse_bound(const char *text, int which, double *x, struct hs_err *err)
{
    size_t a = 0, b = strlen(text);

    while (a < b && (text[a] == ' ' || text[a] == '\t'))
        a++;
    while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t'))
        b--;
    if (a == b) {
        *x = which ? HUGE_VAL : -HUGE_VAL;
        return HS_OK;
    }
    if (hs_num_parse(text + a, b - a, x) != HS_OK || isnan(*x))
        return hs_err_set(err, HS_EUSAGE, "'%.*s' is not a number (leave it empty for no cut)",
                          (int)(b - a), text + a);
    if (which == 0 && *x == HUGE_VAL)
        return hs_err_set(err, HS_EUSAGE, "the lower cut cannot be +inf");
    if (which == 1 && *x == -HUGE_VAL)
        return hs_err_set(err, HS_EUSAGE, "the upper cut cannot be -inf");
    return HS_OK;
}

void
hs_cuts_view_move(struct hs_cuts_view *cv, enum hs_move m, size_t count)
{
    cv->sc.n = cv->nrows;
    if (m == HS_MOVE_LEFT || m == HS_MOVE_FIRST_COLUMN)
        cv->col = 0;
    else if (m == HS_MOVE_RIGHT || m == HS_MOVE_LAST_COLUMN)
        cv->col = 1;
    else
        hs_scroll_move(&cv->sc, m, count);
}

const char *
hs_cuts_view_current(const struct hs_cuts_view *cv, const struct hs_features_view *fv)
{
    return cv->sc.cur < cv->nrows ? fv->fs.f[cv->rows[cv->sc.cur].feat].name : NULL;
}

bool
hs_cuts_view_hit(const struct hs_cuts_view *cv, int x, int y, size_t *row, double *value)
{
    size_t r;
    const struct hs_cuts_row *rw;

    if (!cv->loaded || cv->hist_w <= 0 || y < cv->list_y || x < cv->hist_x ||
        x >= cv->hist_x + cv->hist_w)
        return false;
    r = cv->sc.top + (size_t)((y - cv->list_y) / 2);
    if (r >= cv->nrows || (size_t)((y - cv->list_y) / 2) >= (size_t)(cv->sc.page > 0 ? cv->sc.page : 1))
        return false;
    rw = &cv->rows[r];
    *row = r;
    *value = rw->xlo + ((double)(x - cv->hist_x) + 0.5) / cv->hist_w * (rw->xhi - rw->xlo);
    return true;
}

/* ---- drawing ---- */

/* Bin row r's values over the test part (all events without a split)
 * into nb columns: background and signal, weighted. */
static void
bin_row(struct hs_cuts_view *cv, struct hs_features_view *fv, struct hs_cuts_row *row, size_t nb)
{
    const struct hs_table *t = fv->t;
    const double *label = hs_table_label(t), *weight = hs_table_weight(t), *v;
    double scale;

    if (row->nbins == nb && row->hist[0])
        return;
    free(row->hist[0]);
    free(row->hist[1]);
    row->hist[0] = calloc(nb, sizeof *row->hist[0]);
    row->hist[1] = calloc(nb, sizeof *row->hist[1]);
    row->nbins = nb;
    if (!row->hist[0] || !row->hist[1] || !label ||
        hs_featureset_values(&fv->fs, row->feat, &v, NULL, NULL) != HS_OK) {
        free(row->hist[0]);
        free(row->hist[1]);
        row->hist[0] = row->hist[1] = NULL;
        return;
    }
    scale = (double)nb / (row->xhi - row->xlo);
    for (size_t i = 0; i < t->nrows; i++) {
        double b;
        if ((cv->have_split && !cv->test[i]) || !isfinite(v[i]) ||
            (label[i] != 0 && label[i] != 1))
            continue;
        b = (v[i] - row->xlo) * scale;
        if (b < 0 || b >= (double)nb)
            continue;
        row->hist[label[i] == 1][(size_t)b] += weight ? weight[i] : 1;
    }
}

static void
draw_bars(struct hs_screen *s, int x, int y, const struct hs_cuts_row *row, int cls, int nb,
          bool ascii)
{
    static const char *const blocks[9] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    static const char *const ramp[9] = {" ", ".", ".", ":", "-", "=", "+", "*", "#"};
    const double *h = row->hist[cls];
    double max = 0, w = (row->xhi - row->xlo) / nb;

    for (int i = 0; i < nb; i++)
        max = h[i] > max ? h[i] : max;
    for (int i = 0; i < nb; i++) {
        double centre = row->xlo + (i + 0.5) * w;
        bool kept = centre >= row->lo && centre < row->hi;
        int level = max > 0 && h[i] > 0 ? (int)ceil(8 * h[i] / max) : 0;
        const char *g;

        level = level > 8 ? 8 : level;
        g = ascii ? ramp[level] : blocks[level];
        if (!kept && level == 0)
            g = ascii ? " " : "·";
        hs_screen_put(s, x + i, y, 1, g,
                      !kept ? HS_COLOR_DIM : cls ? HS_COLOR_SIGNAL : HS_COLOR_BACKGROUND, 0);
    }
    /* The cuts themselves, where they fall inside the range. */
    for (int b = 0; b < 2; b++) {
        double c = b ? row->hi : row->lo;
        double at = (c - row->xlo) / w;
        if (!isfinite(c) || at < 0 || at > nb)
            continue;
        int col = (int)at >= nb ? nb - 1 : (int)at;
        hs_screen_put(s, x + col, y, 1, ascii ? "|" : "│", HS_COLOR_HEADER, HS_ATTR_BOLD);
    }
}

static void
bound_text(double v, char *buf, size_t size)
{
    if (v == -HUGE_VAL)
        snprintf(buf, size, "-inf");
    else if (v == HUGE_VAL)
        snprintf(buf, size, "+inf");
    else {
        char num[HS_NUM_BUF];
        hs_num_show(v, num);
        if ((int)strlen(num) <= BOUND_W)
            snprintf(buf, size, "%s", num);
        else
            hs_num_fit(v, BOUND_W, buf, size);
    }
}

/* A weighted count (whole numbers in full), an efficiency or a ratio:
 * hs_num_show's digits; "-" when there is none. */
static void
count_text(double v, char *buf, size_t size)
{
    char num[HS_NUM_BUF];

    if (isnan(v))
        snprintf(buf, size, "-");
    else if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, size, "%.0f", v);
    else {
        hs_num_show(v, num);
        snprintf(buf, size, "%s", num);
    }
}

static void
eff_text(double v, char *buf, size_t size)
{
    count_text(v, buf, size);
}

/* A cut in a few columns: the name first and hs_num_show's digits, so
 * that the panel shows what is cut ("vx in [-1.46, 1.293)"). */
static char *
short_desc(const struct hs_cut *c)
{
    char lo[HS_NUM_BUF], hi[HS_NUM_BUF];
    char *out;
    size_t n;

    if (c->kind != HS_CUT_RANGE)
        return hs_cut_describe(c);
    n = strlen(c->feature) + 2 * HS_NUM_BUF + 16;
    if (!(out = hs_malloc(n)))
        return NULL;
    hs_num_show(c->lo, lo);
    hs_num_show(c->hi, hi);
    if (c->lo == -HUGE_VAL)
        snprintf(out, n, "%s < %s", c->feature, hi);
    else if (c->hi == HUGE_VAL)
        snprintf(out, n, "%s >= %s", c->feature, lo);
    else
        snprintf(out, n, "%s in [%s, %s)", c->feature, lo, hi);
    return out;
}

/* The flow table's columns beside the cut's label: "%2s " and the four
 * numbers with their spaces. */
#define FLOW_FIXED_W (2 + 3 + 1 + 8 + 1 + 8 + 1 + 7 + 1 + 7)

/* The widest cut label of the flow: the panel takes that much room when
 * the screen has it, so that no label is cut short needlessly. */
static int
flow_label_width(const struct hs_cuts_view *cv)
{
    const struct hs_cutset *cs = cv->bound ? hs_cuts_bound_set(cv->bound) : NULL;
    int w = 0;

    for (size_t k = 0; cs && cv->have_flow && k < cs->n; k++) {
        char *desc = short_desc(&cs->cuts[k]);
        int dw = desc ? hs_text_width(desc) : 0;
        w = dw > w ? dw : w;
        hs_free(desc);
    }
    return w;
}

/* The flow panel: h rows at (x, y), w wide. */
static void
draw_flow(struct hs_cuts_view *cv, struct hs_screen *s, int x, int y, int w, int h)
{
    const struct hs_flow *fl = &cv->flow;
    const struct hs_cutset *cs = cv->bound ? hs_cuts_bound_set(cv->bound) : NULL;
    const struct hs_flow_step *z, *e;
    char a[48], b[48], c[48], d[48];
    int cutw = w - FLOW_FIXED_W, yy = y, last = y + h;

    if (h < 2 || w < 20)
        return;
    if (!cv->have_flow) {
        hs_screen_put(s, x + 1, yy++, w - 1, "Cut flow", HS_COLOR_HEADER, HS_ATTR_BOLD);
        hs_screen_put(s, x + 1, yy, w - 1, cv->msg[0] ? cv->msg : "(no flow)", HS_COLOR_ERROR, 0);
        return;
    }
    z = &fl->step[0];
    e = &fl->step[fl->nsteps - 1];
    count_text(z->sig, a, sizeof a);
    count_text(z->bkg, b, sizeof b);
    hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_HEADER, HS_ATTR_BOLD,
                     "Cut flow on %s: %s signal, %s background",
                     cv->have_split ? "test" : "all events", a, b);
    if (yy < last && cutw >= 6) {
        hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_HEADER, 0, "%2s %-*s %8s %8s %7s %7s",
                         "#", cutw, "cut", "signal", "backgr", "S eff", "B eff");
        /* The steps; the last ones matter most when they do not all fit. */
        size_t room = (size_t)(last - yy > 6 ? last - yy - 6 : 1), first = 0;
        if (fl->nsteps > room)
            first = fl->nsteps - room;
        for (size_t k = first; k < fl->nsteps && yy < last; k++) {
            const struct hs_flow_step *st = &fl->step[k];
            char *desc = k ? short_desc(&cs->cuts[k - 1]) : NULL;
            count_text(st->sig, a, sizeof a);
            count_text(st->bkg, b, sizeof b);
            eff_text(st->sig_eff, c, sizeof c);
            eff_text(st->bkg_eff, d, sizeof d);
            hs_screen_printf(s, x + 1, yy, w - 1, HS_COLOR_NORMAL, 0, "%2zu %-*s %8s %8s %7s %7s",
                             k, cutw, "", a, b, c, d);
            hs_screen_put(s, x + 4, yy, cutw, k ? (desc ? desc : "?") : "all events",
                          k ? HS_COLOR_NORMAL : HS_COLOR_DIM, 0);
            hs_free(desc);
            yy++;
        }
    }
    yy++;
    if (yy < last) {
        count_text(e->sig, a, sizeof a);
        count_text(z->sig, b, sizeof b);
        eff_text(e->sig_eff, c, sizeof c);
        hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_SIGNAL, HS_ATTR_BOLD,
                         "signal efficiency      %-8s (%s of %s)", c, a, b);
    }
    if (yy < last) {
        count_text(e->bkg, a, sizeof a);
        count_text(z->bkg, b, sizeof b);
        eff_text(e->bkg_eff, c, sizeof c);
        hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_BACKGROUND, HS_ATTR_BOLD,
                         "background efficiency  %-8s (%s of %s)", c, a, b);
    }
    if (yy < last) {
        eff_text(e->rejection, c, sizeof c);
        hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_NORMAL, 0, "rejection              %s",
                         c);
    }
    if (yy < last) {
        eff_text(e->s_over_b, a, sizeof a);
        eff_text(e->s_sqrt_b, b, sizeof b);
        eff_text(e->s_sqrt_sb, c, sizeof c);
        hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_NORMAL, 0,
                         "S/B %s  S/sqrt(B) %s  S/sqrt(S+B) %s", a, b, c);
    }
    if (yy < last && fl->nmissing)
        hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_DIM, 0,
                         "%zu events fail a cut only by a missing value", fl->nmissing);
    if (yy < last && cv->extra.n)
        hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_DIM, 0,
                         "%zu cut%s not on a row (kept as stored)", cv->extra.n,
                         cv->extra.n == 1 ? "" : "s");
}

void
hs_cuts_view_draw(struct hs_cuts_view *cv, struct hs_features_view *fv, int mode,
                  struct hs_screen *s, int x, int y, int w, int h)
{
    bool side = w >= SIDE_MIN_W, ascii = mode == HS_CANVAS_ASCII;
    int namew = 4, listw, listh, flowh = 0, histw, hx, yy, flow_w = FLOW_W;
    char head[300];

    hs_screen_fill(s, x, y, w, h, HS_COLOR_NORMAL, 0);
    cv->hist_w = 0;
    if (h < 4)
        return;
    if (!fv->t) {
        hs_screen_put(s, x + 1, y + 1, w - 1, "(no dataset is shown)", HS_COLOR_DIM, 0);
        return;
    }
    if (!cv->labelled && cv->loaded) {
        hs_screen_put(s, x + 1, y + 1, w - 1,
                      "Cuts need a labelled dataset: signal and background events "
                      "(import with --label COLUMN).",
                      HS_COLOR_DIM, 0);
        return;
    }
    if (!cv->loaded) {
        hs_screen_put(s, x + 1, y + 1, w - 1, cv->msg[0] ? cv->msg : "(loading the cuts...)",
                      cv->msg[0] ? HS_COLOR_ERROR : HS_COLOR_DIM, 0);
        return;
    }
    snprintf(head, sizeof head, "Cut set '%s'  %zu feature%s  %s", cv->name, cv->nrows,
             cv->nrows == 1 ? "" : "s",
             cv->unsaved ? "(not saved yet)" : "(saved in the session)");
    hs_screen_put(s, x + 1, y, w - 1, head, HS_COLOR_HEADER, HS_ATTR_BOLD);
    if (cv->nrows == 0) {
        hs_screen_put(s, x + 1, y + 2, w - 1,
                      "(no feature is enabled: turn some on in the features view)", HS_COLOR_DIM,
                      0);
        return;
    }
    for (size_t r = 0; r < cv->nrows; r++) {
        int n = hs_text_width(fv->fs.f[cv->rows[r].feat].name);
        namew = n > namew ? n : namew;
    }
    namew = namew > NAME_W_MAX ? NAME_W_MAX : namew;
    if (side) {
        /* A wider panel for long cut labels, while the rows keep their
         * names, bounds and a histogram of some use. */
        int want = FLOW_FIXED_W + flow_label_width(cv) + 1;
        int room = w - 1 - (1 + namew + 1 + BOUND_W + 1 + BOUND_W + 2 + 24);
        flow_w = want > room ? room : want;
        flow_w = flow_w < FLOW_W ? FLOW_W : flow_w;
        listw = w - flow_w - 1;
        listh = h - 2;
    } else {
        flowh = cv->have_flow ? (int)cv->flow.nsteps + 8 : 3;
        flowh = flowh > h / 2 ? h / 2 : flowh;
        listw = w;
        listh = h - 2 - flowh;
    }
    hx = x + 1 + namew + 1 + BOUND_W + 1 + BOUND_W + 2;
    histw = x + listw - hx - 1;
    yy = y + 1;
    hs_screen_printf(s, x + 1, yy, listw - 1, HS_COLOR_HEADER, 0, "%-*s %*s %*s  %s", namew,
                     "feature", BOUND_W, "lower", BOUND_W, "upper",
                     histw >= 30 ? "signal / background (test part)" : histw >= 18 ? "signal / background" : "");
    yy++;
    hs_scroll_fit(&cv->sc, listh / 2 > 0 ? listh / 2 : 1);
    cv->list_y = yy;
    cv->hist_x = hx;
    cv->hist_w = histw >= 4 ? histw : 0;
    for (size_t r = cv->sc.top; r < cv->nrows && yy + 1 < y + 2 + listh; r++, yy += 2) {
        struct hs_cuts_row *row = &cv->rows[r];
        bool cur = r == cv->sc.cur;
        char lo[HS_NUM_BUF + 8], hi[HS_NUM_BUF + 8];
        int bx[2] = {x + 1 + namew + 1, x + 1 + namew + 1 + BOUND_W + 1};

        hs_screen_put_field(s, x + 1, yy, namew, fv->fs.f[row->feat].name, HS_ALIGN_LEFT,
                            fv->fs.f[row->feat].expr ? HS_COLOR_DERIVED : HS_COLOR_NORMAL,
                            cur ? HS_ATTR_BOLD | HS_ATTR_REVERSE : 0);
        bound_text(row->lo, lo, sizeof lo);
        bound_text(row->hi, hi, sizeof hi);
        for (int b = 0; b < 2; b++) {
            bool open = b ? row->hi == HUGE_VAL : row->lo == -HUGE_VAL;
            bool here = cur && cv->col == b;
            hs_screen_put_field(s, bx[b], yy, BOUND_W, b ? hi : lo, HS_ALIGN_RIGHT,
                                here ? HS_COLOR_SELECTION : open ? HS_COLOR_DIM : HS_COLOR_NORMAL,
                                here ? HS_ATTR_BOLD : 0);
        }
        if (cur && cv->editing) {
            /* The editor in the cell: the text and the cursor. */
            const char *text = hs_prompt_line(&cv->edit);
            int tw = hs_text_width(text), at = bx[cv->col];
            int start = tw > BOUND_W - 1 ? tw - (BOUND_W - 1) : 0;
            hs_screen_fill(s, at, yy, BOUND_W, 1, HS_COLOR_SELECTION, HS_ATTR_REVERSE);
            hs_screen_put(s, at, yy, BOUND_W, text + hs_text_fit(text, start), HS_COLOR_SELECTION,
                          HS_ATTR_REVERSE);
            hs_screen_set_cursor(s, at + (tw - start < BOUND_W ? tw - start : BOUND_W - 1), yy);
        }
        if (cv->hist_w) {
            bin_row(cv, fv, row, (size_t)cv->hist_w);
            if (row->hist[0]) {
                draw_bars(s, hx, yy, row, 1, cv->hist_w, ascii);
                draw_bars(s, hx, yy + 1, row, 0, cv->hist_w, ascii);
            }
        }
    }
    if (side) {
        for (int j = y + 1; j < y + h; j++)
            hs_screen_put(s, x + listw, j, 1, ascii ? "|" : "│", HS_COLOR_DIM, 0);
        draw_flow(cv, s, x + listw + 1, y + 1, flow_w, h - 1);
    } else {
        draw_flow(cv, s, x, y + 2 + listh, w, flowh);
    }
}

/* ---- the view class ---- */

/* A key for the cuts view's cell editor: Enter sets the bound through
 * `cuts-bound` (an error goes to the status line and the old value
 * stays), Esc leaves it as it was. */
static void
cuts_editor_key(struct hs_tui *tui, int code)
{
    struct hs_cuts_view *cv = &tui->cuts;
    enum hs_prompt_result r = hs_prompt_key(&cv->edit, code);
    const char *name = hs_cuts_view_current(cv, &tui->feat);
    char *words[6], *line;
    int n = 0;

    if (r == HS_PROMPT_EDITING)
        return;
    cv->editing = false;
    if (r == HS_PROMPT_CANCEL || !name)
        return;
    words[n++] = "cuts-bound";
    words[n++] = "--";
    words[n++] = (char *)name;
    words[n++] = cv->col ? "upper" : "lower";
    if (hs_prompt_line(&cv->edit)[strspn(hs_prompt_line(&cv->edit), " \t")])
        words[n++] = (char *)hs_prompt_line(&cv->edit);
    if (!(line = hs_cmd_join(n, words))) {
        hs_tui_message(tui, true, "out of memory");
        return;
    }
    tui->msg[0] = '\0';
    hs_tui_run(tui, line);
    free(line);
}

static void
cuts_init(struct hs_tui *tui, struct hs_view *view)
{
    view->data = &tui->cuts;
}

static void
cuts_release(struct hs_tui *tui, struct hs_view *view)
{
    (void)tui;
    hs_cuts_view_release(view->data);
}

static void
cuts_enter(struct hs_tui *tui, struct hs_view *view)
{
    struct hs_cuts_view *cv = view->data;

    (void)tui;
    cv->stopped = false; /* entering retries what a cancel stopped */
    cv->editing = false;
}

static void
cuts_leave(struct hs_tui *tui, struct hs_view *view)
{
    struct hs_cuts_view *cv = view->data;

    /* What a burst of nudges left unsaved is stored now. */
    hs_tui_cuts_flush(tui);
    cv->editing = false;
}

/* A new split is another test part: load again.  Stored cut sets: the
 * one edited may be another now (one new flow if so). */
static void
cuts_prepare(struct hs_tui *tui, struct hs_view *view, unsigned changes)
{
    struct hs_cuts_view *cv = view->data;

    if (changes & HS_CHANGE_SPLIT)
        hs_cuts_view_reset(cv);
    else if (changes & HS_CHANGE_CUTS)
        cv->recheck = true;
    hs_tui_cuts_prepare(tui);
}

static unsigned
cuts_key(struct hs_tui *tui, struct hs_view *view, int code)
{
    struct hs_cuts_view *cv = view->data;

    if (!cv->editing)
        return HS_REACT_PASS;
    cuts_editor_key(tui, code);
    return HS_REACT_REDRAW;
}

static void
cuts_move(struct hs_tui *tui, struct hs_view *view, enum hs_move m, size_t count)
{
    (void)tui;
    hs_cuts_view_move(view->data, m, count);
}

static void
cuts_draw(struct hs_tui *tui, struct hs_view *view, struct hs_screen *s, struct hs_rect r)
{
    hs_cuts_view_draw(view->data, &tui->feat, tui->hist.mode, s, r.x, r.y, r.w, r.h);
}

static void
cuts_status(const struct hs_tui *tui, const struct hs_view *view, char *buf, size_t size)
{
    const struct hs_cuts_view *cv = view->data;
    const char *f = hs_cuts_view_current(cv, &tui->feat);

    if (f)
        snprintf(buf, size, " feature %zu of %zu  %s  %s cut", cv->sc.cur + 1, cv->nrows, f,
                 cv->col ? "upper" : "lower");
}

const struct hs_view_class hs_view_cuts_class = {
    .name = "cuts",
    .init = cuts_init,
    .release = cuts_release,
    .enter = cuts_enter,
    .leave = cuts_leave,
    .prepare = cuts_prepare,
    .key = cuts_key,
    .move = cuts_move,
    .draw = cuts_draw,
    .status = cuts_status,
};

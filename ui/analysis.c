/* analysis.c: the split, ROC curves and ROC figure shared by the cut,
 * ROC, split and efficiency commands and the TUI's cuts and ROC views. */
#include "config.h"

#include "ui/analysis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cutopt.h"
#include "delong.h"
#include "mem.h"
#include "plots/palette.h"

/* ---- the split ------------------------------------------------------ */

int
hs_analysis_split(struct hs_cmd *cmd, struct hs_app *app, const struct hs_table *t,
                  struct hs_split *sp, bool *made)
{
    int rc;

    *made = false;
    memset(sp, 0, sizeof *sp);
    rc = hs_sess_split_load(app->sess, cmd->dataset, sp, &cmd->err);
    if (rc != HS_ENOTFOUND)
        return rc;
    hs_err_clear(&cmd->err);
    memset(sp, 0, sizeof *sp);
    rc = hs_split_make(t, HS_SPLIT_DEFAULT_TRAIN, HS_SPLIT_DEFAULT_VAL, HS_SPLIT_DEFAULT_TEST,
                       HS_SPLIT_DEFAULT_SEED, sp, &cmd->err);
    if (rc)
        return rc;
    /* A split that was loaded may be stale if the command is cancelled
     * later; one that is made is stored with the command's own results, so
     * a failure leaves no split behind either. */
    if (!cmd->in_txn && (rc = hs_cmd_begin(cmd, app)) != HS_OK)
        goto fail;
    if ((rc = hs_sess_split_save(app->sess, cmd->dataset, sp, &cmd->err)) != HS_OK)
        goto fail;
    cmd->changes |= HS_CHANGE_SPLIT;
    *made = true;
    return HS_OK;
fail:
    hs_split_release(sp);
    memset(sp, 0, sizeof *sp);
    return rc;
}

void
hs_analysis_split_note(const char *dataset, const struct hs_split *sp, char *buf, size_t size)
{
    snprintf(buf, size, "made the default split of '%s': %g/%g/%g (train/val/test), seed %llu",
             dataset, sp->frac[0], sp->frac[1], sp->frac[2], (unsigned long long)sp->seed);
}

int
hs_analysis_split_say(struct hs_cmd *cmd, struct hs_app *app, const struct hs_table *t,
                      struct hs_split *sp, bool *made)
{
    bool m = false;
    int rc = hs_analysis_split(cmd, app, t, sp, &m);

    if (made)
        *made = m;
    if (rc == HS_OK && m) {
        char note[256];
        hs_analysis_split_note(cmd->dataset, sp, note, sizeof note);
        hs_cmd_output_begin(cmd);
        fprintf(cmd->out, "%s\n", note);
    }
    return rc;
}

int
hs_analysis_parse_on(struct hs_cmd *cmd, enum hs_part_sel *on)
{
    const char *s = hs_cmd_opt(cmd, "on");
    int v;

    *on = HS_ON_TEST;
    if (!s)
        return HS_OK;
    v = hs_part_sel_parse(s);
    if (v < 0)
        return hs_err_set(&cmd->err, HS_EUSAGE, "--on takes train, val, test or all, not '%s'",
                          s);
    *on = (enum hs_part_sel)v;
    return HS_OK;
}

int
hs_analysis_rows(struct hs_cmd *cmd, struct hs_app *app, const struct hs_table *t,
                 enum hs_part_sel on, unsigned char **mask, size_t *nrows, bool *made)
{
    struct hs_split sp;
    int rc;

    *mask = NULL;
    *nrows = t->nrows;
    if (made)
        *made = false;
    if (on == HS_ON_ALL)
        return HS_OK;
    if ((rc = hs_analysis_split_say(cmd, app, t, &sp, made)))
        return rc;
    *mask = malloc(t->nrows + 1);
    if (*mask)
        *nrows = hs_split_mask(&sp, on, t->nrows, *mask);
    hs_split_release(&sp);
    return *mask ? HS_OK : hs_cmd_nomem(cmd);
}

/* ---- ROC curves ----------------------------------------------------- */

void
hs_roc_curves_free(struct hs_roc_curve *c, size_t n)
{
    if (!c)
        return;
    for (size_t i = 0; i < n; i++) {
        free(c[i].name);
        free(c[i].box_sig);
        free(c[i].box_bkg);
        free(c[i].target);
        hs_roc_release(&c[i].roc);
    }
    free(c);
}

int
hs_roc_curve_meets(const struct hs_roc_curve *c, size_t b)
{
    if (b >= c->nbox || !c->target || isnan(c->target[b]))
        return -1;
    /* The rule `cut optimise` and `cut flow` judge by. */
    return hs_cutopt_meets(c->box_sig[b], c->target[b]);
}

/* The efficiencies of one cut set over mask: the last step of its flow. */
static int
cutset_point(struct hs_featureset *fs, const struct hs_cutset *cs, const unsigned char *mask,
             double *sig_eff, double *bkg_eff, const struct hs_task *task, struct hs_err *err)
{
    struct hs_cuts_bound *b = NULL;
    struct hs_flow flow = {0};
    int rc;

    if ((rc = hs_cuts_bind(fs, cs, &b, task, err)))
        return rc;
    rc = hs_cuts_flow(b, mask, &flow, task, err);
    hs_cuts_bound_free(b);
    if (rc)
        return rc;
    *sig_eff = flow.step[flow.nsteps - 1].sig_eff;
    *bkg_eff = flow.step[flow.nsteps - 1].bkg_eff;
    hs_flow_release(&flow);
    if (isnan(*sig_eff))
        return hs_err_set(err, HS_EDATA, "no signal events to measure an efficiency on");
    if (isnan(*bkg_eff))
        return hs_err_set(err, HS_EDATA, "no background events to measure an efficiency on");
    return HS_OK;
}

int
hs_analysis_cutset_roc(struct hs_featureset *fs, const struct hs_cutset_rec *rec,
                       const unsigned char *mask, struct hs_roc_curve *out,
                       const struct hs_task *task, struct hs_err *err)
{
    size_t n = rec->npoints;
    double *se = malloc((n + 1) * sizeof *se), *be = malloc((n + 1) * sizeof *be);
    double *tg = malloc((n + 1) * sizeof *tg);
    int rc = HS_OK;

    memset(out, 0, sizeof *out);
    out->bkg95 = NAN;
    if (!se || !be || !tg) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if (n == 0) {
        rc = hs_err_set(err, HS_EDATA, "cut set '%s' has no cuts", rec->name);
        goto done;
    }
    for (size_t p = 0; p < n && rc == HS_OK; p++) {
        /* Efficiencies clamp to [0, 1]: negative weights could push a
         * weighted ratio out of it, and a ROC lives in the unit square. */
        rc = cutset_point(fs, &rec->points[p], mask, &se[p], &be[p], task, err);
        if (rc == HS_OK) {
            se[p] = fmin(1.0, fmax(0.0, se[p]));
            be[p] = fmin(1.0, fmax(0.0, be[p]));
        }
    }
    if (rc) {
        hs_err_prefix(err, "cut set '%s'", rec->name);
        goto done;
    }
    if ((rc = hs_roc_from_points(se, be, n, &out->roc, err)))
        goto done;
    out->name = strdup(rec->name);
    if (!out->name) {
        hs_roc_release(&out->roc);
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    out->kind = rec->kind == HS_CUTSET_GRID ? "grid" : "cuts";
    out->bkg95 = out->roc.single ? NAN : hs_roc_bkg_at(&out->roc, 0.95);
    for (size_t p = 0; p < n; p++)
        tg[p] = rec->target ? rec->target[p] : NAN;
    /* The boxes' own efficiencies and targets, for "meets its target". */
    out->nbox = n;
    out->box_sig = se;
    out->box_bkg = be;
    out->target = tg;
    se = be = tg = NULL;
done:
    if (rc)
        memset(&out->roc, 0, sizeof out->roc);
    free(se);
    free(be);
    free(tg);
    return rc;
}

int
hs_analysis_score_roc(struct hs_featureset *fs, const char *expr, const unsigned char *mask,
                      struct hs_roc_curve *out, const struct hs_task *task, struct hs_err *err)
{
    const double *label = hs_table_label(fs->t);
    struct hs_expr *e = NULL;
    double *score = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    out->bkg95 = NAN;
    if (!label)
        return hs_err_set(err, HS_EUSAGE, "the dataset has no label: a ROC needs signal and "
                                          "background");
    if ((rc = hs_featureset_compile(fs, expr, &e, err)))
        return rc;
    score = malloc((fs->t->nrows + 1) * sizeof *score);
    if (!score) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = hs_featureset_eval(fs, e, score, NULL, task, err)))
        goto done;
    rc = hs_roc_from_scores(score, label, hs_table_weight(fs->t), mask, fs->t->nrows, &out->roc,
                            task, err);
    if (rc)
        goto done;
    out->name = strdup(expr);
    if (!out->name) {
        hs_roc_release(&out->roc);
        memset(&out->roc, 0, sizeof out->roc);
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    out->kind = "score";
    out->bkg95 = hs_roc_bkg_at(&out->roc, 0.95);
done:
    hs_expr_free(e);
    free(score);
    return rc;
}

/* ---- models --------------------------------------------------------- */

int
hs_analysis_model_scores(struct hs_featureset *fs, const struct hs_model_rec *rec,
                         double **scores, const struct hs_task *task, struct hs_err *err)
{
    struct hs_model *m = NULL;
    int rc;

    *scores = NULL;
    if ((rc = hs_model_rec_model(rec, &m, err)))
        return rc;
    *scores = malloc((fs->t->nrows + 1) * sizeof **scores);
    if (!*scores)
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
    else if ((rc = hs_model_rec_score(rec, m, fs, *scores, task, err))) {
        free(*scores);
        *scores = NULL;
    }
    hs_model_free(m);
    return rc;
}

int
hs_analysis_model_roc(struct hs_featureset *fs, const struct hs_model_rec *rec,
                      const unsigned char *mask, struct hs_roc_curve *out,
                      const struct hs_task *task, struct hs_err *err)
{
    const double *label = hs_table_label(fs->t);
    double *score = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    out->bkg95 = NAN;
    if (!label)
        return hs_err_set(err, HS_EUSAGE, "the dataset has no label: a ROC needs signal and "
                                          "background");
    if ((rc = hs_analysis_model_scores(fs, rec, &score, task, err)))
        return rc;
    rc = hs_roc_from_scores(score, label, hs_table_weight(fs->t), mask, fs->t->nrows, &out->roc,
                            task, err);
    free(score);
    if (rc) {
        memset(&out->roc, 0, sizeof out->roc);
        return rc;
    }
    if (!(out->name = strdup(rec->name))) {
        hs_roc_release(&out->roc);
        memset(&out->roc, 0, sizeof out->roc);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    out->kind = "model";
    out->bkg95 = hs_roc_bkg_at(&out->roc, 0.95);
    return HS_OK;
}

/* ---- the figure ----------------------------------------------------- */

/* A curve of many points (a score ROC has one per distinct score) is
 * thinned for drawing: a figure needs a few thousand points at most. */
#define ROC_DRAW_MAX 4000

/* Why the automatic view is what it is. */
enum roc_reason { ROC_ASKED, ROC_AUC, ROC_BKG50, ROC_LINEAR };

static enum roc_reason
roc_reason(const struct hs_roc_curve *c, size_t n, enum hs_roc_scale asked)
{
    size_t ncurves = 0, good_auc = 0, good_b50 = 0;

    if (asked != HS_ROC_AUTO)
        return ROC_ASKED;
    for (size_t i = 0; i < n; i++) {
        const struct hs_roc *r = &c[i].roc;
        if (r->single || isnan(r->auc))
            continue;
        ncurves++;
        good_auc += r->auc > HS_ROC_AUTO_AUC;
        good_b50 += hs_roc_bkg_at(r, 0.5) < HS_ROC_AUTO_BKG50;
    }
    if (ncurves && good_auc == ncurves)
        return ROC_AUC;
    if (ncurves && good_b50 == ncurves)
        return ROC_BKG50;
    return ROC_LINEAR;
}

enum hs_roc_scale
hs_roc_scale_choose(const struct hs_roc_curve *c, size_t n, enum hs_roc_scale asked, char *why,
                    size_t size)
{
    enum roc_reason r = roc_reason(c, n, asked);
    enum hs_roc_scale v = r == ROC_ASKED ? asked : r == ROC_LINEAR ? HS_ROC_LINEAR
                                                                   : HS_ROC_REJECTION;

    if (!why || !size)
        return v;
    switch (r) {
    case ROC_ASKED:
        snprintf(why, size, "%s",
                 v == HS_ROC_LINEAR ? "linear view, 1 - bkg eff (--linear)"
                                    : "rejection view, 1/bkg eff on a log axis (--rejection)");
        break;
    case ROC_AUC:
        snprintf(why, size,
                 "rejection view, 1/bkg eff on a log axis: every AUC is above %g (--linear "
                 "for 1 - bkg eff)",
                 HS_ROC_AUTO_AUC);
        break;
    case ROC_BKG50:
        snprintf(why, size,
                 "rejection view, 1/bkg eff on a log axis: every curve keeps under %g%% of "
                 "the background at 50%% signal efficiency (--linear for 1 - bkg eff)",
                 100 * HS_ROC_AUTO_BKG50);
        break;
    case ROC_LINEAR:
        snprintf(why, size,
                 "linear view, 1 - bkg eff (--rejection for 1/bkg eff on a log axis)");
        break;
    }
    return v;
}

/* The same in a few words for the figure's title: "" for a view the user
 * asked for, which the axis label shows. */
static const char *
roc_reason_short(enum roc_reason r)
{
    switch (r) {
    case ROC_AUC:
        return "log rejection view chosen: every AUC > 0.98";
    case ROC_BKG50:
        return "log rejection view chosen: bkg eff < 1% at 50% signal";
    case ROC_LINEAR:
        return "linear view chosen";
    default:
        return "";
    }
}

/* The y of a point: rejection 1 - b, or the rejection factor 1 / b on a
 * log axis with b = 0 drawn at the floor. */
static bool
roc_y(double b, bool logy, double floor_b, double *y)
{
    if (logy)
        *y = 1.0 / (b > 0 ? b : floor_b);
    else
        *y = 1.0 - b;
    return isfinite(*y);
}

/* Half the smallest non-zero background efficiency of the curves and
 * points, the rejection view's stand-in for "no background"; 0 when no
 * point has zero background (nothing to clip). */
static double
roc_floor(const struct hs_roc_curve *c, size_t n)
{
    double lo = 1;
    bool any_zero = false;

    for (size_t i = 0; i < n; i++) {
        const struct hs_roc *r = &c[i].roc;
        for (size_t j = 0; j < r->n; j++) {
            double b = r->bkg_eff[j];
            /* The closing (0, 0) has no signal either: not a point. */
            if (r->sig_eff[j] > 0 && !(b > 0))
                any_zero = true;
            if (b > 0)
                lo = fmin(lo, b);
        }
        for (size_t j = 0; j < r->ndom; j++) {
            if (r->dom_bkg[j] > 0)
                lo = fmin(lo, r->dom_bkg[j]);
            else
                any_zero = true;
        }
    }
    return any_zero ? lo / 2 : 0;
}

static int
curve_color(size_t i)
{
    /* Skip the data colour: the random classifier's diagonal uses it. */
    static const int order[] = {HS_PAL_SIGNAL, HS_PAL_BACKGROUND, HS_PAL_CAT0,     HS_PAL_CAT0 + 1,
                                HS_PAL_CAT0 + 2, HS_PAL_CAT0 + 3, HS_PAL_CAT0 + 4};
    return order[i % (sizeof order / sizeof *order)];
}

/* A line, markers, or faint markers (a scatter's alpha) over x, y. */
static int
add_line(struct hs_figure *f, enum hs_series_kind kind, const char *label, int color,
         const double *x, const double *y, size_t n, struct hs_err *err)
{
    struct hs_series s = {0};
    char msg[HS_PLOT_MSG_MAX];

    if (n == 0)
        return HS_OK;
    s.kind = kind;
    s.label = (char *)label;
    s.color = color;
    s.alpha = kind == HS_SERIES_SCATTER ? 0.35 : 1.0;
    s.n = n;
    s.x = (double *)x;
    s.y = (double *)y;
    if (!hs_panel_add(&f->main, &s, msg))
        return hs_err_set(err, HS_ENOMEM, "%s", msg);
    return HS_OK;
}

/* The curve of c as a line through its points (thinned), into x, y;
 * a zero-background run at the start is one point at the floor. */
static size_t
curve_points(const struct hs_roc *r, bool logy, double floor_b, double *x, double *y)
{
    size_t stride = r->n > ROC_DRAW_MAX ? (r->n + ROC_DRAW_MAX - 1) / ROC_DRAW_MAX : 1, k = 0;
    size_t first = 0;

    /* On the log axis the points before the last one with no background
     * would all sit at the floor: start at that last one. */
    if (logy) {
        while (first + 1 < r->n && !(r->bkg_eff[first + 1] > 0))
            first++;
        /* The closing (0, 0) is no working point: 1/b has no value there. */
        if (first + 1 < r->n && !(r->bkg_eff[first] > 0) && !(r->sig_eff[first] > 0))
            first++;
    }
    for (size_t j = first; j < r->n; j += stride)
        if (roc_y(r->bkg_eff[j], logy, floor_b, &y[k]))
            x[k++] = r->sig_eff[j];
    if (r->n && (r->n - 1 - first) % stride && roc_y(r->bkg_eff[r->n - 1], logy, floor_b, &y[k]))
        x[k++] = r->sig_eff[r->n - 1];
    return k;
}

/* A cut set's markers: a set's point, or a grid's boxes on its front
 * (dom false) or off it (dom true), without the closing corners. */
static size_t
marker_points(const struct hs_roc *r, bool dom, bool logy, double floor_b, double *x,
              double *y)
{
    size_t k = 0;

    if (dom) {
        for (size_t j = 0; j < r->ndom; j++)
            if (roc_y(r->dom_bkg[j], logy, floor_b, &y[k]))
                x[k++] = r->dom_sig[j];
        return k;
    }
    for (size_t j = 1; j + 1 < r->n; j++)
        if (roc_y(r->bkg_eff[j], logy, floor_b, &y[k]))
            x[k++] = r->sig_eff[j];
    return k;
}

static int
roc_labels(struct hs_figure *f, const char *title, const char *why, bool logy, double floor_b,
           struct hs_err *err)
{
    char msg[HS_PLOT_MSG_MAX], t[768], yl[160];

    snprintf(t, sizeof t, "%s%s%s", title ? title : "", title && *title && *why ? "; " : "",
             why);
    if (logy && floor_b > 0)
        snprintf(yl, sizeof yl, "background rejection 1/bkg eff (0 bkg: at %.2g)",
                 1 / floor_b);
    else
        snprintf(yl, sizeof yl, "%s",
                 logy ? "background rejection 1/bkg eff" : "background rejection 1 - bkg eff");
    if (hs_figure_set_string(&f->title, t, msg) ||
        hs_figure_set_string(&f->main.x.label, "signal efficiency", msg) ||
        hs_figure_set_string(&f->main.y.label, yl, msg))
        return hs_err_set(err, HS_ENOMEM, "%s", msg);
    return HS_OK;
}

int
hs_roc_figure(const struct hs_roc_curve *c, size_t n, enum hs_roc_scale scale, const char *title,
              struct hs_figure **out, struct hs_err *err)
{
    struct hs_figure *f = hs_figure_new();
    size_t cap = ROC_DRAW_MAX + 8;
    char label[512];
    double ymax = 1.0, floor_b = 0;
    bool logy;
    double *x, *y;
    int rc = HS_OK;

    *out = NULL;
    /* A score curve is thinned to ROC_DRAW_MAX; a cut set's markers are
     * its boxes, every one of them. */
    for (size_t i = 0; i < n; i++)
        cap = c[i].nbox + 8 > cap ? c[i].nbox + 8 : cap;
    x = malloc(cap * sizeof *x);
    y = malloc(cap * sizeof *y);
    if (!f || !x || !y) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    logy = hs_roc_scale_choose(c, n, scale, NULL, 0) == HS_ROC_REJECTION;
    if (logy)
        floor_b = roc_floor(c, n);
    if ((rc = roc_labels(f, title, roc_reason_short(roc_reason(c, n, scale)), logy, floor_b,
                         err)))
        goto done;
    f->legend = true;
    /* Good curves fill the top left of the linear view, and its bottom
     * left is empty; in the rejection view they fall from the top left to
     * (1, 1) and the random classifier's 1/s runs near the bottom left, so
     * the top right is the empty corner. */
    f->legend_pos = logy ? HS_LEGEND_TOP : HS_LEGEND_BOTTOM_LEFT;
    f->main.x.fixed = true;
    f->main.x.lo = 0;
    f->main.x.hi = 1;

    /* The random classifier (bkg eff = sig eff), drawn first, under the
     * curves, in the neutral colour.  The figure model has no dashes. */
    {
        size_t k = 0;
        /* From s = 0.01 on the log axis: 1/s has no value at 0. */
        for (size_t i = logy ? 1 : 0; i <= 100; i++) {
            double s = i / 100.0;
            if (roc_y(s, logy, floor_b, &y[k]))
                x[k++] = s;
        }
        if ((rc = add_line(f, HS_SERIES_LINE, "random", HS_PAL_DATA, x, y, k, err)))
            goto done;
    }
    /* The curves, then every marker over them: a cut set's point must not
     * hide under a model's line. */
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < n; i++) {
            const struct hs_roc *r = &c[i].roc;
            bool has_auc = !r->single && !isnan(r->auc);
            size_t k;
            if (pass == 0 && r->single)
                continue;
            if (pass == 1 && !r->single && c[i].nbox == 0)
                continue;
            if (pass == 2 && r->ndom == 0)
                continue;
            if (pass == 0)
                k = curve_points(r, logy, floor_b, x, y);
            else
                k = marker_points(r, pass == 2, logy, floor_b, x, y);
            if (has_auc)
                snprintf(label, sizeof label, "%s (AUC %.3f)", c[i].name, r->auc);
            else
                snprintf(label, sizeof label, "%s", c[i].name);
            if (pass == 2) {
                /* Boxes off the front: faint, in the grid's colour, not
                 * joined. */
                snprintf(label, sizeof label, "%s: boxes off the front", c[i].name);
                rc = add_line(f, HS_SERIES_SCATTER, label, curve_color(i), x, y, k, err);
            } else {
                /* A grid's markers go with its line's legend entry. */
                rc = add_line(f, pass == 0 ? HS_SERIES_LINE : HS_SERIES_POINTS,
                              pass == 0 || r->single ? label : NULL, curve_color(i), x, y, k,
                              err);
            }
            if (rc)
                goto done;
            for (size_t j = 0; j < k; j++)
                ymax = fmax(ymax, y[j]);
        }
    }
    f->main.y.fixed = true;
    if (logy) {
        f->main.y.scale = HS_AXIS_LOG;
        f->main.y.lo = 1;
        /* Room above the curves for the legend in the top corner. */
        f->main.y.hi = ymax * 4;
    } else {
        f->main.y.lo = 0;
        f->main.y.hi = 1;
    }
    *out = f;
    f = NULL;
done:
    hs_figure_free(f);
    free(x);
    free(y);
    return rc;
}

int
hs_analysis_group_se(const struct hs_table *t, const double *score,
                     const unsigned char *mask, const struct hs_group_set *g, double *se,
                     char *note, size_t size, const struct hs_task *task, struct hs_err *err)
{
    const struct hs_column *gc = hs_table_group(t);
    const double *label = hs_table_label(t);
    unsigned char *m = malloc(t->nrows + 1);
    int rc = HS_OK;

    note[0] = '\0';
    for (size_t k = 0; k < g->n; k++)
        se[k] = NAN;
    if (!m || !gc || !label) {
        free(m);
        return m ? hs_err_set(err, HS_EUSAGE, "no groups or no label")
                 : hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < g->n && rc == HS_OK; k++) {
        struct hs_delong d;
        struct hs_err e = {0};
        for (size_t i = 0; i < t->nrows; i++)
            m[i] = (!mask || mask[i]) &&
                   (label[i] == 0 || (label[i] == 1 && gc->v[i] == g->code[k]));
        rc = hs_delong_auc(score, label, hs_table_weight(t), m, t->nrows, &d, task, &e);
        if (rc == HS_OK) {
            se[k] = d.se;
        } else if (rc == HS_EDATA) {
            /* No error bar for this group, and why, once. */
            if (!note[0])
                snprintf(note, size, "no DeLong s.e. for group %s: %s", g->name[k], e.msg);
            rc = HS_OK;
        } else if (err) {
            *err = e;
        }
    }
    free(m);
    return rc;
}

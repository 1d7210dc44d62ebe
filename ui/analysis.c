/* analysis.c: the split, ROC curves and ROC figure shared by the cut,
 * ROC, split and efficiency commands and the TUI's cuts and ROC views. */
#include "config.h"

#include "ui/analysis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        hs_roc_release(&c[i].roc);
    }
    free(c);
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
    int rc = HS_OK;

    memset(out, 0, sizeof *out);
    out->bkg95 = NAN;
    if (!se || !be) {
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
done:
    if (rc)
        memset(&out->roc, 0, sizeof out->roc);
    free(se);
    free(be);
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

/* The y of a point: rejection 1 - b, or the rejection factor 1 / b on a
 * log axis (infinite at b = 0: such points are left out). */
static bool
roc_y(double b, bool logy, double *y)
{
    if (logy) {
        if (!(b > 0))
            return false;
        *y = 1.0 / b;
    } else {
        *y = 1.0 - b;
    }
    return isfinite(*y);
}

static int
curve_color(size_t i)
{
    /* Skip the data colour: the random classifier's diagonal uses it. */
    static const int order[] = {HS_PAL_SIGNAL, HS_PAL_BACKGROUND, HS_PAL_CAT0,     HS_PAL_CAT0 + 1,
                                HS_PAL_CAT0 + 2, HS_PAL_CAT0 + 3, HS_PAL_CAT0 + 4};
    return order[i % (sizeof order / sizeof *order)];
}

static int
add_line(struct hs_figure *f, enum hs_series_kind kind, const char *label, int color,
         const double *x, const double *y, size_t n, struct hs_err *err)
{
    struct hs_series s = {0};
    char msg[HS_PLOT_MSG_MAX];

    s.kind = kind;
    s.label = (char *)label;
    s.color = color;
    s.alpha = 1.0;
    s.n = n;
    s.x = (double *)x;
    s.y = (double *)y;
    if (!hs_panel_add(&f->main, &s, msg))
        return hs_err_set(err, HS_ENOMEM, "%s", msg);
    return HS_OK;
}

int
hs_roc_figure(const struct hs_roc_curve *c, size_t n, bool logy, const char *title,
              struct hs_figure **out, struct hs_err *err)
{
    struct hs_figure *f = hs_figure_new();
    size_t cap = ROC_DRAW_MAX + 8;
    double *x = malloc(cap * sizeof *x), *y = malloc(cap * sizeof *y);
    char msg[HS_PLOT_MSG_MAX], label[512];
    double ymax = 1.0;
    int rc = HS_OK;

    *out = NULL;
    if (!f || !x || !y) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if (hs_figure_set_string(&f->title, title, msg) ||
        hs_figure_set_string(&f->main.x.label, "signal efficiency", msg) ||
        hs_figure_set_string(&f->main.y.label,
                             logy ? "background rejection 1/bkg eff"
                                  : "background rejection (1 - bkg eff)",
                             msg)) {
        rc = hs_err_set(err, HS_ENOMEM, "%s", msg);
        goto done;
    }
    f->legend = true;
    /* Good curves fill the top right: the legend goes where they do not. */
    f->legend_pos = HS_LEGEND_BOTTOM_LEFT;
    f->main.x.fixed = true;
    f->main.x.lo = 0;
    f->main.x.hi = 1;

    /* The random classifier (bkg eff = sig eff), drawn first, under the
     * curves, in the neutral colour.  The figure model has no dashes. */
    {
        size_t k = 0;
        for (size_t i = 0; i <= 100; i++) {
            double s = i / 100.0;
            if (roc_y(s, logy, &y[k])) {
                x[k++] = s;
            }
        }
        if ((rc = add_line(f, HS_SERIES_LINE, "random", HS_PAL_DATA, x, y, k, err)))
            goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const struct hs_roc *r = &c[i].roc;
        size_t k = 0;

        if (r->single) {
            /* The one working point between the closing (0,0) and (1,1). */
            for (size_t j = 0; j < r->n; j++) {
                bool corner = (r->sig_eff[j] == 0 && r->bkg_eff[j] == 0) ||
                              (r->sig_eff[j] == 1 && r->bkg_eff[j] == 1);
                if (!corner && roc_y(r->bkg_eff[j], logy, &y[k]))
                    x[k++] = r->sig_eff[j];
            }
            snprintf(label, sizeof label, "%s", c[i].name);
            rc = add_line(f, HS_SERIES_POINTS, label, curve_color(i), x, y, k, err);
        } else {
            size_t stride = r->n > ROC_DRAW_MAX ? (r->n + ROC_DRAW_MAX - 1) / ROC_DRAW_MAX : 1;
            for (size_t j = 0; j < r->n; j += stride)
                if (roc_y(r->bkg_eff[j], logy, &y[k]))
                    x[k++] = r->sig_eff[j];
            if (r->n && (r->n - 1) % stride && roc_y(r->bkg_eff[r->n - 1], logy, &y[k]))
                x[k++] = r->sig_eff[r->n - 1];
            if (isnan(r->auc))
                snprintf(label, sizeof label, "%s", c[i].name);
            else
                snprintf(label, sizeof label, "%s (AUC %.3f)", c[i].name, r->auc);
            rc = add_line(f, HS_SERIES_LINE, label, curve_color(i), x, y, k, err);
        }
        if (rc)
            goto done;
        for (size_t j = 0; j < k; j++)
            ymax = fmax(ymax, y[j]);
    }
    f->main.y.fixed = true;
    if (logy) {
        f->main.y.scale = HS_AXIS_LOG;
        f->main.y.lo = 1;
        f->main.y.hi = ymax * 1.5;
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

/* plot-importance.c: importance bars and the SHAP summary plot
 * (ui/plot-importance.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importance.h"
#include "plots/palette.h"
#include "sessions/learned.h"
#include "treeshap.h"
#include "ui/plot-importance.h"
#include "ui/train.h"

int
hs_importance_bar_figure(const char *const *names, const double *value, const double *sd,
                         const size_t *order, size_t k, const char *title, const char *ylabel,
                         struct hs_figure **out, struct hs_err *err)
{
    char msg[HS_PLOT_MSG_MAX] = "";
    struct hs_figure *f = hs_figure_new();
    int rc = HS_OK;

    *out = NULL;
    if (!f)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if (hs_figure_set_string(&f->title, title, msg) ||
        hs_figure_set_string(&f->main.y.label, ylabel, msg) ||
        hs_figure_set_string(&f->main.x.label, "input, ranked", msg))
        goto fail;
    /* One series per input, so that the legend names each bar. */
    for (size_t r = 0; r < k; r++) {
        size_t i = order[r];
        double edges[2] = {(double)r + 0.6, (double)r + 1.4}, y = value[i];
        struct hs_series s = {.kind = HS_SERIES_HIST, .label = (char *)names[i],
                              .color = HS_PAL_CAT0 + (int)(r % HS_PAL_NCATS), .alpha = 0.8,
                              .style = HS_HIST_FILLED, .n = 1, .x = edges, .y = &y};
        if (!isfinite(y))
            continue;
        if (!hs_panel_add(&f->main, &s, msg))
            goto fail;
        if (sd && isfinite(sd[i])) {
            double x = (double)r + 1, e = sd[i];
            struct hs_series p = {.kind = HS_SERIES_POINTS, .color = HS_PAL_DATA, .n = 1,
                                  .x = &x, .y = &y, .yerr = &e};
            if (!hs_panel_add(&f->main, &p, msg))
                goto fail;
        }
    }
    f->main.x.fixed = true;
    f->main.x.lo = 0.4;
    f->main.x.hi = (double)k + 0.6;
    *out = f;
    return HS_OK;
fail:
    rc = hs_err_set(err, HS_ENOMEM, "cannot make the figure: %s", msg[0] ? msg : "out of memory");
    hs_figure_free(f);
    return rc;
}

struct qkey {
    double v;
    size_t e;
};

static int
cmp_qkey(const void *a, const void *b)
{
    const struct qkey *x = a, *y = b;
    return x->v < y->v ? -1 : x->v > y->v ? 1 : (x->e > y->e) - (x->e < y->e);
}

int
hs_importance_summary_figure(const char *const *names, const double *phi, const double *x,
                             size_t n, size_t nin, const size_t *order, size_t k, size_t nbins,
                             const char *title, struct hs_figure **out, struct hs_err *err)
{
    char msg[HS_PLOT_MSG_MAX] = "";
    struct hs_figure *f = NULL;
    double *z = calloc(k * nbins + 1, sizeof *z), *cnt = calloc(k * nbins + 1, sizeof *cnt);
    double *xe = malloc((nbins + 1) * sizeof *xe), *ye = malloc((k + 1) * sizeof *ye);
    double *q = malloc((n + 1) * sizeof *q);
    struct qkey *key = malloc((n + 1) * sizeof *key);
    char **yn = calloc(k + 1, sizeof *yn);
    int rc = HS_OK;

    *out = NULL;
    if (!z || !cnt || !xe || !ye || !q || !key || !yn || !(f = hs_figure_new())) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t r = 0; r < k; r++)
        for (size_t e = 0; e < n; e++) {
            double v = phi[e * nin + order[r]];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
    if (!(lo < hi)) {
        lo = isfinite(lo) ? lo - 0.5 : -0.5;
        hi = lo + 1;
    }
    for (size_t b = 0; b <= nbins; b++)
        xe[b] = lo + (hi - lo) * (double)b / (double)nbins;
    for (size_t j = 0; j <= k; j++)
        ye[j] = (double)j;
    /* Row j from the bottom holds input order[k - 1 - j]: the first on top. */
    for (size_t j = 0; j < k; j++) {
        size_t i = order[k - 1 - j], m = 0;
        yn[j] = (char *)names[i];
        for (size_t e = 0; e < n; e++) {
            q[e] = NAN;
            if (!isnan(x[e * nin + i]))
                key[m++] = (struct qkey){x[e * nin + i], e};
        }
        qsort(key, m, sizeof *key, cmp_qkey);
        /* ties share their mean rank, so a discrete input does not paint
         * one value in several colours */
        for (size_t a = 0; a < m;) {
            size_t b = a;
            while (b + 1 < m && key[b + 1].v == key[a].v)
                b++;
            double rank = m > 1 ? 0.5 * (double)(a + b) / (double)(m - 1) : 0.5;
            for (size_t c = a; c <= b; c++)
                q[key[c].e] = rank;
            a = b + 1;
        }
        for (size_t e = 0; e < n; e++) {
            double v = phi[e * nin + i];
            size_t b = (size_t)((v - lo) / (hi - lo) * (double)nbins);
            b = b >= nbins ? nbins - 1 : b;
            if (isnan(q[e]))
                continue;
            z[j * nbins + b] += q[e];
            cnt[j * nbins + b] += 1;
        }
    }
    for (size_t c = 0; c < k * nbins; c++)
        z[c] = cnt[c] > 0 ? z[c] / cnt[c] : NAN;
    struct hs_series s = {.kind = HS_SERIES_HEATMAP, .nx = nbins, .ny = k, .x = xe, .y = ye,
                          .z = z, .zlabel = "input's value, low (0) to high (1)", .ynames = yn};
    if (hs_figure_set_string(&f->title, title, msg) ||
        hs_figure_set_string(&f->main.x.label, "SHAP value (impact on the log-odds)", msg) ||
        !hs_panel_add(&f->main, &s, msg)) {
        rc = hs_err_set(err, HS_ENOMEM, "cannot make the figure: %s", msg);
        goto done;
    }
    f->legend = false;
    *out = f;
    f = NULL;
done:
    hs_figure_free(f);
    free(z);
    free(cnt);
    free(xe);
    free(ye);
    free(q);
    free(key);
    free(yn);
    return rc;
}

/* ---- computing ---- */

const char *
hs_imp_kind_name(enum hs_imp_kind k)
{
    return k == HS_IMP_SHAP ? "shap" : k == HS_IMP_PERM ? "permutation" : "gain";
}

void
hs_imp_release(struct hs_imp *imp)
{
    free(imp->names);
    free(imp->rows);
    free(imp->value);
    free(imp->sd);
    free(imp->order);
    free(imp->phi);
    hs_inputs_release(&imp->in);
    hs_model_free(imp->model);
    memset(imp, 0, sizeof *imp);
}

static int
imp_inputs(struct hs_featureset *fs, const struct hs_model_rec *rec, struct hs_imp *imp,
           const struct hs_task *task, struct hs_err *err)
{
    const char **exprs = calloc(rec->nfeatures + 1, sizeof *exprs);
    char owner[160];
    int rc;

    imp->names = calloc(rec->nfeatures + 1, sizeof *imp->names);
    if (!imp->names || !exprs) {
        free(exprs);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < rec->nfeatures; i++) {
        imp->names[i] = rec->features[i].name;
        exprs[i] = rec->features[i].expr;
    }
    snprintf(owner, sizeof owner, "model '%s'", rec->name);
    rc = hs_featureset_inputs(fs, owner, rec->nfeatures, imp->names, exprs, &imp->in, task, err);
    free(exprs);
    return rc;
}

int
hs_imp_compute(struct hs_featureset *fs, const struct hs_split *sp,
               const struct hs_model_rec *rec, enum hs_imp_kind kind, size_t repeats,
               uint64_t seed, struct hs_imp *imp, const struct hs_task *task, struct hs_err *err)
{
    const struct hs_table *t = fs->t;
    unsigned char *trm = NULL, *tem = NULL;
    double *drop = NULL;
    int rc;

    memset(imp, 0, sizeof *imp);
    imp->base = imp->base_auc = NAN;
    imp->repeats = repeats;
    imp->seed = seed;
    if ((rc = hs_model_rec_model(rec, &imp->model, err)))
        goto done;
    imp->forest = hs_forest_of_model(imp->model);
    if (kind == HS_IMP_DEFAULT)
        kind = imp->forest ? HS_IMP_SHAP : HS_IMP_PERM;
    imp->kind = kind;
    if (!imp->forest && kind != HS_IMP_PERM) {
        rc = hs_err_set(err, HS_EUSAGE,
                        "--kind %s needs boosted trees, and model '%s' is a %s model: "
                        "use --kind permutation",
                        hs_imp_kind_name(kind), rec->name, rec->kind);
        goto done;
    }
    if (!hs_table_label(t)) {
        rc = hs_err_set(err, HS_EUSAGE, "the dataset has no label: importance needs signal "
                                        "and background");
        goto done;
    }
    if ((rc = hs_train_model_masks(t, sp, rec, &trm, &tem, err)))
        goto done;
    imp->nin = rec->nfeatures;
    size_t m = 0;
    for (size_t i = 0; i < t->nrows; i++)
        m += tem[i] != 0;
    imp->rows = malloc((m + 1) * sizeof *imp->rows);
    imp->value = calloc(imp->nin + 1, sizeof *imp->value);
    imp->sd = calloc(imp->nin + 1, sizeof *imp->sd);
    imp->order = calloc(imp->nin + 1, sizeof *imp->order);
    if (!imp->rows || !imp->value || !imp->sd || !imp->order) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < t->nrows; i++)
        if (tem[i])
            imp->rows[imp->n++] = i;
    if (imp->n == 0) {
        rc = hs_err_set(err, HS_EUSAGE, "the test part has no events");
        goto done;
    }
    if ((rc = imp_inputs(fs, rec, imp, task, err)))
        goto done;
    for (size_t i = 0; i < imp->nin; i++)
        imp->sd[i] = NAN;
    if (kind == HS_IMP_SHAP) {
        if (!(imp->phi = malloc((imp->n * imp->nin + 1) * sizeof *imp->phi))) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory for %zu SHAP values",
                            imp->n * imp->nin);
            goto done;
        }
        if ((rc = hs_treeshap(imp->forest, imp->in.cols, imp->rows, imp->n, imp->phi, 0, task,
                              err)))
            goto done;
        imp->base = hs_treeshap_base(imp->forest);
        hs_shap_mean_abs(imp->phi, imp->n, imp->nin, imp->value);
    } else if (kind == HS_IMP_PERM) {
        if (!(drop = malloc((imp->nin * repeats + 1) * sizeof *drop))) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto done;
        }
        if ((rc = hs_perm_importance(imp->model, imp->in.cols, imp->rows, imp->n,
                                     hs_table_label(t), hs_table_weight(t), repeats, seed, 0,
                                     &imp->base_auc, drop, task, err)))
            goto done;
        hs_perm_summary(drop, imp->nin, repeats, imp->value, imp->sd);
    } else {
        hs_forest_gain(imp->forest, imp->value, NULL);
    }
    hs_importance_rank(imp->value, imp->nin, imp->order);
done:
    free(trm);
    free(tem);
    free(drop);
    if (rc)
        hs_imp_release(imp);
    return rc;
}

/* train-fig.c: the masks of a stored model and the figures of the training
 * layer (train.h): the loss curves, TMVA's overtraining check, the AUC per
 * group and the transfer heat map. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "numparse.h"
#include "orderstat.h"
#include "plots/palette.h"
#include "roc.h"
#include "ui/train.h"

int
hs_train_model_masks(const struct hs_table *t, const struct hs_split *sp,
                     const struct hs_model_rec *rec, unsigned char **train_mask,
                     unsigned char **test_mask, struct hs_err *err)
{
    const struct hs_column *gc = hs_table_group(t);
    const double *label = hs_table_label(t);
    double code = NAN;
    struct hs_err ignore = {0};

    *train_mask = malloc(t->nrows + 1);
    *test_mask = malloc(t->nrows + 1);
    if (!*train_mask || !*test_mask) {
        free(*train_mask);
        free(*test_mask);
        *train_mask = *test_mask = NULL;
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    if (rec->train_group && gc && hs_group_find(t, rec->train_group, &code, &ignore) != HS_OK)
        code = NAN;
    for (size_t i = 0; i < t->nrows; i++) {
        bool out = !isnan(code) && label && label[i] == 1 && gc->v[i] != code;
        (*train_mask)[i] = sp->part[i] == HS_PART_TRAIN && !out;
        (*test_mask)[i] = sp->part[i] == HS_PART_TEST;
    }
    return HS_OK;
}

/* ---- figures -------------------------------------------------------- */

static int
add_series(struct hs_figure *f, const struct hs_series *s, struct hs_err *err)
{
    char msg[HS_PLOT_MSG_MAX];

    if (!hs_panel_add(&f->main, s, msg))
        return hs_err_set(err, HS_ENOMEM, "%s", msg);
    return HS_OK;
}

static int
set_labels(struct hs_figure *f, const char *title, const char *x, const char *y,
           struct hs_err *err)
{
    char msg[HS_PLOT_MSG_MAX];

    if (hs_figure_set_string(&f->title, title, msg) ||
        hs_figure_set_string(&f->main.x.label, x, msg) ||
        hs_figure_set_string(&f->main.y.label, y, msg))
        return hs_err_set(err, HS_ENOMEM, "%s", msg);
    return HS_OK;
}

int
hs_train_curve_figure(const struct hs_epoch_info *curve, size_t n, size_t best_epoch,
                      const char *title, struct hs_figure **out, struct hs_err *err)
{
    struct hs_figure *f = hs_figure_new();
    double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
    double bx[1], by[1];
    int rc;

    *out = NULL;
    if (!f || !x || !y) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = set_labels(f, title, "epoch", "loss (cross-entropy)", err)))
        goto done;
    f->legend = true;
    for (int which = 0; which < 2 && rc == HS_OK; which++) {
        struct hs_series s = {0};
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            double v = which ? curve[i].val_loss : curve[i].loss;
            if (isfinite(v)) {
                x[k] = (double)curve[i].epoch;
                y[k++] = v;
            }
        }
        if (k == 0)
            continue;
        s.kind = k == 1 ? HS_SERIES_POINTS : HS_SERIES_LINE;
        s.label = which ? "validation loss" : "training loss";
        s.color = which ? HS_PAL_BACKGROUND : HS_PAL_SIGNAL;
        s.alpha = 1;
        s.n = k;
        s.x = x;
        s.y = y;
        rc = add_series(f, &s, err);
    }
    if (rc == HS_OK && best_epoch >= 1 && best_epoch <= n) {
        struct hs_series s = {0};
        double v = curve[best_epoch - 1].val_loss;
        bx[0] = (double)best_epoch;
        by[0] = isfinite(v) ? v : curve[best_epoch - 1].loss;
        s.kind = HS_SERIES_POINTS;
        s.label = "best epoch";
        s.color = HS_PAL_DATA;
        s.alpha = 1;
        s.n = 1;
        s.x = bx;
        s.y = by;
        rc = add_series(f, &s, err);
    }
    if (rc == HS_OK) {
        *out = f;
        f = NULL;
    }
done:
    hs_figure_free(f);
    free(x);
    free(y);
    return rc;
}

/* The normalised histogram (unit area) of class cls's scores on mask's
 * rows, with the errors sqrt(sum w^2) scaled alike.  false when empty. */
static bool
class_hist(const double *score, const double *label, const double *weight,
           const unsigned char *mask, size_t n, double cls, size_t nbins, double lo, double hi,
           double *y, double *e)
{
    double sum = 0, width = (hi - lo) / (double)nbins;

    memset(y, 0, nbins * sizeof *y);
    memset(e, 0, nbins * sizeof *e);
    for (size_t i = 0; i < n; i++) {
        double w = weight ? weight[i] : 1.0, s = score[i];
        size_t b;
        if (!mask[i] || label[i] != cls || isnan(s))
            continue;
        s = (s - lo) / (hi - lo);
        b = s >= 1 ? nbins - 1 : s <= 0 ? 0 : (size_t)(s * (double)nbins);
        if (b >= nbins)
            b = nbins - 1;
        y[b] += w;
        e[b] += w * w;
        sum += w;
    }
    if (!(sum > 0))
        return false;
    for (size_t b = 0; b < nbins; b++) {
        y[b] /= sum * width;
        e[b] = sqrt(e[b]) / (sum * width);
    }
    return true;
}

/* The axis of the outputs: [0, 1] for a probability; a score beyond it (an
 * anomaly score) from its least value on the masks to their 99th
 * percentile, the tail above counted in the last bin.  false when out of
 * memory. */
static bool
score_range(const double *score, const unsigned char *m1, const unsigned char *m2, size_t n,
            double *lo, double *hi)
{
    double *v = malloc((n + 1) * sizeof *v), q;
    size_t k = 0, rank;

    *lo = 0;
    *hi = 1;
    if (!v)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((m1[i] || m2[i]) && isfinite(score[i]))
            v[k++] = score[i];
    bool prob = true;
    for (size_t i = 0; i < k && prob; i++)
        prob = v[i] >= 0 && v[i] <= 1;
    if (!prob) {
        *lo = v[0];
        for (size_t i = 1; i < k; i++)
            *lo = v[i] < *lo ? v[i] : *lo;
        rank = (size_t)(0.99 * (double)(k - 1));
        hs_order_stats(v, k, &rank, 1, &q);
        *hi = q > *lo ? q : *lo + 1;
    }
    free(v);
    return true;
}

int
hs_train_overtrain_figure(const double *score, const double *label, const double *weight,
                          const unsigned char *train_mask, const unsigned char *test_mask,
                          size_t n, size_t nbins, const struct hs_eval *ev,
                          const char *title, struct hs_figure **out, struct hs_err *err)
{
    struct hs_figure *f = hs_figure_new();
    double *edges = malloc((nbins + 1) * sizeof *edges), *y = malloc((nbins + 1) * sizeof *y);
    double *e = malloc((nbins + 1) * sizeof *e), *mid = malloc((nbins + 1) * sizeof *mid);
    char lab[96];
    int rc = HS_OK;

    *out = NULL;
    if (!f || !edges || !y || !e || !mid) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = set_labels(f, title, "classifier output", "normalised (1/N) dN/dx", err)))
        goto done;
    /* The KS p-values are in the legend, beside the training samples
     * they compare: a second copy as the figure's note ran into the
     * legend on narrow figures. */
    f->legend = true;
    double lo, hi;
    if (!score_range(score, train_mask, test_mask, n, &lo, &hi)) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    f->main.x.fixed = true;
    f->main.x.lo = lo;
    f->main.x.hi = hi;
    for (size_t b = 0; b <= nbins; b++)
        edges[b] = lo + (hi - lo) * (double)b / (double)nbins;
    for (size_t b = 0; b < nbins; b++)
        mid[b] = (edges[b] + edges[b + 1]) / 2;
    /* Test as filled histograms under, train as points over, TMVA's way. */
    for (int pass = 0; pass < 2 && rc == HS_OK; pass++)
        for (int c = 0; c < 2 && rc == HS_OK; c++) {
            struct hs_series s = {0};
            double cls = c == 0 ? 1 : 0;
            const char *cname = c == 0 ? "signal" : "background";
            if (!class_hist(score, label, weight, pass ? train_mask : test_mask, n, cls, nbins, lo,
                            hi, y, e))
                continue;
            s.color = c == 0 ? HS_PAL_SIGNAL : HS_PAL_BACKGROUND;
            s.n = nbins;
            s.y = y;
            s.label = lab;
            if (pass == 0) {
                snprintf(lab, sizeof lab, "%s (test)", cname);
                s.kind = HS_SERIES_HIST;
                s.style = HS_HIST_FILLED;
                s.alpha = 0.35;
                s.x = edges;
            } else {
                snprintf(lab, sizeof lab, "%s (train, KS p = %.3g)", cname, ev->ks_p[c]);
                s.kind = HS_SERIES_POINTS;
                s.alpha = 1;
                s.x = mid;
                s.yerr = e;
            }
            rc = add_series(f, &s, err);
        }
    if (rc == HS_OK) {
        *out = f;
        f = NULL;
    }
done:
    hs_figure_free(f);
    free(edges);
    free(y);
    free(e);
    free(mid);
    return rc;
}

int
hs_train_transfer_figure(const struct hs_group_set *g, const double *auc, const char *title,
                         struct hs_figure **out, struct hs_err *err)
{
    struct hs_figure *f = hs_figure_new();
    size_t k = g->n;
    double *edges = malloc((k + 1) * sizeof *edges);
    struct hs_series s = {0};
    int rc;

    *out = NULL;
    if (!f || !edges) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = set_labels(f, title, "tested on group", "trained on group", err)))
        goto done;
    for (size_t i = 0; i <= k; i++)
        edges[i] = (double)i;
    f->legend = false;
    s.kind = HS_SERIES_HEATMAP;
    s.nx = s.ny = k;
    s.x = edges;
    s.y = edges;
    s.z = (double *)auc;
    s.zvalues = k <= 24;
    s.xnames = g->name;
    s.ynames = g->name;
    s.zlabel = "AUC";
    f->main.x.fixed = f->main.y.fixed = true;
    f->main.x.lo = f->main.y.lo = 0;
    f->main.x.hi = f->main.y.hi = (double)k;
    if ((rc = add_series(f, &s, err)))
        goto done;
    *out = f;
    f = NULL;
done:
    hs_figure_free(f);
    free(edges);
    return rc;
}

int
hs_train_groups_figure(const double *x, const double *auc, const double *se, size_t n,
                       bool join, const char *title, const char *xlabel, const char *se_note,
                       struct hs_figure **out, struct hs_err *err)
{
    struct hs_figure *f = hs_figure_new();
    struct hs_series s = {0};
    char leg[HS_ERR_MSG_MAX + 192];
    int rc;

    *out = NULL;
    if (!f)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if (se_note && se_note[0])
        snprintf(leg, sizeof leg, "AUC, each group's signal vs all background (%s)", se_note);
    else
        snprintf(leg, sizeof leg, "AUC \u00b1 DeLong s.e., each group's signal vs all background");
    s.kind = HS_SERIES_LINE;
    s.color = HS_PAL_SIGNAL;
    s.alpha = 1;
    s.n = n;
    s.x = (double *)x;
    s.y = (double *)auc;
    if ((rc = set_labels(f, title, xlabel, "AUC", err)) || (join && (rc = add_series(f, &s, err))))
        goto fail;
    s.kind = HS_SERIES_POINTS;
    s.label = leg;
    s.yerr = (double *)se;
    if ((rc = add_series(f, &s, err)))
        goto fail;
    /* The points sit high (a good model): the legend goes low. */
    f->legend = true;
    f->legend_pos = HS_LEGEND_BOTTOM_LEFT;
    *out = f;
    return HS_OK;
fail:
    hs_figure_free(f);
    return rc;
}

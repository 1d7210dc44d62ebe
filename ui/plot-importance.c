/* plot-importance.c: importance bars and the SHAP summary plot
 * (ui/plot-importance.h). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/palette.h"
#include "ui/plot-importance.h"

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

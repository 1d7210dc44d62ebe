/* clusterfit.c: the work `cluster` and the TUI's clusters view share
 * (clusterfit.h). */
#include "config.h"

#include "ui/clusterfit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gmm.h"
#include "groups.h"
#include "mem.h"
#include "plots/palette.h"
#include "strbuf.h"

int
hs_cluster_range_parse(const char *text, const char *what, size_t *lo, size_t *hi,
                       struct hs_err *err)
{
    const char *dots = strstr(text, "..");
    char *end;
    unsigned long a, b;

    a = strtoul(text, &end, 10);
    if (end == text || (dots ? end != dots : *end != '\0'))
        goto bad;
    b = a;
    if (dots) {
        b = strtoul(dots + 2, &end, 10);
        if (end == dots + 2 || *end)
            goto bad;
    }
    if (a < 1 || b < a || b > HS_GMM_MAX_K || b - a >= HS_CLUSTER_MAX_RANGE)
        goto bad;
    *lo = a;
    *hi = b;
    return HS_OK;
bad:
    return hs_err_set(err, HS_EUSAGE,
                      "%s wants a number of clusters or a range A..B, from 1 to %d, not '%s'",
                      what, HS_GMM_MAX_K, text);
}

/* The same subsample (one seed) for every K: their silhouettes compare. */
int
hs_cluster_choose_silhouette(const struct hs_embed *e, const struct hs_method_data *d,
                             struct hs_cluster_fits *f, double *sil, const struct hs_task *task,
                             struct hs_err *err)
{
    char st[32];
    uint64_t seed;
    long best = -1;

    hs_embed_param(e, "seed", st, sizeof st);
    seed = strtoull(st, NULL, 10);
    for (size_t i = 0; i < HS_CLUSTER_MAX_RANGE; i++)
        sil[i] = NAN;
    if (f->n == 0 || isfinite(f->f[0].bic))
        return HS_OK;
    for (size_t i = 0; i < f->n; i++) {
        long *ids = NULL;
        int rc;
        if (f->f[i].k < 2 || !f->state[i])
            continue; /* one cluster has no silhouette */
        if ((rc = f->method->clusters(f->state[i], &ids, err)))
            return rc;
        rc = hs_clusterq_silhouette(d, ids, HS_CLUSTER_SIL_SAMPLE, seed, &sil[i], task, err);
        hs_free(ids);
        if (rc)
            return rc;
        if (isfinite(sil[i]) && (best < 0 || sil[i] > sil[best]))
            best = (long)i;
    }
    if (best >= 0)
        f->chosen = (size_t)best;
    return HS_OK;
}

int
hs_cluster_fit_embed_sil(struct hs_embed *e, int threads, size_t lo, size_t hi, bool keep_all,
                         struct hs_cluster_fits *out, double *sil, const struct hs_task *task,
                         struct hs_err *err)
{
    struct hs_method_data d;
    /* A method without probabilities has no likelihood: every K's fit is
     * kept until the silhouettes have chosen. */
    bool by_sil = hi > lo && !(e->o.method->outputs & HS_METHOD_COORDS);
    int rc;

    for (size_t i = 0; i < HS_CLUSTER_MAX_RANGE; i++)
        sil[i] = NAN;
    hs_embed_data(e, threads, &d);
    rc = hs_cluster_fit_range(e->o.method, &e->o.params, &d, lo, hi, keep_all || by_sil, out,
                              task, err);
    if (rc == HS_OK && by_sil && (rc = hs_cluster_choose_silhouette(e, &d, out, sil, task, err)))
        hs_cluster_fits_release(out);
    if (rc == HS_OK && by_sil && !keep_all)
        for (size_t i = 0; i < out->n; i++)
            if (i != out->chosen && out->state[i]) {
                out->method->free(out->state[i]);
                out->state[i] = NULL;
            }
    if (rc && rc != HS_ECANCELLED && e->name)
        hs_err_prefix(err, "'%s'", e->name);
    return rc;
}

int
hs_cluster_fit_embed(struct hs_embed *e, int threads, size_t lo, size_t hi, bool keep_all,
                     struct hs_cluster_fits *out, const struct hs_task *task, struct hs_err *err)
{
    double sil[HS_CLUSTER_MAX_RANGE];

    return hs_cluster_fit_embed_sil(e, threads, lo, hi, keep_all, out, sil, task, err);
}

char *
hs_cluster_pending_key(const struct hs_embed *e, const char *ds, size_t lo, size_t hi)
{
    struct hs_strbuf b = {0};
    char *params = hs_params_line(&e->o.params), *key;

    if (!params)
        return NULL;
    /* k is the parameter's default here: the range sets it. */
    hs_strbuf_printf(&b, "%s\n%s\n%s\n%zu..%zu\n%s\n", ds ? ds : "", e->name ? e->name : "",
                     e->o.method->name, lo, hi, params);
    hs_free(params);
    for (size_t i = 0; i < e->nin; i++)
        hs_strbuf_printf(&b, "%s,", e->names[i]);
    hs_strbuf_printf(&b, "\n%s\n%zu of %zu events, %zu fitted\n", e->sel.active ? e->sel.text : "",
                     e->nsel, e->ld.t ? e->ld.t->nrows : 0, e->nfit);
    if (b.failed) {
        hs_strbuf_release(&b);
        return NULL;
    }
    key = strdup(b.s);
    hs_strbuf_release(&b);
    return key;
}

void
hs_cluster_table_release(struct hs_cluster_table *t)
{
    hs_clusterq_release(&t->q);
    for (size_t g = 0; g < t->ngroups; g++)
        free(t->group[g].name);
    free(t->group);
    memset(t, 0, sizeof *t);
}

/* Per signal group: its signal against all the background. */
static int
table_groups(const struct hs_embed *e, const long *id, const unsigned char *fitted,
             struct hs_cluster_table *out, struct hs_err *err)
{
    const struct hs_table *t = e->ld.t;
    const struct hs_column *gc = hs_table_group(t);
    const double *label = hs_table_label(t);
    struct hs_group_set gs = {0};
    struct hs_err ignored;
    unsigned char *keep;
    int rc = HS_OK;

    if (!gc || !label)
        return HS_OK;
    /* No signal groups: nothing to say. */
    if (hs_group_set_make(t, fitted, &gs, &ignored) != HS_OK || gs.n < 2 || gs.n > 40) {
        hs_group_set_release(&gs);
        return HS_OK;
    }
    keep = malloc(t->nrows ? t->nrows : 1);
    out->group = calloc(gs.n, sizeof *out->group);
    if (!keep || !out->group) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    snprintf(out->group_column, sizeof out->group_column, "%s", gc->name);
    for (size_t k = 0; k < gs.n && rc == HS_OK; k++) {
        struct hs_cluster_group_row *row = &out->group[k];
        struct hs_clusterq q;
        for (size_t i = 0; i < t->nrows; i++)
            keep[i] = fitted[i] && (label[i] == 0 || (label[i] == 1 && gc->v[i] == gs.code[k]));
        if ((rc = hs_clusterq_compute(id, label, keep, t->nrows, &q, err)))
            break;
        row->nsignal = gs.nsig[k];
        row->purity = q.purity;
        row->ari = q.ari;
        hs_clusterq_release(&q);
        if (!(row->name = strdup(gs.name[k] ? gs.name[k] : "")))
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        out->ngroups++;
    }
done:
    free(keep);
    hs_group_set_release(&gs);
    return rc;
}

int
hs_cluster_table_make(const struct hs_embed *e, const long *id, struct hs_cluster_table *t,
                      struct hs_err *err)
{
    size_t n = e->ld.t->nrows;
    unsigned char *fitted = malloc(n ? n : 1);
    int rc;

    memset(t, 0, sizeof *t);
    if (!fitted)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        fitted[i] = e->part[i] == 0;
    rc = hs_clusterq_compute(id, hs_table_label(e->ld.t), fitted, n, &t->q, err);
    if (rc == HS_OK && (rc = table_groups(e, id, fitted, t, err)))
        hs_cluster_table_release(t);
    free(fitted);
    return rc;
}

int
hs_cluster_criteria_figure(const struct hs_cluster_kfit *f, size_t n, size_t mark,
                           const char *title, struct hs_figure **out, struct hs_err *err)
{
    struct hs_figure *fig = hs_figure_new();
    double x[HS_CLUSTER_MAX_RANGE], y[2][HS_CLUSTER_MAX_RANGE], mk = NAN;
    bool like = n > 0 && isfinite(f[0].bic);
    char msg[HS_PLOT_MSG_MAX];
    int rc = HS_OK;

    *out = NULL;
    if (!fig)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && i < HS_CLUSTER_MAX_RANGE; i++) {
        x[i] = (double)f[i].k;
        y[0][i] = like ? f[i].bic : f[i].inertia;
        y[1][i] = f[i].aic;
        if (f[i].k == mark)
            mk = x[i];
    }
    for (int s = 0; s < (like ? 2 : 1) && rc == HS_OK; s++) {
        struct hs_series ser = {0};
        ser.kind = HS_SERIES_LINE;
        ser.label = (char *)(!like ? "inertia" : s == 0 ? "BIC" : "AIC");
        ser.color = s == 0 ? HS_PAL_SIGNAL : HS_PAL_BACKGROUND;
        ser.alpha = 1;
        ser.n = n;
        ser.x = x;
        ser.y = y[s];
        if (!hs_panel_add(&fig->main, &ser, msg))
            rc = hs_err_set(err, HS_ENOMEM, "%s", msg);
        ser.kind = HS_SERIES_POINTS;
        ser.label = NULL;
        if (rc == HS_OK && !hs_panel_add(&fig->main, &ser, msg))
            rc = hs_err_set(err, HS_ENOMEM, "%s", msg);
    }
    if (rc == HS_OK && isfinite(mk)) {
        /* The marked K as a vertical line over the curves' range. */
        struct hs_series ser = {0};
        double lx[2] = {mk, mk}, ly[2] = {INFINITY, -INFINITY};
        char lab[48];
        for (size_t i = 0; i < n && i < HS_CLUSTER_MAX_RANGE; i++)
            for (int s = 0; s < (like ? 2 : 1); s++) {
                ly[0] = fmin(ly[0], y[s][i]);
                ly[1] = fmax(ly[1], y[s][i]);
            }
        snprintf(lab, sizeof lab, "K = %zu", mark);
        ser.kind = HS_SERIES_LINE;
        ser.label = lab;
        ser.color = HS_PAL_DATA;
        ser.alpha = 1;
        ser.n = 2;
        ser.x = lx;
        ser.y = ly;
        if (!hs_panel_add(&fig->main, &ser, msg))
            rc = hs_err_set(err, HS_ENOMEM, "%s", msg);
    }
    /* Half a K of room either side: the end points and the mark show whole. */
    if (n > 0) {
        fig->main.x.fixed = true;
        fig->main.x.lo = (double)f[0].k - 0.5;
        fig->main.x.hi = (double)f[n - 1].k + 0.5;
    }
    if (rc == HS_OK && (hs_figure_set_string(&fig->main.x.label, "clusters K", msg) ||
                        hs_figure_set_string(&fig->main.y.label, like ? "BIC, AIC" : "inertia",
                                             msg) ||
                        (title && hs_figure_set_string(&fig->title, title, msg))))
        rc = hs_err_set(err, HS_ENOMEM, "%s", msg);
    if (rc) {
        hs_figure_free(fig);
        return rc;
    }
    *out = fig;
    return HS_OK;
}

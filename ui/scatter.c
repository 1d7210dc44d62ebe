/* scatter.c: the scatter figure shared by `plot scatter` and `project`
 * (scatter.h). */
#include "config.h"

#include "ui/scatter.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"
#include "plots/palette.h"
#include "subsample.h"
#include "table.h"

#define MAX_CATS 11
#define NBANDS 5

/* What colours the points: a class per event (-1: none) and a name and
 * colour per class. */
struct classes {
    int *of;    /* nrows */
    size_t n;
    char name[MAX_CATS + 1][96];
    int color[MAX_CATS + 1];
};

static int
by_label(struct hs_cmd *cmd, const struct hs_table *t, struct classes *c)
{
    const double *label = hs_table_label(t);

    if (!label)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "--color label: dataset '%s' has no label (try --color group or a "
                          "column)",
                          cmd->dataset);
    /* Background first, so that the rarer signal is drawn over it. */
    c->n = 2;
    snprintf(c->name[0], sizeof c->name[0], "background");
    c->color[0] = HS_PAL_BACKGROUND;
    snprintf(c->name[1], sizeof c->name[1], "signal");
    c->color[1] = HS_PAL_SIGNAL;
    for (size_t i = 0; i < t->nrows; i++)
        c->of[i] = label[i] == 1 ? 1 : label[i] == 0 ? 0 : -1;
    return HS_OK;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Categories of the distinct values of v (at most MAX_CATS, the most
 * frequent; the rest one "other" class), text codes named by col. */
static int
by_values(struct hs_cmd *cmd, const char *what, const double *v, const struct hs_column *col,
          size_t nrows, struct classes *c)
{
    double vals[MAX_CATS + 1];
    size_t count[MAX_CATS + 1] = {0}, nv = 0;
    bool other = false;

    (void)cmd;
    /* The distinct values, kept while there are few. */
    for (size_t i = 0; i < nrows; i++) {
        size_t k = 0;
        if (!isfinite(v[i]))
            continue;
        while (k < nv && vals[k] != v[i])
            k++;
        if (k == nv) {
            if (nv == MAX_CATS) {
                other = true;
                continue;
            }
            vals[nv++] = v[i];
        }
        count[k]++;
    }
    qsort(vals, nv, sizeof *vals, cmp_double);
    c->n = nv + other;
    for (size_t k = 0; k < nv; k++) {
        char num[HS_NUM_BUF];
        const char *shown = num;
        if (col && col->kind == HS_COL_TEXT && vals[k] >= 0 && vals[k] < (double)col->ncats)
            shown = col->cats[(size_t)vals[k]];
        else
            hs_num_format(vals[k], num);
        snprintf(c->name[k], sizeof c->name[k], "%s %s", what, shown);
        c->color[k] = HS_PAL_CAT0 + (int)k;
    }
    if (other) {
        snprintf(c->name[nv], sizeof c->name[nv], "%s: other values", what);
        c->color[nv] = HS_PAL_DATA;
    }
    for (size_t i = 0; i < nrows; i++) {
        size_t k = 0;
        c->of[i] = -1;
        if (!isfinite(v[i]))
            continue;
        while (k < nv && vals[k] != v[i])
            k++;
        c->of[i] = (int)k; /* nv: other */
    }
    return HS_OK;
}

/* Whole numbers with at most MAX_CATS distinct values? */
static bool
categorical(const double *v, size_t n)
{
    double seen[MAX_CATS];
    size_t ns = 0;

    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        if (!isfinite(v[i]))
            continue;
        if (v[i] != floor(v[i]))
            return false;
        while (k < ns && seen[k] != v[i])
            k++;
        if (k == ns) {
            if (ns == MAX_CATS)
                return false;
            seen[ns++] = v[i];
        }
    }
    return true;
}

/* Five bands of equal counts of the finite values of v. */
static int
by_bands(struct hs_cmd *cmd, const char *what, const double *v, size_t nrows, struct classes *c)
{
    double *s = malloc((nrows ? nrows : 1) * sizeof *s), edge[NBANDS + 1];
    size_t m = 0;

    if (!s)
        return hs_cmd_nomem(cmd);
    for (size_t i = 0; i < nrows; i++)
        if (isfinite(v[i]))
            s[m++] = v[i];
    qsort(s, m, sizeof *s, cmp_double);
    for (int b = 0; b <= NBANDS; b++)
        edge[b] = m ? s[b == NBANDS ? m - 1 : (size_t)b * m / NBANDS] : 0;
    free(s);
    c->n = NBANDS;
    for (int b = 0; b < NBANDS; b++) {
        char lo[HS_NUM_BUF], hi[HS_NUM_BUF];
        snprintf(lo, sizeof lo, "%.3g", edge[b]);
        snprintf(hi, sizeof hi, "%.3g", edge[b + 1]);
        snprintf(c->name[b], sizeof c->name[b], "%s %s to %s", what, lo, hi);
        /* Low to high along the sequential map, as a heat map would. */
        c->color[b] = HS_PAL_CAT0 + b;
    }
    for (size_t i = 0; i < nrows; i++) {
        int b = 0;
        if (!isfinite(v[i])) {
            c->of[i] = -1;
            continue;
        }
        while (b < NBANDS - 1 && v[i] >= edge[b + 1])
            b++;
        c->of[i] = b;
    }
    return HS_OK;
}

static int
classes_make(struct hs_cmd *cmd, struct hs_featureset *fs, const char *color, struct classes *c)
{
    const struct hs_table *t = fs->t;
    const struct hs_column *g;
    const double *v;
    int rc;

    if (!(c->of = malloc((t->nrows ? t->nrows : 1) * sizeof *c->of)))
        return hs_cmd_nomem(cmd);
    if (!color && !hs_table_label(t)) {
        c->n = 1;
        snprintf(c->name[0], sizeof c->name[0], "events");
        c->color[0] = HS_PAL_SIGNAL;
        memset(c->of, 0, t->nrows * sizeof *c->of);
        return HS_OK;
    }
    if (!color || strcmp(color, "label") == 0)
        return by_label(cmd, t, c);
    if (strcmp(color, "group") == 0) {
        if (!(g = hs_table_group(t)))
            return hs_err_set(&cmd->err, HS_EUSAGE, "--color group: dataset '%s' has no group "
                                                    "column",
                              cmd->dataset);
        return by_values(cmd, g->name, g->v, g, t->nrows, c);
    }
    if ((rc = hs_featureset_values_by_name(fs, color, &v, &cmd->task, &cmd->err))) {
        hs_err_prefix(&cmd->err, "--color");
        return rc;
    }
    {
        long col = hs_table_find(t, color);
        const struct hs_column *cc = col >= 0 ? &t->cols[col] : NULL;
        if (categorical(v, t->nrows) || (cc && cc->kind == HS_COL_TEXT))
            return by_values(cmd, color, v, cc, t->nrows, c);
    }
    return by_bands(cmd, color, v, t->nrows, c);
}

int
hs_scatter_figure(struct hs_cmd *cmd, struct hs_featureset *fs, const struct hs_scatter_spec *sp,
                  struct hs_figure **out)
{
    const struct hs_table *t = fs->t;
    size_t n = t->nrows, ndraw = 0, nall = 0, maxp = sp->max_points ? sp->max_points
                                                                     : HS_SCATTER_MAX_POINTS;
    struct classes c = {0};
    unsigned char *use = NULL;
    double *x = NULL, *y = NULL;
    struct hs_figure *f = NULL;
    char msg[HS_PLOT_MSG_MAX];
    int rc;

    *out = NULL;
    if ((rc = classes_make(cmd, fs, sp->color, &c)))
        goto done;
    use = malloc(n ? n : 1);
    x = malloc((n ? n : 1) * sizeof *x);
    y = malloc((n ? n : 1) * sizeof *y);
    if (!use || !x || !y) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        use[i] = (!sp->mask || sp->mask[i]) && isfinite(sp->x[i]) && isfinite(sp->y[i]) &&
                 c.of[i] >= 0;
        nall += use[i];
    }
    if (nall == 0) {
        rc = hs_err_set(&cmd->err, HS_EDATA, "no event of '%s' has both coordinates to draw",
                        cmd->dataset);
        goto done;
    }
    if (nall > maxp) {
        const struct hs_column *g = hs_table_group(t);
        unsigned char *keep = malloc(n);
        if (!keep) {
            rc = hs_cmd_nomem(cmd);
            goto done;
        }
        rc = hs_subsample(n, use, hs_table_label(t), g ? g->v : NULL, maxp, sp->seed, keep,
                          &ndraw, &cmd->err);
        free(use);
        use = keep;
        if (rc)
            goto done;
    } else {
        ndraw = nall;
    }
    if (!(f = hs_figure_new())) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    for (size_t k = 0; k < c.n; k++) {
        struct hs_series s = {0};
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (use[i] && c.of[i] == (int)k) {
                x[m] = sp->x[i];
                y[m++] = sp->y[i];
            }
        if (m == 0)
            continue;
        s.kind = HS_SERIES_SCATTER;
        s.label = c.name[k];
        s.color = c.color[k];
        /* Dense figures: faint points, so that overlap shows as colour. */
        s.alpha = ndraw > 20000 ? 0.15 : ndraw > 2000 ? 0.35 : 0.8;
        s.n = m;
        s.x = x;
        s.y = y;
        if (!hs_panel_add(&f->main, &s, msg)) {
            rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
            goto done;
        }
    }
    if (hs_figure_set_string(&f->main.x.label, sp->xlabel, msg) ||
        hs_figure_set_string(&f->main.y.label, sp->ylabel, msg) ||
        hs_figure_set_string(&f->title, sp->title, msg)) {
        rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
        goto done;
    }
    if (ndraw < nall) {
        snprintf(msg, sizeof msg, "%zu of %zu events drawn (a stratified sample)", ndraw, nall);
        if (hs_figure_set_string(&f->text, msg, msg)) {
            rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
            goto done;
        }
    }
    f->legend = true;
    *out = f;
    f = NULL;
done:
    hs_figure_free(f);
    free(c.of);
    free(use);
    free(x);
    free(y);
    return rc;
}

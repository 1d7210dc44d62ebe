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

#define MAX_CATS HS_PAL_NCATS
#define NBANDS HS_PAL_NSEQ

/* What colours the points: a class per event (-1: none) and a name and
 * colour per class. */
struct classes {
    int *of;    /* nrows */
    size_t n;
    char name[MAX_CATS + 1][96];
    int color[MAX_CATS + 1];
};

/* Where the colours come from: the label, one value per event (a column,
 * a feature, a learned column, the group), or nothing (one colour). */
struct source {
    enum { SRC_NONE, SRC_LABEL, SRC_VALUES } kind;
    const double *v;              /* SRC_LABEL: the label; SRC_VALUES: the values */
    const struct hs_column *col;  /* the table column of the values, or NULL */
    const char *what;             /* the legend's prefix */
    bool group;                   /* the group column: its most frequent values */
};

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A distinct value and how many drawn events have it. */
struct tally {
    double v;
    size_t n;
};

/* More frequent first, the smaller value on a tie. */
static int
cmp_tally_count(const void *a, const void *b)
{
    const struct tally *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return cmp_double(&x->v, &y->v);
}

static int
cmp_tally_value(const void *a, const void *b)
{
    return cmp_double(&((const struct tally *)a)->v, &((const struct tally *)b)->v);
}

/* The finite values of v on the drawn events, sorted, into *out (new). */
static int
drawn_sorted(struct hs_cmd *cmd, const double *v, const unsigned char *use, size_t nrows,
             double **out, size_t *m)
{
    double *s = malloc((nrows ? nrows : 1) * sizeof *s);

    if (!s)
        return hs_cmd_nomem(cmd);
    *m = 0;
    for (size_t i = 0; i < nrows; i++)
        if (use[i] && isfinite(v[i]))
            s[(*m)++] = v[i];
    qsort(s, *m, sizeof *s, cmp_double);
    *out = s;
    return HS_OK;
}

/* Categories of the distinct values of the drawn events' sorted values
 * s[0..m): all of them when there are at most MAX_CATS, else the MAX_CATS
 * most frequent (the smaller value on a tie) and one "other" class;
 * text codes named by col.  Each its own colour, none a role's. */
static void
by_values(const struct source *src, const double *s, size_t m, size_t nrows,
          struct classes *c)
{
    struct tally t[MAX_CATS + 1];
    size_t nt = 0, nv;
    double vals[MAX_CATS];
    bool other = false;

    /* Keep the MAX_CATS + 1 best runs of equal values as they pass. */
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && s[j] == s[i])
            j++;
        struct tally run = {s[i], j - i};
        if (nt <= MAX_CATS) {
            t[nt++] = run;
        } else {
            other = true;
            if (cmp_tally_count(&run, &t[MAX_CATS]) < 0)
                t[MAX_CATS] = run;
        }
        qsort(t, nt, sizeof *t, cmp_tally_count);
        i = j;
    }
    if (nt > MAX_CATS) {
        other = true;
        nt = MAX_CATS;
    }
    qsort(t, nt, sizeof *t, cmp_tally_value);
    nv = nt;
    for (size_t k = 0; k < nv; k++) {
        char num[HS_NUM_BUF];
        const char *shown = num;
        const struct hs_column *col = src->col;
        vals[k] = t[k].v;
        if (col && col->kind == HS_COL_TEXT && vals[k] >= 0 && vals[k] < (double)col->ncats)
            shown = col->cats[(size_t)vals[k]];
        else
            hs_num_format(vals[k], num);
        snprintf(c->name[k], sizeof c->name[k], "%s %s", src->what, shown);
        c->color[k] = HS_PAL_CAT0 + (int)k;
    }
    c->n = nv + other;
    if (other) {
        snprintf(c->name[nv], sizeof c->name[nv], "%s: other values", src->what);
        c->color[nv] = HS_PAL_DATA;
    }
    for (size_t i = 0; i < nrows; i++) {
        const double *hit;
        c->of[i] = -1;
        if (!isfinite(src->v[i]))
            continue;
        hit = bsearch(&src->v[i], vals, nv, sizeof *vals, cmp_double);
        if (hit)
            c->of[i] = (int)(hit - vals);
        else if (other)
            c->of[i] = (int)nv;
    }
}

/* At most NBANDS bands of about equal counts of the drawn events' sorted
 * values s[0..m) (quantiles), a run of equal values never split: a value
 * that fills a band or more is a band of its own ("HNL_mass 0"), so that
 * tied quantiles merge.  Coloured low to high along viridis. */
static void
by_bands(const struct source *src, const double *s, size_t m, size_t nrows, struct classes *c)
{
    double hi[NBANDS];
    size_t nb = 0;

    for (size_t i = 0; i < m && nb < NBANDS; nb++) {
        size_t j = i + (m - i + (NBANDS - nb) - 1) / (NBANDS - nb);
        if (nb == NBANDS - 1 || j > m)
            j = m;
        while (j < m && s[j] == s[j - 1])
            j++;
        char lo[HS_NUM_BUF], up[HS_NUM_BUF];
        snprintf(lo, sizeof lo, "%.3g", s[i]);
        snprintf(up, sizeof up, "%.3g", s[j - 1]);
        if (s[i] == s[j - 1])
            snprintf(c->name[nb], sizeof c->name[nb], "%s %s", src->what, lo);
        else
            snprintf(c->name[nb], sizeof c->name[nb], "%s %s to %s", src->what, lo, up);
        hi[nb] = s[j - 1];
        i = j;
    }
    c->n = nb;
    for (size_t b = 0; b < nb; b++)
        c->color[b] = HS_PAL_SEQ0 +
                      (nb > 1 ? (int)((b * (NBANDS - 1) + (nb - 1) / 2) / (nb - 1)) : NBANDS / 2);
    for (size_t i = 0; i < nrows; i++) {
        size_t b = 0;
        c->of[i] = -1;
        if (!isfinite(src->v[i]) || nb == 0)
            continue;
        while (b < nb - 1 && src->v[i] > hi[b])
            b++;
        c->of[i] = (int)b;
    }
}

static int
source_find(struct hs_cmd *cmd, struct hs_featureset *fs, const char *color, struct source *src)
{
    const struct hs_table *t = fs->t;
    const struct hs_column *g;
    int rc;

    memset(src, 0, sizeof *src);
    if (!color && !hs_table_label(t))
        return HS_OK;
    if (!color || strcmp(color, "label") == 0) {
        if (!(src->v = hs_table_label(t)))
            return hs_err_set(&cmd->err, HS_EUSAGE,
                              "--color label: dataset '%s' has no label (try --color group or a "
                              "column)",
                              cmd->dataset);
        src->kind = SRC_LABEL;
        return HS_OK;
    }
    src->kind = SRC_VALUES;
    if (strcmp(color, "group") == 0) {
        if (!(g = hs_table_group(t)))
            return hs_err_set(&cmd->err, HS_EUSAGE, "--color group: dataset '%s' has no group "
                                                    "column",
                              cmd->dataset);
        src->v = g->v;
        src->col = g;
        src->what = g->name;
        src->group = true;
        return HS_OK;
    }
    if ((rc = hs_featureset_values_by_name(fs, color, &src->v, &cmd->task, &cmd->err))) {
        hs_err_prefix(&cmd->err, "--color");
        return rc;
    }
    long col = hs_table_find(t, color);
    src->col = col >= 0 ? &t->cols[col] : NULL;
    src->what = color;
    return HS_OK;
}

/* Could event i be drawn in a colour of src? */
static bool
source_has(const struct source *src, size_t i)
{
    switch (src->kind) {
    case SRC_LABEL:
        return src->v[i] == 0 || src->v[i] == 1;
    case SRC_VALUES:
        return isfinite(src->v[i]);
    default:
        return true;
    }
}

/* The classes of src, made from the drawn events use[] alone (a map of
 * a subsample colours by what it shows): a group, a text column or a
 * column with at most MAX_CATS distinct drawn values in categories, any
 * other column in bands. */
static int
classes_make(struct hs_cmd *cmd, const struct hs_table *t, const struct source *src,
             const unsigned char *use, struct classes *c)
{
    size_t n = t->nrows, m = 0, ndistinct = 0;
    double *s = NULL;
    int rc;

    if (!(c->of = malloc((n ? n : 1) * sizeof *c->of)))
        return hs_cmd_nomem(cmd);
    if (src->kind == SRC_NONE) {
        c->n = 1;
        snprintf(c->name[0], sizeof c->name[0], "events");
        c->color[0] = HS_PAL_SIGNAL;
        memset(c->of, 0, n * sizeof *c->of);
        return HS_OK;
    }
    if (src->kind == SRC_LABEL) {
        /* Background first, so that the rarer signal is drawn over it. */
        c->n = 2;
        snprintf(c->name[0], sizeof c->name[0], "background");
        c->color[0] = HS_PAL_BACKGROUND;
        snprintf(c->name[1], sizeof c->name[1], "signal");
        c->color[1] = HS_PAL_SIGNAL;
        for (size_t i = 0; i < n; i++)
            c->of[i] = src->v[i] == 1 ? 1 : src->v[i] == 0 ? 0 : -1;
        return HS_OK;
    }
    if ((rc = drawn_sorted(cmd, src->v, use, n, &s, &m)))
        return rc;
    for (size_t i = 0; i < m && ndistinct <= MAX_CATS; i++)
        ndistinct += i == 0 || s[i] != s[i - 1];
    if (src->group || ndistinct <= MAX_CATS || (src->col && src->col->kind == HS_COL_TEXT))
        by_values(src, s, m, n, c);
    else
        by_bands(src, s, m, n, c);
    free(s);
    return HS_OK;
}

int
hs_scatter_figure(struct hs_cmd *cmd, struct hs_featureset *fs, const struct hs_scatter_spec *sp,
                  struct hs_figure **out)
{
    const struct hs_table *t = fs->t;
    size_t n = t->nrows, ndraw = 0, nall = 0, maxp = sp->max_points ? sp->max_points
                                                                     : HS_SCATTER_MAX_POINTS;
    struct classes c = {0};
    struct source src;
    unsigned char *use = NULL;
    double *x = NULL, *y = NULL;
    struct hs_figure *f = NULL;
    char msg[HS_PLOT_MSG_MAX];
    int rc;

    *out = NULL;
    if ((rc = source_find(cmd, fs, sp->color, &src)))
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
                 source_has(&src, i);
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
    if ((rc = classes_make(cmd, t, &src, use, &c)))
        goto done;
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

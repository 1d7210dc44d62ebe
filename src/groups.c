/* groups.c: signal groups and how a score does on each (groups.h). */
#include "config.h"

#include "groups.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "mem.h"
#include "numparse.h"

void
hs_group_set_release(struct hs_group_set *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->n; i++)
        hs_free(g->name[i]);
    hs_free(g->name);
    hs_free(g->code);
    hs_free(g->nsig);
    memset(g, 0, sizeof *g);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The name of group value v of column c into buf. */
static void
group_name(const struct hs_column *c, double v, char buf[HS_NUM_BUF * 2])
{
    if (c->kind == HS_COL_TEXT) {
        const char *s = hs_column_text(c, v);
        snprintf(buf, HS_NUM_BUF * 2, "%s", s ? s : "?");
    } else {
        hs_num_format(v, buf);
    }
}

int
hs_group_set_make(const struct hs_table *t, const unsigned char *mask, struct hs_group_set *g,
                  struct hs_err *err)
{
    const struct hs_column *c = hs_table_group(t);
    const double *label = hs_table_label(t);
    double *vals = NULL;
    size_t m = 0;

    memset(g, 0, sizeof *g);
    if (!c)
        return hs_err_set(err, HS_EUSAGE, "the dataset has no group column: no groups to show");
    if (!label)
        return hs_err_set(err, HS_EUSAGE, "the dataset has no label: no signal groups");
    if (!(vals = hs_malloc((t->nrows + 1) * sizeof *vals)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->nrows; i++)
        if (label[i] == 1 && (!mask || mask[i]) && !isnan(c->v[i]))
            vals[m++] = c->v[i];
    qsort(vals, m, sizeof *vals, cmp_double);
    g->code = hs_malloc((m + 1) * sizeof *g->code);
    g->nsig = hs_calloc(m + 1, sizeof *g->nsig);
    g->name = hs_calloc(m + 1, sizeof *g->name);
    if (!g->code || !g->nsig || !g->name) {
        hs_free(vals);
        hs_group_set_release(g);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < m; i++) {
        if (g->n && g->code[g->n - 1] == vals[i]) {
            g->nsig[g->n - 1]++;
            continue;
        }
        char buf[HS_NUM_BUF * 2];
        group_name(c, vals[i], buf);
        g->code[g->n] = vals[i];
        g->nsig[g->n] = 1;
        if (!(g->name[g->n] = hs_strdup(buf))) {
            hs_free(vals);
            hs_group_set_release(g);
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        }
        g->n++;
    }
    hs_free(vals);
    return HS_OK;
}

int
hs_group_find(const struct hs_table *t, const char *name, double *code, struct hs_err *err)
{
    struct hs_group_set g;
    double x;
    size_t len = 0;
    char list[256] = "";
    int rc = hs_group_set_make(t, NULL, &g, err);

    if (rc)
        return rc;
    bool isnum = hs_num_parse(name, strlen(name), &x) == HS_OK;
    for (size_t i = 0; i < g.n; i++) {
        bool hit = strcmp(g.name[i], name) == 0 ||
                   (isnum && hs_table_group(t)->kind == HS_COL_NUMBER && g.code[i] == x);
        if (hit) {
            *code = g.code[i];
            hs_group_set_release(&g);
            return HS_OK;
        }
    }
    for (size_t i = 0; i < g.n && len + 8 < sizeof list; i++) {
        int w = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", g.name[i]);
        if (w < 0)
            break;
        len += (size_t)w;
        if (len >= sizeof list)
            len = sizeof list - 1;
    }
    rc = hs_err_set(err, HS_ENOTFOUND, "no signal group '%s' (groups: %s)", name,
                    g.n ? list : "none");
    hs_group_set_release(&g);
    return rc;
}

int
hs_group_perf(const struct hs_table *t, const double *score, const unsigned char *mask,
              const struct hs_group_set *g, double *auc, double *bkg95,
              const struct hs_task *task, struct hs_err *err)
{
    const struct hs_column *c = hs_table_group(t);
    const double *label = hs_table_label(t);
    unsigned char *m = hs_malloc(t->nrows + 1);
    int rc = HS_OK;

    if (!m)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t k = 0; k < g->n && rc == HS_OK; k++) {
        struct hs_roc r = {0};
        for (size_t i = 0; i < t->nrows; i++)
            m[i] = (!mask || mask[i]) &&
                   (label[i] == 0 || (label[i] == 1 && c && c->v[i] == g->code[k]));
        rc = hs_eval_roc(score, label, hs_table_weight(t), m, t->nrows, &r, task, err);
        auc[k] = r.n ? r.auc : NAN;
        bkg95[k] = r.n ? hs_roc_bkg_at(&r, 0.95) : NAN;
        hs_roc_release(&r);
    }
    hs_free(m);
    return rc;
}


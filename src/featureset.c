#include "config.h"

#include "featureset.h"

#include <string.h>

#include "mem.h"
#include "names.h"

static void
feature_release(struct hs_feature *f)
{
    hs_free(f->name);
    hs_free(f->expr);
    hs_free(f->values);
    hs_expr_free(f->prog);
    memset(f, 0, sizeof *f);
}

void
hs_featureset_release(struct hs_featureset *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->n; i++)
        feature_release(&fs->f[i]);
    hs_free(fs->f);
    memset(fs, 0, sizeof *fs);
}

static int
push(struct hs_featureset *fs, struct hs_feature *f)
{
    if (hs_grow((void **)&fs->f, &fs->cap, fs->n + 1, sizeof *fs->f))
        return HS_ENOMEM;
    fs->f[fs->n++] = *f;
    return HS_OK;
}

int
hs_featureset_init(struct hs_featureset *fs, const struct hs_table *t, struct hs_err *err)
{
    memset(fs, 0, sizeof *fs);
    fs->t = t;
    for (size_t j = 0; j < t->ncols; j++) {
        struct hs_feature f = {0};
        if (!hs_table_is_feature(t, j) || t->cols[j].kind != HS_COL_NUMBER)
            continue;
        f.name = hs_strdup(t->cols[j].name);
        f.on = true;
        f.col = (long)j;
        if (!f.name || push(fs, &f)) {
            hs_free(f.name);
            hs_featureset_release(fs);
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        }
    }
    return HS_OK;
}

long
hs_featureset_find(const struct hs_featureset *fs, const char *name)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* The names an expression of a derived feature may use: the table's own
 * columns (not hepscope's synthetic ones), then the derived features in
 * order.  Index k < t->ncols is table column k; beyond, derived feature
 * number k - t->ncols in derived order.  Arrays are new. */
struct scope {
    size_t n;
    const char **names;
    enum hs_col_kind *kinds;
    const struct hs_column **cols;
    long *feature; /* the feature index behind a derived entry, else -1 */
};

static void
scope_release(struct scope *s)
{
    hs_free(s->names);
    hs_free(s->kinds);
    hs_free(s->cols);
    hs_free(s->feature);
}

static int
scope_build(const struct hs_featureset *fs, size_t upto, struct scope *s)
{
    const struct hs_table *t = fs->t;
    size_t cap = t->ncols + fs->n + 1, k = 0;

    s->names = hs_calloc(cap, sizeof *s->names);
    s->kinds = hs_calloc(cap, sizeof *s->kinds);
    s->cols = hs_calloc(cap, sizeof *s->cols);
    s->feature = hs_calloc(cap, sizeof *s->feature);
    if (!s->names || !s->kinds || !s->cols || !s->feature) {
        scope_release(s);
        return HS_ENOMEM;
    }
    for (size_t j = 0; j < t->ncols; j++, k++) {
        /* A synthetic column keeps its slot (indices stay table indices)
         * under a name no expression can spell. */
        s->names[k] = t->cols[j].synthetic ? "" : t->cols[j].name;
        s->kinds[k] = t->cols[j].kind;
        s->cols[k] = &t->cols[j];
        s->feature[k] = -1;
    }
    for (size_t i = 0; i < upto; i++) {
        if (!fs->f[i].expr)
            continue;
        s->names[k] = fs->f[i].name;
        s->kinds[k] = HS_COL_NUMBER;
        s->cols[k] = NULL;
        s->feature[k] = (long)i;
        k++;
    }
    s->n = k;
    return HS_OK;
}

int
hs_featureset_add(struct hs_featureset *fs, const char *name, const char *expr, bool on,
                  struct hs_err *err)
{
    struct hs_feature f = {0};
    struct scope s = {0};
    struct hs_expr_columns ec;
    int rc;

    if (!hs_name_is_identifier(name))
        return hs_err_set(err, HS_EUSAGE,
                          "feature '%s': a name is letters, digits and '_', not starting with a "
                          "digit",
                          name);
    if (hs_table_find(fs->t, name) >= 0 || hs_featureset_find(fs, name) >= 0)
        return hs_err_set(err, HS_EEXIST, "feature '%s': the name is taken", name);
    if (scope_build(fs, fs->n, &s))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    ec.n = s.n;
    ec.names = s.names;
    ec.kinds = s.kinds;
    ec.cols = s.cols;
    rc = hs_expr_compile(expr, &ec, &f.prog, err);
    scope_release(&s);
    if (rc) {
        hs_err_prefix(err, "feature '%s'", name);
        return rc;
    }
    f.name = hs_strdup(name);
    f.expr = hs_strdup(expr);
    f.on = on;
    f.col = -1;
    if (!f.name || !f.expr || push(fs, &f)) {
        feature_release(&f);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    return HS_OK;
}

static int
not_found(const struct hs_featureset *fs, const char *name, struct hs_err *err)
{
    const char **names = hs_malloc((fs->n + 1) * sizeof *names);
    const char *close = NULL;

    if (names) {
        for (size_t i = 0; i < fs->n; i++)
            names[i] = fs->f[i].name;
        close = hs_closest_name(name, names, fs->n);
    }
    if (close)
        hs_err_set(err, HS_ENOTFOUND, "no feature '%s' (did you mean '%s'?)", name, close);
    else
        hs_err_set(err, HS_ENOTFOUND, "no feature '%s'", name);
    hs_free(names);
    return HS_ENOTFOUND;
}

int
hs_featureset_set_on(struct hs_featureset *fs, const char *name, bool on, struct hs_err *err)
{
    long i = hs_featureset_find(fs, name);

    if (i < 0)
        return not_found(fs, name, err);
    fs->f[i].on = on;
    return HS_OK;
}

/* The derived feature that uses feature i, or -1. */
static long
user_of(const struct hs_featureset *fs, size_t i)
{
    for (size_t k = i + 1; k < fs->n; k++) {
        const struct hs_expr *e = fs->f[k].prog;
        for (size_t c = 0; e && c < hs_expr_ncolumns(e); c++)
            if (strcmp(hs_expr_column_name(e, c), fs->f[i].name) == 0)
                return (long)k;
    }
    return -1;
}

int
hs_featureset_drop(struct hs_featureset *fs, const char *name, struct hs_err *err)
{
    long i = hs_featureset_find(fs, name), user;

    if (i < 0)
        return not_found(fs, name, err);
    if (!fs->f[i].expr)
        return hs_err_set(err, HS_EUSAGE,
                          "feature '%s' is a column of the data: turn it off instead", name);
    if ((user = user_of(fs, (size_t)i)) >= 0)
        return hs_err_set(err, HS_EUSAGE, "feature '%s' is used by feature '%s': drop that first",
                          name, fs->f[user].name);
    feature_release(&fs->f[i]);
    memmove(&fs->f[i], &fs->f[i + 1], (fs->n - (size_t)i - 1) * sizeof *fs->f);
    fs->n--;
    return HS_OK;
}

/* Evaluate prog, compiled against scope s, over every row into out: the
 * table columns it reads are used in place, the derived features it reads
 * are computed first (they come earlier in the set, so this recursion
 * ends). */
static int
eval_in_scope(struct hs_featureset *fs, const struct scope *s, const struct hs_expr *prog,
              double *out, struct hs_expr_stats *stats, const struct hs_task *task,
              struct hs_err *err)
{
    const double **cols = hs_calloc(s->n + 1, sizeof *cols);
    int rc = HS_OK;

    if (!cols)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t c = 0; c < hs_expr_ncolumns(prog) && rc == HS_OK; c++) {
        size_t k = hs_expr_column(prog, c);

        if (s->feature[k] < 0)
            cols[k] = fs->t->cols[k].v;
        else
            rc = hs_featureset_values(fs, (size_t)s->feature[k], &cols[k], task, err);
    }
    if (rc == HS_OK)
        rc = hs_expr_eval(prog, cols, fs->t->nrows, out, stats, task, err);
    hs_free(cols);
    return rc;
}

int
hs_featureset_values(struct hs_featureset *fs, size_t idx, const double **out,
                     const struct hs_task *task, struct hs_err *err)
{
    struct hs_feature *f;
    struct hs_expr_stats st;
    struct scope s = {0};
    double *vals;
    int rc;

    if (idx >= fs->n)
        return hs_err_set(err, HS_EUSAGE, "no feature number %zu", idx);
    f = &fs->f[idx];
    if (!f->expr) {
        *out = fs->t->cols[f->col].v;
        return HS_OK;
    }
    if (f->values) {
        *out = f->values;
        return HS_OK;
    }
    if (scope_build(fs, idx, &s))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    vals = hs_malloc((fs->t->nrows ? fs->t->nrows : 1) * sizeof *vals);
    if (!vals) {
        scope_release(&s);
        return hs_err_set(err, HS_ENOMEM, "out of memory computing feature '%s'", f->name);
    }
    rc = eval_in_scope(fs, &s, f->prog, vals, &st, task, err);
    scope_release(&s);
    f = &fs->f[idx];
    if (rc) {
        hs_err_prefix(err, "feature '%s'", f->name);
        hs_free(vals);
        return rc;
    }
    f->stats = st;
    f->values = vals;
    *out = f->values;
    return HS_OK;
}

void
hs_featureset_forget(struct hs_featureset *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        hs_free(fs->f[i].values);
        fs->f[i].values = NULL;
        memset(&fs->f[i].stats, 0, sizeof fs->f[i].stats);
    }
}

int
hs_featureset_values_by_name(struct hs_featureset *fs, const char *name, const double **out,
                             const struct hs_task *task, struct hs_err *err)
{
    long i = hs_featureset_find(fs, name);
    long c = hs_table_find(fs->t, name);
    struct scope s = {0};
    const char *close = NULL;

    if (i >= 0)
        return hs_featureset_values(fs, (size_t)i, out, task, err);
    if (c >= 0 && !fs->t->cols[c].synthetic) {
        *out = fs->t->cols[c].v;
        return HS_OK;
    }
    if (scope_build(fs, fs->n, &s) == HS_OK)
        close = hs_closest_name(name, s.names, s.n);
    if (close)
        hs_err_set(err, HS_ENOTFOUND, "no column or feature '%s' (did you mean '%s'?)", name,
                   close);
    else
        hs_err_set(err, HS_ENOTFOUND, "no column or feature '%s'", name);
    scope_release(&s);
    return HS_ENOTFOUND;
}

int
hs_featureset_compile(const struct hs_featureset *fs, const char *src, struct hs_expr **out,
                      struct hs_err *err)
{
    struct scope s = {0};
    struct hs_expr_columns ec;
    int rc;

    if (scope_build(fs, fs->n, &s))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    ec.n = s.n;
    ec.names = s.names;
    ec.kinds = s.kinds;
    ec.cols = s.cols;
    rc = hs_expr_compile(src, &ec, out, err);
    scope_release(&s);
    return rc;
}

int
hs_featureset_eval(struct hs_featureset *fs, const struct hs_expr *e, double *out,
                   struct hs_expr_stats *stats, const struct hs_task *task, struct hs_err *err)
{
    struct scope s = {0};
    int rc;

    if (scope_build(fs, fs->n, &s))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    rc = eval_in_scope(fs, &s, e, out, stats, task, err);
    scope_release(&s);
    return rc;
}

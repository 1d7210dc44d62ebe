#include "config.h"

#include "featureset.h"

#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "nameidx.h"
#include "names.h"

const char *
hs_feature_kind_name(enum hs_feature_kind k)
{
    switch (k) {
    case HS_FEATURE_RAW:
        return "raw";
    case HS_FEATURE_DERIVED:
        return "derived";
    case HS_FEATURE_LEARNED:
        return "learned";
    }
    return "?";
}

/* What made a learned feature, for messages: its source's own words
 * when it has them (which projection, which clustering), else its kind:
 * a model's score, or an output (a projection's coordinate or a
 * clustering's cluster).  Returns buf or a constant string. */
static const char *
learned_origin(const struct hs_feature *f, char *buf, size_t size)
{
    if (f->src->origin) {
        buf[0] = '\0';
        f->src->origin(f->user, buf, size);
        if (buf[0])
            return buf;
    }
    if (strcmp(f->src->kind, "model") == 0)
        return "a model's score";
    if (strcmp(f->src->kind, "output") == 0)
        return "a projection's or a clustering's output";
    return f->src->kind;
}

static void
feature_release(struct hs_feature *f)
{
    hs_free(f->name);
    hs_free(f->expr);
    hs_free(f->values);
    hs_expr_free(f->prog);
    if (f->src && f->src->free)
        f->src->free(f->user);
    memset(f, 0, sizeof *f);
}

static void index_free(struct hs_fs_index *x);
static struct hs_fs_index *index_build(const struct hs_featureset *fs);

void
hs_featureset_release(struct hs_featureset *fs)
{
    if (!fs)
        return;
    index_free(fs->index);
    for (size_t i = 0; i < fs->n; i++)
        feature_release(&fs->f[i]);
    hs_free(fs->f);
    hs_free(fs->rowmap);
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
        f.kind = HS_FEATURE_RAW;
        f.col = (long)j;
        if (!f.name || push(fs, &f)) {
            hs_free(f.name);
            hs_featureset_release(fs);
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        }
    }
    if (!(fs->index = index_build(fs))) {
        hs_featureset_release(fs);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    return HS_OK;
}

/* The names an expression may use: the table's own columns (not
 * hepscope's synthetic ones), then the derived features in order, then,
 * with `learned`, the learned ones.  Index k < t->ncols is table column
 * k; beyond, a feature (s->feature[k]).  Derived entries come before
 * learned ones, so a derived feature's program (which reads no learned
 * feature) indexes the same entries in a scope with or without them.
 * Arrays are new. */
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
    memset(s, 0, sizeof *s);
}

static int
scope_build(const struct hs_featureset *fs, size_t upto, bool learned, struct scope *s)
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
    for (int pass = 0; pass < (learned ? 2 : 1); pass++) {
        enum hs_feature_kind want = pass ? HS_FEATURE_LEARNED : HS_FEATURE_DERIVED;
        for (size_t i = 0; i < (pass ? fs->n : upto); i++) {
            if (fs->f[i].kind != want)
                continue;
            s->names[k] = fs->f[i].name;
            s->kinds[k] = HS_COL_NUMBER;
            s->cols[k] = NULL;
            s->feature[k] = (long)i;
            k++;
        }
    }
    s->n = k;
    return HS_OK;
}

/* The names indexed, kept with the set so that adding the ten-thousandth
 * feature costs what adding the first did: the full scope (columns,
 * derived, learned) and three indices of names.  Built whole at init and
 * after a drop; extended by each add. */
struct hs_fs_index {
    struct scope s;
    size_t cap;                  /* entries allocated in s */
    size_t nderived;             /* derived entries in s, after the columns */
    struct hs_nameidx byscope;   /* expression name -> scope entry */
    struct hs_nameidx byfeature; /* feature name -> feature index */
    struct hs_nameidx bycolumn;  /* any table column, hepscope's own too -> column */
};

static void
index_free(struct hs_fs_index *x)
{
    if (!x)
        return;
    scope_release(&x->s);
    hs_nameidx_release(&x->byscope);
    hs_nameidx_release(&x->byfeature);
    hs_nameidx_release(&x->bycolumn);
    hs_free(x);
}

static int
index_reserve(struct hs_fs_index *x, size_t n)
{
    size_t cap = x->cap;

    if (n <= cap)
        return HS_OK;
    if (hs_grow((void **)&x->s.names, &cap, n, sizeof *x->s.names))
        return HS_ENOMEM;
    cap = x->cap;
    if (hs_grow((void **)&x->s.kinds, &cap, n, sizeof *x->s.kinds))
        return HS_ENOMEM;
    cap = x->cap;
    if (hs_grow((void **)&x->s.cols, &cap, n, sizeof *x->s.cols))
        return HS_ENOMEM;
    cap = x->cap;
    if (hs_grow((void **)&x->s.feature, &cap, n, sizeof *x->s.feature))
        return HS_ENOMEM;
    x->cap = cap;
    return HS_OK;
}

/* Index feature i, just pushed: a derived entry goes after the derived
 * ones (before the learned, which move up one), a learned one at the end. */
static int
index_add(struct hs_fs_index *x, const struct hs_featureset *fs, size_t i)
{
    const struct hs_feature *f = &fs->f[i];
    size_t k = x->s.n;

    if (hs_nameidx_put(&x->byfeature, f->name, (long)i))
        return HS_ENOMEM;
    if (f->kind == HS_FEATURE_RAW)
        return HS_OK;
    if (index_reserve(x, x->s.n + 1))
        return HS_ENOMEM;
    if (f->kind == HS_FEATURE_DERIVED) {
        k = fs->t->ncols + x->nderived++;
        memmove(&x->s.names[k + 1], &x->s.names[k], (x->s.n - k) * sizeof *x->s.names);
        memmove(&x->s.kinds[k + 1], &x->s.kinds[k], (x->s.n - k) * sizeof *x->s.kinds);
        memmove(&x->s.cols[k + 1], &x->s.cols[k], (x->s.n - k) * sizeof *x->s.cols);
        memmove(&x->s.feature[k + 1], &x->s.feature[k], (x->s.n - k) * sizeof *x->s.feature);
        for (size_t j = k + 1; j <= x->s.n; j++)
            hs_nameidx_set(&x->byscope, x->s.names[j], (long)j);
    }
    x->s.names[k] = f->name;
    x->s.kinds[k] = HS_COL_NUMBER;
    x->s.cols[k] = NULL;
    x->s.feature[k] = (long)i;
    x->s.n++;
    return hs_nameidx_put(&x->byscope, f->name, (long)k);
}

static struct hs_fs_index *
index_build(const struct hs_featureset *fs)
{
    const struct hs_table *t = fs->t;
    struct hs_fs_index *x = hs_calloc(1, sizeof *x);

    if (!x || scope_build(fs, fs->n, true, &x->s))
        goto fail;
    x->cap = t->ncols + fs->n + 1;
    for (size_t k = 0; k < x->s.n; k++) {
        if (k >= t->ncols && fs->f[x->s.feature[k]].kind == HS_FEATURE_DERIVED)
            x->nderived++;
        if (hs_nameidx_put(&x->byscope, x->s.names[k], (long)k))
            goto fail;
    }
    for (size_t j = 0; j < t->ncols; j++)
        if (hs_nameidx_put(&x->bycolumn, t->cols[j].name, (long)j))
            goto fail;
    for (size_t i = 0; i < fs->n; i++)
        if (hs_nameidx_put(&x->byfeature, fs->f[i].name, (long)i))
            goto fail;
    return x;
fail:
    index_free(x);
    return NULL;
}

/* Bring the index up to date after feature i was pushed (or, with i ==
 * fs->n, after a drop); when that fails the set goes without (lookups
 * scan) until the next change rebuilds it. */
static void
index_update(struct hs_featureset *fs, size_t i)
{
    if (fs->index && i < fs->n && index_add(fs->index, fs, i) == HS_OK)
        return;
    index_free(fs->index);
    fs->index = index_build(fs);
}

/* The scope of every name an expression may use: the index's, or when
 * there is none one built in tmp (release tmp in either case). */
static int
scope_of(const struct hs_featureset *fs, struct scope *tmp, const struct scope **s,
         const struct hs_nameidx **idx)
{
    if (fs->index) {
        *s = &fs->index->s;
        *idx = &fs->index->byscope;
        return HS_OK;
    }
    *idx = NULL;
    *s = tmp;
    return scope_build(fs, fs->n, true, tmp);
}

static long
table_find(const struct hs_featureset *fs, const char *name)
{
    if (fs->index)
        return hs_nameidx_get(&fs->index->bycolumn, name, strlen(name));
    return hs_table_find(fs->t, name);
}

long
hs_featureset_find(const struct hs_featureset *fs, const char *name)
{
    if (fs->index)
        return hs_nameidx_get(&fs->index->byfeature, name, strlen(name));
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* A new feature's name: an identifier, new among the table's columns and
 * the features. */
static int
check_name(const struct hs_featureset *fs, const char *name, struct hs_err *err)
{
    long i = hs_featureset_find(fs, name);
    char origin[160];

    if (!hs_name_is_identifier(name))
        return hs_err_set(err, HS_EUSAGE,
                          "feature '%s': a name is letters, digits and '_', not starting with a "
                          "digit",
                          name);
    if (i >= 0 && fs->f[i].kind == HS_FEATURE_LEARNED)
        return hs_err_set(err, HS_EEXIST,
                          "feature '%s': the name is taken by a learned column (%s)", name,
                          learned_origin(&fs->f[i], origin, sizeof origin));
    if (table_find(fs, name) >= 0 || i >= 0)
        return hs_err_set(err, HS_EEXIST, "feature '%s': the name is taken", name);
    return HS_OK;
}

int
hs_featureset_add(struct hs_featureset *fs, const char *name, const char *expr, bool on,
                  struct hs_err *err)
{
    struct hs_feature f = {0};
    struct scope tmp = {0};
    const struct scope *s;
    struct hs_expr_columns ec;
    int rc;

    if ((rc = check_name(fs, name, err)))
        return rc;
    /* Learned names are in scope only to be refused by name below. */
    if (scope_of(fs, &tmp, &s, &ec.index)) {
        scope_release(&tmp);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    ec.n = s->n;
    ec.names = s->names;
    ec.kinds = s->kinds;
    ec.cols = s->cols;
    rc = hs_expr_compile(expr, &ec, &f.prog, err);
    for (size_t c = 0; rc == HS_OK && c < hs_expr_ncolumns(f.prog); c++) {
        long k = s->feature[hs_expr_column(f.prog, c)];
        char origin[160];
        if (k >= 0 && fs->f[k].kind == HS_FEATURE_LEARNED)
            rc = hs_err_set(err, HS_EUSAGE,
                            "'%s' is a learned column (%s); derived features take only raw "
                            "columns and other derived features",
                            fs->f[k].name, learned_origin(&fs->f[k], origin, sizeof origin));
    }
    scope_release(&tmp);
    if (rc) {
        hs_expr_free(f.prog);
        hs_err_prefix(err, "feature '%s'", name);
        return rc;
    }
    f.name = hs_strdup(name);
    f.expr = hs_strdup(expr);
    f.on = on;
    f.kind = HS_FEATURE_DERIVED;
    f.col = -1;
    if (!f.name || !f.expr || push(fs, &f)) {
        feature_release(&f);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    index_update(fs, fs->n - 1);
    return HS_OK;
}

int
hs_featureset_add_learned(struct hs_featureset *fs, const char *name,
                          const struct hs_learned_source *src, void *user, struct hs_err *err)
{
    struct hs_feature f = {0};
    int rc;

    f.src = src;
    f.user = user;
    if ((rc = check_name(fs, name, err))) {
        feature_release(&f);
        return rc;
    }
    f.name = hs_strdup(name);
    f.kind = HS_FEATURE_LEARNED;
    f.col = -1;
    if (!f.name || push(fs, &f)) {
        feature_release(&f);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    index_update(fs, fs->n - 1);
    return HS_OK;
}

size_t
hs_featureset_nreads(const struct hs_featureset *fs, size_t idx)
{
    const struct hs_feature *f = &fs->f[idx];
    const char *const *names;

    if (f->kind == HS_FEATURE_DERIVED)
        return hs_expr_ncolumns(f->prog);
    if (f->kind == HS_FEATURE_LEARNED)
        return f->src->reads(f->user, &names);
    return 0;
}

const char *
hs_featureset_read(const struct hs_featureset *fs, size_t idx, size_t i)
{
    const struct hs_feature *f = &fs->f[idx];
    const char *const *names;

    if (f->kind == HS_FEATURE_DERIVED)
        return hs_expr_column_name(f->prog, i);
    f->src->reads(f->user, &names);
    return names[i];
}

/* Depth-first from idx; seen[] marks features visited.  On success chain
 * holds "idx -> ... -> name". */
static bool
depends(const struct hs_featureset *fs, size_t idx, const char *name, bool *seen, char *chain,
        size_t size)
{
    size_t n = hs_featureset_nreads(fs, idx);

    seen[idx] = true;
    for (size_t i = 0; i < n; i++) {
        const char *r = hs_featureset_read(fs, idx, i);
        long k;
        if (strcmp(r, name) == 0) {
            snprintf(chain, size, "%s -> %s", fs->f[idx].name, name);
            return true;
        }
        if ((k = hs_featureset_find(fs, r)) >= 0 && !seen[k] &&
            depends(fs, (size_t)k, name, seen, chain, size)) {
            size_t len = strlen(fs->f[idx].name) + 4;
            if (size > len) {
                memmove(chain + len, chain, size - len);
                chain[size - 1] = '\0';
                memcpy(chain, fs->f[idx].name, len - 4);
                memcpy(chain + len - 4, " -> ", 4);
            }
            return true;
        }
    }
    return false;
}

bool
hs_featureset_depends(const struct hs_featureset *fs, size_t idx, const char *name, char *chain,
                      size_t size)
{
    bool *seen = hs_calloc(fs->n + 1, sizeof *seen);
    char dummy[1];
    bool found;

    if (!seen)
        return false;
    if (!chain || size == 0) {
        chain = dummy;
        size = sizeof dummy;
    }
    found = depends(fs, idx, name, seen, chain, size);
    hs_free(seen);
    return found;
}

int
hs_featureset_check_learned(const struct hs_featureset *fs, const char *name,
                            const char *const *inputs, size_t n, struct hs_err *err)
{
    long i = hs_featureset_find(fs, name);
    char chain[200];

    if ((i >= 0 && fs->f[i].kind != HS_FEATURE_LEARNED) || (i < 0 && table_find(fs, name) >= 0))
        return hs_err_set(err, HS_EUSAGE,
                          "'%s' is a %s of the dataset: a model's score is a column named after "
                          "the model, so choose another name",
                          name, i >= 0 ? "feature" : "column");
    for (size_t k = 0; k < n; k++) {
        long j = hs_featureset_find(fs, inputs[k]);
        if (strcmp(inputs[k], name) == 0)
            return hs_err_set(err, HS_EUSAGE, "'%s' cannot read its own score", name);
        if (j >= 0 && fs->f[j].kind == HS_FEATURE_LEARNED &&
            hs_featureset_depends(fs, (size_t)j, name, chain, sizeof chain))
            return hs_err_set(err, HS_EUSAGE,
                              "'%s' cannot read '%s', which reads '%s' (%s): that is a cycle",
                              name, inputs[k], name, chain);
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
    char origin[160];

    if (i < 0)
        return not_found(fs, name, err);
    if (on && fs->f[i].kind == HS_FEATURE_LEARNED)
        return hs_err_set(err, HS_EUSAGE,
                          "feature '%s' is a learned column (%s): it is never a default "
                          "input; name it in --features",
                          name, learned_origin(&fs->f[i], origin, sizeof origin));
    fs->f[i].on = on;
    return HS_OK;
}

/* The feature that reads feature i, or -1. */
static long
user_of(const struct hs_featureset *fs, size_t i)
{
    for (size_t k = 0; k < fs->n; k++) {
        size_t n = hs_featureset_nreads(fs, k);
        for (size_t c = 0; k != i && c < n; c++)
            if (strcmp(hs_featureset_read(fs, k, c), fs->f[i].name) == 0)
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
    if (fs->f[i].kind == HS_FEATURE_RAW)
        return hs_err_set(err, HS_EUSAGE,
                          "feature '%s' is a column of the data: turn it off instead", name);
    if (fs->f[i].kind == HS_FEATURE_LEARNED)
        return hs_err_set(err, HS_EUSAGE, "feature '%s' is a %s's output: drop the %s instead",
                          name, fs->f[i].src->kind, fs->f[i].src->kind);
    if ((user = user_of(fs, (size_t)i)) >= 0)
        return hs_err_set(err, HS_EUSAGE, "feature '%s' is used by feature '%s': drop that first",
                          name, fs->f[user].name);
    feature_release(&fs->f[i]);
    memmove(&fs->f[i], &fs->f[i + 1], (fs->n - (size_t)i - 1) * sizeof *fs->f);
    fs->n--;
    index_update(fs, fs->n);
    return HS_OK;
}

/* Rows per block when inputs are streamed: the source's chunk, which a
 * block of every input of a four-vector mass keeps within a few MB. */
#define STREAM_MIN_BLOCKS 2

/* eval_in_scope's way for a program some of whose table columns are
 * streamable (cols[k] is NULL for those, set for the rest; ncols entries
 * indexed by scope entry): a block of rows at a time, each streamed
 * column read into a buffer of the block's size that is used again for
 * the next. */
static int
eval_streamed(struct hs_featureset *fs, const struct hs_expr *prog, const double **cols,
              size_t ncols, const size_t *stream, size_t nstream, double *out,
              struct hs_expr_stats *stats, const struct hs_task *task, struct hs_err *err)
{
    const struct hs_table *t = fs->t;
    size_t n = t->nrows, block = hs_table_block_rows(t), nc = hs_expr_ncolumns(prog);
    const double **bcols = hs_malloc(ncols * sizeof *bcols); /* the block's, by scope entry */
    double **buf = hs_calloc(nstream, sizeof *buf);
    struct hs_task quiet = {NULL, NULL, task ? task->cancel : NULL};
    struct hs_expr_stats total = {0};
    int rc = HS_OK;

    if (!bcols || !buf)
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t j = 0; j < nstream && !rc; j++)
        if (!(buf[j] = hs_malloc(block * sizeof **buf)))
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t r0 = 0; r0 < n && !rc; r0 += block) {
        size_t len = n - r0 < block ? n - r0 : block;
        struct hs_expr_stats bs;

        if (hs_task_cancelled(task)) {
            rc = hs_err_set(err, HS_ECANCELLED, "cancelled");
            break;
        }
        if ((rc = hs_table_read_rows(t, stream, nstream, r0, len, buf, err)))
            break;
        for (size_t c = 0; c < nc; c++) {
            size_t k = hs_expr_column(prog, c);
            bcols[k] = cols[k] ? cols[k] + r0 : NULL;
        }
        for (size_t j = 0; j < nstream; j++)
            bcols[stream[j]] = buf[j];
        rc = hs_expr_eval(prog, bcols, len, out + r0, &bs, &quiet, err);
        if (!rc) {
            total.nrows += bs.nrows;
            total.nnan += bs.nnan;
            total.ndomain += bs.ndomain;
            hs_task_progress(task, (double)(r0 + len) / (double)n, "computing");
        }
    }
    if (!rc && stats)
        *stats = total;
    for (size_t j = 0; buf && j < nstream; j++)
        hs_free(buf[j]);
    hs_free(buf);
    hs_free(bcols);
    return rc;
}

/* Evaluate prog, compiled against scope s, over every row into out: the
 * table columns it reads are used in place (or, with stream_inputs, read
 * a block at a time when not read yet), the derived features it reads
 * are computed first (they come earlier in the set, so this recursion
 * ends). */
static int
eval_in_scope(struct hs_featureset *fs, const struct scope *s, const struct hs_expr *prog,
              double *out, struct hs_expr_stats *stats, const struct hs_task *task,
              struct hs_err *err)
{
    /* Indexed by scope entry, but only the program's entries are set or
     * read: not cleared, so that computing each of n features costs its
     * own columns, not the n entries of the scope. */
    const double **cols = hs_malloc((s->n + 1) * sizeof *cols);
    int rc = HS_OK;

    size_t nc = hs_expr_ncolumns(prog), nstream = 0, *stream = NULL;
    size_t block = hs_table_block_rows(fs->t);

    if (!cols)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if (fs->stream_inputs && block && fs->t->nrows >= STREAM_MIN_BLOCKS * block &&
        !(stream = hs_malloc((nc ? nc : 1) * sizeof *stream))) {
        hs_free(cols);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t c = 0; c < nc && rc == HS_OK; c++) {
        size_t k = hs_expr_column(prog, c);

        if (s->feature[k] >= 0) {
            rc = hs_featureset_values(fs, (size_t)s->feature[k], &cols[k], task, err);
        } else if (stream && hs_table_streamable(fs->t, k)) {
            cols[k] = NULL;
            bool seen = false;
            for (size_t j = 0; j < nstream; j++)
                seen |= stream[j] == k;
            if (!seen)
                stream[nstream++] = k;
        } else {
            rc = hs_table_values(fs->t, k, &cols[k], task, err);
        }
    }
    if (rc == HS_OK && nstream)
        rc = eval_streamed(fs, prog, cols, s->n + 1, stream, nstream, out, stats, task, err);
    else if (rc == HS_OK)
        rc = hs_expr_eval(prog, cols, fs->t->nrows, out, stats, task, err);
    hs_free(stream);
    hs_free(cols);
    return rc;
}

/* "a -> b -> a": the learned features under way from the one at depth
 * `from`, then name. */
static int
cycle_error(const struct hs_featureset *fs, size_t from, const char *name, struct hs_err *err)
{
    char chain[200] = "";
    size_t len = 0;

    for (size_t d = from; d <= fs->depth; d++)
        for (size_t i = 0; i < fs->n; i++)
            if (fs->f[i].busy == d && len < sizeof chain)
                len += (size_t)snprintf(chain + len, sizeof chain - len, "%s -> ",
                                        fs->f[i].name);
    if (len < sizeof chain)
        snprintf(chain + len, sizeof chain - len, "%s", name);
    return hs_err_set(err, HS_EUSAGE, "learned columns read each other in a cycle: %s", chain);
}

/* A learned feature's values, computed by its source; the features under
 * way are marked with their depth so that a source reading (through
 * others) its own feature is refused rather than recursing forever. */
static int
learned_values(struct hs_featureset *fs, size_t idx, const double **out,
               const struct hs_task *task, struct hs_err *err)
{
    struct hs_feature *f = &fs->f[idx];
    double *vals;
    int rc;

    if (f->busy)
        return cycle_error(fs, f->busy, f->name, err);
    vals = hs_malloc_large((fs->t->nrows ? fs->t->nrows : 1) * sizeof *vals);
    if (!vals)
        return hs_err_set(err, HS_ENOMEM, "out of memory computing feature '%s'", f->name);
    f->busy = ++fs->depth;
    rc = f->src->compute(f->user, fs, vals, task, err);
    f = &fs->f[idx];
    f->busy = 0;
    fs->depth--;
    if (rc) {
        hs_free(vals);
        return rc;
    }
    f->values = vals;
    *out = vals;
    return HS_OK;
}

int
hs_featureset_values(struct hs_featureset *fs, size_t idx, const double **out,
                     const struct hs_task *task, struct hs_err *err)
{
    struct hs_feature *f;
    struct hs_expr_stats st;
    struct scope tmp = {0};
    const struct scope *s;
    const struct hs_nameidx *idxs;
    double *vals;
    int rc;

    if (idx >= fs->n)
        return hs_err_set(err, HS_EUSAGE, "no feature number %zu", idx);
    f = &fs->f[idx];
    if (f->kind == HS_FEATURE_RAW)
        return hs_table_values(fs->t, (size_t)f->col, out, task, err);
    if (f->values) {
        *out = f->values;
        return HS_OK;
    }
    if (f->kind == HS_FEATURE_LEARNED)
        return learned_values(fs, idx, out, task, err);
    /* The full scope indexes the derived entries as the program's did
     * (they precede the learned ones). */
    if (scope_of(fs, &tmp, &s, &idxs)) {
        scope_release(&tmp);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    vals = hs_malloc_large((fs->t->nrows ? fs->t->nrows : 1) * sizeof *vals);
    if (!vals) {
        scope_release(&tmp);
        return hs_err_set(err, HS_ENOMEM, "out of memory computing feature '%s'", f->name);
    }
    rc = eval_in_scope(fs, s, f->prog, vals, &st, task, err);
    scope_release(&tmp);
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

int
hs_featureset_sample(struct hs_featureset *fs, size_t idx, const size_t *rows, size_t m,
                     double *out, const struct hs_task *task, struct hs_err *err)
{
    struct hs_feature *f;
    struct scope tmp = {0};
    const struct scope *s;
    const struct hs_nameidx *idxs;
    const double **cols = NULL;
    double *buf = NULL;
    size_t nc;
    int rc = HS_OK;

    if (idx >= fs->n)
        return hs_err_set(err, HS_EUSAGE, "no feature number %zu", idx);
    f = &fs->f[idx];
    if (f->kind != HS_FEATURE_DERIVED || f->values) {
        const double *v;
        if ((rc = hs_featureset_values(fs, idx, &v, task, err)))
            return rc;
        for (size_t i = 0; i < m; i++)
            out[i] = v[rows[i]];
        return HS_OK;
    }
    if (scope_of(fs, &tmp, &s, &idxs)) {
        scope_release(&tmp);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    /* Only the program's entries of cols are set or read (as in
     * eval_in_scope); each gets its m sampled values in buf. */
    nc = hs_expr_ncolumns(f->prog);
    cols = hs_malloc((s->n + 1) * sizeof *cols);
    buf = hs_malloc((nc * m + 1) * sizeof *buf);
    if (!cols || !buf)
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t c = 0; c < nc && rc == HS_OK; c++) {
        size_t k = hs_expr_column(fs->f[idx].prog, c);
        const double *v = NULL;
        if (s->feature[k] < 0)
            rc = hs_table_values(fs->t, k, &v, task, err);
        else
            rc = hs_featureset_values(fs, (size_t)s->feature[k], &v, task, err);
        for (size_t i = 0; rc == HS_OK && i < m; i++)
            buf[c * m + i] = v[rows[i]];
        cols[k] = buf + c * m;
    }
    if (rc == HS_OK)
        rc = hs_expr_eval(fs->f[idx].prog, cols, m, out, NULL, task, err);
    if (rc && rc != HS_ENOMEM && rc != HS_ECANCELLED)
        hs_err_prefix(err, "feature '%s'", fs->f[idx].name);
    hs_free(buf);
    hs_free(cols);
    scope_release(&tmp);
    return rc;
}

void
hs_featureset_narrow(struct hs_featureset *fs, const unsigned char *mask)
{
    size_t n = fs->t->nrows, k = 0;
    size_t *map = hs_malloc((n ? n : 1) * sizeof *map);

    if (!map) {
        fs->rows_lost = true;
    } else {
        for (size_t i = 0; i < n; i++)
            if (mask[i])
                map[k++] = fs->rowmap ? fs->rowmap[i] : fs->row0 + i;
    }
    hs_free(fs->rowmap);
    fs->rowmap = map;
    hs_featureset_forget(fs);
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
    long c = table_find(fs, name);
    struct scope tmp = {0};
    const struct scope *s;
    const struct hs_nameidx *idxs;
    const char *close = NULL;

    if (i >= 0)
        return hs_featureset_values(fs, (size_t)i, out, task, err);
    if (c >= 0 && !fs->t->cols[c].synthetic)
        return hs_table_values(fs->t, (size_t)c, out, task, err);
    if (scope_of(fs, &tmp, &s, &idxs) == HS_OK)
        close = hs_closest_name(name, s->names, s->n);
    if (close)
        hs_err_set(err, HS_ENOTFOUND, "no column or feature '%s' (did you mean '%s'?)", name,
                   close);
    else
        hs_err_set(err, HS_ENOTFOUND, "no column or feature '%s'", name);
    scope_release(&tmp);
    return HS_ENOTFOUND;
}

int
hs_featureset_compile(const struct hs_featureset *fs, const char *src, struct hs_expr **out,
                      struct hs_err *err)
{
    struct scope tmp = {0};
    const struct scope *s;
    struct hs_expr_columns ec;
    int rc;

    if (scope_of(fs, &tmp, &s, &ec.index)) {
        scope_release(&tmp);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    ec.n = s->n;
    ec.names = s->names;
    ec.kinds = s->kinds;
    ec.cols = s->cols;
    rc = hs_expr_compile(src, &ec, out, err);
    scope_release(&tmp);
    return rc;
}

int
hs_featureset_eval(struct hs_featureset *fs, const struct hs_expr *e, double *out,
                   struct hs_expr_stats *stats, const struct hs_task *task, struct hs_err *err)
{
    struct scope tmp = {0};
    const struct scope *s;
    const struct hs_nameidx *idxs;
    int rc;

    if (scope_of(fs, &tmp, &s, &idxs)) {
        scope_release(&tmp);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    rc = eval_in_scope(fs, s, e, out, stats, task, err);
    scope_release(&tmp);
    return rc;
}

void
hs_inputs_release(struct hs_inputs *in)
{
    if (!in)
        return;
    for (size_t i = 0; in->owned && i < in->n; i++)
        hs_free(in->owned[i]);
    hs_free(in->owned);
    hs_free(in->cols);
    memset(in, 0, sizeof *in);
}

/* A derived input: the set's own feature when it has one of that name and
 * expression (its values are cached), else the expression computed here. */
static int
derived_input(struct hs_featureset *fs, const char *name, const char *expr, const double **col,
              double **owned, const struct hs_task *task, struct hs_err *err)
{
    long idx = hs_featureset_find(fs, name);
    struct hs_expr *e = NULL;
    int rc;

    if (idx >= 0 && fs->f[idx].expr && strcmp(fs->f[idx].expr, expr) == 0)
        return hs_featureset_values(fs, (size_t)idx, col, task, err);
    if ((rc = hs_featureset_compile(fs, expr, &e, err)))
        return rc;
    *owned = hs_malloc((fs->t->nrows + 1) * sizeof **owned);
    if (!*owned)
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
    else
        rc = hs_featureset_eval(fs, e, *owned, NULL, task, err);
    hs_expr_free(e);
    *col = *owned;
    return rc;
}

int
hs_featureset_inputs(struct hs_featureset *fs, const char *owner, size_t n,
                     const char *const *names, const char *const *exprs, struct hs_inputs *in,
                     const struct hs_task *task, struct hs_err *err)
{
    int rc = HS_OK;

    memset(in, 0, sizeof *in);
    in->cols = hs_calloc(n + 1, sizeof *in->cols);
    in->owned = hs_calloc(n + 1, sizeof *in->owned);
    if (!in->cols || !in->owned) {
        hs_inputs_release(in);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    in->n = n;
    for (size_t i = 0; i < n && rc == HS_OK; i++) {
        if (exprs && exprs[i]) {
            rc = derived_input(fs, names[i], exprs[i], &in->cols[i], &in->owned[i], task, err);
            if (rc && rc != HS_ENOMEM && rc != HS_ECANCELLED)
                hs_err_prefix(err, "%s: input '%s' = %s", owner, names[i], exprs[i]);
        } else {
            rc = hs_featureset_values_by_name(fs, names[i], &in->cols[i], task, err);
            if (rc && rc != HS_ENOMEM && rc != HS_ECANCELLED) {
                if (rc == HS_ENOTFOUND)
                    hs_err_set(err, HS_ENOTFOUND,
                               "%s needs input '%s', which the dataset does not have", owner,
                               names[i]);
                else
                    hs_err_prefix(err, "%s: input '%s'", owner, names[i]);
            }
        }
    }
    if (rc)
        hs_inputs_release(in);
    return rc;
}

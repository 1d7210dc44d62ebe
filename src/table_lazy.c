/* table_lazy.c: tables whose columns are read from their store when first
 * asked for (table.h, "lazy tables"). */
#include "config.h"

#include "table.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "mem.h"

static bool
read_at_once(const struct hs_column *c)
{
    /* hs_table_label, _weight and _group hand out values without an
     * error path: their columns must be there. */
    return c->role == HS_ROLE_LABEL || c->role == HS_ROLE_WEIGHT || c->role == HS_ROLE_GROUP;
}

int
hs_table_set_source(struct hs_table *t, const struct hs_table_source *src, void *user,
                    size_t nrows, const struct hs_task *task, struct hs_err *err)
{
    assert(!t->src && t->nrows == 0);
    t->src = src;
    t->src_user = user;
    if (nrows > SIZE_MAX / sizeof(double) || !(t->kept = hs_malloc(nrows ? nrows : 1)))
        return hs_err_set(err, HS_ENOMEM, "out of memory for %zu events", nrows);
    t->src_nrows = t->nrows = t->cap = nrows;
    for (size_t j = 0; j < t->ncols; j++) {
        hs_free(t->cols[j].v);
        t->cols[j].v = NULL;
        t->cols[j].pending = true;
    }
    for (size_t j = 0; j < t->ncols; j++) {
        const double *v;
        int rc;
        if (read_at_once(&t->cols[j]) && (rc = hs_table_values(t, j, &v, task, err)))
            return rc;
    }
    return HS_OK;
}

/* Compact v (n values) to the rows whose flag is set. */
static size_t
compact(double *v, const unsigned char *keep, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        if (keep[i])
            v[k++] = v[i];
    return k;
}

int
hs_table_values(const struct hs_table *t, size_t col, const double **out,
                const struct hs_task *task, struct hs_err *err)
{
    struct hs_column *c;
    double *v;
    int rc;

    assert(col < t->ncols);
    c = &t->cols[col];
    if (!c->pending) {
        *out = c->v;
        return HS_OK;
    }
    if (!(v = hs_malloc_large((t->src_nrows ? t->src_nrows : 1) * sizeof *v)))
        return hs_err_set(err, HS_ENOMEM, "out of memory reading column '%s' (%zu events)",
                          c->name, t->src_nrows);
    if ((rc = t->src->read(t->src_user, t, col, v, task, err))) {
        hs_free(v);
        return rc;
    }
    if (t->subset)
        compact(v, t->kept, t->src_nrows);
    c->v = v;
    c->pending = false;
    *out = v;
    return HS_OK;
}

bool
hs_table_streamable(const struct hs_table *t, size_t col)
{
    assert(col < t->ncols);
    return t->cols[col].pending && t->src->read_rows && !t->subset;
}

size_t
hs_table_block_rows(const struct hs_table *t)
{
    return t->src && t->src->read_rows ? t->src->block_rows : 0;
}

int
hs_table_read_rows(const struct hs_table *t, const size_t *cols, size_t ncols, size_t row0,
                   size_t n, double *const *v, struct hs_err *err)
{
    for (size_t j = 0; j < ncols; j++)
        assert(hs_table_streamable(t, cols[j]));
    assert(row0 <= t->src_nrows && n <= t->src_nrows - row0);
    return t->src->read_rows(t->src_user, t, cols, ncols, row0, n, v, err);
}

int
hs_table_load_all(const struct hs_table *t, const struct hs_task *task, struct hs_err *err)
{
    for (size_t j = 0; j < t->ncols; j++) {
        const double *v;
        int rc;
        if (t->cols[j].pending && (rc = hs_table_values(t, j, &v, task, err)))
            return rc;
    }
    return HS_OK;
}

void
hs_table_keep(struct hs_table *t, const unsigned char *mask)
{
    size_t k = 0;

    for (size_t i = 0; i < t->nrows; i++)
        k += mask[i] != 0;
    for (size_t j = 0; j < t->ncols; j++)
        if (!t->cols[j].pending)
            compact(t->cols[j].v, mask, t->nrows);
    /* The source rows kept: the r-th of those kept so far stays when
     * mask[r] says so. */
    if (t->src) {
        size_t r = 0;
        for (size_t i = 0; i < t->src_nrows; i++)
            if (!t->subset || t->kept[i])
                t->kept[i] = mask[r++] != 0;
        t->subset = true;
    }
    t->nrows = k;
}

void
hs_table_drop_source(struct hs_table *t)
{
    for (size_t j = 0; j < t->ncols; j++)
        assert(!t->cols[j].pending);
    if (t->src && t->src->free)
        t->src->free(t->src_user);
    hs_free(t->kept);
    t->src = NULL;
    t->src_user = NULL;
    t->kept = NULL;
    t->subset = false;
    t->src_nrows = 0;
}

#include "config.h"

#include "table.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "numparse.h"

struct hs_table *
hs_table_new(void)
{
    return hs_calloc(1, sizeof(struct hs_table));
}

static void
column_release(struct hs_column *c)
{
    hs_free(c->name);
    hs_free(c->v);
    for (size_t i = 0; i < c->ncats; i++)
        hs_free(c->cats[i]);
    hs_free(c->cats);
    memset(c, 0, sizeof *c);
}

void
hs_table_free(struct hs_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncols; i++)
        column_release(&t->cols[i]);
    hs_free(t->cols);
    if (t->src && t->src->free)
        t->src->free(t->src_user);
    hs_free(t->kept);
    hs_free(t);
}

long
hs_table_find(const struct hs_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return (long)i;
    return -1;
}

long
hs_table_find_role(const struct hs_table *t, enum hs_col_role role)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i].role == role)
            return (long)i;
    return -1;
}

static void
fill_nan(double *v, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        v[i] = NAN;
}

int
hs_table_add_column(struct hs_table *t, const char *name, enum hs_col_kind kind, size_t *idx,
                    struct hs_err *err)
{
    struct hs_column c = {0};

    assert(!t->src);
    if (hs_table_find(t, name) >= 0)
        return hs_err_set(err, HS_EEXIST, "duplicate column name '%s'", name);
    if (hs_grow((void **)&t->cols, &t->cols_cap, t->ncols + 1, sizeof *t->cols))
        goto nomem;
    c.name = hs_strdup(name);
    c.v = hs_malloc((t->cap ? t->cap : 1) * sizeof(double));
    if (!c.name || !c.v) {
        column_release(&c);
        goto nomem;
    }
    c.kind = kind;
    c.role = HS_ROLE_FEATURE;
    fill_nan(c.v, 0, t->nrows);
    t->cols[t->ncols] = c;
    if (idx)
        *idx = t->ncols;
    t->ncols++;
    return HS_OK;
nomem:
    return hs_err_set(err, HS_ENOMEM, "out of memory adding column '%s'", name);
}

int
hs_table_reserve(struct hs_table *t, size_t nrows)
{
    assert(!t->src); /* a lazy table does not grow */
    if (nrows <= t->cap)
        return HS_OK;
    if (nrows > SIZE_MAX / sizeof(double))
        return HS_ENOMEM;
    /* Exactly what is asked: callers that append grow geometrically
     * themselves, and a loader that knows its size wastes nothing.  A
     * failure leaves the grown columns larger, which is harmless since cap
     * only rises once all have succeeded. */
    for (size_t i = 0; i < t->ncols; i++) {
        double *nv = hs_realloc(t->cols[i].v, nrows * sizeof(double));
        if (!nv)
            return HS_ENOMEM;
        t->cols[i].v = nv;
    }
    t->cap = nrows;
    return HS_OK;
}

int
hs_table_resize(struct hs_table *t, size_t nrows)
{
    int rc = hs_table_reserve(t, nrows);
    if (rc)
        return rc;
    if (nrows > t->nrows)
        for (size_t i = 0; i < t->ncols; i++)
            fill_nan(t->cols[i].v, t->nrows, nrows);
    t->nrows = nrows;
    return HS_OK;
}

void
hs_table_set_nrows(struct hs_table *t, size_t nrows)
{
    assert(nrows <= t->cap);
    t->nrows = nrows;
}

void
hs_table_remove_column(struct hs_table *t, size_t idx)
{
    assert(!t->src); /* its source numbers the columns */
    if (idx >= t->ncols)
        return;
    column_release(&t->cols[idx]);
    memmove(&t->cols[idx], &t->cols[idx + 1], (t->ncols - idx - 1) * sizeof *t->cols);
    t->ncols--;
}

int
hs_column_intern(struct hs_column *c, const char *s, size_t len, double *code)
{
    char *copy;

    /* Linear search: text columns in event files hold a handful of
     * categories ("EB", "EE"); a hash would only pay off for thousands. */
    for (size_t i = 0; i < c->ncats; i++) {
        if (strncmp(c->cats[i], s, len) == 0 && c->cats[i][len] == '\0') {
            *code = (double)i;
            return HS_OK;
        }
    }
    if (hs_grow((void **)&c->cats, &c->cats_cap, c->ncats + 1, sizeof *c->cats))
        return HS_ENOMEM;
    copy = hs_strndup(s, len);
    if (!copy)
        return HS_ENOMEM;
    c->cats[c->ncats] = copy;
    *code = (double)c->ncats++;
    return HS_OK;
}

const char *
hs_column_text(const struct hs_column *c, double code)
{
    if (c->kind != HS_COL_TEXT || !(code >= 0) || code >= (double)c->ncats)
        return NULL;
    return c->cats[(size_t)code];
}

const double *
hs_table_label(const struct hs_table *t)
{
    long i = hs_table_find_role(t, HS_ROLE_LABEL);
    assert(i < 0 || !t->cols[i].pending); /* read with the table: table.h */
    return i < 0 ? NULL : t->cols[i].v;
}

const double *
hs_table_weight(const struct hs_table *t)
{
    long i = hs_table_find_role(t, HS_ROLE_WEIGHT);
    assert(i < 0 || !t->cols[i].pending);
    return i < 0 ? NULL : t->cols[i].v;
}

const struct hs_column *
hs_table_group(const struct hs_table *t)
{
    long i = hs_table_find_role(t, HS_ROLE_GROUP);
    assert(i < 0 || !t->cols[i].pending);
    return i < 0 ? NULL : &t->cols[i];
}

bool
hs_table_is_feature(const struct hs_table *t, size_t idx)
{
    return idx < t->ncols && t->cols[idx].role == HS_ROLE_FEATURE;
}

void
hs_table_class_counts(const struct hs_table *t, size_t *nsig, size_t *nbkg)
{
    const double *label = hs_table_label(t);
    size_t s = 0, b = 0;

    if (label)
        for (size_t i = 0; i < t->nrows; i++) {
            if (label[i] == 1.0)
                s++;
            else if (label[i] == 0.0)
                b++;
        }
    *nsig = s;
    *nbkg = b;
}

/* Up to max distinct values of a column, in order of first appearance,
 * written "a, b, c" into buf; for the message that lists label values. */
static size_t
distinct_values(const struct hs_column *c, size_t nrows, char *buf, size_t bufsize, size_t max)
{
    double seen[16];
    size_t nseen = 0, used = 0;

    buf[0] = '\0';
    if (max > 16)
        max = 16;
    for (size_t i = 0; i < nrows && nseen < max; i++) {
        double x = c->v[i];
        size_t k;
        char num[40];
        const char *s;

        if (isnan(x))
            continue;
        for (k = 0; k < nseen && seen[k] != x; k++)
            ;
        if (k < nseen)
            continue;
        seen[nseen++] = x;
        if (c->kind == HS_COL_TEXT) {
            s = hs_column_text(c, x);
        } else {
            hs_num_format(x, num);
            s = num;
        }
        if (used < bufsize)
            used += (size_t)snprintf(buf + used, bufsize - used, "%s%s%s%s", nseen > 1 ? ", " : "",
                                     c->kind == HS_COL_TEXT ? "'" : "", s,
                                     c->kind == HS_COL_TEXT ? "'" : "");
    }
    return nseen;
}

int
hs_table_set_label(struct hs_table *t, const char *name, const char *signal, struct hs_err *err)
{
    long ci = hs_table_find(t, name);
    struct hs_column *c;
    double sigval = NAN;
    size_t li, nmissing = 0;
    char values[200];
    int rc;

    if (ci < 0)
        return hs_err_set(err, HS_ENOTFOUND, "no label column '%s'", name);
    if (hs_table_find_role(t, HS_ROLE_LABEL) >= 0)
        return hs_err_set(err, HS_EUSAGE, "the table has a label already");
    c = &t->cols[ci];
    if (c->role != HS_ROLE_FEATURE && c->role != HS_ROLE_GROUP)
        return hs_err_set(err, HS_EUSAGE, "column '%s' already has another role", name);

    if (signal) {
        if (c->kind == HS_COL_TEXT) {
            for (size_t k = 0; k < c->ncats; k++)
                if (strcmp(c->cats[k], signal) == 0)
                    sigval = (double)k;
        } else if (hs_num_parse(signal, strlen(signal), &sigval) != HS_OK) {
            return hs_err_set(err, HS_EUSAGE,
                              "label column '%s' holds numbers, but the signal value '%s' is not one",
                              name, signal);
        }
        bool found = false;
        for (size_t i = 0; i < t->nrows && !found; i++)
            found = c->v[i] == sigval;
        if (!found) {
            distinct_values(c, t->nrows, values, sizeof values, 16);
            return hs_err_set(err, HS_EDATA,
                              "label column '%s' has no event with the signal value '%s' "
                              "(values found: %s)",
                              name, signal, values);
        }
    } else {
        size_t n = distinct_values(c, t->nrows, values, sizeof values, 16);
        bool zero_one = c->kind == HS_COL_NUMBER;
        for (size_t i = 0; i < t->nrows && zero_one; i++)
            zero_one = isnan(c->v[i]) || c->v[i] == 0.0 || c->v[i] == 1.0;
        if (!zero_one)
            return hs_err_set(err, HS_EDATA,
                              "label column '%s' has the values %s%s: say which one is signal "
                              "with --signal VALUE",
                              name, values, n >= 16 ? ", ..." : "");
        sigval = 1.0;
    }

    for (size_t i = 0; i < t->nrows; i++)
        nmissing += isnan(c->v[i]);
    if (nmissing) {
        size_t first = 0;
        while (!isnan(c->v[first]))
            first++;
        return hs_err_set(err, HS_EDATA,
                          "label column '%s' is empty for %zu event%s (the first is event %zu)", name,
                          nmissing, nmissing == 1 ? "" : "s", first + 1);
    }

    rc = hs_table_add_column(t, HS_LABEL_NAME, HS_COL_NUMBER, &li, err);
    if (rc)
        return rc;
    c = &t->cols[ci]; /* the add may have moved the columns */
    for (size_t i = 0; i < t->nrows; i++)
        t->cols[li].v[i] = c->v[i] == sigval ? 1.0 : 0.0;
    t->cols[li].role = HS_ROLE_LABEL;
    t->cols[li].synthetic = true;
    if (c->role != HS_ROLE_GROUP)
        c->role = HS_ROLE_LABEL_SRC;
    return HS_OK;
}

int
hs_table_set_role(struct hs_table *t, const char *name, enum hs_col_role role, struct hs_err *err)
{
    long ci = hs_table_find(t, name);
    struct hs_column *c;
    const char *what = role == HS_ROLE_WEIGHT ? "weight" : role == HS_ROLE_GROUP ? "group" : "id";

    if (ci < 0)
        return hs_err_set(err, HS_ENOTFOUND, "no %s column '%s'", what, name);
    c = &t->cols[ci];
    if (c->role != HS_ROLE_FEATURE)
        return hs_err_set(err, HS_EUSAGE, "column '%s' cannot be both the %s and another role",
                          name, what);
    if (role != HS_ROLE_ID && hs_table_find_role(t, role) >= 0)
        return hs_err_set(err, HS_EUSAGE, "the table has a %s column already", what);
    if (role == HS_ROLE_WEIGHT) {
        if (c->kind != HS_COL_NUMBER)
            return hs_err_set(err, HS_EDATA, "weight column '%s' holds text, not numbers", name);
        for (size_t i = 0; i < t->nrows; i++) {
            if (isnan(c->v[i]))
                return hs_err_set(err, HS_EDATA, "weight column '%s': event %zu has no weight",
                                  name, i + 1);
            if (isinf(c->v[i]))
                return hs_err_set(err, HS_EDATA,
                                  "weight column '%s': the weight of event %zu is %s, not finite",
                                  name, i + 1, c->v[i] > 0 ? "inf" : "-inf");
        }
    }
    c->role = role;
    return HS_OK;
}

/* Does name, with case, '_' and '-' ignored, equal one of the usual
 * names of an event, run or row number? */
static bool
id_like_name(const char *name)
{
    static const char *const ids[] = {
        "id",       "eventid",   "event",     "evt",       "evtid",       "eventnumber",
        "eventnr",  "eventnum",  "evtnumber", "evtnum",    "run",         "runid",
        "runnumber", "runnr",    "runnum",    "lumi",      "lumisection", "lumiblock",
        "luminosityblock", "index", "idx",    "entry",     "rowid",
    };
    char key[32];
    size_t k = 0;

    for (const char *c = name; *c; c++) {
        if (*c == '_' || *c == '-')
            continue;
        if (k + 1 >= sizeof key)
            return false;
        key[k++] = (char)tolower((unsigned char)*c);
    }
    key[k] = '\0';
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        if (strcmp(key, ids[i]) == 0)
            return true;
    return false;
}

size_t
hs_table_guess_ids(struct hs_table *t)
{
    size_t n = 0;

    for (size_t j = 0; j < t->ncols; j++) {
        struct hs_column *c = &t->cols[j];
        bool whole = true;

        if (c->synthetic || c->role != HS_ROLE_FEATURE || c->kind != HS_COL_NUMBER ||
            !id_like_name(c->name))
            continue;
        for (size_t i = 0; i < t->nrows && whole; i++)
            whole = isnan(c->v[i]) || (isfinite(c->v[i]) && c->v[i] == floor(c->v[i]));
        if (whole) {
            c->role = HS_ROLE_ID;
            n++;
        }
    }
    return n;
}

static int
copy_structure(struct hs_table *dst, const struct hs_table *src, struct hs_err *err)
{
    for (size_t j = 0; j < src->ncols; j++) {
        size_t k;
        int rc = hs_table_add_column(dst, src->cols[j].name, src->cols[j].kind, &k, err);
        if (rc)
            return rc;
        dst->cols[k].role = src->cols[j].role;
        dst->cols[k].synthetic = src->cols[j].synthetic;
    }
    return HS_OK;
}

int
hs_table_append(struct hs_table *dst, const struct hs_table *src, const char *group,
                const char *dst_name, const char *src_name, struct hs_err *err)
{
    size_t n0 = dst->nrows, nfile = 0, gi = 0;
    long g;
    double gcode = NAN;
    int rc;

    if (dst->ncols == 0 && (rc = copy_structure(dst, src, err)))
        return rc;

    /* The columns that came from files must agree, in order. */
    for (size_t j = 0; j < dst->ncols; j++)
        nfile += !dst->cols[j].synthetic;
    for (size_t j = 0, k = 0; j < dst->ncols || k < src->ncols; j++, k++) {
        while (j < dst->ncols && dst->cols[j].synthetic)
            j++;
        while (k < src->ncols && src->cols[k].synthetic)
            k++;
        if (j >= dst->ncols && k >= src->ncols)
            break;
        if (j >= dst->ncols || k >= src->ncols)
            return hs_err_set(err, HS_EDATA, "%s has %zu columns but %s has a different number",
                              dst_name, nfile, src_name);
        if (strcmp(dst->cols[j].name, src->cols[k].name) != 0)
            return hs_err_set(err, HS_EDATA, "column %zu is '%s' in %s but '%s' in %s", k + 1,
                              dst->cols[j].name, dst_name, src->cols[k].name, src_name);
        if (dst->cols[j].kind != src->cols[k].kind)
            return hs_err_set(err, HS_EDATA, "column '%s' holds %s in %s but %s in %s",
                              src->cols[k].name,
                              dst->cols[j].kind == HS_COL_TEXT ? "text" : "numbers", dst_name,
                              src->cols[k].kind == HS_COL_TEXT ? "text" : "numbers", src_name);
    }

    if (group) {
        g = hs_table_find(dst, HS_GROUP_NAME);
        if (g < 0) {
            if ((rc = hs_table_add_column(dst, HS_GROUP_NAME, HS_COL_TEXT, &gi, err)))
                return rc;
            dst->cols[gi].role = HS_ROLE_GROUP;
            dst->cols[gi].synthetic = true;
        } else {
            gi = (size_t)g;
        }
        if (hs_column_intern(&dst->cols[gi], group, strlen(group), &gcode))
            return hs_err_set(err, HS_ENOMEM, "out of memory");
    }

    if (src->nrows > SIZE_MAX - n0 || hs_table_resize(dst, n0 + src->nrows))
        return hs_err_set(err, HS_ENOMEM, "out of memory appending %s", src_name);

    for (size_t j = 0, k = 0; j < dst->ncols && k < src->ncols; j++, k++) {
        struct hs_column *d;
        const struct hs_column *s;
        while (j < dst->ncols && dst->cols[j].synthetic)
            j++;
        while (k < src->ncols && src->cols[k].synthetic)
            k++;
        if (j >= dst->ncols || k >= src->ncols)
            break;
        d = &dst->cols[j];
        s = &src->cols[k];
        if (s->kind == HS_COL_NUMBER) {
            memcpy(d->v + n0, s->v, src->nrows * sizeof(double));
            continue;
        }
        for (size_t i = 0; i < src->nrows; i++) {
            const char *txt = hs_column_text(s, s->v[i]);
            double code = NAN;
            if (txt && hs_column_intern(d, txt, strlen(txt), &code)) {
                dst->nrows = n0;
                return hs_err_set(err, HS_ENOMEM, "out of memory");
            }
            d->v[n0 + i] = code;
        }
    }
    if (group)
        for (size_t i = 0; i < src->nrows; i++)
            dst->cols[gi].v[n0 + i] = gcode;
    return HS_OK;
}

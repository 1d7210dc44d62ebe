#include "config.h"

#include "sessions/session.h"

#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "sessions/sess_int.h"

/* Datasets: one row in datasets, one per column in columns, the strings of
 * text columns in categories, the events in chunks (chunks.c).  Names are
 * always bound as values, never put into SQL text. */

/* "no dataset 'x' (datasets: a, b)": the names, as many as fit. */
static int
not_found(sqlite3 *db, const char *name, struct hs_err *err)
{
    char list[300] = "";
    size_t used = 0;
    int n = 0;
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db, "SELECT name FROM datasets ORDER BY name", -1, &st, NULL) ==
        SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *s = (const char *)sqlite3_column_text(st, 0);
            size_t len = s ? strlen(s) : 0;

            if (used + len + 8 >= sizeof list) {
                snprintf(list + used, sizeof list - used, ", ...");
                n++;
                break;
            }
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", n ? ", " : "",
                                     s ? s : "");
            n++;
        }
        sqlite3_finalize(st);
    }
    if (n == 0)
        return hs_err_set(err, HS_ENOTFOUND, "no dataset '%s' (the session holds none)", name);
    return hs_err_set(err, HS_ENOTFOUND, "no dataset '%s' (datasets: %s)", name, list);
}

int
hs_sess_dataset_id(sqlite3 *db, const char *path, const char *name, int64_t *id, int64_t *nrows,
                   struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, "SELECT id, nrows FROM datasets WHERE name = ?", -1, &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
    }
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        if (nrows)
            *nrows = sqlite3_column_int64(st, 1);
        sqlite3_finalize(st);
        return HS_OK;
    }
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(st);
        return not_found(db, name, err);
    }
    rc = hs_sess_dberr(db, path, rc, NULL, err);
    sqlite3_finalize(st);
    return rc;
}

/* Is there a dataset of that name?  1 yes, 0 no, or a negative status. */
static int
exists(struct hs_sess *s, const char *name, int64_t *id, struct hs_err *err)
{
    struct hs_err e;
    int ret = hs_sess_dataset_id(s->db, s->path, name, id, NULL, &e);

    if (ret == HS_OK)
        return 1;
    if (ret == HS_ENOTFOUND)
        return 0;
    if (err)
        *err = e;
    return ret;
}

/* A dataset's row id is the identity of its stored events: it is never
 * given twice in a session, so that a lazy table (below) reading its
 * columns one by one can tell that the dataset it opened is still there,
 * and not a replacement of as many rows made in the same second.  SQLite
 * gives a deleted largest id again, so the next free id is kept in meta
 * when a dataset goes, in the transaction that deletes it, and a new
 * dataset takes the larger of that and one past the largest id in use
 * (which also covers sessions written before this was kept). */
#define NEXT_ID_KEY "'dataset_next_id'"
#define NEXT_ID_SQL "coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = " NEXT_ID_KEY "), 1)"

static int
delete_dataset(struct hs_sess *s, int64_t id, struct hs_err *err)
{
    static const char *const sql[] = {
        "DELETE FROM chunks WHERE dataset = ?",
        "DELETE FROM categories WHERE dataset = ?",
        "DELETE FROM columns WHERE dataset = ?",
        "DELETE FROM datasets WHERE id = ?",
        "INSERT OR REPLACE INTO meta (key, value) VALUES (" NEXT_ID_KEY ", max(?1 + 1, " NEXT_ID_SQL
        "))",
    };

    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st;
        int rc, ret = hs_sess_prepare(s, sql[i], &st, err);

        if (ret)
            return ret;
        sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st);
        ret = rc == SQLITE_DONE ? HS_OK : hs_sess_dberr(s->db, s->path, rc, NULL, err);
        sqlite3_finalize(st);
        if (ret)
            return ret;
    }
    return HS_OK;
}

/* A table the store can write: names, known kinds and roles, values and
 * strings where the counts say there are some. */
static int
check_table(const char *name, const struct hs_table *t, struct hs_err *err)
{
    if (!name || !name[0])
        return hs_err_set(err, HS_EUSAGE, "a dataset needs a name");
    if (!t)
        return hs_err_set(err, HS_EUSAGE, "no table to store as dataset '%s'", name);
    if (t->nrows > (size_t)INT64_MAX / sizeof(double))
        return hs_err_set(err, HS_ERANGE, "dataset '%s' is too large", name);
    for (size_t j = 0; j < t->ncols; j++) {
        const struct hs_column *c = &t->cols[j];

        if (!c->name || !hs_sess_kind_name(c->kind) || !hs_sess_role_name(c->role) ||
            (t->nrows && !c->v))
            return hs_err_set(err, HS_EUSAGE, "dataset '%s': column %zu is incomplete", name,
                              j + 1);
        for (size_t k = 0; k < c->ncats; k++)
            if (!c->cats[k])
                return hs_err_set(err, HS_EUSAGE, "dataset '%s': column '%s' lacks a string", name,
                                  c->name);
    }
    return HS_OK;
}

static int
insert_dataset(struct hs_sess *s, const char *name, const struct hs_table *t, const char *source,
               int64_t source_size, int64_t source_mtime, int64_t *id, struct hs_err *err)
{
    size_t ncols = 0, nsig, nbkg;
    sqlite3_stmt *st;
    int rc, ret;

    ret = hs_sess_prepare(s,
                          "INSERT INTO datasets (id, name, nrows, ncols, labelled, nsignal, "
                          "nbackground, source, source_size, source_mtime, created) "
                          "VALUES (max(" NEXT_ID_SQL ", coalesce((SELECT max(id) FROM datasets), "
                          "0) + 1), ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                          "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                          &st, err);
    if (ret)
        return ret;
    for (size_t j = 0; j < t->ncols; j++)
        ncols += !t->cols[j].synthetic;
    hs_table_class_counts(t, &nsig, &nbkg);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)t->nrows);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)ncols);
    sqlite3_bind_int(st, 4, hs_table_label(t) != NULL);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)nsig);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)nbkg);
    if (source)
        sqlite3_bind_text(st, 7, source, -1, SQLITE_STATIC);
    if (source_size >= 0)
        sqlite3_bind_int64(st, 8, source_size);
    if (source_mtime >= 0)
        sqlite3_bind_int64(st, 9, source_mtime);
    rc = sqlite3_step(st);
    ret = rc == SQLITE_DONE ? HS_OK : hs_sess_dberr(s->db, s->path, rc, "storing a dataset", err);
    sqlite3_finalize(st);
    *id = sqlite3_last_insert_rowid(s->db);
    return ret;
}

static int
insert_columns(struct hs_sess *s, int64_t id, const struct hs_table *t, struct hs_err *err)
{
    sqlite3_stmt *col = NULL, *cat = NULL;
    int rc = SQLITE_DONE, ret;

    if ((ret = hs_sess_prepare(s,
                               "INSERT INTO columns (dataset, idx, name, kind, role, synthetic) "
                               "VALUES (?, ?, ?, ?, ?, ?)",
                               &col, err)) ||
        (ret = hs_sess_prepare(
             s, "INSERT INTO categories (dataset, col, code, text) VALUES (?, ?, ?, ?)", &cat,
             err)))
        goto done;
    sqlite3_bind_int64(col, 1, id);
    sqlite3_bind_int64(cat, 1, id);
    for (size_t j = 0; j < t->ncols && rc == SQLITE_DONE; j++) {
        const struct hs_column *c = &t->cols[j];

        sqlite3_bind_int64(col, 2, (sqlite3_int64)j);
        sqlite3_bind_text(col, 3, c->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(col, 4, hs_sess_kind_name(c->kind), -1, SQLITE_STATIC);
        sqlite3_bind_text(col, 5, hs_sess_role_name(c->role), -1, SQLITE_STATIC);
        sqlite3_bind_int(col, 6, c->synthetic);
        rc = sqlite3_step(col);
        sqlite3_reset(col);
        sqlite3_bind_int64(cat, 2, (sqlite3_int64)j);
        for (size_t k = 0; k < c->ncats && rc == SQLITE_DONE; k++) {
            sqlite3_bind_int64(cat, 3, (sqlite3_int64)k);
            sqlite3_bind_text(cat, 4, c->cats[k], -1, SQLITE_STATIC);
            rc = sqlite3_step(cat);
            sqlite3_reset(cat);
        }
    }
    if (rc != SQLITE_DONE)
        ret = hs_sess_dberr(s->db, s->path, rc, "storing a dataset", err);
done:
    sqlite3_finalize(col);
    sqlite3_finalize(cat);
    return ret;
}

int
hs_sess_dataset_store(struct hs_sess *s, const char *name, const struct hs_table *t, bool replace,
                      const char *source, int64_t source_size, int64_t source_mtime,
                      const struct hs_task *task, struct hs_err *err)
{
    int64_t id;
    bool own;
    int ret;

    if ((ret = check_table(name, t, err)))
        return ret;
    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "cancelled");
    if ((ret = hs_sess_change_begin(s, &own, err)))
        return ret;
    ret = exists(s, name, &id, err);
    if (ret == 1 && !replace)
        ret = hs_err_set(err, HS_EEXIST, "dataset '%s' exists already", name);
    else if (ret == 1)
        ret = delete_dataset(s, id, err);
    if (ret == 0)
        ret = insert_dataset(s, name, t, source, source_size, source_mtime, &id, err);
    if (ret == 0)
        ret = insert_columns(s, id, t, err);
    if (ret == 0)
        ret = hs_chunks_store(s, id, t, task, err);
    if (ret) {
        hs_sess_change_abort(s, own);
        return ret;
    }
    return hs_sess_change_end(s, own, err);
}

static int
load_columns(struct hs_sess *s, int64_t id, struct hs_table *t, struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc, ret;

    ret = hs_sess_prepare(
        s, "SELECT idx, name, kind, role, synthetic FROM columns WHERE dataset = ? ORDER BY idx",
        &st, err);
    if (ret)
        return ret;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cname = (const char *)sqlite3_column_text(st, 1);
        int kind = hs_sess_kind_parse((const char *)sqlite3_column_text(st, 2));
        int role = hs_sess_role_parse((const char *)sqlite3_column_text(st, 3));
        size_t k;

        if (sqlite3_column_int64(st, 0) != (sqlite3_int64)t->ncols || !cname || kind < 0 ||
            role < 0) {
            ret = hs_sess_damaged(s->path, err, "the columns of a dataset are inconsistent");
            break;
        }
        ret = hs_table_add_column(t, cname, (enum hs_col_kind)kind, &k, err);
        if (ret == HS_EEXIST)
            ret = hs_sess_damaged(s->path, err, "two columns named '%s'", cname);
        if (ret)
            break;
        t->cols[k].role = (enum hs_col_role)role;
        t->cols[k].synthetic = sqlite3_column_int(st, 4) != 0;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = hs_sess_dberr(s->db, s->path, rc, NULL, err);
    sqlite3_finalize(st);
    return ret;
}

static int
load_categories(struct hs_sess *s, int64_t id, struct hs_table *t, struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc, ret;

    ret = hs_sess_prepare(
        s, "SELECT col, code, text FROM categories WHERE dataset = ? ORDER BY col, code", &st, err);
    if (ret)
        return ret;
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 j = sqlite3_column_int64(st, 0), code = sqlite3_column_int64(st, 1);
        const char *text = (const char *)sqlite3_column_text(st, 2);
        struct hs_column *c;

        if (j < 0 || j >= (sqlite3_int64)t->ncols || t->cols[j].kind != HS_COL_TEXT || !text ||
            code != (sqlite3_int64)t->cols[j].ncats) {
            ret = hs_sess_damaged(s->path, err, "the strings of a text column are inconsistent");
            break;
        }
        c = &t->cols[j];
        if (hs_grow((void **)&c->cats, &c->cats_cap, c->ncats + 1, sizeof *c->cats) ||
            !(c->cats[c->ncats] = hs_strdup(text))) {
            ret = hs_err_set(err, HS_ENOMEM, "out of memory");
            break;
        }
        c->ncats++;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = hs_sess_dberr(s->db, s->path, rc, NULL, err);
    sqlite3_finalize(st);
    return ret;
}

/* A count far beyond the chunks is damage, not a request for terabytes:
 * checked before any array of nrows is made (each column's own chunks are
 * checked when it is read). */
static int
check_count(struct hs_sess *s, const char *name, int64_t id, int64_t nrows, size_t ncols,
            struct hs_err *err)
{
    sqlite3_stmt *st;
    int64_t most = -1;
    int rc, ret;

    if (nrows == 0)
        return HS_OK;
    if (ncols == 0)
        return hs_sess_damaged(s->path, err, "dataset '%s' has %lld rows and no columns", name,
                               (long long)nrows);
    if ((ret = hs_sess_prepare(s, "SELECT max(chunk) FROM chunks WHERE dataset = ?", &st, err)))
        return ret;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        most = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return hs_sess_dberr(s->db, s->path, rc, "checking events", err);
    if ((nrows - 1) / HS_CHUNK_ROWS > most)
        return hs_sess_damaged(s->path, err, "dataset '%s' has %lld rows, more than its chunks hold",
                               name, (long long)nrows);
    return HS_OK;
}

/* Every column's chunks, from their lengths, before a whole load: also
 * those of columns the dataset does not have. */
static int
check_chunks(struct hs_sess *s, const char *name, int64_t id, int64_t nrows, size_t ncols,
             struct hs_err *err)
{
    char *why = NULL;
    int rc = hs_chunks_check(s->db, name, id, nrows, ncols, &why), ret;

    if (rc == SQLITE_OK)
        return HS_OK;
    ret = why ? hs_sess_damaged(s->path, err, "%s", why)
              : hs_sess_dberr(s->db, s->path, rc, "checking events", err);
    sqlite3_free(why);
    return ret;
}

/* ---- a stored dataset as the source of a lazy table ---- */

struct stored {
    struct hs_sess *s;
    char *name;
    int64_t id, nrows; /* the dataset opened: its id is never given again */
};

static void
stored_free(void *user)
{
    struct stored *d = user;

    if (!d)
        return;
    hs_free(d->name);
    hs_free(d);
}

/* Is the dataset opened still stored as it was?  Asked before every
 * column read, in the read transaction of that read: a replacement (by
 * another process, or by this one, as the TUI's commands do) or a drop
 * since the open is HS_EBUSY, so that columns of two datasets are never
 * mixed in one table.  A rename keeps the events, and reading goes on. */
static int
stored_check(struct stored *d, struct hs_err *err)
{
    sqlite3_stmt *st;
    int64_t nrows = -1;
    int rc, ret;

    if ((ret = hs_sess_prepare(d->s, "SELECT nrows FROM datasets WHERE id = ?", &st, err)))
        return ret;
    sqlite3_bind_int64(st, 1, d->id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        nrows = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE)
        ret = hs_sess_dberr(d->s->db, d->s->path, rc, NULL, err);
    sqlite3_finalize(st);
    if (!ret && nrows != d->nrows)
        ret = hs_err_set(err, HS_EBUSY,
                         "dataset '%s' was replaced or dropped after this command opened it; "
                         "run it again",
                         d->name);
    return ret;
}

static int
stored_read(void *user, const struct hs_table *t, size_t col, double *v,
            const struct hs_task *task, struct hs_err *err)
{
    struct stored *d = user;
    const struct hs_column *c = &t->cols[col];
    size_t bad;
    bool own;
    int ret;

    if ((ret = hs_sess_read_begin(d->s, &own, err)))
        return ret;
    if ((ret = stored_check(d, err)) ||
        (ret = hs_chunks_load_column(d->s, d->name, d->id, t->src_nrows, col, v, task, err)))
        goto done;
    /* Every command that trains or counts classes trusts these to be 0
     * or 1; anything else was planted. */
    if (c->role == HS_ROLE_LABEL && (bad = hs_chunks_bad_label(v, t->src_nrows)) < t->src_nrows)
        ret = hs_sess_damaged(d->s->path, err,
                              "dataset '%s': event %zu has the label %.17g, not 0 or 1", d->name,
                              bad + 1, v[bad]);
done:
    hs_sess_read_end(d->s, own);
    return ret;
}

static int
stored_read_rows(void *user, const struct hs_table *t, const size_t *cols, size_t ncols,
                 size_t row0, size_t n, double *const *v, struct hs_err *err)
{
    struct stored *d = user;
    bool own;
    int ret;

    if ((ret = hs_sess_read_begin(d->s, &own, err)))
        return ret;
    ret = stored_check(d, err);
    for (size_t j = 0; j < ncols && !ret; j++)
        ret = hs_chunks_read_rows(d->s, d->name, d->id, t->src_nrows, cols[j], row0, n, v[j], err);
    hs_sess_read_end(d->s, own);
    return ret;
}

static const struct hs_table_source stored_source = {
    .read = stored_read,
    .read_rows = stored_read_rows,
    .block_rows = HS_CHUNK_ROWS,
    .free = stored_free,
};

/* Dataset `name` into a new table: its columns, and with `rows` its
 * events, lazily (each column read when first asked for) or, with `all`,
 * every column now. */
static int
dataset_load(struct hs_sess *s, const char *name, bool rows, bool all, struct hs_table **out,
             const struct hs_task *task, struct hs_err *err)
{
    struct hs_table *t = NULL;
    struct stored *d = NULL;
    int64_t id, nrows;
    bool own;
    int ret;

    *out = NULL;
    if ((ret = hs_sess_read_begin(s, &own, err)))
        return ret;
    if ((ret = hs_sess_dataset_id(s->db, s->path, name, &id, &nrows, err)))
        goto done;
    if (nrows < 0 || (uint64_t)nrows > SIZE_MAX / sizeof(double)) {
        ret = hs_sess_damaged(s->path, err, "dataset '%s' has %lld rows", name, (long long)nrows);
        goto done;
    }
    if (!(t = hs_table_new())) {
        ret = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if ((ret = load_columns(s, id, t, err)) || (ret = load_categories(s, id, t, err)))
        goto done;
    if (!rows)
        goto done;
    if ((ret = check_count(s, name, id, nrows, t->ncols, err)) ||
        (all && (ret = check_chunks(s, name, id, nrows, t->ncols, err))))
        goto done;
    if (!(d = hs_calloc(1, sizeof *d)) || !(d->name = hs_strdup(name))) {
        stored_free(d);
        ret = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    d->s = s;
    d->id = id;
    d->nrows = nrows;
    /* The table takes d over, also when this fails. */
    if ((ret = hs_table_set_source(t, &stored_source, d, (size_t)nrows, task, err)))
        goto done;
    if (all && (ret = hs_table_load_all(t, task, err)) == HS_OK)
        hs_table_drop_source(t);
done:
    hs_sess_read_end(s, own);
    if (ret) {
        hs_table_free(t);
        return ret;
    }
    *out = t;
    return HS_OK;
}

int
hs_sess_dataset_load(struct hs_sess *s, const char *name, struct hs_table **out,
                     const struct hs_task *task, struct hs_err *err)
{
    return dataset_load(s, name, true, true, out, task, err);
}

int
hs_sess_dataset_open(struct hs_sess *s, const char *name, struct hs_table **out,
                     const struct hs_task *task, struct hs_err *err)
{
    return dataset_load(s, name, true, false, out, task, err);
}

int
hs_sess_dataset_load_columns(struct hs_sess *s, const char *name, struct hs_table **out,
                             struct hs_err *err)
{
    return dataset_load(s, name, false, false, out, NULL, err);
}

int
hs_sess_dataset_drop(struct hs_sess *s, const char *name, struct hs_err *err)
{
    int64_t id;
    bool own;
    int ret;

    if ((ret = hs_sess_change_begin(s, &own, err)))
        return ret;
    if ((ret = hs_sess_dataset_id(s->db, s->path, name, &id, NULL, err)) ||
        (ret = delete_dataset(s, id, err))) {
        hs_sess_change_abort(s, own);
        return ret;
    }
    return hs_sess_change_end(s, own, err);
}

int
hs_sess_dataset_rename(struct hs_sess *s, const char *old_name, const char *new_name,
                       struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    int64_t id, other;
    bool own;
    int rc, ret;

    if (!new_name || !new_name[0])
        return hs_err_set(err, HS_EUSAGE, "a dataset needs a name");
    if ((ret = hs_sess_change_begin(s, &own, err)))
        return ret;
    if ((ret = hs_sess_dataset_id(s->db, s->path, old_name, &id, NULL, err)))
        goto fail;
    ret = exists(s, new_name, &other, err);
    if (ret < 0)
        goto fail;
    if (ret == 1 && other != id) {
        ret = hs_err_set(err, HS_EEXIST, "dataset '%s' exists already", new_name);
        goto fail;
    }
    if ((ret = hs_sess_prepare(s, "UPDATE datasets SET name = ? WHERE id = ?", &st, err)))
        goto fail;
    sqlite3_bind_text(st, 1, new_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        ret = hs_sess_dberr(s->db, s->path, rc, NULL, err);
        goto fail;
    }
    sqlite3_finalize(st);
    return hs_sess_change_end(s, own, err);
fail:
    sqlite3_finalize(st);
    hs_sess_change_abort(s, own);
    return ret;
}

/* ---- info ------------------------------------------------------------ */

#define INFO_COLUMNS                                                                               \
    "name, nrows, ncols, labelled, nsignal, nbackground, source, source_size, source_mtime, "      \
    "created"

static int
info_from_row(sqlite3_stmt *st, struct hs_dataset_info *out)
{
    const char *name = (const char *)sqlite3_column_text(st, 0);
    const char *source = (const char *)sqlite3_column_text(st, 6);
    const char *created = (const char *)sqlite3_column_text(st, 9);

    memset(out, 0, sizeof *out);
    out->name = hs_strdup(name ? name : "");
    out->source = source ? hs_strdup(source) : NULL;
    out->created = hs_strdup(created ? created : "");
    out->nrows = (size_t)sqlite3_column_int64(st, 1);
    out->ncols = (size_t)sqlite3_column_int64(st, 2);
    out->labelled = sqlite3_column_int(st, 3) != 0;
    out->nsignal = (size_t)sqlite3_column_int64(st, 4);
    out->nbackground = (size_t)sqlite3_column_int64(st, 5);
    out->source_size = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 7);
    out->source_mtime =
        sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 8);
    if (!out->name || !out->created || (source && !out->source)) {
        hs_dataset_info_release(out);
        return HS_ENOMEM;
    }
    return HS_OK;
}

void
hs_dataset_info_release(struct hs_dataset_info *info)
{
    if (!info)
        return;
    hs_free(info->name);
    hs_free(info->source);
    hs_free(info->created);
    memset(info, 0, sizeof *info);
}

void
hs_dataset_info_free(struct hs_dataset_info *infos, size_t n)
{
    if (!infos)
        return;
    for (size_t i = 0; i < n; i++)
        hs_dataset_info_release(&infos[i]);
    hs_free(infos);
}

int
hs_sess_datasets(struct hs_sess *s, struct hs_dataset_info **out, size_t *n, struct hs_err *err)
{
    struct hs_dataset_info *v = NULL;
    size_t cap = 0, k = 0;
    sqlite3_stmt *st;
    int rc, ret;

    *out = NULL;
    *n = 0;
    if ((ret = hs_sess_prepare(s, "SELECT " INFO_COLUMNS " FROM datasets ORDER BY name", &st, err)))
        return ret;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (hs_grow((void **)&v, &cap, k + 1, sizeof *v) || info_from_row(st, &v[k])) {
            ret = hs_err_set(err, HS_ENOMEM, "out of memory");
            break;
        }
        k++;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = hs_sess_dberr(s->db, s->path, rc, NULL, err);
    sqlite3_finalize(st);
    if (ret) {
        hs_dataset_info_free(v, k);
        return ret;
    }
    *out = v;
    *n = k;
    return HS_OK;
}

int
hs_sess_dataset_info(struct hs_sess *s, const char *name, struct hs_dataset_info *out,
                     struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc, ret;

    memset(out, 0, sizeof *out);
    if ((ret =
             hs_sess_prepare(s, "SELECT " INFO_COLUMNS " FROM datasets WHERE name = ?", &st, err)))
        return ret;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        ret = info_from_row(st, out) ? hs_err_set(err, HS_ENOMEM, "out of memory") : HS_OK;
    else if (rc == SQLITE_DONE)
        ret = not_found(s->db, name, err);
    else
        ret = hs_sess_dberr(s->db, s->path, rc, NULL, err);
    sqlite3_finalize(st);
    return ret;
}

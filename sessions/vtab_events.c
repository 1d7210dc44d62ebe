#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "sessions/sess_int.h"

/* The events of one dataset as an SQLite virtual table, read-only.
 *
 * CREATE VIRTUAL TABLE temp.x USING hs_events(ID) declares one column per
 * imported column (under its own name, REAL or TEXT), then _label (1, 0 or
 * NULL), _weight (the weight, or 1) and _group.  Nothing is loaded up
 * front: a cursor reads a column's chunk (65,536 values) the first time a
 * row of that chunk asks for that column, so a query touching two columns
 * of twenty reads a tenth of the data, and memory stays one chunk per
 * column and cursor however large the dataset. */

enum ev_what {
    EV_PLAIN,  /* an imported column */
    EV_LABEL,  /* _label */
    EV_WEIGHT, /* _weight */
    EV_GROUP,  /* _group */
};

struct ev_src { /* a stored column */
    int kind;
    char **cats;
    size_t ncats, cats_cap;
};

struct ev_col { /* a declared column */
    enum ev_what what;
    long src; /* stored column, or -1 (no weight, no group, unlabelled) */
};

struct ev_vtab {
    sqlite3_vtab base;
    sqlite3 *db;
    const char *path;
    int64_t dataset;
    size_t nrows;
    size_t nsrc;
    struct ev_src *src;
    int ncols;
    struct ev_col *cols;
};

struct ev_cursor {
    sqlite3_vtab_cursor base;
    size_t row;
    sqlite3_stmt *get;
    double **buf;    /* per stored column: one chunk, allocated when first used */
    int64_t *loaded; /* per stored column: the chunk in buf, -1 none */
};

static void
vtab_free(struct ev_vtab *vt)
{
    if (!vt)
        return;
    for (size_t i = 0; i < vt->nsrc; i++) {
        for (size_t k = 0; k < vt->src[i].ncats; k++)
            hs_free(vt->src[i].cats[k]);
        hs_free(vt->src[i].cats);
    }
    hs_free(vt->src);
    hs_free(vt->cols);
    hs_free(vt);
}

/* Append a declared column named name, or, when SQLite would take that
 * for a name declared already (its names ignore ASCII case), "name:2",
 * "name:3", ...  The name declared goes to names[n] (a new string). */
static int
declare(sqlite3_str *ddl, char **names, int n, const char *name, const char *type)
{
    char *final = hs_strdup(name);

    for (int k = 2; final; k++) {
        int i;
        for (i = 0; i < n && sqlite3_stricmp(names[i], final) != 0; i++)
            ;
        if (i == n)
            break;
        hs_free(final);
        final = hs_malloc(strlen(name) + 16);
        if (final)
            sprintf(final, "%s:%d", name, k);
    }
    if (!final)
        return SQLITE_NOMEM;
    names[n] = final;
    sqlite3_str_appendf(ddl, "%s\"%w\" %s", n ? ", " : "", final, type);
    return SQLITE_OK;
}

static int
read_structure(struct ev_vtab *vt, char **pzErr)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = sqlite3_prepare_v2(vt->db, "SELECT nrows FROM datasets WHERE id = ?", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, vt->dataset);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            vt->nrows = (size_t)sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            *pzErr = sqlite3_mprintf("no dataset of id %lld", (long long)vt->dataset);
            rc = SQLITE_ERROR;
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(vt->db, "SELECT kind FROM columns WHERE dataset = ? ORDER BY idx",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        size_t cap = 0;
        sqlite3_bind_int64(st, 1, vt->dataset);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (hs_grow((void **)&vt->src, &cap, vt->nsrc + 1, sizeof *vt->src)) {
                rc = SQLITE_NOMEM;
                break;
            }
            memset(&vt->src[vt->nsrc], 0, sizeof *vt->src);
            vt->src[vt->nsrc++].kind = hs_sess_kind_parse((const char *)sqlite3_column_text(st, 0));
        }
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(
            vt->db, "SELECT col, code, text FROM categories WHERE dataset = ? ORDER BY col, code",
            -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, vt->dataset);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            sqlite3_int64 j = sqlite3_column_int64(st, 0), code = sqlite3_column_int64(st, 1);
            const char *text = (const char *)sqlite3_column_text(st, 2);
            struct ev_src *c;

            if (j < 0 || (size_t)j >= vt->nsrc || code != (sqlite3_int64)vt->src[j].ncats ||
                !text) {
                rc = SQLITE_CORRUPT;
                break;
            }
            c = &vt->src[j];
            if (hs_grow((void **)&c->cats, &c->cats_cap, c->ncats + 1, sizeof *c->cats)) {
                rc = SQLITE_NOMEM;
                break;
            }
            if (!(c->cats[c->ncats] = hs_strdup(text))) {
                rc = SQLITE_NOMEM;
                break;
            }
            c->ncats++;
        }
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    return rc;
}

static int
declare_columns(struct ev_vtab *vt, char **pzErr)
{
    static const char *const own[] = {"_label", "_weight", "_group"};
    sqlite3_stmt *st = NULL;
    char **names = NULL;
    sqlite3_str *ddl = sqlite3_str_new(vt->db);
    long label = -1, weight = -1, group = -1;
    char *sql;
    int rc, n = 0;

    vt->cols = hs_calloc(vt->nsrc + 3, sizeof *vt->cols);
    names = hs_calloc(vt->nsrc + 3, sizeof *names);
    if (!vt->cols || !names) {
        rc = SQLITE_NOMEM;
        goto done;
    }
    sqlite3_str_appendall(ddl, "CREATE TABLE x(");
    rc = sqlite3_prepare_v2(vt->db,
                            "SELECT idx, name, role, synthetic FROM columns WHERE dataset = ? "
                            "ORDER BY idx",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto done;
    sqlite3_bind_int64(st, 1, vt->dataset);
    /* names[] keeps copies: a step's strings last only until the next. */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long j = (long)sqlite3_column_int64(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        int role = hs_sess_role_parse((const char *)sqlite3_column_text(st, 2));

        if (j < 0 || (size_t)j >= vt->nsrc || !name || role < 0) {
            rc = SQLITE_CORRUPT;
            goto done;
        }
        if (role == HS_ROLE_LABEL && label < 0)
            label = j;
        if (role == HS_ROLE_WEIGHT && weight < 0)
            weight = j;
        if (role == HS_ROLE_GROUP && group < 0)
            group = j;
        if (sqlite3_column_int(st, 3))
            continue; /* hepscope's own columns appear as _label, _group */
        rc = declare(ddl, names, n, name, vt->src[j].kind == HS_COL_TEXT ? "TEXT" : "REAL");
        if (rc != SQLITE_OK)
            goto done;
        vt->cols[n].what = EV_PLAIN;
        vt->cols[n].src = j;
        n++;
    }
    if (rc != SQLITE_DONE)
        goto done;
    for (int k = 0; k < 3; k++) {
        static const char *const types[] = {"INTEGER", "REAL", ""};
        if ((rc = declare(ddl, names, n, own[k], types[k])) != SQLITE_OK)
            goto done;
        vt->cols[n].what = (enum ev_what)(EV_LABEL + k);
        vt->cols[n].src = k == 0 ? label : k == 1 ? weight : group;
        n++;
    }
    vt->ncols = n;
    sqlite3_str_appendall(ddl, ")");
    rc = sqlite3_str_errcode(ddl);
    if (rc == SQLITE_OK) {
        sql = sqlite3_str_finish(ddl);
        ddl = NULL;
        rc = sqlite3_declare_vtab(vt->db, sql);
        if (rc != SQLITE_OK)
            *pzErr = sqlite3_mprintf("%s", sqlite3_errmsg(vt->db));
        sqlite3_free(sql);
    }
done:
    sqlite3_finalize(st);
    sqlite3_free(sqlite3_str_finish(ddl));
    for (int i = 0; names && i < n; i++)
        hs_free(names[i]);
    hs_free(names);
    return rc;
}

static int
ev_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
           char **pzErr)
{
    struct ev_vtab *vt;
    char *end;
    long long id;
    int rc;

    if (argc != 4 || (id = strtoll(argv[3], &end, 10), *end != '\0' || end == argv[3])) {
        *pzErr = sqlite3_mprintf("hs_events takes one argument, a dataset id");
        return SQLITE_ERROR;
    }
    if (!(vt = hs_calloc(1, sizeof *vt)))
        return SQLITE_NOMEM;
    vt->db = db;
    vt->path = aux;
    vt->dataset = id;
    rc = read_structure(vt, pzErr);
    if (rc == SQLITE_OK)
        rc = declare_columns(vt, pzErr);
    if (rc != SQLITE_OK) {
        if (!*pzErr && rc == SQLITE_CORRUPT)
            *pzErr = sqlite3_mprintf("dataset %lld: its columns are inconsistent", id);
        vtab_free(vt);
        return rc;
    }
    sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
    *out = &vt->base;
    return SQLITE_OK;
}

static int
ev_disconnect(sqlite3_vtab *base)
{
    vtab_free((struct ev_vtab *)base);
    return SQLITE_OK;
}

static int
ev_best_index(sqlite3_vtab *base, sqlite3_index_info *info)
{
    struct ev_vtab *vt = (struct ev_vtab *)base;

    /* A full scan is all there is; the cost lets SQLite order joins. */
    info->estimatedCost = (double)vt->nrows + 1;
    info->estimatedRows = (sqlite3_int64)vt->nrows;
    return SQLITE_OK;
}

static int
ev_open(sqlite3_vtab *base, sqlite3_vtab_cursor **out)
{
    struct ev_vtab *vt = (struct ev_vtab *)base;
    struct ev_cursor *cur = hs_calloc(1, sizeof *cur);
    int rc;

    if (!cur)
        return SQLITE_NOMEM;
    cur->buf = hs_calloc(vt->nsrc ? vt->nsrc : 1, sizeof *cur->buf);
    cur->loaded = hs_malloc((vt->nsrc ? vt->nsrc : 1) * sizeof *cur->loaded);
    if (!cur->buf || !cur->loaded) {
        hs_free(cur->buf);
        hs_free(cur->loaded);
        hs_free(cur);
        return SQLITE_NOMEM;
    }
    for (size_t i = 0; i < vt->nsrc; i++)
        cur->loaded[i] = -1;
    rc = sqlite3_prepare_v2(vt->db,
                            "SELECT data FROM chunks WHERE dataset = ? AND col = ? AND chunk = ?",
                            -1, &cur->get, NULL);
    if (rc != SQLITE_OK) {
        hs_free(cur->buf);
        hs_free(cur->loaded);
        hs_free(cur);
        return rc;
    }
    sqlite3_bind_int64(cur->get, 1, vt->dataset);
    cur->row = 0;
    *out = &cur->base;
    return SQLITE_OK;
}

static int
ev_close(sqlite3_vtab_cursor *base)
{
    struct ev_cursor *cur = (struct ev_cursor *)base;
    struct ev_vtab *vt = (struct ev_vtab *)base->pVtab;

    for (size_t i = 0; i < vt->nsrc; i++)
        hs_free(cur->buf[i]);
    hs_free(cur->buf);
    hs_free(cur->loaded);
    sqlite3_finalize(cur->get);
    hs_free(cur);
    return SQLITE_OK;
}

static int
ev_filter(sqlite3_vtab_cursor *base, int idxNum, const char *idxStr, int argc, sqlite3_value **argv)
{
    ((struct ev_cursor *)base)->row = 0;
    return SQLITE_OK;
}

static int
ev_next(sqlite3_vtab_cursor *base)
{
    ((struct ev_cursor *)base)->row++;
    return SQLITE_OK;
}

static int
ev_eof(sqlite3_vtab_cursor *base)
{
    return ((struct ev_cursor *)base)->row >= ((struct ev_vtab *)base->pVtab)->nrows;
}

static int
ev_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid)
{
    *rowid = (sqlite3_int64)((struct ev_cursor *)base)->row + 1;
    return SQLITE_OK;
}

/* The value of stored column c in the cursor's row, reading its chunk
 * when the row has moved past the one held. */
static int
value(struct ev_cursor *cur, long c, double *v)
{
    struct ev_vtab *vt = (struct ev_vtab *)cur->base.pVtab;
    int64_t k = (int64_t)(cur->row / HS_CHUNK_ROWS);

    if (cur->loaded[c] != k) {
        size_t off = (size_t)k * HS_CHUNK_ROWS;
        size_t n = vt->nrows - off < HS_CHUNK_ROWS ? vt->nrows - off : HS_CHUNK_ROWS;
        int rc;

        if (!cur->buf[c] && !(cur->buf[c] = hs_malloc(HS_CHUNK_ROWS * sizeof(double))))
            return SQLITE_NOMEM;
        sqlite3_bind_int64(cur->get, 2, c);
        sqlite3_bind_int64(cur->get, 3, k);
        rc = sqlite3_step(cur->get);
        if (rc == SQLITE_ROW)
            rc = hs_chunk_decode(cur->buf[c], n, sqlite3_column_blob(cur->get, 0),
                                 (size_t)sqlite3_column_bytes(cur->get, 0)) == HS_OK
                     ? SQLITE_OK
                     : SQLITE_CORRUPT;
        else if (rc == SQLITE_DONE)
            rc = SQLITE_CORRUPT; /* a chunk is missing */
        sqlite3_reset(cur->get);
        if (rc != SQLITE_OK)
            return rc;
        cur->loaded[c] = k;
    }
    *v = cur->buf[c][cur->row % HS_CHUNK_ROWS];
    return SQLITE_OK;
}

static void
result_plain(sqlite3_context *ctx, const struct ev_src *src, double v)
{
    if (isnan(v))
        sqlite3_result_null(ctx);
    else if (src->kind != HS_COL_TEXT)
        sqlite3_result_double(ctx, v);
    else if (v >= 0 && v < (double)src->ncats)
        sqlite3_result_text(ctx, src->cats[(size_t)v], -1, SQLITE_STATIC);
    else
        sqlite3_result_null(ctx);
}

static int
ev_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int i)
{
    struct ev_cursor *cur = (struct ev_cursor *)base;
    struct ev_vtab *vt = (struct ev_vtab *)base->pVtab;
    const struct ev_col *col = &vt->cols[i];
    double v;
    int rc;

    if (col->src < 0) {
        if (col->what == EV_WEIGHT)
            sqlite3_result_double(ctx, 1.0);
        else
            sqlite3_result_null(ctx);
        return SQLITE_OK;
    }
    rc = value(cur, col->src, &v);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_CORRUPT) {
            char *msg = sqlite3_mprintf("dataset %lld: chunk %lld of column %lld is missing or "
                                        "damaged",
                                        (long long)vt->dataset,
                                        (long long)(cur->row / HS_CHUNK_ROWS), (long long)col->src);
            sqlite3_result_error(ctx, msg ? msg : "a chunk is damaged", -1);
            sqlite3_free(msg);
        }
        sqlite3_result_error_code(ctx, rc);
        return rc;
    }
    if (col->what == EV_LABEL) {
        if (v == 1.0 || v == 0.0)
            sqlite3_result_int(ctx, v == 1.0);
        else
            sqlite3_result_null(ctx);
    } else {
        result_plain(ctx, &vt->src[col->src], v);
    }
    return SQLITE_OK;
}

static const sqlite3_module ev_module = {
    .iVersion = 1,
    .xCreate = ev_connect,
    .xConnect = ev_connect,
    .xBestIndex = ev_best_index,
    .xDisconnect = ev_disconnect,
    .xDestroy = ev_disconnect,
    .xOpen = ev_open,
    .xClose = ev_close,
    .xFilter = ev_filter,
    .xNext = ev_next,
    .xEof = ev_eof,
    .xColumn = ev_column,
    .xRowid = ev_rowid,
};

int
hs_vtab_events_register(sqlite3 *db, const char *path)
{
    return sqlite3_create_module_v2(db, "hs_events", &ev_module, (void *)path, NULL);
}

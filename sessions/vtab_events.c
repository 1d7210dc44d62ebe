#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "featureset.h"
#include "mem.h"
#include "sessions/features.h"
#include "sessions/learned.h"
#include "sessions/outputs.h"
#include "sessions/sess_int.h"

/* The events of one dataset as an SQLite virtual table, read-only.
 *
 * CREATE VIRTUAL TABLE temp.x USING hs_events(ID) declares one column per
 * imported column (under its own name, REAL or TEXT), then _label (1, 0 or
 * NULL), _weight (the weight, or 1) and _group, then the dataset's derived
 * features and learned columns (each stored model it can score,
 * sessions/learned.h) as HIDDEN columns: a query that names one gets it, `select *`
 * stays the stored events.  Nothing is loaded up front: a cursor reads a
 * column's chunk (65,536 values) the first time a row of that chunk asks
 * for that column, so a query touching two columns of twenty reads a
 * tenth of the data, and memory stays one chunk per column and cursor
 * however large the dataset.
 *
 * A derived feature or learned column is computed a chunk at a time, from
 * its expression or model (src/featureset.h) over a table that holds the
 * chunk of the columns it reads, the first time a row of the chunk asks
 * for it; a query that does not name one builds none of this (the models
 * are read once, when the table is made, to declare their columns).  A feature whose expression no longer
 * compiles reads as NULL, as does a value that is NaN. */

enum ev_what {
    EV_PLAIN,  /* an imported column */
    EV_LABEL,  /* _label */
    EV_WEIGHT, /* _weight */
    EV_GROUP,  /* _group */
    EV_DERIVED, /* a derived feature or learned column (HIDDEN) */
};

struct ev_src { /* a stored column */
    int kind;
    char **cats;
    size_t ncats, cats_cap;
    char *name;    /* for the table derived features are computed over */
    int role;
    bool synthetic;
};

struct ev_col { /* a declared column */
    enum ev_what what;
    long src; /* stored column, or -1 (no weight, no group, unlabelled);
                 EV_DERIVED: the index in ev_vtab.feat, then ev_vtab.learned */
};

struct ev_vtab {
    sqlite3_vtab base;
    sqlite3 *db;
    const char *path;
    int64_t dataset;
    char *name;           /* the dataset's */
    int64_t stored_nrows; /* datasets.nrows, unchecked */
    size_t nrows;         /* the same once the chunks bear it out */
    size_t nsrc;
    struct ev_src *src;
    int ncols;
    struct ev_col *cols;
    struct hs_feature_rec *feat; /* the derived features, in order */
    size_t nfeat;
    char **learned; /* the learned columns' names */
    size_t nlearned;
    size_t src_cap, feat_cap;
    bool found; /* the dataset's row was read */
};

/* A cursor's derived features: the stored columns of one chunk as a
 * table, and the feature set over it. */
struct ev_derived {
    struct hs_table *t;
    struct hs_featureset fs;
    long *fidx;      /* per ev_vtab.feat and .learned: its index in fs, -1 when it did not
                        compile */
    int64_t chunk;   /* the chunk whose rows t holds, -1 none */
    int64_t *loaded; /* per stored column: the chunk in t's column, -1 none */
};

struct ev_cursor {
    sqlite3_vtab_cursor base;
    size_t row;
    sqlite3_stmt *get;
    double **buf;    /* per stored column: one chunk, allocated when first used */
    int64_t *loaded; /* per stored column: the chunk in buf, -1 none */
    char *why;       /* what read_chunk found damaged (sqlite3_free), or NULL */
    struct ev_derived *derived; /* made when a derived feature is first read */
};

static void derived_free(struct ev_derived *d);
static int derived_new(const struct ev_vtab *vt, bool reserve, struct ev_derived **out);

static void
vtab_free(struct ev_vtab *vt)
{
    if (!vt)
        return;
    for (size_t i = 0; i < vt->nsrc; i++) {
        for (size_t k = 0; k < vt->src[i].ncats; k++)
            hs_free(vt->src[i].cats[k]);
        hs_free(vt->src[i].cats);
        hs_free(vt->src[i].name);
    }
    hs_feature_recs_free(vt->feat, vt->nfeat);
    for (size_t i = 0; i < vt->nlearned; i++)
        hs_free(vt->learned[i]);
    hs_free(vt->learned);
    hs_free(vt->src);
    hs_free(vt->cols);
    hs_free(vt->name);
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

/* Run sql, whose ?1 is the dataset, calling row() on each result row
 * until one returns other than SQLITE_OK. */
static int
each_row(struct ev_vtab *vt, const char *sql, int (*row)(struct ev_vtab *, sqlite3_stmt *))
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(vt->db, sql, -1, &st, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, vt->dataset);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && (rc = row(vt, st)) == SQLITE_OK)
            ;
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    sqlite3_finalize(st);
    return rc;
}

/* nrows, name */
static int
nrows_row(struct ev_vtab *vt, sqlite3_stmt *st)
{
    const char *name = (const char *)sqlite3_column_text(st, 1);

    vt->stored_nrows = sqlite3_column_int64(st, 0);
    vt->found = true;
    if (!name)
        return SQLITE_CORRUPT;
    return (vt->name = hs_strdup(name)) ? SQLITE_OK : SQLITE_NOMEM;
}

/* kind, name, role, synthetic */
static int
column_row(struct ev_vtab *vt, sqlite3_stmt *st)
{
    const char *name = (const char *)sqlite3_column_text(st, 1);
    struct ev_src *c;

    if (hs_grow((void **)&vt->src, &vt->src_cap, vt->nsrc + 1, sizeof *vt->src))
        return SQLITE_NOMEM;
    c = &vt->src[vt->nsrc++];
    memset(c, 0, sizeof *c);
    c->kind = hs_sess_kind_parse((const char *)sqlite3_column_text(st, 0));
    c->role = hs_sess_role_parse((const char *)sqlite3_column_text(st, 2));
    c->synthetic = sqlite3_column_int(st, 3) != 0;
    if (!name || c->role < 0)
        return SQLITE_CORRUPT;
    return (c->name = hs_strdup(name)) ? SQLITE_OK : SQLITE_NOMEM;
}

/* col, code, text */
static int
category_row(struct ev_vtab *vt, sqlite3_stmt *st)
{
    sqlite3_int64 j = sqlite3_column_int64(st, 0), code = sqlite3_column_int64(st, 1);
    const char *text = (const char *)sqlite3_column_text(st, 2);
    struct ev_src *c;

    if (j < 0 || (size_t)j >= vt->nsrc || code != (sqlite3_int64)vt->src[j].ncats || !text)
        return SQLITE_CORRUPT;
    c = &vt->src[j];
    if (hs_grow((void **)&c->cats, &c->cats_cap, c->ncats + 1, sizeof *c->cats))
        return SQLITE_NOMEM;
    if (!(c->cats[c->ncats] = hs_strdup(text)))
        return SQLITE_NOMEM;
    c->ncats++;
    return SQLITE_OK;
}

/* name, expr, enabled of a derived feature */
static int
feature_row(struct ev_vtab *vt, sqlite3_stmt *st)
{
    const char *name = (const char *)sqlite3_column_text(st, 0);
    const char *expr = (const char *)sqlite3_column_text(st, 1);
    struct hs_feature_rec *f;

    if (!name || !expr)
        return SQLITE_CORRUPT;
    if (hs_grow((void **)&vt->feat, &vt->feat_cap, vt->nfeat + 1, sizeof *vt->feat))
        return SQLITE_NOMEM;
    f = &vt->feat[vt->nfeat++];
    f->name = hs_strdup(name);
    f->expr = hs_strdup(expr);
    f->on = sqlite3_column_int(st, 2) != 0;
    return f->name && f->expr ? SQLITE_OK : SQLITE_NOMEM;
}

static int
read_structure(struct ev_vtab *vt, char **pzErr)
{
    int rc = each_row(vt, "SELECT nrows, name FROM datasets WHERE id = ?", nrows_row);

    if (rc == SQLITE_OK && !vt->found) {
        *pzErr = sqlite3_mprintf("no dataset of id %lld", (long long)vt->dataset);
        rc = SQLITE_ERROR;
    }
    if (rc == SQLITE_OK)
        rc = each_row(vt,
                      "SELECT kind, name, role, synthetic FROM columns WHERE dataset = ? "
                      "ORDER BY idx",
                      column_row);
    /* The row count decides how far a scan runs: trusted only once the
     * chunks bear it out (a planted count would scan forever, or past the
     * end of the data). */
    if (rc == SQLITE_OK &&
        (rc = hs_chunks_check(vt->db, vt->name, vt->dataset, vt->stored_nrows, vt->nsrc,
                              pzErr)) == SQLITE_OK)
        vt->nrows = (size_t)vt->stored_nrows;
    if (rc == SQLITE_OK)
        rc = each_row(
            vt, "SELECT col, code, text FROM categories WHERE dataset = ? ORDER BY col, code",
            category_row);
    if (rc == SQLITE_OK)
        rc = each_row(vt,
                      "SELECT name, expr, enabled FROM features WHERE dataset = ? AND "
                      "expr IS NOT NULL ORDER BY position",
                      feature_row);
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

    vt->cols = hs_calloc(vt->nsrc + 3 + vt->nfeat + vt->nlearned, sizeof *vt->cols);
    names = hs_calloc(vt->nsrc + 3 + vt->nfeat + vt->nlearned, sizeof *names);
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
    for (size_t k = 0; k < vt->nfeat + vt->nlearned; k++) {
        const char *fname = k < vt->nfeat ? vt->feat[k].name : vt->learned[k - vt->nfeat];
        if ((rc = declare(ddl, names, n, fname, "REAL HIDDEN")) != SQLITE_OK)
            goto done;
        vt->cols[n].what = EV_DERIVED;
        vt->cols[n].src = (long)k;
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

/* The learned columns: those the feature set over the stored columns
 * gets from the models (built without rows, only to see which). */
static int
learned_names(struct ev_vtab *vt)
{
    struct ev_derived *d = NULL;
    int rc = derived_new(vt, false, &d);

    for (size_t i = 0; rc == SQLITE_OK && i < d->fs.n; i++) {
        char **grown;
        if (d->fs.f[i].kind != HS_FEATURE_LEARNED)
            continue;
        if (!(grown = hs_realloc(vt->learned, (vt->nlearned + 1) * sizeof *vt->learned))) {
            rc = SQLITE_NOMEM;
            break;
        }
        vt->learned = grown;
        if (!(vt->learned[vt->nlearned] = hs_strdup(d->fs.f[i].name)))
            rc = SQLITE_NOMEM;
        else
            vt->nlearned++;
    }
    if (d)
        derived_free(d);
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
        rc = learned_names(vt);
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
    sqlite3_free(cur->why);
    derived_free(cur->derived);
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

/* Rows in chunk k. */
static size_t
chunk_rows(const struct ev_vtab *vt, int64_t k)
{
    size_t off = (size_t)k * HS_CHUNK_ROWS;

    return vt->nrows - off < HS_CHUNK_ROWS ? vt->nrows - off : HS_CHUNK_ROWS;
}

/* Read chunk k of stored column c into dst (HS_CHUNK_ROWS doubles). */
static int
read_chunk(struct ev_cursor *cur, long c, int64_t k, double *dst)
{
    struct ev_vtab *vt = (struct ev_vtab *)cur->base.pVtab;
    int rc;

    sqlite3_bind_int64(cur->get, 2, c);
    sqlite3_bind_int64(cur->get, 3, k);
    rc = sqlite3_step(cur->get);
    if (rc == SQLITE_ROW)
        rc = hs_chunk_decode(dst, chunk_rows(vt, k), sqlite3_column_blob(cur->get, 0),
                             (size_t)sqlite3_column_bytes(cur->get, 0)) == HS_OK
                 ? SQLITE_OK
                 : SQLITE_CORRUPT;
    else if (rc == SQLITE_DONE)
        rc = SQLITE_CORRUPT; /* a chunk is missing */
    sqlite3_reset(cur->get);
    if (rc == SQLITE_OK && vt->src[c].role == HS_ROLE_LABEL) {
        size_t n = chunk_rows(vt, k), bad = hs_chunks_bad_label(dst, n);
        if (bad < n) {
            sqlite3_free(cur->why);
            cur->why = sqlite3_mprintf("dataset '%s': event %lld has the label %.17g, not 0 or 1",
                                       vt->name, (long long)k * HS_CHUNK_ROWS + (long long)bad + 1,
                                       dst[bad]);
            rc = cur->why ? SQLITE_CORRUPT : SQLITE_NOMEM;
        }
    }
    return rc;
}

/* The value of stored column c in the cursor's row, reading its chunk
 * when the row has moved past the one held. */
static int
value(struct ev_cursor *cur, long c, double *v)
{
    int64_t k = (int64_t)(cur->row / HS_CHUNK_ROWS);

    if (cur->loaded[c] != k) {
        int rc;
        if (!cur->buf[c] && !(cur->buf[c] = hs_malloc(HS_CHUNK_ROWS * sizeof(double))))
            return SQLITE_NOMEM;
        if ((rc = read_chunk(cur, c, k, cur->buf[c])) != SQLITE_OK)
            return rc;
        cur->loaded[c] = k;
    }
    *v = cur->buf[c][cur->row % HS_CHUNK_ROWS];
    return SQLITE_OK;
}

/* ---- derived features ---- */

static void
derived_free(struct ev_derived *d)
{
    if (!d)
        return;
    if (d->t)
        hs_featureset_release(&d->fs);
    hs_table_free(d->t);
    hs_free(d->fidx);
    hs_free(d->loaded);
    hs_free(d);
}

/* The stored columns as a table of one chunk's capacity (names, kinds,
 * roles and text codes as stored, so expressions compile as they do on
 * the loaded dataset), and the derived features over it.  A feature that
 * does not compile is left out (its column reads NULL), and so is one
 * that uses it. */
static int
derived_new(const struct ev_vtab *vt, bool reserve, struct ev_derived **out)
{
    struct ev_derived *d = hs_calloc(1, sizeof *d);
    struct hs_sess sess = {vt->db, (char *)vt->path, true, false};
    struct hs_err err;
    int rc;

    if (!d)
        return SQLITE_NOMEM;
    d->chunk = -1;
    d->t = hs_table_new();
    d->fidx = hs_calloc(vt->nfeat + vt->nlearned + 1, sizeof *d->fidx);
    d->loaded = hs_calloc(vt->nsrc + 1, sizeof *d->loaded);
    if (!d->t || !d->fidx || !d->loaded)
        goto nomem;
    for (size_t j = 0; j < vt->nsrc; j++) {
        const struct ev_src *src = &vt->src[j];
        struct hs_column *c;
        size_t idx;
        rc = hs_table_add_column(d->t, src->name, (enum hs_col_kind)src->kind, &idx, &err);
        if (rc == HS_ENOMEM)
            goto nomem;
        if (rc)
            goto corrupt; /* two stored columns of one name */
        c = &d->t->cols[idx];
        c->role = (enum hs_col_role)src->role;
        c->synthetic = src->synthetic;
        for (size_t k = 0; k < src->ncats; k++) {
            double code;
            if (hs_column_intern(c, src->cats[k], strlen(src->cats[k]), &code))
                goto nomem;
        }
        d->loaded[j] = -1;
    }
    if (reserve && hs_table_reserve(d->t, HS_CHUNK_ROWS))
        goto nomem;
    if (hs_featureset_init(&d->fs, d->t, &err)) {
        hs_table_free(d->t);
        d->t = NULL;
        goto nomem;
    }
    if (hs_featureset_apply_recs(&d->fs, vt->feat, vt->nfeat, false, NULL, &err) == HS_ENOMEM)
        goto nomem;
    /* On the query's own connection, inside its read transaction: the
     * models are those of its snapshot. */
    if ((rc = hs_sess_featureset_add_outputs_id(&sess, vt->dataset, &d->fs, &err)) == HS_OK)
        rc = hs_sess_featureset_add_models(&sess, &d->fs, &err);
    if (rc == HS_ENOMEM)
        goto nomem;
    if (rc)
        goto corrupt;
    for (size_t k = 0; k < vt->nfeat + vt->nlearned; k++)
        d->fidx[k] = hs_featureset_find(&d->fs, k < vt->nfeat ? vt->feat[k].name
                                                              : vt->learned[k - vt->nfeat]);
    *out = d;
    return SQLITE_OK;
corrupt:
    derived_free(d);
    return SQLITE_CORRUPT;
nomem:
    derived_free(d);
    return SQLITE_NOMEM;
}

/* Read chunk k of the stored columns that feature fi reads, directly or
 * through the derived and learned features it uses, into the derived
 * table.  depth stops a cycle among learned columns (computing them then
 * says so). */
static int
derived_inputs(struct ev_cursor *cur, size_t fi, int64_t k, size_t depth)
{
    struct ev_derived *d = cur->derived;
    size_t n = hs_featureset_nreads(&d->fs, fi);

    if (depth > d->fs.n)
        return SQLITE_OK;
    for (size_t c = 0; c < n; c++) {
        const char *name = hs_featureset_read(&d->fs, fi, c);
        long j = hs_table_find(d->t, name), g;
        int rc;

        if (j >= 0) {
            if (d->loaded[j] == k)
                continue;
            if ((rc = read_chunk(cur, j, k, d->t->cols[j].v)) != SQLITE_OK)
                return rc;
            d->loaded[j] = k;
        } else if ((g = hs_featureset_find(&d->fs, name)) >= 0 && !d->fs.f[g].values) {
            if ((rc = derived_inputs(cur, (size_t)g, k, depth + 1)) != SQLITE_OK)
                return rc;
        }
    }
    return SQLITE_OK;
}

/* Derived feature or learned column k (of ev_vtab.feat, then .learned) in the cursor's row: *v, NaN when
 * the feature did not compile; computed for the whole chunk when the row
 * is the first of its chunk to ask.  Errors other than SQLite's go to
 * *msg (sqlite3_free). */
static int
derived_value(struct ev_cursor *cur, size_t k, double *v, char **msg)
{
    struct ev_vtab *vt = (struct ev_vtab *)cur->base.pVtab;
    int64_t chunk = (int64_t)(cur->row / HS_CHUNK_ROWS);
    struct ev_derived *d;
    const double *vals;
    struct hs_err err;
    long fi;
    int rc;

    if (!cur->derived && (rc = derived_new(vt, true, &cur->derived)) != SQLITE_OK)
        return rc;
    d = cur->derived;
    if ((fi = d->fidx[k]) < 0) {
        *v = NAN;
        return SQLITE_OK;
    }
    if (d->chunk != chunk) {
        /* The values cached are the last chunk's: forget them. */
        hs_table_set_nrows(d->t, chunk_rows(vt, chunk));
        hs_featureset_forget(&d->fs);
        d->fs.row0 = (size_t)chunk * HS_CHUNK_ROWS; /* stored outputs read their slice */
        d->chunk = chunk;
    }
    if (!d->fs.f[fi].values) {
        if ((rc = derived_inputs(cur, (size_t)fi, chunk, 0)) != SQLITE_OK)
            return rc;
        rc = hs_featureset_values(&d->fs, (size_t)fi, &vals, NULL, &err);
        if (rc == HS_ENOMEM)
            return SQLITE_NOMEM;
        if (rc) {
            *msg = sqlite3_mprintf("%s", err.msg);
            /* A damaged stored model is the session's fault, not the query's. */
            return rc == HS_ESESSION ? SQLITE_CORRUPT : SQLITE_ERROR;
        }
    }
    *v = d->fs.f[fi].values[cur->row % HS_CHUNK_ROWS];
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

    if (col->what == EV_DERIVED) {
        char *msg = NULL;
        rc = derived_value(cur, (size_t)col->src, &v, &msg);
        if (rc == SQLITE_OK) {
            if (isnan(v))
                sqlite3_result_null(ctx);
            else
                sqlite3_result_double(ctx, v);
        } else if (msg) {
            sqlite3_result_error(ctx, msg, -1);
            sqlite3_result_error_code(ctx, rc);
            sqlite3_free(msg);
        } else {
            if (rc == SQLITE_CORRUPT && cur->why)
                sqlite3_result_error(ctx, cur->why, -1);
            sqlite3_result_error_code(ctx, rc);
        }
        return rc;
    }
    if (col->src < 0) {
        if (col->what == EV_WEIGHT)
            sqlite3_result_double(ctx, 1.0);
        else
            sqlite3_result_null(ctx);
        return SQLITE_OK;
    }
    rc = value(cur, col->src, &v);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_CORRUPT && cur->why) {
            sqlite3_result_error(ctx, cur->why, -1);
        } else if (rc == SQLITE_CORRUPT) {
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

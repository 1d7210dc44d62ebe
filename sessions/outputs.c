/* outputs.c: stored per-event outputs of projections and clusterings
 * (outputs.h), and their learned columns. */
#include "config.h"

#include "sessions/outputs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "names.h"
#include "sessions/sess_int.h"

static const char *const kind_names[] = {"projection", "clustering"};

int
hs_output_names(const char *name, enum hs_output_kind kind, size_t dims, size_t nprob,
                char ***out, size_t *n, struct hs_err *err)
{
    size_t total = kind == HS_OUTPUT_PROJECTION ? dims : 1 + nprob;
    char **v = hs_calloc(total + 1, sizeof *v);
    size_t len = strlen(name) + 32;

    *out = NULL;
    *n = 0;
    if (!v)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < total; i++) {
        if (!(v[i] = hs_malloc(len))) {
            hs_output_names_free(v, total);
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        }
        if (kind == HS_OUTPUT_PROJECTION)
            snprintf(v[i], len, "%s_%zu", name, i + 1);
        else if (i == 0)
            snprintf(v[i], len, "%s", name);
        else
            snprintf(v[i], len, "%s_p%zu", name, i);
    }
    *out = v;
    *n = total;
    return HS_OK;
}

void
hs_output_names_free(char **names, size_t n)
{
    hs_sess_names_free(names, n);
}

void
hs_output_rec_release(struct hs_output_rec *rec)
{
    if (!rec)
        return;
    hs_free(rec->name);
    hs_free(rec->method);
    hs_free(rec->options);
    hs_free(rec->features);
    hs_free(rec->selection);
    hs_free(rec->figures);
    hs_free(rec->dataset);
    hs_free(rec->created);
    hs_output_names_free(rec->colnames, rec->ncols);
    for (size_t i = 0; rec->values && i < rec->ncols; i++)
        hs_free(rec->values[i]);
    hs_free(rec->values);
    memset(rec, 0, sizeof *rec);
}

void
hs_output_recs_free(struct hs_output_rec *recs, size_t n)
{
    for (size_t i = 0; recs && i < n; i++)
        hs_output_rec_release(&recs[i]);
    hs_free(recs);
}

/* Append ", " (but first) and the formatted figure to buf of size size,
 * *len used so far. */
static void
figure_add(char *buf, size_t size, size_t *len, const char *fmt, double v)
{
    if (*len >= size)
        return;
    int w = snprintf(buf + *len, size - *len, "%s", *len ? ", " : "");
    *len += (size_t)w;
    if (*len < size)
        *len += (size_t)snprintf(buf + *len, size - *len, fmt, v);
}

char *
hs_output_figures_text(const struct hs_output_figures *f)
{
    char buf[320] = "";
    size_t len = 0;

    if (f->k > 0)
        figure_add(buf, sizeof buf, &len, "K %.0f", (double)f->k);
    if (isfinite(f->loss))
        figure_add(buf, sizeof buf, &len, "loss %.5g", f->loss);
    if (isfinite(f->trust))
        figure_add(buf, sizeof buf, &len, "trustworthiness %.4f", f->trust);
    if (isfinite(f->loglik_mean))
        figure_add(buf, sizeof buf, &len, "log-likelihood %.6g per event", f->loglik_mean);
    if (isfinite(f->bic))
        figure_add(buf, sizeof buf, &len, "BIC %.1f", f->bic);
    if (isfinite(f->aic))
        figure_add(buf, sizeof buf, &len, "AIC %.1f", f->aic);
    if (isfinite(f->inertia))
        figure_add(buf, sizeof buf, &len, "inertia %.6g", f->inertia);
    return len ? hs_strdup(buf) : NULL;
}

/* ---- save ----------------------------------------------------------- */

/* One column as little-endian bytes: the values themselves on a
 * little-endian host, else a swapped copy (*tmp, freed by the caller). */
static const void *
le_bytes(const double *v, size_t n, double **tmp)
{
    *tmp = NULL;
    if (hs_sess_host_le())
        return v;
    if (!(*tmp = hs_malloc((n ? n : 1) * sizeof **tmp)))
        return NULL;
    memcpy(*tmp, v, n * sizeof *v);
    hs_sess_swap64(*tmp, n);
    return *tmp;
}

/* HS_EUSAGE when one of rec's column names belongs to another output of
 * the dataset. */
static int
check_names_free(struct hs_sess *s, int64_t id, const struct hs_output_rec *rec,
                 struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = hs_sess_prepare(s,
                             "SELECT output FROM output_columns WHERE dataset = ?1 AND name = ?2 "
                             "AND output <> ?3",
                             &st, err);

    for (size_t i = 0; rc == HS_OK && i < rec->ncols; i++) {
        int src;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, rec->colnames[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, rec->name, -1, SQLITE_STATIC);
        src = sqlite3_step(st);
        if (src == SQLITE_ROW)
            rc = hs_err_set(err, HS_EUSAGE, "column '%s' of '%s' is a column of output '%s' "
                                            "already: choose another name",
                            rec->colnames[i], rec->name, (const char *)sqlite3_column_text(st, 0));
        else if (src != SQLITE_DONE)
            rc = hs_sess_dberr(s->db, s->path, src, "storing an output", err);
    }
    sqlite3_finalize(st);
    return rc;
}

static int
insert_columns(struct hs_sess *s, int64_t id, const struct hs_output_rec *rec, struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = hs_sess_prepare(s,
                             "INSERT INTO output_columns (dataset, output, position, name, data) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)",
                             &st, err);

    for (size_t i = 0; rc == HS_OK && i < rec->ncols; i++) {
        double *tmp;
        const void *bytes = le_bytes(rec->values[i], rec->nevents, &tmp);
        if (!bytes) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            break;
        }
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, rec->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
        sqlite3_bind_text(st, 4, rec->colnames[i], -1, SQLITE_STATIC);
        /* An empty dataset still stores a BLOB, not NULL. */
        if (rec->nevents)
            sqlite3_bind_blob64(st, 5, bytes, rec->nevents * sizeof(double), SQLITE_STATIC);
        else
            sqlite3_bind_zeroblob(st, 5, 0);
        rc = hs_sess_step_done(s, st, "storing an output", err);
        hs_free(tmp);
    }
    sqlite3_finalize(st);
    return rc;
}

int
hs_sess_output_save(struct hs_sess *s, const char *dataset, const struct hs_output_rec *rec,
                    struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    int64_t id, nrows;
    bool own;
    int rc;

    if (!hs_name_is_identifier(rec->name))
        return hs_err_set(err, HS_EUSAGE,
                          "output name '%s': letters, digits and '_', not starting with a digit",
                          rec->name);
    if (rec->ncols == 0 || !rec->values || (unsigned)rec->kind > HS_OUTPUT_CLUSTERING)
        return hs_err_set(err, HS_EUSAGE, "output '%s' has no values to store", rec->name);
    if ((rc = hs_sess_change_begin(s, &own, err)))
        return rc;
    if ((rc = hs_sess_dataset_id(s->db, s->path, dataset, &id, &nrows, err)))
        goto fail;
    if ((int64_t)rec->nevents != nrows) {
        rc = hs_err_set(err, HS_EUSAGE, "output '%s' has %zu events, dataset '%s' %lld",
                        rec->name, rec->nevents, dataset, (long long)nrows);
        goto fail;
    }
    if ((rc = check_names_free(s, id, rec, err)))
        goto fail;
    if ((rc = hs_sess_prepare(s, "DELETE FROM outputs WHERE dataset = ?1 AND name = ?2", &st,
                              err)))
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, rec->name, -1, SQLITE_STATIC);
    rc = hs_sess_step_done(s, st, "storing an output", err);
    sqlite3_finalize(st);
    st = NULL;
    if (rc || (rc = hs_sess_prepare(s,
                                    "INSERT INTO outputs (dataset, name, kind, method, options, "
                                    "features, selection, nevents, nfitted, ncolumns, figures, "
                                    "created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                                    "?11, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                                    &st, err)))
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, rec->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, kind_names[rec->kind], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, rec->method, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, rec->options ? rec->options : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, rec->features, -1, SQLITE_STATIC);
    if (rec->selection)
        sqlite3_bind_text(st, 7, rec->selection, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)rec->nevents);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)rec->nfitted);
    sqlite3_bind_int64(st, 10, (sqlite3_int64)rec->ncols);
    if (rec->figures && rec->figures[0])
        sqlite3_bind_text(st, 11, rec->figures, -1, SQLITE_STATIC);
    rc = hs_sess_step_done(s, st, "storing an output", err);
    sqlite3_finalize(st);
    if (rc || (rc = insert_columns(s, id, rec, err)))
        goto fail;
    return hs_sess_change_end(s, own, err);
fail:
    hs_sess_change_abort(s, own);
    return rc;
}

/* ---- load ----------------------------------------------------------- */

static char *
dup_col(sqlite3_stmt *st, int i)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    return v ? hs_strdup(v) : NULL;
}

/* The kind stored in column i (the schema allows only the two names). */
static enum hs_output_kind
kind_of(sqlite3_stmt *st, int i)
{
    const char *kind = (const char *)sqlite3_column_text(st, i);

    return kind && strcmp(kind, kind_names[HS_OUTPUT_CLUSTERING]) == 0 ? HS_OUTPUT_CLUSTERING
                                                                       : HS_OUTPUT_PROJECTION;
}

static int
not_found(struct hs_sess *s, int64_t id, const char *dataset, const char *name,
          struct hs_err *err)
{
    char where[200];

    snprintf(where, sizeof where, " in dataset '%s'", dataset);
    return hs_sess_not_found(s, "SELECT name FROM outputs WHERE dataset = ?1 ORDER BY name", id,
                             "projection or clustering", "outputs", name, where,
                             "it has none: see 'hepscope project' and 'hepscope cluster'", err);
}

/* The columns of output rec->name: names, and values when asked. */
static int
load_columns(struct hs_sess *s, int64_t id, const char *dataset, struct hs_output_rec *rec,
             bool values, struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    size_t k = 0;
    int rc, src;

    rec->colnames = hs_calloc(rec->ncols + 1, sizeof *rec->colnames);
    if (values)
        rec->values = hs_calloc(rec->ncols + 1, sizeof *rec->values);
    if (!rec->colnames || (values && !rec->values))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if ((rc = hs_sess_prepare(s,
                              "SELECT position, name, data FROM output_columns WHERE dataset = ?1 "
                              "AND output = ?2 ORDER BY position",
                              &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, rec->name, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const void *p;
        size_t nbytes;
        if (k >= rec->ncols || sqlite3_column_int64(st, 0) != (sqlite3_int64)k) {
            rc = hs_sess_damaged(s->path, err, "dataset '%s': output '%s' has a column out of "
                                 "place", dataset, rec->name);
            goto done;
        }
        if (!(rec->colnames[k] = dup_col(st, 1))) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto done;
        }
        if (values) {
            p = sqlite3_column_blob(st, 2);
            nbytes = (size_t)sqlite3_column_bytes(st, 2);
            if (nbytes != rec->nevents * sizeof(double)) {
                rc = hs_sess_damaged(s->path, err, "dataset '%s': column '%s' of output '%s' has "
                                     "%zu bytes, not %zu",
                                     dataset, rec->colnames[k], rec->name, nbytes,
                                     rec->nevents * sizeof(double));
                goto done;
            }
            if (!(rec->values[k] = hs_malloc((rec->nevents ? rec->nevents : 1) * sizeof(double)))) {
                rc = hs_err_set(err, HS_ENOMEM, "out of memory");
                goto done;
            }
            if (nbytes)
                memcpy(rec->values[k], p, nbytes);
            if (!hs_sess_host_le())
                hs_sess_swap64(rec->values[k], rec->nevents);
        }
        k++;
    }
    if (src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, "reading an output", err);
    else if (k != rec->ncols)
        rc = hs_sess_damaged(s->path, err, "dataset '%s': output '%s' has %zu of its %zu columns",
                             dataset, rec->name, k, rec->ncols);
done:
    sqlite3_finalize(st);
    return rc;
}

static const char select_output[] =
    "SELECT name, kind, method, options, features, selection, nevents, nfitted, ncolumns, "
    "created, figures FROM outputs WHERE dataset = ?1";

static int
read_row(sqlite3_stmt *st, struct hs_output_rec *rec, struct hs_err *err)
{
    memset(rec, 0, sizeof *rec);
    rec->kind = kind_of(st, 1);
    rec->name = dup_col(st, 0);
    rec->method = dup_col(st, 2);
    rec->options = dup_col(st, 3);
    rec->features = dup_col(st, 4);
    rec->selection = dup_col(st, 5);
    rec->nevents = (size_t)sqlite3_column_int64(st, 6);
    rec->nfitted = (size_t)sqlite3_column_int64(st, 7);
    rec->ncols = (size_t)sqlite3_column_int64(st, 8);
    rec->created = dup_col(st, 9);
    rec->figures = dup_col(st, 10);
    if (!rec->name || !rec->method || !rec->options || !rec->features || !rec->created ||
        (sqlite3_column_type(st, 5) != SQLITE_NULL && !rec->selection) ||
        (sqlite3_column_type(st, 10) != SQLITE_NULL && !rec->figures))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    return HS_OK;
}

int
hs_sess_output_load(struct hs_sess *s, const char *dataset, const char *name, bool values,
                    struct hs_output_rec *rec, struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    char sql[sizeof select_output + 32];
    int64_t id, nrows;
    bool own;
    int rc, src;

    memset(rec, 0, sizeof *rec);
    if ((rc = hs_sess_read_begin(s, &own, err)))
        return rc;
    if ((rc = hs_sess_dataset_id(s->db, s->path, dataset, &id, &nrows, err)))
        goto done;
    snprintf(sql, sizeof sql, "%s AND name = ?2", select_output);
    if ((rc = hs_sess_prepare(s, sql, &st, err)))
        goto done;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        rc = read_row(st, rec, err);
    else if (src == SQLITE_DONE)
        rc = not_found(s, id, dataset, name, err);
    else
        rc = hs_sess_dberr(s->db, s->path, src, "reading an output", err);
    sqlite3_finalize(st);
    if (rc == HS_OK)
        rc = load_columns(s, id, dataset, rec, values, err);
done:
    hs_sess_read_end(s, own);
    if (rc)
        hs_output_rec_release(rec);
    return rc;
}

int
hs_sess_outputs(struct hs_sess *s, const char *dataset, struct hs_output_rec **out, size_t *n,
                struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    struct hs_output_rec *v = NULL;
    char sql[sizeof select_output + 32];
    size_t k = 0, cap = 0;
    int64_t id, nrows;
    bool own;
    int rc, src;

    *out = NULL;
    *n = 0;
    if ((rc = hs_sess_read_begin(s, &own, err)))
        return rc;
    if ((rc = hs_sess_dataset_id(s->db, s->path, dataset, &id, &nrows, err)))
        goto done;
    snprintf(sql, sizeof sql, "%s ORDER BY name", select_output);
    if ((rc = hs_sess_prepare(s, sql, &st, err)))
        goto done;
    sqlite3_bind_int64(st, 1, id);
    while (rc == HS_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (hs_grow((void **)&v, &cap, k + 1, sizeof *v)) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            break;
        }
        rc = read_row(st, &v[k], err);
        k++;
    }
    if (rc == HS_OK && src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, "reading the outputs", err);
    sqlite3_finalize(st);
    for (size_t i = 0; rc == HS_OK && i < k; i++)
        rc = load_columns(s, id, dataset, &v[i], false, err);
done:
    hs_sess_read_end(s, own);
    if (rc) {
        hs_output_recs_free(v, k);
        return rc;
    }
    *out = v;
    *n = k;
    return HS_OK;
}

int
hs_sess_outputs_all(struct hs_sess *s, struct hs_output_rec **out, size_t *n, struct hs_err *err)
{
    struct hs_dataset_info *ds = NULL;
    struct hs_output_rec *all = NULL;
    size_t nds = 0, k = 0, cap = 0;
    bool own;
    int rc;

    *out = NULL;
    *n = 0;
    if ((rc = hs_sess_read_begin(s, &own, err)))
        return rc;
    rc = hs_sess_datasets(s, &ds, &nds, err);
    for (size_t d = 0; rc == HS_OK && d < nds; d++) {
        struct hs_output_rec *v = NULL;
        size_t m = 0;
        if ((rc = hs_sess_outputs(s, ds[d].name, &v, &m, err)))
            break;
        if (m && hs_grow((void **)&all, &cap, k + m, sizeof *all)) {
            hs_output_recs_free(v, m);
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            break;
        }
        for (size_t i = 0; i < m; i++) {
            all[k] = v[i];
            if (!(all[k++].dataset = hs_strdup(ds[d].name)))
                rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        }
        hs_free(v);
    }
    hs_sess_read_end(s, own);
    hs_dataset_info_free(ds, nds);
    if (rc) {
        hs_output_recs_free(all, k);
        return rc;
    }
    *out = all;
    *n = k;
    return HS_OK;
}

int
hs_sess_output_drop(struct hs_sess *s, const char *dataset, const char *name, struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    int64_t id, nrows;
    bool own;
    int rc;

    if ((rc = hs_sess_change_begin(s, &own, err)))
        return rc;
    if ((rc = hs_sess_dataset_id(s->db, s->path, dataset, &id, &nrows, err)) ||
        (rc = hs_sess_prepare(s, "DELETE FROM outputs WHERE dataset = ?1 AND name = ?2", &st,
                              err)))
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    rc = hs_sess_step_done(s, st, "dropping an output", err);
    sqlite3_finalize(st);
    if (rc == HS_OK && sqlite3_changes(s->db) == 0)
        rc = not_found(s, id, dataset, name, err);
    if (rc)
        goto fail;
    return hs_sess_change_end(s, own, err);
fail:
    hs_sess_change_abort(s, own);
    return rc;
}

/* ---- learned columns ------------------------------------------------ */

/* One stored column as a learned source: where it is, read on demand. */
struct output_source {
    sqlite3 *db;       /* borrowed: the session's connection */
    const char *path;  /* borrowed, for messages */
    int64_t dataset;
    char *output;
    char *column;
    int64_t position;
    size_t nevents;
    bool clustering;   /* what the output is, for messages */
    char *method;
};

/* The values at rows map[0..n) of the dataset (a narrowed table's). */
static int
read_rows(const struct output_source *os, sqlite3_int64 rowid, sqlite3_int64 len,
          const size_t *map, size_t n, double *out, struct hs_err *err)
{
    sqlite3_blob *blob = NULL;
    double *all;
    int src;

    if ((size_t)len != os->nevents * sizeof(double))
        return hs_sess_damaged(os->path, err, "column '%s' of output '%s' has %lld bytes, not "
                               "%zu",
                               os->column, os->output, (long long)len,
                               os->nevents * sizeof(double));
    if (!(all = hs_malloc(os->nevents ? (size_t)len : 1)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    src = sqlite3_blob_open(os->db, "main", "output_columns", "data", rowid, 0, &blob);
    if (src == SQLITE_OK && len)
        src = sqlite3_blob_read(blob, all, (int)len, 0);
    sqlite3_blob_close(blob);
    if (src != SQLITE_OK) {
        hs_free(all);
        return hs_sess_dberr(os->db, os->path, src, "reading an output", err);
    }
    if (!hs_sess_host_le())
        hs_sess_swap64(all, os->nevents);
    for (size_t i = 0; i < n; i++)
        out[i] = map[i] < os->nevents ? all[map[i]] : NAN;
    hs_free(all);
    return HS_OK;
}

static int
output_compute(void *user, struct hs_featureset *fs, double *out, const struct hs_task *task,
               struct hs_err *err)
{
    struct output_source *os = user;
    size_t n = fs->t->nrows, row0 = fs->row0;
    sqlite3_stmt *st = NULL;
    sqlite3_blob *blob = NULL;
    sqlite3_int64 rowid = 0, len = -1;
    int src;

    (void)task;
    src = sqlite3_prepare_v2(os->db,
                             "SELECT rowid, length(data) FROM output_columns WHERE dataset = ?1 "
                             "AND output = ?2 AND position = ?3",
                             -1, &st, NULL);
    if (src != SQLITE_OK)
        return hs_sess_dberr(os->db, os->path, src, "reading an output", err);
    sqlite3_bind_int64(st, 1, os->dataset);
    sqlite3_bind_text(st, 2, os->output, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, os->position);
    if ((src = sqlite3_step(st)) == SQLITE_ROW) {
        rowid = sqlite3_column_int64(st, 0);
        len = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return hs_sess_dberr(os->db, os->path, src, "reading an output", err);
    if (len < 0)
        return hs_err_set(err, HS_ENOTFOUND, "column '%s' of output '%s' is gone from the session",
                          os->column, os->output);
    if (fs->rows_lost)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if (fs->rowmap)
        return read_rows(os, rowid, len, fs->rowmap, n, out, err);
    if ((size_t)len != os->nevents * sizeof(double) || row0 > os->nevents ||
        n > os->nevents - row0)
        return hs_sess_damaged(os->path, err, "column '%s' of output '%s' has %lld bytes, not the "
                               "%zu its dataset's %zu events need",
                               os->column, os->output, (long long)len,
                               os->nevents * sizeof(double), os->nevents);
    if (n == 0)
        return HS_OK;
    src = sqlite3_blob_open(os->db, "main", "output_columns", "data", rowid, 0, &blob);
    if (src == SQLITE_OK)
        src = sqlite3_blob_read(blob, out, (int)(n * sizeof(double)),
                                (int)(row0 * sizeof(double)));
    sqlite3_blob_close(blob);
    if (src != SQLITE_OK)
        return hs_sess_dberr(os->db, os->path, src, "reading an output", err);
    if (!hs_sess_host_le())
        hs_sess_swap64(out, n);
    return HS_OK;
}

static size_t
output_reads(const void *user, const char *const **names)
{
    (void)user;
    *names = NULL;
    return 0;
}

static void
output_source_free(void *user)
{
    struct output_source *os = user;

    if (!os)
        return;
    hs_free(os->output);
    hs_free(os->column);
    hs_free(os->method);
    hs_free(os);
}

/* The column's place in its output, as hs_output_names numbers them: a
 * user told that p_1 cannot be used wants to know it is p's, and what p
 * is. */
static void
output_origin(const void *user, char *buf, size_t size)
{
    const struct output_source *os = user;

    if (!os->clustering)
        snprintf(buf, size, "coordinate %lld of the %s projection '%s'",
                 (long long)os->position + 1, os->method, os->output);
    else if (os->position == 0)
        snprintf(buf, size, "the cluster numbers of the %s clustering '%s'", os->method,
                 os->output);
    else
        snprintf(buf, size, "the probability of cluster %lld of the %s clustering '%s'",
                 (long long)os->position, os->method, os->output);
}

static const struct hs_learned_source output_source = {
    .kind = "output",
    .compute = output_compute,
    .reads = output_reads,
    .free = output_source_free,
    .origin = output_origin,
};

bool
hs_feature_is_output(const struct hs_feature *f)
{
    return f->kind == HS_FEATURE_LEARNED && f->src == &output_source;
}

int
hs_sess_featureset_add_outputs_id(struct hs_sess *s, int64_t id, struct hs_featureset *fs,
                                  struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc, src;

    rc = hs_sess_prepare(s,
                         "SELECT c.output, c.position, c.name, o.nevents, o.kind, o.method "
                         "FROM output_columns c "
                         "JOIN outputs o ON o.dataset = c.dataset AND o.name = c.output "
                         "WHERE c.dataset = ?1 ORDER BY c.output, c.position",
                         &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    while (rc == HS_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *col = (const char *)sqlite3_column_text(st, 2);
        struct output_source *os;
        if (!col || hs_featureset_find(fs, col) >= 0 || hs_table_find(fs->t, col) >= 0 ||
            !hs_name_is_identifier(col))
            continue;
        if (!(os = hs_calloc(1, sizeof *os)))
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        os->db = s->db;
        os->path = s->path;
        os->dataset = id;
        os->output = dup_col(st, 0);
        os->position = sqlite3_column_int64(st, 1);
        os->column = hs_strdup(col);
        os->nevents = (size_t)sqlite3_column_int64(st, 3);
        os->clustering = kind_of(st, 4) == HS_OUTPUT_CLUSTERING;
        os->method = dup_col(st, 5);
        if (!os->output || !os->column || !os->method) {
            output_source_free(os);
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            break;
        }
        rc = hs_featureset_add_learned(fs, col, &output_source, os, err);
    }
    if (rc == HS_OK && src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, "reading the outputs", err);
    sqlite3_finalize(st);
    return rc;
}

int
hs_sess_featureset_add_outputs(struct hs_sess *s, const char *dataset, struct hs_featureset *fs,
                               struct hs_err *err)
{
    int64_t id, nrows;
    int rc = hs_sess_dataset_id(s->db, s->path, dataset, &id, &nrows, err);

    return rc ? rc : hs_sess_featureset_add_outputs_id(s, id, fs, err);
}

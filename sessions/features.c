#include "config.h"

#include "sessions/features.h"

#include <string.h>

#include "mem.h"

#include "sessions/learned.h"
#include "sessions/outputs.h"
#include "sessions/sess_int.h"

void
hs_feature_recs_free(struct hs_feature_rec *recs, size_t n)
{
    if (!recs)
        return;
    for (size_t i = 0; i < n; i++) {
        hs_free(recs[i].name);
        hs_free(recs[i].expr);
    }
    hs_free(recs);
}

int
hs_sess_feature_recs(struct hs_sess *s, const char *name, struct hs_feature_rec **out, size_t *n,
                     struct hs_err *err)
{
    struct hs_feature_rec *recs = NULL;
    size_t nrec = 0, cap = 0;
    sqlite3_stmt *st = NULL;
    int64_t id, nrows;
    bool own;
    int rc, src;

    if ((rc = hs_sess_read_begin(s, &own, err)))
        return rc;
    if ((rc = hs_sess_dataset_id(s->db, s->path, name, &id, &nrows, err)))
        goto done;
    rc = hs_sess_prepare(s,
                         "SELECT name, expr, enabled FROM features WHERE dataset = ?1 "
                         "ORDER BY position",
                         &st, err);
    if (rc)
        goto done;
    sqlite3_bind_int64(st, 1, id);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *fname = (const char *)sqlite3_column_text(st, 0);
        const char *expr = (const char *)sqlite3_column_text(st, 1);
        struct hs_feature_rec *r;

        if (!fname) {
            rc = hs_sess_damaged(s->path, err, "a feature of dataset '%s' has no name", name);
            goto done;
        }
        if (hs_grow((void **)&recs, &cap, nrec + 1, sizeof *recs)) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto done;
        }
        r = &recs[nrec++];
        r->name = hs_strdup(fname);
        r->expr = expr ? hs_strdup(expr) : NULL;
        r->on = sqlite3_column_int(st, 2) != 0;
        if (!r->name || (expr && !r->expr)) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto done;
        }
    }
    if (src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, "reading the features", err);
done:
    sqlite3_finalize(st);
    hs_sess_read_end(s, own);
    if (rc) {
        hs_feature_recs_free(recs, nrec);
        return rc;
    }
    *out = recs;
    *n = nrec;
    return HS_OK;
}

/* Append ", name" (or "name") to a growing list. */
static int
list_add(char **list, const char *name)
{
    size_t old = *list ? strlen(*list) : 0;
    char *grown = hs_realloc(*list, old + strlen(name) + 3);

    if (!grown)
        return HS_ENOMEM;
    if (old)
        strcpy(grown + old, ", ");
    else
        grown[0] = '\0';
    strcat(grown, name);
    *list = grown;
    return HS_OK;
}

int
hs_featureset_apply_recs(struct hs_featureset *fs, const struct hs_feature_rec *recs, size_t n,
                         bool strict, char **skipped, struct hs_err *err)
{
    for (size_t i = 0; i < n; i++) {
        int rc;
        if (!recs[i].expr) {
            /* A raw column's toggle; a column that is no feature is ignored. */
            if (hs_featureset_find(fs, recs[i].name) >= 0)
                hs_featureset_set_on(fs, recs[i].name, recs[i].on, NULL);
            continue;
        }
        rc = hs_featureset_add(fs, recs[i].name, recs[i].expr, recs[i].on, err);
        if (rc == HS_OK)
            continue;
        if (rc == HS_ENOMEM)
            return rc;
        if (strict) {
            if (err)
                err->code = HS_ESESSION;
            return HS_ESESSION;
        }
        if (skipped && list_add(skipped, recs[i].name))
            return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    hs_err_clear(err);
    return HS_OK;
}

int
hs_sess_featureset_load(struct hs_sess *s, const char *name, const struct hs_table *t,
                        struct hs_featureset *fs, struct hs_err *err)
{
    struct hs_feature_rec *recs;
    size_t n;
    int rc;

    if ((rc = hs_sess_feature_recs(s, name, &recs, &n, err)))
        return rc;
    if ((rc = hs_featureset_init(fs, t, err)) == HS_OK &&
        ((rc = hs_featureset_apply_recs(fs, recs, n, true, NULL, err)) ||
         (rc = hs_sess_featureset_add_outputs(s, name, fs, err)) ||
         (rc = hs_sess_featureset_add_models(s, fs, err)))) {
        if (rc == HS_ESESSION)
            hs_err_prefix(err, "%s: dataset '%s'", s->path, name);
        hs_featureset_release(fs);
    }
    hs_feature_recs_free(recs, n);
    return rc;
}

int
hs_sess_featureset_save(struct hs_sess *s, const char *name, const struct hs_featureset *fs,
                        struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    int64_t id, nrows;
    bool own;
    int rc, src;

    if ((rc = hs_sess_change_begin(s, &own, err)))
        return rc;
    if ((rc = hs_sess_dataset_id(s->db, s->path, name, &id, &nrows, err)))
        goto fail;
    if ((rc = hs_sess_prepare(s, "DELETE FROM features WHERE dataset = ?1", &st, err)))
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    src = sqlite3_step(st);
    sqlite3_finalize(st);
    st = NULL;
    if (src != SQLITE_DONE) {
        rc = hs_sess_dberr(s->db, s->path, src, "storing the features", err);
        goto fail;
    }
    rc = hs_sess_prepare(s,
                         "INSERT INTO features (dataset, position, name, expr, enabled) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)",
                         &st, err);
    if (rc)
        goto fail;
    for (size_t i = 0; i < fs->n; i++) {
        const struct hs_feature *f = &fs->f[i];
        /* A raw feature that is on is the default: no row needed; a
         * learned one comes from its model at each load. */
        if ((f->kind == HS_FEATURE_RAW && f->on) || f->kind == HS_FEATURE_LEARNED)
            continue;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_text(st, 3, f->name, -1, SQLITE_STATIC);
        if (f->expr)
            sqlite3_bind_text(st, 4, f->expr, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 4);
        sqlite3_bind_int(st, 5, f->on);
        if ((src = sqlite3_step(st)) != SQLITE_DONE) {
            rc = hs_sess_dberr(s->db, s->path, src, "storing the features", err);
            goto fail;
        }
    }
    sqlite3_finalize(st);
    return hs_sess_change_end(s, own, err);
fail:
    sqlite3_finalize(st);
    hs_sess_change_abort(s, own);
    return rc;
}

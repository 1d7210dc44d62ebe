#include "config.h"

#include "sessions/features.h"

#include <string.h>

#include "sessions/sess_int.h"

int
hs_sess_featureset_load(struct hs_sess *s, const char *name, const struct hs_table *t,
                        struct hs_featureset *fs, struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    int64_t id, nrows;
    bool own;
    int rc, src;

    if ((rc = hs_featureset_init(fs, t, err)))
        return rc;
    if ((rc = hs_sess_read_begin(s, &own, err)))
        goto fail;
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
        bool on = sqlite3_column_int(st, 2) != 0;

        if (!fname) {
            rc = hs_sess_damaged(s->path, err, "a feature of dataset '%s' has no name", name);
            goto done;
        }
        if (!expr) {
            /* A raw column's toggle; a column that is no feature is ignored. */
            if (hs_featureset_find(fs, fname) >= 0)
                hs_featureset_set_on(fs, fname, on, NULL);
            continue;
        }
        rc = hs_featureset_add(fs, fname, expr, on, err);
        if (rc == HS_ENOMEM)
            goto done;
        if (rc) {
            hs_err_prefix(err, "%s: dataset '%s'", s->path, name);
            rc = HS_ESESSION;
            if (err)
                err->code = rc;
            goto done;
        }
    }
    if (src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, "reading the features", err);
done:
    sqlite3_finalize(st);
    hs_sess_read_end(s, own);
fail:
    if (rc)
        hs_featureset_release(fs);
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
        /* A raw feature that is on is the default: no row needed. */
        if (!f->expr && f->on)
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

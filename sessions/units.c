/* units.c: the feature_units table (sessions/units.h). */
#include "config.h"

#include "sessions/units.h"

#include <string.h>

#include "mem.h"

#include "sessions/sess_int.h"

void
hs_feature_unit_release(struct hs_feature_unit *u)
{
    if (!u)
        return;
    hs_free(u->name);
    hs_free(u->unit);
    hs_free(u->axis_label);
    memset(u, 0, sizeof *u);
}

void
hs_feature_units_free(struct hs_feature_unit *u, size_t n)
{
    if (!u)
        return;
    for (size_t i = 0; i < n; i++)
        hs_feature_unit_release(&u[i]);
    hs_free(u);
}

const struct hs_feature_unit *
hs_feature_units_find(const struct hs_feature_unit *u, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(u[i].name, name) == 0)
            return &u[i];
    return NULL;
}

/* A unit or label goes into every figure, listing and journal line: no
 * control characters, and of a length a figure can show. */
static int
check_text(const char *what, const char *name, const char *v, struct hs_err *err)
{
    if (!v)
        return HS_OK;
    if (strlen(v) > HS_UNIT_MAX)
        return hs_err_set(err, HS_EUSAGE, "the %s of feature '%s' is over %d bytes", what, name,
                          HS_UNIT_MAX);
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return hs_err_set(err, HS_EUSAGE,
                              "the %s of feature '%s' has a control character", what, name);
    return HS_OK;
}

/* Run one statement of ?1 dataset id, ?2 name, ?3 unit, ?4 label. */
static int
unit_change(struct hs_sess *s, const char *dataset, const char *sql, const char *name,
            const char *unit, const char *label, struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    int64_t id, nrows;
    bool own;
    int rc, src;

    if ((rc = hs_sess_change_begin(s, &own, err)))
        return rc;
    if ((rc = hs_sess_dataset_id(s->db, s->path, dataset, &id, &nrows, err)) ||
        (rc = hs_sess_prepare(s, sql, &st, err)))
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    if (sqlite3_bind_parameter_count(st) >= 4) {
        sqlite3_bind_text(st, 3, unit, -1, SQLITE_STATIC); /* NULL binds NULL */
        sqlite3_bind_text(st, 4, label, -1, SQLITE_STATIC);
    }
    src = sqlite3_step(st);
    sqlite3_finalize(st);
    if (src != SQLITE_DONE) {
        rc = hs_sess_dberr(s->db, s->path, src, "storing a feature's unit", err);
        goto fail;
    }
    return hs_sess_change_end(s, own, err);
fail:
    hs_sess_change_abort(s, own);
    return rc;
}

int
hs_sess_unit_set(struct hs_sess *s, const char *dataset, const char *name, const char *unit,
                 const char *axis_label, struct hs_err *err)
{
    int rc;

    if (unit && !unit[0])
        unit = NULL;
    if (axis_label && !axis_label[0])
        axis_label = NULL;
    if (!name || !name[0])
        return hs_err_set(err, HS_EUSAGE, "a unit needs a feature's name");
    if ((rc = check_text("unit", name, unit, err)) ||
        (rc = check_text("axis label", name, axis_label, err)))
        return rc;
    if (!unit && !axis_label)
        return hs_sess_unit_clear(s, dataset, name, err);
    return unit_change(s, dataset,
                       "INSERT OR REPLACE INTO feature_units (dataset, name, unit, axis_label) "
                       "VALUES (?1, ?2, ?3, ?4)",
                       name, unit, axis_label, err);
}

int
hs_sess_unit_clear(struct hs_sess *s, const char *dataset, const char *name, struct hs_err *err)
{
    return unit_change(s, dataset, "DELETE FROM feature_units WHERE dataset = ?1 AND name = ?2",
                       name, NULL, NULL, err);
}

/* Read the rows of dataset (all, or the one of name when not NULL). */
static int
units_read(struct hs_sess *s, const char *dataset, const char *name, struct hs_feature_unit **out,
           size_t *n, struct hs_err *err)
{
    struct hs_feature_unit *u = NULL;
    size_t nu = 0, cap = 0;
    sqlite3_stmt *st = NULL;
    int64_t id, nrows;
    bool own;
    int rc, src;

    *out = NULL;
    *n = 0;
    if ((rc = hs_sess_read_begin(s, &own, err)))
        return rc;
    if ((rc = hs_sess_dataset_id(s->db, s->path, dataset, &id, &nrows, err)) ||
        (rc = hs_sess_prepare(s,
                              "SELECT name, unit, axis_label FROM feature_units "
                              "WHERE dataset = ?1 AND (?2 IS NULL OR name = ?2) ORDER BY name",
                              &st, err)))
        goto done;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v[3];
        char **dst[3];
        struct hs_feature_unit *r;

        for (int k = 0; k < 3; k++)
            v[k] = (const char *)sqlite3_column_text(st, k);
        if (!v[0]) {
            rc = hs_sess_damaged(s->path, err, "a unit of dataset '%s' has no feature name",
                                 dataset);
            goto done;
        }
        if (hs_grow((void **)&u, &cap, nu + 1, sizeof *u)) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto done;
        }
        r = &u[nu++];
        memset(r, 0, sizeof *r);
        dst[0] = &r->name;
        dst[1] = &r->unit;
        dst[2] = &r->axis_label;
        for (int k = 0; k < 3; k++)
            if (v[k] && !(*dst[k] = hs_strdup(v[k]))) {
                rc = hs_err_set(err, HS_ENOMEM, "out of memory");
                goto done;
            }
    }
    if (src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, "reading the units", err);
done:
    sqlite3_finalize(st);
    hs_sess_read_end(s, own);
    if (rc) {
        hs_feature_units_free(u, nu);
        return rc;
    }
    *out = u;
    *n = nu;
    return HS_OK;
}

int
hs_sess_units_list(struct hs_sess *s, const char *dataset, struct hs_feature_unit **out, size_t *n,
                   struct hs_err *err)
{
    return units_read(s, dataset, NULL, out, n, err);
}

int
hs_sess_unit_get(struct hs_sess *s, const char *dataset, const char *name,
                 struct hs_feature_unit *out, struct hs_err *err)
{
    struct hs_feature_unit *u;
    size_t n;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = units_read(s, dataset, name, &u, &n, err)))
        return rc;
    if (n) {
        *out = u[0];
        hs_free(u);
    }
    return HS_OK;
}

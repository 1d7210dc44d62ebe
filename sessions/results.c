#include "config.h"

#include "sessions/results.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "names.h"
#include "numparse.h"
#include "sessions/sess_int.h"

/* The tables splits, cutsets and cuts of schema version 3 (schema.c,
 * man/hepscope-session.5).  Names are always bound as values.  Every
 * change runs in hs_sess_change_begin/end, so it nests in the caller's
 * transaction (with its journal line) and a failure leaves nothing. */

/* ---- shared helpers ------------------------------------------------------ */

static int
oom(struct hs_err *err)
{
    return hs_err_set(err, HS_ENOMEM, "out of memory");
}

/* The dataset's id and events; an unknown name is HS_ENOTFOUND with a
 * did-you-mean when one is close, else the list of datasets. */
static int
dataset_find(struct hs_sess *s, const char *name, int64_t *id, int64_t *nrows, struct hs_err *err)
{
    char **names;
    size_t n;
    int rc;

    if (!name)
        return hs_err_set(err, HS_EUSAGE, "no dataset named");
    rc = hs_sess_dataset_id(s->db, s->path, name, id, nrows, err);
    if (rc != HS_ENOTFOUND)
        return rc;
    if (hs_sess_names(s, "SELECT name FROM datasets ORDER BY name", -1, &names, &n, NULL) == HS_OK) {
        const char *close = hs_closest_name(name, (const char *const *)names, n);
        if (close)
            hs_err_set(err, HS_ENOTFOUND, "no dataset '%s' (did you mean '%s'?)", name, close);
        hs_sess_names_free(names, n);
    }
    return HS_ENOTFOUND;
}

/* ---- splits -------------------------------------------------------------- */

int
hs_sess_split_save(struct hs_sess *s, const char *name, const struct hs_split *sp,
                   struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    size_t count[3] = {0, 0, 0};
    int64_t id, nrows, seed;
    bool own;
    int rc;

    if (!sp || (sp->n && !sp->part))
        return hs_err_set(err, HS_EUSAGE, "no split to store for dataset '%s'", name ? name : "");
    for (int k = 0; k < 3; k++)
        if (!(sp->frac[k] >= 0 && sp->frac[k] <= 1))
            return hs_err_set(err, HS_EUSAGE, "split of dataset '%s': fraction %g is not in [0, 1]",
                              name ? name : "", sp->frac[k]);
    for (size_t i = 0; i < sp->n; i++) {
        if (sp->part[i] > HS_PART_TEST)
            return hs_err_set(err, HS_EUSAGE, "split of dataset '%s': event %zu has part %u",
                              name ? name : "", i, (unsigned)sp->part[i]);
        count[sp->part[i]]++;
    }
    if ((rc = hs_sess_change_begin(s, &own, err)))
        return rc;
    if ((rc = dataset_find(s, name, &id, &nrows, err)))
        goto fail;
    if (nrows < 0 || (uint64_t)nrows != (uint64_t)sp->n) {
        rc = hs_err_set(err, HS_EUSAGE, "a split of %zu events does not fit dataset '%s' of %lld",
                        sp->n, name, (long long)nrows);
        goto fail;
    }
    rc = hs_sess_prepare(s,
                         "INSERT OR REPLACE INTO splits (dataset, train, val, test, seed, nevents, "
                         "ntrain, nval, ntest, part, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                         "?8, ?9, ?10, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                         &st, err);
    if (rc)
        goto fail;
    /* The seed's 64 bits as SQLite's signed integer, read back the same. */
    memcpy(&seed, &sp->seed, sizeof seed);
    sqlite3_bind_int64(st, 1, id);
    for (int k = 0; k < 3; k++)
        sqlite3_bind_double(st, 2 + k, sp->frac[k]);
    sqlite3_bind_int64(st, 5, seed);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)sp->n);
    for (int k = 0; k < 3; k++)
        sqlite3_bind_int64(st, 7 + k, (sqlite3_int64)count[k]);
    if (sp->n)
        rc = sqlite3_bind_blob64(st, 10, sp->part, (sqlite3_uint64)sp->n, SQLITE_STATIC);
    else
        rc = sqlite3_bind_zeroblob(st, 10, 0);
    if (rc != SQLITE_OK) {
        rc = hs_sess_dberr(s->db, s->path, rc, "storing the split", err);
        goto fail;
    }
    if ((rc = hs_sess_step_done(s, st, "storing the split", err)))
        goto fail;
    sqlite3_finalize(st);
    return hs_sess_change_end(s, own, err);
fail:
    sqlite3_finalize(st);
    hs_sess_change_abort(s, own);
    return rc;
}

int
hs_sess_split_load(struct hs_sess *s, const char *name, struct hs_split *sp, struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    struct hs_split out;
    int64_t id, nrows, seed;
    const unsigned char *p;
    size_t len;
    bool own, is_blob;
    int rc, src;

    memset(&out, 0, sizeof out);
    memset(sp, 0, sizeof *sp); /* releasable whatever happens */
    if ((rc = hs_sess_read_begin(s, &own, err)))
        return rc;
    if ((rc = dataset_find(s, name, &id, &nrows, err)))
        goto done;
    rc = hs_sess_prepare(s, "SELECT train, val, test, seed, part FROM splits WHERE dataset = ?1",
                         &st, err);
    if (rc)
        goto done;
    sqlite3_bind_int64(st, 1, id);
    src = sqlite3_step(st);
    if (src == SQLITE_DONE) {
        rc = hs_err_set(err, HS_ENOTFOUND, "dataset '%s' has no split", name);
        goto done;
    }
    if (src != SQLITE_ROW) {
        rc = hs_sess_dberr(s->db, s->path, src, "reading the split", err);
        goto done;
    }
    for (int k = 0; k < 3; k++)
        out.frac[k] = sqlite3_column_double(st, k);
    seed = sqlite3_column_int64(st, 3);
    memcpy(&out.seed, &seed, sizeof seed);
    /* The type first: reading the value may convert it. */
    is_blob = sqlite3_column_type(st, 4) == SQLITE_BLOB;
    p = sqlite3_column_blob(st, 4);
    len = (size_t)sqlite3_column_bytes(st, 4);
    if (len && !p) {
        rc = hs_sess_dberr(s->db, s->path, sqlite3_errcode(s->db), "reading the split", err);
        goto done;
    }
    if (!is_blob || nrows < 0 || (uint64_t)len != (uint64_t)nrows) {
        rc = hs_sess_damaged(s->path, err,
                             "the split of dataset '%s' has %zu entries for %lld events", name,
                             len, (long long)nrows);
        goto done;
    }
    out.n = len;
    if (len && !(out.part = hs_malloc(len))) {
        rc = oom(err);
        goto done;
    }
    for (size_t i = 0; i < len; i++) {
        if (p[i] > HS_PART_TEST) {
            rc = hs_sess_damaged(s->path, err, "the split of dataset '%s' gives event %zu part %u",
                                 name, i, (unsigned)p[i]);
            goto done;
        }
        out.part[i] = p[i];
        out.count[p[i]]++;
    }
done:
    sqlite3_finalize(st);
    hs_sess_read_end(s, own);
    if (rc) {
        hs_free(out.part);
        return rc;
    }
    *sp = out;
    return HS_OK;
}

/* ---- cut sets ------------------------------------------------------------ */

void
hs_cutset_rec_release(struct hs_cutset_rec *rec)
{
    if (!rec)
        return;
    hs_free(rec->name);
    if (rec->points)
        for (size_t i = 0; i < rec->npoints; i++)
            hs_cutset_release(&rec->points[i]);
    hs_free(rec->points);
    hs_free(rec->target);
    hs_free(rec->created);
    memset(rec, 0, sizeof *rec);
}

void
hs_cutset_recs_free(struct hs_cutset_rec *recs, size_t n)
{
    if (!recs)
        return;
    for (size_t i = 0; i < n; i++)
        hs_cutset_rec_release(&recs[i]);
    hs_free(recs);
}

/* A record the store can hold: a name, a known kind, points whose cuts
 * are whole (ranges with lo < hi, not NaN), targets NaN or in [0, 1]. */
static int
check_rec(const struct hs_cutset_rec *rec, struct hs_err *err)
{
    if (!rec || !rec->name || !rec->name[0])
        return hs_err_set(err, HS_EUSAGE, "a cut set needs a name");
    if (!hs_name_is_identifier(rec->name))
        return hs_err_set(err, HS_EUSAGE,
                          "cut set name '%s' is not a name (letters, digits and '_', not "
                          "starting with a digit)",
                          rec->name);
    if (rec->kind != HS_CUTSET_SET && rec->kind != HS_CUTSET_GRID)
        return hs_err_set(err, HS_EUSAGE, "cut set '%s': unknown kind %d", rec->name,
                          (int)rec->kind);
    if (rec->npoints < 1 || !rec->points)
        return hs_err_set(err, HS_EUSAGE, "cut set '%s' has no cuts to store", rec->name);
    if (rec->kind == HS_CUTSET_SET && rec->npoints != 1)
        return hs_err_set(err, HS_EUSAGE, "cut set '%s' is one set but has %zu points", rec->name,
                          rec->npoints);
    for (size_t p = 0; p < rec->npoints; p++) {
        const struct hs_cutset *cs = &rec->points[p];

        if (rec->target && !isnan(rec->target[p]) && !(rec->target[p] >= 0 && rec->target[p] <= 1))
            return hs_err_set(err, HS_EUSAGE, "cut set '%s': target efficiency %g is not in [0, 1]",
                              rec->name, rec->target[p]);
        if (cs->n && !cs->cuts)
            return hs_err_set(err, HS_EUSAGE, "cut set '%s' is incomplete", rec->name);
        for (size_t i = 0; i < cs->n; i++) {
            const struct hs_cut *c = &cs->cuts[i];
            if (c->kind == HS_CUT_RANGE) {
                if (!c->feature || !c->feature[0] || isnan(c->lo) || isnan(c->hi) ||
                    !(c->lo < c->hi))
                    return hs_err_set(err, HS_EUSAGE, "cut set '%s': cut %zu is not a range",
                                      rec->name, i + 1);
            } else if (c->kind != HS_CUT_EXPR || !c->expr || !c->expr[0]) {
                return hs_err_set(err, HS_EUSAGE, "cut set '%s': cut %zu has no expression",
                                  rec->name, i + 1);
            }
        }
    }
    return HS_OK;
}

/* Append s (n bytes) to a growing string. */
static int
str_add(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (hs_grow((void **)buf, cap, *len + n + 1, 1))
        return HS_ENOMEM;
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return HS_OK;
}

/* The targets as text, "0.1 0.5 0.95" (shortest round-trip forms, "nan"
 * for a hand-made point); *out NULL when there is no target at all. */
static int
targets_text(const struct hs_cutset_rec *rec, char **out)
{
    size_t len = 0, cap = 0;
    bool any = false;

    *out = NULL;
    for (size_t p = 0; rec->target && p < rec->npoints; p++)
        any = any || !isnan(rec->target[p]);
    if (!any)
        return HS_OK;
    for (size_t p = 0; p < rec->npoints; p++) {
        char num[HS_NUM_BUF];
        int n = hs_num_format(rec->target[p], num);
        if ((p && str_add(out, &len, &cap, " ", 1)) || str_add(out, &len, &cap, num, (size_t)n)) {
            hs_free(*out);
            *out = NULL;
            return HS_ENOMEM;
        }
    }
    return HS_OK;
}

/* The features the ranges cut on, in order of first use, "a, b"; NULL
 * when there is no range. */
static int
features_text(const struct hs_cutset_rec *rec, char **out)
{
    size_t len = 0, cap = 0;

    *out = NULL;
    for (size_t p = 0; p < rec->npoints; p++) {
        const struct hs_cutset *cs = &rec->points[p];
        for (size_t i = 0; i < cs->n; i++) {
            const char *f = cs->cuts[i].kind == HS_CUT_RANGE ? cs->cuts[i].feature : NULL;
            bool seen = false;

            if (!f)
                continue;
            /* Seen already: an earlier cut of this or an earlier point. */
            for (size_t q = 0; q <= p && !seen; q++)
                for (size_t j = 0; j < (q == p ? i : rec->points[q].n) && !seen; j++)
                    seen = rec->points[q].cuts[j].kind == HS_CUT_RANGE &&
                           strcmp(rec->points[q].cuts[j].feature, f) == 0;
            if (seen)
                continue;
            if ((len && str_add(out, &len, &cap, ", ", 2)) ||
                str_add(out, &len, &cap, f, strlen(f))) {
                hs_free(*out);
                *out = NULL;
                return HS_ENOMEM;
            }
        }
    }
    return HS_OK;
}

/* "no cut set 'x' in dataset 'd'" with a did-you-mean, or the list. */
static int
cutset_not_found(struct hs_sess *s, int64_t id, const char *dataset, const char *name,
                 struct hs_err *err)
{
    char where[HS_ERR_MSG_MAX / 2];

    snprintf(where, sizeof where, " in dataset '%s'", dataset);
    return hs_sess_not_found(s, "SELECT name FROM cutsets WHERE dataset = ?1 ORDER BY name", id,
                             "cut set", "cut sets", name, where, "it has none", err);
}

/* Delete cut set name of dataset id (its cuts first: the cascade does it
 * too, this does not depend on it).  *gone: whether there was one. */
static int
cutset_delete(struct hs_sess *s, int64_t id, const char *name, bool *gone, struct hs_err *err)
{
    static const char *const sql[] = {
        "DELETE FROM cuts WHERE dataset = ?1 AND cutset = ?2",
        "DELETE FROM cutsets WHERE dataset = ?1 AND name = ?2",
    };

    *gone = false;
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st;
        int rc = hs_sess_prepare(s, sql[i], &st, err);

        if (rc)
            return rc;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        rc = hs_sess_step_done(s, st, "removing a cut set", err);
        sqlite3_finalize(st);
        if (rc)
            return rc;
        if (i == 1)
            *gone = sqlite3_changes(s->db) > 0;
    }
    return HS_OK;
}

static int
insert_cuts(struct hs_sess *s, int64_t id, const struct hs_cutset_rec *rec, struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc = hs_sess_prepare(s,
                             "INSERT INTO cuts (dataset, cutset, point, position, feature, lo, "
                             "hi, expr) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                             &st, err);

    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, rec->name, -1, SQLITE_STATIC);
    for (size_t p = 0; p < rec->npoints && !rc; p++) {
        const struct hs_cutset *cs = &rec->points[p];
        for (size_t i = 0; i < cs->n && !rc; i++) {
            const struct hs_cut *c = &cs->cuts[i];

            sqlite3_reset(st);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)p);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)i);
            if (c->kind == HS_CUT_RANGE) {
                sqlite3_bind_text(st, 5, c->feature, -1, SQLITE_STATIC);
                /* An open end is NULL: the engine's -inf / +inf. */
                if (isinf(c->lo) && c->lo < 0)
                    sqlite3_bind_null(st, 6);
                else
                    sqlite3_bind_double(st, 6, c->lo);
                if (isinf(c->hi) && c->hi > 0)
                    sqlite3_bind_null(st, 7);
                else
                    sqlite3_bind_double(st, 7, c->hi);
                sqlite3_bind_null(st, 8);
            } else {
                sqlite3_bind_null(st, 5);
                sqlite3_bind_null(st, 6);
                sqlite3_bind_null(st, 7);
                sqlite3_bind_text(st, 8, c->expr, -1, SQLITE_STATIC);
            }
            rc = hs_sess_step_done(s, st, "storing a cut set", err);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

int
hs_sess_cutset_save(struct hs_sess *s, const char *dataset, const struct hs_cutset_rec *rec,
                    bool replace, struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    char *targets = NULL, *features = NULL;
    int64_t id;
    bool own, gone;
    int rc;

    if ((rc = check_rec(rec, err)))
        return rc;
    if (targets_text(rec, &targets) || features_text(rec, &features)) {
        hs_free(targets);
        return oom(err);
    }
    if ((rc = hs_sess_change_begin(s, &own, err))) {
        hs_free(targets);
        hs_free(features);
        return rc;
    }
    if ((rc = dataset_find(s, dataset, &id, NULL, err)))
        goto fail;
    if (!replace) {
        if ((rc = hs_sess_prepare(s, "SELECT 1 FROM cutsets WHERE dataset = ?1 AND name = ?2",
                                  &st, err)))
            goto fail;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, rec->name, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            rc = hs_err_set(err, HS_EEXIST, "dataset '%s' has a cut set '%s' already", dataset,
                            rec->name);
            goto fail;
        }
        if (rc != SQLITE_DONE) {
            rc = hs_sess_dberr(s->db, s->path, rc, "storing a cut set", err);
            goto fail;
        }
        sqlite3_finalize(st);
        st = NULL;
    } else if ((rc = cutset_delete(s, id, rec->name, &gone, err))) {
        goto fail;
    }
    rc = hs_sess_prepare(s,
                         "INSERT INTO cutsets (dataset, name, kind, npoints, targets, features, "
                         "created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                         "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                         &st, err);
    if (rc)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, rec->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, rec->kind == HS_CUTSET_GRID ? "grid" : "set", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)rec->npoints);
    if (targets)
        sqlite3_bind_text(st, 5, targets, -1, SQLITE_STATIC);
    if (features)
        sqlite3_bind_text(st, 6, features, -1, SQLITE_STATIC);
    if ((rc = hs_sess_step_done(s, st, "storing a cut set", err)))
        goto fail;
    sqlite3_finalize(st);
    st = NULL;
    if ((rc = insert_cuts(s, id, rec, err)))
        goto fail;
    hs_free(targets);
    hs_free(features);
    return hs_sess_change_end(s, own, err);
fail:
    sqlite3_finalize(st);
    hs_sess_change_abort(s, own);
    hs_free(targets);
    hs_free(features);
    return rc;
}

/* Parse the targets column into rec->target (npoints entries). */
static int
targets_parse(struct hs_sess *s, const char *dataset, const char *text, struct hs_cutset_rec *rec,
              struct hs_err *err)
{
    size_t p = 0;

    if (!(rec->target = hs_malloc(rec->npoints * sizeof *rec->target)))
        return oom(err);
    for (size_t i = 0; i < rec->npoints; i++)
        rec->target[i] = NAN;
    if (!text)
        return HS_OK;
    while (*text) {
        size_t len = strcspn(text, " ");
        double x;

        if (p == rec->npoints || hs_num_parse(text, len, &x) != HS_OK)
            break;
        rec->target[p++] = x;
        text += len;
        if (*text == ' ')
            text++;
        else if (*text) /* not reached: strcspn stops at ' ' or the end */
            break;
    }
    if (p != rec->npoints || *text)
        return hs_sess_damaged(s->path, err,
                               "the targets of cut set '%s' of dataset '%s' do not read", rec->name,
                               dataset);
    return HS_OK;
}

/* Read the cuts of one cut set (its cutsets row read into rec). */
static int
cuts_read(struct hs_sess *s, int64_t id, const char *dataset, struct hs_cutset_rec *rec,
          struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc, src;

    if (!(rec->points = hs_calloc(rec->npoints, sizeof *rec->points)))
        return oom(err);
    rc = hs_sess_prepare(s,
                         "SELECT point, feature, lo, hi, expr FROM cuts WHERE dataset = ?1 AND "
                         "cutset = ?2 ORDER BY point, position",
                         &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, rec->name, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t p = sqlite3_column_int64(st, 0);
        const char *feature = (const char *)sqlite3_column_text(st, 1);
        const char *expr = (const char *)sqlite3_column_text(st, 4);
        struct hs_cutset *cs;
        struct hs_cut *c;

        if (p < 0 || (uint64_t)p >= rec->npoints || (!feature == !expr)) {
            rc = hs_sess_damaged(s->path, err, "a cut of cut set '%s' of dataset '%s' is wrong",
                                 rec->name, dataset);
            break;
        }
        cs = &rec->points[p];
        if (hs_grow((void **)&cs->cuts, &cs->cap, cs->n + 1, sizeof *cs->cuts)) {
            rc = oom(err);
            break;
        }
        c = &cs->cuts[cs->n];
        memset(c, 0, sizeof *c);
        if (feature) {
            c->kind = HS_CUT_RANGE;
            c->lo = sqlite3_column_type(st, 2) == SQLITE_NULL ? -HUGE_VAL
                                                               : sqlite3_column_double(st, 2);
            c->hi = sqlite3_column_type(st, 3) == SQLITE_NULL ? HUGE_VAL
                                                               : sqlite3_column_double(st, 3);
            if (!(c->lo < c->hi)) {
                rc = hs_sess_damaged(s->path, err,
                                     "a range of cut set '%s' of dataset '%s' is empty", rec->name,
                                     dataset);
                break;
            }
            if (!(c->feature = hs_strdup(feature))) {
                rc = oom(err);
                break;
            }
        } else {
            c->kind = HS_CUT_EXPR;
            c->lo = -HUGE_VAL;
            c->hi = HUGE_VAL;
            if (!(c->expr = hs_strdup(expr))) {
                rc = oom(err);
                break;
            }
        }
        cs->n++;
    }
    if (!rc && src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, "reading a cut set", err);
    sqlite3_finalize(st);
    return rc;
}

/* Read one cutsets row (st positioned on it: name, kind, npoints, targets,
 * created) and its cuts into rec. */
static int
cutset_read(struct hs_sess *s, int64_t id, const char *dataset, sqlite3_stmt *st,
            struct hs_cutset_rec *rec, struct hs_err *err)
{
    const char *name = (const char *)sqlite3_column_text(st, 0);
    const char *kind = (const char *)sqlite3_column_text(st, 1);
    int64_t npoints = sqlite3_column_int64(st, 2);
    const char *targets = (const char *)sqlite3_column_text(st, 3);
    const char *created = (const char *)sqlite3_column_text(st, 4);
    int rc;

    memset(rec, 0, sizeof *rec);
    if (!name || !kind || (strcmp(kind, "set") != 0 && strcmp(kind, "grid") != 0) ||
        npoints < 1 || (strcmp(kind, "set") == 0 && npoints != 1) ||
        (uint64_t)npoints > SIZE_MAX / sizeof(struct hs_cutset))
        return hs_sess_damaged(s->path, err, "a cut set of dataset '%s' is wrong", dataset);
    rec->kind = strcmp(kind, "grid") == 0 ? HS_CUTSET_GRID : HS_CUTSET_SET;
    rec->npoints = (size_t)npoints;
    if (!(rec->name = hs_strdup(name)) || !(rec->created = hs_strdup(created ? created : ""))) {
        rc = oom(err);
        goto fail;
    }
    if ((rc = targets_parse(s, dataset, targets, rec, err)) ||
        (rc = cuts_read(s, id, dataset, rec, err)))
        goto fail;
    return HS_OK;
fail:
    hs_cutset_rec_release(rec);
    return rc;
}

int
hs_sess_cutset_load(struct hs_sess *s, const char *dataset, const char *name,
                    struct hs_cutset_rec *rec, struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    int64_t id;
    bool own;
    int rc, src;

    memset(rec, 0, sizeof *rec); /* releasable whatever happens */
    if (!name)
        return hs_err_set(err, HS_EUSAGE, "no cut set named");
    if ((rc = hs_sess_read_begin(s, &own, err)))
        return rc;
    if ((rc = dataset_find(s, dataset, &id, NULL, err)))
        goto done;
    rc = hs_sess_prepare(s,
                         "SELECT name, kind, npoints, targets, created FROM cutsets "
                         "WHERE dataset = ?1 AND name = ?2",
                         &st, err);
    if (rc)
        goto done;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        rc = cutset_read(s, id, dataset, st, rec, err);
    else if (src == SQLITE_DONE)
        rc = cutset_not_found(s, id, dataset, name, err);
    else
        rc = hs_sess_dberr(s->db, s->path, src, "reading a cut set", err);
done:
    sqlite3_finalize(st);
    hs_sess_read_end(s, own);
    return rc;
}

int
hs_sess_cutsets(struct hs_sess *s, const char *dataset, struct hs_cutset_rec **out, size_t *n,
                struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    struct hs_cutset_rec *recs = NULL;
    size_t k = 0, cap = 0;
    int64_t id;
    bool own;
    int rc, src;

    *out = NULL;
    *n = 0;
    if ((rc = hs_sess_read_begin(s, &own, err)))
        return rc;
    if ((rc = dataset_find(s, dataset, &id, NULL, err)))
        goto done;
    rc = hs_sess_prepare(s,
                         "SELECT name, kind, npoints, targets, created FROM cutsets "
                         "WHERE dataset = ?1 ORDER BY name",
                         &st, err);
    if (rc)
        goto done;
    sqlite3_bind_int64(st, 1, id);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (hs_grow((void **)&recs, &cap, k + 1, sizeof *recs)) {
            rc = oom(err);
            goto done;
        }
        if ((rc = cutset_read(s, id, dataset, st, &recs[k], err)))
            goto done;
        k++;
    }
    if (src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, "reading the cut sets", err);
done:
    sqlite3_finalize(st);
    hs_sess_read_end(s, own);
    if (rc) {
        hs_cutset_recs_free(recs, k);
        return rc;
    }
    *out = recs;
    *n = k;
    return HS_OK;
}

int
hs_sess_cutset_drop(struct hs_sess *s, const char *dataset, const char *name, struct hs_err *err)
{
    int64_t id;
    bool own, gone;
    int rc;

    if (!name)
        return hs_err_set(err, HS_EUSAGE, "no cut set named");
    if ((rc = hs_sess_change_begin(s, &own, err)))
        return rc;
    if ((rc = dataset_find(s, dataset, &id, NULL, err)) ||
        (rc = cutset_delete(s, id, name, &gone, err)))
        goto fail;
    if (!gone) {
        rc = cutset_not_found(s, id, dataset, name, err);
        goto fail;
    }
    return hs_sess_change_end(s, own, err);
fail:
    hs_sess_change_abort(s, own);
    return rc;
}

/* trials.c: hyperparameter searches and their trials (see trials.h). */
#include "config.h"

#include "sessions/trials.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "sessions/sess_int.h"

static const char search_cols[] = "name, dataset, method, strategy, space, options, seed, planned, "
                                  "stopped, ntrials, created";

static int
search_not_found(struct hs_sess *s, const char *name, struct hs_err *err)
{
    return hs_sess_not_found(s, "SELECT name FROM searches ORDER BY name", -1, "search",
                             "searches", name, "", "the session has none", err);
}

void
hs_search_rec_release(struct hs_search_rec *r)
{
    if (!r)
        return;
    hs_free(r->name);
    hs_free(r->dataset);
    hs_free(r->method);
    hs_free(r->strategy);
    hs_free(r->space);
    hs_free(r->options);
    hs_free(r->created);
    hs_free(r->stopped);
    for (size_t i = 0; r->trials && i < r->ntrials; i++) {
        hs_free(r->trials[i].params);
        hs_free(r->trials[i].status);
    }
    hs_free(r->trials);
    memset(r, 0, sizeof *r);
}

void
hs_search_recs_free(struct hs_search_rec *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++)
        hs_search_rec_release(&r[i]);
    hs_free(r);
}

/* ---- storing ------------------------------------------------------------- */

static int
check_rec(const struct hs_search_rec *r, struct hs_err *err)
{
    if (!r->name || !*r->name || !r->dataset || !r->method || !*r->method || !r->strategy ||
        !r->space || !*r->space || r->planned < 1)
        return hs_err_set(err, HS_EUSAGE, "a search needs a name, dataset, method, strategy, "
                                          "space and at least one planned trial");
    for (size_t i = 0; i < r->ntrials; i++) {
        const struct hs_trial_rec *t = &r->trials[i];
        if (!t->params || !t->status ||
            (strcmp(t->status, "ok") != 0 && strcmp(t->status, "failed") != 0))
            return hs_err_set(err, HS_EUSAGE, "search '%s': trial %zu has no parameters or a "
                                              "status other than 'ok' and 'failed'",
                              r->name, t->number);
    }
    return HS_OK;
}

static int
delete_search(struct hs_sess *s, const char *name, struct hs_err *err)
{
    static const char *const sql[] = {
        "DELETE FROM trials WHERE search = ?1",
        "DELETE FROM searches WHERE name = ?1",
    };

    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st;
        int rc = hs_sess_prepare(s, sql[i], &st, err);
        if (rc)
            return rc;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        rc = hs_sess_step_done(s, st, "removing a search", err);
        sqlite3_finalize(st);
        if (rc)
            return rc;
    }
    return HS_OK;
}

static int
insert_search(struct hs_sess *s, const struct hs_search_rec *r, struct hs_err *err)
{
    sqlite3_stmt *st;
    int64_t seed;
    int rc = hs_sess_prepare(s,
                             "INSERT INTO searches (name, dataset, method, strategy, space, "
                             "options, seed, planned, stopped, ntrials, created) VALUES (?1, ?2, "
                             "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                             "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                             &st, err);

    if (rc)
        return rc;
    /* The seed's 64 bits as SQLite's signed integer, read back the same. */
    memcpy(&seed, &r->seed, sizeof seed);
    sqlite3_bind_text(st, 1, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->dataset, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->method, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->strategy, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->space, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->options ? r->options : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, seed);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)r->planned);
    if (r->stopped)
        sqlite3_bind_text(st, 9, r->stopped, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 10, (sqlite3_int64)r->ntrials);
    rc = hs_sess_step_done(s, st, "storing a search", err);
    sqlite3_finalize(st);
    return rc;
}

static int
insert_trials(struct hs_sess *s, const struct hs_search_rec *r, struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc = hs_sess_prepare(s,
                             "INSERT INTO trials (search, trial, params, val_auc, test_auc, "
                             "seconds, budget, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                             &st, err);

    if (rc)
        return rc;
    for (size_t i = 0; i < r->ntrials && rc == HS_OK; i++) {
        const struct hs_trial_rec *t = &r->trials[i];
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, r->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)t->number);
        sqlite3_bind_text(st, 3, t->params, -1, SQLITE_STATIC);
        hs_sess_bind_real(st, 4, t->val_auc);
        hs_sess_bind_real(st, 5, t->test_auc);
        hs_sess_bind_real(st, 6, t->seconds);
        sqlite3_bind_int64(st, 7, (sqlite3_int64)t->budget);
        sqlite3_bind_text(st, 8, t->status, -1, SQLITE_STATIC);
        rc = hs_sess_step_done(s, st, "storing a trial", err);
    }
    sqlite3_finalize(st);
    return rc;
}

int
hs_sess_search_exists(struct hs_sess *s, const char *name, struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc;

    if ((rc = hs_sess_prepare(s, "SELECT 1 FROM searches WHERE name = ?1", &st, err)))
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = 1;
    else if (rc == SQLITE_DONE)
        rc = 0;
    else
        rc = hs_sess_dberr(s->db, s->path, rc, "looking for a search", err);
    sqlite3_finalize(st);
    return rc;
}

int
hs_sess_search_save(struct hs_sess *s, const struct hs_search_rec *r, bool replace,
                    struct hs_err *err)
{
    bool own;
    int rc;

    if ((rc = check_rec(r, err)))
        return rc;
    if ((rc = hs_sess_change_begin(s, &own, err)))
        return rc;
    if (!replace) {
        rc = hs_sess_search_exists(s, r->name, err);
        if (rc == 1)
            rc = hs_err_set(err, HS_EEXIST, "there is a search '%s' already", r->name);
        if (rc)
            goto fail;
    } else if ((rc = delete_search(s, r->name, err))) {
        goto fail;
    }
    if ((rc = insert_search(s, r, err)) || (rc = insert_trials(s, r, err)))
        goto fail;
    return hs_sess_change_end(s, own, err);
fail:
    hs_sess_change_abort(s, own);
    return rc;
}

/* ---- reading ------------------------------------------------------------- */

static int
search_read(sqlite3_stmt *st, struct hs_search_rec *r)
{
    int64_t seed = sqlite3_column_int64(st, 6);

    memset(r, 0, sizeof *r);
    memcpy(&r->seed, &seed, sizeof seed);
    r->planned = (size_t)sqlite3_column_int64(st, 7);
    r->ntrials = 0;
    if (hs_sess_text_dup(st, 0, false, &r->name) || hs_sess_text_dup(st, 1, false, &r->dataset) ||
        hs_sess_text_dup(st, 2, false, &r->method) || hs_sess_text_dup(st, 3, false, &r->strategy) ||
        hs_sess_text_dup(st, 4, false, &r->space) || hs_sess_text_dup(st, 5, false, &r->options) ||
        hs_sess_text_dup(st, 8, true, &r->stopped) || hs_sess_text_dup(st, 10, false, &r->created)) {
        hs_search_rec_release(r);
        return HS_ENOMEM;
    }
    return HS_OK;
}

static int
trials_read(struct hs_sess *s, struct hs_search_rec *r, size_t expect, struct hs_err *err)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    int rc, src;

    if ((rc = hs_sess_prepare(s,
                              "SELECT trial, params, val_auc, test_auc, seconds, budget, status "
                              "FROM trials WHERE search = ?1 ORDER BY trial",
                              &st, err)))
        return rc;
    sqlite3_bind_text(st, 1, r->name, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct hs_trial_rec *t;
        if (hs_grow((void **)&r->trials, &cap, r->ntrials + 1, sizeof *r->trials)) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            break;
        }
        t = &r->trials[r->ntrials];
        memset(t, 0, sizeof *t);
        r->ntrials++;
        t->number = (size_t)sqlite3_column_int64(st, 0);
        t->val_auc = hs_sess_column_real(st, 2);
        t->test_auc = hs_sess_column_real(st, 3);
        t->seconds = hs_sess_column_real(st, 4);
        t->budget = (size_t)sqlite3_column_int64(st, 5);
        if (hs_sess_text_dup(st, 1, false, &t->params) || hs_sess_text_dup(st, 6, false, &t->status)) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            break;
        }
    }
    if (rc == HS_OK && src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, "reading a search", err);
    sqlite3_finalize(st);
    if (rc == HS_OK && r->ntrials != expect)
        rc = hs_sess_damaged(s->path, err, "search '%s' lists %zu trials but %zu are stored",
                             r->name, expect, r->ntrials);
    return rc;
}

int
hs_sess_search_load(struct hs_sess *s, const char *name, struct hs_search_rec *r,
                    struct hs_err *err)
{
    char sql[256];
    sqlite3_stmt *st;
    bool own;
    size_t expect;
    int rc;

    memset(r, 0, sizeof *r);
    if ((rc = hs_sess_read_begin(s, &own, err)))
        return rc;
    snprintf(sql, sizeof sql, "SELECT %s FROM searches WHERE name = ?1", search_cols);
    if ((rc = hs_sess_prepare(s, sql, &st, err)))
        goto done;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        expect = (size_t)sqlite3_column_int64(st, 9);
        rc = search_read(st, r) ? hs_err_set(err, HS_ENOMEM, "out of memory") : HS_OK;
        sqlite3_finalize(st);
        if (rc == HS_OK)
            rc = trials_read(s, r, expect, err);
    } else {
        rc = rc == SQLITE_DONE ? search_not_found(s, name, err)
                               : hs_sess_dberr(s->db, s->path, rc, "reading a search", err);
        sqlite3_finalize(st);
    }
done:
    hs_sess_read_end(s, own);
    if (rc)
        hs_search_rec_release(r);
    return rc;
}

int
hs_sess_searches(struct hs_sess *s, struct hs_search_rec **out, size_t *n, struct hs_err *err)
{
    char sql[256];
    sqlite3_stmt *st;
    struct hs_search_rec *recs = NULL;
    size_t cap = 0, k = 0;
    int rc, src;

    *out = NULL;
    *n = 0;
    snprintf(sql, sizeof sql, "SELECT %s FROM searches ORDER BY name", search_cols);
    if ((rc = hs_sess_prepare(s, sql, &st, err)))
        return rc;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (hs_grow((void **)&recs, &cap, k + 1, sizeof *recs) || search_read(st, &recs[k])) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            break;
        }
        recs[k++].ntrials = (size_t)sqlite3_column_int64(st, 9);
    }
    if (rc == HS_OK && src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, "listing searches", err);
    sqlite3_finalize(st);
    if (rc) {
        hs_search_recs_free(recs, k);
        return rc;
    }
    *out = recs;
    *n = k;
    return HS_OK;
}

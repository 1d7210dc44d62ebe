#include "config.h"

#include "sessions/session.h"

#include "sessions/sess_int.h"

/* The journal: one row per command that changed the session, in order.
 * A caller that groups a change and its journal line in hs_sess_begin() ...
 * hs_sess_commit() gets both or neither. */

int
hs_sess_journal_append(struct hs_sess *s, const char *command, struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    bool own;
    int rc, ret;

    if (!command)
        return hs_err_set(err, HS_EUSAGE, "no command to journal");
    if ((ret = hs_sess_change_begin(s, &own, err)))
        return ret;
    if ((ret = hs_sess_prepare(s,
                               "INSERT INTO journal (time, command) "
                               "VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)",
                               &st, err)))
        goto fail;
    sqlite3_bind_text(st, 1, command, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        ret = hs_sess_dberr(s->db, s->path, rc, "writing the journal", err);
        goto fail;
    }
    sqlite3_finalize(st);
    return hs_sess_change_end(s, own, err);
fail:
    sqlite3_finalize(st);
    hs_sess_change_abort(s, own);
    return ret;
}

int
hs_sess_journal_each(struct hs_sess *s,
                     int (*fn)(void *user, int64_t id, const char *when, const char *command),
                     void *user, struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc, ret;

    if ((ret = hs_sess_prepare(s, "SELECT id, time, command FROM journal ORDER BY id", &st, err)))
        return ret;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *when = (const char *)sqlite3_column_text(st, 1);
        const char *cmd = (const char *)sqlite3_column_text(st, 2);

        ret = fn(user, sqlite3_column_int64(st, 0), when ? when : "", cmd ? cmd : "");
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = hs_sess_dberr(s->db, s->path, rc, NULL, err);
    sqlite3_finalize(st);
    return ret;
}

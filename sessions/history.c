/* history.c: the ':' line history in the session (see history.h). */
#include "config.h"

#include "sessions/history.h"

#include <stdlib.h>
#include <string.h>

#include "sessions/sess_int.h"

/* Delete every row but the latest keep, inside the caller's change. */
static int
trim_rows(struct hs_sess *s, size_t keep, struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc, ret;

    if ((ret = hs_sess_prepare(s,
                               "DELETE FROM history WHERE id NOT IN "
                               "(SELECT id FROM history ORDER BY id DESC LIMIT ?)",
                               &st, err)))
        return ret;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)keep);
    rc = sqlite3_step(st);
    ret = rc == SQLITE_DONE ? HS_OK : hs_sess_dberr(s->db, s->path, rc, "trimming the history", err);
    sqlite3_finalize(st);
    return ret;
}

int
hs_sess_history_append(struct hs_sess *s, const char *line, struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    bool own;
    int rc, ret;

    if (!line || !*line)
        return hs_err_set(err, HS_EUSAGE, "an empty line is not kept in the history");
    if ((ret = hs_sess_change_begin(s, &own, err)))
        return ret;
    if ((ret = hs_sess_prepare(s, "INSERT INTO history (line) VALUES (?)", &st, err)))
        goto fail;
    sqlite3_bind_text(st, 1, line, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        ret = hs_sess_dberr(s->db, s->path, rc, "writing the history", err);
        goto fail;
    }
    if ((ret = trim_rows(s, HS_SESS_HISTORY_MAX, err)))
        goto fail;
    return hs_sess_change_end(s, own, err);
fail:
    hs_sess_change_abort(s, own);
    return ret;
}

int
hs_sess_history_trim(struct hs_sess *s, size_t keep, struct hs_err *err)
{
    bool own;
    int ret;

    if ((ret = hs_sess_change_begin(s, &own, err)))
        return ret;
    if ((ret = trim_rows(s, keep, err))) {
        hs_sess_change_abort(s, own);
        return ret;
    }
    return hs_sess_change_end(s, own, err);
}

void
hs_sess_history_free(char **lines, size_t n)
{
    for (size_t i = 0; lines && i < n; i++)
        free(lines[i]);
    free(lines);
}

int
hs_sess_history_read(struct hs_sess *s, size_t max, char ***lines, size_t *n, struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    char **out = NULL;
    size_t k = 0;
    int rc, ret;

    *lines = NULL;
    *n = 0;
    if (max == 0)
        return HS_OK;
    /* The latest max, newest first, stored from the end: oldest first. */
    if ((ret = hs_sess_prepare(s, "SELECT line FROM history ORDER BY id DESC LIMIT ?", &st, err)))
        return ret;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)(max > INT64_MAX ? INT64_MAX : max));
    if (!(out = calloc(max < 4096 ? max : 4096, sizeof *out))) {
        sqlite3_finalize(st);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < (max < 4096 ? max : 4096)) {
        const char *line = (const char *)sqlite3_column_text(st, 0);
        if (!(out[k] = strdup(line ? line : ""))) {
            ret = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto fail;
        }
        k++;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        ret = hs_sess_dberr(s->db, s->path, rc, "reading the history", err);
        goto fail;
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < k / 2; i++) {
        char *t = out[i];
        out[i] = out[k - 1 - i];
        out[k - 1 - i] = t;
    }
    *lines = out;
    *n = k;
    return HS_OK;
fail:
    sqlite3_finalize(st);
    hs_sess_history_free(out, k);
    return ret;
}

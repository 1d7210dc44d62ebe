/* rows.c: small statement helpers the session's stores share (results.c,
 * models.c): stepping a statement that returns no rows, reading a column
 * of names, and the "no such thing" message with a did-you-mean. */
#include "config.h"

#include <stdio.h>

#include "mem.h"
#include "names.h"
#include "sessions/sess_int.h"

int
hs_sess_step_done(struct hs_sess *s, sqlite3_stmt *st, const char *what, struct hs_err *err)
{
    int rc = sqlite3_step(st);
    return rc == SQLITE_DONE ? HS_OK : hs_sess_dberr(s->db, s->path, rc, what, err);
}

int
hs_sess_names(struct hs_sess *s, const char *sql, int64_t id, char ***out, size_t *n,
              struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    char **v = NULL;
    size_t k = 0, cap = 0;
    int rc, src;

    *out = NULL;
    *n = 0;
    if ((rc = hs_sess_prepare(s, sql, &st, err)))
        return rc;
    if (id >= 0)
        sqlite3_bind_int64(st, 1, id);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (hs_grow((void **)&v, &cap, k + 1, sizeof *v) || !(v[k] = hs_strdup(name ? name : ""))) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto done;
        }
        k++;
    }
    if (src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, NULL, err);
done:
    sqlite3_finalize(st);
    if (rc) {
        hs_sess_names_free(v, k);
        return rc;
    }
    *out = v;
    *n = k;
    return HS_OK;
}

void
hs_sess_names_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        hs_free(v[i]);
    hs_free(v);
}

int
hs_sess_not_found(struct hs_sess *s, const char *sql, int64_t id, const char *what,
                  const char *plural, const char *name, const char *where, const char *none,
                  struct hs_err *err)
{
    char **names = NULL;
    size_t n = 0;
    const char *close;

    if (hs_sess_names(s, sql, id, &names, &n, NULL) != HS_OK || n == 0) {
        hs_sess_names_free(names, n);
        return hs_err_set(err, HS_ENOTFOUND, "no %s '%s'%s (%s)", what, name, where, none);
    }
    close = hs_closest_name(name, (const char *const *)names, n);
    if (close) {
        hs_err_set(err, HS_ENOTFOUND, "no %s '%s'%s (did you mean '%s'?)", what, name, where,
                   close);
    } else if (n <= 8) {
        char list[300];
        size_t used = 0;
        for (size_t i = 0; i < n && used < sizeof list; i++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                     names[i]);
        hs_err_set(err, HS_ENOTFOUND, "no %s '%s'%s (%s: %s)", what, name, where, plural, list);
    } else {
        hs_err_set(err, HS_ENOTFOUND, "no %s '%s'%s (%zu %s)", what, name, where, n, plural);
    }
    hs_sess_names_free(names, n);
    return HS_ENOTFOUND;
}

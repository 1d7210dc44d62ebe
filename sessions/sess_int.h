/* sess_int.h: what the files of sessions/ share, and nothing outside uses.
 *
 * A session handle is one SQLite connection on the session file, opened
 * after the file passed the checks of session.c and schema.c.  Helpers
 * here turn SQLite result codes into hs_status codes with messages that
 * name the file, and wrap changes in a transaction or savepoint.
 */
#ifndef HS_SESS_INT_H
#define HS_SESS_INT_H

#include <math.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "sessions/session.h"

/* PRAGMA application_id of every hepscope session: "HScp". */
#define HS_SESS_APP_ID 0x48536370

/* How long a writer waits for another one before HS_EBUSY. */
#define HS_SESS_BUSY_MS 1500

struct hs_sess {
    sqlite3 *db;
    char *path;
    bool readonly;
    /* hs_sess_begin opened the transaction that is open: a caller groups
     * changes.  Any other open transaction is one a failed ROLLBACK left
     * behind (out of memory), which the next change clears first. */
    bool caller_txn;
};

/* Apply the defensive settings every connection on a session file gets:
 * defensive mode, trusted_schema off, no extension loading, no triggers
 * or views, no ATTACH.  SQLITE_OK or an SQLite error code. */
int hs_sess_db_harden(sqlite3 *db);

/* Open a connection on a session file (name is its path, or a URI when
 * flags hold SQLITE_OPEN_URI), with the defensive settings and the busy
 * timeout; path names it in errors.  Without SQLITE_OPEN_URI, name is
 * taken literally even by an SQLite that reads URIs by default. */
int hs_sess_db_open(const char *name, int flags, sqlite3 **db, const char *path,
                    struct hs_err *err);

/* Open a read-only connection on the session file at path, the way a
 * reader that cannot write the file or its folder can use it: then, when
 * no -wal file with content is beside it, immutable (no -shm made). */
int hs_sess_db_open_read(const char *path, sqlite3 **db, struct hs_err *err);

/* Translate an SQLite failure rc on db (about the session at path) into an
 * hs_status with a message; what says what was being done ("storing
 * dataset 'x'") and may be NULL.  Call it before anything else runs on db,
 * which would replace SQLite's message. */
int hs_sess_dberr(sqlite3 *db, const char *path, int rc, const char *what, struct hs_err *err);

/* The message of HS_EBUSY, and of a damaged file. */
int hs_sess_busy(const char *path, struct hs_err *err);
int hs_sess_damaged(const char *path, struct hs_err *err, const char *fmt, ...)
    __attribute__((format(__printf__, 3, 4)));

/* Run SQL without results; an hs_status. */
int hs_sess_exec(struct hs_sess *s, const char *sql, struct hs_err *err);

/* Prepare a statement on the session (an hs_status). */
int hs_sess_prepare(struct hs_sess *s, const char *sql, sqlite3_stmt **st, struct hs_err *err);

/* A change: BEGIN IMMEDIATE when no transaction is open (then *own is
 * true), else SAVEPOINT inside the caller's transaction.  HS_EUSAGE on a
 * read-only session, HS_EBUSY when another process writes. */
int hs_sess_change_begin(struct hs_sess *s, bool *own, struct hs_err *err);
int hs_sess_change_end(struct hs_sess *s, bool own, struct hs_err *err);
void hs_sess_change_abort(struct hs_sess *s, bool own);

/* A consistent read of several statements: BEGIN (deferred) when no
 * transaction is open, else nothing. */
int hs_sess_read_begin(struct hs_sess *s, bool *own, struct hs_err *err);
void hs_sess_read_end(struct hs_sess *s, bool own);

/* The id and row count of dataset name on db; HS_ENOTFOUND with the
 * message "no dataset 'x' (datasets: a, b)" when there is none. */
int hs_sess_dataset_id(sqlite3 *db, const char *path, const char *name, int64_t *id, int64_t *nrows,
                       struct hs_err *err);

/* Register the events module ("hs_events", vtab_events.c) on db: a table
 * made by CREATE VIRTUAL TABLE temp.x USING hs_events(ID) shows the events
 * of the dataset with that id.  path must outlive db (error messages). */
int hs_vtab_events_register(sqlite3 *db, const char *path);

/* The role and kind names used in the columns table. */
const char *hs_sess_role_name(int role);
int hs_sess_role_parse(const char *s);
const char *hs_sess_kind_name(int kind);
int hs_sess_kind_parse(const char *s);

/* Little-endian conversion of doubles: a no-op on little-endian hosts. */
static inline bool
hs_sess_host_le(void)
{
    const union {
        uint32_t u;
        unsigned char c[4];
    } probe = {1};
    return probe.c[0] == 1;
}

/* Reverse the bytes of n doubles in place (only big-endian hosts call it). */
void hs_sess_swap64(double *v, size_t n);

/* Insert every chunk of t as dataset `dataset` (chunks.c).  Cancellable
 * between chunks (HS_ECANCELLED; the caller rolls back). */
int hs_chunks_store(struct hs_sess *s, int64_t dataset, const struct hs_table *t,
                    const struct hs_task *task, struct hs_err *err);
/* Check, without reading the values, that dataset (called name) has the
 * chunks a reader of nrows rows of ncols columns needs: chunks 0 .. of
 * every column, each of its length.  SQLITE_CORRUPT with *why (what is
 * wrong, sqlite3_free) when not, else SQLITE_OK or SQLite's error.  A
 * negative or impossibly large nrows is damage. */
int hs_chunks_check(sqlite3 *db, const char *name, int64_t dataset, int64_t nrows, size_t ncols,
                    char **why);
/* The index of the first of n label values that is neither 0 nor 1 (NaN
 * included: import stores no event without a label), or n when all are.
 * Any other value in a label column is damage. */
size_t hs_chunks_bad_label(const double *v, size_t n);
/* Read the chunks of column col of dataset (called name, of nrows rows)
 * into dst (nrows doubles): each chunk in order, of its length, none
 * missing and none past the end, else damage naming the chunk.
 * Cancellable between chunks. */
int hs_chunks_load_column(struct hs_sess *s, const char *name, int64_t dataset, size_t nrows,
                          size_t col, double *dst, const struct hs_task *task,
                          struct hs_err *err);

/* Rows [row0, row0 + n) of column col (of a dataset of nrows rows) into
 * dst: the chunks that hold them, each checked as hs_chunks_load_column
 * checks it.  For reading a column a block at a time. */
int hs_chunks_read_rows(struct hs_sess *s, const char *name, int64_t dataset, size_t nrows,
                        size_t col, size_t row0, size_t n, double *dst, struct hs_err *err);

/* Read chunk data of one column into dst (nvalues doubles), from a blob of
 * nbytes at p: checks the size, converts from little-endian. */
int hs_chunk_decode(double *dst, size_t nvalues, const void *p, size_t nbytes);

/* ---- statement helpers shared by the stores (rows.c) ---- */

/* Step a statement that returns no rows; what names the work in errors. */
int hs_sess_step_done(struct hs_sess *s, sqlite3_stmt *st, const char *what, struct hs_err *err);
/* The first column of every row of sql (its ?1 bound to id when id >= 0)
 * as a new array of new strings (free with hs_sess_names_free). */
int hs_sess_names(struct hs_sess *s, const char *sql, int64_t id, char ***out, size_t *n,
                  struct hs_err *err);
void hs_sess_names_free(char **v, size_t n);
/* HS_ENOTFOUND: "no WHAT 'NAME'WHERE (did you mean 'X'?)", or the list of
 * names sql gives ("(PLURAL: a, b)"), or their count, or "(NONE)" when
 * there are none.  where may be "" or " in dataset 'D'". */
int hs_sess_not_found(struct hs_sess *s, const char *sql, int64_t id, const char *what,
                      const char *plural, const char *name, const char *where, const char *none,
                      struct hs_err *err);

/* A real that may be NaN: SQLite has none (it would store NULL anyway),
 * so say so explicitly; and back, NULL reading as NaN. */
static inline void
hs_sess_bind_real(sqlite3_stmt *st, int i, double x)
{
    if (x != x)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, x);
}

static inline double
hs_sess_column_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? (double)NAN : sqlite3_column_double(st, i);
}

/* A text column as a new string (hs_free); NULL stays NULL when
 * nullable.  HS_OK or HS_ENOMEM. */
int hs_sess_text_dup(sqlite3_stmt *st, int i, bool nullable, char **out);

#endif

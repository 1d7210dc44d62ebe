/* session.h: the SQLite session store.
 *
 * A session is one SQLite file (WAL mode) holding datasets (their events as
 * column chunks: BLOBs of up to 65,536 little-endian doubles), the columns'
 * names, kinds and roles, the strings of text columns, and the journal of
 * commands that changed it.  The format is in man/hepscope-session.5.
 *
 * Opening is defensive: SQLite's defensive mode, trusted_schema off, no
 * extension loading; a schema with objects hepscope did not create, a
 * corrupt or truncated file, or one of a newer schema version gives
 * HS_ESESSION and is not modified.  A second writer waits a short while,
 * then gets HS_EBUSY ("session is busy").
 *
 * Every change is one transaction: a failure, a cancel or a killed process
 * leaves the last committed state.  Functions that change the session run
 * inside a savepoint, so a caller may group several of them (and the
 * journal line) in hs_sess_begin() ... hs_sess_commit().
 */
#ifndef HS_SESSION_H
#define HS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "table.h"
#include "task.h"

#define HS_SESS_SCHEMA_VERSION 9
#define HS_CHUNK_ROWS 65536

struct hs_sess;

enum hs_sess_flags {
    HS_SESS_READONLY = 1 << 0, /* open read-only; the file must exist */
    HS_SESS_CREATE = 1 << 1,   /* create the file (and its folder) when missing */
    HS_SESS_EXISTING = 1 << 2, /* without HS_SESS_CREATE: the file must be a session
                                  already; an empty one is HS_ESESSION and left as it
                                  is (else it is made one) */
};

struct hs_dataset_info {
    char *name;
    size_t nrows;
    size_t ncols;       /* columns read from the input (not hepscope's own) */
    bool labelled;
    size_t nsignal, nbackground;
    char *source;       /* what it was made from: a path, "demo", ... (may be NULL) */
    int64_t source_size; /* bytes of the source file, -1 when not a file */
    int64_t source_mtime; /* its modification time (s since the epoch), -1 likewise */
    char *created;      /* UTC time, ISO 8601 */
};

/* The default session path: $XDG_DATA_HOME/hepscope/default.db, falling
 * back to ~/.local/share/hepscope/default.db.  New string, caller frees. */
char *hs_sess_default_path(void);

/* Open (or create) a session file. */
int hs_sess_open(const char *path, unsigned flags, struct hs_sess **out, struct hs_err *err);
/* Close; NULL is a no-op.  An open transaction is rolled back. */
void hs_sess_close(struct hs_sess *s);
const char *hs_sess_path(const struct hs_sess *s);
bool hs_sess_readonly(const struct hs_sess *s);

/* Group changes: BEGIN IMMEDIATE (HS_EBUSY when another process writes),
 * COMMIT, ROLLBACK. */
int hs_sess_begin(struct hs_sess *s, struct hs_err *err);
int hs_sess_commit(struct hs_sess *s, struct hs_err *err);
void hs_sess_rollback(struct hs_sess *s);

/* All datasets, by name; *out is a new array, free with hs_dataset_info_free. */
int hs_sess_datasets(struct hs_sess *s, struct hs_dataset_info **out, size_t *n,
                     struct hs_err *err);
/* One dataset's info; HS_ENOTFOUND when there is none of that name. */
int hs_sess_dataset_info(struct hs_sess *s, const char *name, struct hs_dataset_info *out,
                         struct hs_err *err);
void hs_dataset_info_release(struct hs_dataset_info *info);
void hs_dataset_info_free(struct hs_dataset_info *infos, size_t n);

/* Store table t as dataset `name`.  HS_EEXIST when it exists and replace is
 * false; with replace the old one goes in the same transaction.  source,
 * source_size and source_mtime are recorded as given (NULL / -1 allowed).
 * Cancellable between chunks; then nothing is stored. */
int hs_sess_dataset_store(struct hs_sess *s, const char *name, const struct hs_table *t,
                          bool replace, const char *source, int64_t source_size,
                          int64_t source_mtime, const struct hs_task *task, struct hs_err *err);

/* Load dataset `name` into a new table, bit for bit as stored. */
int hs_sess_dataset_load(struct hs_sess *s, const char *name, struct hs_table **out,
                         const struct hs_task *task, struct hs_err *err);
/* The same as a lazy table (table.h): the label, weight and group columns
 * are read now, every other column when a reader first asks for it
 * (hs_table_values), each checked for damage then.  s must stay open as
 * long as the table has pending columns; a dataset replaced meanwhile by
 * another process is HS_EBUSY at the next read. */
int hs_sess_dataset_open(struct hs_sess *s, const char *name, struct hs_table **out,
                         const struct hs_task *task, struct hs_err *err);
/* The same without the events: the columns (names, kinds, roles,
 * categories) of a table of no rows, for work on the feature list alone
 * (a toggle need not read a million events). */
int hs_sess_dataset_load_columns(struct hs_sess *s, const char *name, struct hs_table **out,
                                 struct hs_err *err);

int hs_sess_dataset_drop(struct hs_sess *s, const char *name, struct hs_err *err);
int hs_sess_dataset_rename(struct hs_sess *s, const char *old_name, const char *new_name,
                           struct hs_err *err);

/* Append one command line to the journal. */
int hs_sess_journal_append(struct hs_sess *s, const char *command, struct hs_err *err);

/* The journal, oldest first: fn is called with each entry until it returns
 * non-zero. */
int hs_sess_journal_each(struct hs_sess *s,
                         int (*fn)(void *user, int64_t id, const char *when, const char *command),
                         void *user, struct hs_err *err);

/* Run one SQL statement (or several, separated by ';') on a read-only view
 * of the session in which events('DATASET') is a table of that dataset's
 * events: its columns under their own names (missing as NULL, text as
 * text), then _label (1, 0, or NULL when unlabelled), _weight (1 when there
 * is no weight) and _group.  fn is called first with values == NULL (the
 * header: the result's column names), then once per row; a value is NULL
 * for SQL NULL, else text, numbers in the shortest round-trip form;
 * is_num[i] says whether value i is a number.  A non-zero return from fn
 * stops the query and is returned.  The connection is query_only: nothing
 * can change the session, and an attempt is HS_EUSAGE. */
typedef int (*hs_sql_row_fn)(void *user, int ncols, const char *const *names,
                             const char *const *values, const bool *is_num);
int hs_sess_sql(struct hs_sess *s, const char *sql, hs_sql_row_fn fn, void *user,
                struct hs_err *err);
/* The same, stoppable: a raised task->cancel ends a running query with
 * HS_ECANCELLED (task may be NULL; progress is not reported). */
int hs_sess_sql_task(struct hs_sess *s, const char *sql, hs_sql_row_fn fn, void *user,
                     const struct hs_task *task, struct hs_err *err);

#endif

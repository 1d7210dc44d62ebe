/* table.h: the columnar event table.
 *
 * A table holds nrows events as columns: each column is one contiguous array
 * of doubles.  Missing values are NaN.  A text column stores, per event, the
 * code of its string (0, 1, 2, ... in order of first appearance) and keeps
 * the strings in cats[]; a missing text cell is NaN too.
 *
 * Every column has a role.  Columns read from a file keep their file order
 * and their names; the label, weight and group source columns stay in the
 * table under their own names but are never features.  hepscope's own
 * columns (the 0/1 label "_label", and the group "_group" of a multi-file
 * import) are marked synthetic: they are stored, but not exported.
 *
 * Subsets are index vectors (size_t *) or bitmaps over rows, never copies.
 * The table owns its columns, their names, their values and their strings.
 */
#ifndef HS_TABLE_H
#define HS_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "task.h"

enum hs_col_kind {
    HS_COL_NUMBER = 0,
    HS_COL_TEXT = 1,
};

enum hs_col_role {
    HS_ROLE_FEATURE = 0,  /* an ordinary column: a candidate feature */
    HS_ROLE_LABEL_SRC,    /* the file column the label was read from ("Truth") */
    HS_ROLE_WEIGHT,       /* per-event weight */
    HS_ROLE_GROUP,        /* per-event group: process, true mass, ... */
    HS_ROLE_LABEL,        /* synthetic: 1 signal, 0 background */
    HS_ROLE_ID,           /* a row index or identifier, never a feature */
};

#define HS_LABEL_NAME "_label"
#define HS_GROUP_NAME "_group"
#define HS_WEIGHT_NAME "_weight" /* not a table column: the events view's weight */

struct hs_column {
    char *name;
    enum hs_col_kind kind;
    enum hs_col_role role;
    bool synthetic;   /* made by hepscope, not read from the input */
    double *v;        /* nrows values (capacity table->cap); NaN = missing; NULL while
                         pending */
    bool pending;     /* a lazy table's column not read yet: ask hs_table_values */
    char **cats;      /* text columns: the string of each code */
    size_t ncats, cats_cap;
};

struct hs_table_source;

struct hs_table {
    size_t nrows;
    size_t cap;       /* rows allocated in every column (read ones, on a lazy table) */
    size_t ncols;
    size_t cols_cap;
    struct hs_column *cols;
    /* A lazy table (hs_table_set_source): where pending columns come from. */
    const struct hs_table_source *src;
    void *src_user;        /* owned: src->free at hs_table_free */
    size_t src_nrows;      /* rows the source holds */
    unsigned char *kept;   /* src_nrows flags: the source rows the table keeps (hs_table_keep);
                              all while `subset` is false */
    bool subset;
};

/* A new empty table (no columns, no rows); NULL when out of memory. */
struct hs_table *hs_table_new(void);
void hs_table_free(struct hs_table *t);

/* Append a column of nrows missing values; its index goes to *idx.
 * HS_EEXIST when a column of that name is there already. */
int hs_table_add_column(struct hs_table *t, const char *name, enum hs_col_kind kind,
                        size_t *idx, struct hs_err *err);

/* Make room for nrows rows in every column (values unset); allocates
 * exactly that, so appenders grow geometrically themselves. */
int hs_table_reserve(struct hs_table *t, size_t nrows);

/* Set the row count to nrows (<= cap); new rows are NaN. */
int hs_table_resize(struct hs_table *t, size_t nrows);

/* Set the row count to nrows (<= cap) when the caller has written rows
 * [old count, nrows) of every column itself (a loader, a generator): no
 * NaN fill first. */
void hs_table_set_nrows(struct hs_table *t, size_t nrows);

/* Remove column idx, keeping the order of the others. */
void hs_table_remove_column(struct hs_table *t, size_t idx);

/* Index of the column called name, or -1. */
long hs_table_find(const struct hs_table *t, const char *name);

/* Index of the first column with that role, or -1. */
long hs_table_find_role(const struct hs_table *t, enum hs_col_role role);

/* The code of string s in text column c, adding it when new.  Codes are
 * dense, from 0, in order of first appearance. */
int hs_column_intern(struct hs_column *c, const char *s, size_t len, double *code);

/* The string of a text column's code, or NULL for a missing or bad code. */
const char *hs_column_text(const struct hs_column *c, double code);

/* The label values (1 signal, 0 background) or NULL when unlabelled. */
const double *hs_table_label(const struct hs_table *t);
/* The weight values, or NULL when every event weighs 1. */
const double *hs_table_weight(const struct hs_table *t);
/* The group column, or NULL. */
const struct hs_column *hs_table_group(const struct hs_table *t);

/* Is column idx a feature (role FEATURE, numeric or text)? */
bool hs_table_is_feature(const struct hs_table *t, size_t idx);

/* Mark column `name` as the label source and add the synthetic "_label".
 * signal: the value that means signal, compared as a number for a number
 * column ("1" matches 1.0) and as a string for a text column; NULL infers
 * it, which works only when the values are 0 and 1 (1 is signal).  Every
 * other value is background.  A missing label, or more than two values
 * without signal, is HS_EDATA with the values found in the message.
 * The group column can serve as the label source (a multi-file import
 * labels by "_group" == "signal"); it then keeps its role HS_ROLE_GROUP. */
int hs_table_set_label(struct hs_table *t, const char *name, const char *signal,
                       struct hs_err *err);

/* Give column `name` a role (HS_ROLE_WEIGHT, HS_ROLE_GROUP, HS_ROLE_ID).
 * A weight column must be numeric and have no missing value. */
int hs_table_set_role(struct hs_table *t, const char *name, enum hs_col_role role,
                      struct hs_err *err);

/* Mark as identifiers (HS_ROLE_ID) the numeric feature columns whose name
 * says they number events, runs or rows ("Event", "EventId", "run_number",
 * "index", ...: case, '_' and '-' ignored) and whose values are all whole
 * numbers.  A cut or a classifier on an event number finds only noise, so
 * they are never features.  Returns how many were marked. */
size_t hs_table_guess_ids(struct hs_table *t);

/* Append every row of src to dst; an empty dst (no columns) first takes
 * src's columns, names, kinds and roles.  The columns of src must match those of
 * dst by name, kind and order, else HS_EDATA naming the first difference
 * (src_name and dst_name say which input each came from).  Text codes are
 * translated to dst's.  When group is not NULL, the rows get that group
 * string in dst's synthetic "_group" text column, which is added on the
 * first call. */
int hs_table_append(struct hs_table *dst, const struct hs_table *src, const char *group,
                    const char *dst_name, const char *src_name, struct hs_err *err);

/* ---- lazy tables (table_lazy.c) ----
 *
 * A table read from a store (a session) need not hold every column: a
 * lazy table knows its columns (names, kinds, roles, strings) and its row
 * count, and reads a column's values from its source the first time a
 * reader asks for them, so that a command touching one column of twenty
 * reads one.  Every reader of values that may meet a lazy table goes
 * through hs_table_values (the feature set does); the label, weight and
 * group columns are read when the source is set (hs_table_label and the
 * like cannot fail), so they never are pending.
 *
 * Reading a column changes no value a reader could see (the values were
 * always these, only read late): hence it is allowed on a const table.
 * A lazy table is not grown, appended to or given new columns. */
struct hs_table_source {
    /* Read column col's src_nrows values (every row the source holds, in
     * its order) into v.  Errors name the column and what is damaged;
     * cancellable between chunks.  A source whose data was replaced or
     * removed since the table was made refuses (HS_EBUSY, saying so)
     * rather than read the new data: a lazy table never mixes columns of
     * two versions of its data. */
    int (*read)(void *user, const struct hs_table *t, size_t col, double *v,
                const struct hs_task *task, struct hs_err *err);
    /* Optional: rows [row0, row0 + n) of the source (in its order) of
     * each of ncols columns into v[j], for readers that go through a
     * column a block at a time and keep none of it (hs_table_read_rows). */
    int (*read_rows)(void *user, const struct hs_table *t, const size_t *cols, size_t ncols,
                     size_t row0, size_t n, double *const *v, struct hs_err *err);
    size_t block_rows; /* the rows read_rows reads best at a time (its chunks) */
    void (*free)(void *user);
};

/* Make t lazy: nrows rows, every column pending, read by src (which the
 * table takes over with user, also on failure), then read at once the
 * label, weight and group columns.  t's columns are made and hold no
 * rows yet.  Errors are the source's. */
int hs_table_set_source(struct hs_table *t, const struct hs_table_source *src, void *user,
                        size_t nrows, const struct hs_task *task, struct hs_err *err);

/* The values of column col (t->nrows doubles, borrowed like the column),
 * read now when pending.  Errors are the source's: the column is then
 * still pending, and asking again reads again. */
int hs_table_values(const struct hs_table *t, size_t col, const double **out,
                    const struct hs_task *task, struct hs_err *err);

/* Can column col be read a block at a time without being kept
 * (hs_table_read_rows)?  True for a pending column of a source that reads
 * rows, while the table keeps all of the source's rows. */
bool hs_table_streamable(const struct hs_table *t, size_t col);

/* The block size of streamable reads (0 when the table has none). */
size_t hs_table_block_rows(const struct hs_table *t);

/* Rows [row0, row0 + n) of each of ncols streamable columns into v[j],
 * read now and not kept: a reader needing one derived feature of many
 * inputs reads them through a cache-sized buffer instead of holding them
 * all.  Errors are the source's. */
int hs_table_read_rows(const struct hs_table *t, const size_t *cols, size_t ncols, size_t row0,
                       size_t n, double *const *v, struct hs_err *err);

/* Read every pending column: for readers that walk all columns. */
int hs_table_load_all(const struct hs_table *t, const struct hs_task *task, struct hs_err *err);

/* Once every column is read (hs_table_load_all): free the source, and
 * t is an ordinary table again. */
void hs_table_drop_source(struct hs_table *t);

/* Keep only the rows whose mask byte is set (mask has t->nrows bytes), in
 * order: read columns are compacted now, pending ones when read. */
void hs_table_keep(struct hs_table *t, const unsigned char *mask);

/* Count of events with label 1 and 0 (both 0 when unlabelled). */
void hs_table_class_counts(const struct hs_table *t, size_t *nsig, size_t *nbkg);

#endif

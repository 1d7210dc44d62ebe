#include "config.h"

#include "sessions/session.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "numparse.h"
#include "sessions/sess_int.h"

/* hepscope sql: any SQL on a read-only view of the session, in which
 * events('NAME') is the events of dataset NAME.
 *
 * SQLite's table-valued functions have one fixed set of columns, but each
 * dataset has its own.  So the query is read with a small SQL tokenizer
 * (strings, quoted identifiers and comments are skipped whole), every
 * `events ( 'NAME' )` becomes temp."events('NAME')", and for each name a
 * temporary virtual table of that name is made over the dataset
 * (vtab_events.c) before the query runs.
 *
 * The connection is a separate one, opened read-only, with query_only on
 * once the temporary tables exist, and an authorizer that allows reading
 * only (no ATTACH, no PRAGMA that sets anything, no writes, no schema
 * changes): three locks, each enough alone, so that no query can change
 * the session. */

/* ---- tokenizer ---------------------------------------------------------- */

enum tok_kind { TOK_WORD, TOK_STRING, TOK_QUOTED, TOK_PUNCT };

struct tok {
    enum tok_kind kind;
    size_t start, end; /* byte offsets in the SQL */
};

static bool
word_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* The next token at or after *pos (blanks and comments skipped); false at
 * the end.  An unterminated string or comment runs to the end: SQLite
 * reports it when it parses the query. */
static bool
next_token(const char *sql, size_t len, size_t *pos, struct tok *t)
{
    size_t i = *pos;

    for (;;) {
        while (i < len && isspace((unsigned char)sql[i]))
            i++;
        if (i + 1 < len && sql[i] == '-' && sql[i + 1] == '-') {
            while (i < len && sql[i] != '\n')
                i++;
        } else if (i + 1 < len && sql[i] == '/' && sql[i + 1] == '*') {
            i += 2;
            while (i < len && !(sql[i] == '*' && i + 1 < len && sql[i + 1] == '/'))
                i++;
            i = i < len ? i + 2 : len;
        } else {
            break;
        }
    }
    if (i >= len)
        return false;
    t->start = i;
    if (sql[i] == '\'' || sql[i] == '"' || sql[i] == '`') {
        char q = sql[i++];
        while (i < len) {
            if (sql[i] == q && i + 1 < len && sql[i + 1] == q) {
                i += 2;
            } else if (sql[i] == q) {
                i++;
                break;
            } else {
                i++;
            }
        }
        t->kind = q == '\'' ? TOK_STRING : TOK_QUOTED;
    } else if (sql[i] == '[') {
        while (i < len && sql[i] != ']')
            i++;
        i = i < len ? i + 1 : len;
        t->kind = TOK_QUOTED;
    } else if (word_char((unsigned char)sql[i])) {
        while (i < len && word_char((unsigned char)sql[i]))
            i++;
        t->kind = TOK_WORD;
    } else {
        i++;
        t->kind = TOK_PUNCT;
    }
    t->end = i;
    *pos = i;
    return true;
}

/* The text of a '...' or "..." token without its quotes, doubled quotes
 * made single: a new string. */
static char *
unquote(const char *sql, const struct tok *t)
{
    char q = sql[t->start];
    size_t n = t->end - t->start;
    char *out, *o;

    if (n < 2 || sql[t->end - 1] != q)
        return NULL; /* unterminated */
    out = o = hs_malloc(n);
    if (!out)
        return NULL;
    for (size_t i = t->start + 1; i < t->end - 1; i++) {
        *o++ = sql[i];
        if (sql[i] == q)
            i++;
    }
    *o = '\0';
    return out;
}

struct span {
    size_t from, to;         /* in the original SQL */
    size_t new_from, new_to; /* in the rewritten one */
};

struct rewrite {
    sqlite3_str *out;
    char **names;     /* the datasets used, each once */
    char **tables;    /* the temporary table of each (sqlite3_mprintf) */
    size_t *name_pos; /* where each name was first used (byte offset) */
    size_t nnames, names_cap, tables_cap, pos_cap;
    struct span *spans;
    size_t nspans, spans_cap;
};

static void
rewrite_release(struct rewrite *rw)
{
    for (size_t i = 0; i < rw->nnames; i++) {
        hs_free(rw->names[i]);
        sqlite3_free(rw->tables[i]);
    }
    hs_free(rw->names);
    hs_free(rw->tables);
    hs_free(rw->name_pos);
    hs_free(rw->spans);
    sqlite3_free(sqlite3_str_finish(rw->out));
    memset(rw, 0, sizeof *rw);
}

/* The index of dataset name (taken over) in rw, added when new, with its
 * table "events('NAME')"; SQLite's names ignore ASCII case, so datasets
 * "d" and "D" get "events('d')" and "events('D') #2".  -1: no memory. */
static long
add_name(struct rewrite *rw, char *name, size_t pos)
{
    size_t k = rw->nnames;
    char *table;

    for (size_t i = 0; i < k; i++)
        if (strcmp(rw->names[i], name) == 0) {
            hs_free(name);
            return (long)i;
        }
    if (hs_grow((void **)&rw->names, &rw->names_cap, k + 1, sizeof *rw->names) ||
        hs_grow((void **)&rw->tables, &rw->tables_cap, k + 1, sizeof *rw->tables) ||
        hs_grow((void **)&rw->name_pos, &rw->pos_cap, k + 1, sizeof *rw->name_pos) ||
        !(table = sqlite3_mprintf("events('%s')", name))) {
        hs_free(name);
        return -1;
    }
    for (size_t i = 0; i < k; i++)
        if (sqlite3_stricmp(rw->tables[i], table) == 0) {
            sqlite3_free(table);
            if (!(table = sqlite3_mprintf("events('%s') #%lld", name, (long long)k + 1))) {
                hs_free(name);
                return -1;
            }
            break;
        }
    rw->names[k] = name;
    rw->tables[k] = table;
    rw->name_pos[k] = pos;
    rw->nnames++;
    return (long)k;
}

/* Find every events ( 'NAME' ) and write the SQL with each replaced by
 * temp."events('NAME')" into rw->out.  events followed by anything else
 * in brackets is HS_EUSAGE: no table of that name exists for SQLite to
 * complain about sensibly ("no such table: events"). */
static int
rewrite_sql(sqlite3 *db, const char *sql, struct rewrite *rw, struct hs_err *err)
{
    size_t len = strlen(sql), pos = 0, copied = 0;
    struct tok prev = {TOK_PUNCT, 0, 0}, t;
    bool have_prev = false;

    memset(rw, 0, sizeof *rw);
    rw->out = sqlite3_str_new(db);
    while (next_token(sql, len, &pos, &t)) {
        struct tok open, arg, close;
        size_t p = pos;
        char *name;

        if (t.kind == TOK_WORD && t.end - t.start == 6 &&
            sqlite3_strnicmp(sql + t.start, "events", 6) == 0 &&
            !(have_prev && prev.kind == TOK_PUNCT && sql[prev.start] == '.') &&
            next_token(sql, len, &p, &open) && open.kind == TOK_PUNCT && sql[open.start] == '(' &&
            next_token(sql, len, &p, &arg) &&
            (arg.kind == TOK_STRING || (arg.kind == TOK_QUOTED && sql[arg.start] == '"')) &&
            next_token(sql, len, &p, &close) && close.kind == TOK_PUNCT &&
            sql[close.start] == ')' && sql[arg.end - 1] == sql[arg.start] &&
            arg.end - arg.start >= 2) {
            struct span sp;
            long k;

            if (!(name = unquote(sql, &arg)) || (k = add_name(rw, name, t.start)) < 0 ||
                hs_grow((void **)&rw->spans, &rw->spans_cap, rw->nspans + 1, sizeof *rw->spans))
                return hs_err_set(err, HS_ENOMEM, "out of memory");
            sqlite3_str_append(rw->out, sql + copied, (int)(t.start - copied));
            sp.from = t.start;
            sp.to = close.end;
            sp.new_from = (size_t)sqlite3_str_length(rw->out);
            sqlite3_str_appendf(rw->out, "temp.\"%w\"", rw->tables[k]);
            sp.new_to = (size_t)sqlite3_str_length(rw->out);
            rw->spans[rw->nspans++] = sp;
            copied = close.end;
            pos = close.end;
            t = close;
        } else if (t.kind == TOK_WORD && t.end - t.start == 6 &&
                   sqlite3_strnicmp(sql + t.start, "events", 6) == 0 &&
                   !(have_prev && prev.kind == TOK_PUNCT && sql[prev.start] == '.') &&
                   (p = pos, next_token(sql, len, &p, &open)) && open.kind == TOK_PUNCT &&
                   sql[open.start] == '(') {
            int ret = hs_err_set(err, HS_EUSAGE,
                                 "events() needs a dataset name in quotes, as in events('NAME')");
            if (err)
                err->col = (int)t.start + 1;
            return ret;
        }
        prev = t;
        have_prev = true;
    }
    sqlite3_str_append(rw->out, sql + copied, (int)(len - copied));
    return sqlite3_str_errcode(rw->out) == SQLITE_OK ? HS_OK
                                                     : hs_err_set(err, HS_ENOMEM, "out of memory");
}

/* A byte offset in the rewritten SQL as one in the user's. */
static size_t
original_offset(const struct rewrite *rw, size_t off)
{
    long delta = 0;

    for (size_t i = 0; i < rw->nspans; i++) {
        const struct span *sp = &rw->spans[i];
        if (off < sp->new_from)
            break;
        if (off < sp->new_to)
            return sp->from;
        delta = (long)sp->to - (long)sp->new_to;
    }
    return (size_t)((long)off + delta);
}

/* ---- the authorizer ------------------------------------------------------ */

struct guard {
    bool denied; /* the authorizer said no: the message comes from action */
    int action;
    char what[128];
};

/* Pragmas that only report; any other is refused. */
static const char *const pragmas_read[] = {
    "table_info",  "table_xinfo",      "table_list",     "index_list",      "index_info",
    "index_xinfo", "foreign_key_list", "collation_list", "function_list",   "module_list",
    "pragma_list", "compile_options",  "database_list",  "integrity_check", "quick_check",
    "page_count",  "freelist_count",   "data_version",   "encoding",
};
/* Pragmas that report without an argument and set with one. */
static const char *const pragmas_get[] = {
    "application_id",
    "user_version",
    "schema_version",
    "page_size",
};

static bool
in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (sqlite3_stricmp(s, list[i]) == 0)
            return true;
    return false;
}

static int
authorize(void *user, int action, const char *a3, const char *a4, const char *db,
          const char *trigger)
{
    struct guard *g = user;

    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_FUNCTION:
        /* fts3_tokenizer() with two arguments takes a pointer (Debian
         * builds it enabled); load_extension() is off anyway. */
        if (a4 && (sqlite3_stricmp(a4, "fts3_tokenizer") == 0 ||
                   sqlite3_stricmp(a4, "load_extension") == 0))
            break;
        return SQLITE_OK;
    case SQLITE_PRAGMA:
        if (in_list(a3, pragmas_read, sizeof pragmas_read / sizeof *pragmas_read) ||
            (!a4 && in_list(a3, pragmas_get, sizeof pragmas_get / sizeof *pragmas_get)))
            return SQLITE_OK;
        break;
    case SQLITE_UPDATE:
        /* Declaring a virtual table's columns (a pragma_* or dbstat table
         * first used in the query) asks this of the schema table, which
         * no statement here can change anyway: defensive mode, no
         * writable_schema, query_only and a read-only connection. */
        if (a3 && (strcmp(a3, "sqlite_master") == 0 || strcmp(a3, "sqlite_temp_master") == 0))
            return SQLITE_OK;
        break;
    }
    if (!g->denied) { /* the first refusal says most */
        g->denied = true;
        g->action = action;
        snprintf(g->what, sizeof g->what, "%s", action == SQLITE_FUNCTION ? a4 : a3 ? a3 : "");
    }
    return SQLITE_DENY;
}

static int
refused(const struct guard *g, const char *why, struct hs_err *err)
{
    const char *what = "it would change the session";
    char buf[200];

    switch (g->action) {
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
        if (strncmp(g->what, "sqlite_", 7) == 0) {
            what = "it would change the schema";
            break;
        }
        snprintf(buf, sizeof buf, "it would change table '%s'", g->what);
        what = buf;
        break;
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
        what = "ATTACH and DETACH are not allowed";
        break;
    case SQLITE_PRAGMA:
        snprintf(buf, sizeof buf, "PRAGMA %s is not allowed", g->what);
        what = buf;
        break;
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
        what = "transactions are not needed in a query";
        break;
    case SQLITE_FUNCTION:
        snprintf(buf, sizeof buf, "function %s() is not allowed", g->what);
        what = buf;
        break;
    }
    if (!g->denied)
        what = why;
    return hs_err_set(err, HS_EUSAGE, "the sql command is read-only: %s", what);
}

/* ---- running ------------------------------------------------------------- */

static int
cancel_check(void *user)
{
    return hs_task_cancelled(user);
}

/* Hand one result row to fn: numbers in the shortest round-trip form,
 * integers as integers, blobs as x'..'. */
static int
emit_row(sqlite3_stmt *st, int ncols, const char **names, const char **values, bool *is_num,
         char (*nums)[HS_NUM_BUF], char **blobbuf, size_t *blobcap, hs_sql_row_fn fn, void *user)
{
    size_t need = 0, used = 0;

    for (int i = 0; i < ncols; i++)
        if (sqlite3_column_type(st, i) == SQLITE_BLOB)
            need += 3 + 2 * (size_t)sqlite3_column_bytes(st, i) + 1;
    if (need && hs_grow((void **)blobbuf, blobcap, need, 1))
        return HS_ENOMEM;
    for (int i = 0; i < ncols; i++) {
        is_num[i] = false;
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL:
            values[i] = NULL;
            break;
        case SQLITE_INTEGER:
            snprintf(nums[i], HS_NUM_BUF, "%lld", (long long)sqlite3_column_int64(st, i));
            values[i] = nums[i];
            is_num[i] = true;
            break;
        case SQLITE_FLOAT:
            hs_num_format(sqlite3_column_double(st, i), nums[i]);
            values[i] = nums[i];
            is_num[i] = true;
            break;
        case SQLITE_BLOB: {
            const unsigned char *b = sqlite3_column_blob(st, i);
            int n = sqlite3_column_bytes(st, i);
            char *o = *blobbuf + used;

            values[i] = o;
            *o++ = 'x';
            *o++ = '\'';
            for (int k = 0; k < n; k++)
                o += sprintf(o, "%02x", b[k]);
            *o++ = '\'';
            *o++ = '\0';
            used = (size_t)(o - *blobbuf);
            break;
        }
        default:
            values[i] = (const char *)sqlite3_column_text(st, i);
            if (!values[i])
                return HS_ENOMEM;
            break;
        }
    }
    return fn(user, ncols, names, values, is_num);
}

/* Run one prepared statement, calling fn with its header and rows. */
static int
run_statement(sqlite3 *db, const char *path, sqlite3_stmt *st, hs_sql_row_fn fn, void *user,
              struct hs_err *err)
{
    int ncols = sqlite3_column_count(st), rc, ret = HS_OK;
    const char **names = NULL, **values = NULL;
    char(*nums)[HS_NUM_BUF] = NULL;
    char *blobbuf = NULL;
    size_t blobcap = 0;
    bool *is_num = NULL;
    bool header = false;

    if (ncols > 0) {
        names = hs_calloc((size_t)ncols, sizeof *names);
        values = hs_calloc((size_t)ncols, sizeof *values);
        nums = hs_calloc((size_t)ncols, sizeof *nums);
        is_num = hs_calloc((size_t)ncols, sizeof *is_num);
        if (!names || !values || !nums || !is_num) {
            ret = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto done;
        }
        for (int i = 0; i < ncols; i++) {
            names[i] = sqlite3_column_name(st, i);
            if (!names[i]) {
                ret = hs_err_set(err, HS_ENOMEM, "out of memory");
                goto done;
            }
        }
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!header) {
            header = true;
            if ((ret = fn(user, ncols, names, NULL, NULL)))
                goto done;
        }
        ret = emit_row(st, ncols, names, values, is_num, nums, &blobbuf, &blobcap, fn, user);
        if (ret == HS_ENOMEM)
            hs_err_set(err, HS_ENOMEM, "out of memory");
        if (ret)
            goto done;
    }
    if (rc != SQLITE_DONE) {
        int code = rc & 0xff;
        if (code == SQLITE_READONLY || code == SQLITE_AUTH)
            ret =
                hs_err_set(err, HS_EUSAGE, "the sql command is read-only: %s", sqlite3_errmsg(db));
        else if (code == SQLITE_ERROR || code == SQLITE_CONSTRAINT || code == SQLITE_MISMATCH ||
                 code == SQLITE_RANGE || code == SQLITE_TOOBIG)
            ret = hs_err_set(err, HS_EUSAGE, "%s", sqlite3_errmsg(db));
        else
            ret = hs_sess_dberr(db, path, rc, NULL, err);
        goto done;
    }
    /* A query without rows still has a header. */
    if (!header && ncols > 0)
        ret = fn(user, ncols, names, NULL, NULL);
done:
    hs_free(names);
    hs_free(values);
    hs_free(nums);
    hs_free(is_num);
    hs_free(blobbuf);
    return ret;
}

/* Make temp."events('NAME')" for every name the query uses. */
static int
make_tables(sqlite3 *db, const char *path, const struct rewrite *rw, struct hs_err *err)
{
    for (size_t i = 0; i < rw->nnames; i++) {
        int64_t id;
        char *sql;
        int rc, ret;

        if ((ret = hs_sess_dataset_id(db, path, rw->names[i], &id, NULL, err))) {
            if (err && ret == HS_ENOTFOUND)
                err->col = (int)rw->name_pos[i] + 1;
            return ret;
        }
        sql = sqlite3_mprintf("CREATE VIRTUAL TABLE temp.\"%w\" USING hs_events(%lld)",
                              rw->tables[i], (long long)id);
        if (!sql)
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        sqlite3_free(sql);
        if (rc != SQLITE_OK)
            return (rc & 0xff) == SQLITE_ERROR ? hs_err_set(err, HS_EUSAGE, "events('%s'): %s",
                                                            rw->names[i], sqlite3_errmsg(db))
                                               : hs_sess_dberr(db, path, rc, NULL, err);
    }
    return HS_OK;
}

int
hs_sess_sql_task(struct hs_sess *s, const char *sql, hs_sql_row_fn fn, void *user,
                 const struct hs_task *task, struct hs_err *err)
{
    struct rewrite rw;
    struct guard guard = {false, 0, ""};
    sqlite3 *db = NULL;
    const char *text, *tail;
    int ret;

    if (!sql)
        return hs_err_set(err, HS_EUSAGE, "no SQL given");
    if ((ret = hs_sess_db_open_read(s->path, &db, err)))
        return ret;
    if ((ret = rewrite_sql(db, sql, &rw, err)))
        goto done;
    if ((ret = hs_vtab_events_register(db, s->path)) != SQLITE_OK) {
        ret = hs_sess_dberr(db, s->path, ret, NULL, err);
        goto done;
    }
    /* A cancel reaches every statement, the tables' own making too. */
    if (task)
        sqlite3_progress_handler(db, 10000, cancel_check, (void *)task);
    /* One read transaction: the tables and the query see one snapshot. */
    if (sqlite3_exec(db, "PRAGMA temp_store = MEMORY; BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        (ret = make_tables(db, s->path, &rw, err)))
        goto done_err;
    if (sqlite3_exec(db, "PRAGMA query_only = 1", NULL, NULL, NULL) != SQLITE_OK)
        goto done_err;
    sqlite3_set_authorizer(db, authorize, &guard);
    text = sqlite3_str_value(rw.out);
    while (text && *text) {
        sqlite3_stmt *st = NULL;
        int rc;

        guard.denied = false;
        rc = sqlite3_prepare_v2(db, text, -1, &st, &tail);
        if (rc != SQLITE_OK) {
            if (guard.denied || (rc & 0xff) == SQLITE_AUTH ||
                strstr(sqlite3_errmsg(db), "may not be modified")) {
                ret = refused(&guard, sqlite3_errmsg(db), err);
            } else if ((rc & 0xff) == SQLITE_ERROR) {
                int off = sqlite3_error_offset(db);
                ret = hs_err_set(err, HS_EUSAGE, "%s", sqlite3_errmsg(db));
                if (err && off >= 0)
                    err->col = (int)original_offset(
                                   &rw, (size_t)(text - sqlite3_str_value(rw.out)) + (size_t)off) +
                               1;
            } else {
                ret = hs_sess_dberr(db, s->path, rc, NULL, err);
            }
            goto done;
        }
        text = tail;
        if (!st)
            continue; /* blanks or a comment */
        if (!sqlite3_stmt_readonly(st)) {
            guard.denied = false;
            ret = refused(&guard, "it would change the session", err);
            sqlite3_finalize(st);
            goto done;
        }
        ret = run_statement(db, s->path, st, fn, user, err);
        sqlite3_finalize(st);
        if (ret)
            goto done;
    }
    goto done;
done_err:
    if (!ret)
        ret = hs_sess_dberr(db, s->path, sqlite3_errcode(db), NULL, err);
done:
    sqlite3_set_authorizer(db, NULL, NULL);
    rewrite_release(&rw);
    sqlite3_close_v2(db);
    return ret;
}

int
hs_sess_sql(struct hs_sess *s, const char *sql, hs_sql_row_fn fn, void *user, struct hs_err *err)
{
    return hs_sess_sql_task(s, sql, fn, user, NULL, err);
}

/* Unit tests of the session store (sessions/): opening, round trips,
 * datasets, journal, transactions, busy writers, cancel. */
#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "sessions/session.h"
#include "test_sess_util.h"


static struct hs_sess *
open_ok(const char *path, unsigned flags)
{
    struct hs_sess *s = NULL;
    struct hs_err err = {0};
    int rc = hs_sess_open(path, flags, &s, &err);
    if (rc)
        fprintf(stderr, "# open: %s\n", err.msg);
    assert_int_equal(rc, HS_OK);
    assert_non_null(s);
    return s;
}

static void
store_ok(struct hs_sess *s, const char *name, const struct hs_table *t)
{
    struct hs_err err = {0};
    int rc = hs_sess_dataset_store(s, name, t, false, NULL, -1, -1, NULL, &err);
    if (rc)
        fprintf(stderr, "# store: %s\n", err.msg);
    assert_int_equal(rc, HS_OK);
}

static struct hs_table *
load_ok(struct hs_sess *s, const char *name)
{
    struct hs_table *t = NULL;
    struct hs_err err = {0};
    int rc = hs_sess_dataset_load(s, name, &t, NULL, &err);
    if (rc)
        fprintf(stderr, "# load: %s\n", err.msg);
    assert_int_equal(rc, HS_OK);
    return t;
}

static long long
query_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void
test_default_path(void **state)
{
    char *p;

    (void)state;
    setenv("HOME", "/home/someone", 1);
    setenv("XDG_DATA_HOME", "/data/x", 1);
    p = hs_sess_default_path();
    assert_string_equal(p, "/data/x/hepscope/default.db");
    hs_free(p);
    setenv("XDG_DATA_HOME", "", 1);
    p = hs_sess_default_path();
    assert_string_equal(p, "/home/someone/.local/share/hepscope/default.db");
    hs_free(p);
    setenv("XDG_DATA_HOME", "relative/dir", 1);
    p = hs_sess_default_path();
    assert_string_equal(p, "/home/someone/.local/share/hepscope/default.db");
    hs_free(p);
    unsetenv("XDG_DATA_HOME");
    p = hs_sess_default_path();
    assert_string_equal(p, "/home/someone/.local/share/hepscope/default.db");
    hs_free(p);
}

static void
test_create(void **state)
{
    struct tu_fixture *f = *state;
    char *deep = tu_path(f->dir, "a/b/c/new.db");
    struct hs_sess *s = NULL;
    struct hs_err err = {0};
    char want[64];
    sqlite3 *db;
    sqlite3_stmt *st;

    /* Missing, read-only or without CREATE: refused, nothing made. */
    assert_int_equal(hs_sess_open(deep, HS_SESS_READONLY, &s, &err), HS_ESESSION);
    assert_null(s);
    assert_non_null(strstr(err.msg, "no session at"));
    assert_int_equal(hs_sess_open(deep, 0, &s, &err), HS_ESESSION);
    assert_false(tu_exists(deep));

    s = open_ok(deep, HS_SESS_CREATE);
    assert_string_equal(hs_sess_path(s), deep);
    assert_false(hs_sess_readonly(s));
    hs_sess_close(s);
    hs_sess_close(NULL);
    assert_true(tu_exists(deep));

    assert_int_equal(query_int(deep, "PRAGMA application_id"), 0x48536370);
    assert_int_equal(query_int(deep, "PRAGMA user_version"), HS_SESS_SCHEMA_VERSION);
    assert_int_equal(query_int(deep, "PRAGMA page_size"), 65536);
    assert_int_equal(query_int(deep, "SELECT value FROM meta WHERE key = 'schema_version'"),
                     HS_SESS_SCHEMA_VERSION);
    assert_int_equal(sqlite3_open_v2(deep, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'created_by'", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(want, sizeof want, "hepscope %s", PACKAGE_VERSION);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), want);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);

    /* An empty file becomes a session; opening again changes nothing. */
    fclose(fopen(f->db, "w"));
    s = open_ok(f->db, 0);
    hs_sess_close(s);
    assert_int_equal(query_int(f->db, "PRAGMA user_version"), HS_SESS_SCHEMA_VERSION);
    free(deep);
}

static void
count_progress(void *user, double fraction, const char *what)
{
    double *last = user;
    (void)what;
    assert_true(fraction >= last[0]);
    assert_true(fraction <= 1.0);
    last[0] = fraction;
    last[1] += 1;
}

static void
test_roundtrip(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *t = tu_table(200000, 42), *u;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    double prog[2] = {0, 0};
    struct hs_task task = {count_progress, prog, NULL};
    struct hs_dataset_info info;
    struct hs_err err = {0};
    size_t nsig = 0, nbkg = 0;

    assert_int_equal(
        hs_sess_dataset_store(s, "demo", t, false, "/data/demo.csv", 1234, 5678, &task, &err),
        HS_OK);
    assert_true(prog[1] >= 1);
    assert_true(prog[0] == 1.0);
    u = load_ok(s, "demo");
    assert_true(tu_tables_identical(t, u));
    hs_table_free(u);

    for (size_t r = 0; r < t->nrows; r++) {
        nsig += t->cols[3].v[r] == 1.0;
        nbkg += t->cols[3].v[r] == 0.0;
    }
    assert_int_equal(hs_sess_dataset_info(s, "demo", &info, &err), HS_OK);
    assert_string_equal(info.name, "demo");
    assert_int_equal(info.nrows, 200000);
    assert_int_equal(info.ncols, 7); /* all but the synthetic _label */
    assert_true(info.labelled);
    assert_int_equal(info.nsignal, nsig);
    assert_int_equal(info.nbackground, nbkg);
    assert_string_equal(info.source, "/data/demo.csv");
    assert_int_equal(info.source_size, 1234);
    assert_int_equal(info.source_mtime, 5678);
    assert_int_equal(strlen(info.created), 20); /* 2024-01-02T03:04:05Z */
    assert_int_equal(info.created[10], 'T');
    hs_dataset_info_release(&info);
    hs_sess_close(s);

    /* 8 columns of 4 chunks (3 full, one of 200000 - 3 * 65536 rows). */
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM chunks"), 32);
    assert_int_equal(query_int(f->db, "SELECT sum(length(data)) FROM chunks"), 8 * 200000 * 8);
    assert_int_equal(query_int(f->db, "SELECT length(data) FROM chunks WHERE chunk = 3 LIMIT 1"),
                     (200000 - 3 * 65536) * 8);

    /* Read-only, the WAL file made by a writer reads back the same. */
    s = open_ok(f->db, HS_SESS_READONLY);
    assert_true(hs_sess_readonly(s));
    u = load_ok(s, "demo");
    assert_true(tu_tables_identical(t, u));
    hs_table_free(u);
    hs_sess_close(s);
    hs_table_free(t);
}

/* The chunk format read independently: little-endian bytes of each value. */
static void
test_chunk_format(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *t = tu_numeric(70000, 2, 7);
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    sqlite3 *db;
    sqlite3_stmt *st;
    int nblobs = 0;

    store_ok(s, "n", t);
    hs_sess_close(s);
    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT c.name, k.chunk, k.data FROM chunks k JOIN columns c "
                           "ON c.dataset = k.dataset AND c.idx = k.col ORDER BY c.idx, k.chunk",
                           -1, &st, NULL),
        SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        int k = sqlite3_column_int(st, 1), n = sqlite3_column_bytes(st, 2) / 8;
        const unsigned char *b = sqlite3_column_blob(st, 2);
        size_t j = name[1] - '0';

        assert_int_equal(n, k == 0 ? 65536 : 70000 - 65536);
        for (int i = 0; i < n; i++) {
            uint64_t u = 0, want;
            for (int byte = 7; byte >= 0; byte--)
                u = u << 8 | b[8 * i + byte];
            memcpy(&want, &t->cols[j].v[(size_t)k * 65536 + (size_t)i], 8);
            if (u != want)
                fail_msg("column %s chunk %d value %d", name, k, i);
        }
        nblobs++;
    }
    assert_int_equal(nblobs, 4);
    sqlite3_finalize(st);
    sqlite3_close(db);
    hs_table_free(t);
}

static void
test_sizes(void **state)
{
    struct tu_fixture *f = *state;
    static const size_t sizes[] = {0, 1, 65535, 65536, 65537, 131072};
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_table *empty = hs_table_new(), *u;

    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        struct hs_table *t = tu_table(sizes[i], i);
        char name[32];
        snprintf(name, sizeof name, "n%zu", sizes[i]);
        store_ok(s, name, t);
        u = load_ok(s, name);
        assert_true(tu_tables_identical(t, u));
        hs_table_free(u);
        hs_table_free(t);
    }
    /* No columns at all. */
    store_ok(s, "nothing", empty);
    u = load_ok(s, "nothing");
    assert_true(tu_tables_identical(empty, u));
    hs_table_free(u);
    hs_table_free(empty);
    hs_sess_close(s);
}

static void
test_replace(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *a = tu_table(1000, 1), *b = tu_numeric(70000, 3, 2), *u;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_err err = {0};

    store_ok(s, "d", a);
    assert_int_equal(hs_sess_dataset_store(s, "d", b, false, NULL, -1, -1, NULL, &err), HS_EEXIST);
    assert_string_equal(err.msg, "dataset 'd' exists already");
    u = load_ok(s, "d");
    assert_true(tu_tables_identical(a, u));
    hs_table_free(u);
    assert_int_equal(hs_sess_dataset_store(s, "d", b, true, NULL, -1, -1, NULL, &err), HS_OK);
    u = load_ok(s, "d");
    assert_true(tu_tables_identical(b, u));
    hs_table_free(u);
    hs_sess_close(s);
    /* Nothing of the old one is left. */
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM datasets"), 1);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM columns"), 3);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM categories"), 0);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM chunks"), 6);
    hs_table_free(a);
    hs_table_free(b);
}

static void
test_drop_rename(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *a = tu_table(100, 1), *b = tu_table(200, 2), *u;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_dataset_info *list;
    struct hs_err err = {0};
    size_t n;

    assert_int_equal(hs_sess_dataset_drop(s, "a", &err), HS_ENOTFOUND);
    assert_string_equal(err.msg, "no dataset 'a' (the session holds none)");
    store_ok(s, "b", b);
    store_ok(s, "a", a);
    assert_int_equal(hs_sess_datasets(s, &list, &n, &err), HS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].name, "a");
    assert_int_equal(list[0].nrows, 100);
    assert_string_equal(list[1].name, "b");
    assert_int_equal(list[1].nrows, 200);
    assert_null(list[1].source);
    assert_int_equal(list[1].source_size, -1);
    hs_dataset_info_free(list, n);

    assert_int_equal(hs_sess_dataset_rename(s, "a", "b", &err), HS_EEXIST);
    assert_string_equal(err.msg, "dataset 'b' exists already");
    assert_int_equal(hs_sess_dataset_rename(s, "zz", "y", &err), HS_ENOTFOUND);
    assert_string_equal(err.msg, "no dataset 'zz' (datasets: a, b)");
    assert_int_equal(hs_sess_dataset_rename(s, "a", "", &err), HS_EUSAGE);
    assert_int_equal(hs_sess_dataset_rename(s, "a", "a", &err), HS_OK);
    assert_int_equal(hs_sess_dataset_rename(s, "a", "c", &err), HS_OK);
    u = load_ok(s, "c");
    assert_true(tu_tables_identical(a, u));
    hs_table_free(u);
    assert_int_equal(hs_sess_dataset_load(s, "a", &u, NULL, &err), HS_ENOTFOUND);
    assert_null(u);
    assert_string_equal(err.msg, "no dataset 'a' (datasets: b, c)");

    assert_int_equal(hs_sess_dataset_drop(s, "b", &err), HS_OK);
    assert_int_equal(hs_sess_datasets(s, &list, &n, &err), HS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].name, "c");
    hs_dataset_info_free(list, n);
    hs_sess_close(s);
    /* Only c's rows remain. */
    assert_int_equal(query_int(f->db, "SELECT count(DISTINCT dataset) FROM chunks"), 1);
    assert_int_equal(query_int(f->db, "SELECT count(DISTINCT dataset) FROM columns"), 1);
    assert_int_equal(query_int(f->db, "SELECT count(DISTINCT dataset) FROM categories"), 1);
    hs_table_free(a);
    hs_table_free(b);
}

static void
test_hostile_names(void **state)
{
    struct tu_fixture *f = *state;
    static const char *const names[] = {
        "x\"); drop table datasets; --",
        "'; drop table chunks; --",
        "\"",
        "[x]",
        "`y`",
        "ünïcödé",
        "a b",
        "select",
    };
    const char *dname = "x\"); drop table datasets; --";
    struct hs_table *t = hs_table_new(), *u;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_dataset_info *list;
    struct hs_err err = {0};
    size_t n;

    for (size_t j = 0; j < sizeof names / sizeof *names; j++)
        assert_int_equal(hs_table_add_column(t, names[j], HS_COL_NUMBER, NULL, NULL), HS_OK);
    assert_int_equal(hs_table_resize(t, 10), HS_OK);
    for (size_t j = 0; j < t->ncols; j++)
        for (size_t r = 0; r < 10; r++)
            t->cols[j].v[r] = (double)(j * 100 + r);
    store_ok(s, dname, t);
    store_ok(s, "it's", t);
    u = load_ok(s, dname);
    assert_true(tu_tables_identical(t, u));
    hs_table_free(u);
    assert_int_equal(hs_sess_dataset_rename(s, "it's", "'); drop table journal; --", &err), HS_OK);
    assert_int_equal(hs_sess_datasets(s, &list, &n, &err), HS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].name, "'); drop table journal; --");
    assert_string_equal(list[1].name, dname);
    hs_dataset_info_free(list, n);
    assert_int_equal(hs_sess_dataset_drop(s, dname, &err), HS_OK);
    hs_sess_close(s);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                                      "AND name IN ('meta', 'datasets', 'columns', 'categories', "
                                      "'chunks', 'journal')"),
                     6);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM datasets"), 1);
    hs_table_free(t);
}

struct journal_seen {
    int n;
    int64_t last_id;
    char cmds[4][64];
    int stop_at;
};

static int
journal_cb(void *user, int64_t id, const char *when, const char *command)
{
    struct journal_seen *j = user;

    assert_true(id > j->last_id);
    assert_int_equal(strlen(when), 24); /* 2024-01-02T03:04:05.678Z */
    j->last_id = id;
    if (j->n < 4)
        snprintf(j->cmds[j->n], sizeof j->cmds[0], "%s", command);
    j->n++;
    return j->n == j->stop_at ? 77 : 0;
}

static void
test_journal(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct journal_seen j = {0, 0, {""}, 0};
    struct hs_err err = {0};

    assert_int_equal(hs_sess_journal_append(s, "import a.csv --name a", &err), HS_OK);
    assert_int_equal(hs_sess_journal_append(s, "rename a b", &err), HS_OK);
    /* A rolled-back change takes its journal line with it. */
    assert_int_equal(hs_sess_begin(s, &err), HS_OK);
    assert_int_equal(hs_sess_begin(s, &err), HS_EUSAGE);
    assert_int_equal(hs_sess_journal_append(s, "drop b", &err), HS_OK);
    hs_sess_rollback(s);
    assert_int_equal(hs_sess_begin(s, &err), HS_OK);
    assert_int_equal(hs_sess_journal_append(s, "x'; drop table journal; --", &err), HS_OK);
    assert_int_equal(hs_sess_commit(s, &err), HS_OK);
    assert_int_equal(hs_sess_journal_each(s, journal_cb, &j, &err), HS_OK);
    assert_int_equal(j.n, 3);
    assert_string_equal(j.cmds[0], "import a.csv --name a");
    assert_string_equal(j.cmds[1], "rename a b");
    assert_string_equal(j.cmds[2], "x'; drop table journal; --");
    memset(&j, 0, sizeof j);
    j.stop_at = 2;
    assert_int_equal(hs_sess_journal_each(s, journal_cb, &j, &err), 77);
    assert_int_equal(j.n, 2);
    hs_sess_close(s);
}

static void
test_transaction(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *t = tu_table(5000, 3);
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_dataset_info *list;
    struct hs_err err = {0};
    size_t n;

    assert_int_equal(hs_sess_begin(s, &err), HS_OK);
    store_ok(s, "a", t);
    store_ok(s, "b", t);
    /* A failing store inside the transaction undoes only itself. */
    assert_int_equal(hs_sess_dataset_store(s, "a", t, false, NULL, -1, -1, NULL, &err), HS_EEXIST);
    assert_int_equal(hs_sess_dataset_drop(s, "b", &err), HS_OK);
    assert_int_equal(hs_sess_commit(s, &err), HS_OK);
    assert_int_equal(hs_sess_datasets(s, &list, &n, &err), HS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].name, "a");
    hs_dataset_info_free(list, n);

    assert_int_equal(hs_sess_begin(s, &err), HS_OK);
    store_ok(s, "c", t);
    hs_sess_rollback(s);
    assert_int_equal(hs_sess_datasets(s, &list, &n, &err), HS_OK);
    assert_int_equal(n, 1);
    hs_dataset_info_free(list, n);
    /* Closing with a transaction open rolls it back. */
    assert_int_equal(hs_sess_begin(s, &err), HS_OK);
    store_ok(s, "d", t);
    hs_sess_close(s);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM datasets"), 1);
    hs_table_free(t);
}

static void
test_readonly(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *t = tu_table(100, 3), *u;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_err err = {0};

    store_ok(s, "a", t);
    hs_sess_close(s);
    s = open_ok(f->db, HS_SESS_READONLY | HS_SESS_CREATE);
    assert_int_equal(hs_sess_dataset_store(s, "b", t, false, NULL, -1, -1, NULL, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "read-only"));
    assert_int_equal(hs_sess_dataset_drop(s, "a", &err), HS_EUSAGE);
    assert_int_equal(hs_sess_dataset_rename(s, "a", "b", &err), HS_EUSAGE);
    assert_int_equal(hs_sess_journal_append(s, "x", &err), HS_EUSAGE);
    assert_int_equal(hs_sess_begin(s, &err), HS_EUSAGE);
    u = load_ok(s, "a");
    assert_true(tu_tables_identical(t, u));
    hs_table_free(u);
    hs_sess_close(s);
    hs_table_free(t);
}

/* A second writer, in another process, waits briefly and gets HS_EBUSY. */
static void
test_busy(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *t = tu_table(100, 3);
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE), *s2;
    struct hs_err err = {0};
    int go[2], done[2], status;
    char c;
    double t0;
    pid_t pid;

    hs_sess_close(s);
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(done), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct hs_sess *w = NULL;
        int ok = hs_sess_open(f->db, 0, &w, NULL) == HS_OK && hs_sess_begin(w, NULL) == HS_OK &&
                 hs_sess_journal_append(w, "child", NULL) == HS_OK;
        c = ok ? 'y' : 'n';
        if (write(go[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
            _exit(2);
        ok = ok && hs_sess_commit(w, NULL) == HS_OK;
        hs_sess_close(w);
        _exit(ok ? 0 : 1);
    }
    assert_int_equal(read(go[0], &c, 1), 1);
    assert_int_equal(c, 'y');

    s = open_ok(f->db, 0); /* opening is fine; writing is not */
    t0 = tu_now();
    assert_int_equal(hs_sess_dataset_store(s, "a", t, false, NULL, -1, -1, NULL, &err), HS_EBUSY);
    assert_true(tu_now() - t0 < 5.0);
    assert_true(tu_now() - t0 > 0.5);
    assert_non_null(strstr(err.msg, "session is busy (another hepscope is writing to it); try "
                                    "again when it is done"));
    assert_non_null(strstr(err.msg, f->db));
    assert_int_equal(hs_sess_begin(s, &err), HS_EBUSY);
    assert_int_equal(hs_sess_journal_append(s, "parent", &err), HS_EBUSY);
    /* Readers are not held up. */
    s2 = open_ok(f->db, HS_SESS_READONLY);
    hs_sess_close(s2);

    assert_int_equal(write(done[1], "x", 1), 1);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    store_ok(s, "a", t);
    hs_sess_close(s);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM journal WHERE command = 'child'"), 1);
    close(go[0]);
    close(go[1]);
    close(done[0]);
    close(done[1]);
    hs_table_free(t);
}

struct canceller {
    atomic_int *flag;
    double delay;
    double raised_at;
};

static void *
cancel_later(void *arg)
{
    struct canceller *c = arg;
    struct timespec ts = {0, (long)(c->delay * 1e9)};
    nanosleep(&ts, NULL);
    c->raised_at = tu_now();
    atomic_store(c->flag, 1);
    return NULL;
}

static void
test_cancel(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *t = tu_numeric(1000000, 8, 5), *small = tu_table(10, 1), *u = NULL;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    atomic_int flag = 1;
    struct hs_task task = {NULL, NULL, &flag};
    struct canceller c = {&flag, 0.01, 0};
    struct hs_err err = {0};
    pthread_t th;
    double end;
    int rc;

    store_ok(s, "keep", small);
    /* Raised before the start. */
    assert_int_equal(hs_sess_dataset_store(s, "big", t, false, NULL, -1, -1, &task, &err),
                     HS_ECANCELLED);
    /* Raised while storing: a fast return, nothing stored. */
    atomic_store(&flag, 0);
    assert_int_equal(pthread_create(&th, NULL, cancel_later, &c), 0);
    rc = hs_sess_dataset_store(s, "big", t, false, NULL, -1, -1, &task, &err);
    end = tu_now();
    pthread_join(th, NULL);
    assert_int_equal(rc, HS_ECANCELLED);
    /* task.h promises 100 ms; twice that leaves room for a loaded machine. */
    assert_true(end - c.raised_at < 0.2);
    assert_int_equal(hs_sess_dataset_load(s, "big", &u, NULL, &err), HS_ENOTFOUND);

    /* Loading is cancelled alike, with nothing handed out. */
    atomic_store(&flag, 0);
    store_ok(s, "big", t);
    atomic_store(&flag, 1);
    assert_int_equal(hs_sess_dataset_load(s, "big", &u, &task, &err), HS_ECANCELLED);
    assert_null(u);
    hs_sess_close(s);
    assert_int_equal(query_int(f->db, "SELECT count(*) FROM datasets"), 2);
    hs_table_free(t);
    hs_table_free(small);
}

/* Every engine allocation of a load, a listing and a store failing in
 * turn: a clean HS_ENOMEM, no leak (the sanitizer build checks), and the
 * session as before. */
static void
test_alloc_failures(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *t = tu_table(70000, 9), *u;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_dataset_info *list;
    struct hs_err err = {0};
    size_t n;
    int rc, okcount = 0;

    store_ok(s, "t", t);
    for (long k = 0; k < 200; k++) {
        u = NULL;
        hs_mem_fail_after(k);
        rc = hs_sess_dataset_load(s, "t", &u, NULL, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK) {
            assert_true(tu_tables_identical(t, u));
            hs_table_free(u);
            okcount++;
            break;
        }
        assert_int_equal(rc, HS_ENOMEM);
        assert_null(u);
    }
    assert_int_equal(okcount, 1);
    for (long k = 0; k < 50; k++) {
        hs_mem_fail_after(k);
        rc = hs_sess_datasets(s, &list, &n, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK) {
            assert_int_equal(n, 1);
            hs_dataset_info_free(list, n);
            break;
        }
        assert_int_equal(rc, HS_ENOMEM);
    }
    for (long k = 0; k < 50; k++) {
        char *p;
        hs_mem_fail_after(k);
        p = hs_sess_default_path();
        hs_mem_fail_after(-1);
        if (p) {
            hs_free(p);
            break;
        }
    }
    for (long k = 0; k < 50; k++) {
        struct hs_sess *s2 = NULL;
        hs_mem_fail_after(k);
        rc = hs_sess_open(f->db, 0, &s2, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK) {
            hs_sess_close(s2);
            break;
        }
        assert_int_equal(rc, HS_ENOMEM);
        assert_null(s2);
    }
    hs_sess_close(s);
    hs_table_free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_path),
        cmocka_unit_test_setup_teardown(test_create, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_chunk_format, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_sizes, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_replace, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_drop_rename, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_hostile_names, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_journal, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_transaction, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_readonly, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_busy, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_cancel, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failures, tu_setup, tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

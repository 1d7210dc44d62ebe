/* Unit tests of opening session files safely: foreign objects, damaged,
 * truncated, garbage and too-new files are refused with HS_ESESSION and
 * left byte for byte as they were, with no -wal or -shm file made. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <strings.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "sessions/models.h"
#include "sessions/results.h"
#include "sessions/sess_int.h"
#include "sessions/session.h"
#include "test_sess_raw.h"
#include "test_sess_util.h"


/* A session holding one dataset, closed (its WAL folded in). */
static void
make_session(const char *path, size_t nrows)
{
    struct hs_table *t = tu_table(nrows, 11);
    struct hs_sess *s = NULL;
    struct hs_err err = {0};

    assert_int_equal(hs_sess_open(path, HS_SESS_CREATE, &s, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_store(s, "d", t, false, NULL, -1, -1, NULL, &err), HS_OK);
    assert_int_equal(hs_sess_journal_append(s, "import d.csv", &err), HS_OK);
    hs_sess_close(s);
    hs_table_free(t);
    assert_false(tu_exists2(path, "-wal"));
}

static void
exec_raw(const char *path, const char *sql)
{
    sqlite3 *db;
    char *msg = NULL;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    assert_false(tu_exists2(path, "-wal"));
}

/* Open read-only and read-write: both refused with HS_ESESSION and a
 * message holding want; the file unchanged and nothing made beside it. */
static void
assert_refused(const char *path, const char *want)
{
    static const unsigned flags[] = {HS_SESS_READONLY, 0, HS_SESS_CREATE};
    size_t n;
    struct stat st;
    int is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    unsigned char *before = is_dir ? NULL : tu_slurp(path, &n);

    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        struct hs_sess *s = NULL;
        struct hs_err err = {0};
        int rc = hs_sess_open(path, flags[i], &s, &err);

        if (rc != HS_ESESSION || !strstr(err.msg, want))
            fail_msg("flags %u: got %d '%s', want HS_ESESSION with '%s'", flags[i], rc, err.msg,
                     want);
        assert_null(s);
        assert_non_null(strstr(err.msg, path));
        assert_true(is_dir || tu_same_bytes(before, n, path));
        assert_false(tu_exists2(path, "-wal"));
        assert_false(tu_exists2(path, "-shm"));
        assert_false(tu_exists2(path, "-journal"));
    }
    free(before);
}

/* Read-only only: refused, the file unchanged. */
static void
assert_refused_ro(const char *path, const char *want)
{
    size_t n;
    unsigned char *before = tu_slurp(path, &n);
    struct hs_sess *s = NULL;
    struct hs_err err = {0};
    int rc = hs_sess_open(path, HS_SESS_READONLY, &s, &err);

    if (rc != HS_ESESSION || !strstr(err.msg, want))
        fail_msg("got %d '%s', want HS_ESESSION with '%s'", rc, err.msg, want);
    assert_true(tu_same_bytes(before, n, path));
    free(before);
}

static void
test_foreign_objects(void **state)
{
    struct tu_fixture *f = *state;
    static const char *const cases[][2] = {
        {"CREATE TRIGGER evil AFTER INSERT ON datasets BEGIN DELETE FROM journal; END",
         "trigger 'evil'"},
        {"CREATE VIEW v AS SELECT * FROM datasets", "view 'v'"},
        {"CREATE TABLE extra(x)", "table 'extra'"},
        {"CREATE INDEX ix ON datasets(nrows)", "index 'ix'"},
        {"ALTER TABLE datasets ADD COLUMN evil DEFAULT 1", "table 'datasets' is not as hepscope"},
        {"DROP TABLE journal", "table 'journal' is missing"},
        {"PRAGMA application_id = 0", "not a hepscope session"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        remove(f->db);
        make_session(f->db, 1000);
        exec_raw(f->db, cases[i][0]);
        assert_refused(f->db, cases[i][1]);
    }
    /* What ANALYZE adds in the sqlite3 shell is harmless and accepted. */
    remove(f->db);
    make_session(f->db, 1000);
    exec_raw(f->db, "ANALYZE");
    {
        struct hs_sess *s = NULL;
        struct hs_err err = {0};
        assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_OK);
        hs_sess_close(s);
    }
}

static void
test_newer_version(void **state)
{
    struct tu_fixture *f = *state;
    char sql[64], want[128];

    make_session(f->db, 100);
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", HS_SESS_SCHEMA_VERSION + 1);
    snprintf(want, sizeof want,
             "written by a newer hepscope (schema version %d; this one reads up to %d)",
             HS_SESS_SCHEMA_VERSION + 1, HS_SESS_SCHEMA_VERSION);
    exec_raw(f->db, sql);
    assert_refused(f->db, want);
}

/* The schema objects of a file, "type name tbl sql" lines by name. */
static char *
schema_text(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char *text;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT group_concat(type || ' ' || name || ' ' || "
                                        "tbl_name || ' ' || ifnull(sql, '-'), char(10)) FROM "
                                        "(SELECT * FROM sqlite_schema ORDER BY name)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    text = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return text;
}

/* Make f->db a file of an older version: the session of make_session
 * (plus a feature row when version 2 keeps features, and a cut set when
 * version 3 keeps cut sets) with every table the older version did not
 * have dropped, and its version numbers set back.  Later versions only added tables so far; a step that changes
 * one will need this to make its older file differently. */
static void
make_old_session(const char *path, int version)
{
    static const char *const v1 = "'meta', 'datasets', 'columns', 'categories', 'chunks', "
                                  "'journal'";
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[800], *drop;

    make_session(path, 1000);
    exec_raw(path, "INSERT INTO features (dataset, position, name, expr, enabled) "
                   "SELECT id, 0, 'twice_x', 'x * 2', 1 FROM datasets WHERE name = 'd'");
    exec_raw(path, "INSERT INTO cutsets (dataset, name, kind, npoints, created) "
                   "SELECT id, 'loose', 'set', 1, 'now' FROM datasets WHERE name = 'd'");
    /* (The raw connection has foreign keys off: any order of drops.) */
    snprintf(sql, sizeof sql,
             "SELECT group_concat('DROP TABLE \"' || name || '\"', ';') FROM "
             "(SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT IN (%s%s%s))",
             v1, version >= 2 ? ", 'features'" : "",
             version >= 3 ? ", 'splits', 'cutsets', 'cuts'" : "");
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    drop = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_exec(db, drop, NULL, NULL, NULL), SQLITE_OK);
    snprintf(sql, sizeof sql,
             "PRAGMA user_version = %d; UPDATE meta SET value = '%d' WHERE key = 'schema_version'",
             version, version);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    free(drop);
}

/* An older file is refused read-only and upgraded by a writer to exactly
 * the schema of a new file, its data kept, the new tables working. */
static void
check_upgrade(struct tu_fixture *f, int version)
{
    struct hs_sess *s = NULL;
    struct hs_table *t = tu_table(1000, 11), *u = NULL;
    struct hs_err err = {0};
    struct hs_split sp = {{0.5, 0.25, 0.25}, 9, 1000, NULL, {0, 0, 0}}, back;
    sqlite3 *db;
    sqlite3_stmt *st;
    char *fresh_path = tu_path(f->dir, "fresh.db"), *want, *got;
    int has_v2 = version >= 2, has_v3 = version >= 3;
    struct hs_model_rec model, mback;
    struct hs_model_feature feat = {"x", NULL};
    struct hs_epoch_info epoch = {1, 0.5, NAN, NAN, 1.5, 1e-3};
    unsigned char net[3] = {1, 0, 2};

    make_old_session(f->db, version);
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                            "('features', 'splits', 'cutsets', 'cuts', 'models', "
                                            "'model_features', 'model_epochs')",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), has_v2 + 3 * has_v3);
    sqlite3_finalize(st);
    sqlite3_close(db);

    assert_refused_ro(f->db, "written by an older hepscope; open it once for writing");
    assert_int_equal(hs_sess_open(f->db, 0, &s, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_load(s, "d", &u, NULL, &err), HS_OK);
    assert_true(tu_tables_identical(t, u));
    hs_table_free(u);
    /* The tables of version 3 work on the upgraded file. */
    sp.part = calloc(1000, 1);
    for (size_t i = 0; i < 1000; i++)
        sp.part[i] = (uint8_t)(i % 3);
    assert_int_equal(hs_sess_split_save(s, "d", &sp, &err), HS_OK);
    assert_int_equal(hs_sess_split_load(s, "d", &back, &err), HS_OK);
    assert_memory_equal(back.part, sp.part, 1000);
    hs_free(back.part);
    free(sp.part);
    /* And those of version 4. */
    memset(&model, 0, sizeof model);
    model.name = "m";
    model.dataset = "d";
    model.split_frac[0] = 1;
    model.nfeatures = 1;
    model.features = &feat;
    model.blob = net;
    model.bloblen = sizeof net;
    model.nepochs = 1;
    model.curve = &epoch;
    model.best_epoch = 1;
    model.test_auc = model.test_bkg95 = NAN;
    assert_int_equal(hs_sess_model_save(s, &model, false, &err), HS_OK);
    assert_int_equal(hs_sess_model_load(s, "m", &mback, &err), HS_OK);
    assert_int_equal(mback.bloblen, 3);
    assert_memory_equal(mback.blob, net, 3);
    assert_string_equal(mback.features[0].name, "x");
    assert_true(isnan(mback.curve[0].val_loss));
    hs_model_rec_release(&mback);
    hs_sess_close(s);
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), HS_SESS_SCHEMA_VERSION);
    sqlite3_finalize(st);
    /* A version 2 file keeps its features; version 1 had none. */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM features WHERE name = 'twice_x'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), has_v2);
    sqlite3_finalize(st);
    /* A version 3 file keeps its cut sets. */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM cutsets WHERE name = 'loose'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), has_v3);
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* Upgraded, it has the schema text of a new file, and reads as one. */
    assert_int_equal(hs_sess_open(fresh_path, HS_SESS_CREATE, &s, &err), HS_OK);
    hs_sess_close(s);
    want = schema_text(fresh_path);
    got = schema_text(f->db);
    assert_string_equal(got, want);
    assert_non_null(strstr(want, "CREATE TABLE cuts ("));
    assert_non_null(strstr(want, "CREATE TABLE model_epochs ("));
    free(want);
    free(got);
    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_OK);
    hs_sess_close(s);
    hs_table_free(t);
    free(fresh_path);
}

/* Version 1 to the current one (through every step). */
static void
test_upgrade(void **state)
{
    if (HS_SESS_SCHEMA_VERSION == 1)
        skip();
    check_upgrade(*state, 1);
}

/* Version 2 (features, before splits and cut sets) to the current one. */
static void
test_upgrade_v2(void **state)
{
    if (HS_SESS_SCHEMA_VERSION <= 2)
        skip();
    check_upgrade(*state, 2);
}

/* Version 3 (splits and cut sets, before models) to the current one. */
static void
test_upgrade_v3(void **state)
{
    if (HS_SESS_SCHEMA_VERSION <= 3)
        skip();
    check_upgrade(*state, 3);
}

static void
test_truncated(void **state)
{
    struct tu_fixture *f = *state;
    size_t n, cuts[4];
    unsigned char *whole;

    make_session(f->db, 200000);
    whole = tu_slurp(f->db, &n);
    assert_true(n > 10 * 65536);
    cuts[0] = n / 2;
    cuts[1] = n - 1;
    cuts[2] = 65536;
    cuts[3] = 60;
    for (size_t i = 0; i < 4; i++) {
        FILE *out = fopen(f->db, "wb");
        assert_int_equal(fwrite(whole, 1, cuts[i], out), cuts[i]);
        fclose(out);
        assert_refused(f->db, "the session file is damaged (truncated");
    }
    free(whole);
}

static void
test_garbage(void **state)
{
    struct tu_fixture *f = *state;
    uint64_t seed = 99;
    FILE *out = fopen(f->db, "wb");

    for (int i = 0; i < 100000; i++)
        fputc((int)(tu_rand(&seed) & 0xff), out);
    fclose(out);
    assert_refused(f->db, "not a hepscope session (not an SQLite database)");
    out = fopen(f->db, "wb");
    fputs("name,value\na,1\n", out);
    fclose(out);
    assert_refused(f->db, "not a hepscope session (not an SQLite database)");
    /* An SQLite database of some other program. */
    remove(f->db);
    {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
        assert_int_equal(
            sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1)", NULL, NULL, NULL),
            SQLITE_OK);
        sqlite3_close(db);
    }
    assert_refused(f->db, "not a hepscope session (an SQLite database of another program)");
    /* A folder. */
    assert_refused(f->dir, "not a hepscope session (a folder)");
}

/* An empty file is a new session for a writer, an error for a reader. */
static void
test_empty_file(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = NULL;
    struct hs_err err = {0};

    fclose(fopen(f->db, "w"));
    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_ESESSION);
    assert_non_null(strstr(err.msg, "an empty file"));
    assert_false(tu_exists2(f->db, "-wal"));
    /* A writer that needs an existing session leaves it alone too. */
    assert_int_equal(hs_sess_open(f->db, HS_SESS_EXISTING, &s, &err), HS_ESESSION);
    assert_non_null(strstr(err.msg, "not a hepscope session (an empty file)"));
    {
        struct stat st;
        assert_int_equal(stat(f->db, &st), 0);
        assert_int_equal(st.st_size, 0);
    }
    assert_false(tu_exists2(f->db, "-wal"));
    assert_int_equal(hs_sess_open(f->db, 0, &s, &err), HS_OK);
    hs_sess_close(s);
}

/* Damage inside the file, past the header: whatever is asked, the answer
 * is a result or HS_ESESSION, never a crash; read-only work leaves the
 * bytes as they were. */
static int
count_rows(void *user, int ncols, const char *const *names, const char *const *values,
           const bool *is_num)
{
    (void)ncols;
    (void)names;
    (void)is_num;
    if (values)
        ++*(int *)user;
    return 0;
}

static void
test_damaged_inside(void **state)
{
    struct tu_fixture *f = *state;
    uint64_t seed = 1234;
    size_t n;
    unsigned char *whole;
    int refused_open = 0, refused_later = 0;

    make_session(f->db, 150000);
    whole = tu_slurp(f->db, &n);
    for (int round = 0; round < 40; round++) {
        unsigned char *copy = malloc(n), *before;
        size_t nb;
        struct hs_sess *s = NULL;
        struct hs_err err = {0};
        FILE *out;
        int rc;

        memcpy(copy, whole, n);
        /* A few runs of random bytes, most often in the b-tree pages at
         * the start of the file, where they do most harm. */
        for (int k = 0; k < 1 + round % 4; k++) {
            size_t page = (size_t)(tu_rand(&seed) % 8), at, len;
            if (round % 2) { /* a page's b-tree header or first cells */
                at = page * 65536 + (page ? 0 : 100) + (size_t)(tu_rand(&seed) % 64);
                len = 1 + tu_rand(&seed) % 16;
            } else { /* a longer run anywhere */
                at = 100 + (size_t)(tu_rand(&seed) % (n - 200));
                len = 1 + tu_rand(&seed) % 4096;
            }
            for (size_t b = 0; b < len && at + b < n; b++)
                copy[at + b] = (unsigned char)tu_rand(&seed);
        }
        out = fopen(f->db, "wb");
        assert_int_equal(fwrite(copy, 1, n, out), n);
        fclose(out);
        before = tu_slurp(f->db, &nb);
        rc = hs_sess_open(f->db, HS_SESS_READONLY, &s, &err);
        if (rc) {
            assert_int_equal(rc, HS_ESESSION);
            refused_open++;
        } else {
            struct hs_table *t = NULL;
            struct hs_dataset_info *list = NULL;
            size_t nl;
            int rows = 0;

            rc = hs_sess_dataset_load(s, "d", &t, NULL, &err);
            if (rc != HS_OK && rc != HS_ENOTFOUND && rc != HS_ESESSION)
                fail_msg("load: %d %s", rc, err.msg);
            refused_later += rc == HS_ESESSION;
            hs_table_free(t);
            rc = hs_sess_datasets(s, &list, &nl, &err);
            if (rc != HS_OK && rc != HS_ESESSION)
                fail_msg("datasets: %d %s", rc, err.msg);
            if (rc == HS_OK)
                hs_dataset_info_free(list, nl);
            rc = hs_sess_sql(s, "select count(*), avg(x), max(type) from events('d')", count_rows,
                             &rows, &err);
            if (rc != HS_OK && rc != HS_ESESSION && rc != HS_ENOTFOUND && rc != HS_EUSAGE)
                fail_msg("sql: %d %s", rc, err.msg);
            hs_sess_close(s);
        }
        assert_true(tu_same_bytes(before, nb, f->db));
        free(before);
        free(copy);
        remove(f->db);
        {
            char side[4096];
            snprintf(side, sizeof side, "%s-wal", f->db);
            remove(side);
            snprintf(side, sizeof side, "%s-shm", f->db);
            remove(side);
        }
    }
    fprintf(stderr, "# damaged files: %d refused at open, %d when loading\n", refused_open,
            refused_later);
    assert_true(refused_open + refused_later > 0);
    free(whole);
}

/* A writer killed before it could close leaves its committed work in the
 * WAL: a reader (and a later writer) sees it. */
static void
test_wal_left_behind(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *t = tu_table(100000, 5), *u = NULL;
    struct hs_sess *s = NULL;
    struct hs_err err = {0};
    int status;
    pid_t pid;

    make_session(f->db, 10);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct hs_sess *w = NULL;
        if (hs_sess_open(f->db, 0, &w, NULL) ||
            hs_sess_dataset_store(w, "late", t, false, NULL, -1, -1, NULL, NULL))
            _exit(1);
        raise(SIGKILL);
        _exit(2);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_true(tu_exists2(f->db, "-wal"));
    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_load(s, "late", &u, NULL, &err), HS_OK);
    assert_true(tu_tables_identical(t, u));
    hs_table_free(u);
    hs_sess_close(s);
    assert_int_equal(hs_sess_open(f->db, 0, &s, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_load(s, "late", &u, NULL, &err), HS_OK);
    assert_true(tu_tables_identical(t, u));
    hs_table_free(u);
    hs_sess_close(s);
    hs_table_free(t);
}

static int
ignore_rows(void *user, int ncols, const char *const *names, const char *const *values,
            const bool *is_num)
{
    (void)user;
    (void)ncols;
    (void)names;
    (void)values;
    (void)is_num;
    return 0;
}

/* Chunks missing or of the wrong size: found when read, reported as
 * damage, never read past. */
static void
test_bad_chunks(void **state)
{
    struct tu_fixture *f = *state;
    static const char *const cases[][2] = {
        {"DELETE FROM chunks WHERE col = 1 AND chunk = 1", "dataset 'd': chunk 1 of column 1"},
        {"UPDATE chunks SET data = substr(data, 1, 1000) WHERE col = 2 AND chunk = 0",
         "dataset 'd': chunk 0 of column 2 has 1000 bytes, not 524288"},
        {"UPDATE chunks SET data = data || x'00' WHERE col = 0 AND chunk = 2",
         "dataset 'd': chunk 2 of column 0 has"},
        {"INSERT INTO chunks VALUES ((SELECT id FROM datasets), 0, 7, x'00')",
         "dataset 'd': unexpected chunk 7 of column 0"},
        {"UPDATE datasets SET nrows = nrows + 1", "dataset 'd'"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct hs_sess *s = NULL;
        struct hs_table *t = NULL;
        struct hs_err err = {0};
        char want[200];
        int rc;

        remove(f->db);
        make_session(f->db, 150000);
        exec_raw(f->db, cases[i][0]);
        assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_OK);
        assert_int_equal(hs_sess_dataset_load(s, "d", &t, NULL, &err), HS_ESESSION);
        assert_null(t);
        snprintf(want, sizeof want, "%s: the session file is damaged (%s", f->db, cases[i][1]);
        if (strncmp(err.msg, want, strlen(want)) != 0)
            fail_msg("got '%s', want '%s...'", err.msg, want);
        rc = hs_sess_sql(s, "select sum(bits), sum(x), max(type), count(*) from events('d')",
                         ignore_rows, NULL, &err);
        if (rc != (i == 3 ? HS_OK : HS_ESESSION))
            fail_msg("case %zu: sql gave %d %s", i, rc, err.msg);
        if (rc)
            assert_non_null(strstr(err.msg, "the session file is damaged (dataset "));
        hs_sess_close(s);
    }
}

/* A planted row count (far beyond the data, past it by one, short of it,
 * none): loading and events() both call it damage, at once, instead of
 * scanning forever or reading past the end. */
static void
test_planted_nrows(void **state)
{
    struct tu_fixture *f = *state;
    static const char *const counts[] = {"1000000000000000", "150001", "149999", "65536", "0",
                                         "4611686018427387904"};

    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
        struct hs_sess *s = NULL;
        struct hs_table *t = NULL;
        struct hs_err err = {0};
        struct timespec t0, t1;
        char sql[120], want[200];
        int rc;

        remove(f->db);
        make_session(f->db, 150000);
        snprintf(sql, sizeof sql, "UPDATE datasets SET nrows = %s", counts[i]);
        exec_raw(f->db, sql);
        snprintf(want, sizeof want, "%s: the session file is damaged (dataset 'd'", f->db);
        assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_OK);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        assert_int_equal(hs_sess_dataset_load(s, "d", &t, NULL, &err), HS_ESESSION);
        assert_null(t);
        if (strncmp(err.msg, want, strlen(want)) != 0)
            fail_msg("count %s: load gave '%s'", counts[i], err.msg);
        rc = hs_sess_sql(s, "select count(*) from events('d')", ignore_rows, NULL, &err);
        if (rc != HS_ESESSION || strncmp(err.msg, want, strlen(want)) != 0)
            fail_msg("count %s: sql gave %d '%s'", counts[i], rc, err.msg);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        assert_true(t1.tv_sec - t0.tv_sec < 2);
        hs_sess_close(s);
    }
}

/* A planted label other than 0 or 1 (2, -1, 0.5, NaN: import stores no
 * event without a label) in the second chunk: loading and events() call
 * it damage and name the dataset and the event. */
static void
test_planted_label(void **state)
{
    struct tu_fixture *f = *state;
    /* little-endian doubles */
    static const char *const values[][2] = {
        {"0000000000000040", "2"},
        {"000000000000F0BF", "-1"},
        {"000000000000E03F", "0.5"},
        {"000000000000F87F", "nan"},
    };

    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        struct hs_sess *s = NULL;
        struct hs_table *t = NULL;
        struct hs_err err = {0};
        char sql[300], want[200];
        int rc;

        remove(f->db);
        make_session(f->db, 150000);
        /* event 65536 + 5 + 1: the sixth of chunk 1 */
        snprintf(sql, sizeof sql,
                 "UPDATE chunks SET data = CAST(substr(data, 1, 40) || x'%s' || substr(data, 49) "
                 "AS BLOB) WHERE chunk = 1 AND col = (SELECT idx FROM columns WHERE role = "
                 "'label')",
                 values[i][0]);
        exec_raw(f->db, sql);
        assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM chunks WHERE chunk = 1 AND "
                                           "length(data) = 524288 AND typeof(data) = 'blob'"),
                         8);
        snprintf(want, sizeof want,
                 "%s: the session file is damaged (dataset 'd': event 65542 has the label ",
                 f->db);
        assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_OK);
        assert_int_equal(hs_sess_dataset_load(s, "d", &t, NULL, &err), HS_ESESSION);
        assert_null(t);
        if (strncmp(err.msg, want, strlen(want)) != 0 ||
            strncasecmp(err.msg + strlen(want), values[i][1], strlen(values[i][1])) != 0)
            fail_msg("label %s: load gave '%s'", values[i][1], err.msg);
        rc = hs_sess_sql(s, "select sum(_label) from events('d')", ignore_rows, NULL, &err);
        if (rc != HS_ESESSION || strncmp(err.msg, want, strlen(want)) != 0)
            fail_msg("label %s: sql gave %d '%s'", values[i][1], rc, err.msg);
        hs_sess_close(s);
    }
}

/* SQLite's SQLITE_FULL (here from max_page_count, as from ENOSPC): a
 * session error that names the file and says the disk is full; nothing
 * is stored. */
static void
test_disk_full(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *t = tu_table(300000, 3);
    struct hs_sess *s = NULL;
    struct hs_err err = {0};
    char want[200];
    long long pages;

    make_session(f->db, 1000);
    pages = tu_raw_int(f->db, "PRAGMA page_count");
    assert_int_equal(hs_sess_open(f->db, 0, &s, &err), HS_OK);
    assert_int_equal(hs_sess_exec(s, "PRAGMA max_page_count = 48", &err), HS_OK);
    assert_true(pages < 48);
    assert_int_equal(hs_sess_dataset_store(s, "big", t, false, NULL, -1, -1, NULL, &err),
                     HS_ESESSION);
    snprintf(want, sizeof want, "%s: storing events: the disk is full (", f->db);
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fail_msg("got '%s', want '%s...'", err.msg, want);
    hs_sess_close(s);
    hs_table_free(t);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM datasets WHERE name = 'big'"), 0);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM datasets"), 1);
}

/* Killed while making a new file (the only time hepscope writes in
 * rollback mode): a reader is told, a writer undoes it and carries on. */
static void
test_hot_journal(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = NULL;
    struct hs_err err = {0};
    int status;
    pid_t pid;

    fclose(fopen(f->db, "w"));
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sqlite3 *db;
        if (sqlite3_open(f->db, &db) != SQLITE_OK ||
            sqlite3_exec(db,
                         "PRAGMA page_size = 65536; PRAGMA cache_size = 4; BEGIN; "
                         "PRAGMA application_id = 1213424496; CREATE TABLE big(x); "
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                         "WHERE i < 200) INSERT INTO big SELECT randomblob(50000) FROM n",
                         NULL, NULL, NULL) != SQLITE_OK)
            _exit(1);
        raise(SIGKILL);
        _exit(2);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_true(tu_exists2(f->db, "-journal"));
    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_ESESSION);
    assert_non_null(strstr(err.msg, "unfinished change"));
    assert_true(tu_exists2(f->db, "-journal"));
    assert_int_equal(hs_sess_open(f->db, 0, &s, &err), HS_OK);
    assert_false(tu_exists2(f->db, "-journal"));
    assert_int_equal(hs_sess_journal_append(s, "works", &err), HS_OK);
    hs_sess_close(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_foreign_objects, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_newer_version, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_upgrade, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_upgrade_v2, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_upgrade_v3, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_truncated, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_garbage, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_empty_file, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_damaged_inside, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_wal_left_behind, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_hot_journal, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_bad_chunks, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_planted_nrows, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_planted_label, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_disk_full, tu_setup, tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of stored projection and clustering outputs
 * (sessions/outputs.c, schema version 7): they round trip bit for bit,
 * list, replace, drop, go with their dataset, keep column names unique,
 * roll back with the caller's transaction, show as learned columns of
 * the feature set and of the SQL table (across chunks), and a version 6
 * file is migrated to the schema of a new one.  References come from the
 * test's own generator and raw SQLite. */
#include "config.h"

#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "featureset.h"
#include "rowsel.h"
#include "sessions/features.h"
#include "sessions/outputs.h"
#include "sessions/session.h"
#include "test_sess_raw.h"
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
    return s;
}

static void
store_ok(struct hs_sess *s, const char *name, const struct hs_table *t, bool replace)
{
    struct hs_err err = {0};
    int rc = hs_sess_dataset_store(s, name, t, replace, NULL, -1, -1, NULL, &err);
    if (rc)
        fprintf(stderr, "# store: %s\n", err.msg);
    assert_int_equal(rc, HS_OK);
}

/* An output of n events and ncols columns of the test's own numbers:
 * special bit patterns first (NaN, -0.0, infinities, subnormals). */
static void
make_rec(struct hs_output_rec *r, const char *name, enum hs_output_kind kind, size_t n,
         size_t ncols, uint64_t seed)
{
    static const uint64_t special[] = {0x7ff8000000000000ULL, 0x8000000000000000ULL,
                                       0x7ff0000000000000ULL, 0x0000000000000001ULL};
    uint64_t s = seed;
    struct hs_err err = {0};

    memset(r, 0, sizeof *r);
    r->name = strdup(name);
    r->kind = kind;
    r->method = strdup(kind == HS_OUTPUT_PROJECTION ? "pca" : "gmm");
    r->options = strdup("--dims 2");
    r->features = strdup("x,evt");
    r->nevents = n;
    r->nfitted = n / 2;
    assert_int_equal(hs_output_names(name, kind, ncols, ncols - 1, &r->colnames, &r->ncols, &err),
                     HS_OK);
    if (kind == HS_OUTPUT_PROJECTION)
        assert_int_equal(r->ncols, ncols);
    r->values = calloc(r->ncols, sizeof *r->values);
    for (size_t j = 0; j < r->ncols; j++) {
        r->values[j] = malloc((n ? n : 1) * sizeof(double));
        for (size_t i = 0; i < n; i++)
            r->values[j][i] = i < 4 ? tu_bits(special[i]) : tu_uniform(&s) * 10 - 5;
    }
}

static void
free_rec(struct hs_output_rec *r)
{
    /* Built with the C library's allocator; hs_free is free in tests. */
    hs_output_rec_release(r);
}

static void
save_ok(struct hs_sess *s, const char *ds, const struct hs_output_rec *r)
{
    struct hs_err err = {0};
    int rc = hs_sess_output_save(s, ds, r, &err);
    if (rc)
        fprintf(stderr, "# save: %s\n", err.msg);
    assert_int_equal(rc, HS_OK);
}

static void
assert_same_values(const struct hs_output_rec *a, const struct hs_output_rec *b)
{
    assert_int_equal(a->ncols, b->ncols);
    assert_int_equal(a->nevents, b->nevents);
    for (size_t j = 0; j < a->ncols; j++) {
        assert_string_equal(a->colnames[j], b->colnames[j]);
        assert_memory_equal(a->values[j], b->values[j], a->nevents * sizeof(double));
    }
}

/* ---- tests ----------------------------------------------------------- */

static void
test_names(void **state)
{
    char **v;
    size_t n;
    struct hs_err err = {0};

    (void)state;
    assert_int_equal(hs_output_names("emb", HS_OUTPUT_PROJECTION, 3, 0, &v, &n, &err), HS_OK);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "emb_1");
    assert_string_equal(v[2], "emb_3");
    hs_output_names_free(v, n);
    assert_int_equal(hs_output_names("cl", HS_OUTPUT_CLUSTERING, 0, 2, &v, &n, &err), HS_OK);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "cl");
    assert_string_equal(v[1], "cl_p1");
    assert_string_equal(v[2], "cl_p2");
    hs_output_names_free(v, n);
}

static void
test_round_trip(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_table *t = tu_table(300, 4);
    struct hs_output_rec a, b, back, *list;
    struct hs_err err = {0};
    size_t n;

    store_ok(s, "d", t, false);
    make_rec(&a, "emb", HS_OUTPUT_PROJECTION, 300, 2, 1);
    make_rec(&b, "cl", HS_OUTPUT_CLUSTERING, 300, 3, 2);
    a.selection = strdup("x > 0");
    save_ok(s, "d", &a);
    save_ok(s, "d", &b);
    hs_sess_close(s);
    /* Raw SQLite sees the rows and the bytes. */
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM outputs"), 2);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM output_columns"), 5);
    assert_int_equal(tu_raw_int(f->db, "SELECT length(data) FROM output_columns WHERE name = "
                                       "'emb_2'"),
                     300 * 8);
    s = open_ok(f->db, 0);
    assert_int_equal(hs_sess_output_load(s, "d", "emb", true, &back, &err), HS_OK);
    assert_int_equal(back.kind, HS_OUTPUT_PROJECTION);
    assert_string_equal(back.method, "pca");
    assert_string_equal(back.features, "x,evt");
    assert_string_equal(back.selection, "x > 0");
    assert_int_equal(back.nfitted, 150);
    assert_non_null(back.created);
    assert_same_values(&a, &back);
    hs_output_rec_release(&back);
    assert_int_equal(hs_sess_output_load(s, "d", "cl", true, &back, &err), HS_OK);
    assert_int_equal(back.kind, HS_OUTPUT_CLUSTERING);
    assert_null(back.selection);
    assert_same_values(&b, &back);
    hs_output_rec_release(&back);
    /* Listing, by name, without values. */
    assert_int_equal(hs_sess_outputs(s, "d", &list, &n, &err), HS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].name, "cl");
    assert_string_equal(list[1].name, "emb");
    assert_null(list[1].values);
    assert_string_equal(list[1].colnames[1], "emb_2");
    hs_output_recs_free(list, n);
    /* Unknown names say what there is. */
    assert_int_equal(hs_sess_output_load(s, "d", "emm", false, &back, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "did you mean 'emb'"));
    assert_int_equal(hs_sess_output_load(s, "nope", "emb", false, &back, &err), HS_ENOTFOUND);
    free_rec(&a);
    free_rec(&b);
    hs_sess_close(s);
    hs_table_free(t);
}

/* Replacing keeps one output of the name; a column of another output's
 * name, a wrong event count or a bad name change nothing. */
static void
test_replace_and_refusals(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_table *t = tu_table(100, 4);
    struct hs_output_rec a, a2, c, back;
    struct hs_err err = {0};

    store_ok(s, "d", t, false);
    make_rec(&a, "emb", HS_OUTPUT_PROJECTION, 100, 2, 1);
    make_rec(&a2, "emb", HS_OUTPUT_PROJECTION, 100, 3, 9);
    save_ok(s, "d", &a);
    save_ok(s, "d", &a2);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM output_columns"), 3);
    assert_int_equal(hs_sess_output_load(s, "d", "emb", true, &back, &err), HS_OK);
    assert_same_values(&a2, &back);
    hs_output_rec_release(&back);
    /* A clustering called emb_1 would take a column of emb. */
    make_rec(&c, "emb_1", HS_OUTPUT_CLUSTERING, 100, 1, 3);
    assert_int_equal(hs_sess_output_save(s, "d", &c, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "column 'emb_1' of 'emb_1' is a column of output 'emb'"));
    free_rec(&c);
    make_rec(&c, "x2", HS_OUTPUT_CLUSTERING, 99, 1, 3);
    assert_int_equal(hs_sess_output_save(s, "d", &c, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "99 events"));
    free(c.name);
    c.name = strdup("2x");
    assert_int_equal(hs_sess_output_save(s, "d", &c, &err), HS_EUSAGE);
    free_rec(&c);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM outputs"), 1);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM output_columns"), 3);
    /* Drop. */
    assert_int_equal(hs_sess_output_drop(s, "d", "nope", &err), HS_ENOTFOUND);
    assert_int_equal(hs_sess_output_drop(s, "d", "emb", &err), HS_OK);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM output_columns"), 0);
    free_rec(&a);
    free_rec(&a2);
    hs_sess_close(s);
    hs_table_free(t);
}

/* A caller's transaction rolled back takes the output with it. */
static void
test_rollback(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_table *t = tu_table(100, 4);
    struct hs_output_rec a;
    struct hs_err err = {0};

    store_ok(s, "d", t, false);
    make_rec(&a, "emb", HS_OUTPUT_PROJECTION, 100, 2, 1);
    assert_int_equal(hs_sess_begin(s, &err), HS_OK);
    save_ok(s, "d", &a);
    hs_sess_rollback(s);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM outputs"), 0);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM output_columns"), 0);
    free_rec(&a);
    hs_sess_close(s);
    hs_table_free(t);
}

/* Outputs go with their dataset when it is dropped or replaced, and stay
 * when it is renamed. */
static void
test_gone_with_dataset(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_table *t = tu_table(100, 4);
    struct hs_output_rec a, back;
    struct hs_err err = {0};

    store_ok(s, "d", t, false);
    store_ok(s, "e", t, false);
    make_rec(&a, "emb", HS_OUTPUT_PROJECTION, 100, 2, 1);
    save_ok(s, "d", &a);
    save_ok(s, "e", &a);
    assert_int_equal(hs_sess_dataset_rename(s, "e", "e2", &err), HS_OK);
    assert_int_equal(hs_sess_output_load(s, "e2", "emb", true, &back, &err), HS_OK);
    hs_output_rec_release(&back);
    assert_int_equal(hs_sess_dataset_drop(s, "e2", &err), HS_OK);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM outputs"), 1);
    store_ok(s, "d", t, true);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM outputs"), 0);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM output_columns"), 0);
    free_rec(&a);
    hs_sess_close(s);
    hs_table_free(t);
}

struct sql_rows {
    size_t n;
    double *v;
    size_t nnull;
};

static int
collect(void *user, int ncols, const char *const *names, const char *const *values,
        const bool *is_num)
{
    struct sql_rows *r = user;

    (void)names;
    (void)is_num;
    if (!values || ncols < 2)
        return 0;
    /* Rows come in rowid order: the first value is the row (evt). */
    size_t row = (size_t)strtoull(values[0], NULL, 10);
    if (!values[1]) {
        r->nnull++;
        r->v[row] = NAN;
    } else {
        r->v[row] = strtod(values[1], NULL);
    }
    r->n++;
    return 0;
}

/* The stored columns are learned columns of the dataset's feature set
 * and of its SQL table, value for value, past the first chunk. */
static void
test_learned_columns(void **state)
{
    struct tu_fixture *f = *state;
    const size_t n = 70000; /* more than one chunk of the SQL table */
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_table *t = tu_table(n, 4), *u = NULL;
    struct hs_featureset fs;
    struct hs_output_rec a, b;
    struct hs_err err = {0};
    struct sql_rows rows = {0, NULL, 0};
    const double *v;
    long i1, ic;
    size_t nnan = 0;

    store_ok(s, "d", t, false);
    make_rec(&a, "emb", HS_OUTPUT_PROJECTION, n, 2, 1);
    make_rec(&b, "cl", HS_OUTPUT_CLUSTERING, n, 1, 2);
    save_ok(s, "d", &a);
    save_ok(s, "d", &b);
    hs_sess_close(s);
    s = open_ok(f->db, HS_SESS_READONLY);
    assert_int_equal(hs_sess_dataset_load(s, "d", &u, NULL, &err), HS_OK);
    assert_int_equal(hs_sess_featureset_load(s, "d", u, &fs, &err), HS_OK);
    i1 = hs_featureset_find(&fs, "emb_2");
    ic = hs_featureset_find(&fs, "cl");
    assert_true(i1 >= 0 && ic >= 0);
    assert_int_equal(fs.f[i1].kind, HS_FEATURE_LEARNED);
    assert_false(fs.f[i1].on);
    assert_true(hs_feature_is_output(&fs.f[i1]));
    assert_int_equal(hs_featureset_values(&fs, (size_t)i1, &v, NULL, &err), HS_OK);
    assert_memory_equal(v, a.values[1], n * sizeof(double));
    /* In an expression. */
    {
        struct hs_expr *e;
        double *out = malloc(n * sizeof *out);
        assert_int_equal(hs_featureset_compile(&fs, "emb_1 + cl", &e, &err), HS_OK);
        assert_int_equal(hs_featureset_eval(&fs, e, out, NULL, NULL, &err), HS_OK);
        for (size_t i = 0; i < n; i++) {
            double want = a.values[0][i] + b.values[0][i];
            assert_true(tu_same_bits(out[i], want) || (isnan(out[i]) && isnan(want)));
        }
        hs_expr_free(e);
        free(out);
    }
    /* Narrowed to every third event, twice: each keeps its own value. */
    {
        unsigned char *m = malloc(n);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            m[i] = i % 3 == 0;
        hs_rowsel_keep(u, &fs, m);
        for (size_t i = 0; i < u->nrows; i++)
            m[i] = i % 2 == 1;
        hs_rowsel_keep(u, &fs, m);
        assert_int_equal(hs_featureset_values(&fs, (size_t)i1, &v, NULL, &err), HS_OK);
        for (size_t i = 3; i < n; i += 6)
            assert_true(tu_same_bits(v[k++], a.values[1][i]));
        assert_int_equal(k, u->nrows);
        free(m);
    }
    hs_featureset_release(&fs);
    hs_table_free(u);
    /* Through SQL: every row of both chunks. */
    rows.v = malloc(n * sizeof *rows.v);
    assert_int_equal(hs_sess_sql(s, "select evt, emb_2 from events('d')", collect, &rows, &err),
                     HS_OK);
    assert_int_equal(rows.n, n);
    for (size_t i = 0; i < n; i++) {
        double want = a.values[1][i];
        if (isnan(want)) {
            nnan++;
            assert_true(isnan(rows.v[i]));
        } else {
            /* SQL text is the shortest round trip: equal in value. */
            assert_true(rows.v[i] == want);
        }
    }
    assert_int_equal(rows.nnull, nnan);
    free(rows.v);
    free_rec(&a);
    free_rec(&b);
    hs_sess_close(s);
    hs_table_free(t);
}

/* A version 6 file (no output tables) becomes a version 7 file with the
 * schema text of a new one, its data kept. */
static void
test_migrate_v6(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_table *t = tu_table(100, 4), *u = NULL;
    struct hs_output_rec a;
    struct hs_err err = {0};
    char *fresh = tu_path(f->dir, "fresh.db");
    const char *schema_sql = "SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM "
                             "sqlite_schema EXCEPT SELECT type, name, tbl_name, sql FROM "
                             "fresh.sqlite_schema)";

    store_ok(s, "d", t, false);
    hs_sess_close(s);
    tu_raw_exec(f->db, "DROP TABLE output_columns; DROP TABLE outputs; DROP TABLE trials; DROP TABLE searches; "
                       "PRAGMA user_version = 6; "
                       "UPDATE meta SET value = '6' WHERE key = 'schema_version'");
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM sqlite_schema WHERE name LIKE "
                                       "'output%'"),
                     0);
    /* Read-only, it is refused as older; a writer upgrades it. */
    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_ESESSION);
    s = open_ok(f->db, 0);
    assert_int_equal(hs_sess_dataset_load(s, "d", &u, NULL, &err), HS_OK);
    assert_true(tu_tables_identical(t, u));
    make_rec(&a, "emb", HS_OUTPUT_PROJECTION, 100, 2, 1);
    save_ok(s, "d", &a);
    hs_sess_close(s);
    assert_int_equal(tu_raw_int(f->db, "PRAGMA user_version"), HS_SESS_SCHEMA_VERSION);
    assert_int_equal(tu_raw_int(f->db, "SELECT value FROM meta WHERE key = 'schema_version'"),
                     HS_SESS_SCHEMA_VERSION);
    s = open_ok(fresh, HS_SESS_CREATE);
    hs_sess_close(s);
    {
        sqlite3 *db;
        sqlite3_stmt *st;
        char attach[4200];
        assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
        snprintf(attach, sizeof attach, "ATTACH '%s' AS fresh", fresh);
        assert_int_equal(sqlite3_exec(db, attach, NULL, NULL, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, schema_sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    assert_int_equal(tu_raw_int(fresh, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                       "('outputs', 'output_columns')"),
                     2);
    free_rec(&a);
    free(fresh);
    hs_table_free(t);
    hs_table_free(u);
}

/* The key figures in words, those that apply only. */
static void
test_figures_text(void **state)
{
    (void)state;
    struct hs_output_figures gm = {.k = 4, .loss = NAN, .trust = NAN, .loglik_mean = -2.637190859,
                                   .bic = 527443.21, .aic = 527301.94, .inertia = NAN};
    struct hs_output_figures ts = {.loss = 1.234567, .trust = 0.95123, .loglik_mean = NAN,
                                   .bic = NAN, .aic = NAN, .inertia = NAN};
    struct hs_output_figures none = {.loss = NAN, .trust = NAN, .loglik_mean = NAN, .bic = NAN,
                                     .aic = NAN, .inertia = NAN};
    char *a = hs_output_figures_text(&gm), *b = hs_output_figures_text(&ts);

    assert_string_equal(a, "K 4, log-likelihood -2.63719 per event, BIC 527443.2, AIC 527301.9");
    assert_string_equal(b, "loss 1.2346, trustworthiness 0.9512");
    assert_null(hs_output_figures_text(&none));
    free(a);
    free(b);
}

/* Every dataset's outputs with their dataset, by dataset then name; the
 * figures stored as given, NULL when none. */
static void
test_all_and_figures(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_table *t = tu_table(50, 4);
    struct hs_output_rec a, b, c, *all = NULL, back;
    struct hs_err err = {0};
    size_t n = 0;

    store_ok(s, "e2", t, false);
    store_ok(s, "d", t, false);
    make_rec(&a, "zz", HS_OUTPUT_PROJECTION, 50, 2, 1);
    make_rec(&b, "aa", HS_OUTPUT_CLUSTERING, 50, 3, 2);
    make_rec(&c, "mm", HS_OUTPUT_PROJECTION, 50, 2, 3);
    a.figures = strdup("loss 1.5, trustworthiness 0.9");
    save_ok(s, "d", &a);
    save_ok(s, "d", &b);
    save_ok(s, "e2", &c);
    assert_int_equal(hs_sess_outputs_all(s, &all, &n, &err), HS_OK);
    assert_int_equal(n, 3);
    assert_string_equal(all[0].dataset, "d");
    assert_string_equal(all[0].name, "aa");
    assert_null(all[0].figures);
    assert_int_equal(all[0].ncols, 3);
    assert_string_equal(all[1].dataset, "d");
    assert_string_equal(all[1].name, "zz");
    assert_string_equal(all[1].figures, "loss 1.5, trustworthiness 0.9");
    assert_null(all[1].values);
    assert_string_equal(all[2].dataset, "e2");
    assert_string_equal(all[2].name, "mm");
    hs_output_recs_free(all, n);
    assert_int_equal(hs_sess_output_load(s, "d", "zz", false, &back, &err), HS_OK);
    assert_string_equal(back.figures, "loss 1.5, trustworthiness 0.9");
    assert_null(back.dataset);
    hs_output_rec_release(&back);
    /* Dropped: its columns go too, the others stay. */
    assert_int_equal(hs_sess_output_drop(s, "d", "zz", &err), HS_OK);
    assert_int_equal(hs_sess_outputs_all(s, &all, &n, &err), HS_OK);
    assert_int_equal(n, 2);
    hs_output_recs_free(all, n);
    hs_sess_close(s);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM output_columns WHERE output = 'zz'"),
                     0);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM output_columns"), 3 + 2);
    free_rec(&a);
    free_rec(&b);
    free_rec(&c);
    hs_table_free(t);
}

/* A version 7 session (outputs without figures) is upgraded by a writer
 * to the schema of a new one; its outputs stay, without figures. */
static void
test_migrate_v7(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_table *t = tu_table(40, 3);
    struct hs_output_rec a, back;
    struct hs_err err = {0};
    char *fresh = tu_path(f->dir, "fresh.db");

    store_ok(s, "d", t, false);
    make_rec(&a, "emb", HS_OUTPUT_PROJECTION, 40, 2, 1);
    save_ok(s, "d", &a);
    hs_sess_close(s);
    tu_raw_exec(f->db, "ALTER TABLE outputs DROP COLUMN figures; DROP TABLE trials; DROP TABLE searches; "
                       "PRAGMA user_version = 7; "
                       "UPDATE meta SET value = '7' WHERE key = 'schema_version'");
    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_ESESSION);
    s = open_ok(f->db, 0);
    assert_int_equal(hs_sess_output_load(s, "d", "emb", true, &back, &err), HS_OK);
    assert_null(back.figures);
    assert_same_values(&a, &back);
    hs_output_rec_release(&back);
    hs_sess_close(s);
    assert_int_equal(tu_raw_int(f->db, "PRAGMA user_version"), HS_SESS_SCHEMA_VERSION);
    s = open_ok(fresh, HS_SESS_CREATE);
    hs_sess_close(s);
    char q[4400];
    snprintf(q, sizeof q, "ATTACH '%s' AS fresh; CREATE TEMP TABLE diff AS SELECT type, name, "
                          "tbl_name, sql FROM main.sqlite_schema EXCEPT SELECT type, name, "
                          "tbl_name, sql FROM fresh.sqlite_schema",
             fresh);
    {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM temp.diff", -1, &st, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    free_rec(&a);
    free(fresh);
    hs_table_free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test_setup_teardown(test_round_trip, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_replace_and_refusals, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_rollback, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_gone_with_dataset, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_learned_columns, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v6, tu_setup, tu_teardown),
        cmocka_unit_test(test_figures_text),
        cmocka_unit_test_setup_teardown(test_all_and_figures, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v7, tu_setup, tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

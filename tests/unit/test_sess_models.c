/* Unit tests of the session's trained models (sessions/models.c): a model
 * round trips bit for bit (network bytes, curve, features, NaN as NaN),
 * lists by name and by dataset, is replaced whole or refused, dropped,
 * outlives its dataset, rolls back with the caller's transaction, is
 * refused when its rows are damaged, fails cleanly when memory runs out,
 * and reads through the sql view.  References are built here (the test's
 * own generator, raw SQLite), never from the code under test. */
#include "config.h"

#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sessions/models.h"
#include "sessions/session.h"
#include "test_sess_oom.h"
#include "test_sess_raw.h"
#include "test_sess_util.h"

/* ---- helpers ------------------------------------------------------------- */

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
save_ok(struct hs_sess *s, const struct hs_model_rec *rec, bool replace)
{
    struct hs_err err = {0};
    int rc = hs_sess_model_save(s, rec, replace, &err);
    if (rc)
        fprintf(stderr, "# save: %s\n", err.msg);
    assert_int_equal(rc, HS_OK);
}

/* Equal bit for bit, or both NaN (SQLite keeps no NaN payload). */
static int
same_num(double a, double b)
{
    return tu_same_bits(a, b) || (isnan(a) && isnan(b));
}

static long long
rows_of(const char *path, const char *table)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return tu_raw_int(path, sql);
}

static char *
xdup(const char *s)
{
    char *d = s ? hs_strdup(s) : NULL;
    if (s && !d)
        fail_msg("out of memory");
    return d;
}

/* A model of nfeatures inputs and nepochs epochs made by the test's own
 * generator: a network of random bytes (zeros included), features with
 * and without expressions (quotes and unicode), a curve with awkward
 * numbers: NaN validation figures, -0.0, a subnormal, an infinity. */
static void
make_rec(struct hs_model_rec *rec, const char *name, const char *dataset, size_t nfeatures,
         size_t nepochs, uint64_t seed)
{
    static const char *const exprs[] = {
        "pT_μ * 2 + \"m ü\"",
        "type == 'q''uote\"d' /* ünïcödé → ✓ */",
        "sqrt(x*x + 1)",
    };
    uint64_t r = seed;

    memset(rec, 0, sizeof *rec);
    rec->name = xdup(name);
    rec->kind = xdup("mlp");
    rec->dataset = xdup(dataset);
    rec->options = xdup("--layers 64,64 --activation relu --seed 7 --note 'é'");
    rec->split_frac[0] = 0.6;
    rec->split_frac[1] = 0.2;
    rec->split_frac[2] = 1.0 / 5;
    rec->split_seed = 0xfedcba9876543210ULL ^ seed; /* the high bit set */
    rec->train_group = seed % 2 ? xdup("m_HNL=2.5") : NULL;
    rec->nfeatures = nfeatures;
    rec->features = hs_calloc(nfeatures, sizeof *rec->features);
    for (size_t i = 0; i < nfeatures; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, i % 4 == 1 ? "dérivée_%zu" : "c%zu", i);
        rec->features[i].name = xdup(buf);
        rec->features[i].expr = i % 4 == 1 ? xdup(exprs[(i / 4) % 3]) : NULL;
    }
    rec->bloblen = 1000 + (size_t)(seed % 97);
    rec->blob = hs_malloc(rec->bloblen);
    for (size_t i = 0; i < rec->bloblen; i++)
        rec->blob[i] = i % 13 == 0 ? 0 : (unsigned char)tu_rand(&r);
    rec->nepochs = nepochs;
    rec->curve = nepochs ? hs_calloc(nepochs, sizeof *rec->curve) : NULL;
    for (size_t e = 0; e < nepochs; e++) {
        struct hs_epoch_info *c = &rec->curve[e];
        c->epoch = e + 1;
        c->loss = tu_uniform(&r);
        c->val_loss = e % 3 == 2 ? NAN : tu_uniform(&r);
        c->val_auc = e % 3 == 2 ? NAN : 0.5 + tu_uniform(&r) / 2;
        c->seconds = e == 0 ? -0.0 : e == 1 ? tu_bits(1) : tu_uniform(&r) * 10;
        c->lr = e == 3 ? HUGE_VAL : 1e-3 * tu_uniform(&r);
    }
    rec->best_epoch = nepochs ? 1 + (size_t)(tu_rand(&r) % nepochs) : 0;
    rec->nimputed = (size_t)(tu_rand(&r) % 1000);
    rec->test_auc = seed % 3 == 0 ? NAN : tu_uniform(&r);
    rec->test_bkg95 = seed % 3 == 0 ? NAN : tu_uniform(&r);
}

/* "2026-11-24T01:28:26Z" */
static void
assert_iso_time(const char *t)
{
    int y, mo, d, h, mi, sec;
    char z;
    assert_non_null(t);
    assert_int_equal(strlen(t), 20);
    assert_int_equal(sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &z), 7);
    assert_int_equal(z, 'Z');
}

static void
assert_recs_equal(const struct hs_model_rec *a, const struct hs_model_rec *b)
{
    assert_string_equal(a->name, b->name);
    assert_string_equal(b->kind, "mlp");
    assert_string_equal(a->dataset, b->dataset);
    assert_iso_time(b->created);
    assert_string_equal(a->options ? a->options : "", b->options);
    for (int k = 0; k < 3; k++)
        assert_true(tu_same_bits(a->split_frac[k], b->split_frac[k]));
    assert_true(a->split_seed == b->split_seed);
    if (a->train_group)
        assert_string_equal(a->train_group, b->train_group);
    else
        assert_null(b->train_group);
    assert_int_equal(a->nfeatures, b->nfeatures);
    for (size_t i = 0; i < a->nfeatures; i++) {
        assert_string_equal(a->features[i].name, b->features[i].name);
        if (a->features[i].expr)
            assert_string_equal(a->features[i].expr, b->features[i].expr);
        else
            assert_null(b->features[i].expr);
    }
    assert_int_equal(a->bloblen, b->bloblen);
    assert_memory_equal(a->blob, b->blob, a->bloblen);
    assert_int_equal(a->nepochs, b->nepochs);
    for (size_t e = 0; e < a->nepochs; e++) {
        const struct hs_epoch_info *x = &a->curve[e], *y = &b->curve[e];
        assert_int_equal(x->epoch, y->epoch);
        assert_true(same_num(x->loss, y->loss));
        assert_true(same_num(x->val_loss, y->val_loss));
        assert_true(same_num(x->val_auc, y->val_auc));
        assert_true(same_num(x->seconds, y->seconds));
        assert_true(same_num(x->lr, y->lr));
    }
    if (!a->nepochs)
        assert_null(b->curve);
    assert_int_equal(a->best_epoch, b->best_epoch);
    assert_int_equal(a->nimputed, b->nimputed);
    assert_true(same_num(a->test_auc, b->test_auc));
    assert_true(same_num(a->test_bkg95, b->test_bkg95));
}

static void
store_dataset(struct hs_sess *s, const char *name, size_t n)
{
    struct hs_table *t = tu_table(n, 5);
    struct hs_err err = {0};
    assert_int_equal(hs_sess_dataset_store(s, name, t, false, NULL, -1, -1, NULL, &err), HS_OK);
    hs_table_free(t);
}

/* ---- tests ----------------------------------------------------------- */

static void
test_schema(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);

    hs_sess_close(s);
    assert_int_equal(HS_SESS_SCHEMA_VERSION, 9);
    assert_int_equal(tu_raw_int(f->db, "PRAGMA user_version"), 9);
    assert_int_equal(tu_raw_int(f->db, "SELECT value FROM meta WHERE key = 'schema_version'"), 9);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                                    "name IN ('models', 'model_features', 'model_epochs')"),
                     3);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM pragma_foreign_key_list('model_features') "
                                    "WHERE \"table\" = 'models' AND \"to\" = 'name' AND "
                                    "on_delete = 'CASCADE' AND on_update = 'CASCADE'"),
                     1);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM pragma_foreign_key_list('model_epochs') "
                                    "WHERE \"table\" = 'models' AND \"to\" = 'name' AND "
                                    "on_delete = 'CASCADE' AND on_update = 'CASCADE'"),
                     1);
    /* No foreign key from models to datasets: a model outlives its data. */
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM pragma_foreign_key_list('models')"), 0);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM pragma_table_info('models') WHERE "
                                    "name IN ('test_auc', 'test_bkg95', 'train_group') AND "
                                    "\"notnull\" = 0"),
                     3);
    s = open_ok(f->db, HS_SESS_READONLY);
    hs_sess_close(s);
}

/* The tables' CHECKs refuse what the store never writes (raw SQLite). */
static void
test_checks(void **state)
{
    struct tu_fixture *f = *state;
    static const char *const bad[] = {
        "INSERT INTO models VALUES ('m', 'bdt', 'd', 't', '', 0.5, 0.25, 0.25, 1, NULL, 1, 0, "
        "0, 0, NULL, NULL, x'00')",
        "INSERT INTO models VALUES ('m', 'mlp', 'd', 't', '', 1.5, 0.25, 0.25, 1, NULL, 1, 0, "
        "0, 0, NULL, NULL, x'00')",
        "INSERT INTO models VALUES ('m', 'mlp', 'd', 't', '', 0.5, 0.25, 0.25, 1, NULL, 0, 0, "
        "0, 0, NULL, NULL, x'00')",
        "INSERT INTO models VALUES ('m', 'mlp', 'd', 't', '', 0.5, 0.25, 0.25, 1, NULL, 1, 2, "
        "3, 0, NULL, NULL, x'00')",
        "INSERT INTO models VALUES ('m', 'mlp', 'd', 't', '', 0.5, 0.25, 0.25, 1, NULL, 1, 2, "
        "1, 0, 1.5, NULL, x'00')",
        "INSERT INTO models VALUES ('m', 'mlp', 'd', 't', '', 0.5, 0.25, 0.25, 1, NULL, 1, 2, "
        "1, 0, NULL, NULL, 'text')",
        "INSERT INTO models VALUES ('m', 'mlp', 'd', 't', '', 0.5, 0.25, 0.25, 1, NULL, 1, 2, "
        "1, 0, NULL, NULL, NULL)",
        "INSERT INTO model_epochs VALUES ('m', 0, 1, 1, 1, 1, 1)",
        "INSERT INTO model_epochs VALUES ('m', 1, 'one', 1, 1, 1, 1)",
        "INSERT INTO model_features VALUES ('m', -1, 'a', NULL)",
        "INSERT INTO model_features VALUES ('m', 0, '', NULL)",
        "INSERT INTO model_features VALUES ('m', 0, 'a', '')",
    };
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    sqlite3 *db;

    hs_sess_close(s);
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int rc = sqlite3_exec(db, bad[i], NULL, NULL, NULL);
        if ((rc & 0xff) != SQLITE_CONSTRAINT)
            fail_msg("not refused (%d): %s", rc, bad[i]);
    }
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO models VALUES ('m', 'mlp', 'd', 't', '', 0.5, 0.25, "
                                  "0.25, 1, NULL, 1, 2, 1, 0, NULL, NULL, x'00');"
                                  "INSERT INTO model_features VALUES ('m', 0, 'a', NULL);"
                                  "INSERT INTO model_epochs VALUES ('m', 1, NULL, -0.0, 1, 2, 3)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    /* A second feature of the same name. */
    assert_int_equal(sqlite3_exec(db, "INSERT INTO model_features VALUES ('m', 1, 'a', NULL)",
                                  NULL, NULL, NULL) & 0xff,
                     SQLITE_CONSTRAINT);
    sqlite3_close(db);
}

static void
test_roundtrip(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_model_rec a, b, c, back;
    struct hs_err err = {0};

    make_rec(&a, "mlp_64x64", "data", 9, 20, 1);
    make_rec(&b, "tiny", "other", 1, 0, 3); /* no curve, NaN test figures */
    make_rec(&c, "Big_one", "data", 300, 500, 4);
    hs_free(b.options); /* none given: stored as "" */
    b.options = NULL;
    hs_free(b.kind); /* the default kind */
    b.kind = NULL;
    save_ok(s, &a, false);
    save_ok(s, &b, false);
    save_ok(s, &c, false);
    hs_sess_close(s);

    /* What the file holds, seen by raw SQLite. */
    assert_int_equal(rows_of(f->db, "models"), 3);
    assert_int_equal(rows_of(f->db, "model_features"), 310);
    assert_int_equal(rows_of(f->db, "model_epochs"), 520);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM model_epochs WHERE val_loss IS NULL "
                                    "AND model = 'mlp_64x64'"),
                     6);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM model_features WHERE expr IS NULL "
                                    "AND model = 'mlp_64x64'"),
                     7);
    assert_int_equal(tu_raw_int(f->db, "SELECT length(network) FROM models WHERE name = 'tiny'"),
                     (long long)b.bloblen);
    assert_int_equal(tu_raw_int(f->db, "SELECT typeof(network) = 'blob' FROM models"), 1);
    assert_int_equal(tu_raw_int(f->db, "SELECT split_seed FROM models WHERE name = 'tiny'"),
                     (long long)(int64_t)(0xfedcba9876543210ULL ^ 3));
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM models WHERE test_auc IS NULL"), 1);

    s = open_ok(f->db, HS_SESS_READONLY);
    assert_int_equal(hs_sess_model_load(s, "mlp_64x64", &back, &err), HS_OK);
    assert_recs_equal(&a, &back);
    /* -0.0 and the subnormal kept their bits (REAL affinity would not). */
    assert_true(signbit(back.curve[0].seconds) && back.curve[0].seconds == 0);
    assert_true(tu_same_bits(back.curve[1].seconds, tu_bits(1)));
    assert_true(isinf(back.curve[3].lr));
    assert_true(isnan(back.curve[2].val_loss));
    hs_model_rec_release(&back);
    assert_null(back.name);
    assert_int_equal(hs_sess_model_load(s, "tiny", &back, &err), HS_OK);
    assert_recs_equal(&b, &back);
    assert_string_equal(back.options, "");
    assert_true(isnan(back.test_auc) && isnan(back.test_bkg95));
    assert_int_equal(back.best_epoch, 0);
    hs_model_rec_release(&back);
    assert_int_equal(hs_sess_model_load(s, "Big_one", &back, &err), HS_OK);
    assert_recs_equal(&c, &back);
    hs_model_rec_release(&back);
    /* Names are exact: case matters. */
    assert_int_equal(hs_sess_model_load(s, "big_one", &back, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "did you mean 'Big_one'?"));
    assert_null(back.name);
    hs_sess_close(s);
    hs_model_rec_release(&a);
    hs_model_rec_release(&b);
    hs_model_rec_release(&c);
    hs_model_rec_release(NULL);
}

static void
test_list_filter(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    static const char *const names[] = {"zeta", "alpha", "Mid", "beta_2", "beta"};
    static const char *const sets[] = {"a", "b", "a", "a", "c"};
    struct hs_model_rec recs[5], *out;
    struct hs_err err = {0};
    size_t n;

    assert_int_equal(hs_sess_models(s, NULL, &out, &n, &err), HS_OK);
    assert_int_equal(n, 0);
    hs_model_recs_free(out, n);
    for (size_t i = 0; i < 5; i++) {
        make_rec(&recs[i], names[i], sets[i], 2 + i, 3 * i, 10 + i);
        save_ok(s, &recs[i], false);
    }
    /* All, by name (bytewise: upper case first). */
    assert_int_equal(hs_sess_models(s, NULL, &out, &n, &err), HS_OK);
    assert_int_equal(n, 5);
    assert_string_equal(out[0].name, "Mid");
    assert_string_equal(out[1].name, "alpha");
    assert_string_equal(out[2].name, "beta");
    assert_string_equal(out[3].name, "beta_2");
    assert_string_equal(out[4].name, "zeta");
    assert_recs_equal(&recs[1], &out[1]);
    assert_recs_equal(&recs[0], &out[4]);
    hs_model_recs_free(out, n);
    /* Those of dataset a. */
    assert_int_equal(hs_sess_models(s, "a", &out, &n, &err), HS_OK);
    assert_int_equal(n, 3);
    assert_string_equal(out[0].name, "Mid");
    assert_string_equal(out[1].name, "beta_2");
    assert_string_equal(out[2].name, "zeta");
    assert_recs_equal(&recs[3], &out[1]);
    hs_model_recs_free(out, n);
    assert_int_equal(hs_sess_models(s, "c", &out, &n, &err), HS_OK);
    assert_int_equal(n, 1);
    assert_recs_equal(&recs[4], &out[0]);
    hs_model_recs_free(out, n);
    /* A dataset nobody trained on (or that does not exist): none. */
    assert_int_equal(hs_sess_models(s, "A", &out, &n, &err), HS_OK);
    assert_int_equal(n, 0);
    assert_null(out);
    for (size_t i = 0; i < 5; i++)
        hs_model_rec_release(&recs[i]);
    hs_sess_close(s);
}

/* The model names its dataset and outlives it. */
static void
test_outlives_dataset(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_model_rec a, back, *out;
    struct hs_err err = {0};
    size_t n;

    store_dataset(s, "data", 100);
    make_rec(&a, "m", "data", 4, 5, 6);
    save_ok(s, &a, false);
    assert_int_equal(hs_sess_dataset_rename(s, "data", "renamed", &err), HS_OK);
    assert_int_equal(hs_sess_dataset_drop(s, "renamed", &err), HS_OK);
    assert_int_equal(hs_sess_model_load(s, "m", &back, &err), HS_OK);
    assert_recs_equal(&a, &back);
    hs_model_rec_release(&back);
    assert_int_equal(hs_sess_models(s, "data", &out, &n, &err), HS_OK);
    assert_int_equal(n, 1);
    hs_model_recs_free(out, n);
    hs_model_rec_release(&a);
    hs_sess_close(s);
}

static void
test_replace_exists_drop(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_model_rec a, b, back;
    struct hs_err err = {0};

    make_rec(&a, "model_one", "data", 12, 30, 7);
    make_rec(&b, "model_one", "other", 3, 4, 8);
    assert_int_equal(hs_sess_model_exists(s, "model_one", &err), 0);
    save_ok(s, &a, false);
    assert_int_equal(hs_sess_model_exists(s, "model_one", &err), 1);
    assert_int_equal(hs_sess_model_exists(s, "model_two", &err), 0);
    assert_int_equal(hs_sess_model_exists(s, NULL, &err), 0);
    /* Taken: refused, the old one intact. */
    assert_int_equal(hs_sess_model_save(s, &b, false, &err), HS_EEXIST);
    assert_non_null(strstr(err.msg, "model_one"));
    assert_int_equal(hs_sess_model_load(s, "model_one", &back, &err), HS_OK);
    assert_recs_equal(&a, &back);
    hs_model_rec_release(&back);
    /* Replaced: the whole model, its features and curve too. */
    save_ok(s, &b, true);
    assert_int_equal(hs_sess_model_load(s, "model_one", &back, &err), HS_OK);
    assert_recs_equal(&b, &back);
    hs_model_rec_release(&back);
    assert_int_equal(rows_of(f->db, "model_features"), 3);
    assert_int_equal(rows_of(f->db, "model_epochs"), 4);
    /* Replace of a new name just saves. */
    hs_free(a.name);
    a.name = xdup("model_two");
    save_ok(s, &a, true);
    assert_int_equal(rows_of(f->db, "models"), 2);

    /* Drop: unknown names with a did-you-mean, or the list. */
    assert_int_equal(hs_sess_model_drop(s, "model_tow", &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "did you mean 'model_two'?"));
    assert_int_equal(hs_sess_model_drop(s, "zzzzzzzzzzzz", &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "models: model_one, model_two"));
    assert_int_equal(hs_sess_model_drop(s, NULL, &err), HS_EUSAGE);
    assert_int_equal(hs_sess_model_drop(s, "model_two", &err), HS_OK);
    assert_int_equal(hs_sess_model_exists(s, "model_two", &err), 0);
    assert_int_equal(hs_sess_model_load(s, "model_two", &back, &err), HS_ENOTFOUND);
    assert_int_equal(rows_of(f->db, "models"), 1);
    assert_int_equal(rows_of(f->db, "model_features"), 3);
    assert_int_equal(rows_of(f->db, "model_epochs"), 4);
    assert_int_equal(hs_sess_model_drop(s, "model_one", &err), HS_OK);
    assert_int_equal(hs_sess_model_load(s, "model_one", &back, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "has none"));
    assert_int_equal(rows_of(f->db, "model_features") + rows_of(f->db, "model_epochs"), 0);
    hs_model_rec_release(&a);
    hs_model_rec_release(&b);
    hs_sess_close(s);
}

/* Records the store cannot hold: HS_EUSAGE, nothing stored. */
static void
test_refused(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_model_rec a;
    struct hs_err err = {0};
    char *keep;

    make_rec(&a, "ok", "data", 5, 6, 9);
#define REFUSED(change, undo, words)                                                             \
    do {                                                                                         \
        change;                                                                                  \
        assert_int_equal(hs_sess_model_save(s, &a, false, &err), HS_EUSAGE);                    \
        assert_non_null(strstr(err.msg, words));                                                 \
        undo;                                                                                    \
    } while (0)
    keep = a.name;
    REFUSED(a.name = "1abc", a.name = keep, "not a name");
    REFUSED(a.name = "a b", a.name = keep, "not a name");
    REFUSED(a.name = "", a.name = keep, "needs a name");
    REFUSED(a.name = NULL, a.name = keep, "needs a name");
    keep = a.kind;
    REFUSED(a.kind = "svm", a.kind = keep, "unknown kind");
    keep = a.dataset;
    REFUSED(a.dataset = NULL, a.dataset = keep, "no dataset");
    REFUSED(a.split_frac[1] = NAN, a.split_frac[1] = 0.2, "not in [0, 1]");
    REFUSED(a.split_frac[2] = -0.1, a.split_frac[2] = 0.2, "not in [0, 1]");
    REFUSED(a.nfeatures = 0, a.nfeatures = 5, "no features");
    keep = a.features[3].name;
    REFUSED(a.features[3].name = a.features[0].name, a.features[3].name = keep, "twice");
    REFUSED(a.features[3].name = "", a.features[3].name = keep, "no name");
    keep = a.features[0].expr;
    REFUSED(a.features[0].expr = "", a.features[0].expr = keep, "empty expression");
    REFUSED(a.bloblen = 0, a.bloblen = 1000 + 9 % 97, "no network");
    REFUSED(a.curve[4].epoch = 7, a.curve[4].epoch = 5, "is epoch 7");
    REFUSED(a.best_epoch = 7, a.best_epoch = 1, "best epoch");
    REFUSED(a.test_auc = 1.5, a.test_auc = 0.5, "test figures");
#undef REFUSED
    assert_int_equal(rows_of(f->db, "models"), 0);
    save_ok(s, &a, false);
    hs_sess_close(s);
    /* Read-only: no change. */
    s = open_ok(f->db, HS_SESS_READONLY);
    hs_free(a.name);
    a.name = xdup("other");
    assert_int_not_equal(hs_sess_model_save(s, &a, false, &err), HS_OK);
    assert_int_not_equal(hs_sess_model_drop(s, "ok", &err), HS_OK);
    hs_sess_close(s);
    assert_int_equal(rows_of(f->db, "models"), 1);
    hs_model_rec_release(&a);
}

static void
expect_damaged(const char *path, const char *name, const char *words)
{
    struct hs_sess *s = open_ok(path, HS_SESS_READONLY);
    struct hs_model_rec back, *out = NULL;
    struct hs_err err = {0};
    size_t n = 7;

    assert_int_equal(hs_sess_model_load(s, name, &back, &err), HS_ESESSION);
    if (!strstr(err.msg, words))
        fail_msg("message '%s' lacks '%s'", err.msg, words);
    assert_null(back.name);
    assert_null(back.features);
    assert_int_equal(hs_sess_models(s, NULL, &out, &n, &err), HS_ESESSION);
    assert_null(out);
    assert_int_equal(n, 0);
    hs_sess_close(s);
}

/* Rows changed behind hepscope's back (raw SQLite): refused on reading. */
static void
test_damaged(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_model_rec a, b;
    struct hs_err err = {0};

    make_rec(&a, "a_good_one", "data", 6, 8, 12);
    make_rec(&b, "m", "data", 6, 8, 13);
    save_ok(s, &a, false);
    save_ok(s, &b, false);
    hs_sess_close(s);
    {
        static const char *const cases[][2] = {
            /* a curve with a missing epoch */
            {"DELETE FROM model_epochs WHERE model = 'm' AND epoch = 4", "curve"},
            /* the last epoch gone */
            {"DELETE FROM model_epochs WHERE model = 'm' AND epoch = 8", "7 of its 8 epochs"},
            /* an extra epoch */
            {"INSERT INTO model_epochs VALUES ('m', 9, 1, 1, 1, 1, 1)", "curve"},
            /* a feature gap */
            {"DELETE FROM model_features WHERE model = 'm' AND position = 2", "features"},
            /* the last feature gone */
            {"DELETE FROM model_features WHERE model = 'm' AND position = 5", "5 of its 6"},
            /* a feature too many */
            {"INSERT INTO model_features VALUES ('m', 6, 'extra', NULL)", "features"},
            /* counts that do not match */
            {"UPDATE models SET nfeatures = 7 WHERE name = 'm'", "6 of its 7"},
            /* a network that is no blob (CHECKs off, as a careless tool might) */
            {"PRAGMA ignore_check_constraints = 1; UPDATE models SET network = 'x' "
             "WHERE name = 'm'",
             "no network"},
            {"PRAGMA ignore_check_constraints = 1; UPDATE models SET kind = 'svm' "
             "WHERE name = 'm'",
             "a model is wrong"},
            {"PRAGMA ignore_check_constraints = 1; UPDATE models SET best_epoch = 9 "
             "WHERE name = 'm'",
             "a model is wrong"},
        };
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
            tu_raw_exec(f->db, cases[i][0]);
            expect_damaged(f->db, "m", cases[i][1]);
            /* put m back as saved */
            s = open_ok(f->db, 0);
            save_ok(s, &b, true);
            hs_sess_close(s);
        }
    }
    s = open_ok(f->db, HS_SESS_READONLY);
    {
        struct hs_model_rec back;
        assert_int_equal(hs_sess_model_load(s, "m", &back, &err), HS_OK);
        assert_recs_equal(&b, &back);
        hs_model_rec_release(&back);
    }
    hs_sess_close(s);
    hs_model_rec_release(&a);
    hs_model_rec_release(&b);
}

static void
test_rollback(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_model_rec a, b, back, *out;
    struct hs_err err = {0};
    size_t n;

    make_rec(&a, "m", "data", 5, 10, 14);
    make_rec(&b, "m", "data", 2, 1, 15);
    assert_int_equal(hs_sess_begin(s, &err), HS_OK);
    save_ok(s, &a, false);
    /* A failing save inside the transaction undoes only itself. */
    assert_int_equal(hs_sess_model_save(s, &b, false, &err), HS_EEXIST);
    b.curve[0].epoch = 2;
    assert_int_equal(hs_sess_model_save(s, &b, true, &err), HS_EUSAGE);
    b.curve[0].epoch = 1;
    assert_int_equal(hs_sess_model_load(s, "m", &back, &err), HS_OK);
    assert_recs_equal(&a, &back);
    hs_model_rec_release(&back);
    assert_int_equal(hs_sess_model_exists(s, "m", &err), 1);
    hs_sess_rollback(s);
    assert_int_equal(hs_sess_model_exists(s, "m", &err), 0);
    assert_int_equal(hs_sess_models(s, NULL, &out, &n, &err), HS_OK);
    assert_int_equal(n, 0);
    hs_model_recs_free(out, n);
    hs_sess_close(s);
    assert_int_equal(rows_of(f->db, "models"), 0);
    assert_int_equal(rows_of(f->db, "model_features"), 0);
    assert_int_equal(rows_of(f->db, "model_epochs"), 0);

    /* Committed with its journal line, a replace and a drop inside: the
     * end state only. */
    s = open_ok(f->db, 0);
    assert_int_equal(hs_sess_begin(s, &err), HS_OK);
    save_ok(s, &a, false);
    save_ok(s, &b, true);
    hs_free(a.name);
    a.name = xdup("gone");
    save_ok(s, &a, false);
    assert_int_equal(hs_sess_model_drop(s, "gone", &err), HS_OK);
    assert_int_equal(hs_sess_journal_append(s, "train m", &err), HS_OK);
    assert_int_equal(hs_sess_commit(s, &err), HS_OK);
    hs_sess_close(s);
    assert_int_equal(rows_of(f->db, "models"), 1);
    assert_int_equal(rows_of(f->db, "model_features"), 2);
    assert_int_equal(rows_of(f->db, "model_epochs"), 1);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM journal WHERE command = 'train m'"), 1);
    s = open_ok(f->db, HS_SESS_READONLY);
    assert_int_equal(hs_sess_model_load(s, "m", &back, &err), HS_OK);
    assert_recs_equal(&b, &back);
    hs_model_rec_release(&back);
    hs_sess_close(s);
    hs_model_rec_release(&a);
    hs_model_rec_release(&b);
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

/* A version 3 file (a new one with the tables of versions 4 and 5 dropped and
 * its version set back, as version 3 made them): refused read-only,
 * upgraded by a writer to exactly the schema of a new file, its cut set
 * kept, models working.  (test_sess_safety takes versions 1 and 2 up.) */
static void
test_migrate_v3(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    char *fresh = tu_path(f->dir, "fresh.db"), *want, *got;
    struct hs_model_rec a, back;
    struct hs_err err = {0};

    store_dataset(s, "data", 100);
    hs_sess_close(s);
    tu_raw_exec(f->db, "INSERT INTO cutsets (dataset, name, kind, npoints, created) "
                    "SELECT id, 'loose', 'set', 1, 'now' FROM datasets;"
                    "DROP TABLE model_params; DROP TABLE model_epochs; "
                    "DROP TABLE model_features; DROP TABLE models;"
                    "DROP TABLE feature_units; DROP TABLE history;"
        "DROP TABLE output_columns; DROP TABLE outputs; DROP TABLE trials; DROP TABLE searches;"
                    "PRAGMA user_version = 3;"
                    "UPDATE meta SET value = '3' WHERE key = 'schema_version'");
    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_ESESSION);
    assert_non_null(strstr(err.msg, "older hepscope"));
    assert_int_equal(tu_raw_int(f->db, "PRAGMA user_version"), 3);
    s = open_ok(f->db, 0);
    make_rec(&a, "m", "data", 3, 4, 19);
    save_ok(s, &a, false);
    hs_sess_close(s);
    assert_int_equal(tu_raw_int(f->db, "PRAGMA user_version"), HS_SESS_SCHEMA_VERSION);
    assert_int_equal(tu_raw_int(f->db, "SELECT value FROM meta WHERE key = 'schema_version'"),
                     HS_SESS_SCHEMA_VERSION);
    assert_int_equal(rows_of(f->db, "cutsets"), 1);
    s = open_ok(fresh, HS_SESS_CREATE);
    hs_sess_close(s);
    want = schema_text(fresh);
    got = schema_text(f->db);
    assert_string_equal(got, want);
    assert_non_null(strstr(want, "CREATE TABLE models ("));
    free(want);
    free(got);
    s = open_ok(f->db, HS_SESS_READONLY);
    assert_int_equal(hs_sess_model_load(s, "m", &back, &err), HS_OK);
    assert_recs_equal(&a, &back);
    hs_model_rec_release(&back);
    hs_sess_close(s);
    hs_model_rec_release(&a);
    free(fresh);
}

/* The sql view reads the new tables (and cannot write them). */
struct grab {
    long rows;
    int ncols;
    char first[128];
    char last[2400];
};

static int
grab_rows(void *user, int ncols, const char *const *names, const char *const *values,
          const bool *is_num)
{
    struct grab *g = user;
    (void)names;
    (void)is_num;
    if (!values) {
        g->ncols = ncols;
        return 0;
    }
    if (g->rows++ == 0 && ncols > 0) {
        snprintf(g->first, sizeof g->first, "%s", values[0] ? values[0] : "NULL");
        snprintf(g->last, sizeof g->last, "%s", values[ncols - 1] ? values[ncols - 1] : "NULL");
    }
    return 0;
}

/* A statement on a raw connection with foreign keys enforced: its
 * SQLite result code (0 when it ran). */
static int
raw_exec_fk(const char *path, const char *sql)
{
    sqlite3 *db;
    int rc;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

/* A version 4 file with a network: its models table as version 4 made it
 * (kind 'mlp' only, no model_params).  A writer lifts it to exactly the
 * schema of a new file, the network's bytes, inputs and curve unchanged,
 * and the new table takes other kinds. */
static void
test_migrate_v4(void **state)
{
    static const char v4[] =
        "CREATE TEMP TABLE m AS SELECT * FROM models;"
        "CREATE TEMP TABLE mf AS SELECT * FROM model_features;"
        "CREATE TEMP TABLE me AS SELECT * FROM model_epochs;"
        "DROP TABLE model_params; DROP TABLE model_epochs; DROP TABLE model_features;"
        "DROP TABLE models;"
        "CREATE TABLE models (\n"
        "    name TEXT PRIMARY KEY NOT NULL,\n"
        "    kind TEXT NOT NULL CHECK (kind IN ('mlp')),\n"
        "    dataset TEXT NOT NULL,\n"
        "    created TEXT NOT NULL,\n"
        "    options TEXT NOT NULL,\n"
        "    split_train REAL NOT NULL CHECK (split_train BETWEEN 0 AND 1),\n"
        "    split_val REAL NOT NULL CHECK (split_val BETWEEN 0 AND 1),\n"
        "    split_test REAL NOT NULL CHECK (split_test BETWEEN 0 AND 1),\n"
        "    split_seed INTEGER NOT NULL,\n"
        "    train_group TEXT,\n"
        "    nfeatures INTEGER NOT NULL CHECK (nfeatures >= 1),\n"
        "    nepochs INTEGER NOT NULL CHECK (nepochs >= 0),\n"
        "    best_epoch INTEGER NOT NULL CHECK (best_epoch BETWEEN 0 AND nepochs),\n"
        "    nimputed INTEGER NOT NULL CHECK (nimputed >= 0),\n"
        "    test_auc REAL CHECK (test_auc IS NULL OR test_auc BETWEEN 0 AND 1),\n"
        "    test_bkg95 REAL CHECK (test_bkg95 IS NULL OR test_bkg95 BETWEEN 0 AND 1),\n"
        "    network BLOB NOT NULL CHECK (typeof(network) = 'blob')\n"
        ");"
        "CREATE TABLE model_features (\n"
        "    model TEXT NOT NULL REFERENCES models (name) ON DELETE CASCADE ON UPDATE CASCADE,\n"
        "    position INTEGER NOT NULL CHECK (position >= 0),\n"
        "    name TEXT NOT NULL CHECK (name <> ''),\n"
        "    expr TEXT CHECK (expr IS NULL OR expr <> ''),\n"
        "    PRIMARY KEY (model, position),\n"
        "    UNIQUE (model, name)\n"
        ");"
        "CREATE TABLE model_epochs (\n"
        "    model TEXT NOT NULL REFERENCES models (name) ON DELETE CASCADE ON UPDATE CASCADE,\n"
        "    epoch INTEGER NOT NULL CHECK (epoch >= 1),\n"
        "    loss CHECK (loss IS NULL OR typeof(loss) IN ('real', 'integer')),\n"
        "    val_loss CHECK (val_loss IS NULL OR typeof(val_loss) IN ('real', 'integer')),\n"
        "    val_auc CHECK (val_auc IS NULL OR typeof(val_auc) IN ('real', 'integer')),\n"
        "    seconds CHECK (seconds IS NULL OR typeof(seconds) IN ('real', 'integer')),\n"
        "    lr CHECK (lr IS NULL OR typeof(lr) IN ('real', 'integer')),\n"
        "    PRIMARY KEY (model, epoch)\n"
        ");"
        "INSERT INTO models SELECT * FROM temp.m;"
        "INSERT INTO model_features SELECT * FROM temp.mf;"
        "INSERT INTO model_epochs SELECT * FROM temp.me;"
        "DROP TABLE feature_units; DROP TABLE history;"
        "DROP TABLE output_columns; DROP TABLE outputs; DROP TABLE trials; DROP TABLE searches;"
        "PRAGMA user_version = 4;"
        "UPDATE meta SET value = '4' WHERE key = 'schema_version'";
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    char *fresh = tu_path(f->dir, "fresh.db"), *want, *got;
    struct hs_model_rec a, back;
    struct hs_err err = {0};

    make_rec(&a, "net", "data", 6, 5, 23);
    save_ok(s, &a, false);
    hs_sess_close(s);
    tu_raw_exec(f->db, v4);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                       "'model_params'"),
                     0);
    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_ESESSION);
    assert_non_null(strstr(err.msg, "older hepscope"));
    s = open_ok(f->db, 0);
    assert_int_equal(hs_sess_model_load(s, "net", &back, &err), HS_OK);
    assert_recs_equal(&a, &back);
    hs_model_rec_release(&back);
    hs_sess_close(s);
    assert_int_equal(tu_raw_int(f->db, "PRAGMA user_version"), HS_SESS_SCHEMA_VERSION);
    s = open_ok(fresh, HS_SESS_CREATE);
    hs_sess_close(s);
    want = schema_text(fresh);
    got = schema_text(f->db);
    assert_string_equal(got, want);
    free(want);
    free(got);
    /* The MLP's bytes where they were; nothing beside them. */
    assert_int_equal(tu_raw_int(f->db, "SELECT length(network) FROM models WHERE name = 'net'"),
                     (long long)a.bloblen);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM model_params"), 0);
    /* A model of another kind is refused by the table with a network, or
     * without its bytes beside it. */
    assert_int_not_equal(raw_exec_fk(f->db, "INSERT INTO models SELECT 'x', 'fisher', "
                                                    "dataset, created, options, split_train, "
                                                    "split_val, split_test, split_seed, "
                                                    "train_group, nfeatures, 0, 0, 0, NULL, NULL, "
                                                    "network FROM models"),
                         0);
    assert_int_equal(raw_exec_fk(f->db, "INSERT INTO models SELECT 'x', 'fisher', "
                                                "dataset, created, options, split_train, "
                                                "split_val, split_test, split_seed, train_group, "
                                                "nfeatures, 0, 0, 0, NULL, NULL, x'' FROM models"),
                     0);
    assert_int_not_equal(raw_exec_fk(f->db, "INSERT INTO model_params VALUES ('x', x'')"),
                         0);
    assert_int_not_equal(raw_exec_fk(f->db, "INSERT INTO model_params VALUES ('nobody', "
                                                    "x'01')"),
                         0);
    hs_model_rec_release(&a);
    free(fresh);
}

static void
test_sql_view(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_model_rec a;
    struct hs_err err = {0};
    struct grab g = {0};
    char want[16];

    make_rec(&a, "m", "data", 5, 10, 16);
    save_ok(s, &a, false);
    assert_int_equal(hs_sess_sql(s, "select * from models", grab_rows, &g, &err), HS_OK);
    assert_int_equal(g.rows, 1);
    assert_int_equal(g.ncols, 17);
    assert_string_equal(g.first, "m");
    /* The network, last, as x'..' of its bytes. */
    snprintf(want, sizeof want, "x'%02x%02x", a.blob[0], a.blob[1]);
    assert_int_equal(strncmp(g.last, want, 6), 0);
    assert_int_equal(strlen(g.last), 3 + 2 * a.bloblen);
    memset(&g, 0, sizeof g);
    assert_int_equal(hs_sess_sql(s,
                                 "select count(*) from model_epochs e join models m on "
                                 "m.name = e.model where e.val_loss is null",
                                 grab_rows, &g, &err),
                     HS_OK);
    assert_string_equal(g.first, "3");
    memset(&g, 0, sizeof g);
    assert_int_equal(hs_sess_sql(s,
                                 "select group_concat(name, ',') from "
                                 "(select name from model_features order by position)",
                                 grab_rows, &g, &err),
                     HS_OK);
    assert_string_equal(g.first, "c0,dérivée_1,c2,c3,c4");
    assert_int_equal(hs_sess_sql(s, "delete from models", grab_rows, &g, &err), HS_EUSAGE);
    assert_int_equal(hs_sess_sql(s, "update model_epochs set loss = 0", grab_rows, &g, &err),
                     HS_EUSAGE);
    assert_int_equal(rows_of(f->db, "models"), 1);
    assert_int_equal(rows_of(f->db, "model_epochs"), 10);
    hs_model_rec_release(&a);
    hs_sess_close(s);
}

/* Every allocation of SQLite, then of hepscope, failing in turn during a
 * save (two models grouped in one transaction) and a load and listing:
 * HS_ENOMEM, nothing half-written, nothing leaked (the sanitizer build
 * checks).  The session is reopened for each attempt: a ROLLBACK that
 * itself runs out of memory leaves the transaction to hs_sess_close. */
static void
test_oom(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);
    struct hs_model_rec a, b, back, *out;

    hs_sess_close(s);
    make_rec(&a, "m", "data", 12, 20, 17);
    make_rec(&b, "n", "data", 3, 2, 18);
    for (int which = 0; which < 2; which++) {
        long k;
        /* Every allocation of the first 400, then every 7th (each attempt
         * reopens the session, which costs thousands). */
        for (k = 0; k < 3000; k = k < 400 ? k + 1 : k + 7) {
            struct hs_err err = {0};
            int rc;

            s = open_ok(f->db, 0);
            tu_fail_after(which, k);
            rc = hs_sess_begin(s, &err);
            if (rc == HS_OK && (rc = hs_sess_model_save(s, &a, false, &err)) == HS_OK &&
                (rc = hs_sess_model_save(s, &b, false, &err)) == HS_OK)
                rc = hs_sess_commit(s, &err);
            tu_fail_none();
            hs_sess_close(s);
            if (rc == HS_OK)
                break;
            if (rc != HS_ENOMEM)
                fail_msg("save, allocation %ld of %s: %d %s", k, which ? "hepscope" : "SQLite",
                         rc, err.msg);
            assert_int_equal(rows_of(f->db, "models"), 0);
            assert_int_equal(rows_of(f->db, "model_features"), 0);
            assert_int_equal(rows_of(f->db, "model_epochs"), 0);
        }
        assert_true(k < 3000);
        assert_int_equal(rows_of(f->db, "model_epochs"), 22);
        fprintf(stderr, "# save: %s%ld %s allocations failed in turn\n",
                k > 400 ? "the first 400 and every 7th of " : "", k, which ? "hepscope" : "SQLite");
        s = open_ok(f->db, HS_SESS_READONLY);
        for (k = 0; k < 3000; k++) {
            struct hs_err err = {0};
            size_t n = 9;
            int rc;

            out = NULL;
            tu_fail_after(which, k);
            rc = hs_sess_model_load(s, "m", &back, &err);
            if (rc == HS_OK) {
                assert_recs_equal(&a, &back);
                hs_model_rec_release(&back);
                rc = hs_sess_models(s, NULL, &out, &n, &err);
            }
            tu_fail_none();
            if (rc == HS_OK) {
                assert_int_equal(n, 2);
                assert_recs_equal(&b, &out[1]);
                hs_model_recs_free(out, n);
                break;
            }
            if (rc != HS_ENOMEM)
                fail_msg("load, allocation %ld of %s: %d %s", k, which ? "hepscope" : "SQLite",
                         rc, err.msg);
            assert_null(back.name);
            assert_null(back.blob);
            assert_null(out);
        }
        hs_sess_close(s);
        assert_true(k < 3000);
        fprintf(stderr, "# load: %ld %s allocations failed in turn\n", k,
                which ? "hepscope" : "SQLite");
        tu_raw_exec(f->db, "DELETE FROM model_epochs; DELETE FROM model_features; DELETE FROM models");
    }
    hs_model_rec_release(&a);
    hs_model_rec_release(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_schema, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_checks, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_list_filter, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_outlives_dataset, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_replace_exists_drop, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_refused, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_damaged, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_rollback, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v3, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v4, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_sql_view, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_oom, tu_setup, tu_teardown),
    };

    if (tu_oom_install())
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}

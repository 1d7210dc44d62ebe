/* Unit tests of the session's analysis results (sessions/results.c):
 * splits and cut sets round trip bit for bit, list, drop, replace, go
 * with their dataset, roll back with the caller's transaction, refuse
 * damaged rows, fail cleanly when memory runs out, and read through the
 * sql view.  References are built here (the test's own generator, raw
 * SQLite), never from the code under test. */
#include "config.h"

#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sessions/results.h"
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
store_ok(struct hs_sess *s, const char *name, const struct hs_table *t, bool replace)
{
    struct hs_err err = {0};
    int rc = hs_sess_dataset_store(s, name, t, replace, NULL, -1, -1, NULL, &err);
    if (rc)
        fprintf(stderr, "# store: %s\n", err.msg);
    assert_int_equal(rc, HS_OK);
}

/* A session with datasets "data" (n rows) and "other" (50 rows). */
static struct hs_sess *
make_session(const char *path, size_t n)
{
    struct hs_sess *s = open_ok(path, HS_SESS_CREATE);
    struct hs_table *t = tu_table(n, 5), *u = tu_table(50, 6);
    store_ok(s, "data", t, false);
    store_ok(s, "other", u, false);
    hs_table_free(t);
    hs_table_free(u);
    return s;
}

/* A split made by the test's own generator: each event's part drawn
 * uniformly, so every code appears. */
static void
make_split(struct hs_split *sp, size_t n, uint64_t seed)
{
    uint64_t r = seed;
    memset(sp, 0, sizeof *sp);
    sp->frac[0] = 0.5;
    sp->frac[1] = 0.25;
    sp->frac[2] = 0.25;
    sp->seed = seed;
    sp->n = n;
    sp->part = n ? hs_malloc(n) : NULL;
    for (size_t i = 0; i < n; i++) {
        sp->part[i] = (uint8_t)(tu_rand(&r) % 3);
        sp->count[sp->part[i]]++;
    }
}

/* Append a cut to a cut set (the test's own, not cuts.c's). */
static void
add_cut(struct hs_cutset *cs, enum hs_cut_kind kind, const char *feature, double lo, double hi,
        const char *expr)
{
    struct hs_cut *c;

    if (hs_grow((void **)&cs->cuts, &cs->cap, cs->n + 1, sizeof *cs->cuts))
        fail_msg("out of memory");
    c = &cs->cuts[cs->n++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->feature = feature ? hs_strdup(feature) : NULL;
    c->lo = lo;
    c->hi = hi;
    c->expr = expr ? hs_strdup(expr) : NULL;
}

/* A record of npoints points (a set when npoints is 1 and grid false). */
static void
rec_init(struct hs_cutset_rec *rec, const char *name, bool grid, size_t npoints)
{
    memset(rec, 0, sizeof *rec);
    rec->name = hs_strdup(name);
    rec->kind = grid ? HS_CUTSET_GRID : HS_CUTSET_SET;
    rec->npoints = npoints;
    rec->points = hs_calloc(npoints, sizeof *rec->points);
    rec->target = hs_malloc(npoints * sizeof *rec->target);
    for (size_t i = 0; i < npoints; i++)
        rec->target[i] = NAN;
}

/* A hand-made set with open ends, awkward numbers, quotes and unicode. */
static void
rec_handmade(struct hs_cutset_rec *rec, const char *name)
{
    rec_init(rec, name, false, 1);
    add_cut(&rec->points[0], HS_CUT_RANGE, "x", -HUGE_VAL, 4, NULL);
    add_cut(&rec->points[0], HS_CUT_RANGE, "bits", tu_bits(0x0000000000000001ULL), HUGE_VAL,
            NULL);
    add_cut(&rec->points[0], HS_CUT_RANGE, "x", -0.0, 0.1, NULL);
    add_cut(&rec->points[0], HS_CUT_EXPR, NULL, 0, 0,
            "type == 'q''uote\"d' && \"m_μμ\" < 4 /* ünïcödé → ✓ */");
    add_cut(&rec->points[0], HS_CUT_RANGE, "with space:ü", -1.7976931348623157e308,
            1.7976931348623157e308, NULL);
    add_cut(&rec->points[0], HS_CUT_RANGE, "w", 1.0 / 3, 2.0 / 3, NULL);
}

/* The optimiser's kind: npoints boxes on six features, targets 0.1 to
 * 0.99 (one NaN), bounds from the test's generator, some open. */
static void
rec_grid(struct hs_cutset_rec *rec, const char *name, size_t npoints, uint64_t seed)
{
    static const char *const feat[] = {"c0", "c1", "c2", "c3", "c4", "c5"};
    uint64_t r = seed;

    rec_init(rec, name, true, npoints);
    for (size_t p = 0; p < npoints; p++) {
        /* (10 + p) / 100: the double nearest to 0.1, 0.11, ..., 0.99, whose
         * shortest form is that decimal (the targets column shows it). */
        rec->target[p] = p == 3 ? NAN : (double)(10 + p % 90) / 100;
        for (size_t j = 0; j < 6; j++) {
            double lo = tu_uniform(&r) * 10 - 5, hi = lo + tu_uniform(&r) * 7 + 1e-9;
            if (tu_rand(&r) % 5 == 0)
                lo = -HUGE_VAL;
            if (tu_rand(&r) % 5 == 0)
                hi = HUGE_VAL;
            add_cut(&rec->points[p], HS_CUT_RANGE, feat[j], lo, hi, NULL);
        }
    }
}

static void
assert_recs_equal(const struct hs_cutset_rec *a, const struct hs_cutset_rec *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->npoints, b->npoints);
    for (size_t p = 0; p < a->npoints; p++) {
        const struct hs_cutset *x = &a->points[p], *y = &b->points[p];

        assert_true(tu_same_bits(a->target[p], b->target[p]) ||
                    (isnan(a->target[p]) && isnan(b->target[p])));
        assert_int_equal(x->n, y->n);
        for (size_t i = 0; i < x->n; i++) {
            assert_int_equal(x->cuts[i].kind, y->cuts[i].kind);
            if (x->cuts[i].kind == HS_CUT_RANGE) {
                assert_string_equal(x->cuts[i].feature, y->cuts[i].feature);
                assert_true(tu_same_bits(x->cuts[i].lo, y->cuts[i].lo));
                assert_true(tu_same_bits(x->cuts[i].hi, y->cuts[i].hi));
                assert_null(y->cuts[i].expr);
            } else {
                assert_string_equal(x->cuts[i].expr, y->cuts[i].expr);
                assert_null(y->cuts[i].feature);
            }
        }
    }
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

/* ---- tests ----------------------------------------------------------- */

static void
test_schema(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = open_ok(f->db, HS_SESS_CREATE);

    hs_sess_close(s);
    assert_true(HS_SESS_SCHEMA_VERSION >= 3);
    assert_int_equal(tu_raw_int(f->db, "PRAGMA user_version"), HS_SESS_SCHEMA_VERSION);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                                    "name IN ('splits', 'cutsets', 'cuts')"),
                     3);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM pragma_foreign_key_list('cuts') "
                                    "WHERE \"table\" = 'cutsets' AND on_delete = 'CASCADE'"),
                     2);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM pragma_foreign_key_list('splits') "
                                    "WHERE \"table\" = 'datasets' AND on_delete = 'CASCADE'"),
                     1);
    s = open_ok(f->db, HS_SESS_READONLY);
    hs_sess_close(s);
}

static void
test_split_roundtrip(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = make_session(f->db, 100003);
    struct hs_split sp, back, sp2;
    struct hs_err err = {0};
    size_t ref[3] = {0, 0, 0};

    make_split(&sp, 100003, 0xfedcba9876543210ULL); /* a seed above INT64_MAX */
    sp.frac[0] = 0.6;
    sp.frac[1] = 0.1; /* not exact in binary: must come back bit for bit */
    sp.frac[2] = 0.3;
    for (size_t i = 0; i < sp.n; i++)
        ref[sp.part[i]]++;
    assert_int_equal(hs_sess_split_load(s, "data", &back, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "dataset 'data' has no split"));
    assert_int_equal(hs_sess_split_save(s, "data", &sp, &err), HS_OK);
    hs_sess_close(s);

    s = open_ok(f->db, HS_SESS_READONLY);
    assert_int_equal(hs_sess_split_load(s, "data", &back, &err), HS_OK);
    assert_int_equal(back.n, sp.n);
    assert_memory_equal(back.part, sp.part, sp.n);
    for (int k = 0; k < 3; k++) {
        assert_true(tu_same_bits(back.frac[k], sp.frac[k]));
        assert_int_equal(back.count[k], ref[k]);
        assert_true(ref[k] > 30000);
    }
    assert_true(back.seed == 0xfedcba9876543210ULL);
    hs_free(back.part);
    /* Read-only: no change. */
    assert_int_equal(hs_sess_split_save(s, "data", &sp, &err), HS_EUSAGE);
    hs_sess_close(s);

    /* Replacing; a wrong size; an unknown dataset; a bad fraction. */
    s = open_ok(f->db, 0);
    make_split(&sp2, 100003, 7);
    assert_int_equal(hs_sess_split_save(s, "data", &sp2, &err), HS_OK);
    assert_int_equal(hs_sess_split_load(s, "data", &back, &err), HS_OK);
    assert_memory_equal(back.part, sp2.part, sp2.n);
    assert_true(back.seed == 7);
    hs_free(back.part);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM splits"), 1);
    sp2.n--;
    assert_int_equal(hs_sess_split_save(s, "data", &sp2, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "100002"));
    assert_int_equal(hs_sess_split_save(s, "dta", &sp2, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "did you mean 'data'?"));
    assert_int_equal(hs_sess_split_load(s, "dat", &back, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "did you mean 'data'?"));
    assert_int_equal(hs_sess_split_load(s, "zzzzzzzz", &back, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no dataset 'zzzzzzzz'"));
    sp2.n++;
    sp2.frac[1] = NAN;
    assert_int_equal(hs_sess_split_save(s, "data", &sp2, &err), HS_EUSAGE);
    sp2.frac[1] = 0.25;
    sp2.part[17] = 3;
    assert_int_equal(hs_sess_split_save(s, "data", &sp2, &err), HS_EUSAGE);
    /* The failed saves left the second split. */
    assert_int_equal(hs_sess_split_load(s, "data", &back, &err), HS_OK);
    assert_true(back.seed == 7);
    hs_free(back.part);

    /* An empty dataset has an empty split. */
    {
        struct hs_table *e = tu_table(0, 1);
        struct hs_split es;
        store_ok(s, "empty", e, false);
        hs_table_free(e);
        make_split(&es, 0, 3);
        assert_int_equal(hs_sess_split_save(s, "empty", &es, &err), HS_OK);
        assert_int_equal(hs_sess_split_load(s, "empty", &back, &err), HS_OK);
        assert_int_equal(back.n, 0);
        assert_int_equal(back.count[0] + back.count[1] + back.count[2], 0);
        hs_free(back.part);
    }
    hs_sess_close(s);
    hs_free(sp.part);
    hs_free(sp2.part);
}

static void
test_split_damaged(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = make_session(f->db, 1000);
    struct hs_split sp, back;
    struct hs_err err = {0};

    make_split(&sp, 1000, 1);
    assert_int_equal(hs_sess_split_save(s, "data", &sp, &err), HS_OK);
    hs_sess_close(s);

    /* A part code of 3 in the middle. */
    tu_raw_exec(f->db, "UPDATE splits SET part = CAST(substr(part, 1, 499) || x'03' || "
                    "substr(part, 501) AS BLOB)");
    assert_int_equal(tu_raw_int(f->db, "SELECT length(part) FROM splits"), 1000);
    s = open_ok(f->db, 0);
    back.part = NULL;
    assert_int_equal(hs_sess_split_load(s, "data", &back, &err), HS_ESESSION);
    assert_non_null(strstr(err.msg, "dataset 'data'"));
    assert_non_null(strstr(err.msg, "damaged"));
    assert_null(back.part);
    hs_sess_close(s);

    /* One byte short (nevents kept in step, as the CHECK wants). */
    tu_raw_exec(f->db, "UPDATE splits SET part = substr(part, 1, 999), nevents = 999");
    assert_int_equal(tu_raw_int(f->db, "SELECT length(part) FROM splits"), 999);
    s = open_ok(f->db, 0);
    assert_int_equal(hs_sess_split_load(s, "data", &back, &err), HS_ESESSION);
    assert_non_null(strstr(err.msg, "dataset 'data'"));
    assert_non_null(strstr(err.msg, "999"));
    /* Saving a good one again mends it. */
    assert_int_equal(hs_sess_split_save(s, "data", &sp, &err), HS_OK);
    assert_int_equal(hs_sess_split_load(s, "data", &back, &err), HS_OK);
    assert_memory_equal(back.part, sp.part, 1000);
    hs_free(back.part);
    hs_sess_close(s);

    /* The CHECKs refuse a length that disagrees with nevents, and a
     * fraction outside [0, 1], from any writer. */
    {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "UPDATE splits SET nevents = 5", NULL, NULL, NULL),
                         SQLITE_CONSTRAINT);
        assert_int_equal(sqlite3_exec(db, "UPDATE splits SET val = 1.5", NULL, NULL, NULL),
                         SQLITE_CONSTRAINT);
        sqlite3_close(db);
    }
    hs_free(sp.part);
}

static void
test_cutset_roundtrip(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = make_session(f->db, 200);
    struct hs_cutset_rec hand, grid, back;
    struct hs_err err = {0};

    rec_handmade(&hand, "loose");
    rec_grid(&grid, "opt_grid", 90, 42);
    assert_int_equal(hs_sess_cutset_save(s, "data", &hand, false, &err), HS_OK);
    assert_int_equal(hs_sess_cutset_save(s, "data", &grid, false, &err), HS_OK);
    hs_sess_close(s);

    s = open_ok(f->db, HS_SESS_READONLY);
    assert_int_equal(hs_sess_cutset_load(s, "data", "loose", &back, &err), HS_OK);
    assert_recs_equal(&hand, &back);
    assert_iso_time(back.created);
    /* -0.0 kept its sign. */
    assert_true(signbit(back.points[0].cuts[2].lo));
    hs_cutset_rec_release(&back);
    assert_int_equal(hs_sess_cutset_load(s, "data", "opt_grid", &back, &err), HS_OK);
    assert_recs_equal(&grid, &back);
    assert_true(isnan(back.target[3]));
    hs_cutset_rec_release(&back);
    assert_int_equal(hs_sess_cutset_load(s, "other", "loose", &back, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no cut set 'loose' in dataset 'other'"));
    hs_sess_close(s);

    /* What a user sees with the sqlite3 shell. */
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM cuts WHERE cutset = 'opt_grid'"),
                     90 * 6);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM cuts WHERE cutset = 'loose' AND "
                                    "lo IS NULL AND feature = 'x'"),
                     1);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM cutsets WHERE name = 'loose' AND "
                                    "kind = 'set' AND targets IS NULL AND "
                                    "features = 'x, bits, with space:ü, w'"),
                     1);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM cutsets WHERE name = 'opt_grid' AND "
                                    "kind = 'grid' AND npoints = 90 AND "
                                    "targets LIKE '0.1 0.11 0.12 nan %0.99' AND "
                                    "features = 'c0, c1, c2, c3, c4, c5'"),
                     1);
    hs_cutset_rec_release(&hand);
    hs_cutset_rec_release(&grid);
}

static void
test_cutset_empty_point(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = make_session(f->db, 20);
    struct hs_cutset_rec rec, back;
    struct hs_err err = {0};

    /* A grid whose loosest point cuts nothing, and an empty hand-made set. */
    rec_grid(&rec, "g", 5, 1);
    for (size_t i = 0; i < rec.points[4].n; i++)
        hs_free(rec.points[4].cuts[i].feature);
    rec.points[4].n = 0;
    assert_int_equal(hs_sess_cutset_save(s, "data", &rec, false, &err), HS_OK);
    assert_int_equal(hs_sess_cutset_load(s, "data", "g", &back, &err), HS_OK);
    assert_recs_equal(&rec, &back);
    hs_cutset_rec_release(&back);
    hs_cutset_rec_release(&rec);
    rec_init(&rec, "nothing", false, 1);
    assert_int_equal(hs_sess_cutset_save(s, "data", &rec, false, &err), HS_OK);
    assert_int_equal(hs_sess_cutset_load(s, "data", "nothing", &back, &err), HS_OK);
    assert_recs_equal(&rec, &back);
    hs_cutset_rec_release(&back);
    hs_cutset_rec_release(&rec);
    hs_sess_close(s);
}

/* Rows another writer damaged: refused with HS_ESESSION naming them. */
static void
test_cutset_damaged(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = make_session(f->db, 20);
    struct hs_cutset_rec rec, back;
    struct hs_err err = {0};

    rec_grid(&rec, "g", 5, 1);
    assert_int_equal(hs_sess_cutset_save(s, "data", &rec, false, &err), HS_OK);
    hs_sess_close(s);
    tu_raw_exec(f->db, "UPDATE cutsets SET targets = '0.1 0.2 x 0.4 0.5'");
    s = open_ok(f->db, HS_SESS_READONLY);
    assert_int_equal(hs_sess_cutset_load(s, "data", "g", &back, &err), HS_ESESSION);
    assert_non_null(strstr(err.msg, "cut set 'g' of dataset 'data'"));
    hs_cutset_rec_release(&back);
    hs_sess_close(s);
    tu_raw_exec(f->db, "UPDATE cutsets SET targets = '0.1 0.2 0.3 0.4'"); /* one short */
    s = open_ok(f->db, HS_SESS_READONLY);
    assert_int_equal(hs_sess_cutset_load(s, "data", "g", &back, &err), HS_ESESSION);
    hs_sess_close(s);
    tu_raw_exec(f->db, "UPDATE cutsets SET targets = NULL, npoints = 4"); /* cuts of point 4 */
    s = open_ok(f->db, HS_SESS_READONLY);
    assert_int_equal(hs_sess_cutset_load(s, "data", "g", &back, &err), HS_ESESSION);
    assert_non_null(strstr(err.msg, "damaged"));
    hs_sess_close(s);
    tu_raw_exec(f->db, "UPDATE cutsets SET npoints = 5, kind = 'set'"); /* a set of 5 points */
    s = open_ok(f->db, HS_SESS_READONLY);
    assert_int_equal(hs_sess_cutset_load(s, "data", "g", &back, &err), HS_ESESSION);
    hs_sess_close(s);
    /* The CHECKs stop a writer making a cut both a range and an
     * expression, a range with lo >= hi, or a bound that is text. */
    {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "UPDATE cuts SET expr = 'x < 1' WHERE position = 0",
                                      NULL, NULL, NULL),
                         SQLITE_CONSTRAINT);
        assert_int_equal(sqlite3_exec(db, "UPDATE cuts SET lo = 10, hi = 1 WHERE position = 0",
                                      NULL, NULL, NULL),
                         SQLITE_CONSTRAINT);
        assert_int_equal(sqlite3_exec(db, "UPDATE cuts SET hi = 'big' WHERE position = 0", NULL,
                                      NULL, NULL),
                         SQLITE_CONSTRAINT);
        assert_int_equal(sqlite3_exec(db, "UPDATE cutsets SET kind = 'box'", NULL, NULL, NULL),
                         SQLITE_CONSTRAINT);
        sqlite3_close(db);
    }
    hs_cutset_rec_release(&rec);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
test_cutset_list_drop(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = make_session(f->db, 30);
    const char *names[] = {"zeta", "alpha", "Mid", "beta_2", "_under", "alpha2"};
    const size_t nn = sizeof names / sizeof *names;
    const char *sorted[sizeof names / sizeof *names];
    struct hs_cutset_rec *recs, one;
    size_t n;
    struct hs_err err = {0};

    assert_int_equal(hs_sess_cutsets(s, "data", &recs, &n, &err), HS_OK);
    assert_int_equal(n, 0);
    hs_cutset_recs_free(recs, n);
    for (size_t i = 0; i < nn; i++) {
        struct hs_cutset_rec rec;
        rec_handmade(&rec, names[i]);
        rec.points[0].cuts[0].hi = (double)i; /* tell them apart */
        assert_int_equal(hs_sess_cutset_save(s, "data", &rec, false, &err), HS_OK);
        hs_cutset_rec_release(&rec);
        sorted[i] = names[i];
    }
    qsort(sorted, nn, sizeof *sorted, cmp_str);
    assert_int_equal(hs_sess_cutsets(s, "data", &recs, &n, &err), HS_OK);
    assert_int_equal(n, nn);
    for (size_t i = 0; i < n; i++) {
        size_t orig = 0;
        assert_string_equal(recs[i].name, sorted[i]);
        while (strcmp(names[orig], sorted[i]) != 0)
            orig++;
        assert_true(recs[i].points[0].cuts[0].hi == (double)orig);
        assert_int_equal(recs[i].points[0].n, 6);
    }
    hs_cutset_recs_free(recs, n);
    assert_int_equal(hs_sess_cutsets(s, "other", &recs, &n, &err), HS_OK);
    assert_int_equal(n, 0);
    hs_cutset_recs_free(recs, n);
    assert_int_equal(hs_sess_cutsets(s, "nope", &recs, &n, &err), HS_ENOTFOUND);

    /* Drop one; unknown names get a did-you-mean. */
    assert_int_equal(hs_sess_cutset_drop(s, "data", "alpha", &err), HS_OK);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM cuts WHERE cutset = 'alpha'"), 0);
    assert_int_equal(hs_sess_cutset_drop(s, "data", "alpha", &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "did you mean 'alpha2'?"));
    assert_int_equal(hs_sess_cutset_load(s, "data", "zeat", &one, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no cut set 'zeat' in dataset 'data' (did you mean 'zeta'?)"));
    assert_int_equal(hs_sess_cutset_load(s, "data", "qqqqqqqq", &one, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "(cut sets: Mid, _under, alpha2, beta_2, zeta)"));
    assert_int_equal(hs_sess_cutset_load(s, "other", "x", &one, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "(it has none)"));
    assert_int_equal(hs_sess_cutset_drop(s, "dta", "zeta", &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no dataset 'dta' (did you mean 'data'?)"));
    assert_int_equal(hs_sess_cutsets(s, "data", &recs, &n, &err), HS_OK);
    assert_int_equal(n, nn - 1);
    hs_cutset_recs_free(recs, n);
    hs_sess_close(s);
}

static void
test_cutset_exists_replace(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = make_session(f->db, 30);
    struct hs_cutset_rec grid, hand, back;
    struct hs_err err = {0};
    static const char *const bad[] = {"2x", "a-b", "", "with space", "é"};

    rec_grid(&grid, "best", 20, 3);
    rec_handmade(&hand, "best");
    assert_int_equal(hs_sess_cutset_save(s, "data", &grid, false, &err), HS_OK);
    assert_int_equal(hs_sess_cutset_save(s, "data", &hand, false, &err), HS_EEXIST);
    assert_non_null(strstr(err.msg, "'best'"));
    assert_int_equal(hs_sess_cutset_load(s, "data", "best", &back, &err), HS_OK);
    assert_recs_equal(&grid, &back);
    hs_cutset_rec_release(&back);
    /* The same name in another dataset is another cut set. */
    assert_int_equal(hs_sess_cutset_save(s, "other", &hand, false, &err), HS_OK);
    /* Replacing a grid of 120 cuts by a set of 6 leaves no stale cut. */
    assert_int_equal(hs_sess_cutset_save(s, "data", &hand, true, &err), HS_OK);
    assert_int_equal(hs_sess_cutset_load(s, "data", "best", &back, &err), HS_OK);
    assert_recs_equal(&hand, &back);
    hs_cutset_rec_release(&back);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM cuts"), 12);
    /* replace with no old one just saves. */
    hs_free(hand.name);
    hand.name = hs_strdup("fresh");
    assert_int_equal(hs_sess_cutset_save(s, "data", &hand, true, &err), HS_OK);

    /* Bad names and bad records: HS_EUSAGE, nothing stored. */
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        hs_free(hand.name);
        hand.name = hs_strdup(bad[i]);
        assert_int_equal(hs_sess_cutset_save(s, "data", &hand, false, &err), HS_EUSAGE);
    }
    hs_free(hand.name);
    hand.name = hs_strdup("ok_name");
    hand.points[0].cuts[0].lo = 5; /* 5 <= x < 4 */
    assert_int_equal(hs_sess_cutset_save(s, "data", &hand, false, &err), HS_EUSAGE);
    hand.points[0].cuts[0].lo = NAN;
    assert_int_equal(hs_sess_cutset_save(s, "data", &hand, false, &err), HS_EUSAGE);
    hand.points[0].cuts[0].lo = -HUGE_VAL;
    hand.target[0] = 1.5;
    assert_int_equal(hs_sess_cutset_save(s, "data", &hand, false, &err), HS_EUSAGE);
    hand.target[0] = NAN;
    hand.npoints = 0;
    assert_int_equal(hs_sess_cutset_save(s, "data", &hand, false, &err), HS_EUSAGE);
    hand.npoints = 1;
    grid.kind = HS_CUTSET_SET; /* a set of 20 points */
    assert_int_equal(hs_sess_cutset_save(s, "data", &grid, true, &err), HS_EUSAGE);
    grid.kind = HS_CUTSET_GRID;
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM cutsets"), 3);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM cuts"), 18);
    hs_cutset_rec_release(&grid);
    hs_cutset_rec_release(&hand);
    hs_sess_close(s);
}

/* The rows of dataset `name` in the three tables, from raw SQLite. */
static long long
rows_of(const char *path, const char *table)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return tu_raw_int(path, sql);
}

static void
test_cascade(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = make_session(f->db, 100);
    struct hs_table *t = tu_table(100, 9);
    struct hs_cutset_rec grid, hand, *recs;
    struct hs_split sp, back;
    struct hs_err err = {0};
    size_t n;

    rec_grid(&grid, "g", 10, 2);
    rec_handmade(&hand, "h");
    make_split(&sp, 100, 4);
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(hs_sess_split_save(s, "data", &sp, &err), HS_OK);
        assert_int_equal(hs_sess_cutset_save(s, "data", &grid, false, &err), HS_OK);
        assert_int_equal(hs_sess_cutset_save(s, "data", &hand, false, &err), HS_OK);
        if (pass == 0) { /* the other dataset's results must stay */
            struct hs_split so;
            make_split(&so, 50, 5);
            assert_int_equal(hs_sess_split_save(s, "other", &so, &err), HS_OK);
            assert_int_equal(hs_sess_cutset_save(s, "other", &hand, false, &err), HS_OK);
            hs_free(so.part);
        }
        assert_int_equal(rows_of(f->db, "splits"), 2);
        assert_int_equal(rows_of(f->db, "cutsets"), 3);
        assert_int_equal(rows_of(f->db, "cuts"), 60 + 6 + 6);
        if (pass == 0) {
            assert_int_equal(hs_sess_dataset_drop(s, "data", &err), HS_OK);
            store_ok(s, "data", t, false);
        } else {
            store_ok(s, "data", t, true);
        }
        /* Gone, by the API and in the file. */
        assert_int_equal(hs_sess_split_load(s, "data", &back, &err), HS_ENOTFOUND);
        assert_int_equal(hs_sess_cutsets(s, "data", &recs, &n, &err), HS_OK);
        assert_int_equal(n, 0);
        hs_cutset_recs_free(recs, n);
        assert_int_equal(rows_of(f->db, "splits"), 1);
        assert_int_equal(rows_of(f->db, "cutsets"), 1);
        assert_int_equal(rows_of(f->db, "cuts"), 6);
        assert_int_equal(hs_sess_split_load(s, "other", &back, &err), HS_OK);
        assert_int_equal(back.n, 50);
        hs_free(back.part);
    }
    /* A rename keeps them (they follow the id). */
    assert_int_equal(hs_sess_cutset_save(s, "data", &hand, false, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_rename(s, "data", "renamed", &err), HS_OK);
    {
        struct hs_cutset_rec r;
        assert_int_equal(hs_sess_cutset_load(s, "renamed", "h", &r, &err), HS_OK);
        assert_recs_equal(&hand, &r);
        hs_cutset_rec_release(&r);
    }
    hs_cutset_rec_release(&grid);
    hs_cutset_rec_release(&hand);
    hs_free(sp.part);
    hs_table_free(t);
    hs_sess_close(s);
}

static void
test_rollback(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = make_session(f->db, 100);
    struct hs_cutset_rec hand, *recs;
    struct hs_split sp, back;
    struct hs_err err = {0};
    size_t n;

    rec_handmade(&hand, "h");
    make_split(&sp, 100, 4);
    assert_int_equal(hs_sess_begin(s, &err), HS_OK);
    assert_int_equal(hs_sess_split_save(s, "data", &sp, &err), HS_OK);
    assert_int_equal(hs_sess_cutset_save(s, "data", &hand, false, &err), HS_OK);
    /* A failing save inside the transaction undoes only itself. */
    assert_int_equal(hs_sess_cutset_save(s, "data", &hand, false, &err), HS_EEXIST);
    {
        struct hs_cutset_rec r;
        assert_int_equal(hs_sess_cutset_load(s, "data", "h", &r, &err), HS_OK);
        assert_recs_equal(&hand, &r);
        hs_cutset_rec_release(&r);
    }
    hs_cutset_rec_release(&hand);
    hs_sess_rollback(s);
    assert_int_equal(hs_sess_split_load(s, "data", &back, &err), HS_ENOTFOUND);
    assert_int_equal(hs_sess_cutsets(s, "data", &recs, &n, &err), HS_OK);
    assert_int_equal(n, 0);
    hs_cutset_recs_free(recs, n);
    hs_sess_close(s);
    assert_int_equal(rows_of(f->db, "splits"), 0);
    assert_int_equal(rows_of(f->db, "cutsets"), 0);
    assert_int_equal(rows_of(f->db, "cuts"), 0);

    /* Committed with its journal line: both there. */
    s = open_ok(f->db, 0);
    rec_handmade(&hand, "h");
    assert_int_equal(hs_sess_begin(s, &err), HS_OK);
    assert_int_equal(hs_sess_cutset_save(s, "data", &hand, false, &err), HS_OK);
    assert_int_equal(hs_sess_split_save(s, "data", &sp, &err), HS_OK);
    assert_int_equal(hs_sess_journal_append(s, "cut set h", &err), HS_OK);
    assert_int_equal(hs_sess_commit(s, &err), HS_OK);
    hs_sess_close(s);
    assert_int_equal(rows_of(f->db, "splits"), 1);
    assert_int_equal(rows_of(f->db, "cutsets"), 1);
    assert_int_equal(tu_raw_int(f->db, "SELECT count(*) FROM journal WHERE command = 'cut set h'"), 1);
    hs_cutset_rec_release(&hand);
    hs_free(sp.part);
}

/* The sql view reads the new tables (and cannot write them). */
struct grab {
    long rows;
    char first[128];
};

static int
grab_rows(void *user, int ncols, const char *const *names, const char *const *values,
          const bool *is_num)
{
    struct grab *g = user;
    (void)names;
    (void)is_num;
    if (!values)
        return 0;
    if (g->rows++ == 0 && ncols > 0)
        snprintf(g->first, sizeof g->first, "%s", values[0] ? values[0] : "NULL");
    return 0;
}

static void
test_sql_view(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = make_session(f->db, 100);
    struct hs_cutset_rec grid;
    struct hs_split sp;
    struct hs_err err = {0};
    struct grab g = {0};

    rec_grid(&grid, "g", 10, 2);
    make_split(&sp, 100, 4);
    assert_int_equal(hs_sess_split_save(s, "data", &sp, &err), HS_OK);
    assert_int_equal(hs_sess_cutset_save(s, "data", &grid, false, &err), HS_OK);
    assert_int_equal(hs_sess_sql(s, "select name, kind, npoints from cutsets", grab_rows, &g, &err),
                     HS_OK);
    assert_int_equal(g.rows, 1);
    assert_string_equal(g.first, "g");
    memset(&g, 0, sizeof g);
    assert_int_equal(hs_sess_sql(s,
                                 "select count(*) from cuts c join cutsets s on "
                                 "s.dataset = c.dataset and s.name = c.cutset",
                                 grab_rows, &g, &err),
                     HS_OK);
    assert_string_equal(g.first, "60");
    memset(&g, 0, sizeof g);
    assert_int_equal(hs_sess_sql(s, "select ntrain + nval + ntest from splits", grab_rows, &g,
                                 &err),
                     HS_OK);
    assert_string_equal(g.first, "100");
    assert_int_equal(hs_sess_sql(s, "delete from cuts", grab_rows, &g, &err), HS_EUSAGE);
    assert_int_equal(rows_of(f->db, "cuts"), 60);
    hs_cutset_rec_release(&grid);
    hs_free(sp.part);
    hs_sess_close(s);
}

/* Every allocation of SQLite, then of hepscope, failing in turn during a
 * save (a cut set and a split grouped in one transaction) and a load:
 * HS_ENOMEM, nothing half-written, nothing leaked (the sanitizer build
 * checks).  The session is reopened for each attempt: a ROLLBACK that
 * itself runs out of memory leaves the transaction to hs_sess_close. */
static void
test_oom(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s = make_session(f->db, 3000);
    struct hs_cutset_rec grid, back;
    struct hs_split sp, sb;

    hs_sess_close(s);
    rec_grid(&grid, "g", 12, 8);
    make_split(&sp, 3000, 4);
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
            if (rc == HS_OK && (rc = hs_sess_cutset_save(s, "data", &grid, false, &err)) == HS_OK &&
                (rc = hs_sess_split_save(s, "data", &sp, &err)) == HS_OK)
                rc = hs_sess_commit(s, &err);
            tu_fail_none();
            hs_sess_close(s);
            if (rc == HS_OK)
                break;
            if (rc != HS_ENOMEM)
                fail_msg("save, allocation %ld of %s: %d %s", k, which ? "hepscope" : "SQLite",
                         rc, err.msg);
            assert_int_equal(rows_of(f->db, "cutsets"), 0);
            assert_int_equal(rows_of(f->db, "cuts"), 0);
            assert_int_equal(rows_of(f->db, "splits"), 0);
        }
        assert_true(k < 3000);
        assert_int_equal(rows_of(f->db, "cuts"), 72);
        fprintf(stderr, "# save: %s%ld %s allocations failed in turn\n",
                k > 400 ? "the first 400 and every 7th of " : "", k, which ? "hepscope" : "SQLite");
        s = open_ok(f->db, HS_SESS_READONLY);
        for (k = 0; k < 3000; k++) {
            struct hs_err err = {0};
            int rc;

            memset(&back, 0, sizeof back);
            sb.part = NULL;
            tu_fail_after(which, k);
            rc = hs_sess_cutset_load(s, "data", "g", &back, &err);
            if (rc == HS_OK) {
                assert_recs_equal(&grid, &back);
                hs_cutset_rec_release(&back);
                rc = hs_sess_split_load(s, "data", &sb, &err);
            }
            tu_fail_none();
            if (rc == HS_OK) {
                assert_memory_equal(sb.part, sp.part, 3000);
                hs_free(sb.part);
                break;
            }
            if (rc != HS_ENOMEM)
                fail_msg("load, allocation %ld of %s: %d %s", k, which ? "hepscope" : "SQLite",
                         rc, err.msg);
            assert_null(sb.part);
            assert_null(back.points);
        }
        hs_sess_close(s);
        assert_true(k < 3000);
        fprintf(stderr, "# load: %ld %s allocations failed in turn\n", k,
                which ? "hepscope" : "SQLite");
        tu_raw_exec(f->db, "DELETE FROM cuts; DELETE FROM cutsets; DELETE FROM splits");
    }
    hs_cutset_rec_release(&grid);
    hs_free(sp.part);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_schema, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_split_roundtrip, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_split_damaged, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_cutset_roundtrip, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_cutset_empty_point, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_cutset_damaged, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_cutset_list_drop, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_cutset_exists_replace, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_cascade, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_rollback, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_sql_view, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_oom, tu_setup, tu_teardown),
    };

    if (tu_oom_install())
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Allocation failures: every allocation of SQLite (through a failing
 * allocator installed before SQLite starts) and of hepscope (through
 * hs_mem_fail_after) failing in turn during open, store, load and sql.
 * Each call must fail cleanly (HS_ENOMEM), leak nothing (the sanitizer
 * build checks) and leave the session as it was. */
#include "config.h"

#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sessions/session.h"
#include "test_sess_oom.h"
#include "test_sess_util.h"

/* The next k to try after k: every allocation of the first 400, then
 * every 7th (SQLite makes thousands in an open; each k reruns it all). */
static long
next_k(long k)
{
    return k < 400 ? k + 1 : k + 7;
}

static void
report(const char *what, int which, long k)
{
    fprintf(stderr, "# %s: made each of %s%ld %s allocations fail in turn\n", what,
            k > 400 ? "the first 400 and every 7th of " : "", k, which ? "hepscope" : "SQLite");
}

struct fixture {
    char *dir, *db;
    struct hs_table *base, *extra;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct hs_sess *s;

    f->dir = tu_tmpdir();
    f->db = tu_path(f->dir, "s.db");
    f->base = tu_table(70000, 1);
    f->extra = tu_table(3000, 2);
    if (hs_sess_open(f->db, HS_SESS_CREATE, &s, NULL) ||
        hs_sess_dataset_store(s, "base", f->base, false, NULL, -1, -1, NULL, NULL))
        return -1;
    hs_sess_close(s);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    hs_table_free(f->base);
    hs_table_free(f->extra);
    tu_rmdir(f->dir);
    free(f->db);
    free(f);
    return 0;
}

/* The session holds base (and, when extra_ok, maybe extra) intact. */
static void
check_session(struct fixture *f, bool want_extra)
{
    struct hs_sess *s = NULL;
    struct hs_table *t = NULL;
    struct hs_err err = {0};

    assert_int_equal(hs_sess_open(f->db, 0, &s, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_load(s, "base", &t, NULL, &err), HS_OK);
    assert_true(tu_tables_identical(f->base, t));
    hs_table_free(t);
    t = NULL;
    assert_int_equal(hs_sess_dataset_load(s, "extra", &t, NULL, &err),
                     want_extra ? HS_OK : HS_ENOTFOUND);
    if (want_extra)
        assert_true(tu_tables_identical(f->extra, t));
    hs_table_free(t);
    hs_sess_close(s);
}

static void
test_open(void **state)
{
    struct fixture *f = *state;

    /* An open checks the schema against one built in memory, so its
     * allocations grow with the schema (about 6,600 at version 3, 9,100
     * at version 4; version 8's ALTER TABLE has SQLite parse the whole
     * schema again). */
    for (int which = 0; which < 2; which++) {
        long k;
        for (k = 0; k < 40000; k = next_k(k)) {
            struct hs_sess *s = NULL;
            struct hs_err err = {0};
            int rc;

            tu_fail_after(which, k);
            rc = hs_sess_open(f->db, 0, &s, &err);
            tu_fail_none();
            if (rc == HS_OK) {
                hs_sess_close(s);
                break;
            }
            if (rc != HS_ENOMEM)
                fail_msg("allocation %ld of %s: %d %s", k, which ? "hepscope" : "SQLite", rc,
                         err.msg);
            assert_null(s);
        }
        assert_true(k < 40000);
        report("open", which, k);
    }
    check_session(f, false);
}

static void
test_store(void **state)
{
    struct fixture *f = *state;

    for (int which = 0; which < 2; which++) {
        long k;
        for (k = 0; k < 5000; k = next_k(k)) {
            struct hs_sess *s = NULL;
            struct hs_err err = {0};
            int rc;

            assert_int_equal(hs_sess_open(f->db, 0, &s, &err), HS_OK);
            tu_fail_after(which, k);
            rc = hs_sess_dataset_store(s, "extra", f->extra, false, NULL, -1, -1, NULL, &err);
            tu_fail_none();
            hs_sess_close(s);
            if (rc == HS_OK)
                break;
            if (rc != HS_ENOMEM)
                fail_msg("allocation %ld of %s: %d %s", k, which ? "hepscope" : "SQLite", rc,
                         err.msg);
            if (k % 16 == 0)
                check_session(f, false);
        }
        assert_true(k < 5000);
        report("store", which, k);
        check_session(f, true);
        {
            struct hs_sess *s = NULL;
            assert_int_equal(hs_sess_open(f->db, 0, &s, NULL), HS_OK);
            assert_int_equal(hs_sess_dataset_drop(s, "extra", NULL), HS_OK);
            hs_sess_close(s);
        }
    }
}

static void
test_load(void **state)
{
    struct fixture *f = *state;
    struct hs_sess *s = NULL;

    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, NULL), HS_OK);
    for (int which = 0; which < 2; which++) {
        long k;
        for (k = 0; k < 5000; k = next_k(k)) {
            struct hs_table *t = NULL;
            struct hs_err err = {0};
            int rc;

            tu_fail_after(which, k);
            rc = hs_sess_dataset_load(s, "base", &t, NULL, &err);
            tu_fail_none();
            if (rc == HS_OK) {
                assert_true(tu_tables_identical(f->base, t));
                hs_table_free(t);
                break;
            }
            if (rc != HS_ENOMEM)
                fail_msg("allocation %ld of %s: %d %s", k, which ? "hepscope" : "SQLite", rc,
                         err.msg);
            assert_null(t);
        }
        assert_true(k < 5000);
        report("load", which, k);
    }
    hs_sess_close(s);
}

static int
sum_rows(void *user, int ncols, const char *const *names, const char *const *values,
         const bool *is_num)
{
    (void)ncols;
    (void)names;
    (void)is_num;
    if (values && values[0])
        *(long *)user = strtol(values[0], NULL, 10);
    return 0;
}

static void
test_sql(void **state)
{
    struct fixture *f = *state;
    struct hs_sess *s = NULL;

    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, NULL), HS_OK);
    for (int which = 0; which < 2; which++) {
        long k;
        for (k = 0; k < 20000; k = next_k(k)) {
            struct hs_err err = {0};
            long count = -1;
            int rc;

            tu_fail_after(which, k);
            rc = hs_sess_sql(s,
                             "select count(*), avg(x) from events('base') where type = 'EB' "
                             "and _label = 1 and _group is not null",
                             sum_rows, &count, &err);
            tu_fail_none();
            if (rc == HS_OK) {
                assert_true(count > 1000);
                break;
            }
            if (rc != HS_ENOMEM)
                fail_msg("allocation %ld of %s: %d %s", k, which ? "hepscope" : "SQLite", rc,
                         err.msg);
        }
        assert_true(k < 20000);
        report("sql", which, k);
    }
    hs_sess_close(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open),
        cmocka_unit_test(test_store),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_sql),
    };

    if (tu_oom_install())
        return 1;
    return cmocka_run_group_tests(tests, setup, teardown);
}

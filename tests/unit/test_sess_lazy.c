/* Unit tests of datasets opened lazily (hs_sess_dataset_open): the label,
 * weight and group come at once, every other column when asked for, bit
 * for bit as stored; a damaged column is damage only for whoever reads
 * it; a dataset replaced (by another process or by the same connection,
 * with as many rows, within a second) or dropped after the open is not
 * mixed with the columns read before: the handle is stale and says so. */
#include "config.h"

#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sessions/session.h"
#include "test_sess_raw.h"
#include "test_sess_util.h"

/* The session at f->db holding "d": 150,000 events, three chunks per
 * column, the last one short; the table stored is the reference. */
static struct hs_table *
make_session(const struct tu_fixture *f)
{
    struct hs_table *t = tu_table(150000, 5);
    struct hs_sess *s = NULL;
    struct hs_err err = {0};

    assert_int_equal(hs_sess_open(f->db, HS_SESS_CREATE, &s, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_store(s, "d", t, false, NULL, -1, -1, NULL, &err), HS_OK);
    hs_sess_close(s);
    return t;
}

static bool
role_at_once(enum hs_col_role r)
{
    return r == HS_ROLE_LABEL || r == HS_ROLE_WEIGHT || r == HS_ROLE_GROUP;
}

/* Pending until asked for, then what was stored, bit for bit. */
static void
test_columns_when_asked(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *stored = make_session(f);
    struct hs_sess *s = NULL;
    struct hs_table *t = NULL;
    struct hs_err err = {0};

    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_open(s, "d", &t, NULL, &err), HS_OK);
    assert_int_equal(t->nrows, stored->nrows);
    assert_int_equal(t->ncols, stored->ncols);
    for (size_t j = 0; j < t->ncols; j++)
        assert_int_equal(t->cols[j].pending, !role_at_once(t->cols[j].role));
    assert_non_null(hs_table_label(t));
    assert_non_null(hs_table_weight(t));
    assert_non_null(hs_table_group(t));
    assert_int_equal(hs_table_load_all(t, NULL, &err), HS_OK);
    assert_true(tu_tables_identical(t, stored));
    hs_table_free(t);
    hs_sess_close(s);
    hs_table_free(stored);
}

/* Column x loses a chunk: the open and every other column are fine; x
 * is damage, named, and stays pending. */
static void
test_damage_is_for_its_reader(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *stored = make_session(f);
    struct hs_sess *s = NULL;
    struct hs_table *t = NULL;
    struct hs_err err = {0};
    const double *v;
    long x = hs_table_find(stored, "x"), bits = hs_table_find(stored, "bits");
    char sql[200], want[300];

    snprintf(sql, sizeof sql, "DELETE FROM chunks WHERE col = %ld AND chunk = 2", x);
    tu_raw_exec(f->db, sql);
    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_open(s, "d", &t, NULL, &err), HS_OK);
    assert_int_equal(hs_table_values(t, (size_t)bits, &v, NULL, &err), HS_OK);
    assert_memory_equal(v, stored->cols[bits].v, t->nrows * sizeof *v);
    assert_int_equal(hs_table_values(t, (size_t)x, &v, NULL, &err), HS_ESESSION);
    snprintf(want, sizeof want,
             "%s: the session file is damaged (dataset 'd': chunk 2 of column %ld is missing", f->db,
             x);
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fail_msg("got '%s', want '%s...'", err.msg, want);
    assert_true(t->cols[x].pending);
    /* A whole load is refused, as before. */
    hs_table_free(t);
    t = NULL;
    assert_int_equal(hs_sess_dataset_load(s, "d", &t, NULL, &err), HS_ESESSION);
    assert_null(t);
    hs_sess_close(s);
    hs_table_free(stored);
}

/* A chunk of a column the dataset does not have: a whole load calls it
 * damage, as it always did; a command reading columns never meets it. */
static void
test_stray_chunk(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *stored = make_session(f), *t = NULL;
    struct hs_sess *s = NULL;
    struct hs_err err = {0};
    char sql[200];

    /* (the raw connection does not enforce foreign keys) */
    snprintf(sql, sizeof sql,
             "INSERT INTO chunks SELECT dataset, %zu, chunk, data FROM chunks WHERE col = 0",
             stored->ncols);
    tu_raw_exec(f->db, sql);
    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_load(s, "d", &t, NULL, &err), HS_ESESSION);
    assert_non_null(strstr(err.msg, "unexpected chunk 0 of column"));
    assert_int_equal(hs_sess_dataset_open(s, "d", &t, NULL, &err), HS_OK);
    assert_int_equal(hs_table_load_all(t, NULL, &err), HS_OK);
    assert_true(tu_tables_identical(t, stored));
    hs_table_free(t);
    hs_sess_close(s);
    hs_table_free(stored);
}

/* Another process replaces the dataset (same name, one row more)
 * between the open and the read of a column: HS_EBUSY, never the new
 * events under the old ones' label.  A change elsewhere in the session
 * (a journal line) is no reason to refuse. */
static void
test_replaced_meanwhile(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *stored = make_session(f);
    struct hs_sess *s = NULL, *other = NULL;
    struct hs_table *t = NULL, *fresh = tu_table(150001, 99);
    struct hs_err err = {0};
    const double *v;
    long x = hs_table_find(stored, "x"), bits = hs_table_find(stored, "bits");

    assert_int_equal(hs_sess_open(f->db, 0, &s, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_open(s, "d", &t, NULL, &err), HS_OK);
    assert_int_equal(hs_sess_open(f->db, 0, &other, &err), HS_OK);
    assert_int_equal(hs_sess_journal_append(other, "import elsewhere.csv", &err), HS_OK);
    assert_int_equal(hs_table_values(t, (size_t)bits, &v, NULL, &err), HS_OK);
    assert_memory_equal(v, stored->cols[bits].v, t->nrows * sizeof *v);
    assert_int_equal(hs_sess_dataset_store(other, "d", fresh, true, NULL, -1, -1, NULL, &err),
                     HS_OK);
    hs_sess_close(other);
    assert_int_equal(hs_table_values(t, (size_t)x, &v, NULL, &err), HS_EBUSY);
    assert_non_null(strstr(err.msg, "dataset 'd' was replaced or dropped after this command"));
    assert_true(t->cols[x].pending);
    hs_table_free(t);
    hs_table_free(fresh);
    hs_sess_close(s);
    hs_table_free(stored);
}

/* Column x of a lazy table on "d", read now: HS_EBUSY and still pending
 * (stale), or the values of `want`. */
static void
expect_read(struct hs_table *t, const struct hs_table *want)
{
    long x = hs_table_find(t, "x");
    struct hs_err err = {0};
    const double *v;

    if (!want) {
        assert_int_equal(hs_table_values(t, (size_t)x, &v, NULL, &err), HS_EBUSY);
        assert_non_null(strstr(err.msg, "dataset 'd' was replaced or dropped"));
        assert_non_null(strstr(err.msg, "run it again"));
        assert_true(t->cols[x].pending);
        return;
    }
    assert_int_equal(hs_table_values(t, (size_t)x, &v, NULL, &err), HS_OK);
    assert_memory_equal(v, want->cols[hs_table_find(want, "x")].v, t->nrows * sizeof *v);
}

/* Replaced twice by another process with as many rows, the three
 * stores within a second or so (the old check compared the count and
 * the creation second, and let this pass): the handle opened on the
 * first is stale, one opened now reads the last. */
static void
test_replaced_twice_same_count(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *stored = make_session(f);
    struct hs_table *second = tu_table(150000, 41), *third = tu_table(150000, 42);
    struct hs_sess *s = NULL, *other = NULL;
    struct hs_table *t = NULL, *now = NULL;
    struct hs_err err = {0};

    assert_int_equal(hs_sess_open(f->db, 0, &s, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_open(s, "d", &t, NULL, &err), HS_OK);
    assert_int_equal(hs_sess_open(f->db, 0, &other, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_store(other, "d", second, true, NULL, -1, -1, NULL, &err),
                     HS_OK);
    assert_int_equal(hs_sess_dataset_store(other, "d", third, true, NULL, -1, -1, NULL, &err),
                     HS_OK);
    hs_sess_close(other);
    expect_read(t, NULL);
    expect_read(t, NULL); /* asking again does not wave it through */
    assert_int_equal(hs_sess_dataset_open(s, "d", &now, NULL, &err), HS_OK);
    expect_read(now, third);
    hs_table_free(now);
    hs_table_free(t);
    hs_sess_close(s);
    hs_table_free(stored);
    hs_table_free(second);
    hs_table_free(third);
}

/* The same connection replaces the dataset under a lazy table it holds
 * (a TUI command storing over the dataset shown): no other process
 * committed, and still the stale handle refuses.  A drop and a new
 * dataset of the same name and size, stored in a new connection, is
 * no more the old one; a rename is the same events under a new name. */
static void
test_stale_handle_same_connection(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_table *stored = make_session(f), *again = tu_table(150000, 7);
    struct hs_sess *s = NULL;
    struct hs_table *t = NULL, *u = NULL;
    struct hs_err err = {0};

    assert_int_equal(hs_sess_open(f->db, 0, &s, &err), HS_OK);
    /* A rename: the handle reads on. */
    assert_int_equal(hs_sess_dataset_open(s, "d", &t, NULL, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_rename(s, "d", "e", &err), HS_OK);
    assert_int_equal(hs_sess_dataset_rename(s, "e", "d", &err), HS_OK);
    expect_read(t, stored);
    hs_table_free(t);
    /* Replaced by the same events, by the same connection. */
    assert_int_equal(hs_sess_dataset_open(s, "d", &t, NULL, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_store(s, "d", stored, true, NULL, -1, -1, NULL, &err), HS_OK);
    expect_read(t, NULL);
    hs_table_free(t);
    /* Dropped, the session closed, and stored anew: the largest id was
     * deleted, and still it is not given again. */
    assert_int_equal(hs_sess_dataset_open(s, "d", &u, NULL, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_drop(s, "d", &err), HS_OK);
    expect_read(u, NULL);
    assert_int_equal(hs_sess_dataset_store(s, "d", again, false, NULL, -1, -1, NULL, &err), HS_OK);
    expect_read(u, NULL);
    assert_int_equal(hs_sess_dataset_open(s, "d", &t, NULL, &err), HS_OK);
    expect_read(t, again);
    hs_table_free(t);
    hs_table_free(u);
    hs_sess_close(s);
    hs_table_free(stored);
    hs_table_free(again);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_columns_when_asked, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_damage_is_for_its_reader, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_stray_chunk, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_replaced_meanwhile, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_replaced_twice_same_count, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_stale_handle_same_connection, tu_setup, tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

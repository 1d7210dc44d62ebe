/* Unit tests of lazy tables (src/table_lazy.c): a column is read from its
 * source once, when first asked for; the label, weight and group come at
 * once; selections made before a column is read apply to it when it is;
 * a failed read leaves the column pending. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "featureset.h"
#include "mem.h"
#include "table.h"

#define NROWS 1000
#define NCOLS 4

/* A source whose column j holds 1000 * j + row, counting its reads; a
 * column in fail_col fails once. */
struct fake {
    size_t reads[NCOLS];
    long fail_col;
    int *freed;
};

static int
fake_read(void *user, const struct hs_table *t, size_t col, double *v, const struct hs_task *task,
          struct hs_err *err)
{
    struct fake *f = user;

    (void)task;
    if ((long)col == f->fail_col) {
        f->fail_col = -1;
        return hs_err_set(err, HS_ESESSION, "column %zu is damaged", col);
    }
    f->reads[col]++;
    for (size_t i = 0; i < t->src_nrows; i++)
        v[i] = col == 3 ? (double)(i % 3 == 0) : 1000.0 * (double)col + (double)i;
    return HS_OK;
}

static void
fake_free(void *user)
{
    struct fake *f = user;
    (*f->freed)++;
    free(f);
}

static const struct hs_table_source fake_source = {fake_read, fake_free};

/* Columns a, b, c and a label (column 3, 1 on every third row). */
static struct hs_table *
lazy_table(struct fake **out, int *freed)
{
    static const char *const names[] = {"a", "b", "c", "lab"};
    struct hs_table *t = hs_table_new();
    struct fake *f = calloc(1, sizeof *f);
    struct hs_err err = {0};

    assert_non_null(t);
    assert_non_null(f);
    f->fail_col = -1;
    f->freed = freed;
    for (size_t j = 0; j < NCOLS; j++)
        assert_int_equal(hs_table_add_column(t, names[j], HS_COL_NUMBER, NULL, NULL), HS_OK);
    t->cols[3].role = HS_ROLE_LABEL;
    t->cols[3].synthetic = true;
    assert_int_equal(hs_table_set_source(t, &fake_source, f, NROWS, NULL, &err), HS_OK);
    *out = f;
    return t;
}

static void
test_read_once_when_asked(void **state)
{
    struct fake *f;
    int freed = 0;
    struct hs_table *t = lazy_table(&f, &freed);
    const double *v, *w;
    struct hs_err err = {0};

    (void)state;
    assert_int_equal(t->nrows, NROWS);
    /* The label came with the table; nothing else did. */
    assert_int_equal(f->reads[3], 1);
    assert_non_null(hs_table_label(t));
    assert_true(hs_table_label(t)[3] == 1.0 && hs_table_label(t)[4] == 0.0);
    for (size_t j = 0; j < 3; j++) {
        assert_true(t->cols[j].pending);
        assert_int_equal(f->reads[j], 0);
    }
    assert_int_equal(hs_table_values(t, 1, &v, NULL, &err), HS_OK);
    assert_true(v[0] == 1000.0 && v[NROWS - 1] == 1000.0 + NROWS - 1);
    assert_int_equal(hs_table_values(t, 1, &w, NULL, &err), HS_OK);
    assert_ptr_equal(v, w);
    assert_int_equal(f->reads[1], 1);
    assert_int_equal(f->reads[0] + f->reads[2], 0);
    /* Every column, each read once in all. */
    assert_int_equal(hs_table_load_all(t, NULL, &err), HS_OK);
    for (size_t j = 0; j < NCOLS; j++)
        assert_int_equal(f->reads[j], 1);
    hs_table_drop_source(t);
    assert_int_equal(freed, 1);
    assert_null(t->src);
    hs_table_free(t);
    assert_int_equal(freed, 1);
}

/* A failed read names the column, leaves it pending, and the next ask
 * reads again. */
static void
test_failed_read_stays_pending(void **state)
{
    struct fake *f;
    int freed = 0;
    struct hs_table *t = lazy_table(&f, &freed);
    const double *v = NULL;
    struct hs_err err = {0};

    (void)state;
    f->fail_col = 2;
    assert_int_equal(hs_table_values(t, 2, &v, NULL, &err), HS_ESESSION);
    assert_string_equal(err.msg, "column 2 is damaged");
    assert_true(t->cols[2].pending);
    assert_null(t->cols[2].v);
    assert_int_equal(hs_table_values(t, 2, &v, NULL, &err), HS_OK);
    assert_true(v[5] == 2005.0);
    hs_table_free(t);
    assert_int_equal(freed, 1);
}

/* Selections before and after a column is read give it the rows a table
 * read whole and then narrowed would have: a brute-force reference. */
static void
test_keep_applies_to_pending(void **state)
{
    struct fake *f;
    int freed = 0;
    struct hs_table *t = lazy_table(&f, &freed);
    unsigned char m1[NROWS], m2[NROWS];
    size_t want[NROWS], nwant = 0, n1 = 0;
    const double *a, *b, *c;
    struct hs_err err = {0};

    (void)state;
    assert_int_equal(hs_table_values(t, 0, &a, NULL, &err), HS_OK);
    /* First selection: rows not divisible by 7; a is read, b and c not. */
    for (size_t i = 0; i < NROWS; i++)
        m1[i] = i % 7 != 0;
    hs_table_keep(t, m1);
    for (size_t i = 0; i < NROWS; i++)
        n1 += m1[i];
    assert_int_equal(t->nrows, n1);
    /* b is read between the two selections. */
    assert_int_equal(hs_table_values(t, 1, &b, NULL, &err), HS_OK);
    /* Second, over the rows kept: every other one. */
    for (size_t i = 0; i < n1; i++)
        m2[i] = i % 2 == 0;
    hs_table_keep(t, m2);
    for (size_t i = 0, k = 0; i < NROWS; i++)
        if (i % 7 != 0 && (k++ % 2 == 0))
            want[nwant++] = i;
    assert_int_equal(t->nrows, nwant);
    assert_int_equal(hs_table_values(t, 0, &a, NULL, &err), HS_OK);
    assert_int_equal(hs_table_values(t, 1, &b, NULL, &err), HS_OK);
    assert_int_equal(hs_table_values(t, 2, &c, NULL, &err), HS_OK);
    for (size_t k = 0; k < nwant; k++) {
        assert_true(a[k] == (double)want[k]);
        assert_true(b[k] == 1000.0 + (double)want[k]);
        assert_true(c[k] == 2000.0 + (double)want[k]);
        assert_true(hs_table_label(t)[k] == (double)(want[k] % 3 == 0));
    }
    hs_table_free(t);
}

/* The feature set reads through the table: a derived feature reads its
 * expression's columns and no other. */
static void
test_featureset_reads_what_it_uses(void **state)
{
    struct fake *f;
    int freed = 0;
    struct hs_table *t = lazy_table(&f, &freed);
    struct hs_featureset fs;
    struct hs_err err = {0};
    const double *v;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "s", "a + c", true, &err), HS_OK);
    assert_int_equal(hs_featureset_values_by_name(&fs, "s", &v, NULL, &err), HS_OK);
    assert_true(v[10] == 10.0 + 2010.0);
    assert_int_equal(f->reads[0], 1);
    assert_int_equal(f->reads[1], 0);
    assert_int_equal(f->reads[2], 1);
    f->fail_col = 1;
    assert_int_equal(hs_featureset_values_by_name(&fs, "b", &v, NULL, &err), HS_ESESSION);
    assert_string_equal(err.msg, "column 1 is damaged");
    hs_featureset_release(&fs);
    hs_table_free(t);
}

/* Out of memory for a column: HS_ENOMEM, the column still pending. */
static void
test_oom(void **state)
{
    struct fake *f;
    int freed = 0;
    struct hs_table *t = lazy_table(&f, &freed);
    const double *v;
    struct hs_err err = {0};

    (void)state;
    hs_mem_fail_after(0);
    assert_int_equal(hs_table_values(t, 0, &v, NULL, &err), HS_ENOMEM);
    hs_mem_fail_after(-1);
    assert_true(t->cols[0].pending);
    assert_int_equal(f->reads[0], 0);
    assert_int_equal(hs_table_values(t, 0, &v, NULL, &err), HS_OK);
    hs_table_free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_once_when_asked),
        cmocka_unit_test(test_failed_read_stays_pending),
        cmocka_unit_test(test_keep_applies_to_pending),
        cmocka_unit_test(test_featureset_reads_what_it_uses),
        cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

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
#include <stdio.h>
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
    size_t reads[NCOLS], row_reads[NCOLS];
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

static const struct hs_table_source fake_source = {.read = fake_read, .free = fake_free};

/* The same values, also read a block of rows at a time (counted in
 * row_reads, failing once for fail_col). */
static int
fake_read_rows(void *user, const struct hs_table *t, const size_t *cols, size_t ncols, size_t row0,
               size_t n, double *const *v, struct hs_err *err)
{
    struct fake *f = user;

    (void)t;
    for (size_t j = 0; j < ncols; j++) {
        if ((long)cols[j] == f->fail_col) {
            f->fail_col = -1;
            return hs_err_set(err, HS_ESESSION, "column %zu is damaged", cols[j]);
        }
        f->row_reads[cols[j]] += n;
        for (size_t i = 0; i < n; i++)
            v[j][i] = 1000.0 * (double)cols[j] + (double)(row0 + i);
    }
    return HS_OK;
}

static const struct hs_table_source fake_rows_source = {
    .read = fake_read, .read_rows = fake_read_rows, .block_rows = 128, .free = fake_free};

/* Columns a, b, c and a label (column 3, 1 on every third row). */
static struct hs_table *
lazy_table_of(const struct hs_table_source *src, struct fake **out, int *freed)
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
    assert_int_equal(hs_table_set_source(t, src, f, NROWS, NULL, &err), HS_OK);
    *out = f;
    return t;
}

static struct hs_table *
lazy_table(struct fake **out, int *freed)
{
    return lazy_table_of(&fake_source, out, freed);
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

/* With stream_inputs, a derived feature's inputs not read yet are read a
 * block at a time and not kept; the values and the counts of NaN are
 * those of the whole-column evaluation, worked out here by hand; inputs
 * already read, other derived features and a selection (which the
 * block reads cannot follow) take the ordinary way. */
static void
test_streamed_inputs(void **state)
{
    for (int keep_b = 0; keep_b < 2; keep_b++) {
        struct fake *f;
        int freed = 0;
        struct hs_table *t = lazy_table_of(&fake_rows_source, &f, &freed);
        struct hs_featureset fs;
        struct hs_err err = {0};
        const double *v;

        (void)state;
        assert_int_equal(hs_featureset_init(&fs, t, &err), HS_OK);
        fs.stream_inputs = true;
        assert_int_equal(hs_featureset_add(&fs, "d1", "a * 2 + c", true, &err), HS_OK);
        assert_int_equal(hs_featureset_add(&fs, "d2", "sqrt(a - 500) + d1 + b", true, &err),
                         HS_OK);
        if (keep_b)
            assert_int_equal(hs_table_values(t, 1, &v, NULL, &err), HS_OK);
        assert_int_equal(hs_featureset_values_by_name(&fs, "d2", &v, NULL, &err), HS_OK);
        size_t nnan = 0;
        for (size_t i = 0; i < NROWS; i++) {
            double a = (double)i, b = 1000.0 + (double)i, c = 2000.0 + (double)i;
            double want = sqrt(a - 500) + (a * 2 + c) + b;
            if (i < 500) {
                assert_true(isnan(v[i]));
                nnan++;
            } else if (v[i] != want) {
                fail_msg("row %zu: %.17g, not %.17g", i, v[i], want);
            }
        }
        long d2 = hs_featureset_find(&fs, "d2");
        assert_true(d2 >= 0);
        assert_int_equal(fs.f[d2].stats.nnan, nnan);
        assert_int_equal(fs.f[d2].stats.nrows, NROWS);
        /* a and c were streamed (once for d1, once for d2: a), never kept */
        assert_true(t->cols[0].pending && t->cols[2].pending);
        assert_int_equal(f->reads[0], 0);
        assert_int_equal(f->reads[2], 0);
        assert_int_equal(f->row_reads[0], 2 * NROWS);
        assert_int_equal(f->row_reads[2], NROWS);
        /* b: streamed when not read before, else used in place */
        assert_int_equal(f->reads[1], (size_t)keep_b);
        assert_int_equal(f->row_reads[1], keep_b ? 0 : NROWS);
        hs_featureset_release(&fs);
        hs_table_free(t);
    }
}

/* A failed block read fails the feature, which is computed afresh when
 * asked again; a selection turns streaming off. */
static void
test_streamed_failure_and_selection(void **state)
{
    struct fake *f;
    int freed = 0;
    struct hs_table *t = lazy_table_of(&fake_rows_source, &f, &freed);
    struct hs_featureset fs;
    struct hs_err err = {0};
    const double *v;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, &err), HS_OK);
    fs.stream_inputs = true;
    assert_int_equal(hs_featureset_add(&fs, "d", "a + b", true, &err), HS_OK);
    f->fail_col = 1;
    assert_int_equal(hs_featureset_values_by_name(&fs, "d", &v, NULL, &err), HS_ESESSION);
    assert_non_null(strstr(err.msg, "column 1 is damaged"));
    assert_int_equal(hs_featureset_values_by_name(&fs, "d", &v, NULL, &err), HS_OK);
    assert_true(v[999] == 999.0 + 1999.0);
    hs_featureset_release(&fs);

    unsigned char *mask = calloc(NROWS, 1);
    assert_non_null(mask);
    for (size_t i = 0; i < NROWS; i += 2)
        mask[i] = 1;
    hs_table_keep(t, mask);
    free(mask);
    assert_int_equal(hs_featureset_init(&fs, t, &err), HS_OK);
    fs.stream_inputs = true;
    assert_int_equal(hs_featureset_add(&fs, "e", "a + c", true, &err), HS_OK);
    size_t before = f->row_reads[2];
    assert_int_equal(hs_featureset_values_by_name(&fs, "e", &v, NULL, &err), HS_OK);
    assert_true(v[1] == 2.0 + 2002.0); /* the second row kept is source row 2 */
    assert_int_equal(f->row_reads[2], before);
    assert_int_equal(f->reads[2], 1);
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
        cmocka_unit_test(test_streamed_inputs),
        cmocka_unit_test(test_streamed_failure_and_selection),
        cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

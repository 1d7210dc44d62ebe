/* Unit tests of selections (src/rowsel.c): the mask of an expression, of
 * a cut set and of both against loops written here, missing values,
 * expression errors with their column, and narrowing a table in place
 * with a derived feature computed again over the kept rows, or gathering
 * a column's selected rows without narrowing. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cuts.h"
#include "featureset.h"
#include "rowsel.h"

#define N 1000

/* x = i mod 10, y = i / 100 (0..9), x missing every 7th row; a label. */
static struct hs_table *
make_table(void)
{
    static const char *const names[] = {"x", "y", "Truth"};
    struct hs_table *t = hs_table_new();
    size_t idx[3];

    assert_non_null(t);
    for (int j = 0; j < 3; j++)
        assert_int_equal(hs_table_add_column(t, names[j], HS_COL_NUMBER, &idx[j], NULL), HS_OK);
    assert_int_equal(hs_table_resize(t, N), HS_OK);
    for (size_t i = 0; i < N; i++) {
        t->cols[idx[0]].v[i] = i % 7 == 0 ? NAN : (double)(i % 10);
        t->cols[idx[1]].v[i] = (double)(i / 100);
        t->cols[idx[2]].v[i] = (double)(i % 3 == 0);
    }
    assert_int_equal(hs_table_set_label(t, "Truth", NULL, NULL), HS_OK);
    return t;
}

struct fixture {
    struct hs_table *t;
    struct hs_featureset fs;
    unsigned char mask[N];
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    assert_non_null(f);
    f->t = make_table();
    assert_int_equal(hs_featureset_init(&f->fs, f->t, NULL), HS_OK);
    assert_int_equal(hs_featureset_add(&f->fs, "s", "x + 10 * y", true, NULL), HS_OK);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    hs_featureset_release(&f->fs);
    hs_table_free(f->t);
    free(f);
    return 0;
}

static void
test_where(void **state)
{
    struct fixture *f = *state;
    size_t nsel = 0, want = 0;

    assert_int_equal(hs_rowsel_mask(&f->fs, "x < 3 && y >= 5", NULL, f->mask, &nsel, NULL, NULL),
                     HS_OK);
    for (size_t i = 0; i < N; i++) {
        int sel = i % 7 != 0 && i % 10 < 3 && i / 100 >= 5;
        assert_int_equal(f->mask[i], sel);
        want += (size_t)sel;
    }
    assert_int_equal(nsel, want);
    /* A value is true when non-zero and not NaN: x alone keeps x != 0. */
    assert_int_equal(hs_rowsel_mask(&f->fs, "x", NULL, f->mask, &nsel, NULL, NULL), HS_OK);
    for (size_t i = 0; i < N; i++)
        assert_int_equal(f->mask[i], i % 7 != 0 && i % 10 != 0);
    /* A derived feature may be named. */
    assert_int_equal(hs_rowsel_mask(&f->fs, "s == 11", NULL, f->mask, &nsel, NULL, NULL), HS_OK);
    for (size_t i = 0; i < N; i++)
        assert_int_equal(f->mask[i], i % 7 != 0 && i % 10 == 1 && i / 100 == 1);
}

static void
test_cuts_and_where(void **state)
{
    struct fixture *f = *state;
    struct hs_cutset cs = {0};
    size_t nsel = 0, want = 0;

    assert_int_equal(hs_cutset_add_range(&cs, "y", 2, 4, NULL), HS_OK);
    assert_int_equal(hs_rowsel_mask(&f->fs, NULL, &cs, f->mask, &nsel, NULL, NULL), HS_OK);
    assert_int_equal(nsel, 200);
    assert_int_equal(hs_rowsel_mask(&f->fs, "x >= 8", &cs, f->mask, &nsel, NULL, NULL), HS_OK);
    for (size_t i = 0; i < N; i++) {
        int sel = i / 100 >= 2 && i / 100 < 4 && i % 7 != 0 && i % 10 >= 8;
        assert_int_equal(f->mask[i], sel);
        want += (size_t)sel;
    }
    assert_int_equal(nsel, want);
    /* Nothing given: every row. */
    assert_int_equal(hs_rowsel_mask(&f->fs, NULL, NULL, f->mask, &nsel, NULL, NULL), HS_OK);
    assert_int_equal(nsel, N);
    hs_cutset_release(&cs);
}

static void
test_errors(void **state)
{
    struct fixture *f = *state;
    struct hs_err err = {0};
    struct hs_cutset cs = {0};
    size_t nsel = 0;

    assert_int_equal(hs_rowsel_mask(&f->fs, "x < 3 && yy > 1", NULL, f->mask, &nsel, NULL, &err),
                     HS_ENOTFOUND);
    assert_int_equal(err.col, 10);
    assert_non_null(strstr(err.msg, "'yy'"));
    assert_int_equal(hs_rowsel_mask(&f->fs, "x < (3", NULL, f->mask, &nsel, NULL, &err),
                     HS_EUSAGE);
    assert_int_equal(err.col, 5);
    assert_int_equal(hs_cutset_add_range(&cs, "zz", 0, 1, NULL), HS_OK);
    assert_int_equal(hs_rowsel_mask(&f->fs, NULL, &cs, f->mask, &nsel, NULL, &err), HS_ENOTFOUND);
    hs_cutset_release(&cs);
}

static void
test_and_count(void **state)
{
    unsigned char a[6] = {1, 1, 0, 2, 0, 1}, b[6] = {1, 0, 1, 1, 0, 7};

    (void)state;
    assert_int_equal(hs_rowsel_count(a, 6), 4);
    assert_int_equal(hs_rowsel_and(a, b, 6), 3);
    assert_memory_equal(a, ((unsigned char[6]){1, 0, 0, 1, 0, 1}), 6);
}

static void
test_keep(void **state)
{
    struct fixture *f = *state;
    const double *s = NULL, *x;
    size_t nsel = 0, k = 0;
    long jx = hs_table_find(f->t, "x");

    /* The derived feature is cached over all rows first... */
    assert_int_equal(hs_featureset_values_by_name(&f->fs, "s", &s, NULL, NULL), HS_OK);
    assert_int_equal(hs_rowsel_mask(&f->fs, "y == 3 || y == 8", NULL, f->mask, &nsel, NULL, NULL),
                     HS_OK);
    assert_int_equal(nsel, 200);
    hs_rowsel_keep(f->t, &f->fs, f->mask);
    assert_int_equal(f->t->nrows, 200);
    /* ...and computed again over the kept rows, which keep their order. */
    assert_int_equal(hs_featureset_values_by_name(&f->fs, "s", &s, NULL, NULL), HS_OK);
    x = f->t->cols[jx].v;
    for (size_t i = 0; i < N; i++) {
        if (!f->mask[i])
            continue;
        if (i % 7 == 0) {
            assert_true(isnan(x[k]) && isnan(s[k]));
        } else {
            assert_true(x[k] == (double)(i % 10));
            assert_true(s[k] == (double)(i % 10) + 10.0 * (double)(i / 100));
        }
        assert_true(hs_table_label(f->t)[k] == (double)(i % 3 == 0));
        k++;
    }
    assert_int_equal(k, 200);
}

/* Gathering the selected rows gives what narrowing in place keeps, bit
 * for bit (NaN included), without touching the table. */
static void
test_gather(void **state)
{
    struct fixture *f = *state;
    const double *x = f->t->cols[hs_table_find(f->t, "x")].v;
    double got[N], want[N];
    size_t nsel = 0, k = 0;

    assert_int_equal(hs_rowsel_mask(&f->fs, "y == 3 || x > 7", NULL, f->mask, &nsel, NULL, NULL),
                     HS_OK);
    for (size_t i = 0; i < N; i++)
        if (f->mask[i])
            want[k++] = x[i];
    assert_int_equal(k, nsel);
    assert_int_equal(hs_rowsel_gather(x, f->mask, N, got), nsel);
    assert_memory_equal(got, want, nsel * sizeof *got);
    assert_int_equal(f->t->nrows, N);
    memset(f->mask, 0, N);
    assert_int_equal(hs_rowsel_gather(x, f->mask, N, got), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_where, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cuts_and_where, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test(test_and_count),
        cmocka_unit_test_setup_teardown(test_keep, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gather, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

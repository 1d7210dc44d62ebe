/* Unit tests of the feature set (src/featureset.c): raw and derived
 * features, toggles, dependencies, caching and errors. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "featureset.h"
#include "mem.h"

/* x = 0..n-1, y = 2x, Truth alternating, type text "a"/"b". */
static struct hs_table *
make_table(size_t n)
{
    struct hs_table *t = hs_table_new();
    size_t ix, iy, it, ik;

    assert_int_equal(hs_table_add_column(t, "x", HS_COL_NUMBER, &ix, NULL), HS_OK);
    assert_int_equal(hs_table_add_column(t, "y", HS_COL_NUMBER, &iy, NULL), HS_OK);
    assert_int_equal(hs_table_add_column(t, "kind", HS_COL_TEXT, &ik, NULL), HS_OK);
    assert_int_equal(hs_table_add_column(t, "Truth", HS_COL_NUMBER, &it, NULL), HS_OK);
    assert_int_equal(hs_table_resize(t, n), HS_OK);
    for (size_t i = 0; i < n; i++) {
        t->cols[ix].v[i] = (double)i;
        t->cols[iy].v[i] = 2.0 * (double)i;
        t->cols[it].v[i] = (double)(i % 2);
        assert_int_equal(hs_column_intern(&t->cols[ik], i % 2 ? "b" : "a", 1, &t->cols[ik].v[i]),
                         HS_OK);
    }
    assert_int_equal(hs_table_set_label(t, "Truth", NULL, NULL), HS_OK);
    return t;
}

static void
test_raw_features(void **state)
{
    struct hs_table *t = make_table(10);
    struct hs_featureset fs;
    const double *v;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    /* x and y; not the text column, the label source or _label. */
    assert_int_equal(fs.n, 2);
    assert_string_equal(fs.f[0].name, "x");
    assert_string_equal(fs.f[1].name, "y");
    assert_int_equal(hs_featureset_values(&fs, 1, &v, NULL, NULL), HS_OK);
    assert_ptr_equal(v, t->cols[1].v);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

static void
test_derived_chain(void **state)
{
    struct hs_table *t = make_table(5000);
    struct hs_featureset fs;
    struct hs_err err;
    const double *v, *again;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "s", "x + y", true, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "r", "s / 3 + (kind == \"b\")", true, &err), HS_OK);
    assert_int_equal(hs_featureset_values(&fs, 3, &v, NULL, &err), HS_OK);
    for (size_t i = 0; i < 5000; i++)
        assert_true(fabs(v[i] - ((double)i + (i % 2 ? 1.0 : 0.0))) < 1e-9);
    /* Cached: the same array comes back. */
    assert_int_equal(hs_featureset_values(&fs, 3, &again, NULL, &err), HS_OK);
    assert_ptr_equal(v, again);
    /* s is used by r: it cannot go first. */
    assert_int_equal(hs_featureset_drop(&fs, "s", &err), HS_EUSAGE);
    assert_string_equal(err.msg, "feature 's' is used by feature 'r': drop that first");
    assert_int_equal(hs_featureset_drop(&fs, "r", &err), HS_OK);
    assert_int_equal(hs_featureset_drop(&fs, "s", &err), HS_OK);
    assert_int_equal(hs_featureset_drop(&fs, "x", &err), HS_EUSAGE);
    assert_int_equal(fs.n, 2);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

static void
test_errors(void **state)
{
    struct hs_table *t = make_table(3);
    struct hs_featureset fs;
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "m", "sqrt(xx) + 1", true, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "feature 'm': column 'xx' not found at 6"));
    assert_int_equal(err.col, 6);
    assert_int_equal(hs_featureset_add(&fs, "y", "x", true, &err), HS_EEXIST);
    assert_int_equal(hs_featureset_add(&fs, "_label", "x", true, &err), HS_EEXIST);
    assert_int_equal(hs_featureset_add(&fs, "2x", "x", true, &err), HS_EUSAGE);
    /* hepscope's own columns cannot be read by a feature. */
    assert_int_equal(hs_featureset_add(&fs, "l", "_label", true, &err), HS_ENOTFOUND);
    assert_int_equal(hs_featureset_set_on(&fs, "yy", false, &err), HS_ENOTFOUND);
    assert_string_equal(err.msg, "no feature 'yy' (did you mean 'y'?)");
    assert_int_equal(hs_featureset_set_on(&fs, "y", false, &err), HS_OK);
    assert_false(fs.f[1].on);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

static void
test_alloc_failures(void **state)
{
    struct hs_table *t = make_table(100);

    (void)state;
    for (long n = 0; n < 60; n++) {
        struct hs_featureset fs;
        const double *v;
        int rc;

        hs_mem_fail_after(n);
        rc = hs_featureset_init(&fs, t, NULL);
        if (!rc) {
            rc = hs_featureset_add(&fs, "s", "x * y", true, NULL);
            if (!rc)
                rc = hs_featureset_values(&fs, 2, &v, NULL, NULL);
            hs_featureset_release(&fs);
        }
        hs_mem_fail_after(-1);
        assert_true(rc == HS_OK || rc == HS_ENOMEM);
    }
    hs_table_free(t);
}

/* Cuts and scores reach every column and feature, on or off, by name. */
static void
test_any_name(void **state)
{
    struct hs_table *t = make_table(100);
    struct hs_featureset fs;
    struct hs_expr *e = NULL;
    struct hs_expr_stats st;
    struct hs_err err;
    const double *v;
    double out[100];

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "s", "x + y", false, &err), HS_OK);
    assert_int_equal(hs_featureset_set_on(&fs, "x", false, &err), HS_OK);
    /* An off raw feature, an off derived one, the label source, a text column. */
    assert_int_equal(hs_featureset_values_by_name(&fs, "x", &v, NULL, &err), HS_OK);
    assert_true(v[7] == 7.0);
    assert_int_equal(hs_featureset_values_by_name(&fs, "s", &v, NULL, &err), HS_OK);
    assert_true(v[7] == 21.0);
    assert_int_equal(hs_featureset_values_by_name(&fs, "Truth", &v, NULL, &err), HS_OK);
    assert_true(v[7] == 1.0);
    assert_int_equal(hs_featureset_values_by_name(&fs, "kind", &v, NULL, &err), HS_OK);
    /* hepscope's own columns are not reachable, and misses suggest. */
    assert_int_equal(hs_featureset_values_by_name(&fs, "_label", &v, NULL, &err), HS_ENOTFOUND);
    assert_int_equal(hs_featureset_values_by_name(&fs, "xx", &v, NULL, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "did you mean"));

    assert_int_equal(hs_featureset_compile(&fs, "s > 30 && kind == \"b\"", &e, &err), HS_OK);
    assert_int_equal(hs_featureset_eval(&fs, e, out, &st, NULL, &err), HS_OK);
    for (size_t i = 0; i < 100; i++)
        assert_true(out[i] == (3.0 * (double)i > 30 && i % 2 ? 1.0 : 0.0));
    assert_int_equal(st.nrows, 100);
    hs_expr_free(e);
    e = NULL;
    assert_int_equal(hs_featureset_compile(&fs, "_label > 0", &e, &err), HS_ENOTFOUND);
    assert_null(e);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_features),
        cmocka_unit_test(test_derived_chain),
        cmocka_unit_test(test_any_name),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

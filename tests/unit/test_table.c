/* Unit tests of the columnar table (src/table.c). */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mem.h"
#include "table.h"

/* A table with columns named in names (all numeric) and n rows of v[i][r]. */
static struct hs_table *
make_table(size_t ncols, const char *const *names, size_t n, const double *vals)
{
    struct hs_table *t = hs_table_new();
    assert_non_null(t);
    for (size_t j = 0; j < ncols; j++)
        assert_int_equal(hs_table_add_column(t, names[j], HS_COL_NUMBER, NULL, NULL), HS_OK);
    assert_int_equal(hs_table_resize(t, n), HS_OK);
    for (size_t j = 0; j < ncols; j++)
        for (size_t r = 0; r < n; r++)
            t->cols[j].v[r] = vals[j * n + r];
    return t;
}

static void
test_add_find_remove(void **state)
{
    struct hs_table *t = hs_table_new();
    struct hs_err err;
    size_t idx;

    (void)state;
    assert_int_equal(hs_table_add_column(t, "a", HS_COL_NUMBER, &idx, &err), HS_OK);
    assert_int_equal(idx, 0);
    assert_int_equal(hs_table_add_column(t, "b", HS_COL_TEXT, &idx, &err), HS_OK);
    assert_int_equal(idx, 1);
    assert_int_equal(hs_table_add_column(t, "a", HS_COL_NUMBER, &idx, &err), HS_EEXIST);
    assert_string_equal(err.msg, "duplicate column name 'a'");
    assert_int_equal(hs_table_find(t, "b"), 1);
    assert_int_equal(hs_table_find(t, "zz"), -1);
    assert_int_equal(hs_table_resize(t, 3000), HS_OK);
    assert_true(isnan(t->cols[0].v[2999]));
    hs_table_remove_column(t, 0);
    assert_int_equal(t->ncols, 1);
    assert_string_equal(t->cols[0].name, "b");
    hs_table_free(t);
    hs_table_free(NULL);
}

static void
test_intern(void **state)
{
    struct hs_table *t = hs_table_new();
    double c1, c2, c3;
    size_t idx;

    (void)state;
    assert_int_equal(hs_table_add_column(t, "type", HS_COL_TEXT, &idx, NULL), HS_OK);
    assert_int_equal(hs_column_intern(&t->cols[0], "EBX", 2, &c1), HS_OK);
    assert_int_equal(hs_column_intern(&t->cols[0], "EE", 2, &c2), HS_OK);
    assert_int_equal(hs_column_intern(&t->cols[0], "EB", 2, &c3), HS_OK);
    assert_true(c1 == 0.0 && c2 == 1.0 && c3 == 0.0);
    assert_string_equal(hs_column_text(&t->cols[0], 1.0), "EE");
    assert_null(hs_column_text(&t->cols[0], NAN));
    assert_null(hs_column_text(&t->cols[0], 2.0));
    hs_table_free(t);
}

static void
test_label_inferred(void **state)
{
    const char *names[] = {"x", "Truth"};
    const double v[] = {1, 2, 3, 4, 0, 1, 1, 0};
    struct hs_table *t = make_table(2, names, 4, v);
    size_t s, b;

    (void)state;
    assert_int_equal(hs_table_set_label(t, "Truth", NULL, NULL), HS_OK);
    assert_int_equal(t->cols[1].role, HS_ROLE_LABEL_SRC);
    assert_false(hs_table_is_feature(t, 1));
    assert_true(hs_table_is_feature(t, 0));
    assert_non_null(hs_table_label(t));
    assert_true(hs_table_label(t)[1] == 1.0 && hs_table_label(t)[3] == 0.0);
    hs_table_class_counts(t, &s, &b);
    assert_int_equal(s, 2);
    assert_int_equal(b, 2);
    assert_true(t->cols[hs_table_find(t, HS_LABEL_NAME)].synthetic);
    hs_table_free(t);
}

static void
test_label_needs_signal(void **state)
{
    const char *names[] = {"proc"};
    const double v[] = {0, 1, 2, 1};
    struct hs_table *t = make_table(1, names, 4, v);
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_table_set_label(t, "proc", NULL, &err), HS_EDATA);
    assert_string_equal(err.msg, "label column 'proc' has the values 0, 1, 2: say which one is "
                                 "signal with --signal VALUE");
    assert_int_equal(hs_table_set_label(t, "proc", "2.0", &err), HS_OK);
    assert_true(hs_table_label(t)[2] == 1.0 && hs_table_label(t)[1] == 0.0);
    hs_table_free(t);
}

static void
test_label_text(void **state)
{
    struct hs_table *t = hs_table_new();
    struct hs_err err;
    const char *vals[] = {"bkg", "HNL", "bkg"};

    (void)state;
    assert_int_equal(hs_table_add_column(t, "kind", HS_COL_TEXT, NULL, NULL), HS_OK);
    assert_int_equal(hs_table_resize(t, 3), HS_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(hs_column_intern(&t->cols[0], vals[i], strlen(vals[i]), &t->cols[0].v[i]),
                         HS_OK);
    assert_int_equal(hs_table_set_label(t, "kind", "s", &err), HS_EDATA);
    assert_string_equal(err.msg, "label column 'kind' has no event with the signal value 's' "
                                 "(values found: 'bkg', 'HNL')");
    assert_int_equal(hs_table_set_label(t, "kind", "HNL", &err), HS_OK);
    assert_true(hs_table_label(t)[1] == 1.0 && hs_table_label(t)[0] == 0.0);
    hs_table_free(t);
}

static void
test_label_missing_value(void **state)
{
    const char *names[] = {"Truth"};
    const double v[] = {0, NAN, 1};
    struct hs_table *t = make_table(1, names, 3, v);
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_table_set_label(t, "Truth", NULL, &err), HS_EDATA);
    assert_string_equal(err.msg, "label column 'Truth' is empty for 1 event (the first is event 2)");
    assert_int_equal(hs_table_set_label(t, "nope", NULL, &err), HS_ENOTFOUND);
    hs_table_free(t);
}

static void
test_roles(void **state)
{
    const char *names[] = {"x", "w", "g"};
    const double v[] = {1, 2, 0.5, NAN, 7, 8};
    struct hs_table *t = make_table(3, names, 2, v);
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_table_set_role(t, "w", HS_ROLE_WEIGHT, &err), HS_EDATA);
    assert_string_equal(err.msg, "weight column 'w': event 2 has no weight");
    t->cols[1].v[1] = -INFINITY;
    assert_int_equal(hs_table_set_role(t, "w", HS_ROLE_WEIGHT, &err), HS_EDATA);
    assert_string_equal(err.msg, "weight column 'w': the weight of event 2 is -inf, not finite");
    t->cols[1].v[1] = 1.5;
    assert_int_equal(hs_table_set_role(t, "w", HS_ROLE_WEIGHT, &err), HS_OK);
    assert_true(hs_table_weight(t)[1] == 1.5);
    assert_int_equal(hs_table_set_role(t, "g", HS_ROLE_GROUP, &err), HS_OK);
    assert_ptr_equal(hs_table_group(t), &t->cols[2]);
    assert_int_equal(hs_table_set_role(t, "g", HS_ROLE_WEIGHT, &err), HS_EUSAGE);
    hs_table_free(t);
}

static void
test_append_groups(void **state)
{
    const char *names[] = {"a", "b"};
    const double s[] = {1, 2, 3, 4};
    const double b1[] = {5, 6};
    const char *bad_names[] = {"a", "c"};
    struct hs_table *sig = make_table(2, names, 2, s);
    struct hs_table *bkg = make_table(2, names, 1, b1);
    struct hs_table *bad = make_table(2, bad_names, 1, b1);
    struct hs_table *all = hs_table_new();
    struct hs_err err;
    const struct hs_column *g;

    (void)state;
    assert_int_equal(hs_table_append(all, sig, "signal", "all", "sig.csv", &err), HS_OK);
    assert_int_equal(hs_table_append(all, bkg, "ttbar", "sig.csv", "bkg.csv", &err), HS_OK);
    assert_int_equal(hs_table_append(all, bad, "qcd", "sig.csv", "bad.csv", &err), HS_EDATA);
    assert_string_equal(err.msg, "column 2 is 'b' in sig.csv but 'c' in bad.csv");
    assert_int_equal(all->nrows, 3);
    assert_true(all->cols[0].v[2] == 5 && all->cols[1].v[2] == 6 && all->cols[1].v[0] == 3);
    g = hs_table_group(all);
    assert_non_null(g);
    assert_true(g->synthetic);
    assert_string_equal(hs_column_text(g, g->v[0]), "signal");
    assert_string_equal(hs_column_text(g, g->v[2]), "ttbar");
    assert_int_equal(hs_table_set_label(all, HS_GROUP_NAME, "signal", &err), HS_OK);
    assert_int_equal(g->role, HS_ROLE_GROUP);
    assert_true(hs_table_label(all)[1] == 1.0 && hs_table_label(all)[2] == 0.0);
    hs_table_free(sig);
    hs_table_free(bkg);
    hs_table_free(bad);
    hs_table_free(all);
}

/* Every allocation in turn fails: each call fails cleanly (ASan checks leaks). */
/* Event and run numbers are identifiers; a fraction or a text column,
 * or a name that only contains "id", is not. */
static void
test_guess_ids(void **state)
{
    static const char *const names[] = {"EventID", "run_number", "idx", "Event", "width",
                                        "lumi-block", "kind"};
    struct hs_table *t = hs_table_new();
    size_t k;

    (void)state;
    for (size_t j = 0; j < 6; j++)
        assert_int_equal(hs_table_add_column(t, names[j], HS_COL_NUMBER, &k, NULL), HS_OK);
    assert_int_equal(hs_table_add_column(t, names[6], HS_COL_TEXT, &k, NULL), HS_OK);
    assert_int_equal(hs_table_resize(t, 3), HS_OK);
    for (size_t i = 0; i < 3; i++) {
        t->cols[0].v[i] = 1e9 + (double)i;
        t->cols[1].v[i] = i == 1 ? NAN : 17;
        t->cols[2].v[i] = 0.5 * (double)i; /* not whole */
        t->cols[3].v[i] = (double)i;
        t->cols[4].v[i] = (double)i;
        t->cols[5].v[i] = (double)i;
    }
    t->cols[3].role = HS_ROLE_WEIGHT; /* a role already: left alone */
    assert_int_equal(hs_table_guess_ids(t), 3);
    assert_int_equal(t->cols[0].role, HS_ROLE_ID);
    assert_int_equal(t->cols[1].role, HS_ROLE_ID);
    assert_int_equal(t->cols[2].role, HS_ROLE_FEATURE);
    assert_int_equal(t->cols[3].role, HS_ROLE_WEIGHT);
    assert_int_equal(t->cols[4].role, HS_ROLE_FEATURE);
    assert_int_equal(t->cols[5].role, HS_ROLE_ID);
    assert_int_equal(t->cols[6].role, HS_ROLE_FEATURE);
    assert_false(hs_table_is_feature(t, 0));
    hs_table_free(t);
}

static void
test_alloc_failures(void **state)
{
    (void)state;
    for (long n = 0; n < 40; n++) {
        struct hs_table *t;
        int rc = HS_OK;
        size_t idx;
        double code;

        hs_mem_fail_after(n);
        t = hs_table_new();
        if (t) {
            rc = hs_table_add_column(t, "a", HS_COL_TEXT, &idx, NULL);
            if (!rc)
                rc = hs_table_resize(t, 5000);
            if (!rc)
                rc = hs_column_intern(&t->cols[0], "x", 1, &code);
            if (!rc)
                rc = hs_table_add_column(t, "b", HS_COL_NUMBER, &idx, NULL);
        }
        hs_mem_fail_after(-1);
        assert_true(rc == HS_OK || rc == HS_ENOMEM);
        hs_table_free(t);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_find_remove), cmocka_unit_test(test_intern),
        cmocka_unit_test(test_label_inferred),  cmocka_unit_test(test_label_needs_signal),
        cmocka_unit_test(test_label_text),      cmocka_unit_test(test_label_missing_value),
        cmocka_unit_test(test_roles),           cmocka_unit_test(test_append_groups),
        cmocka_unit_test(test_guess_ids),       cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of per-column statistics (src/stats.c) against exact formulas. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats.h"

static void
test_unweighted(void **state)
{
    /* 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squared deviations 32,
     * sample sd sqrt(32/7). */
    const double v[] = {2, 4, NAN, 4, 4, 5, 5, 7, 9};
    struct hs_colstats st;

    (void)state;
    hs_stats_column(v, NULL, NULL, 9, HS_CLASS_ALL, &st);
    assert_int_equal(st.n, 8);
    assert_int_equal(st.missing, 1);
    assert_true(fabs(st.mean - 5.0) < 1e-15);
    assert_true(fabs(st.sd - sqrt(32.0 / 7.0)) < 1e-14);
    assert_true(st.min == 2.0 && st.max == 9.0);
}

static void
test_by_class(void **state)
{
    const double v[] = {1, 10, 3, 20, 5};
    const double label[] = {1, 0, 1, 0, 1};
    struct hs_colstats s, b;

    (void)state;
    hs_stats_column(v, label, NULL, 5, HS_CLASS_SIGNAL, &s);
    hs_stats_column(v, label, NULL, 5, HS_CLASS_BACKGROUND, &b);
    assert_int_equal(s.n, 3);
    assert_true(fabs(s.mean - 3.0) < 1e-15 && fabs(s.sd - 2.0) < 1e-15);
    assert_int_equal(b.n, 2);
    assert_true(fabs(b.mean - 15.0) < 1e-15 && fabs(b.sd - sqrt(50.0)) < 1e-14);
    assert_true(b.min == 10.0 && b.max == 20.0);
}

static void
test_weighted_equals_repeated(void **state)
{
    /* Integer weights act as repetitions: {1 x2, 4 x1, 6 x3}. */
    const double v[] = {1, 4, 6};
    const double w[] = {2, 1, 3};
    const double rep[] = {1, 1, 4, 6, 6, 6};
    struct hs_colstats a, b;

    (void)state;
    hs_stats_column(v, NULL, w, 3, HS_CLASS_ALL, &a);
    hs_stats_column(rep, NULL, NULL, 6, HS_CLASS_ALL, &b);
    assert_true(fabs(a.mean - b.mean) < 1e-14);
    assert_true(fabs(a.sd - b.sd) < 1e-14);
    assert_true(fabs(a.sumw - 6.0) < 1e-15);
}

static void
test_empty(void **state)
{
    const double v[] = {NAN, NAN};
    struct hs_colstats st;

    (void)state;
    hs_stats_column(v, NULL, NULL, 2, HS_CLASS_ALL, &st);
    assert_int_equal(st.n, 0);
    assert_int_equal(st.missing, 2);
    assert_true(isnan(st.mean) && isnan(st.sd) && isnan(st.min) && isnan(st.max));
}

static void
test_stable(void **state)
{
    /* A large offset: the naive sum-of-squares formula loses every digit. */
    double v[1000];
    struct hs_colstats st;

    (void)state;
    for (int i = 0; i < 1000; i++)
        v[i] = 1e9 + (i % 2 ? 1.0 : -1.0);
    hs_stats_column(v, NULL, NULL, 1000, HS_CLASS_ALL, &st);
    assert_true(fabs(st.mean - 1e9) < 1e-6);
    assert_true(fabs(st.sd - sqrt(1000.0 / 999.0)) < 1e-9);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unweighted),
        cmocka_unit_test(test_by_class),
        cmocka_unit_test(test_weighted_equals_repeated),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

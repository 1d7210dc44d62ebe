/* Unit tests of the tree ensemble (src/forest.c): raw scores of hand-made
 * trees against the leaf each event must reach by the rules of forest.h
 * (x < threshold left, NaN to the missing side), the parallel pass
 * against the row walk, every rule hs_forest_check enforces, truncation
 * and allocation failures. */
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

#include "test_util.h"

#include "forest.h"
#include "mem.h"

#define LEAF(v, c) {.feature = -1, .value = (v), .cover = (c)}

/* x0 < 1 ? (x1 < 2 ? 10 : 20) : 30, NaN in x0 right, NaN in x1 left. */
static const struct hs_forest_node tree_a[] = {
    {.feature = 0, .left = 1, .right = 2, .missing_left = false, .threshold = 1, .cover = 6,
     .gain = 3},
    {.feature = 1, .left = 3, .right = 4, .missing_left = true, .threshold = 2, .cover = 4,
     .gain = 1},
    LEAF(30, 2),
    LEAF(10, 3),
    LEAF(20, 1),
};

/* x1 < -1 ? 0.5 : -0.25 */
static const struct hs_forest_node tree_b[] = {
    {.feature = 1, .left = 1, .right = 2, .missing_left = true, .threshold = -1, .cover = 6,
     .gain = 2},
    LEAF(0.5, 2),
    LEAF(-0.25, 4),
};

static struct hs_forest *
two_trees(void)
{
    struct hs_err err = {0};
    struct hs_forest *f = hs_forest_new(2, 0.125);
    assert_non_null(f);
    assert_int_equal(hs_forest_add_tree(f, tree_a, 5, &err), HS_OK);
    assert_int_equal(hs_forest_add_tree(f, tree_b, 3, &err), HS_OK);
    assert_int_equal(hs_forest_check(f, &err), HS_OK);
    return f;
}

static void
test_rows(void **state)
{
    (void)state;
    struct hs_forest *f = two_trees();
    struct {
        double x0, x1, want;
    } cases[] = {
        {0.5, 1.5, 0.125 + 10 - 0.25},     {0.5, 2, 0.125 + 20 - 0.25},
        {1, -5, 0.125 + 30 + 0.5},         {NAN, -1, 0.125 + 30 - 0.25},
        {0.99, NAN, 0.125 + 10 + 0.5},     {-INFINITY, INFINITY, 0.125 + 20 - 0.25},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double x[2] = {cases[i].x0, cases[i].x1};
        assert_true(hs_forest_raw_row(f, x) == cases[i].want);
    }
    double x[2] = {0.5, 1.5};
    assert_int_equal(hs_forest_leaf(f, 0, x), 3);
    assert_int_equal(hs_forest_leaf(f, 1, x), 2);
    hs_forest_truncate(f, 1);
    assert_true(hs_forest_raw_row(f, x) == 0.125 + 10);
    hs_forest_free(f);
}

/* The column pass, over several blocks and threads, against the row walk. */
static void
test_columns(void **state)
{
    (void)state;
    struct hs_err err = {0};
    struct hs_forest *f = two_trees();
    size_t n = 70001;
    double *c0 = malloc(n * sizeof *c0), *c1 = malloc(n * sizeof *c1);
    double *out = malloc(n * sizeof *out);
    assert_true(c0 && c1 && out);
    uint64_t s = 12345;
    for (size_t e = 0; e < n; e++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        c0[e] = (double)(s >> 40) / (1 << 23) * 2;
        c1[e] = e % 97 == 0 ? NAN : (double)((s >> 11) & 0xffff) / 8192 - 4;
    }
    const double *const cols[2] = {c0, c1};
    for (int threads = 1; threads <= 3; threads++) {
        assert_int_equal(hs_forest_raw(f, cols, n, out, threads, NULL, &err), HS_OK);
        for (size_t e = 0; e < n; e++) {
            double x[2] = {c0[e], c1[e]};
            assert_true(out[e] == hs_forest_raw_row(f, x));
        }
    }
    atomic_int cancel = 1;
    struct hs_task task = {.cancel = &cancel};
    assert_int_equal(hs_forest_raw(f, cols, n, out, 2, &task, &err), HS_ECANCELLED);
    free(c0);
    free(c1);
    free(out);
    hs_forest_free(f);
}

/* Each broken tree is refused with a message naming what is wrong, and
 * the forest keeps what it had. */
static void
test_check(void **state)
{
    (void)state;
    struct {
        struct hs_forest_node nd[3];
        size_t n;
        const char *says;
    } bad[] = {
        {{{.feature = 0, .left = 0, .right = 2, .threshold = 1}, LEAF(1, 1), LEAF(2, 1)}, 3,
         "children"},
        {{{.feature = 0, .left = 1, .right = 3, .threshold = 1}, LEAF(1, 1), LEAF(2, 1)}, 3,
         "children"},
        {{{.feature = 0, .left = 1, .right = 1, .threshold = 1}, LEAF(1, 1), LEAF(2, 1)}, 3,
         "children"},
        {{{.feature = 2, .left = 1, .right = 2, .threshold = 1}, LEAF(1, 1), LEAF(2, 1)}, 3,
         "input 2"},
        {{{.feature = 0, .left = 1, .right = 2, .threshold = NAN}, LEAF(1, 1), LEAF(2, 1)}, 3,
         "NaN"},
        {{{.feature = 0, .left = 1, .right = 2, .threshold = 1}, LEAF(INFINITY, 1),
          LEAF(2, 1)},
         3, "finite"},
        {{{.feature = 0, .left = 1, .right = 2, .threshold = 1}, LEAF(1, -1), LEAF(2, 1)}, 3,
         "negative"},
        {{{.feature = -2}}, 1, "feature -2"},
        {{LEAF(1, 1), LEAF(2, 1)}, 2, "no node's child"},
        {{{.feature = -1}}, 0, "no nodes"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct hs_err err = {0};
        struct hs_forest *f = hs_forest_new(2, 0);
        assert_non_null(f);
        assert_int_equal(hs_forest_add_tree(f, bad[i].nd, bad[i].n, &err), HS_EDATA);
        if (!strstr(err.msg, bad[i].says))
            fail_msg("case %zu: '%s' does not say '%s'", i, err.msg, bad[i].says);
        assert_int_equal(f->ntrees, 0);
        hs_forest_free(f);
    }
    /* A diamond: node 3 under both 1 and 2. */
    struct hs_forest_node diamond[] = {
        {.feature = 0, .left = 1, .right = 2, .threshold = 0},
        {.feature = 0, .left = 3, .right = 4, .threshold = -1},
        {.feature = 0, .left = 3, .right = 4, .threshold = 1},
        LEAF(1, 1),
        LEAF(2, 1),
    };
    struct hs_err err = {0};
    struct hs_forest *f = hs_forest_new(1, 0);
    assert_int_equal(hs_forest_add_tree(f, diamond, 5, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "two parents"));
    /* A forest damaged after it was built (as bytes read back may be). */
    f->base = NAN;
    assert_int_equal(hs_forest_check(f, &err), HS_EDATA);
    hs_forest_free(f);
}

static void
test_out_of_memory(void **state)
{
    (void)state;
    for (long k = 0; k < 2; k++) {
        hs_mem_fail_after(k);
        assert_null(hs_forest_new(2, 0));
        hs_mem_fail_after(-1);
    }
    struct hs_err err = {0};
    struct hs_forest *f = hs_forest_new(2, 0);
    for (long k = 0; k < 4; k++) {
        hs_mem_fail_after(k);
        int rc = hs_forest_add_tree(f, tree_a, 5, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK)
            break;
        assert_int_equal(rc, HS_ENOMEM);
        assert_int_equal(f->ntrees, 0);
    }
    assert_int_equal(f->ntrees, 1);
    hs_forest_free(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

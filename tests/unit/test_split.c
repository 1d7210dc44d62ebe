/* Unit tests of the stratified split (src/split.c): exact counts against
 * a largest-remainder apportionment computed here, stratum proportions,
 * determinism, fraction checks and small tables. */
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

#include "mem.h"
#include "split.h"
#include "table.h"

/* A table of n rows: Truth from a simple LCG (about 30% signal, a few
 * missing labels are not possible through set_label, so the label is
 * 0/1), and, when groups > 0, a text group column "mass" with that many
 * values (and a few missing). */
static struct hs_table *
make_table(size_t n, int groups, int numeric_group)
{
    struct hs_table *t = hs_table_new();
    size_t it, ig = 0;
    uint32_t x = 12345;

    assert_non_null(t);
    assert_int_equal(hs_table_add_column(t, "Truth", HS_COL_NUMBER, &it, NULL), HS_OK);
    if (groups)
        assert_int_equal(hs_table_add_column(t, "mass", numeric_group ? HS_COL_NUMBER : HS_COL_TEXT,
                                             &ig, NULL),
                         HS_OK);
    assert_int_equal(hs_table_resize(t, n), HS_OK);
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        t->cols[it].v[i] = ((x >> 16) % 10) < 3 ? 1.0 : 0.0;
        if (groups) {
            unsigned g = (x >> 8) % (unsigned)(groups + 1);
            if (g == (unsigned)groups) {
                t->cols[ig].v[i] = NAN;
            } else if (numeric_group) {
                t->cols[ig].v[i] = 0.5 + g * 1.25;
            } else {
                char name[16];
                snprintf(name, sizeof name, "m%u", g);
                assert_int_equal(hs_column_intern(&t->cols[ig], name, strlen(name),
                                                  &t->cols[ig].v[i]),
                                 HS_OK);
            }
        }
    }
    if (n)
        assert_int_equal(hs_table_set_label(t, "Truth", NULL, NULL), HS_OK);
    if (groups)
        assert_int_equal(hs_table_set_role(t, "mass", HS_ROLE_GROUP, NULL), HS_OK);
    return t;
}

/* The reference apportionment: floors, then one more event to each of
 * the largest remainders (earlier part on ties, never a part asked for
 * nothing). */
static void
reference_counts(const double f[3], size_t m, size_t out[3])
{
    double rem[3];
    size_t total = 0;
    int used[3] = {0, 0, 0};

    for (int p = 0; p < 3; p++) {
        out[p] = (size_t)floor(f[p] * (double)m);
        rem[p] = f[p] * (double)m - (double)out[p];
        total += out[p];
    }
    while (total < m) {
        int best = -1;
        for (int p = 0; p < 3; p++)
            if (!used[p] && f[p] > 0 && (best < 0 || rem[p] > rem[best]))
                best = p;
        used[best] = 1;
        out[best]++;
        total++;
    }
}

/* Check every stratum (class x group value) against the reference and the
 * whole against the sum of the strata. */
static void
check_strata(const struct hs_table *t, const struct hs_split *sp, const double f[3])
{
    const double *label = hs_table_label(t);
    const struct hs_column *g = hs_table_group(t);
    size_t total[3] = {0, 0, 0}, seen = 0;
    unsigned char *done = calloc(t->nrows + 1, 1);

    assert_non_null(done);
    for (size_t i = 0; i < t->nrows; i++) {
        size_t have[3] = {0, 0, 0}, want[3], m = 0;
        if (done[i])
            continue;
        for (size_t j = i; j < t->nrows; j++) {
            int same_class = label[j] == label[i];
            int same_group = !g || (isnan(g->v[i]) ? isnan(g->v[j]) : g->v[j] == g->v[i]);
            if (same_class && same_group) {
                done[j] = 1;
                have[sp->part[j]]++;
                m++;
            }
        }
        reference_counts(f, m, want);
        for (int p = 0; p < 3; p++) {
            assert_int_equal(have[p], want[p]);
            assert_true(fabs((double)have[p] - f[p] * (double)m) < 1.0);
            total[p] += have[p];
        }
        seen += m;
    }
    assert_int_equal(seen, t->nrows);
    for (int p = 0; p < 3; p++)
        assert_int_equal(sp->count[p], total[p]);
    free(done);
}

static void
test_exact_simple(void **state)
{
    struct hs_table *t = hs_table_new();
    struct hs_split sp;
    size_t it, per[2][3] = {{0}};

    (void)state;
    /* 1000 events, 400 signal: every stratum divides exactly. */
    assert_int_equal(hs_table_add_column(t, "Truth", HS_COL_NUMBER, &it, NULL), HS_OK);
    assert_int_equal(hs_table_resize(t, 1000), HS_OK);
    for (size_t i = 0; i < 1000; i++)
        t->cols[it].v[i] = (i % 5) < 2;
    assert_int_equal(hs_table_set_label(t, "Truth", NULL, NULL), HS_OK);
    assert_int_equal(hs_split_make(t, 0.5, 0.25, 0.25, 0, &sp, NULL), HS_OK);
    assert_int_equal(sp.n, 1000);
    assert_int_equal(sp.count[0], 500);
    assert_int_equal(sp.count[1], 250);
    assert_int_equal(sp.count[2], 250);
    for (size_t i = 0; i < 1000; i++)
        per[(i % 5) < 2][sp.part[i]]++;
    assert_int_equal(per[1][0], 200);
    assert_int_equal(per[1][1], 100);
    assert_int_equal(per[1][2], 100);
    assert_int_equal(per[0][0], 300);
    assert_int_equal(per[0][1], 150);
    assert_int_equal(per[0][2], 150);
    assert_true(sp.frac[0] == 0.5 && sp.seed == 0);
    hs_split_release(&sp);
    hs_table_free(t);
}

static void
test_strata(void **state)
{
    static const double fr[][3] = {
        {0.5, 0.25, 0.25}, {0.7, 0.3, 0.0}, {0.6, 0.2, 0.2}, {1.0, 0.0, 0.0}, {0.34, 0.33, 0.33},
    };
    (void)state;
    for (int kind = 0; kind < 3; kind++) {
        struct hs_table *t = make_table(1003, kind ? 5 : 0, kind == 2);
        for (size_t k = 0; k < sizeof fr / sizeof *fr; k++) {
            struct hs_split sp;
            assert_int_equal(hs_split_make(t, fr[k][0], fr[k][1], fr[k][2], 7, &sp, NULL),
                             HS_OK);
            check_strata(t, &sp, fr[k]);
            hs_split_release(&sp);
        }
        hs_table_free(t);
    }
}

static void
test_determinism(void **state)
{
    struct hs_table *t = make_table(5000, 4, 0);
    struct hs_split a, b, c;
    size_t diff = 0, firsts = 0;

    (void)state;
    assert_int_equal(hs_split_make(t, 0.5, 0.25, 0.25, 42, &a, NULL), HS_OK);
    assert_int_equal(hs_split_make(t, 0.5, 0.25, 0.25, 42, &b, NULL), HS_OK);
    assert_int_equal(hs_split_make(t, 0.5, 0.25, 0.25, 43, &c, NULL), HS_OK);
    assert_memory_equal(a.part, b.part, 5000);
    for (size_t i = 0; i < 5000; i++) {
        diff += a.part[i] != c.part[i];
        firsts += i < 2500 && a.part[i] == HS_PART_TRAIN;
    }
    /* Two independent splits disagree on about 5/8 of the events. */
    assert_true(diff > 2500 && diff < 3700);
    /* Shuffled, not taken in row order: half the training events in the
     * first half of the rows, within 6 sigma. */
    assert_true(firsts > 1250 - 6 * 35 && firsts < 1250 + 6 * 35);
    hs_split_release(&a);
    hs_split_release(&b);
    hs_split_release(&c);
    hs_table_free(t);
}

static void
test_fractions(void **state)
{
    struct hs_table *t = make_table(10, 0, 0);
    struct hs_split sp;
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_split_make(t, 0.5, 0.25, 0.15, 0, &sp, &err), HS_EUSAGE);
    assert_string_equal(err.msg, "the train, val and test fractions sum to 0.9, not 1");
    assert_int_equal(hs_split_make(t, 1.5, -0.25, -0.25, 0, &sp, &err), HS_EUSAGE);
    assert_string_equal(err.msg, "the train fraction 1.5 is not between 0 and 1");
    assert_int_equal(hs_split_make(t, 0.5, NAN, 0.5, 0, &sp, &err), HS_EUSAGE);
    assert_string_equal(err.msg, "the val fraction nan is not between 0 and 1");
    assert_int_equal(hs_split_make(t, 0.0, 0.5, 0.5, 0, &sp, &err), HS_EUSAGE);
    assert_string_equal(err.msg, "the training part must not be empty");
    /* Within 1e-9 is a sum of 1. */
    assert_int_equal(hs_split_make(t, 0.6, 0.2, 0.2 + 5e-10, 0, &sp, &err), HS_OK);
    hs_split_release(&sp);
    hs_table_free(t);
}

static void
test_small(void **state)
{
    struct hs_table *t = make_table(0, 0, 0);
    struct hs_split sp;
    struct hs_err err;
    unsigned char mask[1];

    (void)state;
    assert_int_equal(hs_split_make(t, 0.5, 0.25, 0.25, 0, &sp, &err), HS_OK);
    assert_int_equal(sp.n, 0);
    assert_int_equal(sp.count[0] + sp.count[1] + sp.count[2], 0);
    hs_split_release(&sp);
    hs_table_free(t);

    t = make_table(1, 0, 0);
    assert_int_equal(hs_split_make(t, 0.5, 0.25, 0.25, 3, &sp, &err), HS_OK);
    assert_int_equal(sp.part[0], HS_PART_TRAIN);
    assert_int_equal(sp.count[0], 1);
    assert_int_equal(hs_split_mask(&sp, HS_ON_TRAIN, 1, mask), 1);
    assert_int_equal(mask[0], 1);
    assert_int_equal(hs_split_mask(&sp, HS_ON_TEST, 1, mask), 0);
    assert_int_equal(mask[0], 0);
    hs_split_release(&sp);
    /* One event, and the remainders favour validation: no training event. */
    assert_int_equal(hs_split_make(t, 0.2, 0.6, 0.2, 0, &sp, &err), HS_EUSAGE);
    assert_string_equal(err.msg, "the training part would be empty (train fraction 0.2 of 1 event)");
    hs_table_free(t);
}

static void
test_mask_names(void **state)
{
    struct hs_table *t = make_table(101, 2, 0);
    struct hs_split sp;
    unsigned char *mask = malloc(101);
    size_t sum = 0;

    (void)state;
    assert_int_equal(hs_split_make(t, 0.5, 0.25, 0.25, 9, &sp, NULL), HS_OK);
    for (int p = 0; p < 3; p++) {
        size_t c = hs_split_mask(&sp, (enum hs_part_sel)p, 101, mask), ones = 0;
        for (size_t i = 0; i < 101; i++) {
            ones += mask[i];
            assert_int_equal(mask[i], sp.part[i] == p);
        }
        assert_int_equal(c, ones);
        assert_int_equal(c, sp.count[p]);
        sum += c;
    }
    assert_int_equal(sum, 101);
    assert_int_equal(hs_split_mask(NULL, HS_ON_ALL, 101, mask), 101);
    for (int p = 0; p <= 3; p++)
        assert_int_equal(hs_part_sel_parse(hs_part_sel_name((enum hs_part_sel)p)), p);
    assert_string_equal(hs_part_sel_name(HS_ON_VAL), "val");
    assert_int_equal(hs_part_sel_parse("validation"), -1);
    assert_int_equal(hs_part_sel_parse(""), -1);
    free(mask);
    hs_split_release(&sp);
    hs_table_free(t);
}

static void
test_alloc_failures(void **state)
{
    struct hs_table *t = make_table(200, 3, 1);
    struct hs_split sp, ref;
    struct hs_err err;
    int ok = 0;

    (void)state;
    assert_int_equal(hs_split_make(t, 0.5, 0.25, 0.25, 5, &ref, NULL), HS_OK);
    for (long k = 0; k < 50 && !ok; k++) {
        int rc;
        hs_mem_fail_after(k);
        rc = hs_split_make(t, 0.5, 0.25, 0.25, 5, &sp, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK) {
            assert_memory_equal(sp.part, ref.part, 200);
            hs_split_release(&sp);
            ok = 1;
        } else {
            assert_int_equal(rc, HS_ENOMEM);
        }
    }
    assert_true(ok);
    hs_split_release(&ref);
    hs_table_free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_simple), cmocka_unit_test(test_strata),
        cmocka_unit_test(test_determinism),  cmocka_unit_test(test_fractions),
        cmocka_unit_test(test_small),        cmocka_unit_test(test_mask_names),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

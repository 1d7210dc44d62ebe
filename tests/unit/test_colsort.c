/* Unit tests of the column sort (src/colsort.c) against qsort of (value,
 * position) pairs with the documented order: numeric, -0 and +0 equal,
 * -inf first and +inf last of the numbers, every NaN after them in both
 * directions, ties in their input order.  Sizes 0, 1, 2, small and large
 * (every radix pass), text ranks, raw keyed items, cancel and allocation
 * failure (the rows untouched). */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "colsort.h"
#include "mem.h"
#include "test_util.h"

/* The reference comparison, written from the contract, not the code. */
static const double *ref_v;
static int ref_dir;

static int
ref_cmp(const void *pa, const void *pb)
{
    size_t i = *(const size_t *)pa, j = *(const size_t *)pb;
    double x = ref_v[i], y = ref_v[j];
    int r;

    if (isnan(x) || isnan(y))
        r = isnan(x) && isnan(y) ? 0 : isnan(x) ? 1 : -1;
    else
        r = ref_dir * ((x > y) - (x < y)); /* -0.0 == 0.0 here */
    return r ? r : (i > j) - (i < j);
}

/* The awkward values: both zeros, infinities, NaNs of both signs and a
 * payload, the extremes and the smallest subnormal. */
static double
awkward(uint64_t r)
{
    double nan_payload;
    uint64_t bits = UINT64_C(0x7ff8000000000123);

    memcpy(&nan_payload, &bits, sizeof bits);
    switch (r % 12) {
    case 0:
        return 0.0;
    case 1:
        return -0.0;
    case 2:
        return INFINITY;
    case 3:
        return -INFINITY;
    case 4:
        return NAN;
    case 5:
        return -NAN;
    case 6:
        return nan_payload;
    case 7:
        return 1.7976931348623157e308;
    case 8:
        return -1.7976931348623157e308;
    case 9:
        return 4.9406564584124654e-324;
    case 10:
        return -4.9406564584124654e-324;
    default:
        return 1.0;
    }
}

/* v[0..n): ties (a few values), awkward ones, and wide-ranging ones. */
static double *
make_values(size_t n, uint64_t seed, int mix)
{
    double *v = malloc((n ? n : 1) * sizeof *v);

    for (size_t i = 0; i < n; i++) {
        uint64_t r = tu_splitmix(&seed);
        switch (mix) {
        case 0: /* few distinct: long runs of ties */
            v[i] = (double)(r % 7) - 3;
            break;
        case 1: /* every awkward value, and many ties of them */
            v[i] = r % 3 ? awkward(r >> 8) : (double)((r >> 8) % 1000) / 8 - 60;
            break;
        default: /* any sign and magnitude */
            v[i] = tu_box_muller(tu_unit(r), tu_unit(tu_splitmix(&seed))) *
                   pow(10, (double)((r >> 20) % 40) - 20);
            if (r % 50 == 0)
                v[i] = NAN;
            break;
        }
    }
    return v;
}

static void
check_rows(const double *v, size_t n, const size_t *subset, size_t m, int dir)
{
    size_t *rows = malloc((m ? m : 1) * sizeof *rows), *ref = malloc((m ? m : 1) * sizeof *ref);
    struct hs_err err;

    for (size_t i = 0; i < m; i++)
        rows[i] = ref[i] = subset ? subset[i] : i;
    (void)n;
    ref_v = v;
    ref_dir = dir;
    qsort(ref, m, sizeof *ref, ref_cmp);
    assert_int_equal(hs_colsort_rows(v, NULL, 0, rows, m, dir, NULL, &err), HS_OK);
    for (size_t i = 0; i < m; i++)
        if (rows[i] != ref[i])
            fail_msg("dir %d, n %zu: position %zu holds row %zu (%g), not %zu (%g)", dir, m, i,
                     rows[i], v[rows[i]], ref[i], v[ref[i]]);
    free(rows);
    free(ref);
}

static void
test_sizes_and_mixes(void **state)
{
    static const size_t sizes[] = {0, 1, 2, 3, 17, 1000, 70000};

    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (int mix = 0; mix < 3; mix++) {
            double *v = make_values(sizes[s], 1000 * s + (uint64_t)mix + 1, mix);
            check_rows(v, sizes[s], NULL, sizes[s], 1);
            check_rows(v, sizes[s], NULL, sizes[s], -1);
            free(v);
        }
}

/* One element, whatever it is, stays; two are ordered and NaN goes last
 * in both directions; -0 and +0 keep their order in both directions. */
static void
test_small_cases(void **state)
{
    double one[] = {NAN}, nan_first[] = {NAN, -INFINITY}, zeros[] = {0.0, -0.0, 0.0, -0.0};
    size_t rows[4];
    struct hs_err err;

    (void)state;
    rows[0] = 0;
    assert_int_equal(hs_colsort_rows(one, NULL, 0, rows, 1, -1, NULL, &err), HS_OK);
    assert_int_equal(rows[0], 0);
    for (int dir = -1; dir <= 1; dir += 2) {
        rows[0] = 0, rows[1] = 1;
        assert_int_equal(hs_colsort_rows(nan_first, NULL, 0, rows, 2, dir, NULL, &err), HS_OK);
        assert_int_equal(rows[0], 1);
        assert_int_equal(rows[1], 0);
        for (size_t i = 0; i < 4; i++)
            rows[i] = 3 - i;
        assert_int_equal(hs_colsort_rows(zeros, NULL, 0, rows, 4, dir, NULL, &err), HS_OK);
        for (size_t i = 0; i < 4; i++)
            assert_int_equal(rows[i], 3 - i);
    }
    /* Zero rows: nothing read, nothing written. */
    assert_int_equal(hs_colsort_rows(NULL, NULL, 0, NULL, 0, 1, NULL, &err), HS_OK);
}

/* Input in order already (what a second sort of a column, or a sort by
 * event number, meets), with ties and NaN at the end: the identity; one
 * pair swapped at the end: put back. */
static void
test_presorted(void **state)
{
    size_t n = 50000;
    double *v = malloc(n * sizeof *v);

    (void)state;
    for (size_t i = 0; i < n; i++)
        v[i] = i + 100 < n ? (double)(i / 3) - 5000 : NAN;
    check_rows(v, n, NULL, n, 1);
    check_rows(v, n, NULL, n, -1);
    v[n - 200] = -1e9; /* the last number is now the smallest */
    check_rows(v, n, NULL, n, 1);
    check_rows(v, n, NULL, n, -1);
    free(v);
}

/* A subset of the rows in a scrambled order: the ties keep that order. */
static void
test_subset(void **state)
{
    size_t n = 5000, m = 0, *sub = malloc(n * sizeof *sub);
    double *v = make_values(n, 77, 1);
    uint64_t seed = 5;

    (void)state;
    for (size_t i = 0; i < n; i++)
        if (i % 3)
            sub[m++] = i;
    for (size_t i = m; i > 1; i--) { /* Fisher-Yates */
        size_t j = (size_t)(tu_splitmix(&seed) % i), t = sub[i - 1];
        sub[i - 1] = sub[j];
        sub[j] = t;
    }
    /* The reference breaks ties by position in sub, not by row. */
    {
        size_t *rows = malloc(m * sizeof *rows), *pos = malloc(m * sizeof *pos);
        double *vs = malloc(m * sizeof *vs);
        struct hs_err err;
        for (size_t i = 0; i < m; i++) {
            rows[i] = sub[i];
            pos[i] = i;
            vs[i] = v[sub[i]];
        }
        for (int dir = -1; dir <= 1; dir += 2) {
            ref_v = vs;
            ref_dir = dir;
            for (size_t i = 0; i < m; i++)
                rows[i] = sub[i], pos[i] = i;
            qsort(pos, m, sizeof *pos, ref_cmp);
            assert_int_equal(hs_colsort_rows(v, NULL, 0, rows, m, dir, NULL, &err), HS_OK);
            for (size_t i = 0; i < m; i++)
                assert_int_equal(rows[i], sub[pos[i]]);
        }
        free(rows);
        free(pos);
        free(vs);
    }
    free(sub);
    free(v);
}

/* Text: codes ordered by the caller's ranks, NaN last, a bad code as
 * rank 0. */
static void
test_ranks(void **state)
{
    /* codes 0..3 are "pion", "kaon", "muon", "electron": byte order
     * electron(3) < kaon(1) < muon(2) < pion(0) */
    const double rank[] = {3, 1, 2, 0};
    double v[] = {0, 1, NAN, 2, 3, 1, 0, 7, -1, 3};
    /* 7 and -1 are outside the codes: rank 0, like code 3 */
    const size_t want_asc[] = {4, 7, 8, 9, 1, 5, 3, 0, 6, 2};
    const size_t want_desc[] = {0, 6, 3, 1, 5, 4, 7, 8, 9, 2};
    size_t rows[10];
    struct hs_err err;

    (void)state;
    for (size_t i = 0; i < 10; i++)
        rows[i] = i;
    assert_int_equal(hs_colsort_rows(v, rank, 4, rows, 10, 1, NULL, &err), HS_OK);
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(rows[i], want_asc[i]);
    for (size_t i = 0; i < 10; i++)
        rows[i] = i;
    assert_int_equal(hs_colsort_rows(v, rank, 4, rows, 10, -1, NULL, &err), HS_OK);
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(rows[i], want_desc[i]);
}

/* Raw items: any 64-bit keys (every digit differs somewhere), stable. */
static int
item_cmp(const void *pa, const void *pb)
{
    const struct hs_colsort_item *a = pa, *b = pb;

    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->payload > b->payload) - (a->payload < b->payload);
}

static void
test_items(void **state)
{
    size_t n = 30000;
    struct hs_colsort_item *a = malloc(n * sizeof *a), *ref = malloc(n * sizeof *ref);
    struct hs_colsort_item *scratch = malloc(n * sizeof *scratch);
    uint64_t seed = 9;

    (void)state;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < n; i++) {
            uint64_t r = tu_splitmix(&seed);
            /* ties in half the rounds: keys from 40 values */
            a[i].key = round ? (r % 40) * UINT64_C(0x0101010101010101) : r;
            a[i].payload = i;
        }
        memcpy(ref, a, n * sizeof *a);
        qsort(ref, n, sizeof *ref, item_cmp);
        assert_int_equal(hs_colsort_items(a, n, round ? scratch : NULL, NULL), HS_OK);
        for (size_t i = 0; i < n; i++) {
            assert_true(a[i].key == ref[i].key);
            assert_true(a[i].payload == ref[i].payload);
        }
    }
    free(a);
    free(ref);
    free(scratch);
}

/* The key alone: the order of the contract, checked pairwise. */
static void
test_key_order(void **state)
{
    const double ladder[] = {-INFINITY, -1.7976931348623157e308, -1, -4.9406564584124654e-324,
                             0.0,       4.9406564584124654e-324, 1,  1.7976931348623157e308,
                             INFINITY};
    size_t n = sizeof ladder / sizeof *ladder;

    (void)state;
    for (size_t i = 0; i + 1 < n; i++) {
        assert_true(hs_colsort_key(ladder[i], 1) < hs_colsort_key(ladder[i + 1], 1));
        assert_true(hs_colsort_key(ladder[i], -1) > hs_colsort_key(ladder[i + 1], -1));
        assert_true(hs_colsort_key(ladder[i], 1) < hs_colsort_key(NAN, 1));
        assert_true(hs_colsort_key(ladder[i], -1) < hs_colsort_key(-NAN, -1));
    }
    assert_true(hs_colsort_key(-0.0, 1) == hs_colsort_key(0.0, 1));
    assert_true(hs_colsort_key(-0.0, -1) == hs_colsort_key(0.0, -1));
}

static void
test_cancel_and_nomem(void **state)
{
    size_t n = 200000, *rows = malloc(n * sizeof *rows);
    double *v = make_values(n, 3, 2);
    atomic_int flag = 1;
    struct hs_task task = {NULL, NULL, &flag};
    struct hs_err err;

    (void)state;
    for (size_t i = 0; i < n; i++)
        rows[i] = n - 1 - i;
    assert_int_equal(hs_colsort_rows(v, NULL, 0, rows, n, 1, &task, &err), HS_ECANCELLED);
    assert_non_null(strstr(err.msg, "cancelled"));
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rows[i], n - 1 - i);
    /* The raw sort notices the flag before a radix pass and keeps its
     * items, in some order. */
    {
        struct tu_cancel_at c = {0.5, 0};
        struct hs_task t2 = {NULL, NULL, &c.flag};
        struct hs_colsort_item *a = malloc(n * sizeof *a);
        uint64_t seed = 4, sum = 0, sum2 = 0;
        for (size_t i = 0; i < n; i++) {
            a[i].key = tu_splitmix(&seed);
            a[i].payload = i;
            sum += i;
        }
        atomic_store(&c.flag, 1);
        assert_int_equal(hs_colsort_items(a, n, NULL, &t2), HS_ECANCELLED);
        for (size_t i = 0; i < n; i++)
            sum2 += a[i].payload;
        assert_true(sum == sum2); /* the same items, in some order */
        free(a);
    }
    /* Each allocation failing in turn: HS_ENOMEM, rows unchanged. */
    for (long k = 0; k < 3; k++) {
        int rc;
        hs_mem_fail_after(k);
        rc = hs_colsort_rows(v, NULL, 0, rows, n, 1, NULL, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK)
            break;
        assert_int_equal(rc, HS_ENOMEM);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(rows[i], n - 1 - i);
    }
    free(rows);
    free(v);
}

/* Progress: from 0 to 1, never back; a cancel raised by it part way
 * (between two radix passes) stops the sort with the rows unchanged. */
struct seen {
    double last;
    int calls, backwards;
};

static void
record_progress(void *user, double fraction, const char *what)
{
    struct seen *s = user;

    assert_string_equal(what, "sorting");
    s->backwards += fraction < s->last;
    s->last = fraction;
    s->calls++;
}

static void
test_progress_and_cancel_midway(void **state)
{
    size_t n = 100000, *rows = malloc(n * sizeof *rows);
    double *v = make_values(n, 31, 2);
    struct seen seen = {0, 0, 0};
    struct hs_task task = {record_progress, &seen, NULL};
    struct tu_cancel_at c = {0.3, 0};
    struct hs_task cancel = {tu_cancel_at_progress, &c, &c.flag};
    struct hs_err err;

    (void)state;
    for (size_t i = 0; i < n; i++)
        rows[i] = i;
    assert_int_equal(hs_colsort_rows(v, NULL, 0, rows, n, 1, &task, &err), HS_OK);
    assert_true(seen.calls >= 3);
    assert_int_equal(seen.backwards, 0);
    assert_true(seen.last == 1.0);
    for (size_t i = 0; i < n; i++)
        rows[i] = i;
    assert_int_equal(hs_colsort_rows(v, NULL, 0, rows, n, -1, &cancel, &err), HS_ECANCELLED);
    assert_true(atomic_load(&c.flag) != 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rows[i], i);
    free(rows);
    free(v);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_and_mixes), cmocka_unit_test(test_small_cases),
        cmocka_unit_test(test_subset),          cmocka_unit_test(test_ranks),
        cmocka_unit_test(test_items),           cmocka_unit_test(test_key_order),
        cmocka_unit_test(test_cancel_and_nomem),
        cmocka_unit_test(test_progress_and_cancel_midway),
        cmocka_unit_test(test_presorted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

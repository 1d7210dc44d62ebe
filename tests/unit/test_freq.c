/* Unit tests of frequency tables (src/freq.c) against counts made by hand
 * in the test: text columns with classes, numbers of few distinct values
 * (-0 and +0 one value, infinities, NaN last), continuous columns in
 * bins checked against the contract (round width, edges lo + k * width,
 * every value between its bin's edges, infinities apart), a subset of
 * rows, 0 and 1 rows, results that do not depend on the thread count,
 * cancel and allocation failure. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "freq.h"
#include "mem.h"
#include "par.h"
#include "test_util.h"

static void
text_case(size_t n, const size_t *rows, size_t m)
{
    static const char *const cats[] = {"pion", "kaon", "muon", "electron", "unused"};
    double *v = malloc((n ? n : 1) * sizeof *v), *label = malloc((n ? n : 1) * sizeof *label);
    size_t count[6] = {0}, sig[6] = {0}, bkg[6] = {0};
    uint64_t seed = 21;
    struct hs_freq f;
    struct hs_err err;
    struct hs_freq_input in = {0};

    for (size_t i = 0; i < n; i++) {
        uint64_t r = tu_splitmix(&seed);
        /* skewed: pion most, kaon and muon tied in expectation */
        v[i] = r % 10 < 5 ? 0 : r % 10 < 7 ? 1 : r % 10 < 9 ? 2 : 3;
        if (r % 97 == 0)
            v[i] = NAN;
        label[i] = (r >> 20) % 3 == 0 ? 1 : (r >> 20) % 3 == 1 ? 0 : NAN;
    }
    for (size_t k = 0; k < m; k++) {
        size_t i = rows ? rows[k] : k, e = isnan(v[i]) ? 5 : (size_t)v[i];
        count[e]++;
        sig[e] += label[i] == 1;
        bkg[e] += label[i] == 0;
    }
    in.v = v;
    in.rows = rows;
    in.n = m;
    in.cats = cats;
    in.ncats = 5;
    in.label = label;
    assert_int_equal(hs_freq_count(&in, &f, NULL, &err), HS_OK);
    assert_false(f.binned);
    assert_int_equal(f.total, m);
    {
        size_t seen = 0;
        for (size_t k = 0; k < f.n; k++) {
            const struct hs_freq_entry *e = &f.entries[k];
            size_t c = e->what == HS_FREQ_MISSING ? 5 : e->code;
            assert_true(e->what == HS_FREQ_TEXT || (e->what == HS_FREQ_MISSING && k == f.n - 1));
            assert_int_equal(e->count, count[c]);
            assert_int_equal(e->nsig, sig[c]);
            assert_int_equal(e->nbkg, bkg[c]);
            assert_true(e->count > 0);
            if (k && e->what == HS_FREQ_TEXT) {
                const struct hs_freq_entry *p = &f.entries[k - 1];
                assert_true(p->count > e->count ||
                            (p->count == e->count && strcmp(cats[p->code], cats[e->code]) < 0));
            }
            seen += e->count;
        }
        assert_int_equal(seen, m);
    }
    hs_freq_release(&f);
    free(v);
    free(label);
}

static void
test_text(void **state)
{
    size_t rows[] = {9, 3, 3, 0, 7};

    (void)state;
    text_case(20000, NULL, 20000);
    text_case(0, NULL, 0);
    text_case(1, NULL, 1);
    text_case(10, rows, 5); /* a row twice counts twice */
}

/* Few distinct numbers: each value once, -0 with +0, the infinities as
 * values, by count then value, NaN last. */
static void
test_distinct(void **state)
{
    double v[] = {2, -0.0, 0.0, INFINITY, NAN, 2, -INFINITY, 0.0, 2, -NAN, 7, INFINITY, -0.0};
    double label[] = {1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, NAN, 1};
    /* by hand: 0 x4 (sig 3, bkg 1), 2 x3 (1, 2), inf x2 (1, 0), -inf x1
     * (1, 0), 7 x1 (0, 1), NaN x2 (1, 1) */
    const double want_v[] = {0, 2, INFINITY, -INFINITY, 7};
    const size_t want_c[] = {4, 3, 2, 1, 1}, want_s[] = {3, 1, 1, 1, 0}, want_b[] = {1, 2, 0, 0, 1};
    struct hs_freq_input in = {.v = v, .n = 13, .label = label, .max_distinct = 5};
    struct hs_freq f;
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_freq_count(&in, &f, NULL, &err), HS_OK);
    assert_false(f.binned);
    assert_int_equal(f.n, 6);
    for (size_t k = 0; k < 5; k++) {
        assert_int_equal(f.entries[k].what, HS_FREQ_VALUE);
        assert_true(f.entries[k].value == want_v[k]);
        assert_int_equal(f.entries[k].count, want_c[k]);
        assert_int_equal(f.entries[k].nsig, want_s[k]);
        assert_int_equal(f.entries[k].nbkg, want_b[k]);
    }
    assert_int_equal(f.entries[5].what, HS_FREQ_MISSING);
    assert_int_equal(f.entries[5].count, 2);
    assert_int_equal(f.entries[5].nsig, 1);
    assert_int_equal(f.entries[5].nbkg, 1);
    assert_int_equal(f.total, 13);
    assert_int_equal(f.nsig, 7);
    assert_int_equal(f.nbkg, 5);
    hs_freq_release(&f);
    /* Six distinct values with room for five: bins, with the infinities
     * apart at the ends. */
    in.max_distinct = 4;
    assert_int_equal(hs_freq_count(&in, &f, NULL, &err), HS_OK);
    assert_true(f.binned);
    assert_true(f.entries[0].what == HS_FREQ_VALUE && f.entries[0].value == -INFINITY);
    assert_int_equal(f.entries[0].count, 1);
    assert_true(f.entries[f.n - 2].what == HS_FREQ_VALUE && f.entries[f.n - 2].value == INFINITY);
    assert_int_equal(f.entries[f.n - 2].count, 2);
    assert_int_equal(f.entries[f.n - 1].what, HS_FREQ_MISSING);
    hs_freq_release(&f);
    /* No rows; one row. */
    in.n = 0;
    assert_int_equal(hs_freq_count(&in, &f, NULL, &err), HS_OK);
    assert_int_equal(f.n, 0);
    assert_int_equal(f.total, 0);
    hs_freq_release(&f);
    in.n = 1;
    assert_int_equal(hs_freq_count(&in, &f, NULL, &err), HS_OK);
    assert_int_equal(f.n, 1);
    assert_true(f.entries[0].value == 2 && f.entries[0].count == 1 && f.entries[0].nsig == 1);
    hs_freq_release(&f);
}

/* Is w 1, 2 or 5 times a power of ten? */
static int
round_width(double w)
{
    double p = pow(10, floor(log10(w))), m = w / p;

    return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9 || fabs(m - 10) < 1e-9;
}

/* Continuous values: the bins' contract, and each bin's counts from the
 * values between its edges, counted here. */
static void
binned_case(const double *v, size_t n, const double *label)
{
    struct hs_freq_input in = {.v = v, .n = n, .label = label, .max_distinct = 20};
    double lo = INFINITY, hi = -INFINITY;
    size_t ninf = 0, pinf = 0, nan = 0, first, nb;
    struct hs_freq f;
    struct hs_err err;

    for (size_t i = 0; i < n; i++) {
        if (isnan(v[i]))
            nan++;
        else if (isinf(v[i]))
            *(v[i] > 0 ? &pinf : &ninf) += 1;
        else
            lo = fmin(lo, v[i]), hi = fmax(hi, v[i]);
    }
    assert_int_equal(hs_freq_count(&in, &f, NULL, &err), HS_OK);
    assert_true(f.binned);
    assert_true(round_width(f.width));
    first = ninf ? 1 : 0;
    nb = f.n - first - (pinf ? 1 : 0) - (nan ? 1 : 0);
    /* The width: the first round one at least span / 20. */
    assert_true(f.width >= (hi - lo) / HS_FREQ_BINS);
    assert_true(f.width / 2.5 < (hi - lo) / HS_FREQ_BINS);
    assert_true(nb >= 1 && nb <= HS_FREQ_BINS + 2);
    assert_true(f.entries[first].lo <= lo && lo < f.entries[first].lo + f.width);
    assert_true(f.entries[first + nb - 1].lo <= hi);
    for (size_t k = 0; k < nb; k++) {
        const struct hs_freq_entry *e = &f.entries[first + k];
        size_t c = 0, s = 0, b = 0;
        assert_int_equal(e->what, HS_FREQ_BIN);
        assert_true(e->lo == f.entries[first].lo + (double)k * f.width);
        assert_true(e->hi == f.entries[first].lo + (double)(k + 1) * f.width);
        for (size_t i = 0; i < n; i++) {
            /* the last bin also holds the largest value */
            if (v[i] >= e->lo && (v[i] < e->hi || (k == nb - 1 && v[i] == hi))) {
                c++;
                s += label && label[i] == 1;
                b += label && label[i] == 0;
            }
        }
        assert_int_equal(e->count, c);
        assert_int_equal(e->nsig, s);
        assert_int_equal(e->nbkg, b);
    }
    if (ninf)
        assert_int_equal(f.entries[0].count, ninf);
    if (pinf)
        assert_int_equal(f.entries[first + nb].count, pinf);
    if (nan)
        assert_int_equal(f.entries[f.n - 1].count, nan);
    assert_int_equal(f.total, n);
    hs_freq_release(&f);
}

static void
test_bins(void **state)
{
    size_t n = 150000;
    double *v = malloc(n * sizeof *v), *label = malloc(n * sizeof *label);
    uint64_t seed = 8;

    (void)state;
    /* Masses in GeV, with values exactly on the edges (multiples of
     * 0.05) and the awkward ones. */
    for (size_t i = 0; i < n; i++) {
        uint64_t r = tu_splitmix(&seed);
        v[i] = r % 5 == 0 ? (double)(r % 61) * 0.05 : 0.3 + 2.4 * tu_unit(tu_splitmix(&seed));
        if (r % 1001 == 0)
            v[i] = NAN;
        else if (r % 1003 == 0)
            v[i] = r & 1 ? INFINITY : -INFINITY;
        label[i] = (double)(r >> 40 & 1);
    }
    binned_case(v, n, label);
    /* Integers of a wide range; negative values; tiny ones. */
    for (size_t i = 0; i < n; i++)
        v[i] = (double)(tu_splitmix(&seed) % 100000) - 31000;
    binned_case(v, n, NULL);
    for (size_t i = 0; i < n; i++)
        v[i] = -1e-7 * tu_unit(tu_splitmix(&seed));
    binned_case(v, n, label);
    free(v);
    free(label);
}

/* The same counts on 1 and 2 threads, and over a subset of the rows. */
static void
test_threads_and_subset(void **state)
{
    size_t n = 300000, m = 0, *rows = malloc(n * sizeof *rows);
    double *v = malloc(n * sizeof *v), *label = malloc(n * sizeof *label);
    struct hs_freq a, b;
    struct hs_err err;
    uint64_t seed = 12;
    struct hs_freq_input in = {.v = v, .n = n, .label = label, .max_distinct = 20};

    (void)state;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = tu_splitmix(&seed);
        v[i] = tu_box_muller(tu_unit(r), tu_unit(tu_splitmix(&seed)));
        label[i] = (double)(r & 1);
        if (r % 7 == 0)
            rows[m++] = i;
    }
    hs_par_set_threads(1);
    assert_int_equal(hs_freq_count(&in, &a, NULL, &err), HS_OK);
    hs_par_set_threads(2);
    assert_int_equal(hs_freq_count(&in, &b, NULL, &err), HS_OK);
    hs_par_set_threads(0);
    assert_int_equal(a.n, b.n);
    assert_true(a.width == b.width);
    for (size_t k = 0; k < a.n; k++) {
        assert_int_equal(a.entries[k].count, b.entries[k].count);
        assert_int_equal(a.entries[k].nsig, b.entries[k].nsig);
        assert_true(a.entries[k].lo == b.entries[k].lo);
    }
    hs_freq_release(&a);
    hs_freq_release(&b);
    /* The subset: the values of its rows, copied, count the same. */
    {
        double *sv = malloc(m * sizeof *sv);
        struct hs_freq_input sub = in;
        for (size_t k = 0; k < m; k++)
            sv[k] = v[rows[k]];
        sub.rows = rows;
        sub.n = m;
        sub.label = NULL;
        in.v = sv;
        in.n = m;
        in.label = NULL;
        assert_int_equal(hs_freq_count(&sub, &a, NULL, &err), HS_OK);
        assert_int_equal(hs_freq_count(&in, &b, NULL, &err), HS_OK);
        assert_int_equal(a.n, b.n);
        for (size_t k = 0; k < a.n; k++)
            assert_int_equal(a.entries[k].count, b.entries[k].count);
        binned_case(sv, m, NULL);
        hs_freq_release(&a);
        hs_freq_release(&b);
        free(sv);
    }
    free(rows);
    free(v);
    free(label);
}

static void
test_cancel_nomem_usage(void **state)
{
    size_t n = 300000;
    double *v = malloc(n * sizeof *v);
    atomic_int flag = 1;
    struct hs_task task = {NULL, NULL, &flag};
    struct hs_freq_input in = {.v = v, .n = n, .max_distinct = 20};
    struct hs_freq f;
    struct hs_err err;

    (void)state;
    for (size_t i = 0; i < n; i++)
        v[i] = (double)i;
    assert_int_equal(hs_freq_count(&in, &f, &task, &err), HS_ECANCELLED);
    assert_null(f.entries);
    assert_int_equal(f.n, 0);
    for (long k = 0; k < 200; k++) {
        int rc;
        hs_mem_fail_after(k);
        rc = hs_freq_count(&in, &f, NULL, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK) {
            hs_freq_release(&f);
            break;
        }
        assert_int_equal(rc, HS_ENOMEM);
        assert_null(f.entries);
    }
    in.max_distinct = 0;
    assert_int_equal(hs_freq_count(&in, &f, NULL, &err), HS_EUSAGE);
    free(v);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_distinct),
        cmocka_unit_test(test_bins),
        cmocka_unit_test(test_threads_and_subset),
        cmocka_unit_test(test_cancel_nomem_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

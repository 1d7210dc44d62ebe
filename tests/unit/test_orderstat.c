/* Unit tests of exact order statistics (src/orderstat.c) against a full
 * sort: sizes on both sides of the counting threshold, heavy tails that
 * put nearly everything in one bucket, ties, a constant array, negative
 * zero, and ranks that repeat or fall in one bucket. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "orderstat.h"

static uint64_t rng_state = 88172645463325252ULL;

static double
uniform(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ULL) >> 11) * 0x1.0p-53;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* hs_order_stats on a copy of v against the sorted copy, at ranks. */
static void
check(const double *v, size_t m, const size_t *ranks, size_t nr)
{
    double *a = malloc(m * sizeof *a), *sorted = malloc(m * sizeof *sorted);
    double *out = malloc(nr * sizeof *out);

    assert_non_null(a);
    assert_non_null(sorted);
    assert_non_null(out);
    memcpy(a, v, m * sizeof *a);
    memcpy(sorted, v, m * sizeof *sorted);
    qsort(sorted, m, sizeof *sorted, cmp_double);
    hs_order_stats(a, m, ranks, nr, out);
    for (size_t j = 0; j < nr; j++)
        assert_true(out[j] == sorted[ranks[j]]);
    free(a);
    free(sorted);
    free(out);
}

/* The ranks a histogram's binning asks for, and the ends. */
static size_t
usual_ranks(size_t m, size_t *r)
{
    static const double p[] = {0, 0.001, 0.25, 0.5, 0.75, 0.999, 1};
    size_t n = 0;

    /* ascending, as hs_order_stats asks: a small m gives repeats */
    for (size_t i = 0; i < sizeof p / sizeof *p; i++) {
        size_t k = (size_t)(p[i] * (double)(m - 1));
        for (size_t x = k; x <= k + 1 && x < m; x++)
            if (n == 0 || x > r[n - 1])
                r[n++] = x;
    }
    return n;
}

static void
test_distributions(void **state)
{
    static const size_t sizes[] = {1, 2, 17, 1000, 32768, 32769, 100000, 300001};
    size_t r[16];

    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t m = sizes[s], nr = usual_ranks(m, r);
        double *v = malloc(m * sizeof *v);
        assert_non_null(v);
        for (int kind = 0; kind < 5; kind++) {
            for (size_t i = 0; i < m; i++) {
                double u = uniform();
                switch (kind) {
                case 0: v[i] = u; break;                               /* flat */
                case 1: v[i] = -log(u + 1e-300) * 20 + 5; break;       /* exponential */
                case 2: v[i] = i % 1000 == 0 ? 1e12 * u : 1e-3 * u; break; /* far outliers */
                case 3: v[i] = floor(u * 7) - 3; break;                /* ties, with -0 */
                default: v[i] = 2.5; break;                            /* constant */
                }
                if (kind == 3 && v[i] == 0 && i % 2)
                    v[i] = -0.0;
            }
            check(v, m, r, nr);
        }
        free(v);
    }
}

static void
test_ranks(void **state)
{
    size_t m = 200000;
    double *v = malloc(m * sizeof *v);
    size_t same[] = {5, 5, 5, 99999, 99999}, every[64];

    (void)state;
    assert_non_null(v);
    for (size_t i = 0; i < m; i++)
        v[i] = uniform() * uniform();
    check(v, m, same, 5);
    for (size_t j = 0; j < 64; j++)
        every[j] = j * (m - 1) / 63;
    check(v, m, every, 64);
    /* neighbours in one bucket */
    for (size_t j = 0; j < 64; j++)
        every[j] = m / 2 + j;
    check(v, m, every, 64);
    free(v);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distributions),
        cmocka_unit_test(test_ranks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

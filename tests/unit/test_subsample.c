/* Unit tests of the stratified subsample (src/subsample.c): counts per
 * (class, group) stratum against largest-remainder quotas computed here
 * independently (in long double, with the ties broken the documented
 * way), the selection mask, all candidates when m covers them,
 * determinism for one seed, other events for another, and a rough
 * uniformity check within a stratum. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "subsample.h"

/* The test's own generator (splitmix64). */
static uint64_t
next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

#define NCLS 3
#define NGRP 5 /* group values 0.5, 1.0, 1.5, 2.0 and NaN */

static int
cls_of(double label)
{
    return label == 1 ? 1 : label == 0 ? 0 : 2;
}

static int
grp_of(double g)
{
    return isnan(g) ? NGRP - 1 : (int)(g * 2) - 1;
}

/* Data with uneven strata: labels 0, 1, NaN; groups with a missing one. */
static void
make_data(size_t n, uint64_t seed, double *label, double *group)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        uint64_t u = next(&s);
        label[i] = u % 10 == 0 ? 1 : u % 10 == 1 ? NAN : 0;
        group[i] = (u >> 8) % 7 == 0 ? NAN : 0.5 * (double)(1 + (u >> 16) % 4);
    }
}

/* Expected quota per stratum (cls * NGRP + grp), by largest remainders
 * of m * size / total, equal remainders to the earlier stratum. */
static void
expected(const size_t *size, size_t total, size_t m, size_t *quota)
{
    long double rem[NCLS * NGRP];
    size_t given = 0;

    for (int s = 0; s < NCLS * NGRP; s++) {
        long double q = (long double)m * (long double)size[s] / (long double)total;
        quota[s] = (size_t)floorl(q);
        rem[s] = q - floorl(q);
        given += quota[s];
    }
    while (given < m) {
        int best = -1;
        for (int s = 0; s < NCLS * NGRP; s++)
            if (size[s] > quota[s] && (best < 0 || rem[s] > rem[best]))
                best = s;
        quota[best]++;
        rem[best] = -1;
        given++;
    }
}

static void
check_counts(size_t n, size_t m, bool use_mask, uint64_t seed)
{
    double *label = malloc(n * sizeof *label), *group = malloc(n * sizeof *group);
    unsigned char *mask = malloc(n), *chosen = malloc(n);
    size_t size[NCLS * NGRP] = {0}, got[NCLS * NGRP] = {0}, want[NCLS * NGRP], total = 0, k;
    struct hs_err err = {0};

    make_data(n, seed, label, group);
    for (size_t i = 0; i < n; i++) {
        mask[i] = !use_mask || i % 3 != 0;
        if (mask[i]) {
            size[cls_of(label[i]) * NGRP + grp_of(group[i])]++;
            total++;
        }
    }
    assert_int_equal(hs_subsample(n, use_mask ? mask : NULL, label, group, m, seed, chosen, &k,
                                  &err),
                     HS_OK);
    assert_int_equal(k, m < total ? m : total);
    for (size_t i = 0; i < n; i++) {
        assert_true(chosen[i] == 0 || chosen[i] == 1);
        if (chosen[i]) {
            assert_true(mask[i]);
            got[cls_of(label[i]) * NGRP + grp_of(group[i])]++;
        }
    }
    if (m < total) {
        expected(size, total, m, want);
        for (int s = 0; s < NCLS * NGRP; s++)
            assert_int_equal(got[s], want[s]);
    } else {
        for (int s = 0; s < NCLS * NGRP; s++)
            assert_int_equal(got[s], size[s]);
    }
    free(label);
    free(group);
    free(mask);
    free(chosen);
}

static void
test_counts(void **state)
{
    (void)state;
    check_counts(10000, 1000, false, 1);
    check_counts(10000, 777, false, 2);
    check_counts(10000, 777, true, 3);
    check_counts(5003, 1, false, 4);
    check_counts(5003, 5002, false, 5);
    check_counts(3000, 5000, true, 6); /* more than there are: all of them */
    check_counts(3000, 0, false, 7);
}

/* One seed, one subsample; another seed, other events. */
static void
test_seeded(void **state)
{
    const size_t n = 20000;
    double *label = malloc(n * sizeof *label), *group = malloc(n * sizeof *group);
    unsigned char *a = malloc(n), *b = malloc(n), *c = malloc(n);
    struct hs_err err = {0};
    size_t k, same = 0;

    (void)state;
    make_data(n, 9, label, group);
    assert_int_equal(hs_subsample(n, NULL, label, group, 2000, 42, a, &k, &err), HS_OK);
    assert_int_equal(hs_subsample(n, NULL, label, group, 2000, 42, b, &k, &err), HS_OK);
    assert_int_equal(hs_subsample(n, NULL, label, group, 2000, 43, c, &k, &err), HS_OK);
    assert_memory_equal(a, b, n);
    for (size_t i = 0; i < n; i++)
        same += a[i] && c[i];
    /* Independent draws of 10% share about 10% of 2000. */
    assert_true(same > 100 && same < 350);
    free(label);
    free(group);
    free(a);
    free(b);
    free(c);
}

/* Without label or group, one stratum: over many seeds every row is
 * drawn about m/n of the time (a chi-square bound far in the tail). */
static void
test_uniform(void **state)
{
    const size_t n = 50, m = 10, runs = 4000;
    unsigned char chosen[50];
    size_t hits[50] = {0}, k;
    struct hs_err err = {0};
    double expect = (double)runs * m / n, chi2 = 0;

    (void)state;
    for (size_t r = 0; r < runs; r++) {
        assert_int_equal(hs_subsample(n, NULL, NULL, NULL, m, r, chosen, &k, &err), HS_OK);
        assert_int_equal(k, m);
        for (size_t i = 0; i < n; i++)
            hits[i] += chosen[i];
    }
    for (size_t i = 0; i < n; i++)
        chi2 += (hits[i] - expect) * (hits[i] - expect) / expect;
    /* 49 degrees of freedom: P(chi2 > 100) is about 2e-5. */
    assert_true(chi2 < 100);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_seeded),
        cmocka_unit_test(test_uniform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

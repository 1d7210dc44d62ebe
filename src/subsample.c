/* subsample.c: the stratified, seeded subsample (subsample.h).
 *
 * The candidates are sorted by (class, group, row), which makes the
 * strata runs of one array; quotas are exact integer largest remainders,
 * and one generator shuffles the head of each run in order.  Only
 * integer work decides which rows are drawn, so the result does not
 * depend on the machine or the thread count.
 */
#include "config.h"

#include "subsample.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "rng.h"

struct cand {
    size_t row;
    int cls;   /* 0 background, 1 signal, 2 anything else */
    double g;  /* the group value, NaN for none */
};

static int
cand_cmp(const void *pa, const void *pb)
{
    const struct cand *a = pa, *b = pb;
    bool na = isnan(a->g), nb = isnan(b->g);

    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    if (na != nb)
        return na ? 1 : -1; /* a missing group after the others */
    if (!na && a->g != b->g)
        return a->g < b->g ? -1 : 1;
    return (a->row > b->row) - (a->row < b->row);
}

static bool
same_stratum(const struct cand *a, const struct cand *b)
{
    return a->cls == b->cls &&
           ((isnan(a->g) && isnan(b->g)) || (!isnan(a->g) && !isnan(b->g) && a->g == b->g));
}

struct share {
    uint64_t rem;
    size_t s;
};

/* Larger remainder first, the earlier stratum first among equal ones. */
static int
share_cmp(const void *pa, const void *pb)
{
    const struct share *a = pa, *b = pb;
    if (a->rem != b->rem)
        return a->rem > b->rem ? -1 : 1;
    return (a->s > b->s) - (a->s < b->s);
}

/* Quotas of m among strata of sizes size[0..ns) summing to total, by
 * largest remainders of m * size / total.  The remainders over total sum
 * to the shares left over, each is below 1, so every leftover share goes
 * to a different stratum with a remainder (whose quota is below its
 * size): one sort of the strata, not a scan of them per share (strata
 * can be as many as the events when the group column is continuous).
 * sh: ns entries of scratch. */
static void
apportion(const size_t *size, size_t ns, size_t total, size_t m, size_t *quota,
          struct share *sh)
{
    size_t given = 0;

    for (size_t s = 0; s < ns; s++) {
        /* m and size are at most total: the product fits in 64 bits
         * for any table of fewer than 2^32 rows. */
        uint64_t p = (uint64_t)m * size[s];
        quota[s] = (size_t)(p / total);
        sh[s] = (struct share){(uint64_t)(p % total), s};
        given += quota[s];
    }
    qsort(sh, ns, sizeof *sh, share_cmp);
    for (size_t r = 0; given < m; r++, given++)
        quota[sh[r].s]++;
}

int
hs_subsample(size_t n, const unsigned char *mask, const double *label, const double *group,
             size_t m, uint64_t seed, unsigned char *chosen, size_t *nchosen, struct hs_err *err)
{
    struct cand *c = NULL;
    size_t *start = NULL, *size = NULL, *quota = NULL;
    struct share *rem = NULL;
    size_t nc = 0, ns = 0;
    struct hs_rng rng;

    for (size_t i = 0; i < n; i++)
        nc += !mask || mask[i];
    if (nc <= m) {
        for (size_t i = 0; i < n; i++)
            chosen[i] = !mask || mask[i];
        *nchosen = nc;
        return HS_OK;
    }
    c = hs_malloc(nc * sizeof *c);
    start = hs_malloc((nc + 1) * sizeof *start);
    if (!c || !start)
        goto nomem;
    nc = 0;
    for (size_t i = 0; i < n; i++) {
        if (mask && !mask[i])
            continue;
        c[nc].row = i;
        c[nc].cls = !label ? 2 : label[i] == 1 ? 1 : label[i] == 0 ? 0 : 2;
        c[nc].g = group ? group[i] : 0;
        nc++;
    }
    qsort(c, nc, sizeof *c, cand_cmp);
    for (size_t i = 0; i < nc; i++)
        if (i == 0 || !same_stratum(&c[i - 1], &c[i]))
            start[ns++] = i;
    start[ns] = nc;
    size = hs_malloc(ns * sizeof *size);
    quota = hs_malloc(ns * sizeof *quota);
    rem = hs_malloc(ns * sizeof *rem);
    if (!size || !quota || !rem)
        goto nomem;
    for (size_t s = 0; s < ns; s++)
        size[s] = start[s + 1] - start[s];
    apportion(size, ns, nc, m, quota, rem);
    memset(chosen, 0, n);
    hs_rng_seed(&rng, seed);
    for (size_t s = 0; s < ns; s++) {
        struct cand *run = c + start[s];
        for (size_t k = 0; k < quota[s]; k++) {
            size_t j = k + (size_t)hs_rng_below(&rng, size[s] - k);
            struct cand tmp = run[k];
            run[k] = run[j];
            run[j] = tmp;
            chosen[run[k].row] = 1;
        }
    }
    *nchosen = m;
    hs_free(c);
    hs_free(start);
    hs_free(size);
    hs_free(quota);
    hs_free(rem);
    return HS_OK;
nomem:
    hs_free(c);
    hs_free(start);
    hs_free(size);
    hs_free(quota);
    hs_free(rem);
    return hs_err_set(err, HS_ENOMEM, "out of memory");
}

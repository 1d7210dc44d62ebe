/* split.c: the seeded, stratified train / validation / test split.
 *
 * Rows are grouped into strata (class x group) by a counting sort that
 * keeps row order inside each stratum, each stratum is shuffled by one
 * generator run over the strata in a fixed order, and its first rows go to
 * training, the next to validation, the rest to test.  Everything is
 * serial integer work (the quotas are the only doubles, computed the same
 * way everywhere), so a seed gives the same split on every machine and
 * with any number of threads.
 */
#include "config.h"

#include "split.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "rng.h"

/* ---- strata ---- */

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Group index of every row in gid[] (0 .. *ngroups-1, the last one for
 * missing values): text codes as they are, numbers by rank among the
 * distinct values. */
static int
group_ids(const struct hs_column *g, size_t n, uint32_t *gid, size_t *ngroups)
{
    if (g->kind == HS_COL_TEXT) {
        size_t nc = g->ncats;
        for (size_t i = 0; i < n; i++) {
            double v = g->v[i];
            gid[i] = (v >= 0 && v < (double)nc) ? (uint32_t)v : (uint32_t)nc;
        }
        *ngroups = nc + 1;
        return HS_OK;
    }
    double *vals = hs_malloc((n ? n : 1) * sizeof *vals);
    size_t m = 0, k = 0;
    if (!vals)
        return HS_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (!isnan(g->v[i]))
            vals[m++] = g->v[i];
    qsort(vals, m, sizeof *vals, cmp_double);
    for (size_t i = 0; i < m; i++)
        if (k == 0 || vals[i] != vals[k - 1])
            vals[k++] = vals[i];
    for (size_t i = 0; i < n; i++) {
        double v = g->v[i];
        if (isnan(v)) {
            gid[i] = (uint32_t)k;
            continue;
        }
        size_t lo = 0, hi = k;
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (vals[mid] <= v)
                lo = mid;
            else
                hi = mid;
        }
        gid[i] = (uint32_t)lo;
    }
    hs_free(vals);
    *ngroups = k + 1;
    return HS_OK;
}

/* Largest-remainder apportionment of size events to the three parts;
 * equal remainders go to the earlier part, and a part asked for nothing
 * gets nothing. */
static void
apportion(const double frac[3], size_t size, size_t out[3])
{
    double rem[3];
    size_t total = 0;

    for (int p = 0; p < 3; p++) {
        double q = frac[p] * (double)size;
        double f = floor(q);
        if (f > (double)size)
            f = (double)size;
        out[p] = (size_t)f;
        rem[p] = q - f;
        total += out[p];
    }
    while (total > size) { /* only from rounding in the quotas */
        int p = out[2] ? 2 : out[1] ? 1 : 0;
        out[p]--;
        total--;
    }
    while (total < size) {
        int best = -1;
        for (int p = 0; p < 3; p++)
            if (frac[p] > 0 && (best < 0 || rem[p] > rem[best]))
                best = p;
        if (best < 0)
            best = 0;
        out[best]++;
        rem[best] = -1.0; /* each part takes at most one extra per round */
        total++;
        if (rem[0] < 0 && rem[1] < 0 && rem[2] < 0)
            rem[0] = rem[1] = rem[2] = 0.0;
    }
}

static int
check_fractions(const double f[3], struct hs_err *err)
{
    static const char *const names[3] = {"train", "val", "test"};
    double sum = 0;

    for (int p = 0; p < 3; p++) {
        if (!(f[p] >= 0.0 && f[p] <= 1.0))
            return hs_err_set(err, HS_EUSAGE, "the %s fraction %g is not between 0 and 1",
                              names[p], f[p]);
        sum += f[p];
    }
    if (fabs(sum - 1.0) > 1e-9)
        return hs_err_set(err, HS_EUSAGE,
                          "the train, val and test fractions sum to %.10g, not 1", sum);
    return HS_OK;
}

int
hs_split_make(const struct hs_table *t, double train, double val, double test, uint64_t seed,
              struct hs_split *sp, struct hs_err *err)
{
    const double asked[3] = {train, val, test};
    const double *label = hs_table_label(t);
    const struct hs_column *g = hs_table_group(t);
    size_t n = t->nrows, ngroups = 1, nstrata;
    uint32_t *sid = NULL;
    size_t *start = NULL, *order = NULL;
    uint8_t *part = NULL;
    double frac[3];
    size_t count[3] = {0, 0, 0};
    struct hs_rng r;
    int rc;

    rc = check_fractions(asked, err);
    if (rc)
        return rc;
    for (int p = 0; p < 3; p++)
        frac[p] = asked[p] / (train + val + test);
    if (n > 0 && train == 0.0)
        return hs_err_set(err, HS_EUSAGE, "the training part must not be empty");

    sid = hs_malloc((n ? n : 1) * sizeof *sid);
    order = hs_malloc((n ? n : 1) * sizeof *order);
    part = hs_malloc(n ? n : 1);
    if (!sid || !order || !part)
        goto nomem;
    if (g) {
        if (group_ids(g, n, sid, &ngroups))
            goto nomem;
    } else {
        memset(sid, 0, n * sizeof *sid);
    }
    /* Stratum = class (signal, background, missing) x group. */
    nstrata = 3 * ngroups;
    for (size_t i = 0; i < n; i++) {
        size_t cls = !label ? 2 : label[i] == 1.0 ? 0 : label[i] == 0.0 ? 1 : 2;
        sid[i] = (uint32_t)(cls * ngroups + sid[i]);
    }
    start = hs_calloc(nstrata + 1, sizeof *start);
    if (!start)
        goto nomem;
    for (size_t i = 0; i < n; i++)
        start[sid[i] + 1]++;
    for (size_t s = 0; s < nstrata; s++)
        start[s + 1] += start[s];
    {
        /* A counting sort: stable, so rows keep their order in a stratum. */
        size_t *next = hs_malloc((nstrata ? nstrata : 1) * sizeof *next);
        if (!next)
            goto nomem;
        memcpy(next, start, nstrata * sizeof *next);
        for (size_t i = 0; i < n; i++)
            order[next[sid[i]]++] = i;
        hs_free(next);
    }

    hs_rng_seed(&r, seed);
    for (size_t s = 0; s < nstrata; s++) {
        size_t *rows = order + start[s];
        size_t m = start[s + 1] - start[s], c[3];
        if (m == 0)
            continue;
        for (size_t i = m - 1; i > 0; i--) {
            size_t j = (size_t)hs_rng_below(&r, (uint64_t)i + 1);
            size_t tmp = rows[i];
            rows[i] = rows[j];
            rows[j] = tmp;
        }
        apportion(frac, m, c);
        for (size_t i = 0; i < m; i++)
            part[rows[i]] = (uint8_t)(i < c[0] ? HS_PART_TRAIN
                                      : i < c[0] + c[1] ? HS_PART_VAL
                                                        : HS_PART_TEST);
        for (int p = 0; p < 3; p++)
            count[p] += c[p];
    }
    hs_free(sid);
    hs_free(order);
    hs_free(start);
    if (n > 0 && count[HS_PART_TRAIN] == 0) {
        hs_free(part);
        return hs_err_set(err, HS_EUSAGE,
                          "the training part would be empty (train fraction %g of %zu event%s)",
                          train, n, n == 1 ? "" : "s");
    }
    for (int p = 0; p < 3; p++) {
        sp->frac[p] = asked[p];
        sp->count[p] = count[p];
    }
    sp->seed = seed;
    sp->n = n;
    sp->part = part;
    return HS_OK;

nomem:
    hs_free(sid);
    hs_free(order);
    hs_free(start);
    hs_free(part);
    return hs_err_set(err, HS_ENOMEM, "out of memory");
}

void
hs_split_release(struct hs_split *sp)
{
    if (!sp)
        return;
    hs_free(sp->part);
    sp->part = NULL;
    sp->n = 0;
    sp->count[0] = sp->count[1] = sp->count[2] = 0;
}

size_t
hs_split_mask(const struct hs_split *sp, enum hs_part_sel on, size_t n, unsigned char *mask)
{
    size_t count = 0;

    if (on == HS_ON_ALL) {
        memset(mask, 1, n);
        return n;
    }
    for (size_t i = 0; i < n; i++) {
        mask[i] = sp && i < sp->n && sp->part[i] == (uint8_t)on;
        count += mask[i];
    }
    return count;
}

const char *
hs_part_sel_name(enum hs_part_sel on)
{
    switch (on) {
    case HS_ON_TRAIN:
        return "train";
    case HS_ON_VAL:
        return "val";
    case HS_ON_TEST:
        return "test";
    case HS_ON_ALL:
        return "all";
    }
    return "?";
}

int
hs_part_sel_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "train") == 0)
        return HS_ON_TRAIN;
    if (strcmp(s, "val") == 0)
        return HS_ON_VAL;
    if (strcmp(s, "test") == 0)
        return HS_ON_TEST;
    if (strcmp(s, "all") == 0)
        return HS_ON_ALL;
    return -1;
}

/* orderstat.c: exact order statistics by counting (see orderstat.h). */
#include "config.h"

#include "orderstat.h"

#include <stdint.h>
#include <stdlib.h>

#include "mem.h"

/* Below this a selection in place is as fast as counting. */
#define SMALL 32768
#define NBUCKETS 4096
/* A bucket holds values within one 4096th of the range, so each level
 * narrows the range by about that much; past a few levels the values
 * are (nearly) equal and selection ends it. */
#define MAX_DEPTH 6

static inline void
swap_d(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Hoare's selection with a median of three: afterwards a[k] is the k-th
 * smallest of a[0..n), nothing before it larger, nothing after smaller. */
static void
select_k(double *a, size_t n, size_t k)
{
    ptrdiff_t l = 0, r = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;

    while (r > l) {
        if (r - l < 16) {
            for (ptrdiff_t i = l + 1; i <= r; i++)
                for (ptrdiff_t j = i; j > l && a[j - 1] > a[j]; j--)
                    swap_d(&a[j - 1], &a[j]);
            return;
        }
        ptrdiff_t m = l + (r - l) / 2, i = l, j = r;
        if (a[m] < a[l])
            swap_d(&a[m], &a[l]);
        if (a[r] < a[l])
            swap_d(&a[r], &a[l]);
        if (a[r] < a[m])
            swap_d(&a[r], &a[m]);
        double pivot = a[m];
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                swap_d(&a[i], &a[j]);
                i++;
                j--;
            }
        }
        if (kk <= j)
            r = j;
        else if (kk >= i)
            l = i;
        else
            return;
    }
}

/* Ascending ranks by successive selection: each selection leaves
 * everything after the rank no smaller, so the next one starts there. */
static void
by_selection(double *a, size_t m, const size_t *ranks, size_t nr, double *out)
{
    size_t from = 0;

    for (size_t j = 0; j < nr; j++) {
        size_t k = ranks[j] < from ? from : ranks[j];
        select_k(a + from, m - from, k - from);
        out[j] = a[k];
        from = k;
    }
}

static void
order_stats(double *a, size_t m, const size_t *ranks, size_t nr, double *out, int depth)
{
    double lo = a[0], hi = a[0], scale;
    uint32_t *count;
    size_t *start, *bucket_of_rank, *within, *slot_bucket, *fill, nslot = 0;
    int32_t *slot_of;
    double *gathered;

    if (m <= SMALL || depth >= MAX_DEPTH) {
        by_selection(a, m, ranks, nr, out);
        return;
    }
    for (size_t i = 1; i < m; i++) {
        lo = a[i] < lo ? a[i] : lo;
        hi = a[i] > hi ? a[i] : hi;
    }
    if (!(hi > lo)) {
        for (size_t j = 0; j < nr; j++)
            out[j] = lo;
        return;
    }
    count = calloc(NBUCKETS, sizeof *count);
    slot_of = malloc(NBUCKETS * sizeof *slot_of);
    /* start[nr + 1], then four arrays of nr: each rank's bucket and place
     * in it, each slot's bucket and fill point */
    start = malloc((5 * nr + 1) * sizeof *start);
    if (!count || !slot_of || !start) {
        free(count);
        free(slot_of);
        free(start);
        by_selection(a, m, ranks, nr, out);
        return;
    }
    /* (v - lo) * scale is monotone in v, so a larger value never lands in
     * an earlier bucket; the top value is clamped into the last one. */
    scale = (double)NBUCKETS / (hi - lo);
#define BUCKET(v) ((size_t)(((v) - lo) * scale) < NBUCKETS ? (size_t)(((v) - lo) * scale) : NBUCKETS - 1)
    for (size_t i = 0; i < m; i++)
        count[BUCKET(a[i])]++;
    /* The bucket of each rank, and the rank within it; the buckets wanted
     * get consecutive slots in value order. */
    bucket_of_rank = start + nr + 1;
    within = bucket_of_rank + nr;
    slot_bucket = within + nr;
    fill = slot_bucket + nr;
    for (size_t b = 0; b < NBUCKETS; b++)
        slot_of[b] = -1;
    {
        size_t b = 0, below = 0;
        for (size_t j = 0; j < nr; j++) {
            while (below + count[b] <= ranks[j]) {
                below += count[b];
                b++;
            }
            bucket_of_rank[j] = b;
            within[j] = ranks[j] - below;
            if (slot_of[b] < 0) {
                slot_bucket[nslot] = b;
                slot_of[b] = (int32_t)nslot++;
            }
        }
    }
    start[0] = 0;
    for (size_t s = 0; s < nslot; s++)
        start[s + 1] = start[s] + count[slot_bucket[s]];
    gathered = hs_malloc((start[nslot] ? start[nslot] : 1) * sizeof *gathered);
    if (!gathered) {
        free(count);
        free(slot_of);
        free(start);
        by_selection(a, m, ranks, nr, out);
        return;
    }
    for (size_t s = 0; s < nslot; s++)
        fill[s] = start[s];
    for (size_t i = 0; i < m; i++) {
        int32_t s = slot_of[BUCKET(a[i])];
        if (s >= 0)
            gathered[fill[s]++] = a[i];
    }
#undef BUCKET
    /* Each wanted bucket on its own, with the ranks that fall in it. */
    for (size_t j = 0; j < nr;) {
        size_t b = bucket_of_rank[j], s = (size_t)slot_of[b], e = j;
        while (e < nr && bucket_of_rank[e] == b)
            e++;
        order_stats(gathered + start[s], start[s + 1] - start[s], within + j, e - j, out + j,
                    depth + 1);
        j = e;
    }
    hs_free(gathered);
    free(count);
    free(slot_of);
    free(start);
}

void
hs_order_stats(double *a, size_t m, const size_t *ranks, size_t nr, double *out)
{
    if (m > 0 && nr > 0)
        order_stats(a, m, ranks, nr, out, 0);
}

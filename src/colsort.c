/* colsort.c: the stable radix sort of keyed items (see colsort.h). */
#include "config.h"

#include "colsort.h"

#include <stdbool.h>
#include <string.h>

#include "mem.h"

#define COLSORT_BITS 11
#define COLSORT_RADIX (1u << COLSORT_BITS)
#define COLSORT_PASSES 6 /* 6 * 11 >= 64 */

/* Rows between cancel checks while the keys are made. */
#define COLSORT_CHUNK 65536

static size_t
digit(uint64_t key, int pass)
{
    return (size_t)(key >> (pass * COLSORT_BITS)) & (COLSORT_RADIX - 1);
}

/* hs_colsort_items, telling progress as `what` between passes when what
 * is given. */
static int
sort_items(struct hs_colsort_item *a, size_t n, struct hs_colsort_item *scratch,
           const struct hs_task *task, const char *what)
{
    struct hs_colsort_item *src = a, *dst, *own = NULL;
    size_t *count;
    bool unsorted = false;
    int rc = HS_OK;

    if (n < 2)
        return hs_task_cancelled(task) ? HS_ECANCELLED : HS_OK;
    if (!scratch && !(scratch = own = hs_malloc_large(n * sizeof *scratch)))
        return HS_ENOMEM;
    if (!(count = hs_calloc((size_t)COLSORT_PASSES * COLSORT_RADIX, sizeof *count))) {
        hs_free(own);
        return HS_ENOMEM;
    }
    dst = scratch;
    /* Every digit's counts in one pass over the keys, which also sees
     * whether they are in order already (a column sorted again, an event
     * number): then nothing moves. */
    for (size_t i = 0; i < n; i++) {
        uint64_t k = a[i].key;
        unsorted |= i && k < a[i - 1].key;
        for (int p = 0; p < COLSORT_PASSES; p++)
            count[(size_t)p * COLSORT_RADIX + digit(k, p)]++;
    }
    if (!unsorted) {
        hs_free(count);
        hs_free(own);
        return hs_task_cancelled(task) ? HS_ECANCELLED : HS_OK;
    }
    for (int p = 0; p < COLSORT_PASSES; p++) {
        size_t *c = count + (size_t)p * COLSORT_RADIX, sum = 0;
        struct hs_colsort_item *t;

        /* A digit every key shares moves nothing: values of one sign
         * and a few magnitudes share their top digits. */
        if (c[digit(src[0].key, p)] == n)
            continue;
        if (hs_task_cancelled(task)) {
            rc = HS_ECANCELLED;
            break;
        }
        if (what)
            hs_task_progress(task, (double)(p + 1) / (COLSORT_PASSES + 1), what);
        for (size_t d = 0; d < COLSORT_RADIX; d++) {
            size_t v = c[d];
            c[d] = sum;
            sum += v;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[digit(src[i].key, p)]++] = src[i];
        t = src;
        src = dst;
        dst = t;
    }
    /* After an odd number of passes the items are in the scratch. */
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    hs_free(count);
    hs_free(own);
    return rc;
}

int
hs_colsort_items(struct hs_colsort_item *a, size_t n, struct hs_colsort_item *scratch,
                 const struct hs_task *task)
{
    return sort_items(a, n, scratch, task, NULL);
}

int
hs_colsort_rows(const double *v, const double *rank, size_t nrank, size_t *rows, size_t n,
                int dir, const struct hs_task *task, struct hs_err *err)
{
    struct hs_colsort_item *a;
    int rc;

    hs_task_progress(task, 0.0, "sorting");
    if (!(a = hs_malloc_large((n ? n : 1) * sizeof *a)))
        return hs_err_set(err, HS_ENOMEM, "out of memory sorting %zu rows", n);
    for (size_t i = 0; i < n; i++) {
        double x = v[rows[i]];

        if ((i & (COLSORT_CHUNK - 1)) == 0 && i && hs_task_cancelled(task)) {
            hs_free(a);
            return hs_err_set(err, HS_ECANCELLED, "sorting cancelled");
        }
        /* A code is a whole number below nrank; anything else (NaN
         * aside) is damage and sorts with the first string (rank 0). */
        if (rank && x == x)
            x = x >= 0 && x < (double)nrank ? rank[(size_t)x] : 0;
        a[i].key = hs_colsort_key(x, dir);
        a[i].payload = rows[i];
    }
    if ((rc = sort_items(a, n, NULL, task, "sorting")) != HS_OK) {
        hs_free(a);
        return rc == HS_ECANCELLED ? hs_err_set(err, rc, "sorting cancelled")
                                   : hs_err_set(err, rc, "out of memory sorting %zu rows", n);
    }
    for (size_t i = 0; i < n; i++)
        rows[i] = (size_t)a[i].payload;
    hs_free(a);
    hs_task_progress(task, 1.0, "sorting");
    return HS_OK;
}

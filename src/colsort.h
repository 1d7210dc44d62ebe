/* colsort.h: the one sort of a column of doubles: a stable LSD radix sort
 * of 64-bit keys that carry a 64-bit payload.
 *
 * Used by the ROC sweep (src/roc.c: the payload is the event's weight)
 * and by the TUI's data view (the payload is a row index, and the
 * permutation is the order shown).  Keys come from sortkey.h: numeric
 * order, -0 and +0 tie, -inf first and +inf last of the numbers.
 *
 * Order of missing values: hs_colsort_key() maps every NaN (any sign or
 * payload) to UINT64_MAX, after every number in both directions, so NaN
 * is always LAST, its rows in their input order (the sort is stable).
 *
 * Cost: one pass to count every digit, then one scatter pass per 11-bit
 * digit that differs between keys (six at most, often three or four:
 * values of one sign and a few magnitudes share their top digits).  On a
 * million rows that is about 20-40 ms of memory traffic, so the callers
 * pass a task: the cancel flag is read between passes (and every 65536
 * rows while keys are made); hs_colsort_rows tells its progress between
 * passes, hs_colsort_items none (its callers sort in stages and tell
 * their own).
 *
 * One thread: the scatter passes are bound by memory bandwidth, and a
 * parallel LSD sort needs a counting pass per digit (the parts' counts
 * change with every permutation), which costs about what a second thread
 * would save on two cores, and more on a busy machine.
 */
#ifndef HS_COLSORT_H
#define HS_COLSORT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "sortkey.h"
#include "task.h"

/* A key and what travels with it (a row index, or a double's bits). */
struct hs_colsort_item {
    uint64_t key;
    uint64_t payload;
};

/* The key of v for an ascending (dir >= 0) or descending (dir < 0) sort:
 * equal values get equal keys, NaN sorts last either way. */
static inline uint64_t
hs_colsort_key(double v, int dir)
{
    if (v != v)
        return UINT64_MAX;
    return dir < 0 ? ~hs_sort_key(v) : hs_sort_key(v);
}

/* Sort a[0..n) by key, stably (equal keys keep their order).  scratch
 * (n items) may be given to reuse one buffer over several sorts; NULL
 * allocates it for the call.  HS_OK, HS_ENOMEM (a unchanged) or
 * HS_ECANCELLED (a holds the same items in an unspecified order). */
int hs_colsort_items(struct hs_colsort_item *a, size_t n, struct hs_colsort_item *scratch,
                     const struct hs_task *task);

/* Reorder rows[0..n) (indexes into v) stably by v[rows[i]] in direction
 * dir (1 ascending, -1 descending), NaN last.  With rank (a text column,
 * whose values are codes below nrank), the key of a row is
 * rank[code] instead: the caller's order of the strings (ranks from 0); a
 * code outside [0, nrank) sorts as rank 0, with the first string.  On failure rows is unchanged: HS_ENOMEM,
 * HS_ECANCELLED ("sorting cancelled" in err). */
int hs_colsort_rows(const double *v, const double *rank, size_t nrank, size_t *rows, size_t n,
                    int dir, const struct hs_task *task, struct hs_err *err);

#endif

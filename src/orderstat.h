/* orderstat.h: exact order statistics of a large array in a few passes.
 *
 * The k-th smallest values of an array, as a full sort would give them,
 * without sorting: the values are counted into buckets between their
 * minimum and maximum (a monotone map, so bucket order is value order),
 * the buckets that hold the wanted ranks are gathered in one more pass,
 * and each is searched the same way until it is small enough to select
 * in.  About three streaming passes over the data instead of the several
 * partitioning passes of a quickselect per rank: the automatic binning
 * of a histogram of a million events takes a few milliseconds.
 */
#ifndef HS_ORDERSTAT_H
#define HS_ORDERSTAT_H

#include <stddef.h>

/* out[j] = the ranks[j]-th smallest (from 0) of a[0..m) for each of the
 * nr ranks (ascending, each below m).  The values must not be NaN.  a is
 * reordered.  Never fails: without memory for the buckets it selects in
 * place. */
void hs_order_stats(double *a, size_t m, const size_t *ranks, size_t nr, double *out);

#endif

/* subsample.h: a seeded subsample stratified by class and group.
 *
 * t-SNE and UMAP fit at most a user's number of events (20,000 by
 * default), and every method takes the events of a selection; the
 * subsample keeps the selection's proportions of signal, background and
 * unlabelled events and, when the dataset has a group column (the HNL
 * mass points of the demo), of every group within each class, so that a
 * picture of 20,000 points shows every mass point as the whole would.
 *
 * Strata are (class, group) pairs: class 1 signal, 0 background, and one
 * class for any other label (NaN, none); a missing group is a group of
 * its own.  Each stratum gets m * size / total events, the shares left
 * over by rounding down going to the largest remainders (integers,
 * compared exactly; equal ones to the earlier stratum in the order
 * class, then group value), and its events are drawn uniformly by a
 * seeded partial shuffle (src/rng.h) in that order of strata: the same
 * data, selection, size and seed give the same events on every machine.
 */
#ifndef HS_SUBSAMPLE_H
#define HS_SUBSAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Choose m of the candidate rows of n (those with mask[i] non-zero, or
 * all when mask is NULL) into chosen (n bytes, 1 for a chosen row, 0 for
 * any other); *nchosen gets how many (every candidate when there are at
 * most m).  label and group are n values each, or NULL (one class, one
 * group).  HS_ENOMEM, chosen untouched then. */
int hs_subsample(size_t n, const unsigned char *mask, const double *label, const double *group,
                 size_t m, uint64_t seed, unsigned char *chosen, size_t *nchosen,
                 struct hs_err *err);

#endif

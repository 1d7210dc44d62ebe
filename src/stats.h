/* stats.h: per-column summary statistics, by class.
 *
 * Moments are accumulated with Welford's update in one pass, weighted when
 * the table has weights; missing values (NaN) are counted, not used.
 */
#ifndef HS_STATS_H
#define HS_STATS_H

#include <stddef.h>

#include "table.h"

enum hs_stats_class {
    HS_CLASS_ALL = 0,
    HS_CLASS_SIGNAL = 1,
    HS_CLASS_BACKGROUND = 2,
};

struct hs_colstats {
    size_t n;          /* events with a value */
    size_t missing;    /* events without one */
    double sumw;       /* sum of weights of the events with a value */
    double min, max;   /* NaN when n == 0 */
    double mean, sd;   /* weighted; sd divides by sumw - 1 (weights as frequencies),
                          so unweighted it is the sample sd, as pandas prints */
};

/* Statistics of values v[0..n) for the events of class cls (label may be
 * NULL only with HS_CLASS_ALL); weight may be NULL (all 1). */
void hs_stats_column(const double *v, const double *label, const double *weight, size_t n,
                     enum hs_stats_class cls, struct hs_colstats *out);

#endif

#include "config.h"

#include "stats.h"

#include <math.h>

void
hs_stats_column(const double *v, const double *label, const double *weight, size_t n,
                enum hs_stats_class cls, struct hs_colstats *out)
{
    double sumw = 0, mean = 0, m2 = 0, lo = INFINITY, hi = -INFINITY;
    size_t cnt = 0, missing = 0;

    for (size_t i = 0; i < n; i++) {
        double x, w, d;
        if (cls != HS_CLASS_ALL) {
            double want = cls == HS_CLASS_SIGNAL ? 1.0 : 0.0;
            if (!label || label[i] != want)
                continue;
        }
        x = v[i];
        if (isnan(x)) {
            missing++;
            continue;
        }
        w = weight ? weight[i] : 1.0;
        cnt++;
        if (x < lo)
            lo = x;
        if (x > hi)
            hi = x;
        if (w == 0)
            continue;
        /* West's weighted form of Welford's update: stable in one pass. */
        sumw += w;
        d = x - mean;
        mean += d * w / sumw;
        m2 += w * d * (x - mean);
    }
    out->n = cnt;
    out->missing = missing;
    out->sumw = sumw;
    out->min = cnt ? lo : NAN;
    out->max = cnt ? hi : NAN;
    out->mean = sumw != 0 ? mean : NAN;
    out->sd = sumw > 1 ? sqrt(fmax(m2 / (sumw - 1), 0)) : NAN;
}

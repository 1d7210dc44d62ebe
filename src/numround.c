/* numround.c: see numround.h. */
#include "config.h"

#include "numround.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The double nearest to x printed with `places` decimals: rounding by
 * multiplying with 10^k leaves binary noise (11.419999999999998) that
 * the decimal text does not. */
static double
decimal(double x, int places)
{
    char buf[400];
    double out;

    if (places <= 0)
        return x;
    snprintf(buf, sizeof buf, "%.*f", places, x);
    if (hs_num_parse(buf, strlen(buf), &out) != 0)
        return x;
    return out;
}

double
hs_num_round_within(double x, double tol)
{
    int k;

    if (!isfinite(x) || !isfinite(tol) || !(tol > 0))
        return x;
    /* From the first power of ten above |x| down: the first that stays
     * within tol is the coarsest.  At 10^floor(log10(tol)) the error is
     * at most half a step, so the loop ends there at the latest. */
    k = (int)floor(log10(fabs(x) + tol)) + 1;
    for (int last = (int)floor(log10(tol)); k >= last; k--) {
        double step = pow(10, k);
        double r = round(x / step) * step;
        if (k < 0)
            r = decimal(r, -k);
        if (fabs(r - x) <= tol)
            return r == 0 ? 0 : r; /* never -0 */
    }
    return x;
}

int
hs_num_show(double x, char buf[HS_NUM_BUF])
{
    int n;

    if (isnan(x))
        return snprintf(buf, HS_NUM_BUF, "NA");
    if (x == floor(x) && fabs(x) < 1e7)
        return snprintf(buf, HS_NUM_BUF, "%.0f", x == 0 ? 0 : x);
    n = hs_num_format(x, buf);
    if (isinf(x))
        return n;
    {
        /* Significant digits of the shortest form: its digits without
         * leading zeros and the exponent. */
        int sig = 0, lead = 1;
        for (const char *p = buf; *p && *p != 'e'; p++) {
            if (*p < '0' || *p > '9')
                continue;
            if (lead && *p == '0')
                continue;
            lead = 0;
            sig++;
        }
        if (sig <= HS_NUM_SHOW_SIG)
            return n;
    }
    return snprintf(buf, HS_NUM_BUF, "%.*g", HS_NUM_SHOW_SIG, x);
}

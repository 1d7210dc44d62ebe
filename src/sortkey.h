/* sortkey.h: a double as a 64-bit key whose unsigned order is numeric
 * order, for radix sorts (the ROC's scores, the TUI's data view).
 *
 * IEEE doubles order like sign-magnitude integers: flip every bit of a
 * negative and only the sign bit of a positive.  -0 is folded into +0
 * first, so that equal values tie (a stable sort keeps their order).
 * NaN is the caller's to keep out.  For descending order, complement the
 * key.
 */
#ifndef HS_SORTKEY_H
#define HS_SORTKEY_H

#include <stdint.h>
#include <string.h>

static inline uint64_t
hs_sort_key(double v)
{
    uint64_t u;

    if (v == 0)
        v = 0.0;
    memcpy(&u, &v, sizeof u);
    return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

#endif

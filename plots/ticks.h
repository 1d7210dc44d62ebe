/* ticks.h: axis ticks at "nice" numbers, for every renderer.
 *
 * A linear axis gets major ticks at multiples of 1, 2 or 5 x 10^k (at most
 * the number the caller can fit in the length it has) and minor ticks
 * between them; a log axis gets decade ticks (10^k) and minor ticks at
 * 2..9 x 10^k.  Labels are compact ("0.2", "1.5", "2e+06", never "-0"); on
 * a log axis the terminal label is "10^3" and a renderer that can draw
 * superscripts uses the separate mantissa and exponent.
 */
#ifndef HS_PLOT_TICKS_H
#define HS_PLOT_TICKS_H

#include <stddef.h>

#include "plots/figure.h"

#define HS_TICKS_MAX 32
#define HS_TICKS_MINOR_MAX 128
#define HS_TICK_LABEL_MAX 24

struct hs_ticks {
    size_t n;                                   /* major ticks, increasing */
    double v[HS_TICKS_MAX];                     /* their values, inside [lo, hi] */
    char label[HS_TICKS_MAX][HS_TICK_LABEL_MAX]; /* "0.2", "2e+06", "10^3" */
    /* For superscript rendering: the label is mant x 10^exp when exp_used
     * is non-zero (mant may be "" for a pure power of ten on a log axis,
     * meaning "10^exp"); else label is plain text (mant = label). */
    char mant[HS_TICKS_MAX][HS_TICK_LABEL_MAX];
    int exp[HS_TICKS_MAX];
    int exp_used[HS_TICKS_MAX];
    size_t nminor;                               /* minor ticks, increasing */
    double minor[HS_TICKS_MINOR_MAX];            /* not at a major tick */
};

/* Ticks for the range [lo, hi] on an axis of the given scale, with at most
 * max_major major ticks (clamped to 2..HS_TICKS_MAX).  lo > hi is swapped;
 * a zero-width range is widened around its value.  On a log axis lo and hi
 * must be positive.  Returns 0, or -1 for non-finite input or a
 * non-positive log range. */
int hs_ticks_make(double lo, double hi, enum hs_axis_scale scale, int max_major,
                  struct hs_ticks *out);

/* Widen [*lo, *hi] outwards to nice limits: multiples of the tick step a
 * linear axis with max_major ticks would use, or whole decades on a log
 * axis.  A zero-width range becomes a small range around its value (or
 * [0, 1] for zero).  Returns 0, or -1 as hs_ticks_make. */
int hs_ticks_nice_range(double *lo, double *hi, enum hs_axis_scale scale, int max_major);

/* Format v compactly into buf (at least HS_TICK_LABEL_MAX bytes), as a
 * tick at step `step` would be labelled: "0.25", "-3", "2e+06", no "-0". */
void hs_ticks_format(double v, double step, char *buf, size_t size);

#endif

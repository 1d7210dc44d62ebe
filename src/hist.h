/* hist.h: 1-D and 2-D histograms with equal bins, and automatic binning.
 *
 * Bins follow numpy.histogram exactly: the edges are lo + i * (hi - lo) / nbins
 * with the last edge set to hi (numpy.linspace); bin i holds lo_i <= x < lo_i+1,
 * except the last, which also holds x == hi.  The bin is computed as
 * (x - lo) * (nbins / (hi - lo)) and then corrected by one against the edges,
 * as numpy does, so a value that lands on an edge falls in numpy's bin.
 * Values below lo (with -inf) go to the underflow, above hi (with +inf) to
 * the overflow, NaN values are counted apart.
 *
 * Filling runs over a fixed partition of the input into blocks (it depends
 * on n and the number of bins, never on the thread count); each block sums
 * in input order, and the blocks are merged in block order.  So the result,
 * weighted sums included, is bit-identical whatever the number of OpenMP
 * threads.  A fill adds to what the histogram already holds.
 *
 * Events may be chosen by a label: with label non-NULL and want not NaN only
 * the events with label[i] == want are filled (a NaN label never matches).
 * Weights may be NULL (all 1); a NaN weight makes its bin's sums NaN.
 *
 * Cancel: a fill checks the task at block boundaries and returns
 * HS_ECANCELLED with the histogram untouched.  On any error the histogram is
 * untouched too.
 */
#ifndef HS_HIST_H
#define HS_HIST_H

#include <stddef.h>

#include "err.h"
#include "task.h"

/* hs_hist_bin's answers outside the bins. */
enum {
    HS_HIST_UNDER = -1, /* below lo, or -inf */
    HS_HIST_NAN = -2,   /* not a number */
};

struct hs_hist {
    size_t nbins;
    double lo, hi;
    double *edges;          /* nbins + 1, owned */
    double *sumw, *sumw2;   /* nbins each, owned: sum of weights and of squared weights */
    double under, under_w2; /* x < lo */
    double over, over_w2;   /* x > hi */
    size_t nan;             /* events with a NaN value */
    size_t entries;         /* events filled, all four kinds together */
};

/* Set up nbins empty bins over [lo, hi].  HS_ERANGE when nbins is 0, lo or
 * hi is not finite, lo >= hi or hi - lo overflows; HS_ENOMEM.  On failure h
 * is left empty (hs_hist_release may still be called). */
int hs_hist_init(struct hs_hist *h, size_t nbins, double lo, double hi, struct hs_err *err);

/* Free what hs_hist_init allocated; h becomes empty.  NULL is a no-op. */
void hs_hist_release(struct hs_hist *h);

/* Empty every bin and flow counter, keeping the binning. */
void hs_hist_reset(struct hs_hist *h);

/* The bin of x: 0..nbins-1, HS_HIST_UNDER, nbins for overflow, HS_HIST_NAN. */
long hs_hist_bin(const struct hs_hist *h, double x);

/* Add v[0..n), see the header comment for label, want and weight.
 * HS_ENOMEM, HS_ECANCELLED. */
int hs_hist_fill(struct hs_hist *h, const double *v, const double *weight, const double *label,
                 double want, size_t n, const struct hs_task *task, struct hs_err *err);

/* Fill h[0..nh) in one pass over v and label: h[j] gets exactly what
 * hs_hist_fill(h[j], v, weight, label, codes[j], ...) would give it (the
 * signal and the background of one plot, say).  Every h[j] has the same
 * binning.  HS_EUSAGE (binnings differ), HS_ENOMEM, HS_ECANCELLED. */
int hs_hist_fill_classes(struct hs_hist *const *h, size_t nh, const double *codes,
                         const double *v, const double *weight, const double *label, size_t n,
                         const struct hs_task *task, struct hs_err *err);

/* Sum of weights inside the bins (flows and NaN excluded). */
double hs_hist_integral(const struct hs_hist *h);

/* Bin contents and errors (sqrt of the sum of squared weights: sqrt(n),
 * Poisson, for unweighted data) into content[nbins] and error[nbins]; either
 * may be NULL.  With normalise, both are divided by the in-range sum of
 * weights times the bin width, so that the contents integrate to 1 (as
 * numpy's density=True); an empty histogram then gives zeros. */
void hs_hist_contents(const struct hs_hist *h, int normalise, double *content, double *error);

/* Automatic binning. */
struct hs_hist_binning {
    double lo, hi;  /* the range */
    size_t nbins;
    size_t n;       /* finite values it was computed from */
    double iqr;     /* their interquartile range */
    int sturges;    /* 1 when Sturges' rule replaced Freedman-Diaconis (IQR 0) */
};

/* Choose a range and a bin count for the finite values among v[0..n)
 * (filtered by label and want as in hs_hist_fill).  The range runs from the
 * tail to the 1 - tail quantile (linear interpolation, numpy's default), so
 * that a few outliers do not squash the picture; tail 0 takes min and max.
 * The bin count follows Freedman-Diaconis, width 2 IQR n^(-1/3), or Sturges,
 * log2(n) + 1, when the IQR is 0; it is clamped to [min_bins, max_bins].  A
 * range of zero width becomes [x - 0.5, x + 0.5] (numpy).  Without finite
 * values the answer is [0, 1] with min_bins bins and n = 0.  Quantiles are
 * found by selection in O(n) on a copy, not by sorting.
 * HS_EUSAGE for tail outside [0, 0.5) or min_bins 0 or above max_bins;
 * HS_ENOMEM; HS_ECANCELLED. */
int hs_hist_auto(const double *v, const double *label, double want, size_t n, double tail,
                 size_t min_bins, size_t max_bins, struct hs_hist_binning *out,
                 const struct hs_task *task, struct hs_err *err);

/* Quantiles p[0..np) (ascending, each in [0, 1]) of work[0..m) (finite
 * values, m > 0) by linear interpolation, into q[0..np).  work is reordered. */
void hs_hist_quantiles(double *work, size_t m, const double *p, size_t np, double *q);

/* 2-D histograms, for heat maps.  Bin (ix, iy) is sumw[iy * nx + ix] (rows
 * are y, as in an image); each axis bins as the 1-D histogram does.  flow
 * holds the weights by region, [x region][y region] with 0 under, 1 inside,
 * 2 over, so flow[1][1] is the in-range total and flow[0][1] the events under
 * in x and inside in y.  Events with a NaN coordinate are counted in nan. */
struct hs_hist2d {
    size_t nx, ny;
    double xlo, xhi, ylo, yhi;
    double *xedges, *yedges; /* nx + 1 and ny + 1, owned */
    double *sumw, *sumw2;    /* nx * ny each, owned */
    double flow[3][3];
    size_t nan;
    size_t entries;
};

/* As hs_hist_init, per axis; HS_ERANGE also when nx * ny overflows. */
int hs_hist2d_init(struct hs_hist2d *h, size_t nx, double xlo, double xhi, size_t ny, double ylo,
                   double yhi, struct hs_err *err);
void hs_hist2d_release(struct hs_hist2d *h);

/* Add the events (x[i], y[i]); weight, label and want as in hs_hist_fill;
 * bit-identical across thread counts.  HS_ENOMEM, HS_ECANCELLED. */
int hs_hist2d_fill(struct hs_hist2d *h, const double *x, const double *y, const double *weight,
                   const double *label, double want, size_t n, const struct hs_task *task,
                   struct hs_err *err);

#endif

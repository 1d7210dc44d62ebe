/* featstats.h: how well one feature separates signal from background.
 *
 * For one column of a labelled table: per-class moments and quantiles, the
 * separation <S^2> = 1/2 * integral (s(x) - b(x))^2 / (s(x) + b(x)) dx of
 * the two normalised distributions (as TMVA defines it: 0 for identical
 * shapes, 1 for disjoint ones), computed on a histogram of HS_SEP_BINS bins
 * over the common range, and the single-feature ROC AUC with its
 * direction.  Weighted where the table has weights; missing values are
 * counted and left out.
 */
#ifndef HS_FEATSTATS_H
#define HS_FEATSTATS_H

#include <stddef.h>

#include "err.h"
#include "stats.h"
#include "task.h"

#define HS_SEP_BINS 100
#define HS_NQUANT 5

/* The quantile levels reported: 5%, 25%, 50%, 75%, 95%. */
extern const double hs_quantile_levels[HS_NQUANT];

struct hs_featstats {
    struct hs_colstats cls[3];     /* indexed by enum hs_stats_class */
    double quant[3][HS_NQUANT];    /* weighted quantiles per class */
    double separation;             /* in [0, 1]; NaN when a class is empty */
    double auc;                    /* max(AUC, 1 - AUC) in [0.5, 1]; NaN likewise */
    int direction;                 /* +1: signal tends higher (cut x > c), -1: lower */
};

/* Statistics of v[0..n) with labels (1/0; may be NULL: then only the
 * HS_CLASS_ALL entries are filled and separation/auc are NaN) and weights
 * (NULL = 1).  Needs O(n) scratch memory: HS_ENOMEM; cancellable. */
int hs_featstats_compute(const double *v, const double *label, const double *weight, size_t n,
                         struct hs_featstats *out, const struct hs_task *task,
                         struct hs_err *err);

/* The same for k columns at once, spread over the OpenMP threads; out
 * holds k results.  The first failure is returned. */
int hs_featstats_many(const double *const *cols, size_t k, const double *label, const double *weight,
                      size_t n, struct hs_featstats *out, const struct hs_task *task,
                      struct hs_err *err);

/* The separation of two weighted samples on nbins bins over [lo, hi]. */
double hs_separation(const double *v, const double *label, const double *weight, size_t n,
                     double lo, double hi, int nbins);

/* The ROC AUC of v as a score: the probability that a signal event scores
 * higher than a background event, ties counting one half, weighted.  Uses
 * a sort: O(n log n).  NaN when a class is empty. */
int hs_auc(const double *v, const double *label, const double *weight, size_t n, double *auc,
           struct hs_err *err);

/* Pearson correlation matrix (k x k, row-major into out) of the columns
 * cols[0..k) over the events of class cls (label may be NULL with
 * HS_CLASS_ALL), weighted, each pair over the events where both are
 * present.  NaN for a pair with no spread.  Parts of par.h jobs (a
 * Gram matrix through src/gram.c for the columns with every value): the
 * same bits for a given --threads whatever the load.  HS_ENOMEM, or
 * HS_ECANCELLED with out partly written. */
int hs_correlation(const double *const *cols, size_t k, const double *label,
                   const double *weight, size_t n, enum hs_stats_class cls, double *out,
                   const struct hs_task *task, struct hs_err *err);

#endif

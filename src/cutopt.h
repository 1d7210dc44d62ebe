/* cutopt.h: the rectangular cut optimiser.
 *
 * For each target signal efficiency, find the box (a range lo <= x < hi
 * on each chosen feature, either end possibly open) with the least
 * background that keeps at least that fraction of the signal of the
 * training events, then report the box on the test events.  TMVA's
 * CutsGA is the reference point; this one is built to scale with the
 * number of features and to be exact where it can:
 *
 *   1. Each feature is cut into up to HS_CUTOPT_BINS bins at the merged
 *      quantiles of the training signal and of a background sample (fine
 *      where either class is dense, so no bin holds many events), and
 *      every event becomes one bin code per feature: a box is a range of
 *      codes, and moving one end touches only the events of the bins it
 *      passes.
 *   2. Start (a quantile scan): each feature's best single-feature window
 *      at an equal share of the allowed signal loss.
 *   3. Refine: coordinate moves, each one exact in one feature with the
 *      others held: the window of least background holding the needed
 *      signal, found by a sliding sum over that feature's bins; and a
 *      seeded evolutionary search over boxes (mutation of the bounds,
 *      crossover, repaired to the target by the exact move) to leave
 *      local optima.
 *   4. Polish: the bounds move from bin edges to the best place between
 *      two neighbouring event values, keeping the target; there the
 *      shortest decimal is taken, so boxes read "ip < 4.38".
 *   5. Calibrate (when validation rows are given): a box that holds the
 *      target on the training events holds a little less on new events
 *      (it was fitted to those), so the target "95% on the test sample"
 *      is missed by a hair.  The box is optimised again for a raised
 *      training target until its signal efficiency on the validation rows
 *      is at least target + margin standard errors,
 *      t + z sqrt(t (1 - t) / n_val), n_val the validation signal count
 *      (weighted: Kish's effective number (sum w)^2 / sum w^2).  Each
 *      step raises the training target by the shortfall on the
 *      validation rows (at least one training signal event's share), up
 *      to the reachable signal.  The validation rows choose only that one
 *      number, and the test rows are never used for it.
 *
 * Seeded and reproducible: the same inputs, seed and options give the
 * same boxes whatever the number of threads.
 */
#ifndef HS_CUTOPT_H
#define HS_CUTOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "task.h"

#define HS_CUTOPT_BINS 256
/* The default calibration margin, in binomial standard errors. */
#define HS_CUTOPT_MARGIN 1.5
/* The default efficiency grid: 0.10, 0.15, ..., 0.95, then 0.97, 0.99. */
#define HS_CUTOPT_GRID_N 20
extern const double hs_cutopt_grid[HS_CUTOPT_GRID_N];

struct hs_cutopt_config {
    size_t nfeat;
    const double *const *vals;   /* nfeat columns of n values (NaN fails every box) */
    const char *const *names;    /* their names, for messages */
    const double *label;         /* 1 signal, 0 background (others left out) */
    const double *weight;        /* NULL: 1 */
    const unsigned char *train;  /* rows to optimise on (non-zero) */
    const unsigned char *val;    /* rows to calibrate on; NULL: no calibration (NaN figures) */
    const unsigned char *test;   /* rows to report on; NULL: no test figures (NaN) */
    size_t n;
    const double *targets;       /* ntargets signal efficiencies in (0, 1] */
    size_t ntargets;
    uint64_t seed;
    size_t effort;               /* 0: default; larger searches longer (generations) */
    double margin;               /* calibration margin z in standard errors (>= 0; 0 still
                                    asks the validation rows to hold the target itself) */
};

struct hs_cutopt_point {
    double target;
    double *lo, *hi;             /* nfeat bounds each; -HUGE_VAL / HUGE_VAL when open */
    double train_target;         /* the training target the box was optimised for (>= target) */
    double train_sig_eff, train_bkg_eff;
    /* Calibration: val_need = min(1, target + margin * val_sigma), val_sigma =
     * sqrt(target (1 - target) / val_neff); all NaN when not calibrated (no
     * validation rows, or no validation signal weight). */
    double val_neff, val_sigma, val_need;
    double val_sig_eff, val_bkg_eff;
    bool calibrated;             /* val_need was computed and the loop ran */
    bool val_met;                /* val_sig_eff meets val_need (false when not calibrated) */
    bool test_met;               /* test_sig_eff meets target (false without test rows) */
    double test_sig_eff, test_bkg_eff;
    double test_sig, test_bkg;   /* weighted events passing in the test rows */
    size_t test_nsig, test_nbkg; /* unweighted */
};

struct hs_cutopt_result {
    size_t nfeat, npoints;
    struct hs_cutopt_point *p;   /* in the order of the targets */
};

/* Whether a signal efficiency meets a target: eff >= target within
 * rounding (1e-12 relative), so that a box holding exactly target * total
 * events is not lost to it.  The one rule for "meets the target". */
bool hs_cutopt_meets(double eff, double target);

/* Optimise.  Features with no spread in the training signal are left
 * open; a target the training signal cannot reach (targets above 1 or
 * with no signal) is HS_EUSAGE, and so is a negative margin.  A target
 * the validation rows cannot be brought to (the training target reached
 * every reachable training event) is not an error: the loosest box is
 * returned with val_met false.  Progress per target; cancel within
 * 100 ms (then nothing is returned).  HS_ENOMEM. */
int hs_cutopt_run(const struct hs_cutopt_config *c, struct hs_cutopt_result *out,
                  const struct hs_task *task, struct hs_err *err);
void hs_cutopt_release(struct hs_cutopt_result *r);

#endif

/* signif.h: significance of a selection, and efficiencies versus a
 * threshold on a score (TMVA's "mvaeffs" view).
 *
 * For s expected signal and b expected background events passing:
 *   HS_SIGNIF_S_SQRT_B    s / sqrt(b)
 *   HS_SIGNIF_S_SQRT_SB   s / sqrt(s + b)
 *   HS_SIGNIF_AMS         the approximate median significance of the
 *                         ATLAS Higgs machine-learning challenge,
 *                         sqrt(2 ((s + b + b_reg) ln(1 + s / (b + b_reg)) - s))
 *                         with b_reg = 10
 *   HS_SIGNIF_ASIMOV      the Asimov discovery significance,
 *                         sqrt(2 ((s + b) ln(1 + s / b) - s))
 * NaN where undefined (s + b = 0, or b = 0 for s/sqrt(b) and Asimov, s < 0).
 * Computed with log1p so that small s/b loses no digits.
 */
#ifndef HS_SIGNIF_H
#define HS_SIGNIF_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "task.h"

#define HS_AMS_BREG 10.0

enum hs_signif_kind {
    HS_SIGNIF_S_SQRT_B,
    HS_SIGNIF_S_SQRT_SB,
    HS_SIGNIF_AMS,
    HS_SIGNIF_ASIMOV,
};

double hs_signif(enum hs_signif_kind kind, double s, double b);
/* "s_sqrt_b", "s_sqrt_sb", "ams", "asimov"; and back (-1 when unknown). */
const char *hs_signif_name(enum hs_signif_kind kind);
int hs_signif_parse(const char *name);

/* The expected numbers an efficiency becomes: s = sig_scale * sig_eff,
 * b = bkg_scale * bkg_eff.  The caller chooses the scales: the numbers of
 * events the user gives (--nsig, --nbkg), or a luminosity times the
 * weight sums of the whole dataset (weights are events per unit of
 * luminosity), or by default the dataset's own weighted counts. */
struct hs_effs_point {
    double thr;        /* score > thr passes */
    double sig_eff, bkg_eff;
    double purity;     /* s / (s + b); NaN when nothing passes */
    double eff_purity; /* sig_eff * purity */
    double s, b;       /* expected signal and background passing */
    double signif;     /* of the chosen kind */
};

struct hs_effs {
    size_t n;
    struct hs_effs_point *p; /* n points, thresholds ascending */
    struct hs_effs_point best; /* the greatest significance over every distinct
                                  score value (not only the n listed) */
};

/* Efficiencies and significance of "score > thr" over the rows where mask
 * is non-zero (NULL: all), at npoints thresholds evenly spaced from the
 * lowest to the highest score (npoints >= 2), plus the best threshold
 * found over every distinct score.  Label, weight and missing scores as
 * in roc.h.  HS_EDATA when a class is empty.  Cancellable. */
int hs_effs_compute(const double *score, const double *label, const double *weight,
                    const unsigned char *mask, size_t n, enum hs_signif_kind kind,
                    double sig_scale, double bkg_scale, size_t npoints, struct hs_effs *out,
                    const struct hs_task *task, struct hs_err *err);
void hs_effs_release(struct hs_effs *e);

#endif

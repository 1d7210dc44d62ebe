/* delong.c: DeLong's variance of the ROC area from one sort of the scores.
 *
 * The sorted sweep of roc_int.h gives, per distinct score value (highest
 * first), the cumulative signal and background weights above it; an
 * event's structural component is then the weight of the other class
 * below its value plus half the weight at it, found by a binary search of
 * its value.  That is Sun and Xu's midrank computation with the sort
 * shared with roc.c.  NaN scores are below every value and tie with each
 * other: the weight of the other class with a NaN score is "at" a NaN
 * event's value, and below every number.
 */
#include "config.h"

#include "delong.h"

#include <math.h>
#include <string.h>

#include "roc_int.h"

#define HS_DELONG_CHUNK 65536

/* The structural component of one event at score x: for a signal event
 * the other class's (background) weight below x plus half that at x, for
 * a background event the signal weight above x plus half that at x, each
 * as a fraction of the other class's total.  With c the other class's
 * cumulative weights and k = count_above(x) (so val[k] == x): above x is
 * c[k], at x c[k + 1] - c[k], below it the rest, NaNs included. */
static double
delong_component(const struct hs_roc_sweep *sw, double x, int sig)
{
    const double *c = sig ? sw->cb : sw->cs;
    double tot = sig ? sw->tot_b : sw->tot_s;
    double numeric = c[sw->nd]; /* the other class's weight with a score */
    double above, at;
    size_t k;

    if (isnan(x)) {
        /* Below every number, tied with the other class's NaNs. */
        above = numeric;
        at = tot - numeric;
    } else {
        k = hs_roc_sweep_count_above(sw, x);
        above = c[k];
        at = c[k + 1] - c[k];
    }
    return sig ? (tot - above - 0.5 * at) / tot : (above + 0.5 * at) / tot;
}

int
hs_delong_auc(const double *score, const double *label, const double *weight,
              const unsigned char *mask, size_t n, struct hs_delong *out,
              const struct hs_task *task, struct hs_err *err)
{
    struct hs_roc_sweep sw;
    double sum_w[2] = {0, 0}, sum_w2[2] = {0, 0}, sum_wv[2] = {0, 0};
    double sum_wdd[2] = {0, 0};
    struct hs_delong r = {0};
    int rc;

    if (weight) {
        for (size_t i = 0; i < n; i++) {
            if ((mask && !mask[i]) || !(label[i] == 0 || label[i] == 1))
                continue;
            if (!(weight[i] >= 0))
                return hs_err_set(err, HS_EDATA,
                                  "event %zu has weight %g: DeLong's variance needs weights "
                                  ">= 0",
                                  i + 1, weight[i]);
        }
    }
    rc = hs_roc_sweep_build(score, label, weight, mask, n, &sw, task, err);
    if (rc)
        return rc;
    /* Two passes: the weighted means of each class's components (both
     * are the area), then their weighted squared deviations from it, so
     * that a variance of 1e-8 about an area of 0.999 keeps its digits. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            int sig;
            double w, v;
            if ((i & (HS_DELONG_CHUNK - 1)) == 0 && i && hs_task_cancelled(task)) {
                hs_roc_sweep_release(&sw);
                return hs_err_set(err, HS_ECANCELLED, "cancelled");
            }
            if ((mask && !mask[i]) || !(label[i] == 0 || label[i] == 1))
                continue;
            sig = label[i] == 1;
            w = weight ? weight[i] : 1.0;
            v = delong_component(&sw, score[i], sig);
            if (pass == 0) {
                sum_w[sig] += w;
                sum_w2[sig] += w * w;
                sum_wv[sig] += w * v;
            } else {
                sum_wdd[sig] += w * (v - r.auc) * (v - r.auc);
            }
        }
        if (pass == 0)
            r.auc = sum_wv[1] / sum_w[1];
    }
    hs_roc_sweep_release(&sw);
    r.m_eff = sum_w[1] * sum_w[1] / sum_w2[1];
    r.n_eff = sum_w[0] * sum_w[0] / sum_w2[0];
    /* sum w (v - A)^2 / W over (m_eff - 1) is S10 / m with Bessel's
     * correction; likewise S01 / n. */
    r.var = NAN;
    if (r.m_eff > 1 && r.n_eff > 1)
        r.var = sum_wdd[1] / sum_w[1] / (r.m_eff - 1) + sum_wdd[0] / sum_w[0] / (r.n_eff - 1);
    r.se = sqrt(r.var);
    *out = r;
    return HS_OK;
}

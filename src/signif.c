/* signif.c: significance formulas and efficiencies versus a threshold.
 *
 * The efficiencies come from the sorted cumulative sweep of roc.c
 * (roc_int.h): the best threshold is an exact pass over every distinct
 * score, the table a binary search per listed threshold.
 */
#include "config.h"

#include "signif.h"

#include <math.h>
#include <string.h>

#include "mem.h"
#include "roc_int.h"

#define HS_SIGNIF_CHUNK 65536

/* (1 + x) ln(1 + x) - x for x >= 0.  Written directly it subtracts two
 * numbers that agree to about -log10(x) digits, so below 0.1 use the
 * series sum_{k>=2} (-1)^k x^k / (k (k - 1)), which converges fast there
 * (x^k falls by 10 a term) and keeps every digit as s/b -> 0. */
static double
hs_signif_f(double x)
{
    if (x == 0)
        return 0;
    if (x < 0.1) {
        double term = x * x, sum = 0;
        for (int k = 2; k < 40; k++) {
            double t = term / ((double)k * (k - 1));
            sum += (k & 1) ? -t : t;
            if (t < 1e-18 * sum)
                break;
            term *= x;
        }
        return sum;
    }
    return (1 + x) * log1p(x) - x;
}

/* sqrt(2 ((s + b) ln(1 + s / b) - s)) = sqrt(2 b f(s / b)). */
static double
hs_signif_asimov(double s, double b)
{
    double v;

    if (!(b > 0) || !(s >= 0))
        return NAN;
    v = 2 * b * hs_signif_f(s / b);
    return v > 0 ? sqrt(v) : 0.0;
}

double
hs_signif(enum hs_signif_kind kind, double s, double b)
{
    if (!(s >= 0) || isnan(b) || s + b == 0)
        return NAN;
    switch (kind) {
    case HS_SIGNIF_S_SQRT_B:
        return b > 0 ? s / sqrt(b) : NAN;
    case HS_SIGNIF_S_SQRT_SB:
        return s + b > 0 ? s / sqrt(s + b) : NAN;
    case HS_SIGNIF_AMS:
        return hs_signif_asimov(s, b + HS_AMS_BREG);
    case HS_SIGNIF_ASIMOV:
        return hs_signif_asimov(s, b);
    }
    return NAN;
}

static const char *const hs_signif_names[] = {
    [HS_SIGNIF_S_SQRT_B] = "s_sqrt_b",
    [HS_SIGNIF_S_SQRT_SB] = "s_sqrt_sb",
    [HS_SIGNIF_AMS] = "ams",
    [HS_SIGNIF_ASIMOV] = "asimov",
};

const char *
hs_signif_name(enum hs_signif_kind kind)
{
    if ((unsigned)kind >= sizeof hs_signif_names / sizeof hs_signif_names[0])
        return "unknown";
    return hs_signif_names[kind];
}

int
hs_signif_parse(const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof hs_signif_names / sizeof hs_signif_names[0]; i++)
        if (strcmp(name, hs_signif_names[i]) == 0)
            return (int)i;
    return -1;
}

/* The point of "score > thr" where the k highest distinct values pass. */
static void
hs_effs_fill(struct hs_effs_point *p, const struct hs_roc_sweep *sw, size_t k, double thr,
             enum hs_signif_kind kind, double sig_scale, double bkg_scale)
{
    p->thr = thr;
    p->sig_eff = sw->cs[k] / sw->tot_s;
    p->bkg_eff = sw->cb[k] / sw->tot_b;
    p->s = sig_scale * p->sig_eff;
    p->b = bkg_scale * p->bkg_eff;
    p->purity = p->s + p->b != 0 ? p->s / (p->s + p->b) : NAN;
    p->eff_purity = p->sig_eff * p->purity;
    p->signif = hs_signif(kind, p->s, p->b);
}

int
hs_effs_compute(const double *score, const double *label, const double *weight,
                const unsigned char *mask, size_t n, enum hs_signif_kind kind,
                double sig_scale, double bkg_scale, size_t npoints, struct hs_effs *out,
                const struct hs_task *task, struct hs_err *err)
{
    struct hs_roc_sweep sw;
    struct hs_effs e = {0};
    double lo, hi;
    int rc, have_best = 0;

    if (npoints < 2)
        return hs_err_set(err, HS_ERANGE, "at least 2 thresholds are needed, not %zu", npoints);
    if ((unsigned)kind >= sizeof hs_signif_names / sizeof hs_signif_names[0])
        return hs_err_set(err, HS_EUSAGE, "unknown significance kind %d", (int)kind);
    if (!(sig_scale >= 0) || !(bkg_scale >= 0) || isinf(sig_scale) || isinf(bkg_scale))
        return hs_err_set(err, HS_ERANGE,
                          "expected signal and background (%g, %g) must be finite and >= 0",
                          sig_scale, bkg_scale);
    rc = hs_roc_sweep_build(score, label, weight, mask, n, &sw, task, err);
    if (rc)
        return rc;
    if (sw.nd == 0) {
        hs_roc_sweep_release(&sw);
        return hs_err_set(err, HS_EDATA, "every score is missing");
    }
    e.p = hs_malloc(npoints * sizeof *e.p);
    if (!e.p) {
        hs_roc_sweep_release(&sw);
        return hs_err_set(err, HS_ENOMEM, "out of memory for %zu thresholds", npoints);
    }
    e.n = npoints;
    hs_task_progress(task, 0.8, "scanning thresholds");

    /* The best over every selection a threshold can make: nothing, the k
     * highest values, everything with a score (threshold -inf), highest
     * threshold first so that ties keep the tighter cut. */
    for (size_t k = 0; k <= sw.nd; k++) {
        struct hs_effs_point p;
        if (k && (k & (HS_SIGNIF_CHUNK - 1)) == 0 && hs_task_cancelled(task)) {
            rc = hs_err_set(err, HS_ECANCELLED, "cancelled");
            goto fail;
        }
        hs_effs_fill(&p, &sw, k, k < sw.nd ? sw.val[k] : -INFINITY, kind, sig_scale,
                     bkg_scale);
        if (!have_best || (!isnan(p.signif) && (isnan(e.best.signif) ||
                                                 p.signif > e.best.signif))) {
            e.best = p;
            have_best = 1;
        }
    }

    lo = sw.val[sw.nd - 1];
    hi = sw.val[0];
    for (size_t i = 0; i < npoints; i++) {
        double t = i + 1 == npoints ? hi : lo + (hi - lo) * ((double)i / (double)(npoints - 1));
        hs_effs_fill(&e.p[i], &sw, hs_roc_sweep_count_above(&sw, t), t, kind, sig_scale,
                     bkg_scale);
    }
    hs_roc_sweep_release(&sw);
    hs_task_progress(task, 1.0, "scanning thresholds");
    *out = e;
    return HS_OK;

fail:
    hs_free(e.p);
    hs_roc_sweep_release(&sw);
    return rc;
}

void
hs_effs_release(struct hs_effs *e)
{
    if (!e)
        return;
    hs_free(e->p);
    memset(e, 0, sizeof *e);
}

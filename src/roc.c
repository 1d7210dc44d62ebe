/* roc.c: ROC curves from scores and from working points, their area and
 * interpolation.  The sorted sweep here is shared with signif.c through
 * roc_int.h.
 *
 * Negative weights are used as given: the cumulative efficiencies may then
 * step backwards or leave [0, 1], so bkg_eff is not guaranteed to be
 * non-decreasing.  The points keep the order of the sweep (highest
 * threshold first), the area is still the trapezoid sum over them (the
 * weighted Mann-Whitney statistic), and the interpolations below take the
 * first crossing along the curve, so nothing divides by zero.
 *
 * Thresholds of a score ROC: point 0 is (0, 0) with thr the highest
 * score; the point where value v entered has thr the next lower distinct
 * value, or -inf after the lowest.  When some selected events have a NaN
 * score a closing point (1, 1) follows with thr NaN: no "score > t" lets
 * them pass.  (A score of -inf is the one value that "score > -inf" does
 * not pass either; it is sorted like any number and is not special-cased.)
 */
#include "config.h"

#include "roc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "roc_int.h"
#include "colsort.h"

/* Rows between cancel checks in the linear passes: a few ms each. */
#define HS_ROC_CHUNK 65536

/* A key whose unsigned order is the descending order of the (non-NaN)
 * score; the event's weight travels with it as the payload. */
static uint64_t
hs_roc_key(double x)
{
    return hs_colsort_key(x, -1);
}

static double
hs_roc_unkey(uint64_t k)
{
    uint64_t u = ~k;
    double x;

    u = (u & UINT64_C(0x8000000000000000)) ? u & ~UINT64_C(0x8000000000000000) : ~u;
    memcpy(&x, &u, sizeof x);
    return x;
}

static uint64_t
hs_roc_bits(double w)
{
    uint64_t u;

    memcpy(&u, &w, sizeof u);
    return u;
}

static double
hs_roc_weight(const struct hs_colsort_item *e)
{
    double w;

    memcpy(&w, &e->payload, sizeof w);
    return w;
}

void
hs_roc_sweep_release(struct hs_roc_sweep *sw)
{
    if (!sw)
        return;
    hs_free(sw->val);
    hs_free(sw->cs);
    hs_free(sw->cb);
    memset(sw, 0, sizeof *sw);
}

static int
hs_roc_class_check(const struct hs_roc_sweep *sw, struct hs_err *err)
{
    if (sw->n_s == 0)
        return hs_err_set(err, HS_EDATA, "no 'signal' events in the selection");
    if (sw->n_b == 0)
        return hs_err_set(err, HS_EDATA, "no 'background' events in the selection");
    if (!(sw->tot_s > 0))
        return hs_err_set(err, HS_EDATA, "the 'signal' weight sum is not positive (%g)",
                          sw->tot_s);
    if (!(sw->tot_b > 0))
        return hs_err_set(err, HS_EDATA, "the 'background' weight sum is not positive (%g)",
                          sw->tot_b);
    return HS_OK;
}

int
hs_roc_sweep_build(const double *score, const double *label, const double *weight,
                   const unsigned char *mask, size_t n, struct hs_roc_sweep *sw,
                   const struct hs_task *task, struct hs_err *err)
{
    struct hs_roc_sweep r = {0};
    struct hs_colsort_item *a = NULL, *tmp = NULL;
    double nan_s = 0, nan_b = 0;
    size_t m, ms, nd = 0;
    int rc;

    memset(sw, 0, sizeof *sw);
    hs_task_progress(task, 0.0, "sorting scores");
    /* Count first so that the keyed arrays are exactly as large as needed. */
    for (size_t i = 0; i < n; i++) {
        if ((i & (HS_ROC_CHUNK - 1)) == 0 && i && hs_task_cancelled(task))
            return hs_err_set(err, HS_ECANCELLED, "cancelled");
        if ((mask && !mask[i]) || !(label[i] == 0 || label[i] == 1))
            continue;
        if (label[i] == 1)
            r.n_s++;
        else
            r.n_b++;
        if (isnan(score[i])) {
            r.n_nan++;
            if (label[i] == 1) {
                r.n_nan_s++;
                nan_s += weight ? weight[i] : 1.0;
            } else {
                nan_b += weight ? weight[i] : 1.0;
            }
        }
    }
    m = r.n_s + r.n_b - r.n_nan;
    if (r.n_s == 0 || r.n_b == 0)
        return hs_roc_class_check(&r, err);
    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "cancelled");

    /* Signal first, background after, each with its weight beside the
     * key: the two runs are sorted apart and merged, so the sweep never
     * goes back to the input columns in random order. */
    ms = r.n_s - r.n_nan_s;
    a = hs_malloc((m ? m : 1) * sizeof *a);
    tmp = hs_malloc((m ? m : 1) * sizeof *tmp);
    r.val = hs_malloc((m ? m : 1) * sizeof *r.val);
    r.cs = hs_malloc((m + 1) * sizeof *r.cs);
    r.cb = hs_malloc((m + 1) * sizeof *r.cb);
    if (!a || !tmp || !r.val || !r.cs || !r.cb) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory sorting %zu scores", m);
        goto fail;
    }
    for (size_t i = 0, js = 0, jb = ms; i < n; i++) {
        struct hs_colsort_item *e;
        if ((i & (HS_ROC_CHUNK - 1)) == 0 && i && hs_task_cancelled(task)) {
            rc = hs_err_set(err, HS_ECANCELLED, "cancelled");
            goto fail;
        }
        if ((mask && !mask[i]) || !(label[i] == 0 || label[i] == 1) || isnan(score[i]))
            continue;
        e = label[i] == 1 ? &a[js++] : &a[jb++];
        e->key = hs_roc_key(score[i]);
        e->payload = hs_roc_bits(weight ? weight[i] : 1.0);
    }
    rc = hs_colsort_items(a, ms, tmp, task);
    if (!rc)
        rc = hs_colsort_items(a + ms, m - ms, tmp, task);
    hs_free(tmp);
    tmp = NULL;
    if (rc == HS_ECANCELLED) {
        hs_err_set(err, rc, "cancelled");
        goto fail;
    }
    if (rc) {
        rc = hs_err_set(err, rc, "out of memory sorting %zu scores", m);
        goto fail;
    }
    hs_task_progress(task, 0.7, "sweeping scores");

    /* One step per distinct key over both runs: tied events enter
     * together. */
    r.cs[0] = r.cb[0] = 0;
    {
        double cs = 0, cb = 0;
        size_t i = 0, j = ms;
        while (i < ms || j < m) {
            uint64_t k;
            if (nd && (nd & (HS_ROC_CHUNK - 1)) == 0 && hs_task_cancelled(task)) {
                rc = hs_err_set(err, HS_ECANCELLED, "cancelled");
                goto fail;
            }
            if (j == m || (i < ms && a[i].key <= a[j].key))
                k = a[i].key;
            else
                k = a[j].key;
            for (; i < ms && a[i].key == k; i++)
                cs += hs_roc_weight(&a[i]);
            for (; j < m && a[j].key == k; j++)
                cb += hs_roc_weight(&a[j]);
            r.val[nd++] = hs_roc_unkey(k);
            r.cs[nd] = cs;
            r.cb[nd] = cb;
        }
        r.tot_s = cs + nan_s;
        r.tot_b = cb + nan_b;
    }
    r.nd = nd;
    hs_free(a);
    a = NULL;
    rc = hs_roc_class_check(&r, err);
    if (rc)
        goto fail;
    *sw = r;
    return HS_OK;

fail:
    hs_free(a);
    hs_free(tmp);
    hs_roc_sweep_release(&r);
    return rc;
}

size_t
hs_roc_sweep_count_above(const struct hs_roc_sweep *sw, double t)
{
    size_t lo = 0, hi = sw->nd;

    if (isnan(t))
        return 0;
    /* val is descending: find the first index whose value is <= t. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sw->val[mid] > t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static double
hs_roc_trapezoid(const double *b, const double *s, size_t n)
{
    double a = 0;

    for (size_t k = 1; k < n; k++)
        a += (b[k] - b[k - 1]) * (s[k] + s[k - 1]) * 0.5;
    return a;
}

static int
hs_roc_alloc(struct hs_roc *r, size_t n, int with_thr)
{
    memset(r, 0, sizeof *r);
    r->bkg_eff = hs_malloc(n * sizeof *r->bkg_eff);
    r->sig_eff = hs_malloc(n * sizeof *r->sig_eff);
    if (with_thr)
        r->thr = hs_malloc(n * sizeof *r->thr);
    if (!r->bkg_eff || !r->sig_eff || (with_thr && !r->thr)) {
        hs_roc_release(r);
        return HS_ENOMEM;
    }
    r->n = n;
    return HS_OK;
}

int
hs_roc_from_scores(const double *score, const double *label, const double *weight,
                   const unsigned char *mask, size_t n, struct hs_roc *out,
                   const struct hs_task *task, struct hs_err *err)
{
    struct hs_roc_sweep sw;
    struct hs_roc r;
    size_t np;
    int rc;

    rc = hs_roc_sweep_build(score, label, weight, mask, n, &sw, task, err);
    if (rc)
        return rc;
    /* (0, 0), one point per distinct value, and a closing (1, 1) for the
     * NaN-score events, which no threshold passes. */
    np = sw.nd + 1 + (sw.n_nan ? 1 : 0);
    if (hs_roc_alloc(&r, np, 1)) {
        hs_roc_sweep_release(&sw);
        return hs_err_set(err, HS_ENOMEM, "out of memory for a ROC of %zu points", np);
    }
    for (size_t k = 0; k <= sw.nd; k++) {
        r.sig_eff[k] = sw.cs[k] / sw.tot_s;
        r.bkg_eff[k] = sw.cb[k] / sw.tot_b;
        r.thr[k] = k < sw.nd ? sw.val[k] : -INFINITY;
    }
    if (sw.n_nan) {
        r.sig_eff[np - 1] = 1.0;
        r.bkg_eff[np - 1] = 1.0;
        r.thr[np - 1] = NAN; /* no "score > t" lets a missing score pass */
    }
    r.auc = hs_roc_trapezoid(r.bkg_eff, r.sig_eff, np);
    r.single = false;
    hs_roc_sweep_release(&sw);
    hs_task_progress(task, 1.0, "sweeping scores");
    *out = r;
    return HS_OK;
}

struct hs_roc_pt {
    double b, s;
};

/* Sort by background ascending, then signal descending: along that order
 * a point is on the Pareto front exactly when its signal efficiency is
 * above every earlier one's. */
static int
hs_roc_pt_front_cmp(const void *pa, const void *pb)
{
    const struct hs_roc_pt *a = pa, *b = pb;

    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    if (a->s != b->s)
        return a->s > b->s ? -1 : 1;
    return 0;
}

int
hs_roc_from_points(const double *sig_eff, const double *bkg_eff, size_t npts,
                   struct hs_roc *out, struct hs_err *err)
{
    struct hs_roc_pt *p;
    struct hs_roc r;
    unsigned char *front;
    size_t nf = 0, np, nd = 0;
    double best = -INFINITY;

    if (npts == 0)
        return hs_err_set(err, HS_EDATA, "a ROC needs at least one working point");
    for (size_t i = 0; i < npts; i++) {
        if (isnan(sig_eff[i]) || isnan(bkg_eff[i]))
            return hs_err_set(err, HS_EDATA, "working point %zu has a missing efficiency",
                              i + 1);
    }
    p = hs_malloc(npts * sizeof *p);
    front = hs_calloc(npts, 1);
    if (!p || !front) {
        hs_free(p);
        hs_free(front);
        return hs_err_set(err, HS_ENOMEM, "out of memory for a ROC of %zu points", npts + 2);
    }
    for (size_t i = 0; i < npts; i++)
        p[i].b = bkg_eff[i], p[i].s = sig_eff[i];
    qsort(p, npts, sizeof *p, hs_roc_pt_front_cmp);
    for (size_t k = 0; k < npts; k++) {
        if (p[k].s > best) {
            best = p[k].s;
            front[k] = 1;
            nf++;
        }
    }
    /* Only the front is joined, the closing points put at its ends: for
     * points in [0, 1]^2 that is where sorting would put them, and an
     * efficiency outside (negative weights) cannot move the ends. */
    np = nf + 2;
    if (hs_roc_alloc(&r, np, 0) ||
        (npts > nf && (!(r.dom_bkg = hs_malloc((npts - nf) * sizeof *r.dom_bkg)) ||
                       !(r.dom_sig = hs_malloc((npts - nf) * sizeof *r.dom_sig))))) {
        hs_roc_release(&r);
        hs_free(p);
        hs_free(front);
        return hs_err_set(err, HS_ENOMEM, "out of memory for a ROC of %zu points", np);
    }
    r.bkg_eff[0] = r.sig_eff[0] = 0;
    for (size_t k = 0, j = 1; k < npts; k++) {
        if (front[k]) {
            r.bkg_eff[j] = p[k].b;
            r.sig_eff[j++] = p[k].s;
        }
    }
    r.bkg_eff[np - 1] = r.sig_eff[np - 1] = 1;
    hs_free(p);
    hs_free(front);
    /* The dominated points in the caller's order: a grid's boxes stay
     * recognisable by their index. */
    if (npts > nf) {
        for (size_t i = 0; i < npts; i++) {
            bool on = false;
            for (size_t j = 1; j + 1 < np && !on; j++)
                on = r.bkg_eff[j] == bkg_eff[i] && r.sig_eff[j] == sig_eff[i];
            if (!on) {
                r.dom_bkg[nd] = bkg_eff[i];
                r.dom_sig[nd++] = sig_eff[i];
            }
        }
    }
    r.ndom = nd;
    r.single = npts == 1;
    r.auc = r.single ? NAN : hs_roc_trapezoid(r.bkg_eff, r.sig_eff, np);
    *out = r;
    return HS_OK;
}

void
hs_roc_release(struct hs_roc *r)
{
    if (!r)
        return;
    hs_free(r->bkg_eff);
    hs_free(r->sig_eff);
    hs_free(r->thr);
    hs_free(r->dom_bkg);
    hs_free(r->dom_sig);
    memset(r, 0, sizeof *r);
}

double
hs_roc_bkg_at(const struct hs_roc *r, double s)
{
    const double *x, *y;

    if (!r || r->n == 0 || r->single || isnan(s))
        return NAN;
    x = r->bkg_eff;
    y = r->sig_eff;
    /* The first point reaching s: along a curve whose bkg never decreases
     * that is the lowest background, flat parts included. */
    for (size_t k = 0; k < r->n; k++) {
        if (y[k] >= s) {
            if (k == 0 || y[k] == s)
                return k == 0 && y[0] > s ? NAN : x[k];
            /* y[k - 1] < s < y[k]: the slope's denominator is positive. */
            return x[k - 1] + (s - y[k - 1]) * (x[k] - x[k - 1]) / (y[k] - y[k - 1]);
        }
    }
    return NAN;
}

double
hs_roc_sig_at(const struct hs_roc *r, double b)
{
    const double *x, *y;
    size_t k;
    double best;

    if (!r || r->n == 0 || r->single || isnan(b))
        return NAN;
    x = r->bkg_eff;
    y = r->sig_eff;
    /* The last point not beyond b, then the highest signal of the vertical
     * run at exactly b or the interpolation to the next point. */
    k = r->n;
    while (k > 0 && !(x[k - 1] <= b))
        k--;
    if (k == 0)
        return NAN;
    k--;
    if (x[k] == b) {
        best = y[k];
        for (size_t j = k; j > 0 && x[j - 1] == b; j--)
            best = fmax(best, y[j - 1]);
        return best;
    }
    if (k + 1 == r->n)
        return NAN;
    return y[k] + (b - x[k]) * (y[k + 1] - y[k]) / (x[k + 1] - x[k]);
}

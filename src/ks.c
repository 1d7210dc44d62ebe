/* ks.c: the two-sample Kolmogorov-Smirnov test (see ks.h).
 *
 * Both samples are sorted by value with their weights and swept together;
 * at a value both samples hold, both step before the distance is taken,
 * so ties between the samples do not count as a distance.  Q_KS uses two
 * series: the alternating one converges in a few terms for lambda above
 * about 1, but below that it needs many and cancels, so there the
 * Jacobi-transformed series 1 - sqrt(2 pi)/lambda sum exp(-(2j-1)^2
 * pi^2 / (8 lambda^2)), which converges fast for small lambda, is used
 * instead (as Numerical Recipes' third edition does).
 */
#include "config.h"

#include "ks.h"

#include <math.h>
#include <stdlib.h>

#include "mem.h"

struct ks_point {
    double v, w;
};

double
hs_kolmogorov_q(double lambda)
{
    double q;

    if (isnan(lambda))
        return NAN;
    if (lambda <= 0)
        return 1;
    if (lambda < 1.18) {
        /* exp(-pi^2 / (8 lambda^2)); successive terms are its 1st, 9th,
         * 25th, ... powers. */
        double y = exp(-1.2337005501361698 / (lambda * lambda));
        double y8 = pow(y, 8);
        double s = y * (1 + y8 * (1 + y8 * y8 * (1 + y8 * y8 * y8 * (1 + y8 * y8 * y8 * y8))));
        q = 1 - 2.5066282746310002 / lambda * s;
    } else {
        double a = -2 * lambda * lambda, sum = 0;
        for (int j = 1; j <= 100; j++) {
            double term = exp(a * j * j);
            sum += (j & 1) ? term : -term;
            if (term < 1e-17 * sum)
                break;
        }
        q = 2 * sum;
    }
    return q < 0 ? 0 : q > 1 ? 1 : q;
}

static int
cmp_point(const void *pa, const void *pb)
{
    const struct ks_point *a = pa, *b = pb;

    return (a->v > b->v) - (a->v < b->v);
}

/* The sample's usable events sorted by value, their weight sum and the
 * sum of the squared weights. */
static int
ks_collect(const double *x, const double *w, size_t n, struct ks_point **out, size_t *nout,
           double *sw, double *sw2, const char *which, struct hs_err *err)
{
    struct ks_point *p = hs_malloc((n ? n : 1) * sizeof *p);
    size_t k = 0;

    if (!p)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    *sw = *sw2 = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1;
        /* An infinite weight would make every other event weightless
         * and the sums NaN: left out like a NaN weight. */
        if (isnan(x[i]) || !(wi > 0) || isinf(wi))
            continue;
        p[k].v = x[i];
        p[k].w = wi;
        *sw += wi;
        *sw2 += wi * wi;
        k++;
    }
    if (k == 0) {
        hs_free(p);
        return hs_err_set(err, HS_EDATA,
                          "Kolmogorov-Smirnov test: the %s sample has no event with a value "
                          "and a positive weight",
                          which);
    }
    qsort(p, k, sizeof *p, cmp_point);
    *out = p;
    *nout = k;
    return HS_OK;
}

int
hs_ks_test(const double *a, const double *wa, size_t na, const double *b, const double *wb,
           size_t nb, double *d, double *p, struct hs_err *err)
{
    struct ks_point *pa = NULL, *pb = NULL;
    size_t ka = 0, kb = 0, i = 0, j = 0;
    double swa, swa2, swb, swb2, ca = 0, cb = 0, dmax = 0, ea, eb, ne, sq;
    int rc;

    rc = ks_collect(a, wa, na, &pa, &ka, &swa, &swa2, "first", err);
    if (rc != HS_OK)
        return rc;
    rc = ks_collect(b, wb, nb, &pb, &kb, &swb, &swb2, "second", err);
    if (rc != HS_OK) {
        hs_free(pa);
        return rc;
    }
    /* Once one sample is used up the distance only shrinks, so the sweep
     * can stop there. */
    while (i < ka && j < kb) {
        double v = pa[i].v < pb[j].v ? pa[i].v : pb[j].v, dist;
        while (i < ka && pa[i].v == v)
            ca += pa[i++].w;
        while (j < kb && pb[j].v == v)
            cb += pb[j++].w;
        dist = fabs(ca / swa - cb / swb);
        if (dist > dmax)
            dmax = dist;
    }
    hs_free(pa);
    hs_free(pb);
    if (dmax > 1)
        dmax = 1;
    ea = swa * swa / swa2;
    eb = swb * swb / swb2;
    ne = ea * eb / (ea + eb);
    sq = sqrt(ne);
    if (d)
        *d = dmax;
    if (p)
        *p = hs_kolmogorov_q((sq + 0.12 + 0.11 / sq) * dmax);
    return HS_OK;
}

/* kmeans_pp.c: greedy k-means++ (kmeans.h, kmeans_pp.h).
 *
 * Arthur and Vassilvitskii (2007) with scikit-learn's greed: 2 + ln k
 * candidates are drawn for each centre after the first, in proportion to
 * the squared distance of each row to its nearest centre so far, and the
 * one that lowers the potential (the sum of those distances) most is
 * kept.  A pass for centre m tries its candidates against the distances
 * that already hold centre m - 1, which the same pass takes in first;
 * the draws for centre m, made before that pass, find the row through
 * the parts' potentials of the chosen candidate (known from the pass
 * before) and then scan the one part they fall in, taking centre m - 1
 * in on the fly.  So no array per candidate is written, and a seeding
 * reads the rows k times.
 *
 * Every sum is kept per part of the pass (rowpass.h) and added in part
 * order: a seed gives the same centres on any number of threads.  Given
 * a float copy of the rows, the distances are taken in single precision
 * (kmeans_blk.h), the draws and potentials still summed in double: the
 * candidates and the centres chosen remain rows of the double ones.
 */
#include "config.h"

#include "kmeans_pp.h"

#include <math.h>
#include <string.h>

#include "kmeans.h"
#include "kmeans_blk.h"
#include "mem.h"
#include "rowpass.h"
#include "simd.h"
#include "simd_clones.h"

#define BLK HS_ROWPASS_BLOCK
/* Candidates tried per centre at most (2 + ln 64 is 6). */
#define MAX_TRIALS 8

struct hs_kpp {
    const double *xt; /* n rows, column-major */
    const float *xf;  /* their float copy, or NULL */
    size_t n, dim, k, parts;
    struct hs_rng *rng;
    double *centres;
    size_t *idx;
    size_t m;           /* centres chosen so far */
    const double *take; /* a centre this pass takes into near (NULL: none) */
    bool first;         /* take is the first centre: near is set, not lowered */
    size_t ntrials, best;
    size_t tries;       /* candidates this pass: 0 in the first, ntrials after */
    size_t ids[MAX_TRIALS];
    double *cand;       /* MAX_TRIALS x dim: this pass's candidates */
    float *candf;       /* (MAX_TRIALS + 1) x dim: them in float, then the centre taken */
    float *near;        /* n: squared distance to the nearest centre so far */
    float *own;         /* near when allocated here */
    double *pot;        /* parts x MAX_TRIALS: per candidate, the potential were it chosen */
};

/* D[b] = the squared distance of row lo + b to centre c (cf: it in
 * float), taken in float when there is a float copy of the rows, else in
 * double and rounded to float.  The distances to the nearest centre
 * are kept in float either way (half the bytes a pass reads and writes
 * for them); their sums are in double. */
static void
kpp_dist(const struct hs_kpp *p, size_t lo, size_t nb, const double *c, const float *cf,
         float *restrict D)
{
    if (p->xf) {
        hs_km_dist_blkf(p->xf, p->n, lo, nb, p->dim, cf, D);
        return;
    }
    double E[BLK];
    hs_km_dist_blk(p->xt, p->n, lo, nb, p->dim, c, E);
    for (size_t b = 0; b < nb; b++)
        D[b] = (float)E[b];
}

/* Centre p->take into the block's distances. */
HS_CLONES static void
take_centre(struct hs_kpp *p, size_t part, size_t lo, size_t nb, float *restrict D)
{
    float *restrict near = p->near + lo;

    kpp_dist(p, lo, nb, p->take, p->candf + MAX_TRIALS * p->dim, D);
    if (p->first) {
        memcpy(near, D, nb * sizeof *near);
        p->pot[part * MAX_TRIALS] += hs_km_sum_min(D, D, nb);
        return;
    }
    HS_SIMD
    for (size_t b = 0; b < nb; b++) {
        float d = D[b], e = near[b];
        near[b] = d < e ? d : e;
    }
}

int
hs_kpp_block(void *ctx, size_t part, size_t lo, size_t hi)
{
    struct hs_kpp *p = ctx;
    size_t nb = hi - lo;
    float D[BLK];
    const float *near = p->near + lo;

    if (p->take)
        take_centre(p, part, lo, nb, D);
    for (size_t t = 0; t < p->tries; t++) {
        kpp_dist(p, lo, nb, p->cand + t * p->dim, p->candf + t * p->dim, D);
        p->pot[part * MAX_TRIALS + t] += hs_km_sum_min(D, near, nb);
    }
    return HS_OK;
}

/* Row i of xt (n rows, column-major) into out (dim values). */
static void
row_of(const double *xt, size_t n, size_t dim, size_t i, double *out)
{
    for (size_t j = 0; j < dim; j++)
        out[j] = xt[j * n + i];
}

/* The row where the cumulated squared distances to the nearest centre
 * (near, with centre `pending` taken in if not NULL) first reach u (the
 * last with a positive distance when rounding leaves u beyond the end),
 * found through the parts' sums (pot, stride MAX_TRIALS). */
static size_t
kpp_draw(const struct hs_kpp *p, const double *pending, const double *pot, double u)
{
    size_t n = p->n, lo = 0, hi = 0, last = 0;
    double cum = 0;

    for (size_t q = 0; q < p->parts; q++) {
        hs_rowpass_range(n, q, &lo, &hi);
        if (cum + pot[q * MAX_TRIALS] >= u || q + 1 == p->parts)
            break;
        cum += pot[q * MAX_TRIALS];
    }
    /* A block at a time, the pending centre's distances by the blocked
     * functions (the bits of take_centre's): this scan runs on one
     * thread while the others wait. */
    for (size_t b0 = lo; b0 < hi; b0 += BLK) {
        size_t nb = hi - b0 < BLK ? hi - b0 : BLK;
        float D[BLK];
        if (pending)
            kpp_dist(p, b0, nb, pending, p->candf + MAX_TRIALS * p->dim, D);
        for (size_t b = 0; b < nb; b++) {
            float v = p->near[b0 + b];
            if (pending)
                v = D[b] < v ? D[b] : v;
            if (v > 0)
                last = b0 + b;
            cum += v;
            if (cum >= u && v > 0)
                return b0 + b;
        }
    }
    return last;
}

/* The float copy of centre c as the centre taken in (candf's last). */
static void
set_take(struct hs_kpp *p, const double *c)
{
    p->take = c;
    for (size_t j = 0; c && j < p->dim; j++)
        p->candf[MAX_TRIALS * p->dim + j] = (float)c[j];
}

struct hs_kpp *
hs_kpp_new(const double *xt, const float *xf, size_t n, size_t dim, size_t k,
           struct hs_rng *rng, double *centres, size_t *idx, float *near, struct hs_err *err)
{
    struct hs_kpp *p = hs_calloc(1, sizeof *p);

    if (!p) {
        hs_err_set(err, HS_ENOMEM, "out of memory");
        return NULL;
    }
    *p = (struct hs_kpp){.xt = xt, .xf = xf, .n = n, .dim = dim, .k = k, .parts = hs_rowpass_parts(n),
                         .rng = rng, .centres = centres, .idx = idx, .near = near};
    p->ntrials = 2 + (size_t)log((double)k);
    p->pot = hs_malloc(p->parts * MAX_TRIALS * sizeof *p->pot);
    p->cand = hs_malloc(MAX_TRIALS * dim * sizeof *p->cand);
    p->candf = hs_malloc((MAX_TRIALS + 1) * dim * sizeof *p->candf);
    if (!near)
        p->near = p->own = hs_malloc_large(n * sizeof *p->own);
    if (!p->pot || !p->cand || !p->candf || !p->near) {
        hs_kpp_free(p);
        hs_err_set(err, HS_ENOMEM, "out of memory");
        return NULL;
    }
    return p;
}

bool
hs_kpp_next(struct hs_kpp *p)
{
    size_t m = p->m, dim = p->dim, parts = p->parts;

    if (m == 0 && !p->take) {
        size_t first = (size_t)hs_rng_below(p->rng, p->n);
        row_of(p->xt, p->n, dim, first, p->centres);
        if (p->idx)
            p->idx[0] = first;
        set_take(p, p->centres);
        p->first = true;
        p->tries = 0;
        memset(p->pot, 0, parts * MAX_TRIALS * sizeof *p->pot);
        return true;
    }
    if (m >= p->k)
        return false;
    /* Centre m - 1 is taken in by this pass, and by the draws before it;
     * the potentials of the pass before are the draws' weights. */
    const double *pending = m >= 2 ? p->centres + (m - 1) * dim : NULL;
    double total = 0;

    set_take(p, pending);
    for (size_t q = 0; q < parts; q++)
        total += p->pot[q * MAX_TRIALS + p->best];
    for (size_t t = 0; t < p->ntrials; t++) {
        p->ids[t] = kpp_draw(p, pending, p->pot + p->best, hs_rng_unit(p->rng) * total);
        row_of(p->xt, p->n, dim, p->ids[t], p->cand + t * dim);
        for (size_t j = 0; j < dim; j++)
            p->candf[t * dim + j] = (float)p->cand[t * dim + j];
    }
    p->first = false;
    p->tries = p->ntrials;
    memset(p->pot, 0, parts * MAX_TRIALS * sizeof *p->pot);
    return true;
}

void
hs_kpp_after(struct hs_kpp *p)
{
    size_t dim = p->dim;
    double bestpot = INFINITY;

    if (p->first) {
        p->m = 1;
        p->best = 0;
        p->first = false;
        p->take = NULL;
        if (p->k == 1)
            p->m = p->k;
        return;
    }
    for (size_t t = 0; t < p->ntrials; t++) {
        double s = 0;
        for (size_t q = 0; q < p->parts; q++)
            s += p->pot[q * MAX_TRIALS + t];
        if (s < bestpot) {
            bestpot = s;
            p->best = t;
        }
    }
    memcpy(p->centres + p->m * dim, p->cand + p->best * dim, dim * sizeof *p->centres);
    if (p->idx)
        p->idx[p->m] = p->ids[p->best];
    p->m++;
}

double
hs_kpp_fraction(const struct hs_kpp *p)
{
    return (double)p->m / (double)p->k;
}

void
hs_kpp_free(struct hs_kpp *p)
{
    if (!p)
        return;
    hs_free(p->pot);
    hs_free(p->cand);
    hs_free(p->candf);
    hs_free(p->own);
    hs_free(p);
}

int
hs_kmeans_plusplus(const double *xt, size_t n, size_t dim, size_t k, struct hs_rng *rng,
                   int threads, double *centres, size_t *idx, const struct hs_task *task,
                   double base, double span, struct hs_err *err)
{
    struct hs_kpp *p = hs_kpp_new(xt, NULL, n, dim, k, rng, centres, idx, NULL, err);
    int rc = HS_OK;

    if (!p)
        return HS_ENOMEM;
    struct hs_rowpass pass = {.n = n, .threads = threads, .fn = hs_kpp_block, .ctx = p,
                              .task = task, .what = "k-means++", .span = 0};
    while (rc == HS_OK && hs_kpp_next(p)) {
        pass.base = base + span * hs_kpp_fraction(p);
        if ((rc = hs_rowpass_run(&pass, err)) == HS_OK)
            hs_kpp_after(p);
    }
    hs_kpp_free(p);
    return rc;
}

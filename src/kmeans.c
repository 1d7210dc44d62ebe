/* kmeans.c: Lloyd's or Elkan's iterations after k-means++ (kmeans_pp.c),
 * and the "kmeans" method (kmeans.h).
 *
 * Every sum over rows (the clusters' sums, the rows' squares, the rows
 * that changed cluster) is kept per part of a row pass (rowpass.h) and added
 * in part order, so that a seed gives the same clusters on any number of
 * threads.  Elkan's bounds are updated lazily: a pass first loosens each
 * row's bounds by the centre shifts of the iteration before, then
 * assigns, so that an iteration is one pass over the rows like Lloyd's.
 *
 * The starts run in groups whose passes are shared (km_group): each
 * block of rows goes to every start of the group in turn while it is in
 * the cache.  The rows are held column-major (embed_input.h's xt), and
 * the distances of a block of rows to one centre are blocked loops the
 * compiler vectorises (kmeans_blk.h); each row's squared distance is
 * still summed feature by feature in order, so that the figures are
 * those of a row-at-a-time loop.
 *
 * The passes are bound by memory and by those distances, so that k-means++
 * and Lloyd's assignments take them in float from a float copy of the
 * rows (half the bytes, twice the rows per vector): a row near the
 * boundary of two clusters may go to either where the double distances
 * differ by less than float's rounding, which moves the inertia by far
 * less than its last printed digit.  What is summed stays in double and
 * exact: Lloyd's clusters keep their sums from one iteration to the next
 * and move only the rows that changed cluster, read from the double rows
 * (after the first iterations few do), and the inertia comes from those
 * sums and the rows' summed squares (inertia_of), not from a pass.
 */
#include "config.h"

#include "kmeans.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "embed_input.h"
#include "kmeans_blk.h"
#include "kmeans_pp.h"
#include "mem.h"
#include "rowpass.h"
#include "simd.h"
#include "simd_clones.h"
#include "starts.h"

#define BLK HS_ROWPASS_BLOCK

static double
sqdist(const double *a, const double *b, size_t dim)
{
    double s = 0;
    for (size_t j = 0; j < dim; j++) {
        double e = a[j] - b[j];
        s += e * e;
    }
    return s;
}

size_t
hs_kmeans_nearest(const double *centres, size_t k, size_t dim, const double *r, double *d2)
{
    size_t best = 0;
    double bd = sqdist(r, centres, dim);
    for (size_t c = 1; c < k; c++) {
        double d = sqdist(r, centres + c * dim, dim);
        if (d < bd) {
            bd = d;
            best = c;
        }
    }
    *d2 = bd;
    return best;
}

/* The nearest of k centres (cent, in float) to each row lo + b (the
 * first on a tie) into lab[b], in single precision over the float copy
 * of the rows (kmeans_blk.h); bd, D and L are scratch (BLK). */
HS_CLONES static void
nearest_blkf(const float *xf, size_t n, size_t lo, size_t nb, size_t dim, const float *cent,
             size_t k, int32_t *restrict lab, float *restrict bd, float *restrict D,
             float *restrict L)
{
    hs_km_dist_blkf(xf, n, lo, nb, dim, cent, bd);
    for (size_t b = 0; b < nb; b++)
        L[b] = 0;
    for (size_t c = 1; c < k; c++) {
        hs_km_dist_blkf(xf, n, lo, nb, dim, cent + c * dim, D);
        /* Floats alike and selects, not branches, so that it vectorises. */
        float cc = (float)c;
        HS_SIMD
        for (size_t b = 0; b < nb; b++) {
            float d = D[b], e = bd[b], l = L[b];
            float nd = d < e ? d : e, nl = d < e ? cc : l;
            bd[b] = nd;
            L[b] = nl;
        }
    }
    for (size_t b = 0; b < nb; b++)
        lab[b] = (int32_t)L[b];
}

/* Row i of xt (n rows, column-major) into out (dim values). */
static void
row_of(const double *xt, size_t n, size_t dim, size_t i, double *out)
{
    for (size_t j = 0; j < dim; j++)
        out[j] = xt[j * n + i];
}

/* ---- Lloyd's and Elkan's iterations ---- */

struct iter_pass {
    const double *xt; /* n rows, column-major */
    const float *xf;  /* them in float */
    size_t n, dim, k;
    bool elkan, first; /* first: no row has a cluster yet (nor Elkan's bounds) */
    const double *centres; /* k x dim */
    const float *cf;       /* them in float */
    int8_t *label;         /* n (k is at most 64) */
    double *sums;          /* parts x LANES x k x dim (Lloyd: the changes) */
    double *counts;        /* parts x LANES x k */
    size_t *changed;       /* parts */
    /* Elkan */
    double *upper, *lower; /* n, n x k: bounds on distances (not squared) */
    const double *cc;      /* k x k centre distances */
    const double *halfmin; /* k: half the distance to the nearest other centre */
    const double *shift;   /* k: how far each centre moved last iteration */
};

/* Interleaved copies of a part's sums (add_rows). */
#define LANES 16

static void
add_row(struct iter_pass *c, size_t part, size_t a, size_t i)
{
    size_t lane = i % LANES, k = c->k, dim = c->dim;
    double *s = c->sums + ((part * LANES + lane) * k + a) * dim;
    for (size_t j = 0; j < dim; j++)
        s[j] += c->xt[j * c->n + i];
    c->counts[(part * LANES + lane) * k + a] += 1;
}

/* The rows [lo, hi) given to their clusters (lab) into part's sums:
 * row i into lane i % LANES, so that rows of one cluster that follow
 * each other do not wait for each other's addition. */
static void
add_rows(struct iter_pass *c, size_t part, size_t lo, size_t hi, const int32_t *lab)
{
    size_t dim = c->dim, n = c->n, k = c->k, lane = k * dim, nb = hi - lo;
    double *sums = c->sums + part * LANES * lane, *counts = c->counts + part * LANES * k;
    size_t off[BLK];

    for (size_t b = 0; b < nb; b++) {
        size_t l = (lo + b) % LANES;
        counts[l * k + (size_t)lab[b]] += 1;
        off[b] = l * lane + (size_t)lab[b] * dim;
    }
    for (size_t j = 0; j < dim; j++) {
        const double *xj = c->xt + j * n + lo;
        double *sj = sums + j;
        for (size_t b = 0; b < nb; b++)
            sj[off[b]] += xj[b];
    }
}

/* Clusters at most for add_masked: beyond, add_rows' one addition per
 * row and feature is the cheaper. */
#define MASKED_K 16

/* The sum of xj[b] w[b] over b < nb: eight partial sums, which the
 * compiler keeps in vectors (as hs_km_dist_blk's), added in a fixed
 * order. */
HS_CLONES static double
dot_blk(const double *restrict xj, const double *restrict w, size_t nb)
{
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, tail = 0;
    size_t b0 = 0;
    for (; b0 + 8 <= nb; b0 += 8) {
        const double *x = xj + b0, *v = w + b0;
        a0 += x[0] * v[0];
        a1 += x[1] * v[1];
        a2 += x[2] * v[2];
        a3 += x[3] * v[3];
        a4 += x[4] * v[4];
        a5 += x[5] * v[5];
        a6 += x[6] * v[6];
        a7 += x[7] * v[7];
    }
    for (size_t b = b0; b < nb; b++)
        tail += xj[b] * w[b];
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + tail;
}

/* The rows [lo, hi) given to their clusters (lab) into lane 0 of part's
 * sums: per cluster, its rows' features summed through a mask of ones
 * and zeros (a row's feature times 1 is itself, times 0 adds nothing): k
 * times the additions of add_rows, but in vectors, without its loads and
 * stores of one sum after another. */
HS_CLONES static void
add_masked(struct iter_pass *c, size_t part, size_t lo, size_t hi, const int32_t *lab)
{
    size_t dim = c->dim, n = c->n, k = c->k, nb = hi - lo;
    double *sums = c->sums + part * LANES * k * dim, *counts = c->counts + part * LANES * k;
    double w[BLK];

    for (size_t m = 0; m < k; m++) {
        int32_t cm = (int32_t)m;
        HS_SIMD
        for (size_t b = 0; b < nb; b++)
            w[b] = lab[b] == cm ? 1.0 : 0.0;
        counts[m] += dot_blk(w, w, nb);
        for (size_t j = 0; j < dim; j++)
            sums[m * dim + j] += dot_blk(c->xt + j * n + lo, w, nb);
    }
}

/* Row i from cluster `from` (-1: none) to cluster `to` in lane 0 of
 * part's sums of changes. */
static void
move_row(struct iter_pass *c, size_t part, int32_t from, int32_t to, size_t i)
{
    size_t k = c->k, dim = c->dim, n = c->n;
    double *sums = c->sums + part * LANES * k * dim, *counts = c->counts + part * LANES * k;
    for (size_t j = 0; j < dim; j++) {
        double x = c->xt[j * n + i];
        if (from >= 0)
            sums[(size_t)from * dim + j] -= x;
        sums[(size_t)to * dim + j] += x;
    }
    if (from >= 0)
        counts[from] -= 1;
    counts[to] += 1;
}

/* Lloyd's assignment in float over the float rows, which is all that
 * its later passes read: the sums of the clusters are carried from one
 * iteration to the next, and only the rows that changed cluster are
 * read in double, to move them between the sums (the first pass, when
 * no row has a cluster, adds them all).  The final assignment is such a
 * pass too. */
static int
lloyd_block(void *ctx, size_t part, size_t lo, size_t hi)
{
    struct iter_pass *c = ctx;
    size_t nb = hi - lo;
    float bd[BLK], D[BLK], L[BLK];
    int32_t lab[BLK];
    size_t changed = 0;

    nearest_blkf(c->xf, c->n, lo, nb, c->dim, c->cf, c->k, lab, bd, D, L);
    if (c->first) {
        for (size_t b = 0; b < nb; b++)
            c->label[lo + b] = (int8_t)lab[b];
        c->changed[part] += nb;
        if (c->k <= MASKED_K)
            add_masked(c, part, lo, hi, lab);
        else
            add_rows(c, part, lo, hi, lab);
        return HS_OK;
    }
    /* The rows that changed, their double features asked for from
     * memory all at once before they are moved: the misses overlap
     * instead of each waiting for the one before. */
    uint16_t ch[BLK];
    int8_t was[BLK];
    for (size_t b = 0; b < nb; b++) {
        was[changed] = c->label[lo + b];
        ch[changed] = (uint16_t)b;
        changed += was[changed] != lab[b];
    }
    for (size_t t = 0; t < changed; t++)
        for (size_t j = 0; j < c->dim; j++)
            __builtin_prefetch(c->xt + j * c->n + lo + ch[t]);
    for (size_t t = 0; t < changed; t++) {
        size_t b = ch[t];
        move_row(c, part, was[t], lab[b], lo + b);
        c->label[lo + b] = (int8_t)lab[b];
    }
    c->changed[part] += changed;
    return HS_OK;
}

static int
elkan_block(void *ctx, size_t part, size_t lo, size_t hi)
{
    struct iter_pass *c = ctx;
    size_t k = c->k, dim = c->dim;

    size_t n = c->n, nb = hi - lo;
    double D[BLK];

    if (c->first)
        for (size_t m = 0; m < k; m++) {
            hs_km_dist_blk(c->xt, n, lo, nb, dim, c->centres + m * dim, D);
            for (size_t b = 0; b < nb; b++)
                c->lower[(lo + b) * k + m] = sqrt(D[b]);
        }
    for (size_t i = lo; i < hi; i++) {
        double *l = c->lower + i * k;
        size_t a;
        if (c->first) {
            a = 0;
            for (size_t m = 1; m < k; m++)
                if (l[m] < l[a])
                    a = m;
            c->upper[i] = l[a];
        } else {
            a = (size_t)c->label[i];
            for (size_t m = 0; m < k; m++)
                l[m] = l[m] > c->shift[m] ? l[m] - c->shift[m] : 0;
            double u = c->upper[i] + c->shift[a];
            bool tight = false;
            if (u > c->halfmin[a]) {
                for (size_t m = 0; m < k; m++) {
                    if (m == a || u <= l[m] || u <= 0.5 * c->cc[a * k + m])
                        continue;
                    if (!tight) {
                        u = l[a] = sqrt(hs_km_sqdist_col(c->xt, n, i, c->centres + a * dim, dim));
                        tight = true;
                        if (u <= l[m] || u <= 0.5 * c->cc[a * k + m])
                            continue;
                    }
                    double dm = l[m] = sqrt(hs_km_sqdist_col(c->xt, n, i, c->centres + m * dim, dim));
                    if (dm < u || (dm == u && m < a)) {
                        a = m;
                        u = dm;
                    }
                }
            }
            c->upper[i] = u;
        }
        if (c->label[i] != (int8_t)a) {
            c->changed[part]++;
            c->label[i] = (int8_t)a;
        }
        add_row(c, part, a, i);
    }
    return HS_OK;
}

/* ---- the method ---- */

enum km_param { KM_K, KM_STARTS, KM_SEED, KM_ALGORITHM, KM_N, KM_MAX_ITER, KM_TOL };
enum km_algorithm { ALG_LLOYD, ALG_ELKAN };
static const char *const algorithm_choices[] = {[ALG_LLOYD] = "lloyd", [ALG_ELKAN] = "elkan",
                                                NULL};

static const struct hs_param_spec km_params[] = {
    [KM_K] = {.name = "k", .type = HS_PARAM_INT, .def = "2", .min = 1, .max = HS_KMEANS_MAX_K,
              .metavar = "K", .help = "clusters"},
    [KM_STARTS] = {.name = "starts", .type = HS_PARAM_INT, .def = "5", .min = 1, .max = 1000,
                   .metavar = "S", .help = "k-means++ starts, the best kept"},
    [KM_SEED] = {.name = "seed", .type = HS_PARAM_SEED, .def = "0", .metavar = "S",
                 .help = "random seed"},
    [KM_ALGORITHM] = {.name = "algorithm", .type = HS_PARAM_CHOICE, .def = "lloyd",
                      .choices = algorithm_choices, .metavar = "A",
                      .help = "k-means iterations: 'lloyd', or 'elkan' (the same clusters, "
                              "bounds skip distances)"},
    [KM_N] = {.name = "n", .type = HS_PARAM_INT, .def = "0", .min = 0, .max = 1e12,
              .metavar = "N", .help = "events to fit, a subsample stratified by class and group "
                                      "(0 all)"},
    [KM_MAX_ITER] = {.name = "max-iter", .type = HS_PARAM_INT, .def = "300", .min = 1,
                     .max = 1e6, .metavar = "N", .help = "iterations per start at most"},
    [KM_TOL] = {.name = "tol", .type = HS_PARAM_REAL, .def = "0.0001", .min = 0, .max = 1,
                .metavar = "T",
                .help = "convergence: summed squared centre shifts over the mean feature "
                        "variance"},
    {0},
};

/* Starts whose passes are shared at most: the scratch of each is about
 * 12 bytes a row (more with Elkan). */
#define FUSE 8
/* Bytes of Elkan's bounds of the starts run together at most (one start
 * takes what it needs). */
#define ELKAN_BUDGET ((size_t)512 << 20)

/* The scratch of one of the starts run together (km_group). */
struct km_run {
    double *cur, *nc, *sums, *counts, *cc, *halfmin, *shift, *upper, *lower;
    double *tot, *cnt; /* k x dim, k: the sums and counts of the clusters */
    float *cf;         /* k x dim: cur in float */
    float *near;  /* n: k-means++'s distances; then the labels' room */
    size_t *changed;
    int8_t *label;
};

struct km_state {
    struct hs_method_data d; /* the columns are borrowed */
    size_t k, starts, max_iter;
    uint64_t seed;
    bool elkan;
    double tol;
    double tol_abs;   /* tol times the mean feature variance of the fitted rows */
    double sumsq;     /* the squared norms of the fitted rows, summed */
    struct hs_embed_input in;
    float *xf;        /* in.xt in float (n x dim, column-major) */
    bool prepared;
    size_t start;     /* starts done */
    double *centres;  /* k x dim: the best start's */
    double inertia;   /* of the best start */
    size_t iters;     /* of the best start */
    struct km_run *runs;
    size_t nruns;
    /* per start: its final centres (k x dim), inertia and iterations */
    double *res_centres, *res_inertia;
    size_t *res_iters;
};

static void
run_release(struct km_run *r)
{
    hs_free(r->cur);
    hs_free(r->nc);
    hs_free(r->sums);
    hs_free(r->counts);
    hs_free(r->cc);
    hs_free(r->halfmin);
    hs_free(r->shift);
    hs_free(r->tot);
    hs_free(r->cnt);
    hs_free(r->cf);
    hs_free(r->upper);
    hs_free(r->lower);
    hs_free(r->near);
    hs_free(r->changed);
}

static bool
run_alloc(struct km_run *r, size_t n, size_t k, size_t dim, bool elkan)
{
    size_t parts = hs_rowpass_parts(n);
    r->cur = hs_malloc(k * dim * sizeof *r->cur);
    r->nc = hs_malloc(k * dim * sizeof *r->nc);
    r->sums = hs_malloc(parts * LANES * k * dim * sizeof *r->sums);
    r->counts = hs_malloc(parts * LANES * k * sizeof *r->counts);
    r->changed = hs_malloc(parts * sizeof *r->changed);
    r->cc = hs_malloc(k * k * sizeof *r->cc);
    r->halfmin = hs_malloc(k * sizeof *r->halfmin);
    r->shift = hs_malloc(k * sizeof *r->shift);
    r->tot = hs_malloc(k * dim * sizeof *r->tot);
    r->cnt = hs_malloc(k * sizeof *r->cnt);
    r->cf = hs_malloc(k * dim * sizeof *r->cf);
    /* The labels are needed once the seeding is over, its distances no
     * longer: one buffer for both, fewer fresh pages per fit. */
    r->near = hs_malloc_large(n * sizeof *r->near);
    r->label = (int8_t *)r->near;
    if (elkan) {
        r->upper = hs_malloc_large(n * sizeof *r->upper);
        r->lower = hs_malloc_large(n * k * sizeof *r->lower);
    }
    return r->cur && r->nc && r->sums && r->counts && r->changed && r->cc &&
           r->halfmin && r->shift && r->tot && r->cnt && r->cf && r->label && r->near && (!elkan || (r->upper && r->lower));
}

static void
km_describe(const struct hs_params *p, char *buf, size_t size)
{
    snprintf(buf, size, "k-means, k %zu, %zu start%s (k-means++), %s", hs_params_int(p, KM_K),
             hs_params_int(p, KM_STARTS), hs_params_int(p, KM_STARTS) == 1 ? "" : "s",
             algorithm_choices[hs_params_choice(p, KM_ALGORITHM)]);
}

static void
km_free(void *state)
{
    struct km_state *s = state;

    if (!s)
        return;
    hs_embed_input_release(&s->in);
    hs_free(s->xf);
    hs_free(s->centres);
    for (size_t r = 0; s->runs && r < s->nruns; r++)
        run_release(&s->runs[r]);
    hs_free(s->runs);
    hs_free(s->res_centres);
    hs_free(s->res_inertia);
    hs_free(s->res_iters);
    hs_free(s);
}

static int
km_alloc(const struct hs_params *p, const struct hs_method_data *d, void **state,
         struct hs_err *err)
{
    struct km_state *s;

    *state = NULL;
    if (d->nin < 1)
        return hs_err_set(err, HS_EUSAGE, "kmeans needs at least one feature");
    s = hs_calloc(1, sizeof *s);
    if (!s)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    s->d = *d;
    s->k = hs_params_int(p, KM_K);
    s->starts = hs_params_int(p, KM_STARTS);
    s->seed = hs_params_seed(p, KM_SEED);
    s->elkan = hs_params_choice(p, KM_ALGORITHM) == ALG_ELKAN;
    s->max_iter = hs_params_int(p, KM_MAX_ITER);
    s->tol = hs_params_real(p, KM_TOL);
    s->inertia = INFINITY;
    *state = s;
    return HS_OK;
}

/* The float copy of the rows, and per part their sums and sums of
 * squares by feature (parts x dim x 2), in one pass. */
struct copy_pass {
    const struct hs_embed_input *in;
    float *xf;
    double *mom;
};

static int
copy_block(void *ctx, size_t part, size_t lo, size_t hi)
{
    struct copy_pass *cp = ctx;
    size_t n = cp->in->n, dim = cp->in->dim;
    for (size_t j = 0; j < dim; j++) {
        const double *x = cp->in->xt + j * n;
        float *f = cp->xf + j * n;
        double s = 0, q = 0;
        for (size_t i = lo; i < hi; i++) {
            f[i] = (float)x[i];
            s += x[i];
            q += x[i] * x[i];
        }
        cp->mom[(part * dim + j) * 2] += s;
        cp->mom[(part * dim + j) * 2 + 1] += q;
    }
    return HS_OK;
}

/* The mean variance of the features of the fitted rows (tol's unit)
 * from the parts' sums, added in part order, and their summed squares
 * into *sumsq.  The rows are standardised, so that a feature's variance
 * is 1 but for rounding (0 for a constant one): computed anyway, as
 * scikit-learn does, but in one pass, their means being 0 but for
 * rounding. */
static double
mean_variance(const double *mom, size_t parts, size_t n, size_t dim, double *sumsq)
{
    double t = 0;
    *sumsq = 0;
    for (size_t j = 0; j < dim; j++) {
        double s = 0, q = 0;
        for (size_t p = 0; p < parts; p++) {
            s += mom[(p * dim + j) * 2];
            q += mom[(p * dim + j) * 2 + 1];
        }
        double m = s / (double)n;
        t += q / (double)n - m * m;
        *sumsq += q;
    }
    return t / (double)dim;
}

/* The fitted rows and the scratch of a start, on the first step. */
static int
km_prepare(struct km_state *s, const struct hs_task *task, struct hs_err *err)
{
    int rc = hs_embed_input_init_columns(&s->in, &s->d, s->k, err);
    if (rc)
        return rc;
    size_t n = s->in.n, dim = s->in.dim, k = s->k;
    bool ok = true;
    s->prepared = true;
    s->nruns = s->starts < FUSE ? s->starts : FUSE;
    if (s->elkan) {
        /* Elkan's bounds are k + 1 doubles a row per start: no more
         * starts together than ELKAN_BUDGET bytes of them hold. */
        size_t per = n * (k + 1) * sizeof(double), most = ELKAN_BUDGET / (per ? per : 1);
        s->nruns = most < 1 ? 1 : most < s->nruns ? most : s->nruns;
    }
    s->centres = hs_malloc(k * dim * sizeof *s->centres);
    s->res_centres = hs_malloc(s->starts * k * dim * sizeof *s->res_centres);
    s->res_inertia = hs_malloc(s->starts * sizeof *s->res_inertia);
    s->res_iters = hs_malloc(s->starts * sizeof *s->res_iters);
    s->runs = hs_calloc(s->nruns, sizeof *s->runs);
    s->xf = hs_malloc_large((n ? n : 1) * dim * sizeof *s->xf);
    size_t parts = hs_rowpass_parts(n);
    struct copy_pass cp = {.in = &s->in, .xf = s->xf,
                           .mom = hs_calloc(parts * dim * 2, sizeof *cp.mom)};
    for (size_t r = 0; s->runs && r < s->nruns; r++)
        ok = run_alloc(&s->runs[r], n, k, dim, s->elkan) && ok;
    if (!ok || !s->centres || !s->res_centres || !s->res_inertia || !s->res_iters || !s->runs ||
        !s->xf || !cp.mom) {
        hs_free(cp.mom);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    struct hs_rowpass pass = {.n = n, .threads = s->d.threads, .fn = copy_block, .ctx = &cp,
                              .task = task, .what = "k-means", .span = 0};
    rc = hs_rowpass_run(&pass, err);
    if (rc == HS_OK)
        s->tol_abs = s->tol * mean_variance(cp.mom, parts, n, dim, &s->sumsq);
    hs_free(cp.mom);
    return rc;
}

/* Centre and bound figures Elkan's pass needs. */
static void
centre_distances(const struct km_state *s, struct km_run *r)
{
    size_t k = s->k, dim = s->in.dim;
    for (size_t a = 0; a < k; a++) {
        r->halfmin[a] = INFINITY;
        for (size_t b = 0; b < k; b++) {
            double d = a == b ? 0 : sqrt(sqdist(r->cur + a * dim, r->cur + b * dim, dim));
            r->cc[a * k + b] = d;
            if (b != a && 0.5 * d < r->halfmin[a])
                r->halfmin[a] = 0.5 * d;
        }
    }
}

/* Empty clusters take, in turn, the fitted row farthest from its centre
 * (the first on a tie) that no other empty cluster took. */
static void
relocate_empty(const struct km_state *s, const struct km_run *r, const double *counts,
               double *newc)
{
    size_t n = s->in.n, dim = s->in.dim, taken[HS_KMEANS_MAX_K], ntaken = 0;
    for (size_t c = 0; c < s->k; c++) {
        if (counts[c] > 0)
            continue;
        size_t far = 0;
        double fd = -1;
        for (size_t i = 0; i < n; i++) {
            double d = hs_km_sqdist_col(s->in.xt, n, i, r->cur + (size_t)r->label[i] * dim, dim);
            bool was = false;
            for (size_t t = 0; t < ntaken; t++)
                was = was || taken[t] == i;
            if (!was && d > fd) {
                fd = d;
                far = i;
            }
        }
        taken[ntaken++] = far;
        row_of(s->in.xt, n, dim, far, newc + c * dim);
    }
}

/* A pass over the rows for several starts at once: each block of rows
 * is handed to every start's fn in turn while it is in the cache, so
 * that the starts share one read of the rows from memory, which is
 * what a pass of a few distances per row waits for. */
struct multi_pass {
    size_t n;
    int (*fn[FUSE])(void *ctx, size_t part, size_t lo, size_t hi);
    void *ctx[FUSE];
};

static int
multi_block(void *ctx, size_t part, size_t lo, size_t hi)
{
    struct multi_pass *mp = ctx;
    for (size_t q = 0; q < mp->n; q++) {
        int rc = mp->fn[q](mp->ctx[q], part, lo, hi);
        if (rc)
            return rc;
    }
    return HS_OK;
}

/* cur in float. */
static void
set_cf(const struct km_state *s, struct km_run *r)
{
    for (size_t i = 0; i < s->k * s->in.dim; i++)
        r->cf[i] = (float)r->cur[i];
}

/* The sums and counts of start run r's clusters from its pass's parts:
 * the whole of them (fresh: Elkan's passes) or their changes (Lloyd's);
 * the rows that changed cluster. */
static size_t
gather(const struct km_state *s, struct km_run *r, bool fresh)
{
    size_t k = s->k, dim = s->in.dim, parts = hs_rowpass_parts(s->in.n), changed = 0;

    for (size_t p = 0; p < parts; p++)
        changed += r->changed[p];
    if (fresh) {
        memset(r->tot, 0, k * dim * sizeof *r->tot);
        memset(r->cnt, 0, k * sizeof *r->cnt);
    }
    for (size_t m = 0; m < k; m++) {
        double cnt = 0;
        for (size_t p = 0; p < parts * LANES; p++)
            cnt += r->counts[p * k + m];
        r->cnt[m] += cnt;
        for (size_t j = 0; j < dim; j++) {
            double t = 0;
            for (size_t p = 0; p < parts * LANES; p++)
                t += r->sums[(p * k + m) * dim + j];
            r->tot[m * dim + j] += t;
        }
    }
    return changed;
}

/* The inertia of start run r: the summed squared distances of the rows
 * to the centres of their clusters, from the clusters' sums and counts
 * as sum |x|^2 - sum over clusters of (2 c . S - n |c|^2) (S the sum of
 * the cluster's rows, n their count), which needs no pass over the rows;
 * the sum of squares is of the order of the inertia for standardised
 * rows, so that little is lost to cancellation (within 1e-12 or so of
 * the sum of the rows' distances); 0 at least. */
static double
inertia_of(const struct km_state *s, const struct km_run *r)
{
    size_t k = s->k, dim = s->in.dim;
    double t = 0;
    for (size_t m = 0; m < k; m++) {
        const double *c = r->cur + m * dim, *S = r->tot + m * dim;
        double cs = 0, cc = 0;
        for (size_t j = 0; j < dim; j++) {
            cs += c[j] * S[j];
            cc += c[j] * c[j];
        }
        t += 2 * cs - r->cnt[m] * cc;
    }
    double in = s->sumsq - t;
    return in > 0 ? in : 0;
}

/* The new centres of start run r from its pass; whether it has
 * converged (*final: the labels are already those of the final
 * assignment, the centres unchanged). */
static bool
m_step(const struct km_state *s, struct km_run *r, bool *final)
{
    size_t k = s->k, dim = s->in.dim, changed = gather(s, r, s->elkan);
    double *nc = r->nc, counts[HS_KMEANS_MAX_K];
    bool empty = false;

    for (size_t m = 0; m < k; m++) {
        double cnt = r->cnt[m];
        counts[m] = cnt;
        empty = empty || cnt == 0;
        for (size_t j = 0; j < dim; j++)
            nc[m * dim + j] = cnt > 0 ? r->tot[m * dim + j] / cnt : 0;
    }
    relocate_empty(s, r, counts, nc);
    double shift_tot = 0;
    for (size_t m = 0; m < k; m++) {
        double d2 = sqdist(nc + m * dim, r->cur + m * dim, dim);
        r->shift[m] = sqrt(d2);
        shift_tot += d2;
    }
    memcpy(r->cur, nc, k * dim * sizeof *nc);
    set_cf(s, r);
    /* No row changed cluster: the new centres are the old ones to the
     * bit (unless an empty cluster took a row), and the pass just run
     * was the final assignment. */
    *final = changed == 0 && !empty;
    return changed == 0 || shift_tot <= s->tol_abs;
}

/* The sums of a pass of start run r, to be added to. */
static void
clear_pass(const struct km_state *s, struct km_run *r)
{
    size_t parts = hs_rowpass_parts(s->in.n), k = s->k, dim = s->in.dim;
    memset(r->sums, 0, parts * LANES * k * dim * sizeof *r->sums);
    memset(r->counts, 0, parts * LANES * k * sizeof *r->counts);
    memset(r->changed, 0, parts * sizeof *r->changed);
}

/* Starts first .. first + ns - 1 (ns <= FUSE), each with scratch
 * s->runs[q]: seeding, iterations, the final assignment and inertia into
 * the starts' results.  Their passes are shared (multi_pass); each start
 * computes what it would alone, with the same bits. */
static int
km_group(struct km_state *s, size_t first, size_t ns, const struct hs_task *task,
         struct hs_err *err)
{
    size_t n = s->in.n, dim = s->in.dim, k = s->k;
    double base = (double)first / (double)s->starts, span = (double)ns / (double)s->starts;
    struct hs_rng rng[FUSE];
    struct hs_kpp *kpp[FUSE] = {0};
    struct iter_pass c[FUSE];
    size_t iters[FUSE];
    bool live[FUSE], final[FUSE];
    struct multi_pass mp = {0};
    struct hs_rowpass pass = {.n = n, .threads = s->d.threads, .fn = multi_block, .ctx = &mp,
                              .task = task, .what = "k-means++", .span = 0};
    int rc = HS_OK;

    /* The seedings, a pass for each centre. */
    for (size_t q = 0; q < ns; q++) {
        hs_rng_seed(&rng[q], hs_starts_seed(s->seed, first + q));
        if (!(kpp[q] = hs_kpp_new(s->in.xt, s->xf, n, dim, k, &rng[q], s->runs[q].cur, NULL,
                                  s->runs[q].near, err))) {
            rc = HS_ENOMEM;
            goto done;
        }
        mp.fn[q] = hs_kpp_block;
        mp.ctx[q] = kpp[q];
    }
    mp.n = ns;
    while (hs_kpp_next(kpp[0])) {
        for (size_t q = 1; q < ns; q++)
            hs_kpp_next(kpp[q]);
        pass.base = base + span * 0.2 * hs_kpp_fraction(kpp[0]);
        if ((rc = hs_rowpass_run(&pass, err)))
            goto done;
        for (size_t q = 0; q < ns; q++)
            hs_kpp_after(kpp[q]);
    }

    /* Lloyd's or Elkan's iterations, until every start has converged. */
    pass.what = "k-means";
    for (size_t q = 0; q < ns; q++) {
        struct km_run *r = &s->runs[q];
        for (size_t i = 0; i < n; i++)
            r->label[i] = -1;
        memset(r->tot, 0, k * dim * sizeof *r->tot);
        memset(r->cnt, 0, k * sizeof *r->cnt);
        set_cf(s, r);
        c[q] = (struct iter_pass){.xt = s->in.xt, .xf = s->xf, .n = n, .dim = dim, .k = k,
                                  .elkan = s->elkan, .first = true, .centres = r->cur,
                                  .cf = r->cf,
                                  .label = r->label, .sums = r->sums, .counts = r->counts,
                                  .changed = r->changed,
                                  .upper = r->upper, .lower = r->lower, .cc = r->cc,
                                  .halfmin = r->halfmin, .shift = r->shift};
        live[q] = true;
        final[q] = false;
        iters[q] = s->max_iter;
    }
    for (size_t it = 0; it < s->max_iter; it++) {
        mp.n = 0;
        for (size_t q = 0; q < ns; q++) {
            struct km_run *r = &s->runs[q];
            if (!live[q])
                continue;
            clear_pass(s, r);
            if (s->elkan)
                centre_distances(s, r);
            mp.fn[mp.n] = s->elkan ? elkan_block : lloyd_block;
            mp.ctx[mp.n++] = &c[q];
        }
        if (mp.n == 0)
            break;
        pass.base = base + span * (0.2 + 0.7 * (1 - 1 / (1 + (double)it / 20)));
        if ((rc = hs_rowpass_run(&pass, err)))
            goto done;
        for (size_t q = 0; q < ns; q++) {
            if (!live[q])
                continue;
            c[q].first = false;
            if (m_step(s, &s->runs[q], &final[q])) {
                live[q] = false;
                iters[q] = it + 1;
            }
        }
    }

    /* The final assignment to the final centres (a pass of Lloyd's), and
     * its inertia. */
    mp.n = 0;
    for (size_t q = 0; q < ns; q++) {
        struct km_run *r = &s->runs[q];
        if (final[q])
            continue;
        clear_pass(s, r);
        c[q].first = false;
        mp.fn[mp.n] = lloyd_block;
        mp.ctx[mp.n++] = &c[q];
    }
    pass.base = base + 0.95 * span;
    if (mp.n && (rc = hs_rowpass_run(&pass, err)))
        goto done;
    for (size_t q = 0; q < ns; q++) {
        struct km_run *r = &s->runs[q];
        if (!final[q])
            gather(s, r, false);
        s->res_inertia[first + q] = inertia_of(s, r);
        s->res_iters[first + q] = iters[q];
        memcpy(s->res_centres + (first + q) * k * dim, r->cur, k * dim * sizeof *r->cur);
    }
done:
    for (size_t q = 0; q < ns; q++)
        hs_kpp_free(kpp[q]);
    return rc;
}

static int
km_step(void *state, struct hs_method_status *st, const struct hs_task *task,
        struct hs_err *err)
{
    struct km_state *s = state;
    int rc;

    memset(st, 0, sizeof *st);
    if (!s->prepared) {
        if (hs_task_cancelled(task))
            return hs_err_set(err, HS_ECANCELLED, "kmeans cancelled");
        if ((rc = km_prepare(s, task, err)))
            return rc;
    }
    if (s->start < s->starts) {
        size_t from = s->start, ns = s->starts - from < s->nruns ? s->starts - from : s->nruns;
        if ((rc = km_group(s, from, ns, task, err)))
            return rc;
        s->start += ns;
        /* The least inertia so far, the first start on a tie. */
        size_t k = s->k, dim = s->in.dim;
        for (size_t t = from; t < s->start; t++)
            if (s->res_inertia[t] < s->inertia) {
                s->inertia = s->res_inertia[t];
                s->iters = s->res_iters[t];
                memcpy(s->centres, s->res_centres + t * k * dim, k * dim * sizeof *s->centres);
            }
        if (s->start == s->starts) {
            /* From here on only the mean and sd are needed. */
            hs_free(s->in.xt);
            s->in.xt = NULL;
            hs_free(s->xf);
            s->xf = NULL;
        }
    }
    st->fraction = (double)s->start / (double)s->starts;
    st->done = s->start == s->starts;
    return HS_OK;
}

struct assign_pass {
    const struct km_state *s;
    double *scratch; /* parts x dim */
    long *out;
};

static int
assign_block(void *ctx, size_t part, size_t lo, size_t hi)
{
    struct assign_pass *a = ctx;
    const struct km_state *s = a->s;
    double *z = a->scratch + part * s->in.dim, d2;

    for (size_t i = lo; i < hi; i++)
        a->out[i] = hs_embed_input_row(&s->in, &s->d, i, z)
                        ? (long)hs_kmeans_nearest(s->centres, s->k, s->in.dim, z, &d2)
                        : -1;
    return HS_OK;
}

static int
km_clusters(void *state, long **out, struct hs_err *err)
{
    struct km_state *s = state;

    *out = NULL;
    if (s->start < s->starts)
        return hs_err_set(err, HS_EDATA, "the kmeans fit has not finished");
    struct assign_pass a = {.s = s};
    a.scratch = hs_malloc(hs_rowpass_parts(s->d.n) * s->in.dim * sizeof *a.scratch);
    a.out = hs_malloc_large((s->d.n ? s->d.n : 1) * sizeof *a.out);
    if (!a.scratch || !a.out) {
        hs_free(a.scratch);
        hs_free(a.out);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    struct hs_rowpass pass = {.n = s->d.n, .threads = s->d.threads, .fn = assign_block,
                              .ctx = &a, .what = "kmeans: assignment"};
    int rc = hs_rowpass_run(&pass, err);
    hs_free(a.scratch);
    if (rc) {
        hs_free(a.out);
        return rc;
    }
    *out = a.out;
    return HS_OK;
}

static void
km_report(void *state, struct hs_method_report *r)
{
    const struct km_state *s = state;

    memset(r, 0, sizeof *r);
    r->ntrain = s->in.n;
    r->loglik = NAN;
    r->kl = NAN;
    r->inertia = s->start == s->starts ? s->inertia : NAN;
}

const double *
hs_kmeans_centres(void *state, size_t *k, size_t *dim)
{
    const struct km_state *s = state;
    if (!s || s->start < s->starts)
        return NULL;
    *k = s->k;
    *dim = s->in.dim;
    return s->centres;
}

const struct hs_method hs_method_kmeans = {
    .name = "kmeans",
    .summary = "k-means clustering of the standardised features (k-means++, Lloyd or Elkan)",
    .params = km_params,
    .outputs = HS_METHOD_CLUSTER,
    .supervised = false,
    .check = NULL,
    .describe = km_describe,
    .alloc = km_alloc,
    .step = km_step,
    .model = NULL,
    .coords = NULL,
    .clusters = km_clusters,
    .report = km_report,
    .free = km_free,
};

/* gmm.c: Gaussian mixtures by EM (gmm.h).
 *
 * One pass over the rows per EM iteration: each row's log density under
 * every component (through the inverse of the covariance's Cholesky
 * factor), log-sum-exp for its log-likelihood and responsibilities, and
 * the responsibility-weighted sums the M step needs.  Those sums are
 * taken about each component's current mean, so that the new covariance
 * S2/N - (S1/N)(S1/N)^T cancels nothing much even for a component far
 * from the origin; they are kept per part of the row pass (rowpass.h)
 * and added in part order: a seed gives the same mixture on any number
 * of threads.  A responsibility of exactly 0 (a row far from a
 * component) adds nothing, so its products are skipped.
 */
#include "config.h"

#include "gmm.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "embed_input.h"
#include "kmeans.h"
#include "mem.h"
#include "par.h"
#include "rng.h"
#include "rowpass.h"
#include "simd.h"
#include "simd_clones.h"
#include "starts.h"

#define LOG_2PI 1.8378770664093454836

void
hs_gmm_criteria(double loglik, size_t nfree, size_t n, double *bic, double *aic)
{
    *bic = -2 * loglik + (double)nfree * log((double)n);
    *aic = -2 * loglik + 2 * (double)nfree;
}

/* ---- one set of parameters ---- */

struct mix {
    double *w;    /* k weights */
    double *mu;   /* k x dim means */
    double *cov;  /* k x dim x dim covariances */
    double *linv; /* k x dim x dim: the inverse of each covariance's Cholesky factor (lower) */
    double *cst;  /* k: log w - dim/2 log 2 pi - log det L */
};

static void
mix_release(struct mix *m)
{
    hs_free(m->w);
    hs_free(m->mu);
    hs_free(m->cov);
    hs_free(m->linv);
    hs_free(m->cst);
    memset(m, 0, sizeof *m);
}

static bool
mix_alloc(struct mix *m, size_t k, size_t dim)
{
    m->w = hs_malloc(k * sizeof *m->w);
    m->mu = hs_malloc(k * dim * sizeof *m->mu);
    m->cov = hs_calloc(k * dim * dim, sizeof *m->cov);
    m->linv = hs_calloc(k * dim * dim, sizeof *m->linv);
    m->cst = hs_malloc(k * sizeof *m->cst);
    return m->w && m->mu && m->cov && m->linv && m->cst;
}

static void
mix_copy(struct mix *dst, const struct mix *src, size_t k, size_t dim)
{
    memcpy(dst->w, src->w, k * sizeof *dst->w);
    memcpy(dst->mu, src->mu, k * dim * sizeof *dst->mu);
    memcpy(dst->cov, src->cov, k * dim * dim * sizeof *dst->cov);
    memcpy(dst->linv, src->linv, k * dim * dim * sizeof *dst->linv);
    memcpy(dst->cst, src->cst, k * sizeof *dst->cst);
}

/* Component c's Cholesky factor L of cov (lower, into a scratch of dim x
 * dim), its inverse into linv and the constant of its log density;
 * false when the covariance is not positive definite. */
static bool
factor_one(struct mix *m, size_t c, size_t dim, bool diag, double *L)
{
    const double *S = m->cov + c * dim * dim;
    double *Li = m->linv + c * dim * dim, logdet = 0;

    memset(L, 0, dim * dim * sizeof *L);
    memset(Li, 0, dim * dim * sizeof *Li);
    for (size_t j = 0; j < dim; j++) {
        double s = S[j * dim + j];
        for (size_t l = 0; l < j && !diag; l++)
            s -= L[j * dim + l] * L[j * dim + l];
        if (!(s > 0) || !isfinite(s))
            return false;
        double ljj = sqrt(s);
        L[j * dim + j] = ljj;
        logdet += log(ljj);
        for (size_t i = j + 1; i < dim && !diag; i++) {
            double t = S[i * dim + j];
            for (size_t l = 0; l < j; l++)
                t -= L[i * dim + l] * L[j * dim + l];
            L[i * dim + j] = t / ljj;
        }
    }
    /* L^-1 by forward substitution, a column at a time. */
    for (size_t col = 0; col < dim; col++) {
        Li[col * dim + col] = 1 / L[col * dim + col];
        for (size_t i = col + 1; i < dim && !diag; i++) {
            double t = 0;
            for (size_t l = col; l < i; l++)
                t -= L[i * dim + l] * Li[l * dim + col];
            Li[i * dim + col] = t / L[i * dim + i];
        }
    }
    m->cst[c] = log(m->w[c]) - 0.5 * (double)dim * LOG_2PI - logdet;
    return true;
}

/* ---- the row pass ---- */

enum em_mode {
    EM_SEED, /* every row to its nearest seed, the sums of those groups */
    EM_ITER, /* E step and the sums of the M step */
    EM_LL,   /* the log-likelihood alone */
    EM_OUT,  /* every row of the data: probabilities and most probable component */
};

struct em_pass {
    enum em_mode mode;
    const struct hs_embed_input *in;
    const struct hs_method_data *d; /* EM_OUT */
    size_t dim, k, stride;
    bool diag;
    const struct mix *m;
    const double *seeds; /* EM_SEED: k x dim */
    double *acc;         /* parts x k x stride: weight, S1 (dim), S2 (packed upper or diagonal) */
    double *ll;          /* parts */
    double *scratch;     /* parts x (k + 2 dim) */
    double *block;       /* slots x block_size: em_rows' scratch */
    size_t block_size;
    int slots;
    double *prob;        /* EM_OUT: n x k, or NULL */
    long *ids;           /* EM_OUT: n, or NULL */
};

/* Row r's log-likelihood; lp (k) gets the responsibilities. */
static double
row_resp(const struct em_pass *c, const double *r, double *lp, double *diff)
{
    size_t dim = c->dim, k = c->k;
    const struct mix *m = c->m;
    double top = -INFINITY;

    for (size_t q = 0; q < k; q++) {
        const double *mu = m->mu + q * dim, *Li = m->linv + q * dim * dim;
        double m2 = 0;
        for (size_t j = 0; j < dim; j++)
            diff[j] = r[j] - mu[j];
        if (c->diag) {
            for (size_t j = 0; j < dim; j++) {
                double y = diff[j] * Li[j * dim + j];
                m2 += y * y;
            }
        } else {
            for (size_t j = 0; j < dim; j++) {
                const double *row = Li + j * dim;
                double y = 0;
                for (size_t l = 0; l <= j; l++)
                    y += row[l] * diff[l];
                m2 += y * y;
            }
        }
        lp[q] = m->cst[q] - 0.5 * m2;
        if (lp[q] > top)
            top = lp[q];
    }
    /* One exp per component: the responsibilities are the terms of the
     * sum over their total. */
    double sum = 0;
    for (size_t q = 0; q < k; q++) {
        lp[q] = exp(lp[q] - top);
        sum += lp[q];
    }
    double inv = 1 / sum;
    for (size_t q = 0; q < k; q++)
        lp[q] *= inv;
    return top + log(sum);
}

/* Row r with responsibility w for component q, about centre. */
static void
accumulate(const struct em_pass *c, double *acc, size_t q, double w, const double *r,
           const double *centre, double *diff)
{
    size_t dim = c->dim;
    double *a = acc + q * c->stride, *s1 = a + 1, *s2 = a + 1 + dim;

    a[0] += w;
    for (size_t j = 0; j < dim; j++) {
        diff[j] = r[j] - centre[q * dim + j];
        s1[j] += w * diff[j];
    }
    if (c->diag) {
        for (size_t j = 0; j < dim; j++)
            s2[j] += w * diff[j] * diff[j];
        return;
    }
    for (size_t j = 0; j < dim; j++) {
        double wd = w * diff[j];
        for (size_t l = j; l < dim; l++)
            *s2++ += wd * diff[l];
    }
}

/* The kernels of em_rows over one block of HS_ROWPASS_BLOCK rows (rows
 * past the end of a short block are zeros with responsibility 0, which
 * adds nothing): a fixed trip count and restrict let the compiler
 * vectorise them at -O2. */
#define BLK HS_ROWPASS_BLOCK

static void
blk_sub(double *restrict d, const double *restrict t, double m)
{
    HS_SIMD
    for (size_t b = 0; b < BLK; b++)
        d[b] = t[b] - m;
}

static void
blk_axpy(double *restrict y, double f, const double *restrict x)
{
    HS_SIMD
    for (size_t b = 0; b < BLK; b++)
        y[b] += f * x[b];
}

static void
blk_sqadd(double *restrict m2, const double *restrict y, double f)
{
    HS_SIMD
    for (size_t b = 0; b < BLK; b++)
        m2[b] += (f * y[b]) * (f * y[b]);
}

static void
blk_mul(double *restrict w, const double *restrict r, const double *restrict d)
{
    HS_SIMD
    for (size_t b = 0; b < BLK; b++)
        w[b] = r[b] * d[b];
}

/* e^x for x <= 0 to about 1 ulp (0 below floor, -708, where e^x leaves
 * the normal doubles): x = k ln 2 + r, |r| <= ln 2 / 2, e^r by its
 * Taylor series to r^13 (the first term left out is below 4e-18), times
 * 2^k made from k's bits.  No call and no branch, so that the loops
 * calling it vectorise (glibc's exp is a call per value). */
static inline double
exp_nonpos(double x, double floor)
{
    const double shifter = 0x1.8p52, log2e = 1.4426950408889634074;
    const double ln2_hi = 0x1.62e42fee00000p-1, ln2_lo = 0x1.a39ef35793c76p-33;
    double xc = x < floor ? floor : x;
    double t = xc * log2e + shifter, kf = t - shifter;
    double r = (xc - kf * ln2_hi) - kf * ln2_lo;
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    uint64_t tb, sb;
    double scale;
    memcpy(&tb, &t, sizeof tb);
    /* t's low bits hold k (two's complement): 2^k's bits are k + 1023
     * shifted into the exponent. */
    sb = (tb + 1023) << 52;
    memcpy(&scale, &sb, sizeof scale);
    /* 0 below the floor: tiny responsibilities would make subnormal
     * products in the M step's sums, each a hundred times slower. */
    double keep = xc == x ? 1.0 : 0.0;
    return p * scale * keep;
}

/* exp_nonpos's floor, -708, read from memory: GCC at -O2 turns a select
 * against a constant into a branch, which stops the vectorisation. */
static const volatile double exp_floor = -708;

/* top[b] = max(top[b], a[b]). */
static void
blk_max(double *restrict top, const double *restrict a, size_t nb)
{
    HS_SIMD
    for (size_t b = 0; b < nb; b++) {
        double u = top[b], v = a[b], m = v > u ? v : u;
        top[b] = m;
    }
}

/* lp[b] = e^(lp[b] - top[b]), added to sum[b]. */
HS_CLONES static void
blk_exp_sub(double *restrict lp, const double *restrict top, double *restrict sum, size_t nb)
{
    double floor = exp_floor;
    HS_SIMD
    for (size_t b = 0; b < nb; b++) {
        double e = exp_nonpos(lp[b] - top[b], floor);
        lp[b] = e;
        sum[b] += e;
    }
}

static void
blk_div(double *restrict lp, const double *restrict sum, size_t nb)
{
    HS_SIMD
    for (size_t b = 0; b < nb; b++)
        lp[b] *= 1 / sum[b];
}

/* Sums with eight running sums, so that they pipeline and vectorise (the
 * order is fixed: the same bits every run). */
HS_CLONES static double
blk_dot(const double *restrict a, const double *restrict c)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (size_t b = 0; b < BLK; b += 8) {
        s0 += a[b] * c[b];
        s1 += a[b + 1] * c[b + 1];
        s2 += a[b + 2] * c[b + 2];
        s3 += a[b + 3] * c[b + 3];
        s4 += a[b + 4] * c[b + 4];
        s5 += a[b + 5] * c[b + 5];
        s6 += a[b + 6] * c[b + 6];
        s7 += a[b + 7] * c[b + 7];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
}

HS_CLONES static double
blk_sum(const double *restrict a)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (size_t b = 0; b < BLK; b += 8) {
        s0 += a[b];
        s1 += a[b + 1];
        s2 += a[b + 2];
        s3 += a[b + 3];
        s4 += a[b + 4];
        s5 += a[b + 5];
        s6 += a[b + 6];
        s7 += a[b + 7];
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
}

/* The E step (and the M step's sums) of the fitted rows [lo, hi), a
 * block at a time and component by component, the block held by
 * feature (T[j][b]) so that the loops run over its rows. */
HS_CLONES static void
em_rows(struct em_pass *c, size_t part, size_t lo, size_t hi)
{
    size_t k = c->k, dim = c->dim, nb = hi - lo;
    int slot = hs_par_slot();
    double *T = c->block + (size_t)(slot >= 0 && slot < c->slots ? slot : 0) * c->block_size;
    double *D = T + dim * BLK, *W = D + dim * BLK, *LP = W + dim * BLK, *m2 = LP + k * BLK,
           *y = m2 + BLK;
    const struct mix *m = c->m;

    for (size_t j = 0; j < dim; j++) {
        memcpy(T + j * BLK, c->in->xt + j * c->in->n + lo, nb * sizeof *T);
        for (size_t b = nb; b < BLK; b++)
            T[j * BLK + b] = 0;
    }
    for (size_t q = 0; q < k; q++) {
        const double *mu = m->mu + q * dim, *Li = m->linv + q * dim * dim;
        for (size_t j = 0; j < dim; j++)
            blk_sub(D + j * BLK, T + j * BLK, mu[j]);
        memset(m2, 0, BLK * sizeof *m2);
        for (size_t j = 0; j < dim; j++) {
            if (c->diag) {
                blk_sqadd(m2, D + j * BLK, Li[j * dim + j]);
                continue;
            }
            memset(y, 0, BLK * sizeof *y);
            for (size_t l = 0; l <= j; l++)
                blk_axpy(y, Li[j * dim + l], D + l * BLK);
            blk_sqadd(m2, y, 1);
        }
        for (size_t b = 0; b < nb; b++)
            LP[q * BLK + b] = m->cst[q] - 0.5 * m2[b];
    }
    /* Log-sum-exp per row, a component at a time over the block; one exp
     * per component, the responsibilities the terms over their sum. */
    double *top = m2, *sum = y, ll = 0;
    for (size_t b = 0; b < nb; b++)
        top[b] = LP[b];
    for (size_t q = 1; q < k; q++)
        blk_max(top, LP + q * BLK, nb);
    memset(sum, 0, nb * sizeof *sum);
    for (size_t q = 0; q < k; q++)
        blk_exp_sub(LP + q * BLK, top, sum, nb);
    for (size_t q = 0; q < k; q++)
        blk_div(LP + q * BLK, sum, nb);
    for (size_t b = 0; b < nb; b++)
        ll += top[b] + log(sum[b]);
    c->ll[part] += ll;
    if (c->mode != EM_ITER)
        return;
    for (size_t q = 0; q < k; q++) {
        double *r = LP + q * BLK;
        const double *mu = m->mu + q * dim;
        double *a = c->acc + (part * k + q) * c->stride, *s2 = a + 1 + dim;
        for (size_t b = nb; b < BLK; b++)
            r[b] = 0;
        a[0] += blk_sum(r);
        for (size_t j = 0; j < dim; j++) {
            blk_sub(D + j * BLK, T + j * BLK, mu[j]);
            blk_mul(W + j * BLK, r, D + j * BLK);
        }
        for (size_t j = 0; j < dim; j++) {
            a[1 + j] += blk_sum(W + j * BLK);
            if (c->diag) {
                s2[j] += blk_dot(W + j * BLK, D + j * BLK);
                continue;
            }
            for (size_t l = j; l < dim; l++)
                *s2++ += blk_dot(W + j * BLK, D + l * BLK);
        }
    }
}

static int
em_block(void *ctx, size_t part, size_t lo, size_t hi)
{
    struct em_pass *c = ctx;
    size_t k = c->k, dim = c->dim;
    double *lp = c->scratch + part * (k + 2 * dim), *diff = lp + k, *z = diff + dim;
    double *acc = c->acc ? c->acc + part * k * c->stride : NULL;

    if (c->mode == EM_ITER || c->mode == EM_LL) {
        em_rows(c, part, lo, hi);
        return HS_OK;
    }
    for (size_t i = lo; i < hi; i++) {
        if (c->mode == EM_SEED) {
            double d2;
            for (size_t j = 0; j < dim; j++)
                z[j] = c->in->xt[j * c->in->n + i];
            size_t q = hs_kmeans_nearest(c->seeds, k, dim, z, &d2);
            accumulate(c, acc, q, 1, z, c->seeds, diff);
            continue;
        }
        if (!hs_embed_input_row(c->in, c->d, i, z)) {
            if (c->prob)
                for (size_t q = 0; q < k; q++)
                    c->prob[i * k + q] = NAN;
            if (c->ids)
                c->ids[i] = -1;
            continue;
        }
        row_resp(c, z, lp, diff);
        size_t best = 0;
        for (size_t q = 0; q < k; q++) {
            if (lp[q] > lp[best])
                best = q;
            if (c->prob)
                c->prob[i * k + q] = lp[q];
        }
        if (c->ids)
            c->ids[i] = (long)best;
    }
    return HS_OK;
}

/* ---- the method ---- */

enum gmm_param { GM_K, GM_COVARIANCE, GM_STARTS, GM_SEED, GM_TOL, GM_REG, GM_MAX_ITER, GM_N };
enum gmm_cov { COV_FULL, COV_DIAG };
static const char *const cov_choices[] = {[COV_FULL] = "full", [COV_DIAG] = "diag", NULL};

static const struct hs_param_spec gmm_params[] = {
    [GM_K] = {.name = "k", .type = HS_PARAM_INT, .def = "2", .min = 1, .max = HS_GMM_MAX_K,
              .metavar = "K", .help = "clusters"},
    [GM_COVARIANCE] = {.name = "covariance", .type = HS_PARAM_CHOICE, .def = "full",
                       .choices = cov_choices, .metavar = "C",
                       .help = "each component's covariance: 'full', or 'diag' (no "
                               "correlations)"},
    [GM_STARTS] = {.name = "starts", .type = HS_PARAM_INT, .def = "5", .min = 1, .max = 1000,
                   .metavar = "S", .help = "k-means++ starts, the best kept"},
    [GM_SEED] = {.name = "seed", .type = HS_PARAM_SEED, .def = "0", .metavar = "S",
                 .help = "random seed"},
    [GM_TOL] = {.name = "tol", .type = HS_PARAM_REAL, .def = "0.001", .min = 0, .max = 1,
                .metavar = "T",
                .help = "convergence: change of the mean log-likelihood per event"},
    [GM_REG] = {.name = "reg", .type = HS_PARAM_REAL, .def = "1e-06", .min = 0, .max = 1,
                .metavar = "R", .help = "added to the diagonal of every covariance"},
    [GM_MAX_ITER] = {.name = "max-iter", .type = HS_PARAM_INT, .def = "100", .min = 1,
                     .max = 1e6, .metavar = "N", .help = "EM iterations per start at most"},
    [GM_N] = {.name = "n", .type = HS_PARAM_INT, .def = "0", .min = 0, .max = 1e12,
              .metavar = "N", .help = "events to fit, a subsample stratified by class and group "
                                      "(0 all)"},
    {0},
};

/* The scratch of one start at a time (starts.h's slot)... */
struct gmm_run {
    struct mix cur;
    double *seeds, *acc, *tot, *ll, *scratch, *L;
    double *block; /* em_rows' scratch, one per slot */
};

/* ...and what the starts of a round found, by their place in it (a run
 * may serve two starts of a round, when one thread claimed both). */
struct gmm_res {
    struct mix m;
    double bound; /* the start's last mean log-likelihood */
    size_t iters;
    bool converged;
};

struct gmm_state {
    struct hs_method_data d; /* the columns are borrowed */
    size_t k, starts, max_iter, stride;
    bool diag;
    double tol, reg;
    struct hs_embed_input in;
    uint64_t seed;
    size_t start;          /* starts done */
    bool prepared, finished;
    struct mix best;
    double best_bound;     /* the kept start's last mean log-likelihood */
    struct hs_gmm fit;     /* views into best once finished */
    double *scratch;       /* for the passes over every row of the data */
    size_t block_size;
    int slots;     /* the logical threads of every pass */
    struct gmm_run *runs;  /* one per start side by side (starts.h) */
    struct gmm_res *res;   /* as many */
    size_t nruns, round;   /* round: the first start of the round running */
};

static void
gmm_describe(const struct hs_params *p, char *buf, size_t size)
{
    snprintf(buf, size, "Gaussian mixture, k %zu, %s covariance, %zu start%s (k-means++)",
             hs_params_int(p, GM_K), cov_choices[hs_params_choice(p, GM_COVARIANCE)],
             hs_params_int(p, GM_STARTS), hs_params_int(p, GM_STARTS) == 1 ? "" : "s");
}

static void
gmm_free(void *state)
{
    struct gmm_state *s = state;

    if (!s)
        return;
    hs_embed_input_release(&s->in);
    mix_release(&s->best);
    for (size_t r = 0; s->runs && s->res && r < s->nruns; r++) {
        struct gmm_run *u = &s->runs[r];
        mix_release(&u->cur);
        hs_free(u->seeds);
        hs_free(u->acc);
        hs_free(u->tot);
        hs_free(u->ll);
        hs_free(u->scratch);
        hs_free(u->L);
        hs_free(u->block);
        mix_release(&s->res[r].m);
    }
    hs_free(s->runs);
    hs_free(s->res);
    hs_free(s->scratch);
    hs_free(s);
}

static int
gmm_alloc(const struct hs_params *p, const struct hs_method_data *d, void **state,
          struct hs_err *err)
{
    struct gmm_state *s;

    *state = NULL;
    if (d->nin < 1)
        return hs_err_set(err, HS_EUSAGE, "gmm needs at least one feature");
    s = hs_calloc(1, sizeof *s);
    if (!s)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    s->d = *d;
    s->k = hs_params_int(p, GM_K);
    s->diag = hs_params_choice(p, GM_COVARIANCE) == COV_DIAG;
    s->starts = hs_params_int(p, GM_STARTS);
    s->tol = hs_params_real(p, GM_TOL);
    s->reg = hs_params_real(p, GM_REG);
    s->max_iter = hs_params_int(p, GM_MAX_ITER);
    s->best_bound = -INFINITY;
    s->seed = hs_params_seed(p, GM_SEED);
    *state = s;
    return HS_OK;
}

static int
gmm_prepare(struct gmm_state *s, struct hs_err *err)
{
    int rc = hs_embed_input_init_columns(&s->in, &s->d, s->k, err);
    if (rc)
        return rc;
    size_t dim = s->in.dim, k = s->k, parts = hs_rowpass_parts(s->in.n);
    bool ok = true;
    s->prepared = true;
    s->stride = 1 + dim + (s->diag ? dim : dim * (dim + 1) / 2);
    /* Scratch for the passes over every row of the data. */
    size_t oparts = hs_rowpass_parts(s->d.n > s->in.n ? s->d.n : s->in.n);
    s->scratch = hs_malloc(oparts * (k + 2 * dim) * sizeof *s->scratch);
    s->slots = hs_rowpass_threads(s->d.threads);
    s->block_size = (3 * dim + k + 2) * HS_ROWPASS_BLOCK;
    s->nruns = hs_starts_slots(s->starts, s->d.threads);
    s->runs = hs_calloc(s->nruns, sizeof *s->runs);
    s->res = hs_calloc(s->nruns, sizeof *s->res);
    for (size_t r = 0; s->runs && s->res && r < s->nruns; r++) {
        struct gmm_run *u = &s->runs[r];
        u->seeds = hs_malloc(k * dim * sizeof *u->seeds);
        u->acc = hs_malloc(parts * k * s->stride * sizeof *u->acc);
        u->tot = hs_malloc(k * s->stride * sizeof *u->tot);
        u->ll = hs_malloc(parts * sizeof *u->ll);
        u->L = hs_malloc(dim * dim * sizeof *u->L);
        u->scratch = hs_malloc(parts * (k + 2 * dim) * sizeof *u->scratch);
        u->block = hs_malloc((size_t)s->slots * s->block_size * sizeof *u->block);
        ok = ok && u->seeds && u->acc && u->tot && u->ll && u->L && u->scratch && u->block &&
             mix_alloc(&u->cur, k, dim) && mix_alloc(&s->res[r].m, k, dim);
    }
    if (!ok || !s->runs || !s->res || !s->scratch || !mix_alloc(&s->best, k, dim))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    return HS_OK;
}

/* The sums of the pass just run, added in part order, become the new
 * parameters (centre: what the sums were taken about). */
static int
m_step(const struct gmm_state *s, struct gmm_run *u, const double *centre, struct hs_err *err)
{
    size_t dim = s->in.dim, k = s->k, parts = hs_rowpass_parts(s->in.n), st = s->stride;
    double wsum = 0;

    memset(u->tot, 0, k * st * sizeof *u->tot);
    for (size_t p = 0; p < parts; p++)
        for (size_t i = 0; i < k * st; i++)
            u->tot[i] += u->acc[p * k * st + i];
    /* The new means before centre (which may be cur's) changes. */
    double *mu = u->cur.mu;
    for (size_t q = 0; q < k; q++) {
        const double *t = u->tot + q * st;
        double nq = t[0] + 10 * DBL_EPSILON, *cov = u->cur.cov + q * dim * dim;
        double sh[512], *shift = dim <= 512 ? sh : u->L; /* u->L is free until factoring */
        for (size_t j = 0; j < dim; j++)
            shift[j] = t[1 + j] / nq;
        memset(cov, 0, dim * dim * sizeof *cov);
        const double *s2 = t + 1 + dim;
        for (size_t j = 0; j < dim; j++) {
            if (s->diag) {
                cov[j * dim + j] = s2[j] / nq - shift[j] * shift[j] + s->reg;
                continue;
            }
            for (size_t l = j; l < dim; l++) {
                double v = *s2++ / nq - shift[j] * shift[l];
                cov[j * dim + l] = cov[l * dim + j] = v;
            }
            cov[j * dim + j] += s->reg;
        }
        for (size_t j = 0; j < dim; j++)
            mu[q * dim + j] = centre[q * dim + j] + shift[j];
        u->cur.w[q] = nq;
        wsum += nq;
    }
    for (size_t q = 0; q < k; q++)
        u->cur.w[q] /= wsum;
    for (size_t q = 0; q < k; q++)
        if (!factor_one(&u->cur, q, dim, s->diag, u->L))
            return hs_err_set(err, HS_EDATA,
                              "gmm: the covariance of component %zu is not positive definite "
                              "(too few distinct events in it?): try a larger --reg or a "
                              "smaller --k",
                              q + 1);
    return HS_OK;
}

/* One start: seeding and EM, what it found into its run. */
static int
gmm_start(void *ctx, size_t start, size_t slot, const struct hs_task *task, struct hs_err *err)
{
    struct gmm_state *s = ctx;
    struct gmm_run *u = &s->runs[slot];
    size_t n = s->in.n, dim = s->in.dim, k = s->k, parts = hs_rowpass_parts(n);
    double span = 1.0 / (double)s->starts, base = (double)start * span;
    struct em_pass c = {.mode = EM_SEED, .in = &s->in, .dim = dim, .k = k, .stride = s->stride,
                        .diag = s->diag, .m = &u->cur, .seeds = u->seeds, .acc = u->acc,
                        .ll = u->ll, .scratch = u->scratch,
                        .block = u->block, .block_size = s->block_size, .slots = s->slots};
    struct hs_rowpass pass = {.n = n, .threads = s->slots, .fn = em_block, .ctx = &c,
                              .task = task, .what = "gmm", .base = base, .span = 0};
    double bound = -INFINITY;
    bool converged = false;
    struct hs_rng rng;
    size_t it;
    int rc;

    hs_rng_seed(&rng, hs_starts_seed(s->seed, start));
    if ((rc = hs_kmeans_plusplus(s->in.xt, n, dim, k, &rng, s->d.threads, u->seeds, NULL,
                                 task, base, 0.05 * span, err)))
        return rc;
    for (it = 1; it <= s->max_iter; it++) {
        memset(u->acc, 0, parts * k * s->stride * sizeof *u->acc);
        memset(u->ll, 0, parts * sizeof *u->ll);
        pass.base = base + span * (0.05 + 0.95 * (double)(it - 1) / (double)s->max_iter);
        if ((rc = hs_rowpass_run(&pass, err)))
            return rc;
        double prev = bound;
        if (c.mode == EM_ITER) {
            long double t = 0;
            for (size_t p = 0; p < parts; p++)
                t += u->ll[p];
            bound = (double)(t / n);
        }
        /* The sums were taken about the seeds, then about the means. */
        if ((rc = m_step(s, u, c.mode == EM_SEED ? u->seeds : u->cur.mu, err)))
            return rc;
        c.mode = EM_ITER;
        if (fabs(bound - prev) < s->tol) {
            converged = true;
            break;
        }
    }
    struct gmm_res *r = &s->res[start - s->round];
    mix_copy(&r->m, &u->cur, k, dim);
    r->bound = bound;
    r->iters = it <= s->max_iter ? it : s->max_iter;
    r->converged = converged;
    return HS_OK;
}

/* The kept mixture's log-likelihood over the fitted rows. */
static int
final_loglik(struct gmm_state *s, const struct hs_task *task, struct hs_err *err)
{
    size_t parts = hs_rowpass_parts(s->in.n);
    struct em_pass c = {.mode = EM_LL, .in = &s->in, .dim = s->in.dim, .k = s->k,
                        .stride = s->stride, .diag = s->diag, .m = &s->best,
                        .ll = s->runs[0].ll, .scratch = s->scratch, .block = s->runs[0].block,
                        .block_size = s->block_size, .slots = s->slots};
    struct hs_rowpass pass = {.n = s->in.n, .threads = s->slots, .fn = em_block,
                              .ctx = &c, .task = task, .what = "gmm", .base = 1, .span = 0};
    memset(c.ll, 0, parts * sizeof *c.ll);
    int rc = hs_rowpass_run(&pass, err);
    if (rc)
        return rc;
    long double t = 0;
    for (size_t p = 0; p < parts; p++)
        t += c.ll[p];
    s->fit = (struct hs_gmm){.k = s->k, .dim = s->in.dim, .diag = s->diag, .weight = s->best.w,
                             .mean = s->best.mu, .cov = s->best.cov, .loglik = (double)t,
                             .n = s->in.n, .iters = s->fit.iters,
                             .converged = s->fit.converged};
    return HS_OK;
}

static int
gmm_step(void *state, struct hs_method_status *st, const struct hs_task *task,
         struct hs_err *err)
{
    struct gmm_state *s = state;
    int rc;

    memset(st, 0, sizeof *st);
    if (!s->prepared) {
        if (hs_task_cancelled(task))
            return hs_err_set(err, HS_ECANCELLED, "gmm cancelled");
        if ((rc = gmm_prepare(s, err)))
            return rc;
    }
    if (s->start < s->starts) {
        struct hs_starts run = {.starts = s->starts, .threads = s->d.threads, .run = gmm_start,
                                .ctx = s};
        size_t from = s->round = s->start;
        if ((rc = hs_starts_round(&run, &s->start, task, err)))
            return rc;
        /* The highest log-likelihood so far, the first start on a tie. */
        for (size_t t = from; t < s->start; t++) {
            const struct gmm_res *r = &s->res[t - from];
            if (r->bound > s->best_bound || t == 0) {
                s->best_bound = r->bound;
                mix_copy(&s->best, &r->m, s->k, s->in.dim);
                s->fit.iters = r->iters;
                s->fit.converged = r->converged;
            }
        }
    }
    if (s->start == s->starts && !s->finished) {
        if ((rc = final_loglik(s, task, err)))
            return rc;
        s->finished = true;
        /* From here on only the mean and sd are needed. */
        hs_free(s->in.xt);
        s->in.xt = NULL;
    }
    st->fraction = (double)s->start / (double)s->starts;
    st->done = s->finished;
    return HS_OK;
}

/* Probabilities and most probable components of every row of the data. */
static int
gmm_out(struct gmm_state *s, double *prob, long *ids, struct hs_err *err)
{
    struct em_pass c = {.mode = EM_OUT, .in = &s->in, .d = &s->d, .dim = s->in.dim, .k = s->k,
                        .stride = s->stride, .diag = s->diag, .m = &s->best,
                        .scratch = s->scratch, .prob = prob, .ids = ids};
    struct hs_rowpass pass = {.n = s->d.n, .threads = s->d.threads, .fn = em_block, .ctx = &c,
                              .what = "gmm: assignment"};
    return hs_rowpass_run(&pass, err);
}

static int
gmm_coords(void *state, double **out, size_t *dim, struct hs_err *err)
{
    struct gmm_state *s = state;

    *out = NULL;
    *dim = 0;
    if (!s->finished)
        return hs_err_set(err, HS_EDATA, "the gmm fit has not finished");
    double *o = hs_malloc_large((s->d.n ? s->d.n : 1) * s->k * sizeof *o);
    if (!o)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    int rc = gmm_out(s, o, NULL, err);
    if (rc) {
        hs_free(o);
        return rc;
    }
    *out = o;
    *dim = s->k;
    return HS_OK;
}

static int
gmm_clusters(void *state, long **out, struct hs_err *err)
{
    struct gmm_state *s = state;

    *out = NULL;
    if (!s->finished)
        return hs_err_set(err, HS_EDATA, "the gmm fit has not finished");
    long *o = hs_malloc_large((s->d.n ? s->d.n : 1) * sizeof *o);
    if (!o)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    int rc = gmm_out(s, NULL, o, err);
    if (rc) {
        hs_free(o);
        return rc;
    }
    *out = o;
    return HS_OK;
}

static void
gmm_report(void *state, struct hs_method_report *r)
{
    const struct gmm_state *s = state;
    size_t k = s->k, dim = s->in.dim ? s->in.dim : s->d.nin;

    memset(r, 0, sizeof *r);
    r->ntrain = s->in.n;
    r->loglik = s->finished ? s->fit.loglik : NAN;
    r->nfree = (k - 1) + k * dim + (s->diag ? k * dim : k * dim * (dim + 1) / 2);
    r->nepochs = 0;
    r->inertia = NAN;
    r->kl = NAN;
}

const struct hs_gmm *
hs_gmm_of(void *state)
{
    const struct gmm_state *s = state;
    return s && s->finished ? &s->fit : NULL;
}

const struct hs_method hs_method_gmm = {
    .name = "gmm",
    .summary = "Gaussian mixture of the standardised features by EM (k-means++ starts, full "
               "or diagonal covariances)",
    .params = gmm_params,
    .outputs = HS_METHOD_CLUSTER | HS_METHOD_COORDS,
    .supervised = false,
    .check = NULL,
    .describe = gmm_describe,
    .alloc = gmm_alloc,
    .step = gmm_step,
    .model = NULL,
    .coords = gmm_coords,
    .clusters = gmm_clusters,
    .report = gmm_report,
    .free = gmm_free,
};

/* kmeans.c: k-means++ and Lloyd's or Elkan's iterations (kmeans.h).
 *
 * Every sum over rows (the k-means++ potentials, the new centres, the
 * inertia, the rows that changed cluster) is kept per part of a row pass
 * (rowpass.h) and added in part order, so that a seed gives the same
 * clusters on any number of threads.  Elkan's bounds are updated lazily:
 * a pass first loosens each row's bounds by the centre shifts of the
 * iteration before, then assigns, so that an iteration is one pass over
 * the rows like Lloyd's.
 */
#include "config.h"

#include "kmeans.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "embed_input.h"
#include "mem.h"
#include "rowpass.h"

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

/* ---- k-means++ ---- */

enum kpp_mode { KPP_FIRST, KPP_TRIALS, KPP_UPDATE };

/* Candidates tried per centre at most (2 + ln 64 is 6). */
#define KPP_MAX_TRIALS 8

struct kpp_pass {
    enum kpp_mode mode;
    const double *x;
    size_t dim, ntrials;
    const double *cand; /* ntrials x dim (FIRST, UPDATE: the one centre) */
    double *d2;         /* n: squared distance to the nearest centre so far */
    double *pot;        /* parts x KPP_MAX_TRIALS (TRIALS), parts (FIRST, UPDATE) */
};

static int
kpp_block(void *ctx, size_t part, size_t lo, size_t hi)
{
    struct kpp_pass *c = ctx;
    size_t dim = c->dim;

    if (c->mode == KPP_TRIALS) {
        double acc[KPP_MAX_TRIALS] = {0};
        for (size_t i = lo; i < hi; i++)
            for (size_t t = 0; t < c->ntrials; t++) {
                double d = sqdist(c->x + i * dim, c->cand + t * dim, dim);
                acc[t] += d < c->d2[i] ? d : c->d2[i];
            }
        for (size_t t = 0; t < c->ntrials; t++)
            c->pot[part * KPP_MAX_TRIALS + t] += acc[t];
        return HS_OK;
    }
    double acc = 0;
    for (size_t i = lo; i < hi; i++) {
        double d = sqdist(c->x + i * dim, c->cand, dim);
        if (c->mode == KPP_FIRST || d < c->d2[i])
            c->d2[i] = d;
        acc += c->d2[i];
    }
    c->pot[part] += acc;
    return HS_OK;
}

/* The row where the cumulated d2 first reaches u (the last with a
 * positive d2 when rounding leaves u beyond the end), found through the
 * parts' sums. */
static size_t
kpp_draw(const double *d2, size_t n, const double *partpot, double u)
{
    size_t parts = hs_rowpass_parts(n), lo = 0, hi = 0, last = 0;
    double cum = 0;

    for (size_t p = 0; p < parts; p++) {
        hs_rowpass_range(n, p, &lo, &hi);
        if (cum + partpot[p] >= u || p + 1 == parts)
            break;
        cum += partpot[p];
    }
    for (size_t i = lo; i < hi; i++) {
        if (d2[i] > 0)
            last = i;
        cum += d2[i];
        if (cum >= u && d2[i] > 0)
            return i;
    }
    return last;
}

int
hs_kmeans_plusplus(const double *x, size_t n, size_t dim, size_t k, struct hs_rng *rng,
                   int threads, double *centres, size_t *idx, const struct hs_task *task,
                   double base, double span, struct hs_err *err)
{
    size_t parts = hs_rowpass_parts(n);
    size_t ntrials = 2 + (size_t)log((double)k);
    struct kpp_pass c = {.x = x, .dim = dim, .ntrials = ntrials};
    double *cand = hs_malloc(KPP_MAX_TRIALS * dim * sizeof *cand);
    size_t ids[KPP_MAX_TRIALS];
    int rc = HS_OK;

    c.d2 = hs_malloc_large(n * sizeof *c.d2);
    c.pot = hs_malloc(parts * KPP_MAX_TRIALS * sizeof *c.pot);
    if (!cand || !c.d2 || !c.pot) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    struct hs_rowpass pass = {.n = n, .threads = threads, .fn = kpp_block, .ctx = &c,
                              .task = task, .what = "k-means++", .base = base, .span = 0};
    size_t first = (size_t)hs_rng_below(rng, n);
    memcpy(centres, x + first * dim, dim * sizeof *centres);
    if (idx)
        idx[0] = first;
    c.mode = KPP_FIRST;
    c.cand = centres;
    memset(c.pot, 0, parts * sizeof *c.pot);
    if ((rc = hs_rowpass_run(&pass, err)))
        goto done;
    for (size_t m = 1; m < k; m++) {
        double total = 0;
        for (size_t p = 0; p < parts; p++)
            total += c.pot[p];
        for (size_t t = 0; t < ntrials; t++) {
            ids[t] = kpp_draw(c.d2, n, c.pot, hs_rng_unit(rng) * total);
            memcpy(cand + t * dim, x + ids[t] * dim, dim * sizeof *cand);
        }
        c.mode = KPP_TRIALS;
        c.cand = cand;
        memset(c.pot, 0, parts * KPP_MAX_TRIALS * sizeof *c.pot);
        pass.base = base + span * (double)m / (double)k;
        if ((rc = hs_rowpass_run(&pass, err)))
            goto done;
        size_t best = 0;
        double bestpot = INFINITY;
        for (size_t t = 0; t < ntrials; t++) {
            double s = 0;
            for (size_t p = 0; p < parts; p++)
                s += c.pot[p * KPP_MAX_TRIALS + t];
            if (s < bestpot) {
                bestpot = s;
                best = t;
            }
        }
        memcpy(centres + m * dim, cand + best * dim, dim * sizeof *centres);
        if (idx)
            idx[m] = ids[best];
        c.mode = KPP_UPDATE;
        c.cand = centres + m * dim;
        memset(c.pot, 0, parts * sizeof *c.pot);
        if ((rc = hs_rowpass_run(&pass, err)))
            goto done;
    }
done:
    hs_free(cand);
    hs_free(c.d2);
    hs_free(c.pot);
    return rc;
}

/* ---- Lloyd's and Elkan's iterations ---- */

struct iter_pass {
    const double *x;
    size_t dim, k;
    bool elkan, first; /* first: Elkan's bounds are not set yet */
    const double *centres; /* k x dim */
    int32_t *label;        /* n */
    double *sums;          /* parts x k x dim */
    double *counts;        /* parts x k */
    double *inertia;       /* parts (Lloyd, and the final pass) */
    size_t *changed;       /* parts */
    /* Elkan */
    double *upper, *lower; /* n, n x k: bounds on distances (not squared) */
    const double *cc;      /* k x k centre distances */
    const double *halfmin; /* k: half the distance to the nearest other centre */
    const double *shift;   /* k: how far each centre moved last iteration */
};

static void
add_row(struct iter_pass *c, size_t part, size_t a, const double *r)
{
    double *s = c->sums + (part * c->k + a) * c->dim;
    for (size_t j = 0; j < c->dim; j++)
        s[j] += r[j];
    c->counts[part * c->k + a] += 1;
}

static int
lloyd_block(void *ctx, size_t part, size_t lo, size_t hi)
{
    struct iter_pass *c = ctx;
    double acc = 0;

    for (size_t i = lo; i < hi; i++) {
        const double *r = c->x + i * c->dim;
        double d2;
        size_t a = hs_kmeans_nearest(c->centres, c->k, c->dim, r, &d2);
        if (c->label[i] != (int32_t)a) {
            c->changed[part]++;
            c->label[i] = (int32_t)a;
        }
        acc += d2;
        if (c->sums)
            add_row(c, part, a, r);
    }
    c->inertia[part] += acc;
    return HS_OK;
}

static int
elkan_block(void *ctx, size_t part, size_t lo, size_t hi)
{
    struct iter_pass *c = ctx;
    size_t k = c->k, dim = c->dim;

    for (size_t i = lo; i < hi; i++) {
        const double *r = c->x + i * dim;
        double *l = c->lower + i * k;
        size_t a;
        if (c->first) {
            a = 0;
            for (size_t m = 0; m < k; m++) {
                l[m] = sqrt(sqdist(r, c->centres + m * dim, dim));
                if (l[m] < l[a])
                    a = m;
            }
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
                        u = l[a] = sqrt(sqdist(r, c->centres + a * dim, dim));
                        tight = true;
                        if (u <= l[m] || u <= 0.5 * c->cc[a * k + m])
                            continue;
                    }
                    double dm = l[m] = sqrt(sqdist(r, c->centres + m * dim, dim));
                    if (dm < u || (dm == u && m < a)) {
                        a = m;
                        u = dm;
                    }
                }
            }
            c->upper[i] = u;
        }
        if (c->label[i] != (int32_t)a) {
            c->changed[part]++;
            c->label[i] = (int32_t)a;
        }
        add_row(c, part, a, r);
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

struct km_state {
    struct hs_method_data d; /* the columns are borrowed */
    size_t k, starts, max_iter;
    uint64_t seed;
    bool elkan;
    double tol;
    double tol_abs;   /* tol times the mean feature variance of the fitted rows */
    struct hs_embed_input in;
    struct hs_rng rng;
    size_t start;     /* starts done */
    double *centres;  /* k x dim: the best start's */
    double inertia;   /* of the best start */
    size_t iters;     /* of the best start */
    /* scratch of a start */
    double *cur, *sums, *counts, *inert, *cc, *halfmin, *shift, *upper, *lower;
    size_t *changed;
    int32_t *label;
};

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
    hs_free(s->centres);
    hs_free(s->cur);
    hs_free(s->sums);
    hs_free(s->counts);
    hs_free(s->inert);
    hs_free(s->cc);
    hs_free(s->halfmin);
    hs_free(s->shift);
    hs_free(s->upper);
    hs_free(s->lower);
    hs_free(s->changed);
    hs_free(s->label);
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
    hs_rng_seed(&s->rng, s->seed);
    *state = s;
    return HS_OK;
}

/* The mean variance of the features of the fitted rows: tol's unit. */
static double
mean_variance(const struct hs_embed_input *in)
{
    long double t = 0;
    for (size_t j = 0; j < in->dim; j++) {
        long double s = 0, q = 0;
        for (size_t i = 0; i < in->n; i++)
            s += in->x[i * in->dim + j];
        long double m = s / in->n;
        for (size_t i = 0; i < in->n; i++) {
            long double e = in->x[i * in->dim + j] - m;
            q += e * e;
        }
        t += q / in->n;
    }
    return (double)(t / in->dim);
}

/* The fitted rows and the scratch of a start, on the first step. */
static int
km_prepare(struct km_state *s, struct hs_err *err)
{
    int rc = hs_embed_input_init(&s->in, &s->d, s->k, err);
    if (rc)
        return rc;
    size_t n = s->in.n, dim = s->in.dim, k = s->k, parts = hs_rowpass_parts(n);
    s->centres = hs_malloc(k * dim * sizeof *s->centres);
    s->cur = hs_malloc(k * dim * sizeof *s->cur);
    s->sums = hs_malloc(parts * k * dim * sizeof *s->sums);
    s->counts = hs_malloc(parts * k * sizeof *s->counts);
    s->inert = hs_malloc(parts * sizeof *s->inert);
    s->changed = hs_malloc(parts * sizeof *s->changed);
    s->cc = hs_malloc(k * k * sizeof *s->cc);
    s->halfmin = hs_malloc(k * sizeof *s->halfmin);
    s->shift = hs_malloc(k * sizeof *s->shift);
    s->label = hs_malloc_large(n * sizeof *s->label);
    if (s->elkan) {
        s->upper = hs_malloc_large(n * sizeof *s->upper);
        s->lower = hs_malloc_large(n * k * sizeof *s->lower);
    }
    if (!s->centres || !s->cur || !s->sums || !s->counts || !s->inert || !s->changed ||
        !s->cc || !s->halfmin || !s->shift || !s->label || (s->elkan && (!s->upper || !s->lower)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    s->tol_abs = s->tol * mean_variance(&s->in);
    return HS_OK;
}

/* Centre and bound figures Elkan's pass needs. */
static void
centre_distances(struct km_state *s)
{
    size_t k = s->k, dim = s->in.dim;
    for (size_t a = 0; a < k; a++) {
        s->halfmin[a] = INFINITY;
        for (size_t b = 0; b < k; b++) {
            double d = a == b ? 0 : sqrt(sqdist(s->cur + a * dim, s->cur + b * dim, dim));
            s->cc[a * k + b] = d;
            if (b != a && 0.5 * d < s->halfmin[a])
                s->halfmin[a] = 0.5 * d;
        }
    }
}

/* Empty clusters take, in turn, the fitted row farthest from its centre
 * (the first on a tie) that no other empty cluster took. */
static void
relocate_empty(struct km_state *s, const double *counts, double *newc)
{
    size_t n = s->in.n, dim = s->in.dim, taken[HS_KMEANS_MAX_K], ntaken = 0;
    for (size_t c = 0; c < s->k; c++) {
        if (counts[c] > 0)
            continue;
        size_t far = 0;
        double fd = -1;
        for (size_t i = 0; i < n; i++) {
            double d = sqdist(s->in.x + i * dim, s->cur + (size_t)s->label[i] * dim, dim);
            bool was = false;
            for (size_t t = 0; t < ntaken; t++)
                was = was || taken[t] == i;
            if (!was && d > fd) {
                fd = d;
                far = i;
            }
        }
        taken[ntaken++] = far;
        memcpy(newc + c * dim, s->in.x + far * dim, dim * sizeof *newc);
    }
}

/* One start: seeding, iterations, the final assignment and inertia. */
static int
km_start(struct km_state *s, const struct hs_task *task, struct hs_err *err)
{
    size_t n = s->in.n, dim = s->in.dim, k = s->k, parts = hs_rowpass_parts(n);
    double span = 1.0 / (double)s->starts, base = (double)s->start * span;
    double tol = s->tol_abs;
    int threads = s->d.threads;
    int rc;

    if ((rc = hs_kmeans_plusplus(s->in.x, n, dim, k, &s->rng, threads, s->cur, NULL, task, base,
                                 0.2 * span, err)))
        return rc;
    for (size_t i = 0; i < n; i++)
        s->label[i] = -1;
    struct iter_pass c = {.x = s->in.x, .dim = dim, .k = k, .elkan = s->elkan, .first = true,
                          .centres = s->cur, .label = s->label, .sums = s->sums,
                          .counts = s->counts, .inertia = s->inert, .changed = s->changed,
                          .upper = s->upper, .lower = s->lower, .cc = s->cc,
                          .halfmin = s->halfmin, .shift = s->shift};
    struct hs_rowpass pass = {.n = n, .threads = threads, .fn = s->elkan ? elkan_block
                                                                         : lloyd_block,
                              .ctx = &c, .task = task, .what = "k-means", .span = 0};
    double newc[HS_KMEANS_MAX_K * 64], *nc = dim <= 64 ? newc : NULL, counts[HS_KMEANS_MAX_K];
    bool strict = false;
    size_t it;

    if (!nc && !(nc = hs_malloc(k * dim * sizeof *nc)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (it = 0; it < s->max_iter; it++) {
        memset(s->sums, 0, parts * k * dim * sizeof *s->sums);
        memset(s->counts, 0, parts * k * sizeof *s->counts);
        memset(s->inert, 0, parts * sizeof *s->inert);
        memset(s->changed, 0, parts * sizeof *s->changed);
        if (s->elkan)
            centre_distances(s);
        pass.base = base + span * (0.2 + 0.7 * (1 - 1 / (1 + (double)it / 20)));
        if ((rc = hs_rowpass_run(&pass, err)))
            goto done;
        c.first = false;
        size_t changed = 0;
        for (size_t p = 0; p < parts; p++)
            changed += s->changed[p];
        for (size_t m = 0; m < k; m++) {
            double cnt = 0;
            for (size_t p = 0; p < parts; p++)
                cnt += s->counts[p * k + m];
            counts[m] = cnt;
            for (size_t j = 0; j < dim; j++) {
                double t = 0;
                for (size_t p = 0; p < parts; p++)
                    t += s->sums[(p * k + m) * dim + j];
                nc[m * dim + j] = cnt > 0 ? t / cnt : 0;
            }
        }
        relocate_empty(s, counts, nc);
        double shift_tot = 0;
        for (size_t m = 0; m < k; m++) {
            double d2 = sqdist(nc + m * dim, s->cur + m * dim, dim);
            s->shift[m] = sqrt(d2);
            shift_tot += d2;
        }
        memcpy(s->cur, nc, k * dim * sizeof *nc);
        if (changed == 0) {
            strict = true;
            break;
        }
        if (shift_tot <= tol)
            break;
    }
    (void)strict;
    /* The final assignment to the final centres, and its inertia. */
    memset(s->inert, 0, parts * sizeof *s->inert);
    memset(s->changed, 0, parts * sizeof *s->changed);
    c.sums = NULL;
    pass.fn = lloyd_block;
    pass.base = base + 0.95 * span;
    if ((rc = hs_rowpass_run(&pass, err)))
        goto done;
    double inertia = 0;
    for (size_t p = 0; p < parts; p++)
        inertia += s->inert[p];
    if (inertia < s->inertia) {
        s->inertia = inertia;
        s->iters = it < s->max_iter ? it + 1 : it;
        memcpy(s->centres, s->cur, k * dim * sizeof *s->cur);
    }
done:
    if (nc != newc)
        hs_free(nc);
    return rc;
}

static int
km_step(void *state, struct hs_method_status *st, const struct hs_task *task,
        struct hs_err *err)
{
    struct km_state *s = state;
    int rc;

    memset(st, 0, sizeof *st);
    if (s->start == 0 && !s->label) {
        if (hs_task_cancelled(task))
            return hs_err_set(err, HS_ECANCELLED, "kmeans cancelled");
        if ((rc = km_prepare(s, err)))
            return rc;
    }
    if (s->start < s->starts) {
        if ((rc = km_start(s, task, err)))
            return rc;
        if (++s->start == s->starts) {
            /* From here on only the mean and sd are needed. */
            hs_free(s->in.x);
            s->in.x = NULL;
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

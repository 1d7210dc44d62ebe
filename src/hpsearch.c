/* hpsearch.c: random search, the tree-structured Parzen estimator and
 * successive halving (hpsearch.h). */
#include "config.h"

#include "hpsearch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "rng.h"

const char *const hs_hp_strategy_names[] = {"random", "tpe", "halving", NULL};

void
hs_hp_opts_default(struct hs_hp_opts *o)
{
    memset(o, 0, sizeof *o);
    o->strategy = HS_HP_TPE;
    o->trials = 30;
    o->startup = 10;
    o->gamma = 0.25;
    o->candidates = 24;
    o->prior_weight = 1;
    o->eta = 3;
}

const char *
hs_hp_status_name(enum hs_hp_status s)
{
    return s == HS_HP_OK ? "ok" : s == HS_HP_FAILED ? "failed" : "cancelled";
}

void
hs_hp_result_release(struct hs_hp_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n; i++)
        hs_free(res->trials[i].x);
    hs_free(res->trials);
    memset(res, 0, sizeof *res);
    res->best = -1;
}

/* Is trial a ranked above trial b: a higher validation AUC, failures
 * last, the earlier on a tie (so that the order is total). */
static bool
ranks_above(const struct hs_hp_trial *a, const struct hs_hp_trial *b)
{
    bool ga = a->status == HS_HP_OK && !isnan(a->val_auc);
    bool gb = b->status == HS_HP_OK && !isnan(b->val_auc);

    if (ga != gb)
        return ga;
    if (ga && a->val_auc != b->val_auc)
        return a->val_auc > b->val_auc;
    return a->number < b->number;
}

static int
cmp_rank(const void *pa, const void *pb)
{
    const struct hs_hp_trial *a = *(const struct hs_hp_trial *const *)pa;
    const struct hs_hp_trial *b = *(const struct hs_hp_trial *const *)pb;

    return ranks_above(a, b) ? -1 : ranks_above(b, a) ? 1 : 0;
}

/* ---- the Parzen estimators ---------------------------------------------- */

static double
gauss(struct hs_rng *rng)
{
    /* Box-Muller; u1 in (0, 1] keeps the log finite. */
    double u1 = 1.0 - hs_rng_unit(rng), u2 = hs_rng_unit(rng);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

static double
norm_cdf(double z)
{
    return 0.5 * erfc(-z / M_SQRT2);
}

/* A mixture of Gaussians truncated to [lo, hi]: kernel k has mean mu[k],
 * sd sigma[k] and weight w[k] (summing to 1). */
struct parzen {
    size_t n;
    double *mu, *sigma, *w;
    double lo, hi;
};

static int
cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* Hyperopt's adaptive Parzen estimator: the observations and the prior
 * (the middle of the range, sd the whole range, weight prior_weight);
 * each kernel's sd the larger gap to its neighbours (the bounds at the
 * ends), clipped to [range / min(100, 1 + n), range]. */
static int
parzen_build(struct parzen *p, const double *obs, size_t nobs, double lo, double hi,
             double prior_weight)
{
    size_t n = nobs + 1, prior;
    double range = hi - lo, minsig = range / fmin(100.0, 1.0 + (double)nobs), total;

    memset(p, 0, sizeof *p);
    p->lo = lo;
    p->hi = hi;
    p->mu = hs_malloc(n * sizeof *p->mu);
    p->sigma = hs_malloc(n * sizeof *p->sigma);
    p->w = hs_malloc(n * sizeof *p->w);
    if (!p->mu || !p->sigma || !p->w)
        return HS_ENOMEM;
    p->n = n;
    memcpy(p->mu, obs, nobs * sizeof *obs);
    qsort(p->mu, nobs, sizeof *p->mu, cmp_double);
    /* The prior goes in its sorted place, as Hyperopt inserts it. */
    prior = 0;
    while (prior < nobs && p->mu[prior] < 0.5 * (lo + hi))
        prior++;
    memmove(p->mu + prior + 1, p->mu + prior, (nobs - prior) * sizeof *p->mu);
    p->mu[prior] = 0.5 * (lo + hi);
    for (size_t k = 0; k < n; k++) {
        double left = k > 0 ? p->mu[k] - p->mu[k - 1] : p->mu[k] - lo;
        double right = k + 1 < n ? p->mu[k + 1] - p->mu[k] : hi - p->mu[k];
        double s = fmax(left, right);
        p->sigma[k] = k == prior ? range : fmin(fmax(s, minsig), range);
        p->w[k] = k == prior ? prior_weight : 1.0;
    }
    total = prior_weight + (double)nobs;
    for (size_t k = 0; k < n; k++)
        p->w[k] /= total;
    return HS_OK;
}

static void
parzen_release(struct parzen *p)
{
    hs_free(p->mu);
    hs_free(p->sigma);
    hs_free(p->w);
    memset(p, 0, sizeof *p);
}

static double
parzen_log_pdf(const struct parzen *p, double x)
{
    double s = 0;

    for (size_t k = 0; k < p->n; k++) {
        double z = (x - p->mu[k]) / p->sigma[k];
        double mass = norm_cdf((p->hi - p->mu[k]) / p->sigma[k]) -
                      norm_cdf((p->lo - p->mu[k]) / p->sigma[k]);
        if (mass <= 0)
            continue;
        s += p->w[k] * exp(-0.5 * z * z) / (p->sigma[k] * sqrt(2 * M_PI) * mass);
    }
    return s > 0 ? log(s) : -INFINITY;
}

static double
parzen_draw(const struct parzen *p, struct hs_rng *rng)
{
    double u = hs_rng_unit(rng), c = 0;
    size_t k = 0;

    for (; k + 1 < p->n; k++) {
        c += p->w[k];
        if (u < c)
            break;
    }
    /* Every kernel's mean lies in the range, so at least about a third
     * of its draws land there; the cap only guards a degenerate range. */
    for (int tries = 0; tries < 1000; tries++) {
        double x = p->mu[k] + p->sigma[k] * gauss(rng);
        if (x >= p->lo && x <= p->hi)
            return x;
    }
    return p->mu[k];
}

/* A range's value in the space the estimator works in: log for a log
 * range, whole numbers spread over [k - 1/2, k + 1/2]. */
static void
dim_bounds(const struct hs_hp_dim *d, double *lo, double *hi)
{
    double a = d->lo, b = d->hi;

    if (d->integer) {
        a -= 0.5;
        b += 0.5;
        if (d->kind == HS_HP_LOG && a <= 0)
            a = d->lo;
    }
    *lo = d->kind == HS_HP_LOG ? log(a) : a;
    *hi = d->kind == HS_HP_LOG ? log(b) : b;
}

static double
to_internal(const struct hs_hp_dim *d, double x)
{
    return d->kind == HS_HP_LOG ? log(x) : x;
}

static double
from_internal(const struct hs_hp_dim *d, double y)
{
    return hs_hp_round(d, d->kind == HS_HP_LOG ? exp(y) : y);
}

/* One numeric dimension's TPE draw from the good and bad values. */
static int
tpe_numeric(const struct hs_hp_dim *d, const double *good, size_t ng, const double *bad,
            size_t nb, const struct hs_hp_opts *o, struct hs_rng *rng, double *out)
{
    struct parzen l, g;
    double lo, hi, best = -INFINITY, bx = NAN;
    int rc = HS_OK;

    dim_bounds(d, &lo, &hi);
    if (parzen_build(&l, good, ng, lo, hi, o->prior_weight) ||
        parzen_build(&g, bad, nb, lo, hi, o->prior_weight)) {
        rc = HS_ENOMEM;
        goto done;
    }
    for (size_t c = 0; c < o->candidates; c++) {
        double y = parzen_draw(&l, rng);
        double score = parzen_log_pdf(&l, y) - parzen_log_pdf(&g, y);
        if (isnan(bx) || score > best) {
            best = score;
            bx = y;
        }
    }
    *out = from_internal(d, bx);
done:
    parzen_release(&l);
    parzen_release(&g);
    return rc;
}

/* A choice: the counts of each side plus the prior spread evenly. */
static int
tpe_choice(const struct hs_hp_dim *d, const double *good, size_t ng, const double *bad, size_t nb,
           const struct hs_hp_opts *o, struct hs_rng *rng, double *out)
{
    size_t k = d->nchoices;
    double *lw = hs_calloc(2 * k, sizeof *lw), *gw, best = -INFINITY, lt = 0;
    long bi = -1;

    if (!lw)
        return HS_ENOMEM;
    gw = lw + k;
    for (size_t i = 0; i < k; i++)
        lw[i] = gw[i] = o->prior_weight / (double)k;
    for (size_t i = 0; i < ng; i++)
        lw[(size_t)good[i]] += 1;
    for (size_t i = 0; i < nb; i++)
        gw[(size_t)bad[i]] += 1;
    for (size_t i = 0; i < k; i++)
        lt += lw[i];
    for (size_t c = 0; c < o->candidates; c++) {
        double u = hs_rng_unit(rng) * lt, acc = 0, score;
        size_t i = 0;
        for (; i + 1 < k; i++) {
            acc += lw[i];
            if (u < acc)
                break;
        }
        /* The normalising sums are the same for every candidate. */
        score = log(lw[i] / (ng + o->prior_weight)) - log(gw[i] / (nb + o->prior_weight));
        if (bi < 0 || score > best) {
            best = score;
            bi = (long)i;
        }
    }
    *out = (double)bi;
    hs_free(lw);
    return HS_OK;
}

/* The next TPE point from the trials so far (at least one). */
static int
tpe_propose(const struct hs_hp_space *sp, const struct hs_hp_opts *o,
            const struct hs_hp_result *res, struct hs_rng *rng, double *x)
{
    size_t n = res->n, ng;
    const struct hs_hp_trial **order = hs_malloc(n * sizeof *order);
    double *good = hs_malloc(n * sizeof *good), *bad = hs_malloc(n * sizeof *bad);
    int rc = HS_OK;

    if (!order || !good || !bad) {
        rc = HS_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = &res->trials[i];
    qsort(order, n, sizeof *order, cmp_rank);
    ng = (size_t)ceil(o->gamma * (double)n);
    if (ng < 1)
        ng = 1;
    if (ng > n)
        ng = n;
    for (size_t d = 0; d < sp->n && rc == HS_OK; d++) {
        const struct hs_hp_dim *dim = &sp->dims[d];
        for (size_t i = 0; i < n; i++) {
            double v = dim->kind == HS_HP_CHOICE ? order[i]->x[d] : to_internal(dim, order[i]->x[d]);
            if (i < ng)
                good[i] = v;
            else
                bad[i - ng] = v;
        }
        rc = dim->kind == HS_HP_CHOICE ? tpe_choice(dim, good, ng, bad, n - ng, o, rng, &x[d])
                                       : tpe_numeric(dim, good, ng, bad, n - ng, o, rng, &x[d]);
    }
done:
    hs_free(order);
    hs_free(good);
    hs_free(bad);
    return rc;
}

/* ---- the search ---------------------------------------------------------- */

void
hs_hp_halving_plan(size_t n, size_t max_budget, size_t eta, size_t *nrungs, size_t *size,
                   size_t *budget)
{
    size_t s = 0, pn = eta, pb = eta;

    /* s promotions: as many as both the configurations and the budget
     * allow (each rung has at least one, each budget at least 1). */
    while (pn <= n && pb <= max_budget && s < 40) {
        s++;
        pn *= eta;
        pb *= eta;
    }
    for (size_t k = 0; k <= s; k++) {
        double scale = pow((double)eta, (double)(s - k));
        size_t b = (size_t)llround((double)max_budget / scale);
        size[k] = (size_t)floor((double)n / pow((double)eta, (double)k));
        budget[k] = b < 1 ? 1 : b;
    }
    *nrungs = s + 1;
}

struct runner {
    const struct hs_hp_space *sp;
    const struct hs_hp_opts *o;
    hs_hp_run_fn run;
    void *user;
    struct hs_hp_result *res;
    const struct hs_task *task;
    double spent;
    size_t planned;
};

/* Run one trial with values x (copied); 1 when the search must stop
 * (cancelled or out of time), 0 to go on, or an error. */
static int
run_one(struct runner *r, const double *x, size_t budget, size_t rung, struct hs_err *err)
{
    struct hs_hp_result *res = r->res;
    struct hs_hp_trial t = {0}, *grown;
    char what[128];
    int rc;

    if (hs_task_cancelled(r->task)) {
        res->cancelled = true;
        return 1;
    }
    if (r->o->time_budget > 0 && r->spent >= r->o->time_budget) {
        res->out_of_time = true;
        return 1;
    }
    if (!(t.x = hs_malloc((r->sp->n + 1) * sizeof *t.x)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    memcpy(t.x, x, r->sp->n * sizeof *x);
    t.number = res->n + 1;
    t.budget = budget;
    t.rung = rung;
    t.val_auc = t.test_auc = t.seconds = NAN;
    t.status = HS_HP_OK;
    snprintf(what, sizeof what, "trial %zu of %zu", t.number, r->planned);
    hs_task_progress(r->task, (double)res->n / (double)r->planned, what);
    rc = r->run(r->user, &t, r->task, err);
    if (rc == HS_ECANCELLED) {
        hs_err_clear(err);
        hs_free(t.x);
        res->cancelled = true;
        return 1;
    }
    if (rc) {
        hs_free(t.x);
        return rc;
    }
    if (!(grown = hs_realloc(res->trials, (res->n + 1) * sizeof *grown))) {
        hs_free(t.x);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    res->trials = grown;
    res->trials[res->n++] = t;
    if (isfinite(t.seconds) && t.seconds > 0)
        r->spent += t.seconds;
    if (t.status == HS_HP_OK && !isnan(t.val_auc) &&
        (res->best < 0 || ranks_above(&t, &res->trials[res->best])))
        res->best = (long)res->n - 1;
    /* What a front end's progress line shows between trials: the last
     * one's figure and the best so far. */
    if (res->best >= 0)
        snprintf(what, sizeof what, "trial %zu of %zu: val AUC %.4f, best %.4f (trial %zu)",
                 t.number, r->planned, t.val_auc, res->trials[res->best].val_auc,
                 res->trials[res->best].number);
    else
        snprintf(what, sizeof what, "trial %zu of %zu: %s", t.number, r->planned,
                 hs_hp_status_name(t.status));
    hs_task_progress(r->task, (double)res->n / (double)r->planned, what);
    return 0;
}

static int
search_flat(struct runner *r, struct hs_rng *rng, double *x, struct hs_err *err)
{
    const struct hs_hp_opts *o = r->o;
    int rc = 0;

    for (size_t i = 0; i < o->trials && rc == 0; i++) {
        /* TPE needs a good and a bad side with a value each: a trial
         * that succeeded among the trials so far. */
        bool model = o->strategy == HS_HP_TPE && i >= o->startup && r->res->best >= 0;
        if (model) {
            int prc = tpe_propose(r->sp, o, r->res, rng, x);
            if (prc)
                return hs_err_set(err, HS_ENOMEM, "out of memory");
        } else {
            for (size_t d = 0; d < r->sp->n; d++)
                x[d] = hs_hp_draw_prior(&r->sp->dims[d], rng);
        }
        rc = run_one(r, x, 0, 0, err);
    }
    return rc < 0 ? rc : HS_OK;
}

static int
search_halving(struct runner *r, struct hs_rng *rng, struct hs_err *err)
{
    const struct hs_hp_opts *o = r->o;
    size_t nrungs, size[64], budget[64], n = 0;
    const struct hs_hp_trial **order = NULL;
    double *configs = NULL;
    size_t dim = r->sp->n;
    int rc = 0;

    hs_hp_halving_plan(o->trials, o->max_budget, o->eta, &nrungs, size, budget);
    r->planned = 0;
    for (size_t k = 0; k < nrungs; k++)
        r->planned += size[k];
    if (!(configs = hs_malloc((o->trials * dim + 1) * sizeof *configs)) ||
        !(order = hs_malloc((o->trials + 1) * sizeof *order))) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < o->trials; i++)
        for (size_t d = 0; d < dim; d++)
            configs[i * dim + d] = hs_hp_draw_prior(&r->sp->dims[d], rng);
    n = o->trials;
    for (size_t k = 0; k < nrungs && rc == 0; k++) {
        size_t first = r->res->n, ran, keep;
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = run_one(r, configs + i * dim, budget[k], k, err);
        if (rc || k + 1 == nrungs)
            break;
        /* The best 1/eta of this rung, in rank order, go on. */
        ran = r->res->n - first;
        for (size_t i = 0; i < ran; i++)
            order[i] = &r->res->trials[first + i];
        qsort(order, ran, sizeof *order, cmp_rank);
        keep = size[k + 1] < ran ? size[k + 1] : ran;
        for (size_t i = 0; i < keep; i++)
            memcpy(configs + i * dim, order[i]->x, dim * sizeof *configs);
        n = keep;
    }
done:
    hs_free(configs);
    hs_free(order);
    return rc < 0 ? rc : HS_OK;
}

int
hs_hp_search(const struct hs_hp_space *sp, const struct hs_hp_opts *o, hs_hp_run_fn run,
             void *user, struct hs_hp_result *res, const struct hs_task *task,
             struct hs_err *err)
{
    struct runner r = {sp, o, run, user, res, task, 0, o->trials};
    struct hs_rng rng;
    double *x;
    int rc;

    memset(res, 0, sizeof *res);
    res->best = -1;
    if (o->trials < 1)
        return hs_err_set(err, HS_EUSAGE, "a search needs at least one trial");
    if (o->strategy == HS_HP_HALVING && (o->eta < 2 || o->max_budget < 1))
        return hs_err_set(err, HS_EUSAGE, "successive halving needs eta >= 2 and a budget");
    if (o->strategy == HS_HP_TPE && (!(o->gamma > 0 && o->gamma < 1) || o->candidates < 1))
        return hs_err_set(err, HS_EUSAGE, "TPE needs 0 < gamma < 1 and a candidate");
    if (!(x = hs_malloc((sp->n + 1) * sizeof *x)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    hs_rng_seed(&rng, o->seed);
    rc = o->strategy == HS_HP_HALVING ? search_halving(&r, &rng, err)
                                      : search_flat(&r, &rng, x, err);
    hs_free(x);
    if (rc == HS_OK)
        hs_task_progress(task, 1, "search done");
    return rc;
}

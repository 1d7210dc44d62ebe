#include "config.h"

#include "featstats.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gram.h"
#include "mem.h"
#include "par.h"

const double hs_quantile_levels[HS_NQUANT] = {0.05, 0.25, 0.50, 0.75, 0.95};

struct scored {
    double x, w;
    uint64_t key; /* x's bits, flipped so that they sort as unsigned numbers */
    int sig;
};

static int
cmp_scored(const void *a, const void *b)
{
    double x = ((const struct scored *)a)->x, y = ((const struct scored *)b)->x;
    return (x > y) - (x < y);
}

static uint64_t
sort_key(double x)
{
    uint64_t u;

    memcpy(&u, &x, sizeof u);
    return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

/* Sort e[0..m) by value: a radix sort, a byte at a time from the lowest,
 * skipping the bytes all keys share.  `features` sorts every feature's
 * events (for the quantiles and the AUC); with 20,000 features qsort's
 * calls through a comparison were most of the time.  Small arrays, or no
 * scratch memory, go to qsort. */
static void
sort_scored(struct scored *e, size_t m)
{
    struct scored *tmp, *from = e, *to;
    size_t count[256];

    if (m < 64 || !(tmp = hs_malloc(m * sizeof *tmp))) {
        qsort(e, m, sizeof *e, cmp_scored);
        return;
    }
    to = tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t sum = 0;
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < m; i++)
            count[(from[i].key >> shift) & 0xff]++;
        if (count[(from[0].key >> shift) & 0xff] == m)
            continue;
        for (int b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < m; i++)
            to[count[(from[i].key >> shift) & 0xff]++] = from[i];
        to = from;
        from = from == e ? tmp : e;
    }
    if (from != e)
        memcpy(e, from, m * sizeof *e);
    hs_free(tmp);
}

/* The events of v that have a value and a class, sorted by value. */
static int
sorted_events(const double *v, const double *label, const double *weight, size_t n,
              struct scored **out, size_t *nout)
{
    struct scored *e = hs_malloc((n ? n : 1) * sizeof *e);
    size_t m = 0;

    if (!e)
        return HS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (isnan(v[i]) || (label && isnan(label[i])))
            continue;
        e[m].x = v[i];
        e[m].w = weight ? weight[i] : 1.0;
        e[m].sig = label ? label[i] == 1.0 : 0;
        e[m].key = sort_key(v[i]);
        m++;
    }
    sort_scored(e, m);
    *out = e;
    *nout = m;
    return HS_OK;
}

/* The AUC from events sorted by value: walk groups of equal values
 * upwards; each signal event beats the background below its group and
 * ties half of the background in it. */
static double
auc_sorted(const struct scored *e, size_t m)
{
    double ws = 0, wb = 0, below_b = 0, area = 0;

    for (size_t i = 0; i < m;) {
        size_t j = i;
        double gs = 0, gb = 0;
        while (j < m && e[j].x == e[i].x) {
            if (e[j].sig)
                gs += e[j].w;
            else
                gb += e[j].w;
            j++;
        }
        area += gs * (below_b + 0.5 * gb);
        below_b += gb;
        ws += gs;
        wb += gb;
        i = j;
    }
    return ws > 0 && wb > 0 ? area / (ws * wb) : NAN;
}

int
hs_auc(const double *v, const double *label, const double *weight, size_t n, double *auc,
       struct hs_err *err)
{
    struct scored *e;
    size_t m;

    if (sorted_events(v, label, weight, n, &e, &m))
        return hs_err_set(err, HS_ENOMEM, "out of memory computing the AUC");
    *auc = auc_sorted(e, m);
    hs_free(e);
    return HS_OK;
}

double
hs_separation(const double *v, const double *label, const double *weight, size_t n, double lo,
              double hi, int nbins)
{
    double *hs = hs_calloc((size_t)nbins * 2, sizeof(double)), *hb, ts = 0, tb = 0, sep = 0;

    if (!hs)
        return NAN;
    hb = hs + nbins;
    for (size_t i = 0; i < n; i++) {
        double x = v[i], w = weight ? weight[i] : 1.0;
        int b;
        if (isnan(x) || isnan(label[i]))
            continue;
        b = hi > lo ? (int)((x - lo) / (hi - lo) * nbins) : 0;
        if (b < 0)
            b = 0;
        if (b >= nbins)
            b = nbins - 1; /* the maximum falls in the last bin */
        if (label[i] == 1.0) {
            hs[b] += w;
            ts += w;
        } else {
            hb[b] += w;
            tb += w;
        }
    }
    for (int b = 0; b < nbins && ts > 0 && tb > 0; b++) {
        double s = hs[b] / ts, k = hb[b] / tb;
        if (s + k > 0)
            sep += (s - k) * (s - k) / (s + k);
    }
    hs_free(hs);
    return ts > 0 && tb > 0 ? 0.5 * sep : NAN;
}

/* Weighted quantiles of one class from the sorted events: the smallest
 * value at which the cumulative weight reaches level * total. */
static void
quantiles(const struct scored *e, size_t m, int cls, double *q)
{
    double total = 0, cum = 0;
    int k = 0;

    for (size_t i = 0; i < m; i++)
        if (cls < 0 || e[i].sig == cls)
            total += e[i].w;
    for (int j = 0; j < HS_NQUANT; j++)
        q[j] = NAN;
    if (!(total > 0))
        return;
    for (size_t i = 0; i < m && k < HS_NQUANT; i++) {
        if (cls >= 0 && e[i].sig != cls)
            continue;
        cum += e[i].w;
        while (k < HS_NQUANT && cum >= hs_quantile_levels[k] * total * (1 - 1e-12))
            q[k++] = e[i].x;
    }
}

int
hs_featstats_compute(const double *v, const double *label, const double *weight, size_t n,
                     struct hs_featstats *out, const struct hs_task *task, struct hs_err *err)
{
    struct hs_featstats r;
    struct scored *e;
    size_t m;

    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "cancelled");
    memset(&r, 0, sizeof r);
    /* One sort serves the quantiles of every class and the AUC. */
    if (sorted_events(v, label, weight, n, &e, &m))
        return hs_err_set(err, HS_ENOMEM, "out of memory computing feature statistics");
    /* The sort is most of the work on a long column: a cancel that came
     * meanwhile is not kept waiting for the rest. */
    if (hs_task_cancelled(task)) {
        hs_free(e);
        return hs_err_set(err, HS_ECANCELLED, "cancelled");
    }
    hs_stats_column(v, NULL, weight, n, HS_CLASS_ALL, &r.cls[HS_CLASS_ALL]);
    quantiles(e, m, -1, r.quant[HS_CLASS_ALL]);
    r.separation = r.auc = NAN;
    r.direction = 0;
    for (int c = 1; c < 3; c++)
        for (int j = 0; j < HS_NQUANT; j++)
            r.quant[c][j] = NAN;
    if (label) {
        double auc;
        hs_stats_column(v, label, weight, n, HS_CLASS_SIGNAL, &r.cls[HS_CLASS_SIGNAL]);
        hs_stats_column(v, label, weight, n, HS_CLASS_BACKGROUND, &r.cls[HS_CLASS_BACKGROUND]);
        quantiles(e, m, 1, r.quant[HS_CLASS_SIGNAL]);
        quantiles(e, m, 0, r.quant[HS_CLASS_BACKGROUND]);
        r.separation = hs_separation(v, label, weight, n, r.cls[HS_CLASS_ALL].min,
                                     r.cls[HS_CLASS_ALL].max, HS_SEP_BINS);
        auc = auc_sorted(e, m);
        r.direction = auc >= 0.5 ? 1 : -1;
        r.auc = isnan(auc) ? NAN : fmax(auc, 1 - auc);
    }
    hs_free(e);
    *out = r;
    return HS_OK;
}

/* Features are independent: each is a part of a par.h job.  The message
 * kept is the lowest-numbered failing feature's. */
struct many_job {
    const double *const *cols;
    const double *label, *weight;
    size_t n;
    atomic_size_t first;
    struct hs_featstats *out;
    const struct hs_task *task;
    struct hs_err *err;
    atomic_int rc;
    pthread_mutex_t lock;
};

static int
many_part(void *ctx, size_t j)
{
    struct many_job *mj = ctx;
    struct hs_err e1;
    int r1;

    if (j > atomic_load(&mj->first))
        return 0;
    r1 = hs_featstats_compute(mj->cols[j], mj->label, mj->weight, mj->n, &mj->out[j], mj->task,
                              &e1);
    if (r1) {
        pthread_mutex_lock(&mj->lock);
        if (j < atomic_load(&mj->first)) {
            atomic_store(&mj->first, j);
            atomic_store(&mj->rc, r1);
            if (mj->err)
                *mj->err = e1;
        }
        pthread_mutex_unlock(&mj->lock);
    }
    return 0;
}

int
hs_featstats_many(const double *const *cols, size_t k, const double *label, const double *weight,
                  size_t n, struct hs_featstats *out, const struct hs_task *task,
                  struct hs_err *err)
{
    struct many_job mj = {cols, label, weight, n, SIZE_MAX, out, task, err, HS_OK,
                          PTHREAD_MUTEX_INITIALIZER};

    hs_par_run(k, hs_par_threads(), many_part, &mj);
    pthread_mutex_destroy(&mj.lock);
    return atomic_load(&mj.rc);
}

/* r of columns a and b over the events of class `want` (all with cls ==
 * HS_CLASS_ALL) where both have a value: one pass of the weighted
 * co-moment update (West). */
static double
corr_pair(const double *x, const double *y, const double *label, const double *weight, size_t n,
          enum hs_stats_class cls, double want)
{
    double sw = 0, ma = 0, mb = 0, caa = 0, cbb = 0, cab = 0, r;

    for (size_t i = 0; i < n; i++) {
        double w, da, db;
        if (cls != HS_CLASS_ALL && (!label || label[i] != want))
            continue;
        if (isnan(x[i]) || isnan(y[i]))
            continue;
        w = weight ? weight[i] : 1.0;
        if (w == 0)
            continue;
        sw += w;
        da = x[i] - ma;
        db = y[i] - mb;
        ma += da * w / sw;
        mb += db * w / sw;
        caa += w * da * (x[i] - ma);
        cbb += w * db * (y[i] - mb);
        cab += w * da * (y[i] - mb);
    }
    r = caa > 0 && cbb > 0 ? cab / sqrt(caa * cbb) : NAN;
    return r > 1 ? 1 : r < -1 ? -1 : r;
}

/* The columns with a value at every event of the class (and some spread)
 * share one event set, so their r come from one weighted Gram matrix of
 * the centred columns, G_ab = sum w (x_a - mean_a)(x_b - mean_b), as
 * r_ab = G_ab / sqrt(G_aa G_bb): src/gram.c, on the par.h executor (10,000
 * columns: 5 x 10^7 pairs, minutes one pair at a time).  The other pairs
 * go one at a time (corr_pair), a row of the matrix per part.  Every
 * figure depends on --threads and the data alone. */
struct corr_job {
    const double *const *cols;
    const double *label, *weight;
    size_t n, k;
    enum hs_stats_class cls;
    double want;
    size_t *ev, m;     /* the events of the class with a non-zero weight */
    double *mean;      /* per column, over ev */
    bool *full;        /* per column: a value at every event of ev, not constant */
    size_t *use, nuse; /* the full columns */
    double *out;
    const struct hs_task *task;
    atomic_int stop;
};

static bool
corr_stopped(struct corr_job *cj)
{
    if (atomic_load_explicit(&cj->stop, memory_order_relaxed) || hs_task_cancelled(cj->task)) {
        atomic_store(&cj->stop, 1);
        return true;
    }
    return false;
}

/* Column a: is it full over ev, does it vary, its weighted mean. */
static int
corr_mean_part(void *ctx, size_t a)
{
    struct corr_job *cj = ctx;
    const double *x = cj->cols[a];
    long double sw = 0, sx = 0;
    double first;
    bool varies = false;

    cj->full[a] = false;
    if (corr_stopped(cj))
        return HS_ECANCELLED;
    if (cj->m == 0)
        return HS_OK;
    first = x[cj->ev[0]];
    for (size_t j = 0; j < cj->m; j++) {
        double v = x[cj->ev[j]], w = cj->weight ? cj->weight[cj->ev[j]] : 1.0;
        if (isnan(v))
            return HS_OK;
        sw += w;
        sx += w * (long double)v;
        varies |= v != first;
    }
    cj->mean[a] = (double)(sx / sw);
    cj->full[a] = varies;
    return HS_OK;
}

static void
corr_fill(void *ctx, size_t r0, size_t len, size_t c0, double *z, double *w)
{
    const struct corr_job *cj = ctx;
    const size_t *ev = cj->ev + r0;

    for (size_t r = 0; r < len; r++)
        w[r] = cj->weight ? cj->weight[ev[r]] : 1.0;
    for (size_t u = c0; u < cj->nuse; u++) {
        const double *x = cj->cols[cj->use[u]];
        double mean = cj->mean[cj->use[u]], *o = z + (u - c0) * len;
        for (size_t r = 0; r < len; r++)
            o[r] = x[ev[r]] - mean;
    }
}

/* Row a of the matrix: the pairs (a, b > a) not both full, one at a time. */
static int
corr_pair_part(void *ctx, size_t a)
{
    struct corr_job *cj = ctx;
    size_t k = cj->k;

    if (corr_stopped(cj))
        return HS_ECANCELLED;
    for (size_t b = a + 1; b < k; b++) {
        double r;
        if (cj->full[a] && cj->full[b])
            continue;
        r = corr_pair(cj->cols[a], cj->cols[b], cj->label, cj->weight, cj->n, cj->cls, cj->want);
        cj->out[a * k + b] = cj->out[b * k + a] = r;
    }
    return HS_OK;
}

/* The events of the class with a non-zero weight into cj->ev; HS_EUSAGE
 * for a negative or NaN weight (the square roots of the old way, kept as
 * the rule: such weights go pair by pair). */
static int
corr_events(struct corr_job *cj)
{
    for (size_t i = 0; i < cj->n; i++) {
        double w = cj->weight ? cj->weight[i] : 1.0;
        if ((cj->cls != HS_CLASS_ALL && (!cj->label || cj->label[i] != cj->want)) || w == 0)
            continue;
        if (w < 0 || isnan(w))
            return HS_EUSAGE;
        cj->ev[cj->m++] = i;
    }
    return HS_OK;
}

/* The full columns' r into out through one Gram matrix. */
static int
corr_full(struct corr_job *cj, struct hs_err *err)
{
    size_t k = cj->k, nu = cj->nuse;
    double *g = nu == k ? cj->out : hs_malloc(nu * nu * sizeof *g);
    struct hs_gram gram = {nu, cj->m, corr_fill, cj, "correlations", 0};
    int rc;

    if (!g)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    rc = hs_gram_compute(&gram, g, cj->task, err);
    if (rc == HS_OK) {
        /* the diagonal aside: in place, the loop overwrites it */
        double *d = hs_malloc((nu + 1) * sizeof *d);
        if (!d) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        } else {
            for (size_t u = 0; u < nu; u++)
                d[u] = g[u * nu + u];
            for (size_t u = 0; u < nu; u++)
                for (size_t v = 0; v < nu; v++) {
                    double r = g[u * nu + v] / sqrt(d[u] * d[v]);
                    r = r > 1 ? 1 : r < -1 ? -1 : r;
                    cj->out[cj->use[u] * k + cj->use[v]] = r;
                }
            for (size_t u = 0; u < nu; u++)
                if (!(d[u] > 0))
                    cj->full[cj->use[u]] = false; /* pair by pair after all */
            hs_free(d);
        }
    }
    if (g != cj->out)
        hs_free(g);
    return rc;
}

int
hs_correlation(const double *const *cols, size_t k, const double *label, const double *weight,
               size_t n, enum hs_stats_class cls, double *out, const struct hs_task *task,
               struct hs_err *err)
{
    struct corr_job cj = {.cols = cols, .label = label, .weight = weight, .n = n, .k = k,
                          .cls = cls, .want = cls == HS_CLASS_SIGNAL ? 1.0 : 0.0, .out = out,
                          .task = task};
    int rc = HS_OK, threads = hs_par_threads();

    atomic_init(&cj.stop, 0);
    cj.ev = hs_malloc((n + 1) * sizeof *cj.ev);
    cj.mean = hs_malloc((k + 1) * sizeof *cj.mean);
    cj.full = hs_calloc(k + 1, sizeof *cj.full);
    cj.use = hs_malloc((k + 1) * sizeof *cj.use);
    if (!cj.ev || !cj.mean || !cj.full || !cj.use) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if (hs_task_cancelled(task)) {
        rc = hs_err_set(err, HS_ECANCELLED, "cancelled");
        goto done;
    }
    if (k > 1 && k <= INT_MAX && corr_events(&cj) == HS_OK) {
        if (hs_par_run(k, threads, corr_mean_part, &cj)) {
            rc = hs_err_set(err, HS_ECANCELLED, "cancelled");
            goto done;
        }
        for (size_t a = 0; a < k; a++)
            if (cj.full[a])
                cj.use[cj.nuse++] = a;
        if (cj.nuse > 1 && (rc = corr_full(&cj, err)))
            goto done;
        if (cj.nuse == 1)
            cj.full[cj.use[0]] = false;
    }
    if (hs_par_run(k, threads, corr_pair_part, &cj) || hs_task_cancelled(task)) {
        rc = hs_err_set(err, HS_ECANCELLED, "cancelled");
        goto done;
    }
    for (size_t a = 0; a < k; a++)
        out[a * k + a] = 1.0;
done:
    hs_free(cj.ev);
    hs_free(cj.mean);
    hs_free(cj.full);
    hs_free(cj.use);
    return rc;
}

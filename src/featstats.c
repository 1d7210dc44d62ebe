#include "config.h"

#include "featstats.h"

#include <gsl/gsl_cblas.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* The columns with a value at every event of the class share one event
 * set, so their r are the dot products of their standardised columns:
 * row a of Z is sqrt(w) (x - mean) / sqrt(sum w (x - mean)^2) over those
 * events, and one dsyrk gives every pair (10,000 columns: 5 x 10^7 pairs,
 * minutes one pair at a time).  Rows of other columns, and of columns that
 * do not vary, stay 0 and are marked in `full` (false) for the caller.
 * HS_ENOMEM when Z does not fit (the caller goes pair by pair); not used
 * with negative weights (sqrt). */
static int
corr_blas(const double *const *cols, size_t k, const double *label, const double *weight,
          size_t n, enum hs_stats_class cls, double want, double *out, bool *full)
{
    size_t *ev = hs_malloc((n + 1) * sizeof *ev), m = 0;
    double *z = NULL, *sq = NULL;

    if (!ev)
        return HS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        double w = weight ? weight[i] : 1.0;
        if ((cls != HS_CLASS_ALL && (!label || label[i] != want)) || w == 0)
            continue;
        if (w < 0 || isnan(w)) {
            hs_free(ev);
            return HS_EUSAGE;
        }
        ev[m++] = i;
    }
    if (m == 0 || k > SIZE_MAX / 8 / m || !(z = hs_calloc(k * m, sizeof *z)) ||
        !(sq = hs_malloc(m * sizeof *sq))) {
        hs_free(ev);
        hs_free(z);
        return HS_ENOMEM;
    }
    for (size_t j = 0; j < m; j++)
        sq[j] = sqrt(weight ? weight[ev[j]] : 1.0);
    for (size_t a = 0; a < k; a++) {
        const double *x = cols[a];
        double sw = 0, mean = 0, ss = 0, first = x[ev[0]];
        bool varies = false;

        full[a] = false;
        for (size_t j = 0; j < m && !isnan(x[ev[j]]); j++) {
            double w = sq[j] * sq[j];
            sw += w;
            mean += w * x[ev[j]];
            varies |= x[ev[j]] != first;
            if (j + 1 == m)
                full[a] = true;
        }
        if (!full[a] || !varies) {
            full[a] = false;
            continue;
        }
        mean /= sw;
        for (size_t j = 0; j < m; j++) {
            double d = x[ev[j]] - mean;
            ss += sq[j] * sq[j] * d * d;
        }
        if (!(ss > 0)) {
            full[a] = false;
            continue;
        }
        ss = 1 / sqrt(ss);
        for (size_t j = 0; j < m; j++)
            z[a * m + j] = sq[j] * (x[ev[j]] - mean) * ss;
    }
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)k, (int)m, 1.0, z, (int)m, 0.0, out,
                (int)k);
    hs_free(ev);
    hs_free(z);
    hs_free(sq);
    return HS_OK;
}

int
hs_correlation(const double *const *cols, size_t k, const double *label, const double *weight,
               size_t n, enum hs_stats_class cls, double *out, const struct hs_task *task,
               struct hs_err *err)
{
    double want = cls == HS_CLASS_SIGNAL ? 1.0 : 0.0;
    bool *full = hs_calloc(k + 1, sizeof *full);

    if (!full)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if (k > 1 && k <= INT_MAX && n <= INT_MAX &&
        corr_blas(cols, k, label, weight, n, cls, want, out, full) != HS_OK)
        memset(full, 0, (k + 1) * sizeof *full);
    for (size_t a = 0; a < k; a++) {
        out[a * k + a] = 1.0;
        if (hs_task_cancelled(task)) {
            hs_free(full);
            return hs_err_set(err, HS_ECANCELLED, "cancelled");
        }
        for (size_t b = a + 1; b < k; b++) {
            double r;
            if (full[a] && full[b]) {
                r = out[a * k + b];
                r = r > 1 ? 1 : r < -1 ? -1 : r;
            } else {
                r = corr_pair(cols[a], cols[b], label, weight, n, cls, want);
            }
            out[a * k + b] = out[b * k + a] = r;
        }
    }
    hs_free(full);
    return HS_OK;
}

/* hist.c: histograms with equal bins, and automatic binning.
 *
 * The fill splits the input into blocks whose size depends only on n and the
 * number of bins; each block sums into its own slot array in input order and
 * the slots are merged in block order afterwards.  That costs a few
 * kilobytes per block and buys results that do not depend on how many
 * threads ran, and a cancel that leaves the histogram untouched (nothing is
 * merged until every block is done).
 */
#include "config.h"

#include "hist.h"

#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mem.h"
#include "orderstat.h"
#include "par.h"

enum {
    MIN_BLOCK = 1 << 16,     /* values: below this, threads cost more than they give */
    MAX_BLOCKS = 256,        /* per fill */
    SLOT_BUDGET = 1 << 22,   /* block slot arrays in all, in elements */
};

/* Block length for n values and slots accumulators per block: a function of
 * these two only, so that the partition, hence the summation order, is the
 * same for every thread count. */
static size_t
block_length(size_t n, size_t slots)
{
    size_t maxblocks = SLOT_BUDGET / (slots ? slots : 1), b = MIN_BLOCK;

    if (maxblocks > MAX_BLOCKS)
        maxblocks = MAX_BLOCKS;
    if (maxblocks < 1)
        maxblocks = 1;
    if (n / b >= maxblocks)
        b = n / maxblocks + 1;
    return b;
}

static int
check_axis(size_t nbins, double lo, double hi, const char *axis, struct hs_err *err)
{
    if (nbins == 0)
        return hs_err_set(err, HS_ERANGE, "%shistogram needs at least one bin", axis);
    if (!isfinite(lo) || !isfinite(hi) || !(lo < hi) || !isfinite(hi - lo))
        return hs_err_set(err, HS_ERANGE, "%shistogram range [%g, %g] is not a finite interval",
                          axis, lo, hi);
    if (nbins > (size_t)1 << 40)
        return hs_err_set(err, HS_ERANGE, "%shistogram with %zu bins is too large", axis, nbins);
    return HS_OK;
}

/* numpy.linspace(lo, hi, nbins + 1): i * step + lo, the last edge exactly hi. */
static void
fill_edges(double *edges, size_t nbins, double lo, double hi)
{
    double step = (hi - lo) / (double)nbins;

    for (size_t i = 0; i < nbins; i++)
        edges[i] = (double)i * step + lo;
    edges[nbins] = hi;
}

/* Slot of x among nb + 3: 0 underflow, 1..nb the bins, nb + 1 overflow,
 * nb + 2 NaN.  The bin is numpy's: computed, then corrected by one against
 * the edges; hi itself falls in the last bin. */
static inline size_t
slot_of(double x, double lo, double hi, double norm, const double *edges, size_t nb)
{
    if (x >= lo && x <= hi) {
        size_t k = (size_t)((x - lo) * norm);
        if (k >= nb)
            k = nb - 1;
        if (x < edges[k])
            k--;
        else if (k != nb - 1 && x >= edges[k + 1])
            k++;
        return k + 1;
    }
    if (x < lo)
        return 0;
    if (x > hi)
        return nb + 1;
    return nb + 2;
}

int
hs_hist_init(struct hs_hist *h, size_t nbins, double lo, double hi, struct hs_err *err)
{
    int rc;

    memset(h, 0, sizeof *h);
    if ((rc = check_axis(nbins, lo, hi, "", err)))
        return rc;
    h->edges = hs_malloc((nbins + 1) * sizeof(double));
    h->sumw = hs_calloc(nbins, sizeof(double));
    h->sumw2 = hs_calloc(nbins, sizeof(double));
    if (!h->edges || !h->sumw || !h->sumw2) {
        hs_hist_release(h);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    h->nbins = nbins;
    h->lo = lo;
    h->hi = hi;
    fill_edges(h->edges, nbins, lo, hi);
    return HS_OK;
}

void
hs_hist_release(struct hs_hist *h)
{
    if (!h)
        return;
    hs_free(h->edges);
    hs_free(h->sumw);
    hs_free(h->sumw2);
    memset(h, 0, sizeof *h);
}

void
hs_hist_reset(struct hs_hist *h)
{
    memset(h->sumw, 0, h->nbins * sizeof(double));
    memset(h->sumw2, 0, h->nbins * sizeof(double));
    h->under = h->under_w2 = h->over = h->over_w2 = 0;
    h->nan = h->entries = 0;
}

long
hs_hist_bin(const struct hs_hist *h, double x)
{
    size_t s = slot_of(x, h->lo, h->hi, (double)h->nbins / (h->hi - h->lo), h->edges, h->nbins);

    return s == h->nbins + 2 ? HS_HIST_NAN : (long)s - 1;
}

static inline int
chosen(const double *label, double want, size_t i)
{
    return !label || label[i] == want;
}

/* Unweighted: integer counts per slot, exact in any order; cnt has room
 * for two arrays of nb + 3, the answer is left in the first. */
static void
count_block(const struct hs_hist *h, double norm, const double *v, const double *label,
            double want, size_t n, size_t *cnt)
{
    const double lo = h->lo, hi = h->hi, *edges = h->edges;
    const size_t nb = h->nbins;

    if (!label) {
        /* Two count arrays, alternating, so that runs of values in one bin
         * do not wait on each other's increments (store forwarding). */
        size_t *cnt2 = cnt + nb + 3, i = 0;
        for (; i + 1 < n; i += 2) {
            cnt[slot_of(v[i], lo, hi, norm, edges, nb)]++;
            cnt2[slot_of(v[i + 1], lo, hi, norm, edges, nb)]++;
        }
        if (i < n)
            cnt[slot_of(v[i], lo, hi, norm, edges, nb)]++;
        for (size_t s = 0; s < nb + 3; s++) {
            cnt[s] += cnt2[s];
            cnt2[s] = 0;
        }
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (label[i] == want)
            cnt[slot_of(v[i], lo, hi, norm, edges, nb)]++;
}

/* Weighted: sums in input order; nb + 3 slots of w, then nb + 3 of w^2,
 * then the NaN and entry counts in cnt. */
static void
sum_block(const struct hs_hist *h, double norm, const double *v, const double *w,
          const double *label, double want, size_t n, double *sw, size_t *cnt)
{
    const double lo = h->lo, hi = h->hi, *edges = h->edges;
    const size_t nb = h->nbins;
    double *sw2 = sw + nb + 3;

    for (size_t i = 0; i < n; i++) {
        if (!chosen(label, want, i))
            continue;
        size_t s = slot_of(v[i], lo, hi, norm, edges, nb);
        cnt[0]++;
        if (s == nb + 2) {
            cnt[1]++;
            continue;
        }
        sw[s] += w[i];
        sw2[s] += w[i] * w[i];
    }
}

/* Shared by the 1-D and 2-D fills: runs block(b, row0, len, ctx) over the
 * fixed partition, each block a part of a par.h job, checking cancel and
 * reporting progress. */
struct run {
    size_t n, blen, nblocks;
    const struct hs_task *task;
    void (*block)(void *ctx, size_t b, size_t row0, size_t len);
    void *ctx;
    atomic_int stop;
    struct hs_par_progress prog;
};

static int
run_block(void *ctx, size_t b)
{
    struct run *r = ctx;
    size_t row0 = b * r->blen, len = r->n - row0 < r->blen ? r->n - row0 : r->blen;

    if (atomic_load_explicit(&r->stop, memory_order_relaxed))
        return HS_ECANCELLED;
    if (hs_task_cancelled(r->task)) {
        atomic_store(&r->stop, 1);
        return HS_ECANCELLED;
    }
    r->block(r->ctx, b, row0, len);
    hs_par_progress_add(&r->prog, 1);
    return HS_OK;
}

static int
run_blocks(struct run *r, struct hs_err *err)
{
    hs_par_progress_init(&r->prog, r->task, r->nblocks, "filling histogram", false);
    if (hs_par_run(r->nblocks, hs_par_threads(), run_block, r) || hs_task_cancelled(r->task))
        return hs_err_set(err, HS_ECANCELLED, "histogram fill cancelled");
    return HS_OK;
}

struct fill1 {
    const struct hs_hist *h;
    double norm, want;
    const double *v, *w, *label;
    size_t *cnt;  /* per block: 2 (nb + 3) counts (unweighted, see count_block) or 2 (weighted) */
    double *sw;   /* per block: 2 (nb + 3) sums, weighted only */
};

static void
fill1_block(void *ctx, size_t b, size_t row0, size_t len)
{
    struct fill1 *f = ctx;
    size_t slots = f->h->nbins + 3;
    const double *label = f->label ? f->label + row0 : NULL;

    if (f->w)
        sum_block(f->h, f->norm, f->v + row0, f->w + row0, label, f->want, len,
                  f->sw + 2 * slots * b, f->cnt + 2 * b);
    else
        count_block(f->h, f->norm, f->v + row0, label, f->want, len, f->cnt + 2 * slots * b);
}

/* Add the counts of nblocks blocks (block b's nb + 3 slots at
 * cnt + stride * b: under, the bins, over, NaN) to h, in block order. */
static void
merge_counts(struct hs_hist *h, const size_t *cnt, size_t nblocks, size_t stride)
{
    const size_t nb = h->nbins;

    for (size_t s = 0; s < nb + 3; s++) {
        size_t c = 0;
        for (size_t b = 0; b < nblocks; b++)
            c += cnt[stride * b + s];
        h->entries += c;
        if (s == 0) {
            h->under += (double)c;
            h->under_w2 += (double)c;
        } else if (s == nb + 1) {
            h->over += (double)c;
            h->over_w2 += (double)c;
        } else if (s == nb + 2) {
            h->nan += c;
        } else {
            h->sumw[s - 1] += (double)c;
            h->sumw2[s - 1] += (double)c;
        }
    }
}

int
hs_hist_fill(struct hs_hist *h, const double *v, const double *weight, const double *label,
             double want, size_t n, const struct hs_task *task, struct hs_err *err)
{
    const size_t nb = h->nbins, slots = nb + 3;
    struct fill1 f = {h, (double)nb / (h->hi - h->lo), want, v, weight, NULL, NULL, NULL};
    struct run r = {.n = n, .task = task, .block = fill1_block, .ctx = &f};
    int rc;

    if (label && !isnan(want))
        f.label = label;
    if (n == 0)
        return hs_task_cancelled(task) ? hs_err_set(err, HS_ECANCELLED, "histogram fill cancelled")
                                       : HS_OK;
    r.blen = block_length(n, 2 * slots);
    r.nblocks = (n + r.blen - 1) / r.blen;
    if (weight) {
        f.cnt = hs_calloc(2 * r.nblocks, sizeof(size_t));
        f.sw = hs_calloc(2 * slots * r.nblocks, sizeof(double));
    } else {
        f.cnt = hs_calloc(2 * slots * r.nblocks, sizeof(size_t));
    }
    if (!f.cnt || (weight && !f.sw)) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = run_blocks(&r, err)))
        goto done;

    /* Merge in block order. */
    if (weight) {
        for (size_t s = 0; s < slots - 1; s++) {
            double a = 0, a2 = 0;
            for (size_t b = 0; b < r.nblocks; b++) {
                a += f.sw[2 * slots * b + s];
                a2 += f.sw[2 * slots * b + slots + s];
            }
            if (s == 0) {
                h->under += a;
                h->under_w2 += a2;
            } else if (s == nb + 1) {
                h->over += a;
                h->over_w2 += a2;
            } else {
                h->sumw[s - 1] += a;
                h->sumw2[s - 1] += a2;
            }
        }
        for (size_t b = 0; b < r.nblocks; b++) {
            h->entries += f.cnt[2 * b];
            h->nan += f.cnt[2 * b + 1];
        }
    } else {
        merge_counts(h, f.cnt, r.nblocks, 2 * slots);
    }
    rc = HS_OK;
done:
    hs_free(f.cnt);
    hs_free(f.sw);
    return rc;
}

struct fill_classes {
    const struct hs_hist *h; /* the binning, shared by the classes */
    double norm;
    const double *v, *label, *codes;
    size_t nh;
    size_t *cnt; /* per block, per class: 2 (nb + 3) counts (see count_block) */
};

static void
fill_classes_block(void *ctx, size_t b, size_t row0, size_t len)
{
    const struct fill_classes *f = ctx;
    const double lo = f->h->lo, hi = f->h->hi, norm = f->norm, *edges = f->h->edges;
    const double *v = f->v + row0, *label = f->label + row0;
    const size_t nb = f->h->nbins, slots = nb + 3, nh = f->nh;
    size_t *cnt = f->cnt + 2 * slots * nh * b;

    for (size_t i = 0; i < len; i++) {
        size_t j = 0;
        while (j < nh && label[i] != f->codes[j])
            j++;
        if (j < nh) /* alternate halves as in count_block */
            cnt[2 * slots * j + (i & 1) * slots + slot_of(v[i], lo, hi, norm, edges, nb)]++;
    }
    for (size_t j = 0; j < nh; j++)
        for (size_t s = 0; s < slots; s++) {
            cnt[2 * slots * j + s] += cnt[2 * slots * j + slots + s];
            cnt[2 * slots * j + slots + s] = 0;
        }
}

int
hs_hist_fill_classes(struct hs_hist *const *h, size_t nh, const double *codes,
                     const double *v, const double *weight, const double *label, size_t n,
                     const struct hs_task *task, struct hs_err *err)
{
    bool one_pass = nh > 1 && label && !weight;
    int rc = HS_OK;

    for (size_t j = 0; j < nh; j++) {
        if (h[j]->nbins != h[0]->nbins || h[j]->lo != h[0]->lo || h[j]->hi != h[0]->hi)
            return hs_err_set(err, HS_EUSAGE, "histograms of one fill need one binning");
        one_pass = one_pass && !isnan(codes[j]);
        for (size_t k = 0; k < j; k++)
            one_pass = one_pass && codes[k] != codes[j]; /* a row fills one class */
    }
    /* Weighted sums would need each class's own accumulators in input
     * order: as separate fills, which give the same bits. */
    if (!one_pass) {
        for (size_t j = 0; j < nh && !rc; j++)
            rc = hs_hist_fill(h[j], v, weight, label, codes[j], n, task, err);
        return rc;
    }
    if (n == 0)
        return hs_task_cancelled(task) ? hs_err_set(err, HS_ECANCELLED, "histogram fill cancelled")
                                       : HS_OK;
    const size_t slots = h[0]->nbins + 3;
    struct fill_classes f = {h[0], (double)h[0]->nbins / (h[0]->hi - h[0]->lo), v, label, codes,
                             nh, NULL};
    struct run r = {.n = n, .task = task, .block = fill_classes_block, .ctx = &f};
    r.blen = block_length(n, 2 * slots * nh);
    r.nblocks = (n + r.blen - 1) / r.blen;
    if (!(f.cnt = hs_calloc(2 * slots * nh * r.nblocks, sizeof(size_t))))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if (!(rc = run_blocks(&r, err)))
        for (size_t j = 0; j < nh; j++)
            merge_counts(h[j], f.cnt + 2 * slots * j, r.nblocks, 2 * slots * nh);
    hs_free(f.cnt);
    return rc;
}

double
hs_hist_integral(const struct hs_hist *h)
{
    double s = 0;

    for (size_t i = 0; i < h->nbins; i++)
        s += h->sumw[i];
    return s;
}

void
hs_hist_contents(const struct hs_hist *h, int normalise, double *content, double *error)
{
    double scale = 1;

    if (normalise) {
        double total = hs_hist_integral(h), width = (h->hi - h->lo) / (double)h->nbins;
        scale = total != 0 ? 1 / (total * width) : 0;
    }
    for (size_t i = 0; i < h->nbins; i++) {
        if (content)
            content[i] = h->sumw[i] * scale;
        if (error)
            error[i] = sqrt(h->sumw2[i]) * fabs(scale);
    }
}

/* ---- quantiles and automatic binning ---- */

void
hs_hist_quantiles(double *work, size_t m, const double *p, size_t np, double *q)
{
    enum { BATCH = 16 };

    for (size_t from = 0; from < np; from += BATCH) {
        size_t nt = np - from < BATCH ? np - from : BATCH, rank[2 * BATCH], nr = 0, k[BATCH];
        double val[2 * BATCH];

        /* Each quantile wants its rank k and, between two values, k + 1:
         * the distinct ranks, ascending, as hs_order_stats takes them. */
        for (size_t t = 0; t < nt; t++) {
            double pos = p[from + t] * (double)(m - 1);
            k[t] = pos < (double)(m - 1) ? (size_t)pos : m - 1;
            for (size_t r = k[t]; r <= k[t] + 1 && r < m; r++) {
                size_t at = nr;
                while (at > 0 && rank[at - 1] > r)
                    at--;
                if (at > 0 && rank[at - 1] == r)
                    continue;
                memmove(rank + at + 1, rank + at, (nr - at) * sizeof *rank);
                rank[at] = r;
                nr++;
            }
        }
        hs_order_stats(work, m, rank, nr, val);
        for (size_t t = 0; t < nt; t++) {
            double pos = p[from + t] * (double)(m - 1), frac = pos - (double)k[t], lo, hi;
            size_t at = 0;
            while (rank[at] != k[t])
                at++;
            lo = val[at];
            hi = at + 1 < nr && rank[at + 1] == k[t] + 1 ? val[at + 1] : lo;
            q[from + t] = frac > 0 ? lo + (hi - lo) * frac : lo;
        }
    }
}

int
hs_hist_auto(const double *v, const double *label, double want, size_t n, double tail,
             size_t min_bins, size_t max_bins, struct hs_hist_binning *out,
             const struct hs_task *task, struct hs_err *err)
{
    struct hs_hist_binning b = {0, 1, min_bins, 0, 0, 0};
    double p[4], q[4], *work;
    size_t m = 0;

    if (!(tail >= 0 && tail < 0.5))
        return hs_err_set(err, HS_EUSAGE, "histogram tail %g is not in [0, 0.5)", tail);
    if (min_bins == 0 || min_bins > max_bins)
        return hs_err_set(err, HS_EUSAGE, "bin limits %zu..%zu are not a range", min_bins,
                          max_bins);
    if (label && isnan(want))
        label = NULL;
    if (!(work = hs_malloc((n ? n : 1) * sizeof(double))))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if ((i & 0xfffff) == 0 && hs_task_cancelled(task)) {
            hs_free(work);
            return hs_err_set(err, HS_ECANCELLED, "automatic binning cancelled");
        }
        if (isfinite(v[i]) && chosen(label, want, i))
            work[m++] = v[i];
    }
    if (m > 0) {
        /* Ascending order for the selection. */
        int inner = tail <= 0.25;
        p[0] = inner ? tail : 0.25;
        p[1] = inner ? 0.25 : tail;
        p[2] = inner ? 0.75 : 1 - tail;
        p[3] = inner ? 1 - tail : 0.75;
        hs_hist_quantiles(work, m, p, 4, q);
        b.lo = inner ? q[0] : q[1];
        b.hi = inner ? q[3] : q[2];
        b.iqr = inner ? q[2] - q[1] : q[3] - q[0];
        b.n = m;
        if (b.hi - b.lo <= 0) {
            b.lo -= 0.5;
            b.hi += 0.5;
        }
        double nb;
        if (b.iqr > 0) {
            double width = 2 * b.iqr * pow((double)m, -1.0 / 3.0);
            nb = ceil((b.hi - b.lo) / width);
        } else {
            b.sturges = 1;
            nb = ceil(log2((double)m) + 1);
        }
        if (!(nb >= (double)min_bins))
            nb = (double)min_bins;
        if (nb > (double)max_bins)
            nb = (double)max_bins;
        b.nbins = (size_t)nb;
    }
    hs_free(work);
    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "automatic binning cancelled");
    *out = b;
    return HS_OK;
}

/* ---- 2-D ---- */

int
hs_hist2d_init(struct hs_hist2d *h, size_t nx, double xlo, double xhi, size_t ny, double ylo,
               double yhi, struct hs_err *err)
{
    int rc;

    memset(h, 0, sizeof *h);
    if ((rc = check_axis(nx, xlo, xhi, "x axis of 2-D ", err)) ||
        (rc = check_axis(ny, ylo, yhi, "y axis of 2-D ", err)))
        return rc;
    if (nx > SIZE_MAX / sizeof(double) / ny)
        return hs_err_set(err, HS_ERANGE, "2-D histogram of %zu x %zu bins is too large", nx, ny);
    h->xedges = hs_malloc((nx + 1) * sizeof(double));
    h->yedges = hs_malloc((ny + 1) * sizeof(double));
    h->sumw = hs_calloc(nx * ny, sizeof(double));
    h->sumw2 = hs_calloc(nx * ny, sizeof(double));
    if (!h->xedges || !h->yedges || !h->sumw || !h->sumw2) {
        hs_hist2d_release(h);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    h->nx = nx;
    h->ny = ny;
    h->xlo = xlo;
    h->xhi = xhi;
    h->ylo = ylo;
    h->yhi = yhi;
    fill_edges(h->xedges, nx, xlo, xhi);
    fill_edges(h->yedges, ny, ylo, yhi);
    return HS_OK;
}

void
hs_hist2d_release(struct hs_hist2d *h)
{
    if (!h)
        return;
    hs_free(h->xedges);
    hs_free(h->yedges);
    hs_free(h->sumw);
    hs_free(h->sumw2);
    memset(h, 0, sizeof *h);
}

/* Per block: nx * ny bins then 9 flow cells, all twice (w, then w^2), and 2
 * counts (entries, NaN). */
struct fill2 {
    const struct hs_hist2d *h;
    double xnorm, ynorm, want;
    const double *x, *y, *w, *label;
    double *sw;
    size_t *cnt;
};

static inline size_t
region(size_t slot, size_t nb)
{
    return slot == 0 ? 0 : slot <= nb ? 1 : 2;
}

static void
fill2_block(void *ctx, size_t b, size_t row0, size_t len)
{
    struct fill2 *f = ctx;
    const struct hs_hist2d *h = f->h;
    size_t nx = h->nx, ny = h->ny, cells = nx * ny + 9;
    double *sw = f->sw + 2 * cells * b, *sw2 = sw + cells;
    size_t *cnt = f->cnt + 2 * b;

    for (size_t i = row0; i < row0 + len; i++) {
        if (!chosen(f->label, f->want, i))
            continue;
        size_t sx = slot_of(f->x[i], h->xlo, h->xhi, f->xnorm, h->xedges, nx);
        size_t sy = slot_of(f->y[i], h->ylo, h->yhi, f->ynorm, h->yedges, ny);
        double w = f->w ? f->w[i] : 1.0;
        cnt[0]++;
        if (sx == nx + 2 || sy == ny + 2) {
            cnt[1]++;
            continue;
        }
        size_t rx = region(sx, nx), ry = region(sy, ny);
        size_t c = nx * ny + rx * 3 + ry;
        sw[c] += w;
        sw2[c] += w * w;
        if (rx == 1 && ry == 1) {
            c = (sy - 1) * nx + (sx - 1);
            sw[c] += w;
            sw2[c] += w * w;
        }
    }
}

int
hs_hist2d_fill(struct hs_hist2d *h, const double *x, const double *y, const double *weight,
               const double *label, double want, size_t n, const struct hs_task *task,
               struct hs_err *err)
{
    const size_t cells = h->nx * h->ny + 9;
    struct fill2 f = {h,    (double)h->nx / (h->xhi - h->xlo), (double)h->ny / (h->yhi - h->ylo),
                      want, x, y, weight, NULL, NULL, NULL};
    struct run r = {.n = n, .task = task, .block = fill2_block, .ctx = &f};
    int rc;

    if (label && !isnan(want))
        f.label = label;
    if (n == 0)
        return hs_task_cancelled(task) ? hs_err_set(err, HS_ECANCELLED, "histogram fill cancelled")
                                       : HS_OK;
    r.blen = block_length(n, 2 * cells);
    r.nblocks = (n + r.blen - 1) / r.blen;
    if (cells > SIZE_MAX / sizeof(double) / 2 / r.nblocks) {
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    f.sw = hs_calloc(2 * cells * r.nblocks, sizeof(double));
    f.cnt = hs_calloc(2 * r.nblocks, sizeof(size_t));
    if (!f.sw || !f.cnt) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = run_blocks(&r, err)))
        goto done;
    for (size_t c = 0; c < cells; c++) {
        double a = 0, a2 = 0;
        for (size_t b = 0; b < r.nblocks; b++) {
            a += f.sw[2 * cells * b + c];
            a2 += f.sw[2 * cells * b + cells + c];
        }
        if (c < h->nx * h->ny) {
            h->sumw[c] += a;
            h->sumw2[c] += a2;
        } else {
            h->flow[(c - h->nx * h->ny) / 3][(c - h->nx * h->ny) % 3] += a;
        }
    }
    for (size_t b = 0; b < r.nblocks; b++) {
        h->entries += f.cnt[2 * b];
        h->nan += f.cnt[2 * b + 1];
    }
    rc = HS_OK;
done:
    hs_free(f.sw);
    hs_free(f.cnt);
    return rc;
}

/* bdt_bin.c: the boosted trees' bins (bdt_int.h).
 *
 * Each input's values in the training part are sorted once (colsort.h's
 * radix sort, the row's position travelling with its key).  With at most
 * B distinct values every value has its own bin; otherwise the cuts sit
 * at the weighted quantiles k/B (k = 1 .. B-1) of the values, each after
 * the first distinct value whose cumulative weight reaches the quantile
 * (XGBoost's weighted sketch, exact here), so a heavy value may take
 * several quantiles and the input fewer bins.  A cut between distinct
 * values u < v is their midpoint (scikit-learn's), or v when the midpoint
 * rounds to u, so it always separates them.  The sorted order then hands
 * out the training rows' bins in one pass; other rows are binned by a
 * binary search of the cuts.
 */
#include "config.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "bdt_int.h"
#include "colsort.h"
#include "mem.h"
#include "par.h"

struct fit_job {
    struct bdt_bins *b;
    const double *const *x;
    const size_t *rows;
    const double *w;
    size_t n;
    uint8_t *colbins; /* nf columns of n bins: the sorted order's scatter stays in cache */
    uint8_t *bins;
    const struct hs_task *task;
    atomic_int stop;
    struct hs_par_progress prog;
};

/* The cut between distinct values u < v. */
static double
cut_between(double u, double v)
{
    double m = u + (v - u) / 2;
    return m > u && m <= v ? m : v;
}

static int
fit_part(void *ctx, size_t j)
{
    struct fit_job *fj = ctx;
    struct bdt_bins *b = fj->b;
    const double *col = fj->x[j];
    size_t n = fj->n, m = 0;
    uint8_t *cb = fj->colbins + j * n;
    unsigned B = b->B;
    int rc = HS_OK;

    if (atomic_load_explicit(&fj->stop, memory_order_relaxed) || hs_task_cancelled(fj->task)) {
        atomic_store(&fj->stop, 1);
        return HS_ECANCELLED;
    }
    struct hs_colsort_item *it = hs_malloc((n ? n : 1) * sizeof *it);
    double *cut = hs_malloc(B * sizeof *cut);
    if (!it || !cut) {
        rc = HS_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < n; k++) {
        double v = col[fj->rows[k]];
        if (isnan(v))
            cb[k] = (uint8_t)B;
        else
            it[m++] = (struct hs_colsort_item){hs_colsort_key(v, 1), k};
    }
    rc = hs_colsort_items(it, m, NULL, NULL);
    if (rc)
        goto done;
    /* The distinct values and their weights. */
    size_t nd = 0;
    long double total = 0;
    for (size_t k = 0; k < m; k++) {
        nd += k == 0 || it[k].key != it[k - 1].key;
        total += fabs(fj->w[it[k].payload]);
    }
    bool counts = !(total > 0);
    if (counts)
        total = (long double)m;
    size_t ncut = 0;
    if (nd <= B) {
        for (size_t k = 1; k < m; k++)
            if (it[k].key != it[k - 1].key)
                cut[ncut++] = cut_between(col[fj->rows[it[k - 1].payload]],
                                          col[fj->rows[it[k].payload]]);
    } else {
        long double cum = 0;
        unsigned q = 1;
        for (size_t k = 0; k < m && q < B; k++) {
            cum += counts ? 1 : fabs(fj->w[it[k].payload]);
            bool last_of_value = k + 1 == m || it[k + 1].key != it[k].key;
            if (!last_of_value || k + 1 == m || cum < total * q / B)
                continue;
            cut[ncut++] = cut_between(col[fj->rows[it[k].payload]],
                                      col[fj->rows[it[k + 1].payload]]);
            while (q < B && cum >= total * q / B)
                q++;
        }
    }
    b->nb[j] = m ? (unsigned)ncut + 1 : 0;
    if (ncut) {
        b->cut[j] = hs_malloc(ncut * sizeof *b->cut[j]);
        if (!b->cut[j]) {
            rc = HS_ENOMEM;
            goto done;
        }
        memcpy(b->cut[j], cut, ncut * sizeof *cut);
    }
    /* The sorted rows take their bins in order. */
    unsigned bin = 0;
    for (size_t k = 0; k < m; k++) {
        double v = col[fj->rows[it[k].payload]];
        while (bin < ncut && !(v < cut[bin]))
            bin++;
        cb[it[k].payload] = (uint8_t)bin;
    }
    hs_par_progress_add(&fj->prog, 1);
done:
    hs_free(it);
    hs_free(cut);
    return rc;
}

void
bdt_bins_release(struct bdt_bins *b)
{
    if (b->cut)
        for (size_t j = 0; j < b->nf; j++)
            hs_free(b->cut[j]);
    hs_free(b->cut);
    hs_free(b->nb);
    memset(b, 0, sizeof *b);
}

/* The column bins into rows, a part of BDT_CHUNK rows at a time. */
static int
transpose_part(void *ctx, size_t part)
{
    struct fit_job *fj = ctx;
    size_t n = fj->n, nf = fj->b->nf, lo = part * BDT_CHUNK;
    size_t hi = lo + BDT_CHUNK < n ? lo + BDT_CHUNK : n;
    for (size_t j = 0; j < nf; j++) {
        const uint8_t *cb = fj->colbins + j * n;
        for (size_t k = lo; k < hi; k++)
            fj->bins[k * nf + j] = cb[k];
    }
    return HS_OK;
}

static int
job_error(int rc, const char *what, struct hs_err *err)
{
    if (rc == HS_ECANCELLED)
        return hs_err_set(err, rc, "boosted trees cancelled");
    return hs_err_set(err, rc, "out of memory %s", what);
}

int
bdt_bins_fit(struct bdt_bins *b, const double *const *x, size_t nf, const size_t *rows,
             const double *w, size_t n, unsigned B, uint8_t *colbins, uint8_t *bins, int threads,
             const struct hs_task *task, struct hs_err *err)
{
    memset(b, 0, sizeof *b);
    b->nf = nf;
    b->B = B;
    b->nb = hs_calloc(nf, sizeof *b->nb);
    b->cut = hs_calloc(nf, sizeof *b->cut);
    if (!b->nb || !b->cut) {
        bdt_bins_release(b);
        return hs_err_set(err, HS_ENOMEM, "out of memory binning the inputs");
    }
    struct fit_job fj = {.b = b, .x = x, .rows = rows, .w = w, .n = n, .bins = bins,
                         .task = task};
    fj.colbins = colbins;
    atomic_init(&fj.stop, 0);
    hs_par_progress_init(&fj.prog, task, nf, "boosted trees: binning", false);
    int rc = hs_par_run(nf, threads, fit_part, &fj);
    if (!rc && n)
        rc = hs_par_run((n + BDT_CHUNK - 1) / BDT_CHUNK, threads, transpose_part, &fj);
    if (rc) {
        bdt_bins_release(b);
        return job_error(rc, "binning the inputs", err);
    }
    return HS_OK;
}

/* The bin of v: the number of cuts <= v. */
static unsigned
bin_of(const double *cut, unsigned ncut, double v, unsigned B)
{
    if (isnan(v))
        return B;
    unsigned lo = 0, hi = ncut;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (v < cut[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

struct apply_job {
    const struct bdt_bins *b;
    const double *const *x;
    const size_t *rows;
    size_t n;
    uint8_t *out;
    const struct hs_task *task;
};

static int
apply_part(void *ctx, size_t part)
{
    const struct apply_job *aj = ctx;
    size_t lo = part * BDT_CHUNK, hi = lo + BDT_CHUNK < aj->n ? lo + BDT_CHUNK : aj->n;
    size_t nf = aj->b->nf;

    if (hs_task_cancelled(aj->task))
        return HS_ECANCELLED;
    for (size_t j = 0; j < nf; j++) {
        const double *col = aj->x[j];
        const double *cut = aj->b->cut[j];
        unsigned ncut = aj->b->nb[j] ? aj->b->nb[j] - 1 : 0;
        for (size_t k = lo; k < hi; k++)
            aj->out[k * nf + j] = (uint8_t)bin_of(cut, ncut, col[aj->rows[k]], aj->b->B);
    }
    return HS_OK;
}

int
bdt_bins_apply(const struct bdt_bins *b, const double *const *x, const size_t *rows, size_t n,
               uint8_t *out, int threads, const struct hs_task *task, struct hs_err *err)
{
    struct apply_job aj = {b, x, rows, n, out, task};
    if (n == 0)
        return HS_OK;
    int rc = hs_par_run((n + BDT_CHUNK - 1) / BDT_CHUNK, threads, apply_part, &aj);
    return rc ? job_error(rc, "binning the validation part", err) : HS_OK;
}

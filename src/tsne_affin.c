/* tsne_affin.c: t-SNE's input similarities (tsne.h).
 *
 * Rows are calibrated in fixed blocks run as par.h parts; each writes
 * only its rows, so the result does not depend on the thread count.
 * The symmetric matrix is built like a sparse transpose-and-add: the
 * reverse lists come from a counting sort of the neighbour lists (so
 * each is in increasing source order), the forward lists are sorted by
 * column, and each row is the merge of the two.
 */
#include "config.h"

#include "tsne.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "knn.h"
#include "mem.h"
#include "par.h"

/* Rows per part of the calibration and of the merge. */
#define AFFIN_BLOCK 512
/* Bisection: stop when the entropy is this close, or after this many halvings. */
#define AFFIN_TOL 1e-10
#define AFFIN_STEPS 200

struct calib_job {
    const double *dist;
    size_t n, k;
    double target;
    double *p;
    double *scratch; /* k per slot */
    const struct hs_task *task;
    atomic_int stop;
    struct hs_par_progress prog;
};

/* One row: the entropy of exp(-beta D_j) normalised, D_j the squared
 * distances shifted by the smallest (which changes nothing after
 * normalising, and keeps the exponentials away from underflow). */
static double
row_entropy(const double *D, size_t k, double beta, double *p)
{
    double sum = 0, dsum = 0;
    for (size_t j = 0; j < k; j++) {
        p[j] = exp(-beta * D[j]);
        sum += p[j];
        dsum += D[j] * p[j];
    }
    for (size_t j = 0; j < k; j++)
        p[j] /= sum;
    return log(sum) + beta * dsum / sum;
}

/* dist and p may be the same row; D is scratch of k values. */
static void
calibrate_row(const double *dist, size_t k, double target, double *p, double *D)
{
    double d0 = dist[0] * dist[0];
    double beta = 1, lo = 0, hi = INFINITY;
    for (size_t j = 0; j < k; j++)
        D[j] = dist[j] * dist[j] - d0;
    for (int it = 0; it < AFFIN_STEPS; it++) {
        double h = row_entropy(D, k, beta, p);
        if (fabs(h - target) < AFFIN_TOL)
            return;
        if (h > target) { /* too flat: narrow the Gaussian */
            lo = beta;
            beta = isinf(hi) ? beta * 2 : (beta + hi) / 2;
        } else {
            hi = beta;
            beta = (beta + lo) / 2;
        }
    }
    row_entropy(D, k, beta, p);
}

static int
calib_part(void *ctx, size_t part)
{
    struct calib_job *j = ctx;
    size_t lo = part * AFFIN_BLOCK, hi = lo + AFFIN_BLOCK < j->n ? lo + AFFIN_BLOCK : j->n;
    if (atomic_load(&j->stop) || hs_task_cancelled(j->task)) {
        atomic_store(&j->stop, 1);
        return HS_ECANCELLED;
    }
    for (size_t i = lo; i < hi; i++)
        calibrate_row(j->dist + i * j->k, j->k, j->target, j->p + i * j->k,
                      j->scratch + (size_t)hs_par_slot() * j->k);
    hs_par_progress_add(&j->prog, hi - lo);
    return HS_OK;
}

int
hs_tsne_calibrate(const double *dist, size_t n, size_t k, double perplexity, double *p,
                  int threads, const struct hs_task *task, struct hs_err *err)
{
    struct calib_job j = {.dist = dist, .n = n, .k = k, .target = log(perplexity), .p = p,
                          .task = task};
    int nth = threads > 0 ? threads : hs_par_threads(), rc = HS_OK;
    j.scratch = hs_malloc((size_t)nth * k * sizeof *j.scratch);
    if (!j.scratch)
        return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's calibration");
    atomic_init(&j.stop, 0);
    hs_par_progress_init(&j.prog, task, n, "t-SNE: perplexity calibration", false);
    if (hs_par_run((n + AFFIN_BLOCK - 1) / AFFIN_BLOCK, nth, calib_part, &j))
        rc = hs_err_set(err, HS_ECANCELLED, "t-SNE cancelled");
    hs_free(j.scratch);
    return rc;
}

struct sym_job {
    const size_t *idx;
    const double *c;
    size_t n, k;
    const size_t *rptr;  /* reverse lists: rows pointing at i */
    const uint32_t *rsrc;
    const double *rval;
    size_t *fwd;         /* n x k: each row's neighbour order by column */
    struct hs_tsne_p *P;
    int fill;            /* 0: count each row's entries; 1: write them */
    size_t *count;
};

static const size_t *sort_base;

static int
cmp_by_col(const void *a, const void *b)
{
    size_t x = sort_base[*(const size_t *)a], y = sort_base[*(const size_t *)b];
    return x < y ? -1 : x > y;
}

/* Row i of P: the merge of its forward list (i's neighbours) and its
 * reverse list (rows having i as a neighbour). */
static size_t
merge_row(const struct sym_job *j, size_t i, uint32_t *col, double *val)
{
    const size_t *f = j->fwd + i * j->k, *nb = j->idx + i * j->k;
    const double *c = j->c + i * j->k;
    size_t a = 0, b = j->rptr[i], be = j->rptr[i + 1], m = 0;
    double scale = 1.0 / (2.0 * (double)j->n);
    while (a < j->k || b < be) {
        size_t ca = a < j->k ? nb[f[a]] : SIZE_MAX, cb = b < be ? j->rsrc[b] : SIZE_MAX;
        double v = 0;
        size_t cc = ca < cb ? ca : cb;
        if (ca == cc)
            v += c[f[a++]];
        if (cb == cc)
            v += j->rval[b++];
        if (col) {
            col[m] = (uint32_t)cc;
            val[m] = v * scale;
        }
        m++;
    }
    return m;
}

static int
sym_part(void *ctx, size_t part)
{
    struct sym_job *j = ctx;
    size_t lo = part * AFFIN_BLOCK, hi = lo + AFFIN_BLOCK < j->n ? lo + AFFIN_BLOCK : j->n;
    for (size_t i = lo; i < hi; i++) {
        if (j->fill)
            merge_row(j, i, j->P->col + j->P->rowptr[i], j->P->val + j->P->rowptr[i]);
        else
            j->count[i] = merge_row(j, i, NULL, NULL);
    }
    return HS_OK;
}

int
hs_tsne_symmetrize(const size_t *idx, const double *c, size_t n, size_t k,
                   struct hs_tsne_p *P, int threads, struct hs_err *err)
{
    size_t *rptr = hs_calloc(n + 1, sizeof *rptr), *fwd = hs_malloc(n * k * sizeof *fwd);
    uint32_t *rsrc = hs_malloc(n * k * sizeof *rsrc);
    double *rval = hs_malloc(n * k * sizeof *rval);
    struct sym_job j = {.idx = idx, .c = c, .n = n, .k = k, .rptr = rptr, .rsrc = rsrc,
                        .rval = rval, .fwd = fwd, .P = P};
    int rc = HS_OK, nth = threads > 0 ? threads : hs_par_threads();
    size_t nparts = (n + AFFIN_BLOCK - 1) / AFFIN_BLOCK;

    memset(P, 0, sizeof *P);
    P->n = n;
    P->rowptr = hs_malloc((n + 1) * sizeof *P->rowptr);
    if (!rptr || !fwd || !rsrc || !rval || !P->rowptr) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's similarities");
        goto done;
    }
    /* Reverse lists by counting sort, sources in increasing order. */
    for (size_t e = 0; e < n * k; e++)
        rptr[idx[e] + 1]++;
    for (size_t i = 0; i < n; i++)
        rptr[i + 1] += rptr[i];
    /* P->rowptr serves as the fill cursor until the merge counts. */
    memset(P->rowptr, 0, (n + 1) * sizeof *P->rowptr);
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < k; m++) {
            size_t t = idx[i * k + m], at = rptr[t] + P->rowptr[t]++;
            rsrc[at] = (uint32_t)i;
            rval[at] = c[i * k + m];
        }
    /* Forward lists ordered by column (serial: qsort's comparison has one base). */
    for (size_t i = 0; i < n; i++) {
        for (size_t m = 0; m < k; m++)
            fwd[i * k + m] = m;
        sort_base = idx + i * k;
        qsort(fwd + i * k, k, sizeof *fwd, cmp_by_col);
    }
    j.count = P->rowptr + 1;
    hs_par_run(nparts, nth, sym_part, &j);
    P->rowptr[0] = 0;
    for (size_t i = 0; i < n; i++)
        P->rowptr[i + 1] += P->rowptr[i];
    P->col = hs_malloc((P->rowptr[n] ? P->rowptr[n] : 1) * sizeof *P->col);
    P->val = hs_malloc((P->rowptr[n] ? P->rowptr[n] : 1) * sizeof *P->val);
    if (!P->col || !P->val) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's similarities");
        goto done;
    }
    j.fill = 1;
    hs_par_run(nparts, nth, sym_part, &j);
done:
    if (rc)
        hs_tsne_p_release(P);
    hs_free(rptr);
    hs_free(fwd);
    hs_free(rsrc);
    hs_free(rval);
    return rc;
}

void
hs_tsne_p_release(struct hs_tsne_p *P)
{
    hs_free(P->rowptr);
    hs_free(P->col);
    hs_free(P->val);
    memset(P, 0, sizeof *P);
}

int
hs_tsne_affinities(const double *x, size_t n, size_t dim, double perplexity, uint64_t seed,
                   struct hs_tsne_p *P, int threads, const struct hs_task *task,
                   struct hs_err *err)
{
    size_t k = (size_t)(3 * perplexity);
    int rc;

    memset(P, 0, sizeof *P);
    if (!(perplexity < (double)n - 1))
        return hs_err_set(err, HS_EDATA,
                          "t-SNE with perplexity %g needs more than %.0f points, and there are "
                          "%zu: lower --perplexity or fit more events",
                          perplexity, floor(perplexity) + 1, n);
    if (n > UINT32_MAX)
        return hs_err_set(err, HS_ERANGE, "t-SNE fits at most %u points, not %zu", UINT32_MAX,
                          n);
    if (k > n - 1)
        k = n - 1;
    if (k < 1)
        k = 1;
    size_t *idx = hs_malloc(n * k * sizeof *idx);
    double *dist = hs_malloc(n * k * sizeof *dist);
    if (!idx || !dist) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's %zu neighbours of %zu points",
                        k, n);
        goto done;
    }
    rc = n <= HS_TSNE_EXACT_KNN ? hs_knn_exact(x, n, dim, k, idx, dist, threads, task, err)
                                : hs_knn_approx(x, n, dim, k, seed, idx, dist, threads, task, err);
    if (rc == HS_OK)
        rc = hs_tsne_calibrate(dist, n, k, perplexity, dist, threads, task, err);
    if (rc == HS_OK)
        rc = hs_tsne_symmetrize(idx, dist, n, k, P, threads, err);
done:
    hs_free(idx);
    hs_free(dist);
    return rc;
}

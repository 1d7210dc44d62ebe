/* tsne_affin.c: t-SNE's input similarities (tsne.h).
 *
 * Rows are calibrated in fixed blocks run as par.h parts; each writes
 * only its rows, so the result does not depend on the thread count.
 * The symmetric matrix is built in the neighbour lists' own memory
 * (see "the symmetric matrix" below).
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
#include "tsne_affin.h"

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

/* ---- the symmetric matrix, built in the neighbour lists' own memory ----
 *
 * Row i of P holds its k forward entries (i's neighbours j, value c_ij,
 * plus c_ji when j lists i too: a mutual pair) and one reverse entry for
 * each j that lists i while i does not list j (value c_ji).  So row i
 * has at least k entries and starts at or after i k: the lists (sorted
 * by column) are grown in place to P's size and each row moved back to
 * its start, last row first, before the reverse entries are appended
 * and each row merged into column order.  The peak is P itself plus a
 * byte per list entry, instead of P beside sorted copies, reverse lists
 * and their values (three times the lists' size). */

struct sym_job {
    uint32_t *idx;         /* n x k, then P's columns */
    double *c;             /* n x k, then P's values */
    size_t n, k;
    unsigned char *mutual; /* n x k: the entry's pair is listed both ways */
    const size_t *rowptr;
    size_t maxrow;
    const struct hs_task *task;
    atomic_int stop;
    struct hs_par_progress prog;
};

struct entry {
    uint32_t col;
    double v;
};

static int
cmp_entry(const void *a, const void *b)
{
    uint32_t x = ((const struct entry *)a)->col, y = ((const struct entry *)b)->col;
    return x < y ? -1 : x > y;
}

static int
sym_stop(struct sym_job *j)
{
    if (atomic_load_explicit(&j->stop, memory_order_relaxed) || hs_task_cancelled(j->task)) {
        atomic_store(&j->stop, 1);
        return 1;
    }
    return 0;
}

/* Part `part`'s rows [*lo, *hi) and a scratch row of k entries (NULL
 * when out of memory); HS_ECANCELLED after a cancel. */
static int
sym_begin(struct sym_job *j, size_t part, size_t *lo, size_t *hi, struct entry **e)
{
    *lo = part * AFFIN_BLOCK;
    *hi = *lo + AFFIN_BLOCK < j->n ? *lo + AFFIN_BLOCK : j->n;
    if (sym_stop(j))
        return HS_ECANCELLED;
    if (e && !(*e = hs_malloc(j->k * sizeof **e)))
        return HS_ENOMEM;
    return HS_OK;
}

/* Each row's entries in column order (columns of a row are distinct). */
static int
sort_part(void *ctx, size_t part)
{
    struct sym_job *j = ctx;
    size_t lo, hi, k = j->k;
    struct entry *e = NULL;
    int rc = sym_begin(j, part, &lo, &hi, &e);

    if (rc)
        return rc;
    for (size_t i = lo; i < hi; i++) {
        for (size_t m = 0; m < k; m++)
            e[m] = (struct entry){j->idx[i * k + m], j->c[i * k + m]};
        qsort(e, k, sizeof *e, cmp_entry);
        for (size_t m = 0; m < k; m++) {
            j->idx[i * k + m] = e[m].col;
            j->c[i * k + m] = e[m].v;
        }
    }
    hs_free(e);
    hs_par_progress_add(&j->prog, hi - lo);
    return HS_OK;
}

/* Where row r lists column q, or k. */
static size_t
find_col(const uint32_t *row, size_t k, uint32_t q)
{
    size_t lo = 0, hi = k;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (row[mid] < q)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < k && row[lo] == q ? lo : k;
}

/* Mark the mutual pairs; the lower row of each writes c_ij + c_ji into
 * both entries (the entries it writes are read by no other part: a part
 * reads row j's entry for i only from row i or row j). */
static int
mutual_part(void *ctx, size_t part)
{
    struct sym_job *j = ctx;
    size_t lo, hi, k = j->k;

    if (sym_begin(j, part, &lo, &hi, NULL))
        return HS_ECANCELLED;
    for (size_t i = lo; i < hi; i++)
        for (size_t m = 0; m < k; m++) {
            size_t t = j->idx[i * k + m], at = find_col(j->idx + t * k, k, (uint32_t)i);
            j->mutual[i * k + m] = at < k;
            if (at < k && i < t) {
                double v = j->c[i * k + m] + j->c[t * k + at];
                j->c[i * k + m] = v;
                j->c[t * k + at] = v;
            }
        }
    hs_par_progress_add(&j->prog, hi - lo);
    return HS_OK;
}

/* Each row's forward entries (its first k, in column order) merged with
 * its reverse ones (after them, in column order), and scaled. */
static int
merge_part(void *ctx, size_t part)
{
    struct sym_job *j = ctx;
    size_t lo, hi, k = j->k;
    double scale = 1.0 / (2.0 * (double)j->n);
    struct entry *fw = NULL;
    int rc = sym_begin(j, part, &lo, &hi, &fw);

    if (rc)
        return rc;
    for (size_t i = lo; i < hi; i++) {
        size_t r0 = j->rowptr[i], r1 = j->rowptr[i + 1], a = 0, b = r0 + k, w = r0;
        for (size_t m = 0; m < k; m++)
            fw[m] = (struct entry){j->idx[r0 + m], j->c[r0 + m]};
        while (a < k || b < r1) {
            if (b == r1 || (a < k && fw[a].col < j->idx[b])) {
                j->idx[w] = fw[a].col;
                j->c[w] = fw[a++].v * scale;
            } else {
                j->idx[w] = j->idx[b];
                j->c[w] = j->c[b++] * scale;
            }
            w++;
        }
    }
    hs_free(fw);
    hs_par_progress_add(&j->prog, hi - lo);
    return HS_OK;
}

/* A serial loop's cancel check: every 2^20 entries (a few ms). */
static int
serial_stop(struct sym_job *j, size_t e)
{
    return (e & ((1u << 20) - 1)) == 0 && sym_stop(j);
}

int
hs_tsne_symmetrize_lists(uint32_t *idx, double *c, size_t n, size_t k, struct hs_tsne_p *P,
                         int threads, const struct hs_task *task, struct hs_err *err)
{
    struct sym_job j = {.idx = idx, .c = c, .n = n, .k = k, .task = task};
    int rc = HS_OK, nth = threads > 0 ? threads : hs_par_threads();
    size_t nparts = (n + AFFIN_BLOCK - 1) / AFFIN_BLOCK, nnz;
    size_t *rowptr = hs_calloc(n + 1, sizeof *rowptr);
    uint32_t *cursor = NULL;

    memset(P, 0, sizeof *P);
    j.mutual = hs_malloc(n * k);
    if (!rowptr || !j.mutual)
        goto nomem;
    atomic_init(&j.stop, 0);
    hs_par_progress_init(&j.prog, task, 3 * n, "t-SNE: symmetric similarities", false);
    rc = hs_par_run(nparts, nth, sort_part, &j);
    if (rc == HS_OK)
        rc = hs_par_run(nparts, nth, mutual_part, &j);
    if (rc)
        goto fail;
    /* Row sizes: k, and one more for each one-way entry pointing at it. */
    for (size_t e = 0; e < n * k; e++) {
        if (serial_stop(&j, e))
            goto cancelled;
        rowptr[idx[e] + 1] += !j.mutual[e];
    }
    for (size_t i = 0; i < n; i++)
        rowptr[i + 1] += rowptr[i] + k;
    nnz = rowptr[n];
    /* Grown in place (a large block's realloc remaps its pages, no copy),
     * then each row moved back to its start, the last one first. */
    uint32_t *col = hs_realloc(idx, nnz * sizeof *col);
    if (!col)
        goto nomem;
    j.idx = idx = col;
    double *val = hs_realloc(c, nnz * sizeof *val);
    if (!val)
        goto nomem;
    j.c = c = val;
    for (size_t i = n; i-- > 0;) {
        memmove(idx + rowptr[i], idx + i * k, k * sizeof *idx);
        memmove(c + rowptr[i], c + i * k, k * sizeof *c);
        if (serial_stop(&j, i))
            goto cancelled;
    }
    /* The reverse entries, each row's in increasing source order. */
    cursor = hs_malloc(n * sizeof *cursor);
    if (!cursor)
        goto nomem;
    for (size_t i = 0; i < n; i++)
        cursor[i] = (uint32_t)k;
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < k; m++) {
            if (j.mutual[i * k + m])
                continue;
            size_t t = idx[rowptr[i] + m], at = rowptr[t] + cursor[t]++;
            idx[at] = (uint32_t)i;
            c[at] = c[rowptr[i] + m];
            if (serial_stop(&j, i * k + m))
                goto cancelled;
        }
    hs_free(j.mutual);
    j.mutual = NULL;
    hs_free(cursor);
    cursor = NULL;
    j.rowptr = rowptr;
    rc = hs_par_run(nparts, nth, merge_part, &j);
    if (rc)
        goto fail;
    P->n = n;
    P->rowptr = rowptr;
    P->col = idx;
    P->val = c;
    return HS_OK;
nomem:
    rc = HS_ENOMEM;
    goto fail;
cancelled:
    rc = HS_ECANCELLED;
fail:
    hs_free(rowptr);
    hs_free(j.mutual);
    hs_free(cursor);
    hs_free(idx);
    hs_free(c);
    if (rc == HS_ECANCELLED || atomic_load(&j.stop))
        return hs_err_set(err, HS_ECANCELLED, "t-SNE cancelled");
    return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's similarities of %zu points", n);
}

int
hs_tsne_symmetrize(const size_t *idx, const double *c, size_t n, size_t k,
                   struct hs_tsne_p *P, int threads, struct hs_err *err)
{
    uint32_t *i32 = hs_malloc(n * k * sizeof *i32);
    double *c2 = hs_malloc(n * k * sizeof *c2);

    memset(P, 0, sizeof *P);
    if (!i32 || !c2) {
        hs_free(i32);
        hs_free(c2);
        return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's similarities");
    }
    for (size_t e = 0; e < n * k; e++)
        i32[e] = (uint32_t)idx[e];
    memcpy(c2, c, n * k * sizeof *c2);
    return hs_tsne_symmetrize_lists(i32, c2, n, k, P, threads, NULL, err);
}

int
hs_tsne_neighbours(const double *x, size_t n, size_t dim, size_t k, uint64_t seed, uint32_t *idx,
                   double *dist, int threads, const struct hs_task *task, struct hs_err *err)
{
    return n <= HS_TSNE_EXACT_KNN
               ? hs_knn_exact32(x, n, dim, k, idx, dist, threads, task, err)
               : hs_knn_approx32(x, n, dim, k, seed, idx, dist, threads, task, err);
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
    uint32_t *idx = hs_malloc(n * k * sizeof *idx);
    double *dist = hs_malloc(n * k * sizeof *dist);
    if (!idx || !dist) {
        hs_free(idx);
        hs_free(dist);
        return hs_err_set(err, HS_ENOMEM,
                          "out of memory for t-SNE's %zu neighbours of %zu points", k, n);
    }
    rc = hs_tsne_neighbours(x, n, dim, k, seed, idx, dist, threads, task, err);
    if (rc == HS_OK)
        rc = hs_tsne_calibrate(dist, n, k, perplexity, dist, threads, task, err);
    if (rc) {
        hs_free(idx);
        hs_free(dist);
        return rc;
    }
    /* The lists become P's arrays (or are freed on an error). */
    return hs_tsne_symmetrize_lists(idx, dist, n, k, P, threads, task, err);
}

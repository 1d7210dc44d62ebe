/* tsne_opt.c: t-SNE's gradient descent (tsne.h).
 *
 * As van der Maaten's bhtsne, scikit-learn and openTSNE run it: the
 * first exag_iterations with P multiplied by the exaggeration and
 * momentum 0.5, the rest with P as it is and momentum 0.8; per
 * coordinate gains (Jacobs 1988) grow by 0.2 while the gradient keeps
 * its sign against the last update and shrink by a factor 0.8 when it
 * changes, never below 0.01.  The embedding is re-centred after each
 * update (as openTSNE does), which changes no distance and keeps the FFT
 * grid on the points.  The gradient carries its factor 4 (tsne.h), so
 * the learning rate is scikit-learn's: its "auto" max(n / exaggeration /
 * 4, 50) is openTSNE's and FIt-SNE's n / exaggeration on their gradient
 * without the 4.
 */
#include "config.h"

#include "tsne.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mem.h"
#include "par.h"

#define TSNE_MIN_GAIN 0.01
/* Points per block of the update (its parts). */
#define TSNE_BLOCK 4096

static size_t
update_blocks(size_t n)
{
    return (n + TSNE_BLOCK - 1) / TSNE_BLOCK;
}
/* The FFT's grid: at least this many boxes per dimension, this many
 * interpolation nodes in each (FIt-SNE's defaults), and at most
 * TSNE_FFT_MAX_BOXES boxes, a bound on the grid's memory (some 250 MB)
 * for maps of many millions of points rather than a speed-up: boxes
 * wider than 1 lose accuracy fast (tests/unit/test_tsne.c), so it
 * stays above the 600-odd units a million points spread over. */
#define TSNE_FFT_MIN_BOXES 50
#define TSNE_FFT_MAX_BOXES 1000
#define TSNE_FFT_NODES 3
/* 2-d maps at least TSNE_SPLIT_EXTENT units wide take the kernels' split
 * (tsne_split.c): boxes TSNE_SPLIT_BOX units wide, pairs closer than
 * TSNE_SPLIT_RC summed directly.  Measured (bench/RESULTS.md, t-SNE's
 * kernel split; tsne_iter_bench split/rep/acc, one thread, CPU per call,
 * load 6-7): the 20,000-point map (extent 148) 0.012 s against 0.018-
 * 0.021, largest force error over all points 0.041 against 0.087 of the
 * largest force, Z 7e-5 against 1e-3 relative; the 200,000-point
 * stand-in (472) 0.157-0.178 s against 0.273, error 0.021-0.026
 * against 0.040; the 1,000,000-point one (1,062) 1.12 s against 3.49.
 * A whole run of 20,000 points (the split from iteration ~860 on): KL
 * 3.2626 against 3.2642.  Narrower maps were not measured: their plain
 * grid is small.  Dense maps keep the plain grid too: the near sums grow
 * with the points per unit^2, the plain grid with the extent^2, and the
 * two cross near extent^2 = n / 2 (a real 200,000-point map at extent
 * 216, extent^2 / n = 0.23: plain 0.120 s against the split's 0.197 s
 * of CPU per call, one thread, load 7; the same map scaled 1.5x, 0.52:
 * 0.140 against 0.148; scaled 2x, 0.93: 0.216 against 0.151). */
#define TSNE_SPLIT_EXTENT 140
#define TSNE_SPLIT_SPREAD 0.5
#define TSNE_SPLIT_BOX 2.0
#define TSNE_SPLIT_RC 2.5

/* Iterations at which a 2-d map's points are renumbered along a Hilbert
 * curve through it: the start, then as the map unfolds. */
static const size_t tsne_reorder_at[] = {0, 50, 250, 500};

/* Position along a Hilbert curve of the cell (x, y) of a 2^16 x 2^16 grid. */
static uint32_t
hilbert_key(uint32_t x, uint32_t y)
{
    const uint32_t side = 1u << 16;
    uint32_t d = 0;
    for (uint32_t h = side / 2; h > 0; h /= 2) {
        uint32_t rx = (x & h) > 0, ry = (y & h) > 0;
        d += h * h * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = side - 1 - x;
                y = side - 1 - y;
            }
            uint32_t t = x;
            x = y;
            y = t;
        }
    }
    return d;
}

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* dst[k] = src[from[k]] for 2-d points. */
static void
gather_2d(double *dst, const double *src, const uint32_t *from, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        dst[2 * k] = src[2 * (size_t)from[k]];
        dst[2 * k + 1] = src[2 * (size_t)from[k] + 1];
    }
}

int
hs_tsne_hilbert_order(const double *y, size_t n, uint32_t *from)
{
    double mn[2] = {INFINITY, INFINITY}, mx[2] = {-INFINITY, -INFINITY};
    uint64_t *key = hs_malloc((n ? n : 1) * sizeof *key);
    if (!key)
        return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < 2; c++) {
            mn[c] = fmin(mn[c], y[2 * i + c]);
            mx[c] = fmax(mx[c], y[2 * i + c]);
        }
    double scale = 65535 / fmax(fmax(mx[0] - mn[0], mx[1] - mn[1]), 1e-300);
    for (size_t i = 0; i < n; i++) {
        uint32_t hx = (uint32_t)fmin(65535, (y[2 * i] - mn[0]) * scale);
        uint32_t hy = (uint32_t)fmin(65535, (y[2 * i + 1] - mn[1]) * scale);
        key[i] = (uint64_t)hilbert_key(hx, hy) << 32 | i;
    }
    qsort(key, n, sizeof *key, cmp_u64);
    for (size_t k = 0; k < n; k++)
        from[k] = (uint32_t)key[k];
    hs_free(key);
    return 0;
}

int
hs_tsne_pc_make(const struct hs_tsne_p *P, const uint32_t *perm, struct hs_tsne_pc *pc)
{
    size_t n = P->n, nnz = P->rowptr[n];
    uint32_t *inv = hs_malloc((n ? n : 1) * sizeof *inv);
    if (!pc->rowptr) {
        pc->n = n;
        pc->rowptr = hs_malloc((n + 1) * sizeof *pc->rowptr);
        pc->col = hs_malloc((nnz ? nnz : 1) * sizeof *pc->col);
        pc->val = hs_malloc((nnz ? nnz : 1) * sizeof *pc->val);
    }
    if (!inv || !pc->rowptr || !pc->col || !pc->val) {
        hs_free(inv);
        hs_tsne_pc_release(pc);
        return -1;
    }
    for (size_t k = 0; k < n; k++)
        inv[perm ? perm[k] : k] = (uint32_t)k;
    pc->rowptr[0] = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = perm ? perm[k] : k, lo = P->rowptr[i], len = P->rowptr[i + 1] - lo;
        size_t at = pc->rowptr[k];
        for (size_t e = 0; e < len; e++) {
            pc->col[at + e] = inv[P->col[lo + e]];
            pc->val[at + e] = (float)P->val[lo + e];
        }
        pc->rowptr[k + 1] = at + len;
    }
    hs_free(inv);
    return 0;
}

void
hs_tsne_pc_release(struct hs_tsne_pc *pc)
{
    hs_free(pc->rowptr);
    hs_free(pc->col);
    hs_free(pc->val);
    memset(pc, 0, sizeof *pc);
}

/* The working P's rows and columns renumbered: new position k is old
 * position from[k].  One array is remade at a time (the columns, then
 * the values: 12 bytes a similarity at most, as much as the caller's P
 * held).  -1: out of memory, pc then either as it was or released. */
static int
pc_renumber(struct hs_tsne_pc *pc, const uint32_t *from)
{
    size_t n = pc->n, nnz = pc->rowptr[n];
    size_t *rowptr = hs_malloc((n + 1) * sizeof *rowptr);
    uint32_t *inv = hs_malloc((n ? n : 1) * sizeof *inv);
    uint32_t *col = hs_malloc((nnz ? nnz : 1) * sizeof *col);
    if (!rowptr || !inv || !col) {
        hs_free(rowptr);
        hs_free(inv);
        hs_free(col);
        return -1;
    }
    for (size_t k = 0; k < n; k++)
        inv[from[k]] = (uint32_t)k;
    rowptr[0] = 0;
    for (size_t k = 0; k < n; k++) {
        size_t lo = pc->rowptr[from[k]], len = pc->rowptr[from[k] + 1] - lo;
        for (size_t e = 0; e < len; e++)
            col[rowptr[k] + e] = inv[pc->col[lo + e]];
        rowptr[k + 1] = rowptr[k] + len;
    }
    hs_free(inv);
    hs_free(pc->col);
    pc->col = col;
    float *val = hs_malloc((nnz ? nnz : 1) * sizeof *val);
    if (!val) { /* columns renumbered, values not: unusable */
        hs_free(rowptr);
        hs_tsne_pc_release(pc);
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        size_t lo = pc->rowptr[from[k]];
        memcpy(val + rowptr[k], pc->val + lo, (rowptr[k + 1] - rowptr[k]) * sizeof *val);
    }
    hs_free(pc->val);
    hs_free(pc->rowptr);
    pc->rowptr = rowptr;
    pc->val = val;
    return 0;
}

/* Renumbers the points along a Hilbert curve through the map as it is
 * now: y, update and gains moved, perm and the working P rebuilt.
 * Scratch: attr.  -1: out of memory. */
static int
reorder(struct hs_tsne_opt *s)
{
    size_t n = s->n;
    uint32_t *from = hs_malloc((n ? n : 1) * sizeof *from);
    uint32_t *perm = hs_malloc((n ? n : 1) * sizeof *perm);
    int rc = -1;
    if (!s->pc.rowptr || !from || !perm || hs_tsne_hilbert_order(s->y, n, from) ||
        pc_renumber(&s->pc, from))
        goto out;
    for (size_t k = 0; k < n; k++)
        perm[k] = s->perm[from[k]];
    double *arr[3] = {s->y, s->update, s->gains};
    for (size_t a = 0; a < 3; a++) {
        gather_2d(s->attr, arr[a], from, n);
        memcpy(arr[a], s->attr, 2 * n * sizeof *s->attr);
    }
    hs_free(s->perm);
    s->perm = perm;
    perm = NULL;
    rc = 0;
out:
    hs_free(from);
    hs_free(perm);
    return rc;
}

/* y, update and gains from the points' own order into the working one
 * (into) or back; scratch: attr. */
static void
renumber(struct hs_tsne_opt *s, bool into)
{
    double *arr[3] = {s->y, s->update, s->gains};
    for (size_t a = 0; a < 3; a++) {
        if (into)
            gather_2d(s->attr, arr[a], s->perm, s->n);
        else
            for (size_t k = 0; k < s->n; k++) {
                s->attr[2 * (size_t)s->perm[k]] = arr[a][2 * k];
                s->attr[2 * (size_t)s->perm[k] + 1] = arr[a][2 * k + 1];
            }
        memcpy(arr[a], s->attr, 2 * s->n * sizeof *s->attr);
    }
}

/* P's arrays as the working form in the points' order: the columns as
 * they are, the values narrowed to floats in their own buffer (float e
 * goes where the bytes of doubles before e were, all read by then),
 * which then shrinks; P is left empty. */
static void
pc_take(struct hs_tsne_p *P, struct hs_tsne_pc *pc)
{
    size_t nnz = P->rowptr[P->n];
    unsigned char *buf = (unsigned char *)P->val;
    for (size_t e = 0; e < nnz; e++) {
        double v;
        memcpy(&v, buf + e * sizeof v, sizeof v);
        float f = (float)v;
        memcpy(buf + e * sizeof f, &f, sizeof f);
    }
    void *small = hs_realloc(buf, (nnz ? nnz : 1) * sizeof(float));
    *pc = (struct hs_tsne_pc){.n = P->n, .rowptr = P->rowptr, .col = P->col,
                              .val = small ? small : (void *)buf};
    memset(P, 0, sizeof *P);
}

static int
opt_init(struct hs_tsne_opt *s, struct hs_tsne_p *take, const struct hs_tsne_p *P,
         const double *y0, const struct hs_tsne_opts *o, struct hs_err *err)
{
    size_t nd = P->n * o->dims;
    memset(s, 0, sizeof *s);
    s->o = *o;
    s->P = P;
    s->n = P->n;
    s->kl = NAN;
    s->y = hs_malloc(nd * sizeof *s->y);
    s->update = hs_calloc(nd, sizeof *s->update);
    s->gains = hs_malloc(nd * sizeof *s->gains);
    s->grad = hs_malloc(nd * sizeof *s->grad);
    s->attr = hs_malloc(nd * sizeof *s->attr);
    s->rep = hs_malloc(nd * sizeof *s->rep);
    s->sums = hs_malloc(3 * update_blocks(P->n) * sizeof *s->sums);
    if (!s->y || !s->update || !s->gains || !s->grad || !s->attr || !s->rep || !s->sums) {
        hs_tsne_opt_release(s);
        return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's %zu points", P->n);
    }
    memcpy(s->y, y0, nd * sizeof *s->y);
    for (size_t i = 0; i < nd; i++)
        s->gains[i] = 1;
    for (size_t e = 0; e < P->rowptr[P->n]; e++)
        if (P->val[e] > 0)
            s->plogp += P->val[e] * log(P->val[e]);
    if (o->dims == 2 && P->n <= UINT32_MAX) {
        s->perm = hs_malloc((P->n ? P->n : 1) * sizeof *s->perm);
        if (!s->perm || (!take && hs_tsne_pc_make(P, NULL, &s->pc))) {
            hs_tsne_opt_release(s);
            return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's %zu points", P->n);
        }
        for (size_t i = 0; i < P->n; i++)
            s->perm[i] = (uint32_t)i;
        if (take)
            pc_take(take, &s->pc);
        s->P = NULL;
    }
    return HS_OK;
}

int
hs_tsne_opt_init(struct hs_tsne_opt *s, const struct hs_tsne_p *P, const double *y0,
                 const struct hs_tsne_opts *o, struct hs_err *err)
{
    return opt_init(s, NULL, P, y0, o, err);
}

int
hs_tsne_opt_init_taking(struct hs_tsne_opt *s, struct hs_tsne_p *P, const double *y0,
                        const struct hs_tsne_opts *o, struct hs_err *err)
{
    return opt_init(s, P, P, y0, o, err);
}

void
hs_tsne_opt_release(struct hs_tsne_opt *s)
{
    hs_free(s->y);
    hs_free(s->update);
    hs_free(s->gains);
    hs_free(s->grad);
    hs_free(s->attr);
    hs_free(s->rep);
    hs_free(s->sums);
    hs_tsne_fft_release(s->fft);
    hs_free(s->perm);
    hs_tsne_pc_release(&s->pc);
    s->perm = NULL;
    s->y = s->update = s->gains = s->grad = s->attr = s->rep = s->sums = NULL;
    s->fft = NULL;
}

/* The update of a block of points: gains, momentum, the step; each
 * block's coordinate sums (for the re-centring) kept apart and added in
 * block order, so the result never depends on the thread count. */
struct update_job {
    struct hs_tsne_opt *s;
    double exag, mom, inv_z;
    double *sums; /* 3 per block */
    double mean[3];
};

static int
update_part(void *ctx, size_t part)
{
    struct update_job *u = ctx;
    struct hs_tsne_opt *s = u->s;
    size_t d = s->o.dims, lo, hi;
    double lr = s->o.learning_rate, sum[3] = {0, 0, 0};
    hs_par_range(s->n, update_blocks(s->n), part, &lo, &hi);
    for (size_t i = lo * d; i < hi * d; i++) {
        double g = 4 * (u->exag * s->attr[i] - s->rep[i] * u->inv_z);
        s->grad[i] = g;
        if (g * s->update[i] < 0)
            s->gains[i] += 0.2;
        else
            s->gains[i] *= 0.8;
        if (s->gains[i] < TSNE_MIN_GAIN)
            s->gains[i] = TSNE_MIN_GAIN;
        s->update[i] = u->mom * s->update[i] - lr * s->gains[i] * g;
        s->y[i] += s->update[i];
        sum[i % d] += s->y[i];
    }
    for (size_t c = 0; c < 3; c++)
        u->sums[3 * part + c] = sum[c];
    return HS_OK;
}

static int
recentre_part(void *ctx, size_t part)
{
    struct update_job *u = ctx;
    struct hs_tsne_opt *s = u->s;
    size_t d = s->o.dims, lo, hi;
    hs_par_range(s->n, update_blocks(s->n), part, &lo, &hi);
    for (size_t i = lo * d; i < hi * d; i++)
        s->y[i] -= u->mean[i % d];
    return HS_OK;
}

/* The larger of the map's widths along its 2 axes. */
static double
extent_of(const double *y, size_t n)
{
    double mn[2] = {INFINITY, INFINITY}, mx[2] = {-INFINITY, -INFINITY};
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < 2; c++) {
            mn[c] = fmin(mn[c], y[2 * i + c]);
            mx[c] = fmax(mx[c], y[2 * i + c]);
        }
    return fmax(mx[0] - mn[0], mx[1] - mn[1]);
}

/* One iteration; y changes only when the whole gradient was computed. */
static int
iterate(struct hs_tsne_opt *s, bool want_kl, const struct hs_task *task, struct hs_err *err)
{
    const struct hs_tsne_opts *o = &s->o;
    size_t d = o->dims, blocks = update_blocks(s->n);
    bool early = s->iter < o->exag_iterations;
    int threads = o->threads > 0 ? o->threads : hs_par_threads(), rc;
    double Z, plogw = 0;

    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "t-SNE cancelled");
    if (s->perm && !s->pc.rowptr) /* lost to a failed renumbering */
        return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's %zu points", s->n);
    double t0 = hs_tsne_now();
    double ext = o->repulsion == HS_TSNE_FFT && d == 2 ? extent_of(s->y, s->n) : 0;
    if (ext >= TSNE_SPLIT_EXTENT && ext * ext >= TSNE_SPLIT_SPREAD * (double)s->n)
        rc = hs_tsne_repulsion_split(&s->fft, s->y, s->n, TSNE_SPLIT_BOX, TSNE_FFT_NODES,
                                     TSNE_SPLIT_RC, TSNE_FFT_MAX_BOXES, s->rep, &Z, o->threads,
                                     task, err);
    else if (o->repulsion == HS_TSNE_FFT)
        rc = hs_tsne_repulsion_fft(&s->fft, s->y, s->n, d, TSNE_FFT_MIN_BOXES,
                                   TSNE_FFT_MAX_BOXES, TSNE_FFT_NODES, s->rep, &Z, o->threads,
                                   task, err);
    else
        rc = hs_tsne_repulsion_bh(s->y, s->n, d, o->theta, s->rep, &Z, o->threads, task, err);
    if (rc)
        return rc;
    double t1 = hs_tsne_now();
    if (s->perm)
        hs_tsne_attraction_2d(&s->pc, s->y, s->attr, want_kl ? &plogw : NULL, o->threads);
    else
        hs_tsne_attraction(s->P, s->y, d, s->attr, want_kl ? &plogw : NULL, o->threads);
    double t2 = hs_tsne_now();
    if (want_kl)
        s->kl = s->plogp - plogw + log(Z);
    struct update_job u = {.s = s, .exag = early ? o->exaggeration : 1, .mom = early ? 0.5 : 0.8,
                           .inv_z = Z > 0 ? 1 / Z : 0, .sums = s->sums};
    hs_par_run(blocks, threads, update_part, &u);
    for (size_t b = 0; b < blocks; b++)
        for (size_t c = 0; c < d; c++)
            u.mean[c] += s->sums[3 * b + c];
    for (size_t c = 0; c < d; c++)
        u.mean[c] /= (double)s->n;
    hs_par_run(blocks, threads, recentre_part, &u);
    s->iter++;
    s->secs_rep += t1 - t0;
    s->secs_attr += t2 - t1;
    s->secs_update += hs_tsne_now() - t2;
    return HS_OK;
}

double
hs_tsne_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int
hs_tsne_opt_run(struct hs_tsne_opt *s, size_t count, bool want_kl, const struct hs_task *task,
                struct hs_err *err)
{
    double last_report = hs_tsne_now();
    int rc = HS_OK;
    if (s->perm)
        renumber(s, true);
    for (size_t t = 0; t < count && s->iter < s->o.iterations; t++) {
        bool last = t + 1 == count || s->iter + 1 == s->o.iterations;
        if (s->perm) {
            bool now = false;
            for (size_t r = 0; r < sizeof tsne_reorder_at / sizeof *tsne_reorder_at; r++)
                now = now || s->iter == tsne_reorder_at[r];
            if (now && reorder(s)) {
                rc = hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's %zu points", s->n);
                break;
            }
        }
        rc = iterate(s, want_kl && last, task, err);
        if (rc)
            break;
        if (hs_tsne_now() - last_report > 0.2) {
            last_report = hs_tsne_now();
            hs_task_progress(task, (double)s->iter / (double)s->o.iterations,
                             "t-SNE: optimising");
        }
    }
    if (s->perm)
        renumber(s, false);
    return rc;
}

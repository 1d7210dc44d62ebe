/* umap_sgd.c: UMAP's layout optimisation (see umap.h; umap-learn's
 * optimize_layout_euclidean).
 *
 * Which edges an epoch samples, and how many negative samples each takes,
 * are functions of the epoch and the edge's weight (below), not running
 * counters, so an epoch can be abandoned on a cancel and run again.
 *
 * Determinism with threads.  umap-learn updates both ends of an edge in
 * place as it goes (Hogwild when parallel), so its result depends on the
 * schedule.  Here each epoch starts from a snapshot of the layout; a
 * point's own position moves through its edges in order as in
 * umap-learn, while the positions it is pulled towards or pushed from are
 * read from the snapshot, and only the point itself is written.  The
 * graph is symmetric and an edge's two directions are sampled in the same
 * epochs, so umap-learn's "move the other end too" is the pull of the
 * reverse direction, applied here to the point with its own edge (twice
 * the pull, clipped each time as umap-learn clips it).  An edge's pull
 * and its negative samples' pushes are computed from one position and
 * summed (umap-learn moves the point after each one: a chain of
 * dependent divisions that would take most of the time).  Negative samples
 * come from a stream seeded by (seed, epoch, point).  A point's update
 * then depends on nothing another point does within the epoch, and the
 * layout is the same for every thread count and load; the points are
 * split in parts of fixed size that the executor runs in any order.
 * This is uwot's batch idea (reads from the epoch's start) kept with
 * plain SGD and per-point sequential updates.
 */
#include "config.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "mem.h"
#include "par.h"
#include "rng.h"
#include "umap.h"

/* Points per part of an epoch. */
#define SGD_PART 1024
#define SGD_CLIP 4.0
#define SGD_MAX_DIM 16
/* umap-learn's repulsion strength and the 0.001 that keeps it finite. */
#define SGD_GAMMA 1.0
#define SGD_EPS 0.001
#define LOSS_PAIRS 5

struct hs_umap_sgd {
    const struct hs_csr *g;
    size_t n, dim, epochs, epoch, negative;
    double a, b, inv_wmax;
    uint64_t seed;
    float *y, *prev;
    /* the running epoch */
    double alpha;
    const struct hs_task *task;
    atomic_int stop;
};

int
hs_umap_sgd_new(const struct hs_csr *g, const double *y, size_t dim, double a, double b,
                size_t epochs, size_t negative, uint64_t seed, struct hs_umap_sgd **out,
                struct hs_err *err)
{
    struct hs_umap_sgd *s;
    size_t n = g->n, nnz = g->start[n];
    double wmax = 0;

    *out = NULL;
    if (dim == 0 || dim > SGD_MAX_DIM)
        return hs_err_set(err, HS_EUSAGE, "umap lays out in 1 to %d dimensions, not %zu",
                          SGD_MAX_DIM, dim);
    s = hs_calloc(1, sizeof *s);
    if (!s)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    s->y = hs_malloc(n * dim * sizeof *s->y);
    s->prev = hs_malloc(n * dim * sizeof *s->prev);
    if (!s->y || !s->prev) {
        hs_umap_sgd_free(s);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t e = 0; e < nnz; e++)
        wmax = g->w[e] > wmax ? g->w[e] : wmax;
    for (size_t i = 0; i < n * dim; i++)
        s->y[i] = (float)y[i];
    s->g = g;
    s->n = n;
    s->dim = dim;
    s->a = a;
    s->b = b;
    s->epochs = epochs;
    s->negative = negative;
    s->seed = seed;
    s->inv_wmax = wmax > 0 ? 1 / wmax : 0;
    *out = s;
    return HS_OK;
}

void
hs_umap_sgd_free(struct hs_umap_sgd *s)
{
    if (!s)
        return;
    hs_free(s->y);
    hs_free(s->prev);
    hs_free(s);
}

size_t
hs_umap_sgd_epoch(const struct hs_umap_sgd *s)
{
    return s->epoch;
}

void
hs_umap_sgd_layout(const struct hs_umap_sgd *s, double *y)
{
    for (size_t i = 0; i < s->n * s->dim; i++)
        y[i] = s->y[i];
}

/* In this form GCC makes a min and a max of it, no jumps. */
static inline double
clip(double v)
{
    v = v < SGD_CLIP ? v : SGD_CLIP;
    return v > -SGD_CLIP ? v : -SGD_CLIP;
}

/* floor of a number in [0, 2^62): a truncation (floor() without SSE4.1
 * is a sequence of tests). */
static inline double
floor_pos(double x)
{
    return (double)(int64_t)x;
}

/* A draw of the stream keyed by key: counter-based, so a point's draws
 * do not depend on any other point's. */
static inline uint32_t
draw_below(uint64_t key, uint64_t t, uint32_t n)
{
    return (uint32_t)(((hs_mix64(key + t * HS_RNG_GOLDEN) >> 32) * n) >> 32);
}

/* umap-learn samples an edge of weight w (r = w / max w) whenever its
 * counter, starting at 1/r and growing by 1/r, is at most the epoch: at
 * the epochs where floor(e r) steps up.  Its negative-sample counter
 * starts at 1/(r neg) and grows by 1/(r neg) per negative sample taken:
 * by the sample in epoch e it has taken floor(e r neg) - 1 in all. */
static inline size_t
negatives_at(double r, size_t e, double neg)
{
    double prev_k = floor_pos((double)(e - 1) * r);
    double taken_before;

    if (prev_k < 1) {
        taken_before = 0;
    } else {
        /* the epoch of the previous sample: the first where floor(e r) reached prev_k */
        double e_prev = floor_pos(prev_k / r) + 1;
        while (e_prev > 1 && floor_pos((e_prev - 1) * r) >= prev_k)
            e_prev -= 1;
        while (floor_pos(e_prev * r) < prev_k)
            e_prev += 1;
        taken_before = floor_pos(e_prev * r * neg) - 1;
    }
    double now = floor_pos((double)e * r * neg) - 1 - taken_before;
    return now > 0 ? (size_t)now : 0;
}

/* x^b for x > 0 by exp2(b log2 x) with polynomials fitted on Chebyshev
 * nodes (no division, whose latency would dominate): the optimisation
 * spends most of its time here, and its noisy steps do not need libm's
 * last bits (relative error below 1e-6). */
static inline double
fast_pow(double x, double b)
{
    union {
        double d;
        uint64_t u;
    } v = {x};
    double e = (double)((int64_t)((v.u >> 52) & 0x7ff) - 1023), u, l, y, k, f, p;

    v.u = (v.u & UINT64_C(0x000fffffffffffff)) | UINT64_C(0x3ff0000000000000);
    if (v.d > 1.41421356237309515) { /* x = m 2^e, m in [2^-1/2, 2^1/2) */
        v.d *= 0.5;
        e += 1;
    }
    u = v.d - 1; /* log2(1 + u), |error| < 6e-8 */
    l = e + u * (1.4426948208371848 +
                 u * (-0.7213575746403127 +
                      u * (0.48093231895997074 +
                           u * (-0.36006466344387733 +
                                u * (0.28688511775058984 +
                                     u * (-0.2504973469110849 +
                                          u * (0.2357155396856432 +
                                               u * -0.14302382523093024)))))));
    y = b * l;
    if (y < -1000)
        return 0;
    if (y > 1000)
        return INFINITY;
    k = floor_pos(y + 1024) - 1024;
    f = y - k; /* 2^f on [0, 1), relative error < 1.1e-7 */
    p = 0.9999998957631353 +
        f * (0.6931546200032993 +
             f * (0.24014077009183826 +
                  f * (0.055863282659261104 + f * (0.008946214666326113 + f * 0.0018951072910060596))));
    v.u = (uint64_t)((int64_t)k + 1023) << 52;
    return p * v.d;
}

struct epoch_ctx {
    struct hs_umap_sgd *s;
    size_t e;
};

/* One point's updates in epoch e (see the file's comment); dim is a
 * constant where inlined for 2. */
static inline __attribute__((always_inline)) void
update_point(struct hs_umap_sgd *s, size_t i, size_t e, size_t dim)
{
    const struct hs_csr *g = s->g;
    double a = s->a, b = s->b, alpha = s->alpha, neg = (double)s->negative;
    double cur[SGD_MAX_DIM];
    uint64_t key = hs_mix64(s->seed ^ hs_mix64((uint64_t)e * HS_RNG_GOLDEN + i));
    uint64_t t = 0;
    uint32_t n = (uint32_t)s->n;

    for (size_t d = 0; d < dim; d++)
        cur[d] = s->y[i * dim + d];
    for (size_t k = g->start[i]; k < g->start[i + 1]; k++) {
        double r = g->w[k] * s->inv_wmax;
        const float *other = s->prev + (size_t)g->col[k] * dim;
        double d2 = 0, gc = 0;
        size_t nneg;
        if (!(floor_pos((double)e * r) > floor_pos((double)(e - 1) * r)))
            continue;
        for (size_t d = 0; d < dim; d++)
            d2 += (cur[d] - other[d]) * (cur[d] - other[d]);
        if (d2 > 0) {
            double pb = fast_pow(d2, b);
            gc = -2 * a * b * (pb / d2) / (a * pb + 1);
        }
        /* the pull and the edge's negative samples all start from the
         * same position, their steps summed: independent of each other,
         * they overlap in the pipeline instead of waiting on one
         * another's divisions */
        double push[SGD_MAX_DIM];
        for (size_t d = 0; d < dim; d++)
            push[d] = 2 * clip(gc * (cur[d] - other[d]));
        nneg = negatives_at(r, e, neg);
        for (size_t p = 0; p < nneg; p++) {
            uint32_t j = draw_below(key, t++, n);
            const float *o = s->prev + (size_t)j * dim;
            d2 = 0;
            for (size_t d = 0; d < dim; d++)
                d2 += (cur[d] - o[d]) * (cur[d] - o[d]);
            if (d2 > 0) {
                gc = 2 * SGD_GAMMA * b / ((SGD_EPS + d2) * (a * fast_pow(d2, b) + 1));
            } else if (j == i) {
                continue;
            } else {
                gc = 0;
            }
            for (size_t d = 0; d < dim; d++)
                push[d] += gc > 0 ? clip(gc * (cur[d] - o[d])) : SGD_CLIP;
        }
        for (size_t d = 0; d < dim; d++)
            cur[d] += push[d] * alpha;
    }
    for (size_t d = 0; d < dim; d++)
        s->y[i * dim + d] = (float)cur[d];
}

static int
epoch_part(void *ctx, size_t part)
{
    const struct epoch_ctx *c = ctx;
    struct hs_umap_sgd *s = c->s;
    size_t lo = part * SGD_PART, hi = lo + SGD_PART < s->n ? lo + SGD_PART : s->n;

    if (atomic_load_explicit(&s->stop, memory_order_relaxed))
        return 0;
    if (hs_task_cancelled(s->task)) {
        atomic_store(&s->stop, 1);
        return 0;
    }
    if (s->dim == 2)
        for (size_t i = lo; i < hi; i++)
            update_point(s, i, c->e, 2);
    else
        for (size_t i = lo; i < hi; i++)
            update_point(s, i, c->e, s->dim);
    return 0;
}

int
hs_umap_sgd_run(struct hs_umap_sgd *s, size_t count, int threads, const struct hs_task *task,
                struct hs_err *err)
{
    size_t nparts = (s->n + SGD_PART - 1) / SGD_PART;

    for (size_t c = 0; c < count && s->epoch < s->epochs; c++) {
        struct epoch_ctx ctx = {s, s->epoch + 1};
        if (hs_task_cancelled(task))
            return hs_err_set(err, HS_ECANCELLED, "umap cancelled");
        memcpy(s->prev, s->y, s->n * s->dim * sizeof *s->y);
        s->alpha = 1.0 - (double)s->epoch / (double)s->epochs;
        s->task = task;
        atomic_store(&s->stop, 0);
        hs_par_run(nparts, threads, epoch_part, &ctx);
        if (atomic_load(&s->stop)) {
            memcpy(s->y, s->prev, s->n * s->dim * sizeof *s->y);
            return hs_err_set(err, HS_ECANCELLED, "umap cancelled");
        }
        s->epoch++;
    }
    return HS_OK;
}

/* ---- the loss ---- */

struct loss_ctx {
    const struct hs_umap_sgd *s;
    double *part_edges, *part_random;
};

static double
curve(const struct hs_umap_sgd *s, const float *p, const float *q)
{
    double d2 = 0;

    for (size_t d = 0; d < s->dim; d++)
        d2 += ((double)p[d] - q[d]) * ((double)p[d] - q[d]);
    return d2 > 0 ? 1 / (1 + s->a * exp(s->b * log(d2))) : 1;
}

static double
xlogy(double x, double y)
{
    return x > 0 ? x * log(x / y) : 0;
}

static int
loss_part(void *ctx, size_t part)
{
    const struct loss_ctx *c = ctx;
    const struct hs_umap_sgd *s = c->s;
    const struct hs_csr *g = s->g;
    size_t lo = part * SGD_PART, hi = lo + SGD_PART < s->n ? lo + SGD_PART : s->n;
    double se = 0, sr = 0;

    for (size_t i = lo; i < hi; i++) {
        const float *yi = s->y + i * s->dim;
        uint64_t key = hs_mix64(s->seed ^ UINT64_C(0x10557) ^ hs_mix64(i));
        for (size_t k = g->start[i]; k < g->start[i + 1]; k++) {
            double w = g->w[k], v = curve(s, yi, s->y + (size_t)g->col[k] * s->dim);
            v = v < 1e-12 ? 1e-12 : v > 1 - 1e-12 ? 1 - 1e-12 : v;
            se += xlogy(w, v) + xlogy(1 - w, 1 - v);
        }
        for (size_t t = 0; t < LOSS_PAIRS; t++) {
            uint32_t j = draw_below(key, t, (uint32_t)s->n);
            double v;
            if (j == i)
                continue;
            v = curve(s, yi, s->y + (size_t)j * s->dim);
            sr += -log(v > 1 - 1e-12 ? 1e-12 : 1 - v);
        }
    }
    c->part_edges[part] = se;
    c->part_random[part] = sr;
    return 0;
}

double
hs_umap_sgd_loss(const struct hs_umap_sgd *s, int threads)
{
    size_t nparts = (s->n + SGD_PART - 1) / SGD_PART, n = s->n;
    double *buf = hs_malloc(2 * nparts * sizeof *buf), se = 0, sr = 0, pairs;
    struct loss_ctx c = {s, buf, buf + nparts};

    if (!buf || n < 2)
        return NAN;
    hs_par_run(nparts, threads, loss_part, &c);
    for (size_t p = 0; p < nparts; p++) {
        se += c.part_edges[p];
        sr += c.part_random[p];
    }
    hs_free(buf);
    /* the random pairs stand for every ordered pair off the graph */
    pairs = (double)n * (double)(n - 1) - (double)s->g->start[n];
    return (se + (pairs > 0 ? pairs * sr / ((double)n * LOSS_PAIRS) : 0)) / (double)n;
}

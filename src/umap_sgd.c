/* umap_sgd.c: UMAP's layout optimisation (see umap.h; umap-learn's
 * optimize_layout_euclidean).
 *
 * Which edges an epoch samples, and how many negative samples each takes,
 * are functions of the epoch and the edge's weight (below), not running
 * counters, so an epoch can be abandoned on a cancel and run again.
 *
 * The updates are umap-learn's, in its order: a point's edges in turn,
 * each sampled one pulling the point towards the other end and then its
 * negative samples pushing it away one after another, each from where
 * the last left it, reading the other points' current positions; a
 * sampled edge moves its other end too, as umap-learn's move_other
 * does.  An earlier version gave the point twice the pull instead (the
 * reverse edge's share, so that a point was written only by its own
 * part): the same number of pulls, but a pair no longer met halfway,
 * and at 100,000 demo points trustworthiness fell 0.016 below the
 * move-the-other-end update on the same graph and start (0.825 against
 * 0.841; umap-learn 0.846; bench/RESULTS.md).  Negative samples come
 * from a stream seeded by (seed, epoch, point); the pull and push
 * coefficients come from tables (no pow, no division in the loop).
 *
 * Threads.  Parts of SGD_PART points run in parallel and read and move
 * the points other parts are moving (Hogwild, Recht et al. 2011, as
 * umap-learn's and uwot's parallel optimisers do): one thread and the
 * seed give the same layout every time, two threads a layout as good
 * but not the same bits.  An earlier version read every other point
 * from a snapshot taken at the epoch's start, which made the layout the
 * same for any thread count but cost 0.02 to 0.03 of trustworthiness at
 * 20,000 demo points (0.83 against umap-learn's 0.85; 0.854 reading
 * current positions): the snapshot's pulls and pushes lag an epoch
 * behind.
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
/* The coefficient tables: squared distances from 2^TAB_LO2 to 2^TAB_HI2,
 * 2^TAB_BITS nodes per octave. */
#define TAB_LO2 (-20)
#define TAB_HI2 20
#define TAB_BITS 7
#define TAB_SIZE (((TAB_HI2 - TAB_LO2) << TAB_BITS) + 1)

struct hs_umap_sgd {
    const struct hs_csr *g;
    size_t n, dim, epochs, epoch, negative;
    double a, b, inv_wmax;
    uint64_t seed;
    float *y, *prev; /* prev: the layout at the epoch's start, restored on a cancel */
    /* the pull's and push's coefficients tabulated (see coef_at) */
    float *pull, *push;
    /* the running epoch */
    double alpha;
    const struct hs_task *task;
    atomic_int stop;
};

/* umap-learn's coefficients at squared distance d2 > 0: the pull
 * -2ab d2^(b-1) / (1 + a d2^b) and the push 2 gamma b / ((0.001 + d2)
 * (1 + a d2^b)), the gradient of log q over (y_i - y_j). */
static double
pull_exact(double a, double b, double d2)
{
    double pb = pow(d2, b);
    return -2 * a * b * (pb / d2) / (a * pb + 1);
}

static double
push_exact(double a, double b, double d2)
{
    return 2 * SGD_GAMMA * b / ((SGD_EPS + d2) * (a * pow(d2, b) + 1));
}

/* The float whose bits are u. */
static inline float
bits_float(uint32_t u)
{
    union {
        uint32_t u;
        float f;
    } v = {u};
    return v.f;
}

#define TAB_FIRST ((uint32_t)(127 + TAB_LO2) << 23)
#define TAB_LAST ((uint32_t)(127 + TAB_HI2) << 23)

static void
fill_tables(struct hs_umap_sgd *s)
{
    for (uint32_t t = 0; t < TAB_SIZE; t++) {
        double d2 = bits_float(TAB_FIRST + (t << (23 - TAB_BITS)));
        s->pull[t] = (float)pull_exact(s->a, s->b, d2);
        s->push[t] = (float)push_exact(s->a, s->b, d2);
    }
}

/* A coefficient at d2 from its table: the float's exponent and leading
 * mantissa bits index a node, its next bits interpolate linearly to the
 * next node (linear in d2 within a segment of relative width 1/128:
 * error near 1e-5 relative for these power laws).  No pow and no
 * division: most of an epoch's time went to them.  Out of the table's
 * range (d2 below 1e-6 or above 1e6, rare) the exact formula. */
static inline double
coef_at(const float *tab, double a, double b, double d2, double (*exact)(double, double, double))
{
    union {
        float f;
        uint32_t u;
    } v = {(float)d2};
    if (v.u < TAB_FIRST || v.u >= TAB_LAST)
        return exact(a, b, d2);
    uint32_t off = v.u - TAB_FIRST, t = off >> (23 - TAB_BITS);
    float f = (float)(off & ((1u << (23 - TAB_BITS)) - 1)) * (1.0f / (float)(1u << (23 - TAB_BITS)));
    return tab[t] + f * (tab[t + 1] - tab[t]);
}

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
    s->pull = hs_malloc(TAB_SIZE * sizeof *s->pull);
    s->push = hs_malloc(TAB_SIZE * sizeof *s->push);
    if (!s->y || !s->prev || !s->pull || !s->push) {
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
    fill_tables(s);
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
    hs_free(s->pull);
    hs_free(s->push);
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
        float *other = s->y + (size_t)g->col[k] * dim;
        double d2 = 0, gc = 0;
        size_t nneg;
        if (!(floor_pos((double)e * r) > floor_pos((double)(e - 1) * r)))
            continue;
        for (size_t d = 0; d < dim; d++)
            d2 += (cur[d] - other[d]) * (cur[d] - other[d]);
        if (d2 > 0)
            gc = coef_at(s->pull, a, b, d2, pull_exact);
        /* umap-learn's order: the pull moves the point, then each
         * negative sample in turn from where the last one left it */
        for (size_t d = 0; d < dim; d++) {
            double step = clip(gc * (cur[d] - other[d])) * alpha;
            cur[d] += step;
            other[d] -= (float)step;
        }
        nneg = negatives_at(r, e, neg);
        for (size_t p = 0; p < nneg; p++) {
            uint32_t j = draw_below(key, t++, n);
            const float *o = s->y + (size_t)j * dim;
            d2 = 0;
            for (size_t d = 0; d < dim; d++)
                d2 += (cur[d] - o[d]) * (cur[d] - o[d]);
            if (d2 > 0) {
                gc = coef_at(s->push, a, b, d2, push_exact);
                for (size_t d = 0; d < dim; d++)
                    cur[d] += clip(gc * (cur[d] - o[d])) * alpha;
            } else if (j != i) {
                for (size_t d = 0; d < dim; d++)
                    cur[d] += SGD_CLIP * alpha;
            }
        }
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

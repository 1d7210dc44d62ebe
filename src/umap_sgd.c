/* umap_sgd.c: UMAP's layout optimisation (see umap.h; umap-learn's
 * optimize_layout_euclidean).
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
 * 0.841; umap-learn 0.846; bench/RESULTS.md).
 *
 * Which edges an epoch samples is a function of the epoch and the
 * edge's weight (below), not a running counter, so an epoch can be
 * abandoned on a cancel and run again.  Each sampled edge takes
 * `negative` negative samples, the rate umap-learn's counters approach
 * (they give 4 to 6 per sample, 5 on average, from epochs_per_sample /
 * 5 rounded at each epoch).
 *
 * Where the time goes, and what keeps it down (bench/RESULTS.md has the
 * figures):
 * - The layout is float and its points are renumbered in Z order of the
 *   starting layout (close points, which the graph's edges join, close
 *   in memory: the edge's other end is mostly in cache), restored at the
 *   end.  Edges never sampled (lighter than max / epochs) are left out.
 * - The pull and push coefficients come from tables over the float's
 *   exponent and leading mantissa bits (no pow, no division).
 * - Negative samples come from a xorshift stream seeded by (seed,
 *   epoch, point): one mix per point, three shifts per draw.
 * - Threads.  With t threads the points are cut into t slices of
 *   consecutive numbers (about equal work, SGD_SLICE_MIN points at
 *   least; one slice below that), one thread's each.  A slice reads and
 *   moves its own points as they are now, and reads every other point
 *   from a copy of the layout taken at the epoch's start; a sampled edge
 *   to another slice's point waits for the epoch's end, where such edges
 *   run one after another, slice by slice, moving both ends as above.
 *   So no thread writes a cache line another is reading (with Hogwild,
 *   as umap-learn's and uwot's parallel optimisers run, the other
 *   core's writes kept landing in the lines a thread read: at 100,000
 *   demo points two threads spent 2.8 times the CPU of one), and a
 *   thread's working set stays one layout's size (its own points live,
 *   the others' copies).  The layout depends on the seed and the thread
 *   count only, never on the OS threads that run the slices.  In Z order
 *   about 12% of the sampled edges cross between two slices at 100,000
 *   demo points.  An earlier version read every point but the one it
 *   moved from the copy, its own slice's too: the same layout for any
 *   thread count but 0.02 to 0.03 less trustworthiness at
 *   20,000 demo points (0.83 against umap-learn's 0.85): pulls an epoch
 *   behind.  Pulls between slices that read the copy and moved the other
 *   end at the epoch's end (instead of running at the end from where both
 *   ends are) lost 0.016 at 100,000 points (seed 0: 0.825 against 0.842): an edge
 *   and its reverse, both from old positions, pulled each end twice.
 */
#include "config.h"

#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "par.h"
#include "rng.h"
#include "umap.h"

/* Points between looks at the cancel flag. */
#define SGD_PART 1024
/* Points per slice of an epoch at least (see the file's comment). */
#define SGD_SLICE_MIN 4096
#define SGD_CLIP 4.0f
#define SGD_MAX_DIM 16
/* umap-learn's repulsion strength and the 0.001 that keeps it finite. */
#define SGD_GAMMA 1.0
#define SGD_EPS 0.001
#define LOSS_PAIRS 5
/* Points whose edges and random pairs estimate the loss, at most: the
 * estimate every 10 epochs over all 100,000 points' edges (log and exp
 * per edge) cost a fifth of the epochs' time. */
#define LOSS_POINTS 8192
/* The coefficient tables: squared distances from 2^TAB_LO2 to 2^TAB_HI2,
 * 2^TAB_BITS nodes per octave. */
#define TAB_LO2 (-20)
#define TAB_HI2 12
#define TAB_BITS 6
#define TAB_SIZE ((TAB_HI2 - TAB_LO2) << TAB_BITS)

/* A table node: the coefficient there and the step to the next node. */
struct node {
    float v, dv;
};

struct hs_umap_sgd {
    const struct hs_csr *g;
    size_t n, dim, epochs, epoch, negative;
    double a, b;
    uint64_t seed;
    uint32_t *perm; /* internal point -> the caller's */
    uint32_t *inv;  /* the caller's point -> internal */
    /* the sampled edges of the internal points, their other ends in
     * internal numbers, their weights over the largest */
    size_t *estart;
    uint32_t *ecol;
    float *erate;
    float *y, *prev; /* prev: the layout at the epoch's start (see the file's comment) */
    struct node *pull, *push;
    /* the slices of the points, for the nslice they were made for:
     * slice t is [slo[t], slo[t + 1]); its sampled edges to other slices'
     * points wait in xj as pairs (the point, the other end), from pair
     * xoff[t] on, room up to xoff[t + 1]; xn[t] the epoch's count */
    size_t nslice;
    size_t *slo, *xoff, *xn;
    uint32_t *xj;
    /* the running epoch */
    float alpha;
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

/* The float whose bits are u, and back. */
static inline float
bits_float(uint32_t u)
{
    union {
        uint32_t u;
        float f;
    } v = {u};
    return v.f;
}

static inline uint32_t
float_bits(float f)
{
    union {
        float f;
        uint32_t u;
    } v = {f};
    return v.u;
}

#define TAB_FIRST ((uint32_t)(127 + TAB_LO2) << 23)
#define TAB_SPAN ((uint32_t)(TAB_HI2 - TAB_LO2) << 23)
#define TAB_SHIFT (23 - TAB_BITS)

static void
fill_table(struct node *tab, double a, double b, double (*exact)(double, double, double))
{
    double prev = exact(a, b, bits_float(TAB_FIRST));
    for (uint32_t t = 0; t < TAB_SIZE; t++) {
        double next = exact(a, b, bits_float(TAB_FIRST + ((t + 1) << TAB_SHIFT)));
        tab[t].v = (float)prev;
        tab[t].dv = (float)(next - prev);
        prev = next;
    }
}

/* A coefficient at d2 from its table: the float's exponent and leading
 * mantissa bits index a node, its next bits interpolate linearly to the
 * next node (linear in d2 within a segment of relative width 1/64:
 * relative error below 3e-4 for these power laws, checked in
 * test_umap).  Out of the table's range (d2 below 1e-6 or above 4096,
 * rare) the exact formula. */
static inline float
coef_at(const struct node *tab, double a, double b, float d2,
        double (*exact)(double, double, double))
{
    uint32_t off = float_bits(d2) - TAB_FIRST;
    if (off >= TAB_SPAN)
        return (float)exact(a, b, d2);
    const struct node *nd = tab + (off >> TAB_SHIFT);
    float f = (float)(off & ((1u << TAB_SHIFT) - 1)) * (1.0f / (float)(1u << TAB_SHIFT));
    return nd->v + f * nd->dv;
}

float
hs_umap_sgd_coef(const struct hs_umap_sgd *s, int push, float d2)
{
    return push ? coef_at(s->push, s->a, s->b, d2, push_exact)
                : coef_at(s->pull, s->a, s->b, d2, pull_exact);
}

/* ---- the locality order ---- */

/* The bits of v (16) spread to the even bits of the result. */
static uint32_t
spread_bits(uint32_t v)
{
    v &= 0xffff;
    v = (v | (v << 8)) & 0x00ff00ff;
    v = (v | (v << 4)) & 0x0f0f0f0f;
    v = (v | (v << 2)) & 0x33333333;
    v = (v | (v << 1)) & 0x55555555;
    return v;
}

static int
cmp_u64(const void *p, const void *q)
{
    uint64_t a = *(const uint64_t *)p, b = *(const uint64_t *)q;
    return (a > b) - (a < b);
}

/* perm: the points in Z order of their first two coordinates in y
 * (n x dim, double), ties by number; inv its inverse.  key: n scratch. */
static void
zorder(const double *y, size_t n, size_t dim, uint64_t *key, uint32_t *perm, uint32_t *inv)
{
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    size_t nc = dim < 2 ? dim : 2;

    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < nc; c++) {
            double v = y[i * dim + c];
            lo[c] = v < lo[c] ? v : lo[c];
            hi[c] = v > hi[c] ? v : hi[c];
        }
    for (size_t i = 0; i < n; i++) {
        uint32_t q[2] = {0, 0};
        for (size_t c = 0; c < nc; c++) {
            double v = hi[c] > lo[c] ? (y[i * dim + c] - lo[c]) / (hi[c] - lo[c]) : 0;
            v = isfinite(v) ? v : 0;
            q[c] = (uint32_t)(v * 65535.0);
        }
        key[i] = (uint64_t)(spread_bits(q[0]) | (spread_bits(q[1]) << 1)) << 32 | i;
    }
    qsort(key, n, sizeof *key, cmp_u64);
    for (size_t i = 0; i < n; i++) {
        perm[i] = (uint32_t)key[i];
        inv[perm[i]] = (uint32_t)i;
    }
}

/* The edges an epoch may sample, renumbered: those of weight ratio r with
 * floor(epochs r) >= 1.  HS_ENOMEM. */
static int
sampled_edges(struct hs_umap_sgd *s, double inv_wmax)
{
    const struct hs_csr *g = s->g;
    size_t n = s->n, m = 0;
    double least = 1.0 / (double)(s->epochs ? s->epochs : 1);

    for (size_t k = 0; k < g->start[n]; k++)
        m += g->w[k] * inv_wmax >= least;
    s->estart = hs_malloc((n + 1) * sizeof *s->estart);
    s->ecol = hs_malloc((m ? m : 1) * sizeof *s->ecol);
    s->erate = hs_malloc((m ? m : 1) * sizeof *s->erate);
    if (!s->estart || !s->ecol || !s->erate)
        return HS_ENOMEM;
    m = 0;
    for (size_t i = 0; i < n; i++) {
        size_t p = s->perm[i];
        s->estart[i] = m;
        for (size_t k = g->start[p]; k < g->start[p + 1]; k++) {
            double r = g->w[k] * inv_wmax;
            if (r < least)
                continue;
            s->ecol[m] = s->inv[g->col[k]];
            s->erate[m] = (float)r;
            m++;
        }
    }
    s->estart[n] = m;
    return HS_OK;
}

int
hs_umap_sgd_new(const struct hs_csr *g, const double *y, size_t dim, double a, double b,
                size_t epochs, size_t negative, uint64_t seed, struct hs_umap_sgd **out,
                struct hs_err *err)
{
    struct hs_umap_sgd *s;
    size_t n = g->n, nnz = g->start[n];
    double wmax = 0;
    uint64_t *key;

    *out = NULL;
    if (dim == 0 || dim > SGD_MAX_DIM)
        return hs_err_set(err, HS_EUSAGE, "umap lays out in 1 to %d dimensions, not %zu",
                          SGD_MAX_DIM, dim);
    if (n >= UINT32_MAX)
        return hs_err_set(err, HS_EUSAGE, "umap lays out fewer than 2^32 points, not %zu", n);
    s = hs_calloc(1, sizeof *s);
    if (!s)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    s->g = g;
    s->n = n;
    s->dim = dim;
    s->a = a;
    s->b = b;
    s->epochs = epochs;
    s->negative = negative;
    s->seed = seed;
    s->y = hs_malloc((n ? n : 1) * dim * sizeof *s->y);
    s->prev = hs_malloc((n ? n : 1) * dim * sizeof *s->prev);
    s->perm = hs_malloc((n ? n : 1) * sizeof *s->perm);
    s->inv = hs_malloc((n ? n : 1) * sizeof *s->inv);
    s->pull = hs_malloc(TAB_SIZE * sizeof *s->pull);
    s->push = hs_malloc(TAB_SIZE * sizeof *s->push);
    key = hs_malloc((n ? n : 1) * sizeof *key);
    if (!s->y || !s->prev || !s->perm || !s->inv || !s->pull || !s->push || !key) {
        hs_free(key);
        hs_umap_sgd_free(s);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    zorder(y, n, dim, key, s->perm, s->inv);
    hs_free(key);
    for (size_t e = 0; e < nnz; e++)
        wmax = g->w[e] > wmax ? g->w[e] : wmax;
    if (sampled_edges(s, wmax > 0 ? 1 / wmax : 0) != HS_OK) {
        hs_umap_sgd_free(s);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        for (size_t d = 0; d < dim; d++)
            s->y[i * dim + d] = (float)y[(size_t)s->perm[i] * dim + d];
    fill_table(s->pull, a, b, pull_exact);
    fill_table(s->push, a, b, push_exact);
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
    hs_free(s->perm);
    hs_free(s->inv);
    hs_free(s->estart);
    hs_free(s->ecol);
    hs_free(s->erate);
    hs_free(s->pull);
    hs_free(s->push);
    hs_free(s->slo);
    hs_free(s->xoff);
    hs_free(s->xn);
    hs_free(s->xj);
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
    for (size_t i = 0; i < s->n; i++)
        for (size_t d = 0; d < s->dim; d++)
            y[(size_t)s->perm[i] * s->dim + d] = s->y[i * s->dim + d];
}

/* In this form GCC makes a min and a max of it, no jumps. */
static inline float
clip(float v)
{
    v = v < SGD_CLIP ? v : SGD_CLIP;
    return v > -SGD_CLIP ? v : -SGD_CLIP;
}

/* umap-learn samples an edge of weight w (r = w / max w) whenever its
 * counter, starting at 1/r and growing by 1/r, is at most the epoch: at
 * the epochs e where floor(e r) steps up.  fe = e, fe1 = e - 1. */
static inline int
sampled(float r, float fe, float fe1)
{
    return (int32_t)(fe * r) != (int32_t)(fe1 * r);
}

/* The next of a xorshift64 stream (Marsaglia 2003), a number below n
 * from its high bits. */
static inline uint32_t
draw_below(uint64_t *st, uint32_t n)
{
    uint64_t x = *st;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *st = x;
    return (uint32_t)(((x >> 32) * n) >> 32);
}

/* The updates of a part interleave the points of SGD_LANES lanes: a
 * point's updates are one chain (each starts where the last left the
 * point: load, table, clip, add), which alone keeps the core waiting on
 * latency; the lanes' chains are independent, so the core overlaps them.
 * A lane lists its point's next updates (the other end of each sampled
 * edge, flagged, then its negative samples), runs them one per turn, and
 * takes the part's next point when its own are done.  Each update reads
 * and writes the point in the layout itself, not a copy held for the
 * point's whole turn: the lanes' points are often each other's
 * neighbours, and a held copy written back at the end would undo the
 * other lanes' pulls on it in the meantime (trustworthiness 0.832
 * against 0.848 at 100,000 demo points). */
#define SGD_LANES 4
#define LANE_OPS 256
#define OP_PULL 0x80000000u

struct lane {
    uint32_t i, nops, t;
    size_t k, end;   /* the point's next edge, and its end */
    uint64_t rng;    /* the point's negative-sample stream */
    uint32_t op[LANE_OPS];
};

struct sweep {
    struct hs_umap_sgd *s;
    float fe, fe1, alpha;
    uint32_t n;
    size_t neg;
    /* the slice: its points [lo, lo + span), its pulls of other points;
     * src[1] the layout, src[0] its copy at the epoch's start (an index,
     * not a branch: half the negative samples of two slices fall in the
     * other, at random) */
    uint32_t lo, span;
    const float *src[2];
    uint32_t *xj;
    size_t xn;
};

/* List lane l's next updates from its point's edges.  False when none are left. */
static inline bool
lane_fill(const struct sweep *w, struct lane *l)
{
    const struct hs_umap_sgd *s = w->s;

    l->nops = l->t = 0;
    while (l->k < l->end && l->nops + 1 + w->neg <= LANE_OPS) {
        size_t k = l->k++;
        if (!sampled(s->erate[k], w->fe, w->fe1))
            continue;
        l->op[l->nops++] = s->ecol[k] | OP_PULL;
        for (size_t p = 0; p < w->neg; p++)
            l->op[l->nops++] = draw_below(&l->rng, w->n);
    }
    return l->nops > 0;
}

/* Start point i in lane l: its position, stream and first updates. */
static inline void
lane_start(const struct sweep *w, struct lane *l, uint32_t i, size_t e)
{
    const struct hs_umap_sgd *s = w->s;

    l->i = i;
    l->k = s->estart[i];
    l->end = s->estart[i + 1];
    /* the stream's state is never 0: xorshift would stay there */
    l->rng = hs_mix64(s->seed ^ hs_mix64((uint64_t)e * HS_RNG_GOLDEN + i)) | 1;
}

/* Edge (cur, o)'s pull, moving both ends. */
static inline __attribute__((always_inline)) void
pull_pair(const struct hs_umap_sgd *s, float *cur, float *o, float alpha, size_t dim)
{
    float d2 = 0, gc = 0;

    for (size_t d = 0; d < dim; d++)
        d2 += (cur[d] - o[d]) * (cur[d] - o[d]);
    if (d2 > 0)
        gc = coef_at(s->pull, s->a, s->b, d2, pull_exact);
    for (size_t d = 0; d < dim; d++) {
        float step = clip(gc * (cur[d] - o[d])) * alpha;
        cur[d] += step;
        o[d] -= step;
    }
}

/* One update of lane l (see the file's comment).  A point of another
 * slice is read from the epoch's start, and a pull's move of it is kept
 * for the epoch's end. */
static inline __attribute__((always_inline)) void
lane_step(struct sweep *w, struct lane *l, size_t dim)
{
    const struct hs_umap_sgd *s = w->s;
    uint32_t op = l->op[l->t++], j = op & ~OP_PULL;
    int own = j - w->lo < w->span;
    float *cur = s->y + (size_t)l->i * dim, alpha = w->alpha, d2 = 0;
    const float *o = w->src[own] + (size_t)j * dim;

    if (op & OP_PULL) {
        if (own) {
            pull_pair(s, cur, s->y + (size_t)j * dim, alpha, dim);
        } else {
            w->xj[2 * w->xn] = l->i;
            w->xj[2 * w->xn + 1] = j;
            w->xn++;
        }
        return;
    }
    for (size_t d = 0; d < dim; d++)
        d2 += (cur[d] - o[d]) * (cur[d] - o[d]);
    if (d2 > 0) {
        float gc = coef_at(s->push, s->a, s->b, d2, push_exact);
        for (size_t d = 0; d < dim; d++)
            cur[d] += clip(gc * (cur[d] - o[d])) * alpha;
    } else if (j != l->i) {
        for (size_t d = 0; d < dim; d++)
            cur[d] += SGD_CLIP * alpha;
    }
}

/* Slice t's points in epoch e; dim is a constant where inlined for 2.
 * A cancel raises s->stop and leaves the epoch half done. */
static inline __attribute__((always_inline)) void
sweep_slice(struct hs_umap_sgd *s, size_t t, size_t e, size_t dim)
{
    size_t lo = s->slo[t], hi = s->slo[t + 1];
    struct sweep w = {s,
                      (float)e,
                      (float)(e - 1),
                      s->alpha,
                      (uint32_t)s->n,
                      s->negative,
                      (uint32_t)lo,
                      (uint32_t)(hi - lo),
                      {s->prev, s->y},
                      s->xj + 2 * s->xoff[t],
                      0};
    struct lane lanes[SGD_LANES];
    size_t next = lo;
    int live = 0;

    /* every lane starts with a point that has updates, or stays idle */
    for (int l = 0; l < SGD_LANES; l++) {
        lanes[l].nops = lanes[l].t = 0;
        lanes[l].i = UINT32_MAX;
    }
    for (;;) {
        live = 0;
        for (int l = 0; l < SGD_LANES; l++) {
            struct lane *ln = &lanes[l];
            while (ln->t == ln->nops) {
                if (ln->i != UINT32_MAX && lane_fill(&w, ln))
                    break;
                ln->i = UINT32_MAX;
                if (next >= hi)
                    break;
                if ((next - lo) % SGD_PART == 0 &&
                    (atomic_load_explicit(&s->stop, memory_order_relaxed) ||
                     hs_task_cancelled(s->task))) {
                    atomic_store(&s->stop, 1);
                    return;
                }
                lane_start(&w, ln, (uint32_t)next++, e);
            }
            if (ln->t < ln->nops) {
                lane_step(&w, ln, dim);
                live = 1;
            }
        }
        if (!live)
            break;
    }
    s->xn[t] = w.xn;
}

struct epoch_ctx {
    struct hs_umap_sgd *s;
    size_t e;
};

/* Slice t's points to prev: each thread copies the points it will move,
 * so that the lines stay in its core's cache. */
static int
keep_slice(void *ctx, size_t t)
{
    const struct epoch_ctx *c = ctx;
    struct hs_umap_sgd *s = c->s;
    size_t lo = s->slo[t] * s->dim, hi = s->slo[t + 1] * s->dim;

    memcpy(s->prev + lo, s->y + lo, (hi - lo) * sizeof *s->y);
    return 0;
}

static int
epoch_slice(void *ctx, size_t t)
{
    const struct epoch_ctx *c = ctx;
    struct hs_umap_sgd *s = c->s;

    if (s->dim == 2)
        sweep_slice(s, t, c->e, 2);
    else
        sweep_slice(s, t, c->e, s->dim);
    return 0;
}

/* Cut the points into nslice slices of about equal work (the expected
 * sampled edges), each of SGD_SLICE_MIN points at least, and size the
 * buffers of their pulls across slices.  HS_ENOMEM. */
static int
make_slices(struct hs_umap_sgd *s, size_t nslice)
{
    size_t n = s->n, m = s->estart[n], nx = 0;
    double total = 0, acc = 0;

    if (s->slo && s->nslice == nslice)
        return HS_OK;
    hs_free(s->slo);
    hs_free(s->xoff);
    hs_free(s->xn);
    hs_free(s->xj);
    s->xj = NULL;
    s->nslice = 0;
    s->slo = hs_malloc((nslice + 1) * sizeof *s->slo);
    s->xoff = hs_malloc((nslice + 1) * sizeof *s->xoff);
    s->xn = hs_calloc(nslice, sizeof *s->xn);
    if (!s->slo || !s->xoff || !s->xn)
        return HS_ENOMEM;
    for (size_t k = 0; k < m; k++)
        total += s->erate[k];
    s->slo[0] = 0;
    for (size_t i = 0, t = 1; t < nslice; t++) {
        /* the first point past t / nslice of the work, leaving every
         * slice SGD_SLICE_MIN points */
        size_t least = s->slo[t - 1] + SGD_SLICE_MIN, most = n - (nslice - t) * SGD_SLICE_MIN;
        while (i < most && (i < least || acc < total * (double)t / (double)nslice)) {
            for (size_t k = s->estart[i]; k < s->estart[i + 1]; k++)
                acc += s->erate[k];
            i++;
        }
        s->slo[t] = i;
    }
    s->slo[nslice] = n;
    for (size_t t = 0; t < nslice; t++) {
        s->xoff[t] = nx;
        for (size_t k = s->estart[s->slo[t]]; k < s->estart[s->slo[t + 1]]; k++)
            nx += s->ecol[k] < s->slo[t] || s->ecol[k] >= s->slo[t + 1];
    }
    s->xoff[nslice] = nx;
    s->xj = hs_malloc(2 * (nx ? nx : 1) * sizeof *s->xj);
    if (!s->xj)
        return HS_ENOMEM;
    s->nslice = nslice;
    return HS_OK;
}

int
hs_umap_sgd_run(struct hs_umap_sgd *s, size_t count, int threads, const struct hs_task *task,
                struct hs_err *err)
{
    size_t nslice = threads > 1 ? (size_t)threads : 1;

    nslice = nslice < s->n / SGD_SLICE_MIN ? nslice : s->n / SGD_SLICE_MIN;
    nslice = nslice ? nslice : 1;
    if (make_slices(s, nslice) != HS_OK)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t c = 0; c < count && s->epoch < s->epochs; c++) {
        struct epoch_ctx ctx = {s, s->epoch + 1};
        size_t dim = s->dim;
        if (hs_task_cancelled(task))
            return hs_err_set(err, HS_ECANCELLED, "umap cancelled");
        hs_par_run(nslice, threads, keep_slice, &ctx);
        s->alpha = (float)(1.0 - (double)s->epoch / (double)s->epochs);
        s->task = task;
        atomic_store(&s->stop, 0);
        hs_par_run(nslice, threads, epoch_slice, &ctx);
        if (atomic_load(&s->stop)) {
            memcpy(s->y, s->prev, s->n * dim * sizeof *s->y);
            return hs_err_set(err, HS_ECANCELLED, "umap cancelled");
        }
        /* the pulls across slices, in slice order */
        for (size_t t = 0; t < nslice; t++)
            for (size_t x = s->xoff[t]; x < s->xoff[t] + s->xn[t]; x++)
                pull_pair(s, s->y + (size_t)s->xj[2 * x] * dim, s->y + (size_t)s->xj[2 * x + 1] * dim,
                          s->alpha, dim);
        s->epoch++;
    }
    return HS_OK;
}

/* ---- the loss ---- */

struct loss_ctx {
    const struct hs_umap_sgd *s;
    size_t m; /* points in the estimate */
    double *part_edges, *part_random;
};

/* Point p's coordinates (the caller's numbering). */
static const float *
point(const struct hs_umap_sgd *s, size_t p)
{
    return s->y + (size_t)s->inv[p] * s->dim;
}

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
    size_t lo = part * SGD_PART, hi = lo + SGD_PART < c->m ? lo + SGD_PART : c->m;
    double se = 0, sr = 0;

    for (size_t t = lo; t < hi; t++) {
        /* the t-th of m points spread evenly over the caller's numbers */
        size_t i = (size_t)((double)t * (double)s->n / (double)c->m);
        const float *yi = point(s, i);
        uint64_t key = hs_mix64(s->seed ^ UINT64_C(0x10557) ^ hs_mix64(i));
        for (size_t k = g->start[i]; k < g->start[i + 1]; k++) {
            double w = g->w[k], v = curve(s, yi, point(s, g->col[k]));
            v = v < 1e-12 ? 1e-12 : v > 1 - 1e-12 ? 1 - 1e-12 : v;
            se += xlogy(w, v) + xlogy(1 - w, 1 - v);
        }
        for (uint64_t r = 0; r < LOSS_PAIRS; r++) {
            uint32_t j = (uint32_t)(((hs_mix64(key + r * HS_RNG_GOLDEN) >> 32) * s->n) >> 32);
            double v;
            if (j == i)
                continue;
            v = curve(s, yi, point(s, j));
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
    size_t n = s->n, m = n < LOSS_POINTS ? n : LOSS_POINTS;
    size_t nparts = (m + SGD_PART - 1) / SGD_PART;
    double *buf = hs_malloc(2 * (nparts ? nparts : 1) * sizeof *buf), se = 0, sr = 0, pairs;
    struct loss_ctx c = {s, m, buf, buf + nparts};

    if (!buf || n < 2) {
        hs_free(buf);
        return NAN;
    }
    hs_par_run(nparts, threads, loss_part, &c);
    for (size_t p = 0; p < nparts; p++) {
        se += c.part_edges[p];
        sr += c.part_random[p];
    }
    hs_free(buf);
    /* the points in the estimate stand for all n; their random pairs for
     * every ordered pair off the graph */
    pairs = (double)n * (double)(n - 1) - (double)s->g->start[n];
    return (se * (double)n / (double)m + (pairs > 0 ? pairs * sr / ((double)m * LOSS_PAIRS) : 0)) /
           (double)n;
}

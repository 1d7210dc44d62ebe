/* knn_approx.c: approximate k nearest neighbours (knn.h).
 *
 * As pynndescent (umap-learn's search) does it: random projection trees
 * propose each point's leaf mates, then NN-descent (Dong, Charikar and
 * Li 2011) refines the lists: "a neighbour of a neighbour is likely a
 * neighbour".  Each list entry carries a flag, new until the entry has
 * once been a candidate; a round joins, for every point u, the pairs of
 * u's candidates (its list entries and the points listing it, at most
 * `cand` of each kind, new and old, chosen by a seeded priority) of which
 * at least one is new, and stops when fewer than KNN_DELTA n k lists
 * changed.
 *
 * Determinism with threads: every step writes each point's list from the
 * part that owns the point, reading only what the previous step left.
 * The trees are built in parallel, one part per tree, each from its own
 * seeded stream; a point lies in one leaf per tree and the trees are
 * offered in order, so its list sees the same offers in the same order.
 * The join is done from the receiving side ("pull"): point a is offered
 * every b paired with it at a u that holds a as a candidate (the
 * transposed candidate lists, built by counting), so a's list is written
 * by a's part alone.  This measures each pair twice (once from each end)
 * where pynndescent measures it once and sends the result to both lists
 * under locks; it buys lock-free parts and an answer that does not
 * depend on the thread count.
 *
 * Long lists (t-SNE's 90) take another way, in leaf steps: the leaves of
 * a tree (about 3 k points each) are measured, each against itself and
 * every point its points' lists hold, by one float GEMM per block of
 * rows (|p|^2 + |q|^2 - 2 p.q, a screen; what passes is measured
 * directly), and the steps go through the trees in turn until few lists
 * change.  A leaf and its lists' points are near each other in space, so
 * their rows (gathered once per leaf) are shared by all its points'
 * candidates: NN-descent's joins read a row scattered over n for each
 * candidate of each point, and at 90 neighbours needed about six rounds
 * of 20 candidates for the lists to settle (bench/RESULTS.md).  The step
 * writes the lists of its leaf's points alone and reads no other list,
 * so leaves are parts and the answer does not depend on the threads.
 */
#include "config.h"

#include "knn.h"

#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include "knn_tree.h"
#include "mem.h"
#include "par.h"
#include "rng.h"
#include "simd_clones.h"

/* Leaves hold at most this many points (at least k + 1). */
#define KNN_LEAF 32
/* Candidates of each kind (new, old) per point and round: pynndescent
 * takes min(k, 60); fewer here, where the join's cost grows as the
 * square of it. */
#define KNN_MAXCAND 20
/* Rounds at most, and the fraction of the n k entries that must change
 * for another round (pynndescent's delta). */
#define KNN_MAXROUNDS 12
#define KNN_DELTA 0.001
/* Lists longer than KNN_LONG take the leaf steps: leaves of at most
 * KNN_STEP_LEAF k points (at least 96), the trees the steps take in
 * turn, steps at most, and the fraction of the n k entries that must
 * change for another step.  At k = 15 (UMAP's) NN-descent is cheaper:
 * a list's points reach little beyond its leaf, and the steps need
 * twice as many to settle.  Measured on the demo (bench/RESULTS.md,
 * "Approximate neighbours for long lists by leaf steps"). */
#define KNN_LONG 30
#define KNN_STEP_LEAF 3
#define KNN_STEP_TREES 8
#define KNN_MAXSTEPS 16
#define KNN_DELTA_LONG 0.005
/* GEMM rows per block, and the screen's allowance for the rounding of
 * |p|^2 + |q|^2 - 2 p.q in floats, relative to the two norms. */
#define KNN_GEMM_ROWS 64
#define KNN_GEMM_SLACK 1e-5f
/* Points (or leaves) per part. */
#define KNN_APPROX_BLOCK 512
/* The flag of a list entry, kept in the id's top bit. */
#define KNN_NEW UINT32_C(0x80000000)
#define KNN_NONE UINT32_MAX

struct approx {
    const double *x;
    size_t n, dim, k, leaf, ntrees, cand;
    uint64_t seed;
    size_t dp;        /* dim rounded up to whole vectors of 4 floats */
    float *xf;        /* n x dp: the points in the first tree's order, zero-padded */
    uint64_t *mark;   /* threads x words: the receiving lists as bit sets (struct recv) */
    size_t words;     /* (n + 63) / 64 */
    uint32_t *order;  /* n: position -> row (the first tree's order) */
    uint32_t *hid;    /* heaps: n x k positions, with the KNN_NEW flag */
    float *hd2;       /* n x k squared distances */
    const struct knn_out *out; /* the answer */
    uint32_t *cnt;    /* n: entries in each heap */
    uint32_t *perm;   /* ntrees x n: each tree's order of the points */
    size_t *leaves;   /* ntrees x leafcap: each tree's leaf starts, n at the end */
    size_t *nleaves;  /* ntrees */
    size_t leafcap;
    size_t tree;      /* the tree whose leaves are being joined */
    /* leaf steps: per slot, the points a leaf measures (ucap at most),
     * their rows and norms, a GEMM block, the screen's passes, and the
     * points taken as a bit set (words) */
    size_t ucap, leafpart;
    uint32_t *uid, *cix;
    float *ux, *un, *ug;
    uint64_t *seen;
    /* a round */
    size_t round;
    size_t *rstart;   /* n + 1: the points listing each point (reverse lists) */
    uint32_t *rev;    /* n x k */
    uint32_t *cnew, *cold;      /* n x cand: each point's candidates */
    size_t *tnew, *told;        /* n + 1 each: the transposed candidate lists */
    uint32_t *tnew_u, *told_u;  /* n x cand each */
    size_t *changed;  /* per part */
    const struct hs_task *task;
    atomic_int stop;
    struct hs_par_progress prog;
};

static int
check_stop(struct approx *a)
{
    if (atomic_load_explicit(&a->stop, memory_order_relaxed) || hs_task_cancelled(a->task)) {
        atomic_store(&a->stop, 1);
        return 1;
    }
    return 0;
}

static void
part_range(const struct approx *a, size_t part, size_t *lo, size_t *hi)
{
    *lo = part * KNN_APPROX_BLOCK;
    *hi = *lo + KNN_APPROX_BLOCK < a->n ? *lo + KNN_APPROX_BLOCK : a->n;
}

/* Four floats added lane by lane: the squared distance in five vector
 * steps for 19 features instead of 19 scalar ones (a fixed order of
 * additions, so the same on every machine). */
typedef float knn_v4f __attribute__((vector_size(16)));

static inline float
sqdist_f(const float *p, const float *q, size_t dp)
{
    knn_v4f s = {0, 0, 0, 0};
    for (size_t c = 0; c < dp; c += 4) {
        knn_v4f u, v;
        memcpy(&u, p + c, sizeof u);
        memcpy(&v, q + c, sizeof v);
        u -= v;
        s += u * u;
    }
    return (s[0] + s[1]) + (s[2] + s[3]);
}

/* A bounded max-heap of (squared distance, position) with the flag in
 * the position's top bit; the flag takes no part in the order. */
static inline int
heap_after(float d, uint32_t id, float e, uint32_t jd)
{
    return d > e || (d == e && (id & ~KNN_NEW) > (jd & ~KNN_NEW));
}

static void
heap_push(float *d, uint32_t *id, uint32_t *size, size_t k, float d2, uint32_t j)
{
    size_t i;
    if (*size < k) {
        i = (*size)++;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            if (!heap_after(d2, j, d[p], id[p]))
                break;
            d[i] = d[p];
            id[i] = id[p];
            i = p;
        }
    } else {
        i = 0;
        for (;;) {
            size_t l = 2 * i + 1, r = l + 1, m = i;
            float md = d2;
            uint32_t mid = j;
            if (l < k && heap_after(d[l], id[l], md, mid))
                m = l, md = d[l], mid = id[l];
            if (r < k && heap_after(d[r], id[r], md, mid))
                m = r;
            if (m == i)
                break;
            d[i] = d[m];
            id[i] = id[m];
            i = m;
        }
    }
    d[i] = d2;
    id[i] = j;
}

/* The list of the point a part is serving, as a bit set of the n
 * points (n / 8 bytes a thread, which stays in the cache where an n-long
 * array of stamps did not): a neighbour already listed (most offers,
 * late in the descent) costs one bit test instead of a distance and a
 * scan of the list.  Every offer to a point comes in one run from the
 * part that owns it (leaves, joins and the finish all pull); recv_end
 * clears the bits again. */
struct recv {
    uint64_t *bits;
};

static inline int
bit_get(const uint64_t *b, size_t j)
{
    return (int)((b[j >> 6] >> (j & 63)) & 1);
}

static inline void
bit_put(uint64_t *b, size_t j, int on)
{
    if (on)
        b[j >> 6] |= UINT64_C(1) << (j & 63);
    else
        b[j >> 6] &= ~(UINT64_C(1) << (j & 63));
}

static void
recv_begin(struct approx *a, struct recv *r, size_t i)
{
    r->bits = a->mark + (size_t)hs_par_slot() * a->words;
    bit_put(r->bits, i, 1); /* never its own neighbour */
    for (size_t m = 0; m < a->cnt[i]; m++)
        bit_put(r->bits, a->hid[i * a->k + m] & ~KNN_NEW, 1);
}

static void
recv_end(struct approx *a, struct recv *r, size_t i)
{
    bit_put(r->bits, i, 0);
    for (size_t m = 0; m < a->cnt[i]; m++)
        bit_put(r->bits, a->hid[i * a->k + m] & ~KNN_NEW, 0);
}

/* Offer position j, not in the list, at squared distance d2 to
 * position i's list (as a new entry), i the point of the last
 * recv_begin; 1 when the list changed. */
static int
offer_d2(struct approx *a, struct recv *r, size_t i, size_t j, float d2)
{
    uint32_t *id = a->hid + i * a->k;
    float *d = a->hd2 + i * a->k;

    if (a->cnt[i] == a->k) {
        if (!heap_after(d[0], id[0], d2, (uint32_t)j))
            return 0;
        bit_put(r->bits, id[0] & ~KNN_NEW, 0); /* the worst leaves */
    }
    heap_push(d, id, &a->cnt[i], a->k, d2, (uint32_t)j | KNN_NEW);
    bit_put(r->bits, j, 1);
    return 1;
}

/* The same for any position j. */
static int
offer(struct approx *a, struct recv *r, size_t i, size_t j)
{
    if (bit_get(r->bits, j))
        return 0;
    return offer_d2(a, r, i, j, sqdist_f(a->xf + i * a->dp, a->xf + j * a->dp, a->dp));
}

/* Tree t: its order of the points, cut into leaves, each node split by
 * the hyperplane halfway between two of its points drawn at random. */
static int
build_tree(struct approx *a, size_t t)
{
    uint32_t *perm = a->perm + t * a->n;
    size_t *leaves = a->leaves + t * a->leafcap, nl = 0, dim = a->dim, top = 0, cap = 64;
    size_t *stack = hs_malloc(cap * sizeof *stack);
    struct hs_rng r;

    if (!stack)
        return HS_ENOMEM;
    hs_rng_seed(&r, a->seed ^ hs_mix64(t + 1));
    for (size_t i = 0; i < a->n; i++)
        perm[i] = (uint32_t)i;
    stack[top++] = 0;
    stack[top++] = a->n;
    while (top) {
        size_t hi = stack[--top], lo = stack[--top], m = hi - lo;
        if (m <= a->leaf) {
            leaves[nl++] = lo;
            continue;
        }
        /* A tree of a million points takes a good part of a second:
         * look at the cancel flag at every node worth a fraction of a
         * millisecond. */
        if (m >= 4096 && check_stop(a)) {
            hs_free(stack);
            return HS_ECANCELLED;
        }
        const double *p = a->x + (size_t)perm[lo + hs_rng_below(&r, m)] * dim;
        const double *q = a->x + (size_t)perm[lo + hs_rng_below(&r, m)] * dim;
        double off = 0;
        for (size_t c = 0; c < dim; c++)
            off += (p[c] - q[c]) * (p[c] + q[c]) / 2;
        size_t s = lo;
        for (size_t u = lo; u < hi; u++) {
            const double *v = a->x + (size_t)perm[u] * dim;
            double side = -off;
            for (size_t c = 0; c < dim; c++)
                side += v[c] * (p[c] - q[c]);
            if (side > 0) {
                uint32_t tmp = perm[s];
                perm[s++] = perm[u];
                perm[u] = tmp;
            }
        }
        /* Coincident points (or the same point drawn twice): halve. */
        if (s - lo < m / 8 || hi - s < m / 8)
            s = lo + m / 2;
        if (hs_grow((void **)&stack, &cap, top + 4, sizeof *stack)) {
            hs_free(stack);
            return HS_ENOMEM;
        }
        stack[top++] = s;
        stack[top++] = hi;
        stack[top++] = lo;
        stack[top++] = s;
    }
    leaves[nl] = a->n;
    a->nleaves[t] = nl;
    hs_free(stack);
    return HS_OK;
}

static int
tree_part(void *ctx, size_t t)
{
    struct approx *a = ctx;
    int rc = check_stop(a) ? HS_ECANCELLED : build_tree(a, t);
    if (rc == HS_OK)
        hs_par_progress_add(&a->prog, a->n);
    return rc;
}

/* Leaves l0.. of the current tree: every pair of leaf mates. */
static int
leaf_part(void *ctx, size_t part)
{
    struct approx *a = ctx;
    const uint32_t *perm = a->perm + a->tree * a->n;
    const size_t *leaves = a->leaves + a->tree * a->leafcap;
    size_t l0 = part * 16, l1 = l0 + 16 < a->nleaves[a->tree] ? l0 + 16 : a->nleaves[a->tree];

    if (check_stop(a))
        return HS_ECANCELLED;
    for (size_t l = l0; l < l1; l++)
        for (size_t s = leaves[l]; s < leaves[l + 1]; s++) {
            struct recv r;
            recv_begin(a, &r, perm[s]);
            for (size_t u = leaves[l]; u < leaves[l + 1]; u++)
                offer(a, &r, perm[s], perm[u]);
            recv_end(a, &r, perm[s]);
        }
    hs_par_progress_add(&a->prog, leaves[l1] - leaves[l0]);
    return HS_OK;
}

typedef float knn_v8f __attribute__((vector_size(32)));
typedef int32_t knn_v8i __attribute__((vector_size(32)));

/* The j of [0, nu) with g[j] + (1 - slack) w[j] <= t, into out; their
 * count.  Eight at a time: once the lists are good few pass, and a
 * block of eight is one comparison and one test. */
HS_CLONES static size_t
screen(const float *g, const float *w, float t, size_t nu, uint32_t *out)
{
    const float sc = 1 - KNN_GEMM_SLACK;
    const knn_v8f tv = {t, t, t, t, t, t, t, t};
    size_t nc = 0, j = 0;

    for (; j + 8 <= nu; j += 8) {
        knn_v8f u, v;
        uint64_t any[4];
        memcpy(&u, g + j, sizeof u);
        memcpy(&v, w + j, sizeof v);
        knn_v8i m = (u + sc * v) <= tv;
        memcpy(any, &m, sizeof any);
        if (!(any[0] | any[1] | any[2] | any[3]))
            continue;
        for (size_t l = 0; l < 8; l++) {
            out[nc] = (uint32_t)(j + l);
            nc -= (size_t)(ptrdiff_t)m[l];
        }
    }
    for (; j < nu; j++)
        if (g[j] + sc * w[j] <= t)
            out[nc++] = (uint32_t)j;
    return nc;
}

/* The points of leaf `leaf` of the current tree, then the points their
 * lists hold, each once, into uid; their count. */
static size_t
step_points(struct approx *a, size_t leaf, uint32_t *uid, uint64_t *seen)
{
    const uint32_t *perm = a->perm + a->tree * a->n;
    const size_t *leaves = a->leaves + a->tree * a->leafcap;
    size_t lo = leaves[leaf], m = leaves[leaf + 1] - lo, k = a->k, nu = 0;

    for (size_t s = 0; s < m; s++) {
        uid[nu++] = perm[lo + s];
        bit_put(seen, perm[lo + s], 1);
    }
    for (size_t s = 0; s < m; s++) {
        size_t i = perm[lo + s];
        if (s + 4 < m)
            for (size_t e = 0; e < k; e += 16)
                __builtin_prefetch(a->hid + (size_t)perm[lo + s + 4] * k + e);
        for (size_t e = 0; e < a->cnt[i]; e++) {
            uint32_t j = a->hid[i * k + e] & ~KNN_NEW;
            if (!bit_get(seen, j)) {
                bit_put(seen, j, 1);
                uid[nu++] = j;
            }
        }
    }
    return nu;
}

/* One leaf's step: its m points (the first of uid's nu) against all nu,
 * as the head of knn_approx.c says.  Returns the list entries that
 * changed. */
static size_t
step_leaf(struct approx *a, size_t m, size_t nu, int slot)
{
    size_t dp = a->dp, k = a->k, changed = 0;
    const uint32_t *uid = a->uid + (size_t)slot * a->ucap;
    uint32_t *cix = a->cix + (size_t)slot * a->ucap;
    float *X = a->ux + (size_t)slot * a->ucap * dp, *nrm = a->un + (size_t)slot * a->ucap;
    float *G = a->ug + (size_t)slot * KNN_GEMM_ROWS * a->ucap;
    uint64_t *seen = a->seen + (size_t)slot * a->words;

    for (size_t u = 0; u < nu; u++) {
        const float *row = a->xf + (size_t)uid[u] * dp;
        knn_v4f acc = {0, 0, 0, 0};
        /* rows scattered over n (at a million points, past the cache):
         * both lines of a row asked for ahead */
        if (u + 16 < nu) {
            __builtin_prefetch(a->xf + (size_t)uid[u + 16] * dp);
            __builtin_prefetch(a->xf + (size_t)uid[u + 16] * dp + dp - 1);
        }
        bit_put(seen, uid[u], 0);
        for (size_t c = 0; c < dp; c += 4) {
            knn_v4f v;
            memcpy(&v, row + c, sizeof v);
            memcpy(X + u * dp + c, &v, sizeof v);
            acc += v * v;
        }
        nrm[u] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    }
    for (size_t r0 = 0; r0 < m; r0 += KNN_GEMM_ROWS) {
        size_t qb = m - r0 < KNN_GEMM_ROWS ? m - r0 : KNN_GEMM_ROWS;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)qb, (int)nu, (int)dp, -2.0f,
                    X + r0 * dp, (int)dp, X, (int)dp, 0.0f, G, (int)nu);
        for (size_t q = 0; q < qb; q++) {
            size_t s = r0 + q, i = uid[s], full = a->cnt[i] == k;
            if (s + 1 < m)
                for (size_t e = 0; e < k; e += 16) {
                    __builtin_prefetch(a->hid + (size_t)uid[s + 1] * k + e);
                    __builtin_prefetch(a->hd2 + (size_t)uid[s + 1] * k + e);
                }
            const float *g = G + q * nu, ni = (1 - KNN_GEMM_SLACK) * nrm[s];
            struct recv r;
            size_t nc = screen(g, nrm, full ? a->hd2[i * k] - ni : INFINITY, nu, cix);
            recv_begin(a, &r, i);
            for (size_t c = 0; c < nc; c++) {
                size_t j = cix[c];
                if (j == s || bit_get(r.bits, uid[j]))
                    continue;
                /* the list's worst may have come down since the screen */
                if (a->cnt[i] == k &&
                    g[j] + (1 - KNN_GEMM_SLACK) * nrm[j] + ni > a->hd2[i * k])
                    continue;
                changed += (size_t)offer_d2(a, &r, i, uid[j], sqdist_f(X + s * dp, X + j * dp, dp));
            }
            recv_end(a, &r, i);
        }
    }
    return changed;
}

/* Leaves [part * leafpart, ...) of the current tree, each a step. */
static int
step_part(void *ctx, size_t part)
{
    struct approx *a = ctx;
    const size_t *leaves = a->leaves + a->tree * a->leafcap;
    size_t l0 = part * a->leafpart, l1 = l0 + a->leafpart, changed = 0;
    int slot = hs_par_slot();

    if (l1 > a->nleaves[a->tree])
        l1 = a->nleaves[a->tree];
    for (size_t l = l0; l < l1; l++) {
        if (check_stop(a))
            return HS_ECANCELLED;
        size_t nu = step_points(a, l, a->uid + (size_t)slot * a->ucap,
                                a->seen + (size_t)slot * a->words);
        changed += step_leaf(a, leaves[l + 1] - leaves[l], nu, slot);
    }
    a->changed[part] = changed;
    hs_par_progress_add(&a->prog, leaves[l1] - leaves[l0]);
    return HS_OK;
}

/* Leaf steps until few entries change (KNN_DELTA_LONG); HS_OK or
 * HS_ECANCELLED. */
static int
leaf_steps(struct approx *a, int nth)
{
    int rc = HS_OK, blas = knn_blas_threads(1);

    for (size_t st = 0; st < KNN_MAXSTEPS && rc == HS_OK; st++) {
        size_t changed = 0, nparts;
        a->tree = st % a->ntrees;
        nparts = (a->nleaves[a->tree] + a->leafpart - 1) / a->leafpart;
        rc = hs_par_run(nparts, nth, step_part, a);
        for (size_t p = 0; p < nparts; p++)
            changed += a->changed[p];
        /* the first step only fills the lists from one tree's leaves */
        if (st > 0 &&
            (double)changed <= KNN_DELTA_LONG * (double)a->n * (double)a->k)
            break;
    }
    knn_blas_threads(blas);
    return rc;
}

/* A seeded priority of the pair (i, j) in this round: candidates are the
 * `cand` of lowest priority, a fair sample that no thread decides. */
static inline uint64_t
priority(const struct approx *a, size_t i, size_t j)
{
    return hs_mix64(a->seed ^ hs_mix64(((uint64_t)a->round << 40) ^ ((uint64_t)i << 20) ^ j) ^
                    (uint64_t)j);
}

/* Keep (prio, id) in the list of the `cap` lowest priorities. */
static inline void
keep_lowest(uint64_t *pr, uint32_t *ids, size_t *got, size_t cap, uint64_t p, uint32_t id)
{
    size_t at;
    if (*got == cap && p >= pr[cap - 1])
        return;
    at = *got < cap ? (*got)++ : cap - 1;
    while (at > 0 && pr[at - 1] > p) {
        pr[at] = pr[at - 1];
        ids[at] = ids[at - 1];
        at--;
    }
    pr[at] = p;
    ids[at] = id;
}

/* Point i's candidates of this round: its list entries and the points
 * listing it, new ones and old ones apart, at most `cand` of each. */
static int
cand_part(void *ctx, size_t part)
{
    struct approx *a = ctx;
    size_t lo, hi, k = a->k, C = a->cand;
    uint64_t pn[KNN_MAXCAND], po[KNN_MAXCAND];

    part_range(a, part, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        uint32_t *cn = a->cnew + i * C, *co = a->cold + i * C;
        size_t gn = 0, go = 0;
        for (size_t m = 0; m < a->cnt[i]; m++) {
            uint32_t e = a->hid[i * k + m], j = e & ~KNN_NEW;
            if (e & KNN_NEW)
                keep_lowest(pn, cn, &gn, C, priority(a, i, j), (uint32_t)j);
            else
                keep_lowest(po, co, &go, C, priority(a, i, j), (uint32_t)j);
        }
        for (size_t r = a->rstart[i]; r < a->rstart[i + 1]; r++) {
            uint32_t u = a->rev[r] & 0x7fffffffu;
            if (a->rev[r] & 0x80000000u)
                keep_lowest(pn, cn, &gn, C, priority(a, u, i), u);
            else
                keep_lowest(po, co, &go, C, priority(a, u, i), u);
        }
        for (; gn < C; gn++)
            cn[gn] = KNN_NONE;
        for (; go < C; go++)
            co[go] = KNN_NONE;
    }
    return HS_OK;
}

/* The list entries that became candidates are old from now on. */
static int
age_part(void *ctx, size_t part)
{
    struct approx *a = ctx;
    size_t lo, hi, k = a->k, C = a->cand;

    part_range(a, part, &lo, &hi);
    for (size_t i = lo; i < hi; i++)
        for (size_t m = 0; m < a->cnt[i]; m++) {
            uint32_t e = a->hid[i * k + m];
            if (!(e & KNN_NEW))
                continue;
            for (size_t c = 0; c < C && a->cnew[i * C + c] != KNN_NONE; c++)
                if (a->cnew[i * C + c] == (e & ~KNN_NEW)) {
                    a->hid[i * k + m] = e & ~KNN_NEW;
                    break;
                }
        }
    return HS_OK;
}

/* Point a pulls: for each u holding a as a new candidate, every other
 * candidate of u; for each u holding a as an old one, u's new ones. */
static int
join_part(void *ctx, size_t part)
{
    struct approx *a = ctx;
    size_t lo, hi, C = a->cand, changed = 0;

    if (check_stop(a))
        return HS_ECANCELLED;
    part_range(a, part, &lo, &hi);
    for (size_t p = lo; p < hi; p++) {
        struct recv r;
        recv_begin(a, &r, p);
        for (size_t t = a->tnew[p]; t < a->tnew[p + 1]; t++) {
            size_t u = a->tnew_u[t];
            const uint32_t *cn = a->cnew + u * C, *co = a->cold + u * C;
            for (size_t c = 0; c < C && cn[c] != KNN_NONE; c++)
                changed += (size_t)offer(a, &r, p, cn[c]);
            for (size_t c = 0; c < C && co[c] != KNN_NONE; c++)
                changed += (size_t)offer(a, &r, p, co[c]);
        }
        for (size_t t = a->told[p]; t < a->told[p + 1]; t++) {
            const uint32_t *cn = a->cnew + (size_t)a->told_u[t] * C;
            for (size_t c = 0; c < C && cn[c] != KNN_NONE; c++)
                changed += (size_t)offer(a, &r, p, cn[c]);
        }
        recv_end(a, &r, p);
    }
    a->changed[part] = changed;
    hs_par_progress_add(&a->prog, hi - lo);
    return HS_OK;
}

/* The transpose of n lists of `width` slots (KNN_NONE ends a list) by
 * counting: start (n + 1) and the listing points, in order. */
static void
transpose(const uint32_t *lists, size_t n, size_t width, size_t *start, uint32_t *out)
{
    memset(start, 0, (n + 1) * sizeof *start);
    for (size_t u = 0; u < n; u++)
        for (size_t c = 0; c < width && lists[u * width + c] != KNN_NONE; c++)
            start[lists[u * width + c] + 1]++;
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    for (size_t u = 0; u < n; u++)
        for (size_t c = 0; c < width && lists[u * width + c] != KNN_NONE; c++)
            out[start[lists[u * width + c]]++] = (uint32_t)u;
    for (size_t i = n; i > 0; i--)
        start[i] = start[i - 1];
    start[0] = 0;
}

/* The reverse lists of the heaps, each entry's flag in its top bit. */
static void
reverse_lists(struct approx *a)
{
    size_t n = a->n, k = a->k;

    memset(a->rstart, 0, (n + 1) * sizeof *a->rstart);
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < a->cnt[i]; m++)
            a->rstart[(a->hid[i * k + m] & ~KNN_NEW) + 1]++;
    for (size_t i = 0; i < n; i++)
        a->rstart[i + 1] += a->rstart[i];
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < a->cnt[i]; m++) {
            uint32_t e = a->hid[i * k + m];
            a->rev[a->rstart[e & ~KNN_NEW]++] = (uint32_t)i | (e & KNN_NEW);
        }
    for (size_t i = n; i > 0; i--)
        a->rstart[i] = a->rstart[i - 1];
    a->rstart[0] = 0;
}

/* Each list into the answer at its row: rows again for positions, the
 * distances measured again exactly (in double, as knn.h promises) and
 * sorted in (distance, row) order. */
static int
finish_part(void *ctx, size_t part)
{
    struct approx *a = ctx;
    size_t lo, hi, k = a->k, dim = a->dim;
    struct knn_heap h = {.k = k};
    double *td = hs_malloc(k * sizeof *td);
    size_t *ti = hs_malloc(k * sizeof *ti);

    part_range(a, part, &lo, &hi);
    h.d2 = hs_malloc(k * sizeof *h.d2);
    h.id = hs_malloc(k * sizeof *h.id);
    if (!h.d2 || !h.id || !td || !ti) {
        hs_free(h.d2);
        hs_free(h.id);
        hs_free(td);
        hs_free(ti);
        return HS_ENOMEM;
    }
    for (size_t i = lo; i < hi; i++) {
        /* A list the trees and joins left short (a point in a small
         * leaf with few neighbours of neighbours): every point offered. */
        if (a->cnt[i] < k) {
            struct recv r;
            recv_begin(a, &r, i);
            for (size_t j = 0; a->cnt[i] < k && j < a->n; j++)
                offer(a, &r, i, j);
            recv_end(a, &r, i);
        }
        size_t row = a->order[i];
        const double *xi = a->x + row * dim;
        /* the rows lie scattered over n: all their loads first */
        for (size_t m = 0; m < k; m++) {
            ti[m] = a->order[a->hid[i * k + m] & ~KNN_NEW];
            __builtin_prefetch(a->x + ti[m] * dim);
            __builtin_prefetch(a->x + ti[m] * dim + dim - 1);
        }
        h.size = 0;
        for (size_t m = 0; m < k; m++)
            knn_heap_offer(&h, hs_knn_sqdist(xi, a->x + ti[m] * dim, dim), ti[m]);
        knn_heap_drain(&h, ti, td);
        knn_out_row(a->out, row, k, ti, td);
    }
    hs_free(h.d2);
    hs_free(h.id);
    hs_free(td);
    hs_free(ti);
    return HS_OK;
}

/* The first tree's order: the points copied in it (as floats: the
 * search ranks by them, the answer's distances are measured again), and
 * every tree's order in positions. */
static int
reorder_part(void *ctx, size_t part)
{
    struct approx *a = ctx;
    size_t lo, hi, dim = a->dim;

    part_range(a, part, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        for (size_t c = 0; c < dim; c++)
            a->xf[i * a->dp + c] = (float)a->x[(size_t)a->order[i] * dim + c];
        for (size_t c = dim; c < a->dp; c++)
            a->xf[i * a->dp + c] = 0;
    }
    return HS_OK;
}

/* The rounds' lists (NN-descent); the rev of n entries grows to n k. */
static int
rounds_alloc(struct approx *a)
{
    size_t n = a->n;
    uint32_t *rev = hs_realloc(a->rev, n * a->k * sizeof *rev);
    if (!rev)
        return HS_ENOMEM;
    a->rev = rev;
    a->rstart = hs_malloc((n + 1) * sizeof *a->rstart);
    a->cnew = hs_malloc(n * a->cand * sizeof *a->cnew);
    a->cold = hs_malloc(n * a->cand * sizeof *a->cold);
    a->tnew = hs_malloc((n + 1) * sizeof *a->tnew);
    a->told = hs_malloc((n + 1) * sizeof *a->told);
    a->tnew_u = hs_malloc(n * a->cand * sizeof *a->tnew_u);
    a->told_u = hs_malloc(n * a->cand * sizeof *a->told_u);
    if (!a->rstart || !a->cnew || !a->cold || !a->tnew || !a->told || !a->tnew_u || !a->told_u)
        return HS_ENOMEM;
    return HS_OK;
}

/* The leaf steps' scratch, per slot. */
static int
step_alloc(struct approx *a, int nth)
{
    size_t slots = (size_t)nth, u = a->ucap;
    a->uid = hs_malloc(slots * u * sizeof *a->uid);
    a->cix = hs_malloc(slots * u * sizeof *a->cix);
    a->ux = hs_malloc(slots * u * a->dp * sizeof *a->ux);
    a->un = hs_malloc(slots * u * sizeof *a->un);
    a->ug = hs_malloc(slots * KNN_GEMM_ROWS * u * sizeof *a->ug);
    a->seen = hs_calloc(slots * a->words, sizeof *a->seen);
    if (!a->uid || !a->cix || !a->ux || !a->un || !a->ug || !a->seen)
        return HS_ENOMEM;
    return HS_OK;
}

static void
release_rounds(struct approx *a)
{
    void **lists[] = {(void **)&a->perm,  (void **)&a->leaves, (void **)&a->rstart,
                      (void **)&a->rev,   (void **)&a->cnew,   (void **)&a->cold,
                      (void **)&a->tnew,  (void **)&a->told,   (void **)&a->tnew_u,
                      (void **)&a->told_u, (void **)&a->uid,   (void **)&a->cix,
                      (void **)&a->ux,     (void **)&a->un,     (void **)&a->ug,
                      (void **)&a->seen};
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
        hs_free(*lists[i]);
        *lists[i] = NULL;
    }
}

static void
approx_release(struct approx *a)
{
    release_rounds(a);
    hs_free(a->xf);
    hs_free(a->mark);
    hs_free(a->order);
    hs_free(a->hid);
    hs_free(a->hd2);
    hs_free(a->cnt);
    hs_free(a->nleaves);
    hs_free(a->changed);
}

int
hs_knn_approx(const double *x, size_t n, size_t dim, size_t k, uint64_t seed, size_t *idx,
              double *dist, int threads, const struct hs_task *task, struct hs_err *err)
{
    struct knn_out o = {.idx = idx, .dist = dist};
    return knn_approx(x, n, dim, k, seed, &o, threads, task, err);
}

int
hs_knn_approx32(const double *x, size_t n, size_t dim, size_t k, uint64_t seed, uint32_t *idx,
                double *dist, int threads, const struct hs_task *task, struct hs_err *err)
{
    struct knn_out o = {.idx32 = idx, .dist = dist};
    if (n > UINT32_MAX)
        return hs_err_set(err, HS_ERANGE, "nearest neighbours: at most %u points, not %zu",
                          UINT32_MAX, n);
    return knn_approx(x, n, dim, k, seed, &o, threads, task, err);
}

int
knn_approx(const double *x, size_t n, size_t dim, size_t k, uint64_t seed,
           const struct knn_out *o, int threads, const struct hs_task *task, struct hs_err *err)
{
    int nth = threads > 0 ? threads : hs_par_threads(), rc = HS_OK;
    size_t npart = (n + KNN_APPROX_BLOCK - 1) / KNN_APPROX_BLOCK;
    struct approx a = {.x = x, .n = n, .dim = dim, .k = k, .out = o, .seed = seed, .task = task};
    bool steps = k > KNN_LONG;

    /* Small sets, or lists too long for a join to pay: the exact search. */
    if (n <= 16 * KNN_LEAF || k + 1 > 8 * KNN_LEAF || n >= 0x7fffffff)
        return knn_exact(x, n, dim, k, o, threads, task, err);
    if ((rc = knn_check(x, n, dim, k, err)))
        return rc;
    a.leaf = k + 1 > KNN_LEAF ? k + 1 : KNN_LEAF;
    a.cand = k < KNN_MAXCAND ? k : KNN_MAXCAND;
    /* pynndescent's forest size for n points */
    a.ntrees = 5 + (size_t)lround(pow((double)n, 0.25) / 2);
    a.ntrees = a.ntrees > 32 ? 32 : a.ntrees;
    if (steps) {
        a.leaf = KNN_STEP_LEAF * k > 96 ? KNN_STEP_LEAF * k : 96;
        a.ntrees = KNN_STEP_TREES;
    }
    a.leafcap = n / (a.leaf / 8) + 2;
    a.leafpart = a.leafcap / HS_PAR_MAX_PARTS + 1;
    a.ucap = a.leaf * (k + 1) < n ? a.leaf * (k + 1) : n;
    a.dp = (dim + 3) / 4 * 4;
    a.xf = hs_malloc(n * a.dp * sizeof *a.xf);
    a.words = (n + 63) / 64;
    a.mark = hs_calloc((size_t)nth * a.words, sizeof *a.mark);
    a.order = hs_malloc(n * sizeof *a.order);
    a.hid = hs_malloc(n * k * sizeof *a.hid);
    a.hd2 = hs_malloc(n * k * sizeof *a.hd2);
    a.cnt = hs_calloc(n, sizeof *a.cnt);
    a.perm = hs_malloc(a.ntrees * n * sizeof *a.perm);
    a.leaves = hs_malloc(a.ntrees * a.leafcap * sizeof *a.leaves);
    a.nleaves = hs_calloc(a.ntrees, sizeof *a.nleaves);
    a.rev = hs_malloc(n * sizeof *a.rev);
    a.changed = hs_calloc(npart > a.leafcap ? npart : a.leafcap, sizeof *a.changed);
    if (!a.xf || !a.mark || !a.order || !a.hid || !a.hd2 || !a.cnt || !a.perm || !a.leaves ||
        !a.nleaves || !a.rev || !a.changed || (steps ? step_alloc(&a, nth) : rounds_alloc(&a))) {
        approx_release(&a);
        return hs_err_set(err, HS_ENOMEM, "out of memory for the neighbour search");
    }
    atomic_init(&a.stop, 0);
    /* progress in points: each tree built, each tree's leaves joined,
     * each round */
    hs_par_progress_init(&a.prog, task,
                         n * (steps ? a.ntrees + KNN_MAXSTEPS : 2 * a.ntrees + KNN_MAXROUNDS),
                         "nearest neighbours", true);
    rc = hs_par_run(a.ntrees, nth, tree_part, &a);
    if (rc == HS_OK) {
        /* positions for rows: the first tree's order, so that leaf mates
         * and neighbours lie close in memory */
        uint32_t *pos = a.rev; /* free until the rounds */
        memcpy(a.order, a.perm, n * sizeof *a.order);
        for (size_t i = 0; i < n; i++)
            pos[a.order[i]] = (uint32_t)i;
        for (size_t i = 0; i < a.ntrees * n; i++)
            a.perm[i] = pos[a.perm[i]];
        hs_par_run(npart, nth, reorder_part, &a);
    }
    if (steps && rc == HS_OK)
        rc = leaf_steps(&a, nth);
    for (a.tree = 0; !steps && a.tree < a.ntrees && rc == HS_OK; a.tree++)
        rc = hs_par_run((a.nleaves[a.tree] + 15) / 16, nth, leaf_part, &a);
    for (a.round = 0; !steps && a.round < KNN_MAXROUNDS && rc == HS_OK; a.round++) {
        size_t changed = 0;
        reverse_lists(&a);
        hs_par_run(npart, nth, cand_part, &a);
        hs_par_run(npart, nth, age_part, &a);
        transpose(a.cnew, n, a.cand, a.tnew, a.tnew_u);
        transpose(a.cold, n, a.cand, a.told, a.told_u);
        rc = hs_par_run(npart, nth, join_part, &a);
        for (size_t p = 0; p < npart; p++)
            changed += a.changed[p];
        if ((double)changed <= KNN_DELTA * (double)n * (double)k)
            break;
    }
    /* The rounds' lists go before the answer is written: the answer's
     * pages are touched only now, so the peak is the larger of the two
     * phases, not their sum. */
    release_rounds(&a);
    if (rc == HS_OK)
        rc = hs_par_run(npart, nth, finish_part, &a);
    approx_release(&a);
    if (rc == HS_ECANCELLED || (rc == HS_OK && atomic_load(&a.stop)))
        return hs_err_set(err, HS_ECANCELLED, "nearest neighbours cancelled");
    if (rc != HS_OK)
        return hs_err_set(err, HS_ENOMEM, "out of memory for the neighbour search");
    return HS_OK;
}

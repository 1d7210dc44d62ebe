/* bdt_grow.c: one tree grown from gradient histograms (bdt_int.h).
 *
 * A node's histogram holds, per input and bin, the summed gradient,
 * hessian and count of its rows.  Only one child of a split is built from
 * its rows, the one with fewer; the other is its parent's histogram less
 * the built one, computed in the parent's own buffer (LightGBM's sibling
 * subtraction), so a level of the tree reads at most half the rows.
 *
 * Depth-wise growth expands every splittable node of a level together:
 * one parallel job partitions their rows, one builds the small children's
 * histograms (each child's rows in parts of BDT_CHUNK, all children's
 * parts in one job, so that small nodes run side by side and large ones
 * are split between threads), one adds up the parts in part order,
 * subtracts and finds the children's best splits.  Leaf-wise growth
 * expands one leaf at a time, the one whose best split gains most.
 *
 * A split's gain is XGBoost's loss_chg, G_L^2/(H_L+l) + G_R^2/(H_R+l) -
 * G^2/(H+l); of equal gains the first input, then the lowest bin, then
 * missing values going right wins.  A split must leave min_leaf rows and a
 * hessian of min_hess on each side.  When no training row of the node
 * misses the input, missing values follow the side with the larger
 * hessian.
 */
#include "config.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "bdt_int.h"
#include "mem.h"
#include "par.h"

/* A node while the tree grows. */
struct gnode {
    size_t lo, hi;        /* its rows[lo..hi) */
    double G, H;
    int64_t C;
    unsigned depth;
    long hist;            /* its histogram's buffer in the pool, -1 for none */
    /* the best split found, feat < 0 for none */
    int feat;
    unsigned bin;
    bool mleft;
    double gain, GL, HL;
    int64_t CL;
};

struct bdt_grower {
    const uint8_t *bins, *colbins;
    size_t n, nf;
    unsigned B, S;
    const unsigned *nb;
    int threads;
    size_t *tmp;              /* n: partition scratch */
    struct bdt_hbin **pool;   /* histogram buffers, nf * S bins each */
    size_t npool;
    long *freel;              /* free buffers of the pool */
    size_t nfree;
    struct bdt_hbin **scratch; /* one per extra part of a build */
    size_t nscratch;
    struct gnode *g;          /* per tree node */
    size_t gcap;
    size_t *leaf_lo, *leaf_hi;
};

struct bdt_grower *
bdt_grower_new(const uint8_t *bins, const uint8_t *colbins, size_t n, size_t nf, unsigned B,
               const unsigned *nb, int threads)
{
    struct bdt_grower *g = hs_calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->bins = bins;
    g->colbins = colbins;
    g->n = n;
    g->nf = nf;
    g->B = B;
    g->S = B + 1;
    g->nb = nb;
    g->threads = threads;
    g->tmp = hs_malloc((n ? n : 1) * sizeof *g->tmp);
    if (!g->tmp) {
        bdt_grower_free(g);
        return NULL;
    }
    return g;
}

void
bdt_grower_free(struct bdt_grower *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->npool; i++)
        hs_free(g->pool[i]);
    for (size_t i = 0; i < g->nscratch; i++)
        hs_free(g->scratch[i]);
    hs_free(g->pool);
    hs_free(g->freel);
    hs_free(g->scratch);
    hs_free(g->tmp);
    hs_free(g->g);
    hs_free(g->leaf_lo);
    hs_free(g->leaf_hi);
    hs_free(g);
}

void
bdt_tree_release(struct bdt_tree *t)
{
    hs_free(t->nodes);
    hs_free(t->bin);
    memset(t, 0, sizeof *t);
}

static size_t
hist_bytes(const struct bdt_grower *g)
{
    return g->nf * g->S * sizeof(struct bdt_hbin);
}

/* A free histogram buffer, -1 when out of memory. */
static long
hist_take(struct bdt_grower *g)
{
    if (g->nfree)
        return g->freel[--g->nfree];
    struct bdt_hbin **p = hs_realloc(g->pool, (g->npool + 1) * sizeof *p);
    if (!p)
        return -1;
    g->pool = p;
    long *f = hs_realloc(g->freel, (g->npool + 1) * sizeof *f);
    if (!f)
        return -1;
    g->freel = f;
    g->pool[g->npool] = hs_malloc(hist_bytes(g));
    if (!g->pool[g->npool])
        return -1;
    return (long)g->npool++;
}

static void
hist_give(struct bdt_grower *g, long h)
{
    if (h >= 0)
        g->freel[g->nfree++] = h;
}

/* A new tree node (and its gnode), -1 when out of memory. */
static long
node_add(struct bdt_grower *g, struct bdt_tree *t)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        struct hs_forest_node *nd = hs_realloc(t->nodes, cap * sizeof *nd);
        if (!nd)
            return -1;
        t->nodes = nd;
        unsigned *b = hs_realloc(t->bin, cap * sizeof *b);
        if (!b)
            return -1;
        t->bin = b;
        t->cap = cap;
    }
    if (t->n == g->gcap) {
        size_t cap = g->gcap ? 2 * g->gcap : 64;
        struct gnode *gn = hs_realloc(g->g, cap * sizeof *gn);
        size_t *lo = gn ? hs_realloc(g->leaf_lo, cap * sizeof *lo) : NULL;
        if (gn)
            g->g = gn;
        if (lo)
            g->leaf_lo = lo;
        size_t *hi = lo ? hs_realloc(g->leaf_hi, cap * sizeof *hi) : NULL;
        if (!hi)
            return -1;
        g->leaf_hi = hi;
        g->gcap = cap;
    }
    size_t i = t->n++;
    t->nodes[i] = (struct hs_forest_node){.feature = -1};
    t->bin[i] = 0;
    g->g[i] = (struct gnode){.hist = -1, .feat = -1};
    return (long)i;
}

/* ---- the jobs ---- */

struct grow_ctx {
    struct bdt_grower *g;
    const struct bdt_grow_opts *o;
    const float *gh;
    size_t *rows;
    const size_t *feats;
    size_t nfeat;
    const struct hs_task *task;
    /* the nodes split in this round, and their children */
    size_t *split, nsplit;
    size_t *small, *large;        /* per split: the built child and the other (or -1) */
    bool *need_small, *need_large; /* do they need their best split */
    /* the build's parts */
    size_t *part_node, *part_lo, *part_hi;
    long *part_buf;               /* -1: the node's own buffer, else a scratch index */
    size_t *first_part;           /* per split: its small child's first part */
    size_t nparts;
    atomic_int stop;
};

static int
stopped(struct grow_ctx *c)
{
    if (atomic_load_explicit(&c->stop, memory_order_relaxed) || hs_task_cancelled(c->task)) {
        atomic_store(&c->stop, 1);
        return 1;
    }
    return 0;
}

/* Partition split k's rows stably: left ones first. */
static int
partition_part(void *ctx, size_t k)
{
    struct grow_ctx *c = ctx;
    struct bdt_grower *g = c->g;
    const struct gnode *p = &g->g[c->split[k]];
    size_t nl = p->lo, nr = 0;
    unsigned B = g->B, bin = p->bin;
    bool mleft = p->mleft;
    size_t *tmp = g->tmp + p->lo;
    const uint8_t *col = g->colbins + (size_t)p->feat * g->n;

    if (stopped(c))
        return HS_ECANCELLED;
    for (size_t i = p->lo; i < p->hi; i++) {
        size_t r = c->rows[i];
        unsigned b = col[r];
        bool left = b == B ? mleft : b <= bin;
        if (left)
            c->rows[nl++] = r;
        else
            tmp[nr++] = r;
    }
    memcpy(c->rows + nl, tmp, nr * sizeof *tmp);
    return HS_OK;
}

static void
hist_zero(struct bdt_hbin *h, const struct grow_ctx *c)
{
    size_t S = c->g->S;
    if (c->nfeat == c->g->nf)
        memset(h, 0, c->g->nf * S * sizeof *h);
    else
        for (size_t q = 0; q < c->nfeat; q++)
            memset(h + c->feats[q] * S, 0, S * sizeof *h);
}

static int
build_part(void *ctx, size_t k)
{
    struct grow_ctx *c = ctx;
    struct bdt_grower *g = c->g;
    const struct gnode *nd = &g->g[c->part_node[k]];
    struct bdt_hbin *h = c->part_buf[k] < 0 ? g->pool[nd->hist] : g->scratch[c->part_buf[k]];
    size_t nf = g->nf, S = g->S;
    const uint8_t *bins = g->bins;
    const float *gh = c->gh;
    const size_t *rows = c->rows;

    if (stopped(c))
        return HS_ECANCELLED;
    hist_zero(h, c);
    if (c->nfeat == nf) {
        for (size_t i = c->part_lo[k]; i < c->part_hi[k]; i++) {
            size_t r = rows[i];
            const uint8_t *b = bins + r * nf;
            double gr = gh[2 * r], hr = gh[2 * r + 1];
            struct bdt_hbin *e = h;
            for (size_t j = 0; j < nf; j++, e += S) {
                struct bdt_hbin *x = e + b[j];
                x->g += gr;
                x->h += hr;
                x->c++;
            }
        }
    } else {
        for (size_t i = c->part_lo[k]; i < c->part_hi[k]; i++) {
            size_t r = rows[i];
            const uint8_t *b = bins + r * nf;
            double gr = gh[2 * r], hr = gh[2 * r + 1];
            for (size_t q = 0; q < c->nfeat; q++) {
                size_t j = c->feats[q];
                struct bdt_hbin *x = h + j * S + b[j];
                x->g += gr;
                x->h += hr;
                x->c++;
            }
        }
    }
    return HS_OK;
}

/* Node i's best split from its histogram (gnode feat -1 when none). */
static void
best_split(struct grow_ctx *c, size_t i)
{
    struct bdt_grower *g = c->g;
    const struct bdt_grow_opts *o = c->o;
    struct gnode *nd = &g->g[i];
    const struct bdt_hbin *hist = g->pool[nd->hist];
    double l2 = o->l2, parent = bdt_score(nd->G, nd->H, l2);
    int64_t minc = (int64_t)o->min_leaf;
    double best = 0;

    nd->feat = -1;
    for (size_t q = 0; q < c->nfeat; q++) {
        size_t j = c->feats[q];
        unsigned nb = g->nb[j];
        if (nb < 2)
            continue;
        const struct bdt_hbin *h = hist + j * g->S, *m = h + g->B;
        double GL = 0, HL = 0;
        int64_t CL = 0;
        for (unsigned b = 0; b + 1 < nb; b++) {
            GL += h[b].g;
            HL += h[b].h;
            CL += h[b].c;
            for (int ml = 0; ml < 2; ml++) {
                if (ml && m->c == 0)
                    break;
                double gl = ml ? GL + m->g : GL, hl = ml ? HL + m->h : HL;
                int64_t cl = ml ? CL + m->c : CL;
                double gr = nd->G - gl, hr = nd->H - hl;
                int64_t cr = nd->C - cl;
                if (cl < minc || cr < minc || !(hl >= o->min_hess) || !(hr >= o->min_hess))
                    continue;
                double gain = bdt_score(gl, hl, l2) + bdt_score(gr, hr, l2) - parent;
                if (gain > best) {
                    best = gain;
                    nd->feat = (int)j;
                    nd->bin = b;
                    nd->mleft = m->c == 0 ? hl >= hr : ml;
                    nd->gain = gain;
                    nd->GL = gl;
                    nd->HL = hl;
                    nd->CL = cl;
                }
            }
        }
    }
}

/* Split k's small child: its parts added in order, the large child's
 * histogram from the parent's buffer, and the best splits wanted. */
static int
finish_part(void *ctx, size_t k)
{
    struct grow_ctx *c = ctx;
    struct bdt_grower *g = c->g;
    size_t S = g->S;

    if (stopped(c))
        return HS_ECANCELLED;
    struct gnode *s = &g->g[c->small[k]];
    struct bdt_hbin *hs = g->pool[s->hist];
    for (size_t p = c->first_part[k] + 1; p < c->nparts && c->part_node[p] == c->small[k];
         p++) {
        const struct bdt_hbin *x = g->scratch[c->part_buf[p]];
        for (size_t q = 0; q < c->nfeat; q++) {
            size_t off = c->feats[q] * S;
            for (size_t b = 0; b < S; b++) {
                hs[off + b].g += x[off + b].g;
                hs[off + b].h += x[off + b].h;
                hs[off + b].c += x[off + b].c;
            }
        }
    }
    if (c->large[k] != (size_t)-1) {
        struct bdt_hbin *hl = g->pool[g->g[c->large[k]].hist];
        for (size_t q = 0; q < c->nfeat; q++) {
            size_t off = c->feats[q] * S;
            for (size_t b = 0; b < S; b++) {
                hl[off + b].g -= hs[off + b].g;
                hl[off + b].h -= hs[off + b].h;
                hl[off + b].c -= hs[off + b].c;
            }
        }
        if (c->need_large[k])
            best_split(c, c->large[k]);
    }
    if (c->need_small[k])
        best_split(c, c->small[k]);
    return HS_OK;
}

static int
run(struct grow_ctx *c, size_t nparts, hs_par_fn fn, struct hs_err *err)
{
    int rc = nparts ? hs_par_run(nparts, c->g->threads, fn, c) : HS_OK;
    if (rc == HS_ECANCELLED)
        return hs_err_set(err, rc, "boosted trees cancelled");
    if (rc)
        return hs_err_set(err, rc, "out of memory growing a tree");
    return HS_OK;
}

/* Could node i split (depth, leaves left, rows)? */
static bool
splittable(const struct grow_ctx *c, size_t i, size_t leaves_after)
{
    const struct gnode *nd = &c->g->g[i];
    const struct bdt_grow_opts *o = c->o;
    if (o->depth && nd->depth >= o->depth)
        return false;
    if (o->leaves && leaves_after >= o->leaves)
        return false;
    return nd->C >= 2 * (int64_t)(o->min_leaf ? o->min_leaf : 1);
}

/* Build the histograms of the small children of the c->nsplit splits
 * (c->small, the root alone when large is -1), subtract for the large,
 * find the best splits. */
static int
build_and_split(struct grow_ctx *c, struct hs_err *err)
{
    struct bdt_grower *g = c->g;
    size_t np = 0, ns = 0;

    for (size_t k = 0; k < c->nsplit; k++) {
        const struct gnode *nd = &g->g[c->small[k]];
        size_t cnt = nd->hi - nd->lo;
        np += cnt ? (cnt + BDT_CHUNK - 1) / BDT_CHUNK : 1;
    }
    c->part_node = hs_malloc(np * sizeof *c->part_node);
    c->part_lo = hs_malloc(np * sizeof *c->part_lo);
    c->part_hi = hs_malloc(np * sizeof *c->part_hi);
    c->part_buf = hs_malloc(np * sizeof *c->part_buf);
    c->first_part = hs_malloc(c->nsplit * sizeof *c->first_part);
    if (!c->part_node || !c->part_lo || !c->part_hi || !c->part_buf || !c->first_part)
        return hs_err_set(err, HS_ENOMEM, "out of memory growing a tree");
    np = 0;
    for (size_t k = 0; k < c->nsplit; k++) {
        const struct gnode *nd = &g->g[c->small[k]];
        size_t cnt = nd->hi - nd->lo, parts = cnt ? (cnt + BDT_CHUNK - 1) / BDT_CHUNK : 1;
        c->first_part[k] = np;
        for (size_t p = 0; p < parts; p++, np++) {
            c->part_node[np] = c->small[k];
            c->part_lo[np] = nd->lo + p * BDT_CHUNK;
            c->part_hi[np] = p + 1 == parts ? nd->hi : nd->lo + (p + 1) * BDT_CHUNK;
            c->part_buf[np] = p == 0 ? -1 : (long)ns++;
        }
    }
    if (ns > g->nscratch) {
        struct bdt_hbin **s = hs_realloc(g->scratch, ns * sizeof *s);
        if (!s)
            return hs_err_set(err, HS_ENOMEM, "out of memory growing a tree");
        g->scratch = s;
        while (g->nscratch < ns) {
            g->scratch[g->nscratch] = hs_malloc(hist_bytes(g));
            if (!g->scratch[g->nscratch])
                return hs_err_set(err, HS_ENOMEM, "out of memory growing a tree");
            g->nscratch++;
        }
    }
    c->nparts = np;
    int rc = run(c, np, build_part, err);
    if (!rc)
        rc = run(c, c->nsplit, finish_part, err);
    return rc;
}

static void
free_parts(struct grow_ctx *c)
{
    hs_free(c->part_node);
    hs_free(c->part_lo);
    hs_free(c->part_hi);
    hs_free(c->part_buf);
    hs_free(c->first_part);
    c->part_node = c->part_lo = c->part_hi = c->first_part = NULL;
    c->part_buf = NULL;
}

/* Split the nodes c->split[0..nsplit) (each with a best split and a
 * histogram): children added, rows partitioned, the children's
 * histograms and best splits where they may split further.  leaves: the
 * tree's leaves before these splits. */
static int
expand(struct grow_ctx *c, struct bdt_tree *t, size_t leaves, struct hs_err *err)
{
    struct bdt_grower *g = c->g;
    int rc = run(c, c->nsplit, partition_part, err);
    if (rc)
        return rc;
    size_t nb = 0; /* splits whose children need histograms, moved to the front */
    for (size_t k = 0; k < c->nsplit; k++) {
        size_t pi = c->split[k];
        long l = node_add(g, t), r = l >= 0 ? node_add(g, t) : -1;
        if (r < 0)
            return hs_err_set(err, HS_ENOMEM, "out of memory growing a tree");
        struct gnode *p = &g->g[pi], *L = &g->g[l], *R = &g->g[r];
        *L = (struct gnode){.lo = p->lo, .hi = p->lo + (size_t)p->CL, .G = p->GL, .H = p->HL,
                            .C = p->CL, .depth = p->depth + 1, .hist = -1, .feat = -1};
        *R = (struct gnode){.lo = L->hi, .hi = p->hi, .G = p->G - p->GL, .H = p->H - p->HL,
                            .C = p->C - p->CL, .depth = p->depth + 1, .hist = -1, .feat = -1};
        struct hs_forest_node *d = &t->nodes[pi];
        d->feature = p->feat;
        d->left = (uint32_t)l;
        d->right = (uint32_t)r;
        d->missing_left = p->mleft;
        t->bin[pi] = p->bin;
        d->gain = p->gain;
        leaves++;
        bool nl = splittable(c, (size_t)l, leaves), nr = splittable(c, (size_t)r, leaves);
        if (!nl && !nr) {
            hist_give(g, p->hist);
            p->hist = -1;
            continue;
        }
        bool left_small = L->C <= R->C;
        size_t sm = (size_t)(left_small ? l : r), lg = (size_t)(left_small ? r : l);
        long hb = hist_take(g);
        if (hb < 0)
            return hs_err_set(err, HS_ENOMEM, "out of memory growing a tree");
        g->g[sm].hist = hb;
        g->g[lg].hist = p->hist;
        p->hist = -1;
        c->small[nb] = sm;
        c->large[nb] = lg;
        c->need_small[nb] = left_small ? nl : nr;
        c->need_large[nb] = left_small ? nr : nl;
        nb++;
    }
    size_t nsplit = c->nsplit;
    c->nsplit = nb;
    rc = build_and_split(c, err);
    free_parts(c);
    c->nsplit = nsplit;
    if (rc)
        return rc;
    /* Histograms of children that will not split are free again. */
    for (size_t k = 0; k < nb; k++) {
        if (!c->need_small[k]) {
            hist_give(g, g->g[c->small[k]].hist);
            g->g[c->small[k]].hist = -1;
        }
        if (!c->need_large[k]) {
            hist_give(g, g->g[c->large[k]].hist);
            g->g[c->large[k]].hist = -1;
        }
    }
    return HS_OK;
}

int
bdt_grow(struct bdt_grower *g, const struct bdt_grow_opts *o, const struct bdt_bins *cuts,
         const float *gh, size_t *rows, size_t nrows, const size_t *feats, size_t nfeat,
         struct bdt_tree *t, size_t **leaf_lo, size_t **leaf_hi, const struct hs_task *task,
         struct hs_err *err)
{
    struct grow_ctx c = {.g = g, .o = o, .gh = gh, .rows = rows, .feats = feats,
                         .nfeat = nfeat, .task = task};
    atomic_init(&c.stop, 0);
    int rc = HS_OK;
    size_t leaves = 1;

    t->n = 0;
    /* Every buffer is free at the start of a tree. */
    g->nfree = 0;
    for (size_t i = 0; i < g->npool; i++)
        g->freel[g->nfree++] = (long)i;
    if (node_add(g, t) < 0)
        return hs_err_set(err, HS_ENOMEM, "out of memory growing a tree");
    /* The root's totals, in row order. */
    {
        double G = 0, H = 0;
        for (size_t i = 0; i < nrows; i++) {
            G += gh[2 * rows[i]];
            H += gh[2 * rows[i] + 1];
        }
        g->g[0].lo = 0;
        g->g[0].hi = nrows;
        g->g[0].G = G;
        g->g[0].H = H;
        g->g[0].C = (int64_t)nrows;
    }
    /* Room for the per-split arrays: at most one split per node. */
    size_t cap = 0;
    size_t *open = NULL;
    size_t nopen = 0;
#define GROW_ARRAYS(n)                                                                     \
    do {                                                                                   \
        if ((n) > cap) {                                                                   \
            size_t nc = (n) * 2;                                                           \
            size_t *a = hs_realloc(c.split, nc * sizeof *a);                               \
            if (a) c.split = a;                                                            \
            size_t *b2 = a ? hs_realloc(c.small, nc * sizeof *b2) : NULL;                  \
            if (b2) c.small = b2;                                                          \
            size_t *c2 = b2 ? hs_realloc(c.large, nc * sizeof *c2) : NULL;                 \
            if (c2) c.large = c2;                                                          \
            bool *d2 = c2 ? hs_realloc(c.need_small, nc * sizeof *d2) : NULL;              \
            if (d2) c.need_small = d2;                                                     \
            bool *e2 = d2 ? hs_realloc(c.need_large, nc * sizeof *e2) : NULL;              \
            if (e2) c.need_large = e2;                                                     \
            size_t *f2 = e2 ? hs_realloc(open, nc * sizeof *f2) : NULL;                    \
            if (f2) open = f2;                                                             \
            if (!f2) {                                                                     \
                rc = hs_err_set(err, HS_ENOMEM, "out of memory growing a tree");           \
                goto done;                                                                 \
            }                                                                              \
            cap = nc;                                                                      \
        }                                                                                  \
    } while (0)
    GROW_ARRAYS(16);
    if (splittable(&c, 0, 1)) {
        long hb = hist_take(g);
        if (hb < 0) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory growing a tree");
            goto done;
        }
        g->g[0].hist = hb;
        c.small[0] = 0;
        c.large[0] = (size_t)-1;
        c.need_small[0] = true;
        c.nsplit = 1;
        rc = build_and_split(&c, err);
        free_parts(&c);
        if (rc)
            goto done;
        if (g->g[0].feat >= 0)
            open[nopen++] = 0;
    }
    if (!o->leaves) {
        /* Depth-wise: every open node of a level splits together. */
        while (nopen) {
            GROW_ARRAYS(nopen);
            memcpy(c.split, open, nopen * sizeof *open);
            c.nsplit = nopen;
            size_t first = t->n;
            rc = expand(&c, t, leaves, err);
            if (rc)
                goto done;
            leaves += nopen;
            nopen = 0;
            GROW_ARRAYS(t->n - first);
            for (size_t i = first; i < t->n; i++)
                if (g->g[i].feat >= 0)
                    open[nopen++] = i;
        }
    } else {
        /* Leaf-wise: the open leaf of the largest gain (the first of equal
         * ones) splits next. */
        while (nopen && leaves < o->leaves) {
            size_t best = 0;
            for (size_t k = 1; k < nopen; k++)
                if (g->g[open[k]].gain > g->g[open[best]].gain)
                    best = k;
            c.split[0] = open[best];
            c.nsplit = 1;
            memmove(open + best, open + best + 1, (nopen - best - 1) * sizeof *open);
            nopen--;
            size_t first = t->n;
            rc = expand(&c, t, leaves, err);
            if (rc)
                goto done;
            leaves++;
            GROW_ARRAYS(nopen + 2);
            for (size_t i = first; i < t->n; i++)
                if (g->g[i].feat >= 0)
                    open[nopen++] = i;
        }
    }
#undef GROW_ARRAYS
    /* The forest's fields: thresholds from the cuts, leaf values, covers. */
    for (size_t i = 0; i < t->n; i++) {
        struct hs_forest_node *d = &t->nodes[i];
        const struct gnode *nd = &g->g[i];
        d->cover = nd->H > 0 ? nd->H : 0;
        if (d->feature >= 0) {
            d->threshold = cuts->cut[d->feature][t->bin[i]];
            d->value = 0;
        } else {
            d->feature = -1;
            d->left = d->right = 0;
            d->gain = 0;
            d->threshold = 0;
            d->missing_left = false;
            d->value = nd->H + o->l2 > 0 ? -nd->G / (nd->H + o->l2) * o->lr : 0;
            g->leaf_lo[i] = nd->lo;
            g->leaf_hi[i] = nd->hi;
        }
    }
    *leaf_lo = g->leaf_lo;
    *leaf_hi = g->leaf_hi;
done:
    hs_free(c.split);
    hs_free(c.small);
    hs_free(c.large);
    hs_free(c.need_small);
    hs_free(c.need_large);
    hs_free(open);
    return rc;
}

/* tsne_bh.c: t-SNE's attractive forces, and its repulsive forces by a
 * Barnes-Hut tree (tsne.h).
 *
 * The tree is rebuilt every iteration: a 2^d-ary tree of boxes halved at
 * their centres (a binary tree, quadtree or octree), each node holding
 * its points' count and centre of mass.  Points sit in tree order, so a
 * node's points are one contiguous range and the leaves are near each
 * other in memory.  A node stands for all its points when it is seen
 * under an angle below theta from the point (its widest side below
 * theta times the distance to its centre of mass) and does not contain
 * the point; otherwise its children (or, in a leaf, its points one by
 * one) are visited.  With theta 0 every pair is summed exactly.
 *
 * Both sums run over fixed blocks of points as par.h parts and reduce
 * the blocks' partial sums in block order: the result depends on the
 * data alone, not on the thread count.
 */
#include "config.h"

#include "tsne.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "mem.h"
#include "par.h"
#include "simd_clones.h"

/* Points per part. */
#define BH_BLOCK 1024
/* Deeper than this a node is a leaf whatever it holds: only points that
 * coincide to about 2^-BH_DEPTH of the extent get there. */
#define BH_DEPTH 48

/* ---- attraction ---- */

struct attr_job {
    const struct hs_tsne_p *P;
    const struct hs_tsne_pc *Pc; /* the 2-d working form, or NULL */
    const double *y;
    size_t d;
    double *attr;
    double *plogw; /* per part, or NULL */
};

/* Four doubles (GCC's and Clang's vector extension): two SSE2 registers,
 * or one AVX register in the AVX2 clone, the same bits either way. */
typedef double attr_v4d __attribute__((vector_size(32)));

/* Rows lo..hi of a 2-d map, P in the working form: the case every
 * default run spends its attraction in, four edges at a time, so that
 * the divisions go four by four and the sums are four independent
 * chains (added in a fixed order: the bits depend on the data alone).
 * With plogw, also its sum of -p_ij log(1 + d^2) over these rows (the
 * KL iterations only). */
HS_CLONES static void
attr_rows_2d(const struct hs_tsne_pc *P, const double *y, size_t lo, size_t hi, double *attr,
             double *plogw)
{
    const attr_v4d one = {1, 1, 1, 1};
    const uint32_t *col = P->col;
    const float *val = P->val;
    double s = 0;
    for (size_t i = lo; i < hi; i++) {
        const double yi0 = y[2 * i], yi1 = y[2 * i + 1];
        const attr_v4d y0 = {yi0, yi0, yi0, yi0}, y1 = {yi1, yi1, yi1, yi1};
        attr_v4d a0 = {0, 0, 0, 0}, a1 = {0, 0, 0, 0};
        size_t e = P->rowptr[i], end = P->rowptr[i + 1];
        double t0 = 0, t1 = 0;
        for (; e + 4 <= end; e += 4) {
            const double *p0 = y + 2 * (size_t)col[e], *p1 = y + 2 * (size_t)col[e + 1];
            const double *p2 = y + 2 * (size_t)col[e + 2], *p3 = y + 2 * (size_t)col[e + 3];
            attr_v4d dx = y0 - (attr_v4d){p0[0], p1[0], p2[0], p3[0]};
            attr_v4d dy = y1 - (attr_v4d){p0[1], p1[1], p2[1], p3[1]};
            attr_v4d pv = {val[e], val[e + 1], val[e + 2], val[e + 3]};
            attr_v4d pw = pv / (one + dx * dx + dy * dy);
            a0 += pw * dx;
            a1 += pw * dy;
        }
        for (; e < end; e++) {
            const double *yj = y + 2 * (size_t)col[e];
            double d0 = yi0 - yj[0], d1 = yi1 - yj[1];
            double pw = (double)val[e] / (1 + d0 * d0 + d1 * d1);
            t0 += pw * d0;
            t1 += pw * d1;
        }
        attr[2 * i] = ((a0[0] + a0[1]) + (a0[2] + a0[3])) + t0;
        attr[2 * i + 1] = ((a1[0] + a1[1]) + (a1[2] + a1[3])) + t1;
        if (plogw)
            for (e = P->rowptr[i]; e < end; e++) {
                const double *yj = y + 2 * (size_t)col[e];
                double d0 = yi0 - yj[0], d1 = yi1 - yj[1];
                s -= (double)val[e] * log1p(d0 * d0 + d1 * d1);
            }
    }
    if (plogw)
        *plogw = s;
}

static int
attr_part(void *ctx, size_t part)
{
    struct attr_job *j = ctx;
    size_t lo, hi, d = j->d, n = j->Pc ? j->Pc->n : j->P->n;
    double s = 0;
    hs_par_range(n, (n + BH_BLOCK - 1) / BH_BLOCK, part, &lo, &hi);
    if (j->Pc) {
        attr_rows_2d(j->Pc, j->y, lo, hi, j->attr, j->plogw ? &j->plogw[part] : NULL);
        return HS_OK;
    }
    const struct hs_tsne_p *P = j->P;
    for (size_t i = lo; i < hi; i++) {
        const double *yi = j->y + i * d;
        double f[3] = {0, 0, 0};
        for (size_t e = P->rowptr[i]; e < P->rowptr[i + 1]; e++) {
            const double *yj = j->y + (size_t)P->col[e] * d;
            double diff[3], d2 = 0;
            for (size_t c = 0; c < d; c++) {
                diff[c] = yi[c] - yj[c];
                d2 += diff[c] * diff[c];
            }
            double w = 1 / (1 + d2), pw = P->val[e] * w;
            for (size_t c = 0; c < d; c++)
                f[c] += pw * diff[c];
            if (j->plogw)
                s -= P->val[e] * log1p(d2);
        }
        for (size_t c = 0; c < d; c++)
            j->attr[i * d + c] = f[c];
    }
    if (j->plogw)
        j->plogw[part] = s;
    return HS_OK;
}

/* Either form: the parts, then the KL's share summed in part order. */
static void
attraction(struct attr_job *j, size_t n, double *plogw, int threads)
{
    size_t nparts = (n + BH_BLOCK - 1) / BH_BLOCK;
    if (plogw) {
        j->plogw = hs_malloc(nparts * sizeof *j->plogw);
        if (!j->plogw) { /* fall back to one part at a time on the caller */
            double total = 0, one;
            struct attr_job k1 = *j;
            k1.plogw = &one;
            for (size_t p = 0; p < nparts; p++) {
                attr_part(&k1, p);
                total += one;
            }
            *plogw = total;
            return;
        }
    }
    hs_par_run(nparts, threads > 0 ? threads : hs_par_threads(), attr_part, j);
    if (plogw) {
        double total = 0;
        for (size_t p = 0; p < nparts; p++)
            total += j->plogw[p];
        *plogw = total;
        hs_free(j->plogw);
    }
}

void
hs_tsne_attraction(const struct hs_tsne_p *P, const double *y, size_t d, double *attr,
                   double *plogw, int threads)
{
    struct attr_job j = {.P = P, .y = y, .d = d, .attr = attr};
    attraction(&j, P->n, plogw, threads);
}

void
hs_tsne_attraction_2d(const struct hs_tsne_pc *P, const double *y, double *attr, double *plogw,
                      int threads)
{
    struct attr_job j = {.Pc = P, .y = y, .d = 2, .attr = attr};
    attraction(&j, P->n, plogw, threads);
}

/* ---- the tree ---- */

struct bh_node {
    double center[3], hw[3]; /* the box: centre and half widths */
    double com[3];           /* centre of mass of its points */
    double width2;           /* its widest side, squared */
    size_t lo, hi;           /* its points, in tree order */
    size_t child;            /* the first of 2^d children; 0 for a leaf */
    unsigned depth;
};

struct bh_tree {
    size_t n, d, nnodes, cap;
    const double *y;
    size_t *order;           /* tree position -> point */
    struct bh_node *node;
};

static void
node_mass(struct bh_tree *t, struct bh_node *nd)
{
    double s[3] = {0, 0, 0};
    for (size_t p = nd->lo; p < nd->hi; p++)
        for (size_t c = 0; c < t->d; c++)
            s[c] += t->y[t->order[p] * t->d + c];
    for (size_t c = 0; c < t->d; c++)
        nd->com[c] = nd->hi > nd->lo ? s[c] / (double)(nd->hi - nd->lo) : nd->center[c];
    nd->width2 = 0;
    for (size_t c = 0; c < t->d; c++)
        if (4 * nd->hw[c] * nd->hw[c] > nd->width2)
            nd->width2 = 4 * nd->hw[c] * nd->hw[c];
}

static unsigned
child_code(const struct bh_tree *t, const struct bh_node *nd, size_t point)
{
    unsigned code = 0;
    for (size_t c = 0; c < t->d; c++)
        code |= (unsigned)(t->y[point * t->d + c] > nd->center[c]) << c;
    return code;
}

/* Split node id: its points sorted by child (a counting sort through
 * tmp), its 2^d children appended. */
static int
split_node(struct bh_tree *t, size_t id, size_t *tmp)
{
    size_t nch = (size_t)1 << t->d, cnt[8] = {0}, start[8];
    if (hs_grow((void **)&t->node, &t->cap, t->nnodes + nch, sizeof *t->node))
        return -1;
    struct bh_node *nd = &t->node[id];
    for (size_t p = nd->lo; p < nd->hi; p++)
        cnt[child_code(t, nd, t->order[p])]++;
    start[0] = nd->lo;
    for (size_t c = 1; c < nch; c++)
        start[c] = start[c - 1] + cnt[c - 1];
    size_t fill[8];
    memcpy(fill, start, sizeof fill);
    for (size_t p = nd->lo; p < nd->hi; p++)
        tmp[fill[child_code(t, nd, t->order[p])]++] = t->order[p];
    memcpy(t->order + nd->lo, tmp + nd->lo, (nd->hi - nd->lo) * sizeof *tmp);
    nd->child = t->nnodes;
    for (size_t c = 0; c < nch; c++) {
        struct bh_node *ch = &t->node[t->nnodes++];
        memset(ch, 0, sizeof *ch);
        for (size_t a = 0; a < t->d; a++) {
            ch->hw[a] = nd->hw[a] / 2;
            ch->center[a] = nd->center[a] + ((c >> a & 1) ? ch->hw[a] : -ch->hw[a]);
        }
        ch->lo = start[c];
        ch->hi = start[c] + cnt[c];
        ch->depth = nd->depth + 1;
        node_mass(t, ch);
    }
    return 0;
}

static int
tree_build(struct bh_tree *t, const double *y, size_t n, size_t d)
{
    size_t *tmp;
    memset(t, 0, sizeof *t);
    t->n = n;
    t->d = d;
    t->y = y;
    t->order = hs_malloc(n * sizeof *t->order);
    tmp = hs_malloc(n * sizeof *tmp);
    if (!t->order || !tmp || hs_grow((void **)&t->node, &t->cap, 1, sizeof *t->node))
        goto fail;
    struct bh_node *root = &t->node[0];
    memset(root, 0, sizeof *root);
    t->nnodes = 1;
    for (size_t c = 0; c < d; c++) {
        double mn = INFINITY, mx = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            mn = y[i * d + c] < mn ? y[i * d + c] : mn;
            mx = y[i * d + c] > mx ? y[i * d + c] : mx;
        }
        root->center[c] = (mn + mx) / 2;
        root->hw[c] = (mx - mn) / 2 * (1 + 1e-9) + 1e-300;
    }
    for (size_t i = 0; i < n; i++)
        t->order[i] = i;
    root->hi = n;
    node_mass(t, root);
    /* Nodes are split in creation order: children always come after. */
    for (size_t id = 0; id < t->nnodes; id++) {
        const struct bh_node *nd = &t->node[id];
        if (nd->hi - nd->lo > 1 && nd->depth < BH_DEPTH && split_node(t, id, tmp))
            goto fail;
    }
    hs_free(tmp);
    return 0;
fail:
    hs_free(tmp);
    hs_free(t->order);
    hs_free(t->node);
    return -1;
}

static void
tree_release(struct bh_tree *t)
{
    hs_free(t->order);
    hs_free(t->node);
}

struct rep_job {
    const struct bh_tree *t;
    double theta2;
    double *rep;
    double *zpart;
    const struct hs_task *task;
    atomic_int stop;
};

struct rep_acc {
    double f[3], z;
};

static void
rep_visit(const struct rep_job *j, size_t id, size_t i, const double *yi, struct rep_acc *acc)
{
    const struct bh_tree *t = j->t;
    const struct bh_node *nd = &t->node[id];
    size_t d = t->d, count = nd->hi - nd->lo;
    if (!count)
        return;
    if (nd->child) {
        double diff[3], D = 0;
        int inside = 1;
        for (size_t c = 0; c < d; c++) {
            diff[c] = yi[c] - nd->com[c];
            D += diff[c] * diff[c];
            inside &= fabs(yi[c] - nd->center[c]) <= nd->hw[c];
        }
        if (!inside && nd->width2 < j->theta2 * D) {
            double w = 1 / (1 + D), nw = (double)count * w;
            acc->z += nw;
            for (size_t c = 0; c < d; c++)
                acc->f[c] += nw * w * diff[c];
            return;
        }
        for (size_t c = 0; c < ((size_t)1 << d); c++)
            rep_visit(j, nd->child + c, i, yi, acc);
        return;
    }
    for (size_t p = nd->lo; p < nd->hi; p++) {
        size_t jp = t->order[p];
        if (jp == i)
            continue;
        const double *yj = t->y + jp * d;
        double diff[3], D = 0;
        for (size_t c = 0; c < d; c++) {
            diff[c] = yi[c] - yj[c];
            D += diff[c] * diff[c];
        }
        double w = 1 / (1 + D);
        acc->z += w;
        for (size_t c = 0; c < d; c++)
            acc->f[c] += w * w * diff[c];
    }
}

static int
rep_part(void *ctx, size_t part)
{
    struct rep_job *j = ctx;
    const struct bh_tree *t = j->t;
    size_t lo, hi, d = t->d;
    double z = 0;
    if (atomic_load(&j->stop) || hs_task_cancelled(j->task)) {
        atomic_store(&j->stop, 1);
        return HS_ECANCELLED;
    }
    hs_par_range(t->n, (t->n + BH_BLOCK - 1) / BH_BLOCK, part, &lo, &hi);
    for (size_t p = lo; p < hi; p++) {
        size_t i = t->order[p];
        struct rep_acc acc = {{0, 0, 0}, 0};
        rep_visit(j, 0, i, t->y + i * d, &acc);
        for (size_t c = 0; c < d; c++)
            j->rep[i * d + c] = acc.f[c];
        z += acc.z;
    }
    j->zpart[part] = z;
    return HS_OK;
}

int
hs_tsne_repulsion_bh(const double *y, size_t n, size_t d, double theta, double *rep,
                     double *Z, int threads, const struct hs_task *task, struct hs_err *err)
{
    struct bh_tree t;
    size_t nparts = (n + BH_BLOCK - 1) / BH_BLOCK;
    struct rep_job j = {.t = &t, .theta2 = theta * theta, .rep = rep, .task = task};
    int rc = HS_OK;

    if (tree_build(&t, y, n, d))
        return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's Barnes-Hut tree");
    j.zpart = hs_malloc((nparts ? nparts : 1) * sizeof *j.zpart);
    if (!j.zpart) {
        tree_release(&t);
        return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's Barnes-Hut tree");
    }
    atomic_init(&j.stop, 0);
    if (hs_par_run(nparts, threads > 0 ? threads : hs_par_threads(), rep_part, &j)) {
        rc = hs_err_set(err, HS_ECANCELLED, "t-SNE cancelled");
    } else {
        double z = 0;
        for (size_t p = 0; p < nparts; p++)
            z += j.zpart[p];
        *Z = z;
    }
    hs_free(j.zpart);
    tree_release(&t);
    return rc;
}

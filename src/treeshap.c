/* treeshap.c: TreeSHAP's path algorithm (src/treeshap.h).
 *
 * The recursion follows Algorithm 2 of Lundberg et al. (2020): walking
 * down a tree it keeps the "unique path" of the distinct inputs split on
 * so far, each with the fraction of the paths through it that stay when
 * the input is unknown (zero) or known (one, 0 or 1), and the weights of
 * the subsets of each size (pweight) that the Shapley formula needs.  At
 * a leaf, unwinding each input from the path gives the summed weight of
 * the subsets without it, hence its attribution from that leaf.  An
 * input split on twice along a path is unwound first, so that its
 * fractions multiply instead of counting it as a second player.
 */
#include "config.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "mem.h"
#include "par.h"
#include "treeshap.h"

/* Events per part: a few hundred deep trees cost some ms per event
 * block of this size, so the cancel flag is seen often. */
#define SHAP_BLOCK 256

struct path_el {
    int feature;
    double zero, one, pweight;
};

/* 1/k for the path lengths of real trees, computed beyond. */
#define RECIP_N 256
static const double *
recip_table(void)
{
    static double t[RECIP_N];
    static atomic_int ready;
    if (!atomic_load_explicit(&ready, memory_order_acquire)) {
        for (int k = 1; k < RECIP_N; k++)
            t[k] = 1.0 / k;
        atomic_store_explicit(&ready, 1, memory_order_release);
    }
    return t;
}

static inline double
recip(size_t k)
{
    return k < RECIP_N ? recip_table()[k] : 1.0 / (double)k;
}

/* The share of node nd's cover that child ch holds: the weight of ch's
 * branch when the tested input is unknown.  A node without cover (a
 * forest from elsewhere that never saw an event there) splits evenly. */
static inline double
cover_share(const struct hs_forest_node *nd, size_t node, size_t ch)
{
    double c = nd[node].cover;
    return c > 0 ? nd[ch].cover / c : 0.5;
}

static double
tree_mean(const struct hs_forest_node *nd, size_t node)
{
    if (nd[node].feature < 0)
        return nd[node].value;
    size_t l = nd[node].left, r = nd[node].right;
    return cover_share(nd, node, l) * tree_mean(nd, l) + cover_share(nd, node, r) * tree_mean(nd, r);
}

double
hs_treeshap_base(const struct hs_forest *f)
{
    double s = f->base;
    for (size_t t = 0; t < f->ntrees; t++)
        s += tree_mean(f->nodes + f->start[t], 0);
    return s;
}

static void
extend_path(struct path_el *p, size_t d, double zero, double one, int feature)
{
    p[d].feature = feature;
    p[d].zero = zero;
    p[d].one = one;
    p[d].pweight = d == 0 ? 1 : 0;
    for (size_t i = d; i-- > 0;) {
        p[i + 1].pweight += one * p[i].pweight * (double)(i + 1) / (double)(d + 1);
        p[i].pweight = zero * p[i].pweight * (double)(d - i) / (double)(d + 1);
    }
}

static void
unwind_path(struct path_el *p, size_t d, size_t k)
{
    double one = p[k].one, zero = p[k].zero, next = p[d].pweight;
    for (size_t i = d; i-- > 0;) {
        if (one != 0) {
            double tmp = p[i].pweight;
            p[i].pweight = next * (double)(d + 1) / ((double)(i + 1) * one);
            next = tmp - p[i].pweight * zero * (double)(d - i) / (double)(d + 1);
        } else {
            p[i].pweight = p[i].pweight * (double)(d + 1) / (zero * (double)(d - i));
        }
    }
    for (size_t i = k; i < d; i++) {
        p[i].feature = p[i + 1].feature;
        p[i].zero = p[i + 1].zero;
        p[i].one = p[i + 1].one;
    }
}

/* The total weight of the path with element k unwound, without changing
 * it.  A one-fraction is a product of 0s and 1s, so it is 0 or 1: no
 * division by it; the rest divides by small integers, whose reciprocals
 * are multiplied (a division costs several multiplications). */
static double
unwound_sum(const struct path_el *p, size_t d, size_t k)
{
    double one = p[k].one, zero = p[k].zero, next = p[d].pweight, total = 0;
    double d1 = (double)(d + 1), rd1 = 1.0 / d1;
    if (one != 0) {
        for (size_t i = d; i-- > 0;) {
            double tmp = next * d1 * recip(i + 1);
            total += tmp;
            next = p[i].pweight - tmp * zero * (double)(d - i) * rd1;
        }
    } else if (zero != 0) {
        double rz = d1 / zero;
        for (size_t i = d; i-- > 0;)
            total += p[i].pweight * rz * recip(d - i);
    }
    return total;
}

/* parent: the path so far (d + 1 elements); this node's copy goes right
 * after it, so a walk of depth D needs (D + 2)(D + 3) / 2 elements. */
static void
recurse(const struct hs_forest_node *nd, size_t node, const double *x, double *phi,
        struct path_el *parent, size_t d, double zero, double one, int feature)
{
    struct path_el *p = parent + d + 1;
    memcpy(p, parent, (d + 1) * sizeof *p);
    extend_path(p, d, zero, one, feature);
    const struct hs_forest_node *n = &nd[node];
    if (n->feature < 0) {
        for (size_t i = 1; i <= d; i++) {
            double w = unwound_sum(p, d, i);
            phi[p[i].feature] += w * (p[i].one - p[i].zero) * n->value;
        }
        return;
    }
    double v = x[n->feature];
    bool left = isnan(v) ? n->missing_left : v < n->threshold;
    size_t hot = left ? n->left : n->right, cold = left ? n->right : n->left;
    double in_zero = 1, in_one = 1;
    size_t k = 0;
    while (k <= d && p[k].feature != n->feature)
        k++;
    if (k <= d) {
        in_zero = p[k].zero;
        in_one = p[k].one;
        unwind_path(p, d, k);
        d--;
    }
    recurse(nd, hot, x, phi, p, d + 1, cover_share(nd, node, hot) * in_zero, in_one,
            n->feature);
    recurse(nd, cold, x, phi, p, d + 1, cover_share(nd, node, cold) * in_zero, 0, n->feature);
}

/* The deepest leaf's depth (the root's is 0) over the forest. */
static size_t
forest_depth(const struct hs_forest *f, int *rc)
{
    size_t most = 0, big = 0;
    for (size_t t = 0; t < f->ntrees; t++)
        if (f->start[t + 1] - f->start[t] > big)
            big = f->start[t + 1] - f->start[t];
    size_t *depth = hs_calloc(big ? big : 1, sizeof *depth);
    if (!depth) {
        *rc = HS_ENOMEM;
        return 0;
    }
    for (size_t t = 0; t < f->ntrees; t++) {
        const struct hs_forest_node *nd = f->nodes + f->start[t];
        size_t nn = f->start[t + 1] - f->start[t];
        depth[0] = 0;
        /* children come after their parent (forest.h) */
        for (size_t i = 0; i < nn; i++) {
            if (nd[i].feature >= 0)
                depth[nd[i].left] = depth[nd[i].right] = depth[i] + 1;
            else if (depth[i] > most)
                most = depth[i];
        }
    }
    hs_free(depth);
    *rc = HS_OK;
    return most;
}

struct shap_job {
    const struct hs_forest *f;
    const double *const *x;
    const size_t *rows;
    size_t n, pathlen;
    double *phi;
    const struct hs_task *task;
    struct hs_par_progress prog;
    atomic_int stop;
};

static int
shap_part(void *ctx, size_t part)
{
    struct shap_job *j = ctx;
    if (atomic_load(&j->stop) || hs_task_cancelled(j->task)) {
        atomic_store(&j->stop, 1);
        return HS_ECANCELLED;
    }
    const struct hs_forest *f = j->f;
    size_t lo = part * SHAP_BLOCK, hi = lo + SHAP_BLOCK < j->n ? lo + SHAP_BLOCK : j->n;
    double *row = hs_malloc((f->nin ? f->nin : 1) * sizeof *row);
    struct path_el *path = hs_malloc(j->pathlen * sizeof *path);
    int rc = HS_OK;
    if (!row || !path) {
        atomic_store(&j->stop, 1);
        rc = HS_ENOMEM;
        goto done;
    }
    for (size_t k = lo; k < hi; k++) {
        size_t e = j->rows ? j->rows[k] : k;
        double *phi = j->phi + k * f->nin;
        for (size_t i = 0; i < f->nin; i++) {
            row[i] = j->x[i][e];
            phi[i] = 0;
        }
        for (size_t t = 0; t < f->ntrees; t++)
            recurse(f->nodes + f->start[t], 0, row, phi, path, 0, 1, 1, -1);
    }
    hs_par_progress_add(&j->prog, hi - lo);
done:
    hs_free(row);
    hs_free(path);
    return rc;
}

int
hs_treeshap(const struct hs_forest *f, const double *const *x, const size_t *rows, size_t n,
            double *phi, int threads, const struct hs_task *task, struct hs_err *err)
{
    int rc;
    size_t depth = forest_depth(f, &rc);
    if (rc)
        return hs_err_set(err, rc, "out of memory reading the trees' depths");
    struct shap_job j = {.f = f, .x = x, .rows = rows, .n = n, .phi = phi, .task = task,
                         .pathlen = (depth + 2) * (depth + 3) / 2};
    atomic_init(&j.stop, 0);
    hs_par_progress_init(&j.prog, task, n, "SHAP values", false);
    size_t nparts = (n + SHAP_BLOCK - 1) / SHAP_BLOCK;
    rc = hs_par_run(nparts, threads > 0 ? threads : hs_par_threads(), shap_part, &j);
    if (rc == HS_ECANCELLED)
        return hs_err_set(err, rc, "cancelled");
    if (rc)
        return hs_err_set(err, rc, "out of memory computing SHAP values of %zu events", n);
    return HS_OK;
}

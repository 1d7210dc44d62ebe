/* forest.c: building, checking and walking an ensemble of trees
 * (src/forest.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "forest.h"
#include "mem.h"
#include "model.h"
#include "par.h"

/* Events per part of a parallel scoring pass: a few hundred trees over
 * 16k events is a few ms, so the cancel flag is seen often enough. */
#define FOREST_BLOCK 16384

struct hs_forest *
hs_forest_new(size_t nin, double base)
{
    struct hs_forest *f = hs_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->nin = nin;
    f->base = base;
    f->start = hs_calloc(1, sizeof *f->start);
    if (!f->start) {
        hs_free(f);
        return NULL;
    }
    f->cap_trees = 0; /* start[] holds cap_trees + 1 entries */
    return f;
}

void
hs_forest_free(struct hs_forest *f)
{
    if (!f)
        return;
    hs_free(f->start);
    hs_free(f->nodes);
    hs_free(f);
}

static bool
finite_or_inf(double v)
{
    return !isnan(v);
}

/* The rules of forest.h for one tree of n nodes. */
static int
check_tree(const struct hs_forest_node *nd, size_t n, size_t nin, size_t t, struct hs_err *err)
{
    if (n == 0)
        return hs_err_set(err, HS_EDATA, "tree %zu has no nodes", t);
    /* Every node but the root is some node's child exactly once. */
    unsigned char *seen = hs_calloc(n, 1);
    if (!seen)
        return hs_err_set(err, HS_ENOMEM, "out of memory checking tree %zu", t);
    int rc = HS_OK;
    for (size_t i = 0; i < n && rc == HS_OK; i++) {
        const struct hs_forest_node *d = &nd[i];
        if (!isfinite(d->value) || !isfinite(d->cover) || d->cover < 0 || !isfinite(d->gain))
            rc = hs_err_set(err, HS_EDATA,
                            "tree %zu, node %zu: value, cover or gain is not a finite number "
                            "(or the cover is negative)",
                            t, i);
        else if (d->feature < 0) {
            if (d->feature != -1)
                rc = hs_err_set(err, HS_EDATA, "tree %zu, node %zu: feature %d", t, i,
                                (int)d->feature);
        } else if ((size_t)d->feature >= nin)
            rc = hs_err_set(err, HS_EDATA,
                            "tree %zu, node %zu tests input %d of a model with %zu inputs", t, i,
                            (int)d->feature, nin);
        else if (!finite_or_inf(d->threshold))
            rc = hs_err_set(err, HS_EDATA, "tree %zu, node %zu: the threshold is NaN", t, i);
        else if (d->left <= i || d->right <= i || d->left >= n || d->right >= n ||
                 d->left == d->right)
            rc = hs_err_set(err, HS_EDATA,
                            "tree %zu, node %zu: children %u and %u are not two later nodes "
                            "of the tree's %zu",
                            t, i, (unsigned)d->left, (unsigned)d->right, n);
        else if (seen[d->left] || seen[d->right])
            rc = hs_err_set(err, HS_EDATA, "tree %zu, node %u has two parents", t,
                            (unsigned)(seen[d->left] ? d->left : d->right));
        else
            seen[d->left] = seen[d->right] = 1;
    }
    for (size_t i = 1; i < n && rc == HS_OK; i++)
        if (!seen[i])
            rc = hs_err_set(err, HS_EDATA, "tree %zu, node %zu is no node's child", t, i);
    hs_free(seen);
    return rc;
}

int
hs_forest_check(const struct hs_forest *f, struct hs_err *err)
{
    if (!isfinite(f->base))
        return hs_err_set(err, HS_EDATA, "the base score is not a finite number");
    if (f->start[0] != 0)
        return hs_err_set(err, HS_EDATA, "the first tree does not start at node 0");
    for (size_t t = 0; t < f->ntrees; t++) {
        if (f->start[t + 1] <= f->start[t])
            return hs_err_set(err, HS_EDATA, "tree %zu has no nodes", t);
        int rc = check_tree(f->nodes + f->start[t], f->start[t + 1] - f->start[t], f->nin, t,
                            err);
        if (rc)
            return rc;
    }
    return HS_OK;
}

int
hs_forest_add_tree(struct hs_forest *f, const struct hs_forest_node *nodes, size_t n,
                   struct hs_err *err)
{
    int rc = check_tree(nodes, n, f->nin, f->ntrees, err);
    if (rc)
        return rc;
    size_t used = f->start[f->ntrees];
    if (n > SIZE_MAX / sizeof *nodes - used)
        return hs_err_set(err, HS_ENOMEM, "out of memory: a forest of too many nodes");
    if (used + n > f->cap_nodes) {
        size_t cap = f->cap_nodes ? f->cap_nodes : 64;
        while (cap < used + n)
            cap = cap > SIZE_MAX / 2 / sizeof *nodes ? used + n : 2 * cap;
        struct hs_forest_node *p = hs_realloc(f->nodes, cap * sizeof *p);
        if (!p)
            return hs_err_set(err, HS_ENOMEM, "out of memory growing a forest to %zu nodes",
                              cap);
        f->nodes = p;
        f->cap_nodes = cap;
    }
    if (f->ntrees + 1 > f->cap_trees) {
        size_t cap = f->cap_trees ? 2 * f->cap_trees : 16;
        size_t *p = hs_realloc(f->start, (cap + 1) * sizeof *p);
        if (!p)
            return hs_err_set(err, HS_ENOMEM, "out of memory growing a forest to %zu trees",
                              cap);
        f->start = p;
        f->cap_trees = cap;
    }
    memcpy(f->nodes + used, nodes, n * sizeof *nodes);
    f->ntrees++;
    f->start[f->ntrees] = used + n;
    return HS_OK;
}

void
hs_forest_truncate(struct hs_forest *f, size_t ntrees)
{
    if (ntrees < f->ntrees)
        f->ntrees = ntrees;
}

/* The child of inner node d that value v takes, without a branch on the
 * comparison (a walk's directions are data, which a branch predictor
 * guesses wrong half the time): NaN compares false, so it goes left
 * exactly when missing_left says. */
static inline uint32_t
child_of(const struct hs_forest_node *d, double v)
{
    uint32_t next[2] = {d->right, d->left};
    unsigned left = (unsigned)(v < d->threshold) | ((unsigned)(v != v) & (unsigned)d->missing_left);
    return next[left];
}

static inline size_t
leaf_of(const struct hs_forest_node *nd, const double *x)
{
    size_t i = 0;
    while (nd[i].feature >= 0)
        i = child_of(&nd[i], x[nd[i].feature]);
    return i;
}

size_t
hs_forest_leaf(const struct hs_forest *f, size_t t, const double *x)
{
    return leaf_of(f->nodes + f->start[t], x);
}

double
hs_forest_raw_row(const struct hs_forest *f, const double *x)
{
    double s = f->base;
    for (size_t t = 0; t < f->ntrees; t++) {
        const struct hs_forest_node *nd = f->nodes + f->start[t];
        s += nd[leaf_of(nd, x)].value;
    }
    return s;
}

struct raw_job {
    const struct hs_forest *f;
    const double *const *x;
    size_t n;
    double *out;
    const struct hs_task *task;
};

/* Events walked together through one tree before the next. */
#define FOREST_SUB 64
/* Walks of one tree advanced side by side. */
#define FOREST_LANES 8

/* One block of events, FOREST_SUB at a time: gathered into rows, then
 * tree by tree (a tree's nodes stay in cache while every event of the
 * group walks it), each event's sum taken in tree order from the base as
 * hs_forest_raw_row takes it, so both give the same bits. */
static int
raw_part(void *ctx, size_t part)
{
    const struct raw_job *j = ctx;
    if (hs_task_cancelled(j->task))
        return HS_ECANCELLED;
    size_t lo = part * FOREST_BLOCK, hi = lo + FOREST_BLOCK < j->n ? lo + FOREST_BLOCK : j->n;
    const struct hs_forest *f = j->f;
    size_t nin = f->nin;
    double *r = hs_malloc(FOREST_SUB * (nin ? nin : 1) * sizeof *r);
    if (!r)
        return HS_ENOMEM;
    for (size_t g = lo; g < hi; g += FOREST_SUB) {
        size_t m = hi - g < FOREST_SUB ? hi - g : FOREST_SUB;
        double acc[FOREST_SUB];
        for (size_t i = 0; i < nin; i++) {
            const double *col = j->x[i] + g;
            for (size_t e = 0; e < m; e++)
                r[e * nin + i] = col[e];
        }
        for (size_t e = 0; e < m; e++)
            acc[e] = f->base;
        for (size_t t = 0; t < f->ntrees; t++) {
            const struct hs_forest_node *nd = f->nodes + f->start[t];
            size_t e = 0;
            /* FOREST_LANES walks in step: their loads overlap, where one
             * walk waits for each node before the next */
            for (; e + FOREST_LANES <= m; e += FOREST_LANES) {
                size_t at[FOREST_LANES] = {0};
                bool more = true;
                while (more) {
                    more = false;
                    for (size_t k = 0; k < FOREST_LANES; k++) {
                        const struct hs_forest_node *d = &nd[at[k]];
                        if (d->feature < 0)
                            continue;
                        at[k] = child_of(d, r[(e + k) * nin + (size_t)d->feature]);
                        more = true;
                    }
                }
                for (size_t k = 0; k < FOREST_LANES; k++)
                    acc[e + k] += nd[at[k]].value;
            }
            for (; e < m; e++)
                acc[e] += nd[leaf_of(nd, r + e * nin)].value;
        }
        memcpy(j->out + g, acc, m * sizeof *acc);
    }
    hs_free(r);
    return HS_OK;
}

int
hs_forest_raw(const struct hs_forest *f, const double *const *x, size_t n, double *out,
              int threads, const struct hs_task *task, struct hs_err *err)
{
    struct raw_job j = {.f = f, .x = x, .n = n, .out = out, .task = task};
    size_t nparts = (n + FOREST_BLOCK - 1) / FOREST_BLOCK;
    int rc = hs_par_run(nparts, threads > 0 ? threads : hs_par_threads(), raw_part, &j);
    if (rc == HS_ECANCELLED)
        return hs_err_set(err, rc, "cancelled");
    if (rc)
        return hs_err_set(err, rc, "out of memory scoring %zu events", n);
    return HS_OK;
}

const struct hs_forest *
hs_forest_of_model(const struct hs_model *m)
{
    return m && m->kind && strcmp(m->kind->name, "bdt") == 0 ? m->impl : NULL;
}

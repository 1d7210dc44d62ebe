/* knn_tree.c: the k-d tree of knn_tree.h. */
#include "config.h"

#include "knn_tree.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "mem.h"

/* Points per leaf at most: small enough that a leaf's distances are a
 * fraction of a search, large enough that the descent is short. */
#define KNN_LEAF 16
/* The box bound is computed incrementally and may round above the true
 * distance: prune only past this relative slack, so that a point at
 * exactly the k-th distance (a tie) is still seen. */
#define KNN_SLACK 1e-9

static double
key(const struct knn_tree *t, const double *x, size_t pos, size_t s)
{
    return x[t->perm[pos] * t->dim + s];
}

/* (key, row) order, so that equal coordinates still order one way. */
static int
before(const struct knn_tree *t, const double *x, size_t a, size_t b, size_t s)
{
    double ka = key(t, x, a, s), kb = key(t, x, b, s);
    return ka < kb || (ka == kb && t->perm[a] < t->perm[b]);
}

static void
swap_pos(size_t *perm, size_t a, size_t b)
{
    size_t tmp = perm[a];
    perm[a] = perm[b];
    perm[b] = tmp;
}

/* Hoare's selection: perm[lo..hi) reordered so that position m holds the
 * element of rank m - lo, smaller ones before it, larger after. */
static void
select_nth(struct knn_tree *t, const double *x, size_t lo, size_t hi, size_t m, size_t s)
{
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2, store = lo;
        swap_pos(t->perm, mid, hi - 1);
        for (size_t i = lo; i + 1 < hi; i++)
            if (before(t, x, i, hi - 1, s))
                swap_pos(t->perm, i, store++);
        swap_pos(t->perm, store, hi - 1);
        if (store == m)
            return;
        if (m < store)
            hi = store;
        else
            lo = store + 1;
    }
}

static int
new_node(struct knn_tree *t, size_t *cap, size_t lo, size_t hi, size_t *out)
{
    if (hs_grow((void **)&t->node, cap, t->nnodes + 1, sizeof *t->node))
        return -1;
    *out = t->nnodes++;
    t->node[*out] = (struct knn_node){.lo = lo, .hi = hi};
    return 0;
}

/* Split the root and its descendants (through an explicit stack of
 * nodes still to split, so depth never meets the C stack). */
static int
build(struct knn_tree *t, const double *x, size_t *cap)
{
    size_t *stack = hs_malloc(64 * sizeof *stack), scap = 64, top = 0;
    if (!stack)
        return -1;
    stack[top++] = 0;
    while (top) {
        size_t id = stack[--top];
        size_t lo = t->node[id].lo, hi = t->node[id].hi, best = 0, l, r;
        double spread = -1;
        if (hi - lo <= KNN_LEAF)
            continue;
        /* The coordinate of largest variance: heavy-tailed features have
         * a wide range but most of their points in a narrow core. */
        for (size_t s = 0; s < t->dim; s++) {
            double mean = 0, var = 0;
            for (size_t i = lo; i < hi; i++)
                mean += key(t, x, i, s);
            mean /= (double)(hi - lo);
            for (size_t i = lo; i < hi; i++)
                var += (key(t, x, i, s) - mean) * (key(t, x, i, s) - mean);
            if (var > spread) {
                spread = var;
                best = s;
            }
        }
        size_t m = lo + (hi - lo) / 2;
        select_nth(t, x, lo, hi, m, best);
        /* Everything before m is <= the element at m - 1 (the largest of the left). */
        double value = key(t, x, m - 1, best);
        for (size_t i = lo; i + 1 < m; i++)
            if (key(t, x, i, best) > value)
                value = key(t, x, i, best);
        if (new_node(t, cap, lo, m, &l) || new_node(t, cap, m, hi, &r) ||
            hs_grow((void **)&stack, &scap, top + 2, sizeof *stack)) {
            hs_free(stack);
            return -1;
        }
        t->node[id].left = l;
        t->node[id].right = r;
        t->node[id].split = best;
        t->node[id].value = value;
        stack[top++] = r;
        stack[top++] = l;
    }
    hs_free(stack);
    return 0;
}

int
knn_tree_build(struct knn_tree *t, const double *x, size_t n, size_t dim)
{
    size_t cap = 0, root;
    memset(t, 0, sizeof *t);
    t->n = n;
    t->dim = dim;
    t->perm = hs_malloc((n ? n : 1) * sizeof *t->perm);
    t->xs = hs_malloc((n > 0 && dim > 0 ? n * dim : 1) * sizeof *t->xs);
    if (!t->perm || !t->xs || new_node(t, &cap, 0, n, &root)) {
        knn_tree_release(t);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        t->perm[i] = i;
    if (build(t, x, &cap)) {
        knn_tree_release(t);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        memcpy(t->xs + i * dim, x + t->perm[i] * dim, dim * sizeof *x);
    return 0;
}

void
knn_tree_release(struct knn_tree *t)
{
    hs_free(t->xs);
    hs_free(t->perm);
    hs_free(t->node);
    memset(t, 0, sizeof *t);
}

int
knn_heap_init(struct knn_heap *h, size_t k, size_t dim)
{
    h->k = k;
    h->size = 0;
    h->d2 = hs_malloc((k + 1) * sizeof *h->d2);
    h->id = hs_malloc((k + 1) * sizeof *h->id);
    h->off = hs_malloc((dim + 1) * sizeof *h->off);
    if (!h->d2 || !h->id || !h->off) {
        knn_heap_release(h);
        return -1;
    }
    return 0;
}

void
knn_heap_release(struct knn_heap *h)
{
    hs_free(h->d2);
    hs_free(h->id);
    hs_free(h->off);
    h->d2 = h->off = NULL;
    h->id = NULL;
}

/* (d2, id) after (e2, jd) in the total order of the answer. */
static inline int
after(double d2, size_t id, double e2, size_t jd)
{
    return d2 > e2 || (d2 == e2 && id > jd);
}

static void
sift_down(struct knn_heap *h, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->size && after(h->d2[l], h->id[l], h->d2[m], h->id[m]))
            m = l;
        if (r < h->size && after(h->d2[r], h->id[r], h->d2[m], h->id[m]))
            m = r;
        if (m == i)
            return;
        double td = h->d2[i];
        size_t ti = h->id[i];
        h->d2[i] = h->d2[m];
        h->id[i] = h->id[m];
        h->d2[m] = td;
        h->id[m] = ti;
        i = m;
    }
}

/* Offer a candidate: kept when the heap has room or it comes before the
 * worst kept. */
void
knn_heap_offer(struct knn_heap *h, double d2, size_t id)
{
    if (h->size < h->k) {
        size_t i = h->size++;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            if (!after(d2, id, h->d2[p], h->id[p]))
                break;
            h->d2[i] = h->d2[p];
            h->id[i] = h->id[p];
            i = p;
        }
        h->d2[i] = d2;
        h->id[i] = id;
    } else if (after(h->d2[0], h->id[0], d2, id)) {
        h->d2[0] = d2;
        h->id[0] = id;
        sift_down(h, 0);
    }
}

double
knn_heap_worst(const struct knn_heap *h)
{
    return h->size < h->k ? INFINITY : h->d2[0];
}

struct search {
    const struct knn_tree *t;
    const double *q;
    size_t self;
    struct knn_heap *h;
};

static void
search_leaf(const struct search *s, const struct knn_node *nd)
{
    const struct knn_tree *t = s->t;
    size_t dim = t->dim;
    for (size_t i = nd->lo; i < nd->hi; i++) {
        const double *p = t->xs + i * dim;
        double w = knn_heap_worst(s->h), d2 = 0;
        size_t j = 0;
        if (t->perm[i] == s->self)
            continue;
        /* Partial sums stop once past the k-th: such a point cannot enter. */
        for (; j + 4 <= dim; j += 4) {
            double a = p[j] - s->q[j], b = p[j + 1] - s->q[j + 1];
            double c = p[j + 2] - s->q[j + 2], e = p[j + 3] - s->q[j + 3];
            d2 += a * a + b * b + c * c + e * e;
            if (d2 > w)
                break;
        }
        if (d2 > w)
            continue;
        for (; j < dim; j++) {
            double a = p[j] - s->q[j];
            d2 += a * a;
        }
        if (d2 <= w)
            knn_heap_offer(s->h, d2, t->perm[i]);
    }
}

static void
search_node(const struct search *s, size_t id, double rd)
{
    const struct knn_node *nd = &s->t->node[id];
    if (!nd->left) {
        search_leaf(s, nd);
        return;
    }
    double diff = s->q[nd->split] - nd->value;
    size_t near = diff <= 0 ? nd->left : nd->right, far = diff <= 0 ? nd->right : nd->left;
    search_node(s, near, rd);
    double old = s->h->off[nd->split];
    double rd2 = rd - old * old + diff * diff;
    if (rd2 <= knn_heap_worst(s->h) * (1 + KNN_SLACK)) {
        s->h->off[nd->split] = diff;
        search_node(s, far, rd2);
        s->h->off[nd->split] = old;
    }
}

void
knn_tree_query(const struct knn_tree *t, const double *q, size_t self, struct knn_heap *h,
               size_t *idx, double *d2)
{
    struct search s = {.t = t, .q = q, .self = self, .h = h};
    h->size = 0;
    for (size_t j = 0; j < t->dim; j++)
        h->off[j] = 0;
    if (t->nnodes)
        search_node(&s, 0, 0);
    knn_heap_drain(h, idx, d2);
}

void
knn_heap_drain(struct knn_heap *h, size_t *idx, double *d2)
{
    /* Pop the heap from the back: the worst first, so the answer ends nearest first. */
    for (size_t m = h->size; m > 0; m--) {
        idx[m - 1] = h->id[0];
        d2[m - 1] = h->d2[0];
        h->size--;
        h->d2[0] = h->d2[h->size];
        h->id[0] = h->id[h->size];
        sift_down(h, 0);
    }
}

/* cutopt.c: the rectangular cut optimiser: set-up, starts, polish and the
 * figures (the search itself is in cutopt_search.c).
 *
 * Bins: the edges are quantiles of the training signal merged with
 * quantiles of the training background (253 bins at most), not of the
 * signal alone: where the background is dense the bins are finer, and no
 * bin holds a large share of the events, which keeps every range change
 * of the search cheap (it touches the events of the bins it moves over).
 *
 * "Meets the target" is signal >= target * total * (1 - 1e-12), so that a
 * box holding exactly target * total in counts is not lost to rounding.
 *
 * Weights: the sums are the weights as given, negative ones included, as
 * physics generators mean them (TMVA does the same); the bins are quantiles
 * of |w| so that every bin has some signal; with a negative weight present
 * the 1-D move tries every window instead of the two-pointer sweep, whose
 * monotonicity needs non-negative weights.
 *
 * Targets are done from the highest down, each starting also from the box
 * of the one before: that box holds more signal than needed, so descent
 * only has to tighten it.
 */
#include "config.h"

#include "cutopt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cutopt_int.h"
#include "mem.h"
#include "par.h"

const double hs_cutopt_grid[HS_CUTOPT_GRID_N] = {
    0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55,
    0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 0.97, 0.99,
};

#define POP_DEFAULT 12
/* Bins: up to QSIG signal quantiles and QBKG background ones (from at most
 * BKG_SAMPLE events); QSIG + QBKG + 1 <= CO_MAXQ + 1. */
#define QSIG 140
#define QBKG 112
#define BKG_SAMPLE 20000
#define GENS_PER_EFFORT 8

struct vi {
    double v;
    size_t i;
};

static int
vi_cmp(const void *a, const void *b)
{
    const struct vi *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static void
prob_release(struct co_prob *p)
{
    if (p->code)
        for (size_t k = 0; k < p->nf; k++)
            hs_free(p->code[k]);
    if (p->x)
        for (size_t k = 0; k < p->nf; k++)
            hs_free(p->x[k]);
    if (p->edge)
        for (size_t k = 0; k < p->nf; k++)
            hs_free(p->edge[k]);
    if (p->ev)
        for (size_t k = 0; k < p->nf; k++)
            hs_free(p->ev[k]);
    if (p->start)
        for (size_t k = 0; k < p->nf; k++)
            hs_free(p->start[k]);
    hs_free(p->ev);
    hs_free(p->start);
    hs_free(p->code);
    hs_free(p->x);
    hs_free(p->edge);
    hs_free(p->w);
    hs_free(p->top);
}

/* The q-quantiles of m sorted values (|w|-weighted, counts when the
 * weights are all 0), first and last included, repeats collapsed, into
 * out (room for q + 1); returns how many. */
static size_t
quantiles(const struct vi *s, size_t m, const double *w, size_t q, double *out)
{
    double tot = 0, cum = 0;
    size_t ne = 0, j = 1;

    if (!m)
        return 0;
    for (size_t i = 0; i < m; i++)
        tot += fabs(w[s[i].i]);
    bool counts = !(tot > 0);
    if (counts)
        tot = (double)m;
    out[ne++] = s[0].v;
    for (size_t i = 0; i < m && j < q; i++) {
        cum += counts ? 1 : fabs(w[s[i].i]);
        while (j < q && cum >= tot * (double)j / (double)q) {
            if (i + 1 < m && s[i + 1].v > out[ne - 1])
                out[ne++] = s[i + 1].v;
            j++;
        }
    }
    if (s[m - 1].v > out[ne - 1])
        out[ne++] = s[m - 1].v;
    return ne;
}

/* Bin edges of feature k: quantiles of the training signal, merged with
 * quantiles of (a sample of) the background, so that no bin holds much of
 * either class: a range move then touches few events, and the bins are
 * fine where the background is dense.  Then the codes of every training
 * event.  Returns false when out of memory. */
static bool
bin_feature(struct co_prob *p, size_t k)
{
    const double *x = p->x[k];
    size_t nb = p->nt - p->ns, stride = nb / BKG_SAMPLE + 1;
    struct vi *s = hs_malloc((p->ns + nb / stride + 1) * sizeof *s);
    double *e = hs_malloc((CO_MAXQ + 1) * sizeof *e), eb[QBKG + 1];
    uint8_t *c = p->code[k];
    size_t m = 0, ne = 0, nbe = 0;

    if (!s || !e) {
        hs_free(s);
        hs_free(e);
        return false;
    }
    for (size_t i = 0; i < p->ns; i++)
        if (!isnan(x[i])) {
            s[m].v = x[i];
            s[m++].i = i;
        }
    qsort(s, m, sizeof *s, vi_cmp);
    ne = quantiles(s, m, p->w, QSIG, e);
    if (ne >= 2) {
        m = 0;
        for (size_t i = p->ns; i < p->nt; i += stride)
            if (!isnan(x[i])) {
                s[m].v = x[i];
                s[m++].i = i;
            }
        qsort(s, m, sizeof *s, vi_cmp);
        nbe = quantiles(s, m, p->w, QBKG, eb);
        /* Merge the two sorted lists, without repeats. */
        double *sig = hs_malloc(ne * sizeof *sig);
        if (!sig) {
            hs_free(s);
            hs_free(e);
            return false;
        }
        memcpy(sig, e, ne * sizeof *sig);
        size_t i = 0, j = 0, n = 0, ns = ne;
        while (i < ns || j < nbe) {
            double v = j >= nbe || (i < ns && sig[i] <= eb[j]) ? sig[i++] : eb[j++];
            if (!n || v > e[n - 1])
                e[n++] = v;
        }
        ne = n;
        hs_free(sig);
    }
    hs_free(s);
    if (ne < 2) {
        /* No spread in the signal: the feature stays open. */
        for (size_t i = 0; i < p->nt; i++)
            c[i] = isnan(x[i]) ? CO_NAN : 0;
        hs_free(e);
        p->top[k] = 0;
        return true;
    }
    p->edge[k] = e;
    p->top[k] = (uint8_t)ne;
    for (size_t i = 0; i < p->nt; i++) {
        double v = x[i];
        if (isnan(v)) {
            c[i] = CO_NAN;
            continue;
        }
        size_t lo = 0, hi = ne; /* the number of edges <= v */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (e[mid] <= v)
                lo = mid + 1;
            else
                hi = mid;
        }
        c[i] = (uint8_t)lo;
    }
    return true;
}

/* The events of feature k by code (a counting sort, so in event order
 * within a code). */
static bool index_feature(struct co_prob *p, size_t k);

/* Bin and index feature k: a part of a par.h job. */
static int
prep_feature(void *ctx, size_t k)
{
    return bin_feature(ctx, k) && index_feature(ctx, k) ? HS_OK : HS_ENOMEM;
}

static bool
index_feature(struct co_prob *p, size_t k)
{
    const uint8_t *c = p->code[k];
    uint32_t *st = hs_calloc(258, sizeof *st), *ev = hs_malloc((p->nt ? p->nt : 1) * sizeof *ev);

    if (!st || !ev) {
        hs_free(st);
        hs_free(ev);
        return false;
    }
    for (size_t i = 0; i < p->nt; i++)
        st[c[i] + 2]++;
    for (size_t j = 2; j < 258; j++)
        st[j] += st[j - 1];
    for (size_t i = 0; i < p->nt; i++)
        ev[st[c[i] + 1]++] = (uint32_t)i;
    p->ev[k] = ev;
    p->start[k] = st;
    return true;
}

static int
prob_init(struct co_prob *p, const struct hs_cutopt_config *c, const struct hs_task *task)
{
    size_t nf = c->nfeat, nt = 0, ns = 0;

    memset(p, 0, sizeof *p);
    p->nf = nf;
    p->task = task;
    for (size_t i = 0; i < c->n; i++)
        if (!c->train || c->train[i]) {
            if (c->label[i] == 1)
                ns++, nt++;
            else if (c->label[i] == 0)
                nt++;
        }
    p->nt = nt, p->ns = ns;
    p->code = hs_calloc(nf, sizeof *p->code);
    p->x = hs_calloc(nf, sizeof *p->x);
    p->edge = hs_calloc(nf, sizeof *p->edge);
    p->top = hs_calloc(nf, 1);
    p->ev = hs_calloc(nf, sizeof *p->ev);
    p->start = hs_calloc(nf, sizeof *p->start);
    p->w = hs_malloc((nt ? nt : 1) * sizeof *p->w);
    if (!p->code || !p->x || !p->edge || !p->top || !p->ev || !p->start || !p->w)
        return HS_ENOMEM;
    if (nt > UINT32_MAX)
        return HS_ERANGE;
    for (size_t k = 0; k < nf; k++) {
        p->code[k] = hs_malloc(nt ? nt : 1);
        p->x[k] = hs_malloc((nt ? nt : 1) * sizeof(double));
        if (!p->code[k] || !p->x[k])
            return HS_ENOMEM;
    }
    size_t is = 0, ib = ns;
    for (size_t i = 0; i < c->n; i++) {
        if (c->train && !c->train[i])
            continue;
        size_t j;
        if (c->label[i] == 1)
            j = is++;
        else if (c->label[i] == 0)
            j = ib++;
        else
            continue;
        double w = c->weight ? c->weight[i] : 1.0;
        p->w[j] = w;
        if (w < 0)
            p->negw = true;
        if (j < ns)
            p->stot += w;
        else
            p->btot += w;
        for (size_t k = 0; k < nf; k++)
            p->x[k][j] = c->vals[k][i];
    }
    return hs_par_run(nf, hs_par_threads(), prep_feature, p);
}

/* ---- the polish: bounds from bin edges to the exact values ---- */

struct polish {
    struct vi *v; /* nt */
    double *s, *b, *ps, *pb;
    uint8_t *kind; /* 0 an event value, 1 the interior of the window */
    double *val;
    uint8_t *fail;
};

static bool
out_k(double x, double lo, double hi)
{
    return !(x >= lo && x < hi);
}

/* A bound between two neighbouring event values u < v: any x with
 * u < x <= v keeps the same training events, so take the shortest
 * decimal there ("doca < 0.0092" rather than 0.009208168536759688): the
 * multiple of the largest power of ten that has one in (u, v], the one
 * nearest the midpoint.  Integers over powers of ten are divided, not
 * multiplied, so that 1234 / 1000 is the double nearest 1.234. */
static double
between(double u, double v)
{
    double m = u / 2 + v / 2, span = fmax(fabs(u), fabs(v));

    if (!(m > u && m <= v))
        return v;
    if (u < 0 && v >= 0)
        return 0;
    for (int k = (int)floor(log10(span)) + 1; k >= -330; k--) {
        double c;
        if (k >= 0) {
            double q = pow(10, k);
            c = round(m / q) * q;
        } else {
            double q = pow(10, -k);
            if (!isfinite(q) || !isfinite(m * q))
                break;
            c = round(m * q) / q;
        }
        if (c > u && c <= v)
            return c;
    }
    return m;
}

/* Add the sorted, merged values of the listed events as items. */
static size_t
add_items(const struct co_prob *p, struct polish *w, size_t nv, size_t len)
{
    qsort(w->v, nv, sizeof *w->v, vi_cmp);
    for (size_t j = 0; j < nv; j++) {
        size_t i = w->v[j].i;
        if (!j || w->v[j].v != w->v[j - 1].v) {
            w->val[len] = w->v[j].v;
            w->kind[len] = 0;
            w->s[len] = w->b[len] = 0;
            len++;
        }
        if (i < p->ns)
            w->s[len - 1] += p->w[i];
        else
            w->b[len - 1] += p->w[i];
    }
    return len;
}

static void
polish_feature(const struct co_prob *p, struct polish *w, size_t k, const uint8_t *blo,
               const uint8_t *bhi, double *L, double *H, double need)
{
    const double *x = p->x[k], *e = p->edge[k];
    const uint8_t *c = p->code[k];
    int top = p->top[k], lo = blo[k], hi = bhi[k];
    int c0 = lo > 0 ? lo - 1 : 0, c1 = hi < top ? hi + 1 : top;
    bool inner = hi - lo >= 2;
    double is = 0, ib = 0;
    size_t nv = 0, len = 0, nr = 0;

    /* The events passing every other feature, near the window's ends
     * (by the bucket index: the events of codes c0 .. c1 only). */
    const uint32_t *ev = p->ev[k], *st = p->start[k];
    for (uint32_t q = st[c0]; q < st[c1 + 1]; q++) {
        size_t i = ev[q];
        if (w->fail[i] != out_k(x[i], L[k], H[k]))
            continue;
        if (inner && c[i] > lo && c[i] < hi) {
            if (i < p->ns)
                is += p->w[i];
            else
                ib += p->w[i];
        } else if (!inner || c[i] <= lo) {
            w->v[nv].v = x[i];
            w->v[nv++].i = i;
        } else {
            nr++;
        }
    }
    len = add_items(p, w, nv, 0);
    if (inner) {
        w->s[len] = is, w->b[len] = ib, w->kind[len] = 1;
        len++;
        nv = 0;
        for (uint32_t q = st[hi]; q < st[c1 + 1] && nv < nr; q++) {
            size_t i = ev[q];
            if (w->fail[i] == out_k(x[i], L[k], H[k])) {
                w->v[nv].v = x[i];
                w->v[nv++].i = i;
            }
        }
        len = add_items(p, w, nv, len);
    }
    size_t a, z;
    double s, b;
    if (!len || !hs_cutopt_window(w->s, w->b, len, need, p->negw, w->ps, w->pb, &a, &z, &s, &b))
        return; /* keep the bin edges, which hold need */
    double nl, nh;
    if (a == 0)
        nl = c0 == 0 ? -HUGE_VAL : e[c0 - 1];
    else if (w->kind[a])
        nl = e[lo];
    else if (w->kind[a - 1])
        nl = e[hi - 1];
    else
        nl = between(w->val[a - 1], w->val[a]);
    if (z == len - 1)
        nh = c1 == top ? HUGE_VAL : e[c1];
    else if (w->kind[z])
        nh = e[hi - 1];
    else if (w->kind[z + 1])
        nh = e[lo];
    else
        nh = between(w->val[z], w->val[z + 1]);
    /* Only the events of codes c0 .. c1 can change sides. */
    for (uint32_t q = st[c0]; q < st[c1 + 1]; q++) {
        size_t i = ev[q];
        w->fail[i] = (uint8_t)(w->fail[i] - out_k(x[i], L[k], H[k]) + out_k(x[i], nl, nh));
    }
    L[k] = nl, H[k] = nh;
}

/* Turn a bin box into exact bounds, one feature after another, each the
 * best window of event values near its bin window with the others held. */
static void
polish_box(const struct co_prob *p, struct polish *w, const struct co_box *bx, double *L, double *H,
           double need)
{
    for (size_t k = 0; k < p->nf; k++) {
        L[k] = -HUGE_VAL, H[k] = HUGE_VAL;
        if (p->top[k]) {
            if (bx->lo[k] > 0)
                L[k] = p->edge[k][bx->lo[k] - 1];
            if (bx->hi[k] < p->top[k])
                H[k] = p->edge[k][bx->hi[k]];
        }
    }
    hs_cutopt_fail_init(p, bx->lo, bx->hi, w->fail);
    for (size_t k = 0; k < p->nf; k++)
        if (p->top[k])
            polish_feature(p, w, k, bx->lo, bx->hi, L, H, need);
}

/* ---- starts ---- */

static void
box_open(const struct co_prob *p, struct co_box *b)
{
    for (size_t k = 0; k < p->nf; k++)
        b->lo[k] = 0, b->hi[k] = p->top[k];
}

/* Each feature alone at need_k; false when one cannot hold it. */
static bool
box_scan(const struct co_prob *p, const struct co_state *open, double need_k, struct co_box *b)
{
    double ps[257], pb[257];

    box_open(p, b);
    for (size_t k = 0; k < p->nf; k++) {
        size_t a, z;
        double s, bb;
        if (!p->top[k])
            continue;
        const double *hs = open->h + 512 * k;
        if (!hs_cutopt_window(hs, hs + 256, (size_t)p->top[k] + 1, need_k, p->negw, ps, pb, &a, &z,
                              &s, &bb))
            return false;
        b->lo[k] = (uint8_t)a, b->hi[k] = (uint8_t)z;
    }
    return true;
}

/* The best single feature at need, the others open. */
static void
box_single(const struct co_prob *p, const struct co_state *open, double need, struct co_box *b)
{
    double best = HUGE_VAL, ps[257], pb[257];
    box_open(p, b);
    for (size_t k = 0, kb = (size_t)-1; k < p->nf; k++) {
        size_t a, z;
        double s, bb;
        const double *hs = open->h + 512 * k;
        if (!p->top[k] || !hs_cutopt_window(hs, hs + 256, (size_t)p->top[k] + 1, need, p->negw, ps,
                                            pb, &a, &z, &s, &bb))
            continue;
        if (bb < best) {
            if (kb != (size_t)-1)
                b->lo[kb] = 0, b->hi[kb] = p->top[kb];
            best = bb, kb = k;
            b->lo[k] = (uint8_t)a, b->hi[k] = (uint8_t)z;
        }
    }
}

/* ---- figures ---- */

static void
count_box(const struct hs_cutopt_config *c, const unsigned char *rows, const double *L,
          const double *H, double *s, double *b, double *stot, double *btot, size_t *ns, size_t *nb)
{
    *s = *b = *stot = *btot = 0;
    *ns = *nb = 0;
    for (size_t i = 0; i < c->n; i++) {
        if ((rows && !rows[i]) || (c->label[i] != 1 && c->label[i] != 0))
            continue;
        bool sig = c->label[i] == 1;
        double w = c->weight ? c->weight[i] : 1.0;
        bool pass = true;
        for (size_t k = 0; k < c->nfeat && pass; k++) {
            double v = c->vals[k][i];
            pass = v >= L[k] && v < H[k];
        }
        *(sig ? stot : btot) += w;
        if (pass) {
            *(sig ? s : b) += w;
            (*(sig ? ns : nb))++;
        }
    }
}

static double
ratio(double a, double b)
{
    return b != 0 ? a / b : NAN;
}

void
hs_cutopt_release(struct hs_cutopt_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->p && i < r->npoints; i++) {
        hs_free(r->p[i].lo);
        hs_free(r->p[i].hi);
    }
    hs_free(r->p);
    r->p = NULL;
    r->npoints = 0;
}

static int
check_config(const struct hs_cutopt_config *c, struct hs_err *err)
{
    if (!c->nfeat || !c->vals || !c->label)
        return hs_err_set(err, HS_EUSAGE, "cut optimisation needs features and labels");
    if (c->nfeat > 200)
        return hs_err_set(err, HS_EUSAGE, "cut optimisation takes at most 200 features, not %zu",
                          c->nfeat);
    if (!c->targets || !c->ntargets)
        return hs_err_set(err, HS_EUSAGE, "no target signal efficiency");
    for (size_t t = 0; t < c->ntargets; t++)
        if (!(c->targets[t] > 0 && c->targets[t] <= 1))
            return hs_err_set(err, HS_EUSAGE, "target signal efficiency %g is not in (0, 1]",
                              c->targets[t]);
    if (!(c->margin >= 0) || !isfinite(c->margin))
        return hs_err_set(err, HS_EUSAGE, "calibration margin %g is not a number >= 0", c->margin);
    return HS_OK;
}

/* The signal weight with a value in every feature (the most a box keeps). */
static double
reachable(const struct co_prob *p)
{
    double s = 0;
    for (size_t i = 0; i < p->ns; i++) {
        bool ok = true;
        for (size_t k = 0; k < p->nf && ok; k++)
            ok = p->code[k][i] != CO_NAN;
        if (ok)
            s += p->w[i];
    }
    return s;
}

/* The feature whose values the training signal misses most often. */
static size_t
most_missing(const struct co_prob *p)
{
    size_t worst = 0, most = 0;
    for (size_t k = 0; k < p->nf; k++) {
        size_t n = 0;
        for (size_t i = 0; i < p->ns; i++)
            n += p->code[k][i] == CO_NAN;
        if (n > most)
            most = n, worst = k;
    }
    return worst;
}

struct run {
    struct co_prob p;
    struct co_state open, warmst;
    int nthreads;
    struct polish pw;
    uint8_t *boxmem;
    struct co_box seeds[4], best, warm;
    struct vi *order;
    double *L, *H;
    double reach;    /* the reachable fraction of the training signal */
    double val_neff; /* the validation signal's effective number; 0: no calibration */
    double min_step; /* the least raise of a training target: one signal event's share */
};

static int
run_alloc(struct run *r, const struct hs_cutopt_config *c)
{
    size_t nt = r->p.nt ? r->p.nt : 1, nf = c->nfeat;

    r->nthreads = hs_par_threads();
    r->open.fail = hs_malloc(nt);
    r->open.h = hs_malloc(nf * 512 * sizeof *r->open.h);
    r->warmst.fail = hs_malloc(nt);
    r->warmst.h = hs_malloc(nf * 512 * sizeof *r->warmst.h);
    r->pw.v = hs_malloc(nt * sizeof *r->pw.v);
    r->pw.s = hs_malloc((nt + 2) * sizeof(double));
    r->pw.b = hs_malloc((nt + 2) * sizeof(double));
    r->pw.ps = hs_malloc((nt + 3) * sizeof(double));
    r->pw.pb = hs_malloc((nt + 3) * sizeof(double));
    r->pw.val = hs_malloc((nt + 2) * sizeof(double));
    r->pw.kind = hs_malloc(nt + 2);
    r->pw.fail = hs_malloc(nt);
    r->boxmem = hs_malloc(16 * nf);
    r->order = hs_malloc(c->ntargets * sizeof *r->order);
    r->L = hs_malloc(nf * sizeof *r->L);
    r->H = hs_malloc(nf * sizeof *r->H);
    if (!r->pw.v || !r->pw.s || !r->pw.b || !r->pw.ps || !r->pw.pb || !r->pw.val || !r->pw.kind ||
        !r->pw.fail || !r->boxmem || !r->open.fail || !r->open.h || !r->warmst.fail ||
        !r->warmst.h || !r->order || !r->L || !r->H)
        return HS_ENOMEM;
    struct co_box *all[8] = {&r->seeds[0], &r->seeds[1], &r->seeds[2], &r->seeds[3],
                             &r->best,     &r->warm,     &r->open.box, &r->warmst.box};
    for (size_t i = 0; i < 8; i++) {
        all[i]->lo = r->boxmem + 2 * i * nf;
        all[i]->hi = all[i]->lo + nf;
    }
    return HS_OK;
}

static void
run_release(struct run *r)
{
    hs_free(r->open.fail);
    hs_free(r->open.h);
    hs_free(r->warmst.fail);
    hs_free(r->warmst.h);
    hs_free(r->pw.v);
    hs_free(r->pw.s);
    hs_free(r->pw.b);
    hs_free(r->pw.ps);
    hs_free(r->pw.pb);
    hs_free(r->pw.val);
    hs_free(r->pw.kind);
    hs_free(r->pw.fail);
    hs_free(r->boxmem);
    hs_free(r->order);
    hs_free(r->L);
    hs_free(r->H);
    prob_release(&r->p);
}

/* The targets from the highest down; equal ones in their given order. */
static int
order_cmp(const void *a, const void *b)
{
    const struct vi *x = a, *y = b;
    if (x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static void
box_copy(struct co_box *d, const struct co_box *s, size_t nf)
{
    memcpy(d->lo, s->lo, nf);
    memcpy(d->hi, s->hi, nf);
    d->s = s->s, d->b = s->b, d->ok = s->ok;
}

static uint64_t
target_seed(uint64_t seed, double t)
{
    uint64_t bits;
    memcpy(&bits, &t, sizeof bits);
    bits ^= seed * 0x9e3779b97f4a7c15ULL;
    bits = (bits ^ (bits >> 31)) * 0xbf58476d1ce4e5b9ULL;
    return bits ^ (bits >> 29);
}

/* The box for training target tt (a fraction of the training signal):
 * starts, search, polish, into r->L, r->H; r->warm becomes its bin box. */
static int
box_for(struct run *r, const struct hs_cutopt_config *c, double tt, bool have_warm, double prog0,
        double prog1)
{
    struct co_prob *p = &r->p;
    double need = tt * p->stot * (1 - 1e-12);
    size_t nact = 0, nseeds = 0;
    int rc;

    for (size_t k = 0; k < p->nf; k++)
        nact += p->top[k] != 0;
    /* The first (highest) target starts from a quantile scan, the best
     * single feature and the open box; the others from the box before
     * (tried: more starts there fill the population with poorer local
     * optima, and the search ends worse on the training set). */
    if (have_warm) {
        box_copy(&r->seeds[nseeds++], &r->warm, p->nf);
    } else {
        if (nact && box_scan(p, &r->open, p->stot * pow(tt, 1.0 / (double)nact), &r->seeds[nseeds]))
            nseeds++;
        box_single(p, &r->open, need, &r->seeds[nseeds++]);
        box_open(p, &r->seeds[nseeds++]);
    }

    struct co_search sr = {
        .p = p,
        .open = have_warm ? &r->warmst : &r->open,
        .keep = &r->warmst,
        .nthreads = r->nthreads,
        .pop = POP_DEFAULT,
        .gens = GENS_PER_EFFORT * (c->effort ? c->effort : 1),
        .seed = target_seed(c->seed, tt),
        .prog0 = prog0,
        .prog1 = prog1,
    };
    if ((rc = hs_cutopt_search(&sr, need, r->seeds, nseeds, &r->best)))
        return rc;
    box_copy(&r->warm, &r->best, p->nf);
    polish_box(p, &r->pw, &r->best, r->L, r->H, need);
    return HS_OK;
}

bool
hs_cutopt_meets(double eff, double target)
{
    return eff >= target * (1 - 1e-12);
}

/* Kish's effective number of the signal events of rows: (sum w)^2 / sum
 * w^2, the count when unweighted; 0 when there is no signal weight. */
static double
signal_neff(const struct hs_cutopt_config *c, const unsigned char *rows)
{
    double sw = 0, sw2 = 0;

    for (size_t i = 0; i < c->n; i++)
        if (rows[i] && c->label[i] == 1) {
            double w = c->weight ? c->weight[i] : 1.0;
            sw += w, sw2 += w * w;
        }
    return sw > 0 && sw2 > 0 ? sw * sw / sw2 : 0;
}

/* Most boxes per target while raising the training target (each raise is
 * at least one training signal event's share; one or two are the rule).
 * Tried: halving the last raise while the need stays met, to let in less
 * background; every extra look at the validation part is another chance
 * for its noise to pass a box (the search stops at the first one a
 * fluctuation lets through), and on the demo the test efficiency of
 * --target 0.95 then fell to 0.9498.  The validation part picks as little
 * as it can: the raise. */
#define CALIB_MAX 64

/* The box for training target tt in attempt k of a target, and whether
 * it meets the validation need.  Attempt k reports progress in the k-th
 * halving of [prog0, prog1), so the bar never goes back. */
static int
attempt(struct run *r, const struct hs_cutopt_config *c, const struct hs_cutopt_point *pt,
        double tt, bool warm, size_t k, double prog0, double prog1, double *veff, bool *met)
{
    double span = prog1 - prog0, s, b, st, bt;
    size_t ns, nb;
    int rc;

    if (k && hs_task_cancelled(r->p.task))
        return HS_ECANCELLED;
    if ((rc = box_for(r, c, tt, warm, prog1 - span / ldexp(1, (int)k),
                      prog1 - span / ldexp(1, (int)k + 1))))
        return rc;
    *veff = NAN;
    *met = false;
    if (pt->calibrated) {
        count_box(c, c->val, r->L, r->H, &s, &b, &st, &bt, &ns, &nb);
        *veff = ratio(s, st);
        *met = hs_cutopt_meets(*veff, pt->val_need);
    }
    return HS_OK;
}

/* One target: the box for it, calibrated on the validation rows when
 * there are any (raise the training target by the shortfall until the
 * need is met), and its figures into pt. */
static int
one_target(struct run *r, const struct hs_cutopt_config *c, double target, bool have_warm,
           double prog0, double prog1, struct hs_cutopt_point *pt)
{
    double tt = target, s, b, st, bt, v;
    size_t ns, nb, k = 0;
    bool met = false;
    int rc;

    pt->target = target;
    pt->calibrated = r->val_neff > 0;
    pt->val_neff = pt->val_sigma = pt->val_need = NAN;
    if (pt->calibrated) {
        pt->val_neff = r->val_neff;
        pt->val_sigma = sqrt(target * (1 - target) / r->val_neff);
        pt->val_need = fmin(1, target + c->margin * pt->val_sigma);
    }
    for (;; k++) {
        if ((rc = attempt(r, c, pt, tt, have_warm || k, k, prog0, prog1, &v, &met)))
            return rc;
        if (!pt->calibrated || met || tt >= r->reach || k + 1 == CALIB_MAX)
            break;
        tt = fmin(r->reach, tt + fmax(pt->val_need - v, r->min_step));
    }
    pt->train_target = tt;
    pt->lo = hs_malloc(r->p.nf * sizeof *pt->lo);
    pt->hi = hs_malloc(r->p.nf * sizeof *pt->hi);
    if (!pt->lo || !pt->hi)
        return HS_ENOMEM;
    memcpy(pt->lo, r->L, r->p.nf * sizeof *pt->lo);
    memcpy(pt->hi, r->H, r->p.nf * sizeof *pt->hi);
    count_box(c, c->train, r->L, r->H, &s, &b, &st, &bt, &ns, &nb);
    pt->train_sig_eff = ratio(s, st);
    pt->train_bkg_eff = ratio(b, bt);
    pt->val_sig_eff = pt->val_bkg_eff = NAN;
    pt->val_met = false;
    if (c->val) {
        count_box(c, c->val, r->L, r->H, &s, &b, &st, &bt, &ns, &nb);
        pt->val_sig_eff = ratio(s, st);
        pt->val_bkg_eff = ratio(b, bt);
        pt->val_met = pt->calibrated && hs_cutopt_meets(pt->val_sig_eff, pt->val_need);
    }
    pt->test_met = false;
    if (c->test) {
        count_box(c, c->test, r->L, r->H, &s, &b, &st, &bt, &ns, &nb);
        pt->test_sig = s, pt->test_bkg = b;
        pt->test_nsig = ns, pt->test_nbkg = nb;
        pt->test_sig_eff = ratio(s, st);
        pt->test_bkg_eff = ratio(b, bt);
        pt->test_met = hs_cutopt_meets(pt->test_sig_eff, target);
    } else {
        pt->test_sig = pt->test_bkg = pt->test_sig_eff = pt->test_bkg_eff = NAN;
        pt->test_nsig = pt->test_nbkg = 0;
    }
    return HS_OK;
}

int
hs_cutopt_run(const struct hs_cutopt_config *c, struct hs_cutopt_result *out,
              const struct hs_task *task, struct hs_err *err)
{
    struct run r;
    struct hs_cutopt_result res = {0};
    int rc;

    memset(&r, 0, sizeof r);
    if ((rc = check_config(c, err)))
        return rc;
    hs_task_progress(task, 0, "binning the features");
    if ((rc = prob_init(&r.p, c, task)) || (rc = run_alloc(&r, c)))
        goto fail;
    if (hs_task_cancelled(task)) {
        rc = HS_ECANCELLED;
        goto fail;
    }
    if (!r.p.ns || !(r.p.stot > 0)) {
        rc = hs_err_set(err, HS_EUSAGE, "no signal event in the training rows");
        goto fail;
    }
    double reach = reachable(&r.p) / r.p.stot;
    r.reach = fmin(1, reach);
    r.val_neff = c->val ? signal_neff(c, c->val) : 0;
    r.min_step = 1 / (double)r.p.ns;
    for (size_t t = 0; t < c->ntargets; t++)
        if (c->targets[t] > reach * (1 + 1e-12)) {
            size_t worst = most_missing(&r.p);
            rc = hs_err_set(err, HS_EUSAGE,
                            "target signal efficiency %g is out of reach: only %.4g of the "
                            "training signal has a value in every feature (most missing: '%s')",
                            c->targets[t], reach,
                            c->names && c->names[worst] ? c->names[worst] : "?");
            goto fail;
        }
    res.nfeat = c->nfeat;
    res.p = hs_calloc(c->ntargets, sizeof *res.p);
    if (!res.p) {
        rc = HS_ENOMEM;
        goto fail;
    }
    res.npoints = c->ntargets;
    hs_cutopt_state_open(&r.p, &r.open);
    for (size_t t = 0; t < c->ntargets; t++)
        r.order[t].v = c->targets[t], r.order[t].i = t;
    qsort(r.order, c->ntargets, sizeof *r.order, order_cmp);
    for (size_t t = 0; t < c->ntargets; t++) {
        size_t ti = r.order[t].i;
        if (hs_task_cancelled(task)) {
            rc = HS_ECANCELLED;
            goto fail;
        }
        if ((rc = one_target(&r, c, c->targets[ti], t > 0, (double)t / (double)c->ntargets,
                             (double)(t + 1) / (double)c->ntargets, &res.p[ti])))
            goto fail;
        hs_task_progress(task, (double)(t + 1) / (double)c->ntargets, "optimising cuts");
    }
    run_release(&r);
    *out = res;
    return HS_OK;
fail:
    if (rc == HS_ENOMEM)
        hs_err_set(err, rc, "out of memory in the cut optimiser");
    else if (rc == HS_ECANCELLED)
        hs_err_set(err, rc, "cut optimisation cancelled");
    hs_cutopt_release(&res);
    run_release(&r);
    return rc;
}

/* cutopt_search.c: the search over boxes of bin codes (see cutopt.h).
 *
 * Every event keeps the number of features it fails, so the events that
 * pass every feature but k are those whose count equals their own failure
 * of k; their histogram over k's bins gives the exact best range of k with
 * the others held (hs_cutopt_window).  Coordinate descent repeats that move
 * until no feature gains; an evolutionary stage (mutation and crossover of
 * the bounds, each child repaired by descent) leaves its local optima.
 *
 * Children are made from their own random stream (the seed, the
 * generation and the child's index), each by one thread with its own
 * scratch, and the population is sorted by a total order, so the result
 * is the same for any number of threads.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>

#include "cutopt_int.h"
#include "err.h"
#include "mem.h"
#include "par.h"
#include "rng.h"

#define MAX_ROUNDS 40
#define ISLANDS 2
#define NEGW_ALLPAIRS_MAX 4096 /* items; beyond, the quadratic search is too slow */

bool
hs_cutopt_window(const double *s, const double *b, size_t len, double need, bool negw, double *ps,
                 double *pbk, size_t *pa, size_t *pz, double *outs, double *outb)
{
    size_t ba = 0, bz = 0;
    double bs = -HUGE_VAL, bb = HUGE_VAL;
    bool found = false;

    double babs = 0;

    ps[0] = pbk[0] = 0;
    for (size_t i = 0; i < len; i++) {
        ps[i + 1] = ps[i] + s[i];
        pbk[i + 1] = pbk[i] + b[i];
        babs += fabs(b[i]);
    }
    if (!negw || len > NEGW_ALLPAIRS_MAX) {
        /* Non-negative weights: the shortest window from a that holds need
         * has the least background of those from a, and its end only moves
         * right as a does.  (With negative weights and many items, in the
         * polish, this is a heuristic: what it finds still holds need.) */
        size_t z = 0;
        for (size_t a = 0; a < len; a++) {
            if (z < a)
                z = a;
            while (z < len && ps[z + 1] - ps[a] < need)
                z++;
            if (z == len)
                break;
            double ws = ps[z + 1] - ps[a], wb = pbk[z + 1] - pbk[a];
            if (wb < bb || (wb == bb && ws > bs)) {
                ba = a, bz = z, bs = ws, bb = wb;
                found = true;
            }
        }
    } else {
        /* Negative weights break that monotonicity: try every window. */
        for (size_t a = 0; a < len; a++)
            for (size_t z = a; z < len; z++) {
                double ws = ps[z + 1] - ps[a], wb = pbk[z + 1] - pbk[a];
                if (ws >= need && (wb < bb || (wb == bb && ws > bs))) {
                    ba = a, bz = z, bs = ws, bb = wb;
                    found = true;
                }
            }
    }
    if (!found)
        return false;
    /* Widen over what costs no background: more signal margin, and a
     * feature that does not separate stays open.  (Histograms kept up to
     * date by additions and removals of weights may hold a rounding
     * residue where they are empty.) */
    double tol = 1e-12 * babs;
    while (bz + 1 < len && fabs(b[bz + 1]) <= tol && s[bz + 1] >= 0)
        bs += s[++bz];
    while (ba > 0 && fabs(b[ba - 1]) <= tol && s[ba - 1] >= 0)
        bs += s[--ba];
    *pa = ba, *pz = bz, *outs = bs, *outb = bb;
    return true;
}

void
hs_cutopt_fail_init(const struct co_prob *p, const uint8_t *lo, const uint8_t *hi, uint8_t *fail)
{
    memset(fail, 0, p->nt);
    for (size_t k = 0; k < p->nf; k++) {
        const uint8_t *c = p->code[k];
        uint8_t l = lo[k], r = (uint8_t)(hi[k] - lo[k]);
        for (size_t i = 0; i < p->nt; i++)
            fail[i] = (uint8_t)(fail[i] + ((uint8_t)(c[i] - l) > r));
    }
}

/* The first feature other than j that event i fails. */
static size_t
failing_other(const struct co_prob *p, const struct co_box *bx, size_t i, size_t j)
{
    for (size_t k = 0; k < p->nf; k++)
        if (k != j && (uint8_t)(p->code[k][i] - bx->lo[k]) > (uint8_t)(bx->hi[k] - bx->lo[k]))
            return k;
    return j; /* not reached while the counts are right */
}

static void
add_all_but(const struct co_prob *p, struct co_state *st, size_t i, size_t j, double w)
{
    size_t off = i < p->ns ? 0 : 256;
    for (size_t k = 0; k < p->nf; k++)
        if (k != j && p->top[k])
            st->h[512 * k + off + p->code[k][i]] += w;
    if (off)
        st->box.b += w;
    else
        st->box.s += w;
}

static void
add_one(const struct co_prob *p, struct co_state *st, size_t i, size_t m, double w)
{
    if (p->top[m])
        st->h[512 * m + (i < p->ns ? 0 : 256) + p->code[m][i]] += w;
}

/* Change feature j's range to [l2, h2], updating the counts and the
 * histograms from the events of the bins that enter or leave it.  The
 * histograms of j itself do not depend on j's range. */
static void
change_range(const struct co_prob *p, struct co_state *st, size_t j, unsigned l2, unsigned h2)
{
    unsigned l = st->box.lo[j], h = st->box.hi[j];
    const uint32_t *ev = p->ev[j], *start = p->start[j];
    uint8_t *fail = st->fail;

    st->box.lo[j] = (uint8_t)l2;
    st->box.hi[j] = (uint8_t)h2;
    for (unsigned c = l2; c <= h2; c++) {
        if (c >= l && c <= h)
            continue;
        for (uint32_t e = start[c]; e < start[c + 1]; e++) {
            size_t i = ev[e];
            uint8_t f = fail[i]--;
            if (f == 1)
                add_all_but(p, st, i, j, p->w[i]);
            else if (f == 2)
                add_one(p, st, i, failing_other(p, &st->box, i, j), p->w[i]);
        }
    }
    for (unsigned c = l; c <= h; c++) {
        if (c >= l2 && c <= h2)
            continue;
        for (uint32_t e = start[c]; e < start[c + 1]; e++) {
            size_t i = ev[e];
            uint8_t f = fail[i]++;
            if (f == 0)
                add_all_but(p, st, i, j, -p->w[i]);
            else if (f == 1)
                add_one(p, st, i, failing_other(p, &st->box, i, j), -p->w[i]);
        }
    }
}

void
hs_cutopt_state_open(const struct co_prob *p, struct co_state *st)
{
    for (size_t k = 0; k < p->nf; k++)
        st->box.lo[k] = 0, st->box.hi[k] = p->top[k];
    hs_cutopt_fail_init(p, st->box.lo, st->box.hi, st->fail);
    memset(st->h, 0, p->nf * 512 * sizeof *st->h);
    st->box.s = st->box.b = 0;
    for (size_t i = 0; i < p->nt; i++) {
        if (st->fail[i] == 0)
            add_all_but(p, st, i, p->nf, p->w[i]);
        else if (st->fail[i] == 1)
            add_one(p, st, i, failing_other(p, &st->box, i, p->nf), p->w[i]);
    }
}

static void
state_copy(const struct co_prob *p, struct co_state *d, const struct co_state *s)
{
    memcpy(d->box.lo, s->box.lo, p->nf);
    memcpy(d->box.hi, s->box.hi, p->nf);
    d->box.s = s->box.s, d->box.b = s->box.b, d->box.ok = s->box.ok;
    memcpy(d->fail, s->fail, p->nt);
    memcpy(d->h, s->h, p->nf * 512 * sizeof *d->h);
}

/* Make st's box lo, hi by changing its ranges one feature at a time. */
static void
state_set(const struct co_prob *p, struct co_state *st, const uint8_t *lo, const uint8_t *hi)
{
    for (size_t k = 0; k < p->nf; k++)
        if (p->top[k] && (lo[k] != st->box.lo[k] || hi[k] != st->box.hi[k]))
            change_range(p, st, k, lo[k], hi[k]);
}

/* The exact move on feature k; true when the box changed. */
static bool
move(const struct co_prob *p, struct co_state *st, size_t k, double need, double *ps, double *pb)
{
    size_t len = (size_t)p->top[k] + 1, a, z;
    const double *hs = st->h + 512 * k, *hb = hs + 256;
    double cs = st->box.s, cb = st->box.b, s, b;
    const double tols = 1e-12 * fabs(p->stot), tolb = 1e-12 * fabs(p->btot);

    if (!hs_cutopt_window(hs, hb, len, need, p->negw, ps, pb, &a, &z, &s, &b)) {
        /* Nothing in k holds need with the others as they are: open k
         * and let the others loosen. */
        a = 0, z = len - 1;
    } else if (cs >= need && !(b < cb - tolb || (b <= cb + tolb && s > cs + tols))) {
        return false;
    }
    if (a == st->box.lo[k] && z == st->box.hi[k])
        return false;
    change_range(p, st, k, (unsigned)a, (unsigned)z);
    return true;
}

/* Coordinate descent from st until no move gains. */
static int
descend(const struct co_prob *p, struct co_state *st, double need)
{
    double ps[257], pb[257];

    for (int r = 0; r < MAX_ROUNDS; r++) {
        bool changed = false;
        if (hs_task_cancelled(p->task))
            return HS_ECANCELLED;
        for (size_t k = 0; k < p->nf; k++)
            if (p->top[k])
                changed |= move(p, st, k, need, ps, pb);
        if (!changed)
            break;
    }
    st->box.ok = st->box.s >= need;
    return HS_OK;
}

/* A total order of boxes: feasible first, less background, more signal,
 * then the codes. */
static int
box_cmp(const struct co_box *x, const struct co_box *y, size_t nf)
{
    if (x->ok != y->ok)
        return x->ok ? -1 : 1;
    if (x->b != y->b)
        return x->b < y->b ? -1 : 1;
    if (x->s != y->s)
        return x->s > y->s ? -1 : 1;
    int c = memcmp(x->lo, y->lo, nf);
    return c ? c : memcmp(x->hi, y->hi, nf);
}

static size_t
rnd_below(uint64_t *st, size_t n)
{
    return (size_t)(hs_splitmix64(st) % n);
}

static void
box_copy(struct co_box *d, const struct co_box *s, size_t nf)
{
    memcpy(d->lo, s->lo, nf);
    memcpy(d->hi, s->hi, nf);
    d->s = s->s, d->b = s->b, d->ok = s->ok;
}

/* Mutate one bound of a random active feature. */
static void
mutate(const struct co_prob *p, struct co_box *c, uint64_t *st, const size_t *act, size_t nact)
{
    size_t k = act[rnd_below(st, nact)];
    int top = p->top[k], lo = c->lo[k], hi = c->hi[k];
    int d = 1 + (int)rnd_below(st, 1 + (hs_splitmix64(st) & 1 ? 4 : 24));
    int sgn = (hs_splitmix64(st) & 1) ? 1 : -1;

    switch (rnd_below(st, 5)) {
    case 0: lo += sgn * d; break;
    case 1: hi += sgn * d; break;
    case 2: lo += sgn * d, hi += sgn * d; break;
    case 3: lo -= d, hi += d; break;
    default:
        if (hs_splitmix64(st) & 1)
            lo = 0;
        else
            hi = top;
        break;
    }
    lo = lo < 0 ? 0 : lo > top ? top : lo;
    hi = hi < 0 ? 0 : hi > top ? top : hi;
    if (hi < lo) {
        int t = lo;
        lo = hi, hi = t;
    }
    c->lo[k] = (uint8_t)lo;
    c->hi[k] = (uint8_t)hi;
}

static int
make_child(const struct co_search *sr, struct co_state *const *pop, size_t npop,
           struct co_state *child, uint64_t st, const size_t *act, size_t nact, double need)
{
    const struct co_prob *p = sr->p;
    size_t nf = p->nf, i = rnd_below(&st, npop), j = rnd_below(&st, npop);
    const struct co_state *a = pop[i < j ? i : j];
    uint8_t lo[256], hi[256];

    memcpy(lo, a->box.lo, nf);
    memcpy(hi, a->box.hi, nf);
    if (npop > 1 && hs_splitmix64(&st) % 2) {
        i = rnd_below(&st, npop), j = rnd_below(&st, npop);
        const struct co_state *b = pop[i < j ? i : j];
        for (size_t k = 0; k < nf; k++)
            if (hs_splitmix64(&st) & 1)
                lo[k] = b->box.lo[k], hi[k] = b->box.hi[k];
    }
    struct co_box c = {.lo = lo, .hi = hi};
    size_t nm = 1 + rnd_below(&st, 2);
    for (size_t m = 0; m < nm; m++)
        mutate(p, &c, &st, act, nact);
    state_copy(p, child, a);
    state_set(p, child, lo, hi);
    return descend(p, child, need);
}

static int
state_cmp(const struct co_state *x, const struct co_state *y, size_t nf)
{
    return box_cmp(&x->box, &y->box, nf);
}

/* Sort the n states of v by box_cmp and keep the best npop distinct ones
 * at the front (the others after them); returns how many were kept. */
static size_t
select_best(struct co_state **v, size_t n, size_t npop, size_t nf)
{
    for (size_t i = 1; i < n; i++) { /* insertion sort: a few dozen states */
        struct co_state *x = v[i];
        size_t j = i;
        while (j > 0 && state_cmp(x, v[j - 1], nf) < 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        struct co_state *x = v[i];
        if (kept >= npop || (kept && !memcmp(x->box.lo, v[kept - 1]->box.lo, nf) &&
                             !memcmp(x->box.hi, v[kept - 1]->box.hi, nf)))
            continue;
        v[i] = v[kept];
        v[kept++] = x;
    }
    return kept;
}

/* One seed descended: a part of a par.h job. */
struct seed_job {
    const struct co_search *sr;
    struct co_state **v;
    const struct co_box *seeds;
    double need;
};

static int
seed_part(void *ctx, size_t i)
{
    const struct seed_job *j = ctx;
    const struct co_prob *p = j->sr->p;
    struct co_state **v = j->v;

    state_copy(p, v[i], j->sr->open);
    state_set(p, v[i], j->seeds[i].lo, j->seeds[i].hi);
    if (descend(p, v[i], j->need))
        v[i]->box.ok = false;
    return 0;
}

/* One island's evolution: a part of a par.h job. */
struct island_job {
    const struct co_search *sr;
    struct co_state **v, ***iv;
    size_t have, ipop;
    const size_t *act;
    size_t nact;
    double need;
    atomic_bool cancelled;
};

static int
island_part(void *ctx, size_t k)
{
    struct island_job *j = ctx;
    const struct co_search *sr = j->sr;
    const struct co_prob *p = sr->p;
    size_t nf = p->nf, ipop = j->ipop, nact = j->nact;
    struct co_state **w = j->iv[k];
    size_t hv = j->have < ipop ? j->have : ipop;

    for (size_t i = 0; i < hv; i++)
        state_copy(p, w[i], j->v[i]);
    for (size_t g = 0; nact && g < sr->gens && !atomic_load(&j->cancelled); g++) {
        uint64_t gseed = hs_mix64(sr->seed ^ hs_mix64(g + 1) ^ hs_mix64(k + 1000003));
        for (size_t c = 0; c < ipop && !atomic_load(&j->cancelled); c++)
            if (make_child(sr, w, hv, w[hv + c], hs_mix64(gseed + c), j->act, nact, j->need))
                atomic_store(&j->cancelled, true);
        hv = select_best(w, hv + ipop, ipop, nf);
        /* Progress from the job's own thread only (task.h), where a
         * front end also reads its cancel key. */
        if (k == 0 && hs_par_on_caller()) {
            double f = (double)(g + 1) / (double)sr->gens;
            hs_task_progress(p->task, sr->prog0 + f * (sr->prog1 - sr->prog0),
                             "optimising cuts");
            if (hs_task_cancelled(p->task))
                atomic_store(&j->cancelled, true);
        }
    }
    return 0;
}

int
hs_cutopt_search(const struct co_search *sr, double need, const struct co_box *seeds, size_t nseeds,
                 struct co_box *best)
{
    const struct co_prob *p = sr->p;
    size_t nf = p->nf, npop = sr->pop < nseeds ? nseeds : sr->pop, nact = 0;
    npop = (npop + ISLANDS - 1) / ISLANDS * ISLANDS;
    size_t nall = npop, hsz = nf * 512, ntot = nall + 2 * npop;
    struct co_state *pool = hs_calloc(ntot, sizeof *pool);
    struct co_state **v = hs_calloc(ntot, sizeof *v);
    uint8_t *bytes = hs_malloc(ntot * (2 * nf + p->nt) + 1);
    double *hist = hs_malloc(ntot * hsz * sizeof *hist + 1);
    size_t *act = hs_malloc(nf * sizeof *act + 1);
    int rc = HS_OK;

    if (!pool || !v || !bytes || !hist || !act) {
        rc = HS_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < ntot; i++) {
        pool[i].box.lo = bytes + i * (2 * nf + p->nt);
        pool[i].box.hi = pool[i].box.lo + nf;
        pool[i].fail = pool[i].box.hi + nf;
        pool[i].h = hist + i * hsz;
        v[i] = &pool[i];
    }
    for (size_t k = 0; k < nf; k++)
        if (p->top[k])
            act[nact++] = k;

    /* The seeds, each descended. */
    struct seed_job sj = {sr, v, seeds, need};
    hs_par_run(nseeds, sr->nthreads, seed_part, &sj);
    if (hs_task_cancelled(p->task)) {
        rc = HS_ECANCELLED;
        goto out;
    }
    size_t have = select_best(v, nseeds, npop, nf);

    /* Islands: each evolves its own population from copies of the
     * descended seeds, in one thread, so that the threads meet once per
     * target; the result does not depend on which thread ran which. */
    size_t ipop = npop / ISLANDS, best_isl = 0;
    struct co_state **iv[ISLANDS];
    for (size_t k = 0; k < ISLANDS; k++)
        iv[k] = v + nall + k * 2 * ipop;
    for (size_t k = 0; k < ISLANDS; k++)
        for (size_t i = 0; i < 2 * ipop; i++)
            iv[k][i] = &pool[nall + k * 2 * ipop + i];
    struct island_job ij = {sr, v, iv, have, ipop, act, nact, need, false};
    hs_par_run(ISLANDS, sr->nthreads, island_part, &ij);
    bool cancelled = atomic_load(&ij.cancelled);
    if (cancelled || hs_task_cancelled(p->task)) {
        rc = HS_ECANCELLED;
        goto out;
    }
    for (size_t k = 1; k < ISLANDS; k++)
        if (state_cmp(iv[k][0], iv[best_isl][0], nf) < 0)
            best_isl = k;
    if (state_cmp(iv[best_isl][0], v[0], nf) < 0)
        v[0] = iv[best_isl][0];
    box_copy(best, &v[0]->box, nf);
    if (sr->keep)
        state_copy(p, sr->keep, v[0]);
out:
    hs_free(act);
    hs_free(hist);
    hs_free(bytes);
    hs_free(v);
    hs_free(pool);
    return rc;
}

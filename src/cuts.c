/* cuts.c: cut sets, binding them to a feature set, and the cut flow.
 *
 * The flow is one pass over the rows: for each row, the index of the
 * first cut it fails (cs->n when it passes them all), computed a cut at a
 * time over a small block of rows so that each inner loop is a tight,
 * vectorisable comparison.  An event failing first at cut k survives
 * steps 0..k, so the per-step counts are suffix sums of a histogram of
 * first failures.  Rows are cut into blocks of a fixed size whatever the
 * number of threads, each block's sums are kept apart and added in block
 * order, so the weighted sums are the same bit for bit with 1 or 64
 * threads.  Expression cuts do not move when bounds do, so they are
 * evaluated once at bind time into a byte per row.
 */
#include "config.h"

#include "cuts.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>


#include "mem.h"
#include "numparse.h"
#include "par.h"
#include "simd.h"

/* Rows per block whose partial sums are kept apart (fixed, so results do
 * not depend on the thread count), and rows per inner strip. */
#define CUTS_BLOCK 16384
#define CUTS_STRIP 512


/* ---- cut sets ---- */

static int
push(struct hs_cutset *cs, struct hs_cut *c, struct hs_err *err)
{
    if (hs_grow((void **)&cs->cuts, &cs->cap, cs->n + 1, sizeof *cs->cuts)) {
        hs_free(c->feature);
        hs_free(c->expr);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    cs->cuts[cs->n++] = *c;
    return HS_OK;
}

int
hs_cutset_add_range(struct hs_cutset *cs, const char *feature, double lo, double hi,
                    struct hs_err *err)
{
    struct hs_cut c = {0};
    char a[HS_NUM_BUF], b[HS_NUM_BUF];

    if (!feature || !*feature)
        return hs_err_set(err, HS_EUSAGE, "a range cut needs a feature name");
    if (isnan(lo) || isnan(hi))
        return hs_err_set(err, HS_EUSAGE, "range on '%s': a bound is not a number", feature);
    if (!(lo < hi)) {
        hs_num_format(lo, a);
        hs_num_format(hi, b);
        return hs_err_set(err, HS_EUSAGE,
                          "range on '%s': the lower bound %s is not below the upper bound %s",
                          feature, a, b);
    }
    c.kind = HS_CUT_RANGE;
    c.lo = lo;
    c.hi = hi;
    c.feature = hs_strdup(feature);
    if (!c.feature)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    return push(cs, &c, err);
}

int
hs_cutset_add_expr(struct hs_cutset *cs, const char *expr, struct hs_err *err)
{
    struct hs_cut c = {0};
    const char *p = expr;

    while (p && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    if (!p || !*p)
        return hs_err_set(err, HS_EUSAGE, "an expression cut needs an expression");
    c.kind = HS_CUT_EXPR;
    c.lo = -HUGE_VAL;
    c.hi = HUGE_VAL;
    c.expr = hs_strdup(expr);
    if (!c.expr)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    return push(cs, &c, err);
}

/* 1-based character (not byte) position of byte offset off in s. */
static int
char_pos(const char *s, size_t off)
{
    int pos = 1;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            pos++;
    return pos;
}

/* Parse the bound s[a..b) (blanks around it allowed): *out, or an error
 * located at the bound. */
static int
parse_bound(const char *spec, size_t a, size_t b, const char *which, double open, double *out,
            struct hs_err *err)
{
    size_t s = a, e = b;

    while (s < e && (spec[s] == ' ' || spec[s] == '\t'))
        s++;
    while (e > s && (spec[e - 1] == ' ' || spec[e - 1] == '\t'))
        e--;
    if (s == e) {
        *out = open;
        return HS_OK;
    }
    if (hs_num_parse(spec + s, e - s, out) != HS_OK || isnan(*out))
        return hs_err_set_at(err, HS_EUSAGE, 0, char_pos(spec, s),
                             "range '%s': %s bound '%.*s' is not a number", spec, which,
                             (int)(e - s), spec + s);
    return HS_OK;
}

int
hs_cutset_add_range_spec(struct hs_cutset *cs, const char *spec, struct hs_err *err)
{
    size_t len = strlen(spec), c1, c2;
    const char *p2, *p1 = NULL;
    double lo, hi;
    char *name;
    int rc;

    p2 = strrchr(spec, ':');
    if (p2)
        for (const char *q = p2; q > spec;)
            if (*--q == ':') {
                p1 = q;
                break;
            }
    if (!p1)
        return hs_err_set_at(err, HS_EUSAGE, 0, char_pos(spec, len) + 0,
                             "range '%s': expected FEATURE:LO:HI (an end may be empty)", spec);
    c1 = (size_t)(p1 - spec);
    c2 = (size_t)(p2 - spec);
    if (c1 == 0)
        return hs_err_set_at(err, HS_EUSAGE, 0, 1, "range '%s': no feature name before ':'",
                             spec);
    rc = parse_bound(spec, c1 + 1, c2, "lower", -HUGE_VAL, &lo, err);
    if (rc)
        return rc;
    rc = parse_bound(spec, c2 + 1, len, "upper", HUGE_VAL, &hi, err);
    if (rc)
        return rc;
    if (!(lo < hi)) {
        char a[HS_NUM_BUF], b[HS_NUM_BUF];
        hs_num_format(lo, a);
        hs_num_format(hi, b);
        return hs_err_set_at(err, HS_EUSAGE, 0, char_pos(spec, c1 + 1),
                             "range '%s': the lower bound %s is not below the upper bound %s",
                             spec, a, b);
    }
    name = hs_strndup(spec, c1);
    if (!name)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    rc = hs_cutset_add_range(cs, name, lo, hi, err);
    hs_free(name);
    return rc;
}

void
hs_cutset_release(struct hs_cutset *cs)
{
    if (!cs)
        return;
    for (size_t i = 0; i < cs->n; i++) {
        hs_free(cs->cuts[i].feature);
        hs_free(cs->cuts[i].expr);
    }
    hs_free(cs->cuts);
    cs->cuts = NULL;
    cs->n = cs->cap = 0;
}

int
hs_cutset_copy(struct hs_cutset *dst, const struct hs_cutset *src, struct hs_err *err)
{
    struct hs_cutset c = {0};

    if (src->n) {
        c.cuts = hs_calloc(src->n, sizeof *c.cuts);
        if (!c.cuts)
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        c.cap = src->n;
    }
    for (size_t i = 0; i < src->n; i++) {
        const struct hs_cut *s = &src->cuts[i];
        struct hs_cut *d = &c.cuts[i];
        *d = *s;
        d->feature = s->feature ? hs_strdup(s->feature) : NULL;
        d->expr = s->expr ? hs_strdup(s->expr) : NULL;
        c.n = i + 1;
        if ((s->feature && !d->feature) || (s->expr && !d->expr)) {
            hs_cutset_release(&c);
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        }
    }
    *dst = c;
    return HS_OK;
}

char *
hs_cut_describe(const struct hs_cut *c)
{
    char a[HS_NUM_BUF], b[HS_NUM_BUF];
    const char *name;
    size_t size;
    char *s;

    if (c->kind == HS_CUT_EXPR) {
        size = strlen(c->expr) + 3;
        s = hs_malloc(size);
        if (s)
            snprintf(s, size, "(%s)", c->expr);
        return s;
    }
    name = c->feature;
    hs_num_format(c->lo, a);
    hs_num_format(c->hi, b);
    size = strlen(name) + 2 * HS_NUM_BUF + 32;
    s = hs_malloc(size);
    if (!s)
        return NULL;
    if (c->lo == -HUGE_VAL && c->hi == HUGE_VAL)
        snprintf(s, size, "%s is not missing", name);
    else if (c->lo == -HUGE_VAL)
        snprintf(s, size, "%s < %s", name, b);
    else if (c->hi == HUGE_VAL)
        snprintf(s, size, "%s >= %s", name, a);
    else
        snprintf(s, size, "%s <= %s < %s", a, name, b);
    return s;
}

/* ---- binding ---- */

struct hs_cuts_bound {
    struct hs_featureset *fs;
    struct hs_cutset cs;
    const double **vals;    /* range cut k: its values */
    unsigned char **pass;   /* expression cut k: 1 where it holds */
    /* Per row, where its first failure is counted: + 0 for signal, + n+1
     * for background, past the end (clamped to the slot of rows that
     * count for nothing) without a label; NULL when the table has none. */
    double *off;
    size_t nrows;
};

void
hs_cuts_bound_free(struct hs_cuts_bound *b)
{
    if (!b)
        return;
    if (b->pass)
        for (size_t k = 0; k < b->cs.n; k++)
            hs_free(b->pass[k]);
    hs_free(b->pass);
    hs_free(b->vals);
    hs_free(b->off);
    hs_cutset_release(&b->cs);
    hs_free(b);
}

/* A text column (raw, by feature or by table name) has codes, not an order. */
static bool
is_text(const struct hs_featureset *fs, const char *name)
{
    long f = hs_featureset_find(fs, name);
    long c = f >= 0 ? fs->f[f].col : hs_table_find(fs->t, name);
    if (f >= 0 && fs->f[f].expr)
        return false;
    return c >= 0 && !fs->t->cols[c].synthetic && fs->t->cols[c].kind == HS_COL_TEXT;
}

static int
bind_expr(struct hs_cuts_bound *b, size_t k, const struct hs_task *task, struct hs_err *err)
{
    struct hs_expr *e = NULL;
    double *v = NULL;
    size_t n = b->nrows;
    int rc;

    rc = hs_featureset_compile(b->fs, b->cs.cuts[k].expr, &e, err);
    if (rc)
        return rc;
    v = hs_malloc((n ? n : 1) * sizeof *v);
    b->pass[k] = hs_malloc(n ? n : 1);
    if (!v || !b->pass[k]) {
        hs_free(v);
        hs_expr_free(e);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    rc = hs_featureset_eval(b->fs, e, v, NULL, task, err);
    hs_expr_free(e);
    if (rc == HS_OK)
        for (size_t i = 0; i < n; i++)
            b->pass[k][i] = v[i] != 0.0 && !isnan(v[i]);
    hs_free(v);
    return rc;
}

int
hs_cuts_bind(struct hs_featureset *fs, const struct hs_cutset *cs, struct hs_cuts_bound **out,
             const struct hs_task *task, struct hs_err *err)
{
    struct hs_cuts_bound *b = hs_calloc(1, sizeof *b);
    int rc = HS_OK;

    if (!b)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    b->fs = fs;
    b->nrows = fs->t->nrows;
    rc = hs_cutset_copy(&b->cs, cs, err);
    if (rc) {
        hs_free(b);
        return rc;
    }
    b->vals = hs_calloc(cs->n ? cs->n : 1, sizeof *b->vals);
    b->pass = hs_calloc(cs->n ? cs->n : 1, sizeof *b->pass);
    if (!b->vals || !b->pass) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t k = 0; k < cs->n; k++) {
        const struct hs_cut *c = &b->cs.cuts[k];
        if (hs_task_cancelled(task)) {
            rc = hs_err_set(err, HS_ECANCELLED, "cancelled");
            goto fail;
        }
        hs_task_progress(task, (double)k / (double)cs->n, "binding cuts");
        if (c->kind == HS_CUT_RANGE) {
            if (is_text(fs, c->feature)) {
                rc = hs_err_set(err, HS_EUSAGE,
                                "column '%s' holds text: a range needs numbers (use an "
                                "expression cut such as %s == \"...\")",
                                c->feature, c->feature);
            } else {
                rc = hs_featureset_values_by_name(fs, c->feature, &b->vals[k], task, err);
            }
        } else {
            rc = bind_expr(b, k, task, err);
        }
        if (rc) {
            if (rc != HS_ECANCELLED && rc != HS_ENOMEM)
                hs_err_prefix(err, "cut %zu", k + 1);
            goto fail;
        }
    }
    if (hs_table_label(fs->t)) {
        const double *label = hs_table_label(fs->t);
        double n1 = (double)(cs->n + 1);
        b->off = hs_malloc((b->nrows ? b->nrows : 1) * sizeof *b->off);
        if (!b->off) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < b->nrows; i++)
            b->off[i] = label[i] == 1.0 ? 0.0 : label[i] == 0.0 ? n1 : 4.0 * n1;
    }
    hs_task_progress(task, 1.0, "binding cuts");
    *out = b;
    return HS_OK;

fail:
    hs_cuts_bound_free(b);
    return rc;
}

int
hs_cuts_bound_set_range(struct hs_cuts_bound *b, size_t k, double lo, double hi,
                        struct hs_err *err)
{
    char x[HS_NUM_BUF], y[HS_NUM_BUF];

    if (k >= b->cs.n)
        return hs_err_set(err, HS_EUSAGE, "no cut %zu (the set has %zu)", k + 1, b->cs.n);
    if (b->cs.cuts[k].kind != HS_CUT_RANGE)
        return hs_err_set(err, HS_EUSAGE, "cut %zu is an expression, not a range", k + 1);
    if (isnan(lo) || isnan(hi) || !(lo < hi)) {
        hs_num_format(lo, x);
        hs_num_format(hi, y);
        return hs_err_set(err, HS_EUSAGE,
                          "range on '%s': the lower bound %s is not below the upper bound %s",
                          b->cs.cuts[k].feature, x, y);
    }
    b->cs.cuts[k].lo = lo;
    b->cs.cuts[k].hi = hi;
    return HS_OK;
}

const struct hs_cutset *
hs_cuts_bound_set(const struct hs_cuts_bound *b)
{
    return &b->cs;
}

/* ---- the kernel ---- */

/* For rows [r0, r0+m) (m <= CUTS_STRIP): first[i] = index of the first
 * cut the row fails (n when none); miss[i] = 1 when a range cut's value is
 * missing.  Each cut is one branch-free loop over the strip; the indices
 * are held as doubles, like the values compared, because a vector min of
 * doubles exists on every x86-64 and one of 64-bit integers does not. */
static void
first_fail(const struct hs_cuts_bound *b, size_t r0, size_t m, double *first, double *miss)
{
    size_t nc = b->cs.n;
    double n = (double)nc;

    for (size_t i = 0; i < m; i++) {
        first[i] = n;
        miss[i] = 0.0;
    }
    for (size_t k = 0; k < nc; k++) {
        const struct hs_cut *c = &b->cs.cuts[k];
        double kd = (double)k;
        if (c->kind == HS_CUT_EXPR) {
            const unsigned char *p = b->pass[k] + r0;
            HS_SIMD
            for (size_t i = 0; i < m; i++) {
                double f = p[i] ? n : kd;
                first[i] = first[i] < f ? first[i] : f;
            }
            continue;
        }
        const double *x = b->vals[k] + r0;
        double lo = c->lo, hi = c->hi;
        if (hi == HUGE_VAL) {
            /* An open upper end keeps +inf too: lo <= x. */
            HS_SIMD
            for (size_t i = 0; i < m; i++) {
                double f = x[i] >= lo ? n : kd;
                first[i] = first[i] < f ? first[i] : f;
                miss[i] = x[i] != x[i] ? 1.0 : miss[i];
            }
        } else {
            HS_SIMD
            for (size_t i = 0; i < m; i++) {
                double f = ((x[i] >= lo) & (x[i] < hi)) ? n : kd;
                first[i] = first[i] < f ? first[i] : f;
                miss[i] = x[i] != x[i] ? 1.0 : miss[i];
            }
        }
    }
}

/* Per-block sums live in LANES interleaved copies, row i adding to copy
 * i % LANES, so that consecutive rows landing on the same step do not wait
 * on each other's additions; a last slot takes the rows that count for
 * nothing (outside the mask, no label).  The copies are added in a fixed
 * order, so the sums stay independent of the thread count. */
#define LANES 4

/* One block of a cut flow: a part of a par.h job. */
struct flow_job {
    const struct hs_cuts_bound *b;
    const unsigned char *mask;
    const double *weight;
    size_t *cnt, *nmiss;
    double *w;
    size_t width, bsize, nr;
    const struct hs_task *task;
};

static int
flow_block(void *ctx, size_t blk)
{
    const struct flow_job *fj = ctx;
    const struct hs_cuts_bound *b = fj->b;
    const unsigned char *mask = fj->mask;
    const double *weight = fj->weight;
    const struct hs_task *task = fj->task;
    size_t width = fj->width, bsize = fj->bsize, nr = fj->nr, *cnt = fj->cnt, *nmiss = fj->nmiss;
    double *w = fj->w;
    double first[CUTS_STRIP], miss[CUTS_STRIP], key[CUTS_STRIP];
    size_t *bc = cnt + blk * bsize;
    double *bw = w + blk * bsize;
    size_t end = (blk + 1) * CUTS_BLOCK < nr ? (blk + 1) * CUTS_BLOCK : nr;
    double nm = 0, dump = (double)(width - 1);

    if (hs_task_cancelled(task))
        return HS_ECANCELLED;
    for (size_t r0 = blk * CUTS_BLOCK; r0 < end; r0 += CUTS_STRIP) {
        size_t m = end - r0 < CUTS_STRIP ? end - r0 : CUTS_STRIP;
        const double *off = b->off + r0;
        first_fail(b, r0, m, first, miss);
        /* Where each row adds: signal steps, background steps, or the
         * slot of rows that count for nothing. */
        HS_SIMD
        for (size_t i = 0; i < m; i++) {
            double k = first[i] + off[i];
            key[i] = k < dump ? k : dump;
        }
        if (mask) {
            const unsigned char *mk = mask + r0;
            HS_SIMD
            for (size_t i = 0; i < m; i++) {
                key[i] = mk[i] ? key[i] : dump;
                nm += mk[i] ? miss[i] : 0.0;
            }
        } else {
            HS_SIMD
            for (size_t i = 0; i < m; i++)
                nm += miss[i];
        }
        if (weight) {
            const double *wt = weight + r0;
            for (size_t i = 0; i < m; i++) {
                size_t idx = (size_t)(int64_t)key[i] + (i % LANES) * width;
                bc[idx]++;
                bw[idx] += wt[i];
            }
        } else {
            for (size_t i = 0; i < m; i++) {
                size_t idx = (size_t)(int64_t)key[i] + (i % LANES) * width;
                bc[idx]++;
            }
        }
    }
    if (!weight)
        for (size_t j = 0; j < bsize; j++)
            bw[j] = (double)bc[j];
    for (size_t lane = 1; lane < LANES; lane++)
        for (size_t j = 0; j < width; j++) {
            bc[j] += bc[lane * width + j];
            bw[j] += bw[lane * width + j];
        }
    nmiss[blk] = (size_t)nm;
    return HS_OK;
}

int
hs_cuts_flow(const struct hs_cuts_bound *b, const unsigned char *mask, struct hs_flow *flow,
             const struct hs_task *task, struct hs_err *err)
{
    const struct hs_table *t = b->fs->t;
    const double *weight = hs_table_weight(t);
    size_t n = b->cs.n, nr = b->nrows, width = 2 * (n + 1) + 1, bsize = LANES * width;
    size_t nblocks = (nr + CUTS_BLOCK - 1) / CUTS_BLOCK;
    size_t *cnt = NULL;
    double *w = NULL;
    size_t *nmiss = NULL;
    struct hs_flow_step *step = NULL;
    int cancelled = 0;

    if (!b->off)
        return hs_err_set(err, HS_EUSAGE,
                          "the dataset has no label: a cut flow needs signal and background");
    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "cancelled");
    cnt = hs_calloc((nblocks ? nblocks : 1) * bsize, sizeof *cnt);
    w = hs_calloc((nblocks ? nblocks : 1) * bsize, sizeof *w);
    nmiss = hs_calloc(nblocks ? nblocks : 1, sizeof *nmiss);
    step = hs_calloc(n + 1, sizeof *step);
    if (!cnt || !w || !nmiss || !step) {
        hs_free(cnt);
        hs_free(w);
        hs_free(nmiss);
        hs_free(step);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }

    struct flow_job job = {b, mask, weight, cnt, nmiss, w, width, bsize, nr, task};
    cancelled = hs_par_run(nblocks, hs_par_threads(), flow_block, &job) != 0;
    if (cancelled) {
        hs_free(cnt);
        hs_free(w);
        hs_free(nmiss);
        hs_free(step);
        return hs_err_set(err, HS_ECANCELLED, "cancelled");
    }

    /* Reduce the blocks in order, then suffix sums over the first failures. */
    for (size_t blk = 1; blk < nblocks; blk++) {
        for (size_t j = 0; j < width; j++) {
            cnt[j] += cnt[blk * bsize + j];
            w[j] += w[blk * bsize + j];
        }
        nmiss[0] += nmiss[blk];
    }
    {
        size_t cs = 0, cb = 0;
        double ws = 0, wb = 0;
        for (size_t k = n + 1; k-- > 0;) {
            cs += cnt[k];
            cb += cnt[(n + 1) + k];
            ws += w[k];
            wb += w[(n + 1) + k];
            step[k].nsig = cs;
            step[k].nbkg = cb;
            step[k].sig = ws;
            step[k].bkg = wb;
        }
    }
    for (size_t k = 0; k <= n; k++) {
        struct hs_flow_step *s = &step[k];
        s->sig_eff = step[0].sig > 0 ? s->sig / step[0].sig : NAN;
        s->bkg_eff = step[0].bkg > 0 ? s->bkg / step[0].bkg : NAN;
        s->rejection = 1.0 - s->bkg_eff;
        s->s_over_b = s->sig / s->bkg;
        s->s_sqrt_b = s->sig / sqrt(s->bkg);
        s->s_sqrt_sb = s->sig / sqrt(s->sig + s->bkg);
    }
    flow->nsteps = n + 1;
    flow->step = step;
    flow->nmissing = nr ? nmiss[0] : 0;
    hs_free(cnt);
    hs_free(w);
    hs_free(nmiss);
    return HS_OK;
}

void
hs_flow_release(struct hs_flow *flow)
{
    if (!flow)
        return;
    hs_free(flow->step);
    flow->step = NULL;
    flow->nsteps = 0;
}

/* One block of hs_cuts_pass: a part of a par.h job. */
struct pass_job {
    const struct hs_cuts_bound *b;
    unsigned char *pass;
    const struct hs_task *task;
};

static int
pass_block(void *ctx, size_t blk)
{
    const struct pass_job *j = ctx;
    size_t nr = j->b->nrows, end = (blk + 1) * CUTS_BLOCK < nr ? (blk + 1) * CUTS_BLOCK : nr;
    double first[CUTS_STRIP], miss[CUTS_STRIP], n = (double)(uint32_t)j->b->cs.n;

    if (hs_task_cancelled(j->task))
        return HS_ECANCELLED;
    for (size_t r0 = blk * CUTS_BLOCK; r0 < end; r0 += CUTS_STRIP) {
        size_t m = end - r0 < CUTS_STRIP ? end - r0 : CUTS_STRIP;
        first_fail(j->b, r0, m, first, miss);
        for (size_t i = 0; i < m; i++)
            j->pass[r0 + i] = first[i] == n;
    }
    return HS_OK;
}

int
hs_cuts_pass(const struct hs_cuts_bound *b, unsigned char *pass, const struct hs_task *task,
             struct hs_err *err)
{
    size_t nr = b->nrows, nblocks = (nr + CUTS_BLOCK - 1) / CUTS_BLOCK;
    struct pass_job job = {b, pass, task};

    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "cancelled");
    bool cancelled = hs_par_run(nblocks, hs_par_threads(), pass_block, &job) != 0;
    /* NEEDSWORK: a cancel leaves pass partly written, as hs_expr_eval does. */
    if (cancelled)
        return hs_err_set(err, HS_ECANCELLED, "cancelled");
    return HS_OK;
}

/* Unit tests of cut sets (src/cuts.c, src/cuts_export.c): the range
 * parser, descriptions, binding errors, the cut flow and the pass mask
 * against brute-force loops written here, thread-count independence, a
 * timing on a million events, and the exports as exact strings. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "cuts.h"
#include "featureset.h"
#include "mem.h"
#include "split.h"

/* ---- data ---- */

static uint64_t
lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 11;
}

static double
unif(uint64_t *s)
{
    return (double)lcg(s) / 9007199254740992.0;
}

/* n rows: x, y, z uniform on [0, 4) rounded to 1/8 (so values hit the
 * bounds exactly), about 5% of them missing; w a weight in [0.5, 2);
 * Truth 1 for about 40%; "kind" a text column.  weighted: mark w. */
static struct hs_table *
make_table(size_t n, int weighted, uint64_t seed)
{
    static const char *const names[] = {"x", "y", "z", "w", "Truth"};
    struct hs_table *t = hs_table_new();
    size_t idx[5], ik;
    uint64_t s = seed;

    assert_non_null(t);
    for (int j = 0; j < 5; j++)
        assert_int_equal(hs_table_add_column(t, names[j], HS_COL_NUMBER, &idx[j], NULL), HS_OK);
    assert_int_equal(hs_table_add_column(t, "kind", HS_COL_TEXT, &ik, NULL), HS_OK);
    assert_int_equal(hs_table_resize(t, n), HS_OK);
    for (size_t i = 0; i < n; i++) {
        for (int j = 0; j < 3; j++) {
            double u = unif(&s);
            t->cols[idx[j]].v[i] = u < 0.05 ? NAN : floor(unif(&s) * 32.0) / 8.0;
        }
        t->cols[idx[3]].v[i] = 0.5 + 1.5 * unif(&s);
        t->cols[idx[4]].v[i] = unif(&s) < 0.4 ? 1.0 : 0.0;
        assert_int_equal(hs_column_intern(&t->cols[ik], i % 3 ? "a" : "b", 1, &t->cols[ik].v[i]),
                         HS_OK);
    }
    assert_int_equal(hs_table_set_label(t, "Truth", NULL, NULL), HS_OK);
    if (weighted)
        assert_int_equal(hs_table_set_role(t, "w", HS_ROLE_WEIGHT, NULL), HS_OK);
    return t;
}

/* ---- parsing and describing ---- */

static void
test_range_spec(void **state)
{
    struct hs_cutset cs = {0};
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_cutset_add_range_spec(&cs, "pt:2:", &err), HS_OK);
    assert_int_equal(hs_cutset_add_range_spec(&cs, "m::4", &err), HS_OK);
    assert_int_equal(hs_cutset_add_range_spec(&cs, "a:b:0.1:0.3", &err), HS_OK);
    assert_int_equal(hs_cutset_add_range_spec(&cs, "x:-inf:inf", &err), HS_OK);
    assert_int_equal(hs_cutset_add_range_spec(&cs, "q: -1e-3 : 2.5E+2 ", &err), HS_OK);
    assert_int_equal(cs.n, 5);
    assert_int_equal(cs.cuts[0].kind, HS_CUT_RANGE);
    assert_string_equal(cs.cuts[0].feature, "pt");
    assert_true(cs.cuts[0].lo == 2.0 && cs.cuts[0].hi == HUGE_VAL);
    assert_string_equal(cs.cuts[1].feature, "m");
    assert_true(cs.cuts[1].lo == -HUGE_VAL && cs.cuts[1].hi == 4.0);
    assert_string_equal(cs.cuts[2].feature, "a:b");
    /* Exact: the same doubles as strtod. */
    assert_true(cs.cuts[2].lo == strtod("0.1", NULL) && cs.cuts[2].hi == strtod("0.3", NULL));
    assert_true(cs.cuts[3].lo == -HUGE_VAL && cs.cuts[3].hi == HUGE_VAL);
    assert_true(cs.cuts[4].lo == strtod("-1e-3", NULL) && cs.cuts[4].hi == 250.0);

    assert_int_equal(hs_cutset_add_range_spec(&cs, "pt:x:3", &err), HS_EUSAGE);
    assert_string_equal(err.msg, "range 'pt:x:3': lower bound 'x' is not a number");
    assert_int_equal(err.col, 4);
    assert_int_equal(hs_cutset_add_range_spec(&cs, "pt:1:3y", &err), HS_EUSAGE);
    assert_string_equal(err.msg, "range 'pt:1:3y': upper bound '3y' is not a number");
    assert_int_equal(err.col, 6);
    /* Columns count characters: é is one. */
    assert_int_equal(hs_cutset_add_range_spec(&cs, "\xc3\xa9t\xc3\xa9:1,5:", &err), HS_EUSAGE);
    assert_int_equal(err.col, 5);
    assert_int_equal(hs_cutset_add_range_spec(&cs, "pt:nan:3", &err), HS_EUSAGE);
    assert_int_equal(err.col, 4);
    assert_int_equal(hs_cutset_add_range_spec(&cs, "pt:3", &err), HS_EUSAGE);
    assert_string_equal(err.msg, "range 'pt:3': expected FEATURE:LO:HI (an end may be empty)");
    assert_int_equal(err.col, 5);
    assert_int_equal(hs_cutset_add_range_spec(&cs, ":1:3", &err), HS_EUSAGE);
    assert_int_equal(err.col, 1);
    assert_int_equal(hs_cutset_add_range_spec(&cs, "pt:3:1", &err), HS_EUSAGE);
    assert_string_equal(err.msg,
                        "range 'pt:3:1': the lower bound 3 is not below the upper bound 1");
    assert_int_equal(err.col, 4);
    assert_int_equal(hs_cutset_add_range_spec(&cs, "pt:inf:", &err), HS_EUSAGE);
    assert_int_equal(cs.n, 5);

    assert_int_equal(hs_cutset_add_range(&cs, "x", 1, NAN, &err), HS_EUSAGE);
    assert_int_equal(hs_cutset_add_range(&cs, "x", 2, 2, &err), HS_EUSAGE);
    assert_int_equal(hs_cutset_add_range(&cs, "", 1, 2, &err), HS_EUSAGE);
    assert_int_equal(hs_cutset_add_expr(&cs, "  ", &err), HS_EUSAGE);
    assert_int_equal(cs.n, 5);
    hs_cutset_release(&cs);
}

/* In a locale whose decimal mark is a comma, "0.5" still means a half. */
static void
test_range_spec_locale(void **state)
{
    struct hs_cutset cs = {0};
    const char *loc = setlocale(LC_NUMERIC, "de_DE.UTF-8");

    (void)state;
    if (!loc)
        loc = setlocale(LC_NUMERIC, "fr_FR.UTF-8");
    assert_int_equal(hs_cutset_add_range_spec(&cs, "x:0.5:1e1", NULL), HS_OK);
    assert_true(cs.cuts[0].lo == 0.5 && cs.cuts[0].hi == 10.0);
    setlocale(LC_NUMERIC, "C");
    hs_cutset_release(&cs);
}

static void
check_describe(const struct hs_cut *c, const char *want)
{
    char *s = hs_cut_describe(c);
    assert_non_null(s);
    assert_string_equal(s, want);
    hs_free(s);
}

static void
test_describe_copy(void **state)
{
    struct hs_cutset cs = {0}, cp;

    (void)state;
    assert_int_equal(hs_cutset_add_range(&cs, "m_mumu", -HUGE_VAL, 4, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "pt_frac", 0.5, 1, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "doca", 0.01, HUGE_VAL, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_expr(&cs, "m_mumu < 4 && doca < 0.05", NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "e", -HUGE_VAL, HUGE_VAL, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "r", 0.1 + 0.2, 1e300, NULL), HS_OK);
    assert_int_equal(hs_cutset_copy(&cp, &cs, NULL), HS_OK);
    hs_cutset_release(&cs);
    assert_int_equal(cp.n, 6);
    check_describe(&cp.cuts[0], "m_mumu < 4");
    check_describe(&cp.cuts[1], "0.5 <= pt_frac < 1");
    check_describe(&cp.cuts[2], "doca >= 0.01");
    check_describe(&cp.cuts[3], "(m_mumu < 4 && doca < 0.05)");
    check_describe(&cp.cuts[4], "e is not missing");
    check_describe(&cp.cuts[5], "0.30000000000000004 <= r < 1e+300");
    hs_cutset_release(&cp);
}

/* ---- binding ---- */

static void
test_bind_errors(void **state)
{
    struct hs_table *t = make_table(100, 0, 1);
    struct hs_featureset fs;
    struct hs_cutset cs = {0};
    struct hs_cuts_bound *b = NULL;
    struct hs_expr *e = NULL;
    struct hs_err err, ref;
    struct hs_flow flow;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "yy", 0, 1, NULL), HS_OK);
    assert_int_equal(hs_cuts_bind(&fs, &cs, &b, NULL, &err), HS_ENOTFOUND);
    assert_string_equal(err.msg, "cut 1: no column or feature 'yy' (did you mean 'y'?)");
    assert_null(b);
    hs_cutset_release(&cs);

    assert_int_equal(hs_cutset_add_range(&cs, "x", 0, 1, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_expr(&cs, "x < 2 && (y > ", NULL), HS_OK);
    assert_int_equal(hs_cuts_bind(&fs, &cs, &b, NULL, &err), HS_EUSAGE);
    assert_int_equal(hs_featureset_compile(&fs, "x < 2 && (y > ", &e, &ref), HS_EUSAGE);
    assert_true(strncmp(err.msg, "cut 2: ", 7) == 0);
    assert_string_equal(err.msg + 7, ref.msg);
    assert_int_equal(err.col, ref.col);
    assert_true(err.col > 0);
    hs_cutset_release(&cs);

    assert_int_equal(hs_cutset_add_range(&cs, "kind", 0, 1, NULL), HS_OK);
    assert_int_equal(hs_cuts_bind(&fs, &cs, &b, NULL, &err), HS_EUSAGE);
    assert_true(strstr(err.msg, "cut 1: column 'kind' holds text") == err.msg);
    hs_cutset_release(&cs);

    /* _label is hepscope's own; Truth (the label source) may be cut on;
     * text columns in expressions work. */
    assert_int_equal(hs_cutset_add_range(&cs, "_label", 0, 1, NULL), HS_OK);
    assert_int_equal(hs_cuts_bind(&fs, &cs, &b, NULL, &err), HS_ENOTFOUND);
    hs_cutset_release(&cs);
    assert_int_equal(hs_cutset_add_range(&cs, "Truth", 0.5, HUGE_VAL, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_expr(&cs, "kind == \"a\"", NULL), HS_OK);
    assert_int_equal(hs_cuts_bind(&fs, &cs, &b, NULL, &err), HS_OK);
    assert_int_equal(hs_cuts_bound_set(b)->n, 2);
    assert_int_equal(hs_cuts_bound_set_range(b, 1, 0, 1, &err), HS_EUSAGE);
    assert_int_equal(hs_cuts_bound_set_range(b, 2, 0, 1, &err), HS_EUSAGE);
    assert_int_equal(hs_cuts_bound_set_range(b, 0, 1, 0, &err), HS_EUSAGE);
    assert_int_equal(hs_cuts_flow(b, NULL, &flow, NULL, &err), HS_OK);
    /* Truth >= 0.5 keeps the signal only. */
    assert_int_equal(flow.step[1].nbkg, 0);
    assert_int_equal(flow.step[1].nsig, flow.step[0].nsig);
    assert_true(isinf(flow.step[1].s_over_b));
    assert_true(flow.step[1].rejection == 1.0);
    hs_flow_release(&flow);
    hs_cuts_bound_free(b);
    hs_cutset_release(&cs);
    hs_expr_free(e);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

static void
test_unlabelled(void **state)
{
    struct hs_table *t = hs_table_new();
    struct hs_featureset fs;
    struct hs_cutset cs = {0};
    struct hs_cuts_bound *b;
    struct hs_flow flow;
    struct hs_err err;
    unsigned char pass[3];
    size_t ix;

    (void)state;
    assert_int_equal(hs_table_add_column(t, "x", HS_COL_NUMBER, &ix, NULL), HS_OK);
    assert_int_equal(hs_table_resize(t, 3), HS_OK);
    t->cols[ix].v[0] = 1;
    t->cols[ix].v[1] = 5;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "x", 0, 2, NULL), HS_OK);
    assert_int_equal(hs_cuts_bind(&fs, &cs, &b, NULL, &err), HS_OK);
    assert_int_equal(hs_cuts_flow(b, NULL, &flow, NULL, &err), HS_EUSAGE);
    assert_int_equal(hs_cuts_pass(b, pass, NULL, &err), HS_OK);
    assert_int_equal(pass[0], 1);
    assert_int_equal(pass[1], 0);
    assert_int_equal(pass[2], 0);
    hs_cuts_bound_free(b);
    hs_cutset_release(&cs);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

/* ---- the flow against brute force ---- */

/* Does row i pass cut c (written from the header's words, not the code)? */
static int
brute_pass(const struct hs_table *t, const struct hs_cut *c, size_t i)
{
    if (c->kind == HS_CUT_RANGE) {
        double x = t->cols[hs_table_find(t, c->feature)].v[i];
        if (isnan(x))
            return 0;
        if (c->hi == HUGE_VAL)
            return x >= c->lo;
        return c->lo <= x && x < c->hi;
    }
    /* The expression cuts used below. */
    double x = t->cols[hs_table_find(t, "x")].v[i], y = t->cols[hs_table_find(t, "y")].v[i];
    if (strcmp(c->expr, "x + y < 5 || y >= 3.5") == 0)
        return x + y < 5 || y >= 3.5;
    if (strcmp(c->expr, "!(y == 1)") == 0)
        return !(y == 1);
    fail_msg("no reference for %s", c->expr);
    return 0;
}

static void
check_flow(const struct hs_table *t, const struct hs_cutset *cs, const unsigned char *mask,
           const struct hs_flow *flow)
{
    const double *label = hs_table_label(t), *w = hs_table_weight(t);
    size_t n = cs->n, nmissing = 0;

    assert_int_equal(flow->nsteps, n + 1);
    for (size_t k = 0; k <= n; k++) {
        size_t ns = 0, nb = 0;
        double ws = 0, wb = 0;
        for (size_t i = 0; i < t->nrows; i++) {
            int alive = !mask || mask[i];
            for (size_t j = 0; j < k && alive; j++)
                alive = brute_pass(t, &cs->cuts[j], i);
            if (!alive)
                continue;
            if (label[i] == 1.0) {
                ns++;
                ws += w ? w[i] : 1.0;
            } else {
                nb++;
                wb += w ? w[i] : 1.0;
            }
        }
        const struct hs_flow_step *s = &flow->step[k];
        assert_int_equal(s->nsig, ns);
        assert_int_equal(s->nbkg, nb);
        assert_true(fabs(s->sig - ws) <= 1e-9 * ws);
        assert_true(fabs(s->bkg - wb) <= 1e-9 * wb);
        assert_true(fabs(s->sig_eff - ws / flow->step[0].sig) < 1e-12);
        assert_true(fabs(s->bkg_eff - wb / flow->step[0].bkg) < 1e-12);
        assert_true(fabs(s->rejection - (1.0 - wb / flow->step[0].bkg)) < 1e-12);
        assert_true(fabs(s->s_over_b - ws / wb) <= 1e-9 * (ws / wb));
        assert_true(fabs(s->s_sqrt_b - ws / sqrt(wb)) <= 1e-9 * (ws / sqrt(wb)));
        assert_true(fabs(s->s_sqrt_sb - ws / sqrt(ws + wb)) <= 1e-9 * ws);
    }
    for (size_t i = 0; i < t->nrows; i++) {
        int miss = 0;
        if (mask && !mask[i])
            continue;
        for (size_t j = 0; j < n; j++)
            if (cs->cuts[j].kind == HS_CUT_RANGE &&
                isnan(t->cols[hs_table_find(t, cs->cuts[j].feature)].v[i]))
                miss = 1;
        nmissing += miss;
    }
    assert_int_equal(flow->nmissing, nmissing);
}

static void
test_flow_brute(void **state)
{
    (void)state;
    for (int weighted = 0; weighted < 2; weighted++) {
        /* 40000 rows: several blocks and a partial one. */
        struct hs_table *t = make_table(40000 + 77 * weighted, weighted, 99 + weighted);
        struct hs_featureset fs;
        struct hs_cutset cs = {0};
        struct hs_cuts_bound *b;
        struct hs_flow flow;
        struct hs_split sp;
        unsigned char *mask = malloc(t->nrows), *pass = malloc(t->nrows);

        assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
        assert_int_equal(hs_cutset_add_range(&cs, "x", 0.5, 3.5, NULL), HS_OK);
        assert_int_equal(hs_cutset_add_range(&cs, "y", -HUGE_VAL, 3.75, NULL), HS_OK);
        assert_int_equal(hs_cutset_add_expr(&cs, "x + y < 5 || y >= 3.5", NULL), HS_OK);
        assert_int_equal(hs_cutset_add_range(&cs, "z", 1.0, HUGE_VAL, NULL), HS_OK);
        assert_int_equal(hs_cutset_add_expr(&cs, "!(y == 1)", NULL), HS_OK);
        assert_int_equal(hs_cuts_bind(&fs, &cs, &b, NULL, NULL), HS_OK);
        assert_int_equal(hs_split_make(t, 0.5, 0.25, 0.25, 1, &sp, NULL), HS_OK);
        hs_split_mask(&sp, HS_ON_TEST, t->nrows, mask);

        assert_int_equal(hs_cuts_flow(b, NULL, &flow, NULL, NULL), HS_OK);
        check_flow(t, &cs, NULL, &flow);
        hs_flow_release(&flow);
        assert_int_equal(hs_cuts_flow(b, mask, &flow, NULL, NULL), HS_OK);
        check_flow(t, &cs, mask, &flow);
        hs_flow_release(&flow);

        /* Move the bounds, exactly onto values of the data. */
        assert_int_equal(hs_cuts_bound_set_range(b, 0, 1.25, 2.0, NULL), HS_OK);
        assert_int_equal(hs_cuts_bound_set_range(b, 3, -HUGE_VAL, 3.0, NULL), HS_OK);
        cs.cuts[0].lo = 1.25;
        cs.cuts[0].hi = 2.0;
        cs.cuts[3].lo = -HUGE_VAL;
        cs.cuts[3].hi = 3.0;
        assert_int_equal(hs_cuts_flow(b, mask, &flow, NULL, NULL), HS_OK);
        check_flow(t, &cs, mask, &flow);
        hs_flow_release(&flow);

        assert_int_equal(hs_cuts_pass(b, pass, NULL, NULL), HS_OK);
        for (size_t i = 0; i < t->nrows; i++) {
            int alive = 1;
            for (size_t j = 0; j < cs.n && alive; j++)
                alive = brute_pass(t, &cs.cuts[j], i);
            assert_int_equal(pass[i], alive);
        }
        free(mask);
        free(pass);
        hs_split_release(&sp);
        hs_cuts_bound_free(b);
        hs_cutset_release(&cs);
        hs_featureset_release(&fs);
        hs_table_free(t);
    }
}

/* lo <= x < hi at the boundaries; an open upper end keeps +inf; NaN fails. */
static void
test_boundaries(void **state)
{
    static const double xs[] = {1.0, 2.0, nextafter(2.0, 0), 3.0, HUGE_VAL, -HUGE_VAL, NAN,
                                nextafter(1.0, 0)};
    struct hs_table *t = hs_table_new();
    struct hs_featureset fs;
    struct hs_cutset cs = {0};
    struct hs_cuts_bound *b;
    unsigned char pass[8];
    size_t ix;

    (void)state;
    assert_int_equal(hs_table_add_column(t, "x", HS_COL_NUMBER, &ix, NULL), HS_OK);
    assert_int_equal(hs_table_resize(t, 8), HS_OK);
    memcpy(t->cols[ix].v, xs, sizeof xs);
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "x", 1.0, 2.0, NULL), HS_OK);
    assert_int_equal(hs_cuts_bind(&fs, &cs, &b, NULL, NULL), HS_OK);
    assert_int_equal(hs_cuts_pass(b, pass, NULL, NULL), HS_OK);
    {
        static const unsigned char want[] = {1, 0, 1, 0, 0, 0, 0, 0};
        assert_memory_equal(pass, want, 8);
    }
    assert_int_equal(hs_cuts_bound_set_range(b, 0, 2.0, HUGE_VAL, NULL), HS_OK);
    assert_int_equal(hs_cuts_pass(b, pass, NULL, NULL), HS_OK);
    {
        static const unsigned char want[] = {0, 1, 0, 1, 1, 0, 0, 0};
        assert_memory_equal(pass, want, 8);
    }
    assert_int_equal(hs_cuts_bound_set_range(b, 0, -HUGE_VAL, HUGE_VAL, NULL), HS_OK);
    assert_int_equal(hs_cuts_pass(b, pass, NULL, NULL), HS_OK);
    {
        static const unsigned char want[] = {1, 1, 1, 1, 1, 1, 0, 1};
        assert_memory_equal(pass, want, 8);
    }
    hs_cuts_bound_free(b);
    hs_cutset_release(&cs);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

static void
set_threads(int n)
{
#ifdef _OPENMP
    omp_set_num_threads(n);
#else
    (void)n;
#endif
}

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* 1,000,000 events, 6 ranges and an expression: the sums do not depend on
 * the thread count (bit for bit), and a diagnostic line gives the time of
 * re-evaluating after a change. */
static void
test_threads_and_timing(void **state)
{
    const size_t n = 1000000;
    struct hs_table *t = make_table(n, 1, 5);
    struct hs_featureset fs;
    struct hs_cutset cs = {0};
    struct hs_cuts_bound *b;
    struct hs_flow f1, f2;
    double best = 1e30;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "x", 0.25, 3.75, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "y", 0.125, HUGE_VAL, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "z", -HUGE_VAL, 3.875, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "x", 0.0, 3.5, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "y", 0.25, 3.75, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_expr(&cs, "x + y < 6 && z > 0", NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "z", 0.5, 4.0, NULL), HS_OK);
    assert_int_equal(hs_cuts_bind(&fs, &cs, &b, NULL, NULL), HS_OK);

    set_threads(1);
    assert_int_equal(hs_cuts_flow(b, NULL, &f1, NULL, NULL), HS_OK);
    set_threads(2);
    assert_int_equal(hs_cuts_flow(b, NULL, &f2, NULL, NULL), HS_OK);
    assert_int_equal(f1.nsteps, 8);
    assert_memory_equal(f1.step, f2.step, f1.nsteps * sizeof *f1.step);
    assert_int_equal(f1.nmissing, f2.nmissing);
    assert_true(f1.step[7].nsig > 0 && f1.step[7].nsig < f1.step[0].nsig);
    hs_flow_release(&f1);
    hs_flow_release(&f2);

    for (int rep = 0; rep < 10; rep++) {
        double t0;
        assert_int_equal(hs_cuts_bound_set_range(b, 0, 0.25 + 0.125 * (rep % 4), 3.75, NULL),
                         HS_OK);
        t0 = now_ms();
        assert_int_equal(hs_cuts_flow(b, NULL, &f1, NULL, NULL), HS_OK);
        t0 = now_ms() - t0;
        best = t0 < best ? t0 : best;
        hs_flow_release(&f1);
    }
    printf("# cut flow, 7 cuts on %zu events: %.2f ms (best of 10)\n", n, best);
    hs_cuts_bound_free(b);
    hs_cutset_release(&cs);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

static void
test_cancel(void **state)
{
    struct hs_table *t = make_table(1000, 0, 3);
    struct hs_featureset fs;
    struct hs_cutset cs = {0};
    struct hs_cuts_bound *b = NULL;
    struct hs_flow flow = {0};
    atomic_int stop = 1;
    struct hs_task task = {NULL, NULL, &stop};
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "x", 0, 1, NULL), HS_OK);
    assert_int_equal(hs_cuts_bind(&fs, &cs, &b, &task, &err), HS_ECANCELLED);
    assert_null(b);
    assert_int_equal(hs_cuts_bind(&fs, &cs, &b, NULL, &err), HS_OK);
    assert_int_equal(hs_cuts_flow(b, NULL, &flow, &task, &err), HS_ECANCELLED);
    assert_null(flow.step);
    hs_cuts_bound_free(b);
    hs_cutset_release(&cs);
    hs_featureset_release(&fs);
    hs_table_free(t);
}


/* ---- exports ---- */

/* Export a set of one expression cut (or range spec, with a leading 'R')
 * to lang and compare with want; want NULL: expect an error with the
 * message wmsg and column wcol. */
static void
check_export(const char *cut, int lang, const char *want, const char *wmsg, int wcol)
{
    struct hs_cutset cs = {0};
    struct hs_err err = {0};
    char *out = NULL;
    int rc;

    if (cut[0] == 'R')
        assert_int_equal(hs_cutset_add_range_spec(&cs, cut + 1, NULL), HS_OK);
    else
        assert_int_equal(hs_cutset_add_expr(&cs, cut, NULL), HS_OK);
    rc = hs_cutset_export(&cs, (enum hs_cuts_lang)lang, &out, &err);
    if (want) {
        if (rc != HS_OK)
            fail_msg("%s: %s", cut, err.msg);
        assert_string_equal(out, want);
    } else {
        assert_int_not_equal(rc, HS_OK);
        assert_null(out);
        assert_string_equal(err.msg, wmsg);
        assert_int_equal(err.col, wcol);
    }
    hs_free(out);
    hs_cutset_release(&cs);
}

static void
test_export_ranges(void **state)
{
    struct hs_cutset cs = {0};
    char *out;

    (void)state;
    check_export("Rm_mumu:0.5:4", HS_CUTS_SQL, "\"m_mumu\" >= 0.5 AND \"m_mumu\" < 4", NULL, 0);
    check_export("Rm_mumu:0.5:4", HS_CUTS_C, "(m_mumu >= 0.5 && m_mumu < 4)", NULL, 0);
    check_export("Rm_mumu:0.5:4", HS_CUTS_ROOT, "m_mumu>=0.5&&m_mumu<4", NULL, 0);
    check_export("Rpt:2:", HS_CUTS_SQL, "\"pt\" >= 2", NULL, 0);
    check_export("Rpt:2:", HS_CUTS_C, "(pt >= 2)", NULL, 0);
    check_export("Rm::1e-300", HS_CUTS_ROOT, "m<1e-300", NULL, 0);
    check_export("Rx::", HS_CUTS_SQL, "\"x\" IS NOT NULL", NULL, 0);
    check_export("Rx::", HS_CUTS_C, "(x == x)", NULL, 0);
    check_export("Rx::", HS_CUTS_ROOT, "x==x", NULL, 0);
    check_export("Ra\"b:0.1:", HS_CUTS_SQL, "\"a\"\"b\" >= 0.1", NULL, 0);
    check_export("Rp T:1:", HS_CUTS_C, NULL,
                 "cut 1: column 'p T' is not a C identifier: rename it or derive a feature with "
                 "a plain name",
                 0);
    check_export("Rdouble:1:", HS_CUTS_C, NULL,
                 "cut 1: column 'double' is not a C identifier: rename it or derive a feature "
                 "with a plain name",
                 0);
    check_export("Rp T:1:", HS_CUTS_ROOT, "p T>=1", NULL, 0);

    /* Several cuts; numbers round-trip exactly. */
    assert_int_equal(hs_cutset_add_range(&cs, "a", 0.1 + 0.2, HUGE_VAL, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_range(&cs, "b", -HUGE_VAL, -2.5e-7, NULL), HS_OK);
    assert_int_equal(hs_cutset_add_expr(&cs, "c < 3", NULL), HS_OK);
    assert_int_equal(hs_cutset_export(&cs, HS_CUTS_SQL, &out, NULL), HS_OK);
    assert_string_equal(out, "\"a\" >= 0.30000000000000004 AND \"b\" < -2.5e-07 AND (\"c\" < 3.0)");
    assert_true(strtod("0.30000000000000004", NULL) == 0.1 + 0.2);
    hs_free(out);
    assert_int_equal(hs_cutset_export(&cs, HS_CUTS_C, &out, NULL), HS_OK);
    assert_string_equal(out, "(a >= 0.30000000000000004 && b < -2.5e-07 && (c < 3.0))");
    hs_free(out);
    assert_int_equal(hs_cutset_export(&cs, HS_CUTS_ROOT, &out, NULL), HS_OK);
    assert_string_equal(out, "a>=0.30000000000000004&&b<-2.5e-07&&(c < 3)");
    hs_free(out);
    hs_cutset_release(&cs);
    /* No cut keeps everything. */
    assert_int_equal(hs_cutset_export(&cs, HS_CUTS_SQL, &out, NULL), HS_OK);
    assert_string_equal(out, "1");
    hs_free(out);
    assert_int_equal(hs_cuts_lang_parse("sql"), HS_CUTS_SQL);
    assert_int_equal(hs_cuts_lang_parse("c"), HS_CUTS_C);
    assert_int_equal(hs_cuts_lang_parse("root"), HS_CUTS_ROOT);
    assert_int_equal(hs_cuts_lang_parse("SQL"), -1);
}

static void
test_export_exprs(void **state)
{
    (void)state;
    check_export("m_mumu < 4 && doca < 0.05", HS_CUTS_SQL,
                 "((\"m_mumu\" < 4.0) AND (\"doca\" < 0.05))", NULL, 0);
    check_export("m_mumu < 4 && doca < 0.05", HS_CUTS_C, "((m_mumu < 4.0) && (doca < 0.05))",
                 NULL, 0);
    check_export("m_mumu < 4 && doca < 0.05", HS_CUTS_ROOT, "((m_mumu < 4) && (doca < 0.05))",
                 NULL, 0);
    /* NaN: a number as a truth value, !, != and NOT keep their meaning. */
    check_export("!x", HS_CUTS_SQL, "(NOT COALESCE(\"x\", 0))", NULL, 0);
    check_export("!x", HS_CUTS_C, "(!(x < 0 || x > 0))", NULL, 0);
    check_export("!(x < 1)", HS_CUTS_C, "(!(x < 1.0))", NULL, 0);
    check_export("x", HS_CUTS_C, "(x < 0 || x > 0)", NULL, 0);
    check_export("x != 3/2", HS_CUTS_C, "(x < (3.0 / 2.0) || x > (3.0 / 2.0))", NULL, 0);
    check_export("x != 3/2", HS_CUTS_SQL, "(\"x\" <> (3.0 / 2.0))", NULL, 0);
    check_export("(x < 1) + 1 > 1", HS_CUTS_SQL, "((COALESCE((\"x\" < 1.0), 0) + 1.0) > 1.0)",
                 NULL, 0);
    /* Powers bind tighter than a unary minus on their left. */
    check_export("-x^2 < 2^-1", HS_CUTS_C, "((-pow(x, 2.0)) < pow(2.0, (-1.0)))", NULL, 0);
    check_export("2^3^2 > x", HS_CUTS_SQL, "(pow(2.0, pow(3.0, 2.0)) > \"x\")", NULL, 0);
    check_export("log(x) > abs(y)", HS_CUTS_SQL, "(ln(\"x\") > abs(\"y\"))", NULL, 0);
    check_export("log(x) > abs(y)", HS_CUTS_C, "(log(x) > fabs(y))", NULL, 0);
    check_export("log(x) > abs(y)", HS_CUTS_ROOT, "(log(x) > TMath::Abs(y))", NULL, 0);
    check_export("min(a, b) > 1", HS_CUTS_C, "((a < b || a != a ? a : b) > 1.0)", NULL, 0);
    check_export("max(a, b, c) > 1", HS_CUTS_SQL, "(max(\"a\", \"b\", \"c\") > 1.0)", NULL, 0);
    check_export("max(a, b) > 1", HS_CUTS_ROOT, "(TMath::Max(a, b) > 1)", NULL, 0);
    check_export("pt(px, py) > 1", HS_CUTS_C, "(sqrt(px * px + py * py) > 1.0)", NULL, 0);
    check_export("phi(px, py) > 0", HS_CUTS_ROOT, "(atan2(py, px) > 0)", NULL, 0);
    check_export("`p T` > 1", HS_CUTS_SQL, "(\"p T\" > 1.0)", NULL, 0);
    check_export("type == \"E'B\"", HS_CUTS_SQL, "(\"type\" = 'E''B')", NULL, 0);
    check_export("type != \"E\\\"B\"", HS_CUTS_ROOT, "(type != \"E\\\"B\")", NULL, 0);
    check_export("1e999 > x", HS_CUTS_C, "(HUGE_VAL > x)", NULL, 0);
    /* Errors, located. */
    check_export("mass(a,b,c,d,e,f,g,h) > 3", HS_CUTS_SQL, NULL,
                 "cut 1: function 'mass' has no SQL equivalent: derive it as a feature first", 1);
    check_export("x > 1 && eta(a,b,c) > 3", HS_CUTS_C, NULL,
                 "cut 1: function 'eta' has no C equivalent: derive it as a feature first", 10);
    check_export("pt(a, b) > 3", HS_CUTS_SQL, NULL,
                 "cut 1: function 'pt' has no SQL equivalent: derive it as a feature first", 1);
    check_export("type == \"EB\"", HS_CUTS_C, NULL,
                 "cut 1: the string at 9 has no C equivalent: text columns are codes there", 9);
    check_export("a < b < c", HS_CUTS_SQL, NULL, "cut 1: comparisons do not chain at 7", 7);
    check_export("sqr(x) > 1", HS_CUTS_SQL, NULL, "cut 1: unknown function 'sqr' at 1", 1);
    check_export("sqrt(x, y) > 1", HS_CUTS_SQL, NULL,
                 "cut 1: function 'sqrt' at 1 takes 1 argument", 1);
    check_export("min(x) > 1", HS_CUTS_C, NULL,
                 "cut 1: function 'min' at 1 takes at least 2 arguments", 1);
    check_export("(x > 1", HS_CUTS_C, NULL, "cut 1: unclosed '(' at 1", 1);
    check_export("x > 1 )", HS_CUTS_C, NULL, "cut 1: unexpected ')' at 7", 7);
}

static void
test_alloc_failures(void **state)
{
    struct hs_table *t = make_table(3000, 1, 8);
    struct hs_featureset fs;
    struct hs_cutset ref = {0};
    int done = 0;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    for (long k = 0; k < 200 && !done; k++) {
        struct hs_cutset cs = {0}, cp = {0};
        struct hs_cuts_bound *b = NULL;
        struct hs_flow flow = {0};
        struct hs_err err;
        int rc;

        hs_mem_fail_after(k);
        rc = hs_cutset_add_range_spec(&cs, "x:1:3", &err);
        if (!rc)
            rc = hs_cutset_add_expr(&cs, "y < 2", &err);
        if (!rc)
            rc = hs_cutset_copy(&cp, &cs, &err);
        if (!rc)
            rc = hs_cuts_bind(&fs, &cp, &b, NULL, &err);
        if (!rc)
            rc = hs_cuts_flow(b, NULL, &flow, NULL, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK)
            done = 1;
        else
            assert_int_equal(rc, HS_ENOMEM);
        hs_flow_release(&flow);
        hs_cuts_bound_free(b);
        hs_cutset_release(&cp);
        hs_cutset_release(&cs);
    }
    assert_true(done);
    hs_cutset_release(&ref);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range_spec),
        cmocka_unit_test(test_range_spec_locale),
        cmocka_unit_test(test_describe_copy),
        cmocka_unit_test(test_bind_errors),
        cmocka_unit_test(test_unlabelled),
        cmocka_unit_test(test_flow_brute),
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_threads_and_timing),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_export_ranges),
        cmocka_unit_test(test_export_exprs),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

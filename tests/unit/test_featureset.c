/* Unit tests of the feature set (src/featureset.c): raw, derived and
 * learned features, toggles, dependencies, caching, cycles and errors. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "featureset.h"
#include "mem.h"

/* x = 0..n-1, y = 2x, Truth alternating, type text "a"/"b". */
static struct hs_table *
make_table(size_t n)
{
    struct hs_table *t = hs_table_new();
    size_t ix, iy, it, ik;

    assert_int_equal(hs_table_add_column(t, "x", HS_COL_NUMBER, &ix, NULL), HS_OK);
    assert_int_equal(hs_table_add_column(t, "y", HS_COL_NUMBER, &iy, NULL), HS_OK);
    assert_int_equal(hs_table_add_column(t, "kind", HS_COL_TEXT, &ik, NULL), HS_OK);
    assert_int_equal(hs_table_add_column(t, "Truth", HS_COL_NUMBER, &it, NULL), HS_OK);
    assert_int_equal(hs_table_resize(t, n), HS_OK);
    for (size_t i = 0; i < n; i++) {
        t->cols[ix].v[i] = (double)i;
        t->cols[iy].v[i] = 2.0 * (double)i;
        t->cols[it].v[i] = (double)(i % 2);
        assert_int_equal(hs_column_intern(&t->cols[ik], i % 2 ? "b" : "a", 1, &t->cols[ik].v[i]),
                         HS_OK);
    }
    assert_int_equal(hs_table_set_label(t, "Truth", NULL, NULL), HS_OK);
    return t;
}

static void
test_raw_features(void **state)
{
    struct hs_table *t = make_table(10);
    struct hs_featureset fs;
    const double *v;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    /* x and y; not the text column, the label source or _label. */
    assert_int_equal(fs.n, 2);
    assert_string_equal(fs.f[0].name, "x");
    assert_string_equal(fs.f[1].name, "y");
    assert_int_equal(hs_featureset_values(&fs, 1, &v, NULL, NULL), HS_OK);
    assert_ptr_equal(v, t->cols[1].v);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

static void
test_derived_chain(void **state)
{
    struct hs_table *t = make_table(5000);
    struct hs_featureset fs;
    struct hs_err err;
    const double *v, *again;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "s", "x + y", true, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "r", "s / 3 + (kind == \"b\")", true, &err), HS_OK);
    assert_int_equal(hs_featureset_values(&fs, 3, &v, NULL, &err), HS_OK);
    for (size_t i = 0; i < 5000; i++)
        assert_true(fabs(v[i] - ((double)i + (i % 2 ? 1.0 : 0.0))) < 1e-9);
    /* Cached: the same array comes back. */
    assert_int_equal(hs_featureset_values(&fs, 3, &again, NULL, &err), HS_OK);
    assert_ptr_equal(v, again);
    /* s is used by r: it cannot go first. */
    assert_int_equal(hs_featureset_drop(&fs, "s", &err), HS_EUSAGE);
    assert_string_equal(err.msg, "feature 's' is used by feature 'r': drop that first");
    assert_int_equal(hs_featureset_drop(&fs, "r", &err), HS_OK);
    assert_int_equal(hs_featureset_drop(&fs, "s", &err), HS_OK);
    assert_int_equal(hs_featureset_drop(&fs, "x", &err), HS_EUSAGE);
    assert_int_equal(fs.n, 2);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

static void
test_errors(void **state)
{
    struct hs_table *t = make_table(3);
    struct hs_featureset fs;
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "m", "sqrt(xx) + 1", true, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "feature 'm': column 'xx' not found at 6"));
    assert_int_equal(err.col, 6);
    assert_int_equal(hs_featureset_add(&fs, "y", "x", true, &err), HS_EEXIST);
    assert_int_equal(hs_featureset_add(&fs, "_label", "x", true, &err), HS_EEXIST);
    assert_int_equal(hs_featureset_add(&fs, "2x", "x", true, &err), HS_EUSAGE);
    /* hepscope's own columns cannot be read by a feature. */
    assert_int_equal(hs_featureset_add(&fs, "l", "_label", true, &err), HS_ENOTFOUND);
    assert_int_equal(hs_featureset_set_on(&fs, "yy", false, &err), HS_ENOTFOUND);
    assert_string_equal(err.msg, "no feature 'yy' (did you mean 'y'?)");
    assert_int_equal(hs_featureset_set_on(&fs, "y", false, &err), HS_OK);
    assert_false(fs.f[1].on);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

static void
test_alloc_failures(void **state)
{
    struct hs_table *t = make_table(100);

    (void)state;
    for (long n = 0; n < 60; n++) {
        struct hs_featureset fs;
        const double *v;
        int rc;

        hs_mem_fail_after(n);
        rc = hs_featureset_init(&fs, t, NULL);
        if (!rc) {
            rc = hs_featureset_add(&fs, "s", "x * y", true, NULL);
            if (!rc)
                rc = hs_featureset_values(&fs, 2, &v, NULL, NULL);
            hs_featureset_release(&fs);
        }
        hs_mem_fail_after(-1);
        assert_true(rc == HS_OK || rc == HS_ENOMEM);
    }
    hs_table_free(t);
}


/* ---- learned features ---- */

/* A learned source for the tests: k times the feature or column `in`,
 * counting its computations. */
struct times {
    const char *in;
    double k;
    int calls;
    bool *freed;
};

static int
times_compute(void *user, struct hs_featureset *fs, double *out, const struct hs_task *task,
              struct hs_err *err)
{
    struct times *tm = user;
    const double *v;
    int rc = hs_featureset_values_by_name(fs, tm->in, &v, task, err);

    tm->calls++;
    if (rc)
        return rc;
    for (size_t i = 0; i < fs->t->nrows; i++)
        out[i] = tm->k * v[i];
    return HS_OK;
}

static size_t
times_reads(const void *user, const char *const **names)
{
    const struct times *tm = user;

    *names = &tm->in;
    return 1;
}

static void
times_free(void *user)
{
    struct times *tm = user;

    if (tm->freed)
        *tm->freed = true;
    hs_free(tm);
}

static const struct hs_learned_source times_source = {
    .kind = "model",
    .compute = times_compute,
    .reads = times_reads,
    .free = times_free,
};

static struct times *
times_new(const char *in, double k, bool *freed)
{
    struct times *tm = hs_calloc(1, sizeof *tm);

    if (tm) {
        tm->in = in;
        tm->k = k;
        tm->freed = freed;
    }
    return tm;
}

/* A source that says where its column comes from: from tm->in, as "the
 * fit of 'IN'", or nothing when in is "" (then the kind speaks). */
static void
times_origin(const void *user, char *buf, size_t size)
{
    const struct times *tm = user;

    if (tm->in[0])
        snprintf(buf, size, "the fit of '%s'", tm->in);
}

static const struct hs_learned_source told_source = {
    .kind = "output",
    .compute = times_compute,
    .reads = times_reads,
    .free = times_free,
    .origin = times_origin,
};

/* Every message about a learned column says what made it, in the
 * source's words when it has them, else by its kind. */
static void
test_learned_origin(void **state)
{
    struct hs_table *t = make_table(10);
    struct hs_featureset fs;
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_featureset_add_learned(&fs, "p_1", &told_source, times_new("x", 1, NULL),
                                               &err),
                     HS_OK);
    assert_int_equal(hs_featureset_add_learned(&fs, "q", &told_source, times_new("", 1, NULL),
                                               &err),
                     HS_OK);
    assert_int_equal(hs_featureset_add_learned(&fs, "m", &times_source, times_new("x", 1, NULL),
                                               &err),
                     HS_OK);

    assert_int_equal(hs_featureset_add(&fs, "d", "p_1 * 2", true, &err), HS_EUSAGE);
    assert_string_equal(err.msg, "feature 'd': 'p_1' is a learned column (the fit of 'x'); "
                                 "derived features take only raw columns and other derived "
                                 "features");
    assert_int_equal(hs_featureset_set_on(&fs, "p_1", true, &err), HS_EUSAGE);
    assert_string_equal(err.msg, "feature 'p_1' is a learned column (the fit of 'x'): it is never "
                                 "a default input; name it in --features");
    assert_int_equal(hs_featureset_add(&fs, "p_1", "x", true, &err), HS_EEXIST);
    assert_string_equal(err.msg,
                        "feature 'p_1': the name is taken by a learned column (the fit of 'x')");
    /* No words from the source: its kind. */
    assert_int_equal(hs_featureset_add(&fs, "d", "q + 1", true, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "'q' is a learned column (a projection's or a clustering's "
                                    "output)"));
    assert_int_equal(hs_featureset_add(&fs, "m", "x", true, &err), HS_EEXIST);
    assert_string_equal(err.msg, "feature 'm': the name is taken by a learned column (a model's "
                                 "score)");
    /* A raw column's name: taken, nothing learned about it. */
    assert_int_equal(hs_featureset_add(&fs, "x", "y", true, &err), HS_EEXIST);
    assert_string_equal(err.msg, "feature 'x': the name is taken");
    assert_int_equal(hs_featureset_find(&fs, "d"), -1);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

/* Lazy, cached, never on, seen by compile, read by other learned ones. */
static void
test_learned(void **state)
{
    struct hs_table *t = make_table(50);
    struct hs_featureset fs;
    struct hs_expr *e = NULL;
    struct hs_err err;
    struct times *a = times_new("s", 10, NULL), *b = times_new("a", 2, NULL);
    const double *v, *v2;
    double out[50];
    long ia, ib;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "s", "x + y", true, &err), HS_OK);
    assert_int_equal(hs_featureset_add_learned(&fs, "a", &times_source, a, &err), HS_OK);
    assert_int_equal(hs_featureset_add_learned(&fs, "b", &times_source, b, &err), HS_OK);
    ia = hs_featureset_find(&fs, "a");
    ib = hs_featureset_find(&fs, "b");
    assert_true(fs.f[ia].kind == HS_FEATURE_LEARNED && !fs.f[ia].on);
    assert_string_equal(hs_feature_kind_name(fs.f[ia].kind), "learned");
    assert_true(hs_feature_listed(&fs.f[ia]));
    assert_int_equal(a->calls, 0);
    /* b reads a, which is computed on the way, once. */
    assert_int_equal(hs_featureset_values(&fs, (size_t)ib, &v, NULL, &err), HS_OK);
    assert_int_equal(a->calls, 1);
    assert_int_equal(b->calls, 1);
    assert_true(fabs(v[7] - 2 * 10 * 21.0) < 1e-12);
    assert_int_equal(hs_featureset_values(&fs, (size_t)ia, &v2, NULL, &err), HS_OK);
    assert_int_equal(a->calls, 1);
    assert_int_equal(fs.depth, 0);
    /* Expressions see learned features; compile and eval. */
    assert_int_equal(hs_featureset_compile(&fs, "a > 300 && b < 1000", &e, &err), HS_OK);
    assert_int_equal(hs_featureset_eval(&fs, e, out, NULL, NULL, &err), HS_OK);
    for (size_t i = 0; i < 50; i++)
        assert_true(out[i] == (30.0 * (double)i > 300 && 60.0 * (double)i < 1000 ? 1.0 : 0.0));
    hs_expr_free(e);
    /* forget: computed again when next asked. */
    hs_featureset_forget(&fs);
    assert_null(fs.f[ia].values);
    assert_int_equal(hs_featureset_values_by_name(&fs, "a", &v, NULL, &err), HS_OK);
    assert_int_equal(a->calls, 2);
    /* Never a default input, never dropped as a feature, never read by a
     * derived feature. */
    assert_int_equal(hs_featureset_set_on(&fs, "a", true, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "never a default input"));
    assert_int_equal(hs_featureset_set_on(&fs, "a", false, &err), HS_OK);
    assert_int_equal(hs_featureset_drop(&fs, "a", &err), HS_EUSAGE);
    assert_int_equal(hs_featureset_add(&fs, "d", "a * 2", true, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "'a' is a learned column"));
    assert_int_equal(hs_featureset_find(&fs, "d"), -1);
    /* s is read by a: not dropped. */
    assert_int_equal(hs_featureset_drop(&fs, "s", &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "used by feature 'a'"));
    /* Names: taken ones are refused, and the source freed. */
    {
        bool freed = false;
        assert_int_equal(hs_featureset_add_learned(&fs, "x", &times_source,
                                                   times_new("y", 1, &freed), &err),
                         HS_EEXIST);
        assert_true(freed);
    }
    hs_featureset_release(&fs);
    hs_table_free(t);
}

/* A cycle among learned features is an error naming it, and leaves the
 * set usable. */
static void
test_learned_cycle(void **state)
{
    struct hs_table *t = make_table(20);
    struct hs_featureset fs;
    struct hs_err err;
    const double *v;
    const char *in_c[] = {"c"}, *in_e[] = {"e"}, *in_x[] = {"x"};
    char chain[100];

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_featureset_add_learned(&fs, "c", &times_source, times_new("d", 1, NULL),
                                               &err), HS_OK);
    assert_int_equal(hs_featureset_add_learned(&fs, "d", &times_source, times_new("c", 1, NULL),
                                               &err), HS_OK);
    assert_int_equal(hs_featureset_add_learned(&fs, "e", &times_source, times_new("x", 1, NULL),
                                               &err), HS_OK);
    assert_int_equal(hs_featureset_values_by_name(&fs, "c", &v, NULL, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "cycle: c -> d -> c"));
    assert_int_equal(fs.depth, 0);
    assert_int_equal(fs.f[hs_featureset_find(&fs, "c")].busy, 0);
    assert_int_equal(hs_featureset_values_by_name(&fs, "d", &v, NULL, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "cycle: d -> c -> d"));
    assert_int_equal(hs_featureset_values_by_name(&fs, "e", &v, NULL, &err), HS_OK);
    assert_true(v[3] == 3.0);
    /* The static check a new model gets before training. */
    assert_true(hs_featureset_depends(&fs, (size_t)hs_featureset_find(&fs, "c"), "d", chain,
                                      sizeof chain));
    assert_string_equal(chain, "c -> d");
    assert_false(hs_featureset_depends(&fs, (size_t)hs_featureset_find(&fs, "e"), "c", NULL, 0));
    assert_int_equal(hs_featureset_check_learned(&fs, "d", in_c, 1, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "(c -> d)"));
    assert_int_equal(hs_featureset_check_learned(&fs, "e", in_e, 1, &err), HS_EUSAGE);
    assert_int_equal(hs_featureset_check_learned(&fs, "x", in_x, 1, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "choose another name"));
    assert_int_equal(hs_featureset_check_learned(&fs, "kind", NULL, 0, &err), HS_EUSAGE);
    assert_int_equal(hs_featureset_check_learned(&fs, "e", in_x, 1, &err), HS_OK);
    assert_int_equal(hs_featureset_check_learned(&fs, "z", in_e, 1, &err), HS_OK);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

/* Inputs by name and by expression, as a model takes them. */
static void
test_inputs(void **state)
{
    struct hs_table *t = make_table(20);
    struct hs_featureset fs;
    struct hs_inputs in;
    struct hs_err err;
    const char *names[] = {"x", "s", "t3", "nope"};
    const char *exprs[] = {NULL, "x + y", "x * 3", NULL};

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "s", "x + y", true, &err), HS_OK);
    assert_int_equal(hs_featureset_inputs(&fs, "model 'm'", 3, names, exprs, &in, NULL, &err),
                     HS_OK);
    assert_ptr_equal(in.cols[0], t->cols[0].v);
    assert_ptr_equal(in.cols[1], fs.f[hs_featureset_find(&fs, "s")].values); /* the cached one */
    assert_null(in.owned[1]);
    assert_non_null(in.owned[2]);
    assert_true(in.cols[2][5] == 15.0);
    hs_inputs_release(&in);
    assert_int_equal(hs_featureset_inputs(&fs, "model 'm'", 4, names, exprs, &in, NULL, &err),
                     HS_ENOTFOUND);
    assert_string_equal(err.msg, "model 'm' needs input 'nope', which the dataset does not have");
    assert_null(in.cols);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

static void
test_learned_alloc_failures(void **state)
{
    struct hs_table *t = make_table(100);
    const char *names[] = {"b", "t3"};
    const char *exprs[] = {NULL, "x * 3"};

    (void)state;
    for (long n = 0; n < 80; n++) {
        struct hs_featureset fs;
        struct hs_inputs in;
        struct hs_expr *e = NULL;
        double out[100];
        const double *v;
        int rc;

        hs_mem_fail_after(n);
        rc = hs_featureset_init(&fs, t, NULL);
        if (!rc) {
            struct times *a = times_new("x", 2, NULL), *b = a ? times_new("a", 2, NULL) : NULL;
            rc = a ? hs_featureset_add_learned(&fs, "a", &times_source, a, NULL) : HS_ENOMEM;
            if (!b)
                rc = HS_ENOMEM;
            else if (!rc)
                rc = hs_featureset_add_learned(&fs, "b", &times_source, b, NULL);
            else
                hs_free(b);
            if (!rc)
                rc = hs_featureset_values_by_name(&fs, "b", &v, NULL, NULL);
            if (!rc)
                rc = hs_featureset_compile(&fs, "a + b > 7", &e, NULL);
            if (!rc)
                rc = hs_featureset_eval(&fs, e, out, NULL, NULL, NULL);
            hs_expr_free(e);
            if (!rc && (rc = hs_featureset_inputs(&fs, "m", 2, names, exprs, &in, NULL,
                                                  NULL)) == HS_OK) {
                assert_true(in.cols[0][3] == 12.0 && in.cols[1][3] == 9.0);
                hs_inputs_release(&in);
            }
            hs_featureset_release(&fs);
        }
        hs_mem_fail_after(-1);
        assert_true(rc == HS_OK || rc == HS_ENOMEM);
    }
    hs_table_free(t);
}

/* Cuts and scores reach every column and feature, on or off, by name. */
static void
test_any_name(void **state)
{
    struct hs_table *t = make_table(100);
    struct hs_featureset fs;
    struct hs_expr *e = NULL;
    struct hs_expr_stats st;
    struct hs_err err;
    const double *v;
    double out[100];

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "s", "x + y", false, &err), HS_OK);
    assert_int_equal(hs_featureset_set_on(&fs, "x", false, &err), HS_OK);
    /* An off raw feature, an off derived one, the label source, a text column. */
    assert_int_equal(hs_featureset_values_by_name(&fs, "x", &v, NULL, &err), HS_OK);
    assert_true(v[7] == 7.0);
    assert_int_equal(hs_featureset_values_by_name(&fs, "s", &v, NULL, &err), HS_OK);
    assert_true(v[7] == 21.0);
    assert_int_equal(hs_featureset_values_by_name(&fs, "Truth", &v, NULL, &err), HS_OK);
    assert_true(v[7] == 1.0);
    assert_int_equal(hs_featureset_values_by_name(&fs, "kind", &v, NULL, &err), HS_OK);
    /* hepscope's own columns are not reachable, and misses suggest. */
    assert_int_equal(hs_featureset_values_by_name(&fs, "_label", &v, NULL, &err), HS_ENOTFOUND);
    assert_int_equal(hs_featureset_values_by_name(&fs, "xx", &v, NULL, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "did you mean"));

    assert_int_equal(hs_featureset_compile(&fs, "s > 30 && kind == \"b\"", &e, &err), HS_OK);
    assert_int_equal(hs_featureset_eval(&fs, e, out, &st, NULL, &err), HS_OK);
    for (size_t i = 0; i < 100; i++)
        assert_true(out[i] == (3.0 * (double)i > 30 && i % 2 ? 1.0 : 0.0));
    assert_int_equal(st.nrows, 100);
    hs_expr_free(e);
    e = NULL;
    assert_int_equal(hs_featureset_compile(&fs, "_label > 0", &e, &err), HS_ENOTFOUND);
    assert_null(e);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

/* Wide: 1,000 columns and 10,000 derived features, each reading three
 * names from anywhere in the scope (the load path of a big session: the
 * names are indexed, so this is linear); then the index kept right
 * through a learned feature, a derived one added after it (ahead of it in
 * the scope), a drop and an allocation failure at every step of an add. */
static void
test_wide(void **state)
{
    enum { NC = 1000, NF = 10000, NR = 4 };
    struct hs_table *t = hs_table_new();
    struct hs_featureset fs;
    struct hs_err err;
    struct hs_expr *e = NULL;
    const double *v;
    char name[32], expr[96];
    double out[NR];

    (void)state;
    for (size_t j = 0; j < NC; j++) {
        size_t c;
        snprintf(name, sizeof name, "c%zu", j);
        assert_int_equal(hs_table_add_column(t, name, HS_COL_NUMBER, &c, NULL), HS_OK);
    }
    assert_int_equal(hs_table_resize(t, NR), HS_OK);
    for (size_t j = 0; j < NC; j++)
        for (size_t i = 0; i < NR; i++)
            t->cols[j].v[i] = (double)(j + i);
    assert_int_equal(hs_featureset_init(&fs, t, &err), HS_OK);
    for (size_t k = 0; k < NF; k++) {
        snprintf(name, sizeof name, "f%zu", k);
        if (k == 0)
            snprintf(expr, sizeof expr, "c%zu + c%zu", k % NC, (k * 7) % NC);
        else
            snprintf(expr, sizeof expr, "c%zu + c%zu + f%zu", k % NC, (k * 7) % NC, k / 2);
        assert_int_equal(hs_featureset_add(&fs, name, expr, true, &err), HS_OK);
    }
    assert_int_equal(fs.n, NC + NF);
    assert_int_equal(hs_featureset_find(&fs, "c999"), 999);
    assert_int_equal(hs_featureset_find(&fs, "f9999"), NC + 9999);
    assert_int_equal(hs_featureset_find(&fs, "f10000"), -1);
    assert_int_equal(hs_featureset_add(&fs, "f17", "c1", true, &err), HS_EEXIST);
    assert_int_equal(hs_featureset_add(&fs, "c17", "c1", true, &err), HS_EEXIST);
    /* f1 = c1 + c7 + f0, f0 = c0 + c0: row 0 is 1 + 7 + 0. */
    assert_int_equal(hs_featureset_values(&fs, NC + 1, &v, NULL, &err), HS_OK);
    assert_true(fabs(v[0] - 8.0) < 1e-12);

    /* A learned feature, then a derived one: it goes before the learned
     * in the scope, and what was compiled before still reads right. */
    assert_int_equal(hs_featureset_add_learned(&fs, "m", &times_source, times_new("f1", 10, NULL),
                                               &err),
                     HS_OK);
    assert_int_equal(hs_featureset_compile(&fs, "m + f9999 * 0", &e, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "g", "f1 * 2", true, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "h", "m", true, &err), HS_EUSAGE);
    assert_int_equal(hs_featureset_find(&fs, "g"), NC + NF + 1);
    assert_int_equal(hs_featureset_values(&fs, NC + NF + 1, &v, NULL, &err), HS_OK);
    assert_true(fabs(v[0] - 16.0) < 1e-12);
    hs_expr_free(e);
    e = NULL;
    assert_int_equal(hs_featureset_compile(&fs, "m - g * 5", &e, &err), HS_OK);
    assert_int_equal(hs_featureset_eval(&fs, e, out, NULL, NULL, &err), HS_OK);
    assert_true(fabs(out[0]) < 1e-12);
    hs_expr_free(e);

    /* A drop renumbers the features after it. */
    assert_int_equal(hs_featureset_drop(&fs, "f9999", &err), HS_OK);
    assert_int_equal(hs_featureset_find(&fs, "f9999"), -1);
    assert_int_equal(hs_featureset_find(&fs, "g"), NC + NF);
    assert_int_equal(hs_featureset_add(&fs, "f9999", "g + 1", true, &err), HS_OK);
    assert_int_equal(hs_featureset_values_by_name(&fs, "f9999", &v, NULL, &err), HS_OK);
    assert_true(fabs(v[0] - 17.0) < 1e-12);

    /* Allocation failures while the index grows: a clean error, and the
     * set still finds and adds. */
    for (long n = 0; n < 12; n++) {
        int rc;
        snprintf(name, sizeof name, "z%ld", n);
        hs_mem_fail_after(n);
        rc = hs_featureset_add(&fs, name, "c3 + g", true, NULL);
        hs_mem_fail_after(-1);
        assert_true(rc == HS_OK || rc == HS_ENOMEM);
        assert_int_equal(hs_featureset_find(&fs, name) >= 0, rc == HS_OK);
        assert_int_equal(hs_featureset_find(&fs, "g"), NC + NF);
    }
    assert_int_equal(hs_featureset_add(&fs, "last", "g + c999", true, &err), HS_OK);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

/* A sample of the rows: a derived feature (reading another, not yet
 * computed) evaluated on those rows only equals its full values there;
 * raw ones are gathered. */
static void
test_sample(void **state)
{
    struct hs_table *t = make_table(40);
    struct hs_featureset fs;
    struct hs_featureset ref;
    struct hs_err err;
    const size_t rows[] = {39, 0, 7, 7, 21};
    double out[5];
    const double *v;

    (void)state;
    assert_int_equal(hs_featureset_init(&fs, t, NULL), HS_OK);
    assert_int_equal(hs_featureset_init(&ref, t, NULL), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "s", "x + y", true, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "u", "sqrt(s) * x - 1", true, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&ref, "s", "x + y", true, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&ref, "u", "sqrt(s) * x - 1", true, &err), HS_OK);
    assert_int_equal(hs_featureset_sample(&fs, 3, rows, 5, out, NULL, &err), HS_OK);
    assert_null(fs.f[3].values); /* u itself is not computed whole */
    assert_int_equal(hs_featureset_values(&ref, 3, &v, NULL, &err), HS_OK);
    for (size_t i = 0; i < 5; i++)
        assert_true(fabs(out[i] - v[rows[i]]) <= 1e-12 * (1 + fabs(v[rows[i]])));
    assert_int_equal(hs_featureset_sample(&fs, 1, rows, 5, out, NULL, &err), HS_OK);
    assert_true(fabs(out[0] - 78.0) < 1e-12); /* y = 2x at row 39 */
    hs_featureset_release(&fs);
    hs_featureset_release(&ref);
    hs_table_free(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_features),
        cmocka_unit_test(test_derived_chain),
        cmocka_unit_test(test_any_name),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_learned),
        cmocka_unit_test(test_learned_origin),
        cmocka_unit_test(test_learned_cycle),
        cmocka_unit_test(test_inputs),
        cmocka_unit_test(test_learned_alloc_failures),
        cmocka_unit_test(test_wide),
        cmocka_unit_test(test_sample),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

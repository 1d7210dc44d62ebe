/* Unit tests of TreeSHAP (src/treeshap.c): on random forests, local
 * accuracy (base plus the attributions equal the raw score of forest.c's
 * walk) and agreement to 1e-12 with Shapley values computed here by brute
 * force: every subset of inputs enumerated, each subset's value the
 * expected raw score with the other inputs unknown (both branches of a
 * node testing one, weighted by the children's share of its cover);
 * missing inputs, repeated splits on one input, single-leaf trees, the
 * same bits on one thread and two, cancel; and a forest trained by
 * XGBoost (when python3-xgboost is there), loaded from its
 * trees_to_dataframe() table, against its own pred_contribs. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_util.h"

#include "forest.h"
#include "mem.h"
#include "par.h"
#include "treeshap.h"

#define MAXNODES 512

/* A random tree of depth at most maxdepth over nin inputs; thresholds
 * from a small grid so that ties and repeated inputs occur.  With
 * sum_cover the inner covers are their children's sums (a trained
 * tree's), otherwise arbitrary positive numbers (the definition holds
 * for any weights). */
static size_t
grow(struct hs_forest_node *nd, size_t *n, size_t depth, size_t maxdepth, size_t nin,
     bool sum_cover, uint64_t *s)
{
    size_t me = (*n)++;
    memset(&nd[me], 0, sizeof nd[me]);
    if (depth == maxdepth || (depth > 0 && tu_unit(tu_splitmix(s)) < 0.25)) {
        nd[me].feature = -1;
        nd[me].value = tu_unit(tu_splitmix(s)) * 4 - 2;
        nd[me].cover = 0.5 + tu_unit(tu_splitmix(s)) * 10;
        return me;
    }
    nd[me].feature = (int32_t)(tu_splitmix(s) % nin);
    nd[me].threshold = (double)(tu_splitmix(s) % 5) / 4.0;
    nd[me].missing_left = tu_splitmix(s) & 1;
    nd[me].gain = tu_unit(tu_splitmix(s));
    size_t l = grow(nd, n, depth + 1, maxdepth, nin, sum_cover, s);
    size_t r = grow(nd, n, depth + 1, maxdepth, nin, sum_cover, s);
    nd[me].left = (uint32_t)l;
    nd[me].right = (uint32_t)r;
    nd[me].cover = sum_cover ? nd[l].cover + nd[r].cover : 0.5 + tu_unit(tu_splitmix(s)) * 20;
    return me;
}

static struct hs_forest *
random_forest(size_t nin, size_t ntrees, size_t maxdepth, bool sum_cover, uint64_t seed)
{
    struct hs_err err = {0};
    uint64_t s = seed;
    struct hs_forest *f = hs_forest_new(nin, tu_unit(tu_splitmix(&s)) - 0.5);
    assert_non_null(f);
    for (size_t t = 0; t < ntrees; t++) {
        struct hs_forest_node nd[MAXNODES];
        size_t n = 0;
        grow(nd, &n, 0, maxdepth, nin, sum_cover, &s);
        assert_int_equal(hs_forest_add_tree(f, nd, n, &err), HS_OK);
    }
    return f;
}

/* The value of subset S (bit i: input i known) for event x in one tree. */
static double
cond_exp(const struct hs_forest_node *nd, size_t i, const double *x, unsigned S)
{
    if (nd[i].feature < 0)
        return nd[i].value;
    int f = nd[i].feature;
    if (S >> f & 1) {
        bool left = isnan(x[f]) ? nd[i].missing_left : x[f] < nd[i].threshold;
        return cond_exp(nd, left ? nd[i].left : nd[i].right, x, S);
    }
    double c = nd[i].cover;
    return nd[nd[i].left].cover / c * cond_exp(nd, nd[i].left, x, S) +
           nd[nd[i].right].cover / c * cond_exp(nd, nd[i].right, x, S);
}

static double
value(const struct hs_forest *f, const double *x, unsigned S)
{
    double v = f->base;
    for (size_t t = 0; t < f->ntrees; t++)
        v += cond_exp(f->nodes + f->start[t], 0, x, S);
    return v;
}

/* Shapley's formula over all 2^(M-1) subsets without input i. */
static void
brute_shap(const struct hs_forest *f, const double *x, double *phi, double *base)
{
    size_t M = f->nin;
    double fact[16] = {1};
    for (size_t k = 1; k < 16; k++)
        fact[k] = fact[k - 1] * (double)k;
    for (size_t i = 0; i < M; i++) {
        phi[i] = 0;
        for (unsigned S = 0; S < 1u << M; S++) {
            if (S >> i & 1)
                continue;
            size_t k = (size_t)__builtin_popcount(S);
            double w = fact[k] * fact[M - k - 1] / fact[M];
            phi[i] += w * (value(f, x, S | 1u << i) - value(f, x, S));
        }
    }
    *base = value(f, x, 0);
}

/* Events from the thresholds' grid (ties with them) and off it, some NaN. */
static void
random_events(double **cols, size_t nin, size_t n, uint64_t seed)
{
    uint64_t s = seed;
    for (size_t e = 0; e < n; e++)
        for (size_t i = 0; i < nin; i++) {
            uint64_t r = tu_splitmix(&s) % 10;
            cols[i][e] = r == 0 ? NAN : r < 4 ? (double)(r) / 4.0 : tu_unit(tu_splitmix(&s)) * 1.4 - 0.2;
        }
}

static void
check_against_brute(size_t nin, size_t ntrees, size_t depth, bool sum_cover, uint64_t seed)
{
    struct hs_err err = {0};
    struct hs_forest *f = random_forest(nin, ntrees, depth, sum_cover, seed);
    size_t n = 40;
    double *cols[8], phi[40 * 8], want[8], row[8], wbase;
    for (size_t i = 0; i < nin; i++)
        cols[i] = malloc(n * sizeof *cols[i]);
    random_events(cols, nin, n, seed * 7 + 1);
    assert_int_equal(hs_treeshap(f, (const double *const *)cols, NULL, n, phi, 1, NULL, &err),
                     HS_OK);
    double base = hs_treeshap_base(f);
    for (size_t e = 0; e < n; e++) {
        for (size_t i = 0; i < nin; i++)
            row[i] = cols[i][e];
        brute_shap(f, row, want, &wbase);
        assert_true(fabs(base - wbase) <= 1e-12 * (1 + fabs(wbase)));
        double sum = base;
        for (size_t i = 0; i < nin; i++) {
            if (!(fabs(phi[e * nin + i] - want[i]) <= 1e-12)) {
                fprintf(stderr, "seed %llu event %zu input %zu: treeshap %.17g brute %.17g\n",
                        (unsigned long long)seed, e, i, phi[e * nin + i], want[i]);
                fail();
            }
            sum += phi[e * nin + i];
        }
        double raw = hs_forest_raw_row(f, row);
        assert_true(fabs(sum - raw) <= 1e-12 * (1 + fabs(raw)));
    }
    for (size_t i = 0; i < nin; i++)
        free(cols[i]);
    hs_forest_free(f);
}

static void
test_brute_small(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 60; seed++)
        check_against_brute(1 + seed % 5, 1 + seed % 3, 1 + seed % 4, seed & 1, seed);
}

static void
test_brute_deep(void **state)
{
    (void)state;
    /* depth 6 over 3 inputs: every path splits on some input several times */
    for (uint64_t seed = 100; seed < 110; seed++)
        check_against_brute(3, 2, 6, seed & 1, seed);
    /* and over 6 inputs */
    for (uint64_t seed = 200; seed < 206; seed++)
        check_against_brute(6, 3, 5, true, seed);
}

/* A forest of one split by hand: the closed form of a stump.  x0 < 0.5
 * ? 1 : 3, covers 1 and 3: the mean is 2.5, phi is f(x) - 2.5. */
static void
test_stump_and_leaf(void **state)
{
    (void)state;
    struct hs_err err = {0};
    const struct hs_forest_node stump[] = {
        {.feature = 0, .left = 1, .right = 2, .threshold = 0.5, .cover = 4, .gain = 1},
        {.feature = -1, .value = 1, .cover = 1},
        {.feature = -1, .value = 3, .cover = 3},
    };
    const struct hs_forest_node leaf[] = {{.feature = -1, .value = 0.75, .cover = 4}};
    struct hs_forest *f = hs_forest_new(2, 0.25);
    assert_int_equal(hs_forest_add_tree(f, stump, 3, &err), HS_OK);
    assert_int_equal(hs_forest_add_tree(f, leaf, 1, &err), HS_OK);
    double x0[] = {0, 1, NAN}, x1[] = {5, 5, 5};
    const double *cols[] = {x0, x1};
    double phi[6];
    assert_true(hs_treeshap_base(f) == 0.25 + 2.5 + 0.75);
    assert_int_equal(hs_treeshap(f, cols, NULL, 3, phi, 1, NULL, &err), HS_OK);
    assert_true(phi[0] == 1 - 2.5 && phi[1] == 0);
    assert_true(phi[2] == 3 - 2.5 && phi[3] == 0);
    assert_true(phi[4] == 3 - 2.5 && phi[5] == 0); /* NaN goes right */
    /* rows picks the events */
    size_t rows[] = {2, 0};
    assert_int_equal(hs_treeshap(f, cols, rows, 2, phi, 1, NULL, &err), HS_OK);
    assert_true(phi[0] == 0.5 && phi[2] == -1.5);
    hs_forest_free(f);
}

/* Local accuracy on larger forests (no brute force), and the same bits
 * whatever the threads. */
static void
test_accuracy_threads(void **state)
{
    (void)state;
    struct hs_err err = {0};
    size_t nin = 12, n = 3000;
    struct hs_forest *f = random_forest(nin, 40, 7, true, 77);
    double *cols[12];
    for (size_t i = 0; i < nin; i++)
        cols[i] = malloc(n * sizeof *cols[i]);
    random_events(cols, nin, n, 5);
    double *a = malloc(n * nin * sizeof *a), *b = malloc(n * nin * sizeof *b);
    bool solo = hs_par_set_gate(false);
    assert_int_equal(hs_treeshap(f, (const double *const *)cols, NULL, n, a, 1, NULL, &err),
                     HS_OK);
    assert_int_equal(hs_treeshap(f, (const double *const *)cols, NULL, n, b, 2, NULL, &err),
                     HS_OK);
    hs_par_set_gate(solo);
    assert_memory_equal(a, b, n * nin * sizeof *a);
    double base = hs_treeshap_base(f), row[12];
    for (size_t e = 0; e < n; e++) {
        double s = base;
        for (size_t i = 0; i < nin; i++) {
            s += a[e * nin + i];
            row[i] = cols[i][e];
        }
        double raw = hs_forest_raw_row(f, row);
        assert_true(fabs(s - raw) <= 1e-11 * (1 + fabs(raw)));
    }
    /* cancel */
    atomic_int now = 1;
    struct hs_task stop = {.cancel = &now};
    assert_int_equal(hs_treeshap(f, (const double *const *)cols, NULL, n, a, 1, &stop, &err),
                     HS_ECANCELLED);
    for (size_t i = 0; i < nin; i++)
        free(cols[i]);
    free(a);
    free(b);
    hs_forest_free(f);
}

/* XGBoost's side: a small model on data with missing values, its trees
 * as "tree node feature threshold yes no missing_left value cover" lines
 * (node ids renumbered in order, leaves with feature -1), the events and
 * XGBoost's pred_contribs (bias last) and margins, all as text. */
static const char xgb_script[] =
    "import sys, numpy as np, xgboost as xgb\n"
    "d = sys.argv[1]\n"
    "rng = np.random.default_rng(3)\n"
    "X = rng.normal(size=(4000, 6)).astype(np.float32)\n"
    "y = (X[:, 0] + 0.7 * X[:, 1] * X[:, 2] + 0.3 * rng.normal(size=4000) > 0).astype(int)\n"
    "X[rng.random(X.shape) < 0.05] = np.nan\n"
    "m = xgb.XGBClassifier(tree_method='hist', n_estimators=25, max_depth=5, n_jobs=1)\n"
    "m.fit(X[:3000], y[:3000])\n"
    "b = m.get_booster()\n"
    "t = b.trees_to_dataframe()\n"
    "with open(d + '/trees.txt', 'w') as f:\n"
    "    for tree, g in t.groupby('Tree'):\n"
    "        g = g.sort_values('Node')\n"
    "        idx = {nid: i for i, nid in enumerate(g['ID'])}\n"
    "        for r in g.itertuples(index=False):\n"
    "            if r.Feature == 'Leaf':\n"
    "                f.write('%d -1 0 0 0 0 %.9g %.9g\\n' % (tree, r.Gain, r.Cover))\n"
    "            else:\n"
    "                f.write('%d %d %.9g %d %d %d 0 %.9g\\n' % (tree, int(r.Feature[1:]), r.Split,\n"
    "                        idx[r.Yes], idx[r.No], r.Missing == r.Yes, r.Cover))\n"
    "Xt = X[3000:]\n"
    "np.savetxt(d + '/x.txt', Xt, fmt='%.9g')\n"
    "dm = xgb.DMatrix(Xt)\n"
    "np.savetxt(d + '/contribs.txt', b.predict(dm, pred_contribs=True), fmt='%.9g')\n"
    "np.savetxt(d + '/margin.txt', b.predict(dm, output_margin=True), fmt='%.9g')\n";

static struct hs_forest *
read_xgb_trees(const char *path, size_t nin)
{
    struct hs_err err = {0};
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    /* XGBoost 1.7's base_score 0.5 is a margin of 0 */
    struct hs_forest *f = hs_forest_new(nin, 0);
    struct hs_forest_node nd[MAXNODES];
    long tree, cur = -1;
    int feat, yes, no, ml;
    float thr, val, cover;
    size_t n = 0;
    while (fscanf(fp, "%ld %d %f %d %d %d %f %f", &tree, &feat, &thr, &yes, &no, &ml, &val,
                  &cover) == 8) {
        if (tree != cur && n) {
            assert_int_equal(hs_forest_add_tree(f, nd, n, &err), HS_OK);
            n = 0;
        }
        cur = tree;
        assert_true(n < MAXNODES);
        nd[n++] = (struct hs_forest_node){.feature = feat, .threshold = thr,
                                          .left = (uint32_t)yes, .right = (uint32_t)no,
                                          .missing_left = ml != 0, .value = val,
                                          .cover = cover};
    }
    if (n)
        assert_int_equal(hs_forest_add_tree(f, nd, n, &err), HS_OK);
    fclose(fp);
    return f;
}

static double *
read_numbers(const char *path, size_t count)
{
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    double *v = malloc(count * sizeof *v);
    for (size_t i = 0; i < count; i++) {
        char tok[64];
        assert_int_equal(fscanf(fp, "%63s", tok), 1);
        /* the float32 values XGBoost used, NaN included */
        v[i] = strcmp(tok, "nan") == 0 ? NAN : (double)strtof(tok, NULL);
    }
    fclose(fp);
    return v;
}

static void
rm_dir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static void
test_xgboost(void **state)
{
    (void)state;
    char dir[] = "/tmp/hs-treeshap-XXXXXX", cmd[1200], path[512];
    if (access("/usr/bin/python3", X_OK) != 0 || !mkdtemp(dir))
        skip();
    snprintf(path, sizeof path, "%s/make.py", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(xgb_script, fp);
    fclose(fp);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s >/dev/null 2>&1", path, dir);
    if (system(cmd) != 0) {
        rm_dir(dir);
        skip(); /* no python3-xgboost */
    }
    size_t nin = 6, n = 1000;
    snprintf(path, sizeof path, "%s/trees.txt", dir);
    struct hs_forest *f = read_xgb_trees(path, nin);
    assert_int_equal(f->ntrees, 25);
    snprintf(path, sizeof path, "%s/x.txt", dir);
    double *x = read_numbers(path, n * nin);
    snprintf(path, sizeof path, "%s/contribs.txt", dir);
    double *ref = read_numbers(path, n * (nin + 1));
    snprintf(path, sizeof path, "%s/margin.txt", dir);
    double *margin = read_numbers(path, n);
    double *cols[6], *phi = malloc(n * nin * sizeof *phi), row[6];
    for (size_t i = 0; i < nin; i++) {
        cols[i] = malloc(n * sizeof **cols);
        for (size_t e = 0; e < n; e++)
            cols[i][e] = x[e * nin + i];
    }
    struct hs_err err = {0};
    assert_int_equal(hs_treeshap(f, (const double *const *)cols, NULL, n, phi, 2, NULL, &err),
                     HS_OK);
    double base = hs_treeshap_base(f);
    size_t nan_events = 0;
    for (size_t e = 0; e < n; e++) {
        for (size_t i = 0; i < nin; i++) {
            row[i] = cols[i][e];
            nan_events += isnan(row[i]);
            /* XGBoost sums in float32: agreement to its precision */
            double r = ref[e * (nin + 1) + i];
            if (!(fabs(phi[e * nin + i] - r) <= 2e-6 * (1 + fabs(r)))) {
                fprintf(stderr, "event %zu input %zu: %.9g, XGBoost %.9g\n", e, i,
                        phi[e * nin + i], r);
                fail();
            }
        }
        assert_true(fabs(base - ref[e * (nin + 1) + nin]) <= 2e-6 * (1 + fabs(base)));
        assert_true(fabs(hs_forest_raw_row(f, row) - margin[e]) <= 2e-6 * (1 + fabs(margin[e])));
    }
    assert_true(nan_events > 100); /* the missing side was exercised */
    for (size_t i = 0; i < nin; i++)
        free(cols[i]);
    free(phi);
    free(x);
    free(ref);
    free(margin);
    hs_forest_free(f);
    rm_dir(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stump_and_leaf),
        cmocka_unit_test(test_brute_small),
        cmocka_unit_test(test_brute_deep),
        cmocka_unit_test(test_accuracy_threads),
        cmocka_unit_test(test_xgboost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

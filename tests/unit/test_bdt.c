/* test_bdt.c: the boosted trees (src/bdt*.c) against references computed
 * here: the best split of a stump found by trying every threshold and
 * missing-value direction with the gain G_L^2/(H_L+l) + G_R^2/(H_R+l) -
 * G^2/(H+l) from the log-loss gradients at the prior log-odds; leaf values
 * -G/(H+l) lr and covers H summed over the events that reach each leaf;
 * a separable set split by one tree at the gap; integer weights against
 * duplicated events; the learned direction of missing values; early
 * stopping against the validation loss computed from the kept model's
 * scores; the negative-weight policies against the events left out or
 * weighted 0; the same bytes for every thread count; the stored bytes
 * read back, every damaged blob refused; and the exported C compiled and
 * run on every event. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bdt.h"
#include "forest.h"
#include "mem.h"
#include "method.h"
#include "par.h"
#include "test_export.h"
#include "test_util.h"

#define MAXF 8

struct set {
    size_t n, nin;
    double *cols[MAXF];
    double *label, *weight;
    unsigned char *part;
    struct hs_method_data d;
};

static struct set *
set_new(size_t n, size_t nin)
{
    struct set *s = calloc(1, sizeof *s);
    s->n = n;
    s->nin = nin;
    for (size_t j = 0; j < nin; j++)
        s->cols[j] = calloc(n ? n : 1, sizeof(double));
    s->label = calloc(n ? n : 1, sizeof(double));
    s->d = (struct hs_method_data){.n = n, .nin = nin, .x = (const double *const *)s->cols,
                                   .label = s->label, .threads = 1};
    return s;
}

static void
set_free(struct set *s)
{
    for (size_t j = 0; j < s->nin; j++)
        free(s->cols[j]);
    free(s->label);
    free(s->weight);
    free(s->part);
    free(s);
}

static void
set_weights(struct set *s)
{
    s->weight = calloc(s->n, sizeof *s->weight);
    s->d.weight = s->weight;
}

static void
set_parts(struct set *s)
{
    s->part = calloc(s->n, 1);
    s->d.part = s->part;
}

/* A noisy set: label from a logistic model of the inputs, values on a
 * grid of `levels` values (0: continuous), some missing. */
static struct set *
set_random(size_t n, size_t nin, unsigned levels, double missing, uint64_t seed)
{
    struct set *s = set_new(n, nin);
    uint64_t r = seed;
    for (size_t i = 0; i < n; i++) {
        double z = 0;
        for (size_t j = 0; j < nin; j++) {
            double u = tu_unit(tu_xorshift(&r));
            double v = levels ? floor(u * levels) / levels : u;
            s->cols[j][i] = v;
            z += (j % 2 ? -1.5 : 2.0) * (v - 0.5) * (j + 1);
            if (tu_unit(tu_xorshift(&r)) < missing) {
                s->cols[j][i] = NAN;
                z += j == 0 ? 1.0 : 0;
            }
        }
        s->label[i] = tu_unit(tu_xorshift(&r)) < 1 / (1 + exp(-z)) ? 1 : 0;
    }
    return s;
}

/* Fit with the options of line; the model (NULL on failure). */
static int
fit(const struct set *s, const char *line, struct hs_model **out, struct hs_method_report *rep,
    struct hs_err *err)
{
    struct hs_params p;
    void *state = NULL;
    bool cancelled = false;
    *out = NULL;
    assert_int_equal(hs_method_params(&hs_method_bdt, &p, NULL), HS_OK);
    int rc = hs_params_parse_line(&p, line, NULL, NULL, err);
    assert_int_equal(rc, HS_OK);
    rc = hs_method_fit(&hs_method_bdt, &p, &s->d, NULL, NULL, &state, &cancelled, NULL, err);
    if (rc == HS_OK) {
        assert_int_equal(hs_method_bdt.model(state, out, err), HS_OK);
        if (rep) {
            hs_method_bdt.report(state, rep);
            rep->curve = NULL;
        }
        hs_method_bdt.free(state);
    }
    hs_params_release(&p);
    return rc;
}

static const struct hs_forest *
forest(const struct hs_model *m)
{
    assert_ptr_equal(m->kind, &hs_model_kind_bdt);
    const struct hs_forest *f = hs_forest_of_model(m);
    assert_non_null(f);
    assert_int_equal(hs_forest_check(f, NULL), HS_OK);
    return f;
}

static double
sig(double z)
{
    return 1 / (1 + exp(-z));
}

static int
rel_close(double a, double b, double tol)
{
    return fabs(a - b) <= tol * fmax(1, fmax(fabs(a), fabs(b)));
}

/* The gradients at the prior log-odds of the training events. */
static double
prior(const struct set *s)
{
    long double sw[2] = {0, 0};
    for (size_t i = 0; i < s->n; i++)
        sw[s->label[i] == 1] += s->weight ? s->weight[i] : 1;
    return (double)logl(sw[1] / sw[0]);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

struct best {
    double gain;
    size_t feature;
    double lo, hi; /* the threshold lies in (lo, hi] */
    bool mleft;
};

/* Every threshold between distinct values of every input, missing values
 * sent either way, leaves of at least min_leaf events: the best gain. */
static struct best
brute_stump(const struct set *s, double l2, size_t min_leaf)
{
    double base = prior(s), p0 = sig(base);
    struct best b = {.gain = 0};
    double *v = malloc(s->n * sizeof *v);
    for (size_t j = 0; j < s->nin; j++) {
        size_t m = 0;
        for (size_t i = 0; i < s->n; i++)
            if (!isnan(s->cols[j][i]))
                v[m++] = s->cols[j][i];
        qsort(v, m, sizeof *v, cmp_double);
        for (size_t k = 0; k + 1 < m; k++) {
            if (v[k] == v[k + 1])
                continue;
            for (int ml = 0; ml < 2; ml++) {
                double G[2] = {0, 0}, H[2] = {0, 0};
                size_t C[2] = {0, 0}, nmiss = 0;
                for (size_t i = 0; i < s->n; i++) {
                    double x = s->cols[j][i], w = s->weight ? s->weight[i] : 1;
                    int left = isnan(x) ? ml : x <= v[k];
                    nmiss += isnan(x);
                    G[!left] += w * (p0 - s->label[i]);
                    H[!left] += w * p0 * (1 - p0);
                    C[!left]++;
                }
                if (ml && nmiss == 0)
                    continue;
                if (C[0] < min_leaf || C[1] < min_leaf)
                    continue;
                double gain = G[0] * G[0] / (H[0] + l2) + G[1] * G[1] / (H[1] + l2) -
                              (G[0] + G[1]) * (G[0] + G[1]) / (H[0] + H[1] + l2);
                if (gain > b.gain * (1 + 1e-9)) {
                    b = (struct best){gain, j, v[k], v[k + 1], ml};
                }
            }
        }
    }
    free(v);
    return b;
}

static void
check_stump(const struct set *s, size_t min_leaf)
{
    char line[200];
    struct hs_model *m;
    snprintf(line, sizeof line,
             "--trees 1 --depth 1 --lr 1 --l2 1 --min-leaf %zu --min-hessian 0 --subsample 1 "
             "--patience 0",
             min_leaf);
    assert_int_equal(fit(s, line, &m, NULL, NULL), HS_OK);
    const struct hs_forest *f = forest(m);
    struct best b = brute_stump(s, 1, min_leaf);
    assert_true(b.gain > 0);
    assert_int_equal(f->ntrees, 1);
    const struct hs_forest_node *root = f->nodes;
    assert_int_equal(f->start[1], 3);
    assert_int_equal(root->feature, (int)b.feature);
    assert_true(root->threshold > b.lo && root->threshold <= b.hi);
    if (!rel_close(root->gain, b.gain, 1e-6))
        fail_msg("gain %.12g, brute force %.12g", root->gain, b.gain);
    size_t nmiss = 0;
    for (size_t i = 0; i < s->n; i++)
        nmiss += isnan(s->cols[b.feature][i]);
    if (nmiss)
        assert_int_equal(root->missing_left, b.mleft);
    assert_true(rel_close(f->base, prior(s), 1e-12));
    /* the leaves: -G/(H + l2) with lr 1, covers H */
    double p0 = sig(f->base);
    for (int side = 0; side < 2; side++) {
        const struct hs_forest_node *leaf = &f->nodes[side ? root->right : root->left];
        double G = 0, H = 0;
        for (size_t i = 0; i < s->n; i++) {
            double x = s->cols[b.feature][i], w = s->weight ? s->weight[i] : 1;
            int left = isnan(x) ? root->missing_left : x < root->threshold;
            if (left != !side)
                continue;
            G += w * (p0 - s->label[i]);
            H += w * p0 * (1 - p0);
        }
        assert_int_equal(leaf->feature, -1);
        if (!rel_close(leaf->value, -G / (H + 1), 1e-6))
            fail_msg("leaf %d: %.12g, want %.12g", side, leaf->value, -G / (H + 1));
        assert_true(rel_close(leaf->cover, H, 1e-6));
    }
    hs_model_free(m);
}

static void
test_stump_brute_force(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        struct set *s = set_random(400, 3, 40, seed % 2 ? 0.1 : 0, seed);
        check_stump(s, 1);
        check_stump(s, 30);
        set_weights(s);
        uint64_t r = seed + 100;
        for (size_t i = 0; i < s->n; i++)
            s->weight[i] = 0.5 + tu_unit(tu_xorshift(&r));
        check_stump(s, 5);
        set_free(s);
    }
}

/* Every leaf of a depth-3 tree: -G/(H + l2) lr over the events that the
 * thresholds send there, at the prior's gradients. */
static void
test_leaf_values(void **state)
{
    (void)state;
    struct set *s = set_random(3000, 4, 0, 0.05, 9);
    set_weights(s);
    uint64_t r = 5;
    for (size_t i = 0; i < s->n; i++)
        s->weight[i] = 0.2 + 2 * tu_unit(tu_xorshift(&r));
    struct hs_model *m;
    assert_int_equal(fit(s, "--trees 1 --depth 3 --lr 0.3 --l2 2.5 --subsample 1 --patience 0",
                         &m, NULL, NULL),
                     HS_OK);
    const struct hs_forest *f = forest(m);
    size_t n = f->start[1];
    double *G = calloc(n, sizeof *G), *H = calloc(n, sizeof *H), x[MAXF];
    size_t *C = calloc(n, sizeof *C);
    double p0 = sig(prior(s));
    for (size_t i = 0; i < s->n; i++) {
        for (size_t j = 0; j < s->nin; j++)
            x[j] = s->cols[j][i];
        size_t leaf = hs_forest_leaf(f, 0, x);
        G[leaf] += s->weight[i] * (p0 - s->label[i]);
        H[leaf] += s->weight[i] * p0 * (1 - p0);
        C[leaf]++;
    }
    size_t leaves = 0;
    for (size_t i = 0; i < n; i++) {
        if (f->nodes[i].feature >= 0)
            continue;
        leaves++;
        assert_true(C[i] >= 20);
        assert_true(rel_close(f->nodes[i].value, -G[i] / (H[i] + 2.5) * 0.3, 1e-6));
        assert_true(rel_close(f->nodes[i].cover, H[i], 1e-6));
    }
    assert_int_equal(leaves, 8);
    free(G);
    free(H);
    free(C);
    hs_model_free(m);
    set_free(s);
}

/* Background below -1.9, signal from 1.5: one stump splits in the gap. */
static void
test_separable(void **state)
{
    (void)state;
    struct set *s = set_new(1000, 2);
    uint64_t r = 17;
    for (size_t i = 0; i < s->n; i++) {
        s->label[i] = i % 3 == 0;
        s->cols[0][i] = tu_unit(tu_xorshift(&r));
        /* 50 values a class: each its own bin, so a cut lies in the gap */
        s->cols[1][i] = (s->label[i] ? 1.5 : -3) + floor(50 * tu_unit(tu_xorshift(&r))) / 50;
    }
    struct hs_model *m;
    assert_int_equal(fit(s, "--trees 1 --depth 1 --subsample 1 --patience 0", &m, NULL, NULL),
                     HS_OK);
    const struct hs_forest *f = forest(m);
    assert_int_equal(f->ntrees, 1);
    assert_int_equal(f->nodes[0].feature, 1);
    assert_true(f->nodes[0].threshold > -2 && f->nodes[0].threshold <= 1.5);
    double *sc = malloc(s->n * sizeof *sc), smin = 1, bmax = 0;
    assert_int_equal(hs_model_score(m, s->d.x, s->n, sc, NULL, NULL), HS_OK);
    for (size_t i = 0; i < s->n; i++) {
        if (s->label[i])
            smin = fmin(smin, sc[i]);
        else
            bmax = fmax(bmax, sc[i]);
    }
    assert_true(smin > bmax);
    free(sc);
    hs_model_free(m);
    set_free(s);
}

/* Integer weights give the trees of the events repeated that often. */
static void
test_weights_are_duplicates(void **state)
{
    (void)state;
    struct set *a = set_random(600, 3, 30, 0.05, 23);
    set_weights(a);
    size_t total = 0;
    for (size_t i = 0; i < a->n; i++) {
        a->weight[i] = (double)(1 + i % 3);
        total += 1 + i % 3;
    }
    struct set *b = set_new(total, 3);
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++)
        for (int c = 0; c < (int)a->weight[i]; c++, k++) {
            for (size_t j = 0; j < 3; j++)
                b->cols[j][k] = a->cols[j][i];
            b->label[k] = a->label[i];
        }
    const char *opts = "--trees 10 --depth 3 --min-leaf 1 --subsample 1 --patience 0";
    struct hs_model *ma, *mb;
    assert_int_equal(fit(a, opts, &ma, NULL, NULL), HS_OK);
    assert_int_equal(fit(b, opts, &mb, NULL, NULL), HS_OK);
    const struct hs_forest *fa = forest(ma), *fb = forest(mb);
    assert_int_equal(fa->ntrees, fb->ntrees);
    assert_int_equal(fa->start[fa->ntrees], fb->start[fb->ntrees]);
    for (size_t i = 0; i < fa->start[fa->ntrees]; i++) {
        assert_int_equal(fa->nodes[i].feature, fb->nodes[i].feature);
        assert_true(fa->nodes[i].threshold == fb->nodes[i].threshold);
        assert_true(rel_close(fa->nodes[i].value, fb->nodes[i].value, 1e-5));
        assert_true(rel_close(fa->nodes[i].cover, fb->nodes[i].cover, 1e-5));
    }
    hs_model_free(ma);
    hs_model_free(mb);
    set_free(a);
    set_free(b);
}

/* Missing values go where their events' labels say. */
static void
test_missing_direction(void **state)
{
    (void)state;
    for (int miss_signal = 0; miss_signal < 2; miss_signal++) {
        struct set *s = set_new(2000, 1);
        for (size_t i = 0; i < s->n; i++) {
            double u = (double)(i % 100) / 100;
            s->label[i] = u > 0.5;
            s->cols[0][i] = u;
            if (i % 10 == 0) { /* missing (0.5 never present): mostly of one class */
                s->cols[0][i] = NAN;
                s->label[i] = i % 30 == 0 ? !miss_signal : miss_signal;
            }
        }
        struct hs_model *m;
        assert_int_equal(fit(s, "--trees 1 --depth 1 --subsample 1 --patience 0", &m, NULL,
                             NULL),
                         HS_OK);
        const struct hs_forest *f = forest(m);
        assert_int_equal(f->nodes[0].feature, 0);
        if (!(f->nodes[0].threshold > 0.49 && f->nodes[0].threshold <= 0.51))
            fail_msg("threshold %.17g", f->nodes[0].threshold);
        /* signal goes right (x above the threshold) */
        assert_int_equal(f->nodes[0].missing_left, !miss_signal);
        double nan = NAN, hi = 0.9, lo = 0.1;
        double rn = hs_forest_raw_row(f, &nan), rh = hs_forest_raw_row(f, &hi),
               rl = hs_forest_raw_row(f, &lo);
        assert_true(miss_signal ? rn == rh : rn == rl);
        hs_model_free(m);
        set_free(s);
    }
    /* No missing value in training: NaN follows the larger hessian. */
    struct set *s = set_new(1000, 1);
    for (size_t i = 0; i < s->n; i++) {
        s->cols[0][i] = (double)i;
        s->label[i] = i >= 800;
    }
    struct hs_model *m;
    assert_int_equal(fit(s, "--trees 1 --depth 1 --subsample 1 --patience 0", &m, NULL, NULL),
                     HS_OK);
    const struct hs_forest *f = forest(m);
    const struct hs_forest_node *r = f->nodes;
    assert_int_equal(r->missing_left, f->nodes[r->left].cover >= f->nodes[r->right].cover);
    hs_model_free(m);
    set_free(s);
}

/* Early stopping keeps the round of the lowest validation loss, which
 * the kept model's scores give again. */
static void
test_early_stopping(void **state)
{
    (void)state;
    struct set *s = set_random(4000, 4, 0, 0, 31);
    set_parts(s);
    for (size_t i = 0; i < s->n; i++)
        s->part[i] = i % 2;
    struct hs_model *m;
    struct hs_method_report rep;
    assert_int_equal(fit(s, "--trees 300 --depth 6 --lr 0.5 --min-leaf 2 --patience 5 "
                            "--subsample 1",
                         &m, &rep, NULL),
                     HS_OK);
    const struct hs_forest *f = forest(m);
    assert_true(rep.early_stopped);
    assert_int_equal(rep.nepochs, rep.best_epoch + 5);
    assert_int_equal(f->ntrees, rep.best_epoch);
    assert_int_equal(f->rounds, rep.nepochs);
    assert_int_equal(rep.ntrain, 2000);
    assert_int_equal(rep.nval, 2000);
    double *sc = malloc(s->n * sizeof *sc);
    assert_int_equal(hs_model_score(m, s->d.x, s->n, sc, NULL, NULL), HS_OK);
    double loss = 0;
    size_t nv = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->part[i] == 1) {
            double p = sc[i];
            loss -= s->label[i] ? log(p) : log(1 - p);
            nv++;
        }
    loss /= (double)nv;
    /* refit with the curve: its best entry is this loss */
    struct hs_params p;
    void *st = NULL;
    bool cancelled;
    assert_int_equal(hs_method_params(&hs_method_bdt, &p, NULL), HS_OK);
    assert_int_equal(hs_params_parse_line(&p, "--trees 300 --depth 6 --lr 0.5 --min-leaf 2 "
                                              "--patience 5 --subsample 1",
                                          NULL, NULL, NULL),
                     HS_OK);
    assert_int_equal(hs_method_fit(&hs_method_bdt, &p, &s->d, NULL, NULL, &st, &cancelled,
                                   NULL, NULL),
                     HS_OK);
    struct hs_method_report r2;
    hs_method_bdt.report(st, &r2);
    double best = INFINITY;
    size_t arg = 0;
    for (size_t e = 0; e < r2.nepochs; e++)
        if (r2.curve[e].val_loss < best) {
            best = r2.curve[e].val_loss;
            arg = e + 1;
        }
    assert_int_equal(arg, rep.best_epoch);
    assert_true(rel_close(best, loss, 1e-9));
    hs_method_bdt.free(st);
    hs_params_release(&p);
    free(sc);
    hs_model_free(m);
    set_free(s);
}

static void
same_bytes(const struct hs_model *a, const struct hs_model *b)
{
    unsigned char *ba, *bb;
    size_t la, lb;
    assert_int_equal(hs_model_serialize(a, &ba, &la, NULL), HS_OK);
    assert_int_equal(hs_model_serialize(b, &bb, &lb, NULL), HS_OK);
    assert_int_equal(la, lb);
    assert_memory_equal(ba, bb, la);
    hs_free(ba);
    hs_free(bb);
}

/* Negative weights: ignore is the events left out, clip their weight 0. */
static void
test_negative_weights(void **state)
{
    (void)state;
    struct set *s = set_random(3000, 3, 0, 0.02, 41);
    set_weights(s);
    size_t keep = 0;
    for (size_t i = 0; i < s->n; i++) {
        s->weight[i] = i % 7 == 0 ? -0.5 : 1.0;
        keep += i % 7 != 0;
    }
    struct set *dropped = set_new(keep, 3), *zeroed = set_new(s->n, 3);
    set_weights(dropped);
    set_weights(zeroed);
    for (size_t i = 0, k = 0; i < s->n; i++) {
        for (size_t j = 0; j < 3; j++)
            zeroed->cols[j][i] = s->cols[j][i];
        zeroed->label[i] = s->label[i];
        zeroed->weight[i] = s->weight[i] < 0 ? 0 : s->weight[i];
        if (s->weight[i] < 0)
            continue;
        for (size_t j = 0; j < 3; j++)
            dropped->cols[j][k] = s->cols[j][i];
        dropped->label[k] = s->label[i];
        dropped->weight[k++] = s->weight[i];
    }
    const char *o = "--trees 5 --depth 3 --patience 0 --subsample 1";
    char line[200];
    struct hs_model *m1, *m2;
    struct hs_method_report rep;
    snprintf(line, sizeof line, "%s --negative-weights ignore", o);
    assert_int_equal(fit(s, line, &m1, &rep, NULL), HS_OK);
    assert_int_equal(rep.nnegative, s->n - keep);
    assert_int_equal(fit(dropped, o, &m2, NULL, NULL), HS_OK);
    same_bytes(m1, m2);
    hs_model_free(m1);
    hs_model_free(m2);
    snprintf(line, sizeof line, "%s --negative-weights clip", o);
    assert_int_equal(fit(s, line, &m1, NULL, NULL), HS_OK);
    assert_int_equal(fit(zeroed, o, &m2, NULL, NULL), HS_OK);
    same_bytes(m1, m2);
    hs_model_free(m1);
    hs_model_free(m2);
    /* use: a valid forest */
    assert_int_equal(fit(s, o, &m1, NULL, NULL), HS_OK);
    forest(m1);
    hs_model_free(m1);
    set_free(s);
    set_free(dropped);
    set_free(zeroed);
}

/* One thread or several, helpers or not: the same bytes. */
static void
test_threads_same_bits(void **state)
{
    (void)state;
    struct set *s = set_random(60000, 5, 0, 0.03, 51);
    set_weights(s);
    set_parts(s);
    uint64_t r = 8;
    for (size_t i = 0; i < s->n; i++) {
        s->weight[i] = 0.5 + tu_unit(tu_xorshift(&r));
        s->part[i] = i % 4 == 3;
    }
    const char *lines[] = {
        "--trees 8 --depth 5",
        "--trees 6 --leaves 12 --colsample 0.6 --subsample 0.7 --seed 3",
    };
    bool gate = hs_par_set_gate(false);
    for (size_t l = 0; l < 2; l++) {
        struct hs_model *ref;
        s->d.threads = 1;
        assert_int_equal(fit(s, lines[l], &ref, NULL, NULL), HS_OK);
        int threads[] = {2, 3, 4};
        for (size_t k = 0; k < 3; k++) {
            struct hs_model *m;
            s->d.threads = threads[k];
            int prev = hs_par_set_max_workers(k == 2 ? 1 : 0);
            assert_int_equal(fit(s, lines[l], &m, NULL, NULL), HS_OK);
            hs_par_set_max_workers(prev);
            same_bytes(ref, m);
            hs_model_free(m);
        }
        /* leaf-wise: at most 12 leaves a tree */
        const struct hs_forest *f = forest(ref);
        for (size_t t = 0; t < f->ntrees; t++) {
            size_t leaves = 0;
            for (size_t i = f->start[t]; i < f->start[t + 1]; i++)
                leaves += f->nodes[i].feature < 0;
            assert_true(l == 0 ? leaves <= 32 : leaves <= 12);
        }
        hs_model_free(ref);
    }
    hs_par_set_gate(gate);
    set_free(s);
}

static void
test_bad_data(void **state)
{
    (void)state;
    struct set *s = set_random(100, 2, 0, 0, 3);
    for (size_t i = 0; i < s->n; i++)
        s->label[i] = 0;
    struct hs_model *m;
    struct hs_err err = {0};
    assert_int_equal(fit(s, "", &m, NULL, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "signal"));
    s->d.label = NULL;
    assert_int_equal(fit(s, "", &m, NULL, &err), HS_EUSAGE);
    set_free(s);
}

/* ---- the stored bytes ---- */

static void
expect_refused(const unsigned char *buf, size_t len)
{
    void *impl = (void *)1;
    size_t nin = 7;
    int rc = hs_model_kind_bdt.deserialize(buf, len, &impl, &nin, NULL);
    if (rc != HS_EDATA)
        fail_msg("a damaged blob of %zu bytes: %d", len, rc);
    assert_null(impl);
}

static void
test_round_trip(void **state)
{
    (void)state;
    struct set *s = set_random(500, 3, 0, 0.1, 61);
    struct hs_model *m;
    assert_int_equal(fit(s, "--trees 2 --depth 2 --patience 0", &m, NULL, NULL), HS_OK);
    unsigned char *buf, *buf2;
    size_t len, len2;
    assert_int_equal(hs_model_serialize(m, &buf, &len, NULL), HS_OK);
    const struct hs_forest *f = forest(m);
    assert_int_equal(len, 30 + 4 * f->ntrees + 45 * f->start[f->ntrees] + 8);
    assert_memory_equal(buf, "HSBDT\1", 6);
    struct hs_model *back;
    assert_int_equal(hs_model_load("bdt", buf, len, 3, &back, NULL), HS_OK);
    assert_int_equal(hs_model_serialize(back, &buf2, &len2, NULL), HS_OK);
    assert_int_equal(len, len2);
    assert_memory_equal(buf, buf2, len);
    double *a = malloc(s->n * sizeof *a), *b = malloc(s->n * sizeof *b);
    assert_int_equal(hs_model_score(m, s->d.x, s->n, a, NULL, NULL), HS_OK);
    assert_int_equal(hs_model_score(back, s->d.x, s->n, b, NULL, NULL), HS_OK);
    assert_memory_equal(a, b, s->n * sizeof *a);
    tu_each_damage(buf, len, expect_refused);
    char d[64];
    hs_model_describe(m, d, sizeof d);
    assert_string_equal(d, "2 trees, depth 2");
    char *text;
    const char *names[] = {"a", "bb", "c"};
    assert_int_equal(hs_model_details(m, names, &text, NULL), HS_OK);
    assert_non_null(strstr(text, "trees: 2 (best round 2 of 2 run)"));
    assert_non_null(strstr(text, "total gain"));
    hs_free(text);
    free(a);
    free(b);
    hs_free(buf);
    hs_free(buf2);
    hs_model_free(m);
    hs_model_free(back);
    set_free(s);
}

/* The exported C on every event, extremes and missing values included. */
static void
test_export_c(void **state)
{
    (void)state;
    if (!tx_have_cc())
        skip();
    enum { N = 3000 };
    struct set *s = set_random(N, 4, 0, 0.08, 71);
    struct hs_model *m;
    assert_int_equal(fit(s, "--trees 40 --depth 4 --patience 0", &m, NULL, NULL), HS_OK);
    uint64_t r = 4;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < 4; j++)
            if (tu_unit(tu_xorshift(&r)) < 0.05)
                s->cols[j][i] = tu_unit(tu_xorshift(&r)) < 0.5 ? -1e300 : INFINITY;
    const char *names[] = {"pt */ x", "eta", "m", "d"};
    char *src = NULL;
    assert_int_equal(hs_model_export_c(m, names, "int", &src, NULL), HS_EUSAGE);
    assert_int_equal(hs_model_export_c(m, names, "bdt_score", &src, NULL), HS_OK);
    double *got = malloc(N * sizeof *got), *want = malloc(N * sizeof *want);
    tx_run(src, "bdt_score", s->d.x, N, 4, got);
    assert_int_equal(hs_model_score(m, s->d.x, N, want, NULL, NULL), HS_OK);
    for (size_t i = 0; i < N; i++)
        if (!tu_same_bits(got[i], want[i]))
            fail_msg("event %zu: exported %a, score %a", i, got[i], want[i]);
    hs_free(src);
    free(got);
    free(want);
    hs_model_free(m);
    set_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stump_brute_force),
        cmocka_unit_test(test_leaf_values),
        cmocka_unit_test(test_separable),
        cmocka_unit_test(test_weights_are_duplicates),
        cmocka_unit_test(test_missing_direction),
        cmocka_unit_test(test_early_stopping),
        cmocka_unit_test(test_negative_weights),
        cmocka_unit_test(test_threads_same_bits),
        cmocka_unit_test(test_bad_data),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test_setup_teardown(test_export_c, tx_setup, tx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

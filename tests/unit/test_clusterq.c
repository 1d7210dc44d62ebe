/* test_clusterq.c: clustering quality (src/clusterq.c) against
 * scikit-learn's adjusted_rand_score and silhouette_score computed in
 * the test on the same rows, and against purity, sizes and signal
 * fractions counted here by brute force, overall and per group; the
 * special cases of the index; the silhouette's subsample (seeded, the
 * same on any thread count), cancel and allocation failures. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_fit.h"
#include "test_pyref.h"
#include "test_util.h"

#include "clusterq.h"
#include "mem.h"
#include "par.h"

#define DIM 3
#define N 1500

/* Blobs with cluster ids that mostly follow them, labels that mostly
 * follow the cluster, a group column of three values and a few rows
 * left out (cluster -1, label 0.5, group NaN). */
struct data {
    double **col;
    long *truth, cluster[N];
    double label[N], group[N];
};

static void
make(struct data *s, uint64_t seed)
{
    uint64_t r = seed;
    s->col = tf_blobs(N, DIM, 4, 2, seed, &s->truth);
    for (size_t i = 0; i < N; i++) {
        double u = tu_unit(tu_splitmix(&r));
        s->cluster[i] = u < 0.9 ? s->truth[i] : (long)(tu_splitmix(&r) % 5);
        if (i % 97 == 5)
            s->cluster[i] = -1;
        s->label[i] = tu_unit(tu_splitmix(&r)) < (s->cluster[i] == 1 ? 0.8 : 0.2);
        if (i % 89 == 3)
            s->label[i] = 0.5;
        s->group[i] = i % 71 == 1 ? NAN : (double)(i % 3) * 10 + 5;
    }
}

static void
unmake(struct data *s)
{
    free(s->truth);
    tf_free_cols(s->col, DIM);
}

/* Purity, sizes and fractions counted by brute force over the rows with
 * keep (NULL all), checked against q. */
static void
check_counts(const struct data *s, const unsigned char *keep, const struct hs_clusterq *q)
{
    size_t size[5] = {0}, sig[5] = {0}, bkg[5] = {0}, lab = 0, maj = 0, n = 0;
    for (size_t i = 0; i < N; i++) {
        if ((keep && !keep[i]) || s->cluster[i] < 0)
            continue;
        n++;
        size[s->cluster[i]]++;
        sig[s->cluster[i]] += s->label[i] == 1;
        bkg[s->cluster[i]] += s->label[i] == 0;
    }
    size_t k = 0;
    for (long c = 0; c < 5; c++) {
        if (!size[c])
            continue;
        assert_int_equal(q->cluster[k].id, c);
        assert_int_equal(q->cluster[k].size, size[c]);
        assert_int_equal(q->cluster[k].nsignal, sig[c]);
        assert_true(fabs(q->cluster[k].signal_fraction -
                         (double)sig[c] / (double)(sig[c] + bkg[c])) < 1e-15);
        lab += sig[c] + bkg[c];
        maj += sig[c] > bkg[c] ? sig[c] : bkg[c];
        k++;
    }
    assert_int_equal(q->nclusters, k);
    assert_int_equal(q->n, n);
    assert_int_equal(q->nlabelled, lab);
    assert_true(fabs(q->purity - (double)maj / (double)lab) < 1e-15);
}

static const char metrics_script[] =
    "import sys, numpy as np\n"
    "from sklearn.metrics import adjusted_rand_score, silhouette_score\n"
    "A = np.loadtxt(sys.argv[1])\n"
    "X, c, y = A[:, :3], A[:, 3].astype(int), A[:, 4]\n"
    "Z = (X - X.mean(0)) / X.std(0)\n"
    "m = (c >= 0) & ((y == 0) | (y == 1))\n"
    "print('%.17g' % adjusted_rand_score(y[m], c[m]))\n"
    "print('%.17g' % adjusted_rand_score(c[c >= 0], (A[:, 5])[c >= 0]))\n"
    "print('%.17g' % silhouette_score(Z[c >= 0], c[c >= 0]))\n";

static void
test_against_sklearn(void **state)
{
    (void)state;
    struct data s;
    struct hs_clusterq q;
    struct hs_err err = {0};
    double *rows = malloc(N * 6 * sizeof *rows), *ref;
    char path[64];

    make(&s, 1);
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < DIM; j++)
            rows[i * 6 + j] = s.col[j][i];
        rows[i * 6 + 3] = (double)s.cluster[i];
        rows[i * 6 + 4] = s.label[i];
        rows[i * 6 + 5] = (double)s.truth[i];
    }
    assert_int_equal(hs_clusterq_compute(s.cluster, s.label, NULL, N, &q, &err), HS_OK);
    check_counts(&s, NULL, &q);

    double ari_truth, sil;
    assert_int_equal(hs_clusterq_ari(s.cluster, s.truth, N, &ari_truth, &err), HS_OK);
    struct hs_method_data d = {.n = N, .nin = DIM, .x = (const double *const *)s.col};
    assert_int_equal(hs_clusterq_silhouette(&d, s.cluster, N, 1, &sil, NULL, &err), HS_OK);

    assert_int_equal(tp_write_matrix(path, rows, N, 6), 0);
    long nref = tp_python(metrics_script, path, &ref);
    unlink(path);
    free(rows);
    if (nref >= 0) {
        assert_int_equal(nref, 3);
        assert_true(fabs(q.ari - ref[0]) < 1e-12);
        assert_true(fabs(ari_truth - ref[1]) < 1e-12);
        /* the sample is every row with a cluster, in the standardised
         * features of every row (all are fitted here) */
        assert_true(fabs(sil - ref[2]) < 1e-12);
        print_message("ari %.6f, %.6f; silhouette %.6f\n", q.ari, ari_truth, sil);
        free(ref);
    }
    hs_clusterq_release(&q);
    unmake(&s);
    if (nref < 0)
        skip();
}

/* The index's special cases, worked out by hand. */
static void
test_ari_cases(void **state)
{
    (void)state;
    struct hs_err err = {0};
    double v;
    long a[] = {0, 0, 1, 1}, b[] = {5, 5, 9, 9}, c[] = {0, 1, 0, 1}, one[] = {3, 3, 3, 3};
    long neg[] = {-1, -1, -1, 0};

    assert_int_equal(hs_clusterq_ari(a, b, 4, &v, &err), HS_OK);
    assert_true(fabs(v - 1) < 1e-15); /* same partition, other names */
    /* a against c: sij 0, sa = sb = 2, expected 2*2/6, max 2: -0.5 */
    assert_int_equal(hs_clusterq_ari(a, c, 4, &v, &err), HS_OK);
    assert_true(fabs(v + 0.5) < 1e-15);
    assert_int_equal(hs_clusterq_ari(one, one, 4, &v, &err), HS_OK);
    assert_true(fabs(v - 1) < 1e-15);
    assert_int_equal(hs_clusterq_ari(a, neg, 4, &v, &err), HS_OK);
    assert_true(isnan(v));
}

static void
test_groups(void **state)
{
    (void)state;
    struct data s;
    struct hs_clusterq_group *g;
    struct hs_err err = {0};
    size_t ng;
    unsigned char keep[N];

    make(&s, 2);
    assert_int_equal(hs_clusterq_by_group(s.cluster, s.label, s.group, N, &g, &ng, &err),
                     HS_OK);
    assert_int_equal(ng, 3);
    for (size_t k = 0; k < 3; k++) {
        assert_true(g[k].value == 5 + 10.0 * (double)k);
        for (size_t i = 0; i < N; i++)
            keep[i] = s.group[i] == g[k].value;
        check_counts(&s, keep, &g[k].q);
    }
    hs_clusterq_groups_free(g, ng);
    unmake(&s);
}

/* A subsample: seeded, the same on any thread count, another seed
 * another figure, a cancel, and allocation failures. */
static void
test_silhouette_subsample(void **state)
{
    (void)state;
    struct data s;
    struct hs_err err = {0};
    double v0 = NAN, v;
    static const int threads[] = {1, 2, 5}, workers[] = {1, 2, 2};

    make(&s, 3);
    struct hs_method_data d = {.n = N, .nin = DIM, .x = (const double *const *)s.col};
    for (int t = 0; t < 3; t++) {
        int prev = hs_par_set_max_workers(workers[t]);
        d.threads = threads[t];
        assert_int_equal(hs_clusterq_silhouette(&d, s.cluster, 700, 4, &v, NULL, &err), HS_OK);
        hs_par_set_max_workers(prev);
        if (t == 0)
            v0 = v;
        assert_true(tu_same_bits(v, v0));
    }
    assert_true(v0 > 0.2 && v0 < 1);
    assert_int_equal(hs_clusterq_silhouette(&d, s.cluster, 700, 5, &v, NULL, &err), HS_OK);
    assert_false(tu_same_bits(v, v0));

    struct tu_cancel_at c = {.at = 0};
    atomic_init(&c.flag, 0);
    struct hs_task task = {tu_cancel_at_progress, &c, &c.flag};
    assert_int_equal(hs_clusterq_silhouette(&d, s.cluster, 1400, 4, &v, &task, &err),
                     HS_ECANCELLED);

    for (long k = 0;; k++) {
        hs_mem_fail_after(k);
        int rc = hs_clusterq_silhouette(&d, s.cluster, 300, 4, &v, NULL, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK)
            break;
        assert_int_equal(rc, HS_ENOMEM);
    }
    for (long k = 0;; k++) {
        struct hs_clusterq_group *g;
        size_t ng;
        hs_mem_fail_after(k);
        int rc = hs_clusterq_by_group(s.cluster, s.label, s.group, N, &g, &ng, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK) {
            hs_clusterq_groups_free(g, ng);
            break;
        }
        assert_int_equal(rc, HS_ENOMEM);
    }
    /* One cluster only: no silhouette. */
    long *same = calloc(N, sizeof *same);
    assert_int_equal(hs_clusterq_silhouette(&d, same, 100, 4, &v, NULL, &err), HS_OK);
    assert_true(isnan(v));
    free(same);
    unmake(&s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_sklearn),
        cmocka_unit_test(test_ari_cases),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_silhouette_subsample),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_kmeans.c: the "kmeans" method (src/kmeans.c): well-separated
 * blobs recovered (adjusted Rand index above 0.99) by Lloyd and Elkan
 * alike; the inertia against scikit-learn's KMeans on the same
 * standardised rows (within 0.1%) and against the sum worked out here from
 * the assignment; centres the means of their rows; every row assigned,
 * -1 for a missing input; the same bits for a seed on any thread count;
 * cancel; allocation failures. */
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

#include "kmeans.h"
#include "mem.h"
#include "par.h"

#define DIM 3

static void
test_blobs(void **state)
{
    (void)state;
    size_t n = 4000;
    long *truth, *ids[2];
    double **col = tf_blobs(n, DIM, 4, 8, 1, &truth);
    struct hs_method_data d = {.n = n, .nin = DIM, .x = (const double *const *)col};
    struct hs_err err = {0};
    static const char *const alg[] = {"lloyd", "elkan"};

    for (int a = 0; a < 2; a++) {
        const char *kv[] = {"k", "4", "algorithm", alg[a], NULL};
        void *st;
        assert_int_equal(tf_fit(&hs_method_kmeans, &d, kv, &st, NULL, &err), HS_OK);
        assert_int_equal(hs_method_kmeans.clusters(st, &ids[a], &err), HS_OK);
        assert_true(tf_ari(ids[a], truth, n) > 0.99);

        /* The inertia is the sum of squared distances to the centres, and
         * each centre the mean of its rows (the iterations converged). */
        size_t k, dim;
        const double *c = hs_kmeans_centres(st, &k, &dim);
        double *z = tf_standardise(col, n, DIM), sum = 0;
        double mean[4][DIM] = {{0}}, cnt[4] = {0};
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < DIM; j++) {
                double e = z[i * DIM + j] - c[ids[a][i] * DIM + j];
                sum += e * e;
                mean[ids[a][i]][j] += z[i * DIM + j];
            }
            cnt[ids[a][i]]++;
        }
        struct hs_method_report r;
        hs_method_kmeans.report(st, &r);
        assert_true(fabs(r.inertia - sum) <= 1e-9 * sum);
        assert_int_equal(r.ntrain, n);
        for (size_t b = 0; b < 4; b++)
            for (size_t j = 0; j < DIM; j++)
                assert_true(fabs(mean[b][j] / cnt[b] - c[b * DIM + j]) < 1e-9);
        free(z);
        hs_method_kmeans.free(st);
    }
    /* Elkan's bounds skip distances, not assignments. */
    for (size_t i = 0; i < n; i++)
        assert_int_equal(ids[0][i], ids[1][i]);
    free(ids[0]);
    free(ids[1]);
    free(truth);
    tf_free_cols(col, DIM);
}

static const char km_script[] =
    "import sys, numpy as np\n"
    "from sklearn.cluster import KMeans\n"
    "Z = np.loadtxt(sys.argv[1])\n"
    "for alg in ('lloyd', 'elkan'):\n"
    "    km = KMeans(n_clusters=int(sys.argv[2]), n_init=5, random_state=0, algorithm=alg)\n"
    "    print('%.17g' % km.fit(Z).inertia_)\n";

/* Overlapping blobs, k = 5 on 4 of them: a fit with local optima, where
 * the best of 5 starts must match scikit-learn's best of 5 to 0.1%. */
static void
test_against_sklearn(void **state)
{
    (void)state;
    size_t n = 6000;
    long *truth;
    double **col = tf_blobs(n, DIM, 4, 1.5, 2, &truth);
    struct hs_method_data d = {.n = n, .nin = DIM, .x = (const double *const *)col};
    struct hs_err err = {0};
    double *z = tf_standardise(col, n, DIM), *ref;
    char path[64];

    assert_int_equal(tp_write_matrix(path, z, n, DIM), 0);
    char args[96];
    snprintf(args, sizeof args, "%s 5", path);
    long nref = tp_python(km_script, args, &ref);
    unlink(path);
    free(z);
    if (nref < 0) {
        free(truth);
        tf_free_cols(col, DIM);
        skip();
    }
    assert_int_equal(nref, 2);
    static const char *const alg[] = {"lloyd", "elkan"};
    for (int a = 0; a < 2; a++) {
        const char *kv[] = {"k", "5", "algorithm", alg[a], "seed", "3", NULL};
        struct hs_method_report r;
        void *st;
        assert_int_equal(tf_fit(&hs_method_kmeans, &d, kv, &st, NULL, &err), HS_OK);
        hs_method_kmeans.report(st, &r);
        print_message("kmeans %s inertia %.10g, scikit-learn %.10g\n", alg[a], r.inertia,
                      ref[a]);
        assert_true(r.inertia <= ref[a] * 1.001);
        hs_method_kmeans.free(st);
    }
    free(ref);
    free(truth);
    tf_free_cols(col, DIM);
}

/* Rows outside the fit are assigned too; a missing input gives -1. */
static void
test_every_row(void **state)
{
    (void)state;
    size_t n = 1000;
    long *truth, *ids;
    double **col = tf_blobs(n, DIM, 2, 10, 3, &truth);
    unsigned char *part = calloc(n, 1);
    for (size_t i = 0; i < n; i += 3)
        part[i] = 1;
    col[1][5] = NAN;
    struct hs_method_data d = {.n = n, .nin = DIM, .x = (const double *const *)col, .part = part};
    struct hs_err err = {0};
    const char *kv[] = {"k", "2", NULL};
    void *st;

    assert_int_equal(tf_fit(&hs_method_kmeans, &d, kv, &st, NULL, &err), HS_OK);
    assert_int_equal(hs_method_kmeans.clusters(st, &ids, &err), HS_OK);
    assert_int_equal(ids[5], -1);
    ids[5] = 0;
    truth[5] = 0;
    assert_true(tf_ari(ids, truth, n) > 0.99);
    for (size_t i = 0; i < n; i++)
        assert_true(ids[i] == 0 || ids[i] == 1);
    struct hs_method_report r;
    hs_method_kmeans.report(st, &r);
    assert_int_equal(r.ntrain, n - (n + 2) / 3 - 1);
    free(ids);
    hs_method_kmeans.free(st);
    free(part);
    free(truth);
    tf_free_cols(col, DIM);
}

static void
test_determinism(void **state)
{
    (void)state;
    size_t n = 30000;
    long *truth, *ids0 = NULL;
    double **col = tf_blobs(n, DIM, 4, 1, 4, &truth);
    struct hs_method_data d = {.n = n, .nin = DIM, .x = (const double *const *)col};
    struct hs_err err = {0};
    static const int threads[] = {1, 2, 2, 7}, workers[] = {1, 1, 2, 2};
    double inertia0 = 0;

    for (int alg = 0; alg < 2; alg++)
        for (int t = 0; t < 4; t++) {
            const char *kv[] = {"k", "6", "seed", "11", "algorithm", alg ? "elkan" : "lloyd",
                                NULL};
            struct hs_method_report r;
            long *ids;
            void *st;
            int prev = hs_par_set_max_workers(workers[t]);
            d.threads = threads[t];
            assert_int_equal(tf_fit(&hs_method_kmeans, &d, kv, &st, NULL, &err), HS_OK);
            hs_par_set_max_workers(prev);
            assert_int_equal(hs_method_kmeans.clusters(st, &ids, &err), HS_OK);
            hs_method_kmeans.report(st, &r);
            if (t == 0) {
                free(ids0);
                ids0 = ids;
                inertia0 = r.inertia;
            } else {
                assert_true(tu_same_bits(r.inertia, inertia0));
                assert_memory_equal(ids, ids0, n * sizeof *ids);
                free(ids);
            }
            hs_method_kmeans.free(st);
        }
    free(ids0);
    free(truth);
    tf_free_cols(col, DIM);
}

static void
test_cancel_and_oom(void **state)
{
    (void)state;
    size_t n = 200000;
    long *truth;
    double **col = tf_blobs(n, DIM, 3, 2, 5, &truth);
    struct hs_method_data d = {.n = n, .nin = DIM, .x = (const double *const *)col};
    const char *kv[] = {"k", "3", "algorithm", "elkan", NULL};
    struct hs_err err = {0};
    void *st;

    tf_expect_cancel(&hs_method_kmeans, &d, kv, 0.3);

    d.n = 300;
    tf_each_oom(&hs_method_kmeans, &d, kv, 10);
    /* More clusters than rows. */
    d.n = 3;
    const char *k5[] = {"k", "5", NULL};
    assert_int_equal(tf_fit(&hs_method_kmeans, &d, k5, &st, NULL, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "at least 5"));
    free(truth);
    tf_free_cols(col, DIM);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blobs),
        cmocka_unit_test(test_against_sklearn),
        cmocka_unit_test(test_every_row),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_cancel_and_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

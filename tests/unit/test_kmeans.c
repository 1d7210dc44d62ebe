/* test_kmeans.c: the "kmeans" method (src/kmeans.c): well-separated
 * blobs recovered (adjusted Rand index above 0.99) by Lloyd and Elkan
 * alike; the inertia against scikit-learn's KMeans on the same
 * standardised rows (within 0.1%) and against the sum worked out here from
 * the assignment; centres the means of their rows; every row assigned,
 * -1 for a missing input; the same bits for a seed on any thread count;
 * cancel; allocation failures.  The float distances against double ones
 * worked out here, and the fits whose assignments are taken in float and
 * whose sums are carried between iterations against Lloyd done naively
 * here on their centres. */
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
#include "kmeans_blk.h"
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

/* The float distances: the blocked function gives the bits of the
 * one-row one (on a block whose length is no multiple of its width), and
 * both are within float's rounding of the double distance; k-means++'s
 * sums of the lesser of two distances. */
static void
test_float_distances(void **state)
{
    (void)state;
    size_t n = 1000, dim = 7, lo = 5, nb = 250;
    double *x = malloc(n * dim * sizeof *x), c[7];
    float *xf = malloc(n * dim * sizeof *xf), cf[7], D[256];
    uint64_t seed = 42;

    for (size_t i = 0; i < n * dim; i++) {
        x[i] = 3 * tu_box_muller(tu_unit(tu_splitmix(&seed)), tu_unit(tu_splitmix(&seed)));
        xf[i] = (float)x[i];
    }
    for (size_t j = 0; j < dim; j++)
        cf[j] = (float)(c[j] = 0.5 * (double)j - 1.25);
    hs_km_dist_blkf(xf, n, lo, nb, dim, cf, D);
    for (size_t b = 0; b < nb; b++) {
        size_t i = lo + b;
        float one = hs_km_sqdist_colf(xf, n, i, cf, dim);
        assert_memory_equal(&D[b], &one, sizeof one);
        double d = 0;
        for (size_t j = 0; j < dim; j++)
            d += (x[j * n + i] - c[j]) * (x[j * n + i] - c[j]);
        assert_true(fabs((double)D[b] - d) <= 1e-6 * d + 1e-6);
    }
    /* The summed lesser of two distances, against a running sum. */
    float near[256];
    double sum = 0;
    for (size_t b = 0; b < nb; b++) {
        near[b] = (float)(b % 7);
        sum += D[b] < near[b] ? D[b] : near[b];
    }
    assert_true(fabs(hs_km_sum_min(D, near, nb) - sum) <= 1e-12 * sum);
    free(x);
    free(xf);
}

/* The nearest of k centres (k x dim) to row z (dim), in double. */
static size_t
nearest_ref(const double *c, size_t k, size_t dim, const double *z, double *d2)
{
    size_t best = 0;
    *d2 = INFINITY;
    for (size_t m = 0; m < k; m++) {
        double d = 0;
        for (size_t j = 0; j < dim; j++)
            d += (z[j] - c[m * dim + j]) * (z[j] - c[m * dim + j]);
        if (d < *d2) {
            *d2 = d;
            best = m;
        }
    }
    return best;
}

/* Overlapping blobs (many rows change cluster over many iterations, so
 * that Lloyd's carried sums see many moves), fits stopped by each rule:
 * no row moving (tol 0), the centre shift (the default tol, then a
 * final assignment pass), and one iteration (a final pass that moves
 * many rows).  Against Lloyd done here on the fit's centres: the
 * inertia is the summed squared distance of every row to its nearest
 * centre; where no row moved, the centres are the means of their rows
 * and a further naive Lloyd step moves no row. */
static void
test_lloyd_reference(void **state)
{
    (void)state;
    size_t n = 20000, k = 5;
    long *truth;
    double **col = tf_blobs(n, DIM, 4, 1.5, 6, &truth);
    double *z = tf_standardise(col, n, DIM);
    struct hs_method_data d = {.n = n, .nin = DIM, .x = (const double *const *)col};
    struct hs_err err = {0};
    static const char *const tols[] = {"0", "0.0001", "0.0001"}, *const iters[] = {"300", "300", "1"};

    for (int alg = 0; alg < 2; alg++)
        for (int rule = 0; rule < 3; rule++) {
            const char *kv[] = {"k", "5", "seed", "9", "tol", tols[rule], "max-iter", iters[rule],
                                "algorithm", alg ? "elkan" : "lloyd", NULL};
            struct hs_method_report r;
            size_t kk, dim;
            long *ids;
            void *st;
            assert_int_equal(tf_fit(&hs_method_kmeans, &d, kv, &st, NULL, &err), HS_OK);
            assert_int_equal(hs_method_kmeans.clusters(st, &ids, &err), HS_OK);
            hs_method_kmeans.report(st, &r);
            const double *c = hs_kmeans_centres(st, &kk, &dim);
            assert_int_equal(kk, k);
            double sum = 0, mean[5][DIM] = {{0}}, cnt[5] = {0}, d2;
            for (size_t i = 0; i < n; i++) {
                assert_int_equal(nearest_ref(c, k, DIM, z + i * DIM, &d2), ids[i]);
                sum += d2;
                cnt[ids[i]]++;
                for (size_t j = 0; j < DIM; j++)
                    mean[ids[i]][j] += z[i * DIM + j];
            }
            assert_true(fabs(r.inertia - sum) <= 1e-9 * sum);
            if (rule == 0) {
                for (size_t m = 0; m < k; m++)
                    for (size_t j = 0; j < DIM; j++) {
                        mean[m][j] /= cnt[m];
                        assert_true(fabs(mean[m][j] - c[m * DIM + j]) < 1e-9);
                    }
                for (size_t i = 0; i < n; i++)
                    assert_int_equal(nearest_ref(&mean[0][0], k, DIM, z + i * DIM, &d2), ids[i]);
            }
            free(ids);
            hs_method_kmeans.free(st);
        }
    free(z);
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
        cmocka_unit_test(test_float_distances),
        cmocka_unit_test(test_lloyd_reference),
        cmocka_unit_test(test_against_sklearn),
        cmocka_unit_test(test_every_row),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_cancel_and_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

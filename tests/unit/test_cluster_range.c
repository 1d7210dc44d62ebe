/* test_cluster_range.c: fits over a range of K (src/cluster_range.c).
 * Per K, BIC and AIC against the formulas written out here from the
 * log-likelihood and the free parameters counted here (full covariance:
 * K (d + d (d + 1) / 2) + K - 1), the log-likelihood against the mixture
 * density written out (test_mixture.h), the K chosen the
 * lowest BIC (three well-separated blobs: K 3); k-means without a
 * likelihood: NaN criteria, the last K chosen, each inertia the sum
 * worked out from its centres; only the chosen state kept unless asked;
 * a bad range; a cancel that stores nothing; progress over the range. */
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
#include "test_util.h"

#include "cluster_range.h"
#include "gmm.h"
#include "kmeans.h"

#define DIM 3
#define N 3000
#include "test_mixture.h"

static void
params_of(const struct hs_method *m, struct hs_params *p, const char *const *kv)
{
    struct hs_err err = {0};
    assert_int_equal(hs_method_params(m, p, &err), HS_OK);
    for (size_t i = 0; kv && kv[i]; i += 2)
        assert_int_equal(hs_params_set(p, kv[i], kv[i + 1], &err), HS_OK);
}

static void
test_gmm_criteria(void **state)
{
    (void)state;
    long *truth;
    double **col = tf_blobs(N, DIM, 3, 8, 21, &truth);
    double *z = tf_standardise(col, N, DIM);
    struct hs_method_data d = {.n = N, .nin = DIM, .x = (const double *const *)col};
    struct hs_cluster_fits f;
    struct hs_params p;
    struct hs_err err = {0};
    const char *kv[] = {"starts", "2", NULL};

    params_of(&hs_method_gmm, &p, kv);
    assert_int_equal(hs_cluster_fit_range(&hs_method_gmm, &p, &d, 1, 4, true, &f, NULL, &err),
                     HS_OK);
    assert_int_equal(f.n, 4);
    assert_int_equal(f.nfit, N);
    assert_int_equal(hs_params_int(&p, 0), 4); /* k, left at the range's end */
    size_t best = 0;
    for (size_t i = 0; i < f.n; i++) {
        size_t k = i + 1;
        double nfree = (double)(k * (DIM + DIM * (DIM + 1) / 2) + k - 1);
        double ll = mixture_loglik(hs_gmm_of(f.state[i]), z, N);
        assert_int_equal(f.f[i].k, k);
        assert_true(fabs(f.f[i].loglik - ll) <= 1e-8 * fabs(ll));
        assert_true(fabs(f.f[i].bic - (-2 * f.f[i].loglik + nfree * log((double)N))) <=
                    1e-12 * fabs(f.f[i].bic));
        assert_true(fabs(f.f[i].aic - (-2 * f.f[i].loglik + 2 * nfree)) <=
                    1e-12 * fabs(f.f[i].aic));
        if (f.f[i].bic < f.f[best].bic)
            best = i;
    }
    assert_int_equal(f.chosen, best);
    assert_int_equal(f.f[f.chosen].k, 3);
    hs_cluster_fits_release(&f);
    assert_int_equal(f.n, 0);

    /* Only the chosen state kept. */
    assert_int_equal(hs_cluster_fit_range(&hs_method_gmm, &p, &d, 2, 4, false, &f, NULL, &err),
                     HS_OK);
    for (size_t i = 0; i < f.n; i++)
        assert_true((f.state[i] != NULL) == (i == f.chosen));
    assert_int_equal(f.f[f.chosen].k, 3);
    hs_cluster_fits_release(&f);
    hs_params_release(&p);
    free(z);
    free(truth);
    tf_free_cols(col, DIM);
}

static void
test_kmeans_inertia(void **state)
{
    (void)state;
    long *truth;
    double **col = tf_blobs(N, DIM, 3, 8, 22, &truth);
    double *z = tf_standardise(col, N, DIM);
    struct hs_method_data d = {.n = N, .nin = DIM, .x = (const double *const *)col};
    struct hs_cluster_fits f;
    struct hs_params p;
    struct hs_err err = {0};

    params_of(&hs_method_kmeans, &p, NULL);
    assert_int_equal(
        hs_cluster_fit_range(&hs_method_kmeans, &p, &d, 2, 4, true, &f, NULL, &err), HS_OK);
    assert_int_equal(f.n, 3);
    assert_int_equal(f.chosen, 2);
    for (size_t i = 0; i < f.n; i++) {
        size_t k, dim;
        const double *c = hs_kmeans_centres(f.state[i], &k, &dim);
        double sum = 0;
        assert_int_equal(k, i + 2);
        assert_true(isnan(f.f[i].bic) && isnan(f.f[i].aic) && isnan(f.f[i].loglik));
        for (size_t r = 0; r < N; r++) {
            double bd = INFINITY;
            for (size_t q = 0; q < k; q++) {
                double s = 0;
                for (size_t j = 0; j < DIM; j++)
                    s += (z[r * DIM + j] - c[q * DIM + j]) * (z[r * DIM + j] - c[q * DIM + j]);
                bd = s < bd ? s : bd;
            }
            sum += bd;
        }
        assert_true(fabs(f.f[i].inertia - sum) <= 1e-9 * sum);
    }
    hs_cluster_fits_release(&f);
    hs_params_release(&p);
    free(z);
    free(truth);
    tf_free_cols(col, DIM);
}

struct seen {
    struct tu_cancel_at c;
    int k3; /* a progress text named K 3 */
};

static void
watch(void *user, double fraction, const char *what)
{
    struct seen *s = user;
    if (what && strstr(what, "K 3 (2 of 3)"))
        s->k3 = 1;
    tu_cancel_at_progress(&s->c, fraction, what);
}

static void
test_range_and_cancel(void **state)
{
    (void)state;
    long *truth;
    double **col = tf_blobs(N, DIM, 3, 8, 23, &truth);
    struct hs_method_data d = {.n = N, .nin = DIM, .x = (const double *const *)col};
    struct hs_cluster_fits f;
    struct hs_params p;
    struct hs_err err = {0};

    params_of(&hs_method_gmm, &p, NULL);
    assert_int_equal(hs_cluster_fit_range(&hs_method_gmm, &p, &d, 3, 2, true, &f, NULL, &err),
                     HS_EUSAGE);
    assert_int_equal(hs_cluster_fit_range(&hs_method_gmm, &p, &d, 1, 65, true, &f, NULL, &err),
                     HS_EUSAGE);
    assert_non_null(strstr(err.msg, "at most 64"));
    /* K above the method's limit: its error, named. */
    assert_int_equal(
        hs_cluster_fit_range(&hs_method_gmm, &p, &d, 64, 65, true, &f, NULL, &err), HS_EUSAGE);
    assert_int_equal(f.n, 0);

    /* Cancelled during K 3, the second of three: nothing stored. */
    struct seen s = {.c = {.at = 0.5}};
    atomic_init(&s.c.flag, 0);
    struct hs_task task = {watch, &s, &s.c.flag};
    assert_int_equal(hs_cluster_fit_range(&hs_method_gmm, &p, &d, 2, 4, true, &f, &task, &err),
                     HS_ECANCELLED);
    assert_non_null(strstr(err.msg, "cancelled"));
    assert_int_equal(f.n, 0);
    assert_true(s.k3);
    hs_params_release(&p);
    free(truth);
    tf_free_cols(col, DIM);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gmm_criteria),
        cmocka_unit_test(test_kmeans_inertia),
        cmocka_unit_test(test_range_and_cancel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

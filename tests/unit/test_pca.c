/* test_pca.c: the "pca" method (src/pca.c) against numpy's eigh of the
 * covariance and scikit-learn's PCA, computed in the test on the same
 * standardised rows: variances to 1e-10 relative, loadings and
 * coordinates; the projection of rows outside the fit and NaN for rows
 * with a missing input; the same bits on 1, 2 and 5 logical threads and
 * on 1 or 2 OS threads; cancel; allocation failures. */
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

#include "test_pyref.h"
#include "test_util.h"

#include "mem.h"
#include "method.h"
#include "par.h"
#include "pca.h"

#define P 5

/* n rows of P correlated features (a random mixing of independent
 * normals of different scales, plus an offset far from 0), as columns. */
static double **
make_data(size_t n, uint64_t seed)
{
    double **col = malloc(P * sizeof *col);
    static const double scale[P] = {5, 3, 1.5, 0.7, 0.2};
    double mix[P][P];
    uint64_t s = seed;

    for (int j = 0; j < P; j++)
        col[j] = malloc(n * sizeof **col);
    for (int j = 0; j < P; j++)
        for (int k = 0; k < P; k++)
            mix[j][k] = tu_unit(tu_splitmix(&s)) - 0.5 + (j == k);
    for (size_t i = 0; i < n; i++) {
        double z[P];
        for (int k = 0; k < P; k++)
            z[k] = scale[k] * tu_box_muller(tu_unit(tu_splitmix(&s)), tu_unit(tu_splitmix(&s)));
        for (int j = 0; j < P; j++) {
            double v = 100.0 * j;
            for (int k = 0; k < P; k++)
                v += mix[j][k] * z[k];
            col[j][i] = v;
        }
    }
    return col;
}

static void
free_data(double **col)
{
    for (int j = 0; j < P; j++)
        free(col[j]);
    free(col);
}

/* Fit "pca" with `dims` components; the coordinates of every row. */
static int
run_pca(const struct hs_method_data *d, size_t dims, double **coords, const struct hs_pca **fit,
        void **state, const struct hs_task *task, struct hs_err *err)
{
    struct hs_params p;
    char buf[16];
    bool cancelled;
    size_t dim;
    int rc;

    *state = NULL;
    if ((rc = hs_method_params(&hs_method_pca, &p, err)))
        return rc;
    snprintf(buf, sizeof buf, "%zu", dims);
    assert_int_equal(hs_params_set(&p, "dims", buf, err), HS_OK);
    rc = hs_method_fit(&hs_method_pca, &p, d, NULL, NULL, state, &cancelled, task, err);
    hs_params_release(&p);
    if (rc)
        return rc;
    assert_false(cancelled);
    if ((rc = hs_method_pca.coords(*state, coords, &dim, err))) {
        hs_method_pca.free(*state);
        *state = NULL;
        return rc;
    }
    assert_int_equal(dim, dims);
    *fit = hs_pca_of(*state);
    return HS_OK;
}

static const char pca_script[] =
    "import sys, numpy as np\n"
    "from sklearn.decomposition import PCA\n"
    "X = np.loadtxt(sys.argv[1])\n"
    "Z = (X - X.mean(0)) / X.std(0)\n"
    "w = np.linalg.eigh(np.cov(Z.T))[0][::-1]\n"
    "pca = PCA(n_components=Z.shape[1], svd_solver='full').fit(Z)\n"
    "for a in (w, pca.explained_variance_, pca.explained_variance_ratio_,\n"
    "          pca.components_.ravel(), pca.transform(Z[:3]).ravel()):\n"
    "    print(' '.join('%.17g' % v for v in a))\n";

static void
test_against_numpy_and_sklearn(void **state)
{
    (void)state;
    size_t n = 3000;
    double **col = make_data(n, 7);
    unsigned char *part = calloc(n, 1);
    /* Row 10 misses an input, rows 20 to 29 are outside the fit. */
    col[2][10] = NAN;
    for (size_t i = 20; i < 30; i++)
        part[i] = 1;
    struct hs_method_data d = {.n = n, .nin = P, .x = (const double *const *)col, .part = part};
    struct hs_err err = {0};
    const struct hs_pca *fit;
    double *coords;
    void *st;

    assert_int_equal(run_pca(&d, P, &coords, &fit, &st, NULL, &err), HS_OK);
    assert_int_equal(fit->n, n - 11);

    /* The fitted rows, raw, for python. */
    double *raw = malloc((n - 11) * P * sizeof *raw);
    size_t m = 0, fitted_row[3];
    for (size_t i = 0; i < n; i++) {
        if (i == 10 || (i >= 20 && i < 30))
            continue;
        if (m < 3)
            fitted_row[m] = i;
        for (int j = 0; j < P; j++)
            raw[m * P + j] = col[j][i];
        m++;
    }
    char path[64], args[80];
    assert_int_equal(tp_write_matrix(path, raw, m, P), 0);
    snprintf(args, sizeof args, "%s", path);
    double *ref;
    long nref = tp_python(pca_script, args, &ref);
    unlink(path);
    free(raw);
    if (nref < 0) {
        hs_method_pca.free(st);
        free(coords), free(part), free_data(col);
        skip();
    }
    assert_int_equal(nref, 3 * P + P * P + 3 * P);
    const double *eig = ref, *var = ref + P, *ratio = ref + 2 * P, *comp = ref + 3 * P,
                 *proj = ref + 3 * P + P * P;
    /* This scikit-learn fixes signs by U (svd_flip's u_based_decision),
     * hepscope by the loadings: compare each component up to its sign. */
    double sign[P];
    for (int c = 0; c < P; c++) {
        double dot = 0;
        for (int j = 0; j < P; j++)
            dot += fit->loadings[c * P + j] * comp[c * P + j];
        assert_true(fabs(fabs(dot) - 1) < 1e-9);
        sign[c] = dot > 0 ? 1 : -1;
    }
    for (int c = 0; c < P; c++) {
        assert_true(fabs(fit->variance[c] - eig[c]) <= 1e-10 * eig[c]);
        assert_true(fabs(fit->variance[c] - var[c]) <= 1e-10 * var[c]);
        assert_true(fabs(fit->ratio[c] - ratio[c]) <= 1e-10 * ratio[c]);
        for (int j = 0; j < P; j++)
            assert_true(fabs(fit->loadings[c * P + j] - sign[c] * comp[c * P + j]) < 1e-8);
    }
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < P; c++)
            assert_true(fabs(coords[fitted_row[r] * P + c] - sign[c] * proj[r * P + c]) < 1e-8);
    /* The signs: the largest |loading| of each component is positive. */
    for (int c = 0; c < P; c++) {
        int best = 0;
        for (int j = 1; j < P; j++)
            if (fabs(fit->loadings[c * P + j]) > fabs(fit->loadings[c * P + best]))
                best = j;
        assert_true(fit->loadings[c * P + best] > 0);
    }
    /* A missing input: NaN; a row outside the fit: projected with the
     * fit's mean and sd, as hs_pca_project does by hand here. */
    for (int c = 0; c < P; c++)
        assert_true(isnan(coords[10 * P + c]));
    {
        double mean[P] = {0}, sd[P] = {0}, z[P], out[P];
        for (int j = 0; j < P; j++) {
            for (size_t i = 0; i < n; i++)
                if (i != 10 && !(i >= 20 && i < 30))
                    mean[j] += col[j][i];
            mean[j] /= (double)m;
            for (size_t i = 0; i < n; i++)
                if (i != 10 && !(i >= 20 && i < 30))
                    sd[j] += (col[j][i] - mean[j]) * (col[j][i] - mean[j]);
            sd[j] = sqrt(sd[j] / (double)m);
            z[j] = (col[j][25] - mean[j]) / sd[j];
        }
        hs_pca_project(fit, z, P, out);
        for (int c = 0; c < P; c++) {
            assert_true(isfinite(coords[25 * P + c]));
            assert_true(fabs(coords[25 * P + c] - out[c]) < 1e-9);
        }
    }
    free(ref);
    free(coords);
    hs_method_pca.free(st);
    free(part);
    free_data(col);
}

/* The same bits on any logical thread count and OS threads. */
static void
test_threads(void **state)
{
    (void)state;
    size_t n = 40000;
    double **col = make_data(n, 11);
    struct hs_method_data d = {.n = n, .nin = P, .x = (const double *const *)col};
    struct hs_err err = {0};
    double *c0 = NULL;
    static const int threads[] = {1, 2, 5, 2};
    static const int workers[] = {1, 2, 2, 1};

    for (int t = 0; t < 4; t++) {
        const struct hs_pca *fit;
        double *c;
        void *st;
        int prev = hs_par_set_max_workers(workers[t]);
        d.threads = threads[t];
        assert_int_equal(run_pca(&d, 3, &c, &fit, &st, NULL, &err), HS_OK);
        hs_par_set_max_workers(prev);
        if (!c0) {
            c0 = c;
        } else {
            for (size_t i = 0; i < n * 3; i++)
                assert_true(tu_same_bits(c[i], c0[i]));
            free(c);
        }
        hs_method_pca.free(st);
    }
    free(c0);
    free_data(col);
}

static void
test_cancel(void **state)
{
    (void)state;
    size_t n = 400000;
    double **col = make_data(n, 3);
    struct hs_method_data d = {.n = n, .nin = P, .x = (const double *const *)col, .threads = 2};
    struct tu_cancel_at c = {.at = 0.2};
    atomic_init(&c.flag, 0);
    struct hs_task task = {tu_cancel_at_progress, &c, &c.flag};
    struct hs_err err = {0};
    const struct hs_pca *fit;
    double *coords = NULL;
    void *st;

    /* Raised at the first report, after the first block of the
     * covariance pass: the fit stops in the middle of it. */
    c.at = 0;
    assert_int_equal(run_pca(&d, 2, &coords, &fit, &st, &task, &err), HS_ECANCELLED);
    assert_null(st);
    assert_non_null(strstr(err.msg, "cancelled"));
    /* Raised before the fit starts. */
    assert_int_equal(run_pca(&d, 2, &coords, &fit, &st, &task, &err), HS_ECANCELLED);
    /* Never raised. */
    c.at = 2;
    atomic_store(&c.flag, 0);
    assert_int_equal(run_pca(&d, 2, &coords, &fit, &st, &task, &err), HS_OK);
    free(coords);
    hs_method_pca.free(st);
    free_data(col);
}

static void
test_errors_and_oom(void **state)
{
    (void)state;
    size_t n = 50;
    double **col = make_data(n, 5);
    struct hs_method_data d = {.n = n, .nin = P, .x = (const double *const *)col};
    struct hs_err err = {0};
    struct hs_params p;
    const struct hs_pca *fit;
    double *coords;
    void *st;

    /* More components than features. */
    d.nin = 2;
    assert_int_equal(run_pca(&d, 3, &coords, &fit, &st, NULL, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "--dims 3"));
    d.nin = P;
    assert_int_equal(hs_method_params(&hs_method_pca, &p, &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "dims", "51", &err), HS_EUSAGE);
    hs_params_release(&p);

    /* Every allocation failing in turn: a clean HS_ENOMEM. */
    for (long k = 0;; k++) {
        hs_mem_fail_after(k);
        int rc = run_pca(&d, 2, &coords, &fit, &st, NULL, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK) {
            assert_true(k > 5);
            free(coords);
            hs_method_pca.free(st);
            break;
        }
        assert_int_equal(rc, HS_ENOMEM);
        assert_null(st);
    }
    free_data(col);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_numpy_and_sklearn),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_errors_and_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

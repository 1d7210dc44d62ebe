/* Unit tests of src/spectral.c: connected components, and the Lanczos
 * eigenvectors of the normalised Laplacian against a dense
 * eigendecomposition by GSL computed here. */
#include "config.h"

#include <gsl/gsl_eigen.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

/* |a - b| <= tol (this cmocka has no assert_double_equal) */
#define assert_near(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

#include "mem.h"
#include "spectral.h"

/* A symmetric weight matrix (dense, n x n) as compressed rows
 * (hs_csr_release frees it). */
static void
csr_from_dense(const double *W, size_t n, struct hs_csr *g)
{
    size_t nnz = 0;

    g->n = n;
    g->start = hs_malloc((n + 1) * sizeof *g->start);
    for (size_t i = 0; i < n * n; i++)
        nnz += W[i] != 0;
    g->col = hs_malloc((nnz ? nnz : 1) * sizeof *g->col);
    g->w = hs_malloc((nnz ? nnz : 1) * sizeof *g->w);
    nnz = 0;
    for (size_t i = 0; i < n; i++) {
        g->start[i] = nnz;
        for (size_t j = 0; j < n; j++)
            if (W[i * n + j] != 0) {
                g->col[nnz] = (uint32_t)j;
                g->w[nnz++] = W[i * n + j];
            }
    }
    g->start[n] = nnz;
}

/* A connected random graph of four clusters in a chain: within a
 * cluster each vertex links to `chords` + 2 random others, consecutive
 * clusters by 1, 3 and 5 random links.  Its smallest Laplacian
 * eigenvalues after 0 (the chain's modes) are distinct and well apart
 * from the rest, so the eigenvectors are well defined. */
static double *
random_graph(size_t n, size_t chords, uint64_t seed)
{
    double *W = calloc(n * n, sizeof *W);
    size_t per = n / 4;
    uint64_t s = seed;

    for (size_t i = 0; i < n; i++) {
        size_t c = i / per < 4 ? i / per : 3, lo = c * per, hi = c == 3 ? n : lo + per;
        /* a path through the cluster keeps it connected */
        if (i + 1 < hi)
            W[i * n + i + 1] = W[(i + 1) * n + i] = 0.5 + 0.5 * tu_unit(tu_splitmix(&s));
        for (size_t k = 0; k < chords + 2; k++) {
            size_t j = lo + tu_splitmix(&s) % (hi - lo);
            double w = 0.2 + 0.8 * tu_unit(tu_splitmix(&s));
            if (j != i)
                W[i * n + j] = W[j * n + i] = w;
        }
    }
    for (size_t c = 0; c + 1 < 4; c++)
        for (size_t l = 0; l < 2 * c + 1; l++) {
            size_t i = c * per + tu_splitmix(&s) % per, j = (c + 1) * per + tu_splitmix(&s) % per;
            W[i * n + j] = W[j * n + i] = 0.3 + 0.4 * tu_unit(tu_splitmix(&s));
        }
    return W;
}

/* Dense reference: eigenvalues (ascending) and vectors (columns) of L. */
static void
dense_laplacian_eigen(const double *W, size_t n, double *eval, double *evec)
{
    gsl_matrix *L = gsl_matrix_alloc(n, n), *V = gsl_matrix_alloc(n, n);
    gsl_vector *e = gsl_vector_alloc(n);
    gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc(n);
    double *deg = calloc(n, sizeof *deg);

    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            deg[i] += W[i * n + j];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            gsl_matrix_set(L, i, j, (i == j) - W[i * n + j] / sqrt(deg[i] * deg[j]));
    gsl_eigen_symmv(L, e, V, ws);
    gsl_eigen_symmv_sort(e, V, GSL_EIGEN_SORT_VAL_ASC);
    for (size_t k = 0; k < n; k++) {
        eval[k] = gsl_vector_get(e, k);
        for (size_t i = 0; i < n; i++)
            evec[i * n + k] = gsl_matrix_get(V, i, k);
    }
    gsl_matrix_free(L);
    gsl_matrix_free(V);
    gsl_vector_free(e);
    gsl_eigen_symmv_free(ws);
    free(deg);
}

/* The embedding's eigenvalues 2..dim+1 and vectors match the dense ones
 * (vectors up to sign): |cos| at least 1 - vtol. */
static void
check_against_dense(size_t n, size_t chords, size_t dim, double vtol)
{
    double *W = random_graph(n, chords, 77 + n);
    double *eval = malloc(n * sizeof *eval), *evec = malloc(n * n * sizeof *evec);
    double *out = malloc(n * dim * sizeof *out), lambda[8];
    struct hs_csr g;
    struct hs_err err = {0};

    dense_laplacian_eigen(W, n, eval, evec);
    csr_from_dense(W, n, &g);
    assert_int_equal(hs_spectral_embed(&g, dim, 1, 1, out, lambda, NULL, &err), HS_OK);
    assert_true(fabs(eval[0]) < 1e-10); /* connected: one zero eigenvalue */
    for (size_t k = 0; k < dim; k++) {
        double dot = 0, nrm = 0;
        assert_true(eval[k + 2] - eval[k + 1] > 1e-3); /* distinct, so vectors are defined */
        assert_near(lambda[k], eval[k + 1], 1e-6);
        for (size_t i = 0; i < n; i++) {
            dot += out[i * dim + k] * evec[i * n + k + 1];
            nrm += out[i * dim + k] * out[i * dim + k];
        }
        assert_near(nrm, 1, 1e-6);
        assert_true(fabs(dot) > 1 - vtol);
    }
    hs_csr_release(&g);
    free(W);
    free(eval);
    free(evec);
    free(out);
}

/* n small enough that the basis spans the whole space: exact. */
static void
test_small_graph_exact(void **state)
{
    (void)state;
    check_against_dense(20, 1, 2, 1e-9);
}

/* Larger than the basis: restarts happen, the tolerance decides. */
static void
test_restarted_graph(void **state)
{
    (void)state;
    check_against_dense(300, 2, 2, 1e-4);
    check_against_dense(200, 3, 3, 1e-4);
}

static void
test_components(void **state)
{
    (void)state;
    /* two rings 0-1-2-0 and 3-4-5-6-3, and vertex 7 alone */
    size_t n = 8, count = 0, label[8];
    double *W = calloc(n * n, sizeof *W);
    size_t edges[][2] = {{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 5}, {5, 6}, {6, 3}};
    struct hs_csr g;
    struct hs_err err = {0};

    for (size_t e = 0; e < 7; e++) {
        W[edges[e][0] * n + edges[e][1]] = 0.5;
        W[edges[e][1] * n + edges[e][0]] = 0.5;
    }
    csr_from_dense(W, n, &g);
    assert_int_equal(hs_spectral_components(&g, label, &count, &err), HS_OK);
    assert_int_equal(count, 3);
    assert_int_equal(label[0], 0);
    assert_int_equal(label[2], 0);
    assert_int_equal(label[3], 1);
    assert_int_equal(label[6], 1);
    assert_int_equal(label[7], 2);
    /* the isolated vertex has no degree: the embedding refuses */
    double out[16];
    assert_int_equal(hs_spectral_embed(&g, 2, 0, 1, out, NULL, NULL, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "point 8"));
    hs_csr_release(&g);
    free(W);
}

static void
test_cancel_and_oom(void **state)
{
    (void)state;
    size_t n = 300;
    double *W = random_graph(n, 2, 5), *out = malloc(n * 2 * sizeof *out);
    struct hs_csr g;
    struct hs_err err = {0};
    atomic_int flag = 1;
    struct hs_task task = {NULL, NULL, &flag};
    int rc;

    csr_from_dense(W, n, &g);
    assert_int_equal(hs_spectral_embed(&g, 2, 0, 1, out, NULL, &task, &err), HS_ECANCELLED);
    for (long k = 0;; k++) {
        hs_mem_fail_after(k);
        rc = hs_spectral_embed(&g, 2, 0, 1, out, NULL, NULL, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK)
            break;
        assert_int_equal(rc, HS_ENOMEM);
        assert_true(k < 50);
    }
    hs_csr_release(&g);
    free(W);
    free(out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_graph_exact),
        cmocka_unit_test(test_restarted_graph),
        cmocka_unit_test(test_components),
        cmocka_unit_test(test_cancel_and_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

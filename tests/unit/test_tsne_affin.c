/* Unit tests of t-SNE's similarities on compact lists (src/tsne_affin.c,
 * tsne_affin.h): the symmetric P built in the lists' own memory against a
 * dense (C + C^T) / 2n computed here, on lists made here (mutual pairs,
 * one-way ones, rows pointed at by many); the 32-bit neighbour lists
 * against the size_t ones of knn.h; cancel and out of memory. */
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

#include "test_util.h"

#include "knn.h"
#include "mem.h"
#include "tsne.h"
#include "tsne_affin.h"

/* n rows of k distinct neighbours (never the row itself), drawn so that
 * some rows are wanted by many (a hub: row 0 is in most lists), with
 * positive values; idx and c from hs_malloc, as hs_tsne_symmetrize_lists
 * takes them. */
static void
make_lists(size_t n, size_t k, uint64_t seed, uint32_t **idx, double **c)
{
    *idx = hs_malloc(n * k * sizeof **idx);
    *c = hs_malloc(n * k * sizeof **c);
    assert_non_null(*idx);
    assert_non_null(*c);
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < k; m++) {
            uint32_t j;
            bool again;
            do {
                double u = tu_unit(tu_splitmix(&seed));
                /* near neighbours (mutual pairs likely), the hub, or anyone */
                j = u < 0.5   ? (uint32_t)((i + 1 + (size_t)(u * 2 * 6)) % n)
                    : u < 0.6 ? 0
                              : (uint32_t)(tu_unit(tu_splitmix(&seed)) * (double)n);
                again = j == i || j >= n;
                for (size_t q = 0; q < m && !again; q++)
                    again = (*idx)[i * k + q] == j;
            } while (again);
            (*idx)[i * k + m] = j;
            (*c)[i * k + m] = 0.01 + tu_unit(tu_splitmix(&seed));
        }
}

/* P against the dense matrix of the same lists. */
static void
check_p(const struct hs_tsne_p *P, const uint32_t *idx, const double *c, size_t n, size_t k)
{
    double *dense = calloc(n * n, sizeof *dense);
    size_t nnz = 0;

    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < k; m++) {
            dense[i * n + idx[i * k + m]] += c[i * k + m];
            dense[idx[i * k + m] * n + i] += c[i * k + m];
        }
    assert_int_equal(P->n, n);
    assert_int_equal(P->rowptr[0], 0);
    for (size_t i = 0; i < n; i++) {
        for (size_t e = P->rowptr[i]; e < P->rowptr[i + 1]; e++) {
            size_t j = P->col[e];
            double want = dense[i * n + j] / (2.0 * (double)n);
            if (e > P->rowptr[i])
                assert_true(P->col[e - 1] < j);
            if (!(fabs(P->val[e] - want) <= 1e-15 * want))
                fail_msg("P(%zu, %zu) = %.17g, dense %.17g", i, j, P->val[e], want);
        }
        for (size_t j = 0; j < n; j++)
            nnz += dense[i * n + j] > 0;
    }
    assert_int_equal(P->rowptr[n], nnz);
    free(dense);
}

static void
test_dense_reference(void **state)
{
    (void)state;
    size_t sizes[][2] = {{2, 1}, {7, 3}, {60, 5}, {400, 30}, {1500, 90}};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s][0], k = sizes[s][1];
        struct hs_tsne_p first = {0};
        for (int threads = 1; threads <= 3; threads++) {
            uint32_t *idx, *keep_i;
            double *c, *keep_c;
            struct hs_tsne_p P;
            struct hs_err err = {0};
            make_lists(n, k, 40 + s, &idx, &c);
            keep_i = malloc(n * k * sizeof *keep_i);
            keep_c = malloc(n * k * sizeof *keep_c);
            memcpy(keep_i, idx, n * k * sizeof *keep_i);
            memcpy(keep_c, c, n * k * sizeof *keep_c);
            assert_int_equal(hs_tsne_symmetrize_lists(idx, c, n, k, &P, threads, NULL, &err),
                             HS_OK);
            check_p(&P, keep_i, keep_c, n, k);
            /* the same bits for any thread count */
            if (threads == 1) {
                first = P;
            } else {
                assert_memory_equal(first.rowptr, P.rowptr, (n + 1) * sizeof *P.rowptr);
                assert_memory_equal(first.col, P.col, P.rowptr[n] * sizeof *P.col);
                assert_memory_equal(first.val, P.val, P.rowptr[n] * sizeof *P.val);
                hs_tsne_p_release(&P);
            }
            free(keep_i);
            free(keep_c);
        }
        hs_tsne_p_release(&first);
    }
}

/* The wide and the compact API of the same search give the same lists
 * (exact below HS_TSNE_EXACT_KNN points; the approximate one directly). */
static void
test_compact_lists(void **state)
{
    (void)state;
    size_t n = 3000, dim = 19, k = 90;
    uint64_t seed = 5;
    double *x = malloc(n * dim * sizeof *x), *d1 = malloc(n * k * sizeof *d1),
           *d2 = malloc(n * k * sizeof *d2);
    size_t *i1 = malloc(n * k * sizeof *i1);
    uint32_t *i2 = malloc(n * k * sizeof *i2);
    struct hs_err err = {0};

    for (size_t i = 0; i < n * dim; i++)
        x[i] = tu_box_muller(tu_unit(tu_splitmix(&seed)), tu_unit(tu_splitmix(&seed))) +
               3.0 * (double)((i / dim) % 3 == i % dim % 3);
    assert_int_equal(hs_knn_exact(x, n, dim, k, i1, d1, 2, NULL, &err), HS_OK);
    assert_int_equal(hs_tsne_neighbours(x, n, dim, k, 1, i2, d2, 2, NULL, &err), HS_OK);
    for (size_t e = 0; e < n * k; e++)
        assert_int_equal(i1[e], i2[e]);
    assert_memory_equal(d1, d2, n * k * sizeof *d1);
    assert_int_equal(hs_knn_approx(x, n, dim, k, 7, i1, d1, 2, NULL, &err), HS_OK);
    assert_int_equal(hs_knn_approx32(x, n, dim, k, 7, i2, d2, 1, NULL, &err), HS_OK);
    for (size_t e = 0; e < n * k; e++)
        assert_int_equal(i1[e], i2[e]);
    assert_memory_equal(d1, d2, n * k * sizeof *d1);
    free(x);
    free(d1);
    free(d2);
    free(i1);
    free(i2);
}

static void
test_cancel_and_memory(void **state)
{
    (void)state;
    size_t n = 300, k = 20;
    uint32_t *idx;
    double *c;
    struct hs_tsne_p P;
    struct hs_err err = {0};
    atomic_int flag;
    struct hs_task task = {NULL, NULL, &flag};

    atomic_init(&flag, 1);
    make_lists(n, k, 3, &idx, &c);
    assert_int_equal(hs_tsne_symmetrize_lists(idx, c, n, k, &P, 2, &task, &err), HS_ECANCELLED);
    assert_null(P.rowptr);
    /* Each allocation failing in turn: a clean HS_ENOMEM, lists freed. */
    int rc = HS_ENOMEM;
    for (long fail = 0; rc == HS_ENOMEM; fail++) {
        make_lists(n, k, 3, &idx, &c);
        hs_mem_fail_after(fail);
        rc = hs_tsne_symmetrize_lists(idx, c, n, k, &P, 1, NULL, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_ENOMEM)
            assert_null(P.rowptr);
    }
    assert_int_equal(rc, HS_OK);
    hs_tsne_p_release(&P);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dense_reference),
        cmocka_unit_test(test_compact_lists),
        cmocka_unit_test(test_cancel_and_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of the shared input step of projections and clusterings
 * (src/embed_input.c): which rows are fitted, and the standardisation
 * against means and sds worked out by hand. */
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

#include "embed_input.h"
#include "mem.h"

/* Two features over five rows: row 2 has a missing input, row 4 is not in
 * part 0.  Fitted: rows 0, 1, 3, with a = 1, 2, 6 (mean 3, sd sqrt(14/3))
 * and b constant 5 (sd taken as 1). */
static void
test_rows_and_standardisation(void **state)
{
    (void)state;
    double a[] = {1, 2, 7, 6, 100}, b[] = {5, 5, NAN, 5, 5};
    const double *x[] = {a, b};
    unsigned char part[] = {0, 0, 0, 0, 1};
    struct hs_method_data d = {.n = 5, .nin = 2, .x = x, .part = part};
    struct hs_embed_input in;
    struct hs_err err = {0};

    assert_int_equal(hs_embed_input_init(&in, &d, 2, &err), HS_OK);
    assert_int_equal(in.n, 3);
    assert_int_equal(in.row[0], 0);
    assert_int_equal(in.row[1], 1);
    assert_int_equal(in.row[2], 3);
    double sd = sqrt(14.0 / 3.0);
    assert_true(fabs(in.mean[0] - 3) < 1e-15);
    assert_true(fabs(in.sd[0] - sd) < 1e-15);
    assert_true(in.sd[1] == 1 && in.mean[1] == 5);
    assert_true(fabs(in.x[0 * 2] - (1 - 3) / sd) < 1e-15);
    assert_true(fabs(in.x[2 * 2] - (6 - 3) / sd) < 1e-15);
    assert_true(in.x[1 * 2 + 1] == 0);

    double out[2];
    assert_true(hs_embed_input_row(&in, &d, 4, out));
    assert_true(fabs(out[0] - 97 / sd) < 1e-12);
    assert_false(hs_embed_input_row(&in, &d, 2, out));
    hs_embed_input_release(&in);

    /* Without parts every complete row is fitted. */
    d.part = NULL;
    assert_int_equal(hs_embed_input_init(&in, &d, 0, &err), HS_OK);
    assert_int_equal(in.n, 4);
    hs_embed_input_release(&in);
}

/* The column-major layout holds the same values as the row-major one, and
 * neither depends on the logical threads (the passes are cut by rows and
 * features alone). */
static void
test_columns_and_threads(void **state)
{
    (void)state;
    size_t n = 70001, dim = 3;
    double *c[3];
    for (size_t j = 0; j < dim; j++) {
        c[j] = malloc(n * sizeof *c[j]);
        for (size_t i = 0; i < n; i++)
            c[j][i] = (i % 7 == 3 && j == 1) ? NAN : 1e6 * (double)j + sin((double)(i * (j + 1)));
    }
    const double *x[] = {c[0], c[1], c[2]};
    struct hs_method_data d = {.n = n, .nin = dim, .x = x, .threads = 1};
    struct hs_embed_input a, b;
    struct hs_err err = {0};

    assert_int_equal(hs_embed_input_init(&a, &d, 1, &err), HS_OK);
    assert_int_equal(a.n, n - (n + 3) / 7);
    assert_null(a.xt);
    for (int t = 2; t <= 3; t++) {
        d.threads = t;
        assert_int_equal(hs_embed_input_init_columns(&b, &d, 1, &err), HS_OK);
        assert_null(b.x);
        assert_int_equal(b.n, a.n);
        assert_memory_equal(b.row, a.row, a.n * sizeof *a.row);
        assert_memory_equal(b.mean, a.mean, dim * sizeof *a.mean);
        assert_memory_equal(b.sd, a.sd, dim * sizeof *a.sd);
        for (size_t i = 0; i < a.n; i++)
            for (size_t j = 0; j < dim; j++)
                assert_true(tu_same_bits(b.xt[j * b.n + i], a.x[i * dim + j]));
        hs_embed_input_release(&b);
    }
    /* Against the two-pass moments worked out here. */
    for (size_t j = 0; j < dim; j++) {
        long double s = 0, q = 0;
        for (size_t r = 0; r < a.n; r++)
            s += c[j][a.row[r]];
        long double m = s / a.n;
        for (size_t r = 0; r < a.n; r++)
            q += (c[j][a.row[r]] - m) * (c[j][a.row[r]] - m);
        assert_true(fabs(a.mean[j] - (double)m) <= 1e-12 * (1 + fabs((double)m)));
        assert_true(fabs(a.sd[j] - sqrt((double)(q / a.n))) < 1e-12);
    }
    hs_embed_input_release(&a);
    for (size_t j = 0; j < dim; j++)
        free(c[j]);
}

static void
test_too_few_rows(void **state)
{
    (void)state;
    double a[] = {NAN, 1, 2};
    const double *x[] = {a};
    struct hs_method_data d = {.n = 3, .nin = 1, .x = x};
    struct hs_embed_input in;
    struct hs_err err = {0};

    assert_int_equal(hs_embed_input_init(&in, &d, 3, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "2 events"));
    assert_non_null(strstr(err.msg, "at least 3"));
    assert_null(in.x);
}

static void
test_out_of_memory(void **state)
{
    (void)state;
    double a[] = {1, 2, 3};
    const double *x[] = {a};
    struct hs_method_data d = {.n = 3, .nin = 1, .x = x};
    struct hs_err err = {0};

    for (long k = 0; k < 4; k++) {
        struct hs_embed_input in;
        hs_mem_fail_after(k);
        int rc = hs_embed_input_init(&in, &d, 1, &err);
        hs_mem_fail_after(-1);
        assert_int_equal(rc, HS_ENOMEM);
        assert_null(in.x);
        assert_null(in.row);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_and_standardisation),
        cmocka_unit_test(test_columns_and_threads),
        cmocka_unit_test(test_too_few_rows),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

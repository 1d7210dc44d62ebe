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
        cmocka_unit_test(test_too_few_rows),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* libFuzzer target for the expression compiler and evaluator.
 *
 * The input is an expression.  It is compiled against a fixed set of
 * columns (numbers, names that are also function names, a name with a
 * space, a text column) and, when it compiles, evaluated over rows that
 * hold the awkward values (0, -0, negatives, NaN, inf, huge, tiny) across
 * a block boundary.  Besides what the sanitizers see, it checks the
 * contracts: an error has a message and a position inside the input, a
 * truth-valued expression gives only 0 and 1, and the counts are sane.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "mem.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NCOLS = 8, NROWS = 1030 };

static const char *const names[NCOLS] = {"a", "b", "eta", "pt", "p T", "type", "E1", "sqrt"};
static const enum hs_col_kind kinds[NCOLS] = {HS_COL_NUMBER, HS_COL_NUMBER, HS_COL_NUMBER,
                                              HS_COL_NUMBER, HS_COL_NUMBER, HS_COL_TEXT,
                                              HS_COL_NUMBER, HS_COL_NUMBER};
static char cat0[] = "EB", cat1[] = "EE", cat2[] = "";
static char *cats[] = {cat0, cat1, cat2};
static struct hs_column text_col = {.name = (char *)"type", .kind = HS_COL_TEXT, .cats = cats,
                                    .ncats = 3, .cats_cap = 3};

static void
check(int ok)
{
    if (!ok)
        __builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const double special[] = {0.0, -0.0, 1.0, -1.0, 0.5, 2.0, NAN, INFINITY, -INFINITY,
                                     1e308, -1e308, 5e-324, 3.0, 100.0, -7.25, 1e-300};
    static double vals[NCOLS][NROWS];
    static const double *cols[NCOLS];
    static double out[NROWS];
    static int ready;
    const struct hs_column *colp[NCOLS] = {NULL};
    struct hs_expr_columns ec = {NCOLS, names, kinds, colp, NULL};
    struct hs_expr *e = NULL;
    struct hs_expr_stats st;
    struct hs_err err;
    size_t nchars = 0, i;
    char *src;
    int rc;

    if (!ready) {
        size_t ns = sizeof special / sizeof special[0];
        for (int c = 0; c < NCOLS; c++) {
            for (int r = 0; r < NROWS; r++)
                vals[c][r] = c != 5     ? special[(size_t)(r * (c + 1) + c) % ns]
                             : r % 7 == 0 ? NAN
                                          : (double)((r + c) % 4);
            cols[c] = vals[c];
        }
        /* A missing text cell is NaN, and code 3 does not exist. */
        ready = 1;
    }
    colp[5] = &text_col;
    if (size > 4096)
        return 0;
    src = malloc(size + 1);
    if (!src)
        return 0;
    if (size > 0)
        memcpy(src, data, size);
    src[size] = '\0';
    for (i = 0; src[i]; i++)
        nchars += ((unsigned char)src[i] & 0xc0) != 0x80;

    rc = hs_expr_compile(src, &ec, &e, &err);
    if (rc != HS_OK) {
        check(e == NULL);
        check(err.code == rc);
        check(err.msg[0] != '\0');
        check(rc == HS_ENOMEM || (err.col >= 1 && (size_t)err.col <= nchars + 1));
        free(src);
        return 0;
    }
    check(e != NULL);
    check(hs_expr_ncolumns(e) <= NCOLS);
    for (i = 0; i < hs_expr_ncolumns(e); i++)
        check(hs_expr_column(e, i) < NCOLS);
    {
        /* Across a block boundary, and once on a single row. */
        size_t n = size % 2 ? NROWS : 1;
        rc = hs_expr_eval(e, cols, n, out, &st, NULL, &err);
        check(rc == HS_OK);
        check(st.nrows == n && st.nnan <= n);
        for (i = 0; i < n; i++) {
            check(isnan(out[i]) == 0 || st.nnan > 0);
            if (hs_expr_is_boolean(e))
                check(out[i] == 0.0 || out[i] == 1.0);
        }
    }
    hs_expr_free(e);
    free(src);
    return 0;
}

/* test_csv.c: the CSV reader.
 *
 * Every successful read is repeated with the input handed over a few bytes
 * at a time (hs_csv_read_mem_chunked), which cuts records, quotes, numbers
 * and line breaks at every position: the tables must be identical.  Every
 * malformed input is checked for its exact message and location, again
 * for every chunking.  Expected values come from strtod, never from the
 * reader's earlier output.
 */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "csv.h"
#include "csv_impl.h"
#include "mem.h"
#include "table.h"

static const size_t chunks[] = {1, 2, 3, 5, 7, 13, 64};

static bool
same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static void
assert_same_table(const struct hs_table *a, const struct hs_table *b, const char *what)
{
    if (a->nrows != b->nrows || a->ncols != b->ncols)
        fail_msg("%s: %zux%zu vs %zux%zu", what, a->nrows, a->ncols, b->nrows, b->ncols);
    for (size_t j = 0; j < a->ncols; j++) {
        const struct hs_column *x = &a->cols[j], *y = &b->cols[j];
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->ncats, y->ncats);
        for (size_t k = 0; k < x->ncats; k++)
            assert_string_equal(x->cats[k], y->cats[k]);
        for (size_t i = 0; i < a->nrows; i++)
            if (!same_bits(x->v[i], y->v[i]))
                fail_msg("%s: row %zu column '%s': %a vs %a", what, i, x->name, x->v[i], y->v[i]);
    }
}

/* Read text; the read must succeed, and give the same table however the
 * input is cut. */
static struct hs_table *
read_ok(const char *text, size_t len, const struct hs_csv_options *o)
{
    struct hs_table *t = NULL;
    struct hs_err err = {0};
    int rc = hs_csv_read_mem(text, len, "data.csv", o, &t, NULL, &err);

    if (rc != HS_OK)
        fail_msg("read failed (%d): %s", rc, err.msg);
    if (len < 20000)
        for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
            struct hs_table *u = NULL;
            char what[64];
            rc = hs_csv_read_mem_chunked(text, len, chunks[c], "data.csv", o, &u, NULL, &err);
            if (rc != HS_OK)
                fail_msg("read by %zu bytes failed (%d): %s", chunks[c], rc, err.msg);
            snprintf(what, sizeof what, "read by %zu bytes", chunks[c]);
            assert_same_table(t, u, what);
            hs_table_free(u);
        }
    /* and by threads, each parsing a range of lines (test_csv_par) */
    for (int th = 2; th <= 3; th++) {
        struct hs_table *u = NULL;
        rc = hs_csv_read_mem_threads(text, len, 0, "data.csv", o, th, &u, NULL, &err);
        if (rc != HS_OK)
            fail_msg("read by %d threads failed (%d): %s", th, rc, err.msg);
        assert_same_table(t, u, "read by threads");
        hs_table_free(u);
    }
    return t;
}

static struct hs_table *
read_str(const char *text, const struct hs_csv_options *o)
{
    return read_ok(text, strlen(text), o);
}

/* Read text; it must fail with exactly this code, message and location. */
static void
read_fail_n(const char *text, size_t len, const struct hs_csv_options *o, int code, const char *msg,
            int line, int col)
{
    for (size_t c = 0; c <= sizeof chunks / sizeof *chunks; c++) {
        struct hs_table *t = (struct hs_table *)&t; /* must stay untouched */
        struct hs_err err = {0};
        size_t chunk = c == 0 ? 0 : chunks[c - 1];
        int rc;
        if (chunk && len > 20000)
            break;
        rc = hs_csv_read_mem_chunked(text, len, chunk, "data.csv", o, &t, NULL, &err);
        if (rc != code)
            fail_msg("chunk %zu: code %d, want %d (%s)", chunk, rc, code, err.msg);
        assert_ptr_equal(t, (struct hs_table *)&t);
        if (strcmp(err.msg, msg) != 0)
            fail_msg("chunk %zu:\n  got:  %s\n  want: %s", chunk, err.msg, msg);
        assert_int_equal(err.code, code);
        assert_int_equal(err.line, line);
        assert_int_equal(err.col, col);
    }
    for (int th = 2; th <= 3; th++) {
        struct hs_table *t = (struct hs_table *)&t;
        struct hs_err err = {0};
        int rc = hs_csv_read_mem_threads(text, len, 0, "data.csv", o, th, &t, NULL, &err);
        if (rc != code || strcmp(err.msg, msg) != 0)
            fail_msg("%d threads: code %d, want %d:\n  got:  %s\n  want: %s", th, rc, code, err.msg,
                     msg);
        assert_ptr_equal(t, (struct hs_table *)&t);
        assert_int_equal(err.line, line);
        assert_int_equal(err.col, col);
    }
}

static void
read_fail(const char *text, const struct hs_csv_options *o, int code, const char *msg, int line,
          int col)
{
    read_fail_n(text, strlen(text), o, code, msg, line, col);
}

static double
num(const char *s)
{
    return strtod(s, NULL);
}

static void
assert_num(const struct hs_table *t, size_t row, size_t col, const char *want)
{
    double w = num(want);
    assert_true(col < t->ncols && row < t->nrows);
    assert_int_equal(t->cols[col].kind, HS_COL_NUMBER);
    if (!same_bits(t->cols[col].v[row], w))
        fail_msg("row %zu col %zu: %a, want %s", row, col, t->cols[col].v[row], want);
}

static void
assert_missing(const struct hs_table *t, size_t row, size_t col)
{
    assert_true(isnan(t->cols[col].v[row]));
}

static void
assert_text(const struct hs_table *t, size_t row, size_t col, const char *want)
{
    const char *got;
    assert_int_equal(t->cols[col].kind, HS_COL_TEXT);
    got = hs_column_text(&t->cols[col], t->cols[col].v[row]);
    if (!got || strcmp(got, want) != 0)
        fail_msg("row %zu col %zu: '%s', want '%s'", row, col, got ? got : "(missing)", want);
}

static void
assert_names(const struct hs_table *t, const char *const *names, size_t n)
{
    assert_int_equal(t->ncols, n);
    for (size_t j = 0; j < n; j++)
        assert_string_equal(t->cols[j].name, names[j]);
}

/* ---- well-formed input --------------------------------------------------- */

static void
test_basic(void **state)
{
    static const char *const names[] = {"a", "b", "c"};
    struct hs_table *t = read_str("a,b,c\n1,-2.5,3e-05\n0.123456789,-12.5,1.7976931348623157e308\n"
                                  "-0,.5,5.\n123456789012345678901234567890,4.9e-324,inf\n",
                                  NULL);
    assert_names(t, names, 3);
    assert_int_equal(t->nrows, 4);
    assert_num(t, 0, 0, "1");
    assert_num(t, 0, 1, "-2.5");
    assert_num(t, 0, 2, "3e-05");
    assert_num(t, 1, 0, "0.123456789");
    assert_num(t, 1, 2, "1.7976931348623157e308");
    assert_num(t, 2, 0, "-0");
    assert_num(t, 2, 1, ".5");
    assert_num(t, 2, 2, "5.");
    assert_num(t, 3, 0, "123456789012345678901234567890");
    assert_num(t, 3, 1, "4.9e-324");
    assert_true(isinf(t->cols[2].v[3]));
    hs_table_free(t);
    (void)state;
}

static void
test_line_endings(void **state)
{
    static const char *const texts[] = {
        "a,b\r\n1,2\r\n3,4\r\n",
        "a,b\r1,2\r3,4\r",
        "a,b\n1,2\n3,4",
        "a,b\r\n1,2\r\n3,4",
        "a,b\r1,2\r3,4",
        "a,b\n1,2\r\n3,4\r",
        "\xef\xbb\xbf"
        "a,b\n1,2\n3,4\n",
        "\xef\xbb\xbf"
        "a,b\r\n1,2\r\n\r\n3,4\r\n\r\n",
    };
    static const char *const names[] = {"a", "b"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        struct hs_table *t = read_str(texts[i], NULL);
        assert_names(t, names, 2);
        assert_int_equal(t->nrows, 2);
        assert_num(t, 0, 0, "1");
        assert_num(t, 1, 1, "4");
        hs_table_free(t);
    }
    /* line numbers count CR, LF and CRLF alike */
    read_fail("a,b\r1,2\rx,4\r", NULL, HS_EDATA,
              "data.csv:3:1: column 'a': 'x' is not a number (use --text a to read it as text, "
              "or --missing x if it marks a missing value)",
              3, 1);
    read_fail("a,b\r\n1,2\r\n\r\n3,y\r\n", NULL, HS_EDATA,
              "data.csv:4:2: column 'b': 'y' is not a number (use --text b to read it as text, "
              "or --missing y if it marks a missing value)",
              4, 2);
    (void)state;
}

static void
test_quoting(void **state)
{
    static const char *const names[] = {"name", "v", "a b", "c,d"};
    const char *text = "\"name\",v,\"a b\",\"c,d\"\n"
                       "\"Smith, J\",1,\"2\",x\n"
                       "\"say \"\"hi\"\"\",\"3\",4,\"\"\n"
                       "\"multi\nline\r\nfield\",5,  \"6\"  ,y\n"
                       "plain\"quote,7,8,z\n";
    struct hs_table *t = read_str(text, NULL);

    assert_names(t, names, 4);
    assert_int_equal(t->nrows, 4);
    assert_text(t, 0, 0, "Smith, J");
    assert_text(t, 1, 0, "say \"hi\"");
    assert_text(t, 2, 0, "multi\nline\r\nfield");
    assert_text(t, 3, 0, "plain\"quote");
    assert_num(t, 0, 1, "1");
    assert_num(t, 1, 1, "3");
    assert_num(t, 0, 2, "2");
    assert_num(t, 2, 2, "6");
    assert_text(t, 0, 3, "x");
    assert_missing(t, 1, 3); /* "" is an empty cell */
    hs_table_free(t);

    /* a quoted field spanning lines moves the line count on */
    read_fail("a,b\n\"x\ny\",1\n\"z\",q\n", NULL, HS_EDATA,
              "data.csv:4:2: column 'b': 'q' is not a number (use --text b to read it as text, "
              "or --missing q if it marks a missing value)",
              4, 2);
    read_fail("a,b\nw,2\n\"x\ny\",\"z\"\n", NULL, HS_EDATA,
              "data.csv:4:2: column 'b': 'z' is not a number (use --text b to read it as text, "
              "or --missing z if it marks a missing value)",
              4, 2);
    (void)state;
}

static void
test_comments_blanks(void **state)
{
    static const char *const names[] = {"a", "b"};
    struct hs_table *t =
        read_str("# made by hand\n\n   \na,b\n# a comment\n1,2\n\n\t\n3,4\n# end", NULL);
    struct hs_csv_options o = {.comment = '%'};

    assert_names(t, names, 2);
    assert_int_equal(t->nrows, 2);
    assert_num(t, 1, 0, "3");
    hs_table_free(t);

    t = read_str("%% percent\na,b\n% x\n1,2\n", &o);
    assert_int_equal(t->nrows, 1);
    hs_table_free(t);
    /* '#' is data when another comment character is chosen */
    read_fail("a,b\n1,2\n#x,3\n", &o, HS_EDATA,
              "data.csv:3:1: column 'a': '#x' is not a number (use --text a to read it as "
              "text, or --missing #x if it marks a missing value)",
              3, 1);
    read_fail("# one\n# two\na,b\n\n1,2\n#\n1,z\n", NULL, HS_EDATA,
              "data.csv:7:2: column 'b': 'z' is not a number (use --text b to read it as text, "
              "or --missing z if it marks a missing value)",
              7, 2);
    (void)state;
}

static void
test_missing(void **state)
{
    struct hs_table *t = read_str("a,b,c\n"
                                  "1,,x\n"
                                  "NA,2,NA\n"
                                  "nan,NaN,n/a\n"
                                  "N/A,null,NULL\n"
                                  "None,none,\"\"\n"
                                  "  ,-nan,y\n"
                                  "4,5,z\n",
                                  NULL);
    assert_int_equal(t->nrows, 7);
    assert_num(t, 0, 0, "1");
    for (size_t i = 1; i <= 5; i++)
        assert_missing(t, i, 0);
    assert_num(t, 6, 0, "4");
    assert_missing(t, 0, 1);
    assert_num(t, 1, 1, "2");
    for (size_t i = 2; i <= 5; i++)
        assert_missing(t, i, 1);
    assert_text(t, 0, 2, "x");
    for (size_t i = 1; i <= 4; i++)
        assert_missing(t, i, 2);
    assert_text(t, 5, 2, "y");
    assert_int_equal(t->cols[2].ncats, 3);
    hs_table_free(t);

    /* a column of missing cells only is numeric */
    t = read_str("a,b\n1,\n2,NA\n", NULL);
    assert_int_equal(t->cols[1].kind, HS_COL_NUMBER);
    hs_table_free(t);
    (void)state;
}

static void
test_sentinels(void **state)
{
    static const char *const miss[] = {"-999", "x9", "-1e30"};
    struct hs_csv_options o = {.missing = miss, .n_missing = 3};
    struct hs_table *t = read_str("a,b,t\n"
                                  "-999,1,EB\n"
                                  "-999.0,x9,-999.0\n"
                                  "-9.99e2,-999.5,-9990e-1\n"
                                  "-99900E-2,2,EE\n"
                                  "\"-999\",-1e30,x9\n"
                                  "-999.000000000000000000001,-1.0e+30,X9\n",
                                  &o);

    assert_int_equal(t->nrows, 6);
    for (size_t i = 0; i < 5; i++)
        assert_missing(t, i, 0);
    /* exactly: -999.000000000000000000001 is not -999 as a double? it is */
    assert_missing(t, 5, 0);
    assert_num(t, 0, 1, "1");
    assert_missing(t, 1, 1);
    assert_num(t, 2, 1, "-999.5");
    assert_missing(t, 4, 1);
    assert_missing(t, 5, 1);
    assert_text(t, 0, 2, "EB");
    assert_missing(t, 1, 2); /* a number sentinel in a text column */
    assert_missing(t, 2, 2);
    assert_missing(t, 4, 2);
    assert_text(t, 5, 2, "X9"); /* words compare exactly */
    hs_table_free(t);

    /* an out-of-range number as a sentinel matches as text; subnormals
     * and a text column's cells are read as they are */
    {
        static const char *const big[] = {"1e400"};
        struct hs_csv_options ob = {.missing = big, .n_missing = 1};
        t = read_str("a,b,t\n1e400,4.9e-324,x\n2,-4.9e-324,1e-400\n", &ob);
        assert_missing(t, 0, 0);
        assert_num(t, 1, 0, "2");
        assert_num(t, 0, 1, "4.9e-324");
        assert_num(t, 1, 1, "-4.9e-324");
        assert_text(t, 1, 2, "1e-400");
        hs_table_free(t);
    }

    /* renames apply first; reserved names are refused where they stand,
     * unless renamed or left out */
    {
        static const char *const res[] = {"_label", "_weight", "_group"};
        static const char *const ren[] = {"_label=lab", "b=c"};
        struct hs_csv_options orr = {.reserved = res, .n_reserved = 3};
        read_fail("# note\na,_weight\n1,2\n", &orr, HS_EDATA,
                  "data.csv:2:2: column name '_weight' is reserved (the dataset gets a column of "
                  "that name): import it under another name with --rename _weight=NEW",
                  2, 2);
        orr.renames = ren;
        orr.n_renames = 2;
        t = read_str(",_label,b\n0,1,2\n", &orr);
        assert_int_equal(t->ncols, 2);
        assert_string_equal(t->cols[0].name, "lab");
        assert_string_equal(t->cols[1].name, "c");
        hs_table_free(t);
        orr.renames = (const char *const[]){"nope=x"};
        orr.n_renames = 1;
        read_fail("a,b\n1,2\n", &orr, HS_EUSAGE,
                  "data.csv: --rename names no column 'nope' (the columns are: a, b)", 0, 0);
        orr.renames = NULL;
        orr.n_renames = 0;
        orr.columns = (const char *const[]){"a"};
        orr.n_columns = 1;
        t = read_str("a,_group\n1,2\n", &orr);
        assert_int_equal(t->ncols, 1);
        hs_table_free(t);
    }

    /* a sentinel cell does not decide the column's type */
    t = read_str("a\nx9\n-999\n3\n", &o);
    assert_int_equal(t->cols[0].kind, HS_COL_NUMBER);
    assert_num(t, 2, 0, "3");
    hs_table_free(t);
    (void)state;
}

static void
test_text_columns(void **state)
{
    static const char *const force[] = {"n"};
    struct hs_csv_options o = {.text_columns = force, .n_text = 1};
    struct hs_table *t = read_str("type,n,v\nEB,1,0.5\nEE,2,1\nEB,01,2\n,,3\n12,1,4\n", &o);

    assert_int_equal(t->nrows, 5);
    assert_int_equal(t->cols[0].kind, HS_COL_TEXT);
    assert_int_equal(t->cols[0].ncats, 3);
    assert_true(t->cols[0].v[0] == 0 && t->cols[0].v[1] == 1 && t->cols[0].v[2] == 0);
    assert_missing(t, 3, 0);
    assert_text(t, 4, 0, "12"); /* a number in a text column is text */
    assert_text(t, 0, 1, "1");
    assert_text(t, 2, 1, "01");
    assert_int_equal(t->cols[1].ncats, 3);
    assert_num(t, 4, 2, "4");
    hs_table_free(t);

    /* many distinct strings: codes stay dense and in order */
    {
        size_t n = 5000, used = 0;
        char *text = malloc(n * 16 + 16);
        used += (size_t)sprintf(text, "id\n");
        for (size_t i = 0; i < n; i++)
            used += (size_t)sprintf(text + used, "s%zu\n", i % 3000);
        t = read_ok(text, used, NULL);
        assert_int_equal(t->cols[0].ncats, 3000);
        for (size_t i = 0; i < n; i++)
            assert_true(t->cols[0].v[i] == (double)(i % 3000));
        assert_string_equal(t->cols[0].cats[2999], "s2999");
        hs_table_free(t);
        free(text);
    }
    read_fail("a,b\n1,2\n",
              &(struct hs_csv_options){.text_columns = (const char *const[]){"zz"}, .n_text = 1},
              HS_EUSAGE, "data.csv: --text names no column 'zz' (the columns are: a, b)", 0, 0);
    (void)state;
}

static void
test_type_decided_by_first(void **state)
{
    read_fail("a,b\n,1\nNA,2\n1,3\nx,4\n", NULL, HS_EDATA,
              "data.csv:5:1: column 'a': 'x' is not a number (use --text a to read it as text, "
              "or --missing x if it marks a missing value)",
              5, 1);
    /* text first: later numbers are text */
    struct hs_table *t = read_str("a\nx\n1\n", NULL);
    assert_text(t, 1, 0, "1");
    hs_table_free(t);
    (void)state;
}

static void
test_pandas_index(void **state)
{
    static const char *const names[] = {"a", "b"};
    struct hs_table *t = read_str(",a,b\n0,1,2\n1,3,4\n", NULL);
    assert_names(t, names, 2);
    assert_num(t, 1, 0, "3");
    hs_table_free(t);
    t = read_str("\"\",a,b\nr0,1,2\nr1,3,4\n", NULL);
    assert_names(t, names, 2);
    assert_num(t, 1, 1, "4");
    hs_table_free(t);
    /* other empty names become colN */
    static const char *const names2[] = {"a", "col2", "c"};
    t = read_str("a,,c\n1,2,3\n", NULL);
    assert_names(t, names2, 3);
    hs_table_free(t);
    /* positions in messages count the index column */
    read_fail(",a,b\n0,1,2\n1,3,x\n", NULL, HS_EDATA,
              "data.csv:3:3: column 'b': 'x' is not a number (use --text b to read it as text, "
              "or --missing x if it marks a missing value)",
              3, 3);
    (void)state;
}

static void
test_select_columns(void **state)
{
    static const char *const want[] = {"c", "a"};
    static const char *const names[] = {"a", "c"};
    static const char *const bad[] = {"a", "zz", "yy"};
    struct hs_csv_options o = {.columns = want, .n_columns = 2};
    struct hs_table *t = read_str("a,b,c\n1,x,3\n4,y,6\n", &o);

    assert_names(t, names, 2);
    assert_num(t, 1, 1, "6");
    hs_table_free(t);
    /* a bad cell in a column left out is not looked at */
    t = read_str("a,b,c\n1,2,3\n4,oops,6\n", &o);
    assert_int_equal(t->nrows, 2);
    hs_table_free(t);
    o.columns = bad;
    o.n_columns = 3;
    read_fail("a,b,c\n1,2,3\n", &o, HS_EUSAGE,
              "data.csv: --columns names no column 'zz' (the columns are: a, b, c)", 0, 0);
    (void)state;
}

static void
test_max_rows(void **state)
{
    struct hs_csv_options o = {.max_rows = 2};
    struct hs_table *t = read_str("a\n1\n2\n3\nbad,row\n", &o);
    assert_int_equal(t->nrows, 2);
    assert_num(t, 1, 0, "2");
    hs_table_free(t);
    o.max_rows = 10;
    t = read_str("a\n1\n2\n", &o);
    assert_int_equal(t->nrows, 2);
    hs_table_free(t);
    (void)state;
}

static void
test_tsv(void **state)
{
    static const char *const names[] = {"a", "b", "c"};
    struct hs_table *t = read_str("a\tb\tc\n1\t\t3\n\t2\t\n 7 \t 5 \t6\n", NULL);

    assert_names(t, names, 3);
    assert_int_equal(t->nrows, 3);
    assert_num(t, 0, 0, "1");
    assert_missing(t, 0, 1);
    assert_missing(t, 1, 0);
    assert_missing(t, 1, 2);
    assert_num(t, 2, 1, "5");
    hs_table_free(t);
    /* explicitly, and with a text cell holding commas */
    t = read_str("a\tb\tc\nx, y\t1\t2\n", &(struct hs_csv_options){.delimiter = '\t'});
    assert_text(t, 0, 0, "x, y");
    hs_table_free(t);
    read_fail("a\tb\tc\n1\t2\n", NULL, HS_EDATA,
              "data.csv:2:3: expected 3 fields (as in the header), found 2", 2, 3);
    (void)state;
}

static void
test_whitespace(void **state)
{
    static const char *const names[] = {"a", "b", "c"};
    const char *good = "  a   b  c\n 1  2 3  \n\t4\t5   6\n\n";
    const char *text = "  a   b  c\n 1  2 3  \n\t4\t5   6\n\n  \"x y\" 7 8\n";
    struct hs_csv_options o = {.delimiter = HS_CSV_WS};
    struct hs_table *t = read_str(good, NULL);

    assert_names(t, names, 3);
    assert_int_equal(t->nrows, 2);
    assert_num(t, 0, 2, "3");
    assert_num(t, 1, 0, "4");
    assert_num(t, 1, 2, "6");
    assert_int_equal(t->cols[0].kind, HS_COL_NUMBER);
    hs_table_free(t);
    read_fail(text, NULL, HS_EDATA,
              "data.csv:5:1: column 'a': 'x y' is not a number (use --text a to read it as text, "
              "or --missing x y if it marks a missing value)",
              5, 1);
    t = read_str("x y\n1 2\n3 4\n", &o);
    assert_int_equal(t->nrows, 2);
    hs_table_free(t);
    read_fail("a b\n1 2 3\n", &o, HS_EDATA,
              "data.csv:2:3: expected 2 fields (as in the header), found 3", 2, 3);
    (void)state;
}

static void
test_sniff(void **state)
{
    struct hs_table *t = read_str("a;b;c\n1;2;3\n", NULL);
    assert_int_equal(t->ncols, 3);
    hs_table_free(t);
    t = read_str("a|b\n1|2\n", NULL);
    assert_int_equal(t->ncols, 2);
    hs_table_free(t);
    /* one column: no delimiter anywhere */
    t = read_str("x\n1\n2\n", NULL);
    assert_int_equal(t->ncols, 1);
    assert_int_equal(t->nrows, 2);
    hs_table_free(t);
    /* a header with spaces but one column */
    t = read_str("my value\n1\n2\n", NULL);
    assert_int_equal(t->ncols, 1);
    assert_string_equal(t->cols[0].name, "my value");
    hs_table_free(t);
    /* a comma in a ';' file is not a decimal comma */
    read_fail("a;b\n1;2\n1,5;2\n", NULL, HS_EDATA,
              "data.csv:3:1: column 'a': '1,5' is not a number (use --text a to read it as "
              "text, or --missing 1,5 if it marks a missing value)",
              3, 1);
    /* commas inside quotes do not count */
    t = read_str("name;v\n\"a,b,c\";1\n\"d\";2\n", NULL);
    assert_int_equal(t->ncols, 2);
    hs_table_free(t);
    (void)state;
}

static void
test_no_header(void **state)
{
    static const char *const names[] = {"col1", "col2"};
    struct hs_csv_options o = {.no_header = true};
    struct hs_table *t = read_str("# c\n\n1,2\n3,4\n", &o);

    assert_names(t, names, 2);
    assert_int_equal(t->nrows, 2);
    assert_num(t, 0, 0, "1");
    assert_num(t, 1, 1, "4");
    hs_table_free(t);
    t = read_str("\xef\xbb\xbf,2\n3,4\n", &o); /* an empty first field is data here */
    assert_int_equal(t->ncols, 2);
    assert_missing(t, 0, 0);
    hs_table_free(t);
    read_fail("1,2\n3\n", &o, HS_EDATA,
              "data.csv:2:2: expected 2 fields (as in the first line), found 1", 2, 2);
    read_fail("# only\n", &o, HS_EDATA,
              "data.csv:1:1: the file is empty (only blank or comment lines)", 1, 1);
    (void)state;
}

/* ---- malformed input ----------------------------------------------------- */

static void
test_malformed(void **state)
{
    read_fail("a,b\n1,2\n1,2,3\n", NULL, HS_EDATA,
              "data.csv:3:3: expected 2 fields (as in the header), found 3", 3, 3);
    read_fail("a,b,c\n1,2\n", NULL, HS_EDATA,
              "data.csv:2:3: expected 3 fields (as in the header), found 2", 2, 3);
    read_fail("a,b\n1,2,\n", NULL, HS_EDATA,
              "data.csv:2:3: expected 2 fields (as in the header), found 3", 2, 3);
    read_fail("a,b\n1,\"abc\n2,3\n", NULL, HS_EDATA,
              "data.csv:2:2: unterminated quote: the quoted field that opens on line 2 has no "
              "closing quote",
              2, 2);
    read_fail("a,b\n1,2\n3,x9\n", NULL, HS_EDATA,
              "data.csv:3:2: column 'b': 'x9' is not a number (use --text b to read it as text, "
              "or --missing x9 if it marks a missing value)",
              3, 2);
    read_fail("a,b\n1,2\n3,1e400\n", NULL, HS_EDATA,
              "data.csv:3:2: column 'b': '1e400' is out of range (it overflows a double; use "
              "--missing 1e400 if it marks a missing value)",
              3, 2);
    read_fail("a,b\n-1e-400,2\n", NULL, HS_EDATA,
              "data.csv:2:1: column 'a': '-1e-400' is out of range (it underflows a double; use "
              "--missing -1e-400 if it marks a missing value)",
              2, 1);
    read_fail("a,b\n1,2\n\"2e308\",3\n", NULL, HS_EDATA,
              "data.csv:3:1: column 'a': '2e308' is out of range (it overflows a double; use "
              "--missing 2e308 if it marks a missing value)",
              3, 1);
    /* the weight column: no infinite or missing cell, in either path */
    {
        struct hs_csv_options ow = {.weight_column = "w",
                                    .missing = (const char *const[]){"-999", "bad"},
                                    .n_missing = 2};
        static const struct {
            const char *text, *msg;
            int line, col;
        } bad[] = {
            {"x,w\n1,2\n2,inf\n", "3:2: column 'w': the weight 'inf' is not finite", 3, 2},
            {"w,x\n-Infinity,2\n", "2:1: column 'w': the weight '-Infinity' is not finite", 2, 1},
            {"x,w\n1,2\n2,\n", "3:2: column 'w': the weight is missing (an empty cell)", 3, 2},
            {"x,w\n1,NA\n", "2:2: column 'w': the weight is missing ('NA')", 2, 2},
            {"x,w\n1,1\n1,-999\n", "3:2: column 'w': the weight is missing ('-999')", 3, 2},
            {"x,w\n1,1\n1,-999.0e0\n", "3:2: column 'w': the weight is missing ('-999.0e0')", 3,
             2},
            {"x,w\n1,bad\n", "2:2: column 'w': the weight is missing ('bad')", 2, 2},
        };
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            char want[200];
            snprintf(want, sizeof want, "data.csv:%s", bad[i].msg);
            read_fail(bad[i].text, &ow, HS_EDATA, want, bad[i].line, bad[i].col);
        }
        read_fail("x,w\n1,1\n1,1e999\n", &ow, HS_EDATA,
                  "data.csv:3:2: column 'w': '1e999' is out of range (it overflows a double; use "
                  "--missing 1e999 if it marks a missing value)",
                  3, 2);
    }
    read_fail("", NULL, HS_EDATA, "data.csv:1:1: the file is empty", 1, 1);
    read_fail("\xef\xbb\xbf", NULL, HS_EDATA, "data.csv:1:1: the file is empty", 1, 1);
    read_fail("\n\n# nothing\n", NULL, HS_EDATA,
              "data.csv:1:1: the file is empty (only blank or comment lines)", 1, 1);
    read_fail("a,b\n", NULL, HS_EDATA, "data.csv:2:1: a header but no events", 2, 1);
    read_fail("a,b", NULL, HS_EDATA, "data.csv:2:1: a header but no events", 2, 1);
    read_fail("# x\na,b\n\n# y\n", NULL, HS_EDATA, "data.csv:3:1: a header but no events", 3, 1);
    read_fail("a,b,a\n1,2,3\n", NULL, HS_EDATA,
              "data.csv:1:3: duplicate column name 'a' (columns 1 and 3)", 1, 3);
    read_fail("x,col3,\n1,2,3\n", NULL, HS_EDATA,
              "data.csv:1:3: duplicate column name 'col3' (columns 2 and 3)", 1, 3);
    read_fail("a,\xff\xfe,c\n1,2,3\n", NULL, HS_EDATA,
              "data.csv:1:2: the name of column 2 is not valid UTF-8", 1, 2);
    read_fail("a,b\n\"x\"y,1\n", NULL, HS_EDATA,
              "data.csv:2:1: text after the closing quote of a quoted field", 2, 1);
    read_fail("t\n\xc3\x28\n", NULL, HS_EDATA,
              "data.csv:2:1: column 't': the text '\xc3\x28' is not valid UTF-8", 2, 1);
    read_fail_n("\xff\xfe"
                "a\0,\0b\0\n\0",
                10, NULL, HS_EDATA,
                "data.csv:1:1: UTF-16 text: convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)",
                1, 1);
    read_fail_n("a,b\n1,2\n3,\0\n", 12, NULL, HS_EDATA,
                "data.csv:3:3: binary data (a NUL byte): is this a CSV file?", 3, 3);
    (void)state;
}

/* A NUL byte, a long line and an unterminated quote far from the start,
 * where the first look does not see them. */
static void
test_malformed_far(void **state)
{
    size_t n = 200000, cap = n * 16 + (10u << 20) + 100, used = 0;
    char *text = malloc(cap);
    char msg[200];

    used += (size_t)sprintf(text, "a,b\n");
    for (size_t i = 0; i < n; i++)
        used += (size_t)sprintf(text + used, "%zu,%zu\n", i, i * 7);
    memcpy(text + used, "1,\0\n", 4);
    read_fail_n(text, used + 4, NULL, HS_EDATA,
                "data.csv:200002:2: binary data (a NUL byte): is this a CSV file?", 200002, 2);
    memcpy(text + used, "1,\"abc\n2,3\n", 11);
    read_fail_n(text, used + 11, NULL, HS_EDATA,
                "data.csv:200002:2: unterminated quote: the quoted field that opens on line "
                "200002 has no closing quote",
                200002, 2);
    /* a 10 MB line */
    memset(text + used, '1', 10u << 20);
    memcpy(text + used + (10u << 20), "\n", 1);
    read_fail_n(text, used + (10u << 20) + 1, NULL, HS_EDATA,
                "data.csv:200002:8388609: line is longer than 8 MiB: is this a CSV file?", 200002,
                8388609);
    /* an unterminated quote followed by 10 MB */
    text[used] = '"';
    snprintf(msg, sizeof msg,
             "data.csv:200002:1: a quoted field that opens here runs over more than 8 MiB: is a "
             "closing quote missing?");
    read_fail_n(text, used + (10u << 20) + 1, NULL, HS_EDATA, msg, 200002, 1);
    free(text);
    (void)state;
}

/* ---- files and gzip ------------------------------------------------------ */

static char tmpdir[64];

static int
make_tmpdir(void **state)
{
    strcpy(tmpdir, "/tmp/hs_test_csv.XXXXXX");
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int
remove_tmpdir(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    (void)state;
    return system(cmd) == 0 ? 0 : -1;
}

static void
write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static char *
make_rows(size_t n, size_t *len)
{
    char *text = malloc(n * 40 + 64);
    size_t used = (size_t)sprintf(text, "x,y,kind\n");
    for (size_t i = 0; i < n; i++)
        used += (size_t)sprintf(text + used, "%zu.%03zu,-%zu.5e-3,%s\n", i, i % 1000, i % 97,
                                i % 3 ? "EB" : "EE");
    *len = used;
    return text;
}

static void
test_files_gzip(void **state)
{
    char plain[128], gz[128], bad[128], cut[128], want[256];
    size_t len, n = 300000;
    char *text = make_rows(n, &len);
    struct hs_table *t = NULL, *u = NULL;
    struct hs_err err = {0};
    gzFile g;

    snprintf(plain, sizeof plain, "%s/rows.csv", tmpdir);
    snprintf(gz, sizeof gz, "%s/rows.csv.gz", tmpdir);
    snprintf(bad, sizeof bad, "%s/bad.csv.gz", tmpdir);
    snprintf(cut, sizeof cut, "%s/cut.gz", tmpdir);
    write_file(plain, text, len);
    g = gzopen(gz, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, text, (unsigned)len), (int)len);
    assert_int_equal(gzclose(g), Z_OK);

    assert_int_equal(hs_csv_read(plain, NULL, &t, NULL, &err), HS_OK);
    assert_int_equal(t->nrows, n);
    assert_num(t, 12345, 0, "12345.345");
    assert_num(t, 12345, 1, "-26.5e-3");
    assert_text(t, 12345, 2, "EE");
    assert_int_equal(hs_csv_read(gz, NULL, &u, NULL, &err), HS_OK);
    assert_same_table(t, u, "gzip");
    hs_table_free(u);
    /* the same from memory */
    u = read_ok(text, len, NULL);
    assert_same_table(t, u, "memory");
    hs_table_free(u);
    hs_table_free(t);

    /* a corrupt stream: damage bytes in the middle of the compressed data */
    {
        FILE *f = fopen(gz, "rb");
        char *z;
        long zl;
        assert_non_null(f);
        fseek(f, 0, SEEK_END);
        zl = ftell(f);
        fseek(f, 0, SEEK_SET);
        z = malloc((size_t)zl);
        assert_int_equal(fread(z, 1, (size_t)zl, f), (size_t)zl);
        fclose(f);
        write_file(cut, z, (size_t)zl / 2); /* truncated */
        /* damage the CRC at the end: the data decompress, the check fails
         * (damaged deflate data may also decompress to garbage that the
         * reader rejects first) */
        for (long i = zl - 8; i < zl - 4; i++)
            z[i] = (char)(z[i] ^ 0x5a);
        write_file(bad, z, (size_t)zl);
        free(z);
    }
    t = (struct hs_table *)&t;
    assert_int_equal(hs_csv_read(bad, NULL, &t, NULL, &err), HS_EDATA);
    assert_ptr_equal(t, (struct hs_table *)&t);
    snprintf(want, sizeof want, "%s: corrupt gzip stream: incorrect data check", bad);
    assert_string_equal(err.msg, want);
    assert_int_equal(hs_csv_read(cut, NULL, &t, NULL, &err), HS_EDATA);
    assert_ptr_equal(t, (struct hs_table *)&t);
    snprintf(want, sizeof want, "%s: corrupt gzip stream: unexpected end of file", cut);
    assert_string_equal(err.msg, want);

    /* display_name replaces the path in messages */
    write_file(bad, "a\nx\n1\nq,\n", 9);
    assert_int_equal(
        hs_csv_read(bad, &(struct hs_csv_options){.display_name = "shown.csv"}, &t, NULL, &err),
        HS_EDATA);
    assert_string_equal(err.msg, "shown.csv:4:2: expected 1 field (as in the header), found 2");
    /* missing file, a directory */
    snprintf(bad, sizeof bad, "%s/none.csv", tmpdir);
    assert_int_equal(hs_csv_read(bad, NULL, &t, NULL, &err), HS_EIO);
    assert_non_null(strstr(err.msg, "none.csv: cannot open: "));
    assert_int_equal(hs_csv_read(tmpdir, NULL, &t, NULL, &err), HS_EIO);
    assert_non_null(strstr(err.msg, "is a directory"));
    assert_ptr_equal(t, (struct hs_table *)&t);
    free(text);
    (void)state;
}

/* Standard input ("-"), plain and gzip: the file is put on descriptor 0. */
/* text as one gzip member, in memory (malloc'd, *zlen bytes) */
static unsigned char *
gzip_mem(const char *text, size_t len, size_t *zlen)
{
    z_stream zs = {0};
    unsigned char *z;

    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z = malloc(deflateBound(&zs, len));
    zs.next_in = (unsigned char *)text;
    zs.avail_in = (unsigned)len;
    zs.next_out = z;
    zs.avail_out = (unsigned)deflateBound(&zs, len);
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *zlen = zs.total_out;
    deflateEnd(&zs);
    return z;
}

/* Concatenated members are one stream (as gzip -d reads them); anything
 * else after the last member is an error at its byte offset, from a file
 * and from standard input alike. */
static void
test_gzip_members_trailing(void **state)
{
    const char *a = "a,b\n1,2\n", *b = "3,4\n5,6\n";
    size_t za, zb;
    unsigned char *ga = gzip_mem(a, strlen(a), &za), *gb = gzip_mem(b, strlen(b), &zb);
    unsigned char *cat = malloc(za + zb + 16);
    char path[128], want[256];
    struct hs_table *t = NULL;
    struct hs_err err = {0};
    int saved = dup(0), fd;

    snprintf(path, sizeof path, "%s/members.csv.gz", tmpdir);
    memcpy(cat, ga, za);
    memcpy(cat + za, gb, zb);
    write_file(path, (const char *)cat, za + zb);
    assert_int_equal(hs_csv_read(path, NULL, &t, NULL, &err), HS_OK);
    assert_int_equal(t->nrows, 3);
    assert_num(t, 2, 1, "6");
    hs_table_free(t);

    /* garbage after the second member, and after the only one */
    memcpy(cat + za + zb, "junk\n", 5);
    write_file(path, (const char *)cat, za + zb + 5);
    for (int pass = 0; pass < 2; pass++) {
        t = (struct hs_table *)&t;
        if (pass == 0) {
            assert_int_equal(hs_csv_read(path, NULL, &t, NULL, &err), HS_EDATA);
            snprintf(want, sizeof want,
                     "%s: byte offset %zu: data after the end of the gzip stream that is not "
                     "another gzip member",
                     path, za + zb);
        } else {
            fd = open(path, O_RDONLY);
            assert_true(fd >= 0 && saved >= 0);
            assert_int_equal(dup2(fd, 0), 0);
            close(fd);
            assert_int_equal(hs_csv_read("-", NULL, &t, NULL, &err), HS_EDATA);
            snprintf(want, sizeof want,
                     "<stdin>: byte offset %zu: data after the end of the gzip stream that is "
                     "not another gzip member",
                     za + zb);
            dup2(saved, 0);
        }
        assert_string_equal(err.msg, want);
        assert_ptr_equal(t, (struct hs_table *)&t);
    }
    /* zero padding is trailing data too; so is one stray byte, too short
     * for a gzip header */
    memcpy(cat + za, "\0\0\0", 3);
    for (int tail = 3; tail >= 1; tail -= 2) {
        cat[za] = tail == 1 ? 0x1f : 0;
        write_file(path, (const char *)cat, za + (size_t)tail);
        assert_int_equal(hs_csv_read(path, NULL, &t, NULL, &err), HS_EDATA);
        snprintf(want, sizeof want,
                 "%s: byte offset %zu: data after the end of the gzip stream that is not "
                 "another gzip member",
                 path, za);
        assert_string_equal(err.msg, want);
    }
    close(saved);
    free(cat);
    free(ga);
    free(gb);
    (void)state;
}

static void
test_stdin(void **state)
{
    const char *text = "a,b\n1,2\n3,x\n";
    char path[128];
    struct hs_table *t = (struct hs_table *)&t;
    struct hs_err err = {0};
    int saved = dup(0), fd;
    gzFile g;

    snprintf(path, sizeof path, "%s/stdin.csv.gz", tmpdir);
    g = gzopen(path, "wb");
    assert_non_null(g);
    gzputs(g, text);
    gzclose(g);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            snprintf(path, sizeof path, "%s/stdin.csv", tmpdir);
            write_file(path, text, strlen(text));
        }
        fd = open(path, O_RDONLY);
        assert_true(fd >= 0 && saved >= 0);
        assert_int_equal(dup2(fd, 0), 0);
        close(fd);
        assert_int_equal(hs_csv_read("-", NULL, &t, NULL, &err), HS_EDATA);
        assert_string_equal(err.msg, "<stdin>:3:2: column 'b': 'x' is not a number (use --text b "
                                     "to read it as text, or --missing x if it marks a missing "
                                     "value)");
        assert_ptr_equal(t, (struct hs_table *)&t);
    }
    fd = open(path, O_RDONLY);
    dup2(fd, 0);
    close(fd);
    assert_int_equal(
        hs_csv_read(
            "-", &(struct hs_csv_options){.text_columns = (const char *const[]){"b"}, .n_text = 1},
            &t, NULL, &err),
        HS_OK);
    assert_int_equal(t->nrows, 2);
    assert_text(t, 1, 1, "x");
    hs_table_free(t);
    dup2(saved, 0);
    close(saved);
    (void)state;
}

/* The process locale (a decimal comma) changes nothing. */
static void
test_locale(void **state)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8"};
    size_t len;
    char *text = make_rows(20000, &len);
    struct hs_table *c = read_ok(text, len, NULL), *d;
    bool found = false;

    for (size_t i = 0; i < sizeof names / sizeof *names && !found; i++)
        found = setlocale(LC_ALL, names[i]) != NULL;
    if (!found) {
        hs_table_free(c);
        free(text);
        skip();
    }
    d = read_ok(text, len, NULL);
    setlocale(LC_ALL, "C");
    assert_same_table(c, d, "under a decimal-comma locale");
    hs_table_free(c);
    hs_table_free(d);
    free(text);
    (void)state;
}

/* ---- allocation failures, cancel, progress ------------------------------- */

static void
test_alloc_failures(void **state)
{
    static const char *const miss[] = {"-999", "n.a."};
    const char *text = ",a,b,t,u\n0,1,2,EB,x\n1,-999,\"4\",EE,y\n2,n.a.,6,\"E\"\"B\",z\n"
                       "3,1e300,7,EB,w\n";
    struct hs_csv_options o = {.missing = miss, .n_missing = 2};
    bool done = false;
    char path[128];
    gzFile g;

    for (long n = 0; n < 1000 && !done; n++) {
        for (size_t c = 0; c < 2; c++) {
            struct hs_table *t = (struct hs_table *)&t;
            struct hs_err err = {0};
            int rc;
            hs_mem_fail_after(n);
            rc =
                hs_csv_read_mem_chunked(text, strlen(text), c ? 3 : 0, "m.csv", &o, &t, NULL, &err);
            hs_mem_fail_after(-1);
            if (rc == HS_OK) {
                assert_int_equal(t->nrows, 4);
                hs_table_free(t);
                done = c == 1;
                continue;
            }
            if (rc != HS_ENOMEM)
                fail_msg("failing after %ld allocations: %d %s", n, rc, err.msg);
            assert_ptr_equal(t, (struct hs_table *)&t);
        }
    }
    assert_true(done);

    /* and from a gzip file */
    snprintf(path, sizeof path, "%s/alloc.csv.gz", tmpdir);
    g = gzopen(path, "wb");
    assert_non_null(g);
    gzputs(g, text);
    gzclose(g);
    done = false;
    for (long n = 0; n < 1000 && !done; n++) {
        struct hs_table *t = (struct hs_table *)&t;
        struct hs_err err = {0};
        int rc;
        hs_mem_fail_after(n);
        rc = hs_csv_read(path, &o, &t, NULL, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK) {
            hs_table_free(t);
            done = true;
        } else {
            assert_int_equal(rc, HS_ENOMEM);
            assert_ptr_equal(t, (struct hs_table *)&t);
        }
    }
    assert_true(done);
    (void)state;
}

struct progress_log {
    int calls;
    double last;
    bool monotonic;
    atomic_int *cancel_at_first;
};

static void
on_progress(void *user, double fraction, const char *what)
{
    struct progress_log *p = user;
    if (fraction < p->last || fraction > 1)
        p->monotonic = false;
    p->last = fraction;
    p->calls++;
    assert_non_null(what);
    if (p->cancel_at_first)
        atomic_store(p->cancel_at_first, 1);
}

static void
test_cancel_progress(void **state)
{
    size_t len;
    char *text = make_rows(600000, &len); /* about 14 MB */
    atomic_int flag = 1;
    struct progress_log log = {0, 0, true, NULL};
    struct hs_task task = {on_progress, &log, &flag};
    struct hs_table *t = (struct hs_table *)&t;
    struct hs_err err = {0};

    /* raised before the start */
    assert_int_equal(hs_csv_read_mem(text, len, "c.csv", NULL, &t, &task, &err), HS_ECANCELLED);
    assert_ptr_equal(t, (struct hs_table *)&t);
    assert_int_equal(err.code, HS_ECANCELLED);
    /* progress runs from 0 to 1, a few times */
    atomic_store(&flag, 0);
    assert_int_equal(hs_csv_read_mem(text, len, "c.csv", NULL, &t, &task, &err), HS_OK);
    assert_true(log.monotonic);
    assert_true(log.calls >= 3);
    assert_true(log.last == 1.0);
    hs_table_free(t);
    /* raised in the middle, at the first progress report */
    log = (struct progress_log){0, 0, true, &flag};
    t = (struct hs_table *)&t;
    assert_int_equal(hs_csv_read_mem(text, len, "c.csv", NULL, &t, &task, &err), HS_ECANCELLED);
    assert_ptr_equal(t, (struct hs_table *)&t);
    assert_int_equal(log.calls, 1);
    free(text);
    (void)state;
}

/* ---- real files ---------------------------------------------------------- */

/* Column sums computed with strtod over the raw file, independently. */
static void
check_cms(const char *file, size_t want_rows, const char *text_col, const char *cats)
{
    char path[1024], line[4096];
    const char *src = getenv("HS_SRCDIR");
    struct hs_table *t = NULL;
    struct hs_err err = {0};
    double sums[64] = {0};
    size_t rows = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/../shared/data/cms/%s", src ? src : ".", file);
    if (access(path, R_OK) != 0)
        skip();
    assert_int_equal(hs_csv_read(path, NULL, &t, NULL, &err), HS_OK);
    assert_int_equal(t->nrows, want_rows);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f)) {
        char *save = NULL, *tok = strtok_r(line, ",\n", &save);
        for (size_t j = 0; tok && j < 64; j++, tok = strtok_r(NULL, ",\n", &save)) {
            char *end;
            double v = strtod(tok, &end);
            if (end != tok && *end == '\0')
                sums[j] += v;
        }
        rows++;
    }
    fclose(f);
    assert_int_equal(rows, want_rows);
    for (size_t j = 0; j < t->ncols; j++) {
        double s = 0;
        if (t->cols[j].kind != HS_COL_NUMBER)
            continue;
        for (size_t i = 0; i < t->nrows; i++)
            s += t->cols[j].v[i];
        if (!same_bits(s, sums[j]))
            fail_msg("%s: column '%s' sums to %.17g, strtod gives %.17g", file, t->cols[j].name, s,
                     sums[j]);
    }
    if (text_col) {
        long j = hs_table_find(t, text_col);
        char got[64] = "";
        assert_true(j >= 0);
        assert_int_equal(t->cols[j].kind, HS_COL_TEXT);
        for (size_t k = 0; k < t->cols[j].ncats; k++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? "," : "",
                     t->cols[j].cats[k]);
        assert_string_equal(got, cats);
    }
    hs_table_free(t);
}

static void
test_cms_zmumu(void **state)
{
    check_cms("cms_opendata_edu__Zmumu_Run2011A_masses.csv", 10851, "Type1", "G");
    (void)state;
}

static void
test_cms_zee(void **state)
{
    check_cms("cms_opendata_edu__Zee_Run2011A.csv", 18885, "type1", "EE,EB");
    (void)state;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),          cmocka_unit_test(test_line_endings),
        cmocka_unit_test(test_quoting),        cmocka_unit_test(test_comments_blanks),
        cmocka_unit_test(test_missing),        cmocka_unit_test(test_sentinels),
        cmocka_unit_test(test_text_columns),   cmocka_unit_test(test_type_decided_by_first),
        cmocka_unit_test(test_pandas_index),   cmocka_unit_test(test_select_columns),
        cmocka_unit_test(test_max_rows),       cmocka_unit_test(test_tsv),
        cmocka_unit_test(test_whitespace),     cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_no_header),      cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_malformed_far),  cmocka_unit_test(test_files_gzip),
        cmocka_unit_test(test_stdin),          cmocka_unit_test(test_locale),
        cmocka_unit_test(test_gzip_members_trailing),
        cmocka_unit_test(test_alloc_failures), cmocka_unit_test(test_cancel_progress),
        cmocka_unit_test(test_cms_zmumu),      cmocka_unit_test(test_cms_zee),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}

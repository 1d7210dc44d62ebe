/* fuzz_csv.c: libFuzzer target for the CSV reader (and the number parser).
 *
 * The first byte chooses the options (delimiter, header, sentinels, text
 * and selected columns, a row limit); the rest is the file.  Besides
 * crashes and sanitizer reports, it checks these properties and aborts when
 * one fails:
 *   - reading the input whole and handed over a few bytes at a time gives
 *     the same status, message, location and table (records cut at block
 *     boundaries are re-parsed, which is the subtle part of the reader);
 *   - so does reading it whole with the parallel path forced, cut into 2 to
 *     4 ranges (its promise: the serial reader's results and messages,
 *     whatever the number of ranges);
 *   - when the input is a number for hs_num_parse, strtod takes all of it
 *     and gives the same double, and hs_num_format of it reads back.
 * Built as a libFuzzer binary with --enable-fuzzing (see tests/fuzz.mk),
 * and always as a replay program that make check runs on the seeds.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "csv_impl.h"
#include "numparse.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
same_table(const struct hs_table *a, const struct hs_table *b)
{
    if (a->nrows != b->nrows || a->ncols != b->ncols)
        return 0;
    for (size_t j = 0; j < a->ncols; j++) {
        const struct hs_column *x = &a->cols[j], *y = &b->cols[j];
        if (strcmp(x->name, y->name) != 0 || x->kind != y->kind || x->ncats != y->ncats)
            return 0;
        for (size_t k = 0; k < x->ncats; k++)
            if (strcmp(x->cats[k], y->cats[k]) != 0)
                return 0;
        if (a->nrows && memcmp(x->v, y->v, a->nrows * sizeof(double)) != 0)
            return 0;
    }
    return 1;
}

/* Abort unless a second read (how) gave what the whole-buffer serial read
 * did: status, message, location, and the table bit for bit. */
static void
check_same(const char *how, int rc1, const struct hs_err *e1, const struct hs_table *t1, int rc2,
           const struct hs_err *e2, const struct hs_table *t2)
{
    if (rc1 == rc2 && rc1 == HS_OK && same_table(t1, t2))
        return;
    if (rc1 == rc2 && rc1 != HS_OK && strcmp(e1->msg, e2->msg) == 0 && e1->line == e2->line &&
        e1->col == e2->col)
        return;
    fprintf(stderr, "whole and %s reads differ:\n  %d %d:%d %s\n  %d %d:%d %s\n", how, rc1,
            e1->line, e1->col, e1->msg, rc2, e2->line, e2->col, e2->msg);
    abort();
}

static void
check_number(const char *text, size_t len)
{
    char buf[80], *end, out[HS_NUM_BUF];
    double got, want, back;

    if (len >= sizeof buf)
        return;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (hs_num_parse(buf, len, &got) != HS_OK)
        return;
    want = strtod(buf, &end);
    if (*end != '\0' || (memcmp(&got, &want, sizeof got) != 0 && !(isnan(got) && isnan(want)))) {
        fprintf(stderr, "hs_num_parse('%s') = %a, strtod gives %a\n", buf, got, want);
        abort();
    }
    hs_num_format(got, out);
    back = strtod(out, &end);
    if (*end != '\0' || (memcmp(&got, &back, sizeof got) != 0 && !isnan(got))) {
        fprintf(stderr, "hs_num_format(%a) = '%s' does not read back\n", got, out);
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const miss[] = {"-999", "x", "NA0"};
    static const char *const text_cols[] = {"a"};
    static const char *const cols[] = {"a", "b"};
    static const int delims[8] = {HS_CSV_SNIFF, ',', '\t', ';', HS_CSV_WS, '|', HS_CSV_SNIFF, ' '};
    struct hs_csv_options o = {0};
    struct hs_table *t1 = NULL, *t2 = NULL, *t3 = NULL;
    struct hs_err e1 = {0}, e2 = {0}, e3 = {0};
    const char *text;
    size_t len;
    int rc1, rc2, rc3;

    if (size == 0)
        return 0;
    text = (const char *)data + 1;
    len = size - 1;
    o.delimiter = delims[data[0] & 7];
    o.no_header = data[0] & 8;
    if (data[0] & 16) {
        o.missing = miss;
        o.n_missing = 3;
    }
    if (data[0] & 32) {
        o.text_columns = text_cols;
        o.n_text = 1;
    }
    if (data[0] & 64) {
        o.columns = cols;
        o.n_columns = 2;
    }
    if (data[0] & 128)
        o.max_rows = 3;

    rc1 = hs_csv_read_mem(text, len, "fuzz.csv", &o, &t1, NULL, &e1);
    rc2 = hs_csv_read_mem_chunked(text, len, 1 + len % 7, "fuzz.csv", &o, &t2, NULL, &e2);
    check_same("chunked", rc1, &e1, t1, rc2, &e2, t2);
    rc3 = hs_csv_read_mem_threads(text, len, 0, "fuzz.csv", &o, (int)(2 + len % 3), &t3, NULL, &e3);
    check_same("parallel", rc1, &e1, t1, rc3, &e3, t3);
    if (rc1 == HS_OK && (t1->nrows == 0 || (o.max_rows && t1->nrows > o.max_rows))) {
        fprintf(stderr, "a table of %zu rows\n", t1->nrows);
        abort();
    }
    hs_table_free(t1);
    hs_table_free(t2);
    hs_table_free(t3);
    check_number(text, len);
    return 0;
}

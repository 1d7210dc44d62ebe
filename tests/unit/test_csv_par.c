/* test_csv_par.c: the CSV reader's parallel path against its serial one.
 *
 * A large plain file is read by several threads, each parsing a range of
 * lines (csv.c, "the parallel path").  Whatever the number of ranges, and
 * however each range's bytes arrive, the result must be the serial
 * reader's: the same table bit for bit (values, kinds, text codes in order
 * of first appearance), or the same error code, message, line and column.
 * Random inputs mix widths, missing cells, sentinels, text columns, columns
 * whose kind is decided late, quoted fields (some across lines, which
 * send the file to the serial reader when a cut falls inside them), CRLF
 * and CR line ends, comments, blank lines and malformed rows.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "csv.h"
#include "csv_impl.h"
#include "par.h"
#include "table.h"

static const int thread_counts[] = {2, 3, 4, 8};

/* ---- a small random generator (xorshift64*) ------------------------------ */

static uint64_t
rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

static unsigned
pick(uint64_t *s, unsigned n)
{
    return (unsigned)(rnd(s) >> 33) % n;
}

struct text {
    char *p;
    size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
put(struct text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        assert_true(n >= 0);
        if ((size_t)n < t->cap - t->len)
            break;
        t->cap = t->cap * 2 + (size_t)n + 64;
        t->p = realloc(t->p, t->cap);
        assert_non_null(t->p);
    }
    t->len += (size_t)n;
}

/* ---- random inputs ------------------------------------------------------- */

enum colkind { K_NUM, K_TEXT, K_LATE_NUM, K_LATE_TEXT, K_ID };

struct gen {
    struct hs_csv_options opt;
    const char *missing[1];
    const char *text_cols[1];
    char forced[16];
};

static void
put_number(struct text *t, uint64_t *s)
{
    switch (pick(s, 8)) {
    case 0:
        put(t, "%d", (int)pick(s, 2000) - 1000);
        break;
    case 1:
        put(t, "%.*f", (int)pick(s, 7), ((double)pick(s, 2000000) - 1e6) / 997.0);
        break;
    case 2:
        put(t, "%.3e", ((double)pick(s, 2000000) - 1e6) * 1e-7);
        break;
    case 3: /* more digits than the fast path takes */
        put(t, "0.%u%u%u", pick(s, 1000000000), pick(s, 1000000000), pick(s, 1000000000));
        break;
    case 4:
        put(t, "%s", pick(s, 2) ? "inf" : "-1e400");
        break;
    default:
        put(t, "%.5f", ((double)pick(s, 2000000) - 1e6) / 13.0);
        break;
    }
}

/* Random delimited text into t, options into g. */
static void
generate(uint64_t *s, struct text *t, struct gen *g, size_t max_rows)
{
    static const char *const cats[] = {"EB", "EE", "signal", "bkg_1", "\xc3\xa9t\xc3\xa9"};
    enum colkind kind[8];
    size_t ncols = 1 + pick(s, 6), nrows = pick(s, (unsigned)max_rows + 1);
    unsigned delim_pick = pick(s, 6);
    char delim = ",\t;,, "[delim_pick];
    bool ws = delim == ' ', header = pick(s, 5) != 0, quotes = pick(s, 6) == 0;
    bool bad = pick(s, 8) == 0, sentinel = pick(s, 3) == 0;
    const char *eol = pick(s, 4) == 0 ? "\r\n" : pick(s, 10) == 0 ? "\r" : "\n";
    size_t late = nrows / 2 + pick(s, (unsigned)nrows / 2 + 1);

    memset(g, 0, sizeof *g);
    g->opt.delimiter = ws ? HS_CSV_WS : delim_pick == 4 ? HS_CSV_SNIFF : delim;
    g->opt.no_header = !header;
    if (sentinel) {
        g->missing[0] = "-999";
        g->opt.missing = g->missing;
        g->opt.n_missing = 1;
    }
    for (size_t j = 0; j < ncols; j++)
        kind[j] = (enum colkind)pick(s, 5);
    if (header && pick(s, 4) == 0) {
        size_t j = pick(s, (unsigned)ncols);
        snprintf(g->forced, sizeof g->forced, "c%zu", j);
        g->text_cols[0] = g->forced;
        g->opt.text_columns = g->text_cols;
        g->opt.n_text = 1;
    }
    if (pick(s, 8) == 0)
        put(t, "# a comment first%s", eol);
    if (header) {
        for (size_t j = 0; j < ncols; j++) {
            if (j)
                put(t, "%c", delim);
            put(t, "c%zu", j);
        }
        put(t, "%s", eol);
    }
    for (size_t i = 0; i < nrows; i++) {
        size_t n = ncols;
        if (pick(s, 30) == 0)
            put(t, "%s", pick(s, 2) ? eol : ws ? "  # note" : "# note");
        if (pick(s, 30) == 0)
            put(t, "%s", eol);
        if (bad && pick(s, (unsigned)nrows + 1) == 0)
            n = ncols + (pick(s, 2) ? 1 : -1); /* a ragged row */
        for (size_t j = 0; j < n; j++) {
            enum colkind k = j < ncols ? kind[j] : K_NUM;
            bool missing = pick(s, 8) == 0 ||
                           ((k == K_LATE_NUM || k == K_LATE_TEXT) && i < late);
            if (j)
                put(t, "%c", delim);
            if (ws && pick(s, 4) == 0)
                put(t, "  ");
            if (bad && pick(s, (unsigned)(nrows * ncols) + 1) == 0) {
                put(t, "x9"); /* text where a number may be due */
            } else if (missing) {
                static const char *const na[] = {"", "NA", "nan", "None", "-999", "-999.0"};
                const char *m = na[pick(s, sentinel ? 6 : 4)];
                put(t, "%s", ws && !*m ? "NA" : m);
            } else if (quotes && pick(s, 6) == 0) {
                put(t, "\"%s%s%s\"", pick(s, 2) ? "1.5" : "a", pick(s, 3) ? "" : eol,
                    pick(s, 2) ? "" : "\"\"x");
            } else if (k == K_TEXT || k == K_LATE_TEXT) {
                put(t, "%s", cats[pick(s, 5)]);
            } else if (k == K_ID) {
                if (pick(s, 3))
                    put(t, "id%zu", i * 7 % 101);
                else
                    put_number(t, s);
            } else {
                put_number(t, s);
            }
        }
        if (i + 1 < nrows || pick(s, 5))
            put(t, "%s", eol);
    }
    if (bad && pick(s, 6) == 0 && t->len > 2)
        t->p[pick(s, (unsigned)t->len)] = '\0'; /* binary garbage */
}

/* ---- comparing ----------------------------------------------------------- */

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
        if (x->ncats != y->ncats)
            fail_msg("%s: column '%s': %zu vs %zu strings", what, x->name, x->ncats, y->ncats);
        for (size_t k = 0; k < x->ncats; k++)
            assert_string_equal(x->cats[k], y->cats[k]);
        for (size_t i = 0; i < a->nrows; i++)
            if (!same_bits(x->v[i], y->v[i]))
                fail_msg("%s: row %zu column '%s': %a vs %a", what, i, x->name, x->v[i], y->v[i]);
    }
}

struct outcome {
    int rc;
    struct hs_err err;
    struct hs_table *t;
};

static void
assert_same_outcome(const struct outcome *a, const struct outcome *b, const char *what,
                    const char *input)
{
    if (a->rc != b->rc)
        fail_msg("%s: status %d vs %d (%s | %s)\ninput:\n%s", what, a->rc, b->rc, a->err.msg,
                 b->err.msg, input);
    if (a->rc) {
        if (strcmp(a->err.msg, b->err.msg) != 0 || a->err.line != b->err.line ||
            a->err.col != b->err.col)
            fail_msg("%s:\n  serial:   %s\n  parallel: %s", what, a->err.msg, b->err.msg);
        return;
    }
    assert_same_table(a->t, b->t, what);
}

static void
outcome_release(struct outcome *o)
{
    hs_table_free(o->t);
    o->t = NULL;
}

/* Read data serially, then with every thread count (and a chunked source),
 * and compare.  Returns whether the serial read succeeded. */
static bool
check_mem(const char *data, size_t len, const struct hs_csv_options *opt)
{
    struct outcome ser = {0};
    bool ok;

    ser.rc = hs_csv_read_mem_threads(data, len, 0, "data.csv", opt, 1, &ser.t, NULL, &ser.err);
    for (size_t k = 0; k < sizeof thread_counts / sizeof *thread_counts; k++)
        for (size_t chunk = 0; chunk <= (len < 100000 ? 7u : 0u); chunk += 7) {
            struct outcome par = {0};
            char what[64];
            snprintf(what, sizeof what, "%d threads, chunk %zu", thread_counts[k], chunk);
            par.rc = hs_csv_read_mem_threads(data, len, chunk, "data.csv", opt, thread_counts[k],
                                             &par.t, NULL, &par.err);
            assert_same_outcome(&ser, &par, what, data);
            outcome_release(&par);
        }
    ok = ser.rc == HS_OK;
    outcome_release(&ser);
    return ok;
}

/* ---- tests --------------------------------------------------------------- */

static void
test_random_small(void **state)
{
    uint64_t s = UINT64_C(0x9e3779b97f4a7c15);
    size_t nok = 0;

    for (int i = 0; i < 1500; i++) {
        struct text t = {0};
        struct gen g;
        put(&t, "%s", "");
        generate(&s, &t, &g, i % 10 == 0 ? 400 : 40);
        nok += check_mem(t.p, t.len, &g.opt);
        free(t.p);
    }
    /* the generator must exercise the successful joins too */
    assert_true(nok > 300);
    (void)state;
}

/* Many rows: ranges of several blocks, text codes and late kinds joined. */
static void
test_random_large(void **state)
{
    uint64_t s = 12345;

    for (int i = 0; i < 12; i++) {
        struct text t = {0};
        struct gen g;
        put(&t, "%s", "");
        generate(&s, &t, &g, 40000);
        check_mem(t.p, t.len, &g.opt);
        free(t.p);
    }
    (void)state;
}

/* Cases made on purpose: a kind decided in a later range; a later range
 * contradicting an earlier one (the serial message); quotes anywhere. */
static void
test_cases(void **state)
{
    struct text t = {0};
    struct hs_csv_options o = {0};
    const char *text_col[] = {"b"};

    put(&t, "a,b\n");
    for (int i = 0; i < 3000; i++)
        put(&t, "%d,%s\n", i, i < 2000 ? "" : i % 2 ? "EE" : "EB");
    assert_true(check_mem(t.p, t.len, NULL));
    t.len = 0;
    put(&t, "a,b\n");
    for (int i = 0; i < 3000; i++)
        put(&t, "%d,%s\n", i, i < 2500 ? "1.5" : "x9");
    assert_false(check_mem(t.p, t.len, NULL));
    t.len = 0;
    put(&t, "a,b\n");
    for (int i = 0; i < 3000; i++)
        put(&t, "%d,%s\n", i, i == 2900 ? "\"q,\nq\"" : "s");
    assert_true(check_mem(t.p, t.len, NULL));
    /* a quoted field holding the lines around every cut: the ranges after
     * the first start inside it */
    t.len = 0;
    put(&t, "a,b\n1,\"");
    for (int i = 0; i < 3000; i++)
        put(&t, "%d,%s\n", i, i % 2 ? "x" : "2");
    put(&t, "\"\n2,z\n");
    assert_true(check_mem(t.p, t.len, NULL));
    t.len = 0;
    put(&t, "a,b\n");
    for (int i = 0; i < 3000; i++)
        put(&t, "%d,%d\n", i, i % 5);
    o.text_columns = text_col;
    o.n_text = 1;
    assert_true(check_mem(t.p, t.len, &o));
    t.len = 0;
    put(&t, "a,b\n1,2\n");
    assert_true(check_mem(t.p, t.len, NULL));
    t.len = 0;
    put(&t, "a,b\n");
    assert_false(check_mem(t.p, t.len, NULL));
    free(t.p);
    (void)state;
}

/* From a file: each range read with pread(2); and the default reader,
 * whose threads start at 8 MiB, on a file larger than that. */
static void
test_files(void **state)
{
    char dir[] = "/tmp/hs_test_csv_par.XXXXXX", path[64];
    uint64_t s = 777;
    struct text t = {0};

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/in.csv", dir);
    for (int i = 0; i < 40; i++) {
        struct gen g;
        struct outcome ser = {0};
        FILE *f;
        t.len = 0;
        put(&t, "%s", "");
        generate(&s, &t, &g, i % 4 ? 300 : 20000);
        f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(t.p, 1, t.len, f), t.len);
        assert_int_equal(fclose(f), 0);
        ser.rc = hs_csv_read_threads(path, &g.opt, 1, &ser.t, NULL, &ser.err);
        for (size_t k = 0; k < sizeof thread_counts / sizeof *thread_counts; k++) {
            struct outcome par = {0};
            par.rc = hs_csv_read_threads(path, &g.opt, thread_counts[k], &par.t, NULL, &par.err);
            assert_same_outcome(&ser, &par, "file", t.p);
            outcome_release(&par);
        }
        outcome_release(&ser);
    }
    {
        struct outcome ser = {0}, def = {0};
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs("x,y,kind\n", f);
        for (int i = 0; i < 400000; i++)
            fprintf(f, "%d.%03d,%.6e,%s\n", i, i % 1000, i * 1e-3, i % 3 ? "EB" : "EE");
        assert_int_equal(fclose(f), 0);
        ser.rc = hs_csv_read_threads(path, NULL, 1, &ser.t, NULL, &ser.err);
        def.rc = hs_csv_read(path, NULL, &def.t, NULL, &def.err);
        assert_int_equal(ser.rc, HS_OK);
        assert_same_outcome(&ser, &def, "default reader, large file", "(large)");
        assert_int_equal(def.t->nrows, 400000);
        outcome_release(&ser);
        outcome_release(&def);
    }
    free(t.p);
    remove(path);
    rmdir(dir);
    (void)state;
}

int
main(void)
{
    /* The helpers run whatever the machine's load. */
    hs_par_set_gate(false);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_small),
        cmocka_unit_test(test_random_large),
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

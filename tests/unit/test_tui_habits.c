/* Unit tests of the TUI's terminal habits: a clicked cut rounded to the
 * decimal a click can mean (against a brute-force search over powers of
 * ten) and the one rule for computed numbers; the ':' line's history in
 * the session (append, latest N, trim to 500, read-only refused); Tab
 * completion from the command table; the data view's stable sort (against
 * a stable reference sort), search, selection and frequency table
 * (against counts made here). */
#include "config.h"

#include <curses.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "numround.h"
#include "sessions/history.h"
#include "table.h"
#include "ui/complete.h"
#include "ui/view.h"

static uint64_t
next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double
uniform(uint64_t *s)
{
    return (double)(next_rand(s) >> 11) * 0x1.0p-53;
}

/* ---- rounding ---- */

/* The coarsest 10^j (j from 30 down) whose rounding of x stays within
 * tol, each candidate made from its decimal text. */
static double
brute_round(double x, double tol)
{
    for (int j = 30; j >= -30; j--) {
        char buf[512];
        double c;
        if (j >= 0) {
            double step = pow(10, j);
            c = round(x / step) * step;
        } else {
            snprintf(buf, sizeof buf, "%.*f", -j, x);
            c = strtod(buf, NULL);
        }
        if (fabs(c - x) <= tol)
            return c == 0 ? 0 : c;
    }
    return x;
}

static void
test_round_within(void **state)
{
    uint64_t seed = 13;
    char buf[HS_NUM_BUF];

    (void)state;
    /* The cut: a tenth of a bin of 0.5 keeps two decimals. */
    hs_num_format(hs_num_round_within(11.419370731721797, 0.05), buf);
    assert_string_equal(buf, "11.4");
    hs_num_format(hs_num_round_within(11.419370731721797, 0.005), buf);
    assert_string_equal(buf, "11.42");
    hs_num_format(hs_num_round_within(-0.0123456, 0.0002), buf);
    assert_string_equal(buf, "-0.0123");
    assert_true(hs_num_round_within(0.04, 0.1) == 0 && !signbit(hs_num_round_within(-0.04, 0.1)));
    hs_num_format(hs_num_round_within(987.6, 30), buf);
    assert_string_equal(buf, "1000");
    assert_true(isnan(hs_num_round_within(NAN, 1)));
    assert_true(hs_num_round_within(1.2345, 0) == 1.2345);
    assert_true(hs_num_round_within(1.2345, -1) == 1.2345);
    /* Random values and widths over many magnitudes. */
    for (int i = 0; i < 20000; i++) {
        double x = (uniform(&seed) - 0.5) * pow(10, (int)(uniform(&seed) * 16) - 8);
        double tol = fabs(x) * pow(10, -(uniform(&seed) * 6)) + 1e-300;
        double r = hs_num_round_within(x, tol), want = brute_round(x, tol);
        if (!(fabs(r - x) <= tol) || r != want)
            fail_msg("x %.17g tol %.17g: got %.17g, brute force %.17g", x, tol, r, want);
        hs_num_format(r, buf);
        assert_true(strlen(buf) <= 24);
    }
}

static void
test_num_show(void **state)
{
    static const struct {
        double x;
        const char *want;
    } cases[] = {
        {0.947579, "0.9476"}, {220000, "220000"},   {11.42, "11.42"},  {-0.30236229, "-0.3024"},
        {1234567.5, "1.235e+06"}, {1e-7, "1e-07"}, {0.1, "0.1"},      {NAN, "NA"},
        {INFINITY, "inf"},   {-0.0, "0"},          {22.35, "22.35"},  {0.09996, "0.09996"},
    };
    char buf[HS_NUM_BUF];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hs_num_show(cases[i].x, buf);
        if (strcmp(buf, cases[i].want) != 0)
            fail_msg("%.17g shows as '%s', not '%s'", cases[i].x, buf, cases[i].want);
    }
}

/* ---- history ---- */

static char tmpdir[64];

static struct hs_sess *
open_session(const char *name, unsigned flags)
{
    char path[128];
    struct hs_sess *s = NULL;
    struct hs_err err;

    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    hs_err_clear(&err);
    if (hs_sess_open(path, flags, &s, &err) != HS_OK)
        fail_msg("open %s: %s", path, err.msg);
    return s;
}

static int
count_journal(void *user, int64_t id, const char *when, const char *command)
{
    (void)id, (void)when, (void)command;
    (*(size_t *)user)++;
    return 0;
}

static void
test_history(void **state)
{
    struct hs_sess *s;
    struct hs_err err;
    char **lines, line[32];
    size_t n;

    (void)state;
    s = open_session("h.db", HS_SESS_CREATE);
    hs_err_clear(&err);
    assert_int_equal(hs_sess_history_read(s, 10, &lines, &n, &err), HS_OK);
    assert_int_equal(n, 0);
    hs_sess_history_free(lines, n);
    assert_int_equal(hs_sess_history_append(s, "info", &err), HS_OK);
    assert_int_equal(hs_sess_history_append(s, "plot hist doca", &err), HS_OK);
    assert_int_equal(hs_sess_history_append(s, "where ip < 2", &err), HS_OK);
    assert_int_equal(hs_sess_history_append(s, "", &err), HS_EUSAGE);
    /* The latest two, oldest first. */
    assert_int_equal(hs_sess_history_read(s, 2, &lines, &n, &err), HS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(lines[0], "plot hist doca");
    assert_string_equal(lines[1], "where ip < 2");
    hs_sess_history_free(lines, n);
    /* Appends keep the latest 500. */
    for (int i = 0; i < 510; i++) {
        snprintf(line, sizeof line, "line %d", i);
        assert_int_equal(hs_sess_history_append(s, line, &err), HS_OK);
    }
    assert_int_equal(hs_sess_history_read(s, 1000, &lines, &n, &err), HS_OK);
    assert_int_equal(n, HS_SESS_HISTORY_MAX);
    assert_string_equal(lines[0], "line 10");
    assert_string_equal(lines[n - 1], "line 509");
    hs_sess_history_free(lines, n);
    assert_int_equal(hs_sess_history_trim(s, 3, &err), HS_OK);
    assert_int_equal(hs_sess_history_read(s, 1000, &lines, &n, &err), HS_OK);
    assert_int_equal(n, 3);
    assert_string_equal(lines[0], "line 507");
    hs_sess_history_free(lines, n);
    /* Nothing journaled: the history is not an analysis step. */
    {
        size_t nj = 0;
        assert_int_equal(hs_sess_journal_each(s, count_journal, &nj, &err), HS_OK);
        assert_int_equal(nj, 0);
    }
    hs_sess_close(s);
    /* A read-only session refuses to write and still reads. */
    s = open_session("h.db", HS_SESS_READONLY);
    assert_int_equal(hs_sess_history_append(s, "more", &err), HS_EUSAGE);
    assert_int_equal(hs_sess_history_read(s, 10, &lines, &n, &err), HS_OK);
    assert_int_equal(n, 3);
    hs_sess_history_free(lines, n);
    hs_sess_close(s);
}

/* ---- completion ---- */

static char **
strv(const char *const *v, size_t *n)
{
    size_t k = 0;
    char **out;

    while (v[k])
        k++;
    out = calloc(k + 1, sizeof *out);
    for (size_t i = 0; i < k; i++)
        out[i] = strdup(v[i]);
    *n = k;
    return out;
}

static void
expect_cands(const char *line, const struct hs_complete_names *nm, const char *common,
             const char *const *want)
{
    struct hs_completion c;
    size_t n = 0;

    assert_int_equal(hs_complete(line, strlen(line), nm, &c), HS_OK);
    while (want[n])
        n++;
    if (c.n != n || strcmp(c.common, common) != 0)
        fail_msg("'%s': %zu candidates, common '%s' (want %zu, '%s')", line, c.n, c.common, n,
                 common);
    for (size_t i = 0; i < n; i++)
        if (strcmp(c.cands[i], want[i]) != 0)
            fail_msg("'%s': candidate %zu is '%s', not '%s'", line, i, c.cands[i], want[i]);
    hs_completion_release(&c);
}

static void
test_complete(void **state)
{
    struct hs_complete_names nm = {0};
    struct hs_completion c;

    (void)state;
    nm.features = strv((const char *const[]){"energy", "eta", "doca", NULL}, &nm.nfeatures);
    nm.cutsets = strv((const char *const[]){"mine", "mycuts", NULL}, &nm.ncutsets);
    nm.models = strv((const char *const[]){"mlp", NULL}, &nm.nmodels);
    nm.datasets = strv((const char *const[]){"demo", "demo_murho", NULL}, &nm.ndatasets);
    expect_cands("plo", &nm, "plot", (const char *const[]){"plot", NULL});
    expect_cands("  cut o", &nm, "optimise", (const char *const[]){"optimise", NULL});
    expect_cands("cut optimise --ta", &nm, "--target", (const char *const[]){"--target", NULL});
    expect_cands("cut optimise --ses", &nm, "--session", (const char *const[]){"--session", NULL});
    expect_cands("features --cut m", &nm, "m", (const char *const[]){"mine", "mycuts", NULL});
    expect_cands("plot hist e", &nm, "e", (const char *const[]){"energy", "eta", NULL});
    expect_cands("roc m", &nm, "m", (const char *const[]){"mine", "mlp", "mycuts", NULL});
    expect_cands("info --dataset demo", &nm, "demo", (const char *const[]){"demo", "demo_murho", NULL});
    expect_cands("cut optimise --features doca,e", &nm, "e",
                 (const char *const[]){"energy", "eta", NULL});
    expect_cands("plot hist --bins 1", &nm, "", (const char *const[]){NULL});
    /* A positional argument: the usage's literal words ("hist FEATURE",
     * "lower|upper", "[asc|desc|none]"), names where it says NAME. */
    expect_cands("plot h", &nm, "hist", (const char *const[]){"hist", "hist2d", NULL});
    expect_cands("plot hist2d energy e", &nm, "e", (const char *const[]){"energy", "eta", NULL});
    expect_cands("cuts-bound energy l", &nm, "lower", (const char *const[]){"lower", NULL});
    expect_cands("data-sort d", &nm, "desc", (const char *const[]){"desc", NULL});
    expect_cands("move page-", &nm, "page-", (const char *const[]){"page-down", "page-up", NULL});
    expect_cands("feature o", &nm, "o", (const char *const[]){"off", "on", NULL});
    expect_cands("feature off --dataset demo e", &nm, "e",
                 (const char *const[]){"energy", "eta", NULL});
    expect_cands("view data s", &nm, "", (const char *const[]){NULL});
    /* Every command of the table is found from its first letters. */
    for (const struct hs_cmd_entry *const *e = hs_cmd_entries(); *e; e++) {
        char first[64];
        bool seen = false;
        snprintf(first, sizeof first, "%.*s", (int)strcspn((*e)->name, " "), (*e)->name);
        assert_int_equal(hs_complete(first, strlen(first), NULL, &c), HS_OK);
        for (size_t i = 0; i < c.n; i++)
            seen |= strcmp(c.cands[i], first) == 0;
        if (!seen)
            fail_msg("'%s' does not complete to itself", first);
        hs_completion_release(&c);
    }
    /* One entry per name and alias: hs_cmd_find takes the first, so a
     * second one of the same name (a TUI command and a CLI one) could
     * never run. */
    for (const struct hs_cmd_entry *const *e = hs_cmd_entries(); *e; e++)
        for (const struct hs_cmd_entry *const *f = e + 1; *f; f++) {
            const char *a[2] = {(*e)->name, (*e)->alias}, *b[2] = {(*f)->name, (*f)->alias};
            for (int i = 0; i < 2; i++)
                for (int k = 0; k < 2; k++)
                    if (a[i] && b[k] && strcmp(a[i], b[k]) == 0)
                        fail_msg("two commands are called '%s'", a[i]);
        }
    /* The cursor inside the line: the word before it. */
    assert_int_equal(hs_complete("plot hist --bins 50", 7, &nm, &c), HS_OK);
    assert_int_equal(c.start, 5);
    hs_completion_release(&c);
    hs_complete_names_release(&nm);
}

/* ---- the data view's rows ---- */

/* x (with ties and missing values) and a text column kind. */
static struct hs_table *
rows_table(size_t n, uint64_t seed)
{
    static const char *const kinds[] = {"muon", "HNL", "pion", "Kaon"};
    struct hs_table *t = hs_table_new();
    size_t ix, ik;

    assert_non_null(t);
    assert_int_equal(hs_table_add_column(t, "x", HS_COL_NUMBER, &ix, NULL), HS_OK);
    assert_int_equal(hs_table_add_column(t, "kind", HS_COL_TEXT, &ik, NULL), HS_OK);
    assert_int_equal(hs_table_reserve(t, n), HS_OK);
    assert_int_equal(hs_table_resize(t, n), HS_OK);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next_rand(&seed);
        const char *k = kinds[r % 4];
        t->cols[ix].v[i] = r % 17 == 0 ? NAN : (double)((r >> 8) % 50) / 4 - 3;
        assert_int_equal(hs_column_intern(&t->cols[ik], k, strlen(k), &t->cols[ik].v[i]), HS_OK);
    }
    return t;
}

static const struct hs_table *sort_t;
static size_t sort_c;
static int sort_dir;

/* The reference: numeric (text: byte) order, ties by row; NaN last. */
static int
ref_cmp(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const struct hs_column *c = &sort_t->cols[sort_c];
    double x = c->v[i], y = c->v[j];
    int r;

    if (isnan(x) || isnan(y))
        r = isnan(x) && isnan(y) ? 0 : isnan(x) ? 1 : -1;
    else if (c->kind == HS_COL_TEXT)
        r = sort_dir * strcmp(hs_column_text(c, x), hs_column_text(c, y));
    else
        r = sort_dir * ((x > y) - (x < y));
    return r ? r : (i > j) - (i < j);
}

static void
test_data_sort(void **state)
{
    struct hs_table *t = rows_table(20000, 7);
    struct hs_data_view dv = {0};
    size_t *ref = malloc(t->nrows * sizeof *ref), m;
    unsigned char *mask = malloc(t->nrows);
    struct hs_err err;

    (void)state;
    assert_int_equal(hs_data_view_set(&dv, t), HS_OK);
    for (size_t i = 0; i < t->nrows; i++)
        mask[i] = i % 3 != 0;
    sort_t = t;
    for (int pass = 0; pass < 8; pass++) {
        const unsigned char *mk = pass & 4 ? mask : NULL;
        sort_c = (size_t)(pass & 1);
        sort_dir = pass & 2 ? -1 : 1;
        dv.curcol = sort_c;
        dv.sort_dir = 0;
        assert_int_equal(hs_data_view_sort(&dv, mk, sort_dir, NULL, &err), HS_OK);
        m = 0;
        for (size_t i = 0; i < t->nrows; i++)
            if (!mk || mk[i])
                ref[m++] = i;
        qsort(ref, m, sizeof *ref, ref_cmp);
        assert_int_equal(dv.rows.n, m);
        for (size_t i = 0; i < m; i++)
            if (hs_data_view_row(&dv, i) != ref[i])
                fail_msg("pass %d: position %zu is row %zu, not %zu", pass, i,
                         hs_data_view_row(&dv, i), ref[i]);
    }
    /* The cursor stays on its event; none: the table's order again. */
    dv.rows.cur = 123;
    m = hs_data_view_row(&dv, 123);
    assert_int_equal(hs_data_view_sort(&dv, NULL, 0, NULL, &err), HS_OK);
    assert_null(dv.order);
    assert_int_equal(dv.rows.cur, m);
    /* A selection keeps the sort. */
    dv.curcol = 0;
    assert_int_equal(hs_data_view_sort(&dv, NULL, -1, NULL, &err), HS_OK);
    assert_int_equal(hs_data_view_filter(&dv, mask, NULL, &err), HS_OK);
    for (size_t i = 1; i < dv.rows.n; i++) {
        double a = t->cols[0].v[hs_data_view_row(&dv, i - 1)], b = t->cols[0].v[hs_data_view_row(&dv, i)];
        assert_true(mask[hs_data_view_row(&dv, i)]);
        assert_true(isnan(b) || a >= b);
    }
    hs_data_view_release(&dv);
    free(ref);
    free(mask);
    hs_table_free(t);
}

static void
test_data_search(void **state)
{
    struct hs_table *t = rows_table(1000, 11);
    struct hs_data_view dv = {0};
    struct hs_err err;
    size_t want = SIZE_MAX;

    (void)state;
    assert_int_equal(hs_data_view_set(&dv, t), HS_OK);
    /* Text: any case, contained; the first after the cursor. */
    dv.curcol = 1;
    for (size_t i = 1; i < t->nrows && want == SIZE_MAX; i++)
        if (strcmp(hs_column_text(&t->cols[1], t->cols[1].v[i]), "Kaon") == 0)
            want = i;
    assert_int_equal(hs_data_view_search(&dv, "aO", 1, NULL, &err), HS_OK);
    assert_int_equal(dv.rows.cur, want);
    assert_string_equal(dv.search, "aO");
    /* Backwards from there wraps to the last Kaon. */
    for (size_t i = t->nrows; i-- > 0;)
        if (strcmp(hs_column_text(&t->cols[1], t->cols[1].v[i]), "Kaon") == 0) {
            want = i;
            break;
        }
    assert_int_equal(hs_data_view_search(&dv, dv.search, -1, NULL, &err), HS_OK);
    assert_int_equal(dv.rows.cur, want);
    /* Numbers: equal, or the digits start so. */
    dv.curcol = 0;
    dv.rows.cur = 0;
    assert_int_equal(hs_data_view_search(&dv, "2.75", 1, NULL, &err), HS_OK);
    assert_true(t->cols[0].v[dv.rows.cur] == 2.75);
    assert_int_equal(hs_data_view_search(&dv, "-2.", 1, NULL, &err), HS_OK);
    assert_true(t->cols[0].v[dv.rows.cur] <= -2 && t->cols[0].v[dv.rows.cur] > -3);
    assert_int_equal(hs_data_view_search(&dv, "99", 1, NULL, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "'99' is not in column 'x'"));
    hs_data_view_release(&dv);
    hs_table_free(t);
}

static void
test_data_freq(void **state)
{
    struct hs_table *t = rows_table(5000, 3);
    struct hs_data_view dv = {0};
    struct hs_freq_row *rows;
    struct hs_err err;
    size_t n, count[4] = {0}, na = 0, total = 0;
    size_t ix;

    (void)state;
    assert_int_equal(hs_data_view_set(&dv, t), HS_OK);
    dv.curcol = 1;
    assert_int_equal(hs_data_view_freq(&dv, &rows, &n, NULL, &err), HS_OK);
    for (size_t i = 0; i < t->nrows; i++)
        count[(size_t)t->cols[1].v[i]]++;
    assert_int_equal(n, 4);
    for (size_t k = 0; k < n; k++) {
        size_t code = 0;
        while (strcmp(t->cols[1].cats[code], rows[k].label) != 0)
            code++;
        assert_int_equal(rows[k].count, count[code]);
        if (k)
            assert_true(rows[k - 1].count >= rows[k].count);
    }
    free(rows);
    /* x has 50 values: binned, width 1 (from -3 to 9.25), in order. */
    dv.curcol = 0;
    assert_int_equal(hs_data_view_freq(&dv, &rows, &n, NULL, &err), HS_OK);
    assert_string_equal(rows[0].label, "[-3, -2)");
    for (size_t k = 0; k + 1 < n; k++) {
        double lo = -3 + (double)k, c = 0;
        for (size_t i = 0; i < t->nrows; i++)
            c += t->cols[0].v[i] >= lo && t->cols[0].v[i] < lo + 1;
        assert_int_equal(rows[k].count, (size_t)c);
        total += rows[k].count;
    }
    for (size_t i = 0; i < t->nrows; i++)
        na += isnan(t->cols[0].v[i]) != 0;
    assert_string_equal(rows[n - 1].label, "NA");
    assert_int_equal(rows[n - 1].count, na);
    assert_int_equal(total + na, t->nrows);
    free(rows);
    /* Few distinct values: counted as they are. */
    assert_int_equal(hs_table_add_column(t, "n", HS_COL_NUMBER, &ix, NULL), HS_OK);
    for (size_t i = 0; i < t->nrows; i++)
        t->cols[ix].v[i] = (double)(i % 3);
    assert_int_equal(hs_data_view_set(&dv, t), HS_OK);
    dv.curcol = 2;
    assert_int_equal(hs_data_view_freq(&dv, &rows, &n, NULL, &err), HS_OK);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].label, "0");
    assert_int_equal(rows[0].count, 1667);
    assert_int_equal(rows[2].count, 1666);
    free(rows);
    hs_data_view_release(&dv);
    hs_table_free(t);
}

static int
setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/hs-habits-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_within), cmocka_unit_test(test_num_show),
        cmocka_unit_test(test_history),      cmocka_unit_test(test_complete),
        cmocka_unit_test(test_data_sort),    cmocka_unit_test(test_data_search),
        cmocka_unit_test(test_data_freq),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* Unit tests of hs_sess_sql: events('DATASET') as rows, read-only. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sessions/session.h"
#include "test_sess_util.h"

#define D_ROWS 150000

struct world {
    char *dir;
    char *db;
    struct hs_table *d, *a, *b;
    struct hs_sess *s;
};

/* One result: its header and rows as strings ("NULL" for NULL, numbers
 * marked with a leading '#'). */
struct result {
    int nheaders, ncols, nrows;
    char names[16][64];
    char *cells[64][16];
    int stop_after;
};

static void
result_clear(struct result *r)
{
    for (int i = 0; i < 64; i++)
        for (int j = 0; j < 16; j++) {
            free(r->cells[i][j]);
            r->cells[i][j] = NULL;
        }
    memset(r, 0, sizeof *r);
}

static int
collect(void *user, int ncols, const char *const *names, const char *const *values,
        const bool *is_num)
{
    struct result *r = user;

    if (!values) {
        r->nheaders++;
        r->ncols = ncols;
        for (int j = 0; j < ncols && j < 16; j++)
            snprintf(r->names[j], sizeof r->names[j], "%s", names[j]);
        return 0;
    }
    if (r->nrows < 64)
        for (int j = 0; j < ncols && j < 16; j++) {
            char buf[256];
            if (!values[j])
                snprintf(buf, sizeof buf, "NULL");
            else
                snprintf(buf, sizeof buf, "%s%s", is_num[j] ? "#" : "", values[j]);
            r->cells[r->nrows][j] = strdup(buf);
        }
    r->nrows++;
    return r->stop_after && r->nrows >= r->stop_after ? 42 : 0;
}

static struct result *
run_ok(struct world *w, const char *sql)
{
    static struct result r;
    struct hs_err err = {0};
    int rc;

    result_clear(&r);
    rc = hs_sess_sql(w->s, sql, collect, &r, &err);
    if (rc)
        fail_msg("%s: %d %s", sql, rc, err.msg);
    return &r;
}

static int
run_err(struct world *w, const char *sql, struct hs_err *err)
{
    struct result r;
    int rc;

    memset(&r, 0, sizeof r);
    rc = hs_sess_sql(w->s, sql, collect, &r, err);
    result_clear(&r);
    return rc;
}

static int
setup(void **state)
{
    struct world *w = calloc(1, sizeof *w);
    struct hs_sess *s;
    struct hs_table *u = tu_numeric(1000, 2, 4), *odd = hs_table_new(), *hostile;
    struct hs_err err = {0};

    w->dir = tu_tmpdir();
    w->db = tu_path(w->dir, "s.db");
    w->d = tu_table(D_ROWS, 3);
    w->a = tu_table(1000, 1);
    /* b: 500 events whose evt is 0, 2, 4, ...; x is evt / 2. */
    w->b = tu_numeric(500, 2, 5);
    hs_free(w->b->cols[0].name);
    w->b->cols[0].name = hs_strdup("evt");
    hs_free(w->b->cols[1].name);
    w->b->cols[1].name = hs_strdup("x");
    for (size_t r = 0; r < 500; r++) {
        w->b->cols[0].v[r] = (double)(2 * r);
        w->b->cols[1].v[r] = (double)r;
    }
    /* Names SQLite would take as one column ("a" and "A"). */
    hs_table_add_column(odd, "a", HS_COL_NUMBER, NULL, NULL);
    hs_table_add_column(odd, "A", HS_COL_NUMBER, NULL, NULL);
    hs_table_add_column(odd, "A:2", HS_COL_NUMBER, NULL, NULL);
    hs_table_resize(odd, 2);
    for (int j = 0; j < 3; j++)
        for (int r = 0; r < 2; r++)
            odd->cols[j].v[r] = j * 10 + r;
    hostile = hs_table_new();
    hs_table_add_column(hostile, "x\"); drop table datasets; --", HS_COL_NUMBER, NULL, NULL);
    hs_table_resize(hostile, 3);
    for (int r = 0; r < 3; r++)
        hostile->cols[0].v[r] = r + 1;

    if (hs_sess_open(w->db, HS_SESS_CREATE, &s, &err) ||
        hs_sess_dataset_store(s, "d", w->d, false, NULL, -1, -1, NULL, &err) ||
        hs_sess_dataset_store(s, "a", w->a, false, NULL, -1, -1, NULL, &err) ||
        hs_sess_dataset_store(s, "b", w->b, false, NULL, -1, -1, NULL, &err) ||
        hs_sess_dataset_store(s, "u", u, false, NULL, -1, -1, NULL, &err) ||
        hs_sess_dataset_store(s, "odd", odd, false, NULL, -1, -1, NULL, &err) ||
        hs_sess_dataset_store(s, "ODD", hostile, false, NULL, -1, -1, NULL, &err) ||
        hs_sess_dataset_store(s, "o'hara \"x\"", hostile, false, NULL, -1, -1, NULL, &err)) {
        fprintf(stderr, "# setup: %s\n", err.msg);
        return -1;
    }
    hs_sess_close(s);
    hs_table_free(u);
    hs_table_free(odd);
    hs_table_free(hostile);
    if (hs_sess_open(w->db, HS_SESS_READONLY, &w->s, &err))
        return -1;
    *state = w;
    return 0;
}

static int
teardown(void **state)
{
    struct world *w = *state;
    hs_sess_close(w->s);
    hs_table_free(w->d);
    hs_table_free(w->a);
    hs_table_free(w->b);
    tu_rmdir(w->dir);
    free(w->db);
    free(w);
    return 0;
}

static double
cell_num(const struct result *r, int row, int col)
{
    const char *c = r->cells[row][col];
    assert_non_null(c);
    assert_int_equal(c[0], '#');
    return strtod(c + 1, NULL);
}

static void
test_counts_and_means(void **state)
{
    struct world *w = *state;
    const struct hs_table *d = w->d;
    struct result *r;
    long double sx = 0, sw = 0;
    size_t nx = 0, ntype = 0, neb = 0, nsig = 0, nbkg1 = 0;

    for (size_t i = 0; i < d->nrows; i++) {
        if (!isnan(d->cols[1].v[i])) {
            sx += d->cols[1].v[i];
            nx++;
        }
        ntype += !isnan(d->cols[2].v[i]);
        neb += d->cols[2].v[i] == 0.0;
        nsig += d->cols[7].v[i] == 1.0;
        sw += d->cols[4].v[i];
        nbkg1 += d->cols[5].v[i] == 1.0;
    }
    r = run_ok(w, "select count(*), count(x), avg(x), count(type), sum(type = 'EB'), "
                  "sum(_label), count(_label), total(_weight), sum(_group = 'bkg1') "
                  "from events('d')");
    assert_int_equal(r->nheaders, 1);
    assert_int_equal(r->nrows, 1);
    assert_string_equal(r->cells[0][0], "#150000");
    assert_int_equal((size_t)cell_num(r, 0, 1), nx);
    assert_true(fabs(cell_num(r, 0, 2) - (double)(sx / nx)) < 1e-9);
    assert_int_equal((size_t)cell_num(r, 0, 3), ntype);
    assert_int_equal((size_t)cell_num(r, 0, 4), neb);
    assert_int_equal((size_t)cell_num(r, 0, 5), nsig);
    assert_string_equal(r->cells[0][6], "#150000");
    assert_true(fabs(cell_num(r, 0, 7) - (double)sw) < 1e-9 * (double)sw);
    assert_int_equal((size_t)cell_num(r, 0, 8), nbkg1);
    assert_string_equal(r->names[0], "count(*)");
}

static void
test_columns_and_values(void **state)
{
    struct world *w = *state;
    struct result *r;
    static const char *const want[] = {"bits",    "x",   "type",   "Truth",   "w",
                                       "process", "evt", "_label", "_weight", "_group"};

    r = run_ok(w, "select * from events('d') limit 12");
    assert_int_equal(r->ncols, 10);
    for (int j = 0; j < 10; j++)
        assert_string_equal(r->names[j], want[j]);
    assert_int_equal(r->nrows, 12);
    for (int i = 0; i < 12; i++) {
        double bits = w->d->cols[0].v[i], x = w->d->cols[1].v[i];
        const char *c = r->cells[i][0];
        /* Every number reads back to the very double stored (NaN is NULL). */
        if (isnan(bits)) {
            assert_string_equal(c, "NULL");
        } else {
            double back = strtod(c + 1, NULL);
            assert_int_equal(c[0], '#');
            assert_memory_equal(&back, &bits, 8);
        }
        if (isnan(x))
            assert_string_equal(r->cells[i][1], "NULL");
        else
            assert_true(cell_num(r, i, 1) == x);
        if (isnan(w->d->cols[2].v[i]))
            assert_string_equal(r->cells[i][2], "NULL");
        else
            assert_string_equal(r->cells[i][2], w->d->cols[2].cats[(size_t)w->d->cols[2].v[i]]);
        assert_string_equal(r->cells[i][7], w->d->cols[7].v[i] == 1.0 ? "#1" : "#0");
        assert_true(cell_num(r, i, 8) == w->d->cols[4].v[i]);
        assert_string_equal(r->cells[i][9], w->d->cols[5].cats[(size_t)w->d->cols[5].v[i]]);
        assert_true(cell_num(r, i, 6) == (double)i);
    }
    /* The last row of the last, shorter chunk. */
    r = run_ok(w, "select evt, rowid from events('d') where rowid = 150000");
    assert_string_equal(r->cells[0][0], "#149999");
    assert_string_equal(r->cells[0][1], "#150000");
}

static void
test_unlabelled(void **state)
{
    struct world *w = *state;
    struct result *r = run_ok(w, "select count(*), count(_label), min(_weight), max(_weight), "
                                 "count(_group) from events('u')");

    assert_string_equal(r->cells[0][0], "#1000");
    assert_string_equal(r->cells[0][1], "#0");
    assert_string_equal(r->cells[0][2], "#1");
    assert_string_equal(r->cells[0][3], "#1");
    assert_string_equal(r->cells[0][4], "#0");
}

static void
test_join(void **state)
{
    struct world *w = *state;
    struct result *r = run_ok(w, "select count(*), sum(b.x) from events('a') as a "
                                 "join EVENTS ( \"b\" ) b on a.evt = b.evt");

    /* b's evt values 0, 2, ..., 998 all occur once in a. */
    assert_string_equal(r->cells[0][0], "#500");
    assert_string_equal(r->cells[0][1], "#124750");
    /* The same dataset twice. */
    r = run_ok(w, "select count(*) from events('b') p, events('b') q where p.evt < q.evt");
    assert_string_equal(r->cells[0][0], "#124750");
}

static void
test_tokenizer(void **state)
{
    struct world *w = *state;
    struct result *r;

    r = run_ok(w, "select 'events(''zz'')', \"events('zz')\" -- events('zz')\n"
                  "/* events('zz') */ from (select 1 as \"events('zz')\")");
    assert_string_equal(r->cells[0][0], "events('zz')");
    assert_string_equal(r->cells[0][1], "#1");
    r = run_ok(w, "select count(*) from EvEnTs /* a comment */ ( 'd' ) where x > 0");
    assert_int_equal(r->nrows, 1);
    r = run_ok(w, "select sum(\"x\"\"); drop table datasets; --\") from events('o''hara \"x\"')");
    assert_string_equal(r->cells[0][0], "#6");
    r = run_ok(w, "select * from events('odd')");
    assert_int_equal(r->ncols, 6);
    assert_string_equal(r->names[0], "a");
    assert_string_equal(r->names[1], "A:2");
    assert_string_equal(r->names[2], "A:2:2");
    assert_string_equal(r->cells[1][1], "#11");
    assert_string_equal(r->cells[1][2], "#21");
    /* Datasets whose names differ only in case, in one query. */
    r = run_ok(w, "select (select count(*) from events('odd')), (select count(*) from "
                  "events('ODD')), (select count(*) from events('odd'))");
    assert_string_equal(r->cells[0][0], "#2");
    assert_string_equal(r->cells[0][1], "#3");
    assert_string_equal(r->cells[0][2], "#2");
    /* Several statements, a query without rows, types. */
    r = run_ok(w, "select 1 + 1, 0.1, 1e308 * 10, 'x', null, x'00ff'; "
                  "select count(*) from events('u') where 0; select 1 where 0");
    assert_int_equal(r->nheaders, 3);
    assert_int_equal(r->nrows, 2);
    assert_string_equal(r->cells[0][0], "#2");
    assert_string_equal(r->cells[0][1], "#0.1");
    assert_string_equal(r->cells[0][2], "#inf");
    assert_string_equal(r->cells[0][3], "x");
    assert_string_equal(r->cells[0][4], "NULL");
    assert_string_equal(r->cells[0][5], "x'00ff'");
    assert_string_equal(r->cells[1][0], "#0");
    r = run_ok(w, "  -- nothing\n ; ");
    assert_int_equal(r->nheaders, 0);
    r = run_ok(w, "pragma table_info(datasets)");
    assert_true(r->nrows > 5);
    r = run_ok(w, "select name from datasets order by name");
    assert_int_equal(r->nrows, 7);
}

static void
test_errors(void **state)
{
    struct world *w = *state;
    struct hs_err err = {0};
    struct result r;

    assert_int_equal(run_err(w, "select count(*) from events('zz')", &err), HS_ENOTFOUND);
    assert_string_equal(err.msg, "no dataset 'zz' (datasets: ODD, a, b, d, o'hara \"x\", odd, u)");
    assert_int_equal(err.col, 22);
    assert_int_equal(run_err(w, "selec 1", &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "syntax error"));
    assert_int_equal(err.col, 1);
    assert_int_equal(run_err(w, "select nosuch from events('d') where 1", &err), HS_EUSAGE);
    assert_string_equal(err.msg, "no such column: nosuch");
    assert_int_equal(err.col, 8);
    assert_int_equal(run_err(w, "select 1 from events('d'), events('a') where bogus(", &err),
                     HS_EUSAGE);
    /* events() without a quoted name: what it needs, not "no such table". */
    static const struct {
        const char *sql;
        int col; /* where the events() at fault starts */
    } no_name[] = {
        {"select * from events(NULL)", 15},
        {"select * from events()", 15},
        {"select count(*) from events ( d )", 22},
        {"select 1 from events('d'), events(1)", 28},
    };
    for (size_t i = 0; i < sizeof no_name / sizeof *no_name; i++) {
        assert_int_equal(run_err(w, no_name[i].sql, &err), HS_EUSAGE);
        assert_string_equal(err.msg, "events() needs a dataset name in quotes, as in "
                                     "events('NAME')");
        assert_int_equal(err.col, no_name[i].col);
    }
    /* The row callback stops the query with its own value. */
    memset(&r, 0, sizeof r);
    r.stop_after = 3;
    assert_int_equal(hs_sess_sql(w->s, "select evt from events('d')", collect, &r, &err), 42);
    assert_int_equal(r.nrows, 3);
    result_clear(&r);
}

static void
test_read_only(void **state)
{
    struct world *w = *state;
    static const char *const writes[] = {
        "delete from datasets",
        "insert into journal (time, command) values ('now', 'x')",
        "update columns set name = 'y'",
        "drop table chunks",
        "create table t(x)",
        "create temp table t(x)",
        "create temp view v as select 1",
        "attach 'other.db' as o",
        "pragma user_version = 7",
        "pragma writable_schema = 1",
        "pragma journal_mode = delete",
        "begin",
        "vacuum",
        "reindex",
        "analyze",
        "select load_extension('x')",
        "with q as (select 1) insert into journal (time, command) select 'a', 'b' from q",
        "select 1; delete from journal",
        "create virtual table temp.z using hs_events(1)",
        "select 1 from events('d'); insert into temp.\"events('d')\" (x) values (1)",
    };
    size_t n;
    unsigned char *before = tu_slurp(w->db, &n);
    struct hs_err err = {0};

    for (size_t i = 0; i < sizeof writes / sizeof *writes; i++) {
        int rc = run_err(w, writes[i], &err);
        if (rc != HS_EUSAGE || strncmp(err.msg, "the sql command is read-only: ", 30) != 0)
            fail_msg("%s: %d %s", writes[i], rc, err.msg);
    }
    run_err(w, "delete from datasets", &err);
    assert_string_equal(err.msg, "the sql command is read-only: it would change table 'datasets'");
    assert_true(tu_same_bytes(before, n, w->db));
    free(before);
    assert_string_equal(run_ok(w, "select count(*) from journal")->cells[0][0], "#0");
    assert_true(cell_num(run_ok(w, "pragma user_version"), 0, 0) == HS_SESS_SCHEMA_VERSION);
}

static void
test_cancel(void **state)
{
    struct world *w = *state;
    atomic_int flag = 1;
    struct hs_task task = {NULL, NULL, &flag};
    struct hs_err err = {0};
    struct result r;
    double t0 = tu_now();

    memset(&r, 0, sizeof r);
    assert_int_equal(hs_sess_sql_task(w->s, "select count(*) from events('d') p, events('d') q",
                                      collect, &r, &task, &err),
                     HS_ECANCELLED);
    assert_true(tu_now() - t0 < 1.0);
    result_clear(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_means), cmocka_unit_test(test_columns_and_values),
        cmocka_unit_test(test_unlabelled),       cmocka_unit_test(test_join),
        cmocka_unit_test(test_tokenizer),        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_read_only),        cmocka_unit_test(test_cancel),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

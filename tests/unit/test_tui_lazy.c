/* Unit tests of the TUI's lazy columns: a dataset shown from a session is
 * a lazy table (table.h), and each view reads the columns it shows when
 * it first shows them.  Checked here: which columns are read after each
 * screen, and that the values drawn, searched and summed after a late
 * read are the stored ones (computed in the test from the formula that
 * made them, not from hepscope's output). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sessions/session.h"
#include "test_sess_util.h"
#include "test_views_util.h"
#include "ui/cmd.h"

#define NROWS 5000
#define NCOLS 30

/* Column j, row i: a value whose digits say where it is. */
static double
cell(size_t j, size_t i)
{
    return 1000.0 * (double)j + (double)i + 0.25;
}

/* The session at f->db: dataset "d" of NCOLS columns c00..c29 and a
 * label (every third event is signal), dataset "e" of the same, and a
 * derived feature twice29 = 2 * c29 on "d". */
static void
make_session(const struct tu_fixture *f)
{
    struct hs_table *t = hs_table_new();
    struct hs_sess *s = NULL;
    struct hs_err err = {0};
    size_t c;
    char name[8];

    assert_non_null(t);
    for (size_t j = 0; j < NCOLS; j++) {
        snprintf(name, sizeof name, "c%02zu", j);
        assert_int_equal(hs_table_add_column(t, name, HS_COL_NUMBER, &c, &err), HS_OK);
    }
    assert_int_equal(hs_table_add_column(t, "Truth", HS_COL_NUMBER, &c, &err), HS_OK);
    assert_int_equal(hs_table_reserve(t, NROWS), HS_OK);
    assert_int_equal(hs_table_resize(t, NROWS), HS_OK);
    for (size_t i = 0; i < NROWS; i++) {
        for (size_t j = 0; j < NCOLS; j++)
            t->cols[j].v[i] = cell(j, i);
        t->cols[NCOLS].v[i] = i % 3 == 0;
    }
    assert_int_equal(hs_table_set_label(t, "Truth", NULL, &err), HS_OK);
    assert_int_equal(hs_sess_open(f->db, HS_SESS_CREATE, &s, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_store(s, "d", t, false, NULL, -1, -1, NULL, &err), HS_OK);
    assert_int_equal(hs_sess_dataset_store(s, "e", t, false, NULL, -1, -1, NULL, &err), HS_OK);
    hs_sess_close(s);
    hs_table_free(t);
}

struct lazy_tui {
    struct hs_app app;
    struct hs_tui tui;
    struct hs_screen *s;
};

static void
lazy_open(struct lazy_tui *lt, const struct tu_fixture *f, int w, int h)
{
    struct hs_err err = {0};

    hs_app_init(&lt->app);
    assert_int_equal(hs_app_set_global(&lt->app, "session", f->db, &err), HS_OK);
    assert_int_equal(hs_app_set_global(&lt->app, "dataset", "d", &err), HS_OK);
    assert_int_equal(hs_app_open_session(&lt->app, true, &err), HS_OK);
    assert_int_equal(hs_tui_init(&lt->tui, &lt->app), HS_OK);
    lt->app.tui = &lt->tui;
    assert_int_equal(hs_tui_run(&lt->tui, "feature add twice29 'c29 * 2'"), HS_OK);
    assert_int_equal(hs_tui_reload(&lt->tui, &err), HS_OK);
    assert_non_null(lt->tui.table);
    assert_string_equal(lt->tui.dsname, "d");
    assert_non_null(lt->s = hs_screen_new(w, h));
}

static void
lazy_close(struct lazy_tui *lt)
{
    lt->app.tui = NULL;
    hs_tui_release(&lt->tui);
    hs_app_release(&lt->app);
    hs_screen_free(lt->s);
}

static bool
is_read(const struct hs_tui *tui, const char *name)
{
    long j = hs_table_find(tui->table, name);

    assert_true(j >= 0);
    return !tui->table->cols[j].pending;
}

static size_t
nread(const struct hs_tui *tui)
{
    size_t n = 0;

    for (size_t j = 0; j < tui->table->ncols; j++)
        n += !tui->table->cols[j].pending;
    return n;
}

/* Opening reads the label alone; the first screen the columns it shows. */
static void
test_first_screen_reads_what_it_shows(void **state)
{
    struct lazy_tui lt;
    char want[64];

    make_session(*state);
    lazy_open(&lt, *state, 80, 24);
    assert_int_equal(nread(&lt.tui), 1); /* _label */
    assert_true(is_read(&lt.tui, HS_LABEL_NAME));

    hs_tui_draw(&lt.tui, lt.s);
    /* c00 .. c05 fit in 80 cells beside the row numbers; c29 is far off. */
    assert_true(is_read(&lt.tui, "c00"));
    assert_true(is_read(&lt.tui, "c04"));
    assert_false(is_read(&lt.tui, "c12"));
    assert_false(is_read(&lt.tui, "c29"));
    assert_true(nread(&lt.tui) < 12);
    /* Row 1 shows the stored values of the columns read. */
    snprintf(want, sizeof want, "%g", cell(4, 0));
    assert_non_null(strstr(line(lt.s, 2), want));
    snprintf(want, sizeof want, "%g", cell(1, 2));
    assert_non_null(strstr(line(lt.s, 4), want));
    lazy_close(&lt);
}

/* The last column (the derived one) read when the cursor reaches it:
 * it reads c29, and shows 2 * c29 of the row under the cursor. */
static void
test_derived_column_when_shown(void **state)
{
    struct lazy_tui lt;
    char want[64];

    make_session(*state);
    lazy_open(&lt, *state, 80, 24);
    hs_tui_draw(&lt.tui, lt.s);
    assert_false(is_read(&lt.tui, "c29"));
    hs_tui_move(&lt.tui, HS_MOVE_LAST_COLUMN, 1);
    hs_tui_move(&lt.tui, HS_MOVE_DOWN, 2);
    hs_tui_draw(&lt.tui, lt.s);
    assert_true(is_read(&lt.tui, "c29"));
    assert_false(is_read(&lt.tui, "c12"));
    assert_string_equal(hs_data_view_column(&lt.tui.data), "twice29");
    snprintf(want, sizeof want, "twice29 = %g", 2 * cell(29, 2));
    assert_non_null(strstr(line(lt.s, 23), want));
    lazy_close(&lt);
}

/* A search in a column never shown reads it first: the row found is the
 * one the formula says. */
static void
test_search_reads_its_column(void **state)
{
    struct lazy_tui lt;
    char cmd[64];

    make_session(*state);
    lazy_open(&lt, *state, 80, 24);
    assert_int_equal(hs_tui_run(&lt.tui, "goto-column c20"), HS_OK);
    assert_false(is_read(&lt.tui, "c20"));
    snprintf(cmd, sizeof cmd, "find %g", cell(20, 3456));
    assert_int_equal(hs_tui_run(&lt.tui, cmd), HS_OK);
    assert_true(is_read(&lt.tui, "c20"));
    assert_int_equal(hs_data_view_row(&lt.tui.data, lt.tui.data.rows.cur), 3456);
    assert_int_equal(hs_tui_run(&lt.tui, "data-sort desc"), HS_OK);
    assert_int_equal(hs_data_view_row(&lt.tui.data, 0), NROWS - 1);
    lazy_close(&lt);
}

/* The statistics view computes the columns it shows, from the stored
 * values: c00's signal mean is that of rows 0, 3, 6, ... */
static void
test_stats_view_reads_rows_shown(void **state)
{
    struct lazy_tui lt;
    double sum = 0;
    size_t n = 0;

    make_session(*state);
    lazy_open(&lt, *state, 80, 24);
    assert_int_equal(hs_tui_run(&lt.tui, "view stats"), HS_OK);
    hs_tui_draw(&lt.tui, lt.s);
    /* 22 rows, a header and two classes a column: the first 10 columns. */
    assert_true(is_read(&lt.tui, "c00"));
    assert_true(is_read(&lt.tui, "c09"));
    assert_false(is_read(&lt.tui, "c10"));
    assert_false(is_read(&lt.tui, "c29"));
    for (size_t i = 0; i < NROWS; i += 3)
        sum += cell(0, i), n++;
    assert_true(lt.tui.stats.entries[0].done);
    assert_int_equal(lt.tui.stats.entries[0].st[0].n, n);
    assert_true(fabs(lt.tui.stats.entries[0].st[0].mean - sum / (double)n) < 1e-9);
    assert_false(lt.tui.stats.entries[NCOLS - 1].done);
    lazy_close(&lt);
}

/* Another dataset dropped: the shown one stays as it was (its views and
 * what they read), and reads later columns from the session as before. */
static void
test_reload_keeps_lazy_table(void **state)
{
    struct lazy_tui lt;
    const struct hs_table *before;
    char want[64];

    make_session(*state);
    lazy_open(&lt, *state, 80, 24);
    hs_tui_draw(&lt.tui, lt.s);
    before = lt.tui.table;
    assert_int_equal(hs_tui_run(&lt.tui, "drop e"), HS_OK);
    assert_ptr_equal(lt.tui.table, before);
    assert_int_equal(lt.tui.nds, 1);
    assert_false(is_read(&lt.tui, "c15"));
    assert_int_equal(hs_tui_run(&lt.tui, "goto-column c15"), HS_OK);
    hs_tui_draw(&lt.tui, lt.s);
    assert_true(is_read(&lt.tui, "c15"));
    snprintf(want, sizeof want, "c15 = %g", cell(15, 0));
    assert_non_null(strstr(line(lt.s, 23), want));
    lazy_close(&lt);
}

/* --session naming a file that does not exist closes the shown one: the
 * events it was reading from go with it (no read from a closed session). */
static void
test_other_session_drops_table(void **state)
{
    const struct tu_fixture *f = *state;
    struct lazy_tui lt;
    char *missing = tu_path(f->dir, "missing.db"), cmd[4200];

    make_session(*state);
    lazy_open(&lt, *state, 80, 24);
    snprintf(cmd, sizeof cmd, "datasets --session '%s'", missing);
    assert_int_not_equal(hs_tui_run(&lt.tui, cmd), HS_OK);
    assert_null(lt.tui.table);
    hs_tui_draw(&lt.tui, lt.s);
    assert_true(screen_has(lt.s, "no datasets"));
    free(missing);
    lazy_close(&lt);
}

/* The TUI draws a frame from a long job's progress (ui/tui-term.c); a
 * column read reports progress.  Such a frame, inside a read or a
 * command, reads nothing: else it would read the column being read,
 * under its reader (twice, the first copy lost). */
struct nested {
    struct lazy_tui *lt;
    size_t calls, read_inside;
};

static void
draw_from_progress(void *user, double fraction, const char *what)
{
    struct nested *n = user;
    size_t before = nread(&n->lt->tui);

    (void)fraction;
    (void)what;
    hs_tui_draw(&n->lt->tui, n->lt->s);
    n->calls++;
    n->read_inside += nread(&n->lt->tui) - before;
}

static void
test_progress_frame_reads_nothing(void **state)
{
    struct lazy_tui lt;
    struct nested n = {&lt, 0, 0};
    char want[64], cmd[64];

    make_session(*state);
    lazy_open(&lt, *state, 80, 24);
    lt.app.progress = draw_from_progress;
    lt.app.progress_user = &n;
    hs_tui_draw(&lt.tui, lt.s);
    assert_true(n.calls > 0);
    assert_int_equal(n.read_inside, 0);
    assert_true(is_read(&lt.tui, "c04"));
    snprintf(want, sizeof want, "%g", cell(4, 0));
    assert_non_null(strstr(line(lt.s, 2), want));
    /* A command reading a column: its progress frames read none either. */
    n.calls = 0;
    assert_int_equal(hs_tui_run(&lt.tui, "goto-column c25"), HS_OK);
    snprintf(cmd, sizeof cmd, "find %g", cell(25, 77));
    assert_int_equal(hs_tui_run(&lt.tui, cmd), HS_OK);
    assert_true(n.calls > 0);
    assert_int_equal(n.read_inside, 0);
    assert_int_equal(hs_data_view_row(&lt.tui.data, lt.tui.data.rows.cur), 77);
    lt.app.progress = NULL;
    lazy_close(&lt);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_first_screen_reads_what_it_shows, tu_setup,
                                        tu_teardown),
        cmocka_unit_test_setup_teardown(test_derived_column_when_shown, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_search_reads_its_column, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_stats_view_reads_rows_shown, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_reload_keeps_lazy_table, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_other_session_drops_table, tu_setup, tu_teardown),
        cmocka_unit_test_setup_teardown(test_progress_frame_reads_nothing, tu_setup,
                                        tu_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

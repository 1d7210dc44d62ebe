/* Unit tests of the TUI's drawing and state without a terminal: the cell
 * buffer (ui/screen.c), the views rendered into it and compared with golden
 * text (tests/tui/golden/; HS_GENERATE=1 rewrites them), number fitting,
 * the ':' line editor, and keys driven through hs_tui_key to the commands
 * and back to the screen. */
#include "config.h"

#include <curses.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <cmocka.h>

#include "featstats.h"
#include "featureset.h"
#include "plots/cairo_render.h"
#include "plots/canvas.h"
#include "sessions/features.h"
#include "table.h"
#include "ui/analysis.h"
#include "ui/cmd.h"
#include "ui/keys.h"
#include "ui/screen.h"
#include "ui/train.h"
#include "ui/view.h"
#include "test_views_util.h"

/* ---- golden text ---- */

static char *
read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The screen's text, then its colour roles, against the golden file. */
static void
golden(const struct hs_screen *s, const char *name)
{
    const char *src = getenv("HS_SRCDIR");
    char path[1024], *text = hs_screen_text(s), *roles = hs_screen_roles(s), *want, *got;
    size_t n;

    assert_non_null(text);
    assert_non_null(roles);
    n = strlen(text) + strlen(roles) + 32;
    got = malloc(n);
    assert_non_null(got);
    snprintf(got, n, "%s--- roles\n%s", text, roles);
    snprintf(path, sizeof path, "%s/tests/tui/golden/%s.txt", src ? src : ".", name);
    if (getenv("HS_GENERATE") && *getenv("HS_GENERATE")) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs(got, f);
        fclose(f);
    }
    want = read_file(path);
    if (!want)
        fail_msg("no golden file %s (run with HS_GENERATE=1 to write it)", path);
    if (strcmp(want, got) != 0) {
        print_message("# %s differs; got:\n%s", path, got);
        fail_msg("screen differs from %s", path);
    }
    free(want);
    free(got);
    free(text);
    free(roles);
}

/* ---- a small table: numbers of every shape, text, missing, a label ---- */

static struct hs_table *
make_table(size_t nrows)
{
    static const char *const types[] = {"EB", "DIS", "a-much-longer-category-name"};
    struct hs_table *t = hs_table_new();
    struct hs_err err;
    size_t c;

    assert_non_null(t);
    assert_int_equal(hs_table_add_column(t, "E", HS_COL_NUMBER, &c, &err), HS_OK);
    assert_int_equal(hs_table_add_column(t, "pz", HS_COL_NUMBER, &c, &err), HS_OK);
    assert_int_equal(hs_table_add_column(t, "type", HS_COL_TEXT, &c, &err), HS_OK);
    assert_int_equal(hs_table_add_column(t, "Truth", HS_COL_NUMBER, &c, &err), HS_OK);
    assert_int_equal(hs_table_reserve(t, nrows), HS_OK);
    assert_int_equal(hs_table_resize(t, nrows), HS_OK);
    for (size_t i = 0; i < nrows; i++) {
        double code;
        const char *ty = types[i % 3];
        t->cols[0].v[i] = (double)i * 1.5;
        /* Long decimals, huge and tiny magnitudes, a missing value. */
        t->cols[1].v[i] = i % 7 == 3 ? NAN : i % 5 == 1 ? 1e300 / (double)(i + 1)
                                       : i % 5 == 2   ? -1.0 / 3.0 * (double)i
                                                      : 0.1 + 0.2 * (double)i;
        assert_int_equal(hs_column_intern(&t->cols[2], ty, strlen(ty), &code), HS_OK);
        t->cols[2].v[i] = i % 11 == 4 ? NAN : code;
        t->cols[3].v[i] = i % 3 == 0 ? 1 : 0;
    }
    assert_int_equal(hs_table_set_label(t, "Truth", NULL, &err), HS_OK);
    return t;
}

/* ---- the cell buffer ---- */

static void
test_screen_put(void **state)
{
    struct hs_screen *s = hs_screen_new(10, 3);

    (void)state;
    assert_non_null(s);
    assert_int_equal(hs_screen_put(s, 0, 0, -1, "héllo", HS_COLOR_HEADER, 0), 5);
    /* A wide character takes two cells; one that does not fit is a space.
     * (Only a UTF-8 locale knows which characters are wide.) */
    if (wcwidth(0x65e5) == 2) {
        assert_int_equal(hs_screen_put(s, 0, 1, 3, "日本", HS_COLOR_NORMAL, 0), 3);
        assert_int_equal(hs_text_width("日本x"), 5);
    } else {
        hs_screen_put(s, 0, 1, 3, "日", HS_COLOR_NORMAL, 0);
    }
    /* Control characters and invalid UTF-8 show as '?'. */
    hs_screen_put(s, 0, 2, -1, "a\tb\xff" "c", HS_COLOR_NORMAL, 0);
    assert_string_equal(line(s, 0), "héllo");
    assert_string_equal(line(s, 1), "日");
    assert_string_equal(line(s, 2), "a?b?c");
    /* Clipping: nothing outside the screen is written. */
    hs_screen_put(s, 8, 0, -1, "xyz", HS_COLOR_NORMAL, 0);
    hs_screen_put(s, -3, 5, -1, "xyz", HS_COLOR_NORMAL, 0);
    assert_string_equal(line(s, 0), "héllo   xy");
    hs_screen_free(s);
}

static void
test_screen_fields(void **state)
{
    struct hs_screen *s = hs_screen_new(12, 4);

    (void)state;
    hs_screen_put_field(s, 0, 0, 6, "ab", HS_ALIGN_RIGHT, HS_COLOR_NORMAL, 0);
    hs_screen_put_field(s, 0, 1, 6, "abcdefgh", HS_ALIGN_LEFT, HS_COLOR_NORMAL, 0);
    hs_screen_put_field(s, 0, 2, 6, "abcdefgh", HS_ALIGN_RIGHT, HS_COLOR_NORMAL, 0);
    hs_screen_put_field(s, 0, 3, 6, "ab", HS_ALIGN_CENTER, HS_COLOR_SIGNAL, HS_ATTR_REVERSE);
    assert_string_equal(line(s, 0), "    ab");
    assert_string_equal(line(s, 1), "abcde~");
    assert_string_equal(line(s, 2), "~defgh");
    assert_string_equal(line(s, 3), "  ab");
    char *roles = hs_screen_roles(s);
    assert_string_equal(roles, "\n\n\nSSSSSS\n");
    free(roles);
    assert_int_equal(hs_text_fit("héllo", 2), 3); /* "hé": 3 bytes */
    hs_screen_free(s);
}

/* ---- numbers ---- */

static void
test_num_fit(void **state)
{
    static const double xs[] = {0, 1, -1, 0.1, 0.1 + 0.2, 1.0 / 3.0, -2.0 / 3.0, 123456789.25,
                                1e300, -1e-300, 6.02214076e23, 1e-5, 99999.5};
    char buf[64];

    (void)state;
    hs_num_fit(NAN, 8, buf, sizeof buf);
    assert_string_equal(buf, "NA");
    hs_num_fit(0.1 + 0.2, 20, buf, sizeof buf);
    assert_string_equal(buf, "0.30000000000000004"); /* shortest round trip */
    hs_num_fit(1.5, 8, buf, sizeof buf);
    assert_string_equal(buf, "1.5");
    hs_num_fit(1e300, 3, buf, sizeof buf);
    assert_string_equal(buf, "###");
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        for (int w = 6; w <= 14; w++) {
            double back, tol;
            hs_num_fit(xs[i], w, buf, sizeof buf);
            if ((int)strlen(buf) > w)
                fail_msg("%.17g in %d columns: '%s' is too wide", xs[i], w, buf);
            if (buf[0] == '#') {
                /* Only when even one digit does not fit. */
                char one[32];
                snprintf(one, sizeof one, "%.0e", xs[i]);
                assert_true((int)strlen(one) > w);
                continue;
            }
            /* Fewer digits, but the same number to the precision shown:
             * one significant digit at least in 6 columns ("1e+08"), two
             * from 8 on. */
            back = strtod(buf, NULL);
            tol = fabs(xs[i]) * (w >= 8 ? 0.05 : 0.5);
            if (fabs(back - xs[i]) > tol)
                fail_msg("%.17g in %d columns: '%s' reads back as %.17g", xs[i], w, buf, back);
        }
}

/* ---- the data view ---- */

static void
test_data_view_golden(void **state)
{
    struct hs_table *t = make_table(30);
    struct hs_data_view dv = {0};
    struct hs_screen *s = hs_screen_new(80, 12);

    (void)state;
    assert_int_equal(hs_data_view_set(&dv, t), HS_OK);
    /* The synthetic _label is the row marker, not a column. */
    assert_int_equal(dv.ncols, 4);
    hs_data_view_draw(&dv, s, 0, 0, 80, 12);
    golden(s, "data-80x12");

    /* The header names the columns; row 1's label column is coloured. */
    assert_true(strstr(line(s, 0), "Truth") && strstr(line(s, 0), "type"));
    assert_int_equal(hs_screen_cell(s, 3, 1)->color, HS_COLOR_SIGNAL);     /* row 1: S */
    assert_int_equal(hs_screen_cell(s, 3, 2)->color, HS_COLOR_BACKGROUND); /* row 2: B */

    /* Page down: 11 rows per page, so the first row shown is now 12. */
    hs_data_view_move(&dv, HS_MOVE_PAGE_DOWN, 1);
    hs_data_view_draw(&dv, s, 0, 0, 80, 12);
    assert_int_equal(atoi(line(s, 1)), 12);
    assert_int_equal(dv.rows.cur, 11);
    /* End and Home. */
    hs_data_view_move(&dv, HS_MOVE_BOTTOM, 1);
    hs_data_view_draw(&dv, s, 0, 0, 80, 12);
    assert_int_equal(atoi(line(s, 11)), 30);
    assert_int_equal(atoi(line(s, 1)), 20);
    hs_data_view_move(&dv, HS_MOVE_TOP, 1);
    hs_data_view_draw(&dv, s, 0, 0, 80, 12);
    assert_int_equal(atoi(line(s, 1)), 1);
    hs_data_view_release(&dv);
    hs_table_free(t);
    hs_screen_free(s);
}

static void
test_data_view_columns(void **state)
{
    struct hs_table *t = hs_table_new();
    struct hs_data_view dv = {0};
    struct hs_screen *s = hs_screen_new(60, 6);
    struct hs_err err;
    char name[32];

    (void)state;
    for (int c = 0; c < 30; c++) {
        size_t idx;
        snprintf(name, sizeof name, "column_%02d", c);
        assert_int_equal(hs_table_add_column(t, name, HS_COL_NUMBER, &idx, &err), HS_OK);
    }
    assert_int_equal(hs_table_resize(t, 0), HS_OK);
    assert_int_equal(hs_table_reserve(t, 3), HS_OK);
    assert_int_equal(hs_table_resize(t, 3), HS_OK);
    for (size_t c = 0; c < t->ncols; c++)
        for (size_t r = 0; r < 3; r++)
            t->cols[c].v[r] = (double)(c * 100 + r);
    assert_int_equal(hs_data_view_set(&dv, t), HS_OK);
    hs_data_view_draw(&dv, s, 0, 0, 60, 6);
    assert_non_null(strstr(line(s, 0), "column_00"));
    assert_null(strstr(line(s, 0), "column_29"));
    /* Moving right scrolls by whole columns and keeps the cursor shown. */
    for (int i = 0; i < 10; i++)
        hs_data_view_move(&dv, HS_MOVE_RIGHT, 1);
    hs_data_view_draw(&dv, s, 0, 0, 60, 6);
    assert_string_equal(hs_data_view_column(&dv), "column_10");
    assert_non_null(strstr(line(s, 0), "column_10"));
    assert_null(strstr(line(s, 0), "column_00"));
    assert_non_null(strstr(line(s, 1), "1000")); /* column 10, row 1 */
    hs_data_view_move(&dv, HS_MOVE_LAST_COLUMN, 1);
    hs_data_view_draw(&dv, s, 0, 0, 60, 6);
    assert_non_null(strstr(line(s, 0), "column_29"));
    assert_true(hs_data_view_goto_column(&dv, "column_03"));
    assert_false(hs_data_view_goto_column(&dv, "nope"));
    hs_data_view_draw(&dv, s, 0, 0, 60, 6);
    assert_non_null(strstr(line(s, 0), "column_03"));
    hs_data_view_release(&dv);
    hs_table_free(t);
    hs_screen_free(s);
}

/* A million rows: drawing a page costs what it costs for ten. */
static void
test_data_view_million(void **state)
{
    struct hs_table *t = hs_table_new();
    struct hs_data_view dv = {0};
    struct hs_screen *s = hs_screen_new(100, 30);
    struct hs_err err;
    size_t idx;
    const size_t n = 1000000;

    (void)state;
    assert_int_equal(hs_table_add_column(t, "x", HS_COL_NUMBER, &idx, &err), HS_OK);
    assert_int_equal(hs_table_reserve(t, n), HS_OK);
    assert_int_equal(hs_table_resize(t, n), HS_OK);
    for (size_t i = 0; i < n; i++)
        t->cols[0].v[i] = (double)i / 8.0;
    assert_int_equal(hs_data_view_set(&dv, t), HS_OK);
    hs_data_view_draw(&dv, s, 0, 0, 100, 30); /* the TUI draws before any key */
    for (int k = 0; k < 2000; k++) {
        hs_data_view_move(&dv, HS_MOVE_PAGE_DOWN, 1);
        hs_data_view_draw(&dv, s, 0, 0, 100, 30);
    }
    /* 2000 pages of 29 rows from the top: the first row shown is 58001. */
    assert_int_equal(atoi(line(s, 1)), 58001);
    hs_data_view_move(&dv, HS_MOVE_BOTTOM, 1);
    hs_data_view_draw(&dv, s, 0, 0, 100, 30);
    assert_int_equal(atoi(line(s, 29)), 1000000);
    /* Long numbers show six significant digits: 124999.875 is 125000,
     * within half a unit of the sixth digit. */
    {
        char *end;
        double x;
        (void)strtol(line(s, 29), &end, 10);
        x = strtod(end, NULL);
        if (fabs(x - 124999.875) > 0.5)
            fail_msg("last row: %s", line(s, 29));
    }
    hs_data_view_release(&dv);
    hs_table_free(t);
    hs_screen_free(s);
}

/* ---- statistics ---- */

static void
test_stats_view(void **state)
{
    struct hs_table *t = make_table(30);
    struct hs_stats_view sv = {0};
    struct hs_screen *s = hs_screen_new(80, 12);
    double sum = 0, sum2 = 0;
    size_t n = 0;

    (void)state;
    assert_int_equal(hs_stats_view_set(&sv, t), HS_OK);
    assert_true(sv.labelled);
    assert_int_equal(sv.nentries, 4);
    /* Computed when shown: the four columns fit in 12 rows. */
    assert_false(sv.entries[0].done);
    assert_int_equal(hs_stats_view_load(&sv, 12, NULL, NULL), HS_OK);
    assert_true(sv.entries[0].done && sv.entries[3].done);
    /* E's signal mean, computed here by the two-pass formula: rows 0, 3,
     * ..., 27 are signal, E = 1.5 i. */
    for (size_t i = 0; i < 30; i += 3)
        sum += 1.5 * (double)i, n++;
    for (size_t i = 0; i < 30; i += 3)
        sum2 += pow(1.5 * (double)i - sum / (double)n, 2);
    assert_int_equal(sv.entries[0].st[0].n, n);
    assert_true(fabs(sv.entries[0].st[0].mean - sum / (double)n) < 1e-12);
    assert_true(fabs(sv.entries[0].st[0].sd - sqrt(sum2 / (double)(n - 1))) < 1e-12);
    assert_int_equal(sv.entries[0].st[1].n, 20);
    hs_stats_view_draw(&sv, s, 0, 0, 80, 12);
    golden(s, "stats-80x12");
    assert_non_null(strstr(line(s, 1), "signal"));
    assert_non_null(strstr(line(s, 2), "background"));
    hs_scroll_move(&sv.sc, HS_MOVE_DOWN, 1);
    assert_string_equal(hs_stats_view_column(&sv), "pz");
    hs_stats_view_release(&sv);
    hs_table_free(t);
    hs_screen_free(s);
}

/* ---- datasets ---- */

static void
test_datasets_view(void **state)
{
    struct hs_dataset_info ds[3] = {
        {.name = "demo", .nrows = 110000, .ncols = 17, .labelled = true, .nsignal = 10000,
         .nbackground = 100000, .source = "demo"},
        {.name = "zmumu", .nrows = 10000, .ncols = 8, .labelled = false, .source = "/data/Z.csv"},
        {.name = "x", .nrows = 0, .ncols = 1},
    };
    struct hs_scroll sc = {0};
    struct hs_screen *s = hs_screen_new(60, 8);

    (void)state;
    sc.cur = 1;
    hs_datasets_view_draw(ds, 3, "demo", &sc, s, 0, 0, 60, 8);
    golden(s, "datasets-60x8");
    hs_screen_free(s);
}

/* ---- the ':' line ---- */

static void
type(struct hs_prompt *p, const char *text)
{
    for (const char *c = text; *c; c++)
        assert_int_equal(hs_prompt_key(p, (unsigned char)*c), HS_PROMPT_EDITING);
}

static void
test_prompt(void **state)
{
    struct hs_prompt p = {0};

    (void)state;
    assert_int_equal(hs_prompt_open(&p, NULL), HS_OK);
    type(&p, "abc");
    hs_prompt_key(&p, HS_KEY_FN + KEY_LEFT);
    type(&p, "X");
    assert_string_equal(hs_prompt_line(&p), "abXc");
    hs_prompt_key(&p, 0x00e9); /* é, typed as a wide character */
    assert_string_equal(hs_prompt_line(&p), "abXéc");
    hs_prompt_key(&p, HS_KEY_FN + KEY_BACKSPACE);
    hs_prompt_key(&p, HS_KEY_FN + KEY_HOME);
    hs_prompt_key(&p, HS_KEY_FN + KEY_DC);
    assert_string_equal(hs_prompt_line(&p), "bXc");
    assert_int_equal(hs_prompt_key(&p, HS_KEY_ENTER), HS_PROMPT_RUN);
    hs_prompt_close(&p, true);

    /* History: Up recalls, Down returns to the line being typed. */
    hs_prompt_open(&p, NULL);
    type(&p, "second");
    hs_prompt_key(&p, HS_KEY_ENTER);
    hs_prompt_close(&p, true);
    hs_prompt_open(&p, NULL);
    type(&p, "new");
    hs_prompt_key(&p, HS_KEY_FN + KEY_UP);
    assert_string_equal(hs_prompt_line(&p), "second");
    hs_prompt_key(&p, HS_KEY_FN + KEY_UP);
    assert_string_equal(hs_prompt_line(&p), "bXc");
    hs_prompt_key(&p, HS_KEY_FN + KEY_UP);
    assert_string_equal(hs_prompt_line(&p), "bXc");
    hs_prompt_key(&p, HS_KEY_FN + KEY_DOWN);
    hs_prompt_key(&p, HS_KEY_FN + KEY_DOWN);
    assert_string_equal(hs_prompt_line(&p), "new");
    /* C-w, C-u; Backspace on an empty line cancels; Esc cancels. */
    type(&p, " two words");
    hs_prompt_key(&p, 'w' & 0x1f);
    assert_string_equal(hs_prompt_line(&p), "new two ");
    hs_prompt_key(&p, 'u' & 0x1f);
    assert_string_equal(hs_prompt_line(&p), "");
    assert_int_equal(hs_prompt_key(&p, HS_KEY_FN + KEY_BACKSPACE), HS_PROMPT_CANCEL);
    assert_int_equal(hs_prompt_key(&p, HS_KEY_ESC), HS_PROMPT_CANCEL);
    /* Tab completes a unique command name. */
    type(&p, "datas");
    hs_prompt_key(&p, '\t');
    assert_string_equal(hs_prompt_line(&p), "datasets ");
    hs_prompt_close(&p, false);
    assert_int_equal(p.nhist, 2);

    /* A line longer than the screen scrolls to keep the cursor shown. */
    struct hs_screen *s = hs_screen_new(20, 1);
    hs_prompt_open(&p, "0123456789abcdefghijklmnopqrstuvwxyz");
    hs_prompt_draw(&p, s, 0, 0, 20);
    assert_string_equal(line(s, 0), ":ijklmnopqrstuvwxyz");
    assert_int_equal(s->cur_x, 19); /* the last cell */
    hs_screen_free(s);
    hs_prompt_release(&p);
}

/* ---- the whole TUI, keys in, screen out, no terminal ---- */

static void
test_tui_frame(void **state)
{
    struct hs_app app;
    struct hs_tui tui;
    struct hs_screen *s = hs_screen_new(60, 20);
    struct hs_err err;

    (void)state;
    hs_app_init(&app);
    hs_tui_init(&tui, &app);
    app.tui = &tui;
    /* No dataset: the friendly screen says how to import. */
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, ":import FILE.csv"));
    assert_true(screen_has(s, "hepscope import FILE.csv"));

    assert_int_equal(hs_tui_set_table(&tui, "demo", make_table(100), &err), HS_OK);
    assert_string_equal(app.dataset, "demo");
    hs_tui_draw(&tui, s);
    golden(s, "frame-60x20");
    assert_non_null(strstr(line(s, 19), "q quit"));

    /* PgDn through the key table: the first row shown changes. */
    hs_tui_key(&tui, HS_KEY_FN + KEY_NPAGE);
    hs_tui_draw(&tui, s);
    assert_int_equal(atoi(line(s, 2)), 18); /* 17 rows a page */
    keys(&tui, "G");
    hs_tui_draw(&tui, s);
    assert_int_equal(atoi(line(s, 18)), 100);

    /* ? opens the key list on the data view's keys (the global ones
     * follow); Esc closes it. */
    keys(&tui, "?");
    assert_true(tui.overlay.open);
    hs_tui_draw(&tui, s);
    golden(s, "help-60x20");
    assert_non_null(strstr(line(s, 2), "Data view (1)"));
    assert_true(screen_has(s, "next row"));
    {
        bool global = false;
        for (size_t i = 0; i < tui.overlay.nlines; i++)
            global |= strcmp(tui.overlay.lines[i], "Everywhere") == 0;
        assert_true(global);
    }
    hs_tui_key(&tui, HS_KEY_ESC);
    assert_false(tui.overlay.open);

    /* The ':' line runs commands; a bad one shows an error. */
    keys(&tui, ":view stats\n");
    assert_int_equal(tui.view, HS_VIEW_STATS);
    keys(&tui, ":no-such-command\n");
    assert_true(tui.msg_error);
    assert_non_null(strstr(tui.msg, "no-such-command"));
    hs_tui_draw(&tui, s);
    assert_non_null(strstr(line(s, 19), "no-such-command"));
    assert_int_equal(hs_screen_cell(s, 2, 19)->color, HS_COLOR_ERROR);
    keys(&tui, "3");
    assert_int_equal(tui.view, HS_VIEW_DATASETS);
    keys(&tui, "\t");
    assert_int_equal(tui.view, HS_VIEW_FEATURES);
    keys(&tui, "\t");
    assert_int_equal(tui.view, HS_VIEW_HIST);
    keys(&tui, "\t");
    assert_int_equal(tui.view, HS_VIEW_CUTS);
    keys(&tui, "\t");
    assert_int_equal(tui.view, HS_VIEW_ROC);
    keys(&tui, "\t");
    assert_int_equal(tui.view, HS_VIEW_TRAIN);
    keys(&tui, "\t");
    assert_int_equal(tui.view, HS_VIEW_PROJ);
    keys(&tui, "\t");
    assert_int_equal(tui.view, HS_VIEW_CLUST);
    keys(&tui, "\t");
    assert_int_equal(tui.view, HS_VIEW_DATA);
    keys(&tui, ":move page-down 2\n");
    if (tui.msg_error)
        fail_msg("move page-down 2: %s", tui.msg);
    keys(&tui, ":move sideways\n");
    assert_true(tui.msg_error);
    keys(&tui, ":goto-column type\n");
    assert_string_equal(hs_data_view_column(&tui.data), "type");
    keys(&tui, "Z");
    assert_non_null(strstr(tui.msg, "not bound"));

    /* Small terminals: still correct at 60x20 (above), a note below 40x10. */
    assert_int_equal(hs_screen_resize(s, 30, 8), HS_OK);
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "terminal too small"));

    keys(&tui, "q");
    assert_true(tui.quit);
    app.tui = NULL;
    hs_tui_release(&tui);
    hs_app_release(&app);
    hs_screen_free(s);
}

/* ---- the features view ---- */

/* Eight events, signal when i is even: a separates perfectly (signal
 * 0,2,4,6; background 101,...,107), b not at all (0,1,0,1 in both), c has
 * two missing values (signal 0,1,2,NA; background 0.5,NA,2.5,3.5). */
static struct hs_table *
small_features_table(void)
{
    struct hs_table *t = hs_table_new();
    struct hs_err err;
    size_t c;

    assert_non_null(t);
    assert_int_equal(hs_table_add_column(t, "a", HS_COL_NUMBER, &c, &err), HS_OK);
    assert_int_equal(hs_table_add_column(t, "b", HS_COL_NUMBER, &c, &err), HS_OK);
    assert_int_equal(hs_table_add_column(t, "c", HS_COL_NUMBER, &c, &err), HS_OK);
    assert_int_equal(hs_table_add_column(t, "Truth", HS_COL_NUMBER, &c, &err), HS_OK);
    assert_int_equal(hs_table_reserve(t, 8), HS_OK);
    assert_int_equal(hs_table_resize(t, 8), HS_OK);
    for (size_t i = 0; i < 8; i++) {
        bool sig = i % 2 == 0;
        t->cols[0].v[i] = sig ? (double)i : 100.0 + (double)i;
        t->cols[1].v[i] = (double)((i / 2) % 2);
        t->cols[2].v[i] = i == 3 || i == 6 ? NAN : 0.5 * (double)i;
        t->cols[3].v[i] = sig ? 1 : 0;
    }
    assert_int_equal(hs_table_set_label(t, "Truth", NULL, &err), HS_OK);
    return t;
}

static void
features_view_on(struct hs_features_view *fv, const struct hs_table *t)
{
    struct hs_featureset fs;
    struct hs_err err;

    assert_int_equal(hs_featureset_init(&fs, t, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "a2", "a * 2", true, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "bc", "b + c", false, &err), HS_OK);
    assert_int_equal(hs_features_view_set(fv, t, &fs, false), HS_OK);
    assert_int_equal(fs.n, 0); /* taken */
    assert_int_equal(hs_features_view_pending(fv), 5);
    assert_int_equal(hs_features_view_compute(fv, NULL, &err), HS_OK);
    assert_int_equal(hs_features_view_pending(fv), 0);
}

static const struct hs_featstats *
stats_of(const struct hs_features_view *fv, const char *name)
{
    long i = hs_featureset_find(&fv->fs, name);

    assert_true(i >= 0);
    return &fv->st[i];
}

/* The row (0-based) of the list that shows feature `name`. */
static int
row_of(const struct hs_features_view *fv, const char *name)
{
    for (size_t r = 0; r < fv->fs.n; r++)
        if (strcmp(fv->fs.f[fv->order[r]].name, name) == 0)
            return (int)r;
    return -1;
}

static void
test_features_view(void **state)
{
    struct hs_table *t = small_features_table();
    struct hs_features_view fv = {0};
    struct hs_screen *s = hs_screen_new(80, 14);
    const struct hs_featstats *st;
    int pairs = 0, ties = 0;

    (void)state;
    features_view_on(&fv, t);
    /* Against the numbers worked out by hand above. */
    st = stats_of(&fv, "a");
    assert_true(fabs(st->cls[HS_CLASS_SIGNAL].mean - 3) < 1e-12);
    assert_true(fabs(st->cls[HS_CLASS_BACKGROUND].mean - 104) < 1e-12);
    assert_true(fabs(st->cls[HS_CLASS_SIGNAL].sd - sqrt(20.0 / 3.0)) < 1e-12);
    assert_true(fabs(st->separation - 1) < 1e-12); /* disjoint */
    assert_true(fabs(st->auc - 1) < 1e-12);
    assert_int_equal(st->direction, -1); /* signal lower: the cut keeps a < c */
    st = stats_of(&fv, "b");
    assert_true(fabs(st->separation) < 1e-12); /* identical shapes */
    assert_true(fabs(st->auc - 0.5) < 1e-12);
    st = stats_of(&fv, "c");
    assert_int_equal(st->cls[HS_CLASS_ALL].missing, 2);
    /* c's AUC by counting pairs: signal {0,1,2} against background
     * {0.5,2.5,3.5}. */
    {
        const double sg[] = {0, 1, 2}, bg[] = {0.5, 2.5, 3.5};
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                pairs += sg[i] > bg[j];
                ties += sg[i] == bg[j];
            }
        double auc = ((double)pairs + 0.5 * ties) / 9.0;
        assert_true(fabs(st->auc - fmax(auc, 1 - auc)) < 1e-12);
        assert_int_equal(st->direction, auc >= 0.5 ? 1 : -1);
    }

    /* Ranked by separation: a and a2 (1, a first: the file's order breaks
     * ties), c, then b and bc. */
    assert_int_equal(row_of(&fv, "a"), 0);
    assert_int_equal(row_of(&fv, "a2"), 1);
    assert_int_equal(row_of(&fv, "c"), 2);
    assert_string_equal(hs_features_view_current(&fv)->name, "a");
    hs_features_view_draw(&fv, s, 0, 0, 80, 14);
    golden(s, "features-80x14");
    assert_non_null(strstr(line(s, 0), "sorted by separation"));
    assert_true(strstr(line(s, 1), "sep") && strstr(line(s, 1), "AUC") &&
                strstr(line(s, 1), "mean sig") && strstr(line(s, 1), "sd bkg"));
    /* The toggle, the kind and the cut direction of the rows. */
    assert_true(strncmp(line(s, 2), "[x] a ", 6) == 0);
    assert_int_equal(line(s, 2)[strlen(line(s, 2)) - 1], '<');
    assert_non_null(strstr(line(s, 3), " expr "));
    assert_true(strncmp(line(s, 2 + row_of(&fv, "bc")), "[ ] bc ", 7) == 0);
    /* The derived feature's name has its own colour; the cursor row is
     * reversed; the separation header, the sort, is selected. */
    assert_int_equal(hs_screen_cell(s, 4, 3)->color, HS_COLOR_DERIVED);
    assert_true(hs_screen_cell(s, 0, 2)->attr & HS_ATTR_REVERSE);
    assert_int_equal(hs_screen_cell(s, (int)(strstr(line(s, 1), "sep") - line(s, 1)), 1)->color,
                     HS_COLOR_SELECTION);
    /* The detail lines: the selected feature, then its quantiles. */
    hs_scroll_move(&fv.sc, HS_MOVE_DOWN, 1);
    hs_features_view_draw(&fv, s, 0, 0, 80, 14);
    assert_string_equal(line(s, 12), "a2 = a * 2");
    /* Medians as the library defines them: the lower middle value. */
    assert_non_null(strstr(line(s, 13), "median sig 4 bkg 206"));

    /* Sorting: by AUC, by name, in file order; the cursor keeps its
     * feature. */
    hs_features_view_sort(&fv, HS_FSORT_NAME);
    assert_string_equal(hs_features_view_current(&fv)->name, "a2");
    assert_int_equal(row_of(&fv, "a"), 0);
    assert_int_equal(row_of(&fv, "a2"), 1);
    assert_int_equal(row_of(&fv, "b"), 2);
    assert_int_equal(row_of(&fv, "bc"), 3);
    hs_features_view_sort(&fv, HS_FSORT_FILE);
    assert_int_equal(row_of(&fv, "c"), 2);
    assert_int_equal(row_of(&fv, "a2"), 3);
    hs_features_view_sort(&fv, HS_FSORT_AUC);
    assert_int_equal(row_of(&fv, "c"), 2); /* 7/9 */
    hs_features_view_draw(&fv, s, 0, 0, 80, 14);
    assert_non_null(strstr(line(s, 0), "sorted by AUC"));
    assert_int_equal(hs_feat_sort_find("auc"), HS_FSORT_AUC);
    assert_int_equal(hs_feat_sort_find("AUC"), -1);

    /* 60 columns: the sds go, the rest stays. */
    hs_features_view_sort(&fv, HS_FSORT_SEPARATION);
    hs_scroll_move(&fv.sc, HS_MOVE_TOP, 1);
    assert_int_equal(hs_screen_resize(s, 60, 14), HS_OK);
    hs_features_view_draw(&fv, s, 0, 0, 60, 14);
    golden(s, "features-60x14");
    assert_null(strstr(line(s, 1), "sd sig"));
    assert_true(strstr(line(s, 1), "mean sig") && strstr(line(s, 1), "AUC"));
    /* 40 columns: name, separation and AUC still. */
    assert_int_equal(hs_screen_resize(s, 40, 14), HS_OK);
    hs_features_view_draw(&fv, s, 0, 0, 40, 14);
    assert_true(strstr(line(s, 1), "sep") && strstr(line(s, 1), "AUC"));
    assert_true((int)strlen(line(s, 2)) <= 40);

    hs_features_view_release(&fv);
    hs_table_free(t);
    hs_screen_free(s);
}

/* Only the features whose name or expression changed are computed again
 * when the same events come back (a toggle, an add). */
static void
test_features_view_keeps_stats(void **state)
{
    struct hs_table *t = small_features_table();
    struct hs_features_view fv = {0};
    struct hs_featureset fs;
    struct hs_err err;

    (void)state;
    features_view_on(&fv, t);
    hs_scroll_move(&fv.sc, HS_MOVE_DOWN, 2); /* c */
    assert_string_equal(hs_features_view_current(&fv)->name, "c");
    assert_int_equal(hs_featureset_init(&fs, t, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "a2", "a * 3", true, &err), HS_OK); /* changed */
    assert_int_equal(hs_featureset_add(&fs, "bc", "b + c", true, &err), HS_OK);
    assert_int_equal(hs_features_view_set(&fv, t, &fs, true), HS_OK);
    assert_int_equal(hs_features_view_pending(&fv), 1);
    assert_string_equal(hs_features_view_current(&fv)->name, "c");
    /* A cancel stops the computation and leaves nothing half-done. */
    {
        atomic_int cancel = 1;
        struct hs_task task = {NULL, NULL, &cancel};
        assert_int_equal(hs_features_view_compute(&fv, &task, &err), HS_ECANCELLED);
        assert_int_equal(hs_features_view_pending(&fv), 1);
        atomic_store(&cancel, 0);
        assert_int_equal(hs_features_view_compute(&fv, &task, &err), HS_OK);
        assert_int_equal(hs_features_view_pending(&fv), 0);
        assert_true(fabs(stats_of(&fv, "a2")->cls[HS_CLASS_SIGNAL].mean - 9) < 1e-12);
    }
    /* What tells "the same events" (a toggle reloads them) from others. */
    {
        struct hs_table *u = small_features_table();
        assert_true(hs_tui_same_events(t, u));
        u->cols[2].v[3] = 1.5; /* a missing value filled in */
        assert_false(hs_tui_same_events(t, u));
        hs_table_free(u);
        u = small_features_table();
        u->cols[0].v[7] = nextafter(u->cols[0].v[7], 0); /* one ulp */
        assert_false(hs_tui_same_events(t, u));
        assert_false(hs_tui_same_events(t, NULL));
        hs_table_free(u);
    }
    /* Other events: everything again; a wanted feature gets the cursor. */
    fv.want = strdup("bc");
    assert_int_equal(hs_featureset_init(&fs, t, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "bc", "b + c", true, &err), HS_OK);
    assert_int_equal(hs_features_view_set(&fv, t, &fs, false), HS_OK);
    assert_int_equal(hs_features_view_pending(&fv), 4);
    assert_string_equal(hs_features_view_current(&fv)->name, "bc");
    assert_null(fv.want);
    hs_features_view_release(&fv);
    hs_table_free(t);
}

static void
type_editor(struct hs_feature_editor *ed, const char *text)
{
    for (const char *c = text; *c; c++)
        assert_int_equal(hs_feature_editor_key(ed, (unsigned char)*c), HS_PROMPT_EDITING);
}

static void
test_feature_editor(void **state)
{
    struct hs_table *t = small_features_table();
    struct hs_features_view fv = {0};
    struct hs_feature_editor *ed = &fv.ed;
    struct hs_screen *s = hs_screen_new(60, 14);
    const char *expr = "sqrt(a) + cc * 2";
    const char *at;
    int caret = -1, ey = -1;

    (void)state;
    features_view_on(&fv, t);
    assert_int_equal(hs_feature_editor_open(ed, NULL), HS_OK);
    /* "NAME = EXPR" in one go: the spaces around '=' vanish. */
    type_editor(ed, "ab = ");
    assert_true(ed->on_expr);
    type_editor(ed, expr);
    assert_string_equal(hs_feature_editor_name(ed), "ab");
    assert_string_equal(hs_feature_editor_expr(ed), expr);
    /* Backspace on an empty expression goes back to the name. */
    hs_feature_editor_key(ed, 'u' & 0x1f);
    assert_string_equal(hs_feature_editor_expr(ed), "");
    hs_feature_editor_key(ed, HS_KEY_FN + KEY_BACKSPACE);
    assert_false(ed->on_expr);
    assert_int_equal(hs_feature_editor_key(ed, HS_KEY_ENTER), HS_PROMPT_EDITING);
    assert_true(ed->on_expr);
    type_editor(ed, expr);
    assert_int_equal(hs_feature_editor_key(ed, HS_KEY_ENTER), HS_PROMPT_RUN);

    /* The error the expression language gives for it, with its column. */
    {
        struct hs_featureset fs = {0};
        struct hs_err err;
        assert_int_equal(hs_featureset_init(&fs, t, &err), HS_OK);
        hs_err_clear(&err);
        assert_int_not_equal(hs_featureset_add(&fs, "ab", expr, true, &err), HS_OK);
        assert_int_equal(err.col, (int)(strstr(expr, "cc") - expr) + 1);
        hs_feature_editor_set_error(ed, err.msg, err.col);
        hs_featureset_release(&fs);
    }
    hs_features_view_draw(&fv, s, 0, 0, 60, 14);
    golden(s, "features-editor-60x14");
    /* The caret is under the 'c' of "cc" in the expression line. */
    for (int y = 0; y < 14; y++) {
        const char *l = line(s, y);
        if (strncmp(l, "expression", 10) == 0 && (at = strstr(l, "cc *")))
            ey = y, caret = (int)(at - l);
    }
    assert_true(ey > 0);
    assert_int_equal(hs_screen_cell(s, caret, ey + 1)->ch[0], '^');
    assert_int_equal(hs_screen_cell(s, caret, ey + 1)->color, HS_COLOR_ERROR);
    assert_non_null(strstr(line(s, ey + 2), "column 'cc' not found"));
    /* The cursor waits at the error. */
    assert_int_equal(s->cur_x, caret);
    assert_int_equal(s->cur_y, ey);
    /* An edit drops the caret, keeps the message. */
    hs_feature_editor_key(ed, HS_KEY_FN + KEY_DC);
    hs_features_view_draw(&fv, s, 0, 0, 60, 14);
    assert_false(screen_has(s, "^"));
    assert_true(screen_has(s, "not found"));
    assert_int_equal(hs_feature_editor_key(ed, HS_KEY_ESC), HS_PROMPT_CANCEL);
    hs_feature_editor_close(ed);
    assert_false(ed->active);
    hs_features_view_release(&fv);
    hs_table_free(t);
    hs_screen_free(s);
}

/* ---- the features view through keys, on a real session ---- */

struct journal {
    char last[1024];
    int n;
};

static int
journal_entry(void *user, int64_t id, const char *when, const char *command)
{
    struct journal *j = user;

    (void)id;
    (void)when;
    snprintf(j->last, sizeof j->last, "%s", command);
    j->n++;
    return 0;
}

static const char *
last_journal(struct hs_app *app)
{
    static struct journal j;
    struct hs_err err;

    memset(&j, 0, sizeof j);
    assert_int_equal(hs_sess_journal_each(app->sess, journal_entry, &j, &err), HS_OK);
    return j.last;
}

/* 200 events of two muons (E, px, py, pz each) and d, which separates the
 * classes perfectly; everything else has the same shape in both. */
static void
write_events(const char *path)
{
    FILE *f = fopen(path, "w");
    unsigned long x = 12345;

    assert_non_null(f);
    fputs("E1,px1,py1,pz1,E2,px2,py2,pz2,d,Truth\n", f);
    for (int i = 0; i < 200; i++) {
        double v[6];
        int sig = i % 4 == 0;
        for (int k = 0; k < 6; k++) {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            v[k] = (double)(x >> 33) / 4294967296.0 * 4 - 2;
        }
        fprintf(f, "%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.3f,%d\n",
                sqrt(v[0] * v[0] + v[1] * v[1] + 100 + 0.011), v[0], v[1], 10.0,
                sqrt(v[3] * v[3] + v[4] * v[4] + 25 + 0.011), v[3], v[4], 5.0,
                sig ? 0.001 * i : 10 + 0.001 * i, sig);
    }
    fclose(f);
}

static void
test_features_keys(void **state)
{
    char dir[] = "/tmp/hs-views-XXXXXX", path[256], csv[256], cmdline[600];
    struct hs_app app;
    struct hs_tui tui;
    struct hs_screen *s = hs_screen_new(80, 24);
    struct hs_err err;
    char *out = NULL;
    size_t len = 0, n0;
    FILE *o;
    const struct hs_feature *f;
    long i;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.db", dir);
    snprintf(csv, sizeof csv, "%s/ev.csv", dir);
    write_events(csv);
    hs_app_init(&app);
    app.session_path = strdup(path);
    snprintf(cmdline, sizeof cmdline, "import '%s' --name ev --label Truth", csv);
    o = open_memstream(&out, &len);
    if (hs_cmd_run_line(&app, cmdline, o, &err) != HS_OK)
        fail_msg("import: %s", err.msg);
    fclose(o);
    free(out);
    assert_int_equal(hs_app_open_session(&app, true, &err), HS_OK);
    hs_tui_init(&tui, &app);
    app.tui = &tui;
    assert_int_equal(hs_tui_reload(&tui, &err), HS_OK);
    assert_string_equal(tui.dsname, "ev");
    n0 = tui.feat.fs.n;
    assert_int_equal(n0, 9);

    /* 4: the features view, statistics computed, d (disjoint) first. */
    keys(&tui, "4");
    assert_int_equal(tui.view, HS_VIEW_FEATURES);
    assert_int_equal(hs_features_view_pending(&tui.feat), 0);
    assert_string_equal(hs_features_view_current(&tui.feat)->name, "d");
    hs_tui_draw(&tui, s);
    assert_true(strncmp(line(s, 3), "[x] d ", 6) == 0);
    assert_non_null(strstr(line(s, 23), "feature 1 of 9"));

    /* Space: `feature off d`, journaled as from the CLI and stored. */
    keys(&tui, " ");
    if (tui.msg_error)
        fail_msg("space: %s", tui.msg);
    assert_string_equal(last_journal(&app), "feature --dataset ev off d");
    assert_false(tui.feat.fs.f[hs_featureset_find(&tui.feat.fs, "d")].on);
    assert_string_equal(hs_features_view_current(&tui.feat)->name, "d");
    {
        struct hs_featureset fs;
        assert_int_equal(hs_sess_featureset_load(app.sess, "ev", tui.table, &fs, &err), HS_OK);
        assert_false(fs.f[hs_featureset_find(&fs, "d")].on);
        hs_featureset_release(&fs);
    }
    keys(&tui, " ");
    assert_string_equal(last_journal(&app), "feature --dataset ev on d");

    /* a: a bad expression shows its error under the input, with a caret;
     * the text stays; then a good one adds the feature, selected. */
    keys(&tui, "am = mass(E1,px1,py1,pz1,E2,px2,py2,pzz2)\n");
    assert_true(tui.feat.ed.active);
    assert_non_null(strstr(tui.feat.ed.msg, "'pzz2'"));
    assert_int_equal(tui.feat.ed.col,
                     (int)(strstr("mass(E1,px1,py1,pz1,E2,px2,py2,pzz2)", "pzz2") -
                           "mass(E1,px1,py1,pz1,E2,px2,py2,pzz2)") + 1);
    assert_string_equal(last_journal(&app), "feature --dataset ev on d");
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "mass(E1,px1,py1,pz1,E2,px2,py2,pzz2)"));
    assert_true(screen_has(s, "^"));
    hs_tui_key(&tui, 'a' & 0x1f);
    hs_tui_key(&tui, 'k' & 0x1f);
    keys(&tui, "mass(E1,px1,py1,pz1,E2,px2,py2,pz2)\n");
    assert_false(tui.feat.ed.active);
    assert_string_equal(last_journal(&app),
                        "feature --dataset ev add m 'mass(E1,px1,py1,pz1,E2,px2,py2,pz2)'");
    assert_int_equal(tui.feat.fs.n, n0 + 1);
    assert_string_equal(hs_features_view_current(&tui.feat)->name, "m");
    assert_int_equal(hs_features_view_pending(&tui.feat), 0);
    /* The data view shows it after the file's columns, in its colour. */
    assert_int_equal(tui.data.nextra, 1);
    assert_string_equal(tui.data.extra[0].name, "m");
    /* Esc cancels the editor and changes nothing. */
    keys(&tui, "ax");
    hs_tui_key(&tui, HS_KEY_ESC);
    assert_false(tui.feat.ed.active);
    assert_int_equal(tui.feat.fs.n, n0 + 1);

    /* S: the pair quantities of particles 1 and 2, counted in one line. */
    keys(&tui, "S");
    if (tui.msg_error)
        fail_msg("S: %s", tui.msg);
    assert_false(tui.overlay.open);
    {
        size_t added = tui.feat.fs.n - (n0 + 1);
        char want[64];
        assert_true(added >= 5);
        snprintf(want, sizeof want, "added %zu features", added);
        assert_non_null(strstr(tui.msg, want));
    }
    assert_string_equal(last_journal(&app), "feature --dataset ev --add suggest");
    f = hs_features_view_current(&tui.feat);
    assert_non_null(f->expr); /* the first one added is selected */
    keys(&tui, "S");
    assert_non_null(strstr(tui.msg, "added 0 features"));

    /* d drops a derived feature; a raw one gives the command's error. */
    {
        char name[64];
        size_t n = tui.feat.fs.n;
        snprintf(name, sizeof name, "%s", f->name);
        keys(&tui, "d");
        assert_int_equal(tui.feat.fs.n, n - 1);
        assert_true(hs_featureset_find(&tui.feat.fs, name) < 0);
        snprintf(cmdline, sizeof cmdline, "feature --dataset ev drop %s", name);
        assert_string_equal(last_journal(&app), cmdline);
    }
    keys(&tui, ":feature-sort file\n");
    keys(&tui, "gd");
    assert_true(tui.msg_error);
    assert_non_null(strstr(tui.msg, "column of the data"));

    /* s cycles the order: separation, AUC, name, file. */
    keys(&tui, "s");
    assert_int_equal(tui.feat.sort, HS_FSORT_SEPARATION);
    keys(&tui, "s");
    assert_int_equal(tui.feat.sort, HS_FSORT_AUC);
    hs_tui_draw(&tui, s);
    assert_non_null(strstr(line(s, 1), "sorted by AUC"));
    keys(&tui, "ss");
    assert_int_equal(tui.feat.sort, HS_FSORT_FILE);

    /* Enter shows the feature in the data view. */
    assert_true(hs_features_view_select(&tui.feat, "m"));
    keys(&tui, "\n");
    assert_int_equal(tui.view, HS_VIEW_DATA);
    assert_string_equal(hs_data_view_column(&tui.data), "m");
    hs_tui_draw(&tui, s);
    i = (long)(strstr(line(s, 1), " m") - line(s, 1)) + 1;
    assert_int_equal(hs_screen_cell(s, (int)i, 1)->color, HS_COLOR_SELECTION);
    keys(&tui, "h");
    hs_tui_draw(&tui, s);
    assert_int_equal(hs_screen_cell(s, (int)i, 1)->color, HS_COLOR_DERIVED);

    app.tui = NULL;
    hs_tui_release(&tui);
    hs_app_release(&app);
    hs_screen_free(s);
    unlink(csv);
    snprintf(cmdline, sizeof cmdline, "rm -rf '%s'", dir);
    assert_int_equal(system(cmdline), 0);
}


/* ---- the histogram view ---- */

/* The bin count in the view's header line ("x  (1 of 2)  N bins"). */
static int
header_bins(const struct hs_screen *s)
{
    const char *l = line(s, 1), *p = strstr(l, " bins");

    assert_non_null(p);
    while (p > l && p[-1] >= '0' && p[-1] <= '9')
        p--;
    return atoi(p);
}

static void
test_hist_view(void **state)
{
    char dir[] = "/tmp/hs-hist-XXXXXX", cwd[1024], *png;
    struct hs_app app;
    struct hs_tui tui;
    struct hs_screen *s = hs_screen_new(60, 20);
    struct hs_err err;
    int bins;

    (void)state;
    hs_app_init(&app);
    hs_tui_init(&tui, &app);
    app.tui = &tui;
    tui.hist.mode = HS_CANVAS_BRAILLE;
    assert_int_equal(hs_tui_set_table(&tui, "toy", hist_table(40), &err), HS_OK);
    keys(&tui, "5");
    assert_int_equal(tui.view, HS_VIEW_HIST);
    hs_tui_draw(&tui, s);
    golden(s, "hist-60x20");
    assert_non_null(strstr(line(s, 1), "x  (1 of 2)"));
    assert_non_null(strstr(line(s, 19), "x"));
    /* Signal and background in their roles. */
    {
        bool sig = false, bkg = false;
        for (int y = 2; y < 19; y++)
            for (int x = 0; x < 60; x++) {
                sig |= hs_screen_cell(s, x, y)->color == HS_COLOR_SIGNAL;
                bkg |= hs_screen_cell(s, x, y)->color == HS_COLOR_BACKGROUND;
            }
        assert_true(sig && bkg);
    }

    /* Right and Left walk the enabled features; Tab still leaves. */
    hs_tui_key(&tui, HS_KEY_FN + KEY_RIGHT);
    hs_tui_draw(&tui, s);
    assert_non_null(strstr(line(s, 1), "y  (2 of 2)"));
    hs_tui_key(&tui, HS_KEY_FN + KEY_RIGHT); /* wraps */
    hs_tui_draw(&tui, s);
    assert_non_null(strstr(line(s, 1), "x  (1 of 2)"));
    keys(&tui, "k");
    hs_tui_draw(&tui, s);
    assert_non_null(strstr(line(s, 1), "y  (2 of 2)"));
    hs_tui_key(&tui, HS_KEY_FN + KEY_LEFT);

    /* + and - double and halve, within 5..400. */
    hs_tui_draw(&tui, s);
    bins = header_bins(s);
    keys(&tui, "+");
    hs_tui_draw(&tui, s);
    assert_int_equal(header_bins(s), bins * 2 > 400 ? 400 : bins * 2);
    keys(&tui, "----------");
    hs_tui_draw(&tui, s);
    assert_int_equal(header_bins(s), 5);
    keys(&tui, "++++++++++");
    hs_tui_draw(&tui, s);
    assert_int_equal(header_bins(s), 400);
    keys(&tui, "----");
    hs_tui_draw(&tui, s);
    assert_int_equal(header_bins(s), 25);

    /* L: decade ticks; A: normalised (unit area); again: back. */
    keys(&tui, "L");
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "10^"));
    assert_non_null(strstr(line(s, 1), "log y"));
    keys(&tui, "LA");
    hs_tui_draw(&tui, s);
    assert_false(screen_has(s, "10^"));
    assert_true(screen_has(s, "Fraction of events / "));
    keys(&tui, "A");

    /* #: both features in a grid. */
    keys(&tui, "#");
    hs_tui_draw(&tui, s);
    golden(s, "hist-grid-60x20");
    assert_non_null(strstr(line(s, 1), "all 2 enabled features"));
    keys(&tui, "#");

    /* p: a PNG in the current folder, its path in the status line, the
     * equivalent command in the file. */
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chdir(dir), 0);
    keys(&tui, "p");
    if (tui.msg_error)
        fail_msg("p: %s", tui.msg);
    assert_non_null(strstr(tui.msg, "hepscope-toy-x.png"));
    png = read_file("hepscope-toy-x.png");
    assert_non_null(png);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    {
        /* The file is binary: look for the command past any NUL. */
        FILE *f = fopen("hepscope-toy-x.png", "rb");
        char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        bool found = false;
        fclose(f);
        for (size_t i = 0; i + 20 < n && !found; i++)
            found = memcmp(buf + i, "--dataset toy plot hist x --bins", 32) == 0;
        assert_true(found);
    }
    free(png);
    unlink("hepscope-toy-x.png");

    /* Under `:where --versus`, the recorded command draws the same
     * figure: plot hist with --where and --versus (the selection against
     * the rest), not --where alone (the selection only). */
    keys(&tui, ":where --versus x > 3\n");
    if (tui.msg_error)
        fail_msg(":where --versus: %s", tui.msg);
    keys(&tui, "p");
    if (tui.msg_error)
        fail_msg("p under --versus: %s", tui.msg);
    {
        FILE *f = fopen("hepscope-toy-x.png", "rb");
        static const char want[] = "--where 'x > 3' --versus -o";
        char buf[1 << 16];
        size_t n;
        bool found = false;
        assert_non_null(f);
        n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        for (size_t i = 0; i + sizeof want - 1 <= n && !found; i++)
            found = memcmp(buf + i, want, sizeof want - 1) == 0;
        assert_true(found);
    }
    unlink("hepscope-toy-x.png");
    keys(&tui, ":where\n");
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rmdir(dir), 0);

    /* No enabled feature: a hint, not a crash. */
    for (size_t i = 0; i < tui.feat.fs.n; i++)
        tui.feat.fs.f[i].on = false;
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "no feature is enabled"));
    keys(&tui, "p+L#");
    hs_tui_draw(&tui, s);

    app.tui = NULL;
    hs_tui_release(&tui);
    hs_app_release(&app);
    hs_screen_free(s);
}

/* A redraw after a key on a million events: timed and printed (machines
 * differ too much to assert a frame). */
static void
test_hist_view_speed(void **state)
{
    struct hs_app app;
    struct hs_tui tui;
    struct hs_screen *s = hs_screen_new(200, 50);
    struct hs_err err;
    struct timespec t0;
    double first, look = 0, rebin = 0, rebin_kept = 0, feat = 0, grid;
    static const char *const look_keys = "LALA";

    (void)state;
    hs_app_init(&app);
    hs_tui_init(&tui, &app);
    app.tui = &tui;
    tui.hist.mode = HS_CANVAS_BRAILLE;
    assert_int_equal(hs_tui_set_table(&tui, "big", hist_table(1000000), &err), HS_OK);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    keys(&tui, "5");
    hs_tui_draw(&tui, s);
    first = ms_since(&t0);
    hs_tui_key(&tui, HS_KEY_FN + KEY_RIGHT); /* bin y once */
    hs_tui_draw(&tui, s);
    for (const char *k = look_keys; *k; k++) {
        double ms;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        hs_tui_key(&tui, (unsigned char)*k);
        hs_tui_draw(&tui, s);
        ms = ms_since(&t0);
        look = ms > look ? ms : look;
    }
    for (int i = 0; i < 4; i++) {
        double ms;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        hs_tui_key(&tui, HS_KEY_FN + (i % 2 ? KEY_RIGHT : KEY_LEFT));
        hs_tui_draw(&tui, s);
        ms = ms_since(&t0);
        feat = ms > feat ? ms : feat;
    }
    for (int i = 0; i < 3; i++) {
        /* +: a new bin count, binned; then - and + again: kept. */
        double ms;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        hs_tui_key(&tui, i == 1 ? '-' : '+');
        hs_tui_draw(&tui, s);
        ms = ms_since(&t0);
        if (i == 0)
            rebin = ms;
        else
            rebin_kept = ms > rebin_kept ? ms : rebin_kept;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    keys(&tui, "#");
    hs_tui_draw(&tui, s);
    grid = ms_since(&t0);
    print_message("# hist view, 1e6 events, 200x50: first draw (range + binning) %.1f ms; "
                  "after L/A %.2f ms; after a feature change (binned before) %.2f ms; "
                  "after + (a new bin count: binning) %.1f ms, after +/- (binned before) %.2f ms; "
                  "grid %.2f ms\n",
                  first, look, feat, rebin, rebin_kept, grid);
    assert_true(screen_has(s, "all 2 enabled features"));
    app.tui = NULL;
    hs_tui_release(&tui);
    hs_app_release(&app);
    hs_screen_free(s);
}

/* ---- the cuts and ROC views ---- */

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screen_put),
        cmocka_unit_test(test_screen_fields),
        cmocka_unit_test(test_num_fit),
        cmocka_unit_test(test_data_view_golden),
        cmocka_unit_test(test_data_view_columns),
        cmocka_unit_test(test_data_view_million),
        cmocka_unit_test(test_stats_view),
        cmocka_unit_test(test_datasets_view),
        cmocka_unit_test(test_prompt),
        cmocka_unit_test(test_tui_frame),
        cmocka_unit_test(test_features_view),
        cmocka_unit_test(test_features_view_keeps_stats),
        cmocka_unit_test(test_feature_editor),
        cmocka_unit_test(test_features_keys),
        cmocka_unit_test(test_hist_view),
        cmocka_unit_test(test_hist_view_speed),
    };

    int failed;

    setlocale(LC_CTYPE, "");
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    hs_cairo_release(); /* the font caches of the PNG saved above */
    return failed;
}

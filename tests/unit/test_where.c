/* Unit tests of the TUI's selection (ui/where.c, `where` in
 * ui/cmd-tui.c): the words of the status line and how they shrink; the
 * features view's statistics and the histogram view's figure over the
 * selected events, equal to the engine's over a gathered copy; a faulty
 * expression and an empty selection leave the one in force; clearing
 * restores every event; and how long a selection and a redraw take on a
 * million events. */
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

#include <cmocka.h>

#include "featstats.h"
#include "plots/canvas.h"
#include "rowsel.h"
#include "table.h"
#include "ui/view.h"
#include "ui/where.h"

#include "test_views_util.h"

static void
test_count(void **state)
{
    char buf[32];

    (void)state;
    hs_where_count(0, buf, sizeof buf);
    assert_string_equal(buf, "0");
    hs_where_count(999, buf, sizeof buf);
    assert_string_equal(buf, "999");
    hs_where_count(12345, buf, sizeof buf);
    assert_string_equal(buf, "12,345");
    hs_where_count(1000000, buf, sizeof buf);
    assert_string_equal(buf, "1,000,000");
}

/* hs_where_describe's words for `text` in width columns. */
static void
describes(const char *text, size_t nsel, size_t nrows, int width, const char *want)
{
    char buf[256];

    hs_where_describe(text, nsel, nrows, width, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_true(hs_text_width(buf) <= width);
}

static void
test_describe(void **state)
{
    static const char *const doca = "doca < 0.01";
    static const char *const greek = "θ > 0.5 && φ < 1";

    (void)state;
    describes(doca, 12345, 1000000, 80, "where doca < 0.01: 12,345 of 1,000,000");
    /* Exactly wide enough: whole. */
    describes(doca, 12345, 1000000, 38, "where doca < 0.01: 12,345 of 1,000,000");
    /* Narrower: the expression is cut, the counts stay. */
    describes(doca, 12345, 1000000, 30, "where do…: 12,345 of 1,000,000");
    /* No room for any of it: "where:", then the counts alone, then nothing. */
    describes(doca, 12345, 1000000, 27, "where: 12,345 of 1,000,000");
    describes(doca, 12345, 1000000, 19, "12,345 of 1,000,000");
    describes(doca, 12345, 1000000, 10, "");
    /* A multi-byte expression is cut on a character, without the space
     * before the cut. */
    describes(greek, 5, 10, 21, "where θ > 0…: 5 of 10");
    describes(greek, 5, 10, 18, "where θ…: 5 of 10");
}

/* A TUI showing hist_table(n) as dataset "t", no session. */
static void
start(struct hs_app *app, struct hs_tui *tui, size_t n)
{
    struct hs_err err;

    hs_app_init(app);
    hs_tui_init(tui, app);
    app->tui = tui;
    tui->hist.mode = HS_CANVAS_ASCII;
    assert_int_equal(hs_tui_set_table(tui, "t", hist_table(n), &err), HS_OK);
}

static void
stop(struct hs_app *app, struct hs_tui *tui)
{
    app->tui = NULL;
    hs_tui_release(tui);
    hs_app_release(app);
}

/* The engine's statistics of column `name` over the rows where mask is
 * set, from a gathered copy. */
static void
stats_over(const struct hs_table *t, const char *name, const unsigned char *mask,
           struct hs_featstats *out)
{
    size_t n = t->nrows, k;
    double *v = malloc(n * sizeof *v), *lab = malloc(n * sizeof *lab);
    long j = hs_table_find(t, name);

    assert_true(j >= 0 && v && lab);
    k = hs_rowsel_gather(t->cols[j].v, mask, n, v);
    hs_rowsel_gather(hs_table_label(t), mask, n, lab);
    assert_int_equal(hs_featstats_compute(v, lab, NULL, k, out, NULL, NULL), HS_OK);
    free(v);
    free(lab);
}

static const struct hs_featstats *
view_stats(const struct hs_tui *tui, const char *name)
{
    long i = hs_featureset_find(&tui->feat.fs, name);

    assert_true(i >= 0);
    assert_true(tui->feat.done[i]);
    return &tui->feat.st[i];
}

static void
test_where_views(void **state)
{
    struct hs_app app;
    struct hs_tui tui;
    struct hs_screen *s = hs_screen_new(100, 30);
    unsigned char *mask = malloc(4000);
    struct hs_featstats want;
    const struct hs_featstats *got;
    size_t nsel = 0;

    (void)state;
    start(&app, &tui, 4000);
    for (size_t i = 0; i < 4000; i++)
        mask[i] = tui.table->cols[1].v[i] < 8;
    nsel = hs_rowsel_count(mask, 4000);

    /* The features view over every event first. */
    keys(&tui, "4");
    assert_int_equal(hs_features_view_pending(&tui.feat), 0);
    {
        unsigned char *all = memset(malloc(4000), 1, 4000);
        stats_over(tui.table, "x", all, &want);
        free(all);
    }
    assert_true(fabs(view_stats(&tui, "x")->separation - want.separation) < 1e-12);

    /* :where: the statistics again, over the selected events only. */
    assert_int_equal(hs_tui_run(&tui, "where y < 8"), HS_OK);
    assert_true(hs_where_active(&tui.where));
    assert_int_equal(tui.where.sel.nsel, nsel);
    assert_int_equal(hs_features_view_pending(&tui.feat), 0);
    stats_over(tui.table, "x", mask, &want);
    got = view_stats(&tui, "x");
    assert_true(fabs(got->separation - want.separation) < 1e-12);
    assert_true(fabs(got->auc - want.auc) < 1e-12);
    assert_true(fabs(got->cls[HS_CLASS_SIGNAL].mean - want.cls[HS_CLASS_SIGNAL].mean) < 1e-12);
    assert_int_equal(got->cls[HS_CLASS_ALL].n, nsel);
    /* The status line says so, after the command's own message. */
    hs_tui_draw(&tui, s);
    assert_non_null(strstr(line(s, 29), "selection: y < 8"));
    keys(&tui, "j");
    hs_tui_draw(&tui, s);
    assert_non_null(strstr(line(s, 29), "where y < 8: "));

    /* The histogram view: its figure says how many events it shows. */
    keys(&tui, "5");
    hs_tui_draw(&tui, s);
    {
        char note[128];
        snprintf(note, sizeof note, "selection: y < 8 (%zu of 4000 events)", nsel);
        assert_true(screen_has(s, note));
    }
    assert_non_null(strstr(line(s, 29), "where y < 8: "));

    /* A faulty expression: the error with its column, the text with a
     * caret above the status line, the selection kept. */
    assert_int_equal(hs_tui_run(&tui, "where y << 8"), HS_EUSAGE);
    assert_non_null(strstr(tui.msg, "where: "));
    assert_non_null(strstr(tui.msg, "kept: where y < 8"));
    assert_string_equal(tui.caret.text, ":where y << 8");
    assert_int_equal(tui.caret.col, 11); /* the second '<' */
    hs_tui_draw(&tui, s);
    assert_string_equal(line(s, 27), " :where y << 8");
    assert_int_equal((int)(strchr(line(s, 28), '^') - line(s, 28)), 11);
    assert_int_equal(tui.where.sel.nsel, nsel);
    keys(&tui, "l"); /* any key: the caret goes */
    assert_string_equal(tui.caret.text, "");

    /* None kept: refused, the selection stays. */
    assert_int_equal(hs_tui_run(&tui, "where y > 100"), HS_EDATA);
    assert_non_null(strstr(tui.msg, "keeps none of the 4000 events"));
    assert_int_equal(tui.where.sel.nsel, nsel);

    /* Cleared: every event again, in both views. */
    assert_int_equal(hs_tui_run(&tui, "where"), HS_OK);
    assert_false(hs_where_active(&tui.where));
    assert_non_null(strstr(tui.msg, "selection cleared: all 4000 events"));
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "hepscope t, 4000 events"));
    keys(&tui, "4");
    memset(mask, 1, 4000);
    stats_over(tui.table, "x", mask, &want);
    assert_true(fabs(view_stats(&tui, "x")->separation - want.separation) < 1e-12);
    /* ... taken back from before the selection, not computed again: a
     * computation now, with its cancel flag raised, has nothing to do. */
    {
        atomic_int stop = 1;
        struct hs_task t = {NULL, NULL, &stop};
        struct hs_err e = {0};
        hs_features_view_forget(&tui.feat); /* as a selection change does */
        assert_int_equal(hs_features_view_compute(&tui.feat, &t, &e), HS_OK);
        assert_int_equal(hs_features_view_pending(&tui.feat), 0);
        assert_true(fabs(view_stats(&tui, "x")->separation - want.separation) < 1e-12);
    }
    assert_int_equal(view_stats(&tui, "x")->cls[HS_CLASS_ALL].n, 4000);
    keys(&tui, "j");
    hs_tui_draw(&tui, s);
    assert_null(strstr(line(s, 29), "where"));

    /* Another table shown: the selection goes. */
    assert_int_equal(hs_tui_run(&tui, "where x > 3"), HS_OK);
    {
        struct hs_err err;
        assert_int_equal(hs_tui_set_table(&tui, "u", hist_table(100), &err), HS_OK);
    }
    assert_false(hs_where_active(&tui.where));
    assert_non_null(strstr(tui.msg, "selection cleared"));
    stop(&app, &tui);
    free(mask);
    hs_screen_free(s);
}

/* A million events: how long `where` takes (the mask, then what the
 * shown view computes again), and that the redraw stays a frame. */
static void
test_where_speed(void **state)
{
    struct hs_app app;
    struct hs_tui tui;
    struct hs_screen *s = hs_screen_new(200, 50);
    struct timespec t0;
    double set_feat, set_hist, draw = 0, clear;

    (void)state;
    start(&app, &tui, 1000000);
    tui.hist.mode = HS_CANVAS_BRAILLE;
    keys(&tui, "4");
    hs_tui_draw(&tui, s);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(hs_tui_run(&tui, "where y < 8"), HS_OK);
    hs_tui_draw(&tui, s);
    set_feat = ms_since(&t0);
    keys(&tui, "5");
    hs_tui_draw(&tui, s);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(hs_tui_run(&tui, "where y < 4"), HS_OK);
    hs_tui_draw(&tui, s);
    set_hist = ms_since(&t0);
    for (int i = 0; i < 4; i++) {
        double ms;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        keys(&tui, i % 2 ? "l" : "n");
        hs_tui_draw(&tui, s);
        ms = ms_since(&t0);
        draw = ms > draw ? ms : draw;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(hs_tui_run(&tui, "where"), HS_OK);
    hs_tui_draw(&tui, s);
    clear = ms_since(&t0);
    print_message("# where, 1e6 events, 200x50: set in the features view (mask + statistics) "
                  "%.1f ms; in the hist view (mask + binning + draw) %.1f ms; redraw after a "
                  "key %.2f ms; clear in the hist view %.1f ms\n",
                  set_feat, set_hist, draw, clear);
    assert_true(screen_has(s, "hepscope t, 1000000 events"));
    stop(&app, &tui);
    hs_screen_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_where_views),
        cmocka_unit_test(test_where_speed),
    };
    setlocale(LC_CTYPE, "C.UTF-8");
    return cmocka_run_group_tests(tests, NULL, NULL);
}

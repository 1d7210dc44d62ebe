/* Unit tests of the TUI's analysis views without a terminal: the cuts
 * view (bounds typed, nudged and clicked, the flow against a brute-force
 * count), the ROC view and the training view (its form, its curves, a
 * training on a thread), driven through hs_tui_key and read off the
 * screen. */
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
#include "ui/view-train-int.h"
#include "ui/view.h"
#include "test_views_util.h"

/* A bound typed in the cuts view's cell: exact numbers, blank for open,
 * infinities only at their own end, anything else an error. */
static void
test_cuts_parse_bound(void **state)
{
    static const char *const good[] = {"0.1", "  2.5e-3 ", "-7", "1e300", "0.30000000000000004"};
    struct hs_err err;
    double x;

    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        double want = strtod(good[i], NULL);
        assert_int_equal(hs_cuts_parse_bound(good[i], (int)(i % 2), &x, &err), HS_OK);
        /* Bit for bit: a cut typed must be the cut stored. */
        assert_memory_equal(&x, &want, sizeof x);
    }
    assert_int_equal(hs_cuts_parse_bound("", 0, &x, &err), HS_OK);
    assert_true(x == -HUGE_VAL);
    assert_int_equal(hs_cuts_parse_bound("  ", 1, &x, &err), HS_OK);
    assert_true(x == HUGE_VAL);
    assert_int_equal(hs_cuts_parse_bound("-inf", 0, &x, &err), HS_OK);
    assert_true(x == -HUGE_VAL);
    assert_int_equal(hs_cuts_parse_bound("inf", 1, &x, &err), HS_OK);
    assert_true(x == HUGE_VAL);
    assert_int_equal(hs_cuts_parse_bound("abc", 0, &x, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "'abc' is not a number"));
    assert_int_equal(hs_cuts_parse_bound("inf", 0, &x, &err), HS_EUSAGE);
    assert_int_equal(hs_cuts_parse_bound("-inf", 1, &x, &err), HS_EUSAGE);
    assert_int_equal(hs_cuts_parse_bound("nan", 1, &x, &err), HS_EUSAGE);
    assert_int_equal(hs_cuts_parse_bound("1,5", 1, &x, &err), HS_EUSAGE);
    assert_int_equal(hs_cuts_parse_bound("3 4", 1, &x, &err), HS_EUSAGE);
}

static int
cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Events of the cuts view's test part passing lo <= x < hi, per class,
 * counted here by brute force over the split's parts. */
static void
count_test(const struct hs_tui *tui, double lo, double hi, size_t *sig, size_t *bkg)
{
    const struct hs_table *t = tui->table;

    *sig = *bkg = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        double v = t->cols[0].v[i];
        if (tui->cuts.split.part[i] != HS_PART_TEST || !(v >= lo && v < hi))
            continue;
        if (t->cols[2].v[i] == 1)
            (*sig)++;
        else
            (*bkg)++;
    }
}

static bool
screen_printf_has(const struct hs_screen *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool
screen_printf_has(const struct hs_screen *s, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (!screen_has(s, buf)) {
        char *text = hs_screen_text(s);
        print_message("# want '%s' in:\n%s", buf, text);
        free(text);
        return false;
    }
    return true;
}

static void
test_cuts_view(void **state)
{
    struct hs_app app;
    struct hs_tui tui;
    struct hs_screen *s = hs_screen_new(120, 30);
    struct hs_cuts_view *cv = &tui.cuts;
    struct hs_err err;
    size_t sig0, bkg0, sig, bkg, r;
    double v;

    (void)state;
    hs_app_init(&app);
    hs_tui_init(&tui, &app);
    app.tui = &tui;
    tui.hist.mode = HS_CANVAS_BRAILLE;
    assert_int_equal(hs_tui_set_table(&tui, "toy", hist_table(4000), &err), HS_OK);
    keys(&tui, "6");
    assert_int_equal(tui.view, HS_VIEW_CUTS);
    assert_true(cv->loaded);
    assert_true(cv->have_split); /* no session: the default split, in memory */
    assert_int_equal(cv->nrows, 2);
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, " 6 cuts "));
    assert_true(screen_has(s, "Cut set 'cuts'  2 features"));
    assert_non_null(strstr(line(s, 2), "feature"));
    assert_non_null(strstr(line(s, 2), "lower"));
    assert_non_null(strstr(line(s, 2), "upper"));
    assert_non_null(strstr(line(s, 3), " x "));
    assert_non_null(strstr(line(s, 3), "-inf"));
    assert_non_null(strstr(line(s, 3), "+inf"));
    assert_non_null(strstr(line(s, 5), " y "));
    count_test(&tui, -HUGE_VAL, HUGE_VAL, &sig0, &bkg0);
    assert_true(sig0 > 0 && bkg0 > sig0);
    assert_true(screen_printf_has(s, "Cut flow on test: %zu signal, %zu background", sig0, bkg0));
    assert_true(screen_printf_has(s, "(%zu of %zu)", sig0, sig0));
    /* The histograms: signal and background rows in their roles. */
    {
        bool sg = false, bg = false;
        for (int x = cv->hist_x; x < cv->hist_x + cv->hist_w; x++) {
            sg |= hs_screen_cell(s, x, cv->list_y)->color == HS_COLOR_SIGNAL;
            bg |= hs_screen_cell(s, x, cv->list_y + 1)->color == HS_COLOR_BACKGROUND;
        }
        assert_true(sg && bg);
    }

    /* A bound by command: the flow follows, as counted by hand. */
    assert_int_equal(hs_tui_run(&tui, "cuts-bound x lower 6"), HS_OK);
    assert_true(cv->rows[0].lo == 6);
    hs_tui_draw(&tui, s);
    count_test(&tui, 6, HUGE_VAL, &sig, &bkg);
    assert_true(sig < sig0 || bkg < bkg0);
    assert_true(screen_printf_has(s, "(%zu of %zu)", sig, sig0));
    assert_true(screen_printf_has(s, "(%zu of %zu)", bkg, bkg0));
    assert_true(screen_has(s, " 1 x >= 6 "));
    assert_non_null(strstr(line(s, 3), "      6 "));
    /* Its line on the histogram. */
    {
        bool bar = false;
        for (int x = cv->hist_x; x < cv->hist_x + cv->hist_w; x++)
            bar |= strcmp(hs_screen_cell(s, x, cv->list_y)->ch, "│") == 0;
        assert_true(bar);
    }

    /* Enter edits the cell in place: Backspace, 7, Enter. */
    assert_int_equal(cv->sc.cur, 0);
    assert_int_equal(cv->col, 0);
    keys(&tui, "\n");
    assert_true(cv->editing);
    assert_string_equal(hs_prompt_line(&cv->edit), "6");
    hs_tui_draw(&tui, s);
    assert_true(s->cur_x >= 0); /* the cursor is in the cell */
    hs_tui_key(&tui, HS_KEY_FN + KEY_BACKSPACE);
    keys(&tui, "7\n");
    assert_false(cv->editing);
    assert_true(cv->rows[0].lo == 7);
    count_test(&tui, 7, HUGE_VAL, &sig, &bkg);
    hs_tui_draw(&tui, s);
    assert_true(screen_printf_has(s, "(%zu of %zu)", sig, sig0));
    /* Bad input: an error in the status line, the old value kept. */
    keys(&tui, "\n");
    hs_tui_key(&tui, 21); /* C-u */
    keys(&tui, "abc\n");
    assert_true(tui.msg_error);
    assert_non_null(strstr(tui.msg, "not a number"));
    assert_true(cv->rows[0].lo == 7);
    /* Esc leaves the cell as it was. */
    keys(&tui, "\n9");
    hs_tui_key(&tui, HS_KEY_ESC);
    assert_false(cv->editing);
    assert_true(cv->rows[0].lo == 7);
    /* The upper cut must stay above the lower. */
    assert_int_equal(hs_tui_run(&tui, "cuts-bound x upper 5"), HS_EUSAGE);
    assert_non_null(strstr(tui.msg, "must be below"));
    assert_true(cv->rows[0].hi == HUGE_VAL);

    /* < on the open upper cut: the 99th percentile (nearest rank of the
     * sorted values). */
    keys(&tui, "l<");
    assert_int_equal(cv->col, 1);
    {
        size_t n = tui.table->nrows;
        double *sorted = malloc(n * sizeof *sorted);
        assert_non_null(sorted);
        memcpy(sorted, tui.table->cols[0].v, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, cmp_dbl);
        assert_true(cv->rows[0].hi == sorted[(size_t)llround((double)(n - 1) * 0.99)]);
        free(sorted);
    }
    keys(&tui, ">");
    assert_true(cv->rows[0].hi == HUGE_VAL); /* past the top: open again */
    keys(&tui, "<x");
    assert_true(cv->rows[0].hi == HUGE_VAL); /* x clears it */

    /* A click near the right end of x's histogram moves the upper cut
     * (an open cut counts as at its end of the plot). */
    hs_tui_draw(&tui, s);
    assert_true(hs_cuts_view_hit(cv, cv->hist_x + cv->hist_w - 2, cv->list_y + 1, &r, &v));
    assert_int_equal(r, 0);
    assert_true(v > cv->rows[0].xlo && v < cv->rows[0].xhi);
    assert_false(hs_cuts_view_hit(cv, cv->hist_x - 1, cv->list_y, &r, &v));
    tui.click_x = cv->hist_x + cv->hist_w - 2;
    tui.click_y = cv->list_y;
    hs_tui_key(&tui, HS_KEY_CLICK);
    assert_true(cv->rows[0].hi < HUGE_VAL);
    assert_true(cv->rows[0].lo == 7);
    /* And one on y's row, at its left end: y's lower cut. */
    tui.click_x = cv->hist_x;
    tui.click_y = cv->list_y + 2;
    hs_tui_key(&tui, HS_KEY_CLICK);
    assert_int_equal(cv->sc.cur, 1);
    assert_true(cv->rows[1].lo > -HUGE_VAL && cv->rows[1].hi == HUGE_VAL);

    /* The saved form: rows in order, bounded ones only. */
    {
        struct hs_cutset cs;
        assert_int_equal(hs_cuts_view_cutset(cv, &tui.feat, &cs, &err), HS_OK);
        assert_int_equal(cs.n, 2);
        assert_string_equal(cs.cuts[0].feature, "x");
        assert_true(cs.cuts[0].lo == 7);
        assert_string_equal(cs.cuts[1].feature, "y");
        hs_cutset_release(&cs);
    }

    /* Narrow: the flow goes below the rows. */
    assert_int_equal(hs_screen_resize(s, 70, 30), HS_OK);
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "Cut flow on test"));
    assert_true(screen_has(s, "signal efficiency"));
    /* Entering the view again keeps the cuts (no session: kept in memory). */
    keys(&tui, "1");
    hs_tui_load_features(&tui, true, &err);
    keys(&tui, "6");
    assert_true(cv->loaded);
    assert_true(cv->rows[0].lo == 7);

    /* The ROC view without a session says so. */
    keys(&tui, "7");
    assert_int_equal(tui.view, HS_VIEW_ROC);
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "no session"));

    app.tui = NULL;
    hs_tui_release(&tui);
    hs_app_release(&app);
    hs_screen_free(s);
}

/* An unlabelled dataset: the cuts view says why it is empty. */
static void
test_cuts_view_unlabelled(void **state)
{
    struct hs_app app;
    struct hs_tui tui;
    struct hs_screen *s = hs_screen_new(100, 20);
    struct hs_table *t = hs_table_new();
    struct hs_err err;

    (void)state;
    assert_non_null(t);
    {
        size_t c;
        assert_int_equal(hs_table_add_column(t, "a", HS_COL_NUMBER, &c, &err), HS_OK);
        assert_int_equal(hs_table_reserve(t, 3), HS_OK);
        assert_int_equal(hs_table_resize(t, 3), HS_OK);
        for (size_t i = 0; i < 3; i++)
            t->cols[0].v[i] = (double)i;
    }
    hs_app_init(&app);
    hs_tui_init(&tui, &app);
    app.tui = &tui;
    assert_int_equal(hs_tui_set_table(&tui, "plain", t, &err), HS_OK);
    keys(&tui, "6");
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "Cuts need a labelled dataset"));
    keys(&tui, "o");
    assert_true(tui.msg_error);
    assert_non_null(strstr(tui.msg, "labelled"));
    app.tui = NULL;
    hs_tui_release(&tui);
    hs_app_release(&app);
    hs_screen_free(s);
}

/* The ROC view's plot and table from curves made here: a grid's AUC is
 * the trapezoid area, worked out by hand below; a single set shows its
 * efficiencies. */
static void
test_roc_view(void **state)
{
    static const double se[] = {0.5, 0.8}, be[] = {0.1, 0.2};
    struct hs_roc_view rv = {0};
    struct hs_screen *s = hs_screen_new(120, 30);
    struct hs_roc_curve *c = calloc(2, sizeof *c);
    struct hs_err err;
    double one_s = 0.9, one_b = 0.05;

    (void)state;
    assert_non_null(c);
    assert_int_equal(hs_roc_from_points(se, be, 2, &c[0].roc, &err), HS_OK);
    c[0].name = strdup("grid");
    c[0].kind = "grid";
    c[0].bkg95 = hs_roc_bkg_at(&c[0].roc, 0.95);
    assert_int_equal(hs_roc_from_points(&one_s, &one_b, 1, &c[1].roc, &err), HS_OK);
    c[1].name = strdup("loose");
    c[1].kind = "cuts";
    c[1].bkg95 = NAN;
    /* (0,0) (0.1,0.5) (0.2,0.8) (1,1): 0.1*0.25 + 0.1*0.65 + 0.8*0.9 = 0.81. */
    assert_true(fabs(c[0].roc.auc - 0.81) < 1e-12);
    hs_roc_view_set(&rv, "toy", c, 2);
    hs_roc_view_draw(&rv, HS_CANVAS_BRAILLE, "toy", s, 0, 1, 120, 28);
    assert_true(
        screen_has(s, "ROC curves of the cut sets of 'toy' on the test part, and its models"));
    assert_true(screen_has(s, "name"));
    assert_true(screen_has(s, "AUC"));
    assert_true(screen_has(s, "grid       grid     0.81"));
    assert_true(screen_has(s, "S 0.9  B 0.05"));
    assert_true(screen_has(s, "signal efficiency"));
    rv.logy = true;
    hs_roc_view_draw(&rv, HS_CANVAS_ASCII, "toy", s, 0, 1, 120, 28);
    assert_true(screen_has(s, "log rejection factor"));
    /* Narrow: the table below the plot. */
    hs_roc_view_draw(&rv, HS_CANVAS_BRAILLE, "toy", s, 0, 1, 70, 28);
    assert_true(screen_has(s, "loose"));
    hs_roc_view_release(&rv);
    hs_screen_free(s);
}

/* The view a ROC figure chooses, from curves worked out by hand:
 *   B (0.001, 0.99): area 0.001*0.495 + 0.999*0.995 = 0.9945 > 0.98;
 *   A (0.001, 0.6), (0.01, 0.95): area 0.0003 + 0.006975 + 0.96525 =
 *     0.972525, but bkg eff at 50% signal 0.5/0.6 * 0.001 < 1%;
 *   C (0.3, 0.5), (0.6, 0.8): neither.
 * A single cut set does not count; what the user asks stands. */
static struct hs_roc_curve *
toy_curve(struct hs_roc_curve *c, const char *name, const double *s, const double *b, size_t n)
{
    struct hs_err err;

    memset(c, 0, sizeof *c);
    assert_int_equal(hs_roc_from_points(s, b, n, &c->roc, &err), HS_OK);
    c->name = strdup(name);
    c->kind = n == 1 ? "cuts" : "grid";
    return c;
}

static void
test_roc_scale_choose(void **state)
{
    static const double sb[] = {0.99}, bb[] = {0.001};
    static const double sa[] = {0.6, 0.95}, ba[] = {0.001, 0.01};
    static const double sc[] = {0.5, 0.8}, bc[] = {0.3, 0.6};
    /* B as a grid of two boxes: (0.001, 0.99) and a dominated (0.002, 0.5). */
    static const double s2[] = {0.99, 0.5}, b2[] = {0.001, 0.002};
    struct hs_roc_curve *c = calloc(4, sizeof *c);
    struct hs_roc_view rv = {0};
    struct hs_screen *s = hs_screen_new(120, 30);
    char why[256];

    (void)state;
    assert_non_null(c);
    toy_curve(&c[0], "B", sb, bb, 1);
    /* One point alone is a single set: no area, the linear view. */
    assert_int_equal(hs_roc_scale_choose(c, 1, HS_ROC_AUTO, why, sizeof why), HS_ROC_LINEAR);
    hs_roc_release(&c[0].roc);
    free(c[0].name);
    toy_curve(&c[0], "B", s2, b2, 2);
    assert_true(fabs(c[0].roc.auc - 0.9945) < 1e-12);
    assert_int_equal(c[0].roc.ndom, 1);
    toy_curve(&c[1], "A", sa, ba, 2);
    assert_true(fabs(c[1].roc.auc - 0.972525) < 1e-12);
    toy_curve(&c[2], "C", sc, bc, 2);
    toy_curve(&c[3], "one", sb, bb, 1);
    assert_int_equal(hs_roc_scale_choose(c, 1, HS_ROC_AUTO, why, sizeof why), HS_ROC_REJECTION);
    assert_non_null(strstr(why, "every AUC is above 0.98"));
    assert_int_equal(hs_roc_scale_choose(c, 2, HS_ROC_AUTO, why, sizeof why), HS_ROC_REJECTION);
    assert_non_null(strstr(why, "under 1% of the background at 50% signal"));
    assert_int_equal(hs_roc_scale_choose(c, 3, HS_ROC_AUTO, why, sizeof why), HS_ROC_LINEAR);
    assert_non_null(strstr(why, "--rejection for"));
    assert_int_equal(hs_roc_scale_choose(c, 3, HS_ROC_REJECTION, why, sizeof why),
                     HS_ROC_REJECTION);
    assert_non_null(strstr(why, "(--rejection)"));
    assert_int_equal(hs_roc_scale_choose(c, 1, HS_ROC_LINEAR, NULL, 0), HS_ROC_LINEAR);
    /* A single set beside B changes nothing. */
    {
        struct hs_roc_curve two[2];
        two[0] = c[0];
        two[1] = c[3];
        assert_int_equal(hs_roc_scale_choose(two, 2, HS_ROC_AUTO, NULL, 0), HS_ROC_REJECTION);
    }
    /* The rest are not handed to the view. */
    for (int i = 1; i < 4; i++) {
        free(c[i].name);
        hs_roc_release(&c[i].roc);
    }
    /* The view follows the curves until the user flips it; it takes c
     * (B alone) and frees it. */
    hs_roc_view_set(&rv, "toy", c, 1);
    assert_true(rv.logy);
    hs_roc_view_draw(&rv, HS_CANVAS_ASCII, "toy", s, 0, 1, 120, 28);
    assert_true(screen_has(s, "log 1/B, chosen by the curves (L: linear)"));
    assert_true(screen_has(s, "log rejection view chosen"));
    rv.logy = false; /* what the key does */
    hs_roc_view_draw(&rv, HS_CANVAS_ASCII, "toy", s, 0, 1, 120, 28);
    assert_true(screen_has(s, "rejection 1 - B (L: log rejection factor)"));
    /* New curves (a change in the session) keep the user's choice. */
    c = calloc(1, sizeof *c);
    assert_non_null(c);
    toy_curve(&c[0], "B", s2, b2, 2);
    hs_roc_view_set(&rv, "toy", c, 1);
    assert_false(rv.logy);
    hs_roc_view_release(&rv);
    hs_screen_free(s);
}

/* A changed cut on a million events: the flow and the redraw, timed and
 * printed (machines differ too much to assert a frame). */
static void
test_cuts_view_speed(void **state)
{
    struct hs_app app;
    struct hs_tui tui;
    struct hs_screen *s = hs_screen_new(160, 50);
    struct hs_err err;
    struct timespec t0;
    double load, worst = 0;

    (void)state;
    hs_app_init(&app);
    hs_tui_init(&tui, &app);
    app.tui = &tui;
    assert_int_equal(hs_tui_set_table(&tui, "big", hist_table(1000000), &err), HS_OK);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    keys(&tui, "6");
    hs_tui_draw(&tui, s);
    load = ms_since(&t0);
    assert_true(tui.cuts.loaded);
    keys(&tui, ">"); /* binds x: its first cut */
    hs_tui_draw(&tui, s);
    for (int i = 0; i < 10; i++) {
        double ms;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        keys(&tui, i % 2 ? "<" : ">");
        hs_tui_draw(&tui, s);
        ms = ms_since(&t0);
        worst = ms > worst ? ms : worst;
    }
    print_message("# cuts view, 1e6 events, 160x50: entering (split, percentiles, binning, "
                  "flow) %.1f ms; a nudged cut, flow and redraw: at most %.2f ms\n",
                  load, worst);
    assert_true(tui.cuts.have_flow);
    app.tui = NULL;
    hs_tui_release(&tui);
    hs_app_release(&app);
    hs_screen_free(s);
}

/* ---- the training view ---- */

/* Field `name` of the form's value. */
static const char *
form_value(const struct hs_train_form *f, const char *name)
{
    static char buf[HS_TRAIN_FIELD_MAX];
    long i = hs_train_form_find(f, name);

    if (i < 0)
        fail_msg("the form has no field '%s'", name);
    hs_train_form_value(f, (size_t)i, buf, sizeof buf);
    return buf;
}

static size_t
form_field(const struct hs_train_form *f, const char *name)
{
    long i = hs_train_form_find(f, name);

    if (i < 0)
        fail_msg("the form has no field '%s'", name);
    return (size_t)i;
}

static bool
taken_mlp_mlp2(void *user, const char *name)
{
    (void)user;
    return strcmp(name, "mlp") == 0 || strcmp(name, "mlp2") == 0;
}

/* The form comes from the method layer: the name, the method, then one
 * field per parameter of the method's spec with its default; values are
 * checked by the CLI's parser and normalised, choices cycle with
 * wrap-around, a flag toggles, switching the method rebuilds the fields
 * with its defaults, the proposed name is free, and the line the form
 * hands to `train` reads back to the same options. */
static void
test_train_form(void **state)
{
    const struct hs_method *mlp = hs_methods()[0], *fisher = hs_method_find("fisher");
    struct hs_train_form f;
    struct hs_train_opts o;
    struct hs_mlp_config cfg;
    struct hs_err err;
    char *line, *back;
    size_t np = 0;

    (void)state;
    assert_non_null(fisher);
    assert_int_equal(hs_train_form_init(&f, &err), HS_OK);
    while (mlp->params[np].name)
        np++;
    /* ... and the inputs last. */
    assert_int_equal(hs_train_form_nfields(&f), HS_TRAIN_FIELD_PARAMS + np + 1);
    assert_int_equal(hs_train_form_features_field(&f), HS_TRAIN_FIELD_PARAMS + np);
    assert_string_equal(form_value(&f, "features"), "enabled");
    assert_string_equal(hs_train_form_field_name(&f, HS_TRAIN_FIELD_NAME), "name");
    assert_string_equal(f.name, mlp->name);
    assert_string_equal(form_value(&f, "method"), mlp->name);
    for (size_t i = 0; i < np; i++) {
        const struct hs_param_spec *ps = &mlp->params[i];
        char v[HS_TRAIN_FIELD_MAX];
        assert_string_equal(hs_train_form_field_name(&f, HS_TRAIN_FIELD_PARAMS + i), ps->name);
        hs_train_form_value(&f, HS_TRAIN_FIELD_PARAMS + i, v, sizeof v);
        if (ps->type == HS_PARAM_FLAG)
            assert_string_equal(v, strcmp(ps->def, "1") == 0 ? "yes" : "no");
        else
            assert_string_equal(v, ps->def);
    }
    assert_int_equal(hs_train_form_find(&f, "nope"), -1);

    /* Numbers in their shortest form; blanks around are dropped. */
    assert_int_equal(hs_train_form_set(&f, form_field(&f, "lr"), " 1e-2 ", &err), HS_OK);
    assert_string_equal(form_value(&f, "lr"), "0.01");
    assert_int_equal(hs_train_form_set(&f, form_field(&f, "epochs"), "7", &err), HS_OK);
    assert_int_equal(hs_train_form_set(&f, form_field(&f, "layers"), "32,16,8", &err), HS_OK);
    /* Bad values: an error naming the field, the old value kept. */
    assert_int_equal(hs_train_form_set(&f, form_field(&f, "lr"), "abc", &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "lr"));
    assert_string_equal(form_value(&f, "lr"), "0.01");
    assert_int_equal(hs_train_form_set(&f, form_field(&f, "lr"), "-1", &err), HS_EUSAGE);
    assert_int_equal(hs_train_form_set(&f, form_field(&f, "dropout"), "1", &err), HS_EUSAGE);
    assert_int_equal(hs_train_form_set(&f, form_field(&f, "epochs"), "0", &err), HS_EUSAGE);
    assert_int_equal(hs_train_form_set(&f, form_field(&f, "epochs"), "2.5", &err), HS_EUSAGE);
    assert_int_equal(hs_train_form_set(&f, form_field(&f, "layers"), "64,x", &err), HS_EUSAGE);
    assert_int_equal(hs_train_form_set(&f, form_field(&f, "activation"), "softmax", &err),
                     HS_EUSAGE);
    assert_string_equal(form_value(&f, "activation"), "relu");
    assert_int_equal(hs_train_form_set(&f, HS_TRAIN_FIELD_NAME, "2bad", &err), HS_EUSAGE);
    assert_int_equal(hs_train_form_set(&f, HS_TRAIN_FIELD_NAME, "my net", &err), HS_EUSAGE);
    assert_string_equal(f.name, "mlp");
    assert_int_equal(hs_train_form_set(&f, form_field(&f, "balance"), "maybe", &err), HS_EUSAGE);
    assert_int_equal(hs_train_form_set(&f, form_field(&f, "balance"), "y", &err), HS_OK);
    assert_string_equal(form_value(&f, "balance"), "yes");
    assert_int_equal(hs_train_form_set(&f, HS_TRAIN_FIELD_METHOD, "svm", &err), HS_EUSAGE);
    assert_string_equal(form_value(&f, "method"), "mlp");

    /* Choices wrap both ways; a flag toggles; typed fields do not cycle. */
    assert_int_equal(hs_train_form_cycle(&f, form_field(&f, "activation"), -1, &err), HS_OK);
    assert_string_equal(form_value(&f, "activation"), "identity");
    assert_int_equal(hs_train_form_cycle(&f, form_field(&f, "activation"), 1, &err), HS_OK);
    assert_int_equal(hs_train_form_cycle(&f, form_field(&f, "activation"), 1, &err), HS_OK);
    assert_string_equal(form_value(&f, "activation"), "leaky_relu");
    assert_int_equal(hs_train_form_cycle(&f, form_field(&f, "optimizer"), 1, &err), HS_OK);
    assert_string_equal(form_value(&f, "optimizer"), "sgd");
    assert_int_equal(hs_train_form_cycle(&f, form_field(&f, "balance"), 1, &err), HS_OK);
    assert_string_equal(form_value(&f, "balance"), "no");
    assert_int_equal(hs_train_form_cycle(&f, form_field(&f, "balance"), 1, &err), HS_OK);
    assert_int_equal(hs_train_form_cycle(&f, form_field(&f, "lr"), 1, &err), HS_EUSAGE);
    assert_true(hs_train_form_is_choice(&f, HS_TRAIN_FIELD_METHOD));
    assert_false(hs_train_form_is_choice(&f, HS_TRAIN_FIELD_NAME));

    /* The line, read back by the CLI's reader: the same options. */
    line = hs_train_form_line(&f);
    assert_non_null(line);
    assert_int_equal(hs_train_opts_parse_line(line, NULL, &o, &err), HS_OK);
    back = hs_train_opts_line(&o);
    assert_string_equal(back, line);
    assert_int_equal(hs_mlp_config_from_params(&o.params, &cfg, &err), HS_OK);
    assert_int_equal(cfg.nhidden, 3);
    assert_int_equal(cfg.width[0], 32);
    assert_int_equal(cfg.width[2], 8);
    assert_int_equal(cfg.act, HS_ACT_LEAKY_RELU);
    assert_int_equal(cfg.optim, HS_OPTIM_SGD);
    assert_true(cfg.lr == 0.01); /* exact: the same decimal parsed twice */
    assert_int_equal(cfg.epochs, 7);
    assert_true(cfg.balance);
    hs_train_opts_release(&o);
    free(back);
    free(line);

    /* The method: the next one's fields with its defaults, a name after
     * it; back to mlp, mlp's defaults again. */
    assert_int_equal(hs_train_form_cycle(&f, HS_TRAIN_FIELD_METHOD, 1, &err), HS_OK);
    assert_string_equal(form_value(&f, "method"), fisher->name);
    assert_string_equal(f.name, fisher->name);
    assert_int_equal(hs_train_form_nfields(&f), HS_TRAIN_FIELD_PARAMS + 2 + 1);
    assert_string_equal(form_value(&f, "shrinkage"), "0");
    assert_string_equal(form_value(&f, "priors"), "data");
    assert_int_equal(hs_train_form_find(&f, "epochs"), -1);
    assert_int_equal(hs_train_form_cycle(&f, form_field(&f, "priors"), 1, &err), HS_OK);
    assert_string_equal(form_value(&f, "priors"), "equal");
    line = hs_train_form_line(&f);
    assert_string_equal(line, "--method fisher --shrinkage 0 --priors equal");
    free(line);
    assert_int_equal(hs_train_form_cycle(&f, HS_TRAIN_FIELD_METHOD, -1, &err), HS_OK);
    assert_string_equal(form_value(&f, "method"), "mlp");
    assert_string_equal(form_value(&f, "epochs"), "50");
    assert_string_equal(form_value(&f, "layers"), "64,64");

    /* A free name: mlp and mlp2 are taken; a typed name stays. */
    hs_train_form_propose(&f, taken_mlp_mlp2, NULL);
    assert_string_equal(f.name, "mlp3");
    assert_int_equal(hs_train_form_set(&f, HS_TRAIN_FIELD_NAME, "net_2", &err), HS_OK);
    hs_train_form_propose(&f, taken_mlp_mlp2, NULL);
    assert_string_equal(f.name, "net_2");
    hs_train_form_release(&f);
}

/* The inputs field: the default is `train`'s (the enabled features, no
 * --features in the line); a typed list goes through --features's reader;
 * picks are made on a featureset in its order, a pick list equal to the
 * enabled features is the default again, none is refused at training,
 * text columns are not offered, and the featureset's own on/off never
 * changes. */
static void
test_train_form_features(void **state)
{
    struct hs_table *t = hist_table(100);
    struct hs_featureset fs;
    struct hs_train_form f;
    struct hs_train_opts o;
    struct hs_err err;
    size_t c, fx, fy, fz, fw, fid;
    char *line;

    (void)state;
    assert_int_equal(hs_table_add_column(t, "id", HS_COL_TEXT, &c, &err), HS_OK);
    assert_int_equal(hs_featureset_init(&fs, t, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "z", "x + y", true, &err), HS_OK);
    assert_int_equal(hs_featureset_add(&fs, "w", "x * y", false, &err), HS_OK);
    fx = (size_t)hs_featureset_find(&fs, "x");
    fy = (size_t)hs_featureset_find(&fs, "y");
    fz = (size_t)hs_featureset_find(&fs, "z");
    fw = (size_t)hs_featureset_find(&fs, "w");
    fid = (size_t)hs_featureset_find(&fs, "id");
    /* Offered: x, y, z, w (numeric), not the text column id. */
    assert_int_equal(hs_train_pick_count(&fs), 4);
    assert_int_equal(hs_train_pick_feature(&fs, 4), fs.n);
    assert_int_equal(hs_train_form_init(&f, &err), HS_OK);
    assert_true(hs_train_form_picked(&f, &fs, fx) && hs_train_form_picked(&f, &fs, fz));
    assert_false(hs_train_form_picked(&f, &fs, fw) || hs_train_form_picked(&f, &fs, fid));

    /* Dropping y: x and z are the inputs, in the featureset's order. */
    assert_int_equal(hs_train_form_pick(&f, &fs, fy, false, &err), HS_OK);
    assert_string_equal(form_value(&f, "features"), "x,z");
    line = hs_train_form_line(&f);
    assert_non_null(strstr(line, "--features x,z"));
    free(line);
    assert_int_equal(hs_train_form_opts(&f, &o, &err), HS_OK);
    assert_int_equal(o.nfeatures, 2);
    assert_string_equal(o.features[0], "x");
    assert_string_equal(o.features[1], "z");
    hs_train_opts_release(&o);
    /* y back: the enabled features again, so no --features at all. */
    assert_int_equal(hs_train_form_pick(&f, &fs, fy, true, &err), HS_OK);
    assert_string_equal(form_value(&f, "features"), "enabled");
    line = hs_train_form_line(&f);
    assert_null(strstr(line, "--features"));
    free(line);
    /* w (off in the dataset) picked: an explicit list of four. */
    assert_int_equal(hs_train_form_pick(&f, &fs, fw, true, &err), HS_OK);
    assert_string_equal(form_value(&f, "features"), "x,y,z,w");
    /* The text column is refused, nothing changed. */
    assert_int_equal(hs_train_form_pick(&f, &fs, fid, true, &err), HS_EUSAGE);
    assert_string_equal(form_value(&f, "features"), "x,y,z,w");
    /* None, then two. */
    assert_int_equal(hs_train_form_pick_all(&f, &fs, false, &err), HS_OK);
    assert_string_equal(form_value(&f, "features"), "none");
    assert_false(hs_train_form_picked(&f, &fs, fx));
    assert_int_equal(hs_train_form_opts(&f, &o, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "no inputs"));
    assert_int_equal(hs_train_form_pick(&f, &fs, fz, true, &err), HS_OK);
    assert_int_equal(hs_train_form_pick(&f, &fs, fx, true, &err), HS_OK);
    assert_string_equal(form_value(&f, "features"), "x,z");
    /* All: every raw and derived one. */
    assert_int_equal(hs_train_form_pick_all(&f, &fs, true, &err), HS_OK);
    assert_string_equal(form_value(&f, "features"), "x,y,z,w");
    /* Typed: as --features reads it; a bad list changes nothing. */
    size_t ff = hs_train_form_features_field(&f);
    assert_int_equal(hs_train_form_set(&f, ff, " y,x ", &err), HS_OK);
    assert_string_equal(form_value(&f, "features"), "y,x");
    assert_int_equal(hs_train_form_set(&f, ff, "y,,x", &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "empty name"));
    assert_string_equal(form_value(&f, "features"), "y,x");
    assert_int_equal(hs_train_form_set(&f, ff, "none", &err), HS_OK);
    assert_string_equal(form_value(&f, "features"), "none");
    assert_int_equal(hs_train_form_set(&f, ff, "enabled", &err), HS_OK);
    assert_string_equal(form_value(&f, "features"), "enabled");
    /* The method switched: the inputs stay. */
    assert_int_equal(hs_train_form_set(&f, ff, "x", &err), HS_OK);
    assert_int_equal(hs_train_form_cycle(&f, HS_TRAIN_FIELD_METHOD, 1, &err), HS_OK);
    assert_string_equal(form_value(&f, "features"), "x");
    /* The featureset's own switches never moved. */
    assert_true(fs.f[fx].on && fs.f[fy].on && fs.f[fz].on && !fs.f[fw].on);
    hs_train_form_release(&f);
    hs_featureset_release(&fs);
    hs_table_free(t);
}

/* Columns of the screen holding a braille dot in rows [y0, y1). */
static void
braille_span(struct hs_screen *s, int y0, int y1, int *lo, int *hi)
{
    *lo = s->w;
    *hi = -1;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < s->w; x++) {
            const unsigned char *c = (const unsigned char *)hs_screen_cell(s, x, y)->ch;
            /* U+2801..U+28FF: E2 A0 81 .. E2 A3 BF (U+2800 is blank) */
            if (c[0] == 0xe2 && c[1] >= 0xa0 && c[1] <= 0xa3 && !(c[1] == 0xa0 && c[2] == 0x80)) {
                *lo = x < *lo ? x : *lo;
                *hi = x > *hi ? x : *hi;
            }
        }
}

/* The curves: the last epoch's figures in the header, the epoch axis
 * fixed to the epochs asked for (5 of 20 fill about a fifth of it, 5 of
 * 5 all of it), the validation AUC in a panel of its own. */
static void
test_train_curves(void **state)
{
    struct hs_epoch_info e[5];
    struct hs_screen *s = hs_screen_new(100, 40);
    int lo5, hi5, lo_all, hi_all;

    (void)state;
    for (int i = 0; i < 5; i++) {
        e[i].epoch = (size_t)i + 1;
        e[i].loss = 0.6 / (double)(i + 1);
        e[i].val_loss = 0.7 / (double)(i + 1) + (i == 4 ? 0.1 : 0);
        e[i].val_auc = 0.8 + 0.02 * i;
        e[i].seconds = 0.1;
        e[i].lr = 1e-3;
    }
    hs_train_curves_draw(e, 0, 20, 0, HS_CANVAS_BRAILLE, s, 0, 0, 100, 40);
    assert_true(screen_has(s, "(no epochs yet)"));
    hs_train_curves_draw(e, 5, 20, 4, HS_CANVAS_BRAILLE, s, 0, 0, 100, 40);
    assert_string_equal(line(s, 0), " epoch 5/20  loss 0.12  val loss 0.24  val AUC 0.88  best 4");
    assert_true(screen_has(s, "val AUC"));
    assert_true(screen_has(s, "validation loss"));
    braille_span(s, 1, 40, &lo5, &hi5);
    hs_train_curves_draw(e, 5, 5, 4, HS_CANVAS_BRAILLE, s, 0, 0, 100, 40);
    braille_span(s, 1, 40, &lo_all, &hi_all);
    assert_true(hi5 > lo5 && hi_all > lo_all);
    /* Epochs 1..5 of 1..20 span 4/19 of the axis; of 1..5 all of it. */
    double frac = (double)(hi5 - lo5) / (double)(hi_all - lo_all);
    if (frac < 4.0 / 19 - 0.05 || frac > 4.0 / 19 + 0.05)
        fail_msg("5 epochs of 20 span %.3f of the width of 5 of 5, want %.3f", frac, 4.0 / 19);
    hs_screen_free(s);
}

/* Poll as the loop does until the training has ended (10 s at most). */
static void
wait_training(struct hs_tui *tui)
{
    for (int i = 0; i < 2000 && hs_tui_train_poll(tui); i++) {
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, NULL);
    }
    assert_false(hs_train_view_running(&tui->train));
}

/* The view driven by keys, without a terminal or a session: the field
 * editor (a bad value keeps it open with the error in the status line),
 * choices, t training on the worker thread with the curve arriving, the
 * other views refused meanwhile, the summary page, Esc stopping a long
 * training with the best epoch kept. */
static void
test_train_keys(void **state)
{
    struct hs_app app;
    struct hs_tui tui;
    struct hs_screen *s = hs_screen_new(120, 40);
    struct hs_train_view *tv;
    struct hs_err err;

    (void)state;
    hs_app_init(&app);
    hs_tui_init(&tui, &app);
    app.tui = &tui;
    app.threads = 1;
    assert_int_equal(hs_tui_set_table(&tui, "toy", hist_table(2000), &err), HS_OK);
    tv = &tui.train;
    keys(&tui, "8");
    assert_int_equal(tui.view, HS_VIEW_TRAIN);
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, " 8 train "));
    assert_true(screen_has(s, "layers           64,64"));
    assert_true(screen_has(s, "Inputs: 2 enabled features"));

    /* j to epochs, Enter, C-u, a number, Enter. */
    while (tv->sc.cur < form_field(&tv->form, "epochs"))
        keys(&tui, "j");
    keys(&tui, "\n\x15" "3\n");
    assert_false(tv->editing);
    assert_string_equal(form_value(&tv->form, "epochs"), "3");
    keys(&tui, "\n\x15zz\n");
    assert_true(tui.msg_error);
    assert_non_null(strstr(tui.msg, "zz"));
    assert_true(tv->editing); /* still open, to fix the text */
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "epochs           zz"));
    hs_tui_key(&tui, HS_KEY_ESC);
    assert_false(tv->editing);
    assert_string_equal(form_value(&tv->form, "epochs"), "3");
    /* Right on the activation; Space the balance; Right on lr is an error. */
    keys(&tui, "gjjj");
    hs_tui_key(&tui, HS_KEY_FN + KEY_RIGHT);
    assert_string_equal(form_value(&tv->form, "activation"), "leaky_relu");
    hs_tui_key(&tui, HS_KEY_FN + KEY_LEFT);
    assert_string_equal(form_value(&tv->form, "activation"), "relu");
    keys(&tui, "Gk");
    assert_string_equal(hs_train_form_field_name(&tv->form, tv->sc.cur), "balance");
    keys(&tui, " ");
    assert_string_equal(form_value(&tv->form, "balance"), "yes");
    keys(&tui, " ");
    assert_string_equal(form_value(&tv->form, "balance"), "no");
    keys(&tui, "gjjjjj");
    assert_string_equal(hs_train_form_field_name(&tv->form, tv->sc.cur), "lr");
    hs_tui_key(&tui, HS_KEY_FN + KEY_RIGHT);
    assert_true(tui.msg_error);

    /* t: trains in the background; the curve comes epoch by epoch. */
    keys(&tui, "t");
    if (tui.msg_error)
        fail_msg("t: %s", tui.msg);
    assert_true(hs_train_view_running(tv));
    keys(&tui, "1");
    assert_int_equal(tui.view, HS_VIEW_TRAIN); /* the other views wait */
    wait_training(&tui);
    assert_int_equal(tv->ncurve, 3);
    assert_non_null(tv->out);
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "Trained 'mlp' on 'toy'"));
    assert_true(screen_has(s, "epoch 3/3"));
    assert_true(screen_has(s, "test AUC 0."));
    /* No session here: said, not hidden. */
    keys(&tui, "}");
    assert_int_equal(tv->page, HS_TPAGE_SUMMARY);
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "Test AUC 0."));
    assert_true(screen_has(s, "  0.01     "));
    assert_true(screen_has(s, "The model was not saved"));
    keys(&tui, "}");
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "KS p-value train vs test: signal "));
    keys(&tui, "}");
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "no per-group table"));
    keys(&tui, "}");
    assert_int_equal(tv->page, HS_TPAGE_TRAIN);
    keys(&tui, "1");
    assert_int_equal(tui.view, HS_VIEW_DATA);

    /* A long training, stopped by Esc after a few epochs: kept. */
    keys(&tui, "8");
    assert_int_equal(hs_train_form_set(&tv->form, form_field(&tv->form, "epochs"), "100000", &err),
                     HS_OK);
    assert_int_equal(hs_train_form_set(&tv->form, form_field(&tv->form, "patience"), "0", &err),
                     HS_OK);
    keys(&tui, "t");
    assert_true(hs_train_view_running(tv));
    for (int i = 0; i < 2000 && tv->ncurve < 3; i++) {
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, NULL);
        assert_true(hs_tui_train_poll(&tui));
    }
    assert_true(tv->ncurve >= 3);
    hs_tui_key(&tui, HS_KEY_ESC);
    assert_true(tv->stopping);
    wait_training(&tui);
    assert_non_null(tv->out);
    assert_true(tv->ncurve >= 3 && tv->ncurve < 100000);
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "epoch "));
    keys(&tui, "}");
    hs_tui_draw(&tui, s);
    assert_true(screen_has(s, "(stopped by Esc)"));

    /* Quitting while one runs: stopped and joined first. */
    keys(&tui, "{t");
    assert_true(hs_train_view_running(tv));
    hs_tui_train_finish_now(&tui);
    assert_false(hs_train_view_running(tv));
    app.tui = NULL;
    hs_tui_release(&tui);
    hs_app_release(&app);
    hs_screen_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cuts_parse_bound),
        cmocka_unit_test(test_cuts_view),
        cmocka_unit_test(test_cuts_view_unlabelled),
        cmocka_unit_test(test_roc_view),
        cmocka_unit_test(test_roc_scale_choose),
        cmocka_unit_test(test_cuts_view_speed),
        cmocka_unit_test(test_train_form),
        cmocka_unit_test(test_train_curves),
        cmocka_unit_test(test_train_keys),
        cmocka_unit_test(test_train_form_features),
    };
    int failed;

    setlocale(LC_CTYPE, "");
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    hs_cairo_release(); /* the font caches of the PNGs saved above */
    return failed;
}

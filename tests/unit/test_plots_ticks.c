/* Unit tests of plots/ without drawing: ticks at nice numbers and their
 * labels (against hand-computed lists), the palette (against the published
 * hex values and the xterm colour cube), and the figure model (deep
 * copies, freeing, data ranges with stacks, errors and log axes). */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plots/figure.h"
#include "plots/palette.h"
#include "plots/ticks.h"

/* The ticks must be exactly the n values want (to 1e-12 relative) with
 * labels lab (when lab is not NULL). */
static void
expect_ticks(const struct hs_ticks *t, const double *want, const char *const *lab, size_t n)
{
    if (t->n != n) {
        for (size_t i = 0; i < t->n; i++)
            print_message("# tick %zu: %g '%s'\n", i, t->v[i], t->label[i]);
    }
    assert_int_equal(t->n, n);
    for (size_t i = 0; i < n; i++) {
        assert_true(fabs(t->v[i] - want[i]) <= 1e-12 * fmax(1, fabs(want[i])) ||
                    fabs(t->v[i] - want[i]) <= 1e-12 * fabs(want[i]));
        if (lab)
            assert_string_equal(t->label[i], lab[i]);
    }
}

static void
test_unit_range(void **state)
{
    (void)state;
    struct hs_ticks t;
    assert_int_equal(hs_ticks_make(0, 1, HS_AXIS_LINEAR, 6, &t), 0);
    const double w[] = {0, 0.2, 0.4, 0.6, 0.8, 1};
    const char *l[] = {"0", "0.2", "0.4", "0.6", "0.8", "1"};
    expect_ticks(&t, w, l, 6);
    /* Minor ticks every 0.05 (4 per step of 2), none on a major tick. */
    assert_int_equal(t.nminor, 21 - 6);
    for (size_t i = 0; i < t.nminor; i++) {
        double r = t.minor[i] / 0.05;
        assert_true(fabs(r - nearbyint(r)) < 1e-9);
        assert_true(fabs(t.minor[i] / 0.2 - nearbyint(t.minor[i] / 0.2)) > 1e-6);
    }
    /* With room for 11 ticks the step is 0.1. */
    assert_int_equal(hs_ticks_make(0, 1, HS_AXIS_LINEAR, 11, &t), 0);
    assert_int_equal(t.n, 11);
    assert_string_equal(t.label[3], "0.3");
}

static void
test_small_counts(void **state)
{
    (void)state;
    struct hs_ticks t;
    /* 0..7 in at most 5 ticks: step 1 would need 8, step 2 fits. */
    assert_int_equal(hs_ticks_make(0, 7, HS_AXIS_LINEAR, 5, &t), 0);
    const double w[] = {0, 2, 4, 6};
    const char *l[] = {"0", "2", "4", "6"};
    expect_ticks(&t, w, l, 4);
    /* -3.7..12.2: step 2 gives 8 ticks (-2..12), so 5 allows only step 5. */
    assert_int_equal(hs_ticks_make(-3.7, 12.2, HS_AXIS_LINEAR, 5, &t), 0);
    const double w2[] = {0, 5, 10};
    expect_ticks(&t, w2, NULL, 3);
    assert_int_equal(hs_ticks_make(-3.7, 12.2, HS_AXIS_LINEAR, 8, &t), 0);
    const double w3[] = {-2, 0, 2, 4, 6, 8, 10, 12};
    const char *l3[] = {"-2", "0", "2", "4", "6", "8", "10", "12"};
    expect_ticks(&t, w3, l3, 8);
    /* 0..3 in 7: halves, labelled compactly. */
    assert_int_equal(hs_ticks_make(0, 3, HS_AXIS_LINEAR, 7, &t), 0);
    const char *l4[] = {"0", "0.5", "1", "1.5", "2", "2.5", "3"};
    const double w4[] = {0, 0.5, 1, 1.5, 2, 2.5, 3};
    expect_ticks(&t, w4, l4, 7);
}

static void
test_negative(void **state)
{
    (void)state;
    struct hs_ticks t;
    assert_int_equal(hs_ticks_make(-1, 0, HS_AXIS_LINEAR, 6, &t), 0);
    const double w[] = {-1, -0.8, -0.6, -0.4, -0.2, 0};
    const char *l[] = {"-1", "-0.8", "-0.6", "-0.4", "-0.2", "0"};
    expect_ticks(&t, w, l, 6);
    /* Reversed limits are swapped; zero is labelled "0", never "-0". */
    assert_int_equal(hs_ticks_make(0.6, -0.6, HS_AXIS_LINEAR, 7, &t), 0);
    const char *l2[] = {"-0.6", "-0.4", "-0.2", "0", "0.2", "0.4", "0.6"};
    const double w2[] = {-0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6};
    expect_ticks(&t, w2, l2, 7);
    assert_false(signbit(t.v[3]));
    assert_int_equal(hs_ticks_make(-250, -50, HS_AXIS_LINEAR, 5, &t), 0);
    const double w3[] = {-250, -200, -150, -100, -50};
    expect_ticks(&t, w3, NULL, 5);
    char buf[HS_TICK_LABEL_MAX];
    hs_ticks_format(-1e-17, 0.1, buf, sizeof buf);
    assert_string_equal(buf, "0");
    hs_ticks_format(-0.0, 1, buf, sizeof buf);
    assert_string_equal(buf, "0");
}

static void
test_exponents(void **state)
{
    (void)state;
    struct hs_ticks t;
    assert_int_equal(hs_ticks_make(0, 1e-9, HS_AXIS_LINEAR, 6, &t), 0);
    const double w[] = {0, 2e-10, 4e-10, 6e-10, 8e-10, 1e-9};
    const char *l[] = {"0", "2e-10", "4e-10", "6e-10", "8e-10", "1e-09"};
    expect_ticks(&t, w, l, 6);
    assert_int_equal(t.exp[1], -10);
    assert_string_equal(t.mant[1], "2");
    assert_true(t.exp_used[1]);
    assert_false(t.exp_used[0]);
    assert_int_equal(hs_ticks_make(0, 1e7, HS_AXIS_LINEAR, 6, &t), 0);
    const char *l2[] = {"0", "2e+06", "4e+06", "6e+06", "8e+06", "1e+07"};
    const double w2[] = {0, 2e6, 4e6, 6e6, 8e6, 1e7};
    expect_ticks(&t, w2, l2, 6);
    assert_int_equal(hs_ticks_make(1e6, 3e6, HS_AXIS_LINEAR, 5, &t), 0);
    const char *l3[] = {"1e+06", "1.5e+06", "2e+06", "2.5e+06", "3e+06"};
    const double w3[] = {1e6, 1.5e6, 2e6, 2.5e6, 3e6};
    expect_ticks(&t, w3, l3, 5);
    assert_string_equal(t.mant[1], "1.5");
    assert_int_equal(t.exp[1], 6);
    /* Below a million: plain numbers. */
    assert_int_equal(hs_ticks_make(0, 5e5, HS_AXIS_LINEAR, 6, &t), 0);
    assert_string_equal(t.label[5], "500000");
}

static void
test_log(void **state)
{
    (void)state;
    struct hs_ticks t;
    assert_int_equal(hs_ticks_make(1, 1e6, HS_AXIS_LOG, 7, &t), 0);
    const double w[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    const char *l[] = {"10^0", "10^1", "10^2", "10^3", "10^4", "10^5", "10^6"};
    expect_ticks(&t, w, l, 7);
    assert_int_equal(t.exp[3], 3);
    assert_string_equal(t.mant[3], "");
    /* 2..9 in each of the six decades. */
    assert_int_equal(t.nminor, 6 * 8);
    assert_true(fabs(t.minor[0] - 2) < 1e-12);
    assert_true(fabs(t.minor[47] - 9e5) < 1e-6);
    /* Fewer ticks allowed: every second decade, the others as minors. */
    assert_int_equal(hs_ticks_make(1, 1e6, HS_AXIS_LOG, 4, &t), 0);
    const double w2[] = {1, 100, 1e4, 1e6};
    expect_ticks(&t, w2, NULL, 4);
    assert_int_equal(t.nminor, 3);
    /* Less than two decades: 1, 2, 5 x 10^k. */
    assert_int_equal(hs_ticks_make(1.5, 60, HS_AXIS_LOG, 8, &t), 0);
    const double w3[] = {2, 5, 10, 20, 50};
    const char *l3[] = {"2", "5", "10", "20", "50"};
    expect_ticks(&t, w3, l3, 5);
    assert_int_equal(hs_ticks_make(0, 10, HS_AXIS_LOG, 5, &t), -1);
    assert_int_equal(hs_ticks_make(NAN, 10, HS_AXIS_LINEAR, 5, &t), -1);
}

static void
test_zero_width_and_nice(void **state)
{
    (void)state;
    struct hs_ticks t;
    assert_int_equal(hs_ticks_make(5, 5, HS_AXIS_LINEAR, 6, &t), 0);
    assert_true(t.n >= 2);
    bool has5 = false;
    for (size_t i = 0; i < t.n; i++)
        has5 |= fabs(t.v[i] - 5) < 1e-12;
    assert_true(has5);
    assert_int_equal(hs_ticks_make(0, 0, HS_AXIS_LINEAR, 6, &t), 0);
    assert_true(t.n >= 2 && t.v[0] == 0 && fabs(t.v[t.n - 1] - 1) < 1e-12);

    double lo = 0, hi = 97;
    assert_int_equal(hs_ticks_nice_range(&lo, &hi, HS_AXIS_LINEAR, 6), 0);
    assert_true(lo == 0 && fabs(hi - 100) < 1e-12);
    lo = -3.7;
    hi = 12.2;
    assert_int_equal(hs_ticks_nice_range(&lo, &hi, HS_AXIS_LINEAR, 5), 0);
    assert_true(fabs(lo + 5) < 1e-12 && fabs(hi - 15) < 1e-12);
    lo = 3;
    hi = 4e5;
    assert_int_equal(hs_ticks_nice_range(&lo, &hi, HS_AXIS_LOG, 8), 0);
    assert_true(fabs(lo - 1) < 1e-12 && fabs(hi - 1e6) < 1e-6);
    lo = 0;
    hi = 0;
    assert_int_equal(hs_ticks_nice_range(&lo, &hi, HS_AXIS_LINEAR, 5), 0);
    assert_true(lo == 0 && hi == 1);
}

/* ---- palette ---- */

static void
expect_rgb(struct hs_rgb c, int hex)
{
    assert_true(fabs(c.r - ((hex >> 16) & 255) / 255.0) < 1e-9);
    assert_true(fabs(c.g - ((hex >> 8) & 255) / 255.0) < 1e-9);
    assert_true(fabs(c.b - (hex & 255) / 255.0) < 1e-9);
}

static void
test_palette(void **state)
{
    (void)state;
    const int hex[8] = {0x0072B2, 0xE69F00, 0x000000, 0x009E73,
                        0xCC79A7, 0x56B4E9, 0xD55E00, 0xF0E442};
    for (int i = 0; i < 8; i++)
        expect_rgb(hs_palette_color(i), hex[i]);
    expect_rgb(hs_palette_color(HS_PAL_SIGNAL), 0x0072B2);
    expect_rgb(hs_palette_color(HS_PAL_BACKGROUND), 0xE69F00);
    /* Six more categories (Tol's wine, indigo, olive, teal, rose; brown)
     * and the five viridis bands, then the indices wrap. */
    const int more[6] = {0x882255, 0x332288, 0x999933, 0x44AA99, 0xCC6677, 0x663300};
    for (int i = 0; i < 6; i++)
        expect_rgb(hs_palette_color(HS_PAL_CAT0 + 5 + i), more[i]);
    assert_int_equal(HS_PAL_NCOLORS, 3 + 11 + 5);
    expect_rgb(hs_palette_color(HS_PAL_NCOLORS), 0x0072B2);
    struct hs_rgb last = hs_palette_color(-1);
    assert_true(fabs(last.r - 0.993248) < 1e-6 && fabs(last.b - 0.143936) < 1e-6);
    /* The eleven categories: none a role's colour, and all of them and the
     * roles apart, in sRGB (distance above 0.2) and in the terminal (their
     * nearest xterm-256 colours differ). */
    for (int i = 0; i < HS_PAL_CAT0 + HS_PAL_NCATS; i++)
        for (int j = 0; j < i; j++) {
            struct hs_rgb a = hs_palette_color(i), b = hs_palette_color(j);
            double d = sqrt((a.r - b.r) * (a.r - b.r) + (a.g - b.g) * (a.g - b.g) +
                            (a.b - b.b) * (a.b - b.b));
            assert_true(d > 0.2);
            assert_int_not_equal(hs_palette_xterm256(i), hs_palette_xterm256(j));
        }
    /* The bands are viridis at 0, 1/4, ..., 1: ordered. */
    for (int b = 0; b < HS_PAL_NSEQ; b++) {
        struct hs_rgb v = hs_palette_sequential(b / (double)(HS_PAL_NSEQ - 1)),
                      c = hs_palette_color(HS_PAL_SEQ0 + b);
        assert_true(fabs(v.r - c.r) < 1e-6 && fabs(v.g - c.g) < 1e-6 && fabs(v.b - c.b) < 1e-6);
    }
    /* The xterm cube: levels 0, 95, 135, 175, 215, 255; index 16 + 36r + 6g + b. */
    struct hs_rgb red = {1, 0, 0}, black = {0, 0, 0}, white = {1, 1, 1}, grey = {0.5, 0.5, 0.5};
    assert_int_equal(hs_palette_rgb_xterm256(red), 196);
    assert_int_equal(hs_palette_rgb_xterm256(black), 16);
    assert_int_equal(hs_palette_rgb_xterm256(white), 231);
    assert_int_equal(hs_palette_rgb_xterm256(grey), 244); /* grey ramp 8 + 10 x 12 = 128 */
    /* #0072B2: r 0 -> 0, g 114 -> 95 (1), b 178 -> 175 (3). */
    assert_int_equal(hs_palette_xterm256(HS_PAL_SIGNAL), 16 + 6 * 1 + 3);
    /* #E69F00: r 230 -> 215 (4), g 159 -> 175 (3), b 0. */
    assert_int_equal(hs_palette_xterm256(HS_PAL_BACKGROUND), 16 + 36 * 4 + 6 * 3);
    assert_int_equal(hs_palette_rgb_basic8(red), 1);
    assert_int_equal(hs_palette_basic8(HS_PAL_DATA), 0);
    assert_int_equal(hs_palette_basic8(HS_PAL_BACKGROUND), 3); /* orange: nearest is yellow */
    /* viridis ends and middle (matplotlib's _viridis_data[0], [128], [255]) */
    struct hs_rgb v0 = hs_palette_sequential(0), v1 = hs_palette_sequential(1),
                  vm = hs_palette_sequential(0.5);
    assert_true(fabs(v0.r - 0.267004) < 1e-6 && fabs(v0.g - 0.004874) < 1e-6);
    assert_true(fabs(v1.r - 0.993248) < 1e-6 && fabs(v1.b - 0.143936) < 1e-6);
    assert_true(fabs(vm.r - 0.127568) < 1e-3 && fabs(vm.g - 0.566949) < 1e-3);
    struct hs_rgb vn = hs_palette_sequential(NAN), vbig = hs_palette_sequential(7);
    assert_true(vn.r == v0.r && vbig.g == v1.g);
    /* Green rises monotonically along viridis. */
    for (int i = 1; i <= 100; i++)
        assert_true(hs_palette_sequential(i / 100.0).g > hs_palette_sequential((i - 1) / 100.0).g);
    expect_rgb(hs_palette_diverging(0), 0xF7F7F7);
    expect_rgb(hs_palette_diverging(-1), 0x2166AC);
    expect_rgb(hs_palette_diverging(1), 0xB2182B);
    expect_rgb(hs_palette_diverging(5), 0xB2182B);
}

/* ---- figure model ---- */

static void
test_figure_copy(void **state)
{
    (void)state;
    char msg[HS_PLOT_MSG_MAX];
    struct hs_figure *f = hs_figure_new();
    assert_non_null(f);
    assert_true(f->legend);
    char label[] = "signal";
    double x[4] = {0, 1, 2, 3}, y[3] = {1, 2, 3}, e[3] = {0.1, 0.2, 0.3};
    struct hs_series s = {.kind = HS_SERIES_HIST, .label = label, .n = 3, .x = x, .y = y,
                          .yerr = e};
    struct hs_series *c = hs_panel_add(&f->main, &s, msg);
    assert_non_null(c);
    assert_true(c->x != x && c->y != y && c->yerr != e && c->label != label);
    x[0] = 99;
    y[1] = 99;
    label[0] = 'X';
    assert_true(f->main.series[0].x[0] == 0 && f->main.series[0].x[3] == 3);
    assert_true(f->main.series[0].y[1] == 2);
    assert_string_equal(f->main.series[0].label, "signal");
    assert_true(f->main.series[0].alpha == 1);
    /* Many adds (growing the array), a heat map with names. */
    for (int i = 0; i < 20; i++)
        assert_non_null(hs_panel_add(&f->main, &s, msg));
    double hx[3] = {0, 1, 2}, hy[3] = {0, 1, 2}, z[4] = {1, 2, 3, NAN};
    char *names[2] = {"a", "b"};
    struct hs_series h = {.kind = HS_SERIES_HEATMAP, .nx = 2, .ny = 2, .x = hx, .y = hy, .z = z,
                          .xnames = names, .ynames = names, .zlabel = "corr"};
    c = hs_panel_add(&f->ratio, &h, msg);
    assert_non_null(c);
    assert_true(c->xnames != names && strcmp(c->ynames[1], "b") == 0 && isnan(c->z[3]));
    assert_string_equal(c->zlabel, "corr");
    /* Bad series are refused with a message. */
    struct hs_series bad = {.kind = HS_SERIES_HIST, .n = 0};
    msg[0] = '\0';
    assert_null(hs_panel_add(&f->main, &bad, msg));
    assert_true(strlen(msg) > 0);
    assert_int_equal(hs_figure_set_string(&f->title, "a title", msg), 0);
    assert_int_equal(hs_figure_set_string(&f->title, "another", msg), 0);
    assert_string_equal(f->title, "another");
    assert_int_equal(hs_figure_set_string(&f->main.x.label, "m [GeV]", NULL), 0);
    assert_int_equal(hs_figure_set_string(&f->text, NULL, msg), 0);
    assert_null(f->text);
    hs_figure_free(f); /* ASan's leak check covers the copies */
    hs_figure_free(NULL);
}

static void
test_data_range(void **state)
{
    (void)state;
    struct hs_figure *f = hs_figure_new();
    double x[4] = {-1, 0, 1, 2}, y1[3] = {1, 2, 3}, y2[3] = {2, 2, 2}, e2[3] = {0.5, 0.5, 0.5};
    struct hs_series a = {.kind = HS_SERIES_HIST, .stack = 1, .n = 3, .x = x, .y = y1};
    struct hs_series b = {.kind = HS_SERIES_HIST, .stack = 1, .n = 3, .x = x, .y = y2, .yerr = e2};
    assert_non_null(hs_panel_add(&f->main, &a, NULL));
    assert_non_null(hs_panel_add(&f->main, &b, NULL));
    double lo, hi;
    assert_true(hs_panel_data_range(&f->main, 0, &lo, &hi));
    assert_true(lo == -1 && hi == 2);
    /* stacked: 3 + 2 in the last bin, plus its error 0.5; bars from 0 */
    assert_true(hs_panel_data_range(&f->main, 1, &lo, &hi));
    assert_true(lo == 0 && hi == 5.5);
    /* points with errors reaching below zero */
    double px[2] = {0.5, 3}, py[2] = {1, 4}, pe[2] = {2, 1};
    struct hs_series p = {.kind = HS_SERIES_POINTS, .n = 2, .x = px, .y = py, .yerr = pe};
    assert_non_null(hs_panel_add(&f->main, &p, NULL));
    assert_true(hs_panel_data_range(&f->main, 1, &lo, &hi));
    assert_true(lo == -1 && hi == 5.5);
    assert_true(hs_panel_data_range(&f->main, 0, &lo, &hi));
    assert_true(lo == -1 && hi == 3);
    /* log y: only positive values; 1 - 2 < 0 is left out */
    f->main.y.scale = HS_AXIS_LOG;
    assert_true(hs_panel_data_range(&f->main, 1, &lo, &hi));
    assert_true(lo == 1 && hi == 5.5);
    /* log x: edges -1 and 0 left out */
    f->main.x.scale = HS_AXIS_LOG;
    assert_true(hs_panel_data_range(&f->main, 0, &lo, &hi));
    assert_true(lo == 0.5 && hi == 3);
    assert_false(hs_panel_data_range(&f->ratio, 0, &lo, &hi));
    hs_figure_free(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_range),
        cmocka_unit_test(test_small_counts),
        cmocka_unit_test(test_negative),
        cmocka_unit_test(test_exponents),
        cmocka_unit_test(test_log),
        cmocka_unit_test(test_zero_width_and_nice),
        cmocka_unit_test(test_palette),
        cmocka_unit_test(test_figure_copy),
        cmocka_unit_test(test_data_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

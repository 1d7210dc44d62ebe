/* Unit tests of the terminal canvas (plots/canvas.c): golden text of fixed
 * figures at fixed sizes in braille and ASCII (tests/plots/golden/;
 * HS_GENERATE=1 rewrites them), and direct checks that do not depend on
 * the goldens: braille bit patterns, where the tallest bin is drawn,
 * colours, ANSI output and the choice of mode. */
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

#include "plots/canvas.h"
#include "plots/figure.h"
#include "plots/palette.h"

/* ---- golden text ---- */

static char *
read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void
golden(const struct hs_canvas *c, const char *name)
{
    const char *src = getenv("HS_SRCDIR");
    char path[1024];
    char *got = hs_canvas_to_text(c);
    assert_non_null(got);
    snprintf(path, sizeof path, "%s/tests/plots/golden/%s.txt", src ? src : ".", name);
    if (getenv("HS_GENERATE") && *getenv("HS_GENERATE")) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs(got, f);
        fclose(f);
    }
    char *want = read_file(path);
    if (!want)
        fail_msg("no golden file %s (run with HS_GENERATE=1 to write it)", path);
    if (strcmp(want, got) != 0) {
        print_message("# %s differs; got:\n%s", path, got);
        fail_msg("canvas differs from %s", path);
    }
    free(want);
    free(got);
}

static struct hs_canvas *
render(const struct hs_figure *f, int w, int h, enum hs_canvas_mode mode)
{
    char msg[HS_PLOT_MSG_MAX] = "";
    struct hs_canvas *c = hs_canvas_new(w, h, mode, msg);
    assert_non_null(c);
    if (hs_canvas_render(c, f, msg) != 0)
        fail_msg("render failed: %s", msg);
    return c;
}

/* ---- figures ---- */

static const double sig[10] = {1, 3, 8, 15, 22, 18, 10, 5, 2, 1};
static const double bkg[10] = {20, 16, 13, 10, 8, 6, 5, 4, 3, 2};
static double edges10[11] = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

/* A 10-bin histogram of two series: background filled, signal as steps. */
static struct hs_figure *
fig_two_hists(void)
{
    struct hs_figure *f = hs_figure_new();
    assert_non_null(f);
    hs_figure_set_string(&f->title, "m_jj", NULL);
    hs_figure_set_string(&f->main.x.label, "m [GeV]", NULL);
    hs_figure_set_string(&f->main.y.label, "Events / 10 GeV", NULL);
    struct hs_series b = {.kind = HS_SERIES_HIST, .label = "background", .color = HS_PAL_BACKGROUND,
                          .style = HS_HIST_FILLED, .n = 10, .x = edges10, .y = (double *)bkg};
    struct hs_series s = {.kind = HS_SERIES_HIST, .label = "signal", .color = HS_PAL_SIGNAL,
                          .n = 10, .x = edges10, .y = (double *)sig};
    assert_non_null(hs_panel_add(&f->main, &b, NULL));
    assert_non_null(hs_panel_add(&f->main, &s, NULL));
    return f;
}

/* Data points with Poisson errors over two stacked processes, with the
 * data/simulation ratio below. */
static struct hs_figure *
fig_data_mc(void)
{
    static const double p1[10] = {30, 26, 22, 18, 15, 12, 10, 8, 6, 5};
    static const double p2[10] = {4, 6, 9, 12, 14, 12, 9, 6, 4, 2};
    static const double data[10] = {36, 30, 33, 29, 27, 26, 18, 15, 9, 8};
    double x[10], e[10], r[10], re[10];
    struct hs_figure *f = hs_figure_new();
    assert_non_null(f);
    hs_figure_set_string(&f->title, "data vs simulation", NULL);
    hs_figure_set_string(&f->main.x.label, "pT [GeV]", NULL);
    hs_figure_set_string(&f->main.y.label, "Events", NULL);
    hs_figure_set_string(&f->ratio.y.label, "Data/MC", NULL);
    hs_figure_set_string(&f->text, "hepscope test", NULL);
    for (int i = 0; i < 10; i++) {
        double mc = p1[i] + p2[i];
        x[i] = 5 + 10 * i;
        e[i] = sqrt(data[i]);
        r[i] = data[i] / mc;
        re[i] = e[i] / mc;
    }
    struct hs_series a = {.kind = HS_SERIES_HIST, .label = "ttbar", .color = HS_PAL_BACKGROUND,
                          .style = HS_HIST_FILLED, .stack = 1, .n = 10, .x = edges10,
                          .y = (double *)p1};
    struct hs_series b = {.kind = HS_SERIES_HIST, .label = "W+jets", .color = HS_PAL_CAT0,
                          .style = HS_HIST_FILLED, .stack = 1, .n = 10, .x = edges10,
                          .y = (double *)p2};
    struct hs_series d = {.kind = HS_SERIES_POINTS, .label = "data", .color = HS_PAL_DATA,
                          .n = 10, .x = x, .y = (double *)data, .yerr = e};
    struct hs_series rd = {.kind = HS_SERIES_POINTS, .color = HS_PAL_DATA, .n = 10, .x = x,
                           .y = r, .yerr = re};
    assert_non_null(hs_panel_add(&f->main, &a, NULL));
    assert_non_null(hs_panel_add(&f->main, &b, NULL));
    assert_non_null(hs_panel_add(&f->main, &d, NULL));
    f->has_ratio = true;
    assert_non_null(hs_panel_add(&f->ratio, &rd, NULL));
    return f;
}

/* A 4 x 4 correlation matrix with the values written in the cells. */
static struct hs_figure *
fig_corr(void)
{
    double x[5] = {0, 1, 2, 3, 4};
    double z[16] = {1, 0.8, -0.3, 0, 0.8, 1, -0.1, 0.05, -0.3, -0.1, 1, -0.6, 0, 0.05, -0.6, 1};
    char *names[4] = {"pt", "eta", "phi", "mass"};
    struct hs_figure *f = hs_figure_new();
    assert_non_null(f);
    hs_figure_set_string(&f->title, "correlations", NULL);
    struct hs_series h = {.kind = HS_SERIES_HEATMAP, .nx = 4, .ny = 4, .x = x, .y = x, .z = z,
                          .zvalues = true, .zdiverging = true, .zlabel = "r",
                          .xnames = names, .ynames = names};
    assert_non_null(hs_panel_add(&f->main, &h, NULL));
    return f;
}

/* A falling spectrum on a log y axis, with an empty bin. */
static struct hs_figure *
fig_log(void)
{
    static const double y[10] = {12000, 4000, 1500, 600, 200, 70, 0, 9, 3, 1};
    struct hs_figure *f = hs_figure_new();
    assert_non_null(f);
    hs_figure_set_string(&f->main.x.label, "E [GeV]", NULL);
    f->main.y.scale = HS_AXIS_LOG;
    struct hs_series s = {.kind = HS_SERIES_HIST, .label = "spectrum", .color = HS_PAL_SIGNAL,
                          .n = 10, .x = edges10, .y = (double *)y};
    assert_non_null(hs_panel_add(&f->main, &s, NULL));
    return f;
}

static void
test_golden_hists(void **state)
{
    (void)state;
    struct hs_figure *f = fig_two_hists();
    struct hs_canvas *c = render(f, 60, 20, HS_CANVAS_BRAILLE);
    golden(c, "hist2-braille-60x20");
    hs_canvas_free(c);
    c = render(f, 60, 20, HS_CANVAS_ASCII);
    golden(c, "hist2-ascii-60x20");
    hs_canvas_free(c);
    c = render(f, 60, 20, HS_CANVAS_HALFBLOCK);
    golden(c, "hist2-halfblock-60x20");
    hs_canvas_free(c);
    hs_figure_free(f);
}

static void
test_golden_ratio(void **state)
{
    (void)state;
    struct hs_figure *f = fig_data_mc();
    struct hs_canvas *c = render(f, 70, 26, HS_CANVAS_BRAILLE);
    golden(c, "datamc-braille-70x26");
    hs_canvas_free(c);
    c = render(f, 70, 26, HS_CANVAS_ASCII);
    golden(c, "datamc-ascii-70x26");
    hs_canvas_free(c);
    hs_figure_free(f);
}

static void
test_golden_heatmap(void **state)
{
    (void)state;
    struct hs_figure *f = fig_corr();
    struct hs_canvas *c = render(f, 50, 14, HS_CANVAS_BRAILLE);
    golden(c, "corr-braille-50x14");
    hs_canvas_free(c);
    c = render(f, 50, 14, HS_CANVAS_ASCII);
    golden(c, "corr-ascii-50x14");
    hs_canvas_free(c);
    hs_figure_free(f);
}

static void
test_golden_log(void **state)
{
    (void)state;
    struct hs_figure *f = fig_log();
    struct hs_canvas *c = render(f, 60, 18, HS_CANVAS_BRAILLE);
    golden(c, "logy-braille-60x18");
    hs_canvas_free(c);
    c = render(f, 60, 18, HS_CANVAS_ASCII);
    golden(c, "logy-ascii-60x18");
    hs_canvas_free(c);
    hs_figure_free(f);
}

/* ---- direct checks ---- */

/* The code point of a cell's glyph (for 1 to 3 byte UTF-8). */
static unsigned
code_point(const struct hs_cell *cell)
{
    const unsigned char *g = (const unsigned char *)cell->glyph;
    if (g[0] < 0x80)
        return g[0];
    if (g[0] < 0xE0)
        return ((g[0] & 0x1Fu) << 6) | (g[1] & 0x3Fu);
    return ((g[0] & 0x0Fu) << 12) | ((g[1] & 0x3Fu) << 6) | (g[2] & 0x3Fu);
}

static bool
is_braille(const struct hs_cell *cell)
{
    unsigned u = code_point(cell);
    return u > 0x2800 && u <= 0x28FF;
}

/* The plot area: the corner of the axes is the lowest '└' cell (in ASCII
 * a '+' with the axis line to its right and the y axis above it). */
static void
find_axes(const struct hs_canvas *c, int *cx, int *row)
{
    for (int y = c->height - 1; y > 0; y--)
        for (int x = 0; x + 1 < c->width; x++) {
            const char *g = hs_canvas_cell(c, x, y)->glyph;
            const char *right = hs_canvas_cell(c, x + 1, y)->glyph;
            const char *up = hs_canvas_cell(c, x, y - 1)->glyph;
            bool ascii = strcmp(g, "+") == 0 && (strcmp(right, "-") == 0 || strcmp(right, "+") == 0) &&
                         (strcmp(up, "|") == 0 || strcmp(up, "+") == 0);
            if (code_point(hs_canvas_cell(c, x, y)) == 0x2514 || ascii) {
                *cx = x + 1;
                *row = y;
                return;
            }
        }
    fail_msg("no axes corner");
}

static void
test_braille_bits(void **state)
{
    (void)state;
    /* One bin filling the whole fixed range: every dot of every plot cell. */
    double e[2] = {0, 1}, y[1] = {1};
    struct hs_figure *f = hs_figure_new();
    f->main.x.fixed = f->main.y.fixed = true;
    f->main.x.lo = f->main.y.lo = 0;
    f->main.x.hi = f->main.y.hi = 1;
    struct hs_series s = {.kind = HS_SERIES_HIST, .style = HS_HIST_FILLED, .color = 3, .n = 1,
                          .x = e, .y = y};
    struct hs_series *sp = hs_panel_add(&f->main, &s, NULL);
    struct hs_canvas *c = render(f, 30, 10, HS_CANVAS_BRAILLE);
    int cx, ax;
    find_axes(c, &cx, &ax);
    for (int x = cx; x < 28; x++)
        for (int r = 0; r < ax; r++) {
            const struct hs_cell *cell = hs_canvas_cell(c, x, r);
            if (code_point(cell) != 0x28FF)
                fail_msg("cell %d,%d is U+%04X", x, r, code_point(cell));
            assert_int_equal(cell->color, 3);
        }
    hs_canvas_free(c);
    /* As an outline: the top dot row (dots 1 and 4: bits 0x01 | 0x08), the
     * left edge (dots 1 2 3 7: 0x47) and the right edge (dots 4 5 6 8: 0xB8). */
    sp->style = HS_HIST_STEP;
    c = render(f, 30, 10, HS_CANVAS_BRAILLE);
    find_axes(c, &cx, &ax);
    int right = cx;
    while (code_point(hs_canvas_cell(c, right + 1, ax)) == 0x2500 ||
           code_point(hs_canvas_cell(c, right + 1, ax)) == 0x252C)
        right++;
    assert_int_equal(code_point(hs_canvas_cell(c, cx, 0)), 0x2800 + (0x47 | 0x08));
    assert_int_equal(code_point(hs_canvas_cell(c, right, 0)), 0x2800 + (0xB8 | 0x01));
    assert_int_equal(code_point(hs_canvas_cell(c, cx + 3, 0)), 0x2800 + 0x09);
    assert_int_equal(code_point(hs_canvas_cell(c, cx, 3)), 0x2800 + 0x47);
    assert_int_equal(code_point(hs_canvas_cell(c, right, 3)), 0x2800 + 0xB8);
    assert_string_equal(hs_canvas_cell(c, cx + 3, 3)->glyph, " ");
    hs_canvas_free(c);
    hs_figure_free(f);
}

/* The highest mark of a histogram lies over its tallest bin. */
static void
test_tallest_bin(void **state)
{
    (void)state;
    static const double y[10] = {1, 3, 8, 15, 22, 18, 10, 5, 2, 1};
    struct hs_figure *f = hs_figure_new();
    struct hs_series s = {.kind = HS_SERIES_HIST, .n = 10, .x = edges10, .y = (double *)y};
    hs_panel_add(&f->main, &s, NULL);
    enum hs_canvas_mode modes[3] = {HS_CANVAS_BRAILLE, HS_CANVAS_HALFBLOCK, HS_CANVAS_ASCII};
    for (int m = 0; m < 3; m++) {
        struct hs_canvas *c = render(f, 64, 20, modes[m]);
        int cx, ax, cw = 0;
        find_axes(c, &cx, &ax);
        while (code_point(hs_canvas_cell(c, cx + cw, ax)) != ' ' && cx + cw < c->width)
            cw++;
        /* the middle of the marks in the highest row with any */
        int top = -1, first = -1, last = -1;
        for (int r = 0; r < ax && top < 0; r++)
            for (int x = cx; x < cx + cw; x++) {
                const struct hs_cell *cell = hs_canvas_cell(c, x, r);
                bool mark = modes[m] == HS_CANVAS_BRAILLE ? is_braille(cell)
                            : modes[m] == HS_CANVAS_ASCII ? cell->glyph[0] == '-'
                                                         : code_point(cell) >= 0x2580;
                if (mark) {
                    if (first < 0)
                        first = x;
                    last = x;
                }
                if (x == cx + cw - 1 && first >= 0)
                    top = r;
            }
        assert_true(top >= 0);
        int bin = (int)(((first + last) / 2.0 + 0.5 - cx) * 10.0 / cw);
        assert_int_equal(bin, 4);
        /* 22 against the axis top: the top is near the first rows. */
        assert_true(top <= 2);
        hs_canvas_free(c);
    }
    hs_figure_free(f);
}

/* Two series in one cell: the later one colours it. */
static void
test_later_series_wins(void **state)
{
    (void)state;
    double e[2] = {0, 1}, y[1] = {1};
    struct hs_figure *f = hs_figure_new();
    f->main.y.fixed = true;
    f->main.y.lo = 0;
    f->main.y.hi = 1;
    struct hs_series a = {.kind = HS_SERIES_HIST, .style = HS_HIST_FILLED, .color = 1, .n = 1,
                          .x = e, .y = y};
    struct hs_series b = a;
    b.style = HS_HIST_STEP;
    b.color = 0;
    hs_panel_add(&f->main, &a, NULL);
    hs_panel_add(&f->main, &b, NULL);
    struct hs_canvas *c = render(f, 30, 10, HS_CANVAS_BRAILLE);
    int cx, ax;
    find_axes(c, &cx, &ax);
    assert_int_equal(hs_canvas_cell(c, cx + 2, 0)->color, 0); /* the outline's cell */
    assert_int_equal(hs_canvas_cell(c, cx + 2, 3)->color, 1); /* only the fill */
    /* ANSI: the signal blue is xterm 25, the orange 178 (215, 175, 0). */
    char *ansi = hs_canvas_to_ansi(c);
    assert_non_null(ansi);
    assert_non_null(strstr(ansi, "\x1b[0;38;5;25m"));
    assert_non_null(strstr(ansi, "\x1b[0;38;5;178m"));
    free(ansi);
    char *text = hs_canvas_to_text(c);
    int lines = 0;
    for (char *p = text; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 10);
    assert_null(strchr(text, '\x1b'));
    free(text);
    hs_canvas_free(c);
    hs_figure_free(f);
}

static void
test_heatmap_colors(void **state)
{
    (void)state;
    double x[3] = {0, 1, 2}, z[4] = {0, 1, 2, 3};
    struct hs_figure *f = hs_figure_new();
    struct hs_series h = {.kind = HS_SERIES_HEATMAP, .nx = 2, .ny = 2, .x = x, .y = x, .z = z};
    hs_panel_add(&f->main, &h, NULL);
    struct hs_canvas *c = render(f, 40, 12, HS_CANVAS_BRAILLE);
    int cx, ax;
    find_axes(c, &cx, &ax);
    /* the bottom-left cell holds the minimum (blank), the top-right the
     * maximum (a full block) */
    const struct hs_cell *bl = hs_canvas_cell(c, cx, ax - 1);
    assert_string_equal(bl->glyph, " ");
    struct hs_rgb lo = hs_palette_sequential(0);
    assert_int_equal(bl->rgb, ((int)lround(lo.r * 255) << 16) | ((int)lround(lo.g * 255) << 8) |
                                  (int)lround(lo.b * 255));
    bool found_top = false;
    for (int q = cx; q < c->width; q++)
        found_top |= code_point(hs_canvas_cell(c, q, 0)) == 0x2588;
    assert_true(found_top);
    /* in ASCII the ramp's darkest character */
    hs_canvas_free(c);
    c = render(f, 40, 12, HS_CANVAS_ASCII);
    char *t = hs_canvas_to_text(c);
    assert_non_null(strchr(t, '@'));
    free(t);
    hs_canvas_free(c);
    hs_figure_free(f);
}

static void
test_modes_and_errors(void **state)
{
    (void)state;
    assert_int_equal(hs_canvas_pick_mode("UTF-8", "xterm-256color", false), HS_CANVAS_BRAILLE);
    assert_int_equal(hs_canvas_pick_mode("utf8", NULL, false), HS_CANVAS_BRAILLE);
    assert_int_equal(hs_canvas_pick_mode("UTF-8", "xterm", true), HS_CANVAS_ASCII);
    assert_int_equal(hs_canvas_pick_mode("ANSI_X3.4-1968", "xterm", false), HS_CANVAS_ASCII);
    assert_int_equal(hs_canvas_pick_mode(NULL, "xterm", false), HS_CANVAS_ASCII);
    assert_int_equal(hs_canvas_pick_mode("UTF-8", "linux", false), HS_CANVAS_HALFBLOCK);
    assert_int_equal(hs_canvas_pick_mode("UTF-8", "dumb", false), HS_CANVAS_BRAILLE);
    assert_int_equal(hs_canvas_pick_mode("UTF-8", "linux", true), HS_CANVAS_ASCII);
    char msg[HS_PLOT_MSG_MAX] = "";
    assert_null(hs_canvas_new(0, 5, HS_CANVAS_ASCII, msg));
    assert_true(strlen(msg) > 0);
    struct hs_figure *f = fig_two_hists();
    struct hs_canvas *c = hs_canvas_new(12, 4, HS_CANVAS_BRAILLE, msg);
    msg[0] = '\0';
    assert_int_equal(hs_canvas_render(c, f, msg), -1);
    assert_true(strlen(msg) > 0);
    hs_canvas_free(c);
    /* A log axis with a fixed non-positive range is refused. */
    f->main.y.scale = HS_AXIS_LOG;
    f->main.y.fixed = true;
    f->main.y.lo = 0;
    f->main.y.hi = 10;
    c = hs_canvas_new(60, 20, HS_CANVAS_BRAILLE, msg);
    assert_int_equal(hs_canvas_render(c, f, msg), -1);
    /* Small multiples: two figures side by side in one canvas. */
    f->main.y.scale = HS_AXIS_LINEAR;
    f->main.y.fixed = false;
    hs_canvas_clear(c);
    assert_int_equal(hs_canvas_render_rect(c, f, 0, 0, 30, 20, msg), 0);
    assert_int_equal(hs_canvas_render_rect(c, f, 30, 0, 30, 20, msg), 0);
    assert_int_equal(hs_canvas_render_rect(c, f, 40, 0, 30, 20, msg), -1);
    char *t = hs_canvas_to_text(c);
    assert_non_null(strstr(t, "m_jj"));
    assert_non_null(strstr(strstr(t, "m_jj") + 4, "m_jj"));
    free(t);
    hs_canvas_free(c);
    hs_figure_free(f);
}

/* Scatter points take their category's colour; a line joins its points. */
static void
test_scatter_line(void **state)
{
    (void)state;
    double x[3] = {0, 5, 10}, y[3] = {0, 5, 10};
    int cat[3] = {3, 4, 5};
    struct hs_figure *f = hs_figure_new();
    struct hs_series sc = {.kind = HS_SERIES_SCATTER, .n = 3, .x = x, .y = y, .cat = cat};
    hs_panel_add(&f->main, &sc, NULL);
    struct hs_canvas *c = render(f, 40, 14, HS_CANVAS_BRAILLE);
    int seen[8] = {0};
    for (int r = 0; r < c->height; r++)
        for (int q = 0; q < c->width; q++) {
            const struct hs_cell *cell = hs_canvas_cell(c, q, r);
            if (is_braille(cell) && cell->color >= 0 && cell->color < 8)
                seen[cell->color]++;
        }
    assert_true(seen[3] == 1 && seen[4] == 1 && seen[5] == 1);
    hs_canvas_free(c);
    hs_figure_free(f);
    /* the diagonal line: a mark in every plot row */
    f = hs_figure_new();
    struct hs_series ln = {.kind = HS_SERIES_LINE, .color = 0, .n = 3, .x = x, .y = y};
    hs_panel_add(&f->main, &ln, NULL);
    f->main.x.fixed = f->main.y.fixed = true;
    f->main.x.lo = f->main.y.lo = 0;
    f->main.x.hi = f->main.y.hi = 10;
    c = render(f, 40, 14, HS_CANVAS_BRAILLE);
    int cx, ax;
    find_axes(c, &cx, &ax);
    for (int r = 0; r < ax; r++) {
        int marks = 0;
        for (int q = cx; q < c->width; q++)
            marks += is_braille(hs_canvas_cell(c, q, r));
        assert_true(marks >= 1);
    }
    hs_canvas_free(c);
    hs_figure_free(f);
}

/* Odd figures (NaN, infinities, negative values on log axes, empty series,
 * tiny canvases) are drawn or refused without a crash (ASan watches). */
static void
test_robustness(void **state)
{
    (void)state;
    unsigned seed = 12345;
    const double odd[8] = {NAN, INFINITY, -INFINITY, -1, 0, 1e300, -1e-300, 3};
    char msg[HS_PLOT_MSG_MAX];
    for (int iter = 0; iter < 300; iter++) {
        struct hs_figure *f = hs_figure_new();
        double x[6], y[6], e[6], z[25];
        int cat[6];
        for (int i = 0; i < 6; i++) {
            seed = seed * 1103515245u + 12345u;
            x[i] = i + ((seed >> 16) % 4 == 0 ? odd[(seed >> 8) % 8] : 0);
            y[i] = (seed >> 20) % 3 == 0 ? odd[(seed >> 4) % 8] : (double)((seed >> 12) % 100);
            e[i] = (seed >> 3) % 5 == 0 ? NAN : 2;
            cat[i] = (int)((seed >> 10) % 20) - 5;
        }
        for (int i = 0; i < 25; i++)
            z[i] = i % 7 == 0 ? NAN : i - 10;
        double edges[7] = {0, 1, 2, 3, 4, 5, 6};
        struct hs_series s = {.kind = (enum hs_series_kind)(iter % 5), .n = (size_t)(iter % 6),
                              .x = iter % 5 == 0 ? edges : x, .y = y, .yerr = e, .cat = cat,
                              .nx = 5, .ny = 5, .z = z, .label = "s", .stack = iter % 2,
                              .style = (enum hs_hist_style)(iter / 5 % 2), .zvalues = true,
                              .zdiverging = iter % 3 == 0};
        if (s.kind == HS_SERIES_HEATMAP)
            s.x = s.y = edges;
        hs_panel_add(&f->main, &s, msg);
        hs_panel_add(&f->main, &s, msg);
        f->main.y.scale = iter % 4 == 1 ? HS_AXIS_LOG : HS_AXIS_LINEAR;
        f->main.x.scale = iter % 7 == 3 ? HS_AXIS_LOG : HS_AXIS_LINEAR;
        f->has_ratio = iter % 3 == 2;
        hs_panel_add(&f->ratio, &s, msg);
        hs_figure_set_string(&f->title, "a rather long title that does not fit", NULL);
        hs_figure_set_string(&f->text, "free text \u00b5", NULL);
        int w = 4 + iter % 70, h = 3 + iter % 25;
        struct hs_canvas *c = hs_canvas_new(w, h, (enum hs_canvas_mode)(iter % 3), msg);
        assert_non_null(c);
        (void)hs_canvas_render(c, f, msg);
        char *t = hs_canvas_to_text(c), *a = hs_canvas_to_ansi(c);
        assert_non_null(t);
        assert_non_null(a);
        free(t);
        free(a);
        hs_canvas_free(c);
        hs_figure_free(f);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_hists),
        cmocka_unit_test(test_golden_ratio),
        cmocka_unit_test(test_golden_heatmap),
        cmocka_unit_test(test_golden_log),
        cmocka_unit_test(test_braille_bits),
        cmocka_unit_test(test_tallest_bin),
        cmocka_unit_test(test_later_series_wins),
        cmocka_unit_test(test_heatmap_colors),
        cmocka_unit_test(test_modes_and_errors),
        cmocka_unit_test(test_scatter_line),
        cmocka_unit_test(test_robustness),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

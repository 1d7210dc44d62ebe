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
    /* three points: marker glyphs, one per category (its palette index in
     * the glyph list: 3 a circle, 4 a diamond, 5 a triangle) */
    for (int r = 0; r < c->height; r++)
        for (int q = 0; q < c->width; q++) {
            const struct hs_cell *cell = hs_canvas_cell(c, q, r);
            if (cell->color >= 3 && cell->color <= 5) {
                seen[cell->color]++;
                assert_string_equal(cell->glyph, cell->color == 3   ? "\u25cb"
                                                 : cell->color == 4 ? "\u25c6"
                                                                    : "\u25b2");
            }
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
        struct hs_series s = {.kind = (enum hs_series_kind)(iter % 6), .n = (size_t)(iter % 6),
                              .x = iter % 6 == 0 || iter % 6 == 5 ? edges : x, .y = y, .yerr = e, .cat = cat,
                              .nx = 5, .ny = 5, .z = z, .label = "s", .stack = iter % 2,
                              .style = (enum hs_hist_style)(iter / 5 % 2), .zvalues = true,
                              .zdiverging = iter % 3 == 0, .zlog = iter % 4 == 2};
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


/* ---- layers, legend, glyphs (issue 13) ---- */

/* The plot area of a canvas rendered without a ratio panel: columns
 * [*x0, *x1) and rows [*y0, *y1), from the axes' corner and the y axis
 * line above it. */
static void
plot_area(const struct hs_canvas *c, int *x0, int *y0, int *x1, int *y1)
{
    int cx, ax;
    find_axes(c, &cx, &ax);
    *x0 = cx;
    *y1 = ax;
    *y0 = ax;
    while (*y0 > 0) {
        unsigned u = code_point(hs_canvas_cell(c, cx - 1, *y0 - 1));
        if (u != 0x2502 && u != 0x2524 && u != '|' && u != '+')
            break;
        (*y0)--;
    }
    *x1 = cx;
    while (*x1 < c->width) {
        unsigned u = code_point(hs_canvas_cell(c, *x1, ax));
        if (u != 0x2500 && u != 0x252C && u != '-' && u != '+')
            break;
        (*x1)++;
    }
}

static bool
blank(const struct hs_cell *cell)
{
    return strcmp(cell->glyph, " ") == 0;
}

/* A filled background and a signal outline over 10 bins. */
static struct hs_figure *
fig_pair(const double *bkgy, const double *sigy, const char *siglabel)
{
    struct hs_figure *f = hs_figure_new();
    struct hs_series s = {.kind = HS_SERIES_HIST, .label = "background", .color = HS_PAL_BACKGROUND,
                          .style = HS_HIST_FILLED, .n = 10, .x = edges10, .y = (double *)bkgy};
    struct hs_series t = {.kind = HS_SERIES_HIST, .label = (char *)siglabel,
                          .color = HS_PAL_SIGNAL, .n = 10, .x = edges10, .y = (double *)sigy};
    hs_panel_add(&f->main, &s, NULL);
    hs_panel_add(&f->main, &t, NULL);
    return f;
}

/* A falling spectrum with a rising second series: ink in the top left and
 * the bottom corners, none in the top right. */
static struct hs_figure *
fig_falling(void)
{
    static const double a[10] = {100, 70, 50, 35, 25, 18, 12, 8, 5, 3};
    static const double b[10] = {1, 2, 3, 5, 8, 12, 18, 25, 30, 31};
    struct hs_figure *f = fig_pair(a, b, "signal");
    hs_figure_set_string(&f->main.y.label, "Events", NULL);
    return f;
}

/* Flat filled histograms up to the top of a fixed range: every corner of
 * the plot holds data. */
static struct hs_figure *
fig_full(void)
{
    static const double a[10] = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100};
    static const double b[10] = {60, 90, 60, 90, 60, 90, 60, 90, 60, 90};
    struct hs_figure *f = fig_pair(a, b, "signal with a long name");
    f->main.y.fixed = true;
    f->main.y.lo = 0;
    f->main.y.hi = 100;
    return f;
}

/* At 80 x 24 the legend never covers data: its cells, compared with the
 * data cells of the same figure drawn without a legend, in a figure with a
 * free corner (the legend goes there) and one without (it goes above). */
static void
test_legend_avoids_data(void **state)
{
    (void)state;
    enum hs_canvas_mode modes[2] = {HS_CANVAS_BRAILLE, HS_CANVAS_ASCII};
    for (int m = 0; m < 2; m++) {
        struct hs_figure *f = fig_falling();
        struct hs_canvas *c = render(f, 80, 24, modes[m]);
        f->legend = false;
        struct hs_canvas *d = render(f, 80, 24, modes[m]);
        int x0, y0, x1, y1;
        plot_area(d, &x0, &y0, &x1, &y1);
        /* the data: ink in the top left corner (under the headroom), none
         * in the top right */
        assert_false(blank(hs_canvas_cell(d, x0 + 1, y0 + 4)));
        assert_true(c->legend_w > 0 && c->legend_h == 2);
        /* the legend is inside the plot, over no data cell */
        assert_true(c->legend_x >= x0 && c->legend_x + c->legend_w <= x1);
        assert_true(c->legend_y >= y0 && c->legend_y + c->legend_h <= y1);
        for (int y = c->legend_y; y < c->legend_y + c->legend_h; y++)
            for (int x = c->legend_x; x < c->legend_x + c->legend_w; x++)
                if (!blank(hs_canvas_cell(d, x, y)))
                    fail_msg("legend cell %d,%d covers data '%s'", x, y,
                             hs_canvas_cell(d, x, y)->glyph);
        /* the top right it is, where there is room */
        assert_true(c->legend_x + c->legend_w > (x0 + x1) / 2 && c->legend_y == y0);
        hs_canvas_free(c);
        hs_canvas_free(d);
        hs_figure_free(f);

        f = fig_full();
        c = render(f, 80, 24, modes[m]);
        f->legend = false;
        d = render(f, 80, 24, modes[m]);
        /* no corner is free of data ... */
        plot_area(d, &x0, &y0, &x1, &y1);
        assert_false(blank(hs_canvas_cell(d, x0 + 1, y0)));
        assert_false(blank(hs_canvas_cell(d, x1 - 2, y0)));
        assert_false(blank(hs_canvas_cell(d, x0 + 1, y1 - 1)));
        assert_false(blank(hs_canvas_cell(d, x1 - 2, y1 - 1)));
        /* ... so the legend sits above the plot, and reads "glyph name" */
        plot_area(c, &x0, &y0, &x1, &y1);
        assert_true(c->legend_w > 0);
        assert_true(c->legend_y + c->legend_h <= y0);
        char *t = hs_canvas_to_text(c);
        assert_non_null(strstr(t, modes[m] == HS_CANVAS_ASCII ? "o background" : "\u25cf background"));
        assert_non_null(strstr(t, "+ signal with a long name"));
        free(t);
        hs_canvas_free(c);
        hs_canvas_free(d);
        hs_figure_free(f);
    }
}

/* The glyphs of the cells of a plot area, outside the legend. */
static int
glyph_count(const struct hs_canvas *c, const char *g)
{
    int x0, y0, x1, y1, n = 0;
    plot_area(c, &x0, &y0, &x1, &y1);
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            bool in_legend = x >= c->legend_x && x < c->legend_x + c->legend_w &&
                             y >= c->legend_y && y < c->legend_y + c->legend_h;
            n += !in_legend && strcmp(hs_canvas_cell(c, x, y)->glyph, g) == 0;
        }
    return n;
}

/* Without colour, four curves of one colour differ by the glyphs on them,
 * each its own, and each legend entry starts with its curve's glyph. */
static void
test_mono_glyphs(void **state)
{
    (void)state;
    static const char *const names[4] = {"first", "second", "third", "fourth"};
    static const char *const uni[4] = {"\u25cf", "+", "\u00d7", "\u25cb"};
    static const char *const asc[4] = {"o", "+", "x", "*"};
    double x[2] = {0, 10}, y[4][2] = {{9, 9}, {7, 6}, {4, 5}, {1, 2}};
    struct hs_figure *f = hs_figure_new();
    f->main.y.fixed = true;
    f->main.y.lo = 0;
    f->main.y.hi = 12;
    for (int k = 0; k < 4; k++) {
        struct hs_series s = {.kind = HS_SERIES_LINE, .label = (char *)names[k], .color = 0,
                              .n = 2, .x = x, .y = y[k]};
        hs_panel_add(&f->main, &s, NULL);
    }
    enum hs_canvas_mode modes[2] = {HS_CANVAS_BRAILLE, HS_CANVAS_ASCII};
    for (int m = 0; m < 2; m++) {
        const char *const *g = modes[m] == HS_CANVAS_ASCII ? asc : uni;
        char msg[HS_PLOT_MSG_MAX];
        struct hs_canvas *c = hs_canvas_new(80, 24, modes[m], msg);
        c->mono = true;
        assert_int_equal(hs_canvas_render(c, f, msg), 0);
        char *t = hs_canvas_to_text(c);
        for (int k = 0; k < 4; k++) {
            char entry[64];
            snprintf(entry, sizeof entry, "%s %s", g[k], names[k]);
            if (!strstr(t, entry))
                fail_msg("no legend entry '%s' in\n%s", entry, t);
            /* on the curve: at least three of its glyphs (the ASCII curve is
             * drawn with it), and no other curve's */
            if (glyph_count(c, g[k]) < 3)
                fail_msg("curve %d has %d '%s' glyphs:\n%s", k, glyph_count(c, g[k]), g[k], t);
        }
        /* each glyph on the row of its own curve only: the first curve is
         * flat at 9 of 12, so its glyphs lie in the top quarter */
        int x0, y0, x1, y1;
        plot_area(c, &x0, &y0, &x1, &y1);
        for (int yy = y0; yy < y1; yy++)
            for (int xx = x0; xx < x1; xx++)
                if (strcmp(hs_canvas_cell(c, xx, yy)->glyph, g[0]) == 0 &&
                    !(yy >= c->legend_y && yy < c->legend_y + c->legend_h))
                    assert_true(yy < y0 + (y1 - y0) / 3);
        free(t);
        hs_canvas_free(c);
    }
    hs_figure_free(f);
}

/* Colour mode too: the legend starts with the series' glyph. */
static void
test_legend_glyph_in_colour(void **state)
{
    (void)state;
    struct hs_figure *f = fig_two_hists();
    struct hs_canvas *c = render(f, 60, 20, HS_CANVAS_BRAILLE);
    char *t = hs_canvas_to_text(c);
    assert_non_null(strstr(t, "\u25cf background"));
    assert_non_null(strstr(t, "+ signal"));
    /* the glyph has its series' colour, the name the default one */
    const struct hs_cell *g = hs_canvas_cell(c, c->legend_x, c->legend_y);
    assert_string_equal(g->glyph, "\u25cf");
    assert_int_equal(g->color, HS_PAL_BACKGROUND);
    assert_int_equal(hs_canvas_cell(c, c->legend_x + 2, c->legend_y)->color, -1);
    free(t);
    hs_canvas_free(c);
    hs_figure_free(f);
}

/* The signal's outline inside the background's fill keeps its shape and
 * colour: cells of the signal's colour whose neighbours above and below
 * are the background's fill, holding only some of the 8 dots. */
static void
test_outline_under_fill(void **state)
{
    (void)state;
    static const double flat[10] = {20, 20, 20, 20, 20, 20, 20, 20, 20, 20};
    static const double wave[10] = {4, 8, 12, 16, 12, 8, 4, 8, 12, 16};
    struct hs_figure *f = fig_pair(flat, wave, "signal");
    for (int mono = 0; mono < 2; mono++) {
        char msg[HS_PLOT_MSG_MAX];
        struct hs_canvas *c = hs_canvas_new(70, 22, HS_CANVAS_BRAILLE, msg);
        c->mono = mono;
        assert_int_equal(hs_canvas_render(c, f, msg), 0);
        int x0, y0, x1, y1, inside = 0, cols = 0;
        plot_area(c, &x0, &y0, &x1, &y1);
        for (int x = x0; x < x1; x++) {
            int here = 0;
            for (int y = y0 + 1; y + 1 < y1; y++) {
                const struct hs_cell *cell = hs_canvas_cell(c, x, y);
                const struct hs_cell *up = hs_canvas_cell(c, x, y - 1);
                const struct hs_cell *down = hs_canvas_cell(c, x, y + 1);
                if (cell->color == HS_PAL_SIGNAL && up->color == HS_PAL_BACKGROUND &&
                    down->color == HS_PAL_BACKGROUND && code_point(up) == 0x28FF &&
                    code_point(down) == 0x28FF &&
                    (code_point(cell) != 0x28FF || mono))
                    here++;
            }
            inside += here;
            cols += here > 0;
        }
        /* the signal lies under the fill across the whole range */
        if (cols < (x1 - x0) * 3 / 4)
            fail_msg("outline visible inside the fill in %d of %d columns (mono %d)", cols,
                     x1 - x0, mono);
        hs_canvas_free(c);
    }
    hs_figure_free(f);
}

/* Data points: a marker at the value, an error bar from y - e to y + e
 * (ASCII: one cell a unit on a fixed range), visible over a fill. */
static void
test_points_error_bars(void **state)
{
    (void)state;
    double bx[2] = {0, 10}, by[1] = {20}, px[1] = {5}, py[1] = {10}, pe[1] = {3};
    struct hs_figure *f = hs_figure_new();
    f->legend = false;
    f->main.y.fixed = f->main.x.fixed = true;
    f->main.y.lo = 0;
    f->main.y.hi = 20;
    f->main.x.lo = 0;
    f->main.x.hi = 10;
    struct hs_series b = {.kind = HS_SERIES_HIST, .color = HS_PAL_BACKGROUND,
                          .style = HS_HIST_FILLED, .n = 1, .x = bx, .y = by};
    struct hs_series d = {.kind = HS_SERIES_POINTS, .label = "data", .color = HS_PAL_DATA, .n = 1,
                          .x = px, .y = py, .yerr = pe};
    hs_panel_add(&f->main, &b, NULL);
    hs_panel_add(&f->main, &d, NULL);
    /* 20 plot rows for 20 units: row r (0 at the top) holds y in
     * (19 - r, 20 - r] */
    struct hs_canvas *c = render(f, 41, 22, HS_CANVAS_ASCII);
    int x0, y0, x1, y1;
    plot_area(c, &x0, &y0, &x1, &y1);
    assert_int_equal(y1 - y0, 20);
    int col = -1;
    for (int x = x0; x < x1; x++)
        if (strcmp(hs_canvas_cell(c, x, y0 + 10)->glyph, "o") == 0)
            col = x;
    if (col < 0)
        fail_msg("no marker in the row of y = 10");
    /* the marker over the middle of the range */
    assert_true(abs(col - (x0 + x1) / 2) <= 1);
    /* the bar from 13 (row 7) down to 7 (row 13), the fill beyond it */
    for (int r = 7; r <= 13; r++)
        if (r != 10)
            assert_string_equal(hs_canvas_cell(c, col, y0 + r)->glyph, "|");
    assert_string_equal(hs_canvas_cell(c, col, y0 + 6)->glyph, "#");
    assert_string_equal(hs_canvas_cell(c, col, y0 + 14)->glyph, "#");
    hs_canvas_free(c);
    /* braille: the marker glyph over the fill, a braille bar above it */
    c = render(f, 41, 22, HS_CANVAS_BRAILLE);
    plot_area(c, &x0, &y0, &x1, &y1);
    int marks = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            if (strcmp(hs_canvas_cell(c, x, y)->glyph, "\u25cf") == 0) {
                marks++;
                assert_int_equal(y, y0 + 10);
                const struct hs_cell *above = hs_canvas_cell(c, x, y - 2);
                assert_true(is_braille(above) && code_point(above) != 0x28FF);
                assert_int_equal(above->color, HS_PAL_DATA);
                assert_int_equal(code_point(hs_canvas_cell(c, x, y - 4)), 0x28FF);
            }
    assert_int_equal(marks, 1);
    hs_canvas_free(c);
    hs_figure_free(f);
}

/* A band: hatched cells of its colour from y - e to y + e only. */
static void
test_band_cells(void **state)
{
    (void)state;
    double y[10], e[10];
    for (int i = 0; i < 10; i++) {
        y[i] = 10;
        e[i] = 4;
    }
    struct hs_figure *f = hs_figure_new();
    f->main.y.fixed = true;
    f->main.y.lo = 0;
    f->main.y.hi = 20;
    struct hs_series b = {.kind = HS_SERIES_BAND, .label = "stat. unc.", .color = HS_PAL_CAT0,
                          .n = 10, .x = edges10, .y = y, .yerr = e};
    hs_panel_add(&f->main, &b, NULL);
    enum hs_canvas_mode modes[2] = {HS_CANVAS_BRAILLE, HS_CANVAS_ASCII};
    for (int m = 0; m < 2; m++) {
        struct hs_canvas *c = render(f, 41, 22, modes[m]);
        int x0, y0, x1, y1;
        plot_area(c, &x0, &y0, &x1, &y1);
        assert_int_equal(y1 - y0, 20);
        for (int r = 0; r < 20; r++) {
            int n = 0;
            for (int x = x0; x < x1; x++) {
                const struct hs_cell *cell = hs_canvas_cell(c, x, y0 + r);
                bool legend = y0 + r >= c->legend_y && y0 + r < c->legend_y + c->legend_h &&
                              x >= c->legend_x;
                if (legend || blank(cell))
                    continue;
                assert_int_equal(cell->color, HS_PAL_CAT0);
                /* hatched: never a full cell */
                if (modes[m] == HS_CANVAS_BRAILLE)
                    assert_true(is_braille(cell) && code_point(cell) != 0x28FF);
                else
                    assert_string_equal(cell->glyph, "/");
                n++;
            }
            /* rows 6 to 14 hold y in (5, 14] */
            if (r >= 6 && r <= 14)
                assert_true(n >= (x1 - x0) / 3);
            else
                assert_int_equal(n, 0);
        }
        /* in the legend as a hatched box */
        char *t = hs_canvas_to_text(c);
        assert_non_null(strstr(t, modes[m] == HS_CANVAS_ASCII ? "/ stat. unc." : "\u25a8 stat. unc."));
        free(t);
        hs_canvas_free(c);
    }
    /* the band is in the data range */
    double lo, hi;
    f->main.y.fixed = false;
    assert_true(hs_panel_data_range(&f->main, 1, &lo, &hi));
    assert_true(fabs(lo - 6) < 1e-12 && fabs(hi - 14) < 1e-12);
    assert_true(hs_panel_data_range(&f->main, 0, &lo, &hi));
    assert_true(fabs(lo - 0) < 1e-12 && fabs(hi - 100) < 1e-12);
    hs_figure_free(f);
}

static int
rgb_of(struct hs_rgb c)
{
    return ((int)lround(c.r * 255) << 16) | ((int)lround(c.g * 255) << 8) | (int)lround(c.b * 255);
}

/* A log colour scale: 1, 10, 100 at the bottom, middle and top of viridis,
 * cells of 0 and below empty. */
static void
test_zlog_cells(void **state)
{
    (void)state;
    double x[4] = {0, 1, 2, 3}, y[2] = {0, 1};
    double z[3 * 1] = {1, 10, 100};
    struct hs_figure *f = hs_figure_new();
    struct hs_series h = {.kind = HS_SERIES_HEATMAP, .nx = 3, .ny = 1, .x = x, .y = y, .z = z,
                          .zlog = true};
    hs_panel_add(&f->main, &h, NULL);
    struct hs_canvas *c = render(f, 40, 10, HS_CANVAS_BRAILLE);
    int cx, ax;
    find_axes(c, &cx, &ax);
    /* the plot is 3 bins wide; the middle of each third */
    int x1 = cx;
    while (code_point(hs_canvas_cell(c, x1, ax)) == 0x2500 ||
           code_point(hs_canvas_cell(c, x1, ax)) == 0x252C)
        x1++;
    int w = x1 - cx;
    double t[3] = {0, 0.5, 1};
    for (int i = 0; i < 3; i++) {
        const struct hs_cell *cell = hs_canvas_cell(c, cx + (int)((i + 0.5) * w / 3), ax - 2);
        assert_int_equal(cell->rgb, rgb_of(hs_palette_sequential(t[i])));
        /* the smallest count is not blank */
        assert_false(blank(cell));
    }
    /* the colour bar's labels are decades */
    char *txt = hs_canvas_to_text(c);
    assert_non_null(strstr(txt, "10^2"));
    assert_non_null(strstr(txt, "10^0"));
    free(txt);
    hs_canvas_free(c);
    hs_figure_free(f);
    /* zero and negative cells stay empty; the scale is the positive ones' */
    double z2[3] = {0, -5, 1000};
    double z3[3] = {10, 100, 1000};
    f = hs_figure_new();
    struct hs_series g = h;
    g.z = z2;
    hs_panel_add(&f->main, &g, NULL);
    g.z = z3;
    g.y = (double[2]){1, 2};
    hs_panel_add(&f->main, &g, NULL);
    c = render(f, 40, 12, HS_CANVAS_BRAILLE);
    find_axes(c, &cx, &ax);
    for (int i = 0; i < 2; i++) {
        const struct hs_cell *cell = hs_canvas_cell(c, cx + (int)((i + 0.5) * w / 3), ax - 1);
        assert_true(blank(cell));
        assert_int_equal(cell->rgb, -1);
    }
    hs_canvas_free(c);
    hs_figure_free(f);
}

/* The experiment's label: the name bold and the rest plain at the left,
 * the part after the comma at the right, "^-1" raised. */
static void
test_experiment_label(void **state)
{
    (void)state;
    char name[64], rest[64], right[64];
    hs_figure_experiment_parts("CMS Open Data, 11.6 fb^-1 (8 TeV)", true, name, rest, right,
                               sizeof name);
    assert_string_equal(name, "CMS");
    assert_string_equal(rest, " Open Data");
    assert_string_equal(right, "11.6 fb\u207b\u00b9 (8 TeV)");
    hs_figure_experiment_parts("ATLAS Internal, 140 fb^{-1}", true, name, rest, right,
                               sizeof name);
    assert_string_equal(right, "140 fb\u207b\u00b9");
    hs_figure_experiment_parts("  ATLAS  ", false, name, rest, right, sizeof name);
    assert_string_equal(name, "ATLAS");
    assert_string_equal(rest, "");
    assert_string_equal(right, "");
    hs_figure_experiment_parts("LHCb, 2 fb^-1", false, name, rest, right, 8);
    assert_string_equal(right, "2 fb^-1");
    struct hs_figure *f = fig_two_hists();
    hs_figure_set_string(&f->experiment, "CMS Open Data, 11.6 fb^-1 (8 TeV)", NULL);
    struct hs_canvas *c = render(f, 80, 24, HS_CANVAS_BRAILLE);
    char *t = hs_canvas_to_text(c);
    char *line = strstr(t, "CMS Open Data");
    assert_non_null(line);
    assert_non_null(strstr(t, "11.6 fb\u207b\u00b9 (8 TeV)"));
    /* "CMS" bold, " Open Data" not; both in the first column's row */
    int row = 0;
    for (char *p = t; p < line; p++)
        row += *p == '\n';
    assert_true(hs_canvas_cell(c, 0, row)->bold && hs_canvas_cell(c, 2, row)->bold);
    assert_false(hs_canvas_cell(c, 4, row)->bold);
    /* the title keeps its row; the label does not cover it */
    assert_non_null(strstr(t, "m_jj"));
    free(t);
    hs_canvas_free(c);
    hs_figure_free(f);
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
        cmocka_unit_test(test_legend_avoids_data),
        cmocka_unit_test(test_mono_glyphs),
        cmocka_unit_test(test_legend_glyph_in_colour),
        cmocka_unit_test(test_outline_under_fill),
        cmocka_unit_test(test_points_error_bars),
        cmocka_unit_test(test_band_cells),
        cmocka_unit_test(test_zlog_cells),
        cmocka_unit_test(test_experiment_label),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

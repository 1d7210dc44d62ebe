/* test_cairo.c: figures saved as PNG, SVG and PDF through cairo.
 *
 * Fixed figures are rendered into a temporary folder (kept, for looking at
 * them, when HS_TEST_KEEP names a folder to use instead) and checked from
 * the outside:
 * - PNG, read back with libpng: size, the tEXt chunks, the resolution, the
 *   frame found from its dark lines, the signal colour where the tallest
 *   bin's top must be (by the frame and the fixed axis ranges) and nowhere
 *   above it, dark text pixels above the frame only when there is a title,
 *   and the alpha-blended colour inside a filled bar.
 * - SVG: the XML declaration, <svg ... </svg>, width and height in points.
 *   cairo draws text as glyph symbols (<symbol id="glyph...">) used with
 *   <use xlink:href="#glyph...">, not as text, so the title is checked by
 *   counting glyph uses: adding the title must add one use per character
 *   of it (cairo emits a space as an empty glyph too).
 * - PDF: %PDF- at the start, %%EOF at the end, the MediaBox in points, the
 *   title and creator in the document information (cairo compresses the
 *   page, so the drawn text is not searchable).
 * - Errors: an unknown extension and an unwritable folder give -1 and a
 *   message, and leave no file behind.
 */
#include "config.h"

#include <dirent.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "plots/cairo_render.h"
#include "plots/figure.h"
#include "plots/palette.h"
#include "plots/png_write.h"
#include "par.h"

#define W 800
#define H 500
#define DPI 100.0
#define CMD "hepscope plot hist m_mumu --bins 10 -o test.png"

static char dir[512];
static bool keep;

static char *
path_in(const char *name)
{
    static char buf[4][1024];
    static int k;

    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static int
setup_dir(void **state)
{
    const char *env = getenv("HS_TEST_KEEP");

    (void)state;
    if (env && *env) {
        snprintf(dir, sizeof dir, "%s", env);
        mkdir(dir, 0777);
        keep = true;
        return 0;
    }
    snprintf(dir, sizeof dir, "%s/hs-cairo-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int
teardown_dir(void **state)
{
    DIR *d;
    struct dirent *e;

    (void)state;
    hs_cairo_release();
    if (keep)
        return 0;
    d = opendir(dir);
    if (d) {
        while ((e = readdir(d)))
            if (e->d_name[0] != '.')
                unlink(path_in(e->d_name));
        closedir(d);
    }
    rmdir(dir);
    return 0;
}

/* --- figures --------------------------------------------------------------- */

static const double edges[11] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
/* The tallest bin is bin 6 (x in [6, 7]) at 80. */
static const double sig[10] = {5, 10, 20, 35, 50, 65, 80, 45, 20, 8};

static void
add_hist(struct hs_panel *p, const double *y, int color, enum hs_hist_style style, double alpha,
         int stack, const char *label)
{
    struct hs_series s = {.kind = HS_SERIES_HIST, .label = (char *)label, .color = color,
                          .alpha = alpha, .style = style, .stack = stack, .n = 10,
                          .x = (double *)edges, .y = (double *)y};

    assert_non_null(hs_panel_add(p, &s, NULL));
}

/* One signal histogram (steps) on fixed axes x [0, 10], y [0, 100]. */
static struct hs_figure *
fig_signal(const char *title, enum hs_hist_style style)
{
    struct hs_figure *f = hs_figure_new();

    assert_non_null(f);
    assert_int_equal(hs_figure_set_string(&f->title, title, NULL), 0);
    assert_int_equal(hs_figure_set_string(&f->main.x.label, "m [GeV]", NULL), 0);
    assert_int_equal(hs_figure_set_string(&f->main.y.label, "Events / GeV", NULL), 0);
    f->main.x.fixed = f->main.y.fixed = true;
    f->main.x.lo = 0;
    f->main.x.hi = 10;
    f->main.y.lo = 0;
    f->main.y.hi = 100;
    f->legend = false;
    add_hist(&f->main, sig, HS_PAL_SIGNAL, style, 0.5, 0, "signal");
    return f;
}

/* Data over stacked simulation with a ratio panel: the full HEP picture. */
static struct hs_figure *
fig_data_mc(bool logy)
{
    struct hs_figure *f = hs_figure_new();
    double centres[10], data[10], err[10], ratio[10], rerr[10];
    static const double qcd[10] = {40, 36, 30, 25, 20, 16, 12, 9, 7, 5};
    static const double top[10] = {3, 6, 10, 14, 16, 15, 12, 8, 5, 3};
    static const double zz[10] = {1, 2, 4, 8, 15, 30, 12, 5, 2, 1};
    struct hs_series pts = {.kind = HS_SERIES_POINTS, .label = "Data", .color = HS_PAL_DATA,
                            .n = 10, .x = centres, .y = data, .yerr = err};
    struct hs_series rpts = pts;

    assert_non_null(f);
    hs_figure_set_string(&f->title, "Dimuon invariant mass", NULL);
    hs_figure_set_string(&f->text, "hepscope demo, 220k events", NULL);
    hs_figure_set_string(&f->main.y.label, "Events / 1 GeV", NULL);
    hs_figure_set_string(&f->main.x.label, "m_mumu [GeV]", NULL);
    hs_figure_set_string(&f->ratio.y.label, "Data / MC", NULL);
    add_hist(&f->main, qcd, HS_PAL_CAT0, HS_HIST_FILLED, 0.75, 1, "QCD");
    add_hist(&f->main, top, HS_PAL_CAT0 + 1, HS_HIST_FILLED, 0.75, 1, "ttbar");
    add_hist(&f->main, zz, HS_PAL_BACKGROUND, HS_HIST_FILLED, 0.75, 1, "ZZ");
    add_hist(&f->main, sig, HS_PAL_SIGNAL, HS_HIST_STEP, 1, 0, "signal (x0.5)");
    for (int i = 0; i < 10; i++) {
        double mc = qcd[i] + top[i] + zz[i];

        centres[i] = i + 0.5;
        data[i] = round(mc * (1 + 0.08 * sin(i)));
        err[i] = sqrt(data[i]);
        ratio[i] = data[i] / mc;
        rerr[i] = err[i] / mc;
    }
    assert_non_null(hs_panel_add(&f->main, &pts, NULL));
    rpts.label = NULL;
    rpts.y = ratio;
    rpts.yerr = rerr;
    f->has_ratio = true;
    assert_non_null(hs_panel_add(&f->ratio, &rpts, NULL));
    f->main.y.scale = logy ? HS_AXIS_LOG : HS_AXIS_LINEAR;
    return f;
}

static struct hs_figure *
fig_corr(void)
{
    static const char *names[5] = {"m_mumu", "pt_lead", "eta_lead", "met", "njets"};
    double e[6], z[25];
    struct hs_series s = {.kind = HS_SERIES_HEATMAP, .nx = 5, .ny = 5, .x = e, .y = e, .z = z,
                          .zvalues = true, .zdiverging = true, .xnames = (char **)names, .ynames = (char **)names,
                          .zlabel = "correlation"};
    struct hs_figure *f = hs_figure_new();

    for (int i = 0; i < 6; i++)
        e[i] = i;
    for (int j = 0; j < 5; j++)
        for (int i = 0; i < 5; i++)
            z[j * 5 + i] = i == j ? 1 : cos(1.3 * (i + 1) * (j + 2)) * 0.8;
    z[1 * 5 + 0] = z[0 * 5 + 1] = -0.65;
    hs_figure_set_string(&f->title, "Correlations (signal)", NULL);
    assert_non_null(hs_panel_add(&f->main, &s, NULL));
    return f;
}

static struct hs_figure *
fig_hist2d(void)
{
    double xe[41], ye[31], z[40 * 30];
    struct hs_series s = {.kind = HS_SERIES_HEATMAP, .nx = 40, .ny = 30, .x = xe, .y = ye,
                          .z = z, .zlabel = "Events"};
    struct hs_figure *f = hs_figure_new();

    for (int i = 0; i <= 40; i++)
        xe[i] = -2 + 0.1 * i;
    for (int j = 0; j <= 30; j++)
        ye[j] = 0 + 5 * j;
    for (int j = 0; j < 30; j++)
        for (int i = 0; i < 40; i++) {
            double x = xe[i] + 0.05, y = ye[j] + 2.5;

            z[j * 40 + i] = round(1000 * exp(-x * x / 0.5 - (y - 60) * (y - 60) / 800));
        }
    z[0] = NAN;
    hs_figure_set_string(&f->title, "pt_lead vs eta_lead", NULL);
    hs_figure_set_string(&f->main.x.label, "eta_lead", NULL);
    hs_figure_set_string(&f->main.y.label, "pt_lead [GeV]", NULL);
    assert_non_null(hs_panel_add(&f->main, &s, NULL));
    return f;
}

static struct hs_figure *
fig_scatter(void)
{
    double x[300], y[300], lx[50], ly[50];
    int cat[300];
    struct hs_series s = {.kind = HS_SERIES_SCATTER, .label = "events", .color = HS_PAL_CAT0,
                          .n = 300, .x = x, .y = y, .cat = cat, .alpha = 0.8};
    struct hs_series l = {.kind = HS_SERIES_LINE, .label = "fit", .color = HS_PAL_DATA,
                          .n = 50, .x = lx, .y = ly};
    struct hs_figure *f = hs_figure_new();

    for (int i = 0; i < 300; i++) {
        cat[i] = i % 3 == 0 ? HS_PAL_SIGNAL : i % 3 == 1 ? HS_PAL_BACKGROUND : HS_PAL_CAT0;
        x[i] = (i % 3) * 2 + 1.5 * sin(i * 0.7);
        y[i] = 2e4 * (1 + (i % 3)) + 8e3 * cos(i * 1.3);
    }
    for (int i = 0; i < 50; i++) {
        lx[i] = -2 + 8.0 * i / 49;
        ly[i] = 2e4 + 2e4 * (lx[i] / 4) + 3e3 * sin(lx[i]);
    }
    hs_figure_set_string(&f->title, "Clusters", NULL);
    hs_figure_set_string(&f->main.x.label, "feature 1", NULL);
    hs_figure_set_string(&f->main.y.label, "feature 2 [MeV]", NULL);
    assert_non_null(hs_panel_add(&f->main, &s, NULL));
    assert_non_null(hs_panel_add(&f->main, &l, NULL));
    return f;
}

/* --- reading files ---------------------------------------------------------- */

struct image {
    png_uint_32 w, h;
    unsigned char *rgba; /* w * h * 4 */
    char command[512], software[128];
    png_uint_32 ppm_x;
    int unit, color_type;
};

static void
read_png(const char *path, struct image *im)
{
    FILE *fp = fopen(path, "rb");
    png_structp png;
    png_infop info;
    png_textp text;
    int ntext = 0, unit = 0;
    png_uint_32 py = 0;

    assert_non_null(fp);
    memset(im, 0, sizeof *im);
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    info = png_create_info_struct(png);
    assert_non_null(info);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("libpng could not read %s", path);
    png_init_io(png, fp);
    png_read_info(png, info);
    im->w = png_get_image_width(png, info);
    im->h = png_get_image_height(png, info);
    assert_int_equal(png_get_bit_depth(png, info), 8);
    /* RGB when every pixel is opaque, else RGBA: read both as RGBA */
    im->color_type = png_get_color_type(png, info);
    assert_true(im->color_type == PNG_COLOR_TYPE_RGB_ALPHA || im->color_type == PNG_COLOR_TYPE_RGB);
    if (im->color_type == PNG_COLOR_TYPE_RGB)
        png_set_filler(png, 0xff, PNG_FILLER_AFTER);
    png_read_update_info(png, info);
    png_get_pHYs(png, info, &im->ppm_x, &py, &unit);
    im->unit = unit;
    im->rgba = malloc((size_t)im->w * im->h * 4);
    assert_non_null(im->rgba);
    for (png_uint_32 y = 0; y < im->h; y++)
        png_read_row(png, im->rgba + (size_t)y * im->w * 4, NULL);
    png_read_end(png, info);
    png_get_text(png, info, &text, &ntext);
    for (int i = 0; i < ntext; i++) {
        if (strcmp(text[i].key, "Command") == 0)
            snprintf(im->command, sizeof im->command, "%s", text[i].text);
        if (strcmp(text[i].key, "Software") == 0)
            snprintf(im->software, sizeof im->software, "%s", text[i].text);
    }
    png_destroy_read_struct(&png, &info, NULL);
    fclose(fp);
}

static const unsigned char *
px(const struct image *im, long x, long y)
{
    return im->rgba + ((size_t)y * im->w + (size_t)x) * 4;
}

static bool
dark(const unsigned char *p)
{
    return p[0] < 100 && p[1] < 100 && p[2] < 100;
}

static bool
near_rgb(const unsigned char *p, double r, double g, double b, int tol)
{
    return abs(p[0] - (int)lround(255 * r)) <= tol && abs(p[1] - (int)lround(255 * g)) <= tol &&
           abs(p[2] - (int)lround(255 * b)) <= tol;
}

/* The frame: the outermost rows and columns that are mostly dark. */
static void
find_frame(const struct image *im, long *x0, long *y0, long *x1, long *y1)
{
    *x0 = *y0 = -1;
    *x1 = *y1 = -1;
    for (long y = 0; y < (long)im->h; y++) {
        long n = 0;

        for (long x = 0; x < (long)im->w; x++)
            n += dark(px(im, x, y));
        if (n > (long)im->w / 2) {
            if (*y0 < 0)
                *y0 = y;
            *y1 = y;
        }
    }
    for (long x = 0; x < (long)im->w; x++) {
        long n = 0;

        for (long y = 0; y < (long)im->h; y++)
            n += dark(px(im, x, y));
        if (n > (long)im->h / 2) {
            if (*x0 < 0)
                *x0 = x;
            *x1 = x;
        }
    }
    assert_true(*x0 > 0 && *x1 > *x0 + 100 && *y0 > 0 && *y1 > *y0 + 100);
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static size_t
count(const char *hay, const char *needle)
{
    size_t n = 0;

    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static size_t
files_in_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    assert_non_null(d);
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* --- tests ---------------------------------------------------------------- */

/* hs_png_write against libpng's reader, pixel by pixel: images of
 * several heights around the encoder's bands of 32 rows (one row, a band
 * and a row, many bands), with content that repeats from band to band (so
 * the preset dictionaries matter), opaque (written as RGB) and with
 * translucent pixels (RGBA, colours un-premultiplied).  The bytes must
 * not depend on the thread count. */
static bool
files_equal(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa && fb;
    int ca = 0;

    while (same && ca != EOF) {
        ca = fgetc(fa);
        same = ca == fgetc(fb);
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

static uint32_t
argb(unsigned a, unsigned r, unsigned g, unsigned b)
{
    /* premultiplied, as cairo stores them */
    r = (r * a + 127) / 255;
    g = (g * a + 127) / 255;
    b = (b * a + 127) / 255;
    return (uint32_t)a << 24 | r << 16 | g << 8 | b;
}

static void
test_png_write_roundtrip(void **state)
{
    static const int heights[] = {1, 31, 32, 33, 65, 200};
    /* bands on the helpers too, whatever the machine's load */
    bool gate = hs_par_set_gate(false);
    (void)state;
    for (size_t hi = 0; hi < sizeof heights / sizeof *heights; hi++) {
        /* kind 0 opaque, 1 translucent, 2 every channel of row y 2y:
         * after the "up" filter every byte is 2, one run through every
         * band (each band's dictionary byte continues it); 3 the same but
         * the last blue 5y, so that each band's run of 2s follows a 5,
         * which a dictionary byte other than the true one would join */
        for (int kind = 0; kind < 4; kind++) {
            int translucent = kind == 1;
            int w = 37, h = heights[hi], stride = w * 4 + 12;
            unsigned char *img = calloc((size_t)h, (size_t)stride);
            uint64_t r = 88172645463325252ULL + (uint64_t)h;
            assert_non_null(img);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    r ^= r << 13, r ^= r >> 7, r ^= r << 17;
                    /* runs and a repeating pattern, with some noise */
                    unsigned c = (unsigned)((x / 5 + y % 40) * 9) & 0xff;
                    unsigned a = translucent && (r & 7) == 0 ? (unsigned)(r >> 8 & 0xff) : 255;
                    uint32_t p = argb(a, c, (unsigned)(r >> 16) & 0x0f, 255 - c);
                    if (kind >= 2) {
                        unsigned g = 2u * (unsigned)y & 0xff;
                        p = argb(255, g, g, kind == 3 && x == w - 1 ? 5u * (unsigned)y & 0xff : g);
                    }
                    memcpy(img + (size_t)y * (size_t)stride + 4 * (size_t)x, &p, 4);
                }
            char path[64], path1[64];
            snprintf(path, sizeof path, "rt%d_%d.png", h, kind);
            snprintf(path1, sizeof path1, "rt%d_%d_1.png", h, kind);
            char msg[HS_PLOT_MSG_MAX];
            FILE *fp = fopen(path_in(path), "wb");
            assert_non_null(fp);
            assert_int_equal(hs_png_write(fp, img, w, h, stride, 0, NULL, 0, msg), 0);
            fclose(fp);
            int was = hs_par_threads();
            hs_par_set_threads(1);
            fp = fopen(path_in(path1), "wb");
            assert_non_null(fp);
            assert_int_equal(hs_png_write(fp, img, w, h, stride, 0, NULL, 0, msg), 0);
            fclose(fp);
            hs_par_set_threads(was);
            assert_true(files_equal(path_in(path), path_in(path1)));

            struct image im;
            read_png(path_in(path), &im);
            assert_int_equal(im.w, w);
            assert_int_equal(im.h, h);
            assert_int_equal(im.color_type,
                             translucent ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    uint32_t p;
                    memcpy(&p, img + (size_t)y * (size_t)stride + 4 * (size_t)x, 4);
                    unsigned a = p >> 24, want[4] = {p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff, a};
                    if (a == 0)
                        want[0] = want[1] = want[2] = 0;
                    else if (a < 255)
                        for (int k = 0; k < 3; k++) {
                            unsigned v = (want[k] * 255 + a / 2) / a;
                            want[k] = v > 255 ? 255 : v;
                        }
                    const unsigned char *got = px(&im, x, y);
                    for (int k = 0; k < 4; k++)
                        if (got[k] != want[k])
                            fail_msg("h %d: pixel (%d,%d) channel %d: %u, not %u", h, x, y, k,
                                     got[k], want[k]);
                }
            free(im.rgba);
            free(img);
        }
    }
    hs_par_set_gate(gate);
}

static void
test_png_chunks_and_size(void **state)
{
    struct hs_figure *f = fig_signal("Dimuon mass", HS_HIST_STEP);
    char msg[HS_PLOT_MSG_MAX] = "";
    struct image im;

    (void)state;
    assert_int_equal(hs_figure_save(f, path_in("signal.png"), W, H, DPI, CMD, msg), 0);
    read_png(path_in("signal.png"), &im);
    assert_int_equal(im.w, W);
    assert_int_equal(im.h, H);
    assert_string_equal(im.command, CMD);
    assert_string_equal(im.software, "hepscope " PACKAGE_VERSION);
    assert_int_equal(im.unit, PNG_RESOLUTION_METER);
    assert_int_equal(im.ppm_x, (png_uint_32)lround(DPI / 0.0254));
    /* Opaque white corners: the background is painted. */
    assert_int_equal(px(&im, 0, 0)[3], 255);
    assert_true(near_rgb(px(&im, 0, 0), 1, 1, 1, 0));
    assert_true(near_rgb(px(&im, W - 1, H - 1), 1, 1, 1, 0));
    free(im.rgba);
    hs_figure_free(f);
}

static void
test_png_tallest_bin(void **state)
{
    struct hs_figure *f = fig_signal("Dimuon mass", HS_HIST_STEP);
    struct hs_rgb c = hs_palette_color(HS_PAL_SIGNAL);
    struct image im;
    long x0, y0, x1, y1, col, ytop, first = -1;

    (void)state;
    assert_int_equal(hs_figure_save(f, path_in("tallest.png"), W, H, DPI, CMD, NULL), 0);
    read_png(path_in("tallest.png"), &im);
    find_frame(&im, &x0, &y0, &x1, &y1);
    /* Bin 6 spans x in [6, 7] of [0, 10]; its top is at 80 of [0, 100]. */
    col = lround(x0 + 6.5 / 10 * (x1 - x0));
    ytop = lround(y1 - 0.80 * (y1 - y0));
    for (long y = y0 + 6; y < y1 - 6; y++) {
        if (near_rgb(px(&im, col, y), c.r, c.g, c.b, 40)) {
            first = y;
            break;
        }
    }
    assert_true(first >= 0);
    assert_true(labs(first - ytop) <= 2);
    /* Neighbouring bins are lower, so that column holds no signal above. */
    for (long y = y0 + 6; y < ytop - 2; y++)
        assert_false(near_rgb(px(&im, col, y), c.r, c.g, c.b, 60));
    free(im.rgba);
    hs_figure_free(f);
}

static bool
dark_above_frame(const struct image *im, long x0, long x1, long y0)
{
    for (long y = 0; y < y0 - 3; y++)
        for (long x = x0; x <= x1; x++)
            if (dark(px(im, x, y)))
                return true;
    return false;
}

static void
test_png_title_pixels(void **state)
{
    struct hs_figure *f = fig_signal("Dimuon mass", HS_HIST_STEP);
    struct hs_figure *g = fig_signal(NULL, HS_HIST_STEP);
    struct image im;
    long x0, y0, x1, y1;

    (void)state;
    assert_int_equal(hs_figure_save(f, path_in("title.png"), W, H, DPI, CMD, NULL), 0);
    read_png(path_in("title.png"), &im);
    find_frame(&im, &x0, &y0, &x1, &y1);
    /* The title is centred over the frame: dark pixels in the middle third. */
    assert_true(dark_above_frame(&im, x0 + (x1 - x0) / 3, x1 - (x1 - x0) / 3, y0));
    free(im.rgba);
    assert_int_equal(hs_figure_save(g, path_in("notitle.png"), W, H, DPI, CMD, NULL), 0);
    read_png(path_in("notitle.png"), &im);
    find_frame(&im, &x0, &y0, &x1, &y1);
    assert_false(dark_above_frame(&im, x0, x1, y0));
    free(im.rgba);
    hs_figure_free(f);
    hs_figure_free(g);
}

static void
test_png_filled_blend(void **state)
{
    struct hs_figure *f = fig_signal(NULL, HS_HIST_FILLED);
    struct hs_rgb c = hs_palette_color(HS_PAL_SIGNAL);
    struct image im;
    long x0, y0, x1, y1, X, Y;

    (void)state;
    assert_int_equal(hs_figure_save(f, path_in("filled.png"), W, H, DPI, CMD, NULL), 0);
    read_png(path_in("filled.png"), &im);
    find_frame(&im, &x0, &y0, &x1, &y1);
    /* Bin 4 ([4, 5], 50 high): its middle at 25 of 100 is inside the bar,
     * where alpha 0.5 over white is 0.5 c + 0.5. */
    X = lround(x0 + 4.5 / 10 * (x1 - x0));
    Y = lround(y1 - 0.25 * (y1 - y0));
    assert_true(near_rgb(px(&im, X, Y), 0.5 * c.r + 0.5, 0.5 * c.g + 0.5, 0.5 * c.b + 0.5, 2));
    /* And above the bar (at 70 of 100) the page is white. */
    Y = lround(y1 - 0.70 * (y1 - y0));
    assert_true(near_rgb(px(&im, X, Y), 1, 1, 1, 0));
    free(im.rgba);
    hs_figure_free(f);
}

static void
test_svg(void **state)
{
    struct hs_figure *f = fig_signal("Dimuon mass", HS_HIST_STEP);
    struct hs_figure *g = fig_signal(NULL, HS_HIST_STEP);
    size_t n, m;
    char *s, *t, *end;

    (void)state;
    assert_int_equal(hs_figure_save(f, path_in("t.svg"), W, H, DPI, CMD, NULL), 0);
    assert_int_equal(hs_figure_save(g, path_in("u.svg"), W, H, DPI, CMD, NULL), 0);
    s = slurp(path_in("t.svg"), &n);
    t = slurp(path_in("u.svg"), &m);
    assert_true(strncmp(s, "<?xml", 5) == 0);
    assert_non_null(strstr(s, "<svg"));
    end = s + n;
    while (end > s && (end[-1] == '\n' || end[-1] == ' '))
        end--;
    assert_true(end - s > 6 && strncmp(end - 6, "</svg>", 6) == 0);
    assert_non_null(strstr(s, "width=\"576pt\""));   /* 800 x 72 / 100 */
    assert_non_null(strstr(s, "height=\"360pt\""));  /* 500 x 72 / 100 */
    /* "Dimuon mass" is 11 characters (the space is an empty glyph), drawn
     * as 11 glyph uses more than the same figure without a title. */
    assert_true(count(s, "<symbol") > 0);
    assert_int_equal(count(s, "xlink:href=\"#glyph") - count(t, "xlink:href=\"#glyph"), 11);
    free(s);
    free(t);
    hs_figure_free(f);
    hs_figure_free(g);
}

static void
test_pdf(void **state)
{
    struct hs_figure *f = fig_signal("Dimuon mass", HS_HIST_STEP);
    double a, b, c, d;
    size_t n;
    char *s, *mb, *end;

    (void)state;
    assert_int_equal(hs_figure_save(f, path_in("t.pdf"), W, H, DPI, CMD, NULL), 0);
    s = slurp(path_in("t.pdf"), &n);
    assert_true(n > 100 && memcmp(s, "%PDF-", 5) == 0);
    end = s + n;
    while (end > s && (end[-1] == '\n' || end[-1] == '\r'))
        end--;
    assert_true(memcmp(end - 5, "%%EOF", 5) == 0);
    /* The file holds compressed binary streams: search it with memmem. */
    mb = memmem(s, n, "/MediaBox", 9);
    assert_non_null(mb);
    assert_int_equal(sscanf(mb, "/MediaBox [ %lf %lf %lf %lf ]", &a, &b, &c, &d), 4);
    assert_true(a == 0 && b == 0 && fabs(c - 576) < 1e-9 && fabs(d - 360) < 1e-9);
    assert_non_null(memmem(s, n, "/Title (Dimuon mass)", 20));
    assert_non_null(memmem(s, n, "/Creator (hepscope " PACKAGE_VERSION ")",
                           strlen("/Creator (hepscope " PACKAGE_VERSION ")")));
    free(s);
    hs_figure_free(f);
}

/* The names a figure is saved under, as the man page gives them: the
 * last component's extension, .png, .svg or .pdf, in any case; and a
 * name the check passes is one hs_figure_save writes, in that format. */
static void
test_file_type(void **state)
{
    static const char *const yes[] = {"a.png", "A.PNG", "x.Svg", "p.pdf", "dir.d/m.tar.PdF"};
    static const char *const no[] = {"x.jpg", "noext", "dir.png/x", "x.png.txt", "", "x.pngx",
                                     "x.", "png"};
    struct hs_figure *f = fig_signal("x", HS_HIST_STEP);
    char msg[HS_PLOT_MSG_MAX] = "", head[8] = "";
    FILE *fp;

    (void)state;
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        assert_true(hs_figure_file_type_ok(yes[i]));
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        assert_false(hs_figure_file_type_ok(no[i]));
    assert_int_equal(hs_figure_save(f, path_in("Upper.PDF"), W, H, DPI, CMD, msg), 0);
    assert_non_null(fp = fopen(path_in("Upper.PDF"), "rb"));
    assert_int_equal(fread(head, 1, 5, fp), 5);
    fclose(fp);
    assert_string_equal(head, "%PDF-");
    remove(path_in("Upper.PDF"));
    hs_figure_free(f);
}

static void
test_errors(void **state)
{
    struct hs_figure *f = fig_signal("x", HS_HIST_STEP);
    char msg[HS_PLOT_MSG_MAX] = "";
    size_t before = files_in_dir();

    (void)state;
    assert_int_equal(hs_figure_save(f, path_in("plot.jpg"), W, H, DPI, CMD, msg), -1);
    assert_non_null(strstr(msg, "plot.jpg"));
    assert_non_null(strstr(msg, ".png"));
    assert_non_null(strstr(msg, ".svg"));
    assert_non_null(strstr(msg, ".pdf"));
    assert_int_equal(hs_figure_save(f, path_in("noext"), W, H, DPI, CMD, msg), -1);
    assert_int_equal(files_in_dir(), before);

    msg[0] = '\0';
    assert_int_equal(hs_figure_save(f, path_in("no-such-dir/plot.png"), W, H, DPI, CMD, msg), -1);
    assert_non_null(strstr(msg, "no-such-dir/plot.png"));
    assert_non_null(strstr(msg, "No such file"));
    assert_int_equal(access(path_in("no-such-dir/plot.png"), F_OK), -1);
    assert_int_equal(files_in_dir(), before);

    /* a full disk: hs_png_write says why, not libpng's "Write Error" */
    {
        FILE *full = fopen("/dev/full", "wb");
        unsigned char px[16 * 16 * 4] = {0};
        if (full) {
            msg[0] = '\0';
            assert_int_equal(hs_png_write(full, px, 16, 16, 64, 96, NULL, 0, msg), -1);
            assert_string_equal(msg, "cannot write the PNG: No space left on device");
            fclose(full);
        }
    }

    assert_int_equal(hs_figure_save(f, path_in("tiny.png"), 2, 2, DPI, CMD, msg), -1);
    assert_int_equal(hs_figure_save(f, path_in("bad.png"), W, H, NAN, CMD, msg), -1);
    assert_int_equal(files_in_dir(), before);
    hs_figure_free(f);
}

/* Every figure type in every format: a valid file, and ink on the PNG. */
static void
test_all_kinds(void **state)
{
    struct hs_figure *figs[5] = {fig_data_mc(false), fig_data_mc(true), fig_corr(), fig_hist2d(),
                                 fig_scatter()};
    const char *names[5] = {"datamc", "datamc_log", "corr", "hist2d", "scatter"};
    static const char *ext[3] = {"png", "svg", "pdf"};

    (void)state;
    for (int i = 0; i < 5; i++) {
        for (int e = 0; e < 3; e++) {
            char name[64], msg[HS_PLOT_MSG_MAX] = "";

            snprintf(name, sizeof name, "%s.%s", names[i], ext[e]);
            if (hs_figure_save(figs[i], path_in(name), 1000, 700, 120, CMD, msg) != 0)
                fail_msg("%s: %s", name, msg);
        }
        {
            char name[64];
            struct image im;
            size_t colored = 0;

            snprintf(name, sizeof name, "%s.png", names[i]);
            read_png(path_in(name), &im);
            assert_int_equal(im.w, 1000);
            assert_int_equal(im.h, 700);
            for (size_t k = 0; k < (size_t)im.w * im.h; k++) {
                const unsigned char *p = im.rgba + 4 * k;

                colored += abs(p[0] - p[1]) > 30 || abs(p[1] - p[2]) > 30;
            }
            /* Colour on a good part of the page (heat maps, bars, markers). */
            assert_true(colored > 2000);
            free(im.rgba);
        }
        hs_figure_free(figs[i]);
    }
}

/* The correlation map uses the diverging colours: -1 blue-ish, +1 red-ish. */
static void
test_corr_diverging(void **state)
{
    struct hs_figure *f = fig_corr();
    struct hs_rgb lo = hs_palette_diverging(-0.65), hi = hs_palette_diverging(1);
    struct image im;
    long x0, y0, x1, y1, cw, ch;

    (void)state;
    assert_int_equal(hs_figure_save(f, path_in("corr_check.png"), 900, 900, 100, CMD, NULL), 0);
    read_png(path_in("corr_check.png"), &im);
    find_frame(&im, &x0, &y0, &x1, &y1);
    cw = (x1 - x0) / 5;
    ch = (y1 - y0) / 5;
    /* Cell (0, 0), bottom left: z = 1; sample near its corner, off the text. */
    assert_true(near_rgb(px(&im, x0 + cw / 8, y1 - ch / 8), hi.r, hi.g, hi.b, 3));
    /* Cell (1, 0): column 1 of row 0, z = -0.65. */
    assert_true(near_rgb(px(&im, x0 + cw + cw / 8, y1 - ch / 8), lo.r, lo.g, lo.b, 3));
    free(im.rgba);
    hs_figure_free(f);
}

/* Degenerate figures still give a valid file: no series, one empty bin
 * on a log axis, NaN contents, a constant heat map. */
static void
test_degenerate(void **state)
{
    struct hs_figure *f = hs_figure_new();
    double e2[2] = {1, 1}, y1[1] = {0}, yn[1] = {NAN}, z[1] = {3};
    struct hs_series h = {.kind = HS_SERIES_HIST, .n = 1, .x = e2, .y = y1};
    struct hs_series hn = {.kind = HS_SERIES_HIST, .n = 1, .x = e2, .y = yn, .label = "nan"};
    struct hs_series hm = {.kind = HS_SERIES_HEATMAP, .nx = 1, .ny = 1, .x = e2, .y = e2, .z = z,
                           .zvalues = true};
    char msg[HS_PLOT_MSG_MAX] = "";
    static const char *ext[3] = {"png", "svg", "pdf"};

    (void)state;
    for (int k = 0; k < 4; k++) {
        if (k == 1) {
            assert_non_null(hs_panel_add(&f->main, &h, NULL));
            f->main.y.scale = HS_AXIS_LOG;
        } else if (k == 2) {
            assert_non_null(hs_panel_add(&f->main, &hn, NULL));
            f->has_ratio = true;
        } else if (k == 3) {
            assert_non_null(hs_panel_add(&f->main, &hm, NULL));
        }
        for (int e = 0; e < 3; e++) {
            char name[32];

            snprintf(name, sizeof name, "degenerate%d.%s", k, ext[e]);
            if (hs_figure_save(f, path_in(name), 300, 200, 72, NULL, msg) != 0)
                fail_msg("%s: %s", name, msg);
            assert_int_equal(access(path_in(name), R_OK), 0);
        }
    }
    hs_figure_free(f);
}

/* Four figures in a 2 x 2 grid: the page has the size asked for, and each
 * figure's colour fills part of its own quadrant and appears in no other. */
static void
test_grid(void **state)
{
    static const int colors[4] = {HS_PAL_SIGNAL, HS_PAL_BACKGROUND, HS_PAL_CAT0, HS_PAL_CAT0 + 1};
    static const char *titles[4] = {"panel one", "panel two", "panel three", "panel four"};
    struct hs_figure *f[4];
    char msg[HS_PLOT_MSG_MAX] = "", *svg;
    struct image im;
    size_t len;

    (void)state;
    for (int k = 0; k < 4; k++) {
        f[k] = fig_signal(titles[k], HS_HIST_FILLED);
        f[k]->main.series[0].color = colors[k];
        f[k]->main.series[0].alpha = 1;
    }
    assert_int_equal(hs_figures_save_grid((const struct hs_figure *const *)f, 4, 2,
                                          path_in("grid.png"), 1000, 700, DPI, CMD, msg),
                     0);
    read_png(path_in("grid.png"), &im);
    assert_int_equal(im.w, 1000);
    assert_int_equal(im.h, 700);
    assert_string_equal(im.command, CMD);
    assert_int_equal(im.ppm_x, (png_uint_32)lround(DPI / 0.0254));
    for (int k = 0; k < 4; k++) {
        struct hs_rgb c = hs_palette_color(colors[k]);

        for (int q = 0; q < 4; q++) {
            long n = 0, x0 = (q % 2) * 500, y0 = (q / 2) * 350;

            for (long y = y0; y < y0 + 350; y++)
                for (long x = x0; x < x0 + 500; x++)
                    n += near_rgb(px(&im, x, y), c.r, c.g, c.b, 2);
            if (q == k)
                assert_true(n > 5000);
            else
                assert_int_equal(n, 0);
        }
    }
    free(im.rgba);

    /* SVG and PDF pages hold all four figures. */
    assert_int_equal(hs_figures_save_grid((const struct hs_figure *const *)f, 4, 2,
                                          path_in("grid.svg"), 1000, 700, DPI, CMD, msg),
                     0);
    svg = slurp(path_in("grid.svg"), &len);
    assert_non_null(strstr(svg, "width=\"720pt\" height=\"504pt\""));
    free(svg);
    assert_int_equal(hs_figures_save_grid((const struct hs_figure *const *)f, 4, 2,
                                          path_in("grid.pdf"), 1000, 700, DPI, CMD, msg),
                     0);
    svg = slurp(path_in("grid.pdf"), &len);
    assert_true(len > 5 && memcmp(svg, "%PDF-", 5) == 0);
    free(svg);

    /* Three figures in up to five columns: one row of three, all coloured. */
    assert_int_equal(hs_figures_save_grid((const struct hs_figure *const *)f, 3, 5,
                                          path_in("grid3.png"), 900, 300, DPI, NULL, msg),
                     0);
    read_png(path_in("grid3.png"), &im);
    for (int k = 0; k < 3; k++) {
        struct hs_rgb c = hs_palette_color(colors[k]);
        long n = 0;

        for (long y = 0; y < 300; y++)
            for (long x = k * 300; x < (k + 1) * 300; x++)
                n += near_rgb(px(&im, x, y), c.r, c.g, c.b, 2);
        assert_true(n > 2000);
    }
    free(im.rgba);

    /* Bad arguments: nothing written. */
    assert_int_equal(hs_figures_save_grid((const struct hs_figure *const *)f, 0, 2,
                                          path_in("bad.png"), 900, 300, DPI, NULL, msg),
                     -1);
    assert_int_equal(hs_figures_save_grid((const struct hs_figure *const *)f, 4, 0,
                                          path_in("bad.png"), 900, 300, DPI, NULL, msg),
                     -1);
    assert_non_null(strstr(msg, "column"));
    assert_int_equal(hs_figures_save_grid((const struct hs_figure *const *)f, 4, 2,
                                          path_in("bad.gif"), 900, 300, DPI, NULL, msg),
                     -1);
    assert_int_equal(access(path_in("bad.png"), F_OK), -1);
    assert_int_equal(access(path_in("bad.gif"), F_OK), -1);
    for (int k = 0; k < 4; k++)
        hs_figure_free(f[k]);
}


/* --- bands, points, legends, dashes, log colours (issue 13) ---------------- */

/* Fixed axes x [0, 10], y [0, 100], no labels, no legend. */
static struct hs_figure *
fig_axes(void)
{
    struct hs_figure *f = hs_figure_new();

    assert_non_null(f);
    f->main.x.fixed = f->main.y.fixed = true;
    f->main.x.hi = 10;
    f->main.y.hi = 100;
    f->legend = false;
    return f;
}

static long
xpix(long x0, long x1, double v)
{
    return lround(x0 + v / 10 * (double)(x1 - x0));
}

static long
ypix(long y0, long y1, double v)
{
    return lround((double)y1 - v / 100 * (double)(y1 - y0));
}

static bool
white(const unsigned char *p)
{
    return p[0] > 250 && p[1] > 250 && p[2] > 250;
}

/* A band from 40 to 60: hatched (coloured and white pixels alternate down
 * a column inside it), white above and below. */
static void
test_png_band(void **state)
{
    struct hs_figure *f = fig_axes();
    double y[10], e[10];
    struct hs_series b = {.kind = HS_SERIES_BAND, .label = "stat. unc.", .color = HS_PAL_SIGNAL,
                          .n = 10, .x = (double *)edges, .y = y, .yerr = e};
    struct image im;
    long x0, y0, x1, y1, X, inked = 0, blank = 0;

    (void)state;
    for (int i = 0; i < 10; i++) {
        y[i] = 50;
        e[i] = 10;
    }
    assert_non_null(hs_panel_add(&f->main, &b, NULL));
    assert_int_equal(hs_figure_save(f, path_in("band.png"), W, H, DPI, CMD, NULL), 0);
    read_png(path_in("band.png"), &im);
    find_frame(&im, &x0, &y0, &x1, &y1);
    for (double xv = 1.5; xv < 9; xv += 3) {
        X = xpix(x0, x1, xv);
        for (long yy = ypix(y0, y1, 58); yy <= ypix(y0, y1, 42); yy++) {
            inked += !white(px(&im, X, yy));
            blank += white(px(&im, X, yy));
        }
        for (long yy = y0 + 8; yy < ypix(y0, y1, 61); yy++)
            assert_true(white(px(&im, X, yy)));
        for (long yy = ypix(y0, y1, 39); yy < y1 - 8; yy++)
            assert_true(white(px(&im, X, yy)));
    }
    /* hatched, not filled: both kinds, each a good share */
    assert_true(inked > 10 && blank > 10);
    free(im.rgba);
    hs_figure_free(f);
}

/* A data point at 50 with an error of 20, over a filled bar: the bar from
 * 30 to 70 in dark pixels, a marker at 50, nothing dark beyond. */
static void
test_png_error_bars(void **state)
{
    static const double fill[10] = {90, 90, 90, 90, 90, 90, 90, 90, 90, 90};
    struct hs_figure *f = fig_axes();
    double x[1] = {2.5}, y[1] = {50}, e[1] = {20};
    struct hs_series d = {.kind = HS_SERIES_POINTS, .label = "data", .color = HS_PAL_DATA, .n = 1,
                          .x = x, .y = y, .yerr = e};
    struct image im;
    long x0, y0, x1, y1, X, top = -1, bot = -1, run = 0;

    (void)state;
    add_hist(&f->main, fill, HS_PAL_BACKGROUND, HS_HIST_FILLED, 1, 0, "mc");
    assert_non_null(hs_panel_add(&f->main, &d, NULL));
    assert_int_equal(hs_figure_save(f, path_in("points.png"), W, H, DPI, CMD, NULL), 0);
    read_png(path_in("points.png"), &im);
    find_frame(&im, &x0, &y0, &x1, &y1);
    X = xpix(x0, x1, 2.5);
    for (long yy = y0 + 8; yy < y1 - 8; yy++)
        if (dark(px(&im, X, yy))) {
            if (top < 0)
                top = yy;
            bot = yy;
        }
    assert_true(labs(top - ypix(y0, y1, 70)) <= 2);
    assert_true(labs(bot - ypix(y0, y1, 30)) <= 2);
    /* between them unbroken */
    for (long yy = top; yy <= bot; yy++)
        assert_true(dark(px(&im, X, yy)));
    /* the marker: a dark run across the row of 50, wider than the bar */
    for (long xx = X - 10; xx <= X + 10; xx++)
        run += dark(px(&im, xx, ypix(y0, y1, 50)));
    assert_true(run >= 5);
    /* the bar alone (one or two pixels) at 60 */
    run = 0;
    for (long xx = X - 10; xx <= X + 10; xx++)
        run += dark(px(&im, xx, ypix(y0, y1, 60)));
    assert_true(run >= 1 && run <= 3);
    free(im.rgba);
    hs_figure_free(f);
}

/* The legend and the rest of the page: pixels where two renders differ. */
static void
diff_box(const struct image *a, const struct image *b, long *bx0, long *by0, long *bx1, long *by1)
{
    *bx0 = *by0 = 1L << 30;
    *bx1 = *by1 = -1;
    for (long y = 0; y < (long)a->h; y++)
        for (long x = 0; x < (long)a->w; x++)
            if (memcmp(px(a, x, y), px(b, x, y), 3) != 0) {
                *bx0 = x < *bx0 ? x : *bx0;
                *by0 = y < *by0 ? y : *by0;
                *bx1 = x > *bx1 ? x : *bx1;
                *by1 = y > *by1 ? y : *by1;
            }
}

/* A histogram rising to the right: the legend goes top left, over nothing
 * the figure without it draws; one that fills every corner sends the
 * legend outside, right of a narrower frame. */
static void
test_png_legend_place(void **state)
{
    static const double rising[10] = {5, 8, 12, 18, 26, 36, 52, 70, 88, 98};
    static const double full[10] = {95, 92, 96, 94, 97, 93, 95, 96, 92, 94};
    const double *ys[2] = {rising, full};
    struct image on, off;
    long x0, y0, x1, y1, bx0, by0, bx1, by1, ox0, oy0, ox1, oy1;

    (void)state;
    for (int k = 0; k < 2; k++) {
        struct hs_figure *f = fig_axes(), *g = fig_axes();

        f->legend = true;
        add_hist(&f->main, ys[k], HS_PAL_SIGNAL, HS_HIST_FILLED, 0.5, 0, "signal");
        add_hist(&f->main, ys[k], HS_PAL_BACKGROUND, HS_HIST_STEP, 1, 0, "background");
        add_hist(&g->main, ys[k], HS_PAL_SIGNAL, HS_HIST_FILLED, 0.5, 0, NULL);
        add_hist(&g->main, ys[k], HS_PAL_BACKGROUND, HS_HIST_STEP, 1, 0, NULL);
        assert_int_equal(hs_figure_save(f, path_in("legend-on.png"), W, H, DPI, CMD, NULL), 0);
        assert_int_equal(hs_figure_save(g, path_in("legend-off.png"), W, H, DPI, CMD, NULL), 0);
        read_png(path_in("legend-on.png"), &on);
        read_png(path_in("legend-off.png"), &off);
        find_frame(&on, &x0, &y0, &x1, &y1);
        find_frame(&off, &ox0, &oy0, &ox1, &oy1);
        if (k == 0) {
            /* same frame; the legend in the top left quarter, over white */
            assert_true(x1 == ox1 && y0 == oy0);
            diff_box(&on, &off, &bx0, &by0, &bx1, &by1);
            assert_true(bx1 > bx0 && by1 > by0);
            assert_true(bx0 > x0 && bx1 < (x0 + x1) / 2 && by0 > y0 && by1 < (y0 + y1) / 2);
            for (long y = by0; y <= by1; y++)
                for (long x = bx0; x <= bx1; x++)
                    assert_true(white(px(&off, x, y)));
        } else {
            bool text = false;

            /* the frame made room for it, and its text is right of it */
            assert_true(x1 < ox1 - 40);
            for (long y = y0; y < y0 + 60; y++)
                for (long x = x1 + 6; x < (long)on.w; x++)
                    text |= dark(px(&on, x, y));
            assert_true(text);
        }
        free(on.rgba);
        free(off.rgba);
        hs_figure_free(f);
        hs_figure_free(g);
    }
}

/* Two curves of one colour: the first solid, the second dashed. */
static void
test_png_dashes(void **state)
{
    struct hs_figure *f = fig_axes();
    double x[2] = {0, 10}, a[2] = {30, 30}, b[2] = {70, 70};
    struct hs_series l1 = {.kind = HS_SERIES_LINE, .label = "one", .color = HS_PAL_SIGNAL, .n = 2,
                           .x = x, .y = a};
    struct hs_series l2 = l1;
    struct hs_rgb c = hs_palette_color(HS_PAL_SIGNAL);
    struct image im;
    long x0, y0, x1, y1, n[2] = {0, 0}, len;

    (void)state;
    l2.label = "two";
    l2.y = b;
    assert_non_null(hs_panel_add(&f->main, &l1, NULL));
    assert_non_null(hs_panel_add(&f->main, &l2, NULL));
    assert_int_equal(hs_figure_save(f, path_in("dashes.png"), W, H, DPI, CMD, NULL), 0);
    read_png(path_in("dashes.png"), &im);
    find_frame(&im, &x0, &y0, &x1, &y1);
    len = x1 - x0 - 20;
    for (int k = 0; k < 2; k++) {
        long Y = ypix(y0, y1, k ? 70 : 30);

        /* a column is inked when the line's colour shows within a pixel
         * of its row (antialiasing spreads it) */
        for (long xx = x0 + 10; xx < x1 - 10; xx++) {
            bool ink = false;

            for (long yy = Y - 1; yy <= Y + 1; yy++)
                ink |= near_rgb(px(&im, xx, yy), c.r, c.g, c.b, 60);
            n[k] += ink;
        }
    }
    assert_true(n[0] > len * 95 / 100);
    assert_true(n[1] > len * 40 / 100 && n[1] < len * 80 / 100);
    free(im.rgba);
    hs_figure_free(f);
}

/* A log colour scale: 1, 10 and 100 at the ends and the middle of viridis,
 * a cell of 0 white. */
static void
test_png_zlog(void **state)
{
    double e[3] = {0, 1, 2}, z[4] = {0, 1, 10, 100};
    struct hs_series s = {.kind = HS_SERIES_HEATMAP, .nx = 2, .ny = 2, .x = e, .y = e, .z = z,
                          .zlog = true};
    struct hs_figure *f = hs_figure_new();
    struct image im;
    long x0, y0, x1, y1, fx1 = -1;
    double want[4] = {-1, 0, 0.5, 1};

    (void)state;
    assert_non_null(hs_panel_add(&f->main, &s, NULL));
    assert_int_equal(hs_figure_save(f, path_in("zlog.png"), W, H, DPI, CMD, NULL), 0);
    read_png(path_in("zlog.png"), &im);
    find_frame(&im, &x0, &y0, &x1, &y1);
    /* the frame's right edge: the first full dark column after its left
     * one (the colour bar's frame comes later) */
    for (long x = x0 + 20; x < (long)im.w && fx1 < 0; x++) {
        long n = 0;

        for (long y = y0; y <= y1; y++)
            n += dark(px(&im, x, y));
        if (n > 9 * (y1 - y0) / 10)
            fx1 = x;
    }
    assert_true(fx1 > x0 + 100 && fx1 < x1);
    for (int k = 0; k < 4; k++) {
        long X = lround(x0 + (k % 2 + 0.5) / 2 * (double)(fx1 - x0));
        long Y = lround((double)y1 - (k / 2 + 0.5) / 2 * (double)(y1 - y0));

        if (want[k] < 0) {
            assert_true(white(px(&im, X, Y)));
        } else {
            struct hs_rgb c = hs_palette_sequential(want[k]);

            if (!near_rgb(px(&im, X, Y), c.r, c.g, c.b, 3))
                fail_msg("cell %d: %d %d %d", k, px(&im, X, Y)[0], px(&im, X, Y)[1],
                         px(&im, X, Y)[2]);
        }
    }
    free(im.rgba);
    hs_figure_free(f);
}

/* The experiment's label above the frame: at the left and the right ends,
 * the middle free. */
static void
test_png_experiment(void **state)
{
    struct hs_figure *f = fig_signal(NULL, HS_HIST_STEP);
    struct image im;
    long x0, y0, x1, y1, third;

    (void)state;
    hs_figure_set_string(&f->experiment, "CMS Open Data, 11.6 fb^-1 (8 TeV)", NULL);
    assert_int_equal(hs_figure_save(f, path_in("experiment.png"), W, H, DPI, CMD, NULL), 0);
    read_png(path_in("experiment.png"), &im);
    find_frame(&im, &x0, &y0, &x1, &y1);
    third = (x1 - x0) / 3;
    assert_true(dark_above_frame(&im, x0, x0 + third, y0));
    assert_true(dark_above_frame(&im, x1 - third, x1, y0));
    assert_false(dark_above_frame(&im, x0 + third + 5, x1 - third - 5, y0));
    free(im.rgba);
    hs_figure_free(f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_write_roundtrip),
        cmocka_unit_test(test_png_chunks_and_size),
        cmocka_unit_test(test_png_tallest_bin),
        cmocka_unit_test(test_png_title_pixels),
        cmocka_unit_test(test_png_filled_blend),
        cmocka_unit_test(test_svg),
        cmocka_unit_test(test_pdf),
        cmocka_unit_test(test_file_type),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_all_kinds),
        cmocka_unit_test(test_corr_diverging),
        cmocka_unit_test(test_degenerate),
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_png_band),
        cmocka_unit_test(test_png_error_bars),
        cmocka_unit_test(test_png_legend_place),
        cmocka_unit_test(test_png_dashes),
        cmocka_unit_test(test_png_zlog),
        cmocka_unit_test(test_png_experiment),
    };

    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}

/* cairo_render.c: a figure drawn with cairo, saved as PNG, SVG or PDF.
 *
 * All drawing happens in points (1/72 inch) on a page of width_px x 72 /
 * dpi points; a PNG's image surface is scaled by dpi / 72 first, so text,
 * line widths and tick lengths keep their physical size at any DPI.  The
 * look follows HEP publication style: ticks inward on all four sides, the
 * x label at the right end of its axis and the y label at the top of its.
 */
#include "config.h"

#include "plots/cairo_render.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plots/cairo_int.h"
#include "plots/palette.h"
#include "plots/png_write.h"
#include "plots/ticks.h"

#define SOFTWARE "hepscope " PACKAGE_VERSION

enum fmt { FMT_PNG, FMT_SVG, FMT_PDF };

static void
set_msg(char *msg, const char *fmt, const char *a, const char *b)
{
    if (msg)
        snprintf(msg, HS_PLOT_MSG_MAX, fmt, a, b ? b : "");
}

static const struct hs_series *
find_heatmap(const struct hs_panel *p)
{
    for (size_t i = 0; i < p->nseries; i++)
        if (p->series[i].kind == HS_SERIES_HEATMAP)
            return &p->series[i];
    return NULL;
}

static bool
has_kind(const struct hs_panel *p, enum hs_series_kind k)
{
    for (size_t i = 0; i < p->nseries; i++)
        if (p->series[i].kind == k)
            return true;
    return false;
}

static bool
axis_fixed_ok(const struct hs_axis *a)
{
    return a->fixed && isfinite(a->lo) && isfinite(a->hi) && a->lo < a->hi &&
           (a->scale != HS_AXIS_LOG || a->lo > 0);
}

/* The range an axis shows: the caller's, or the data's with room added. */
static void
axis_range(const struct hs_panel *p, int axis, bool ratio, bool headroom, double *lo, double *hi)
{
    const struct hs_axis *a = axis ? &p->y : &p->x;
    bool log = a->scale == HS_AXIS_LOG;
    bool tight = has_kind(p, HS_SERIES_HIST) || has_kind(p, HS_SERIES_BAND) ||
                 has_kind(p, HS_SERIES_HEATMAP);

    if (axis_fixed_ok(a)) {
        *lo = a->lo;
        *hi = a->hi;
        return;
    }
    if (!hs_panel_data_range(p, axis, lo, hi) || !isfinite(*lo) || !isfinite(*hi) ||
        (log && !(*lo > 0))) {
        *lo = log ? 1 : 0;
        *hi = log ? 10 : 1;
        if (ratio && axis) {
            *lo = 0.5;
            *hi = 1.5;
        }
        return;
    }
    if (axis == 0) {
        /* Histograms and heat maps end at their outer edges. */
        if (!tight || *lo == *hi)
            hs_ticks_nice_range(lo, hi, a->scale, 8);
        return;
    }
    if (has_kind(p, HS_SERIES_HEATMAP) && !has_kind(p, HS_SERIES_HIST))
        return;
    if (ratio) {
        double d;

        if (*lo > 1)
            *lo = 1;
        if (*hi < 1)
            *hi = 1;
        /* Symmetric about 1, so the dashed line sits in the middle. */
        d = 1.1 * fmax(1 - *lo, *hi - 1);
        if (!(d > 0))
            d = 0.5;
        *lo = 1 - d;
        *hi = 1 + d;
        if (!log && *lo < 0)
            *lo = 0;
        if (log && !(*lo > 0))
            *lo = *hi / 100;
        return;
    }
    if (log) {
        /* Room above for the legend: a third of the decades shown. */
        double dec;

        /* Far tails (1e-30 of a fitted shape) would squash the picture:
         * show at most eight decades below the highest value. */
        if (*lo < *hi * 1e-8)
            *lo = *hi * 1e-8;
        dec = log10(*hi) - log10(*lo);
        if (dec < 1)
            dec = 1;
        *lo = pow(10, log10(*lo) - 0.1 * dec);
        *hi = pow(10, log10(*hi) + (headroom ? 0.35 : 0.1) * dec);
        hs_ticks_nice_range(lo, hi, a->scale, 8);
        return;
    }
    if (*lo >= 0 && has_kind(p, HS_SERIES_HIST))
        *lo = 0;
    if (*hi == *lo) {
        hs_ticks_nice_range(lo, hi, a->scale, 8);
        return;
    }
    {
        double d = *hi - *lo;

        *hi += (headroom ? 0.3 : 0.06) * d;
        if (*lo < 0 || !has_kind(p, HS_SERIES_HIST))
            *lo -= 0.06 * d;
    }
}

/* --- the page ------------------------------------------------------------ */

#define LEGEND_OUT_GAP 12.0

static bool
has_legend(const struct hs_panel *p)
{
    for (size_t i = 0; i < p->nseries; i++)
        if (p->series[i].label && p->series[i].kind != HS_SERIES_HEATMAP)
            return true;
    return false;
}

/* Draw f on a page W x H; legend_out reserves that much room right of the
 * plot for the legend (0: the legend goes inside).  Returns false, having
 * drawn nothing, when the legend covers data in every corner inside. */
static bool
draw_page(cairo_t *cr, const struct hs_figure *f, double W, double H, double legend_out)
{
    const struct hs_panel *mp = &f->main, *rp = &f->ratio;
    bool ratio = f->has_ratio;
    const struct hs_series *heat = find_heatmap(mp);
    struct amap mx, my, ry = {0};
    struct hs_ticks tx, ty, tr;
    bool okx, oky, okr = false;
    double xlo, xhi, ylo, yhi, rlo = 0, rhi = 0;
    double left, right, top, bottom, plot_h;
    struct box mb, rb = {0};
    bool headroom = (f->legend && mp->nseries > 0 && f->legend_pos == HS_LEGEND_TOP) || f->text;
    bool xn = heat && heat->xnames, yn = heat && heat->ynames;
    const struct hs_axis *xa = ratio ? (rp->x.label ? &rp->x : &mp->x) : &mp->x;

    bool exp = f->experiment && *f->experiment;
    bool legend = f->legend && has_legend(mp);
    double lx = 0, ly = 0, exp_h = exp ? 1.3 * FS_EXP : 0;

    axis_range(mp, 0, false, false, &xlo, &xhi);
    axis_range(mp, 1, false, headroom && !heat, &ylo, &yhi);
    if (ratio)
        axis_range(rp, 1, true, false, &rlo, &rhi);

    /* Margins from the text they hold; the y ticks first at a guessed
     * height, for the width of their labels. */
    top = (f->title ? PAD + 1.3 * FS_TITLE + 4 : 10) + exp_h;
    bottom = PAD + 4 + 1.3 * FS_TICK + (xa->label ? 1.3 * FS_AXIS + 2 : 0);
    plot_h = H - top - bottom;
    oky = hs_ticks_make(ylo, yhi, mp->y.scale, hs_cr_n_major(plot_h * (ratio ? 0.7 : 1), 32),
                        &ty) == 0;
    if (ratio)
        okr = hs_ticks_make(rlo, rhi, rp->y.scale, hs_cr_n_major(plot_h * 0.3, 20), &tr) == 0;
    left = PAD + 4 + (mp->y.label || (ratio && rp->y.label) ? 1.3 * FS_AXIS + 2 : 0);
    if (yn)
        left += hs_cr_names_max_w(cr, heat->ynames, heat->ny, FS_TICK);
    else
        left += fmax(oky ? hs_cr_max_tick_w(cr, &ty, FS_TICK) : 0,
                     okr ? hs_cr_max_tick_w(cr, &tr, FS_TICK) : 0);
    right = 14 + legend_out;
    if (heat) {
        struct zscale z = hs_cr_heat_scale(heat);
        struct hs_ticks tz;

        right = CBAR_GAP + CBAR_W + 4 + PAD + (heat->zlabel ? 1.3 * FS_AXIS + 6 : 0);
        if (hs_ticks_make(z.lo, z.hi, z.log ? HS_AXIS_LOG : HS_AXIS_LINEAR, 6, &tz) == 0)
            right += hs_cr_max_tick_w(cr, &tz, FS_TICK);
    }
    if (xn && hs_cr_xnames_rotated(cr, heat, W - left - right))
        bottom += 0.71 * hs_cr_names_max_w(cr, heat->xnames, heat->nx, FS_TICK);
    if (W - left - right < 20 || H - top - bottom < 20) {
        /* Too small for a plot: leave the white page. */
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        return true;
    }
    plot_h = H - top - bottom;
    mb = (struct box){left, top, W - right, H - bottom};
    if (ratio) {
        double rh = RATIO_SHARE * plot_h;

        mb.y1 = top + plot_h - rh;
        rb = (struct box){left, mb.y1 + 4, W - right, H - bottom};
        ry = (struct amap){rlo, rhi, rp->y.scale == HS_AXIS_LOG, rb.y1, rb.y0};
        okr = hs_ticks_make(rlo, rhi, rp->y.scale, hs_cr_n_major(rb.y1 - rb.y0, 24), &tr) == 0;
    }
    mx = (struct amap){xlo, xhi, mp->x.scale == HS_AXIS_LOG, mb.x0, mb.x1};
    my = (struct amap){ylo, yhi, mp->y.scale == HS_AXIS_LOG, mb.y1, mb.y0};
    okx = hs_ticks_make(xlo, xhi, mp->x.scale, hs_cr_n_major(mb.x1 - mb.x0, 55), &tx) == 0;
    oky = hs_ticks_make(ylo, yhi, mp->y.scale, hs_cr_n_major(mb.y1 - mb.y0, 32), &ty) == 0;
    if (xn)
        okx = false;
    if (yn)
        oky = false;

    if (legend && legend_out == 0 &&
        !hs_cr_legend_place(cr, mp, &mb, &mx, &my, f->legend_pos, &lx, &ly))
        return false;
    if (legend && legend_out > 0) {
        lx = mb.x1 + LEGEND_OUT_GAP;
        ly = mb.y0;
    }
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    hs_cr_draw_series(cr, mp, &mb, &mx, &my);
    hs_cr_frame_and_ticks(cr, &mb, &mx, &my, okx ? &tx : NULL, oky ? &ty : NULL);
    if (oky)
        hs_cr_y_tick_labels(cr, &mb, &my, &ty, false);
    if (heat && (xn || yn))
        hs_cr_heat_names(cr, &mb, heat, &mx, &my);
    if (ratio) {
        struct amap rx = mx;

        rx.p0 = rb.x0;
        rx.p1 = rb.x1;
        hs_cr_draw_series(cr, rp, &rb, &rx, &ry);
        if (1 > rlo && 1 < rhi) {
            double Y = hs_cr_amap_f(&ry, 1), dash[] = {4, 3};

            cairo_save(cr);
            cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
            cairo_set_line_width(cr, LW_FRAME);
            cairo_set_dash(cr, dash, 2, 0);
            cairo_move_to(cr, rb.x0, Y);
            cairo_line_to(cr, rb.x1, Y);
            cairo_stroke(cr);
            cairo_restore(cr);
        }
        hs_cr_frame_and_ticks(cr, &rb, &rx, &ry, okx ? &tx : NULL, okr ? &tr : NULL);
        if (okr)
            hs_cr_y_tick_labels(cr, &rb, &ry, &tr, true);
        if (okx)
            hs_cr_x_tick_labels(cr, &rb, &rx, &tx);
    } else if (okx) {
        hs_cr_x_tick_labels(cr, &mb, &mx, &tx);
    }
    if (heat)
        hs_cr_color_bar(cr, &mb, heat);

    cairo_set_source_rgb(cr, 0, 0, 0);
    if (xa->label)
        hs_cr_text_at(cr, xa->label, FS_AXIS, mb.x1, H - PAD, 1, 1);
    if (mp->y.label) {
        cairo_save(cr);
        cairo_translate(cr, PAD + CAP * FS_AXIS, mb.y0);
        cairo_rotate(cr, -M_PI / 2);
        hs_cr_text_at(cr, mp->y.label, FS_AXIS, 0, 0, 1, 1);
        cairo_restore(cr);
    }
    if (ratio && rp->y.label) {
        cairo_save(cr);
        cairo_translate(cr, PAD + CAP * FS_AXIS, 0.5 * (rb.y0 + rb.y1));
        cairo_rotate(cr, -M_PI / 2);
        hs_cr_text_at(cr, rp->y.label, FS_AXIS, 0, 0, 0.5, 1);
        cairo_restore(cr);
    }
    if (f->title)
        hs_cr_text_at(cr, f->title, FS_TITLE, 0.5 * (mb.x0 + mb.x1), top - 6 - exp_h, 0.5, 1);
    if (exp)
        hs_cr_experiment(cr, &mb, f->experiment);
    if (f->text) {
        /* the top left corner, or the right one when the legend took it */
        bool right_side = legend && legend_out == 0 && lx < 0.5 * (mb.x0 + mb.x1) &&
                          ly < 0.5 * (mb.y0 + mb.y1);

        cairo_set_source_rgb(cr, 0, 0, 0);
        hs_cr_text_at(cr, f->text, FS_SMALL, right_side ? mb.x1 - 10 : mb.x0 + 10, mb.y0 + 10,
                      right_side ? 1 : 0, 0);
    }
    if (legend)
        hs_cr_legend_draw(cr, mp, lx, ly);
    return true;
}

static void
draw_figure(cairo_t *cr, const struct hs_figure *f, double W, double H)
{
    double w, h;

    if (draw_page(cr, f, W, H, 0))
        return;
    /* with room reserved outside, draw_page never refuses */
    hs_cr_legend_size(cr, &f->main, &w, &h);
    (void)draw_page(cr, f, W, H, w + LEGEND_OUT_GAP);
}

/* --- files --------------------------------------------------------------- */

/* The SVG and PDF surfaces' output: cairo keeps only "error while writing
 * to output stream", so the errno of the first failed write is kept here. */
struct out_stream {
    FILE *fp;
    int err;
};

static cairo_status_t
write_stream(void *closure, const unsigned char *data, unsigned int length)
{
    struct out_stream *out = closure;

    if (fwrite(data, 1, length, out->fp) == length)
        return CAIRO_STATUS_SUCCESS;
    if (!out->err)
        out->err = errno ? errno : EIO;
    return CAIRO_STATUS_WRITE_ERROR;
}

static const char *
format_name(enum fmt fmt)
{
    return fmt == FMT_PNG ? "PNG" : fmt == FMT_SVG ? "SVG" : "PDF";
}

static int
format_of(const char *path, enum fmt *out)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');

    if (!dot)
        return -1;
    if (strcasecmp(dot, ".png") == 0)
        *out = FMT_PNG;
    else if (strcasecmp(dot, ".svg") == 0)
        *out = FMT_SVG;
    else if (strcasecmp(dot, ".pdf") == 0)
        *out = FMT_PDF;
    else
        return -1;
    return 0;
}

bool
hs_figure_file_type_ok(const char *path)
{
    enum fmt fmt;

    return format_of(path, &fmt) == 0;
}

/* Figure k of a grid goes into cell (k % cols, k / cols) of a page W x H
 * points, cut into cols columns and as many rows as needed. */
static void
draw_grid(cairo_t *cr, const struct hs_figure *const *figs, size_t n, size_t cols, double W,
          double H)
{
    size_t rows = (n + cols - 1) / cols;

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    for (size_t k = 0; k < n; k++) {
        size_t c = k % cols, r = k / cols;
        double x0 = W * (double)c / (double)cols, x1 = W * (double)(c + 1) / (double)cols;
        double y0 = H * (double)r / (double)rows, y1 = H * (double)(r + 1) / (double)rows;

        /* Each figure believes it has a page of its own: its origin moved to
         * the cell's corner, and nothing it draws can spill into the next. */
        cairo_save(cr);
        cairo_translate(cr, x0, y0);
        cairo_rectangle(cr, 0, 0, x1 - x0, y1 - y0);
        cairo_clip(cr);
        draw_figure(cr, figs[k], x1 - x0, y1 - y0);
        cairo_restore(cr);
    }
}

/* The pixels of a PNG: 6.4 MB for 1600x1000, which cairo's own calloc
 * faults in 4 KB at a time.  Fresh anonymous pages are zero (transparent,
 * as cairo's are), and in transparent huge pages they take a few faults
 * instead of 1,600.  NULL when the system will not: cairo allocates. */
static unsigned char *
pixels_map(int stride, int hpx, size_t *len)
{
#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
    const size_t huge = (size_t)2 << 20;
    void *p;

    *len = ((size_t)stride * (size_t)hpx + huge - 1) / huge * huge;
    p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    madvise(p, *len, MADV_HUGEPAGE);
    return p;
#else
    (void)stride;
    (void)hpx;
    *len = 0;
    return NULL;
#endif
}

/* One figure fills the page when grid is false (hs_figure_save), else
 * figs form a grid of cols columns. */
static int
render_to(const struct hs_figure *const *figs, size_t n, size_t cols, bool grid, FILE *fp,
          enum fmt fmt, int wpx, int hpx, double dpi, const char *command, char *msg)
{
    double W = wpx * 72.0 / dpi, H = hpx * 72.0 / dpi;
    const char *title = n == 1 ? figs[0]->title : NULL;
    cairo_surface_t *sf;
    cairo_t *cr;
    cairo_status_t st;
    struct out_stream out = {fp, 0};
    unsigned char *pixels = NULL;
    size_t pixels_len = 0;
    int rc = 0;

    if (fmt == FMT_PNG) {
        int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, wpx);
        if (stride > 0 && (pixels = pixels_map(stride, hpx, &pixels_len)))
            sf = cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_ARGB32, wpx, hpx,
                                                     stride);
        else
            sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, wpx, hpx);
    } else if (fmt == FMT_SVG)
        sf = cairo_svg_surface_create_for_stream(write_stream, &out, W, H);
    else
        sf = cairo_pdf_surface_create_for_stream(write_stream, &out, W, H);
    if (fmt == FMT_SVG)
        cairo_svg_surface_set_document_unit(sf, CAIRO_SVG_UNIT_PT);
    if (fmt == FMT_PDF) {
        cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, SOFTWARE);
        if (title)
            cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
        if (command)
            cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_SUBJECT, command);
    }
    cr = cairo_create(sf);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
    if (fmt == FMT_PNG)
        cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    if (grid)
        draw_grid(cr, figs, n, cols, W, H);
    else
        draw_figure(cr, figs[0], W, H);
    st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(sf);
    if (st == CAIRO_STATUS_SUCCESS && fmt == FMT_PNG) {
        struct hs_png_text text[2] = {{"Software", SOFTWARE}, {"Command", command}};

        rc = hs_png_write(fp, cairo_image_surface_get_data(sf), wpx, hpx,
                          cairo_image_surface_get_stride(sf), dpi, text, command ? 2 : 1, msg);
    }
    cairo_surface_finish(sf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    if (pixels)
        munmap(pixels, pixels_len);
    if (st == CAIRO_STATUS_WRITE_ERROR && out.err) {
        set_msg(msg, "cannot write the %s: %s", format_name(fmt), strerror(out.err));
        return -1;
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        set_msg(msg, "cannot draw the figure: %s%s", cairo_status_to_string(st), NULL);
        return -1;
    }
    return rc;
}

/* "x.png: cannot write the PNG: No space left on device" */
static void
write_failed(char *msg, const char *path, enum fmt fmt, int err)
{
    if (msg)
        snprintf(msg, HS_PLOT_MSG_MAX, "%.150s: cannot write the %s: %s", path, format_name(fmt),
                 strerror(err ? err : EIO));
}

static int
save(const struct hs_figure *const *figs, size_t n, size_t cols, bool grid, const char *path,
     int width_px, int height_px, double dpi, const char *command, char *msg)
{
    enum fmt fmt;
    char *tmp;
    size_t len;
    int fd, rc;
    FILE *fp;
    mode_t mask;

    if (format_of(path, &fmt) != 0) {
        set_msg(msg, "cannot save '%s': unknown file type (use " HS_FIGURE_FILE_TYPES ")%s", path, NULL);
        return -1;
    }
    if (width_px < 16 || height_px < 16 || width_px > 32768 || height_px > 32768) {
        set_msg(msg, "cannot save '%s': width and height must be 16 to 32768 pixels%s", path, NULL);
        return -1;
    }
    if (!(dpi >= 10 && dpi <= 10000)) {
        set_msg(msg, "cannot save '%s': dpi must be 10 to 10000%s", path, NULL);
        return -1;
    }
    len = strlen(path);
    tmp = malloc(len + 8);
    if (!tmp) {
        set_msg(msg, "cannot save '%s': %s", path, strerror(ENOMEM));
        return -1;
    }
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".XXXXXX", 8);
    fd = mkstemp(tmp);
    if (fd < 0) {
        set_msg(msg, "cannot save '%s': %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    /* mkstemp makes the file private; give it a plain file's permissions. */
    mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(fp = fdopen(fd, "wb"))) {
        set_msg(msg, "cannot save '%s': %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    rc = render_to(figs, n, cols, grid, fp, fmt, width_px, height_px, dpi, command, msg);
    if (rc != 0 && msg) {
        /* what failed, after the file it is about */
        char what[HS_PLOT_MSG_MAX];
        snprintf(what, sizeof what, "%s", msg);
        snprintf(msg, HS_PLOT_MSG_MAX, "%.100s: %.150s", path, what);
    }
    errno = 0;
    if (fflush(fp) != 0 || ferror(fp)) {
        if (rc == 0)
            write_failed(msg, path, fmt, errno);
        rc = -1;
    }
    if (fclose(fp) != 0 && rc == 0) {
        write_failed(msg, path, fmt, errno);
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        set_msg(msg, "cannot save '%s': %s", path, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

int
hs_figure_save(const struct hs_figure *f, const char *path, int width_px, int height_px,
               double dpi, const char *command, char *msg)
{
    if (!f || !path || !*path) {
        set_msg(msg, "no figure or no file name%s%s", "", NULL);
        return -1;
    }
    return save(&f, 1, 1, false, path, width_px, height_px, dpi, command, msg);
}

int
hs_figures_save_grid(const struct hs_figure *const *figs, size_t n, int cols, const char *path,
                     int width_px, int height_px, double dpi, const char *command, char *msg)
{
    if (!figs || n == 0 || !path || !*path) {
        set_msg(msg, "no figures or no file name%s%s", "", NULL);
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        if (!figs[k]) {
            set_msg(msg, "no figure or no file name%s%s", "", NULL);
            return -1;
        }
    }
    if (cols < 1) {
        set_msg(msg, "cannot save '%s': a grid needs at least one column%s", path, NULL);
        return -1;
    }
    /* No empty columns: three figures asked for in five columns take three. */
    if ((size_t)cols > n)
        cols = (int)n;
    return save(figs, n, (size_t)cols, true, path, width_px, height_px, dpi, command, msg);
}

void
hs_cairo_release(void)
{
    /* cairo's font map holds fontconfig patterns: release it first. */
    cairo_debug_reset_static_data();
    FcFini();
}

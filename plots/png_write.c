/* png_write.c: ARGB32 (premultiplied) to an 8-bit RGBA PNG with text chunks.
 *
 * libpng reports errors by longjmp out of its calls; everything that must
 * survive the jump (the row buffer) is declared volatile or freed after
 * the setjmp returns, so that a failing write leaks nothing.
 */
#include "config.h"

#include "plots/png_write.h"

#include <errno.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/figure.h"

struct png_err_ctx {
    char *msg;
    FILE *fp;
};

static void
set_msg(char *msg, const char *what, const char *detail)
{
    if (msg)
        snprintf(msg, HS_PLOT_MSG_MAX, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

static void
on_png_error(png_structp png, png_const_charp text)
{
    struct png_err_ctx *ctx = png_get_error_ptr(png);

    if (ctx && ctx->msg)
        set_msg(ctx->msg, "cannot write the PNG", text);
    png_longjmp(png, 1);
}

static void
on_png_warning(png_structp png, png_const_charp text)
{
    /* Warnings (e.g. an odd keyword) do not stop the write; stay quiet. */
    (void)png;
    (void)text;
}

/* libpng's own writer says only "Write Error"; this one says why (a full
 * disk, a file size limit) with the C library's words for errno. */
static void
write_data(png_structp png, png_bytep data, size_t length)
{
    struct png_err_ctx *ctx = png_get_error_ptr(png);

    if (fwrite(data, 1, length, ctx->fp) != length)
        png_error(png, strerror(errno ? errno : EIO));
}

static void
flush_data(png_structp png)
{
    struct png_err_ctx *ctx = png_get_error_ptr(png);

    if (fflush(ctx->fp) != 0)
        png_error(png, strerror(errno ? errno : EIO));
}

/* Undo cairo's premultiplication of one pixel into 4 RGBA bytes. */
static void
unpremultiply(uint32_t px, unsigned char *out)
{
    unsigned a = px >> 24;
    unsigned r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

    if (a == 0) {
        out[0] = out[1] = out[2] = out[3] = 0;
        return;
    }
    if (a < 255) {
        r = (r * 255 + a / 2) / a;
        g = (g * 255 + a / 2) / a;
        b = (b * 255 + a / 2) / a;
        r = r > 255 ? 255 : r;
        g = g > 255 ? 255 : g;
        b = b > 255 ? 255 : b;
    }
    out[0] = (unsigned char)r;
    out[1] = (unsigned char)g;
    out[2] = (unsigned char)b;
    out[3] = (unsigned char)a;
}

int
hs_png_write(FILE *fp, const unsigned char *data, int width, int height, int stride,
             double dpi, const struct hs_png_text *text, size_t ntext, char *msg)
{
    struct png_err_ctx ctx = {msg, fp};
    png_structp png;
    png_infop info;
    unsigned char *volatile row = NULL;

    if (!fp || !data || width <= 0 || height <= 0 || stride < 4 * width) {
        set_msg(msg, "cannot write the PNG", "bad image size");
        return -1;
    }
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_png_error, on_png_warning);
    if (!png) {
        set_msg(msg, "cannot write the PNG", "out of memory");
        return -1;
    }
    info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        set_msg(msg, "cannot write the PNG", "out of memory");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(row);
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, NULL, write_data, flush_data);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB_ALPHA,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (dpi > 0 && isfinite(dpi)) {
        png_uint_32 ppm = (png_uint_32)lround(dpi / 0.0254);
        png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    }
    if (ntext > 0) {
        png_text *chunks = calloc(ntext, sizeof *chunks);

        if (!chunks)
            png_error(png, "out of memory");
        for (size_t i = 0; i < ntext; i++) {
            chunks[i].compression = PNG_TEXT_COMPRESSION_NONE;
            chunks[i].key = (png_charp)text[i].key;
            chunks[i].text = (png_charp)(text[i].value ? text[i].value : "");
        }
        /* png_set_text copies the strings, so the array can go at once. */
        png_set_text(png, info, chunks, (int)ntext);
        free(chunks);
    }
    /* Plots are flat colour in runs along rows and columns: the "up"
     * filter alone (instead of libpng's trial of all five on every row)
     * and zlib's fastest level keep them within a third more bytes than
     * level 6 with every filter, in a third of the time (bench/RESULTS.md,
     * "Where the PNG's time goes"). */
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_set_compression_level(png, 1);
    png_write_info(png, info);

    row = malloc((size_t)width * 4);
    if (!row)
        png_error(png, "out of memory");
    for (int y = 0; y < height; y++) {
        const unsigned char *src = data + (size_t)y * (size_t)stride;

        for (int x = 0; x < width; x++) {
            unsigned char *out = row + 4 * (size_t)x;
            uint32_t px;

            memcpy(&px, src + 4 * (size_t)x, sizeof px);
            if (px >> 24 == 255) { /* opaque, as most pixels of a plot are */
                out[0] = (unsigned char)(px >> 16);
                out[1] = (unsigned char)(px >> 8);
                out[2] = (unsigned char)px;
                out[3] = 255;
            } else {
                unpremultiply(px, out);
            }
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    free(row);
    row = NULL;
    png_destroy_write_struct(&png, &info);
    errno = 0;
    if (fflush(fp) != 0 || ferror(fp)) {
        set_msg(msg, "cannot write the PNG", strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

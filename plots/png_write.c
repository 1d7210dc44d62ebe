/* png_write.c: ARGB32 (premultiplied) to an 8-bit RGB or RGBA PNG with
 * text chunks.
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
#include <zlib.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"
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

/* ---- the image data: filtered rows, deflated in bands ----
 *
 * The rows are encoded here rather than by png_write_row, so that the
 * work can be split: the image is cut into bands of BAND_ROWS rows, and
 * each band's rows are converted, filtered and deflated in one go, in a
 * buffer of the running thread's that stays in cache (no filtered copy
 * of the whole image).  A band is deflated on its own with the previous
 * band's last filtered byte as its preset dictionary (runs reach back no
 * further) and ends in a sync flush, so the bands' outputs joined make
 * one zlib stream that matches what a single pass would find (pigz's
 * method).  The bands are the executor's parts (par.h): how the image is
 * cut depends on its height alone, so the file's bytes never depend on
 * the thread count or the load. */
#define BAND_ROWS 32

struct band {
    unsigned char *out; /* the band's deflate output */
    size_t len;
    uLong adler;        /* of the band's filtered bytes */
    int zrc;            /* Z_OK, or zlib's failure */
};

/* A thread slot's buffers and deflate state, kept from band to band. */
struct enc_slot {
    bool ready;
    int zrc;               /* of deflateInit2, once */
    z_stream z;
    unsigned char *rows;   /* BAND_ROWS filtered rows */
    unsigned char *conv;   /* two converted rows */
    unsigned char *zout;
    size_t zcap;
};

struct encoding {
    const unsigned char *data;
    int width, height, stride, channels;
    size_t rowbytes;     /* 1 (the filter type) + width * channels */
    struct band *bands;
    size_t nbands;
    struct enc_slot *slots;
    int nslots;
    atomic_bool translucent; /* a pixel that is not opaque was met (RGB only) */
};

/* The filtered bytes of band k. */
static size_t
band_bytes(const struct encoding *e, size_t k)
{
    size_t rows = k + 1 < e->nbands ? BAND_ROWS : (size_t)e->height - k * BAND_ROWS;
    return rows * e->rowbytes;
}

/* Pixel (x, y) of the image as RGB or RGBA bytes into out. */
static inline void
convert_px(const struct encoding *e, int x, int y, unsigned char *out)
{
    uint32_t px;

    memcpy(&px, e->data + (size_t)y * (size_t)e->stride + 4 * (size_t)x, sizeof px);
    if (px >> 24 == 255) { /* opaque, as most pixels of a plot are */
        out[0] = (unsigned char)(px >> 16);
        out[1] = (unsigned char)(px >> 8);
        out[2] = (unsigned char)px;
        if (e->channels == 4)
            out[3] = 255;
    } else {
        unpremultiply(px, out);
    }
}

/* Row y of the image as RGB or RGBA bytes into out.  As RGB, for an image
 * taken to be opaque, the row is checked on the way (a pass of its own
 * over the image cost as much as a fifth of the encoding): a pixel that
 * is not opaque flags the image for RGBA. */
static void
convert_row(struct encoding *e, int y, unsigned char *out)
{
    if (e->channels == 3) {
        const unsigned char *src = e->data + (size_t)y * (size_t)e->stride;
        uint32_t and = 0xffffffffu;
        for (int x = 0; x < e->width; x++, out += 3) {
            uint32_t px;
            memcpy(&px, src + 4 * (size_t)x, sizeof px);
            and &= px;
            out[0] = (unsigned char)(px >> 16);
            out[1] = (unsigned char)(px >> 8);
            out[2] = (unsigned char)px;
        }
        if (and >> 24 != 255)
            atomic_store_explicit(&e->translucent, true, memory_order_relaxed);
        return;
    }
    for (int x = 0; x < e->width; x++, out += 4)
        convert_px(e, x, y, out);
}

/* The last filtered byte of row y (the "up" filter): the dictionary of
 * the band that starts at row y + 1. */
static unsigned char
last_filtered(const struct encoding *e, int y)
{
    unsigned char a[4], b[4] = {0, 0, 0, 0};
    int last = e->channels - 1;

    convert_px(e, e->width - 1, y, a);
    if (y > 0)
        convert_px(e, e->width - 1, y - 1, b);
    return (unsigned char)(a[last] - b[last]);
}

static bool
slot_ready(struct encoding *e, struct enc_slot *sl)
{
    size_t n = e->rowbytes - 1;

    if (sl->ready)
        return sl->zrc == Z_OK;
    sl->ready = true;
    /* Raw deflate (the zlib header and check are written once for the
     * whole stream), runs only (Z_RLE): after the "up" filter a plot is
     * mostly runs of zeros and of one colour, and looking for runs alone
     * takes a third of level 1's time, for a file a third larger (about
     * 100 KB for 1600 x 1000). */
    if ((sl->zrc = deflateInit2(&sl->z, 1, Z_DEFLATED, -15, 8, Z_RLE)) != Z_OK)
        return false;
    sl->zcap = deflateBound(&sl->z, (uLong)(BAND_ROWS * e->rowbytes)) + 16;
    sl->rows = malloc(BAND_ROWS * e->rowbytes);
    sl->conv = malloc(2 * n);
    sl->zout = malloc(sl->zcap);
    if (!sl->rows || !sl->conv || !sl->zout)
        sl->zrc = Z_MEM_ERROR;
    return sl->zrc == Z_OK;
}

/* Band k: its rows converted and given the "up" filter (plots are flat
 * colour in runs along rows and columns, and "up" alone, instead of
 * libpng's trial of all five filters on every row, keeps them small:
 * bench/RESULTS.md, "Where the PNG's time goes"), then deflated. */
static int
encode_band(void *ctx, size_t k)
{
    struct encoding *e = ctx;
    struct band *b = &e->bands[k];
    struct enc_slot *sl = &e->slots[hs_par_slot()];
    size_t n = e->rowbytes - 1, len = band_bytes(e, k);
    int y0 = (int)k * BAND_ROWS, y1 = y0 + BAND_ROWS < e->height ? y0 + BAND_ROWS : e->height;

    if (!slot_ready(e, sl)) {
        b->zrc = sl->zrc;
        return 0;
    }
    unsigned char *prev = sl->conv, *cur = sl->conv + n;
    if (y0 > 0)
        convert_row(e, y0 - 1, prev);
    else
        memset(prev, 0, n);
    for (int y = y0; y < y1; y++) {
        unsigned char *dst = sl->rows + (size_t)(y - y0) * e->rowbytes;
        convert_row(e, y, cur);
        dst[0] = 2; /* up */
        for (size_t i = 0; i < n; i++)
            dst[1 + i] = (unsigned char)(cur[i] - prev[i]);
        unsigned char *t = prev;
        prev = cur;
        cur = t;
    }
    b->adler = adler32(adler32(0, NULL, 0), sl->rows, (uInt)len);
    z_stream *z = &sl->z;
    if ((b->zrc = deflateReset(z)) != Z_OK)
        return 0;
    if (y0 > 0) {
        unsigned char dict = last_filtered(e, y0 - 1);
        if ((b->zrc = deflateSetDictionary(z, &dict, 1)) != Z_OK)
            return 0;
    }
    z->next_in = sl->rows;
    z->avail_in = (uInt)len;
    z->next_out = sl->zout;
    z->avail_out = (uInt)sl->zcap;
    int flush = k + 1 == e->nbands ? Z_FINISH : Z_SYNC_FLUSH;
    int rc = deflate(z, flush);
    b->zrc = (flush == Z_FINISH ? rc == Z_STREAM_END : rc == Z_OK && z->avail_in == 0)
                 ? Z_OK
                 : Z_BUF_ERROR;
    b->len = sl->zcap - z->avail_out;
    if (b->zrc != Z_OK || b->len == 0)
        return 0;
    if (!(b->out = malloc(b->len)))
        b->zrc = Z_MEM_ERROR;
    else
        memcpy(b->out, sl->zout, b->len);
    return 0;
}

static void
encoding_release(struct encoding *e)
{
    if (e->bands)
        for (size_t k = 0; k < e->nbands; k++)
            free(e->bands[k].out);
    for (int i = 0; e->slots && i < e->nslots; i++) {
        struct enc_slot *sl = &e->slots[i];
        if (sl->ready)
            deflateEnd(&sl->z); /* harmless when its init failed */
        free(sl->rows);
        free(sl->conv);
        free(sl->zout);
    }
    free(e->slots);
    free(e->bands);
    e->bands = NULL;
    e->slots = NULL;
}

/* Encode the image data into e's bands as `channels` channels; false
 * when out of memory. */
static bool
encode_as(struct encoding *e, int channels)
{
    int threads = hs_par_threads();

    e->channels = channels;
    e->rowbytes = 1 + (size_t)e->width * (size_t)channels;
    atomic_store(&e->translucent, false);
    e->nbands = ((size_t)e->height + BAND_ROWS - 1) / BAND_ROWS;
    e->bands = calloc(e->nbands, sizeof *e->bands);
    e->nslots = threads;
    e->slots = calloc((size_t)threads, sizeof *e->slots);
    if (!e->bands || !e->slots)
        return false;
    hs_par_run(e->nbands, threads, encode_band, e);
    for (size_t k = 0; k < e->nbands; k++)
        if (e->bands[k].zrc != Z_OK)
            return false;
    return true;
}

/* Encode as RGB, a quarter less to filter and deflate, when every pixel
 * is opaque (a plot's are), else as RGBA. */
static bool
encode(struct encoding *e)
{
    if (!encode_as(e, 3))
        return false;
    if (!atomic_load(&e->translucent))
        return true;
    encoding_release(e);
    return encode_as(e, 4);
}

static void
put32(unsigned char *p, uLong v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

int
hs_png_write(FILE *fp, const unsigned char *data, int width, int height, int stride,
             double dpi, const struct hs_png_text *text, size_t ntext, char *msg)
{
    struct png_err_ctx ctx = {msg, fp};
    png_structp png;
    png_infop info;
    struct encoding *volatile enc = NULL;

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
        if (enc) {
            encoding_release(enc);
            free(enc);
        }
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, NULL, write_data, flush_data);
    enc = calloc(1, sizeof *enc);
    if (!enc)
        png_error(png, "out of memory");
    enc->data = data;
    enc->width = width;
    enc->height = height;
    enc->stride = stride;
    if (!encode(enc))
        png_error(png, "out of memory");
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 enc->channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA,
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
    png_write_info(png, info);
    /* The zlib stream, in IDAT chunks: its header (32 KB window, the
     * fastest level), each band's deflate output, and the Adler-32 of all
     * the filtered bytes. */
    unsigned char head[2] = {0x78, 0x01}, tail[4];
    uLong adler = adler32(0, NULL, 0);
    png_write_chunk(png, (png_const_bytep) "IDAT", head, sizeof head);
    for (size_t k = 0; k < enc->nbands; k++) {
        struct band *b = &enc->bands[k];
        adler = adler32_combine(adler, b->adler, (z_off_t)band_bytes(enc, k));
        if (b->len)
            png_write_chunk(png, (png_const_bytep) "IDAT", b->out, b->len);
    }
    put32(tail, adler);
    png_write_chunk(png, (png_const_bytep) "IDAT", tail, sizeof tail);
    png_write_chunk(png, (png_const_bytep) "IEND", NULL, 0);
    encoding_release(enc);
    free(enc);
    enc = NULL;
    png_destroy_write_struct(&png, &info);
    errno = 0;
    if (fflush(fp) != 0 || ferror(fp)) {
        set_msg(msg, "cannot write the PNG", strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

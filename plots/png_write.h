/* png_write.h: write a cairo-style ARGB32 image as a PNG through libpng.
 *
 * cairo's own PNG writer cannot add text chunks or a resolution, so the
 * renderer hands its image surface's pixels to this writer instead.  The
 * pixels are 32-bit native-endian words, alpha in the top byte, colours
 * premultiplied by alpha (CAIRO_FORMAT_ARGB32); the file gets 8-bit RGB when
 * every pixel is opaque, else RGBA, its rows deflated in bands on the
 * executor of par.h (the bytes do not depend on the thread count).
 */
#ifndef HS_PLOT_PNG_WRITE_H
#define HS_PLOT_PNG_WRITE_H

#include <stddef.h>
#include <stdio.h>

struct hs_png_text {
    const char *key;   /* a PNG keyword: 1..79 Latin-1 characters */
    const char *value; /* the text; NULL is written as "" */
};

/* Write the width x height image at data (rows stride bytes apart) to the
 * open stream fp as a PNG, with ntext tEXt chunks and, when dpi > 0, a
 * pHYs chunk of dpi / 0.0254 pixels per metre.  The stream is not closed.
 * Returns 0, or -1 with a message in msg (HS_PLOT_MSG_MAX bytes; may be
 * NULL). */
int hs_png_write(FILE *fp, const unsigned char *data, int width, int height, int stride,
                 double dpi, const struct hs_png_text *text, size_t ntext, char *msg);

#endif

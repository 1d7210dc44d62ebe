#include "config.h"

#include "ui/screen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "err.h"
#include "plots/canvas.h"
#include "plots/canvas.h"
#include "plots/palette.h"

/* Decode one UTF-8 character at s: its code point in *cp and its length,
 * or *cp = -1 and length 1 for an invalid or truncated sequence (so that
 * garbage in a column name shows as '?' instead of breaking the row). */
static int
utf8_decode(const char *s, long *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    int len;
    long c, min;

    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if ((u[0] & 0xe0) == 0xc0) {
        len = 2, c = u[0] & 0x1f, min = 0x80;
    } else if ((u[0] & 0xf0) == 0xe0) {
        len = 3, c = u[0] & 0x0f, min = 0x800;
    } else if ((u[0] & 0xf8) == 0xf0) {
        len = 4, c = u[0] & 0x07, min = 0x10000;
    } else {
        *cp = -1;
        return 1;
    }
    for (int i = 1; i < len; i++) {
        if ((u[i] & 0xc0) != 0x80) {
            *cp = -1;
            return 1;
        }
        c = c << 6 | (u[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
        *cp = -1;
        return 1;
    }
    *cp = c;
    return len;
}

/* Columns a code point takes: 0 for combining marks (dropped), 2 for wide
 * ones; -1 marks one to replace by '?' (controls, invalid). */
static int
cp_width(long cp)
{
    int w;

    if (cp < 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
        return -1;
    if (cp < 0x7f)
        return 1;
    w = wcwidth((wchar_t)cp);
    /* Outside a UTF-8 locale wcwidth knows nothing: assume one column. */
    return w < 0 ? 1 : w;
}

struct hs_screen *
hs_screen_new(int w, int h)
{
    struct hs_screen *s = calloc(1, sizeof *s);

    if (!s)
        return NULL;
    if (hs_screen_resize(s, w, h) != HS_OK) {
        free(s);
        return NULL;
    }
    return s;
}

void
hs_screen_free(struct hs_screen *s)
{
    if (!s)
        return;
    free(s->cells);
    free(s);
}

int
hs_screen_resize(struct hs_screen *s, int w, int h)
{
    struct hs_scell *cells;
    size_t n;

    w = w < 0 ? 0 : w;
    h = h < 0 ? 0 : h;
    n = (size_t)w * (size_t)h;
    cells = calloc(n ? n : 1, sizeof *cells);
    if (!cells)
        return HS_ENOMEM;
    free(s->cells);
    s->cells = cells;
    s->w = w;
    s->h = h;
    hs_screen_clear(s);
    return HS_OK;
}

void
hs_screen_clear(struct hs_screen *s)
{
    hs_screen_fill(s, 0, 0, s->w, s->h, HS_COLOR_NORMAL, 0);
    s->cur_x = s->cur_y = -1;
}

struct hs_scell *
hs_screen_cell(struct hs_screen *s, int x, int y)
{
    if (x < 0 || y < 0 || x >= s->w || y >= s->h)
        return NULL;
    return &s->cells[(size_t)y * (size_t)s->w + (size_t)x];
}

static void
set_cell(struct hs_scell *c, const char *ch, size_t len, enum hs_color color, unsigned attr)
{
    memcpy(c->ch, ch, len);
    c->ch[len] = '\0';
    c->color = (unsigned char)color;
    c->attr = (unsigned char)attr;
    c->xc = 0;
}

void
hs_screen_fill(struct hs_screen *s, int x, int y, int w, int h, enum hs_color color,
               unsigned attr)
{
    for (int j = y; j < y + h; j++)
        for (int i = x; i < x + w; i++) {
            struct hs_scell *c = hs_screen_cell(s, i, j);
            if (c)
                set_cell(c, " ", 1, color, attr);
        }
}

void
hs_screen_style(struct hs_screen *s, int x, int y, int n, enum hs_color color, unsigned attr)
{
    for (int i = x; i < x + n; i++) {
        struct hs_scell *c = hs_screen_cell(s, i, y);
        if (c) {
            c->color = (unsigned char)color;
            c->attr = (unsigned char)attr;
        }
    }
}

void
hs_screen_add_attr(struct hs_screen *s, int x, int y, int n, unsigned attr)
{
    for (int i = x; i < x + n; i++) {
        struct hs_scell *c = hs_screen_cell(s, i, y);
        if (c)
            c->attr |= (unsigned char)attr;
    }
}

int
hs_screen_put(struct hs_screen *s, int x, int y, int maxw, const char *str, enum hs_color color,
              unsigned attr)
{
    int col = 0;

    if (maxw < 0)
        maxw = s->w - x;
    while (*str && col < maxw) {
        long cp;
        int len = utf8_decode(str, &cp);
        int cw = cp_width(cp);
        const char *glyph = str;
        size_t glen = (size_t)len;

        str += len;
        if (cw == 0)
            continue;
        if (cw < 0) {
            glyph = "?";
            glen = 1;
            cw = 1;
        }
        if (cw == 2 && col + 2 > maxw) {
            /* Half a wide character would be a lie: pad instead. */
            struct hs_scell *c = hs_screen_cell(s, x + col, y);
            if (c)
                set_cell(c, " ", 1, color, attr);
            col++;
            break;
        }
        struct hs_scell *c = hs_screen_cell(s, x + col, y);
        if (c) {
            if (cw == 2 && !hs_screen_cell(s, x + col + 1, y))
                set_cell(c, " ", 1, color, attr);
            else
                set_cell(c, glyph, glen, color, attr);
        }
        if (cw == 2) {
            struct hs_scell *c2 = hs_screen_cell(s, x + col + 1, y);
            if (c2)
                set_cell(c2, "", 0, color, attr);
        }
        col += cw;
    }
    return col;
}

int
hs_text_width(const char *str)
{
    int w = 0;

    while (*str) {
        long cp;
        int cw;

        str += utf8_decode(str, &cp);
        cw = cp_width(cp);
        w += cw < 0 ? 1 : cw;
    }
    return w;
}

size_t
hs_text_fit(const char *str, int w)
{
    const char *p = str;
    int used = 0;

    while (*p) {
        long cp;
        int len = utf8_decode(p, &cp);
        int cw = cp_width(cp);

        cw = cw < 0 ? 1 : cw;
        if (used + cw > w)
            break;
        used += cw;
        p += len;
    }
    return (size_t)(p - str);
}

void
hs_screen_put_field(struct hs_screen *s, int x, int y, int w, const char *str,
                    enum hs_align align, enum hs_color color, unsigned attr)
{
    int tw, pad;

    if (w <= 0)
        return;
    hs_screen_fill(s, x, y, w, 1, color, attr);
    tw = hs_text_width(str);
    if (tw > w) {
        /* Cut and mark the cut with '~' on the side that lost text. */
        if (w == 1) {
            hs_screen_put(s, x, y, 1, "~", color, attr);
        } else if (align == HS_ALIGN_RIGHT) {
            const char *p = str;
            /* Drop characters from the front until the rest fits w - 1. */
            while (*p && hs_text_width(p) > w - 1) {
                long cp;
                p += utf8_decode(p, &cp);
            }
            hs_screen_put(s, x, y, 1, "~", color, attr);
            hs_screen_put(s, x + w - hs_text_width(p), y, w - 1, p, color, attr);
        } else {
            int n = hs_screen_put(s, x, y, w - 1, str, color, attr);
            hs_screen_put(s, x + n, y, 1, "~", color, attr);
        }
        return;
    }
    pad = align == HS_ALIGN_RIGHT ? w - tw : align == HS_ALIGN_CENTER ? (w - tw) / 2 : 0;
    hs_screen_put(s, x + pad, y, w - pad, str, color, attr);
}

void
hs_screen_printf(struct hs_screen *s, int x, int y, int w, enum hs_color color, unsigned attr,
                 const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    hs_screen_put_field(s, x, y, w, buf, HS_ALIGN_LEFT, color, attr);
}

void
hs_screen_set_cursor(struct hs_screen *s, int x, int y)
{
    s->cur_x = x;
    s->cur_y = y;
}

/* Shared by hs_screen_text and hs_screen_roles: one line per row, trailing
 * characters equal to blank cut. */
static char *
dump(const struct hs_screen *s, bool roles)
{
    static const char letters[HS_NCOLORS] = {'.', 'h', 's', 'b', 't', 'e', 'x', 'd', 'f'};
    size_t cap = (size_t)s->h * ((size_t)s->w * 4 + 1) + 1, len = 0;
    char *out = malloc(cap);

    if (!out)
        return NULL;
    for (int y = 0; y < s->h; y++) {
        size_t keep = len;
        for (int x = 0; x < s->w; x++) {
            const struct hs_scell *c = &s->cells[(size_t)y * (size_t)s->w + (size_t)x];
            if (roles) {
                char l = c->color < HS_NCOLORS ? letters[c->color] : '?';
                if (c->attr & HS_ATTR_REVERSE)
                    l = l == '.' ? '#' : (char)(l - 'a' + 'A');
                out[len++] = l;
                if (l != '.')
                    keep = len;
            } else {
                size_t n = strlen(c->ch);
                memcpy(out + len, c->ch, n);
                len += n;
                if (n && strcmp(c->ch, " ") != 0)
                    keep = len;
            }
        }
        len = keep;
        out[len++] = '\n';
    }
    out[len] = '\0';
    return out;
}

char *
hs_screen_text(const struct hs_screen *s)
{
    return dump(s, false);
}

char *
hs_screen_roles(const struct hs_screen *s)
{
    return dump(s, true);
}

/* A palette colour as the TUI's colour role. */
static enum hs_color
role_of(int color)
{
    return color == HS_PAL_SIGNAL       ? HS_COLOR_SIGNAL
           : color == HS_PAL_BACKGROUND ? HS_COLOR_BACKGROUND
                                        : HS_COLOR_NORMAL;
}

void
hs_screen_put_canvas(struct hs_screen *s, const struct hs_canvas *c, int x, int y)
{
    for (int j = 0; j < c->height; j++)
        for (int i = 0; i < c->width; i++) {
            const struct hs_cell *cc = hs_canvas_cell(c, i, j);
            struct hs_scell *sc = hs_screen_cell(s, x + i, y + j);
            size_t len = strlen(cc->glyph);

            if (!sc || len >= sizeof sc->ch)
                continue;
            memcpy(sc->ch, cc->glyph, len + 1);
            if (!len)
                memcpy(sc->ch, " ", 2);
            sc->color = (unsigned char)role_of(cc->color);
            sc->attr = cc->bold ? HS_ATTR_BOLD : 0;
            sc->xc = 0;
            if (cc->rgb >= 0) {
                struct hs_rgb rgb = {((cc->rgb >> 16) & 255) / 255.0,
                                     ((cc->rgb >> 8) & 255) / 255.0, (cc->rgb & 255) / 255.0};
                sc->xc = (unsigned char)hs_palette_rgb_xterm256(rgb);
            } else if (cc->color >= 0 && cc->color != HS_PAL_DATA) {
                sc->xc = (unsigned char)hs_palette_xterm256(cc->color);
            }
        }
}

struct hs_canvas *
hs_screen_canvas(const struct hs_screen *s, int w, int h, int mode, char *msg)
{
    struct hs_canvas *c = hs_canvas_new(w, h, (enum hs_canvas_mode)mode, msg);

    if (c)
        c->mono = s->mono;
    return c;
}

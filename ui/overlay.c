#include "config.h"

#include "ui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

void
hs_overlay_close(struct hs_overlay *o)
{
    for (size_t i = 0; i < o->nlines; i++)
        free(o->lines[i]);
    free(o->lines);
    free(o->title);
    memset(o, 0, sizeof *o);
}

/* One line of text with tabs expanded (to 8) and control characters other
 * than tab shown as '?': command output should never move the cursor. */
static char *
clean_line(const char *s, size_t n)
{
    size_t tabs = 0, len = 0, col = 0;
    char *out;

    for (size_t i = 0; i < n; i++)
        tabs += s[i] == '\t';
    out = malloc(n + tabs * 8 + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t') {
            do
                out[len++] = ' ';
            while (++col % 8);
            continue;
        }
        if (c == '\r')
            continue;
        out[len++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
        if ((c & 0xc0) != 0x80)
            col++;
    }
    out[len] = '\0';
    return out;
}

int
hs_overlay_open(struct hs_overlay *o, const char *title, const char *text)
{
    size_t n = 1, k = 0;
    const char *p;

    hs_overlay_close(o);
    for (p = text; *p; p++)
        n += *p == '\n';
    o->lines = calloc(n, sizeof *o->lines);
    o->title = strdup(title ? title : "");
    if (!o->lines || !o->title)
        goto fail;
    for (p = text; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (!(o->lines[k] = clean_line(p, len)))
            goto fail;
        if (hs_text_width(o->lines[k]) > o->width)
            o->width = hs_text_width(o->lines[k]);
        k++;
        o->nlines = k;
        p += len + (e ? 1 : 0);
    }
    o->sc.n = k;
    o->sc.page = 1;
    o->open = true;
    return HS_OK;
fail:
    hs_overlay_close(o);
    return HS_ENOMEM;
}

/* The overlay scrolls its text: no cursor, the top line and the left
 * column move (by 8 columns, as a tab stop). */
void
hs_overlay_move(struct hs_overlay *o, enum hs_move m, size_t count)
{
    size_t page = o->sc.page > 0 ? (size_t)o->sc.page : 1;
    size_t max = o->nlines > page ? o->nlines - page : 0;
    int step = count > 1000 ? 8000 : 8 * (int)count;

    switch (m) {
    case HS_MOVE_LEFT:
        o->hoff = o->hoff > step ? o->hoff - step : 0;
        break;
    case HS_MOVE_RIGHT:
        o->hoff += step; /* clamped when drawn, when the width is known */
        break;
    case HS_MOVE_FIRST_COLUMN:
        o->hoff = 0;
        break;
    case HS_MOVE_LAST_COLUMN:
        o->hoff = o->width;
        break;
    case HS_MOVE_UP:
        o->sc.top = o->sc.top > count ? o->sc.top - count : 0;
        break;
    case HS_MOVE_DOWN:
        o->sc.top += count;
        break;
    case HS_MOVE_PAGE_UP:
        o->sc.top = o->sc.top > page * count ? o->sc.top - page * count : 0;
        break;
    case HS_MOVE_PAGE_DOWN:
        o->sc.top += page * count;
        break;
    case HS_MOVE_TOP:
        o->sc.top = 0;
        break;
    case HS_MOVE_BOTTOM:
        o->sc.top = max;
        break;
    default:
        break;
    }
    if (o->sc.top > max)
        o->sc.top = max;
}

void
hs_overlay_draw(struct hs_overlay *o, struct hs_screen *s, int x, int y, int w, int h)
{
    int inner = h - 2;
    size_t max;
    char hint[96];

    if (!o->open || w < 8 || h < 3)
        return;
    hs_screen_fill(s, x, y, w, h, HS_COLOR_NORMAL, 0);
    /* The frame: a box in the header colour, the title in its top edge. */
    for (int i = 1; i < w - 1; i++) {
        hs_screen_put(s, x + i, y, 1, "─", HS_COLOR_HEADER, 0);
        hs_screen_put(s, x + i, y + h - 1, 1, "─", HS_COLOR_HEADER, 0);
    }
    for (int j = 1; j < h - 1; j++) {
        hs_screen_put(s, x, y + j, 1, "│", HS_COLOR_HEADER, 0);
        hs_screen_put(s, x + w - 1, y + j, 1, "│", HS_COLOR_HEADER, 0);
    }
    hs_screen_put(s, x, y, 1, "┌", HS_COLOR_HEADER, 0);
    hs_screen_put(s, x + w - 1, y, 1, "┐", HS_COLOR_HEADER, 0);
    hs_screen_put(s, x, y + h - 1, 1, "└", HS_COLOR_HEADER, 0);
    hs_screen_put(s, x + w - 1, y + h - 1, 1, "┘", HS_COLOR_HEADER, 0);
    if (o->title[0]) {
        int tw = hs_screen_put(s, x + 2, y, w - 6, " ", HS_COLOR_HEADER, HS_ATTR_BOLD);
        tw += hs_screen_put(s, x + 2 + tw, y, w - 6 - tw, o->title, HS_COLOR_HEADER,
                            HS_ATTR_BOLD);
        hs_screen_put(s, x + 2 + tw, y, 1, " ", HS_COLOR_HEADER, HS_ATTR_BOLD);
    }

    o->sc.page = inner;
    max = o->nlines > (size_t)inner ? o->nlines - (size_t)inner : 0;
    if (o->sc.top > max)
        o->sc.top = max;
    if (o->hoff > o->width - (w - HS_OVERLAY_PAD))
        o->hoff = o->width - (w - HS_OVERLAY_PAD) > 0 ? o->width - (w - HS_OVERLAY_PAD) : 0;
    for (int j = 0; j < inner && o->sc.top + (size_t)j < o->nlines; j++) {
        const char *l = o->lines[o->sc.top + (size_t)j];
        hs_screen_put(s, x + 2, y + 1 + j, w - HS_OVERLAY_PAD, l + hs_text_fit(l, o->hoff),
                      HS_COLOR_NORMAL, 0);
    }

    bool wide = o->width > w - HS_OVERLAY_PAD;
    if (o->nlines > (size_t)inner)
        snprintf(hint, sizeof hint, " lines %zu-%zu of %zu,%s Esc closes ", o->sc.top + 1,
                 o->sc.top + (size_t)inner, o->nlines, wide ? " Left/Right scroll," : "");
    else
        snprintf(hint, sizeof hint, "%s Esc closes ", wide ? " Left/Right scroll," : "");
    if (hs_text_width(hint) <= w - 4)
        hs_screen_put(s, x + w - 2 - hs_text_width(hint), y + h - 1, -1, hint, HS_COLOR_DIM, 0);
}

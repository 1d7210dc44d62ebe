/* overlay.h: the text window for help and command output. */
#ifndef HS_OVERLAY_H
#define HS_OVERLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/screen.h"
#include "ui/scroll.h"

/* ---- text window for help and command output (ui/overlay.c) ---- */
struct hs_overlay {
    bool open;
    char *title;
    char **lines;
    size_t nlines;
    struct hs_scroll sc; /* top is the first line shown */
    int width;           /* columns of the widest line */
    int hoff;            /* columns scrolled off to the left */
};

/* Open with a copy of text, split into lines.  HS_OK or HS_ENOMEM. */
int hs_overlay_open(struct hs_overlay *o, const char *title, const char *text);
void hs_overlay_close(struct hs_overlay *o);
void hs_overlay_move(struct hs_overlay *o, enum hs_move m, size_t count);
void hs_overlay_draw(struct hs_overlay *o, struct hs_screen *s, int x, int y, int w, int h);
/* Columns of an overlay's width taken by its frame and padding. */
#define HS_OVERLAY_PAD 4

#endif

/* screen.h: a cell buffer that the TUI's views draw into.
 *
 * A screen is width x height cells; each holds one UTF-8 character, a
 * colour role and attributes.  Views draw here and never call ncurses, so a
 * view can be rendered in a test and compared as text (hs_screen_text,
 * hs_screen_roles).  Only ui/tui.c copies a screen to the terminal, mapping
 * roles to colour pairs (or, under NO_COLOR, to bold and reverse).
 *
 * Drawing is clipped: writing outside the screen does nothing.  A wide
 * character (two columns) takes its cell and the next one, whose glyph is
 * empty; one that does not fit becomes a space.
 */
#ifndef HS_SCREEN_H
#define HS_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

struct hs_canvas;

/* Colour roles: what a cell means, not what colour it is. */
enum hs_color {
    HS_COLOR_NORMAL = 0,
    HS_COLOR_HEADER,     /* column names, section titles */
    HS_COLOR_SIGNAL,     /* signal events */
    HS_COLOR_BACKGROUND, /* background events */
    HS_COLOR_STATUS,     /* the title and status bars */
    HS_COLOR_ERROR,      /* an error message */
    HS_COLOR_SELECTION,  /* the active tab, the current column's name */
    HS_COLOR_DIM,        /* missing values, hints */
    HS_COLOR_DERIVED,    /* derived features: their names in lists and headers */
    HS_NCOLORS
};

enum hs_attr {
    HS_ATTR_BOLD = 1 << 0,
    HS_ATTR_REVERSE = 1 << 1, /* the cursor row */
    HS_ATTR_UNDERLINE = 1 << 2,
};

enum hs_align {
    HS_ALIGN_LEFT,
    HS_ALIGN_RIGHT,
    HS_ALIGN_CENTER,
};

struct hs_scell {
    char ch[5];          /* one UTF-8 character and its NUL; "" right of a wide one */
    unsigned char color; /* enum hs_color */
    unsigned char attr;  /* enum hs_attr bits */
    unsigned char xc;    /* an xterm-256 colour (16..255) that a 256-colour terminal
                            shows instead of the role's (the plots' palette), 0 for none */
};

struct hs_screen {
    int w, h;
    struct hs_scell *cells; /* h rows of w cells */
    int cur_x, cur_y;      /* the terminal cursor, or -1 when hidden */
    bool mono;             /* the terminal shows no colours (NO_COLOR, or none to show):
                              figures tell their series apart by glyph */
};

/* A new blank screen (w, h >= 0); NULL when out of memory. */
struct hs_screen *hs_screen_new(int w, int h);
void hs_screen_free(struct hs_screen *s);
/* Change the size; the screen is blank afterwards.  HS_OK or HS_ENOMEM. */
int hs_screen_resize(struct hs_screen *s, int w, int h);
/* Blank every cell (space, normal, no attributes); hide the cursor. */
void hs_screen_clear(struct hs_screen *s);

/* A canvas of w x h cells in mode (enum hs_canvas_mode) for a figure on
 * this screen, monochrome when the screen is; NULL when out of memory
 * or too small, with a message in msg (HS_PLOT_MSG_MAX bytes). */
struct hs_canvas *hs_screen_canvas(const struct hs_screen *s, int w, int h, int mode, char *msg);

/* The cell at (x, y), or NULL outside the screen. */
struct hs_scell *hs_screen_cell(struct hs_screen *s, int x, int y);

/* Fill a rectangle with spaces of one style. */
void hs_screen_fill(struct hs_screen *s, int x, int y, int w, int h, enum hs_color color,
                    unsigned attr);
/* Restyle a run of n cells of row y, keeping their characters. */
void hs_screen_style(struct hs_screen *s, int x, int y, int n, enum hs_color color, unsigned attr);
/* Add attributes to a run of n cells of row y. */
void hs_screen_add_attr(struct hs_screen *s, int x, int y, int n, unsigned attr);

/* Write str at (x, y) using at most maxw columns (maxw < 0: to the right
 * edge).  Control characters and invalid UTF-8 show as '?'.  Returns the
 * number of columns written. */
int hs_screen_put(struct hs_screen *s, int x, int y, int maxw, const char *str,
                  enum hs_color color, unsigned attr);
/* Write str into a field of exactly w columns, aligned and padded with
 * spaces of the same style; a string that is too long is cut and ends in
 * '~' (left aligned) or starts with '~' (right aligned). */
void hs_screen_put_field(struct hs_screen *s, int x, int y, int w, const char *str,
                         enum hs_align align, enum hs_color color, unsigned attr);
/* printf into a field of w columns (left aligned). */
void hs_screen_printf(struct hs_screen *s, int x, int y, int w, enum hs_color color,
                      unsigned attr, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Put the terminal cursor at (x, y); hs_screen_clear hides it. */
void hs_screen_set_cursor(struct hs_screen *s, int x, int y);

/* Columns the UTF-8 string takes on screen (invalid bytes count 1). */
int hs_text_width(const char *str);
/* Bytes of the longest prefix of str that fits in w columns. */
size_t hs_text_fit(const char *str, int w);

/* The screen as text: h lines, each ending in '\n', trailing blanks cut.
 * New string, caller frees; NULL when out of memory. */
char *hs_screen_text(const struct hs_screen *s);
/* The colour roles as text, one letter per cell ('.' normal, h header,
 * s signal, b background, t status, e error, x selection, d dim, f derived), upper
 * case when the cell is reversed ('#' for a reversed normal cell);
 * trailing '.' cut.  New string. */
char *hs_screen_roles(const struct hs_screen *s);

/* How many decimal digits n has (a width for row numbers and counts). */
static inline int
hs_ndigits(size_t n)
{
    int d = 1;

    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

struct hs_canvas;
/* Copy a canvas (plots/canvas.h) to the screen at (x, y): signal and
 * background in their colour roles, other palette colours as xterm hints
 * that tui.c follows only on a 256-colour terminal; the data colour and
 * the axes keep the terminal's own foreground. */
void hs_screen_put_canvas(struct hs_screen *s, const struct hs_canvas *c, int x, int y);

#endif

/* palette.h: the colours of every figure.
 *
 * A colour-blind-safe qualitative palette (Okabe and Ito, 2008) with fixed
 * roles, so that signal and background look the same everywhere: in the
 * terminal (as the nearest of the 256 xterm colours, or the 8 basic ones)
 * and in files (as sRGB).  Eleven categories (clusters, group values)
 * have colours of their own: Okabe and Ito's five beyond the roles and
 * six of Paul Tol's (2021); five ordered bands (a score's) take viridis
 * at 0, 1/4, 1/2, 3/4 and 1.  Heat maps use a perceptually uniform sequential
 * map (viridis), and a diverging one for correlations.
 */
#ifndef HS_PLOT_PALETTE_H
#define HS_PLOT_PALETTE_H

enum hs_palette_role {
    HS_PAL_SIGNAL = 0,     /* blue */
    HS_PAL_BACKGROUND = 1, /* orange */
    HS_PAL_DATA = 2,       /* black (light grey on a dark terminal) */
    HS_PAL_CAT0 = 3,       /* further categories: background processes, clusters */
    HS_PAL_NCATS = 11,     /* HS_PAL_CAT0 .. + 10: distinct, none a role's colour */
    HS_PAL_SEQ0 = HS_PAL_CAT0 + HS_PAL_NCATS, /* ordered bands: viridis, low to high */
    HS_PAL_NSEQ = 5,
    HS_PAL_NCOLORS = HS_PAL_SEQ0 + HS_PAL_NSEQ,
};

struct hs_rgb {
    double r, g, b; /* in [0, 1] */
};

/* The colour of palette index i (any int: indices wrap past the end). */
struct hs_rgb hs_palette_color(int i);
/* The nearest xterm-256 colour index, and the nearest of the 8 basic ones. */
int hs_palette_xterm256(int i);
int hs_palette_basic8(int i);

/* The nearest xterm-256 colour (16..255: the 6x6x6 cube and the greys,
 * never the user-configurable first 16) and the nearest of the 8 basic
 * ANSI colours to any sRGB colour. */
int hs_palette_rgb_xterm256(struct hs_rgb c);
int hs_palette_rgb_basic8(struct hs_rgb c);

/* Sequential map for heat maps: t in [0, 1] to a colour (viridis). */
struct hs_rgb hs_palette_sequential(double t);
/* Diverging map for values in [-1, 1] (correlations): blue, white, red. */
struct hs_rgb hs_palette_diverging(double v);

#endif

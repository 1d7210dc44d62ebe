/* palette.c: the Okabe-Ito palette, terminal approximations, heat maps. */
#include "config.h"

#include "plots/palette.h"

#include <math.h>

#define RGB8(r, g, b) { (r) / 255.0, (g) / 255.0, (b) / 255.0 }

/* Okabe, M. and Ito, K. (2008), "Color Universal Design": in the role order
 * of palette.h (signal, background, data, then the other categories);
 * then six more categories from Paul Tol's muted and bright schemes
 * (personal.sron.nl/~pault, 2021), chosen far from the eight and from
 * each other (their nearest xterm-256 colours differ too); then the
 * sequential bands, viridis at t = 0, 1/4, 1/2, 3/4, 1 (the table
 * below). */
static const struct hs_rgb okabe_ito[HS_PAL_NCOLORS] = {
    RGB8(0x00, 0x72, 0xB2), /* blue: signal */
    RGB8(0xE6, 0x9F, 0x00), /* orange: background */
    RGB8(0x00, 0x00, 0x00), /* black: data */
    RGB8(0x00, 0x9E, 0x73), /* bluish green */
    RGB8(0xCC, 0x79, 0xA7), /* reddish purple */
    RGB8(0x56, 0xB4, 0xE9), /* sky blue */
    RGB8(0xD5, 0x5E, 0x00), /* vermillion */
    RGB8(0xF0, 0xE4, 0x42), /* yellow */
    RGB8(0x88, 0x22, 0x55), /* Tol: wine */
    RGB8(0x33, 0x22, 0x88), /* Tol: indigo */
    RGB8(0x99, 0x99, 0x33), /* Tol: olive */
    RGB8(0x44, 0xAA, 0x99), /* Tol: teal */
    RGB8(0xCC, 0x66, 0x77), /* Tol: rose */
    RGB8(0x66, 0x33, 0x00), /* brown */
    {0.267004, 0.004874, 0.329415}, /* viridis 0 */
    {0.229739, 0.322361, 0.545706}, /* viridis 1/4 */
    {0.127568, 0.566949, 0.550556}, /* viridis 1/2 */
    {0.369214, 0.788888, 0.382914}, /* viridis 3/4 */
    {0.993248, 0.906157, 0.143936}, /* viridis 1 */
};

static int
wrap(int i)
{
    int m = i % HS_PAL_NCOLORS;
    return m < 0 ? m + HS_PAL_NCOLORS : m;
}

struct hs_rgb
hs_palette_color(int i)
{
    return okabe_ito[wrap(i)];
}

static double
dist2(struct hs_rgb a, double r, double g, double b)
{
    return (a.r - r) * (a.r - r) + (a.g - g) * (a.g - g) + (a.b - b) * (a.b - b);
}

int
hs_palette_rgb_xterm256(struct hs_rgb c)
{
    static const int level[6] = {0, 95, 135, 175, 215, 255};
    int best = 16;
    double bd = INFINITY;
    for (int i = 0; i < 216; i++) {
        double r = level[i / 36] / 255.0, g = level[i / 6 % 6] / 255.0, b = level[i % 6] / 255.0;
        double d = dist2(c, r, g, b);
        if (d < bd) {
            bd = d;
            best = 16 + i;
        }
    }
    for (int i = 0; i < 24; i++) {
        double v = (8 + 10 * i) / 255.0;
        double d = dist2(c, v, v, v);
        if (d < bd) {
            bd = d;
            best = 232 + i;
        }
    }
    return best;
}

int
hs_palette_rgb_basic8(struct hs_rgb c)
{
    /* xterm's defaults for the 8 basic colours. */
    static const struct hs_rgb basic[8] = {
        RGB8(0, 0, 0),       RGB8(205, 0, 0),   RGB8(0, 205, 0),   RGB8(205, 205, 0),
        RGB8(0, 0, 238),     RGB8(205, 0, 205), RGB8(0, 205, 205), RGB8(229, 229, 229),
    };
    int best = 0;
    double bd = INFINITY;
    for (int i = 0; i < 8; i++) {
        double d = dist2(c, basic[i].r, basic[i].g, basic[i].b);
        if (d < bd) {
            bd = d;
            best = i;
        }
    }
    return best;
}

int
hs_palette_xterm256(int i)
{
    return hs_palette_rgb_xterm256(hs_palette_color(i));
}

int
hs_palette_basic8(int i)
{
    return hs_palette_rgb_basic8(hs_palette_color(i));
}

static struct hs_rgb
lerp(struct hs_rgb a, struct hs_rgb b, double u)
{
    struct hs_rgb c = {a.r + (b.r - a.r) * u, a.g + (b.g - a.g) * u, a.b + (b.b - a.b) * u};
    return c;
}

/* viridis (van der Walt and Smith, 2015), sampled at t = i/16 from
 * matplotlib's table (matplotlib/_cm_listed.py, _viridis_data) and
 * interpolated linearly between the samples. */
static const struct hs_rgb viridis[17] = {
    {0.267004, 0.004874, 0.329415}, {0.282327, 0.094955, 0.417331},
    {0.278826, 0.175490, 0.483397}, {0.258965, 0.251537, 0.524736},
    {0.229739, 0.322361, 0.545706}, {0.199430, 0.387607, 0.554642},
    {0.172719, 0.448791, 0.557885}, {0.149039, 0.508051, 0.557250},
    {0.127568, 0.566949, 0.550556}, {0.120638, 0.625828, 0.533488},
    {0.157851, 0.683765, 0.501686}, {0.246070, 0.738910, 0.452024},
    {0.369214, 0.788888, 0.382914}, {0.515992, 0.831158, 0.294279},
    {0.678489, 0.863742, 0.189503}, {0.845561, 0.887322, 0.099702},
    {0.993248, 0.906157, 0.143936},
};

struct hs_rgb
hs_palette_sequential(double t)
{
    if (!(t > 0))
        t = 0; /* NaN too */
    if (t > 1)
        t = 1;
    double x = t * 16;
    int i = (int)x;
    if (i >= 16)
        return viridis[16];
    return lerp(viridis[i], viridis[i + 1], x - i);
}

/* ColorBrewer's RdBu ends (#2166AC, #B2182B) through near-white #F7F7F7. */
struct hs_rgb
hs_palette_diverging(double v)
{
    static const struct hs_rgb blue = RGB8(0x21, 0x66, 0xAC), white = RGB8(0xF7, 0xF7, 0xF7),
                               red = RGB8(0xB2, 0x18, 0x2B);
    if (!(v == v))
        v = 0;
    if (v < -1)
        v = -1;
    if (v > 1)
        v = 1;
    return v < 0 ? lerp(white, blue, -v) : lerp(white, red, v);
}

/* figure.h: a figure described as data, for every renderer.
 *
 * plots/ knows nothing of the engine, the session or the terminal: a
 * caller fills a figure with numbers and strings, and a renderer draws it
 * into a cell buffer (canvas.h) or a PNG, SVG or PDF file (cairo_render.h).
 *
 * A figure has a main panel and, optionally, a ratio panel under it that
 * shares its x axis (data over simulation).  A panel has two axes and a
 * list of series.  Colours are palette indices (palette.h), so that signal
 * and background are the same colours in every figure, terminal and file.
 *
 * The figure owns everything in it: hs_figure_add_* copy their arrays and
 * strings.  Functions that can fail return 0, or -1 with a message in the
 * caller's buffer (msg, HS_PLOT_MSG_MAX bytes; may be NULL).
 */
#ifndef HS_PLOT_FIGURE_H
#define HS_PLOT_FIGURE_H

#include <stdbool.h>
#include <stddef.h>

#define HS_PLOT_MSG_MAX 256

enum hs_axis_scale {
    HS_AXIS_LINEAR = 0,
    HS_AXIS_LOG = 1,  /* only positive values are drawn */
};

struct hs_axis {
    char *label;              /* with units, "m_mumu [GeV]"; may be NULL */
    enum hs_axis_scale scale;
    bool fixed;               /* lo and hi were set; else the renderer takes the data's range */
    double lo, hi;
};

enum hs_series_kind {
    HS_SERIES_HIST,     /* nbins contents y over edges x[0..nbins]; steps or filled bars */
    HS_SERIES_POINTS,   /* markers at (x, y) with optional vertical errors yerr */
    HS_SERIES_LINE,     /* a polyline through (x, y) */
    HS_SERIES_SCATTER,  /* markers at (x, y), one colour, or one per point from cat[] */
    HS_SERIES_HEATMAP,  /* z[ny][nx] over x edges [nx+1] and y edges [ny+1], with a colour bar */
    HS_SERIES_BAND,     /* an uncertainty band over histogram bins: n bins over edges
                           x[0..n], from y - yerr to y + yerr, hatched; in the legend as
                           a hatched box (the simulation's statistical uncertainty) */
};

enum hs_hist_style {
    HS_HIST_STEP = 0,   /* an outline */
    HS_HIST_FILLED = 1, /* filled bars (with the series' alpha) and an outline */
};

struct hs_series {
    enum hs_series_kind kind;
    char *label;        /* for the legend; NULL keeps it out of the legend */
    int color;          /* palette index */
    double alpha;       /* fill opacity in (0, 1] for filled histograms */
    enum hs_hist_style style;
    int stack;          /* histograms with the same non-zero stack number are drawn stacked,
                           in the order they were added (the first at the bottom) */
    size_t n;           /* points, or bins for a histogram */
    double *x;          /* n values, or n + 1 edges for a histogram */
    double *y;          /* n values (contents for a histogram) */
    double *yerr;       /* n symmetric errors, or NULL */
    int *cat;           /* scatter: n palette indices, or NULL */
    size_t nx, ny;      /* heat map size */
    double *z;          /* heat map values, row after row (ny rows of nx); NaN = empty */
    char *zlabel;       /* the colour bar's label; may be NULL */
    bool zvalues;       /* write each cell's value in it (correlation matrices) */
    char **xnames;      /* heat map: optional names of the nx columns (tick labels) */
    char **ynames;      /* and of the ny rows */
    bool zdiverging;    /* heat map: the diverging map, symmetric about 0 (correlations);
                           else the sequential one over the data's range */
    bool zlog;          /* heat map: the colour scale is logarithmic (cells <= 0 empty) */
};

struct hs_panel {
    struct hs_axis x, y;
    struct hs_series *series;
    size_t nseries, cap;
};

/* Where the legend goes. */
enum hs_legend_pos {
    HS_LEGEND_TOP = 0,     /* a top corner (the terminal takes the one with less ink) */
    HS_LEGEND_BOTTOM_LEFT, /* for curves that fill the top right, as ROC curves do */
};

struct hs_figure {
    char *title;        /* may be NULL */
    char *experiment;   /* the experiment's label in the top left corner, as mplhep draws
                           "CMS Open Data" with the luminosity and energy; may be NULL */
    char *text;         /* a free line in a corner, "hepscope demo, 220k events"; may be NULL */
    bool legend;        /* draw a legend of the labelled series */
    enum hs_legend_pos legend_pos;
    struct hs_panel main;
    bool has_ratio;     /* draw the ratio panel below main, sharing main's x axis */
    struct hs_panel ratio;
};

/* A new empty figure (linear axes, legend on); NULL when out of memory. */
struct hs_figure *hs_figure_new(void);
void hs_figure_free(struct hs_figure *f);

/* Set a string field (title, text, an axis label): copied; NULL clears. */
int hs_figure_set_string(char **field, const char *s, char *msg);

/* Add a series to a panel (copying its arrays and strings), returning a
 * pointer to the figure's copy (valid until the next add), or NULL. */
struct hs_series *hs_panel_add(struct hs_panel *p, const struct hs_series *s, char *msg);

/* The bounding range of a panel's data along x (axis 0) or y (axis 1),
 * stacked histograms summed, error bars included, only positive values on
 * a log axis.  On a linear y axis a histogram's range includes 0, where
 * its bars start.  false when there is nothing to draw. */
bool hs_panel_data_range(const struct hs_panel *p, int axis, double *lo, double *hi);

#endif

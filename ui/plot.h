/* plot.h: the parts of `hepscope plot` shared by its files.
 *
 * ui/cmd-plot.c holds the command, `plot hist` and `plot corr`;
 * ui/plot-more.c the data-versus-simulation comparison, `plot hist2d` and
 * `plot grid`; ui/plot.c the check of -o that every figure command makes.
 */
#ifndef HS_UI_PLOT_H
#define HS_UI_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "plots/cairo_render.h"
#include "plots/canvas.h"
#include "plots/figure.h"
#include "ui/cmd.h"
#include "ui/loaded.h"
#include "ui/select.h"

#define HS_PLOT_MAX_SERIES 12

/* The options of every command that draws a figure: where it goes and
 * what its labels say.  A command puts HS_FIGURE_OPTS in its option
 * table and hands its figure to hs_plot_out. */
/* clang-format off */
#define HS_FIGURE_OPTS \
    {"output", 'o', HS_OPT_VALUE, "FILE", "save the figure as " HS_FIGURE_FILE_TYPES}, \
    {"draw", 0, HS_OPT_FLAG, NULL, "with -o: draw the figure in the terminal as well"}, \
    {"ascii", 0, HS_OPT_FLAG, NULL, "in the terminal: plain ASCII instead of braille"}, \
    {"width", 0, HS_OPT_VALUE, "W", "pixels of a file (1600), or terminal columns"}, \
    {"height", 0, HS_OPT_VALUE, "H", "pixels of a file (1000), or terminal rows"}, \
    {"dpi", 0, HS_OPT_VALUE, "D", "dots per inch of a file (200)"}, \
    {"title", 0, HS_OPT_VALUE, "TEXT", "the figure's title, in place of the one it makes"}, \
    {"xlabel", 0, HS_OPT_VALUE, "TEXT", "the x axis's label"}, \
    {"ylabel", 0, HS_OPT_VALUE, "TEXT", "the y axis's label"}, \
    {"experiment", 0, HS_OPT_VALUE, "TEXT", \
     "the experiment's label in the corner (\"CMS Open Data, 11.6 fb^-1 (8 TeV)\")"}
/* clang-format on */
#define HS_FIGURE_USAGE                                                                            \
    "[-o FILE.png|.svg|.pdf [--draw]] [--width W --height H --dpi D] [--title TEXT] "              \
    "[--xlabel TEXT] [--ylabel TEXT] [--experiment TEXT] [--ascii]"

/* HS_EUSAGE when -o names a file no figure is saved as (one not ending
 * in .png, .svg or .pdf, in any case), with the message every figure
 * command gives; for a command's check, before its work. */
int hs_plot_check_output(struct hs_cmd *cmd);

/* Draw f in the terminal, or save it with -o (and draw it too with
 * --draw), after the labels the user gave (--title, --xlabel, --ylabel,
 * --experiment) replace the figure's own; errors in cmd->err. */
int hs_plot_out(struct hs_cmd *cmd, struct hs_figure *f);

/* The terminal's size in cells when the command's stdout is one. */
bool hs_plot_term_size(struct hs_cmd *cmd, size_t *cols, size_t *rows);
/* A canvas of cols x rows cells for the terminal: braille unless the
 * locale or --ascii say otherwise, and monochrome (a glyph for each
 * series) unless colours go to a terminal; NULL with cmd->err. */
struct hs_canvas *hs_plot_canvas_new(struct hs_cmd *cmd, size_t cols, size_t rows);
/* Print a drawn canvas: to the terminal with colours (not under
 * NO_COLOR), else as text to cmd->out. */
int hs_plot_canvas_print(struct hs_cmd *cmd, const struct hs_canvas *c);

/* --range LO:HI into lo and hi (left alone without --range). */
int hs_plot_range(struct hs_cmd *cmd, double *lo, double *hi);

/* Complete a histogram's binning over v[0..n): when *lo is NaN, the range
 * from the 0.1% to the 99.9% quantile; when *nbins is 0, the count by
 * Freedman-Diaconis (10 to 200 bins). */
int hs_plot_binning(struct hs_cmd *cmd, const double *v, size_t n, double *lo, double *hi,
                    size_t *nbins);

/* The background's groups as a mask (group code on background events, NaN
 * elsewhere; malloc'd, NULL without a group column) with up to max codes
 * and their names (numbers formatted into numbuf). */
int hs_plot_group_masks(struct hs_cmd *cmd, const struct hs_table *t, double **mask,
                        double *codes, const char **names, char (*numbuf)[32], size_t max,
                        size_t *n);

/* The figures take ld narrowed to the selection sel already (ui/select.h)
 * and say so on the figure. */
/* plot hist FEATURE --data DATASET: ld is the simulation, idx and v its
 * feature and values, lo/hi/nbins the binning (NaN / 0 when not given);
 * the data are narrowed to the same selection. */
int hs_plot_hist_data(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
                      const struct hs_select *sel, size_t idx, const double *v, double lo,
                      double hi, size_t nbins);
int hs_plot_hist2d(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
                   const struct hs_select *sel);
int hs_plot_grid(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
                 const struct hs_select *sel);
/* plot scatter X Y [--color C] (ui/plot-scatter.c). */
int hs_plot_scatter(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
                    const struct hs_select *sel);

/* Does panel p show its histograms better on a log y axis: a class whose
 * fullest bin is over 100 times its median non-empty bin (a peak over a
 * tail decades lower), or a class whose peak is over 10 times another's,
 * which then lies flat on the axis (doca: the signal's spike over the
 * background's spread). */
bool hs_plot_wants_log(const struct hs_panel *p);

/* The most features a correlation figure and a grid draw: past that the
 * cells and panels are too small to read (and a grid of 10,000 panels is
 * past any canvas), so they draw those that separate best, and say so. */
#define HS_PLOT_CORR_MAX 40
#define HS_PLOT_GRID_MAX 100

/* When n > max: reorder the feature indices idx[0..n) so that the first
 * max are the features whose signal and background differ most (the
 * separation of `features`, over a sample of 2,000 of ld's events), in
 * their order in the set; put a note into note (size bytes: "the 40 of 10000 features that
 * separate best") and print it with `what`.  *kept is min(n, max); note
 * is "" when all are kept.  Derived values are computed on the sample
 * only.  Unlabelled data keeps the first max. */
int hs_plot_best(struct hs_cmd *cmd, struct hs_loaded *ld, const char *what, size_t *idx,
                 size_t n, size_t max, size_t *kept, char *note, size_t size);

#endif

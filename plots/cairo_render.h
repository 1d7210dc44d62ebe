/* cairo_render.h: draw a figure with cairo into a PNG, SVG or PDF file.
 *
 * The figure looks like a slide or thesis plot, as mplhep draws one: white
 * background, a frame with inward major and minor ticks, DejaVu Sans text,
 * the experiment's label above the frame, the legend in the corner with no
 * data under it (the figure's legend_pos first; right of the frame when
 * every corner has data), the free text in the top-left corner, and the
 * ratio panel (when the figure has one) under the main panel.  Series
 * that share a colour differ by dashes and marker shapes.  Sizes of text,
 * lines and ticks are in points, so a figure looks the same at any DPI.
 */
#ifndef HS_PLOT_CAIRO_RENDER_H
#define HS_PLOT_CAIRO_RENDER_H

#include "plots/figure.h"

/* The file types a figure is saved as, in the words messages use. */
#define HS_FIGURE_FILE_TYPES ".png, .svg or .pdf"

/* Can hs_figure_save write path: does its last component end in one of
 * HS_FIGURE_FILE_TYPES, in any case ("Map.PNG" is a PNG)?  Commands ask
 * before their work, so that a wrong name is said at once. */
bool hs_figure_file_type_ok(const char *path);

/* Save f to path, the format from the extension (.png, .svg or .pdf, in
 * any case).  The image is width_px x height_px pixels at dpi dots per
 * inch; SVG and PDF pages are width_px x 72 / dpi points wide (and the
 * same for the height).  A PNG gets text chunks "Software" (hepscope and
 * its version) and "Command" (command, when not NULL) and its resolution.
 * The file is written under a temporary name in the same folder and
 * renamed at the end, so a failure never leaves a partial file (nor
 * replaces an existing one).  Returns 0, or -1 with a message in msg
 * (HS_PLOT_MSG_MAX bytes; may be NULL). */
int hs_figure_save(const struct hs_figure *f, const char *path, int width_px, int height_px,
                   double dpi, const char *command, char *msg);

/* Save n figures on one page, as hs_figure_save saves one (same formats,
 * sizes, text chunks and temporary file).  The page is cut into cols
 * columns (at most n) and as many rows as the figures need, in equal cells
 * filled row by row; each figure is drawn into its cell as it would be on
 * a page of the cell's size, at the same dpi, and clipped to it.  Cells
 * left over in the last row stay white.  Returns 0, or -1 with a message
 * in msg (HS_PLOT_MSG_MAX bytes; may be NULL). */
int hs_figures_save_grid(const struct hs_figure *const *figs, size_t n, int cols,
                         const char *path, int width_px, int height_px, double dpi,
                         const char *command, char *msg);

/* Free the font caches cairo and fontconfig keep for the whole process,
 * so that leak checkers (the sanitizer build) see a clean exit.  Call at
 * most once, at exit, after the last figure; no figure may be saved
 * after it. */
void hs_cairo_release(void);

#endif

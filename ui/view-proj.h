/* view-proj.h: the projections view.
 *
 * A stored projection of the shown dataset (`project pca|tsne|umap NAME`:
 * its learned columns NAME_1, NAME_2) as the scatter `plot scatter` draws
 * (ui/scatter.h), in braille, coloured by one of a list (label, group,
 * each clustering, each model's score) that one key cycles.  A cursor
 * moves over the map, the window follows it and zooms about it; two
 * marks (keys or mouse clicks) make a box, which becomes the TUI's active
 * selection (ui/where.h, drawn by the histogram view against the rest)
 * and can be saved as a cut set through `select --box`.  Computing a new
 * map runs on a worker thread (ui/tui-proj.c); the picture shown stays
 * until the new one is stored.
 *
 * The state below and its drawing know nothing of ncurses or of the
 * session: the figure is made by ui/tui-proj.c and kept here.
 */
#ifndef HS_VIEW_PROJ_H
#define HS_VIEW_PROJ_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "plots/figure.h"
#include "ui/screen.h"
#include "ui/scroll.h"

struct hs_proj_worker; /* ui/tui-proj.c */

/* A box on the map: x0 <= NAME_1 < x1 and y0 <= NAME_2 < y1. */
struct hs_proj_box {
    double x0, x1, y0, y1;
};

struct hs_proj_view {
    char dataset[128];      /* whose lists these are ("" : not loaded) */
    bool stale;             /* reload the lists before the next draw */
    char **names;           /* the dataset's projections of 2 dimensions or more */
    size_t nnames, cur;
    char **colors;          /* what may colour the points: "label", "group", columns */
    size_t ncolors, color;
    char want[128];         /* show this projection once it is listed ("" : none) */
    /* The scatter of names[cur] coloured by colors[color] (NULL: none yet),
     * made when either changes; the window below is applied when drawn. */
    struct hs_figure *fig;
    bool fig_stale;
    double xlo, xhi, ylo, yhi; /* the points' range */
    /* The window: its centre, and the zoom (1 shows every point). */
    double vx, vy, zoom;
    /* The cursor, in the map's coordinates. */
    double cx, cy;
    /* Marks: 0 none, 1 a corner set (the box follows the cursor), 2 a box. */
    int marks;
    double mx, my;          /* the first corner */
    struct hs_proj_box box; /* marks 2: the box (rounded, as the selection uses it) */
    /* The plot area on screen at the last draw, for clicks (aw 0: none). */
    int ax, ay, aw, ah;
    /* A map being computed. */
    struct hs_proj_worker *job;
    double progress;        /* fraction, or negative when unknown */
    char what[96];
    char method[16];
    bool stopping;
    char msg[HS_ERR_MSG_MAX]; /* why there is no map, or a note */
    bool msg_error;
};

void hs_proj_view_release(struct hs_proj_view *pv);
/* Take the lists (freed here later) of dataset's projections and
 * colourings, the cursors on the first; another dataset's figure goes. */
void hs_proj_view_set_lists(struct hs_proj_view *pv, const char *dataset, char **names,
                            size_t nn, char **colors, size_t nc);
/* Take a new figure (freed here later) of points in [xlo, xhi] x [ylo,
 * yhi]; keep_window keeps the window and cursor when the range is the
 * same projection's. */
void hs_proj_view_set_figure(struct hs_proj_view *pv, struct hs_figure *f, double xlo,
                             double xhi, double ylo, double yhi, bool keep_window);
/* The window shown: [*x0, *x1] x [*y0, *y1]. */
void hs_proj_view_window(const struct hs_proj_view *pv, double *x0, double *x1, double *y0,
                         double *y1);
/* Move the cursor by count steps (a 40th of the window; a page: a
 * quarter); the window follows it out of view.  Top: the centre. */
void hs_proj_view_move(struct hs_proj_view *pv, int dx, int dy, size_t count);
/* Zoom by factor (> 1: in) about the cursor; 0 shows every point again. */
void hs_proj_view_zoom(struct hs_proj_view *pv, double factor);
/* Put a mark at the cursor: the first corner, then the box (*done then
 * true, pv->box set).  A third mark starts a new box. */
void hs_proj_view_mark(struct hs_proj_view *pv, bool *done);
/* Forget marks and box. */
void hs_proj_view_unmark(struct hs_proj_view *pv);
/* The map point under screen cell (x, y) of the last draw: false when the
 * cell is outside the plot. */
bool hs_proj_view_hit(const struct hs_proj_view *pv, int x, int y, double *mx, double *my);
/* The box's bounds as text with 6 significant digits ("-1.25"), the
 * numbers the selection and the cut set both use. */
void hs_proj_box_num(double v, char *buf, size_t size);
/* The box as an expression on projection name's columns:
 * "NAME_1 >= X0 && NAME_1 < X1 && NAME_2 >= Y0 && NAME_2 < Y1". */
void hs_proj_box_expr(const char *name, const struct hs_proj_box *b, char *buf, size_t size);
/* The box as `select`'s --box value "X0:X1,Y0:Y1". */
void hs_proj_box_spec(const struct hs_proj_box *b, char *buf, size_t size);
/* Draw the view into the rectangle: title, progress, the map with its
 * legend, the box and the cursor. */
void hs_proj_view_draw(struct hs_proj_view *pv, int mode, const char *dsname,
                       struct hs_screen *s, int x, int y, int w, int h);

/* ---- ui/tui-proj.c: the view's ties to the session and the loop ---- */
struct hs_tui;
/* Read the shown dataset's projections and colourings if the view is
 * shown and they are stale. */
void hs_tui_proj_prepare(struct hs_tui *tui);
/* Make the figure if the projection or the colouring changed (reads the
 * columns it shows); errors go to the view's message. */
void hs_tui_proj_load(struct hs_tui *tui);
/* Compute a map of the shown dataset with `method` (pca, tsne, umap) and
 * its defaults, stored as `project METHOD METHOD` would store it: the
 * events prepared here, the fit on a worker thread.  HS_EBUSY while one
 * runs. */
int hs_tui_proj_start(struct hs_tui *tui, const char *method, struct hs_err *err);
/* Ask the running computation to stop; false when none runs. */
bool hs_tui_proj_stop(struct hs_tui *tui);
/* Every loop turn: the worker's progress into the view; when it has
 * ended, its map stored (through the `project` line) or its cancel or
 * error said.  True while one runs. */
bool hs_tui_proj_poll(struct hs_tui *tui);
/* Quitting: cancel and join a running computation, keeping nothing. */
void hs_tui_proj_finish_now(struct hs_tui *tui);
/* Save the shown map (the window when zoomed, the box) to path (NULL:
 * ./hepscope-DATASET-NAME.png; .svg and .pdf by the name), recording the
 * `plot scatter` line that draws it.  The path written goes to out. */
int hs_tui_proj_save(struct hs_tui *tui, const char *path, char *out, size_t size,
                     struct hs_err *err);

#endif

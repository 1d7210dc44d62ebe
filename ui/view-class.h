/* view-class.h: what a view of the TUI is to the loop that drives it.
 *
 * A view is a const struct hs_view_class in its own file (ui/view-*.c),
 * as tmux's window modes are: the TUI builds its array of views with one
 * loop over hs_view_classes and never asks which view it drives.  Keys
 * reach a view as command lines (ui/keys.c names them per view); a class
 * has a `key` hook only for its in-place editors, which take keys before
 * the key table does.  A view draws into a rectangle of a cell buffer and
 * knows nothing of ncurses.
 */
#ifndef HS_VIEW_CLASS_H
#define HS_VIEW_CLASS_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/screen.h"
#include "ui/scroll.h"

struct hs_tui;
struct hs_view;

/* A change of the TUI's own state that the views prepare for, beside the
 * session's (enum hs_change, ui/cmd.h, whose bits are below this one). */
enum hs_view_change {
    HS_CHANGE_SELECTION = 1 << 16, /* the active selection (:where, ui/where.h) */
};

struct hs_rect {
    int x, y, w, h;
};

/* What a key did, for the loop (htop's reactions). */
enum hs_reaction {
    HS_REACT_PASS = 1 << 0,   /* not taken: the key table has it */
    HS_REACT_REDRAW = 1 << 1, /* draw again */
};

struct hs_view_class {
    const char *name; /* "data": the key table's view, `view NAME`, the tab */
    bool without_dataset; /* draws when no dataset is shown (if the session has any) */
    bool selection;       /* computes over the active selection (:where): the status
                             line shows it there */
    /* Bind the view to its state (the TUI owns it); optional. */
    void (*init)(struct hs_tui *tui, struct hs_view *view);
    /* Free what the view holds; optional. */
    void (*release)(struct hs_tui *tui, struct hs_view *view);
    /* The view is shown / another is (leave stores what waits); optional. */
    void (*enter)(struct hs_tui *tui, struct hs_view *view);
    void (*leave)(struct hs_tui *tui, struct hs_view *view);
    /* After a command: forget what depends on `changes` (enum hs_change,
     * ui/cmd.h; 0 when the session did not change), and when shown
     * compute what is missing (with progress; Esc cancels).  Not per
     * frame.  Optional. */
    void (*prepare)(struct hs_tui *tui, struct hs_view *view, unsigned changes);
    /* A key for an in-place editor: enum hs_reaction.  Optional (the key
     * table then has every key). */
    unsigned (*key)(struct hs_tui *tui, struct hs_view *view, int code);
    /* `move ...`; optional. */
    void (*move)(struct hs_tui *tui, struct hs_view *view, enum hs_move m, size_t count);
    /* Before each draw: read what the draw of r will show and has not
     * read yet (a lazy table's columns, a derived feature's values, a
     * column's statistics), so that a view reads the columns it shows and
     * no other; errors go to the status line, and the draw leaves out
     * what could not be read.  Cheap once all is read.  Optional. */
    void (*load)(struct hs_tui *tui, struct hs_view *view, struct hs_rect r);
    void (*draw)(struct hs_tui *tui, struct hs_view *view, struct hs_screen *s,
                 struct hs_rect r);
    /* Where the cursor is, in words, for the status line ("" for
     * nothing); optional. */
    void (*status)(const struct hs_tui *tui, const struct hs_view *view, char *buf,
                   size_t size);
};

struct hs_view {
    const struct hs_view_class *cls;
    void *data; /* the view's state, bound by init */
};

/* Every view, in the order of the tabs; NULL-ended (ui/tui.c). */
extern const struct hs_view_class *const hs_view_classes[];

extern const struct hs_view_class hs_view_data_class;     /* ui/view-data.c */
extern const struct hs_view_class hs_view_stats_class;    /* ui/view-stats.c */
extern const struct hs_view_class hs_view_datasets_class; /* ui/view-datasets.c */
extern const struct hs_view_class hs_view_features_class; /* ui/view-features.c */
extern const struct hs_view_class hs_view_hist_class;     /* ui/view-hist.c */
extern const struct hs_view_class hs_view_cuts_class;     /* ui/view-cuts.c */
extern const struct hs_view_class hs_view_roc_class;      /* ui/view-roc.c */
extern const struct hs_view_class hs_view_train_class;    /* ui/view-train.c */
extern const struct hs_view_class hs_view_proj_class;     /* ui/view-proj.c */
extern const struct hs_view_class hs_view_clust_class;    /* ui/tui-clust.c */

#endif

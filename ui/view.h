/* view.h: the TUI's state and its parts.
 *
 * The TUI is one struct hs_tui.  Keys become command lines (ui/keys.h) that
 * run through the command layer; the TUI commands (ui/cmd-tui.c) reach this
 * state through app->tui and only change it and set `dirty`.  Once per loop
 * turn tui.c draws everything into a cell buffer (ui/screen.h) with
 * hs_tui_draw, then copies that to the terminal.  Every part below draws
 * into a rectangle of a screen and knows nothing of ncurses, so each can be
 * rendered in a test and compared as text.
 */
#ifndef HS_VIEW_H
#define HS_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "sessions/session.h"
#include "stats.h"
#include "table.h"
#include "ui/cmd.h"
#include "ui/screen.h"

enum hs_view_id {
    HS_VIEW_DATA,
    HS_VIEW_STATS,
    HS_VIEW_DATASETS,
    HS_NVIEWS
};

enum hs_move {
    HS_MOVE_UP,
    HS_MOVE_DOWN,
    HS_MOVE_PAGE_UP,
    HS_MOVE_PAGE_DOWN,
    HS_MOVE_TOP,
    HS_MOVE_BOTTOM,
    HS_MOVE_LEFT,
    HS_MOVE_RIGHT,
    HS_MOVE_FIRST_COLUMN,
    HS_MOVE_LAST_COLUMN,
};

/* A cursor over n items of which `page` are visible from `top`. */
struct hs_scroll {
    size_t n, top, cur;
    int page;           /* items visible at the last draw (>= 1) */
};

/* Move the cursor; count repeats up/down/page moves.  Left and right do
 * nothing here. */
void hs_scroll_move(struct hs_scroll *sc, enum hs_move m, size_t count);
/* Set the visible page and bring the cursor into view. */
void hs_scroll_fit(struct hs_scroll *sc, int page);

/* ---- data view (ui/view-data.c): a virtual grid over a table ---- */
struct hs_data_view {
    const struct hs_table *t; /* borrowed; NULL when no dataset */
    size_t *cols;             /* the table columns shown, in order */
    int *width;               /* their widths in columns */
    size_t ncols;
    struct hs_scroll rows;
    size_t left, curcol;      /* first shown and current, indexes into cols */
};

/* Show table t (NULL for none), cursor at the top left.  The column widths
 * come from the names and a sample of rows, so a million rows cost no more
 * than a thousand.  HS_OK or HS_ENOMEM. */
int hs_data_view_set(struct hs_data_view *dv, const struct hs_table *t);
void hs_data_view_release(struct hs_data_view *dv);
void hs_data_view_move(struct hs_data_view *dv, enum hs_move m, size_t count);
/* Make column `name` current; false when the table has no such column. */
bool hs_data_view_goto_column(struct hs_data_view *dv, const char *name);
/* The current column's name, or NULL. */
const char *hs_data_view_column(const struct hs_data_view *dv);
/* The current cell's exact value as text ("" when there is none). */
void hs_data_view_cell(const struct hs_data_view *dv, char *buf, size_t size);
/* Draw the visible rows and columns only. */
void hs_data_view_draw(struct hs_data_view *dv, struct hs_screen *s, int x, int y, int w, int h);
/* x formatted to fit w columns: the shortest round-trip form when it fits,
 * else fewer digits, else w '#'.  "NA" for a missing value. */
void hs_num_fit(double x, int w, char *buf, size_t bufsize);

/* ---- statistics view (ui/view-stats.c) ---- */
struct hs_stats_entry {
    size_t col;                   /* table column */
    struct hs_colstats st[2];     /* signal, background; or all in [0] */
};

struct hs_stats_view {
    const struct hs_table *t;     /* borrowed */
    struct hs_stats_entry *entries;
    size_t nentries;
    bool labelled;                /* two classes per column, else one */
    struct hs_scroll sc;          /* over entries */
};

/* Compute the statistics of every column of t (once per dataset load, not
 * per frame).  HS_OK or HS_ENOMEM. */
int hs_stats_view_set(struct hs_stats_view *sv, const struct hs_table *t);
void hs_stats_view_release(struct hs_stats_view *sv);
void hs_stats_view_draw(struct hs_stats_view *sv, struct hs_screen *s, int x, int y, int w,
                        int h);
/* The name of the column under the cursor, or NULL. */
const char *hs_stats_view_column(const struct hs_stats_view *sv);

/* ---- datasets view (ui/view-datasets.c) ---- */
void hs_datasets_view_draw(const struct hs_dataset_info *ds, size_t n, const char *current,
                           struct hs_scroll *sc, struct hs_screen *s, int x, int y, int w, int h);

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

/* ---- the ':' line (ui/prompt.c) ---- */
enum hs_prompt_result {
    HS_PROMPT_EDITING,
    HS_PROMPT_RUN,    /* Enter: the line is in hs_prompt_line */
    HS_PROMPT_CANCEL, /* Esc, C-c or C-g, or Backspace on an empty line */
};

struct hs_prompt {
    bool active;
    char *buf;           /* UTF-8, NUL-terminated */
    size_t len, cap, pos; /* pos: byte offset of the cursor, on a character boundary */
    char **hist;         /* earlier lines, oldest first */
    size_t nhist, hist_cap;
    size_t hpos;         /* nhist while editing a new line */
    char *saved;         /* the new line, kept while browsing history */
};

/* Start editing with initial text (may be NULL). */
int hs_prompt_open(struct hs_prompt *p, const char *initial);
/* Feed one key; returns what the key did. */
enum hs_prompt_result hs_prompt_key(struct hs_prompt *p, int code);
const char *hs_prompt_line(const struct hs_prompt *p);
/* Stop editing; a run line that is not empty goes into the history. */
void hs_prompt_close(struct hs_prompt *p, bool keep_in_history);
void hs_prompt_release(struct hs_prompt *p);
/* Draw ":" and the line on row y; places the screen cursor. */
void hs_prompt_draw(const struct hs_prompt *p, struct hs_screen *s, int x, int y, int w);

/* ---- the TUI ---- */
struct hs_tui {
    struct hs_app *app;
    enum hs_view_id view;
    struct hs_dataset_info *ds; /* the session's datasets */
    size_t nds;
    struct hs_scroll dssc;      /* cursor in the datasets view */
    char *dsname;               /* the dataset shown, or NULL */
    struct hs_table *table;     /* its events */
    struct hs_data_view data;
    struct hs_stats_view stats;
    struct hs_overlay overlay;
    struct hs_prompt prompt;
    char msg[HS_ERR_MSG_MAX + 64]; /* one line for the status bar */
    bool msg_error;
    bool quit;                  /* leave after this loop turn */
    bool dirty;                 /* draw at the end of this loop turn */
    bool repaint;               /* repaint the whole terminal (C-l) */
};

/* ui/tui.c */
int hs_tui_init(struct hs_tui *tui, struct hs_app *app);
void hs_tui_release(struct hs_tui *tui);
/* Re-read the dataset list and reload the shown dataset (after a command
 * changed the session); a dataset new in the list is shown. */
int hs_tui_reload(struct hs_tui *tui, struct hs_err *err);
/* Show dataset `name` (NULL: the datasets view's cursor). */
int hs_tui_select_dataset(struct hs_tui *tui, const char *name, struct hs_err *err);
/* Show table t (taking it) as dataset `name`; for tests and loaders. */
int hs_tui_set_table(struct hs_tui *tui, const char *name, struct hs_table *t,
                     struct hs_err *err);
const char *hs_tui_view_name(enum hs_view_id v);
/* The view called name, or -1. */
int hs_tui_view_find(const char *name);
void hs_tui_set_view(struct hs_tui *tui, enum hs_view_id v);
/* Move in whatever has the focus: the overlay, else the current view. */
void hs_tui_move(struct hs_tui *tui, enum hs_move m, size_t count);
/* Show text in the overlay window.  HS_OK or HS_ENOMEM. */
int hs_tui_show_text(struct hs_tui *tui, const char *title, const char *text);
void hs_tui_message(struct hs_tui *tui, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Run one command line as a key or the ':' line does: output goes to the
 * status line (one line) or the overlay (more), errors to the status line. */
int hs_tui_run(struct hs_tui *tui, const char *line);
/* Handle one key (an hs key code, see ui/keys.h). */
void hs_tui_key(struct hs_tui *tui, int code);
/* The key-table view that has the focus: "overlay", "data", ... */
const char *hs_tui_focus(const struct hs_tui *tui);
/* Draw the whole frame into s. */
void hs_tui_draw(struct hs_tui *tui, struct hs_screen *s);

/* ui/statusbar.c: the title bar (views, dataset) and the status line. */
void hs_titlebar_draw(const struct hs_tui *tui, struct hs_screen *s, int y);
void hs_statusbar_draw(const struct hs_tui *tui, struct hs_screen *s, int y);

/* Smallest usable terminal; below it the TUI says so instead of drawing. */
#define HS_TUI_MIN_W 40
#define HS_TUI_MIN_H 10

#endif

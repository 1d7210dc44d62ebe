/* view.h: the TUI's state, struct hs_tui, and the functions its files
 * share.
 *
 * The TUI is one struct hs_tui.  Keys become command lines (ui/keys.h) that
 * run through the command layer; the TUI commands (ui/cmd-tui*.c) reach
 * this state through app->tui and only change it and set `dirty`.  Once
 * per loop turn tui.c draws the shown view (a view class, ui/view-class.h)
 * into a cell buffer (ui/screen.h), then copies that to the terminal.
 * Each view's state and drawing is declared in its own header
 * (ui/view-data.h ... ui/view-train.h) and knows nothing of ncurses, so
 * each can be rendered in a test and compared as text.
 */
#ifndef HS_VIEW_H
#define HS_VIEW_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "cuts.h"
#include "featstats.h"
#include "featureset.h"
#include "mlp.h"
#include "split.h"
#include "sessions/session.h"
#include "stats.h"
#include "table.h"
#include "ui/cmd.h"
#include "ui/screen.h"
#include "ui/scroll.h"
#include "ui/view-class.h"
#include "ui/view-data.h"
#include "ui/view-stats.h"
#include "ui/view-datasets.h"
#include "ui/overlay.h"
#include "ui/prompt.h"
#include "ui/view-features.h"
#include "ui/view-hist.h"
#include "ui/view-cuts.h"
#include "ui/view-roc.h"
#include "ui/view-train.h"
#include "ui/view-proj.h"
#include "ui/view-clust.h"
#include "ui/where.h"

/* The places of the views in hs_view_classes (ui/view-class.h), for the
 * commands that jump to one ("goto-column" shows the data view). */
enum hs_view_id {
    HS_VIEW_DATA,
    HS_VIEW_STATS,
    HS_VIEW_DATASETS,
    HS_VIEW_FEATURES,
    HS_VIEW_HIST,
    HS_VIEW_CUTS,
    HS_VIEW_ROC,
    HS_VIEW_TRAIN,
    HS_VIEW_PROJ,
    HS_VIEW_CLUST,
    HS_NVIEWS
};

/* ---- the TUI ---- */
struct hs_tui {
    struct hs_app *app;
    struct hs_view *views;      /* one per class of hs_view_classes, in order */
    size_t nviews;
    enum hs_view_id view;       /* the one shown: an index into views */
    unsigned changes;           /* enum hs_change: what changed since the views
                                   last prepared (hs_tui_prepare) */
    struct hs_dataset_info *ds; /* the session's datasets */
    size_t nds;
    struct hs_scroll dssc;      /* cursor in the datasets view */
    char *dsname;               /* the dataset shown, or NULL */
    struct hs_table *table;     /* its events */
    /* The views' states (their classes bind them; other views and the
     * commands read them too). */
    struct hs_data_view data;
    struct hs_stats_view stats;
    struct hs_features_view feat; /* the shown dataset's features */
    struct hs_hist_view hist;   /* the histogram view (over feat's features) */
    struct hs_cuts_view cuts;   /* the cuts view (over feat's features) */
    struct hs_roc_view roc;     /* the ROC view */
    struct hs_train_view train; /* the training view */
    struct hs_proj_view proj;   /* the projections view */
    struct hs_where where;      /* the active selection (:where), over table */
    /* A faulty `where` expression with the caret under err->col, shown
     * above the status line until the next key; text "" for none. */
    struct {
        char text[HS_ERR_MSG_MAX];
        int col; /* 1-based character of text */
    } caret;
    int click_x, click_y;       /* where the last mouse click was (HS_KEY_CLICK) */
    struct hs_overlay overlay;
    struct hs_prompt prompt;
    char msg[HS_ERR_MSG_MAX + 64]; /* one line for the status bar */
    bool msg_error;
    bool quit;                  /* leave after this loop turn */
    bool dirty;                 /* draw at the end of this loop turn */
    bool repaint;               /* repaint the whole terminal (C-l) */
    /* Work under way (a command, the views' preparation, a view's load
     * hook): a frame drawn meanwhile, by its progress, reads nothing and
     * shows what is read; else it would read a column the work is
     * reading, under it. */
    unsigned working;
};

/* ui/tui.c */
int hs_tui_init(struct hs_tui *tui, struct hs_app *app);
void hs_tui_release(struct hs_tui *tui);
/* Run one command line through the command layer (journaled as from the
 * CLI), with nothing shown: its output goes to *text (a new string
 * without the last newline, free() it; text may be NULL) and
 * tui->app->changes says what it changed.  The views are not refreshed
 * (hs_tui_refresh).  An hs_status, with err filled. */
int hs_tui_command(struct hs_tui *tui, const char *line, char **text, struct hs_err *err);
/* Run a command line for the TUI's own work (a worker's result stored
 * through its command): as hs_tui_run, views refreshed, but its output
 * is not shown and an error is left to the caller.  An hs_status. */
int hs_tui_run_quiet(struct hs_tui *tui, const char *line, struct hs_err *err);
/* Refresh what depends on changes (enum hs_change, ui/cmd.h): the
 * dataset list and the shown events for HS_CHANGE_DATASETS, the features
 * (not the events) for HS_CHANGE_FEATURES; cut sets, the split and
 * models only mark what shows them to be computed again when shown.
 * HS_EBUSY while a training runs. */
int hs_tui_refresh(struct hs_tui *tui, unsigned changes, struct hs_err *err);
/* Re-read the dataset list and reload the shown dataset (after a command
 * changed the session); a dataset new in the list is shown. */
int hs_tui_reload(struct hs_tui *tui, struct hs_err *err);
/* Where the user is: the view shown and the cursors of the views that
 * list rows, features or curves, kept across another dataset (`]`). */
struct hs_tui_place {
    enum hs_view_id view;
    struct hs_scroll data, stats, cuts, roc;
    int cuts_col;
    char column[128];  /* the data view's current column, "" for none */
    char feature[128]; /* the features view's current feature, "" for none */
};
void hs_tui_place_save(const struct hs_tui *tui, struct hs_tui_place *pl);
/* Show pl's view again with its cursors (clamped to what the dataset
 * shown now has; a column or feature it lacks leaves that cursor). */
void hs_tui_place_restore(struct hs_tui *tui, const struct hs_tui_place *pl);
/* Show dataset `name` (NULL: the datasets view's cursor). */
int hs_tui_select_dataset(struct hs_tui *tui, const char *name, struct hs_err *err);
/* Show table t (taking it) as dataset `name`; for tests and loaders. */
int hs_tui_set_table(struct hs_tui *tui, const char *name, struct hs_table *t,
                     struct hs_err *err);
const char *hs_tui_view_name(enum hs_view_id v);
/* The view called name, or -1. */
int hs_tui_view_find(const char *name);
/* Show view v: the shown one's class leaves, v's enters. */
void hs_tui_set_view(struct hs_tui *tui, enum hs_view_id v);
/* Show the view of class cls. */
void hs_tui_show(struct hs_tui *tui, const struct hs_view_class *cls);
/* Is the view of class cls the one shown? */
bool hs_tui_shown(const struct hs_tui *tui, const struct hs_view_class *cls);
/* Move in whatever has the focus: the overlay, else the current view. */
void hs_tui_move(struct hs_tui *tui, enum hs_move m, size_t count);
/* Show text in the overlay window.  HS_OK or HS_ENOMEM. */
int hs_tui_show_text(struct hs_tui *tui, const char *title, const char *text);
void hs_tui_message(struct hs_tui *tui, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Run one command line as a key or the ':' line does: output goes to the
 * status line (one line) or the overlay (more), errors to the status line.
 * Afterwards the features view's statistics are computed if it is shown
 * and they are missing (with progress; Esc cancels). */
int hs_tui_run(struct hs_tui *tui, const char *line);
/* The task of a job the TUI runs itself: the live progress display of a
 * command's, and Esc (the cancel flag is lowered here). */
struct hs_task hs_tui_task(struct hs_tui *tui);
/* hs_tui_run without its checks and messages: on success the output is
 * shown (status line or window), a failure is left in *err. */
int hs_tui_run_line(struct hs_tui *tui, const char *line, struct hs_err *err);
/* Let every view prepare for what changed since the last time (tui->
 * changes, then cleared): the shown one computes what it misses, such as
 * the features view's statistics (hs_tui_run calls this). */
void hs_tui_prepare(struct hs_tui *tui);

/* ui/tui-term.c: raised by Ctrl-C; quits the TUI when no command was
 * running (a command's own Ctrl-C is cleared by the one who ran it). */
extern volatile sig_atomic_t hs_tui_sigint;

/* ui/cmd-tui.c: app->tui for a TUI command, or NULL with "works only in
 * the TUI" in cmd->err. */
struct hs_tui *hs_cmd_need_tui(struct hs_cmd *cmd, struct hs_app *app);
/* The words joined by single spaces: a new string, NULL without words
 * (or memory; *nomem then says which). */
char *hs_tui_join_words(int argc, char *const *argv, bool *nomem);

/* ui/tui-features.c */
/* Do a and b hold the same events, bit for bit (names, kinds, roles,
 * strings, and the values of every column a has read: b's are read for
 * it)?  Either may be NULL (then false). */
bool hs_tui_same_events(const struct hs_table *a, const struct hs_table *b);
/* Load the shown dataset's features into the features view (the stored
 * list when a session is open, else the table's raw columns) and show the
 * enabled derived ones as extra columns of the data view.  same_data: the
 * events are those shown before, so the statistics of unchanged features
 * stay.  A stored expression that no longer compiles is left out, with a
 * message in the status line.  HS_OK or HS_ENOMEM. */
int hs_tui_load_features(struct hs_tui *tui, bool same_data, struct hs_err *err);
/* Handle one key (an hs key code, see ui/keys.h). */
void hs_tui_key(struct hs_tui *tui, int code);
/* The key-table view that has the focus: "overlay", "data", ... */
const char *hs_tui_focus(const struct hs_tui *tui);
/* Draw the whole frame into s. */
void hs_tui_draw(struct hs_tui *tui, struct hs_screen *s);

/* ui/tui-features.c: the cuts and ROC views' ties to the session. */
/* The shown dataset's split into sp (released by the caller): the
 * session's, or when there is none the default one, made through the
 * journaled `split` command (*note then says so; else it is ""); without
 * a session, the default one in memory. */
int hs_tui_split(struct hs_tui *tui, struct hs_split *sp, char *note, size_t size,
                 struct hs_err *err);
/* Load the cuts view for the shown dataset if it is shown and not loaded:
 * the split, the stored cut set `tui->cuts.name`, the flow (progress, Esc
 * cancels).  Messages go to the status line. */
void hs_tui_cuts_prepare(struct hs_tui *tui);
/* Save the view's cut set, if it changed since the last save, with a
 * `cut set NAME --range F:lo:hi... [EXPR]` line through the command layer,
 * so that it is journaled as the CLI's would be (an empty set is not
 * stored: `cut set` needs a cut; the stored one is dropped instead).  The TUI does not reload after it
 * (the events and features did not change); the ROC view is made stale.
 * An hs_status. */
int hs_tui_cuts_save(struct hs_tui *tui, struct hs_err *err);
/* (ui/tui.c) hs_tui_cuts_save when there is something to save, its error
 * in the status line. */
void hs_tui_cuts_flush(struct hs_tui *tui);
/* ui/view-roc.c: compute the ROC view's curves if it is shown and stale. */
void hs_tui_roc_prepare(struct hs_tui *tui);

/* ui/view-train.c: the training view's ties to the session and the loop. */
/* Start training the form's network on the shown dataset: the inputs,
 * split and options are prepared here (main thread, session reads and
 * the default split if there is none), then a worker thread trains.  An
 * hs_status (HS_EBUSY when one is running).  When a model of the form's
 * name is stored and replace is false nothing starts: the view asks
 * (tui->train.asking) and y runs `train-start --replace`. */
int hs_tui_train_start(struct hs_tui *tui, bool replace, struct hs_err *err);
/* Ask a running training to stop after the current batch (the best
 * epoch so far is kept).  false when none is running. */
bool hs_tui_train_stop(struct hs_tui *tui);
/* Propose a free model name in the form (the method's name, then NAME2,
 * NAME3, ...) unless the user typed one: the TUI never replaces a stored
 * model without asking. */
void hs_tui_train_propose(struct hs_tui *tui);
/* Called every loop turn: copies new epochs for the curve (dirty when
 * there are), and when the worker has ended joins it, evaluates the model
 * and saves it in the session with its journal line.  Returns true while
 * a training runs (the loop then polls keys with a short timeout). */
bool hs_tui_train_poll(struct hs_tui *tui);
/* Quitting: stop a running training, join it and save what it kept. */
void hs_tui_train_finish_now(struct hs_tui *tui);
/* May command `name` run while a training runs?  (Those that look, move
 * and switch views; not those that change the session or the events.) */
bool hs_tui_train_allows(const char *name);
/* Save the training view's current page (the curves, the overtraining
 * figure, or the summary or groups table as text/CSV by path's suffix;
 * PNG by default) to path (NULL: ./hepscope-MODEL-PAGE.png), recording
 * the equivalent CLI line.  The path written goes to out.  An hs_status. */
int hs_tui_train_save(struct hs_tui *tui, const char *path, char *out, size_t size,
                      struct hs_err *err);

/* ui/statusbar.c: the title bar (views, dataset) and the status line;
 * the active selection is shown there on the views that honour it. */
void hs_titlebar_draw(const struct hs_tui *tui, struct hs_screen *s, int y);
void hs_statusbar_draw(const struct hs_tui *tui, struct hs_screen *s, int y);
/* The faulty expression (tui->caret) on row y and its caret on y + 1. */
void hs_caret_draw(const struct hs_tui *tui, struct hs_screen *s, int y);

/* ui/tui.c: drop the active selection (another dataset, new events),
 * saying so in the status line when one was in force. */
void hs_tui_where_clear(struct hs_tui *tui, const char *why);

/* Smallest usable terminal; below it the TUI says so instead of drawing. */
#define HS_TUI_MIN_W 40
#define HS_TUI_MIN_H 10

#endif

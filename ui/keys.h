/* keys.h: the TUI's one key table.
 *
 * Every key binding is a row of hs_key_table: the view it works in, the
 * key's name, a command line of the one grammar (ui/cmd.h) and a note.  A
 * key press becomes that command line and runs like a ':' line.  The '?'
 * screen, `hepscope keys` and the man page's key list are all generated
 * from this table (hs_keys_write_help, hs_keys_write_man), so help cannot
 * drift from the bindings.  hs_keys_check validates the table at start-up
 * and in `make check`: a bad entry is a bug, as in tmux.
 *
 * Views: "global" bindings work everywhere unless a view binds the same
 * key; "data", "stats", "datasets", "features", "hist", "cuts", "roc",
 * "train" and "proj" are the TUI's views, "overlay" the help and command-output windows.
 * The ':' line, the features view's editor and the cuts and training
 * views' cell editors take every key while they are open.
 */
#ifndef HS_KEYS_H
#define HS_KEYS_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"

/* Key codes: a character is its code point; ncurses' KEY_* function keys
 * are offset by HS_KEY_FN so they never collide with a character. */
#define HS_KEY_FN 0x1000000
#define HS_KEY_WHEEL_UP (HS_KEY_FN + 0x1000)
#define HS_KEY_WHEEL_DOWN (HS_KEY_FN + 0x1001)
/* Mouse button 1; where it was is in the TUI's click_x, click_y. */
#define HS_KEY_CLICK (HS_KEY_FN + 0x1002)
#define HS_KEY_ESC 27
#define HS_KEY_ENTER '\r'
#define HS_KEY_NAME_MAX 32

struct hs_key_binding {
    const char *view;    /* a name from hs_key_views; NULL ends a table */
    const char *key;     /* "q", "PgDn", "C-l", "Space", "Esc", "WheelUp", "Click" */
    const char *command; /* a command line, e.g. "move page-down" */
    const char *note;    /* what it does, for the help screen */
};

struct hs_key_view {
    const char *name;  /* "global", "data", ...; NULL ends the list */
    const char *title; /* heading in the help: "Data view" */
};

/* The table and the views, each ended by a NULL name. */
extern const struct hs_key_binding hs_key_table[];
extern const struct hs_key_view hs_key_views[];

/* The code of a key name, or -1 when the name is unknown. */
int hs_key_parse(const char *name);
/* The name of a key code ("C-l", "PgDn", "x"), written into buf. */
const char *hs_key_name(int code, char buf[HS_KEY_NAME_MAX]);

/* The binding of a key in a view, falling back to "global"; NULL when the
 * key is not bound. */
const struct hs_key_binding *hs_keys_lookup(const char *view, int code);

/* The name of the first key bound to command in view (or globally), for
 * hints such as "? help"; NULL when none is. */
const char *hs_keys_key_for(const char *view, const char *command);

/* Check a table: every view known, every key name parses, no key twice in
 * one view, every command line splits and names an existing command, every
 * note present, no view rebinding a global key to another command (but
 * Esc), and `q` quits (note "quit") in every view.  HS_OK, or
 * HS_EUSAGE with the first bad entry named in err. */
int hs_keys_check_table(const struct hs_key_binding *table, struct hs_err *err);
/* hs_keys_check_table(hs_key_table, err). */
int hs_keys_check(struct hs_err *err);

/* Is view a name of hs_key_views? */
bool hs_keys_view_known(const char *view);
/* The key list as plain text, per view: heading, then "  KEYS  NOTE"
 * lines, keys with the same command joined.  The view `first` (NULL or
 * unknown: none) comes first, then the global keys, then the others. */
void hs_keys_write_help(FILE *out, const char *first);
/* The same as man(7) source, for the KEYS section of hepscope(1). */
void hs_keys_write_man(FILE *out);

#endif

/* tui.h: the interactive front end. */
#ifndef HS_TUI_H
#define HS_TUI_H

#include "ui/cmd.h"

/* Run the TUI on app's session (opened, created when missing) until the
 * user quits.  Fails with a clear message in err when standard input or
 * output is not a terminal.  Returns an hs_status. */
int hs_tui_main(struct hs_app *app, struct hs_err *err);

/* HS_OK when TERM names a terminal that can move the cursor; else
 * HS_EUSAGE with a message that names the terminal type and what is wrong
 * (unset, unknown, or one like TERM=dumb that draws only a line). */
int hs_tui_term_check(struct hs_err *err);

/* Can the TUI start here: standard input and output terminals, TERM one
 * that moves the cursor, the key table sound?  Checked before anything is
 * written (`hepscope FILE` imports only when the TUI can then open). */
int hs_tui_can_start(struct hs_err *err);

#endif

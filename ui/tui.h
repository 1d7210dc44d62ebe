/* tui.h: the interactive front end. */
#ifndef HS_TUI_H
#define HS_TUI_H

#include "ui/cmd.h"

/* Run the TUI on app's session (opened, created when missing) until the
 * user quits.  Fails with a clear message in err when standard input or
 * output is not a terminal.  Returns an hs_status. */
int hs_tui_main(struct hs_app *app, struct hs_err *err);

#endif

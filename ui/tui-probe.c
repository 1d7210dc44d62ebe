/* tui-probe.c: can the terminal named by TERM draw the TUI?  Apart from
 * tui-term.c because <term.h> defines macros (lines, columns, ...) that
 * clash with ordinary names there. */
#include "config.h"

#include "ui/tui.h"

#include <curses.h>
#include <stdlib.h>
#include <term.h>
#include <unistd.h>

int
hs_tui_term_check(struct hs_err *err)
{
    const char *term = getenv("TERM");
    const char *why = NULL;
    int found = 0;

    if (!term || !*term) {
        why = "TERM is not set";
    } else if (setupterm((char *)term, STDOUT_FILENO, &found) != OK || found != 1) {
        why = "the terminfo database does not know that terminal type";
    } else {
        const char *cup = tigetstr("cup");
        if (!cup || cup == (const char *)-1)
            why = "that terminal cannot move the cursor";
        del_curterm(cur_term);
    }
    if (!why)
        return HS_OK;
    return hs_err_set(err, HS_EUSAGE,
                      "cannot start the terminal interface for TERM='%s': %s; set TERM (e.g. "
                      "xterm-256color) or use the batch commands",
                      term ? term : "", why);
}

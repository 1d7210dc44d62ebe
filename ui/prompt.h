/* prompt.h: the ':' line and the in-place editors' fields. */
#ifndef HS_PROMPT_H
#define HS_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#include "sessions/history.h"
#include "ui/screen.h"

/* ---- the ':' line (ui/prompt.c) ---- */
enum hs_prompt_result {
    HS_PROMPT_EDITING,
    HS_PROMPT_RUN,    /* Enter: the line is in hs_prompt_line */
    HS_PROMPT_CANCEL, /* Esc, C-c or C-g, or Backspace on an empty line */
};

struct hs_complete_names;

struct hs_prompt {
    bool active;
    char *buf;           /* UTF-8, NUL-terminated */
    size_t len, cap, pos; /* pos: byte offset of the cursor, on a character boundary */
    char **hist;         /* earlier lines, oldest first */
    size_t nhist, hist_cap;
    size_t hpos;         /* nhist while editing a new line */
    char *saved;         /* the new line, kept while browsing history */
    /* Tab completion (ui/complete.h): the names of the session, asked
     * for at each Tab (NULL: commands and options only). */
    int (*names)(void *user, struct hs_complete_names *out);
    void *names_user;
    bool tabbed;         /* the last key was a Tab that left a choice */
    char *choices;       /* the candidates listed by a second Tab, or NULL */
};

/* Start editing with initial text (may be NULL). */
int hs_prompt_open(struct hs_prompt *p, const char *initial);
/* Feed one key; returns what the key did. */
enum hs_prompt_result hs_prompt_key(struct hs_prompt *p, int code);
const char *hs_prompt_line(const struct hs_prompt *p);
/* Stop editing; a run line that is not empty goes into the history.
 * True when it was added (not the same as the line before it). */
bool hs_prompt_close(struct hs_prompt *p, bool keep_in_history);
/* Replace the history by lines (oldest first), taking the array and its
 * strings (also on failure).  At most HS_PROMPT_HISTORY_MAX are kept. */
#define HS_PROMPT_HISTORY_MAX HS_SESS_HISTORY_MAX /* the session keeps as many */
void hs_prompt_history_take(struct hs_prompt *p, char **lines, size_t n);
void hs_prompt_release(struct hs_prompt *p);
/* Draw ":" and the line on row y, the candidates of a second Tab on the
 * rows above it (at most a third of the screen); places the screen
 * cursor. */
void hs_prompt_draw(const struct hs_prompt *p, struct hs_screen *s, int x, int y, int w);

#endif

/* termout.h: output a terminal can trust.
 *
 * What commands print holds strings from files and sessions: dataset
 * names taken from file names, source paths, journal lines, model notes.
 * Written raw to a terminal, a control character in them moves the
 * cursor, recolours, retitles the window or clears the screen.  The CLI
 * therefore hands commands, when its stdout is a terminal, a stream that
 * makes such bytes visible; no command has to remember.  Output to a
 * file or a pipe (-o FILE, `> out.csv`) never passes through it and stays
 * byte for byte what the command wrote.
 *
 * The text is taken as UTF-8.  Kept: printable characters, '\n', '\t'.
 * Shown as "\xNN": the other C0 controls (ESC is "\x1b"), DEL and each
 * byte that is not part of valid UTF-8; shown as "\u00NN": the C1
 * controls U+0080..U+009F.
 */
#ifndef HS_TERMOUT_H
#define HS_TERMOUT_H

#include <stdio.h>

struct hs_cmd;

/* A new stream that writes what it is given to term, made safe as above
 * (a UTF-8 sequence split between writes is kept until it completes).
 * fclose() writes what is pending and flushes term, but leaves term open.
 * NULL when out of memory. */
FILE *hs_termout_new(FILE *term);

/* Write the string s to term, made safe as above (for messages on
 * stderr, which carries progress lines and so cannot be wrapped). */
void hs_termout_puts(FILE *term, const char *s);

/* For output made to drive a terminal (a plot's colours, from text
 * already cleaned): the terminal that out ends on, or NULL when out is
 * not a terminal.  When cmd->out is the CLI's safe stream this is the
 * raw stdout behind it (cmd->term), cmd->out flushed first so that the
 * order holds; when cmd->out is a terminal itself, cmd->out. */
FILE *hs_termout_term(struct hs_cmd *cmd);

#endif

/* history.h: the TUI's ':' line history, kept in the session.
 *
 * One row per line entered, oldest first, in the session table
 * `history` (schema version 6).  The history is a convenience, not part
 * of the analysis: its writes are not journaled, and the TUI keeps it in
 * memory only on a read-only session (these functions then refuse to
 * write, HS_EUSAGE, as every change does).
 */
#ifndef HS_SESS_HISTORY_H
#define HS_SESS_HISTORY_H

#include <stddef.h>

#include "err.h"
#include "sessions/session.h"

/* The lines kept: older ones are dropped as new ones come. */
#define HS_SESS_HISTORY_MAX 500

/* Append line (not empty) and drop all but the latest HS_SESS_HISTORY_MAX
 * lines, in one transaction.  An hs_status. */
int hs_sess_history_append(struct hs_sess *s, const char *line, struct hs_err *err);
/* The latest max lines, oldest first: *lines is a new array of *n new
 * strings (hs_sess_history_free).  An hs_status. */
int hs_sess_history_read(struct hs_sess *s, size_t max, char ***lines, size_t *n,
                         struct hs_err *err);
/* Keep only the latest keep lines.  An hs_status. */
int hs_sess_history_trim(struct hs_sess *s, size_t keep, struct hs_err *err);
void hs_sess_history_free(char **lines, size_t n);

#endif

/* progress.h: a progress line on a terminal's stderr.
 *
 * Shown only when enabled (stderr is a terminal, batch use) and once the
 * work has lasted more than half a second, redrawn at most a few times a
 * second, and erased by hs_progress_end, so that quick commands and
 * redirected runs print nothing.  hs_progress_update has the signature of
 * struct hs_task's callback (user = the struct hs_progress).
 */
#ifndef HS_PROGRESS_H
#define HS_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct hs_progress {
    FILE *fp;
    bool enabled;
    const char *label;   /* borrowed: the command's name */
    double start;        /* monotonic seconds */
    double last;         /* when the line was last drawn */
    int width;           /* characters on the line now */
    unsigned spin;
};

void hs_progress_start(struct hs_progress *p, FILE *fp, bool enabled, const char *label);
/* fraction in [0,1], or negative when unknown; what names the stage (may be NULL). */
void hs_progress_update(void *user, double fraction, const char *what);
/* Erase the line, if one was drawn. */
void hs_progress_end(struct hs_progress *p);

#endif

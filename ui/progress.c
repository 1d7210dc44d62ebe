/* progress.c: the throttled progress line of long batch commands. */
#include "config.h"

#include "ui/progress.h"

#include <string.h>
#include <time.h>

#define PROGRESS_DELAY 0.5     /* seconds before the first line */
#define PROGRESS_INTERVAL 0.2  /* at most five redraws a second */

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void
hs_progress_start(struct hs_progress *p, FILE *fp, bool enabled, const char *label)
{
    memset(p, 0, sizeof *p);
    p->fp = fp;
    p->enabled = enabled && fp;
    p->label = label ? label : "";
    p->start = now_seconds();
}

void
hs_progress_update(void *user, double fraction, const char *what)
{
    struct hs_progress *p = user;
    static const char spinner[] = "|/-\\";
    char line[120];
    double t;
    int n;

    if (!p || !p->enabled)
        return;
    t = now_seconds();
    if (t - p->start < PROGRESS_DELAY || (p->width && t - p->last < PROGRESS_INTERVAL))
        return;
    p->last = t;
    if (fraction >= 0) {
        if (fraction > 1)
            fraction = 1;
        /* Integer percent: no locale-dependent decimal point. */
        n = snprintf(line, sizeof line, "%s: %s %d%%", p->label, what ? what : "",
                     (int)(fraction * 100));
    } else {
        n = snprintf(line, sizeof line, "%s: %s %c", p->label, what ? what : "",
                     spinner[p->spin++ % 4]);
    }
    if (n < 0)
        return;
    if (n >= (int)sizeof line)
        n = (int)sizeof line - 1;
    /* Pad over a longer previous line instead of using terminal escapes. */
    fprintf(p->fp, "\r%s%*s", line, p->width > n ? p->width - n : 0, "");
    fflush(p->fp);
    if (n > p->width)
        p->width = n;
}

void
hs_progress_end(struct hs_progress *p)
{
    if (p->enabled && p->width) {
        fprintf(p->fp, "\r%*s\r", p->width, "");
        fflush(p->fp);
    }
    p->width = 0;
}

/* bench/tui_bench.c: what one change costs the TUI, from the command to
 * the views ready to draw, on a session's dataset.
 *
 *   tui_bench SESSION [REPEATS] [first]
 *
 * Opens SESSION as the TUI does (no terminal: the state and the command
 * layer only) and times, as the median of REPEATS (default 7) runs:
 *   first screen    from the session open to the first frame of the data
 *                   view drawn into 80x24 and 200x60 cells (the TUI's
 *                   start without the terminal), with the columns read
 *   first histogram the same start, but to the histogram view's first
 *                   frame (200x60): what `hepscope tui` then `5` waits
 * then (unless `first` is given) shows its first dataset and times, as the median of REPEATS runs
 * of each:
 *   feature toggle  Space in the features view (`feature-toggle F`, twice
 *                   per repeat: off and on again)
 *   cut bound       Enter on a cell of the cuts view (`cuts-bound F upper
 *                   X`, the new flow) and the save that follows when the
 *                   keys pause (a journaled `cut set` line)
 *   cut set line    `:cut set NAME --range F::X` typed on the ':' line
 *   frame           one hs_tui_draw of the features view into 200x60 cells
 * F is the session's first derived feature that is on (else the first).
 * The session is changed (features toggled back, cut sets stored): use a
 * copy.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "ui/cmd.h"
#include "ui/screen.h"
#include "ui/view.h"

static int
run(struct hs_tui *tui, const char *line)
{
    int rc = hs_tui_run(tui, line);

    if (rc != HS_OK)
        fprintf(stderr, "tui_bench: %s: %s\n", line, tui->msg);
    return rc;
}

static void
report(const char *what, double *ms, int n)
{
    double min = ms[0];

    for (int i = 1; i < n; i++)
        min = ms[i] < min ? ms[i] : min;
    printf("%-20s median %8.2f ms  min %8.2f ms  (%d runs)\n", what, bench_median(ms, n), min, n);
}

/* Columns of the shown table read so far, of how many. */
static void
columns_read(const struct hs_tui *tui, size_t *nread, size_t *ncols)
{
    *nread = 0;
    *ncols = tui->table ? tui->table->ncols : 0;
    for (size_t j = 0; j < *ncols; j++)
        *nread += !tui->table->cols[j].pending;
}

/* The TUI's start, as hs_tui_main does it, to its first frame of w x h:
 * ms in *ms, the columns read after it. */
static int
first_screen(struct hs_app *app, int w, int h, bool hist, double *ms, size_t *nread,
             size_t *ncols)
{
    struct hs_screen *scr = hs_screen_new(w, h);
    struct hs_tui tui;
    struct hs_err err;
    double t0 = bench_now_ms();
    int rc = HS_ENOMEM;

    hs_err_clear(&err);
    if (!scr)
        return rc;
    hs_tui_init(&tui, app);
    app->tui = &tui;
    if ((rc = hs_tui_reload(&tui, &err)) == HS_OK && tui.table) {
        hs_tui_show(&tui, &hs_view_data_class);
        if (!hist || (rc = run(&tui, "view hist")) == HS_OK)
            hs_tui_draw(&tui, scr);
        *ms = bench_now_ms() - t0;
        columns_read(&tui, nread, ncols);
    } else {
        fprintf(stderr, "tui_bench: %s\n", err.msg[0] ? err.msg : "no dataset");
        rc = rc ? rc : HS_ENOTFOUND;
    }
    app->tui = NULL;
    hs_tui_release(&tui);
    hs_screen_free(scr);
    return rc;
}

int
main(int argc, char **argv)
{
    struct hs_app app;
    struct hs_tui tui;
    struct hs_err err;
    struct hs_screen *scr = NULL;
    const char *feat = NULL;
    char line[512];
    double *ms;
    int reps = argc > 2 ? atoi(argv[2]) : 7, rc = 1;

    if (argc < 2 || reps < 1) {
        fprintf(stderr, "usage: tui_bench SESSION [REPEATS]\n");
        return 1;
    }
    if (!(ms = calloc((size_t)reps, sizeof *ms)))
        return 1;
    hs_app_init(&app);
    hs_err_clear(&err);
    if (hs_app_set_global(&app, "session", argv[1], &err) ||
        hs_app_open_session(&app, true, &err)) {
        fprintf(stderr, "tui_bench: %s\n", err.msg);
        return 1;
    }
    {
        static const struct {
            const char *what;
            int w, h;
            bool hist;
        } firsts[] = {
            {"first screen 80x24", 80, 24, false},
            {"first screen 200x60", 200, 60, false},
            {"first histogram", 200, 60, true},
        };
        for (size_t k = 0; k < sizeof firsts / sizeof firsts[0]; k++) {
            size_t nread = 0, ncols = 0;
            for (int r = 0; r < reps; r++)
                if (first_screen(&app, firsts[k].w, firsts[k].h, firsts[k].hist, &ms[r], &nread,
                                 &ncols) != HS_OK)
                    return 1;
            report(firsts[k].what, ms, reps);
            printf("  %zu of %zu columns read\n", nread, ncols);
        }
    }
    if (argc > 3 && strcmp(argv[3], "first") == 0) {
        hs_app_release(&app);
        free(ms);
        return 0;
    }
    hs_tui_init(&tui, &app);
    app.tui = &tui;
    double t0 = bench_now_ms();
    if (hs_tui_reload(&tui, &err) != HS_OK || !tui.table) {
        fprintf(stderr, "tui_bench: %s\n", err.msg[0] ? err.msg : "no dataset");
        goto done;
    }
    printf("dataset '%s': %zu events; loaded in %.1f ms\n", tui.dsname, tui.table->nrows,
           bench_now_ms() - t0);
    t0 = bench_now_ms();
    if (run(&tui, "view features"))
        goto done;
    printf("feature statistics in %.1f ms\n", bench_now_ms() - t0);
    for (size_t i = 0; i < tui.feat.fs.n && !feat; i++)
        if (tui.feat.fs.f[i].expr && tui.feat.fs.f[i].on)
            feat = tui.feat.fs.f[i].name;
    if (!feat && tui.feat.fs.n)
        feat = tui.feat.fs.f[0].name;
    if (!feat)
        goto done;
    feat = strdup(feat);

    for (int r = 0; r < reps; r++) {
        double t = bench_now_ms();
        snprintf(line, sizeof line, "feature-toggle %s", feat);
        if (run(&tui, line) || run(&tui, line))
            goto done;
        ms[r] = (bench_now_ms() - t) / 2;
    }
    report("feature toggle", ms, reps);

    if (!(scr = hs_screen_new(200, 60)))
        goto done;
    for (int r = 0; r < reps; r++) {
        double t = bench_now_ms();
        hs_tui_draw(&tui, scr);
        ms[r] = bench_now_ms() - t;
    }
    report("frame", ms, reps);

    t0 = bench_now_ms();
    if (run(&tui, "view cuts"))
        goto done;
    printf("cuts view loaded in %.1f ms\n", bench_now_ms() - t0);
    for (int r = 0; r < reps; r++) {
        double t = bench_now_ms();
        snprintf(line, sizeof line, "cuts-bound -- %s upper %g", feat, r % 2 ? 4.0 : 3.0);
        if (run(&tui, line))
            goto done;
        hs_tui_cuts_flush(&tui);
        ms[r] = bench_now_ms() - t;
    }
    report("cut bound", ms, reps);

    for (int r = 0; r < reps; r++) {
        double t = bench_now_ms();
        snprintf(line, sizeof line, "cut set bench --range %s::%g", feat, r % 2 ? 4.0 : 3.0);
        if (run(&tui, line))
            goto done;
        ms[r] = bench_now_ms() - t;
    }
    report("cut set line", ms, reps);
    rc = 0;
done:
    hs_screen_free(scr);
    app.tui = NULL;
    hs_tui_release(&tui);
    hs_app_release(&app);
    free((char *)feat);
    free(ms);
    return rc;
}

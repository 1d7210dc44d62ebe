/* main.c: hepscope's entry point.
 *
 * `hepscope [global options] COMMAND ...` runs one command through the
 * command layer; no command opens the TUI; a data file as the only
 * argument is imported (or an earlier import of it reused) and shown in
 * the TUI.  Results go to stdout, messages to stderr as "hepscope: ...",
 * and the exit code says what kind of failure it was (hs_exit_code).
 */
#include "config.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <locale.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plots/cairo_render.h"
#include "ui/cmd-data.h"
#include "ui/cmd.h"
#include "ui/termout.h"
#include "ui/tui.h"

/* The signal handler's only link to the application. */
static struct hs_app *sigint_app;
static volatile sig_atomic_t sigint_count;

/* SIGINT, SIGTERM and SIGHUP alike. */
static void
on_sigint(int sig)
{
    /* The first one asks the running work to stop at a safe point (the
     * open transaction is rolled back, temporary files removed); a second
     * one leaves at once, which is safe too since every change is one
     * transaction. */
    if (sigint_count++ > 0)
        _exit(128 + sig);
    if (sigint_app) {
        sigint_app->signal = sig;
        atomic_store(&sigint_app->cancel, 1);
    }
}

static void
report(const struct hs_app *app, int rc, const struct hs_err *err)
{
    const char *msg = err->msg[0] ? err->msg : hs_status_name(rc);

    /* Messages quote names from files and words from the command line:
     * on a terminal, their control characters are shown, not obeyed. */
    fputs(app->usage_cmd ? "hepscope " : "hepscope: ", stderr);
    if (isatty(STDERR_FILENO))
        hs_termout_puts(stderr, msg);
    else
        fputs(msg, stderr);
    fputc('\n', stderr);
    if (app->usage_cmd)
        fprintf(stderr, "Try 'hepscope %s --help'.\n", app->usage_cmd);
}

static void
print_version(void)
{
    printf("hepscope %s\n", PACKAGE_VERSION);
    printf("BLAS: %s; SQLite %s; OpenMP %s\n", HS_BLAS_NAME, sqlite3_libversion(),
#ifdef _OPENMP
           "on"
#else
           "off"
#endif
    );
}

/* The TUI, which leaves on SIGTERM or SIGHUP as on 'q' (ui/tui-term.c):
 * then HS_ECANCELLED, for the exit code of the signal. */
static int
run_tui(struct hs_app *app, struct hs_err *err)
{
    int rc = hs_tui_main(app, err);

    if (rc == HS_OK && app->signal)
        rc = hs_err_set(err, HS_ECANCELLED, "terminated by a signal");
    return rc;
}

/* Does the word name a data file rather than a command? */
static bool
is_data_file(const char *w)
{
    struct stat st;
    return stat(w, &st) == 0 && S_ISREG(st.st_mode);
}

/* Global options at argv[*i]; returns 1 when one was taken (advancing *i),
 * 0 when the word is something else, or an hs_status on error. */
static int
take_global(struct hs_app *app, int argc, char **argv, int *i, struct hs_err *err)
{
    const char *w = argv[*i], *eq, *value;
    char name[16];
    size_t len;

    if (strncmp(w, "--", 2) != 0)
        return 0;
    eq = strchr(w + 2, '=');
    len = eq ? (size_t)(eq - w - 2) : strlen(w + 2);
    if (len >= sizeof name)
        return 0;
    memcpy(name, w + 2, len);
    name[len] = '\0';
    if (!hs_cmd_is_global(name))
        return 0;
    if (eq) {
        value = eq + 1;
    } else {
        if (*i + 1 >= argc)
            return hs_err_set(err, HS_EUSAGE, "option '--%s' needs a value", name);
        value = argv[++*i];
    }
    (*i)++;
    return hs_app_set_global(app, name, value, err) ? HS_EUSAGE : 1;
}

int
main(int argc, char **argv)
{
    struct hs_app app;
    struct hs_err err = {0};
    struct sigaction sa;
    int i = 1, rc = HS_OK, code;

    gsl_set_error_handler_off();
    /* Characters only: numbers are parsed and printed by hepscope itself,
     * never through the locale's decimal point. */
    setlocale(LC_CTYPE, "");

    hs_app_init(&app);
    app.progress_tty = isatty(STDERR_FILENO);
    sigint_app = &app;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    /* Restart interrupted reads: the work notices the flag at its next
     * chunk, and no library has to cope with EINTR. */
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    /* Terminated or hung up: stopped the same way, so that what a command
     * writes (export's temporary file) is cleaned up. */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    /* Global options and --help/--version before the command. */
    while (i < argc) {
        int g = take_global(&app, argc, argv, &i, &err);
        if (g == 1)
            continue;
        if (g < 0) {
            rc = g;
            goto done;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            hs_cmd_help_all(stdout);
            goto done;
        }
        if (strcmp(argv[i], "--version") == 0) {
            print_version();
            goto done;
        }
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (argv[i][0] == '-' && argv[i][1]) {
            rc = hs_err_set(&err, HS_EUSAGE, "unknown option '%s'; try 'hepscope --help'",
                            argv[i]);
            goto done;
        }
        break;
    }

    if (i >= argc) {
        rc = run_tui(&app, &err);
    } else if (!hs_cmd_find(argv[i]) && !hs_cmd_is_family(argv[i])) {
        const char *file = argv[i];
        /* `hepscope FILE [global options]`: the file is the only argument. */
        for (i++; i < argc;) {
            int g = take_global(&app, argc, argv, &i, &err);
            if (g < 0) {
                rc = g;
                goto done;
            }
            if (g == 0) {
                rc = hs_err_set(&err, HS_EUSAGE, "unknown command '%s'; try 'hepscope --help'",
                                file);
                goto done;
            }
        }
        if (!is_data_file(file)) {
            struct stat st;
            if (stat(file, &st) == 0)
                rc = hs_err_set(&err, HS_EIO, "cannot open '%s': not a regular file", file);
            else if (strchr(file, '/') || strchr(file, '.'))
                rc = hs_err_set(&err, HS_EIO, "cannot open '%s': %s", file, strerror(errno));
            else
                rc = hs_err_set(&err, HS_EUSAGE, "unknown command '%s'; try 'hepscope --help'",
                                file);
            goto done;
        }
        /* The import is for the TUI: nothing is stored when it cannot
         * open (no terminal, TERM=dumb). */
        if ((rc = hs_tui_can_start(&err)) == HS_OK)
            rc = hs_import_or_reuse(&app, file, NULL, &err);
        if (rc == HS_OK)
            rc = run_tui(&app, &err);
    } else {
        /* On a terminal, results pass through the one layer that makes
         * control characters visible (ui/termout.h); to a file or a pipe
         * they go byte for byte. */
        FILE *out = stdout;
        if (isatty(STDOUT_FILENO) && (out = hs_termout_new(stdout))) {
            app.safe_out = out;
            app.term = stdout;
        }
        if (!out) {
            rc = hs_err_set(&err, HS_ENOMEM, "out of memory");
            goto done;
        }
        rc = hs_cmd_run_argv(&app, argc - i, argv + i, out, &err);
        if (out != stdout && fclose(out) != 0 && rc == HS_OK)
            rc = hs_err_set(&err, HS_EIO, "cannot write the output: %s", strerror(errno));
        app.safe_out = app.term = NULL;
    }

done:
    if (rc == HS_OK && fflush(stdout) != 0)
        rc = hs_err_set(&err, HS_EIO, "cannot write the output: %s", strerror(errno));
    if (rc)
        report(&app, rc, &err);
    code = hs_exit_code(rc);
    /* Stopped by a signal: the shell's code for it (130 for SIGINT, 143
     * for SIGTERM, 129 for SIGHUP).  A command that honours a cancel by
     * finishing early (train keeps its best epoch) succeeded: 0. */
    if (rc == HS_ECANCELLED && app.signal)
        code = 128 + app.signal;
    hs_app_release(&app);
    /* cairo and fontconfig keep font caches for the process's life: free
     * them so that leak checkers see only real leaks. */
    hs_cairo_release();
    return code;
}

/* tui-term.c: the TUI on a terminal: ncurses set-up, colours, copying the
 * cell buffer to the screen (blit(), which sends only what changed), keys
 * and mouse clicks, the progress display of long work, and the event loop.
 * Nothing else calls ncurses' drawing functions; the state, the commands
 * and the frame are in ui/tui.c.
 */
#include "config.h"

#include "ui/tui.h"

#include <curses.h>
#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "plots/canvas.h"
#include "plots/palette.h"
#include "ui/keys.h"
#include "ui/screen.h"
#include "ui/view.h"

/* ---- the terminal ---- */

struct term {
    SCREEN *scr;
    bool utf8;
    bool rich;               /* 256 colours: cells' xterm colours are shown */
    short pair_of[256];      /* the colour pair of an xterm colour, 0 until made */
    short npairs;            /* pairs made so far */
    chtype attrs[HS_NCOLORS];
    bool colours;            /* colours are shown (not NO_COLOR, and the terminal has them) */
};

volatile sig_atomic_t hs_tui_sigint;

/* Ctrl-C: the handler only raises flags (the running command's cancel
 * flag, and hs_tui_sigint, which quits when nothing was running). */
static atomic_int *sigint_cancel;

static void
on_sigint(int sig)
{
    (void)sig;
    hs_tui_sigint = 1;
    if (sigint_cancel)
        atomic_store(sigint_cancel, 1);
}

/* Colour roles to attributes: colour pairs, or under NO_COLOR (or on a
 * terminal without colours) bold, reverse and underline only. */
static void
colors_init(struct term *tm)
{
    const char *nc = getenv("NO_COLOR");
    chtype *a = tm->attrs;

    a[HS_COLOR_NORMAL] = A_NORMAL;
    a[HS_COLOR_HEADER] = A_BOLD;
    a[HS_COLOR_SIGNAL] = A_BOLD;
    a[HS_COLOR_BACKGROUND] = A_NORMAL;
    a[HS_COLOR_STATUS] = A_REVERSE;
    a[HS_COLOR_ERROR] = A_REVERSE | A_BOLD;
    a[HS_COLOR_SELECTION] = A_BOLD | A_UNDERLINE;
    a[HS_COLOR_DIM] = A_NORMAL;
    a[HS_COLOR_DERIVED] = A_UNDERLINE;
    if ((nc && *nc) || !has_colors() || start_color() == ERR)
        return;
    tm->colours = true;
    use_default_colors();
    bool rich = COLORS >= 256;
    tm->rich = rich && COLOR_PAIRS > 64;
    tm->npairs = 6;
    /* Signal and background in the plots' colours (plots/palette.h, the
     * colour-blind-safe Okabe-Ito pair), so a histogram and a table agree. */
    init_pair(1, COLOR_YELLOW, -1);
    init_pair(2, (short)(rich ? hs_palette_xterm256(HS_PAL_SIGNAL) : hs_palette_basic8(HS_PAL_SIGNAL)),
              -1);
    init_pair(3,
              (short)(rich ? hs_palette_xterm256(HS_PAL_BACKGROUND)
                           : hs_palette_basic8(HS_PAL_BACKGROUND)),
              -1);
    init_pair(4, COLOR_WHITE, COLOR_RED);
    init_pair(5, COLOR_BLACK, COLOR_CYAN);
    init_pair(6, (short)(rich ? 175 : COLOR_MAGENTA), -1);
    a[HS_COLOR_HEADER] = COLOR_PAIR(1) | A_BOLD;
    a[HS_COLOR_SIGNAL] = COLOR_PAIR(2);
    a[HS_COLOR_BACKGROUND] = COLOR_PAIR(3);
    a[HS_COLOR_ERROR] = COLOR_PAIR(4) | A_BOLD;
    a[HS_COLOR_SELECTION] = COLOR_PAIR(5) | A_BOLD;
    a[HS_COLOR_DIM] = A_DIM;
    a[HS_COLOR_DERIVED] = COLOR_PAIR(6);
}

/* Box-drawing characters for a terminal that is not UTF-8. */
static const char *
ascii_glyph(const char *ch)
{
    static const char *const map[][2] = {
        {"─", "-"}, {"│", "|"}, {"┌", "+"}, {"┐", "+"}, {"└", "+"}, {"┘", "+"}, {"…", "~"},
    };

    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(ch, map[i][0]) == 0)
            return map[i][1];
    return "?";
}

/* The colour pair of xterm colour xc on the default background, made on
 * first use (the plots need a handful); 0 when none is left. */
static short
xterm_pair(struct term *tm, unsigned char xc)
{
    if (!tm->pair_of[xc] && tm->npairs + 1 < COLOR_PAIRS && tm->npairs < 250) {
        tm->npairs++;
        if (init_pair(tm->npairs, xc, -1) == ERR)
            return 0;
        tm->pair_of[xc] = tm->npairs;
    }
    return tm->pair_of[xc];
}

static void
blit(struct term *tm, const struct hs_screen *s)
{
    for (int y = 0; y < s->h; y++)
        for (int x = 0; x < s->w; x++) {
            const struct hs_scell *c = &s->cells[(size_t)y * (size_t)s->w + (size_t)x];
            chtype a = tm->attrs[c->color < HS_NCOLORS ? c->color : 0];
            const char *g = c->ch;

            if (!*g)
                continue; /* the right half of a wide character */
            if (c->xc && tm->rich) {
                short pair = xterm_pair(tm, c->xc);
                if (pair)
                    a = (a & ~A_COLOR) | COLOR_PAIR(pair);
            }
            if (c->attr & HS_ATTR_REVERSE)
                a ^= A_REVERSE;
            if (c->attr & HS_ATTR_BOLD)
                a |= A_BOLD;
            if (c->attr & HS_ATTR_UNDERLINE)
                a |= A_UNDERLINE;
            if (!tm->utf8 && ((unsigned char)*g & 0x80))
                g = ascii_glyph(g);
            attrset((int)a);
            mvaddstr(y, x, g);
        }
    attrset(A_NORMAL);
    if (s->cur_x >= 0 && s->cur_y >= 0) {
        curs_set(1);
        move(s->cur_y, s->cur_x);
    } else {
        curs_set(0);
    }
}

/* An hs key code from wget_wch's result. */
static int
key_code(struct hs_tui *tui, int r, wint_t wch)
{
    if (r != KEY_CODE_YES) {
        if (wch == '\n' || wch == '\r')
            return HS_KEY_ENTER;
        if (wch == 0x7f || wch == 8)
            return HS_KEY_FN + KEY_BACKSPACE;
        return (int)wch;
    }
    switch (wch) {
    case KEY_ENTER:
        return HS_KEY_ENTER;
    case KEY_FIND:
    case KEY_A1:
        return HS_KEY_FN + KEY_HOME;
    case KEY_SELECT:
    case KEY_C1:
        return HS_KEY_FN + KEY_END;
    case KEY_A3:
        return HS_KEY_FN + KEY_PPAGE;
    case KEY_C3:
        return HS_KEY_FN + KEY_NPAGE;
    case KEY_MOUSE: {
        MEVENT ev;
        if (getmouse(&ev) != OK)
            return -1;
        if (ev.bstate & BUTTON4_PRESSED)
            return HS_KEY_WHEEL_UP;
        if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
            /* Where it was goes with the key: `cuts-click` reads it. */
            tui->click_x = ev.x;
            tui->click_y = ev.y;
            return HS_KEY_CLICK;
        }
#ifdef BUTTON5_PRESSED
        if (ev.bstate & BUTTON5_PRESSED)
            return HS_KEY_WHEEL_DOWN;
#endif
        return -1;
    }
    default:
        return HS_KEY_FN + (int)wch;
    }
}

static int
term_start(struct term *tm, struct hs_err *err)
{
    const char *cs = nl_langinfo(CODESET);

    memset(tm, 0, sizeof *tm);
    tm->utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
    tm->scr = newterm(NULL, stdout, stdin);
    if (!tm->scr) {
        const char *term = getenv("TERM");
        return hs_err_set(err, HS_EUSAGE,
                          "cannot start the terminal interface for TERM='%s'; "
                          "set TERM (e.g. xterm-256color) or use the batch commands",
                          term ? term : "");
    }
    set_term(tm->scr);
    /* Esc closes windows: wait at most 25 ms to tell it from an arrow. */
    set_escdelay(25);
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    leaveok(stdscr, FALSE);
    curs_set(0);
    /* Button 1 for the cuts view's histograms (the other views ignore
     * it); the wheel scrolls. */
    mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
                  | BUTTON5_PRESSED
#endif
              ,
              NULL);
    mouseinterval(0);
    colors_init(tm);
    return HS_OK;
}

static void
term_stop(struct term *tm)
{
    if (!tm->scr)
        return;
    endwin();
    delscreen(tm->scr);
    tm->scr = NULL;
}

/* Long commands (an import from the ':' line) report here: the status
 * line shows their progress a few times a second and Esc cancels them, so
 * the screen stays alive while they work. */
#define TYPEAHEAD 64

struct live {
    struct hs_tui *tui;
    struct term *tm;
    struct hs_screen *scr;
    struct timespec last; /* the last report drawn (or the job's start) */
    bool shown;
    /* Keys typed while a job ran, other than Esc: handled after it, in
     * order, so that typing ahead ("4" then "j j") loses nothing. */
    int ahead[TYPEAHEAD];
    int nahead;
};

static void
live_progress(void *user, double fraction, const char *what)
{
    struct live *lv = user;
    struct timespec now;
    double ms;
    wint_t wch;
    int r;
    char line[160];

    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (double)(now.tv_sec - lv->last.tv_sec) * 1e3 +
         (double)(now.tv_nsec - lv->last.tv_nsec) / 1e6;
    /* Jobs report several times a second, so a long gap means a new job:
     * give it 200 ms before showing anything, so quick ones never flash. */
    if (ms > 1000) {
        lv->last = now;
        lv->shown = false;
        return;
    }
    if (ms < (lv->shown ? 100 : 200))
        return;
    lv->last = now;
    lv->shown = true;
    timeout(0);
    while ((r = wget_wch(stdscr, &wch)) != ERR) {
        if (r == OK && wch == HS_KEY_ESC) {
            atomic_store(&lv->tui->app->cancel, 1);
        } else if (r == KEY_CODE_YES && wch == KEY_RESIZE) {
            hs_screen_resize(lv->scr, COLS, LINES);
        } else {
            int code = key_code(lv->tui, r, wch);
            if (code >= 0 && lv->nahead < TYPEAHEAD)
                lv->ahead[lv->nahead++] = code;
        }
    }
    if (fraction >= 0)
        snprintf(line, sizeof line, "%s %3.0f%%  (Esc cancels)", what ? what : "working",
                 100 * fraction);
    else
        snprintf(line, sizeof line, "%s...  (Esc cancels)", what ? what : "working");
    hs_tui_draw(lv->tui, lv->scr);
    if (lv->scr->h > 0 && !lv->tui->prompt.active) {
        hs_screen_fill(lv->scr, 0, lv->scr->h - 1, lv->scr->w, 1, HS_COLOR_STATUS, 0);
        hs_screen_put(lv->scr, 1, lv->scr->h - 1, lv->scr->w - 1, line, HS_COLOR_STATUS,
                      HS_ATTR_BOLD);
    }
    blit(lv->tm, lv->scr);
    refresh();
}

/* Read and handle keys until none is waiting (or many were): holding a key
 * down then costs one frame, not one per repeat. */
static void
handle_input(struct hs_tui *tui, struct live *lv, bool *resized, bool *got, bool training)
{
    for (int n = 0; n < 256 && !tui->quit; n++) {
        wint_t wch;
        int r;

        /* While a training runs, wake often enough to draw its epochs. */
        timeout(n == 0 ? (training ? 50 : 250) : 0);
        r = wget_wch(stdscr, &wch);
        if (r == ERR)
            break;
        if (r == KEY_CODE_YES && wch == KEY_RESIZE) {
            *resized = true;
            continue;
        }
        int code = key_code(tui, r, wch);
        *got = true;
        if (code >= 0)
            hs_tui_key(tui, code);
        /* Keys typed during a long job come next (one of them may start
         * another job, which queues its own). */
        while (lv->nahead && !tui->quit) {
            int k = lv->ahead[0];
            lv->nahead--;
            memmove(lv->ahead, lv->ahead + 1, (size_t)lv->nahead * sizeof *lv->ahead);
            hs_tui_key(tui, k);
        }
    }
}

static int
loop(struct hs_tui *tui, struct term *tm)
{
    struct hs_screen *scr = hs_screen_new(COLS, LINES);
    struct live lv = {.tui = tui, .tm = tm, .scr = scr};

    if (!scr)
        return HS_ENOMEM;
    scr->mono = !tm->colours;
    tui->app->progress = live_progress;
    tui->app->progress_user = &lv;
    while (!tui->quit) {
        bool computing = hs_tui_proj_poll(tui);
        bool resized = false, got = false, training = hs_tui_train_poll(tui) || computing;
        bool clustering = hs_tui_clust_poll(tui);

        if (tui->dirty) {
            hs_tui_draw(tui, scr);
            if (tui->repaint) {
                clearok(curscr, TRUE);
                tui->repaint = false;
            }
            blit(tm, scr);
            refresh();
            tui->dirty = false;
        }
        handle_input(tui, &lv, &resized, &got, training || clustering);
        /* A quarter second without a key: the nudges of a key held down
         * have ended, so their cut set is saved now (not on every repeat). */
        if (!got && tui->cuts.unsaved)
            hs_tui_cuts_flush(tui);
        /* SIGTERM or SIGHUP (main.c's handler): leave as on 'q', the
         * terminal restored and nothing lost. */
        if (hs_tui_sigint || tui->app->signal)
            tui->quit = true;
        if (resized) {
            if (hs_screen_resize(scr, COLS, LINES) != HS_OK) {
                hs_screen_free(scr);
                return HS_ENOMEM;
            }
            tui->dirty = true;
        }
    }
    /* Nothing the user did may be lost on the way out: a running
     * training stops, is joined and its best model saved. */
    hs_tui_train_finish_now(tui);
    hs_tui_proj_finish_now(tui);
    hs_tui_cuts_flush(tui);
    tui->app->progress = NULL;
    tui->app->progress_user = NULL;
    hs_screen_free(scr);
    return HS_OK;
}

int
hs_tui_can_start(struct hs_err *err)
{
    int rc;

    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return hs_err_set(err, HS_EUSAGE,
                          "the TUI needs a terminal (stdin and stdout must be a tty); "
                          "use the batch commands, see hepscope --help");
    /* A bad key table is a bug; say so before touching the terminal. */
    if ((rc = hs_keys_check(err)) != HS_OK)
        return rc;
    return hs_tui_term_check(err);
}

int
hs_tui_main(struct hs_app *app, struct hs_err *err)
{
    struct hs_tui tui;
    struct term tm;
    struct sigaction sa, old_sa;
    bool old_progress = app->progress_tty;
    int rc;

    if ((rc = hs_tui_can_start(err)) != HS_OK)
        return rc;
    if (!app->sess && (rc = hs_app_open_session(app, true, err)) != HS_OK)
        return rc;

    hs_tui_init(&tui, app);
    if ((rc = hs_tui_reload(&tui, err)) != HS_OK && !tui.ds) {
        hs_tui_release(&tui);
        return rc;
    }
    if (rc != HS_OK)
        hs_tui_message(&tui, true, "%s", err->msg); /* e.g. one dataset did not load */
    hs_err_clear(err);
    hs_tui_show(&tui, &hs_view_data_class);
    if ((rc = term_start(&tm, err)) != HS_OK) {
        hs_tui_release(&tui);
        return rc;
    }
    app->tui = &tui;
    app->progress_tty = false; /* stderr is the screen now */
    hs_tui_sigint = 0;
    sigint_cancel = &app->cancel;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_sa);

    rc = loop(&tui, &tm);

    sigaction(SIGINT, &old_sa, NULL);
    sigint_cancel = NULL;
    term_stop(&tm);
    app->tui = NULL;
    app->progress_tty = old_progress;
    hs_tui_release(&tui);
    if (rc != HS_OK)
        return hs_err_set(err, rc, "%s", hs_status_name(rc));
    return HS_OK;
}

/* Unit tests of the TUI's key table (ui/keys.c): every entry is a valid
 * command line of an existing command, no key is bound twice in a view,
 * every entry has a note, q quits everywhere, and the help and man page
 * generated from the table list what the table says.  The checks here are
 * written out by hand (not through hs_keys_check) so that a bug in the
 * checker cannot hide a bad entry; hs_keys_check is then tested on tables
 * with one planted fault each. */
#include "config.h"

#include <curses.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/cmd.h"
#include "ui/keys.h"
#include "ui/view.h"

static void
test_commands_parse(void **state)
{
    (void)state;
    for (const struct hs_key_binding *b = hs_key_table; b->view; b++) {
        struct hs_err err;
        char **argv = NULL;
        int argc = 0;

        hs_err_clear(&err);
        if (hs_cmd_split(b->command, &argc, &argv, &err) != HS_OK)
            fail_msg("key %s in %s: '%s' does not split: %s", b->key, b->view, b->command,
                     err.msg);
        assert_true(argc >= 1);
        if (!hs_cmd_find(argv[0]))
            fail_msg("key %s in %s: no command '%s'", b->key, b->view, argv[0]);
        /* The argument count must suit the command too. */
        const struct hs_cmd_entry *e = hs_cmd_find(argv[0]);
        assert_true(argc - 1 >= e->min_args);
        assert_true(e->max_args < 0 || argc - 1 <= e->max_args);
        hs_cmd_words_free(argc, argv);
    }
}

static bool
view_listed(const char *view)
{
    for (const struct hs_key_view *v = hs_key_views; v->name; v++)
        if (strcmp(v->name, view) == 0)
            return true;
    return false;
}

static void
test_entries_complete(void **state)
{
    (void)state;
    for (const struct hs_key_binding *b = hs_key_table; b->view; b++) {
        assert_non_null(b->key);
        assert_non_null(b->note);
        if (!b->note[0])
            fail_msg("key %s in %s has an empty note", b->key, b->view);
        if (!view_listed(b->view))
            fail_msg("key %s: view '%s' is not in hs_key_views", b->key, b->view);
        if (hs_key_parse(b->key) < 0)
            fail_msg("key name '%s' in %s does not parse", b->key, b->view);
    }
}

static void
test_no_duplicates(void **state)
{
    (void)state;
    for (const struct hs_key_binding *a = hs_key_table; a->view; a++)
        for (const struct hs_key_binding *b = a + 1; b->view; b++)
            if (strcmp(a->view, b->view) == 0 && hs_key_parse(a->key) == hs_key_parse(b->key))
                fail_msg("key %s is bound twice in view %s ('%s' and '%s')", a->key, a->view,
                         a->command, b->command);
}

static void
test_q_quits_everywhere(void **state)
{
    (void)state;
    for (const struct hs_key_view *v = hs_key_views; v->name; v++) {
        const struct hs_key_binding *b = hs_keys_lookup(v->name, 'q');
        assert_non_null(b);
        assert_string_equal(b->command, "quit");
        assert_string_equal(b->note, "quit");
    }
    /* The views the TUI actually uses are all in the list. */
    assert_true(view_listed("data") && view_listed("stats") && view_listed("datasets") &&
                view_listed("features") && view_listed("hist") && view_listed("overlay") &&
                view_listed("global"));
}

/* Every view of the TUI has its keys' section and a number key, 1 to N
 * in the order Tab goes through them, and moves with j/k and the paging
 * keys. */
static void
test_views_have_keys(void **state)
{
    (void)state;
    for (int v = 0; v < HS_NVIEWS; v++) {
        const char *name = hs_tui_view_name((enum hs_view_id)v);
        const struct hs_key_binding *b = hs_keys_lookup("global", '0' + (v + 1) % 10);
        char want[64];

        if (!view_listed(name))
            fail_msg("view '%s' has no section in hs_key_views", name);
        snprintf(want, sizeof want, "view %s", name);
        assert_non_null(b);
        assert_string_equal(b->command, want);
        assert_int_equal(hs_tui_view_find(name), v);
        assert_string_equal(hs_keys_lookup(name, 'j')->command, "move down");
        assert_string_equal(hs_keys_lookup(name, 'k')->command, "move up");
        assert_string_equal(hs_keys_lookup(name, HS_KEY_FN + KEY_NPAGE)->command,
                            "move page-down");
        assert_string_equal(hs_keys_lookup(name, 'G')->command, "move bottom");
    }
}

/* The features view: Space toggles (a journaled `feature on|off` built
 * from the selection), s sorts, a opens the editor, d drops, S suggests,
 * Enter shows the feature in the data view. */
static void
test_features_keys(void **state)
{
    (void)state;
    assert_string_equal(hs_keys_lookup("features", ' ')->command, "feature-toggle");
    assert_string_equal(hs_keys_lookup("features", 's')->command, "feature-sort");
    assert_string_equal(hs_keys_lookup("features", 'a')->command, "feature-new");
    assert_string_equal(hs_keys_lookup("features", 'd')->command, "feature-drop");
    assert_string_equal(hs_keys_lookup("features", 'S')->command, "feature-suggest");
    assert_string_equal(hs_keys_lookup("features", HS_KEY_ENTER)->command, "goto-column");
    assert_string_equal(hs_keys_lookup("features", 'q')->command, "quit");
    assert_string_equal(hs_keys_lookup("features", '?')->command, "keys");
    /* Space toggles where something does, and pages nowhere: a key has
     * one meaning (PgDn and C-f page). */
    assert_null(hs_keys_lookup("data", ' '));
    assert_string_equal(hs_keys_lookup("train", ' ')->command, "train-toggle");
    /* The commands exist and refuse to run outside the TUI. */
    for (const char *const *c = (const char *const[]){"feature-toggle", "feature-sort",
                                                       "feature-new", "feature-drop",
                                                       "feature-suggest", NULL};
         *c; c++) {
        const struct hs_cmd_entry *e = hs_cmd_find(*c);
        assert_non_null(e);
        assert_true(e->flags & HS_CMD_TUI);
        assert_int_equal(e->min_args, 0);
    }
    assert_string_equal(hs_keys_key_for("features", "feature-new"), "a");
}

/* The histogram view: Left/Right (h/l, j/k) change the feature, + and -
 * rebin, L, A and # change the look, p saves; the number key 5 and Tab
 * reach it. */
static void
test_hist_keys(void **state)
{
    static const struct {
        const char *key, *command;
    } want[] = {
        {"Right", "hist-feature next"}, {"Left", "hist-feature previous"},
        {"j", "move down"},             {"k", "move up"},
        {"+", "hist-bins more"},        {"=", "hist-bins more"},
        {"-", "hist-bins fewer"},       {"L", "hist-log"},
        {"A", "hist-norm"},             {"#", "hist-grid"},
        {"p", "hist-save"},             {"q", "quit"},
        {"l", "hist-feature next"},     {"h", "hist-feature previous"},
        {"g", "move top"},
        {"?", "keys"},                  {"Tab", "view next"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct hs_key_binding *b = hs_keys_lookup("hist", hs_key_parse(want[i].key));
        if (!b)
            fail_msg("hist: key '%s' is not bound", want[i].key);
        assert_string_equal(b->command, want[i].command);
    }
    assert_string_equal(hs_keys_lookup("global", '5')->command, "view hist");
    assert_int_equal(hs_tui_view_find("hist"), HS_VIEW_HIST);
    /* l and g mean what they mean in the other views. */
    assert_string_equal(hs_keys_lookup("data", 'l')->command, "move right");
    assert_string_equal(hs_keys_lookup("data", 'g')->command, "move top");
    for (const char *const *c = (const char *const[]){"hist-feature", "hist-bins", "hist-log",
                                                       "hist-norm", "hist-grid", "hist-save",
                                                       NULL};
         *c; c++) {
        const struct hs_cmd_entry *e = hs_cmd_find(*c);
        assert_non_null(e);
        assert_true(e->flags & HS_CMD_TUI);
    }
    assert_string_equal(hs_keys_key_for("hist", "hist-save"), "p");
}

/* The cuts view: rows and the lower/upper cell, Enter or e types a cut,
 * > < nudge, Delete and x clear, o optimises, a click moves the nearer
 * cut; the ROC view: L log, p save; 6 and 7 reach them, and the global
 * ] [ (next dataset) mean that in the cuts view too. */
static void
test_cuts_roc_keys(void **state)
{
    static const struct {
        const char *view, *key, *command;
    } want[] = {
        {"cuts", "j", "move down"},          {"cuts", "Down", "move down"},
        {"cuts", "k", "move up"},            {"cuts", "h", "move left"},
        {"cuts", "Left", "move left"},       {"cuts", "l", "move right"},
        {"cuts", "Right", "move right"},     {"cuts", "Enter", "cuts-edit"},
        {"cuts", "e", "cuts-edit"},          {"cuts", "]", "next-dataset"},
        {"cuts", ">", "cuts-nudge up"},      {"cuts", "[", "previous-dataset"},
        {"cuts", "<", "cuts-nudge down"},    {"cuts", "Delete", "cuts-clear"},
        {"cuts", "x", "cuts-clear"},         {"cuts", "o", "cuts-optimise"},
        {"cuts", "Click", "cuts-click"},     {"cuts", "q", "quit"},
        {"cuts", "?", "keys"},               {"cuts", "Tab", "view next"},
        {"roc", "L", "roc-log"},             {"roc", "p", "roc-save"},
        {"roc", "j", "move down"},           {"roc", "q", "quit"},
        {"global", "6", "view cuts"},        {"global", "7", "view roc"},
        {"data", "]", "next-dataset"},       {"hist", "[", "previous-dataset"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct hs_key_binding *b =
            hs_keys_lookup(want[i].view, hs_key_parse(want[i].key));
        if (!b)
            fail_msg("%s: key '%s' is not bound", want[i].view, want[i].key);
        assert_string_equal(b->command, want[i].command);
    }
    assert_int_equal(hs_tui_view_find("cuts"), HS_VIEW_CUTS);
    assert_int_equal(hs_tui_view_find("roc"), HS_VIEW_ROC);
    for (const char *const *c = (const char *const[]){"cuts-edit", "cuts-bound", "cuts-nudge",
                                                       "cuts-clear", "cuts-click", "cuts-optimise",
                                                       "cuts-name", "roc-log", "roc-save", NULL};
         *c; c++) {
        const struct hs_cmd_entry *e = hs_cmd_find(*c);
        if (!e)
            fail_msg("no command '%s'", *c);
        assert_true(e->flags & HS_CMD_TUI);
        /* The view's own commands never write: what they store goes
         * through `cut set`, journaled as from the CLI. */
        assert_false(e->flags & HS_CMD_WRITES);
    }
    assert_string_equal(hs_keys_key_for("cuts", "cuts-optimise"), "o");
    assert_string_equal(hs_keys_key_for("roc", "roc-save"), "p");
}

/* The training view: j/k walk the fields, Enter or e types one, Left and
 * Right (h, l) step a choice, Space balances, t trains, Esc stops, } {
 * page through the results (] [ are the datasets', as everywhere), p
 * saves; 8 reaches it.  Its commands are TUI-only and never write: the
 * model is stored with the `train` journal line, as the CLI would. */
static void
test_train_keys(void **state)
{
    static const struct {
        const char *view, *key, *command;
    } want[] = {
        {"train", "j", "move down"},             {"train", "Down", "move down"},
        {"train", "k", "move up"},               {"train", "Up", "move up"},
        {"train", "Enter", "train-edit"},        {"train", "e", "train-edit"},
        {"train", "Right", "train-cycle next"},  {"train", "l", "train-cycle next"},
        {"train", "Left", "train-cycle previous"}, {"train", "h", "train-cycle previous"},
        {"train", "Space", "train-toggle"},      {"train", "t", "train-start"},
        {"train", "Esc", "train-stop"},          {"train", "}", "train-page next"},
        {"train", "{", "train-page previous"},   {"train", "p", "train-save"},
        {"train", "]", "next-dataset"},
        {"train", "q", "quit"},                  {"train", "?", "keys"},
        {"train", ":", "prompt"},                {"train", "Tab", "view next"},
        {"global", "8", "view train"},           {"roc", "]", "next-dataset"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct hs_key_binding *b =
            hs_keys_lookup(want[i].view, hs_key_parse(want[i].key));
        if (!b)
            fail_msg("%s: key '%s' is not bound", want[i].view, want[i].key);
        assert_string_equal(b->command, want[i].command);
    }
    assert_int_equal(hs_tui_view_find("train"), HS_VIEW_TRAIN);
    assert_string_equal(hs_tui_view_name(HS_VIEW_TRAIN), "train");
    for (const char *const *c =
             (const char *const[]){"train-edit", "train-set", "train-cycle", "train-toggle",
                                   "train-start", "train-stop", "train-page", "train-save", NULL};
         *c; c++) {
        const struct hs_cmd_entry *e = hs_cmd_find(*c);
        if (!e)
            fail_msg("no command '%s'", *c);
        assert_true(e->flags & HS_CMD_TUI);
        assert_false(e->flags & HS_CMD_WRITES);
    }
    /* While a training runs: looking and the form, not changing data. */
    assert_true(hs_tui_train_allows("train-stop"));
    assert_true(hs_tui_train_allows("quit"));
    assert_true(hs_tui_train_allows("train-set"));
    assert_false(hs_tui_train_allows("train-start"));
    assert_false(hs_tui_train_allows("feature-toggle"));
    assert_false(hs_tui_train_allows("import"));
    assert_false(hs_tui_train_allows("next-dataset"));
}

static void
test_required_keys(void **state)
{
    (void)state;
    assert_string_equal(hs_keys_lookup("data", '?')->command, "keys");
    assert_string_equal(hs_keys_lookup("data", ':')->command, "prompt");
    assert_string_equal(hs_keys_lookup("overlay", HS_KEY_ESC)->command, "close");
    assert_string_equal(hs_keys_lookup("data", HS_KEY_FN + KEY_NPAGE)->command,
                        "move page-down");
    assert_string_equal(hs_keys_lookup("data", 'G')->command, "move bottom");
    assert_string_equal(hs_keys_lookup("data", 'g')->command, "move top");
    assert_string_equal(hs_keys_lookup("data", HS_KEY_FN + KEY_HOME)->command, "move top");
    assert_string_equal(hs_keys_lookup("data", HS_KEY_FN + KEY_END)->command, "move bottom");
    assert_string_equal(hs_keys_lookup("datasets", HS_KEY_ENTER)->command, "select-dataset");
    assert_string_equal(hs_keys_lookup("stats", '\t')->command, "view next");
    assert_null(hs_keys_lookup("data", 'Z'));
}

static void
test_key_names(void **state)
{
    static const char *const names[] = {
        "q",    "?",    ":",         "$",      "Space",  "Esc",     "Tab",  "Enter",
        "BTab", "Up",   "Down",      "Left",   "Right",  "PgUp",    "PgDn", "Home",
        "End",  "C-l",  "C-f",       "F1",     "F12",    "WheelUp", "WheelDown",
        "Backspace", "Delete", "Click",
    };
    char buf[HS_KEY_NAME_MAX];

    (void)state;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int code = hs_key_parse(names[i]);
        if (code < 0)
            fail_msg("'%s' does not parse", names[i]);
        assert_string_equal(hs_key_name(code, buf), names[i]);
    }
    assert_int_equal(hs_key_parse("C-l"), 12);
    assert_int_equal(hs_key_parse("Space"), ' ');
    assert_int_equal(hs_key_parse("Esc"), 27);
    assert_int_equal(hs_key_parse("PgDn"), HS_KEY_FN + KEY_NPAGE);
    assert_int_equal(hs_key_parse("F3"), HS_KEY_FN + KEY_F(3));
    assert_int_equal(hs_key_parse(""), -1);
    assert_int_equal(hs_key_parse("Pgdn"), -1);
    assert_int_equal(hs_key_parse("C-"), -1);
    assert_int_equal(hs_key_parse("C-i"), -1); /* that is Tab */
    assert_int_equal(hs_key_parse("F0"), -1);
    assert_int_equal(hs_key_parse("F13"), -1);
    assert_int_equal(hs_key_parse(" "), -1);
}

static void
test_table_checks(void **state)
{
    struct hs_err err;

    (void)state;
    hs_err_clear(&err);
    if (hs_keys_check(&err) != HS_OK)
        fail_msg("the key table is bad: %s", err.msg);
}

/* One planted fault per table; each must be found, and named. */
static void
test_bad_tables_detected(void **state)
{
    static const struct hs_key_binding quit = {"global", "q", "quit", "quit"};
    static const struct {
        struct hs_key_binding bad;
        const char *says;
    } cases[] = {
        {{"data", "x", "no-such-command", "nothing"}, "unknown command"},
        {{"data", "x", "move 'up", "nothing"}, "quote"},
        {{"data", "Bogus", "move up", "up"}, "unknown key name"},
        {{"data", "x", "move up", ""}, "no note"},
        {{"data", "x", "", "up"}, "no command"},
        {{"nowhere", "x", "move up", "up"}, "unknown view"},
        {{"data", "q", "move up", "up"}, "does not quit"},
        {{"stats", "q", "quit", "leave"}, "does not quit"},
        {{"global", "q", "quit", "quit"}, "twice"},
    };
    char msg[300];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct hs_key_binding table[3] = {quit, cases[i].bad, {NULL, NULL, NULL, NULL}};
        struct hs_err err;

        hs_err_clear(&err);
        snprintf(msg, sizeof msg, "case %zu (%s)", i, cases[i].says);
        if (hs_keys_check_table(table, &err) != HS_EUSAGE)
            fail_msg("%s: not detected", msg);
        if (!strstr(err.msg, cases[i].says))
            fail_msg("%s: message '%s'", msg, err.msg);
    }
    /* And a table with no q at all. */
    {
        struct hs_key_binding table[2] = {{"data", "x", "move up", "up"}, {0}};
        struct hs_err err;
        hs_err_clear(&err);
        assert_int_equal(hs_keys_check_table(table, &err), HS_EUSAGE);
    }
}

static void
write_help_plain(FILE *out)
{
    hs_keys_write_help(out, NULL);
}

static void
write_help_hist(FILE *out)
{
    hs_keys_write_help(out, "hist");
}

/* Not inlined: GCC then takes the stream's buffer for a local one. */
__attribute__((noinline)) static char *
capture(void (*fn)(FILE *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    assert_non_null(out);
    fn(out);
    assert_int_equal(fclose(out), 0);
    return buf;
}

static void
test_help_from_table(void **state)
{
    char *help = capture(write_help_plain);

    (void)state;
    /* Every view's title and every note appear; q's line says quit. */
    for (const struct hs_key_view *v = hs_key_views; v->name; v++)
        assert_non_null(strstr(help, v->title));
    for (const struct hs_key_binding *b = hs_key_table; b->view; b++)
        if (!strstr(help, b->note))
            fail_msg("note '%s' missing from the help", b->note);
    {
        const char *line = help;
        bool found = false;
        while (line && *line) {
            char word[32], rest[64];
            if (sscanf(line, " %31s %63[^\n]", word, rest) == 2 && strcmp(word, "q") == 0 &&
                strcmp(rest, "quit") == 0)
                found = true;
            line = strchr(line, '\n');
            line = line ? line + 1 : NULL;
        }
        assert_true(found);
    }
    /* Keys with the same command share a line: "Down j". */
    assert_non_null(strstr(help, "Down j"));
    free(help);
}

/* '?' in a view: that view's keys, then the global ones, then the rest
 * in the table's order, each view once. */
static long
offset_of(const char *text, const char *what)
{
    const char *at = strstr(text, what);
    return at ? (long)(at - text) : -1;
}

static void
test_help_view_first(void **state)
{
    char *help = capture(write_help_hist);
    long hist = offset_of(help, "Histogram view (5)\n"), global = offset_of(help, "Everywhere\n");
    long data = offset_of(help, "Data view (1)\n"), train = offset_of(help, "Training view (8)\n");

    (void)state;
    assert_int_equal(hist, 0);
    assert_true(global > hist && data > global && train > data);
    assert_int_equal(offset_of(help + 1, "Histogram view (5)\n"), -1);
    assert_int_equal(offset_of(help + global + 1, "Everywhere\n"), -1);
    free(help);
}

/* A key bound everywhere is never given another command by a view (but
 * Esc); the check finds one that is. */
static void
test_global_keys_not_rebound(void **state)
{
    struct hs_key_binding bad[] = {
        {"global", "q", "quit", "quit"},
        {"global", "]", "next-dataset", "show the next dataset"},
        {"cuts", "]", "cuts-nudge up", "move the cut up"},
        {0},
    };
    struct hs_err err;

    (void)state;
    hs_err_clear(&err);
    assert_int_equal(hs_keys_check_table(bad, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "key ']' in view 'cuts'"));
    hs_err_clear(&err);
    assert_int_equal(hs_keys_check(&err), HS_OK);
    /* The keys that moved for it: ] [ are datasets in every view. */
    for (const struct hs_key_view *v = hs_key_views; v->name; v++) {
        if (strcmp(v->name, "overlay") == 0)
            continue;
        assert_string_equal(hs_keys_lookup(v->name, ']')->command, "next-dataset");
        assert_string_equal(hs_keys_lookup(v->name, '[')->command, "previous-dataset");
    }
}

static void
test_man_from_table(void **state)
{
    char *man = capture(hs_keys_write_man);

    (void)state;
    assert_non_null(strstr(man, ".SS Everywhere\n"));
    assert_non_null(strstr(man, ".TP 18\n.B q\nquit\n"));
    assert_non_null(strstr(man, ".B C\\-l\n"));
    /* Every line is a request or text that cannot be taken for one. */
    for (const char *l = man; *l;) {
        const char *e = strchr(l, '\n');
        if (*l == '\'' || (*l == '.' && strncmp(l, ".TP", 3) && strncmp(l, ".B ", 3) &&
                           strncmp(l, ".SS ", 4)))
            fail_msg("stray request: %.*s", (int)(e ? e - l : 20), l);
        l = e ? e + 1 : l + strlen(l);
    }
    free(man);
}

/* Through the command layer: `keys` works in batch use; the TUI-only
 * commands refuse to run without a TUI. */
static void
test_commands_outside_tui(void **state)
{
    struct hs_app app;
    struct hs_err err;
    char *buf = NULL;
    size_t len = 0;
    FILE *out;

    (void)state;
    hs_app_init(&app);
    out = open_memstream(&buf, &len);
    assert_int_equal(hs_cmd_run_line(&app, "keys", out, &err), HS_OK);
    fclose(out);
    assert_non_null(strstr(buf, "quit"));
    free(buf);
    for (const struct hs_cmd_entry *const *e = hs_cmd_tui_entries; *e; e++) {
        if (!((*e)->flags & HS_CMD_TUI))
            continue;
        buf = NULL;
        out = open_memstream(&buf, &len);
        hs_err_clear(&err);
        char line[64];
        int n = snprintf(line, sizeof line, "%s", (*e)->name);
        for (int a = 0; a < (*e)->min_args; a++)
            n += snprintf(line + n, sizeof line - (size_t)n, " data");
        assert_int_equal(hs_cmd_run_line(&app, line, out, &err), HS_EUSAGE);
        assert_non_null(strstr(err.msg, "TUI"));
        fclose(out);
        free(buf);
    }
    hs_app_release(&app);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commands_parse),
        cmocka_unit_test(test_entries_complete),
        cmocka_unit_test(test_no_duplicates),
        cmocka_unit_test(test_q_quits_everywhere),
        cmocka_unit_test(test_views_have_keys),
        cmocka_unit_test(test_features_keys),
        cmocka_unit_test(test_hist_keys),
        cmocka_unit_test(test_cuts_roc_keys),
        cmocka_unit_test(test_train_keys),
        cmocka_unit_test(test_required_keys),
        cmocka_unit_test(test_key_names),
        cmocka_unit_test(test_table_checks),
        cmocka_unit_test(test_bad_tables_detected),
        cmocka_unit_test(test_help_from_table),
        cmocka_unit_test(test_help_view_first),
        cmocka_unit_test(test_global_keys_not_rebound),
        cmocka_unit_test(test_man_from_table),
        cmocka_unit_test(test_commands_outside_tui),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

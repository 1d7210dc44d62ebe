/* cmd-tui.c: the commands that drive the TUI.
 *
 * Keys name these commands (ui/keys.c) and the ':' line can type them.
 * They change the TUI's state through app->tui and mark it dirty; the loop
 * in ui/tui.c draws once afterwards.  Only `keys` also works from the CLI.
 * The cuts and ROC views' commands are in ui/cmd-tui-cuts.c.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "featureset.h"
#include "ui/cmd.h"
#include "ui/keys.h"
#include "ui/select.h"
#include "ui/view.h"

static const struct hs_opt_spec no_opts[] = {{0}};

struct hs_tui *
hs_cmd_need_tui(struct hs_cmd *cmd, struct hs_app *app)
{
    if (!app->tui)
        hs_err_set(&cmd->err, HS_EUSAGE,
                   "'%s' works only in the TUI (run hepscope without a command)", cmd->entry->name);
    return app->tui;
}

static int
quit_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);

    if (!tui)
        return cmd->err.code;
    tui->quit = true;
    return HS_OK;
}

static const struct hs_cmd_entry cmd_quit = {
    .name = "quit",
    .alias = "q",
    .usage = "",
    .summary = "leave the TUI",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = quit_exec,
};

static int
prompt_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);
    char *init = NULL;
    int rc;

    if (!tui)
        return cmd->err.code;
    if (cmd->argc > 0) {
        /* Followed by a space: the next word is to be typed. */
        char *words = hs_cmd_join(cmd->argc, cmd->argv);
        if (words && (init = malloc(strlen(words) + 2)))
            sprintf(init, "%s ", words);
        free(words);
        if (!init)
            return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    }
    rc = hs_prompt_open(&tui->prompt, init);
    free(init);
    tui->dirty = true;
    return rc == HS_OK ? HS_OK : hs_err_set(&cmd->err, rc, "out of memory");
}

static const struct hs_cmd_entry cmd_prompt = {
    .name = "prompt",
    .alias = NULL,
    .usage = "[TEXT...]",
    .summary = "open the command line, with TEXT and a space typed in",
    .opts = no_opts,
    .min_args = 0,
    .max_args = -1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = prompt_exec,
};

static int
close_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);

    if (!tui)
        return cmd->err.code;
    hs_overlay_close(&tui->overlay);
    tui->msg[0] = '\0';
    tui->msg_error = false;
    tui->dirty = true;
    return HS_OK;
}

static const struct hs_cmd_entry cmd_close = {
    .name = "close",
    .alias = NULL,
    .usage = "",
    .summary = "close the help or output window",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = close_exec,
};

static int
view_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);
    const char *name = cmd->argv[0];
    int v;

    if (!tui)
        return cmd->err.code;
    if (strcmp(name, "next") == 0)
        v = (int)(((size_t)tui->view + 1) % tui->nviews);
    else if (strcmp(name, "previous") == 0 || strcmp(name, "prev") == 0)
        v = (int)(((size_t)tui->view + tui->nviews - 1) % tui->nviews);
    else if ((v = hs_tui_view_find(name)) < 0)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "no view '%s' (views: data, stats, datasets, features, hist, cuts, roc, "
                          "train, proj, next, previous)",
                          name);
    /* The other views may compute features, whose columns the running
     * training borrows: they wait for it. */
    if (hs_train_view_running(&tui->train) && hs_view_classes[v] != &hs_view_train_class)
        return hs_err_set(&cmd->err, HS_EBUSY,
                          "the other views wait for the training: Esc in the train view stops it");
    hs_overlay_close(&tui->overlay);
    hs_tui_set_view(tui, (enum hs_view_id)v);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_view = {
    .name = "view",
    .alias = NULL,
    .usage = "data|stats|datasets|features|hist|cuts|roc|train|proj|next|previous",
    .summary = "switch the view",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = view_exec,
};

static int
move_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    static const struct {
        const char *name;
        enum hs_move m;
    } moves[] = {
        {"up", HS_MOVE_UP},
        {"down", HS_MOVE_DOWN},
        {"page-up", HS_MOVE_PAGE_UP},
        {"page-down", HS_MOVE_PAGE_DOWN},
        {"top", HS_MOVE_TOP},
        {"bottom", HS_MOVE_BOTTOM},
        {"left", HS_MOVE_LEFT},
        {"right", HS_MOVE_RIGHT},
        {"first-column", HS_MOVE_FIRST_COLUMN},
        {"last-column", HS_MOVE_LAST_COLUMN},
    };
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);
    unsigned long count = 1;

    if (!tui)
        return cmd->err.code;
    if (cmd->argc > 1) {
        char *end;
        count = strtoul(cmd->argv[1], &end, 10);
        if (*end || !count || cmd->argv[1][0] == '-')
            return hs_err_set(&cmd->err, HS_EUSAGE, "move: '%s' is not a positive count",
                              cmd->argv[1]);
    }
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
        if (strcmp(cmd->argv[0], moves[i].name) == 0) {
            hs_tui_move(tui, moves[i].m, count);
            return HS_OK;
        }
    return hs_err_set(&cmd->err, HS_EUSAGE,
                      "move: no direction '%s' (up, down, page-up, page-down, top, bottom, "
                      "left, right, first-column, last-column)",
                      cmd->argv[0]);
}

static const struct hs_cmd_entry cmd_move = {
    .name = "move",
    .alias = NULL,
    .usage = "up|down|page-up|page-down|top|bottom|left|right|first-column|last-column [N]",
    .summary = "move the cursor of the current view (or scroll the open window)",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 2,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = move_exec,
};

static int
select_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);

    if (!tui)
        return cmd->err.code;
    return hs_tui_select_dataset(tui, cmd->argc ? cmd->argv[0] : NULL, &cmd->err);
}

static const struct hs_cmd_entry cmd_select = {
    .name = "select-dataset",
    .alias = NULL,
    .usage = "[DATASET]",
    .summary = "show a dataset (the highlighted one in the datasets view)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = select_exec,
};

/* Step through the dataset list from the shown one, wrapping around:
 * the view shown stays, and so do its cursor and scroll as far as the
 * other dataset has rows (a user comparing two datasets flips between
 * them at one place, as a pager's next file keeps its window). */
static int
step_dataset(struct hs_cmd *cmd, struct hs_app *app, int step)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);
    struct hs_tui_place place;
    size_t at = 0;
    int rc;

    if (!tui)
        return cmd->err.code;
    if (tui->nds == 0)
        return hs_err_set(&cmd->err, HS_ENOTFOUND, "the session has no datasets");
    for (size_t i = 0; i < tui->nds; i++)
        if (tui->dsname && strcmp(tui->ds[i].name, tui->dsname) == 0)
            at = i;
    at = (at + tui->nds + (size_t)(step > 0 ? 1 : tui->nds - 1)) % tui->nds;
    hs_tui_place_save(tui, &place);
    rc = hs_tui_select_dataset(tui, tui->ds[at].name, &cmd->err);
    hs_tui_place_restore(tui, &place);
    return rc;
}

static int
next_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    return step_dataset(cmd, app, 1);
}

static int
previous_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    return step_dataset(cmd, app, -1);
}

static const struct hs_cmd_entry cmd_next = {
    .name = "next-dataset",
    .alias = NULL,
    .usage = "",
    .summary = "show the next dataset of the session",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = next_exec,
};

static const struct hs_cmd_entry cmd_previous = {
    .name = "previous-dataset",
    .alias = NULL,
    .usage = "",
    .summary = "show the previous dataset of the session",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = previous_exec,
};

static int
goto_column_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);
    const char *name;

    if (!tui)
        return cmd->err.code;
    if (cmd->argc) {
        name = cmd->argv[0];
    } else if (hs_tui_shown(tui, &hs_view_features_class)) {
        const struct hs_feature *f = hs_features_view_current(&tui->feat);
        name = f ? f->name : NULL;
        if (f && f->expr && !f->on)
            return hs_err_set(&cmd->err, HS_EUSAGE,
                              "feature '%s' is off: the data view shows the derived features "
                              "that are on",
                              f->name);
    } else {
        name = hs_stats_view_column(&tui->stats);
    }
    if (!tui->table || !name)
        return hs_err_set(&cmd->err, HS_EUSAGE, "no dataset is shown");
    if (!hs_data_view_goto_column(&tui->data, name))
        return hs_err_set(&cmd->err, HS_ENOTFOUND, "no column '%s' in dataset '%s'", name,
                          tui->dsname);
    hs_overlay_close(&tui->overlay);
    hs_tui_show(tui, &hs_view_data_class);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_goto_column = {
    .name = "goto-column",
    .alias = NULL,
    .usage = "[COLUMN]",
    .summary = "show a column in the data view (the statistics or features view's current one)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = goto_column_exec,
};

static int
redraw_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);

    if (!tui)
        return cmd->err.code;
    tui->repaint = true;
    tui->dirty = true;
    return HS_OK;
}

static const struct hs_cmd_entry cmd_redraw = {
    .name = "redraw",
    .alias = NULL,
    .usage = "",
    .summary = "repaint the whole terminal",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = redraw_exec,
};

/* ---- the features view ----
 *
 * The keys of the features view change the session through the journaled
 * `feature` command, never behind its back: each command below builds a
 * `feature --dataset D ...` line from the selection and runs it through
 * hs_cmd_run_line, exactly as the CLI would (and as the datasets view's
 * Enter names its dataset).  The TUI reloads after it, as after any
 * command that changed the session. */

static struct hs_tui *
need_features(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);

    if (tui && (!tui->feat.t || !tui->dsname)) {
        hs_err_set(&cmd->err, HS_EUSAGE, "no dataset is shown");
        return NULL;
    }
    return tui;
}

/* The feature named by the argument, else the one under the cursor. */
static const struct hs_feature *
target(struct hs_cmd *cmd, struct hs_tui *tui)
{
    const struct hs_feature *f;
    long i;

    if (cmd->argc) {
        if ((i = hs_featureset_find(&tui->feat.fs, cmd->argv[0])) < 0) {
            hs_err_set(&cmd->err, HS_ENOTFOUND, "no feature '%s' in dataset '%s'", cmd->argv[0],
                       tui->dsname);
            return NULL;
        }
        return &tui->feat.fs.f[i];
    }
    if (!(f = hs_features_view_current(&tui->feat)))
        hs_err_set(&cmd->err, HS_EUSAGE, "no feature is selected");
    return f;
}

/* Run `feature --dataset D WORDS...` (n words) with its output to out. */
static int
run_feature(struct hs_cmd *cmd, struct hs_app *app, struct hs_tui *tui, FILE *out, int n,
            const char *const *words)
{
    char *argv[8], *line;
    int rc;

    if (!app->sess)
        return hs_err_set(&cmd->err, HS_ESESSION, "no session is open");
    argv[0] = "feature";
    argv[1] = "--dataset";
    argv[2] = tui->dsname;
    for (int i = 0; i < n && i < 5; i++)
        argv[3 + i] = (char *)words[i];
    if (!(line = hs_cmd_join(3 + (n < 5 ? n : 5), argv)))
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    rc = hs_cmd_run_line(app, line, out, &cmd->err);
    free(line);
    return rc;
}

static int
feature_toggle_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_features(cmd, app);
    const struct hs_feature *f = tui ? target(cmd, tui) : NULL;
    const char *words[3];
    int rc;

    if (!f)
        return cmd->err.code;
    /* "--": a feature's name never starts with '-', but a line built
     * from data should not depend on that. */
    words[0] = f->on ? "off" : "on";
    words[1] = "--";
    words[2] = f->name;
    if ((rc = run_feature(cmd, app, tui, cmd->out, 3, words)) == HS_OK)
        fprintf(cmd->out, "feature '%s' is %s\n", f->name, words[0]);
    return rc;
}

static const struct hs_cmd_entry cmd_feature_toggle = {
    .name = "feature-toggle",
    .alias = NULL,
    .usage = "[FEATURE]",
    .summary = "turn a feature on or off (the features view's current one), as `feature on|off`",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = feature_toggle_exec,
};

static int
feature_drop_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_features(cmd, app);
    const struct hs_feature *f = tui ? target(cmd, tui) : NULL;
    const char *words[3] = {"drop", "--", NULL};
    int rc;

    if (!f)
        return cmd->err.code;
    words[2] = f->name;
    if ((rc = run_feature(cmd, app, tui, cmd->out, 3, words)) == HS_OK)
        fprintf(cmd->out, "dropped feature '%s'\n", f->name);
    return rc;
}

static const struct hs_cmd_entry cmd_feature_drop = {
    .name = "feature-drop",
    .alias = NULL,
    .usage = "[FEATURE]",
    .summary = "drop a derived feature (the features view's current one), as `feature drop`",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = feature_drop_exec,
};

/* `feature suggest --add`, told in one line: how many were added. */
static int
feature_suggest_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    static const char *const words[] = {"suggest", "--add"};
    struct hs_tui *tui = need_features(cmd, app);
    char *buf = NULL, *first = NULL;
    size_t len = 0, added = 0, have = 0, shown = 0;
    char names[60] = ""; /* a short line: the status bar, not a window */
    FILE *out;
    int rc;

    if (!tui)
        return cmd->err.code;
    if (!(out = open_memstream(&buf, &len)))
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    rc = run_feature(cmd, app, tui, out, 2, words);
    fclose(out);
    /* Its lines: "added NAME = EXPR    # what", "(have) NAME = ...", or
     * one line saying that no particles were found. */
    for (char *l = buf; rc == HS_OK && l && *l;) {
        char *e = strchr(l, '\n'), *sp;
        if (e)
            *e = '\0';
        if (strncmp(l, "added ", 6) == 0 && (sp = strchr(l + 6, ' '))) {
            *sp = '\0';
            if (!added)
                first = strdup(l + 6);
            if (shown + strlen(l + 6) + 6 < sizeof names) {
                shown += (size_t)snprintf(names + shown, sizeof names - shown, "%s%s",
                                          added ? ", " : "", l + 6);
            } else if (shown + 5 < sizeof names && !strstr(names, ", ...")) {
                shown += (size_t)snprintf(names + shown, sizeof names - shown, ", ...");
            }
            added++;
        } else if (strncmp(l, "(have) ", 7) == 0) {
            have++;
        } else if (!added && !have && *l) {
            fprintf(cmd->out, "%s\n", l);
        }
        l = e ? e + 1 : NULL;
    }
    if (rc == HS_OK && added) {
        fprintf(cmd->out, "added %zu feature%s: %s\n", added, added == 1 ? "" : "s", names);
        free(tui->feat.want);
        tui->feat.want = first; /* selected when the list reloads */
        first = NULL;
    } else if (rc == HS_OK && have) {
        fprintf(cmd->out, "added 0 features: the %zu suggested are there already\n", have);
    }
    free(first);
    free(buf);
    return rc;
}

static const struct hs_cmd_entry cmd_feature_suggest = {
    .name = "feature-suggest",
    .alias = NULL,
    .usage = "",
    .summary = "add the pair quantities of the particles found, as `feature suggest --add`",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = feature_suggest_exec,
};

static int
feature_new_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_features(cmd, app);

    if (!tui)
        return cmd->err.code;
    hs_overlay_close(&tui->overlay);
    if (!hs_tui_shown(tui, &hs_view_features_class))
        hs_tui_show(tui, &hs_view_features_class);
    tui->dirty = true;
    if (hs_feature_editor_open(&tui->feat.ed, cmd->argc ? cmd->argv[0] : NULL) != HS_OK)
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    return HS_OK;
}

static const struct hs_cmd_entry cmd_feature_new = {
    .name = "feature-new",
    .alias = NULL,
    .usage = "[NAME]",
    .summary = "open the features view's editor for a new derived feature",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = feature_new_exec,
};

static int
feature_sort_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);
    int by;

    if (!tui)
        return cmd->err.code;
    if (!cmd->argc)
        by = ((int)tui->feat.sort + 1) % HS_NFSORTS;
    else if ((by = hs_feat_sort_find(cmd->argv[0])) < 0)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "feature-sort: no order '%s' (separation, auc, name or file)",
                          cmd->argv[0]);
    hs_features_view_sort(&tui->feat, (enum hs_feat_sort)by);
    tui->dirty = true;
    fprintf(cmd->out, "features sorted by %s\n", hs_feat_sort_name((enum hs_feat_sort)by));
    return HS_OK;
}

static const struct hs_cmd_entry cmd_feature_sort = {
    .name = "feature-sort",
    .alias = NULL,
    .usage = "[separation|auc|name|file]",
    .summary = "sort the features view (no argument: the next order)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = feature_sort_exec,
};

/* ---- the active selection ----
 *
 * `where EXPR...` and `where --cut CUTSET` select the shown dataset's
 * events for the features and histogram views, as the CLI's --where and
 * --cut do (both given: both must hold); `where` alone selects every
 * event again.  The words of EXPR are joined with spaces, so that
 * `:where doca < 0.01` needs no quotes.  A faulty expression (shown with
 * a caret under its column) or a selection that keeps no events leaves
 * the one in force.  Like `view` and `feature-sort` it changes only what
 * the TUI shows, not the session: it is not journaled. */

/* The options of `where` and their usage, kept together as
 * HS_SELECT_OPTS and HS_SELECT_USAGE are (ui/select.h): an option added
 * to the one goes into the other. */
#define WHERE_USAGE "[--cut CUTSET] [--versus] [EXPR...]"
static const struct hs_opt_spec where_opts[] = {
    {"cut", 0, HS_OPT_VALUE, "CUTSET",
     "only the events that pass the stored cut set (NAME@TARGET: a grid's box)"},
    {"versus", 0, HS_OPT_FLAG, NULL,
     "the histograms show every event: the selected against the rest"},
    {0},
};

char *
hs_tui_join_words(int argc, char *const *argv, bool *nomem)
{
    size_t len = 1, at = 0;
    char *s;

    *nomem = false;
    if (argc <= 0)
        return NULL;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    if (!(s = malloc(len))) {
        *nomem = true;
        return NULL;
    }
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (i)
            s[at++] = ' ';
        memcpy(s + at, argv[i], n);
        at += n;
    }
    s[at] = '\0';
    return s;
}

static int
where_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    static const struct hs_select_words words = {"where", "where --cut", false};
    static const char lead[] = ":where ";
    struct hs_tui *tui = need_features(cmd, app);
    const char *cut = hs_cmd_opt(cmd, "cut");
    char *expr = NULL, *cutdup = NULL, note[sizeof tui->where.sel.text + 64];
    struct hs_select sel;
    bool nomem, changed, was_versus, versus = hs_cmd_flag(cmd, "versus");
    int rc;

    if (!tui)
        return cmd->err.code;
    if (cut && !app->sess)
        return hs_err_set(&cmd->err, HS_ESESSION, "no session is open: cut sets are stored in one");
    expr = hs_tui_join_words(cmd->argc, cmd->argv, &nomem);
    if (nomem || (cut && !(cutdup = strdup(cut)))) {
        free(expr);
        return hs_cmd_nomem(cmd);
    }
    cmd->dataset = tui->dsname;
    rc = hs_select_make(cmd, app, &tui->feat.fs, expr, cutdup, &words, &sel);
    if (rc != HS_OK) {
        /* The one in force stays; a faulty expression is shown with its
         * caret until the next key. */
        if (expr && cmd->err.col > 0 && strlen(expr) + sizeof lead < sizeof tui->caret.text) {
            snprintf(tui->caret.text, sizeof tui->caret.text, "%s%s", lead, expr);
            tui->caret.col = cmd->err.col + (int)sizeof lead - 1;
        }
        hs_select_release(&sel);
        free(expr);
        free(cutdup);
        if (hs_where_active(&tui->where) && rc != HS_ENOMEM) {
            size_t len = strlen(cmd->err.msg);
            snprintf(cmd->err.msg + len, sizeof cmd->err.msg - len, " (kept: where %s)",
                     tui->where.sel.text);
        }
        return rc;
    }
    was_versus = hs_where_versus(&tui->where);
    if ((rc = hs_where_take(&tui->where, &sel, expr, cutdup, tui->table, &changed, &cmd->err)) ||
        (rc = hs_where_set_versus(&tui->where, versus, &cmd->err)))
        return rc;
    if (changed || was_versus != hs_where_versus(&tui->where))
        tui->changes |= HS_CHANGE_SELECTION;
    tui->dirty = true;
    hs_select_note(&tui->where.sel, note, sizeof note);
    if (note[0])
        fprintf(cmd->out, "%s\n", note);
    else
        fprintf(cmd->out, "selection cleared: all %zu events\n", tui->table->nrows);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_where = {
    .name = "where",
    .alias = NULL,
    .usage = WHERE_USAGE,
    .summary = "select the events that the features and histogram views show (none: all)",
    .opts = where_opts,
    .min_args = 0,
    .max_args = -1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = where_exec,
};

/* ---- the histogram view ----
 *
 * Its keys change only how the view looks (feature, bins, log, normalise,
 * grid); `hist-save` writes the figure on screen to a file. */

static struct hs_tui *
need_hist(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);

    if (tui && (!tui->feat.t || !tui->table)) {
        hs_err_set(&cmd->err, HS_EUSAGE, "no dataset is shown");
        return NULL;
    }
    if (tui && !hs_tui_shown(tui, &hs_view_hist_class)) {
        hs_overlay_close(&tui->overlay);
        hs_tui_show(tui, &hs_view_hist_class);
    }
    return tui;
}

static int
hist_feature_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_hist(cmd, app);
    const char *a = cmd->argv[0];
    long i;
    char *name;

    if (!tui)
        return cmd->err.code;
    tui->dirty = true;
    if (strcmp(a, "next") == 0 || strcmp(a, "previous") == 0)
        return hs_hist_view_step(&tui->hist, &tui->feat, a[0] == 'n' ? 1 : -1, &cmd->err);
    if ((i = hs_featureset_find(&tui->feat.fs, a)) < 0 || !tui->feat.fs.f[i].on)
        return hs_err_set(&cmd->err, HS_ENOTFOUND, "no enabled feature '%s' in dataset '%s'", a,
                          tui->dsname);
    if (!(name = strdup(a)))
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    free(tui->hist.feature);
    tui->hist.feature = name;
    return HS_OK;
}

static const struct hs_cmd_entry cmd_hist_feature = {
    .name = "hist-feature",
    .alias = NULL,
    .usage = "next|previous|FEATURE",
    .summary = "show another enabled feature in the histogram view",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = hist_feature_exec,
};

static int
hist_bins_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_hist(cmd, app);
    size_t n;
    int rc;

    if (!tui)
        return cmd->err.code;
    if (strcmp(cmd->argv[0], "more") != 0 && strcmp(cmd->argv[0], "fewer") != 0)
        return hs_err_set(&cmd->err, HS_EUSAGE, "hist-bins: 'more' or 'fewer', not '%s'",
                          cmd->argv[0]);
    tui->dirty = true;
    rc = hs_hist_view_rebin(&tui->hist, &tui->feat, cmd->argv[0][0] == 'm' ? 1 : -1, &n,
                            &cmd->err);
    if (rc == HS_OK)
        fprintf(cmd->out, "%zu bins\n", n);
    return rc;
}

static const struct hs_cmd_entry cmd_hist_bins = {
    .name = "hist-bins",
    .alias = NULL,
    .usage = "more|fewer",
    .summary = "double or halve the histogram view's bins (5 to 400)",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = hist_bins_exec,
};

/* hist-log, hist-norm, hist-grid: flip one switch of the view. */
static int
hist_flip(struct hs_cmd *cmd, struct hs_app *app, size_t field, const char *on, const char *off)
{
    struct hs_tui *tui = need_hist(cmd, app);
    bool *b;

    if (!tui)
        return cmd->err.code;
    b = (bool *)((char *)&tui->hist + field);
    *b = !*b;
    tui->dirty = true;
    fprintf(cmd->out, "%s\n", *b ? on : off);
    return HS_OK;
}

static int
hist_log_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    return hist_flip(cmd, app, offsetof(struct hs_hist_view, logy), "log y", "linear y");
}

static int
hist_norm_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    return hist_flip(cmd, app, offsetof(struct hs_hist_view, norm), "normalised to unit area",
                     "counts");
}

static int
hist_grid_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    return hist_flip(cmd, app, offsetof(struct hs_hist_view, grid), "all enabled features",
                     "one feature");
}

static const struct hs_cmd_entry cmd_hist_log = {
    .name = "hist-log",
    .alias = NULL,
    .usage = "",
    .summary = "switch the histogram view's y axis between linear and log",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = hist_log_exec,
};

static const struct hs_cmd_entry cmd_hist_norm = {
    .name = "hist-norm",
    .alias = NULL,
    .usage = "",
    .summary = "switch the histogram view between counts and unit area",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = hist_norm_exec,
};

static const struct hs_cmd_entry cmd_hist_grid = {
    .name = "hist-grid",
    .alias = NULL,
    .usage = "",
    .summary = "switch the histogram view between one feature and all enabled features",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = hist_grid_exec,
};

static int
hist_save_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_hist(cmd, app);
    char path[4096];
    int rc;

    if (!tui)
        return cmd->err.code;
    rc = hs_hist_view_save(&tui->hist, &tui->feat, tui->dsname, cmd->argc ? cmd->argv[0] : NULL,
                           path, sizeof path, &cmd->err);
    if (rc == HS_OK)
        fprintf(cmd->out, "saved %s\n", path);
    return rc;
}

static const struct hs_cmd_entry cmd_hist_save = {
    .name = "hist-save",
    .alias = NULL,
    .usage = "[FILE.png|.svg|.pdf]",
    .summary = "save the histogram view's figure (default ./hepscope-DATASET-FEATURE.png)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = hist_save_exec,
};

static const struct hs_opt_spec keys_opts[] = {
    {"man", 0, HS_OPT_FLAG, NULL, "write man(7) source, for hepscope.1"},
    {"view", 0, HS_OPT_VALUE, "VIEW",
     "that view's keys first, then the global ones (in the TUI: the view shown)"},
    {0},
};

static int
keys_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    const char *first = hs_cmd_opt(cmd, "view");

    if (hs_cmd_flag(cmd, "man")) {
        hs_keys_write_man(cmd->out);
        return HS_OK;
    }
    if (first && !hs_keys_view_known(first))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "keys: no view '%s' (global, data, stats, datasets, features, hist, "
                          "cuts, roc, train, proj, overlay)",
                          first);
    if (!first && app->tui)
        first = hs_tui_view_name(app->tui->view);
    hs_keys_write_help(cmd->out, first);
    if (app->tui)
        fputs("\nThe : line\n"
              "  Enter runs it, Esc cancels, Up/Down recall history\n"
              "  (kept in the session).  Tab completes commands,\n"
              "  options and names of the session; a second Tab\n"
              "  lists the choices.  C-a C-e C-u C-k C-w edit.\n"
              "  Every hepscope command works: :help lists them.\n"
              "  Try :datasets, :info or :import FILE.csv\n"
              "  Esc or Ctrl-C stops a long command.\n",
              cmd->out);
    if (app->tui) {
        const char *key = hs_keys_key_for("features", "feature-new");
        fprintf(cmd->out,
                "\nThe feature editor (%s in the features view)\n"
                "  The name, then Enter, Tab or = and the expression\n"
                "  (or NAME = EXPR in one go); Enter adds it, Esc\n"
                "  cancels.  An error shows a ^ under its place.\n",
                key ? key : ":feature-new");
    }
    if (app->tui) {
        const char *key = hs_keys_key_for("train", "train-edit");
        fprintf(cmd->out,
                "\nThe training view's field (%s there)\n"
                "  Enter sets it (an error keeps it open), Esc leaves\n"
                "  it.  t trains on a background thread; the other\n"
                "  views and commands that change the session wait\n"
                "  for it (Esc in the view stops it, keeping the\n"
                "  best epoch).  The model is saved in the session\n"
                "  and journaled as the `train` line the CLI runs.\n",
                key ? key : ":train-edit");
    }
    if (app->tui) {
        const char *key = hs_keys_key_for("cuts", "cuts-edit");
        fprintf(cmd->out,
                "\nThe cuts view's cell (%s there)\n"
                "  A number, or nothing for no cut; Enter sets it,\n"
                "  Esc leaves it.  A range keeps lower <= x < upper.\n"
                "  The cut set is stored in the session as 'cuts'\n"
                "  (:cuts-name NAME for another) once the keys pause.\n",
                key ? key : ":cuts-edit");
    }
    return HS_OK;
}

static const struct hs_cmd_entry cmd_keys = {
    .name = "keys",
    .alias = NULL,
    .usage = "[--man] [--view VIEW]",
    .summary = "list the TUI's keys (what '?' shows)",
    .opts = keys_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = keys_exec,
};

const struct hs_cmd_entry *const hs_cmd_tui_entries[] = {
    &cmd_quit,           &cmd_prompt,         &cmd_close,           &cmd_view,
    &cmd_move,           &cmd_select,         &cmd_next,            &cmd_previous,
    &cmd_goto_column,    &cmd_redraw,         &cmd_feature_toggle,  &cmd_feature_drop,
    &cmd_feature_suggest, &cmd_feature_new,   &cmd_feature_sort,    &cmd_keys,
    &cmd_hist_feature,   &cmd_hist_bins,      &cmd_hist_log,        &cmd_hist_norm,
    &cmd_hist_grid,      &cmd_hist_save,      &cmd_where,           NULL,
};

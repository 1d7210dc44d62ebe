/* cmd-tui.c: the commands that drive the TUI.
 *
 * Keys name these commands (ui/keys.c) and the ':' line can type them.
 * They change the TUI's state through app->tui and mark it dirty; the loop
 * in ui/tui.c draws once afterwards.  Only `keys` also works from the CLI.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/cmd.h"
#include "ui/keys.h"
#include "ui/view.h"

static const struct hs_opt_spec no_opts[] = {{0}};

static struct hs_tui *
need_tui(struct hs_cmd *cmd, struct hs_app *app)
{
    if (!app->tui)
        hs_err_set(&cmd->err, HS_EUSAGE,
                   "'%s' works only in the TUI (run hepscope without a command)", cmd->entry->name);
    return app->tui;
}

static int
quit_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_tui(cmd, app);

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
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = quit_exec,
};

static int
prompt_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_tui(cmd, app);
    char *init = NULL;
    int rc;

    if (!tui)
        return cmd->err.code;
    if (cmd->argc > 0 && !(init = hs_cmd_join(cmd->argc, cmd->argv)))
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    rc = hs_prompt_open(&tui->prompt, init);
    free(init);
    tui->dirty = true;
    return rc == HS_OK ? HS_OK : hs_err_set(&cmd->err, rc, "out of memory");
}

static const struct hs_cmd_entry cmd_prompt = {
    .name = "prompt",
    .alias = NULL,
    .usage = "[TEXT...]",
    .summary = "open the command line, with TEXT typed in",
    .opts = no_opts,
    .min_args = 0,
    .max_args = -1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = prompt_exec,
};

static int
close_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_tui(cmd, app);

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
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = close_exec,
};

static int
view_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_tui(cmd, app);
    const char *name = cmd->argv[0];
    int v;

    if (!tui)
        return cmd->err.code;
    if (strcmp(name, "next") == 0)
        v = ((int)tui->view + 1) % HS_NVIEWS;
    else if (strcmp(name, "previous") == 0 || strcmp(name, "prev") == 0)
        v = ((int)tui->view + HS_NVIEWS - 1) % HS_NVIEWS;
    else if ((v = hs_tui_view_find(name)) < 0)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "no view '%s' (views: data, stats, datasets, next, previous)", name);
    hs_overlay_close(&tui->overlay);
    hs_tui_set_view(tui, (enum hs_view_id)v);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_view = {
    .name = "view",
    .alias = NULL,
    .usage = "data|stats|datasets|next|previous",
    .summary = "switch the view",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
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
    struct hs_tui *tui = need_tui(cmd, app);
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
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = move_exec,
};

static int
select_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_tui(cmd, app);

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

/* Step through the dataset list from the shown one, wrapping around. */
static int
step_dataset(struct hs_cmd *cmd, struct hs_app *app, int step)
{
    struct hs_tui *tui = need_tui(cmd, app);
    size_t at = 0;

    if (!tui)
        return cmd->err.code;
    if (tui->nds == 0)
        return hs_err_set(&cmd->err, HS_ENOTFOUND, "the session has no datasets");
    for (size_t i = 0; i < tui->nds; i++)
        if (tui->dsname && strcmp(tui->ds[i].name, tui->dsname) == 0)
            at = i;
    at = (at + tui->nds + (size_t)(step > 0 ? 1 : tui->nds - 1)) % tui->nds;
    return hs_tui_select_dataset(tui, tui->ds[at].name, &cmd->err);
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
    struct hs_tui *tui = need_tui(cmd, app);
    const char *name;

    if (!tui)
        return cmd->err.code;
    name = cmd->argc ? cmd->argv[0] : hs_stats_view_column(&tui->stats);
    if (!tui->table || !name)
        return hs_err_set(&cmd->err, HS_EUSAGE, "no dataset is shown");
    if (!hs_data_view_goto_column(&tui->data, name))
        return hs_err_set(&cmd->err, HS_ENOTFOUND, "no column '%s' in dataset '%s'", name,
                          tui->dsname);
    hs_overlay_close(&tui->overlay);
    hs_tui_set_view(tui, HS_VIEW_DATA);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_goto_column = {
    .name = "goto-column",
    .alias = NULL,
    .usage = "[COLUMN]",
    .summary = "show a column in the data view (the statistics view's current one)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = goto_column_exec,
};

static int
redraw_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_tui(cmd, app);

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
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = redraw_exec,
};

/* The '?' key runs this: the key list, generated from the key table.  Not
 * TUI-only: `hepscope keys` prints the same list, and `hepscope keys
 * --man` the KEYS section of the man page. */
static const struct hs_opt_spec keys_opts[] = {
    {"man", 0, HS_OPT_FLAG, NULL, "write man(7) source, for hepscope.1"},
    {0},
};

static int
keys_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    if (hs_cmd_flag(cmd, "man")) {
        hs_keys_write_man(cmd->out);
        return HS_OK;
    }
    hs_keys_write_help(cmd->out);
    if (app->tui)
        fputs("\nThe : line\n"
              "  Enter runs it, Esc cancels, Up/Down recall history,\n"
              "  Tab completes a command; C-a C-e C-u C-k C-w edit.\n"
              "  Every hepscope command works: :help lists them.\n"
              "  Try :datasets, :info or :import FILE.csv\n"
              "  Esc or Ctrl-C stops a long command.\n",
              cmd->out);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_keys = {
    .name = "keys",
    .alias = NULL,
    .usage = "[--man]",
    .summary = "list the TUI's keys (what '?' shows)",
    .opts = keys_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_NO_SESSION,
    .exec = keys_exec,
};

const struct hs_cmd_entry *const hs_cmd_tui_entries[] = {
    &cmd_quit, &cmd_prompt,   &cmd_close,       &cmd_view,   &cmd_move, &cmd_select,
    &cmd_next, &cmd_previous, &cmd_goto_column, &cmd_redraw, &cmd_keys, NULL,
};

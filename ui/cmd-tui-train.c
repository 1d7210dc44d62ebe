/* cmd-tui-train.c: the commands of the TUI's training view (8).
 *
 * Like the other TUI commands (ui/cmd-tui.c), keys name them and the ':'
 * line can type them; they change the view through app->tui.  The form's
 * values are checked by the CLI's own option parser (ui/train.h), and the
 * training itself is ui/view-train.c's hs_tui_train_start.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/cmd.h"
#include "ui/keys.h"
#include "ui/view.h"

static const struct hs_opt_spec no_opts[] = {{0}};

/* The TUI, with the training view shown (switching to it if needed). */
static struct hs_tui *
need_train(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);

    if (!tui)
        return NULL;
    if (!hs_tui_shown(tui, &hs_view_train_class)) {
        hs_overlay_close(&tui->overlay);
        hs_tui_show(tui, &hs_view_train_class);
    }
    tui->dirty = true;
    return tui;
}

static enum hs_train_field
current_field(const struct hs_tui *tui)
{
    size_t cur = tui->train.sc.cur;

    return cur < HS_TRAIN_NFIELDS ? (enum hs_train_field)cur : HS_TF_LAYERS;
}

static int
train_edit_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_train(cmd, app);
    struct hs_train_view *tv;
    enum hs_train_field fld;

    if (!tui)
        return cmd->err.code;
    tv = &tui->train;
    tv->page = HS_TPAGE_TRAIN;
    fld = current_field(tui);
    if (hs_prompt_open(&tv->edit, tv->form.v[fld]) != HS_OK)
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    tv->editing = true;
    fprintf(cmd->out, "%s: Enter sets it, Esc leaves it\n", hs_train_field_name(fld));
    return HS_OK;
}

static const struct hs_cmd_entry cmd_train_edit = {
    .name = "train-edit",
    .alias = NULL,
    .usage = "",
    .summary = "type the training form's current field in place",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = train_edit_exec,
};

static int
train_set_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_train(cmd, app);
    char *value;
    int fld, rc;

    if (!tui)
        return cmd->err.code;
    if ((fld = hs_train_field_find(cmd->argv[0])) < 0)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "no field '%s' (layers, activation, optimizer, lr, batch, epochs, l2, "
                          "dropout, patience, seed, balance, name)",
                          cmd->argv[0]);
    if (!(value = hs_cmd_join(cmd->argc - 1, cmd->argv + 1)))
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    /* A value of several words (a name with a blank) is one text. */
    if (cmd->argc > 2) {
        free(value);
        return hs_err_set(&cmd->err, HS_EUSAGE, "%s: one value, not %d words", cmd->argv[0],
                          cmd->argc - 1);
    }
    free(value);
    rc = hs_train_form_set(&tui->train.form, (enum hs_train_field)fld,
                           cmd->argc > 1 ? cmd->argv[1] : "", &cmd->err);
    if (rc != HS_OK)
        return rc;
    tui->train.sc.cur = (size_t)fld;
    fprintf(cmd->out, "%s = %s\n", hs_train_field_name((enum hs_train_field)fld),
            tui->train.form.v[fld]);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_train_set = {
    .name = "train-set",
    .alias = NULL,
    .usage = "FIELD VALUE",
    .summary = "set a field of the training form (layers, activation, ..., name)",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 2,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = train_set_exec,
};

static int
train_cycle_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_train(cmd, app);
    enum hs_train_field fld;
    int dir, rc;

    if (!tui)
        return cmd->err.code;
    if (strcmp(cmd->argv[0], "next") == 0)
        dir = 1;
    else if (strcmp(cmd->argv[0], "previous") == 0 || strcmp(cmd->argv[0], "prev") == 0)
        dir = -1;
    else
        return hs_err_set(&cmd->err, HS_EUSAGE, "train-cycle: next or previous, not '%s'",
                          cmd->argv[0]);
    fld = current_field(tui);
    if ((rc = hs_train_form_cycle(&tui->train.form, fld, dir, &cmd->err)) != HS_OK)
        return rc;
    fprintf(cmd->out, "%s = %s\n", hs_train_field_name(fld), tui->train.form.v[fld]);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_train_cycle = {
    .name = "train-cycle",
    .alias = NULL,
    .usage = "next|previous",
    .summary = "step the training form's current choice (activation, optimizer, balance)",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = train_cycle_exec,
};

static int
train_toggle_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_train(cmd, app);
    int rc;

    if (!tui)
        return cmd->err.code;
    rc = hs_train_form_cycle(&tui->train.form, HS_TF_BALANCE, 1, &cmd->err);
    if (rc != HS_OK)
        return rc;
    tui->train.sc.cur = HS_TF_BALANCE;
    fprintf(cmd->out, "balance = %s\n", tui->train.form.v[HS_TF_BALANCE]);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_train_toggle = {
    .name = "train-toggle",
    .alias = NULL,
    .usage = "",
    .summary = "turn the training form's class balancing on or off",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = train_toggle_exec,
};

static int
train_start_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_train(cmd, app);

    if (!tui)
        return cmd->err.code;
    tui->train.editing = false;
    return hs_tui_train_start(tui, &cmd->err);
}

static const struct hs_cmd_entry cmd_train_start = {
    .name = "train-start",
    .alias = NULL,
    .usage = "",
    .summary = "train the form's network on the shown dataset (in the background)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = train_start_exec,
};

static int
train_stop_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);

    if (!tui)
        return cmd->err.code;
    if (hs_tui_train_stop(tui)) {
        fprintf(cmd->out, "stopping the training after this batch (the best epoch is kept)\n");
        return HS_OK;
    }
    /* Nothing runs: Esc closes a window, as everywhere. */
    hs_overlay_close(&tui->overlay);
    tui->dirty = true;
    return HS_OK;
}

static const struct hs_cmd_entry cmd_train_stop = {
    .name = "train-stop",
    .alias = NULL,
    .usage = "",
    .summary = "stop a running training, keeping the best model so far",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = train_stop_exec,
};

static int
train_page_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    static const char *const names[HS_TRAIN_NPAGES] = {"train", "summary", "overtrain", "groups"};
    struct hs_tui *tui = need_train(cmd, app);
    struct hs_train_view *tv;
    int p = -1;

    if (!tui)
        return cmd->err.code;
    tv = &tui->train;
    if (strcmp(cmd->argv[0], "next") == 0)
        p = ((int)tv->page + 1) % HS_TRAIN_NPAGES;
    else if (strcmp(cmd->argv[0], "previous") == 0 || strcmp(cmd->argv[0], "prev") == 0)
        p = ((int)tv->page + HS_TRAIN_NPAGES - 1) % HS_TRAIN_NPAGES;
    for (int i = 0; i < HS_TRAIN_NPAGES && p < 0; i++)
        if (strcmp(cmd->argv[0], names[i]) == 0)
            p = i;
    if (p < 0)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "no page '%s' (train, summary, overtrain, groups, next, previous)",
                          cmd->argv[0]);
    tv->page = (enum hs_train_page)p;
    tv->editing = false;
    return HS_OK;
}

static const struct hs_cmd_entry cmd_train_page = {
    .name = "train-page",
    .alias = NULL,
    .usage = "next|previous|train|summary|overtrain|groups",
    .summary = "show a page of the training view",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = train_page_exec,
};

static int
train_save_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_train(cmd, app);
    char path[4096];
    int rc;

    if (!tui)
        return cmd->err.code;
    rc = hs_tui_train_save(tui, cmd->argc ? cmd->argv[0] : NULL, path, sizeof path, &cmd->err);
    if (rc == HS_OK)
        fprintf(cmd->out, "saved %s\n", path);
    return rc;
}

static const struct hs_cmd_entry cmd_train_save = {
    .name = "train-save",
    .alias = NULL,
    .usage = "[FILE.png|.svg|.pdf|.txt|.csv]",
    .summary = "save the training view's page (default ./hepscope-MODEL-PAGE.png)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = train_save_exec,
};

const struct hs_cmd_entry *const hs_cmd_tui_train_entries[] = {
    &cmd_train_edit,  &cmd_train_set,  &cmd_train_cycle, &cmd_train_toggle, &cmd_train_start,
    &cmd_train_stop,  &cmd_train_page, &cmd_train_save,  NULL,
};

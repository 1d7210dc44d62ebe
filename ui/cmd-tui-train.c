/* cmd-tui-train.c: the commands of the TUI's training view (8).
 *
 * Like the other TUI commands (ui/cmd-tui.c), keys name them and the ':'
 * line can type them; they change the view through app->tui.  The form's
 * fields come from the chosen method's parameter spec and its values are
 * checked by the CLI's own option parser (ui/train.h); the training
 * itself is ui/tui-train.c's hs_tui_train_start.
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

static size_t
current_field(const struct hs_tui *tui)
{
    size_t cur = tui->train.sc.cur;

    return cur < hs_train_form_nfields(&tui->train.form) ? cur : HS_TRAIN_FIELD_NAME;
}

/* "FIELD = VALUE" of field i on cmd->out. */
static void
say_field(struct hs_cmd *cmd, const struct hs_train_form *f, size_t i)
{
    char v[HS_TRAIN_FIELD_MAX];

    hs_train_form_value(f, i, v, sizeof v);
    fprintf(cmd->out, "%s = %s\n", hs_train_form_field_name(f, i), v);
}

/* After a change of field i: a method switched proposes a free name of
 * that method (mlp2, fisher, ...) and puts the cursor on the method. */
static void
after_change(struct hs_tui *tui, const struct hs_method *before, size_t i)
{
    struct hs_train_view *tv = &tui->train;

    if (tv->form.opts.method != before)
        hs_tui_train_propose(tui);
    tv->sc.n = hs_train_form_nfields(&tv->form);
    tv->sc.cur = i < tv->sc.n ? i : 0;
}

/* ---- the feature picker ----
 *
 * Enter (train-edit) or Space (train-toggle) on the form's features field
 * opens a list of the features with a tick each; while it is open the
 * view's moves go to the list, Space ticks or unticks the feature under
 * the cursor, Right ticks, Left unticks, and Enter or Esc close it.  The
 * ticks become the form's --features (ui/view-train.c), never the
 * dataset's enabled features. */

static int
pick_open(struct hs_cmd *cmd, struct hs_tui *tui)
{
    struct hs_train_view *tv = &tui->train;

    if (!tui->feat.t)
        return hs_err_set(&cmd->err, HS_EUSAGE, "no dataset is shown: no features to pick");
    tv->picking = true;
    tv->pick.n = hs_train_pick_count(&tui->feat.fs) + 1; /* row 0: "(all)" */
    if (tv->pick.cur >= tv->pick.n)
        tv->pick.cur = tv->pick.top = 0;
    /* Under 100 columns: the status line, not a window. */
    fprintf(cmd->out, "inputs: Space picks or drops a feature, Enter done (the enabled "
                      "features stay)\n");
    return HS_OK;
}

static int
pick_close(struct hs_cmd *cmd, struct hs_tui *tui)
{
    tui->train.picking = false;
    say_field(cmd, &tui->train.form, hs_train_form_features_field(&tui->train.form));
    return HS_OK;
}

/* Tick (how 1), untick (0) or flip (-1) the row under the cursor: a
 * feature, or row 0, "(all)": every raw and derived feature, or none. */
static int
pick_set(struct hs_cmd *cmd, struct hs_tui *tui, int how)
{
    struct hs_train_view *tv = &tui->train;
    const struct hs_featureset *fs = &tui->feat.fs;
    size_t n = hs_train_pick_count(fs), k = 0, i;
    bool on;
    int rc;

    if (!tui->feat.t || tv->pick.cur > n)
        return hs_err_set(&cmd->err, HS_EUSAGE, "no feature under the cursor");
    for (size_t j = 0; j < n; j++)
        k += hs_train_form_picked(&tv->form, fs, hs_train_pick_feature(fs, j));
    i = tv->pick.cur ? hs_train_pick_feature(fs, tv->pick.cur - 1) : fs->n;
    on = how >= 0 ? how > 0 : i < fs->n ? !hs_train_form_picked(&tv->form, fs, i) : k == 0;
    rc = i < fs->n ? hs_train_form_pick(&tv->form, fs, i, on, &cmd->err)
                   : hs_train_form_pick_all(&tv->form, fs, on, &cmd->err);
    if (rc)
        return rc;
    k = 0;
    for (size_t j = 0; j < n; j++)
        k += hs_train_form_picked(&tv->form, fs, hs_train_pick_feature(fs, j));
    fprintf(cmd->out, "%s %s%s%s: %zu of %zu features are inputs%s\n", on ? "picked" : "dropped",
            i < fs->n ? "'" : "", i < fs->n ? fs->f[i].name : "all", i < fs->n ? "'" : "", k, n,
            tv->form.opts.nfeatures || tv->form.no_inputs ? "" : " (the enabled ones)");
    return HS_OK;
}

static bool
on_features_field(const struct hs_tui *tui)
{
    return current_field(tui) == hs_train_form_features_field(&tui->train.form);
}

static int
train_edit_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_train(cmd, app);
    struct hs_train_view *tv;
    char v[HS_TRAIN_FIELD_MAX];
    size_t fld;

    if (!tui)
        return cmd->err.code;
    tv = &tui->train;
    tv->page = HS_TPAGE_TRAIN;
    if (tv->picking)
        return pick_close(cmd, tui);
    if (on_features_field(tui))
        return pick_open(cmd, tui);
    fld = current_field(tui);
    hs_train_form_value(&tv->form, fld, v, sizeof v);
    if (hs_prompt_open(&tv->edit, v) != HS_OK)
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    tv->editing = true;
    fprintf(cmd->out, "%s: Enter sets it, Esc leaves it\n",
            hs_train_form_field_name(&tv->form, fld));
    return HS_OK;
}

static const struct hs_cmd_entry cmd_train_edit = {
    .name = "train-edit",
    .alias = NULL,
    .usage = "",
    .summary = "type the training form's current field in place (the inputs: open the "
               "feature picker; in it: close it)",
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
    struct hs_train_form *f;
    const struct hs_method *before;
    long fld;
    int rc;

    if (!tui)
        return cmd->err.code;
    f = &tui->train.form;
    if (!f->opts.method)
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    if ((fld = hs_train_form_find(f, cmd->argv[0])) < 0) {
        char list[512];
        size_t len = 0;
        list[0] = '\0';
        for (size_t i = 0; i < hs_train_form_nfields(f) && len < sizeof list; i++)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                                    hs_train_form_field_name(f, i));
        return hs_err_set(&cmd->err, HS_EUSAGE, "no field '%s' in the form of %s (%s)",
                          cmd->argv[0], f->opts.method->name, list);
    }
    /* A value of several words (a name with a blank) is one text. */
    if (cmd->argc > 2)
        return hs_err_set(&cmd->err, HS_EUSAGE, "%s: one value, not %d words", cmd->argv[0],
                          cmd->argc - 1);
    before = f->opts.method;
    rc = hs_train_form_set(f, (size_t)fld, cmd->argc > 1 ? cmd->argv[1] : "", &cmd->err);
    if (rc != HS_OK)
        return rc;
    after_change(tui, before, (size_t)fld);
    say_field(cmd, f, (size_t)fld);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_train_set = {
    .name = "train-set",
    .alias = NULL,
    .usage = "FIELD VALUE",
    .summary = "set a field of the training form (name, method, a parameter of the method, "
               "features: a comma list, or 'enabled')",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 2,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = train_set_exec,
};

/* Step the current field: the next (dir > 0) or previous method or
 * choice, a flag toggled. */
static int
step_current(struct hs_cmd *cmd, struct hs_tui *tui, int dir)
{
    const struct hs_method *before;
    size_t fld;
    int rc;

    if (!tui->train.form.opts.method)
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    fld = current_field(tui);
    before = tui->train.form.opts.method;
    if ((rc = hs_train_form_cycle(&tui->train.form, fld, dir, &cmd->err)) != HS_OK)
        return rc;
    after_change(tui, before, fld);
    say_field(cmd, &tui->train.form, fld);
    return HS_OK;
}

static int
train_cycle_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_train(cmd, app);
    int dir;

    if (!tui)
        return cmd->err.code;
    if (strcmp(cmd->argv[0], "next") == 0)
        dir = 1;
    else if (strcmp(cmd->argv[0], "previous") == 0 || strcmp(cmd->argv[0], "prev") == 0)
        dir = -1;
    else
        return hs_err_set(&cmd->err, HS_EUSAGE, "train-cycle: next or previous, not '%s'",
                          cmd->argv[0]);
    if (tui->train.picking)
        return pick_set(cmd, tui, dir > 0);
    return step_current(cmd, tui, dir);
}

static const struct hs_cmd_entry cmd_train_cycle = {
    .name = "train-cycle",
    .alias = NULL,
    .usage = "next|previous",
    .summary = "step the training form's current choice (the method, a choice, a flag; in the "
               "feature picker: next picks, previous drops)",
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

    if (!tui)
        return cmd->err.code;
    if (tui->train.picking)
        return pick_set(cmd, tui, -1);
    if (on_features_field(tui))
        return pick_open(cmd, tui);
    return step_current(cmd, tui, 1);
}

static const struct hs_cmd_entry cmd_train_toggle = {
    .name = "train-toggle",
    .alias = NULL,
    .usage = "",
    .summary = "turn the training form's current flag on or off (a choice: the next one; the "
               "inputs: open the feature picker; in it: pick or drop the feature)",
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
    int rc;

    if (!tui)
        return cmd->err.code;
    tui->train.editing = false;
    tui->train.picking = false;
    rc = hs_tui_train_start(tui, hs_cmd_flag(cmd, "replace"), &cmd->err);
    if (rc == HS_OK && tui->train.asking)
        fprintf(cmd->out, "model '%s' exists: replace it? (y replaces, any other key keeps it)\n",
                tui->train.form.name);
    return rc;
}

static const struct hs_opt_spec start_opts[] = {
    {"replace", 0, HS_OPT_FLAG, NULL, "replace a stored model of the form's name without asking"},
    {0},
};

static const struct hs_cmd_entry cmd_train_start = {
    .name = "train-start",
    .alias = NULL,
    .usage = "",
    .summary = "train the form's model on the shown dataset (in the background)",
    .opts = start_opts,
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
    if (tui->train.picking && hs_tui_shown(tui, &hs_view_train_class)) {
        tui->dirty = true;
        return pick_close(cmd, tui);
    }
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
    .summary = "stop a running training, keeping the best model so far (or close the "
               "feature picker)",
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

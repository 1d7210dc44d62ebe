/* cmd-tui-proj.c: the commands of the TUI's projections view (9).
 *
 * Like the other TUI commands (ui/cmd-tui.c), keys name them and the ':'
 * line can type them.  What changes the session goes through the
 * command layer as the CLI's own lines: a map computed here is stored by
 * `project`, a box saved by `select --box`, so both are journaled and
 * transactional.  A finished box becomes the active selection through
 * `where --versus` (not journaled: it is the TUI's view state), so the
 * histogram view draws its events against the rest.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/cmd.h"
#include "ui/keys.h"
#include "ui/view.h"

static const struct hs_opt_spec no_opts[] = {{0}};

/* The TUI, with the projections view shown (switching to it if needed). */
static struct hs_tui *
need_proj(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);

    if (!tui)
        return NULL;
    if (!hs_tui_shown(tui, &hs_view_proj_class)) {
        hs_overlay_close(&tui->overlay);
        hs_tui_show(tui, &hs_view_proj_class);
    }
    tui->dirty = true;
    return tui;
}

/* The same, with a map shown. */
static struct hs_tui *
need_map(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_proj(cmd, app);

    if (tui && (!tui->proj.fig || !tui->proj.nnames)) {
        const char *key = hs_keys_key_for("proj", "proj-compute pca");
        hs_err_set(&cmd->err, HS_EUSAGE, "no projection is shown (%s computes one)",
                   key ? key : ":proj-compute pca");
        return NULL;
    }
    return tui;
}

/* Step through a list: "next", "previous", or an entry's name. */
static int
pick(struct hs_cmd *cmd, char *const *list, size_t n, size_t *cur, const char *what)
{
    const char *arg = cmd->argc ? cmd->argv[0] : "next";

    if (n == 0)
        return hs_err_set(&cmd->err, HS_EUSAGE, "no %s to choose", what);
    if (strcmp(arg, "next") == 0) {
        *cur = (*cur + 1) % n;
        return HS_OK;
    }
    if (strcmp(arg, "previous") == 0) {
        *cur = (*cur + n - 1) % n;
        return HS_OK;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], arg) == 0) {
            *cur = i;
            return HS_OK;
        }
    return hs_err_set(&cmd->err, HS_ENOTFOUND, "no %s '%s' here", what, arg);
}

/* Choose the projection shown (colors false) or its colouring: either
 * makes the figure again. */
static int
choose(struct hs_cmd *cmd, struct hs_app *app, bool colors)
{
    struct hs_tui *tui = need_proj(cmd, app);
    struct hs_proj_view *pv;
    int rc;

    if (!tui)
        return cmd->err.code;
    pv = &tui->proj;
    rc = colors ? pick(cmd, pv->colors, pv->ncolors, &pv->color, "colouring")
                : pick(cmd, pv->names, pv->nnames, &pv->cur, "projection");
    if (rc)
        return rc;
    pv->fig_stale = true;
    if (colors)
        fprintf(cmd->out, "coloured by %s\n", pv->colors[pv->color]);
    else
        fprintf(cmd->out, "projection %s (%zu of %zu)\n", pv->names[pv->cur], pv->cur + 1,
                pv->nnames);
    return HS_OK;
}

static int
proj_show_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    return choose(cmd, app, false);
}

static const struct hs_cmd_entry cmd_proj_show = {
    .name = "proj-show",
    .alias = NULL,
    .usage = "[next|previous|NAME]",
    .summary = "show the next, previous or named projection of the dataset",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = proj_show_exec,
};

static int
proj_color_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    return choose(cmd, app, true);
}

static const struct hs_cmd_entry cmd_proj_color = {
    .name = "proj-color",
    .alias = NULL,
    .usage = "[next|previous|label|group|CLUSTERING|MODEL]",
    .summary = "colour the map by label, group, a clustering or a model's score (none: the next)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = proj_color_exec,
};

static int
proj_zoom_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_map(cmd, app);
    const char *how = cmd->argv[0];

    if (!tui)
        return cmd->err.code;
    if (strcmp(how, "in") == 0)
        hs_proj_view_zoom(&tui->proj, 2);
    else if (strcmp(how, "out") == 0)
        hs_proj_view_zoom(&tui->proj, 0.5);
    else if (strcmp(how, "all") == 0)
        hs_proj_view_zoom(&tui->proj, 0);
    else
        return hs_err_set(&cmd->err, HS_EUSAGE, "proj-zoom in|out|all, not '%s'", how);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_proj_zoom = {
    .name = "proj-zoom",
    .alias = NULL,
    .usage = "in|out|all",
    .summary = "zoom the map in or out about the cursor, or show all of it",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = proj_zoom_exec,
};

/* The finished box as the active selection, against the rest. */
static int
select_box(struct hs_cmd *cmd, struct hs_tui *tui)
{
    struct hs_proj_view *pv = &tui->proj;
    const char *hist = hs_keys_key_for("proj", "view hist");
    char expr[600], line[700], a[48], b[48], spec[200];
    int rc;

    hs_proj_box_expr(pv->names[pv->cur], &pv->box, expr, sizeof expr);
    snprintf(line, sizeof line, "where --versus %s", expr);
    if ((rc = hs_tui_command(tui, line, NULL, &cmd->err)))
        return rc;
    hs_where_count(tui->where.sel.nsel, a, sizeof a);
    hs_where_count(tui->where.sel.nrows, b, sizeof b);
    hs_proj_box_spec(&pv->box, spec, sizeof spec);
    fprintf(cmd->out, "%s of %s events in box %s; %s draws them against the rest\n", a, b, spec,
            hist ? hist : ":view hist");
    return HS_OK;
}

static int
mark(struct hs_cmd *cmd, struct hs_tui *tui)
{
    bool done;

    hs_proj_view_mark(&tui->proj, &done);
    if (done)
        return select_box(cmd, tui);
    fprintf(cmd->out, "first corner set: move to the other one and mark it\n");
    return HS_OK;
}

static int
proj_mark_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_map(cmd, app);

    return tui ? mark(cmd, tui) : cmd->err.code;
}

static const struct hs_cmd_entry cmd_proj_mark = {
    .name = "proj-mark",
    .alias = NULL,
    .usage = "",
    .summary = "mark a corner of the box at the cursor; the second makes it the selection",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = proj_mark_exec,
};

static int
proj_click_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_map(cmd, app);
    double x, y;

    if (!tui)
        return cmd->err.code;
    if (!hs_proj_view_hit(&tui->proj, tui->click_x, tui->click_y, &x, &y))
        return hs_err_set(&cmd->err, HS_EUSAGE, "click on the map to mark a corner of the box");
    tui->proj.cx = x;
    tui->proj.cy = y;
    return mark(cmd, tui);
}

static const struct hs_cmd_entry cmd_proj_click = {
    .name = "proj-click",
    .alias = NULL,
    .usage = "",
    .summary = "mark a corner of the box where the mouse clicked",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = proj_click_exec,
};

static int
proj_clear_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_proj(cmd, app);
    int rc = HS_OK;

    if (!tui)
        return cmd->err.code;
    /* The box's selection goes with it; another one stays. */
    if (tui->proj.marks == 2 && hs_where_active(&tui->where) && tui->where.expr &&
        tui->proj.nnames) {
        char expr[600];
        hs_proj_box_expr(tui->proj.names[tui->proj.cur], &tui->proj.box, expr, sizeof expr);
        if (strcmp(expr, tui->where.expr) == 0)
            rc = hs_tui_command(tui, "where", NULL, &cmd->err);
    }
    hs_proj_view_unmark(&tui->proj);
    if (rc == HS_OK)
        fprintf(cmd->out, "no box\n");
    return rc;
}

static const struct hs_cmd_entry cmd_proj_clear = {
    .name = "proj-clear",
    .alias = NULL,
    .usage = "",
    .summary = "drop the box, and the selection it made",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = proj_clear_exec,
};

static int
proj_compute_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_proj(cmd, app);
    int rc;

    if (!tui)
        return cmd->err.code;
    if ((rc = hs_tui_proj_start(tui, cmd->argv[0], &cmd->err)))
        return rc;
    fprintf(cmd->out, "computing %s of '%s' in the background\n", cmd->argv[0], tui->dsname);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_proj_compute = {
    .name = "proj-compute",
    .alias = NULL,
    .usage = "pca|tsne|umap",
    .summary = "compute a map of the dataset with the method's defaults, in the background "
               "(stored as `project METHOD METHOD`)",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = proj_compute_exec,
};

static int
proj_stop_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);

    if (!tui)
        return cmd->err.code;
    if (hs_tui_proj_stop(tui)) {
        fprintf(cmd->out, "cancelling %s: the map shown stays\n", tui->proj.method);
    } else if (tui->proj.marks == 1) {
        /* Esc leaves a box half drawn. */
        hs_proj_view_unmark(&tui->proj);
    } else {
        hs_overlay_close(&tui->overlay);
        tui->msg[0] = '\0';
    }
    tui->dirty = true;
    return HS_OK;
}

static const struct hs_cmd_entry cmd_proj_stop = {
    .name = "proj-stop",
    .alias = NULL,
    .usage = "",
    .summary = "cancel the map being computed (or the box being drawn)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = proj_stop_exec,
};

static int
proj_save_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_map(cmd, app);
    char path[4096];
    int rc;

    if (!tui)
        return cmd->err.code;
    rc = hs_tui_proj_save(tui, cmd->argc ? cmd->argv[0] : NULL, path, sizeof path, &cmd->err);
    if (rc == HS_OK)
        fprintf(cmd->out, "saved %s\n", path);
    return rc;
}

static const struct hs_cmd_entry cmd_proj_save = {
    .name = "proj-save",
    .alias = NULL,
    .usage = "[FILE.png|.svg|.pdf]",
    .summary = "save the map (default ./hepscope-DATASET-NAME.png)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = proj_save_exec,
};

static int
proj_cutset_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_map(cmd, app);
    char box[200], line[800], *text = NULL;
    int rc;

    if (!tui)
        return cmd->err.code;
    if (tui->proj.marks != 2)
        return hs_err_set(&cmd->err, HS_EUSAGE, "no box: mark two corners first");
    hs_proj_box_spec(&tui->proj.box, box, sizeof box);
    /* The CLI's line, journaled and in its own transaction. */
    snprintf(line, sizeof line, "select %s --box=%s --projection %s --dataset %s%s", cmd->argv[0],
             box, tui->proj.names[tui->proj.cur], tui->dsname,
             hs_cmd_flag(cmd, "replace") ? " --replace" : "");
    rc = hs_tui_command(tui, line, &text, &cmd->err);
    /* select's line says the cuts and the counts; the counts fit the
     * status line. */
    if (rc == HS_OK)
        fprintf(cmd->out, "saved the box as cut set '%s': %s\n", cmd->argv[0],
                text && strrchr(text, ':') ? strrchr(text, ':') + 2 : "");
    free(text);
    return rc;
}

static const struct hs_opt_spec cutset_opts[] = {
    {"replace", 0, HS_OPT_FLAG, NULL, "replace a cut set of that name"},
    {0},
};

static const struct hs_cmd_entry cmd_proj_cutset = {
    .name = "proj-cutset",
    .alias = NULL,
    .usage = "NAME [--replace]",
    .summary = "save the box as cut set NAME (`select NAME --box ... --projection P`)",
    .opts = cutset_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = proj_cutset_exec,
};

const struct hs_cmd_entry *const hs_cmd_tui_proj_entries[] = {
    &cmd_proj_show,    &cmd_proj_color, &cmd_proj_zoom, &cmd_proj_mark,
    &cmd_proj_click,   &cmd_proj_clear, &cmd_proj_compute, &cmd_proj_stop,
    &cmd_proj_save,    &cmd_proj_cutset, NULL,
};

/* cmd-tui-clust.c: the commands of the TUI's clusters view.
 *
 * Like the other TUI commands (ui/cmd-tui.c), keys name them and the ':'
 * line can type them; they change the view through app->tui.  The fit
 * and its store are ui/tui-clust.c's.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gmm.h"
#include "names.h"
#include "ui/cmd.h"
#include "ui/view.h"

static const struct hs_opt_spec no_opts[] = {{0}};

/* The TUI and the view, shown (switching to it if needed). */
static struct hs_clust_view *
need_clust(struct hs_cmd *cmd, struct hs_app *app, struct hs_tui **out)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);
    struct hs_clust_view *cv;

    if (!tui)
        return NULL;
    if (!(cv = hs_tui_clust(tui))) {
        hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
        return NULL;
    }
    if (!hs_tui_shown(tui, &hs_view_clust_class)) {
        hs_overlay_close(&tui->overlay);
        hs_tui_show(tui, &hs_view_clust_class);
    }
    tui->dirty = true;
    *out = tui;
    return cv;
}

static void
say_form(struct hs_cmd *cmd, const struct hs_clust_view *cv)
{
    char words[200];

    hs_clust_view_words(cv, words, sizeof words);
    fprintf(cmd->out, "next fit: cluster %s\n", words);
}

/* "next" (the default), or one of the two names: *second is set when
 * the word is the second name. */
static int
choice(struct hs_cmd *cmd, const char *a, const char *b, bool now, bool *second)
{
    const char *w = cmd->argc ? cmd->argv[0] : "next";

    if (strcmp(w, "next") == 0)
        *second = !now;
    else if (strcmp(w, a) == 0 || strcmp(w, b) == 0)
        *second = strcmp(w, b) == 0;
    else
        return hs_err_set(&cmd->err, HS_EUSAGE, "%s: %s, %s or next, not '%s'",
                          cmd->entry->name, a, b, w);
    return HS_OK;
}

static int
clust_method_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui;
    struct hs_clust_view *cv = need_clust(cmd, app, &tui);
    int rc;

    if (!cv)
        return cmd->err.code;
    if ((rc = choice(cmd, "gmm", "kmeans", cv->kmeans, &cv->kmeans)))
        return rc;
    say_form(cmd, cv);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_clust_method = {
    .name = "clust-method",
    .alias = NULL,
    .usage = "[gmm|kmeans|next]",
    .summary = "the clusters view's method: Gaussian mixtures or k-means (default: the other)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = clust_method_exec,
};

static int
clust_covariance_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui;
    struct hs_clust_view *cv = need_clust(cmd, app, &tui);
    int rc;

    if (!cv)
        return cmd->err.code;
    if (cv->kmeans)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "k-means has no covariance: the method (m) is kmeans");
    if ((rc = choice(cmd, "full", "diag", cv->diag, &cv->diag)))
        return rc;
    say_form(cmd, cv);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_clust_covariance = {
    .name = "clust-covariance",
    .alias = NULL,
    .usage = "[full|diag|next]",
    .summary = "the Gaussian mixture's covariance in the clusters view (default: the other)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = clust_covariance_exec,
};

static int
clust_range_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui;
    struct hs_clust_view *cv = need_clust(cmd, app, &tui);
    const char *w;
    int rc;

    if (!cv)
        return cmd->err.code;
    w = cmd->argv[0];
    if (strcmp(w, "more") == 0) {
        if (cv->hi >= HS_GMM_MAX_K || cv->hi - cv->lo + 1 >= HS_CLUSTER_MAX_RANGE)
            return hs_err_set(&cmd->err, HS_EUSAGE, "K goes up to %d", HS_GMM_MAX_K);
        cv->hi++;
    } else if (strcmp(w, "fewer") == 0) {
        if (cv->hi <= cv->lo)
            return hs_err_set(&cmd->err, HS_EUSAGE, "the range is one K already (%zu)", cv->lo);
        cv->hi--;
    } else if ((rc = hs_clust_view_set_range(cv, w, &cmd->err))) {
        return rc;
    }
    say_form(cmd, cv);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_clust_range = {
    .name = "clust-range",
    .alias = NULL,
    .usage = "A..B|K|more|fewer",
    .summary = "the clusters view's range of K (more, fewer: its largest K one up or down)",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = clust_range_exec,
};

static int
clust_name_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui;
    struct hs_clust_view *cv = need_clust(cmd, app, &tui);

    if (!cv)
        return cmd->err.code;
    if (!hs_name_is_identifier(cmd->argv[0]) || strlen(cmd->argv[0]) >= sizeof cv->name)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "name '%s': letters, digits and '_', not starting with a digit, "
                          "at most %zu",
                          cmd->argv[0], sizeof cv->name - 1);
    snprintf(cv->name, sizeof cv->name, "%s", cmd->argv[0]);
    say_form(cmd, cv);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_clust_name = {
    .name = "clust-name",
    .alias = NULL,
    .usage = "NAME",
    .summary = "the column the clusters view stores the clusters as (default 'clusters')",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = clust_name_exec,
};

static int
clust_fit_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui;
    struct hs_clust_view *cv = need_clust(cmd, app, &tui);

    if (!cv)
        return cmd->err.code;
    return hs_tui_clust_start(tui, &cmd->err);
}

static const struct hs_cmd_entry cmd_clust_fit = {
    .name = "clust-fit",
    .alias = NULL,
    .usage = "",
    .summary = "fit the clusters view's method over its range of K on the shown dataset (in "
               "the background); the lowest BIC's clusters are stored as the column",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = clust_fit_exec,
};

static int
clust_stop_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);

    if (!tui)
        return cmd->err.code;
    if (hs_tui_clust_stop(tui)) {
        fprintf(cmd->out, "cancelling the clustering (the last result stays)\n");
        return HS_OK;
    }
    /* Nothing runs: Esc closes a window, as everywhere. */
    hs_overlay_close(&tui->overlay);
    tui->dirty = true;
    return HS_OK;
}

static const struct hs_cmd_entry cmd_clust_stop = {
    .name = "clust-stop",
    .alias = NULL,
    .usage = "",
    .summary = "cancel a running clustering (the last result stays shown and stored)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = clust_stop_exec,
};

static int
clust_store_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui;
    struct hs_clust_view *cv = need_clust(cmd, app, &tui);
    int rc;

    if (!cv)
        return cmd->err.code;
    if ((rc = hs_tui_clust_store(tui, &cmd->err)))
        return rc;
    fprintf(cmd->out, "K = %zu stored as column %s\n", cv->res->stored_k, cv->res->name);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_clust_store = {
    .name = "clust-store",
    .alias = NULL,
    .usage = "",
    .summary = "store the clusters of the K under the cursor as the column (through 'cluster "
               "... --k K')",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = clust_store_exec,
};

static int
clust_save_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui;
    struct hs_clust_view *cv = need_clust(cmd, app, &tui);
    char path[4096];
    int rc;

    if (!cv)
        return cmd->err.code;
    rc = hs_tui_clust_save(tui, cmd->argc ? cmd->argv[0] : NULL, path, sizeof path, &cmd->err);
    if (rc == HS_OK)
        fprintf(cmd->out, "saved %s\n", path);
    return rc;
}

static const struct hs_cmd_entry cmd_clust_save = {
    .name = "clust-save",
    .alias = NULL,
    .usage = "[FILE.png|.svg|.pdf]",
    .summary = "save the BIC and AIC figure of the clusters view (default "
               "./hepscope-DATASET-NAME-clusters.png)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION | HS_CMD_WHILE_TRAINING,
    .exec = clust_save_exec,
};

const struct hs_cmd_entry *const hs_cmd_tui_clust_entries[] = {
    &cmd_clust_method, &cmd_clust_covariance, &cmd_clust_range, &cmd_clust_name,
    &cmd_clust_fit,    &cmd_clust_stop,       &cmd_clust_store, &cmd_clust_save,
    NULL,
};

/* cmd-tui-cuts.c: the commands of the TUI's cuts and ROC views.
 *
 * Like the other TUI commands (ui/cmd-tui.c), keys name them and the ':'
 * line can type them; they change the views through app->tui.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cutopt.h"
#include "featureset.h"
#include "numparse.h"
#include "numround.h"
#include "ui/analysis.h"
#include "ui/cmd.h"
#include "ui/keys.h"
#include "ui/view.h"

static const struct hs_opt_spec no_opts[] = {{0}};

/* ---- the cuts view ----
 *
 * Its commands change the view's cut set, which is stored with a
 * journaled `cut set` line (hs_tui_cuts_save) when the keys pause
 * (ui/tui.c), so that a new flow is on screen at once and holding `]`
 * down does not write the session thirty times a second. */

static struct hs_tui *
need_cuts(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);
    struct hs_cuts_view *cv;

    if (!tui)
        return NULL;
    if (!tui->feat.t || !tui->table) {
        hs_err_set(&cmd->err, HS_EUSAGE, "no dataset is shown");
        return NULL;
    }
    if (!hs_tui_shown(tui, &hs_view_cuts_class)) {
        hs_overlay_close(&tui->overlay);
        hs_tui_show(tui, &hs_view_cuts_class);
    }
    cv = &tui->cuts;
    hs_tui_cuts_prepare(tui);
    if (!cv->loaded) {
        hs_err_set(&cmd->err, HS_EUSAGE, "%s", cv->msg[0] ? cv->msg : "the cuts are not loaded");
        return NULL;
    }
    if (!cv->labelled) {
        hs_err_set(&cmd->err, HS_EUSAGE, "cuts need a labelled dataset");
        return NULL;
    }
    if (cv->nrows == 0) {
        hs_err_set(&cmd->err, HS_EUSAGE, "no feature is enabled");
        return NULL;
    }
    tui->dirty = true;
    return tui;
}

/* After a change: the new efficiencies in the status line. */
static void
say_flow(struct hs_cmd *cmd, const struct hs_cuts_view *cv, const char *what)
{
    if (cv->have_flow) {
        const struct hs_flow_step *e = &cv->flow.step[cv->flow.nsteps - 1];
        char se[HS_NUM_BUF], be[HS_NUM_BUF];
        hs_num_show(e->sig_eff, se);
        hs_num_show(e->bkg_eff, be);
        fprintf(cmd->out, "%s: signal eff %s, background eff %s\n", what, se, be);
    } else {
        fprintf(cmd->out, "%s\n", what);
    }
}

static void
describe_bound(const struct hs_tui *tui, size_t r, int which, char *buf, size_t size)
{
    const struct hs_cuts_row *row = &tui->cuts.rows[r];
    const char *name = tui->feat.fs.f[row->feat].name;
    double x = which ? row->hi : row->lo;
    char v[HS_NUM_BUF];

    if (isinf(x)) {
        snprintf(buf, size, "no %s cut on %s", which ? "upper" : "lower", name);
        return;
    }
    hs_num_format(x, v);
    snprintf(buf, size, "%s %s %s", name, which ? "<" : ">=", v);
}

/* Set a bound; out gets the new efficiencies.  The set is stored by the
 * loop once the keys pause (a quarter second), on leaving the view and on
 * quitting: `cut set` loads the dataset to check the cuts, which on a
 * million events would cost several frames before the new flow shows. */
static int
set_and_save(struct hs_cmd *cmd, struct hs_tui *tui, size_t r, int which, double x)
{
    char what[200];
    int rc = hs_cuts_view_set_bound(&tui->cuts, &tui->feat, r, which, x, &cmd->err);

    if (rc)
        return rc;
    describe_bound(tui, r, which, what, sizeof what);
    say_flow(cmd, &tui->cuts, what);
    return HS_OK;
}

static int
cuts_edit_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_cuts(cmd, app);
    struct hs_cuts_view *cv;
    char v[HS_NUM_BUF] = "";
    double x;

    if (!tui)
        return cmd->err.code;
    cv = &tui->cuts;
    x = cv->col ? cv->rows[cv->sc.cur].hi : cv->rows[cv->sc.cur].lo;
    if (!isinf(x))
        hs_num_format(x, v);
    if (hs_prompt_open(&cv->edit, v) != HS_OK)
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    cv->editing = true;
    fprintf(cmd->out, "%s cut of %s: Enter sets it (empty: no cut), Esc leaves it\n",
            cv->col ? "upper" : "lower", hs_cuts_view_current(cv, &tui->feat));
    return HS_OK;
}

static const struct hs_cmd_entry cmd_cuts_edit = {
    .name = "cuts-edit",
    .alias = NULL,
    .usage = "",
    .summary = "type the cuts view's current cut in place",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = cuts_edit_exec,
};

static int
cuts_bound_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_cuts(cmd, app);
    int which;
    long r = -1;
    double x;
    int rc;

    if (!tui)
        return cmd->err.code;
    for (size_t i = 0; i < tui->cuts.nrows; i++)
        if (strcmp(tui->feat.fs.f[tui->cuts.rows[i].feat].name, cmd->argv[0]) == 0)
            r = (long)i;
    if (r < 0)
        return hs_err_set(&cmd->err, HS_ENOTFOUND,
                          "no enabled feature '%s' in the cuts view (turn it on in the "
                          "features view)",
                          cmd->argv[0]);
    if (strcmp(cmd->argv[1], "lower") == 0 || strcmp(cmd->argv[1], "lo") == 0)
        which = 0;
    else if (strcmp(cmd->argv[1], "upper") == 0 || strcmp(cmd->argv[1], "hi") == 0)
        which = 1;
    else
        return hs_err_set(&cmd->err, HS_EUSAGE, "cuts-bound: 'lower' or 'upper', not '%s'",
                          cmd->argv[1]);
    if ((rc = hs_cuts_parse_bound(cmd->argc > 2 ? cmd->argv[2] : "", which, &x, &cmd->err))) {
        hs_err_prefix(&cmd->err, "%s %s cut", cmd->argv[0], cmd->argv[1]);
        return rc;
    }
    tui->cuts.sc.cur = (size_t)r;
    tui->cuts.col = which;
    return set_and_save(cmd, tui, (size_t)r, which, x);
}

static const struct hs_cmd_entry cmd_cuts_bound = {
    .name = "cuts-bound",
    .alias = NULL,
    .usage = "FEATURE lower|upper [VALUE]",
    .summary = "set a cut of the cuts view (no VALUE: no cut) and store the cut set",
    .opts = no_opts,
    .min_args = 2,
    .max_args = 3,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = cuts_bound_exec,
};

static int
cuts_nudge_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_cuts(cmd, app);
    struct hs_cuts_view *cv;
    char what[200];
    double x;
    int dir, rc;

    if (!tui)
        return cmd->err.code;
    if (strcmp(cmd->argv[0], "up") != 0 && strcmp(cmd->argv[0], "down") != 0)
        return hs_err_set(&cmd->err, HS_EUSAGE, "cuts-nudge: 'up' or 'down', not '%s'",
                          cmd->argv[0]);
    cv = &tui->cuts;
    dir = cmd->argv[0][0] == 'u' ? 1 : -1;
    if ((rc = hs_cuts_view_nudge(cv, &tui->feat, cv->sc.cur, cv->col, dir, &x, &cmd->err)))
        return rc;
    describe_bound(tui, cv->sc.cur, cv->col, what, sizeof what);
    say_flow(cmd, cv, what);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_cuts_nudge = {
    .name = "cuts-nudge",
    .alias = NULL,
    .usage = "up|down",
    .summary = "move the cuts view's current cut one percentile of its feature",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = cuts_nudge_exec,
};

static int
cuts_clear_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_cuts(cmd, app);
    struct hs_cuts_view *cv;

    if (!tui)
        return cmd->err.code;
    cv = &tui->cuts;
    return set_and_save(cmd, tui, cv->sc.cur, cv->col, cv->col ? HUGE_VAL : -HUGE_VAL);
}

static const struct hs_cmd_entry cmd_cuts_clear = {
    .name = "cuts-clear",
    .alias = NULL,
    .usage = "",
    .summary = "remove the cuts view's current cut",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = cuts_clear_exec,
};

static int
cuts_click_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_cuts(cmd, app);
    const struct hs_cuts_row *row;
    struct hs_cuts_view *cv;
    double x, dlo, dhi;
    size_t r;
    int which;

    if (!tui)
        return cmd->err.code;
    cv = &tui->cuts;
    if (!hs_cuts_view_hit(cv, tui->click_x, tui->click_y, &r, &x)) {
        cmd->unchanged = true;
        return HS_OK; /* not on a histogram: nothing to do */
    }
    row = &cv->rows[r];
    /* A click is as precise as a cell of the histogram: keep the coarsest
     * decimal within a tenth of one (11.42, not 11.419370731721797). */
    if (cv->hist_w > 0 && row->xhi > row->xlo)
        x = hs_num_round_within(x, (row->xhi - row->xlo) / cv->hist_w / 10);
    /* The nearer cut, an open one counting as at its end of the plot. */
    dlo = fabs(x - (isinf(row->lo) ? row->xlo : row->lo));
    dhi = fabs(x - (isinf(row->hi) ? row->xhi : row->hi));
    which = dhi < dlo;
    cv->sc.cur = r;
    cv->col = which;
    return set_and_save(cmd, tui, r, which, x);
}

static const struct hs_cmd_entry cmd_cuts_click = {
    .name = "cuts-click",
    .alias = NULL,
    .usage = "",
    .summary = "move the nearer cut of the clicked histogram to the click (mouse)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = cuts_click_exec,
};

static int
cuts_optimise_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_cuts(cmd, app);
    struct hs_cutopt_config cfg = {0};
    struct hs_cutopt_result res = {0};
    struct hs_cuts_view *cv;
    const double **vals = NULL;
    const char **names = NULL;
    unsigned char *train = NULL, *val = NULL;
    double target = 0.95;
    int rc = HS_OK;

    if (!tui)
        return cmd->err.code;
    cv = &tui->cuts;
    if (cmd->argc && (hs_num_parse(cmd->argv[0], strlen(cmd->argv[0]), &target) != HS_OK ||
                      !(target > 0 && target <= 1)))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "cuts-optimise: the target signal efficiency is a number in (0, 1], "
                          "not '%s'",
                          cmd->argv[0]);
    if (!cv->have_split)
        return hs_err_set(&cmd->err, HS_EUSAGE, "the dataset has no split");
    vals = calloc(cv->nrows, sizeof *vals);
    names = calloc(cv->nrows, sizeof *names);
    train = malloc(tui->table->nrows + 1);
    val = malloc(tui->table->nrows + 1);
    if (!vals || !names || !train || !val) {
        rc = hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < cv->nrows && rc == HS_OK; r++) {
        names[r] = tui->feat.fs.f[cv->rows[r].feat].name;
        rc = hs_featureset_values(&tui->feat.fs, cv->rows[r].feat, &vals[r], &cmd->task,
                                  &cmd->err);
    }
    if (rc)
        goto done;
    hs_split_mask(&cv->split, HS_ON_TRAIN, tui->table->nrows, train);
    hs_split_mask(&cv->split, HS_ON_VAL, tui->table->nrows, val);
    cfg.nfeat = cv->nrows;
    cfg.vals = vals;
    cfg.names = names;
    cfg.label = hs_table_label(tui->table);
    cfg.weight = hs_table_weight(tui->table);
    cfg.train = train;
    cfg.val = val; /* calibrated as 'cut optimise' is */
    cfg.margin = HS_CUTOPT_MARGIN;
    cfg.test = cv->test;
    cfg.n = tui->table->nrows;
    cfg.targets = &target;
    cfg.ntargets = 1;
    cfg.seed = 0;
    if ((rc = hs_cutopt_run(&cfg, &res, &cmd->task, &cmd->err)))
        goto done;
    if (res.npoints < 1) {
        rc = hs_err_set(&cmd->err, HS_EDATA, "the optimiser found no box");
        goto done;
    }
    if ((rc = hs_cuts_view_set_box(cv, &tui->feat, cv->nrows, names, res.p[0].lo, res.p[0].hi,
                                   &cmd->err)))
        goto done;
    if ((rc = hs_tui_cuts_save(tui, &cmd->err)))
        goto done;
    {
        size_t ncut = 0;
        for (size_t r = 0; r < cv->nrows; r++)
            ncut += !isinf(cv->rows[r].lo) || !isinf(cv->rows[r].hi);
        fprintf(cmd->out, "box for %g%% signal: %zu cuts; test S eff %.4g, B eff %.4g; saved as '%s'\n",
                100 * target, ncut, res.p[0].test_sig_eff, res.p[0].test_bkg_eff, cv->name);
    }
done:
    hs_cutopt_release(&res);
    free(vals);
    free(names);
    free(train);
    free(val);
    return rc;
}

static const struct hs_cmd_entry cmd_cuts_optimise = {
    .name = "cuts-optimise",
    .alias = NULL,
    .usage = "[TARGET]",
    .summary = "optimise the cuts view's box on its features for a signal efficiency (0.95) "
               "on the training part, and store it",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = cuts_optimise_exec,
};

static int
cuts_name_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);
    struct hs_cuts_view *cv;
    struct hs_err err;
    const char *name = cmd->argv[0];

    if (!tui)
        return cmd->err.code;
    cv = &tui->cuts;
    if (strlen(name) >= sizeof cv->name)
        return hs_err_set(&cmd->err, HS_EUSAGE, "cut set name '%s' is too long", name);
    hs_err_clear(&err);
    if (hs_tui_cuts_save(tui, &err) != HS_OK)
        return hs_err_set(&cmd->err, err.code, "%s", err.msg);
    /* The cuts shown stay (kept by the reset) when the session has no set
     * of that name, and are stored under it. */
    hs_cuts_view_reset(cv);
    snprintf(cv->name, sizeof cv->name, "%s", name);
    snprintf(cv->dataset, sizeof cv->dataset, "%s", tui->dsname ? tui->dsname : "");
    cv->stopped = false;
    if (!hs_tui_shown(tui, &hs_view_cuts_class)) {
        hs_overlay_close(&tui->overlay);
        hs_tui_show(tui, &hs_view_cuts_class);
    }
    cv->loaded = false;
    hs_tui_cuts_prepare(tui);
    tui->dirty = true;
    if (cv->unsaved && hs_tui_cuts_save(tui, &cmd->err) != HS_OK)
        return cmd->err.code;
    fprintf(cmd->out, "the cuts view edits cut set '%s'\n", name);
    return HS_OK;
}

static const struct hs_cmd_entry cmd_cuts_name = {
    .name = "cuts-name",
    .alias = NULL,
    .usage = "NAME",
    .summary = "edit cut set NAME in the cuts view (a new name keeps the cuts shown)",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = cuts_name_exec,
};

/* ---- the ROC view ---- */

static struct hs_tui *
need_roc(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);

    if (tui && (!tui->feat.t || !tui->table)) {
        hs_err_set(&cmd->err, HS_EUSAGE, "no dataset is shown");
        return NULL;
    }
    if (tui && !hs_tui_shown(tui, &hs_view_roc_class)) {
        hs_overlay_close(&tui->overlay);
        hs_tui_show(tui, &hs_view_roc_class);
    }
    if (tui)
        hs_tui_roc_prepare(tui);
    return tui;
}

static int
roc_log_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_roc(cmd, app);

    if (!tui)
        return cmd->err.code;
    tui->roc.logy = !tui->roc.logy;
    tui->dirty = true;
    fprintf(cmd->out, "%s\n",
            tui->roc.logy ? "rejection factor 1/B on a log axis" : "rejection 1 - B");
    return HS_OK;
}

static const struct hs_cmd_entry cmd_roc_log = {
    .name = "roc-log",
    .alias = NULL,
    .usage = "",
    .summary = "switch the ROC view between the rejection and the log rejection factor",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = roc_log_exec,
};

static int
roc_save_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_roc(cmd, app);
    char path[4096];
    int rc;

    if (!tui)
        return cmd->err.code;
    rc = hs_roc_view_save(&tui->roc, tui->dsname, cmd->argc ? cmd->argv[0] : NULL, path,
                          sizeof path, &cmd->err);
    if (rc == HS_OK)
        fprintf(cmd->out, "saved %s\n", path);
    return rc;
}

static const struct hs_cmd_entry cmd_roc_save = {
    .name = "roc-save",
    .alias = NULL,
    .usage = "[FILE.png|.svg|.pdf]",
    .summary = "save the ROC view's figure (default ./hepscope-DATASET-roc.png)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = roc_save_exec,
};

/* The '?' key runs this: the key list, generated from the key table.  Not
 * TUI-only: `hepscope keys` prints the same list, and `hepscope keys
 * --man` the KEYS section of the man page. */

const struct hs_cmd_entry *const hs_cmd_tui_cuts_entries[] = {
    &cmd_cuts_edit,  &cmd_cuts_bound,    &cmd_cuts_nudge, &cmd_cuts_clear, &cmd_cuts_click,
    &cmd_cuts_optimise, &cmd_cuts_name, &cmd_roc_log,    &cmd_roc_save,   NULL,
};

/* plot-scatter.c: `plot scatter X Y`, any two columns of a dataset's
 * events as points coloured by label, group or a column (ui/scatter.h). */
#include "config.h"

#include <stdio.h>

#include "ui/axislabel.h"
#include "ui/plot.h"
#include "ui/scatter.h"

int
hs_plot_scatter(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
                const struct hs_select *sel)
{
    struct hs_featlabel flx, fly;
    struct hs_scatter_spec sp = {0};
    struct hs_figure *f = NULL;
    char title[300];
    int rc;

    if (cmd->argc != 3)
        return hs_err_set(&cmd->err, HS_EUSAGE, "usage: plot scatter X Y [--color C] [options]");
    if ((rc = hs_featureset_values_by_name(&ld->fs, cmd->argv[1], &sp.x, &cmd->task,
                                           &cmd->err)) ||
        (rc = hs_featureset_values_by_name(&ld->fs, cmd->argv[2], &sp.y, &cmd->task,
                                           &cmd->err)) ||
        (rc = hs_featlabel_get(app->sess, cmd->dataset, cmd->argv[1], &flx, &cmd->err)) ||
        (rc = hs_featlabel_get(app->sess, cmd->dataset, cmd->argv[2], &fly, &cmd->err))) {
        hs_err_prefix(&cmd->err, "plot scatter");
        return rc;
    }
    snprintf(title, sizeof title, "%s against %s in '%s'", cmd->argv[2], cmd->argv[1],
             cmd->dataset);
    sp.color = hs_cmd_opt(cmd, "color");
    sp.xlabel = flx.axis;
    sp.ylabel = fly.axis;
    sp.title = title;
    if ((rc = hs_scatter_figure(cmd, &ld->fs, &sp, &f)) == HS_OK &&
        (rc = hs_select_figure(cmd, sel, f, false)) == HS_OK)
        rc = hs_plot_out(cmd, f);
    hs_figure_free(f);
    return rc;
}

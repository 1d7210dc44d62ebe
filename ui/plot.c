/* plot.c: the checks every command that draws a figure makes before its
 * work (ui/plot.h). */
#include "config.h"

#include "ui/plot.h"

#include "plots/cairo_render.h"

int
hs_plot_check_output(struct hs_cmd *cmd)
{
    const char *out = hs_cmd_opt(cmd, "output");

    /* The renderer decides what it can write; asking it here, before a
     * fit of minutes, says a wrong name at once and in the same terms. */
    if (out && !hs_figure_file_type_ok(out))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "-o wants a file ending in " HS_FIGURE_FILE_TYPES ", not '%s'", out);
    return HS_OK;
}

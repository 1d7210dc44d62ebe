/* cmd-tui-data.c: the data view's commands: search a column, sort by
 * it, count its values.
 *
 * Like `view` and `where` they change only what the TUI shows, never the
 * session, so they are not journaled.  Each brings the data view up
 * (keys name them there; the ':' line may type them anywhere) and works
 * on the rows it shows: the selection of `where`, in its sort order.
 * Work over every row reports progress and Esc stops it. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numround.h"
#include "ui/cmd.h"
#include "ui/view.h"

static const struct hs_opt_spec no_opts[] = {{0}};

/* The TUI with a dataset shown, the data view brought up. */
static struct hs_tui *
need_data(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = hs_cmd_need_tui(cmd, app);

    if (tui && !tui->table) {
        hs_err_set(&cmd->err, HS_EUSAGE, "no dataset is shown");
        return NULL;
    }
    if (tui && !hs_tui_shown(tui, &hs_view_data_class)) {
        hs_overlay_close(&tui->overlay);
        hs_tui_show(tui, &hs_view_data_class);
    }
    return tui;
}

/* The current column's values, read now if the view has not shown them
 * yet (a column is read when first shown: hs_data_view_load). */
static int
read_current(struct hs_cmd *cmd, struct hs_tui *tui, const struct hs_task *task)
{
    return hs_data_view_load(&tui->data, tui->data.curcol, &tui->feat.fs, task, &cmd->err);
}

/* "row 12 (event 4711): kind = HNL" after a search moved the cursor. */
static void
say_row(struct hs_cmd *cmd, const struct hs_tui *tui)
{
    const struct hs_data_view *dv = &tui->data;
    char cell[128];

    hs_data_view_cell(dv, cell, sizeof cell);
    fprintf(cmd->out, "row %zu of %zu (event %zu): %s = %s\n", dv->rows.cur + 1, dv->rows.n,
            hs_data_view_row(dv, dv->rows.cur) + 1, hs_data_view_column(dv), cell);
}

static int
search_run(struct hs_cmd *cmd, struct hs_tui *tui, const char *text, int dir)
{
    struct hs_task task = hs_tui_task(tui);
    int rc = read_current(cmd, tui, &task);

    if (rc == HS_OK)
        rc = hs_data_view_search(&tui->data, text, dir, &task, &cmd->err);

    tui->dirty = true;
    if (rc == HS_OK)
        say_row(cmd, tui);
    return rc;
}

static int
search_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_data(cmd, app);
    char *text;
    bool nomem;
    int rc;

    if (!tui)
        return cmd->err.code;
    /* The words as typed, one space between: `:find HNL 1` finds "HNL 1". */
    if (!(text = hs_tui_join_words(cmd->argc, cmd->argv, &nomem)))
        return hs_cmd_nomem(cmd);
    rc = search_run(cmd, tui, text, 1);
    free(text);
    return rc;
}

static int
search_step_exec(struct hs_cmd *cmd, struct hs_app *app, int dir)
{
    struct hs_tui *tui = need_data(cmd, app);

    if (!tui)
        return cmd->err.code;
    if (!tui->data.search[0])
        return hs_err_set(&cmd->err, HS_EUSAGE, "nothing to find again yet: / and a value or text");
    return search_run(cmd, tui, tui->data.search, dir);
}

static int
search_next_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    return search_step_exec(cmd, app, 1);
}

static int
search_previous_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    return search_step_exec(cmd, app, -1);
}

static const struct hs_cmd_entry cmd_search = {
    .name = "find",
    .alias = NULL,
    .usage = "VALUE|TEXT...",
    .summary = "find the next row whose cell in the data view's current column matches "
               "(text: contains, any case; a number: equal, or its digits begin so to the "
               "decimals typed)",
    .opts = no_opts,
    .min_args = 1,
    .max_args = -1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = search_exec,
};

static const struct hs_cmd_entry cmd_search_next = {
    .name = "find-next",
    .alias = NULL,
    .usage = "",
    .summary = "the next match of the last find",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = search_next_exec,
};

static const struct hs_cmd_entry cmd_search_previous = {
    .name = "find-previous",
    .alias = NULL,
    .usage = "",
    .summary = "the previous match of the last find",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = search_previous_exec,
};

static int
data_sort_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_data(cmd, app);
    struct hs_data_view *dv;
    const char *col;
    struct hs_task task;
    int dir, rc;

    if (!tui)
        return cmd->err.code;
    dv = &tui->data;
    col = hs_data_view_column(dv);
    if (cmd->argc == 0) {
        /* The column sorted: the other way; another: ascending. */
        dir = dv->sort_dir > 0 && col && strcmp(col, dv->sort_col) == 0 ? -1 : 1;
    } else if (strcmp(cmd->argv[0], "asc") == 0 || strcmp(cmd->argv[0], "ascending") == 0) {
        dir = 1;
    } else if (strcmp(cmd->argv[0], "desc") == 0 || strcmp(cmd->argv[0], "descending") == 0) {
        dir = -1;
    } else if (strcmp(cmd->argv[0], "none") == 0) {
        dir = 0;
    } else {
        return hs_err_set(&cmd->err, HS_EUSAGE, "data-sort: 'asc', 'desc' or 'none', not '%s'",
                          cmd->argv[0]);
    }
    if (dir && !col)
        return hs_err_set(&cmd->err, HS_EUSAGE, "no column to sort by");
    task = hs_tui_task(tui);
    if (dir && (rc = read_current(cmd, tui, &task)) != HS_OK)
        return rc;
    /* Sort by the column under the cursor, from the rows shown. */
    dv->sort_dir = 0;
    rc = hs_data_view_sort(dv, hs_where_active(&tui->where) ? tui->where.sel.mask : NULL, dir,
                           &task, &cmd->err);
    tui->dirty = true;
    if (rc != HS_OK)
        return rc;
    if (dir)
        fprintf(cmd->out, "sorted by %s, %s (missing values last)\n", dv->sort_col,
                dir > 0 ? "ascending" : "descending");
    else
        fprintf(cmd->out, "in the events' order\n");
    return HS_OK;
}

static const struct hs_cmd_entry cmd_data_sort = {
    .name = "data-sort",
    .alias = NULL,
    .usage = "[asc|desc|none]",
    .summary = "sort the data view by its current column (stable; none: the events' order; "
               "alone: ascending, again descending)",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = data_sort_exec,
};

/* The frequency table as text: value, count, percent of the rows shown,
 * the signal and background counts of a labelled dataset, and a bar, the
 * most frequent (or the bins in order) first. */
static void
write_freq(FILE *out, const struct hs_freq_row *rows, size_t n, size_t total, bool labelled)
{
    size_t most = 1, sig = 0, bkg = 0;
    int w = 5;

    for (size_t i = 0; i < n; i++) {
        int lw = hs_text_width(rows[i].label);
        most = rows[i].count > most ? rows[i].count : most;
        w = lw > w ? lw : w;
        sig += rows[i].nsig;
        bkg += rows[i].nbkg;
    }
    w = w > 40 ? 40 : w;
    fprintf(out, "%-*s  %9s  %7s%s\n", w, "value", "count", "percent",
            labelled ? "     signal  background" : "");
    for (size_t i = 0; i < n; i++) {
        int bar = (int)lround(30.0 * (double)rows[i].count / (double)most);
        /* A share is fixed-point: two decimals of a percent, as VisiData. */
        fprintf(out, "%-*s  %9zu  %6.2f%%  ", w, rows[i].label, rows[i].count,
                total ? 100.0 * (double)rows[i].count / (double)total : 0.0);
        if (labelled)
            fprintf(out, "%9zu  %10zu  ", rows[i].nsig, rows[i].nbkg);
        for (int b = 0; b < bar; b++)
            fputs("#", out);
        fputc('\n', out);
    }
    fprintf(out, "%-*s  %9zu  %6.2f%%", w, "total", total, 100.0);
    if (labelled)
        fprintf(out, "  %9zu  %10zu", sig, bkg);
    fputc('\n', out);
}

static int
data_freq_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_tui *tui = need_data(cmd, app);
    struct hs_freq_row *rows = NULL;
    struct hs_task task;
    char *text = NULL, title[200];
    size_t n, len = 0;
    FILE *out;
    int rc;

    if (!tui)
        return cmd->err.code;
    if (cmd->argc && !hs_data_view_goto_column(&tui->data, cmd->argv[0]))
        return hs_err_set(&cmd->err, HS_ENOTFOUND, "no column '%s' in dataset '%s'",
                          cmd->argv[0], tui->dsname);
    task = hs_tui_task(tui);
    if ((rc = read_current(cmd, tui, &task)) != HS_OK ||
        (rc = hs_data_view_freq(&tui->data, &rows, &n, &task, &cmd->err)) != HS_OK)
        return rc;
    /* A window of its own, titled by the column (not the command). */
    if (!(out = open_memstream(&text, &len))) {
        free(rows);
        return hs_cmd_nomem(cmd);
    }
    fprintf(out, "%zu events%s\n\n", tui->data.rows.n,
            hs_where_active(&tui->where) ? " selected" : "");
    write_freq(out, rows, n, tui->data.rows.n, hs_table_label(tui->data.t) != NULL);
    fclose(out);
    free(rows);
    snprintf(title, sizeof title, "frequencies of %s", hs_data_view_column(&tui->data));
    rc = text ? hs_tui_show_text(tui, title, text) : HS_ENOMEM;
    free(text);
    return rc == HS_OK ? HS_OK : hs_cmd_nomem(cmd);
}

static const struct hs_cmd_entry cmd_data_freq = {
    .name = "data-freq",
    .alias = NULL,
    .usage = "[COLUMN]",
    .summary = "the frequency table of a column of the data view (its current one): counts "
               "and percentages of the values, or of bins of a number",
    .opts = no_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_TUI | HS_CMD_NO_SESSION,
    .exec = data_freq_exec,
};

const struct hs_cmd_entry *const hs_cmd_tui_data_entries[] = {
    &cmd_search, &cmd_search_next, &cmd_search_previous, &cmd_data_sort, &cmd_data_freq, NULL,
};

/* cmd-data.c: the data commands: datasets, info, drop, rename, sql,
 * export, journal (import is in cmd-import.c), and their family list. */
#include "config.h"

#include "ui/cmd-data.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "numparse.h"
#include "stats.h"
#include "table.h"
#include "sessions/features.h"
#include "sessions/units.h"
#include "ui/export.h"
#include "ui/grid.h"
#include "ui/loaded.h"
#include "ui/select.h"

static const struct hs_opt_spec no_opts[] = {{0}};
static const struct hs_opt_spec csv_opts[] = {
    {"csv", 0, HS_OPT_FLAG, NULL, "write CSV instead of an aligned table"},
    {0},
};

static void
fmt_size(size_t n, char buf[HS_NUM_BUF])
{
    snprintf(buf, HS_NUM_BUF, "%zu", n);
}

/* ---- datasets -------------------------------------------------------- */

static int
datasets_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_dataset_info *ds = NULL;
    size_t n = 0;
    bool csv = hs_cmd_flag(cmd, "csv");
    struct hs_grid g;
    int rc = hs_sess_datasets(app->sess, &ds, &n, &cmd->err);

    if (rc)
        return rc;
    if (csv) {
        fputs("name,rows,columns,labelled\n", cmd->out);
        for (size_t i = 0; i < n; i++) {
            hs_grid_csv_cell(cmd->out, ds[i].name, false);
            fprintf(cmd->out, ",%zu,%zu,%s\n", ds[i].nrows, ds[i].ncols,
                    ds[i].labelled ? "yes" : "no");
        }
        hs_dataset_info_free(ds, n);
        return HS_OK;
    }
    hs_grid_init(&g, 7);
    {
        const char *head[] = {"name", "rows", "columns", "labelled", "signal", "background",
                              "source"};
        if (hs_grid_add(&g, head, NULL))
            goto nomem;
    }
    for (size_t i = 0; i < n; i++) {
        char rows[HS_NUM_BUF], cols[HS_NUM_BUF], sig[HS_NUM_BUF] = "", bkg[HS_NUM_BUF] = "";
        const char *cells[] = {ds[i].name, rows, cols, ds[i].labelled ? "yes" : "no", sig, bkg,
                               ds[i].source ? ds[i].source : ""};
        bool num[] = {false, true, true, false, true, true, false};
        fmt_size(ds[i].nrows, rows);
        fmt_size(ds[i].ncols, cols);
        if (ds[i].labelled) {
            fmt_size(ds[i].nsignal, sig);
            fmt_size(ds[i].nbackground, bkg);
        }
        if (hs_grid_add(&g, cells, num))
            goto nomem;
    }
    if (n)
        hs_grid_print(&g, cmd->out);
    else
        fprintf(cmd->out, "no datasets in %s: import one with 'hepscope import FILE'\n",
                app->session_path);
    hs_grid_release(&g);
    hs_dataset_info_free(ds, n);
    return HS_OK;
nomem:
    hs_grid_release(&g);
    hs_dataset_info_free(ds, n);
    return hs_cmd_nomem(cmd);
}

static const struct hs_cmd_entry datasets_entry = {
    .name = "datasets",
    .alias = "ls",
    .usage = "[--csv]",
    .summary = "list the session's datasets",
    .opts = csv_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = 0,
    .exec = datasets_exec,
};

/* ---- info ------------------------------------------------------------ */

static const char *
role_name(const struct hs_column *c)
{
    switch (c->role) {
    case HS_ROLE_FEATURE: return "feature";
    case HS_ROLE_LABEL_SRC: return "label";
    case HS_ROLE_WEIGHT: return "weight";
    case HS_ROLE_GROUP: return "group";
    case HS_ROLE_LABEL: return "label01";
    case HS_ROLE_ID: return "id";
    }
    return "?";
}

/* A human view rounds means and deviations to 7 significant digits; the
 * value is rounded through printf and then printed in its shortest form,
 * which never depends on the locale's decimal point. */
static void
fmt_round(double x, char buf[HS_NUM_BUF])
{
    char tmp[64];
    double r;

    snprintf(tmp, sizeof tmp, "%.7g", x);
    if (hs_num_parse(tmp, strlen(tmp), &r) != HS_OK)
        r = x;
    hs_num_format(r, buf);
}

static void
fmt_stat(double x, bool round, char buf[HS_NUM_BUF])
{
    if (isnan(x))
        snprintf(buf, HS_NUM_BUF, "-");
    else if (round)
        fmt_round(x, buf);
    else
        hs_num_format(x, buf);
}

/* Is column j listed by info?  Columns from the file, and the group of a
 * multi-file import; the 0/1 label is summarised in the header instead. */
static bool
info_shows(const struct hs_table *t, size_t j)
{
    return !t->cols[j].synthetic || t->cols[j].role == HS_ROLE_GROUP;
}

/* A line's last cell, the unit: empty (not "") when there is none. */
static void
csv_unit(FILE *out, const char *unit)
{
    if (*unit)
        hs_grid_csv_cell(out, unit, false);
    fputc('\n', out);
}

/* The CSV view: the unit of a column (sessions/units.h) on every line of
 * it, always a column (empty when it has none), so that readers need not
 * look at the header to find the statistics. */
static int
info_csv(struct hs_cmd *cmd, const struct hs_table *t, const struct hs_feature_unit *units,
         size_t nunits)
{
    const double *label = hs_table_label(t), *weight = hs_table_weight(t);
    static const char *const class_names[] = {"all", "signal", "background"};

    fputs("column,kind,role,class,n,missing,min,max,mean,sd,unit\n", cmd->out);
    for (size_t j = 0; j < t->ncols; j++) {
        const struct hs_column *c = &t->cols[j];
        const struct hs_feature_unit *u = hs_feature_units_find(units, nunits, c->name);
        const char *unit = u && u->unit ? u->unit : "";
        if (!info_shows(t, j))
            continue;
        for (int k = 0; k < 3; k++) {
            struct hs_colstats st;
            char mn[HS_NUM_BUF], mx[HS_NUM_BUF], me[HS_NUM_BUF], sd[HS_NUM_BUF];
            if (k > 0 && !label)
                break;
            hs_stats_column(c->v, label, weight, t->nrows, (enum hs_stats_class)k, &st);
            hs_grid_csv_cell(cmd->out, c->name, false);
            fprintf(cmd->out, ",%s,%s,%s,%zu,%zu,", c->kind == HS_COL_TEXT ? "text" : "number",
                    role_name(c), class_names[k], st.n, st.missing);
            if (c->kind == HS_COL_TEXT) {
                fputs(",,,,", cmd->out);
                csv_unit(cmd->out, unit);
                continue;
            }
            /* Exact values; an empty cell where there is none. */
            mn[0] = mx[0] = me[0] = sd[0] = '\0';
            if (!isnan(st.min))
                hs_num_format(st.min, mn);
            if (!isnan(st.max))
                hs_num_format(st.max, mx);
            if (!isnan(st.mean))
                hs_num_format(st.mean, me);
            if (!isnan(st.sd))
                hs_num_format(st.sd, sd);
            fprintf(cmd->out, "%s,%s,%s,%s,", mn, mx, me, sd);
            csv_unit(cmd->out, unit);
        }
    }
    return HS_OK;
}

static int
info_groups(struct hs_cmd *cmd, const struct hs_table *t)
{
    const struct hs_column *g = hs_table_group(t);
    size_t *count;

    if (!g || g->kind != HS_COL_TEXT || g->ncats == 0 || g->ncats > 50)
        return HS_OK;
    count = calloc(g->ncats, sizeof *count);
    if (!count)
        return hs_cmd_nomem(cmd);
    for (size_t i = 0; i < t->nrows; i++)
        if (!isnan(g->v[i]) && g->v[i] >= 0 && (size_t)g->v[i] < g->ncats)
            count[(size_t)g->v[i]]++;
    fprintf(cmd->out, "groups    ");
    for (size_t k = 0; k < g->ncats; k++)
        fprintf(cmd->out, "%s%s %zu", k ? ", " : "", g->cats[k], count[k]);
    fputc('\n', cmd->out);
    free(count);
    return HS_OK;
}

static int
info_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_dataset_info info = {0};
    struct hs_table *t = NULL;
    struct hs_grid g;
    const double *label, *weight;
    bool has_text = false;
    struct hs_feature_unit *units = NULL;
    size_t nsig, nbkg, ncols = 0, nunits = 0;
    int rc;

    hs_grid_init(&g, 0);
    rc = hs_sess_dataset_info(app->sess, cmd->dataset, &info, &cmd->err);
    if (rc == HS_OK)
        rc = hs_sess_units_list(app->sess, cmd->dataset, &units, &nunits, &cmd->err);
    if (rc == HS_OK)
        rc = hs_sess_dataset_load(app->sess, cmd->dataset, &t, &cmd->task, &cmd->err);
    if (rc)
        goto out;
    hs_cmd_output_begin(cmd);
    if (hs_cmd_flag(cmd, "csv")) {
        rc = info_csv(cmd, t, units, nunits);
        goto out;
    }
    label = hs_table_label(t);
    weight = hs_table_weight(t);
    for (size_t j = 0; j < t->ncols; j++) {
        ncols += !t->cols[j].synthetic;
        has_text |= info_shows(t, j) && t->cols[j].kind == HS_COL_TEXT;
    }

    fprintf(cmd->out, "dataset   %s\n", info.name);
    if (info.source)
        fprintf(cmd->out, "source    %s\n", info.source);
    if (info.created)
        fprintf(cmd->out, "created   %s\n", info.created);
    fprintf(cmd->out, "rows      %zu", t->nrows);
    if (label) {
        hs_table_class_counts(t, &nsig, &nbkg);
        fprintf(cmd->out, " (%zu signal, %zu background)", nsig, nbkg);
    } else {
        fprintf(cmd->out, " (unlabelled)");
    }
    fprintf(cmd->out, "\ncolumns   %zu\n", ncols);
    if (weight)
        fprintf(cmd->out, "weight    %s\n", t->cols[hs_table_find_role(t, HS_ROLE_WEIGHT)].name);
    if ((rc = info_groups(cmd, t)))
        goto out;
    fputc('\n', cmd->out);

    {
        static const char *const head_lab[] = {
            "column",  "kind",    "role",     "missing", "sig.min", "sig.max", "sig.mean",
            "sig.sd",  "bkg.min", "bkg.max",  "bkg.mean", "bkg.sd", "categories"};
        static const char *const head_all[] = {"column", "kind", "role", "missing", "min",
                                               "max",    "mean", "sd",   "categories"};
        /* Without text columns the grid stops before "categories"; the
         * units, when the dataset has some, come last. */
        size_t nstat = label ? 8 : 4, nc = 4 + nstat + (has_text ? 1 : 0) + (nunits ? 1 : 0);
        const char *head[14];
        memcpy(head, label ? head_lab : head_all, (nc - (nunits ? 1 : 0)) * sizeof *head);
        head[nc - 1] = nunits ? "unit" : head[nc - 1];
        hs_grid_init(&g, nc);
        if (hs_grid_add(&g, head, NULL))
            goto nomem;
        for (size_t j = 0; j < t->ncols; j++) {
            const struct hs_column *c = &t->cols[j];
            const struct hs_feature_unit *u = hs_feature_units_find(units, nunits, c->name);
            char buf[14][HS_NUM_BUF];
            const char *cells[14];
            bool num[14] = {false};
            struct hs_colstats st;
            size_t missing = 0;

            if (!info_shows(t, j))
                continue;
            for (size_t i = 0; i < t->nrows; i++)
                missing += isnan(c->v[i]);
            cells[0] = c->name;
            cells[1] = c->kind == HS_COL_TEXT ? "text" : "number";
            cells[2] = role_name(c);
            fmt_size(missing, buf[3]);
            cells[3] = buf[3];
            num[3] = true;
            for (size_t k = 0; k < nstat / 4; k++) {
                enum hs_stats_class cls = label ? (k == 0 ? HS_CLASS_SIGNAL : HS_CLASS_BACKGROUND)
                                                : HS_CLASS_ALL;
                size_t b = 4 + 4 * k;
                if (c->kind == HS_COL_TEXT) {
                    for (size_t m = 0; m < 4; m++) {
                        cells[b + m] = "-";
                        num[b + m] = true;
                    }
                    continue;
                }
                hs_stats_column(c->v, label, weight, t->nrows, cls, &st);
                fmt_stat(st.min, false, buf[b]);
                fmt_stat(st.max, false, buf[b + 1]);
                fmt_stat(st.mean, true, buf[b + 2]);
                fmt_stat(st.sd, true, buf[b + 3]);
                for (size_t m = 0; m < 4; m++) {
                    cells[b + m] = buf[b + m];
                    num[b + m] = true;
                }
            }
            if (has_text) {
                size_t k = 4 + nstat;
                buf[k][0] = '\0';
                if (c->kind == HS_COL_TEXT)
                    fmt_size(c->ncats, buf[k]);
                cells[k] = buf[k];
                num[k] = true;
            }
            if (nunits)
                cells[nc - 1] = u && u->unit ? u->unit : "";
            if (hs_grid_add(&g, cells, num))
                goto nomem;
        }
        hs_grid_print(&g, cmd->out);
    }
out:
    hs_grid_release(&g);
    hs_table_free(t);
    hs_feature_units_free(units, nunits);
    hs_dataset_info_release(&info);
    return rc;
nomem:
    rc = hs_cmd_nomem(cmd);
    goto out;
}

static const struct hs_opt_spec info_opts[] = {
    {"csv", 0, HS_OPT_FLAG, NULL,
     "per column and class: n, missing, min, max, mean, sd, exactly, and the unit"},
    {0},
};

static const struct hs_cmd_entry info_entry = {
    .name = "info",
    .alias = NULL,
    .usage = "[--csv] [DATASET]",
    .summary = "describe a dataset: rows, classes, and per column min, max, mean, sd",
    .opts = info_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_DATASET | HS_CMD_DATASET_ARG,
    .exec = info_exec,
};

/* ---- drop, rename ---------------------------------------------------- */

static int
drop_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    int rc = hs_sess_dataset_drop(app->sess, cmd->argv[0], &cmd->err);
    if (rc == HS_ENOTFOUND)
        hs_err_set(&cmd->err, rc, "no dataset '%s' to drop", cmd->argv[0]);
    return rc;
}

static const struct hs_cmd_entry drop_entry = {
    .name = "drop",
    .alias = NULL,
    .usage = "DATASET",
    .summary = "delete a dataset from the session",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_WRITES,
    .changes = HS_CHANGE_DATASETS,
    .exec = drop_exec,
};

static int
rename_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    const char *from = cmd->argv[0], *to = cmd->argv[1];
    int rc;

    if ((rc = hs_import_check_name(to, &cmd->err)))
        return rc;
    rc = hs_sess_dataset_rename(app->sess, from, to, &cmd->err);
    if (rc == HS_ENOTFOUND)
        hs_err_set(&cmd->err, rc, "no dataset '%s' to rename", from);
    else if (rc == HS_EEXIST)
        hs_err_set(&cmd->err, rc, "dataset '%s' exists already", to);
    return rc;
}

static const struct hs_cmd_entry rename_entry = {
    .name = "rename",
    .alias = "mv",
    .usage = "OLD NEW",
    .summary = "rename a dataset",
    .opts = no_opts,
    .min_args = 2,
    .max_args = 2,
    .flags = HS_CMD_WRITES,
    .changes = HS_CHANGE_DATASETS,
    .exec = rename_exec,
};

/* ---- sql ------------------------------------------------------------- */

struct sql_out {
    struct hs_cmd *cmd;
    bool csv;
    struct hs_grid grid;
    bool started;
};

static int
sql_row(void *user, int ncols, const char *const *names, const char *const *values,
        const bool *is_num)
{
    struct sql_out *so = user;
    size_t n = (size_t)ncols;

    if (!values) {
        /* A header: the first, or a later statement's. */
        if (so->csv) {
            hs_grid_csv_row(so->cmd->out, n, names, NULL);
            return 0;
        }
        if (so->started) {
            hs_grid_print(&so->grid, so->cmd->out);
            hs_grid_release(&so->grid);
            fputc('\n', so->cmd->out);
        }
        so->started = true;
        hs_grid_init(&so->grid, n);
        return hs_grid_add(&so->grid, names, NULL) ? HS_ENOMEM : 0;
    }
    if (so->csv) {
        hs_grid_csv_row(so->cmd->out, n, values, is_num);
        return 0;
    }
    {
        const char **cells = malloc((n ? n : 1) * sizeof *cells);
        int rc;
        if (!cells)
            return HS_ENOMEM;
        for (size_t j = 0; j < n; j++)
            cells[j] = values[j] ? values[j] : "NULL";
        rc = hs_grid_add(&so->grid, cells, is_num) ? HS_ENOMEM : 0;
        free(cells);
        return rc;
    }
}

static int
sql_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct sql_out so = {.cmd = cmd, .csv = hs_cmd_flag(cmd, "csv")};
    char *query;
    size_t len = 1;
    int rc;

    /* The query may come as several words: `hepscope sql select 1`. */
    for (int i = 0; i < cmd->argc; i++)
        len += strlen(cmd->argv[i]) + 1;
    query = malloc(len);
    if (!query)
        return hs_cmd_nomem(cmd);
    query[0] = '\0';
    for (int i = 0; i < cmd->argc; i++) {
        if (i)
            strcat(query, " ");
        strcat(query, cmd->argv[i]);
    }
    hs_grid_init(&so.grid, 0);
    rc = hs_sess_sql_task(app->sess, query, sql_row, &so, &cmd->task, &cmd->err);
    if (rc == HS_ENOMEM)
        hs_cmd_nomem(cmd);
    if (rc == HS_OK && !so.csv && so.started)
        hs_grid_print(&so.grid, cmd->out);
    hs_grid_release(&so.grid);
    free(query);
    return rc;
}

static const struct hs_cmd_entry sql_entry = {
    .name = "sql",
    .alias = NULL,
    .usage = "[--csv] QUERY",
    .summary = "run a read-only SQL query; events('DATASET') is a table of a dataset's events",
    .opts = csv_opts,
    .min_args = 1,
    .max_args = -1,
    .flags = 0,
    .exec = sql_exec,
};

/* ---- export ---------------------------------------------------------- */

static int
export_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    const char *path = hs_cmd_opt(cmd, "output");
    struct hs_loaded ld = {0};
    struct hs_select sel = {0};
    int rc;

    if ((rc = hs_loaded_open(cmd, app, &ld)))
        return rc;
    if ((rc = hs_select_loaded(cmd, app, &ld, &sel)) == HS_OK)
        rc = hs_export_csv(cmd, ld.t, hs_cmd_flag(cmd, "features") ? &ld.fs : NULL, path);
    /* The rows written, when they do not go to the terminal themselves. */
    if (rc == HS_OK && strcmp(path, "-") != 0)
        hs_select_say(cmd, &sel);
    hs_select_release(&sel);
    hs_loaded_close(&ld);
    return rc;
}

static int
export_check(struct hs_cmd *cmd)
{
    const char *path = hs_cmd_opt(cmd, "output");
    struct stat st;

    if (!path)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "export: say where with -o FILE.csv ('-o -' for standard output)");
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return hs_err_set(&cmd->err, HS_EIO, "cannot write '%s': it is a folder", path);
    return HS_OK;
}

static const struct hs_opt_spec export_opts[] = {
    {"output", 'o', HS_OPT_VALUE, "FILE", "the CSV file to write ('-' for standard output)"},
    {"features", 0, HS_OPT_FLAG, NULL, "add the enabled derived features after the columns"},
    HS_SELECT_OPTS,
    {0},
};

static const struct hs_cmd_entry export_entry = {
    .name = "export",
    .alias = NULL,
    .usage = "[DATASET] -o FILE.csv [--features] " HS_SELECT_USAGE,
    .summary = "write a dataset's imported columns as CSV, every number exactly",
    .opts = export_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_DATASET | HS_CMD_DATASET_ARG,
    .exec = export_exec,
    .check = export_check,
};

/* ---- journal --------------------------------------------------------- */

struct journal_out {
    FILE *out;
    bool csv;
};

static int
journal_row(void *user, int64_t id, const char *when, const char *command)
{
    struct journal_out *jo = user;

    if (jo->csv) {
        fprintf(jo->out, "%lld,", (long long)id);
        hs_grid_csv_cell(jo->out, when, false);
        fputc(',', jo->out);
        hs_grid_csv_cell(jo->out, command, false);
        fputc('\n', jo->out);
    } else {
        fprintf(jo->out, "%5lld  %s  %s\n", (long long)id, when, command);
    }
    return 0;
}

static int
journal_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct journal_out jo = {cmd->out, hs_cmd_flag(cmd, "csv")};

    if (jo.csv)
        fputs("id,time,command\n", cmd->out);
    return hs_sess_journal_each(app->sess, journal_row, &jo, &cmd->err);
}

static const struct hs_cmd_entry journal_entry = {
    .name = "journal",
    .alias = NULL,
    .usage = "[--csv]",
    .summary = "list the commands that changed the session, oldest first",
    .opts = csv_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = 0,
    .exec = journal_exec,
};

const struct hs_cmd_entry *const hs_cmd_data_entries[] = {
    &hs_cmd_import_entry, &datasets_entry, &info_entry,    &drop_entry,
    &rename_entry,        &sql_entry,      &export_entry,  &journal_entry,
    NULL,
};

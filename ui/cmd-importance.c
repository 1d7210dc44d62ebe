/* cmd-importance.c: how much a stored model leans on each input.
 *
 *   importance NAME [--kind shap|permutation|gain] [--repeats N] [--seed K]
 *              [-o FILE] [--csv] [--events] [--bars]
 *
 * On the test part of the dataset's split: the mean |SHAP value| of a
 * boosted-tree model (src/treeshap.c), the AUC drop when an input is
 * shuffled for any model, or the trees' total split gain
 * (src/importance.c).  The engine computes; this file reads the words,
 * gathers the test events and writes the table, the per-event CSV and
 * the figures (ui/plot-importance.c).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forest.h"
#include "numparse.h"
#include "sessions/learned.h"
#include "sessions/models.h"
#include "ui/analysis.h"
#include "ui/cmd.h"
#include "ui/export.h"
#include "ui/grid.h"
#include "ui/loaded.h"
#include "ui/plot-importance.h"
#include "ui/plot.h"
#include "ui/train.h"

static int
parse_kind(struct hs_cmd *cmd, enum hs_imp_kind *k)
{
    const char *s = hs_cmd_opt(cmd, "kind");

    *k = HS_IMP_DEFAULT;
    if (!s)
        return HS_OK;
    if (strcmp(s, "shap") == 0)
        *k = HS_IMP_SHAP;
    else if (strcmp(s, "permutation") == 0)
        *k = HS_IMP_PERM;
    else if (strcmp(s, "gain") == 0)
        *k = HS_IMP_GAIN;
    else
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "--kind takes shap, permutation or gain, not '%s'", s);
    return HS_OK;
}

static bool
ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcasecmp(s + a - b, tail) == 0;
}

static int
importance_check(struct hs_cmd *cmd)
{
    const char *out = hs_cmd_opt(cmd, "output");
    enum hs_imp_kind k;
    size_t reps = 5, seed = 0;
    int rc;

    if ((rc = parse_kind(cmd, &k)) ||
        (rc = hs_cmd_opt_count(cmd, "repeats", 1, 1000, &reps)) ||
        (rc = hs_cmd_opt_count(cmd, "seed", 0, SIZE_MAX, &seed)))
        return rc;
    if (hs_cmd_flag(cmd, "events")) {
        if (k != HS_IMP_SHAP)
            return hs_err_set(&cmd->err, HS_EUSAGE, "--events writes SHAP values: give --kind shap");
        if (!out || (strcmp(out, "-") != 0 && !ends_with(out, ".csv")))
            return hs_err_set(&cmd->err, HS_EUSAGE,
                              "--events wants -o FILE.csv (or -o - for stdout)");
        return HS_OK;
    }
    if ((hs_cmd_opt(cmd, "repeats") || hs_cmd_opt(cmd, "seed")) && k != HS_IMP_PERM &&
        k != HS_IMP_DEFAULT)
        return hs_err_set(&cmd->err, HS_EUSAGE, "--repeats and --seed go with --kind permutation");
    if (hs_cmd_flag(cmd, "bars") && k != HS_IMP_SHAP && k != HS_IMP_DEFAULT)
        return hs_err_set(&cmd->err, HS_EUSAGE, "--bars goes with --kind shap");
    return hs_plot_check_output(cmd);
}

/* --events: row,base,<inputs>,raw for every test event; raw is the
 * forest's own walk, so that the columns' sum checks the attributions. */
static int
write_events(struct hs_cmd *cmd, const struct hs_forest *f, const char *const *names,
             const struct hs_inputs *in, const size_t *rows, size_t n, const double *phi,
             double base)
{
    const char *path = hs_cmd_opt(cmd, "output");
    struct hs_out_file of;
    double *row = malloc((f->nin + 1) * sizeof *row);
    char b[HS_NUM_BUF];
    int rc;

    if (!row)
        return hs_cmd_nomem(cmd);
    if ((rc = hs_out_open(cmd, path, &of))) {
        free(row);
        return rc;
    }
    fputs("row,base", of.fp);
    for (size_t i = 0; i < f->nin; i++) {
        fputc(',', of.fp);
        hs_grid_csv_cell(of.fp, names[i], false);
    }
    fputs(",raw\n", of.fp);
    hs_grid_num_exact(base, b);
    for (size_t k = 0; k < n; k++) {
        fprintf(of.fp, "%zu,%s", rows[k], b);
        for (size_t i = 0; i < f->nin; i++) {
            char v[HS_NUM_BUF];
            hs_grid_num_exact(phi[k * f->nin + i], v);
            fprintf(of.fp, ",%s", v);
            row[i] = in->cols[i][rows[k]];
        }
        char r[HS_NUM_BUF];
        hs_grid_num_exact(hs_forest_raw_row(f, row), r);
        fprintf(of.fp, ",%s\n", r);
    }
    free(row);
    rc = hs_out_close(cmd, &of, HS_OK);
    if (rc == HS_OK && strcmp(path, "-") != 0) {
        hs_cmd_output_begin(cmd);
        fprintf(cmd->out,
                "wrote the SHAP values of model '%s' for %zu test events of '%s' to %s "
                "(base %.6g: base + inputs = raw log-odds)\n",
                cmd->argv[0], n, cmd->dataset, path, base);
    }
    return rc;
}

/* The ranked table, or CSV: feature,value[,sd|,share]. */
static int
print_table(struct hs_cmd *cmd, enum hs_imp_kind k, const char *const *names, size_t nin,
            const double *value, const double *sd, const size_t *order)
{
    static const char *const what[] = {"mean |SHAP|", "AUC drop", "gain"};
    double total = 0;
    int rc = HS_OK;

    for (size_t i = 0; i < nin; i++)
        total += isfinite(value[i]) ? value[i] : 0;
    if (hs_cmd_flag(cmd, "csv")) {
        fprintf(cmd->out, "rank,feature,%s\n",
                k == HS_IMP_SHAP ? "mean_abs_shap" : k == HS_IMP_PERM ? "auc_drop,sd" : "gain,share");
        for (size_t r = 0; r < nin; r++) {
            size_t i = order[r];
            char a[HS_NUM_BUF], b[HS_NUM_BUF];
            hs_grid_num_exact(value[i], a);
            fprintf(cmd->out, "%zu,", r + 1);
            hs_grid_csv_cell(cmd->out, names[i], false);
            fprintf(cmd->out, ",%s", a);
            if (k != HS_IMP_SHAP) {
                hs_grid_num_exact(k == HS_IMP_PERM ? sd[i] : total > 0 ? value[i] / total : NAN, b);
                fprintf(cmd->out, ",%s", b);
            }
            fputc('\n', cmd->out);
        }
        return HS_OK;
    }
    const char *head[4] = {"rank", "feature", what[k],
                           k == HS_IMP_PERM ? "sd" : k == HS_IMP_GAIN ? "share" : NULL};
    const bool isnum[4] = {true, false, true, true};
    size_t ncol = k == HS_IMP_SHAP ? 3 : 4;
    struct hs_grid g;
    hs_grid_init(&g, ncol);
    rc = hs_grid_add(&g, head, NULL);
    for (size_t r = 0; r < nin && rc == HS_OK; r++) {
        size_t i = order[r];
        char a[HS_NUM_BUF], b[HS_NUM_BUF], c[HS_NUM_BUF];
        const char *cells[4] = {a, names[i], b, c};
        snprintf(a, sizeof a, "%zu", r + 1);
        snprintf(b, sizeof b, "%.4g", value[i]);
        if (k == HS_IMP_PERM)
            snprintf(c, sizeof c, "%.2g", sd[i]);
        else if (k == HS_IMP_GAIN)
            snprintf(c, sizeof c, "%.1f%%", total > 0 ? 100 * value[i] / total : 0.0);
        rc = hs_grid_add(&g, cells, isnum);
    }
    return hs_cmd_print_grid(cmd, &g, rc);
}

static int
importance_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_model_rec rec = {0};
    struct hs_loaded ld = {0};
    struct hs_split sp = {0};
    struct hs_imp imp = {0};
    struct hs_figure *fig = NULL;
    size_t reps = 5, seed = 0;
    double *xs = NULL;
    const char *out = hs_cmd_opt(cmd, "output");
    bool made = false;
    enum hs_imp_kind k;
    int rc;

    if ((rc = parse_kind(cmd, &k)) || (rc = hs_cmd_opt_count(cmd, "repeats", 1, 1000, &reps)) ||
        (rc = hs_cmd_opt_count(cmd, "seed", 0, SIZE_MAX, &seed)) ||
        (rc = hs_sess_model_load(app->sess, cmd->argv[0], &rec, &cmd->err)))
        goto done;
    /* A kind the model cannot give is said before a split is made. */
    if (k == HS_IMP_SHAP || k == HS_IMP_GAIN) {
        struct hs_model *m = NULL;
        if ((rc = hs_model_rec_model(&rec, &m, &cmd->err)))
            goto done;
        bool trees = hs_forest_of_model(m) != NULL;
        hs_model_free(m);
        if (!trees) {
            rc = hs_err_set(&cmd->err, HS_EUSAGE,
                            "--kind %s needs boosted trees, and model '%s' is a %s model: "
                            "use --kind permutation",
                            hs_imp_kind_name(k), rec.name, rec.kind);
            goto done;
        }
    }
    if ((rc = hs_loaded_open(cmd, app, &ld)))
        goto done;
    if (!hs_table_label(ld.t)) {
        rc = hs_err_set(&cmd->err, HS_EUSAGE,
                        "dataset '%s' has no label: importance needs signal and background",
                        cmd->dataset);
        goto done;
    }
    if ((rc = hs_analysis_split_say(cmd, app, ld.t, &sp, &made)))
        goto done;
    if (!made)
        cmd->unchanged = true;
    if ((rc = hs_imp_compute(&ld.fs, &sp, &rec, k, reps, seed, &imp, &cmd->task, &cmd->err)))
        goto done;
    k = imp.kind;
    size_t nin = imp.nin, n = imp.n;
    if (k == HS_IMP_SHAP && hs_cmd_flag(cmd, "events")) {
        rc = write_events(cmd, imp.forest, imp.names, &imp.in, imp.rows, n, imp.phi, imp.base);
        goto done;
    }
    if (out || hs_cmd_flag(cmd, "draw")) {
        char title[256];
        size_t shown = nin < 30 ? nin : 30;
        if (k == HS_IMP_SHAP && !hs_cmd_flag(cmd, "bars")) {
            if (!(xs = malloc((n * nin + 1) * sizeof *xs))) {
                rc = hs_cmd_nomem(cmd);
                goto done;
            }
            for (size_t e = 0; e < n; e++)
                for (size_t i = 0; i < nin; i++)
                    xs[e * nin + i] = imp.in.cols[i][imp.rows[e]];
            snprintf(title, sizeof title, "SHAP summary: model '%s', %zu test events of '%s'",
                     rec.name, n, cmd->dataset);
            rc = hs_importance_summary_figure(imp.names, imp.phi, xs, n, nin, imp.order, shown,
                                              out ? 60 : 30, title, &fig, &cmd->err);
        } else {
            static const char *const ylab[] = {"mean |SHAP value| (log-odds)",
                                               "AUC drop when shuffled", "total split gain"};
            snprintf(title, sizeof title, "%s importance: model '%s', test part of '%s'",
                     hs_imp_kind_name(k), rec.name, cmd->dataset);
            rc = hs_importance_bar_figure(imp.names, imp.value,
                                          k == HS_IMP_PERM ? imp.sd : NULL, imp.order, shown,
                                          title, ylab[k], &fig, &cmd->err);
        }
        if (rc || (rc = hs_plot_out(cmd, fig)))
            goto done;
    }
    hs_cmd_output_begin(cmd);
    if (!hs_cmd_flag(cmd, "csv")) {
        if (k == HS_IMP_SHAP)
            fprintf(cmd->out,
                    "SHAP importance of model '%s' on the test part of '%s' (%zu events): "
                    "mean |SHAP value| in log-odds, base value %.4f\n",
                    rec.name, cmd->dataset, n, imp.base);
        else if (k == HS_IMP_PERM)
            fprintf(cmd->out,
                    "permutation importance of model '%s' on the test part of '%s' (%zu events): "
                    "AUC drop when one input is shuffled, mean and sd of %zu repeats (seed %zu), "
                    "test AUC %.4f\n",
                    rec.name, cmd->dataset, n, reps, seed, imp.base_auc);
        else
            fprintf(cmd->out, "gain importance of model '%s': total split gain per input\n",
                    rec.name);
    }
    rc = print_table(cmd, k, imp.names, nin, imp.value, imp.sd, imp.order);
done:
    hs_figure_free(fig);
    free(xs);
    hs_imp_release(&imp);
    hs_split_release(&sp);
    hs_model_rec_release(&rec);
    hs_loaded_close(&ld);
    return rc;
}

static const struct hs_opt_spec importance_opts[] = {
    {"kind", 0, HS_OPT_VALUE, "KIND",
     "shap (boosted trees' default), permutation (any model; the default otherwise) or gain"},
    {"repeats", 0, HS_OPT_VALUE, "N", "permutation: shuffles per input (5)"},
    {"seed", 0, HS_OPT_VALUE, "K", "permutation: the first shuffle's seed (0)"},
    {"csv", 0, HS_OPT_FLAG, NULL, "print the table as CSV"},
    {"events", 0, HS_OPT_FLAG, NULL,
     "with --kind shap and -o FILE.csv: one row per test event, row,base,<inputs>,raw"},
    {"bars", 0, HS_OPT_FLAG, NULL, "with --kind shap: the mean |SHAP| bars, not the summary plot"},
    HS_FIGURE_OPTS,
    {0},
};

static const struct hs_cmd_entry importance_entry = {
    .name = "importance",
    .alias = NULL,
    .usage = "NAME [--kind shap|permutation|gain] [--repeats N] [--seed K] [-o FILE] [--csv] "
             "[--events] [--bars] [--draw]",
    .summary = "which inputs a model leans on: mean |SHAP|, AUC drop when shuffled, or split "
               "gain, on the test part",
    .opts = importance_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET,
    .changes = HS_CHANGE_SPLIT,
    .exec = importance_exec,
    .check = importance_check,
};

const struct hs_cmd_entry *const hs_cmd_importance_entries[] = {
    &importance_entry,
    NULL,
};

/* cmd-model.c: the stored models and the methods that make them.
 *
 *   model export NAME --as c -o FILE.c [--function F]
 *   model list | show NAME | drop NAME
 *   methods [NAME] [--csv]
 *
 * Each model action is a command of its own ("model show"), the action its
 * first argument, so the journal reads `model drop NAME`.  A model is read
 * through its kind (src/model.h): nothing here knows an MLP from Fisher's
 * discriminant.  What projections and clusterings learned (stored outputs,
 * sessions/outputs.h) is listed and dropped here too, beside the models:
 * users look for every learned column in one place.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "method.h"
#include "model.h"
#include "names.h"
#include "numparse.h"
#include "sessions/models.h"
#include "sessions/outputs.h"
#include "strbuf.h"
#include "ui/cmd.h"
#include "ui/export.h"
#include "ui/grid.h"
#include "ui/train.h"

/* The model's shape in a few words, from its own kind ("64,64 relu"). */
static void
shape_of(const struct hs_model_rec *rec, char *buf, size_t size)
{
    struct hs_model *m = NULL;
    struct hs_err err = {0};

    snprintf(buf, size, "?");
    if (hs_model_rec_model(rec, &m, &err) == HS_OK)
        hs_model_describe(m, buf, size);
    hs_model_free(m);
}

/* "a_1, a_2": a new string (free), NULL when out of memory. */
static char *
names_joined(char *const *names, size_t n)
{
    struct hs_strbuf b = {0};

    for (size_t i = 0; i < n; i++)
        hs_strbuf_printf(&b, "%s%s", i ? ", " : "", names[i]);
    if (b.failed || !b.s) {
        hs_strbuf_release(&b);
        return NULL;
    }
    char *s = strdup(b.s);
    hs_strbuf_release(&b);
    return s;
}

/* The stored projections and clusterings of every dataset, after the
 * models: name, dataset, kind and method, points fitted of the events,
 * columns, key figures. */
static int
outputs_list(struct hs_cmd *cmd, struct hs_app *app, bool after_table)
{
    static const char *const head[] = {"name", "dataset", "kind", "method", "points",
                                       "columns", "figures", "created"};
    static const bool isnum[] = {false, false, false, false, true, false, false, false};
    struct hs_output_rec *recs = NULL;
    struct hs_grid g;
    size_t n = 0;
    int rc;

    if ((rc = hs_sess_outputs_all(app->sess, &recs, &n, &cmd->err)))
        return rc;
    if (n == 0) {
        fprintf(cmd->out, "no projections or clusterings yet (hepscope project, hepscope "
                          "cluster)\n");
        hs_output_recs_free(recs, n);
        return HS_OK;
    }
    fprintf(cmd->out, "%sprojections and clusterings:\n", after_table ? "\n" : "");
    hs_grid_init(&g, 8);
    rc = hs_grid_add(&g, head, NULL);
    for (size_t i = 0; i < n && rc == HS_OK; i++) {
        const struct hs_output_rec *o = &recs[i];
        char pts[2 * HS_NUM_BUF], *cols = names_joined(o->colnames, o->ncols);
        const char *cells[8] = {o->name, o->dataset, o->kind == HS_OUTPUT_CLUSTERING
                                                         ? "clustering"
                                                         : "projection",
                                o->method, pts, cols ? cols : "?",
                                o->figures ? o->figures : "", o->created};
        snprintf(pts, sizeof pts, "%zu/%zu", o->nfitted, o->nevents);
        rc = hs_grid_add(&g, cells, isnum);
        free(cols);
    }
    rc = hs_cmd_print_grid(cmd, &g, rc);
    hs_output_recs_free(recs, n);
    return rc;
}

static int
model_list(struct hs_cmd *cmd, struct hs_app *app)
{
    static const char *const head[] = {"name", "dataset", "inputs", "model", "test AUC",
                                       "created"};
    static const bool isnum[] = {false, false, true, false, true, false};
    struct hs_model_rec *recs = NULL;
    struct hs_grid g;
    size_t n = 0;
    int rc;

    cmd->unchanged = true;
    if ((rc = hs_sess_models(app->sess, NULL, &recs, &n, &cmd->err)))
        return rc;
    if (n == 0) {
        fprintf(cmd->out, "no models yet (hepscope train NAME)\n");
        hs_model_recs_free(recs, n);
        return outputs_list(cmd, app, false);
    }
    hs_grid_init(&g, 6);
    rc = hs_grid_add(&g, head, NULL);
    for (size_t i = 0; i < n && rc == HS_OK; i++) {
        char in[HS_NUM_BUF], auc[HS_NUM_BUF], lay[128];
        const char *cells[6] = {recs[i].name, recs[i].dataset, in, lay, auc, recs[i].created};
        snprintf(in, sizeof in, "%zu", recs[i].nfeatures);
        snprintf(auc, sizeof auc, "%.4f", recs[i].test_auc);
        shape_of(&recs[i], lay, sizeof lay);
        rc = hs_grid_add(&g, cells, isnum);
    }
    rc = hs_cmd_print_grid(cmd, &g, rc);
    hs_model_recs_free(recs, n);
    return rc ? rc : outputs_list(cmd, app, true);
}

/* "selection: --where 'doca < 0.01'": the stored selection as typed
 * (read back from the stored options), or "selection: all events". */
static void
print_selection(FILE *out, const struct hs_model_rec *rec)
{
    struct hs_train_opts o;
    struct hs_err err;
    char *w[4];
    int n = 0;

    if (hs_train_opts_parse_line(rec->options, rec->kind, &o, &err) != HS_OK) {
        fprintf(out, "selection: ? (%s)\n", err.msg);
        return;
    }
    if (o.where) {
        w[n++] = "--where";
        w[n++] = o.where;
    }
    if (o.cut) {
        w[n++] = "--cut";
        w[n++] = o.cut;
    }
    if (n) {
        char *line = hs_cmd_join(n, w);
        fprintf(out, "selection: %s\n", line ? line : "?");
        free(line);
    } else {
        fprintf(out, "selection: all events\n");
    }
    hs_train_opts_release(&o);
}

static int output_show(struct hs_cmd *cmd, struct hs_app *app, const char *name);

static int
model_show(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_model_rec rec = {0};
    struct hs_model *m = NULL;
    const char **names = NULL;
    char shape[256], *details = NULL;
    struct hs_grid g;
    FILE *out = cmd->out;
    int rc;

    cmd->unchanged = true;
    /* Not a model: a projection or clustering of that name, which
     * `model list` shows beside the models. */
    if ((rc = hs_sess_model_open(app->sess, cmd->argv[1], &rec, &m, &cmd->err)))
        return rc == HS_ENOTFOUND ? output_show(cmd, app, cmd->argv[1]) : rc;
    hs_model_describe(m, shape, sizeof shape);
    fprintf(out, "model '%s' (%s: %s), trained on '%s', %s\n", rec.name, rec.kind, shape,
            rec.dataset, rec.created ? rec.created : "");
    fprintf(out, "options: %s\n", rec.options);
    print_selection(out, &rec);
    fprintf(out, "split: %g/%g/%g (train/val/test), seed %llu\n", rec.split_frac[0],
            rec.split_frac[1], rec.split_frac[2], (unsigned long long)rec.split_seed);
    if (rec.train_group)
        fprintf(out, "signal trained on: group %s only\n", rec.train_group);
    if (rec.nepochs)
        fprintf(out, "best epoch %zu of %zu; imputed inputs in training: %zu\n", rec.best_epoch,
                rec.nepochs, rec.nimputed);
    else
        fprintf(out, "imputed inputs in training: %zu\n", rec.nimputed);
    fprintf(out, "test AUC %.10g, background efficiency at 95%% signal efficiency %.6g\n",
            rec.test_auc, rec.test_bkg95);
    fprintf(out, "inputs (%zu):\n", rec.nfeatures);
    {
        static const char *const head[] = {"#", "name", "expression"};
        static const bool isnum[] = {true, false, false};
        hs_grid_init(&g, 3);
        rc = hs_grid_add(&g, head, NULL);
        for (size_t i = 0; i < rec.nfeatures && rc == HS_OK; i++) {
            char k[HS_NUM_BUF];
            const char *cells[3] = {k, rec.features[i].name,
                                    rec.features[i].expr ? rec.features[i].expr : "(column)"};
            snprintf(k, sizeof k, "%zu", i + 1);
            rc = hs_grid_add(&g, cells, isnum);
        }
        if ((rc = hs_cmd_print_grid(cmd, &g, rc)))
            goto done;
    }
    if (!(names = calloc(rec.nfeatures + 1, sizeof *names))) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    for (size_t i = 0; i < rec.nfeatures; i++)
        names[i] = rec.features[i].name;
    if ((rc = hs_model_details(m, names, &details, &cmd->err)))
        goto done;
    if (details)
        fputs(details, out);
    if (!rec.nepochs)
        goto done;
    fprintf(out, "training curve:\n");
    {
        static const char *const head[] = {"epoch", "loss", "val loss", "val AUC", "seconds",
                                           "lr"};
        static const bool isnum[] = {true, true, true, true, true, true};
        hs_grid_init(&g, 6);
        rc = hs_grid_add(&g, head, NULL);
        for (size_t i = 0; i < rec.nepochs && rc == HS_OK; i++) {
            const struct hs_epoch_info *e = &rec.curve[i];
            char b[6][HS_NUM_BUF];
            const char *cells[6] = {b[0], b[1], b[2], b[3], b[4], b[5]};
            snprintf(b[0], sizeof b[0], "%zu%s", e->epoch, e->epoch == rec.best_epoch ? "*" : "");
            snprintf(b[1], sizeof b[1], "%.5f", e->loss);
            snprintf(b[2], sizeof b[2], "%.5f", e->val_loss);
            snprintf(b[3], sizeof b[3], "%.4f", e->val_auc);
            snprintf(b[4], sizeof b[4], "%.2f", e->seconds);
            hs_num_format(e->lr, b[5]);
            rc = hs_grid_add(&g, cells, isnum);
        }
        rc = hs_cmd_print_grid(cmd, &g, rc);
    }
    if (rc == HS_OK)
        fprintf(out, "(* the best epoch, whose weights are kept)\n");
done:
    hs_free(details);
    free(names);
    hs_model_free(m);
    hs_model_rec_release(&rec);
    return rc;
}

static int
model_export(struct hs_cmd *cmd, struct hs_app *app)
{
    const char *path = hs_cmd_opt(cmd, "output"), *func = hs_cmd_opt(cmd, "function");
    struct hs_model_rec rec = {0};
    struct hs_model *m = NULL;
    const char **names = NULL;
    char *src = NULL, *fname = NULL;
    struct hs_out_file of;
    int rc;

    cmd->unchanged = true;
    if ((rc = hs_sess_model_open(app->sess, cmd->argv[1], &rec, &m, &cmd->err)))
        return rc;
    if (!func) {
        size_t len = strlen(rec.name) + 16;
        if (!(fname = malloc(len))) {
            rc = hs_cmd_nomem(cmd);
            goto done;
        }
        snprintf(fname, len, "hepscope_%s", rec.name);
        func = fname;
    }
    if (!(names = calloc(rec.nfeatures + 1, sizeof *names))) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    for (size_t i = 0; i < rec.nfeatures; i++)
        names[i] = rec.features[i].name;
    if ((rc = hs_model_export_c(m, names, func, &src, &cmd->err)) ||
        (rc = hs_out_open(cmd, path, &of)))
        goto done;
    fputs(src, of.fp);
    /* The derived inputs' expressions: the caller computes them. */
    for (size_t i = 0; i < rec.nfeatures; i++)
        if (rec.features[i].expr)
            fprintf(of.fp, "/* input %zu '%s' is derived: %s */\n", i, rec.features[i].name,
                    rec.features[i].expr);
    rc = hs_out_close(cmd, &of, HS_OK);
    if (rc == HS_OK && strcmp(path, "-") != 0)
        fprintf(cmd->out, "wrote model '%s' as C function %s (%zu inputs) to %s\n", rec.name,
                func, rec.nfeatures, path);
done:
    hs_free(src);
    hs_model_free(m);
    free(names);
    free(fname);
    hs_model_rec_release(&rec);
    return rc;
}

static int
export_check(struct hs_cmd *cmd)
{
    const char *as = hs_cmd_opt(cmd, "as"), *func = hs_cmd_opt(cmd, "function");

    if (!as || strcmp(as, "c") != 0)
        return hs_err_set(&cmd->err, HS_EUSAGE, "model export wants --as c%s%s%s",
                          as ? ", not '" : "", as ? as : "", as ? "'" : "");
    if (!hs_cmd_opt(cmd, "output"))
        return hs_err_set(&cmd->err, HS_EUSAGE, "model export wants -o FILE.c");
    if (func && !hs_name_is_identifier(func))
        return hs_err_set(&cmd->err, HS_EUSAGE, "--function '%s' is not a C identifier", func);
    return HS_OK;
}

/* The dataset whose stored output is called name: --dataset's when
 * given, else the only one that has one of that name.  HS_ENOTFOUND (the
 * model's message kept, the outputs' appended) or HS_EUSAGE when several
 * datasets have one. */
static int
output_dataset(struct hs_cmd *cmd, struct hs_app *app, const char *name, char **dataset)
{
    struct hs_output_rec *recs = NULL;
    size_t n = 0, found = 0;
    char where[200] = "";
    int rc;

    *dataset = NULL;
    if ((rc = hs_sess_outputs_all(app->sess, &recs, &n, &cmd->err)))
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(recs[i].name, name) != 0 ||
            (app->dataset && strcmp(recs[i].dataset, app->dataset) != 0))
            continue;
        size_t len = strlen(where);
        snprintf(where + len, sizeof where - len, "%s'%s'", found ? ", " : "", recs[i].dataset);
        if (found++ == 0 && !(*dataset = strdup(recs[i].dataset)))
            rc = hs_cmd_nomem(cmd);
    }
    hs_output_recs_free(recs, n);
    if (rc)
        return rc;
    if (found == 0) {
        size_t len = strlen(cmd->err.msg);
        snprintf(cmd->err.msg + len, sizeof cmd->err.msg - len,
                 "; no projection or clustering%s%s%s either ('model list' shows them all)",
                 app->dataset ? " of dataset '" : "", app->dataset ? app->dataset : "",
                 app->dataset ? "'" : "");
        return cmd->err.code = HS_ENOTFOUND;
    }
    if (found > 1) {
        free(*dataset);
        *dataset = NULL;
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "'%s' is a projection or clustering of datasets %s: name one with "
                          "--dataset",
                          name, where);
    }
    return HS_OK;
}

/* `model show` of a projection or clustering: its method and options,
 * inputs, selection, events fitted, columns and the figures of its
 * quality as stored. */
static int
output_show(struct hs_cmd *cmd, struct hs_app *app, const char *name)
{
    struct hs_output_rec rec = {0};
    char *dataset = NULL;
    int rc;

    if ((rc = output_dataset(cmd, app, name, &dataset)))
        return rc;
    hs_err_clear(&cmd->err);
    if ((rc = hs_sess_output_load(app->sess, dataset, name, false, &rec, &cmd->err)) == HS_OK) {
        FILE *out = cmd->out;
        char *cols = names_joined(rec.colnames, rec.ncols);
        fprintf(out, "%s '%s' (%s) of dataset '%s', %s\n",
                rec.kind == HS_OUTPUT_CLUSTERING ? "clustering" : "projection", name, rec.method,
                dataset, rec.created ? rec.created : "");
        fprintf(out, "options: %s\n", rec.options && *rec.options ? rec.options : "(defaults)");
        fprintf(out, "inputs: %s\n", rec.features ? rec.features : "?");
        if (rec.selection && *rec.selection) {
            char *w[2] = {"--where", rec.selection}, *line = hs_cmd_join(2, w);
            fprintf(out, "selection: %s\n", line ? line : "?");
            free(line);
        } else {
            fprintf(out, "selection: all events\n");
        }
        fprintf(out, "events fitted: %zu of %zu\n", rec.nfitted, rec.nevents);
        fprintf(out, "column%s: %s\n", rec.ncols == 1 ? "" : "s", cols ? cols : "?");
        fprintf(out, "quality: %s\n", rec.figures ? rec.figures : "none stored");
        free(cols);
    }
    hs_output_rec_release(&rec);
    free(dataset);
    return rc;
}

/* A model, else a stored projection or clustering (and its columns). */
static int
model_drop(struct hs_cmd *cmd, struct hs_app *app)
{
    const char *name = cmd->argv[1];
    struct hs_output_rec rec = {0};
    char *dataset = NULL;
    int rc;

    if ((rc = hs_cmd_begin(cmd, app)))
        return rc;
    if ((rc = hs_sess_model_drop(app->sess, name, &cmd->err)) == HS_OK) {
        fprintf(cmd->out, "dropped model '%s'\n", name);
        return HS_OK;
    }
    if (rc != HS_ENOTFOUND || (rc = output_dataset(cmd, app, name, &dataset)))
        return rc;
    hs_err_clear(&cmd->err);
    if ((rc = hs_sess_output_load(app->sess, dataset, name, false, &rec, &cmd->err)) == HS_OK &&
        (rc = hs_sess_output_drop(app->sess, dataset, name, &cmd->err)) == HS_OK) {
        char *cols = names_joined(rec.colnames, rec.ncols);
        fprintf(cmd->out, "dropped %s '%s' of dataset '%s' (column%s %s)\n",
                rec.kind == HS_OUTPUT_CLUSTERING ? "clustering" : "projection", name, dataset,
                rec.ncols == 1 ? "" : "s", cols ? cols : "?");
        free(cols);
        cmd->changes = HS_CHANGE_FEATURES;
    }
    hs_output_rec_release(&rec);
    free(dataset);
    return rc;
}

/* Each action is a command of its own ("model show"), its action the
 * first argument (the journal reads `model drop NAME` as before). */
static const struct hs_opt_spec export_opts[] = {
    {"as", 0, HS_OPT_VALUE, "LANG", "the language, c"},
    {"output", 'o', HS_OPT_VALUE, "FILE", "the file to write"},
    {"function", 0, HS_OPT_VALUE, "NAME", "the C function's name (hepscope_MODEL)"},
    {0},
};

static const struct hs_opt_spec no_opts[] = {{0}};

static const struct hs_cmd_entry model_export_entry = {
    .name = "model export",
    .usage = "NAME --as c -o FILE.c [--function NAME]",
    .summary = "a model's score as a dependency-free C function",
    .opts = export_opts,
    .min_args = 2,
    .max_args = 2,
    .exec = model_export,
    .check = export_check,
};

static const struct hs_cmd_entry model_list_entry = {
    .name = "model list",
    .usage = "",
    .summary = "the session's models, and the stored projections and clusterings",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .exec = model_list,
};

static const struct hs_cmd_entry model_show_entry = {
    .name = "model show",
    .usage = "NAME",
    .summary = "a model: options, selection, inputs, what its method says, training curve; "
               "or a projection or clustering: method, options, inputs, columns, quality",
    .opts = no_opts,
    .min_args = 2,
    .max_args = 2,
    .exec = model_show,
};

static const struct hs_cmd_entry model_drop_entry = {
    .name = "model drop",
    .usage = "NAME",
    .summary = "delete a model, or a stored projection or clustering (and their learned "
               "columns)",
    .opts = no_opts,
    .min_args = 2,
    .max_args = 2,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN,
    .changes = HS_CHANGE_MODELS,
    .exec = model_drop,
};

/* ---- methods -------------------------------------------------------- */

static const char *
type_name(enum hs_param_type t)
{
    static const char *const names[] = {
        [HS_PARAM_INT] = "int",     [HS_PARAM_REAL] = "real",  [HS_PARAM_SEED] = "seed",
        [HS_PARAM_CHOICE] = "choice", [HS_PARAM_FLAG] = "flag", [HS_PARAM_INTS] = "ints",
        [HS_PARAM_REALS] = "reals",
    };
    return names[t];
}

/* What a parameter accepts: "1 to 4096", "[0, 1)", "relu|tanh|...". */
static void
accepts(const struct hs_param_spec *p, char *buf, size_t size)
{
    char lo[HS_NUM_BUF], hi[HS_NUM_BUF];
    size_t len = 0;

    buf[0] = '\0';
    if (p->type == HS_PARAM_CHOICE) {
        for (size_t i = 0; p->choices[i] && len < size; i++)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? "|" : "", p->choices[i]);
        return;
    }
    if (p->type == HS_PARAM_FLAG || p->type == HS_PARAM_SEED)
        return;
    hs_num_format(p->min, lo);
    hs_num_format(p->max, hi);
    snprintf(buf, size, p->max_open ? "[%s, %s)" : "[%s, %s]", lo, hi);
}

/* The command that runs a method, and what its group is called. */
static const char *
method_verb(const struct hs_method *m)
{
    unsigned p = hs_method_primary(m);
    return p == HS_METHOD_SCORE ? "train" : p == HS_METHOD_CLUSTER ? "cluster" : "project";
}

static const char *
method_group(const struct hs_method *m)
{
    unsigned p = hs_method_primary(m);
    return p == HS_METHOD_SCORE     ? "classifiers"
           : p == HS_METHOD_CLUSTER ? "clusterings"
                                    : "projections";
}

static int
methods_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    const struct hs_method *const *all = hs_methods(), *one = NULL;
    bool csv = hs_cmd_flag(cmd, "csv");
    FILE *out = cmd->out;
    int rc;

    (void)app;
    if (cmd->argc && (rc = hs_method_lookup(cmd->argv[0], &one, &cmd->err)))
        return rc;
    if (csv)
        fputs("method,parameter,type,default,accepts,help\n", out);
    for (size_t i = 0; all[i]; i++) {
        const struct hs_method *m = all[i];
        if (one && m != one)
            continue;
        if (!csv && !one) {
            /* Grouped by the command that runs them, in the list's order. */
            if (i == 0 || method_verb(all[i - 1]) != method_verb(m))
                fprintf(out, "%s%s (hepscope %s%s):\n", i ? "\n" : "", method_group(m),
                        method_verb(m),
                        hs_method_primary(m) == HS_METHOD_SCORE ? " --method M" : " M NAME");
            fprintf(out, "  %-8s  %s\n", m->name, m->summary);
            continue;
        }
        if (!csv && hs_method_primary(m) == HS_METHOD_SCORE)
            fprintf(out, "%s: %s\noptions of 'train --method %s':\n", m->name, m->summary,
                    m->name);
        else if (!csv)
            fprintf(out, "%s: %s\noptions of '%s %s NAME':\n", m->name, m->summary,
                    method_verb(m), m->name);
        for (const struct hs_param_spec *p = m->params; p && p->name; p++) {
            char acc[256], help[320], lhs[64];
            accepts(p, acc, sizeof acc);
            if (csv) {
                const char *cells[6] = {m->name, p->name, type_name(p->type), p->def, acc,
                                        p->help};
                for (int k = 0; k < 6; k++) {
                    hs_grid_csv_cell(out, cells[k] ? cells[k] : "", false);
                    fputc(k < 5 ? ',' : '\n', out);
                }
                continue;
            }
            hs_param_help(p, help, sizeof help);
            snprintf(lhs, sizeof lhs, "--%s%s%s", p->name, p->metavar ? " " : "",
                     p->metavar ? p->metavar : "");
            fprintf(out, "  %-24s  %s\n", lhs, help);
        }
    }
    if (!csv && !one)
        fprintf(out, "\n'hepscope methods NAME' lists a method's options and their defaults.\n");
    return HS_OK;
}

static const struct hs_opt_spec methods_opts[] = {
    {"csv", 0, HS_OPT_FLAG, NULL,
     "every parameter as CSV: method, parameter, type, default, accepts, help"},
    {0},
};

static const struct hs_cmd_entry methods_entry = {
    .name = "methods",
    .alias = NULL,
    .usage = "[NAME] [--csv]",
    .summary = "the learning methods and their options, with defaults",
    .opts = methods_opts,
    .min_args = 0,
    .max_args = 1,
    .flags = HS_CMD_NO_SESSION,
    .exec = methods_exec,
};

const struct hs_cmd_entry *const hs_cmd_model_entries[] = {
    &model_export_entry, &model_list_entry, &model_show_entry, &model_drop_entry, &methods_entry,
    NULL,
};

/* cmd-train.c: training and evaluating classifiers from the command line.
 *
 *   train NAME [--method M] [its options] [--folds K] [--where E] ...
 *                                                 train, evaluate, store
 *   score NAME -o FILE.csv                         a model's scores as CSV
 *   overtrain NAME [-o FILE] [--bins N] [--log]    TMVA's overtraining check
 *   groups NAME [-o FILE] [--transfer] [--csv]     per signal group (mass),
 *                                                  AUC with DeLong's s.e.
 *
 * The work is in ui/train.c (shared with the TUI), the method layer
 * (src/method.h) and src/eval.c; this file reads the words and writes the
 * tables.  The stored models' own commands are in ui/cmd-model.c.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "method.h"
#include "model.h"
#include "names.h"
#include "numparse.h"
#include "sessions/models.h"
#include "sessions/results.h"
#include "split.h"
#include "ui/analysis.h"
#include "ui/cmd.h"
#include "ui/export.h"
#include "ui/grid.h"
#include "ui/loaded.h"
#include "ui/axislabel.h"
#include "ui/plot.h"
#include "ui/select.h"
#include "ui/train.h"

/* ---- shared pieces ---------------------------------------------------- */

static int
check_name(struct hs_cmd *cmd, const char *name)
{
    if (!hs_name_is_identifier(name))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "model name '%s': letters, digits and '_', not starting with a digit",
                          name);
    return HS_OK;
}

/* A 4-digit cell, or "-". */
static const char *
cell4(double x, char buf[HS_NUM_BUF])
{
    hs_grid_num4(x, buf);
    return buf;
}

/* The model and the dataset's split; the split is made when missing
 * (stored in the command's transaction, said on cmd->out). */
static int
load_model_split(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
                 struct hs_model_rec *rec, struct hs_split *sp)
{
    bool made = false;
    int rc;

    if ((rc = hs_sess_model_load(app->sess, cmd->argv[0], rec, &cmd->err)))
        return rc;
    if ((rc = hs_loaded_open(cmd, app, ld)))
        return rc;
    if (!hs_table_label(ld->t))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "dataset '%s' has no label: the check needs signal and background",
                          cmd->dataset);
    rc = hs_analysis_split_say(cmd, app, ld->t, sp, &made);
    if (rc == HS_OK && !made)
        cmd->unchanged = true;
    if (rc == HS_OK && strcmp(rec->dataset, cmd->dataset) != 0) {
        hs_cmd_output_begin(cmd);
        fprintf(cmd->out,
                "note: model '%s' was trained on '%s'; its 'train' part here is '%s''s\n",
                rec->name, rec->dataset, cmd->dataset);
    }
    return rc;
}

/* ---- train -------------------------------------------------------------- */

struct epoch_printer {
    struct hs_cmd *cmd;
    bool header;
};

static void
print_epoch(void *user, const struct hs_epoch_info *e)
{
    struct epoch_printer *p = user;
    FILE *out = p->cmd->out;

    hs_cmd_output_begin(p->cmd);
    if (!p->header) {
        fprintf(out, "epoch      loss  val loss  val AUC  seconds\n");
        p->header = true;
    }
    fprintf(out, "%5zu  %8.5f  %8.5f  %7.4f  %7.2f\n", e->epoch, e->loss, e->val_loss, e->val_auc,
            e->seconds);
    fflush(out);
}

/* --method names a classifier: projections and clusterings are methods
 * too, but score nothing, and have commands of their own. */
static int
check_classifier(struct hs_cmd *cmd)
{
    const char *name = hs_cmd_opt(cmd, "method");
    const struct hs_method *const *all = hs_methods(), *m = name ? hs_method_find(name) : NULL;
    char list[256];
    size_t len = 0, n = 0, k = 0;

    if (!name || (m && hs_method_primary(m) == HS_METHOD_SCORE))
        return HS_OK;
    if (m)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "--method %s is not a classifier: use 'hepscope %s %s NAME'", m->name,
                          hs_method_primary(m) == HS_METHOD_CLUSTER ? "cluster" : "project",
                          m->name);
    for (size_t i = 0; all[i]; i++)
        n += hs_method_primary(all[i]) == HS_METHOD_SCORE;
    list[0] = '\0';
    for (size_t i = 0; all[i] && len < sizeof list; i++) {
        if (hs_method_primary(all[i]) != HS_METHOD_SCORE)
            continue;
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                k == 0 ? "" : k == n - 1 ? " or " : ", ", all[i]->name);
        k++;
    }
    return hs_err_set(&cmd->err, HS_EUSAGE, "no method '%s': the methods are %s", name, list);
}

static int
train_check(struct hs_cmd *cmd)
{
    struct hs_train_opts o;
    int rc = check_name(cmd, cmd->argv[0]);

    if (rc || (rc = check_classifier(cmd)))
        return rc;
    rc = hs_train_opts_from_cmd(cmd, &o);
    hs_train_opts_release(&o);
    return rc;
}

static double
mean_of(const struct hs_eval_fold *f, size_t n, bool auc)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += auc ? f[i].auc : f[i].bkg95;
    return s / (double)n;
}

static double
sd_of(const struct hs_eval_fold *f, size_t n, bool auc)
{
    double m = mean_of(f, n, auc), s = 0;
    if (n < 2)
        return NAN;
    for (size_t i = 0; i < n; i++) {
        double d = (auc ? f[i].auc : f[i].bkg95) - m;
        s += d * d;
    }
    return sqrt(s / (double)(n - 1));
}

static int
print_folds(struct hs_cmd *cmd, const struct hs_eval_fold *f, size_t n, size_t k)
{
    static const char *const head[] = {"fold", "AUC", "bkg eff at 95% sig", "best epoch"};
    static const bool isnum[] = {true, true, true, true};
    struct hs_grid g;
    int rc;

    fprintf(cmd->out, "%zu-fold check on the training and validation events (%zu done), each "
                      "tested on the test part:\n", k, n);
    hs_grid_init(&g, 4);
    rc = hs_grid_add(&g, head, NULL);
    for (size_t i = 0; i < n && rc == HS_OK; i++) {
        char b[4][HS_NUM_BUF];
        const char *cells[4] = {b[0], b[1], b[2], b[3]};
        snprintf(b[0], sizeof b[0], "%zu", i + 1);
        snprintf(b[1], sizeof b[1], "%.4f", f[i].auc);
        snprintf(b[2], sizeof b[2], "%.4g", f[i].bkg95);
        snprintf(b[3], sizeof b[3], "%zu", f[i].best_epoch);
        rc = hs_grid_add(&g, cells, isnum);
    }
    if ((rc = hs_cmd_print_grid(cmd, &g, rc)))
        return rc;
    if (n)
        fprintf(cmd->out,
                "folds: AUC mean %.4f sd %.4f; bkg eff at 95%% sig eff mean %.4g sd %.4g\n",
                mean_of(f, n, true), sd_of(f, n, true), mean_of(f, n, false),
                sd_of(f, n, false));
    return HS_OK;
}

/* The job a front end's worker trained with exactly these options for
 * this model and dataset (the TUI's: ui/tui-train.c), moved into *job:
 * 1 when there was one, 0 when the command trains itself, or an error. */
static int
take_pending(struct hs_cmd *cmd, struct hs_app *app, const struct hs_train_opts *o,
             struct hs_train_job *job)
{
    char *key = hs_train_pending_key(cmd->argv[0], cmd->dataset, o);
    struct hs_train_job *pj;

    if (!key)
        return hs_cmd_nomem(cmd);
    pj = hs_app_pending_take(app, "train", key);
    free(key);
    if (!pj)
        return 0;
    *job = *pj;
    free(pj);
    return 1;
}

static int
train_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    const char *name = cmd->argv[0];
    struct hs_train_opts o;
    struct hs_train_job job = {0};
    struct hs_loaded ld = {0};
    struct hs_model_rec rec = {0};
    struct hs_eval_fold *folds = NULL;
    struct epoch_printer ep = {cmd, false};
    size_t nfolds = 0;
    bool cancelled = false;
    char desc[512];
    int rc;

    if ((rc = hs_train_opts_from_cmd(cmd, &o)))
        return rc;
    if (!o.replace) {
        rc = hs_sess_model_exists(app->sess, name, &cmd->err);
        if (rc == 1)
            rc = hs_err_set(&cmd->err, HS_EEXIST,
                            "model '%s' exists (--replace to train it again)", name);
        if (rc)
            goto done;
    }
    if ((rc = take_pending(cmd, app, &o, &job)) < 0)
        goto done;
    if (rc == 0) {
        if ((rc = hs_loaded_open(cmd, app, &ld)) ||
            (rc = hs_featureset_check_learned(&ld.fs, name, (const char *const *)o.features,
                                              o.nfeatures, &cmd->err)) ||
            (rc = hs_train_prepare(cmd, app, &ld, &o, &job)))
            goto done;
        job.threads = app->threads;
        job.on_epoch = print_epoch;
        job.on_epoch_user = &ep;
        hs_train_describe(&job, desc, sizeof desc);
        hs_cmd_output_begin(cmd);
        fprintf(cmd->out, "training '%s' on '%s': %zu inputs, %s\n", name, cmd->dataset, job.nin,
                desc);
        fflush(cmd->out);
        if ((rc = hs_train_run(&job, &cmd->task, &cmd->err)))
            goto done;
    }
    rc = HS_OK;
    cancelled = job.res.cancelled;
    /* The cancel was honoured by keeping the best epoch: what follows
     * (scoring, storing) must not see the flag, or the store is undone. */
    if (cancelled)
        atomic_store(&app->cancel, 0);
    if (!job.score && (rc = hs_train_evaluate(&job, &cmd->task, &cmd->err)))
        goto done;
    hs_cmd_output_begin(cmd);
    if (hs_train_summary(cmd->out, name, &job))
        rc = hs_cmd_nomem(cmd);
    if (rc)
        goto done;
    if (o.folds >= 2 && !cancelled) {
        if (!(folds = calloc(o.folds, sizeof *folds))) {
            rc = hs_cmd_nomem(cmd);
            goto done;
        }
        job.on_epoch = NULL;
        rc = hs_train_folds(&job, o.folds, folds, &nfolds, &cmd->task, &cmd->err);
        hs_cmd_output_begin(cmd);
        if (rc == HS_ECANCELLED) {
            atomic_store(&app->cancel, 0);
            fprintf(cmd->out, "folds cancelled after %zu of %zu\n", nfolds, o.folds);
            cancelled = true;
            rc = HS_OK;
        }
        if (rc || (rc = print_folds(cmd, folds, nfolds, o.folds)))
            goto done;
    }
    if ((rc = hs_train_to_record(&job, name, cmd->dataset, &rec, &cmd->err)) ||
        (rc = hs_cmd_begin(cmd, app)) ||
        (rc = hs_sess_model_save(app->sess, &rec, o.replace, &cmd->err)))
        goto done;
    if (cancelled && job.res.nepochs)
        fprintf(cmd->out, "cancelled: stored model '%s' as it was at its best epoch (%zu)\n", name,
                job.res.best_epoch);
    else if (cancelled)
        fprintf(cmd->out, "cancelled: stored model '%s' as it was when stopped\n", name);
    else
        fprintf(cmd->out, "stored model '%s'\n", name);
done:
    free(folds);
    hs_model_rec_release(&rec);
    hs_train_job_release(&job);
    hs_loaded_close(&ld);
    hs_train_opts_release(&o);
    return rc;
}

static const struct hs_cmd_entry train_entry = {
    .name = "train",
    .alias = NULL,
    .usage = "NAME [--method M] [the method's options] [--features F,G,...] [--one-hot] "
             "[--train-group M] [--folds K] [--replace] " HS_SELECT_USAGE,
    .summary = "train a classifier (a network, Fisher's discriminant, boosted trees) or an "
               "autoencoder on the split's training part and store it",
    .opts = hs_train_opt_specs,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET | HS_CMD_METHOD_PARAMS,
    .changes = HS_CHANGE_MODELS,
    .method_outputs = HS_METHOD_SCORE,
    .exec = train_exec,
    .check = train_check,
};

/* ---- score ---------------------------------------------------------- */

static int
score_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    static const char *const pname[] = {"train", "val", "test"};
    const char *path = hs_cmd_opt(cmd, "output");
    struct hs_model_rec rec = {0};
    struct hs_loaded ld = {0};
    struct hs_split sp = {0};
    struct hs_out_file of;
    struct hs_select sel = {0};
    double *score = NULL;
    const double *label;
    bool have_split = false;
    int rc;

    if (!path)
        return hs_err_set(&cmd->err, HS_EUSAGE, "score wants -o FILE.csv (or -o - for stdout)");
    if ((rc = hs_sess_model_load(app->sess, cmd->argv[0], &rec, &cmd->err)) ||
        (rc = hs_loaded_open(cmd, app, &ld)))
        goto done;
    rc = hs_sess_split_load(app->sess, cmd->dataset, &sp, &cmd->err);
    if (rc == HS_ENOTFOUND) {
        hs_err_clear(&cmd->err);
        rc = HS_OK;
    } else if (rc == HS_OK) {
        have_split = sp.n == ld.t->nrows;
    }
    if (rc || (rc = hs_select_init(cmd, app, &ld.fs, &sel)) ||
        (rc = hs_analysis_model_scores(&ld.fs, &rec, &score, &cmd->task, &cmd->err)))
        goto done;
    label = hs_table_label(ld.t);
    if ((rc = hs_out_open(cmd, path, &of)))
        goto done;
    fputs("row,label,part,score\n", of.fp);
    for (size_t i = 0; i < ld.t->nrows; i++) {
        if (sel.active && !sel.mask[i])
            continue;
        char s[HS_NUM_BUF];
        const char *lab = "";
        if (label && label[i] == 1)
            lab = "1";
        else if (label && label[i] == 0)
            lab = "0";
        hs_grid_num_exact(score[i], s);
        fprintf(of.fp, "%zu,%s,%s,%s\n", i, lab,
                have_split && sp.part[i] < 3 ? pname[sp.part[i]] : "", s);
    }
    rc = hs_out_close(cmd, &of, HS_OK);
    if (rc == HS_OK && strcmp(path, "-") != 0) {
        hs_cmd_output_begin(cmd);
        fprintf(cmd->out, "wrote the scores of model '%s' for %zu events of '%s' to %s\n",
                rec.name, sel.nsel, cmd->dataset, path);
        hs_select_say(cmd, &sel);
    }
done:
    hs_select_release(&sel);
    free(score);
    hs_split_release(&sp);
    hs_model_rec_release(&rec);
    hs_loaded_close(&ld);
    return rc;
}

static const struct hs_opt_spec score_opts[] = {
    {"output", 'o', HS_OPT_VALUE, "FILE", "the CSV file (row,label,part,score); - for stdout"},
    HS_SELECT_OPTS,
    {0},
};

static const struct hs_cmd_entry score_entry = {
    .name = "score",
    .alias = NULL,
    .usage = "NAME -o FILE.csv " HS_SELECT_USAGE,
    .summary = "a model's score of every event of a dataset, as CSV",
    .opts = score_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_DATASET,
    .exec = score_exec,
};

/* ---- overtrain ---------------------------------------------------------- */

static int
overtrain_check(struct hs_cmd *cmd)
{
    size_t bins = 40;
    int rc = hs_plot_check_output(cmd);

    return rc ? rc : hs_cmd_opt_count(cmd, "bins", 2, 1000, &bins);
}

static int
overtrain_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_model_rec rec = {0};
    struct hs_loaded ld = {0};
    struct hs_split sp = {0};
    struct hs_eval ev;
    struct hs_select sel = {0};
    struct hs_figure *fig = NULL;
    unsigned char *trm = NULL, *tem = NULL;
    double *score = NULL;
    size_t bins = 40, ntr = 0, nte = 0;
    char title[256];
    int rc;

    if ((rc = hs_cmd_opt_count(cmd, "bins", 2, 1000, &bins)) ||
        (rc = load_model_split(cmd, app, &ld, &rec, &sp)) ||
        (rc = hs_select_init(cmd, app, &ld.fs, &sel)) ||
        (rc = hs_analysis_model_scores(&ld.fs, &rec, &score, &cmd->task, &cmd->err)) ||
        (rc = hs_train_model_masks(ld.t, &sp, &rec, &trm, &tem, &cmd->err)) ||
        (rc = hs_select_and(cmd, &sel, &trm, &ntr, "the training part")) ||
        (rc = hs_select_and(cmd, &sel, &tem, &nte, "the test part")) ||
        (rc = hs_eval_scores(score, hs_table_label(ld.t), hs_table_weight(ld.t), trm, tem,
                             ld.t->nrows, &ev, &cmd->task, &cmd->err)))
        goto done;
    ntr = nte = 0;
    for (size_t i = 0; i < ld.t->nrows; i++) {
        ntr += trm[i];
        nte += tem[i];
    }
    snprintf(title, sizeof title, "overtraining check: model '%s' on '%s'", rec.name,
             cmd->dataset);
    if ((rc = hs_train_overtrain_figure(score, hs_table_label(ld.t), hs_table_weight(ld.t), trm,
                                        tem, ld.t->nrows, bins, &ev, title, &fig, &cmd->err)))
        goto done;
    /* A log axis shows the tails, where overtraining shows first; empty
     * bins are left out on it. */
    if (hs_cmd_flag(cmd, "log"))
        fig->main.y.scale = HS_AXIS_LOG;
    if ((rc = hs_select_figure(cmd, &sel, fig, false)) || (rc = hs_plot_out(cmd, fig)))
        goto done;
    hs_cmd_output_begin(cmd);
    fprintf(cmd->out,
            "overtraining check of model '%s' on '%s': classifier output, train (%zu events) "
            "vs test (%zu events)\n",
            rec.name, cmd->dataset, ntr, nte);
    hs_select_say(cmd, &sel);
    {
        static const char *const head[] = {"class", "KS D", "KS p-value"};
        static const bool isnum[] = {false, true, true};
        struct hs_grid g;
        hs_grid_init(&g, 3);
        rc = hs_grid_add(&g, head, NULL);
        for (int c = 0; c < 2 && rc == HS_OK; c++) {
            char d[HS_NUM_BUF], p[HS_NUM_BUF];
            const char *cells[3] = {c == 0 ? "signal" : "background", d, p};
            snprintf(d, sizeof d, "%.4f", ev.ks_d[c]);
            snprintf(p, sizeof p, "%.4f", ev.ks_p[c]);
            rc = hs_grid_add(&g, cells, isnum);
        }
        rc = hs_cmd_print_grid(cmd, &g, rc);
    }
    if (rc == HS_OK)
        fprintf(cmd->out, "test AUC %.4f \u00b1 %.2g (DeLong s.e.), train AUC %.4f%s\n",
                ev.test_auc, ev.test_auc_se, ev.train_auc,
                (ev.ks_p[0] < 0.01 || ev.ks_p[1] < 0.01)
                    ? ": a p-value below 0.01 hints at overtraining"
                    : "");
done:
    hs_select_release(&sel);
    hs_figure_free(fig);
    free(trm);
    free(tem);
    free(score);
    hs_split_release(&sp);
    hs_model_rec_release(&rec);
    hs_loaded_close(&ld);
    return rc;
}

static const struct hs_opt_spec overtrain_opts[] = {
    HS_FIGURE_OPTS,
    {"bins", 0, HS_OPT_VALUE, "N", "bins of the output histograms (40)"},
    {"log", 0, HS_OPT_FLAG, NULL, "a log y axis: the tails of the outputs"},
    HS_SELECT_OPTS,
    {0},
};

static const struct hs_cmd_entry overtrain_entry = {
    .name = "overtrain",
    .alias = NULL,
    .usage = "NAME [-o FILE.png|.svg|.pdf] [--bins N] [--log] " HS_SELECT_USAGE,
    .summary = "overtraining check: output on train vs test events, Kolmogorov-Smirnov p-values",
    .opts = overtrain_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET,
    .changes = HS_CHANGE_SPLIT,
    .exec = overtrain_exec,
    .check = overtrain_check,
};

/* ---- groups ------------------------------------------------------------- */

static int
groups_table(struct hs_cmd *cmd, const struct hs_group_set *g, const double *auc,
             const double *b95, const double *se)
{
    static const char *const head[] = {"group", "signal events", "AUC", "bkg eff at 95% sig",
                                       "AUC s.e. (DeLong)"};
    static const bool isnum[] = {false, true, true, true, true};
    struct hs_grid gr;
    int rc;

    if (hs_cmd_flag(cmd, "csv")) {
        fputs("group,nsig,auc,bkg_eff_95,auc_se\n", cmd->out);
        for (size_t k = 0; k < g->n; k++) {
            char a[HS_NUM_BUF], b[HS_NUM_BUF], e[HS_NUM_BUF];
            hs_grid_num_exact(auc[k], a);
            hs_grid_num_exact(b95[k], b);
            hs_grid_num_exact(se[k], e);
            hs_grid_csv_cell(cmd->out, g->name[k], false);
            fprintf(cmd->out, ",%zu,%s,%s,%s\n", g->nsig[k], a, b, e);
        }
        return HS_OK;
    }
    hs_grid_init(&gr, 5);
    rc = hs_grid_add(&gr, head, NULL);
    for (size_t k = 0; k < g->n && rc == HS_OK; k++) {
        char b[4][HS_NUM_BUF];
        const char *cells[5] = {g->name[k], b[0], cell4(auc[k], b[1]), cell4(b95[k], b[2]),
                                cell4(se[k], b[3])};
        snprintf(b[0], sizeof b[0], "%zu", g->nsig[k]);
        rc = hs_grid_add(&gr, cells, isnum);
    }
    return hs_cmd_print_grid(cmd, &gr, rc);
}

/* AUC against the group (numbers) or its index (text) as a figure, with
 * DeLong's standard errors as error bars. */
static int
groups_figure(struct hs_cmd *cmd, struct hs_app *app, const struct hs_table *t,
              const struct hs_group_set *g, const double *auc, const double *se, const char *se_note, const char *model)
{
    struct hs_figure *f = NULL;
    double *x = malloc((g->n + 1) * sizeof *x);
    bool text = hs_table_group(t)->kind == HS_COL_TEXT;
    char title[256];
    struct hs_featlabel lab;
    int rc;

    if (!x)
        return hs_cmd_nomem(cmd);
    for (size_t k = 0; k < g->n; k++)
        x[k] = text ? (double)k : g->code[k];
    snprintf(title, sizeof title, "model '%s' per signal group, test part of '%s'", model,
             cmd->dataset);
    /* The group column's axis label and unit ("HNL mass [GeV]"). */
    if ((rc = hs_featlabel_get(app->sess, cmd->dataset, hs_table_group(t)->name, &lab,
                               &cmd->err)) == HS_OK &&
        (rc = hs_train_groups_figure(x, auc, se, g->n, true, title, lab.axis, se_note, &f,
                                     &cmd->err)) == HS_OK)
        rc = hs_plot_out(cmd, f);
    hs_figure_free(f);
    free(x);
    return rc;
}

struct group_progress {
    const struct hs_task *outer;
    size_t k, n;
    const char *name;
};

static void
group_progress(void *user, double fraction, const char *what)
{
    struct group_progress *gp = user;
    char buf[160];

    snprintf(buf, sizeof buf, "group %s (%zu/%zu): %s", gp->name, gp->k + 1, gp->n,
             what ? what : "");
    hs_task_progress(gp->outer, fraction < 0 ? -1 : ((double)gp->k + fraction) / (double)gp->n,
                     buf);
}

/* Train one model per group with the stored model's options (its
 * selection too) and inputs, and test each on every group over tem (the
 * test part, within this command's selection): auc[row trained * n +
 * column tested]. */
static int
groups_transfer(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
                const struct hs_model_rec *rec, const struct hs_split *sp,
                const struct hs_group_set *g, const unsigned char *tem, double *mat)
{
    struct hs_train_opts o;
    struct hs_train_job job = {0};
    double *b95 = malloc((g->n + 1) * sizeof *b95);
    int rc;

    if (!b95)
        return hs_cmd_nomem(cmd);
    if ((rc = hs_train_opts_parse_line(rec->options, rec->kind, &o, &cmd->err))) {
        hs_err_prefix(&cmd->err, "model '%s': its options", rec->name);
        free(b95);
        return rc;
    }
    for (size_t i = 0; i < o.nfeatures; i++)
        free(o.features[i]);
    free(o.features);
    o.features = NULL;
    o.nfeatures = 0;
    free(o.train_group);
    o.train_group = NULL;
    for (size_t i = 0; i < rec->nfeatures && rc == HS_OK; i++)
        rc = hs_train_opts_set(&o, "features", rec->features[i].name, &cmd->err);
    if (rc == HS_OK)
        rc = hs_train_prepare_fs(&ld->fs, sp, &o, &job, &cmd->task, &cmd->err);
    if (rc == HS_OK && (rc = hs_train_job_select(cmd, app, &ld->fs, &o, &job)))
        hs_err_prefix(&cmd->err, "model '%s': its selection", rec->name);
    job.threads = app->threads;
    hs_cmd_output_begin(cmd);
    if (rc == HS_OK)
        fprintf(cmd->out, "transfer: %zu trainings with the options of '%s', each on one group's "
                          "signal and all background\n", g->n, rec->name);
    for (size_t k = 0; k < g->n && rc == HS_OK; k++) {
        struct group_progress gp = {&cmd->task, k, g->n, g->name[k]};
        struct hs_task t = {group_progress, &gp, cmd->task.cancel};
        hs_train_job_set_group(&job, g->code[k]);
        rc = hs_train_run(&job, &t, &cmd->err);
        if (rc == HS_OK && job.res.cancelled)
            rc = hs_err_set(&cmd->err, HS_ECANCELLED, "cancelled");
        if (rc == HS_OK)
            rc = hs_train_evaluate(&job, &t, &cmd->err);
        /* The columns are measured on the test part only. */
        if (rc == HS_OK)
            rc = hs_group_perf(ld->t, job.score, tem, g, mat + k * g->n, b95, &t, &cmd->err);
    }
    hs_train_job_release(&job);
    hs_train_opts_release(&o);
    free(b95);
    return rc;
}

static int
transfer_table(struct hs_cmd *cmd, const struct hs_group_set *g, const double *mat)
{
    size_t n = g->n;
    const char **cells = calloc(n + 2, sizeof *cells);
    bool *isnum = calloc(n + 2, sizeof *isnum);
    char (*buf)[HS_NUM_BUF] = calloc(n + 1, sizeof *buf);
    struct hs_grid gr;
    int rc;

    if (!cells || !isnum || !buf) {
        free(cells);
        free(isnum);
        free(buf);
        return hs_cmd_nomem(cmd);
    }
    if (hs_cmd_flag(cmd, "csv")) {
        fputs("trained_on", cmd->out);
        for (size_t j = 0; j < n; j++) {
            fputc(',', cmd->out);
            hs_grid_csv_cell(cmd->out, g->name[j], false);
        }
        fputc('\n', cmd->out);
        for (size_t i = 0; i < n; i++) {
            hs_grid_csv_cell(cmd->out, g->name[i], false);
            for (size_t j = 0; j < n; j++) {
                hs_grid_num_exact(mat[i * n + j], buf[j]);
                fprintf(cmd->out, ",%s", buf[j]);
            }
            fputc('\n', cmd->out);
        }
        rc = HS_OK;
        goto done;
    }
    fprintf(cmd->out, "AUC on the test part: rows trained on a group, columns tested on one\n");
    hs_grid_init(&gr, n + 1);
    cells[0] = "trained \\ tested";
    for (size_t j = 0; j < n; j++) {
        cells[j + 1] = g->name[j];
        isnum[j + 1] = true;
    }
    rc = hs_grid_add(&gr, cells, isnum);
    for (size_t i = 0; i < n && rc == HS_OK; i++) {
        cells[0] = g->name[i];
        for (size_t j = 0; j < n; j++) {
            snprintf(buf[j], HS_NUM_BUF, "%.3f", mat[i * n + j]);
            cells[j + 1] = buf[j];
        }
        rc = hs_grid_add(&gr, cells, isnum);
    }
    rc = hs_cmd_print_grid(cmd, &gr, rc);
done:
    free(cells);
    free(isnum);
    free(buf);
    return rc;
}

static int
groups_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_model_rec rec = {0};
    struct hs_loaded ld = {0};
    struct hs_split sp = {0};
    struct hs_group_set g = {0};
    struct hs_select sel = {0};
    unsigned char *tem = NULL;
    double *score = NULL, *auc = NULL, *b95 = NULL, *mat = NULL, *se = NULL;
    char se_note[HS_ERR_MSG_MAX + 64];
    size_t ntest;
    int rc;

    if ((rc = load_model_split(cmd, app, &ld, &rec, &sp)))
        goto done;
    if (!(tem = malloc(ld.t->nrows + 1))) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    ntest = hs_split_mask(&sp, HS_ON_TEST, ld.t->nrows, tem);
    if ((rc = hs_select_init(cmd, app, &ld.fs, &sel)) ||
        (rc = hs_select_and(cmd, &sel, &tem, &ntest, "the test part")) ||
        (rc = hs_group_set_make(ld.t, tem, &g, &cmd->err)))
        goto done;
    if (g.n == 0) {
        rc = hs_err_set(&cmd->err, HS_EDATA, "no signal event in the test part of '%s'",
                        cmd->dataset);
        goto done;
    }
    auc = malloc(g.n * sizeof *auc);
    b95 = malloc(g.n * sizeof *b95);
    se = malloc(g.n * sizeof *se);
    if (!auc || !b95 || !se) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    if ((rc = hs_analysis_model_scores(&ld.fs, &rec, &score, &cmd->task, &cmd->err)) ||
        (rc = hs_group_perf(ld.t, score, tem, &g, auc, b95, &cmd->task, &cmd->err)))
        goto done;
    if (hs_cmd_flag(cmd, "transfer")) {
        if (!(mat = malloc(g.n * g.n * sizeof *mat))) {
            rc = hs_cmd_nomem(cmd);
            goto done;
        }
        if ((rc = groups_transfer(cmd, app, &ld, &rec, &sp, &g, tem, mat)))
            goto done;
        if (hs_cmd_opt(cmd, "output")) {
            struct hs_figure *fig = NULL;
            char title[256];
            snprintf(title, sizeof title,
                     "transfer: AUC with the options of '%s', per group of '%s'", rec.name,
                     cmd->dataset);
            rc = hs_train_transfer_figure(&g, mat, title, &fig, &cmd->err);
            if (rc == HS_OK)
                rc = hs_plot_out(cmd, fig);
            hs_figure_free(fig);
            if (rc)
                goto done;
        }
        hs_cmd_output_begin(cmd);
        hs_select_say(cmd, &sel);
        rc = transfer_table(cmd, &g, mat);
        goto done;
    }
    if ((rc = hs_analysis_group_se(ld.t, score, tem, &g, se, se_note, sizeof se_note,
                                   &cmd->task, &cmd->err)))
        goto done;
    if (hs_cmd_opt(cmd, "output") &&
        (rc = groups_figure(cmd, app, ld.t, &g, auc, se, se_note, rec.name)))
        goto done;
    hs_cmd_output_begin(cmd);
    if (!hs_cmd_flag(cmd, "csv"))
        fprintf(cmd->out, "model '%s' per signal group (%s) on the test part of '%s': each "
                          "group's signal against all background\n",
                rec.name, hs_table_group(ld.t)->name, cmd->dataset);
    if (!hs_cmd_flag(cmd, "csv"))
        hs_select_say(cmd, &sel);
    rc = groups_table(cmd, &g, auc, b95, se);
    if (rc == HS_OK && se_note[0] && !hs_cmd_flag(cmd, "csv"))
        fprintf(cmd->out, "%s\n", se_note);
done:
    hs_select_release(&sel);
    free(tem);
    free(score);
    free(auc);
    free(b95);
    free(se);
    free(mat);
    hs_group_set_release(&g);
    hs_split_release(&sp);
    hs_model_rec_release(&rec);
    hs_loaded_close(&ld);
    return rc;
}

static const struct hs_opt_spec groups_opts[] = {
    HS_FIGURE_OPTS,
    {"transfer", 0, HS_OPT_FLAG, NULL,
     "train on each group alone, test on every group: the AUC matrix"},
    {"csv", 0, HS_OPT_FLAG, NULL, "print the table as CSV"},
    HS_SELECT_OPTS,
    {0},
};

static const struct hs_cmd_entry groups_entry = {
    .name = "groups",
    .alias = NULL,
    .usage = "NAME [-o FILE.png|.svg|.pdf] [--transfer] [--csv] " HS_SELECT_USAGE,
    .summary = "a model per signal group (mass point): AUC and background at 95% signal "
               "efficiency",
    .opts = groups_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET,
    .changes = HS_CHANGE_SPLIT,
    .exec = groups_exec,
    .check = hs_plot_check_output,
};

const struct hs_cmd_entry *const hs_cmd_train_entries[] = {
    &train_entry, &score_entry, &overtrain_entry, &groups_entry, NULL,
};

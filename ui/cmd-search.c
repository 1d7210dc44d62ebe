/* cmd-search.c: hyperparameter search from the command line.
 *
 *   search NAME --space 'SPACE' [--method M] [--trials N] [--strategy S]
 *          [--budget SECONDS] [--seed S] [fixed options of the method]
 *                                  train a trial per point of the space,
 *                                  keep every trial and the best model
 *   search NAME --show [-o FILE]   a stored search's trials, ranked
 *
 * The search itself is src/hpsearch.c; each trial is an ordinary
 * training through ui/train.h on the job prepared once (the split, the
 * inputs, the selection), ranked by the AUC on the validation part.  The
 * best trial's model is stored under NAME like any trained model, the
 * trials in the session's `searches` and `trials` tables
 * (sessions/trials.h).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hpsearch.h"
#include "mem.h"
#include "method.h"
#include "names.h"
#include "numparse.h"
#include "plots/palette.h"
#include "roc.h"
#include "sessions/models.h"
#include "sessions/trials.h"
#include "split.h"
#include "strbuf.h"
#include "ui/cmd.h"
#include "ui/grid.h"
#include "ui/loaded.h"
#include "ui/plot.h"
#include "ui/select.h"
#include "ui/train.h"

/* ---- options ------------------------------------------------------------- */

static const struct hs_opt_spec search_opts[] = {
    {"space", 0, HS_OPT_VALUE, "SPACE",
     "the parameters searched: 'layers=[32],[64,64]; lr=log(1e-4,1e-2); dropout=0:0.3'"},
    {"method", 0, HS_OPT_VALUE, "M", "the method: see 'hepscope methods' (default mlp)"},
    {"trials", 0, HS_OPT_VALUE, "N",
     "trials (30); for halving, the configurations of the first rung"},
    {"strategy", 0, HS_OPT_VALUE, "S", "random, tpe (the default) or halving"},
    {"budget", 0, HS_OPT_VALUE, "SECONDS", "start no trial once the trials took this long"},
    {"seed", 0, HS_OPT_VALUE, "S",
     "seed of the draws, and the method's own seed when it has one (0)"},
    {"show", 0, HS_OPT_FLAG, NULL, "show the stored search NAME instead of running one"},
    {"features", 0, HS_OPT_LIST, "F,G,...",
     "the inputs (default: every enabled numeric feature)"},
    {"one-hot", 0, HS_OPT_FLAG, NULL,
     "text features become one 0/1 input per category (else they are left out)"},
    {"replace", 0, HS_OPT_FLAG, NULL, "replace a search and a model of the same name"},
    HS_SELECT_OPTS,
    HS_FIGURE_OPTS,
    {0},
};

struct search_args {
    const struct hs_method *method;
    struct hs_hp_opts hp;
    struct hs_hp_space space;
};

static int
parse_args(struct hs_cmd *cmd, struct search_args *a)
{
    const char *mname = hs_cmd_opt(cmd, "method"), *text = hs_cmd_opt(cmd, "space");
    const char *strategy = hs_cmd_opt(cmd, "strategy"), *seed = hs_cmd_opt(cmd, "seed");
    size_t trials = 30;
    double budget = 0;
    int rc;

    memset(a, 0, sizeof *a);
    hs_hp_opts_default(&a->hp);
    a->method = hs_methods()[0];
    if (mname && (rc = hs_method_lookup(mname, &a->method, &cmd->err)))
        return rc;
    if (hs_method_primary(a->method) != HS_METHOD_SCORE)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "--method %s is not a classifier: a search ranks classifiers by AUC",
                          a->method->name);
    if ((rc = hs_cmd_opt_count(cmd, "trials", 1, 10000, &trials)) ||
        (rc = hs_cmd_opt_number(cmd, "budget", 0, 1e9, &budget)))
        return rc;
    a->hp.trials = trials;
    a->hp.time_budget = budget;
    if (strategy) {
        size_t i = 0;
        while (hs_hp_strategy_names[i] && strcmp(hs_hp_strategy_names[i], strategy) != 0)
            i++;
        if (!hs_hp_strategy_names[i])
            return hs_err_set(&cmd->err, HS_EUSAGE,
                              "--strategy takes random, tpe or halving, not '%s'", strategy);
        a->hp.strategy = (enum hs_hp_strategy)i;
    }
    if (seed) {
        struct hs_param_spec s = {.name = "seed", .type = HS_PARAM_SEED};
        struct hs_param_value v;
        if ((rc = hs_param_parse(&s, seed, &v, &cmd->err)))
            return rc;
        a->hp.seed = v.u;
    }
    if (!text)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "search wants --space 'NAME=VALUES; ...' (or --show for a stored one)");
    if ((rc = hs_hp_space_parse(&a->space, a->method->params, text, &cmd->err))) {
        hs_err_prefix(&cmd->err, "--method %s", a->method->name);
        return rc;
    }
    if (a->hp.strategy == HS_HP_HALVING) {
        if (!a->method->budget)
            rc = hs_err_set(&cmd->err, HS_EUSAGE,
                            "--strategy halving: method %s has no budget parameter (epochs, "
                            "trees) to grow",
                            a->method->name);
        else if (hs_hp_space_find(&a->space, a->method->budget) >= 0)
            rc = hs_err_set(&cmd->err, HS_EUSAGE,
                            "--strategy halving sets --%s itself: take it out of --space (its "
                            "value is the last rung's budget)",
                            a->method->budget);
        if (rc)
            hs_hp_space_release(&a->space);
    }
    return rc;
}

/* The fixed training options: train's, minus --method (search reads it)
 * and --seed (the search's, handed to the method below). */
static int
fixed_opts(struct hs_cmd *cmd, struct search_args *a, struct hs_train_opts *o)
{
    int rc = hs_train_opts_from_cmd(cmd, o);
    long si;

    if (rc)
        return rc;
    si = hs_params_find(o->params.spec, "seed");
    if (si >= 0 && o->params.spec[si].type == HS_PARAM_SEED &&
        hs_hp_space_find(&a->space, "seed") < 0) {
        char buf[32];
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)a->hp.seed);
        rc = hs_train_opts_set(o, "seed", buf, &cmd->err);
    }
    if (rc == HS_OK && a->hp.strategy == HS_HP_HALVING) {
        long bi = hs_params_find(o->params.spec, a->method->budget);
        a->hp.max_budget = bi >= 0 && o->params.spec[bi].type == HS_PARAM_INT
                               ? hs_params_int(&o->params, (size_t)bi)
                               : 0;
        if (!a->hp.max_budget)
            rc = hs_err_set(&cmd->err, HS_EUSAGE, "--strategy halving: --%s is not a count",
                            a->method->budget);
    }
    if (rc)
        hs_train_opts_release(o);
    return rc;
}

static int
search_check(struct hs_cmd *cmd)
{
    struct search_args a;
    struct hs_train_opts o;
    int rc;

    if (!hs_name_is_identifier(cmd->argv[0]))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "search name '%s': letters, digits and '_', not starting with a digit",
                          cmd->argv[0]);
    if ((rc = hs_plot_check_output(cmd)))
        return rc;
    if (hs_cmd_flag(cmd, "show"))
        return HS_OK;
    if ((rc = parse_args(cmd, &a)))
        return rc;
    rc = fixed_opts(cmd, &a, &o);
    if (rc == HS_OK)
        hs_train_opts_release(&o);
    hs_hp_space_release(&a.space);
    return rc;
}

/* ---- the table and the figure -------------------------------------------- */

static int
cmp_trial(const void *pa, const void *pb)
{
    const struct hs_trial_rec *a = *(const struct hs_trial_rec *const *)pa;
    const struct hs_trial_rec *b = *(const struct hs_trial_rec *const *)pb;
    bool ga = !isnan(a->val_auc), gb = !isnan(b->val_auc);

    if (ga != gb)
        return ga ? -1 : 1;
    if (ga && a->val_auc != b->val_auc)
        return a->val_auc > b->val_auc ? -1 : 1;
    return a->number < b->number ? -1 : a->number > b->number;
}

static const char *
num4(double x, char buf[HS_NUM_BUF])
{
    if (isnan(x))
        snprintf(buf, HS_NUM_BUF, "-");
    else
        snprintf(buf, HS_NUM_BUF, "%.4f", x);
    return buf;
}

/* The trials ranked by validation AUC. */
static int
trials_table(struct hs_cmd *cmd, const struct hs_search_rec *r)
{
    static const char *const head[] = {"rank", "trial", "val AUC", "test AUC", "seconds",
                                       "budget", "status", "parameters"};
    static const bool isnum[] = {true, true, true, true, true, true, false, false};
    const struct hs_trial_rec **order = malloc((r->ntrials + 1) * sizeof *order);
    struct hs_grid g;
    int rc;

    if (!order)
        return hs_cmd_nomem(cmd);
    for (size_t i = 0; i < r->ntrials; i++)
        order[i] = &r->trials[i];
    qsort(order, r->ntrials, sizeof *order, cmp_trial);
    hs_grid_init(&g, 8);
    rc = hs_grid_add(&g, head, NULL);
    for (size_t i = 0; i < r->ntrials && rc == HS_OK; i++) {
        const struct hs_trial_rec *t = order[i];
        char b[6][HS_NUM_BUF];
        const char *cells[8] = {b[0], b[1], num4(t->val_auc, b[2]), num4(t->test_auc, b[3]),
                                b[4], b[5], t->status, t->params};
        snprintf(b[0], sizeof b[0], "%zu", i + 1);
        snprintf(b[1], sizeof b[1], "%zu", t->number);
        snprintf(b[4], sizeof b[4], "%.2f", t->seconds);
        if (t->budget)
            snprintf(b[5], sizeof b[5], "%zu", t->budget);
        else
            snprintf(b[5], sizeof b[5], "-");
        rc = hs_grid_add(&g, cells, isnum);
    }
    free(order);
    return hs_cmd_print_grid(cmd, &g, rc);
}

static void
say_summary(struct hs_cmd *cmd, const struct hs_search_rec *r)
{
    double total = 0, best = NAN, best_test = NAN;
    size_t nok = 0, bi = 0;

    for (size_t i = 0; i < r->ntrials; i++) {
        const struct hs_trial_rec *t = &r->trials[i];
        if (!isnan(t->seconds))
            total += t->seconds;
        if (isnan(t->val_auc))
            continue;
        nok++;
        if (isnan(best) || t->val_auc > best) {
            best = t->val_auc;
            best_test = t->test_auc;
            bi = t->number;
        }
    }
    fprintf(cmd->out, "%zu trials (%zu ok) in %.1f s, %.2f s per trial\n", r->ntrials, nok, total,
            r->ntrials ? total / (double)r->ntrials : 0.0);
    if (nok)
        fprintf(cmd->out, "best: trial %zu, validation AUC %.4f (test AUC %.4f)\n", bi, best,
                best_test);
    if (r->stopped)
        fprintf(cmd->out, "stopped early: %s\n", r->stopped);
}

/* Validation AUC per trial (points) and the best so far (a line). */
static int
trials_figure(struct hs_cmd *cmd, const struct hs_search_rec *r)
{
    struct hs_figure *f = hs_figure_new();
    double *x = malloc((3 * r->ntrials + 1) * sizeof *x), *y = malloc((3 * r->ntrials + 1) * sizeof *y);
    double *bx = x + r->ntrials, *by = y + r->ntrials, best = NAN;
    char title[256], msg[HS_PLOT_MSG_MAX];
    size_t k = 0, nb = 0;
    int rc = HS_OK;

    if (!f || !x || !y) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    snprintf(title, sizeof title, "search '%s': %s, %s on '%s'", r->name, r->method,
             r->strategy, r->dataset);
    if (hs_figure_set_string(&f->title, title, msg) ||
        hs_figure_set_string(&f->main.x.label, "trial", msg) ||
        hs_figure_set_string(&f->main.y.label, "validation AUC", msg)) {
        rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
        goto done;
    }
    f->legend = true;
    for (size_t i = 0; i < r->ntrials; i++) {
        const struct hs_trial_rec *t = &r->trials[i];
        if (isnan(t->val_auc))
            continue;
        /* The best so far is a step: level until the trial that beats it. */
        if (nb > 0 && t->val_auc > best) {
            bx[nb] = (double)t->number;
            by[nb++] = best;
        }
        if (isnan(best) || t->val_auc > best)
            best = t->val_auc;
        x[k] = bx[nb] = (double)t->number;
        y[k++] = t->val_auc;
        by[nb++] = best;
    }
    if (k == 0) {
        rc = hs_err_set(&cmd->err, HS_EDATA, "search '%s' has no successful trial to plot",
                        r->name);
        goto done;
    }
    {
        struct hs_series s = {.kind = HS_SERIES_POINTS, .label = "trial", .color = HS_PAL_SIGNAL,
                              .alpha = 1, .n = k, .x = x, .y = y};
        struct hs_series b = {.kind = nb == 1 ? HS_SERIES_POINTS : HS_SERIES_LINE,
                              .label = "best so far", .color = HS_PAL_BACKGROUND, .alpha = 1,
                              .n = nb, .x = bx, .y = by};
        if (!hs_panel_add(&f->main, &s, msg) || !hs_panel_add(&f->main, &b, msg)) {
            rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
            goto done;
        }
    }
    rc = hs_plot_out(cmd, f);
done:
    hs_figure_free(f);
    free(x);
    free(y);
    return rc;
}

/* ---- running ------------------------------------------------------------- */

struct search_run {
    struct hs_cmd *cmd;
    const char *name;
    const struct search_args *a;
    struct hs_train_opts *o;     /* the fixed options; its params swapped per trial */
    struct hs_train_job *job;
    unsigned char *val_mask;
    struct hs_model_rec best;    /* the best trial's model so far */
    double best_val;
    struct hs_search_rec rec;    /* the trials so far */
    size_t cap;                  /* of rec.trials */
    size_t fixed_budget;         /* the budget parameter as set, 0 when there is none */
    size_t planned;              /* trials the search plans (halving: over every rung) */
    bool header;
};

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The trial's parameters: the fixed ones with the drawn values. */
static int
trial_params(struct search_run *r, const struct hs_hp_trial *t, struct hs_params *p,
             struct hs_err *err)
{
    const struct hs_hp_space *sp = &r->a->space;
    int rc = hs_params_copy(p, &r->o->params, err);

    for (size_t d = 0; d < sp->n && rc == HS_OK; d++) {
        char v[256];
        hs_hp_value_text(&sp->dims[d], t->x[d], v, sizeof v);
        rc = hs_params_set(p, sp->dims[d].name, v, err);
    }
    if (rc == HS_OK && t->budget) {
        char v[32];
        snprintf(v, sizeof v, "%zu", t->budget);
        rc = hs_params_set(p, r->a->method->budget, v, err);
    }
    if (rc == HS_OK && r->a->method->check)
        rc = r->a->method->check(p, err);
    return rc;
}

static int
val_auc(struct search_run *r, double *auc, const struct hs_task *task, struct hs_err *err)
{
    struct hs_roc roc = {0};
    int rc = hs_roc_from_scores(r->job->score, r->job->label, r->job->weight, r->val_mask,
                                r->job->n, &roc, task, err);

    *auc = rc == HS_OK ? roc.auc : NAN;
    hs_roc_release(&roc);
    return rc;
}

static void
say_trial(struct search_run *r, const struct hs_hp_trial *t, const char *params, const char *why)
{
    FILE *out = r->cmd->out;
    char b[2][HS_NUM_BUF];

    hs_cmd_output_begin(r->cmd);
    if (!r->header) {
        fprintf(out, "trial  val AUC  test AUC  seconds  parameters\n");
        r->header = true;
    }
    fprintf(out, "%5zu  %7s  %8s  %7.2f  %s%s%s\n", t->number, num4(t->val_auc, b[0]),
            num4(t->test_auc, b[1]), isnan(t->seconds) ? 0.0 : t->seconds, params,
            why ? "  failed: " : "", why ? why : "");
    fflush(out);
}

static int
keep_trial(struct search_run *r, const struct hs_hp_trial *t, char *params)
{
    struct hs_trial_rec *tr;

    if (hs_grow((void **)&r->rec.trials, &r->cap, r->rec.ntrials + 1, sizeof *tr)) {
        hs_free(params);
        return hs_cmd_nomem(r->cmd);
    }
    tr = &r->rec.trials[r->rec.ntrials];
    memset(tr, 0, sizeof *tr);
    tr->number = t->number;
    tr->params = params;
    tr->val_auc = t->val_auc;
    tr->test_auc = t->test_auc;
    tr->seconds = t->seconds;
    tr->budget = t->budget ? t->budget : r->fixed_budget;
    tr->status = hs_strdup(hs_hp_status_name(t->status));
    r->rec.ntrials++;
    if (!tr->status)
        return hs_cmd_nomem(r->cmd);
    return HS_OK;
}

/* A trial's own progress (its epochs) as part of the search's: "trial
 * 3/30 (best 0.9912): epoch 4/10 ...", the fraction over every trial. */
struct trial_progress {
    const struct hs_task *outer;
    const struct search_run *r;
    size_t number;
};

static void
trial_progress(void *user, double fraction, const char *what)
{
    const struct trial_progress *tp = user;
    const struct search_run *r = tp->r;
    double whole = fraction < 0 ? -1 : ((double)(tp->number - 1) + fraction) / (double)r->planned;
    char buf[256], best[48] = "";

    if (!isnan(r->best_val))
        snprintf(best, sizeof best, " (best val AUC %.4f)", r->best_val);
    snprintf(buf, sizeof buf, "trial %zu/%zu%s: %s", tp->number, r->planned, best,
             what ? what : "");
    hs_task_progress(tp->outer, whole > 1 ? 1 : whole, buf);
}

static int
run_trial(void *user, struct hs_hp_trial *t, const struct hs_task *outer, struct hs_err *err)
{
    struct search_run *r = user;
    struct hs_train_job *job = r->job;
    struct hs_params p, saved;
    struct hs_err why = {0};
    char *params = NULL, *line;
    double t0 = now_seconds();
    struct trial_progress tp = {outer, r, t->number};
    struct hs_task inner = {trial_progress, &tp, outer ? outer->cancel : NULL};
    const struct hs_task *task = &inner;
    int rc;

    if ((rc = trial_params(r, t, &p, &why))) {
        hs_params_release(&p);
        if (rc == HS_ENOMEM)
            return hs_err_set(err, rc, "out of memory");
        goto failed;
    }
    hs_params_release(&job->params);
    job->params = p;
    /* The stored options are the trial's own: the fixed ones with the
     * drawn values, as `train` would take them. */
    saved = r->o->params;
    r->o->params = p;
    line = hs_train_opts_line(r->o);
    r->o->params = saved;
    if (!line)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    free(job->options);
    job->options = line;
    rc = hs_train_run(job, task, &why);
    if (rc == HS_ECANCELLED || (rc == HS_OK && job->res.cancelled))
        return HS_ECANCELLED;
    if (rc == HS_ENOMEM)
        return hs_err_set(err, rc, "%s", why.msg);
    if (rc == HS_OK && (rc = hs_train_evaluate(job, task, &why)) == HS_OK)
        rc = val_auc(r, &t->val_auc, task, &why);
    if (rc == HS_ECANCELLED)
        return HS_ECANCELLED;
    if (rc)
        goto failed;
    t->test_auc = job->ev.test_auc;
    t->seconds = now_seconds() - t0;
    t->status = HS_HP_OK;
    if (!isnan(t->val_auc) && (isnan(r->best_val) || t->val_auc > r->best_val)) {
        struct hs_model_rec rec;
        if ((rc = hs_train_to_record(job, r->name, r->cmd->dataset, &rec, err)))
            return rc;
        hs_model_rec_release(&r->best);
        r->best = rec;
        r->best_val = t->val_auc;
    }
    goto keep;
failed:
    t->status = HS_HP_FAILED;
    t->val_auc = t->test_auc = NAN;
    t->seconds = now_seconds() - t0;
keep:
    if (!(params = hs_hp_line(&r->a->space, t->x)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if (t->budget) {
        struct hs_strbuf b = {0};
        hs_strbuf_printf(&b, "%s --%s %zu", params, r->a->method->budget, t->budget);
        hs_free(params);
        if (!(params = hs_strbuf_detach(&b)))
            return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    say_trial(r, t, params, t->status == HS_HP_FAILED ? why.msg : NULL);
    return keep_trial(r, t, params);
}

/* The search's record without its trials: what it ran, and why it
 * stopped. */
static int
fill_header(struct search_run *r, struct hs_cmd *cmd, const struct hs_hp_result *res)
{
    const struct search_args *a = r->a;
    struct hs_search_rec *s = &r->rec;
    char *line = hs_train_opts_line(r->o);

    s->name = hs_strdup(r->name);
    s->dataset = hs_strdup(cmd->dataset);
    s->method = hs_strdup(a->method->name);
    s->strategy = hs_strdup(hs_hp_strategy_names[a->hp.strategy]);
    s->space = hs_strdup(hs_cmd_opt(cmd, "space"));
    s->options = line ? hs_strdup(line) : NULL;
    free(line);
    s->seed = a->hp.seed;
    s->planned = a->hp.trials;
    if (res->cancelled)
        s->stopped = hs_strdup("cancelled");
    else if (res->out_of_time)
        s->stopped = hs_strdup("time budget");
    if (!s->name || !s->dataset || !s->method || !s->strategy || !s->space || !s->options ||
        ((res->cancelled || res->out_of_time) && !s->stopped))
        return hs_cmd_nomem(cmd);
    return HS_OK;
}

static void
say_plan(struct hs_cmd *cmd, const struct search_args *a, const struct hs_train_job *job)
{
    FILE *out = cmd->out;

    hs_cmd_output_begin(cmd);
    fprintf(out, "search '%s' on '%s': %s, %s, seed %llu, %zu inputs, %zu parameters searched\n",
            cmd->argv[0], cmd->dataset, a->method->name, hs_hp_strategy_names[a->hp.strategy],
            (unsigned long long)a->hp.seed, job->nin, a->space.n);
    if (a->hp.strategy == HS_HP_HALVING) {
        size_t n, size[64], budget[64];
        hs_hp_halving_plan(a->hp.trials, a->hp.max_budget, a->hp.eta, &n, size, budget);
        fprintf(out, "rungs (configurations x %s):", a->method->budget);
        for (size_t k = 0; k < n; k++)
            fprintf(out, "%s %zu x %zu", k ? "," : "", size[k], budget[k]);
        fputc('\n', out);
    } else {
        fprintf(out, "%zu trials", a->hp.trials);
        if (a->hp.strategy == HS_HP_TPE)
            fprintf(out, " (the first %zu drawn at random)",
                    a->hp.startup < a->hp.trials ? a->hp.startup : a->hp.trials);
        fputc('\n', out);
    }
    if (a->hp.time_budget > 0)
        fprintf(out, "no trial starts after %g s\n", a->hp.time_budget);
    fflush(out);
}

static int
store(struct hs_cmd *cmd, struct hs_app *app, struct search_run *r, bool replace)
{
    int rc;

    if ((rc = hs_cmd_begin(cmd, app)) ||
        (rc = hs_sess_search_save(app->sess, &r->rec, replace, &cmd->err)))
        return rc;
    if (r->best.name)
        return hs_sess_model_save(app->sess, &r->best, replace, &cmd->err);
    /* No trial succeeded: a model replaced would otherwise stay and be
     * taken for this search's. */
    if (replace && hs_sess_model_exists(app->sess, r->name, &cmd->err) == 1)
        return hs_sess_model_drop(app->sess, r->name, &cmd->err);
    return HS_OK;
}

static int
exists_check(struct hs_cmd *cmd, struct hs_app *app)
{
    const char *name = cmd->argv[0];
    int rc = hs_sess_model_exists(app->sess, name, &cmd->err);

    if (rc == 1)
        return hs_err_set(&cmd->err, HS_EEXIST,
                          "model '%s' exists (--replace to search again under that name)", name);
    if (rc == 0 && (rc = hs_sess_search_exists(app->sess, name, &cmd->err)) == 1)
        return hs_err_set(&cmd->err, HS_EEXIST,
                          "search '%s' exists (--replace to search again under that name)", name);
    return rc;
}

static int
run_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    const char *name = cmd->argv[0];
    bool replace = hs_cmd_flag(cmd, "replace");
    struct search_args a;
    struct hs_train_opts o;
    struct hs_train_job job = {0};
    struct hs_loaded ld = {0};
    struct hs_hp_result res = {0};
    struct search_run r = {0};
    long bi;
    int rc;

    if ((rc = parse_args(cmd, &a)))
        return rc;
    if ((rc = fixed_opts(cmd, &a, &o))) {
        hs_hp_space_release(&a.space);
        return rc;
    }
    r.cmd = cmd;
    r.name = name;
    r.a = &a;
    r.o = &o;
    r.job = &job;
    r.best_val = NAN;
    bi = a.method->budget ? hs_params_find(o.params.spec, a.method->budget) : -1;
    if (bi >= 0 && o.params.spec[bi].type == HS_PARAM_INT)
        r.fixed_budget = hs_params_int(&o.params, (size_t)bi);
    if ((!replace && (rc = exists_check(cmd, app))) || (rc = hs_loaded_open(cmd, app, &ld)) ||
        (rc = hs_featureset_check_learned(&ld.fs, name, (const char *const *)o.features,
                                          o.nfeatures, &cmd->err)) ||
        (rc = hs_train_prepare(cmd, app, &ld, &o, &job)))
        goto done;
    job.threads = app->threads;
    if (!(r.val_mask = malloc(job.n + 1))) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    for (size_t i = 0; i < job.n; i++)
        r.val_mask[i] = job.part[i] == HS_PART_VAL;
    r.planned = a.hp.trials;
    if (a.hp.strategy == HS_HP_HALVING) {
        size_t nr, size[64], budget[64];
        hs_hp_halving_plan(a.hp.trials, a.hp.max_budget, a.hp.eta, &nr, size, budget);
        r.planned = 0;
        for (size_t k = 0; k < nr; k++)
            r.planned += size[k];
    }
    say_plan(cmd, &a, &job);
    if ((rc = hs_hp_search(&a.space, &a.hp, run_trial, &r, &res, &cmd->task, &cmd->err)))
        goto done;
    /* A cancel was honoured by keeping the trials so far: storing them
     * must not see the flag, or the store is undone. */
    if (res.cancelled)
        atomic_store(&app->cancel, 0);
    if ((rc = fill_header(&r, cmd, &res)))
        goto done;
    hs_cmd_output_begin(cmd);
    fprintf(cmd->out, "trials ranked by validation AUC:\n");
    if ((rc = trials_table(cmd, &r.rec)))
        goto done;
    say_summary(cmd, &r.rec);
    if (hs_cmd_opt(cmd, "output") && r.best.name && (rc = trials_figure(cmd, &r.rec)))
        goto done;
    if ((rc = store(cmd, app, &r, replace)))
        goto done;
    fprintf(cmd->out, "stored search '%s' (%zu trials)", name, r.rec.ntrials);
    if (r.best.name)
        fprintf(cmd->out, " and its best model as '%s'\n", name);
    else
        fprintf(cmd->out, "; no trial succeeded, so no model\n");
done:
    free(r.val_mask);
    hs_model_rec_release(&r.best);
    hs_search_rec_release(&r.rec);
    hs_hp_result_release(&res);
    hs_train_job_release(&job);
    hs_loaded_close(&ld);
    hs_train_opts_release(&o);
    hs_hp_space_release(&a.space);
    return rc;
}

static int
show_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_search_rec r;
    int rc;

    cmd->unchanged = true;
    if ((rc = hs_sess_search_load(app->sess, cmd->argv[0], &r, &cmd->err)))
        return rc;
    hs_cmd_output_begin(cmd);
    fprintf(cmd->out, "search '%s' on '%s' (%s): %s, %s, seed %llu, %zu trials planned\n", r.name,
            r.dataset, r.created, r.method, r.strategy, (unsigned long long)r.seed, r.planned);
    fprintf(cmd->out, "space: %s\nfixed options: %s\n", r.space, r.options);
    rc = trials_table(cmd, &r);
    if (rc == HS_OK)
        say_summary(cmd, &r);
    if (rc == HS_OK && hs_cmd_opt(cmd, "output"))
        rc = trials_figure(cmd, &r);
    hs_search_rec_release(&r);
    return rc;
}

static int
search_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    return hs_cmd_flag(cmd, "show") ? show_exec(cmd, app) : run_exec(cmd, app);
}

/* --show reads no dataset: any will do when the session has several. */
static long
search_resolve(const struct hs_cmd *cmd, const struct hs_dataset_info *ds, size_t n)
{
    (void)ds;
    return hs_cmd_flag(cmd, "show") && n > 0 ? 0 : -1;
}

static const struct hs_cmd_entry search_entry = {
    .name = "search",
    .alias = NULL,
    .usage = "NAME --space 'SPACE' [--method M] [--trials N] [--strategy random|tpe|halving] "
             "[--budget SECONDS] [--seed S] [the method's fixed options] [--features F,G,...] "
             "[--one-hot] [--replace] " HS_SELECT_USAGE " [-o FILE.png|.svg|.pdf]\n"
             "NAME --show [-o FILE.png|.svg|.pdf]",
    .summary = "hyperparameter search (random, TPE, successive halving) ranked by validation "
               "AUC: every trial and the best model kept",
    .opts = search_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET | HS_CMD_METHOD_PARAMS,
    .changes = HS_CHANGE_MODELS | HS_CHANGE_SPLIT,
    .method_outputs = HS_METHOD_SCORE,
    .exec = search_exec,
    .check = search_check,
    .resolve = search_resolve,
};

const struct hs_cmd_entry *const hs_cmd_search_entries[] = {&search_entry, NULL};

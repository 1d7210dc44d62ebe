/* cmd-roc.c: the split of a dataset, ROC curves, and efficiencies and
 * significance versus a threshold on a score.
 *
 *   split [--train F --val F --test F --seed K]   make or show the split
 *   roc [NAME...] [--score 'EXPR']... [--on test|all] [-o FILE]
 *       [--points FILE] [--table-csv] [--rejection|--linear]
 *                                                  compare selections
 *   effs SCORE [--nsig N --nbkg N | --lumi L] [--significance KIND]
 *        [--on test|all] [--points N] [--csv]      TMVA's mvaeffs view
 *   both with [--where EXPR] [--cut CUTSET]: the selected events of the part
 *
 * The engine computes (src/split, src/roc, src/signif), ui/analysis.c
 * turns cut sets and expressions into curves and the curves into a
 * figure; this file only reads the words and writes the tables.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numparse.h"
#include "roc.h"
#include "sessions/results.h"
#include "signif.h"
#include "split.h"
#include "ui/analysis.h"
#include "ui/cmd.h"
#include "ui/export.h"
#include "ui/grid.h"
#include "ui/loaded.h"
#include "ui/plot.h"
#include "ui/select.h"

/* The rows of --on within the selection; a command that only reads
 * changed nothing unless it made the split. */
static int
read_rows(struct hs_cmd *cmd, struct hs_app *app, const struct hs_table *t, enum hs_part_sel on,
          const struct hs_select *sel, unsigned char **mask, size_t *nrows)
{
    char part[64];
    bool made;
    int rc = hs_analysis_rows(cmd, app, t, on, mask, nrows, &made);

    if (rc == HS_OK && !made)
        cmd->unchanged = true;
    if (on == HS_ON_ALL)
        snprintf(part, sizeof part, "'%s'", cmd->dataset);
    else
        snprintf(part, sizeof part, "the %s part", hs_part_sel_name(on));
    return rc ? rc : hs_select_and(cmd, sel, mask, nrows, part);
}

/* ---- split ---------------------------------------------------------- */

static bool
split_asked(const struct hs_cmd *cmd)
{
    return hs_cmd_opt(cmd, "train") || hs_cmd_opt(cmd, "val") || hs_cmd_opt(cmd, "test") ||
           hs_cmd_opt(cmd, "seed");
}

static int
split_fractions(struct hs_cmd *cmd, double frac[3], uint64_t *seed)
{
    size_t sd = HS_SPLIT_DEFAULT_SEED;
    double sum;
    int rc;

    frac[0] = HS_SPLIT_DEFAULT_TRAIN;
    frac[1] = HS_SPLIT_DEFAULT_VAL;
    frac[2] = HS_SPLIT_DEFAULT_TEST;
    if ((rc = hs_cmd_opt_number(cmd, "train", 0, 1, &frac[0])) ||
        (rc = hs_cmd_opt_number(cmd, "val", 0, 1, &frac[1])) ||
        (rc = hs_cmd_opt_number(cmd, "test", 0, 1, &frac[2])) ||
        (rc = hs_cmd_opt_count(cmd, "seed", 0, SIZE_MAX, &sd)))
        return rc;
    sum = frac[0] + frac[1] + frac[2];
    if (fabs(sum - 1) > 1e-9)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "the fractions --train %g, --val %g and --test %g sum to %g, not 1 "
                          "(unspecified ones are 0.5, 0.25, 0.25)",
                          frac[0], frac[1], frac[2], sum);
    if (!(frac[0] > 0))
        return hs_err_set(&cmd->err, HS_EUSAGE, "--train must be above 0");
    *seed = sd;
    return HS_OK;
}

static int
split_check(struct hs_cmd *cmd)
{
    double frac[3];
    uint64_t seed;

    if (!split_asked(cmd)) {
        return HS_OK;
    }
    return split_fractions(cmd, frac, &seed);
}

static int
split_print(struct hs_cmd *cmd, const struct hs_table *t, const struct hs_split *sp)
{
    static const char *const names[] = {"train", "val", "test"};
    static const char *const head[] = {"part", "fraction", "events", "signal", "background"};
    const double *label = hs_table_label(t);
    size_t cnt[3][2] = {{0}};
    struct hs_grid g;
    int rc = HS_OK;

    if (label)
        for (size_t i = 0; i < sp->n && i < t->nrows; i++)
            if (sp->part[i] < 3 && (label[i] == 0 || label[i] == 1))
                cnt[sp->part[i]][label[i] == 1 ? 0 : 1]++;
    fprintf(cmd->out, "split of '%s': train %g, val %g, test %g, seed %llu, %zu events\n",
            cmd->dataset, sp->frac[0], sp->frac[1], sp->frac[2], (unsigned long long)sp->seed,
            sp->n);
    hs_grid_init(&g, 5);
    rc = hs_grid_add(&g, head, NULL);
    for (int p = 0; p < 3 && rc == HS_OK; p++) {
        char b[4][HS_NUM_BUF];
        const char *cells[5] = {names[p], b[0], b[1], b[2], b[3]};
        const bool isnum[5] = {false, true, true, true, true};
        snprintf(b[0], HS_NUM_BUF, "%g", sp->frac[p]);
        snprintf(b[1], HS_NUM_BUF, "%zu", sp->count[p]);
        if (label) {
            snprintf(b[2], HS_NUM_BUF, "%zu", cnt[p][0]);
            snprintf(b[3], HS_NUM_BUF, "%zu", cnt[p][1]);
        } else {
            snprintf(b[2], HS_NUM_BUF, "-");
            snprintf(b[3], HS_NUM_BUF, "-");
        }
        rc = hs_grid_add(&g, cells, isnum);
    }
    if (rc == HS_OK)
        hs_grid_print(&g, cmd->out);
    else
        rc = hs_cmd_nomem(cmd);
    hs_grid_release(&g);
    return rc;
}

static int
split_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_loaded ld = {0};
    struct hs_split sp = {0};
    bool made = false;
    int rc;

    if ((rc = hs_loaded_open(cmd, app, &ld)))
        return rc;
    if (split_asked(cmd)) {
        double frac[3];
        uint64_t seed;
        rc = split_fractions(cmd, frac, &seed);
        if (rc == HS_OK)
            rc = hs_split_make(ld.t, frac[0], frac[1], frac[2], seed, &sp, &cmd->err);
        if (rc == HS_OK && (rc = hs_cmd_begin(cmd, app)) == HS_OK)
            rc = hs_sess_split_save(app->sess, cmd->dataset, &sp, &cmd->err);
        if (rc == HS_OK) {
            hs_cmd_output_begin(cmd);
            fprintf(cmd->out, "made a new split of '%s'\n", cmd->dataset);
        }
    } else {
        rc = hs_analysis_split_say(cmd, app, ld.t, &sp, &made);
        if (rc == HS_OK && !made)
            cmd->unchanged = true;
    }
    if (rc == HS_OK)
        rc = split_print(cmd, ld.t, &sp);
    hs_split_release(&sp);
    hs_loaded_close(&ld);
    return rc;
}

static const struct hs_opt_spec split_opts[] = {
    {"train", 0, HS_OPT_VALUE, "F", "the training fraction (0.5)"},
    {"val", 0, HS_OPT_VALUE, "F", "the validation fraction (0.25)"},
    {"test", 0, HS_OPT_VALUE, "F", "the test fraction (0.25)"},
    {"seed", 0, HS_OPT_VALUE, "K", "the seed of the shuffle (0)"},
    {0},
};

static const struct hs_cmd_entry split_entry = {
    .name = "split",
    .alias = NULL,
    .usage = "[--train F --val F --test F --seed K]",
    .summary = "show the dataset's train/validation/test split, or make a new one",
    .opts = split_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET,
    .changes = HS_CHANGE_SPLIT,
    .exec = split_exec,
    .check = split_check,
};

/* ---- roc ------------------------------------------------------------ */

static int
roc_check(struct hs_cmd *cmd)
{
    enum hs_part_sel on;
    int rc = hs_plot_check_output(cmd);

    if (rc)
        return rc;
    if (hs_cmd_flag(cmd, "rejection") && hs_cmd_flag(cmd, "linear"))
        return hs_err_set(&cmd->err, HS_EUSAGE, "give --rejection or --linear, not both");
    return hs_analysis_parse_on(cmd, &on);
}

/* Append name to a ", "-separated list in buf (cut short when full). */
static void
list_add(char *buf, size_t size, size_t *len, const char *name)
{
    int w;

    if (*len + 4 >= size)
        return;
    w = snprintf(buf + *len, size - *len, "%s%s", *len ? ", " : "", name);
    if (w < 0)
        return;
    *len += (size_t)w;
    if (*len >= size)
        *len = size - 1;
}

/* "roc: name a cut set or give --score 'EXPR' (cut sets of 'demo': a,
 * b), or name a model (models: nn)" */
static int
roc_nothing(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_cutset_rec *recs = NULL;
    struct hs_model_rec *mrecs = NULL;
    size_t n = 0, nm = 0, len = 0, mlen = 0;
    char list[256] = "", mlist[256] = "";
    int rc = hs_sess_cutsets(app->sess, cmd->dataset, &recs, &n, &cmd->err);

    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        list_add(list, sizeof list, &len, recs[i].name);
    hs_cutset_recs_free(recs, n);
    if ((rc = hs_sess_models(app->sess, NULL, &mrecs, &nm, &cmd->err)))
        return rc;
    for (size_t i = 0; i < nm; i++)
        list_add(mlist, sizeof mlist, &mlen, mrecs[i].name);
    hs_model_recs_free(mrecs, nm);
    return hs_err_set(&cmd->err, HS_EUSAGE,
                      "roc: name a cut set or give --score 'EXPR' (cut sets of '%s': %s), or "
                      "name a model (models: %s)",
                      cmd->dataset, n ? list : "none yet", nm ? mlist : "none yet");
}

/* NAME as a cut set of the dataset, else as a model; when it is neither,
 * the cut set's did-you-mean stands, with the models' if one is close. */
static int
load_named(struct hs_cmd *cmd, struct hs_app *app, const char *name, struct hs_cutset_rec *rec,
           struct hs_model_rec *mrec, bool *is_model)
{
    struct hs_err merr = {0};
    int rc = hs_sess_cutset_load(app->sess, cmd->dataset, name, rec, &cmd->err);

    *is_model = false;
    if (rc != HS_ENOTFOUND)
        return rc;
    rc = hs_sess_model_exists(app->sess, name, &merr);
    if (rc < 0)
        return hs_err_set(&cmd->err, rc, "%s", merr.msg);
    if (rc == 1) {
        hs_err_clear(&cmd->err);
        *is_model = true;
        return hs_sess_model_load(app->sess, name, mrec, &cmd->err);
    }
    /* Neither: say both, each with its own suggestion or list. */
    if (hs_sess_model_load(app->sess, name, mrec, &merr) == HS_ENOTFOUND) {
        char cut[HS_ERR_MSG_MAX];
        snprintf(cut, sizeof cut, "%s", cmd->err.msg);
        hs_err_set(&cmd->err, HS_ENOTFOUND, "%.240s; %.240s", cut, merr.msg);
    }
    return HS_ENOTFOUND;
}

static int
roc_points_csv(struct hs_cmd *cmd, const char *path, const struct hs_roc_curve *c, size_t n)
{
    struct hs_out_file of;
    FILE *f;
    int rc = hs_out_open(cmd, path, &of);

    if (rc)
        return rc;
    f = of.fp;
    fputs("name,sig_eff,bkg_eff,threshold\n", f);
    for (size_t i = 0; i < n; i++) {
        const struct hs_roc *r = &c[i].roc;
        for (size_t j = 0; j < r->n; j++) {
            char s[HS_NUM_BUF], b[HS_NUM_BUF], t[HS_NUM_BUF];
            hs_grid_num_exact(r->sig_eff[j], s);
            hs_grid_num_exact(r->bkg_eff[j], b);
            hs_grid_num_exact(r->thr ? r->thr[j] : NAN, t);
            hs_grid_csv_cell(f, c[i].name, false);
            fprintf(f, ",%s,%s,%s\n", s, b, t);
        }
    }
    return hs_out_close(cmd, &of, HS_OK);
}

/* "0.95: yes (0.9512)" for a box with a target, "" without. */
static void
meets_cell(const struct hs_roc_curve *c, size_t b, char *buf, size_t size)
{
    char t[HS_NUM_BUF], e[HS_NUM_BUF];
    int m = hs_roc_curve_meets(c, b);

    buf[0] = '\0';
    if (m < 0)
        return;
    hs_num_format(c->target[b], t);
    snprintf(e, sizeof e, "%.4f", c->box_sig[b]);
    snprintf(buf, size, "%s: %s (%s)", t, m ? "yes" : "no", e);
}

/* The "meets target" cell of a curve: its one box's, or for a grid how
 * many boxes meet theirs; "-" when nothing has a target. */
static void
meets_summary(const struct hs_roc_curve *c, char *buf, size_t size)
{
    size_t with = 0, yes = 0;

    snprintf(buf, size, "-");
    if (c->nbox == 1) {
        meets_cell(c, 0, buf, size);
        if (!buf[0])
            snprintf(buf, size, "-");
        return;
    }
    for (size_t b = 0; b < c->nbox; b++) {
        int m = hs_roc_curve_meets(c, b);
        with += m >= 0;
        yes += m == 1;
    }
    if (with)
        snprintf(buf, size, "%zu of %zu boxes", yes, with);
}

/* A grid's boxes, each against its target on the part: the box made for
 * each target (the one `cut flow NAME@TARGET` shows). */
static int
grid_boxes_table(struct hs_cmd *cmd, const struct hs_roc_curve *c, const char *part)
{
    static const char *const head[] = {"target", "sig eff", "bkg eff", "meets target"};
    static const bool isnum[] = {true, true, true, false};
    struct hs_grid g;
    int rc;

    fprintf(cmd->out, "grid '%s': each box against its target on %s\n", c->name, part);
    hs_grid_init(&g, 4);
    rc = hs_grid_add(&g, head, NULL);
    for (size_t b = 0; b < c->nbox && rc == HS_OK; b++) {
        char v[3][HS_NUM_BUF];
        const char *cells[4] = {v[0], v[1], v[2], NULL};
        int m = hs_roc_curve_meets(c, b);
        if (m < 0)
            continue;
        hs_num_format(c->target[b], v[0]);
        snprintf(v[1], sizeof v[1], "%.4f", c->box_sig[b]);
        hs_grid_num4(c->box_bkg[b], v[2]);
        cells[3] = m ? "yes" : "no";
        rc = hs_grid_add(&g, cells, isnum);
    }
    return hs_cmd_print_grid(cmd, &g, rc);
}

static int
roc_table(struct hs_cmd *cmd, const struct hs_roc_curve *c, size_t n, const char *part)
{
    char meets_head[96];
    const char *head[] = {"name", "kind", "AUC", "bkg eff at 95% sig", "sig eff", "bkg eff",
                          meets_head};
    static const bool isnum[] = {false, false, true, true, true, true, false};
    struct hs_grid g;
    int rc;

    if (hs_cmd_flag(cmd, "table-csv")) {
        fputs("name,auc,bkg_eff_95,target,sig_eff,meets_target\n", cmd->out);
        for (size_t i = 0; i < n; i++) {
            char a[HS_NUM_BUF], b[HS_NUM_BUF], t[HS_NUM_BUF] = "", e[HS_NUM_BUF] = "";
            int m = c[i].nbox == 1 ? hs_roc_curve_meets(&c[i], 0) : -1;
            hs_grid_num_exact(c[i].roc.auc, a);
            hs_grid_num_exact(c[i].bkg95, b);
            if (c[i].nbox == 1) {
                hs_grid_num_exact(c[i].box_sig[0], e);
                if (m >= 0)
                    hs_grid_num_exact(c[i].target[0], t);
            }
            hs_grid_csv_cell(cmd->out, c[i].name, false);
            fprintf(cmd->out, ",%s,%s,%s,%s,%s\n", a, b, t, e, m < 0 ? "" : m ? "yes" : "no");
        }
        return HS_OK;
    }
    snprintf(meets_head, sizeof meets_head, "meets target on %s", part);
    hs_grid_init(&g, 7);
    rc = hs_grid_add(&g, head, NULL);
    for (size_t i = 0; i < n && rc == HS_OK; i++) {
        const struct hs_roc *r = &c[i].roc;
        char b[4][HS_NUM_BUF], m[96];
        const char *cells[7] = {c[i].name, c[i].kind, b[0], b[1], b[2], b[3], m};
        hs_grid_num4(r->auc, b[0]);
        hs_grid_num4(c[i].bkg95, b[1]);
        /* A single cut set is its working point; a curve has no one. */
        hs_grid_num4(r->single && r->n == 3 ? r->sig_eff[1] : NAN, b[2]);
        hs_grid_num4(r->single && r->n == 3 ? r->bkg_eff[1] : NAN, b[3]);
        meets_summary(&c[i], m, sizeof m);
        rc = hs_grid_add(&g, cells, isnum);
    }
    rc = hs_cmd_print_grid(cmd, &g, rc);
    for (size_t i = 0; i < n && rc == HS_OK; i++)
        if (c[i].nbox > 1 && c[i].kind && strcmp(c[i].kind, "grid") == 0)
            rc = grid_boxes_table(cmd, &c[i], part);
    return rc;
}

static int
roc_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    const char **scores = NULL;
    size_t nscores = hs_cmd_opt_list(cmd, "score", &scores), ncurves = 0, nrows = 0;
    const char *points = hs_cmd_opt(cmd, "points"), *out = hs_cmd_opt(cmd, "output");
    struct hs_roc_curve *c = NULL;
    struct hs_loaded ld = {0};
    struct hs_select sel = {0};
    unsigned char *mask = NULL;
    struct hs_figure *fig = NULL;
    enum hs_roc_scale scale = hs_cmd_flag(cmd, "rejection") ? HS_ROC_REJECTION
                              : hs_cmd_flag(cmd, "linear")  ? HS_ROC_LINEAR
                                                            : HS_ROC_AUTO;
    char view[256] = "", part[64];
    enum hs_part_sel on;
    int rc;

    if ((rc = hs_analysis_parse_on(cmd, &on)))
        return rc;
    if (cmd->argc == 0 && nscores == 0) {
        cmd->unchanged = true;
        return roc_nothing(cmd, app);
    }
    if ((rc = hs_loaded_open(cmd, app, &ld)))
        return rc;
    if (!hs_table_label(ld.t)) {
        rc = hs_err_set(&cmd->err, HS_EUSAGE,
                        "dataset '%s' has no label: a ROC needs signal and background",
                        cmd->dataset);
        goto done;
    }
    if ((rc = hs_select_init(cmd, app, &ld.fs, &sel)))
        goto done;
    c = calloc((size_t)cmd->argc + nscores + 1, sizeof *c);
    if (!c) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    /* The cut sets are loaded before the split is made, so that a wrong
     * name stores nothing. */
    {
        struct hs_cutset_rec *recs = calloc((size_t)cmd->argc + 1, sizeof *recs);
        int nr = 0;
        if (!recs) {
            rc = hs_cmd_nomem(cmd);
            goto done;
        }
        /* A name is a cut set of the dataset first, else a model. */
        struct hs_model_rec *mrecs = calloc((size_t)cmd->argc + 1, sizeof *mrecs);
        bool *is_model = calloc((size_t)cmd->argc + 1, sizeof *is_model);
        if (!mrecs || !is_model) {
            free(recs);
            free(mrecs);
            free(is_model);
            rc = hs_cmd_nomem(cmd);
            goto done;
        }
        for (; nr < cmd->argc && rc == HS_OK; nr++)
            rc = load_named(cmd, app, cmd->argv[nr], &recs[nr], &mrecs[nr], &is_model[nr]);
        if (rc)
            nr--;
        if (rc == HS_OK)
            rc = read_rows(cmd, app, ld.t, on, &sel, &mask, &nrows);
        for (int i = 0; i < cmd->argc && rc == HS_OK; i++) {
            if (is_model[i])
                rc = hs_analysis_model_roc(&ld.fs, &mrecs[i], mask, &c[ncurves], &cmd->task,
                                           &cmd->err);
            else
                rc = hs_analysis_cutset_roc(&ld.fs, &recs[i], mask, &c[ncurves], &cmd->task,
                                            &cmd->err);
            if (rc == HS_OK)
                ncurves++;
        }
        for (int i = 0; i < nr; i++) {
            hs_cutset_rec_release(&recs[i]);
            hs_model_rec_release(&mrecs[i]);
        }
        free(recs);
        free(mrecs);
        free(is_model);
        if (rc)
            goto done;
    }
    for (size_t i = 0; i < nscores && rc == HS_OK; i++) {
        rc = hs_analysis_score_roc(&ld.fs, scores[i], mask, &c[ncurves], &cmd->task, &cmd->err);
        if (rc == HS_OK)
            ncurves++;
        else
            hs_err_prefix(&cmd->err, "--score '%s'", scores[i]);
    }
    if (rc)
        goto done;
    if (points && (rc = roc_points_csv(cmd, points, c, ncurves)))
        goto done;
    if (out || hs_cmd_flag(cmd, "draw")) {
        char title[512];
        snprintf(title, sizeof title, "ROC, %s events of '%s'%s%s",
                 on == HS_ON_ALL ? "all" : hs_part_sel_name(on), cmd->dataset,
                 sel.active ? "; selection: " : "", sel.text);
        hs_roc_scale_choose(c, ncurves, scale, view, sizeof view);
        if ((rc = hs_roc_figure(c, ncurves, scale, title, &fig, &cmd->err)) ||
            (rc = hs_plot_out(cmd, fig)))
            goto done;
    }
    hs_cmd_output_begin(cmd);
    if (!hs_cmd_flag(cmd, "table-csv"))
        hs_select_say(cmd, &sel);
    if (!hs_cmd_flag(cmd, "table-csv"))
        fprintf(cmd->out, "ROC on %s%s%s of '%s' (%zu events)\n", on == HS_ON_ALL ? "" : "the ",
                on == HS_ON_ALL ? "all events" : hs_part_sel_name(on),
                on == HS_ON_ALL ? "" : " part", cmd->dataset, nrows);
    snprintf(part, sizeof part, "%s", on == HS_ON_ALL ? "all events" : hs_part_sel_name(on));
    rc = roc_table(cmd, c, ncurves, part);
    if (rc == HS_OK && view[0] && !hs_cmd_flag(cmd, "table-csv"))
        fprintf(cmd->out, "figure: %s\n", view);
done:
    hs_figure_free(fig);
    hs_roc_curves_free(c, ncurves);
    free(mask);
    hs_select_release(&sel);
    hs_loaded_close(&ld);
    return rc;
}

static const struct hs_opt_spec roc_opts[] = {
    {"score", 0, HS_OPT_LIST, "EXPR",
     "an expression used as a score, higher is more signal-like (repeatable)"},
    {"on", 0, HS_OPT_VALUE, "PART", "the events: test (default), train, val or all"},
    HS_SELECT_OPTS,
    HS_FIGURE_OPTS,
    {"points", 0, HS_OPT_VALUE, "FILE", "write the curves' points as CSV"},
    {"table-csv", 0, HS_OPT_FLAG, NULL,
     "print the table as CSV: name,auc,bkg_eff_95,target,sig_eff,meets_target"},
    {"rejection", 0, HS_OPT_FLAG, NULL,
     "the figure shows the rejection 1/bkg eff on a log axis (default when every AUC > 0.98)"},
    {"linear", 0, HS_OPT_FLAG, NULL, "the figure shows the rejection 1 - bkg eff, linear"},
    {0},
};

static const struct hs_cmd_entry roc_entry = {
    .name = "roc",
    .alias = NULL,
    .usage = "[NAME...] [--score 'EXPR']... [--on test|all] " HS_SELECT_USAGE
             " [-o FILE.png|.svg|.pdf] [--points FILE] [--table-csv] [--rejection|--linear] [--draw]",
    .summary = "ROC curves of cut sets, models and scores: AUC and background at 95% signal "
               "efficiency",
    .opts = roc_opts,
    .min_args = 0,
    .max_args = -1,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET,
    .changes = HS_CHANGE_SPLIT, /* the default split, made on first need */
    .exec = roc_exec,
    .check = roc_check,
};

/* ---- effs ----------------------------------------------------------- */

static int
effs_check(struct hs_cmd *cmd)
{
    const char *sig = hs_cmd_opt(cmd, "significance");
    bool ns = hs_cmd_opt(cmd, "nsig") != NULL, nb = hs_cmd_opt(cmd, "nbkg") != NULL;
    enum hs_part_sel on;
    double x;
    size_t np = 100;
    int rc;

    if (ns != nb)
        return hs_err_set(&cmd->err, HS_EUSAGE, "--nsig and --nbkg go together");
    if (ns && hs_cmd_opt(cmd, "lumi"))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "give either --nsig and --nbkg or --lumi, not both");
    if (sig && hs_signif_parse(sig) < 0)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "--significance takes ams, asimov, s_sqrt_b or s_sqrt_sb, not '%s'",
                          sig);
    if ((rc = hs_cmd_opt_number(cmd, "nsig", 0, HUGE_VAL, &x)) ||
        (rc = hs_cmd_opt_number(cmd, "nbkg", 0, HUGE_VAL, &x)) ||
        (rc = hs_cmd_opt_number(cmd, "lumi", 0, HUGE_VAL, &x)) ||
        (rc = hs_cmd_opt_count(cmd, "points", 2, 100000, &np)))
        return rc;
    return hs_analysis_parse_on(cmd, &on);
}

static int
effs_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    const char *sig = hs_cmd_opt(cmd, "significance");
    enum hs_signif_kind kind = sig ? (enum hs_signif_kind)hs_signif_parse(sig)
                                   : HS_SIGNIF_S_SQRT_SB;
    bool csv = hs_cmd_flag(cmd, "csv");
    struct hs_loaded ld = {0};
    struct hs_select sel = {0};
    struct hs_expr *e = NULL;
    struct hs_effs ef = {0};
    unsigned char *mask = NULL;
    double *score = NULL, sscale = 0, bscale = 0;
    const double *label, *w;
    size_t np = 100, nrows;
    enum hs_part_sel on;
    int rc;

    if ((rc = hs_analysis_parse_on(cmd, &on)) || (rc = hs_cmd_opt_count(cmd, "points", 2, 100000, &np)))
        return rc;
    if ((rc = hs_loaded_open(cmd, app, &ld)))
        return rc;
    label = hs_table_label(ld.t);
    w = hs_table_weight(ld.t);
    if (!label) {
        rc = hs_err_set(&cmd->err, HS_EUSAGE,
                        "dataset '%s' has no label: efficiencies need signal and background",
                        cmd->dataset);
        goto done;
    }
    if ((rc = hs_featureset_compile(&ld.fs, cmd->argv[0], &e, &cmd->err))) {
        hs_err_prefix(&cmd->err, "score '%s'", cmd->argv[0]);
        goto done;
    }
    if ((rc = hs_select_init(cmd, app, &ld.fs, &sel)))
        goto done;
    if (hs_cmd_opt(cmd, "nsig")) {
        hs_cmd_opt_number(cmd, "nsig", 0, HUGE_VAL, &sscale);
        hs_cmd_opt_number(cmd, "nbkg", 0, HUGE_VAL, &bscale);
    } else {
        /* The whole dataset's weighted events (the selected ones: a
         * preselection), times a luminosity when one is given (weights
         * are then events per unit of it). */
        double lumi = 1;
        hs_cmd_opt_number(cmd, "lumi", 0, HUGE_VAL, &lumi);
        for (size_t i = 0; i < ld.t->nrows; i++) {
            double wi = w ? w[i] : 1;
            if (isnan(wi) || (sel.mask && !sel.mask[i]))
                continue;
            if (label[i] == 1)
                sscale += wi;
            else if (label[i] == 0)
                bscale += wi;
        }
        sscale *= lumi;
        bscale *= lumi;
    }
    score = malloc((ld.t->nrows + 1) * sizeof *score);
    if (!score) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    if ((rc = hs_featureset_eval(&ld.fs, e, score, NULL, &cmd->task, &cmd->err)) ||
        (rc = read_rows(cmd, app, ld.t, on, &sel, &mask, &nrows)) ||
        (rc = hs_effs_compute(score, label, w, mask, ld.t->nrows, kind, sscale, bscale, np, &ef,
                              &cmd->task, &cmd->err)))
        goto done;
    hs_cmd_output_begin(cmd);
    if (csv) {
        fputs("threshold,sig_eff,bkg_eff,purity,eff_purity,s,b,significance\n", cmd->out);
        for (size_t i = 0; i < ef.n; i++) {
            const struct hs_effs_point *p = &ef.p[i];
            char b[8][HS_NUM_BUF];
            hs_grid_num_exact(p->thr, b[0]);
            hs_grid_num_exact(p->sig_eff, b[1]);
            hs_grid_num_exact(p->bkg_eff, b[2]);
            hs_grid_num_exact(p->purity, b[3]);
            hs_grid_num_exact(p->eff_purity, b[4]);
            hs_grid_num_exact(p->s, b[5]);
            hs_grid_num_exact(p->b, b[6]);
            hs_grid_num_exact(p->signif, b[7]);
            fprintf(cmd->out, "%s,%s,%s,%s,%s,%s,%s,%s\n", b[0], b[1], b[2], b[3], b[4], b[5],
                    b[6], b[7]);
        }
    } else {
        static const char *const head[] = {"threshold", "sig eff", "bkg eff",     "purity",
                                           "eff*purity", "S",      "B", NULL};
        static const bool isnum[] = {true, true, true, true, true, true, true, true};
        const char *cells[8];
        char b[8][HS_NUM_BUF];
        struct hs_grid g;

        hs_select_say(cmd, &sel);
        fprintf(cmd->out,
                "score '%s' on %s%s%s of '%s' (%zu events); S = %.6g x sig eff, "
                "B = %.6g x bkg eff\n",
                cmd->argv[0], on == HS_ON_ALL ? "" : "the ",
                on == HS_ON_ALL ? "all events" : hs_part_sel_name(on),
                on == HS_ON_ALL ? "" : " part", cmd->dataset, nrows, sscale, bscale);
        memcpy(cells, head, sizeof cells);
        cells[7] = hs_signif_name(kind);
        hs_grid_init(&g, 8);
        rc = hs_grid_add(&g, cells, NULL);
        for (size_t i = 0; i < ef.n && rc == HS_OK; i++) {
            const struct hs_effs_point *p = &ef.p[i];
            const double v[8] = {p->thr,    p->sig_eff, p->bkg_eff, p->purity,
                                 p->eff_purity, p->s,   p->b,       p->signif};
            for (int k = 0; k < 8; k++) {
                hs_grid_num4(v[k], b[k]);
                cells[k] = b[k];
            }
            rc = hs_grid_add(&g, cells, isnum);
        }
        if (rc == HS_OK)
            hs_grid_print(&g, cmd->out);
        else
            rc = hs_cmd_nomem(cmd);
        hs_grid_release(&g);
        if (rc == HS_OK) {
            char t[HS_NUM_BUF];
            /* "score > -inf" keeps every event that has a score: say so. */
            if (isinf(ef.best.thr) && ef.best.thr < 0)
                snprintf(t, sizeof t, "none (keep every event)");
            else
                hs_num_format(ef.best.thr, t);
            fprintf(cmd->out, "best: threshold %s, significance %.6g (S = %.6g, B = %.6g, "
                              "sig eff %.4g, bkg eff %.4g)\n",
                    t, ef.best.signif, ef.best.s, ef.best.b, ef.best.sig_eff, ef.best.bkg_eff);
        }
    }
done:
    hs_effs_release(&ef);
    hs_expr_free(e);
    free(score);
    free(mask);
    hs_select_release(&sel);
    hs_loaded_close(&ld);
    return rc;
}

static const struct hs_opt_spec effs_opts[] = {
    {"nsig", 0, HS_OPT_VALUE, "N", "the expected signal events before the cut (with --nbkg)"},
    {"nbkg", 0, HS_OPT_VALUE, "N", "the expected background events before the cut"},
    {"lumi", 0, HS_OPT_VALUE, "L",
     "a luminosity: the expected events are L times the dataset's weight sums"},
    {"significance", 0, HS_OPT_VALUE, "KIND", "ams, asimov, s_sqrt_b or s_sqrt_sb (default)"},
    {"on", 0, HS_OPT_VALUE, "PART", "the events: test (default), train, val or all"},
    HS_SELECT_OPTS,
    {"points", 0, HS_OPT_VALUE, "N", "thresholds in the table (100)"},
    {"csv", 0, HS_OPT_FLAG, NULL, "write the table as CSV, every number exact"},
    {0},
};

static const struct hs_cmd_entry effs_entry = {
    .name = "effs",
    .alias = NULL,
    .usage = "SCORE [--nsig N --nbkg N | --lumi L] [--significance ams|asimov|s_sqrt_b|s_sqrt_sb] "
             "[--on test|all] " HS_SELECT_USAGE " [--points N] [--csv]",
    .summary = "efficiencies, purity and significance versus a threshold on a score, and the best "
               "threshold",
    .opts = effs_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET,
    .changes = HS_CHANGE_SPLIT, /* the default split, made on first need */
    .exec = effs_exec,
    .check = effs_check,
};

const struct hs_cmd_entry *const hs_cmd_roc_entries[] = {
    &split_entry,
    &roc_entry,
    &effs_entry,
    NULL,
};

/* cmd-cut.c: cut sets from the command line.
 *
 *   cut set NAME ['EXPR'] [--range F:lo:hi]...   store a cut set
 *   cut flow NAME[@TARGET] [--on PART] [--csv]    events after each cut
 *   cut optimise [--features F,G] [--target X | --grid] [--margin Z]
 *                [--name NAME] [--seed K]         the best box (workshop),
 *                                                 calibrated on the validation part
 *   cut export NAME[@TARGET] --as sql|c|root      for another tool
 *   cut list | show NAME | drop NAME
 *
 * A grid cut set (the optimiser's boxes at many targets) is addressed one
 * box at a time as NAME@0.95, the box whose target is nearest.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cutopt.h"
#include "cuts.h"
#include "mem.h"
#include "names.h"
#include "numparse.h"
#include "sessions/results.h"
#include "split.h"
#include "ui/analysis.h"
#include "ui/cmd.h"
#include "ui/grid.h"
#include "ui/loaded.h"
#include "ui/select.h"

/* ---- shared pieces ---------------------------------------------------- */

/* Bind a cut set, with a caret under a faulty expression. */
static int
bind_cuts(struct hs_cmd *cmd, struct hs_featureset *fs, const struct hs_cutset *cs,
          struct hs_cuts_bound **b)
{
    int rc = hs_select_check_cuts(cmd, fs, cs);

    return rc ? rc : hs_cuts_bind(fs, cs, b, &cmd->task, &cmd->err);
}

static int
print_cuts(struct hs_cmd *cmd, const struct hs_cutset *cs, const char *indent)
{
    for (size_t k = 0; k < cs->n; k++) {
        char *d = hs_cut_describe(&cs->cuts[k]);
        if (!d)
            return hs_cmd_nomem(cmd);
        fprintf(cmd->out, "%s%zu. %s\n", indent, k + 1, d);
        hs_free(d);
    }
    return HS_OK;
}

/* Whether a box met its target on the test part, the part the target is
 * about (the workshop's "95% on the test sample"). */
static void
print_verdict(struct hs_cmd *cmd, double target, double test_eff)
{
    char e[HS_NUM_BUF];

    hs_grid_num4(test_eff, e);
    fprintf(cmd->out, "target %g on the test part: %s (signal efficiency %s)\n", target,
            hs_cutopt_meets(test_eff, target) ? "met" : "missed", e);
}

/* ---- cut set -------------------------------------------------------- */

static int
cut_set(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld)
{
    const char **ranges = NULL;
    size_t nranges = hs_cmd_opt_list(cmd, "range", &ranges);
    const char *name = cmd->argv[1];
    struct hs_cutset cs = {0};
    struct hs_cuts_bound *b = NULL;
    struct hs_cutset_rec rec = {0};
    double target = NAN;
    int rc = HS_OK;

    for (size_t i = 0; i < nranges && rc == HS_OK; i++) {
        rc = hs_cutset_add_range_spec(&cs, ranges[i], &cmd->err);
        if (rc) {
            hs_err_prefix(&cmd->err, "--range");
            hs_select_caret(&cmd->err, ranges[i]);
        }
    }
    if (rc == HS_OK && cmd->argc == 3)
        rc = hs_cutset_add_expr(&cs, cmd->argv[2], &cmd->err);
    if (rc == HS_OK && (rc = bind_cuts(cmd, &ld->fs, &cs, &b)) == HS_OK) {
        hs_cuts_bound_free(b);
        rec.name = (char *)name;
        rec.kind = HS_CUTSET_SET;
        rec.npoints = 1;
        rec.points = &cs;
        rec.target = &target;
        if ((rc = hs_cmd_begin(cmd, app)) == HS_OK)
            rc = hs_sess_cutset_save(app->sess, cmd->dataset, &rec, true, &cmd->err);
    }
    if (rc == HS_OK) {
        fprintf(cmd->out, "cut set '%s' of '%s', %zu cut%s:\n", name, cmd->dataset, cs.n,
                cs.n == 1 ? "" : "s");
        rc = print_cuts(cmd, &cs, "  ");
    }
    hs_cutset_release(&cs);
    return rc;
}

/* ---- cut flow ------------------------------------------------------- */

/* The verdict of a cut set with a target: from the flow shown when it is
 * on the test part (test), else from a flow of its own there. */
static int
flow_verdict(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
             const struct hs_cuts_bound *b, const struct hs_flow *test, double target)
{
    struct hs_flow own = {0};
    unsigned char *mask = NULL;
    size_t n;
    int rc = HS_OK;

    if (!test) {
        if ((rc = hs_analysis_rows(cmd, app, ld->t, HS_ON_TEST, &mask, &n, NULL)) ||
            (rc = hs_cuts_flow(b, mask, &own, &cmd->task, &cmd->err)))
            goto done;
        test = &own;
    }
    if (test->nsteps)
        print_verdict(cmd, target, test->step[test->nsteps - 1].sig_eff);
done:
    hs_flow_release(&own);
    free(mask);
    return rc;
}

static int
cut_flow(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld)
{
    bool csv = hs_cmd_flag(cmd, "csv"), weighted = hs_table_weight(ld->t) != NULL;
    struct hs_cutset_rec rec;
    struct hs_cuts_bound *b = NULL;
    struct hs_flow flow = {0};
    unsigned char *mask = NULL;
    enum hs_part_sel on;
    size_t point, nrows;
    const struct hs_cutset *cs;
    int rc;

    if ((rc = hs_analysis_parse_on(cmd, &on)))
        return rc;
    if ((rc = hs_select_cutset_load(cmd, app, cmd->argv[1], &rec, &point)))
        return rc;
    cs = &rec.points[point];
    if ((rc = bind_cuts(cmd, &ld->fs, cs, &b)) ||
        (rc = hs_analysis_rows(cmd, app, ld->t, on, &mask, &nrows, NULL)) ||
        (rc = hs_cuts_flow(b, mask, &flow, &cmd->task, &cmd->err)))
        goto done;
    hs_cmd_output_begin(cmd);
    if (csv) {
        fputs("step,cut,sig,bkg,sig_eff,bkg_eff\n", cmd->out);
    } else {
        if (on == HS_ON_ALL)
            fprintf(cmd->out, "cut flow of '%s' on all %zu events of '%s'", cmd->argv[1], nrows,
                    cmd->dataset);
        else
            fprintf(cmd->out, "cut flow of '%s' on the %s part of '%s' (%zu events)",
                    cmd->argv[1], hs_part_sel_name(on), cmd->dataset, nrows);
        if (rec.kind == HS_CUTSET_GRID)
            fprintf(cmd->out, ", the box for target %g", rec.target[point]);
        fputs(weighted ? ", weighted\n" : "\n", cmd->out);
    }
    {
        static const char *const head[] = {
            "step",    "cut",     "signal",  "background", "sig events", "bkg events",
            "sig eff", "bkg eff", "bkg rej", "S/B",        "S/sqrt(B)",  "S/sqrt(S+B)"};
        /* Unweighted, the counts are the events: no second pair. */
        size_t nc = weighted ? 12 : 10;
        const char *hcells[12];
        bool isnum[12];
        struct hs_grid g;

        for (size_t c = 0, j = 0; c < 12; c++) {
            if (!weighted && (c == 4 || c == 5))
                continue;
            hcells[j] = head[c];
            isnum[j++] = c != 1;
        }
        hs_grid_init(&g, nc);
        if (!csv && hs_grid_add(&g, hcells, NULL))
            rc = hs_cmd_nomem(cmd);
        for (size_t k = 0; k < flow.nsteps && rc == HS_OK; k++) {
            const struct hs_flow_step *s = &flow.step[k];
            char *d = k ? hs_cut_describe(&cs->cuts[k - 1]) : hs_strdup("all");
            char nb[12][HS_NUM_BUF];
            if (!d) {
                rc = hs_cmd_nomem(cmd);
                break;
            }
            snprintf(nb[0], HS_NUM_BUF, "%zu", k);
            if (csv) {
                hs_grid_num_exact(s->sig, nb[1]);
                hs_grid_num_exact(s->bkg, nb[2]);
                hs_grid_num_exact(s->sig_eff, nb[3]);
                hs_grid_num_exact(s->bkg_eff, nb[4]);
                fprintf(cmd->out, "%s,", nb[0]);
                hs_grid_csv_cell(cmd->out, d, false);
                fprintf(cmd->out, ",%s,%s,%s,%s\n", nb[1], nb[2], nb[3], nb[4]);
            } else {
                const char *cells[12];
                size_t j = 0;
                if (weighted) {
                    snprintf(nb[2], HS_NUM_BUF, "%.6g", s->sig);
                    snprintf(nb[3], HS_NUM_BUF, "%.6g", s->bkg);
                } else {
                    snprintf(nb[2], HS_NUM_BUF, "%zu", s->nsig);
                    snprintf(nb[3], HS_NUM_BUF, "%zu", s->nbkg);
                }
                snprintf(nb[4], HS_NUM_BUF, "%zu", s->nsig);
                snprintf(nb[5], HS_NUM_BUF, "%zu", s->nbkg);
                hs_grid_num4(s->sig_eff, nb[6]);
                hs_grid_num4(s->bkg_eff, nb[7]);
                hs_grid_num4(s->rejection, nb[8]);
                hs_grid_num4(s->s_over_b, nb[9]);
                hs_grid_num4(s->s_sqrt_b, nb[10]);
                hs_grid_num4(s->s_sqrt_sb, nb[11]);
                for (size_t c = 0; c < 12; c++) {
                    if (!weighted && (c == 4 || c == 5))
                        continue;
                    cells[j++] = c == 1 ? d : nb[c];
                }
                if (hs_grid_add(&g, cells, isnum))
                    rc = hs_cmd_nomem(cmd);
            }
            hs_free(d);
        }
        if (!csv && rc == HS_OK) {
            hs_grid_print(&g, cmd->out);
            if (flow.nmissing)
                fprintf(cmd->out, "%zu event%s a range cut only for a missing value\n",
                        flow.nmissing, flow.nmissing == 1 ? " fails" : "s fail");
        }
        hs_grid_release(&g);
    }
    if (!csv && rc == HS_OK && !isnan(rec.target[point]))
        rc = flow_verdict(cmd, app, ld, b, on == HS_ON_TEST ? &flow : NULL, rec.target[point]);
done:
    hs_flow_release(&flow);
    hs_cuts_bound_free(b);
    free(mask);
    hs_cutset_rec_release(&rec);
    if (rc == HS_OK && !cmd->in_txn)
        cmd->unchanged = true;
    return rc;
}

/* ---- cut optimise ----------------------------------------------------- */

/* The default name of an optimised set: "opt95" for 0.95, "opt97_5" for 0.975. */
static void
opt_name(double target, char *buf, size_t size)
{
    double pct = target * 100;
    if (fabs(pct - round(pct)) < 1e-9) {
        snprintf(buf, size, "opt%d", (int)round(pct));
    } else {
        char *dot;
        snprintf(buf, size, "opt%g", pct);
        if ((dot = strchr(buf, '.')) != NULL)
            *dot = '_';
    }
}

/* The features to optimise: --features lists (comma-separated, repeatable),
 * or every enabled feature. */
static int
opt_features(struct hs_cmd *cmd, struct hs_loaded *ld, char ***names, const double ***vals,
             size_t *n)
{
    const char **lists = NULL;
    size_t nl = hs_cmd_opt_list(cmd, "features", &lists), cap = ld->fs.n + 1;
    int rc = HS_OK;

    *n = 0;
    for (size_t i = 0; i < nl; i++)
        cap += strlen(lists[i]) / 2 + 1;
    *names = calloc(cap, sizeof **names);
    *vals = calloc(cap, sizeof **vals);
    if (!*names || !*vals)
        return hs_cmd_nomem(cmd);
    if (nl == 0) {
        for (size_t i = 0; i < ld->fs.n && rc == HS_OK; i++) {
            if (!ld->fs.f[i].on)
                continue;
            if (!((*names)[*n] = hs_strdup(ld->fs.f[i].name)))
                return hs_cmd_nomem(cmd);
            rc = hs_featureset_values(&ld->fs, i, &(*vals)[*n], &cmd->task, &cmd->err);
            (*n)++;
        }
        if (rc == HS_OK && *n == 0)
            rc = hs_err_set(&cmd->err, HS_EUSAGE,
                            "dataset '%s' has no enabled feature: name some with --features",
                            cmd->dataset);
        return rc;
    }
    for (size_t i = 0; i < nl && rc == HS_OK; i++) {
        const char *p = lists[i];
        while (rc == HS_OK) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            if (len > 0) {
                char *nm = hs_strndup(p, len);
                bool dup = false;
                if (!nm)
                    return hs_cmd_nomem(cmd);
                for (size_t k = 0; k < *n; k++)
                    dup = dup || strcmp((*names)[k], nm) == 0;
                if (dup) {
                    rc = hs_err_set(&cmd->err, HS_EUSAGE, "--features names '%s' twice", nm);
                    hs_free(nm);
                    break;
                }
                (*names)[*n] = nm;
                rc = hs_featureset_values_by_name(&ld->fs, nm, &(*vals)[*n], &cmd->task,
                                                  &cmd->err);
                (*n)++;
            }
            if (!comma)
                break;
            p = comma + 1;
        }
    }
    if (rc == HS_OK && *n == 0)
        rc = hs_err_set(&cmd->err, HS_EUSAGE, "--features names no feature");
    return rc;
}

/* Turn the optimiser's box p into a cut set (every feature, open ends
 * included: a missing value fails the box as it failed it there). */
static int
box_cutset(struct hs_cmd *cmd, const struct hs_cutopt_point *p, char *const *names,
           const double *const *vals, size_t nrows, size_t n, struct hs_cutset *cs)
{
    memset(cs, 0, sizeof *cs);
    for (size_t f = 0; f < n; f++) {
        /* A feature left open at both ends cuts nothing unless it has
         * missing values (which fail a box): only then is it kept. */
        if (isinf(p->lo[f]) && isinf(p->hi[f])) {
            bool missing = false;
            for (size_t i = 0; i < nrows && !missing; i++)
                missing = isnan(vals[f][i]);
            if (!missing)
                continue;
        }
        if (hs_cutset_add_range(cs, names[f], p->lo[f], p->hi[f], &cmd->err))
            return cmd->err.code;
    }
    return HS_OK;
}

/* Signal and background weight sums of the labelled rows of mask. */
static void
class_totals(const double *label, const double *w, const unsigned char *mask, size_t n,
             double tot[2])
{
    tot[0] = tot[1] = 0;
    for (size_t i = 0; i < n; i++)
        if (mask[i] && (label[i] == 0 || label[i] == 1))
            tot[label[i] == 1 ? 0 : 1] += w ? w[i] : 1;
}

/* The box's cuts, one a line, and the features it leaves open on one. */
static int
print_box(struct hs_cmd *cmd, const struct hs_cutopt_point *p, char *const *names, size_t nfeat)
{
    size_t nopen = 0;

    fprintf(cmd->out, "cut box for a signal efficiency of %g:\n", p->target);
    for (size_t f = 0; f < nfeat; f++) {
        struct hs_cut c = {HS_CUT_RANGE, names[f], p->lo[f], p->hi[f], NULL};
        char *d;
        if (isinf(p->lo[f]) && isinf(p->hi[f]))
            continue;
        if (!(d = hs_cut_describe(&c)))
            return hs_cmd_nomem(cmd);
        fprintf(cmd->out, "  %s\n", d);
        hs_free(d);
    }
    for (size_t f = 0; f < nfeat; f++)
        if (isinf(p->lo[f]) && isinf(p->hi[f]))
            fprintf(cmd->out, "%s%s", nopen++ ? ", " : "  no cut on ", names[f]);
    if (nopen)
        fputc('\n', cmd->out);
    return HS_OK;
}

/* How the box was calibrated on the validation part (or why not). */
static void
print_calibration(struct hs_cmd *cmd, const struct hs_cutopt_point *p, double margin, bool weighted)
{
    char need[HS_NUM_BUF], sig[HS_NUM_BUF], tt[HS_NUM_BUF], ve[HS_NUM_BUF];

    if (!p->calibrated) {
        fputs("not calibrated: the validation part has no signal (make one with 'split --val')\n",
              cmd->out);
        return;
    }
    hs_grid_num4(p->val_need, need);
    hs_grid_num4(p->val_sigma, sig);
    hs_grid_num4(p->train_target, tt);
    hs_grid_num4(p->val_sig_eff, ve);
    fprintf(cmd->out,
            "calibrated on the validation part: its signal efficiency must reach %s = %g + %g x %s "
            "(sqrt(t(1-t)/n), n = %.6g %svalidation signal events)\n",
            need, p->target, margin, sig, p->val_neff,
            weighted ? "effective (weighted: (sum w)^2 / sum w^2) " : "");
    if (p->val_met)
        fprintf(cmd->out, "  met with the box optimised for %s of the training signal\n", tt);
    else
        fprintf(cmd->out,
                "  not met: the loosest box (optimised for %s of the training signal) keeps %s "
                "of the validation signal\n",
                tt, ve);
}

/* A count of events, "-" when there is no such part. */
static void
events_cell(double x, char buf[HS_NUM_BUF])
{
    if (isnan(x))
        snprintf(buf, HS_NUM_BUF, "-");
    else
        snprintf(buf, HS_NUM_BUF, "%.6g", x);
}

/* One box: train, validation and test columns. */
static int
print_single(struct hs_cmd *cmd, const struct hs_cutopt_point *p, const double tot[3][2],
             bool weighted)
{
    static const char *const head[] = {"", "train", "validation", "test"};
    static const bool isnum[] = {false, true, true, true};
    const double se[3] = {p->train_sig_eff, p->val_sig_eff, p->test_sig_eff};
    const double be[3] = {p->train_bkg_eff, p->val_bkg_eff, p->test_bkg_eff};
    char c[4][4][HS_NUM_BUF];
    struct hs_grid g;
    int rc;

    hs_grid_init(&g, 4);
    rc = hs_grid_add(&g, head, NULL);
    for (int j = 0; j < 3; j++) {
        hs_grid_num4(se[j], c[0][j]);
        hs_grid_num4(be[j], c[1][j]);
        events_cell(be[j] * tot[j][1], c[2][j]);
        events_cell(se[j] * tot[j][0], c[3][j]);
    }
    /* The test counts as summed, not rebuilt from the efficiency. */
    events_cell(p->test_bkg, c[2][2]);
    events_cell(p->test_sig, c[3][2]);
    {
        const char *r1[] = {"signal efficiency", c[0][0], c[0][1], c[0][2]};
        const char *r2[] = {"background efficiency", c[1][0], c[1][1], c[1][2]};
        const char *r3[] = {weighted ? "background events (weighted)" : "background events",
                            c[2][0], c[2][1], c[2][2]};
        const char *r4[] = {"signal events", c[3][0], c[3][1], c[3][2]};
        char nb[HS_NUM_BUF];
        const char *r5[] = {"background events (unweighted)", "", "", nb};
        snprintf(nb, HS_NUM_BUF, "%zu", p->test_nbkg);
        if (rc == HS_OK)
            rc = hs_grid_add(&g, r1, isnum);
        if (rc == HS_OK)
            rc = hs_grid_add(&g, r2, isnum);
        if (rc == HS_OK)
            rc = hs_grid_add(&g, r3, isnum);
        if (rc == HS_OK && weighted)
            rc = hs_grid_add(&g, r5, isnum);
        if (rc == HS_OK)
            rc = hs_grid_add(&g, r4, isnum);
    }
    if (rc == HS_OK)
        hs_grid_print(&g, cmd->out);
    hs_grid_release(&g);
    return rc ? hs_cmd_nomem(cmd) : HS_OK;
}

/* A grid of boxes: a row per target. */
static int
print_grid(struct hs_cmd *cmd, const struct hs_cutopt_result *res)
{
    static const char *const head[] = {"target",  "train sig", "val sig",  "val needs",
                                       "test sig", "train bkg", "val bkg", "test bkg",
                                       "test bkg events", "on test"};
    static const bool isnum[] = {true, true, true, true, true, true, true, true, true, false};
    struct hs_grid g;
    int rc;

    hs_grid_init(&g, 10);
    rc = hs_grid_add(&g, head, NULL);
    for (size_t k = 0; k < res->npoints && rc == HS_OK; k++) {
        const struct hs_cutopt_point *p = &res->p[k];
        char b[9][HS_NUM_BUF];
        const char *cells[] = {b[0], b[1], b[2], b[3], b[4],
                               b[5], b[6], b[7], b[8], p->test_met ? "met" : "missed"};
        snprintf(b[0], HS_NUM_BUF, "%g", p->target);
        hs_grid_num4(p->train_sig_eff, b[1]);
        hs_grid_num4(p->val_sig_eff, b[2]);
        hs_grid_num4(p->val_need, b[3]);
        hs_grid_num4(p->test_sig_eff, b[4]);
        hs_grid_num4(p->train_bkg_eff, b[5]);
        hs_grid_num4(p->val_bkg_eff, b[6]);
        hs_grid_num4(p->test_bkg_eff, b[7]);
        events_cell(p->test_bkg, b[8]);
        rc = hs_grid_add(&g, cells, isnum);
    }
    if (rc == HS_OK)
        hs_grid_print(&g, cmd->out);
    hs_grid_release(&g);
    return rc ? hs_cmd_nomem(cmd) : HS_OK;
}

static int
cut_optimise(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld)
{
    bool grid = hs_cmd_flag(cmd, "grid");
    const double *label = hs_table_label(ld->t), *w = hs_table_weight(ld->t);
    double target = 0.95, margin = HS_CUTOPT_MARGIN, tot[3][2];
    size_t seed = 0, nfeat = 0, npart[3];
    char **names = NULL, name[64];
    const double **vals = NULL;
    unsigned char *mask[3] = {NULL, NULL, NULL};
    struct hs_split sp = {0};
    struct hs_cutopt_config cfg = {0};
    struct hs_cutopt_result res = {0};
    struct hs_cutset_rec rec = {0};
    struct hs_cutset *pts = NULL;
    double *tg = NULL;
    int rc;

    if (grid && hs_cmd_opt(cmd, "target"))
        return hs_err_set(&cmd->err, HS_EUSAGE, "give --target or --grid, not both");
    if ((rc = hs_cmd_opt_number(cmd, "target", 1e-9, 1, &target)) ||
        (rc = hs_cmd_opt_number(cmd, "margin", 0, 100, &margin)) ||
        (rc = hs_cmd_opt_count(cmd, "seed", 0, SIZE_MAX, &seed)))
        return rc;
    if (hs_cmd_opt(cmd, "name"))
        snprintf(name, sizeof name, "%s", hs_cmd_opt(cmd, "name"));
    else if (grid)
        snprintf(name, sizeof name, "optgrid");
    else
        opt_name(target, name, sizeof name);
    if (!hs_name_is_identifier(name))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "cut set name '%s': letters, digits and '_', not starting with a digit",
                          name);
    if (!label)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "dataset '%s' has no label: the optimiser needs signal and background",
                          cmd->dataset);
    if ((rc = opt_features(cmd, ld, &names, &vals, &nfeat)))
        goto done;
    if ((rc = hs_analysis_split_say(cmd, app, ld->t, &sp, NULL)))
        goto done;
    for (int j = 0; j < 3; j++) {
        if (!(mask[j] = malloc(ld->t->nrows + 1))) {
            rc = hs_cmd_nomem(cmd);
            goto done;
        }
        npart[j] = hs_split_mask(&sp, (enum hs_part_sel)j, ld->t->nrows, mask[j]);
        class_totals(label, w, mask[j], ld->t->nrows, tot[j]);
    }

    cfg.nfeat = nfeat;
    cfg.vals = vals;
    cfg.names = (const char *const *)names;
    cfg.label = label;
    cfg.weight = w;
    cfg.train = mask[HS_PART_TRAIN];
    cfg.val = mask[HS_PART_VAL];
    cfg.test = mask[HS_PART_TEST];
    cfg.n = ld->t->nrows;
    cfg.targets = grid ? hs_cutopt_grid : &target;
    cfg.ntargets = grid ? HS_CUTOPT_GRID_N : 1;
    cfg.seed = seed;
    cfg.margin = margin;
    if ((rc = hs_cutopt_run(&cfg, &res, &cmd->task, &cmd->err)))
        goto done;

    /* Store: one set with its target, or the grid of every box. */
    pts = calloc(res.npoints + 1, sizeof *pts);
    tg = calloc(res.npoints + 1, sizeof *tg);
    if (!pts || !tg) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    for (size_t p = 0; p < res.npoints && rc == HS_OK; p++) {
        rc = box_cutset(cmd, &res.p[p], names, vals, ld->t->nrows, nfeat, &pts[p]);
        tg[p] = res.p[p].target;
    }
    if (rc)
        goto done;
    rec.name = name;
    rec.kind = grid ? HS_CUTSET_GRID : HS_CUTSET_SET;
    rec.npoints = res.npoints;
    rec.points = pts;
    rec.target = tg;
    if ((rc = hs_cmd_begin(cmd, app)) ||
        (rc = hs_sess_cutset_save(app->sess, cmd->dataset, &rec, true, &cmd->err)))
        goto done;

    hs_cmd_output_begin(cmd);
    fprintf(cmd->out, "optimised %zu feature%s on the training part of '%s' (%zu events), ", nfeat,
            nfeat == 1 ? "" : "s", cmd->dataset, npart[0]);
    if (res.p[0].calibrated)
        fprintf(cmd->out, "calibrated on the validation part (%zu events), ", npart[1]);
    fprintf(cmd->out, "reported on the test part (%zu events)\n", npart[2]);
    if (!grid) {
        if ((rc = print_box(cmd, &res.p[0], names, nfeat)))
            goto done;
        print_calibration(cmd, &res.p[0], margin, w != NULL);
        if ((rc = print_single(cmd, &res.p[0], (const double(*)[2])tot, w != NULL)))
            goto done;
        if (!isnan(res.p[0].test_sig_eff))
            print_verdict(cmd, res.p[0].target, res.p[0].test_sig_eff);
    } else {
        fputs("signal (sig) and background (bkg) efficiencies", cmd->out);
        if (res.p[0].calibrated)
            fprintf(cmd->out,
                    "; each box calibrated until its validation signal efficiency reaches "
                    "the target + %g standard errors (val needs, with n = %.6g %svalidation "
                    "signal events)",
                    margin, res.p[0].val_neff, w ? "effective (weighted) " : "");
        fputc('\n', cmd->out);
        if ((rc = print_grid(cmd, &res)))
            goto done;
    }
    fprintf(cmd->out, "stored as cut set '%s'%s\n", name,
            grid ? " (a grid: pick a box as NAME@TARGET)" : "");
done:
    if (pts)
        for (size_t p = 0; p < res.npoints; p++)
            hs_cutset_release(&pts[p]);
    free(pts);
    free(tg);
    hs_cutopt_release(&res);
    hs_split_release(&sp);
    for (int j = 0; j < 3; j++)
        free(mask[j]);
    if (names)
        for (size_t f = 0; f < nfeat; f++)
            hs_free(names[f]);
    free(names);
    free(vals);
    return rc;
}

/* ---- export, list, show, drop ----------------------------------------- */

static int
cut_export(struct hs_cmd *cmd, struct hs_app *app)
{
    const char *as = hs_cmd_opt(cmd, "as");
    int lang = as ? hs_cuts_lang_parse(as) : -1;
    struct hs_cutset_rec rec;
    size_t point;
    char *text = NULL;
    int rc;

    cmd->unchanged = true;
    if (lang < 0)
        return hs_err_set(&cmd->err, HS_EUSAGE, "cut export wants --as sql, c or root%s%s%s",
                          as ? ", not '" : "", as ? as : "", as ? "'" : "");
    if ((rc = hs_select_cutset_load(cmd, app, cmd->argv[1], &rec, &point)))
        return rc;
    rc = hs_cutset_export(&rec.points[point], (enum hs_cuts_lang)lang, &text, &cmd->err);
    if (rc == HS_OK)
        fprintf(cmd->out, "%s\n", text);
    else
        hs_err_prefix(&cmd->err, "cut set '%s'", rec.name);
    hs_free(text);
    hs_cutset_rec_release(&rec);
    return rc;
}

/* The cuts of a set on one line, cut short past about 70 characters. */
static int
brief_cuts(const struct hs_cutset *cs, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    for (size_t k = 0; k < cs->n; k++) {
        char *d = hs_cut_describe(&cs->cuts[k]);
        if (!d)
            return HS_ENOMEM;
        if (len + strlen(d) + 8 > size) {
            snprintf(buf + len, size - len, "%s...", k ? ", " : "");
            hs_free(d);
            break;
        }
        len += (size_t)snprintf(buf + len, size - len, "%s%s", k ? ", " : "", d);
        hs_free(d);
    }
    return HS_OK;
}

static int
cut_list(struct hs_cmd *cmd, struct hs_app *app)
{
    static const char *const head[] = {"name", "kind", "points", "cuts"};
    static const bool isnum[] = {false, false, true, false};
    struct hs_cutset_rec *recs = NULL;
    size_t n = 0;
    struct hs_grid g;
    int rc;

    cmd->unchanged = true;
    if ((rc = hs_sess_cutsets(app->sess, cmd->dataset, &recs, &n, &cmd->err)))
        return rc;
    if (n == 0) {
        fprintf(cmd->out, "no cut sets in '%s' yet: 'cut set' or 'cut optimise' makes one\n",
                cmd->dataset);
        hs_cutset_recs_free(recs, n);
        return HS_OK;
    }
    hs_grid_init(&g, 4);
    rc = hs_grid_add(&g, head, NULL);
    for (size_t i = 0; i < n && rc == HS_OK; i++) {
        char pts[24], brief[80];
        const char *cells[] = {recs[i].name, recs[i].kind == HS_CUTSET_GRID ? "grid" : "set", pts,
                               brief};
        snprintf(pts, sizeof pts, "%zu", recs[i].npoints);
        if (recs[i].kind == HS_CUTSET_GRID && recs[i].npoints)
            snprintf(brief, sizeof brief, "boxes for targets %g to %g", recs[i].target[0],
                     recs[i].target[recs[i].npoints - 1]);
        else if (recs[i].npoints)
            rc = brief_cuts(&recs[i].points[0], brief, sizeof brief);
        else
            brief[0] = '\0';
        if (rc == HS_OK)
            rc = hs_grid_add(&g, cells, isnum);
    }
    if (rc == HS_OK)
        hs_grid_print(&g, cmd->out);
    else
        rc = hs_cmd_nomem(cmd);
    hs_grid_release(&g);
    hs_cutset_recs_free(recs, n);
    return rc;
}

static int
cut_show(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_cutset_rec rec = {0};
    int rc;

    cmd->unchanged = true;
    if ((rc = hs_sess_cutset_load(app->sess, cmd->dataset, cmd->argv[1], &rec, &cmd->err)))
        return rc;
    fprintf(cmd->out, "cut set '%s' of '%s': %s, made %s\n", rec.name, cmd->dataset,
            rec.kind == HS_CUTSET_GRID ? "a grid of boxes" : "one set",
            rec.created ? rec.created : "-");
    for (size_t p = 0; p < rec.npoints && rc == HS_OK; p++) {
        if (!isnan(rec.target[p]))
            fprintf(cmd->out, "%s %g:\n",
                    rec.kind == HS_CUTSET_GRID ? "target"
                                               : "optimised for a target signal efficiency of",
                    rec.target[p]);
        rc = print_cuts(cmd, &rec.points[p], "  ");
    }
    hs_cutset_rec_release(&rec);
    return rc;
}

static int
cut_drop(struct hs_cmd *cmd, struct hs_app *app)
{
    int rc;

    if ((rc = hs_cmd_begin(cmd, app)) ||
        (rc = hs_sess_cutset_drop(app->sess, cmd->dataset, cmd->argv[1], &cmd->err)))
        return rc;
    fprintf(cmd->out, "dropped cut set '%s'\n", cmd->argv[1]);
    return HS_OK;
}

/* ---- the commands ----------------------------------------------------- *
 *
 * Each action is an entry of its own ("cut set"), with its own options and
 * help; the action stays the first argument (cmd->argv[0]), so the journal
 * reads `cut --dataset D --range ... set NAME` as it always has. */

static int
set_check(struct hs_cmd *cmd)
{
    const char **r;
    struct hs_cutset cs = {0};
    size_t nr = hs_cmd_opt_list(cmd, "range", &r);
    int rc = HS_OK;

    if (!hs_name_is_identifier(cmd->argv[1]))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "cut set name '%s': letters, digits and '_', not starting with a digit",
                          cmd->argv[1]);
    if (nr == 0 && cmd->argc == 2)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "cut set %s: give an expression or --range F:lo:hi", cmd->argv[1]);
    for (size_t k = 0; k < nr && rc == HS_OK; k++) {
        rc = hs_cutset_add_range_spec(&cs, r[k], &cmd->err);
        if (rc) {
            hs_err_prefix(&cmd->err, "--range");
            hs_select_caret(&cmd->err, r[k]);
        }
    }
    hs_cutset_release(&cs);
    return rc;
}

static int
flow_check(struct hs_cmd *cmd)
{
    enum hs_part_sel on;

    return hs_analysis_parse_on(cmd, &on);
}

static int
export_check(struct hs_cmd *cmd)
{
    const char *as = hs_cmd_opt(cmd, "as");

    if (!as || hs_cuts_lang_parse(as) < 0)
        return hs_err_set(&cmd->err, HS_EUSAGE, "cut export wants --as sql, c or root%s%s%s",
                          as ? ", not '" : "", as ? as : "", as ? "'" : "");
    return HS_OK;
}

static int
optimise_check(struct hs_cmd *cmd)
{
    double x;
    size_t s;
    int rc;

    if (hs_cmd_flag(cmd, "grid") && hs_cmd_opt(cmd, "target"))
        return hs_err_set(&cmd->err, HS_EUSAGE, "give --target or --grid, not both");
    if ((rc = hs_cmd_opt_number(cmd, "target", 1e-9, 1, &x)) ||
        (rc = hs_cmd_opt_number(cmd, "margin", 0, 100, &x)) ||
        (rc = hs_cmd_opt_count(cmd, "seed", 0, SIZE_MAX, &s)))
        return rc;
    return HS_OK;
}

/* The actions that work on the dataset's events (flow, optimise) or, for
 * set, on its feature list alone: a cut set is checked against the
 * features' names and expressions, not their values. */
static int
loaded_exec(struct hs_cmd *cmd, struct hs_app *app,
            int (*fn)(struct hs_cmd *, struct hs_app *, struct hs_loaded *), bool values)
{
    struct hs_loaded ld = {0};
    int rc = values ? hs_loaded_open(cmd, app, &ld) : hs_loaded_open_columns(cmd, app, &ld);

    if (rc)
        return rc;
    rc = fn(cmd, app, &ld);
    hs_loaded_close(&ld);
    return rc;
}

static int
set_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    return loaded_exec(cmd, app, cut_set, false);
}

static int
flow_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    return loaded_exec(cmd, app, cut_flow, true);
}

static int
optimise_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    return loaded_exec(cmd, app, cut_optimise, true);
}

static const struct hs_opt_spec set_opts[] = {
    {"range", 0, HS_OPT_LIST, "F:lo:hi", "keep lo <= F < hi; an end may be empty (repeatable)"},
    {0},
};

static const struct hs_opt_spec flow_opts[] = {
    {"on", 0, HS_OPT_VALUE, "PART", "the events: test (default), train, val or all"},
    {"csv", 0, HS_OPT_FLAG, NULL, "write CSV (step,cut,sig,bkg,sig_eff,bkg_eff)"},
    {0},
};

static const struct hs_opt_spec optimise_opts[] = {
    {"features", 0, HS_OPT_LIST, "F,G,...", "the features to cut on (default: every enabled one)"},
    {"target", 0, HS_OPT_VALUE, "X", "the signal efficiency to keep (0.95)"},
    {"grid", 0, HS_OPT_FLAG, NULL, "every target from 0.1 to 0.99"},
    {"margin", 0, HS_OPT_VALUE, "Z",
     "calibrate until the validation signal efficiency is the target + Z standard errors (1.5)"},
    {"name", 0, HS_OPT_VALUE, "NAME", "the cut set's name (opt95, optgrid)"},
    {"seed", 0, HS_OPT_VALUE, "K", "the seed of the search (0)"},
    {0},
};

static const struct hs_opt_spec export_opts[] = {
    {"as", 0, HS_OPT_VALUE, "LANG", "sql, c or root"},
    {0},
};

static const struct hs_opt_spec no_opts[] = {{0}};

static const struct hs_cmd_entry set_entry = {
    .name = "cut set",
    .usage = "NAME ['EXPR'] [--range F:lo:hi]...",
    .summary = "define a cut set: ranges and expressions on features",
    .opts = set_opts,
    .min_args = 2,
    .max_args = 3,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET,
    .changes = HS_CHANGE_CUTS,
    .exec = set_exec,
    .check = set_check,
};

static const struct hs_cmd_entry flow_entry = {
    .name = "cut flow",
    .usage = "NAME[@TARGET] [--on train|val|test|all] [--csv]",
    .summary = "events and efficiencies per class after each cut of a cut set",
    .opts = flow_opts,
    .min_args = 2,
    .max_args = 2,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET,
    .changes = HS_CHANGE_SPLIT,
    .exec = flow_exec,
    .check = flow_check,
};

static const struct hs_cmd_entry optimise_entry = {
    .name = "cut optimise",
    .alias = "cut optimize",
    .usage = "[--features F,G,...] [--target X | --grid] [--margin Z] [--name NAME] [--seed K]",
    .summary = "the box with the least background at a target signal efficiency",
    .opts = optimise_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET,
    .changes = HS_CHANGE_CUTS | HS_CHANGE_SPLIT,
    .exec = optimise_exec,
    .check = optimise_check,
};

static const struct hs_cmd_entry export_entry = {
    .name = "cut export",
    .usage = "NAME[@TARGET] --as sql|c|root",
    .summary = "a cut set as an SQL condition, a C expression or a ROOT TCut",
    .opts = export_opts,
    .min_args = 2,
    .max_args = 2,
    .flags = HS_CMD_DATASET,
    .exec = cut_export,
    .check = export_check,
};

static const struct hs_cmd_entry list_entry = {
    .name = "cut list",
    .usage = "",
    .summary = "the dataset's cut sets",
    .opts = no_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_DATASET,
    .exec = cut_list,
};

static const struct hs_cmd_entry show_entry = {
    .name = "cut show",
    .usage = "NAME",
    .summary = "a cut set's cuts",
    .opts = no_opts,
    .min_args = 2,
    .max_args = 2,
    .flags = HS_CMD_DATASET,
    .exec = cut_show,
};

static const struct hs_cmd_entry drop_entry = {
    .name = "cut drop",
    .usage = "NAME",
    .summary = "delete a cut set",
    .opts = no_opts,
    .min_args = 2,
    .max_args = 2,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET,
    .changes = HS_CHANGE_CUTS,
    .exec = cut_drop,
};

const struct hs_cmd_entry *const hs_cmd_cut_entries[] = {
    &set_entry, &flow_entry, &optimise_entry, &export_entry, &list_entry, &show_entry,
    &drop_entry, NULL,
};

/* cmd-select.c: `hepscope select`, a selection drawn on a projection and
 * what it means in the physical features.
 *
 *   select NAME --box X0:X1,Y0:Y1 --projection P [--replace]
 *       the events in a box of projection P's first two coordinates, as
 *       cut set NAME (P_1 and P_2 are columns: the cut set is an ordinary
 *       one, for cut flow, --cut, roc and export);
 *   select NAME --explain [--target T] [--features F,G,...] [--seed K]
 *       the rectangular cut set on the physical features that best
 *       reproduces cut set NAME: the cut optimiser (src/cutopt.h) with
 *       NAME's events as its "signal" and every other event as its
 *       "background", keeping at least T of the selection; reported as
 *       the selection kept and the other events let in, and stored as
 *       NAME_explained.  A box on a map of a subsample is explained
 *       among the events the map placed (defined_mask).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cutopt.h"
#include "cuts.h"
#include "mem.h"
#include "names.h"
#include "sessions/outputs.h"
#include "sessions/results.h"
#include "ui/cmd.h"
#include "ui/loaded.h"
#include "ui/train.h"

static int
select_check(struct hs_cmd *cmd)
{
    bool box = hs_cmd_opt(cmd, "box") != NULL, explain = hs_cmd_flag(cmd, "explain");

    if (!hs_name_is_identifier(cmd->argv[0]))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "cut set name '%s': letters, digits and '_', not starting with a digit",
                          cmd->argv[0]);
    if (box == explain)
        return hs_err_set(&cmd->err, HS_EUSAGE, "select wants --box X0:X1,Y0:Y1 --projection P, "
                                                "or --explain");
    if (box && !hs_cmd_opt(cmd, "projection"))
        return hs_err_set(&cmd->err, HS_EUSAGE, "--box goes with --projection P (the map it is "
                                                "drawn on)");
    if (explain && (hs_cmd_opt(cmd, "projection") || hs_cmd_flag(cmd, "replace")))
        return hs_err_set(&cmd->err, HS_EUSAGE, "--explain takes a cut set, not --projection");
    if (box && (hs_cmd_opt(cmd, "target") || hs_cmd_opt(cmd, "features")))
        return hs_err_set(&cmd->err, HS_EUSAGE, "--target and --features go with --explain");
    return HS_OK;
}

/* The events passing cs on ld: a new mask (free()), and its count. */
static int
pass_mask(struct hs_cmd *cmd, struct hs_loaded *ld, const struct hs_cutset *cs,
          unsigned char **mask, size_t *n)
{
    struct hs_cuts_bound *b = NULL;
    int rc;

    *mask = malloc(ld->t->nrows ? ld->t->nrows : 1);
    if (!*mask)
        return hs_cmd_nomem(cmd);
    if ((rc = hs_cuts_bind(&ld->fs, cs, &b, &cmd->task, &cmd->err)) == HS_OK)
        rc = hs_cuts_pass(b, *mask, &cmd->task, &cmd->err);
    hs_cuts_bound_free(b);
    *n = 0;
    for (size_t i = 0; rc == HS_OK && i < ld->t->nrows; i++)
        *n += (*mask)[i];
    return rc;
}

/* "N events (S signal, B background)" of mask. */
static void
say_events(struct hs_cmd *cmd, const struct hs_table *t, const unsigned char *mask)
{
    const double *label = hs_table_label(t);
    size_t n = 0, s = 0, b = 0;

    for (size_t i = 0; i < t->nrows; i++) {
        if (!mask[i])
            continue;
        n++;
        s += label && label[i] == 1;
        b += label && label[i] == 0;
    }
    fprintf(cmd->out, "%zu of %zu events", n, t->nrows);
    if (label)
        fprintf(cmd->out, " (%zu signal, %zu background)", s, b);
}

/* The events where the selection is defined: those with a value in
 * every learned column its range cuts read.  A box on a t-SNE or UMAP
 * map says nothing of the events the map did not place (their
 * coordinates are missing): counted among the "others", they would be
 * events of the box's kind that the explanation is blamed for letting
 * in.  A raw or derived feature's missing value stays a failed cut, as
 * everywhere.  A new mask (free()), its count, and the number of learned
 * columns read. */
static int
defined_mask(struct hs_cmd *cmd, struct hs_loaded *ld, const struct hs_cutset *cs,
             unsigned char **mask, size_t *n, size_t *nlearned)
{
    const size_t nrows = ld->t->nrows;
    int rc = HS_OK;

    *n = nrows;
    *nlearned = 0;
    if (!(*mask = malloc(nrows ? nrows : 1)))
        return hs_cmd_nomem(cmd);
    memset(*mask, 1, nrows);
    for (size_t k = 0; k < cs->n && rc == HS_OK; k++) {
        const struct hs_cut *c = &cs->cuts[k];
        long f = c->kind == HS_CUT_RANGE ? hs_featureset_find(&ld->fs, c->feature) : -1;
        const double *v;
        if (f < 0 || ld->fs.f[f].kind != HS_FEATURE_LEARNED)
            continue;
        if ((rc = hs_featureset_values(&ld->fs, (size_t)f, &v, &cmd->task, &cmd->err)))
            break;
        (*nlearned)++;
        for (size_t i = 0; i < nrows; i++)
            (*mask)[i] &= isfinite(v[i]) != 0;
    }
    *n = 0;
    for (size_t i = 0; rc == HS_OK && i < nrows; i++)
        *n += (*mask)[i];
    return rc;
}

static int
select_box(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld)
{
    const char *box = hs_cmd_opt(cmd, "box"), *proj = hs_cmd_opt(cmd, "projection");
    const char *comma = strchr(box, ',');
    struct hs_output_rec out = {0};
    struct hs_cutset_rec rec = {0};
    struct hs_cutset cs = {0};
    unsigned char *mask = NULL, *placed = NULL;
    double target = NAN;
    size_t n, nplaced = 0, nlearned = 0;
    int rc;

    if ((rc = hs_sess_output_load(app->sess, cmd->dataset, proj, false, &out, &cmd->err)))
        return rc;
    if (out.kind != HS_OUTPUT_PROJECTION || out.ncols < 2) {
        rc = hs_err_set(&cmd->err, HS_EUSAGE, "--projection: '%s' is %s", proj,
                        out.kind != HS_OUTPUT_PROJECTION ? "a clustering, not a projection"
                                                         : "a projection of one dimension");
        goto done;
    }
    if (!comma || strchr(comma + 1, ',')) {
        rc = hs_err_set(&cmd->err, HS_EUSAGE, "--box wants X0:X1,Y0:Y1, not '%s'", box);
        goto done;
    }
    for (int axis = 0; axis < 2 && rc == HS_OK; axis++) {
        const char *part = axis ? comma + 1 : box;
        size_t len = axis ? strlen(part) : (size_t)(comma - box);
        char spec[300];
        snprintf(spec, sizeof spec, "%s:%.*s", out.colnames[axis], (int)len, part);
        if ((rc = hs_cutset_add_range_spec(&cs, spec, &cmd->err)))
            hs_err_prefix(&cmd->err, "--box");
    }
    if (rc || (rc = pass_mask(cmd, ld, &cs, &mask, &n)))
        goto done;
    if (n == 0) {
        rc = hs_err_set(&cmd->err, HS_EDATA, "--box %s holds no event of '%s'", box, proj);
        goto done;
    }
    rec.name = cmd->argv[0];
    rec.kind = HS_CUTSET_SET;
    rec.npoints = 1;
    rec.points = &cs;
    rec.target = &target;
    if ((rc = hs_cmd_begin(cmd, app)) ||
        (rc = hs_sess_cutset_save(app->sess, cmd->dataset, &rec, hs_cmd_flag(cmd, "replace"),
                                  &cmd->err)))
        goto done;
    fprintf(cmd->out, "cut set '%s':", cmd->argv[0]);
    for (size_t k = 0; k < cs.n; k++) {
        char *d = hs_cut_describe(&cs.cuts[k]);
        fprintf(cmd->out, "%s %s", k ? "," : "", d ? d : "?");
        hs_free(d);
    }
    fputs(": ", cmd->out);
    say_events(cmd, ld->t, mask);
    /* A map of a subsample: how many events it could hold. */
    if ((rc = defined_mask(cmd, ld, &cs, &placed, &nplaced, &nlearned)))
        goto done;
    if (nplaced < ld->t->nrows)
        fprintf(cmd->out, "; the map placed %zu of the %zu", nplaced, ld->t->nrows);
    fputc('\n', cmd->out);
done:
    free(placed);
    free(mask);
    hs_cutset_release(&cs);
    hs_output_rec_release(&out);
    return rc;
}

/* The features the explanation may cut on: --features, or every enabled
 * numeric one (learned columns, the projection's among them, are never
 * enabled). */
static int
explain_features(struct hs_cmd *cmd, struct hs_loaded *ld, char ***names, const double ***vals,
                 size_t *n)
{
    struct hs_train_opts o;
    const char **lists;
    size_t nl = hs_cmd_opt_list(cmd, "features", &lists);
    int rc = hs_train_opts_default(&o, &cmd->err);

    /* --features read as train reads it. */
    for (size_t i = 0; i < nl && rc == HS_OK; i++)
        rc = hs_train_opts_set(&o, "features", lists[i], &cmd->err);
    *n = 0;
    *names = calloc(ld->fs.n + o.nfeatures + 1, sizeof **names);
    *vals = calloc(ld->fs.n + o.nfeatures + 1, sizeof **vals);
    if (rc == HS_OK && (!*names || !*vals))
        rc = hs_cmd_nomem(cmd);
    for (size_t i = 0; rc == HS_OK && i < o.nfeatures; i++)
        (*names)[(*n)++] = o.features[i];
    if (rc == HS_OK)
        o.nfeatures = 0; /* the names are the caller's now */
    for (size_t i = 0; rc == HS_OK && nl == 0 && i < ld->fs.n; i++)
        if (ld->fs.f[i].on && hs_train_feature_numeric(&ld->fs, &ld->fs.f[i]) &&
            !((*names)[(*n)++] = strdup(ld->fs.f[i].name)))
            rc = hs_cmd_nomem(cmd);
    hs_train_opts_release(&o);
    if (rc == HS_OK && *n == 0)
        rc = hs_err_set(&cmd->err, HS_EUSAGE,
                        "dataset '%s' has no enabled feature: name some with --features",
                        cmd->dataset);
    for (size_t k = 0; k < *n && rc == HS_OK; k++)
        rc = hs_featureset_values_by_name(&ld->fs, (*names)[k], &(*vals)[k], &cmd->task,
                                          &cmd->err);
    return rc;
}

static int
select_explain(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld)
{
    const char *name = cmd->argv[0];
    struct hs_cutset_rec sel = {0}, rec = {0};
    struct hs_cutopt_config cfg = {0};
    struct hs_cutopt_result res = {0};
    struct hs_cutset box = {0};
    unsigned char *in = NULL, *all = NULL, *pass = NULL;
    size_t ndef = 0, nlearned = 0;
    double *label = NULL, target = 0.9;
    char **names = NULL, outname[128];
    const double **vals = NULL;
    size_t nfeat = 0, nin = 0, seed = 0, npass = 0, kept = 0, other = 0;
    int rc;

    if ((rc = hs_cmd_opt_number(cmd, "target", 1e-9, 1, &target)) ||
        (rc = hs_cmd_opt_count(cmd, "seed", 0, SIZE_MAX, &seed)) ||
        (rc = hs_sess_cutset_load(app->sess, cmd->dataset, name, &sel, &cmd->err)))
        goto done;
    snprintf(outname, sizeof outname, "%s_explained", name);
    if (sel.npoints != 1) {
        rc = hs_err_set(&cmd->err, HS_EUSAGE, "--explain: '%s' is a grid of boxes; explain one "
                                              "cut set",
                        name);
        goto done;
    }
    if ((rc = pass_mask(cmd, ld, &sel.points[0], &in, &nin)) ||
        (rc = defined_mask(cmd, ld, &sel.points[0], &all, &ndef, &nlearned)))
        goto done;
    if (nin == 0 || nin == ndef) {
        rc = hs_err_set(&cmd->err, HS_EDATA, "cut set '%s' keeps %s event: nothing to explain",
                        name, nin ? "every" : "no");
        goto done;
    }
    if ((rc = explain_features(cmd, ld, &names, &vals, &nfeat)))
        goto done;
    if (!(label = malloc((ld->t->nrows ? ld->t->nrows : 1) * sizeof *label))) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    for (size_t i = 0; i < ld->t->nrows; i++)
        label[i] = in[i];
    cfg.nfeat = nfeat;
    cfg.vals = vals;
    cfg.names = (const char *const *)names;
    cfg.label = label;
    cfg.train = all;
    cfg.n = ld->t->nrows;
    cfg.targets = &target;
    cfg.ntargets = 1;
    cfg.seed = seed;
    if ((rc = hs_cutopt_run(&cfg, &res, &cmd->task, &cmd->err)))
        goto done;
    for (size_t f = 0; f < nfeat && rc == HS_OK; f++)
        if (!(isinf(res.p[0].lo[f]) && isinf(res.p[0].hi[f])))
            rc = hs_cutset_add_range(&box, names[f], res.p[0].lo[f], res.p[0].hi[f], &cmd->err);
    if (rc || (rc = pass_mask(cmd, ld, &box, &pass, &npass)))
        goto done;
    npass = 0;
    for (size_t i = 0; i < ld->t->nrows; i++) {
        kept += all[i] && pass[i] && in[i];
        other += all[i] && pass[i] && !in[i];
        npass += all[i] && pass[i];
    }
    rec.name = outname;
    rec.kind = HS_CUTSET_SET;
    rec.npoints = 1;
    rec.points = &box;
    rec.target = &target;
    if ((rc = hs_cmd_begin(cmd, app)) ||
        (rc = hs_sess_cutset_save(app->sess, cmd->dataset, &rec, true, &cmd->err)))
        goto done;
    hs_cmd_output_begin(cmd);
    fprintf(cmd->out, "cut set '%s' (%zu events) explained on %zu features, for %g of it:\n", name,
            nin, nfeat, target);
    for (size_t k = 0; k < box.n; k++) {
        char *d = hs_cut_describe(&box.cuts[k]);
        fprintf(cmd->out, "  %s\n", d ? d : "?");
        hs_free(d);
    }
    if (nlearned && ndef < ld->t->nrows)
        fprintf(cmd->out, "counted on the %zu of %zu events with a value in the learned "
                          "column%s it cuts on (the events the map placed)\n",
                ndef, ld->t->nrows, nlearned > 1 ? "s" : "");
    fprintf(cmd->out, "keeps %zu of the %zu selected events (%.4f); lets in %zu of the %zu others "
                      "(%.4f), %.4f of what it passes\n",
            kept, nin, (double)kept / (double)nin, other, ndef - nin,
            (double)other / (double)(ndef - nin), npass ? (double)other / (double)npass : 0.0);
    fprintf(cmd->out, "stored as cut set '%s'\n", outname);
done:
    for (size_t k = 0; names && k < nfeat; k++)
        free(names[k]);
    free(names);
    free(vals);
    free(in);
    free(all);
    free(pass);
    free(label);
    hs_cutset_release(&box);
    hs_cutopt_release(&res);
    hs_cutset_rec_release(&sel);
    return rc;
}

static int
select_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_loaded ld = {0};
    int rc;

    if ((rc = hs_loaded_open(cmd, app, &ld)) == HS_OK)
        rc = hs_cmd_opt(cmd, "box") ? select_box(cmd, app, &ld) : select_explain(cmd, app, &ld);
    hs_loaded_close(&ld);
    return rc;
}

static const struct hs_opt_spec select_opts[] = {
    {"box", 0, HS_OPT_VALUE, "X0:X1,Y0:Y1",
     "the events with X0 <= P_1 < X1 and Y0 <= P_2 < Y1 (an end may be empty: open)"},
    {"projection", 0, HS_OPT_VALUE, "P", "the projection the box is drawn on"},
    {"replace", 0, HS_OPT_FLAG, NULL, "replace a cut set of that name"},
    {"explain", 0, HS_OPT_FLAG, NULL,
     "find the cut set on the physical features that best reproduces cut set NAME"},
    {"target", 0, HS_OPT_VALUE, "T", "--explain: the share of the selection to keep (0.9)"},
    {"features", 0, HS_OPT_LIST, "F,G,...",
     "--explain: the features to cut on (default: every enabled one)"},
    {"seed", 0, HS_OPT_VALUE, "K", "--explain: the optimiser's seed (0)"},
    {0},
};

static const struct hs_cmd_entry select_entry = {
    .name = "select",
    .alias = NULL,
    .usage = "NAME --box X0:X1,Y0:Y1 --projection P [--replace]\n"
             "NAME --explain [--target T] [--features F,G,...] [--seed K]",
    .summary = "a box on a projection as a cut set, or the cuts on the physical features that "
               "best reproduce a cut set",
    .opts = select_opts,
    .min_args = 1,
    .max_args = 1,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET,
    .changes = HS_CHANGE_CUTS,
    .exec = select_exec,
    .check = select_check,
};

const struct hs_cmd_entry *const hs_cmd_select_entries[] = {&select_entry, NULL};

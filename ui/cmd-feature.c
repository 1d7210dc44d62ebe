/* cmd-feature.c: the feature workbench from the command line.
 *
 *   features [--csv] [--sort separation|auc|name]   statistics, ranked
 *            [--where EXPR] [--cut CUTSET]            (of the selected events)
 *   feature add NAME EXPR [--off]                    a derived feature
 *               [--unit U] [--axis-label TEXT]       with its unit and label
 *   feature unit NAME [UNIT|-] [--axis-label TEXT|-] a feature's unit and
 *                [--clear]                           label (raw or derived)
 *   feature on|off NAME...                           toggles
 *   feature drop NAME                                remove a derived one
 *   feature suggest [--add]                          pair quantities of the
 *                                                    particles found
 *   feature rmm [--objects N] [--sqrt-s GEV]         the rapidity-mass matrix
 *               [--pid T=CODE,...]
 *                                                    of those particles
 *   corr [--class signal|background|all] [--csv]     correlation matrix
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "featstats.h"
#include "featureset.h"
#include "fourvec.h"
#include "numparse.h"
#include "rmm.h"
#include "sessions/features.h"
#include "sessions/units.h"
#include "ui/cmd.h"
#include "ui/grid.h"
#include "ui/loaded.h"
#include "ui/select.h"

/* ---- features ------------------------------------------------------- */

struct ranked {
    size_t idx;
    const struct hs_featstats *st;
    const char *name;
    int sort; /* 0 separation, 1 auc, 2 name */
};

static int
cmp_ranked(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;
    double x, y;

    if (a->sort == 2)
        return strcmp(a->name, b->name);
    x = a->sort == 1 ? a->st->auc : a->st->separation;
    y = a->sort == 1 ? b->st->auc : b->st->separation;
    /* Best first; NaN (unlabelled, constant) last; ties in list order. */
    if (isnan(x) != isnan(y))
        return isnan(x) ? 1 : -1;
    if (x != y && !isnan(x))
        return x > y ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

static void
num(double x, char buf[HS_NUM_BUF], bool exact)
{
    if (isnan(x))
        snprintf(buf, HS_NUM_BUF, exact ? "" : "-");
    else if (exact)
        hs_num_format(x, buf);
    else
        snprintf(buf, HS_NUM_BUF, "%.4g", x);
}

/* The unit column, when the dataset has units. */
enum { FEATURES_UNIT_COL = 4, FEATURES_MAX_COLS = 13 };

/* Add one of n cells to the features table, without the unit column
 * unless units is set. */
static int
features_row(struct hs_grid *g, const char *const *cells, const bool *isnum, size_t n, bool units)
{
    const char *c[FEATURES_MAX_COLS];
    bool num[FEATURES_MAX_COLS];
    size_t k = 0;

    for (size_t j = 0; j < n && k < FEATURES_MAX_COLS; j++) {
        if (j == FEATURES_UNIT_COL && !units)
            continue;
        c[k] = cells[j];
        num[k++] = isnum ? isnum[j] : false;
    }
    return hs_grid_add(g, c, isnum ? num : NULL);
}

static int
features_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    const char *sort = hs_cmd_opt(cmd, "sort");
    bool csv = hs_cmd_flag(cmd, "csv");
    struct hs_loaded ld = {0};
    struct hs_select sel = {0};
    struct hs_featstats *st = NULL;
    struct ranked *rk = NULL;
    const double **cols = NULL;
    const double *label;
    struct hs_feature_unit *units = NULL;
    size_t nunits = 0;
    struct hs_grid g;
    int rc, how = 0;

    if (sort && strcmp(sort, "separation") != 0) {
        if (strcmp(sort, "auc") == 0)
            how = 1;
        else if (strcmp(sort, "name") == 0)
            how = 2;
        else
            return hs_err_set(&cmd->err, HS_EUSAGE,
                              "--sort takes separation, auc or name, not '%s'", sort);
    }
    if ((rc = hs_loaded_open(cmd, app, &ld)))
        return rc;
    if ((rc = hs_select_loaded(cmd, app, &ld, &sel)) ||
        (rc = hs_sess_units_list(app->sess, cmd->dataset, &units, &nunits, &cmd->err)))
        goto done;
    label = hs_table_label(ld.t);
    st = calloc(ld.fs.n + 1, sizeof *st);
    rk = calloc(ld.fs.n + 1, sizeof *rk);
    cols = calloc(ld.fs.n + 1, sizeof *cols);
    if (!st || !rk || !cols) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    for (size_t i = 0; i < ld.fs.n; i++)
        if ((rc = hs_featureset_values(&ld.fs, i, &cols[i], &cmd->task, &cmd->err)))
            goto done;
    rc = hs_featstats_many(cols, ld.fs.n, label, hs_table_weight(ld.t), ld.t->nrows, st,
                           &cmd->task, &cmd->err);
    if (rc)
        goto done;
    for (size_t i = 0; i < ld.fs.n; i++)
        rk[i] = (struct ranked){i, &st[i], ld.fs.f[i].name, how};
    qsort(rk, ld.fs.n, sizeof *rk, cmp_ranked);

    hs_cmd_output_begin(cmd);
    if (!csv)
        hs_select_say(cmd, &sel);
    if (csv) {
        fputs("rank,name,on,derived,expr,events,missing,mean_signal,sd_signal,mean_background,"
              "sd_background,median_signal,median_background,separation,auc,direction,"
              "q05_signal,q25_signal,q75_signal,q95_signal,"
              "q05_background,q25_background,q75_background,q95_background,unit,axis_label\n",
              cmd->out);
    } else {
        static const char *const head[] = {"#",        "feature", "on",       "kind", "unit",
                                           "mean sig", "sd sig",  "mean bkg", "sd bkg",
                                           "missing",  "sep",     "AUC",      "cut"};
        /* Unlabelled data has no classes to compare: the statistics of all
         * events, under names that say so. */
        static const char *const head_all[] = {"#",    "feature", "on",     "kind",   "unit",
                                               "mean", "sd",      "median", "missing"};
        size_t ncols = label ? sizeof head / sizeof *head : sizeof head_all / sizeof *head_all;
        hs_grid_init(&g, ncols - (nunits ? 0 : 1));
        if (features_row(&g, label ? head : head_all, NULL, ncols, nunits > 0)) {
            rc = hs_cmd_nomem(cmd);
            goto done;
        }
    }
    for (size_t r = 0; r < ld.fs.n; r++) {
        const struct hs_feature *f = &ld.fs.f[rk[r].idx];
        const struct hs_featstats *s = rk[r].st;
        /* Unlabelled data: the "signal" columns show every event. */
        const struct hs_colstats *cs = label ? &s->cls[HS_CLASS_SIGNAL] : &s->cls[HS_CLASS_ALL];
        const struct hs_colstats *cb = &s->cls[HS_CLASS_BACKGROUND];
        const struct hs_feature_unit *u = hs_feature_units_find(units, nunits, f->name);
        char b[12][HS_NUM_BUF], rank[24], miss[24];
        const char *dir = s->direction > 0 ? ">" : s->direction < 0 ? "<" : "";

        snprintf(rank, sizeof rank, "%zu", r + 1);
        snprintf(miss, sizeof miss, "%zu", s->cls[HS_CLASS_ALL].missing);
        num(cs->mean, b[0], csv);
        num(cs->sd, b[1], csv);
        num(label ? cb->mean : NAN, b[2], csv);
        num(label ? cb->sd : NAN, b[3], csv);
        num(s->separation, b[4], csv);
        num(s->auc, b[5], csv);
        num(s->quant[label ? HS_CLASS_SIGNAL : HS_CLASS_ALL][2], b[6], csv);
        num(label ? s->quant[HS_CLASS_BACKGROUND][2] : NAN, b[7], csv);
        if (csv) {
            fprintf(cmd->out, "%s,", rank);
            hs_grid_csv_cell(cmd->out, f->name, false);
            fprintf(cmd->out, ",%d,%d,", f->on, f->expr != NULL);
            hs_grid_csv_cell(cmd->out, f->expr, false);
            fprintf(cmd->out, ",%zu,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s", s->cls[HS_CLASS_ALL].n, miss,
                    b[0], b[1], b[2], b[3], b[6], b[7], b[4], b[5], dir);
            /* The other quantiles (5, 25, 75, 95%) of each class. */
            for (int c = 0; c < 2; c++) {
                int cls = c == 0 ? (label ? HS_CLASS_SIGNAL : HS_CLASS_ALL) : HS_CLASS_BACKGROUND;
                for (int q = 0; q < HS_NQUANT; q++) {
                    char qb[HS_NUM_BUF];
                    if (q == 2)
                        continue;
                    num(c == 1 && !label ? NAN : s->quant[cls][q], qb, true);
                    fprintf(cmd->out, ",%s", qb);
                }
            }
            fputc(',', cmd->out);
            hs_grid_csv_cell(cmd->out, u ? u->unit : NULL, false);
            fputc(',', cmd->out);
            hs_grid_csv_cell(cmd->out, u ? u->axis_label : NULL, false);
            fputc('\n', cmd->out);
        } else {
            const char *unit = u && u->unit ? u->unit : "";
            const char *cells[] = {rank, f->name, f->on ? "on" : "off", hs_feature_kind_name(f->kind),
                                   unit, b[0],    b[1], b[2],           b[3],
                                   miss, b[4],    b[5], dir};
            const char *cells_all[] = {rank, f->name, f->on ? "on" : "off",
                                       hs_feature_kind_name(f->kind), unit, b[0], b[1], b[6], miss};
            const bool isnum[] = {true, false, false, false, false, true, true,
                                  true, true,  true,  true,  true,  false};
            if (features_row(&g, label ? cells : cells_all, isnum,
                             label ? sizeof cells / sizeof *cells
                                   : sizeof cells_all / sizeof *cells_all,
                             nunits > 0)) {
                rc = hs_cmd_nomem(cmd);
                break;
            }
        }
    }
    if (!csv) {
        if (rc == HS_OK) {
            hs_grid_print(&g, cmd->out);
            if (!label)
                fputs("(unlabelled: the statistics are over all events)\n", cmd->out);
        }
        hs_grid_release(&g);
    }
done:
    hs_feature_units_free(units, nunits);
    free(cols);
    free(rk);
    free(st);
    hs_select_release(&sel);
    hs_loaded_close(&ld);
    return rc;
}

static const struct hs_opt_spec features_opts[] = {
    {"csv", 0, HS_OPT_FLAG, NULL, "write CSV, every number exact"},
    {"sort", 0, HS_OPT_VALUE, "BY", "rank by separation (default), auc or name"},
    HS_SELECT_OPTS,
    {0},
};

static const struct hs_cmd_entry features_entry = {
    .name = "features",
    .alias = NULL,
    .usage = "[--csv] [--sort separation|auc|name] " HS_SELECT_USAGE,
    .summary = "list the features with their statistics per class, separation and AUC, ranked",
    .opts = features_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_DATASET,
    .exec = features_exec,
};

/* ---- feature add|on|off|drop|suggest ------------------------------- */

/* The most derived features suggest --add makes a dataset hold: 100,000
 * (the pairs of 182 particles) load in about a second. */
#define FEATURE_SUGGEST_MAX 100000

/* The names of the columns read from the file (the features' are
 * skipped), a new array of *n borrowed names; NULL when out of memory. */
static const char **
file_columns(const struct hs_loaded *ld, size_t *n)
{
    const char **names = calloc(ld->t->ncols + 1, sizeof *names);

    *n = 0;
    for (size_t j = 0; names && j < ld->t->ncols; j++)
        if (!ld->t->cols[j].synthetic)
            names[(*n)++] = ld->t->cols[j].name;
    return names;
}

static int
feature_suggest(struct hs_cmd *cmd, struct hs_loaded *ld, bool add)
{
    struct hs_suggestion *sg = NULL;
    size_t n = 0, nn, added = 0;
    const char **names = file_columns(ld, &nn);
    int rc;

    if (!names)
        return hs_cmd_nomem(cmd);
    rc = hs_fourvec_suggest(names, nn, &sg, &n, &cmd->err);
    free(names);
    if (rc)
        return rc;
    /* Pairs grow as the square of the particles: refuse up front, before
     * any "added" line, what would make every later command slow. */
    if (add) {
        size_t have = 0, fresh = 0;
        for (size_t i = 0; i < ld->fs.n; i++)
            have += ld->fs.f[i].kind == HS_FEATURE_DERIVED;
        for (size_t i = 0; i < n; i++)
            fresh += hs_featureset_find(&ld->fs, sg[i].name) < 0;
        if (have + fresh > FEATURE_SUGGEST_MAX) {
            rc = hs_err_set(&cmd->err, HS_ERANGE,
                            "feature suggest --add: %zu new pair features would make %zu derived "
                            "features, over the %d a dataset can work with quickly; add the "
                            "pairs you need with 'feature add' (feature suggest lists them)",
                            fresh, have + fresh, FEATURE_SUGGEST_MAX);
            hs_suggestions_free(sg, n);
            return rc;
        }
    }
    for (size_t i = 0; i < n; i++) {
        bool exists = hs_featureset_find(&ld->fs, sg[i].name) >= 0;
        if (add && !exists) {
            if ((rc = hs_featureset_add(&ld->fs, sg[i].name, sg[i].expr, true, &cmd->err)))
                break;
            added++;
        }
        fprintf(cmd->out, "%s%s = %s    # %s\n", exists ? "(have) " : add ? "added " : "",
                sg[i].name, sg[i].expr, sg[i].what);
    }
    if (rc == HS_OK && n == 0)
        fputs("no particles found: name four-momenta E1,px1,py1,pz1 or pt1,eta1,phi1 (or "
              "E_mu_plus,p_mu_plus_x,...) to get pair quantities\n",
              cmd->out);
    hs_suggestions_free(sg, n);
    if (rc == HS_OK && !added)
        cmd->unchanged = true;
    return rc;
}

/* --pid e=11,mu=13: the types by particle code, into codes[0..*n) (their
 * names point into spec, which is changed). */
#define RMM_MAX_CODES 16
static int
rmm_codes(struct hs_cmd *cmd, char *spec, struct hs_rmm_code *codes, size_t *n)
{
    char *save = NULL;

    *n = 0;
    for (char *tok = strtok_r(spec, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '='), *end;
        long code;
        if (*n == RMM_MAX_CODES)
            return hs_err_set(&cmd->err, HS_EUSAGE, "--pid takes at most %d types",
                              RMM_MAX_CODES);
        if (!eq || eq == tok)
            return hs_err_set(&cmd->err, HS_EUSAGE,
                              "--pid takes TYPE=CODE,... (e=11,mu=13), not '%s'", tok);
        *eq = '\0';
        code = strtol(eq + 1, &end, 10);
        if (end == eq + 1 || *end || code == 0)
            return hs_err_set(&cmd->err, HS_EUSAGE,
                              "--pid: '%s' is not a particle code (a whole number, not 0)",
                              eq + 1);
        codes[(*n)++] = (struct hs_rmm_code){tok, code};
    }
    if (*n == 0)
        return hs_err_set(&cmd->err, HS_EUSAGE, "--pid takes TYPE=CODE,... (e=11,mu=13)");
    return HS_OK;
}

/* feature rmm: the rapidity-mass matrix's cells (on) and the helper
 * features they read (off), replacing the ones an earlier run made.  The
 * cells are evaluated at once, to say how many events lack each. */
static int
feature_rmm(struct hs_cmd *cmd, struct hs_loaded *ld)
{
    struct hs_rmm_opts o = {0};
    struct hs_rmm r = {0};
    const char **names;
    size_t nn, dropped = 0;
    int rc;

    struct hs_rmm_code codes[RMM_MAX_CODES];
    char *spec = NULL;

    if ((rc = hs_cmd_opt_count(cmd, "objects", 1, HS_RMM_MAX_OBJECTS, &o.objects)) ||
        (rc = hs_cmd_opt_number(cmd, "sqrt-s", 1e-6, 1e12, &o.sqrt_s)))
        return rc;
    if (hs_cmd_opt(cmd, "pid")) {
        if (!(spec = strdup(hs_cmd_opt(cmd, "pid"))))
            return hs_cmd_nomem(cmd);
        if ((rc = rmm_codes(cmd, spec, codes, &o.npid))) {
            free(spec);
            return rc;
        }
        o.pid = codes;
    }
    if (!(names = file_columns(ld, &nn))) {
        free(spec);
        return hs_cmd_nomem(cmd);
    }
    rc = hs_rmm_build(names, nn, &o, &r, &cmd->err);
    free(names);
    free(spec);
    if (rc)
        return rc;
    /* Last first: a later helper or cell reads the earlier ones. */
    for (size_t i = ld->fs.n; i-- > 0 && rc == HS_OK;) {
        if (ld->fs.f[i].kind != HS_FEATURE_DERIVED || !hs_rmm_name(ld->fs.f[i].name))
            continue;
        if ((rc = hs_featureset_drop(&ld->fs, ld->fs.f[i].name, &cmd->err)))
            hs_err_prefix(&cmd->err, "feature rmm replaces the rmm_ features: ");
        dropped++;
    }
    for (size_t i = 0; i < r.n && rc == HS_OK; i++)
        rc = hs_featureset_add(&ld->fs, r.f[i].name, r.f[i].expr, r.f[i].cell, &cmd->err);
    if (rc == HS_OK) {
        fprintf(cmd->out, "rapidity-mass matrix of %zu objects (", r.nobjects);
        for (size_t k = 0; k < r.nobjects; k++)
            fprintf(cmd->out, "%s%s", k ? " " : "", r.objects[k]);
        fprintf(cmd->out, ")%s, sqrt(s) = %g GeV: %zu cells, %zu helper features (off)%s\n",
                r.has_met ? " and the MET" : ", no MET columns",
                o.sqrt_s > 0 ? o.sqrt_s : HS_RMM_SQRT_S, r.ncells, r.n - r.ncells,
                dropped ? ", replacing the earlier ones" : "");
    }
    for (size_t i = 0; i < r.n && rc == HS_OK; i++) {
        long idx = hs_featureset_find(&ld->fs, r.f[i].name);
        const double *v;
        if (!r.f[i].cell)
            continue;
        if ((rc = hs_featureset_values(&ld->fs, (size_t)idx, &v, &cmd->task, &cmd->err)))
            break;
        fprintf(cmd->out, "%-24s %s", r.f[i].name, r.f[i].what);
        if (ld->fs.f[idx].stats.nnan)
            fprintf(cmd->out, " (missing in %zu of %zu events)", ld->fs.f[idx].stats.nnan,
                    ld->fs.f[idx].stats.nrows);
        fputc('\n', cmd->out);
    }
    hs_rmm_release(&r);
    return rc;
}

/* "-" in place of a unit or label: none. */
static const char *
unit_word(const char *v)
{
    return v && strcmp(v, "-") == 0 ? "" : v;
}

/* feature unit NAME [UNIT|-] [--axis-label TEXT|-] [--clear]: set what is
 * given, keep the rest; with nothing given, say what the feature has. */
static int
feature_unit(struct hs_cmd *cmd, struct hs_app *app, const struct hs_loaded *ld)
{
    const char *unit = cmd->argc > 2 ? unit_word(cmd->argv[2]) : NULL;
    const char *label = unit_word(hs_cmd_opt(cmd, "axis-label"));
    bool clear = hs_cmd_flag(cmd, "clear");
    struct hs_feature_unit u = {0};
    size_t idx;
    int rc;

    if (cmd->argc < 2 || cmd->argc > 3 || (clear && (unit || label)))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "usage: feature unit NAME [UNIT|-] [--axis-label TEXT|-], or feature "
                          "unit NAME --clear");
    if ((rc = hs_loaded_feature(cmd, ld, cmd->argv[1], &idx)))
        return rc;
    if (clear)
        return hs_sess_unit_clear(app->sess, cmd->dataset, ld->fs.f[idx].name, &cmd->err);
    if ((rc = hs_sess_unit_get(app->sess, cmd->dataset, ld->fs.f[idx].name, &u, &cmd->err)))
        return rc;
    if (!unit && !label) {
        fprintf(cmd->out, "%s: unit %s, axis label %s\n", ld->fs.f[idx].name,
                u.unit ? u.unit : "(none)", u.axis_label ? u.axis_label : "(its name)");
        cmd->unchanged = true;
    } else {
        rc = hs_sess_unit_set(app->sess, cmd->dataset, ld->fs.f[idx].name, unit ? unit : u.unit,
                              label ? label : u.axis_label, &cmd->err);
    }
    hs_feature_unit_release(&u);
    return rc;
}

static int
feature_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    const char *verb = cmd->argv[0];
    struct hs_loaded ld = {0};
    bool list_only = false;
    int rc;

    if ((hs_cmd_opt(cmd, "unit") || hs_cmd_opt(cmd, "axis-label")) &&
        strcmp(verb, "add") != 0 && strcmp(verb, "unit") != 0)
        return hs_err_set(&cmd->err, HS_EUSAGE, "--unit and --axis-label go with feature add "
                                                "(or feature unit)");
    if ((hs_cmd_opt(cmd, "objects") || hs_cmd_opt(cmd, "sqrt-s") || hs_cmd_opt(cmd, "pid")) &&
        strcmp(verb, "rmm") != 0)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "--objects, --sqrt-s and --pid go with feature rmm");
    /* A toggle, a drop or a unit changes the list, not the values: the
     * events are not read (a toggle of a million events takes a frame). */
    if (strcmp(verb, "on") == 0 || strcmp(verb, "off") == 0 || strcmp(verb, "drop") == 0 ||
        strcmp(verb, "unit") == 0)
        rc = hs_loaded_open_columns(cmd, app, &ld);
    else
        rc = hs_loaded_open(cmd, app, &ld);
    if (rc)
        return rc;
    if (strcmp(verb, "add") == 0) {
        if (cmd->argc != 3)
            rc = hs_err_set(&cmd->err, HS_EUSAGE, "usage: feature add NAME 'EXPRESSION'");
        else
            rc = hs_featureset_add(&ld.fs, cmd->argv[1], cmd->argv[2], !hs_cmd_flag(cmd, "off"),
                                   &cmd->err);
        if (rc == HS_OK) {
            /* Evaluate now: a feature that is all NaN is worth a word. */
            const double *v;
            const struct hs_feature *f = &ld.fs.f[ld.fs.n - 1];
            rc = hs_featureset_values(&ld.fs, ld.fs.n - 1, &v, &cmd->task, &cmd->err);
            if (rc == HS_OK && f->stats.nnan)
                fprintf(cmd->out, "feature '%s': %zu of %zu events have no value\n", f->name,
                        f->stats.nnan, f->stats.nrows);
        }
        if (rc == HS_OK)
            rc = hs_sess_unit_set(app->sess, cmd->dataset, cmd->argv[1],
                                  unit_word(hs_cmd_opt(cmd, "unit")),
                                  unit_word(hs_cmd_opt(cmd, "axis-label")), &cmd->err);
    } else if (strcmp(verb, "unit") == 0) {
        rc = feature_unit(cmd, app, &ld);
        list_only = true;
    } else if (strcmp(verb, "on") == 0 || strcmp(verb, "off") == 0) {
        if (cmd->argc < 2)
            rc = hs_err_set(&cmd->err, HS_EUSAGE, "usage: feature %s NAME...", verb);
        for (int i = 1; i < cmd->argc && rc == HS_OK; i++)
            rc = hs_featureset_set_on(&ld.fs, cmd->argv[i], verb[1] == 'n', &cmd->err);
    } else if (strcmp(verb, "drop") == 0) {
        if (cmd->argc != 2)
            rc = hs_err_set(&cmd->err, HS_EUSAGE, "usage: feature drop NAME");
        else
            rc = hs_featureset_drop(&ld.fs, cmd->argv[1], &cmd->err);
        /* The feature takes its unit and label along. */
        if (rc == HS_OK)
            rc = hs_sess_unit_clear(app->sess, cmd->dataset, cmd->argv[1], &cmd->err);
    } else if (strcmp(verb, "suggest") == 0) {
        if (cmd->argc != 1)
            rc = hs_err_set(&cmd->err, HS_EUSAGE, "usage: feature suggest [--add]");
        else
            rc = feature_suggest(cmd, &ld, hs_cmd_flag(cmd, "add"));
    } else if (strcmp(verb, "rmm") == 0) {
        if (cmd->argc != 1)
            rc = hs_err_set(&cmd->err, HS_EUSAGE,
                            "usage: feature rmm [--objects N] [--sqrt-s GEV] [--pid T=CODE,...]");
        else
            rc = feature_rmm(cmd, &ld);
    } else {
        rc = hs_err_set(&cmd->err, HS_EUSAGE,
                        "feature: unknown action '%s' (add, unit, on, off, drop, suggest or rmm)",
                        verb);
    }
    if (rc == HS_OK && !cmd->unchanged && !list_only)
        rc = hs_sess_featureset_save(app->sess, cmd->dataset, &ld.fs, &cmd->err);
    hs_loaded_close(&ld);
    return rc;
}

static const struct hs_opt_spec feature_opts[] = {
    {"off", 0, HS_OPT_FLAG, NULL, "add: the new feature starts off"},
    {"unit", 0, HS_OPT_VALUE, "U", "add: the feature's unit (GeV, m, rad), shown on its axes"},
    {"axis-label", 0, HS_OPT_VALUE, "TEXT",
     "add, unit: the text its axes show in place of its name ('-': the name)"},
    {"clear", 0, HS_OPT_FLAG, NULL, "unit: remove the feature's unit and axis label"},
    {"add", 0, HS_OPT_FLAG, NULL, "suggest: add every suggestion"},
    {"objects", 0, HS_OPT_VALUE, "N", "rmm: the most objects of one type (default 4)"},
    {"sqrt-s", 0, HS_OPT_VALUE, "GEV",
     "rmm: the collision energy the energy cells are divided by (default 13000)"},
    {"pid", 0, HS_OPT_VALUE, "T=CODE,...",
     "rmm: types by the particles' code columns (PID1, ...): e=11,mu=13"},
    {0},
};

static const struct hs_cmd_entry feature_entry = {
    .name = "feature",
    .alias = NULL,
    .usage = "add NAME 'EXPRESSION' [--off] [--unit U] [--axis-label TEXT]\n"
             "unit NAME [UNIT|-] [--axis-label TEXT|-] [--clear]\n"
             "on|off NAME...\n"
             "drop NAME\n"
             "suggest [--add]\n"
             "rmm [--objects N] [--sqrt-s GEV] [--pid T=CODE,...]",
    .summary = "derive, toggle and drop features, give them units and axis labels; suggest pair "
               "quantities of the particles found; their rapidity-mass matrix",
    .opts = feature_opts,
    .min_args = 1,
    .max_args = -1,
    .flags = HS_CMD_WRITES | HS_CMD_DATASET,
    .changes = HS_CHANGE_FEATURES,
    .exec = feature_exec,
};

/* ---- corr ----------------------------------------------------------- */

static int
corr_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    const char *cls_name = hs_cmd_opt(cmd, "class");
    bool csv = hs_cmd_flag(cmd, "csv");
    enum hs_stats_class cls = HS_CLASS_ALL;
    struct hs_loaded ld = {0};
    struct hs_select sel = {0};
    const double **cols = NULL;
    size_t *idx = NULL, k = 0;
    double *r = NULL;
    int rc;

    if ((rc = hs_loaded_open(cmd, app, &ld)))
        return rc;
    if ((rc = hs_select_loaded(cmd, app, &ld, &sel)))
        goto done;
    if (!cls_name)
        cls = hs_table_label(ld.t) ? HS_CLASS_SIGNAL : HS_CLASS_ALL;
    else if (strcmp(cls_name, "signal") == 0)
        cls = HS_CLASS_SIGNAL;
    else if (strcmp(cls_name, "background") == 0)
        cls = HS_CLASS_BACKGROUND;
    else if (strcmp(cls_name, "all") != 0)
        rc = hs_err_set(&cmd->err, HS_EUSAGE,
                        "--class takes signal, background or all, not '%s'", cls_name);
    if (rc == HS_OK && cls != HS_CLASS_ALL && !hs_table_label(ld.t))
        rc = hs_err_set(&cmd->err, HS_EUSAGE,
                        "dataset '%s' has no label: only --class all makes sense", cmd->dataset);
    if (rc)
        goto done;
    cols = calloc(ld.fs.n + 1, sizeof *cols);
    idx = calloc(ld.fs.n + 1, sizeof *idx);
    r = calloc(ld.fs.n * ld.fs.n + 1, sizeof *r);
    if (!cols || !idx || !r) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    for (size_t i = 0; i < ld.fs.n; i++) {
        if (!hs_feature_listed(&ld.fs.f[i]))
            continue;
        if ((rc = hs_featureset_values(&ld.fs, i, &cols[k], &cmd->task, &cmd->err)))
            goto done;
        idx[k++] = i;
    }
    rc = hs_correlation(cols, k, hs_table_label(ld.t), hs_table_weight(ld.t), ld.t->nrows, cls, r,
                        &cmd->task, &cmd->err);
    if (rc)
        goto done;
    hs_cmd_output_begin(cmd);
    if (csv) {
        fputs("feature", cmd->out);
        for (size_t b = 0; b < k; b++) {
            fputc(',', cmd->out);
            hs_grid_csv_cell(cmd->out, ld.fs.f[idx[b]].name, false);
        }
        fputc('\n', cmd->out);
    } else {
        hs_select_say(cmd, &sel);
        fprintf(cmd->out, "correlation (Pearson) over %s events\n",
                cls == HS_CLASS_SIGNAL ? "signal" : cls == HS_CLASS_BACKGROUND ? "background"
                                                                               : "all");
    }
    {
        struct hs_grid g;
        const char **cells = calloc(k + 1, sizeof *cells);
        bool *isnum = calloc(k + 1, sizeof *isnum);
        char (*buf)[HS_NUM_BUF] = calloc(k + 1, sizeof *buf);
        if (!cells || !isnum || !buf) {
            free(cells);
            free(isnum);
            free(buf);
            rc = hs_cmd_nomem(cmd);
            goto done;
        }
        hs_grid_init(&g, k + 1);
        cells[0] = "";
        for (size_t b = 0; b < k; b++)
            cells[b + 1] = ld.fs.f[idx[b]].name;
        if (!csv && hs_grid_add(&g, cells, NULL))
            rc = hs_cmd_nomem(cmd);
        for (size_t a = 0; a < k && rc == HS_OK; a++) {
            cells[0] = ld.fs.f[idx[a]].name;
            for (size_t b = 0; b < k; b++) {
                double x = r[a * k + b];
                if (csv)
                    num(x, buf[b + 1], true);
                else if (isnan(x))
                    snprintf(buf[b + 1], HS_NUM_BUF, "-");
                else
                    snprintf(buf[b + 1], HS_NUM_BUF, "%.2f", x);
                cells[b + 1] = buf[b + 1];
                isnum[b + 1] = true;
            }
            isnum[0] = false;
            if (csv)
                hs_grid_csv_row(cmd->out, k + 1, cells, isnum);
            else if (hs_grid_add(&g, cells, isnum))
                rc = hs_cmd_nomem(cmd);
        }
        if (!csv && rc == HS_OK)
            hs_grid_print(&g, cmd->out);
        hs_grid_release(&g);
        free(cells);
        free(isnum);
        free(buf);
    }
done:
    free(r);
    free(idx);
    free(cols);
    hs_select_release(&sel);
    hs_loaded_close(&ld);
    return rc;
}

static const struct hs_opt_spec corr_opts[] = {
    {"class", 0, HS_OPT_VALUE, "C", "signal (default when labelled), background or all"},
    {"csv", 0, HS_OPT_FLAG, NULL, "write CSV, every number exact"},
    HS_SELECT_OPTS,
    {0},
};

static const struct hs_cmd_entry corr_entry = {
    .name = "corr",
    .alias = NULL,
    .usage = "[--class signal|background|all] [--csv] " HS_SELECT_USAGE,
    .summary = "the linear correlation matrix of the enabled features and learned columns, for one "
               "class",
    .opts = corr_opts,
    .min_args = 0,
    .max_args = 0,
    .flags = HS_CMD_DATASET,
    .exec = corr_exec,
};

const struct hs_cmd_entry *const hs_cmd_feature_entries[] = {
    &features_entry,
    &feature_entry,
    &corr_entry,
    NULL,
};

/* cmd-cluster.c: `hepscope cluster`, groups of events found without
 * their labels.
 *
 *   cluster gmm|kmeans NAME [--k A..B] [the method's options]
 *           [--features F,G,... | --projection P] [--probabilities]
 *           [-o FILE] [--csv] [--where EXPR] [--cut CUTSET]
 *
 * One fit per K of the range (the method's `k` parameter), each reported
 * with its log-likelihood, BIC and AIC; the chosen K (the best BIC, or
 * the one K given) is described cluster by cluster against the label and
 * stored: the cluster of each event as the learned column NAME (1 to K),
 * and with --probabilities each cluster's probability as NAME_p1 ...
 * (sessions/outputs.h).  The steps shared with `project` are in
 * ui/embed.c.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clusterq.h"
#include "gmm.h"
#include "groups.h"
#include "mem.h"
#include "numparse.h"
#include "plots/palette.h"
#include "ui/clusterfit.h"
#include "ui/cmd.h"
#include "ui/embed.h"
#include "ui/grid.h"
#include "ui/plot.h"

/* --k A..B or --k K into lo, hi (default 2..8). */
static int
k_range(struct hs_cmd *cmd, size_t *lo, size_t *hi)
{
    const char *v = hs_cmd_opt(cmd, "k");

    *lo = 2;
    *hi = 8;
    return v ? hs_cluster_range_parse(v, "--k", lo, hi, &cmd->err) : HS_OK;
}

static int
cluster_check(struct hs_cmd *cmd)
{
    struct hs_embed e;
    size_t lo, hi;
    int rc = k_range(cmd, &lo, &hi);

    if (rc)
        return rc;
    /* Before the fits, as `project` does: a file type no figure is saved
     * as is said at once, not after minutes of fitting. */
    if ((rc = hs_plot_check_output(cmd)))
        return rc;
    if (hs_cmd_opt(cmd, "projection") && hs_cmd_opt(cmd, "features"))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "--features and --projection both name the inputs: give one");
    rc = hs_embed_opts(cmd, cmd->argv[0], HS_METHOD_CLUSTER, "k", &e);
    if (rc == HS_OK && hs_cmd_flag(cmd, "probabilities") && !(e.o.method->outputs & HS_METHOD_COORDS))
        rc = hs_err_set(&cmd->err, HS_EUSAGE, "--probabilities: %s gives no probabilities",
                        e.o.method->name);
    hs_embed_release(&e);
    return rc;
}

/* --projection P: its stored coordinates are the inputs. */
static int
projection_inputs(struct hs_cmd *cmd, struct hs_app *app, struct hs_embed *e, const char *p)
{
    struct hs_output_rec rec;
    int rc = hs_sess_output_load(app->sess, cmd->dataset, p, false, &rec, &cmd->err);

    if (rc)
        return rc;
    if (rec.kind != HS_OUTPUT_PROJECTION)
        rc = hs_err_set(&cmd->err, HS_EUSAGE, "--projection: '%s' is a clustering, not a "
                                              "projection",
                        p);
    for (size_t j = 0; j < rec.ncols && rc == HS_OK; j++)
        rc = hs_train_opts_set(&e->o, "features", rec.colnames[j], &cmd->err);
    hs_output_rec_release(&rec);
    return rc;
}

/* Per K: a mixture's log-likelihood, BIC and AIC; k-means' inertia and
 * the silhouette that chose its K (clusterfit.h). */
static int
say_ks(struct hs_cmd *cmd, const struct hs_cluster_kfit *f, const double *sil, size_t n,
       size_t nfit, size_t chosen)
{
    static const char *const head_like[] = {"K", "log-likelihood / event", "BIC", "AIC", ""};
    static const char *const head_km[] = {"K", "inertia", "silhouette", ""};
    static const bool isnum[] = {true, true, true, true, false};
    bool like = n > 0 && isfinite(f[0].bic);
    size_t ncol = like ? 4 : 3;
    struct hs_grid g;
    int rc;

    if (hs_cmd_flag(cmd, "csv")) {
        fputs(like ? "k,loglik_mean,bic,aic\n" : "k,inertia,silhouette\n", cmd->out);
        for (size_t i = 0; i < n; i++) {
            char a[HS_NUM_BUF], b[HS_NUM_BUF], c[HS_NUM_BUF];
            hs_grid_num_exact(like ? f[i].loglik / (double)nfit : f[i].inertia, a);
            hs_grid_num_exact(like ? f[i].bic : sil[i], b);
            hs_grid_num_exact(f[i].aic, c);
            if (like)
                fprintf(cmd->out, "%zu,%s,%s,%s\n", f[i].k, a, b, c);
            else
                fprintf(cmd->out, "%zu,%s,%s\n", f[i].k, a, b);
        }
        return HS_OK;
    }
    hs_grid_init(&g, ncol + 1);
    rc = hs_grid_add(&g, like ? head_like : head_km, NULL);
    for (size_t i = 0; i < n && rc == HS_OK; i++) {
        char b[4][HS_NUM_BUF];
        const char *cells[5] = {b[0], b[1], b[2], b[3], ""};
        snprintf(b[0], sizeof b[0], "%zu", f[i].k);
        if (like) {
            snprintf(b[1], sizeof b[1], "%.6g", f[i].loglik / (double)nfit);
            snprintf(b[2], sizeof b[2], "%.6g", f[i].bic);
            snprintf(b[3], sizeof b[3], "%.6g", f[i].aic);
        } else {
            snprintf(b[1], sizeof b[1], "%.6g", f[i].inertia);
            snprintf(b[2], sizeof b[2], "%.4f", sil[i]);
        }
        for (size_t k = 1; k < ncol; k++)
            if (strcmp(b[k], "nan") == 0)
                strcpy(b[k], "-");
        cells[ncol] = i == chosen ? "<- chosen" : "";
        rc = hs_grid_add(&g, cells, isnum);
    }
    return hs_cmd_print_grid(cmd, &g, rc);
}

/* The clusters of the chosen K against the label (hs_cluster_table_make,
 * as the TUI's clusters view shows them), on the fitted events: size,
 * purity (the share of its larger class) and signal fraction; the
 * purity over all, the adjusted Rand index and the silhouette on a
 * sample of at most 5,000. */
static int
say_clusters(struct hs_cmd *cmd, struct hs_app *app, const struct hs_embed *e,
             const struct hs_cluster_table *tab, const long *id)
{
    static const char *const head[] = {"cluster", "events", "signal", "background", "purity",
                                       "signal fraction"};
    static const bool isnum[] = {true, true, true, true, true, true};
    const double *label = hs_table_label(e->ld.t);
    const struct hs_clusterq *q = &tab->q;
    struct hs_method_data d;
    struct hs_grid g;
    double sil = NAN;
    uint64_t seed = 0;
    char st[32];
    int rc;

    hs_embed_param(e, "seed", st, sizeof st);
    seed = strtoull(st, NULL, 10);
    hs_embed_data(e, app->threads, &d);
    if ((rc = hs_clusterq_silhouette(&d, id, HS_CLUSTER_SIL_SAMPLE, seed, &sil, &cmd->task,
                                     &cmd->err)))
        return rc;
    hs_grid_init(&g, label ? 6 : 2);
    rc = hs_grid_add(&g, head, NULL);
    for (size_t c = 0; c < q->nclusters && rc == HS_OK; c++) {
        const struct hs_cluster_stats *k = &q->cluster[c];
        char v[6][HS_NUM_BUF];
        const char *cells[6] = {v[0], v[1], v[2], v[3], v[4], v[5]};
        snprintf(v[0], sizeof v[0], "%ld", k->id + 1);
        snprintf(v[1], sizeof v[1], "%zu", k->size);
        snprintf(v[2], sizeof v[2], "%zu", k->nsignal);
        snprintf(v[3], sizeof v[3], "%zu", k->nbackground);
        snprintf(v[4], sizeof v[4], "%.4f", k->purity);
        snprintf(v[5], sizeof v[5], "%.4f", k->signal_fraction);
        rc = hs_grid_add(&g, cells, isnum);
    }
    if ((rc = hs_cmd_print_grid(cmd, &g, rc)))
        return rc;
    if (label)
        fprintf(cmd->out, "purity %.4f, adjusted Rand index %.4f against the label; ", q->purity,
                q->ari);
    fprintf(cmd->out, "silhouette %.4f (on at most %d events)\n", sil, HS_CLUSTER_SIL_SAMPLE);
    return HS_OK;
}

/* Per signal group (the HNL mass) where the dataset has a group column:
 * that group's signal against all the background, on the fitted events:
 * how many signal events, the purity and the adjusted Rand index.  How
 * well the clusters find each mass point. */
static int
say_groups(struct hs_cmd *cmd, const struct hs_cluster_table *tab)
{
    static const char *const head[] = {"group", "signal events", "purity", "ARI"};
    static const bool isnum[] = {false, true, true, true};
    struct hs_grid g;
    int rc;

    if (tab->ngroups == 0)
        return HS_OK;
    fprintf(cmd->out, "per %s, its signal against all the background:\n", tab->group_column);
    hs_grid_init(&g, 4);
    rc = hs_grid_add(&g, head, NULL);
    for (size_t k = 0; k < tab->ngroups && rc == HS_OK; k++) {
        char v[3][HS_NUM_BUF];
        const char *cells[4] = {tab->group[k].name, v[0], v[1], v[2]};
        snprintf(v[0], sizeof v[0], "%zu", tab->group[k].nsignal);
        snprintf(v[1], sizeof v[1], "%.4f", tab->group[k].purity);
        snprintf(v[2], sizeof v[2], "%.4f", tab->group[k].ari);
        rc = hs_grid_add(&g, cells, isnum);
    }
    return hs_cmd_print_grid(cmd, &g, rc);
}

/* BIC and AIC (or the inertia, without a likelihood) against K. */
static int
criteria_figure(struct hs_cmd *cmd, const struct hs_embed *e, const struct hs_cluster_kfit *f,
                size_t n)
{
    struct hs_figure *fig = NULL;
    char title[200];
    int rc;

    snprintf(title, sizeof title, "%s of '%s': %s", e->o.method->name, cmd->dataset, e->name);
    if ((rc = hs_cluster_criteria_figure(f, n, 0, title, &fig, &cmd->err)))
        return rc;
    if ((rc = hs_select_figure(cmd, &e->sel, fig, false)) == HS_OK)
        rc = hs_plot_out(cmd, fig);
    hs_figure_free(fig);
    return rc;
}

/* The stored columns of the chosen fit: the cluster (1 to K) and, when
 * asked, the probabilities. */
static int
make_values(struct hs_cmd *cmd, struct hs_embed *e, void *state, struct hs_output_rec *rec,
            long **ids)
{
    size_t n = e->ld.t->nrows, dim = 0;
    double *p = NULL;
    int rc;

    if ((rc = e->o.method->clusters(state, ids, &cmd->err)))
        return rc;
    if (!(rec->values = calloc(rec->ncols, sizeof *rec->values)))
        return hs_cmd_nomem(cmd);
    for (size_t j = 0; j < rec->ncols; j++)
        if (!(rec->values[j] = hs_malloc((n ? n : 1) * sizeof(double))))
            return hs_cmd_nomem(cmd);
    for (size_t i = 0; i < n; i++)
        rec->values[0][i] = (*ids)[i] >= 0 ? (double)((*ids)[i] + 1) : NAN;
    if (rec->ncols == 1)
        return HS_OK;
    if ((rc = e->o.method->coords(state, &p, &dim, &cmd->err)))
        return rc;
    if (dim != rec->ncols - 1) {
        hs_free(p);
        return hs_err_set(&cmd->err, HS_EDATA, "%s gave %zu probabilities per event, not %zu",
                          e->o.method->name, dim, rec->ncols - 1);
    }
    for (size_t j = 0; j < dim; j++)
        for (size_t i = 0; i < n; i++)
            rec->values[j + 1][i] = p[i * dim + j];
    hs_free(p);
    return HS_OK;
}

/* The fits a front end's worker made for exactly this command (the
 * TUI's clusters view: ui/tui-clust.c), moved into *fits: 1 when there
 * were, 0 when the command fits itself, or an error. */
static int
take_pending(struct hs_cmd *cmd, struct hs_app *app, const struct hs_embed *e, size_t lo,
             size_t hi, struct hs_cluster_fits *fits)
{
    char *key = hs_cluster_pending_key(e, cmd->dataset, lo, hi);
    struct hs_cluster_fits *pf;

    if (!key)
        return hs_cmd_nomem(cmd);
    pf = hs_app_pending_take(app, "cluster", key);
    free(key);
    if (!pf)
        return 0;
    if (pf->n != hi - lo + 1 || !pf->state[pf->chosen]) {
        hs_cluster_fits_free(pf);
        return 0;
    }
    *fits = *pf;
    free(pf);
    return 1;
}

static int
cluster_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_embed e;
    struct hs_output_rec rec = {0};
    struct hs_cluster_fits fits = {0};
    struct hs_cluster_table tab = {0};
    const char *proj = hs_cmd_opt(cmd, "projection");
    bool probs = hs_cmd_flag(cmd, "probabilities"), have_tab = false;
    long *ids = NULL;
    size_t lo, hi, nk, chosen;
    double sil[HS_CLUSTER_MAX_RANGE];
    int rc;

    if ((rc = k_range(cmd, &lo, &hi)) ||
        (rc = hs_embed_opts(cmd, cmd->argv[0], HS_METHOD_CLUSTER, "k", &e)))
        goto done;
    if (proj && (rc = projection_inputs(cmd, app, &e, proj)))
        goto done;
    rec.name = (char *)e.name;
    rec.kind = HS_OUTPUT_CLUSTERING;
    /* The columns of the largest K: any K's are among them. */
    if ((rc = hs_output_names(e.name, HS_OUTPUT_CLUSTERING, 0, probs ? hi : 0, &rec.colnames,
                              &rec.ncols, &cmd->err)) ||
        (rc = hs_embed_prepare(cmd, app, &e, rec.colnames, rec.ncols)))
        goto done;
    if ((rc = take_pending(cmd, app, &e, lo, hi, &fits)) < 0 ||
        (rc == 0 &&
         (rc = hs_cluster_fit_embed_sil(&e, app->threads, lo, hi, false, &fits, sil,
                                        &cmd->task, &cmd->err))))
        goto done;
    if (rc == 1) {
        /* The front end's fits (every K kept): the silhouettes again. */
        struct hs_method_data d;
        hs_embed_data(&e, app->threads, &d);
        if ((rc = hs_cluster_choose_silhouette(&e, &d, &fits, sil, &cmd->task, &cmd->err)))
            goto done;
    }
    nk = fits.n;
    chosen = fits.chosen;
    /* The stored columns are the chosen K's. */
    if (probs) {
        hs_output_names_free(rec.colnames, rec.ncols);
        rec.colnames = NULL;
        if ((rc = hs_output_names(e.name, HS_OUTPUT_CLUSTERING, 0, fits.f[chosen].k,
                                  &rec.colnames, &rec.ncols, &cmd->err)))
            goto done;
    }
    {
        char kt[24];
        snprintf(kt, sizeof kt, "%zu", fits.f[chosen].k);
        if ((rc = hs_params_set(&e.o.params, "k", kt, &cmd->err)) ||
            (rc = make_values(cmd, &e, fits.state[chosen], &rec, &ids)))
            goto done;
    }
    rec.nevents = e.ld.t->nrows;
    hs_cmd_output_begin(cmd);
    if (!hs_cmd_flag(cmd, "csv")) {
        fprintf(cmd->out, "clustering '%s' of '%s': %s, %zu inputs, %zu events fitted", e.name,
                cmd->dataset, e.o.method->name, e.nin, e.nfit);
        if (e.nfit < e.nsel)
            fprintf(cmd->out, " (a stratified sample of %zu)", e.nsel);
        fprintf(cmd->out, ", K %zu to %zu\n", lo, hi);
        hs_select_say(cmd, &e.sel);
    }
    if ((rc = say_ks(cmd, fits.f, sil, nk, e.nfit, chosen)))
        goto done;
    if (!hs_cmd_flag(cmd, "csv")) {
        fprintf(cmd->out, "K = %zu (%s):\n", fits.f[chosen].k,
                nk == 1                         ? "as asked"
                : isfinite(fits.f[chosen].bic) ? "the lowest BIC"
                : isfinite(sil[chosen])
                    ? "the highest silhouette: k-means has no likelihood, its inertia always "
                      "falls as K grows"
                    : "the largest K: no likelihood or silhouette to choose by");
        if ((rc = hs_cluster_table_make(&e, ids, &tab, &cmd->err)))
            goto done;
        have_tab = true;
        if ((rc = say_clusters(cmd, app, &e, &tab, ids)) || (rc = say_groups(cmd, &tab)))
            goto done;
    }
    const struct hs_cluster_kfit *cf = &fits.f[chosen];
    struct hs_output_figures fig = {.k = cf->k, .loss = NAN, .trust = NAN,
                                    .loglik_mean = cf->loglik / (double)e.nfit, .bic = cf->bic,
                                    .aic = cf->aic, .inertia = cf->inertia};
    rec.figures = hs_output_figures_text(&fig);
    if ((rc = hs_embed_store(cmd, app, &e, &rec)))
        goto done;
    if (hs_cmd_opt(cmd, "output") && (rc = criteria_figure(cmd, &e, fits.f, nk)))
        goto done;
    if (!hs_cmd_flag(cmd, "csv"))
        fprintf(cmd->out, "stored clustering '%s': column %s%s\n", e.name, e.name,
                probs ? " and its probabilities" : "");
done:
    if (have_tab)
        hs_cluster_table_release(&tab);
    if (fits.method)
        hs_cluster_fits_release(&fits);
    hs_free(ids);
    rec.name = NULL;
    hs_output_rec_release(&rec);
    hs_embed_release(&e);
    return rc;
}

static const struct hs_opt_spec cluster_opts[] = {
    /* The command's own --k (a range) comes before the methods' k (one K,
     * default 2), which the parser then never sees. */
    {"k", 0, HS_OPT_VALUE, "A..B",
     "the numbers of clusters tried, a range or one K, 1 to 64 (default 2..8)"},
    {"features", 0, HS_OPT_LIST, "F,G,...", "the inputs (default: every enabled numeric feature)"},
    {"projection", 0, HS_OPT_VALUE, "P", "the inputs are projection P's coordinates"},
    {"probabilities", 0, HS_OPT_FLAG, NULL,
     "also store each cluster's probability as NAME_p1, NAME_p2, ..."},
    {"csv", 0, HS_OPT_FLAG, NULL,
     "one row per K: k,loglik_mean,bic,aic (gmm) or k,inertia,silhouette (kmeans)"},
    HS_FIGURE_OPTS,
    HS_SELECT_OPTS,
    {0},
};

static const struct hs_cmd_entry cluster_entry = {
    .name = "cluster",
    .alias = NULL,
    .usage = "gmm|kmeans NAME [--k A..B] [the method's options: see 'hepscope methods M'] "
             "[--features F,G,... | --projection P] [--probabilities] [--csv] " HS_FIGURE_USAGE
             " " HS_SELECT_USAGE,
    .summary = "find clusters of events (Gaussian mixtures, k-means) over a range of K; the "
               "cluster of each event becomes column NAME",
    .opts = cluster_opts,
    .min_args = 2,
    .max_args = 2,
    .flags = HS_CMD_WRITES | HS_CMD_LATE_BEGIN | HS_CMD_DATASET | HS_CMD_METHOD_PARAMS,
    .changes = HS_CHANGE_FEATURES,
    .method_outputs = HS_METHOD_CLUSTER,
    .exec = cluster_exec,
    .check = cluster_check,
};

const struct hs_cmd_entry *const hs_cmd_cluster_entries[] = {&cluster_entry, NULL};

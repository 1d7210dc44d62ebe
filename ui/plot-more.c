/* plot-more.c: data versus simulation, 2-D histograms, small multiples.
 *
 *   plot hist FEATURE --data DATASET   the current dataset is the simulation,
 *                                      stacked and weighted; DATASET points
 *                                      with Poisson errors; a ratio panel
 *   plot hist2d F1 F2 [--bins N] [--class signal|background|all]
 *   plot grid                          every enabled feature, normalised
 */
#include "config.h"

#include "ui/plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "featstats.h"
#include "hist.h"
#include "rowsel.h"
#include "numparse.h"
#include "plots/cairo_render.h"
#include "plots/canvas.h"
#include "plots/palette.h"
#include "sessions/session.h"
#include "ui/axislabel.h"
#include "ui/grid.h"
#include "ui/termout.h"

static int
oom(struct hs_cmd *cmd)
{
    return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
}

/* ---- data versus simulation ----------------------------------------- */

struct sim_part {
    const char *label;
    int color;
    const double *mask;
    double want;
    struct hs_hist h;
};

static void
csv_pair(FILE *fp, double a, double b)
{
    char b1[HS_NUM_BUF], b2[HS_NUM_BUF];

    hs_num_format(a, b1);
    hs_num_format(b, b2);
    fprintf(fp, ",%s,%s", b1, b2);
}

/* The plotted numbers: each simulated part, their total, the data and the
 * ratio, with errors, per bin. */
static int
write_data_csv(struct hs_cmd *cmd, const char *path, const struct sim_part *p, size_t np,
               const double *const *pc, const double *const *pe, const double *sim,
               const double *sime, const struct hs_hist *dh, const double *dc, const double *de,
               const double *r, const double *re)
{
    FILE *fp = fopen(path, "w");
    char b1[HS_NUM_BUF], b2[HS_NUM_BUF];
    int rc = HS_OK;

    if (!fp)
        return hs_err_set(&cmd->err, HS_EIO, "cannot write '%s'", path);
    fputs("lo,hi", fp);
    for (size_t k = 0; k < np; k++) {
        char errname[300];
        snprintf(errname, sizeof errname, "%s_err", p[k].label);
        fputc(',', fp);
        hs_grid_csv_cell(fp, p[k].label, false);
        fputc(',', fp);
        hs_grid_csv_cell(fp, errname, false);
    }
    fputs(",simulation,simulation_err,data,data_err,ratio,ratio_err\n", fp);
    for (size_t b = 0; b < dh->nbins; b++) {
        hs_num_format(dh->edges[b], b1);
        hs_num_format(dh->edges[b + 1], b2);
        fprintf(fp, "%s,%s", b1, b2);
        for (size_t k = 0; k < np; k++)
            csv_pair(fp, pc[k][b], pe[k][b]);
        csv_pair(fp, sim[b], sime[b]);
        csv_pair(fp, dc[b], de[b]);
        csv_pair(fp, r[b], re[b]);
        fputc('\n', fp);
    }
    if (ferror(fp))
        rc = hs_err_set(&cmd->err, HS_EIO, "cannot write '%s'", path);
    if (fclose(fp) != 0 && rc == HS_OK)
        rc = hs_err_set(&cmd->err, HS_EIO, "cannot write '%s'", path);
    return rc;
}

/* The ratio panel's range, symmetric about 1: wide enough for the ratios
 * (error bars included) of the well-filled bins, at least 1% of the fullest
 * one, so that a sparse tail does not squash the comparison; one of a few
 * round half-widths.  Points outside are clipped, as in HEP plots. */
static void
ratio_range(struct hs_axis *a, const double *sim, const double *r, const double *re, size_t n)
{
    static const double steps[] = {0.1, 0.2, 0.25, 0.5, 1};
    double smax = 0, d = 0;
    size_t k;

    for (size_t b = 0; b < n; b++)
        smax = fmax(smax, sim[b]);
    for (size_t b = 0; b < n; b++)
        if (sim[b] >= 0.01 * smax && isfinite(r[b]) && isfinite(re[b]))
            d = fmax(d, fabs(r[b] - 1) + re[b]);
    for (k = 0; k + 1 < sizeof steps / sizeof steps[0] && steps[k] < 1.05 * d; k++)
        ;
    a->fixed = true;
    a->lo = 1 - steps[k];
    a->hi = 1 + steps[k];
}

/* Load the data dataset and its values of the feature called name. */
static int
load_data(struct hs_cmd *cmd, struct hs_app *app, const struct hs_select *sel, const char *dname,
          const char *name, struct hs_loaded *dl, const double **dv)
{
    const char *saved = cmd->dataset;
    struct hs_dataset_info info;
    unsigned char *mask = NULL;
    char what[300];
    size_t didx, nsel;
    int rc;

    memset(&info, 0, sizeof info);
    rc = hs_sess_dataset_info(app->sess, dname, &info, &cmd->err);
    if (rc == HS_ENOTFOUND)
        return hs_err_set(&cmd->err, HS_ENOTFOUND, "--data: no dataset '%s' in the session",
                          dname);
    if (rc)
        return rc;
    hs_dataset_info_release(&info);
    cmd->dataset = dname;
    rc = hs_loaded_open(cmd, app, dl);
    /* The same selection on the data: its expression compiled there, the
     * simulation's cut set applied to it. */
    snprintf(what, sizeof what, "--data '%s'", dname);
    if (rc == HS_OK && (rc = hs_select_other(cmd, sel, &dl->fs, what, &mask, &nsel)) == HS_OK &&
        mask)
        hs_rowsel_keep(dl->t, &dl->fs, mask);
    free(mask);
    if (rc)
        hs_loaded_close(dl);
    if (rc == HS_OK && ((rc = hs_loaded_feature(cmd, dl, name, &didx)) ||
                        (rc = hs_featureset_values(&dl->fs, didx, dv, &cmd->task, &cmd->err))))
        hs_loaded_close(dl);
    cmd->dataset = saved;
    return rc;
}

/* --scale: how the simulation is brought to the data. */
enum sim_scale {
    SCALE_DATA, /* weighted, then scaled to the data's total in the plotted range */
    SCALE_NONE, /* every simulated event counts 1 */
    SCALE_LUMI, /* every simulated event counts its weight, as stored */
};

static int
parse_scale(struct hs_cmd *cmd, const struct hs_table *t, enum sim_scale *out)
{
    const char *v = hs_cmd_opt(cmd, "scale");

    *out = SCALE_DATA;
    if (!v || strcmp(v, "data") == 0)
        return HS_OK;
    if (strcmp(v, "none") == 0)
        *out = SCALE_NONE;
    else if (strcmp(v, "lumi") == 0)
        *out = SCALE_LUMI;
    else
        return hs_err_set(&cmd->err, HS_EUSAGE, "--scale takes data, none or lumi, not '%s'", v);
    if (*out == SCALE_LUMI && !hs_table_weight(t))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "--scale lumi: dataset '%s' has no weight column (import --weight COL)",
                          cmd->dataset);
    return HS_OK;
}

/* The simulation's legend entry: its hatched band says how it was scaled. */
static void
scale_legend(enum sim_scale how, bool norm, double k, char *buf, size_t size)
{
    if (norm)
        snprintf(buf, size, "Simulation (normalised to unit sum)");
    else if (how == SCALE_DATA)
        snprintf(buf, size, "Simulation (scaled to data: x%.3g)", k);
    else if (how == SCALE_LUMI)
        snprintf(buf, size, "Simulation (weights as stored)");
    else
        snprintf(buf, size, "Simulation (events, not scaled)");
}

/* A figure's band: the statistical uncertainty of the summed simulation,
 * hatched. */
static int
add_band(struct hs_panel *p, const char *label, const double *edges, const double *y,
         const double *yerr, size_t n, char *msg)
{
    struct hs_series s = {0};

    s.kind = HS_SERIES_BAND;
    s.label = (char *)label;
    s.color = HS_PAL_DATA;
    s.alpha = 0.5;
    s.n = n;
    s.x = (double *)edges;
    s.y = (double *)y;
    s.yerr = (double *)yerr;
    return hs_panel_add(p, &s, msg) ? HS_OK : HS_ENOMEM;
}

int
hs_plot_hist_data(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
                  const struct hs_select *sel, size_t idx, const double *v, double lo, double hi,
                  size_t nbins)
{
    const char *dname = hs_cmd_opt(cmd, "data");
    const struct hs_table *t = ld->t;
    const double *label = hs_table_label(t), *dv = NULL, *weight;
    bool norm = hs_cmd_flag(cmd, "norm"), logy = hs_cmd_flag(cmd, "log");
    struct hs_loaded dl = {0};
    struct sim_part p[HS_PLOT_MAX_SERIES];
    struct hs_hist dh = {0};
    double *gmask = NULL, codes[HS_PLOT_MAX_SERIES], *buf = NULL, k = 1;
    double *pc[HS_PLOT_MAX_SERIES], *pe[HS_PLOT_MAX_SERIES];
    double *sim, *sime, *dc, *de, *r, *re, *xc, *one, *rband;
    const char *gnames[HS_PLOT_MAX_SERIES];
    char numbuf[HS_PLOT_MAX_SERIES][HS_NUM_BUF], msg[HS_PLOT_MSG_MAX], text[400], ylabel[300];
    char legend[128];
    struct hs_featlabel fl;
    struct hs_figure *f = NULL;
    enum sim_scale how;
    size_t np = 0, ng = 0;
    int rc;

    memset(p, 0, sizeof p);
    if ((rc = parse_scale(cmd, t, &how)) ||
        (rc = hs_featlabel_get(app->sess, cmd->dataset, ld->fs.f[idx].name, &fl, &cmd->err)))
        return rc;
    /* --scale none counts events; otherwise each counts its weight. */
    weight = how == SCALE_NONE ? NULL : hs_table_weight(t);
    if ((rc = load_data(cmd, app, sel, dname, ld->fs.f[idx].name, &dl, &dv)))
        return rc;

    /* One binning for both, from the simulation unless given. */
    if ((rc = hs_plot_binning(cmd, v, t->nrows, &lo, &hi, &nbins)))
        goto done;

    /* The simulation's parts, bottom up: the background's processes (or
     * the background), then the signal on top; all of it when unlabelled. */
    if (!label) {
        p[np++] = (struct sim_part){"simulation", HS_PAL_BACKGROUND, NULL, NAN, {0}};
    } else {
        if ((rc = hs_plot_group_masks(cmd, t, &gmask, codes, gnames, numbuf,
                                      HS_PLOT_MAX_SERIES - 1, &ng)))
            goto done;
        if (ng > 1) {
            for (size_t j = 0; j < ng; j++)
                p[np++] = (struct sim_part){gnames[j], HS_PAL_BACKGROUND + (j ? 2 + (int)j : 0),
                                            gmask, codes[j], {0}};
        } else {
            p[np++] = (struct sim_part){"background", HS_PAL_BACKGROUND, label, 0.0, {0}};
        }
        p[np++] = (struct sim_part){"signal", HS_PAL_SIGNAL, label, 1.0, {0}};
    }
    for (size_t j = 0; j < np; j++)
        if ((rc = hs_hist_init(&p[j].h, nbins, lo, hi, &cmd->err)) ||
            (rc = hs_hist_fill(&p[j].h, v, weight, p[j].mask, p[j].want, t->nrows, &cmd->task,
                               &cmd->err)))
            goto done;
    if ((rc = hs_hist_init(&dh, nbins, lo, hi, &cmd->err)) ||
        (rc = hs_hist_fill(&dh, dv, hs_table_weight(dl.t), NULL, NAN, dl.t->nrows, &cmd->task,
                           &cmd->err)))
        goto done;

    /* The numbers: per part, the simulation's total, the data, the ratio. */
    buf = calloc((2 * np + 9) * nbins, sizeof *buf);
    f = hs_figure_new();
    if (!buf || !f) {
        rc = oom(cmd);
        goto done;
    }
    for (size_t j = 0; j < np; j++) {
        pc[j] = buf + 2 * j * nbins;
        pe[j] = pc[j] + nbins;
    }
    sim = buf + 2 * np * nbins;
    sime = sim + nbins;
    dc = sime + nbins;
    de = dc + nbins;
    r = de + nbins;
    re = r + nbins;
    xc = re + nbins;
    one = xc + nbins;
    rband = one + nbins;
    {
        double stot = 0, dtot = hs_hist_integral(&dh), ss, ds;
        for (size_t j = 0; j < np; j++)
            stot += hs_hist_integral(&p[j].h);
        /* The simulation to the data's total in range (or, normalised,
         * each to unit sum); errors scale with it. */
        k = how == SCALE_DATA ? (stot > 0 ? dtot / stot : 0) : 1;
        ss = norm ? (stot > 0 ? 1 / stot : 0) : k;
        ds = norm ? (dtot > 0 ? 1 / dtot : 0) : 1;
        hs_hist_contents(&dh, 0, dc, de);
        for (size_t j = 0; j < np; j++) {
            hs_hist_contents(&p[j].h, 0, pc[j], pe[j]);
            for (size_t b = 0; b < nbins; b++) {
                sim[b] += pc[j][b];
                sime[b] += pe[j][b] * pe[j][b];
            }
        }
        for (size_t b = 0; b < nbins; b++) {
            /* sqrt(sum w^2) of the summed stack */
            sime[b] = sqrt(sime[b]) * ss;
            sim[b] *= ss;
            for (size_t j = 0; j < np; j++) {
                pc[j][b] *= ss;
                pe[j][b] *= ss;
            }
            dc[b] *= ds;
            de[b] *= ds;
            /* The data's relative error on its points; the simulation's
             * as a band about 1; no ratio where the simulation is empty. */
            r[b] = sim[b] > 0 ? dc[b] / sim[b] : NAN;
            re[b] = sim[b] > 0 ? de[b] / sim[b] : NAN;
            one[b] = 1;
            rband[b] = sim[b] > 0 ? sime[b] / sim[b] : 0;
            xc[b] = 0.5 * (dh.edges[b] + dh.edges[b + 1]);
        }
    }

    /* The figure. */
    snprintf(text, sizeof text, "data: %s (%zu events); simulation: %s (%zu events)%s%.*s", dname,
             dl.t->nrows, cmd->dataset, t->nrows, sel->active ? "; selection: " : "", 200,
             sel->text);
    hs_axislabel_events((hi - lo) / (double)nbins, fl.unit,
                        norm ? HS_YLABEL_FRACTION : HS_YLABEL_EVENTS, ylabel, sizeof ylabel);
    scale_legend(how, norm, k, legend, sizeof legend);
    if (hs_figure_set_string(&f->title, ld->fs.f[idx].name, msg) ||
        hs_figure_set_string(&f->text, text, msg) ||
        hs_figure_set_string(&f->main.y.label, ylabel, msg) ||
        hs_figure_set_string(&f->main.x.label, fl.axis, msg) ||
        hs_figure_set_string(&f->ratio.x.label, fl.axis, msg) ||
        hs_figure_set_string(&f->ratio.y.label, "data / sim.", msg))
        goto nomem;
    f->main.y.scale = logy ? HS_AXIS_LOG : HS_AXIS_LINEAR;
    f->has_ratio = true;
    ratio_range(&f->ratio.y, sim, r, re, nbins);
    for (size_t j = 0; j < np; j++) {
        struct hs_series s = {0};
        s.kind = HS_SERIES_HIST;
        s.label = (char *)p[j].label;
        s.color = p[j].color;
        s.alpha = 0.85;
        s.style = HS_HIST_FILLED;
        s.stack = 1;
        s.n = nbins;
        s.x = dh.edges;
        s.y = pc[j];
        s.yerr = pe[j];
        if (!hs_panel_add(&f->main, &s, msg))
            goto nomem;
    }
    if (add_band(&f->main, legend, dh.edges, sim, sime, nbins, msg) ||
        add_band(&f->ratio, NULL, dh.edges, one, rband, nbins, msg))
        goto nomem;
    {
        struct hs_series s = {0};
        s.kind = HS_SERIES_POINTS;
        s.label = "data";
        s.color = HS_PAL_DATA;
        s.n = nbins;
        s.x = xc;
        s.y = dc;
        s.yerr = de;
        if (!hs_panel_add(&f->main, &s, msg))
            goto nomem;
        s.label = NULL;
        s.y = r;
        s.yerr = re;
        if (!hs_panel_add(&f->ratio, &s, msg))
            goto nomem;
    }
    if (hs_cmd_opt(cmd, "csv") &&
        (rc = write_data_csv(cmd, hs_cmd_opt(cmd, "csv"), p, np, (const double *const *)pc,
                             (const double *const *)pe, sim, sime, &dh, dc, de, r, re)))
        goto done;
    /* A file's reader sees the legend; the command's says it too. */
    if (hs_cmd_opt(cmd, "output"))
        fprintf(cmd->out, "%s\n", legend);
    rc = hs_plot_out(cmd, f);
    goto done;
nomem:
    rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
done:
    for (size_t j = 0; j < np; j++)
        hs_hist_release(&p[j].h);
    hs_hist_release(&dh);
    hs_figure_free(f);
    free(buf);
    free(gmask);
    hs_loaded_close(&dl);
    return rc;
}

/* ---- plot hist2d ---------------------------------------------------- */

/* --class as a label value to select: 1, 0, or NaN for every event. */
static int
parse_class(struct hs_cmd *cmd, const struct hs_table *t, double *want, const char **name)
{
    const char *c = hs_cmd_opt(cmd, "class");

    *want = NAN;
    *name = "all";
    if (!c || strcmp(c, "all") == 0)
        return HS_OK;
    if (strcmp(c, "signal") == 0)
        *want = 1.0;
    else if (strcmp(c, "background") == 0)
        *want = 0.0;
    else
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "--class takes signal, background or all, not '%s'", c);
    if (!hs_table_label(t))
        return hs_err_set(&cmd->err, HS_EUSAGE, "dataset '%s' has no label: use --class all",
                          cmd->dataset);
    *name = c;
    return HS_OK;
}

static int
write_hist2d_csv(struct hs_cmd *cmd, const char *path, const struct hs_hist2d *h)
{
    FILE *fp = fopen(path, "w");
    char b[4][HS_NUM_BUF];
    int rc = HS_OK;

    if (!fp)
        return hs_err_set(&cmd->err, HS_EIO, "cannot write '%s'", path);
    fputs("xlo,xhi,ylo,yhi,content,error\n", fp);
    for (size_t iy = 0; iy < h->ny; iy++)
        for (size_t ix = 0; ix < h->nx; ix++) {
            hs_num_format(h->xedges[ix], b[0]);
            hs_num_format(h->xedges[ix + 1], b[1]);
            hs_num_format(h->yedges[iy], b[2]);
            hs_num_format(h->yedges[iy + 1], b[3]);
            fprintf(fp, "%s,%s,%s,%s", b[0], b[1], b[2], b[3]);
            csv_pair(fp, h->sumw[iy * h->nx + ix], sqrt(h->sumw2[iy * h->nx + ix]));
            fputc('\n', fp);
        }
    if (ferror(fp))
        rc = hs_err_set(&cmd->err, HS_EIO, "cannot write '%s'", path);
    if (fclose(fp) != 0 && rc == HS_OK)
        rc = hs_err_set(&cmd->err, HS_EIO, "cannot write '%s'", path);
    return rc;
}

int
hs_plot_hist2d(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
               const struct hs_select *sel)
{
    struct hs_featlabel flx, fly;
    const struct hs_table *t = ld->t;
    const double *vx, *vy, *label = hs_table_label(t);
    struct hs_hist_binning bx, by;
    struct hs_hist2d h = {0};
    struct hs_figure *f = NULL;
    double want, *z = NULL;
    const char *cname;
    char msg[HS_PLOT_MSG_MAX], title[400];
    size_t ix, iy, nbins = 0;
    int rc;

    if (cmd->argc != 3)
        return hs_err_set(&cmd->err, HS_EUSAGE, "usage: plot hist2d FEATURE1 FEATURE2 [options]");
    if ((rc = parse_class(cmd, t, &want, &cname)) ||
        (rc = hs_cmd_opt_count(cmd, "bins", 1, 1000, &nbins)) ||
        (rc = hs_loaded_feature(cmd, ld, cmd->argv[1], &ix)) ||
        (rc = hs_loaded_feature(cmd, ld, cmd->argv[2], &iy)) ||
        (rc = hs_featureset_values(&ld->fs, ix, &vx, &cmd->task, &cmd->err)) ||
        (rc = hs_featureset_values(&ld->fs, iy, &vy, &cmd->task, &cmd->err)) ||
        (rc = hs_featlabel_get(app->sess, cmd->dataset, ld->fs.f[ix].name, &flx, &cmd->err)) ||
        (rc = hs_featlabel_get(app->sess, cmd->dataset, ld->fs.f[iy].name, &fly, &cmd->err)))
        return rc;
    /* Each axis over its 0.1-99.9% range; 50 bins unless told. */
    if ((rc = hs_hist_auto(vx, isnan(want) ? NULL : label, want, t->nrows, 0.001, 10, 200, &bx,
                           &cmd->task, &cmd->err)) ||
        (rc = hs_hist_auto(vy, isnan(want) ? NULL : label, want, t->nrows, 0.001, 10, 200, &by,
                           &cmd->task, &cmd->err)))
        return rc;
    if (!nbins)
        nbins = 50;
    if ((rc = hs_hist2d_init(&h, nbins, bx.lo, bx.hi, nbins, by.lo, by.hi, &cmd->err)) ||
        (rc = hs_hist2d_fill(&h, vx, vy, hs_table_weight(t), isnan(want) ? NULL : label, want,
                             t->nrows, &cmd->task, &cmd->err)))
        goto done;
    z = malloc(nbins * nbins * sizeof *z);
    f = hs_figure_new();
    if (!z || !f) {
        rc = oom(cmd);
        goto done;
    }
    /* Empty cells stay white, so the shape of the populated region shows. */
    for (size_t i = 0; i < nbins * nbins; i++)
        z[i] = h.sumw[i] != 0 ? h.sumw[i] : NAN;
    /* The dataset goes in the title: free text would sit on the cells. */
    snprintf(title, sizeof title, "%s vs %s (%s, %s events)", ld->fs.f[iy].name,
             ld->fs.f[ix].name, cmd->dataset, cname);
    f->legend = false;
    if (hs_figure_set_string(&f->title, title, msg) ||
        hs_figure_set_string(&f->main.x.label, flx.axis, msg) ||
        hs_figure_set_string(&f->main.y.label, fly.axis, msg)) {
        rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
        goto done;
    }
    if ((rc = hs_select_figure(cmd, sel, f, true)))
        goto done;
    f->main.x.fixed = f->main.y.fixed = true;
    f->main.x.lo = h.xlo;
    f->main.x.hi = h.xhi;
    f->main.y.lo = h.ylo;
    f->main.y.hi = h.yhi;
    {
        struct hs_series s = {0};
        s.kind = HS_SERIES_HEATMAP;
        s.nx = s.ny = nbins;
        s.x = h.xedges;
        s.y = h.yedges;
        s.z = z;
        s.zlabel = hs_cmd_flag(cmd, "logz") ? "Events / bin (log)" : "Events / bin";
        s.zlog = hs_cmd_flag(cmd, "logz");
        if (!hs_panel_add(&f->main, &s, msg)) {
            rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
            goto done;
        }
    }
    if (hs_cmd_opt(cmd, "csv") && (rc = write_hist2d_csv(cmd, hs_cmd_opt(cmd, "csv"), &h)))
        goto done;
    rc = hs_plot_out(cmd, f);
done:
    hs_hist2d_release(&h);
    hs_figure_free(f);
    free(z);
    return rc;
}

/* ---- too many features ---------------------------------------------- */

struct ranked {
    size_t idx;
    double sep;
};

/* Best separation first, NaN last; ties in the set's order. */
static int
by_separation(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    bool xn = isnan(x->sep), yn = isnan(y->sep);

    if (xn != yn)
        return xn ? 1 : -1;
    if (!xn && x->sep != y->sep)
        return x->sep > y->sep ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int
by_value(const void *a, const void *b)
{
    const double *x = a, *y = b;
    return *x < *y ? -1 : *x > *y;
}

static int
by_index(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    return *x < *y ? -1 : *x > *y;
}

/* Ranking reads a sample of the events, evenly spread: the separation of
 * 2,000 events picks the best features as well as 10,000 do, and 67,000
 * pair features' values need not all be computed for a figure of 100. */
enum { RANK_SAMPLE = 2000 };

int
hs_plot_best(struct hs_cmd *cmd, struct hs_loaded *ld, const char *what, size_t *idx, size_t n,
             size_t max, size_t *kept, char *note, size_t size)
{
    const double *label = hs_table_label(ld->t), *w = hs_table_weight(ld->t);
    size_t nrows = ld->t->nrows, m = nrows < RANK_SAMPLE ? nrows : RANK_SAMPLE;
    struct ranked *r = NULL;
    size_t *rows = NULL;
    double *v = NULL, *sl = NULL, *sw = NULL;
    int rc = HS_OK;

    note[0] = '\0';
    *kept = n;
    if (n <= max)
        return HS_OK;
    *kept = max;
    snprintf(note, size, "the %zu of %zu features that separate best", max, n);
    if (!label) {
        snprintf(note, size, "the first %zu of %zu features", max, n);
    } else {
        r = malloc(n * sizeof *r);
        rows = malloc((m + 1) * sizeof *rows);
        v = malloc((m + 1) * sizeof *v);
        sl = malloc((m + 1) * sizeof *sl);
        sw = malloc((m + 1) * sizeof *sw);
        if (!r || !rows || !v || !sl || !sw) {
            rc = oom(cmd);
            goto done;
        }
        for (size_t i = 0; i < m; i++) {
            rows[i] = i * nrows / m;
            sl[i] = label[rows[i]];
            sw[i] = w ? w[rows[i]] : 1.0;
        }
        for (size_t k = 0; k < n && rc == HS_OK; k++) {
            double lo = INFINITY, hi = -INFINITY;

            r[k].idx = idx[k];
            r[k].sep = NAN;
            if ((rc = hs_featureset_sample(&ld->fs, idx[k], rows, m, v, &cmd->task, &cmd->err)))
                break;
            for (size_t i = 0; i < m; i++)
                if (isfinite(v[i])) {
                    lo = fmin(lo, v[i]);
                    hi = fmax(hi, v[i]);
                }
            if (lo < hi)
                r[k].sep = hs_separation(v, sl, sw, m, lo, hi, HS_SEP_BINS);
        }
        if (rc)
            goto done;
        qsort(r, n, sizeof *r, by_separation);
        for (size_t k = 0; k < n; k++)
            idx[k] = r[k].idx;
    }
    qsort(idx, max, sizeof *idx, by_index);
    fprintf(cmd->out, "%s: drawing %s\n", what, note);
done:
    free(r);
    free(rows);
    free(v);
    free(sl);
    free(sw);
    return rc;
}

/* ---- plot grid ------------------------------------------------------ */

/* The largest value of v[0..n) and the median of its positive values (0
 * when fewer than 3). */
static double
peak_and_median(const double *v, size_t n, double *median)
{
    double *nz = malloc((n ? n : 1) * sizeof *nz), max = 0;
    size_t m = 0;

    *median = 0;
    for (size_t b = 0; b < n; b++)
        if (v[b] > 0) {
            max = fmax(max, v[b]);
            if (nz)
                nz[m++] = v[b];
        }
    if (nz && m >= 3) {
        qsort(nz, m, sizeof *nz, by_value);
        *median = m % 2 ? nz[m / 2] : 0.5 * (nz[m / 2 - 1] + nz[m / 2]);
    }
    free(nz);
    return max;
}

bool
hs_plot_wants_log(const struct hs_panel *p)
{
    double top = 0, low = INFINITY;
    bool tail = false;

    for (size_t k = 0; k < p->nseries; k++) {
        const struct hs_series *s = &p->series[k];
        double median, peak;
        if (s->kind != HS_SERIES_HIST)
            continue;
        peak = peak_and_median(s->y, s->n, &median);
        tail = tail || (median > 0 && peak > 100 * median);
        if (peak > 0) {
            top = fmax(top, peak);
            low = fmin(low, peak);
        }
    }
    return tail || top > 10 * low;
}

/* One small figure: a feature's signal and background, each normalised;
 * its y axis logarithmic with --log, or when a class is long-tailed. */
static int
grid_figure(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
            const struct hs_select *sel, size_t idx, bool legend, const char *note,
            struct hs_figure **out)
{
    struct hs_featlabel fl;
    bool logy = hs_cmd_flag(cmd, "log");
    const struct hs_table *t = ld->t;
    const double *label = hs_table_label(t), *v;
    struct hs_hist_binning bin;
    struct hs_hist h[2] = {{0}, {0}};
    struct hs_figure *f = NULL;
    double *content = NULL;
    char msg[HS_PLOT_MSG_MAX];
    size_t ns = label ? 2 : 1;
    int rc;

    *out = NULL;
    if ((rc = hs_featlabel_get(app->sess, cmd->dataset, ld->fs.f[idx].name, &fl, &cmd->err)) ||
        (rc = hs_featureset_values(&ld->fs, idx, &v, &cmd->task, &cmd->err)) ||
        (rc = hs_hist_auto(v, NULL, NAN, t->nrows, 0.001, 10, 60, &bin, &cmd->task, &cmd->err)))
        return rc;
    f = hs_figure_new();
    content = malloc(bin.nbins * sizeof *content);
    if (!f || !content) {
        rc = oom(cmd);
        goto done;
    }
    f->legend = legend;
    /* The first panel, which has the legend, says which features are
     * drawn when not all, and what was selected. */
    if (legend && note[0] && hs_figure_set_string(&f->text, note, msg)) {
        rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
        goto done;
    }
    if (legend && (rc = hs_select_figure(cmd, sel, f, false)))
        goto done;
    for (size_t k = 0; k < ns; k++) {
        struct hs_series s = {0};
        /* background first, filled; the signal's outline over it */
        double want = label ? (k == 0 ? 0.0 : 1.0) : NAN;
        if ((rc = hs_hist_init(&h[k], bin.nbins, bin.lo, bin.hi, &cmd->err)) ||
            (rc = hs_hist_fill(&h[k], v, hs_table_weight(t), label, want, t->nrows, &cmd->task,
                               &cmd->err)))
            goto done;
        hs_hist_contents(&h[k], 1, content, NULL);
        s.kind = HS_SERIES_HIST;
        s.label = !label ? "events" : k == 0 ? "background" : "signal";
        s.color = !label ? HS_PAL_DATA : k == 0 ? HS_PAL_BACKGROUND : HS_PAL_SIGNAL;
        s.alpha = 0.35;
        s.style = label && k == 0 ? HS_HIST_FILLED : HS_HIST_STEP;
        s.n = bin.nbins;
        s.x = h[k].edges;
        s.y = content;
        if (!hs_panel_add(&f->main, &s, msg)) {
            rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
            goto done;
        }
    }
    /* The title is the axis ("doca [m]"), and says when it is log. */
    logy = logy || hs_plot_wants_log(&f->main);
    {
        char title[HS_AXISLABEL_MAX + 16];
        snprintf(title, sizeof title, "%s%s", fl.axis, logy ? "  (log y)" : "");
        f->main.y.scale = logy ? HS_AXIS_LOG : HS_AXIS_LINEAR;
        if (hs_figure_set_string(&f->title, title, msg)) {
            rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
            goto done;
        }
    }
    *out = f;
    f = NULL;
done:
    hs_hist_release(&h[0]);
    hs_hist_release(&h[1]);
    hs_figure_free(f);
    free(content);
    return rc;
}

/* The grid as one file (PNG, SVG or PDF by the extension): plots/ draws
 * every panel into its cell of one page, written under a temporary name
 * renamed at the end, with the command in a PNG text chunk or the PDF's
 * metadata. */
static int
grid_save(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld, const struct hs_select *sel, const size_t *on,
          size_t n, size_t cols, const char *note, const char *path)
{
    size_t rows = (n + cols - 1) / cols, w = cols * 640, h = rows * 440, cw, ch, made = 0;
    struct hs_figure **figs = NULL;
    char msg[HS_PLOT_MSG_MAX], *line = NULL;
    double dpi;
    int rc = HS_OK;

    if ((rc = hs_cmd_opt_count(cmd, "width", 100, 40000, &w)) ||
        (rc = hs_cmd_opt_count(cmd, "height", 100, 40000, &h)))
        return rc;
    cw = w / cols;
    ch = h / rows;
    if (cw < 100 || ch < 100)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "%zu panels need at least %zu x %zu pixels (--width, --height)", n,
                          cols * 100, rows * 100);
    /* Text scales with the panels unless --dpi says otherwise: 120 dpi for
     * panels 640 pixels across. */
    dpi = fmax(10, 120.0 * (double)cw / 640);
    if ((rc = hs_cmd_opt_number(cmd, "dpi", 10, 2400, &dpi)))
        return rc;
    figs = calloc(n, sizeof *figs);
    if (!figs)
        return oom(cmd);
    for (; made < n; made++) {
        if ((rc = grid_figure(cmd, app, ld, sel, on[made], made == 0, note, &figs[made])))
            goto done;
    }
    line = hs_cmd_line(cmd);
    if (!line) {
        rc = oom(cmd);
        goto done;
    }
    if (hs_figures_save_grid((const struct hs_figure *const *)figs, n, (int)cols, path, (int)w,
                             (int)h, dpi, line, msg))
        rc = hs_err_set(&cmd->err, HS_EIO, "%s", msg);
done:
    for (size_t k = 0; k < made; k++)
        hs_figure_free(figs[k]);
    free(figs);
    free(line);
    return rc;
}

int
hs_plot_grid(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
             const struct hs_select *sel)
{
    size_t n = 0, cols, rows, cw = 120, ch, cellh, tr;
    size_t *on = malloc((ld->fs.n + 1) * sizeof *on);
    struct hs_canvas *c = NULL;
    char msg[HS_PLOT_MSG_MAX], note[96];
    int rc = HS_OK;

    if (!on)
        return oom(cmd);
    if (cmd->argc != 1) {
        rc = hs_err_set(&cmd->err, HS_EUSAGE, "usage: plot grid [options]");
        goto done;
    }
    for (size_t i = 0; i < ld->fs.n; i++)
        if (ld->fs.f[i].on)
            on[n++] = i;
    if (n == 0) {
        rc = hs_err_set(&cmd->err, HS_EUSAGE, "dataset '%s' has no enabled feature",
                        cmd->dataset);
        goto done;
    }
    if ((rc = hs_plot_best(cmd, ld, "plot grid", on, n, HS_PLOT_GRID_MAX, &n, note,
                           sizeof note)))
        goto done;
    if (hs_cmd_opt(cmd, "output")) {
        /* about square: as many columns as rows, or one more */
        cols = (size_t)ceil(sqrt((double)n));
        rc = grid_save(cmd, app, ld, sel, on, n, cols, note, hs_cmd_opt(cmd, "output"));
        goto done;
    }

    /* Panels of about 40 x 12 cells, as many across as the width allows. */
    hs_plot_term_size(cmd, &cw, &tr);
    if ((rc = hs_cmd_opt_count(cmd, "width", 20, 1000, &cw)))
        goto done;
    cols = cw / 40 ? cw / 40 : 1;
    if (cols > n)
        cols = n;
    rows = (n + cols - 1) / cols;
    ch = rows * 12;
    if ((rc = hs_cmd_opt_count(cmd, "height", 8, 5000, &ch)))
        goto done;
    cellh = ch / rows;
    if (!(c = hs_plot_canvas_new(cmd, cw, ch))) {
        rc = cmd->err.code;
        goto done;
    }
    for (size_t k = 0; k < n; k++) {
        struct hs_figure *f;
        size_t x0 = (k % cols) * cw / cols, x1 = (k % cols + 1) * cw / cols;
        if ((rc = grid_figure(cmd, app, ld, sel, on[k], k == 0, note, &f)))
            goto done;
        if (hs_canvas_render_rect(c, f, (int)x0, (int)((k / cols) * cellh), (int)(x1 - x0),
                                  (int)cellh, msg)) {
            hs_figure_free(f);
            rc = hs_err_set(&cmd->err, HS_EUSAGE, "%s (give a larger --width or --height)", msg);
            goto done;
        }
        hs_figure_free(f);
    }
    rc = hs_plot_canvas_print(cmd, c);
done:
    hs_canvas_free(c);
    free(on);
    return rc;
}

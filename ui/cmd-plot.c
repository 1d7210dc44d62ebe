/* cmd-plot.c: `hepscope plot`, figures of a dataset's features.
 *
 *   plot hist FEATURE [--bins N] [--range LO:HI] [--log] [--norm] [--stack]
 *                     [--data DATASET]
 *                     [-o FILE.png|.svg|.pdf] [--width W --height H --dpi D]
 *                     [--csv FILE] [--ascii]
 *   plot hist2d F1 F2 [--bins N] [--class signal|background|all] [...]
 *   plot corr [--class signal|background|all] [-o FILE] [...]
 *   plot grid [--width W --height H] [--ascii]
 *   each with [--where EXPR] [--cut CUTSET]: the selected events only
 *
 * Without -o the figure is drawn in the terminal (braille when the locale
 * is UTF-8); with it, in the file.  The engine bins (src/hist), plots/
 * draws: this file only turns a dataset into a figure (ui/plot-more.c the
 * rarer figures).
 */
#include "config.h"

#include "ui/plot.h"

#include <langinfo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "featstats.h"
#include "hist.h"
#include "numparse.h"
#include "plots/cairo_render.h"
#include "plots/canvas.h"
#include "plots/figure.h"
#include "plots/palette.h"
#include "ui/axislabel.h"
#include "ui/cmd.h"
#include "ui/grid.h"
#include "ui/loaded.h"
#include "ui/scatter.h"
#include "ui/termout.h"

/* ---- output: a file, or the terminal -------------------------------- */

/* The user's labels over the figure's own: --title, --xlabel, --ylabel
 * (of the main panel, or of the ratio panel's x axis when the figure has
 * one, since that is the axis drawn at the bottom) and --experiment. */
static int
plot_labels(struct hs_cmd *cmd, struct hs_figure *f)
{
    const char *title = hs_cmd_opt(cmd, "title"), *xl = hs_cmd_opt(cmd, "xlabel"),
               *yl = hs_cmd_opt(cmd, "ylabel"), *ex = hs_cmd_opt(cmd, "experiment");
    char msg[HS_PLOT_MSG_MAX];

    if ((title && hs_figure_set_string(&f->title, title, msg)) ||
        (xl && hs_figure_set_string(f->has_ratio ? &f->ratio.x.label : &f->main.x.label, xl,
                                    msg)) ||
        (xl && f->has_ratio && hs_figure_set_string(&f->main.x.label, xl, msg)) ||
        (yl && hs_figure_set_string(&f->main.y.label, yl, msg)) ||
        (ex && hs_figure_set_string(&f->experiment, ex, msg)))
        return hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
    return HS_OK;
}

bool
hs_plot_term_size(struct hs_cmd *cmd, size_t *cols, size_t *rows)
{
    struct winsize ws;
    FILE *term = hs_termout_term(cmd);

    if (!term || ioctl(fileno(term), TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
        return false;
    *cols = ws.ws_col;
    *rows = ws.ws_row;
    return true;
}

/* Colours go out only to a terminal, and not under NO_COLOR. */
static bool
plot_colours(struct hs_cmd *cmd, bool *tty)
{
    const char *no_color = getenv("NO_COLOR");
    size_t cols, rows;

    *tty = hs_plot_term_size(cmd, &cols, &rows);
    return *tty && !(no_color && *no_color);
}

struct hs_canvas *
hs_plot_canvas_new(struct hs_cmd *cmd, size_t cols, size_t rows)
{
    enum hs_canvas_mode mode =
        hs_canvas_pick_mode(nl_langinfo(CODESET), getenv("TERM"), hs_cmd_flag(cmd, "ascii"));
    char msg[HS_PLOT_MSG_MAX];
    struct hs_canvas *c = hs_canvas_new((int)cols, (int)rows, mode, msg);
    bool tty;

    if (!c) {
        hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
        return NULL;
    }
    /* Without colours, glyphs tell the series apart. */
    c->mono = !plot_colours(cmd, &tty);
    return c;
}

int
hs_plot_canvas_print(struct hs_cmd *cmd, const struct hs_canvas *c)
{
    bool tty, colours = plot_colours(cmd, &tty);
    char *text = colours ? hs_canvas_to_ansi(c) : hs_canvas_to_text(c);

    if (!text)
        return hs_cmd_nomem(cmd);
    hs_cmd_output_begin(cmd);
    /* The canvas's own colours go to the terminal as they are (past the
     * layer that shows control characters); its text cells hold none
     * (plots/canvas.c). */
    fputs(text, tty ? hs_termout_term(cmd) : cmd->out);
    free(text);
    return HS_OK;
}

/* Draw f in the terminal: its size from the terminal when stdout is one
 * (else 80 x 24), --width and --height in cells. */
static int
plot_draw(struct hs_cmd *cmd, const struct hs_figure *f, bool sized_for_file)
{
    size_t cw = 80, ch = 24, tc, tr;
    char msg[HS_PLOT_MSG_MAX];
    struct hs_canvas *c;
    int rc;

    if (hs_plot_term_size(cmd, &tc, &tr)) {
        cw = tc;
        ch = tr > 4 ? tr - 2 : 24;
    }
    /* With -o, --width and --height are the file's pixels. */
    if (!sized_for_file && ((rc = hs_cmd_opt_count(cmd, "width", 20, 1000, &cw)) ||
                            (rc = hs_cmd_opt_count(cmd, "height", 8, 500, &ch))))
        return rc;
    if (!(c = hs_plot_canvas_new(cmd, cw, ch)))
        return cmd->err.code;
    if (hs_canvas_render(c, f, msg))
        rc = hs_err_set(&cmd->err, HS_EUSAGE, "%s", msg);
    else
        rc = hs_plot_canvas_print(cmd, c);
    hs_canvas_free(c);
    return rc;
}

int
hs_plot_out(struct hs_cmd *cmd, struct hs_figure *f)
{
    const char *path = hs_cmd_opt(cmd, "output");
    size_t w = 1600, h = 1000;
    double dpi = 200;
    char msg[HS_PLOT_MSG_MAX], *line;
    int rc;

    if ((rc = plot_labels(cmd, f)))
        return rc;
    if (!path)
        return plot_draw(cmd, f, false);
    if ((rc = hs_cmd_opt_count(cmd, "width", 100, 20000, &w)) ||
        (rc = hs_cmd_opt_count(cmd, "height", 100, 20000, &h)) ||
        (rc = hs_cmd_opt_number(cmd, "dpi", 10, 2400, &dpi)))
        return rc;
    line = hs_cmd_line(cmd);
    rc = hs_figure_save(f, path, (int)w, (int)h, dpi, line, msg);
    free(line);
    if (rc)
        return hs_err_set(&cmd->err, HS_EIO, "%s", msg);
    return hs_cmd_flag(cmd, "draw") ? plot_draw(cmd, f, true) : HS_OK;
}

/* ---- plot hist ------------------------------------------------------ */

int
hs_plot_range(struct hs_cmd *cmd, double *lo, double *hi)
{
    const char *r = hs_cmd_opt(cmd, "range"), *colon;

    if (!r)
        return HS_OK;
    colon = strchr(r, ':');
    if (!colon || hs_num_parse(r, (size_t)(colon - r), lo) ||
        hs_num_parse(colon + 1, strlen(colon + 1), hi) || !isfinite(*lo) || !isfinite(*hi) ||
        !(*lo < *hi))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "--range wants LO:HI with LO < HI, such as 0:5, not '%s'", r);
    return HS_OK;
}

/* One histogram series of the figure: label, colour, stack, filter. */
struct hist_series {
    const char *label;
    int color;
    int stack;
    const double *mask; /* events with mask[i] == want, or all when NULL */
    double want;
    struct hs_hist h;
};

/* The background's groups (processes) as masks, for --stack: a column of
 * group codes restricted to background events; NaN elsewhere. */
int
hs_plot_group_masks(struct hs_cmd *cmd, const struct hs_table *t, double **mask, double *codes,
                    const char **names, char (*numbuf)[HS_NUM_BUF], size_t max, size_t *n)
{
    const struct hs_column *g = hs_table_group(t);
    const double *label = hs_table_label(t);
    double *m;

    *n = 0;
    *mask = NULL;
    if (!g || !label)
        return HS_OK;
    m = malloc((t->nrows ? t->nrows : 1) * sizeof *m);
    if (!m)
        return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->nrows; i++) {
        double v = label[i] == 0.0 ? g->v[i] : NAN;
        size_t k;
        m[i] = v;
        if (isnan(v))
            continue;
        for (k = 0; k < *n && codes[k] != v; k++)
            ;
        if (k == *n && *n < max) {
            codes[k] = v;
            if (g->kind == HS_COL_TEXT) {
                names[k] = hs_column_text(g, v);
            } else {
                hs_num_format(v, numbuf[k]);
                names[k] = numbuf[k];
            }
            (*n)++;
        }
    }
    *mask = m;
    return HS_OK;
}

/* The plotted numbers: per series, its contents and errors per bin
 * (c[k * nb + b], e[k * nb + b]), as drawn. */
static int
write_hist_csv(struct hs_cmd *cmd, const char *path, const struct hist_series *s, size_t ns,
               const double *c, const double *e)
{
    FILE *fp = fopen(path, "w");
    size_t nb = s[0].h.nbins;
    char b1[HS_NUM_BUF], b2[HS_NUM_BUF];
    int rc = HS_OK;

    if (!fp)
        return hs_err_set(&cmd->err, HS_EIO, "cannot write '%s'", path);
    fputs("lo,hi", fp);
    for (size_t k = 0; k < ns; k++) {
        char errname[300];
        snprintf(errname, sizeof errname, "%s_err", s[k].label);
        fputc(',', fp);
        hs_grid_csv_cell(fp, s[k].label, false);
        fputc(',', fp);
        hs_grid_csv_cell(fp, errname, false);
    }
    fputc('\n', fp);
    for (size_t b = 0; b < nb; b++) {
        hs_num_format(s[0].h.edges[b], b1);
        hs_num_format(s[0].h.edges[b + 1], b2);
        fprintf(fp, "%s,%s", b1, b2);
        for (size_t k = 0; k < ns; k++) {
            hs_num_format(c[k * nb + b], b1);
            hs_num_format(e[k * nb + b], b2);
            fprintf(fp, ",%s,%s", b1, b2);
        }
        fputc('\n', fp);
    }
    if (ferror(fp))
        rc = hs_err_set(&cmd->err, HS_EIO, "cannot write '%s'", path);
    if (fclose(fp) != 0 && rc == HS_OK)
        rc = hs_err_set(&cmd->err, HS_EIO, "cannot write '%s'", path);
    return rc;
}

#define MAX_SERIES HS_PLOT_MAX_SERIES

int
hs_plot_binning(struct hs_cmd *cmd, const double *v, size_t n, double *lo, double *hi,
                size_t *nbins)
{
    struct hs_hist_binning bin;
    int rc;

    if (!isnan(*lo) && *nbins)
        return HS_OK;
    rc = hs_hist_auto(v, NULL, NAN, n, isnan(*lo) ? 0.001 : 0, 10, 200, &bin, &cmd->task,
                      &cmd->err);
    if (rc)
        return rc;
    if (isnan(*lo)) {
        *lo = bin.lo;
        *hi = bin.hi;
    }
    if (!*nbins)
        *nbins = bin.nbins;
    return HS_OK;
}

static int
plot_hist(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld, const struct hs_select *sel)
{
    const struct hs_table *t = ld->t;
    const double *label = hs_table_label(t), *weight = hs_table_weight(t);
    bool norm = hs_cmd_flag(cmd, "norm"), logy = hs_cmd_flag(cmd, "log");
    bool stack = hs_cmd_flag(cmd, "stack"), versus = hs_cmd_flag(cmd, "versus");
    struct hist_series s[MAX_SERIES];
    double *gmask = NULL, codes[MAX_SERIES], lo = NAN, hi = NAN, *content = NULL, *err = NULL;
    double *xc = NULL, *inside = NULL;
    const char *gnames[MAX_SERIES];
    char numbuf[MAX_SERIES][HS_NUM_BUF], msg[HS_PLOT_MSG_MAX], ylabel[HS_AXISLABEL_MAX], text[600];
    struct hs_featlabel fl;
    struct hs_figure *f = NULL;
    const double *v;
    size_t idx, ns = 0, ng = 0, nbins = 0;
    int rc;

    memset(s, 0, sizeof s);
    if (cmd->argc != 2)
        return hs_err_set(&cmd->err, HS_EUSAGE, "usage: plot hist FEATURE [options]");
    if ((rc = hs_loaded_feature(cmd, ld, cmd->argv[1], &idx)) ||
        (rc = hs_featureset_values(&ld->fs, idx, &v, &cmd->task, &cmd->err)) ||
        (rc = hs_plot_range(cmd, &lo, &hi)) ||
        (rc = hs_cmd_opt_count(cmd, "bins", 1, 10000, &nbins)))
        return rc;
    if (hs_cmd_opt(cmd, "data"))
        return hs_plot_hist_data(cmd, app, ld, sel, idx, v, lo, hi, nbins);

    /* The binning: given, or Freedman-Diaconis over the 0.1-99.9% range. */
    if ((rc = hs_plot_binning(cmd, v, t->nrows, &lo, &hi, &nbins)))
        return rc;

    /* The series: signal and background (its processes stacked with
     * --stack), or every event of an unlabelled dataset: data; with
     * --versus, every event, the selection against the rest (the names
     * and colours of the TUI's `:where --versus`). */
    if (versus) {
        if (!(inside = malloc((t->nrows ? t->nrows : 1) * sizeof *inside)))
            return hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
        for (size_t i = 0; i < t->nrows; i++)
            inside[i] = sel->mask[i] ? 1.0 : 0.0;
        s[ns++] = (struct hist_series){"the rest", HS_PAL_DATA, 0, inside, 0.0, {0}};
        s[ns++] = (struct hist_series){"selection", HS_PAL_CAT0, 0, inside, 1.0, {0}};
    } else if (!label) {
        s[ns++] = (struct hist_series){"data", HS_PAL_DATA, 0, NULL, NAN, {0}};
    } else {
        if (stack && (rc = hs_plot_group_masks(cmd, t, &gmask, codes, gnames, numbuf, MAX_SERIES - 1,
                                       &ng)))
            return rc;
        if (ng > 1) {
            for (size_t k = 0; k < ng; k++)
                s[ns++] = (struct hist_series){gnames[k], HS_PAL_BACKGROUND + (k ? 2 + (int)k : 0),
                                               1, gmask, codes[k], {0}};
        } else {
            s[ns++] = (struct hist_series){"background", HS_PAL_BACKGROUND, stack, label, 0.0,
                                           {0}};
        }
        s[ns++] = (struct hist_series){"signal", HS_PAL_SIGNAL, 0, label, 1.0, {0}};
    }
    /* Series of one mask (signal and background by label, or the
     * groups) fill in one pass over the values. */
    struct hs_hist *hp[MAX_SERIES];
    double wants[MAX_SERIES];
    bool one_mask = true;
    for (size_t k = 0; k < ns; k++) {
        if ((rc = hs_hist_init(&s[k].h, nbins, lo, hi, &cmd->err)))
            goto done;
        hp[k] = &s[k].h;
        wants[k] = s[k].want;
        one_mask = one_mask && s[k].mask == s[0].mask;
    }
    for (size_t k = 0; k < ns && !rc; k += one_mask ? ns : 1)
        rc = one_mask ? hs_hist_fill_classes(hp, ns, wants, v, weight, s[0].mask, t->nrows,
                                             &cmd->task, &cmd->err)
                      : hs_hist_fill(&s[k].h, v, weight, s[k].mask, s[k].want, t->nrows,
                                     &cmd->task, &cmd->err);
    if (rc)
        goto done;

    /* The figure. */
    f = hs_figure_new();
    content = malloc(ns * nbins * sizeof *content);
    err = malloc(ns * nbins * sizeof *err);
    xc = malloc(nbins * sizeof *xc);
    if (!f || !content || !err || !xc) {
        rc = hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = hs_featlabel_get(app->sess, cmd->dataset, ld->fs.f[idx].name, &fl, &cmd->err)))
        goto done;
    hs_axislabel_events((hi - lo) / (double)nbins, fl.unit,
                        norm ? HS_YLABEL_FRACTION : HS_YLABEL_EVENTS, ylabel, sizeof ylabel);
    if (sel->active) {
        char note[sizeof sel->text + 64];
        hs_select_note(sel, note, sizeof note);
        snprintf(text, sizeof text, "hepscope %s, %s%s", cmd->dataset, note,
                 versus ? " against the rest" : "");
    } else {
        snprintf(text, sizeof text, "hepscope %s, %zu events", cmd->dataset, t->nrows);
    }
    if (hs_figure_set_string(&f->title, ld->fs.f[idx].name, msg) ||
        hs_figure_set_string(&f->text, text, msg) ||
        hs_figure_set_string(&f->main.x.label, fl.axis, msg) ||
        hs_figure_set_string(&f->main.y.label, ylabel, msg)) {
        rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
        goto done;
    }
    f->main.y.scale = logy ? HS_AXIS_LOG : HS_AXIS_LINEAR;
    /* The binning's range, also for data points at the bins' centres. */
    f->main.x.fixed = true;
    f->main.x.lo = lo;
    f->main.x.hi = hi;
    for (size_t b = 0; b < nbins; b++)
        xc[b] = 0.5 * (s[0].h.edges[b] + s[0].h.edges[b + 1]);
    {
        /* --norm: each class's bins hold its fraction of the events in
         * range; a stack is normalised as a whole, so its parts keep their
         * shares. */
        double stack_total = 0;
        for (size_t k = 0; k < ns; k++)
            if (s[k].stack)
                stack_total += hs_hist_integral(&s[k].h);
        for (size_t k = 0; k < ns; k++) {
            struct hs_series ser = {0};
            double scale = 1, *c = content + k * nbins, *e = err + k * nbins;
            hs_hist_contents(&s[k].h, 0, c, e);
            if (norm) {
                double total = s[k].stack ? stack_total : hs_hist_integral(&s[k].h);
                scale = total > 0 ? 1 / total : 0;
            }
            for (size_t b = 0; b < nbins; b++) {
                c[b] *= scale;
                e[b] *= scale;
            }
            ser.label = (char *)s[k].label;
            ser.color = s[k].color;
            ser.n = nbins;
            ser.y = c;
            ser.yerr = e;
            if (!label && !versus) {
                /* Data: points with their sqrt(n) errors. */
                ser.kind = HS_SERIES_POINTS;
                ser.x = xc;
            } else {
                ser.kind = HS_SERIES_HIST;
                ser.alpha = s[k].stack ? 0.85 : 0.35;
                ser.style = s[k].stack || s[k].color == HS_PAL_BACKGROUND ||
                                    (versus && s[k].want == 0.0)
                                ? HS_HIST_FILLED
                                : HS_HIST_STEP;
                ser.stack = s[k].stack;
                ser.x = s[k].h.edges;
            }
            if (!hs_panel_add(&f->main, &ser, msg)) {
                rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
                goto done;
            }
        }
    }
    if (hs_cmd_opt(cmd, "csv") &&
        (rc = write_hist_csv(cmd, hs_cmd_opt(cmd, "csv"), s, ns, content, err)))
        goto done;
    rc = hs_plot_out(cmd, f);
done:
    for (size_t k = 0; k < ns; k++)
        hs_hist_release(&s[k].h);
    hs_figure_free(f);
    free(content);
    free(err);
    free(xc);
    free(gmask);
    free(inside);
    return rc;
}

/* ---- plot corr ------------------------------------------------------ */

static int
plot_corr(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
          const struct hs_select *sel)
{
    struct hs_feature_unit *units = NULL;
    size_t nunits = 0;
    const char *cls_name = hs_cmd_opt(cmd, "class");
    enum hs_stats_class cls = hs_table_label(ld->t) ? HS_CLASS_SIGNAL : HS_CLASS_ALL;
    const double **cols = calloc(ld->fs.n + 1, sizeof *cols);
    char **names = calloc(ld->fs.n + 1, sizeof *names);
    size_t *idx = calloc(ld->fs.n + 1, sizeof *idx), n = 0;
    double *r = NULL, *edges = NULL;
    struct hs_figure *f = NULL;
    char title[256], msg[HS_PLOT_MSG_MAX], note[96];
    size_t k = 0;
    int rc = HS_OK;

    if (!cols || !names || !idx) {
        rc = hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if (cls_name) {
        if (strcmp(cls_name, "signal") == 0)
            cls = HS_CLASS_SIGNAL;
        else if (strcmp(cls_name, "background") == 0)
            cls = HS_CLASS_BACKGROUND;
        else if (strcmp(cls_name, "all") == 0)
            cls = HS_CLASS_ALL;
        else
            rc = hs_err_set(&cmd->err, HS_EUSAGE,
                            "--class takes signal, background or all, not '%s'", cls_name);
    }
    if (rc == HS_OK && cls != HS_CLASS_ALL && !hs_table_label(ld->t))
        rc = hs_err_set(&cmd->err, HS_EUSAGE, "dataset '%s' has no label: use --class all",
                        cmd->dataset);
    for (size_t i = 0; i < ld->fs.n; i++)
        if (hs_feature_listed(&ld->fs.f[i]))
            idx[n++] = i;
    /* The matrix is n x n: past a few dozen its cells cannot be read (and
     * 10,000 features would be 10^8 cells), so draw those that separate
     * best; corr --csv has them all. */
    if (rc == HS_OK)
        rc = hs_plot_best(cmd, ld, "plot corr", idx, n, HS_PLOT_CORR_MAX, &n, note, sizeof note);
    if (rc == HS_OK && !(r = calloc(n * n + 1, sizeof *r)))
        rc = hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
    if (rc == HS_OK)
        rc = hs_sess_units_list(app->sess, cmd->dataset, &units, &nunits, &cmd->err);
    /* The rows and columns are named by the features' labels. */
    for (size_t j = 0; j < n && rc == HS_OK; j++) {
        const char *name = ld->fs.f[idx[j]].name;
        rc = hs_featureset_values(&ld->fs, idx[j], &cols[k], &cmd->task, &cmd->err);
        names[k++] = (char *)hs_featlabel_text(name, hs_feature_units_find(units, nunits, name));
    }
    if (rc || (rc = hs_correlation(cols, k, hs_table_label(ld->t), hs_table_weight(ld->t),
                                   ld->t->nrows, cls, r, &cmd->task, &cmd->err)))
        goto done;
    edges = malloc((k + 1) * sizeof *edges);
    f = hs_figure_new();
    if (!edges || !f) {
        rc = hs_err_set(&cmd->err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i <= k; i++)
        edges[i] = (double)i;
    snprintf(title, sizeof title, "correlations, %s events (%s)%s%s",
             cls == HS_CLASS_SIGNAL ? "signal" : cls == HS_CLASS_BACKGROUND ? "background" : "all",
             cmd->dataset, note[0] ? ": " : "", note);
    f->legend = false;
    if (hs_figure_set_string(&f->title, title, msg)) {
        rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
        goto done;
    }
    if ((rc = hs_select_figure(cmd, sel, f, true)))
        goto done;
    {
        struct hs_series ser = {0};
        ser.kind = HS_SERIES_HEATMAP;
        ser.nx = ser.ny = k;
        ser.x = edges;
        ser.y = edges;
        ser.z = r;
        ser.zvalues = true;
        ser.zdiverging = true;
        ser.xnames = names;
        ser.ynames = names;
        ser.zlabel = "Pearson r";
        f->main.x.fixed = f->main.y.fixed = true;
        f->main.x.lo = f->main.y.lo = 0;
        f->main.x.hi = f->main.y.hi = (double)k;
        if (!hs_panel_add(&f->main, &ser, msg)) {
            rc = hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg);
            goto done;
        }
    }
    rc = hs_plot_out(cmd, f);
done:
    hs_feature_units_free(units, nunits);
    hs_figure_free(f);
    free(edges);
    free(r);
    free(names);
    free(idx);
    free(cols);
    return rc;
}

/* ---- the command ---------------------------------------------------- */

static int
plot_exec(struct hs_cmd *cmd, struct hs_app *app)
{
    struct hs_loaded ld = {0};
    struct hs_select sel = {0};
    const char *what = cmd->argv[0];
    int rc;

    if (strcmp(what, "hist") != 0 && strcmp(what, "corr") != 0 && strcmp(what, "hist2d") != 0 &&
        strcmp(what, "grid") != 0 && strcmp(what, "scatter") != 0)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "plot: unknown figure '%s' (hist, hist2d, scatter, corr or grid)", what);
    if ((rc = hs_loaded_open(cmd, app, &ld)))
        return rc;
    /* One or two features: their inputs need not be kept (featureset.h). */
    ld.fs.stream_inputs = strcmp(what, "hist") == 0 || strcmp(what, "hist2d") == 0;
    /* --versus keeps every event, the selection a class of them. */
    if ((rc = hs_cmd_flag(cmd, "versus") ? hs_select_init(cmd, app, &ld.fs, &sel)
                                          : hs_select_loaded(cmd, app, &ld, &sel)))
        ;
    else if (strcmp(what, "hist") == 0)
        rc = plot_hist(cmd, app, &ld, &sel);
    else if (strcmp(what, "hist2d") == 0)
        rc = hs_plot_hist2d(cmd, app, &ld, &sel);
    else if (strcmp(what, "grid") == 0)
        rc = hs_plot_grid(cmd, app, &ld, &sel);
    else if (strcmp(what, "scatter") == 0)
        rc = hs_plot_scatter(cmd, app, &ld, &sel);
    else
        rc = plot_corr(cmd, app, &ld, &sel);
    hs_select_release(&sel);
    hs_loaded_close(&ld);
    return rc;
}

/* With --data D and no --dataset, the simulation is the only labelled
 * dataset other than D: that is what a data/simulation comparison means,
 * so it need not be spelled out.  Otherwise the usual error lists the
 * choices. */
static long
plot_resolve(const struct hs_cmd *cmd, const struct hs_dataset_info *ds, size_t n)
{
    const char *data = hs_cmd_opt(cmd, "data");
    long pick = -1;

    if (!data || cmd->argc < 1 || strcmp(cmd->argv[0], "hist") != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (!ds[i].labelled || strcmp(ds[i].name, data) == 0)
            continue;
        if (pick >= 0)
            return -1;
        pick = (long)i;
    }
    return pick;
}

/* Options that belong to another figure or option are refused before any
 * work, not ignored. */
static int
plot_check(struct hs_cmd *cmd)
{
    int rc = hs_plot_check_output(cmd);

    if (rc)
        return rc;
    if (hs_cmd_opt(cmd, "scale") && !hs_cmd_opt(cmd, "data"))
        return hs_err_set(&cmd->err, HS_EUSAGE, "--scale goes with --data DATASET");
    if (hs_cmd_flag(cmd, "logz") && cmd->argc && strcmp(cmd->argv[0], "hist2d") != 0)
        return hs_err_set(&cmd->err, HS_EUSAGE, "--logz goes with plot hist2d");
    if (hs_cmd_flag(cmd, "versus")) {
        if (cmd->argc && strcmp(cmd->argv[0], "hist") != 0)
            return hs_err_set(&cmd->err, HS_EUSAGE, "--versus goes with plot hist");
        if (!hs_cmd_opt(cmd, "where") && !hs_cmd_opt(cmd, "cut"))
            return hs_err_set(&cmd->err, HS_EUSAGE,
                              "--versus draws a selection against the rest: give --where or --cut");
        if (hs_cmd_opt(cmd, "data") || hs_cmd_flag(cmd, "stack"))
            return hs_err_set(&cmd->err, HS_EUSAGE, "--versus draws two classes of the events: "
                                                    "not with --%s",
                              hs_cmd_opt(cmd, "data") ? "data" : "stack");
    }
    return HS_OK;
}

static const struct hs_opt_spec plot_opts[] = {
    {"bins", 0, HS_OPT_VALUE, "N",
     "hist: number of bins (default: Freedman-Diaconis); hist2d: per axis (50)"},
    {"range", 0, HS_OPT_VALUE, "LO:HI", "hist: the range (default: 0.1% to 99.9% of the events)"},
    {"log", 0, HS_OPT_FLAG, NULL,
     "hist, grid: logarithmic y axis (grid: in every panel, not only the long-tailed ones)"},
    {"logz", 0, HS_OPT_FLAG, NULL, "hist2d: logarithmic colour scale"},
    {"norm", 0, HS_OPT_FLAG, NULL, "hist: each class's bins hold its fraction of the events"},
    {"stack", 0, HS_OPT_FLAG, NULL, "hist: stack the background's groups (processes)"},
    {"versus", 0, HS_OPT_FLAG, NULL,
     "hist: every event, the selection (--where, --cut) against the rest (the TUI's "
     ":where --versus)"},
    {"data", 0, HS_OPT_VALUE, "DATASET",
     "hist: DATASET as points over this dataset's stacked simulation, with a ratio panel"},
    {"scale", 0, HS_OPT_VALUE, "HOW",
     "hist --data: the simulation scaled to the data's total (data, default), its events "
     "(none) or its weights as stored (lumi)"},
    {"class", 0, HS_OPT_VALUE, "C",
     "corr: signal (default when labelled), background or all; hist2d: the events (all)"},
    {"color", 0, HS_OPT_VALUE, "C", "scatter: " HS_SCATTER_COLOR_HELP},
    HS_FIGURE_OPTS,
    {"csv", 0, HS_OPT_VALUE, "FILE",
     "hist, hist2d: also write the plotted bins, contents and errors"},
    HS_SELECT_OPTS,
    {0},
};

static const struct hs_cmd_entry plot_entry = {
    .name = "plot",
    .alias = NULL,
    .usage = "hist FEATURE [--bins N] [--range LO:HI] [--log] [--norm] [--stack] [--versus] "
             "[--data DATASET [--scale data|none|lumi]] [--csv FILE] " HS_FIGURE_USAGE "\n"
             "hist2d FEATURE1 FEATURE2 [--bins N] [--class signal|background|all] [--logz] "
             "[-o FILE]\n"
             "scatter X Y [--color label|group|COLUMN] [-o FILE]\n"
             "corr [--class signal|background|all] [-o FILE]\n"
             "grid [--log] [--width W --height H] [--ascii]\n"
             "hist|hist2d|scatter|corr|grid ... " HS_SELECT_USAGE,
    .summary = "draw a feature's histogram by class (or data over simulation), a 2-D histogram, "
               "the correlation matrix or all features, here or to a file",
    .opts = plot_opts,
    .min_args = 1,
    .max_args = 3,
    .flags = HS_CMD_DATASET,
    .exec = plot_exec,
    .resolve = plot_resolve,
    .check = plot_check,
};

const struct hs_cmd_entry *const hs_cmd_plot_entries[] = {&plot_entry, NULL};

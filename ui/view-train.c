/* view-train.c: the training view (8): its form and its drawing.
 *
 * The form holds the options of `hepscope train` as text, checked by the
 * CLI's own option parser (ui/train.h) so the two accept the same values.
 * The view draws the form, the loss curves from the epochs copied so far
 * (ui/tui-train.c runs the training on a worker thread and copies them
 * every loop turn), and after a training its pages: the summary, the
 * overtraining check and the per-group table, from copies that point
 * into nothing the user can change.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlp.h"
#include "numparse.h"
#include "plots/cairo_render.h"
#include "plots/canvas.h"
#include "plots/palette.h"
#include "sessions/models.h"
#include "ui/grid.h"
#include "ui/train.h"
#include "ui/view-train-int.h"
#include "ui/view.h"

#define FORM_W 34       /* the form's column beside the curves */

/* ---- the form ---- */

static const struct {
    const char *name;  /* the option's name (and the field's) */
    const char *label; /* shown in the form */
    const char *dflt;
} fields[HS_TRAIN_NFIELDS] = {
    [HS_TF_LAYERS] = {"layers", "layers", "64,64"},
    [HS_TF_ACTIVATION] = {"activation", "activation", "relu"},
    [HS_TF_OPTIMIZER] = {"optimizer", "optimizer", "adam"},
    [HS_TF_LR] = {"lr", "learning rate", "0.001"},
    [HS_TF_BATCH] = {"batch", "batch", "256"},
    [HS_TF_EPOCHS] = {"epochs", "epochs", "50"},
    [HS_TF_L2] = {"l2", "l2 (alpha)", "0.0001"},
    [HS_TF_DROPOUT] = {"dropout", "dropout", "0.1"},
    [HS_TF_PATIENCE] = {"patience", "patience", "5"},
    [HS_TF_SEED] = {"seed", "seed", "0"},
    [HS_TF_BALANCE] = {"balance", "balance classes", "no"},
    [HS_TF_NAME] = {"name", "model name", "mlp"},
};

static const char *const activations[] = {"relu", "leaky_relu", "tanh", "sigmoid", "identity"};
static const char *const optimizers[] = {"adam", "sgd", "nesterov"};
static const char *const yesno[] = {"no", "yes"};

void
hs_train_form_init(struct hs_train_form *f)
{
    for (int i = 0; i < HS_TRAIN_NFIELDS; i++)
        snprintf(f->v[i], sizeof f->v[i], "%s", fields[i].dflt);
}

int
hs_train_field_find(const char *name)
{
    for (int i = 0; i < HS_TRAIN_NFIELDS; i++)
        if (strcmp(fields[i].name, name) == 0)
            return i;
    if (strcmp(name, "optimiser") == 0)
        return HS_TF_OPTIMIZER;
    return -1;
}

const char *
hs_train_field_name(enum hs_train_field fld)
{
    return (int)fld >= 0 && fld < HS_TRAIN_NFIELDS ? fields[fld].name : "";
}

static bool
is_identifier(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

/* text without blanks at either end, into buf. */
static void
trim(const char *text, char *buf, size_t size)
{
    size_t len;

    while (*text == ' ' || *text == '\t')
        text++;
    snprintf(buf, size, "%s", text);
    len = strlen(buf);
    while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
        buf[--len] = '\0';
}

static int
choice_index(const char *const *list, size_t n, const char *v)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], v) == 0)
            return (int)i;
    return -1;
}

int
hs_train_form_set(struct hs_train_form *f, enum hs_train_field fld, const char *text,
                  struct hs_err *err)
{
    struct hs_train_opts o;
    char v[HS_TRAIN_FIELD_MAX], norm[HS_TRAIN_FIELD_MAX];
    int rc;

    if ((int)fld < 0 || fld >= HS_TRAIN_NFIELDS)
        return hs_err_set(err, HS_EUSAGE, "no such field");
    if (strlen(text) >= sizeof v)
        return hs_err_set(err, HS_EUSAGE, "%s: too long", fields[fld].name);
    trim(text, v, sizeof v);
    snprintf(norm, sizeof norm, "%s", v);
    if (fld == HS_TF_NAME) {
        if (!is_identifier(v))
            return hs_err_set(err, HS_EUSAGE,
                              "model name: '%s' is not a name (letters, digits and _, not "
                              "starting with a digit)",
                              v);
    } else if (fld == HS_TF_BALANCE) {
        if (strcmp(v, "yes") == 0 || strcmp(v, "y") == 0 || strcmp(v, "1") == 0 ||
            strcmp(v, "on") == 0 || strcmp(v, "true") == 0)
            snprintf(norm, sizeof norm, "yes");
        else if (strcmp(v, "no") == 0 || strcmp(v, "n") == 0 || strcmp(v, "0") == 0 ||
                 strcmp(v, "off") == 0 || strcmp(v, "false") == 0)
            snprintf(norm, sizeof norm, "no");
        else
            return hs_err_set(err, HS_EUSAGE, "balance: yes or no, not '%s'", v);
    } else {
        /* The CLI's parser decides what is valid, so the form and
         * `hepscope train` agree on every value. */
        if ((rc = hs_train_opts_default(&o, err)))
            return rc;
        rc = hs_train_opts_set(&o, fields[fld].name, v, err);
        hs_train_opts_release(&o);
        if (rc != HS_OK)
            return rc;
        if (fld == HS_TF_LR || fld == HS_TF_L2 || fld == HS_TF_DROPOUT) {
            /* One number: the shortest form (a list of dropouts stays). */
            double x;
            char nb[HS_NUM_BUF];
            if (!strchr(v, ',') && hs_num_parse(v, strlen(v), &x) == HS_OK) {
                hs_num_format(x, nb);
                snprintf(norm, sizeof norm, "%s", nb);
            }
        }
    }
    snprintf(f->v[fld], sizeof f->v[fld], "%s", norm);
    return HS_OK;
}

int
hs_train_form_cycle(struct hs_train_form *f, enum hs_train_field fld, int dir, struct hs_err *err)
{
    const char *const *list;
    size_t n;
    int i;

    switch (fld) {
    case HS_TF_ACTIVATION:
        list = activations;
        n = sizeof activations / sizeof activations[0];
        break;
    case HS_TF_OPTIMIZER:
        list = optimizers;
        n = sizeof optimizers / sizeof optimizers[0];
        break;
    case HS_TF_BALANCE:
        list = yesno;
        n = 2;
        break;
    default:
        return hs_err_set(err, HS_EUSAGE, "%s is not a choice: Enter types it",
                          (int)fld >= 0 && fld < HS_TRAIN_NFIELDS ? fields[fld].label : "this");
    }
    i = choice_index(list, n, f->v[fld]);
    if (i < 0)
        i = 0;
    else
        i = (int)(((size_t)i + n + (dir > 0 ? 1 : n - 1)) % n);
    snprintf(f->v[fld], sizeof f->v[fld], "%s", list[i]);
    return HS_OK;
}

int
hs_train_form_words(const struct hs_train_form *f, const char **words)
{
    static const char *const opt[HS_TRAIN_NFIELDS] = {
        [HS_TF_LAYERS] = "--layers",     [HS_TF_ACTIVATION] = "--activation",
        [HS_TF_OPTIMIZER] = "--optimizer", [HS_TF_LR] = "--lr",
        [HS_TF_BATCH] = "--batch",       [HS_TF_EPOCHS] = "--epochs",
        [HS_TF_L2] = "--l2",             [HS_TF_DROPOUT] = "--dropout",
        [HS_TF_PATIENCE] = "--patience", [HS_TF_SEED] = "--seed",
    };
    int n = 0;

    for (int i = 0; i < HS_TRAIN_NFIELDS; i++) {
        if (i == HS_TF_NAME)
            continue;
        if (i == HS_TF_BALANCE) {
            if (strcmp(f->v[i], "yes") == 0)
                words[n++] = "--balance";
            continue;
        }
        words[n++] = opt[i];
        words[n++] = f->v[i];
    }
    return n;
}

/* The form as training options (threads from the app). */
int
hs_train_form_opts(const struct hs_train_form *f, struct hs_train_opts *o, struct hs_err *err)
{
    int rc = hs_train_opts_default(o, err);

    for (int i = 0; i < HS_TRAIN_NFIELDS && rc == HS_OK; i++) {
        if (i == HS_TF_NAME)
            continue;
        if (i == HS_TF_BALANCE) {
            if (strcmp(f->v[i], "yes") == 0)
                rc = hs_train_opts_set(o, "balance", NULL, err);
            continue;
        }
        rc = hs_train_opts_set(o, fields[i].name, f->v[i], err);
    }
    if (rc == HS_OK)
        rc = hs_train_opts_check(o, err);
    if (rc != HS_OK)
        hs_train_opts_release(o);
    return rc;
}

void
hs_train_outcome_free(struct hs_train_outcome *o)
{
    if (!o)
        return;
    free(o->options);
    for (size_t i = 0; i < o->nin; i++)
        free(o->inputs[i]);
    free(o->inputs);
    free(o->score);
    free(o->label);
    free(o->weight);
    free(o->train_mask);
    free(o->test_mask);
    for (size_t i = 0; i < o->ngroups; i++)
        free(o->gname[i]);
    free(o->gname);
    free(o->gnsig);
    free(o->gauc);
    free(o->gbkg95);
    free(o);
}

/* ---- the view's state ---- */

void
hs_train_view_init(struct hs_train_view *tv)
{
    memset(tv, 0, sizeof *tv);
    hs_train_form_init(&tv->form);
    tv->sc.n = HS_TRAIN_NFIELDS;
    tv->progress = -1;
}

void
hs_train_view_release(struct hs_train_view *tv)
{
    hs_train_worker_free(tv->job);
    tv->job = NULL;
    hs_train_outcome_free(tv->out);
    tv->out = NULL;
    free(tv->curve);
    tv->curve = NULL;
    tv->ncurve = tv->curve_cap = 0;
    hs_prompt_release(&tv->edit);
    tv->editing = false;
}

bool
hs_train_view_running(const struct hs_train_view *tv)
{
    return tv->job != NULL;
}

void
hs_train_view_move(struct hs_train_view *tv, enum hs_move m, size_t count)
{
    tv->sc.n = HS_TRAIN_NFIELDS;
    hs_scroll_move(&tv->sc, m, count);
}

int
hs_train_view_set_curve(struct hs_train_view *tv, const struct hs_epoch_info *e, size_t n,
                        size_t total)
{
    if (n > tv->curve_cap) {
        struct hs_epoch_info *p = realloc(tv->curve, n * sizeof *p);
        if (!p)
            return HS_ENOMEM;
        tv->curve = p;
        tv->curve_cap = n;
    }
    if (n)
        memcpy(tv->curve, e, n * sizeof *e);
    tv->ncurve = n;
    tv->total = total;
    return HS_OK;
}

/* ---- drawing ---- */

static void
fmt4(double x, char *buf)
{
    hs_grid_num4(x, buf);
}

void
hs_train_curves_draw(const struct hs_epoch_info *e, size_t n, size_t total, size_t best,
                     int mode, struct hs_screen *s, int x, int y, int w, int h)
{
    struct hs_figure *f = NULL;
    struct hs_canvas *c = NULL;
    struct hs_err err;
    char msg[HS_PLOT_MSG_MAX], a[32], b[32], d[32], bb[64] = "";

    hs_screen_fill(s, x, y, w, h, HS_COLOR_NORMAL, 0);
    if (h < 1 || w < 10)
        return;
    if (n == 0) {
        hs_screen_put(s, x + 1, y, w - 1, "(no epochs yet)", HS_COLOR_DIM, 0);
        return;
    }
    fmt4(e[n - 1].loss, a);
    fmt4(e[n - 1].val_loss, b);
    fmt4(e[n - 1].val_auc, d);
    if (best)
        snprintf(bb, sizeof bb, "  best %zu", best);
    hs_screen_printf(s, x + 1, y, w - 1, HS_COLOR_NORMAL, 0,
                     "epoch %zu/%zu  loss %s  val loss %s  val AUC %s%s", e[n - 1].epoch,
                     total > e[n - 1].epoch ? total : e[n - 1].epoch, a, b, d, bb);
    if (h < 8 || w < 24)
        return;
    hs_err_clear(&err);
    if (hs_train_curve_figure(e, n, best, NULL, &f, &err) != HS_OK) {
        hs_screen_put(s, x + 1, y + 1, w - 1, err.msg, HS_COLOR_ERROR, 0);
        return;
    }
    /* The x axis spans the epochs asked for, so the curve grows to the
     * right as they arrive instead of the axis stretching. */
    f->main.x.fixed = true;
    f->main.x.lo = 1;
    f->main.x.hi = (double)(total > n ? total : n);
    if (f->main.x.hi <= f->main.x.lo)
        f->main.x.hi = f->main.x.lo + 1;
    /* The validation AUC under the losses, sharing the epoch axis. */
    {
        double *ex = malloc(n * sizeof *ex), *ey = malloc(n * sizeof *ey);
        size_t m = 0;
        double lo = HUGE_VAL, hi = -HUGE_VAL;
        for (size_t i = 0; ex && ey && i < n; i++)
            if (isfinite(e[i].val_auc)) {
                ex[m] = (double)e[i].epoch;
                ey[m] = e[i].val_auc;
                lo = ey[m] < lo ? ey[m] : lo;
                hi = ey[m] > hi ? ey[m] : hi;
                m++;
            }
        if (m > 0 && h >= 14) {
            struct hs_series sr = {0};
            sr.kind = HS_SERIES_LINE;
            sr.label = "val AUC";
            sr.color = HS_PAL_CAT0;
            sr.n = m;
            sr.x = ex;
            sr.y = ey;
            if (hs_panel_add(&f->ratio, &sr, msg)) {
                f->has_ratio = true;
                hs_figure_set_string(&f->ratio.y.label, "val AUC", msg);
                f->ratio.y.fixed = true;
                f->ratio.y.lo = lo - 0.002 - (hi - lo) * 0.1;
                f->ratio.y.hi = hi + 0.002 + (hi - lo) * 0.1;
            }
        }
        free(ex);
        free(ey);
    }
    if ((c = hs_canvas_new(w, h - 1, (enum hs_canvas_mode)mode, msg)) != NULL &&
        hs_canvas_render(c, f, msg) == 0)
        hs_screen_put_canvas(s, c, x, y + 1);
    else
        hs_screen_put(s, x + 1, y + 1, w - 1, msg, HS_COLOR_ERROR, 0);
    hs_canvas_free(c);
    hs_figure_free(f);
}

static void
draw_form(struct hs_train_view *tv, struct hs_features_view *fv, bool running,
          struct hs_screen *s, int x, int y, int w, int h)
{
    int yy = y, labw = 16;

    hs_screen_put(s, x + 1, yy++, w - 1, "Network and optimiser", HS_COLOR_HEADER, HS_ATTR_BOLD);
    hs_scroll_fit(&tv->sc, HS_TRAIN_NFIELDS);
    for (int i = 0; i < HS_TRAIN_NFIELDS && yy < y + h; i++, yy++) {
        bool cur = (size_t)i == tv->sc.cur;
        bool choice = i == HS_TF_ACTIVATION || i == HS_TF_OPTIMIZER || i == HS_TF_BALANCE;
        int vx = x + 1 + labw + 1, vw = w - labw - 3;
        char val[HS_TRAIN_FIELD_MAX + 8];

        hs_screen_printf(s, x + 1, yy, labw, HS_COLOR_NORMAL, 0, "%-*s", labw, fields[i].label);
        if (choice)
            snprintf(val, sizeof val, "< %s >", tv->form.v[i]);
        else
            snprintf(val, sizeof val, "%s", tv->form.v[i]);
        if (cur && tv->editing) {
            const char *text = hs_prompt_line(&tv->edit);
            int tw = hs_text_width(text);
            int start = tw > vw - 1 ? tw - (vw - 1) : 0;
            hs_screen_fill(s, vx, yy, vw, 1, HS_COLOR_SELECTION, HS_ATTR_REVERSE);
            hs_screen_put(s, vx, yy, vw, text + hs_text_fit(text, start), HS_COLOR_SELECTION,
                          HS_ATTR_REVERSE);
            hs_screen_set_cursor(s, vx + (tw - start < vw ? tw - start : vw - 1), yy);
        } else {
            if (cur)
                hs_screen_fill(s, vx, yy, vw, 1, HS_COLOR_NORMAL, HS_ATTR_REVERSE);
            hs_screen_put(s, vx, yy, vw, val, HS_COLOR_NORMAL, cur ? HS_ATTR_REVERSE : 0);
        }
    }
    yy++;
    if (yy < y + h && fv && fv->t) {
        size_t non = 0;
        for (size_t i = 0; i < fv->fs.n; i++)
            non += fv->fs.f[i].on;
        hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_HEADER, HS_ATTR_BOLD,
                         "Inputs: %zu enabled feature%s", non, non == 1 ? "" : "s");
        for (size_t i = 0; i < fv->fs.n && yy < y + h - 1; i++) {
            if (!fv->fs.f[i].on)
                continue;
            hs_screen_put(s, x + 3, yy++, w - 3, fv->fs.f[i].name,
                          fv->fs.f[i].expr ? HS_COLOR_DERIVED : HS_COLOR_NORMAL, 0);
        }
    }
    if (yy < y + h)
        hs_screen_put(s, x + 1, y + h - 1, w - 1,
                      running ? "Esc stops the training" : "t trains  ] results",
                      HS_COLOR_DIM, 0);
}

static const char *const page_titles[HS_TRAIN_NPAGES] = {
    "training", "summary", "overtraining check", "per-group table"};

/* "'mlp' on 'demo'" and the page's name. */
static void
page_header(struct hs_train_view *tv, struct hs_screen *s, int x, int y, int w)
{
    char buf[400];

    snprintf(buf, sizeof buf, "%s (page %d of %d: [ ] to page)", page_titles[tv->page],
             (int)tv->page + 1, HS_TRAIN_NPAGES);
    hs_screen_put(s, x + 1, y, w - 1, buf, HS_COLOR_HEADER, HS_ATTR_BOLD);
}

void
hs_train_num_text(double x, char *buf)
{
    if (isnan(x))
        snprintf(buf, 32, "-");
    else
        fmt4(x, buf);
}

/* The summary as lines of text (also what `s` writes to a .txt file). */
char *
hs_train_summary_text(const struct hs_train_outcome *o)
{
    char *buf = NULL, a[32], b[32];
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    if (!out)
        return NULL;
    fprintf(out, "Model '%s' trained on '%s': %s\n", o->name, o->dataset, o->describe);
    fprintf(out, "Inputs (%zu):", o->nin);
    for (size_t i = 0; i < o->nin; i++)
        fprintf(out, " %s", o->inputs[i]);
    fprintf(out, "\n");
    fprintf(out, "Epochs: %zu run, best %zu%s; %zu training and %zu validation events",
            o->nepochs, o->best_epoch,
            o->cancelled ? " (stopped by Esc)" : o->early_stopped ? " (early stopping)" : "",
            o->ntrain, o->nval);
    if (o->nimputed)
        fprintf(out, "; %zu missing inputs imputed", o->nimputed);
    fprintf(out, "\n\n");
    hs_train_num_text(o->ev.test_auc, a);
    hs_train_num_text(o->ev.train_auc, b);
    fprintf(out, "Test AUC %s (train %s)\n", a, b);
    hs_train_num_text(o->ev.test_bkg95, a);
    hs_train_num_text(o->ev.train_bkg95, b);
    fprintf(out, "Background efficiency at 95%% signal efficiency: test %s (train %s)\n\n", a, b);
    fprintf(out, "Signal efficiency at background efficiency, test (train):\n");
    fprintf(out, "  %-8s %s\n", "B eff", "S eff");
    for (int k = 0; k < 3; k++) {
        char p[32];
        hs_train_num_text(hs_eval_bkg_points[k], p);
        hs_train_num_text(o->ev.test_sig_at[k], a);
        hs_train_num_text(o->ev.train_sig_at[k], b);
        fprintf(out, "  %-8s %s (%s)\n", p, a, b);
    }
    hs_train_num_text(o->ev.ks_p[0], a);
    hs_train_num_text(o->ev.ks_p[1], b);
    fprintf(out, "\nOvertraining (KS p-value, train vs test output): signal %s, background %s\n",
            a, b);
    if (o->saved[0])
        fprintf(out, "\n%s\n", o->saved);
    fclose(out);
    return buf;
}

/* text's lines, long ones wrapped at a blank (the rest indented). */
static void
draw_lines(const char *text, struct hs_screen *s, int x, int y, int w, int h)
{
    int yy = y, avail = w - 2;

    for (const char *p = text; p && *p && yy < y + h;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char line[512];
        bool cont = false;

        snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
        p = nl ? nl + 1 : p + len;
        for (char *q = line; yy < y + h; yy++) {
            char *cut = NULL;
            int ind = cont ? 4 : 0;
            if (hs_text_width(q) > avail - ind) {
                for (char *b = q; *b; b++)
                    if (*b == ' ' && b > q) {
                        *b = '\0';
                        bool fits = hs_text_width(q) <= avail - ind;
                        *b = ' ';
                        if (!fits)
                            break;
                        cut = b;
                    }
            }
            if (cut)
                *cut = '\0';
            hs_screen_put(s, x + 1 + ind, yy, w - 1 - ind, q, HS_COLOR_NORMAL, 0);
            if (!cut) {
                yy++;
                break;
            }
            q = cut + 1;
            cont = true;
        }
    }
}

static void
draw_groups(const struct hs_train_outcome *o, struct hs_screen *s, int x, int y, int w, int h)
{
    int yy = y;
    char a[32], b[32];

    if (o->ngroups == 0) {
        hs_screen_put(s, x + 1, yy, w - 1,
                      o->gmsg[0] ? o->gmsg : "(the dataset has no signal groups)", HS_COLOR_DIM,
                      0);
        return;
    }
    hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_NORMAL, 0,
                     "Each signal group against all background, test part of '%s':",
                     o->dataset);
    yy++;
    hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_HEADER, HS_ATTR_BOLD, "%-12s %8s %8s %12s",
                     "group", "signal", "AUC", "B eff at 95%");
    for (size_t g = 0; g < o->ngroups && yy < y + h - 1; g++, yy++) {
        hs_train_num_text(o->gauc[g], a);
        hs_train_num_text(o->gbkg95[g], b);
        hs_screen_printf(s, x + 1, yy, w - 1, HS_COLOR_NORMAL, 0, "%-12.12s %8zu %8s %12s",
                         o->gname[g], o->gnsig[g], a, b);
    }
    yy++;
    if (yy < y + h)
        hs_screen_printf(s, x + 1, yy, w - 1, HS_COLOR_DIM, 0,
                         "training on one group and testing on the others: hepscope groups %s",
                         o->name);
}

static void
draw_overtrain(const struct hs_train_outcome *o, int mode, struct hs_screen *s, int x, int y,
               int w, int h)
{
    struct hs_figure *f = NULL;
    struct hs_canvas *c = NULL;
    struct hs_err err;
    char msg[HS_PLOT_MSG_MAX], title[256], a[32], b[32];

    hs_train_num_text(o->ev.ks_p[0], a);
    hs_train_num_text(o->ev.ks_p[1], b);
    hs_screen_printf(s, x + 1, y, w - 1, HS_COLOR_NORMAL, 0,
                     "KS p-value train vs test: signal %s, background %s  "
                     "(test filled, train points)",
                     a, b);
    if (h < 8 || w < 24)
        return;
    hs_err_clear(&err);
    snprintf(title, sizeof title, "Overtraining check: '%s'", o->name);
    if (hs_train_overtrain_figure(o->score, o->label, o->weight, o->train_mask, o->test_mask,
                                  o->n, HS_TRAIN_OT_BINS, &o->ev, title, &f, &err) != HS_OK) {
        hs_screen_put(s, x + 1, y + 2, w - 1, err.msg, HS_COLOR_ERROR, 0);
        return;
    }
    if ((c = hs_canvas_new(w, h - 1, (enum hs_canvas_mode)mode, msg)) != NULL &&
        hs_canvas_render(c, f, msg) == 0)
        hs_screen_put_canvas(s, c, x, y + 1);
    else
        hs_screen_put(s, x + 1, y + 2, w - 1, msg, HS_COLOR_ERROR, 0);
    hs_canvas_free(c);
    hs_figure_free(f);
}

void
hs_train_view_draw(struct hs_train_view *tv, struct hs_features_view *fv, int mode,
                   struct hs_screen *s, int x, int y, int w, int h)
{
    bool running = tv->job != NULL;
    int fw = FORM_W < w / 2 ? FORM_W : w / 2;

    hs_screen_fill(s, x, y, w, h, HS_COLOR_NORMAL, 0);
    if (h < 4)
        return;
    page_header(tv, s, x, y, w);
    if (tv->page == HS_TPAGE_TRAIN) {
        int cx = x + fw + 1, cw = w - fw - 1, cy = y + 1, ch = h - 1;
        draw_form(tv, fv, running, s, x, y + 1, fw, h - 1);
        if (!fv || !fv->t) {
            hs_screen_put(s, cx, cy, cw, "(no dataset is shown)", HS_COLOR_DIM, 0);
            return;
        }
        if (tv->ncurve || running) {
            char head[300];
            snprintf(head, sizeof head, "%s '%s' on '%s'%s",
                     running ? (tv->stopping ? "Stopping" : "Training") : "Trained", tv->model,
                     tv->dataset, running && !tv->ncurve ? ": waiting for the first epoch" : "");
            hs_screen_put(s, cx, cy++, cw, head, HS_COLOR_HEADER, HS_ATTR_BOLD);
            ch--;
            if (tv->desc[0] && ch > 8) {
                hs_screen_put(s, cx, cy++, cw, tv->desc, HS_COLOR_DIM, 0);
                ch--;
            }
        }
        if (!running && tv->out && ch > 4) {
            /* Under the curves: the one line a student looks for. */
            char a[32], b[32];
            hs_train_num_text(tv->out->ev.test_auc, a);
            hs_train_num_text(tv->out->ev.test_bkg95, b);
            hs_screen_printf(s, cx, cy + ch - 1, cw, HS_COLOR_NORMAL, HS_ATTR_BOLD,
                             "test AUC %s, B eff at 95%% S eff %s  (] summary)", a, b);
            ch--;
        }
        if (tv->ncurve) {
            hs_train_curves_draw(tv->curve, tv->ncurve, tv->total,
                                 tv->out ? tv->out->best_epoch : 0, mode, s, cx, cy, cw, ch);
        } else if (!running) {
            hs_screen_put(s, cx, cy, cw,
                          tv->msg[0] ? tv->msg
                                     : "Set the fields (Enter edits, Left/Right choose), then "
                                       "t trains",
                          HS_COLOR_DIM, 0);
        }
        return;
    }
    if (!tv->out) {
        hs_screen_put(s, x + 1, y + 2, w - 1,
                      running ? "(training: the results come when it ends)"
                              : "(no model trained in this TUI yet: t trains one)",
                      HS_COLOR_DIM, 0);
        return;
    }
    if (tv->page == HS_TPAGE_SUMMARY) {
        char *text = hs_train_summary_text(tv->out);
        draw_lines(text, s, x, y + 2, w, h - 2);
        free(text);
    } else if (tv->page == HS_TPAGE_OVERTRAIN) {
        draw_overtrain(tv->out, mode, s, x, y + 1, w, h - 1);
    } else {
        draw_groups(tv->out, s, x, y + 2, w, h - 2);
    }
}

/* ---- the view class ---- */

/* A key for the training view's field editor: Enter sets the field
 * through `train-set` (an error goes to the status line and the editor
 * stays open with the text), Esc leaves the field as it was. */
static void
train_editor_key(struct hs_tui *tui, int code)
{
    struct hs_train_view *tv = &tui->train;
    enum hs_prompt_result r = hs_prompt_key(&tv->edit, code);
    char *words[4], *line;

    if (r == HS_PROMPT_EDITING)
        return;
    tv->editing = false;
    if (r == HS_PROMPT_CANCEL || tv->sc.cur >= HS_TRAIN_NFIELDS)
        return;
    words[0] = "train-set";
    words[1] = (char *)hs_train_field_name((enum hs_train_field)tv->sc.cur);
    words[2] = "--";
    words[3] = (char *)hs_prompt_line(&tv->edit);
    if (!(line = hs_cmd_join(4, words))) {
        hs_tui_message(tui, true, "out of memory");
        return;
    }
    tui->msg[0] = '\0';
    if (hs_tui_run(tui, line) != HS_OK)
        tv->editing = true; /* fix the text rather than type it again */
    free(line);
}

static void
train_init(struct hs_tui *tui, struct hs_view *view)
{
    view->data = &tui->train;
    hs_train_view_init(view->data);
}

static void
train_release(struct hs_tui *tui, struct hs_view *view)
{
    (void)tui;
    hs_train_view_release(view->data);
}

static void
train_enter(struct hs_tui *tui, struct hs_view *view)
{
    struct hs_train_view *tv = view->data;

    (void)tui;
    tv->editing = false;
}

static unsigned
train_key(struct hs_tui *tui, struct hs_view *view, int code)
{
    struct hs_train_view *tv = view->data;

    if (!tv->editing)
        return HS_REACT_PASS;
    train_editor_key(tui, code);
    return HS_REACT_REDRAW;
}

static void
train_move(struct hs_tui *tui, struct hs_view *view, enum hs_move m, size_t count)
{
    (void)tui;
    hs_train_view_move(view->data, m, count);
}

static void
train_draw(struct hs_tui *tui, struct hs_view *view, struct hs_screen *s, struct hs_rect r)
{
    hs_train_view_draw(view->data, &tui->feat, tui->hist.mode, s, r.x, r.y, r.w, r.h);
}

static void
train_status(const struct hs_tui *tui, const struct hs_view *view, char *buf, size_t size)
{
    const struct hs_train_view *tv = view->data;

    (void)tui;
    if (tv->job && tv->stopping)
        snprintf(buf, size, " stopping '%s' after this batch...", tv->model);
    else if (tv->job && tv->progress >= 0)
        snprintf(buf, size, " training '%s': %s  %3.0f%%  (Esc stops)", tv->model,
                 tv->what[0] ? tv->what : "", 100 * tv->progress);
    else if (tv->job)
        snprintf(buf, size, " training '%s'...  (Esc stops)", tv->model);
    else if (tv->page == HS_TPAGE_TRAIN && tv->sc.cur < HS_TRAIN_NFIELDS)
        snprintf(buf, size, " field %zu of %d  %s", tv->sc.cur + 1, HS_TRAIN_NFIELDS,
                 hs_train_field_name((enum hs_train_field)tv->sc.cur));
}

const struct hs_view_class hs_view_train_class = {
    .name = "train",
    .init = train_init,
    .release = train_release,
    .enter = train_enter,
    .leave = train_enter, /* the field editor closes either way */
    .key = train_key,
    .move = train_move,
    .draw = train_draw,
    .status = train_status,
};

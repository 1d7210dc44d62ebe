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

#include "mem.h"
#include "names.h"
#include "numparse.h"
#include "plots/cairo_render.h"
#include "plots/canvas.h"
#include "plots/palette.h"
#include "sessions/models.h"
#include "ui/grid.h"
#include "ui/keys.h"
#include "ui/train.h"
#include "ui/view-train-int.h"
#include "ui/view.h"

#define FORM_W 34       /* the form's column beside the curves */

/* ---- the form ----
 *
 * Nothing here names a method or a parameter: the fields come from the
 * chosen method's spec (src/method.h) and every value goes through
 * hs_train_opts_set, the CLI's own parser. */

int
hs_train_form_init(struct hs_train_form *f, struct hs_err *err)
{
    int rc;

    memset(f, 0, sizeof *f);
    if ((rc = hs_train_opts_default(&f->opts, err)))
        return rc;
    hs_train_form_propose(f, NULL, NULL);
    return HS_OK;
}

void
hs_train_form_release(struct hs_train_form *f)
{
    if (f)
        hs_train_opts_release(&f->opts);
}

size_t
hs_train_form_nfields(const struct hs_train_form *f)
{
    return hs_train_form_features_field(f) + 1;
}

size_t
hs_train_form_features_field(const struct hs_train_form *f)
{
    return HS_TRAIN_FIELD_PARAMS + f->opts.params.n;
}

/* The key that pages (the key table's), for the hints. */
static const char *
page_key(bool next)
{
    const char *k = hs_keys_key_for("train", next ? "train-page next" : "train-page previous");
    return k ? k : next ? ":train-page next" : ":train-page previous";
}

/* The parameter of field i, or NULL for the name, the method and the inputs. */
static const struct hs_param_spec *
field_spec(const struct hs_train_form *f, size_t i)
{
    return i >= HS_TRAIN_FIELD_PARAMS && i < hs_train_form_features_field(f)
               ? &f->opts.params.spec[i - HS_TRAIN_FIELD_PARAMS]
               : NULL;
}

const char *
hs_train_form_field_name(const struct hs_train_form *f, size_t i)
{
    const struct hs_param_spec *ps = field_spec(f, i);

    if (i == HS_TRAIN_FIELD_NAME)
        return "name";
    if (i == HS_TRAIN_FIELD_METHOD)
        return "method";
    if (i == hs_train_form_features_field(f))
        return "features";
    return ps ? ps->name : "";
}

long
hs_train_form_find(const struct hs_train_form *f, const char *name)
{
    for (size_t i = 0; i < hs_train_form_nfields(f); i++)
        if (strcmp(hs_train_form_field_name(f, i), name) == 0)
            return (long)i;
    return -1;
}

void
hs_train_form_value(const struct hs_train_form *f, size_t i, char *buf, size_t size)
{
    const struct hs_param_spec *ps = field_spec(f, i);

    buf[0] = '\0';
    if (i == HS_TRAIN_FIELD_NAME)
        snprintf(buf, size, "%s", f->name);
    else if (i == HS_TRAIN_FIELD_METHOD)
        snprintf(buf, size, "%s", f->opts.method->name);
    else if (i == hs_train_form_features_field(f) && !f->opts.nfeatures)
        snprintf(buf, size, "%s", f->no_inputs ? "none" : "enabled");
    else if (i == hs_train_form_features_field(f))
        for (size_t k = 0, len = 0; k < f->opts.nfeatures && len < size; k++)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", k ? "," : "",
                                    f->opts.features[k]);
    else if (ps && ps->type == HS_PARAM_FLAG)
        snprintf(buf, size, "%s", hs_params_flag(&f->opts.params, i - HS_TRAIN_FIELD_PARAMS)
                                      ? "yes"
                                      : "no");
    else if (ps)
        hs_params_format(&f->opts.params, i - HS_TRAIN_FIELD_PARAMS, buf, size);
}

bool
hs_train_form_is_choice(const struct hs_train_form *f, size_t i)
{
    const struct hs_param_spec *ps = field_spec(f, i);

    return i == HS_TRAIN_FIELD_METHOD ||
           (ps && (ps->type == HS_PARAM_CHOICE || ps->type == HS_PARAM_FLAG));
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

/* A flag's words as the parameter layer takes them ("1", "0"), or v. */
static const char *
flag_word(const char *v)
{
    static const char *const on[] = {"yes", "y", "on", "true"};
    static const char *const off[] = {"no", "n", "off", "false"};

    for (size_t k = 0; k < sizeof on / sizeof on[0]; k++) {
        if (strcmp(v, on[k]) == 0)
            return "1";
        if (strcmp(v, off[k]) == 0)
            return "0";
    }
    return v;
}

int
hs_train_form_set(struct hs_train_form *f, size_t i, const char *text, struct hs_err *err)
{
    const struct hs_param_spec *ps = field_spec(f, i);
    const struct hs_method *before = f->opts.method;
    char v[HS_TRAIN_FIELD_MAX];
    int rc;

    if (i >= hs_train_form_nfields(f))
        return hs_err_set(err, HS_EUSAGE, "no such field");
    if (strlen(text) >= sizeof v)
        return hs_err_set(err, HS_EUSAGE, "%s: too long", hs_train_form_field_name(f, i));
    trim(text, v, sizeof v);
    if (i == HS_TRAIN_FIELD_NAME) {
        if (!hs_name_is_identifier(v))
            return hs_err_set(err, HS_EUSAGE,
                              "model name: '%s' is not a name (letters, digits and _, not "
                              "starting with a digit)",
                              v);
        snprintf(f->name, sizeof f->name, "%s", v);
        f->name_typed = true;
        return HS_OK;
    }
    if (i == hs_train_form_features_field(f)) {
        bool none = strcmp(v, "none") == 0;
        rc = hs_train_opts_set_features_text(
            &f->opts, none || strcmp(v, "enabled") == 0 ? "" : v, err);
        if (rc == HS_OK)
            f->no_inputs = none;
        return rc;
    }
    rc = hs_train_opts_set(&f->opts, i == HS_TRAIN_FIELD_METHOD ? "method" : ps->name,
                           ps && ps->type == HS_PARAM_FLAG ? flag_word(v) : v, err);
    if (rc == HS_OK && f->opts.method != before)
        hs_train_form_propose(f, NULL, NULL);
    return rc;
}

int
hs_train_form_cycle(struct hs_train_form *f, size_t i, int dir, struct hs_err *err)
{
    const struct hs_param_spec *ps = field_spec(f, i);
    const char *const *list;
    size_t n = 0, k = 0;

    if (i == HS_TRAIN_FIELD_METHOD) {
        const struct hs_method *const *all = hs_methods();
        while (all[n])
            n++;
        while (k < n && all[k] != f->opts.method)
            k++;
        /* Only classifiers train: projections and clusterings have commands of their own. */
        do
            k = (k + n + (dir > 0 ? 1 : n - 1)) % n;
        while (hs_method_primary(all[k]) != HS_METHOD_SCORE && all[k] != f->opts.method);
        return hs_train_form_set(f, i, all[k]->name, err);
    }
    if (ps && ps->type == HS_PARAM_FLAG)
        return hs_train_opts_set(&f->opts, ps->name,
                                 hs_params_flag(&f->opts.params, i - HS_TRAIN_FIELD_PARAMS) ? "0"
                                                                                            : "1",
                                 err);
    if (!ps || ps->type != HS_PARAM_CHOICE)
        return hs_err_set(err, HS_EUSAGE, "%s is not a choice: Enter types it",
                          i < hs_train_form_nfields(f) ? hs_train_form_field_name(f, i) : "this");
    list = ps->choices;
    while (list[n])
        n++;
    k = hs_params_choice(&f->opts.params, i - HS_TRAIN_FIELD_PARAMS);
    k = (k + n + (dir > 0 ? 1 : n - 1)) % n;
    return hs_train_opts_set(&f->opts, ps->name, list[k], err);
}

char *
hs_train_form_line(const struct hs_train_form *f)
{
    return hs_train_opts_line(&f->opts);
}

void
hs_train_form_propose(struct hs_train_form *f, bool (*taken)(void *user, const char *name),
                      void *user)
{
    const char *base = f->opts.method->name;

    if (f->name_typed)
        return;
    snprintf(f->name, sizeof f->name, "%s", base);
    for (unsigned k = 2; taken && taken(user, f->name) && k < 100000; k++)
        snprintf(f->name, sizeof f->name, "%s%u", base, k);
}

/* ---- the feature picker ---- */

size_t
hs_train_pick_count(const struct hs_featureset *fs)
{
    size_t n = 0;

    for (size_t i = 0; fs && i < fs->n; i++)
        n += hs_train_feature_numeric(fs, &fs->f[i]);
    return n;
}

size_t
hs_train_pick_feature(const struct hs_featureset *fs, size_t k)
{
    for (size_t i = 0; i < fs->n; i++)
        if (hs_train_feature_numeric(fs, &fs->f[i]) && k-- == 0)
            return i;
    return fs->n;
}

bool
hs_train_form_picked(const struct hs_train_form *f, const struct hs_featureset *fs, size_t i)
{
    if (i >= fs->n || !hs_train_feature_numeric(fs, &fs->f[i]))
        return false;
    if (!f->opts.nfeatures)
        return !f->no_inputs && fs->f[i].on; /* `train`'s default: the enabled features */
    for (size_t k = 0; k < f->opts.nfeatures; k++)
        if (strcmp(f->opts.features[k], fs->f[i].name) == 0)
            return true;
    return false;
}

/* Set the inputs to the features of fs whose want() is true (i: the
 * feature asked about, for want): the default when they are the enabled
 * ones, none when there are none. */
static int
pick_where(struct hs_train_form *f, const struct hs_featureset *fs, size_t i, bool on,
           bool (*want)(const struct hs_train_form *, const struct hs_featureset *, size_t,
                        size_t, bool),
           struct hs_err *err)
{
    const char **names = calloc(fs->n + 1, sizeof *names);
    size_t n = 0;
    bool as_default = true;
    int rc;

    if (!names)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t k = 0; k < fs->n; k++) {
        bool p = want(f, fs, k, i, on);
        if (!hs_train_feature_numeric(fs, &fs->f[k]))
            continue;
        as_default = as_default && p == fs->f[k].on;
        if (p)
            names[n++] = fs->f[k].name;
    }
    rc = hs_train_opts_set_features(&f->opts, names, as_default ? 0 : n, err);
    if (rc == HS_OK)
        f->no_inputs = n == 0;
    free(names);
    return rc;
}

/* Feature k picked once feature i is set to on. */
static bool
want_one(const struct hs_train_form *f, const struct hs_featureset *fs, size_t k, size_t i, bool on)
{
    return k == i ? on : hs_train_form_picked(f, fs, k);
}

/* Every raw and derived feature (on), or none; model scores are named
 * one by one. */
static bool
want_all(const struct hs_train_form *f, const struct hs_featureset *fs, size_t k, size_t i,
         bool on)
{
    (void)f, (void)i;
    return on && fs->f[k].kind != HS_FEATURE_LEARNED;
}

int
hs_train_form_pick(struct hs_train_form *f, const struct hs_featureset *fs, size_t i, bool on,
                   struct hs_err *err)
{
    if (i >= fs->n || !hs_train_feature_numeric(fs, &fs->f[i]))
        return hs_err_set(err, HS_EUSAGE, "'%s' cannot be an input (text)",
                          i < fs->n ? fs->f[i].name : "?");
    return pick_where(f, fs, i, on, want_one, err);
}

int
hs_train_form_pick_all(struct hs_train_form *f, const struct hs_featureset *fs, bool on,
                       struct hs_err *err)
{
    return pick_where(f, fs, fs->n, on, want_all, err);
}

/* The form as training options: its line read back by the CLI's reader,
 * so the job is exactly what that line gives. */
int
hs_train_form_opts(const struct hs_train_form *f, struct hs_train_opts *o, struct hs_err *err)
{
    char *line;
    int rc;

    if (f->no_inputs)
        return hs_err_set(err, HS_EUSAGE,
                          "no inputs: pick some in the form's features field (Enter on it)");
    if (!(line = hs_train_form_line(f)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    rc = hs_train_opts_parse_line(line, f->opts.method->name, o, err);
    free(line);
    return rc;
}

void
hs_train_outcome_free(struct hs_train_outcome *o)
{
    if (!o)
        return;
    free(o->options);
    hs_free(o->details);
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
    free(o->gse);
    free(o->gx);
    free(o);
}

/* ---- the view's state ---- */

void
hs_train_view_init(struct hs_train_view *tv)
{
    struct hs_err err;

    memset(tv, 0, sizeof *tv);
    /* Out of memory at start-up leaves a form without fields; t says so. */
    if (hs_train_form_init(&tv->form, &err) != HS_OK)
        memset(&tv->form, 0, sizeof tv->form);
    tv->sc.n = tv->form.opts.method ? hs_train_form_nfields(&tv->form) : 0;
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
    hs_train_form_release(&tv->form);
}

bool
hs_train_view_running(const struct hs_train_view *tv)
{
    return tv->job != NULL;
}

void
hs_train_view_move(struct hs_train_view *tv, enum hs_move m, size_t count)
{
    tv->sc.n = hs_train_form_nfields(&tv->form);
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
    if ((c = hs_screen_canvas(s, w, h - 1, mode, msg)) != NULL &&
        hs_canvas_render(c, f, msg) == 0)
        hs_screen_put_canvas(s, c, x, y + 1);
    else
        hs_screen_put(s, x + 1, y + 1, w - 1, msg, HS_COLOR_ERROR, 0);
    hs_canvas_free(c);
    hs_figure_free(f);
}

/* The inputs under the form: every feature that can be one, ticked when
 * it is; while picking, a cursor and a scrolled page.  Returns the next
 * free row. */
static int
draw_inputs(struct hs_train_view *tv, const struct hs_featureset *fs, struct hs_screen *s, int x,
            int y, int w, int h)
{
    size_t n = hs_train_pick_count(fs), npicked = 0;
    int yy = y;

    for (size_t k = 0; k < n; k++)
        npicked += hs_train_form_picked(&tv->form, fs, hs_train_pick_feature(fs, k));
    if (tv->form.opts.nfeatures || tv->form.no_inputs)
        hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_HEADER, HS_ATTR_BOLD,
                         "Inputs: %zu of %zu features picked", npicked, n);
    else
        hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_HEADER, HS_ATTR_BOLD,
                         "Inputs: %zu enabled feature%s", npicked, npicked == 1 ? "" : "s");
    /* Row 0 of the picker is "all" (every raw and derived feature, or none). */
    tv->pick.n = n + 1;
    hs_scroll_fit(&tv->pick, h - 1 > 0 ? h - 1 : 1);
    for (size_t k = tv->picking ? tv->pick.top : 1; k <= n && yy < y + h; k++) {
        size_t i = k ? hs_train_pick_feature(fs, k - 1) : fs->n;
        bool cur = tv->picking && k == tv->pick.cur;
        char box = k == 0 ? (npicked == 0 ? ' ' : npicked == n ? 'x' : '-')
                   : hs_train_form_picked(&tv->form, fs, i) ? 'x'
                                                           : ' ';
        if (yy == y + h - 1 && k < n && !tv->picking) {
            hs_screen_printf(s, x + 3, yy++, w - 3, HS_COLOR_DIM, 0, "... %zu more", n - k + 1);
            break;
        }
        hs_screen_printf(s, x + 1, yy++, w - 1,
                         cur                   ? HS_COLOR_SELECTION
                         : k == 0              ? HS_COLOR_DIM
                         : fs->f[i].expr       ? HS_COLOR_DERIVED
                                               : HS_COLOR_NORMAL,
                         cur ? HS_ATTR_REVERSE : 0, "[%c] %s", box, k ? fs->f[i].name : "(all)");
    }
    return yy;
}

static void
draw_form(struct hs_train_view *tv, struct hs_features_view *fv, bool running,
          struct hs_screen *s, int x, int y, int w, int h)
{
    size_t nf = hs_train_form_nfields(&tv->form);
    int yy = y, labw = 16, page = h - 3 < (int)nf ? h - 3 : (int)nf;

    /* The picker needs rows: where the fields leave it fewer than 8, it
     * has the column to itself while it is open. */
    if (tv->picking && fv && fv->t && h - (int)nf - 3 < 8) {
        draw_inputs(tv, &fv->fs, s, x, y, w, h - 1);
        hs_screen_put(s, x + 1, y + h - 1, w - 1, "Space picks  Enter done", HS_COLOR_DIM, 0);
        return;
    }
    hs_screen_put(s, x + 1, yy++, w - 1, "Model and method", HS_COLOR_HEADER, HS_ATTR_BOLD);
    tv->sc.n = nf;
    hs_scroll_fit(&tv->sc, page > 0 ? page : 1);
    for (size_t i = tv->sc.top; i < nf && yy < y + h; i++, yy++) {
        bool cur = i == tv->sc.cur;
        int vx = x + 1 + labw + 1, vw = w - labw - 3;
        char val[HS_TRAIN_FIELD_MAX + 32], v[HS_TRAIN_FIELD_MAX];

        hs_screen_printf(s, x + 1, yy, labw, HS_COLOR_NORMAL, 0, "%-*s", labw,
                         i == HS_TRAIN_FIELD_NAME ? "model name"
                                                  : hs_train_form_field_name(&tv->form, i));
        hs_train_form_value(&tv->form, i, v, sizeof v);
        if (i == hs_train_form_features_field(&tv->form) && tv->form.opts.nfeatures)
            snprintf(val, sizeof val, "%zu: %s", tv->form.opts.nfeatures, v);
        else if (hs_train_form_is_choice(&tv->form, i))
            snprintf(val, sizeof val, "< %s >", v);
        else
            snprintf(val, sizeof val, "%s", v);
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
    if (yy < y + h - 1 && fv && fv->t)
        yy = draw_inputs(tv, &fv->fs, s, x, yy, w, y + h - 1 - yy);
    if (yy < y + h)
        hs_screen_printf(s, x + 1, y + h - 1, w - 1, HS_COLOR_DIM, 0, "%s%s%s",
                         tv->picking ? "Space picks  Enter done"
                         : running   ? "Esc stops the training"
                                     : "t trains  ",
                         tv->picking || running ? "" : page_key(true),
                         tv->picking || running ? "" : " results");
}

static const char *const page_titles[HS_TRAIN_NPAGES] = {
    "training", "summary", "overtraining check", "per-group table"};

/* "'mlp' on 'demo'" and the page's name. */
static void
page_header(struct hs_train_view *tv, struct hs_screen *s, int x, int y, int w)
{
    char buf[400];

    snprintf(buf, sizeof buf, "%s (page %d of %d: %s %s to page)", page_titles[tv->page],
             (int)tv->page + 1, HS_TRAIN_NPAGES, page_key(false), page_key(true));
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
    if (o->nepochs)
        fprintf(out, "Epochs: %zu run, best %zu%s; ", o->nepochs, o->best_epoch,
                o->cancelled ? " (stopped by Esc)" : o->early_stopped ? " (early stopping)" : "");
    else
        fprintf(out, "No epochs (fitted in one step); ");
    fprintf(out, "%zu training and %zu validation events", o->ntrain, o->nval);
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
    if (o->details)
        fprintf(out, "\n%s", o->details);
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

/* The table's width: group, signal, AUC, s.e., B eff. */
#define GROUPS_TABLE_W 54
/* The least room a figure is drawn in. */
#define GROUPS_FIG_MIN_W 40
#define GROUPS_FIG_MIN_H 8

/* The per-group table from row `first` in h rows at (x, y): its header,
 * the groups that fit, and how many did not. */
static void
draw_groups_table(const struct hs_train_outcome *o, struct hs_screen *s, int x, int y, int w,
                  int h)
{
    int yy = y;
    size_t g = 0;
    char a[32], b[32], c[32];

    hs_screen_printf(s, x + 1, yy++, w - 1, HS_COLOR_HEADER, HS_ATTR_BOLD,
                     "%-12s %8s %8s %8s %12s", "group", "signal", "AUC", "s.e.", "B eff at 95%");
    for (; g < o->ngroups && yy < y + h; g++, yy++) {
        if (yy == y + h - 1 && g + 1 < o->ngroups)
            break; /* the last row says how many more */
        hs_train_num_text(o->gauc[g], a);
        hs_train_num_text(o->gse[g], c);
        hs_train_num_text(o->gbkg95[g], b);
        hs_screen_printf(s, x + 1, yy, w - 1, HS_COLOR_NORMAL, 0, "%-12.12s %8zu %8s %8s %12s",
                         o->gname[g], o->gnsig[g], a, c, b);
    }
    if (g < o->ngroups && yy < y + h)
        hs_screen_printf(s, x + 1, yy, w - 1, HS_COLOR_DIM, 0,
                         "(%zu more groups: p saves them, :train-save FILE.csv)", o->ngroups - g);
}

/* Figure f drawn into the w x h cells at (x, y) (or why not), then freed. */
static void
put_figure(struct hs_figure *f, int mode, struct hs_screen *s, int x, int y, int w, int h)
{
    struct hs_canvas *c = NULL;
    char msg[HS_PLOT_MSG_MAX];

    if ((c = hs_screen_canvas(s, w, h, mode, msg)) != NULL && hs_canvas_render(c, f, msg) == 0)
        hs_screen_put_canvas(s, c, x, y);
    else
        hs_screen_put(s, x + 1, y + 1, w - 1, msg, HS_COLOR_ERROR, 0);
    hs_canvas_free(c);
    hs_figure_free(f);
}

/* AUC per group with DeLong's error bars, into the w x h cells at (x, y). */
static void
draw_groups_figure(const struct hs_train_outcome *o, int mode, struct hs_screen *s, int x, int y,
                   int w, int h)
{
    struct hs_figure *f = NULL;
    struct hs_err err;

    hs_err_clear(&err);
    if (hs_train_outcome_groups_figure(o, true, &f, &err) != HS_OK)
        hs_screen_put(s, x + 1, y, w - 1, err.msg, HS_COLOR_ERROR, 0);
    else
        put_figure(f, mode, s, x, y, w, h);
}

/* The groups page: a line on what is compared, the table and the figure
 * side by side when there is room, else the figure above the table, and
 * the transfer study's command. */
static void
draw_groups(const struct hs_train_outcome *o, int mode, struct hs_screen *s, int x, int y, int w,
            int h)
{
    int body = h - 3, rows = (int)o->ngroups + 1;

    if (o->ngroups == 0) {
        hs_screen_put(s, x + 1, y, w - 1,
                      o->gmsg[0] ? o->gmsg : "(the dataset has no signal groups)", HS_COLOR_DIM,
                      0);
        return;
    }
    hs_screen_printf(s, x + 1, y, w - 1, HS_COLOR_NORMAL, 0,
                     "Each signal group against all background, test part of '%s' "
                     "(s.e.: DeLong)%s%s",
                     o->dataset, o->gsenote[0] ? "; " : "", o->gsenote);
    if (w >= GROUPS_TABLE_W + GROUPS_FIG_MIN_W && body >= GROUPS_FIG_MIN_H) {
        draw_groups_table(o, s, x, y + 2, GROUPS_TABLE_W, body);
        draw_groups_figure(o, mode, s, x + GROUPS_TABLE_W + 1, y + 1, w - GROUPS_TABLE_W - 1,
                           body + 1);
    } else if (body >= GROUPS_FIG_MIN_H + 3) {
        /* The figure first: the table keeps what the figure leaves, at
         * least a third of the rows. */
        int fh = body - rows > body * 2 / 3 ? body - rows : body * 2 / 3;
        if (fh < GROUPS_FIG_MIN_H)
            fh = GROUPS_FIG_MIN_H;
        draw_groups_figure(o, mode, s, x, y + 1, w, fh);
        draw_groups_table(o, s, x, y + 1 + fh, w, body - fh + 1);
    } else {
        draw_groups_table(o, s, x, y + 2, w, body);
    }
    hs_screen_printf(s, x + 1, y + h - 1, w - 1, HS_COLOR_DIM, 0,
                     "training on one group and testing on the others: :groups %s --transfer",
                     o->name);
}

static void
draw_overtrain(const struct hs_train_outcome *o, int mode, struct hs_screen *s, int x, int y,
               int w, int h)
{
    struct hs_figure *f = NULL;
    struct hs_err err;
    char title[256], a[32], b[32];

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
    put_figure(f, mode, s, x, y + 1, w, h - 1);
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
        if (tv->ncurve || running || tv->out) {
            char head[300];
            const char *wait = "";
            if (running && !tv->ncurve)
                wait = tv->total ? ": waiting for the first epoch" : ": fitting (no epochs)";
            snprintf(head, sizeof head, "%s '%s' on '%s'%s",
                     running ? (tv->stopping ? "Stopping" : "Training") : "Trained", tv->model,
                     tv->dataset, wait);
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
                             "test AUC %s, B eff at 95%% S eff %s  (%s summary)", a, b,
                             page_key(true));
            ch--;
        }
        if (tv->ncurve) {
            hs_train_curves_draw(tv->curve, tv->ncurve, tv->total,
                                 tv->out ? tv->out->best_epoch : 0, mode, s, cx, cy, cw, ch);
        } else if (!running && tv->out) {
            /* A method without epochs (Fisher's) has no curve: what the
             * model says of itself instead. */
            hs_screen_put(s, cx, cy + 1, cw,
                          "No training curve: the method fits in one step, without epochs.",
                          HS_COLOR_DIM, 0);
            if (tv->out->details)
                draw_lines(tv->out->details, s, cx - 1, cy + 3, cw, ch - 4);
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
        draw_groups(tv->out, mode, s, x, y + 2, w, h - 2);
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
    if (r == HS_PROMPT_CANCEL || tv->sc.cur >= hs_train_form_nfields(&tv->form))
        return;
    words[0] = "train-set";
    words[1] = (char *)hs_train_form_field_name(&tv->form, tv->sc.cur);
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

    tv->editing = false;
    tv->asking = false;
    tv->picking = false;
    hs_tui_train_propose(tui);
}

static void
train_prepare(struct hs_tui *tui, struct hs_view *view, unsigned changes)
{
    (void)view;
    if (changes & (HS_CHANGE_MODELS | HS_CHANGE_DATASETS))
        hs_tui_train_propose(tui);
}

static unsigned
train_key(struct hs_tui *tui, struct hs_view *view, int code)
{
    struct hs_train_view *tv = view->data;

    if (tv->asking) {
        /* "replace model NAME?": y replaces, any other key keeps it. */
        tv->asking = false;
        tui->msg[0] = '\0';
        if (code == 'y' || code == 'Y')
            hs_tui_run(tui, "train-start --replace");
        else
            hs_tui_message(tui, false, "kept model '%s': nothing trained", tv->form.name);
        return HS_REACT_REDRAW;
    }
    if (!tv->editing)
        return HS_REACT_PASS;
    train_editor_key(tui, code);
    return HS_REACT_REDRAW;
}

static void
train_move(struct hs_tui *tui, struct hs_view *view, enum hs_move m, size_t count)
{
    struct hs_train_view *tv = view->data;

    if (tv->picking) {
        tv->pick.n = hs_train_pick_count(&tui->feat.fs) + 1; /* and "(all)" */
        hs_scroll_move(&tv->pick, m, count);
        return;
    }
    hs_train_view_move(tv, m, count);
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
    else if (tv->picking)
        snprintf(buf, size, " inputs: row %zu of %zu  (Space picks or drops, Enter done)",
                 tv->pick.cur + 1, tv->pick.n);
    else if (tv->page == HS_TPAGE_TRAIN && tv->sc.cur < hs_train_form_nfields(&tv->form))
        snprintf(buf, size, " field %zu of %zu  %s", tv->sc.cur + 1,
                 hs_train_form_nfields(&tv->form),
                 hs_train_form_field_name(&tv->form, tv->sc.cur));
}

const struct hs_view_class hs_view_train_class = {
    .name = "train",
    .init = train_init,
    .release = train_release,
    .enter = train_enter,
    .leave = train_enter, /* the field editor and the question close either way */
    .prepare = train_prepare,
    .key = train_key,
    .move = train_move,
    .draw = train_draw,
    .status = train_status,
};

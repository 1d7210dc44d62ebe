/* select.c: --where and --cut, from a parsed command to a row mask; and
 * cut sets addressed by name (NAME or NAME@TARGET), which `cut flow`,
 * `cut export` and every --cut share. */
#include "config.h"

#include "ui/select.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "numparse.h"
#include "rowsel.h"

/* ---- cut sets by name ---------------------------------------------- */

void
hs_select_caret(struct hs_err *err, const char *text)
{
    size_t len = strlen(err->msg), tl = strlen(text);

    if (err->col <= 0 || (size_t)err->col > tl + 1 || tl > 200)
        return;
    snprintf(err->msg + len, sizeof err->msg - len, "\n    %s\n    %*s^", text, err->col - 1,
             "");
}

/* "0.1, 0.15, ..." into buf. */
static void
targets_list(const struct hs_cutset_rec *rec, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    for (size_t p = 0; p < rec->npoints && len + 16 < size; p++)
        len += (size_t)snprintf(buf + len, size - len, "%s%g", p ? ", " : "", rec->target[p]);
}

int
hs_select_cutset_load(struct hs_cmd *cmd, struct hs_app *app, const char *arg,
                      struct hs_cutset_rec *rec, size_t *point)
{
    const char *at = strrchr(arg, '@');
    char *name = at ? hs_strndup(arg, (size_t)(at - arg)) : hs_strdup(arg);
    double want = NAN;
    char list[512];
    int rc;

    memset(rec, 0, sizeof *rec);
    *point = 0;
    if (!name)
        return hs_cmd_nomem(cmd);
    if (at && (hs_num_parse(at + 1, strlen(at + 1), &want) || !(want > 0 && want <= 1))) {
        rc = hs_err_set(&cmd->err, HS_EUSAGE,
                        "'%s': after '@' comes a target signal efficiency such as 0.95", arg);
        free(name);
        return rc;
    }
    rc = hs_sess_cutset_load(app->sess, cmd->dataset, name, rec, &cmd->err);
    free(name);
    if (rc)
        return rc;
    if (rec->npoints == 0) {
        rc = hs_err_set(&cmd->err, HS_EDATA, "cut set '%s' is empty", rec->name);
    } else if (rec->kind == HS_CUTSET_GRID && !at) {
        targets_list(rec, list, sizeof list);
        rc = hs_err_set(&cmd->err, HS_EUSAGE,
                        "cut set '%s' is a grid of boxes: pick one as %s@TARGET (targets: %s)",
                        rec->name, rec->name, list);
    } else if (rec->kind != HS_CUTSET_GRID && at) {
        rc = hs_err_set(&cmd->err, HS_EUSAGE, "cut set '%s' is one set: name it without '@'",
                        rec->name);
    } else if (at) {
        double best = HUGE_VAL;
        for (size_t p = 0; p < rec->npoints; p++) {
            double d = fabs(rec->target[p] - want);
            if (d < best) {
                best = d;
                *point = p;
            }
        }
    }
    if (rc) {
        hs_cutset_rec_release(rec);
        memset(rec, 0, sizeof *rec);
    }
    return rc;
}

int
hs_select_check_cuts(struct hs_cmd *cmd, const struct hs_featureset *fs,
                     const struct hs_cutset *cs)
{
    for (size_t k = 0; k < cs->n; k++) {
        struct hs_expr *e = NULL;
        if (cs->cuts[k].kind != HS_CUT_EXPR)
            continue;
        if (hs_featureset_compile(fs, cs->cuts[k].expr, &e, &cmd->err)) {
            int rc = cmd->err.code;
            hs_err_prefix(&cmd->err, "cut %zu", k + 1);
            hs_select_caret(&cmd->err, cs->cuts[k].expr);
            return rc;
        }
        hs_expr_free(e);
    }
    return HS_OK;
}

/* ---- the selection ------------------------------------------------- */

void
hs_select_release(struct hs_select *sel)
{
    free(sel->mask);
    if (sel->has_cuts)
        hs_cutset_release(&sel->cuts);
    memset(sel, 0, sizeof *sel);
}

/* Load --cut into sel->cuts; sel->text says what was selected. */
static int
load_cuts(struct hs_cmd *cmd, struct hs_app *app, const char *arg, struct hs_select *sel)
{
    struct hs_cutset_rec rec;
    size_t point;
    int rc;

    if ((rc = hs_select_cutset_load(cmd, app, arg, &rec, &point))) {
        hs_err_prefix(&cmd->err, "--cut");
        return rc;
    }
    rc = hs_cutset_copy(&sel->cuts, &rec.points[point], &cmd->err);
    hs_cutset_rec_release(&rec);
    if (rc == HS_OK)
        sel->has_cuts = true;
    return rc;
}

/* The mask of sel over fs's table into mask (nrows bytes), with the
 * errors said the way a user reads them. */
static int
compute(struct hs_cmd *cmd, const struct hs_select *sel, struct hs_featureset *fs,
        unsigned char *mask, size_t *nsel)
{
    int rc;

    if (sel->where) {
        struct hs_expr *e = NULL;
        if ((rc = hs_featureset_compile(fs, sel->where, &e, &cmd->err))) {
            hs_err_prefix(&cmd->err, "--where");
            hs_select_caret(&cmd->err, sel->where);
            return rc;
        }
        hs_expr_free(e);
    }
    if (sel->has_cuts && (rc = hs_select_check_cuts(cmd, fs, &sel->cuts))) {
        hs_err_prefix(&cmd->err, "--cut '%s'", sel->cut);
        return rc;
    }
    rc = hs_rowsel_mask(fs, sel->where, sel->has_cuts ? &sel->cuts : NULL, mask, nsel,
                        &cmd->task, &cmd->err);
    if (rc && rc != HS_ECANCELLED && rc != HS_ENOMEM)
        hs_err_prefix(&cmd->err, "%s", sel->where ? "--where" : "--cut");
    return rc;
}

int
hs_select_init(struct hs_cmd *cmd, struct hs_app *app, struct hs_featureset *fs,
               struct hs_select *sel)
{
    return hs_select_init_text(cmd, app, fs, hs_cmd_opt(cmd, "where"), hs_cmd_opt(cmd, "cut"),
                               sel);
}

int
hs_select_init_text(struct hs_cmd *cmd, struct hs_app *app, struct hs_featureset *fs,
                    const char *where, const char *cut, struct hs_select *sel)
{
    size_t n = fs->t->nrows;
    int rc;

    memset(sel, 0, sizeof *sel);
    sel->where = where;
    sel->cut = cut;
    sel->nrows = sel->nsel = n;
    if (!sel->where && !cut)
        return HS_OK;
    sel->active = true;
    if (sel->where && cut)
        snprintf(sel->text, sizeof sel->text, "%s and cut set '%s'", sel->where, cut);
    else if (sel->where)
        snprintf(sel->text, sizeof sel->text, "%s", sel->where);
    else
        snprintf(sel->text, sizeof sel->text, "cut set '%s'", cut);
    if (cut && (rc = load_cuts(cmd, app, cut, sel)))
        return rc;
    if (!(sel->mask = malloc(n ? n : 1)))
        return hs_cmd_nomem(cmd);
    if ((rc = compute(cmd, sel, fs, sel->mask, &sel->nsel)))
        return rc;
    if (sel->nsel == 0)
        return hs_err_set(&cmd->err, HS_EDATA,
                          "the selection (%s) keeps none of the %zu events of '%s'", sel->text,
                          n, cmd->dataset);
    return HS_OK;
}

int
hs_select_other(struct hs_cmd *cmd, const struct hs_select *sel, struct hs_featureset *fs,
                const char *what, unsigned char **mask, size_t *nsel)
{
    size_t n = fs->t->nrows;
    int rc;

    *mask = NULL;
    *nsel = n;
    if (!sel->active)
        return HS_OK;
    if (!(*mask = malloc(n ? n : 1)))
        return hs_cmd_nomem(cmd);
    rc = compute(cmd, sel, fs, *mask, nsel);
    if (rc == HS_OK && *nsel == 0)
        rc = hs_err_set(&cmd->err, HS_EDATA, "the selection (%s) keeps none of the %zu events of %s",
                        sel->text, n, what);
    else if (rc)
        hs_err_prefix(&cmd->err, "%s", what);
    if (rc) {
        free(*mask);
        *mask = NULL;
    }
    return rc;
}

int
hs_select_loaded(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
                 struct hs_select *sel)
{
    int rc = hs_select_init(cmd, app, &ld->fs, sel);

    if (rc == HS_OK && sel->active)
        hs_rowsel_keep(ld->t, &ld->fs, sel->mask);
    return rc;
}

int
hs_select_and(struct hs_cmd *cmd, const struct hs_select *sel, unsigned char **mask,
              size_t *nrows, const char *part)
{
    if (!sel->active)
        return HS_OK;
    if (!*mask) {
        if (!(*mask = malloc(sel->nrows ? sel->nrows : 1)))
            return hs_cmd_nomem(cmd);
        memcpy(*mask, sel->mask, sel->nrows);
        *nrows = sel->nsel;
    } else {
        *nrows = hs_rowsel_and(*mask, sel->mask, sel->nrows);
    }
    if (*nrows == 0)
        return hs_err_set(&cmd->err, HS_EDATA, "the selection (%s) keeps no events of %s",
                          sel->text, part);
    return HS_OK;
}

void
hs_select_note(const struct hs_select *sel, char *buf, size_t size)
{
    if (!sel->active)
        snprintf(buf, size, "%s", "");
    else
        snprintf(buf, size, "selection: %s (%zu of %zu events)", sel->text, sel->nsel,
                 sel->nrows);
}

void
hs_select_say(struct hs_cmd *cmd, const struct hs_select *sel)
{
    char note[sizeof sel->text + 64];

    if (!sel->active)
        return;
    hs_select_note(sel, note, sizeof note);
    hs_cmd_output_begin(cmd);
    fprintf(cmd->out, "%s\n", note);
}

int
hs_select_figure(struct hs_cmd *cmd, const struct hs_select *sel, struct hs_figure *f,
                 bool in_title)
{
    char **field = in_title ? &f->title : &f->text;
    char note[sizeof sel->text + 64], *joined;
    char msg[HS_PLOT_MSG_MAX];
    int rc;

    if (!sel->active)
        return HS_OK;
    hs_select_note(sel, note, sizeof note);
    joined = malloc((*field ? strlen(*field) : 0) + strlen(note) + 3);
    if (!joined)
        return hs_cmd_nomem(cmd);
    sprintf(joined, "%s%s%s", *field ? *field : "", *field && **field ? "; " : "", note);
    rc = hs_figure_set_string(field, joined, msg);
    free(joined);
    return rc ? hs_err_set(&cmd->err, HS_ENOMEM, "%s", msg) : HS_OK;
}

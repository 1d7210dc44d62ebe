/* embed.c: the steps `project` and `cluster` share (embed.h). */
#include "config.h"

#include "ui/embed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mem.h"
#include "names.h"
#include "strbuf.h"
#include "subsample.h"

/* The methods that give `want`, as "a, b". */
static void
methods_giving(unsigned want, char *buf, size_t size)
{
    size_t len = 0, n = 0;

    buf[0] = '\0';
    for (const struct hs_method *const *m = hs_methods(); *m && len < size; m++)
        if (hs_method_primary(*m) == want)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", n++ ? ", " : "", (*m)->name);
}

int
hs_embed_opts(struct hs_cmd *cmd, const char *method, unsigned want, const char *own,
              struct hs_embed *e)
{
    const struct hs_method *m = hs_method_find(method);
    const char **vals;
    size_t n;
    char which[200];
    int rc;

    memset(e, 0, sizeof *e);
    e->name = cmd->argc > 1 ? cmd->argv[1] : NULL;
    if (!m || hs_method_primary(m) != want) {
        methods_giving(want, which, sizeof which);
        return hs_err_set(&cmd->err, HS_EUSAGE, "%s: no method '%s' here (methods: %s)",
                          cmd->entry->name, method, which[0] ? which : "none built in");
    }
    if (e->name && !hs_name_is_identifier(e->name))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "name '%s': letters, digits and '_', not starting with a digit", e->name);
    if ((rc = hs_train_opts_default(&e->o, &cmd->err)) ||
        (rc = hs_train_opts_set(&e->o, "method", method, &cmd->err)))
        return rc;
    n = hs_cmd_opt_list(cmd, "features", &vals);
    for (size_t k = 0; k < n && rc == HS_OK; k++)
        rc = hs_train_opts_set(&e->o, "features", vals[k], &cmd->err);
    if (rc == HS_OK && hs_cmd_opt(cmd, "where"))
        rc = hs_train_opts_set(&e->o, "where", hs_cmd_opt(cmd, "where"), &cmd->err);
    if (rc == HS_OK && hs_cmd_opt(cmd, "cut"))
        rc = hs_train_opts_set(&e->o, "cut", hs_cmd_opt(cmd, "cut"), &cmd->err);
    for (size_t i = 0; i < hs_cmd_nparams(cmd) && rc == HS_OK; i++) {
        const char *name, *value;
        hs_cmd_param(cmd, i, &name, &value);
        if (!own || strcmp(name, own) != 0)
            rc = hs_train_opts_set(&e->o, name, value, &cmd->err);
    }
    if (rc == HS_OK)
        rc = hs_train_opts_check(&e->o, &cmd->err);
    return rc;
}

void
hs_embed_param(const struct hs_embed *e, const char *name, char *buf, size_t size)
{
    long i = hs_params_find(e->o.params.spec, name);

    buf[0] = '\0';
    if (i >= 0)
        hs_params_format(&e->o.params, (size_t)i, buf, size);
}

/* The default inputs: every enabled numeric feature. */
static int
default_inputs(struct hs_cmd *cmd, struct hs_embed *e)
{
    const struct hs_featureset *fs = &e->ld.fs;

    e->names = calloc(fs->n + 1, sizeof *e->names);
    if (!e->names)
        return hs_cmd_nomem(cmd);
    for (size_t i = 0; i < fs->n; i++)
        if (fs->f[i].on && hs_train_feature_numeric(fs, &fs->f[i]) &&
            !(e->names[e->nin++] = strdup(fs->f[i].name)))
            return hs_cmd_nomem(cmd);
    if (e->nin == 0)
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "dataset '%s' has no enabled numeric feature: name the inputs with "
                          "--features",
                          cmd->dataset);
    return HS_OK;
}

/* Is name one of cols[0..n)? */
static bool
among(const char *name, char *const *cols, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cols[i], name) == 0)
            return true;
    return false;
}

/* The output's columns may replace a stored output's of the same name,
 * nothing else. */
static int
check_columns(struct hs_cmd *cmd, struct hs_app *app, struct hs_embed *e, char *const *cols,
              size_t ncols)
{
    struct hs_output_rec old = {0};
    const struct hs_featureset *fs = &e->ld.fs;
    int rc = hs_sess_output_load(app->sess, cmd->dataset, e->name, false, &old, &cmd->err);

    if (rc == HS_ENOTFOUND) {
        hs_err_clear(&cmd->err);
        rc = HS_OK;
    }
    for (size_t k = 0; k < ncols && rc == HS_OK; k++) {
        long f = hs_featureset_find(fs, cols[k]);
        if (hs_table_find(fs->t, cols[k]) >= 0 ||
            (f >= 0 && !among(cols[k], old.colnames, old.ncols)))
            rc = hs_err_set(&cmd->err, HS_EEXIST,
                            "'%s' would make column '%s', which dataset '%s' has already (a "
                            "%s): choose another name",
                            e->name, cols[k], cmd->dataset,
                            f >= 0 ? hs_feature_kind_name(fs->f[f].kind) : "column");
    }
    for (size_t i = 0; i < e->nin && rc == HS_OK; i++)
        if (among(e->names[i], cols, ncols) || among(e->names[i], old.colnames, old.ncols))
            rc = hs_err_set(&cmd->err, HS_EUSAGE,
                            "input '%s' is a column of '%s' itself: name the output otherwise",
                            e->names[i], e->name);
    hs_output_rec_release(&old);
    return rc;
}

/* Part 0 for the fitted rows: the selected events with every input,
 * subsampled to the method's n. */
static int
make_parts(struct hs_cmd *cmd, struct hs_embed *e)
{
    const struct hs_table *t = e->ld.t;
    const struct hs_column *g = hs_table_group(t);
    long in = hs_params_find(e->o.params.spec, "n"), is = hs_params_find(e->o.params.spec, "seed");
    size_t want = in >= 0 ? hs_params_int(&e->o.params, (size_t)in) : 0;
    uint64_t seed = is >= 0 ? hs_params_seed(&e->o.params, (size_t)is) : 0;
    unsigned char *cand = malloc(t->nrows ? t->nrows : 1), *chosen = NULL;
    int rc = HS_OK;

    e->part = malloc(t->nrows ? t->nrows : 1);
    chosen = malloc(t->nrows ? t->nrows : 1);
    if (!cand || !e->part || !chosen) {
        rc = hs_cmd_nomem(cmd);
        goto done;
    }
    e->nsel = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        bool ok = !e->sel.active || e->sel.mask[i];
        for (size_t j = 0; ok && j < e->nin; j++)
            ok = isfinite(e->in.cols[j][i]);
        cand[i] = ok;
        e->nsel += ok;
    }
    if (e->nsel == 0) {
        rc = hs_err_set(&cmd->err, HS_EDATA,
                        "no event of '%s'%s has all %zu inputs (%s%s): nothing to fit",
                        cmd->dataset, e->sel.active ? " in the selection" : "", e->nin,
                        e->names[0], e->nin > 1 ? ", ..." : "");
        goto done;
    }
    rc = hs_subsample(t->nrows, cand, hs_table_label(t), g ? g->v : NULL,
                      want ? want : e->nsel, seed, chosen, &e->nfit, &cmd->err);
    for (size_t i = 0; rc == HS_OK && i < t->nrows; i++)
        e->part[i] = chosen[i] ? 0 : 2;
done:
    free(cand);
    free(chosen);
    return rc;
}

int
hs_embed_prepare(struct hs_cmd *cmd, struct hs_app *app, struct hs_embed *e, char *const *cols,
                 size_t ncols)
{
    char owner[160];
    int rc;

    if ((rc = hs_loaded_open(cmd, app, &e->ld)))
        return rc;
    e->loaded = true;
    if (e->o.nfeatures) {
        if (!(e->names = calloc(e->o.nfeatures, sizeof *e->names)))
            return hs_cmd_nomem(cmd);
        for (size_t i = 0; i < e->o.nfeatures; i++)
            if (!(e->names[e->nin++] = strdup(e->o.features[i])))
                return hs_cmd_nomem(cmd);
    } else if ((rc = default_inputs(cmd, e))) {
        return rc;
    }
    if ((rc = check_columns(cmd, app, e, cols, ncols)))
        return rc;
    snprintf(owner, sizeof owner, "%s '%s'", cmd->entry->name, e->name);
    if ((rc = hs_featureset_inputs(&e->ld.fs, owner, e->nin, (const char *const *)e->names, NULL,
                                   &e->in, &cmd->task, &cmd->err)))
        return rc;
    if ((rc = hs_select_make(cmd, app, &e->ld.fs, e->o.where, e->o.cut, NULL, &e->sel)))
        return rc;
    return make_parts(cmd, e);
}

void
hs_embed_data(const struct hs_embed *e, int threads, struct hs_method_data *d)
{
    memset(d, 0, sizeof *d);
    d->n = e->ld.t->nrows;
    d->nin = e->nin;
    d->x = e->in.cols;
    d->names = (const char *const *)e->names;
    d->part = e->part;
    d->threads = threads;
}

char *
hs_embed_key(const struct hs_cmd *cmd, const struct hs_embed *e)
{
    struct hs_strbuf k = {0};
    char *params = hs_params_line(&e->o.params);

    hs_strbuf_printf(&k, "%s\n%s\n%s\n%s\n%zu", cmd->dataset ? cmd->dataset : "",
                     e->o.method->name, params ? params : "", e->sel.active ? e->sel.text : "",
                     e->nfit);
    for (size_t i = 0; i < e->nin; i++)
        hs_strbuf_printf(&k, "\n%s", e->names[i]);
    hs_free(params);
    if (!params) {
        hs_strbuf_release(&k);
        return NULL;
    }
    return hs_strbuf_detach(&k);
}

void
hs_embed_fitted_free(void *fitted)
{
    struct hs_embed_fitted *f = fitted;

    if (f && f->state)
        f->method->free(f->state);
    free(f);
}

int
hs_embed_fit(struct hs_cmd *cmd, struct hs_app *app, struct hs_embed *e, void **state)
{
    struct hs_embed_fitted *done = NULL;
    struct hs_method_data d;
    struct timespec t0, t1;
    bool cancelled = false;
    char *key = hs_embed_key(cmd, e);
    int rc;

    /* Fitted already by the TUI's worker, on these very rows. */
    if (key)
        done = hs_app_pending_take(app, cmd->entry->name, key);
    hs_free(key);
    if (done && done->method == e->o.method) {
        *state = done->state;
        e->seconds = done->seconds;
        free(done);
        return HS_OK;
    }
    hs_embed_fitted_free(done);
    hs_embed_data(e, app->threads, &d);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = hs_method_fit(e->o.method, &e->o.params, &d, NULL, NULL, state, &cancelled, &cmd->task,
                       &cmd->err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    e->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (rc == HS_OK && cancelled) {
        /* A half-made map is no map: nothing is stored. */
        e->o.method->free(*state);
        *state = NULL;
        rc = hs_err_set(&cmd->err, HS_ECANCELLED, "cancelled: nothing stored");
    }
    if (rc && rc != HS_ECANCELLED)
        hs_err_prefix(&cmd->err, "%s '%s'", e->o.method->name, e->name);
    return rc;
}

int
hs_embed_store(struct hs_cmd *cmd, struct hs_app *app, struct hs_embed *e,
               struct hs_output_rec *rec)
{
    struct hs_strbuf feats = {0};
    int rc;

    for (size_t i = 0; i < e->nin; i++)
        hs_strbuf_printf(&feats, "%s%s", i ? "," : "", e->names[i]);
    rec->method = (char *)e->o.method->name;
    rec->options = hs_params_line(&e->o.params);
    rec->features = feats.failed ? NULL : feats.s;
    rec->selection = e->sel.active ? e->sel.text : NULL;
    rec->nevents = e->ld.t->nrows;
    rec->nfitted = e->nfit;
    if (!rec->options || !rec->features)
        rc = hs_cmd_nomem(cmd);
    else if ((rc = hs_cmd_begin(cmd, app)) == HS_OK)
        rc = hs_sess_output_save(app->sess, cmd->dataset, rec, &cmd->err);
    hs_free(rec->options);
    hs_strbuf_release(&feats);
    rec->method = rec->options = rec->features = rec->selection = NULL;
    return rc;
}

void
hs_embed_release(struct hs_embed *e)
{
    hs_select_release(&e->sel);
    hs_inputs_release(&e->in);
    for (size_t i = 0; e->names && i < e->nin; i++)
        free(e->names[i]);
    free(e->names);
    free(e->part);
    if (e->loaded)
        hs_loaded_close(&e->ld);
    hs_train_opts_release(&e->o);
    memset(e, 0, sizeof *e);
}

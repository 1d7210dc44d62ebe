/* train.c: the training layer shared by the CLI and the TUI (train.h):
 * options, the job (inputs gathered from a dataset), its evaluation
 * (TMVA's numbers and the KS test) and k folds; signal groups and the
 * figures are in train-fig.c. */
#include "config.h"

#include "ui/train.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "names.h"
#include "numparse.h"
#include "sessions/results.h"
#include "strbuf.h"
#include "ui/analysis.h"
#include "ui/grid.h"
#include "ui/select.h"

/* ---- options -------------------------------------------------------- */

/* What `train` takes besides the methods' parameters. */
const struct hs_opt_spec hs_train_opt_specs[] = {
    {"method", 0, HS_OPT_VALUE, "M", "the method: see 'hepscope methods' (default mlp)"},
    {"features", 0, HS_OPT_LIST, "F,G,...",
     "the inputs (default: every enabled numeric feature)"},
    {"one-hot", 0, HS_OPT_FLAG, NULL,
     "text features become one 0/1 input per category (else they are left out)"},
    {"train-group", 0, HS_OPT_VALUE, "M", "train on the signal of group M only"},
    {"folds", 0, HS_OPT_VALUE, "K", "also K trainings on folds: the spread of the figures"},
    {"replace", 0, HS_OPT_FLAG, NULL, "replace a model of the same name"},
    HS_SELECT_OPTS,
    {0},
};

static int
set_method(struct hs_train_opts *o, const struct hs_method *m, struct hs_err *err)
{
    struct hs_params p;
    int rc = hs_method_params(m, &p, err);

    if (rc)
        return rc;
    hs_params_release(&o->params);
    o->params = p;
    o->method = m;
    return HS_OK;
}

static void
free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int
hs_train_opts_default(struct hs_train_opts *o, struct hs_err *err)
{
    memset(o, 0, sizeof *o);
    o->folds = 1;
    return set_method(o, hs_methods()[0], err);
}

void
hs_train_opts_release(struct hs_train_opts *o)
{
    if (!o)
        return;
    free_names(o->features, o->nfeatures);
    free(o->train_group);
    free(o->where);
    free(o->cut);
    hs_params_release(&o->params);
    o->features = NULL;
    o->nfeatures = 0;
    o->train_group = NULL;
    o->where = o->cut = NULL;
}

static int
opt_count(const char *name, const char *v, size_t lo, size_t hi, size_t *out,
          struct hs_err *err)
{
    unsigned long long n = 0;
    const char *p = v;

    if (!v || !*v)
        goto bad;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || n > (unsigned long long)SIZE_MAX / 10)
            goto bad;
        n = n * 10 + (unsigned long long)(*p - '0');
    }
    if (n < lo || n > hi)
        goto bad;
    *out = (size_t)n;
    return HS_OK;
bad:
    return hs_err_set(err, HS_EUSAGE, "--%s wants a whole number from %zu to %zu, not '%s'",
                      name, lo, hi, v ? v : "");
}

/* Append the names of a comma list to o->features. */
static int
add_features(struct hs_train_opts *o, const char *v, struct hs_err *err)
{
    const char *p = v;

    while (1) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char **nf;
        if (len == 0)
            return hs_err_set(err, HS_EUSAGE, "--features: an empty name in '%s'", v);
        nf = realloc(o->features, (o->nfeatures + 1) * sizeof *nf);
        if (!nf)
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        o->features = nf;
        if (!(nf[o->nfeatures] = hs_strndup(p, len)))
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        o->nfeatures++;
        if (!e)
            break;
        p = e + 1;
    }
    return HS_OK;
}

int
hs_train_opts_set_features(struct hs_train_opts *o, const char *const *names, size_t n,
                           struct hs_err *err)
{
    char **list = n ? calloc(n, sizeof *list) : NULL;

    if (n && !list)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (!(list[i] = hs_strdup(names[i]))) {
            free_names(list, n);
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        }
    free_names(o->features, o->nfeatures);
    o->features = list;
    o->nfeatures = n;
    return HS_OK;
}

int
hs_train_opts_set_features_text(struct hs_train_opts *o, const char *text, struct hs_err *err)
{
    struct hs_train_opts tmp = {0};
    int rc;

    /* The CLI's own reader of --features, into a scratch list, so that a
     * bad list leaves o as it was. */
    if (text[0] && (rc = add_features(&tmp, text, err))) {
        free_names(tmp.features, tmp.nfeatures);
        return rc;
    }
    free_names(o->features, o->nfeatures);
    o->features = tmp.features;
    o->nfeatures = tmp.nfeatures;
    return HS_OK;
}

/* The methods that have parameter `name`, as "M" or "M, N". */
static bool
methods_with(const char *name, char *buf, size_t size)
{
    const struct hs_method *const *m = hs_methods();
    size_t len = 0, n = 0;

    buf[0] = '\0';
    for (; *m && len < size; m++)
        if (hs_params_find((*m)->params, name) >= 0)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", n++ ? ", " : "", (*m)->name);
    return n > 0;
}

int
hs_train_opts_set(struct hs_train_opts *o, const char *name, const char *v, struct hs_err *err)
{
    char who[128];

    if (strcmp(name, "replace") == 0 || strcmp(name, "one-hot") == 0) {
        bool on = !v || strcmp(v, "0") != 0;
        if (name[0] == 'r')
            o->replace = on;
        else
            o->one_hot = on;
        return HS_OK;
    }
    if (hs_params_find(o->params.spec, name) >= 0)
        return hs_params_set(&o->params, name, v, err);
    if (!v)
        return hs_err_set(err, HS_EUSAGE, "--%s wants a value", name);
    if (strcmp(name, "method") == 0) {
        const struct hs_method *m;
        int rc = hs_method_lookup(v, &m, err);
        return rc ? rc : m == o->method ? HS_OK : set_method(o, m, err);
    }
    if (strcmp(name, "folds") == 0) {
        /* o->folds stays 1 (no folds) unless set: one fold is no fold, and
         * --folds 1 used to say nothing and run none */
        int rc = opt_count(name, v, 2, 100, &o->folds, err);
        if (rc)
            hs_err_set(err, rc, "--folds wants a whole number from 2 to 100, not '%s' (without "
                                "--folds, no folds are run)",
                       v);
        return rc;
    }
    if (strcmp(name, "features") == 0)
        return add_features(o, v, err);
    if (strcmp(name, "train-group") == 0 || strcmp(name, "where") == 0 ||
        strcmp(name, "cut") == 0) {
        char **dst = name[0] == 't' ? &o->train_group : name[0] == 'w' ? &o->where : &o->cut;
        char *g = hs_strdup(v);
        if (!g)
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        free(*dst);
        *dst = g;
        return HS_OK;
    }
    if (methods_with(name, who, sizeof who))
        return hs_err_set(err, HS_EUSAGE, "--%s is an option of %s, not of %s", name, who,
                          o->method->name);
    return hs_err_set(err, HS_EUSAGE, "'--%s' is not a training option", name);
}

int
hs_train_opts_check(struct hs_train_opts *o, struct hs_err *err)
{
    return o->method->check ? o->method->check(&o->params, err) : HS_OK;
}

int
hs_train_opts_from_cmd(struct hs_cmd *cmd, struct hs_train_opts *o)
{
    const char *method = hs_cmd_opt(cmd, "method");
    const char **vals;
    size_t n;
    int rc;

    if ((rc = hs_train_opts_default(o, &cmd->err)))
        return rc;
    if (method && (rc = hs_train_opts_set(o, "method", method, &cmd->err)))
        goto fail;
    for (size_t i = 0; hs_train_opt_specs[i].name && rc == HS_OK; i++) {
        const struct hs_opt_spec *s = &hs_train_opt_specs[i];
        if (strcmp(s->name, "method") == 0)
            continue;
        if (s->type == HS_OPT_FLAG) {
            if (hs_cmd_flag(cmd, s->name))
                rc = hs_train_opts_set(o, s->name, NULL, &cmd->err);
            continue;
        }
        n = hs_cmd_opt_list(cmd, s->name, &vals);
        for (size_t k = 0; k < n && rc == HS_OK; k++)
            rc = hs_train_opts_set(o, s->name, vals[k], &cmd->err);
    }
    /* Every method's parameters the command was given: each must be one
     * of the chosen method's. */
    for (size_t i = 0; i < hs_cmd_nparams(cmd) && rc == HS_OK; i++) {
        const char *name, *value;
        hs_cmd_param(cmd, i, &name, &value);
        rc = hs_train_opts_set(o, name, value, &cmd->err);
    }
    if (rc == HS_OK)
        rc = hs_train_opts_check(o, &cmd->err);
fail:
    if (rc)
        hs_train_opts_release(o);
    return rc;
}

char *
hs_train_opts_line(const struct hs_train_opts *o)
{
    struct hs_strbuf b = {0};
    char *params = hs_params_line(&o->params);

    if (!params)
        return NULL;
    if (o->method != hs_methods()[0])
        hs_strbuf_printf(&b, "--method %s%s", o->method->name, *params ? " " : "");
    hs_strbuf_printf(&b, "%s", params);
    hs_free(params);
    if (o->one_hot)
        hs_strbuf_printf(&b, "%s--one-hot", b.len ? " " : "");
    if (o->nfeatures) {
        hs_strbuf_printf(&b, "%s--features ", b.len ? " " : "");
        for (size_t i = 0; i < o->nfeatures; i++)
            hs_strbuf_printf(&b, "%s%s", i ? "," : "", o->features[i]);
    }
    {
        /* Texts a user typed: quoted so that the line splits back. */
        static const char *const names[] = {"train-group", "where", "cut"};
        char *const vals[] = {o->train_group, o->where, o->cut};
        for (size_t i = 0; i < 3; i++) {
            char *q;
            if (!vals[i])
                continue;
            if (!(q = hs_cmd_join(1, &vals[i]))) {
                hs_strbuf_release(&b);
                return NULL;
            }
            hs_strbuf_printf(&b, "%s--%s %s", b.len ? " " : "", names[i], q);
            free(q);
        }
    }
    return hs_strbuf_detach(&b);
}

char *
hs_train_pending_key(const char *name, const char *dataset, const struct hs_train_opts *o)
{
    char *opts = hs_train_opts_line(o), *key;
    size_t len;

    if (!opts)
        return NULL;
    len = strlen(name) + strlen(dataset ? dataset : "") + strlen(opts) + 3;
    if ((key = malloc(len)))
        snprintf(key, len, "%s\n%s\n%s", name, dataset ? dataset : "", opts);
    free(opts);
    return key;
}

int
hs_train_opts_parse_line(const char *line, const char *kind, struct hs_train_opts *o,
                         struct hs_err *err)
{
    char **argv = NULL;
    int argc = 0, rc;

    if ((rc = hs_train_opts_default(o, err)))
        return rc;
    if ((rc = hs_cmd_split(line ? line : "", &argc, &argv, err)))
        goto out;
    /* The method first: it decides which words are parameters. */
    for (int i = 0; i + 1 < argc; i++)
        if (strcmp(argv[i], "--method") == 0)
            kind = argv[i + 1];
    if (kind && (rc = hs_train_opts_set(o, "method", kind, err)))
        goto out;
    for (int i = 0; i < argc && rc == HS_OK; i++) {
        const char *w = argv[i];
        long pi = strncmp(w, "--", 2) == 0 ? hs_params_find(o->params.spec, w + 2) : -1;
        bool flag = pi >= 0 ? o->params.spec[pi].type == HS_PARAM_FLAG
                            : strcmp(w, "--one-hot") == 0 || strcmp(w, "--replace") == 0;
        if (strncmp(w, "--", 2) != 0) {
            rc = hs_err_set(err, HS_EUSAGE, "'%s' is not a training option", w);
        } else if (flag) {
            rc = hs_train_opts_set(o, w + 2, NULL, err);
        } else if (i + 1 >= argc) {
            rc = hs_err_set(err, HS_EUSAGE, "%s wants a value", w);
        } else {
            rc = hs_train_opts_set(o, w + 2, argv[i + 1], err);
            i++;
        }
    }
    if (rc == HS_OK)
        rc = hs_train_opts_check(o, err);
out:
    hs_cmd_words_free(argc, argv);
    if (rc)
        hs_train_opts_release(o);
    return rc;
}

void
hs_train_describe(const struct hs_train_job *job, char *buf, size_t size)
{
    buf[0] = '\0';
    if (job->method->describe)
        job->method->describe(&job->params, buf, size);
    else
        snprintf(buf, size, "%s", job->method->name);
}

/* ---- the job -------------------------------------------------------- */

void
hs_train_job_release(struct hs_train_job *job)
{
    if (!job)
        return;
    for (size_t i = 0; i < job->nin; i++) {
        if (job->names)
            free(job->names[i]);
        if (job->exprs)
            free(job->exprs[i]);
        if (job->xown)
            free(job->xown[i]);
    }
    free(job->xown);
    free(job->names);
    free(job->exprs);
    free(job->x);
    free(job->options);
    free(job->train_group);
    free(job->split_part);
    free(job->part);
    free(job->score);
    hs_model_free(job->res.model);
    hs_free(job->res.curve);
    hs_params_release(&job->params);
    memset(job, 0, sizeof *job);
}

void
hs_train_job_free(void *job)
{
    hs_train_job_release(job);
    free(job);
}

void
hs_train_job_set_group(struct hs_train_job *job, double code)
{
    for (size_t i = 0; i < job->n; i++) {
        unsigned char p = job->split_part[i];
        if (p < 2 && !isnan(code) && job->label[i] == 1 &&
            !(job->group && job->group[i] == code))
            p = HS_TRAIN_PART_OUT;
        job->part[i] = p;
    }
    job->group_code = code;
}

bool
hs_train_feature_numeric(const struct hs_featureset *fs, const struct hs_feature *f)
{
    return f->col < 0 || fs->t->cols[f->col].kind == HS_COL_NUMBER;
}

static int
add_input(struct hs_featureset *fs, struct hs_train_job *job, size_t idx,
          const struct hs_task *task, struct hs_err *err)
{
    const struct hs_feature *f = &fs->f[idx];
    size_t k = job->nin;
    int rc;

    for (size_t i = 0; i < k; i++)
        if (strcmp(job->names[i], f->name) == 0)
            return hs_err_set(err, HS_EUSAGE, "--features names '%s' twice", f->name);
    job->names[k] = hs_strdup(f->name);
    job->exprs[k] = f->expr ? hs_strdup(f->expr) : NULL;
    job->nin++;
    if (!job->names[k] || (f->expr && !job->exprs[k]))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if ((rc = hs_featureset_values(fs, idx, &job->x[k], task, err)))
        hs_err_prefix(err, "feature '%s'", f->name);
    return rc;
}

/* Most categories a text feature may have to become one-hot inputs. */
#define HS_TRAIN_MAX_CATEGORIES 64

/* A text feature as one 0/1 input per category: "COL=CAT", computed by
 * the expression `COL` == "CAT", which is also what the model keeps, so
 * any dataset scores it the same way (a missing value is 0 in every
 * input, as the comparison gives). */
static int
add_one_hot(struct hs_featureset *fs, struct hs_train_job *job, size_t ci,
            const struct hs_task *task, struct hs_err *err)
{
    const struct hs_column *col = &fs->t->cols[ci];
    int rc = HS_OK;

    if (col->ncats > HS_TRAIN_MAX_CATEGORIES)
        return hs_err_set(err, HS_EUSAGE,
                          "text column '%s' has %zu categories: one-hot takes at most %d",
                          col->name, col->ncats, HS_TRAIN_MAX_CATEGORIES);
    for (size_t c = 0; c < col->ncats && rc == HS_OK; c++) {
        size_t k = job->nin, ln = strlen(col->name), lc = strlen(col->cats[c]);
        char *expr = malloc(2 * (ln + lc) + 16), *q;
        struct hs_expr *prog = NULL;
        double *v = malloc((job->n ? job->n : 1) * sizeof *v);

        if (!expr || !v) {
            free(expr);
            free(v);
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        }
        /* `name` (a doubled backquote for one) == "category" (\" and \\) */
        q = expr;
        *q++ = '`';
        for (const char *p = col->name; *p; p++) {
            if (*p == '`')
                *q++ = '`';
            *q++ = *p;
        }
        q += sprintf(q, "` == \"");
        for (const char *p = col->cats[c]; *p; p++) {
            if (*p == '"' || *p == '\\')
                *q++ = '\\';
            *q++ = *p;
        }
        *q++ = '"';
        *q = '\0';
        job->exprs[k] = expr;
        job->xown[k] = v;
        job->names[k] = malloc(ln + lc + 2);
        job->nin++;
        if (!job->names[k])
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        sprintf(job->names[k], "%s=%s", col->name, col->cats[c]);
        rc = hs_featureset_compile(fs, expr, &prog, err);
        if (rc == HS_OK)
            rc = hs_featureset_eval(fs, prog, v, NULL, task, err);
        hs_expr_free(prog);
        job->x[k] = v;
    }
    if (rc)
        hs_err_prefix(err, "one-hot '%s'", col->name);
    return rc;
}

/* Is column j of t a text column a user may train on (the feature set
 * holds only numeric ones)? */
static bool
text_input(const struct hs_table *t, size_t j)
{
    return t->cols[j].kind == HS_COL_TEXT && t->cols[j].role == HS_ROLE_FEATURE &&
           !t->cols[j].synthetic;
}

int
hs_train_prepare_fs(struct hs_featureset *fs, const struct hs_split *sp,
                    const struct hs_train_opts *o, struct hs_train_job *job,
                    const struct hs_task *task, struct hs_err *err)
{
    const struct hs_table *t = fs->t;
    size_t cap = (o->nfeatures ? o->nfeatures : fs->n) + 1;
    int rc = HS_OK;

    /* Room for every category of every text column, when they expand. */
    for (size_t j = 0; o->one_hot && j < t->ncols; j++)
        if (text_input(t, j))
            cap += t->cols[j].ncats;

    memset(job, 0, sizeof *job);
    job->group_code = NAN;
    job->method = o->method;
    if ((rc = hs_params_copy(&job->params, &o->params, err)))
        return rc;
    job->n = t->nrows;
    if (!(job->label = hs_table_label(t))) {
        rc = hs_err_set(err, HS_EUSAGE,
                        "the dataset has no label: training needs signal and background");
        goto fail;
    }
    if (sp->n != t->nrows) {
        rc = hs_err_set(err, HS_EDATA, "the split has %zu events, the dataset %zu", sp->n,
                        t->nrows);
        goto fail;
    }
    job->weight = hs_table_weight(t);
    job->names = calloc(cap, sizeof *job->names);
    job->exprs = calloc(cap, sizeof *job->exprs);
    job->x = calloc(cap, sizeof *job->x);
    job->xown = calloc(cap, sizeof *job->xown);
    job->split_part = malloc(job->n + 1);
    job->part = malloc(job->n + 1);
    job->options = hs_train_opts_line(o);
    if (o->train_group)
        job->train_group = hs_strdup(o->train_group);
    if (!job->names || !job->exprs || !job->x || !job->xown || !job->split_part || !job->part ||
        !job->options || (o->train_group && !job->train_group)) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto fail;
    }
    memcpy(job->split_part, sp->part, job->n);
    memcpy(job->split_frac, sp->frac, sizeof job->split_frac);
    job->split_seed = sp->seed;
    if (o->nfeatures) {
        for (size_t i = 0; i < o->nfeatures && rc == HS_OK; i++) {
            long idx = hs_featureset_find(fs, o->features[i]);
            long ci = hs_table_find(t, o->features[i]);
            if (idx < 0 && ci >= 0 && text_input(t, (size_t)ci) && o->one_hot) {
                rc = add_one_hot(fs, job, (size_t)ci, task, err);
            } else if (idx < 0 && ci >= 0 && text_input(t, (size_t)ci)) {
                rc = hs_err_set(err, HS_EUSAGE,
                                "'%s' is a text column: give --one-hot to make it one input per "
                                "category",
                                o->features[i]);
            } else if (idx < 0) {
                const char **cands = calloc(fs->n + 1, sizeof *cands);
                const char *best;
                if (!cands) {
                    rc = hs_err_set(err, HS_ENOMEM, "out of memory");
                    break;
                }
                for (size_t j = 0; j < fs->n; j++)
                    cands[j] = fs->f[j].name;
                best = hs_closest_name(o->features[i], cands, fs->n);
                rc = hs_err_set(err, HS_ENOTFOUND, "no feature '%s'%s%s%s", o->features[i],
                                best ? "; did you mean '" : "", best ? best : "", best ? "'?" : "");
                free(cands);
            } else if (!hs_train_feature_numeric(fs, &fs->f[idx])) {
                rc = hs_err_set(err, HS_EUSAGE,
                                "feature '%s' is text: training takes numeric inputs only",
                                o->features[i]);
            } else {
                rc = add_input(fs, job, (size_t)idx, task, err);
            }
        }
    } else {
        for (size_t i = 0; i < fs->n && rc == HS_OK; i++)
            if (fs->f[i].on && hs_train_feature_numeric(fs, &fs->f[i]))
                rc = add_input(fs, job, i, task, err);
        for (size_t j = 0; o->one_hot && j < t->ncols && rc == HS_OK; j++)
            if (text_input(t, j))
                rc = add_one_hot(fs, job, j, task, err);
        if (rc == HS_OK && job->nin == 0)
            rc = hs_err_set(err, HS_EUSAGE, "no enabled numeric feature to train on");
    }
    if (rc)
        goto fail;
    if (o->train_group) {
        const struct hs_column *g = hs_table_group(t);
        double code;
        if (!g) {
            rc = hs_err_set(err, HS_EUSAGE,
                            "--train-group: the dataset has no group column (import with "
                            "--group COLUMN)");
            goto fail;
        }
        if ((rc = hs_group_find(t, o->train_group, &code, err)))
            goto fail;
        job->group = g->v;
        hs_train_job_set_group(job, code);
    } else {
        const struct hs_column *g = hs_table_group(t);
        job->group = g ? g->v : NULL;
        hs_train_job_set_group(job, NAN);
    }
    return HS_OK;
fail:
    hs_train_job_release(job);
    return rc;
}

int
hs_train_prepare(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld,
                 const struct hs_train_opts *o, struct hs_train_job *job)
{
    struct hs_split sp = {0};
    int rc;

    memset(job, 0, sizeof *job);
    if (!hs_table_label(ld->t))
        return hs_err_set(&cmd->err, HS_EUSAGE,
                          "dataset '%s' has no label: training needs signal and background",
                          cmd->dataset);
    if ((rc = hs_analysis_split_say(cmd, app, ld->t, &sp, NULL)))
        return rc;
    rc = hs_train_prepare_fs(&ld->fs, &sp, o, job, &cmd->task, &cmd->err);
    hs_split_release(&sp);
    if (rc == HS_OK)
        rc = hs_train_job_select(cmd, app, &ld->fs, o, job);
    return rc;
}

int
hs_train_job_select(struct hs_cmd *cmd, struct hs_app *app, struct hs_featureset *fs,
                    const struct hs_train_opts *o, struct hs_train_job *job)
{
    struct hs_select sel;
    int rc;

    if (!o->where && !o->cut)
        return HS_OK;
    if ((rc = hs_select_make(cmd, app, fs, o->where, o->cut, NULL, &sel)) == HS_OK) {
        for (size_t i = 0; i < job->n; i++)
            if (!sel.mask[i])
                job->split_part[i] = HS_TRAIN_PART_OUT;
        hs_train_job_set_group(job, job->group_code);
    }
    hs_select_release(&sel);
    return rc;
}

size_t
hs_train_job_epochs(const struct hs_train_job *job)
{
    long i = hs_params_find(job->params.spec, "epochs");

    return i >= 0 && job->params.spec[i].type == HS_PARAM_INT ? hs_params_int(&job->params, (size_t)i)
                                                               : 0;
}

static void
job_step(void *user, const struct hs_method_status *st)
{
    const struct hs_train_job *job = user;

    if (st->has_epoch && job->on_epoch)
        job->on_epoch(job->on_epoch_user, &st->epoch);
}

/* The method's data: the job's inputs and its parts. */
static void
job_data(const struct hs_train_job *job, const unsigned char *part, struct hs_method_data *d)
{
    memset(d, 0, sizeof *d);
    d->n = job->n;
    d->nin = job->nin;
    d->x = job->x;
    d->names = (const char *const *)job->names;
    d->label = job->label;
    d->weight = job->weight;
    d->part = part;
    d->threads = job->threads;
}

int
hs_train_run(struct hs_train_job *job, const struct hs_task *task, struct hs_err *err)
{
    struct hs_train_result *r = &job->res;
    struct hs_method_report rep;
    struct hs_method_data d;
    void *state = NULL;
    bool cancelled = false;
    int rc;

    hs_model_free(r->model);
    hs_free(r->curve);
    memset(r, 0, sizeof *r);
    job_data(job, job->part, &d);
    if ((rc = hs_method_fit(job->method, &job->params, &d, job_step, job, &state, &cancelled, task,
                            err)))
        return rc;
    job->method->report(state, &rep);
    if ((rc = job->method->model(state, &r->model, err)))
        goto out;
    if (rep.nepochs && !(r->curve = hs_malloc(rep.nepochs * sizeof *r->curve))) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto out;
    }
    if (rep.nepochs)
        memcpy(r->curve, rep.curve, rep.nepochs * sizeof *r->curve);
    r->nepochs = rep.nepochs;
    r->best_epoch = rep.best_epoch;
    r->early_stopped = rep.early_stopped;
    r->cancelled = cancelled;
    r->nimputed = rep.nimputed;
    r->ntrain = rep.ntrain;
    r->nval = rep.nval;
    r->nnegative = rep.nnegative;
out:
    job->method->free(state);
    if (rc) {
        hs_model_free(r->model);
        memset(r, 0, sizeof *r);
    }
    return rc;
}

/* ---- the summary --------------------------------------------------- */

/* "a, b, c" of the job's inputs, shortened to fit. */
static void
inputs_list(const struct hs_train_job *job, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < job->nin; i++) {
        int w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", job->names[i]);
        if (w < 0 || (size_t)w >= size - len) {
            if (size > 5)
                strcpy(buf + size - 5, "...");
            return;
        }
        len += (size_t)w;
    }
}

int
hs_train_summary(FILE *out, const char *name, const struct hs_train_job *job)
{
    const struct hs_train_result *r = &job->res;
    const struct hs_eval *ev = &job->ev;
    long negw = hs_params_find(job->params.spec, "negative-weights");
    char desc[512], list[400], *details = NULL;
    struct hs_err err;
    int rc = HS_OK;

    hs_train_describe(job, desc, sizeof desc);
    inputs_list(job, list, sizeof list);
    fprintf(out, "model '%s': %s\n", name, desc);
    fprintf(out, "  inputs: %zu (%s)\n", job->nin, list);
    if (negw >= 0) {
        char v[64];
        hs_params_format(&job->params, (size_t)negw, v, sizeof v);
        fprintf(out, "  negative weights: %s (%zu training events have one)\n", v, r->nnegative);
    } else if (r->nnegative) {
        fprintf(out, "  negative weights: used as given (%zu training events have one)\n",
                r->nnegative);
    }
    fprintf(out, "  imputed inputs: %zu\n", r->nimputed);
    if (job->train_group)
        fprintf(out, "  signal trained on: group %s only\n", job->train_group);
    fprintf(out, "  events: %zu train, %zu val\n", r->ntrain, r->nval);
    if (r->nepochs)
        fprintf(out, "  best epoch %zu of %zu, %s%s\n", r->best_epoch, r->nepochs,
                r->early_stopped ? "early stopped" : "not early stopped",
                r->cancelled ? ", cancelled (the best model so far is kept)" : "");
    if (r->model && hs_model_details(r->model, (const char *const *)job->names, &details, &err))
        return HS_ENOMEM;
    if (details)
        fputs(details, out);
    hs_free(details);
    fprintf(out, "test AUC %.10g (train %.10g)\n", ev->test_auc, ev->train_auc);
    fprintf(out, "test background efficiency at 95%% signal efficiency %.6g (train %.6g)\n",
            ev->test_bkg95, ev->train_bkg95);
    fprintf(out, "signal efficiency at background efficiency, test (train):\n");
    {
        struct hs_grid g;
        static const char *const head[] = {"model", "@B=0.01", "@B=0.10", "@B=0.30"};
        static const bool isnum[] = {false, true, true, true};
        char b[3][64];
        const char *cells[4] = {name, b[0], b[1], b[2]};
        for (int i = 0; i < 3; i++)
            snprintf(b[i], sizeof b[i], "%.4f (%.4f)", ev->test_sig_at[i], ev->train_sig_at[i]);
        hs_grid_init(&g, 4);
        rc = hs_grid_add(&g, head, NULL);
        if (rc == HS_OK)
            rc = hs_grid_add(&g, cells, isnum);
        if (rc == HS_OK)
            hs_grid_print(&g, out);
        hs_grid_release(&g);
    }
    fprintf(out, "KS test train vs test: signal p = %.4g, background p = %.4g\n", ev->ks_p[0],
            ev->ks_p[1]);
    return rc;
}

/* ---- evaluation ----------------------------------------------------- */

int
hs_train_evaluate(struct hs_train_job *job, const struct hs_task *task, struct hs_err *err)
{
    unsigned char *trm = NULL, *tem = NULL;
    int rc;

    if (!job->res.model)
        return hs_err_set(err, HS_EUSAGE, "no trained model to evaluate");
    if (!job->score && !(job->score = malloc((job->n + 1) * sizeof *job->score)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if ((rc = hs_model_score(job->res.model, job->x, job->n, job->score, task, err)))
        return rc;
    trm = malloc(job->n + 1);
    tem = malloc(job->n + 1);
    if (!trm || !tem) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < job->n; i++) {
        trm[i] = job->part[i] == HS_PART_TRAIN;
        tem[i] = job->split_part[i] == HS_PART_TEST;
    }
    rc = hs_eval_scores(job->score, job->label, job->weight, trm, tem, job->n, &job->ev, task,
                        err);
done:
    free(trm);
    free(tem);
    return rc;
}

int
hs_train_folds(struct hs_train_job *job, size_t k, struct hs_eval_fold *folds, size_t *done,
               const struct hs_task *task, struct hs_err *err)
{
    unsigned char *tem = malloc(job->n + 1);
    long si = hs_params_find(job->params.spec, "seed");
    uint64_t seed = si >= 0 && job->params.spec[si].type == HS_PARAM_SEED
                        ? hs_params_seed(&job->params, (size_t)si)
                        : 0;
    struct hs_method_data d;
    int rc;

    *done = 0;
    if (!tem)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < job->n; i++)
        tem[i] = job->split_part[i] == HS_PART_TEST;
    job_data(job, job->part, &d);
    rc = hs_eval_folds(job->method, &job->params, &d, tem, k, seed, folds, done, task, err);
    free(tem);
    return rc;
}

int
hs_train_to_record(const struct hs_train_job *job, const char *name, const char *dataset,
                   struct hs_model_rec *rec, struct hs_err *err)
{
    int rc;

    memset(rec, 0, sizeof *rec);
    if (!job->res.model)
        return hs_err_set(err, HS_EUSAGE, "no trained model to store");
    rec->name = hs_strdup(name);
    rec->kind = hs_strdup(job->res.model->kind->name);
    rec->dataset = hs_strdup(dataset ? dataset : "");
    rec->options = hs_strdup(job->options ? job->options : "");
    rec->train_group = job->train_group ? hs_strdup(job->train_group) : NULL;
    rec->features = hs_calloc(job->nin + 1, sizeof *rec->features);
    rec->curve = hs_malloc((job->res.nepochs + 1) * sizeof *rec->curve);
    if (!rec->name || !rec->kind || !rec->dataset || !rec->options || !rec->features ||
        !rec->curve || (job->train_group && !rec->train_group))
        goto nomem;
    memcpy(rec->split_frac, job->split_frac, sizeof rec->split_frac);
    rec->split_seed = job->split_seed;
    for (size_t i = 0; i < job->nin; i++) {
        rec->features[i].name = hs_strdup(job->names[i]);
        rec->features[i].expr = job->exprs[i] ? hs_strdup(job->exprs[i]) : NULL;
        rec->nfeatures++;
        if (!rec->features[i].name || (job->exprs[i] && !rec->features[i].expr))
            goto nomem;
    }
    if (job->res.nepochs)
        memcpy(rec->curve, job->res.curve, job->res.nepochs * sizeof *rec->curve);
    rec->nepochs = job->res.nepochs;
    rec->best_epoch = job->res.best_epoch;
    rec->nimputed = job->res.nimputed;
    rec->test_auc = job->score ? job->ev.test_auc : NAN;
    rec->test_bkg95 = job->score ? job->ev.test_bkg95 : NAN;
    if ((rc = hs_model_serialize(job->res.model, &rec->blob, &rec->bloblen, err))) {
        hs_model_rec_release(rec);
        return rc;
    }
    return HS_OK;
nomem:
    hs_model_rec_release(rec);
    return hs_err_set(err, HS_ENOMEM, "out of memory");
}

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

#include "ks.h"
#include "mem.h"
#include "names.h"
#include "numparse.h"
#include "sessions/results.h"
#include "ui/analysis.h"
#include "ui/grid.h"

const double hs_train_bkg_points[3] = {0.01, 0.1, 0.3};

/* ---- options -------------------------------------------------------- */

const struct hs_opt_spec hs_train_opt_specs[HS_TRAIN_NOPTS + 1] = {
    {"layers", 0, HS_OPT_VALUE, "W,W,...", "hidden layer widths (64,64; 'none': logistic)"},
    {"activation", 0, HS_OPT_VALUE, "ACT",
     "relu (default), leaky_relu, tanh, sigmoid or identity"},
    {"optimizer", 0, HS_OPT_VALUE, "OPT", "adam (default), sgd or nesterov"},
    {"lr", 0, HS_OPT_VALUE, "X", "learning rate (0.001)"},
    {"lr-decay", 0, HS_OPT_VALUE, "X", "learning rate lr / (1 + X epoch) (0: constant)"},
    {"momentum", 0, HS_OPT_VALUE, "X", "momentum of sgd and nesterov (0.9)"},
    {"batch", 0, HS_OPT_VALUE, "N", "mini-batch size (256)"},
    {"epochs", 0, HS_OPT_VALUE, "N", "most epochs (50)"},
    {"l2", 0, HS_OPT_VALUE, "X", "L2 penalty alpha (0.0001)"},
    {"dropout", 0, HS_OPT_VALUE, "R[,R...]",
     "dropout rate of every hidden layer, or one per layer (0.1)"},
    {"patience", 0, HS_OPT_VALUE, "N",
     "stop after N epochs without a better validation loss (5; 0: never)"},
    {"seed", 0, HS_OPT_VALUE, "K", "seed of the initialisation and the shuffles (0)"},
    {"balance", 0, HS_OPT_FLAG, NULL, "reweight the classes to equal weight sums"},
    {"negative-weights", 0, HS_OPT_VALUE, "POLICY",
     "negative event weights in training: use (default), ignore or clip"},
    {"features", 0, HS_OPT_LIST, "F,G,...",
     "the inputs (default: every enabled numeric feature)"},
    {"one-hot", 0, HS_OPT_FLAG, NULL,
     "text features become one 0/1 input per category (else they are left out)"},
    {"train-group", 0, HS_OPT_VALUE, "M", "train on the signal of group M only"},
    {"folds", 0, HS_OPT_VALUE, "K", "also K trainings on folds: the spread of the figures"},
    {"replace", 0, HS_OPT_FLAG, NULL, "replace a model of the same name"},
    {0},
};

void
hs_train_opts_default(struct hs_train_opts *o)
{
    memset(o, 0, sizeof *o);
    hs_mlp_config_default(&o->cfg);
    o->folds = 1;
}

void
hs_train_opts_release(struct hs_train_opts *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->nfeatures; i++)
        free(o->features[i]);
    free(o->features);
    free(o->train_group);
    o->features = NULL;
    o->nfeatures = 0;
    o->train_group = NULL;
}

static int
opt_number(const char *name, const char *v, double lo, double hi, double *out,
           struct hs_err *err)
{
    char a[HS_NUM_BUF], b[HS_NUM_BUF];
    double x;

    if (!v || hs_num_parse(v, strlen(v), &x) || !(x >= lo && x <= hi)) {
        hs_num_format(lo, a);
        hs_num_format(hi, b);
        return hs_err_set(err, HS_EUSAGE, "--%s wants a number from %s to %s, not '%s'", name,
                          a, b, v ? v : "");
    }
    *out = x;
    return HS_OK;
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

/* "64,64" into widths; "none" or "" is no hidden layer. */
static int
parse_layers(const char *v, struct hs_mlp_config *c, struct hs_err *err)
{
    size_t n = 0, w[HS_MLP_MAX_HIDDEN];
    const char *p = v;

    if (strcmp(v, "none") == 0 || !*v) {
        c->nhidden = 0;
        return HS_OK;
    }
    while (*p) {
        unsigned long long x = 0;
        const char *s = p;
        while (*p >= '0' && *p <= '9' && x <= HS_MLP_MAX_WIDTH)
            x = x * 10 + (unsigned long long)(*p++ - '0');
        if (p == s || x < 1 || x > HS_MLP_MAX_WIDTH || (*p && *p != ',') || n == HS_MLP_MAX_HIDDEN)
            return hs_err_set(err, HS_EUSAGE,
                              "--layers wants widths separated by commas such as 64,64 (each 1 "
                              "to %d, at most %d layers; 'none' for none), not '%s'",
                              HS_MLP_MAX_WIDTH, HS_MLP_MAX_HIDDEN, v);
        w[n++] = (size_t)x;
        if (*p == ',' && !*++p)
            return hs_err_set(err, HS_EUSAGE, "--layers: a width after the last comma in '%s'",
                              v);
    }
    c->nhidden = n;
    memcpy(c->width, w, n * sizeof *w);
    return HS_OK;
}

static int
parse_dropout(const char *v, struct hs_train_opts *o, struct hs_err *err)
{
    size_t n = 0;
    const char *p = v;

    while (1) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        double x;
        if (n == HS_MLP_MAX_HIDDEN || hs_num_parse(p, len, &x) || !(x >= 0 && x < 1))
            return hs_err_set(err, HS_EUSAGE,
                              "--dropout wants a rate in [0, 1) or one per hidden layer such "
                              "as 0.2,0.1, not '%s'",
                              v);
        o->dropout[n++] = x;
        if (!e)
            break;
        p = e + 1;
    }
    o->ndropout = n;
    return HS_OK;
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
hs_train_opts_set(struct hs_train_opts *o, const char *name, const char *v, struct hs_err *err)
{
    struct hs_mlp_config *c = &o->cfg;
    size_t n;
    int x, rc;

    if (strcmp(name, "balance") == 0 || strcmp(name, "replace") == 0 ||
        strcmp(name, "one-hot") == 0) {
        bool on = !v || strcmp(v, "0") != 0;
        if (name[0] == 'b')
            c->balance = on;
        else if (name[0] == 'r')
            o->replace = on;
        else
            o->one_hot = on;
        return HS_OK;
    }
    if (!v)
        return hs_err_set(err, HS_EUSAGE, "--%s wants a value", name);
    if (strcmp(name, "layers") == 0)
        return parse_layers(v, c, err);
    if (strcmp(name, "activation") == 0) {
        if ((x = hs_act_parse(v)) < 0)
            return hs_err_set(err, HS_EUSAGE,
                              "--activation takes relu, leaky_relu, tanh, sigmoid or identity, "
                              "not '%s'",
                              v);
        c->act = (enum hs_act)x;
        return HS_OK;
    }
    if (strcmp(name, "optimizer") == 0) {
        if ((x = hs_optim_parse(v)) < 0)
            return hs_err_set(err, HS_EUSAGE, "--optimizer takes adam, sgd or nesterov, not '%s'",
                              v);
        c->optim = (enum hs_optim)x;
        return HS_OK;
    }
    if (strcmp(name, "negative-weights") == 0) {
        if ((x = hs_negw_parse(v)) < 0)
            return hs_err_set(err, HS_EUSAGE,
                              "--negative-weights takes use, ignore or clip, not '%s'", v);
        c->negw = (enum hs_negw)x;
        return HS_OK;
    }
    if (strcmp(name, "lr") == 0)
        return opt_number(name, v, 1e-12, 100, &c->lr, err);
    if (strcmp(name, "lr-decay") == 0)
        return opt_number(name, v, 0, 1e6, &c->lr_decay, err);
    if (strcmp(name, "momentum") == 0)
        return opt_number(name, v, 0, 0.999999, &c->momentum, err);
    if (strcmp(name, "l2") == 0)
        return opt_number(name, v, 0, 1e6, &c->l2, err);
    if (strcmp(name, "dropout") == 0)
        return parse_dropout(v, o, err);
    if (strcmp(name, "batch") == 0)
        return opt_count(name, v, 1, 1u << 24, &c->batch, err);
    if (strcmp(name, "epochs") == 0)
        return opt_count(name, v, 1, 100000, &c->epochs, err);
    if (strcmp(name, "patience") == 0)
        return opt_count(name, v, 0, 100000, &c->patience, err);
    if (strcmp(name, "seed") == 0) {
        if ((rc = opt_count(name, v, 0, SIZE_MAX, &n, err)))
            return rc;
        c->seed = n;
        return HS_OK;
    }
    if (strcmp(name, "folds") == 0)
        return opt_count(name, v, 1, 100, &o->folds, err);
    if (strcmp(name, "features") == 0)
        return add_features(o, v, err);
    if (strcmp(name, "train-group") == 0) {
        char *g = hs_strdup(v);
        if (!g)
            return hs_err_set(err, HS_ENOMEM, "out of memory");
        free(o->train_group);
        o->train_group = g;
        return HS_OK;
    }
    return hs_err_set(err, HS_EUSAGE, "'--%s' is not a training option", name);
}

int
hs_train_opts_check(struct hs_train_opts *o, struct hs_err *err)
{
    struct hs_mlp_config *c = &o->cfg;

    if (o->ndropout > 1 && o->ndropout != c->nhidden)
        return hs_err_set(err, HS_EUSAGE,
                          "--dropout gives %zu rates for %zu hidden layers: give one rate, or "
                          "one per layer",
                          o->ndropout, c->nhidden);
    for (size_t i = 0; i < c->nhidden; i++)
        if (o->ndropout)
            c->dropout[i] = o->dropout[o->ndropout == 1 ? 0 : i];
    return HS_OK;
}

int
hs_train_opts_from_cmd(struct hs_cmd *cmd, struct hs_train_opts *o)
{
    int rc = HS_OK;

    hs_train_opts_default(o);
    for (const struct hs_opt_spec *s = hs_train_opt_specs; s->name && rc == HS_OK; s++) {
        if (s->type == HS_OPT_FLAG) {
            if (hs_cmd_flag(cmd, s->name))
                rc = hs_train_opts_set(o, s->name, NULL, &cmd->err);
        } else if (s->type == HS_OPT_LIST) {
            const char **vals;
            size_t nv = hs_cmd_opt_list(cmd, s->name, &vals);
            for (size_t i = 0; i < nv && rc == HS_OK; i++)
                rc = hs_train_opts_set(o, s->name, vals[i], &cmd->err);
        } else if (hs_cmd_opt(cmd, s->name)) {
            rc = hs_train_opts_set(o, s->name, hs_cmd_opt(cmd, s->name), &cmd->err);
        }
    }
    if (rc == HS_OK)
        rc = hs_train_opts_check(o, &cmd->err);
    return rc;
}

/* A growing string; on failure it becomes NULL and stays so. */
struct sbuf {
    char *s;
    size_t len, cap;
};

static void
sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(__printf__, 2, 3)));

static void
sb_add(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int w;

    if (b->cap && !b->s)
        return;
    for (;;) {
        size_t room = b->cap - b->len;
        va_start(ap, fmt);
        w = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (w < 0) {
            free(b->s);
            b->s = NULL;
            b->cap = 1;
            return;
        }
        if ((size_t)w < room) {
            b->len += (size_t)w;
            return;
        }
        {
            size_t ncap = (b->len + (size_t)w + 1) * 2;
            char *ns = realloc(b->s, ncap);
            if (!ns) {
                free(b->s);
                b->s = NULL;
                b->cap = 1;
                return;
            }
            b->s = ns;
            b->cap = ncap;
        }
    }
}

static const char *
num(double x, char buf[HS_NUM_BUF])
{
    hs_num_format(x, buf);
    return buf;
}

char *
hs_train_opts_line(const struct hs_train_opts *o)
{
    const struct hs_mlp_config *c = &o->cfg;
    struct sbuf b = {0};
    char n1[HS_NUM_BUF];
    bool same = true;

    sb_add(&b, "--layers ");
    if (c->nhidden == 0)
        sb_add(&b, "none");
    for (size_t i = 0; i < c->nhidden; i++)
        sb_add(&b, "%s%zu", i ? "," : "", c->width[i]);
    sb_add(&b, " --activation %s --optimizer %s --lr %s", hs_act_name(c->act),
           hs_optim_name(c->optim), num(c->lr, n1));
    sb_add(&b, " --lr-decay %s", num(c->lr_decay, n1));
    if (c->optim != HS_OPTIM_ADAM)
        sb_add(&b, " --momentum %s", num(c->momentum, n1));
    sb_add(&b, " --batch %zu --epochs %zu --l2 %s", c->batch, c->epochs, num(c->l2, n1));
    for (size_t i = 1; i < c->nhidden; i++)
        same = same && c->dropout[i] == c->dropout[0];
    if (c->nhidden) {
        sb_add(&b, " --dropout ");
        for (size_t i = 0; i < (same ? 1 : c->nhidden); i++)
            sb_add(&b, "%s%s", i ? "," : "", num(c->dropout[i], n1));
    }
    sb_add(&b, " --patience %zu --seed %llu --negative-weights %s", c->patience,
           (unsigned long long)c->seed, hs_negw_name(c->negw));
    if (c->balance)
        sb_add(&b, " --balance");
    if (o->one_hot)
        sb_add(&b, " --one-hot");
    if (o->nfeatures) {
        sb_add(&b, " --features ");
        for (size_t i = 0; i < o->nfeatures; i++)
            sb_add(&b, "%s%s", i ? "," : "", o->features[i]);
    }
    if (o->train_group) {
        char *q = hs_cmd_join(1, &o->train_group);
        sb_add(&b, " --train-group %s", q ? q : o->train_group);
        free(q);
    }
    return b.s;
}

int
hs_train_opts_parse_line(const char *line, struct hs_train_opts *o, struct hs_err *err)
{
    char **argv = NULL;
    int argc = 0, rc;

    hs_train_opts_default(o);
    if ((rc = hs_cmd_split(line ? line : "", &argc, &argv, err)))
        return rc;
    for (int i = 0; i < argc && rc == HS_OK; i++) {
        const char *w = argv[i];
        const struct hs_opt_spec *s = hs_train_opt_specs;
        if (strncmp(w, "--", 2) == 0)
            for (; s->name && strcmp(s->name, w + 2); s++)
                ;
        if (strncmp(w, "--", 2) || !s->name) {
            rc = hs_err_set(err, HS_EUSAGE, "'%s' is not a training option", w);
            break;
        }
        if (s->type == HS_OPT_FLAG) {
            rc = hs_train_opts_set(o, s->name, NULL, err);
        } else if (i + 1 >= argc) {
            rc = hs_err_set(err, HS_EUSAGE, "%s wants a value", w);
        } else {
            rc = hs_train_opts_set(o, s->name, argv[i + 1], err);
            i++;
        }
    }
    hs_cmd_words_free(argc, argv);
    if (rc == HS_OK)
        rc = hs_train_opts_check(o, err);
    if (rc)
        hs_train_opts_release(o);
    return rc;
}

void
hs_train_describe(const struct hs_mlp_config *c, char *buf, size_t size)
{
    size_t len = 0;
    char n1[HS_NUM_BUF], n2[HS_NUM_BUF];

    buf[0] = '\0';
    if (c->nhidden == 0)
        len += (size_t)snprintf(buf, size, "no hidden layer (logistic regression)");
    for (size_t i = 0; i < c->nhidden && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%zu", i ? "," : "", c->width[i]);
    if (len < size && c->nhidden)
        len += (size_t)snprintf(buf + len, size - len, " %s", hs_act_name(c->act));
    if (len < size)
        len += (size_t)snprintf(buf + len, size - len, ", %s lr %s", hs_optim_name(c->optim),
                                num(c->lr, n1));
    if (len < size && c->optim != HS_OPTIM_ADAM)
        len += (size_t)snprintf(buf + len, size - len, " momentum %s", num(c->momentum, n1));
    if (len < size && c->lr_decay > 0)
        len += (size_t)snprintf(buf + len, size - len, " decay %s", num(c->lr_decay, n1));
    if (len < size)
        len += (size_t)snprintf(buf + len, size - len, ", batch %zu, l2 %s", c->batch,
                                num(c->l2, n2));
    bool same = true;
    for (size_t i = 1; i < c->nhidden; i++)
        same = same && c->dropout[i] == c->dropout[0];
    if (len < size && c->nhidden)
        len += (size_t)snprintf(buf + len, size - len, ", dropout %s", num(c->dropout[0], n1));
    for (size_t i = 1; i < c->nhidden && len < size && !same; i++)
        len += (size_t)snprintf(buf + len, size - len, ",%s", num(c->dropout[i], n1));
    if (len < size && c->balance)
        snprintf(buf + len, size - len, ", classes balanced");
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
    hs_mlp_result_release(&job->res);
    memset(job, 0, sizeof *job);
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

/* Is feature f an input candidate: on, and numeric? */
static bool
numeric_feature(const struct hs_featureset *fs, const struct hs_feature *f)
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
    job->cfg = o->cfg;
    job->n = t->nrows;
    if (!(job->label = hs_table_label(t)))
        return hs_err_set(err, HS_EUSAGE,
                          "the dataset has no label: training needs signal and background");
    if (sp->n != t->nrows)
        return hs_err_set(err, HS_EDATA, "the split has %zu events, the dataset %zu", sp->n,
                          t->nrows);
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
            } else if (!numeric_feature(fs, &fs->f[idx])) {
                rc = hs_err_set(err, HS_EUSAGE,
                                "feature '%s' is text: the network takes numeric inputs only",
                                o->features[i]);
            } else {
                rc = add_input(fs, job, (size_t)idx, task, err);
            }
        }
    } else {
        for (size_t i = 0; i < fs->n && rc == HS_OK; i++)
            if (fs->f[i].on && numeric_feature(fs, &fs->f[i]))
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
    return rc;
}

int
hs_train_run(struct hs_train_job *job, const struct hs_task *task, struct hs_err *err)
{
    hs_mlp_result_release(&job->res);
    memset(&job->res, 0, sizeof job->res);
    return hs_mlp_train(&job->cfg, job->x, job->nin, job->label, job->weight, job->part, job->n,
                        &job->res, task, err);
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
    const struct hs_mlp_result *r = &job->res;
    const struct hs_train_eval *ev = &job->ev;
    char desc[512], list[400];
    int rc = HS_OK;

    hs_train_describe(&job->cfg, desc, sizeof desc);
    inputs_list(job, list, sizeof list);
    fprintf(out, "model '%s': %s\n", name, desc);
    fprintf(out, "  inputs: %zu (%s)\n", job->nin, list);
    fprintf(out, "  negative weights: %s (%zu training events have one)\n",
            hs_negw_name(job->cfg.negw), r->nnegative);
    fprintf(out, "  imputed inputs: %zu\n", r->nimputed);
    if (job->train_group)
        fprintf(out, "  signal trained on: group %s only\n", job->train_group);
    fprintf(out, "  events: %zu train, %zu val\n", r->ntrain, r->nval);
    fprintf(out, "  best epoch %zu of %zu, %s%s\n", r->best_epoch, r->nepochs,
            r->early_stopped ? "early stopped" : "not early stopped",
            r->cancelled ? ", cancelled (the best model so far is kept)" : "");
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

/* The ROC of score on mask; a missing class leaves r empty (n 0). */
static int
roc_or_empty(const double *score, const double *label, const double *weight,
             const unsigned char *mask, size_t n, struct hs_roc *r, const struct hs_task *task,
             struct hs_err *err)
{
    int rc = hs_roc_from_scores(score, label, weight, mask, n, r, task, err);

    if (rc)
        memset(r, 0, sizeof *r);
    if (rc == HS_EDATA) {
        hs_err_clear(err);
        r->auc = NAN;
        return HS_OK;
    }
    return rc;
}

/* The scores and weights of one class on mask's rows. */
static size_t
class_sample(const double *score, const double *label, const double *weight,
             const unsigned char *mask, size_t n, double cls, double *v, double *w)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        if (mask[i] && label[i] == cls) {
            v[k] = score[i];
            w[k++] = weight ? weight[i] : 1.0;
        }
    return k;
}

int
hs_train_eval_scores(const double *score, const double *label, const double *weight,
                     const unsigned char *train_mask, const unsigned char *test_mask, size_t n,
                     struct hs_train_eval *ev, const struct hs_task *task, struct hs_err *err)
{
    struct hs_roc rt = {0}, rr = {0};
    double *a = NULL, *wa = NULL, *b = NULL, *wb = NULL;
    int rc;

    for (int i = 0; i < 3; i++)
        ev->test_sig_at[i] = ev->train_sig_at[i] = NAN;
    ev->test_auc = ev->train_auc = ev->test_bkg95 = ev->train_bkg95 = NAN;
    ev->ks_d[0] = ev->ks_d[1] = ev->ks_p[0] = ev->ks_p[1] = NAN;
    if ((rc = roc_or_empty(score, label, weight, test_mask, n, &rt, task, err)) ||
        (rc = roc_or_empty(score, label, weight, train_mask, n, &rr, task, err)))
        goto done;
    if (rt.n) {
        ev->test_auc = rt.auc;
        ev->test_bkg95 = hs_roc_bkg_at(&rt, 0.95);
        for (int i = 0; i < 3; i++)
            ev->test_sig_at[i] = hs_roc_sig_at(&rt, hs_train_bkg_points[i]);
    }
    if (rr.n) {
        ev->train_auc = rr.auc;
        ev->train_bkg95 = hs_roc_bkg_at(&rr, 0.95);
        for (int i = 0; i < 3; i++)
            ev->train_sig_at[i] = hs_roc_sig_at(&rr, hs_train_bkg_points[i]);
    }
    a = malloc((n + 1) * sizeof *a);
    wa = malloc((n + 1) * sizeof *wa);
    b = malloc((n + 1) * sizeof *b);
    wb = malloc((n + 1) * sizeof *wb);
    if (!a || !wa || !b || !wb) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (int c = 0; c < 2; c++) {
        double cls = c == 0 ? 1 : 0;
        size_t na = class_sample(score, label, weight, train_mask, n, cls, a, wa);
        size_t nb = class_sample(score, label, weight, test_mask, n, cls, b, wb);
        rc = hs_ks_test(a, weight ? wa : NULL, na, b, weight ? wb : NULL, nb, &ev->ks_d[c],
                        &ev->ks_p[c], err);
        if (rc == HS_EDATA) {
            hs_err_clear(err);
            ev->ks_d[c] = ev->ks_p[c] = NAN;
            rc = HS_OK;
        }
        if (rc)
            goto done;
    }
done:
    hs_roc_release(&rt);
    hs_roc_release(&rr);
    free(a);
    free(wa);
    free(b);
    free(wb);
    return rc;
}

int
hs_train_evaluate(struct hs_train_job *job, const struct hs_task *task, struct hs_err *err)
{
    unsigned char *trm = NULL, *tem = NULL;
    int rc;

    if (!job->res.model)
        return hs_err_set(err, HS_EUSAGE, "no trained model to evaluate");
    if (!job->score && !(job->score = malloc((job->n + 1) * sizeof *job->score)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if ((rc = hs_mlp_score(job->res.model, job->x, job->n, job->score, task, err)))
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
    rc = hs_train_eval_scores(job->score, job->label, job->weight, trm, tem, job->n, &job->ev,
                              task, err);
done:
    free(trm);
    free(tem);
    return rc;
}

/* splitmix64: the folds' own seeded shuffle, the same on every machine. */
static uint64_t
mix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* fold[i] in [0, k) for the training and validation events the network
 * may see (stratified by class: each class dealt round the folds after a
 * seeded shuffle), 255 for the others. */
static int
make_folds(const struct hs_train_job *job, size_t k, unsigned char *fold, struct hs_err *err)
{
    size_t *idx = malloc((job->n + 1) * sizeof *idx);
    uint64_t s = job->cfg.seed ^ 0x5eed0f01d5ULL;

    if (!idx)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    memset(fold, 255, job->n);
    for (int c = 0; c < 2; c++) {
        size_t m = 0;
        for (size_t i = 0; i < job->n; i++)
            if (job->part[i] < 2 && job->label[i] == (c ? 1.0 : 0.0))
                idx[m++] = i;
        for (size_t i = m; i > 1; i--) {
            size_t j = (size_t)(mix64(&s) % i), t = idx[i - 1];
            idx[i - 1] = idx[j];
            idx[j] = t;
        }
        for (size_t i = 0; i < m; i++)
            fold[idx[i]] = (unsigned char)(i % k);
    }
    free(idx);
    return HS_OK;
}

int
hs_train_folds(struct hs_train_job *job, size_t k, struct hs_train_fold *folds, size_t *done,
               const struct hs_task *task, struct hs_err *err)
{
    unsigned char *fold = malloc(job->n + 1), *part = malloc(job->n + 1), *tem = malloc(job->n + 1);
    double *score = malloc((job->n + 1) * sizeof *score);
    int rc = HS_OK;

    *done = 0;
    if (!fold || !part || !tem || !score) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto out;
    }
    if (k < 2 || k > 100) {
        rc = hs_err_set(err, HS_EUSAGE, "--folds wants 2 to 100 folds, not %zu", k);
        goto out;
    }
    if ((rc = make_folds(job, k, fold, err)))
        goto out;
    for (size_t i = 0; i < job->n; i++)
        tem[i] = job->split_part[i] == HS_PART_TEST;
    for (size_t f = 0; f < k && rc == HS_OK; f++) {
        struct hs_mlp_config cfg = job->cfg;
        struct hs_mlp_result res = {0};
        struct hs_roc r = {0};
        for (size_t i = 0; i < job->n; i++)
            part[i] = fold[i] == 255 ? (job->split_part[i] == HS_PART_TEST ? 2 : HS_TRAIN_PART_OUT)
                                     : fold[i] == f ? 1 : 0;
        cfg.seed = job->cfg.seed + f;
        rc = hs_mlp_train(&cfg, job->x, job->nin, job->label, job->weight, part, job->n, &res,
                          task, err);
        if (rc == HS_OK)
            rc = hs_mlp_score(res.model, job->x, job->n, score, task, err);
        if (rc == HS_OK)
            rc = roc_or_empty(score, job->label, job->weight, tem, job->n, &r, task, err);
        if (rc == HS_OK) {
            folds[f].auc = r.n ? r.auc : NAN;
            folds[f].bkg95 = r.n ? hs_roc_bkg_at(&r, 0.95) : NAN;
            folds[f].best_epoch = res.best_epoch;
            folds[f].nepochs = res.nepochs;
            folds[f].cancelled = res.cancelled;
            (*done)++;
            if (res.cancelled)
                rc = hs_err_set(err, HS_ECANCELLED, "cancelled after %zu of %zu folds", *done, k);
        }
        hs_roc_release(&r);
        hs_mlp_result_release(&res);
    }
out:
    free(fold);
    free(part);
    free(tem);
    free(score);
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
    rec->kind = hs_strdup("mlp");
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
    if ((rc = hs_mlp_serialize(job->res.model, &rec->blob, &rec->bloblen, err))) {
        hs_model_rec_release(rec);
        return rc;
    }
    return HS_OK;
nomem:
    hs_model_rec_release(rec);
    return hs_err_set(err, HS_ENOMEM, "out of memory");
}

/* mlp_method.c: the multilayer perceptron as a method of the method
 * layer (method.h) and its stored models (model.h).  The parameter spec
 * below is where every default of `train --method mlp` lives;
 * hs_mlp_config_default reads it too. */
#include "config.h"

#include "mlp.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "mlp_int.h"
#include "model.h"
#include "numparse.h"

/* In the order of enum hs_act, hs_optim and hs_negw: the names of the
 * options and of hs_act_name and friends. */
const char *const hs_mlp_act_names[] = {"relu", "leaky_relu", "tanh", "sigmoid", "identity",
                                        NULL};
static const char *const optim_names[] = {"adam", "sgd", "nesterov", NULL};
const char *const hs_mlp_negw_names[] = {"use", "ignore", "clip", NULL};

static int
parse_name(const char *s, const char *const *names)
{
    for (int i = 0; s && names[i]; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

const char *
hs_act_name(enum hs_act a)
{
    return (unsigned)a <= HS_ACT_IDENTITY ? hs_mlp_act_names[a] : "unknown";
}

int
hs_act_parse(const char *s)
{
    return parse_name(s, hs_mlp_act_names);
}

const char *
hs_optim_name(enum hs_optim o)
{
    return (unsigned)o <= HS_OPTIM_NESTEROV ? optim_names[o] : "unknown";
}

int
hs_optim_parse(const char *s)
{
    return parse_name(s, optim_names);
}

const char *
hs_negw_name(enum hs_negw p)
{
    return (unsigned)p <= HS_NEGW_CLIP ? hs_mlp_negw_names[p] : "unknown";
}

int
hs_negw_parse(const char *s)
{
    return parse_name(s, hs_mlp_negw_names);
}

enum {
    P_LAYERS,
    P_ACTIVATION,
    P_OPTIMIZER,
    P_LR,
    P_LR_DECAY,
    P_MOMENTUM,
    P_BATCH,
    P_EPOCHS,
    P_L2,
    P_DROPOUT,
    P_PATIENCE,
    P_SEED,
    P_NEGW,
    P_BALANCE,
};

static const struct hs_param_spec mlp_params[] = {
    [P_LAYERS] = {.name = "layers",
                  .type = HS_PARAM_INTS,
                  .def = "64,64",
                  .min = 1,
                  .max = HS_MLP_MAX_WIDTH,
                  .max_items = HS_MLP_MAX_HIDDEN,
                  .noun = "widths",
                  .metavar = "W,W,...",
                  .help = "hidden layer widths ('none': logistic regression)"},
    [P_ACTIVATION] = {.name = "activation",
                      .type = HS_PARAM_CHOICE,
                      .def = "relu",
                      .choices = hs_mlp_act_names,
                      .metavar = "ACT",
                      .help = "activation of the hidden layers"},
    [P_OPTIMIZER] = {.name = "optimizer",
                     .type = HS_PARAM_CHOICE,
                     .def = "adam",
                     .choices = optim_names,
                     .metavar = "OPT",
                     .help = "optimiser"},
    [P_LR] = {.name = "lr",
              .type = HS_PARAM_REAL,
              .def = "0.001",
              .min = 1e-12,
              .max = 100,
              .metavar = "X",
              .help = "learning rate"},
    [P_LR_DECAY] = {.name = "lr-decay",
                    .type = HS_PARAM_REAL,
                    .def = "0",
                    .max = 1e6,
                    .metavar = "X",
                    .help = "learning rate lr / (1 + X epoch) (0: constant)"},
    [P_MOMENTUM] = {.name = "momentum",
                    .type = HS_PARAM_REAL,
                    .def = "0.9",
                    .max = 1,
                    .max_open = true,
                    .metavar = "X",
                    .help = "momentum of sgd and nesterov"},
    [P_BATCH] = HS_MLP_SPEC_BATCH,
    [P_EPOCHS] = HS_MLP_SPEC_EPOCHS,
    [P_L2] = {.name = "l2",
              .type = HS_PARAM_REAL,
              .def = "0.0001",
              .max = 1e6,
              .metavar = "X",
              .help = "L2 penalty alpha"},
    [P_DROPOUT] = {.name = "dropout",
                   .type = HS_PARAM_REALS,
                   .def = "0.1",
                   .max = 1,
                   .max_open = true,
                   .max_items = HS_MLP_MAX_HIDDEN,
                   .noun = "rates",
                   .metavar = "R[,R...]",
                   .help = "dropout rate of every hidden layer, or one per layer"},
    [P_PATIENCE] = HS_MLP_SPEC_PATIENCE,
    [P_SEED] = {.name = "seed",
                .type = HS_PARAM_SEED,
                .def = "0",
                .metavar = "K",
                .help = "seed of the initialisation and the shuffles"},
    [P_NEGW] = HS_MLP_SPEC_NEGW,
    [P_BALANCE] = {.name = "balance",
                   .type = HS_PARAM_FLAG,
                   .def = "0",
                   .help = "reweight the classes to equal weight sums"},
    {0},
};

/* Put parameter idx's value into the configuration. */
static void
apply(struct hs_mlp_config *c, size_t idx, const struct hs_param_value *v)
{
    switch (idx) {
    case P_LAYERS:
        c->nhidden = v->n;
        for (size_t l = 0; l < v->n; l++)
            c->width[l] = (size_t)v->items[l];
        break;
    case P_ACTIVATION:
        c->act = (enum hs_act)v->x;
        break;
    case P_OPTIMIZER:
        c->optim = (enum hs_optim)v->x;
        break;
    case P_LR:
        c->lr = v->x;
        break;
    case P_LR_DECAY:
        c->lr_decay = v->x;
        break;
    case P_MOMENTUM:
        c->momentum = v->x;
        break;
    case P_BATCH:
        c->batch = (size_t)v->x;
        break;
    case P_EPOCHS:
        c->epochs = (size_t)v->x;
        break;
    case P_L2:
        c->l2 = v->x;
        break;
    case P_DROPOUT:
        /* one rate for every layer, or one per layer (hs_mlp_check_params) */
        for (size_t l = 0; l < HS_MLP_MAX_HIDDEN; l++)
            c->dropout[l] = v->n == 0 ? 0 : v->items[v->n == 1 ? 0 : l < v->n ? l : v->n - 1];
        break;
    case P_PATIENCE:
        c->patience = (size_t)v->x;
        break;
    case P_SEED:
        c->seed = v->u;
        break;
    case P_NEGW:
        c->negw = (enum hs_negw)v->x;
        break;
    case P_BALANCE:
        c->balance = v->x != 0;
        break;
    }
}

void
hs_mlp_config_default(struct hs_mlp_config *c)
{
    memset(c, 0, sizeof *c);
    /* Adam's constants are not options (as in scikit-learn's defaults). */
    c->beta1 = 0.9;
    c->beta2 = 0.999;
    c->eps = 1e-8;
    for (size_t i = 0; mlp_params[i].name; i++) {
        struct hs_param_value v;
        if (hs_param_parse(&mlp_params[i], NULL, &v, NULL) == HS_OK)
            apply(c, i, &v);
    }
}

static int
mlp_check(const struct hs_params *p, struct hs_err *err)
{
    size_t nl = p->v[P_LAYERS].n, nd = p->v[P_DROPOUT].n;

    if (nd > 1 && nd != nl)
        return hs_err_set(err, HS_EUSAGE,
                          "--dropout gives %zu rates for %zu hidden layers: give one rate, or "
                          "one per layer",
                          nd, nl);
    return HS_OK;
}

int
hs_mlp_config_from_params(const struct hs_params *p, struct hs_mlp_config *c, struct hs_err *err)
{
    int rc;

    if (p->spec != mlp_params)
        return hs_err_set(err, HS_EUSAGE, "these are not a network's options");
    if ((rc = mlp_check(p, err)))
        return rc;
    hs_mlp_config_default(c);
    for (size_t i = 0; i < p->n; i++)
        apply(c, i, &p->v[i]);
    return HS_OK;
}

void
hs_mlp_describe_config(const struct hs_mlp_config *c, char *buf, size_t size)
{
    size_t len = 0;
    char n1[HS_NUM_BUF], n2[HS_NUM_BUF];
    bool same = true;

    buf[0] = '\0';
    if (c->nhidden == 0)
        len += (size_t)snprintf(buf, size, "no hidden layer (logistic regression)");
    for (size_t i = 0; i < c->nhidden && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%zu", i ? "," : "", c->width[i]);
    if (len < size && c->nhidden)
        len += (size_t)snprintf(buf + len, size - len, " %s", hs_act_name(c->act));
    hs_num_format(c->lr, n1);
    if (len < size)
        len += (size_t)snprintf(buf + len, size - len, ", %s lr %s", hs_optim_name(c->optim), n1);
    hs_num_format(c->momentum, n1);
    if (len < size && c->optim != HS_OPTIM_ADAM)
        len += (size_t)snprintf(buf + len, size - len, " momentum %s", n1);
    hs_num_format(c->lr_decay, n1);
    if (len < size && c->lr_decay > 0)
        len += (size_t)snprintf(buf + len, size - len, " decay %s", n1);
    hs_num_format(c->l2, n2);
    if (len < size)
        len += (size_t)snprintf(buf + len, size - len, ", batch %zu, l2 %s", c->batch, n2);
    for (size_t i = 1; i < c->nhidden; i++)
        same = same && c->dropout[i] == c->dropout[0];
    for (size_t i = 0; i < (same ? 1 : c->nhidden) && c->nhidden && len < size; i++) {
        hs_num_format(c->dropout[i], n1);
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? "," : ", dropout ", n1);
    }
    if (len < size && c->balance)
        snprintf(buf + len, size - len, ", classes balanced");
}

static void
mlp_describe(const struct hs_params *p, char *buf, size_t size)
{
    struct hs_mlp_config c;

    if (hs_mlp_config_from_params(p, &c, NULL) == HS_OK)
        hs_mlp_describe_config(&c, buf, size);
    else
        snprintf(buf, size, "mlp");
}

/* ---- the life cycle ---------------------------------------------------- */

struct mlp_state {
    struct hs_mlp_trainer *tr; /* first: hs_mlp_state_step reads it */
};

static int
mlp_alloc(const struct hs_params *p, const struct hs_method_data *d, void **state,
          struct hs_err *err)
{
    struct hs_mlp_config c;
    struct mlp_state *s;
    int rc;

    *state = NULL;
    if ((rc = hs_mlp_config_from_params(p, &c, err)))
        return rc;
    c.threads = d->threads;
    if (!(s = hs_calloc(1, sizeof *s)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if ((rc = hs_mlp_trainer_new(&c, d->x, d->nin, d->label, d->weight, d->part, d->n, &s->tr,
                                 err))) {
        hs_free(s);
        return rc;
    }
    *state = s;
    return HS_OK;
}

int
hs_mlp_state_step(void *state, struct hs_method_status *st, const struct hs_task *task,
                  struct hs_err *err)
{
    struct hs_mlp_trainer *t = *(struct hs_mlp_trainer **)state;
    const struct hs_epoch_info *info;
    int rc = hs_mlp_trainer_epoch(t, &info, &st->done, task, err);

    st->fraction = st->done ? 1.0 : hs_mlp_trainer_fraction(t);
    if (rc == HS_OK && info) {
        st->has_epoch = true;
        st->epoch = *info;
    }
    return rc;
}

int
hs_mlp_trainer_model(const struct hs_mlp_trainer *t, const struct hs_model_kind *kind,
                     struct hs_model **out, struct hs_err *err)
{
    struct hs_mlp_result r;
    int rc;

    *out = NULL;
    if ((rc = hs_mlp_trainer_result(t, &r, err)))
        return rc == HS_ECANCELLED ? hs_err_set(err, HS_EDATA, "no epoch has finished") : rc;
    struct hs_mlp *m = r.model;
    r.model = NULL;
    hs_mlp_result_release(&r);
    return hs_model_new(kind, m, m->nin, out, err);
}

static int
mlp_model(void *state, struct hs_model **out, struct hs_err *err)
{
    return hs_mlp_trainer_model(((struct mlp_state *)state)->tr, &hs_model_kind_mlp, out, err);
}

void
hs_mlp_state_report(void *state, struct hs_method_report *r)
{
    hs_mlp_trainer_report(*(struct hs_mlp_trainer **)state, r);
}

static void
mlp_free(void *state)
{
    struct mlp_state *s = state;

    if (!s)
        return;
    hs_mlp_trainer_free(s->tr);
    hs_free(s);
}

const struct hs_method hs_method_mlp = {
    .name = "mlp",
    .summary = "a neural network (multilayer perceptron), early stopping on "
               "the validation part",
    .params = mlp_params,
    .outputs = HS_METHOD_SCORE | HS_METHOD_MODEL,
    .supervised = true,
    .budget = "epochs",
    .check = mlp_check,
    .describe = mlp_describe,
    .alloc = mlp_alloc,
    .step = hs_mlp_state_step,
    .model = mlp_model,
    .report = hs_mlp_state_report,
    .free = mlp_free,
};

/* ---- the stored model ------------------------------------------------- */

int
hs_mlp_kind_serialize(const void *impl, unsigned char **buf, size_t *len, struct hs_err *err)
{
    return hs_mlp_serialize(impl, buf, len, err);
}

int
hs_mlp_kind_load(const unsigned char *buf, size_t len, enum hs_mlp_task task, void **impl,
                 size_t *nin, struct hs_err *err)
{
    struct hs_mlp *m = NULL;
    int rc = hs_mlp_deserialize(buf, len, &m, err);

    /* A kind scores one task: a network stored under the other kind's
     * name would be read as the wrong score. */
    if (rc == HS_OK && m->task != task) {
        hs_mlp_free(m);
        m = NULL;
        rc = hs_err_set(err, HS_EDATA, "model data is damaged: %s stored as %s",
                        task == HS_MLP_CLASSIFY ? "an autoencoder" : "a classifier",
                        task == HS_MLP_CLASSIFY ? "a classifier" : "an autoencoder");
    }
    *impl = m;
    *nin = m ? m->nin : 0;
    return rc;
}

static int
kind_deserialize(const unsigned char *buf, size_t len, void **impl, size_t *nin, struct hs_err *err)
{
    return hs_mlp_kind_load(buf, len, HS_MLP_CLASSIFY, impl, nin, err);
}

int
hs_mlp_kind_score(const void *impl, const double *const *x, size_t n, double *out,
                  const struct hs_task *task, struct hs_err *err)
{
    return hs_mlp_score(impl, x, n, out, task, err);
}

static void
kind_describe(const void *impl, char *buf, size_t size)
{
    const struct hs_mlp *m = impl;
    size_t len = 0;

    if (m->nhidden == 0)
        len += (size_t)snprintf(buf, size, "none");
    for (size_t l = 0; l < m->nhidden && len < size; l++)
        len += (size_t)snprintf(buf + len, size - len, "%s%zu", l ? "," : "", m->width[l]);
    if (len < size)
        snprintf(buf + len, size - len, " %s", hs_act_name(m->act));
}

int
hs_mlp_kind_export_c(const void *impl, const char *const *names, const char *func, char **out,
                     struct hs_err *err)
{
    return hs_mlp_export_c(impl, names, func, out, err);
}

void
hs_mlp_kind_free(void *impl)
{
    hs_mlp_free(impl);
}

const struct hs_model_kind hs_model_kind_mlp = {
    .name = "mlp",
    .serialize = hs_mlp_kind_serialize,
    .deserialize = kind_deserialize,
    .score = hs_mlp_kind_score,
    .describe = kind_describe,
    .details = NULL,
    .export_c = hs_mlp_kind_export_c,
    .free = hs_mlp_kind_free,
};

/* ae.c: the "ae" method (see ae.h): its parameters, the autoencoder's
 * configuration of the MLP's trainer, and the model kind "ae".
 *
 * The trainer picks its rows by label (0 or 1 train, anything else is
 * left out), so the method hands it labels of its own: 0 for the rows
 * the autoencoder learns from, NaN for the rest.  With `--train-on
 * background` those are the label-0 rows; the training and validation
 * parts are chosen by `part` as for every method, and a selection
 * (--where, --cut) has already left its other rows out.
 */
#include "config.h"

#include "ae.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cexport.h"
#include "mem.h"
#include "mlp.h"
#include "mlp_int.h"
#include "numparse.h"
#include "strbuf.h"

/* Hidden layers: the encoder's, the bottleneck, the decoder's. */
#define AE_MAX_ENCODER ((HS_MLP_MAX_HIDDEN - 1) / 2)

enum {
    P_ENCODER,
    P_BOTTLENECK,
    P_ACTIVATION,
    P_LR,
    P_BATCH,
    P_EPOCHS,
    P_L2,
    P_PATIENCE,
    P_SEED,
    P_TRAIN_ON,
    P_NEGW,
    P_VARIATIONAL,
    P_BETA,
    P_VAE_SCORE,
};

enum { TRAIN_ON_BACKGROUND, TRAIN_ON_ALL };
static const char *const train_on_names[] = {[TRAIN_ON_BACKGROUND] = "background",
                                             [TRAIN_ON_ALL] = "all", NULL};
/* In the order of enum hs_mlp_score. */
static const char *const score_names[] = {"recon", "kl", NULL};

static const struct hs_param_spec ae_params[] = {
    [P_ENCODER] = {.name = "encoder",
                   .type = HS_PARAM_INTS,
                   .def = "32,16",
                   .min = 1,
                   .max = HS_MLP_MAX_WIDTH,
                   .max_items = AE_MAX_ENCODER,
                   .noun = "widths",
                   .metavar = "W,W,...",
                   .help = "encoder hidden layer widths, mirrored by the decoder ('none': the "
                           "bottleneck alone)"},
    [P_BOTTLENECK] = {.name = "bottleneck",
                      .type = HS_PARAM_INT,
                      .def = "4",
                      .min = 1,
                      .max = HS_MLP_MAX_WIDTH,
                      .metavar = "K",
                      .help = "width of the linear code (latent dimensions of --variational)"},
    [P_ACTIVATION] = {.name = "activation",
                      .type = HS_PARAM_CHOICE,
                      .def = "relu",
                      .choices = hs_mlp_act_names,
                      .metavar = "ACT",
                      .help = "activation of the encoder's and decoder's hidden layers"},
    [P_LR] = {.name = "lr",
              .type = HS_PARAM_REAL,
              .def = "0.001",
              .min = 1e-12,
              .max = 100,
              .metavar = "X",
              .help = "learning rate of Adam"},
    [P_BATCH] = HS_MLP_SPEC_BATCH,
    [P_EPOCHS] = HS_MLP_SPEC_EPOCHS,
    [P_L2] = {.name = "l2",
              .type = HS_PARAM_REAL,
              .def = "0",
              .max = 1e6,
              .metavar = "X",
              .help = "L2 penalty alpha"},
    [P_PATIENCE] = HS_MLP_SPEC_PATIENCE,
    [P_SEED] = {.name = "seed",
                .type = HS_PARAM_SEED,
                .def = "0",
                .metavar = "K",
                .help = "seed of the initialisation, the shuffles and the latents' noise"},
    [P_TRAIN_ON] = {.name = "train-on",
                    .type = HS_PARAM_CHOICE,
                    .def = "background",
                    .choices = train_on_names,
                    .metavar = "WHICH",
                    .help = "learn to reconstruct the background (label 0) of the training "
                            "part, or all of it"},
    [P_NEGW] = HS_MLP_SPEC_NEGW,
    [P_VARIATIONAL] = {.name = "variational",
                       .type = HS_PARAM_FLAG,
                       .def = "0",
                       .help = "a variational autoencoder: Gaussian latents, KL term"},
    [P_BETA] = {.name = "beta",
                .type = HS_PARAM_REAL,
                .def = "1",
                .max = 1e6,
                .metavar = "X",
                .help = "weight of the KL term of --variational"},
    [P_VAE_SCORE] = {.name = "vae-score",
                     .type = HS_PARAM_CHOICE,
                     .def = "recon",
                     .choices = score_names,
                     .metavar = "S",
                     .help = "score of --variational: -log p(x | z = mean) or the KL"},
    {0},
};

static int
ae_check(const struct hs_params *p, struct hs_err *err)
{
    bool var = hs_params_flag(p, P_VARIATIONAL);

    if (!var && p->v[P_BETA].given)
        return hs_err_set(err, HS_EUSAGE, "--beta weighs the KL term of --variational only");
    if (!var && p->v[P_VAE_SCORE].given)
        return hs_err_set(err, HS_EUSAGE, "--vae-score chooses the score of --variational only");
    return HS_OK;
}

/* The network's configuration of the parameters. */
static int
ae_config(const struct hs_params *p, struct hs_mlp_config *c, struct hs_err *err)
{
    const double *enc;
    size_t ne = hs_params_list(p, P_ENCODER, &enc);
    int rc;

    if ((rc = ae_check(p, err)))
        return rc;
    hs_mlp_config_default(c);
    c->task = HS_MLP_RECONSTRUCT;
    c->nhidden = 2 * ne + 1;
    for (size_t l = 0; l < ne; l++) {
        c->width[l] = (size_t)enc[l];
        c->width[2 * ne - l] = (size_t)enc[l];
    }
    c->width[ne] = hs_params_int(p, P_BOTTLENECK);
    c->bottleneck = ne + 1;
    for (size_t l = 0; l < HS_MLP_MAX_HIDDEN; l++)
        c->dropout[l] = 0;
    c->act = (enum hs_act)hs_params_choice(p, P_ACTIVATION);
    c->optim = HS_OPTIM_ADAM;
    c->lr = hs_params_real(p, P_LR);
    c->batch = hs_params_int(p, P_BATCH);
    c->epochs = hs_params_int(p, P_EPOCHS);
    c->l2 = hs_params_real(p, P_L2);
    c->patience = hs_params_int(p, P_PATIENCE);
    c->seed = hs_params_seed(p, P_SEED);
    c->negw = (enum hs_negw)hs_params_choice(p, P_NEGW);
    c->balance = false;
    c->variational = hs_params_flag(p, P_VARIATIONAL);
    c->beta = c->variational ? hs_params_real(p, P_BETA) : 0.0;
    c->score = c->variational ? (enum hs_mlp_score)hs_params_choice(p, P_VAE_SCORE)
                              : HS_MLP_SCORE_RECON;
    return HS_OK;
}

/* "32,16,[4],16,32 relu": the layers, the bottleneck in brackets. */
static size_t
shape_text(const struct hs_mlp *m, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    for (size_t l = 0; l < m->nhidden && len < size; l++)
        len += (size_t)snprintf(buf + len, size - len, l + 1 == m->bottleneck ? "%s[%zu]" : "%s%zu",
                                l ? "," : "", m->width[l]);
    if (len < size)
        len += (size_t)snprintf(buf + len, size - len, " %s, %s", hs_act_name(m->act),
                                m->variational ? "variational" : "autoencoder");
    if (len < size && m->variational) {
        char nb[HS_NUM_BUF];
        hs_num_format(m->beta, nb);
        len += (size_t)snprintf(buf + len, size - len, " beta %s, score %s", nb,
                                score_names[m->score]);
    }
    return len < size ? len : size;
}

static void
ae_describe(const struct hs_params *p, char *buf, size_t size)
{
    struct hs_mlp_config c;
    struct hs_mlp m = {0};
    char lr[HS_NUM_BUF];
    size_t len;

    if (ae_config(p, &c, NULL) != HS_OK) {
        snprintf(buf, size, "ae");
        return;
    }
    m.nhidden = c.nhidden;
    m.width = c.width;
    m.act = c.act;
    m.bottleneck = c.bottleneck;
    m.variational = c.variational;
    m.beta = c.beta;
    m.score = c.score;
    len = shape_text(&m, buf, size);
    hs_num_format(c.lr, lr);
    if (len < size)
        snprintf(buf + len, size - len, ", adam lr %s, batch %zu, trained on %s", lr, c.batch,
                 train_on_names[hs_params_choice(p, P_TRAIN_ON)]);
}

/* ---- the life cycle ---------------------------------------------------- */

struct ae_state {
    struct hs_mlp_trainer *tr; /* first: hs_mlp_state_step reads it */
    double *label;           /* 0: a row to learn from; NaN: not */
};

static void
ae_free(void *state)
{
    struct ae_state *s = state;

    if (!s)
        return;
    hs_mlp_trainer_free(s->tr);
    hs_free(s->label);
    hs_free(s);
}

static int
ae_alloc(const struct hs_params *p, const struct hs_method_data *d, void **state,
         struct hs_err *err)
{
    bool bkg = hs_params_choice(p, P_TRAIN_ON) == TRAIN_ON_BACKGROUND;
    struct hs_mlp_config c;
    struct ae_state *s;
    int rc;

    *state = NULL;
    if ((rc = ae_config(p, &c, err)))
        return rc;
    if (bkg && !d->label)
        return hs_err_set(err, HS_EUSAGE, "--train-on background needs labelled events");
    c.threads = d->threads;
    if (!(s = hs_calloc(1, sizeof *s)) || !(s->label = hs_malloc((d->n + 1) * sizeof *s->label))) {
        ae_free(s);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < d->n; i++)
        s->label[i] = !bkg || d->label[i] == 0 ? 0.0 : NAN;
    if ((rc = hs_mlp_trainer_new(&c, d->x, d->nin, s->label, d->weight, d->part, d->n, &s->tr,
                                 err))) {
        if (rc == HS_EDATA && bkg)
            hs_err_prefix(err, "--train-on background");
        ae_free(s);
        return rc;
    }
    *state = s;
    return HS_OK;
}

static int
ae_model(void *state, struct hs_model **out, struct hs_err *err)
{
    return hs_mlp_trainer_model(((struct ae_state *)state)->tr, &hs_model_kind_ae, out, err);
}


const struct hs_method hs_method_ae = {
    .name = "ae",
    .summary = "an autoencoder's reconstruction error as an anomaly score, learnt from the "
               "background (optionally variational)",
    .params = ae_params,
    .outputs = HS_METHOD_SCORE | HS_METHOD_MODEL,
    .supervised = false,
    .budget = "epochs",
    .check = ae_check,
    .describe = ae_describe,
    .alloc = ae_alloc,
    .step = hs_mlp_state_step,
    .model = ae_model,
    .report = hs_mlp_state_report,
    .free = ae_free,
};

/* ---- the stored model ------------------------------------------------- */

static int
kind_deserialize(const unsigned char *buf, size_t len, void **impl, size_t *nin, struct hs_err *err)
{
    return hs_mlp_kind_load(buf, len, HS_MLP_RECONSTRUCT, impl, nin, err);
}

static void
kind_describe(const void *impl, char *buf, size_t size)
{
    shape_text(impl, buf, size);
}

static int
kind_details(const void *impl, const char *const *names, char **out, struct hs_err *err)
{
    const struct hs_mlp *m = impl;
    struct hs_strbuf b = {0};
    static const char *const what[] = {
        "the mean squared error of the reconstruction of the standardised inputs",
        "-log p(x | z = mean): sum of (xhat - x)^2 / 2 + n log(2 pi) / 2, the latents at "
        "their means",
        "KL(q(z|x) || N(0, 1)) of the latents",
    };

    (void)names;
    hs_strbuf_printf(&b, "anomaly score: %s (higher = less like the training events)\n",
                     what[!m->variational ? 0 : m->score == HS_MLP_SCORE_KL ? 2 : 1]);
    hs_strbuf_printf(&b, "bottleneck: %zu %s; inputs standardised with the training events' "
                         "mean and sd, a missing input taken as the mean\n",
                     m->width[m->bottleneck - 1],
                     m->variational ? "Gaussian latents" : "linear units");
    return hs_cexport_finish(&b, out, err);
}

const struct hs_model_kind hs_model_kind_ae = {
    .name = "ae",
    .serialize = hs_mlp_kind_serialize,
    .deserialize = kind_deserialize,
    .score = hs_mlp_kind_score,
    .describe = kind_describe,
    .details = kind_details,
    .export_c = hs_mlp_kind_export_c,
    .free = hs_mlp_kind_free,
};

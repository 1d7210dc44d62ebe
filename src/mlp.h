/* mlp.h: a fully connected neural network classifier (multilayer
 * perceptron) for signal against background.
 *
 * The network: inputs standardised with the training part's mean and
 * standard deviation (a missing input becomes the training mean, i.e. 0
 * after standardising, and is counted), any number of hidden layers of any
 * width with one activation, and one sigmoid output read as the
 * probability of signal.  The loss is the binary cross-entropy, weighted
 * by the event weights, plus alpha/2 times the sum of the squared weights
 * (not the biases).  Everything is double precision.
 *
 * Training: mini-batches in a seeded shuffled order, the batch as one
 * matrix so that every layer is one GEMM (CBLAS) forward and two backward;
 * SGD with momentum (optionally Nesterov) or Adam; optional learning-rate
 * decay lr / (1 + decay * epoch); dropout per hidden layer (inverted, so
 * scoring needs no scaling); He initialisation for relu and leaky relu,
 * Glorot for the others.  After each epoch the loss, the validation loss
 * and the validation AUC are measured; training stops when the validation
 * loss has not improved for `patience` epochs, and the weights of the best
 * epoch are kept.  Same seed and one thread: bit-identical weights.
 *
 * Cancel: the training checks the task's flag after every batch; once an
 * epoch has finished it returns HS_OK with the best model so far and
 * `cancelled` set, before that HS_ECANCELLED.
 */
#ifndef HS_MLP_H
#define HS_MLP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "method.h"
#include "task.h"

#define HS_MLP_MAX_HIDDEN 16
#define HS_MLP_MAX_WIDTH 4096

enum hs_act {
    HS_ACT_RELU = 0,
    HS_ACT_LEAKY_RELU, /* slope 0.01 below 0 */
    HS_ACT_TANH,
    HS_ACT_SIGMOID,
    HS_ACT_IDENTITY,
};

enum hs_optim {
    HS_OPTIM_ADAM = 0,
    HS_OPTIM_SGD,      /* with momentum (0 for plain SGD) */
    HS_OPTIM_NESTEROV, /* SGD with Nesterov momentum */
};

/* What a negative event weight does in training (scoring ignores weights;
 * evaluation always uses them as given). */
enum hs_negw {
    HS_NEGW_USE = 0, /* as given: the loss of that event counts negatively */
    HS_NEGW_IGNORE,  /* the event is left out of training */
    HS_NEGW_CLIP,    /* its weight becomes 0 (it stays in the batches) */
};

/* What the network learns. */
enum hs_mlp_task {
    HS_MLP_CLASSIFY = 0, /* one sigmoid output, the probability of signal; cross-entropy */
    HS_MLP_RECONSTRUCT,  /* nin linear outputs reproducing the standardised inputs (an
                            autoencoder); mean squared error, or for a variational network
                            the Gaussian negative log-likelihood plus beta times the KL */
};

/* The score of a reconstructing network. */
enum hs_mlp_score {
    HS_MLP_SCORE_RECON = 0, /* the reconstruction error (see hs_mlp_row_scores) */
    HS_MLP_SCORE_KL,        /* variational: KL(q(z|x) || N(0, 1)) */
};

/* "relu", "leaky_relu", "tanh", "sigmoid", "identity"; "adam", "sgd",
 * "nesterov"; "use", "ignore", "clip"; and back (-1 when unknown). */
const char *hs_act_name(enum hs_act a);
/* The same names as NULL-ended lists, for parameter specs. */
extern const char *const hs_mlp_act_names[];
extern const char *const hs_mlp_negw_names[];
int hs_act_parse(const char *s);
const char *hs_optim_name(enum hs_optim o);
int hs_optim_parse(const char *s);
const char *hs_negw_name(enum hs_negw p);
int hs_negw_parse(const char *s);

struct hs_mlp_config {
    size_t nhidden;                       /* hidden layers (0: logistic regression) */
    size_t width[HS_MLP_MAX_HIDDEN];      /* their widths */
    double dropout[HS_MLP_MAX_HIDDEN];    /* dropout rate of each hidden layer's output, [0, 1) */
    enum hs_act act;
    enum hs_optim optim;
    double lr;           /* learning rate */
    double lr_decay;     /* lr / (1 + lr_decay * epoch); 0: constant */
    double momentum;     /* SGD and Nesterov */
    double beta1, beta2, eps; /* Adam */
    double l2;           /* alpha */
    size_t batch, epochs;
    size_t patience;     /* epochs without a better validation loss; 0: no early stopping */
    uint64_t seed;
    bool balance;        /* reweight the classes of the training part to equal weight sums */
    enum hs_negw negw;
    int threads;         /* for the GEMMs; 0: the library's default */
    /* Reconstruction (all 0 for the classifier): */
    enum hs_mlp_task task;
    size_t bottleneck;   /* 1-based hidden layer without activation, the code; 0: none */
    bool variational;    /* the bottleneck gives the mean and log variance of width[b]
                            Gaussian latents, sampled by reparameterisation in training */
    double beta;         /* variational: the KL's weight in the loss */
    enum hs_mlp_score score;
    /* Called after every epoch from the training thread (may be NULL). */
    void (*on_epoch)(void *user, const struct hs_epoch_info *e);
    void *on_epoch_user;
};

/* The method "mlp" (src/mlp_method.c: its parameter spec holds the
 * defaults) and the kind of its stored models. */
extern const struct hs_method hs_method_mlp;
struct hs_model_kind;
extern const struct hs_model_kind hs_model_kind_mlp;

/* The configuration of the method's parameters (p from hs_method_params
 * of hs_method_mlp); HS_EUSAGE when they disagree (a dropout rate per
 * layer for another number of layers). */
int hs_mlp_config_from_params(const struct hs_params *p, struct hs_mlp_config *c,
                              struct hs_err *err);
/* "64,64 relu, adam lr 0.001, batch 256, l2 0.0001, dropout 0.1" */
void hs_mlp_describe_config(const struct hs_mlp_config *c, char *buf, size_t size);

/* The defaults of `hepscope train`, from the method's spec: 64,64 relu, Adam lr 1e-3 (beta 0.9,
 * 0.999, eps 1e-8), batch 256, 50 epochs, l2 1e-4, dropout 0.1, patience
 * 5, seed 0, momentum 0.9 for SGD, negative weights used. */
void hs_mlp_config_default(struct hs_mlp_config *c);

/* A trained network (or one loaded from a session): everything needed to
 * score events from the raw inputs. */
struct hs_mlp {
    size_t nin;
    size_t nhidden;
    size_t *width;       /* nhidden (a variational bottleneck: its latent count; the layer
                            itself has twice as many outputs, means then log variances) */
    enum hs_act act;
    size_t nout;         /* outputs: 1 (classifier) or nin (reconstruction) */
    enum hs_mlp_task task;
    size_t bottleneck;   /* as in the configuration */
    bool variational;
    double beta;
    enum hs_mlp_score score;
    double *mean, *sd;   /* nin: standardisation of the inputs (sd 1 where there is no spread) */
    size_t nparams;
    double *params;      /* layer after layer: weights (rows = outputs, out x in, row-major),
                            then biases; the output layer last */
};

void hs_mlp_free(struct hs_mlp *m);
/* Offsets of layer l's (0 .. nhidden) weights and biases in params, and
 * its input and output sizes (a variational bottleneck has 2 k outputs,
 * and the layer after it k inputs: the sampled latents). */
void hs_mlp_layer(const struct hs_mlp *m, size_t l, size_t *w_off, size_t *b_off, size_t *nin,
                  size_t *nout);

/* What the training saw and did. */
struct hs_mlp_result {
    struct hs_mlp *model;        /* the best epoch's weights; the caller frees it */
    struct hs_epoch_info *curve; /* one entry per epoch run */
    size_t nepochs;
    size_t best_epoch;           /* 1-based */
    bool early_stopped;
    bool cancelled;              /* stopped by the task, the best so far kept */
    size_t nimputed;             /* missing inputs replaced by the training mean (train part) */
    size_t ntrain, nval;         /* events used */
    size_t nnegative;            /* training events with a negative weight */
};
void hs_mlp_result_release(struct hs_mlp_result *r);

/* Train on the rows whose part[i] is 0 (training), validating on part 1
 * (part NULL: every row trains, no validation).  x holds nin columns of n
 * values (NaN = missing); label 1 signal, 0 background (other values and
 * NaN are left out); weight NULL for 1.  Progress (fraction of the epochs,
 * "epoch 3/50, loss 0.312") a few times a second.  A reconstructing
 * network (c->task) learns from the rows whose label is 0 or 1 all the
 * same, so a caller chooses its rows by the labels it hands over.
 * Errors: HS_EUSAGE for a bad configuration (named), HS_EDATA when a
 * class has no training event (a reconstruction: no event at all),
 * HS_ENOMEM, HS_ECANCELLED (see above). */
int hs_mlp_train(const struct hs_mlp_config *c, const double *const *x, size_t nin,
                 const double *label, const double *weight, const unsigned char *part, size_t n,
                 struct hs_mlp_result *out, const struct hs_task *task, struct hs_err *err);

/* The same in steps, for the method layer: a trainer holds everything
 * one training allocates; each hs_mlp_trainer_epoch runs one epoch (its
 * figures in *info, borrowed until the next call; *done once training is
 * over: every epoch run or stopped early).  A cancel inside an epoch
 * returns HS_ECANCELLED and leaves the finished epochs' best weights;
 * hs_mlp_trainer_result copies them out (HS_ECANCELLED when no epoch has
 * finished).  The BLAS thread count is changed only during an epoch. */
struct hs_mlp_trainer;
int hs_mlp_trainer_new(const struct hs_mlp_config *c, const double *const *x, size_t nin,
                       const double *label, const double *weight, const unsigned char *part,
                       size_t n, struct hs_mlp_trainer **out, struct hs_err *err);
int hs_mlp_trainer_epoch(struct hs_mlp_trainer *t, const struct hs_epoch_info **info, bool *done,
                         const struct hs_task *task, struct hs_err *err);
/* The fraction of the planned epochs finished. */
double hs_mlp_trainer_fraction(const struct hs_mlp_trainer *t);
/* The best model so far and the curve (new, in out; out->cancelled is
 * the caller's to set). */
int hs_mlp_trainer_result(const struct hs_mlp_trainer *t, struct hs_mlp_result *out,
                          struct hs_err *err);
/* What the training did so far (curve borrowed from t). */
void hs_mlp_trainer_report(const struct hs_mlp_trainer *t, struct hs_method_report *r);
void hs_mlp_trainer_free(struct hs_mlp_trainer *t);

/* Scores of n events from their raw inputs (nin columns, NaN imputed as
 * in training), batched through the GEMMs: a classifier's probability of
 * signal, a reconstructing network's anomaly score (hs_mlp_row_scores).
 * Cancellable. */
int hs_mlp_score(const struct hs_mlp *m, const double *const *x, size_t n, double *out,
                 const struct hs_task *task, struct hs_err *err);

/* ---- for the tests: the loss and its gradient ----
 * The weighted mean cross-entropy of the rows [0, n) (all rows of x, no
 * dropout) plus the L2 term, and its gradient with respect to every
 * parameter (grad: m->nparams values), from standardised inputs.  A
 * reconstructing network ignores label (every row counts) and takes its
 * own loss; a variational one draws its latents from a generator seeded
 * the same on every call, so that finite differences see one function. */
int hs_mlp_loss_grad(const struct hs_mlp *m, const double *const *x, const double *label,
                     const double *weight, size_t n, double l2, double *loss, double *grad,
                     struct hs_err *err);
/* A network of the configuration's shape, initialised from its seed, with
 * mean 0 and sd 1 standardisation. */
int hs_mlp_new(const struct hs_mlp_config *c, size_t nin, struct hs_mlp **out,
               struct hs_err *err);

/* A copy of src (new, hs_mlp_free). */
int hs_mlp_copy(const struct hs_mlp *src, struct hs_mlp **out, struct hs_err *err);

/* For a method built on the trainer (mlp_method.c, ae.c), whose state
 * begins with its struct hs_mlp_trainer pointer: one epoch as a method
 * step, the report, and the best model so far as a model of kind. */
int hs_mlp_state_step(void *state, struct hs_method_status *st, const struct hs_task *task,
                      struct hs_err *err);
void hs_mlp_state_report(void *state, struct hs_method_report *r);
struct hs_model;
int hs_mlp_trainer_model(const struct hs_mlp_trainer *t, const struct hs_model_kind *kind,
                         struct hs_model **out, struct hs_err *err);
/* A model kind's entries for a network (impl: a struct hs_mlp); load
 * refuses a network of another task than `task` (HS_EDATA). */
int hs_mlp_kind_serialize(const void *impl, unsigned char **buf, size_t *len, struct hs_err *err);
int hs_mlp_kind_load(const unsigned char *buf, size_t len, enum hs_mlp_task task, void **impl,
                     size_t *nin, struct hs_err *err);
int hs_mlp_kind_score(const void *impl, const double *const *x, size_t n, double *out,
                      const struct hs_task *task, struct hs_err *err);
int hs_mlp_kind_export_c(const void *impl, const char *const *names, const char *func,
                         char **out, struct hs_err *err);
void hs_mlp_kind_free(void *impl);

/* ---- storage and export (mlp_io.c) ---- */

/* The model as a portable byte string (little-endian doubles, a version
 * and the shape first) and back; a damaged or foreign string is HS_EDATA. */
int hs_mlp_serialize(const struct hs_mlp *m, unsigned char **buf, size_t *len,
                     struct hs_err *err);
int hs_mlp_deserialize(const unsigned char *buf, size_t len, struct hs_mlp **out,
                       struct hs_err *err);

/* A dependency-free C99 source file defining
 *   double FUNC(const double *x);
 * the score of one event from its raw inputs x[0..nin) in the order of
 * names (listed in a comment, with the standardisation), missing values
 * (NaN) imputed as in training; only <math.h>.  Numbers are written so
 * they read back exactly, so the function agrees with hs_mlp_score to
 * rounding.  func must be a C identifier.  New string (hs_free). */
int hs_mlp_export_c(const struct hs_mlp *m, const char *const *names, const char *func,
                    char **out, struct hs_err *err);

#endif

/* mlp_int.h: what mlp.c shares with mlp_train.c: the seeded generator,
 * the batch workspace and the batched forward and backward kernels.
 *
 * The kernels see one mini-batch as row-major matrices (rows = events):
 * the input X (rows x nin), each layer's output (rows x width).  Layer l
 * with weights W (out x in, row-major) is out = act(in W^T + b): one GEMM,
 * then one fused loop adding the bias and applying the activation.
 */
#ifndef HS_MLP_INT_H
#define HS_MLP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "mlp.h"
#include "rng.h"

/* The generator (rng.h) seeded for one stream (initialisation,
 * shuffling, dropout) of a seed, so that the weights depend on the seed
 * alone. */
void hs_mlp_rng_seed(struct hs_rng *r, uint64_t seed, uint64_t stream);

/* Buffers for batches of up to cap rows, allocated once. */
struct hs_mlp_ws {
    size_t cap;
    size_t nhidden;
    double *act[HS_MLP_MAX_HIDDEN + 1]; /* activations (pre-dropout); the last: logits */
    double *mask[HS_MLP_MAX_HIDDEN];    /* dropout scales 0 or 1/(1-p); NULL: no dropout */
    double *drop[HS_MLP_MAX_HIDDEN];    /* act times mask, the next layer's input */
    double *delta[2];                   /* cap x widest layer, used in turn */
    /* A variational bottleneck of k latents (NULL otherwise): */
    double *z, *eps, *dz;               /* cap x k: latents, their N(0, 1) draws, dL/dz */
    double *klw;                        /* cap: each row's KL weight in the backward pass,
                                           set by hs_mlp_rows_loss */
};

/* Workspace for m's shape; with_dropout[l] non-zero gives hidden layer l a
 * mask (with_dropout may be NULL). */
int hs_mlp_ws_init(struct hs_mlp_ws *ws, const struct hs_mlp *m, size_t cap,
                   const double *dropout, struct hs_err *err);
void hs_mlp_ws_release(struct hs_mlp_ws *ws);

/* Forward pass of rows events of X (rows x m->nin, row-major, standardised)
 * with the parameters p (m's layout); the outputs (rows x m->nout: the
 * logits, or the reconstruction) end in ws->act[nhidden].  dropout (per
 * hidden layer, may be NULL) draws masks from rng; a variational
 * bottleneck draws its latents' noise from rng too, and without rng takes
 * each latent at its mean (scoring, validation). */
void hs_mlp_forward(const struct hs_mlp *m, const double *p, struct hs_mlp_ws *ws,
                    const double *X, size_t rows, const double *dropout, struct hs_rng *rng);

/* Backward pass after hs_mlp_forward on the same X: dout (rows x nout) is
 * the derivative of the loss by each output; grad (m->nparams) receives
 * the gradient (overwritten, no L2).  A variational bottleneck adds the KL
 * term's gradient, weighted per row by ws->klw. */
void hs_mlp_backward(const struct hs_mlp *m, const double *p, struct hs_mlp_ws *ws,
                     const double *X, size_t rows, const double *dout, const double *dropout,
                     double *grad);

/* The binary cross-entropy of logit z for label y, from the logit so that
 * no probability rounds to 0 or 1 first: softplus(z) - y z. */
double hs_mlp_bce(double z, double y);
/* The sigmoid without overflow. */
double hs_mlp_sigmoid(double z);

/* After hs_mlp_forward on X (rows x nin, standardised): the weighted loss
 * sum over the rows, sum_r w[r] l_r (w NULL: 1), with dout (rows x nout,
 * or NULL) the derivative of the batch loss by each output, w[r] inv
 * dl_r/dout.  y: the labels of a classifier (ignored otherwise).  A
 * variational network's ws->klw gets each row's KL weight. */
double hs_mlp_rows_loss(const struct hs_mlp *m, struct hs_mlp_ws *ws, const double *X,
                        size_t rows, const double *y, const double *w, double inv, double *dout);
/* After hs_mlp_forward on X: each row's score (see hs_mlp_score). */
void hs_mlp_row_scores(const struct hs_mlp *m, const struct hs_mlp_ws *ws, const double *X,
                       size_t rows, double *out);

/* Parameters the network's methods (mlp, ae) share, as spec entries. */
#define HS_MLP_SPEC_BATCH                                                                   \
    {.name = "batch", .type = HS_PARAM_INT, .def = "256", .min = 1, .max = 1 << 24,         \
     .metavar = "N", .help = "mini-batch size"}
#define HS_MLP_SPEC_EPOCHS                                                                  \
    {.name = "epochs", .type = HS_PARAM_INT, .def = "50", .min = 1, .max = 100000,          \
     .metavar = "N", .help = "most epochs"}
#define HS_MLP_SPEC_PATIENCE                                                                \
    {.name = "patience", .type = HS_PARAM_INT, .def = "5", .max = 100000, .metavar = "N",   \
     .help = "stop after N epochs without a better validation loss (0: never)"}
#define HS_MLP_SPEC_NEGW                                                                    \
    {.name = "negative-weights", .type = HS_PARAM_CHOICE, .def = "use",                     \
     .choices = hs_mlp_negw_names, .metavar = "POLICY",                                     \
     .help = "negative event weights in training"}

/* Checks of the configuration shared by hs_mlp_new and hs_mlp_train. */
int hs_mlp_check_shape(const struct hs_mlp_config *c, size_t nin, struct hs_err *err);

/* The parameter count of m's shape (every field but nparams and params set). */
size_t hs_mlp_count_params(const struct hs_mlp *m);

/* Monotonic seconds. */
double hs_mlp_now(void);

/* Set the BLAS threads (threads > 0), returning the previous count (0
 * when unknown or unchanged) for hs_mlp_threads_restore. */
int hs_mlp_threads_set(int threads);
void hs_mlp_threads_restore(int previous);

#endif

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
};

/* Workspace for m's shape; with_dropout[l] non-zero gives hidden layer l a
 * mask (with_dropout may be NULL). */
int hs_mlp_ws_init(struct hs_mlp_ws *ws, const struct hs_mlp *m, size_t cap,
                   const double *dropout, struct hs_err *err);
void hs_mlp_ws_release(struct hs_mlp_ws *ws);

/* Forward pass of rows events of X (rows x m->nin, row-major, standardised)
 * with the parameters p (m's layout); the logits end in ws->act[nhidden].
 * dropout (per hidden layer, may be NULL) draws masks from rng. */
void hs_mlp_forward(const struct hs_mlp *m, const double *p, struct hs_mlp_ws *ws,
                    const double *X, size_t rows, const double *dropout, struct hs_rng *rng);

/* Backward pass after hs_mlp_forward on the same X: dout (rows values) is
 * the derivative of the loss by each logit; grad (m->nparams) receives the
 * gradient (overwritten, no L2). */
void hs_mlp_backward(const struct hs_mlp *m, const double *p, struct hs_mlp_ws *ws,
                     const double *X, size_t rows, const double *dout, const double *dropout,
                     double *grad);

/* The binary cross-entropy of logit z for label y, from the logit so that
 * no probability rounds to 0 or 1 first: softplus(z) - y z. */
double hs_mlp_bce(double z, double y);
/* The sigmoid without overflow. */
double hs_mlp_sigmoid(double z);

/* Checks of the configuration shared by hs_mlp_new and hs_mlp_train. */
int hs_mlp_check_shape(const struct hs_mlp_config *c, size_t nin, struct hs_err *err);

/* Layers as (weights, biases, in, out) without the struct hs_mlp. */
size_t hs_mlp_count_params(size_t nin, size_t nhidden, const size_t *width);

/* Monotonic seconds. */
double hs_mlp_now(void);

/* Set the BLAS threads (threads > 0), returning the previous count (0
 * when unknown or unchanged) for hs_mlp_threads_restore. */
int hs_mlp_threads_set(int threads);
void hs_mlp_threads_restore(int previous);

#endif

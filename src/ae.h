/* ae.h: an autoencoder anomaly score, a method of the method layer
 * (src/method.h) and its model kind (src/model.h).
 *
 * The network is the MLP's (src/mlp.h) with a reconstruction head:
 * inputs standardised with the training rows' mean and sd (stored in the
 * model), the encoder's hidden layers, a linear bottleneck of k units, the
 * encoder's widths mirrored, and nin linear outputs.  It learns to
 * reproduce its inputs from the background of the training part
 * (`--train-on background`, label 0; `all`: every event of it), so an
 * event unlike that background reconstructs badly.  The score is the mean
 * squared error of the reconstruction over the standardised inputs:
 * higher is more anomalous, so ROC, cuts and the rest read it as a
 * signal-like score against the label the fit never saw.
 *
 * `--variational`: the bottleneck gives the mean and log variance of k
 * Gaussian latents, sampled in training by reparameterisation (z = mu +
 * sigma eps); the loss is the unit-variance Gaussian reconstruction's
 * negative log-likelihood plus beta times KL(q(z|x) || N(0, 1)) (the
 * beta-VAE's negative ELBO).  Its score (`--vae-score`) is -log p(x | z =
 * mu), the reconstruction probability at the latents' means, or the KL.
 *
 * Missing inputs (NaN) become the training mean, 0 after standardising,
 * as in the MLP, both as an input and as the value to reconstruct: an
 * imputed input adds the error of reconstructing its mean.  Optimiser
 * (Adam), batches, threads, early stopping on the validation part's loss
 * (its rows chosen as the training rows are) and the negative-weight
 * policy are the MLP's.
 */
#ifndef HS_AE_H
#define HS_AE_H

#include "method.h"
#include "model.h"

extern const struct hs_method hs_method_ae;
extern const struct hs_model_kind hs_model_kind_ae;

#endif

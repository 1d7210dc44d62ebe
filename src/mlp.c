/* mlp.c: the network itself: names of the options, construction and
 * initialisation, the batched forward and backward kernels (mlp_int.h),
 * the loss and its gradient, and scoring.  Training is mlp_train.c.
 *
 * Kernels: a batch is a row-major matrix (events x features), so that each
 * layer is one dgemm forward (in W^T) and at most two backward (delta^T in
 * for the weights, delta W for the input delta), and everything else is a
 * tight loop over a contiguous matrix.  Activation derivatives come from
 * the activations themselves (relu: a > 0, tanh: 1 - a^2, sigmoid:
 * a (1 - a)), so no pre-activation copy is kept.  At exactly 0 relu's
 * derivative is taken as 0 and leaky relu's as 0.01.
 *
 * Initialisation: hidden layers with relu or leaky relu draw He normal
 * weights (sd sqrt(2 / fan_in)), other activations Glorot uniform
 * (limit sqrt(6 / (fan_in + fan_out))); the output layer, feeding a
 * sigmoid, is always Glorot uniform; biases start at 0.  A reconstructing
 * network draws weights and biases from U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
 * PyTorch's nn.Linear default: on the demo's background it reached a
 * lower reconstruction loss in the same epochs than He and Glorot did.
 */
#include "config.h"

#include "mlp.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#ifdef HAVE_OPENBLAS
#include <cblas.h>
#else
#include <gsl/gsl_cblas.h>
#endif

#include "mem.h"
#include "mlp_int.h"
#include "par.h"
#include "simd.h"

/* Rows per GEMM when scoring: big enough for the BLAS to be efficient,
 * small enough for the buffers to stay in cache and a cancel to be quick. */
#define HS_MLP_SCORE_CHUNK 4096

/* ---- the generator ---- */

void
hs_mlp_rng_seed(struct hs_rng *r, uint64_t seed, uint64_t stream)
{
    /* Streams (initialisation, shuffling) differ by a large odd multiple
     * so that they do not overlap for nearby seeds. */
    hs_rng_seed(r, seed ^ (stream * UINT64_C(0xd1342543de82ef95)));
}

static double
rng_normal(struct hs_rng *r)
{
    /* Box-Muller, one deviate per pair: initialisation is not hot. */
    double u = 1.0 - hs_rng_unit(r); /* (0, 1] */
    double v = hs_rng_unit(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* ---- time and threads ---- */

double
hs_mlp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int
hs_mlp_threads_set(int threads)
{
#ifdef HAVE_OPENBLAS
    if (threads > 0) {
        int prev = openblas_get_num_threads();
        openblas_set_num_threads(threads);
        return prev;
    }
#else
    (void)threads;
#endif
    return 0;
}

void
hs_mlp_threads_restore(int previous)
{
#ifdef HAVE_OPENBLAS
    if (previous > 0)
        openblas_set_num_threads(previous);
#else
    (void)previous;
#endif
}

/* ---- the model ---- */

/* Layer k's outputs: a variational bottleneck gives a mean and a log
 * variance per latent. */
static size_t
layer_out(const struct hs_mlp *m, size_t k)
{
    if (k >= m->nhidden)
        return m->nout;
    return m->variational && k + 1 == m->bottleneck ? 2 * m->width[k] : m->width[k];
}

/* Layer k's inputs: after a variational bottleneck, its sampled latents. */
static size_t
layer_in(const struct hs_mlp *m, size_t k)
{
    return k == 0 ? m->nin : m->width[k - 1];
}

/* The bottleneck is linear, as a code is in an autoencoder (and a linear
 * autoencoder is then PCA's subspace). */
static enum hs_act
layer_act(const struct hs_mlp *m, size_t k)
{
    return k + 1 == m->bottleneck ? HS_ACT_IDENTITY : m->act;
}

size_t
hs_mlp_count_params(const struct hs_mlp *m)
{
    size_t n = 0;
    for (size_t l = 0; l <= m->nhidden; l++)
        n += layer_in(m, l) * layer_out(m, l) + layer_out(m, l);
    return n;
}

void
hs_mlp_free(struct hs_mlp *m)
{
    if (!m)
        return;
    hs_free(m->width);
    hs_free(m->mean);
    hs_free(m->sd);
    hs_free(m->params);
    hs_free(m);
}

void
hs_mlp_layer(const struct hs_mlp *m, size_t l, size_t *w_off, size_t *b_off, size_t *nin,
             size_t *nout)
{
    size_t off = 0, in, out;
    if (l > m->nhidden)
        l = m->nhidden;
    for (size_t k = 0; k < l; k++)
        off += layer_in(m, k) * layer_out(m, k) + layer_out(m, k);
    in = layer_in(m, l);
    out = layer_out(m, l);
    if (w_off)
        *w_off = off;
    if (b_off)
        *b_off = off + in * out;
    if (nin)
        *nin = in;
    if (nout)
        *nout = out;
}

int
hs_mlp_check_shape(const struct hs_mlp_config *c, size_t nin, struct hs_err *err)
{
    if (nin == 0)
        return hs_err_set(err, HS_EUSAGE, "the network needs at least one input");
    if (c->nhidden > HS_MLP_MAX_HIDDEN)
        return hs_err_set(err, HS_EUSAGE, "too many hidden layers: %zu (at most %d)",
                          c->nhidden, HS_MLP_MAX_HIDDEN);
    for (size_t l = 0; l < c->nhidden; l++)
        if (c->width[l] == 0 || c->width[l] > HS_MLP_MAX_WIDTH)
            return hs_err_set(err, HS_EUSAGE, "hidden layer %zu: width %zu not in 1..%d", l + 1,
                              c->width[l], HS_MLP_MAX_WIDTH);
    if ((unsigned)c->act > HS_ACT_IDENTITY)
        return hs_err_set(err, HS_EUSAGE, "unknown activation %d", (int)c->act);
    if ((unsigned)c->task > HS_MLP_RECONSTRUCT || (unsigned)c->score > HS_MLP_SCORE_KL)
        return hs_err_set(err, HS_EUSAGE, "unknown task %d or score %d", (int)c->task,
                          (int)c->score);
    if (c->bottleneck > c->nhidden)
        return hs_err_set(err, HS_EUSAGE, "bottleneck layer %zu of %zu hidden layers",
                          c->bottleneck, c->nhidden);
    if (c->task == HS_MLP_CLASSIFY && (c->bottleneck || c->variational))
        return hs_err_set(err, HS_EUSAGE, "a classifier has no bottleneck");
    if (c->variational && c->bottleneck == 0)
        return hs_err_set(err, HS_EUSAGE, "a variational network needs a bottleneck");
    if (c->variational && (!(c->beta >= 0) || !isfinite(c->beta)))
        return hs_err_set(err, HS_EUSAGE, "KL weight beta %g must be >= 0", c->beta);
    if (c->score == HS_MLP_SCORE_KL && !c->variational)
        return hs_err_set(err, HS_EUSAGE, "the KL score needs a variational network");
    return HS_OK;
}

int
hs_mlp_new(const struct hs_mlp_config *c, size_t nin, struct hs_mlp **out, struct hs_err *err)
{
    int rc = hs_mlp_check_shape(c, nin, err);
    if (rc)
        return rc;

    struct hs_mlp *m = hs_calloc(1, sizeof *m);
    if (!m)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    m->nin = nin;
    m->nhidden = c->nhidden;
    m->act = c->act;
    m->task = c->task;
    m->nout = c->task == HS_MLP_RECONSTRUCT ? nin : 1;
    m->bottleneck = c->bottleneck;
    m->variational = c->variational;
    m->beta = c->variational ? c->beta : 0.0;
    m->score = c->score;
    m->width = hs_malloc((c->nhidden ? c->nhidden : 1) * sizeof *m->width);
    m->mean = hs_malloc(nin * sizeof *m->mean);
    m->sd = hs_malloc(nin * sizeof *m->sd);
    if (!m->width || !m->mean || !m->sd) {
        hs_mlp_free(m);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t l = 0; l < c->nhidden; l++)
        m->width[l] = c->width[l];
    m->nparams = hs_mlp_count_params(m);
    if (!(m->params = hs_malloc(m->nparams * sizeof *m->params))) {
        hs_mlp_free(m);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < nin; j++) {
        m->mean[j] = 0;
        m->sd[j] = 1;
    }

    struct hs_rng rng;
    hs_mlp_rng_seed(&rng, c->seed, 1);
    for (size_t l = 0; l <= m->nhidden; l++) {
        size_t wo, bo, fi, fo;
        hs_mlp_layer(m, l, &wo, &bo, &fi, &fo);
        double *w = m->params + wo;
        enum hs_act a = layer_act(m, l);
        bool he = l < m->nhidden && (a == HS_ACT_RELU || a == HS_ACT_LEAKY_RELU);
        if (m->task == HS_MLP_RECONSTRUCT) {
            double lim = 1.0 / sqrt((double)fi);
            for (size_t i = 0; i < fi * fo; i++)
                w[i] = lim * (2.0 * hs_rng_unit(&rng) - 1.0);
            for (size_t i = 0; i < fo; i++)
                m->params[bo + i] = lim * (2.0 * hs_rng_unit(&rng) - 1.0);
            continue;
        }
        if (he) {
            double sd = sqrt(2.0 / (double)fi);
            for (size_t i = 0; i < fi * fo; i++)
                w[i] = sd * rng_normal(&rng);
        } else {
            double lim = sqrt(6.0 / (double)(fi + fo));
            for (size_t i = 0; i < fi * fo; i++)
                w[i] = lim * (2.0 * hs_rng_unit(&rng) - 1.0);
        }
        memset(m->params + bo, 0, fo * sizeof(double));
    }
    *out = m;
    return HS_OK;
}

int
hs_mlp_copy(const struct hs_mlp *src, struct hs_mlp **out, struct hs_err *err)
{
    struct hs_mlp *m = hs_calloc(1, sizeof *m);

    *out = NULL;
    if (!m)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    *m = *src;
    m->width = hs_malloc((src->nhidden ? src->nhidden : 1) * sizeof *m->width);
    m->mean = hs_malloc(src->nin * sizeof *m->mean);
    m->sd = hs_malloc(src->nin * sizeof *m->sd);
    m->params = hs_malloc(src->nparams * sizeof *m->params);
    if (!m->width || !m->mean || !m->sd || !m->params) {
        hs_mlp_free(m);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    memcpy(m->width, src->width, src->nhidden * sizeof *m->width);
    memcpy(m->mean, src->mean, src->nin * sizeof *m->mean);
    memcpy(m->sd, src->sd, src->nin * sizeof *m->sd);
    memcpy(m->params, src->params, src->nparams * sizeof *m->params);
    *out = m;
    return HS_OK;
}

/* ---- workspace and kernels ---- */

int
hs_mlp_ws_init(struct hs_mlp_ws *ws, const struct hs_mlp *m, size_t cap, const double *dropout,
               struct hs_err *err)
{
    memset(ws, 0, sizeof *ws);
    ws->cap = cap;
    ws->nhidden = m->nhidden;
    size_t widest = 1;
    for (size_t l = 0; l < m->nhidden; l++) {
        size_t w = layer_out(m, l);
        if (w > widest)
            widest = w;
        ws->act[l] = hs_malloc(cap * w * sizeof(double));
        if (!ws->act[l])
            goto nomem;
        if (dropout && dropout[l] > 0) {
            ws->mask[l] = hs_malloc(cap * w * sizeof(double));
            ws->drop[l] = hs_malloc(cap * w * sizeof(double));
            if (!ws->mask[l] || !ws->drop[l])
                goto nomem;
        }
    }
    ws->act[m->nhidden] = hs_malloc(cap * m->nout * sizeof(double));
    ws->delta[0] = hs_malloc(cap * widest * sizeof(double));
    ws->delta[1] = hs_malloc(cap * widest * sizeof(double));
    if (!ws->act[m->nhidden] || !ws->delta[0] || !ws->delta[1])
        goto nomem;
    if (m->variational) {
        size_t k = m->width[m->bottleneck - 1];
        ws->z = hs_malloc(cap * k * sizeof(double));
        ws->eps = hs_malloc(cap * k * sizeof(double));
        ws->dz = hs_malloc(cap * k * sizeof(double));
        ws->klw = hs_calloc(cap, sizeof(double));
        if (!ws->z || !ws->eps || !ws->dz || !ws->klw)
            goto nomem;
    }
    return HS_OK;
nomem:
    hs_mlp_ws_release(ws);
    return hs_err_set(err, HS_ENOMEM, "out of memory");
}

void
hs_mlp_ws_release(struct hs_mlp_ws *ws)
{
    for (size_t l = 0; l <= HS_MLP_MAX_HIDDEN; l++)
        hs_free(ws->act[l]);
    for (size_t l = 0; l < HS_MLP_MAX_HIDDEN; l++) {
        hs_free(ws->mask[l]);
        hs_free(ws->drop[l]);
    }
    hs_free(ws->delta[0]);
    hs_free(ws->delta[1]);
    hs_free(ws->z);
    hs_free(ws->eps);
    hs_free(ws->dz);
    hs_free(ws->klw);
    memset(ws, 0, sizeof *ws);
}

double
hs_mlp_sigmoid(double z)
{
    if (z >= 0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

double
hs_mlp_bce(double z, double y)
{
    /* softplus(z) = max(z, 0) + log1p(exp(-|z|)); -log p = softplus(-z),
     * -log(1 - p) = softplus(z), so y=1 and y=0 both come out exact. */
    return (z > 0 ? z : 0.0) + log1p(exp(-fabs(z))) - y * z;
}

/* Bias and activation over a rows x n matrix in one pass. */
static void
bias_act(double *a, size_t rows, size_t n, const double *b, enum hs_act act)
{
    switch (act) {
    case HS_ACT_RELU:
        for (size_t r = 0; r < rows; r++) {
            double *row = a + r * n;
            HS_SIMD
            for (size_t j = 0; j < n; j++) {
                double v = row[j] + b[j];
                row[j] = v > 0 ? v : 0.0;
            }
        }
        break;
    case HS_ACT_LEAKY_RELU:
        for (size_t r = 0; r < rows; r++) {
            double *row = a + r * n;
            HS_SIMD
            for (size_t j = 0; j < n; j++) {
                double v = row[j] + b[j];
                row[j] = v > 0 ? v : 0.01 * v;
            }
        }
        break;
    case HS_ACT_TANH:
        for (size_t r = 0; r < rows; r++) {
            double *row = a + r * n;
            for (size_t j = 0; j < n; j++)
                row[j] = tanh(row[j] + b[j]);
        }
        break;
    case HS_ACT_SIGMOID:
        for (size_t r = 0; r < rows; r++) {
            double *row = a + r * n;
            for (size_t j = 0; j < n; j++)
                row[j] = hs_mlp_sigmoid(row[j] + b[j]);
        }
        break;
    case HS_ACT_IDENTITY:
    default:
        for (size_t r = 0; r < rows; r++) {
            double *row = a + r * n;
            HS_SIMD
            for (size_t j = 0; j < n; j++)
                row[j] += b[j];
        }
        break;
    }
}

/* d *= act'(a) (and the dropout scale when mask is not NULL) over k values. */
static void
act_deriv(double *d, const double *a, const double *mask, size_t k, enum hs_act act)
{
    switch (act) {
    case HS_ACT_RELU:
        HS_SIMD
        for (size_t i = 0; i < k; i++)
            d[i] = a[i] > 0 ? d[i] : 0.0;
        break;
    case HS_ACT_LEAKY_RELU:
        HS_SIMD
        for (size_t i = 0; i < k; i++)
            d[i] *= a[i] > 0 ? 1.0 : 0.01;
        break;
    case HS_ACT_TANH:
        HS_SIMD
        for (size_t i = 0; i < k; i++)
            d[i] *= 1.0 - a[i] * a[i];
        break;
    case HS_ACT_SIGMOID:
        HS_SIMD
        for (size_t i = 0; i < k; i++)
            d[i] *= a[i] * (1.0 - a[i]);
        break;
    case HS_ACT_IDENTITY:
    default:
        break;
    }
    if (mask) {
        HS_SIMD
        for (size_t i = 0; i < k; i++)
            d[i] *= mask[i];
    }
}

/* z = mu + exp(lv / 2) eps with eps ~ N(0, 1) from rng, or z = mu
 * without one; a holds rows of (mu[k], lv[k]). */
static void
reparameterise(struct hs_mlp_ws *ws, const double *a, size_t rows, size_t k, struct hs_rng *rng)
{
    for (size_t r = 0; r < rows; r++) {
        const double *mu = a + r * 2 * k, *lv = mu + k;
        double *z = ws->z + r * k, *e = ws->eps + r * k;
        for (size_t j = 0; j < k; j++) {
            e[j] = rng ? rng_normal(rng) : 0.0;
            z[j] = mu[j] + exp(0.5 * lv[j]) * e[j];
        }
    }
}

/* From dL/dz (ws->dz) to dL/d(mu, lv) in d, adding the KL's gradient
 * weighted by ws->klw: d/dmu = dz + s mu, d/dlv = dz eps exp(lv/2) / 2 +
 * s (exp(lv) - 1) / 2. */
static void
reparameterise_back(const struct hs_mlp_ws *ws, const double *a, size_t rows, size_t k, double *d)
{
    for (size_t r = 0; r < rows; r++) {
        const double *mu = a + r * 2 * k, *lv = mu + k;
        const double *dz = ws->dz + r * k, *e = ws->eps + r * k;
        double s = ws->klw[r], *dm = d + r * 2 * k, *dl = dm + k;
        for (size_t j = 0; j < k; j++) {
            double ev = exp(0.5 * lv[j]);
            dm[j] = dz[j] + s * mu[j];
            dl[j] = 0.5 * dz[j] * e[j] * ev + 0.5 * s * (ev * ev - 1.0);
        }
    }
}

void
hs_mlp_forward(const struct hs_mlp *m, const double *p, struct hs_mlp_ws *ws, const double *X,
               size_t rows, const double *dropout, struct hs_rng *rng)
{
    const double *in = X;
    for (size_t l = 0; l <= m->nhidden; l++) {
        size_t wo, bo, nin, nout;
        hs_mlp_layer(m, l, &wo, &bo, &nin, &nout);
        double *a = ws->act[l];
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)nout, (int)nin, 1.0,
                    in, (int)nin, p + wo, (int)nin, 0.0, a, (int)nout);
        if (l == m->nhidden) {
            bias_act(a, rows, nout, p + bo, HS_ACT_IDENTITY);
            break;
        }
        bias_act(a, rows, nout, p + bo, layer_act(m, l));
        in = a;
        if (m->variational && l + 1 == m->bottleneck) {
            reparameterise(ws, a, rows, nout / 2, rng);
            in = ws->z;
        }
        if (dropout && dropout[l] > 0 && ws->mask[l]) {
            /* Inverted dropout: kept units are scaled by 1 / (1 - rate) so
             * that scoring needs no correction. */
            double rate = dropout[l], keep = 1.0 / (1.0 - rate);
            double *mk = ws->mask[l], *dr = ws->drop[l];
            size_t k = rows * nout;
            for (size_t i = 0; i < k; i++) {
                mk[i] = hs_rng_unit(rng) < rate ? 0.0 : keep;
                dr[i] = a[i] * mk[i];
            }
            in = dr;
        }
    }
}

void
hs_mlp_backward(const struct hs_mlp *m, const double *p, struct hs_mlp_ws *ws, const double *X,
                size_t rows, const double *dout, const double *dropout, double *grad)
{
    const double *delta = dout;
    int cur = 0;
    for (size_t l = m->nhidden + 1; l-- > 0;) {
        size_t wo, bo, nin, nout;
        hs_mlp_layer(m, l, &wo, &bo, &nin, &nout);
        const double *in = X;
        bool dropped = false;
        bool sampled = l > 0 && m->variational && l == m->bottleneck;
        if (l > 0) {
            dropped = dropout && dropout[l - 1] > 0 && ws->mask[l - 1];
            in = sampled ? ws->z : dropped ? ws->drop[l - 1] : ws->act[l - 1];
        }
        /* dW = delta^T in (nout x nin); db = column sums of delta. */
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)nout, (int)nin, (int)rows, 1.0,
                    delta, (int)nout, in, (int)nin, 0.0, grad + wo, (int)nin);
        double *gb = grad + bo;
        for (size_t j = 0; j < nout; j++)
            gb[j] = 0;
        for (size_t r = 0; r < rows; r++) {
            const double *drow = delta + r * nout;
            for (size_t j = 0; j < nout; j++)
                gb[j] += drow[j];
        }
        if (l == 0)
            break;
        /* The input's delta: delta W (rows x nin), through the dropout and
         * the activation of the layer below. */
        double *dprev = ws->delta[cur];
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)rows, (int)nin, (int)nout, 1.0,
                    delta, (int)nout, p + wo, (int)nin, 0.0, sampled ? ws->dz : dprev, (int)nin);
        if (sampled)
            reparameterise_back(ws, ws->act[l - 1], rows, nin, dprev);
        act_deriv(dprev, ws->act[l - 1], dropped ? ws->mask[l - 1] : NULL,
                  rows * layer_out(m, l - 1), layer_act(m, l - 1));
        delta = dprev;
        cur ^= 1;
    }
}

/* ---- loss, gradient and scores ---- */

/* log(2 pi) / 2: a unit-variance Gaussian's normalisation per input. */
#define HALF_LOG_2PI 0.91893853320467274178

/* A variational row's KL(N(mu, exp(lv)) || N(0, 1)) over its k latents. */
static double
row_kl(const double *a, size_t k)
{
    const double *mu = a, *lv = a + k;
    double kl = 0;
    for (size_t j = 0; j < k; j++)
        kl += mu[j] * mu[j] + exp(lv[j]) - 1.0 - lv[j];
    return 0.5 * kl;
}

/* A reconstruction's summed squared error over the row's n inputs. */
static double
row_sse(const double *xhat, const double *x, size_t n)
{
    double e = 0;
    for (size_t j = 0; j < n; j++) {
        double d = xhat[j] - x[j];
        e += d * d;
    }
    return e;
}

/* Reconstruction losses per row: the autoencoder's mean squared error over
 * the inputs (PyTorch's MSELoss), and the variational network's Gaussian
 * negative log-likelihood with unit variance, sum (xhat - x)^2 / 2 (its
 * constant left out), plus beta KL: the beta-VAE's negative ELBO. */
double
hs_mlp_rows_loss(const struct hs_mlp *m, struct hs_mlp_ws *ws, const double *X, size_t rows,
                 const double *y, const double *w, double inv, double *dout)
{
    const double *z = ws->act[m->nhidden];
    double sl = 0;

    if (m->task == HS_MLP_CLASSIFY) {
        for (size_t r = 0; r < rows; r++) {
            double wr = w ? w[r] : 1.0, zr = z[r];
            sl += wr * hs_mlp_bce(zr, y[r]);
            if (dout)
                dout[r] = (hs_mlp_sigmoid(zr) - y[r]) * wr * inv;
        }
        return sl;
    }
    size_t n = m->nin, k = m->variational ? m->width[m->bottleneck - 1] : 0;
    const double *code = m->variational ? ws->act[m->bottleneck - 1] : NULL;
    double scale = m->variational ? 0.5 : 1.0 / (double)n;
    for (size_t r = 0; r < rows; r++) {
        const double *xh = z + r * n, *xr = X + r * n;
        double wr = w ? w[r] : 1.0, l = scale * row_sse(xh, xr, n);
        if (m->variational) {
            l += m->beta * row_kl(code + r * 2 * k, k);
            ws->klw[r] = m->beta * wr * inv;
        }
        sl += wr * l;
        if (dout) {
            double g = 2.0 * scale * wr * inv;
            for (size_t j = 0; j < n; j++)
                dout[r * n + j] = g * (xh[j] - xr[j]);
        }
    }
    return sl;
}

/* Scores: the classifier's sigmoid; the autoencoder's mean squared error
 * over the standardised inputs; the variational network's reconstruction
 * score is -log p(x | z = mu) under its unit-variance Gaussian decoder,
 * sum (xhat - x)^2 / 2 + n log(2 pi) / 2 (the reconstruction probability
 * at the latent mean), or its KL. */
void
hs_mlp_row_scores(const struct hs_mlp *m, const struct hs_mlp_ws *ws, const double *X,
                  size_t rows, double *out)
{
    const double *z = ws->act[m->nhidden];
    size_t n = m->nin;

    if (m->task == HS_MLP_CLASSIFY) {
        for (size_t r = 0; r < rows; r++)
            out[r] = hs_mlp_sigmoid(z[r]);
        return;
    }
    if (m->score == HS_MLP_SCORE_KL) {
        size_t k = m->width[m->bottleneck - 1];
        for (size_t r = 0; r < rows; r++)
            out[r] = row_kl(ws->act[m->bottleneck - 1] + r * 2 * k, k);
        return;
    }
    for (size_t r = 0; r < rows; r++) {
        double e = row_sse(z + r * n, X + r * n, n);
        out[r] = m->variational ? 0.5 * e + (double)n * HALF_LOG_2PI : e / (double)n;
    }
}

int
hs_mlp_loss_grad(const struct hs_mlp *m, const double *const *x, const double *label,
                 const double *weight, size_t n, double l2, double *loss, double *grad,
                 struct hs_err *err)
{
    size_t nin = m->nin, rows = n ? n : 1;
    double *X = hs_malloc(rows * nin * sizeof *X);
    double *dout = hs_malloc(rows * m->nout * sizeof *dout);
    struct hs_mlp_ws ws;
    struct hs_rng rng;
    int rc = HS_OK;

    if (!X || !dout) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = hs_mlp_ws_init(&ws, m, rows, NULL, err)))
        goto done;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < nin; j++)
            X[i * nin + j] = x[j][i];
    hs_mlp_rng_seed(&rng, 0, 4);
    hs_mlp_forward(m, m->params, &ws, X, n, NULL, m->variational ? &rng : NULL);

    /* Normalised by the sum of |w|, as in training (see mlp_train.c). */
    const double *z = ws.act[m->nhidden];
    double sw = 0, sl = 0;
    for (size_t i = 0; i < n; i++) {
        double w = weight ? weight[i] : 1.0;
        if (m->task != HS_MLP_CLASSIFY || label[i] == 0 || label[i] == 1)
            sw += fabs(w);
    }
    if (m->task != HS_MLP_CLASSIFY && sw > 0)
        sl = hs_mlp_rows_loss(m, &ws, X, n, NULL, weight, 1.0 / sw, dout);
    else if (m->task != HS_MLP_CLASSIFY)
        memset(dout, 0, rows * m->nout * sizeof *dout);
    for (size_t i = 0; i < n && m->task == HS_MLP_CLASSIFY; i++) {
        double w = weight ? weight[i] : 1.0, y = label[i];
        if ((y != 0 && y != 1) || sw <= 0) {
            dout[i] = 0;
            continue;
        }
        sl += w * hs_mlp_bce(z[i], y);
        dout[i] = (hs_mlp_sigmoid(z[i]) - y) * w / sw;
    }
    double L = sw > 0 ? sl / sw : 0;
    if (grad) {
        if (n > 0)
            hs_mlp_backward(m, m->params, &ws, X, n, dout, NULL, grad);
        else
            memset(grad, 0, m->nparams * sizeof *grad);
    }
    for (size_t l = 0; l <= m->nhidden; l++) {
        size_t wo, bo;
        hs_mlp_layer(m, l, &wo, &bo, NULL, NULL);
        for (size_t i = wo; i < bo; i++) {
            L += 0.5 * l2 * m->params[i] * m->params[i];
            if (grad)
                grad[i] += l2 * m->params[i];
        }
    }
    if (loss)
        *loss = L;
    hs_mlp_ws_release(&ws);
done:
    hs_free(X);
    hs_free(dout);
    return rc;
}

/* Scoring: each chunk of cap rows is a part of a par.h job, scored by one
 * GEMM chain on one BLAS thread; a row's score does not depend on which
 * thread scored its chunk.  Each thread slot has its own buffers, made on
 * first use. */
struct score_slot {
    double *X;
    struct hs_mlp_ws ws;
    bool ok;
};

struct score_job {
    const struct hs_mlp *m;
    const double *const *x;
    size_t n, cap, nchunks;
    double *out;
    struct score_slot *slots;
    atomic_int stop;
    struct hs_par_progress prog;
    const struct hs_task *task;
};

static int
score_chunk(void *ctx, size_t c)
{
    struct score_job *j = ctx;
    const struct hs_mlp *m = j->m;
    struct score_slot *sl = &j->slots[hs_par_slot()];
    size_t nin = m->nin, i0 = c * j->cap, rows = j->n - i0 < j->cap ? j->n - i0 : j->cap;

    if (atomic_load(&j->stop))
        return HS_ECANCELLED;
    if (hs_task_cancelled(j->task)) {
        atomic_store(&j->stop, 1);
        return HS_ECANCELLED;
    }
    if (!sl->ok) {
        if (!(sl->X = hs_malloc(j->cap * nin * sizeof *sl->X)))
            return HS_ENOMEM;
        if (hs_mlp_ws_init(&sl->ws, m, j->cap, NULL, NULL)) {
            hs_free(sl->X);
            sl->X = NULL;
            return HS_ENOMEM;
        }
        sl->ok = true;
    }
    double *X = sl->X;
    for (size_t k = 0; k < nin; k++) {
        const double *col = j->x[k] + i0;
        double mu = m->mean[k], sd = m->sd[k];
        /* (v - mean) / sd exactly as in training and in the C export. */
        for (size_t r = 0; r < rows; r++) {
            double v = col[r];
            X[r * nin + k] = isnan(v) ? 0.0 : (v - mu) / sd;
        }
    }
    hs_mlp_forward(m, m->params, &sl->ws, X, rows, NULL, NULL);
    hs_mlp_row_scores(m, &sl->ws, X, rows, j->out + i0);
    hs_par_progress_add(&j->prog, 1);
    return HS_OK;
}

int
hs_mlp_score(const struct hs_mlp *m, const double *const *x, size_t n, double *out,
             const struct hs_task *task, struct hs_err *err)
{
    size_t cap = n < HS_MLP_SCORE_CHUNK ? (n ? n : 1) : HS_MLP_SCORE_CHUNK;
    struct score_job j = {.m = m, .x = x, .n = n, .cap = cap, .out = out, .task = task};
    int nt = hs_par_threads(), rc, prev = 0;

    j.nchunks = (n + cap - 1) / cap;
    if ((size_t)nt > j.nchunks)
        nt = j.nchunks ? (int)j.nchunks : 1;
    if (!(j.slots = hs_calloc((size_t)nt, sizeof *j.slots)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    /* no progress for a single chunk */
    hs_par_progress_init(&j.prog, j.nchunks > 1 ? task : NULL, j.nchunks, "scoring", false);
    /* Our threads split the chunks; a GEMM each on one BLAS thread. */
    if (nt > 1)
        prev = hs_mlp_threads_set(1);
    rc = hs_par_run(j.nchunks, nt, score_chunk, &j);
    if (nt > 1)
        hs_mlp_threads_restore(prev);
    for (int k = 0; k < nt; k++)
        if (j.slots[k].ok) {
            hs_mlp_ws_release(&j.slots[k].ws);
            hs_free(j.slots[k].X);
        }
    hs_free(j.slots);
    if (rc == HS_ENOMEM)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if (rc == HS_ECANCELLED)
        return hs_err_set(err, HS_ECANCELLED, "scoring cancelled");
    return rc;
}

/* mlp_train.c: training the network (mlp.h): event selection and weight
 * policies, standardisation, the mini-batch loop, the optimisers, the
 * validation after each epoch and early stopping.
 *
 * Events: a row trains when its part is 0 (every row without parts) and
 * its label is 0 or 1; it validates when its part is 1.  A NaN weight
 * leaves the row out.
 *
 * Reconstruction (c->task): the same rows; the label only chooses them,
 * the targets are the row's standardised inputs, and the validation
 * watches the reconstruction loss alone (no AUC: val_auc is NaN).
 *
 * Negative weights (c->negw), in training only: USE keeps them as given,
 * so the event's loss counts negatively; IGNORE drops the event from the
 * training part; CLIP sets its weight to 0 (it stays in the batches and
 * contributes nothing).  The validation loss and AUC use the weights as
 * given (with balance, each class scaled to half their sum, as in
 * training; the AUC does not depend on that).  nnegative counts the training events with a negative weight
 * before the policy.
 *
 * The loss of a batch is the weighted mean sum_i w_i l_i / sum_i |w_i|.
 * Normalising by the sum of |w| rather than of w keeps the step size sane
 * when negative weights make the plain sum small or negative (with USE);
 * without negative weights the two agree.  A batch whose |w| sum is 0 (all
 * clipped) makes no step.  The output delta is (p - y) w / sum |w|.
 *
 * Balance: after the negative-weight policy the training weights of each
 * class are scaled so both classes sum to half the total, which is kept
 * (as TMVA's NormMode=EqualNumEvents does with weights).  A class whose
 * sum is not positive is then HS_EDATA.  The validation part is balanced
 * the same way on its own sums, so that early stopping watches the loss
 * being minimised.
 *
 * Standardisation: the unweighted mean and standard deviation (divisor n,
 * like scikit-learn's StandardScaler) of each input over the training
 * events used, missing values skipped; a zero or undefined spread becomes
 * 1, a column with no value at all gets mean 0.  Missing inputs become the
 * mean (0 after standardising) and are counted over the training events.
 * The training and validation inputs are standardised once into row-major
 * copies; a batch gathers its rows from the training copy.
 *
 * Optimisers: Adam with bias correction (PyTorch's form), SGD with
 * momentum v = mu v - lr g, p += v, and Nesterov as in scikit-learn
 * (p += mu v - lr g after the velocity update).  L2 adds l2 * W to the
 * gradient of the weights (not the biases).  The learning rate of epoch e
 * (0-based) is lr / (1 + lr_decay * e), so the first epoch uses lr.
 *
 * The training loss in the curve is the weighted mean over the epoch's
 * batches as trained (dropout on, weights after the policy), without L2.
 * Best epoch: the lowest validation loss; without validation events, the
 * last finished epoch (no early stopping).
 *
 * Threads: every batch is cut into c->threads slices (0: the logical
 * thread count of par.h, --threads), each with its own buffers, dropout
 * stream and gradient; the slices run on the executor of par.h, and the
 * gradients are summed in slice order.  So the weights depend on the
 * seed and the slice count only, never on how many threads ran the
 * slices or on the machine's load.  The BLAS is held at one thread
 * meanwhile (restored afterwards): batch-sized GEMMs are too small for its
 * own threading, and its OpenMP team would spin at every GEMM.
 */
#include "config.h"

#include "mlp.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "featstats.h"
#include "mem.h"
#include "mlp_int.h"
#include "par.h"
#include "simd.h"

/* Rows per GEMM in the validation pass. */
#define HS_MLP_VAL_CHUNK 4096
/* Threads of one batch: each takes a slice of at least this many rows. */
#define HS_MLP_MAX_THREADS 16
#define HS_MLP_MIN_SLICE 32
/* Seconds between progress reports inside an epoch. */
#define HS_MLP_PROGRESS_SECONDS 0.25

void
hs_mlp_result_release(struct hs_mlp_result *r)
{
    if (!r)
        return;
    hs_mlp_free(r->model);
    hs_free(r->curve);
    memset(r, 0, sizeof *r);
}

static int
check_config(const struct hs_mlp_config *c, size_t nin, struct hs_err *err)
{
    int rc = hs_mlp_check_shape(c, nin, err);
    if (rc)
        return rc;
    for (size_t l = 0; l < c->nhidden; l++)
        if (!(c->dropout[l] >= 0 && c->dropout[l] < 1))
            return hs_err_set(err, HS_EUSAGE, "hidden layer %zu: dropout %g not in [0, 1)", l + 1,
                              c->dropout[l]);
    if (!(c->lr > 0) || !isfinite(c->lr))
        return hs_err_set(err, HS_EUSAGE, "learning rate %g must be positive", c->lr);
    if (!(c->lr_decay >= 0) || !isfinite(c->lr_decay))
        return hs_err_set(err, HS_EUSAGE, "learning-rate decay %g must be >= 0", c->lr_decay);
    if ((unsigned)c->optim > HS_OPTIM_NESTEROV)
        return hs_err_set(err, HS_EUSAGE, "unknown optimizer %d", (int)c->optim);
    if ((unsigned)c->negw > HS_NEGW_CLIP)
        return hs_err_set(err, HS_EUSAGE, "unknown negative-weight policy %d", (int)c->negw);
    if (c->optim != HS_OPTIM_ADAM && !(c->momentum >= 0 && c->momentum < 1))
        return hs_err_set(err, HS_EUSAGE, "momentum %g not in [0, 1)", c->momentum);
    if (c->optim == HS_OPTIM_ADAM) {
        if (!(c->beta1 >= 0 && c->beta1 < 1) || !(c->beta2 >= 0 && c->beta2 < 1))
            return hs_err_set(err, HS_EUSAGE, "adam betas %g, %g not in [0, 1)", c->beta1,
                              c->beta2);
        if (!(c->eps > 0))
            return hs_err_set(err, HS_EUSAGE, "adam epsilon %g must be positive", c->eps);
    }
    if (!(c->l2 >= 0) || !isfinite(c->l2))
        return hs_err_set(err, HS_EUSAGE, "l2 %g must be >= 0", c->l2);
    if (c->batch == 0)
        return hs_err_set(err, HS_EUSAGE, "batch size must be at least 1");
    if (c->epochs == 0)
        return hs_err_set(err, HS_EUSAGE, "epochs must be at least 1");
    if (c->balance && c->task != HS_MLP_CLASSIFY)
        return hs_err_set(err, HS_EUSAGE, "only a classifier balances classes");
    return HS_OK;
}

/* Everything one training allocates, freed in one place, and where the
 * training stands between epochs. */
struct hs_mlp_trainer {
    struct hs_mlp_config c;   /* a copy: the caller's may go */
    struct hs_mlp *m;         /* the weights being trained */
    struct hs_epoch_info *curve; /* c.epochs entries, done_epochs filled */
    size_t done_epochs, best_epoch;
    double best_val;
    bool early;
    size_t nimputed, nneg;
    uint64_t step;            /* optimiser steps so far (Adam's bias correction) */
    struct hs_rng rng;        /* the shuffles */
    size_t wlo[HS_MLP_MAX_HIDDEN + 1], whi[HS_MLP_MAX_HIDDEN + 1]; /* weight ranges, for L2 */
    size_t nin, ntrain, nval, nb, B;
    size_t *tidx, *vidx, *perm;
    double *Xt, *yt, *wt;     /* training part, standardised, row-major */
    double *Xv, *yv, *wv;     /* validation part */
    double *Xb, *yb, *wb, *dout;
    double *grad, *s1, *s2, *best;
    double *zv, *pv;
    int nthreads;
    struct hs_mlp_ws ws[HS_MLP_MAX_THREADS], wsv[HS_MLP_MAX_THREADS];
    double *vsl;              /* each validation chunk's weighted loss, then |w| sum */
    double *g[HS_MLP_MAX_THREADS];          /* each slice's gradient */
    double sl[HS_MLP_MAX_THREADS];          /* each slice's weighted loss */
    struct hs_rng trng[HS_MLP_MAX_THREADS]; /* each slice's dropout stream */
    int ws_ok;
    int wsv_ok;
};

static void
trainer_release(struct hs_mlp_trainer *t)
{
    void *bufs[] = {t->tidx, t->vidx, t->perm, t->Xt, t->yt, t->wt, t->Xv, t->yv, t->wv,
                    t->Xb,   t->yb,   t->wb,   t->dout, t->grad, t->s1, t->s2, t->best,
                    t->zv,   t->pv};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        hs_free(bufs[i]);
    for (int k = 0; k < t->ws_ok; k++)
        hs_mlp_ws_release(&t->ws[k]);
    for (int k = 0; k < HS_MLP_MAX_THREADS; k++)
        hs_free(t->g[k]);
    for (int k = 0; k < t->wsv_ok; k++)
        hs_mlp_ws_release(&t->wsv[k]);
    hs_free(t->vsl);
}

/* Standardise rows idx[0..k) of x into the row-major X (k x nin). */
static void
standardise(const double *const *x, size_t nin, const size_t *idx, size_t k, const double *mean,
            const double *sd, double *X)
{
    for (size_t j = 0; j < nin; j++) {
        const double *col = x[j];
        double mu = mean[j], s = sd[j];
        for (size_t r = 0; r < k; r++) {
            double v = col[idx[r]];
            X[r * nin + j] = isnan(v) ? 0.0 : (v - mu) / s;
        }
    }
}

/* Mean and sd of each column over the training rows; missing counted. */
static size_t
column_stats(const double *const *x, size_t nin, const size_t *idx, size_t k, double *mean,
             double *sd)
{
    size_t nmiss = 0;
    for (size_t j = 0; j < nin; j++) {
        const double *col = x[j];
        double sum = 0;
        size_t cnt = 0;
        for (size_t r = 0; r < k; r++) {
            double v = col[idx[r]];
            if (!isnan(v)) {
                sum += v;
                cnt++;
            }
        }
        nmiss += k - cnt;
        double mu = cnt ? sum / (double)cnt : 0.0, ss = 0;
        for (size_t r = 0; r < k; r++) {
            double v = col[idx[r]];
            if (!isnan(v))
                ss += (v - mu) * (v - mu);
        }
        double s = cnt ? sqrt(ss / (double)cnt) : 0.0;
        mean[j] = isfinite(mu) ? mu : 0.0;
        sd[j] = (s > 0 && isfinite(s)) ? s : 1.0;
    }
    return nmiss;
}

/* The validation pass: each chunk of rows is a part of a par.h job (its
 * own workspace per thread slot); the chunks' sums are added in chunk
 * order, so the loss does not depend on the threads. */
struct val_job {
    struct hs_mlp_trainer *t;
    const struct hs_mlp *m;
    const double *p;
    const struct hs_task *task;
};

static int
val_chunk(void *ctx, size_t c)
{
    struct val_job *j = ctx;
    struct hs_mlp_trainer *t = j->t;
    struct hs_mlp_ws *ws = &t->wsv[hs_par_slot()];
    size_t i0 = c * ws->cap, rows = t->nval - i0 < ws->cap ? t->nval - i0 : ws->cap;
    double sl = 0, sw = 0;

    if (hs_task_cancelled(j->task))
        return HS_ECANCELLED;
    const double *X = t->Xv + i0 * t->nin;
    hs_mlp_forward(j->m, j->p, ws, X, rows, NULL, NULL);
    sl = hs_mlp_rows_loss(j->m, ws, X, rows, t->yv + i0, t->wv + i0, 0.0, NULL);
    for (size_t r = 0; r < rows; r++)
        sw += fabs(t->wv[i0 + r]);
    if (j->m->task == HS_MLP_CLASSIFY)
        hs_mlp_row_scores(j->m, ws, X, rows, t->pv + i0);
    t->vsl[2 * c] = sl;
    t->vsl[2 * c + 1] = sw;
    return HS_OK;
}

/* Weighted mean loss over the validation rows, scores into t->pv. */
static int
validate(struct hs_mlp_trainer *t, const struct hs_mlp *m, const double *p, double *loss, double *auc,
         const struct hs_task *task)
{
    size_t cap = t->wsv[0].cap, nchunks = (t->nval + cap - 1) / cap;
    struct val_job j = {t, m, p, task};
    double sl = 0, sw = 0;

    if (hs_par_run(nchunks, t->wsv_ok, val_chunk, &j))
        return HS_ECANCELLED;
    for (size_t c = 0; c < nchunks; c++) {
        sl += t->vsl[2 * c];
        sw += t->vsl[2 * c + 1];
    }
    *loss = sw > 0 ? sl / sw : NAN;
    /* A reconstruction learns from one class: no AUC to watch. */
    struct hs_err e2;
    if (m->task != HS_MLP_CLASSIFY || hs_auc(t->pv, t->yv, t->wv, t->nval, auc, &e2))
        *auc = NAN;
    return HS_OK;
}

static void
report(const struct hs_task *task, double frac, size_t epoch, size_t epochs, double loss,
       const struct hs_epoch_info *done)
{
    char what[160];
    if (done)
        snprintf(what, sizeof what, "epoch %zu/%zu, loss %.4f, val loss %.4f, val auc %.4f", epoch,
                 epochs, loss, done->val_loss, done->val_auc);
    else if (isnan(loss))
        snprintf(what, sizeof what, "epoch %zu/%zu", epoch, epochs);
    else
        snprintf(what, sizeof what, "epoch %zu/%zu, loss %.4f", epoch, epochs, loss);
    hs_task_progress(task, frac, what);
}

/* Forward and backward of the batch rows [r0, r1) on thread k's buffers:
 * the slices' gradients add up to the batch's (the reduction runs in a
 * fixed order, so a thread count gives the same weights every run). */
static void
slice_pass(struct hs_mlp_trainer *t, const struct hs_mlp *m, const double *p, const double *dropout,
           int k, size_t rows, double inv)
{
    size_t r0 = rows * (size_t)k / (size_t)t->nthreads;
    size_t r1 = rows * (size_t)(k + 1) / (size_t)t->nthreads;
    if (r1 == r0) {
        memset(t->g[k], 0, m->nparams * sizeof(double));
        t->sl[k] = 0;
        return;
    }
    const double *X = t->Xb + r0 * t->nin;
    double *dout = t->dout + r0 * m->nout;
    hs_mlp_forward(m, p, &t->ws[k], X, r1 - r0, dropout, &t->trng[k]);
    t->sl[k] = hs_mlp_rows_loss(m, &t->ws[k], X, r1 - r0, t->yb + r0, t->wb + r0, inv, dout);
    hs_mlp_backward(m, p, &t->ws[k], X, r1 - r0, dout, dropout, t->g[k]);
}

static void
optim_step(const struct hs_mlp_config *c, size_t np, double *p, const double *g, double *s1,
           double *s2, double lr, uint64_t step)
{
    if (c->optim == HS_OPTIM_ADAM) {
        double b1 = c->beta1, b2 = c->beta2, eps = c->eps;
        double a = lr / (1.0 - pow(b1, (double)step));
        double sq = 1.0 / sqrt(1.0 - pow(b2, (double)step));
        HS_SIMD
        for (size_t i = 0; i < np; i++) {
            double gi = g[i];
            double mi = b1 * s1[i] + (1.0 - b1) * gi;
            double vi = b2 * s2[i] + (1.0 - b2) * gi * gi;
            s1[i] = mi;
            s2[i] = vi;
            p[i] -= a * mi / (sqrt(vi) * sq + eps);
        }
    } else if (c->optim == HS_OPTIM_SGD) {
        double mu = c->momentum;
        HS_SIMD
        for (size_t i = 0; i < np; i++) {
            double v = mu * s1[i] - lr * g[i];
            s1[i] = v;
            p[i] += v;
        }
    } else {
        double mu = c->momentum;
        HS_SIMD
        for (size_t i = 0; i < np; i++) {
            double v = mu * s1[i] - lr * g[i];
            s1[i] = v;
            p[i] += mu * v - lr * g[i];
        }
    }
}

void
hs_mlp_trainer_free(struct hs_mlp_trainer *t)
{
    if (!t)
        return;
    trainer_release(t);
    hs_mlp_free(t->m);
    hs_free(t->curve);
    hs_free(t);
}

int
hs_mlp_trainer_new(const struct hs_mlp_config *c, const double *const *x, size_t nin,
                   const double *label, const double *weight, const unsigned char *part,
                   size_t n, struct hs_mlp_trainer **out, struct hs_err *err)
{
    struct hs_mlp_trainer *t;
    int rc;
    size_t nsig = 0, nbkg = 0;

    *out = NULL;
    if ((rc = check_config(c, nin, err)))
        return rc;
    if (!(t = hs_calloc(1, sizeof *t)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    t->c = *c;
    c = &t->c;

    /* Select the events: count, then fill the index vectors. */
    for (size_t i = 0; i < n; i++) {
        double y = label[i], w = weight ? weight[i] : 1.0;
        if ((y != 0 && y != 1) || isnan(w))
            continue;
        unsigned pt = part ? part[i] : 0;
        if (pt == 0) {
            if (w < 0) {
                t->nneg++;
                if (c->negw == HS_NEGW_IGNORE)
                    continue;
            }
            t->ntrain++;
            if (y == 1)
                nsig++;
            else
                nbkg++;
        } else if (pt == 1) {
            t->nval++;
        }
    }
    if (c->task != HS_MLP_CLASSIFY && t->ntrain == 0) {
        rc = hs_err_set(err, HS_EDATA, "no events in the training part");
        goto fail;
    }
    if (c->task == HS_MLP_CLASSIFY && (nsig == 0 || nbkg == 0)) {
        rc = hs_err_set(err, HS_EDATA, "no %s events in the training part",
                        nsig == 0 ? "signal" : "background");
        goto fail;
    }

    t->nin = nin;
    size_t B = c->batch < t->ntrain ? c->batch : t->ntrain;
    t->B = B;
    t->nb = (t->ntrain + B - 1) / B;
    size_t vcap = t->nval < HS_MLP_VAL_CHUNK ? t->nval : HS_MLP_VAL_CHUNK;
    t->tidx = hs_malloc(t->ntrain * sizeof *t->tidx);
    t->perm = hs_malloc(t->ntrain * sizeof *t->perm);
    t->Xt = hs_malloc(t->ntrain * nin * sizeof *t->Xt);
    t->yt = hs_malloc(t->ntrain * sizeof *t->yt);
    t->wt = hs_malloc(t->ntrain * sizeof *t->wt);
    t->Xb = hs_malloc(B * nin * sizeof *t->Xb);
    t->yb = hs_malloc(B * sizeof *t->yb);
    t->wb = hs_malloc(B * sizeof *t->wb);
    t->dout = hs_malloc(B * (c->task == HS_MLP_CLASSIFY ? 1 : nin) * sizeof *t->dout);
    t->curve = hs_calloc(c->epochs, sizeof *t->curve);
    if (!t->tidx || !t->perm || !t->Xt || !t->yt || !t->wt || !t->Xb || !t->yb || !t->wb ||
        !t->dout || !t->curve)
        goto nomem;
    if (t->nval) {
        t->vidx = hs_malloc(t->nval * sizeof *t->vidx);
        t->Xv = hs_malloc(t->nval * nin * sizeof *t->Xv);
        t->yv = hs_malloc(t->nval * sizeof *t->yv);
        t->wv = hs_malloc(t->nval * sizeof *t->wv);
        t->zv = NULL;
        t->pv = hs_malloc(t->nval * sizeof *t->pv);
        if (!t->vidx || !t->Xv || !t->yv || !t->wv || !t->pv)
            goto nomem;
    }
    {
        size_t kt = 0, kv = 0;
        for (size_t i = 0; i < n; i++) {
            double y = label[i], w = weight ? weight[i] : 1.0;
            if ((y != 0 && y != 1) || isnan(w))
                continue;
            unsigned pt = part ? part[i] : 0;
            if (pt == 0) {
                if (w < 0 && c->negw == HS_NEGW_IGNORE)
                    continue;
                if (w < 0 && c->negw == HS_NEGW_CLIP)
                    w = 0;
                t->tidx[kt] = i;
                t->yt[kt] = y;
                t->wt[kt] = w;
                kt++;
            } else if (pt == 1) {
                t->vidx[kv] = i;
                t->yv[kv] = y;
                t->wv[kv] = w;
                kv++;
            }
        }
    }
    if (c->balance) {
        double ws = 0, wb = 0;
        for (size_t k = 0; k < t->ntrain; k++) {
            if (t->yt[k] == 1)
                ws += t->wt[k];
            else
                wb += t->wt[k];
        }
        if (!(ws > 0) || !(wb > 0)) {
            rc = hs_err_set(err, HS_EDATA, "cannot balance: the %s weights of the training part "
                                           "do not sum to a positive number",
                            ws > 0 ? "background" : "signal");
            goto fail;
        }
        double fs = 0.5 * (ws + wb) / ws, fb = 0.5 * (ws + wb) / wb;
        for (size_t k = 0; k < t->ntrain; k++)
            t->wt[k] *= t->yt[k] == 1 ? fs : fb;
        /* The validation loss judges the same objective, or early stopping
         * would pick the epoch that best predicts the larger class: its
         * classes are balanced on their own sums. */
        ws = wb = 0;
        for (size_t k = 0; k < t->nval; k++) {
            if (t->yv[k] == 1)
                ws += t->wv[k];
            else
                wb += t->wv[k];
        }
        if (ws > 0 && wb > 0) {
            fs = 0.5 * (ws + wb) / ws, fb = 0.5 * (ws + wb) / wb;
            for (size_t k = 0; k < t->nval; k++)
                t->wv[k] *= t->yv[k] == 1 ? fs : fb;
        }
    }

    if ((rc = hs_mlp_new(c, nin, &t->m, err)))
        goto fail;
    struct hs_mlp *m = t->m;
    t->nimputed = column_stats(x, nin, t->tidx, t->ntrain, m->mean, m->sd);
    standardise(x, nin, t->tidx, t->ntrain, m->mean, m->sd, t->Xt);
    if (t->nval)
        standardise(x, nin, t->vidx, t->nval, m->mean, m->sd, t->Xv);

    size_t np = m->nparams;
    t->grad = hs_malloc(np * sizeof *t->grad);
    t->s1 = hs_calloc(np, sizeof *t->s1);
    t->s2 = c->optim == HS_OPTIM_ADAM ? hs_calloc(np, sizeof *t->s2) : NULL;
    t->best = hs_malloc(np * sizeof *t->best);
    if (!t->grad || !t->s1 || (c->optim == HS_OPTIM_ADAM && !t->s2) || !t->best)
        goto nomem;
    /* Our own threads over slices of the batch, each GEMM on one BLAS
     * thread: a 256-row batch is too small for the BLAS to split well,
     * and its thread handoffs per GEMM cost more than the work. */
    t->nthreads = c->threads > 0 ? c->threads : hs_par_threads();
    if ((size_t)t->nthreads > B / HS_MLP_MIN_SLICE)
        t->nthreads = (int)(B / HS_MLP_MIN_SLICE);
    if (t->nthreads > HS_MLP_MAX_THREADS)
        t->nthreads = HS_MLP_MAX_THREADS;
    if (t->nthreads < 1)
        t->nthreads = 1;
    for (int k = 0; k < t->nthreads; k++) {
        size_t cap = (B + (size_t)t->nthreads - 1) / (size_t)t->nthreads;
        if ((rc = hs_mlp_ws_init(&t->ws[k], m, cap, c->dropout, err)))
            goto fail;
        t->ws_ok++;
        t->g[k] = hs_malloc(np * sizeof(double));
        if (!t->g[k])
            goto nomem;
        hs_mlp_rng_seed(&t->trng[k], c->seed, 3 + (uint64_t)k);
    }
    if (t->nval) {
        for (int k = 0; k < t->nthreads; k++) {
            if ((rc = hs_mlp_ws_init(&t->wsv[k], m, vcap, NULL, err)))
                goto fail;
            t->wsv_ok++;
        }
        if (!(t->vsl = hs_malloc(2 * ((t->nval + vcap - 1) / vcap) * sizeof *t->vsl)))
            goto nomem;
    }
    for (size_t l = 0; l <= m->nhidden; l++)
        hs_mlp_layer(m, l, &t->wlo[l], &t->whi[l], NULL, NULL);
    for (size_t k = 0; k < t->ntrain; k++)
        t->perm[k] = k;
    hs_mlp_rng_seed(&t->rng, c->seed, 2);
    t->best_val = NAN;
    *out = t;
    return HS_OK;

nomem:
    rc = hs_err_set(err, HS_ENOMEM, "out of memory");
fail:
    hs_mlp_trainer_free(t);
    return rc;
}

double
hs_mlp_trainer_fraction(const struct hs_mlp_trainer *t)
{
    return (double)t->done_epochs / (double)t->c.epochs;
}

/* One batch's slices, as parts of a par.h job. */
struct batch_job {
    struct hs_mlp_trainer *t;
    size_t rows;
    double inv;
};

static int
batch_slice(void *ctx, size_t k)
{
    struct batch_job *j = ctx;
    struct hs_mlp_trainer *t = j->t;
    slice_pass(t, t->m, t->m->params, t->c.dropout, (int)k, j->rows, j->inv);
    return 0;
}

/* One epoch's batches.  HS_ECANCELLED when the task's flag is raised
 * between batches (the epoch is then void). */
static int
run_batches(struct hs_mlp_trainer *t, double lr, size_t e, double *esl_out, double *esw_out,
            const struct hs_task *task)
{
    const struct hs_mlp_config *c = &t->c;
    struct hs_mlp *m = t->m;
    size_t nin = t->nin, np = m->nparams, B = t->B;
    double *p = m->params, last_report = hs_mlp_now();
    double esl = 0, esw = 0;

    for (size_t k = t->ntrain; k > 1; k--) {
        size_t j = (size_t)(hs_rng_next(&t->rng) % k);
        size_t tmp = t->perm[k - 1];
        t->perm[k - 1] = t->perm[j];
        t->perm[j] = tmp;
    }
    for (size_t b = 0; b < t->nb; b++) {
        size_t b0 = b * B, rows = t->ntrain - b0 < B ? t->ntrain - b0 : B;
        double norm = 0;
        for (size_t r = 0; r < rows; r++) {
            size_t k = t->perm[b0 + r];
            memcpy(t->Xb + r * nin, t->Xt + k * nin, nin * sizeof(double));
            t->yb[r] = t->yt[k];
            t->wb[r] = t->wt[k];
            norm += fabs(t->wt[k]);
        }
        if (norm > 0) {
            struct batch_job job = {t, rows, 1.0 / norm};
            int nt = t->nthreads;
            hs_par_run((size_t)nt, nt, batch_slice, &job);
            double *grad = t->g[0];
            if (nt > 1) {
                grad = t->grad;
                memcpy(grad, t->g[0], np * sizeof *grad);
                for (int k = 1; k < nt; k++) {
                    const double *gk = t->g[k];
                    for (size_t i = 0; i < np; i++)
                        grad[i] += gk[i];
                }
            }
            for (int k = 0; k < nt; k++)
                esl += t->sl[k];
            esw += norm;
            if (c->l2 > 0)
                for (size_t l = 0; l <= m->nhidden; l++)
                    for (size_t i = t->wlo[l]; i < t->whi[l]; i++)
                        grad[i] += c->l2 * p[i];
            optim_step(c, np, p, grad, t->s1, t->s2, lr, ++t->step);
        }
        if (hs_task_cancelled(task))
            return HS_ECANCELLED;
        double now = hs_mlp_now();
        if (now - last_report >= HS_MLP_PROGRESS_SECONDS) {
            last_report = now;
            report(task, ((double)e + (double)(b + 1) / (double)t->nb) / (double)c->epochs, e + 1,
                   c->epochs, esw > 0 ? esl / esw : NAN, NULL);
        }
    }
    *esl_out = esl;
    *esw_out = esw;
    return HS_OK;
}

int
hs_mlp_trainer_epoch(struct hs_mlp_trainer *t, const struct hs_epoch_info **info, bool *done,
                     const struct hs_task *task, struct hs_err *err)
{
    const struct hs_mlp_config *c = &t->c;
    size_t e = t->done_epochs, np = t->m->nparams;
    double *p = t->m->params;
    double t0 = hs_mlp_now(), esl = 0, esw = 0;
    double lr = c->lr / (1.0 + c->lr_decay * (double)e);
    int prev_threads, rc;

    *info = NULL;
    *done = t->early || e >= c->epochs;
    if (*done)
        return HS_OK;
    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "training cancelled");
    if (e == 0)
        report(task, 0, 1, c->epochs, NAN, NULL);
    /* Weights of a cancelled epoch are half-trained: the best ones are
     * kept apart in t->best, so the epoch can simply be dropped. */
    prev_threads = hs_mlp_threads_set(1);
    rc = run_batches(t, lr, e, &esl, &esw, task);
    if (rc) {
        hs_mlp_threads_restore(prev_threads);
        return hs_err_set(err, HS_ECANCELLED, "training cancelled");
    }

    struct hs_epoch_info *in = &t->curve[e];
    in->epoch = e + 1;
    in->loss = esw > 0 ? esl / esw : NAN;
    in->lr = lr;
    in->val_loss = in->val_auc = NAN;
    rc = t->nval ? validate(t, t->m, p, &in->val_loss, &in->val_auc, task) : HS_OK;
    hs_mlp_threads_restore(prev_threads);
    if (rc)
        return hs_err_set(err, HS_ECANCELLED, "training cancelled");
    in->seconds = hs_mlp_now() - t0;
    t->done_epochs = e + 1;

    bool improved = t->best_epoch == 0 || !t->nval ||
                    (!isnan(in->val_loss) && (isnan(t->best_val) || in->val_loss < t->best_val));
    if (improved) {
        t->best_epoch = e + 1;
        t->best_val = in->val_loss;
        memcpy(t->best, p, np * sizeof *p);
    }
    report(task, (double)(e + 1) / (double)c->epochs, e + 1, c->epochs, in->loss, in);
    if (t->nval && c->patience > 0 && e + 1 - t->best_epoch >= c->patience && e + 1 < c->epochs)
        t->early = true;
    *info = in;
    *done = t->early || t->done_epochs >= c->epochs;
    return HS_OK;
}

int
hs_mlp_trainer_result(const struct hs_mlp_trainer *t, struct hs_mlp_result *out,
                      struct hs_err *err)
{
    struct hs_method_report rep;
    struct hs_mlp *m = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    if (t->done_epochs == 0)
        return hs_err_set(err, HS_ECANCELLED, "training cancelled");
    if ((rc = hs_mlp_copy(t->m, &m, err)))
        return rc;
    memcpy(m->params, t->best, m->nparams * sizeof *m->params);
    if (!(out->curve = hs_malloc(t->done_epochs * sizeof *out->curve))) {
        hs_mlp_free(m);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    memcpy(out->curve, t->curve, t->done_epochs * sizeof *out->curve);
    hs_mlp_trainer_report(t, &rep);
    out->model = m;
    out->nepochs = rep.nepochs;
    out->best_epoch = rep.best_epoch;
    out->early_stopped = rep.early_stopped;
    out->nimputed = rep.nimputed;
    out->ntrain = rep.ntrain;
    out->nval = rep.nval;
    out->nnegative = rep.nnegative;
    return HS_OK;
}

void
hs_mlp_trainer_report(const struct hs_mlp_trainer *t, struct hs_method_report *r)
{
    memset(r, 0, sizeof *r);
    r->curve = t->curve;
    r->nepochs = t->done_epochs;
    r->best_epoch = t->best_epoch;
    r->early_stopped = t->early;
    r->nimputed = t->nimputed;
    r->ntrain = t->ntrain;
    r->nval = t->nval;
    r->nnegative = t->nneg;
}

int
hs_mlp_train(const struct hs_mlp_config *c, const double *const *x, size_t nin,
             const double *label, const double *weight, const unsigned char *part, size_t n,
             struct hs_mlp_result *out, const struct hs_task *task, struct hs_err *err)
{
    struct hs_mlp_trainer *t = NULL;
    const struct hs_epoch_info *info;
    bool done = false, cancelled = false;
    int rc;

    if ((rc = hs_mlp_trainer_new(c, x, nin, label, weight, part, n, &t, err)))
        return rc;
    while (!done) {
        rc = hs_mlp_trainer_epoch(t, &info, &done, task, err);
        if (rc == HS_ECANCELLED) {
            cancelled = true;
            break;
        }
        if (rc)
            goto out;
        if (info && c->on_epoch)
            c->on_epoch(c->on_epoch_user, info);
        /* A cancel raised during the last epoch's report keeps it all. */
        if (!done && hs_task_cancelled(task)) {
            cancelled = true;
            break;
        }
    }
    if ((rc = hs_mlp_trainer_result(t, out, err)) == HS_OK)
        out->cancelled = cancelled;
out:
    hs_mlp_trainer_free(t);
    return rc;
}

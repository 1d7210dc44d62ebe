/* test_ae.c: the network's reconstruction head and the "ae" method
 * (src/mlp*.c, src/ae.c): the loss against a forward pass written here,
 * its gradient and the variational KL's against finite differences and
 * the closed form, a linear autoencoder against PCA (an eigen-decomposition
 * by GSL), outliers scoring above the background, storage with every
 * damage, the C export compiled with cc, and the same bits whichever way
 * the threads run. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_sort_vector.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae.h"
#include "featstats.h"
#include "mem.h"
#include "method.h"
#include "mlp.h"
#include "model.h"
#include "test_export.h"
#include "test_how.h"
#include "test_util.h"

static void
near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%.17g, expected %.17g (within %g)", got, want, tol);
}

/* An autoencoder's configuration: encoder widths enc[0..ne), k latents. */
static struct hs_mlp_config
ae_config(size_t ne, const size_t *enc, size_t k, enum hs_act act, bool variational)
{
    struct hs_mlp_config c;
    hs_mlp_config_default(&c);
    c.task = HS_MLP_RECONSTRUCT;
    c.nhidden = 2 * ne + 1;
    for (size_t l = 0; l < ne; l++)
        c.width[l] = c.width[2 * ne - l] = enc[l];
    c.width[ne] = k;
    c.bottleneck = ne + 1;
    c.act = act;
    c.variational = variational;
    c.beta = variational ? 0.7 : 0;
    for (size_t l = 0; l < HS_MLP_MAX_HIDDEN; l++)
        c.dropout[l] = 0;
    c.l2 = 0;
    return c;
}

static double
ref_act(enum hs_act a, double s)
{
    switch (a) {
    case HS_ACT_RELU:
        return s > 0 ? s : 0;
    case HS_ACT_TANH:
        return tanh(s);
    default:
        return s;
    }
}

/* The network's forward pass on one standardised row x, the latents at
 * their means: the outputs in out (nin), the bottleneck's (mu, lv) in code. */
static void
ref_forward(const struct hs_mlp *m, const double *x, double *out, double *code)
{
    double h[2][64];
    int cur = 0;
    memcpy(h[0], x, m->nin * sizeof *x);
    for (size_t l = 0; l <= m->nhidden; l++) {
        size_t wo, bo, ni, no;
        hs_mlp_layer(m, l, &wo, &bo, &ni, &no);
        for (size_t o = 0; o < no; o++) {
            double s = m->params[bo + o];
            for (size_t i = 0; i < ni; i++)
                s += m->params[wo + o * ni + i] * h[cur][i];
            bool lin = l == m->nhidden || l + 1 == m->bottleneck;
            h[!cur][o] = lin ? s : ref_act(m->act, s);
        }
        cur = !cur;
        if (l + 1 == m->bottleneck && code)
            memcpy(code, h[cur], no * sizeof(double));
    }
    memcpy(out, h[cur], m->nin * sizeof *out);
}

static void
randomise(struct hs_mlp *m, uint64_t seed, double scale)
{
    for (size_t i = 0; i < m->nparams; i++)
        m->params[i] = scale * (2 * tu_unit(tu_splitmix(&seed)) - 1);
}

/* Columns of n rows of nin values. */
static double **
columns(size_t nin, size_t n)
{
    double **x = calloc(nin, sizeof *x);
    for (size_t j = 0; j < nin; j++)
        x[j] = calloc(n + 1, sizeof **x);
    return x;
}

static void
columns_free(double **x, size_t nin)
{
    for (size_t j = 0; j < nin; j++)
        free(x[j]);
    free(x);
}

static void
check_gradient(struct hs_mlp *m, double **x, const double *w, size_t n, double l2)
{
    double *g = malloc(m->nparams * sizeof *g), lp, lm, L;
    double *y = calloc(n, sizeof *y);
    assert_int_equal(hs_mlp_loss_grad(m, (const double *const *)x, y, w, n, l2, &L, g, NULL),
                     HS_OK);
    for (size_t i = 0; i < m->nparams; i++) {
        double p0 = m->params[i], h = 1e-6;
        m->params[i] = p0 + h;
        assert_int_equal(hs_mlp_loss_grad(m, (const double *const *)x, y, w, n, l2, &lp, NULL,
                                          NULL), HS_OK);
        m->params[i] = p0 - h;
        assert_int_equal(hs_mlp_loss_grad(m, (const double *const *)x, y, w, n, l2, &lm, NULL,
                                          NULL), HS_OK);
        m->params[i] = p0;
        double fd = (lp - lm) / (2 * h);
        if (fabs(fd - g[i]) > 1e-6 * (1 + fabs(g[i])))
            fail_msg("parameter %zu: gradient %.12g, finite difference %.12g", i, g[i], fd);
    }
    free(g);
    free(y);
}

/* The MSE loss against the forward pass written here, and its gradient
 * against central differences, with weights and L2. */
static void
test_mse_gradient(void **state)
{
    (void)state;
    enum { N = 7, NIN = 4 };
    const size_t enc[] = {5};
    struct hs_mlp_config c = ae_config(1, enc, 2, HS_ACT_TANH, false);
    struct hs_mlp *m;
    double **x = columns(NIN, N), w[N], *y = calloc(N, sizeof *y), L, sw = 0, ref = 0;
    uint64_t s = 3;

    assert_int_equal(hs_mlp_new(&c, NIN, &m, NULL), HS_OK);
    assert_int_equal(m->nout, NIN);
    randomise(m, 5, 0.8);
    for (size_t i = 0; i < N; i++) {
        w[i] = 0.3 + tu_unit(tu_splitmix(&s));
        for (size_t j = 0; j < NIN; j++)
            x[j][i] = 2 * tu_unit(tu_splitmix(&s)) - 1;
    }
    assert_int_equal(hs_mlp_loss_grad(m, (const double *const *)x, y, w, N, 0, &L, NULL, NULL),
                     HS_OK);
    for (size_t i = 0; i < N; i++) {
        double xi[NIN], out[NIN], e = 0;
        for (size_t j = 0; j < NIN; j++)
            xi[j] = x[j][i];
        ref_forward(m, xi, out, NULL);
        for (size_t j = 0; j < NIN; j++)
            e += (out[j] - xi[j]) * (out[j] - xi[j]);
        ref += w[i] * e / NIN;
        sw += w[i];
    }
    near(L, ref / sw, 1e-12);
    check_gradient(m, x, w, N, 0.01);
    hs_mlp_free(m);
    columns_free(x, NIN);
    free(y);
}

/* The variational loss's gradient (reparameterised latents, the KL term)
 * against central differences; with the decoder's weights at 0 the
 * reconstruction does not depend on the latents, and the gradient of the
 * bottleneck's biases is the KL's closed form, beta mu and beta (e^lv -
 * 1) / 2; the KL score is 1/2 sum (mu^2 + e^lv - 1 - lv). */
static void
test_vae_kl(void **state)
{
    (void)state;
    enum { N = 6, NIN = 3, K = 2 };
    const size_t enc[] = {4};
    struct hs_mlp_config c = ae_config(1, enc, K, HS_ACT_TANH, true);
    struct hs_mlp *m;
    double **x = columns(NIN, N), w[N];
    uint64_t s = 11;

    c.score = HS_MLP_SCORE_KL;
    assert_int_equal(hs_mlp_new(&c, NIN, &m, NULL), HS_OK);
    randomise(m, 8, 0.7);
    for (size_t i = 0; i < N; i++) {
        w[i] = 0.5 + tu_unit(tu_splitmix(&s));
        for (size_t j = 0; j < NIN; j++)
            x[j][i] = 2 * tu_unit(tu_splitmix(&s)) - 1;
    }
    check_gradient(m, x, w, N, 0.0);

    /* The KL score against the closed form. */
    double score[N];
    assert_int_equal(hs_mlp_score(m, (const double *const *)x, N, score, NULL, NULL), HS_OK);
    for (size_t i = 0; i < N; i++) {
        double xi[NIN], out[NIN], code[2 * K], kl = 0;
        for (size_t j = 0; j < NIN; j++)
            xi[j] = x[j][i];
        ref_forward(m, xi, out, code);
        for (size_t j = 0; j < K; j++)
            kl += code[j] * code[j] + exp(code[K + j]) - 1 - code[K + j];
        near(score[i], 0.5 * kl, 1e-12);
    }

    /* One row, the decoder's weights at 0. */
    size_t wo, bo, ni, no, bmu;
    hs_mlp_layer(m, 1, NULL, &bmu, NULL, NULL);
    for (size_t l = 2; l <= m->nhidden; l++) {
        hs_mlp_layer(m, l, &wo, &bo, &ni, &no);
        memset(m->params + wo, 0, ni * no * sizeof(double));
    }
    double g[256], y[1] = {0}, one[1] = {1}, L, xi[NIN], out[NIN], code[2 * K];
    assert_true(m->nparams <= 256);
    assert_int_equal(hs_mlp_loss_grad(m, (const double *const *)x, y, one, 1, 0, &L, g, NULL),
                     HS_OK);
    for (size_t j = 0; j < NIN; j++)
        xi[j] = x[j][0];
    ref_forward(m, xi, out, code);
    for (size_t j = 0; j < K; j++) {
        near(g[bmu + j], 0.7 * code[j], 1e-12);
        near(g[bmu + K + j], 0.7 * 0.5 * (exp(code[K + j]) - 1), 1e-12);
    }
    hs_mlp_free(m);
    columns_free(x, NIN);
}

/* A linear autoencoder with a bottleneck of k reaches PCA's reconstruction
 * error: the sum of the smallest nin - k eigenvalues of the standardised
 * inputs' covariance, over nin. */
static void
test_linear_pca(void **state)
{
    (void)state;
    enum { N = 2000, NIN = 5, K = 2 };
    const double L[NIN][NIN] = {{2, 0, 0, 0, 0},
                                {1.2, 0.9, 0, 0, 0},
                                {-0.5, 0.8, 0.6, 0, 0},
                                {0.3, -0.2, 0.4, 0.35, 0},
                                {0.1, 0.5, -0.3, 0.2, 0.25}};
    double **x = columns(NIN, N), *y = calloc(N, sizeof *y), mu[NIN] = {0}, sd[NIN] = {0};
    uint64_t s = 21;

    for (size_t i = 0; i < N; i++) {
        double z[NIN];
        for (size_t j = 0; j < NIN; j++)
            z[j] = tu_box_muller(tu_unit(tu_splitmix(&s)), tu_unit(tu_splitmix(&s)));
        for (size_t j = 0; j < NIN; j++) {
            double v = 3.0 * (double)j;
            for (size_t k = 0; k <= j; k++)
                v += L[j][k] * z[k];
            x[j][i] = v;
        }
    }
    for (size_t j = 0; j < NIN; j++) {
        for (size_t i = 0; i < N; i++)
            mu[j] += x[j][i] / N;
        for (size_t i = 0; i < N; i++)
            sd[j] += (x[j][i] - mu[j]) * (x[j][i] - mu[j]) / N;
        sd[j] = sqrt(sd[j]);
    }
    gsl_matrix *C = gsl_matrix_calloc(NIN, NIN);
    for (size_t a = 0; a < NIN; a++)
        for (size_t b = 0; b < NIN; b++) {
            double v = 0;
            for (size_t i = 0; i < N; i++)
                v += (x[a][i] - mu[a]) / sd[a] * (x[b][i] - mu[b]) / sd[b];
            gsl_matrix_set(C, a, b, v / N);
        }
    gsl_vector *ev = gsl_vector_alloc(NIN);
    gsl_eigen_symm_workspace *ws = gsl_eigen_symm_alloc(NIN);
    gsl_eigen_symm(C, ev, ws);
    gsl_sort_vector(ev);
    double opt = 0;
    for (size_t j = 0; j < NIN - K; j++)
        opt += gsl_vector_get(ev, j);
    opt /= NIN;

    struct hs_mlp_config c = ae_config(0, NULL, K, HS_ACT_IDENTITY, false);
    struct hs_mlp_result r;
    c.lr = 0.01;
    c.batch = 100;
    c.epochs = 150;
    c.lr_decay = 0.05;
    c.patience = 0;
    c.threads = 1;
    assert_int_equal(hs_mlp_train(&c, (const double *const *)x, NIN, y, NULL, NULL, N, &r, NULL,
                                  NULL),
                     HS_OK);
    double *score = malloc(N * sizeof *score), mse = 0;
    assert_int_equal(hs_mlp_score(r.model, (const double *const *)x, N, score, NULL, NULL), HS_OK);
    for (size_t i = 0; i < N; i++)
        mse += score[i] / N;
    /* No rank-k linear map does better than PCA; training gets there. */
    assert_true(mse >= opt * (1 - 1e-9));
    if (mse > opt * 1.002)
        fail_msg("linear autoencoder MSE %.9g, PCA's %.9g", mse, opt);
    for (size_t j = 0; j < NIN; j++) {
        near(r.model->mean[j], mu[j], 1e-9 * (1 + fabs(mu[j])));
        near(r.model->sd[j], sd[j], 1e-9 * sd[j]);
    }
    hs_mlp_result_release(&r);
    gsl_eigen_symm_free(ws);
    gsl_vector_free(ev);
    gsl_matrix_free(C);
    free(score);
    free(y);
    columns_free(x, NIN);
}

/* Background on a plane in six inputs, a cluster of outliers far along it
 * and off it. */
enum { OUT_N = 3000, OUT_NIN = 6 };

static void
outlier_data(double **x, double *label, unsigned char *part)
{
    uint64_t s = 41;
    for (size_t i = 0; i < OUT_N; i++) {
        double a = tu_box_muller(tu_unit(tu_splitmix(&s)), tu_unit(tu_splitmix(&s)));
        double b = tu_box_muller(tu_unit(tu_splitmix(&s)), tu_unit(tu_splitmix(&s)));
        bool out = i % 15 == 7;
        label[i] = out;
        part[i] = i % 5 == 0 ? 1 : i % 5 == 1 ? 2 : 0;
        for (size_t j = 0; j < OUT_NIN; j++) {
            double noise = 0.05 * tu_box_muller(tu_unit(tu_splitmix(&s)), tu_unit(tu_splitmix(&s)));
            /* an outlier: far along the plane, and off it */
            double u = out ? 4 + 0.3 * a : a, v = out ? -4 + 0.3 * b : b;
            x[j][i] = (double)(j + 1) * u - (double)j * v + noise + (out ? (j % 2 ? 1.5 : -1.5) : 0);
        }
    }
}

static void
fit_method(const char *const *opts, double **x, const double *label, const unsigned char *part,
           struct hs_model **model, struct hs_method_report *rep)
{
    const struct hs_method *m = &hs_method_ae;
    struct hs_method_data d = {OUT_N, OUT_NIN, (const double *const *)x, NULL, label, NULL, part,
                               1};
    struct hs_params p;
    struct hs_err err;
    void *st = NULL;
    bool cancelled;

    assert_int_equal(hs_method_params(m, &p, &err), HS_OK);
    for (size_t i = 0; opts[i]; i += 2)
        assert_int_equal(hs_params_set(&p, opts[i], opts[i + 1], &err), HS_OK);
    assert_int_equal(m->check(&p, &err), HS_OK);
    assert_int_equal(hs_method_fit(m, &p, &d, NULL, NULL, &st, &cancelled, NULL, &err), HS_OK);
    assert_int_equal(m->model(st, model, &err), HS_OK);
    m->report(st, rep);
    m->free(st);
    hs_params_release(&p);
}

/* Trained on the background alone, the outliers score higher: the AUC of
 * the score against the label (which the fit never saw) is high, for the
 * autoencoder and both scores of the variational one. */
static void
test_outliers(void **state)
{
    (void)state;
    double **x = columns(OUT_NIN, OUT_N), label[OUT_N], score[OUT_N], auc;
    unsigned char part[OUT_N];
    size_t nbkg = 0;
    outlier_data(x, label, part);
    for (size_t i = 0; i < OUT_N; i++)
        nbkg += part[i] == 0 && label[i] == 0;
    const char *const ae[] = {"encoder", "16", "bottleneck", "2", "epochs", "25", "lr", "0.01",
                              NULL};
    const char *const vae[] = {"encoder", "16", "bottleneck", "2", "epochs", "25", "lr", "0.01",
                               "variational", "1", "beta", "0.1", NULL};
    const char *const vkl[] = {"encoder", "16", "bottleneck", "2", "epochs", "25", "lr", "0.01",
                               "variational", "1", "vae-score", "kl", NULL};
    const char *const *runs[] = {ae, vae, vkl};
    const double least[] = {0.95, 0.95, 0.95};
    for (int r = 0; r < 3; r++) {
        struct hs_model *model;
        struct hs_method_report rep;
        struct hs_err err;
        fit_method(runs[r], x, label, part, &model, &rep);
        assert_int_equal(rep.ntrain, nbkg);
        assert_string_equal(model->kind->name, "ae");
        assert_int_equal(hs_model_score(model, (const double *const *)x, OUT_N, score, NULL, &err),
                         HS_OK);
        assert_int_equal(hs_auc(score, label, NULL, OUT_N, &auc, &err), HS_OK);
        if (auc < least[r])
            fail_msg("run %d: AUC %g of the anomaly score", r, auc);
        hs_model_free(model);
    }
    /* --train-on all: every event of the training part. */
    const char *const all[] = {"encoder", "none", "epochs", "1", "train-on", "all", NULL};
    struct hs_model *model;
    struct hs_method_report rep;
    size_t ntrain = 0;
    for (size_t i = 0; i < OUT_N; i++)
        ntrain += part[i] == 0;
    fit_method(all, x, label, part, &model, &rep);
    assert_int_equal(rep.ntrain, ntrain);
    hs_model_free(model);
    columns_free(x, OUT_NIN);
}

/* The options that do not go together, and a training part with no
 * background. */
static void
test_usage(void **state)
{
    (void)state;
    const struct hs_method *m = &hs_method_ae;
    struct hs_params p;
    struct hs_err err;
    assert_int_equal(hs_method_params(m, &p, &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "beta", "2", &err), HS_OK);
    assert_int_equal(m->check(&p, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "--variational"));
    hs_params_release(&p);
    assert_int_equal(hs_method_params(m, &p, &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "vae-score", "kl", &err), HS_OK);
    assert_int_equal(m->check(&p, &err), HS_EUSAGE);
    assert_int_equal(hs_params_set(&p, "variational", NULL, &err), HS_OK);
    assert_int_equal(m->check(&p, &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "encoder", "1,2,3,4,5,6,7,8", &err), HS_EUSAGE);

    double a[4] = {1, 2, 3, 4}, lab[4] = {1, 1, 1, 0};
    unsigned char part[4] = {0, 0, 0, 1};
    const double *x[1] = {a};
    struct hs_method_data d = {4, 1, x, NULL, lab, NULL, part, 1};
    void *st = NULL;
    assert_int_equal(m->alloc(&p, &d, &st, &err), HS_EDATA);
    assert_null(st);
    hs_params_release(&p);
}

static struct hs_mlp *
trained_small(bool variational, enum hs_mlp_score score, enum hs_act act, size_t nin)
{
    const size_t enc[] = {6, 3};
    struct hs_mlp_config c = ae_config(2, enc, 2, act, variational);
    struct hs_mlp *m;
    c.score = score;
    assert_int_equal(hs_mlp_new(&c, nin, &m, NULL), HS_OK);
    randomise(m, 17 + nin, 0.6);
    for (size_t j = 0; j < nin; j++) {
        m->mean[j] = 0.1 * (double)j;
        m->sd[j] = 1.0 + 0.25 * (double)j;
    }
    return m;
}

static void
expect_damaged(const unsigned char *buf, size_t len)
{
    struct hs_model *m = (struct hs_model *)1;
    struct hs_err err;
    assert_int_equal(hs_model_load("ae", buf, len, 0, &m, &err), HS_EDATA);
    assert_null(m);
}

/* Round trips of every variant (the same scores, bit for bit), every
 * damage, and each kind refusing the other's network. */
static void
test_storage(void **state)
{
    (void)state;
    enum { N = 50, NIN = 3 };
    double **x = columns(NIN, N), a[N], b[N];
    uint64_t s = 5;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < NIN; j++)
            x[j][i] = i % 11 == 3 && j == 1 ? NAN : 3 * tu_unit(tu_splitmix(&s)) - 1;
    for (int v = 0; v < 3; v++) {
        struct hs_mlp *m = trained_small(v > 0, v == 2 ? HS_MLP_SCORE_KL : HS_MLP_SCORE_RECON,
                                         HS_ACT_RELU, NIN);
        struct hs_model *model, *back;
        unsigned char *buf;
        size_t len;
        struct hs_err err;
        assert_int_equal(hs_model_new(&hs_model_kind_ae, m, NIN, &model, &err), HS_OK);
        assert_int_equal(hs_model_serialize(model, &buf, &len, &err), HS_OK);
        assert_int_equal(hs_model_load("ae", buf, len, NIN, &back, &err), HS_OK);
        const struct hs_mlp *m2 = back->impl;
        assert_int_equal(m2->variational, m->variational);
        assert_int_equal(m2->score, m->score);
        assert_int_equal(m2->bottleneck, m->bottleneck);
        assert_int_equal(m2->nout, NIN);
        assert_memory_equal(m2->params, m->params, m->nparams * sizeof(double));
        assert_int_equal(hs_model_score(model, (const double *const *)x, N, a, NULL, &err), HS_OK);
        assert_int_equal(hs_model_score(back, (const double *const *)x, N, b, NULL, &err), HS_OK);
        for (size_t i = 0; i < N; i++)
            assert_true(tu_same_bits(a[i], b[i]));
        struct hs_model *wrong = NULL;
        assert_int_equal(hs_model_load("mlp", buf, len, NIN, &wrong, &err), HS_EDATA);
        assert_null(wrong);
        if (v == 1)
            tu_each_damage(buf, len, expect_damaged);
        hs_free(buf);
        hs_model_free(back);
        hs_model_free(model);
    }
    /* A classifier is not an autoencoder. */
    struct hs_mlp_config c;
    struct hs_mlp *cl;
    struct hs_model *model, *wrong = NULL;
    unsigned char *buf;
    size_t len;
    struct hs_err err;
    hs_mlp_config_default(&c);
    assert_int_equal(hs_mlp_new(&c, NIN, &cl, NULL), HS_OK);
    assert_int_equal(hs_model_new(&hs_model_kind_mlp, cl, NIN, &model, &err), HS_OK);
    assert_int_equal(hs_model_serialize(model, &buf, &len, &err), HS_OK);
    assert_int_equal(hs_model_load("ae", buf, len, NIN, &wrong, &err), HS_EDATA);
    assert_null(wrong);
    hs_free(buf);
    hs_model_free(model);
    columns_free(x, NIN);
}

/* The exported C, compiled with cc, against hs_mlp_score on every event,
 * missing inputs included. */
static void
test_export(void **state)
{
    (void)state;
    if (!tx_have_cc())
        skip();
    enum { N = 300, NIN = 5 };
    double **x = columns(NIN, N), want[N], got[N];
    uint64_t s = 9;
    const char *const names[NIN] = {"a", "b", "c*/d", "e", "f"};
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < NIN; j++)
            x[j][i] = i % 13 == 2 && j == 3 ? NAN : 4 * tu_unit(tu_splitmix(&s)) - 2;
    const enum hs_act acts[] = {HS_ACT_RELU, HS_ACT_TANH, HS_ACT_SIGMOID};
    for (int v = 0; v < 3; v++) {
        struct hs_mlp *m = trained_small(v > 0, v == 2 ? HS_MLP_SCORE_KL : HS_MLP_SCORE_RECON,
                                         acts[v], NIN);
        char *src;
        assert_int_equal(hs_mlp_export_c(m, names, "anomaly", &src, NULL), HS_OK);
        assert_int_equal(hs_mlp_score(m, (const double *const *)x, N, want, NULL, NULL), HS_OK);
        tx_run(src, "anomaly", (const double *const *)x, N, NIN, got);
        for (size_t i = 0; i < N; i++)
            if (!(fabs(got[i] - want[i]) <= 1e-12 * (1 + fabs(want[i]))))
                fail_msg("variant %d, event %zu: exported %.17g, hepscope %.17g", v, i, got[i],
                         want[i]);
        hs_free(src);
        hs_mlp_free(m);
    }
    columns_free(x, NIN);
}

/* For a given slice count (--threads), the weights are the same bits
 * however the slices run: one OS thread, two, the fallback, beside a busy
 * process; the variational latents' noise included. */
static void
test_threads(void **state)
{
    (void)state;
    enum { N = 1200, NIN = 4 };
    double **x = columns(NIN, N), *y = calloc(N, sizeof *y), *ref = NULL;
    unsigned char part[N];
    uint64_t s = 13;
    for (size_t i = 0; i < N; i++) {
        part[i] = i % 4 == 0;
        for (size_t j = 0; j < NIN; j++)
            x[j][i] = tu_box_muller(tu_unit(tu_splitmix(&s)), tu_unit(tu_splitmix(&s))) +
                      (j ? x[0][i] : 0);
    }
    const size_t enc[] = {8};
    struct hs_mlp_config c = ae_config(1, enc, 2, HS_ACT_RELU, true);
    c.epochs = 3;
    c.batch = 128;
    c.threads = 2;
    hs_par_set_threads(2);
    for (int h = 0; h < HOW_COUNT; h++) {
        struct hs_mlp_result r;
        how_begin((enum how)h);
        assert_int_equal(hs_mlp_train(&c, (const double *const *)x, NIN, y, NULL, part, N, &r,
                                      NULL, NULL),
                         HS_OK);
        how_end((enum how)h);
        if (h == ONE_THREAD) {
            ref = malloc(r.model->nparams * sizeof *ref);
            memcpy(ref, r.model->params, r.model->nparams * sizeof *ref);
        } else {
            for (size_t i = 0; i < r.model->nparams; i++)
                assert_true(tu_same_bits(r.model->params[i], ref[i]));
        }
        hs_mlp_result_release(&r);
    }
    hs_par_set_threads(0);
    free(ref);
    free(y);
    columns_free(x, NIN);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mse_gradient),
        cmocka_unit_test(test_vae_kl),
        cmocka_unit_test(test_linear_pca),
        cmocka_unit_test(test_outliers),
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_storage),
        cmocka_unit_test_setup_teardown(test_export, tx_setup, tx_teardown),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

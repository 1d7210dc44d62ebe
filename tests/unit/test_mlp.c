/* test_mlp.c: the network (src/mlp.c, src/mlp_train.c) against
 * independent references: central finite differences for the gradient, a
 * forward pass written here in plain loops from the documented parameter
 * layout, brute-force AUCs and losses, and problems with a known answer
 * (XOR, a linearly separable set). */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mlp.h"
#include "test_util.h"

/* ---- the reference forward pass ---- */

static double
ref_act(enum hs_act a, double v)
{
    switch (a) {
    case HS_ACT_RELU:
        return v > 0 ? v : 0;
    case HS_ACT_LEAKY_RELU:
        return v > 0 ? v : 0.01 * v;
    case HS_ACT_TANH:
        return tanh(v);
    case HS_ACT_SIGMOID:
        return 1 / (1 + exp(-v));
    default:
        return v;
    }
}

/* The logit of one standardised input vector. */
static double
ref_logit(const struct hs_mlp *m, const double *xs)
{
    double h[2][HS_MLP_MAX_WIDTH];
    size_t in = m->nin, off = 0;
    int cur = 0;
    memcpy(h[0], xs, in * sizeof(double));
    for (size_t l = 0; l <= m->nhidden; l++) {
        size_t out = l < m->nhidden ? m->width[l] : 1;
        const double *W = m->params + off, *b = W + in * out;
        for (size_t o = 0; o < out; o++) {
            double s = b[o];
            for (size_t i = 0; i < in; i++)
                s += W[o * in + i] * h[cur][i];
            h[!cur][o] = l < m->nhidden ? ref_act(m->act, s) : s;
        }
        cur = !cur;
        off += in * out + out;
        in = out;
    }
    assert_int_equal(off, m->nparams);
    return h[cur][0];
}

static double
ref_score_raw(const struct hs_mlp *m, const double *raw)
{
    double xs[64];
    for (size_t j = 0; j < m->nin; j++)
        xs[j] = isnan(raw[j]) ? 0 : (raw[j] - m->mean[j]) / m->sd[j];
    return 1 / (1 + exp(-ref_logit(m, xs)));
}

/* -[y log p + (1 - y) log(1 - p)] straight from the definition. */
static double
ref_bce(double z, double y)
{
    double p = 1 / (1 + exp(-z));
    return -(y * log(p) + (1 - y) * log(1 - p));
}

/* Weighted Mann-Whitney AUC by brute force. */
static double
ref_auc(const double *s, const double *y, size_t n)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (y[i] == 1 && y[j] == 0) {
                num += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                den += 1;
            }
    return num / den;
}

static struct hs_mlp_config
small_config(void)
{
    struct hs_mlp_config c;
    hs_mlp_config_default(&c);
    c.threads = 1;
    c.l2 = 0;
    c.dropout[0] = c.dropout[1] = 0;
    c.patience = 0;
    return c;
}

/* ---- tests ---- */

static void
test_names(void **state)
{
    (void)state;
    for (int a = 0; a < 5; a++)
        assert_int_equal(hs_act_parse(hs_act_name(a)), a);
    for (int o = 0; o < 3; o++)
        assert_int_equal(hs_optim_parse(hs_optim_name(o)), o);
    for (int p = 0; p < 3; p++)
        assert_int_equal(hs_negw_parse(hs_negw_name(p)), p);
    assert_string_equal(hs_act_name(HS_ACT_LEAKY_RELU), "leaky_relu");
    assert_int_equal(hs_act_parse("softmax"), -1);
    assert_int_equal(hs_optim_parse("rmsprop"), -1);
    assert_int_equal(hs_negw_parse(NULL), -1);
    struct hs_mlp_config c;
    hs_mlp_config_default(&c);
    assert_int_equal(c.nhidden, 2);
    assert_int_equal(c.width[1], 64);
    assert_int_equal(c.batch, 256);
    assert_int_equal(c.epochs, 50);
    assert_int_equal(c.patience, 5);
    assert_true(fabs(c.lr - 1e-3) < 1e-15 && fabs(c.l2 - 1e-4) < 1e-15);
}

static void
test_layout(void **state)
{
    (void)state;
    struct hs_mlp_config c = small_config();
    c.nhidden = 2;
    c.width[0] = 4;
    c.width[1] = 3;
    struct hs_mlp *m;
    assert_int_equal(hs_mlp_new(&c, 5, &m, NULL), HS_OK);
    assert_int_equal(m->nparams, 5 * 4 + 4 + 4 * 3 + 3 + 3 + 1);
    size_t wo, bo, ni, no;
    hs_mlp_layer(m, 1, &wo, &bo, &ni, &no);
    assert_int_equal(wo, 24);
    assert_int_equal(bo, 36);
    assert_int_equal(ni, 4);
    assert_int_equal(no, 3);
    hs_mlp_layer(m, 2, &wo, &bo, &ni, &no);
    assert_int_equal(wo, 39);
    assert_int_equal(bo, 42);
    assert_int_equal(no, 1);
    /* Biases start at 0; He weights for relu have about the right spread. */
    for (size_t i = 20; i < 24; i++)
        assert_true(m->params[i] == 0);
    hs_mlp_free(m);

    c.nhidden = 1;
    c.width[0] = 400;
    assert_int_equal(hs_mlp_new(&c, 50, &m, NULL), HS_OK);
    double ss = 0;
    for (size_t i = 0; i < 50 * 400; i++)
        ss += m->params[i] * m->params[i];
    double sd = sqrt(ss / (50 * 400));
    assert_true(fabs(sd - sqrt(2.0 / 50)) < 0.02 * sqrt(2.0 / 50) * 5);
    hs_mlp_free(m);
    hs_mlp_free(NULL);
}

static void
gradcheck(enum hs_act act, double l2)
{
    struct hs_mlp_config c = small_config();
    c.nhidden = 2;
    c.width[0] = c.width[1] = 5;
    c.act = act;
    c.seed = 11 + (uint64_t)act;
    struct hs_mlp *m;
    assert_int_equal(hs_mlp_new(&c, 3, &m, NULL), HS_OK);
    uint64_t s = 1234 + (uint64_t)act;
    /* Random weights and biases so that every term matters. */
    for (size_t i = 0; i < m->nparams; i++)
        m->params[i] = 1.2 * (tu_unit(tu_splitmix(&s)) - 0.5);
    enum { N = 17 };
    double cols[3][N], label[N], weight[N];
    const double *x[3] = {cols[0], cols[1], cols[2]};
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < 3; j++)
            cols[j][i] = tu_box_muller(tu_unit(tu_splitmix(&s)), tu_unit(tu_splitmix(&s)));
        label[i] = (double)(tu_splitmix(&s) & 1);
        weight[i] = 0.5 + 1.5 * tu_unit(tu_splitmix(&s));
    }
    weight[3] = -0.7; /* a negative weight */

    size_t np = m->nparams;
    double *g = malloc(np * sizeof *g);
    double loss;
    assert_int_equal(hs_mlp_loss_grad(m, x, label, weight, N, l2, &loss, g, NULL), HS_OK);

    /* The loss itself from the definition: sum w l / sum |w| + l2/2 |W|^2. */
    double sl = 0, sw = 0, reg = 0;
    for (int i = 0; i < N; i++) {
        double xs[3] = {cols[0][i], cols[1][i], cols[2][i]};
        sl += weight[i] * ref_bce(ref_logit(m, xs), label[i]);
        sw += fabs(weight[i]);
    }
    for (size_t l = 0; l <= m->nhidden; l++) {
        size_t wo, bo;
        hs_mlp_layer(m, l, &wo, &bo, NULL, NULL);
        for (size_t i = wo; i < bo; i++)
            reg += m->params[i] * m->params[i];
    }
    assert_true(fabs(loss - (sl / sw + 0.5 * l2 * reg)) < 1e-12);

    double num = 0, den = 0;
    for (size_t i = 0; i < np; i++) {
        double keep = m->params[i], h = 1e-5, lp, lm;
        m->params[i] = keep + h;
        assert_int_equal(hs_mlp_loss_grad(m, x, label, weight, N, l2, &lp, NULL, NULL), HS_OK);
        m->params[i] = keep - h;
        assert_int_equal(hs_mlp_loss_grad(m, x, label, weight, N, l2, &lm, NULL, NULL), HS_OK);
        m->params[i] = keep;
        double fd = (lp - lm) / (2 * h);
        num += (g[i] - fd) * (g[i] - fd);
        den += g[i] * g[i];
    }
    double rel = sqrt(num / den);
    if (!(rel < 1e-6))
        print_error("activation %s l2 %g: relative error %g\n", hs_act_name(act), l2, rel);
    assert_true(rel < 1e-6);
    free(g);
    hs_mlp_free(m);
}

static void
test_gradcheck(void **state)
{
    (void)state;
    for (int a = 0; a < 5; a++) {
        gradcheck((enum hs_act)a, 0);
        gradcheck((enum hs_act)a, 0.03);
    }
}

static void
test_score_manual(void **state)
{
    (void)state;
    struct hs_mlp_config c = small_config();
    c.nhidden = 2;
    c.width[0] = 7;
    c.width[1] = 4;
    c.act = HS_ACT_TANH;
    struct hs_mlp *m;
    assert_int_equal(hs_mlp_new(&c, 3, &m, NULL), HS_OK);
    uint64_t s = 99;
    for (size_t i = 0; i < m->nparams; i++)
        m->params[i] = tu_unit(tu_splitmix(&s)) - 0.5;
    double mean[3] = {1.5, -2, 100}, sd[3] = {2, 0.5, 30};
    memcpy(m->mean, mean, sizeof mean);
    memcpy(m->sd, sd, sizeof sd);
    enum { N = 5000 }; /* more than one scoring chunk */
    double *cols = malloc(3 * N * sizeof *cols), *out = malloc(N * sizeof *out);
    const double *x[3] = {cols, cols + N, cols + 2 * N};
    for (int i = 0; i < N; i++)
        for (int j = 0; j < 3; j++)
            cols[j * N + i] = mean[j] + sd[j] * 2 * (tu_unit(tu_splitmix(&s)) - 0.5);
    cols[0 * N + 17] = NAN;
    cols[2 * N + 4500] = NAN;
    assert_int_equal(hs_mlp_score(m, x, N, out, NULL, NULL), HS_OK);
    double worst = 0;
    for (int i = 0; i < N; i++) {
        double raw[3] = {x[0][i], x[1][i], x[2][i]};
        double d = fabs(out[i] - ref_score_raw(m, raw));
        worst = d > worst ? d : worst;
    }
    assert_true(worst < 1e-12);

    atomic_int flag = 1;
    struct hs_task task = {NULL, NULL, &flag};
    assert_int_equal(hs_mlp_score(m, x, N, out, &task, NULL), HS_ECANCELLED);
    free(cols);
    free(out);
    hs_mlp_free(m);
}

static void
test_xor(void **state)
{
    (void)state;
    enum { N = 256 };
    double a[N], b[N], y[N];
    for (int i = 0; i < N; i++) {
        a[i] = (i & 1) ? 1 : -1;
        b[i] = (i & 2) ? 1 : -1;
        y[i] = ((i & 1) ^ ((i >> 1) & 1)) ? 1 : 0;
    }
    const double *x[2] = {a, b};
    struct hs_mlp_config c = small_config();
    c.nhidden = 1;
    c.width[0] = 8;
    c.act = HS_ACT_TANH;
    c.lr = 0.05;
    c.batch = 32;
    c.epochs = 150;
    struct hs_mlp_result r;
    assert_int_equal(hs_mlp_train(&c, x, 2, y, NULL, NULL, N, &r, NULL, NULL), HS_OK);
    assert_int_equal(r.nepochs, 150);
    assert_int_equal(r.best_epoch, 150);
    assert_int_equal(r.ntrain, N);
    assert_int_equal(r.nval, 0);
    double s[4];
    assert_int_equal(hs_mlp_score(r.model, x, 4, s, NULL, NULL), HS_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(s[i] > 0.5, y[i] == 1);
    assert_true(r.curve[r.nepochs - 1].loss < 0.1);
    assert_true(isnan(r.curve[0].val_loss));
    hs_mlp_result_release(&r);
}

/* Gaussian blobs cut by the line a + 2 b = 0.3: separable. */
static void
make_separable(size_t n, double *a, double *b, double *y, unsigned char *part, uint64_t seed)
{
    uint64_t s = seed;
    size_t i = 0;
    while (i < n) {
        double u = 3 * tu_box_muller(tu_unit(tu_splitmix(&s)), tu_unit(tu_splitmix(&s))) + 5;
        double v = 2 * tu_box_muller(tu_unit(tu_splitmix(&s)), tu_unit(tu_splitmix(&s)));
        double d = u - 5 + 2 * v - 0.3;
        if (fabs(d) < 0.2)
            continue; /* a margin */
        a[i] = u;
        b[i] = v;
        y[i] = d > 0;
        if (part)
            part[i] = i % 5 == 0 ? 1 : 0;
        i++;
    }
}

static void
test_separable(void **state)
{
    (void)state;
    enum { N = 2000 };
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b), *y = malloc(N * sizeof *y);
    double *s = malloc(N * sizeof *s);
    unsigned char *part = malloc(N);
    make_separable(N, a, b, y, part, 5);
    const double *x[2] = {a, b};
    struct hs_mlp_config c = small_config();
    c.width[0] = c.width[1] = 16;
    c.lr = 1e-2;
    c.batch = 64;
    c.epochs = 30;
    c.patience = 10;
    c.dropout[0] = c.dropout[1] = 0.05;
    struct hs_mlp_result r;
    assert_int_equal(hs_mlp_train(&c, x, 2, y, NULL, part, N, &r, NULL, NULL), HS_OK);
    assert_int_equal(r.ntrain, N - N / 5);
    assert_int_equal(r.nval, N / 5);
    assert_int_equal(hs_mlp_score(r.model, x, N, s, NULL, NULL), HS_OK);
    assert_true(ref_auc(s, y, N) > 0.999);
    /* The reported validation AUC is the brute-force one on part 1. */
    double sv[N / 5], yv[N / 5];
    size_t k = 0;
    for (size_t i = 0; i < N; i++)
        if (part[i] == 1) {
            sv[k] = s[i];
            yv[k++] = y[i];
        }
    assert_true(fabs(r.curve[r.best_epoch - 1].val_auc - ref_auc(sv, yv, k)) < 1e-12);
    hs_mlp_result_release(&r);
    free(a);
    free(b);
    free(y);
    free(s);
    free(part);
}

static void
test_determinism(void **state)
{
    (void)state;
    enum { N = 1500 };
    double a[N], b[N], y[N];
    unsigned char part[N];
    make_separable(N, a, b, y, part, 9);
    const double *x[2] = {a, b};
    struct hs_mlp_config c = small_config();
    c.width[0] = c.width[1] = 12;
    c.dropout[0] = 0.2;
    c.epochs = 4;
    c.batch = 50;
    c.seed = 7;
    struct hs_mlp_result r1, r2, r3;
    assert_int_equal(hs_mlp_train(&c, x, 2, y, NULL, part, N, &r1, NULL, NULL), HS_OK);
    assert_int_equal(hs_mlp_train(&c, x, 2, y, NULL, part, N, &r2, NULL, NULL), HS_OK);
    c.seed = 8;
    assert_int_equal(hs_mlp_train(&c, x, 2, y, NULL, part, N, &r3, NULL, NULL), HS_OK);
    size_t np = r1.model->nparams;
    assert_int_equal(memcmp(r1.model->params, r2.model->params, np * sizeof(double)), 0);
    assert_int_not_equal(memcmp(r1.model->params, r3.model->params, np * sizeof(double)), 0);
    hs_mlp_result_release(&r1);
    hs_mlp_result_release(&r2);
    hs_mlp_result_release(&r3);
}

static void
test_early_stopping(void **state)
{
    (void)state;
    /* 40 training events with random labels overfit; 400 validation
     * events with random labels only get worse. */
    enum { N = 440 };
    double a[N], b[N], y[N], w[N], s[N];
    unsigned char part[N];
    uint64_t st = 31;
    for (int i = 0; i < N; i++) {
        a[i] = tu_unit(tu_splitmix(&st));
        b[i] = tu_unit(tu_splitmix(&st));
        y[i] = (double)(tu_splitmix(&st) & 1);
        w[i] = 0.5 + tu_unit(tu_splitmix(&st));
        part[i] = i < 40 ? 0 : 1;
    }
    const double *x[2] = {a, b};
    struct hs_mlp_config c = small_config();
    c.width[0] = c.width[1] = 32;
    c.lr = 2e-2;
    c.batch = 8;
    c.epochs = 300;
    c.patience = 4;
    struct hs_mlp_result r;
    assert_int_equal(hs_mlp_train(&c, x, 2, y, w, part, N, &r, NULL, NULL), HS_OK);
    assert_true(r.early_stopped);
    assert_true(r.nepochs < 300);
    assert_true(r.best_epoch < r.nepochs);
    assert_int_equal(r.nepochs - r.best_epoch, 4);
    double best = INFINITY;
    for (size_t e = 0; e < r.nepochs; e++) {
        assert_int_equal(r.curve[e].epoch, e + 1);
        best = r.curve[e].val_loss < best ? r.curve[e].val_loss : best;
    }
    assert_true(best == r.curve[r.best_epoch - 1].val_loss);
    /* The returned model's validation loss, recomputed here. */
    assert_int_equal(hs_mlp_score(r.model, x, N, s, NULL, NULL), HS_OK);
    double sl = 0, sw = 0;
    for (int i = 40; i < N; i++) {
        sl += w[i] * -(y[i] * log(s[i]) + (1 - y[i]) * log(1 - s[i]));
        sw += w[i];
    }
    assert_true(fabs(sl / sw - best) < 1e-9);
    hs_mlp_result_release(&r);
}

struct stop_at {
    atomic_int flag;
    size_t at, calls;
};

static void
stop_on_epoch(void *user, const struct hs_epoch_info *e)
{
    struct stop_at *s = user;
    s->calls++;
    if (e->epoch == s->at)
        atomic_store(&s->flag, 1);
}

static void
test_cancel(void **state)
{
    (void)state;
    enum { N = 1000 };
    double a[N], b[N], y[N];
    unsigned char part[N];
    make_separable(N, a, b, y, part, 3);
    const double *x[2] = {a, b};
    struct hs_mlp_config c = small_config();
    c.width[0] = c.width[1] = 8;
    c.epochs = 50;
    struct stop_at st = {0, 2, 0};
    c.on_epoch = stop_on_epoch;
    c.on_epoch_user = &st;
    struct hs_task task = {NULL, NULL, &st.flag};
    struct hs_mlp_result r;
    assert_int_equal(hs_mlp_train(&c, x, 2, y, NULL, part, N, &r, &task, NULL), HS_OK);
    assert_true(r.cancelled);
    assert_int_equal(r.nepochs, 2);
    assert_int_equal(st.calls, 2);
    assert_non_null(r.model);
    assert_true(r.best_epoch >= 1 && r.best_epoch <= 2);
    hs_mlp_result_release(&r);

    /* Raised before: nothing finished. */
    struct hs_err err;
    st.calls = 0;
    memset(&r, 0x5a, sizeof r);
    assert_int_equal(hs_mlp_train(&c, x, 2, y, NULL, part, N, &r, &task, &err), HS_ECANCELLED);
    assert_int_equal(st.calls, 0);

    /* Raised by the first progress report, before the first batch ends. */
    struct tu_cancel_at ca = {0.0, 0};
    struct hs_task t2 = {tu_cancel_at_progress, &ca, &ca.flag};
    c.on_epoch = NULL;
    assert_int_equal(hs_mlp_train(&c, x, 2, y, NULL, part, N, &r, &t2, &err), HS_ECANCELLED);
}

static void
test_imputation_negw(void **state)
{
    (void)state;
    enum { N = 200 };
    double a[N], b[N], y[N], w[N];
    unsigned char part[N];
    make_separable(N, a, b, y, part, 4);
    for (int i = 0; i < N; i++)
        w[i] = 1;
    int nmiss_train = 0;
    for (int i = 3; i < N; i += 13) {
        a[i] = NAN;
        nmiss_train += part[i] == 0;
    }
    b[0] = NAN; /* part 1 */
    b[1] = NAN;
    nmiss_train += part[1] == 0;
    w[2] = -1;
    w[6] = -0.5;
    y[7] = NAN; /* left out */
    const double *x[2] = {a, b};
    struct hs_mlp_config c = small_config();
    c.width[0] = c.width[1] = 4;
    c.epochs = 2;
    struct hs_mlp_result r;
    assert_int_equal(hs_mlp_train(&c, x, 2, y, w, part, N, &r, NULL, NULL), HS_OK);
    assert_int_equal(r.nimputed, nmiss_train);
    assert_int_equal(r.nnegative, 2);
    assert_int_equal(r.ntrain, 160 - 1);
    /* Unweighted mean and population sd of the training values present. */
    double s1 = 0, s2 = 0;
    int k = 0;
    for (int i = 0; i < N; i++)
        if (part[i] == 0 && !isnan(a[i]) && !isnan(y[i])) {
            s1 += a[i];
            k++;
        }
    for (int i = 0; i < N; i++)
        if (part[i] == 0 && !isnan(a[i]) && !isnan(y[i]))
            s2 += (a[i] - s1 / k) * (a[i] - s1 / k);
    assert_true(fabs(r.model->mean[0] - s1 / k) < 1e-12);
    assert_true(fabs(r.model->sd[0] - sqrt(s2 / k)) < 1e-12);
    hs_mlp_result_release(&r);

    c.negw = HS_NEGW_IGNORE;
    assert_int_equal(hs_mlp_train(&c, x, 2, y, w, part, N, &r, NULL, NULL), HS_OK);
    assert_int_equal(r.nnegative, 2);
    assert_int_equal(r.ntrain, 160 - 1 - 2);
    hs_mlp_result_release(&r);
}

/* The first epoch's loss with a vanishing learning rate and one full batch
 * is the weighted loss at the initial weights: compare with the
 * definition, class weights balanced or not. */
static double
first_loss(bool balance, double *expect)
{
    enum { N = 100 };
    double a[N], b[N], y[N], w[N];
    uint64_t s = 77;
    for (int i = 0; i < N; i++) {
        a[i] = tu_unit(tu_splitmix(&s));
        b[i] = tu_unit(tu_splitmix(&s));
        y[i] = i < 10; /* 10 signal, 90 background */
        w[i] = 1 + (i % 3);
    }
    const double *x[2] = {a, b};
    struct hs_mlp_config c = small_config();
    c.width[0] = c.width[1] = 4;
    c.epochs = 1;
    c.batch = N;
    c.lr = 1e-300;
    c.balance = balance;
    struct hs_mlp_result r;
    assert_int_equal(hs_mlp_train(&c, x, 2, y, w, NULL, N, &r, NULL, NULL), HS_OK);
    double ws = 0, wb = 0;
    for (int i = 0; i < N; i++) {
        if (y[i] == 1)
            ws += w[i];
        else
            wb += w[i];
    }
    double sl = 0, sw = 0;
    for (int i = 0; i < N; i++) {
        double wi = w[i];
        if (balance)
            wi *= (ws + wb) / 2 / (y[i] == 1 ? ws : wb);
        double xs[2] = {(a[i] - r.model->mean[0]) / r.model->sd[0],
                        (b[i] - r.model->mean[1]) / r.model->sd[1]};
        sl += wi * ref_bce(ref_logit(r.model, xs), y[i]);
        sw += wi;
    }
    *expect = sl / sw;
    double got = r.curve[0].loss;
    hs_mlp_result_release(&r);
    return got;
}

static void
test_balance(void **state)
{
    (void)state;
    double e1, e2;
    double l1 = first_loss(false, &e1), l2 = first_loss(true, &e2);
    assert_true(fabs(l1 - e1) < 1e-12);
    assert_true(fabs(l2 - e2) < 1e-12);
    assert_true(fabs(l1 - l2) > 1e-3);
}

/* With balance, the validation loss is the balanced one too: recomputed
 * here from the best model's scores, the validation rows' classes each
 * weighing half of their total. */
static void
test_balance_validation(void **state)
{
    (void)state;
    enum { N = 2000 };
    double a[N], b[N], y[N], w[N], p[N];
    unsigned char part[N];
    make_separable(N, a, b, y, NULL, 21);
    for (int i = 0; i < N; i++) {
        w[i] = y[i] == 1 ? 0.01 : 2.0; /* classes far from equal weight */
        part[i] = i % 3 == 0;
    }
    const double *x[2] = {a, b};
    struct hs_mlp_config c = small_config();
    c.balance = true;
    c.epochs = 4;
    c.patience = 0;
    struct hs_mlp_result r;
    struct hs_err err;
    assert_int_equal(hs_mlp_train(&c, x, 2, y, w, part, N, &r, NULL, &err), HS_OK);
    assert_int_equal(hs_mlp_score(r.model, x, N, p, NULL, &err), HS_OK);
    double ws = 0, wb = 0, sl = 0, sw = 0;
    for (int i = 0; i < N; i++)
        if (part[i])
            *(y[i] == 1 ? &ws : &wb) += w[i];
    for (int i = 0; i < N; i++) {
        if (!part[i])
            continue;
        double wi = w[i] * 0.5 * (ws + wb) / (y[i] == 1 ? ws : wb);
        double q = fmin(fmax(p[i], 1e-300), 1 - 1e-16);
        sl += wi * -(y[i] == 1 ? log(q) : log1p(-q));
        sw += wi;
    }
    double best = r.curve[r.best_epoch - 1].val_loss;
    assert_true(fabs(sl / sw - best) < 1e-6 * fmax(1, best));
    hs_mlp_result_release(&r);
}

static void
test_usage(void **state)
{
    (void)state;
    enum { N = 50 };
    double a[N], y[N];
    for (int i = 0; i < N; i++) {
        a[i] = i;
        y[i] = i % 2;
    }
    const double *x[1] = {a};
    struct hs_mlp_result r;
    struct hs_err err;
    struct hs_mlp_config c = small_config();
    c.width[1] = 0;
    assert_int_equal(hs_mlp_train(&c, x, 1, y, NULL, NULL, N, &r, NULL, &err), HS_EUSAGE);
    struct hs_mlp *m = NULL;
    assert_int_equal(hs_mlp_new(&c, 1, &m, &err), HS_EUSAGE);
    c = small_config();
    c.dropout[0] = 1;
    assert_int_equal(hs_mlp_train(&c, x, 1, y, NULL, NULL, N, &r, NULL, &err), HS_EUSAGE);
    c = small_config();
    c.lr = 0;
    assert_int_equal(hs_mlp_train(&c, x, 1, y, NULL, NULL, N, &r, NULL, &err), HS_EUSAGE);
    c.lr = -1;
    assert_int_equal(hs_mlp_train(&c, x, 1, y, NULL, NULL, N, &r, NULL, &err), HS_EUSAGE);
    c = small_config();
    c.batch = 0;
    assert_int_equal(hs_mlp_train(&c, x, 1, y, NULL, NULL, N, &r, NULL, &err), HS_EUSAGE);
    c = small_config();
    c.nhidden = HS_MLP_MAX_HIDDEN + 1;
    assert_int_equal(hs_mlp_train(&c, x, 1, y, NULL, NULL, N, &r, NULL, &err), HS_EUSAGE);
    c = small_config();
    assert_int_equal(hs_mlp_train(&c, x, 0, y, NULL, NULL, N, &r, NULL, &err), HS_EUSAGE);
    /* No signal in the training part (part 1 has some). */
    unsigned char part[N];
    for (int i = 0; i < N; i++)
        part[i] = y[i] == 1;
    assert_int_equal(hs_mlp_train(&c, x, 1, y, NULL, part, N, &r, NULL, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "signal"));
}

static void
test_optimizers(void **state)
{
    (void)state;
    enum { N = 1000 };
    double a[N], b[N], y[N], s[N];
    make_separable(N, a, b, y, NULL, 8);
    const double *x[2] = {a, b};
    for (int o = 0; o < 3; o++) {
        struct hs_mlp_config c = small_config();
        c.width[0] = c.width[1] = 8;
        c.optim = (enum hs_optim)o;
        c.lr = o == HS_OPTIM_ADAM ? 1e-2 : 5e-2;
        c.lr_decay = 0.01;
        c.l2 = 1e-4;
        c.epochs = 20;
        c.batch = 32;
        struct hs_mlp_result r;
        assert_int_equal(hs_mlp_train(&c, x, 2, y, NULL, NULL, N, &r, NULL, NULL), HS_OK);
        assert_true(fabs(r.curve[1].lr - c.lr / 1.01) < 1e-15);
        assert_true(r.curve[r.nepochs - 1].loss < r.curve[0].loss);
        assert_int_equal(hs_mlp_score(r.model, x, N, s, NULL, NULL), HS_OK);
        assert_true(ref_auc(s, y, N) > 0.995);
        hs_mlp_result_release(&r);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),         cmocka_unit_test(test_layout),
        cmocka_unit_test(test_gradcheck),     cmocka_unit_test(test_score_manual),
        cmocka_unit_test(test_xor),           cmocka_unit_test(test_separable),
        cmocka_unit_test(test_determinism),   cmocka_unit_test(test_early_stopping),
        cmocka_unit_test(test_cancel),        cmocka_unit_test(test_imputation_negw),
        cmocka_unit_test(test_balance),       cmocka_unit_test(test_balance_validation),
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_optimizers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_fisher.c: Fisher's linear discriminant (src/fisher.c and
 * src/fisher_io.c) against independent references: the closed form
 * Sigma^-1 (mu_s - mu_b) for two Gaussian classes; for a small weighted
 * set with missing values, labels and parts to leave out, the means, the
 * covariance, its shrinkage and the solve written here in plain loops and
 * Gaussian elimination; a column given twice against the fit without the
 * copy; errors, cancel and allocation failures; the stored bytes against
 * the documented layout, every truncation and corrupted byte; and the
 * exported C compiled with cc. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fisher.h"
#include "mem.h"
#include "test_export.h"
#include "test_util.h"

#define MAXP 8

/* ---- parameters and fits ---- */

/* The spec's defaults, set here from its text (not through method.c). */
static void
params_init(struct hs_params *p)
{
    const struct hs_param_spec *spec = hs_method_fisher.params;
    size_t n = 0;

    while (spec[n].name)
        n++;
    p->spec = spec;
    p->n = n;
    p->v = calloc(n, sizeof *p->v);
    for (size_t i = 0; i < n; i++) {
        if (spec[i].type == HS_PARAM_REAL) {
            p->v[i].x = strtod(spec[i].def, NULL);
        } else {
            assert_int_equal(spec[i].type, HS_PARAM_CHOICE);
            for (size_t k = 0; spec[i].choices[k]; k++)
                if (strcmp(spec[i].choices[k], spec[i].def) == 0)
                    p->v[i].x = (double)k;
        }
    }
}

static void
params_set(struct hs_params *p, const char *name, const char *text)
{
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->spec[i].name, name) != 0)
            continue;
        if (p->spec[i].type == HS_PARAM_REAL) {
            p->v[i].x = strtod(text, NULL);
            return;
        }
        for (size_t k = 0; p->spec[i].choices[k]; k++)
            if (strcmp(p->spec[i].choices[k], text) == 0) {
                p->v[i].x = (double)k;
                return;
            }
    }
    fail_msg("no parameter %s=%s", name, text);
}

/* alloc, step, model, report, free; *out NULL on failure. */
static int
fit(const struct hs_method_data *d, const struct hs_params *p, struct hs_model **out,
    struct hs_method_report *rep, const struct hs_task *task, struct hs_err *err)
{
    const struct hs_method *m = &hs_method_fisher;
    struct hs_method_status st;
    void *state = NULL;
    int rc;

    *out = NULL;
    rc = m->alloc(p, d, &state, err);
    if (rc != HS_OK) {
        assert_null(state);
        return rc;
    }
    rc = m->step(state, &st, task, err);
    if (rc == HS_OK) {
        assert_true(st.done);
        rc = m->model(state, out, err);
    } else {
        struct hs_model *none = NULL;
        assert_int_equal(m->model(state, &none, NULL), HS_EDATA);
        assert_null(none);
    }
    if (rep)
        m->report(state, rep);
    m->free(state);
    return rc;
}

static const struct hs_fisher *
impl(const struct hs_model *m)
{
    assert_ptr_equal(m->kind, &hs_model_kind_fisher);
    return m->impl;
}

static int
rel_close(double a, double b, double tol)
{
    return fabs(a - b) <= tol * fmax(1, fmax(fabs(a), fabs(b)));
}

/* x = A^-1 y by Gaussian elimination with partial pivoting. */
static void
ref_solve(size_t p, const double *A, const double *y, double *x)
{
    double M[MAXP][MAXP + 1];

    for (size_t i = 0; i < p; i++) {
        for (size_t j = 0; j < p; j++)
            M[i][j] = A[i * p + j];
        M[i][p] = y[i];
    }
    for (size_t c = 0; c < p; c++) {
        size_t piv = c;
        for (size_t r = c + 1; r < p; r++)
            if (fabs(M[r][c]) > fabs(M[piv][c]))
                piv = r;
        for (size_t j = 0; j <= p; j++) {
            double t = M[c][j];
            M[c][j] = M[piv][j];
            M[piv][j] = t;
        }
        assert_true(fabs(M[c][c]) > 1e-300);
        for (size_t r = 0; r < p; r++) {
            double f;
            if (r == c)
                continue;
            f = M[r][c] / M[c][c];
            for (size_t j = c; j <= p; j++)
                M[r][j] -= f * M[c][j];
        }
    }
    for (size_t i = 0; i < p; i++)
        x[i] = M[i][p] / M[i][i];
}

static double
ref_sigmoid(double t)
{
    return 1 / (1 + exp(-t));
}

static double
normal(uint64_t *r)
{
    return tu_box_muller(tu_unit(tu_xorshift(r)), tu_unit(tu_xorshift(r)));
}

/* ---- fits against references ---- */

/* Two Gaussian classes sharing Sigma = L L^T: w tends to Sigma^-1
 * (mu_s - mu_b), b to -w.(mu_s + mu_b)/2 + log(n_s / n_b). */
static void
test_gaussian_closed_form(void **state)
{
    enum { P = 3, NS = 100000, NB = 200000, N = NS + NB };
    const double L[P][P] = {{2.0, 0, 0}, {0.9, 0.5, 0}, {-0.4, 0.3, 1.5}};
    const double mu_s[P] = {1000.8, -0.6, 0.5}, mu_b[P] = {1000.0, 0.0, 0.0};
    double Sigma[P * P], delta[P], want[P], *x[P], *label = malloc(N * sizeof *label);
    uint64_t r = 12345;
    struct hs_params p;
    struct hs_model *m;
    struct hs_method_report rep;
    double b = log((double)NS / NB);

    (void)state;
    for (size_t i = 0; i < P; i++) {
        for (size_t j = 0; j < P; j++) {
            double s = 0;
            for (size_t k = 0; k < P; k++)
                s += L[i][k] * L[j][k];
            Sigma[i * P + j] = s;
        }
        delta[i] = mu_s[i] - mu_b[i];
        x[i] = malloc(N * sizeof **x);
    }
    ref_solve(P, Sigma, delta, want);
    for (size_t i = 0; i < N; i++) {
        double e[P];
        const double *mu = i < NS ? mu_s : mu_b;
        for (size_t k = 0; k < P; k++)
            e[k] = normal(&r);
        for (size_t j = 0; j < P; j++) {
            double v = mu[j];
            for (size_t k = 0; k <= j; k++)
                v += L[j][k] * e[k];
            x[j][i] = v;
        }
        label[i] = i < NS;
    }
    for (size_t j = 0; j < P; j++)
        b -= want[j] * (mu_s[j] + mu_b[j]) / 2;

    struct hs_method_data d = {N, P, (const double *const *)x, NULL, label, NULL, NULL, 1};
    params_init(&p);
    assert_int_equal(fit(&d, &p, &m, &rep, NULL, NULL), HS_OK);
    assert_int_equal(m->nin, P);
    for (size_t j = 0; j < P; j++)
        if (fabs(impl(m)->w[j] - want[j]) > 0.02)
            fail_msg("w[%zu] = %g, closed form %g", j, impl(m)->w[j], want[j]);
    /* b carries w.mu ~ 1000 w_0, so its error scales with that */
    assert_true(fabs(impl(m)->b - b) < 0.02 * 1000);
    /* the score at the midpoint of the means is the prior probability */
    {
        double mid[P], *cols[P], s;
        for (size_t j = 0; j < P; j++) {
            mid[j] = (mu_s[j] + mu_b[j]) / 2;
            cols[j] = &mid[j];
        }
        assert_int_equal(hs_fisher_score(impl(m), (const double *const *)cols, 1, &s, NULL, NULL),
                         HS_OK);
        assert_true(fabs(s - (double)NS / N) < 0.01);
    }
    assert_int_equal(rep.ntrain, N);
    assert_int_equal(rep.nimputed, 0);
    assert_int_equal(rep.nepochs, 0);
    hs_model_free(m);
    for (size_t j = 0; j < P; j++)
        free(x[j]);
    free(label);
    free(p.v);
}

/* The small set: 3 inputs, weights (one negative), a missing value,
 * labels to leave out (2, NaN) and a validation row. */
enum { HN = 14, HP = 3 };
static const double h_x[HP][HN] = {
    {1.0, 2.0, 1.5, 3.0, 2.5, 0.5, 2.0, -1.0, 0.0, 1.0, -0.5, 0.5, 9.0, 7.0},
    {2.0, 1.0, NAN, 2.5, 1.0, 3.0, 0.0, 1.0, 0.5, 0.0, 2.0, -1.0, 9.0, 7.0},
    {0.3, 0.1, 0.2, -0.2, 0.5, 0.0, -0.1, 0.4, 0.1, 0.3, -0.3, 0.2, 9.0, 7.0},
};
static const double h_label[HN] = {1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 2, NAN};
static const double h_weight[HN] = {1.0, 2.0, 0.5, 1.5, 1.0, -0.25, 1.0, 3.0, 0.5, 1.0, 2.0, 1.0,
                                    1.0, 1.0};
static const unsigned char h_part[HN] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};

/* The documented LDA, written out: imputation means, class means, the
 * pooled ML covariance, shrinkage of its standardised form, the solve. */
static void
ref_hand(double shrink, int equal, double *w, double *b, double *mean)
{
    double S[2] = {0, 0}, mu[2][HP] = {{0}}, W[HP * HP] = {0}, sd[HP], delta[HP], v[HP][HN];

    for (size_t j = 0; j < HP; j++) {
        double sw = 0, sx = 0;
        for (size_t i = 0; i < HN; i++)
            if (h_part[i] == 0 && (h_label[i] == 0 || h_label[i] == 1) && !isnan(h_x[j][i])) {
                sw += h_weight[i];
                sx += h_weight[i] * h_x[j][i];
            }
        mean[j] = sx / sw;
        for (size_t i = 0; i < HN; i++)
            v[j][i] = isnan(h_x[j][i]) ? mean[j] : h_x[j][i];
    }
    for (size_t i = 0; i < HN; i++) {
        if (h_part[i] != 0 || !(h_label[i] == 0 || h_label[i] == 1))
            continue;
        int c = (int)h_label[i];
        S[c] += h_weight[i];
        for (size_t j = 0; j < HP; j++)
            mu[c][j] += h_weight[i] * v[j][i];
    }
    for (int c = 0; c < 2; c++)
        for (size_t j = 0; j < HP; j++)
            mu[c][j] /= S[c];
    for (size_t i = 0; i < HN; i++) {
        if (h_part[i] != 0 || !(h_label[i] == 0 || h_label[i] == 1))
            continue;
        int c = (int)h_label[i];
        for (size_t j = 0; j < HP; j++)
            for (size_t k = 0; k < HP; k++)
                W[j * HP + k] += h_weight[i] * (v[j][i] - mu[c][j]) * (v[k][i] - mu[c][k]);
    }
    for (size_t j = 0; j < HP * HP; j++)
        W[j] /= S[0] + S[1];
    /* R = D^-1 W D^-1, R' = (1 - l) R + l trace(R)/p I, W' = D R' D */
    for (size_t j = 0; j < HP; j++)
        sd[j] = sqrt(W[j * HP + j]);
    for (size_t j = 0; j < HP; j++)
        for (size_t k = 0; k < HP; k++) {
            double R = W[j * HP + k] / (sd[j] * sd[k]);
            R = (1 - shrink) * R + (j == k ? shrink * 1.0 : 0);
            W[j * HP + k] = sd[j] * R * sd[k];
        }
    for (size_t j = 0; j < HP; j++)
        delta[j] = mu[1][j] - mu[0][j];
    ref_solve(HP, W, delta, w);
    *b = equal ? 0 : log(S[1] / S[0]);
    for (size_t j = 0; j < HP; j++)
        *b -= w[j] * (mu[1][j] + mu[0][j]) / 2;
}

static void
test_hand_set(void **state)
{
    const char *shrinks[] = {"0", "0.3", "1", "0"};
    const char *priors[] = {"data", "equal", "data", "equal"};
    const double *x[HP] = {h_x[0], h_x[1], h_x[2]};
    const char *names[HP] = {"a", "b", "c"};
    struct hs_method_data d = {HN, HP, x, names, h_label, h_weight, h_part, 1};

    (void)state;
    for (int t = 0; t < 4; t++) {
        struct hs_params p;
        struct hs_model *m;
        struct hs_method_report rep;
        double w[HP], b, mean[HP], s[HN];
        params_init(&p);
        params_set(&p, "shrinkage", shrinks[t]);
        params_set(&p, "priors", priors[t]);
        ref_hand(strtod(shrinks[t], NULL), strcmp(priors[t], "equal") == 0, w, &b, mean);
        assert_int_equal(fit(&d, &p, &m, &rep, NULL, NULL), HS_OK);
        for (size_t j = 0; j < HP; j++) {
            if (!rel_close(impl(m)->w[j], w[j], 1e-10))
                fail_msg("case %d: w[%zu] = %.17g, reference %.17g", t, j, impl(m)->w[j], w[j]);
            assert_true(rel_close(impl(m)->mean[j], mean[j], 1e-12));
        }
        assert_true(rel_close(impl(m)->b, b, 1e-10));
        assert_int_equal(rep.ntrain, 11);
        assert_int_equal(rep.nimputed, 1);
        assert_int_equal(rep.nnegative, 1);
        /* the scores of every row, missing value included */
        assert_int_equal(hs_model_kind_fisher.score(m->impl, x, HN, s, NULL, NULL), HS_OK);
        for (size_t i = 0; i < HN; i++) {
            double t2 = b;
            for (size_t j = 0; j < HP; j++)
                t2 += w[j] * (isnan(x[j][i]) ? mean[j] : x[j][i]);
            assert_true(rel_close(s[i], ref_sigmoid(t2), 1e-10));
        }
        hs_model_free(m);
        free(p.v);
    }
}

/* Gaussian training events of p inputs, alternately background and
 * signal, with default parameters and a score buffer. */
struct events {
    size_t n, nin;
    double *cols[MAXP], *label, *out;
    struct hs_method_data d;
    struct hs_params p;
};

static struct events *
events_new(size_t n, size_t p, uint64_t seed)
{
    struct events *e = calloc(1, sizeof *e);
    uint64_t r = seed | 1;

    assert_true(p <= MAXP);
    e->n = n;
    e->nin = p;
    e->label = malloc(n * sizeof *e->label);
    e->out = malloc(n * sizeof *e->out);
    for (size_t j = 0; j < p; j++)
        e->cols[j] = malloc(n * sizeof **e->cols);
    for (size_t i = 0; i < n; i++) {
        e->label[i] = (double)(i % 2);
        for (size_t j = 0; j < p; j++)
            e->cols[j][i] =
                normal(&r) + (i % 2) * (0.5 + 0.25 * (double)j) + normal(&r) * 0.3 * (double)j;
    }
    e->d = (struct hs_method_data){n, p, (const double *const *)e->cols, NULL, e->label,
                                   NULL, NULL, 1};
    params_init(&e->p);
    return e;
}

static void
events_free(struct events *e)
{
    for (size_t j = 0; j < e->nin; j++)
        free(e->cols[j]);
    free(e->label);
    free(e->out);
    free(e->p.v);
    free(e);
}

/* A column given twice, or shifted by a constant, makes W singular: the
 * copies share the coefficient of the column alone and the scores are
 * those of the fit without the copy.  Units do not matter either. */
static void
test_duplicate_column(void **state)
{
    enum { N = 4000 };
    struct events *e = events_new(N, 2, 77);
    const double *a = e->cols[0], *c = e->cols[1];
    double *shifted = malloc(N * sizeof *shifted), *scaled = malloc(N * sizeof *scaled);
    double *s2 = malloc(N * sizeof *s2);
    const double *x2[3] = {a, c, a}, *x3[3] = {a, scaled, shifted};
    struct hs_model *single, *twice;

    (void)state;
    for (size_t i = 0; i < N; i++) {
        shifted[i] = a[i] + 5;
        scaled[i] = c[i] * 1e6;
    }
    assert_int_equal(fit(&e->d, &e->p, &single, NULL, NULL, NULL), HS_OK);
    assert_int_equal(hs_fisher_score(impl(single), e->d.x, N, e->out, NULL, NULL), HS_OK);
    for (int t = 0; t < 2; t++) {
        const double *const *x = t ? x3 : x2;
        struct hs_method_data d2 = {N, 3, x, NULL, e->label, NULL, NULL, 1};
        const struct hs_fisher *f1 = impl(single), *f2;
        assert_int_equal(fit(&d2, &e->p, &twice, NULL, NULL, NULL), HS_OK);
        f2 = impl(twice);
        for (size_t j = 0; j < 3; j++)
            assert_true(isfinite(f2->w[j]));
        assert_true(rel_close(f2->w[0], f1->w[0] / 2, 1e-6));
        assert_true(rel_close(f2->w[2], f1->w[0] / 2, 1e-6));
        assert_true(rel_close(f2->w[1] * (t ? 1e6 : 1), f1->w[1], 1e-6));
        assert_int_equal(hs_fisher_score(f2, x, N, s2, NULL, NULL), HS_OK);
        for (size_t i = 0; i < N; i++)
            assert_true(fabs(e->out[i] - s2[i]) < 1e-6);
        hs_model_free(twice);
    }
    hs_model_free(single);
    free(shifted);
    free(scaled);
    free(s2);
    events_free(e);
}

/* One input: w = (mu_s - mu_b) / var, var the pooled ML variance.  And
 * many inputs (small GEMM blocks): a finite fit whose coefficients of
 * pure-noise inputs are small next to the informative ones'. */
static void
test_one_and_many_inputs(void **state)
{
    enum { N = 3000, WIDE = 300 };
    struct events *e = events_new(N, 1, 8);
    double S[2] = {0, 0}, mu[2] = {0, 0}, var = 0, w;
    struct hs_model *m;
    uint64_t r = 17;

    (void)state;
    for (size_t i = 0; i < N; i++) {
        S[(int)e->label[i]] += 1;
        mu[(int)e->label[i]] += e->cols[0][i];
    }
    mu[0] /= S[0];
    mu[1] /= S[1];
    for (size_t i = 0; i < N; i++) {
        double t = e->cols[0][i] - mu[(int)e->label[i]];
        var += t * t;
    }
    var /= N;
    w = (mu[1] - mu[0]) / var;
    assert_int_equal(fit(&e->d, &e->p, &m, NULL, NULL, NULL), HS_OK);
    assert_true(rel_close(impl(m)->w[0], w, 1e-10));
    assert_true(rel_close(impl(m)->b, -w * (mu[0] + mu[1]) / 2, 1e-10));
    hs_model_free(m);

    double **cols = malloc(WIDE * sizeof *cols);
    for (size_t j = 0; j < WIDE; j++) {
        cols[j] = malloc(N * sizeof **cols);
        for (size_t i = 0; i < N; i++)
            cols[j][i] = normal(&r) + (j == 0 ? 2.0 * e->label[i] : 0);
    }
    struct hs_method_data d = {N, WIDE, (const double *const *)cols, NULL, e->label, NULL, NULL,
                               1};
    assert_int_equal(fit(&d, &e->p, &m, NULL, NULL, NULL), HS_OK);
    for (size_t j = 1; j < WIDE; j++) {
        assert_true(isfinite(impl(m)->w[j]));
        assert_true(fabs(impl(m)->w[j]) < fabs(impl(m)->w[0]) / 5);
    }
    hs_model_free(m);
    for (size_t j = 0; j < WIDE; j++)
        free(cols[j]);
    free(cols);
    events_free(e);
}

/* ---- errors, cancel, memory ---- */

static void
test_bad_data(void **state)
{
    const double x0[4] = {1, 2, 3, 4}, nan4[4] = {NAN, NAN, NAN, NAN};
    const double *x[1] = {x0}, *xn[1] = {nan4};
    const double only_b[4] = {0, 0, 0, 2}, lab[4] = {1, 1, 0, 0};
    const double wzero[4] = {1, -1, 1, 1}, winf[4] = {1, 1, INFINITY, 1};
    const unsigned char val[4] = {0, 0, 1, 1};
    struct hs_params p;
    struct hs_model *m;
    struct hs_err err = {0};

    (void)state;
    params_init(&p);
    struct hs_method_data cases[] = {
        {4, 1, x, NULL, only_b, NULL, NULL, 1}, /* no signal */
        {4, 1, x, NULL, lab, NULL, val, 1},     /* no background in training */
        {4, 1, x, NULL, lab, wzero, NULL, 1},   /* signal weighs 0 */
        {4, 1, x, NULL, lab, winf, NULL, 1},    /* infinite weight */
        {4, 1, xn, NULL, lab, NULL, NULL, 1},   /* nothing to impute with */
    };
    const char *words[] = {"signal", "background", "signal", "finite", "no value"};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        assert_int_equal(fit(&cases[k], &p, &m, NULL, NULL, &err), HS_EDATA);
        assert_null(m);
        if (!strstr(err.msg, words[k]))
            fail_msg("case %zu: '%s' does not say '%s'", k, err.msg, words[k]);
    }
    struct hs_method_data nolabel = {4, 1, x, NULL, NULL, NULL, NULL, 1};
    assert_int_equal(fit(&nolabel, &p, &m, NULL, NULL, &err), HS_EUSAGE);
    struct hs_method_data noin = {4, 0, x, NULL, lab, NULL, NULL, 1};
    assert_int_equal(fit(&noin, &p, &m, NULL, NULL, &err), HS_EUSAGE);
    free(p.v);
}

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Raises the flag at `at`, noting when. */
struct cancel_clock {
    struct tu_cancel_at c;
    double raised;
};

static void
cancel_progress(void *user, double fraction, const char *what)
{
    struct cancel_clock *cc = user;

    tu_cancel_at_progress(&cc->c, fraction, what);
    if (atomic_load(&cc->c.flag) && cc->raised == 0)
        cc->raised = now();
}

static void
test_cancel(void **state)
{
    struct events *e = events_new(400000, 6, 5);
    struct hs_model *m;
    struct hs_err err = {0};
    const double ats[] = {0.0, 0.2, 0.5, 0.85};
    atomic_int raised = 1;
    struct hs_task before = {NULL, NULL, &raised};
    double t0 = now();

    (void)state;
    /* raised before the job */
    assert_int_equal(fit(&e->d, &e->p, &m, NULL, &before, &err), HS_ECANCELLED);
    assert_true(now() - t0 < 0.1);
    assert_null(m);
    /* raised in each pass */
    for (size_t k = 0; k < sizeof ats / sizeof *ats; k++) {
        struct cancel_clock cc = {{ats[k] + 1e-9, 0}, 0};
        struct hs_task task = {cancel_progress, &cc, &cc.c.flag};
        assert_int_equal(fit(&e->d, &e->p, &m, NULL, &task, &err), HS_ECANCELLED);
        assert_true(cc.raised > 0);
        assert_true(now() - cc.raised < 0.1);
        assert_null(m);
    }
    /* scoring */
    assert_int_equal(fit(&e->d, &e->p, &m, NULL, NULL, NULL), HS_OK);
    assert_int_equal(hs_model_kind_fisher.score(m->impl, e->d.x, e->n, e->out, &before, &err),
                     HS_ECANCELLED);
    hs_model_free(m);
    events_free(e);
}

/* Every allocation of the fit, the model, storage, details and export
 * fails in turn: HS_ENOMEM and nothing left (the sanitizer build sees
 * leaks), until enough succeed. */
static void
test_oom(void **state)
{
    const double *x[HP] = {h_x[0], h_x[1], h_x[2]};
    struct hs_method_data d = {HN, HP, x, NULL, h_label, h_weight, h_part, 1};
    struct hs_params p;
    int ok = 0;

    (void)state;
    params_init(&p);
    for (long k = 0; k < 100 && !ok; k++) {
        struct hs_model *m = NULL;
        unsigned char *buf = NULL;
        size_t len;
        void *back = NULL;
        char *text = NULL, *src = NULL;
        hs_mem_fail_after(k);
        int rc = fit(&d, &p, &m, NULL, NULL, NULL);
        if (rc == HS_OK)
            rc = hs_model_kind_fisher.serialize(m->impl, &buf, &len, NULL);
        if (rc == HS_OK)
            rc = hs_model_kind_fisher.deserialize(buf, len, &back, NULL, NULL);
        if (rc == HS_OK)
            rc = hs_model_kind_fisher.details(m->impl, NULL, &text, NULL);
        if (rc == HS_OK)
            rc = hs_model_kind_fisher.export_c(m->impl, NULL, "f", &src, NULL);
        hs_mem_fail_after(-1);
        if (rc == HS_OK)
            ok = 1;
        else
            assert_int_equal(rc, HS_ENOMEM);
        hs_model_free(m);
        hs_free(buf);
        if (back)
            hs_model_kind_fisher.free(back);
        hs_free(text);
        hs_free(src);
    }
    assert_true(ok);
    free(p.v);
}

/* ---- storage ---- */

static struct hs_fisher *
random_model(size_t nin, uint64_t seed)
{
    struct hs_fisher *f = hs_fisher_new(nin);
    uint64_t r = seed | 1;

    assert_non_null(f);
    for (size_t j = 0; j < nin; j++) {
        f->w[j] = normal(&r) * 3;
        f->mean[j] = normal(&r) * 100;
        f->sd[j] = 0.1 + tu_unit(tu_xorshift(&r)) * 20;
    }
    f->b = normal(&r) * 5;
    return f;
}

static void
test_layout(void **state)
{
    struct hs_fisher *f = hs_fisher_new(1);
    unsigned char *buf;
    size_t len;
    uint64_t h = UINT64_C(14695981039346656037);

    (void)state;
    f->w[0] = 1.5;     /* 0x3ff8000000000000 */
    f->b = -2.0;       /* 0xc000000000000000 */
    f->mean[0] = 0x1.23456789abcdep-3;
    f->sd[0] = 0.0;
    assert_int_equal(hs_model_kind_fisher.serialize(f, &buf, &len, NULL), HS_OK);
    assert_int_equal(len, 5 + 1 + 4 + 4 * 8 + 8);
    assert_memory_equal(buf, "HSFSH\x01\x01\0\0\0", 10);
    assert_memory_equal(buf + 10, "\0\0\0\0\0\0\xf8\x3f", 8);
    assert_memory_equal(buf + 18, "\0\0\0\0\0\0\0\xc0", 8);
    assert_true(tu_le64(buf + 26) == UINT64_C(0x3fc23456789abcde));
    assert_true(tu_le64(buf + 34) == 0);
    for (size_t i = 0; i < len - 8; i++)
        h = (h ^ buf[i]) * UINT64_C(1099511628211);
    assert_true(tu_le64(buf + len - 8) == h);
    hs_free(buf);
    hs_fisher_free(f);
}

static void
test_round_trip(void **state)
{
    const size_t nins[] = {1, 2, 7, 300};

    (void)state;
    for (size_t t = 0; t < 4; t++) {
        struct hs_fisher *f = random_model(nins[t], t + 1);
        const struct hs_fisher *g;
        unsigned char *buf, *again;
        size_t len, len2, nin = 0;
        void *back = NULL;
        if (t == 1) {
            f->w[0] = -0.0;
            f->w[1] = INFINITY;
            f->mean[0] = NAN;
            f->sd[1] = 0x1p-1074;
        }
        assert_int_equal(hs_model_kind_fisher.serialize(f, &buf, &len, NULL), HS_OK);
        assert_int_equal(hs_model_kind_fisher.deserialize(buf, len, &back, &nin, NULL), HS_OK);
        g = back;
        assert_int_equal(nin, nins[t]);
        assert_int_equal(g->nin, nins[t]);
        assert_memory_equal(f->w, g->w, nin * sizeof *f->w);
        assert_memory_equal(f->mean, g->mean, nin * sizeof *f->w);
        assert_memory_equal(f->sd, g->sd, nin * sizeof *f->w);
        assert_memory_equal(&f->b, &g->b, sizeof f->b);
        assert_int_equal(hs_model_kind_fisher.serialize(back, &again, &len2, NULL), HS_OK);
        assert_int_equal(len, len2);
        assert_memory_equal(buf, again, len);
        hs_free(buf);
        hs_free(again);
        hs_fisher_free(f);
        hs_model_kind_fisher.free(back);
    }
}

static void
expect_damaged(const unsigned char *buf, size_t len)
{
    void *m = &m;
    size_t nin = 99;
    struct hs_err err = {0};

    assert_int_equal(hs_model_kind_fisher.deserialize(buf, len, &m, &nin, &err), HS_EDATA);
    assert_null(m);
    assert_int_equal(err.code, HS_EDATA);
    assert_non_null(strstr(err.msg, "model data is damaged"));
}

static void
test_damaged(void **state)
{
    struct hs_fisher *f = random_model(4, 9);
    unsigned char *buf, *copy;
    size_t len;
    struct hs_err err = {0};
    void *m = NULL;

    (void)state;
    assert_int_equal(hs_model_kind_fisher.serialize(f, &buf, &len, NULL), HS_OK);
    copy = malloc(len);
    tu_each_damage(buf, len, expect_damaged);
    /* the MLP's magic and a future version, named as such */
    memcpy(copy, buf, len);
    memcpy(copy, "HSMLP", 5);
    assert_int_equal(hs_model_kind_fisher.deserialize(copy, len, &m, NULL, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "not a hepscope Fisher model"));
    memcpy(copy, buf, len);
    copy[5] = 2;
    assert_int_equal(hs_model_kind_fisher.deserialize(copy, len, &m, NULL, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "version 2"));
    /* a header asking for the most inputs, and more, in a short blob:
     * refused before any allocation */
    const uint32_t nins[] = {100000, 100001, 0xffffffffu, 0};
    for (int k = 0; k < 4; k++) {
        memcpy(copy, buf, len);
        for (int b = 0; b < 4; b++)
            copy[6 + b] = (unsigned char)(nins[k] >> (8 * b));
        hs_mem_fail_after(0);
        expect_damaged(copy, len);
        hs_mem_fail_after(-1);
    }
    free(copy);
    hs_free(buf);
    hs_fisher_free(f);
}

/* ---- for people ---- */

static void
test_describe_details(void **state)
{
    struct hs_fisher *f = random_model(3, 4);
    const char *names[] = {"pt_mu", "a_much_longer_name", "eta"};
    struct hs_params p;
    char buf[128], *text = NULL, line[256];

    (void)state;
    hs_model_kind_fisher.describe(f, buf, sizeof buf);
    assert_string_equal(buf, "Fisher, 3 coefficients");
    params_init(&p);
    hs_method_fisher.describe(&p, buf, sizeof buf);
    assert_string_equal(buf, "Fisher discriminant, shrinkage 0, priors data");
    params_set(&p, "shrinkage", "0.25");
    params_set(&p, "priors", "equal");
    hs_method_fisher.describe(&p, buf, sizeof buf);
    assert_string_equal(buf, "Fisher discriminant, shrinkage 0.25, priors equal");
    free(p.v);
    assert_string_equal(hs_method_fisher.name, "fisher");
    assert_string_equal(hs_model_kind_fisher.name, "fisher");
    assert_int_equal(hs_method_fisher.outputs, HS_METHOD_SCORE | HS_METHOD_MODEL);
    assert_true(hs_method_fisher.supervised);

    assert_int_equal(hs_model_kind_fisher.details(f, names, &text, NULL), HS_OK);
    assert_non_null(text);
    /* the offset, and a line per input with w and w sd, columns aligned */
    snprintf(line, sizeof line, "%.10g", f->b);
    assert_non_null(strstr(text, line));
    for (size_t j = 0; j < 3; j++) {
        char *at = strstr(text, names[j]);
        assert_non_null(at);
        assert_int_equal(at[-1], '\n');
        char *end = strchr(at, '\n');
        assert_non_null(end);
        assert_int_equal(end - at, (long)strlen("a_much_longer_name") + 2 * (2 + 17));
        double w, ws;
        assert_int_equal(sscanf(at + strlen(names[j]), "%lf %lf", &w, &ws), 2);
        assert_true(rel_close(w, f->w[j], 1e-8));
        assert_true(rel_close(ws, f->w[j] * f->sd[j], 1e-8));
    }
    assert_int_equal(text[strlen(text) - 1], '\n');
    hs_free(text);
    hs_fisher_free(f);
}

/* Export a fitted model, compile it with cc, run it on n events (some
 * missing, some far out where the sigmoid saturates) and compare. */
static void
test_export_c(void **state)
{
    enum { N = 2000, P = 5 };
    const char *names[P] = {"pt */ int boom; /* x", "eta", "m_{ll} /* nested", "d?\?/",
                            "line\nbreak"};
    const char *bad[] = {"", "1f", "exp", "int", "__x", "a-b"};
    struct events *e;
    double *got = malloc(N * sizeof *got);
    char *src = NULL;
    struct hs_model *m;
    uint64_t r = 3;

    (void)state;
    if (!tx_have_cc())
        skip();
    e = events_new(N, P, 21);
    assert_int_equal(fit(&e->d, &e->p, &m, NULL, NULL, NULL), HS_OK);
    /* some missing, some far out where the sigmoid saturates */
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < P; j++) {
            double u = tu_unit(tu_xorshift(&r));
            if (u < 0.1)
                e->cols[j][i] = NAN;
            else if (u < 0.15)
                e->cols[j][i] *= 1e4;
        }
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        assert_int_equal(hs_model_kind_fisher.export_c(m->impl, names, bad[k], &src, NULL),
                         HS_EUSAGE);
        assert_null(src);
    }
    assert_int_equal(hs_model_kind_fisher.export_c(m->impl, names, "fisher_score", &src, NULL),
                     HS_OK);
    tx_run(src, "fisher_score", e->d.x, N, P, got);
    hs_free(src);
    assert_int_equal(hs_model_kind_fisher.score(m->impl, e->d.x, N, e->out, NULL, NULL), HS_OK);
    for (size_t i = 0; i < N; i++) {
        assert_true(e->out[i] >= 0 && e->out[i] <= 1);
        if (!(fabs(got[i] - e->out[i]) <= 1e-12))
            fail_msg("event %zu: exported %.17g, score %.17g", i, got[i], e->out[i]);
    }
    hs_model_free(m);
    free(got);
    events_free(e);
}

static void
test_sigmoid(void **state)
{
    (void)state;
    assert_true(hs_fisher_sigmoid(-1000) >= 0 && hs_fisher_sigmoid(-1000) < 1e-300);
    assert_true(hs_fisher_sigmoid(1000) == 1.0);
    assert_true(fabs(hs_fisher_sigmoid(0) - 0.5) < 1e-16);
    for (double t = -30; t <= 30; t += 0.37)
        assert_true(fabs(hs_fisher_sigmoid(t) - ref_sigmoid(t)) < 1e-15);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gaussian_closed_form),
        cmocka_unit_test(test_hand_set),
        cmocka_unit_test(test_duplicate_column),
        cmocka_unit_test(test_one_and_many_inputs),
        cmocka_unit_test(test_bad_data),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_oom),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_describe_details),
        cmocka_unit_test(test_sigmoid),
        cmocka_unit_test_setup_teardown(test_export_c, tx_setup, tx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* tsne_method.c: the "tsne" method (tsne.h): the descriptor, its
 * parameters, and the life cycle.  The first step gathers the fitted
 * rows (embed_input.h), finds their neighbours and similarities and the
 * starting embedding; each later step runs up to 50 iterations and ends
 * with the KL divergence, one point of the curve the TUI draws.
 */
#include "config.h"

#include "tsne.h"

#include <gsl/gsl_eigen.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "embed_input.h"
#include "mem.h"
#include "rng.h"

/* Iterations per step: one point of the KL curve each. */
#define TSNE_EPOCH 50
/* From this many points on, "auto" takes the FFT interpolation over
 * Barnes-Hut.  Measured (CPU seconds of 1000 iterations on the demo,
 * bench/RESULTS.md): Barnes-Hut 6.8 s against 17.4 s at 2,000 points,
 * 23 s against 34 s at 5,000; the FFT's grid costs the same for any
 * number of points (it grows with the embedding's extent), Barnes-Hut's
 * tree n log n, so the FFT wins above; FIt-SNE's authors put the switch
 * near 10,000 too.  (300 iterations alone, while the map is still
 * compact and the grid small, favour the FFT already at 5,000.) */
#define TSNE_FFT_FROM 10000
/* openTSNE's scale of the starting embedding: its first coordinate has
 * this standard deviation. */
#define TSNE_INIT_SD 1e-4

enum tsne_param {
    P_PERPLEXITY, P_DIMS, P_N, P_SEED, P_ITERATIONS, P_THETA, P_METHOD, P_INIT, P_EXAG, P_LR,
};
enum tsne_method_choice { M_AUTO, M_BH, M_FFT };
enum tsne_init_choice { I_PCA, I_RANDOM };
static const char *const method_choices[] = {[M_AUTO] = "auto", [M_BH] = "bh", [M_FFT] = "fft",
                                             NULL};
static const char *const init_choices[] = {[I_PCA] = "pca", [I_RANDOM] = "random", NULL};

static const struct hs_param_spec tsne_params[] = {
    [P_PERPLEXITY] = {.name = "perplexity", .type = HS_PARAM_REAL, .def = "30", .min = 1,
                      .max = 1000, .metavar = "P",
                      .help = "effective number of neighbours of each point"},
    [P_DIMS] = {.name = "dims", .type = HS_PARAM_INT, .def = "2", .min = 1, .max = 3,
                .metavar = "D", .help = "dimensions of the embedding"},
    [P_N] = {.name = "n", .type = HS_PARAM_INT, .def = "20000", .min = 10, .max = 1e9,
             .metavar = "N", .help = "events embedded (a stratified subsample of the selection)"},
    [P_SEED] = {.name = "seed", .type = HS_PARAM_SEED, .def = "0", .metavar = "S",
                .help = "random seed (subsample and random start)"},
    [P_ITERATIONS] = {.name = "iterations", .type = HS_PARAM_INT, .def = "1000", .min = 1,
                      .max = 100000, .metavar = "N",
                      .help = "gradient descent iterations, the exaggerated ones included"},
    [P_THETA] = {.name = "theta", .type = HS_PARAM_REAL, .def = "0.5", .min = 0, .max = 1,
                 .metavar = "A", .help = "Barnes-Hut opening angle (0: exact)"},
    [P_METHOD] = {.name = "method", .type = HS_PARAM_CHOICE, .def = "auto",
                  .choices = method_choices, .metavar = "M",
                  .help = "repulsion: 'bh' Barnes-Hut, 'fft' FIt-SNE's interpolation, 'auto' "
                          "Barnes-Hut below 10000 points"},
    [P_INIT] = {.name = "init", .type = HS_PARAM_CHOICE, .def = "pca", .choices = init_choices,
                .metavar = "I",
                .help = "start: 'pca' the leading principal components, 'random' Gaussian"},
    [P_EXAG] = {.name = "exaggeration", .type = HS_PARAM_REAL, .def = "12", .min = 1,
                .max = 1000, .metavar = "X",
                .help = "early exaggeration of the similarities (first 250 iterations)"},
    [P_LR] = {.name = "learning-rate", .type = HS_PARAM_REAL, .def = "0", .min = 0, .max = 1e9,
              .metavar = "R", .help = "step size (0: max(n / exaggeration / 4, 50))"},
    {0},
};

struct tsne_state {
    struct hs_method_data d;
    double perplexity, theta, exaggeration, lr;
    size_t dims, iterations;
    uint64_t seed;
    int method, init;
    struct hs_embed_input in;
    struct hs_tsne_p P;
    struct hs_tsne_opt opt;
    bool prepared;
    struct hs_epoch_info *curve;
    size_t nepochs;
};

static int
tsne_check(const struct hs_params *p, struct hs_err *err)
{
    if (hs_params_choice(p, P_METHOD) == M_FFT && hs_params_int(p, P_DIMS) > 2)
        return hs_err_set(err, HS_EUSAGE,
                          "--method fft embeds in 1 or 2 dimensions: use --dims 1 or 2, or "
                          "--method bh");
    return HS_OK;
}

static void
tsne_describe(const struct hs_params *p, char *buf, size_t size)
{
    char lr[32] = "auto";
    if (hs_params_real(p, P_LR) > 0)
        snprintf(lr, sizeof lr, "%g", hs_params_real(p, P_LR));
    snprintf(buf, size,
             "t-SNE, perplexity %g, %zu dims, %zu iterations, %s repulsion, theta %g, %s start, "
             "exaggeration %g, learning rate %s",
             hs_params_real(p, P_PERPLEXITY), hs_params_int(p, P_DIMS),
             hs_params_int(p, P_ITERATIONS), method_choices[hs_params_choice(p, P_METHOD)],
             hs_params_real(p, P_THETA), init_choices[hs_params_choice(p, P_INIT)],
             hs_params_real(p, P_EXAG), lr);
}

static void
tsne_free(void *state)
{
    struct tsne_state *s = state;
    if (!s)
        return;
    hs_tsne_opt_release(&s->opt);
    hs_tsne_p_release(&s->P);
    hs_embed_input_release(&s->in);
    hs_free(s->curve);
    hs_free(s);
}

static int
tsne_alloc(const struct hs_params *p, const struct hs_method_data *d, void **state,
           struct hs_err *err)
{
    struct tsne_state *s = hs_calloc(1, sizeof *s);
    int rc;
    if (!s)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    s->d = *d;
    s->perplexity = hs_params_real(p, P_PERPLEXITY);
    s->theta = hs_params_real(p, P_THETA);
    s->exaggeration = hs_params_real(p, P_EXAG);
    s->lr = hs_params_real(p, P_LR);
    s->dims = hs_params_int(p, P_DIMS);
    s->iterations = hs_params_int(p, P_ITERATIONS);
    s->seed = hs_params_seed(p, P_SEED);
    s->method = (int)hs_params_choice(p, P_METHOD);
    s->init = (int)hs_params_choice(p, P_INIT);
    s->curve = hs_calloc(s->iterations / TSNE_EPOCH + 2, sizeof *s->curve);
    if (!s->curve) {
        tsne_free(s);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    rc = hs_embed_input_init(&s->in, d, (size_t)floor(s->perplexity) + 2, err);
    if (rc) {
        tsne_free(s);
        return rc;
    }
    *state = s;
    return HS_OK;
}

/* The leading principal components of the standardised rows, each
 * turned so that its largest loading is positive, scaled so that the
 * first coordinate has sd TSNE_INIT_SD; components beyond the inputs'
 * count start as Gaussian noise of that sd. */
static int
init_pca(struct tsne_state *s, double *y, struct hs_rng *r, struct hs_err *err)
{
    size_t n = s->in.n, p = s->in.dim, D = s->dims;
    double *C = hs_calloc(p * p, sizeof *C);
    gsl_matrix *evec = gsl_matrix_alloc(p, p);
    gsl_vector *eval = gsl_vector_alloc(p);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(p);
    int rc = HS_OK;
    if (!C || !evec || !eval || !w) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's PCA start");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t a = 0; a < p; a++)
            for (size_t b = a; b < p; b++)
                C[a * p + b] += s->in.x[i * p + a] * s->in.x[i * p + b];
    for (size_t a = 0; a < p; a++)
        for (size_t b = 0; b < a; b++)
            C[a * p + b] = C[b * p + a];
    gsl_matrix_view cv = gsl_matrix_view_array(C, p, p);
    gsl_eigen_symmv(&cv.matrix, eval, evec, w);
    gsl_eigen_symmv_sort(eval, evec, GSL_EIGEN_SORT_VAL_DESC);
    for (size_t c = 0; c < D && c < p; c++) {
        size_t big = 0;
        for (size_t a = 1; a < p; a++)
            if (fabs(gsl_matrix_get(evec, a, c)) > fabs(gsl_matrix_get(evec, big, c)))
                big = a;
        double sign = gsl_matrix_get(evec, big, c) < 0 ? -1 : 1;
        for (size_t i = 0; i < n; i++) {
            double v = 0;
            for (size_t a = 0; a < p; a++)
                v += s->in.x[i * p + a] * gsl_matrix_get(evec, a, c);
            y[i * D + c] = sign * v;
        }
    }
    double m = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        m += y[i * D];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (y[i * D] - m) * (y[i * D] - m);
    double sd = sqrt(ss / (double)n), scale = sd > 0 ? TSNE_INIT_SD / sd : 1;
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < D; c++) {
            if (c < p)
                y[i * D + c] *= scale;
            else {
                double u = hs_rng_unit(r), v = hs_rng_unit(r);
                y[i * D + c] = TSNE_INIT_SD * sqrt(-2 * log(1 - u)) * cos(2 * M_PI * v);
            }
        }
done:
    hs_free(C);
    if (evec)
        gsl_matrix_free(evec);
    if (eval)
        gsl_vector_free(eval);
    if (w)
        gsl_eigen_symmv_free(w);
    return rc;
}

static int
prepare(struct tsne_state *s, const struct hs_task *task, struct hs_err *err)
{
    size_t n = s->in.n;
    struct hs_rng r;
    int threads = s->d.threads, rc;
    double *y0;

    rc = hs_tsne_affinities(s->in.x, n, s->in.dim, s->perplexity, s->seed, &s->P, threads, task, err);
    if (rc)
        return rc;
    y0 = hs_malloc(n * s->dims * sizeof *y0);
    if (!y0)
        return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's %zu points", n);
    hs_rng_seed(&r, s->seed);
    if (s->init == I_PCA) {
        rc = init_pca(s, y0, &r, err);
    } else {
        for (size_t i = 0; i < n * s->dims; i++) {
            double u = hs_rng_unit(&r), v = hs_rng_unit(&r);
            y0[i] = TSNE_INIT_SD * sqrt(-2 * log(1 - u)) * cos(2 * M_PI * v);
        }
    }
    struct hs_tsne_opts o = {
        .dims = s->dims,
        .iterations = s->iterations,
        .exag_iterations = 250,
        .exaggeration = s->exaggeration,
        .learning_rate = s->lr > 0 ? s->lr : fmax((double)n / s->exaggeration / 4, 50),
        .theta = s->theta,
        .repulsion = s->method == M_FFT || (s->method == M_AUTO && s->dims <= 2 &&
                                            n >= TSNE_FFT_FROM)
                         ? HS_TSNE_FFT
                         : HS_TSNE_BH,
        .threads = threads,
    };
    /* A 2-d optimiser turns P into its working form in place (tsne.h):
     * 8 bytes a similarity from then on instead of 12, never both. */
    if (rc == HS_OK)
        rc = hs_tsne_opt_init_taking(&s->opt, &s->P, y0, &o, err);
    hs_free(y0);
    if (rc == HS_OK)
        s->prepared = true;
    return rc;
}

static int
tsne_step(void *state, struct hs_method_status *st, const struct hs_task *task,
          struct hs_err *err)
{
    struct tsne_state *s = state;
    double t0 = hs_tsne_now();
    int rc;

    memset(st, 0, sizeof *st);
    if (!s->prepared) {
        rc = prepare(s, task, err);
        if (rc)
            return rc;
        st->fraction = 0;
        return HS_OK;
    }
    size_t count = TSNE_EPOCH - s->opt.iter % TSNE_EPOCH;
    rc = hs_tsne_opt_run(&s->opt, count, true, task, err);
    if (rc)
        return rc;
    struct hs_epoch_info *e = &s->curve[s->nepochs++];
    *e = (struct hs_epoch_info){.epoch = s->nepochs, .loss = s->opt.kl, .val_loss = NAN,
                                .val_auc = NAN, .seconds = hs_tsne_now() - t0,
                                .lr = s->opt.o.learning_rate};
    st->has_epoch = true;
    st->epoch = *e;
    st->fraction = (double)s->opt.iter / (double)s->iterations;
    st->done = s->opt.iter >= s->iterations;
    return HS_OK;
}

static int
tsne_coords(void *state, double **out, size_t *dim, struct hs_err *err)
{
    struct tsne_state *s = state;
    size_t D = s->dims;
    if (!s->prepared)
        return hs_err_set(err, HS_EDATA, "t-SNE has no embedding yet");
    double *y = hs_malloc((s->d.n ? s->d.n : 1) * D * sizeof *y);
    if (!y)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->d.n * D; i++)
        y[i] = NAN;
    for (size_t i = 0; i < s->in.n; i++)
        memcpy(y + s->in.row[i] * D, s->opt.y + i * D, D * sizeof *y);
    *out = y;
    *dim = D;
    return HS_OK;
}

static void
tsne_report(void *state, struct hs_method_report *r)
{
    struct tsne_state *s = state;
    memset(r, 0, sizeof *r);
    r->curve = s->curve;
    r->nepochs = s->nepochs;
    r->best_epoch = s->nepochs;
    r->ntrain = s->in.n;
    r->loglik = NAN;
    r->inertia = NAN;
    r->kl = s->prepared ? s->opt.kl : NAN;
}

const struct hs_method hs_method_tsne = {
    .name = "tsne",
    .loss = "the KL divergence of the map from the inputs' similarities",
    .summary = "t-SNE (van der Maaten 2014; Linderman et al. 2019): a 2-d map that keeps "
               "each event's nearest neighbours together",
    .params = tsne_params,
    .outputs = HS_METHOD_COORDS,
    .supervised = false,
    .check = tsne_check,
    .describe = tsne_describe,
    .alloc = tsne_alloc,
    .step = tsne_step,
    .model = NULL,
    .coords = tsne_coords,
    .clusters = NULL,
    .report = tsne_report,
    .free = tsne_free,
};

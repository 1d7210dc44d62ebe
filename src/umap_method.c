/* umap_method.c: the "umap" method (method.h): coordinates of the fitted
 * rows by UMAP, NaN for the others.
 *
 * Steps: (1) the standardised rows and their k - 1 nearest other points
 * (knn.h: exact below 4,096 points, approximate above, as umap-learn); (2) the fuzzy graph, the a/b curve and the starting
 * layout; then one step per UMAP_INFO_EVERY epochs, each ending with the
 * loss estimate as an epoch's figures.  Progress of a stage is mapped
 * onto the stage's share of the whole fit. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "embed_input.h"
#include "knn.h"
#include "mem.h"
#include "par.h"
#include "umap.h"

/* Epochs between two loss estimates (and steps). */
#define UMAP_INFO_EVERY 10
/* Above this many points the default is 200 epochs, else 500 (umap-learn). */
#define UMAP_LARGE 10000
/* Below this many points the neighbours are found exactly. */
#define UMAP_EXACT_BELOW 4096
/* Shares of the whole fit, for progress: the kNN graph, the graph and
 * starting layout, the epochs. */
#define SHARE_KNN 0.25
#define SHARE_INIT 0.10
/* Least seconds between two progress reports of the epochs. */
#define PROGRESS_EVERY 0.15

enum umap_param {
    UMAP_NEIGHBORS,
    UMAP_MIN_DIST,
    UMAP_SPREAD,
    UMAP_DIMS,
    UMAP_N,
    UMAP_SEED,
    UMAP_EPOCHS,
    UMAP_NEGATIVE,
    UMAP_INIT
};

static const char *const init_choices[] = {[HS_UMAP_INIT_SPECTRAL] = "spectral",
                                           [HS_UMAP_INIT_PCA] = "pca",
                                           [HS_UMAP_INIT_RANDOM] = "random", NULL};

static const struct hs_param_spec umap_params[] = {
    [UMAP_NEIGHBORS] = {.name = "neighbors", .type = HS_PARAM_INT, .def = "15", .min = 2,
                        .max = 200, .metavar = "K",
                        .help = "neighbours per point, the point itself counted (umap-learn's "
                                "n_neighbors)"},
    [UMAP_MIN_DIST] = {.name = "min-dist", .type = HS_PARAM_REAL, .def = "0.1", .min = 0,
                       .max = 100, .metavar = "D",
                       .help = "least distance between points in the layout"},
    [UMAP_SPREAD] = {.name = "spread", .type = HS_PARAM_REAL, .def = "1", .min = 1e-3,
                     .max = 100, .metavar = "S", .help = "scale of the layout's clusters"},
    [UMAP_DIMS] = {.name = "dims", .type = HS_PARAM_INT, .def = "2", .min = 1, .max = 16,
                   .metavar = "D", .help = "dimensions of the layout"},
    [UMAP_N] = {.name = "n", .type = HS_PARAM_INT, .def = "20000", .min = 3, .max = 1e9,
                .metavar = "N", .help = "events laid out (a stratified subsample)"},
    [UMAP_SEED] = {.name = "seed", .type = HS_PARAM_SEED, .def = "0", .metavar = "S",
                   .help = "random seed (one thread and the same seed give the same layout)"},
    [UMAP_EPOCHS] = {.name = "epochs", .type = HS_PARAM_INT, .def = "0", .min = 0, .max = 100000,
                     .metavar = "E",
                     .help = "optimisation epochs (0: 500 up to 10,000 points, else 200)"},
    [UMAP_NEGATIVE] = {.name = "negative", .type = HS_PARAM_INT, .def = "5", .min = 0,
                       .max = 100, .metavar = "M",
                       .help = "negative samples per positive one"},
    [UMAP_INIT] = {.name = "init", .type = HS_PARAM_CHOICE, .def = "spectral",
                   .choices = init_choices, .metavar = "I",
                   .help = "starting layout (spectral falls back to pca on a disconnected "
                           "graph)"},
    {0},
};

enum umap_phase { PHASE_KNN, PHASE_INIT, PHASE_EPOCHS, PHASE_DONE };

struct umap_state {
    struct hs_method_data d; /* the columns are borrowed */
    size_t neighbors, dims, epochs, negative;
    double min_dist, spread;
    uint64_t seed;
    enum hs_umap_init init, init_used;
    int threads;
    enum umap_phase phase;
    struct hs_embed_input in;
    size_t k;          /* neighbours, self included */
    size_t *idx;       /* in.n x (k - 1), until the graph is built */
    double *dist;
    struct hs_csr g;
    double a, b;
    struct hs_umap_sgd *sgd;
    struct hs_epoch_info *curve;
    size_t ncurve;
    double loss;
};

/* A task whose progress is a stage's: fraction f of the stage is
 * f0 + f (f1 - f0) of the fit. */
struct stage {
    const struct hs_task *outer;
    double f0, f1;
};

static void
stage_progress(void *user, double f, const char *what)
{
    const struct stage *s = user;
    hs_task_progress(s->outer, f < 0 ? f : s->f0 + f * (s->f1 - s->f0), what);
}

static struct hs_task
stage_task(const struct hs_task *outer, struct stage *st, double f0, double f1)
{
    struct hs_task t = {NULL, NULL, outer ? outer->cancel : NULL};
    st->outer = outer;
    st->f0 = f0;
    st->f1 = f1;
    if (outer && outer->progress) {
        t.progress = stage_progress;
        t.user = st;
    }
    return t;
}

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int
umap_check(const struct hs_params *p, struct hs_err *err)
{
    double md = hs_params_real(p, UMAP_MIN_DIST), sp = hs_params_real(p, UMAP_SPREAD);
    if (md > sp)
        return hs_err_set(err, HS_EUSAGE, "--min-dist %g is above --spread %g: umap wants "
                                          "min-dist at most the spread",
                          md, sp);
    return HS_OK;
}

static void
umap_describe(const struct hs_params *p, char *buf, size_t size)
{
    char epochs[32];
    size_t e = hs_params_int(p, UMAP_EPOCHS);

    if (e)
        snprintf(epochs, sizeof epochs, "%zu epochs", e);
    else
        snprintf(epochs, sizeof epochs, "epochs auto");
    snprintf(buf, size, "UMAP, %zu neighbours, min-dist %g, spread %g, %zu dims, %s init, %zu "
                        "negatives, %s",
             hs_params_int(p, UMAP_NEIGHBORS), hs_params_real(p, UMAP_MIN_DIST),
             hs_params_real(p, UMAP_SPREAD), hs_params_int(p, UMAP_DIMS),
             init_choices[hs_params_choice(p, UMAP_INIT)], hs_params_int(p, UMAP_NEGATIVE),
             epochs);
}

static void
umap_free(void *state)
{
    struct umap_state *s = state;

    if (!s)
        return;
    hs_embed_input_release(&s->in);
    hs_free(s->idx);
    hs_free(s->dist);
    hs_csr_release(&s->g);
    hs_umap_sgd_free(s->sgd);
    hs_free(s->curve);
    hs_free(s);
}

static int
umap_alloc(const struct hs_params *p, const struct hs_method_data *d, void **state,
           struct hs_err *err)
{
    struct umap_state *s;

    *state = NULL;
    if (d->nin == 0)
        return hs_err_set(err, HS_EUSAGE, "umap needs at least one feature");
    s = hs_calloc(1, sizeof *s);
    if (!s)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    s->d = *d;
    s->neighbors = hs_params_int(p, UMAP_NEIGHBORS);
    s->min_dist = hs_params_real(p, UMAP_MIN_DIST);
    s->spread = hs_params_real(p, UMAP_SPREAD);
    s->dims = hs_params_int(p, UMAP_DIMS);
    s->seed = hs_params_seed(p, UMAP_SEED);
    s->epochs = hs_params_int(p, UMAP_EPOCHS);
    s->negative = hs_params_int(p, UMAP_NEGATIVE);
    s->init = (enum hs_umap_init)hs_params_choice(p, UMAP_INIT);
    s->threads = d->threads > 0 ? d->threads : hs_par_threads();
    s->loss = NAN;
    *state = s;
    return HS_OK;
}

/* Step 1: the rows and their neighbours. */
static int
step_knn(struct umap_state *s, const struct hs_task *task, struct hs_err *err)
{
    struct stage sg;
    struct hs_task t = stage_task(task, &sg, 0, SHARE_KNN);
    size_t n;
    int rc = hs_embed_input_init(&s->in, &s->d, 3, err);

    if (rc != HS_OK)
        return rc;
    n = s->in.n;
    s->k = s->neighbors < n - 1 ? s->neighbors : n - 1;
    s->idx = hs_malloc(n * (s->k - 1) * sizeof *s->idx);
    s->dist = hs_malloc(n * (s->k - 1) * sizeof *s->dist);
    if (!s->idx || !s->dist)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if (s->epochs == 0)
        s->epochs = n > UMAP_LARGE ? 200 : 500;
    /* umap-learn's choice: exact below 4,096 points, NN-descent above
     * (there it finds about 0.99 of the true neighbours on the demo's
     * 19 features, at a third of the exact search's cost at 20,000
     * points and a tenth at 100,000: bench/RESULTS.md) */
    if (n < UMAP_EXACT_BELOW)
        rc = hs_knn_exact(s->in.x, n, s->in.dim, s->k - 1, s->idx, s->dist, s->threads, &t, err);
    else
        rc = hs_knn_approx(s->in.x, n, s->in.dim, s->k - 1, s->seed, s->idx, s->dist,
                           s->threads, &t, err);
    if (rc == HS_OK)
        hs_task_progress(task, SHARE_KNN, "umap: fuzzy graph");
    return rc;
}

/* Step 2: the graph, the curve and the starting layout. */
static int
step_init(struct umap_state *s, const struct hs_task *task, struct hs_err *err)
{
    struct stage sg;
    struct hs_task t = stage_task(task, &sg, SHARE_KNN, SHARE_KNN + SHARE_INIT);
    double *y;
    int rc;

    /* the graph once (a cancelled start of the layout comes back here) */
    if (!s->g.start) {
        rc = hs_umap_fuzzy_graph(s->idx, s->dist, s->in.n, s->k, &s->g, err);
        if (rc != HS_OK)
            return rc;
        hs_free(s->idx);
        hs_free(s->dist);
        s->idx = NULL;
        s->dist = NULL;
    }
    hs_task_progress(task, SHARE_KNN, "umap: starting layout");
    rc = hs_umap_fit_ab(s->spread, s->min_dist, &s->a, &s->b, err);
    if (rc != HS_OK)
        return rc;
    y = hs_malloc(s->in.n * s->dims * sizeof *y);
    if (!y)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    rc = hs_umap_init_layout(s->init, &s->g, s->in.x, s->in.dim, s->dims, s->seed, s->threads,
                             y, &s->init_used, &t, err);
    if (rc == HS_OK)
        rc = hs_umap_sgd_new(&s->g, y, s->dims, s->a, s->b, s->epochs, s->negative, s->seed,
                             &s->sgd, err);
    hs_free(y);
    if (rc == HS_OK)
        s->curve = hs_calloc(s->epochs / UMAP_INFO_EVERY + 2, sizeof *s->curve);
    if (rc == HS_OK && !s->curve) {
        hs_umap_sgd_free(s->sgd);
        s->sgd = NULL;
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    if (rc == HS_OK)
        hs_task_progress(task, SHARE_KNN + SHARE_INIT,
                         s->init_used == s->init ? "umap: epochs"
                                                 : "umap: epochs (graph not connected: pca start)");
    return rc;
}

static double
epochs_fraction(const struct umap_state *s)
{
    return SHARE_KNN + SHARE_INIT +
           (1 - SHARE_KNN - SHARE_INIT) * (double)hs_umap_sgd_epoch(s->sgd) / (double)s->epochs;
}

/* Step 3...: epochs up to the next loss estimate. */
static int
step_epochs(struct umap_state *s, struct hs_method_status *st, const struct hs_task *task,
            struct hs_err *err)
{
    double t0 = now(), last = t0;
    struct hs_epoch_info *info;
    int rc;

    do {
        rc = hs_umap_sgd_run(s->sgd, 1, s->threads, task, err);
        if (rc != HS_OK)
            return rc;
        if (now() - last >= PROGRESS_EVERY) {
            last = now();
            hs_task_progress(task, epochs_fraction(s), "umap: epochs");
        }
    } while (hs_umap_sgd_epoch(s->sgd) % UMAP_INFO_EVERY != 0 &&
             hs_umap_sgd_epoch(s->sgd) < s->epochs);
    s->loss = hs_umap_sgd_loss(s->sgd, s->threads);
    info = &s->curve[s->ncurve++];
    info->epoch = hs_umap_sgd_epoch(s->sgd);
    info->loss = s->loss;
    info->val_loss = NAN;
    info->val_auc = NAN;
    info->seconds = now() - t0;
    info->lr = 1.0 - (double)(info->epoch - 1) / (double)s->epochs;
    st->has_epoch = true;
    st->epoch = *info;
    if (info->epoch >= s->epochs)
        s->phase = PHASE_DONE;
    hs_task_progress(task, epochs_fraction(s), "umap: epochs");
    return HS_OK;
}

static int
umap_step(void *state, struct hs_method_status *st, const struct hs_task *task,
          struct hs_err *err)
{
    struct umap_state *s = state;
    int rc = HS_OK;

    memset(st, 0, sizeof *st);
    switch (s->phase) {
    case PHASE_KNN:
        rc = step_knn(s, task, err);
        if (rc == HS_OK) {
            s->phase = PHASE_INIT;
        } else {
            hs_embed_input_release(&s->in);
            hs_free(s->idx);
            hs_free(s->dist);
            s->idx = NULL;
            s->dist = NULL;
        }
        break;
    case PHASE_INIT:
        rc = step_init(s, task, err);
        if (rc == HS_OK)
            s->phase = PHASE_EPOCHS;
        break;
    case PHASE_EPOCHS:
        rc = step_epochs(s, st, task, err);
        break;
    case PHASE_DONE:
        break;
    }
    if (rc != HS_OK && rc != HS_ECANCELLED)
        return rc;
    st->done = s->phase == PHASE_DONE;
    st->fraction = s->phase == PHASE_DONE     ? 1
                   : s->phase == PHASE_EPOCHS ? epochs_fraction(s)
                   : s->phase == PHASE_INIT   ? SHARE_KNN
                                              : 0;
    return rc;
}

static int
umap_coords(void *state, double **out, size_t *dim, struct hs_err *err)
{
    const struct umap_state *s = state;
    size_t n = s->d.n, k = s->dims;
    double *c, *y;

    *out = NULL;
    if (!s->sgd)
        return hs_err_set(err, HS_EDATA, "the umap layout has not been started");
    c = hs_malloc((n ? n : 1) * k * sizeof *c);
    y = hs_malloc(s->in.n * k * sizeof *y);
    if (!c || !y) {
        hs_free(c);
        hs_free(y);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n * k; i++)
        c[i] = NAN;
    hs_umap_sgd_layout(s->sgd, y);
    for (size_t r = 0; r < s->in.n; r++)
        memcpy(c + s->in.row[r] * k, y + r * k, k * sizeof *c);
    hs_free(y);
    *out = c;
    *dim = k;
    return HS_OK;
}

static void
umap_report(void *state, struct hs_method_report *r)
{
    const struct umap_state *s = state;

    memset(r, 0, sizeof *r);
    r->curve = s->curve;
    r->nepochs = s->ncurve;
    r->best_epoch = s->ncurve;
    r->ntrain = s->in.n;
    r->loglik = NAN;
    r->inertia = NAN;
    r->kl = s->loss;
}

const struct hs_method hs_method_umap = {
    .name = "umap",
    .loss = "the fuzzy-set cross-entropy per point",
    .summary = "UMAP (McInnes, Healy and Melville 2018): fuzzy kNN graph, spectral start, "
               "SGD with negative sampling",
    .params = umap_params,
    .outputs = HS_METHOD_COORDS,
    .supervised = false,
    .check = umap_check,
    .describe = umap_describe,
    .alloc = umap_alloc,
    .step = umap_step,
    .model = NULL,
    .coords = umap_coords,
    .clusters = NULL,
    .report = umap_report,
    .free = umap_free,
};

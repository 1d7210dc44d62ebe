/* fisher.c: the "fisher" method: Fisher's linear discriminant fitted in
 * one step (see fisher.h for the model).
 *
 * Three passes over the training rows, each in chunks that look at the
 * cancel flag: the class weight sums and the index vector of the
 * training rows; per input, the imputation mean and
 * the class means (missing values counted as the mean, so that one pass
 * gives both), each input a part of a par.h job; and the centred products
 * of the pooled within-class covariance, through src/gram.c (chunks of
 * rows and bands of the matrix as parts, a GEMM on one BLAS thread per
 * block of rows, the chunks' sums added in order).  So the fit depends
 * on --threads and the data alone, never on how many threads ran or on
 * the machine's load.  Two passes (means, then products of centred
 * values) avoid the cancellation of the one-pass E[xy] - E[x]E[y] for
 * inputs far from 0, such as energies.
 *
 * The solve happens in standardised units: R = D^-1 W D^-1 with D the
 * within-class standard deviations, so that the shrinkage target and the
 * cut on small singular values do not depend on the inputs' units.
 * Shrinking R towards trace(R)/p I = I is scikit-learn's LDA (it
 * standardises before shrinking too).  R is decomposed by GSL's one-sided
 * Jacobi SVD, which needs no workspace beyond ours (so hs_malloc covers
 * all the memory) and is accurate for small singular values; those below
 * FISHER_RCOND of the largest are dropped (numpy's pinv rcond): a column
 * given twice, or two columns that differ by a constant, then share their
 * weight.  An input that does not vary within the classes has D = 0 and
 * is left out (coefficient 0).
 */
#include "config.h"

#include "fisher.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "gram.h"
#include "mem.h"
#include "par.h"

/* Singular values of the standardised covariance below this fraction of
 * the largest are taken as 0. */
#define FISHER_RCOND 1e-10
/* Rows between two looks at the cancel flag in the one-column passes. */
#define FISHER_CHUNK 65536
#define FISHER_MAX_NIN 100000

enum fisher_param { FISHER_SHRINKAGE, FISHER_PRIORS };

enum fisher_priors { PRIORS_DATA, PRIORS_EQUAL };
static const char *const priors_choices[] = {[PRIORS_DATA] = "data", [PRIORS_EQUAL] = "equal",
                                             NULL};

static const struct hs_param_spec fisher_params[] = {
    [FISHER_SHRINKAGE] = {.name = "shrinkage", .type = HS_PARAM_REAL, .def = "0", .min = 0,
                          .max = 1, .metavar = "L",
                          .help = "shrink the within-class covariance towards the identity in "
                                  "standardised units (0 none, 1 ignore correlations)"},
    [FISHER_PRIORS] = {.name = "priors", .type = HS_PARAM_CHOICE, .def = "data",
                       .choices = priors_choices, .metavar = "P",
                       .help = "prior odds of signal: 'data' the training weight sums, 'equal' "
                               "even"},
    {0},
};

struct fisher_state {
    struct hs_method_data d; /* the columns are borrowed */
    double shrinkage;
    bool equal_priors;
    struct hs_fisher *fit; /* NULL until the step has finished */
    size_t ntrain, nimputed, nnegative;
};

/* A row's class: 1 signal, 0 background, -1 not in the fit. */
static int
row_class(const struct hs_method_data *d, size_t i)
{
    if (d->part && d->part[i] != 0)
        return -1;
    if (d->label[i] == 1)
        return 1;
    if (d->label[i] == 0)
        return 0;
    return -1;
}

static double
row_weight(const struct hs_method_data *d, size_t i)
{
    return d->weight ? d->weight[i] : 1.0;
}

static const char *
class_name(int c)
{
    return c ? "signal" : "background";
}

/* The fit's figures before the solve. */
struct sums {
    size_t *idx;          /* ntrain training rows: the index vector of the passes */
    unsigned char *cls;   /* their classes, 1 signal, 0 background */
    long double S[2];     /* class weight sums, [0] background, [1] signal */
    size_t count[2];
    double *mean;         /* p imputation means */
    double *mu[2];        /* p class means each */
    double *W;            /* p x p pooled within-class covariance */
};

static int
cancelled(const struct hs_task *task, struct hs_err *err)
{
    return hs_task_cancelled(task) ? hs_err_set(err, HS_ECANCELLED, "fisher fit cancelled")
                                   : HS_OK;
}

/* A stage of the fit as a task of its own: its progress from 0 to 1
 * becomes lo to lo + span of the whole fit's. */
struct stage {
    struct hs_task t;
    const struct hs_task *parent;
    double lo, span;
};

static void
stage_progress(void *user, double fraction, const char *what)
{
    const struct stage *st = user;
    hs_task_progress(st->parent, st->lo + st->span * fraction, what);
}

static const struct hs_task *
stage_task(struct stage *st, const struct hs_task *parent, double lo, double span)
{
    if (!parent)
        return NULL;
    *st = (struct stage){{stage_progress, st, parent->cancel}, parent, lo, span};
    return &st->t;
}

/* Pass 1: which rows train (the index vector), their classes' weight
 * sums. */
static int
pass_weights(struct fisher_state *s, struct sums *z, const struct hs_task *task,
             struct hs_err *err)
{
    const struct hs_method_data *d = &s->d;
    size_t nt = 0;

    for (size_t i = 0; i < d->n; i++) {
        int c = row_class(d, i);
        double w;
        if (i % FISHER_CHUNK == 0 && cancelled(task, err))
            return HS_ECANCELLED;
        if (c < 0)
            continue;
        w = row_weight(d, i);
        if (!isfinite(w))
            return hs_err_set(err, HS_EDATA, "row %zu: weight %g is not a finite number", i + 1,
                              w);
        z->S[c] += w;
        z->count[c]++;
        s->nnegative += w < 0;
        z->idx[nt] = i;
        z->cls[nt++] = (unsigned char)c;
    }
    s->ntrain = nt;
    for (int c = 1; c >= 0; c--) {
        if (z->count[c] == 0)
            return hs_err_set(err, HS_EDATA,
                              "fisher needs %s events in the training part, and there are none",
                              class_name(c));
        if (!(z->S[c] > 0))
            return hs_err_set(err, HS_EDATA,
                              "the %s events of the training part weigh %Lg in all: fisher "
                              "needs a positive weight sum for each class",
                              class_name(c), z->S[c]);
    }
    hs_task_progress(task, 0.1, "fisher: class weights");
    return HS_OK;
}

/* Pass 2: per input, the mean over both classes of the values present
 * (what a missing value becomes), and the class means with missing
 * values counted as that mean.  Each input is a part of a par.h job, its
 * sums taken in row order whichever thread runs it. */
struct means_job {
    struct fisher_state *s;
    struct sums *z;
    const struct hs_task *task;
    size_t *nmissing; /* per input */
    unsigned char *empty; /* per input: no value of positive weight */
    atomic_int stop;
    struct hs_par_progress prog;
};

static int
means_part(void *ctx, size_t j)
{
    struct means_job *mj = ctx;
    const struct hs_method_data *d = &mj->s->d;
    struct sums *z = mj->z;
    long double sx[2] = {0, 0}, wmiss[2] = {0, 0}, wpresent;
    const double *col = d->x[j];
    size_t nmiss = 0;

    for (size_t k = 0; k < mj->s->ntrain; k++) {
        size_t i = z->idx[k];
        if (k % FISHER_CHUNK == 0 && (atomic_load_explicit(&mj->stop, memory_order_relaxed) ||
                                      hs_task_cancelled(mj->task))) {
            atomic_store(&mj->stop, 1);
            return HS_ECANCELLED;
        }
        if (isnan(col[i])) {
            wmiss[z->cls[k]] += row_weight(d, i);
            nmiss++;
        } else {
            sx[z->cls[k]] += row_weight(d, i) * (long double)col[i];
        }
    }
    mj->nmissing[j] = nmiss;
    wpresent = z->S[0] + z->S[1] - wmiss[0] - wmiss[1];
    if (!(wpresent > 0)) {
        mj->empty[j] = 1;
    } else {
        z->mean[j] = (double)((sx[0] + sx[1]) / wpresent);
        for (int c = 0; c < 2; c++)
            z->mu[c][j] = (double)((sx[c] + wmiss[c] * z->mean[j]) / z->S[c]);
    }
    hs_par_progress_add(&mj->prog, 1);
    return HS_OK;
}

static int
pass_means(struct fisher_state *s, struct sums *z, const struct hs_task *task,
           struct hs_err *err)
{
    const struct hs_method_data *d = &s->d;
    size_t p = d->nin;
    struct means_job mj = {.s = s, .z = z, .task = task};
    struct stage st;
    const struct hs_task *sub = stage_task(&st, task, 0.1, 0.2);
    int rc = HS_OK;

    mj.nmissing = hs_calloc(p, sizeof *mj.nmissing);
    mj.empty = hs_calloc(p, 1);
    if (!mj.nmissing || !mj.empty) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    atomic_init(&mj.stop, 0);
    hs_par_progress_init(&mj.prog, sub, p, "fisher: means", false);
    if (hs_par_run(p, d->threads > 0 ? d->threads : hs_par_threads(), means_part, &mj) || hs_task_cancelled(task)) {
        rc = hs_err_set(err, HS_ECANCELLED, "fisher fit cancelled");
        goto done;
    }
    hs_task_progress(sub, 1, "fisher: means");
    for (size_t j = 0; j < p; j++) {
        s->nimputed += mj.nmissing[j];
        if (mj.empty[j]) {
            rc = hs_err_set(err, HS_EDATA,
                            "input '%s' has no value (of positive weight) in the training "
                            "part to fill its missing ones with",
                            d->names && d->names[j] ? d->names[j] : "?");
            break;
        }
    }
done:
    hs_free(mj.nmissing);
    hs_free(mj.empty);
    return rc;
}

/* Pass 3: W = sum over training rows of w (x - mu_class)(x - mu_class)^T
 * over the total weight (src/gram.c).  A block's values: training rows
 * [r0, r0 + len), inputs [c0, p), centred on their class's means. */
struct cov_fill {
    const struct fisher_state *s;
    const struct sums *z;
};

static void
cov_fill(void *ctx, size_t r0, size_t len, size_t c0, double *out, double *w)
{
    const struct cov_fill *cf = ctx;
    const struct hs_method_data *d = &cf->s->d;
    const struct sums *z = cf->z;
    for (size_t r = 0; r < len; r++)
        w[r] = row_weight(d, z->idx[r0 + r]);
    for (size_t j = c0; j < d->nin; j++) {
        const double *col = d->x[j];
        double fill = z->mean[j], mu[2] = {z->mu[0][j], z->mu[1][j]}, *o = out + (j - c0) * len;
        for (size_t r = 0; r < len; r++) {
            double v = col[z->idx[r0 + r]];
            o[r] = (isnan(v) ? fill : v) - mu[z->cls[r0 + r]];
        }
    }
}

static int
pass_covariance(struct fisher_state *s, struct sums *z, const struct hs_task *task,
                struct hs_err *err)
{
    size_t p = s->d.nin;
    struct cov_fill cf = {s, z};
    struct hs_gram g = {p, s->ntrain, cov_fill, &cf, "fisher: covariance", s->d.threads};
    struct stage st;
    long double total = z->S[0] + z->S[1];
    int rc = hs_gram_compute(&g, z->W, stage_task(&st, task, 0.3, 0.6), err);

    if (rc == HS_ECANCELLED)
        return hs_err_set(err, rc, "fisher fit cancelled");
    if (rc)
        return rc;
    for (size_t k = 0; k < p * p; k++)
        z->W[k] = (double)(z->W[k] / total);
    return HS_OK;
}

/* w = W^-1 (mu_s - mu_b) in standardised units through the pseudo-inverse
 * of the (shrunk) correlation matrix, and the offset. */
static int
solve(struct fisher_state *s, const struct sums *z, struct hs_fisher *f, struct hs_err *err)
{
    size_t p = s->d.nin;
    double *A = hs_malloc(p * p * sizeof *A);
    double *Q = hs_malloc(p * p * sizeof *Q);
    double *S = hs_malloc(p * sizeof *S);
    double *g = hs_malloc(p * sizeof *g);
    double smax = 0;
    long double off = 0;
    int rc = HS_OK, gs;

    if (!A || !Q || !S || !g) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t j = 0; j < p; j++) {
        double wjj = z->W[j * p + j];
        f->sd[j] = wjj > 0 ? sqrt(wjj) : 0;
        f->mean[j] = z->mean[j];
    }
    for (size_t j = 0; j < p; j++) {
        for (size_t k = 0; k < p; k++) {
            double v = 0;
            if (f->sd[j] > 0 && f->sd[k] > 0)
                v = j == k ? 1.0
                           : (1 - s->shrinkage) * z->W[j * p + k] / (f->sd[j] * f->sd[k]);
            A[j * p + k] = v;
        }
        g[j] = f->sd[j] > 0 ? (z->mu[1][j] - z->mu[0][j]) / f->sd[j] : 0;
    }
    {
        gsl_matrix_view av = gsl_matrix_view_array(A, p, p);
        gsl_matrix_view qv = gsl_matrix_view_array(Q, p, p);
        gsl_vector_view sv = gsl_vector_view_array(S, p);
        gs = gsl_linalg_SV_decomp_jacobi(&av.matrix, &qv.matrix, &sv.vector);
    }
    if (gs != GSL_SUCCESS) {
        rc = hs_err_set(err, HS_EDATA, "the within-class covariance could not be decomposed: %s",
                        gsl_strerror(gs));
        goto done;
    }
    /* A = U S V^T, now U in A and V in Q: v = V S^+ U^T g, into f->w. */
    for (size_t k = 0; k < p; k++)
        if (S[k] > smax)
            smax = S[k];
    memset(f->w, 0, p * sizeof *f->w);
    for (size_t k = 0; k < p; k++) {
        long double ug = 0;
        if (!(S[k] > FISHER_RCOND * smax))
            continue;
        for (size_t j = 0; j < p; j++)
            ug += (long double)A[j * p + k] * g[j];
        for (size_t j = 0; j < p; j++)
            f->w[j] += (double)(Q[j * p + k] * (ug / S[k]));
    }
    for (size_t j = 0; j < p; j++) {
        f->w[j] = f->sd[j] > 0 ? f->w[j] / f->sd[j] : 0;
        off -= (long double)f->w[j] * ((long double)z->mu[1][j] + z->mu[0][j]) / 2;
    }
    if (!s->equal_priors)
        off += logl(z->S[1] / z->S[0]);
    f->b = (double)off;
done:
    hs_free(A);
    hs_free(Q);
    hs_free(S);
    hs_free(g);
    return rc;
}

/* ---- the method ---- */

static void
fisher_describe(const struct hs_params *p, char *buf, size_t size)
{
    snprintf(buf, size, "Fisher discriminant, shrinkage %g, priors %s",
             hs_params_real(p, FISHER_SHRINKAGE), priors_choices[hs_params_choice(p, FISHER_PRIORS)]);
}

static int
fisher_alloc(const struct hs_params *p, const struct hs_method_data *d, void **state,
             struct hs_err *err)
{
    struct fisher_state *s;

    *state = NULL;
    if (d->nin == 0 || d->nin > FISHER_MAX_NIN)
        return hs_err_set(err, HS_EUSAGE, "fisher takes 1 to %d inputs, not %zu",
                          FISHER_MAX_NIN, d->nin);
    if (!d->label)
        return hs_err_set(err, HS_EUSAGE, "fisher needs labels (signal 1, background 0)");
    s = hs_calloc(1, sizeof *s);
    if (!s)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    s->d = *d;
    s->shrinkage = hs_params_real(p, FISHER_SHRINKAGE);
    s->equal_priors = hs_params_choice(p, FISHER_PRIORS) == PRIORS_EQUAL;
    *state = s;
    return HS_OK;
}

static int
fisher_step(void *state, struct hs_method_status *st, const struct hs_task *task,
            struct hs_err *err)
{
    struct fisher_state *s = state;
    size_t p = s->d.nin;
    struct sums z = {NULL, NULL, {0, 0}, {0, 0}, NULL, {NULL, NULL}, NULL};
    struct hs_fisher *f = NULL;
    double *block;
    int rc;

    memset(st, 0, sizeof *st);
    if (s->fit) {
        st->fraction = 1;
        st->done = true;
        return HS_OK;
    }
    s->ntrain = s->nimputed = s->nnegative = 0;
    block = hs_malloc((3 + p) * p * sizeof *block);
    z.idx = hs_malloc(s->d.n * sizeof *z.idx);
    z.cls = hs_malloc(s->d.n * sizeof *z.cls);
    f = hs_fisher_new(p);
    if (!block || !z.idx || !z.cls || !f) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    z.mean = block;
    z.mu[0] = block + p;
    z.mu[1] = block + 2 * p;
    z.W = block + 3 * p;
    rc = pass_weights(s, &z, task, err);
    if (rc == HS_OK)
        rc = pass_means(s, &z, task, err);
    if (rc == HS_OK)
        rc = pass_covariance(s, &z, task, err);
    if (rc == HS_OK)
        rc = cancelled(task, err);
    if (rc == HS_OK)
        rc = solve(s, &z, f, err);
done:
    hs_free(block);
    hs_free(z.idx);
    hs_free(z.cls);
    if (rc != HS_OK) {
        hs_fisher_free(f);
        return rc;
    }
    s->fit = f;
    st->fraction = 1;
    st->done = true;
    hs_task_progress(task, 1, "fisher: solved");
    return HS_OK;
}

static int
fisher_model(void *state, struct hs_model **out, struct hs_err *err)
{
    struct fisher_state *s = state;
    struct hs_fisher *f;

    *out = NULL;
    if (!s->fit)
        return hs_err_set(err, HS_EDATA, "the fisher fit has not finished");
    f = hs_fisher_new(s->fit->nin);
    if (!f)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    memcpy(f->w, s->fit->w, 3 * f->nin * sizeof *f->w);
    f->b = s->fit->b;
    return hs_model_new(&hs_model_kind_fisher, f, f->nin, out, err);
}

static void
fisher_report(void *state, struct hs_method_report *r)
{
    const struct fisher_state *s = state;

    memset(r, 0, sizeof *r);
    r->nimputed = s->nimputed;
    r->ntrain = s->ntrain;
    r->nnegative = s->nnegative;
}

static void
fisher_free(void *state)
{
    struct fisher_state *s = state;

    if (!s)
        return;
    hs_fisher_free(s->fit);
    hs_free(s);
}

const struct hs_method hs_method_fisher = {
    .name = "fisher",
    .summary = "Fisher's linear discriminant (TMVA's Fisher): class means and the pooled "
               "within-class covariance",
    .params = fisher_params,
    .outputs = HS_METHOD_SCORE | HS_METHOD_MODEL,
    .supervised = true,
    .check = NULL,
    .describe = fisher_describe,
    .alloc = fisher_alloc,
    .step = fisher_step,
    .model = fisher_model,
    .coords = NULL,
    .clusters = NULL,
    .report = fisher_report,
    .free = fisher_free,
};

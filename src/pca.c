/* pca.c: principal components of the standardised features (pca.h).
 *
 * The covariance is summed over rows in the parts of rowpass.h, each part
 * its own sums (a block's products summed apart and then added, so that
 * no long run of additions loses digits), added in part order: the same
 * bits on any number of threads.  The sums are taken about the rows' own
 * mean, subtracted at the end (a standardised input has mean 0 up to
 * rounding, so nothing cancels).  The decomposition is our own cyclic
 * Jacobi: GSL's symmv calls the BLAS, whose OpenMP threads then spin for
 * a while after each call and take the cores from the row passes (a
 * 19-feature PCA took ten times longer on two threads than on one), and
 * gsl_eigen_jacobi stops only when every off-diagonal element is exactly
 * 0, which rotations that leave rounding noise may never reach.  Jacobi
 * is also accurate for the smallest eigenvalues, and all its memory is
 * ours.
 */
#include "config.h"

#include "pca.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "embed_input.h"
#include "mem.h"
#include "rowpass.h"

#define PCA_MAX_DIMS 50

/* ---- the covariance pass ---- */

struct cov_pass {
    const double *x;
    size_t dim;
    double *sum; /* parts x dim */
    double *sxx; /* parts x dim x dim, upper triangle used */
};

static int
cov_block(void *ctx, size_t part, size_t lo, size_t hi)
{
    struct cov_pass *c = ctx;
    size_t p = c->dim;
    double *s = c->sum + part * p, *q = c->sxx + part * p * p;
    double bs[64], bq[64 * 64];
    /* A block's sums apart when they fit on the stack, else straight into
     * the part's (any dim works; few features is the common case). */
    bool local = p <= 64;
    double *ts = local ? bs : s, *tq = local ? bq : q;

    if (local) {
        memset(bs, 0, p * sizeof *bs);
        for (size_t j = 0; j < p; j++)
            memset(bq + j * p + j, 0, (p - j) * sizeof *bq);
    }
    for (size_t i = lo; i < hi; i++) {
        const double *r = c->x + i * p;
        for (size_t j = 0; j < p; j++) {
            double v = r[j];
            ts[j] += v;
            double *qj = tq + j * p;
            for (size_t k = j; k < p; k++)
                qj[k] += v * r[k];
        }
    }
    if (local) {
        for (size_t j = 0; j < p; j++) {
            s[j] += bs[j];
            for (size_t k = j; k < p; k++)
                q[j * p + k] += bq[j * p + k];
        }
    }
    return HS_OK;
}

void
hs_pca_release(struct hs_pca *p)
{
    hs_free(p->variance);
    hs_free(p->ratio);
    hs_free(p->loadings);
    hs_free(p->mean);
    memset(p, 0, sizeof *p);
}

/* The sign of each component (a row of L) fixed: its largest |loading|,
 * the first on a tie, positive. */
static void
fix_signs(double *L, size_t dim)
{
    for (size_t c = 0; c < dim; c++) {
        double *row = L + c * dim;
        size_t best = 0;
        for (size_t j = 1; j < dim; j++)
            if (fabs(row[j]) > fabs(row[best]))
                best = j;
        if (row[best] < 0)
            for (size_t j = 0; j < dim; j++)
                row[j] = -row[j];
    }
}

/* Sweeps of Jacobi rotations at most (a few dozen features converge in
 * well under ten). */
#define PCA_MAX_SWEEPS 64

/* The eigen-decomposition of the symmetric dim x dim matrix A (destroyed:
 * its diagonal ends as the eigenvalues) by cyclic Jacobi rotations
 * (Golub and Van Loan, algorithm 8.5.3), V's columns the eigenvectors.
 * A pair is rotated while its element exceeds DBL_EPSILON times the
 * geometric mean of its diagonal elements (Demmel and Veselic's
 * criterion, which keeps small eigenvalues accurate to their own
 * size); a sweep that rotates nothing ends it.  false when it does not
 * settle in PCA_MAX_SWEEPS sweeps. */
static bool
jacobi_eigen(double *A, size_t dim, double *V)
{
    for (size_t i = 0; i < dim * dim; i++)
        V[i] = i % (dim + 1) == 0;
    for (int sweep = 0; sweep < PCA_MAX_SWEEPS; sweep++) {
        bool rotated = false;
        for (size_t p = 0; p + 1 < dim; p++)
            for (size_t q = p + 1; q < dim; q++) {
                double apq = A[p * dim + q], app = A[p * dim + p], aqq = A[q * dim + q];
                if (fabs(apq) <= DBL_EPSILON * sqrt(fabs(app * aqq)) || apq == 0)
                    continue;
                rotated = true;
                double tau = (aqq - app) / (2 * apq);
                double t = (tau >= 0 ? 1 : -1) / (fabs(tau) + sqrt(1 + tau * tau));
                double c = 1 / sqrt(1 + t * t), sn = t * c;
                for (size_t k = 0; k < dim; k++) {
                    double akp = A[k * dim + p], akq = A[k * dim + q];
                    A[k * dim + p] = c * akp - sn * akq;
                    A[k * dim + q] = sn * akp + c * akq;
                    double vkp = V[k * dim + p], vkq = V[k * dim + q];
                    V[k * dim + p] = c * vkp - sn * vkq;
                    V[k * dim + q] = sn * vkp + c * vkq;
                }
                for (size_t k = 0; k < dim; k++) {
                    double apk = A[p * dim + k], aqk = A[q * dim + k];
                    A[p * dim + k] = c * apk - sn * aqk;
                    A[q * dim + k] = sn * apk + c * aqk;
                }
                A[p * dim + q] = A[q * dim + p] = 0;
            }
        if (!rotated)
            return true;
    }
    return false;
}

/* C (dim x dim, full) decomposed into o's variance and loadings; C is
 * destroyed. */
static int
decompose(double *C, size_t dim, size_t n, struct hs_pca *o, struct hs_err *err)
{
    double *V = hs_malloc(dim * dim * sizeof *V);
    size_t *order = hs_malloc(dim * sizeof *order);
    int rc = HS_OK;

    if (!V || !order) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if (!jacobi_eigen(C, dim, V)) {
        rc = hs_err_set(err, HS_EDATA, "the covariance of the features could not be "
                                       "decomposed: Jacobi rotations did not settle");
        goto done;
    }
    /* Components by decreasing eigenvalue, the first index on a tie
     * (insertion sort: a few dozen at most). */
    for (size_t c = 0; c < dim; c++) {
        size_t j = c;
        while (j > 0 && C[order[j - 1] * (dim + 1)] < C[c * (dim + 1)]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = c;
    }
    long double total = 0;
    for (size_t c = 0; c < dim; c++) {
        double e = C[order[c] * (dim + 1)];
        /* Rounding can leave a zero eigenvalue slightly negative. */
        double v = e > 0 && n > 1 ? e / (double)(n - 1) : 0;
        o->variance[c] = v;
        total += v;
        for (size_t j = 0; j < dim; j++)
            o->loadings[c * dim + j] = V[j * dim + order[c]];
    }
    for (size_t c = 0; c < dim; c++)
        o->ratio[c] = total > 0 ? (double)(o->variance[c] / total) : 0;
    fix_signs(o->loadings, dim);
done:
    hs_free(V);
    hs_free(order);
    return rc;
}

int
hs_pca_fit(const double *x, size_t n, size_t dim, int threads, struct hs_pca *out,
           const struct hs_task *task, struct hs_err *err)
{
    struct hs_pca o = {.n = n, .dim = dim};
    size_t parts = hs_rowpass_parts(n);
    struct cov_pass c = {.x = x, .dim = dim};
    double *C = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    if (n < 1 || dim < 1)
        return hs_err_set(err, HS_EDATA, "pca needs at least one event and one feature");
    o.variance = hs_malloc(dim * sizeof *o.variance);
    o.ratio = hs_malloc(dim * sizeof *o.ratio);
    o.loadings = hs_malloc(dim * dim * sizeof *o.loadings);
    o.mean = hs_malloc(dim * sizeof *o.mean);
    c.sum = hs_calloc(parts * dim, sizeof *c.sum);
    c.sxx = hs_calloc(parts * dim * dim, sizeof *c.sxx);
    C = hs_malloc(dim * dim * sizeof *C);
    if (!o.variance || !o.ratio || !o.loadings || !o.mean || !c.sum || !c.sxx || !C) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto fail;
    }
    struct hs_rowpass pass = {.n = n, .threads = threads, .fn = cov_block, .ctx = &c,
                              .task = task, .what = "pca: covariance", .base = 0, .span = 0.9};
    if ((rc = hs_rowpass_run(&pass, err)))
        goto fail;
    for (size_t j = 0; j < dim; j++) {
        double s = 0;
        for (size_t k = 0; k < parts; k++)
            s += c.sum[k * dim + j];
        o.mean[j] = s / (double)n;
    }
    for (size_t j = 0; j < dim; j++)
        for (size_t k = j; k < dim; k++) {
            double q = 0;
            for (size_t t = 0; t < parts; t++)
                q += c.sxx[(t * dim + j) * dim + k];
            C[j * dim + k] = C[k * dim + j] = q - (double)n * o.mean[j] * o.mean[k];
        }
    if ((rc = decompose(C, dim, n, &o, err)))
        goto fail;
    hs_free(c.sum);
    hs_free(c.sxx);
    hs_free(C);
    *out = o;
    hs_task_progress(task, 1, "pca: done");
    return HS_OK;
fail:
    hs_free(c.sum);
    hs_free(c.sxx);
    hs_free(C);
    hs_pca_release(&o);
    return rc;
}

void
hs_pca_project(const struct hs_pca *p, const double *x, size_t ncomp, double *out)
{
    for (size_t c = 0; c < ncomp; c++) {
        const double *l = p->loadings + c * p->dim;
        double s = 0;
        for (size_t j = 0; j < p->dim; j++)
            s += l[j] * (x[j] - p->mean[j]);
        out[c] = s;
    }
}

/* ---- the method ---- */

enum pca_param { PCA_DIMS, PCA_N };

static const struct hs_param_spec pca_params[] = {
    [PCA_DIMS] = {.name = "dims", .type = HS_PARAM_INT, .def = "2", .min = 1,
                  .max = PCA_MAX_DIMS, .metavar = "D", .help = "principal components to output"},
    [PCA_N] = {.name = "n", .type = HS_PARAM_INT, .def = "0", .min = 0, .max = 1e12,
               .metavar = "N", .help = "events to fit, a subsample stratified by class and group "
                                       "(0 all)"},
    {0},
};

struct pca_state {
    struct hs_method_data d; /* the columns are borrowed */
    size_t dims;
    struct hs_embed_input in; /* its mean and sd standardise every row */
    struct hs_pca fit;
    bool fitted;
};

static void
pca_describe(const struct hs_params *p, char *buf, size_t size)
{
    snprintf(buf, size, "PCA of the standardised features, %zu component%s",
             hs_params_int(p, PCA_DIMS), hs_params_int(p, PCA_DIMS) == 1 ? "" : "s");
}

static int
pca_alloc(const struct hs_params *p, const struct hs_method_data *d, void **state,
          struct hs_err *err)
{
    size_t dims = hs_params_int(p, PCA_DIMS);
    struct pca_state *s;

    *state = NULL;
    if (d->nin < 1)
        return hs_err_set(err, HS_EUSAGE, "pca needs at least one feature");
    if (dims > d->nin)
        return hs_err_set(err, HS_EUSAGE,
                          "pca of %zu feature%s has %zu component%s, not --dims %zu", d->nin,
                          d->nin == 1 ? "" : "s", d->nin, d->nin == 1 ? "" : "s", dims);
    s = hs_calloc(1, sizeof *s);
    if (!s)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    s->d = *d;
    s->dims = dims;
    *state = s;
    return HS_OK;
}

static int
pca_step(void *state, struct hs_method_status *st, const struct hs_task *task,
         struct hs_err *err)
{
    struct pca_state *s = state;
    int rc;

    memset(st, 0, sizeof *st);
    if (!s->fitted) {
        if (hs_task_cancelled(task))
            return hs_err_set(err, HS_ECANCELLED, "pca cancelled");
        if ((rc = hs_embed_input_init(&s->in, &s->d, 1, err)))
            return rc;
        rc = hs_pca_fit(s->in.x, s->in.n, s->in.dim, s->d.threads, &s->fit, task, err);
        /* Only the mean and sd are needed from here on. */
        hs_free(s->in.x);
        s->in.x = NULL;
        if (rc) {
            hs_embed_input_release(&s->in);
            return rc;
        }
        s->fitted = true;
    }
    st->fraction = 1;
    st->done = true;
    return HS_OK;
}

struct project_pass {
    const struct pca_state *s;
    double *out;
};

static int
project_block(void *ctx, size_t part, size_t lo, size_t hi)
{
    const struct project_pass *pp = ctx;
    const struct pca_state *s = pp->s;
    const struct hs_pca *f = &s->fit;
    size_t dim = f->dim;

    (void)part;
    for (size_t i = lo; i < hi; i++) {
        double *o = pp->out + i * s->dims;
        bool ok = true;
        for (size_t c = 0; c < s->dims; c++)
            o[c] = 0;
        for (size_t j = 0; j < dim && ok; j++) {
            double v = s->d.x[j][i];
            if (!isfinite(v)) {
                ok = false;
                break;
            }
            double z = (v - s->in.mean[j]) / s->in.sd[j] - f->mean[j];
            for (size_t c = 0; c < s->dims; c++)
                o[c] += f->loadings[c * dim + j] * z;
        }
        if (!ok)
            for (size_t c = 0; c < s->dims; c++)
                o[c] = NAN;
    }
    return HS_OK;
}

static int
pca_coords(void *state, double **out, size_t *dim, struct hs_err *err)
{
    struct pca_state *s = state;
    double *o;

    *out = NULL;
    *dim = 0;
    if (!s->fitted)
        return hs_err_set(err, HS_EDATA, "the pca fit has not finished");
    o = hs_malloc_large((s->d.n ? s->d.n : 1) * s->dims * sizeof *o);
    if (!o)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    struct project_pass pp = {.s = s, .out = o};
    struct hs_rowpass pass = {.n = s->d.n, .threads = s->d.threads, .fn = project_block,
                              .ctx = &pp, .what = "pca: projection"};
    int rc = hs_rowpass_run(&pass, err);
    if (rc) {
        hs_free(o);
        return rc;
    }
    *out = o;
    *dim = s->dims;
    return HS_OK;
}

static void
pca_report(void *state, struct hs_method_report *r)
{
    const struct pca_state *s = state;

    memset(r, 0, sizeof *r);
    r->ntrain = s->fitted ? s->fit.n : 0;
    r->loglik = NAN;
    r->inertia = NAN;
    r->kl = NAN;
}

static void
pca_free(void *state)
{
    struct pca_state *s = state;

    if (!s)
        return;
    hs_pca_release(&s->fit);
    hs_embed_input_release(&s->in);
    hs_free(s);
}

const struct hs_pca *
hs_pca_of(void *state)
{
    const struct pca_state *s = state;
    return s && s->fitted ? &s->fit : NULL;
}

const struct hs_method hs_method_pca = {
    .name = "pca",
    .summary = "principal components of the standardised features: explained variance, "
               "loadings and the projection of every event",
    .params = pca_params,
    .outputs = HS_METHOD_COORDS,
    .supervised = false,
    .check = NULL,
    .describe = pca_describe,
    .alloc = pca_alloc,
    .step = pca_step,
    .model = NULL,
    .coords = pca_coords,
    .clusters = NULL,
    .report = pca_report,
    .free = pca_free,
};

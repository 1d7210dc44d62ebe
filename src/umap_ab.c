/* umap_ab.c: the a and b of UMAP's output curve (see umap.h), by GSL's
 * trust-region Levenberg-Marquardt (scipy's curve_fit is MINPACK's
 * Levenberg-Marquardt; both find the same least-squares minimum). */
#include "config.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <math.h>

#include "par.h"
#include "umap.h"

#define AB_POINTS 300
#define AB_MAX_ITER 200

struct ab_data {
    double x[AB_POINTS], y[AB_POINTS];
};

/* residuals 1 / (1 + a x^2b) - y */
static int
ab_f(const gsl_vector *p, void *user, gsl_vector *f)
{
    const struct ab_data *d = user;
    double a = gsl_vector_get(p, 0), b = gsl_vector_get(p, 1);

    for (size_t i = 0; i < AB_POINTS; i++) {
        double t = d->x[i] > 0 ? a * pow(d->x[i], 2 * b) : 0;
        gsl_vector_set(f, i, 1 / (1 + t) - d->y[i]);
    }
    return GSL_SUCCESS;
}

static int
ab_df(const gsl_vector *p, void *user, gsl_matrix *J)
{
    const struct ab_data *d = user;
    double a = gsl_vector_get(p, 0), b = gsl_vector_get(p, 1);

    for (size_t i = 0; i < AB_POINTS; i++) {
        double x = d->x[i], u = x > 0 ? pow(x, 2 * b) : 0, q = 1 / ((1 + a * u) * (1 + a * u));
        gsl_matrix_set(J, i, 0, -u * q);
        gsl_matrix_set(J, i, 1, x > 0 ? -a * u * 2 * log(x) * q : 0);
    }
    return GSL_SUCCESS;
}

/* The fit as a job of one part: par.h runs it on the caller with the
 * BLAS on one thread, so that GSL's BLAS calls (OpenBLAS with OpenMP)
 * do not wake a team that then spins against the fit's own threads. */
struct fit_job {
    gsl_multifit_nlinear_workspace *w;
    gsl_vector *p0;
    gsl_multifit_nlinear_fdf *fdf;
    int status;
};

static int
fit_part(void *ctx, size_t part)
{
    struct fit_job *j = ctx;
    int info = 0;
    (void)part;
    j->status = gsl_multifit_nlinear_init(j->p0, j->fdf, j->w);
    if (j->status == GSL_SUCCESS)
        j->status = gsl_multifit_nlinear_driver(AB_MAX_ITER, 1e-12, 1e-12, 1e-12, NULL, NULL,
                                                &info, j->w);
    return 0;
}

int
hs_umap_fit_ab(double spread, double min_dist, double *a, double *b, struct hs_err *err)
{
    struct ab_data d;
    gsl_multifit_nlinear_fdf fdf;
    gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
    gsl_multifit_nlinear_workspace *w;
    double p0[2] = {1, 1};
    gsl_vector_view pv = gsl_vector_view_array(p0, 2);
    int status;
    gsl_error_handler_t *old;

    if (!(spread > 0) || !(min_dist >= 0) || !(min_dist <= spread))
        return hs_err_set(err, HS_EUSAGE,
                          "umap wants a spread above 0 and min-dist from 0 to the spread, not "
                          "spread %g and min-dist %g",
                          spread, min_dist);
    for (size_t i = 0; i < AB_POINTS; i++) {
        d.x[i] = 3 * spread * (double)i / (AB_POINTS - 1);
        d.y[i] = d.x[i] < min_dist ? 1 : exp(-(d.x[i] - min_dist) / spread);
    }
    fdf.f = ab_f;
    fdf.df = ab_df;
    fdf.fvv = NULL;
    fdf.n = AB_POINTS;
    fdf.p = 2;
    fdf.params = &d;
    par.trs = gsl_multifit_nlinear_trs_lm;
    w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &par, AB_POINTS, 2);
    if (!w)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    old = gsl_set_error_handler_off();
    struct fit_job job = {w, &pv.vector, &fdf, GSL_SUCCESS};
    hs_par_run(1, 1, fit_part, &job);
    status = job.status;
    gsl_set_error_handler(old);
    if (status == GSL_SUCCESS) {
        *a = gsl_vector_get(w->x, 0);
        *b = gsl_vector_get(w->x, 1);
    }
    gsl_multifit_nlinear_free(w);
    if (status != GSL_SUCCESS || !isfinite(*a) || !isfinite(*b) || !(*a > 0) || !(*b > 0))
        return hs_err_set(err, HS_EDATA,
                          "the umap curve could not be fitted to min-dist %g and spread %g: %s",
                          min_dist, spread, gsl_strerror(status));
    return HS_OK;
}

/* cluster_range.c: fits over a range of K (cluster_range.h). */
#include "config.h"

#include "cluster_range.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gmm.h"

/* The progress of one fit as a share of the range's. */
struct range_progress {
    const struct hs_task *outer;
    size_t i, n, k;
};

static void
range_progress(void *user, double fraction, const char *what)
{
    struct range_progress *rp = user;
    char text[128];

    snprintf(text, sizeof text, "K %zu (%zu of %zu)%s%s", rp->k, rp->i + 1, rp->n,
             what && *what ? ": " : "", what ? what : "");
    hs_task_progress(rp->outer,
                     ((double)rp->i + (fraction >= 0 && fraction <= 1 ? fraction : 0)) /
                         (double)rp->n,
                     text);
}

void
hs_cluster_fits_release(struct hs_cluster_fits *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->state[i])
            f->method->free(f->state[i]);
    memset(f, 0, sizeof *f);
}

void
hs_cluster_fits_free(void *p)
{
    if (p) {
        hs_cluster_fits_release(p);
        free(p);
    }
}

int
hs_cluster_fit_range(const struct hs_method *m, struct hs_params *p,
                     const struct hs_method_data *d, size_t lo, size_t hi, bool keep_all,
                     struct hs_cluster_fits *out, const struct hs_task *task,
                     struct hs_err *err)
{
    struct range_progress rp = {task, 0, hi - lo + 1, lo};
    struct hs_task inner = {range_progress, &rp, task ? task->cancel : NULL};
    int rc = HS_OK;

    memset(out, 0, sizeof *out);
    out->method = m;
    if (lo < 1 || hi < lo || hi - lo >= HS_CLUSTER_MAX_RANGE)
        return hs_err_set(err, HS_EUSAGE, "K %zu to %zu: from 1, at most %d values of K", lo,
                          hi, HS_CLUSTER_MAX_RANGE);
    for (size_t k = lo; k <= hi; k++) {
        struct hs_method_report r = {0};
        struct hs_cluster_kfit *f = &out->f[out->n];
        char kt[24];
        void *state = NULL;
        bool cancelled = false;
        rp.i = out->n;
        rp.k = k;
        snprintf(kt, sizeof kt, "%zu", k);
        if ((rc = hs_params_set(p, "k", kt, err)) ||
            (m->check && (rc = m->check(p, err))))
            break;
        rc = hs_method_fit(m, p, d, NULL, NULL, &state, &cancelled, &inner, err);
        if (rc == HS_OK && cancelled) {
            /* A half-made clustering is none: nothing is stored. */
            m->free(state);
            rc = hs_err_set(err, HS_ECANCELLED, "cancelled: nothing stored");
        }
        if (rc) {
            if (rc != HS_ECANCELLED)
                hs_err_prefix(err, "%s, K %zu", m->name, k);
            break;
        }
        m->report(state, &r);
        if (out->n == 0)
            out->nfit = r.ntrain;
        f->k = k;
        f->loglik = r.loglik;
        f->nfree = r.nfree;
        f->inertia = r.inertia;
        f->bic = f->aic = NAN;
        if (isfinite(r.loglik))
            hs_gmm_criteria(r.loglik, r.nfree, r.ntrain, &f->bic, &f->aic);
        out->state[out->n] = state;
        /* The best BIC; without a likelihood, the last K. */
        if (out->n == 0 || !isfinite(f->bic) || f->bic < out->f[out->chosen].bic) {
            if (out->n > 0 && !keep_all) {
                m->free(out->state[out->chosen]);
                out->state[out->chosen] = NULL;
            }
            out->chosen = out->n;
        } else if (!keep_all) {
            m->free(state);
            out->state[out->n] = NULL;
        }
        out->n++;
    }
    if (rc)
        hs_cluster_fits_release(out);
    return rc;
}

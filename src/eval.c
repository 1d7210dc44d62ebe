/* eval.c: how well scores separate the classes, and k folds (eval.h). */
#include "config.h"

#include "eval.h"

#include <math.h>
#include <string.h>

#include "delong.h"
#include "ks.h"
#include "mem.h"
#include "model.h"

const double hs_eval_bkg_points[3] = {0.01, 0.1, 0.3};

int
hs_eval_roc(const double *score, const double *label, const double *weight,
            const unsigned char *mask, size_t n, struct hs_roc *r, const struct hs_task *task,
            struct hs_err *err)
{
    int rc = hs_roc_from_scores(score, label, weight, mask, n, r, task, err);

    if (rc)
        memset(r, 0, sizeof *r);
    if (rc == HS_EDATA) {
        hs_err_clear(err);
        r->auc = NAN;
        return HS_OK;
    }
    return rc;
}

/* The scores and weights of one class on mask's rows. */
static size_t
class_sample(const double *score, const double *label, const double *weight,
             const unsigned char *mask, size_t n, double cls, double *v, double *w)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        if (mask[i] && label[i] == cls) {
            v[k] = score[i];
            w[k++] = weight ? weight[i] : 1.0;
        }
    return k;
}

/* The figures of one part's ROC (left NaN when it is empty). */
static void
roc_figures(const struct hs_roc *r, double *auc, double *bkg95, double sig_at[3])
{
    if (!r->n)
        return;
    *auc = r->auc;
    *bkg95 = hs_roc_bkg_at(r, 0.95);
    for (int i = 0; i < 3; i++)
        sig_at[i] = hs_roc_sig_at(r, hs_eval_bkg_points[i]);
}

int
hs_eval_scores(const double *score, const double *label, const double *weight,
               const unsigned char *train_mask, const unsigned char *test_mask, size_t n,
               struct hs_eval *ev, const struct hs_task *task, struct hs_err *err)
{
    struct hs_roc rt = {0}, rr = {0};
    double *a = NULL, *wa = NULL, *b = NULL, *wb = NULL;
    int rc;

    for (int i = 0; i < 3; i++)
        ev->test_sig_at[i] = ev->train_sig_at[i] = NAN;
    ev->test_auc = ev->train_auc = ev->test_bkg95 = ev->train_bkg95 = NAN;
    ev->test_auc_se = NAN;
    ev->ks_d[0] = ev->ks_d[1] = ev->ks_p[0] = ev->ks_p[1] = NAN;
    if ((rc = hs_eval_roc(score, label, weight, test_mask, n, &rt, task, err)) ||
        (rc = hs_eval_roc(score, label, weight, train_mask, n, &rr, task, err)))
        goto done;
    roc_figures(&rt, &ev->test_auc, &ev->test_bkg95, ev->test_sig_at);
    roc_figures(&rr, &ev->train_auc, &ev->train_bkg95, ev->train_sig_at);
    if (rt.n) {
        struct hs_delong d;
        rc = hs_delong_auc(score, label, weight, test_mask, n, &d, task, err);
        if (rc == HS_OK) {
            ev->test_auc_se = d.se;
        } else if (rc == HS_EDATA) {
            /* Weights DeLong's formula does not take: no error, not a
             * failure of the evaluation. */
            hs_err_clear(err);
            rc = HS_OK;
        } else {
            goto done;
        }
    }
    a = hs_malloc((n + 1) * sizeof *a);
    wa = hs_malloc((n + 1) * sizeof *wa);
    b = hs_malloc((n + 1) * sizeof *b);
    wb = hs_malloc((n + 1) * sizeof *wb);
    if (!a || !wa || !b || !wb) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (int c = 0; c < 2; c++) {
        double cls = c == 0 ? 1 : 0;
        size_t na = class_sample(score, label, weight, train_mask, n, cls, a, wa);
        size_t nb = class_sample(score, label, weight, test_mask, n, cls, b, wb);
        rc = hs_ks_test(a, weight ? wa : NULL, na, b, weight ? wb : NULL, nb, &ev->ks_d[c],
                        &ev->ks_p[c], err);
        if (rc == HS_EDATA) {
            hs_err_clear(err);
            ev->ks_d[c] = ev->ks_p[c] = NAN;
            rc = HS_OK;
        }
        if (rc)
            goto done;
    }
done:
    hs_roc_release(&rt);
    hs_roc_release(&rr);
    hs_free(a);
    hs_free(wa);
    hs_free(b);
    hs_free(wb);
    return rc;
}

/* ---- k folds ---------------------------------------------------------- */

/* splitmix64: the folds' own seeded shuffle, the same on every machine. */
static uint64_t
mix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* fold[i] in [0, k) for the rows the fits may see (part 0 or 1),
 * stratified by class: each class dealt round the folds after a seeded
 * shuffle; 255 for the others. */
static int
make_folds(const struct hs_method_data *d, size_t k, uint64_t seed, unsigned char *fold,
           struct hs_err *err)
{
    size_t *idx = hs_malloc((d->n + 1) * sizeof *idx);
    uint64_t s = seed ^ 0x5eed0f01d5ULL;

    if (!idx)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    memset(fold, 255, d->n);
    for (int c = 0; c < 2; c++) {
        size_t m = 0;
        for (size_t i = 0; i < d->n; i++)
            if ((!d->part || d->part[i] < 2) && d->label[i] == (c ? 1.0 : 0.0))
                idx[m++] = i;
        for (size_t i = m; i > 1; i--) {
            size_t j = (size_t)(mix64(&s) % i), t = idx[i - 1];
            idx[i - 1] = idx[j];
            idx[j] = t;
        }
        for (size_t i = 0; i < m; i++)
            fold[idx[i]] = (unsigned char)(i % k);
    }
    hs_free(idx);
    return HS_OK;
}

/* One fold: fit on part, score every row, the ROC on test_mask. */
static int
fit_fold(const struct hs_method *m, const struct hs_params *p, const struct hs_method_data *d,
         const unsigned char *test_mask, double *score, struct hs_eval_fold *out,
         const struct hs_task *task, struct hs_err *err)
{
    struct hs_method_report rep;
    struct hs_model *model = NULL;
    struct hs_roc r = {0};
    void *state = NULL;
    bool cancelled = false;
    int rc;

    if ((rc = hs_method_fit(m, p, d, NULL, NULL, &state, &cancelled, task, err)))
        return rc;
    m->report(state, &rep);
    rc = m->model(state, &model, err);
    if (rc == HS_OK)
        rc = hs_model_score(model, d->x, d->n, score, task, err);
    if (rc == HS_OK)
        rc = hs_eval_roc(score, d->label, d->weight, test_mask, d->n, &r, task, err);
    if (rc == HS_OK) {
        out->auc = r.n ? r.auc : NAN;
        out->bkg95 = r.n ? hs_roc_bkg_at(&r, 0.95) : NAN;
        out->best_epoch = rep.best_epoch;
        out->nepochs = rep.nepochs;
        out->cancelled = cancelled;
    }
    hs_roc_release(&r);
    hs_model_free(model);
    m->free(state);
    return rc;
}

int
hs_eval_folds(const struct hs_method *m, const struct hs_params *p,
              const struct hs_method_data *d, const unsigned char *test_mask, size_t k,
              uint64_t seed, struct hs_eval_fold *folds, size_t *done,
              const struct hs_task *task, struct hs_err *err)
{
    unsigned char *fold = hs_malloc(d->n + 1), *part = hs_malloc(d->n + 1);
    double *score = hs_malloc((d->n + 1) * sizeof *score);
    long seed_idx = hs_params_find(m->params, "seed");
    struct hs_params pf = {0};
    int rc = HS_OK;

    *done = 0;
    if (!fold || !part || !score) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto out;
    }
    if (k < 2 || k > 100) {
        rc = hs_err_set(err, HS_EUSAGE, "--folds wants 2 to 100 folds, not %zu", k);
        goto out;
    }
    if (!d->label) {
        rc = hs_err_set(err, HS_EUSAGE, "folds need labelled events");
        goto out;
    }
    if ((rc = make_folds(d, k, seed, fold, err)) || (rc = hs_params_copy(&pf, p, err)))
        goto out;
    for (size_t f = 0; f < k && rc == HS_OK; f++) {
        struct hs_method_data df = *d;
        for (size_t i = 0; i < d->n; i++)
            part[i] = fold[i] == 255 ? 255 : fold[i] == f ? 1 : 0;
        df.part = part;
        if (seed_idx >= 0 && m->params[seed_idx].type == HS_PARAM_SEED)
            pf.v[seed_idx].u = p->v[seed_idx].u + f;
        rc = fit_fold(m, &pf, &df, test_mask, score, &folds[f], task, err);
        if (rc == HS_OK) {
            (*done)++;
            if (folds[f].cancelled)
                rc = hs_err_set(err, HS_ECANCELLED, "cancelled after %zu of %zu folds", *done, k);
        }
    }
out:
    hs_params_release(&pf);
    hs_free(fold);
    hs_free(part);
    hs_free(score);
    return rc;
}

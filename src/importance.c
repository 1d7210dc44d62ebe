/* importance.c: permutation and gain importance (src/importance.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "importance.h"
#include "mem.h"
#include "par.h"
#include "rng.h"
#include "roc.h"

/* One thread's scratch, kept across the parts it runs: a shuffled column
 * and the scores of 250k events are 2 MB each, and fresh pages for every
 * part cost as much system time as a tenth of the scoring. */
struct perm_slot {
    double *col, *score;
    const double **cols;
};

struct perm_job {
    const struct hs_model *m;
    struct perm_slot *slots;
    const double *const *x; /* m->nin compact columns of n events */
    size_t n, repeats;
    const double *label, *weight;
    uint64_t seed;
    double base_auc;
    double *drop;
    struct hs_task inner; /* the cancel flag only: parts run off the caller's thread */
    struct hs_par_progress prog;
    atomic_int stop;
    struct hs_err errs; /* the first failing part's message (guarded by stop) */
    atomic_int have_err;
};

static int
auc_of(const double *score, const double *label, const double *weight, size_t n,
       const struct hs_task *task, double *auc, struct hs_err *err)
{
    struct hs_roc r = {0};
    int rc = hs_roc_from_scores(score, label, weight, NULL, n, &r, task, err);
    if (rc == HS_OK)
        *auc = r.auc;
    hs_roc_release(&r);
    return rc;
}

static int
perm_part(void *ctx, size_t part)
{
    struct perm_job *j = ctx;
    if (atomic_load(&j->stop) || hs_task_cancelled(&j->inner)) {
        atomic_store(&j->stop, 1);
        return HS_ECANCELLED;
    }
    size_t nin = j->m->nin, in = part / j->repeats, r = part % j->repeats;
    struct perm_slot *sl = &j->slots[hs_par_slot()];
    struct hs_err err = {0};
    int rc = HS_OK;
    if (!sl->col) {
        sl->col = hs_malloc((j->n ? j->n : 1) * sizeof *sl->col);
        sl->score = hs_malloc((j->n ? j->n : 1) * sizeof *sl->score);
        sl->cols = hs_malloc((nin ? nin : 1) * sizeof *sl->cols);
    }
    double *col = sl->col, *score = sl->score;
    const double **cols = sl->cols;
    if (!col || !score || !cols) {
        rc = hs_err_set(&err, HS_ENOMEM, "out of memory shuffling %zu events", j->n);
        goto done;
    }
    memcpy(col, j->x[in], j->n * sizeof *col);
    struct hs_rng g;
    hs_rng_seed(&g, hs_mix64(j->seed + r) ^ hs_mix64((uint64_t)in + HS_RNG_GOLDEN));
    for (size_t k = j->n; k > 1; k--) {
        size_t o = (size_t)hs_rng_below(&g, k);
        double t = col[k - 1];
        col[k - 1] = col[o];
        col[o] = t;
    }
    for (size_t i = 0; i < nin; i++)
        cols[i] = i == in ? col : j->x[i];
    double auc = NAN;
    if ((rc = hs_model_score(j->m, cols, j->n, score, &j->inner, &err)) == HS_OK &&
        (rc = auc_of(score, j->label, j->weight, j->n, &j->inner, &auc, &err)) == HS_OK)
        j->drop[part] = j->base_auc - auc;
    hs_par_progress_add(&j->prog, 1);
done:
    if (rc) {
        atomic_store(&j->stop, 1);
        int expect = 0;
        if (atomic_compare_exchange_strong(&j->have_err, &expect, 1))
            j->errs = err;
    }
    return rc;
}

int
hs_perm_importance(const struct hs_model *m, const double *const *x, const size_t *rows,
                   size_t n, const double *label, const double *weight, size_t repeats,
                   uint64_t seed, int threads, double *base_auc, double *drop,
                   const struct hs_task *task, struct hs_err *err)
{
    if (repeats == 0)
        return hs_err_set(err, HS_EUSAGE, "permutation importance needs at least one repeat");
    size_t nin = m->nin;
    double **cx = hs_calloc(nin ? nin : 1, sizeof *cx);
    double *lab = hs_malloc((n ? n : 1) * sizeof *lab);
    double *wt = weight ? hs_malloc((n ? n : 1) * sizeof *wt) : NULL;
    double *score = hs_malloc((n ? n : 1) * sizeof *score);
    struct perm_job j = {.m = m, .n = n, .repeats = repeats, .seed = seed, .drop = drop,
                         .inner = {.cancel = task ? task->cancel : NULL}};
    int rc = HS_OK;

    if (!cx || !lab || !score || (weight && !wt)) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory gathering %zu events", n);
        goto done;
    }
    /* The events gathered once: every shuffle and scoring reads them in order. */
    for (size_t i = 0; i < nin; i++) {
        if (!(cx[i] = hs_malloc((n ? n : 1) * sizeof *cx[i]))) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory gathering %zu events", n);
            goto done;
        }
        for (size_t k = 0; k < n; k++)
            cx[i][k] = x[i][rows ? rows[k] : k];
    }
    for (size_t k = 0; k < n; k++) {
        lab[k] = label[rows ? rows[k] : k];
        if (wt)
            wt[k] = weight[rows ? rows[k] : k];
    }
    hs_task_progress(task, 0, "permutation importance: scoring");
    if ((rc = hs_model_score(m, (const double *const *)cx, n, score, task, err)) ||
        (rc = auc_of(score, lab, wt, n, task, base_auc, err)))
        goto done;
    j.x = (const double *const *)cx;
    j.label = lab;
    j.weight = wt;
    j.base_auc = *base_auc;
    atomic_init(&j.stop, 0);
    atomic_init(&j.have_err, 0);
    hs_par_progress_init(&j.prog, task, nin * repeats, "permutation importance", true);
    int nt = threads > 0 ? threads : hs_par_threads();
    if (!(j.slots = hs_calloc((size_t)nt, sizeof *j.slots))) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    rc = hs_par_run(nin * repeats, nt, perm_part, &j);
    for (int k = 0; k < nt; k++) {
        hs_free(j.slots[k].col);
        hs_free(j.slots[k].score);
        hs_free(j.slots[k].cols);
    }
    hs_free(j.slots);
    if (rc == HS_ECANCELLED)
        rc = hs_err_set(err, rc, "cancelled");
    else if (rc && err)
        *err = j.errs;
done:
    for (size_t i = 0; cx && i < nin; i++)
        hs_free(cx[i]);
    hs_free(cx);
    hs_free(lab);
    hs_free(wt);
    hs_free(score);
    return rc;
}

void
hs_perm_summary(const double *drop, size_t nin, size_t repeats, double *mean, double *sd)
{
    for (size_t j = 0; j < nin; j++) {
        const double *d = drop + j * repeats;
        double s = 0, ss = 0;
        for (size_t r = 0; r < repeats; r++)
            s += d[r];
        double mu = repeats ? s / (double)repeats : NAN;
        for (size_t r = 0; r < repeats; r++)
            ss += (d[r] - mu) * (d[r] - mu);
        mean[j] = mu;
        sd[j] = repeats ? sqrt(ss / (double)repeats) : NAN;
    }
}

void
hs_forest_gain(const struct hs_forest *f, double *gain, size_t *splits)
{
    for (size_t i = 0; i < f->nin; i++) {
        gain[i] = 0;
        if (splits)
            splits[i] = 0;
    }
    size_t nn = f->start[f->ntrees];
    for (size_t k = 0; k < nn; k++) {
        const struct hs_forest_node *d = &f->nodes[k];
        if (d->feature < 0)
            continue;
        gain[d->feature] += d->gain;
        if (splits)
            splits[d->feature]++;
    }
}

void
hs_shap_mean_abs(const double *phi, size_t n, size_t nin, double *out)
{
    for (size_t i = 0; i < nin; i++)
        out[i] = 0;
    for (size_t e = 0; e < n; e++)
        for (size_t i = 0; i < nin; i++)
            out[i] += fabs(phi[e * nin + i]);
    for (size_t i = 0; i < nin; i++)
        out[i] = n ? out[i] / (double)n : NAN;
}

void
hs_importance_rank(const double *v, size_t nin, size_t *order)
{
    /* insertion sort: a model has tens of inputs; NaN ranks last */
    for (size_t i = 0; i < nin; i++) {
        size_t k = i;
        while (k > 0) {
            double a = v[order[k - 1]], b = v[i];
            bool after = isnan(a) ? !isnan(b) : (!isnan(b) && b > a);
            if (!after)
                break;
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
}

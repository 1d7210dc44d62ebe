/* bdt.c: the "bdt" method: gradient-boosted trees on the log-loss, one
 * boosting round per step (bdt.h; the binning in src/bdt_bin.c, the
 * trees in src/bdt_grow.c).
 *
 * Events: a row trains when its part is 0 (every row without parts) and
 * validates when its part is 1; its label must be 0 or 1 and its weight
 * a number (a NaN weight leaves it out).  Negative training weights
 * follow the MLP's policy (--negative-weights, src/mlp_train.c): USE keeps
 * them (their gradient and hessian count negatively), IGNORE leaves the
 * event out, CLIP makes its weight 0.  The validation part uses the
 * weights as given.
 *
 * The raw score starts at the training part's log-odds log(S_sig/S_bkg)
 * of the weight sums (scikit-learn's baseline) and each round adds a
 * tree fitted to g = w (p - y), h = w p (1 - p) at the current scores,
 * its leaf values -G/(H + l2) lr.  With --subsample < 1 each tree sees a
 * Bernoulli sample of the training rows, with --colsample < 1 a sample
 * of round(colsample nin) inputs (at least 1), both drawn from --seed.
 *
 * Losses are weighted means sum w l / sum |w| (the MLP's normalisation).
 * Early stopping watches the validation loss: the best round is the one
 * of the lowest, and --patience rounds without a lower one end the fit;
 * the model keeps the trees up to the best round.  Without a validation
 * part, or with --patience 0, every round runs and every tree is kept.
 * The validation AUC is computed every round when the part is small, else
 * every 10th round and at the last (NaN between).
 *
 * Training and validation scores follow each tree through the bins, which
 * send every training event the way the thresholds do (bdt_int.h).
 */
#include "config.h"

#include "bdt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bdt_int.h"
#include "featstats.h"
#include "forest.h"
#include "mem.h"
#include "mlp.h"
#include "par.h"
#include "rng.h"

#define BDT_MAX_NIN 100000
/* Validation events up to which the AUC is taken every round. */
#define BDT_AUC_EVERY_ROUND 100000

enum bdt_param {
    P_TREES,
    P_DEPTH,
    P_LEAVES,
    P_LR,
    P_SUBSAMPLE,
    P_COLSAMPLE,
    P_BINS,
    P_MIN_LEAF,
    P_MIN_HESS,
    P_L2,
    P_PATIENCE,
    P_SEED,
    P_NEGW,
};

/* The MLP's policies, in the order of enum hs_negw. */
static const char *const negw_choices[] = {
    [HS_NEGW_USE] = "use", [HS_NEGW_IGNORE] = "ignore", [HS_NEGW_CLIP] = "clip", NULL};

static const struct hs_param_spec bdt_params[] = {
    [P_TREES] = {.name = "trees", .type = HS_PARAM_INT, .def = "300", .min = 1, .max = 100000,
                 .metavar = "N", .help = "boosting rounds (trees) at most"},
    [P_DEPTH] = {.name = "depth", .type = HS_PARAM_INT, .def = "6", .min = 1, .max = 16,
                 .metavar = "D",
                 .help = "depth of the trees (with --leaves: a limit only when given)"},
    [P_LEAVES] = {.name = "leaves", .type = HS_PARAM_INT, .def = "0", .min = 0, .max = 65536,
                  .metavar = "N",
                  .help = "grow leaf-wise to N leaves per tree (0: depth-wise to --depth)"},
    [P_LR] = {.name = "lr", .type = HS_PARAM_REAL, .def = "0.1", .min = 1e-6, .max = 10,
              .metavar = "X", .help = "learning rate (shrinkage of each tree)"},
    [P_SUBSAMPLE] = {.name = "subsample", .type = HS_PARAM_REAL, .def = "0.8", .min = 0.001,
                     .max = 1, .metavar = "F",
                     .help = "fraction of the training events each tree sees"},
    [P_COLSAMPLE] = {.name = "colsample", .type = HS_PARAM_REAL, .def = "1", .min = 0.001,
                     .max = 1, .metavar = "F",
                     .help = "fraction of the inputs each tree may split on"},
    [P_BINS] = {.name = "bins", .type = HS_PARAM_INT, .def = "255", .min = 2,
                .max = BDT_MAX_BINS, .metavar = "N",
                .help = "bins per input, cut at weighted quantiles of the training part "
                        "(missing values get one more)"},
    [P_MIN_LEAF] = {.name = "min-leaf", .type = HS_PARAM_INT, .def = "20", .min = 1,
                    .max = 1e9, .metavar = "N", .help = "training events per leaf at least"},
    [P_MIN_HESS] = {.name = "min-hessian", .type = HS_PARAM_REAL, .def = "0.001", .min = 0,
                    .max = 1e9, .metavar = "X",
                    .help = "summed hessian w p(1-p) per leaf at least"},
    [P_L2] = {.name = "l2", .type = HS_PARAM_REAL, .def = "1", .min = 0, .max = 1e9,
              .metavar = "X", .help = "L2 penalty on leaf values (XGBoost's lambda)"},
    [P_PATIENCE] = {.name = "patience", .type = HS_PARAM_INT, .def = "10", .min = 0,
                    .max = 100000, .metavar = "N",
                    .help = "stop after N rounds without a lower validation loss (0: never)"},
    [P_SEED] = {.name = "seed", .type = HS_PARAM_SEED, .def = "0", .metavar = "K",
                .help = "seed of the row and input samples"},
    [P_NEGW] = {.name = "negative-weights", .type = HS_PARAM_CHOICE, .def = "use",
                .choices = negw_choices, .metavar = "POLICY",
                .help = "negative event weights in training (as the MLP)"},
    {0},
};

struct bdt_state {
    struct hs_method_data d;
    size_t trees, min_leaf, patience;
    struct bdt_grow_opts go;
    double subsample, colsample;
    unsigned B;
    enum hs_negw negw;
    int threads;
    struct hs_rng rng;

    size_t ntr, nva, nneg;
    size_t *tr_rows, *va_rows;  /* indexes into the columns */
    double *ytr, *wtr, *yva, *wva;
    uint8_t *xb, *vb;           /* bins, row-major */
    uint8_t *xc;                /* training bins, column by column */
    struct bdt_bins bins;
    double *raw_tr, *raw_va;
    float *gh;                  /* 2 per training row */
    size_t *rows, *feats, *perm;
    unsigned char *in_sample;
    double loss;                /* training loss at the current scores */
    struct bdt_grower *grower;
    struct bdt_tree tree;

    struct hs_forest *forest;
    size_t round;               /* rounds run */
    size_t best_round;
    double best_loss;
    size_t since_best;
    bool done, early_stopped, prepared;
    struct hs_epoch_info *curve;
};

static void
bdt_describe(const struct hs_params *p, char *buf, size_t size)
{
    char shape[64];
    if (hs_params_int(p, P_LEAVES))
        snprintf(shape, sizeof shape, "%zu leaves", hs_params_int(p, P_LEAVES));
    else
        snprintf(shape, sizeof shape, "depth %zu", hs_params_int(p, P_DEPTH));
    snprintf(buf, size,
             "boosted trees: %zu trees, %s, lr %g, l2 %g, subsample %g, colsample %g, %zu bins",
             hs_params_int(p, P_TREES), shape, hs_params_real(p, P_LR),
             hs_params_real(p, P_L2), hs_params_real(p, P_SUBSAMPLE),
             hs_params_real(p, P_COLSAMPLE), hs_params_int(p, P_BINS));
}

static void
bdt_free(void *state)
{
    struct bdt_state *s = state;
    if (!s)
        return;
    hs_free(s->tr_rows);
    hs_free(s->va_rows);
    hs_free(s->ytr);
    hs_free(s->wtr);
    hs_free(s->yva);
    hs_free(s->wva);
    hs_free(s->xb);
    hs_free(s->xc);
    hs_free(s->vb);
    bdt_bins_release(&s->bins);
    hs_free(s->raw_tr);
    hs_free(s->raw_va);
    hs_free(s->gh);
    hs_free(s->rows);
    hs_free(s->feats);
    hs_free(s->perm);
    hs_free(s->in_sample);
    bdt_grower_free(s->grower);
    bdt_tree_release(&s->tree);
    hs_forest_free(s->forest);
    hs_free(s->curve);
    hs_free(s);
}

static int
bdt_alloc(const struct hs_params *p, const struct hs_method_data *d, void **state,
          struct hs_err *err)
{
    *state = NULL;
    if (d->nin == 0 || d->nin > BDT_MAX_NIN)
        return hs_err_set(err, HS_EUSAGE, "bdt takes 1 to %d inputs, not %zu", BDT_MAX_NIN,
                          d->nin);
    if (!d->label)
        return hs_err_set(err, HS_EUSAGE, "bdt needs labels (signal 1, background 0)");
    struct bdt_state *s = hs_calloc(1, sizeof *s);
    if (!s)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    s->d = *d;
    s->trees = hs_params_int(p, P_TREES);
    s->go.leaves = hs_params_int(p, P_LEAVES);
    s->go.depth = (unsigned)hs_params_int(p, P_DEPTH);
    if (s->go.leaves && !p->v[P_DEPTH].given)
        s->go.depth = 0;
    s->go.min_leaf = hs_params_int(p, P_MIN_LEAF);
    s->go.min_hess = hs_params_real(p, P_MIN_HESS);
    s->go.l2 = hs_params_real(p, P_L2);
    s->go.lr = hs_params_real(p, P_LR);
    s->subsample = hs_params_real(p, P_SUBSAMPLE);
    s->colsample = hs_params_real(p, P_COLSAMPLE);
    s->B = (unsigned)hs_params_int(p, P_BINS);
    s->patience = hs_params_int(p, P_PATIENCE);
    s->negw = (enum hs_negw)hs_params_choice(p, P_NEGW);
    hs_rng_seed(&s->rng, hs_params_seed(p, P_SEED));
    s->threads = d->threads > 0 ? d->threads : hs_par_threads();
    s->curve = hs_calloc(s->trees, sizeof *s->curve);
    if (!s->curve) {
        bdt_free(s);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    *state = s;
    return HS_OK;
}

/* ---- the events ---- */

static int
select_rows(struct bdt_state *s, struct hs_err *err)
{
    const struct hs_method_data *d = &s->d;
    size_t ntr = 0, nva = 0;
    long double sw[2] = {0, 0};
    size_t cnt[2] = {0, 0};

    for (int pass = 0; pass < 2; pass++) {
        ntr = nva = 0;
        for (size_t i = 0; i < d->n; i++) {
            double y = d->label[i], w = d->weight ? d->weight[i] : 1.0;
            unsigned pt = d->part ? d->part[i] : 0;
            if ((y != 0 && y != 1) || isnan(w) || pt > 1)
                continue;
            if (pt == 1) {
                if (pass) {
                    s->va_rows[nva] = i;
                    s->yva[nva] = y;
                    s->wva[nva] = w;
                }
                nva++;
                continue;
            }
            if (w < 0) {
                s->nneg += pass == 0;
                if (s->negw == HS_NEGW_IGNORE)
                    continue;
                if (s->negw == HS_NEGW_CLIP)
                    w = 0;
            }
            if (pass) {
                s->tr_rows[ntr] = i;
                s->ytr[ntr] = y;
                s->wtr[ntr] = w;
                sw[y == 1] += w;
                cnt[y == 1]++;
            }
            ntr++;
        }
        if (pass == 0) {
            s->tr_rows = hs_malloc((ntr ? ntr : 1) * sizeof *s->tr_rows);
            s->ytr = hs_malloc((ntr ? ntr : 1) * sizeof *s->ytr);
            s->wtr = hs_malloc((ntr ? ntr : 1) * sizeof *s->wtr);
            s->va_rows = hs_malloc((nva ? nva : 1) * sizeof *s->va_rows);
            s->yva = hs_malloc((nva ? nva : 1) * sizeof *s->yva);
            s->wva = hs_malloc((nva ? nva : 1) * sizeof *s->wva);
            if (!s->tr_rows || !s->ytr || !s->wtr || !s->va_rows || !s->yva || !s->wva)
                return hs_err_set(err, HS_ENOMEM, "out of memory");
        }
    }
    s->ntr = ntr;
    s->nva = nva;
    for (int c = 1; c >= 0; c--) {
        const char *name = c ? "signal" : "background";
        if (cnt[c] == 0)
            return hs_err_set(err, HS_EDATA,
                              "bdt needs %s events in the training part, and there are none",
                              name);
        if (!(sw[c] > 0))
            return hs_err_set(err, HS_EDATA,
                              "the %s events of the training part weigh %Lg in all: bdt needs "
                              "a positive weight sum for each class",
                              name, sw[c]);
    }
    s->forest = hs_forest_new(d->nin, (double)logl(sw[1] / sw[0]));
    if (!s->forest)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    if (ntr > (size_t)INT64_MAX / 2)
        return hs_err_set(err, HS_ERANGE, "too many training events");
    return HS_OK;
}

/* ---- row-parallel passes in parts of BDT_CHUNK, sums added in order ---- */

/* sigmoid(z) into *p and the log-loss log(1 + e^z) - y z, from one exp
 * and without overflow. */
static double
logloss_p(double z, double y, double *p)
{
    double e = exp(-fabs(z));
    *p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    return log1p(e) + (z > 0 ? z : 0) - y * z;
}

struct pass_job {
    struct bdt_state *s;
    const struct hs_task *task;
    const struct bdt_tree *tree;
    double *part_loss, *part_absw;
    size_t n;
    int what; /* PASS_* */
};

enum { PASS_GRAD, PASS_VAL, PASS_UNSAMPLED };

static int
pass_part(void *ctx, size_t part)
{
    struct pass_job *j = ctx;
    struct bdt_state *s = j->s;
    size_t lo = part * BDT_CHUNK, hi = lo + BDT_CHUNK < j->n ? lo + BDT_CHUNK : j->n;
    size_t nf = s->d.nin;
    double loss = 0, absw = 0;

    if (hs_task_cancelled(j->task))
        return HS_ECANCELLED;
    switch (j->what) {
    case PASS_GRAD:
        for (size_t k = lo; k < hi; k++) {
            double y = s->ytr[k], w = s->wtr[k], pr;
            double l = logloss_p(s->raw_tr[k], y, &pr);
            s->gh[2 * k] = (float)(w * (pr - y));
            s->gh[2 * k + 1] = (float)(w * pr * (1 - pr));
            loss += w * l;
            absw += fabs(w);
        }
        break;
    case PASS_VAL:
        for (size_t k = lo; k < hi; k++) {
            if (j->tree)
                s->raw_va[k] += j->tree->nodes[bdt_tree_leaf(j->tree, s->vb + k * nf, s->B)].value;
            double pr;
            loss += s->wva[k] * logloss_p(s->raw_va[k], s->yva[k], &pr);
            absw += fabs(s->wva[k]);
        }
        break;
    case PASS_UNSAMPLED:
        for (size_t k = lo; k < hi; k++)
            if (!s->in_sample[k])
                s->raw_tr[k] += j->tree->nodes[bdt_tree_leaf(j->tree, s->xb + k * nf, s->B)].value;
        break;
    }
    j->part_loss[part] = loss;
    j->part_absw[part] = absw;
    return HS_OK;
}

/* One pass; *loss the weighted mean loss over it (what != PASS_UNSAMPLED). */
static int
pass_run(struct bdt_state *s, int what, size_t n, const struct bdt_tree *tree, double *loss,
         const struct hs_task *task, struct hs_err *err)
{
    size_t np = (n + BDT_CHUNK - 1) / BDT_CHUNK;
    struct pass_job j = {.s = s, .task = task, .tree = tree, .n = n, .what = what};
    j.part_loss = hs_malloc((np ? np : 1) * sizeof *j.part_loss);
    j.part_absw = hs_malloc((np ? np : 1) * sizeof *j.part_absw);
    int rc = j.part_loss && j.part_absw ? HS_OK : HS_ENOMEM;
    if (!rc && np)
        rc = hs_par_run(np, s->threads, pass_part, &j);
    if (!rc && loss) {
        double l = 0, w = 0;
        for (size_t k = 0; k < np; k++) {
            l += j.part_loss[k];
            w += j.part_absw[k];
        }
        *loss = w > 0 ? l / w : NAN;
    }
    hs_free(j.part_loss);
    hs_free(j.part_absw);
    if (rc == HS_ECANCELLED)
        return hs_err_set(err, rc, "boosted trees cancelled");
    if (rc)
        return hs_err_set(err, rc, "out of memory");
    return HS_OK;
}

/* Everything before the first round: events, bins, scores, gradients. */
static int
prepare(struct bdt_state *s, const struct hs_task *task, struct hs_err *err)
{
    size_t nf = s->d.nin;
    int rc = select_rows(s, err);
    if (rc)
        return rc;
    if (s->ntr > SIZE_MAX / nf || s->nva > SIZE_MAX / nf)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    s->xb = hs_malloc_large(s->ntr ? s->ntr * nf : 1);
    s->xc = hs_malloc_large(s->ntr ? s->ntr * nf : 1);
    s->vb = hs_malloc_large(s->nva ? s->nva * nf : 1);
    s->raw_tr = hs_malloc((s->ntr ? s->ntr : 1) * sizeof *s->raw_tr);
    s->raw_va = hs_malloc((s->nva ? s->nva : 1) * sizeof *s->raw_va);
    s->gh = hs_malloc((s->ntr ? s->ntr : 1) * 2 * sizeof *s->gh);
    s->rows = hs_malloc((s->ntr ? s->ntr : 1) * sizeof *s->rows);
    s->in_sample = hs_malloc(s->ntr ? s->ntr : 1);
    s->feats = hs_malloc(nf * sizeof *s->feats);
    s->perm = hs_malloc(nf * sizeof *s->perm);
    if (!s->xb || !s->xc || !s->vb || !s->raw_tr || !s->raw_va || !s->gh || !s->rows ||
        !s->in_sample || !s->feats || !s->perm)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    rc = bdt_bins_fit(&s->bins, s->d.x, nf, s->tr_rows, s->wtr, s->ntr, s->B, s->xc,
                      s->xb, s->threads, task, err);
    if (!rc && s->nva)
        rc = bdt_bins_apply(&s->bins, s->d.x, s->va_rows, s->nva, s->vb, s->threads, task,
                            err);
    if (rc)
        return rc;
    s->grower = bdt_grower_new(s->xb, s->xc, s->ntr, nf, s->B, s->bins.nb, s->threads);
    if (!s->grower)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t k = 0; k < s->ntr; k++)
        s->raw_tr[k] = s->forest->base;
    for (size_t k = 0; k < s->nva; k++)
        s->raw_va[k] = s->forest->base;
    rc = pass_run(s, PASS_GRAD, s->ntr, NULL, &s->loss, task, err);
    if (!rc && s->nva)
        rc = pass_run(s, PASS_VAL, s->nva, NULL, &s->best_loss, task, err);
    s->prepared = true;
    return rc;
}

/* This round's rows and inputs. */
static size_t
draw_samples(struct bdt_state *s, size_t *nfeat)
{
    size_t nr = 0, nf = s->d.nin;
    if (s->subsample < 1) {
        /* 53 random bits against the fraction: exact for every double. */
        double f = s->subsample;
        for (size_t k = 0; k < s->ntr; k++) {
            bool in = (double)(hs_rng_next(&s->rng) >> 11) * 0x1p-53 < f;
            s->in_sample[k] = in;
            if (in)
                s->rows[nr++] = k;
        }
    } else {
        for (size_t k = 0; k < s->ntr; k++)
            s->rows[k] = k;
        memset(s->in_sample, 1, s->ntr);
        nr = s->ntr;
    }
    size_t k = nf;
    if (s->colsample < 1) {
        k = (size_t)floor(s->colsample * (double)nf + 0.5);
        k = k < 1 ? 1 : k > nf ? nf : k;
        for (size_t i = 0; i < nf; i++)
            s->perm[i] = i;
        for (size_t i = 0; i < k; i++) {
            size_t r = i + (size_t)(hs_rng_next(&s->rng) % (nf - i));
            size_t t = s->perm[i];
            s->perm[i] = s->perm[r];
            s->perm[r] = t;
        }
        /* ascending, as the grower wants */
        for (size_t i = 1; i < k; i++)
            for (size_t m = i; m > 0 && s->perm[m - 1] > s->perm[m]; m--) {
                size_t t = s->perm[m];
                s->perm[m] = s->perm[m - 1];
                s->perm[m - 1] = t;
            }
        memcpy(s->feats, s->perm, k * sizeof *s->feats);
    } else {
        for (size_t i = 0; i < nf; i++)
            s->feats[i] = i;
    }
    *nfeat = k;
    return nr;
}

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int
bdt_step(void *state, struct hs_method_status *st, const struct hs_task *task,
         struct hs_err *err)
{
    struct bdt_state *s = state;
    double t0 = now();
    int rc;

    memset(st, 0, sizeof *st);
    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "boosted trees cancelled");
    if (!s->prepared) {
        rc = prepare(s, task, err);
        if (rc)
            return rc;
    }
    if (s->done) {
        st->done = true;
        st->fraction = 1;
        return HS_OK;
    }
    size_t nfeat, nr = draw_samples(s, &nfeat);
    size_t *leaf_lo, *leaf_hi;
    rc = bdt_grow(s->grower, &s->go, &s->bins, s->gh, s->rows, nr, s->feats, nfeat, &s->tree,
                  &leaf_lo, &leaf_hi, task, err);
    if (rc)
        return rc;
    /* The scores: sampled rows by their leaves, the others by a walk. */
    struct bdt_tree *t = &s->tree;
    for (size_t i = 0; i < t->n; i++)
        if (t->nodes[i].feature < 0)
            for (size_t k = leaf_lo[i]; k < leaf_hi[i]; k++)
                s->raw_tr[s->rows[k]] += t->nodes[i].value;
    if (nr < s->ntr)
        rc = pass_run(s, PASS_UNSAMPLED, s->ntr, t, NULL, task, err);
    double val_loss = NAN, val_auc = NAN;
    if (!rc && s->nva)
        rc = pass_run(s, PASS_VAL, s->nva, t, &val_loss, task, err);
    if (!rc)
        rc = hs_forest_add_tree(s->forest, t->nodes, t->n, err);
    if (rc)
        return rc; /* the scores moved on, but the fit ends here */
    s->round++;
    rc = pass_run(s, PASS_GRAD, s->ntr, NULL, &s->loss, task, err);
    if (rc)
        return rc;
    if (s->nva) {
        if (s->round == 1 || val_loss < s->best_loss) {
            s->best_loss = val_loss;
            s->best_round = s->round;
            s->since_best = 0;
        } else {
            s->since_best++;
        }
        if (s->patience && s->since_best >= s->patience) {
            s->done = true;
            s->early_stopped = true;
        }
    } else {
        s->best_round = s->round;
    }
    if (s->round >= s->trees)
        s->done = true;
    if (s->nva && (s->nva <= BDT_AUC_EVERY_ROUND || s->round % 10 == 0 || s->done)) {
        struct hs_err e2 = {0};
        if (hs_auc(s->raw_va, s->yva, s->wva, s->nva, &val_auc, &e2))
            val_auc = NAN;
    }
    struct hs_epoch_info *e = &s->curve[s->round - 1];
    *e = (struct hs_epoch_info){.epoch = s->round, .loss = s->loss, .val_loss = val_loss,
                                .val_auc = val_auc, .seconds = now() - t0, .lr = s->go.lr};
    st->has_epoch = true;
    st->epoch = *e;
    st->done = s->done;
    st->fraction = s->done ? 1 : (double)s->round / (double)s->trees;
    char what[96];
    snprintf(what, sizeof what, "boosted trees: tree %zu/%zu, loss %.4f", s->round, s->trees,
             s->loss);
    hs_task_progress(task, st->fraction, what);
    return HS_OK;
}

/* The forest kept: the trees up to the best round (every tree without
 * early stopping). */
static int
bdt_model(void *state, struct hs_model **out, struct hs_err *err)
{
    struct bdt_state *s = state;
    *out = NULL;
    if (!s->forest || s->round == 0)
        return hs_err_set(err, HS_EDATA, "no boosting round has finished");
    size_t keep = s->nva && s->patience ? s->best_round : s->round;
    struct hs_forest *f = hs_forest_new(s->forest->nin, s->forest->base);
    if (!f)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    f->rounds = s->round;
    for (size_t t = 0; t < keep; t++) {
        int rc = hs_forest_add_tree(f, s->forest->nodes + s->forest->start[t],
                                    s->forest->start[t + 1] - s->forest->start[t], err);
        if (rc) {
            hs_forest_free(f);
            return rc;
        }
    }
    return hs_model_new(&hs_model_kind_bdt, f, f->nin, out, err);
}

static void
bdt_report(void *state, struct hs_method_report *r)
{
    const struct bdt_state *s = state;
    memset(r, 0, sizeof *r);
    r->curve = s->curve;
    r->nepochs = s->round;
    r->best_epoch = s->nva && s->patience ? s->best_round : s->round;
    r->early_stopped = s->early_stopped;
    r->ntrain = s->ntr;
    r->nval = s->nva;
    r->nnegative = s->nneg;
    r->loglik = NAN;
    r->inertia = NAN;
    r->kl = NAN;
}

const struct hs_method hs_method_bdt = {
    .name = "bdt",
    .summary = "gradient-boosted decision trees on binned inputs (XGBoost's hist, LightGBM), "
               "log-loss",
    .params = bdt_params,
    .outputs = HS_METHOD_SCORE | HS_METHOD_MODEL,
    .supervised = true,
    .budget = "trees",
    .check = NULL,
    .describe = bdt_describe,
    .alloc = bdt_alloc,
    .step = bdt_step,
    .model = bdt_model,
    .coords = NULL,
    .clusters = NULL,
    .report = bdt_report,
    .free = bdt_free,
};

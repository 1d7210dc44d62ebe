/* tsne_opt.c: t-SNE's gradient descent (tsne.h).
 *
 * As van der Maaten's bhtsne, scikit-learn and openTSNE run it: the
 * first exag_iterations with P multiplied by the exaggeration and
 * momentum 0.5, the rest with P as it is and momentum 0.8; per
 * coordinate gains (Jacobs 1988) grow by 0.2 while the gradient keeps
 * its sign against the last update and shrink by a factor 0.8 when it
 * changes, never below 0.01.  The embedding is re-centred after each
 * update (as openTSNE does), which changes no distance and keeps the FFT
 * grid on the points.  The gradient carries its factor 4 (tsne.h), so
 * the learning rate is scikit-learn's: its "auto" max(n / exaggeration /
 * 4, 50) is openTSNE's and FIt-SNE's n / exaggeration on their gradient
 * without the 4.
 */
#include "config.h"

#include "tsne.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "mem.h"
#include "par.h"

#define TSNE_MIN_GAIN 0.01
/* Points per block of the update (its parts). */
#define TSNE_BLOCK 4096

static size_t
update_blocks(size_t n)
{
    return (n + TSNE_BLOCK - 1) / TSNE_BLOCK;
}
/* The FFT's grid: at least this many boxes per dimension, this many
 * interpolation nodes in each (FIt-SNE's defaults), and at most
 * TSNE_FFT_MAX_BOXES boxes, a bound on the grid's memory (some 250 MB)
 * for maps of many millions of points rather than a speed-up: boxes
 * wider than 1 lose accuracy fast (tests/unit/test_tsne.c), so it
 * stays above the 600-odd units a million points spread over. */
#define TSNE_FFT_MIN_BOXES 50
#define TSNE_FFT_MAX_BOXES 1000
#define TSNE_FFT_NODES 3
/* 2-d maps at least TSNE_SPLIT_EXTENT units wide take the kernels' split
 * (tsne_split.c): boxes TSNE_SPLIT_BOX units wide, pairs closer than
 * TSNE_SPLIT_RC summed directly.  Measured (bench/RESULTS.md, t-SNE's
 * kernel split; tsne_iter_bench split/rep/acc, one thread, CPU per call,
 * load 6-7): the 20,000-point map (extent 148) 0.012 s against 0.018-
 * 0.021, largest force error over all points 0.041 against 0.087 of the
 * largest force, Z 7e-5 against 1e-3 relative; the 200,000-point
 * stand-in (472) 0.157-0.178 s against 0.273, error 0.021-0.026
 * against 0.040; the 1,000,000-point one (1,062) 1.12 s against 3.49.
 * A whole run of 20,000 points (the split from iteration ~860 on): KL
 * 3.2626 against 3.2642.  Narrower maps were not measured: their plain
 * grid is small. */
#define TSNE_SPLIT_EXTENT 140
#define TSNE_SPLIT_BOX 2.0
#define TSNE_SPLIT_RC 2.5

int
hs_tsne_opt_init(struct hs_tsne_opt *s, const struct hs_tsne_p *P, const double *y0,
                 const struct hs_tsne_opts *o, struct hs_err *err)
{
    size_t nd = P->n * o->dims;
    memset(s, 0, sizeof *s);
    s->o = *o;
    s->P = P;
    s->n = P->n;
    s->kl = NAN;
    s->y = hs_malloc(nd * sizeof *s->y);
    s->update = hs_calloc(nd, sizeof *s->update);
    s->gains = hs_malloc(nd * sizeof *s->gains);
    s->grad = hs_malloc(nd * sizeof *s->grad);
    s->attr = hs_malloc(nd * sizeof *s->attr);
    s->rep = hs_malloc(nd * sizeof *s->rep);
    s->sums = hs_malloc(3 * update_blocks(P->n) * sizeof *s->sums);
    if (!s->y || !s->update || !s->gains || !s->grad || !s->attr || !s->rep || !s->sums) {
        hs_tsne_opt_release(s);
        return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's %zu points", P->n);
    }
    memcpy(s->y, y0, nd * sizeof *s->y);
    for (size_t i = 0; i < nd; i++)
        s->gains[i] = 1;
    for (size_t e = 0; e < P->rowptr[P->n]; e++)
        if (P->val[e] > 0)
            s->plogp += P->val[e] * log(P->val[e]);
    return HS_OK;
}

void
hs_tsne_opt_release(struct hs_tsne_opt *s)
{
    hs_free(s->y);
    hs_free(s->update);
    hs_free(s->gains);
    hs_free(s->grad);
    hs_free(s->attr);
    hs_free(s->rep);
    hs_free(s->sums);
    hs_tsne_fft_release(s->fft);
    s->y = s->update = s->gains = s->grad = s->attr = s->rep = s->sums = NULL;
    s->fft = NULL;
}

/* The update of a block of points: gains, momentum, the step; each
 * block's coordinate sums (for the re-centring) kept apart and added in
 * block order, so the result never depends on the thread count. */
struct update_job {
    struct hs_tsne_opt *s;
    double exag, mom, inv_z;
    double *sums; /* 3 per block */
    double mean[3];
};

static int
update_part(void *ctx, size_t part)
{
    struct update_job *u = ctx;
    struct hs_tsne_opt *s = u->s;
    size_t d = s->o.dims, lo, hi;
    double lr = s->o.learning_rate, sum[3] = {0, 0, 0};
    hs_par_range(s->n, update_blocks(s->n), part, &lo, &hi);
    for (size_t i = lo * d; i < hi * d; i++) {
        double g = 4 * (u->exag * s->attr[i] - s->rep[i] * u->inv_z);
        s->grad[i] = g;
        if (g * s->update[i] < 0)
            s->gains[i] += 0.2;
        else
            s->gains[i] *= 0.8;
        if (s->gains[i] < TSNE_MIN_GAIN)
            s->gains[i] = TSNE_MIN_GAIN;
        s->update[i] = u->mom * s->update[i] - lr * s->gains[i] * g;
        s->y[i] += s->update[i];
        sum[i % d] += s->y[i];
    }
    for (size_t c = 0; c < 3; c++)
        u->sums[3 * part + c] = sum[c];
    return HS_OK;
}

static int
recentre_part(void *ctx, size_t part)
{
    struct update_job *u = ctx;
    struct hs_tsne_opt *s = u->s;
    size_t d = s->o.dims, lo, hi;
    hs_par_range(s->n, update_blocks(s->n), part, &lo, &hi);
    for (size_t i = lo * d; i < hi * d; i++)
        s->y[i] -= u->mean[i % d];
    return HS_OK;
}

/* The larger of the map's widths along its 2 axes. */
static double
extent_of(const double *y, size_t n)
{
    double mn[2] = {INFINITY, INFINITY}, mx[2] = {-INFINITY, -INFINITY};
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < 2; c++) {
            mn[c] = fmin(mn[c], y[2 * i + c]);
            mx[c] = fmax(mx[c], y[2 * i + c]);
        }
    return fmax(mx[0] - mn[0], mx[1] - mn[1]);
}

/* One iteration; y changes only when the whole gradient was computed. */
static int
iterate(struct hs_tsne_opt *s, bool want_kl, const struct hs_task *task, struct hs_err *err)
{
    const struct hs_tsne_opts *o = &s->o;
    size_t d = o->dims, blocks = update_blocks(s->n);
    bool early = s->iter < o->exag_iterations;
    int threads = o->threads > 0 ? o->threads : hs_par_threads(), rc;
    double Z, plogw = 0;

    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "t-SNE cancelled");
    double t0 = hs_tsne_now();
    if (o->repulsion == HS_TSNE_FFT && d == 2 && extent_of(s->y, s->n) >= TSNE_SPLIT_EXTENT)
        rc = hs_tsne_repulsion_split(&s->fft, s->y, s->n, TSNE_SPLIT_BOX, TSNE_FFT_NODES,
                                     TSNE_SPLIT_RC, TSNE_FFT_MAX_BOXES, s->rep, &Z, o->threads,
                                     task, err);
    else if (o->repulsion == HS_TSNE_FFT)
        rc = hs_tsne_repulsion_fft(&s->fft, s->y, s->n, d, TSNE_FFT_MIN_BOXES,
                                   TSNE_FFT_MAX_BOXES, TSNE_FFT_NODES, s->rep, &Z, o->threads,
                                   task, err);
    else
        rc = hs_tsne_repulsion_bh(s->y, s->n, d, o->theta, s->rep, &Z, o->threads, task, err);
    if (rc)
        return rc;
    double t1 = hs_tsne_now();
    hs_tsne_attraction(s->P, s->y, d, s->attr, want_kl ? &plogw : NULL, o->threads);
    double t2 = hs_tsne_now();
    if (want_kl)
        s->kl = s->plogp - plogw + log(Z);
    struct update_job u = {.s = s, .exag = early ? o->exaggeration : 1, .mom = early ? 0.5 : 0.8,
                           .inv_z = Z > 0 ? 1 / Z : 0, .sums = s->sums};
    hs_par_run(blocks, threads, update_part, &u);
    for (size_t b = 0; b < blocks; b++)
        for (size_t c = 0; c < d; c++)
            u.mean[c] += s->sums[3 * b + c];
    for (size_t c = 0; c < d; c++)
        u.mean[c] /= (double)s->n;
    hs_par_run(blocks, threads, recentre_part, &u);
    s->iter++;
    s->secs_rep += t1 - t0;
    s->secs_attr += t2 - t1;
    s->secs_update += hs_tsne_now() - t2;
    return HS_OK;
}

double
hs_tsne_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int
hs_tsne_opt_run(struct hs_tsne_opt *s, size_t count, bool want_kl, const struct hs_task *task,
                struct hs_err *err)
{
    double last_report = hs_tsne_now();
    for (size_t t = 0; t < count && s->iter < s->o.iterations; t++) {
        bool last = t + 1 == count || s->iter + 1 == s->o.iterations;
        int rc = iterate(s, want_kl && last, task, err);
        if (rc)
            return rc;
        if (hs_tsne_now() - last_report > 0.2) {
            last_report = hs_tsne_now();
            hs_task_progress(task, (double)s->iter / (double)s->o.iterations,
                             "t-SNE: optimising");
        }
    }
    return HS_OK;
}

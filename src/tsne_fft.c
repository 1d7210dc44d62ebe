/* tsne_fft.c: t-SNE's repulsive forces by FFT-accelerated interpolation
 * (Linderman, Rachh, Hoskins, Steinerberger and Kluger 2019, "FIt-SNE").
 *
 * The sums phi_q(i) = sum_j K(y_i, y_j) q_j of the squared Cauchy kernel
 * K = w^2 for the charges q_j = 1 and y_j (each coordinate) give the
 * repulsion:
 *   sum_j w_ij^2 (y_i - y_j) = y_i phi_1(i) - phi_y(i).
 * Z = sum_ij w_ij comes from the charge 1 alone with the Cauchy kernel
 * w itself: summed over the points, the gathered potentials are the
 * inner product of the spread charges G with their convolution w * G,
 * which Parseval's identity gives from G's transform (already made for
 * the repulsion) and w's, without an inverse transform; j = i adds 1
 * per point (taken off).  (FIt-SNE's third charge |y_j|^2 gives Z as
 * (1 + |y_i|^2) phi_1 - 2 y_i . phi_y + phi_|y|^2, a difference of
 * terms |y|^2 times larger than itself: here there is one transform
 * fewer and no such cancellation.)
 * The square holding the points is cut into boxes (at least min_boxes
 * per side, and one per unit of extent, rounded up to a size FFTW does
 * fast, but at most max_boxes: past that the boxes widen instead, so a
 * map of a million points, some 1,000 units wide, costs transforms of
 * a bounded size at some loss of accuracy near each point), each with p equispaced interpolation nodes per side: each
 * point spreads its charges onto the nodes of its box with Lagrange
 * weights, the node-to-node sums are a convolution with a Toeplitz
 * kernel done by FFT on a grid twice as wide (zero padded), and each
 * point gathers its potentials back with the same weights.  Accuracy is
 * that of degree p - 1 interpolation of a smooth kernel over a box of
 * width at most 1: about 1e-3 relative for p = 3, as the paper reports.
 *
 * Parallel without depending on the thread count: the weights and the
 * gathering run as par.h parts over fixed blocks of points, and each
 * charge (spreading, forward transform, product with the kernel's
 * transform, inverse transform) is a part of its own with its own grid,
 * so the d + 1 charges of 2-d maps keep two threads busy.  The box
 * width is rounded up to a step of 2^(1/32) (about 2%), so the kernel's
 * transform is reused for as long as the width stays in one step
 * (tens of iterations once the map has spread out) instead of made
 * each iteration.  The grids and transforms are in single precision
 * (FFTW's float library, twice as fast as its double one here): their
 * rounding, some 1e-7 of the largest potential, stays far below the
 * interpolation's 1e-3.  FFTW plans are made once per grid size with
 * FFTW_ESTIMATE, so the result depends only on the data; they run on
 * each charge's arrays through FFTW's new-array interface, which may
 * be called from any thread.
 */
#include "config.h"

#include "tsne.h"

#include <fftw3.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "mem.h"
#include "par.h"

#define FFT_BLOCK 4096
#define FFT_MAX_NODES 8
/* Charges: 1 and each coordinate. */
#define FFT_MAX_CHARGES 3
/* Box widths are rounded up to powers of 2^(1 / FFT_WIDTH_STEPS). */
#define FFT_WIDTH_STEPS 32

struct hs_tsne_fft {
    size_t d, M;                           /* grid of M^d (M = 2 x nodes per side) */
    double width;                          /* the box width the kernel is for; 0: none */
    size_t nodes;                          /* and its nodes per side */
    float *grid[FFT_MAX_CHARGES];          /* M^d each, fftwf_malloc */
    fftwf_complex *tr[FFT_MAX_CHARGES];    /* their transforms */
    float *kern, *cauchy;                  /* w^2's and w's (real) transforms, scaled */
    fftwf_plan fwd, inv;                   /* whole grids: the kernel's, and 1-d charges */
    /* 2-d charges, in passes that skip the zero padding: the forward
     * transforms of the first M / 2 rows (the rest are zero), then of
     * the columns; backward, the columns, then only the rows the
     * potentials are read from.  A quarter of the work of whole 2-d
     * transforms saved. */
    fftwf_plan rows_f, cols_f, cols_b, rows_b;
    size_t ncap;                           /* points the arrays below hold */
    double *wts;                           /* n x d x p Lagrange weights */
    size_t *cell;                          /* n: grid index of its box's first node */
};

/* Box counts FFTW transforms fast (2^a 3^b 5^c 7^d) after 200: any multiple of 50. */
static size_t
round_boxes(size_t b)
{
    static const size_t good[] = {25, 36, 50, 55, 60, 65, 70, 75, 80, 85, 90, 96, 100, 110,
                                  120, 130, 140, 150, 175, 200};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (b <= good[i])
            return good[i];
    return (b + 49) / 50 * 50;
}

/* FFTW's plans and buffers freed, the grid forgotten. */
static void
grid_free(struct hs_tsne_fft *ws)
{
    if (ws->fwd)
        fftwf_destroy_plan(ws->fwd);
    if (ws->inv)
        fftwf_destroy_plan(ws->inv);
    fftwf_plan *passes[] = {&ws->rows_f, &ws->cols_f, &ws->cols_b, &ws->rows_b};
    for (size_t k = 0; k < 4; k++) {
        if (*passes[k])
            fftwf_destroy_plan(*passes[k]);
        *passes[k] = NULL;
    }
    for (size_t q = 0; q < FFT_MAX_CHARGES; q++) {
        fftwf_free(ws->grid[q]);
        fftwf_free(ws->tr[q]);
        ws->grid[q] = NULL;
        ws->tr[q] = NULL;
    }
    fftwf_free(ws->kern);
    fftwf_free(ws->cauchy);
    ws->kern = ws->cauchy = NULL;
    ws->fwd = ws->inv = NULL;
    ws->M = 0;
    ws->width = 0;
}

void
hs_tsne_fft_release(struct hs_tsne_fft *ws)
{
    if (!ws)
        return;
    grid_free(ws);
    hs_free(ws->wts);
    hs_free(ws->cell);
    hs_free(ws);
}

static size_t
grid_total(size_t d, size_t M)
{
    return d == 1 ? M : M * M;
}

static size_t
grid_half(size_t d, size_t M)
{
    return d == 1 ? M / 2 + 1 : M * (M / 2 + 1);
}

/* FFTW's buffers and plans for a grid of M per side. */
static int
ws_grid(struct hs_tsne_fft *ws, size_t d, size_t M)
{
    size_t total = grid_total(d, M), half = grid_half(d, M);
    if (ws->M == M && ws->d == d)
        return 0;
    grid_free(ws);
    for (size_t q = 0; q < d + 1; q++) {
        ws->grid[q] = fftwf_malloc(total * sizeof *ws->grid[q]);
        ws->tr[q] = fftwf_malloc(half * sizeof *ws->tr[q]);
        if (!ws->grid[q] || !ws->tr[q])
            return -1;
    }
    ws->kern = fftwf_malloc(half * sizeof *ws->kern);
    ws->cauchy = fftwf_malloc(half * sizeof *ws->cauchy);
    if (!ws->kern || !ws->cauchy)
        return -1;
    if (d == 1) {
        ws->fwd = fftwf_plan_dft_r2c_1d((int)M, ws->grid[0], ws->tr[0], FFTW_ESTIMATE);
        ws->inv = fftwf_plan_dft_c2r_1d((int)M, ws->tr[0], ws->grid[0], FFTW_ESTIMATE);
    } else {
        ws->fwd = fftwf_plan_dft_r2c_2d((int)M, (int)M, ws->grid[0], ws->tr[0], FFTW_ESTIMATE);
        ws->inv = fftwf_plan_dft_c2r_2d((int)M, (int)M, ws->tr[0], ws->grid[0], FFTW_ESTIMATE);
        int m = (int)M, rows = (int)M / 2, h = (int)M / 2 + 1;
        ws->rows_f = fftwf_plan_many_dft_r2c(1, &m, rows, ws->grid[0], NULL, 1, m, ws->tr[0],
                                             NULL, 1, h, FFTW_ESTIMATE);
        ws->cols_f = fftwf_plan_many_dft(1, &m, h, ws->tr[0], NULL, h, 1, ws->tr[0], NULL, h, 1,
                                         FFTW_FORWARD, FFTW_ESTIMATE);
        ws->cols_b = fftwf_plan_many_dft(1, &m, h, ws->tr[0], NULL, h, 1, ws->tr[0], NULL, h, 1,
                                         FFTW_BACKWARD, FFTW_ESTIMATE);
        ws->rows_b = fftwf_plan_many_dft_c2r(1, &m, rows, ws->tr[0], NULL, 1, h, ws->grid[0],
                                             NULL, 1, m, FFTW_ESTIMATE);
        if (!ws->rows_f || !ws->cols_f || !ws->cols_b || !ws->rows_b)
            return -1;
    }
    if (!ws->fwd || !ws->inv)
        return -1;
    ws->M = M;
    ws->d = d;
    return 0;
}

struct fft_job {
    struct hs_tsne_fft *ws;
    const double *y;
    size_t n, d, p, nb, nodes; /* nodes per side = nb * p */
    double lo, width;          /* the square's lower corner (each side) and box width */
    const double *spacing;     /* p node positions in a box, in [0, 1] */
    double *rep, zsum;
    const struct hs_task *task;
    atomic_int stop;
};

/* Lagrange weights of the p nodes at position t in [0, 1]. */
static void
lagrange(const double *node, size_t p, double t, double *w)
{
    for (size_t a = 0; a < p; a++) {
        double num = 1, den = 1;
        for (size_t b = 0; b < p; b++)
            if (b != a) {
                num *= t - node[b];
                den *= node[a] - node[b];
            }
        w[a] = num / den;
    }
}

static int
job_stopped(struct fft_job *j)
{
    if (atomic_load(&j->stop) || hs_task_cancelled(j->task)) {
        atomic_store(&j->stop, 1);
        return 1;
    }
    return 0;
}

/* Each point's box and interpolation weights. */
static int
weights_part(void *ctx, size_t part)
{
    struct fft_job *j = ctx;
    struct hs_tsne_fft *ws = j->ws;
    size_t lo, hi, d = j->d, p = j->p;
    if (job_stopped(j))
        return HS_ECANCELLED;
    hs_par_range(j->n, (j->n + FFT_BLOCK - 1) / FFT_BLOCK, part, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        const double *yi = j->y + i * d;
        double *w = ws->wts + i * d * p;
        size_t cell = 0;
        for (size_t c = 0; c < d; c++) {
            double u = (yi[c] - j->lo) / j->width;
            size_t b = u <= 0 ? 0 : (size_t)u;
            if (b >= j->nb)
                b = j->nb - 1;
            lagrange(j->spacing, p, u - (double)b, w + c * p);
            cell = cell * ws->M + b * p;
        }
        ws->cell[i] = cell;
    }
    return HS_OK;
}

/* Charge q: spread onto the nodes (the top-left corner of the padded
 * grid), convolved with the kernel by FFT; the potentials are left at
 * the same nodes of the same grid. */
static int
charge_part(void *ctx, size_t q)
{
    struct fft_job *j = ctx;
    struct hs_tsne_fft *ws = j->ws;
    size_t d = j->d, p = j->p, M = ws->M, half = grid_half(d, M);
    float *g = ws->grid[q];
    fftwf_complex *t = ws->tr[q];
    if (job_stopped(j))
        return HS_ECANCELLED;
    /* 2-d: the rows past M / 2 are neither spread onto nor read. */
    memset(g, 0, (d == 1 ? M : M * (M / 2)) * sizeof *g);
    for (size_t i = 0; i < j->n; i++) {
        const double *yi = j->y + i * d, *w = ws->wts + i * d * p;
        double charge = q == 0 ? 1 : yi[q - 1];
        float *at = g + ws->cell[i];
        if (d == 1) {
            for (size_t a = 0; a < p; a++)
                at[a] += (float)(w[a] * charge);
        } else {
            for (size_t a = 0; a < p; a++) {
                double wa = w[a] * charge;
                for (size_t b = 0; b < p; b++)
                    at[a * M + b] += (float)(wa * w[p + b]);
            }
        }
    }
    if (d == 1) {
        fftwf_execute_dft_r2c(ws->fwd, g, t);
    } else {
        fftwf_execute_dft_r2c(ws->rows_f, g, t);
        memset(t + (M / 2) * (M / 2 + 1), 0, (M - M / 2) * (M / 2 + 1) * sizeof *t);
        fftwf_execute_dft(ws->cols_f, t, t);
    }
    if (q == 0) {
        /* sum over x of G(x) (w * G)(x) = sum over frequencies f of
         * |G^(f)|^2 w^(f) / M^d; the half spectrum r2c keeps stands for
         * its mirror image too, except where the last index is 0 or M/2. */
        double z = 0;
        size_t last = M / 2 + 1;
        for (size_t k = 0; k < half; k++) {
            size_t b = k % last;
            double re = ws->tr[0][k][0], im = ws->tr[0][k][1], g2 = re * re + im * im;
            z += (b == 0 || 2 * b == M ? 1 : 2) * g2 * ws->cauchy[k];
        }
        j->zsum = z - (double)j->n;
    }
    for (size_t k = 0; k < half; k++) {
        ws->tr[q][k][0] *= ws->kern[k];
        ws->tr[q][k][1] *= ws->kern[k];
    }
    if (d == 1) {
        fftwf_execute_dft_c2r(ws->inv, t, g);
    } else {
        fftwf_execute_dft(ws->cols_b, t, t);
        fftwf_execute_dft_c2r(ws->rows_b, t, g);
    }
    return HS_OK;
}

/* Each point's potentials gathered, its repulsion. */
static int
gather_part(void *ctx, size_t part)
{
    struct fft_job *j = ctx;
    struct hs_tsne_fft *ws = j->ws;
    size_t lo, hi, d = j->d, p = j->p, M = ws->M;
    if (job_stopped(j))
        return HS_ECANCELLED;
    hs_par_range(j->n, (j->n + FFT_BLOCK - 1) / FFT_BLOCK, part, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        const double *yi = j->y + i * d, *w = ws->wts + i * d * p;
        double phi[FFT_MAX_CHARGES] = {0, 0, 0};
        for (size_t q = 0; q < d + 1; q++) {
            const float *pot = ws->grid[q] + ws->cell[i];
            double s = 0;
            if (d == 1)
                for (size_t a = 0; a < p; a++)
                    s += w[a] * pot[a];
            else
                for (size_t a = 0; a < p; a++) {
                    double r = 0;
                    for (size_t b = 0; b < p; b++)
                        r += w[p + b] * pot[a * M + b];
                    s += w[a] * r;
                }
            phi[q] = s;
        }
        for (size_t c = 0; c < d; c++)
            j->rep[i * d + c] = yi[c] * phi[0] - phi[1 + c];
    }
    return HS_OK;
}

/* The Cauchy kernel w (power 1) or its square (power 2) between nodes
 * spaced h apart, on the circulant grid, transformed into out.  The
 * kernel is even, so its transform is real; the inverse transform's
 * 1 / M^d is folded in. */
static void
kernel_transform(struct hs_tsne_fft *ws, size_t nodes, double h, int power, float *out)
{
    size_t M = ws->M, d = ws->d, half = grid_half(d, M);
    float *g = ws->grid[0];
    double norm = 1 / (double)grid_total(d, M);
    for (size_t a = 0; a < (d == 1 ? 1 : M); a++)
        for (size_t b = 0; b < M; b++) {
            long oa = d == 1 ? 0 : (a < nodes ? (long)a : (long)a - (long)M);
            long ob = b < nodes ? (long)b : (long)b - (long)M;
            double v = 0;
            if ((d == 1 || a != nodes) && b != nodes) {
                double r2 = h * h * (double)(oa * oa + ob * ob);
                v = power == 2 ? 1 / ((1 + r2) * (1 + r2)) : 1 / (1 + r2);
            }
            g[(d == 1 ? 0 : a * M) + b] = (float)v;
        }
    fftwf_execute_dft_r2c(ws->fwd, g, ws->tr[0]);
    for (size_t k = 0; k < half; k++)
        out[k] = (float)(ws->tr[0][k][0] * norm);
}

/* The workspace's arrays for n points of d dimensions with p nodes per box. */
static int
ws_points(struct hs_tsne_fft *ws, size_t n, size_t d, size_t p)
{
    if (ws->ncap >= n * d * p)
        return 0;
    hs_free(ws->wts);
    hs_free(ws->cell);
    ws->wts = hs_malloc(n * d * p * sizeof *ws->wts);
    ws->cell = hs_malloc(n * sizeof *ws->cell);
    ws->ncap = ws->wts && ws->cell ? n * d * p : 0;
    return ws->ncap ? 0 : -1;
}

int
hs_tsne_repulsion_fft(struct hs_tsne_fft **wsp, const double *y, size_t n, size_t d,
                      size_t min_boxes, size_t max_boxes, size_t p, double *rep, double *Z,
                      int threads,
                      const struct hs_task *task, struct hs_err *err)
{
    struct hs_tsne_fft *ws = *wsp;
    double spacing[FFT_MAX_NODES], mn = INFINITY, mx = -INFINITY;
    int nth = threads > 0 ? threads : hs_par_threads();

    if (d < 1 || d > 2 || p < 2 || p > FFT_MAX_NODES)
        return hs_err_set(err, HS_EUSAGE,
                          "t-SNE's FFT method embeds in 1 or 2 dimensions, not %zu", d);
    if (!ws) {
        ws = *wsp = hs_calloc(1, sizeof *ws);
        if (!ws)
            return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's FFT grid");
    }
    for (size_t i = 0; i < n * d; i++) {
        mn = y[i] < mn ? y[i] : mn;
        mx = y[i] > mx ? y[i] : mx;
    }
    double extent = mx - mn > 1e-300 ? mx - mn : 1e-300;
    size_t nb = round_boxes((size_t)fmax((double)min_boxes, ceil(extent)));
    if (nb > max_boxes && max_boxes >= min_boxes)
        nb = max_boxes;
    size_t nodes = nb * p;
    /* The width rounded up to its step, with room for rounding in the
     * boxes' arithmetic. */
    double width = exp2(ceil(log2(extent / (double)nb * (1 + 1e-12)) * FFT_WIDTH_STEPS) /
                        FFT_WIDTH_STEPS);
    for (size_t a = 0; a < p; a++)
        spacing[a] = ((double)a + 0.5) / (double)p;

    if (ws_grid(ws, d, 2 * nodes) || ws_points(ws, n, d, p))
        return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's FFT grid");
    if (ws->width != width || ws->nodes != nodes) {
        kernel_transform(ws, nodes, width / (double)p, 2, ws->kern);
        kernel_transform(ws, nodes, width / (double)p, 1, ws->cauchy);
        ws->width = width;
        ws->nodes = nodes;
    }
    size_t nparts = (n + FFT_BLOCK - 1) / FFT_BLOCK;
    struct fft_job j = {.ws = ws, .y = y, .n = n, .d = d, .p = p, .nb = nb, .nodes = nodes,
                        .lo = mn, .width = width, .spacing = spacing, .rep = rep, .task = task};
    atomic_init(&j.stop, 0);
    int rc = hs_par_run(nparts, nth, weights_part, &j);
    if (!rc)
        rc = hs_par_run(d + 1, nth, charge_part, &j);
    if (!rc)
        rc = hs_par_run(nparts, nth, gather_part, &j);
    if (!rc)
        *Z = j.zsum;
    return rc ? hs_err_set(err, HS_ECANCELLED, "t-SNE cancelled") : HS_OK;
}

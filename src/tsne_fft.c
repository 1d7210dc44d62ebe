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
 * hs_tsne_repulsion_fft_far (for tsne_split.c) takes another box width
 * and the kernels' far parts, smooth on the scale of the split's
 * radius, so that its boxes may be wider.
 *
 * Parallel without depending on the thread count: the extent, the
 * weights and (1-d) the gathering run as par.h parts over fixed blocks
 * of points; 1-d charges are a part each.  The 2-d passes are split
 * into parts fixed by the grid alone, so both threads stay busy
 * whatever the number of charges (three, on two threads, left one idle
 * for half of the transforms when a charge was a part): per box row,
 * its points' charges spread onto its node rows (points bucketed by box
 * row, each row's in index order, so the sums' order is fixed) and
 * those rows transformed; per batch of columns, the column transforms
 * forward, Z's share, the products with the kernel and the transforms
 * back; per box row again, the rows transformed back and its points'
 * potentials gathered.  The box width is rounded up to a step of
 * 2^(1/32) (about 2%), so the kernel's transform (made in the same
 * parts) is reused for as long as the width stays in one step
 * (tens of iterations once the map has spread out) instead of made
 * each iteration.  The grids and transforms are in single precision
 * (FFTW's float library, twice as fast as its double one here): their
 * rounding, some 1e-7 of the largest potential, stays far below the
 * interpolation's 1e-3.  FFTW plans are made once per grid size with
 * FFTW_ESTIMATE, so the result depends only on the data (FFTW_MEASURE
 * picks its algorithm by timing, so the bits could differ from run to
 * run); they run on each part's arrays through FFTW's new-array
 * interface, which may be called from any thread, at the alignment
 * they were made for (rows 64 bytes apart, batches at multiples of 8).
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

/* 2-d grids: columns of the half spectrum per column part, a multiple
 * of 8 near h / FFT_COL_PARTS (enough parts for the threads to share
 * evenly) within [8, FFT_MAX_COLS]: wide batches touch each row's page
 * fewer times (at 3,000 columns 64 to 256 cost a third less than 8). */
#define FFT_COL_PARTS 16
#define FFT_MAX_COLS 128

struct hs_tsne_fft {
    size_t d, M;                           /* grid of M^d (M = 2 x nodes per side) */
    size_t nb;                             /* boxes per side */
    double width;                          /* the box width the kernel is for; 0: none */
    double uc;                             /* and its far part's u_c (0: the whole kernel) */
    size_t nodes;                          /* and its nodes per side */
    /* w^2's and w's (real) transforms, scaled; 2-d: part after part of
     * the column passes, M rows of bw each, read in order. */
    float *kern, *cauchy;
    /* 1-d: whole transforms, one charge per part. */
    float *grid[FFT_MAX_CHARGES];          /* M each, fftwf_malloc */
    fftwf_complex *tr[FFT_MAX_CHARGES];    /* their transforms */
    fftwf_plan fwd, inv;
    /* 2-d: each charge in place in buf[q], M rows of cs complex numbers
     * (of which h = M / 2 + 1 hold the half spectrum; a real row is the
     * first M floats of its 2 cs).  The transforms run in passes that
     * skip the zero padding, split into parts that keep every thread
     * busy whatever the number of charges: forward, the rows of one box
     * row (p rows; only the first M / 2 rows are ever non-zero), then
     * bw columns at a time, through the product with the kernel
     * and back; backward, the rows of one box row again (only the first
     * M / 2 rows are read). */
    size_t h, cs, rs;                      /* rs: real row stride (floats) */
    float *real[FFT_MAX_CHARGES];          /* M rows of rs: the charges, the potentials */
    fftwf_complex *buf[FFT_MAX_CHARGES];
    fftwf_plan rows_f, rows_b;             /* p rows */
    size_t bw;                             /* columns per column part */
    fftwf_plan cols_f, cols_b;             /* bw columns */
    fftwf_plan tail_f, tail_b;             /* the last, narrower batch of columns */
    double *zpart;                         /* per column part: its share of Z */
    size_t *bstart;                        /* nb + 1: each box row's first point in order */
    size_t ncap;                           /* points the arrays below hold */
    double *wts;                           /* n x d x p Lagrange weights */
    size_t *cell;                          /* n: grid index of its box's first node */
    uint32_t *brow;                        /* n: its box row (2-d) */
    uint32_t *order;                       /* n: the points by box row, each row's in index order */
    size_t mmcap;
    double *mm;                            /* per block of points: its min and max */
};

/* Box counts FFTW transforms fast; after 200 the next multiple of 10
 * with no prime factor above 7 (multiples of 50 such as 550 or 650 left
 * factors 11 and 13 in the grid: the split's 1,000,000-point stand-in,
 * 550 boxes, took 0.85 s of CPU for its far part against 0.62 s at 540). */
static size_t
round_boxes(size_t b)
{
    static const size_t good[] = {25, 36, 50, 55, 60, 65, 70, 75, 80, 85, 90, 96, 100, 110,
                                  120, 130, 140, 150, 175, 200};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (b <= good[i])
            return good[i];
    for (b = (b + 9) / 10 * 10;; b += 10) {
        size_t m = b;
        for (size_t f = 2; f <= 7; f++)
            while (m % f == 0)
                m /= f;
        if (m == 1)
            return b;
    }
}

static void
plan_free(fftwf_plan *p)
{
    if (*p)
        fftwf_destroy_plan(*p);
    *p = NULL;
}

/* FFTW's plans and buffers freed, the grid forgotten. */
static void
grid_free(struct hs_tsne_fft *ws)
{
    fftwf_plan *plans[] = {&ws->fwd,    &ws->inv,    &ws->rows_f, &ws->rows_b,
                           &ws->cols_f, &ws->cols_b, &ws->tail_f, &ws->tail_b};
    for (size_t k = 0; k < sizeof plans / sizeof *plans; k++)
        plan_free(plans[k]);
    for (size_t q = 0; q < FFT_MAX_CHARGES; q++) {
        fftwf_free(ws->grid[q]);
        fftwf_free(ws->tr[q]);
        fftwf_free(ws->buf[q]);
        fftwf_free(ws->real[q]);
        ws->real[q] = NULL;
        ws->grid[q] = NULL;
        ws->tr[q] = NULL;
        ws->buf[q] = NULL;
    }
    fftwf_free(ws->kern);
    fftwf_free(ws->cauchy);
    hs_free(ws->zpart);
    hs_free(ws->bstart);
    ws->kern = ws->cauchy = NULL;
    ws->zpart = NULL;
    ws->bstart = NULL;
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
    hs_free(ws->brow);
    hs_free(ws->order);
    hs_free(ws->mm);
    hs_free(ws);
}

static size_t
col_parts(const struct hs_tsne_fft *ws)
{
    return (ws->h + ws->bw - 1) / ws->bw;
}

/* Column part `part`: its first column, its count, and the forward and
 * backward plans for that count. */
static size_t
col_batch(const struct hs_tsne_fft *ws, size_t part, size_t *nc, fftwf_plan *f, fftwf_plan *b)
{
    size_t c0 = part * ws->bw;
    bool tail = part + 1 == col_parts(ws) && ws->h - c0 != ws->bw;
    *nc = tail ? ws->h - c0 : ws->bw;
    *f = tail ? ws->tail_f : ws->cols_f;
    *b = tail ? ws->tail_b : ws->cols_b;
    return c0;
}

/* FFTW's buffers and plans for a 1-d grid of M nodes. */
static int
grid_1d(struct hs_tsne_fft *ws, size_t M)
{
    size_t half = M / 2 + 1;
    for (size_t q = 0; q < 2; q++) {
        ws->grid[q] = fftwf_malloc(M * sizeof *ws->grid[q]);
        ws->tr[q] = fftwf_malloc(half * sizeof *ws->tr[q]);
        if (!ws->grid[q] || !ws->tr[q])
            return -1;
    }
    ws->kern = fftwf_malloc(half * sizeof *ws->kern);
    ws->cauchy = fftwf_malloc(half * sizeof *ws->cauchy);
    if (!ws->kern || !ws->cauchy)
        return -1;
    ws->fwd = fftwf_plan_dft_r2c_1d((int)M, ws->grid[0], ws->tr[0], FFTW_ESTIMATE);
    ws->inv = fftwf_plan_dft_c2r_1d((int)M, ws->tr[0], ws->grid[0], FFTW_ESTIMATE);
    return ws->fwd && ws->inv ? 0 : -1;
}

/* The same for a 2-d grid of M x M with p nodes per box.  Rows start
 * 64 bytes apart and column batches at multiples of 8, so every
 * part's arrays have the alignment the plans were made for. */
static int
grid_2d(struct hs_tsne_fft *ws, size_t M, size_t p)
{
    size_t h = M / 2 + 1, cs = (h + 7) / 8 * 8;
    size_t bw = (h / FFT_COL_PARTS + 7) / 8 * 8;
    bw = bw < 8 ? 8 : bw > FFT_MAX_COLS ? FFT_MAX_COLS : bw;
    size_t ncol = (h + bw - 1) / bw;
    ws->bw = bw;
    size_t rs = (M + 15) / 16 * 16;
    ws->h = h;
    ws->cs = cs;
    ws->rs = rs;
    for (size_t q = 0; q < FFT_MAX_CHARGES; q++) {
        ws->buf[q] = fftwf_malloc(M * cs * sizeof *ws->buf[q]);
        ws->real[q] = fftwf_malloc(M * rs * sizeof *ws->real[q]);
        if (!ws->buf[q] || !ws->real[q])
            return -1;
    }
    ws->kern = fftwf_malloc(ncol * M * bw * sizeof *ws->kern);
    ws->cauchy = fftwf_malloc(ncol * M * bw * sizeof *ws->cauchy);
    ws->zpart = hs_malloc(ncol * sizeof *ws->zpart);
    ws->bstart = hs_malloc((M / (2 * p) + 1) * sizeof *ws->bstart);
    if (!ws->kern || !ws->cauchy || !ws->zpart || !ws->bstart)
        return -1;
    int m = (int)M, rows = (int)p, ics = (int)cs, irs = (int)rs;
    int tail = (int)(h - (ncol - 1) * bw), ibw = (int)bw;
    fftwf_complex *b = ws->buf[0], *t = b + (ncol - 1) * bw;
    float *r = ws->real[0];
    ws->rows_f = fftwf_plan_many_dft_r2c(1, &m, rows, r, NULL, 1, irs, b, NULL, 1, ics,
                                         FFTW_ESTIMATE);
    ws->rows_b = fftwf_plan_many_dft_c2r(1, &m, rows, b, NULL, 1, ics, r, NULL, 1, irs,
                                         FFTW_ESTIMATE);
    ws->cols_f = fftwf_plan_many_dft(1, &m, ibw, b, NULL, ics, 1, b, NULL, ics, 1,
                                     FFTW_FORWARD, FFTW_ESTIMATE);
    ws->cols_b = fftwf_plan_many_dft(1, &m, ibw, b, NULL, ics, 1, b, NULL, ics, 1,
                                     FFTW_BACKWARD, FFTW_ESTIMATE);
    ws->tail_f = fftwf_plan_many_dft(1, &m, tail, t, NULL, ics, 1, t, NULL, ics, 1, FFTW_FORWARD,
                                     FFTW_ESTIMATE);
    ws->tail_b = fftwf_plan_many_dft(1, &m, tail, t, NULL, ics, 1, t, NULL, ics, 1,
                                     FFTW_BACKWARD, FFTW_ESTIMATE);
    return ws->rows_f && ws->rows_b && ws->cols_f && ws->cols_b && ws->tail_f && ws->tail_b
               ? 0
               : -1;
}

static int
ws_grid(struct hs_tsne_fft *ws, size_t d, size_t M, size_t p)
{
    if (ws->M == M && ws->d == d)
        return 0;
    grid_free(ws);
    if (d == 1 ? grid_1d(ws, M) : grid_2d(ws, M, p))
        return -1;
    ws->M = M;
    ws->d = d;
    ws->nb = M / (2 * p);
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

static size_t
point_parts(size_t n)
{
    return (n + FFT_BLOCK - 1) / FFT_BLOCK;
}

/* The smallest and largest coordinate of a block of points. */
static int
extent_part(void *ctx, size_t part)
{
    struct fft_job *j = ctx;
    size_t lo, hi, nd = j->n * j->d;
    double mn = INFINITY, mx = -INFINITY;
    hs_par_range(nd, point_parts(j->n), part, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        mn = j->y[i] < mn ? j->y[i] : mn;
        mx = j->y[i] > mx ? j->y[i] : mx;
    }
    j->ws->mm[2 * part] = mn;
    j->ws->mm[2 * part + 1] = mx;
    return HS_OK;
}

/* Each point's box and interpolation weights. */
static int
weights_part(void *ctx, size_t part)
{
    struct fft_job *j = ctx;
    struct hs_tsne_fft *ws = j->ws;
    size_t lo, hi, d = j->d, p = j->p, stride = d == 1 ? ws->M : ws->rs;
    if (job_stopped(j))
        return HS_ECANCELLED;
    hs_par_range(j->n, point_parts(j->n), part, &lo, &hi);
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
            cell = cell * stride + b * p;
            if (c == 0 && d == 2)
                ws->brow[i] = (uint32_t)b;
        }
        ws->cell[i] = cell;
    }
    return HS_OK;
}

/* ---- 1-d: one charge per part ---- */

/* Charge q: spread onto the nodes (the first half of the padded grid),
 * convolved with the kernel by FFT; the potentials are left at the same
 * nodes of the same grid. */
static int
charge_part_1d(void *ctx, size_t q)
{
    struct fft_job *j = ctx;
    struct hs_tsne_fft *ws = j->ws;
    size_t p = j->p, M = ws->M, half = M / 2 + 1;
    float *g = ws->grid[q];
    fftwf_complex *t = ws->tr[q];
    if (job_stopped(j))
        return HS_ECANCELLED;
    memset(g, 0, M * sizeof *g);
    for (size_t i = 0; i < j->n; i++) {
        const double *w = ws->wts + i * p;
        double charge = q == 0 ? 1 : j->y[i];
        float *at = g + ws->cell[i];
        for (size_t a = 0; a < p; a++)
            at[a] += (float)(w[a] * charge);
    }
    fftwf_execute_dft_r2c(ws->fwd, g, t);
    if (q == 0) {
        /* sum over x of G(x) (w * G)(x) = sum over frequencies f of
         * |G^(f)|^2 w^(f) / M; the half spectrum r2c keeps stands for
         * its mirror image too, except at 0 and M / 2. */
        double z = 0;
        for (size_t k = 0; k < half; k++) {
            double re = t[k][0], im = t[k][1];
            z += (k == 0 || 2 * k == M ? 1 : 2) * (re * re + im * im) * ws->cauchy[k];
        }
        j->zsum = z - (double)j->n;
    }
    for (size_t k = 0; k < half; k++) {
        t[k][0] *= ws->kern[k];
        t[k][1] *= ws->kern[k];
    }
    fftwf_execute_dft_c2r(ws->inv, t, g);
    return HS_OK;
}

static int
gather_part_1d(void *ctx, size_t part)
{
    struct fft_job *j = ctx;
    struct hs_tsne_fft *ws = j->ws;
    size_t lo, hi, p = j->p;
    if (job_stopped(j))
        return HS_ECANCELLED;
    hs_par_range(j->n, point_parts(j->n), part, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        const double *w = ws->wts + i * p;
        double phi[2] = {0, 0};
        for (size_t q = 0; q < 2; q++)
            for (size_t a = 0; a < p; a++)
                phi[q] += w[a] * ws->grid[q][ws->cell[i] + a];
        j->rep[i] = j->y[i] * phi[0] - phi[1];
    }
    return HS_OK;
}

/* The Cauchy kernel w (power 1) or its square (power 2) between nodes
 * spaced h apart, at grid offset o (o == nodes: the circulant grid's
 * middle, 0); with uc > 0 its far part (hs_tsne_far_kernel). */
static double
kernel_at(long oa, long ob, double h, int power, double uc)
{
    return hs_tsne_far_kernel(h * h * (double)(oa * oa + ob * ob), uc, power);
}

double
hs_tsne_far_kernel(double u, double uc, int power)
{
    if (u >= uc)
        return power == 2 ? 1 / ((1 + u) * (1 + u)) : 1 / (1 + u);
    double k = power, g = 1 / (1 + uc), f = power == 2 ? g * g : g, t = u - uc;
    return f * (1 - k * g * t + 0.5 * k * (k + 1) * g * g * t * t);
}

/* Offset of circulant index a of M with `nodes` nodes; -1 as "none". */
static long
circ_offset(size_t a, size_t nodes, size_t M, int *none)
{
    *none = a == nodes;
    return a < nodes ? (long)a : (long)a - (long)M;
}

/* The 1-d kernel's transform.  The kernel is even, so its transform is
 * real; the inverse transform's 1 / M is folded in. */
static void
kernel_transform_1d(struct hs_tsne_fft *ws, size_t nodes, double h, int power, double uc,
                    float *out)
{
    size_t M = ws->M;
    float *g = ws->grid[0];
    for (size_t b = 0; b < M; b++) {
        int none;
        long ob = circ_offset(b, nodes, M, &none);
        g[b] = none ? 0 : (float)kernel_at(0, ob, h, power, uc);
    }
    fftwf_execute_dft_r2c(ws->fwd, g, ws->tr[0]);
    for (size_t k = 0; k < M / 2 + 1; k++)
        out[k] = (float)(ws->tr[0][k][0] / (double)M);
}

/* ---- 2-d: parts over box rows and over columns ---- */

/* The real row r of charge q's buffer. */
static float *
row_of(const struct hs_tsne_fft *ws, size_t q, size_t r)
{
    return ws->real[q] + r * ws->rs;
}

/* Point i's charges (1, y_i0, y_i1) spread onto the p x p nodes from
 * cell on; inline, so that p = 3 is unrolled. */
static inline void
spread_point(float *const g[3], size_t cell, size_t stride, const double *w, size_t p,
             const double *yi)
{
    for (size_t a = 0; a < p; a++)
        for (size_t b = 0; b < p; b++) {
            double wab = w[a] * w[p + b];
            size_t at = cell + a * stride + b;
            g[0][at] += (float)wab;
            g[1][at] += (float)(wab * yi[0]);
            g[2][at] += (float)(wab * yi[1]);
        }
}

/* Box row bb: the charges of its points spread onto its p node rows,
 * which are then transformed.  Only these points touch these rows. */
static int
spread_part(void *ctx, size_t bb)
{
    struct fft_job *j = ctx;
    struct hs_tsne_fft *ws = j->ws;
    size_t p = j->p, M = ws->M, r0 = bb * p, stride = ws->rs;
    if (job_stopped(j))
        return HS_ECANCELLED;
    for (size_t q = 0; q < 3; q++)
        for (size_t r = r0; r < r0 + p; r++)
            memset(row_of(ws, q, r), 0, M * sizeof(float));
    float *const g[3] = {row_of(ws, 0, 0), row_of(ws, 1, 0), row_of(ws, 2, 0)};
    for (size_t k = ws->bstart[bb]; k < ws->bstart[bb + 1]; k++) {
        size_t i = ws->order[k];
        const double *w = ws->wts + i * 2 * p, *yi = j->y + 2 * i;
        if (p == 3)
            spread_point(g, ws->cell[i], stride, w, 3, yi);
        else
            spread_point(g, ws->cell[i], stride, w, p, yi);
    }
    for (size_t q = 0; q < 3; q++)
        fftwf_execute_dft_r2c(ws->rows_f, row_of(ws, q, r0), ws->buf[q] + r0 * ws->cs);
    return HS_OK;
}

/* Columns of one part: forward, Z's share (charge 1), the product with
 * the kernel, backward. */
static int
columns_part(void *ctx, size_t part)
{
    struct fft_job *j = ctx;
    struct hs_tsne_fft *ws = j->ws;
    size_t M = ws->M, cs = ws->cs, nc;
    fftwf_plan f, b;
    size_t c0 = col_batch(ws, part, &nc, &f, &b);
    fftwf_complex *t[3] = {ws->buf[0] + c0, ws->buf[1] + c0, ws->buf[2] + c0};
    size_t bw = ws->bw;
    const float *kern = ws->kern + part * M * bw, *cauchy = ws->cauchy + part * M * bw;
    /* sum over x of G(x) (w * G)(x) = sum over frequencies f of
     * |G^(f)|^2 w^(f) / M^2; the half spectrum r2c keeps stands for its
     * mirror image too, except in columns 0 and M / 2. */
    float twice[FFT_MAX_COLS];
    double z = 0;
    if (job_stopped(j))
        return HS_ECANCELLED;
    for (size_t c = 0; c < nc; c++)
        twice[c] = c0 + c == 0 || 2 * (c0 + c) == M ? 1 : 2;
    for (size_t q = 0; q < 3; q++) {
        for (size_t r = M / 2; r < M; r++)
            memset(t[q] + r * cs, 0, nc * sizeof *t[q]);
        fftwf_execute_dft(f, t[q], t[q]);
    }
    for (size_t r = 0; r < M; r++) {
        fftwf_complex *t0 = t[0] + r * cs, *t1 = t[1] + r * cs, *t2 = t[2] + r * cs;
        const float *kr = kern + r * bw, *wr = cauchy + r * bw;
        float zr = 0;
        for (size_t c = 0; c < nc; c++) {
            zr += twice[c] * (t0[c][0] * t0[c][0] + t0[c][1] * t0[c][1]) * wr[c];
            t0[c][0] *= kr[c];
            t0[c][1] *= kr[c];
            t1[c][0] *= kr[c];
            t1[c][1] *= kr[c];
            t2[c][0] *= kr[c];
            t2[c][1] *= kr[c];
        }
        z += zr;
    }
    for (size_t q = 0; q < 3; q++)
        fftwf_execute_dft(b, t[q], t[q]);
    ws->zpart[part] = z;
    return HS_OK;
}

/* Point i's potentials from the p x p nodes from cell on (inline, as
 * spread_point). */
static inline void
gather_point(const float *const g[3], size_t cell, size_t stride, const double *w, size_t p,
             double phi[3])
{
    phi[0] = phi[1] = phi[2] = 0;
    for (size_t a = 0; a < p; a++) {
        double r0 = 0, r1 = 0, r2 = 0;
        for (size_t b = 0; b < p; b++) {
            size_t at = cell + a * stride + b;
            r0 += w[p + b] * g[0][at];
            r1 += w[p + b] * g[1][at];
            r2 += w[p + b] * g[2][at];
        }
        phi[0] += w[a] * r0;
        phi[1] += w[a] * r1;
        phi[2] += w[a] * r2;
    }
}

/* Box row bb: its p node rows transformed back, then its points'
 * potentials gathered into their repulsion. */
static int
gather_part_2d(void *ctx, size_t bb)
{
    struct fft_job *j = ctx;
    struct hs_tsne_fft *ws = j->ws;
    size_t p = j->p, r0 = bb * p, stride = ws->rs;
    if (job_stopped(j))
        return HS_ECANCELLED;
    for (size_t q = 0; q < 3; q++)
        fftwf_execute_dft_c2r(ws->rows_b, ws->buf[q] + r0 * ws->cs, row_of(ws, q, r0));
    const float *const g[3] = {row_of(ws, 0, 0), row_of(ws, 1, 0), row_of(ws, 2, 0)};
    for (size_t k = ws->bstart[bb]; k < ws->bstart[bb + 1]; k++) {
        size_t i = ws->order[k];
        const double *w = ws->wts + i * 2 * p, *yi = j->y + 2 * i;
        double phi[3];
        if (p == 3)
            gather_point(g, ws->cell[i], stride, w, 3, phi);
        else
            gather_point(g, ws->cell[i], stride, w, p, phi);
        j->rep[2 * i] = yi[0] * phi[0] - phi[1];
        j->rep[2 * i + 1] = yi[1] * phi[0] - phi[2];
    }
    return HS_OK;
}

/* The 2-d kernels' transforms: w^2 made in buf[0], w in buf[1]; rows
 * (part: p of them) then columns. */
struct kernel_job {
    struct hs_tsne_fft *ws;
    size_t nodes, p;
    double h, uc;
};

static int
kernel_rows_part(void *ctx, size_t part)
{
    struct kernel_job *k = ctx;
    struct hs_tsne_fft *ws = k->ws;
    size_t M = ws->M, r0 = part * k->p;
    for (size_t pw = 0; pw < 2; pw++) {
        for (size_t a = r0; a < r0 + k->p; a++) {
            int none_a, none_b;
            long oa = circ_offset(a, k->nodes, M, &none_a);
            float *row = row_of(ws, pw, a);
            for (size_t b = 0; b < M; b++) {
                long ob = circ_offset(b, k->nodes, M, &none_b);
                row[b] = none_a || none_b ? 0 : (float)kernel_at(oa, ob, k->h, 2 - (int)pw, k->uc);
            }
        }
        fftwf_execute_dft_r2c(ws->rows_f, row_of(ws, pw, r0), ws->buf[pw] + r0 * ws->cs);
    }
    return HS_OK;
}

static int
kernel_cols_part(void *ctx, size_t part)
{
    struct kernel_job *k = ctx;
    struct hs_tsne_fft *ws = k->ws;
    size_t M = ws->M, cs = ws->cs, nc;
    fftwf_plan f, b;
    size_t c0 = col_batch(ws, part, &nc, &f, &b);
    double norm = 1 / ((double)M * (double)M);
    for (size_t pw = 0; pw < 2; pw++) {
        fftwf_complex *t = ws->buf[pw] + c0;
        float *out = pw == 0 ? ws->kern : ws->cauchy;
        fftwf_execute_dft(f, t, t);
        for (size_t r = 0; r < M; r++)
            for (size_t c = 0; c < nc; c++)
                out[(part * M + r) * ws->bw + c] = (float)(t[r * cs + c][0] * norm);
    }
    return HS_OK;
}

/* The workspace's arrays for n points of d dimensions with p nodes per box. */
static int
ws_points(struct hs_tsne_fft *ws, size_t n, size_t d, size_t p)
{
    size_t blocks = point_parts(n);
    if (ws->mmcap < blocks) {
        hs_free(ws->mm);
        ws->mm = hs_malloc(2 * blocks * sizeof *ws->mm);
        ws->mmcap = ws->mm ? blocks : 0;
        if (!ws->mm)
            return -1;
    }
    if (ws->ncap >= n * d * p)
        return 0;
    hs_free(ws->wts);
    hs_free(ws->cell);
    hs_free(ws->brow);
    hs_free(ws->order);
    ws->wts = hs_malloc(n * d * p * sizeof *ws->wts);
    ws->cell = hs_malloc(n * sizeof *ws->cell);
    ws->brow = hs_malloc(n * sizeof *ws->brow);
    ws->order = hs_malloc(n * sizeof *ws->order);
    ws->ncap = ws->wts && ws->cell && ws->brow && ws->order ? n * d * p : 0;
    return ws->ncap ? 0 : -1;
}

/* The points sorted by box row (a counting sort: each row's in index order). */
static void
bucket_rows(struct hs_tsne_fft *ws, size_t n)
{
    size_t nb = ws->nb;
    memset(ws->bstart, 0, (nb + 1) * sizeof *ws->bstart);
    for (size_t i = 0; i < n; i++)
        ws->bstart[ws->brow[i] + 1]++;
    for (size_t b = 0; b < nb; b++)
        ws->bstart[b + 1] += ws->bstart[b];
    for (size_t i = 0; i < n; i++)
        ws->order[ws->bstart[ws->brow[i]]++] = (uint32_t)i;
    for (size_t b = nb; b > 0; b--)
        ws->bstart[b] = ws->bstart[b - 1];
    ws->bstart[0] = 0;
}

int
hs_tsne_repulsion_fft(struct hs_tsne_fft **wsp, const double *y, size_t n, size_t d,
                      size_t min_boxes, size_t max_boxes, size_t p, double *rep, double *Z,
                      int threads,
                      const struct hs_task *task, struct hs_err *err)
{
    return hs_tsne_repulsion_fft_far(wsp, y, n, d, min_boxes, max_boxes, 1, p, 0, rep, Z, threads,
                                     task, err);
}

int
hs_tsne_repulsion_fft_far(struct hs_tsne_fft **wsp, const double *y, size_t n, size_t d,
                          size_t min_boxes, size_t max_boxes, double unit, size_t p, double uc,
                          double *rep, double *Z, int threads, const struct hs_task *task,
                          struct hs_err *err)
{
    struct hs_tsne_fft *ws = *wsp;
    double spacing[FFT_MAX_NODES], mn = INFINITY, mx = -INFINITY;
    int nth = threads > 0 ? threads : hs_par_threads();

    if (d < 1 || d > 2 || p < 2 || p > FFT_MAX_NODES)
        return hs_err_set(err, HS_EUSAGE,
                          "t-SNE's FFT method embeds in 1 or 2 dimensions, not %zu", d);
    if (n > UINT32_MAX)
        return hs_err_set(err, HS_EUSAGE, "t-SNE's FFT method takes at most %u points",
                          (unsigned)UINT32_MAX);
    if (!ws) {
        ws = *wsp = hs_calloc(1, sizeof *ws);
        if (!ws)
            return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's FFT grid");
    }
    if (ws_points(ws, n, d, p))
        return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's FFT grid");
    size_t nparts = point_parts(n);
    struct fft_job j = {.ws = ws, .y = y, .n = n, .d = d, .p = p, .rep = rep, .task = task};
    atomic_init(&j.stop, 0);
    hs_par_run(nparts, nth, extent_part, &j);
    for (size_t k = 0; k < nparts; k++) {
        mn = ws->mm[2 * k] < mn ? ws->mm[2 * k] : mn;
        mx = ws->mm[2 * k + 1] > mx ? ws->mm[2 * k + 1] : mx;
    }
    double extent = mx - mn > 1e-300 ? mx - mn : 1e-300;
    size_t nb = round_boxes((size_t)fmax((double)min_boxes, ceil(extent / unit)));
    if (nb > max_boxes && max_boxes >= min_boxes)
        nb = max_boxes;
    size_t nodes = nb * p;
    /* The width rounded up to its step, with room for rounding in the
     * boxes' arithmetic. */
    double width = exp2(ceil(log2(extent / (double)nb * (1 + 1e-12)) * FFT_WIDTH_STEPS) /
                        FFT_WIDTH_STEPS);
    for (size_t a = 0; a < p; a++)
        spacing[a] = ((double)a + 0.5) / (double)p;

    if (ws_grid(ws, d, 2 * nodes, p))
        return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's FFT grid");
    if (ws->width != width || ws->nodes != nodes || ws->uc != uc) {
        double hn = width / (double)p;
        if (d == 1) {
            kernel_transform_1d(ws, nodes, hn, 2, uc, ws->kern);
            kernel_transform_1d(ws, nodes, hn, 1, uc, ws->cauchy);
        } else {
            struct kernel_job kj = {.ws = ws, .nodes = nodes, .p = p, .h = hn, .uc = uc};
            hs_par_run(2 * nb, nth, kernel_rows_part, &kj);
            hs_par_run(col_parts(ws), nth, kernel_cols_part, &kj);
        }
        ws->width = width;
        ws->nodes = nodes;
        ws->uc = uc;
    }
    j.nb = nb;
    j.nodes = nodes;
    j.lo = mn;
    j.width = width;
    j.spacing = spacing;
    int rc = hs_par_run(nparts, nth, weights_part, &j);
    if (d == 1) {
        if (!rc)
            rc = hs_par_run(2, nth, charge_part_1d, &j);
        if (!rc)
            rc = hs_par_run(nparts, nth, gather_part_1d, &j);
    } else {
        if (!rc) {
            bucket_rows(ws, n);
            rc = hs_par_run(nb, nth, spread_part, &j);
        }
        if (!rc)
            rc = hs_par_run(col_parts(ws), nth, columns_part, &j);
        if (!rc)
            rc = hs_par_run(nb, nth, gather_part_2d, &j);
        if (!rc) {
            double z = 0;
            for (size_t k = 0; k < col_parts(ws); k++)
                z += ws->zpart[k];
            j.zsum = z - (double)n;
        }
    }
    if (!rc)
        *Z = j.zsum;
    return rc ? hs_err_set(err, HS_ECANCELLED, "t-SNE cancelled") : HS_OK;
}

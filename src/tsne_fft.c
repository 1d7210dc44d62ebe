/* tsne_fft.c: t-SNE's repulsive forces by FFT-accelerated interpolation
 * (Linderman, Rachh, Hoskins, Steinerberger and Kluger 2019, "FIt-SNE").
 *
 * The sums sum_j K(y_i, y_j) q_j of the squared Cauchy kernel K = w^2
 * for the charges q_j = 1, y_j (each coordinate) and |y_j|^2 give both
 * the repulsion and Z:
 *   sum_j w_ij^2 (y_i - y_j) = y_i phi_1(i) - phi_y(i),
 *   sum_j w_ij = sum_j w_ij^2 (1 + |y_i - y_j|^2)
 *              = (1 + |y_i|^2) phi_1 - 2 y_i . phi_y + phi_|y|^2,
 * where j = i adds 0 to the first and 1 to the second (taken off).
 * The square holding the points is cut into boxes (at least min_boxes
 * per side, and one per unit of extent, rounded up to a size FFTW does
 * fast), each with p equispaced interpolation nodes per side: each
 * point spreads its charges onto the nodes of its box with Lagrange
 * weights, the node-to-node sums are a convolution with a Toeplitz
 * kernel done by FFT on a grid twice as wide (zero padded), and each
 * point gathers its potentials back with the same weights.  Accuracy is
 * that of degree p - 1 interpolation of a smooth kernel over a box of
 * width at most 1: about 1e-3 relative for p = 3, as the paper reports.
 *
 * The spreading is a serial pass (a scatter); the weights and the
 * gathering run as par.h parts over fixed blocks of points.  FFTW plans
 * are made with FFTW_ESTIMATE, so the result depends only on the data.
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

struct hs_tsne_fft {
    size_t d, M;                /* grid of M^d (M = 2 x nodes per side) */
    double *in;                 /* M^d, fftw_malloc */
    fftw_complex *kf, *cf;      /* the kernel's and a charge's transforms */
    fftw_plan fwd, inv;
    size_t ncap;                /* points the arrays below hold (times d p for wts) */
    double *wts;                /* n x d x p Lagrange weights */
    size_t *cell;               /* n: the index of the first node of its box */
    double *pot;                /* (d + 2) x nodes^d potentials */
    size_t potcap;
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
        fftw_destroy_plan(ws->fwd);
    if (ws->inv)
        fftw_destroy_plan(ws->inv);
    fftw_free(ws->in);
    fftw_free(ws->kf);
    fftw_free(ws->cf);
    ws->fwd = ws->inv = NULL;
    ws->in = NULL;
    ws->kf = ws->cf = NULL;
    ws->M = 0;
}

void
hs_tsne_fft_release(struct hs_tsne_fft *ws)
{
    if (!ws)
        return;
    grid_free(ws);
    hs_free(ws->wts);
    hs_free(ws->cell);
    hs_free(ws->pot);
    hs_free(ws);
}

/* FFTW's buffers and plans for a grid of M per side. */
static int
ws_grid(struct hs_tsne_fft *ws, size_t d, size_t M)
{
    size_t total = d == 1 ? M : M * M, half = d == 1 ? M / 2 + 1 : M * (M / 2 + 1);
    if (ws->M == M && ws->d == d)
        return 0;
    grid_free(ws);
    ws->in = fftw_malloc(total * sizeof *ws->in);
    ws->kf = fftw_malloc(half * sizeof *ws->kf);
    ws->cf = fftw_malloc(half * sizeof *ws->cf);
    if (!ws->in || !ws->kf || !ws->cf)
        return -1;
    if (d == 1) {
        ws->fwd = fftw_plan_dft_r2c_1d((int)M, ws->in, ws->cf, FFTW_ESTIMATE);
        ws->inv = fftw_plan_dft_c2r_1d((int)M, ws->cf, ws->in, FFTW_ESTIMATE);
    } else {
        ws->fwd = fftw_plan_dft_r2c_2d((int)M, (int)M, ws->in, ws->cf, FFTW_ESTIMATE);
        ws->inv = fftw_plan_dft_c2r_2d((int)M, (int)M, ws->cf, ws->in, FFTW_ESTIMATE);
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
    double *rep, *zpart;
    int gather;
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
fft_part(void *ctx, size_t part)
{
    struct fft_job *j = ctx;
    struct hs_tsne_fft *ws = j->ws;
    size_t lo, hi, d = j->d, p = j->p, nodes = j->nodes, plane = d == 1 ? nodes : nodes * nodes;
    double z = 0;
    if (atomic_load(&j->stop) || hs_task_cancelled(j->task)) {
        atomic_store(&j->stop, 1);
        return HS_ECANCELLED;
    }
    hs_par_range(j->n, (j->n + FFT_BLOCK - 1) / FFT_BLOCK, part, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        const double *yi = j->y + i * d;
        double *w = ws->wts + i * d * p;
        if (!j->gather) {
            size_t cell = 0;
            for (size_t c = 0; c < d; c++) {
                double u = (yi[c] - j->lo) / j->width;
                size_t b = u <= 0 ? 0 : (size_t)u;
                if (b >= j->nb)
                    b = j->nb - 1;
                lagrange(j->spacing, p, u - (double)b, w + c * p);
                cell = cell * nodes + b * p;
            }
            ws->cell[i] = cell;
            continue;
        }
        /* Gather: phi_q for each charge q at point i. */
        double phi[4] = {0, 0, 0, 0};
        for (size_t q = 0; q < d + 2; q++) {
            const double *pot = ws->pot + q * plane + ws->cell[i];
            double s = 0;
            if (d == 1)
                for (size_t a = 0; a < p; a++)
                    s += w[a] * pot[a];
            else
                for (size_t a = 0; a < p; a++)
                    for (size_t b = 0; b < p; b++)
                        s += w[a] * w[p + b] * pot[a * nodes + b];
            phi[q] = s;
        }
        double y2 = 0, ydotphi = 0;
        for (size_t c = 0; c < d; c++) {
            j->rep[i * d + c] = yi[c] * phi[0] - phi[1 + c];
            y2 += yi[c] * yi[c];
            ydotphi += yi[c] * phi[1 + c];
        }
        z += (1 + y2) * phi[0] - 2 * ydotphi + phi[d + 1] - 1;
    }
    if (j->gather)
        j->zpart[part] = z;
    return HS_OK;
}

/* The squared Cauchy kernel between grid offsets, on the circulant grid,
 * transformed into ws->kf. */
static void
kernel_transform(struct hs_tsne_fft *ws, size_t nodes, double h)
{
    size_t M = ws->M, d = ws->d;
    for (size_t a = 0; a < (d == 1 ? 1 : M); a++)
        for (size_t b = 0; b < M; b++) {
            long oa = d == 1 ? 0 : (a < nodes ? (long)a : (long)a - (long)M);
            long ob = b < nodes ? (long)b : (long)b - (long)M;
            double v = 0;
            if ((d == 1 || a != nodes) && b != nodes) {
                double r2 = h * h * (double)(oa * oa + ob * ob);
                v = 1 / ((1 + r2) * (1 + r2));
            }
            ws->in[(d == 1 ? 0 : a * M) + b] = v;
        }
    fftw_execute(ws->fwd);
    size_t half = d == 1 ? M / 2 + 1 : M * (M / 2 + 1);
    memcpy(ws->kf, ws->cf, half * sizeof *ws->kf);
}

int
hs_tsne_repulsion_fft(struct hs_tsne_fft **wsp, const double *y, size_t n, size_t d,
                      size_t min_boxes, size_t p, double *rep, double *Z, int threads,
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
    size_t nodes = nb * p, plane = d == 1 ? nodes : nodes * nodes;
    double width = extent / (double)nb * (1 + 1e-12), h = width / (double)p;
    for (size_t a = 0; a < p; a++)
        spacing[a] = ((double)a + 0.5) / (double)p;

    if (ws_grid(ws, d, 2 * nodes))
        return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's FFT grid");
    if (ws->ncap < n * d * p) {
        hs_free(ws->wts);
        hs_free(ws->cell);
        ws->wts = hs_malloc(n * d * p * sizeof *ws->wts);
        ws->cell = hs_malloc(n * sizeof *ws->cell);
        ws->ncap = ws->wts && ws->cell ? n * d * p : 0;
        if (!ws->ncap)
            return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's FFT grid");
    }
    if (ws->potcap < (d + 2) * plane) {
        hs_free(ws->pot);
        ws->pot = hs_malloc((d + 2) * plane * sizeof *ws->pot);
        ws->potcap = ws->pot ? (d + 2) * plane : 0;
        if (!ws->pot)
            return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's FFT grid");
    }
    size_t nparts = (n + FFT_BLOCK - 1) / FFT_BLOCK;
    struct fft_job j = {.ws = ws, .y = y, .n = n, .d = d, .p = p, .nb = nb, .nodes = nodes,
                        .lo = mn, .width = width, .spacing = spacing, .rep = rep, .task = task};
    atomic_init(&j.stop, 0);
    j.zpart = hs_malloc((nparts ? nparts : 1) * sizeof *j.zpart);
    if (!j.zpart)
        return hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's FFT grid");
    if (hs_par_run(nparts, nth, fft_part, &j)) {
        hs_free(j.zpart);
        return hs_err_set(err, HS_ECANCELLED, "t-SNE cancelled");
    }

    kernel_transform(ws, nodes, h);
    size_t M = ws->M, half = d == 1 ? M / 2 + 1 : M * (M / 2 + 1), total = d == 1 ? M : M * M;
    double norm = 1 / (double)total;
    for (size_t q = 0; q < d + 2; q++) {
        /* Spread charge q onto the nodes (top-left corner of the padded grid). */
        memset(ws->in, 0, total * sizeof *ws->in);
        for (size_t i = 0; i < n; i++) {
            const double *yi = y + i * d, *w = ws->wts + i * d * p;
            double charge = q == 0 ? 1 : q <= d ? yi[q - 1] : 0;
            if (q == d + 1)
                for (size_t c = 0; c < d; c++)
                    charge += yi[c] * yi[c];
            size_t cell = ws->cell[i];
            if (d == 1) {
                for (size_t a = 0; a < p; a++)
                    ws->in[cell + a] += w[a] * charge;
            } else {
                size_t ca = cell / nodes, cb = cell % nodes;
                for (size_t a = 0; a < p; a++)
                    for (size_t b = 0; b < p; b++)
                        ws->in[(ca + a) * M + cb + b] += w[a] * w[p + b] * charge;
            }
        }
        fftw_execute(ws->fwd);
        for (size_t k = 0; k < half; k++) {
            double re = ws->cf[k][0] * ws->kf[k][0] - ws->cf[k][1] * ws->kf[k][1];
            double im = ws->cf[k][0] * ws->kf[k][1] + ws->cf[k][1] * ws->kf[k][0];
            ws->cf[k][0] = re * norm;
            ws->cf[k][1] = im * norm;
        }
        fftw_execute(ws->inv);
        double *pot = ws->pot + q * plane;
        if (d == 1)
            memcpy(pot, ws->in, nodes * sizeof *pot);
        else
            for (size_t a = 0; a < nodes; a++)
                memcpy(pot + a * nodes, ws->in + a * M, nodes * sizeof *pot);
    }

    j.gather = 1;
    if (hs_par_run(nparts, nth, fft_part, &j)) {
        hs_free(j.zpart);
        return hs_err_set(err, HS_ECANCELLED, "t-SNE cancelled");
    }
    double z = 0;
    for (size_t k = 0; k < nparts; k++)
        z += j.zpart[k];
    *Z = z;
    hs_free(j.zpart);
    return HS_OK;
}

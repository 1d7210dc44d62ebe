/* tsne_split.c: t-SNE's repulsion for maps spread over many units, by a
 * particle-mesh split of the kernels.
 *
 * FIt-SNE's grid (tsne_fft.c) has one box of p = 3 nodes per unit of
 * the map because the kernels bend on a scale of 1 near r = 0; maps of
 * 200,000 to 1,000,000 points spread over 500 to 1,000 units with some
 * 2 points per unit^2 against the grid's 9 nodes, and the grid's
 * transforms become the cost.  Here each kernel (1 + u)^-k, u = r^2,
 * is split into a far part that is smooth on the scale of rc (the
 * kernel beyond rc, a quadratic in u inside: hs_tsne_far_kernel) and a
 * near part, the difference, zero beyond rc.  The far parts go through
 * the same interpolation and FFT on boxes some 2 units wide; the near
 * parts are summed over the pairs closer than rc found through a cell
 * list (cells rc / 2 wide, the points copied in cell order so each
 * point's 5 x 5 cells are five contiguous runs, the inner loop in
 * vectors).
 * Z: the FFT's sum counts each point's own far(0) - 1 wrong, and the
 * near sum over its own pair adds 1 - far(0) back.
 *
 * Parallel over rows of cells (par.h parts fixed by the map alone, each
 * point's sums in a fixed order, Z summed row by row afterwards), so one
 * thread and two give the same bits; each row checks the cancel flag.
 */
#include "config.h"

#include "tsne.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "mem.h"
#include "par.h"
#include "simd_clones.h"

/* Cells rc / SPLIT_SPAN wide, each point's pairs looked for in the
 * (2 SPLIT_SPAN + 1)^2 cells around its own: 2 looks at 6.25 rc^2 of
 * the map per point against 9 rc^2 for cells rc wide. */
#define SPLIT_SPAN 2

struct near_job {
    size_t ncx, ncy;
    double uc;
    const size_t *cstart;      /* ncx * ncy + 1: each cell's first point in cell order */
    const double *xs, *ys;     /* the points in cell order */
    const uint32_t *idx;       /* their indices */
    double *rep, *zrow;        /* zrow: each cell row's share of Z */
    const struct hs_task *task;
    atomic_int stop;
};

/* Four doubles, and the masks their comparisons give (GCC's and Clang's
 * vector extension). */
typedef double v4 __attribute__((vector_size(32)));
typedef long long v4i __attribute__((vector_size(32)));

/* The near sums of the points of cell row cy, added to rep. */
HS_CLONES static int
near_part(void *ctx, size_t cy)
{
    struct near_job *j = ctx;
    if (atomic_load(&j->stop) || hs_task_cancelled(j->task)) {
        atomic_store(&j->stop, 1);
        return 1;
    }
    double uc = j->uc, z = 0, g = 1 / (1 + uc);
    /* The far kernels inside uc in powers of t = u - uc
     * (hs_tsne_far_kernel's quadratics, expanded). */
    const double c2[3] = {g * g, -2 * g * g * g, 3 * g * g * g * g};
    const double c1[3] = {g, -g * g, g * g * g};
    const v4 one = {1, 1, 1, 1}, vuc = {uc, uc, uc, uc};
    const v4 c20 = {c2[0], c2[0], c2[0], c2[0]}, c21 = {c2[1], c2[1], c2[1], c2[1]};
    const v4 c22 = {c2[2], c2[2], c2[2], c2[2]}, c10 = {c1[0], c1[0], c1[0], c1[0]};
    const v4 c11 = {c1[1], c1[1], c1[1], c1[1]}, c12 = {c1[2], c1[2], c1[2], c1[2]};
    const double *xs = j->xs, *ys = j->ys;
    size_t ncx = j->ncx;
    for (size_t cx = 0; cx < ncx; cx++) {
        size_t c = cy * ncx + cx;
        for (size_t a = j->cstart[c]; a < j->cstart[c + 1]; a++) {
            double xa = xs[a], ya = ys[a];
            size_t r1 = cy + SPLIT_SPAN < j->ncy ? cy + SPLIT_SPAN : j->ncy - 1;
            size_t x0 = cx > SPLIT_SPAN ? cx - SPLIT_SPAN : 0;
            size_t x1 = cx + SPLIT_SPAN + 1 < ncx ? cx + SPLIT_SPAN + 1 : ncx;
            v4 vfx = {0, 0, 0, 0}, vfy = {0, 0, 0, 0}, vza = {0, 0, 0, 0};
            const v4 vxa = {xa, xa, xa, xa}, vya = {ya, ya, ya, ya};
            for (size_t ry = cy > SPLIT_SPAN ? cy - SPLIT_SPAN : 0; ry <= r1; ry++) {
                size_t lo = j->cstart[ry * ncx + x0], hi = j->cstart[ry * ncx + x1];
                const v4 vhi = {(double)hi, (double)hi, (double)hi, (double)hi};
                /* Four pairs at a time in four fixed lanes (the same bits
                 * with SSE2 or AVX); lanes past hi read the next points
                 * (or the padding) and are masked off. */
                for (size_t b = lo; b < hi; b += 4) {
                    v4 bx, by;
                    memcpy(&bx, xs + b, sizeof bx);
                    memcpy(&by, ys + b, sizeof by);
                    v4 dx = vxa - bx, dy = vya - by, u = dx * dx + dy * dy;
                    v4 w = one / (one + u), t = u - vuc;
                    v4 past = {(double)b, (double)(b + 1), (double)(b + 2), (double)(b + 3)};
                    v4i in = (u < vuc) & (past < vhi);
                    v4 n2 = w * w - (c20 + t * (c21 + t * c22));
                    v4 n1 = w - (c10 + t * (c11 + t * c12));
                    n2 = (v4)((v4i)n2 & in);
                    n1 = (v4)((v4i)n1 & in);
                    vfx += n2 * dx;
                    vfy += n2 * dy;
                    vza += n1;
                }
            }
            double fx = (vfx[0] + vfx[1]) + (vfx[2] + vfx[3]);
            double fy = (vfy[0] + vfy[1]) + (vfy[2] + vfy[3]);
            double za = (vza[0] + vza[1]) + (vza[2] + vza[3]);
            j->rep[2 * j->idx[a]] += fx;
            j->rep[2 * j->idx[a] + 1] += fy;
            z += za;
        }
    }
    j->zrow[cy] = z;
    return 0;
}

/* Adds the near sums to rep and their share of Z (each point's own pair
 * included) to *Z.  HS_ENOMEM, HS_ECANCELLED. */
static int
near_sums(const double *y, size_t n, double rc, double *rep, double *Z, int threads,
          const struct hs_task *task, struct hs_err *err)
{
    double mn[2] = {INFINITY, INFINITY}, mx[2] = {-INFINITY, -INFINITY};
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < 2; c++) {
            mn[c] = fmin(mn[c], y[2 * i + c]);
            mx[c] = fmax(mx[c], y[2 * i + c]);
        }
    double cw = rc / SPLIT_SPAN;
    size_t ncx = (size_t)((mx[0] - mn[0]) / cw) + 1, ncy = (size_t)((mx[1] - mn[1]) / cw) + 1;
    size_t *cstart = hs_calloc(ncx * ncy + 1, sizeof *cstart);
    uint32_t *cell = hs_malloc(n * sizeof *cell), *idx = hs_malloc(n * sizeof *idx);
    /* 3 more: the near loop's last lanes read past the last point. */
    double *xs = hs_malloc((n + 3) * sizeof *xs), *ys = hs_malloc((n + 3) * sizeof *ys);
    double *zrow = hs_malloc(ncy * sizeof *zrow);
    int rc_ = HS_OK;
    if (!cstart || !cell || !idx || !xs || !ys || !zrow) {
        rc_ = hs_err_set(err, HS_ENOMEM, "out of memory for t-SNE's near sums");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        size_t cx = (size_t)((y[2 * i] - mn[0]) / cw), cy = (size_t)((y[2 * i + 1] - mn[1]) / cw);
        cx = cx < ncx ? cx : ncx - 1;
        cy = cy < ncy ? cy : ncy - 1;
        cell[i] = (uint32_t)(cy * ncx + cx);
        cstart[cell[i] + 1]++;
    }
    for (size_t c = 0; c < ncx * ncy; c++)
        cstart[c + 1] += cstart[c];
    for (size_t i = 0; i < n; i++) {
        size_t a = cstart[cell[i]]++;
        xs[a] = y[2 * i];
        ys[a] = y[2 * i + 1];
        idx[a] = (uint32_t)i;
    }
    for (size_t k = n; k < n + 3; k++)
        xs[k] = ys[k] = 0;
    for (size_t c = ncx * ncy; c > 0; c--)
        cstart[c] = cstart[c - 1];
    cstart[0] = 0;
    struct near_job j = {.ncx = ncx, .ncy = ncy, .uc = rc * rc, .cstart = cstart, .xs = xs,
                         .ys = ys, .idx = idx, .rep = rep, .zrow = zrow, .task = task};
    atomic_init(&j.stop, 0);
    if (hs_par_run(ncy, threads, near_part, &j)) {
        rc_ = hs_err_set(err, HS_ECANCELLED, "t-SNE cancelled");
        goto out;
    }
    for (size_t r = 0; r < ncy; r++)
        *Z += zrow[r];
out:
    hs_free(cstart);
    hs_free(cell);
    hs_free(idx);
    hs_free(xs);
    hs_free(ys);
    hs_free(zrow);
    return rc_;
}

int
hs_tsne_repulsion_split(struct hs_tsne_fft **ws, const double *y, size_t n, double box,
                        size_t p, double rc, size_t max_boxes, double *rep, double *Z,
                        int threads, const struct hs_task *task, struct hs_err *err)
{
    int nth = threads > 0 ? threads : hs_par_threads();
    if (n > UINT32_MAX)
        return hs_err_set(err, HS_EUSAGE, "t-SNE's FFT method takes at most %u points",
                          (unsigned)UINT32_MAX);
    int rc_ = hs_tsne_repulsion_fft_far(ws, y, n, 2, 1, max_boxes, box, p, rc * rc, rep, Z, nth,
                                        task, err);
    return rc_ ? rc_ : near_sums(y, n, rc, rep, Z, nth, task, err);
}

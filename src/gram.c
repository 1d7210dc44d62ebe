/* gram.c: G = sum_r w_r z_r z_r^T as parts of a par.h job (gram.h).
 *
 * Two ways to cut the work, combined.  Rows into chunks: each chunk sums
 * into its own p x p matrix, and the chunks are added in order at the
 * end; cheap when p is small and the rows many (Fisher on 500k events, 19
 * inputs).  The upper triangle of G into bands of rows of equal area:
 * each band is written by one part only, so no sum is needed; the way
 * when p is large (`corr` of 10,000 features), where a p x p matrix per
 * chunk would not fit.  A part is a (chunk, band) pair and walks its rows
 * in blocks: the fill writes the block's values of columns [a0, p) (a0 the
 * band's first row), a column after another (the data's own layout, so
 * that the copy is a gather, not a transpose), the weights scale the
 * band's own columns, and GEMMs
 * of at most GRAM_TILE columns of G add the block in, with a look at the
 * cancel flag between two.
 *
 * The BLAS runs on one thread in every part: our executor spreads the
 * parts, and OpenBLAS's own threads (an OpenMP team or its pthread
 * server) stall on a busy machine and may change the roundings.
 */
#include "config.h"

#include "gram.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#ifdef HAVE_OPENBLAS
#include <cblas.h>
#else
#include <gsl/gsl_cblas.h>
#endif

#include "mem.h"
#include "par.h"

/* Parts per logical thread, so that a helper slowed by another process
 * holds up a small share of the work while the caller takes the rest. */
#define GRAM_PARTS_PER_THREAD 4
/* A chunk has at least this many rows. */
#define GRAM_MIN_CHUNK_ROWS 8192
/* The chunks' partial sums take at most this many doubles (64 MB). */
#define GRAM_ACC_DOUBLES ((size_t)1 << 23)
/* A part's block of values takes at most this many doubles (16 MB). */
#define GRAM_BLOCK_DOUBLES ((size_t)1 << 21)
/* Rows per block at most: 1024 rows of 19 inputs stay in the cache. */
#define GRAM_MAX_BLOCK 1024
/* Columns of G per GEMM (a narrow tile skips more of the lower half of
 * a band's diagonal block; a wide one makes for an efficient GEMM). */
#define GRAM_TILE 256

/* OpenBLAS's pthread build ignores OpenMP's default and keeps one count
 * for the process: hold it at 1 for the job (returns the count to
 * restore, 0 for nothing). */
static int
blas_server_hold(void)
{
#ifdef HAVE_OPENBLAS
    if (openblas_get_parallel() == 1) {
        int prev = openblas_get_num_threads();
        openblas_set_num_threads(1);
        return prev;
    }
#endif
    return 0;
}

struct job {
    const struct hs_gram *g;
    size_t nc, nb;
    size_t *band; /* nb + 1 first rows of the bands */
    double *acc;  /* nc partial sums, p x p each (out itself when nc == 1) */
    const struct hs_task *task;
    atomic_int stop;
    struct hs_par_progress prog;
};

/* Cut the upper triangle's rows into nb bands of nearly equal area: row a
 * holds p - a products. */
static void
plan_bands(size_t p, size_t nb, size_t *band)
{
    double total = (double)p * (double)(p + 1) / 2, area = 0;
    size_t b = 1;

    band[0] = 0;
    for (size_t a = 0; a < p && b < nb; a++) {
        area += (double)(p - a);
        if (area >= total * (double)b / (double)nb && a + 1 < p)
            band[b++] = a + 1;
    }
    while (b <= nb)
        band[b++] = p;
}

static int
run_part(void *ctx, size_t part)
{
    struct job *j = ctx;
    const struct hs_gram *g = j->g;
    size_t c = part / j->nb, b = part % j->nb, p = g->p;
    size_t a0 = j->band[b], nrow = j->band[b + 1] - a0, width = p - a0;
    size_t lo, hi, block = GRAM_BLOCK_DOUBLES / width;
    double *acc = j->acc + c * p * p + a0 * p + a0, *z, *y, *w;
    int rc = HS_OK;

    if (nrow == 0)
        return HS_OK;
    hs_par_range(g->nrows, j->nc, c, &lo, &hi);
    if (block > GRAM_MAX_BLOCK)
        block = GRAM_MAX_BLOCK;
    if (block > hi - lo)
        block = hi - lo;
    if (block == 0)
        block = 1;
    z = hs_malloc(block * width * sizeof *z);
    y = hs_malloc(block * nrow * sizeof *y);
    w = hs_malloc(block * sizeof *w);
    if (!z || !y || !w) {
        rc = HS_ENOMEM;
        goto done;
    }
    for (size_t r0 = lo; r0 < hi && rc == HS_OK; r0 += block) {
        size_t len = hi - r0 < block ? hi - r0 : block;
        g->fill(g->ctx, r0, len, a0, z, w);
        for (size_t k = 0; k < nrow; k++)
            for (size_t r = 0; r < len; r++)
                y[k * len + r] = w[r] * z[k * len + r];
        for (size_t t0 = 0; t0 < width; t0 += GRAM_TILE) {
            size_t tc = width - t0 < GRAM_TILE ? width - t0 : GRAM_TILE;
            if (atomic_load_explicit(&j->stop, memory_order_relaxed) ||
                hs_task_cancelled(j->task)) {
                atomic_store(&j->stop, 1);
                rc = HS_ECANCELLED;
                break;
            }
            /* in the band's diagonal block, the rows that reach the tile */
            size_t mrow = t0 + tc < nrow ? t0 + tc : nrow;
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)mrow, (int)tc, (int)len,
                        1.0, y, (int)len, z + t0 * len, (int)len, 1.0, acc + t0, (int)p);
        }
        hs_par_progress_add(&j->prog, len);
    }
done:
    hs_free(z);
    hs_free(y);
    hs_free(w);
    return rc;
}

int
hs_gram_compute(const struct hs_gram *g, double *out, const struct hs_task *task,
                struct hs_err *err)
{
    size_t p = g->p, target = 1, nc, nb;
    int threads = g->threads > 0 ? g->threads : hs_par_threads(), rc, server;
    struct job j = {.g = g, .task = task};

    if (threads > 1)
        target = (size_t)threads * GRAM_PARTS_PER_THREAD;
    /* Chunks: as many as the parts wanted, if the rows and the memory for
     * their sums allow; the rest of the parts come from bands. */
    nc = g->nrows / GRAM_MIN_CHUNK_ROWS;
    if (nc > target)
        nc = target;
    if (nc > GRAM_ACC_DOUBLES / (p * p))
        nc = GRAM_ACC_DOUBLES / (p * p);
    if (nc < 1)
        nc = 1;
    nb = (target + nc - 1) / nc;
    if (nb > p)
        nb = p;
    j.nc = nc;
    j.nb = nb;
    j.band = hs_malloc((nb + 1) * sizeof *j.band);
    j.acc = nc == 1 ? out : hs_calloc(nc * p * p, sizeof *j.acc);
    if (!j.band || !j.acc) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if (nc == 1)
        memset(out, 0, p * p * sizeof *out);
    plan_bands(p, nb, j.band);
    atomic_init(&j.stop, 0);
    hs_par_progress_init(&j.prog, task, g->nrows * nb, g->what, false);
    server = blas_server_hold();
    rc = hs_par_run(nc * nb, threads, run_part, &j);
#ifdef HAVE_OPENBLAS
    if (server > 0)
        openblas_set_num_threads(server);
#else
    (void)server;
#endif
    if (rc == HS_OK) {
        hs_task_progress(task, 1, g->what);
        if (hs_task_cancelled(task))
            rc = HS_ECANCELLED;
    }
    if (rc) {
        rc = rc == HS_ECANCELLED ? hs_err_set(err, rc, "%s: cancelled", g->what)
                                 : hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    /* The chunks in order, then the lower half from the upper. */
    for (size_t a = 0; a < p; a++)
        for (size_t k = a; k < p; k++) {
            if (nc > 1) {
                long double s = 0;
                for (size_t c = 0; c < nc; c++)
                    s += j.acc[c * p * p + a * p + k];
                out[a * p + k] = (double)s;
            }
            out[k * p + a] = out[a * p + k];
        }
done:
    hs_free(j.band);
    if (j.acc != out)
        hs_free(j.acc);
    return rc;
}

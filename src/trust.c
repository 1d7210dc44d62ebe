/* trust.c: trustworthiness (trust.h).
 *
 * For each point, its k nearest in the embedding (a bounded insertion
 * list over all m points), then the input-space rank of each of them by
 * counting the points nearer to it than it in the input space: O(m^2
 * (dx + k)) in all and O(m) memory per thread, where scikit-learn sorts
 * the full m x m distance matrix.  The sum is of whole numbers, added per
 * part and then in part order, so it is exact and the same for every
 * thread count.
 */
#include "config.h"

#include "trust.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "knn.h"
#include "mem.h"
#include "par.h"
#include "rng.h"

/* Points per part. */
#define TRUST_BLOCK 32

struct trust_job {
    const double *x, *y;
    size_t dx, dy, m, k;
    const size_t *rows;  /* m: the points used */
    double *scratch;     /* m per slot: input distances */
    size_t *nbr;         /* k per slot */
    unsigned long long *part_sum;
    const struct hs_task *task;
    atomic_int stop;
    struct hs_par_progress prog;
};

/* (d, j) before (e, l): the order of ranks. */
static int
closer(double d, size_t j, double e, size_t l)
{
    return d < e || (d == e && j < l);
}

static int
trust_part(void *ctx, size_t part)
{
    struct trust_job *j = ctx;
    size_t lo = part * TRUST_BLOCK, hi = lo + TRUST_BLOCK < j->m ? lo + TRUST_BLOCK : j->m;
    int slot = hs_par_slot();
    double *dist = j->scratch + (size_t)slot * j->m;
    size_t *nbr = j->nbr + (size_t)slot * j->k;
    double nd[64];
    unsigned long long sum = 0;

    if (atomic_load(&j->stop) || hs_task_cancelled(j->task)) {
        atomic_store(&j->stop, 1);
        return HS_ECANCELLED;
    }
    for (size_t a = lo; a < hi; a++) {
        const double *ya = j->y + j->rows[a] * j->dy, *xa = j->x + j->rows[a] * j->dx;
        size_t cnt = 0;
        /* The k nearest in the embedding, kept sorted by insertion. */
        for (size_t b = 0; b < j->m; b++) {
            if (b == a)
                continue;
            double d = hs_knn_sqdist(ya, j->y + j->rows[b] * j->dy, j->dy);
            if (cnt == j->k && !closer(d, b, nd[cnt - 1], nbr[cnt - 1]))
                continue;
            size_t at = cnt < j->k ? cnt++ : cnt - 1;
            while (at > 0 && closer(d, b, nd[at - 1], nbr[at - 1])) {
                nd[at] = nd[at - 1];
                nbr[at] = nbr[at - 1];
                at--;
            }
            nd[at] = d;
            nbr[at] = b;
        }
        for (size_t b = 0; b < j->m; b++)
            dist[b] = hs_knn_sqdist(xa, j->x + j->rows[b] * j->dx, j->dx);
        /* Input rank of each: 1 + the other points closer to a than it. */
        for (size_t c = 0; c < j->k; c++) {
            size_t b = nbr[c], rank = 1;
            for (size_t o = 0; o < j->m; o++)
                rank += o != a && closer(dist[o], o, dist[b], b);
            if (rank > j->k)
                sum += rank - j->k;
        }
    }
    j->part_sum[part] = sum;
    hs_par_progress_add(&j->prog, hi - lo);
    return HS_OK;
}

int
hs_trustworthiness(const double *x, size_t dx, const double *y, size_t dy, size_t n,
                   size_t k, size_t max_points, uint64_t seed, double *out, int threads,
                   const struct hs_task *task, struct hs_err *err)
{
    size_t m = max_points && n > max_points ? max_points : n;
    int nth = threads > 0 ? threads : hs_par_threads(), rc = HS_OK;
    struct trust_job j = {.x = x, .y = y, .dx = dx, .dy = dy, .m = m, .k = k, .task = task};
    size_t nparts = (m + TRUST_BLOCK - 1) / TRUST_BLOCK;

    if (k < 1 || k > 64 || 2 * k >= m)
        return hs_err_set(err, HS_EUSAGE,
                          "trustworthiness with %zu neighbours needs more than %zu points (and "
                          "k from 1 to 64); there are %zu",
                          k, 2 * k, m);
    for (size_t i = 0; i < n * dx; i++)
        if (!isfinite(x[i]))
            return hs_err_set(err, HS_EDATA, "trustworthiness: point %zu has a missing input",
                              i / dx + 1);
    for (size_t i = 0; i < n * dy; i++)
        if (!isfinite(y[i]))
            return hs_err_set(err, HS_EDATA,
                              "trustworthiness: point %zu has no embedded coordinates",
                              i / dy + 1);
    size_t *rows = hs_malloc(m * sizeof *rows);
    j.scratch = hs_malloc((size_t)nth * m * sizeof *j.scratch);
    j.nbr = hs_malloc((size_t)nth * k * sizeof *j.nbr);
    j.part_sum = hs_calloc(nparts, sizeof *j.part_sum);
    j.rows = rows;
    if (!rows || !j.scratch || !j.nbr || !j.part_sum) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory for the trustworthiness");
        goto done;
    }
    /* Selection sampling: each point kept with the chance still needed. */
    struct hs_rng r;
    hs_rng_seed(&r, seed);
    for (size_t i = 0, got = 0; i < n && got < m; i++)
        if (m == n || hs_rng_below(&r, n - i) < m - got)
            rows[got++] = i;
    atomic_init(&j.stop, 0);
    hs_par_progress_init(&j.prog, task, m, "trustworthiness", false);
    if (hs_par_run(nparts, nth, trust_part, &j)) {
        rc = hs_err_set(err, HS_ECANCELLED, "trustworthiness cancelled");
        goto done;
    }
    unsigned long long total = 0;
    for (size_t p = 0; p < nparts; p++)
        total += j.part_sum[p];
    double md = (double)m, kd = (double)k;
    *out = 1 - 2.0 / (md * kd * (2 * md - 3 * kd - 1)) * (double)total;
done:
    hs_free(rows);
    hs_free(j.scratch);
    hs_free(j.nbr);
    hs_free(j.part_sum);
    return rc;
}

/* rowpass.h: one pass over the fitted rows of a projection or clustering,
 * in parallel parts whose split depends on the number of rows alone.
 *
 * PCA's covariance, the k-means assignment and the mixture's E and M
 * steps are each a sum over rows.  The rows are cut into at most
 * HS_ROWPASS_PARTS contiguous parts (fewer for small n), each part into
 * blocks of HS_ROWPASS_BLOCK rows handed to fn in order; the caller keeps
 * one accumulator per part and adds them up in part order afterwards.
 * Since neither cut depends on --threads nor on which thread ran a part,
 * a pass gives the same bits on any number of threads.
 *
 * Between two blocks a part looks at the task's cancel flag (a block is
 * a few milliseconds of work) and the calling thread reports progress as
 * base + span * (rows done / n): after its first block, then at most
 * every 0.1 s.
 */
#ifndef HS_ROWPASS_H
#define HS_ROWPASS_H

#include <stddef.h>

#include "err.h"
#include "task.h"

#define HS_ROWPASS_PARTS 64
#define HS_ROWPASS_BLOCK 256

/* The parts of a pass over n rows (1 when n is 0). */
size_t hs_rowpass_parts(size_t n);

/* The rows [*lo, *hi) of part k of a pass over n rows. */
void hs_rowpass_range(size_t n, size_t k, size_t *lo, size_t *hi);

/* The logical threads of a pass asked for `threads` (0: hs_par_threads):
 * the slots (hs_par_slot) a pass's blocks may run in, for scratch. */
int hs_rowpass_threads(int threads);

struct hs_rowpass {
    size_t n;                  /* rows */
    int threads;               /* logical threads for hs_par_run (0: hs_par_threads) */
    /* The rows [lo, hi) of part `part`, a block at a time in row order;
     * non-zero ends the pass with that code (err filled by fn's ctx). */
    int (*fn)(void *ctx, size_t part, size_t lo, size_t hi);
    void *ctx;
    const struct hs_task *task;
    const char *what;          /* names the stage in progress reports */
    double base, span;         /* progress: base + span * fraction of rows */
};

/* Run the pass: HS_OK, fn's code, or HS_ECANCELLED (err says "`what`
 * cancelled") when the task's flag was raised. */
int hs_rowpass_run(const struct hs_rowpass *p, struct hs_err *err);

#endif

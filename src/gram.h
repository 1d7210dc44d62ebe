/* gram.h: weighted cross products of many columns, G = sum_r w_r z_r z_r^T,
 * on the executor of par.h: the pooled covariance of Fisher's
 * discriminant and the correlation matrices of `corr`.
 *
 * The caller describes rows through a fill function that writes a block
 * of rows' values (already centred, or whatever is to be multiplied) and
 * weights; hs_gram_compute cuts the rows into chunks and the upper
 * triangle of G into bands of rows, runs each (chunk, band) as a part,
 * every part on one BLAS thread (par.h holds it there), and adds the chunks' partial sums in
 * chunk order.  How G is cut depends on the logical thread count (--threads,
 * hs_par_threads), the number of columns and the number of rows alone, so G is the same to the last bit
 * for a given --threads however many OS threads ran the parts and
 * whatever else the machine was doing.
 */
#ifndef HS_GRAM_H
#define HS_GRAM_H

#include <stddef.h>

#include "err.h"
#include "task.h"

/* Rows [r0, r0 + len) of the job, columns [c0, p): their values into z,
 * a column after another (column c's value of row r0 + i at
 * z[(c - c0) * len + i]), and the rows' weights into w (len).  Called
 * from several threads at once, for disjoint or overlapping ranges: it
 * must only read shared data. */
typedef void (*hs_gram_fill)(void *ctx, size_t r0, size_t len, size_t c0, double *z, double *w);

struct hs_gram {
    size_t p;     /* columns, at least 1 */
    size_t nrows; /* rows */
    hs_gram_fill fill;
    void *ctx;
    const char *what; /* the progress stage ("fisher: covariance") */
    int threads;      /* the logical thread count; 0: hs_par_threads() */
};

/* G (p x p, row-major, both halves) into out.  HS_ENOMEM when scratch
 * memory is short, HS_ECANCELLED on a cancel (within about 0.1 s; out
 * then holds nothing useful).  Progress goes from 0 to 1 in the task's
 * own units: callers that report stages wrap the task. */
int hs_gram_compute(const struct hs_gram *g, double *out, const struct hs_task *task,
                    struct hs_err *err);

#endif

/* rowpass.c: a pass over rows in parts fixed by n (see rowpass.h). */
#include "config.h"

#include "rowpass.h"

#include <stdatomic.h>
#include <time.h>

#include "par.h"

/* Rows per part at least, so that a small fit is not cut into parts of a
 * few rows whose bookkeeping costs more than their work. */
#define MIN_PART_ROWS 1024
/* Seconds between two progress reports at least. */
#define REPORT_EVERY 0.1

size_t
hs_rowpass_parts(size_t n)
{
    size_t k = (n + MIN_PART_ROWS - 1) / MIN_PART_ROWS;
    return k < 1 ? 1 : k > HS_ROWPASS_PARTS ? HS_ROWPASS_PARTS : k;
}

void
hs_rowpass_range(size_t n, size_t k, size_t *lo, size_t *hi)
{
    hs_par_range(n, hs_rowpass_parts(n), k, lo, hi);
}

struct run {
    const struct hs_rowpass *p;
    atomic_int stop;     /* a part failed or the task was cancelled */
    atomic_size_t done;  /* rows finished */
    double last;         /* time of the last report (the caller's only) */
};

static double
seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int
run_part(void *ctx, size_t part)
{
    struct run *r = ctx;
    const struct hs_rowpass *p = r->p;
    size_t lo, hi;

    hs_rowpass_range(p->n, part, &lo, &hi);
    for (size_t b = lo; b < hi; b += HS_ROWPASS_BLOCK) {
        size_t e = hi - b < HS_ROWPASS_BLOCK ? hi : b + HS_ROWPASS_BLOCK;
        if (atomic_load_explicit(&r->stop, memory_order_relaxed))
            return HS_ECANCELLED;
        if (hs_task_cancelled(p->task)) {
            atomic_store(&r->stop, 1);
            return HS_ECANCELLED;
        }
        int rc = p->fn(p->ctx, part, b, e);
        if (rc) {
            atomic_store(&r->stop, 1);
            return rc;
        }
        size_t done = atomic_fetch_add(&r->done, e - b) + (e - b);
        if (p->task && p->task->progress && hs_par_on_caller()) {
            double t = seconds_now();
            if (t - r->last >= REPORT_EVERY) {
                r->last = t;
                hs_task_progress(p->task, p->base + p->span * (double)done / (double)p->n,
                                 p->what);
            }
        }
    }
    return HS_OK;
}

int
hs_rowpass_threads(int threads)
{
    return threads > 0 ? threads : hs_par_threads();
}

int
hs_rowpass_run(const struct hs_rowpass *p, struct hs_err *err)
{
    struct run r = {.p = p};
    int threads = hs_rowpass_threads(p->threads);

    /* The first block the caller finishes reports at once (then every
     * 0.1 s), so a short pass still shows it started. */
    r.last = -1e9;
    atomic_init(&r.stop, 0);
    atomic_init(&r.done, 0);
    int rc = hs_par_run(hs_rowpass_parts(p->n), threads, run_part, &r);
    if (rc == HS_ECANCELLED || (rc == HS_OK && hs_task_cancelled(p->task)))
        return hs_err_set(err, HS_ECANCELLED, "%s cancelled", p->what ? p->what : "pass");
    return rc;
}

/* task.h: the contract of a long engine job.
 *
 * Every long call takes a `const struct hs_task *` (NULL allowed).  It checks
 * the cancel flag at chunk boundaries and then returns HS_ECANCELLED within
 * 100 ms, leaving its outputs untouched; it reports progress a few times a
 * second at most.  The callback may be called from the job's thread only.
 */
#ifndef HS_TASK_H
#define HS_TASK_H

#include <stdatomic.h>
#include <stddef.h>

struct hs_task {
    /* fraction in [0,1], or negative when unknown; what names the stage */
    void (*progress)(void *user, double fraction, const char *what);
    void *user;
    atomic_int *cancel; /* non-zero asks the job to stop; may be NULL */
};

static inline int
hs_task_cancelled(const struct hs_task *task)
{
    return task && task->cancel && atomic_load_explicit(task->cancel, memory_order_relaxed);
}

static inline void
hs_task_progress(const struct hs_task *task, double fraction, const char *what)
{
    if (task && task->progress)
        task->progress(task->user, fraction, what);
}

#endif

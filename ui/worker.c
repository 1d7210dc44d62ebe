/* worker.c: a TUI job on its own thread (worker.h). */
#include "config.h"

#include "ui/worker.h"

#include <stdio.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "err.h"

void
hs_worker_init(struct hs_worker *w)
{
    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    w->frac = -1;
    atomic_init(&w->cancel, 0);
    atomic_init(&w->finished, 0);
}

static void
report(void *user, double fraction, const char *what)
{
    struct hs_worker *w = user;

    pthread_mutex_lock(&w->mu);
    w->frac = fraction;
    snprintf(w->what, sizeof w->what, "%s", what ? what : "");
    pthread_mutex_unlock(&w->mu);
}

static void *
worker_main(void *arg)
{
    struct hs_worker *w = arg;
    struct hs_task task = {report, w, &w->cancel};

#ifdef _OPENMP
    /* --threads set the main thread's team size (hs_app_set_global); a new
     * thread starts from the default, and a method that leaves its teams
     * to OpenMP would add up in another order than the CLI's. */
    if (w->threads > 0)
        omp_set_num_threads(w->threads);
#endif
    w->run(w->user, &task);
    atomic_store(&w->finished, 1);
    return NULL;
}

int
hs_worker_start(struct hs_worker *w, void (*run)(void *user, const struct hs_task *task),
                void *user, int threads)
{
    w->run = run;
    w->user = user;
    w->threads = threads;
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
        return HS_ENOMEM;
    w->started = true;
    return HS_OK;
}

void
hs_worker_cancel(struct hs_worker *w)
{
    atomic_store(&w->cancel, 1);
}

bool
hs_worker_finished(struct hs_worker *w)
{
    return atomic_load(&w->finished) != 0;
}

bool
hs_worker_progress(struct hs_worker *w, double *frac, char *what, size_t size)
{
    bool changed;

    pthread_mutex_lock(&w->mu);
    changed = w->frac != *frac || strncmp(w->what, what, size) != 0;
    if (changed) {
        *frac = w->frac;
        snprintf(what, size, "%s", w->what);
    }
    pthread_mutex_unlock(&w->mu);
    return changed;
}

void
hs_worker_join(struct hs_worker *w, bool cancel)
{
    if (!w->started)
        return;
    if (cancel)
        hs_worker_cancel(w);
    pthread_join(w->thread, NULL);
    w->started = false;
}

void
hs_worker_release(struct hs_worker *w)
{
    hs_worker_join(w, true);
    pthread_mutex_destroy(&w->mu);
}

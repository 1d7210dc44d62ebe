/* worker.h: a long job of the TUI on a thread of its own (a training, a
 * map being computed), while the loop keeps drawing and taking keys.
 *
 * The job reports through the task it is given: its progress goes into
 * the worker under a mutex, which the loop copies every turn
 * (hs_worker_progress); Esc raises the cancel flag the task carries.  A
 * job that hands more to the loop (the training's epochs) keeps it under
 * the same mutex.  When the job returns, `finished` is set; the loop then
 * joins the thread (hs_worker_join) and reads what the job left in its
 * own structure.  The thread touches only its job and what is locked.
 */
#ifndef HS_UI_WORKER_H
#define HS_UI_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "task.h"

struct hs_worker {
    pthread_t thread;
    bool started;          /* the thread is to be joined */
    pthread_mutex_t mu;
    double frac;           /* under mu: the last progress, negative when unknown */
    char what[96];
    atomic_int cancel;
    atomic_int finished;   /* run returned */
    /* The job (the thread's alone while it runs). */
    void (*run)(void *user, const struct hs_task *task);
    void *user;
    int threads;           /* OpenMP team size for the job, 0: the default */
};

void hs_worker_init(struct hs_worker *w);
/* Start run(user, task) on a new thread, with `threads` OpenMP threads
 * (0: the default): the app's --threads, so that the job gives the
 * CLI's results bit for bit.  HS_OK or HS_ENOMEM. */
int hs_worker_start(struct hs_worker *w, void (*run)(void *user, const struct hs_task *task),
                    void *user, int threads);
/* Ask the job to stop (it returns within the task contract's 100 ms). */
void hs_worker_cancel(struct hs_worker *w);
/* Has the job returned? */
bool hs_worker_finished(struct hs_worker *w);
/* Copy the progress into *frac and what (size bytes) when it differs
 * from theirs: true then. */
bool hs_worker_progress(struct hs_worker *w, double *frac, char *what, size_t size);
/* Join the thread if it runs (cancelling it first when cancel is set). */
void hs_worker_join(struct hs_worker *w, bool cancel);
/* hs_worker_join(w, true), then free the mutex. */
void hs_worker_release(struct hs_worker *w);

#endif

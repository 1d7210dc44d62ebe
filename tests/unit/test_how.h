/* test_how.h: the ways of running a par.h job's parts, for tests that
 * check a parallel path's numbers do not depend on them: one OS thread
 * (the reference: no concurrency at all), two, the executor's fallback to
 * the caller alone, and two beside a forked CPU-bound process.  Include
 * after cmocka.h. */
#ifndef HS_TEST_HOW_H
#define HS_TEST_HOW_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "par.h"

enum how { ONE_THREAD, TWO_THREADS, SOLO, TWO_BUSY, HOW_COUNT };

static pid_t how_busy_pid;

/* Set up one way of running the parts. */
static inline void
how_begin(enum how h)
{
    hs_par_set_max_workers(h == ONE_THREAD ? 1 : 0);
    hs_par_set_solo(h == SOLO);
    if (h == TWO_BUSY) {
        how_busy_pid = fork();
        assert_true(how_busy_pid >= 0);
        if (how_busy_pid == 0)
            for (volatile unsigned long i = 0;; i++)
                ;
    }
}

static inline void
how_end(enum how h)
{
    if (h == TWO_BUSY) {
        kill(how_busy_pid, SIGKILL);
        waitpid(how_busy_pid, NULL, 0);
    }
    hs_par_set_max_workers(0);
    hs_par_set_solo(false);
}

#endif

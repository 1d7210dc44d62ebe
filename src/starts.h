/* starts.h: the independent starts of a clustering (k-means, Gaussian
 * mixtures), side by side on the par.h executor.
 *
 * Each start draws from its own random numbers (hs_starts_seed), so that
 * what it finds depends on the seed and its index alone, never on which
 * thread ran it or beside which other start.  A round runs as many
 * starts side by side as there are logical threads, each on one thread
 * (its row passes then run on that thread, with the same parts: the same
 * bits), when that many remain; otherwise one start, whose row passes
 * are parallel.  Starts side by side wait for each other once per round
 * instead of once per pass, which matters on a busy machine.
 */
#ifndef HS_STARTS_H
#define HS_STARTS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "task.h"

struct hs_starts {
    size_t starts; /* in all */
    int threads;   /* logical threads (0: hs_par_threads) */
    /* Run start `start` with scratch set `slot` (< hs_starts_slots);
     * non-zero (err filled) stops the round with that code. */
    int (*run)(void *ctx, size_t start, size_t slot, const struct hs_task *task,
               struct hs_err *err);
    void *ctx;
};

/* The scratch sets a run needs: one per start that may run at once. */
size_t hs_starts_slots(size_t starts, int threads);

/* The seed of start `start`'s random numbers for a fit seeded `seed`. */
uint64_t hs_starts_seed(uint64_t seed, size_t start);

/* One round from start *done, which advances by the starts run.  HS_OK,
 * or the code of the lowest-numbered start that failed (its err), or
 * HS_ENOMEM. */
int hs_starts_round(const struct hs_starts *st, size_t *done, const struct hs_task *task,
                    struct hs_err *err);

#endif

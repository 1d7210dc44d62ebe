/* starts.c: rounds of independent starts (starts.h). */
#include "config.h"

#include "starts.h"

#include "mem.h"
#include "par.h"
#include "rng.h"

static int
threads_of(int threads)
{
    return threads > 0 ? threads : hs_par_threads();
}

size_t
hs_starts_slots(size_t starts, int threads)
{
    size_t t = (size_t)threads_of(threads);
    return starts >= 2 && t >= 2 ? (t < starts ? t : starts) : 1;
}

uint64_t
hs_starts_seed(uint64_t seed, size_t start)
{
    return hs_mix64(seed) ^ hs_mix64(0x9e3779b97f4a7c15u * (uint64_t)(start + 1));
}

struct round {
    const struct hs_starts *st;
    size_t first;
    const struct hs_task *task;
    struct hs_err *errs; /* one per part */
};

static int
round_part(void *ctx, size_t part)
{
    struct round *r = ctx;
    int slot = hs_par_slot();
    return r->st->run(r->st->ctx, r->first + part, (size_t)(slot > 0 ? slot : 0), r->task,
                      &r->errs[part]);
}

int
hs_starts_round(const struct hs_starts *st, size_t *done, const struct hs_task *task,
                struct hs_err *err)
{
    size_t slots = hs_starts_slots(st->starts, st->threads), left = st->starts - *done;

    if (left == 0)
        return HS_OK;
    if (slots < 2 || left < slots) {
        int rc = st->run(st->ctx, *done, 0, task, err);
        if (rc == HS_OK)
            ++*done;
        return rc;
    }
    struct round r = {.st = st, .first = *done, .task = task};
    if (!(r.errs = hs_calloc(slots, sizeof *r.errs)))
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    int rc = hs_par_run(slots, (int)slots, round_part, &r);
    for (size_t p = 0; rc && p < slots; p++)
        if (r.errs[p].code) {
            if (err)
                *err = r.errs[p];
            rc = r.errs[p].code;
            break;
        }
    if (rc && err && !err->code)
        hs_err_set(err, rc, "start failed");
    hs_free(r.errs);
    if (rc == HS_OK)
        *done += slots;
    return rc;
}

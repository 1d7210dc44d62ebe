/* test_starts.c: rounds of independent starts (src/starts.c): how many
 * scratch sets, distinct seeds, every start run once with a slot of its
 * own among those running at once, rounds of as many starts as threads,
 * and the lowest-numbered failing start's error. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "par.h"
#include "starts.h"

struct probe {
    atomic_int ran[16];
    atomic_int busy[16]; /* per slot: starts running on it now */
    atomic_int clash;    /* a slot used by two starts at once */
    atomic_int running, most;
    int fail_from;       /* starts from here fail, -1 none */
};

static int
run_one(void *ctx, size_t start, size_t slot, const struct hs_task *task, struct hs_err *err)
{
    struct probe *p = ctx;
    (void)task;
    if (atomic_fetch_add(&p->busy[slot], 1) != 0)
        atomic_store(&p->clash, 1);
    int now = atomic_fetch_add(&p->running, 1) + 1, most = atomic_load(&p->most);
    while (now > most && !atomic_compare_exchange_weak(&p->most, &most, now))
        ;
    /* Long enough for the other thread to claim its start. */
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
    atomic_fetch_add(&p->ran[start], 1);
    atomic_fetch_sub(&p->running, 1);
    atomic_fetch_sub(&p->busy[slot], 1);
    if (p->fail_from >= 0 && (int)start >= p->fail_from)
        return hs_err_set(err, HS_EDATA, "start %zu failed", start);
    return HS_OK;
}

static void
test_slots_and_seeds(void **state)
{
    (void)state;
    assert_int_equal(hs_starts_slots(5, 1), 1);
    assert_int_equal(hs_starts_slots(1, 2), 1);
    assert_int_equal(hs_starts_slots(5, 2), 2);
    assert_int_equal(hs_starts_slots(3, 7), 3);
    for (size_t a = 0; a < 50; a++)
        for (size_t b = a + 1; b < 50; b++)
            assert_true(hs_starts_seed(0, a) != hs_starts_seed(0, b));
    assert_true(hs_starts_seed(0, 0) != hs_starts_seed(1, 0));
    assert_true(hs_starts_seed(7, 3) == hs_starts_seed(7, 3));
}

static void
test_rounds(void **state)
{
    (void)state;
    static const int threads[] = {1, 2, 3};
    int prev = hs_par_set_max_workers(2);

    for (int t = 0; t < 3; t++) {
        struct probe p = {.fail_from = -1};
        struct hs_starts st = {.starts = 5, .threads = threads[t], .run = run_one, .ctx = &p};
        struct hs_err err = {0};
        size_t done = 0, rounds = 0;
        while (done < st.starts) {
            assert_int_equal(hs_starts_round(&st, &done, NULL, &err), HS_OK);
            rounds++;
        }
        for (size_t i = 0; i < 5; i++)
            assert_int_equal(atomic_load(&p.ran[i]), 1);
        assert_int_equal(atomic_load(&p.clash), 0);
        /* One thread: a start a round; two: two rounds of two, then one
         * alone; three (on two workers at most): a round of three, then
         * one and one alone (their passes parallel). */
        assert_int_equal(rounds, threads[t] == 1 ? 5 : 3);
        /* Never more at once than threads (side by side only when a
         * helper turned up in time: not asserted, it depends on the
         * machine's load). */
        assert_true(atomic_load(&p.most) >= 1);
        assert_true(atomic_load(&p.most) <= (threads[t] == 1 ? 1 : 2));
    }
    hs_par_set_max_workers(prev);
}

static void
test_failure(void **state)
{
    (void)state;
    struct probe p = {.fail_from = 1};
    struct hs_starts st = {.starts = 4, .threads = 2, .run = run_one, .ctx = &p};
    struct hs_err err = {0};
    size_t done = 0;

    /* Starts 0 and 1 side by side: 1 fails, and the round with it. */
    assert_int_equal(hs_starts_round(&st, &done, NULL, &err), HS_EDATA);
    assert_string_equal(err.msg, "start 1 failed");
    assert_int_equal(done, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slots_and_seeds),
        cmocka_unit_test(test_rounds),
        cmocka_unit_test(test_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The kill test: a child process storing datasets is killed with SIGKILL
 * at random moments; each time the session must open, pass SQLite's
 * integrity check and hold exactly what was committed before, every
 * dataset whole (the one being stored either whole or absent). */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "sessions/session.h"
#include "test_sess_util.h"

#define ROUNDS 12
#define ROWS 300000

/* The child: make the session if needed, then in one transaction store
 * dataset r<round> with its journal line, then replace dataset "rep" by
 * the table of this round.  A byte on the pipe after each commit. */
static void
child(const char *path, int round, int fd)
{
    struct hs_table *t = tu_table(ROWS, (uint64_t)round);
    struct hs_sess *s = NULL;
    char name[32], line[64];

    snprintf(name, sizeof name, "r%d", round);
    snprintf(line, sizeof line, "import r%d.csv", round);
    if (hs_sess_open(path, HS_SESS_CREATE, &s, NULL) || hs_sess_begin(s, NULL) ||
        hs_sess_dataset_store(s, name, t, false, NULL, -1, -1, NULL, NULL) ||
        hs_sess_journal_append(s, line, NULL) || hs_sess_commit(s, NULL))
        _exit(1);
    if (write(fd, "a", 1) != 1)
        _exit(2);
    if (hs_sess_dataset_store(s, "rep", t, true, NULL, -1, -1, NULL, NULL))
        _exit(3);
    if (write(fd, "b", 1) != 1)
        _exit(2);
    hs_sess_close(s);
    hs_table_free(t);
    _exit(0);
}

static int
journal_has(void *user, int64_t id, const char *when, const char *command)
{
    (void)id;
    (void)when;
    return strcmp(command, user) == 0;
}

static void
check_integrity(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void
assert_dataset_is(struct hs_sess *s, const char *name, int seed)
{
    struct hs_table *want = tu_table(ROWS, (uint64_t)seed), *got = NULL;
    struct hs_err err = {0};

    if (hs_sess_dataset_load(s, name, &got, NULL, &err))
        fail_msg("load %s: %s", name, err.msg);
    assert_true(tu_tables_identical(want, got));
    hs_table_free(want);
    hs_table_free(got);
}

/* Which round's table "rep" holds: its first value identifies it. */
static int
rep_seed(struct hs_sess *s, int candidates[2])
{
    for (int i = 0; i < 2; i++) {
        struct hs_table *want, *got = NULL;
        int same;

        if (candidates[i] < 0)
            continue;
        want = tu_table(ROWS, (uint64_t)candidates[i]);
        assert_int_equal(hs_sess_dataset_load(s, "rep", &got, NULL, NULL), HS_OK);
        /* Quietly first (the other candidate differs, by design). */
        same = want->nrows == got->nrows && want->ncols == got->ncols &&
               memcmp(want->cols[0].v, got->cols[0].v, ROWS * sizeof(double)) == 0 &&
               tu_tables_identical(want, got);
        hs_table_free(want);
        hs_table_free(got);
        if (same)
            return candidates[i];
    }
    return -1;
}

static void
test_kill(void **state)
{
    char *dir = tu_tmpdir(), *path = tu_path(dir, "s.db");
    uint64_t rng = 20240601;
    bool committed[ROUNDS] = {false};
    int rep = -1; /* the round whose table "rep" holds, -1 none */
    int nkilled = 0, nwhole = 0;
    double duration;

    (void)state;
    /* How long one undisturbed child takes (in a scratch session). */
    {
        char *scratch = tu_path(dir, "scratch.db");
        int p[2], status;
        double t0 = tu_now();
        pid_t pid;

        assert_int_equal(pipe(p), 0);
        pid = fork();
        if (pid == 0)
            child(scratch, 99, p[1]);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        duration = tu_now() - t0;
        close(p[0]);
        close(p[1]);
        free(scratch);
    }

    for (int round = 0; round < ROUNDS; round++) {
        double delay = tu_uniform(&rng) * 1.2 * duration;
        struct timespec ts = {(time_t)delay, (long)((delay - (double)(time_t)delay) * 1e9)};
        struct hs_dataset_info *list;
        struct hs_sess *s = NULL;
        struct hs_err err = {0};
        int p[2], status, cand[2];
        char got[4] = "";
        ssize_t nread;
        size_t n;
        pid_t pid;

        assert_int_equal(pipe(p), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(p[0]);
            child(path, round, p[1]);
        }
        close(p[1]);
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        nkilled += WIFSIGNALED(status);
        if (WIFEXITED(status))
            assert_int_equal(WEXITSTATUS(status), 0);
        nread = read(p[0], got, 2);
        close(p[0]);
        if (nread > 0 && got[0] == 'a')
            committed[round] = true;
        cand[0] = rep;
        cand[1] = round;
        if (nread > 1 && got[1] == 'b') {
            rep = round;
            cand[0] = -1;
        }

        fprintf(stderr, "# round %d: killed after %.0f ms of %.0f: %s\n", round, 1e3 * delay,
                1e3 * duration,
                !WIFSIGNALED(status) ? "finished"
                : nread > 1          ? "after both commits"
                : nread > 0          ? "after the first commit"
                                     : "before any commit");
        /* Nothing committed yet: the file may be missing or half made. */
        if (!tu_exists(path))
            continue;
        if (hs_sess_open(path, HS_SESS_READONLY, &s, &err) != HS_OK) {
            for (int r = 0; r < ROUNDS; r++)
                if (committed[r])
                    fail_msg("round %d: %s", round, err.msg);
            continue;
        }
        check_integrity(path);
        assert_int_equal(hs_sess_datasets(s, &list, &n, &err), HS_OK);
        /* Exactly the committed r<i>, maybe this round's, maybe rep. */
        for (size_t i = 0; i < n; i++) {
            int r = -1;
            if (strcmp(list[i].name, "rep") == 0) {
                assert_true(rep >= 0 || cand[1] == round);
                continue;
            }
            assert_int_equal(sscanf(list[i].name, "r%d", &r), 1);
            assert_true(r >= 0 && r <= round);
            assert_true(committed[r] || r == round);
            assert_int_equal(list[i].nrows, ROWS);
            if (r == round && !committed[r]) {
                committed[r] = true; /* killed after the commit */
                nwhole++;
            }
        }
        for (int r = 0; r <= round; r++) {
            char name[32], line[64];
            int found = 0;

            snprintf(name, sizeof name, "r%d", r);
            snprintf(line, sizeof line, "import r%d.csv", r);
            for (size_t i = 0; i < n; i++)
                found |= strcmp(list[i].name, name) == 0;
            assert_int_equal(found, committed[r]);
            /* The journal line came in the same transaction. */
            assert_int_equal(hs_sess_journal_each(s, journal_has, line, &err), committed[r]);
        }
        /* This round's dataset is whole, and rep is one table or the other. */
        if (committed[round]) {
            char name[32];
            snprintf(name, sizeof name, "r%d", round);
            assert_dataset_is(s, name, round);
        }
        {
            struct hs_dataset_info info;
            if (hs_sess_dataset_info(s, "rep", &info, &err) == HS_OK) {
                int which = rep_seed(s, cand);
                assert_true(which >= 0);
                rep = which;
                hs_dataset_info_release(&info);
            } else {
                assert_int_equal(rep, -1); /* a committed "rep" never vanishes */
            }
        }
        hs_dataset_info_free(list, n);
        hs_sess_close(s);
    }
    fprintf(stderr, "# %d of %d children killed; %d killed after their commit\n", nkilled, ROUNDS,
            nwhole);
    assert_true(nkilled >= ROUNDS / 3);

    /* At the end every committed dataset is there, bit for bit. */
    {
        struct hs_sess *s = NULL;
        struct hs_err err = {0};
        assert_int_equal(hs_sess_open(path, 0, &s, &err), HS_OK);
        for (int r = 0; r < ROUNDS; r++)
            if (committed[r]) {
                char name[32];
                snprintf(name, sizeof name, "r%d", r);
                assert_dataset_is(s, name, r);
            }
        hs_sess_close(s);
        check_integrity(path);
    }
    free(path);
    tu_rmdir(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

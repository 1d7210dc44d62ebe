/* test_sess_bench: time storing and loading 1,000,000 x 9 and x 20 tables.
 *
 *   tests/unit/test_sess_bench [DIR [ROWS]]   (built by make check, not run by it)
 *
 * Prints the median of a few runs of each step: store (one transaction,
 * committed), close (the WAL checkpoint), open + load read-only. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "sessions/session.h"
#include "test_sess_util.h"

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

static int
bench(const char *dir, size_t rows, size_t cols)
{
    enum { RUNS = 5 };
    struct hs_table *t = tu_numeric(rows, cols, 1);
    double store[RUNS], close_t[RUNS], load[RUNS];
    struct hs_err err;
    char path[4096];

    snprintf(path, sizeof path, "%s/bench-%zu.db", dir, cols);
    for (int i = 0; i < RUNS; i++) {
        struct hs_sess *s;
        struct hs_table *u;
        double t0;

        remove(path);
        if (hs_sess_open(path, HS_SESS_CREATE, &s, &err)) {
            fprintf(stderr, "test_sess_bench: %s\n", err.msg);
            return 1;
        }
        t0 = tu_now();
        if (hs_sess_dataset_store(s, "ev", t, false, NULL, -1, -1, NULL, &err)) {
            fprintf(stderr, "test_sess_bench: %s\n", err.msg);
            return 1;
        }
        store[i] = tu_now() - t0;
        t0 = tu_now();
        hs_sess_close(s);
        close_t[i] = tu_now() - t0;
        t0 = tu_now();
        if (hs_sess_open(path, HS_SESS_READONLY, &s, &err) ||
            hs_sess_dataset_load(s, "ev", &u, NULL, &err)) {
            fprintf(stderr, "test_sess_bench: %s\n", err.msg);
            return 1;
        }
        load[i] = tu_now() - t0;
        if (!tu_tables_identical(t, u)) {
            fprintf(stderr, "test_sess_bench: the table read back differs\n");
            return 1;
        }
        hs_table_free(u);
        hs_sess_close(s);
    }
    printf("%zu x %zu: store %.1f ms, close (checkpoint) %.1f ms, open + load %.1f ms\n", rows,
           cols, 1e3 * median(store, RUNS), 1e3 * median(close_t, RUNS), 1e3 * median(load, RUNS));
    remove(path);
    hs_table_free(t);
    return 0;
}

int
main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    size_t rows = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000;

    return bench(dir, rows, 9) || bench(dir, rows, 20);
}

/* bench/engine_bench.c: time engine calls in-process, the way a user's
 * command spends its time, and print the median of several runs.
 *
 *   engine_bench mass COLS.bin N REPS     mass(E1,...,pz2) over N rows whose 8
 *                                          columns are in COLS.bin (doubles,
 *                                          column after column); writes the
 *                                          result to COLS.bin.out
 *   engine_bench sim REPS SESSION          generate the seed study's 3,100,000
 *                                          events (21 x 100,000 signal +
 *                                          1,000,000 background), then store
 *                                          them in SESSION
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "expr.h"
#include "sessions/session.h"
#include "sim.h"
#include "bench/bench_util.h"

static int
bench_mass(const char *path, size_t n, int reps)
{
    static const char *const names[8] = {"E1", "px1", "py1", "pz1", "E2", "px2", "py2", "pz2"};
    struct hs_expr_columns cols = {.n = 8, .names = names};
    double *c[8], *out = malloc(n * sizeof *out), t[64];
    struct hs_expr *e;
    struct hs_err err;
    char outpath[4096];
    FILE *f = fopen(path, "rb");

    if (!f || !out || reps > 64)
        return 1;
    for (int k = 0; k < 8; k++) {
        c[k] = malloc(n * sizeof(double));
        if (!c[k] || fread(c[k], sizeof(double), n, f) != n)
            return 1;
    }
    fclose(f);
    if (hs_expr_compile("mass(E1,px1,py1,pz1,E2,px2,py2,pz2)", &cols, &e, &err)) {
        fprintf(stderr, "engine_bench: %s\n", err.msg);
        return 1;
    }
    for (int r = 0; r < reps; r++) {
        double t0 = bench_now_ms();
        if (hs_expr_eval(e, (const double *const *)c, n, out, NULL, NULL, &err))
            return 1;
        t[r] = bench_now_ms() - t0;
    }
    printf("%.2f\n", bench_median(t, reps));
    snprintf(outpath, sizeof outpath, "%s.out", path);
    f = fopen(outpath, "wb");
    if (!f || fwrite(out, sizeof(double), n, f) != n)
        return 1;
    fclose(f);
    hs_expr_free(e);
    for (int k = 0; k < 8; k++)
        free(c[k]);
    free(out);
    return 0;
}

static int
bench_sim(int reps, const char *session)
{
    struct hs_sim_config c;
    double tg[64], ts[64];
    struct hs_err err;

    if (reps > 64)
        return 1;
    hs_sim_config_init(&c);
    c.n_signal = 21 * 100000;
    c.n_background = 1000000;
    for (int r = 0; r < reps; r++) {
        struct hs_table *t;
        struct hs_sess *s;
        double t0 = bench_now_ms();
        if (hs_sim_generate(&c, &t, NULL, &err))
            goto fail;
        tg[r] = bench_now_ms() - t0;
        remove(session);
        t0 = bench_now_ms();
        if (hs_sess_open(session, HS_SESS_CREATE, &s, &err) ||
            hs_sess_dataset_store(s, "demo", t, true, "demo", -1, -1, NULL, &err))
            goto fail;
        hs_sess_close(s);
        ts[r] = bench_now_ms() - t0;
        hs_table_free(t);
    }
    printf("%.1f %.1f\n", bench_median(tg, reps), bench_median(ts, reps));
    return 0;
fail:
    fprintf(stderr, "engine_bench: %s\n", err.msg);
    return 1;
}

int
main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "mass") == 0)
        return bench_mass(argv[2], strtoul(argv[3], NULL, 10), atoi(argv[4]));
    if (argc == 4 && strcmp(argv[1], "sim") == 0)
        return bench_sim(atoi(argv[2]), argv[3]);
    fprintf(stderr, "usage: engine_bench mass COLS.bin N REPS | sim REPS SESSION\n");
    return 1;
}

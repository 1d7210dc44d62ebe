/* embed_demo.h: the standardised enabled demo features as the projection
 * benchmarks use them (bench/knn_bench.c, bench/tsne_bench.c): a
 * seeded subsample of n events of the demo (10% signal), gathered and
 * standardised by the engine's own input step (src/embed_input.c), so
 * the peers are given exactly the rows hepscope fits. */
#ifndef HS_BENCH_EMBED_DEMO_H
#define HS_BENCH_EMBED_DEMO_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "bench/bench_demo.h"
#include "embed_input.h"
#include "rng.h"

struct embed_demo {
    struct hs_table *t;
    struct hs_featureset fs;
    struct hs_split sp;
    size_t nin;
    const double **x;
    const char **names;
    unsigned char *part; /* 0 for the n rows drawn */
    struct hs_method_data d;
    struct hs_embed_input in;
};

/* CPU seconds of the process so far, every thread's. */
static inline double
embed_demo_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

/* Generate events (at least n, 10% signal), draw n of them with seed 1. */
static inline void
embed_demo_make(const char *prog, size_t n, struct embed_demo *e)
{
    struct hs_err err;
    size_t total = n < 100000 ? 100000 : n;
    struct hs_rng r;

    bench_demo_make(prog, total / 10, total - total / 10, &e->t, &e->fs, &e->sp);
    size_t rows = e->t->nrows;
    e->x = malloc(e->fs.n * sizeof *e->x);
    e->names = malloc(e->fs.n * sizeof *e->names);
    e->nin = 0;
    for (size_t i = 0; i < e->fs.n; i++) {
        if (!e->fs.f[i].on ||
            (e->fs.f[i].col >= 0 && e->t->cols[e->fs.f[i].col].kind != HS_COL_NUMBER))
            continue;
        if (hs_featureset_values(&e->fs, i, &e->x[e->nin], NULL, &err))
            bench_demo_die(prog, e->fs.f[i].name, &err);
        e->names[e->nin++] = e->fs.f[i].name;
    }
    /* Selection sampling: each row kept with the chance still needed. */
    e->part = malloc(rows);
    hs_rng_seed(&r, 1);
    for (size_t i = 0, need = n; i < rows; i++) {
        int keep = hs_rng_below(&r, rows - i) < need;
        e->part[i] = keep ? 0 : 2;
        need -= (size_t)keep;
    }
    e->d = (struct hs_method_data){.n = rows, .nin = e->nin, .x = e->x, .names = e->names,
                                   .label = hs_table_label(e->t), .part = e->part};
    if (hs_embed_input_init(&e->in, &e->d, 2, &err))
        bench_demo_die(prog, "input", &err);
}

#endif

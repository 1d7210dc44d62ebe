/* knn_bench.c: exact and approximate k nearest neighbours on the
 * standardised enabled demo features, for the choice made in src/knn.c.
 *
 *   knn_bench N K RUNS [exact|approx]
 *
 * Times (medians of RUNS; wall and CPU seconds, the CPU of every thread)
 * of hepscope's exact search (1 and 2 threads; only with `exact`),
 * its approximate search (random projection trees and NN-descent),
 * FLANN's exact single k-d tree (with `exact`), and FLANN's randomised
 * forest (4 trees) at several `checks`.  Recall: the fraction of the
 * true k neighbours found, over 500 points whose true neighbours are
 * found here by a plain scan.  FLANN runs on one core (its own threads
 * are OpenMP, which the engine does not use).  `approx`: hepscope's
 * approximate search alone, one thread (for tuning it).
 */
#include "config.h"

#include <flann/flann.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_util.h"
#include "bench/embed_demo.h"
#include "knn.h"
#include "knn_tree.h"

#define PROG "knn_bench"
#define NCHECK 500

/* The c-th checked row. */
static size_t
check_row(size_t c, size_t n)
{
    return c * (n / NCHECK);
}

/* The true neighbours of NCHECK points spread over the set (every
 * n / NCHECK-th), by a plain scan into a bounded heap (knn_tree.h's,
 * which orders by (distance, row) as the searches do). */
static size_t *
truth(const double *x, size_t n, size_t dim, size_t k)
{
    size_t *idx = malloc(NCHECK * k * sizeof *idx);
    double *d2 = malloc(k * sizeof *d2);
    struct knn_heap h;
    if (knn_heap_init(&h, k, dim)) {
        fprintf(stderr, "%s: out of memory\n", PROG);
        exit(1);
    }
    for (size_t c = 0; c < NCHECK; c++) {
        size_t i = check_row(c, n);
        h.size = 0;
        for (size_t j = 0; j < n; j++)
            if (j != i)
                knn_heap_offer(&h, hs_knn_sqdist(x + i * dim, x + j * dim, dim), j);
        knn_heap_drain(&h, idx + c * k, d2);
    }
    knn_heap_release(&h);
    free(d2);
    return idx;
}

/* got: rows of `stride` ids, the first `skip` of each left out. */
static double
recall(const size_t *exact, const int *got, size_t k, size_t stride, size_t skip)
{
    size_t hit = 0;
    for (size_t i = 0; i < NCHECK; i++)
        for (size_t a = 0; a < k; a++)
            for (size_t b = skip; b < k + skip; b++)
                if ((size_t)got[i * stride + b] == exact[i * k + a]) {
                    hit++;
                    break;
                }
    return (double)hit / (double)(NCHECK * k);
}

struct timing {
    double wall, cpu;
};

static void
report(const char *name, struct timing *t, int runs, double rec)
{
    double w[64], c[64];
    for (int r = 0; r < runs; r++)
        w[r] = t[r].wall, c[r] = t[r].cpu;
    printf("%-36s wall_s %8.3f cpu_s %8.3f recall %.4f\n", name, bench_median(w, runs),
           bench_median(c, runs), rec);
}

static void
run_flann(const char *name, struct FLANNParameters *p, double *x, size_t n, size_t dim,
          size_t k, int runs, const size_t *ex)
{
    struct timing t[64];
    int *got = malloc(n * (k + 1) * sizeof *got);
    double *dist = malloc(n * (k + 1) * sizeof *dist);
    float speedup;
    for (int r = 0; r < runs; r++) {
        double t0 = bench_now_ms(), c0 = embed_demo_cpu_s();
        flann_index_t idx = flann_build_index_double(x, (int)n, (int)dim, &speedup, p);
        flann_find_nearest_neighbors_index_double(idx, x, (int)n, got, dist, (int)k + 1, p);
        t[r] = (struct timing){(bench_now_ms() - t0) / 1e3, embed_demo_cpu_s() - c0};
        flann_free_index_double(idx, p);
    }
    int *sel = malloc(NCHECK * (k + 1) * sizeof *sel);
    for (size_t c = 0; c < NCHECK; c++)
        memcpy(sel + c * (k + 1), got + check_row(c, n) * (k + 1), (k + 1) * sizeof *sel);
    report(name, t, runs, recall(ex, sel, k, k + 1, 1));
    free(sel);
    free(got);
    free(dist);
}

static void
run_hs(const char *name, int approx, int threads, const double *x, size_t n, size_t dim,
       size_t k, int runs, const size_t *ex)
{
    struct timing t[64];
    struct hs_err err;
    size_t *idx = malloc(n * k * sizeof *idx);
    double *dist = malloc(n * k * sizeof *dist);
    int *got = malloc(NCHECK * k * sizeof *got);
    for (int r = 0; r < runs; r++) {
        double t0 = bench_now_ms(), c0 = embed_demo_cpu_s();
        int rc = approx ? hs_knn_approx(x, n, dim, k, 1, idx, dist, threads, NULL, &err)
                        : hs_knn_exact(x, n, dim, k, idx, dist, threads, NULL, &err);
        if (rc)
            bench_demo_die(PROG, "knn", &err);
        t[r] = (struct timing){(bench_now_ms() - t0) / 1e3, embed_demo_cpu_s() - c0};
    }
    for (size_t c = 0; c < NCHECK; c++)
        for (size_t m = 0; m < k; m++)
            got[c * k + m] = (int)idx[check_row(c, n) * k + m];
    report(name, t, runs, recall(ex, got, k, k, 0));
    free(idx);
    free(dist);
    free(got);
}

int
main(int argc, char **argv)
{
    struct embed_demo e;
    if (argc < 4) {
        fprintf(stderr, "usage: knn_bench N K RUNS [exact|approx]\n");
        return 1;
    }
    size_t n = strtoul(argv[1], NULL, 10), k = strtoul(argv[2], NULL, 10);
    int runs = atoi(argv[3]), exact = argc > 4 && strcmp(argv[4], "exact") == 0;
    int only_ours = argc > 4 && strcmp(argv[4], "approx") == 0;
    if (runs < 1 || runs > 64)
        runs = 1;
    setvbuf(stdout, NULL, _IOLBF, 0);
    embed_demo_make(PROG, n, &e);
    size_t dim = e.in.dim;
    double *x = e.in.x;
    size_t *ex = truth(x, n, dim, k);
    printf("n %zu dim %zu k %zu\n", n, dim, k);
    if (exact) {
        run_hs("hepscope exact, 1 thread", 0, 1, x, n, dim, k, runs, ex);
        run_hs("hepscope exact, 2 threads", 0, 2, x, n, dim, k, runs, ex);
    }
    run_hs("hepscope approximate, 1 thread", 1, 1, x, n, dim, k, runs, ex);
    if (!only_ours)
        run_hs("hepscope approximate, 2 threads", 1, 2, x, n, dim, k, runs, ex);
    if (only_ours) {
        free(ex);
        return 0;
    }
    struct FLANNParameters p = DEFAULT_FLANN_PARAMETERS;
    p.cores = 1;
    p.log_level = FLANN_LOG_NONE;
    if (exact) {
        p.algorithm = FLANN_INDEX_KDTREE_SINGLE;
        p.leaf_max_size = 16;
        p.checks = FLANN_CHECKS_UNLIMITED;
        run_flann("FLANN single k-d tree, exact", &p, x, n, dim, k, runs, ex);
    }
    int checks[] = {256, 512, 1024};
    for (int c = 0; c < 3; c++) {
        char name[64];
        p = DEFAULT_FLANN_PARAMETERS;
        p.cores = 1;
        p.log_level = FLANN_LOG_NONE;
        p.algorithm = FLANN_INDEX_KDTREE;
        p.trees = 4;
        p.checks = checks[c];
        snprintf(name, sizeof name, "FLANN 4 random trees, checks %d", checks[c]);
        run_flann(name, &p, x, n, dim, k, runs, ex);
    }
    free(ex);
    return 0;
}

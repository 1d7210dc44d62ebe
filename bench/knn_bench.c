/* knn_bench.c: exact and approximate k nearest neighbours on the
 * standardised enabled demo features, for the choice made in src/knn.c.
 *
 *   knn_bench N K RUNS [brute]
 *
 * Times (medians of RUNS) of hepscope's k-d tree (1 and 2 threads),
 * FLANN's exact single k-d tree, FLANN's randomised forest (4 trees) at
 * several `checks` with its recall against the exact answer, and with
 * `brute` a blocked brute force (distances by GEMM).  FLANN runs on one
 * core (its own threads are OpenMP, which the engine does not use).
 */
#include "config.h"

#include <flann/flann.h>
#include <gsl/gsl_cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_util.h"
#include "bench/embed_demo.h"
#include "knn.h"

#define PROG "knn_bench"

static double
recall(const size_t *exact, const int *got, size_t n, size_t k, size_t stride, size_t skip)
{
    size_t hit = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t a = 0; a < k; a++)
            for (size_t b = skip; b < k + skip; b++)
                if ((size_t)got[i * stride + b] == exact[i * k + a]) {
                    hit++;
                    break;
                }
    return (double)hit / (double)(n * k);
}

/* FLANN with params p; returns the median seconds, fills got (n x (k+1)). */
static double
run_flann(struct FLANNParameters *p, double *x, size_t n, size_t dim, size_t k, int *got,
          int runs)
{
    double *t = malloc((size_t)runs * sizeof *t), *dist = malloc(n * (k + 1) * sizeof *dist);
    float speedup;
    for (int r = 0; r < runs; r++) {
        double t0 = bench_now_ms();
        flann_index_t idx = flann_build_index_double(x, (int)n, (int)dim, &speedup, p);
        flann_find_nearest_neighbors_index_double(idx, x, (int)n, got, dist, (int)k + 1, p);
        t[r] = (bench_now_ms() - t0) / 1e3;
        flann_free_index_double(idx, p);
    }
    double m = bench_median(t, runs);
    free(t);
    free(dist);
    return m;
}

/* Blocked brute force: squared distances of a block of queries to every
 * point by GEMM, then the k smallest by partial selection sort. */
static double
run_brute(const double *x, size_t n, size_t dim, size_t k, int *got)
{
    size_t B = 256;
    double *G = malloc(B * n * sizeof *G), *nrm = malloc(n * sizeof *nrm);
    double t0 = bench_now_ms();
    for (size_t i = 0; i < n; i++) {
        nrm[i] = 0;
        for (size_t c = 0; c < dim; c++)
            nrm[i] += x[i * dim + c] * x[i * dim + c];
    }
    for (size_t i0 = 0; i0 < n; i0 += B) {
        size_t rows = n - i0 < B ? n - i0 : B;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)rows, (int)n, (int)dim, -2.0,
                    x + i0 * dim, (int)dim, x, (int)dim, 0.0, G, (int)n);
        for (size_t r = 0; r < rows; r++) {
            double *g = G + r * n;
            for (size_t j = 0; j < n; j++)
                g[j] += nrm[i0 + r] + nrm[j];
            g[i0 + r] = INFINITY;
            for (size_t a = 0; a < k; a++) {
                size_t best = 0;
                for (size_t j = 1; j < n; j++)
                    if (g[j] < g[best])
                        best = j;
                got[(i0 + r) * (k + 1) + a + 1] = (int)best;
                g[best] = INFINITY;
            }
        }
    }
    double s = (bench_now_ms() - t0) / 1e3;
    free(G);
    free(nrm);
    return s;
}

int
main(int argc, char **argv)
{
    struct embed_demo e;
    struct hs_err err;

    if (argc < 4) {
        fprintf(stderr, "usage: knn_bench N K RUNS [brute]\n");
        return 1;
    }
    size_t n = strtoul(argv[1], NULL, 10), k = strtoul(argv[2], NULL, 10);
    int runs = atoi(argv[3]);
    embed_demo_make(PROG, n, &e);
    size_t dim = e.in.dim;
    double *x = e.in.x;
    size_t *idx = malloc(n * k * sizeof *idx);
    double *dist = malloc(n * k * sizeof *dist), *t = malloc((size_t)runs * sizeof *t);
    int *got = malloc(n * (k + 1) * sizeof *got);
    printf("n %zu dim %zu k %zu\n", n, dim, k);
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int threads = 1; threads <= 2; threads++) {
        for (int r = 0; r < runs; r++) {
            double t0 = bench_now_ms();
            if (hs_knn_exact(x, n, dim, k, idx, dist, threads, NULL, &err))
                bench_demo_die(PROG, "knn", &err);
            t[r] = (bench_now_ms() - t0) / 1e3;
        }
        printf("hepscope_exact_threads%d_s %.3f recall 1\n", threads, bench_median(t, runs));
    }

    {
        int *gotk = malloc(n * (k + 1) * sizeof *gotk);
        size_t *ia = malloc(n * k * sizeof *ia);
        for (int threads = 1; threads <= 2; threads++) {
            for (int r = 0; r < runs; r++) {
                double t0 = bench_now_ms();
                if (hs_knn_approx(x, n, dim, k, 1, ia, dist, threads, NULL, &err))
                    bench_demo_die(PROG, "knn", &err);
                t[r] = (bench_now_ms() - t0) / 1e3;
            }
            for (size_t i = 0; i < n; i++)
                for (size_t m = 0; m < k; m++)
                    gotk[i * (k + 1) + m + 1] = (int)ia[i * k + m];
            printf("hepscope_rptree_nndescent_threads%d_s %.3f recall %.4f\n", threads,
                   bench_median(t, runs), recall(idx, gotk, n, k, k + 1, 1));
        }
        free(gotk);
        free(ia);
    }
    if (argc > 4 && strcmp(argv[4], "tree") == 0)
        return 0;
    struct FLANNParameters p = DEFAULT_FLANN_PARAMETERS;
    p.cores = 1;
    p.log_level = FLANN_LOG_NONE;
    p.algorithm = FLANN_INDEX_KDTREE_SINGLE;
    p.leaf_max_size = 16;
    p.checks = FLANN_CHECKS_UNLIMITED;
    double s = run_flann(&p, x, n, dim, k, got, runs);
    printf("flann_kdtree_single_exact_s %.3f recall %.4f\n", s, recall(idx, got, n, k, k + 1, 1));
    int checks[] = {32, 64, 128, 256, 512};
    for (int c = 0; c < 5; c++) {
        p = DEFAULT_FLANN_PARAMETERS;
        p.cores = 1;
        p.log_level = FLANN_LOG_NONE;
        p.algorithm = FLANN_INDEX_KDTREE;
        p.trees = 4;
        p.checks = checks[c] < (int)k * 2 ? (int)k * 2 : checks[c];
        s = run_flann(&p, x, n, dim, k, got, runs);
        printf("flann_kdtree4_checks%d_s %.3f recall %.4f\n", p.checks, s,
               recall(idx, got, n, k, k + 1, 1));
    }
    if (argc > 4 && strcmp(argv[4], "brute") == 0) {
        s = run_brute(x, n, dim, k, got);
        printf("brute_gemm_s %.3f recall %.4f\n", s, recall(idx, got, n, k, k + 1, 1));
    }
    return 0;
}

/* bench/dgemm_bench.c: the machine's dgemm speed through the CBLAS that
 * hepscope links (OpenBLAS, else GSL's gslcblas), for bench/mlp.sh.
 *
 *   dgemm_bench [THREADS] [NTRAIN] [NIN]
 *
 * Prints "dgemm M N K THREADS GFLOPS MS_PER_CALL" lines for the shapes of
 * an MLP training step (batch 256, 64,64 hidden, NIN inputs) and for
 * squares of 512, 1024 and 2048 (the machine's dgemm peak), with 1 and
 * THREADS (2) threads; then "skeleton THREADS SECONDS": the time of the
 * GEMMs alone (no activation, no optimiser) of one epoch over NTRAIN
 * (500,000) events at batch 256, i.e. the floor an engine that does its
 * matrix work through this library cannot go below.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#ifdef HAVE_OPENBLAS
#include <cblas.h>
#else
#include <gsl/gsl_cblas.h>
#endif

#include "bench/bench_util.h"

static void
set_threads(int t)
{
#ifdef HAVE_OPENBLAS
    openblas_set_num_threads(t);
#else
    (void)t;
#endif
}

static double *
filled(size_t n)
{
    double *p = malloc(n * sizeof *p);
    if (!p) {
        fprintf(stderr, "dgemm_bench: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        p[i] = (double)((i * 2654435761u) % 1000) / 1000.0 - 0.5;
    return p;
}

/* C (m x n) = A (m x k) B (k x n), row-major; ta/tb: the operand is stored
 * transposed (as the backward pass reads it). */
static void
gemm(int ta, int tb, int m, int n, int k, const double *a, const double *b, double *c, double beta)
{
    cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m,
                n, k, 1.0, a, ta ? m : k, b, tb ? k : n, beta, c, n);
}

/* GFLOP/s of one shape: 5 timings of enough calls for about 50 ms each,
 * the median. */
static void
shape(int m, int n, int k, int ta, int tb, int threads)
{
    double *a = filled((size_t)m * (size_t)k), *b = filled((size_t)k * (size_t)n);
    double *c = filled((size_t)m * (size_t)n);
    double flop = 2.0 * m * n * k, tm[5];
    long calls = 1;

    set_threads(threads);
    gemm(ta, tb, m, n, k, a, b, c, 0.0);
    for (;;) {
        double t0 = bench_now_ms();
        for (long i = 0; i < calls; i++)
            gemm(ta, tb, m, n, k, a, b, c, 0.0);
        if (bench_now_ms() - t0 > 50)
            break;
        calls *= 2;
    }
    for (int r = 0; r < 5; r++) {
        double t0 = bench_now_ms();
        for (long i = 0; i < calls; i++)
            gemm(ta, tb, m, n, k, a, b, c, 0.0);
        tm[r] = (bench_now_ms() - t0) / (double)calls;
    }
    double ms = bench_median(tm, 5);
    printf("dgemm %d %d %d %d %.2f %.5f%s\n", m, n, k, threads, flop / (ms * 1e6), ms,
           ta ? " (A^T)" : tb ? " (B^T)" : "");
    free(a);
    free(b);
    free(c);
}

/* The GEMMs of one epoch: per batch of B rows, forward X W1^T (B x nin ->
 * 64), H1 W2^T (64 -> 64), H2 w3^T (64 -> 1); backward dW3 = d3^T H2,
 * dH2 = d3 W3, dW2 = d2^T H1, dH1 = d2 W2, dW1 = d1^T X. */
static double
skeleton(int threads, long ntrain, int nin)
{
    const int B = 256, H = 64;
    double *x = filled((size_t)B * nin), *w1 = filled((size_t)H * nin), *w2 = filled(H * H);
    double *w3 = filled(H), *h1 = filled((size_t)B * H), *h2 = filled((size_t)B * H);
    double *o = filled(B), *d1 = filled((size_t)B * H), *d2 = filled((size_t)B * H);
    double *g1 = filled((size_t)H * nin), *g2 = filled(H * H), *g3 = filled(H);
    double tm[3];

    set_threads(threads);
    for (int r = 0; r < 3; r++) {
        double t0 = bench_now_ms();
        for (long s = 0; s < ntrain; s += B) {
            gemm(0, 1, B, H, nin, x, w1, h1, 0.0);
            gemm(0, 1, B, H, H, h1, w2, h2, 0.0);
            gemm(0, 1, B, 1, H, h2, w3, o, 0.0);
            gemm(1, 0, 1, H, B, o, h2, g3, 0.0);
            gemm(0, 0, B, H, 1, o, w3, d2, 0.0);
            gemm(1, 0, H, H, B, d2, h1, g2, 0.0);
            gemm(0, 0, B, H, H, d2, w2, d1, 0.0);
            gemm(1, 0, H, nin, B, d1, x, g1, 0.0);
        }
        tm[r] = (bench_now_ms() - t0) / 1e3;
    }
    double *all[] = {x, w1, w2, w3, h1, h2, o, d1, d2, g1, g2, g3};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    return bench_median(tm, 3);
}

int
main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    long ntrain = argc > 2 ? atol(argv[2]) : 500000;
    int nin = argc > 3 ? atoi(argv[3]) : 19;

    if (threads < 1 || ntrain < 1 || nin < 1) {
        fprintf(stderr, "usage: dgemm_bench [THREADS] [NTRAIN] [NIN]\n");
        return 1;
    }
    printf("blas %s\n", HS_BLAS_NAME);
    for (int t = 1; t <= threads; t += threads > 1 ? threads - 1 : 1) {
        shape(256, 64, nin, 0, 1, t);   /* forward, first layer */
        shape(256, 64, 64, 0, 1, t);    /* forward, second layer */
        shape(64, 64, 256, 1, 0, t);    /* weight gradient */
        shape(256, 64, 64, 0, 0, t);    /* input gradient */
        shape(512, 512, 512, 0, 0, t);
        shape(1024, 1024, 1024, 0, 0, t);
        shape(2048, 2048, 2048, 0, 0, t);
    }
    for (int t = 1; t <= threads; t += threads > 1 ? threads - 1 : 1)
        printf("skeleton %d %.3f\n", t, skeleton(t, ntrain, nin));
    return 0;
}

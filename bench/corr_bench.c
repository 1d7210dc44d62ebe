/* corr_bench.c: the correlation matrix of `hepscope corr` (hs_correlation,
 * src/featstats.c) on K columns of N events, for bench/corr.sh.
 *
 *   corr_bench K N RUNS [DATA.bin [MATRIX.bin]]
 *
 * The columns are drawn here (each a mix of a few shared Gaussian factors
 * and its own noise, so that the matrix is not trivial), unweighted and
 * unlabelled, so that numpy.corrcoef computes the same figures.  Times
 * RUNS calls at the logical thread count (OMP_NUM_THREADS, else the CPUs)
 * and prints "key value" lines: each run's wall and CPU time (all threads)
 * and their medians in ms.  DATA.bin
 * gets the columns (K x N doubles, a column after another) for the peer,
 * MATRIX.bin the K x K matrix, for the comparison.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench/bench_util.h"
#include "featstats.h"

static uint64_t
next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double
gauss(uint64_t *s)
{
    double u = ((double)(next(s) >> 11) + 0.5) * 0x1.0p-53, v = (double)(next(s) >> 11) * 0x1.0p-53;
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

/* CPU time of every thread of the process: the work, whatever the load. */
static double
cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

static int
write_all(const char *path, const double *const *cols, size_t k, size_t len)
{
    FILE *f = fopen(path, "wb");
    int bad = !f;
    for (size_t j = 0; j < k && !bad; j++)
        bad = fwrite(cols[j], sizeof(double), len, f) != len;
    if (f && fclose(f))
        bad = 1;
    return bad;
}

int
main(int argc, char **argv)
{
    if (argc < 4 || argc > 6 || atol(argv[1]) < 2 || atol(argv[2]) < 2 || atoi(argv[3]) < 1) {
        fprintf(stderr, "usage: corr_bench K N RUNS [DATA.bin [MATRIX.bin]]\n");
        return 1;
    }
    size_t k = (size_t)atol(argv[1]), n = (size_t)atol(argv[2]);
    int runs = atoi(argv[3]);
    double **cols = malloc(k * sizeof *cols), *f = malloc(4 * n * sizeof *f);
    double *r = malloc(k * k * sizeof *r), *t = malloc((size_t)runs * sizeof *t);
    double *cpu = malloc((size_t)runs * sizeof *cpu);
    uint64_t s = 2026;

    if (!cols || !f || !r || !t || !cpu)
        return 1;
    for (size_t i = 0; i < 4 * n; i++)
        f[i] = gauss(&s);
    for (size_t j = 0; j < k; j++) {
        double a = (double)(j % 4) * 0.3, b = (double)(j % 7) * 0.1;
        if (!(cols[j] = malloc(n * sizeof **cols)))
            return 1;
        for (size_t i = 0; i < n; i++)
            cols[j][i] = 100.0 + a * f[(j % 4) * n + i] + b * f[((j + 1) % 4) * n + i] + gauss(&s);
    }
    if (argc > 4 && write_all(argv[4], (const double *const *)cols, k, n))
        return 1;
    for (int run = 0; run < runs; run++) {
        struct hs_err err;
        double t0 = bench_now_ms(), c0 = cpu_ms();
        if (hs_correlation((const double *const *)cols, k, NULL, NULL, n, HS_CLASS_ALL, r, NULL,
                           &err)) {
            fprintf(stderr, "corr_bench: %s\n", err.msg);
            return 1;
        }
        t[run] = bench_now_ms() - t0;
        cpu[run] = cpu_ms() - c0;
        printf("run %d corr_ms %.1f cpu_ms %.1f\n", run, t[run], cpu[run]);
    }
    printf("corr_ms_median %.1f\ncpu_ms_median %.1f\n", bench_median(t, runs),
           bench_median(cpu, runs));
    if (argc > 5) {
        const double *rows[1] = {r};
        if (write_all(argv[5], rows, 1, k * k))
            return 1;
    }
    for (size_t j = 0; j < k; j++)
        free(cols[j]);
    free(cols);
    free(f);
    free(r);
    free(t);
    free(cpu);
    return 0;
}

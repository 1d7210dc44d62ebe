/* embed_bench.c: hepscope's pca, kmeans and gmm on synthetic rows, for
 * bench/pca.sh, bench/kmeans.sh and bench/gmm.sh.
 *
 *   embed_bench METHOD N DIM K RUNS FILE [PARAM VALUE ...]
 *
 * draws N rows of DIM features from a mixture of K Gaussians (random
 * means and correlated covariances, seeded), writes them to FILE as raw
 * doubles, row-major (numpy.fromfile); with N 0 reads the rows from FILE
 * instead (a real dataset, bench/embed_real.sh); fits METHOD RUNS times on them
 * through the method layer with the parameters given, and prints the
 * median fit time and the fit's figures, one "name value" a line. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "gmm.h"
#include "method.h"
#include "pca.h"
#include "rng.h"

/* CPU seconds of the process, all threads: what a fit costs whatever
 * else the machine runs. */
static double
cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The rows of FILE (raw doubles, dim a row) as dim new columns, their
 * number into *n; NULL (*n 0) with a message when it cannot. */
static double **
read_rows(const char *path, size_t dim, size_t *n)
{
    FILE *f = fopen(path, "rb");
    double **col = NULL, *row = malloc(dim * sizeof *row);
    long size;

    *n = 0;
    if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
        perror(path);
        goto done;
    }
    size_t rows = (size_t)size / (dim * sizeof(double));
    col = malloc(dim * sizeof *col);
    for (size_t j = 0; j < dim; j++)
        col[j] = malloc(rows * sizeof **col);
    for (size_t i = 0; i < rows; i++) {
        if (fread(row, sizeof *row, dim, f) != dim) {
            fprintf(stderr, "embed_bench: %s: short read\n", path);
            goto done;
        }
        for (size_t j = 0; j < dim; j++)
            col[j][i] = row[j];
    }
    *n = rows;
done:
    if (f)
        fclose(f);
    free(row);
    return *n ? col : NULL;
}

static double
normal(struct hs_rng *r)
{
    double u = hs_rng_unit(r) + 1e-300, v = hs_rng_unit(r);
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

int
main(int argc, char **argv)
{
    if (argc < 7 || (argc - 7) % 2) {
        fprintf(stderr, "usage: embed_bench METHOD N DIM K RUNS FILE [PARAM VALUE ...] (N 0: read FILE)\n");
        return 2;
    }
    const struct hs_method *m = hs_method_find(argv[1]);
    size_t n = strtoul(argv[2], NULL, 10), dim = strtoul(argv[3], NULL, 10);
    size_t k = strtoul(argv[4], NULL, 10);
    int runs = atoi(argv[5]);
    struct hs_rng rng;
    struct hs_err err = {0};

    if (!m || !dim || !k || runs < 1) {
        fprintf(stderr, "embed_bench: bad arguments\n");
        return 2;
    }
    double **col = n ? NULL : read_rows(argv[6], dim, &n);
    if (!n)
        return 1;
    hs_rng_seed(&rng, 2026);
    double *mu = malloc(k * dim * sizeof *mu), *A = malloc(k * dim * dim * sizeof *A);
    double *row = malloc(dim * sizeof *row);
    FILE *f = col ? NULL : fopen(argv[6], "wb");
    if (!col && !f) {
        perror(argv[6]);
        return 1;
    }
    if (!col) {
        col = malloc(dim * sizeof *col);
        for (size_t j = 0; j < dim; j++)
            col[j] = malloc(n * sizeof **col);
    }
    for (size_t i = 0; i < k * dim; i++)
        mu[i] = 4 * normal(&rng);
    for (size_t i = 0; i < k * dim * dim; i++)
        A[i] = normal(&rng) / sqrt((double)dim);
    for (size_t i = 0; f && i < n; i++) {
        size_t c = hs_rng_below(&rng, k);
        double z[64];
        for (size_t j = 0; j < dim && j < 64; j++)
            z[j] = normal(&rng);
        for (size_t j = 0; j < dim; j++) {
            double v = mu[c * dim + j];
            for (size_t l = 0; l < dim && l < 64; l++)
                v += A[(c * dim + j) * dim + l] * z[l];
            col[j][i] = v * (double)(j + 1) + 5.0 * (double)j;
            row[j] = col[j][i];
        }
        fwrite(row, sizeof *row, dim, f);
    }
    if (f)
        fclose(f);

    struct hs_params p;
    if (hs_method_params(m, &p, &err))
        return 1;
    for (int a = 7; a < argc; a += 2)
        if (hs_params_set(&p, argv[a], argv[a + 1], &err)) {
            fprintf(stderr, "embed_bench: %s\n", err.msg);
            return 2;
        }
    struct hs_method_data d = {.n = n, .nin = dim, .x = (const double *const *)col};
    double *t = malloc((size_t)runs * sizeof *t), *cpu = malloc((size_t)runs * sizeof *cpu);
    void *st = NULL;
    for (int r = 0; r < runs; r++) {
        bool cancelled;
        if (st)
            m->free(st);
        double t0 = bench_now_ms(), c0 = cpu_s();
        if (hs_method_fit(m, &p, &d, NULL, NULL, &st, &cancelled, NULL, &err)) {
            fprintf(stderr, "embed_bench: %s\n", err.msg);
            return 1;
        }
        t[r] = (bench_now_ms() - t0) / 1e3;
        cpu[r] = cpu_s() - c0;
    }
    struct hs_method_report rep;
    m->report(st, &rep);
    printf("fit_s_median %.6f\n", bench_median(t, runs));
    printf("fit_cpu_s_median %.6f\n", bench_median(cpu, runs));
    printf("rows %zu\n", rep.ntrain);
    if (!isnan(rep.loglik))
        printf("loglik_mean %.10f\n", rep.loglik / (double)rep.ntrain);
    if (!isnan(rep.inertia))
        printf("inertia %.10f\n", rep.inertia);
    const struct hs_gmm *g = strcmp(m->name, "gmm") == 0 ? hs_gmm_of(st) : NULL;
    if (g)
        printf("iterations %zu\n", g->iters);
    const struct hs_pca *pc = strcmp(m->name, "pca") == 0 ? hs_pca_of(st) : NULL;
    for (size_t c = 0; pc && c < pc->dim; c++)
        printf("variance_%zu %.17g\n", c + 1, pc->variance[c]);
    m->free(st);
    hs_params_release(&p);
    return 0;
}

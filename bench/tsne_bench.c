/* tsne_bench.c: hepscope's t-SNE on the standardised enabled demo
 * features (or on a CSV of numbers), for bench/tsne.sh.
 *
 *   tsne_bench demo N RUNS IN.csv [METHOD]   the demo subsample of N events: writes
 *                                            the standardised inputs and label to IN.csv
 *                                            ("-": none), fits RUNS times (0: none)
 *   tsne_bench csv IN.csv RUNS [METHOD]      the numeric columns of IN.csv (all but a
 *                                            last "label" column), standardised
 *   tsne_bench trust IN.csv EMB.csv          trustworthiness (k = 10, 5,000 points) of an
 *                                            embedding written by a peer
 *   tsne_bench profile N [METHOD]            the demo subsample of N events, once, with the
 *                                            wall and CPU seconds of each phase (random start)
 *
 * TSNE_ITERATIONS in the environment sets the iterations (for the choice
 * between Barnes-Hut and FFT).  Prints "key value" lines: each run's seconds, their median (wall, and
 * CPU time of all threads), the KL
 * divergence, the trustworthiness, and the peak resident memory.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench/bench_util.h"
#include "bench/embed_demo.h"
#include "knn.h"
#include "mem.h"
#include "par.h"
#include "trust.h"
#include "tsne.h"
#include "tsne_affin.h"

#define PROG "tsne_bench"

/* Rows of numbers separated by commas, after one header line. */
static double *
read_csv(const char *path, size_t *n, size_t *cols)
{
    FILE *f = fopen(path, "r");
    size_t cap = 1 << 20, len = 0, c = 1;
    double *v = malloc(cap * sizeof *v);
    int ch;
    if (!f) {
        fprintf(stderr, "%s: cannot read %s\n", PROG, path);
        exit(1);
    }
    while ((ch = fgetc(f)) != EOF && ch != '\n')
        c += ch == ',';
    for (;;) {
        double x;
        if (fscanf(f, "%lf", &x) != 1)
            break;
        if (len == cap)
            v = realloc(v, (cap *= 2) * sizeof *v);
        v[len++] = x;
        fgetc(f);
    }
    fclose(f);
    *cols = c;
    *n = len / c;
    return v;
}

static void
write_csv(const char *path, const double *x, const double *label, size_t n, size_t dim)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "%s: cannot write %s\n", PROG, path);
        exit(1);
    }
    for (size_t c = 0; c < dim; c++)
        fprintf(f, "x%zu,", c);
    fprintf(f, "label\n");
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < dim; c++)
            fprintf(f, "%.17g,", x[i * dim + c]);
        fprintf(f, "%g\n", label ? label[i] : 0.0);
    }
    fclose(f);
}

static double
cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

static double
peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024;
}

/* Fit RUNS times on the n x dim rows x (already standardised: the
 * method standardises again, which changes nothing). */
static void
fit(const double *x, size_t n, size_t dim, int runs, const char *method)
{
    struct hs_params p;
    struct hs_err err;
    const double **cols = malloc(dim * sizeof *cols);
    double *colbuf = malloc(n * dim * sizeof *colbuf), *t = malloc((size_t)runs * sizeof *t);
    for (size_t c = 0; c < dim; c++) {
        for (size_t i = 0; i < n; i++)
            colbuf[c * n + i] = x[i * dim + c];
        cols[c] = colbuf + c * n;
    }
    struct hs_method_data d = {.n = n, .nin = dim, .x = cols};
    if (hs_method_params(&hs_method_tsne, &p, &err) ||
        (method && hs_params_set(&p, "method", method, &err)) ||
        (getenv("TSNE_ITERATIONS") &&
         hs_params_set(&p, "iterations", getenv("TSNE_ITERATIONS"), &err)))
        bench_demo_die(PROG, "params", &err);
    double *y = NULL, kl = 0, *cpu = malloc((size_t)runs * sizeof *cpu);
    size_t dy = 0;
    for (int r = 0; r < runs; r++) {
        void *state;
        bool cancelled;
        struct hs_method_report rep;
        double t0 = bench_now_ms(), c0 = cpu_s();
        hs_free(y);
        if (hs_method_fit(&hs_method_tsne, &p, &d, NULL, NULL, &state, &cancelled, NULL, &err) ||
            hs_method_tsne.coords(state, &y, &dy, &err))
            bench_demo_die(PROG, "fit", &err);
        t[r] = (bench_now_ms() - t0) / 1e3;
        cpu[r] = cpu_s() - c0;
        hs_method_tsne.report(state, &rep);
        kl = rep.kl;
        hs_method_tsne.free(state);
        printf("run %d seconds %.3f\n", r, t[r]);
    }
    double tw;
    if (hs_trustworthiness(x, dim, y, dy, n, HS_TRUST_K, HS_TRUST_MAX_POINTS, HS_TRUST_SEED, &tw,
                           0, NULL, &err))
        bench_demo_die(PROG, "trust", &err);
    printf("points %zu\ninputs %zu\ncpu_median %.3f\nseconds_median %.3f\nkl %.4f\ntrust %.4f\npeak_mb %.0f\n", n,
           dim, bench_median(cpu, runs), bench_median(t, runs), kl, tw, peak_mb());
    hs_free(y);
    hs_params_release(&p);
    free(cols);
    free(colbuf);
    free(t);
    free(cpu);
}

static double
loadavg(void)
{
    double l = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1)
            l = -1;
        fclose(f);
    }
    return l;
}

/* One phase timed: wall and CPU seconds since the last mark. */
static void
mark(const char *phase, double *t, double *c)
{
    double t1 = bench_now_ms() / 1e3, c1 = cpu_s();
    printf("%-24s %8.3f s wall %8.3f s CPU\n", phase, t1 - *t, c1 - *c);
    *t = t1;
    *c = c1;
}

/* The phases one by one, as hs_tsne_affinities and the method run them
 * (the same calls: neighbours into 32-bit lists, P built in their
 * memory). */
static void
profile(const double *x, size_t n, size_t dim, const char *method)
{
    struct hs_err err;
    size_t k = 90 < n - 1 ? 90 : n - 1;
    uint32_t *idx = hs_malloc(n * k * sizeof *idx);
    double *dist = hs_malloc(n * k * sizeof *dist), t = bench_now_ms() / 1e3, c = cpu_s();
    struct hs_tsne_p P;
    struct hs_par_stats ps;
    hs_par_stats_reset();
    if (hs_tsne_neighbours(x, n, dim, k, 0, idx, dist, 0, NULL, &err))
        bench_demo_die(PROG, "knn", &err);
    mark("neighbours", &t, &c);
    printf("  peak so far %.0f MB\n", peak_mb());
    if (hs_tsne_calibrate(dist, n, k, 30, dist, 0, NULL, &err))
        bench_demo_die(PROG, "calibrate", &err);
    mark("calibration", &t, &c);
    if (hs_tsne_symmetrize_lists(idx, dist, n, k, &P, 0, NULL, &err)) /* takes idx, dist */
        bench_demo_die(PROG, "symmetrize", &err);
    mark("symmetrisation", &t, &c);
    printf("  %zu non-zero similarities (%.1f per point); peak so far %.0f MB\n", P.rowptr[n],
           (double)P.rowptr[n] / (double)n, peak_mb());
    double *y0 = malloc(n * 2 * sizeof *y0);
    struct hs_rng r;
    hs_rng_seed(&r, 0);
    for (size_t i = 0; i < 2 * n; i++)
        y0[i] = 1e-4 * (hs_rng_unit(&r) - 0.5);
    bool fft = method ? strcmp(method, "fft") == 0 : n >= 10000;
    struct hs_tsne_opts o = {.dims = 2, .iterations = 1000, .exag_iterations = 250,
                             .exaggeration = 12, .theta = 0.5,
                             .learning_rate = (double)n / 48 > 50 ? (double)n / 48 : 50,
                             .repulsion = fft ? HS_TSNE_FFT : HS_TSNE_BH};
    if (getenv("TSNE_ITERATIONS"))
        o.iterations = strtoul(getenv("TSNE_ITERATIONS"), NULL, 10);
    struct hs_tsne_opt s;
    if (hs_tsne_opt_init(&s, &P, y0, &o, &err) || hs_tsne_opt_run(&s, o.iterations, true, NULL, &err))
        bench_demo_die(PROG, "optimise", &err);
    mark("optimisation", &t, &c);
    printf("  repulsion %.3f s, attraction %.3f s, update %.3f s (wall); KL %.4f\n", s.secs_rep,
           s.secs_attr, s.secs_update, s.kl);
    hs_par_stats_get(&ps);
    printf("par.h rounds: %llu parallel (%.3f s), %llu on the caller alone (%.3f s); windows "
           "kept %lu, fell back %lu\n",
           ps.par_rounds, (double)ps.par_ns / 1e9, ps.solo_rounds, (double)ps.solo_ns / 1e9,
           ps.windows_kept, ps.windows_fell_back);
    printf("peak_mb %.0f\n", peak_mb());
    hs_tsne_opt_release(&s);
    hs_tsne_p_release(&P);
    free(y0);
}

int
main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 5 && strcmp(argv[1], "demo") == 0) {
        struct embed_demo e;
        size_t n = strtoul(argv[2], NULL, 10);
        embed_demo_make(PROG, n, &e);
        if (strcmp(argv[4], "-") != 0) {
            double *lab = malloc(e.in.n * sizeof *lab);
            for (size_t i = 0; i < e.in.n; i++)
                lab[i] = e.d.label[e.in.row[i]];
            write_csv(argv[4], e.in.x, lab, e.in.n, e.in.dim);
            free(lab);
        }
        if (atoi(argv[3]) > 0)
            fit(e.in.x, e.in.n, e.in.dim, atoi(argv[3]), argc > 5 ? argv[5] : NULL);
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "profile") == 0) {
        struct embed_demo e;
        embed_demo_make(PROG, strtoul(argv[2], NULL, 10), &e);
        printf("load %.2f\n", loadavg());
        profile(e.in.x, e.in.n, e.in.dim, argc > 3 ? argv[3] : NULL);
        return 0;
    }
    if (argc >= 4 && strcmp(argv[1], "csv") == 0) {
        size_t n, cols;
        double *v = read_csv(argv[2], &n, &cols);
        double *x = malloc(n * (cols - 1) * sizeof *x);
        for (size_t i = 0; i < n; i++)
            memcpy(x + i * (cols - 1), v + i * cols, (cols - 1) * sizeof *x);
        fit(x, n, cols - 1, atoi(argv[3]), argc > 4 ? argv[4] : NULL);
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "trust") == 0) {
        size_t n, cols, ne, ce;
        struct hs_err err;
        double *v = read_csv(argv[2], &n, &cols), *y = read_csv(argv[3], &ne, &ce), tw;
        double *x = malloc(n * (cols - 1) * sizeof *x);
        for (size_t i = 0; i < n; i++)
            memcpy(x + i * (cols - 1), v + i * cols, (cols - 1) * sizeof *x);
        if (ne != n) {
            fprintf(stderr, "%s: %zu points but %zu embedded\n", PROG, n, ne);
            return 1;
        }
        if (hs_trustworthiness(x, cols - 1, y, ce, n, HS_TRUST_K, HS_TRUST_MAX_POINTS,
                               HS_TRUST_SEED, &tw, 0, NULL, &err))
            bench_demo_die(PROG, "trust", &err);
        printf("trust %.4f\n", tw);
        return 0;
    }
    fprintf(stderr, "usage: tsne_bench demo N RUNS IN.csv [METHOD] | csv IN.csv RUNS [METHOD] | "
                    "trust IN.csv EMB.csv | profile N [METHOD]\n");
    return 1;
}

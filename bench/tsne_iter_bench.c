/* tsne_iter_bench.c: the cost of one t-SNE iteration's repulsion on
 * realistic maps, and its error against exact sums (tsne_fft.c).
 *
 *   tsne_iter_bench run N OUT.csv [THREADS]     t-SNE of N demo events (random start, FFT,
 *                                               1000 iterations): every 100 iterations the
 *                                               seconds spent (wall, CPU), the map's extent
 *                                               and the grid; the final map to OUT.csv
 *   tsne_iter_bench rep MAP.csv REPS [THREADS [FACTOR]]
 *                                               REPS repulsions on the map (after one
 *                                               untimed call that makes the plans): wall and
 *                                               CPU seconds per call; FACTOR > 1 first
 *                                               resamples FACTOR times as many points (each
 *                                               a jittered copy of a random one) over an
 *                                               area FACTOR times larger, a stand-in for
 *                                               the map of a FACTOR times larger sample
 *   tsne_iter_bench attr N MAP.csv REPS [THREADS] REPS attractions of the similarities of N
 *                                               demo events on the map (written by run N)
 *   tsne_iter_bench acc MAP.csv M [FACTOR]      the FFT's force and Z errors against exact
 *                                               sums for M random points (Z: all pairs of
 *                                               those M against all points, scaled; M of
 *                                               at least the points: all of them, exact)
 *   tsne_iter_bench split MAP.csv H P RC REPS M [FACTOR [THREADS]]
 *                                               the same errors and the CPU per call of
 *                                               the kernels' split (tsne_split.c): boxes
 *                                               about H wide of P nodes, pairs within RC
 *
 * Prints "key value" lines and the load average beside each figure.
 * TSNE_NO_GATE=1 lets parallel rounds wake their helpers whatever the
 * machine's load (par.h's gate off), to see two threads at work on a
 * shared machine.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/embed_demo.h"
#include "mem.h"
#include "par.h"
#include "rng.h"
#include "tsne.h"

#define PROG "tsne_iter_bench"

static double
loadavg(void)
{
    double l[1];
    return getloadavg(l, 1) == 1 ? l[0] : -1;
}

static double *
read_map(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    size_t cap = 1 << 16, len = 0;
    double *y = malloc(cap * sizeof *y), a, b;
    if (!f) {
        fprintf(stderr, "%s: cannot read %s\n", PROG, path);
        exit(1);
    }
    while (fscanf(f, "%lf,%lf", &a, &b) == 2) {
        if (len + 2 > cap)
            y = realloc(y, (cap *= 2) * sizeof *y);
        y[len++] = a;
        y[len++] = b;
    }
    fclose(f);
    *n = len / 2;
    return y;
}

/* FACTOR times as many points, each a copy of a random one jittered by
 * a Gaussian of sd 0.5, the whole scaled by sqrt(FACTOR) (the density
 * of the map kept, as t-SNE keeps it as n grows). */
static double *
resample(const double *y, size_t n, double factor, size_t *m)
{
    struct hs_rng r;
    *m = (size_t)((double)n * factor);
    double *z = malloc(*m * 2 * sizeof *z), s = sqrt(factor);
    hs_rng_seed(&r, 7);
    for (size_t i = 0; i < *m; i++) {
        size_t k = (size_t)(hs_rng_unit(&r) * (double)n) % n;
        for (size_t c = 0; c < 2; c++) {
            double u1 = hs_rng_unit(&r), u2 = hs_rng_unit(&r);
            double g = sqrt(-2 * log(u1 > 1e-300 ? u1 : 1e-300)) * cos(2 * M_PI * u2);
            z[2 * i + c] = (y[2 * k + c] + 0.5 * g) * s;
        }
    }
    return z;
}

/* The map at path, resampled FACTOR times when FACTOR > 1. */
static double *
load_map(const char *path, double factor, size_t *n)
{
    double *y = read_map(path, n);
    if (factor > 1) {
        size_t m;
        double *z = resample(y, *n, factor, &m);
        free(y);
        y = z;
        *n = m;
    }
    return y;
}

static void
extent_of(const double *y, size_t n, double *ext)
{
    double mn = INFINITY, mx = -INFINITY;
    for (size_t i = 0; i < 2 * n; i++) {
        mn = fmin(mn, y[i]);
        mx = fmax(mx, y[i]);
    }
    *ext = mx - mn;
}

static void
run(size_t n, const char *out, int threads)
{
    struct embed_demo e;
    struct hs_err err;
    struct hs_tsne_p P;
    embed_demo_make(PROG, n, &e);
    double t0 = hs_tsne_now(), c0 = embed_demo_cpu_s();
    if (hs_tsne_affinities(e.in.x, e.in.n, e.in.dim, 30, 0, &P, threads, NULL, &err))
        bench_demo_die(PROG, "affinities", &err);
    printf("affinities %.3f s wall %.3f s CPU load %.2f\n", hs_tsne_now() - t0,
           embed_demo_cpu_s() - c0, loadavg());
    double *y0 = malloc(n * 2 * sizeof *y0);
    struct hs_rng r;
    hs_rng_seed(&r, 0);
    for (size_t i = 0; i < 2 * n; i++)
        y0[i] = 1e-4 * (hs_rng_unit(&r) - 0.5);
    struct hs_tsne_opts o = {.dims = 2, .iterations = 1000, .exag_iterations = 250,
                             .exaggeration = 12, .theta = 0.5,
                             .learning_rate = (double)n / 48 > 50 ? (double)n / 48 : 50,
                             .repulsion = HS_TSNE_FFT, .threads = threads};
    struct hs_tsne_opt s;
    if (hs_tsne_opt_init(&s, &P, y0, &o, &err))
        bench_demo_die(PROG, "init", &err);
    double total_w = 0, total_c = 0;
    for (int step = 0; step < 10; step++) {
        double t = hs_tsne_now(), c = embed_demo_cpu_s(), ext;
        if (hs_tsne_opt_run(&s, 100, step == 9, NULL, &err))
            bench_demo_die(PROG, "optimise", &err);
        t = hs_tsne_now() - t;
        c = embed_demo_cpu_s() - c;
        total_w += t;
        total_c += c;
        extent_of(s.y, n, &ext);
        printf("iterations %4zu: %.3f s wall %.3f s CPU (%.4f / %.4f per iteration), extent "
               "%.1f, load %.2f\n",
               s.iter, t, c, t / 100, c / 100, ext, loadavg());
    }
    printf("optimisation %.3f s wall %.3f s CPU; repulsion %.3f attraction %.3f update %.3f s "
           "wall; KL %.4f\n",
           total_w, total_c, s.secs_rep, s.secs_attr, s.secs_update, s.kl);
    FILE *f = fopen(out, "w");
    if (!f) {
        fprintf(stderr, "%s: cannot write %s\n", PROG, out);
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%.9g,%.9g\n", s.y[2 * i], s.y[2 * i + 1]);
    fclose(f);
    hs_tsne_opt_release(&s);
    hs_tsne_p_release(&P);
    free(y0);
}

/* The map at path (resampled FACTOR times), its extent and room for
 * its forces. */
static double *
load_for_calls(const char *path, double factor, size_t *n, double *ext, double **f)
{
    double *y = load_map(path, factor, n);
    extent_of(y, *n, ext);
    *f = malloc(*n * 2 * sizeof **f);
    return y;
}

static void
rep(const char *path, int reps, int threads, double factor)
{
    size_t n;
    double Z, ext, *f, *y = load_for_calls(path, factor, &n, &ext, &f);
    struct hs_err err;
    struct hs_tsne_fft *ws = NULL;
    double t = hs_tsne_now(), c = embed_demo_cpu_s();
    if (hs_tsne_repulsion_fft(&ws, y, n, 2, 50, 1000, 3, f, &Z, threads, NULL, &err))
        bench_demo_die(PROG, "repulsion", &err);
    printf("points %zu extent %.1f first call (plans, kernel) %.4f s wall %.4f s CPU\n", n, ext,
           hs_tsne_now() - t, embed_demo_cpu_s() - c);
    t = hs_tsne_now();
    c = embed_demo_cpu_s();
    for (int k = 0; k < reps; k++)
        if (hs_tsne_repulsion_fft(&ws, y, n, 2, 50, 1000, 3, f, &Z, threads, NULL, &err))
            bench_demo_die(PROG, "repulsion", &err);
    printf("per call %.4f s wall %.4f s CPU, threads %d, load %.2f, Z %.6g\n",
           (hs_tsne_now() - t) / reps, (embed_demo_cpu_s() - c) / reps, threads, loadavg(), Z);
    hs_tsne_fft_release(ws);
    free(y);
    free(f);
}

static void
attr(size_t n, const char *path, int reps, int threads)
{
    struct embed_demo e;
    struct hs_err err;
    struct hs_tsne_p P;
    size_t m;
    double *y = read_map(path, &m);
    if (m != n) {
        fprintf(stderr, "%s: %s holds %zu points, not %zu\n", PROG, path, m, n);
        exit(1);
    }
    embed_demo_make(PROG, n, &e);
    if (hs_tsne_affinities(e.in.x, e.in.n, e.in.dim, 30, 0, &P, threads, NULL, &err))
        bench_demo_die(PROG, "affinities", &err);
    double *f = malloc(n * 2 * sizeof *f), t = hs_tsne_now(), c = embed_demo_cpu_s();
    for (int k = 0; k < reps; k++)
        hs_tsne_attraction(&P, y, 2, f, NULL, threads);
    printf("attraction, %zu similarities: per call %.5f s wall %.5f s CPU, threads %d, load "
           "%.2f, f0 %.9g\n",
           P.rowptr[n], (hs_tsne_now() - t) / reps, (embed_demo_cpu_s() - c) / reps, threads,
           loadavg(), f[0]);
    /* The optimiser's working form, in the points' order, then renumbered
     * along the map's Hilbert curve (the attraction then reads y in that
     * order: f0 is point from[0]'s). */
    struct hs_tsne_pc pc = {0};
    uint32_t *from = malloc(n * sizeof *from);
    double *yh = malloc(n * 2 * sizeof *yh);
    for (int order = 0; order < 2; order++) {
        if (order)
            hs_tsne_hilbert_order(y, n, from);
        else
            for (size_t i = 0; i < n; i++)
                from[i] = (uint32_t)i;
        for (size_t k = 0; k < n; k++)
            for (size_t q = 0; q < 2; q++)
                yh[2 * k + q] = y[2 * (size_t)from[k] + q];
        if (hs_tsne_pc_make(&P, from, &pc))
            exit(1);
        t = hs_tsne_now();
        c = embed_demo_cpu_s();
        for (int k = 0; k < reps; k++)
            hs_tsne_attraction_2d(&pc, yh, f, NULL, threads);
        printf("working form, %s: per call %.5f s wall %.5f s CPU, threads %d, load %.2f, f0 "
               "%.9g\n",
               order ? "Hilbert order" : "points' order", (hs_tsne_now() - t) / reps,
               (embed_demo_cpu_s() - c) / reps, threads, loadavg(), f[0]);
    }
    hs_tsne_pc_release(&pc);
    free(from);
    free(yh);
    hs_tsne_p_release(&P);
    free(y);
    free(f);
}


/* The forces f and Z against exact sums for m random points (Z: all
 * pairs of those m against all points, scaled). */
static void
check(const double *y, size_t n, const double *f, double Z, size_t m)
{
    double big = 0, e = 0, zpart = 0;
    struct hs_rng r;
    hs_rng_seed(&r, 3);
    bool all = m >= n; /* then every point, Z exact */
    m = all ? n : m;
    for (size_t s = 0; s < m; s++) {
        size_t i = all ? s : (size_t)(hs_rng_unit(&r) * (double)n) % n;
        double ex[2] = {0, 0};
        for (size_t j = 0; j < n; j++) {
            if (j == i)
                continue;
            double d0 = y[2 * i] - y[2 * j], d1 = y[2 * i + 1] - y[2 * j + 1];
            double w = 1 / (1 + d0 * d0 + d1 * d1);
            zpart += w;
            ex[0] += w * w * d0;
            ex[1] += w * w * d1;
        }
        for (size_t c = 0; c < 2; c++) {
            e = fmax(e, fabs(f[2 * i + c] - ex[c]));
            big = fmax(big, fabs(ex[c]));
        }
    }
    double zest = zpart * (double)n / (double)m;
    printf("points %zu: force error %.4g of the largest force (%.4g) over %zu points; Z %.6g "
           "against %.6g %s (%.3g relative%s)\n",
           n, e / big, big, m, Z, zest, all ? "exact" : "estimated", (Z - zest) / zest,
           all ? "" : ", sampling error included");
}

static void
acc(const char *path, size_t m, double factor)
{
    size_t n;
    double *y = load_map(path, factor, &n), Z;
    struct hs_err err;
    struct hs_tsne_fft *ws = NULL;
    double *f = malloc(n * 2 * sizeof *f);
    if (hs_tsne_repulsion_fft(&ws, y, n, 2, 50, 1000, 3, f, &Z, 0, NULL, &err))
        bench_demo_die(PROG, "repulsion", &err);
    check(y, n, f, Z, m);
    hs_tsne_fft_release(ws);
    free(y);
    free(f);
}

/* split MAP H P RC REPS M [FACTOR [THREADS]]: the kernels' split
 * (tsne_split.c) with boxes about H wide, P nodes each, near pairs
 * within RC: its errors for M points, CPU seconds per call of the
 * whole and of the far part alone. */
static void
split(const char *path, double H, size_t p, double rc, int reps, size_t m, double factor,
      int threads)
{
    size_t n;
    double Z, ext, *f, *y = load_for_calls(path, factor, &n, &ext, &f);
    struct hs_err err;
    struct hs_tsne_fft *ws = NULL;
    double c = embed_demo_cpu_s();
    if (hs_tsne_repulsion_split(&ws, y, n, H, p, rc, 100000, f, &Z, threads, NULL, &err))
        bench_demo_die(PROG, "repulsion", &err);
    printf("points %zu extent %.1f H %.2f p %zu rc %.2f: first call %.4f s CPU\n", n, ext, H, p,
           rc, embed_demo_cpu_s() - c);
    if (m)
        check(y, n, f, Z, m);
    double t = hs_tsne_now();
    c = embed_demo_cpu_s();
    for (int k = 0; k < reps; k++)
        if (hs_tsne_repulsion_split(&ws, y, n, H, p, rc, 100000, f, &Z, threads, NULL, &err))
            bench_demo_die(PROG, "repulsion", &err);
    double whole = (embed_demo_cpu_s() - c) / reps, wall = (hs_tsne_now() - t) / reps;
    c = embed_demo_cpu_s();
    for (int k = 0; k < reps; k++)
        if (hs_tsne_repulsion_fft_far(&ws, y, n, 2, 1, 100000, H, p, rc * rc, f, &Z, threads,
                                      NULL, &err))
            bench_demo_die(PROG, "repulsion", &err);
    if (reps)
        printf("per call %.4f s wall %.4f s CPU (far part alone %.4f), threads %d, load %.2f\n",
               wall, whole, (embed_demo_cpu_s() - c) / reps, threads, loadavg());
    hs_tsne_fft_release(ws);
    free(y);
    free(f);
}

int
main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (getenv("TSNE_NO_GATE") && atoi(getenv("TSNE_NO_GATE")))
        hs_par_set_gate(false);
    if (argc >= 4 && strcmp(argv[1], "run") == 0) {
        run(strtoul(argv[2], NULL, 10), argv[3], argc > 4 ? atoi(argv[4]) : 0);
        return 0;
    }
    if (argc >= 4 && strcmp(argv[1], "rep") == 0) {
        rep(argv[2], atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 0, argc > 5 ? atof(argv[5]) : 1);
        return 0;
    }
    if (argc >= 5 && strcmp(argv[1], "attr") == 0) {
        attr(strtoul(argv[2], NULL, 10), argv[3], atoi(argv[4]), argc > 5 ? atoi(argv[5]) : 0);
        return 0;
    }
    if (argc >= 4 && strcmp(argv[1], "acc") == 0) {
        acc(argv[2], strtoul(argv[3], NULL, 10), argc > 4 ? atof(argv[4]) : 1);
        return 0;
    }
    if (argc >= 8 && strcmp(argv[1], "split") == 0) {
        split(argv[2], atof(argv[3]), strtoul(argv[4], NULL, 10), atof(argv[5]), atoi(argv[6]),
              strtoul(argv[7], NULL, 10), argc > 8 ? atof(argv[8]) : 1,
              argc > 9 ? atoi(argv[9]) : 0);
        return 0;
    }
    fprintf(stderr, "usage: %s run N OUT.csv [THREADS] | rep MAP.csv REPS [THREADS [FACTOR]] | "
                    "attr N MAP.csv REPS [THREADS] | acc MAP.csv M [FACTOR] | "
                    "split MAP.csv H P RC REPS M [FACTOR [THREADS]]\n",
            PROG);
    return 2;
}

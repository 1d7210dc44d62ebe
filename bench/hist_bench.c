/* bench/hist_bench.c: time hs_hist_fill in-process and print the median.
 *
 *   hist_bench VALUES.bin N NBINS LO HI REPS
 *
 * VALUES.bin holds N doubles; the fill is repeated REPS times into a fresh
 * histogram, and the median wall time in ms is printed.  The counts of the
 * last fill are written to VALUES.bin.counts (NBINS doubles) for comparison.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hist.h"
#include "bench/bench_util.h"

int
main(int argc, char **argv)
{
    struct hs_hist h;
    struct hs_err err;
    double *v, *t, lo, hi;
    size_t n, nbins;
    int reps;
    char path[4096];
    FILE *f;

    if (argc != 7) {
        fprintf(stderr, "usage: hist_bench VALUES.bin N NBINS LO HI REPS\n");
        return 1;
    }
    n = strtoul(argv[2], NULL, 10);
    nbins = strtoul(argv[3], NULL, 10);
    lo = strtod(argv[4], NULL);
    hi = strtod(argv[5], NULL);
    reps = atoi(argv[6]);
    v = malloc(n * sizeof *v);
    t = malloc((size_t)(reps > 0 ? reps : 1) * sizeof *t);
    if (!v || !t || reps < 1 || !(f = fopen(argv[1], "rb")) || fread(v, sizeof *v, n, f) != n)
        return 1;
    fclose(f);
    if (hs_hist_init(&h, nbins, lo, hi, &err)) {
        fprintf(stderr, "hist_bench: %s\n", err.msg);
        return 1;
    }
    for (int r = 0; r < reps; r++) {
        hs_hist_reset(&h);
        double t0 = bench_now_ms();
        if (hs_hist_fill(&h, v, NULL, NULL, NAN, n, NULL, &err)) {
            fprintf(stderr, "hist_bench: %s\n", err.msg);
            return 1;
        }
        t[r] = bench_now_ms() - t0;
    }
    qsort(t, (size_t)reps, sizeof *t, bench_cmp_double);
    printf("%.3f\n", reps % 2 ? t[reps / 2] : 0.5 * (t[reps / 2 - 1] + t[reps / 2]));
    snprintf(path, sizeof path, "%s.counts", argv[1]);
    if (!(f = fopen(path, "wb")) || fwrite(h.sumw, sizeof(double), nbins, f) != nbins)
        return 1;
    fclose(f);
    hs_hist_release(&h);
    free(v);
    free(t);
    return 0;
}

/* bench/datav_bench.c: the data view's work on a column of a million
 * events, as the TUI's keys run it (ui/view-data.c over src/colsort.c
 * and src/freq.c).
 *
 *   datav_bench VALUES.bin N REPS WHAT
 *
 * VALUES.bin holds N little-endian doubles (bench/datav.sh writes them);
 * the table has that column "x", a column "g" of 21 distinct values
 * (x's rank modulo 21, as the demo's 21 mass points) and a 0/1 label.
 * WHAT is one of
 *   sort      s: the rows by x, ascending (stable, NaN last)
 *   sortdesc  s again: descending
 *   freq      F on x (continuous: bins)
 *   freqg     F on g (21 values)
 *   search    / for a value x does not hold (a whole pass)
 *   filter    a selection of half the rows, kept sorted by x
 * and prints the median wall time and the median CPU time of the process
 * (all its threads) in ms over REPS runs: on a shared machine the second
 * says what the work costs when the first says what a user waits.  With WHAT sort
 * the ascending order (N int64 row indexes) is written to
 * VALUES.bin.order, for the script to compare with numpy's. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "ui/view.h"

static double
cpu_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

static struct hs_table *
make_table(const char *path, size_t n)
{
    struct hs_table *t = hs_table_new();
    size_t ix, ig, il;
    FILE *f = fopen(path, "rb");

    if (!t || !f || hs_table_add_column(t, "x", HS_COL_NUMBER, &ix, NULL) ||
        hs_table_add_column(t, "g", HS_COL_NUMBER, &ig, NULL) ||
        hs_table_add_column(t, "label", HS_COL_NUMBER, &il, NULL) || hs_table_reserve(t, n) ||
        hs_table_resize(t, n) || fread(t->cols[ix].v, sizeof(double), n, f) != n) {
        fprintf(stderr, "datav_bench: cannot read %zu doubles from %s\n", n, path);
        exit(1);
    }
    fclose(f);
    t->cols[il].role = HS_ROLE_LABEL;
    for (size_t i = 0; i < n; i++) {
        t->cols[ig].v[i] = 0.5 + 0.25 * (double)(i % 21);
        t->cols[il].v[i] = (double)(i % 10 == 0);
    }
    return t;
}

static int
run_once(struct hs_data_view *dv, const char *what, const unsigned char *mask)
{
    struct hs_freq_row *rows = NULL;
    struct hs_err err;
    size_t n;
    int rc;

    hs_err_clear(&err);
    if (strcmp(what, "sort") == 0 || strcmp(what, "sortdesc") == 0) {
        dv->curcol = 0;
        dv->sort_dir = 0;
        rc = hs_data_view_sort(dv, NULL, strcmp(what, "sort") == 0 ? 1 : -1, NULL, &err);
    } else if (strcmp(what, "freq") == 0 || strcmp(what, "freqg") == 0) {
        dv->curcol = strcmp(what, "freq") == 0 ? 0 : 1;
        rc = hs_data_view_freq(dv, &rows, &n, NULL, &err);
        free(rows);
    } else if (strcmp(what, "search") == 0) {
        dv->curcol = 0;
        rc = hs_data_view_search(dv, "12345.678", 1, NULL, &err);
        rc = rc == HS_ENOTFOUND ? HS_OK : rc;
    } else if (strcmp(what, "filter") == 0) {
        rc = hs_data_view_filter(dv, mask, NULL, &err);
    } else {
        fprintf(stderr, "datav_bench: what is '%s'?\n", what);
        exit(2);
    }
    if (rc != HS_OK)
        fprintf(stderr, "datav_bench: %s: %s\n", what, err.msg);
    return rc;
}

int
main(int argc, char **argv)
{
    struct hs_data_view dv = {0};
    struct hs_table *t;
    unsigned char *mask;
    double *ms, *cpu;
    size_t n;
    int reps;

    if (argc != 5) {
        fprintf(stderr, "usage: datav_bench VALUES.bin N REPS sort|sortdesc|freq|freqg|search|filter\n");
        return 2;
    }
    n = strtoul(argv[2], NULL, 10);
    reps = atoi(argv[3]);
    t = make_table(argv[1], n);
    mask = malloc(n ? n : 1);
    ms = malloc((size_t)(reps > 0 ? reps : 1) * sizeof *ms);
    cpu = malloc((size_t)(reps > 0 ? reps : 1) * sizeof *cpu);
    for (size_t i = 0; i < n; i++)
        mask[i] = (unsigned char)(i % 2);
    if (hs_data_view_set(&dv, t) != HS_OK)
        return 1;
    if (strcmp(argv[4], "filter") == 0) {
        /* Filtering keeps the sort: sorted by x first. */
        struct hs_err err;
        if (hs_data_view_sort(&dv, NULL, 1, NULL, &err) != HS_OK)
            return 1;
    }
    for (int r = 0; r < reps; r++) {
        double t0 = bench_now_ms(), c0 = cpu_ms();
        if (run_once(&dv, argv[4], mask) != HS_OK)
            return 1;
        ms[r] = bench_now_ms() - t0;
        cpu[r] = cpu_ms() - c0;
        if (strcmp(argv[4], "filter") == 0)
            mask[0] ^= 1; /* a new selection each time */
    }
    if (strcmp(argv[4], "sort") == 0) {
        char path[4096];
        FILE *f;
        snprintf(path, sizeof path, "%s.order", argv[1]);
        if (!(f = fopen(path, "wb")))
            return 1;
        for (size_t i = 0; i < n; i++) {
            int64_t row = (int64_t)hs_data_view_row(&dv, i);
            fwrite(&row, sizeof row, 1, f);
        }
        fclose(f);
    }
    printf("%.2f %.2f\n", bench_median(ms, reps), bench_median(cpu, reps));
    hs_data_view_release(&dv);
    hs_table_free(t);
    free(mask);
    free(ms);
    free(cpu);
    return 0;
}

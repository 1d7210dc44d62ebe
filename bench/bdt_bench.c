/* bdt_bench.c: the boosted trees through the method layer on the demo at
 * 1,000,000 events, for bench/bdt.sh.
 *
 *   bdt_bench OUT.csv RUNS THREADS [OPTIONS]
 *
 * Writes the inputs, label and part as CSV for the python peers (OUT.csv,
 * or "-" for none), fits RUNS times on the default split's training part
 * with OPTIONS (default: 300 trees, depth 6, lr 0.1, 255 bins, no
 * subsampling, no early stopping), scores every event, and prints "key
 * value" lines: each fit's wall and CPU seconds (user + system of the
 * whole process, every thread) and their medians, the scoring time and
 * the test AUC.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bdt.h"
#include "bench/bench_demo.h"
#include "bench/bench_util.h"
#include "forest.h"
#include "method.h"
#include "model.h"
#include "roc.h"

#define PROG "bdt_bench"

static double
cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

int
main(int argc, char **argv)
{
    struct hs_table *t;
    struct hs_featureset fs;
    struct hs_split sp;
    struct hs_params p;
    struct hs_err err;

    if (argc < 4 || argc > 5 || atoi(argv[2]) < 1) {
        fprintf(stderr, "usage: bdt_bench OUT.csv RUNS THREADS [OPTIONS]\n");
        return 1;
    }
    int runs = atoi(argv[2]), threads = atoi(argv[3]);
    const char *opts = argc > 4 ? argv[4]
                                : "--trees 300 --depth 6 --lr 0.1 --bins 255 --subsample 1 "
                                  "--patience 0";
    bench_demo_make(PROG, 100000, 900000, &t, &fs, &sp);
    size_t n = t->nrows, nin = 0;
    const double **x = malloc(fs.n * sizeof *x);
    const char **names = malloc(fs.n * sizeof *names);
    for (size_t i = 0; i < fs.n; i++) {
        if (!fs.f[i].on || (fs.f[i].col >= 0 && t->cols[fs.f[i].col].kind != HS_COL_NUMBER))
            continue;
        if (hs_featureset_values(&fs, i, &x[nin], NULL, &err))
            bench_demo_die(PROG, fs.f[i].name, &err);
        names[nin++] = fs.f[i].name;
    }
    const double *label = hs_table_label(t), *weight = hs_table_weight(t);
    if (strcmp(argv[1], "-") != 0)
        bench_demo_write_csv(PROG, argv[1], nin, names, x, label, sp.part, n);
    printf("events %zu\ninputs %zu\ntrain_events %zu\n", n, nin, sp.count[HS_PART_TRAIN]);

    /* The training part only, as the peers are given it. */
    unsigned char *part = malloc(n), *test = malloc(n);
    for (size_t i = 0; i < n; i++)
        part[i] = sp.part[i] == HS_PART_TRAIN ? 0 : 2;
    hs_split_mask(&sp, HS_ON_TEST, n, test);
    if (hs_method_params(&hs_method_bdt, &p, &err) ||
        hs_params_parse_line(&p, opts, NULL, NULL, &err))
        bench_demo_die(PROG, "params", &err);
    struct hs_method_data d = {.n = n, .nin = nin, .x = x, .names = names, .label = label,
                               .weight = weight, .part = part, .threads = threads};
    double *fit = malloc((size_t)runs * sizeof *fit), *cpu = malloc((size_t)runs * sizeof *cpu);
    double *score = malloc(n * sizeof *score);
    struct hs_model *m = NULL;
    double score_s = 0, score_cpu = 0;
    for (int r = 0; r < runs; r++) {
        void *state;
        bool cancelled;
        double t0 = bench_now_ms(), c0 = cpu_s();
        if (hs_method_fit(&hs_method_bdt, &p, &d, NULL, NULL, &state, &cancelled, NULL, &err) ||
            hs_method_bdt.model(state, &m, &err))
            bench_demo_die(PROG, "fit", &err);
        fit[r] = (bench_now_ms() - t0) / 1e3;
        cpu[r] = cpu_s() - c0;
        hs_method_bdt.free(state);
        t0 = bench_now_ms();
        c0 = cpu_s();
        if (hs_model_score(m, x, n, score, NULL, &err))
            bench_demo_die(PROG, "score", &err);
        score_s = (bench_now_ms() - t0) / 1e3;
        score_cpu = cpu_s() - c0;
        if (r + 1 < runs)
            hs_model_free(m);
        printf("run %d fit_s %.3f cpu_s %.3f\n", r, fit[r], cpu[r]);
        fflush(stdout);
    }
    /* The forest's walks, one thread, 200k events: each event through
     * every tree in turn (hs_forest_raw_row) against hs_forest_raw's
     * groups of events walking a tree together. */
    {
        const struct hs_forest *f = hs_forest_of_model(m);
        size_t k = n < 200000 ? n : 200000;
        double *row = malloc(nin * sizeof *row), *a = malloc(k * sizeof *a), sum = 0;
        double c0 = cpu_s();
        for (size_t e = 0; e < k; e++) {
            for (size_t i = 0; i < nin; i++)
                row[i] = x[i][e];
            a[e] = hs_forest_raw_row(f, row);
        }
        double c1 = cpu_s();
        if (hs_forest_raw(f, x, k, a, 1, NULL, &err))
            bench_demo_die(PROG, "raw", &err);
        double c2 = cpu_s();
        for (size_t e = 0; e < k; e++)
            sum += a[e];
        printf("walk_row_cpu_s %.3f\nwalk_group_cpu_s %.3f\n(checksum %g)\n", c1 - c0, c2 - c1,
               sum);
        free(row);
        free(a);
    }
    struct hs_roc roc;
    if (hs_roc_from_scores(score, label, weight, test, n, &roc, NULL, &err))
        bench_demo_die(PROG, "roc", &err);
    printf("fit_s_median %.3f\ncpu_s_median %.3f\nscore_all_s %.3f\nscore_all_cpu_s %.3f\n"
           "test_auc %.6f\n",
           bench_median(fit, runs), bench_median(cpu, runs), score_s, score_cpu, roc.auc);
    hs_roc_release(&roc);
    hs_model_free(m);
    hs_params_release(&p);
    free(fit);
    free(cpu);
    free(score);
    free(part);
    free(test);
    free(x);
    free(names);
    hs_split_release(&sp);
    hs_featureset_release(&fs);
    hs_table_free(t);
    return 0;
}

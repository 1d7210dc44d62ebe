/* bench/cuts_bench.c: time the cut optimiser and the re-evaluation of a cut
 * set, in-process, and print "key value" lines for bench/cuts.sh.
 *
 *   cuts_bench OUT.csv REPS [REEVAL_REPS]
 *
 * (1) Generates the demo dataset (default configuration), adds the six
 *     pair features of the mumunu channel, makes the default split and
 *     writes the features, the label and the part (0 train, 1 val, 2 test)
 *     to OUT.csv for the numpy baseline; then times hs_cutopt_run on the
 *     whole efficiency grid and on the single target 0.95, REPS times each,
 *     and prints the medians, the test figures at 0.95 and the box.
 * (2) Generates 100,000 signal and 900,000 background events, binds the
 *     six features' ranges of that box as a cut set, and times changing one
 *     bound then hs_cuts_flow over the test part, REEVAL_REPS (50) times.
 * EFFORT in the environment sets the optimiser's effort (default 0).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cutopt.h"
#include "cuts.h"
#include "featureset.h"
#include "sim.h"
#include "split.h"
#include "table.h"
#include "bench/bench_demo.h"
#include "bench/bench_util.h"

static void
die(const char *what, const struct hs_err *err)
{
    bench_demo_die("cuts_bench", what, err);
}

/* The demo with its six features, and the default split. */
static void
demo(size_t nsig, size_t nbkg, struct hs_table **t, struct hs_featureset *fs, struct hs_split *sp,
     const double *vals[6])
{
    struct hs_err err;

    bench_demo_make("cuts_bench", nsig, nbkg, t, fs, sp);
    for (size_t k = 0; k < 6; k++)
        if (hs_featureset_values_by_name(fs, bench_demo_name[k], &vals[k], NULL, &err))
            die(bench_demo_name[k], &err);
}

int
main(int argc, char **argv)
{
    struct hs_table *t;
    struct hs_featureset fs;
    struct hs_split sp;
    struct hs_err err;
    const double *vals[6];
    int reps, rreps;

    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: cuts_bench OUT.csv REPS [REEVAL_REPS]\n");
        return 1;
    }
    reps = atoi(argv[2]);
    rreps = argc > 3 ? atoi(argv[3]) : 50;
    if (reps < 1 || rreps < 1)
        return 1;

    /* (1) the optimiser on the demo. */
    demo(0, 0, &t, &fs, &sp, vals);
    size_t n = t->nrows;
    const double *label = hs_table_label(t), *weight = hs_table_weight(t);
    unsigned char *train = malloc(n), *test = malloc(n);
    hs_split_mask(&sp, HS_ON_TRAIN, n, train);
    hs_split_mask(&sp, HS_ON_TEST, n, test);
    bench_demo_write_csv("cuts_bench", argv[1], 6, bench_demo_name, vals, label, sp.part, n);

    struct hs_cutopt_config c = {
        .nfeat = 6,
        .vals = vals,
        .names = bench_demo_name,
        .label = label,
        .weight = weight,
        .train = train,
        .test = test,
        .n = n,
        .targets = hs_cutopt_grid,
        .ntargets = HS_CUTOPT_GRID_N,
        .seed = 0,
        .effort = getenv("EFFORT") ? strtoul(getenv("EFFORT"), NULL, 10) : 0,
    };
    struct hs_cutopt_result r;
    double *tm = malloc((size_t)(reps > rreps ? reps : rreps) * sizeof *tm);
    for (int i = 0; i < reps; i++) {
        double t0 = bench_now_ms();
        if (hs_cutopt_run(&c, &r, NULL, &err))
            die("optimise", &err);
        tm[i] = bench_now_ms() - t0;
        if (i + 1 < reps)
            hs_cutopt_release(&r);
    }
    printf("grid_ms %.2f\n", bench_median(tm, reps));
    for (size_t j = 0; j < r.npoints; j++)
        printf("grid_point %.2f train_sig_eff %.4f train_bkg_eff %.6f test_sig_eff %.4f test_bkg "
               "%.0f\n",
               r.p[j].target, r.p[j].train_sig_eff, r.p[j].train_bkg_eff, r.p[j].test_sig_eff,
               r.p[j].test_bkg);
    hs_cutopt_release(&r);

    const double t95 = 0.95;
    c.targets = &t95;
    c.ntargets = 1;
    for (int i = 0; i < reps; i++) {
        double t0 = bench_now_ms();
        if (hs_cutopt_run(&c, &r, NULL, &err))
            die("optimise", &err);
        tm[i] = bench_now_ms() - t0;
        if (i + 1 < reps)
            hs_cutopt_release(&r);
    }
    printf("single_ms %.2f\n", bench_median(tm, reps));
    printf("test_bkg_95 %.0f\ntest_sig_eff_95 %.4f\ntrain_sig_eff_95 %.4f\ntrain_bkg_eff_95 %.6f\n",
           r.p[0].test_bkg, r.p[0].test_sig_eff, r.p[0].train_sig_eff, r.p[0].train_bkg_eff);
    printf("box_95");
    for (size_t k = 0; k < 6; k++)
        printf(" %s:%.6g:%.6g", bench_demo_name[k], r.p[0].lo[k], r.p[0].hi[k]);
    printf("\n");
    double box_lo[6], box_hi[6];
    memcpy(box_lo, r.p[0].lo, sizeof box_lo);
    memcpy(box_hi, r.p[0].hi, sizeof box_hi);
    hs_cutopt_release(&r);
    free(train);
    free(test);
    hs_split_release(&sp);
    hs_featureset_release(&fs);
    hs_table_free(t);

    /* (2) re-evaluating a changed cut set on 1,000,000 events. */
    demo(100000, 900000, &t, &fs, &sp, vals);
    n = t->nrows;
    test = malloc(n);
    hs_split_mask(&sp, HS_ON_TEST, n, test);
    struct hs_cutset cs = {0};
    for (size_t k = 0; k < 6; k++) {
        double lo = box_lo[k], hi = box_hi[k];
        if (!(lo < hi))
            lo = -HUGE_VAL, hi = HUGE_VAL;
        if (hs_cutset_add_range(&cs, bench_demo_name[k], lo, hi, &err))
            die("cut", &err);
    }
    struct hs_cuts_bound *b;
    struct hs_flow flow;
    if (hs_cuts_bind(&fs, &cs, &b, NULL, &err))
        die("bind", &err);
    for (int i = 0; i < rreps; i++) {
        size_t k = (size_t)i % 6;
        double lo = box_lo[k], hi = box_hi[k];
        /* A small move of one bound, as a user dragging a cut line. */
        if (isfinite(lo))
            lo += (i % 2 ? 1e-3 : -1e-3) * (fabs(lo) + 1);
        else if (isfinite(hi))
            hi += (i % 2 ? 1e-3 : -1e-3) * (fabs(hi) + 1);
        double t0 = bench_now_ms();
        if (hs_cuts_bound_set_range(b, k, lo, hi, &err) || hs_cuts_flow(b, test, &flow, NULL, &err))
            die("flow", &err);
        tm[i] = bench_now_ms() - t0;
        if (i + 1 == rreps)
            printf("reeval_events %zu\nreeval_final_sig %.0f\nreeval_final_bkg %.0f\n", n,
                   flow.step[flow.nsteps - 1].sig, flow.step[flow.nsteps - 1].bkg);
        hs_flow_release(&flow);
    }
    printf("reeval_ms %.3f\n", bench_median(tm, rreps));
    hs_cuts_bound_free(b);
    hs_cutset_release(&cs);
    free(test);
    free(tm);
    hs_split_release(&sp);
    hs_featureset_release(&fs);
    hs_table_free(t);
    return 0;
}

/* search_bench.c: what the search engine itself costs per trial, the
 * training left out: 30-trial searches (random and TPE) over the MLP
 * space of bench/search.sh with an objective that costs nothing, REPS
 * times; CPU microseconds per trial.
 *
 *   search_bench [REPS]
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "hpsearch.h"
#include "method.h"

static int
objective(void *user, struct hs_hp_trial *t, const struct hs_task *task, struct hs_err *err)
{
    (void)user;
    (void)task;
    (void)err;
    double a = log10(t->x[1]) + 2.6, b = t->x[2] - 0.07;
    t->val_auc = 0.9 - 0.05 * a * a - b * b - (t->x[0] == 1 ? 0 : 0.01);
    t->test_auc = t->val_auc;
    t->seconds = 0;
    t->status = HS_HP_OK;
    return HS_OK;
}

static double
cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int
main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 200;
    struct hs_hp_space sp;
    struct hs_err err = {0};

    if (hs_hp_space_parse(&sp, hs_method_find("mlp")->params,
                          "layers=[32],[64,64],[128,64,32]; lr=log(1e-4,1e-2); dropout=0:0.3",
                          &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    for (int s = 0; s < 2; s++) {
        struct hs_hp_opts o;
        double t0, best = 0;
        hs_hp_opts_default(&o);
        o.strategy = s ? HS_HP_TPE : HS_HP_RANDOM;
        t0 = cpu_now();
        for (int r = 0; r < reps; r++) {
            struct hs_hp_result res;
            o.seed = (uint64_t)r + 1;
            if (hs_hp_search(&sp, &o, objective, NULL, &res, NULL, &err)) {
                fprintf(stderr, "%s\n", err.msg);
                return 1;
            }
            best += res.trials[res.best].val_auc;
            hs_hp_result_release(&res);
        }
        printf("%s_us_per_trial %.2f\n%s_mean_best %.6f\n", hs_hp_strategy_names[o.strategy],
               1e6 * (cpu_now() - t0) / (reps * 30.0), hs_hp_strategy_names[o.strategy],
               best / reps);
    }
    hs_hp_space_release(&sp);
    return 0;
}

/* umap_bench.c: UMAP through the method layer on the demo, for
 * bench/umap.sh.
 *
 *   umap_bench N X.csv RUNS LAYOUT.csv [THREADS]
 *
 * Lays out N demo events (a tenth signal) by their 19 enabled features,
 * standardised as every projection standardises them (embed_input.h).
 * X.csv gets the standardised rows (no header) for the peers, so that all
 * tools see the same numbers ("-" for none); each of RUNS fits is timed
 * whole (kNN graph to last epoch), and LAYOUT.csv gets the last one's
 * coordinates.  Prints "key value" lines: seconds of each run, their
 * median, the final loss, the stage times of the last run.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_demo.h"
#include "bench/bench_util.h"
#include "embed_input.h"
#include "method.h"
#include "par.h"
#include "umap.h"

#define PROG "umap_bench"

struct timing {
    double t0, last;
    double stage_end[4];
};

/* Stage times: when the first epoch report came (graph and start done). */
static void
on_progress(void *user, double f, const char *what)
{
    struct timing *t = user;
    (void)f;
    if (strstr(what, "epochs") && t->stage_end[1] == 0)
        t->stage_end[1] = bench_now_ms();
    else if (strstr(what, "layout") && t->stage_end[0] == 0)
        t->stage_end[0] = bench_now_ms();
}

static void
on_step(void *user, const struct hs_method_status *st)
{
    struct timing *t = user;
    (void)st;
    t->last = bench_now_ms();
}

int
main(int argc, char **argv)
{
    struct hs_table *t;
    struct hs_featureset fs;
    struct hs_split sp;
    struct hs_params p;
    struct hs_err err;

    if (argc < 5 || argc > 6 || atol(argv[1]) < 20 || atoi(argv[3]) < 1) {
        fprintf(stderr, "usage: umap_bench N X.csv RUNS LAYOUT.csv [THREADS]\n");
        return 1;
    }
    size_t want = (size_t)atol(argv[1]);
    int runs = atoi(argv[3]);
    if (argc == 6)
        hs_par_set_threads(atoi(argv[5]));
    bench_demo_make(PROG, want / 10, want - want / 10, &t, &fs, &sp);
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
    struct hs_method_data d = {n, nin, x, names, NULL, NULL, NULL, 0};
    if (strcmp(argv[2], "-") != 0) {
        struct hs_embed_input in;
        FILE *f = fopen(argv[2], "w");
        if (!f || hs_embed_input_init(&in, &d, 1, &err)) {
            fprintf(stderr, "%s: cannot write %s\n", PROG, argv[2]);
            return 1;
        }
        for (size_t i = 0; i < in.n; i++)
            for (size_t j = 0; j < nin; j++)
                fprintf(f, "%.9g%c", in.x[i * nin + j], j + 1 < nin ? ',' : '\n');
        fclose(f);
        printf("fitted %zu\n", in.n);
        hs_embed_input_release(&in);
    }
    printf("events %zu\ninputs %zu\nthreads %d\n", n, nin, hs_par_threads());
    if (hs_method_params(&hs_method_umap, &p, &err))
        bench_demo_die(PROG, "params", &err);
    double *sec = malloc((size_t)runs * sizeof *sec), loss = 0;
    double *coords = NULL;
    size_t dim = 0;
    for (int r = 0; r < runs; r++) {
        void *state;
        bool cancelled;
        struct timing tm = {bench_now_ms(), 0, {0}};
        struct hs_method_report rep;
        struct hs_task task = {on_progress, &tm, NULL};
        if (hs_method_fit(&hs_method_umap, &p, &d, on_step, &tm, &state, &cancelled, &task, &err))
            bench_demo_die(PROG, "fit", &err);
        sec[r] = (bench_now_ms() - tm.t0) / 1e3;
        printf("run_s %.4f\nknn_graph_init_s %.4f\n", sec[r], (tm.stage_end[0] - tm.t0) / 1e3);
        hs_method_umap.report(state, &rep);
        loss = rep.kl;
        if (r == runs - 1) {
            if (hs_method_umap.coords(state, &coords, &dim, &err))
                bench_demo_die(PROG, "coords", &err);
        }
        hs_method_umap.free(state);
        fflush(stdout);
    }
    printf("seconds_median %.4f\nloss %.6g\n", bench_median(sec, runs), loss);
    FILE *f = fopen(argv[4], "w");
    if (!f) {
        fprintf(stderr, "%s: cannot write %s\n", PROG, argv[4]);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < dim; k++)
            fprintf(f, "%.9g%c", coords[i * dim + k], k + 1 < dim ? ',' : '\n');
    fclose(f);
    return 0;
}

/* umap_bench.c: UMAP through the method layer on the demo, for
 * bench/umap.sh.
 *
 *   umap_bench N X.csv RUNS LAYOUT.csv [THREADS]
 *
 * Lays out N demo events (embed_demo.h: a seeded draw from a demo of at
 * least 100,000 events, a tenth signal) by their 19 enabled features,
 * standardised as every projection standardises them.  X.csv gets the
 * standardised rows (no header) for the peers, so that all tools see the
 * same numbers ("-" for none); each of RUNS fits is timed whole (kNN
 * graph to last epoch), and LAYOUT.csv gets the last one's coordinates.
 * Prints "key value" lines: wall and CPU seconds (every thread) of each
 * run and of its phases (neighbours, fuzzy graph, starting layout,
 * epochs, from the method's progress messages), their medians, the final
 * loss.  SEED, INIT and EPOCHS in the environment set those parameters;
 * GATE=0 runs the threads whatever the machine's load, WORKERS=1 runs
 * their parts on one OS thread.
 *
 * DATA=FILE.csv (environment; empty for the demo) lays out the first N rows of a CSV file
 * with a header instead of the demo: every column whose first row is a
 * number, but Run and Event (identifiers), standardised by the same
 * input step; text columns are skipped.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>

#include "bench/bench_util.h"
#include "bench/embed_demo.h"
#include "method.h"
#include "par.h"
#include "umap.h"

#define PROG "umap_bench"

/* The phases, in the order the method reports them. */
enum { PH_KNN, PH_GRAPH, PH_INIT, PH_EPOCHS, NPH };
static const char *const phase_name[NPH] = {"knn", "graph", "init", "epochs"};

struct timing {
    int phase, pca; /* pca: the graph was not connected */
    double wall[NPH + 1], cpu[NPH + 1]; /* at each phase's start, and the end */
};

static void
mark(struct timing *t, int phase)
{
    while (t->phase < phase) {
        t->phase++;
        t->wall[t->phase] = bench_now_ms() / 1e3;
        t->cpu[t->phase] = embed_demo_cpu_s();
    }
}

/* umap_method.c's messages: "umap: fuzzy graph" when the neighbours are
 * done, "umap: starting layout" (or "... pca layout") when the graph is,
 * "umap: epochs" from the first epoch on. */
static void
on_progress(void *user, double f, const char *what)
{
    struct timing *t = user;
    (void)f;
    if (strstr(what, "pca start"))
        t->pca = 1;
    if (strstr(what, "epochs"))
        mark(t, PH_EPOCHS);
    else if (strstr(what, "layout") || strstr(what, "spectral"))
        mark(t, PH_INIT);
    else if (strstr(what, "fuzzy graph"))
        mark(t, PH_GRAPH);
}

/* The next field of a CSV line (no quoting: the CMS files have none),
 * cut in place; NULL at the end. */
static char *
next_field(char **p)
{
    char *f = *p;
    if (!f)
        return NULL;
    char *c = strpbrk(f, ",\r\n");
    if (c && *c == ',') {
        *c = 0;
        *p = c + 1;
    } else {
        if (c)
            *c = 0;
        *p = NULL;
    }
    return f;
}

/* Up to want rows of the CSV file's numeric columns (see the top) into
 * e, as embed_demo_make fills it for the demo. */
static void
csv_data(const char *path, size_t want, struct embed_demo *e)
{
    static char line[1 << 16], first[1 << 16];
    char *names[256], *p, *f;
    int use[256], ncol = 0, c;
    size_t nin = 0, cap = want, rows = 0;
    FILE *in = fopen(path, "r");
    struct hs_err err;

    if (!in || !fgets(line, sizeof line, in) || !fgets(first, sizeof first, in)) {
        fprintf(stderr, "%s: cannot read %s\n", PROG, path);
        exit(1);
    }
    for (p = line; (f = next_field(&p)) && ncol < 256; ncol++)
        names[ncol] = strdup(f);
    memcpy(line, first, sizeof line);
    for (p = line, c = 0; (f = next_field(&p)) && c < ncol; c++) {
        char *end;
        strtod(f, &end);
        use[c] = *f && !*end && strcmp(names[c], "Run") != 0 && strcmp(names[c], "Event") != 0;
        nin += (size_t)use[c];
    }
    double **x = malloc(nin * sizeof *x);
    e->names = malloc(nin * sizeof *e->names);
    for (size_t j = 0, k = 0; j < (size_t)ncol; j++)
        if (use[j]) {
            x[k] = malloc(cap * sizeof **x);
            e->names[k++] = names[j];
        }
    memcpy(line, first, sizeof line);
    do {
        size_t k = 0;
        for (p = line, c = 0; (f = next_field(&p)) && c < ncol; c++)
            if (use[c])
                x[k++][rows] = *f ? strtod(f, NULL) : NAN;
        for (; k < nin; k++)
            x[k][rows] = NAN;
        rows++;
    } while (rows < cap && fgets(line, sizeof line, in));
    fclose(in);
    e->x = (const double **)x;
    e->nin = nin;
    e->part = NULL;
    e->d = (struct hs_method_data){.n = rows, .nin = nin, .x = e->x, .names = e->names};
    if (hs_embed_input_init(&e->in, &e->d, 2, &err))
        bench_demo_die(PROG, "input", &err);
}

int
main(int argc, char **argv)
{
    struct embed_demo e;
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
    /* GATE=0 (environment): rounds wake the second thread whatever the
     * load, to measure two threads at work on a shared machine */
    if (getenv("GATE") && strcmp(getenv("GATE"), "0") == 0)
        hs_par_set_gate(false);
    /* WORKERS=1: the threads' parts all on the calling thread (the same
     * layout), to tell the parts' own cost from the threads' */
    if (getenv("WORKERS"))
        hs_par_set_max_workers(atoi(getenv("WORKERS")));
    const char *data = getenv("DATA");
    if (data && *data)
        csv_data(data, want, &e);
    else
        embed_demo_make(PROG, want, &e);
    if (strcmp(argv[2], "-") != 0) {
        FILE *f = fopen(argv[2], "w");
        if (!f) {
            fprintf(stderr, "%s: cannot write %s\n", PROG, argv[2]);
            return 1;
        }
        for (size_t i = 0; i < e.in.n; i++)
            for (size_t j = 0; j < e.in.dim; j++)
                fprintf(f, "%.9g%c", e.in.x[i * e.in.dim + j], j + 1 < e.in.dim ? ',' : '\n');
        fclose(f);
    }
    printf("fitted %zu\ninputs %zu\nthreads %d\n", e.in.n, e.nin, hs_par_threads());
    if (hs_method_params(&hs_method_umap, &p, &err))
        bench_demo_die(PROG, "params", &err);
    /* SEED, INIT, EPOCHS (environment): the method's seed, start and epochs,
     * for trustworthiness over seeds and starts (bench/RESULTS.md) */
    if (getenv("SEED") && hs_params_set(&p, "seed", getenv("SEED"), &err))
        bench_demo_die(PROG, "seed", &err);
    if (getenv("INIT") && hs_params_set(&p, "init", getenv("INIT"), &err))
        bench_demo_die(PROG, "init", &err);
    if (getenv("EPOCHS") && hs_params_set(&p, "epochs", getenv("EPOCHS"), &err))
        bench_demo_die(PROG, "epochs", &err);
    double *sec = malloc((size_t)runs * sizeof *sec), *cpu = malloc((size_t)runs * sizeof *cpu);
    double loss = 0, *coords = NULL;
    size_t dim = 0;
    for (int r = 0; r < runs; r++) {
        void *state;
        bool cancelled;
        struct timing tm = {0};
        struct hs_method_report rep;
        struct hs_task task = {on_progress, &tm, NULL};
        tm.wall[0] = bench_now_ms() / 1e3;
        tm.cpu[0] = embed_demo_cpu_s();
        if (hs_method_fit(&hs_method_umap, &p, &e.d, NULL, NULL, &state, &cancelled, &task, &err))
            bench_demo_die(PROG, "fit", &err);
        mark(&tm, NPH);
        sec[r] = tm.wall[NPH] - tm.wall[0];
        cpu[r] = tm.cpu[NPH] - tm.cpu[0];
        printf("run_s %.4f\nrun_cpu_s %.4f\nstart %s\n", sec[r], cpu[r],
               tm.pca ? "pca (graph not connected)" : "as asked");
        for (int ph = 0; ph < NPH; ph++)
            printf("%s_s %.4f\n%s_cpu_s %.4f\n", phase_name[ph], tm.wall[ph + 1] - tm.wall[ph],
                   phase_name[ph], tm.cpu[ph + 1] - tm.cpu[ph]);
        hs_method_umap.report(state, &rep);
        loss = rep.kl;
        if (r == runs - 1 && hs_method_umap.coords(state, &coords, &dim, &err))
            bench_demo_die(PROG, "coords", &err);
        hs_method_umap.free(state);
        fflush(stdout);
    }
    printf("seconds_median %.4f\ncpu_median %.4f\nloss %.6g\n", bench_median(sec, runs),
           bench_median(cpu, runs), loss);
    FILE *f = fopen(argv[4], "w");
    if (!f) {
        fprintf(stderr, "%s: cannot write %s\n", PROG, argv[4]);
        return 1;
    }
    /* the fitted rows in X.csv's order */
    for (size_t i = 0; i < e.in.n; i++)
        for (size_t k = 0; k < dim; k++)
            fprintf(f, "%.9g%c", coords[e.in.row[i] * dim + k], k + 1 < dim ? ',' : '\n');
    fclose(f);
    return 0;
}

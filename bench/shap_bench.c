/* shap_bench.c: hepscope's TreeSHAP on XGBoost's trees, for bench/shap.sh.
 *
 *   shap_bench demo OUT.csv NSIG NBKG
 *       the demo (default split) as CSV: the inputs, label, part
 *   shap_bench shap TREES.csv X.bin CONTRIBS.bin MARGIN.bin N BASE_MARGIN THREADS REPS
 *       loads the trees (bench/shap_xgb.py's table) into a struct
 *       hs_forest, computes the SHAP values of the N events of X.bin
 *       (N x inputs doubles) REPS times on THREADS threads, and prints
 *       "key value" lines: wall and CPU seconds (median), the largest
 *       difference from XGBoost's pred_contribs (CONTRIBS.bin, N x
 *       (inputs + 1), the bias last), from its margins (MARGIN.bin) and
 *       the largest local-accuracy error.
 *
 * XGBoost compares float32 values: the thresholds, leaf values and covers
 * are read as the float32 numbers the dump wrote (9 digits), and the
 * events are already float32 values.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench/bench_demo.h"
#include "bench/bench_util.h"
#include "forest.h"
#include "par.h"
#include "treeshap.h"

#define PROG "shap_bench"

static double
cpu_s(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec * 1e-6 +
           (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec * 1e-6;
}

static void
die(const char *what)
{
    fprintf(stderr, "%s: %s\n", PROG, what);
    exit(1);
}

static double
f32(const char *s)
{
    return (double)(float)strtod(s, NULL);
}

/* One tree's nodes in the dump's numbering, gathered until the tree
 * changes; node ids can have gaps (pruned nodes), so they are renumbered
 * in increasing order, which keeps children after parents. */
static void
flush_tree(struct hs_forest *f, struct hs_forest_node *nd, long *id, size_t n)
{
    struct hs_err err = {0};
    long maxid = 0;
    for (size_t i = 0; i < n; i++)
        maxid = id[i] > maxid ? id[i] : maxid;
    long *map = malloc((size_t)(maxid + 1) * sizeof *map);
    struct hs_forest_node *out = malloc(n * sizeof *out);
    for (long i = 0; i <= maxid; i++)
        map[i] = -1;
    /* the dump lists a tree's nodes by id */
    for (size_t i = 0; i < n; i++)
        map[id[i]] = (long)i;
    for (size_t i = 0; i < n; i++) {
        out[i] = nd[i];
        if (nd[i].feature >= 0) {
            out[i].left = (uint32_t)map[nd[i].left];
            out[i].right = (uint32_t)map[nd[i].right];
        }
    }
    if (hs_forest_add_tree(f, out, n, &err)) {
        fprintf(stderr, "%s: %s\n", PROG, err.msg);
        exit(1);
    }
    free(map);
    free(out);
}

static struct hs_forest *
load_trees(const char *path, size_t nin, double base)
{
    FILE *fp = fopen(path, "r");
    char line[1024];
    if (!fp || !fgets(line, sizeof line, fp))
        die("cannot read the trees");
    struct hs_forest *f = hs_forest_new(nin, base);
    size_t cap = 1 << 16, n = 0;
    struct hs_forest_node *nd = malloc(cap * sizeof *nd);
    long *id = malloc(cap * sizeof *id), tree = -1;
    while (fgets(line, sizeof line, fp)) {
        char *tok[10], *s = line;
        for (int k = 0; k < 10; k++) {
            tok[k] = s;
            s = strchr(s, ',');
            if (!s && k < 9)
                die("a short line in the trees");
            if (s)
                *s++ = 0;
        }
        long t = atol(tok[0]);
        if (t != tree && n) {
            flush_tree(f, nd, id, n);
            n = 0;
        }
        tree = t;
        if (n == cap)
            die("a tree of too many nodes");
        id[n] = atol(tok[1]);
        struct hs_forest_node *d = &nd[n++];
        memset(d, 0, sizeof *d);
        d->feature = atoi(tok[2]);
        if (d->feature >= 0) {
            d->threshold = f32(tok[3]);
            d->left = (uint32_t)atol(tok[4]);
            d->right = (uint32_t)atol(tok[5]);
            d->missing_left = atoi(tok[6]) != 0;
            d->gain = strtod(tok[9], NULL);
        } else {
            d->value = f32(tok[7]);
        }
        d->cover = f32(tok[8]);
    }
    if (n)
        flush_tree(f, nd, id, n);
    fclose(fp);
    free(nd);
    free(id);
    return f;
}

static double *
read_bin(const char *path, size_t count)
{
    FILE *fp = fopen(path, "rb");
    double *v = malloc(count * sizeof *v);
    if (!fp || fread(v, sizeof *v, count, fp) != count)
        die("cannot read a binary file");
    fclose(fp);
    return v;
}

static int
demo_csv(int argc, char **argv)
{
    struct hs_table *t;
    struct hs_featureset fs;
    struct hs_split sp;
    struct hs_err err;
    if (argc != 5)
        die("usage: shap_bench demo OUT.csv NSIG NBKG");
    bench_demo_make(PROG, (size_t)atol(argv[3]), (size_t)atol(argv[4]), &t, &fs, &sp);
    size_t nin = 0;
    const double **x = malloc(fs.n * sizeof *x);
    const char **names = malloc(fs.n * sizeof *names);
    for (size_t i = 0; i < fs.n; i++) {
        if (!fs.f[i].on || (fs.f[i].col >= 0 && t->cols[fs.f[i].col].kind != HS_COL_NUMBER))
            continue;
        if (hs_featureset_values(&fs, i, &x[nin], NULL, &err))
            bench_demo_die(PROG, fs.f[i].name, &err);
        names[nin++] = fs.f[i].name;
    }
    bench_demo_write_csv(PROG, argv[2], nin, names, x, hs_table_label(t), sp.part, t->nrows);
    free(x);
    free(names);
    hs_split_release(&sp);
    hs_featureset_release(&fs);
    hs_table_free(t);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "demo") == 0)
        return demo_csv(argc, argv);
    if (argc != 10 || strcmp(argv[1], "shap") != 0)
        die("usage: shap_bench shap TREES.csv X.bin CONTRIBS.bin MARGIN.bin N BASE_MARGIN "
            "THREADS REPS");
    size_t n = (size_t)atol(argv[6]);
    double base = strtod(argv[7], NULL);
    int threads = atoi(argv[8]), reps = atoi(argv[9]);
    /* the inputs from the size of X.bin */
    FILE *fp = fopen(argv[3], "rb");
    if (!fp || fseek(fp, 0, SEEK_END))
        die("cannot read X.bin");
    size_t nin = (size_t)ftell(fp) / sizeof(double) / n;
    fclose(fp);
    struct hs_forest *f = load_trees(argv[2], nin, base);
    double *xr = read_bin(argv[3], n * nin), *ref = read_bin(argv[4], n * (nin + 1));
    double *margin = read_bin(argv[5], n);
    double **cols = malloc(nin * sizeof *cols);
    for (size_t i = 0; i < nin; i++) {
        cols[i] = malloc(n * sizeof **cols);
        for (size_t e = 0; e < n; e++)
            cols[i][e] = xr[e * nin + i];
    }
    double *phi = malloc(n * nin * sizeof *phi), *wall = malloc((size_t)reps * sizeof *wall);
    double *cpu = malloc((size_t)reps * sizeof *cpu);
    struct hs_err err = {0};
    for (int r = 0; r < reps; r++) {
        double w0 = bench_now_ms(), c0 = cpu_s();
        if (hs_treeshap(f, (const double *const *)cols, NULL, n, phi, threads, NULL, &err))
            die(err.msg);
        wall[r] = (bench_now_ms() - w0) / 1e3;
        cpu[r] = cpu_s() - c0;
    }
    double b = hs_treeshap_base(f), dphi = 0, dbias = 0, dacc = 0, dmargin = 0, dphi_rel = 0;
    double *row = malloc(nin * sizeof *row);
    for (size_t e = 0; e < n; e++) {
        double s = b;
        for (size_t i = 0; i < nin; i++) {
            double d = fabs(phi[e * nin + i] - ref[e * (nin + 1) + i]);
            dphi = d > dphi ? d : dphi;
            double rel = d / (1 + fabs(ref[e * (nin + 1) + i]));
            dphi_rel = rel > dphi_rel ? rel : dphi_rel;
            s += phi[e * nin + i];
            row[i] = cols[i][e];
        }
        double raw = hs_forest_raw_row(f, row);
        dacc = fabs(s - raw) > dacc ? fabs(s - raw) : dacc;
        dmargin = fabs(raw - margin[e]) > dmargin ? fabs(raw - margin[e]) : dmargin;
        double db = fabs(b - ref[e * (nin + 1) + nin]);
        dbias = db > dbias ? db : dbias;
    }
    printf("trees %zu\nnodes %zu\nevents %zu\ninputs %zu\n", f->ntrees, f->start[f->ntrees], n,
           nin);
    printf("hs_wall_s %.3f\nhs_cpu_s %.3f\n", bench_median(wall, reps), bench_median(cpu, reps));
    printf("max_abs_diff_phi %.3g\nmax_rel_diff_phi %.3g\nmax_abs_diff_bias %.3g\n", dphi,
           dphi_rel, dbias);
    printf("max_local_accuracy_err %.3g\nmax_abs_diff_margin %.3g\n", dacc, dmargin);
    return 0;
}

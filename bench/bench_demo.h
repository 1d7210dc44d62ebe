/* bench_demo.h: the demo dataset as the benchmarks use it, shared by
 * bench/cuts_bench.c and bench/mlp_bench.c.
 *
 * The demo (mumunu channel) with the six pair features `hepscope demo`
 * adds (ui/cmd-demo.c, copied here because ui/ is not linked into the
 * bench helpers), the default split, and a CSV writer for the python
 * baselines: the chosen feature columns, then "label" and "part" (0 train,
 * 1 validation, 2 test).  Header-only: static inline, so a program that
 * uses part of it gets no unused-function warning.
 */
#ifndef HS_BENCH_DEMO_H
#define HS_BENCH_DEMO_H

#include <stdio.h>
#include <stdlib.h>

#include "featureset.h"
#include "sim.h"
#include "split.h"
#include "table.h"

#define BENCH_DEMO_NDERIVED 6

static const char *const bench_demo_name[BENCH_DEMO_NDERIVED] = {
    "m_mumu", "p_mumu", "pt_mumu", "pt_frac", "open_angle", "dphi_mumu"};
static const char *const bench_demo_expr[BENCH_DEMO_NDERIVED] = {
    "mass(E_mu_plus,p_mu_plus_x,p_mu_plus_y,p_mu_plus_z,"
    "E_mu_minus,p_mu_minus_x,p_mu_minus_y,p_mu_minus_z)",
    "p(p_mu_plus_x+p_mu_minus_x,p_mu_plus_y+p_mu_minus_y,p_mu_plus_z+p_mu_minus_z)",
    "pt(p_mu_plus_x+p_mu_minus_x,p_mu_plus_y+p_mu_minus_y)",
    "pt_mumu/p_mumu",
    "angle(p_mu_plus_x,p_mu_plus_y,p_mu_plus_z,p_mu_minus_x,p_mu_minus_y,p_mu_minus_z)",
    "dphi(phi(p_mu_plus_x,p_mu_plus_y),phi(p_mu_minus_x,p_mu_minus_y))",
};

static inline void
bench_demo_die(const char *prog, const char *what, const struct hs_err *err)
{
    fprintf(stderr, "%s: %s: %s\n", prog, what, err->msg);
    exit(1);
}

/* The demo (default configuration, or nsig signal and nbkg background
 * events when nsig > 0) in *t, its feature set with the six pair features
 * added (on) in *fs, and the default split in *sp.  Exits on an error. */
static inline void
bench_demo_make(const char *prog, size_t nsig, size_t nbkg, struct hs_table **t,
                struct hs_featureset *fs, struct hs_split *sp)
{
    struct hs_sim_config c;
    struct hs_err err;

    hs_sim_config_init(&c);
    if (nsig)
        c.n_signal = nsig, c.n_background = nbkg;
    if (hs_sim_generate(&c, t, NULL, &err))
        bench_demo_die(prog, "generate", &err);
    if (hs_featureset_init(fs, *t, &err))
        bench_demo_die(prog, "features", &err);
    for (size_t k = 0; k < BENCH_DEMO_NDERIVED; k++)
        if (hs_featureset_add(fs, bench_demo_name[k], bench_demo_expr[k], true, &err))
            bench_demo_die(prog, bench_demo_name[k], &err);
    if (hs_split_make(*t, HS_SPLIT_DEFAULT_TRAIN, HS_SPLIT_DEFAULT_VAL, HS_SPLIT_DEFAULT_TEST,
                      HS_SPLIT_DEFAULT_SEED, sp, &err))
        bench_demo_die(prog, "split", &err);
}

/* Write nfeat columns (names, vals[k][0..n)), the label and the part to
 * path; values as %.17g so that they read back exactly.  Exits on an
 * error. */
static inline void
bench_demo_write_csv(const char *prog, const char *path, size_t nfeat, const char *const *names,
                     const double *const *vals, const double *label, const unsigned char *part,
                     size_t n)
{
    FILE *f = fopen(path, "w");

    if (!f) {
        fprintf(stderr, "%s: cannot write %s\n", prog, path);
        exit(1);
    }
    for (size_t k = 0; k < nfeat; k++)
        fprintf(f, "%s,", names[k]);
    fprintf(f, "label,part\n");
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < nfeat; k++)
            fprintf(f, "%.17g,", vals[k][i]);
        fprintf(f, "%.17g,%d\n", label[i], part[i]);
    }
    if (fclose(f)) {
        fprintf(stderr, "%s: cannot write %s\n", prog, path);
        exit(1);
    }
}

#endif

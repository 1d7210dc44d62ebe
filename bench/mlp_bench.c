/* bench/mlp_bench.c: time hepscope's MLP training in-process and print
 * "key value" lines for bench/mlp.sh.
 *
 *   mlp_bench OUT.csv EPOCHS RUNS [THREADS]
 *
 * Generates the demo at 1,000,000 events (100,000 signal, 900,000
 * background), adds the six pair features, makes the default split and
 * writes the network's inputs (every enabled numeric feature: the 13 raw
 * columns that are features plus the six derived ones), the label and the
 * part to OUT.csv ("-": no file) for the python peers.  Then trains RUNS
 * networks (seed 0, 1, ...) of the benchmark's configuration: 64,64 relu,
 * Adam lr 1e-3, batch 256, L2 1e-4, no dropout, EPOCHS epochs, no early
 * stopping, THREADS (2) threads for the GEMMs, and scores the test part.
 *
 * The peers train on the training part and validate nothing, so by
 * default hepscope gets no validation part either (its validation rows
 * are marked as no part); VAL=1 in the environment keeps them, to show
 * what the per-epoch validation loss and AUC cost.
 *
 * PROFILE=1: after the trainings, one more epoch at THREADS threads and
 * one at 1 thread replay the training's batch loop (src/mlp_train.c) with
 * the engine's own kernels (src/mlp_int.h) and a clock around each phase
 * (shuffle, gather, forward, loss, backward, L2, Adam), and time
 * hs_mlp_score's forward pass per chunk size, to show where an epoch's
 * time goes.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "featureset.h"
#include "mlp.h"
#include "mlp_int.h"
#include "par.h"
#include "roc.h"
#include "split.h"
#include "table.h"
#include "bench/bench_demo.h"
#include "bench/bench_util.h"

#define PROG "mlp_bench"

struct epochs {
    double *sec;  /* every epoch of every run */
    size_t n, cap;
    double last_loss;
};

static void
on_epoch(void *user, const struct hs_epoch_info *e)
{
    struct epochs *ep = user;

    if (ep->n < ep->cap)
        ep->sec[ep->n++] = e->seconds;
    ep->last_loss = e->loss;
    fprintf(stderr, "  hepscope epoch %zu: %.3f s, loss %.5f, val loss %.5f, val auc %.5f\n",
            e->epoch, e->seconds, e->loss, e->val_loss, e->val_auc);
}

/* One epoch of the training's loop, phase by phase (see mlp_train.c). */
static void
profile_epoch(const double *const *x, size_t nin, const double *label, const unsigned char *part,
              size_t n, int threads)
{
    enum { SHUF, GATHER, FWD, LOSS, BWD, L2, ADAM, NPH };
    static const char *const phase[NPH] = {"shuffle", "gather", "forward", "loss",
                                           "backward", "l2",    "adam"};
    double tp[NPH] = {0};
    struct hs_mlp_config c;
    struct hs_mlp *m;
    struct hs_mlp_ws ws;
    struct hs_err err;
    const size_t B = 256;

    hs_mlp_config_default(&c);
    c.nhidden = 2;
    c.width[0] = c.width[1] = 64;
    c.dropout[0] = c.dropout[1] = 0;
    if (hs_mlp_new(&c, nin, &m, &err) || hs_mlp_ws_init(&ws, m, B, NULL, &err))
        bench_demo_die(PROG, "profile", &err);
    size_t nt = 0;
    for (size_t i = 0; i < n; i++)
        nt += part[i] == HS_PART_TRAIN;
    double *X = malloc(nt * nin * sizeof *X), *y = malloc(nt * sizeof *y);
    size_t *perm = malloc(nt * sizeof *perm);
    double *Xb = malloc(B * nin * sizeof *Xb), *yb = malloc(B * sizeof *yb);
    double *dout = malloc(B * sizeof *dout);
    size_t np = m->nparams;
    double *g = malloc(np * sizeof *g), *s1 = calloc(np, sizeof *s1), *s2 = calloc(np, sizeof *s2);
    for (size_t j = 0; j < nin; j++) {
        double sum = 0, ss = 0;
        for (size_t i = 0; i < n; i++)
            if (part[i] == HS_PART_TRAIN)
                sum += x[j][i];
        double mu = sum / (double)nt;
        for (size_t i = 0; i < n; i++)
            if (part[i] == HS_PART_TRAIN)
                ss += (x[j][i] - mu) * (x[j][i] - mu);
        double sd = sqrt(ss / (double)nt);
        for (size_t i = 0, k = 0; i < n; i++)
            if (part[i] == HS_PART_TRAIN) {
                X[k * nin + j] = (x[j][i] - mu) / (sd > 0 ? sd : 1);
                if (j == 0)
                    y[k] = label[i];
                k++;
            }
    }
    for (size_t k = 0; k < nt; k++)
        perm[k] = k;
    size_t wlo[3], whi[3];
    for (size_t l = 0; l <= 2; l++)
        hs_mlp_layer(m, l, &wlo[l], &whi[l], NULL, NULL);
    int prev = hs_mlp_threads_set(threads);
    struct hs_rng rng;
    hs_mlp_rng_seed(&rng, 0, 2);
    double *p = m->params, t0 = bench_now_ms(), t1;
    uint64_t step = 0;
    double all0 = t0;
    for (size_t k = nt; k > 1; k--) {
        size_t j = (size_t)(hs_rng_next(&rng) % k), tmp = perm[k - 1];
        perm[k - 1] = perm[j];
        perm[j] = tmp;
    }
    t1 = bench_now_ms(), tp[SHUF] += t1 - t0, t0 = t1;
    for (size_t b0 = 0; b0 < nt; b0 += B) {
        size_t rows = nt - b0 < B ? nt - b0 : B;
        for (size_t r = 0; r < rows; r++) {
            memcpy(Xb + r * nin, X + perm[b0 + r] * nin, nin * sizeof *Xb);
            yb[r] = y[perm[b0 + r]];
        }
        t1 = bench_now_ms(), tp[GATHER] += t1 - t0, t0 = t1;
        hs_mlp_forward(m, p, &ws, Xb, rows, NULL, NULL);
        t1 = bench_now_ms(), tp[FWD] += t1 - t0, t0 = t1;
        const double *z = ws.act[2];
        double sl = 0;
        for (size_t r = 0; r < rows; r++) {
            sl += hs_mlp_bce(z[r], yb[r]);
            dout[r] = (hs_mlp_sigmoid(z[r]) - yb[r]) / (double)rows;
        }
        t1 = bench_now_ms(), tp[LOSS] += t1 - t0, t0 = t1;
        hs_mlp_backward(m, p, &ws, Xb, rows, dout, NULL, g);
        t1 = bench_now_ms(), tp[BWD] += t1 - t0, t0 = t1;
        for (size_t l = 0; l <= 2; l++)
            for (size_t i = wlo[l]; i < whi[l]; i++)
                g[i] += 1e-4 * p[i];
        t1 = bench_now_ms(), tp[L2] += t1 - t0, t0 = t1;
        step++;
        double a = 1e-3 / (1.0 - pow(0.9, (double)step));
        double sq = 1.0 / sqrt(1.0 - pow(0.999, (double)step));
        for (size_t i = 0; i < np; i++) {
            s1[i] = 0.9 * s1[i] + 0.1 * g[i];
            s2[i] = 0.999 * s2[i] + 0.001 * g[i] * g[i];
            p[i] -= a * s1[i] / (sqrt(s2[i]) * sq + 1e-8);
        }
        t1 = bench_now_ms(), tp[ADAM] += t1 - t0, t0 = t1;
        (void)sl;
    }
    double all = (t0 - all0) / 1e3;
    printf("profile_threads %d epoch_s %.3f", threads, all);
    for (int k = 0; k < NPH; k++)
        printf(" %s %.3f", phase[k], tp[k] / 1e3);
    printf("\n");
    fflush(stdout);

    /* Scoring: the forward pass alone over the training rows, by chunk. */
    static const size_t chunk[] = {256, 4096, 65536};
    for (size_t q = 0; q < sizeof chunk / sizeof chunk[0]; q++) {
        struct hs_mlp_ws wc;
        if (hs_mlp_ws_init(&wc, m, chunk[q], NULL, &err))
            bench_demo_die(PROG, "profile", &err);
        t0 = bench_now_ms();
        for (size_t i0 = 0; i0 < nt; i0 += chunk[q])
            hs_mlp_forward(m, p, &wc, X + i0 * nin, nt - i0 < chunk[q] ? nt - i0 : chunk[q], NULL,
                           NULL);
        printf("profile_threads %d forward_only_chunk %zu s %.3f\n", threads, chunk[q],
               (bench_now_ms() - t0) / 1e3);
        hs_mlp_ws_release(&wc);
    }
    hs_mlp_threads_restore(prev);
    hs_mlp_ws_release(&ws);
    hs_mlp_free(m);
    free(X), free(y), free(perm), free(Xb), free(yb), free(dout), free(g), free(s1), free(s2);
}

int
main(int argc, char **argv)
{
    struct hs_table *t;
    struct hs_featureset fs;
    struct hs_split sp;
    struct hs_err err;

    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: mlp_bench OUT.csv EPOCHS RUNS [THREADS]\n");
        return 1;
    }
    int epochs = atoi(argv[2]), runs = atoi(argv[3]);
    int threads = argc > 4 ? atoi(argv[4]) : 2;
    bool val = getenv("VAL") && strcmp(getenv("VAL"), "1") == 0;
    if (epochs < 1 || runs < 1 || threads < 0)
        return 1;

    double t0 = bench_now_ms();
    bench_demo_make(PROG, 100000, 900000, &t, &fs, &sp);
    size_t n = t->nrows;

    /* The inputs: every enabled feature, in the set's order. */
    const double **x = malloc(fs.n * sizeof *x);
    const char **names = malloc(fs.n * sizeof *names);
    size_t nin = 0;
    for (size_t i = 0; i < fs.n; i++) {
        if (!fs.f[i].on)
            continue;
        if (fs.f[i].col >= 0 && t->cols[fs.f[i].col].kind != HS_COL_NUMBER)
            continue;
        if (hs_featureset_values(&fs, i, &x[nin], NULL, &err))
            bench_demo_die(PROG, fs.f[i].name, &err);
        names[nin++] = fs.f[i].name;
    }
    printf("generate_s %.3f\n", (bench_now_ms() - t0) / 1e3);
    printf("events %zu\ninputs %zu\n", n, nin);
    printf("input_names");
    for (size_t k = 0; k < nin; k++)
        printf(" %s", names[k]);
    printf("\n");
    const double *label = hs_table_label(t), *weight = hs_table_weight(t);
    if (strcmp(argv[1], "-") != 0) {
        t0 = bench_now_ms();
        bench_demo_write_csv(PROG, argv[1], nin, names, x, label, sp.part, n);
        printf("csv_s %.3f\n", (bench_now_ms() - t0) / 1e3);
    }
    fflush(stdout);

    unsigned char *part = malloc(n), *test = malloc(n);
    for (size_t i = 0; i < n; i++)
        part[i] = val || sp.part[i] != HS_PART_VAL ? sp.part[i] : 3;
    hs_split_mask(&sp, HS_ON_TEST, n, test);
    printf("train_events %zu\nval_events %zu\ntest_events %zu\n", sp.count[HS_PART_TRAIN],
           val ? sp.count[HS_PART_VAL] : (size_t)0, sp.count[HS_PART_TEST]);

    struct hs_mlp_config c;
    hs_mlp_config_default(&c);
    c.nhidden = 2;
    c.width[0] = c.width[1] = 64;
    c.dropout[0] = c.dropout[1] = 0;
    c.act = HS_ACT_RELU;
    c.optim = HS_OPTIM_ADAM;
    c.lr = 1e-3;
    c.lr_decay = 0;
    c.l2 = 1e-4;
    c.batch = 256;
    c.epochs = (size_t)epochs;
    c.patience = 0;
    c.balance = false;
    c.threads = threads;

    struct epochs ep = {.cap = (size_t)epochs * (size_t)runs};
    ep.sec = malloc(ep.cap * sizeof *ep.sec);
    double *auc = malloc((size_t)runs * sizeof *auc), *setup = malloc((size_t)runs * sizeof *setup);
    double *score_s = malloc((size_t)runs * sizeof *score_s);
    double *score = malloc(n * sizeof *score);
    c.on_epoch = on_epoch;
    c.on_epoch_user = &ep;
    for (int r = 0; r < runs; r++) {
        struct hs_mlp_result res;
        struct hs_roc roc;
        size_t first = ep.n;

        c.seed = (uint64_t)r;
        struct hs_par_stats ps;
        hs_par_stats_reset();
        t0 = bench_now_ms();
        if (hs_mlp_train(&c, x, nin, label, weight, part, n, &res, NULL, &err))
            bench_demo_die(PROG, "train", &err);
        hs_par_stats_get(&ps);
        fprintf(stderr,
                "  executor: %llu rounds parallel (%.3f s), %llu on the caller alone (%.3f s); "
                "windows kept %lu, fell back %lu\n",
                ps.par_rounds, (double)ps.par_ns * 1e-9, ps.solo_rounds,
                (double)ps.solo_ns * 1e-9, ps.windows_kept, ps.windows_fell_back);
        double train_s = (bench_now_ms() - t0) / 1e3, sum = 0;
        for (size_t e = first; e < ep.n; e++)
            sum += ep.sec[e];
        setup[r] = train_s - sum;
        t0 = bench_now_ms();
        if (hs_mlp_score(res.model, x, n, score, NULL, &err))
            bench_demo_die(PROG, "score", &err);
        score_s[r] = (bench_now_ms() - t0) / 1e3;
        if (hs_roc_from_scores(score, label, weight, test, n, &roc, NULL, &err))
            bench_demo_die(PROG, "roc", &err);
        auc[r] = roc.auc;
        printf("run %d seed %d train_s %.3f epochs %zu ntrain %zu", r, r, train_s, res.nepochs,
               res.ntrain);
        printf(" epoch_s");
        for (size_t e = first; e < ep.n; e++)
            printf(" %.3f", ep.sec[e]);
        printf(" loss %.6f test_auc %.6f score_all_s %.3f\n", ep.last_loss, auc[r], score_s[r]);
        fflush(stdout);
        if (r == 0) {
            size_t nw = 0;
            for (size_t l = 0; l <= res.model->nhidden; l++) {
                size_t wo, bo, li, lo;
                hs_mlp_layer(res.model, l, &wo, &bo, &li, &lo);
                nw += li * lo;
            }
            printf("nweights %zu\nnparams %zu\n", nw, res.model->nparams);
        }
        hs_roc_release(&roc);
        hs_mlp_result_release(&res);
    }
    size_t nepochs = ep.n;
    printf("epoch_s_median %.4f\n", bench_median(ep.sec, (int)nepochs));
    printf("setup_s_median %.4f\n", bench_median(setup, runs));
    printf("score_all_s_median %.4f\n", bench_median(score_s, runs));
    printf("test_auc_median %.6f\n", bench_median(auc, runs));
    if (getenv("PROFILE") && strcmp(getenv("PROFILE"), "1") == 0) {
        profile_epoch(x, nin, label, sp.part, n, threads);
        if (threads != 1)
            profile_epoch(x, nin, label, sp.part, n, 1);
    }

    free(score);
    free(score_s);
    free(setup);
    free(auc);
    free(ep.sec);
    free(part);
    free(test);
    free(x);
    free(names);
    hs_split_release(&sp);
    hs_featureset_release(&fs);
    hs_table_free(t);
    return 0;
}

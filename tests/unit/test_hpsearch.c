/* test_hpsearch.c: the search space parser, random draws against their
 * distributions (Kolmogorov-Smirnov), TPE against random search on
 * synthetic objectives over a fixed set of seeds, successive halving's
 * rungs, determinism, cancel and time budget (src/hpsearch.h). */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hpsearch.h"
#include "mem.h"
#include "method.h"
#include "rng.h"
#include "sessions/session.h"
#include "sessions/trials.h"
#include "test_sess_raw.h"
#include "test_sess_util.h"
#include "test_util.h"

static const struct hs_param_spec *
mlp_spec(void)
{
    const struct hs_method *m = hs_method_find("mlp");
    assert_non_null(m);
    return m->params;
}

/* ---- the parser ---------------------------------------------------------- */

static void
test_parse_good(void **state)
{
    (void)state;
    struct hs_hp_space sp;
    struct hs_err err = {0};

    assert_int_equal(hs_hp_space_parse(&sp, mlp_spec(),
                                       " layers=[32],[64,64],[128,64,32]; lr=log(1e-4,1e-2); "
                                       "dropout=0:0.3 ;batch=64:512; activation = relu, tanh;",
                                       &err),
                     HS_OK);
    assert_int_equal(sp.n, 5);
    assert_string_equal(sp.dims[0].name, "layers");
    assert_int_equal(sp.dims[0].kind, HS_HP_CHOICE);
    assert_int_equal(sp.dims[0].nchoices, 3);
    assert_string_equal(sp.dims[0].choices[0], "32");
    assert_string_equal(sp.dims[0].choices[1], "64,64");
    assert_string_equal(sp.dims[0].choices[2], "128,64,32");
    assert_int_equal(sp.dims[1].kind, HS_HP_LOG);
    assert_true(sp.dims[1].lo == 1e-4 && sp.dims[1].hi == 1e-2);
    assert_false(sp.dims[1].integer);
    assert_int_equal(sp.dims[2].kind, HS_HP_UNIFORM);
    assert_true(sp.dims[2].list);
    assert_true(sp.dims[2].lo == 0 && sp.dims[2].hi == 0.3);
    assert_true(sp.dims[3].integer);
    assert_int_equal(sp.dims[4].nchoices, 2);
    assert_string_equal(sp.dims[4].choices[1], "tanh");
    assert_int_equal(hs_hp_space_find(&sp, "batch"), 3);
    assert_int_equal(hs_hp_space_find(&sp, "epochs"), -1);

    double x[5] = {1, 0.00123456789, 0.25, 128, 1};
    char *line = hs_hp_line(&sp, x);
    assert_non_null(line);
    assert_string_equal(line,
                        "--layers 64,64 --lr 0.00123457 --dropout 0.25 --batch 128 --activation tanh");
    hs_free(line);
    hs_hp_space_release(&sp);

    /* Every value of a line is one the method takes. */
    struct hs_params p;
    assert_int_equal(hs_params_init(&p, mlp_spec(), &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "layers", "128,64,32", &err), HS_OK);
    hs_params_release(&p);
}

struct bad_case {
    const char *space;
    int col;            /* the character the message names */
    const char *needle; /* a piece of the message */
};

static void
test_parse_bad(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        {"lr=log(1e-4,1e-2); widths=1:2", 20, "no parameter 'widths'; the parameters are layers, "
                                              "activation"},
        {"lr=0.1:0.2; lr=0.2:0.3", 13, "lr: named twice"},
        {"activation=0:1", 12, "activation: a range needs a parameter that is a number"},
        {"lr=0:0.1", 4, "--lr wants a number from"},
        {"lr=log(0,1)", 8, "--lr wants a number"},
        {"l2=log(0,1)", 8, "l2: log(lo,hi) wants 0 < lo"},
        {"lr=log(1e-4,1e-2", 16, "misses its ')'"},
        {"layers=[32],[64,64", 13, "a '[' without its ']'"},
        {"layers=32,,64", 11, "an empty choice"},
        {"activation=relu,swish", 17, "--activation takes"},
        {"lr=0.2:0.1", 4, "lo < hi"},
        {"batch=1.5:64", 7, "--batch wants a whole number"},
        {"lr=0.1:x", 8, "'x' is not a number"},
        {"lr", 1, "want name=values"},
        {"=1,2", 1, "name is missing"},
        {"lr=", 4, "no values"},
        {" ; ", 1, "no parameter to search"},
        {"layers=[32]x", 8, "text after a ']'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct hs_hp_space sp = {0};
        struct hs_err err = {0};
        int rc = hs_hp_space_parse(&sp, mlp_spec(), cases[i].space, &err);
        if (rc != HS_EUSAGE || err.col != cases[i].col || !strstr(err.msg, cases[i].needle))
            fail_msg("'%s': rc %d col %d: %s", cases[i].space, rc, err.col, err.msg);
        assert_int_equal(sp.n, 0);
        assert_null(sp.dims);
    }
}

static void
test_parse_out_of_memory(void **state)
{
    (void)state;
    for (long k = 0; k < 40; k++) {
        struct hs_hp_space sp = {0};
        struct hs_err err = {0};
        hs_mem_fail_after(k);
        int rc = hs_hp_space_parse(&sp, mlp_spec(), "layers=[32],[64,64]; lr=log(1e-4,1e-2)", &err);
        hs_mem_fail_after(-1);
        if (rc == HS_OK) {
            assert_int_equal(sp.n, 2);
            hs_hp_space_release(&sp);
            return;
        }
        assert_int_equal(rc, HS_ENOMEM);
    }
    fail_msg("never parsed");
}

/* ---- draws ----------------------------------------------------------------- */

static int
cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The Kolmogorov-Smirnov distance of v[0..n) from the uniform law on [0, 1]. */
static double
ks_uniform(double *v, size_t n)
{
    double d = 0;
    qsort(v, n, sizeof *v, cmp_d);
    for (size_t i = 0; i < n; i++) {
        double lo = v[i] - (double)i / (double)n, hi = (double)(i + 1) / (double)n - v[i];
        d = fmax(d, fmax(lo, hi));
    }
    return d;
}

static void
test_draws(void **state)
{
    (void)state;
    enum { N = 4000 };
    struct hs_hp_space sp;
    struct hs_err err = {0};
    struct hs_rng rng;
    double *u = malloc(N * sizeof *u), *v = malloc(N * sizeof *v);
    size_t seen[3] = {0}, batch_seen[8] = {0};

    assert_int_equal(hs_hp_space_parse(&sp, mlp_spec(),
                                       "lr=log(1e-4,1e-2); dropout=0:0.3; layers=[32],[64,64],[8]; "
                                       "batch=3:10",
                                       &err),
                     HS_OK);
    hs_rng_seed(&rng, 7);
    for (size_t i = 0; i < N; i++) {
        double lr = hs_hp_draw_prior(&sp.dims[0], &rng);
        double dr = hs_hp_draw_prior(&sp.dims[1], &rng);
        double ly = hs_hp_draw_prior(&sp.dims[2], &rng);
        double b = hs_hp_draw_prior(&sp.dims[3], &rng);
        assert_true(lr >= 1e-4 && lr <= 1e-2);
        assert_true(dr >= 0 && dr <= 0.3);
        assert_true(ly == 0 || ly == 1 || ly == 2);
        assert_true(b >= 3 && b <= 10 && b == floor(b));
        seen[(size_t)ly]++;
        batch_seen[(size_t)b - 3]++;
        /* log10 of a log-uniform draw is uniform. */
        u[i] = (log10(lr) + 4) / 2;
        v[i] = dr / 0.3;
    }
    /* 1.63 / sqrt(n): the 1% critical value. */
    double crit = 1.63 / sqrt((double)N);
    assert_true(ks_uniform(u, N) < crit);
    assert_true(ks_uniform(v, N) < crit);
    /* and a uniform draw of lr is not log-uniform */
    for (size_t i = 0; i < N; i++)
        u[i] = hs_rng_unit(&rng) * (1e-2 - 1e-4) + 1e-4, u[i] = (log10(u[i]) + 4) / 2;
    assert_true(ks_uniform(u, N) > crit);
    for (size_t k = 0; k < 3; k++)
        assert_true(fabs((double)seen[k] / N - 1.0 / 3) < 0.03);
    for (size_t k = 0; k < 8; k++)
        assert_true(fabs((double)batch_seen[k] / N - 1.0 / 8) < 0.025);
    free(u);
    free(v);
    hs_hp_space_release(&sp);
}

/* ---- searches on synthetic objectives -------------------------------------- */

struct objective {
    int which;           /* 1: one log parameter; 2: a log and a uniform one; 3: with a choice */
    size_t calls;
    size_t cancel_at;    /* raise the flag at this call (0: never) */
    atomic_int *flag;
    double seconds;      /* each trial's reported seconds */
    bool fail_odd;       /* odd-numbered trials fail */
};

/* Peaks at lr = 10^-2.6, dropout 0.07, the second choice. */
static double
objective_value(const struct objective *o, const double *x)
{
    double a = log10(x[0]) + 2.6, v = 0.9 - 0.05 * a * a;
    if (o->which >= 2) {
        double b = (x[1] - 0.07) / 0.3;
        v -= 0.3 * b * b;
    }
    if (o->which == 3)
        v -= x[2] == 1 ? 0 : 0.02;
    return v;
}

static int
run_objective(void *user, struct hs_hp_trial *t, const struct hs_task *task, struct hs_err *err)
{
    struct objective *o = user;
    (void)err;
    o->calls++;
    if (o->cancel_at && o->calls == o->cancel_at) {
        atomic_store(o->flag, 1);
        assert_true(hs_task_cancelled(task));
        t->status = HS_HP_CANCELLED;
        return HS_ECANCELLED;
    }
    if (o->fail_odd && t->number % 2 == 1) {
        t->status = HS_HP_FAILED;
        return HS_OK;
    }
    t->val_auc = objective_value(o, t->x);
    /* The test figure is never what the search ranks by. */
    t->test_auc = 1 - t->val_auc;
    t->seconds = o->seconds;
    t->status = HS_HP_OK;
    return HS_OK;
}

static double
best_of(enum hs_hp_strategy s, const struct hs_hp_space *sp, int which, uint64_t seed)
{
    struct hs_hp_opts o;
    struct hs_hp_result res;
    struct objective obj = {.which = which};
    struct hs_err err = {0};
    double best;

    hs_hp_opts_default(&o);
    o.strategy = s;
    o.trials = 30;
    o.seed = seed;
    assert_int_equal(hs_hp_search(sp, &o, run_objective, &obj, &res, NULL, &err), HS_OK);
    assert_int_equal(res.n, 30);
    assert_true(res.best >= 0);
    best = res.trials[res.best].val_auc;
    for (size_t i = 0; i < res.n; i++) {
        assert_true(res.trials[i].val_auc <= best);
        assert_int_equal(res.trials[i].number, i + 1);
        /* every value lies in the space */
        assert_true(res.trials[i].x[0] >= 1e-5 && res.trials[i].x[0] <= 1e-1);
        if (which >= 2)
            assert_true(res.trials[i].x[1] >= 0 && res.trials[i].x[1] <= 0.3);
    }
    hs_hp_result_release(&res);
    return best;
}

/* Over a fixed set of 40 seeds, TPE's best after 30 trials is closer to
 * the optimum than random search's on average (its mean regret below
 * ratio times random's), and on most seeds. */
static void
tpe_vs_random(const char *space, int which, double optimum, double ratio)
{
    struct hs_hp_space sp;
    struct hs_err err = {0};
    double rt = 0, rr = 0;
    int wins = 0;
    enum { SEEDS = 40 };

    assert_int_equal(hs_hp_space_parse(&sp, mlp_spec(), space, &err), HS_OK);
    for (uint64_t s = 1; s <= SEEDS; s++) {
        double t = optimum - best_of(HS_HP_TPE, &sp, which, s);
        double r = optimum - best_of(HS_HP_RANDOM, &sp, which, s);
        assert_true(t >= -1e-12 && r >= -1e-12);
        rt += t;
        rr += r;
        wins += t < r;
    }
    print_message("%s: mean regret TPE %.3g, random %.3g; TPE better on %d of %d seeds\n", space,
                  rt / SEEDS, rr / SEEDS, wins, SEEDS);
    assert_true(rt < ratio * rr);
    assert_true(wins > SEEDS / 2);
    hs_hp_space_release(&sp);
}

static void
test_tpe_1d(void **state)
{
    (void)state;
    tpe_vs_random("lr=log(1e-5,1e-1)", 1, 0.9, 0.5);
}

static void
test_tpe_2d(void **state)
{
    (void)state;
    tpe_vs_random("lr=log(1e-5,1e-1); dropout=0:0.3", 2, 0.9, 0.5);
}

static void
test_tpe_choice(void **state)
{
    (void)state;
    /* A choice among four with a small effect: the gain is smaller. */
    tpe_vs_random("lr=log(1e-5,1e-1); dropout=0:0.3; layers=[8],[16],[32],[64]", 3, 0.9, 1.0);
}

static void
test_determinism(void **state)
{
    (void)state;
    struct hs_hp_space sp;
    struct hs_err err = {0};

    assert_int_equal(hs_hp_space_parse(&sp, mlp_spec(),
                                       "lr=log(1e-5,1e-1); dropout=0:0.3; layers=[8],[16],[32]",
                                       &err),
                     HS_OK);
    for (int s = 0; s < 3; s++) {
        struct hs_hp_result a, b, c;
        struct hs_hp_opts o;
        struct objective oa = {.which = 3}, ob = {.which = 3}, oc = {.which = 3};
        hs_hp_opts_default(&o);
        o.strategy = (enum hs_hp_strategy)s;
        o.trials = 20;
        o.max_budget = 9;
        o.seed = 42;
        assert_int_equal(hs_hp_search(&sp, &o, run_objective, &oa, &a, NULL, &err), HS_OK);
        assert_int_equal(hs_hp_search(&sp, &o, run_objective, &ob, &b, NULL, &err), HS_OK);
        o.seed = 43;
        assert_int_equal(hs_hp_search(&sp, &o, run_objective, &oc, &c, NULL, &err), HS_OK);
        assert_int_equal(a.n, b.n);
        assert_int_equal(a.best, b.best);
        bool differ = false;
        for (size_t i = 0; i < a.n; i++) {
            assert_int_equal(a.trials[i].budget, b.trials[i].budget);
            for (size_t d = 0; d < sp.n; d++) {
                assert_true(tu_same_bits(a.trials[i].x[d], b.trials[i].x[d]));
                differ |= i < c.n && a.trials[i].x[d] != c.trials[i].x[d];
            }
        }
        assert_true(differ);
        hs_hp_result_release(&a);
        hs_hp_result_release(&b);
        hs_hp_result_release(&c);
    }
    hs_hp_space_release(&sp);
}

/* ---- successive halving ---------------------------------------------------- */

static void
test_halving_plan(void **state)
{
    (void)state;
    size_t n, size[64], budget[64];

    hs_hp_halving_plan(27, 27, 3, &n, size, budget);
    assert_int_equal(n, 4);
    size_t s1[] = {27, 9, 3, 1}, b1[] = {1, 3, 9, 27};
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(size[k], s1[k]);
        assert_int_equal(budget[k], b1[k]);
    }
    hs_hp_halving_plan(30, 50, 3, &n, size, budget);
    size_t s2[] = {30, 10, 3, 1}, b2[] = {2, 6, 17, 50};
    assert_int_equal(n, 4);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(size[k], s2[k]);
        assert_int_equal(budget[k], b2[k]);
    }
    /* The budget limits the rungs: 3 epochs allow one promotion. */
    hs_hp_halving_plan(9, 3, 3, &n, size, budget);
    assert_int_equal(n, 2);
    assert_int_equal(size[1], 3);
    assert_int_equal(budget[0], 1);
    assert_int_equal(budget[1], 3);
    hs_hp_halving_plan(2, 100, 3, &n, size, budget);
    assert_int_equal(n, 1);
    assert_int_equal(budget[0], 100);
}

static void
test_halving_run(void **state)
{
    (void)state;
    struct hs_hp_space sp;
    struct hs_hp_opts o;
    struct hs_hp_result res;
    struct objective obj = {.which = 2};
    struct hs_err err = {0};

    assert_int_equal(hs_hp_space_parse(&sp, mlp_spec(), "lr=log(1e-5,1e-1); dropout=0:0.3", &err),
                     HS_OK);
    hs_hp_opts_default(&o);
    o.strategy = HS_HP_HALVING;
    o.trials = 27;
    o.max_budget = 27;
    o.seed = 5;
    assert_int_equal(hs_hp_search(&sp, &o, run_objective, &obj, &res, NULL, &err), HS_OK);
    assert_int_equal(res.n, 27 + 9 + 3 + 1);
    size_t first[] = {0, 27, 36, 39, 40}, budgets[] = {1, 3, 9, 27};
    for (size_t k = 0; k < 4; k++) {
        for (size_t i = first[k]; i < first[k + 1]; i++) {
            assert_int_equal(res.trials[i].rung, k);
            assert_int_equal(res.trials[i].budget, budgets[k]);
        }
        if (k == 3)
            break;
        /* The next rung runs exactly this rung's best third, found here
         * by counting the better trials of the rung. */
        size_t keep = first[k + 2] - first[k + 1];
        for (size_t i = first[k]; i < first[k + 1]; i++) {
            size_t better = 0;
            bool promoted = false;
            for (size_t j = first[k]; j < first[k + 1]; j++)
                better += res.trials[j].val_auc > res.trials[i].val_auc;
            for (size_t j = first[k + 1]; j < first[k + 2]; j++)
                promoted |= res.trials[j].x[0] == res.trials[i].x[0] &&
                            res.trials[j].x[1] == res.trials[i].x[1];
            assert_int_equal(promoted, better < keep);
        }
    }
    hs_hp_result_release(&res);
    hs_hp_space_release(&sp);
}

/* ---- stopping -------------------------------------------------------------- */

static void
test_cancel_and_time(void **state)
{
    (void)state;
    struct hs_hp_space sp;
    struct hs_hp_opts o;
    struct hs_hp_result res;
    struct hs_err err = {0};
    atomic_int flag = 0;
    struct hs_task task = {NULL, NULL, &flag};
    struct objective obj = {.which = 1, .cancel_at = 5, .flag = &flag};

    assert_int_equal(hs_hp_space_parse(&sp, mlp_spec(), "lr=log(1e-5,1e-1)", &err), HS_OK);
    hs_hp_opts_default(&o);
    o.trials = 12;
    assert_int_equal(hs_hp_search(&sp, &o, run_objective, &obj, &res, &task, &err), HS_OK);
    assert_true(res.cancelled);
    assert_int_equal(res.n, 4);
    hs_hp_result_release(&res);

    /* Seconds add up to the budget after the fourth trial: no fifth. */
    struct objective timed = {.which = 1, .seconds = 1};
    o.time_budget = 3.5;
    assert_int_equal(hs_hp_search(&sp, &o, run_objective, &timed, &res, NULL, &err), HS_OK);
    assert_true(res.out_of_time);
    assert_false(res.cancelled);
    assert_int_equal(res.n, 4);
    hs_hp_result_release(&res);

    /* Failed trials rank last and never become the best. */
    struct objective failing = {.which = 1, .fail_odd = true};
    o.time_budget = 0;
    o.startup = 2;
    assert_int_equal(hs_hp_search(&sp, &o, run_objective, &failing, &res, NULL, &err), HS_OK);
    assert_int_equal(res.n, 12);
    assert_int_equal(res.trials[res.best].number % 2, 0);
    hs_hp_result_release(&res);

    o.trials = 0;
    assert_int_equal(hs_hp_search(&sp, &o, run_objective, &failing, &res, NULL, &err), HS_EUSAGE);
    hs_hp_space_release(&sp);
}


/* ---- the stored trials (sessions/trials.c) ------------------------------- */

static void
make_search(struct hs_search_rec *r, const char *name, size_t n)
{
    memset(r, 0, sizeof *r);
    r->name = hs_strdup(name);
    r->dataset = hs_strdup("demo");
    r->method = hs_strdup("mlp");
    r->strategy = hs_strdup("tpe");
    r->space = hs_strdup("lr=log(1e-4,1e-2)");
    r->options = hs_strdup("--epochs 2");
    r->seed = UINT64_MAX - 1;
    r->planned = n + 1;
    r->stopped = hs_strdup("cancelled");
    r->trials = hs_calloc(n + 1, sizeof *r->trials);
    r->ntrials = n;
    for (size_t i = 0; i < n; i++) {
        char p[64];
        snprintf(p, sizeof p, "--lr 0.00%zu", i + 1);
        r->trials[i].number = i + 1;
        r->trials[i].params = hs_strdup(p);
        r->trials[i].val_auc = i == 1 ? NAN : 0.5 + 0.1 * (double)i + 1e-17;
        r->trials[i].test_auc = i == 1 ? NAN : 0.25 + 0.1 * (double)i;
        r->trials[i].seconds = i == 1 ? NAN : 0.125 * (double)i;
        r->trials[i].budget = 3 * i;
        r->trials[i].status = hs_strdup(i == 1 ? "failed" : "ok");
    }
}

static void
test_store(void **state)
{
    struct tu_fixture *f = *state;
    struct hs_sess *s;
    struct hs_search_rec a, b, back, *list;
    struct hs_err err = {0};
    size_t n;

    assert_int_equal(hs_sess_open(f->db, HS_SESS_CREATE, &s, &err), HS_OK);
    make_search(&a, "alpha", 3);
    assert_int_equal(hs_sess_search_save(s, &a, false, &err), HS_OK);
    assert_int_equal(hs_sess_search_exists(s, "alpha", &err), 1);
    assert_int_equal(hs_sess_search_exists(s, "beta", &err), 0);
    assert_int_equal(hs_sess_search_save(s, &a, false, &err), HS_EEXIST);
    assert_int_equal(hs_sess_search_load(s, "alpha", &back, &err), HS_OK);
    assert_string_equal(back.space, a.space);
    assert_string_equal(back.stopped, "cancelled");
    assert_true(back.seed == UINT64_MAX - 1);
    assert_int_equal(back.planned, 4);
    assert_non_null(back.created);
    assert_int_equal(back.ntrials, 3);
    for (size_t i = 0; i < 3; i++) {
        const struct hs_trial_rec *x = &a.trials[i], *y = &back.trials[i];
        assert_int_equal(y->number, x->number);
        assert_string_equal(y->params, x->params);
        assert_string_equal(y->status, x->status);
        assert_int_equal(y->budget, x->budget);
        /* NaN comes back as NaN; numbers bit for bit */
        assert_true(tu_same_bits(y->val_auc, x->val_auc));
        assert_true(tu_same_bits(y->test_auc, x->test_auc));
        assert_true(tu_same_bits(y->seconds, x->seconds));
    }
    hs_search_rec_release(&back);
    /* replace: the old trials go */
    make_search(&b, "alpha", 1);
    free(b.stopped);
    b.stopped = NULL;
    assert_int_equal(hs_sess_search_save(s, &b, true, &err), HS_OK);
    assert_int_equal(hs_sess_search_load(s, "alpha", &back, &err), HS_OK);
    assert_int_equal(back.ntrials, 1);
    assert_null(back.stopped);
    hs_search_rec_release(&back);
    hs_search_rec_release(&b);
    /* a record that cannot be stored changes nothing */
    make_search(&b, "gamma", 2);
    free(b.trials[1].status);
    b.trials[1].status = hs_strdup("maybe");
    assert_int_equal(hs_sess_search_save(s, &b, false, &err), HS_EUSAGE);
    hs_search_rec_release(&b);
    make_search(&b, "beta", 0);
    assert_int_equal(hs_sess_search_save(s, &b, false, &err), HS_OK);
    hs_search_rec_release(&b);
    assert_int_equal(hs_sess_searches(s, &list, &n, &err), HS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].name, "alpha");
    assert_int_equal(list[0].ntrials, 1);
    assert_null(list[0].trials);
    assert_string_equal(list[1].name, "beta");
    hs_search_recs_free(list, n);
    assert_int_equal(hs_sess_search_load(s, "alpah", &back, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "alpha"));
    hs_sess_close(s);
    /* A lost trial row shows as damage. */
    tu_raw_exec(f->db, "DELETE FROM trials WHERE search = 'alpha'");
    assert_int_equal(hs_sess_open(f->db, HS_SESS_READONLY, &s, &err), HS_OK);
    assert_int_equal(hs_sess_search_load(s, "alpha", &back, &err), HS_ESESSION);
    hs_sess_close(s);
    hs_search_rec_release(&a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_parse_out_of_memory),
        cmocka_unit_test(test_draws),
        cmocka_unit_test(test_tpe_1d),
        cmocka_unit_test(test_tpe_2d),
        cmocka_unit_test(test_tpe_choice),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_halving_plan),
        cmocka_unit_test(test_halving_run),
        cmocka_unit_test(test_cancel_and_time),
        cmocka_unit_test_setup_teardown(test_store, tu_setup, tu_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

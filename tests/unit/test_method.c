/* test_method.c: the method layer (src/method.c, src/methods.c,
 * src/model.c) and the evaluation it serves (src/eval.c): parameters of
 * every type parsed, refused and written back; the registry; the MLP's
 * configuration from its spec against the values the issue states; the
 * fit driver's steps, progress and cancel; k folds against fits done by
 * hand; the stored model's kind checks. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eval.h"
#include "fisher.h"
#include "mem.h"
#include "method.h"
#include "mlp.h"
#include "model.h"
#include "roc.h"
#include "test_util.h"

/* A spec with one parameter of every type. */
static const char *const colours[] = {"red", "green", "blue", NULL};
enum { T_INT, T_REAL, T_SEED, T_CHOICE, T_FLAG, T_INTS, T_REALS };
static const struct hs_param_spec spec[] = {
    [T_INT] = {.name = "count", .type = HS_PARAM_INT, .def = "3", .min = 1, .max = 10,
               .metavar = "N", .help = "how many"},
    [T_REAL] = {.name = "rate", .type = HS_PARAM_REAL, .def = "0.5", .min = 0, .max = 1,
                .max_open = true, .metavar = "X", .help = "a rate"},
    [T_SEED] = {.name = "seed", .type = HS_PARAM_SEED, .def = "7", .metavar = "K",
                .help = "a seed"},
    [T_CHOICE] = {.name = "colour", .type = HS_PARAM_CHOICE, .def = "green",
                  .choices = colours, .metavar = "C", .help = "a colour"},
    [T_FLAG] = {.name = "loud", .type = HS_PARAM_FLAG, .help = "say it loud"},
    [T_INTS] = {.name = "sizes", .type = HS_PARAM_INTS, .def = "4,2", .min = 1, .max = 99,
                .max_items = 3, .noun = "sizes", .metavar = "S,S", .help = "sizes"},
    [T_REALS] = {.name = "rates", .type = HS_PARAM_REALS, .def = "0.25", .min = 0, .max = 1,
                 .max_items = 2, .noun = "rates", .metavar = "R,R", .help = "rates"},
    {0},
};

static void
test_defaults_and_values(void **state)
{
    struct hs_params p;
    struct hs_err err = {0};
    const double *items;

    (void)state;
    assert_int_equal(hs_params_init(&p, spec, &err), HS_OK);
    assert_int_equal(p.n, 7);
    assert_int_equal(hs_params_int(&p, T_INT), 3);
    assert_true(hs_params_real(&p, T_REAL) == 0.5);
    assert_true(hs_params_seed(&p, T_SEED) == 7);
    assert_int_equal(hs_params_choice(&p, T_CHOICE), 1);
    assert_false(hs_params_flag(&p, T_FLAG));
    assert_int_equal(hs_params_list(&p, T_INTS, &items), 2);
    assert_true(items[0] == 4 && items[1] == 2);
    assert_int_equal(hs_params_list(&p, T_REALS, &items), 1);
    assert_true(items[0] == 0.25);
    for (size_t i = 0; i < p.n; i++)
        assert_false(p.v[i].given);
    assert_int_equal(hs_params_find(spec, "colour"), T_CHOICE);
    assert_int_equal(hs_params_find(spec, "color"), -1);
    hs_params_release(&p);
    hs_params_release(&p); /* twice is harmless */
}

/* Each bad value is refused with the option, the value and what it
 * accepts in the message, and leaves the old value. */
static void
test_refused(void **state)
{
    static const struct {
        const char *name, *value, *want;
    } bad[] = {
        {"count", "0", "--count wants a whole number from 1 to 10, not '0'"},
        {"count", "11", "from 1 to 10"},
        {"count", "2.5", "not '2.5'"},
        {"count", "", "not ''"},
        {"count", "-1", "not '-1'"},
        {"count", "99999999999999999999999", "not '9999"},
        {"rate", "1", "--rate wants a number in [0, 1), not '1'"},
        {"rate", "-0.1", "not '-0.1'"},
        {"rate", "nan", "not 'nan'"},
        {"rate", "0,5", "not '0,5'"},
        {"seed", "-3", "--seed wants a whole number from 0 to 18446744073709551615"},
        {"seed", "18446744073709551616", "not '18446744073709551616'"},
        {"colour", "pink", "--colour takes red, green or blue, not 'pink'"},
        {"loud", "yes", "--loud is on (1) or off (0), not 'yes'"},
        {"sizes", "1,,2", "--sizes wants sizes separated by commas such as 4,2 (each from 1 to "
                          "99, at most 3; 'none' for none), not '1,,2'"},
        {"sizes", "1,2,3,4", "at most 3"},
        {"sizes", "1,2,", "not '1,2,'"},
        {"sizes", "100", "not '100'"},
        {"rates", "0.1,0.2,0.3", "--rates wants rates separated by commas"},
        {"rates", "", "not ''"},
    };
    struct hs_params p;
    struct hs_err err = {0};

    (void)state;
    assert_int_equal(hs_params_init(&p, spec, &err), HS_OK);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char before[64], after[64];
        long k = hs_params_find(spec, bad[i].name);
        hs_params_format(&p, (size_t)k, before, sizeof before);
        hs_err_clear(&err);
        if (hs_params_set(&p, bad[i].name, bad[i].value, &err) != HS_EUSAGE)
            fail_msg("--%s '%s' was taken", bad[i].name, bad[i].value);
        if (!strstr(err.msg, bad[i].want))
            fail_msg("--%s '%s': '%s' lacks '%s'", bad[i].name, bad[i].value, err.msg,
                     bad[i].want);
        hs_params_format(&p, (size_t)k, after, sizeof after);
        assert_string_equal(before, after);
        assert_false(p.v[k].given);
    }
    assert_int_equal(hs_params_set(&p, "nope", "1", &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "'--nope' is not an option"));
    assert_int_equal(hs_params_set(&p, "count", NULL, &err), HS_EUSAGE);
    hs_params_release(&p);
}

/* Values set, written out, and read back into fresh parameters: the same
 * values bit for bit, the line in the spec's order with every value. */
static void
test_line_round_trip(void **state)
{
    struct hs_params p, q;
    struct hs_err err = {0};
    char *line;

    (void)state;
    assert_int_equal(hs_params_init(&p, spec, &err), HS_OK);
    line = hs_params_line(&p);
    assert_string_equal(line, "--count 3 --rate 0.5 --seed 7 --colour green --sizes 4,2 "
                              "--rates 0.25");
    hs_free(line);
    assert_int_equal(hs_params_set(&p, "count", "10", &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "rate", "1e-3", &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "seed", "18446744073709551615", &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "colour", "blue", &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "loud", NULL, &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "sizes", "none", &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "rates", "0.1,0.30000000000000004", &err), HS_OK);
    assert_true(p.v[T_CHOICE].given && p.v[T_SEED].given);
    line = hs_params_line(&p);
    assert_string_equal(line, "--count 10 --rate 0.001 --seed 18446744073709551615 --colour blue "
                              "--loud --sizes none --rates 0.1,0.30000000000000004");
    assert_int_equal(hs_params_init(&q, spec, &err), HS_OK);
    assert_int_equal(hs_params_parse_line(&q, line, NULL, NULL, &err), HS_OK);
    for (size_t i = 0; i < p.n; i++) {
        assert_true(tu_same_bits(p.v[i].x, q.v[i].x));
        assert_true(p.v[i].u == q.v[i].u);
        assert_int_equal(p.v[i].n, q.v[i].n);
        for (size_t k = 0; k < p.v[i].n; k++)
            assert_true(tu_same_bits(p.v[i].items[k], q.v[i].items[k]));
    }
    hs_free(line);
    /* A flag set off again; a word that is no parameter. */
    assert_int_equal(hs_params_set(&q, "loud", "0", &err), HS_OK);
    assert_false(hs_params_flag(&q, T_FLAG));
    assert_int_equal(hs_params_parse_line(&q, "--count 2 --volume 11", NULL, NULL, &err),
                     HS_EUSAGE);
    assert_non_null(strstr(err.msg, "'--volume' is not an option"));
    assert_int_equal(hs_params_parse_line(&q, "--count", NULL, NULL, &err), HS_EUSAGE);
    hs_params_release(&p);
    hs_params_release(&q);
}

static void
test_copy_and_help(void **state)
{
    struct hs_params p, q;
    struct hs_err err = {0};
    char help[256];

    (void)state;
    assert_int_equal(hs_params_init(&p, spec, &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "sizes", "9,8,7", &err), HS_OK);
    assert_int_equal(hs_params_copy(&q, &p, &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "sizes", "1", &err), HS_OK);
    assert_int_equal(q.v[T_INTS].n, 3); /* the copy is its own */
    assert_true(q.v[T_INTS].items[2] == 7);
    hs_param_help(&spec[T_CHOICE], help, sizeof help);
    assert_string_equal(help, "a colour: red, green, blue (default green)");
    hs_param_help(&spec[T_FLAG], help, sizeof help);
    assert_string_equal(help, "say it loud");
    hs_param_help(&spec[T_INT], help, sizeof help);
    assert_string_equal(help, "how many (default 3)");
    hs_params_release(&p);
    hs_params_release(&q);
}

/* Every spec's defaults parse, every choice list is NULL-ended, names are
 * unique within a method, and a parameter shared by two methods has the
 * same type in both (the CLI parses it once). */
static void
test_registry(void **state)
{
    const struct hs_method *const *m = hs_methods(), *found;
    struct hs_err err = {0};

    (void)state;
    assert_ptr_equal(m[0], &hs_method_mlp);
    assert_ptr_equal(hs_method_find("fisher"), &hs_method_fisher);
    assert_null(hs_method_find("xgboost"));
    assert_int_equal(hs_method_lookup("svm", &found, &err), HS_EUSAGE);
    assert_string_equal(err.msg, "no method 'svm': the methods are mlp, fisher, bdt, ae, pca, tsne, umap, kmeans or gmm");
    for (size_t i = 0; m[i]; i++) {
        struct hs_params p;
        assert_non_null(m[i]->summary);
        assert_non_null(m[i]->alloc);
        assert_non_null(m[i]->step);
        assert_non_null(m[i]->free);
        assert_non_null(m[i]->report);
        if (m[i]->outputs & HS_METHOD_MODEL) {
            assert_non_null(m[i]->model);
            assert_non_null(hs_model_kind_find(m[i]->name));
        }
        assert_int_equal(hs_method_params(m[i], &p, &err), HS_OK);
        for (size_t k = 0; k < p.n; k++) {
            const struct hs_param_spec *s = &m[i]->params[k];
            assert_non_null(s->help);
            assert_true(s->type == HS_PARAM_FLAG || s->metavar);
            assert_true(s->max_items <= HS_PARAM_MAX_ITEMS);
            for (size_t j = 0; j < k; j++)
                assert_string_not_equal(s->name, m[i]->params[j].name);
            for (size_t o = 0; o < i; o++) {
                long at = hs_params_find(m[o]->params, s->name);
                if (at >= 0)
                    assert_int_equal(m[o]->params[at].type, s->type);
            }
        }
        hs_params_release(&p);
    }
    assert_null(hs_model_kind_find("nope"));
}

/* The MLP's spec gives the defaults the issue of `train` states, and the
 * choice lists are the engine's names in enum order. */
static void
test_mlp_spec(void **state)
{
    struct hs_mlp_config c, d;
    struct hs_params p;
    struct hs_err err = {0};

    (void)state;
    hs_mlp_config_default(&c);
    assert_int_equal(c.nhidden, 2);
    assert_int_equal(c.width[0], 64);
    assert_int_equal(c.width[1], 64);
    assert_int_equal(c.act, HS_ACT_RELU);
    assert_int_equal(c.optim, HS_OPTIM_ADAM);
    assert_true(c.lr == 1e-3 && c.l2 == 1e-4 && c.momentum == 0.9 && c.lr_decay == 0);
    assert_true(c.dropout[0] == 0.1 && c.dropout[1] == 0.1);
    assert_int_equal(c.batch, 256);
    assert_int_equal(c.epochs, 50);
    assert_int_equal(c.patience, 5);
    assert_true(c.seed == 0);
    assert_false(c.balance);
    assert_int_equal(c.negw, HS_NEGW_USE);
    assert_true(c.beta1 == 0.9 && c.beta2 == 0.999 && c.eps == 1e-8);
    for (int a = HS_ACT_RELU; a <= HS_ACT_IDENTITY; a++)
        assert_int_equal(hs_act_parse(hs_act_name((enum hs_act)a)), a);
    for (int o = HS_OPTIM_ADAM; o <= HS_OPTIM_NESTEROV; o++)
        assert_int_equal(hs_optim_parse(hs_optim_name((enum hs_optim)o)), o);
    assert_int_equal(hs_act_parse("softmax"), -1);

    assert_int_equal(hs_method_params(&hs_method_mlp, &p, &err), HS_OK);
    assert_int_equal(hs_mlp_config_from_params(&p, &d, &err), HS_OK);
    assert_memory_equal(&c, &d, sizeof c);
    /* The documented default: one rate for every hidden layer, however
     * many the user asks for (not 0 past the default's two). */
    assert_int_equal(hs_params_set(&p, "layers", "128,64,32", &err), HS_OK);
    assert_int_equal(hs_mlp_config_from_params(&p, &d, &err), HS_OK);
    assert_int_equal(d.nhidden, 3);
    assert_true(d.dropout[0] == 0.1 && d.dropout[1] == 0.1 && d.dropout[2] == 0.1);
    assert_int_equal(hs_params_set(&p, "layers", "8,4,2", &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "dropout", "0.3,0.2", &err), HS_OK);
    assert_int_equal(hs_mlp_config_from_params(&p, &d, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "--dropout gives 2 rates for 3 hidden layers"));
    assert_int_equal(hs_params_set(&p, "dropout", "0.3,0.2,0", &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "optimizer", "nesterov", &err), HS_OK);
    assert_int_equal(hs_mlp_config_from_params(&p, &d, &err), HS_OK);
    assert_int_equal(d.nhidden, 3);
    assert_true(d.dropout[0] == 0.3 && d.dropout[1] == 0.2 && d.dropout[2] == 0);
    assert_int_equal(d.optim, HS_OPTIM_NESTEROV);
    hs_params_release(&p);
}

/* ---- the fit driver ---------------------------------------------------- */

/* Two separable classes in two inputs, with a validation part. */
struct data {
    size_t n;
    double *x0, *x1, *label;
    const double *x[2];
    unsigned char *part;
    struct hs_method_data d;
};

static void
make_data(struct data *s, size_t n, uint64_t seed)
{
    uint64_t r = seed;

    s->n = n;
    s->x0 = malloc(n * sizeof(double));
    s->x1 = malloc(n * sizeof(double));
    s->label = malloc(n * sizeof(double));
    s->part = malloc(n);
    for (size_t i = 0; i < n; i++) {
        double u = tu_unit(tu_splitmix(&r)), v = tu_unit(tu_splitmix(&r));
        s->label[i] = (double)(i % 3 == 0);
        s->x0[i] = tu_box_muller(u, v) + (s->label[i] == 1 ? 1.5 : 0);
        s->x1[i] = tu_box_muller(v, u) - (s->label[i] == 1 ? 0.5 : 0);
        s->part[i] = (unsigned char)(i % 4 == 3 ? 2 : i % 4 == 2 ? 1 : 0);
    }
    s->x[0] = s->x0;
    s->x[1] = s->x1;
    memset(&s->d, 0, sizeof s->d);
    s->d.n = n;
    s->d.nin = 2;
    s->d.x = s->x;
    s->d.label = s->label;
    s->d.part = s->part;
    s->d.threads = 1;
}

static void
free_data(struct data *s)
{
    free(s->x0);
    free(s->x1);
    free(s->label);
    free(s->part);
}

struct steps {
    size_t n, epochs;
    double last_fraction;
    bool monotonic, ended_done;
};

static void
count_steps(void *user, const struct hs_method_status *st)
{
    struct steps *k = user;

    k->monotonic = k->monotonic && st->fraction >= k->last_fraction;
    k->last_fraction = st->fraction;
    k->epochs += st->has_epoch;
    k->ended_done = st->done;
    k->n++;
}

static void
test_fit_steps(void **state)
{
    struct data s;
    struct hs_params p;
    struct hs_err err = {0};
    struct steps k = {.monotonic = true};
    struct hs_method_report rep;
    void *st = NULL;
    bool cancelled = true;

    (void)state;
    make_data(&s, 3000, 5);
    assert_int_equal(hs_method_params(&hs_method_mlp, &p, &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "layers", "4", &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "epochs", "6", &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "patience", "0", &err), HS_OK);
    assert_int_equal(hs_method_fit(&hs_method_mlp, &p, &s.d, count_steps, &k, &st, &cancelled,
                                   NULL, &err),
                     HS_OK);
    assert_false(cancelled);
    /* One step an epoch, the last one says done, progress never goes back. */
    assert_int_equal(k.n, 6);
    assert_int_equal(k.epochs, 6);
    assert_true(k.ended_done);
    assert_true(k.monotonic);
    assert_true(k.last_fraction == 1.0);
    hs_method_mlp.report(st, &rep);
    assert_int_equal(rep.nepochs, 6);
    assert_int_equal(rep.ntrain, 1500);
    assert_int_equal(rep.nval, 750);
    assert_true(rep.best_epoch >= 1 && rep.best_epoch <= 6);
    for (size_t e = 0; e < rep.nepochs; e++)
        assert_int_equal(rep.curve[e].epoch, e + 1);
    hs_method_mlp.free(st);
    hs_params_release(&p);
    free_data(&s);
}

/* The same network through hs_method_fit and through hs_mlp_train: the
 * same weights, bit for bit (the driver adds nothing to the training). */
static void
test_fit_matches_train(void **state)
{
    struct data s;
    struct hs_params p;
    struct hs_mlp_config c;
    struct hs_mlp_result res;
    struct hs_model *m = NULL;
    struct hs_err err = {0};
    double *a, *b;
    void *st;
    bool cancelled;

    (void)state;
    make_data(&s, 2000, 9);
    assert_int_equal(hs_method_params(&hs_method_mlp, &p, &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "layers", "5,3", &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "epochs", "4", &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "seed", "3", &err), HS_OK);
    assert_int_equal(hs_mlp_config_from_params(&p, &c, &err), HS_OK);
    c.threads = 1;
    assert_int_equal(hs_mlp_train(&c, s.x, 2, s.label, NULL, s.part, s.n, &res, NULL, &err),
                     HS_OK);
    assert_int_equal(hs_method_fit(&hs_method_mlp, &p, &s.d, NULL, NULL, &st, &cancelled, NULL,
                                   &err),
                     HS_OK);
    assert_int_equal(hs_method_mlp.model(st, &m, &err), HS_OK);
    a = malloc(s.n * sizeof *a);
    b = malloc(s.n * sizeof *b);
    assert_int_equal(hs_mlp_score(res.model, s.x, s.n, a, NULL, &err), HS_OK);
    assert_int_equal(hs_model_score(m, s.x, s.n, b, NULL, &err), HS_OK);
    for (size_t i = 0; i < s.n; i++)
        assert_true(tu_same_bits(a[i], b[i]));
    free(a);
    free(b);
    hs_model_free(m);
    hs_method_mlp.free(st);
    hs_mlp_result_release(&res);
    hs_params_release(&p);
    free_data(&s);
}

/* Raise the flag once `after` epochs have ended. */
struct cancel_after {
    atomic_int flag;
    size_t after, seen;
};

static void
cancel_on_step(void *user, const struct hs_method_status *st)
{
    struct cancel_after *c = user;

    if (st->has_epoch && ++c->seen >= c->after)
        atomic_store(&c->flag, 1);
}

static void
test_fit_cancel(void **state)
{
    struct data s;
    struct hs_params p;
    struct hs_err err = {0};
    struct cancel_after c = {.after = 2};
    struct hs_task task = {NULL, NULL, &c.flag};
    struct hs_method_report rep;
    void *st = (void *)1;
    bool cancelled = false;

    (void)state;
    make_data(&s, 3000, 7);
    atomic_init(&c.flag, 0);
    assert_int_equal(hs_method_params(&hs_method_mlp, &p, &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "layers", "4", &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "epochs", "50", &err), HS_OK);
    assert_int_equal(hs_params_set(&p, "patience", "0", &err), HS_OK);
    /* After two epochs: the model so far is kept, and said to be. */
    assert_int_equal(hs_method_fit(&hs_method_mlp, &p, &s.d, cancel_on_step, &c, &st,
                                   &cancelled, &task, &err),
                     HS_OK);
    assert_true(cancelled);
    hs_method_mlp.report(st, &rep);
    assert_int_equal(rep.nepochs, 2);
    hs_method_mlp.free(st);
    /* Raised before anything: nothing to keep, no state. */
    atomic_store(&c.flag, 1);
    st = (void *)1;
    assert_int_equal(hs_method_fit(&hs_method_mlp, &p, &s.d, NULL, NULL, &st, &cancelled, &task,
                                   &err),
                     HS_ECANCELLED);
    assert_null(st);
    hs_params_release(&p);
    /* Fisher learns in one step: a cancel leaves nothing to keep. */
    assert_int_equal(hs_method_params(&hs_method_fisher, &p, &err), HS_OK);
    st = (void *)1;
    assert_int_equal(hs_method_fit(&hs_method_fisher, &p, &s.d, NULL, NULL, &st, &cancelled,
                                   &task, &err),
                     HS_ECANCELLED);
    assert_null(st);
    hs_params_release(&p);
    free_data(&s);
}

/* ---- k folds ------------------------------------------------------------ */

/* Each fold's AUC is the AUC of a Fisher fit done here on the rows the
 * fold trains on, tested on the test rows; the validation rows of the
 * folds cover every training row once, per class in equal shares. */
static void
test_folds_by_hand(void **state)
{
    struct data s;
    struct hs_params p;
    struct hs_err err = {0};
    struct hs_eval_fold folds[4];
    unsigned char *test;
    size_t done = 0;

    (void)state;
    make_data(&s, 4000, 13);
    test = malloc(s.n);
    for (size_t i = 0; i < s.n; i++)
        test[i] = s.part[i] == 2;
    assert_int_equal(hs_method_params(&hs_method_fisher, &p, &err), HS_OK);
    assert_int_equal(hs_eval_folds(&hs_method_fisher, &p, &s.d, test, 4, 99, folds, &done, NULL,
                                   &err),
                     HS_OK);
    assert_int_equal(done, 4);
    /* The same folds, dealt again here: fit each one by hand.  The
     * assignment is the engine's (splitmix64 of seed ^ 0x5eed0f01d5,
     * per class), so redo it to know which rows each fold trains on. */
    {
        uint64_t seedstate = 99 ^ 0x5eed0f01d5ULL;
        unsigned char *fold = malloc(s.n), *part = malloc(s.n);
        size_t *idx = malloc(s.n * sizeof *idx);
        double *score = malloc(s.n * sizeof *score);
        memset(fold, 255, s.n);
        for (int c = 0; c < 2; c++) {
            size_t m = 0;
            for (size_t i = 0; i < s.n; i++)
                if (s.part[i] < 2 && s.label[i] == (c ? 1.0 : 0.0))
                    idx[m++] = i;
            for (size_t i = m; i > 1; i--) {
                size_t j = (size_t)(tu_splitmix(&seedstate) % i), t = idx[i - 1];
                idx[i - 1] = idx[j];
                idx[j] = t;
            }
            for (size_t i = 0; i < m; i++)
                fold[idx[i]] = (unsigned char)(i % 4);
        }
        for (size_t f = 0; f < 4; f++) {
            struct hs_method_data d = s.d;
            struct hs_model *model = NULL;
            struct hs_roc roc;
            void *st;
            bool cancelled;
            size_t nval = 0;
            for (size_t i = 0; i < s.n; i++) {
                part[i] = fold[i] == 255 ? 255 : fold[i] == f ? 1 : 0;
                nval += part[i] == 1;
            }
            assert_true(nval >= 3000 / 4 - 2 && nval <= 3000 / 4 + 2);
            d.part = part;
            assert_int_equal(hs_method_fit(&hs_method_fisher, &p, &d, NULL, NULL, &st,
                                           &cancelled, NULL, &err),
                             HS_OK);
            assert_int_equal(hs_method_fisher.model(st, &model, &err), HS_OK);
            assert_int_equal(hs_model_score(model, s.x, s.n, score, NULL, &err), HS_OK);
            assert_int_equal(hs_roc_from_scores(score, s.label, NULL, test, s.n, &roc, NULL, &err),
                             HS_OK);
            assert_true(tu_same_bits(roc.auc, folds[f].auc));
            assert_true(tu_same_bits(hs_roc_bkg_at(&roc, 0.95), folds[f].bkg95));
            assert_int_equal(folds[f].nepochs, 0);
            hs_roc_release(&roc);
            hs_model_free(model);
            hs_method_fisher.free(st);
        }
        free(fold);
        free(part);
        free(idx);
        free(score);
    }
    assert_int_equal(hs_eval_folds(&hs_method_fisher, &p, &s.d, test, 1, 99, folds, &done, NULL,
                                   &err),
                     HS_EUSAGE);
    free(test);
    hs_params_release(&p);
    free_data(&s);
}

/* ---- evaluation ------------------------------------------------------- */

/* A part with one class is NaN, not an error; the KS test of identical
 * train and test samples gives p = 1. */
static void
test_eval_scores(void **state)
{
    static const double score[8] = {0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9};
    static const double label[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    unsigned char train[8], test[8];
    struct hs_eval ev;
    struct hs_err err = {0};

    (void)state;
    for (int i = 0; i < 8; i++)
        train[i] = test[i] = 1;
    assert_int_equal(hs_eval_scores(score, label, NULL, train, test, 8, &ev, NULL, &err), HS_OK);
    assert_true(ev.test_auc == 1.0 && ev.train_auc == 1.0);
    assert_true(ev.ks_p[0] == 1.0 && ev.ks_p[1] == 1.0);
    for (int i = 0; i < 8; i++)
        test[i] = label[i] == 1;
    assert_int_equal(hs_eval_scores(score, label, NULL, train, test, 8, &ev, NULL, &err), HS_OK);
    assert_true(isnan(ev.test_auc) && isnan(ev.test_bkg95) && isnan(ev.test_sig_at[0]));
    assert_true(ev.train_auc == 1.0);
}

/* ---- stored models ----------------------------------------------------- */

static void
test_model_load_checks(void **state)
{
    struct data s;
    struct hs_params p;
    struct hs_model *m = NULL, *back = NULL;
    struct hs_err err = {0};
    unsigned char *buf;
    size_t len;
    void *st;
    bool cancelled;
    char desc[128];

    (void)state;
    make_data(&s, 600, 3);
    assert_int_equal(hs_method_params(&hs_method_fisher, &p, &err), HS_OK);
    assert_int_equal(hs_method_fit(&hs_method_fisher, &p, &s.d, NULL, NULL, &st, &cancelled,
                                   NULL, &err),
                     HS_OK);
    assert_int_equal(hs_method_fisher.model(st, &m, &err), HS_OK);
    assert_int_equal(hs_model_serialize(m, &buf, &len, &err), HS_OK);
    assert_int_equal(hs_model_load("fisher", buf, len, 2, &back, &err), HS_OK);
    hs_model_describe(back, desc, sizeof desc);
    assert_string_equal(desc, "Fisher, 2 coefficients");
    hs_model_free(back);
    /* The wrong input count, an unknown kind, another kind's reader. */
    assert_int_equal(hs_model_load("fisher", buf, len, 3, &back, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "takes 2 inputs but lists 3"));
    assert_null(back);
    assert_int_equal(hs_model_load("xgboost", buf, len, 2, &back, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "kind 'xgboost'"));
    assert_int_equal(hs_model_load("bdt", buf, len, 2, &back, &err), HS_EDATA);
    assert_null(back);
    assert_int_equal(hs_model_load("mlp", buf, len, 2, &back, &err), HS_EDATA);
    assert_null(back);
    hs_free(buf);
    hs_model_free(m);
    hs_method_fisher.free(st);
    hs_params_release(&p);
    free_data(&s);
}

/* Every allocation of the parameters, the driver, the model and the
 * folds failed in turn: HS_ENOMEM and nothing left behind (the sanitizer
 * build checks for leaks), then success once nothing fails. */
static void
test_oom(void **state)
{
    struct data s;
    struct hs_err err = {0};
    unsigned char *test;
    bool ok = false;

    (void)state;
    make_data(&s, 400, 21);
    test = malloc(s.n);
    for (size_t i = 0; i < s.n; i++)
        test[i] = s.part[i] == 2;
    for (long k = 0; k < 400 && !ok; k++) {
        struct hs_params p = {0}, q = {0};
        struct hs_eval_fold folds[2];
        struct hs_model *m = NULL;
        char *line = NULL;
        void *st = NULL;
        bool cancelled;
        size_t done;
        int rc;

        hs_mem_fail_after(k);
        rc = hs_method_params(&hs_method_mlp, &p, &err);
        if (rc == HS_OK && (rc = hs_params_set(&p, "layers", "3", &err)) == HS_OK &&
            (rc = hs_params_set(&p, "epochs", "2", &err)) == HS_OK) {
            line = hs_params_line(&p);
            rc = line ? hs_params_copy(&q, &p, &err) : HS_ENOMEM;
        }
        if (rc == HS_OK)
            rc = hs_method_fit(&hs_method_mlp, &q, &s.d, NULL, NULL, &st, &cancelled, NULL, &err);
        if (rc == HS_OK)
            rc = hs_method_mlp.model(st, &m, &err);
        if (rc == HS_OK)
            rc = hs_eval_folds(&hs_method_mlp, &q, &s.d, test, 2, 1, folds, &done, NULL, &err);
        hs_mem_fail_after(-1);
        if (rc != HS_OK)
            assert_int_equal(rc, HS_ENOMEM);
        ok = rc == HS_OK;
        hs_model_free(m);
        if (st)
            hs_method_mlp.free(st);
        hs_free(line);
        hs_params_release(&p);
        hs_params_release(&q);
    }
    assert_true(ok);
    free(test);
    free_data(&s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_values),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_line_round_trip),
        cmocka_unit_test(test_copy_and_help),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_mlp_spec),
        cmocka_unit_test(test_fit_steps),
        cmocka_unit_test(test_fit_matches_train),
        cmocka_unit_test(test_fit_cancel),
        cmocka_unit_test(test_folds_by_hand),
        cmocka_unit_test(test_eval_scores),
        cmocka_unit_test(test_model_load_checks),
        cmocka_unit_test(test_oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

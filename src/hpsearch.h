/* hpsearch.h: hyperparameter search over a method's parameters.
 *
 * A search space names parameters of a method's spec (src/method.h) and
 * says how each is drawn:
 *
 *   layers=[32],[64,64],[128,64,32]; lr=log(1e-4,1e-2); dropout=0:0.3; batch=64:512
 *
 *   a,b,c or [..],[..]  one of the choices, each a value of the parameter
 *                       as typed (brackets hold a list's commas)
 *   lo:hi               uniform; whole numbers from lo to hi for a parameter
 *                       of whole numbers (an INT, or the items of an INTS)
 *   log(lo,hi)          log-uniform, 0 < lo < hi (rounded likewise)
 *
 * A range of a list parameter (INTS, REALS) draws a one-item list.
 *
 * Strategies (Bergstra et al. 2011; Li et al. 2018):
 *   random    every trial drawn from the space
 *   tpe       the tree-structured Parzen estimator as Hyperopt and Optuna
 *             run it by default: `startup` random trials, then the trials
 *             so far split at the quantile gamma of the validation AUC
 *             into good and bad, per parameter a Parzen estimator of each
 *             (truncated Gaussian kernels with Hyperopt's bandwidths, in
 *             log space for a log range, one prior kernel over the range;
 *             choices by counts plus a prior weight), `candidates` draws
 *             from the good one, the one with the largest l(x)/g(x) kept;
 *             each parameter on its own (Optuna's default, not multivariate)
 *   halving   successive halving, Hyperband's inner loop: `trials`
 *             configurations drawn at random run with a small budget (the
 *             method's budget parameter, its epochs or trees), the best
 *             1/eta go on with eta times the budget, up to max_budget
 *
 * The engine neither trains nor stores: it hands each trial's values to a
 * callback that trains and returns the validation AUC (what the search
 * ranks by; never the test part's), the test AUC and the seconds it
 * took.  Deterministic for a seed: the draws come from one seeded RNG in
 * a fixed order, whatever the trials return.
 */
#ifndef HS_HPSEARCH_H
#define HS_HPSEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "method.h"
#include "task.h"

enum hs_hp_kind {
    HS_HP_CHOICE,  /* one of choices[] */
    HS_HP_UNIFORM, /* uniform on [lo, hi] */
    HS_HP_LOG,     /* log-uniform on [lo, hi] */
};

struct hs_hp_dim {
    char *name;             /* the parameter's name (owned) */
    size_t param;           /* its index in the spec */
    enum hs_hp_kind kind;
    bool integer;           /* ranges: whole numbers drawn */
    bool list;              /* ranges: the parameter is a list (INTS, REALS) */
    double lo, hi;          /* ranges */
    size_t nchoices;
    char **choices;         /* CHOICE: the values as typed ("64,64"), owned */
};

struct hs_hp_space {
    const struct hs_param_spec *spec;
    size_t n;
    struct hs_hp_dim *dims;
};

/* Read a space for spec.  HS_EUSAGE for bad text, naming the character
 * (1-based, also in err->col) and the parameter: a parameter the spec
 * does not have (listing those it has), one named twice, a range of a
 * parameter that is not a number, bounds outside the parameter's own
 * range, a choice that is not a value of it.  sp is unchanged then. */
int hs_hp_space_parse(struct hs_hp_space *sp, const struct hs_param_spec *spec, const char *text,
                      struct hs_err *err);
void hs_hp_space_release(struct hs_hp_space *sp);
/* The index of the dimension of parameter name, or -1. */
long hs_hp_space_find(const struct hs_hp_space *sp, const char *name);
/* The value x of dimension d (a choice's index for CHOICE) as the
 * parameter takes it ("0.00123", "64,64", "128"). */
void hs_hp_value_text(const struct hs_hp_dim *d, double x, char *buf, size_t size);
/* The values x[0..sp->n) as options: "--layers 64,64 --lr 0.00123".
 * New string (hs_free), NULL when out of memory. */
char *hs_hp_line(const struct hs_hp_space *sp, const double *x);

enum hs_hp_strategy { HS_HP_RANDOM, HS_HP_TPE, HS_HP_HALVING };

/* "random", "tpe", "halving", ended by NULL. */
extern const char *const hs_hp_strategy_names[];

struct hs_hp_opts {
    enum hs_hp_strategy strategy;
    size_t trials;        /* random, tpe: trials; halving: the first rung's configurations */
    uint64_t seed;
    double time_budget;   /* seconds (0: none): no trial starts once the trials' seconds
                             add up to it */
    size_t startup;       /* tpe: random trials first (10) */
    double gamma;         /* tpe: the good trials' share (0.25) */
    size_t candidates;    /* tpe: draws from l(x) per parameter (24) */
    double prior_weight;  /* tpe: the prior's weight (1) */
    size_t eta;           /* halving: 1/eta go on, budget times eta (3) */
    size_t max_budget;    /* halving: the last rung's budget (the parameter as set), >= 1 */
};

void hs_hp_opts_default(struct hs_hp_opts *o);

enum hs_hp_status {
    HS_HP_OK,        /* trained: val_auc is its figure */
    HS_HP_FAILED,    /* the parameters were refused or training failed: ranked last */
    HS_HP_CANCELLED, /* stopped by the task's cancel: not kept */
};

/* "ok", "failed", "cancelled". */
const char *hs_hp_status_name(enum hs_hp_status s);

struct hs_hp_trial {
    size_t number;        /* 1-based, in the order run */
    double *x;            /* the space's n values (a choice's index for CHOICE) */
    size_t budget;        /* halving: the budget parameter's value; 0: as set */
    size_t rung;          /* halving: 0-based; 0 otherwise */
    double val_auc;       /* the callback's figures; NaN when it has none */
    double test_auc;
    double seconds;
    enum hs_hp_status status;
};

/* Train one trial: set t->val_auc, test_auc, seconds and status.
 * HS_OK also for a failed trial (status HS_HP_FAILED); HS_ECANCELLED
 * when the task's cancel stopped it; any other error ends the search. */
typedef int (*hs_hp_run_fn)(void *user, struct hs_hp_trial *t, const struct hs_task *task,
                            struct hs_err *err);

struct hs_hp_result {
    struct hs_hp_trial *trials; /* n, in the order run (each x owned) */
    size_t n;
    long best;                  /* the index of the highest val_auc (the first on a
                                   tie), -1 when no trial succeeded */
    bool cancelled;             /* stopped by the task: the trials before are kept */
    bool out_of_time;           /* stopped by time_budget */
};

/* Run the search.  HS_OK also when cancelled (res->cancelled) or out of
 * time; HS_EUSAGE for bad options (no trials, eta < 2, halving without a
 * budget); another error of the callback ends it, res then holding the
 * trials that finished (release it either way). */
int hs_hp_search(const struct hs_hp_space *sp, const struct hs_hp_opts *o, hs_hp_run_fn run,
                 void *user, struct hs_hp_result *res, const struct hs_task *task,
                 struct hs_err *err);
void hs_hp_result_release(struct hs_hp_result *res);

/* The budgets and sizes of halving's rungs for n configurations and a
 * last budget of max_budget: *nrungs rungs, rung k running size[k]
 * configurations with budget[k] (arrays of at least 64).  For the tests
 * and the front end's announcement. */
void hs_hp_halving_plan(size_t n, size_t max_budget, size_t eta, size_t *nrungs, size_t *size,
                        size_t *budget);

/* ---- the pieces, for the tests ------------------------------------------ */

struct hs_rng;
/* A draw from dimension d's prior, rounded as the parameter takes it. */
double hs_hp_draw_prior(const struct hs_hp_dim *d, struct hs_rng *rng);
/* x as the parameter takes it: whole numbers rounded, others to the six
 * digits hs_hp_value_text writes. */
double hs_hp_round(const struct hs_hp_dim *d, double x);

#endif

/* method.h: the method layer.  Every learner (the MLP, Fisher's
 * discriminant, and the boosted trees, projections and clusterings that
 * follow) is one const struct hs_method: a name, a one-line summary, a
 * parameter spec, an alloc / step / free life cycle and declared outputs.
 * Front ends never switch on a method's name: the CLI options of `train`,
 * the TUI's form, the option text stored with a model, `--help`, `methods`
 * and the man page's option list all come from the spec, so a default
 * exists in one place (SQLite's sqlite3_module, GSL's multimin types).
 *
 * Adding a method, with Fisher (src/fisher.c) as the worked example:
 *
 *   1. The parameters: a static const struct hs_param_spec[] ended by {0}
 *      ({.name = "shrinkage", .type = HS_PARAM_REAL, .def = "0", .min = 0,
 *      .max = 1, .metavar = "L", .help = "..."}), and an enum of their
 *      indexes for hs_params_real(p, FISHER_SHRINKAGE).
 *   2. alloc(params, data, &state): copy what the fit needs (it may not
 *      keep pointers into params); data's columns are borrowed until free.
 *   3. step(state, &status, task): a bounded slice of work (an epoch, a
 *      batch of trees, a few hundred iterations; Fisher does all of it in
 *      one step) that checks the task's cancel flag at least every 100 ms
 *      and sets status.done when the fit is over.
 *   4. Outputs: HS_METHOD_MODEL and HS_METHOD_SCORE with model() handing
 *      over a struct hs_model (src/model.h: its kind scores, stores,
 *      describes and exports itself as C); coordinates and cluster ids
 *      come from coords() and clusters().
 *   5. One line in each list of src/methods.c (the method, its model's
 *      kind), the options with their defaults in man/hepscope.1 under
 *      `train` (tests/cli/man.sh checks them against the spec), and
 *      tests/unit/test_NAME.c.  `train --method NAME`, its --help, the
 *      TUI's form, `hepscope methods`, the stored options, scoring, ROC,
 *      learned columns and `model export` then work with no other change.
 *
 * hs_method_fit() drives the life cycle for a front end that just waits;
 * a worker thread calls step() itself to show each step as it ends.
 */
#ifndef HS_METHOD_H
#define HS_METHOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "task.h"

/* ---- parameters ------------------------------------------------------ */

enum hs_param_type {
    HS_PARAM_INT,    /* a whole number in [min, max] */
    HS_PARAM_REAL,   /* a number in [min, max], read exactly in any locale */
    HS_PARAM_SEED,   /* a whole number from 0 to 2^64 - 1 */
    HS_PARAM_CHOICE, /* one of choices[] */
    HS_PARAM_FLAG,   /* on or off (off unless the default is "1") */
    HS_PARAM_INTS,   /* whole numbers "64,64", each in [min, max], at most max_items;
                        "none" is the empty list */
    HS_PARAM_REALS,  /* numbers "0.1,0.2", each in [min, max], 1 to max_items of them */
};

struct hs_param_spec {
    const char *name;    /* "layers": --layers on the CLI, a form field, a word of the
                            stored text; NULL ends a spec */
    enum hs_param_type type;
    const char *def;     /* the default as typed ("64,64", "relu", "0.001") */
    double min, max;     /* INT, REAL and the items of INTS and REALS */
    bool max_open;       /* the range ends just below max: [min, max) */
    size_t max_items;    /* INTS and REALS, at most HS_PARAM_MAX_ITEMS */
    const char *noun;    /* INTS and REALS: what an item is, plural ("widths") */
    const char *const *choices; /* CHOICE: NULL-ended */
    const char *metavar; /* "W,W,...", "X"; NULL for a flag */
    const char *help;    /* one line, without the default (help adds it) */
};

/* The most items of a list parameter. */
#define HS_PARAM_MAX_ITEMS 16

struct hs_param_value {
    bool given;          /* set by the user, not the default */
    double x;            /* INT, REAL, CHOICE (the index), FLAG (0 or 1) */
    uint64_t u;          /* SEED */
    size_t n;            /* INTS, REALS: the items */
    double items[HS_PARAM_MAX_ITEMS];
};

/* A method's parameters: its spec and one value per entry. */
struct hs_params {
    const struct hs_param_spec *spec;
    size_t n;
    struct hs_param_value *v;
};

/* Every parameter at its default.  HS_ENOMEM, or HS_EUSAGE for a spec
 * whose default does not parse (a bug the tests catch). */
int hs_params_init(struct hs_params *p, const struct hs_param_spec *spec, struct hs_err *err);
void hs_params_release(struct hs_params *p);
/* A copy of src into dst (initialised here). */
int hs_params_copy(struct hs_params *dst, const struct hs_params *src, struct hs_err *err);
/* Parse text as a value of s (NULL: the default), allocating nothing;
 * HS_EUSAGE as for hs_params_set, v unchanged then. */
int hs_param_parse(const struct hs_param_spec *s, const char *text, struct hs_param_value *v,
                   struct hs_err *err);
/* The index of parameter `name` in the spec, or -1. */
long hs_params_find(const struct hs_param_spec *spec, const char *name);
/* Set parameter `name` from text (a flag takes NULL or "1" for on, "0"
 * for off).  HS_EUSAGE naming the option, the value and what it accepts
 * ("--lr wants a number from 1e-12 to 100, not 'x'"); nothing changes then. */
int hs_params_set(struct hs_params *p, const char *name, const char *text, struct hs_err *err);
/* The value as it would be typed ("64,64", "relu", "0.001", "1"). */
void hs_params_format(const struct hs_params *p, size_t idx, char *buf, size_t size);
/* Every parameter written out in the spec's order, defaults included,
 * flags only when on: "--layers 64,64 --activation relu ...".  New
 * string (hs_free), NULL when out of memory. */
char *hs_params_line(const struct hs_params *p);
/* Set the parameters named in a line of hs_params_line's form (words
 * split by spaces; values never contain spaces).  Words that are not
 * parameters of the spec are handed to other(word, value, user) when it
 * is given (value NULL when the next word is an option or there is
 * none; it returns 1 when it took the value, 0 when not, or an error),
 * else they are HS_EUSAGE. */
int hs_params_parse_line(struct hs_params *p, const char *line,
                         int (*other)(void *user, const char *name, const char *value,
                                      struct hs_err *err),
                         void *user, struct hs_err *err);

/* Values, by index into the spec (asserting the type). */
double hs_params_real(const struct hs_params *p, size_t idx);
size_t hs_params_int(const struct hs_params *p, size_t idx);
uint64_t hs_params_seed(const struct hs_params *p, size_t idx);
size_t hs_params_choice(const struct hs_params *p, size_t idx);
bool hs_params_flag(const struct hs_params *p, size_t idx);
size_t hs_params_list(const struct hs_params *p, size_t idx, const double **items);

/* "hidden layer widths ('none': logistic regression) (default 64,64)":
 * the help line with the default, and for a choice the choices. */
void hs_param_help(const struct hs_param_spec *s, char *buf, size_t size);

/* ---- what a method learns from --------------------------------------- */

/* The events, borrowed for the life of the fit.  Rows whose part is 0
 * train, 1 validate (early stopping), anything else is left out; part
 * NULL: every row trains.  Labels are 1 signal, 0 background; other
 * values and NaN are left out of a supervised fit.
 *
 * Projections and clusterings (HS_METHOD_COORDS, HS_METHOD_CLUSTER) fit
 * the rows whose part is 0 (the front end's subsample of its selection)
 * and give coords() and clusters() for all n rows: a method that can
 * place any event (PCA's projection, a mixture's assignment) places
 * every row with no missing input; one that cannot (t-SNE, UMAP) gives
 * NaN and -1 outside the fitted rows.  Their inputs are standardised
 * with the mean and sd (divisor n) of the fitted rows (embed_input.h). */
struct hs_method_data {
    size_t n, nin;
    const double *const *x;       /* nin columns of n values, NaN for missing */
    const char *const *names;     /* nin input names */
    const double *label;          /* n; NULL for an unsupervised method */
    const double *weight;         /* n or NULL for 1 */
    const unsigned char *part;    /* n or NULL */
    int threads;                  /* 0: the machine's choice */
};

/* One step's figures, for the training curve: what an MLP's epoch, a
 * boosting round or an embedding's iteration reports. */
struct hs_epoch_info {
    size_t epoch;        /* 1-based */
    double loss;         /* training loss */
    double val_loss;     /* on the validation part; NaN without one */
    double val_auc;      /* likewise */
    double seconds;      /* wall time of the step */
    double lr;           /* the learning rate used; NaN when there is none */
};

/* What a step says. */
struct hs_method_status {
    double fraction;     /* of the whole fit, 0 to 1 */
    bool done;           /* the fit is over (converged, stopped early, or all steps run) */
    bool has_epoch;      /* this step ended an epoch: `epoch` holds its figures */
    struct hs_epoch_info epoch;
};

/* What the fit did, for the summary and the stored record. */
struct hs_method_report {
    const struct hs_epoch_info *curve; /* one entry per epoch run (borrowed from the state) */
    size_t nepochs;
    size_t best_epoch;      /* 1-based, 0 when there are no epochs */
    bool early_stopped;
    size_t nimputed;        /* missing inputs replaced in training */
    size_t ntrain, nval;    /* events used */
    size_t nnegative;       /* training events with a negative weight */
    /* Projections and clusterings (NaN or 0 when they do not apply): */
    double loglik;          /* a mixture's log-likelihood, summed over the fitted events */
    size_t nfree;           /* its free parameters, for BIC (-2 loglik + nfree ln n) and AIC */
    double inertia;         /* k-means: summed squared distances to the centres */
    double kl;              /* t-SNE: the final KL divergence; UMAP: its loss */
};

/* ---- the descriptor --------------------------------------------------- */

enum hs_method_outputs {
    HS_METHOD_SCORE = 1 << 0,   /* a per-event score (through the model) */
    HS_METHOD_COORDS = 1 << 1,  /* per-event coordinates (coords) */
    HS_METHOD_CLUSTER = 1 << 2, /* a per-event cluster id (clusters) */
    HS_METHOD_MODEL = 1 << 3,   /* a model to store (model) */
};

struct hs_model;

struct hs_method {
    const char *name;      /* "mlp": --method mlp, models.kind */
    const char *summary;   /* one line */
    const char *loss;      /* what report.kl measures, for a summary line ("the KL
                              divergence"); NULL for a method that reports none */
    const struct hs_param_spec *params;
    unsigned outputs;      /* enum hs_method_outputs */
    bool supervised;       /* needs labels */
    /* The parameter that sets how much work a fit does ("epochs", "trees"):
     * what successive halving grows from rung to rung; NULL for none. */
    const char *budget;
    /* Cross-parameter checks once every parameter is set (NULL: none). */
    int (*check)(const struct hs_params *p, struct hs_err *err);
    /* "64,64 relu, adam lr 0.001, batch 256 ...": the configuration in a line. */
    void (*describe)(const struct hs_params *p, char *buf, size_t size);
    int (*alloc)(const struct hs_params *p, const struct hs_method_data *d, void **state,
                 struct hs_err *err);
    /* One slice of work.  HS_ECANCELLED when the task's flag was raised
     * (the state keeps what finished steps learned); other errors end
     * the fit. */
    int (*step)(void *state, struct hs_method_status *st, const struct hs_task *task,
                struct hs_err *err);
    /* HS_METHOD_MODEL: the model learned so far (the best epoch's, for a
     * method with early stopping), new (hs_model_free); HS_EDATA when no
     * step has finished yet. */
    int (*model)(void *state, struct hs_model **out, struct hs_err *err);
    /* HS_METHOD_COORDS / HS_METHOD_CLUSTER: the per-event outputs so far,
     * new arrays of n * dim doubles or n ids (hs_free). */
    int (*coords)(void *state, double **out, size_t *dim, struct hs_err *err);
    int (*clusters)(void *state, long **out, struct hs_err *err);
    void (*report)(void *state, struct hs_method_report *r);
    void (*free)(void *state);
};

/* Every method, ended by NULL (src/methods.c); the first is the default
 * of `train`. */
const struct hs_method *const *hs_methods(void);
/* The method called name, or NULL. */
const struct hs_method *hs_method_find(const char *name);
/* The method of `name`, or HS_EUSAGE listing the methods. */
int hs_method_lookup(const char *name, const struct hs_method **out, struct hs_err *err);

/* hs_params_init with the method's spec. */
int hs_method_params(const struct hs_method *m, struct hs_params *p, struct hs_err *err);

/* A fit driven to its end: alloc, steps until done, calling on_step (may
 * be NULL) after each with its status.  On success *state is the fitted
 * state (the caller calls m->free).  A cancel after at least one step
 * that left a model keeps it: HS_OK with *cancelled set; before that,
 * HS_ECANCELLED and no state. */
int hs_method_fit(const struct hs_method *m, const struct hs_params *p,
                  const struct hs_method_data *d,
                  void (*on_step)(void *user, const struct hs_method_status *st), void *user,
                  void **state, bool *cancelled, const struct hs_task *task, struct hs_err *err);

#endif

/* featureset.h: the feature set of a dataset (not "features.h", which
 * would shadow the C library's own header of that name).
 *
 * A feature is of one of three kinds:
 *   raw      a column of the table (every numeric column whose role is
 *            HS_ROLE_FEATURE);
 *   derived  a name and an expression over the table's columns and the
 *            derived features before it;
 *   learned  a name and a source that computes the values (a model's
 *            score now; a projection's coordinates, a cluster id or an
 *            anomaly score later), reading any raw, derived or other
 *            learned feature of the set.
 * Raw and derived features are each on or off: on means a default input
 * of what learns (train, cut optimise).  A learned feature is always off:
 * it is an input only when named.  Derived and learned values are computed
 * when first asked for and cached in the set; they are never stored in
 * the table, so nothing is held twice.  A derived feature may not read a
 * learned one (that would make scores default inputs through the back
 * door); learned features reading learned features are computed lazily,
 * and a cycle among them is HS_EUSAGE naming the chain.
 *
 * The set borrows its table, which must outlive it and not change.
 */
#ifndef HS_FEATURESET_H
#define HS_FEATURESET_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "expr.h"
#include "table.h"
#include "task.h"

enum hs_feature_kind {
    HS_FEATURE_RAW,
    HS_FEATURE_DERIVED,
    HS_FEATURE_LEARNED,
};

struct hs_featureset;

/* Where a learned feature's values come from: a const vtable (one per
 * kind of source) and a user pointer the feature owns. */
struct hs_learned_source {
    const char *kind; /* "model" */
    /* The values of every row of fs's table into out (fs->t->nrows
     * doubles, NaN for none).  It may ask fs for other features' values
     * (hs_featureset_values_by_name and the like); fs's features do not
     * move meanwhile.  Cancellable; errors in err. */
    int (*compute)(void *user, struct hs_featureset *fs, double *out, const struct hs_task *task,
                   struct hs_err *err);
    /* The names of the features and columns compute reads (for the cycle
     * check and for readers that load only what is needed, such as the
     * SQL table): *names borrowed from user. */
    size_t (*reads)(const void *user, const char *const **names);
    void (*free)(void *user);
    /* What made this column, for messages about it, into buf (size
     * bytes): "coordinate 1 of pca projection 'p'".  May be NULL: the
     * messages then say only the kind of source. */
    void (*origin)(const void *user, char *buf, size_t size);
};

struct hs_feature {
    char *name;
    char *expr;           /* derived: the expression; NULL for raw and learned */
    bool on;              /* a default input; always false for a learned feature */
    enum hs_feature_kind kind;
    long col;             /* raw: index in the table; else -1 */
    double *values;       /* derived, learned: cached values (nrows), NULL until computed */
    struct hs_expr *prog; /* derived: the compiled expression */
    struct hs_expr_stats stats; /* derived: NaN and domain counts of the last computation */
    const struct hs_learned_source *src; /* learned: the source, and its user pointer (owned) */
    void *user;
    size_t busy;          /* learned: its depth in the computation under way, 0 when idle */
};

struct hs_featureset {
    const struct hs_table *t;
    struct hs_feature *f;
    size_t n, cap;
    size_t depth;         /* learned features being computed, one inside another */
    size_t row0;          /* the dataset's row of the table's first row: 0, unless the
                             table holds a slice of the events (the SQL table reads
                             chunks); learned sources that store per-event values
                             read from there */
    size_t *rowmap;       /* after hs_featureset_narrow: the dataset's row of each of
                             the table's rows (owned); NULL: row0, row0 + 1, ... */
    bool rows_lost;       /* a narrowing ran out of memory for rowmap: stored
                             per-event values cannot be placed (HS_ENOMEM) */
    struct hs_fs_index *index; /* private to featureset.c: the names, indexed (owned; NULL
                                  after a failed allocation, rebuilt at the next change) */
    /* Set by a command that computes a few derived features and reads
     * nothing else: their inputs not read yet are read a block at a time
     * and not kept (hs_table_read_rows), so that a mass of eight
     * four-vector columns costs one column of memory, not nine.  Off, every
     * input read is kept for the features that share it. */
    bool stream_inputs;
};

/* The features a table of features shows beside the enabled ones: every
 * learned column (off as an input, but a column like any other). */
static inline bool
hs_feature_listed(const struct hs_feature *f)
{
    return f->on || f->kind == HS_FEATURE_LEARNED;
}

/* "raw", "derived", "learned". */
const char *hs_feature_kind_name(enum hs_feature_kind k);

/* A set with the table's raw features, all on. */
int hs_featureset_init(struct hs_featureset *fs, const struct hs_table *t, struct hs_err *err);
void hs_featureset_release(struct hs_featureset *fs);

/* Index of the feature called name, or -1. */
long hs_featureset_find(const struct hs_featureset *fs, const char *name);

/* Add a derived feature.  The name must be new among the table's columns
 * and the features, and be usable in expressions (letters, digits, '_',
 * not starting with a digit); the expression may name any column of the
 * table that is not hepscope's own and any earlier derived feature.
 * Errors (HS_EUSAGE, HS_EEXIST) are prefixed "feature 'NAME': " and keep
 * the expression's error column in err->col. */
int hs_featureset_add(struct hs_featureset *fs, const char *name, const char *expr, bool on,
                      struct hs_err *err);

/* Add a learned feature (off) computed by src with user, which the set
 * takes over: freed with the feature, or at once when this fails.  The
 * name must be new and an identifier, as for hs_featureset_add. */
int hs_featureset_add_learned(struct hs_featureset *fs, const char *name,
                              const struct hs_learned_source *src, void *user,
                              struct hs_err *err);

/* How many names feature idx reads, and name i of them (borrowed): a
 * derived feature's expression's columns, a learned feature's source's
 * list; none for a raw one. */
size_t hs_featureset_nreads(const struct hs_featureset *fs, size_t idx);
const char *hs_featureset_read(const struct hs_featureset *fs, size_t idx, size_t i);

/* Does feature idx read `name`, directly or through the features it
 * reads?  When it does and chain is given, chain gets "idx -> ... -> name"
 * (truncated to size). */
bool hs_featureset_depends(const struct hs_featureset *fs, size_t idx, const char *name,
                           char *chain, size_t size);

/* May a new learned column `name` (a model being trained) read the n
 * features `inputs`?  HS_EUSAGE when the name is a column of the table
 * or a raw or derived feature (a learned feature of that name is the one
 * being replaced), or when an input is that name or reads it through
 * other learned features (the message names the chain). */
int hs_featureset_check_learned(const struct hs_featureset *fs, const char *name,
                                const char *const *inputs, size_t n, struct hs_err *err);

/* Turn a feature on or off; HS_ENOTFOUND with a suggestion when unknown,
 * HS_EUSAGE for turning a learned feature on (name it as an input). */
int hs_featureset_set_on(struct hs_featureset *fs, const char *name, bool on,
                         struct hs_err *err);

/* Remove a derived or learned feature.  A raw column cannot be dropped
 * (turn it off), nor a feature that another uses (the message names it). */
int hs_featureset_drop(struct hs_featureset *fs, const char *name, struct hs_err *err);

/* The values of feature idx (t->nrows doubles, borrowed: valid until the
 * feature is dropped or the set released).  Computes derived ones on
 * first use, and the derived features they depend on. */
int hs_featureset_values(struct hs_featureset *fs, size_t idx, const double **out,
                         const struct hs_task *task, struct hs_err *err);

/* The values of any column of the table that is not hepscope's own (a
 * feature or not, numeric or text codes) or any derived feature, on or
 * off, by name (borrowed, as above).  HS_ENOTFOUND with a did-you-mean. */
int hs_featureset_values_by_name(struct hs_featureset *fs, const char *name, const double **out,
                                 const struct hs_task *task, struct hs_err *err);

/* The values of feature idx at rows[0..m) of the table only, into out (m
 * doubles): to rank thousands of features on a sample of the events
 * without computing, or keeping, all their values.  A derived feature
 * not computed yet runs its program on those rows (the derived features
 * it reads are computed whole and cached, as by hs_featureset_values);
 * other features are gathered from their values. */
int hs_featureset_sample(struct hs_featureset *fs, size_t idx, const size_t *rows, size_t m,
                         double *out, const struct hs_task *task, struct hs_err *err);

/* The table is about to be narrowed in place to the rows where mask[i]
 * is non-zero (of its fs->t->nrows now): remember which rows of the
 * dataset stay (fs->rowmap), for the learned sources that store values
 * per event, and drop the cached values (hs_featureset_forget). */
void hs_featureset_narrow(struct hs_featureset *fs, const unsigned char *mask);

/* Drop the cached values of every derived and learned feature: the table's values
 * changed in place (same columns, possibly fewer or other rows), and
 * hs_featureset_values computes them again when next asked. */
void hs_featureset_forget(struct hs_featureset *fs);

/* Compile src (a cut or a score) against every column of the table that
 * is not hepscope's own and every derived and learned feature, on or
 * off. */
int hs_featureset_compile(const struct hs_featureset *fs, const char *src, struct hs_expr **out,
                          struct hs_err *err);
/* Evaluate a program from hs_featureset_compile over every row into out
 * (t->nrows values), computing the derived features it reads. */
int hs_featureset_eval(struct hs_featureset *fs, const struct hs_expr *e, double *out,
                       struct hs_expr_stats *stats, const struct hs_task *task,
                       struct hs_err *err);

/* The columns of n inputs, as a model (or any reader of named inputs)
 * takes them: names[i] by name (any column or feature, as for cuts), or,
 * when exprs[i] is not NULL, that expression compiled on this table (the
 * set's own derived feature of that name and expression when it has one,
 * for its cached values).  Errors name the input and `owner` ("model
 * 'nn'"): HS_ENOTFOUND "OWNER needs input 'x', which the dataset does not
 * have".  cols is new (n pointers); release with hs_inputs_release. */
struct hs_inputs {
    size_t n;
    const double **cols;
    double **owned; /* arrays computed here (NULL entries for borrowed ones) */
};
int hs_featureset_inputs(struct hs_featureset *fs, const char *owner, size_t n,
                         const char *const *names, const char *const *exprs,
                         struct hs_inputs *in, const struct hs_task *task, struct hs_err *err);
void hs_inputs_release(struct hs_inputs *in);

#endif

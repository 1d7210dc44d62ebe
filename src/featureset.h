/* featureset.h: the feature set of a dataset (not "features.h", which
 * would shadow the C library's own header of that name).
 *
 * A feature is a raw column of the table (every numeric column whose role
 * is HS_ROLE_FEATURE) or a derived one: a name and an expression over the
 * table's columns and the derived features before it.  Each is on or off.
 * Derived values are computed when first asked for and cached in the set;
 * they are never stored in the table, so nothing is held twice.
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

struct hs_feature {
    char *name;
    char *expr;           /* NULL for a raw column */
    bool on;
    long col;             /* raw: index in the table; derived: -1 */
    double *values;       /* derived: cached values (nrows), NULL until computed */
    struct hs_expr *prog; /* derived: the compiled expression */
    struct hs_expr_stats stats; /* derived: NaN and domain counts of the last computation */
};

struct hs_featureset {
    const struct hs_table *t;
    struct hs_feature *f;
    size_t n, cap;
};

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

/* Turn a feature on or off; HS_ENOTFOUND with a suggestion when unknown. */
int hs_featureset_set_on(struct hs_featureset *fs, const char *name, bool on,
                         struct hs_err *err);

/* Remove a derived feature.  A raw column cannot be dropped (turn it off),
 * nor a feature that a later one uses (the message names it). */
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

/* Drop the cached values of every derived feature: the table's values
 * changed in place (same columns, possibly fewer or other rows), and
 * hs_featureset_values computes them again when next asked. */
void hs_featureset_forget(struct hs_featureset *fs);

/* Compile src (a cut or a score) against every column of the table that
 * is not hepscope's own and every derived feature, on or off. */
int hs_featureset_compile(const struct hs_featureset *fs, const char *src, struct hs_expr **out,
                          struct hs_err *err);
/* Evaluate a program from hs_featureset_compile over every row into out
 * (t->nrows values), computing the derived features it reads. */
int hs_featureset_eval(struct hs_featureset *fs, const struct hs_expr *e, double *out,
                       struct hs_expr_stats *stats, const struct hs_task *task,
                       struct hs_err *err);

#endif

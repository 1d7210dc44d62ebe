/* results.h (sessions/): what the analysis of a dataset leaves in the
 * session: its split and its cut sets (later, models and curves).
 *
 * Schema version 3 adds three tables, each row tied to a dataset and gone
 * with it (man/hepscope-session.5):
 *   splits   one per dataset: fractions, seed, counts, and the part of
 *            every event as a BLOB of one byte per event (0 train, 1 val,
 *            2 test), so the split survives any change of the code that
 *            made it.
 *   cutsets  name, kind ('set': one cut set; 'grid': the optimiser's boxes
 *            at a list of target efficiencies), the features optimised,
 *            and when it was made.
 *   cuts     the cuts of each set, point by point: a range (feature, lo,
 *            hi; NULL for an open end) or an expression, in order.
 */
#ifndef HS_SESS_RESULTS_H
#define HS_SESS_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

#include "cuts.h"
#include "err.h"
#include "sessions/session.h"
#include "split.h"

/* Store sp as dataset `name`'s split, replacing any (HS_ENOTFOUND when
 * there is no such dataset; HS_EUSAGE when sp->n is not its event count). */
int hs_sess_split_save(struct hs_sess *s, const char *name, const struct hs_split *sp,
                       struct hs_err *err);
/* Load it into sp (released by the caller).  HS_ENOTFOUND when the dataset
 * has no split (the message says so); HS_ESESSION when the stored one is
 * damaged (wrong length, a part code above 2). */
int hs_sess_split_load(struct hs_sess *s, const char *name, struct hs_split *sp,
                       struct hs_err *err);

enum hs_cutset_kind {
    HS_CUTSET_SET = 0,   /* one cut set */
    HS_CUTSET_GRID = 1,  /* the optimiser's boxes, one per target efficiency */
};

struct hs_cutset_rec {
    char *name;
    enum hs_cutset_kind kind;
    size_t npoints;           /* 1 for a set */
    struct hs_cutset *points; /* npoints cut sets */
    double *target;           /* npoints target efficiencies (NaN for a hand-made set) */
    char *created;            /* UTC, ISO 8601 */
};

/* Store rec (its name, kind, points and targets; `created` is set here)
 * for dataset `name`.  HS_EEXIST when a cut set of that name exists and
 * replace is false.  A cut set name follows the rules of feature names
 * (letters, digits, '_', not starting with a digit), else HS_EUSAGE. */
int hs_sess_cutset_save(struct hs_sess *s, const char *dataset, const struct hs_cutset_rec *rec,
                        bool replace, struct hs_err *err);
/* Load cut set `name` of the dataset; HS_ENOTFOUND with a did-you-mean. */
int hs_sess_cutset_load(struct hs_sess *s, const char *dataset, const char *name,
                        struct hs_cutset_rec *rec, struct hs_err *err);
/* Every cut set of the dataset, by name; *out is new (hs_cutset_recs_free). */
int hs_sess_cutsets(struct hs_sess *s, const char *dataset, struct hs_cutset_rec **out, size_t *n,
                    struct hs_err *err);
int hs_sess_cutset_drop(struct hs_sess *s, const char *dataset, const char *name,
                        struct hs_err *err);
void hs_cutset_rec_release(struct hs_cutset_rec *rec);
void hs_cutset_recs_free(struct hs_cutset_rec *recs, size_t n);

#endif

/* trials.h (sessions/): hyperparameter searches stored in the session.
 *
 * Schema version 9 (man/hepscope-session.5):
 *   searches  one row per search, by name (the name of the best model it
 *             kept, in `models`): the dataset, method, strategy, the
 *             space as typed, the fixed training options, the seed, the
 *             trial planned, whether it was cancelled or ran out of time.
 *   trials    one row per trial run: its number, the parameters drawn as
 *             options ("--layers 64,64 --lr 0.00123"), the validation AUC
 *             it was ranked by, the test AUC, seconds, the budget
 *             parameter's value, and status 'ok' or 'failed' (a failure's
 *             figures are NULL).  NaN is NULL.
 * Neither references `models`: dropping the best model keeps the trials.
 */
#ifndef HS_SESS_TRIALS_H
#define HS_SESS_TRIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "sessions/session.h"

struct hs_trial_rec {
    size_t number;       /* 1-based */
    char *params;        /* the drawn values as options */
    double val_auc, test_auc, seconds; /* NaN when unknown */
    size_t budget;       /* the budget parameter's value; 0 when the method has none */
    char *status;        /* "ok" or "failed" */
};

struct hs_search_rec {
    char *name;
    char *dataset;
    char *method;
    char *strategy;      /* "random", "tpe", "halving" */
    char *space;         /* as typed */
    char *options;       /* the fixed training options */
    char *created;       /* UTC, ISO 8601; set by the save */
    uint64_t seed;
    size_t planned;      /* --trials */
    char *stopped;       /* NULL, "cancelled" or "time budget" */
    size_t ntrials;
    struct hs_trial_rec *trials;
};

/* Store r and its trials (created is set here).  HS_EEXIST when a search
 * of that name is stored and replace is false; HS_EUSAGE for a record
 * that cannot be stored (no name, a status that is neither). */
int hs_sess_search_save(struct hs_sess *s, const struct hs_search_rec *r, bool replace,
                        struct hs_err *err);
/* Load search `name` with its trials by number; HS_ENOTFOUND with a
 * did-you-mean or the list. */
int hs_sess_search_load(struct hs_sess *s, const char *name, struct hs_search_rec *r,
                        struct hs_err *err);
/* 1 when a search of that name is stored, 0 when not, or an error. */
int hs_sess_search_exists(struct hs_sess *s, const char *name, struct hs_err *err);
/* Every search by name, its trials not read (ntrials counts them,
 * trials is NULL); *out is new
 * (hs_search_recs_free). */
int hs_sess_searches(struct hs_sess *s, struct hs_search_rec **out, size_t *n,
                     struct hs_err *err);
void hs_search_rec_release(struct hs_search_rec *r);
void hs_search_recs_free(struct hs_search_rec *r, size_t n);

#endif

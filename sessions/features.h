/* features.h (sessions/): the stored feature list of a dataset.
 *
 * The session keeps, per dataset, the features the user changed or
 * derived: one row per feature in the `features` table (name, expression
 * or NULL for a raw column, on/off, position).  Raw columns without a row
 * are on.  Derived values are never stored: they are computed from the
 * expression when needed (src/featureset.h).
 */
#ifndef HS_SESS_FEATURES_H
#define HS_SESS_FEATURES_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "featureset.h"
#include "sessions/session.h"
#include "table.h"

/* Build the feature set of dataset `name` (whose events are t, loaded by
 * the caller) from its stored list: raw features with their toggles, then
 * the derived ones in order, then a learned one per stored model that
 * the dataset can score (sessions/learned.h).  A stored expression that no longer compiles
 * is HS_ESESSION naming the feature.  fs is initialised; release it with
 * hs_featureset_release. */
int hs_sess_featureset_load(struct hs_sess *s, const char *name, const struct hs_table *t,
                            struct hs_featureset *fs, struct hs_err *err);

/* One stored feature: a derived one (expr set) or a raw column's toggle. */
struct hs_feature_rec {
    char *name;
    char *expr; /* NULL for a raw column */
    bool on;
};

/* Dataset `name`'s stored feature list, in order; *out is new (free with
 * hs_feature_recs_free).  HS_ENOTFOUND when there is no such dataset. */
int hs_sess_feature_recs(struct hs_sess *s, const char *name, struct hs_feature_rec **out,
                         size_t *n, struct hs_err *err);
void hs_feature_recs_free(struct hs_feature_rec *recs, size_t n);

/* Apply stored records to a feature set: raw toggles, then derived
 * features in order.  strict: the first derived feature that does not
 * compile fails (HS_ESESSION: the session holds it, so the session is
 * what is wrong); lenient: it is skipped, and its name is added to
 * *skipped (a new "a, b" string the caller frees; may stay NULL). */
int hs_featureset_apply_recs(struct hs_featureset *fs, const struct hs_feature_rec *recs,
                             size_t n, bool strict, char **skipped, struct hs_err *err);

/* Store fs as dataset `name`'s feature list, replacing the old one, in one
 * savepoint (inside the caller's transaction when one is open).  Learned
 * features are not stored: they come from the models. */
int hs_sess_featureset_save(struct hs_sess *s, const char *name, const struct hs_featureset *fs,
                            struct hs_err *err);

#endif

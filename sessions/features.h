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

#include "err.h"
#include "featureset.h"
#include "sessions/session.h"
#include "table.h"

/* Build the feature set of dataset `name` (whose events are t, loaded by
 * the caller) from its stored list: raw features with their toggles, then
 * the derived ones in order.  A stored expression that no longer compiles
 * is HS_ESESSION naming the feature.  fs is initialised; release it with
 * hs_featureset_release. */
int hs_sess_featureset_load(struct hs_sess *s, const char *name, const struct hs_table *t,
                            struct hs_featureset *fs, struct hs_err *err);

/* Store fs as dataset `name`'s feature list, replacing the old one, in one
 * savepoint (inside the caller's transaction when one is open). */
int hs_sess_featureset_save(struct hs_sess *s, const char *name, const struct hs_featureset *fs,
                            struct hs_err *err);

#endif

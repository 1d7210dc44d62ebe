/* units.h (sessions/): what a figure says of a feature, its unit and its
 * axis label.
 *
 * The session keeps, per dataset (by its id: a renamed dataset keeps
 * them, a dropped one takes them along), one row of the feature_units
 * table per feature, raw or derived, that has a unit ("GeV") or an axis
 * label ("m(mu mu)"), man/hepscope-session.5.  Each change runs in a
 * savepoint inside the caller's transaction when one is open
 * (hs_sess_begin), like every other change of the session.
 */
#ifndef HS_SESS_UNITS_H
#define HS_SESS_UNITS_H

#include <stddef.h>

#include "err.h"
#include "sessions/session.h"

/* One feature's unit and axis label; either may be NULL (none). */
struct hs_feature_unit {
    char *name;
    char *unit;
    char *axis_label;
};

/* Set feature `name`'s unit and axis label in dataset `dataset`,
 * replacing what it had; NULL (or "") for none.  With both none the row
 * goes.  HS_ENOTFOUND when there is no such dataset; HS_EUSAGE for a text
 * with control characters or over HS_UNIT_MAX bytes.  The feature's
 * existence is the caller's to check: the session keeps units by name. */
int hs_sess_unit_set(struct hs_sess *s, const char *dataset, const char *name, const char *unit,
                     const char *axis_label, struct hs_err *err);

/* Remove feature `name`'s row (nothing to remove is no error). */
int hs_sess_unit_clear(struct hs_sess *s, const char *dataset, const char *name,
                       struct hs_err *err);

/* Feature `name`'s unit and label into *out (new strings; release with
 * hs_feature_unit_release); both NULL when it has none. */
int hs_sess_unit_get(struct hs_sess *s, const char *dataset, const char *name,
                     struct hs_feature_unit *out, struct hs_err *err);

/* Every row of dataset `dataset`, by name; *out is new (free with
 * hs_feature_units_free), NULL when there are none. */
int hs_sess_units_list(struct hs_sess *s, const char *dataset, struct hs_feature_unit **out,
                       size_t *n, struct hs_err *err);

void hs_feature_unit_release(struct hs_feature_unit *u);
void hs_feature_units_free(struct hs_feature_unit *u, size_t n);

/* The row of feature `name` in u[0..n), or NULL. */
const struct hs_feature_unit *hs_feature_units_find(const struct hs_feature_unit *u, size_t n,
                                                    const char *name);

/* The longest unit or axis label, in bytes. */
#define HS_UNIT_MAX 200

#endif

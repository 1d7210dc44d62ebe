/* axislabel.h: what a figure's axes say of a feature, in one place.
 *
 * A feature's axis reads "LABEL [UNIT]" ("m_mumu [GeV]"), its label the
 * stored axis label or else its name; a histogram's y axis reads
 * "Events / 0.05 GeV": the bin width, to three significant digits, and the
 * feature's unit ("Events / 0.05" without one), or "Fraction of events /
 * 0.05 GeV" when each class is normalised to unit sum.  Every figure of a
 * feature (plot, the TUI's histogram, the training figures) takes its
 * labels from here.
 */
#ifndef HS_UI_AXISLABEL_H
#define HS_UI_AXISLABEL_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "sessions/session.h"
#include "sessions/units.h"

#define HS_AXISLABEL_MAX (2 * HS_UNIT_MAX + 64)

/* A feature's labels, looked up once. */
struct hs_featlabel {
    char axis[HS_AXISLABEL_MAX]; /* "m_mumu [GeV]" */
    char unit[HS_UNIT_MAX + 1];  /* "GeV", or "" */
};

/* The labels of feature `name` from unit row u (NULL: none). */
void hs_featlabel_make(const char *name, const struct hs_feature_unit *u, struct hs_featlabel *out);

/* A feature's label without its unit, for a place that names features
 * rather than an axis (a correlation matrix's rows): the stored axis
 * label, else the name.  Borrowed from u or name. */
const char *hs_featlabel_text(const char *name, const struct hs_feature_unit *u);

/* The same, looked up in dataset `dataset` of session s (s may be NULL:
 * the name alone).  A dataset the session does not know gives the name. */
int hs_featlabel_get(struct hs_sess *s, const char *dataset, const char *name,
                     struct hs_featlabel *out, struct hs_err *err);

/* A bin width as text: three significant digits, trailing zeros dropped
 * ("0.05", "2.5", "1235"); exponent form past 1e6 or under 1e-4. */
void hs_axislabel_width(double width, char *buf, size_t size);

/* What a histogram's bins hold. */
enum hs_ylabel_kind {
    HS_YLABEL_EVENTS,   /* events (or their weights): "Events / 0.05 GeV" */
    HS_YLABEL_FRACTION, /* the fraction of the events: "Fraction of events / 0.05 GeV" */
    HS_YLABEL_DENSITY,  /* the fraction per unit of x: "Probability density [1/GeV]" */
};

/* The y label of a histogram of bins `width` wide (NaN: unequal bins,
 * "Events / bin") of a feature of unit `unit` ("" or NULL: none). */
void hs_axislabel_events(double width, const char *unit, enum hs_ylabel_kind kind, char *buf,
                         size_t size);

#endif

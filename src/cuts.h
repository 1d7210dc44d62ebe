/* cuts.h: cut sets and their cut flow.
 *
 * A cut set is an ordered list of cuts, each either a range on one column
 * or derived feature, lo <= x < hi with either end open (-inf, +inf), or a
 * boolean expression ("m_mumu < 4 && doca < 0.05", see expr.h) that keeps
 * the events where it is true (non-zero and not NaN).  An event with a
 * missing value fails every range cut on that column; an expression
 * decides for itself (comparisons with NaN are false).
 *
 * Ranges and expressions may name any column of the table that is not
 * hepscope's own and any derived feature, on or off: a cut is about the
 * data, not about what the classifiers use.
 *
 * The cut flow counts, after each cut in order, the signal and background
 * events that survive, weighted where the table has weights, over a row
 * mask (a split's part, see split.h).  Step 0 is before any cut.
 */
#ifndef HS_CUTS_H
#define HS_CUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "featureset.h"
#include "task.h"

enum hs_cut_kind {
    HS_CUT_RANGE = 0,
    HS_CUT_EXPR = 1,
};

struct hs_cut {
    enum hs_cut_kind kind;
    char *feature;   /* range: the column or feature */
    double lo, hi;   /* range: keeps lo <= x < hi; -HUGE_VAL / HUGE_VAL when open */
    char *expr;      /* expression cut: its text */
};

struct hs_cutset {
    struct hs_cut *cuts;
    size_t n, cap;
};

/* Append a range cut; lo < hi and neither NaN, else HS_EUSAGE. */
int hs_cutset_add_range(struct hs_cutset *cs, const char *feature, double lo, double hi,
                        struct hs_err *err);
/* Append an expression cut (its text is checked when the set is bound). */
int hs_cutset_add_expr(struct hs_cutset *cs, const char *expr, struct hs_err *err);
/* Parse "F:lo:hi" (the CLI's --range): F is a name (possibly holding
 * ':'; the last two ':' separate the bounds), lo and hi numbers or empty
 * for an open end ("pt:2:" is pt >= 2, "m::4" is m < 4; "inf", "-inf"
 * allowed), and append it.  HS_EUSAGE with the 1-based character of the
 * fault in err->col, e.g. "range 'pt:x:3': lower bound 'x' is not a
 * number".  Numbers are parsed exactly, in any locale. */
int hs_cutset_add_range_spec(struct hs_cutset *cs, const char *spec, struct hs_err *err);
void hs_cutset_release(struct hs_cutset *cs);
/* A deep copy into dst (initialised here).  HS_ENOMEM. */
int hs_cutset_copy(struct hs_cutset *dst, const struct hs_cutset *src, struct hs_err *err);

/* One cut as a person reads it: "m_mumu < 4", "0.5 <= pt_frac < 1",
 * "doca >= 0.01", "(m_mumu < 4 && doca < 0.05)".  Numbers in the shortest
 * form that reads back exactly.  New string (hs_free), NULL when out of
 * memory. */
char *hs_cut_describe(const struct hs_cut *c);

/* A cut set written for another tool: one condition for all of it, the
 * cuts joined by AND.  Numbers round-trip exactly; names that are not
 * identifiers are quoted as the target language wants.  An expression
 * cut is translated (functions of expr.h that the target lacks, such as
 * mass(), are HS_EUSAGE naming the function).
 *   HS_CUTS_SQL   a WHERE clause for hepscope sql over events('D'):
 *                 "m_mumu" >= 0.5 AND "m_mumu" < 4 (a missing value is
 *                 NULL there, and NULL comparisons fail, as here)
 *   HS_CUTS_C     a C expression over doubles named as the features,
 *                 (m_mumu >= 0.5 && m_mumu < 4); NaN fails it
 *   HS_CUTS_ROOT  a ROOT TCut string, m_mumu>=0.5&&m_mumu<4
 * New string (hs_free). */
enum hs_cuts_lang {
    HS_CUTS_SQL,
    HS_CUTS_C,
    HS_CUTS_ROOT,
};
int hs_cutset_export(const struct hs_cutset *cs, enum hs_cuts_lang lang, char **out,
                     struct hs_err *err);
/* "sql", "c", "root" -> the language, or -1. */
int hs_cuts_lang_parse(const char *s);

/* The cut flow over the rows where mask is non-zero (NULL: every row).
 * Step k (0 <= k <= cs->n) is after the first k cuts. */
struct hs_flow_step {
    size_t nsig, nbkg;     /* events (unweighted) */
    double sig, bkg;       /* weighted sums (= counts when unweighted) */
    double sig_eff, bkg_eff; /* cumulative: sig / step 0's sig; NaN when that is 0 */
    double rejection;      /* 1 - bkg_eff */
    double s_over_b, s_sqrt_b, s_sqrt_sb; /* of the weighted sums; inf or NaN as the
                                             arithmetic gives (0 background: inf) */
};

struct hs_flow {
    size_t nsteps;         /* cs->n + 1 */
    struct hs_flow_step *step;
    size_t nmissing;       /* rows of the mask failing some range cut only because
                              the value was missing (reported, not an error) */
};

/* A cut set bound to a feature set: range columns found and expressions
 * compiled once, so that re-evaluating after a change of bounds is one
 * pass over the events (a changed cut set on 1,000,000 events within a
 * 16 ms frame).  Borrows fs, which must outlive it and not change. */
struct hs_cuts_bound;

/* Bind cs (copied) to fs.  A name that is neither a column nor a feature is
 * HS_ENOTFOUND with a did-you-mean; an expression that does not compile
 * keeps the expression's error (position in err->col) prefixed "cut N: ";
 * a text column in a range cut is HS_EUSAGE.  Derived values are computed
 * here (task: progress and cancel). */
int hs_cuts_bind(struct hs_featureset *fs, const struct hs_cutset *cs, struct hs_cuts_bound **out,
                 const struct hs_task *task, struct hs_err *err);
void hs_cuts_bound_free(struct hs_cuts_bound *b);
/* Change cut k's bounds (a range cut) without re-binding. */
int hs_cuts_bound_set_range(struct hs_cuts_bound *b, size_t k, double lo, double hi,
                            struct hs_err *err);
/* The bound set's current cuts (borrowed). */
const struct hs_cutset *hs_cuts_bound_set(const struct hs_cuts_bound *b);

/* The cut flow of a bound set over mask (NULL: all rows), with labels and
 * weights from the feature set's table (HS_EUSAGE when it is unlabelled).
 * flow is filled (release with hs_flow_release). */
int hs_cuts_flow(const struct hs_cuts_bound *b, const unsigned char *mask, struct hs_flow *flow,
                 const struct hs_task *task, struct hs_err *err);
void hs_flow_release(struct hs_flow *flow);

/* Write 1 to pass[i] for the rows that pass every cut, else 0 (all rows,
 * no mask).  For scores, exports and the TUI's histograms. */
int hs_cuts_pass(const struct hs_cuts_bound *b, unsigned char *pass, const struct hs_task *task,
                 struct hs_err *err);

#endif

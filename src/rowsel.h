/* rowsel.h: a selection of events, as every command that reads events
 * takes it (--where EXPR, --cut CUTSET): the rows where an expression is
 * true and a cut set passes, as a mask over a feature set's table.
 *
 * A mask is one byte per row of the table, non-zero for a selected row,
 * the form split.h's parts and the cut flow take, so a selection and a
 * part combine with hs_rowsel_and.  For the computations that take no
 * mask (statistics, histograms, export), hs_rowsel_keep narrows a table
 * that its caller owns to the selected rows in place: no copy is made.
 */
#ifndef HS_ROWSEL_H
#define HS_ROWSEL_H

#include <stddef.h>

#include "cuts.h"
#include "err.h"
#include "featureset.h"
#include "table.h"
#include "task.h"

/* Fill mask[0..t->nrows) for fs's table t: 1 where `where` is true (non
 * zero and not NaN; NULL: no condition) and every cut of cuts passes
 * (NULL: no cut set), else 0.  *nsel is the number of 1s.  `where` may
 * name every column that is not hepscope's own and every derived
 * feature, on or off (hs_featureset_compile): its errors are the
 * expression's (err->col the 1-based character), not prefixed, so the
 * caller says where the text came from.  Cut set errors are those of
 * hs_cuts_bind.  Derived values are computed as needed (task: progress and
 * cancel).  On error the mask's contents are unspecified. */
int hs_rowsel_mask(struct hs_featureset *fs, const char *where, const struct hs_cutset *cuts,
                   unsigned char *mask, size_t *nsel, const struct hs_task *task,
                   struct hs_err *err);

/* dst[i] = dst[i] && src[i] for i < n (as 0 or 1); returns the number of
 * rows left in dst. */
size_t hs_rowsel_and(unsigned char *dst, const unsigned char *src, size_t n);

/* The number of non-zero bytes of mask[0..n). */
size_t hs_rowsel_count(const unsigned char *mask, size_t n);

/* Copy v[i] for the rows i < n where mask[i] is non-zero, in their order,
 * to out (room for hs_rowsel_count(mask, n) values); returns how many.
 * For the computations that take no mask, when the table may not be
 * narrowed in place (the TUI shows every event in its data view). */
size_t hs_rowsel_gather(const double *v, const unsigned char *mask, size_t n, double *out);

/* Keep only the rows of t where mask (t->nrows bytes) is non-zero, in
 * their order: every column read is compacted in place (a lazy table's
 * pending ones when read: hs_table_keep) and t->nrows becomes
 * their count.  fs, when not NULL, must be a feature set over t: its
 * cached derived values are dropped and computed again over the kept
 * rows when next asked for.  Allocates nothing, cannot fail. */
void hs_rowsel_keep(struct hs_table *t, struct hs_featureset *fs, const unsigned char *mask);

#endif

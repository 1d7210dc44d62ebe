/* where.h: the TUI's active selection, `:where EXPR` and `:where --cut
 * CUTSET` (ui/cmd-tui.c), over the events of the shown dataset.
 *
 * The mask is the CLI's --where/--cut (ui/select.h), computed once when
 * the command runs; the labels and weights of the selected events are
 * gathered with it.  The views that honour the selection (a class with
 * `selection` set: features, hist) gather a column's selected values
 * when they compute (hs_where_values), keep what they computed, and
 * forget it when the selection changes (HS_CHANGE_SELECTION reaches
 * their prepare).  The data view shows the selected rows (its order
 * vector); the statistics, cuts, ROC and training views show every
 * event.  The selection is the TUI's view state, not the
 * session's: it is not journaled (as a view switch or a sort is not)
 * and another dataset, or new events of this one, clear it.
 */
#ifndef HS_UI_WHERE_H
#define HS_UI_WHERE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "table.h"
#include "ui/select.h"

struct hs_where {
    struct hs_select sel;   /* sel.active: a selection is in force */
    char *expr, *cut;       /* what sel borrows (owned; NULL when not given) */
    double *label, *weight; /* the selected events' labels and weights (sel.nsel
                               each), NULL when the table has none */
    /* `where --versus`: the histogram view draws every event, the
     * selected against the rest, as two classes (a box on a projection,
     * ui/view-proj.h); inside holds them as 1 and 0 (sel.nrows values). */
    bool versus;
    double *inside;
};

/* Is a selection in force?  w may be NULL (then not). */
bool hs_where_active(const struct hs_where *w);
/* Drop the selection: every event again. */
void hs_where_release(struct hs_where *w);
/* Put sel (made by hs_select_make over t, borrowing expr and cut) in
 * force in place of the old one, taking sel, expr and cut (also on
 * failure, when they are freed and the old selection stays).  *changed
 * says whether the selected events differ from before.  HS_ENOMEM. */
int hs_where_take(struct hs_where *w, struct hs_select *sel, char *expr, char *cut,
                  const struct hs_table *t, bool *changed, struct hs_err *err);

/* Set or unset the selection in force as drawn against the rest.
 * HS_ENOMEM (then unset). */
int hs_where_set_versus(struct hs_where *w, bool versus, struct hs_err *err);
/* Is the selection in force to be drawn against the rest? */
bool hs_where_versus(const struct hs_where *w);

/* What the computations of a view see: the selected events, else all of
 * t's.  w may be NULL. */
size_t hs_where_nrows(const struct hs_where *w, const struct hs_table *t);
const double *hs_where_label(const struct hs_where *w, const struct hs_table *t);
const double *hs_where_weight(const struct hs_where *w, const struct hs_table *t);
/* A column v of t over those events: v itself when no selection is in
 * force (*scratch NULL), else a gathered copy in *scratch (new: free()).
 * HS_ENOMEM. */
int hs_where_values(const struct hs_where *w, const double *v, const double **out,
                    double **scratch, struct hs_err *err);

/* n with a comma between groups of three digits: "1,000,000". */
void hs_where_count(size_t n, char *buf, size_t size);
/* "where TEXT: NSEL of NROWS" in at most width columns: TEXT is cut
 * with "…" when the whole does not fit, then left out ("where: N of M"),
 * then the counts alone; "" when width is below even those. */
void hs_where_describe(const char *text, size_t nsel, size_t nrows, int width, char *buf,
                       size_t size);

#endif

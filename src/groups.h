/* groups.h: signal groups (the demo's HNL masses, or the process of a
 * sample): which there are, and how well a score finds each against all
 * background. */
#ifndef HS_GROUPS_H
#define HS_GROUPS_H

#include <stddef.h>

#include "err.h"
#include "table.h"
#include "task.h"

struct hs_group_set {
    size_t n;
    double *code;      /* group values, ascending (numbers) or by code (text) */
    char **name;       /* "2.5", or the text */
    size_t *nsig;      /* signal events of the group on the rows asked */
};
/* The groups of the signal events on mask's rows (NULL: all).  HS_EUSAGE
 * when the table has no group column or no label. */
int hs_group_set_make(const struct hs_table *t, const unsigned char *mask,
                      struct hs_group_set *g, struct hs_err *err);
void hs_group_set_release(struct hs_group_set *g);
/* The code of group `name` (a number compares as a number), or
 * HS_ENOTFOUND listing the groups. */
int hs_group_find(const struct hs_table *t, const char *name, double *code, struct hs_err *err);
/* Per group g: the AUC and bkg eff at 95% of that group's signal against
 * all background, on the rows of mask (auc, bkg95: g->n values each). */
int hs_group_perf(const struct hs_table *t, const double *score, const unsigned char *mask,
                  const struct hs_group_set *g, double *auc, double *bkg95,
                  const struct hs_task *task, struct hs_err *err);

#endif

/* treeshap.h: exact Shapley values of a tree ensemble's raw score
 * (TreeSHAP, Lundberg et al. 2020, "From local explanations to global
 * understanding with explainable AI for trees", Algorithm 2).
 *
 * The value of a set S of inputs for one event is the expected raw score
 * when the inputs of S are the event's and the others unknown: at a node
 * testing an input of S the event takes its own branch, at any other node
 * both branches count, weighted by the share of the node's cover each
 * child holds (the training events' hessian sums, forest.h).  phi[i] is
 * input i's Shapley value of that game, so that
 *
 *     base + sum_i phi[i] == raw score       (local accuracy)
 *
 * where base is the forest's base score plus each tree's cover-weighted
 * mean leaf value: the column XGBoost's pred_contribs calls the bias.
 * A missing input (NaN) of S follows missing_left like the scoring walk.
 * The path algorithm costs O(leaves * depth^2) per tree and event.
 */
#ifndef HS_TREESHAP_H
#define HS_TREESHAP_H

#include <stddef.h>

#include "err.h"
#include "forest.h"
#include "task.h"

/* The expected raw score over the training events (cover-weighted): the
 * base value every event's attributions start from. */
double hs_treeshap_base(const struct hs_forest *f);

/* Attributions of n events into phi (n rows of f->nin values, row-major):
 * event k is row rows[k] of the columns x[i] (f->nin of them), or row k
 * when rows is NULL.  Parallel over events when threads != 1 (0: the
 * machine's choice); the values do not depend on the threads.  Progress
 * on task; HS_ECANCELLED when cancelled (phi partly written), HS_ENOMEM. */
int hs_treeshap(const struct hs_forest *f, const double *const *x, const size_t *rows, size_t n,
                double *phi, int threads, const struct hs_task *task, struct hs_err *err);

#endif

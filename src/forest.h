/* forest.h: an ensemble of binary decision trees whose leaf values add up
 * to a raw score (log-odds for a binary classifier).
 *
 * This is the one representation of trees in hepscope: the boosted trees
 * learn it (src/bdt*.c), their model kind stores and exports it, TreeSHAP
 * and the gain importance read it (src/treeshap.c, src/importance.c), and
 * benchmarks load other libraries' trees into it to compare with them.
 * It follows the convention of XGBoost's node tables, so that a model
 * dumped by XGBoost maps onto it node for node: an event goes left when
 * x[feature] < threshold, and an event whose x[feature] is missing (NaN)
 * goes to the side missing_left names.
 *
 * Within a tree, node 0 is the root and every child has a larger index
 * than its parent (hs_forest_check enforces it), so that a walk always
 * ends and a pass from the last node to the first sees children first.
 */
#ifndef HS_FOREST_H
#define HS_FOREST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "task.h"

struct hs_model;

struct hs_forest_node {
    int32_t feature;      /* the input tested, 0 .. nin-1; -1 for a leaf */
    uint32_t left, right; /* children, indexes within the tree (0 for a leaf) */
    bool missing_left;    /* a NaN input goes left */
    double threshold;     /* x < threshold goes left */
    double value;         /* a leaf's term of the raw score (learning rate applied);
                             0 for an inner node */
    double cover;         /* the summed hessian (for the log-loss p(1-p), weighted) of
                             the training events that reached the node: TreeSHAP's
                             weights; > 0 for every node an event can reach */
    double gain;          /* an inner node: the split's reduction of the loss; 0 for
                             a leaf */
};

struct hs_forest {
    size_t nin;           /* inputs, in the model's order */
    double base;          /* the raw score before any tree */
    size_t ntrees;
    size_t *start;        /* ntrees + 1: tree t is nodes[start[t] .. start[t+1]) */
    struct hs_forest_node *nodes;
    size_t cap_trees, cap_nodes; /* allocated */
    size_t rounds;        /* boosting rounds run, of which early stopping kept the first
                             ntrees; 0 when not known */
};

/* An empty forest of nin inputs with raw score `base`; new
 * (hs_forest_free), NULL when out of memory. */
struct hs_forest *hs_forest_new(size_t nin, double base);
void hs_forest_free(struct hs_forest *f);

/* Append a tree of n >= 1 nodes (copied).  HS_ENOMEM, or HS_EDATA when
 * the tree breaks the rules above (hs_forest_check's message); f is
 * unchanged then. */
int hs_forest_add_tree(struct hs_forest *f, const struct hs_forest_node *nodes, size_t n,
                       struct hs_err *err);
/* Keep the first ntrees trees only (early stopping's best round). */
void hs_forest_truncate(struct hs_forest *f, size_t ntrees);

/* Is the forest sound: each tree's children inside the tree and after
 * their parent, every node reachable once, features below nin, finite
 * thresholds (or +-inf), values, covers and gains?  HS_EDATA naming the
 * tree, the node and what is wrong; for a forest read back from bytes. */
int hs_forest_check(const struct hs_forest *f, struct hs_err *err);

/* The index within tree t of the leaf that row x (nin values) reaches. */
size_t hs_forest_leaf(const struct hs_forest *f, size_t t, const double *x);
/* The raw score of one event: base plus one leaf value per tree. */
double hs_forest_raw_row(const struct hs_forest *f, const double *x);
/* Raw scores of n events from f->nin columns (x[i][e]) into out (n);
 * parallel over events when threads != 1 (0: the machine's choice).
 * Checks the cancel flag between blocks: HS_ECANCELLED then, out partly
 * written. */
int hs_forest_raw(const struct hs_forest *f, const double *const *x, size_t n, double *out,
                  int threads, const struct hs_task *task, struct hs_err *err);

/* The forest a stored model scores with (a model of the boosted trees'
 * kind, "bdt"), or NULL for any other model. */
const struct hs_forest *hs_forest_of_model(const struct hs_model *m);

#endif

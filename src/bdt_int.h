/* bdt_int.h: the pieces of the boosted trees' fit shared by src/bdt.c
 * (the method and the boosting rounds), src/bdt_bin.c (binning) and
 * src/bdt_grow.c (growing one tree from gradient histograms).
 *
 * Inputs are binned once: feature j has nb[j] value bins (at most the
 * --bins option) cut by nb[j] - 1 increasing thresholds, the bin of x
 * being the number of thresholds <= x, so that "bin <= b" is exactly
 * "x < cut[j][b]" and a split's threshold in the forest sends every
 * training event the way the bins did.  A missing value (NaN) has the bin
 * BDT_MISS(B) = B, past every value bin, whatever the feature; so one
 * histogram stride S = B + 1 serves every feature and a bin fits a byte.
 *
 * Every parallel job splits its rows into parts of a fixed size (never
 * derived from the thread count) and adds the parts' sums in part order,
 * so the trees depend on the data and the options alone.
 */
#ifndef HS_BDT_INT_H
#define HS_BDT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "forest.h"
#include "task.h"

#define BDT_MAX_BINS 255
/* Rows per part of the row-parallel jobs. */
#define BDT_CHUNK 16384

/* The bins of every input. */
struct bdt_bins {
    size_t nf;        /* inputs */
    unsigned B;       /* the missing bin, and the most value bins */
    unsigned *nb;     /* nf: value bins of each input (0 when it has no value) */
    double **cut;     /* nf arrays of nb[j] - 1 thresholds, increasing */
};

/* Cut the inputs' bins from the training rows rows[0..n) (indexes into
 * the columns x) with weights w[0..n) (their absolute values weigh the
 * quantiles; all counted alike when they sum to 0), and write each
 * training row's bins column by column into colbins and row-major into
 * bins (n * nf bytes each): histograms read a row's bins together, a
 * partition one input's.  Parallel over inputs.  HS_ENOMEM,
 * HS_ECANCELLED. */
int bdt_bins_fit(struct bdt_bins *b, const double *const *x, size_t nf, const size_t *rows,
                 const double *w, size_t n, unsigned B, uint8_t *colbins, uint8_t *bins,
                 int threads,
                 const struct hs_task *task, struct hs_err *err);
/* The bins of rows[0..n) row-major into out (n * nf bytes), by the cuts. */
int bdt_bins_apply(const struct bdt_bins *b, const double *const *x, const size_t *rows,
                   size_t n, uint8_t *out, int threads, const struct hs_task *task,
                   struct hs_err *err);
void bdt_bins_release(struct bdt_bins *b);

/* One bin of a gradient histogram. */
struct bdt_hbin {
    double g, h;
    int64_t c;
};

/* The tree grower's settings. */
struct bdt_grow_opts {
    unsigned depth;       /* most depth (0: none) */
    size_t leaves;        /* most leaves: 0 grows depth-wise */
    size_t min_leaf;      /* events per leaf at least */
    double min_hess;      /* summed hessian per leaf at least */
    double l2;            /* lambda */
    double lr;
};

/* A tree being grown: its nodes in the forest's form, and per node the
 * split bin for the binned walks. */
struct bdt_tree {
    struct hs_forest_node *nodes;
    unsigned *bin;        /* an inner node: bins <= bin go left */
    size_t n, cap;
};

struct bdt_grower;

/* A grower for n training rows of nf inputs binned into bins (row-major)
 * and colbins (column by column), histogram stride B + 1.  NULL when out
 * of memory. */
struct bdt_grower *bdt_grower_new(const uint8_t *bins, const uint8_t *colbins, size_t n,
                                  size_t nf, unsigned B,
                                  const unsigned *nb, int threads);
void bdt_grower_free(struct bdt_grower *g);

/* Grow one tree on rows[0..nrows) (ascending indexes into the training
 * rows; reordered here, each leaf's rows left contiguous) with gradients
 * and hessians gh (2 per training row), testing the inputs feats[0..nfeat)
 * (ascending).  Thresholds come from the cuts.  Each leaf's value is
 * -G / (H + l2) * lr; leaf_lo / leaf_hi (per node, set for leaves) give
 * the range of rows of each leaf.  HS_ENOMEM, HS_ECANCELLED. */
int bdt_grow(struct bdt_grower *g, const struct bdt_grow_opts *o, const struct bdt_bins *cuts,
             const float *gh, size_t *rows, size_t nrows, const size_t *feats, size_t nfeat,
             struct bdt_tree *t, size_t **leaf_lo, size_t **leaf_hi,
             const struct hs_task *task, struct hs_err *err);
void bdt_tree_release(struct bdt_tree *t);

/* The leaf of tree t that a binned row (nf bytes) reaches. */
static inline size_t
bdt_tree_leaf(const struct bdt_tree *t, const uint8_t *row, unsigned B)
{
    size_t i = 0;
    while (t->nodes[i].feature >= 0) {
        const struct hs_forest_node *d = &t->nodes[i];
        unsigned b = row[d->feature];
        bool left = b == B ? d->missing_left : b <= t->bin[i];
        i = left ? d->left : d->right;
    }
    return i;
}

/* The split gain G^2 / (H + l2) of one side (0 when H + l2 <= 0). */
static inline double
bdt_score(double G, double H, double l2)
{
    return H + l2 > 0 ? G * G / (H + l2) : 0;
}

#endif

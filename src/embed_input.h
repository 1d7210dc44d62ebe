/* embed_input.h: the rows a projection or clustering fits, standardised.
 *
 * PCA, t-SNE, UMAP, Gaussian mixtures and k-means all fit the features
 * standardised with the mean and sd (divisor n) of the events they fit,
 * and work on rows (one event's features together), so they share this
 * one gathering step.  A fitted row is one whose part is 0 (every row
 * when part is NULL) and whose inputs are all finite.
 */
#ifndef HS_EMBED_INPUT_H
#define HS_EMBED_INPUT_H

#include <stddef.h>

#include "err.h"
#include "method.h"

struct hs_embed_input {
    size_t n;       /* fitted rows */
    size_t dim;     /* features (d->nin) */
    double *x;      /* n x dim, row-major, standardised (NULL from _init_columns) */
    double *xt;     /* dim x n, column-major (feature j at xt + j n), from _init_columns */
    size_t *row;    /* n: each fitted row's index in the data */
    double *mean;   /* dim: of the fitted rows */
    double *sd;     /* dim: divisor n; 1 for a constant feature */
};

/* Gather and standardise d's fitted rows, on d->threads logical threads
 * (the same values on any number).  HS_EDATA when fewer than min_rows
 * rows qualify (naming how many did), HS_ENOMEM. */
int hs_embed_input_init(struct hs_embed_input *in, const struct hs_method_data *d,
                        size_t min_rows, struct hs_err *err);
/* The same, column-major: in->xt instead of in->x, for the methods whose
 * loops run over rows a feature at a time (k-means, mixtures). */
int hs_embed_input_init_columns(struct hs_embed_input *in, const struct hs_method_data *d,
                                size_t min_rows, struct hs_err *err);
void hs_embed_input_release(struct hs_embed_input *in);

/* Row i of the data (any row, fitted or not) standardised with in's mean
 * and sd into out (dim values); false when one of its inputs is missing. */
bool hs_embed_input_row(const struct hs_embed_input *in, const struct hs_method_data *d, size_t i,
                        double *out);

#endif

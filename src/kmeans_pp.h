/* kmeans_pp.h: greedy k-means++ seeding a pass at a time, so that the
 * seedings of several starts can share their passes over the rows (each
 * block of rows read once for all of them): internal to kmeans.c, whose
 * hs_kmeans_plusplus (kmeans.h) runs one seeding's passes in turn.
 *
 *     struct hs_kpp *p = hs_kpp_new(...);
 *     while (hs_kpp_next(p))
 *         a pass over the rows calling hs_kpp_block(p, part, lo, hi),
 *         then hs_kpp_after(p);
 *     hs_kpp_free(p);
 *
 * A seeding is k passes: one for the first centre, then one per further
 * centre, which tries the candidates drawn for it and, in the same pass,
 * takes the centre chosen in the pass before into each row's distance
 * to its nearest centre.
 */
#ifndef HS_KMEANS_PP_H
#define HS_KMEANS_PP_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "rng.h"

struct hs_kpp;

/* A seeding of k centres (k x dim, row-major, into centres) among the n
 * rows of xt (column-major: feature j at xt + j n), their distances
 * taken from xf (xt in float, the same layout) if not NULL, drawing from rng
 * (borrowed, like xt and centres); idx (k, may be NULL) gets the rows
 * chosen; near (n floats, the caller's scratch, or NULL to allocate
 * one) holds the squared distances to the nearest centre so far.  NULL
 * when out of memory (err set). */
struct hs_kpp *hs_kpp_new(const double *xt, const float *xf, size_t n, size_t dim, size_t k,
                          struct hs_rng *rng, double *centres, size_t *idx, float *near,
                          struct hs_err *err);

/* Prepare the next pass (the draws of its candidates): false when the
 * seeding is done. */
bool hs_kpp_next(struct hs_kpp *p);

/* The pass over the rows [lo, hi) of part `part` (rowpass.h's fn). */
int hs_kpp_block(void *p, size_t part, size_t lo, size_t hi);

/* After a whole pass: the candidate that lowers the potential most
 * becomes the next centre. */
void hs_kpp_after(struct hs_kpp *p);

/* The share of the seeding's passes done, 0 to 1. */
double hs_kpp_fraction(const struct hs_kpp *p);

void hs_kpp_free(struct hs_kpp *p);

#endif

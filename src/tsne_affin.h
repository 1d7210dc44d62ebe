/* tsne_affin.h: the steps of t-SNE's input similarities (tsne.h's
 * hs_tsne_affinities) on compact neighbour lists, for the benchmark's
 * profile and for tests: 32-bit row indices, and P built in the lists'
 * own memory, so that a million points need about P's size and not
 * three times the lists' besides. */
#ifndef HS_TSNE_AFFIN_H
#define HS_TSNE_AFFIN_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "task.h"
#include "tsne.h"

/* The k neighbours of each row of x (n x dim), exact up to
 * HS_TSNE_EXACT_KNN points, approximate above (knn.h, drawn with seed).
 * Errors as knn.h's. */
int hs_tsne_neighbours(const double *x, size_t n, size_t dim, size_t k, uint64_t seed,
                       uint32_t *idx, double *dist, int threads, const struct hs_task *task,
                       struct hs_err *err);

/* P = (C + C^T) / 2n from the rows' neighbours idx (n x k) and their
 * conditional probabilities c (n x k), both from hs_malloc: they become
 * P's columns and values (grown in place), or are freed on an error.
 * Progress several times a second; HS_ENOMEM, HS_ECANCELLED. */
int hs_tsne_symmetrize_lists(uint32_t *idx, double *c, size_t n, size_t k, struct hs_tsne_p *P,
                             int threads, const struct hs_task *task, struct hs_err *err);

#endif

/* spectral.h: spectral embedding of a weighted graph, the initial layout
 * of UMAP (McInnes, Healy and Melville 2018, section 4.2; umap-learn's
 * spectral_layout).
 *
 * The graph is symmetric with non-negative weights W, held as compressed
 * rows.  Its symmetric normalised Laplacian L = I - D^-1/2 W D^-1/2 (D the
 * degrees) has eigenvalue 0 once per connected component; the embedding
 * is the eigenvectors of the next `dim` smallest eigenvalues.  They are
 * found by a thick-restart Lanczos iteration (Wu and Simon 2000) on
 * M = D^-1/2 W D^-1/2, whose largest eigenvalues are L's smallest, in the
 * complement of the known null vector D^1/2 1: memory is the graph plus
 * about 50 vectors of n doubles, each iteration one sparse product, so it
 * works at a million points.
 */
#ifndef HS_SPECTRAL_H
#define HS_SPECTRAL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "task.h"

/* A symmetric sparse matrix in compressed rows: row i's entries are
 * col[start[i] .. start[i+1]-1] with weights w[...], columns ascending. */
struct hs_csr {
    size_t n;
    size_t *start; /* n + 1 */
    uint32_t *col;
    double *w;
};

void hs_csr_release(struct hs_csr *g);

/* The connected components of g (entries of weight 0 do not connect):
 * *count of them, and when label is given each vertex's component
 * (0-based, numbered in order of first vertex).  HS_ENOMEM. */
int hs_spectral_components(const struct hs_csr *g, size_t *label, size_t *count,
                           struct hs_err *err);

/* The eigenvectors of L for its eigenvalues 2 .. dim+1 (in increasing
 * order) into out (n x dim, row-major), unit length, and when lambda is
 * given those eigenvalues.  g must be connected, with dim + 2 <= n.  The
 * starting vector comes from seed; the iteration stops when every wanted
 * residual is below 1e-4 (scipy's eigsh tolerance in umap-learn) or after
 * a bounded number of products, then returning the best approximation.
 * threads: the logical thread count (results depend on it alone).
 * HS_EDATA (a vertex without edges), HS_ENOMEM, HS_ECANCELLED. */
int hs_spectral_embed(const struct hs_csr *g, size_t dim, uint64_t seed, int threads,
                      double *out, double *lambda, const struct hs_task *task,
                      struct hs_err *err);

#endif

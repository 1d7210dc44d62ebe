/* clusterq.h: the quality of a clustering, computed the same way for
 * every method: per cluster its size, signal fraction and purity; over
 * all, purity against the label and the adjusted Rand index; the
 * silhouette on a seeded subsample; and all of it per value of a group
 * column (the HNL mass) where the dataset has one.
 *
 * Cluster ids are whole numbers, -1 (any negative) for a row in no
 * cluster; labels are 1 signal, 0 background, anything else unlabelled.
 * Definitions (scikit-learn's where it has one):
 *  - purity: the sum over clusters of their majority class count, over
 *    the labelled rows in a cluster;
 *  - adjusted Rand index (Hubert and Arabie 1985): the Rand index of the
 *    clusters against the label, corrected for chance, from the pair
 *    counts of their contingency table (sklearn adjusted_rand_score; 1
 *    when the index and its expectation are both at their maximum);
 *  - silhouette (Rousseeuw 1987): the mean over the subsample of
 *    (b - a) / max(a, b), a the mean Euclidean distance of a row to the
 *    other rows of its cluster, b the least mean distance to the rows of
 *    another cluster, both within the subsample and in the standardised
 *    features; 0 for a row alone in its cluster (sklearn
 *    silhouette_score with sample_size).
 */
#ifndef HS_CLUSTERQ_H
#define HS_CLUSTERQ_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "method.h"
#include "task.h"

struct hs_cluster_stats {
    long id;
    size_t size;            /* rows in the cluster, labelled or not */
    size_t nsignal, nbackground;
    double signal_fraction; /* nsignal / (nsignal + nbackground); NaN with neither */
    double purity;          /* the majority class's share of them; NaN with neither */
};

struct hs_clusterq {
    size_t nclusters;
    struct hs_cluster_stats *cluster; /* nclusters, by increasing id */
    size_t n;                         /* rows in a cluster */
    size_t nlabelled;                 /* of those, labelled signal or background */
    double purity;                    /* NaN without labelled rows */
    double ari;                       /* against the label over the labelled rows; NaN
                                         with fewer than 2 */
};

/* The figures of the rows i with keep[i] (keep NULL: all) whose cluster
 * is not negative; label may be NULL (no labelled rows).  HS_ENOMEM;
 * *q is filled only on success (hs_clusterq_release). */
int hs_clusterq_compute(const long *cluster, const double *label, const unsigned char *keep,
                        size_t n, struct hs_clusterq *q, struct hs_err *err);
void hs_clusterq_release(struct hs_clusterq *q);

/* The adjusted Rand index of two labellings of n rows, over the rows
 * where both are not negative; NaN with fewer than 2 such rows.
 * HS_ENOMEM. */
int hs_clusterq_ari(const long *a, const long *b, size_t n, double *out, struct hs_err *err);

/* One value of a group column and the figures of its rows. */
struct hs_clusterq_group {
    double value;
    struct hs_clusterq q;
};

/* hs_clusterq_compute for each distinct finite value of group, in
 * increasing order (rows with a missing group are left out): *out new
 * (hs_clusterq_groups_free), *ngroups its length.  HS_ENOMEM. */
int hs_clusterq_by_group(const long *cluster, const double *label, const double *group,
                         size_t n, struct hs_clusterq_group **out, size_t *ngroups,
                         struct hs_err *err);
void hs_clusterq_groups_free(struct hs_clusterq_group *g, size_t ngroups);

/* The silhouette of the clustering over d's fitted rows (part 0, every
 * input present: those a method fitted), in their standardised features
 * (embed_input.h), on a subsample of at most `sample` of the rows with a
 * cluster, drawn with `seed` (all of them when there are no more).
 * Distances are summed in parallel on d->threads logical threads with
 * the same result for any count.  *out NaN when fewer than 2 clusters
 * are in the subsample.  HS_ENOMEM, HS_EDATA (no fitted rows),
 * HS_ECANCELLED. */
int hs_clusterq_silhouette(const struct hs_method_data *d, const long *cluster, size_t sample,
                           uint64_t seed, double *out, const struct hs_task *task,
                           struct hs_err *err);

#endif

/* clusterfit.h: the work of `hepscope cluster` (ui/cmd-cluster.c) that
 * the TUI's clusters view (ui/tui-clust.c) does the same way: the fits
 * over a range of K on rows prepared by ui/embed.h, the clusters of one
 * K against the label (and per signal group), and the figure of BIC and
 * AIC against K.  The fits themselves are the engine's
 * (src/cluster_range.h); this keeps the tables and figures.
 *
 * The fits touch nothing but the prepared rows, so a worker thread may
 * run them.  A front end that fitted on its own hands the fits to the
 * `cluster` command through the app's pending slot (ui/cmd.h) under
 * hs_cluster_pending_key; the command then stores them instead of
 * fitting again, and the journal holds its own line.
 */
#ifndef HS_UI_CLUSTERFIT_H
#define HS_UI_CLUSTERFIT_H

#include <stdbool.h>
#include <stddef.h>

#include "cluster_range.h"
#include "clusterq.h"
#include "plots/figure.h"
#include "ui/embed.h"

/* "A..B" or "K" into lo, hi: 1 to HS_GMM_MAX_K, at most
 * HS_CLUSTER_MAX_RANGE values of K.  HS_EUSAGE naming `what` and the text. */
int hs_cluster_range_parse(const char *text, const char *what, size_t *lo, size_t *hi,
                           struct hs_err *err);

/* The events the silhouette that chooses k-means' K is computed on. */
#define HS_CLUSTER_SIL_SAMPLE 5000

/* The fits of K = lo..hi (src/cluster_range.h) on e's prepared rows with
 * e's method and parameters (k left at hi); a fit's error names the
 * clustering.  A cancel is HS_ECANCELLED ("cancelled: nothing stored").
 * The K chosen is the engine's (the lowest BIC) for a method with a
 * likelihood; for one without (k-means, whose inertia always falls as
 * K grows) the K of the highest silhouette (clusterq.h) on a seeded
 * subsample of at most HS_CLUSTER_SIL_SAMPLE fitted events, the smaller
 * K on a tie.  _sil also gives each K's silhouette in sil[0..n) (NaN for
 * K 1, a method with a likelihood, or a single K). */
int hs_cluster_fit_embed(struct hs_embed *e, int threads, size_t lo, size_t hi, bool keep_all,
                         struct hs_cluster_fits *out, const struct hs_task *task,
                         struct hs_err *err);
/* The silhouettes of f's kept fits (NaN for the others, all NaN with a
 * likelihood) and, when one is finite, f->chosen the highest: the
 * choice of hs_cluster_fit_embed for a method without a likelihood. */
int hs_cluster_choose_silhouette(const struct hs_embed *e, const struct hs_method_data *d,
                                 struct hs_cluster_fits *f, double *sil,
                                 const struct hs_task *task, struct hs_err *err);
int hs_cluster_fit_embed_sil(struct hs_embed *e, int threads, size_t lo, size_t hi, bool keep_all,
                             struct hs_cluster_fits *out, double *sil, const struct hs_task *task,
                             struct hs_err *err);

/* What `cluster` fits for the prepared e over lo..hi on dataset ds: the
 * method, its parameters but k, the inputs, the selection, the events.
 * New string (free()), NULL when out of memory. */
char *hs_cluster_pending_key(const struct hs_embed *e, const char *ds, size_t lo, size_t hi);

/* One signal group's signal against all the background. */
struct hs_cluster_group_row {
    char *name;   /* the group's value as text ("2.5") */
    size_t nsignal;
    double purity, ari;
};

/* The clusters of one K on the fitted events against the label. */
struct hs_cluster_table {
    struct hs_clusterq q;              /* per cluster; purity and ARI over all */
    struct hs_cluster_group_row *group; /* per signal group, when the dataset has 2 to 40 */
    size_t ngroups;
    char group_column[64];             /* the group column's name, "" without */
};

/* The table of clustering id (per event of e's table, -1 for none) on
 * e's fitted rows.  HS_ENOMEM; *t is filled only on success. */
int hs_cluster_table_make(const struct hs_embed *e, const long *id, struct hs_cluster_table *t,
                          struct hs_err *err);
void hs_cluster_table_release(struct hs_cluster_table *t);

/* BIC and AIC (or the inertia, without a likelihood) against K, the K
 * marked (0: none) by a vertical line.  *out new (hs_figure_free). */
int hs_cluster_criteria_figure(const struct hs_cluster_kfit *f, size_t n, size_t mark,
                               const char *title, struct hs_figure **out, struct hs_err *err);

#endif

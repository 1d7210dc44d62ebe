/* clusterfit.h: the work of `hepscope cluster` (ui/cmd-cluster.c) that
 * the TUI's clusters view (ui/tui-clust.c) does the same way: the fits
 * over a range of K on rows prepared by ui/embed.h, the clusters of one
 * K against the label (and per signal group), and the figure of BIC and
 * AIC against K.
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

#include "clusterq.h"
#include "plots/figure.h"
#include "ui/embed.h"

#define HS_CLUSTER_MAX_RANGE 64

/* "A..B" or "K" into lo, hi: 1 to HS_GMM_MAX_K, at most
 * HS_CLUSTER_MAX_RANGE values of K.  HS_EUSAGE naming `what` and the text. */
int hs_cluster_range_parse(const char *text, const char *what, size_t *lo, size_t *hi,
                           struct hs_err *err);

/* One K's fit. */
struct hs_cluster_kfit {
    size_t k;
    double loglik; /* summed over the fitted events; NaN without a likelihood */
    size_t nfree;
    double inertia;
    double bic, aic; /* NaN without a likelihood */
};

struct hs_cluster_fits {
    const struct hs_method *method;
    size_t n;                              /* fits made, K lo, lo + 1, ... */
    size_t nfit;                           /* events fitted */
    struct hs_cluster_kfit f[HS_CLUSTER_MAX_RANGE];
    void *state[HS_CLUSTER_MAX_RANGE];     /* each fit's state; NULL once freed or given */
    size_t chosen;                         /* the lowest BIC; without a likelihood the last */
};

/* Fit K = lo..hi (at most HS_CLUSTER_MAX_RANGE) on e's prepared rows,
 * its parameter k set for each; progress over the whole range.  With
 * keep_all every state is kept, else the chosen one only.  A cancel is
 * HS_ECANCELLED ("cancelled: nothing stored"); *out is released then. */
int hs_cluster_fit_range(struct hs_embed *e, int threads, size_t lo, size_t hi, bool keep_all,
                         struct hs_cluster_fits *out, const struct hs_task *task,
                         struct hs_err *err);
void hs_cluster_fits_release(struct hs_cluster_fits *f);
/* For the pending slot (frees every state, then f). */
void hs_cluster_fits_free(void *f);

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

/* view-clust.h: the clusters view. */
#ifndef HS_VIEW_CLUST_H
#define HS_VIEW_CLUST_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "ui/clusterfit.h"
#include "ui/screen.h"

/* ---- clusters view (ui/view-clust.c: state and drawing) ----
 *
 * What `hepscope cluster gmm|kmeans NAME --k A..B` computes, in the TUI:
 * BIC and AIC against K as a plot beside their table, and the table of
 * the clusters of the K under the cursor (size, signal, background,
 * purity, signal fraction; purity and ARI over all and per signal
 * group).  The form above chooses the method, the covariance, the range
 * of K and the column's name.  A fit runs on a worker thread
 * (ui/tui-clust.c) with a progress bar, Esc cancels it, and the last
 * result stays shown until the new one is done; its chosen K is then
 * stored through the `cluster` command, which journals its line. */

struct hs_clust_job; /* the worker (private to ui/tui-clust.c) */

/* A finished fit over a range of K. */
struct hs_clust_result {
    char method[16];
    char covariance[8];  /* "full", "diag"; "" for k-means */
    char name[64];       /* the column */
    char dataset[128];
    size_t lo, hi;
    size_t nin, nfit, nsel;
    struct hs_cluster_fits fits;   /* per K; the states are kept to store another K */
    struct hs_cluster_table *tab;  /* fits.n tables, the clusters of each K */
    char **keys;                   /* fits.n: the pending keys of each K alone
                                      (hs_cluster_pending_key), or NULL */
    size_t stored_k;               /* the K stored as column `name`, 0 none */
    /* The worker's reads, which a method's state points into: freed
     * with the result, after the states. */
    struct hs_clust_job *job;
    void (*job_free)(struct hs_clust_job *job);
};

#define HS_CLUST_NAME_MAX 64

struct hs_clust_view {
    /* The form: what the next fit is. */
    bool kmeans;                   /* else gmm */
    bool diag;                     /* gmm's covariance */
    size_t lo, hi;                 /* the range of K */
    char name[HS_CLUST_NAME_MAX];  /* the column stored */
    /* The last result, shown until the next is done. */
    struct hs_clust_result *res;
    size_t cur;                    /* the K shown: an index into res->fits */
    /* A fit running (or done, not yet collected). */
    struct hs_clust_job *job;
    bool stopping;                 /* Esc was pressed */
    double progress;               /* its last report (fraction, or -1) */
    char what[128];
    char msg[HS_ERR_MSG_MAX];      /* how the last fit ended, or why it failed */
    bool msg_error;
};

void hs_clust_view_init(struct hs_clust_view *cv);
/* Free the result (the caller has ended the job). */
void hs_clust_view_release(struct hs_clust_view *cv);
void hs_clust_result_free(struct hs_clust_result *r);
/* Show r (taken) with the cursor on its chosen K. */
void hs_clust_view_set(struct hs_clust_view *cv, struct hs_clust_result *r);
/* The method's name: "gmm" or "kmeans". */
const char *hs_clust_view_method(const struct hs_clust_view *cv);
/* The form as the options of `cluster` ("gmm NAME --k 2..8 --covariance
 * full"): into buf. */
void hs_clust_view_words(const struct hs_clust_view *cv, char *buf, size_t size);
/* Set the range from "A..B" or "K" (1 to HS_GMM_MAX_K, at most
 * HS_CLUSTER_MAX_RANGE values).  HS_EUSAGE, the form unchanged. */
int hs_clust_view_set_range(struct hs_clust_view *cv, const char *text, struct hs_err *err);
/* "A..B", or "A" when A is B, into buf (as --k takes it). */
void hs_clust_range_text(size_t lo, size_t hi, char *buf, size_t size);
/* The title of the figure for r at its K under the cursor. */
void hs_clust_view_title(const struct hs_clust_view *cv, char *buf, size_t size);
/* The figure of BIC and AIC against K with the K under the cursor
 * marked (hs_cluster_criteria_figure).  HS_EUSAGE without a result. */
int hs_clust_view_figure(const struct hs_clust_view *cv, bool titled, struct hs_figure **out,
                         struct hs_err *err);
void hs_clust_view_draw(struct hs_clust_view *cv, int mode, const char *dsname,
                        struct hs_screen *s, int x, int y, int w, int h);

/* ---- its ties to the session and the loop (ui/tui-clust.c) ---- */
struct hs_tui;
/* The view's state (the TUI holds one per view). */
struct hs_clust_view *hs_tui_clust(struct hs_tui *tui);
/* Start a fit of the form on the shown dataset: the events and inputs
 * are read here as `cluster` reads them (ui/embed.h), then a worker
 * thread fits every K.  HS_EBUSY when one runs. */
int hs_tui_clust_start(struct hs_tui *tui, struct hs_err *err);
/* Ask a running fit to stop (nothing of it is kept).  false when none runs. */
bool hs_tui_clust_stop(struct hs_tui *tui);
/* Every loop turn: copies the progress; when the worker has ended, joins
 * it, shows its result and stores the chosen K through `cluster`.  True
 * while a fit runs (the loop then polls keys with a short timeout). */
bool hs_tui_clust_poll(struct hs_tui *tui);
/* Store the K under the cursor as the column through `cluster ... --k K`
 * (the fit shown is handed to it, not made again).  An hs_status. */
int hs_tui_clust_store(struct hs_tui *tui, struct hs_err *err);
/* Save the figure (NULL: ./hepscope-DATASET-NAME-clusters.png; .svg and
 * .pdf by the name), recording the `cluster ... -o` line; the path goes
 * to out.  An hs_status. */
int hs_tui_clust_save(struct hs_tui *tui, const char *path, char *out, size_t size,
                      struct hs_err *err);

#endif

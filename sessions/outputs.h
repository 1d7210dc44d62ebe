/* outputs.h (sessions/): what projections and clusterings learned per
 * event, stored with their dataset.
 *
 * A projection NAME stores its coordinates as columns NAME_1, NAME_2, ...;
 * a clustering NAME stores the cluster of each event as NAME (numbered
 * from 1) and, on request, each cluster's probability as NAME_p1, ....
 * Every column holds one double per event of the dataset, NaN where the
 * method placed none.  They are the dataset's learned columns (src/
 * featureset.h) under those names, so expressions, cuts, histograms, SQL
 * and export read them; unlike a model's score they are stored, because
 * a t-SNE map cannot be recomputed for an event it did not fit.  They go
 * with their dataset: dropped or replaced, its outputs go too.
 *
 * Schema version 7 (man/hepscope-session.5): tables outputs and
 * output_columns.
 */
#ifndef HS_SESS_OUTPUTS_H
#define HS_SESS_OUTPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "featureset.h"
#include "sessions/session.h"

enum hs_output_kind {
    HS_OUTPUT_PROJECTION = 0,
    HS_OUTPUT_CLUSTERING = 1,
};

struct hs_output_rec {
    char *name;
    enum hs_output_kind kind;
    char *method;     /* "pca", "gmm", ... */
    char *options;    /* the method's parameters as typed */
    char *features;   /* the inputs, a comma list */
    char *selection;  /* the --where expression, or NULL */
    size_t nevents;   /* the dataset's events */
    size_t nfitted;   /* those the method fitted */
    size_t ncols;
    char **colnames;  /* ncols column names */
    double **values;  /* ncols arrays of nevents values; NULL when not loaded */
    char *figures;    /* key figures in words ("loss 1.23, trustworthiness 0.95"), or NULL */
    char *dataset;    /* the dataset's name: set by hs_sess_outputs_all only */
    char *created;    /* UTC, ISO 8601; set by save */
};

/* The column names of an output: NAME_1 .. NAME_dims for a projection;
 * NAME, then NAME_p1 .. NAME_pK when nprob is K, for a clustering.  New
 * array of new strings (hs_output_names_free); HS_ENOMEM. */
int hs_output_names(const char *name, enum hs_output_kind kind, size_t dims, size_t nprob,
                    char ***out, size_t *n, struct hs_err *err);
void hs_output_names_free(char **names, size_t n);

/* An output's key figures (NaN, or k 0, when they do not apply). */
struct hs_output_figures {
    size_t k;           /* a clustering's clusters */
    double loss;        /* t-SNE's KL divergence, UMAP's loss */
    double trust;       /* trustworthiness */
    double loglik_mean; /* a mixture's log-likelihood per fitted event */
    double bic, aic;
    double inertia;     /* k-means */
};

/* The finite ones in words for rec->figures ("K 4, log-likelihood
 * -2.637 per event, BIC 527443.2, AIC 527301.9"): a new string
 * (hs_free), NULL when none applies or out of memory. */
char *hs_output_figures_text(const struct hs_output_figures *f);

/* Store rec (its values must be given, nevents each) for dataset
 * `dataset`, replacing an output of the same name when there is one.
 * HS_ENOTFOUND for no such dataset; HS_EUSAGE when rec->nevents is not
 * the dataset's event count, when the name is not an identifier, or
 * when a column name is another output's (the message names it). */
int hs_sess_output_save(struct hs_sess *s, const char *dataset, const struct hs_output_rec *rec,
                        struct hs_err *err);
/* Load output `name` of the dataset, with its values when values is
 * true.  HS_ENOTFOUND with a did-you-mean; HS_ESESSION when a column's
 * length is not the output's event count. */
int hs_sess_output_load(struct hs_sess *s, const char *dataset, const char *name, bool values,
                        struct hs_output_rec *rec, struct hs_err *err);
/* Every output of the dataset by name, without values; *out is new
 * (hs_output_recs_free). */
int hs_sess_outputs(struct hs_sess *s, const char *dataset, struct hs_output_rec **out, size_t *n,
                    struct hs_err *err);
/* Every output of every dataset, by dataset name then name, without
 * values, each with its dataset; *out is new (hs_output_recs_free). */
int hs_sess_outputs_all(struct hs_sess *s, struct hs_output_rec **out, size_t *n,
                        struct hs_err *err);
/* Drop output `name` of the dataset and its columns, in one transaction:
 * HS_ENOTFOUND (with a did-you-mean) leaves the session as it was. */
int hs_sess_output_drop(struct hs_sess *s, const char *dataset, const char *name,
                        struct hs_err *err);
void hs_output_rec_release(struct hs_output_rec *rec);
void hs_output_recs_free(struct hs_output_rec *recs, size_t n);

/* Add to fs one learned feature per stored column of the dataset's
 * outputs (the dataset called `dataset`, or of id `id`), in the order of
 * the outputs' names and their columns.  A column whose name is a column
 * of the table or a feature of fs already is left out.  The values are
 * read from the session when first asked for, rows fs->row0 onwards
 * (a reader of chunks sets row0): s's connection must stay open as long
 * as fs.  HS_ENOMEM, or the session's errors. */
int hs_sess_featureset_add_outputs(struct hs_sess *s, const char *dataset,
                                   struct hs_featureset *fs, struct hs_err *err);
int hs_sess_featureset_add_outputs_id(struct hs_sess *s, int64_t id, struct hs_featureset *fs,
                                      struct hs_err *err);

/* Is feature f of a set a stored output's column? */
bool hs_feature_is_output(const struct hs_feature *f);

#endif

/* models.h (sessions/): trained classifiers stored in the session.
 *
 * Schema version 4 adds, and 5 opens to every kind (man/hepscope-session.5):
 *   models          one row per model, by name, session-wide (a model
 *                   trained on one dataset scores any dataset that has its
 *                   features): kind ('mlp', 'fisher', ...), the dataset it was trained
 *                   on (its name then; not a reference, so dropping the
 *                   dataset keeps the model), when, the training options
 *                   as they would be typed, the split used (fractions,
 *                   seed), the best epoch, summary figures, and the
 *                   model itself as a BLOB: an MLP's in `network`
 *                   (hs_mlp_serialize); version 5 puts other kinds' in
 *                   model_params (`network` is then empty).
 *   model_features  its inputs in order: name, and the expression for a
 *                   derived feature (NULL for a column), so that another
 *                   dataset can compute them.
 *   model_epochs    the training curve: loss, validation loss and AUC,
 *                   seconds and learning rate per epoch.
 */
#ifndef HS_SESS_MODELS_H
#define HS_SESS_MODELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "method.h"
#include "model.h"
#include "sessions/session.h"

struct hs_model_feature {
    char *name;
    char *expr; /* NULL for a column of the dataset */
};

struct hs_model_rec {
    char *name;
    char *kind;                /* the method's name: "mlp", "fisher" (src/model.h's kinds) */
    char *dataset;             /* trained on (its name at the time) */
    char *created;             /* UTC, ISO 8601; set by the save */
    char *options;             /* the training options, "--layers 64,64 --activation relu ..." */
    double split_frac[3];      /* the split it was trained with */
    uint64_t split_seed;
    char *train_group;         /* --train-group, or NULL */
    size_t nfeatures;
    struct hs_model_feature *features;
    unsigned char *blob;       /* the model's bytes (hs_model_serialize) */
    size_t bloblen;
    size_t nepochs;
    struct hs_epoch_info *curve;
    size_t best_epoch;
    size_t nimputed;           /* missing inputs imputed in training */
    double test_auc;           /* on the test part when trained; NaN if not measured */
    double test_bkg95;         /* background efficiency at 95% signal efficiency, test part */
};

/* Store rec (created is set here).  HS_EEXIST when the name is taken and
 * replace is false; a name must be an identifier (HS_EUSAGE). */
int hs_sess_model_save(struct hs_sess *s, const struct hs_model_rec *rec, bool replace,
                       struct hs_err *err);
/* Load model `name`; HS_ENOTFOUND with a did-you-mean or the list. */
int hs_sess_model_load(struct hs_sess *s, const char *name, struct hs_model_rec *rec,
                       struct hs_err *err);
/* Every model (dataset NULL) or those trained on `dataset`, by name;
 * *out is new (hs_model_recs_free). */
int hs_sess_models(struct hs_sess *s, const char *dataset, struct hs_model_rec **out, size_t *n,
                   struct hs_err *err);
int hs_sess_model_drop(struct hs_sess *s, const char *name, struct hs_err *err);
/* Is there a model of that name?  (For commands that take cut sets and
 * models by name.)  1 yes, 0 no, or an error code. */
int hs_sess_model_exists(struct hs_sess *s, const char *name, struct hs_err *err);
/* The model of a record, checked against its listed inputs: a kind this
 * hepscope does not know, damaged bytes or a model whose input count
 * differs from its features are HS_ESESSION (a damaged session).  Every
 * reader of a stored model comes through here, so that none scores a
 * model on the wrong columns.  *model is new (hs_model_free). */
int hs_model_rec_model(const struct hs_model_rec *rec, struct hs_model **model,
                       struct hs_err *err);
/* hs_sess_model_load, then hs_model_rec_model; rec is released on
 * failure. */
int hs_sess_model_open(struct hs_sess *s, const char *name, struct hs_model_rec *rec,
                       struct hs_model **model, struct hs_err *err);
void hs_model_rec_release(struct hs_model_rec *rec);
void hs_model_recs_free(struct hs_model_rec *recs, size_t n);

#endif

/* learned.h (sessions/): stored models as learned columns.
 *
 * Every stored model that a dataset can score (each of its inputs is a
 * column or feature there, or an expression that compiles there) is a
 * learned feature of that dataset's feature set, named after the model
 * (src/featureset.h).  Its values come from the stored model when first
 * asked for, so they are never stale: a model retrained or replaced gives
 * new values on the next load, a dropped one's column is gone, and a
 * replaced dataset is scored afresh.  Nothing is stored per event.
 */
#ifndef HS_SESS_LEARNED_H
#define HS_SESS_LEARNED_H

#include <stddef.h>

#include "err.h"
#include "featureset.h"
#include "model.h"
#include "sessions/models.h"
#include "sessions/session.h"
#include "task.h"

/* The scores of model m (of record rec: hs_model_rec_model) on every event
 * of fs's table into out (fs->t->nrows doubles): its inputs resolved on fs
 * by hs_featureset_inputs (columns and features by name, derived inputs
 * by the model's own expressions).  Cancellable. */
int hs_model_rec_score(const struct hs_model_rec *rec, const struct hs_model *m,
                       struct hs_featureset *fs, double *out, const struct hs_task *task,
                       struct hs_err *err);

/* Add to fs one learned feature per record of recs that fs's table can
 * score, named after the model, in name order (a model stacked on another
 * comes after it).  A model whose name is a column or feature of fs is
 * left out, as is one an input of which is missing.  Takes over recs and
 * every record in it (those added live in their feature; the array and
 * the rest are freed), also when this fails (HS_ENOMEM only). */
int hs_featureset_add_models(struct hs_featureset *fs, struct hs_model_rec *recs, size_t n,
                             struct hs_err *err);

/* Every stored model of s, added to fs by hs_featureset_add_models. */
int hs_sess_featureset_add_models(struct hs_sess *s, struct hs_featureset *fs,
                                  struct hs_err *err);

#endif

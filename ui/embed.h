/* embed.h: what `project` and `cluster` share: their options read into a
 * method's parameters (through the training options of ui/train.h, so a
 * parameter is read, checked and refused the one way), the inputs, the
 * selection and its stratified subsample as the method's parts, the fit,
 * and the stored output (sessions/outputs.h).
 *
 *   struct hs_embed e;
 *   hs_embed_opts(cmd, method_name, kind, own, &e)  options (also in check)
 *   hs_embed_prepare(cmd, app, &e)                  events, inputs, parts
 *   hs_embed_fit(cmd, app, &e, &state)              the fit, timed
 *   ... coords() / clusters() of the state ...
 *   hs_embed_store(cmd, app, &e, &rec)              in the command's transaction
 *   hs_embed_release(&e)
 */
#ifndef HS_UI_EMBED_H
#define HS_UI_EMBED_H

#include <stdbool.h>
#include <stddef.h>

#include "method.h"
#include "sessions/outputs.h"
#include "ui/cmd.h"
#include "ui/loaded.h"
#include "ui/select.h"
#include "ui/train.h"

struct hs_embed {
    struct hs_train_opts o;     /* method, parameters, --features, --where, --cut */
    const char *name;           /* the output's name (argv[1]) */
    struct hs_loaded ld;
    struct hs_select sel;
    size_t nin;
    char **names;               /* nin input names (owned) */
    struct hs_inputs in;        /* their columns */
    unsigned char *part;        /* nrows: 0 fitted, 2 not */
    size_t nsel;                /* events selected with every input present */
    size_t nfit;                /* events fitted (part 0) */
    double seconds;             /* the fit's wall time */
    bool loaded;
};

/* The output's name (argv[1]) and the options, for `method`, which must
 * be the command's (hs_method_primary: HS_METHOD_COORDS for `project`,
 * HS_METHOD_CLUSTER for `cluster`): HS_EUSAGE naming those that are
 * otherwise.  The parameter called `own` (NULL: none) is left for the
 * caller to read (cluster's --k takes a range).  Errors in cmd->err. */
int hs_embed_opts(struct hs_cmd *cmd, const char *method, unsigned want, const char *own,
                  struct hs_embed *e);

/* Load the dataset, resolve the inputs (e->o.features, or every enabled
 * numeric feature; none of them a column of the output itself), the
 * selection, and the fitted rows: the selected events with every input,
 * subsampled (stratified by class and group, src/subsample.h) to the
 * method's `n` parameter when it has one and it is not 0, seeded by its
 * `seed` parameter (0 without one).  The output's column names (cols, n)
 * must not be columns or features of the dataset other than a stored
 * output's of the same name. */
int hs_embed_prepare(struct hs_cmd *cmd, struct hs_app *app, struct hs_embed *e,
                     char *const *cols, size_t ncols);

/* The prepared rows as the method layer takes them (borrowed from e). */
void hs_embed_data(const struct hs_embed *e, int threads, struct hs_method_data *d);

/* Fit the method on the prepared rows; *state is the method's (free it
 * with e->o.method->free).  A cancel is HS_ECANCELLED (nothing kept). */
int hs_embed_fit(struct hs_cmd *cmd, struct hs_app *app, struct hs_embed *e, void **state);

/* Fill the record's description from e (method, options, features,
 * selection, counts) and store it in the command's transaction;
 * rec->name, kind, colnames and values are the caller's. */
int hs_embed_store(struct hs_cmd *cmd, struct hs_app *app, struct hs_embed *e,
                   struct hs_output_rec *rec);

void hs_embed_release(struct hs_embed *e);

/* A fit made ahead of its command, on the prepared rows of the same
 * options (the TUI's worker thread): put in app->pending under the
 * command's name and hs_embed_key, hs_embed_fit takes it instead of
 * fitting, so that the command stores and journals it as its own. */
struct hs_embed_fitted {
    const struct hs_method *method;
    void *state;
    double seconds;
};
/* The key of e's fit: dataset, method, parameters, selection, rows and
 * inputs.  New string (hs_free), NULL when out of memory. */
char *hs_embed_key(const struct hs_cmd *cmd, const struct hs_embed *e);
/* Free a struct hs_embed_fitted (its state with its method's free). */
void hs_embed_fitted_free(void *fitted);

/* A parameter's value as text ("" when the method has none of that name). */
void hs_embed_param(const struct hs_embed *e, const char *name, char *buf, size_t size);

#endif

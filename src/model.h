/* model.h: a trained model, whatever learned it.
 *
 * A model is a kind (a const struct hs_model_kind: the few things every
 * stored model must do) and its own data.  The session keeps the kind's
 * name and the bytes serialize() gives; scoring, describing and exporting
 * go through the kind, so nothing above the engine knows an MLP from a
 * Fisher discriminant.  Inputs are raw values in the model's order, NaN
 * for a missing one (each kind says how it imputes).
 */
#ifndef HS_MODEL_H
#define HS_MODEL_H

#include <stddef.h>

#include "err.h"
#include "task.h"

struct hs_model_kind {
    const char *name;    /* "mlp", "fisher": models.kind */
    /* The bytes stored in the session, and back: a damaged or foreign
     * string is HS_EDATA (checked before anything large is allocated). */
    int (*serialize)(const void *impl, unsigned char **buf, size_t *len, struct hs_err *err);
    int (*deserialize)(const unsigned char *buf, size_t len, void **impl, size_t *nin,
                       struct hs_err *err);
    /* Scores of n events from nin raw input columns; cancellable. */
    int (*score)(const void *impl, const double *const *x, size_t n, double *out,
                 const struct hs_task *task, struct hs_err *err);
    /* The shape in a few words: "64,64 relu", "linear, 8 coefficients". */
    void (*describe)(const void *impl, char *buf, size_t size);
    /* Lines for `model show` (Fisher's coefficients), each ending in
     * '\n', or NULL for none; new string (hs_free) in *out. */
    int (*details)(const void *impl, const char *const *names, char **out, struct hs_err *err);
    /* A dependency-free C99 file defining `double FUNC(const double *x)`;
     * new string (hs_free). */
    int (*export_c)(const void *impl, const char *const *names, const char *func, char **out,
                    struct hs_err *err);
    void (*free)(void *impl);
};

struct hs_model {
    const struct hs_model_kind *kind;
    size_t nin;
    void *impl;      /* owned */
};

/* A model of `kind` taking over impl (freed with the model, or at once
 * when this fails: HS_ENOMEM). */
int hs_model_new(const struct hs_model_kind *kind, void *impl, size_t nin, struct hs_model **out,
                 struct hs_err *err);
void hs_model_free(struct hs_model *m);

/* The kind called name (every method's models, src/methods.c), or NULL. */
const struct hs_model_kind *hs_model_kind_find(const char *name);

/* A stored model back from its kind's name and bytes: HS_EDATA for an
 * unknown kind or damaged bytes; HS_EDATA too when nin_expected (not 0)
 * differs from the model's own input count, so that no reader scores a
 * model against the wrong number of columns. */
int hs_model_load(const char *kind, const unsigned char *buf, size_t len, size_t nin_expected,
                  struct hs_model **out, struct hs_err *err);
int hs_model_serialize(const struct hs_model *m, unsigned char **buf, size_t *len,
                       struct hs_err *err);
int hs_model_score(const struct hs_model *m, const double *const *x, size_t n, double *out,
                   const struct hs_task *task, struct hs_err *err);
void hs_model_describe(const struct hs_model *m, char *buf, size_t size);
/* *out is NULL when the kind has nothing more to say. */
int hs_model_details(const struct hs_model *m, const char *const *names, char **out,
                     struct hs_err *err);
/* names: m->nin input names; func a C identifier (HS_EUSAGE otherwise). */
int hs_model_export_c(const struct hs_model *m, const char *const *names, const char *func,
                      char **out, struct hs_err *err);

#endif

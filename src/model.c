/* model.c: a trained model through its kind (model.h). */
#include "config.h"

#include "model.h"

#include <stdio.h>

#include "mem.h"

int
hs_model_new(const struct hs_model_kind *kind, void *impl, size_t nin, struct hs_model **out,
             struct hs_err *err)
{
    struct hs_model *m = hs_malloc(sizeof *m);

    *out = NULL;
    if (!m) {
        kind->free(impl);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    m->kind = kind;
    m->nin = nin;
    m->impl = impl;
    *out = m;
    return HS_OK;
}

void
hs_model_free(struct hs_model *m)
{
    if (!m)
        return;
    m->kind->free(m->impl);
    hs_free(m);
}

int
hs_model_load(const char *kind, const unsigned char *buf, size_t len, size_t nin_expected,
              struct hs_model **out, struct hs_err *err)
{
    const struct hs_model_kind *k = hs_model_kind_find(kind);
    void *impl = NULL;
    size_t nin = 0;
    int rc;

    *out = NULL;
    if (!k)
        return hs_err_set(err, HS_EDATA, "a model of kind '%s', which this hepscope does not know",
                          kind ? kind : "");
    if ((rc = k->deserialize(buf, len, &impl, &nin, err)))
        return rc;
    if (nin_expected && nin != nin_expected) {
        k->free(impl);
        return hs_err_set(err, HS_EDATA, "the stored %s model takes %zu inputs but lists %zu",
                          k->name, nin, nin_expected);
    }
    return hs_model_new(k, impl, nin, out, err);
}

int
hs_model_serialize(const struct hs_model *m, unsigned char **buf, size_t *len, struct hs_err *err)
{
    return m->kind->serialize(m->impl, buf, len, err);
}

int
hs_model_score(const struct hs_model *m, const double *const *x, size_t n, double *out,
               const struct hs_task *task, struct hs_err *err)
{
    return m->kind->score(m->impl, x, n, out, task, err);
}

void
hs_model_describe(const struct hs_model *m, char *buf, size_t size)
{
    if (m->kind->describe)
        m->kind->describe(m->impl, buf, size);
    else
        snprintf(buf, size, "%s", m->kind->name);
}

int
hs_model_details(const struct hs_model *m, const char *const *names, char **out,
                 struct hs_err *err)
{
    *out = NULL;
    return m->kind->details ? m->kind->details(m->impl, names, out, err) : HS_OK;
}

int
hs_model_export_c(const struct hs_model *m, const char *const *names, const char *func,
                  char **out, struct hs_err *err)
{
    *out = NULL;
    if (!m->kind->export_c)
        return hs_err_set(err, HS_EUSAGE, "a %s model cannot be exported as C", m->kind->name);
    return m->kind->export_c(m->impl, names, func, out, err);
}

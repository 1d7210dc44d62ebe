/* fisher_shim.c: TEMPORARY, delete at the merge with the method layer.
 *
 * Stand-ins for the few functions of src/method.c and src/model.c that
 * src/fisher.c and tests/unit/test_fisher.c call, so that the Fisher
 * tests link before those files land.  Same contracts as the headers. */
#include "config.h"

#include "mem.h"
#include "method.h"
#include "model.h"

double
hs_params_real(const struct hs_params *p, size_t idx)
{
    return p->v[idx].x;
}

size_t
hs_params_choice(const struct hs_params *p, size_t idx)
{
    return (size_t)p->v[idx].x;
}

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
    *m = (struct hs_model){kind, nin, impl};
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

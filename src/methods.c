/* methods.c: the list of methods and of the kinds of stored model.  A new
 * method is one line in each list (method.h says what else it needs). */
#include "config.h"

#include <string.h>

#include "ae.h"
#include "bdt.h"
#include "fisher.h"
#include "gmm.h"
#include "kmeans.h"
#include "method.h"
#include "mlp.h"
#include "pca.h"
#include "model.h"
#include "tsne.h"
#include "umap.h"

static const struct hs_method *const methods[] = {
    &hs_method_mlp,
    &hs_method_fisher,
    &hs_method_bdt,
    &hs_method_ae,
    &hs_method_pca,
    &hs_method_tsne,
    &hs_method_umap,
    &hs_method_kmeans,
    &hs_method_gmm,
    NULL,
};

static const struct hs_model_kind *const kinds[] = {
    &hs_model_kind_mlp,
    &hs_model_kind_fisher,
    &hs_model_kind_ae,
    &hs_model_kind_bdt,
    NULL,
};

const struct hs_method *const *
hs_methods(void)
{
    return methods;
}

const struct hs_model_kind *
hs_model_kind_find(const char *name)
{
    for (size_t i = 0; name && kinds[i]; i++)
        if (strcmp(kinds[i]->name, name) == 0)
            return kinds[i];
    return NULL;
}

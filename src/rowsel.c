#include "config.h"

#include "rowsel.h"

#include <assert.h>
#include <math.h>

#include "mem.h"

/* mask[i] &= (v[i] is true): an expression's value selects when it is
 * non-zero and not NaN (a comparison with a missing value is 0 already;
 * a plain column used as a condition selects where it has a value). */
static void
and_true(unsigned char *mask, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mask[i] = mask[i] && v[i] != 0.0 && !isnan(v[i]);
}

static int
where_mask(struct hs_featureset *fs, const char *where, unsigned char *mask,
           const struct hs_task *task, struct hs_err *err)
{
    size_t n = fs->t->nrows;
    struct hs_expr *e = NULL;
    double *v;
    int rc;

    if ((rc = hs_featureset_compile(fs, where, &e, err)))
        return rc;
    v = hs_malloc((n ? n : 1) * sizeof *v);
    if (!v) {
        hs_expr_free(e);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    rc = hs_featureset_eval(fs, e, v, NULL, task, err);
    if (rc == HS_OK)
        and_true(mask, v, n);
    hs_free(v);
    hs_expr_free(e);
    return rc;
}

static int
cuts_mask(struct hs_featureset *fs, const struct hs_cutset *cuts, unsigned char *mask,
          const struct hs_task *task, struct hs_err *err)
{
    size_t n = fs->t->nrows;
    struct hs_cuts_bound *b = NULL;
    unsigned char *pass;
    int rc;

    if ((rc = hs_cuts_bind(fs, cuts, &b, task, err)))
        return rc;
    pass = hs_malloc(n ? n : 1);
    if (!pass) {
        hs_cuts_bound_free(b);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    rc = hs_cuts_pass(b, pass, task, err);
    if (rc == HS_OK)
        hs_rowsel_and(mask, pass, n);
    hs_free(pass);
    hs_cuts_bound_free(b);
    return rc;
}

int
hs_rowsel_mask(struct hs_featureset *fs, const char *where, const struct hs_cutset *cuts,
               unsigned char *mask, size_t *nsel, const struct hs_task *task, struct hs_err *err)
{
    size_t n = fs->t->nrows;
    int rc;

    for (size_t i = 0; i < n; i++)
        mask[i] = 1;
    if (where && (rc = where_mask(fs, where, mask, task, err)))
        return rc;
    if (cuts && (rc = cuts_mask(fs, cuts, mask, task, err)))
        return rc;
    *nsel = hs_rowsel_count(mask, n);
    return HS_OK;
}

size_t
hs_rowsel_and(unsigned char *dst, const unsigned char *src, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        dst[i] = dst[i] && src[i];
        k += dst[i];
    }
    return k;
}

size_t
hs_rowsel_count(const unsigned char *mask, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        k += mask[i] != 0;
    return k;
}

size_t
hs_rowsel_gather(const double *v, const unsigned char *mask, size_t n, double *out)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++)
        if (mask[i])
            out[k++] = v[i];
    return k;
}

void
hs_rowsel_keep(struct hs_table *t, struct hs_featureset *fs, const unsigned char *mask)
{
    assert(!fs || fs->t == t);
    if (fs)
        hs_featureset_narrow(fs, mask); /* before: it reads the rows as they were */
    hs_table_keep(t, mask);
}

/* embed_input.c: gathering and standardising a projection's rows. */
#include "config.h"

#include "embed_input.h"

#include <math.h>
#include <string.h>

#include "mem.h"

static bool
row_finite(const struct hs_method_data *d, size_t i)
{
    for (size_t j = 0; j < d->nin; j++)
        if (!isfinite(d->x[j][i]))
            return false;
    return true;
}

void
hs_embed_input_release(struct hs_embed_input *in)
{
    hs_free(in->x);
    hs_free(in->row);
    hs_free(in->mean);
    hs_free(in->sd);
    memset(in, 0, sizeof *in);
}

int
hs_embed_input_init(struct hs_embed_input *in, const struct hs_method_data *d, size_t min_rows,
                    struct hs_err *err)
{
    size_t dim = d->nin, n = 0;

    memset(in, 0, sizeof *in);
    in->dim = dim;
    for (size_t i = 0; i < d->n; i++)
        n += (!d->part || d->part[i] == 0) && row_finite(d, i);
    if (n < min_rows || n == 0)
        return hs_err_set(err, HS_EDATA,
                          "%zu event%s with every input present to fit, at least %zu needed", n,
                          n == 1 ? "" : "s", min_rows ? min_rows : 1);
    in->n = n;
    in->row = hs_malloc(n * sizeof *in->row);
    in->x = hs_malloc_large(n * (dim ? dim : 1) * sizeof *in->x);
    in->mean = hs_calloc(dim ? dim : 1, sizeof *in->mean);
    in->sd = hs_calloc(dim ? dim : 1, sizeof *in->sd);
    if (!in->row || !in->x || !in->mean || !in->sd) {
        hs_embed_input_release(in);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++)
        if ((!d->part || d->part[i] == 0) && row_finite(d, i))
            in->row[k++] = i;
    /* Two passes per feature (mean, then squared deviations): exact enough
     * for features far from zero, where one pass would cancel. */
    for (size_t j = 0; j < dim; j++) {
        const double *c = d->x[j];
        double s = 0, q = 0;
        for (size_t r = 0; r < n; r++)
            s += c[in->row[r]];
        double m = s / (double)n;
        for (size_t r = 0; r < n; r++) {
            double e = c[in->row[r]] - m;
            q += e * e;
        }
        double sd = sqrt(q / (double)n);
        in->mean[j] = m;
        in->sd[j] = sd > 0 && isfinite(sd) ? sd : 1;
        double inv = 1.0 / in->sd[j];
        for (size_t r = 0; r < n; r++)
            in->x[r * dim + j] = (c[in->row[r]] - m) * inv;
    }
    return HS_OK;
}

bool
hs_embed_input_row(const struct hs_embed_input *in, const struct hs_method_data *d, size_t i,
                   double *out)
{
    for (size_t j = 0; j < in->dim; j++) {
        double v = d->x[j][i];
        if (!isfinite(v))
            return false;
        out[j] = (v - in->mean[j]) / in->sd[j];
    }
    return true;
}

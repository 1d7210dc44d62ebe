/* embed_input.c: gathering and standardising a projection's rows.
 *
 * Three passes, each on the par.h executor: the fitted rows counted per
 * part of the data and listed (a part's rows after the parts before it,
 * so the list is in row order), each feature's mean and sd (a feature per
 * part: a feature's sums run in row order on one thread, the same bits on
 * any number of threads), then the standardised values written, by parts
 * of rows for the row-major layout (a feature per part would have the
 * threads write into the same cache lines) and by feature for the
 * column-major one.
 */
#include "config.h"

#include "embed_input.h"

#include <math.h>
#include <string.h>

#include "mem.h"
#include "par.h"

/* Data rows per part of the first pass at least, and parts at most. */
#define ROWS_PER_PART 16384
#define MAX_PARTS 256

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
    hs_free(in->xt);
    hs_free(in->row);
    hs_free(in->mean);
    hs_free(in->sd);
    memset(in, 0, sizeof *in);
}

struct gather {
    const struct hs_method_data *d;
    struct hs_embed_input *in;
    size_t nparts;      /* of the data's rows (count and list) */
    size_t *count;      /* nparts: fitted rows per part, then where each part's start */
    size_t nrowparts;   /* of the fitted rows (row-major writing) */
};

static bool
fitted(const struct hs_method_data *d, size_t i)
{
    return (!d->part || d->part[i] == 0) && row_finite(d, i);
}

static int
count_part(void *ctx, size_t part)
{
    struct gather *g = ctx;
    size_t lo, hi, c = 0;

    hs_par_range(g->d->n, g->nparts, part, &lo, &hi);
    for (size_t i = lo; i < hi; i++)
        c += fitted(g->d, i);
    g->count[part] = c;
    return HS_OK;
}

static int
list_part(void *ctx, size_t part)
{
    struct gather *g = ctx;
    size_t lo, hi, k = g->count[part];

    hs_par_range(g->d->n, g->nparts, part, &lo, &hi);
    for (size_t i = lo; i < hi; i++)
        if (fitted(g->d, i))
            g->in->row[k++] = i;
    return HS_OK;
}

/* Feature `part`'s mean and sd, two passes (mean, then squared
 * deviations): exact enough for features far from zero, where one pass
 * would cancel; and its standardised column when the layout is
 * column-major. */
static int
moments_part(void *ctx, size_t j)
{
    struct gather *g = ctx;
    struct hs_embed_input *in = g->in;
    const double *c = g->d->x[j];
    const size_t *row = in->row;
    size_t n = in->n;
    double s = 0, q = 0;

    for (size_t r = 0; r < n; r++)
        s += c[row[r]];
    double m = s / (double)n;
    for (size_t r = 0; r < n; r++) {
        double e = c[row[r]] - m;
        q += e * e;
    }
    double sd = sqrt(q / (double)n);
    in->mean[j] = m;
    in->sd[j] = sd > 0 && isfinite(sd) ? sd : 1;
    if (in->xt) {
        double inv = 1.0 / in->sd[j], *out = in->xt + j * n;
        for (size_t r = 0; r < n; r++)
            out[r] = (c[row[r]] - m) * inv;
    }
    return HS_OK;
}

static int
rows_part(void *ctx, size_t part)
{
    struct gather *g = ctx;
    struct hs_embed_input *in = g->in;
    size_t lo, hi, dim = in->dim;

    hs_par_range(in->n, g->nrowparts, part, &lo, &hi);
    for (size_t j = 0; j < dim; j++) {
        const double *c = g->d->x[j];
        double m = in->mean[j], inv = 1.0 / in->sd[j];
        for (size_t r = lo; r < hi; r++)
            in->x[r * dim + j] = (c[in->row[r]] - m) * inv;
    }
    return HS_OK;
}

static size_t
parts_of(size_t n)
{
    size_t p = (n + ROWS_PER_PART - 1) / ROWS_PER_PART;
    return p < 1 ? 1 : p > MAX_PARTS ? MAX_PARTS : p;
}

static int
input_init(struct hs_embed_input *in, const struct hs_method_data *d, size_t min_rows,
           bool columns, struct hs_err *err)
{
    size_t dim = d->nin, n = 0;
    int threads = d->threads > 0 ? d->threads : hs_par_threads();
    struct gather g = {.d = d, .in = in, .nparts = parts_of(d->n)};
    size_t counts[MAX_PARTS];

    memset(in, 0, sizeof *in);
    in->dim = dim;
    g.count = counts;
    hs_par_run(g.nparts, threads, count_part, &g);
    for (size_t p = 0; p < g.nparts; p++) {
        size_t c = counts[p];
        counts[p] = n;
        n += c;
    }
    if (n < min_rows || n == 0)
        return hs_err_set(err, HS_EDATA,
                          "%zu event%s with every input present to fit, at least %zu needed", n,
                          n == 1 ? "" : "s", min_rows ? min_rows : 1);
    in->n = n;
    in->row = hs_malloc_large(n * sizeof *in->row);
    if (columns)
        in->xt = hs_malloc_large(n * (dim ? dim : 1) * sizeof *in->xt);
    else
        in->x = hs_malloc_large(n * (dim ? dim : 1) * sizeof *in->x);
    in->mean = hs_calloc(dim ? dim : 1, sizeof *in->mean);
    in->sd = hs_calloc(dim ? dim : 1, sizeof *in->sd);
    if (!in->row || !(in->x || in->xt) || !in->mean || !in->sd) {
        hs_embed_input_release(in);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    hs_par_run(g.nparts, threads, list_part, &g);
    if (dim)
        hs_par_run(dim, threads, moments_part, &g);
    if (!columns) {
        g.nrowparts = parts_of(n);
        hs_par_run(g.nrowparts, threads, rows_part, &g);
    }
    return HS_OK;
}

int
hs_embed_input_init(struct hs_embed_input *in, const struct hs_method_data *d, size_t min_rows,
                    struct hs_err *err)
{
    return input_init(in, d, min_rows, false, err);
}

int
hs_embed_input_init_columns(struct hs_embed_input *in, const struct hs_method_data *d,
                            size_t min_rows, struct hs_err *err)
{
    return input_init(in, d, min_rows, true, err);
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

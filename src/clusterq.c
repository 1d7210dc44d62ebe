/* clusterq.c: purity, adjusted Rand index, silhouette and the table of
 * clusters (clusterq.h).
 *
 * Ids are made dense through the sorted list of the distinct ones (a
 * binary search per row), so that any whole numbers work.  The
 * silhouette's distances are summed per subsample row in parallel row
 * passes (rowpass.h); each row's value is kept and the mean taken in row
 * order, so the figure does not depend on the thread count.
 */
#include "config.h"

#include "clusterq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "embed_input.h"
#include "mem.h"
#include "rng.h"
#include "rowpass.h"

/* Contingency tables larger than this many cells are refused. */
#define MAX_CELLS ((size_t)1 << 26)

static int
cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static int
cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The distinct non-negative ids of v over the rows with keep (NULL all):
 * new sorted array into *ids, count returned; (size_t)-1 when out of
 * memory. */
static size_t
distinct_ids(const long *v, const unsigned char *keep, size_t n, long **ids)
{
    size_t m = 0, u = 0;
    long *t = hs_malloc((n ? n : 1) * sizeof *t);

    *ids = NULL;
    if (!t)
        return (size_t)-1;
    for (size_t i = 0; i < n; i++)
        if ((!keep || keep[i]) && v[i] >= 0)
            t[m++] = v[i];
    qsort(t, m, sizeof *t, cmp_long);
    for (size_t i = 0; i < m; i++)
        if (u == 0 || t[i] != t[u - 1])
            t[u++] = t[i];
    *ids = t;
    return u;
}

/* The index of id in the sorted ids[0..k). */
static size_t
id_index(const long *ids, size_t k, long id)
{
    size_t lo = 0, hi = k;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] <= id)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static long double
pairs(long double x)
{
    return x * (x - 1) / 2;
}

/* ARI from a contingency table of na x nb counts. */
static double
ari_of_table(const size_t *t, size_t na, size_t nb)
{
    long double sij = 0, sa = 0, sb = 0, m = 0;

    for (size_t i = 0; i < na; i++) {
        long double r = 0;
        for (size_t j = 0; j < nb; j++) {
            r += t[i * nb + j];
            sij += pairs(t[i * nb + j]);
        }
        sa += pairs(r);
        m += r;
    }
    for (size_t j = 0; j < nb; j++) {
        long double c = 0;
        for (size_t i = 0; i < na; i++)
            c += t[i * nb + j];
        sb += pairs(c);
    }
    if (m < 2)
        return NAN;
    long double expect = sa * sb / pairs(m), max = (sa + sb) / 2;
    if (max == expect)
        return 1;
    return (double)((sij - expect) / (max - expect));
}

int
hs_clusterq_ari(const long *a, const long *b, size_t n, double *out, struct hs_err *err)
{
    unsigned char *keep = hs_malloc(n ? n : 1);
    long *ia = NULL, *ib = NULL;
    size_t *t = NULL, na, nb;
    int rc = HS_OK;

    *out = NAN;
    if (!keep)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        keep[i] = a[i] >= 0 && b[i] >= 0;
    na = distinct_ids(a, keep, n, &ia);
    nb = na == (size_t)-1 ? 0 : distinct_ids(b, keep, n, &ib);
    if (na == (size_t)-1 || nb == (size_t)-1) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if (na && nb > MAX_CELLS / na) {
        rc = hs_err_set(err, HS_EDATA,
                        "%zu by %zu distinct ids are too many for the adjusted Rand index", na,
                        nb);
        goto done;
    }
    size_t cells = na * nb;
    t = hs_calloc(cells ? cells : 1, sizeof *t);
    if (!t) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (keep[i])
            t[id_index(ia, na, a[i]) * nb + id_index(ib, nb, b[i])]++;
    *out = ari_of_table(t, na, nb);
done:
    hs_free(keep);
    hs_free(ia);
    hs_free(ib);
    hs_free(t);
    return rc;
}

void
hs_clusterq_release(struct hs_clusterq *q)
{
    hs_free(q->cluster);
    memset(q, 0, sizeof *q);
}

int
hs_clusterq_compute(const long *cluster, const double *label, const unsigned char *keep,
                    size_t n, struct hs_clusterq *q, struct hs_err *err)
{
    struct hs_clusterq o = {.purity = NAN, .ari = NAN};
    long *ids = NULL;
    size_t k = distinct_ids(cluster, keep, n, &ids);

    memset(q, 0, sizeof *q);
    if (k == (size_t)-1)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    o.nclusters = k;
    o.cluster = hs_calloc(k ? k : 1, sizeof *o.cluster);
    if (!o.cluster) {
        hs_free(ids);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t c = 0; c < k; c++)
        o.cluster[c].id = ids[c];
    for (size_t i = 0; i < n; i++) {
        if ((keep && !keep[i]) || cluster[i] < 0)
            continue;
        struct hs_cluster_stats *s = &o.cluster[id_index(ids, k, cluster[i])];
        s->size++;
        o.n++;
        if (label && label[i] == 1)
            s->nsignal++;
        else if (label && label[i] == 0)
            s->nbackground++;
    }
    size_t majority = 0;
    /* The table is clusters x {background, signal}: the ARI's
     * contingency table against the label. */
    size_t *t = hs_malloc((k ? k : 1) * 2 * sizeof *t);
    if (!t) {
        hs_free(ids);
        hs_free(o.cluster);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t c = 0; c < k; c++) {
        struct hs_cluster_stats *s = &o.cluster[c];
        size_t lab = s->nsignal + s->nbackground;
        size_t maj = s->nsignal > s->nbackground ? s->nsignal : s->nbackground;
        s->signal_fraction = lab ? (double)s->nsignal / (double)lab : NAN;
        s->purity = lab ? (double)maj / (double)lab : NAN;
        o.nlabelled += lab;
        majority += maj;
        t[c * 2] = s->nbackground;
        t[c * 2 + 1] = s->nsignal;
    }
    if (o.nlabelled)
        o.purity = (double)majority / (double)o.nlabelled;
    o.ari = ari_of_table(t, k, 2);
    hs_free(t);
    hs_free(ids);
    *q = o;
    return HS_OK;
}

void
hs_clusterq_groups_free(struct hs_clusterq_group *g, size_t ngroups)
{
    for (size_t i = 0; g && i < ngroups; i++)
        hs_clusterq_release(&g[i].q);
    hs_free(g);
}

int
hs_clusterq_by_group(const long *cluster, const double *label, const double *group, size_t n,
                     struct hs_clusterq_group **out, size_t *ngroups, struct hs_err *err)
{
    double *v = hs_malloc((n ? n : 1) * sizeof *v);
    unsigned char *keep = hs_malloc(n ? n : 1);
    struct hs_clusterq_group *g = NULL;
    size_t m = 0, u = 0;
    int rc = HS_OK;

    *out = NULL;
    *ngroups = 0;
    if (!v || !keep) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (isfinite(group[i]))
            v[m++] = group[i];
    qsort(v, m, sizeof *v, cmp_double);
    for (size_t i = 0; i < m; i++)
        if (u == 0 || v[i] != v[u - 1])
            v[u++] = v[i];
    g = hs_calloc(u ? u : 1, sizeof *g);
    if (!g) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < u; k++) {
        g[k].value = v[k];
        for (size_t i = 0; i < n; i++)
            keep[i] = group[i] == v[k];
        if ((rc = hs_clusterq_compute(cluster, label, keep, n, &g[k].q, err))) {
            hs_clusterq_groups_free(g, k);
            g = NULL;
            goto done;
        }
    }
    *out = g;
    *ngroups = u;
done:
    hs_free(v);
    hs_free(keep);
    return rc;
}

/* ---- silhouette ---- */

struct sil_pass {
    const double *x;   /* m x dim, the subsample's standardised rows */
    const size_t *cid; /* m dense cluster indexes */
    const size_t *csize; /* k: rows of each cluster in the subsample */
    size_t m, dim, k;
    double *sums;      /* parts x k: distance sums of the row at hand */
    double *s;         /* m: each row's silhouette */
};

static int
sil_block(void *ctx, size_t part, size_t lo, size_t hi)
{
    struct sil_pass *c = ctx;
    double *sum = c->sums + part * c->k;

    for (size_t i = lo; i < hi; i++) {
        const double *xi = c->x + i * c->dim;
        memset(sum, 0, c->k * sizeof *sum);
        for (size_t r = 0; r < c->m; r++) {
            const double *xr = c->x + r * c->dim;
            double d2 = 0;
            for (size_t j = 0; j < c->dim; j++) {
                double e = xi[j] - xr[j];
                d2 += e * e;
            }
            sum[c->cid[r]] += sqrt(d2);
        }
        size_t own = c->cid[i];
        if (c->csize[own] < 2) {
            c->s[i] = 0;
            continue;
        }
        double a = sum[own] / (double)(c->csize[own] - 1), b = INFINITY;
        for (size_t q = 0; q < c->k; q++)
            if (q != own && c->csize[q] > 0 && sum[q] / (double)c->csize[q] < b)
                b = sum[q] / (double)c->csize[q];
        double mx = a > b ? a : b;
        c->s[i] = mx > 0 ? (b - a) / mx : 0;
    }
    return HS_OK;
}

int
hs_clusterq_silhouette(const struct hs_method_data *d, const long *cluster, size_t sample,
                       uint64_t seed, double *out, const struct hs_task *task,
                       struct hs_err *err)
{
    struct hs_embed_input in;
    struct sil_pass c = {0};
    size_t *pick = NULL, *cid = NULL, *csize = NULL, avail = 0, m;
    long *ids = NULL, *sub = NULL;
    double *x = NULL;
    int rc;

    *out = NAN;
    if ((rc = hs_embed_input_init(&in, d, 1, err)))
        return rc;
    size_t dim = in.dim;
    pick = hs_malloc(in.n * sizeof *pick);
    if (!pick) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < in.n; r++)
        if (cluster[in.row[r]] >= 0)
            pick[avail++] = r;
    /* A seeded partial Fisher-Yates shuffle picks the subsample; sorted
     * back into row order, it does not depend on how it was drawn. */
    m = avail < sample ? avail : sample;
    struct hs_rng rng;
    hs_rng_seed(&rng, seed);
    for (size_t i = 0; i < m && m < avail; i++) {
        size_t j = i + (size_t)hs_rng_below(&rng, avail - i);
        size_t t = pick[i];
        pick[i] = pick[j];
        pick[j] = t;
    }
    qsort(pick, m, sizeof *pick, cmp_size);
    x = hs_malloc((m ? m : 1) * dim * sizeof *x);
    sub = hs_malloc((m ? m : 1) * sizeof *sub);
    cid = hs_malloc((m ? m : 1) * sizeof *cid);
    c.s = hs_malloc((m ? m : 1) * sizeof *c.s);
    if (!x || !sub || !cid || !c.s) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < m; i++) {
        memcpy(x + i * dim, in.x + pick[i] * dim, dim * sizeof *x);
        sub[i] = cluster[in.row[pick[i]]];
    }
    size_t k = distinct_ids(sub, NULL, m, &ids);
    if (k == (size_t)-1) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    if (k < 2)
        goto done; /* NaN: no second cluster to compare with */
    csize = hs_calloc(k, sizeof *csize);
    c.sums = hs_malloc(hs_rowpass_parts(m) * k * sizeof *c.sums);
    if (!csize || !c.sums) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < m; i++) {
        cid[i] = id_index(ids, k, sub[i]);
        csize[cid[i]]++;
    }
    c.x = x;
    c.cid = cid;
    c.csize = csize;
    c.m = m;
    c.dim = dim;
    c.k = k;
    struct hs_rowpass pass = {.n = m, .threads = d->threads, .fn = sil_block, .ctx = &c,
                              .task = task, .what = "silhouette", .base = 0, .span = 1};
    if ((rc = hs_rowpass_run(&pass, err)))
        goto done;
    long double t = 0;
    for (size_t i = 0; i < m; i++)
        t += c.s[i];
    *out = (double)(t / m);
done:
    hs_embed_input_release(&in);
    hs_free(pick);
    hs_free(cid);
    hs_free(csize);
    hs_free(ids);
    hs_free(sub);
    hs_free(x);
    hs_free(c.s);
    hs_free(c.sums);
    return rc;
}

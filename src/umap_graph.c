/* umap_graph.c: UMAP's fuzzy simplicial set of the kNN graph (see umap.h;
 * umap-learn's smooth_knn_dist, compute_membership_strengths and the
 * fuzzy union in fuzzy_simplicial_set).
 *
 * The union is built row by row from two sorted lists, each point's own
 * neighbours sorted by index and the points that have it as a neighbour
 * (the transpose, which a counting pass over the rows in order leaves
 * sorted), so the memory is a few arrays of n (k - 1) entries. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "mem.h"
#include "umap.h"

/* umap-learn's constants: the bisection's tolerance and iterations, and
 * the least sigma as a fraction of the mean distance. */
#define SMOOTH_K_TOLERANCE 1e-5
#define SMOOTH_ITERATIONS 64
#define MIN_K_DIST_SCALE 1e-3

void
hs_umap_smooth_knn(const double *dist, size_t n, size_t k, double *rho, double *sigma)
{
    size_t m = k - 1; /* the others */
    double target = log2((double)k), mean_all = 0;

    /* umap-learn's mean over the whole distance matrix, self included */
    for (size_t i = 0; i < n * m; i++)
        mean_all += dist[i];
    mean_all /= (double)(n * k);
    for (size_t i = 0; i < n; i++) {
        const double *d = dist + i * m;
        double lo = 0, hi = INFINITY, mid = 1, mean_i = 0;

        rho[i] = 0;
        for (size_t j = 0; j < m; j++) {
            if (d[j] > 0 && (rho[i] == 0 || d[j] < rho[i]))
                rho[i] = d[j];
            mean_i += d[j];
        }
        mean_i /= (double)k;
        for (int it = 0; it < SMOOTH_ITERATIONS; it++) {
            double psum = 0;
            for (size_t j = 0; j < m; j++) {
                double t = d[j] - rho[i];
                psum += t > 0 ? exp(-t / mid) : 1.0;
            }
            if (fabs(psum - target) < SMOOTH_K_TOLERANCE)
                break;
            if (psum > target) {
                hi = mid;
                mid = (lo + hi) / 2;
            } else {
                lo = mid;
                mid = isinf(hi) ? mid * 2 : (lo + hi) / 2;
            }
        }
        if (rho[i] > 0)
            sigma[i] = mid < MIN_K_DIST_SCALE * mean_i ? MIN_K_DIST_SCALE * mean_i : mid;
        else
            sigma[i] = mid < MIN_K_DIST_SCALE * mean_all ? MIN_K_DIST_SCALE * mean_all : mid;
    }
}

/* An entry of a row: neighbour index and membership. */
struct entry {
    uint32_t j;
    double a;
};

/* Sort a short row by index (insertion: rows have k - 1 entries). */
static void
sort_row(struct entry *e, size_t m)
{
    for (size_t i = 1; i < m; i++) {
        struct entry t = e[i];
        size_t p = i;
        while (p > 0 && e[p - 1].j > t.j) {
            e[p] = e[p - 1];
            p--;
        }
        e[p] = t;
    }
}

int
hs_umap_fuzzy_graph(const size_t *idx, const double *dist, size_t n, size_t k, struct hs_csr *g,
                    struct hs_err *err)
{
    size_t m = k - 1, nnz = 0;
    double *rho = NULL, *sigma = NULL;
    struct entry *A = NULL, *AT = NULL;
    size_t *tstart = NULL, *tfill = NULL;
    int rc = HS_OK;

    memset(g, 0, sizeof *g);
    if (n >= UINT32_MAX)
        return hs_err_set(err, HS_EUSAGE, "umap takes fewer than %u points, not %zu",
                          (unsigned)UINT32_MAX, n);
    if (k < 2)
        return hs_err_set(err, HS_EUSAGE, "umap needs at least 2 neighbours, not %zu", k);
    rho = hs_malloc(n * sizeof *rho);
    sigma = hs_malloc(n * sizeof *sigma);
    A = hs_malloc(n * m * sizeof *A);
    AT = hs_malloc(n * m * sizeof *AT);
    tstart = hs_calloc(n + 1, sizeof *tstart);
    tfill = hs_malloc((n + 1) * sizeof *tfill);
    g->start = hs_malloc((n + 1) * sizeof *g->start);
    g->col = hs_malloc(2 * n * m * sizeof *g->col);
    g->w = hs_malloc(2 * n * m * sizeof *g->w);
    if (!rho || !sigma || !A || !AT || !tstart || !tfill || !g->start || !g->col || !g->w) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    g->n = n;
    hs_umap_smooth_knn(dist, n, k, rho, sigma);
    /* A: each point's memberships, rows sorted; the transpose's counts */
    for (size_t i = 0; i < n; i++) {
        struct entry *row = A + i * m;
        for (size_t j = 0; j < m; j++) {
            double t = dist[i * m + j] - rho[i];
            row[j].j = (uint32_t)idx[i * m + j];
            row[j].a = t <= 0 || sigma[i] == 0 ? 1.0 : exp(-t / sigma[i]);
            tstart[idx[i * m + j] + 1]++;
        }
        sort_row(row, m);
    }
    for (size_t i = 0; i < n; i++)
        tstart[i + 1] += tstart[i];
    memcpy(tfill, tstart, (n + 1) * sizeof *tfill);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            const struct entry *e = A + i * m + j;
            AT[tfill[e->j]++] = (struct entry){(uint32_t)i, e->a};
        }
    /* row i of the union: merge A's row i with AT's row i */
    for (size_t i = 0; i < n; i++) {
        const struct entry *r = A + i * m, *t = AT + tstart[i];
        size_t p = 0, q = 0, nt = tstart[i + 1] - tstart[i];
        g->start[i] = nnz;
        while (p < m || q < nt) {
            uint32_t j;
            double a = 0, b = 0, w;
            if (q == nt || (p < m && r[p].j < t[q].j)) {
                j = r[p].j;
                a = r[p++].a;
            } else if (p == m || t[q].j < r[p].j) {
                j = t[q].j;
                b = t[q++].a;
            } else {
                j = r[p].j;
                a = r[p++].a;
                b = t[q++].a;
            }
            w = a + b - a * b;
            if (w > 0 && j != i) {
                g->col[nnz] = j;
                g->w[nnz++] = w;
            }
        }
    }
    g->start[n] = nnz;
done:
    hs_free(rho);
    hs_free(sigma);
    hs_free(A);
    hs_free(AT);
    hs_free(tstart);
    hs_free(tfill);
    if (rc != HS_OK)
        hs_csr_release(g);
    return rc;
}

/* Unit tests of UMAP (src/umap*.c): the a/b curve against umap-learn's
 * published values, smooth kNN distances against a bisection done here,
 * the fuzzy union against its formula, the PCA fallback on a
 * disconnected graph, and the method on separated blobs (trustworthiness
 * by brute force here), its determinism, cancellation and out-of-memory
 * paths. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

/* |a - b| <= tol (this cmocka has no assert_double_equal) */
#define assert_near(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

#include "mem.h"
#include "method.h"
#include "par.h"
#include "umap.h"

/* ---- references computed here ---- */

/* Gaussian blobs: nb blobs of per points in dim dimensions, centres
 * `sep` apart along their own axes, unit spread; row-major. */
static double *
blobs(size_t nb, size_t per, size_t dim, double sep, uint64_t seed)
{
    double *x = malloc(nb * per * dim * sizeof *x);
    uint64_t s = seed;

    for (size_t b = 0; b < nb; b++)
        for (size_t i = 0; i < per; i++)
            for (size_t j = 0; j < dim; j++) {
                double u = tu_unit(tu_splitmix(&s)), v = tu_unit(tu_splitmix(&s));
                x[((b * per) + i) * dim + j] = tu_box_muller(u, v) + (j == b % dim ? sep : 0);
            }
    return x;
}

static double
sqdist(const double *a, const double *b, size_t dim)
{
    double s = 0;
    for (size_t j = 0; j < dim; j++)
        s += (a[j] - b[j]) * (a[j] - b[j]);
    return s;
}

/* How many points of a 2-d layout (n x 2) have their nearest other
 * point in their own blob (blobs of per consecutive points). */
static size_t
same_blob_neighbours(const double *y, size_t n, size_t per)
{
    size_t same = 0;

    for (size_t i = 0; i < n; i++) {
        size_t best = 0;
        double bd = INFINITY;
        for (size_t j = 0; j < n; j++) {
            double d = sqdist(y + i * 2, y + j * 2, 2);
            if (j != i && d < bd) {
                bd = d;
                best = j;
            }
        }
        same += best / per == i / per;
    }
    return same;
}

/* The k nearest other points of every point by brute force, sorted,
 * Euclidean distances. */
static void
brute_knn(const double *x, size_t n, size_t dim, size_t k, size_t *idx, double *dist)
{
    for (size_t i = 0; i < n; i++) {
        size_t *ri = idx + i * k;
        double *rd = dist + i * k;
        size_t have = 0;
        for (size_t j = 0; j < n; j++) {
            double d;
            size_t p;
            if (j == i)
                continue;
            d = sqrt(sqdist(x + i * dim, x + j * dim, dim));
            if (have == k && d >= rd[k - 1])
                continue;
            p = have < k ? have++ : k - 1;
            while (p > 0 && rd[p - 1] > d) {
                rd[p] = rd[p - 1];
                ri[p] = ri[p - 1];
                p--;
            }
            rd[p] = d;
            ri[p] = j;
        }
    }
}

/* The rank (1-based) of every point j in i's order of distances in x. */
static size_t
rank_of(const double *x, size_t n, size_t dim, size_t i, size_t j)
{
    double dij = sqdist(x + i * dim, x + j * dim, dim);
    size_t r = 1;
    for (size_t l = 0; l < n; l++)
        if (l != i && l != j) {
            double d = sqdist(x + i * dim, x + l * dim, dim);
            r += d < dij || (d == dij && l < j);
        }
    return r;
}

/* scikit-learn's trustworthiness: 1 - 2 / (n k (2n - 3k - 1)) times the
 * sum over points of (rank in the input - k) of the layout's k nearest
 * that are not among the input's k nearest. */
static double
trustworthiness(const double *x, size_t dx, const double *y, size_t dy, size_t n, size_t k)
{
    size_t *ix = malloc(n * k * sizeof *ix), *iy = malloc(n * k * sizeof *iy);
    double *d = malloc(n * k * sizeof *d), t = 0;

    brute_knn(x, n, dx, k, ix, d);
    brute_knn(y, n, dy, k, iy, d);
    for (size_t i = 0; i < n; i++)
        for (size_t a = 0; a < k; a++) {
            bool in = false;
            for (size_t b = 0; b < k; b++)
                in = in || ix[i * k + b] == iy[i * k + a];
            if (!in)
                t += (double)rank_of(x, n, dx, i, iy[i * k + a]) - (double)k;
        }
    free(ix);
    free(iy);
    free(d);
    return 1 - 2 * t / ((double)n * (double)k * (2.0 * (double)n - 3.0 * (double)k - 1));
}

/* ---- a/b, smooth kNN, the fuzzy union ---- */

/* umap-learn's find_ab_params(1.0, 0.1) = (1.5769434603113077,
 * 0.8950608779109733), the values its documentation and the UMAP paper's
 * code quote as a ~ 1.577, b ~ 0.895. */
static void
test_ab_published(void **state)
{
    (void)state;
    double a, b;
    struct hs_err err = {0};

    assert_int_equal(hs_umap_fit_ab(1.0, 0.1, &a, &b, &err), HS_OK);
    assert_near(a, 1.5769434603113077, 1e-4);
    assert_near(b, 0.8950608779109733, 1e-4);
    assert_int_equal(hs_umap_fit_ab(1.0, 2.0, &a, &b, &err), HS_EUSAGE);
    assert_int_equal(hs_umap_fit_ab(0, 0.1, &a, &b, &err), HS_EUSAGE);
}

/* The bisection, written here: the sigma with sum exp(-(d - rho)+/sigma)
 * = target, by 200 halvings of a bracket. */
static double
sigma_by_bisection(const double *d, size_t m, double rho, double target)
{
    double lo = 1e-12, hi = 1e6;
    for (int it = 0; it < 200; it++) {
        double mid = sqrt(lo * hi), s = 0; /* geometric: the bracket spans decades */
        for (size_t j = 0; j < m; j++)
            s += d[j] > rho ? exp(-(d[j] - rho) / mid) : 1;
        if (s > target)
            hi = mid;
        else
            lo = mid;
    }
    return sqrt(lo * hi);
}

static void
test_smooth_knn(void **state)
{
    (void)state;
    size_t n = 50, k = 15, m = k - 1;
    double *dist = malloc(n * m * sizeof *dist), rho[50], sigma[50];
    uint64_t s = 11;

    for (size_t i = 0; i < n; i++) {
        double acc = 0.5 * tu_unit(tu_splitmix(&s));
        for (size_t j = 0; j < m; j++) {
            acc += 0.3 * tu_unit(tu_splitmix(&s));
            dist[i * m + j] = acc;
        }
    }
    /* row 0: a duplicate point first (distance 0), rho skips it */
    dist[0] = 0;
    hs_umap_smooth_knn(dist, n, k, rho, sigma);
    for (size_t i = 0; i < n; i++) {
        const double *d = dist + i * m;
        double sum = 0, ref = sigma_by_bisection(d, m, rho[i], log2((double)k));
        assert_near(rho[i], i == 0 ? d[1] : d[0], 0);
        for (size_t j = 0; j < m; j++)
            sum += d[j] > rho[i] ? exp(-(d[j] - rho[i]) / sigma[i]) : 1;
        assert_near(sum, log2((double)k), 1e-5);
        assert_near(sigma[i], ref, 1e-4 * ref);
    }
    /* all neighbours at one distance: the sum is k - 1 > log2 k for any
     * sigma, and sigma stops at 1e-3 of the mean distance (self counted) */
    for (size_t j = 0; j < m; j++)
        dist[j] = 2.0;
    hs_umap_smooth_knn(dist, 1, k, rho, sigma);
    assert_near(rho[0], 2.0, 0);
    assert_near(sigma[0], 1e-3 * 2.0 * (double)m / (double)k, 1e-15);
    free(dist);
}

static void
test_fuzzy_union(void **state)
{
    (void)state;
    size_t n = 120, dim = 4, k = 10, m = k - 1;
    double *x = blobs(3, 40, dim, 4, 3), *dist = malloc(n * m * sizeof *dist);
    size_t *idx = malloc(n * m * sizeof *idx);
    double rho[120], sigma[120];
    double *A = calloc(n * n, sizeof *A);
    struct hs_csr g;
    struct hs_err err = {0};

    brute_knn(x, n, dim, m, idx, dist);
    assert_int_equal(hs_umap_fuzzy_graph(idx, dist, n, k, &g, &err), HS_OK);
    hs_umap_smooth_knn(dist, n, k, rho, sigma);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            double t = dist[i * m + j] - rho[i];
            A[i * n + idx[i * m + j]] = t > 0 ? exp(-t / sigma[i]) : 1;
        }
    /* every entry is the union's formula; every non-zero of it is there */
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t e = g.start[i]; e < g.start[i + 1]; e++) {
            size_t j = g.col[e];
            double a = A[i * n + j], b = A[j * n + i];
            assert_true(e == g.start[i] || g.col[e - 1] < j);
            assert_true(g.w[e] > 0 && g.w[e] <= 1);
            assert_near(g.w[e], a + b - a * b, 1e-12);
            /* symmetric: the mirror entry has the same weight */
            bool found = false;
            for (size_t f = g.start[j]; f < g.start[j + 1]; f++)
                if (g.col[f] == i) {
                    found = true;
                    assert_true(tu_same_bits(g.w[f], g.w[e]));
                }
            assert_true(found);
        }
        for (size_t j = 0; j < n; j++)
            count += A[i * n + j] + A[j * n + i] > 0;
    }
    assert_int_equal(g.start[n], count);
    hs_csr_release(&g);
    free(x);
    free(dist);
    free(idx);
    free(A);
}

/* umap-learn's optimize_layout_euclidean written out (pow, no tables)
 * for one epoch at learning rate 1 on the edges (0, 1) and (1, 0) of two
 * points at ref (2 x 2), no negative samples: edge (0, 1) moves point 0
 * towards 1 and point 1 as far back (move_other), then edge (1, 0) the
 * same from point 1's side. */
static void
pair_epoch_ref(double *ref, double a, double b)
{
    for (int head = 0; head < 2; head++) {
        double *cur = ref + 2 * head, *other = ref + 2 * (1 - head), d2 = 0;
        for (int c = 0; c < 2; c++)
            d2 += (cur[c] - other[c]) * (cur[c] - other[c]);
        double gc = -2 * a * b * pow(d2, b - 1) / (a * pow(d2, b) + 1);
        for (int c = 0; c < 2; c++) {
            double g1 = fmax(-4, fmin(4, gc * (cur[c] - other[c])));
            cur[c] += g1;
            other[c] -= g1;
        }
    }
}

/* One epoch on one edge, without negative samples, against umap-learn's
 * update (pair_epoch_ref).  An update that gave each point twice its own
 * pull instead lands elsewhere. */
static void
test_epoch_moves_other_end(void **state)
{
    (void)state;
    size_t start[] = {0, 1, 2};
    uint32_t col[] = {1, 0};
    double w[] = {1, 1}, y0[] = {0, 0, 0.3, 0.4}, y[4], ref[4];
    double a = 1.577, b = 0.8951;
    struct hs_csr g = {2, start, col, w};
    struct hs_umap_sgd *s;
    struct hs_err err = {0};

    for (int c = 0; c < 4; c++)
        ref[c] = (float)y0[c];
    pair_epoch_ref(ref, a, b);
    assert_int_equal(hs_umap_sgd_new(&g, y0, 2, a, b, 10, 0, 1, &s, &err), HS_OK);
    assert_int_equal(hs_umap_sgd_run(s, 1, 1, NULL, &err), HS_OK);
    hs_umap_sgd_layout(s, y);
    for (int c = 0; c < 4; c++)
        assert_near(y[c], ref[c], 1e-4);
    hs_umap_sgd_free(s);
}

/* Two slices (two threads, 8,192 points): points 0 and 1 joined, the
 * others on a grid between them without edges, no negative samples.  The
 * Z order puts point 0 (the lowest corner) first and point 1 (the
 * highest) last, so in different slices: each slice keeps its pull of
 * the other's point for the epoch's end, then runs it moving both ends
 * from where they are, slice 0's first.  That is umap-learn's
 * sequential update (pair_epoch_ref); one thread gives the same, and the
 * grid does not move. */
static void
test_slices_pull_across(void **state)
{
    (void)state;
    size_t n = 8192, *start = malloc((n + 1) * sizeof *start);
    uint32_t col[] = {1, 0};
    double w[] = {1, 1}, *y0 = malloc(n * 2 * sizeof *y0), *y = malloc(n * 2 * sizeof *y);
    double a = 1.577, b = 0.8951, ref[4] = {-1, -1, 2, 1.5};
    struct hs_csr g = {n, start, col, w};
    struct hs_err err = {0};

    start[0] = 0;
    for (size_t i = 0; i < n; i++)
        start[i + 1] = i < 2 ? i + 1 : 2;
    y0[0] = -1;
    y0[1] = -1;
    y0[2] = 2;
    y0[3] = 1.5;
    for (size_t i = 2; i < n; i++) {
        y0[2 * i] = (double)(i % 90) / 90;
        y0[2 * i + 1] = (double)(i / 90) / 92;
    }
    for (int c = 0; c < 4; c++)
        ref[c] = (float)ref[c];
    pair_epoch_ref(ref, a, b);
    for (int threads = 1; threads <= 2; threads++) {
        struct hs_umap_sgd *s;
        assert_int_equal(hs_umap_sgd_new(&g, y0, 2, a, b, 10, 0, 1, &s, &err), HS_OK);
        assert_int_equal(hs_umap_sgd_run(s, 1, threads, NULL, &err), HS_OK);
        hs_umap_sgd_layout(s, y);
        for (int c = 0; c < 4; c++)
            assert_near(y[c], ref[c], 1e-4);
        for (size_t c = 4; c < 2 * n; c++)
            assert_true(y[c] == (float)y0[c]);
        hs_umap_sgd_free(s);
    }
    free(start);
    free(y0);
    free(y);
}

/* The optimiser's pull and push coefficients (tables, linear between
 * nodes) against umap-learn's formulas written out here with pow, over
 * squared distances from 1e-8 (below the tables: the exact formula) to
 * 1e5 (above them), for min_dist 0.1's curve and a steeper one (about
 * min_dist 0.5's): relative error
 * below 3e-4 (float tables, 64 nodes per octave; 1.6e-4 and 2.3e-4
 * measured). */
static void
test_coefficients_exact(void **state)
{
    (void)state;
    size_t start[] = {0, 1, 2};
    uint32_t col[] = {1, 0};
    double w[] = {1, 1}, y0[] = {0, 0, 1, 1};
    double ab[2][2] = {{1.5769434603113077, 0.8950608779109733}, {0.5830300199, 1.334166992}};
    struct hs_csr g = {2, start, col, w};
    struct hs_err err = {0};

    for (int c = 0; c < 2; c++) {
        double a = ab[c][0], b = ab[c][1], worst = 0;
        struct hs_umap_sgd *s;
        assert_int_equal(hs_umap_sgd_new(&g, y0, 2, a, b, 10, 5, 1, &s, &err), HS_OK);
        for (double d2 = 1e-8; d2 < 1e5; d2 *= 1.0137) {
            float f = (float)d2;
            double x = f;
            double pull = -2 * a * b * pow(x, b - 1) / (1 + a * pow(x, b));
            double push = 2 * b / ((0.001 + x) * (1 + a * pow(x, b)));
            double ep = fabs(hs_umap_sgd_coef(s, 0, f) - pull) / fabs(pull);
            double eq = fabs(hs_umap_sgd_coef(s, 1, f) - push) / push;
            worst = fmax(worst, fmax(ep, eq));
        }
        assert_true(worst < 3e-4);
        hs_umap_sgd_free(s);
    }
}

/* Two blobs far apart: no neighbour crosses, the graph has two
 * components, the start is PCA's: its first coordinate is a linear
 * function of the first principal component computed here by power
 * iteration (the blobs' separation dominates). */
static void
test_disconnected_falls_back_to_pca(void **state)
{
    (void)state;
    size_t n = 80, dim = 3, k = 8, m = k - 1;
    double *x = blobs(2, 40, dim, 1000, 9), *dist = malloc(n * m * sizeof *dist);
    size_t *idx = malloc(n * m * sizeof *idx);
    double *y = malloc(n * 2 * sizeof *y), mean[3] = {0}, v[3] = {1, 1, 1}, C[9] = {0};
    double sxy = 0, sxx = 0, syy = 0, my = 0, mp = 0;
    struct hs_csr g;
    struct hs_err err = {0};
    enum hs_umap_init used;
    size_t ncomp;

    brute_knn(x, n, dim, m, idx, dist);
    assert_int_equal(hs_umap_fuzzy_graph(idx, dist, n, k, &g, &err), HS_OK);
    assert_int_equal(hs_spectral_components(&g, NULL, &ncomp, &err), HS_OK);
    assert_int_equal(ncomp, 2);
    assert_int_equal(hs_umap_init_layout(HS_UMAP_INIT_SPECTRAL, &g, x, dim, 2, 0, 1, y, &used,
                                         NULL, &err),
                     HS_OK);
    assert_int_equal(used, HS_UMAP_INIT_PCA);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < dim; j++)
            mean[j] += x[i * dim + j] / (double)n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < dim; j++)
            for (size_t l = 0; l < dim; l++)
                C[j * dim + l] += (x[i * dim + j] - mean[j]) * (x[i * dim + l] - mean[l]);
    for (int it = 0; it < 200; it++) {
        double w[3] = {0}, nrm = 0;
        for (size_t j = 0; j < dim; j++)
            for (size_t l = 0; l < dim; l++)
                w[j] += C[j * dim + l] * v[l];
        for (size_t j = 0; j < dim; j++)
            nrm += w[j] * w[j];
        for (size_t j = 0; j < dim; j++)
            v[j] = w[j] / sqrt(nrm);
    }
    for (size_t i = 0; i < n; i++) {
        double p = 0;
        for (size_t j = 0; j < dim; j++)
            p += (x[i * dim + j] - mean[j]) * v[j];
        mp += p / (double)n;
        my += y[i * 2] / (double)n;
    }
    for (size_t i = 0; i < n; i++) {
        double p = -mp, q = y[i * 2] - my;
        for (size_t j = 0; j < dim; j++)
            p += (x[i * dim + j] - mean[j]) * v[j];
        sxy += p * q;
        sxx += p * p;
        syy += q * q;
        assert_true(y[i * 2] >= 0 && y[i * 2] <= 10);
    }
    assert_true(fabs(sxy) / sqrt(sxx * syy) > 1 - 1e-6);
    hs_csr_release(&g);
    free(x);
    free(dist);
    free(idx);
    free(y);
}

/* ---- the method ---- */

struct fit {
    double *coords;
    size_t dim;
    struct hs_method_report r;
    int rc;
};

/* Fit umap on x (n x dim, row-major) through the method layer with the
 * given parameter line, part as given; the fit's allocations fail after
 * fail_after of them (negative: never). */
static struct fit
fit_umap_oom(const double *x, size_t n, size_t dim, const unsigned char *part, const char *line,
             const struct hs_task *task, long fail_after)
{
    double **cols = malloc(dim * sizeof *cols);
    struct hs_params p;
    struct hs_err err = {0};
    struct fit f = {NULL, 0, {0}, 0};
    void *st = NULL;
    bool cancelled = false;

    for (size_t j = 0; j < dim; j++) {
        cols[j] = malloc(n * sizeof **cols);
        for (size_t i = 0; i < n; i++)
            cols[j][i] = x[i * dim + j];
    }
    struct hs_method_data d = {n, dim, (const double *const *)cols, NULL, NULL, NULL, part, 0};
    assert_int_equal(hs_method_params(&hs_method_umap, &p, &err), HS_OK);
    assert_int_equal(hs_params_parse_line(&p, line, NULL, NULL, &err), HS_OK);
    hs_mem_fail_after(fail_after);
    f.rc = hs_method_fit(&hs_method_umap, &p, &d, NULL, NULL, &st, &cancelled, task, &err);
    hs_mem_fail_after(-1);
    if (f.rc == HS_OK) {
        assert_int_equal(hs_method_umap.coords(st, &f.coords, &f.dim, &err), HS_OK);
        hs_method_umap.report(st, &f.r);
        f.r.curve = NULL; /* borrowed from the state */
        hs_method_umap.free(st);
    }
    hs_params_release(&p);
    for (size_t j = 0; j < dim; j++)
        free(cols[j]);
    free(cols);
    return f;
}

static struct fit
fit_umap(const double *x, size_t n, size_t dim, const unsigned char *part, const char *line,
         const struct hs_task *task)
{
    return fit_umap_oom(x, n, dim, part, line, task, -1);
}

/* Well-separated blobs stay separated: high trustworthiness, and every
 * point's nearest neighbour in the layout is from its own blob. */
static void
test_blobs_stay_separated(void **state)
{
    (void)state;
    size_t per = 100, nb = 3, n = per * nb, dim = 6;
    double *x = blobs(nb, per, dim, 12, 21);
    struct fit f = fit_umap(x, n, dim, NULL, "--epochs 200 --seed 3", NULL);
    size_t same;
    double t;

    assert_int_equal(f.rc, HS_OK);
    assert_int_equal(f.dim, 2);
    same = same_blob_neighbours(f.coords, n, per);
    assert_int_equal(same, n);
    t = trustworthiness(x, dim, f.coords, 2, n, 10);
    assert_true(t > 0.9);
    assert_true(isfinite(f.r.kl) && f.r.kl > 0);
    assert_int_equal(f.r.nepochs, 20);
    assert_int_equal(f.r.ntrain, n);
    free(f.coords);
    free(x);
}

/* Rows outside part 0 get NaN; the same seed gives the same bits with one
 * thread or two, however many OS threads run them. */
static void
test_nan_outside_and_determinism(void **state)
{
    (void)state;
    size_t n = 200, dim = 5;
    double *x = blobs(2, 100, dim, 6, 4);
    unsigned char *part = calloc(n, 1);
    struct fit f1, f2, f3, f4;

    for (size_t i = 0; i < n; i += 7)
        part[i] = 1;
    hs_par_set_threads(1);
    f1 = fit_umap(x, n, dim, part, "--epochs 60 --seed 5", NULL);
    f2 = fit_umap(x, n, dim, part, "--epochs 60 --seed 5", NULL);
    hs_par_set_threads(2);
    f3 = fit_umap(x, n, dim, part, "--epochs 60 --seed 5", NULL);
    int old = hs_par_set_max_workers(1);
    f4 = fit_umap(x, n, dim, part, "--epochs 60 --seed 5", NULL);
    hs_par_set_max_workers(old);
    hs_par_set_threads(0);
    assert_int_equal(f1.rc, HS_OK);
    for (size_t i = 0; i < n * 2; i++) {
        assert_true(tu_same_bits(f1.coords[i], f2.coords[i]));
        assert_true(tu_same_bits(f3.coords[i], f4.coords[i]));
        assert_true(tu_same_bits(f1.coords[i], f3.coords[i]));
        assert_true(part[i / 2] ? isnan(f1.coords[i]) : isfinite(f1.coords[i]));
    }
    /* another seed, another layout */
    struct fit f5 = fit_umap(x, n, dim, part, "--epochs 60 --seed 6", NULL);
    assert_false(tu_same_bits(f5.coords[2], f1.coords[2]));
    free(f1.coords);
    free(f2.coords);
    free(f3.coords);
    free(f4.coords);
    free(f5.coords);
    free(x);
    free(part);
}

/* Two fits of blobs of per points (n in all) gave the same bits, and
 * every point's nearest neighbour in the layout is from its own blob,
 * for 99% of them at least; frees both. */
static void
same_and_apart(struct fit *f1, struct fit *f2, size_t n, size_t per)
{
    assert_int_equal(f1->rc, HS_OK);
    assert_int_equal(f2->rc, HS_OK);
    for (size_t i = 0; i < n * 2; i++)
        assert_true(tu_same_bits(f1->coords[i], f2->coords[i]));
    assert_true(same_blob_neighbours(f1->coords, n, per) >= n * 99 / 100);
    free(f1->coords);
    free(f2->coords);
}

/* Above one part of the epochs (1,024 points), renumbered in Z order:
 * one thread and the seed still give the
 * same bits, and the layout keeps the blobs apart (every point's
 * nearest neighbour in the layout from its own blob, for 99% of them
 * at least: 40 epochs only). */
static void
test_many_parts_determinism(void **state)
{
    (void)state;
    size_t per = 900, nb = 3, n = per * nb, dim = 5;
    double *x = blobs(nb, per, dim, 10, 17);
    struct fit f1, f2;

    hs_par_set_threads(1);
    f1 = fit_umap(x, n, dim, NULL, "--epochs 40 --seed 9", NULL);
    f2 = fit_umap(x, n, dim, NULL, "--epochs 40 --seed 9", NULL);
    hs_par_set_threads(0);
    same_and_apart(&f1, &f2, n, per);
    free(x);
}

/* Above two slices' worth of points (8,192), two threads cut the points
 * into two slices, each read by the other at the epoch's start: the
 * same bits however many OS threads run them (and whatever the load),
 * and the blobs kept apart as with one thread (every point's nearest
 * neighbour in the layout from its own blob, for 99% of them at least). */
static void
test_slices_determinism(void **state)
{
    (void)state;
    size_t per = 3000, nb = 3, n = per * nb, dim = 5;
    double *x = blobs(nb, per, dim, 10, 23);
    struct fit f1, f2;
    bool gate = hs_par_set_gate(false);

    hs_par_set_threads(2);
    f1 = fit_umap(x, n, dim, NULL, "--epochs 30 --seed 4", NULL);
    int old = hs_par_set_max_workers(1);
    f2 = fit_umap(x, n, dim, NULL, "--epochs 30 --seed 4", NULL);
    hs_par_set_max_workers(old);
    hs_par_set_threads(0);
    hs_par_set_gate(gate);
    same_and_apart(&f1, &f2, n, per);
    free(x);
}

static void
test_cancel(void **state)
{
    (void)state;
    size_t n = 300, dim = 4;
    double *x = blobs(3, 100, dim, 8, 8);
    struct tu_cancel_at c = {0.6, 0};
    struct hs_task task = {tu_cancel_at_progress, &c, &c.flag};
    struct fit f = fit_umap(x, n, dim, NULL, "--epochs 200", &task);

    assert_int_equal(f.rc, HS_ECANCELLED);
    assert_true(atomic_load(&c.flag));
    free(x);
}

static void
test_out_of_memory(void **state)
{
    (void)state;
    size_t n = 60, dim = 3;
    double *x = blobs(2, 30, dim, 6, 2);
    struct fit f;

    for (long k = 0;; k++) {
        f = fit_umap_oom(x, n, dim, NULL, "--epochs 10 --neighbors 6", NULL, k);
        if (f.rc == HS_OK)
            break;
        assert_int_equal(f.rc, HS_ENOMEM);
        assert_true(k < 200);
    }
    free(f.coords);
    free(x);
}

static void
test_params(void **state)
{
    (void)state;
    struct hs_params p;
    struct hs_err err = {0};
    const char *names[] = {"neighbors", "min-dist", "spread", "dims", "n",
                           "seed",      "epochs",   "negative", "init"};
    const char *defs[] = {"15", "0.1", "1", "2", "20000", "0", "0", "5", "spectral"};
    char buf[64];

    assert_true(hs_method_umap.outputs == HS_METHOD_COORDS);
    assert_int_equal(hs_method_params(&hs_method_umap, &p, &err), HS_OK);
    for (size_t i = 0; i < 9; i++) {
        long idx = hs_params_find(hs_method_umap.params, names[i]);
        assert_true(idx >= 0);
        hs_params_format(&p, (size_t)idx, buf, sizeof buf);
        assert_string_equal(buf, defs[i]);
    }
    assert_int_equal(hs_params_set(&p, "min-dist", "2", &err), HS_OK);
    assert_int_equal(hs_method_umap.check(&p, &err), HS_EUSAGE);
    assert_int_equal(hs_params_set(&p, "init", "tsne", &err), HS_EUSAGE);
    assert_ptr_equal(hs_method_find("umap"), &hs_method_umap);
    hs_params_release(&p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ab_published),
        cmocka_unit_test(test_smooth_knn),
        cmocka_unit_test(test_fuzzy_union),
        cmocka_unit_test(test_epoch_moves_other_end),
        cmocka_unit_test(test_slices_pull_across),
        cmocka_unit_test(test_coefficients_exact),
        cmocka_unit_test(test_disconnected_falls_back_to_pca),
        cmocka_unit_test(test_blobs_stay_separated),
        cmocka_unit_test(test_nan_outside_and_determinism),
        cmocka_unit_test(test_many_parts_determinism),
        cmocka_unit_test(test_slices_determinism),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

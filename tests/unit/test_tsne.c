/* Unit tests of t-SNE (src/tsne_*.c): each piece against its definition
 * computed here densely (entropies, the symmetrised P, the exact forces
 * and KL divergence), and the whole method on well-separated blobs,
 * with determinism, cancellation and out-of-memory paths. */
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

#include "knn.h"
#include "mem.h"
#include "method.h"
#include "par.h"
#include "trust.h"
#include "tsne.h"

static double *
noise(size_t n, double scale, uint64_t seed)
{
    double *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = scale * tu_box_muller(tu_unit(tu_splitmix(&seed)), tu_unit(tu_splitmix(&seed)));
    return v;
}

/* Each calibrated row: a distribution whose entropy is log(perplexity)
 * and which falls with the distance as exp(-beta d^2). */
static void
test_calibration(void **state)
{
    (void)state;
    size_t n = 300, k = 45;
    double *dist = malloc(n * k * sizeof *dist), *p = malloc(n * k * sizeof *p);
    uint64_t s = 4;
    struct hs_err err = {0};
    for (size_t i = 0; i < n; i++) {
        double d = 0.1 + 3 * tu_unit(tu_splitmix(&s));
        for (size_t j = 0; j < k; j++) {
            d += tu_unit(tu_splitmix(&s)) * (i % 3 == 0 ? 0.01 : 0.5);
            dist[i * k + j] = d;
        }
    }
    for (double perp = 5; perp <= 40; perp += 35) {
        assert_int_equal(hs_tsne_calibrate(dist, n, k, perp, p, 2, NULL, &err), HS_OK);
        for (size_t i = 0; i < n; i++) {
            double sum = 0, h = 0;
            for (size_t j = 0; j < k; j++) {
                sum += p[i * k + j];
                if (p[i * k + j] > 0)
                    h -= p[i * k + j] * log(p[i * k + j]);
            }
            assert_true(fabs(sum - 1) < 1e-12);
            if (fabs(h - log(perp)) > 1e-5)
                fail_msg("row %zu: entropy %.8f, log(%g) = %.8f", i, h, perp, log(perp));
            /* log p linear in d^2: the same beta from any two entries. */
            double b1 = log(p[i * k] / p[i * k + 1]) /
                        (dist[i * k + 1] * dist[i * k + 1] - dist[i * k] * dist[i * k]);
            double b2 = log(p[i * k] / p[i * k + k - 1]) /
                        (dist[i * k + k - 1] * dist[i * k + k - 1] - dist[i * k] * dist[i * k]);
            assert_true(fabs(b1 - b2) <= 1e-6 * fabs(b2));
        }
    }
    free(dist);
    free(p);
}

/* P from the whole pipeline against (C + C^T) / 2n built densely here
 * from a brute-force neighbour list: symmetric, summing to 1. */
static void
test_symmetric_p(void **state)
{
    (void)state;
    size_t n = 200, dim = 4, k = 15;
    double perp = 5;
    double *x = noise(n * dim, 1, 9), *dist = malloc(n * k * sizeof *dist);
    size_t *idx = malloc(n * k * sizeof *idx);
    double *c = malloc(n * k * sizeof *c), *dense = calloc(n * n, sizeof *dense);
    struct hs_tsne_p P;
    struct hs_err err = {0};

    assert_int_equal(hs_tsne_affinities(x, n, dim, perp, 0, &P, 2, NULL, &err), HS_OK);
    assert_int_equal(hs_knn_exact(x, n, dim, k, idx, dist, 1, NULL, &err), HS_OK);
    assert_int_equal(hs_tsne_calibrate(dist, n, k, perp, c, 1, NULL, &err), HS_OK);
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < k; m++) {
            dense[i * n + idx[i * k + m]] += c[i * k + m] / (2.0 * (double)n);
            dense[idx[i * k + m] * n + i] += c[i * k + m] / (2.0 * (double)n);
        }
    double total = 0;
    size_t nnz = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t e = P.rowptr[i]; e < P.rowptr[i + 1]; e++) {
            size_t j = P.col[e];
            if (e > P.rowptr[i])
                assert_true(P.col[e - 1] < j);
            assert_true(fabs(P.val[e] - dense[i * n + j]) < 1e-15);
            total += P.val[e];
        }
        for (size_t j = 0; j < n; j++)
            nnz += dense[i * n + j] > 0;
    }
    assert_int_equal(P.rowptr[n], nnz);
    assert_true(fabs(total - 1) < 1e-12);
    /* Symmetric: every (i, j) has its (j, i) with the same value. */
    for (size_t i = 0; i < n; i++)
        for (size_t e = P.rowptr[i]; e < P.rowptr[i + 1]; e++) {
            size_t j = P.col[e], f = P.rowptr[j];
            while (f < P.rowptr[j + 1] && P.col[f] != i)
                f++;
            assert_true(f < P.rowptr[j + 1]);
            assert_true(P.val[f] == P.val[e]);
        }
    hs_tsne_p_release(&P);
    /* Too few points for the perplexity. */
    assert_int_equal(hs_tsne_affinities(x, 6, dim, perp, 0, &P, 1, NULL, &err), HS_EDATA);
    free(x);
    free(dist);
    free(idx);
    free(c);
    free(dense);
}

/* The exact forces and Z by every pair. */
static void
exact_repulsion(const double *y, size_t n, size_t d, double *rep, double *Z)
{
    double z = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < d; c++)
            rep[i * d + c] = 0;
        for (size_t j = 0; j < n; j++) {
            double d2 = 0;
            if (j == i)
                continue;
            for (size_t c = 0; c < d; c++)
                d2 += (y[i * d + c] - y[j * d + c]) * (y[i * d + c] - y[j * d + c]);
            double w = 1 / (1 + d2);
            z += w;
            for (size_t c = 0; c < d; c++)
                rep[i * d + c] += w * w * (y[i * d + c] - y[j * d + c]);
        }
    }
    *Z = z;
}

/* The largest error of rep against the exact one, relative to the
 * largest exact force. */
static double
rel_error(const double *a, const double *b, size_t m)
{
    double e = 0, big = 0;
    for (size_t i = 0; i < m; i++) {
        e = fmax(e, fabs(a[i] - b[i]));
        big = fmax(big, fabs(b[i]));
    }
    return e / big;
}

/* y: three clumps of different spreads, with a few coincident points. */
static double *
test_embedding(size_t n, size_t d, double scale, uint64_t seed)
{
    double *y = noise(n * d, scale, seed);
    for (size_t i = 0; i < n; i++)
        y[i * d] += (double)(i % 3) * 4 * scale;
    memcpy(y + 5 * d, y + 4 * d, d * sizeof *y);
    memcpy(y + 6 * d, y + 4 * d, d * sizeof *y);
    return y;
}

static void
test_barnes_hut(void **state)
{
    (void)state;
    size_t n = 500;
    struct hs_err err = {0};
    for (size_t d = 1; d <= 3; d++) {
        double *y = test_embedding(n, d, 3, 40 + d), *ex = malloc(n * d * sizeof *ex),
               *bh = malloc(n * d * sizeof *bh), zex, zbh;
        exact_repulsion(y, n, d, ex, &zex);
        /* theta 0: every pair, exact to rounding. */
        assert_int_equal(hs_tsne_repulsion_bh(y, n, d, 0, bh, &zbh, 2, NULL, &err), HS_OK);
        assert_true(rel_error(bh, ex, n * d) < 1e-12);
        assert_true(fabs(zbh - zex) < 1e-12 * zex);
        /* theta 0.5: within a few percent of the largest force. */
        assert_int_equal(hs_tsne_repulsion_bh(y, n, d, 0.5, bh, &zbh, 2, NULL, &err), HS_OK);
        double e = rel_error(bh, ex, n * d);
        if (e > 0.05 || e == 0)
            fail_msg("d %zu: Barnes-Hut error %g", d, e);
        assert_true(fabs(zbh - zex) < 0.01 * zex);
        free(y);
        free(ex);
        free(bh);
    }
}

/* A 2-d map of n points: kind 0 uniform over 3 x 3 units, 1 five blobs
 * (sd 0.2 to 3) some 40 units apart, 2 uniform over 83 x 83 units, 3
 * eight blobs (sd 1 to 8) over some 300 units with as many points
 * scattered between them. */
static double *
test_map(int kind, size_t n, uint64_t seed)
{
    double *y = malloc(n * 2 * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        double u = tu_unit(tu_splitmix(&seed)), v = tu_unit(tu_splitmix(&seed));
        double side = kind == 0 ? 3 : kind == 2 ? 83 : 300;
        if (kind == 0 || kind == 2 || (kind == 3 && i % 2)) {
            y[2 * i] = side * u;
            y[2 * i + 1] = side * v;
        } else {
            size_t blob = kind == 1 ? i % 5 : i / 2 % 8;
            double sd = kind == 1 ? 0.2 + 0.7 * (double)blob : 1 + (double)blob;
            double g1 = tu_box_muller(u, v);
            double g2 = tu_box_muller(tu_unit(tu_splitmix(&seed)), tu_unit(tu_splitmix(&seed)));
            double r = kind == 1 ? 40 : 120;
            y[2 * i] = r * cos(1.3 * (double)blob) + sd * g1;
            y[2 * i + 1] = r * sin(1.3 * (double)blob) + sd * g2;
        }
    }
    return y;
}

/* FIt-SNE's interpolation against the exact sums, in 1 and 2
 * dimensions, for a compact and a wide embedding. */
static void
test_fft(void **state)
{
    (void)state;
    size_t n = 600;
    struct hs_err err = {0};
    struct hs_tsne_fft *ws = NULL;
    for (size_t d = 1; d <= 2; d++)
        for (double scale = 0.5; scale <= 20; scale *= 40) {
            double *y = test_embedding(n, d, scale, 50 + d), *ex = malloc(n * d * sizeof *ex),
                   *ff = malloc(n * d * sizeof *ff), zex, zff;
            exact_repulsion(y, n, d, ex, &zex);
            assert_int_equal(hs_tsne_repulsion_fft(&ws, y, n, d, 50, 1000, 3, ff, &zff, 2, NULL, &err),
                             HS_OK);
            double e = rel_error(ff, ex, n * d);
            /* Compact (many boxes per unit): interpolation is fine; wide
             * and sparse (boxes of width 1, FIt-SNE's default) it is
             * coarse near each point, as in FIt-SNE. */
            double tol = scale < 1 ? 1e-3 : 0.15, ztol = scale < 1 ? 1e-4 : 0.1;
            if (e > tol || fabs(zff - zex) > ztol * zex)
                fail_msg("d %zu scale %g: FFT force error %g, Z %g against %g", d, scale, e, zff,
                         zex);
            free(y);
            free(ex);
            free(ff);
        }
    hs_tsne_fft_release(ws);
    ws = NULL;
    double y3[9] = {0}, r3[9], z;
    assert_int_equal(hs_tsne_repulsion_fft(&ws, y3, 3, 3, 50, 200, 3, r3, &z, 1, NULL, &err),
                     HS_EUSAGE);
    hs_tsne_fft_release(ws);
}

/* The parallel paths give the same bits on one thread and on two (the
 * executor forced to use both), and a workspace reused across maps of
 * other extents (its kernel transform kept or remade) gives what a
 * fresh one gives.  With the boxes capped, a wide map is still summed
 * within a coarser tolerance of the exact sums. */
static void
test_fft_threads_and_cap(void **state)
{
    (void)state;
    size_t n = 9000, d = 2;
    struct hs_err err = {0};
    double *ya = test_embedding(n, d, 8, 55), *yb = test_embedding(n, d, 30, 56);
    double *r1 = malloc(n * d * sizeof *r1), *r2 = malloc(n * d * sizeof *r2), z1, z2;
    double *a1 = malloc(n * d * sizeof *a1), *a2 = malloc(n * d * sizeof *a2);
    struct hs_tsne_fft *w1 = NULL, *w2 = NULL;
    int old = hs_par_set_max_workers(2);
    for (int round = 0; round < 3; round++) {
        const double *y = round == 1 ? yb : ya;
        struct hs_tsne_fft *fresh = NULL;
        assert_int_equal(hs_tsne_repulsion_fft(&w1, y, n, d, 50, 200, 3, r1, &z1, 1, NULL, &err),
                         HS_OK);
        assert_int_equal(hs_tsne_repulsion_fft(&w2, y, n, d, 50, 200, 3, r2, &z2, 2, NULL, &err),
                         HS_OK);
        assert_true(tu_same_bits(z1, z2));
        for (size_t i = 0; i < n * d; i++)
            assert_true(tu_same_bits(r1[i], r2[i]));
        assert_int_equal(hs_tsne_repulsion_fft(&fresh, y, n, d, 50, 200, 3, r2, &z2, 2, NULL,
                                               &err),
                         HS_OK);
        hs_tsne_fft_release(fresh);
        assert_true(tu_same_bits(z1, z2));
        for (size_t i = 0; i < n * d; i++)
            assert_true(tu_same_bits(r1[i], r2[i]));
    }
    hs_tsne_fft_release(w1);
    hs_tsne_fft_release(w2);

    /* The attraction, on the 2-d path and the general one (with the KL term). */
    double *x = noise(n * 3, 1, 57), pl1, pl2;
    struct hs_tsne_p P;
    assert_int_equal(hs_tsne_affinities(x, n, 3, 10, 0, &P, 2, NULL, &err), HS_OK);
    hs_tsne_attraction(&P, ya, d, a1, NULL, 1);
    hs_tsne_attraction(&P, ya, d, a2, &pl1, 2);
    for (size_t i = 0; i < n * d; i++)
        assert_true(tu_same_bits(a1[i], a2[i]));
    hs_tsne_attraction(&P, ya, d, a1, &pl2, 1);
    assert_true(tu_same_bits(pl1, pl2));
    hs_tsne_p_release(&P);
    free(x);
    hs_par_set_max_workers(old);

    /* A sparse map some 800 units wide: with boxes of width 1 (the cap
     * above the count) the sums are within FIt-SNE's accuracy for such
     * maps; capped at 600 boxes (width 1.3) coarser but still close;
     * and capping quickly costs accuracy (the reason the cap is high). */
    size_t m = 800;
    double *yw = test_embedding(m, d, 60, 58), *ex = malloc(m * d * sizeof *ex), zex, e[3];
    const size_t caps[3] = {1000, 600, 200};
    const double tol[3] = {0.3, 0.5, 1e300}, ztol[3] = {0.15, 0.5, 1e300};
    struct hs_tsne_fft *wc = NULL;
    exact_repulsion(yw, m, d, ex, &zex);
    for (int c = 0; c < 3; c++) {
        assert_int_equal(hs_tsne_repulsion_fft(&wc, yw, m, d, 50, caps[c], 3, r1, &z1, 2, NULL,
                                               &err),
                         HS_OK);
        e[c] = rel_error(r1, ex, m * d);
        if (e[c] > tol[c] || fabs(z1 - zex) > ztol[c] * zex)
            fail_msg("cap %zu: FFT force error %g, Z %g against %g", caps[c], e[c], z1, zex);
    }
    assert_true(e[2] > 2 * e[0]);
    hs_tsne_fft_release(wc);
    free(yw);
    free(ex);
    free(ya);
    free(yb);
    free(r1);
    free(r2);
    free(a1);
    free(a2);
}

/* The plain grid's (split false) or the kernels' split's (boxes 2 units
 * wide, pairs within 2.5 summed directly: the optimiser's settings)
 * forces and Z on the maps of kinds first to last against the exact
 * sums, within tol[kind] and ztol[kind] relative; one thread and two
 * (the helpers woken whatever the load) give the same bits; a cancelled
 * task stops the split. */
static void
check_maps(int first, int last, bool split, const double *tol, const double *ztol)
{
    const size_t n = 3000, d = 2;
    struct hs_err err = {0};
    double *ex = malloc(n * d * sizeof *ex), *r1 = malloc(n * d * sizeof *r1),
           *r2 = malloc(n * d * sizeof *r2), zex, z1, z2;
    int old = hs_par_set_max_workers(2);
    bool gate = hs_par_set_gate(false);
    for (int kind = first; kind <= last; kind++) {
        double *y = test_map(kind, n, (split ? 80 : 70) + (uint64_t)kind);
        exact_repulsion(y, n, d, ex, &zex);
        struct hs_tsne_fft *w1 = NULL, *w2 = NULL;
        for (int t = 1; t <= 2; t++) {
            struct hs_tsne_fft **w = t == 1 ? &w1 : &w2;
            double *r = t == 1 ? r1 : r2, *z = t == 1 ? &z1 : &z2;
            int rc = split ? hs_tsne_repulsion_split(w, y, n, 2, 3, 2.5, 1000, r, z, t, NULL, &err)
                           : hs_tsne_repulsion_fft(w, y, n, d, 50, 1000, 3, r, z, t, NULL, &err);
            assert_int_equal(rc, HS_OK);
        }
        assert_true(tu_same_bits(z1, z2));
        for (size_t i = 0; i < n * d; i++)
            assert_true(tu_same_bits(r1[i], r2[i]));
        double e = rel_error(r1, ex, n * d);
        if (e > tol[kind] || fabs(z1 - zex) > ztol[kind] * zex)
            fail_msg("map %d (%s): force error %g, Z %g against %g", kind,
                     split ? "split" : "grid", e, z1, zex);
        if (split) {
            atomic_int flag = 1;
            struct hs_task task = {NULL, NULL, &flag};
            assert_int_equal(
                hs_tsne_repulsion_split(&w1, y, n, 2, 3, 2.5, 1000, r1, &z1, 2, &task, &err),
                HS_ECANCELLED);
        }
        hs_tsne_fft_release(w1);
        hs_tsne_fft_release(w2);
        free(y);
    }
    hs_par_set_gate(gate);
    hs_par_set_max_workers(old);
    free(ex);
    free(r1);
    free(r2);
}

/* The 2-d FFT path's parts (box rows, column batches, the tail batch
 * narrower than the others or not) on maps of three kinds: uniform and
 * compact (many boxes per unit), clustered (blobs of sd 0.2 to 3 some
 * 40 units apart, boxes about 1 wide), uniform and sparse (83 units:
 * 85 boxes, a half spectrum of 256 columns, no tail batch).  Against the
 * exact sums, and one thread and two (the helpers woken whatever the
 * machine's load) give the same bits. */
static void
test_fft_maps(void **state)
{
    (void)state;
    /* Measured: 1.1e-5, 0.088, 0.107 of the largest force; Z 5e-8, 0.0013, 0.0027. */
    const double tol[3] = {1e-4, 0.15, 0.2}, ztol[3] = {1e-6, 0.005, 0.01};
    check_maps(0, 2, false, tol, ztol);
}

/* The kernels' far part (tsne_split.c): the kernel itself from u_c on,
 * and inside it meets the kernel with its first two derivatives equal
 * at u_c (central differences of the kernel (1 + u)^-k). */
static void
test_far_kernel(void **state)
{
    (void)state;
    const double uc = 6.25, h = 1e-3;
    for (int k = 1; k <= 2; k++) {
        double f[3], g[3];
        for (int a = -1; a <= 1; a++) {
            f[a + 1] = pow(1 + uc + a * h, -k);
            g[a + 1] = hs_tsne_far_kernel(uc + a * h, uc, k);
        }
        assert_true(fabs(g[1] - f[1]) < 1e-15);
        assert_true(fabs(hs_tsne_far_kernel(uc + 1, uc, k) - pow(2 + uc, -k)) < 1e-15);
        /* Inside, the quadratic's first and second derivatives (its
         * differences below u_c, exact for a quadratic) are the
         * kernel's at u_c. */
        double q0 = hs_tsne_far_kernel(uc - 2 * h, uc, k), q1 = hs_tsne_far_kernel(uc - h, uc, k);
        double d1 = (3 * g[1] - 4 * q1 + q0) / (2 * h), d2 = (g[1] - 2 * q1 + q0) / (h * h);
        double e1 = (f[2] - f[0]) / (2 * h), e2 = (f[2] - 2 * f[1] + f[0]) / (h * h);
        if (fabs(d1 - e1) > 1e-6 * fabs(e1) || fabs(d2 - e2) > 1e-4 * fabs(e2))
            fail_msg("power %d: far derivatives %g %g, kernel's %g %g", k, d1, d2, e1, e2);
    }
}

/* The kernels' split (tsne_split.c) on clustered and sparse maps (kinds
 * 1 to 3, the last some 300 units wide as the optimiser's maps that
 * take it) against the exact sums. */
static void
test_split_maps(void **state)
{
    (void)state;
    /* Measured (kinds 1 to 3): 0.0092, 0.021, 0.022 of the largest force (the plain
     * grid's on kinds 1 and 2: 0.088, 0.107); Z 1.9e-4, 4.8e-5, 6.1e-4. */
    const double tol[4] = {0, 0.05, 0.05, 0.05}, ztol[4] = {0, 0.002, 0.002, 0.002};
    check_maps(1, 3, true, tol, ztol);
}

/* A map wider than 140 units takes the kernels' split in the optimiser:
 * the KL divergence of one iteration against dense sums (Z enters it
 * as log Z), and one thread and two give the same step. */
static void
test_split_in_optimiser(void **state)
{
    (void)state;
    size_t n = 2000, dim = 5, d = 2;
    double *x = noise(n * dim, 1, 63), *y = test_map(3, n, 64);
    struct hs_tsne_p P;
    struct hs_err err = {0};
    assert_int_equal(hs_tsne_affinities(x, n, dim, 10, 0, &P, 1, NULL, &err), HS_OK);
    double z = 0, kl = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (j != i)
                z += 1 / (1 + pow(y[i * d] - y[j * d], 2) + pow(y[i * d + 1] - y[j * d + 1], 2));
    for (size_t i = 0; i < n; i++)
        for (size_t e = P.rowptr[i]; e < P.rowptr[i + 1]; e++) {
            size_t j = P.col[e];
            double w = 1 / (1 + pow(y[i * d] - y[j * d], 2) + pow(y[i * d + 1] - y[j * d + 1], 2));
            kl += P.val[e] * log(P.val[e] / (w / z));
        }
    int old = hs_par_set_max_workers(2);
    bool gate = hs_par_set_gate(false);
    struct hs_tsne_opt opt[2];
    for (int t = 0; t < 2; t++) {
        struct hs_tsne_opts o = {.dims = d, .iterations = 10, .exag_iterations = 5,
                                 .exaggeration = 12, .learning_rate = 50,
                                 .repulsion = HS_TSNE_FFT, .threads = t + 1};
        assert_int_equal(hs_tsne_opt_init(&opt[t], &P, y, &o, &err), HS_OK);
        assert_int_equal(hs_tsne_opt_run(&opt[t], 2, true, NULL, &err), HS_OK);
    }
    for (size_t i = 0; i < n * d; i++)
        assert_true(tu_same_bits(opt[0].y[i], opt[1].y[i]));
    /* The KL of the second iteration's map; recompute the first's. */
    struct hs_tsne_opts o1 = opt[0].o;
    hs_tsne_opt_release(&opt[1]);
    assert_int_equal(hs_tsne_opt_init(&opt[1], &P, y, &o1, &err), HS_OK);
    assert_int_equal(hs_tsne_opt_run(&opt[1], 1, true, NULL, &err), HS_OK);
    /* Measured: 7.7e-4 (Z's relative error, as log Z; the plain grid's
     * on the sparse map of test_fft_maps is 2.7e-3). */
    if (fabs(opt[1].kl - kl) > 3e-3)
        fail_msg("KL %.12f, dense %.12f", opt[1].kl, kl);
    hs_par_set_gate(gate);
    hs_par_set_max_workers(old);
    hs_tsne_opt_release(&opt[0]);
    hs_tsne_opt_release(&opt[1]);
    hs_tsne_p_release(&P);
    free(x);
    free(y);
}

/* The optimiser's working form: P in single precision with its points
 * renumbered along the map's Hilbert curve; the attraction and its KL
 * share against dense sums over the caller's P. */
static void
test_working_form(void **state)
{
    (void)state;
    size_t n = 3000, dim = 5;
    double *x = noise(n * dim, 1, 71), *y = test_map(3, n, 72);
    struct hs_tsne_p P;
    struct hs_err err = {0};
    assert_int_equal(hs_tsne_affinities(x, n, dim, 10, 0, &P, 1, NULL, &err), HS_OK);
    uint32_t *from = malloc(n * sizeof *from);
    assert_int_equal(hs_tsne_hilbert_order(y, n, from), 0);
    /* A permutation, and one along which the points lie close: the path
     * through them is far shorter than in their own (random) order. */
    bool *seen = calloc(n, sizeof *seen);
    double walk = 0, walk0 = 0;
    for (size_t k = 0; k < n; k++) {
        assert_true(from[k] < n && !seen[from[k]]);
        seen[from[k]] = true;
        if (k) {
            walk += hypot(y[2 * from[k]] - y[2 * from[k - 1]],
                          y[2 * from[k] + 1] - y[2 * from[k - 1] + 1]);
            walk0 += hypot(y[2 * k] - y[2 * k - 2], y[2 * k + 1] - y[2 * k - 1]);
        }
    }
    if (walk > walk0 / 10)
        fail_msg("Hilbert path %g, index order %g", walk, walk0);
    struct hs_tsne_pc pc = {0};
    assert_int_equal(hs_tsne_pc_make(&P, from, &pc), 0);
    double *yh = malloc(2 * n * sizeof *yh), *attr = malloc(2 * n * sizeof *attr), plogw;
    for (size_t k = 0; k < n; k++)
        for (size_t c = 0; c < 2; c++)
            yh[2 * k + c] = y[2 * from[k] + c];
    hs_tsne_attraction_2d(&pc, yh, attr, &plogw, 2);
    double ref_plogw = 0;
    for (size_t k = 0; k < n; k++) {
        size_t i = from[k];
        double f[2] = {0, 0}, big = 0;
        for (size_t e = P.rowptr[i]; e < P.rowptr[i + 1]; e++) {
            size_t j = P.col[e];
            double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
            double w = 1 / (1 + dx * dx + dy * dy);
            f[0] += P.val[e] * w * dx;
            f[1] += P.val[e] * w * dy;
            big += P.val[e] * w * (fabs(dx) + fabs(dy));
            ref_plogw += P.val[e] * log(w);
        }
        /* single-precision P: 6e-8 of each term */
        for (size_t c = 0; c < 2; c++)
            if (fabs(attr[2 * k + c] - f[c]) > 1e-7 * big + 1e-300)
                fail_msg("point %zu: %g against %g", i, attr[2 * k + c], f[c]);
    }
    assert_true(fabs(plogw - ref_plogw) < 1e-6 * fabs(ref_plogw));
    hs_tsne_pc_release(&pc);
    hs_tsne_p_release(&P);
    free(seen);
    free(from);
    free(yh);
    free(attr);
    free(x);
    free(y);
}

/* The attraction and the KL divergence of one iteration against dense
 * sums: KL(P || Q) = sum p log(p / q) at the starting embedding. */
static void
test_attraction_and_kl(void **state)
{
    (void)state;
    size_t n = 150, dim = 5, d = 2;
    double *x = noise(n * dim, 1, 61), *y = noise(n * d, 2, 62);
    double *attr = malloc(n * d * sizeof *attr);
    struct hs_tsne_p P;
    struct hs_err err = {0};
    assert_int_equal(hs_tsne_affinities(x, n, dim, 10, 0, &P, 1, NULL, &err), HS_OK);

    double plogw;
    hs_tsne_attraction(&P, y, d, attr, &plogw, 2);
    double z = 0, kl = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (j != i)
                z += 1 / (1 + pow(y[i * d] - y[j * d], 2) + pow(y[i * d + 1] - y[j * d + 1], 2));
    for (size_t i = 0; i < n; i++) {
        double f[2] = {0, 0};
        for (size_t e = P.rowptr[i]; e < P.rowptr[i + 1]; e++) {
            size_t j = P.col[e];
            double w = 1 / (1 + pow(y[i * d] - y[j * d], 2) + pow(y[i * d + 1] - y[j * d + 1], 2));
            f[0] += P.val[e] * w * (y[i * d] - y[j * d]);
            f[1] += P.val[e] * w * (y[i * d + 1] - y[j * d + 1]);
            kl += P.val[e] * log(P.val[e] / (w / z));
        }
        assert_true(fabs(attr[i * d] - f[0]) < 1e-14);
        assert_true(fabs(attr[i * d + 1] - f[1]) < 1e-14);
    }

    struct hs_tsne_opt opt;
    struct hs_tsne_opts o = {.dims = d, .iterations = 10, .exag_iterations = 5,
                             .exaggeration = 12, .learning_rate = 50, .theta = 0,
                             .repulsion = HS_TSNE_BH, .threads = 1};
    assert_int_equal(hs_tsne_opt_init(&opt, &P, y, &o, &err), HS_OK);
    assert_int_equal(hs_tsne_opt_run(&opt, 1, true, NULL, &err), HS_OK);
    /* The optimiser holds P in single precision (6e-8 relative). */
    if (fabs(opt.kl - kl) > 1e-6 * kl)
        fail_msg("KL %.12f, dense %.12f", opt.kl, kl);
    assert_int_equal(opt.iter, 1);
    /* The update is the gradient step from y: 4 (12 attr - rep / Z) times
     * -lr (gain 0.8), for every point (the optimiser renumbers the points
     * of 2-d maps and must hand them back in their own order). */
    double zz;
    double *ex = malloc(n * d * sizeof *ex);
    exact_repulsion(y, n, d, ex, &zz);
    for (size_t i = 0; i < n * d; i++) {
        double g = 4 * (12 * attr[i] - ex[i] / zz), size = 4 * (12 * fabs(attr[i]) + fabs(ex[i] / zz));
        assert_true(fabs(opt.update[i] - (-50 * 0.8 * g)) < 1e-6 * size * 50 + 1e-15);
        /* the step, less the re-centring's shift (the same for all) */
        double shift = y[i % 2] + opt.update[i % 2] - opt.y[i % 2];
        assert_true(fabs(y[i] + opt.update[i] - opt.y[i] - shift) < 1e-12);
    }
    /* Taking P's arrays instead of copying them: the same step, and P
     * left empty. */
    struct hs_tsne_p Q = {.n = n};
    size_t nnz = P.rowptr[n];
    Q.rowptr = hs_malloc((n + 1) * sizeof *Q.rowptr);
    Q.col = hs_malloc(nnz * sizeof *Q.col);
    Q.val = hs_malloc(nnz * sizeof *Q.val);
    memcpy(Q.rowptr, P.rowptr, (n + 1) * sizeof *Q.rowptr);
    memcpy(Q.col, P.col, nnz * sizeof *Q.col);
    memcpy(Q.val, P.val, nnz * sizeof *Q.val);
    struct hs_tsne_opt taken;
    assert_int_equal(hs_tsne_opt_init_taking(&taken, &Q, y, &o, &err), HS_OK);
    assert_true(Q.rowptr == NULL && Q.col == NULL && Q.val == NULL);
    assert_int_equal(hs_tsne_opt_run(&taken, 1, true, NULL, &err), HS_OK);
    for (size_t i = 0; i < n * d; i++)
        assert_true(tu_same_bits(taken.update[i], opt.update[i]));
    assert_true(tu_same_bits(taken.kl, opt.kl));
    hs_tsne_opt_release(&taken);
    hs_tsne_opt_release(&opt);
    hs_tsne_p_release(&P);
    free(ex);
    free(x);
    free(y);
    free(attr);
}

/* ---- the method ---- */

struct blobs {
    size_t n, dim;
    double *cols; /* dim columns of n */
    const double *x[10];
    double *rows; /* n x dim */
    int *blob;
};

/* k blobs of per points in dim dimensions, centres 10 sd apart. */
static void
blobs_make(struct blobs *b, size_t k, size_t per, size_t dim, uint64_t seed)
{
    b->n = k * per;
    b->dim = dim;
    b->cols = noise(b->n * dim, 1, seed);
    b->rows = malloc(b->n * dim * sizeof *b->rows);
    b->blob = malloc(b->n * sizeof *b->blob);
    for (size_t i = 0; i < b->n; i++) {
        b->blob[i] = (int)(i % k);
        for (size_t c = 0; c < dim; c++) {
            b->cols[c * b->n + i] += (c == (size_t)b->blob[i] % dim) ? 10.0 : 0.0;
            b->rows[i * dim + c] = b->cols[c * b->n + i];
        }
    }
    for (size_t c = 0; c < dim; c++)
        b->x[c] = b->cols + c * b->n;
}

static void
blobs_free(struct blobs *b)
{
    free(b->cols);
    free(b->rows);
    free(b->blob);
}

static int
fit(const struct blobs *b, const char *const *opts, const unsigned char *part, int threads,
    double **y, size_t *dy, double *kl, const struct hs_task *task, struct hs_err *err)
{
    struct hs_params p;
    struct hs_method_data d = {.n = b->n, .nin = b->dim, .x = b->x, .part = part,
                               .threads = threads};
    void *state;
    bool cancelled;
    int rc;
    rc = hs_method_params(&hs_method_tsne, &p, err);
    if (rc)
        return rc;
    for (size_t i = 0; opts[i]; i += 2)
        assert_int_equal(hs_params_set(&p, opts[i], opts[i + 1], err), HS_OK);
    rc = hs_method_tsne.check(&p, err);
    if (rc == HS_OK)
        rc = hs_method_fit(&hs_method_tsne, &p, &d, NULL, NULL, &state, &cancelled, task, err);
    if (rc == HS_OK) {
        struct hs_method_report r;
        rc = hs_method_tsne.coords(state, y, dy, err);
        hs_method_tsne.report(state, &r);
        *kl = r.kl;
        assert_true(r.nepochs > 0 && r.curve[r.nepochs - 1].loss == r.kl);
        hs_method_tsne.free(state);
    }
    hs_params_release(&p);
    return rc;
}

/* The fraction of points whose 10 nearest embedded neighbours are all
 * of their own blob. */
static double
separation(const struct blobs *b, const double *y, size_t dy)
{
    size_t *idx = malloc(b->n * 10 * sizeof *idx), pure = 0;
    struct hs_err err = {0};
    assert_int_equal(hs_knn_exact(y, b->n, dy, 10, idx, NULL, 1, NULL, &err), HS_OK);
    for (size_t i = 0; i < b->n; i++) {
        size_t same = 0;
        for (size_t m = 0; m < 10; m++)
            same += b->blob[idx[i * 10 + m]] == b->blob[i];
        pure += same == 10;
    }
    free(idx);
    return (double)pure / (double)b->n;
}

static void
test_blobs(void **state)
{
    (void)state;
    struct blobs b;
    struct hs_err err = {0};
    const char *const methods[] = {"bh", "fft"};
    blobs_make(&b, 4, 300, 8, 71);
    for (int m = 0; m < 2; m++) {
        const char *opts[] = {"method", methods[m], "iterations", "500", NULL};
        double *y, kl, t;
        size_t dy;
        assert_int_equal(fit(&b, opts, NULL, 2, &y, &dy, &kl, NULL, &err), HS_OK);
        assert_int_equal(dy, 2);
        assert_int_equal(hs_trustworthiness(b.rows, b.dim, y, dy, b.n, 10, 5000, 1, &t, 2, NULL,
                                            &err),
                         HS_OK);
        double sep = separation(&b, y, dy);
        if (t < 0.95 || sep < 0.99 || !(kl > 0 && kl < 3))
            fail_msg("%s: trustworthiness %.4f, separated %.4f, KL %.4f", methods[m], t, sep, kl);
        free(y);
    }
    blobs_free(&b);
}

/* Same seed, same output, bit for bit: one thread twice, and two threads
 * (the work is split in fixed blocks, so also the same).  Rows outside
 * the fitted part are NaN. */
static void
test_determinism(void **state)
{
    (void)state;
    struct blobs b;
    struct hs_err err = {0};
    blobs_make(&b, 3, 200, 5, 81);
    unsigned char *part = calloc(b.n, 1);
    part[7] = 1;
    part[100] = 2;
    const char *const inits[] = {"pca", "random"}, *const methods[] = {"bh", "fft"};
    for (int v = 0; v < 2; v++) {
        const char *opts[] = {"method", methods[v], "init", inits[v], "iterations", "120",
                              "seed", "5", NULL};
        double *y1, *y2, *y3, kl;
        size_t dy;
        assert_int_equal(fit(&b, opts, part, 1, &y1, &dy, &kl, NULL, &err), HS_OK);
        assert_int_equal(fit(&b, opts, part, 1, &y2, &dy, &kl, NULL, &err), HS_OK);
        assert_int_equal(fit(&b, opts, part, 2, &y3, &dy, &kl, NULL, &err), HS_OK);
        for (size_t i = 0; i < b.n * dy; i++) {
            assert_true(tu_same_bits(y1[i], y2[i]));
            assert_true(tu_same_bits(y1[i], y3[i]));
            assert_true(isnan(y1[i]) == (i / dy == 7 || i / dy == 100));
        }
        free(y1);
        free(y2);
        free(y3);
    }
    /* A different seed with a random start gives a different map. */
    const char *o1[] = {"init", "random", "iterations", "60", "seed", "1", NULL};
    const char *o2[] = {"init", "random", "iterations", "60", "seed", "2", NULL};
    double *y1, *y2, kl;
    size_t dy;
    assert_int_equal(fit(&b, o1, NULL, 1, &y1, &dy, &kl, NULL, &err), HS_OK);
    assert_int_equal(fit(&b, o2, NULL, 1, &y2, &dy, &kl, NULL, &err), HS_OK);
    assert_true(memcmp(y1, y2, b.n * dy * sizeof *y1) != 0);
    free(y1);
    free(y2);
    free(part);
    blobs_free(&b);
}

static void
test_cancel_and_errors(void **state)
{
    (void)state;
    struct blobs b;
    struct hs_err err = {0};
    double *y, kl;
    size_t dy;
    blobs_make(&b, 2, 1500, 6, 91);
    /* Cancelled part way: in the neighbour search, then in the iterations. */
    for (double at = 0.2; at < 1; at += 0.6) {
        struct tu_cancel_at c = {.at = at};
        struct hs_task task = {tu_cancel_at_progress, &c, &c.flag};
        const char *opts[] = {"iterations", "400", NULL};
        atomic_init(&c.flag, 0);
        int rc = fit(&b, opts, NULL, 2, &y, &dy, &kl, &task, &err);
        assert_true(rc == HS_ECANCELLED || rc == HS_OK);
        if (rc == HS_OK) /* stopped after a step: what it had is kept */
            free(y);
        assert_true(atomic_load(&c.flag));
    }
    /* Cancelled before it starts. */
    {
        atomic_int flag = 1;
        struct hs_task task = {NULL, NULL, &flag};
        const char *opts[] = {NULL};
        assert_int_equal(fit(&b, opts, NULL, 1, &y, &dy, &kl, &task, &err), HS_ECANCELLED);
    }
    const char *fft3[] = {"method", "fft", "dims", "3", NULL};
    assert_int_equal(fit(&b, fft3, NULL, 1, &y, &dy, &kl, NULL, &err), HS_EUSAGE);
    blobs_free(&b);

    /* Fewer points than the perplexity needs. */
    blobs_make(&b, 2, 10, 3, 92);
    const char *none[] = {NULL};
    assert_int_equal(fit(&b, none, NULL, 1, &y, &dy, &kl, NULL, &err), HS_EDATA);
    blobs_free(&b);
}

static void
test_out_of_memory(void **state)
{
    (void)state;
    struct blobs b;
    struct hs_err err = {0};
    blobs_make(&b, 2, 60, 4, 93);
    const char *opts[] = {"perplexity", "10", "iterations", "60", NULL};
    for (long fail = 0;; fail++) {
        double *y = NULL, kl;
        size_t dy;
        hs_mem_fail_after(fail);
        int rc = fit(&b, opts, NULL, 2, &y, &dy, &kl, NULL, &err);
        hs_mem_fail_after(-1);
        assert_true(rc == HS_OK || rc == HS_ENOMEM);
        if (rc == HS_OK) {
            free(y);
            break;
        }
        assert_true(fail < 10000);
    }
    blobs_free(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calibration),      cmocka_unit_test(test_symmetric_p),
        cmocka_unit_test(test_barnes_hut),       cmocka_unit_test(test_fft),
        cmocka_unit_test(test_fft_threads_and_cap), cmocka_unit_test(test_fft_maps),
        cmocka_unit_test(test_far_kernel),       cmocka_unit_test(test_split_maps),
        cmocka_unit_test(test_split_in_optimiser), cmocka_unit_test(test_working_form),
        cmocka_unit_test(test_attraction_and_kl), cmocka_unit_test(test_blobs),
        cmocka_unit_test(test_determinism),      cmocka_unit_test(test_cancel_and_errors),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

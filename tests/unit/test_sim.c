/* Unit tests of the demo generator (src/sim*.c): physics checked against
 * formulas written out here, not against the generator's own helpers. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "mem.h"
#include "sim.h"
#include "sim_kin.h"
#include "table.h"

#define M_MU 0.10566
#define M_PI_C 0.13957
#define M_PI0 0.13498
#define NPER 1500 /* truth events per mass point */

static const char *const names_mumunu[] = {
    "E_mu_plus", "E_mu_minus", "p_mu_plus_x", "p_mu_minus_x", "p_mu_plus_y",
    "p_mu_minus_y", "p_mu_plus_z", "p_mu_minus_z", "vx", "vy", "vz", "doca", "ip",
    "HNL_mass", "Truth",
};

static double
grid_mass(int i)
{
    return 0.5 + 0.25 * i;
}

static gsl_rng *
new_rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(hs_sim_rng_type());
    assert_non_null(r);
    gsl_rng_set(r, seed);
    return r;
}

/* E^2 - |p|^2 in long double, so that only the doubles' own rounding is left. */
static long double
msq(const double *q)
{
    long double e = q[0], x = q[1], y = q[2], z = q[3];
    return e * e - x * x - y * y - z * z;
}

/* The invariant mass of a + b. */
static double
pair_mass(const double *a, const double *b)
{
    double s[4];
    for (int k = 0; k < 4; k++)
        s[k] = a[k] + b[k];
    return sqrtl(fmaxl(msq(s), 0));
}

/* A four-vector's mass is m: |E^2 - p^2 - m^2| within 1e-9 m^2, or within
 * the floor that rounding to doubles sets: a few ulps of E^2, or of e0^2
 * where e0 is the scale of the numbers the four-vector was computed from
 * (the energy in the rest frame it was boosted from, whose rounding the
 * invariant carries along; the parent's mass for a rest-frame momentum
 * made as a difference). */
static void
assert_on_shell_from(const double *q, double m, double e0)
{
    long double d = fabsl(msq(q) - (long double)m * m);
    long double tol = 1e-9L * m * m + 16.0L * DBL_EPSILON * ((long double)q[0] * q[0] + e0 * e0);
    if (!(d <= tol))
        fail_msg("E^2 - p^2 = %.17Lg, m^2 = %.17g (E = %g)", msq(q), m * m, q[0]);
}

static void
assert_on_shell(const double *q, double m)
{
    assert_on_shell_from(q, m, 0);
}

/* Inside the frustum: 1.0 x 2.7 m at z = 32 m to 4.0 x 6.2 m at z = 82 m. */
static int
in_frustum(const double *v, double slack)
{
    double f = (v[2] - 32.0) / 50.0;
    return v[2] >= 32.0 - slack && v[2] <= 82.0 + slack &&
           fabs(v[0]) <= 0.5 + 1.5 * f + slack && fabs(v[1]) <= 1.35 + 1.75 * f + slack;
}

/* The line from v along q reaches z = 95 m inside 4 x 6 m. */
static int
at_station(const double *v, const double *q)
{
    double t = (95.0 - v[2]) / q[3];
    return q[3] > 0 && fabs(v[0] + t * q[1]) <= 2.0 + 1e-9 && fabs(v[1] + t * q[2]) <= 3.0 + 1e-9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of the values of column `col` in rows whose Truth is `truth`. */
static double
median_of(const struct hs_table *t, const char *col, double truth)
{
    long c = hs_table_find(t, col), l = hs_table_find(t, "Truth");
    double *v = malloc(t->nrows * sizeof *v), med;
    size_t n = 0;

    assert_true(c >= 0 && l >= 0);
    for (size_t i = 0; i < t->nrows; i++)
        if (t->cols[l].v[i] == truth)
            v[n++] = t->cols[c].v[i];
    assert_true(n > 0);
    qsort(v, n, sizeof *v, cmp_double);
    med = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    free(v);
    return med;
}

static struct hs_table *
generate(enum hs_sim_channel ch, size_t ns, size_t nb, double mass, unsigned long seed)
{
    struct hs_sim_config c;
    struct hs_table *t = NULL;
    struct hs_err err;

    hs_sim_config_init(&c);
    c.channel = ch;
    c.n_signal = ns;
    c.n_background = nb;
    c.mass = mass;
    c.seed = seed;
    if (hs_sim_generate(&c, &t, NULL, &err) != HS_OK)
        fail_msg("generate: %s", err.msg);
    return t;
}

static void
test_config(void **state)
{
    struct hs_sim_config c;
    enum hs_sim_channel ch;
    struct hs_err err;
    double m[HS_SIM_NMASS];

    (void)state;
    hs_sim_config_init(&c);
    assert_int_equal(c.channel, HS_SIM_MUMUNU);
    assert_int_equal(c.n_signal, 20000);
    assert_int_equal(c.n_background, 200000);
    assert_true(c.mass == 0.0);
    assert_int_equal(c.seed, 1);
    assert_int_equal(hs_sim_channel_parse("murho", &ch, &err), HS_OK);
    assert_int_equal(ch, HS_SIM_MURHO);
    assert_int_equal(hs_sim_channel_parse("mumu", &ch, &err), HS_EUSAGE);
    assert_non_null(strstr(err.msg, "'mumu'"));
    assert_string_equal(hs_sim_channel_name(HS_SIM_MUMUNU), "mumunu");

    /* All 21 grid points for mumunu; for murho those above m_mu + m_rho. */
    assert_int_equal(hs_sim_masses(HS_SIM_MUMUNU, 0, m), 21);
    for (int i = 0; i < 21; i++)
        assert_true(fabs(m[i] - grid_mass(i)) < 1e-12);
    assert_int_equal(hs_sim_masses(HS_SIM_MURHO, 0, m), 19);
    assert_true(fabs(m[0] - 1.0) < 1e-12 && fabs(m[18] - 5.5) < 1e-12);
    assert_true(m[0] > M_MU + 0.775);
    assert_int_equal(hs_sim_masses(HS_SIM_MURHO, 2.5, m), 1);
}

static void
test_bad_config(void **state)
{
    struct hs_sim_config c;
    struct hs_table *t = NULL;
    struct hs_err err;

    (void)state;
    hs_sim_config_init(&c);
    c.n_signal = 0;
    assert_int_equal(hs_sim_generate(&c, &t, NULL, &err), HS_EUSAGE);
    assert_null(t);
    hs_sim_config_init(&c);
    c.mass = 7.5;
    assert_int_equal(hs_sim_generate(&c, &t, NULL, &err), HS_ERANGE);
    assert_non_null(strstr(err.msg, "7.5"));
    c.mass = -1;
    assert_int_equal(hs_sim_generate(&c, &t, NULL, &err), HS_ERANGE);
    c.channel = HS_SIM_MURHO;
    c.mass = 0.75; /* below m_mu + m_rho */
    assert_int_equal(hs_sim_generate(&c, &t, NULL, &err), HS_ERANGE);
    c.channel = (enum hs_sim_channel)7;
    c.mass = 0;
    assert_int_equal(hs_sim_generate(&c, &t, NULL, &err), HS_EUSAGE);
    assert_null(t);
}

static void
test_table_layout(void **state)
{
    struct hs_table *t = generate(HS_SIM_MUMUNU, 2100, 21000, 0, 5);
    long li = hs_table_find(t, "Truth"), mi = hs_table_find(t, "HNL_mass");
    size_t nsig, nbkg, per_mass[21] = {0};

    (void)state;
    assert_int_equal(t->nrows, 23100);
    assert_int_equal(t->ncols, HS_SIM_NCOLS + 1);
    for (int j = 0; j < HS_SIM_NCOLS; j++) {
        assert_string_equal(t->cols[j].name, names_mumunu[j]);
        assert_string_equal(hs_sim_column_name(HS_SIM_MUMUNU, (size_t)j), names_mumunu[j]);
    }
    assert_string_equal(t->cols[HS_SIM_NCOLS].name, HS_LABEL_NAME);
    assert_true(t->cols[HS_SIM_NCOLS].synthetic);
    assert_int_equal(t->cols[li].role, HS_ROLE_LABEL_SRC);
    assert_int_equal(t->cols[mi].role, HS_ROLE_GROUP);
    assert_false(hs_table_is_feature(t, (size_t)mi));
    assert_false(hs_table_is_feature(t, (size_t)li));
    assert_true(hs_table_is_feature(t, 0));
    assert_ptr_equal(hs_table_group(t), &t->cols[mi]);

    /* The class ratio exactly, and the masses spread evenly. */
    hs_table_class_counts(t, &nsig, &nbkg);
    assert_int_equal(nsig, 2100);
    assert_int_equal(nbkg, 21000);
    for (size_t i = 0; i < t->nrows; i++) {
        double m = t->cols[mi].v[i], truth = t->cols[li].v[i];
        assert_true(truth == 0.0 || truth == 1.0);
        assert_true(hs_table_label(t)[i] == truth);
        if (truth == 0.0) {
            assert_true(m == 0.0);
            continue;
        }
        int k = (int)lround((m - 0.5) / 0.25);
        assert_true(k >= 0 && k < 21 && fabs(m - grid_mass(k)) < 1e-12);
        per_mass[k]++;
    }
    for (int k = 0; k < 21; k++)
        assert_int_equal(per_mass[k], 100);
    /* Interleaved, not signal first: both classes in the first 100 rows. */
    size_t first = 0;
    for (size_t i = 0; i < 100; i++)
        first += t->cols[li].v[i] == 1.0;
    assert_true(first > 0 && first < 100);
    hs_table_free(t);
}

static void
test_block_ratio(void **state)
{
    /* 2 blocks: each holds its share of the signal, rounded down at the
     * block's end: floor(65536 * 8000 / 88000) = 5957 in the first. */
    struct hs_table *t = generate(HS_SIM_MUMUNU, 8000, 80000, 2.0, 9);
    long li = hs_table_find(t, "Truth");
    size_t s0 = 0, s1 = 0;

    (void)state;
    for (size_t i = 0; i < t->nrows; i++)
        *(i < HS_SIM_BLOCK ? &s0 : &s1) += t->cols[li].v[i] == 1.0;
    assert_int_equal(s0, 5957);
    assert_int_equal(s1, 8000 - 5957);
    assert_true(fabs(median_of(t, "HNL_mass", 1.0) - 2.0) < 1e-12);
    hs_table_free(t);
}

static void
test_reproducible(void **state)
{
    struct hs_table *a = generate(HS_SIM_MUMUNU, 700, 7000, 0, 42);
    struct hs_table *b = generate(HS_SIM_MUMUNU, 700, 7000, 0, 42);
    struct hs_table *c = generate(HS_SIM_MUMUNU, 700, 7000, 0, 43);
    int differ = 0;

    (void)state;
    assert_int_equal(a->nrows, b->nrows);
    for (size_t j = 0; j < a->ncols; j++) {
        /* Bit for bit: the point of a seed. */
        assert_memory_equal(a->cols[j].v, b->cols[j].v, a->nrows * sizeof(double));
        differ += memcmp(a->cols[j].v, c->cols[j].v, a->nrows * sizeof(double)) != 0;
    }
    /* Another seed: every column differs (HNL_mass, Truth and the label
     * too, since the order is shuffled). */
    assert_int_equal(differ, (int)a->ncols);
    hs_table_free(a);
    hs_table_free(b);
    hs_table_free(c);
}

static void
test_threads(void **state)
{
    /* Bit-identical for 1, 2 and 3 threads: every block has its own stream. */
#ifdef _OPENMP
    int saved = omp_get_max_threads();
    struct hs_table *a, *b, *c;

    (void)state;
    omp_set_num_threads(1);
    a = generate(HS_SIM_MUMUNU, 1000, 2 * HS_SIM_BLOCK + 1000, 0, 77);
    omp_set_num_threads(2);
    b = generate(HS_SIM_MUMUNU, 1000, 2 * HS_SIM_BLOCK + 1000, 0, 77);
    omp_set_num_threads(3);
    c = generate(HS_SIM_MUMUNU, 1000, 2 * HS_SIM_BLOCK + 1000, 0, 77);
    omp_set_num_threads(saved);
    for (size_t j = 0; j < a->ncols; j++) {
        assert_memory_equal(a->cols[j].v, b->cols[j].v, a->nrows * sizeof(double));
        assert_memory_equal(a->cols[j].v, c->cols[j].v, a->nrows * sizeof(double));
    }
    hs_table_free(a);
    hs_table_free(b);
    hs_table_free(c);
#else
    (void)state;
    skip();
#endif
}

/* For every grid mass: the truth of NPER signal events. */
static void
test_signal_kinematics(void **state)
{
    gsl_rng *r = new_rng(11);
    struct hs_sim_truth ev;

    (void)state;
    for (int i = 0; i < 21; i++) {
        double M = grid_mass(i), m12max = 0, m12min = INFINITY;
        for (int n = 0; n < NPER; n++) {
            double sum[4] = {0}, m12, cr[3];
            assert_int_equal(hs_sim_signal_event(HS_SIM_MUMUNU, M, r, &ev), HS_OK);
            assert_true(ev.signal && ev.mass == M);
            /* On shell in the lab before smearing: the muons and the
             * massless neutrino, and the HNL itself. */
            assert_on_shell_from(ev.lab[0], M_MU, ev.rest[0][0]);
            assert_on_shell_from(ev.lab[1], M_MU, ev.rest[1][0]);
            assert_on_shell_from(ev.lab[2], 0.0, ev.rest[2][0]);
            assert_on_shell(ev.hnl, M);
            /* (the rest frame's momenta come from sums of size M) */
            assert_on_shell_from(ev.rest[0], M_MU, M);
            assert_on_shell_from(ev.rest[1], M_MU, M);
            assert_on_shell_from(ev.rest[2], 0.0, M);
            /* Rest frame: the three four-momenta add up to (M, 0, 0, 0). */
            for (int p = 0; p < 3; p++)
                for (int k = 0; k < 4; k++)
                    sum[k] += ev.rest[p][k];
            assert_true(fabs(sum[0] - M) < 1e-12 * M);
            assert_true(fabs(sum[1]) < 1e-12 * M && fabs(sum[2]) < 1e-12 * M &&
                        fabs(sum[3]) < 1e-12 * M);
            /* Lab: they add up to the HNL's four-momentum. */
            for (int k = 0; k < 4; k++) {
                double s = ev.lab[0][k] + ev.lab[1][k] + ev.lab[2][k];
                assert_true(fabs(s - ev.hnl[k]) < 1e-11 * ev.hnl[0]);
            }
            /* m(mu+ mu-) between 2 m_mu and M - m_nu = M. */
            m12 = pair_mass(ev.lab[0], ev.lab[1]);
            assert_true(m12 <= M * (1 + 1e-9));
            assert_true(m12 >= 2 * M_MU * (1 - 1e-9));
            assert_true(fabs(m12 - pair_mass(ev.rest[0], ev.rest[1])) < 1e-7 * M);
            m12max = fmax(m12max, m12);
            m12min = fmin(m12min, m12);
            /* Decay inside the volume, on the HNL's line from the target,
             * and both muons reach the station. */
            assert_true(in_frustum(ev.vertex, 0));
            cr[0] = ev.vertex[1] * ev.hnl[3] - ev.vertex[2] * ev.hnl[2];
            cr[1] = ev.vertex[2] * ev.hnl[1] - ev.vertex[0] * ev.hnl[3];
            cr[2] = ev.vertex[0] * ev.hnl[2] - ev.vertex[1] * ev.hnl[1];
            assert_true(sqrt(cr[0] * cr[0] + cr[1] * cr[1] + cr[2] * cr[2]) <
                        1e-9 * ev.vertex[2] * ev.hnl[0]);
            assert_true(at_station(ev.vertex, ev.lab[0]));
            assert_true(at_station(ev.vertex, ev.lab[1]));
        }
        /* Phase space reaches across the allowed range. */
        assert_true(m12max > 0.85 * M);
        assert_true(m12min < 2 * M_MU + 0.15 * (M - 2 * M_MU));
    }
    gsl_rng_free(r);
}

/* m23^2 bounds at fixed m12^2 (PDG, kinematics, eq. 49.23), for M -> mu+ mu- nu. */
static void
dalitz_bounds(double M, double m12s, double *lo, double *hi)
{
    double m12 = sqrt(m12s);
    double e2 = m12 / 2, e3 = (M * M - m12s) / (2 * m12);
    double q2 = sqrt(fmax(e2 * e2 - M_MU * M_MU, 0)), q3 = e3;
    *lo = (e2 + e3) * (e2 + e3) - (q2 + q3) * (q2 + q3);
    *hi = (e2 + e3) * (e2 + e3) - (q2 - q3) * (q2 - q3);
}

static void
test_dalitz(void **state)
{
    /* The rest-frame decay alone (before the station's acceptance, which
     * is not flat over the Dalitz plot): the variables lie inside the
     * boundary and fill it uniformly.  The region's area and its first
     * moments in m12^2 and m23^2 are integrated here (midpoint rule); the
     * sample means must match within 5 standard errors, and as many events
     * fall on each side of the m12^2 that halves the area.  The decay is
     * isotropic: <cos theta> = 0 and <cos^2 theta> = 1/3 for the mu+. */
    const double m3[3] = {M_MU, M_MU, 0.0};
    const int N = 40000, K = 20000;
    gsl_rng *r = new_rng(12);
    double rest[3][4];

    (void)state;
    for (double M = 0.5; M < 6; M += 2.5) {
        const double a = 4 * M_MU * M_MU, b = M * M;
        double area = 0, m1x = 0, m1y = 0, half = 0, cut = b, lo, hi;
        double s12 = 0, q12 = 0, s23 = 0, q23 = 0, c1 = 0, c2 = 0;
        int below = 0;

        for (int k = 0; k < K; k++) {
            double x = a + (b - a) * (k + 0.5) / K;
            dalitz_bounds(M, x, &lo, &hi);
            area += hi - lo;
            m1x += x * (hi - lo);
            m1y += 0.5 * (hi * hi - lo * lo);
        }
        for (int k = 0; k < K; k++) {
            double x = a + (b - a) * (k + 0.5) / K;
            dalitz_bounds(M, x, &lo, &hi);
            half += hi - lo;
            if (half >= area / 2) {
                cut = x;
                break;
            }
        }
        for (int n = 0; n < N; n++) {
            double x, y, p, c;
            hs_sim_decay_3body(M, m3, r, rest);
            x = pow(pair_mass(rest[0], rest[1]), 2);
            y = pow(pair_mass(rest[1], rest[2]), 2);
            dalitz_bounds(M, x, &lo, &hi);
            assert_true(x >= a * (1 - 1e-9) && x <= b * (1 + 1e-9));
            assert_true(y >= lo - 1e-9 * b && y <= hi + 1e-9 * b);
            s12 += x, q12 += x * x, s23 += y, q23 += y * y;
            below += x < cut;
            p = sqrt(rest[0][1] * rest[0][1] + rest[0][2] * rest[0][2] + rest[0][3] * rest[0][3]);
            c = rest[0][3] / p;
            c1 += c;
            c2 += c * c;
        }
        s12 /= N, q12 = sqrt(q12 / N - s12 * s12), s23 /= N, q23 = sqrt(q23 / N - s23 * s23);
        assert_true(fabs(s12 - m1x / area) < 5 * q12 / sqrt(N));
        assert_true(fabs(s23 - m1y / area) < 5 * q23 / sqrt(N));
        assert_true(fabs(below - N / 2.0) < 5 * sqrt(N / 4.0));
        assert_true(fabs(c1 / N) < 5 * sqrt(1.0 / 3 / N));
        assert_true(fabs(c2 / N - 1.0 / 3) < 5 * sqrt(4.0 / 45 / N));
    }
    gsl_rng_free(r);
}

static void
test_murho_kinematics(void **state)
{
    gsl_rng *r = new_rng(14);
    struct hs_sim_truth ev;
    double m[HS_SIM_NMASS], rho_med[2000];
    size_t nm = hs_sim_masses(HS_SIM_MURHO, 0, m);

    (void)state;
    assert_int_equal(hs_sim_signal_event(HS_SIM_MURHO, 0.75, r, &ev), HS_ERANGE);
    for (size_t i = 0; i < nm; i++) {
        double M = m[i];
        for (int n = 0; n < 500; n++) {
            double sum[4] = {0}, rho[4], mvis;
            assert_int_equal(hs_sim_signal_event(HS_SIM_MURHO, M, r, &ev), HS_OK);
            assert_on_shell_from(ev.rest[0], M_MU, M);
            assert_on_shell_from(ev.rest[1], M_PI_C, M);
            assert_on_shell_from(ev.rest[2], M_PI0, M);
            assert_on_shell_from(ev.lab[0], M_MU, ev.rest[0][0]);
            assert_on_shell_from(ev.lab[1], M_PI_C, ev.rest[1][0]);
            assert_on_shell_from(ev.lab[2], M_PI0, ev.rest[2][0]);
            for (int p = 0; p < 3; p++)
                for (int k = 0; k < 4; k++)
                    sum[k] += ev.rest[p][k];
            assert_true(fabs(sum[0] - M) < 1e-12 * M);
            assert_true(fabs(sum[1]) < 1e-12 * M && fabs(sum[2]) < 1e-12 * M &&
                        fabs(sum[3]) < 1e-12 * M);
            /* The pi- pi0 pair is the rho, inside its kinematic range. */
            for (int k = 0; k < 4; k++)
                rho[k] = ev.rest[1][k] + ev.rest[2][k];
            assert_true(fabsl(sqrtl(msq(rho)) - ev.m_rho) < 1e-9L);
            assert_true(ev.m_rho >= M_PI_C + M_PI0 - 1e-12 && ev.m_rho <= M - M_MU + 1e-12);
            /* The visible pair: m(mu pi) <= M - m_pi0. */
            mvis = pair_mass(ev.lab[0], ev.lab[1]);
            assert_true(mvis <= (M - M_PI0) * (1 + 1e-9));
            assert_true(mvis >= (M_MU + M_PI_C) * (1 - 1e-9));
            assert_true(in_frustum(ev.vertex, 0));
            assert_true(at_station(ev.vertex, ev.lab[0]) && at_station(ev.vertex, ev.lab[1]));
            if (i == nm - 1 && n < 500)
                rho_med[n] = ev.m_rho;
        }
    }
    /* At 5.5 GeV the Breit-Wigner is barely cut: its median is its peak. */
    qsort(rho_med, 500, sizeof(double), cmp_double);
    assert_true(fabs(0.5 * (rho_med[249] + rho_med[250]) - 0.775) < 0.03);
    gsl_rng_free(r);
}

static void
test_background_truth(void **state)
{
    gsl_rng *r = new_rng(15);
    struct hs_sim_truth ev;
    int below_half = 0;
    const int N = 5000;

    (void)state;
    for (int n = 0; n < N; n++) {
        double d[3], u1[3], u2[3], p1, p2, doca = 0;
        hs_sim_background_event(r, &ev);
        assert_false(ev.signal);
        assert_true(ev.mass == 0.0);
        assert_on_shell(ev.lab[0], M_MU);
        assert_on_shell(ev.lab[1], M_MU);
        /* The vertex is the midpoint of the closest-approach segment: the
         * segment is perpendicular to both tracks and as long as the DOCA. */
        p1 = sqrt(ev.lab[0][1] * ev.lab[0][1] + ev.lab[0][2] * ev.lab[0][2] +
                  ev.lab[0][3] * ev.lab[0][3]);
        p2 = sqrt(ev.lab[1][1] * ev.lab[1][1] + ev.lab[1][2] * ev.lab[1][2] +
                  ev.lab[1][3] * ev.lab[1][3]);
        for (int k = 0; k < 3; k++) {
            d[k] = ev.point[1][k] - ev.point[0][k];
            u1[k] = ev.lab[0][k + 1] / p1;
            u2[k] = ev.lab[1][k + 1] / p2;
            doca += d[k] * d[k];
            assert_true(fabs(ev.vertex[k] - 0.5 * (ev.point[0][k] + ev.point[1][k])) < 1e-9);
        }
        doca = sqrt(doca);
        assert_true(fabs(doca - ev.doca) < 1e-9);
        assert_true(fabs(d[0] * u1[0] + d[1] * u1[1] + d[2] * u1[2]) < 1e-7);
        assert_true(fabs(d[0] * u2[0] + d[1] * u2[1] + d[2] * u2[2]) < 1e-7);
        assert_true(ev.doca < 1.0);
        assert_true(in_frustum(ev.vertex, 0));
        assert_true(at_station(ev.point[0], ev.lab[0]) && at_station(ev.point[1], ev.lab[1]));
        below_half += ev.doca < 0.5;
    }
    /* A uniform flux makes the DOCA close to uniform on [0, 1 m]. */
    assert_true(below_half > 0.44 * N && below_half < 0.56 * N);
    gsl_rng_free(r);
}

static void
test_detector(void **state)
{
    /* Reconstruction of known truth: every track keeps its mass
     * hypothesis; |p| moves by 1% (sd); the direction turns by a 2-d
     * Gaussian angle of 0.2 mrad per projection cut at 0.5 mrad, whose
     * mean square is 2 s^2 (1 - a e^-a / (1 - e^-a)), a = (0.5/0.2)^2 / 2. */
    const double sg = 2e-4, a = 0.5 * (5e-4 / sg) * (5e-4 / sg);
    const double rms = sqrt(2 * sg * sg * (1 - a * exp(-a) / (1 - exp(-a))));
    gsl_rng *r = new_rng(16);
    struct hs_sim_truth ev;
    double row[HS_SIM_NCOLS], s1 = 0, s2 = 0, th2 = 0;
    const int N = 4000;

    (void)state;
    for (int n = 0; n < N; n++) {
        enum hs_sim_channel ch = n % 2 ? HS_SIM_MURHO : HS_SIM_MUMUNU;
        double mh[2] = {M_MU, ch == HS_SIM_MURHO ? M_PI_C : M_MU};
        if (n % 4 < 2)
            assert_int_equal(hs_sim_signal_event(ch, 1.0 + 0.001 * n, r, &ev), HS_OK);
        else
            hs_sim_background_event(r, &ev);
        hs_sim_reconstruct(ch, &ev, r, row);
        for (int t = 0; t < 2; t++) {
            double q[4] = {row[t], row[2 + t], row[4 + t], row[6 + t]}, c[3], th;
            const double *l = ev.lab[t];
            double pr = sqrt(q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
            double pt = sqrt(l[1] * l[1] + l[2] * l[2] + l[3] * l[3]);
            c[0] = q[2] * l[3] - q[3] * l[2];
            c[1] = q[3] * l[1] - q[1] * l[3];
            c[2] = q[1] * l[2] - q[2] * l[1];
            th = atan2(sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]),
                       q[1] * l[1] + q[2] * l[2] + q[3] * l[3]);
            assert_on_shell(q, mh[t]);
            assert_true(th <= 5.0001e-4);
            th2 += th * th;
            s1 += pr / pt - 1;
            s2 += (pr / pt - 1) * (pr / pt - 1);
        }
        assert_true(row[13] == (ev.signal ? ev.mass : 0.0));
        assert_true(row[14] == (ev.signal ? 1.0 : 0.0));
        assert_true(row[11] >= 0 && row[12] >= 0);
    }
    s1 /= 2 * N;
    s2 = sqrt(s2 / (2 * N) - s1 * s1);
    assert_true(fabs(s1) < 0.001);
    assert_true(fabs(s2 - 0.01) < 0.0005);
    assert_true(fabs(sqrt(th2 / (2 * N)) / rms - 1) < 0.03);
    gsl_rng_free(r);
}

static void
test_separation(void **state)
{
    /* What the demo is for: the geometry separates, not perfectly. */
    struct hs_table *t = generate(HS_SIM_MUMUNU, 2100, 21000, 0, 17);
    double ds = median_of(t, "doca", 1), db = median_of(t, "doca", 0);
    double is = median_of(t, "ip", 1), ib = median_of(t, "ip", 0);
    long vz = hs_table_find(t, "vz"), vx = hs_table_find(t, "vx"), vy = hs_table_find(t, "vy");
    long tr = hs_table_find(t, "Truth");
    size_t inside = 0, nsig = 0;

    (void)state;
    /* Signal: the two lines cross at the vertex, each shifted by 3 mm in x
     * and y; the DOCA is the shift's part across both tracks (nearly
     * transverse), |N(0, 3 mm sqrt 2)|, whose median is
     * 0.6745 * 4.243 mm = 2.86 mm. */
    assert_true(fabs(ds - 0.6745 * 3e-3 * sqrt(2.0)) < 0.0003);
    assert_true(db > 0.1);
    assert_true(is < ib / 3);
    /* The reconstructed signal vertex is mostly inside the volume (its z
     * resolution is poor for small opening angles). */
    for (size_t i = 0; i < t->nrows; i++) {
        double v[3] = {t->cols[vx].v[i], t->cols[vy].v[i], t->cols[vz].v[i]};
        if (t->cols[tr].v[i] != 1.0)
            continue;
        nsig++;
        inside += in_frustum(v, 0.01);
    }
    assert_true(inside > 0.9 * nsig);
    hs_table_free(t);

    t = generate(HS_SIM_MURHO, 1900, 19000, 0, 18);
    assert_string_equal(t->cols[1].name, "E_pi_minus");
    assert_string_equal(t->cols[3].name, "p_pi_minus_x");
    assert_string_equal(t->cols[5].name, "p_pi_minus_y");
    assert_string_equal(t->cols[7].name, "p_pi_minus_z");
    assert_true(median_of(t, "doca", 1) < 0.01);
    assert_true(median_of(t, "ip", 1) < median_of(t, "ip", 0) / 3);
    assert_true(median_of(t, "HNL_mass", 1) >= 1.0);
    hs_table_free(t);
}

struct watch {
    atomic_int cancel;
    int calls;
    double last;
    int cancel_at;
};

static void
on_progress(void *user, double f, const char *what)
{
    struct watch *w = user;
    assert_non_null(what);
    assert_true(f >= w->last && f <= 1.0);
    w->last = f;
    if (++w->calls == w->cancel_at)
        atomic_store(&w->cancel, 1);
}

static void
test_progress_cancel(void **state)
{
    struct hs_sim_config c;
    struct hs_table *t = NULL;
    struct hs_err err;
    struct watch w = {0};
    struct hs_task task = {on_progress, &w, &w.cancel};

    (void)state;
    hs_sim_config_init(&c);
    c.n_signal = 3000;
    c.n_background = 30000; /* one block: one report, at the end */
    w.cancel_at = -1;
    assert_int_equal(hs_sim_generate(&c, &t, &task, &err), HS_OK);
    assert_true(w.calls >= 1 && w.last == 1.0);
    hs_table_free(t);
    t = NULL;

    /* Cancelled before it starts, and at the first report (made after the
     * first block the calling thread finishes, of 9). */
    memset(&w, 0, sizeof w);
    atomic_store(&w.cancel, 1);
    assert_int_equal(hs_sim_generate(&c, &t, &task, &err), HS_ECANCELLED);
    assert_null(t);
    memset(&w, 0, sizeof w);
    w.cancel_at = 1;
    c.n_signal = 10;
    c.n_background = 9 * HS_SIM_BLOCK;
    assert_int_equal(hs_sim_generate(&c, &t, &task, &err), HS_ECANCELLED);
    assert_null(t);
    assert_int_equal(w.calls, 1);
    assert_true(w.last < 1.0);
}

static void
test_out_of_memory(void **state)
{
    struct hs_sim_config c;
    struct hs_err err;
    int rc = HS_ENOMEM;

    (void)state;
    hs_sim_config_init(&c);
    c.n_signal = 50;
    c.n_background = 100;
    for (long n = 0; rc == HS_ENOMEM && n < 200; n++) {
        struct hs_table *t = NULL;
        hs_mem_fail_after(n);
        rc = hs_sim_generate(&c, &t, NULL, &err);
        hs_mem_fail_after(-1);
        if (rc == HS_ENOMEM)
            assert_null(t);
        else
            hs_table_free(t);
    }
    assert_int_equal(rc, HS_OK);
}

/* Kolmogorov-Smirnov distance between the sorted sample x[0..n) and the
 * CDF given at each point in cdf[0..n). */
static double
ks_distance(const double *x, const double *cdf, size_t n)
{
    double d = 0;
    (void)x;
    for (size_t i = 0; i < n; i++) {
        double lo = cdf[i] - (double)i / n, hi = (double)(i + 1) / n - cdf[i];
        d = fmax(d, fmax(lo, hi));
    }
    return d;
}

static void
test_gauss(void **state)
{
    /* The ziggurat against the normal CDF, 0.5 erfc(-x / sqrt 2), by a
     * KS test at the 0.1% level, with its own stream and with a GSL one;
     * the tails beyond R = 3.44 (the base layer's edge) as often as erfc
     * says and as far out. */
    const size_t N = 200000;
    const double R = 3.442619855899, V = 9.91256303526217e-3;
    double *x = malloc(N * sizeof *x), *c = malloc(N * sizeof *c);
    gsl_rng *fast = new_rng(21), *mt = gsl_rng_alloc(gsl_rng_mt19937);

    (void)state;
    /* The tables: f(x) = exp(-x^2/2) at each edge; every layer of area V
     * (the top one, which closes the recursion, to 1e-9); the base (its
     * rectangle and the tail beyond R) too. */
    for (int i = 0; i < 129; i++)
        assert_true(fabs(hs_sim_zig_f[i] - exp(-0.5 * hs_sim_zig_x[i] * hs_sim_zig_x[i])) < 1e-15);
    for (int i = 1; i < 128; i++)
        assert_true(fabs(hs_sim_zig_x[i] * (hs_sim_zig_f[i + 1] - hs_sim_zig_f[i]) - V) < 2e-11);
    assert_true(fabs(hs_sim_zig_x[1] - R) < 1e-15 && hs_sim_zig_x[128] == 0.0);
    assert_true(fabs(hs_sim_zig_x[0] * hs_sim_zig_f[1] - V) < 1e-15);
    assert_true(fabs(R * hs_sim_zig_f[1] + sqrt(M_PI / 2) * erfc(R / sqrt(2.0)) - V) < 1e-15);
    for (int pass = 0; pass < 2; pass++) {
        gsl_rng *r = pass ? mt : fast;
        size_t n = pass ? N / 4 : N, tail = 0;
        double m = 0, v = 0, ex = 0, ptail = erfc(R / sqrt(2.0));
        /* The mean excess beyond R: phi(R) / Q(R) - R. */
        double mex = exp(-0.5 * R * R) / sqrt(2 * M_PI) / (0.5 * erfc(R / sqrt(2.0))) - R;
        for (size_t i = 0; i < n; i++) {
            x[i] = hs_kin_gauss(r, hs_kin_fast(r));
            m += x[i];
            v += x[i] * x[i];
            if (fabs(x[i]) > R) {
                tail++;
                ex += fabs(x[i]) - R;
            }
        }
        /* (the excess is near exponential: its sd is near its mean) */
        assert_true(fabs(ex / tail - mex) < 5 * mex / sqrt((double)tail));
        qsort(x, n, sizeof *x, cmp_double);
        for (size_t i = 0; i < n; i++)
            c[i] = 0.5 * erfc(-x[i] / sqrt(2.0));
        assert_true(ks_distance(x, c, n) < 1.95 / sqrt((double)n));
        assert_true(fabs(m / n) < 5 / sqrt((double)n));
        assert_true(fabs(v / n - 1) < 5 * sqrt(2.0 / n));
        assert_true(fabs((double)tail - n * ptail) < 5 * sqrt(n * ptail) + 1);
    }
    free(x);
    free(c);
    gsl_rng_free(fast);
    gsl_rng_free(mt);
}

/* P(p < t) for p ~ gamma(2, s); P(pT < t) for pT ~ exponential(mu). */
static double
gamma2_cdf(double t, double s)
{
    return 1 - (1 + t / s) * exp(-t / s);
}

static void
test_spectrum(void **state)
{
    /* The generator draws sin(theta) = pT/p first (a Lomax law) and then p
     * given it (a gamma of shape 3).  That must be the same as p ~
     * gamma(2, s) and pT ~ exponential(mu) independent, kept when pT < p.
     * The marginal CDFs of p and of pT under that condition are integrated
     * here (midpoint rule on a fine grid) and compared by KS tests. */
    const double s = 12.0 / 1.678346990016662, mu = 1.3 / log(2.0), lam = mu / s;
    const double cut = 1 - 1 / ((1 + 1 / lam) * (1 + 1 / lam));
    const size_t N = 100000, K = 40000;
    const double top = 400.0, h = top / K;
    double *p = malloc(N * sizeof *p), *pt = malloc(N * sizeof *pt), *c = malloc(N * sizeof *c);
    double *Fp = malloc((K + 1) * sizeof *Fp), *Ft = malloc((K + 1) * sizeof *Ft), d[3];
    gsl_rng *r = new_rng(22);

    (void)state;
    /* Joint density g(p) e(t) on t < p: marginals by cumulative sums. */
    Fp[0] = Ft[0] = 0;
    for (size_t k = 0; k < K; k++) {
        double t = (k + 0.5) * h;
        double g = t / (s * s) * exp(-t / s), e = exp(-t / mu) / mu;
        Fp[k + 1] = Fp[k] + h * g * (1 - exp(-t / mu));  /* P(pT < p) at this p */
        Ft[k + 1] = Ft[k] + h * e * (1 - gamma2_cdf(t, s)); /* P(p > pT) at this pT */
    }
    for (size_t i = 0; i < N; i++) {
        struct hs_sim_rng_state *st = hs_kin_fast(r);
        double x = hs_kin_direction(r, st, lam, cut, d);
        double q = hs_kin_erlang3(r, st, 1 / (1 / s + x / mu));
        assert_true(x >= 0 && x < 1);
        /* d points at sin(theta) = x from the axis. */
        assert_true(fabs(sqrt(d[0] * d[0] + d[1] * d[1]) /
                             sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) - x) < 1e-12);
        p[i] = q;
        pt[i] = q * x;
    }
    for (int which = 0; which < 2; which++) {
        double *v = which ? pt : p, *F = which ? Ft : Fp;
        qsort(v, N, sizeof *v, cmp_double);
        for (size_t i = 0; i < N; i++) {
            double at = v[i] / h;
            size_t k = at < K ? (size_t)at : K - 1;
            c[i] = (F[k] + (at - k) * (F[k + 1] - F[k])) / F[K];
        }
        assert_true(ks_distance(v, c, N) < 1.95 / sqrt((double)N));
    }
    free(p);
    free(pt);
    free(c);
    free(Fp);
    free(Ft);
    gsl_rng_free(r);
}

static void
test_any_gsl_rng(void **state)
{
    /* The per-event functions take any gsl_rng (GSL's own go through its
     * function pointers). */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    struct hs_sim_truth ev;
    double row[HS_SIM_NCOLS];

    (void)state;
    for (int n = 0; n < 300; n++) {
        assert_int_equal(hs_sim_signal_event(HS_SIM_MUMUNU, 2.0, r, &ev), HS_OK);
        assert_true(pair_mass(ev.lab[0], ev.lab[1]) <= 2.0 * (1 + 1e-9));
        hs_sim_reconstruct(HS_SIM_MUMUNU, &ev, r, row);
        hs_sim_background_event(r, &ev);
        assert_true(ev.doca < 1.0 && in_frustum(ev.vertex, 0));
    }
    gsl_rng_free(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_bad_config),
        cmocka_unit_test(test_table_layout),
        cmocka_unit_test(test_block_ratio),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_signal_kinematics),
        cmocka_unit_test(test_dalitz),
        cmocka_unit_test(test_murho_kinematics),
        cmocka_unit_test(test_background_truth),
        cmocka_unit_test(test_detector),
        cmocka_unit_test(test_separation),
        cmocka_unit_test(test_progress_cancel),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_gauss),
        cmocka_unit_test(test_spectrum),
        cmocka_unit_test(test_any_gsl_rng),
    };

    gsl_set_error_handler_off();
    return cmocka_run_group_tests_name("sim", tests, NULL, NULL);
}

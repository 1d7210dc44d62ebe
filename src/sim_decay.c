/* sim_decay.c: the HNL's decays in its rest frame.
 *
 * N -> mu+ mu- nu is drawn from three-body phase space: the Dalitz variables
 * are uniform inside the kinematic boundary (accept-reject in the enclosing
 * rectangle).  The true matrix element (V-A, which shapes the Dalitz plot)
 * is ignored on purpose: the demo needs correct kinematic limits, not the
 * exact distribution.  N -> mu rho is two-body with the rho's mass from a
 * Breit-Wigner, the rho decaying to pi pi0, both decays isotropic.
 */
#include "config.h"

#include "sim_kin.h"

#include <math.h>

#include "sim.h"

/* x, or 0 when rounding made it negative. */
static inline double
pos(double x)
{
    return x > 0 ? x : 0;
}

void
hs_sim_decay_3body_first(double M, const double *m, gsl_rng *r, struct hs_sim_decay *d,
                         double rest[][4])
{
    const double M2 = M * M;
    const double m1s = m[0] * m[0], m2s = m[1] * m[1], m3s = m[2] * m[2];
    const double lo12 = (m[0] + m[1]) * (m[0] + m[1]), hi12 = (M - m[2]) * (M - m[2]);
    const double lo23 = (m[1] + m[2]) * (m[1] + m[2]), hi23 = (M - m[0]) * (M - m[0]);
    const double i2M = 0.5 / M;
    struct hs_sim_rng_state *st = hs_kin_fast(r);
    double m12s, m23s, m13s;

    /* Accept-reject: the Dalitz region lies in the triangle m12^2 >= lo12,
     * m23^2 >= lo23, m13^2 >= (m1 + m3)^2, which it nearly fills, while
     * it covers only half of the enclosing rectangle.  A point uniform in
     * the triangle is a point of the unit square folded along its
     * diagonal.  The boundary of m23^2 at fixed m12^2 comes from the
     * energies of 2 and 3 in the (12) rest frame. */
    const double side = M2 + m1s + m2s + m3s - (m[0] + m[2]) * (m[0] + m[2]) - lo12 - lo23;
    for (;;) {
        double u = hs_kin_u(r, st), v = hs_kin_u(r, st), h, e2, e3, q2, q3, lo, hi;
        if (u + v > 1.0) {
            u = 1.0 - u;
            v = 1.0 - v;
        }
        m12s = lo12 + side * u;
        m23s = lo23 + side * v;
        if (m12s > hi12 || m23s > hi23)
            continue;
        h = 0.5 / sqrt(m12s);
        e2 = (m12s - m1s + m2s) * h;
        e3 = (M2 - m12s - m3s) * h;
        q2 = sqrt(pos(e2 * e2 - m2s));
        q3 = sqrt(pos(e3 * e3 - m3s));
        lo = (e2 + e3) * (e2 + e3) - (q2 + q3) * (q2 + q3);
        hi = (e2 + e3) * (e2 + e3) - (q2 - q3) * (q2 - q3);
        if (m23s >= lo && m23s <= hi)
            break;
    }
    m13s = M2 + m1s + m2s + m3s - m12s - m23s;
    d->M = M;
    /* Particle 0 now; 1 and 2 (and their angle) only if 0 is seen. */
    d->E[0] = (M2 + m1s - m23s) * i2M;
    d->E[1] = (M2 + m2s - m13s) * i2M;
    d->E[2] = (M2 + m3s - m12s) * i2M;
    d->p0 = sqrt(pos((d->E[0] - m[0]) * (d->E[0] + m[0])));
    d->m1 = m[1];
    d->m2 = m[2];

    /* A random rotation: 1 along a direction uniform on the sphere (here),
     * the decay plane turned about it by a uniform angle (in _second). */
    hs_kin_isotropic(r, d->a);
    rest[0][0] = d->E[0];
    for (int k = 0; k < 3; k++)
        rest[0][k + 1] = d->p0 * d->a[k];
}

void
hs_sim_decay_3body_second(gsl_rng *r, const struct hs_sim_decay *d, double rest[][4])
{
    const double *a = d->a;
    double e1[3], e2[3], ref[3] = {0, 0, 1}, n, c, s, u, v, q, p1, p2, c12, s12;

    /* p3 = -(p1 + p2) fixes the angle between 1 and 2. */
    p1 = sqrt(pos((d->E[1] - d->m1) * (d->E[1] + d->m1)));
    p2 = sqrt(pos((d->E[2] - d->m2) * (d->E[2] + d->m2)));
    c12 = d->p0 > 0 && p1 > 0 ? (p2 * p2 - d->p0 * d->p0 - p1 * p1) / (2.0 * d->p0 * p1)
                                : 1.0;
    c12 = c12 < -1.0 ? -1.0 : c12 > 1.0 ? 1.0 : c12;
    s12 = sqrt((1.0 - c12) * (1.0 + c12));

    /* Two axes across a (from whichever of z and x is further from it),
     * and b at a uniform angle between them: the angle of a point in the
     * disk, doubled, has cos (u^2 - v^2) / q and sin 2 u v / q. */
    if (fabs(a[2]) > 0.9) {
        ref[0] = 1;
        ref[2] = 0;
    }
    hs_kin_cross(a, ref, e1);
    n = 1.0 / sqrt(hs_kin_dot3(e1, e1));
    for (int k = 0; k < 3; k++)
        e1[k] *= n;
    hs_kin_cross(a, e1, e2);
    q = hs_kin_disk(r, hs_kin_fast(r), &u, &v);
    c = (u * u - v * v) / q;
    s = 2.0 * u * v / q;
    rest[1][0] = d->E[1];
    rest[2][0] = d->E[2];
    for (int k = 0; k < 3; k++) {
        double b = c * e1[k] + s * e2[k];
        rest[1][k + 1] = p1 * (c12 * a[k] + s12 * b);
        rest[2][k + 1] = -(rest[0][k + 1] + rest[1][k + 1]);
    }
}

void
hs_sim_decay_3body(double M, const double *m, gsl_rng *r, double rest[][4])
{
    struct hs_sim_decay d;

    hs_sim_decay_3body_first(M, m, r, &d, rest);
    hs_sim_decay_3body_second(r, &d, rest);
}

/* A Breit-Wigner (Cauchy in m) cut to [lo, hi], by inverting its CDF. */
static double
breit_wigner(gsl_rng *r, double m0, double w, double lo, double hi)
{
    double a0 = atan(2.0 * (lo - m0) / w), a1 = atan(2.0 * (hi - m0) / w);
    double m = m0 + 0.5 * w * tan(a0 + (a1 - a0) * hs_kin_u01(r));
    return m < lo ? lo : m > hi ? hi : m;
}

/* Two-body decay of mass M into masses m1 (along +n) and m2 (along -n):
 * energies and momentum from the exact formulas. */
static void
two_body(double M, double m1, double m2, const double *n, double *q1, double *q2)
{
    double p = sqrt(pos(hs_kin_lambda(M, m1, m2))) / (2.0 * M);
    q1[0] = (M * M + m1 * m1 - m2 * m2) / (2.0 * M);
    q2[0] = (M * M - m1 * m1 + m2 * m2) / (2.0 * M);
    for (int k = 0; k < 3; k++) {
        q1[k + 1] = p * n[k];
        q2[k + 1] = -p * n[k];
    }
}

void
hs_sim_decay_murho_first(double M, gsl_rng *r, struct hs_sim_decay *d, double rest[][4])
{
    double n[3];

    d->M = M;
    d->mrho = breit_wigner(r, HS_SIM_M_RHO, HS_SIM_W_RHO, HS_SIM_M_PI + HS_SIM_M_PI0,
                           M - HS_SIM_M_MU);
    hs_kin_isotropic(r, n);
    two_body(M, HS_SIM_M_MU, d->mrho, n, rest[0], d->rho);
}

void
hs_sim_decay_murho_second(gsl_rng *r, const struct hs_sim_decay *d, double rest[][4])
{
    double u[3];
    struct hs_kin_boost b;

    hs_kin_isotropic(r, u);
    two_body(d->mrho, HS_SIM_M_PI, HS_SIM_M_PI0, u, rest[1], rest[2]);
    hs_kin_boost_init(&b, d->rho, d->mrho);
    hs_kin_boost(&b, rest[1], HS_SIM_M_PI);
    hs_kin_boost(&b, rest[2], HS_SIM_M_PI0);
}

double
hs_sim_decay_murho(double M, gsl_rng *r, double rest[][4])
{
    struct hs_sim_decay d;

    hs_sim_decay_murho_first(M, r, &d, rest);
    hs_sim_decay_murho_second(r, &d, rest);
    return d.mrho;
}

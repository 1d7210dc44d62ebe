/* sim_kin.h: what the generator's files (sim_*.c) share: the geometry,
 * small kinematic helpers and the inline random stream.  Internal to
 * src/sim*.c.
 *
 * Four-vectors are double[4] = {E, px, py, pz}; three-vectors double[3].
 * Units: GeV, m.  Written for speed: the generator makes millions of
 * events a second, so divisions and square roots are counted.
 */
#ifndef HS_SIM_KIN_H
#define HS_SIM_KIN_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>

/* Decay volume: a frustum from Z0 to Z1, its half-widths growing linearly
 * from HX0 x HY0 to HX1 x HY1. */
#define HS_SIM_Z0 32.0
#define HS_SIM_Z1 82.0
#define HS_SIM_HX0 0.5
#define HS_SIM_HX1 2.0
#define HS_SIM_HY0 1.35
#define HS_SIM_HY1 3.1
/* Tracking station: its plane and half-widths. */
#define HS_SIM_ZST 95.0
#define HS_SIM_SX 2.0
#define HS_SIM_SY 3.0

/* Median of the gamma distribution of shape 2 and scale 1
 * (gsl_cdf_gamma_Pinv(0.5, 2, 1)), to set a scale from a median. */
#define HS_SIM_GAMMA2_MEDIAN 1.678346990016662

static inline double
hs_kin_half_x(double z)
{
    return HS_SIM_HX0 + (HS_SIM_HX1 - HS_SIM_HX0) * (z - HS_SIM_Z0) / (HS_SIM_Z1 - HS_SIM_Z0);
}

static inline double
hs_kin_half_y(double z)
{
    return HS_SIM_HY0 + (HS_SIM_HY1 - HS_SIM_HY0) * (z - HS_SIM_Z0) / (HS_SIM_Z1 - HS_SIM_Z0);
}

/* Does the line through v along d (any length, d[2] > 0 needed) reach the
 * station inside its area?  Multiplied out by d[2]: no division. */
static inline bool
hs_kin_reaches_station(const double *v, const double *d)
{
    double dz = d[2], l = HS_SIM_ZST - v[2];
    return dz > 0 && fabs(v[0] * dz + l * d[0]) <= HS_SIM_SX * dz &&
           fabs(v[1] * dz + l * d[1]) <= HS_SIM_SY * dz;
}

static inline double
hs_kin_dot3(const double *a, const double *b)
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static inline void
hs_kin_cross(const double *a, const double *b, double *c)
{
    c[0] = a[1] * b[2] - a[2] * b[1];
    c[1] = a[2] * b[0] - a[0] * b[2];
    c[2] = a[0] * b[1] - a[1] * b[0];
}

/* Closest approach of the lines x1 + s d1 and x2 + t d2 (d of any length):
 * the points c1, c2 on each.  Returns false for (nearly) parallel lines. */
static inline bool
hs_kin_closest(const double *x1, const double *d1, const double *x2, const double *d2,
               double *c1, double *c2)
{
    double n[3], w[3], a[3], nn, inv, s, t;

    hs_kin_cross(d1, d2, n);
    nn = hs_kin_dot3(n, n);
    if (!(nn > 1e-24 * hs_kin_dot3(d1, d1) * hs_kin_dot3(d2, d2)))
        return false;
    inv = 1.0 / nn;
    for (int k = 0; k < 3; k++)
        w[k] = x2[k] - x1[k];
    hs_kin_cross(w, d2, a);
    s = hs_kin_dot3(a, n) * inv;
    hs_kin_cross(w, d1, a);
    t = hs_kin_dot3(a, n) * inv;
    for (int k = 0; k < 3; k++) {
        c1[k] = x1[k] + s * d1[k];
        c2[k] = x2[k] + t * d2[k];
    }
    return true;
}

/* The state of the generator's own gsl_rng type (sim_rng.c):
 * xoshiro256++ by Blackman and Vigna.  Its deviates are drawn inline here;
 * any other gsl_rng goes through GSL's function pointers. */
struct hs_sim_rng_state {
    uint64_t s[4];
};

extern const gsl_rng_type hs_sim_rng_xoshiro;

static inline uint64_t
hs_kin_next(struct hs_sim_rng_state *st)
{
    uint64_t *s = st->s, sum = s[0] + s[3], res = ((sum << 23) | (sum >> 41)) + s[0];
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return res;
}

/* The inline state of r, or NULL when r is of another type. */
static inline struct hs_sim_rng_state *
hs_kin_fast(gsl_rng *r)
{
    return r->type == &hs_sim_rng_xoshiro ? r->state : NULL;
}

/* A uniform deviate in [0, 1), from st when not NULL, else from r. */
static inline double
hs_kin_u(gsl_rng *r, struct hs_sim_rng_state *st)
{
    if (st)
        return (double)(hs_kin_next(st) >> 11) * 0x1.0p-53;
    return gsl_rng_uniform(r);
}

/* Two uniform deviates in [0, 1) of 32 bits each: one draw of st. */
static inline void
hs_kin_u32x2(gsl_rng *r, struct hs_sim_rng_state *st, double *a, double *b)
{
    if (st) {
        uint64_t x = hs_kin_next(st);
        *a = (double)(x >> 32) * 0x1.0p-32;
        *b = (double)(x & 0xffffffffU) * 0x1.0p-32;
    } else {
        *a = gsl_rng_uniform(r);
        *b = gsl_rng_uniform(r);
    }
}

static inline double
hs_kin_u01(gsl_rng *r)
{
    return hs_kin_u(r, hs_kin_fast(r));
}

/* A point uniform in the unit disk but not its centre, as (u, v);
 * returns u^2 + v^2.  Two points are drawn and the first inside is taken,
 * so that the loop (and its unpredictable branch) runs again only when
 * both miss, 1 time in 22. */
static inline double
hs_kin_disk(gsl_rng *r, struct hs_sim_rng_state *st, double *u, double *v)
{
    double u1, v1, q1, u2, v2, q2;
    bool in1;
    do {
        u1 = 2.0 * hs_kin_u(r, st) - 1.0;
        v1 = 2.0 * hs_kin_u(r, st) - 1.0;
        u2 = 2.0 * hs_kin_u(r, st) - 1.0;
        v2 = 2.0 * hs_kin_u(r, st) - 1.0;
        q1 = u1 * u1 + v1 * v1;
        q2 = u2 * u2 + v2 * v2;
        in1 = q1 < 1.0 && q1 > 0.0;
        u1 = in1 ? u1 : u2;
        v1 = in1 ? v1 : v2;
        q1 = in1 ? q1 : q2;
    } while (!(q1 < 1.0 && q1 > 0.0));
    *u = u1;
    *v = v1;
    return q1;
}

/* A direction uniform on the unit sphere (Marsaglia 1972). */
static inline void
hs_kin_isotropic(gsl_rng *r, double *d)
{
    double u, v, q = hs_kin_disk(r, hs_kin_fast(r), &u, &v), f = 2.0 * sqrt(1.0 - q);
    d[0] = u * f;
    d[1] = v * f;
    d[2] = 1.0 - 2.0 * q;
}

/* A uniformly random rotation, as the images a of the z axis and b of the x
 * axis: the rotation of a unit quaternion uniform on the 3-sphere
 * (Marsaglia's method, two points in the disk). */
static inline void
hs_kin_rotation(gsl_rng *r, double *a, double *b)
{
    struct hs_sim_rng_state *st = hs_kin_fast(r);
    double w, x, y, z, s1 = hs_kin_disk(r, st, &w, &x), s2 = hs_kin_disk(r, st, &y, &z);
    double f = sqrt((1.0 - s1) / s2);
    y *= f;
    z *= f;
    a[0] = 2.0 * (x * z + y * w);
    a[1] = 2.0 * (y * z - x * w);
    a[2] = 1.0 - 2.0 * (x * x + y * y);
    b[0] = 1.0 - 2.0 * (y * y + z * z);
    b[1] = 2.0 * (x * y + z * w);
    b[2] = 2.0 * (x * z - y * w);
}

/* A direction from a spectrum where p ~ gamma(2, scale s) and pT ~
 * exponential(mean mu) independently: x = pT / p = sin(theta) then follows
 * a Lomax (Pareto II) law, P(x' < x) = 1 - (1 + x / lam)^-2 with
 * lam = mu / s, and given x, p ~ gamma(3, 1 / (1/s + x/mu)).  Drawing x
 * first gives the same events but lets the geometry, which needs only the
 * direction, reject before a momentum is drawn.
 *
 * Draws x cut to [0, xmax) by inverting the CDF, and a uniform azimuth;
 * d gets the direction scaled by an unknown positive factor (no division),
 * and the return value is x. */
static inline double
hs_kin_direction(gsl_rng *r, struct hs_sim_rng_state *st, double lam, double fmax_,
                 double *d)
{
    /* fmax_ = F(xmax) = 1 - (1 + xmax/lam)^-2; with w = sqrt(1 - u),
     * x = lam (1 - w) / w and cos(theta) = sqrt(w^2 - lam^2 (1-w)^2) / w. */
    double w = sqrt(1.0 - fmax_ * hs_kin_u(r, st)), xw = lam * (1.0 - w), u, v;
    double q = hs_kin_disk(r, st, &u, &v);
    /* The angle of (u, v), doubled, is uniform: its cos and sin are
     * (u^2 - v^2) / q and 2 u v / q. */
    d[0] = xw * (u * u - v * v);
    d[1] = xw * 2.0 * u * v;
    d[2] = q * sqrt((w - xw) * (w + xw));
    return xw / w;
}

/* F(xmax) for hs_kin_direction. */
static inline double
hs_kin_direction_cut(double lam, double xmax)
{
    double f = 1.0 + xmax / lam;
    return 1.0 - 1.0 / (f * f);
}

/* gamma(3, scale): a sum of three exponentials. */
static inline double
hs_kin_erlang3(gsl_rng *r, struct hs_sim_rng_state *st, double scale)
{
    double u = (1.0 - hs_kin_u(r, st)) * (1.0 - hs_kin_u(r, st)) * (1.0 - hs_kin_u(r, st));
    return -scale * log(u);
}

/* A boost from the rest frame of a particle (mass m, lab four-momentum P)
 * to the lab, with its divisions done once. */
struct hs_kin_boost {
    double P[4], im, iem;  /* 1/m, 1/(E + m) */
};

static inline void
hs_kin_boost_init(struct hs_kin_boost *b, const double *P, double m)
{
    for (int k = 0; k < 4; k++)
        b->P[k] = P[k];
    b->im = 1.0 / m;
    b->iem = 1.0 / (P[0] + m);
}

/* Boost q into the lab, in place.  The form p' = p + P (e + P.p / (E + m)) / m
 * has no cancellation at large gamma. */
static inline void
hs_kin_boost(const struct hs_kin_boost *b, double *q)
{
    const double *P = b->P;
    double pq = P[1] * q[1] + P[2] * q[2] + P[3] * q[3];
    double f = (q[0] + pq * b->iem) * b->im;
    q[0] = (P[0] * q[0] + pq) * b->im;
    q[1] += f * P[1];
    q[2] += f * P[2];
    q[3] += f * P[3];
}

/* Kallen's lambda(M^2, m1^2, m2^2) written as a product, which stays
 * accurate near threshold: (M^2 - (m1+m2)^2) (M^2 - (m1-m2)^2). */
static inline double
hs_kin_lambda(double M, double m1, double m2)
{
    double s = m1 + m2, d = m1 - m2;
    return (M - s) * (M + s) * (M - d) * (M + d);
}

/* Rest-frame decays (sim_decay.c).  rest[i] receives the four-momenta in
 * the parent's rest frame, oriented isotropically. */

/* Three-body phase space M -> 1 2 3 (masses m[0..2]), uniform over the
 * Dalitz plot; the matrix element is taken as constant. */
void hs_sim_decay_3body(double M, const double *m, gsl_rng *r, double rest[3][4]);

/* M -> mu+ rho-, rho- -> pi- pi0 with the rho mass from a Breit-Wigner cut
 * to the kinematic range; rest[0] mu+, rest[1] pi-, rest[2] pi0.  Returns
 * the rho mass. */
double hs_sim_decay_murho(double M, gsl_rng *r, double rest[3][4]);

#endif

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

/* The hot helpers below are forced inline: they run hundreds of times per
 * event and a call costs more than their body. */
#define HS_KIN_HOT static inline __attribute__((always_inline))

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

/* The half-widths at z, as a multiplication by constant slopes. */
static inline double
hs_kin_half_x(double z)
{
    const double slope = (HS_SIM_HX1 - HS_SIM_HX0) / (HS_SIM_Z1 - HS_SIM_Z0);
    return HS_SIM_HX0 + slope * (z - HS_SIM_Z0);
}

static inline double
hs_kin_half_y(double z)
{
    const double slope = (HS_SIM_HY1 - HS_SIM_HY0) / (HS_SIM_Z1 - HS_SIM_Z0);
    return HS_SIM_HY0 + slope * (z - HS_SIM_Z0);
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

/* The state of the generator's own gsl_rng type (sim_rng.c): wyrand (Wang
 * Yi's generator of wyhash: a Weyl sequence through a 64 x 64 -> 128-bit
 * multiply-fold; period 2^64, passes BigCrush and PractRand).  Its
 * deviates are drawn inline here, at about five instructions each; any
 * other gsl_rng goes through GSL's function pointers. */
struct hs_sim_rng_state {
    uint64_t s;
};

extern const gsl_rng_type hs_sim_rng_wyrand;

HS_KIN_HOT uint64_t
hs_kin_next(struct hs_sim_rng_state *st)
{
    uint64_t a = (st->s += 0xa0761d6478bd642fULL), b = a ^ 0xe7037ed1a0b428dbULL;
#ifdef __SIZEOF_INT128__
    unsigned __int128 m = (unsigned __int128)a * b;
    return (uint64_t)(m >> 64) ^ (uint64_t)m;
#else
    /* The same product from 32-bit halves. */
    uint64_t al = a & 0xffffffffU, ah = a >> 32, bl = b & 0xffffffffU, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffU) + (hl & 0xffffffffU);
    uint64_t lo = (ll & 0xffffffffU) | (mid << 32);
    uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    return hi ^ lo;
#endif
}

/* The inline state of r, or NULL when r is of another type. */
HS_KIN_HOT struct hs_sim_rng_state *
hs_kin_fast(gsl_rng *r)
{
    return r->type == &hs_sim_rng_wyrand ? r->state : NULL;
}

/* A uniform deviate in [0, 1), from st when not NULL, else from r. */
HS_KIN_HOT double
hs_kin_u(gsl_rng *r, struct hs_sim_rng_state *st)
{
    /* Through int64_t: a signed conversion is one instruction. */
    if (st)
        return (double)(int64_t)(hs_kin_next(st) >> 11) * 0x1.0p-53;
    return gsl_rng_uniform(r);
}

static inline double
hs_kin_u01(gsl_rng *r)
{
    return hs_kin_u(r, hs_kin_fast(r));
}

/* A point uniform in the unit disk but not its centre, as (u, v);
 * returns u^2 + v^2.  Two points are drawn and the first inside is taken,
 * so that the loop (and its unpredictable branch) runs again only when
 * both miss, 1 time in 22.  From the inline stream a point is a pair of
 * 32-bit integers, tested as integers; only the one kept is converted. */
HS_KIN_HOT double
hs_kin_disk(gsl_rng *r, struct hs_sim_rng_state *st, double *u, double *v)
{
    if (st) {
        const int64_t one = (int64_t)1 << 62;
        int64_t a, b, q;
        do {
            uint64_t x1 = hs_kin_next(st), x2 = hs_kin_next(st);
            /* Each 32-bit half, moved to [-2^31, 2^31). */
            const int64_t h = 0x80000000;
            int64_t a1 = (int64_t)(x1 >> 32) - h, b1 = (int64_t)(x1 & 0xffffffff) - h;
            int64_t a2 = (int64_t)(x2 >> 32) - h, b2 = (int64_t)(x2 & 0xffffffff) - h;
            int64_t q1 = a1 * a1 + b1 * b1, q2 = a2 * a2 + b2 * b2;
            bool in1 = q1 < one && q1 > 0;
            a = in1 ? a1 : a2;
            b = in1 ? b1 : b2;
            q = in1 ? q1 : q2;
        } while (!(q < one && q > 0));
        *u = (double)a * 0x1.0p-31;
        *v = (double)b * 0x1.0p-31;
        return (double)q * 0x1.0p-62;
    } else {
        double q;
        do {
            *u = 2.0 * gsl_rng_uniform(r) - 1.0;
            *v = 2.0 * gsl_rng_uniform(r) - 1.0;
            q = *u * *u + *v * *v;
        } while (q >= 1.0 || q == 0.0);
        return q;
    }
}

/* Three uniform deviates in [0, 1) of 21, 21 and 22 bits (plenty for a
 * position or an angle) from one draw. */
HS_KIN_HOT void
hs_kin_u3(gsl_rng *r, struct hs_sim_rng_state *st, double *a, double *b, double *c)
{
    if (st) {
        uint64_t x = hs_kin_next(st);
        *a = (double)(int64_t)(x >> 43) * 0x1.0p-21;
        *b = (double)(int64_t)((x >> 22) & 0x1fffff) * 0x1.0p-21;
        *c = (double)(int64_t)(x & 0x3fffff) * 0x1.0p-22;
    } else {
        *a = gsl_rng_uniform(r);
        *b = gsl_rng_uniform(r);
        *c = gsl_rng_uniform(r);
    }
}

/* A standard normal deviate: the ziggurat of Marsaglia and Tsang (2000),
 * 128 layers (tables in sim_rng.c).  The layer, the sign and the abscissa
 * come from separate bits of one draw (Doornik 2005 showed that sharing
 * them, as the original does, correlates the deviates).  98.8% of the
 * time the first point is inside its layer's core and one draw does. */
extern const double hs_sim_zig_x[129], hs_sim_zig_f[129];
double hs_sim_zig_slow(gsl_rng *r, struct hs_sim_rng_state *st, int i, double x);

HS_KIN_HOT double
hs_kin_gauss(gsl_rng *r, struct hs_sim_rng_state *st)
{
    for (;;) {
        uint64_t bits;
        double x, s;
        int i;
        if (st) {
            bits = hs_kin_next(st);
        } else {
            bits = (uint64_t)(gsl_rng_uniform(r) * 256.0) |
                   ((uint64_t)(gsl_rng_uniform(r) * 0x1.0p53) << 11);
        }
        i = (int)(bits & 127);
        s = bits & 128 ? -1.0 : 1.0;
        x = (double)(int64_t)(bits >> 11) * 0x1.0p-53 * hs_sim_zig_x[i];
        if (x < hs_sim_zig_x[i + 1])
            return s * x;
        x = hs_sim_zig_slow(r, st, i, x);
        if (!isnan(x))
            return s * x;
    }
}

/* A direction uniform on the unit sphere (Marsaglia 1972). */
HS_KIN_HOT void
hs_kin_isotropic(gsl_rng *r, double *d)
{
    double u, v, q = hs_kin_disk(r, hs_kin_fast(r), &u, &v), f = 2.0 * sqrt(1.0 - q);
    d[0] = u * f;
    d[1] = v * f;
    d[2] = 1.0 - 2.0 * q;
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
HS_KIN_HOT double
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
    double m, E, pa;   /* mass, energy and |P| */
    double u[3];       /* P / |P| (0 when at rest) */
    double im, mep;    /* 1/m and m / (E + |P|) */
};

static inline void
hs_kin_boost_init(struct hs_kin_boost *b, const double *P, double m)
{
    double pa = sqrt(P[1] * P[1] + P[2] * P[2] + P[3] * P[3]);
    b->m = m;
    b->E = P[0];
    b->pa = pa;
    for (int k = 0; k < 3; k++)
        b->u[k] = pa > 0 ? P[k + 1] / pa : 0.0;
    b->im = 1.0 / m;
    b->mep = m / (P[0] + pa);
}

/* Boost q, the four-momentum of a particle of mass mq, into the lab, in
 * place.  Along the boost, E' = (E e + |P| pl) / m and
 * pl' = (E pl + |P| e) / m; for a particle sent backwards (pl < 0) both
 * cancel at large gamma, and are written instead with E - |P| =
 * m^2 / (E + |P|) and e + pl = (mq^2 + pt^2) / (e - pl), which keeps the
 * lab four-vector on its mass shell to a few ulps. */
static inline void
hs_kin_boost(const struct hs_kin_boost *b, double *q, double mq)
{
    double e = q[0], pl = b->u[0] * q[1] + b->u[1] * q[2] + b->u[2] * q[3];
    double pt[3], pt2, c, el, pll;

    for (int k = 0; k < 3; k++)
        pt[k] = q[k + 1] - pl * b->u[k];
    if (pl >= 0) {
        el = (b->E * e + b->pa * pl) * b->im;
        pll = (b->E * pl + b->pa * e) * b->im;
    } else {
        pt2 = pt[0] * pt[0] + pt[1] * pt[1] + pt[2] * pt[2];
        c = b->pa * ((mq * mq + pt2) / (e - pl)) * b->im;
        el = c + e * b->mep;
        pll = c + pl * b->mep;
    }
    q[0] = el;
    for (int k = 0; k < 3; k++)
        q[k + 1] = pt[k] + pll * b->u[k];
}

/* Kallen's lambda(M^2, m1^2, m2^2) written as a product, which stays
 * accurate near threshold: (M^2 - (m1+m2)^2) (M^2 - (m1-m2)^2). */
static inline double
hs_kin_lambda(double M, double m1, double m2)
{
    double s = m1 + m2, d = m1 - m2;
    return (M - s) * (M + s) * (M - d) * (M + d);
}

/* Rest-frame decays (sim_decay.c), oriented isotropically.  Each comes in
 * two steps so that the generator can test the first visible track at the
 * station before it makes the others: _first draws what fixes particle 0
 * (rest[0]) and keeps the rest of the decay in *d; _second completes
 * rest[1] and rest[2].  The one-call forms do both. */
struct hs_sim_decay {
    double M, rho[4], mrho;   /* murho: the rho, and its mass */
    double E[3], p0, m1, m2;  /* 3-body: energies, |p| of particle 0, masses of 1 and 2 */
    double a[3];              /* the direction of particle 0 */
};

/* Three-body phase space M -> 1 2 3 (masses m[0..2]), uniform over the
 * Dalitz plot; the matrix element is taken as constant. */
void hs_sim_decay_3body_first(double M, const double *m, gsl_rng *r, struct hs_sim_decay *d,
                              double rest[][4]);
void hs_sim_decay_3body_second(gsl_rng *r, const struct hs_sim_decay *d, double rest[][4]);
void hs_sim_decay_3body(double M, const double *m, gsl_rng *r, double rest[][4]);

/* M -> mu+ rho-, rho- -> pi- pi0 with the rho mass from a Breit-Wigner cut
 * to the kinematic range; rest[0] mu+, rest[1] pi-, rest[2] pi0.  The rho
 * mass is left in d->mrho (the one-call form returns it). */
void hs_sim_decay_murho_first(double M, gsl_rng *r, struct hs_sim_decay *d, double rest[][4]);
void hs_sim_decay_murho_second(gsl_rng *r, const struct hs_sim_decay *d, double rest[][4]);
double hs_sim_decay_murho(double M, gsl_rng *r, double rest[][4]);

#endif

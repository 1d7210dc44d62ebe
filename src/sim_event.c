/* sim_event.c: one signal event (HNL production and decay) and the
 * detector's smearing and reconstruction of any event.  The geometry and
 * the spectra follow PHYSICS.md; sim.h sums them up.
 */
#include "config.h"

#include "sim.h"

#include <math.h>
#include <string.h>

#include "sim_kin.h"

/* Signal: the HNL's transverse momentum (exponential mean) and the largest
 * sin(theta) that can reach the volume (its corners, at both ends, are at
 * sqrt(hx^2 + hy^2) / z = 0.045 from the axis). */
#define HNL_PT_MEAN 1.0
#define HNL_MAX_SLOPE 0.046

/* Detector. */
#define RES_P 0.01       /* relative momentum resolution */
#define RES_ANGLE 2e-4   /* direction, per projection, rad */
#define MAX_ANGLE 5e-4   /* the direction is never turned further */
#define RES_POS 3e-3     /* track position at the vertex, per coordinate, m */

bool
hs_sim_in_volume(double x, double y, double z)
{
    return z >= HS_SIM_Z0 && z <= HS_SIM_Z1 && fabs(x) <= hs_kin_half_x(z) &&
           fabs(y) <= hs_kin_half_y(z);
}

/* The HNL's momentum median falls with its mass: heavier ones come from
 * beauty rather than charm and are produced softer. */
static inline double
hnl_p_median(double mass)
{
    return 55.0 - 3.0 * mass;
}

/* HNL lab four-momentum P and decay point v: a direction from the
 * production spectrum and a decay uniform in z along the line from the
 * target, both drawn again until the decay lies inside the volume; then
 * the momentum given that direction (see hs_kin_direction). */
static void
produce_hnl(double mass, gsl_rng *r, struct hs_sim_rng_state *st, double *P, double *v)
{
    const double s = hnl_p_median(mass) / HS_SIM_GAMMA2_MEDIAN, lam = HNL_PT_MEAN / s;
    /* Steeper lines miss the volume everywhere: cut them at once. */
    const double cut = hs_kin_direction_cut(lam, HNL_MAX_SLOPE);
    double d[3], x, z, p, f;

    for (;;) {
        x = hs_kin_direction(r, st, lam, cut, d);
        z = HS_SIM_Z0 + (HS_SIM_Z1 - HS_SIM_Z0) * hs_kin_u(r, st);
        /* Inside at z: |z dx / dz| <= hx(z), multiplied out. */
        if (fabs(z * d[0]) <= hs_kin_half_x(z) * d[2] &&
            fabs(z * d[1]) <= hs_kin_half_y(z) * d[2])
            break;
    }
    f = z / d[2];
    v[0] = f * d[0];
    v[1] = f * d[1];
    v[2] = z;
    p = hs_kin_erlang3(r, st, 1.0 / (1.0 / s + x / HNL_PT_MEAN));
    f = p / sqrt(hs_kin_dot3(d, d));
    P[0] = sqrt(p * p + mass * mass);
    P[1] = f * d[0];
    P[2] = f * d[1];
    P[3] = f * d[2];
}

int
hs_sim_signal_event(enum hs_sim_channel ch, double mass, gsl_rng *r, struct hs_sim_truth *ev)
{
    static const double m3[3] = {HS_SIM_M_MU, HS_SIM_M_MU, 0.0};
    static const double mr[3] = {HS_SIM_M_MU, HS_SIM_M_PI, HS_SIM_M_PI0};
    struct hs_sim_rng_state *st = hs_kin_fast(r);
    struct hs_sim_decay d;
    struct hs_kin_boost b;

    if ((ch != HS_SIM_MUMUNU && ch != HS_SIM_MURHO) || !(mass >= hs_sim_mass_min(ch)) ||
        !(mass <= HS_SIM_MASS_MAX))
        return HS_ERANGE;
    memset(ev, 0, sizeof *ev);
    ev->signal = true;
    ev->mass = mass;
    memcpy(ev->m, ch == HS_SIM_MUMUNU ? m3 : mr, sizeof ev->m);

    /* Both visible tracks must reach the station.  A rejected decay throws
     * its HNL away too, so that the accepted events keep the joint
     * distribution of production and decay.  The first track is tested
     * before the rest of the decay is made: most attempts fail. */
    for (;;) {
        produce_hnl(mass, r, st, ev->hnl, ev->vertex);
        if (ch == HS_SIM_MUMUNU)
            hs_sim_decay_3body_first(mass, m3, r, &d, ev->rest);
        else
            hs_sim_decay_murho_first(mass, r, &d, ev->rest);
        hs_kin_boost_init(&b, ev->hnl, mass);
        memcpy(ev->lab[0], ev->rest[0], sizeof ev->lab[0]);
        hs_kin_boost(&b, ev->lab[0], ev->m[0]);
        if (!hs_kin_reaches_station(ev->vertex, ev->lab[0] + 1))
            continue;
        if (ch == HS_SIM_MUMUNU)
            hs_sim_decay_3body_second(r, &d, ev->rest);
        else
            hs_sim_decay_murho_second(r, &d, ev->rest);
        memcpy(ev->lab[1], ev->rest[1], sizeof ev->lab[1]);
        hs_kin_boost(&b, ev->lab[1], ev->m[1]);
        if (hs_kin_reaches_station(ev->vertex, ev->lab[1] + 1))
            break;
    }
    memcpy(ev->lab[2], ev->rest[2], sizeof ev->lab[2]);
    hs_kin_boost(&b, ev->lab[2], ev->m[2]);
    ev->m_rho = ch == HS_SIM_MURHO ? d.mrho : 0.0;
    memcpy(ev->point[0], ev->vertex, sizeof ev->point[0]);
    memcpy(ev->point[1], ev->vertex, sizeof ev->point[1]);
    return HS_OK;
}

/* The detector's view of one track: the line through `point` along the
 * true momentum p (lab four-vector) comes out as the line through x along
 * q, with |q| smeared by RES_P, its direction turned by a small angle, and
 * the line shifted by RES_POS in x and y.  g holds three standard normal
 * deviates for |q|, x and y. */
static void
smear_track(gsl_rng *r, struct hs_sim_rng_state *st, const double *point, const double *p,
            const double *g, double *x, double *q)
{
    double pm = sqrt(p[1] * p[1] + p[2] * p[2] + p[3] * p[3]), ip = 1.0 / pm;
    double d[3] = {p[1] * ip, p[2] * ip, p[3] * ip};
    double e1[3], e2[3], a1, a2, n, f;

    /* Two axes across the track; d[2] > 0 for every track at the station. */
    n = 1.0 / sqrt(d[0] * d[0] + d[2] * d[2]);
    e1[0] = d[2] * n;
    e1[1] = 0;
    e1[2] = -d[0] * n;
    hs_kin_cross(d, e1, e2);
    do {
        a1 = RES_ANGLE * hs_kin_gauss(r, st);
        a2 = RES_ANGLE * hs_kin_gauss(r, st);
    } while (a1 * a1 + a2 * a2 > MAX_ANGLE * MAX_ANGLE);
    f = 1.0 + RES_P * g[0];
    f = pm * (f > 0.5 ? f : 0.5);
    /* d + a1 e1 + a2 e2 has length sqrt(1 + a1^2 + a2^2). */
    n = f / sqrt(1.0 + a1 * a1 + a2 * a2);
    for (int k = 0; k < 3; k++)
        q[k] = n * (d[k] + a1 * e1[k] + a2 * e2[k]);
    x[0] = point[0] + RES_POS * g[1];
    x[1] = point[1] + RES_POS * g[2];
    x[2] = point[2];
}

void
hs_sim_reconstruct(enum hs_sim_channel ch, const struct hs_sim_truth *ev, gsl_rng *r,
                   double *row)
{
    const double mhyp[2] = {HS_SIM_M_MU, ch == HS_SIM_MURHO ? HS_SIM_M_PI : HS_SIM_M_MU};
    struct hs_sim_rng_state *st = hs_kin_fast(r);
    double x[2][3], q[2][3], c1[3], c2[3], v[3], doca = 0, P[3], x0, y0, g[6];

    for (int k = 0; k < 6; k++)
        g[k] = hs_kin_gauss(r, st);
    for (int i = 0; i < 2; i++) {
        smear_track(r, st, ev->point[i], ev->lab[i], g + 3 * i, x[i], q[i]);
        row[i] = sqrt(hs_kin_dot3(q[i], q[i]) + mhyp[i] * mhyp[i]);
        row[2 + i] = q[i][0];
        row[4 + i] = q[i][1];
        row[6 + i] = q[i][2];
    }
    if (!hs_kin_closest(x[0], q[0], x[1], q[1], c1, c2)) {
        /* Parallel lines: every point is as close; take the two we have. */
        memcpy(c1, x[0], sizeof c1);
        memcpy(c2, x[1], sizeof c2);
    }
    for (int k = 0; k < 3; k++) {
        v[k] = 0.5 * (c1[k] + c2[k]);
        doca += (c1[k] - c2[k]) * (c1[k] - c2[k]);
        P[k] = q[0][k] + q[1][k];
    }
    row[8] = v[0];
    row[9] = v[1];
    row[10] = v[2];
    row[11] = sqrt(doca);
    /* Both tracks run forward (they reach the station), so P[2] > 0. */
    x0 = v[0] - v[2] * P[0] / P[2];
    y0 = v[1] - v[2] * P[1] / P[2];
    row[12] = sqrt(x0 * x0 + y0 * y0);
    row[13] = ev->signal ? ev->mass : 0.0;
    row[14] = ev->signal ? 1.0 : 0.0;
}

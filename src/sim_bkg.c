/* sim_bkg.c: the background, muon combinatorics.
 *
 * Muons that leak through the muon shield enter the decay volume, most
 * through its side walls, some through its entrance window.  Two of them,
 * independent, are paired by chance; the pair is kept when the midpoint
 * of their segment of closest approach lies inside the volume and the
 * segment (the DOCA) is shorter than 1 m.
 *
 * Few pairs pass: about 1 in 13 of the muons that reach the station, and
 * about 45% of the muons reach it, so a background event costs some 60
 * muons.  The muons are therefore drawn in batches by straight-line code
 * with no division, and only the two muons of a kept pair get a momentum
 * (the geometry needs only directions; see hs_kin_direction).
 */
#include "config.h"

#include "sim.h"

#include <math.h>
#include <string.h>

#include "sim_kin.h"

#define BKG_P_MEDIAN 12.0   /* GeV */
#define BKG_PT_MEDIAN 1.3   /* GeV */
#define BKG_WINDOW 0.1      /* fraction entering through the entrance window */
#define BKG_DOCA_MAX 1.0    /* m */
#define BATCH 16

/* Momentum p ~ gamma(2, scale BKG_S), pT ~ exponential(mean BKG_MU). */
#define BKG_S (BKG_P_MEDIAN / HS_SIM_GAMMA2_MEDIAN)
#define BKG_MU (BKG_PT_MEDIAN / M_LN2)

/* A muon line: point x, direction d (unnormalised), and its
 * sin(theta) = xw / sx. */
struct muon {
    double x[3], d[3], sx, xw;
};

/* Draw BATCH muons entering the volume; the ones that reach the station go
 * to out[0..n), n returned.
 *
 * Wall entries are uniform over the walls' area: z from a density
 * proportional to the perimeter, which grows linearly, A + B t for
 * t = (z - Z0) / (Z1 - Z0) in [0, 1], drawn as a mixture of the uniform
 * (weight A / (A + B/2)) and the triangle 2t (the larger of two uniforms);
 * then uniform along the perimeter.  A muon through a wall heads inwards.
 * The direction: sin(theta) from its Lomax law (pT < p: below 1), the
 * azimuth from a point in the disk (see hs_kin_direction).
 *
 * Written for speed, as passes over arrays: first the uniform deviates
 * (32 bits each are plenty for a position or an angle), then straight-line
 * arithmetic with no branch on a random value (a mispredicted branch costs
 * as much as the arithmetic), then the compaction. */
static int
muon_batch(gsl_rng *r, struct muon *out)
{
    const double A = HS_SIM_HX0 + HS_SIM_HY0;
    const double B = (HS_SIM_HX1 - HS_SIM_HX0) + (HS_SIM_HY1 - HS_SIM_HY0);
    const double lam = BKG_MU / BKG_S, cut = hs_kin_direction_cut(lam, 1.0);
    struct hs_sim_rng_state *st = hs_kin_fast(r);
    double uw[BATCH], um[BATCH], u1[BATCH], u2[BATCH], us[BATCH], ul[BATCH];
    double du[BATCH], dv[BATCH], dq[BATCH];
    struct muon m[BATCH];
    int ok[BATCH], n = 0;

    for (int i = 0; i < BATCH; i++) {
        double a, b, c, e;
        hs_kin_u32x2(r, st, &uw[i], &um[i]);
        hs_kin_u32x2(r, st, &u1[i], &u2[i]);
        hs_kin_u32x2(r, st, &us[i], &ul[i]);
        /* Two points in the square; the first inside the disk is taken. */
        hs_kin_u32x2(r, st, &a, &b);
        hs_kin_u32x2(r, st, &c, &e);
        a = 2.0 * a - 1.0, b = 2.0 * b - 1.0, c = 2.0 * c - 1.0, e = 2.0 * e - 1.0;
        du[i] = a * a + b * b < 1.0 ? a : c;
        dv[i] = a * a + b * b < 1.0 ? b : e;
    }
    for (int i = 0; i < BATCH; i++) {
        dq[i] = du[i] * du[i] + dv[i] * dv[i];
        /* Both missed (1 time in 22): draw until inside. */
        while (!(dq[i] < 1.0 && dq[i] > 0.0)) {
            hs_kin_u32x2(r, st, &du[i], &dv[i]);
            du[i] = 2.0 * du[i] - 1.0;
            dv[i] = 2.0 * dv[i] - 1.0;
            dq[i] = du[i] * du[i] + dv[i] * dv[i];
        }
    }

    for (int i = 0; i < BATCH; i++) {
        double t = um[i] * (A + 0.5 * B) < A ? u1[i] : (u1[i] > u2[i] ? u1[i] : u2[i]);
        double z = HS_SIM_Z0 + (HS_SIM_Z1 - HS_SIM_Z0) * t;
        double hx = hs_kin_half_x(z), hy = hs_kin_half_y(z);
        double s = 4.0 * (hx + hy) * us[i], s2 = 4.0 * hy + 2.0 * hx, s3 = s - s2;
        bool win = uw[i] < BKG_WINDOW, w0 = s < 2.0 * hy, w1 = !w0 && s < 4.0 * hy;
        bool w2 = !w0 && !w1 && s < s2, w3 = !w0 && !w1 && !w2;
        double w = sqrt(1.0 - cut * ul[i]), xw = lam * (1.0 - w);
        double ax, ay, x, y;

        /* Direction, scaled by an unknown factor (hs_kin_direction). */
        m[i].d[0] = xw * (du[i] * du[i] - dv[i] * dv[i]);
        m[i].d[1] = xw * 2.0 * du[i] * dv[i];
        m[i].d[2] = dq[i] * sqrt((w - xw) * (w + xw));
        m[i].sx = w;  /* sin(theta) = xw / w, divided only for kept muons */
        m[i].xw = xw;
        ax = fabs(m[i].d[0]);
        ay = fabs(m[i].d[1]);

        /* The entry point, and the direction turned inwards at a wall. */
        x = w0 ? hx : w1 ? -hx : w2 ? s - 4.0 * hy - hx : (s3 < 2.0 * hx ? s3 : 2.0 * hx) - hx;
        y = w0 ? s - hy : w1 ? s - 3.0 * hy : w2 ? hy : -hy;
        m[i].x[0] = win ? HS_SIM_HX0 * (2.0 * u1[i] - 1.0) : x;
        m[i].x[1] = win ? HS_SIM_HY0 * (2.0 * us[i] - 1.0) : y;
        m[i].x[2] = win ? HS_SIM_Z0 : z;
        m[i].d[0] = win ? m[i].d[0] : w0 ? -ax : w1 ? ax : m[i].d[0];
        m[i].d[1] = win ? m[i].d[1] : w2 ? -ay : w3 ? ay : m[i].d[1];
        ok[i] = hs_kin_reaches_station(m[i].x, m[i].d);
    }
    for (int i = 0; i < BATCH; i++) {
        out[n] = m[i];
        n += ok[i];
    }
    return n;
}

/* The momentum of a kept muon: the gamma law of p given its sin(theta). */
static void
muon_momentum(gsl_rng *r, const struct muon *m, double *q)
{
    double x = m->xw / m->sx;
    double p = hs_kin_erlang3(r, hs_kin_fast(r), 1.0 / (1.0 / BKG_S + x / BKG_MU));
    double f = p / sqrt(hs_kin_dot3(m->d, m->d));

    q[0] = sqrt(p * p + HS_SIM_M_MU * HS_SIM_M_MU);
    q[1] = f * m->d[0];
    q[2] = f * m->d[1];
    q[3] = f * m->d[2];
}

void
hs_sim_background_event(gsl_rng *r, struct hs_sim_truth *ev)
{
    struct muon mu[BATCH + 1];
    const struct muon *a, *b;
    double c1[3], c2[3], v[3], dd;
    int n = 0, k = 0;

    memset(ev, 0, sizeof *ev);
    ev->m[0] = ev->m[1] = HS_SIM_M_MU;
    /* Consecutive muons are paired, and a pair is kept or dropped whole:
     * keeping one muon and drawing only the other again would favour
     * muons that pair easily.  Muons left over when a pair is kept were
     * never looked at, so dropping them biases nothing. */
    for (;;) {
        if (n - k < 2) {
            if (n - k == 1) {
                mu[0] = mu[k];
                n = 1;
            } else {
                n = 0;
            }
            k = 0;
            n += muon_batch(r, mu + n);
            continue;
        }
        a = &mu[k];
        b = &mu[k + 1];
        k += 2;
        if (!hs_kin_closest(a->x, a->d, b->x, b->d, c1, c2))
            continue;
        dd = 0;
        for (int i = 0; i < 3; i++) {
            v[i] = 0.5 * (c1[i] + c2[i]);
            dd += (c1[i] - c2[i]) * (c1[i] - c2[i]);
        }
        if (dd < BKG_DOCA_MAX * BKG_DOCA_MAX && hs_sim_in_volume(v[0], v[1], v[2]))
            break;
    }
    ev->doca = sqrt(dd);
    memcpy(ev->vertex, v, sizeof v);
    memcpy(ev->point[0], c1, sizeof c1);
    memcpy(ev->point[1], c2, sizeof c2);
    muon_momentum(r, a, ev->lab[0]);
    muon_momentum(r, b, ev->lab[1]);
}

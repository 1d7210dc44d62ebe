/* sim_bkg.c: the background, muon combinatorics.
 *
 * Muons that leak through the muon shield (momentum p ~ gamma(2) with a
 * median of 12 GeV, transverse momentum exponential with a median of
 * 1.3 GeV, so directions spread by pT/p ~ 0.1) illuminate the tracking
 * station uniformly.  Each muon is the straight line through a point
 * uniform over the station and along its direction; drawn back upstream it
 * crosses the decay volume's walls or entrance window wherever it does.
 * A uniform flux means one density of lines per unit area across the beam
 * at every z: wall entries weighted by the flux through the wall, as a
 * real flux is.  Two such muons, independent, are paired by chance; the
 * pair is kept when the midpoint of their segment of closest approach lies
 * inside the volume and the segment (the DOCA) is shorter than 1 m.
 *
 * About 1 pair in 40 passes (1 in 20 with the symmetry in test_pairs), so
 * a background event costs some 40 muons: they are drawn in batches by
 * straight-line code, and only the two muons of a kept pair get a momentum
 * (the geometry needs only directions; see hs_kin_direction).
 */
#include "config.h"

#include "sim.h"

#include <math.h>
#include <string.h>

#include "sim_kin.h"

#define BKG_P_MEDIAN 12.0   /* GeV */
#define BKG_PT_MEDIAN 1.3   /* GeV */
#define BKG_DOCA_MAX 1.0    /* m */
#define NPAIR 2             /* pairs per batch: more leave more unused */

/* Momentum p ~ gamma(2, scale BKG_S), pT ~ exponential(mean BKG_MU). */
#define BKG_S (BKG_P_MEDIAN / HS_SIM_GAMMA2_MEDIAN)
#define BKG_MU (BKG_PT_MEDIAN / M_LN2)

/* A batch of muon lines: the point on the station plane, the direction
 * (unnormalised) and the two parts of sin(theta) = xw / w. */
struct lines {
    double x[2 * NPAIR], y[2 * NPAIR], d[2 * NPAIR][3], w[2 * NPAIR], xw[2 * NPAIR];
};

/* Draw 2 NPAIR muon lines, by straight-line arithmetic with no branch on a
 * random value (a mispredicted branch costs as much as the arithmetic). */
static void
draw_lines(gsl_rng *r, struct lines *l)
{
    const double lam = BKG_MU / BKG_S, cut = hs_kin_direction_cut(lam, 1.0);
    struct hs_sim_rng_state *fast = hs_kin_fast(r), st = {0};

    if (fast)
        st = *fast;  /* a local copy stays in a register */
    for (int i = 0; i < 2 * NPAIR; i++) {
        struct hs_sim_rng_state *sp = fast ? &st : NULL;
        double ux, uy, ul, du, dv, dq, w, xw;

        /* The station point, sin(theta) (pT < p: below 1) and the azimuth
         * from a point in the disk. */
        hs_kin_u3(r, sp, &ux, &uy, &ul);
        dq = hs_kin_disk(r, sp, &du, &dv);
        w = sqrt(1.0 - cut * ul);
        xw = lam * (1.0 - w);
        l->x[i] = HS_SIM_SX * (2.0 * ux - 1.0);
        l->y[i] = HS_SIM_SY * (2.0 * uy - 1.0);
        /* As hs_kin_direction: scaled by w dq. */
        l->d[i][0] = xw * (du * du - dv * dv);
        l->d[i][1] = xw * 2.0 * du * dv;
        l->d[i][2] = dq * sqrt((w - xw) * (w + xw));
        l->w[i] = w;
        l->xw[i] = xw;
    }
    if (fast)
        *fast = st;
}

/* Test the pairs (2j, 2j+1) of a batch; the index of the first kept, or -1.
 * c1, c2 get its points of closest approach (on the lines of muons 2j and
 * 2j+1).
 *
 * Half the pairs are saved by a symmetry: the closest approach lies
 * upstream of the station (as it must to be in the volume) only when
 * sigma = s d1z + t d2z < 0, where c1 = S1 + s d1 and c2 = S2 + t d2; and
 * swapping the two station points, which leaves the pair's probability as
 * it is (both are uniform and independent), turns (s, t) into (-s, -t).
 * So a pair with sigma > 0 is swapped instead of dropped: the pairs that
 * come out have the distribution of the pairs with sigma < 0, all of
 * which can pass. */
static int
test_pairs(const struct lines *l, double *c1, double *c2)
{
    for (int j = 0; j < NPAIR; j++) {
        const int i1 = 2 * j, i2 = 2 * j + 1;
        const double *d1 = l->d[i1], *d2 = l->d[i2];
        double w[3] = {l->x[i2] - l->x[i1], l->y[i2] - l->y[i1], 0.0};
        double b1[2] = {l->x[i1], l->y[i1]}, b2[2] = {l->x[i2], l->y[i2]};
        double n[3], a[3], nn, g, s, t, v[3];

        hs_kin_cross(d1, d2, n);
        nn = hs_kin_dot3(n, n);
        /* DOCA = |w . n| / |n|, checked before anything is divided. */
        g = hs_kin_dot3(w, n);
        if (!(g * g < BKG_DOCA_MAX * BKG_DOCA_MAX * nn) ||
            !(nn > 1e-24 * hs_kin_dot3(d1, d1) * hs_kin_dot3(d2, d2)))
            continue;
        hs_kin_cross(w, d2, a);
        s = hs_kin_dot3(a, n);
        hs_kin_cross(w, d1, a);
        t = hs_kin_dot3(a, n);
        if (s * d1[2] + t * d2[2] > 0) {
            s = -s;
            t = -t;
            b1[0] = l->x[i2], b1[1] = l->y[i2];
            b2[0] = l->x[i1], b2[1] = l->y[i1];
        }
        s /= nn;
        t /= nn;
        c1[0] = b1[0] + s * d1[0];
        c1[1] = b1[1] + s * d1[1];
        c1[2] = HS_SIM_ZST + s * d1[2];
        c2[0] = b2[0] + t * d2[0];
        c2[1] = b2[1] + t * d2[1];
        c2[2] = HS_SIM_ZST + t * d2[2];
        for (int k = 0; k < 3; k++)
            v[k] = 0.5 * (c1[k] + c2[k]);
        if (hs_sim_in_volume(v[0], v[1], v[2]))
            return j;
    }
    return -1;
}

/* The lab four-momentum of muon i of a batch: the gamma law of p given its
 * sin(theta). */
static void
muon_momentum(gsl_rng *r, const struct lines *l, int i, double *q)
{
    double x = l->xw[i] / l->w[i];
    double p = hs_kin_erlang3(r, hs_kin_fast(r), 1.0 / (1.0 / BKG_S + x / BKG_MU));
    double f = p / sqrt(hs_kin_dot3(l->d[i], l->d[i]));

    q[0] = sqrt(p * p + HS_SIM_M_MU * HS_SIM_M_MU);
    q[1] = f * l->d[i][0];
    q[2] = f * l->d[i][1];
    q[3] = f * l->d[i][2];
}

void
hs_sim_background_event(gsl_rng *r, struct hs_sim_truth *ev)
{
    struct lines l;
    double c1[3], c2[3], dd = 0;
    int j;

    memset(ev, 0, sizeof *ev);
    ev->m[0] = ev->m[1] = HS_SIM_M_MU;
    /* A pair is kept or dropped whole: keeping one muon and drawing only
     * the other again would favour muons that pair easily.  The pairs of a
     * batch after the kept one were never looked at, so dropping them
     * biases nothing. */
    do {
        draw_lines(r, &l);
        j = test_pairs(&l, c1, c2);
    } while (j < 0);

    for (int k = 0; k < 3; k++) {
        ev->vertex[k] = 0.5 * (c1[k] + c2[k]);
        dd += (c1[k] - c2[k]) * (c1[k] - c2[k]);
    }
    ev->doca = sqrt(dd);
    memcpy(ev->point[0], c1, sizeof c1);
    memcpy(ev->point[1], c2, sizeof c2);
    muon_momentum(r, &l, 2 * j, ev->lab[0]);
    muon_momentum(r, &l, 2 * j + 1, ev->lab[1]);
}

/* sim.h: the embedded demo, a SHiP-like heavy neutral lepton event generator.
 *
 * A small, honest generator (the physics brief is PHYSICS.md).  Units are
 * GeV and metres, c = 1; the beam runs along +z from the target at the
 * origin.  Decay volume: a frustum from z = 32 m to 82 m whose x by y
 * cross-section grows linearly from 1.0 x 2.7 m to 4.0 x 6.2 m; tracking
 * station at z = 95 m, 4 x 6 m: both visible tracks must reach it.
 *
 * Signal (channel mumunu): an HNL N of mass M with momentum from a gamma
 * distribution (shape 2, median 55 - 3 M GeV: about 50, heavier softer) and
 * an exponential transverse momentum (mean 1 GeV), decaying uniformly in z
 * inside the volume along its flight line, N -> mu+ mu- nu by three-body
 * phase space (the V-A matrix element is ignored), the neutrino unseen.
 * Channel murho: N -> mu+ rho-, rho- -> pi- pi0 (rho mass Breit-Wigner, the
 * pi0 unseen).  N is Majorana: the charge conjugate mu- pi+ has the same
 * kinematics, so only mu+ pi- is generated.  The volume and the station
 * keep forward, harder HNLs: over the grid, the kept ones have a median p
 * near 80 GeV, and the visible pair a pT of 0.25 to 1.8 GeV (10% to 90%).
 *
 * Background: muon combinatorics.  Muons that leak through the muon shield
 * (momentum gamma, shape 2, median 12 GeV; transverse momentum
 * exponential, median 1.3 GeV: softer, and spread over wider angles)
 * illuminate the tracking station uniformly: each is the straight line
 * through a point uniform over the station along its direction, and drawn
 * back it enters the volume through its walls or entrance window.  Two
 * independent muons are paired by chance; the vertex is the midpoint of
 * their segment of closest approach, which must lie inside the volume, and
 * its length, the DOCA, must be below 1 m (so it is near uniform in
 * [0, 1 m]).  The station's acceptance favours forward muons: the kept
 * ones have median p near 15 GeV and pT near 0.75 GeV.
 *
 * Detector: each track's |p| is smeared by 1% (Gaussian), its direction
 * turned by a Gaussian angle of 0.2 mrad per projection cut at 0.5 mrad,
 * and E recomputed from the mass hypothesis (muon; the murho channel's
 * second track a pion), so every reconstructed track has its mass.  Each
 * track line is shifted by 3 mm (Gaussian, in x and in y) at the vertex;
 * the reconstructed vertex and DOCA are those of the smeared lines, so the
 * signal's DOCA is a few mm wide.  The impact parameter (ip) is the
 * distance from the origin at which the pair's summed momentum, drawn from
 * the vertex back to the target plane z = 0, crosses it.
 *
 * Columns (HS_SIM_NCOLS, in this order), channel mumunu:
 *   E_mu_plus, E_mu_minus, p_mu_plus_x, p_mu_minus_x, p_mu_plus_y,
 *   p_mu_minus_y, p_mu_plus_z, p_mu_minus_z   (GeV, reconstructed)
 *   vx, vy, vz  (reconstructed vertex, m, z from the target)
 *   doca, ip    (m)
 *   HNL_mass    (true mass, GeV; 0 for background; the group column)
 *   Truth       (1 signal, 0 background; the label source)
 * Channel murho: the first track is always the mu+ and keeps its names; the
 * second track is the pi- and its columns are E_pi_minus, p_pi_minus_x,
 * p_pi_minus_y, p_pi_minus_z, in the same places.
 *
 * Event order: the table is cut into blocks of HS_SIM_BLOCK rows.  Block b
 * holds floor(e*S/N) - floor(s*S/N) signal events (rows [s, e) of N, S
 * signal events in all), so every block has the overall class ratio; the
 * k-th signal event overall has mass point k mod npoints; within a block
 * the events are shuffled.  Each block draws from its own stream
 * (hs_sim_rng_type()) seeded from (seed, b): the same seed gives the same
 * bytes, whatever the order in which blocks are made.
 */
#ifndef HS_SIM_H
#define HS_SIM_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "err.h"
#include "table.h"
#include "task.h"

#define HS_SIM_M_MU 0.10566   /* muon mass, GeV */
#define HS_SIM_M_PI 0.13957   /* charged pion */
#define HS_SIM_M_PI0 0.13498  /* neutral pion */
#define HS_SIM_M_RHO 0.775    /* rho(770) mass */
#define HS_SIM_W_RHO 0.149    /* rho(770) width */

#define HS_SIM_NCOLS 15       /* columns of a generated table (before "_label") */
#define HS_SIM_NMASS 21       /* the mass grid: 0.5, 0.75, ..., 5.5 GeV */
#define HS_SIM_MASS_MAX 6.0   /* the heaviest mass accepted, GeV */
#define HS_SIM_BLOCK 65536    /* rows per block: one random stream */

enum hs_sim_channel {
    HS_SIM_MUMUNU = 0,  /* N -> mu+ mu- nu */
    HS_SIM_MURHO = 1,   /* N -> mu+ rho-, rho- -> pi- pi0 */
};

struct hs_sim_config {
    enum hs_sim_channel channel;
    size_t n_signal;      /* at least 1 */
    size_t n_background;
    double mass;          /* GeV; 0 = every grid mass of the channel, spread evenly */
    unsigned long seed;
};

/* Defaults: mumunu, 20000 signal, 200000 background, all masses, seed 1. */
void hs_sim_config_init(struct hs_sim_config *c);

/* "mumunu" or "murho"; NULL for an unknown channel. */
const char *hs_sim_channel_name(enum hs_sim_channel ch);

/* Parse a channel name; HS_EUSAGE naming the choices when unknown. */
int hs_sim_channel_parse(const char *name, enum hs_sim_channel *ch, struct hs_err *err);

/* The lightest mass the channel accepts: 0.25 GeV for mumunu; for murho
 * 0.9 GeV, above m_mu + m_rho = 0.881 GeV. */
double hs_sim_mass_min(enum hs_sim_channel ch);

/* The mass points a configuration uses, in order, into out (room for
 * HS_SIM_NMASS); returns how many.  mass 0 gives the grid points at or above
 * hs_sim_mass_min(): all 21 for mumunu, the 19 from 1.0 to 5.5 for murho. */
size_t hs_sim_masses(enum hs_sim_channel ch, double mass, double *out);

/* Name of column i (< HS_SIM_NCOLS) of the channel's table. */
const char *hs_sim_column_name(enum hs_sim_channel ch, size_t i);

/* Generate n_signal + n_background events into a new table, *out, owned by
 * the caller (free with hs_table_free).  Its columns are those above, then
 * the synthetic "_label" made by hs_table_set_label(t, "Truth", "1"); HNL_mass
 * has the group role.  HS_EUSAGE for a bad channel or no signal event,
 * HS_ERANGE for a mass outside [hs_sim_mass_min(), HS_SIM_MASS_MAX],
 * HS_ENOMEM.  Blocks are shared among OpenMP threads (omp_get_max_threads());
 * the table is the same, bit for bit, for any number of threads.  Checks
 * task's cancel flag every 8192 events (a few ms) and then returns
 * HS_ECANCELLED; reports progress from the calling thread after its first
 * block, then about 5 times a second.  *out is set only on success. */
int hs_sim_generate(const struct hs_sim_config *c, struct hs_table **out,
                    const struct hs_task *task, struct hs_err *err);

/* --- one event at a time: what the generator does for each row --- */

/* The random stream the generator uses: wyrand behind GSL's gsl_rng
 * interface (gsl_rng_alloc(hs_sim_rng_type())), drawn inline.  The
 * functions below accept any gsl_rng; this one is the fastest. */
const gsl_rng_type *hs_sim_rng_type(void);

/* The true (unsmeared) kinematics of one event.  Four-vectors are
 * {E, px, py, pz}.  Particle order: mumunu 0 = mu+, 1 = mu-, 2 = nu;
 * murho 0 = mu+, 1 = pi-, 2 = pi0; background 0 = mu+, 1 = mu- (both true
 * muons, in either channel), 2 unused (zero). */
struct hs_sim_truth {
    bool signal;
    double mass;          /* HNL mass (0 for background) */
    double hnl[4];        /* HNL lab four-momentum (signal) */
    double vertex[3];     /* true decay vertex; background: midpoint of closest approach */
    double doca;          /* background: true DOCA; signal 0 */
    double m[3];          /* the true masses of the particles */
    double lab[3][4];     /* lab-frame four-momenta */
    double rest[3][4];    /* HNL rest-frame four-momenta (signal) */
    double m_rho;         /* murho: this decay's rho mass */
    double point[2][3];   /* a point on each visible track's line (its closest approach) */
};

/* One accepted signal event (decay inside the volume, both visible tracks
 * at the station) at HNL mass `mass`, drawn from r.  HS_ERANGE for a mass
 * outside the channel's range. */
int hs_sim_signal_event(enum hs_sim_channel ch, double mass, gsl_rng *r,
                        struct hs_sim_truth *ev);

/* One accepted background pair (vertex inside the volume, DOCA < 1 m, both
 * at the station), drawn from r. */
void hs_sim_background_event(gsl_rng *r, struct hs_sim_truth *ev);

/* The detector: smear ev's two visible tracks and fill one table row (the
 * HS_SIM_NCOLS columns, in order) for channel ch. */
void hs_sim_reconstruct(enum hs_sim_channel ch, const struct hs_sim_truth *ev, gsl_rng *r,
                        double *row);

/* Is (x, y, z) inside the decay volume? */
bool hs_sim_in_volume(double x, double y, double z);

#endif

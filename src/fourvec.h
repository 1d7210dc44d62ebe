/* fourvec.h: finding particles among a dataset's columns.
 *
 * Physicists name the four-momentum of a particle in a handful of ways:
 * E1,px1,py1,pz1 (CMS open data), E_mu_plus,p_mu_plus_x,... (SHiP studies),
 * mu_px, Muon_Px, px_mu, and pt/eta/phi triples.  hs_fourvec_find reads the
 * column names only, splits each into a component (E, px, py, pz, pt, eta,
 * phi) and a particle key, and returns the keys that have a whole set.
 * hs_fourvec_suggest turns each pair of particles into derived features
 * (name + expression in the expression language).
 */
#ifndef HS_FOURVEC_H
#define HS_FOURVEC_H

#include <stddef.h>

#include "err.h"

enum hs_fv_comp {
    HS_FV_E, HS_FV_PX, HS_FV_PY, HS_FV_PZ, HS_FV_PT, HS_FV_ETA, HS_FV_PHI, HS_FV_NCOMP
};

struct hs_particle {
    char *key;                   /* "1", "mu_plus", ... */
    long col[HS_FV_NCOMP];       /* column index of each component, -1 when absent */
    int has_cartesian;           /* E, px, py, pz all present */
    int has_polar;               /* pt, eta, phi all present */
};

/* Particles in names[0..n), in order of their first column.  *out is a new
 * array; free with hs_particles_free. */
int hs_fourvec_find(const char *const *names, size_t n, struct hs_particle **out,
                    size_t *nout, struct hs_err *err);
void hs_particles_free(struct hs_particle *p, size_t n);

struct hs_suggestion {
    char *name;   /* "m_1_2", ... a valid column name */
    char *expr;   /* "mass(E1,px1,py1,pz1,E2,px2,py2,pz2)" */
    char *what;   /* "invariant mass of 1 and 2" */
};

/* Pair quantities for every pair of particles: invariant mass, pair pT,
 * opening angle (cartesian only), delta-phi, delta-R and rapidity
 * (cartesian only).  Names already in names[] are skipped. */
int hs_fourvec_suggest(const char *const *names, size_t n, struct hs_suggestion **out,
                       size_t *nout, struct hs_err *err);
void hs_suggestions_free(struct hs_suggestion *s, size_t n);

#endif

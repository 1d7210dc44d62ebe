/* rmm.h: the rapidity-mass matrix (RMM) of S. V. Chekanov, "Imaging
 * particle collision data for event classification using machine
 * learning", Nucl. Instrum. Meth. A 931 (2019) 92, arXiv:1805.11650, as
 * derived features of a dataset.
 *
 * The objects are the particles hs_fourvec_find sees in the column names
 * (src/fourvec.h), grouped into types by their key without its number and
 * charge word ("mu1", "mu2" -> mu; "e_plus" -> e; "1".."4" -> obj), or,
 * when the types are given by particle code, by each event's code columns
 * (PID1 = -11: particle 1 is an electron in this event); ordered in each
 * event by transverse energy within their type, at most N of each type.
 * The matrix has one row and column for the missing transverse energy
 * (MET) and one per object, types in the order of their first column (or
 * as given).  Its cells, all divided by sqrt(s) where they carry energy:
 *
 *   (met, met)    E_T^miss / sqrt(s)
 *   (met, b)      m_T(b, MET) / sqrt(s), with
 *                 m_T^2 = (E_T,b + E_T^miss)^2 - (p_x,b + MET_x)^2 - (p_y,b + MET_y)^2
 *   (a, met)      h_L(a) = cosh(y_a) - 1, the rapidity of the object alone
 *   (a, a)        the first object of its type: E_T,a / sqrt(s); the k-th (k > 1):
 *                 the imbalance (E_T,k-1 - E_T,k) / (E_T,k-1 + E_T,k)
 *   (a, b), a < b m_ab / sqrt(s), the invariant mass of the pair
 *   (b, a), a < b h(y_ab) = cosh((y_b - y_a) / 2) - 1
 *
 * The paper writes h with a constant factor C; its author's reference code
 * (Map2RMM, map2rmm.cxx) uses C = 1, and so does this.  E_T = E p_T / |p|
 * (ROOT's TLorentzVector::Et); y is the rapidity from E and p_z.  A
 * particle with only p_T, eta and phi is taken as massless (E_T = p_T,
 * y = eta).  The MET row exists when the dataset has MET columns (met and
 * met_phi, or met_px and met_py, in any case); the first column does not
 * need it.  An object an event lacks (a NaN component, or fewer objects
 * than ranks) leaves its cells missing (NaN), not 0 as in the paper, so
 * that "no object" stays apart from "an object at rest at y = 0".
 *
 * Why expressions: every cell is a derived feature whose expression reads
 * the dataset's columns, so the session stores, journals and recomputes it
 * like any other (a dataset replaced by a larger file gets its RMM again
 * for free).  The expression language has no conditional, yet the cells
 * need the k-th object of a type by E_T, event by event; helper features
 * (off: not default inputs) do that:
 *   rmm_et_KEY      E_T of particle KEY (NaN when any component is)
 *   rmm_rank_KEY    its rank by E_T within its type, 1 = highest (ties go to
 *                   the earlier column); 0 when it is missing (by code:
 *                   rmm_rank_TYPE_KEY, 0 also when it is of another type)
 *   rmm_OBJ_E, _px, _py, _pz, _et, _y
 *                   the four-vector, E_T and rapidity of object OBJ (mu2: the
 *                   second muon by E_T), picked from the particles as
 *                   sum_i (x_i ^ [rank_i == k] + [rank_i == k] - 1) / sum_i [rank_i == k]
 *                   where x^0 = 1 even for a missing x (C's pow), so a
 *                   missing particle of another rank does not spoil the
 *                   sum, and no particle of rank k gives 0/0, missing.
 * The cells (on) are named rmm_ROW_COL with the object names of the
 * matrix: rmm_met_met, rmm_met_mu1, rmm_mu1_met, rmm_mu1_mu1,
 * rmm_mu1_mu2 (mass), rmm_mu2_mu1 (rapidity difference), ...
 */
#ifndef HS_RMM_H
#define HS_RMM_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define HS_RMM_OBJECTS 4       /* objects of each type, by default */
#define HS_RMM_SQRT_S 13000.0  /* GeV: the LHC's Run 2, the paper's setting */
#define HS_RMM_MAX_OBJECTS 64  /* objects in all: 4,225 cells */

/* A type of object given by particle code (the PDG's: 11 electron, 13
 * muon, 22 photon), for files whose particle columns hold any type, each
 * with its code column (E1,px1,...,PID1): the particles whose |code| is
 * this one in an event are that event's objects of the type. */
struct hs_rmm_code {
    const char *type; /* "e" */
    long code;        /* 11; the sign (the charge) is ignored */
};

struct hs_rmm_opts {
    size_t objects; /* most objects of one type; 0: HS_RMM_OBJECTS */
    double sqrt_s;  /* GeV; 0: HS_RMM_SQRT_S */
    const struct hs_rmm_code *pid; /* npid types by code, in this order; none: by key */
    size_t npid;
};

struct hs_rmm_feature {
    char *name;
    char *expr;
    char *what;  /* "invariant mass of mu1 and mu2 / sqrt(s)" */
    bool cell;   /* a cell of the matrix (on); else a helper (off) */
};

struct hs_rmm {
    struct hs_rmm_feature *f; /* in an order where each reads only earlier ones */
    size_t n, cap;
    size_t ncells;
    char **objects;           /* the matrix's object names after met: "mu1", ... */
    size_t nobjects;
    bool has_met;
};

/* The RMM features of a dataset whose columns are names[0..n).  Errors:
 * HS_ENOTFOUND when no particle is found, HS_ERANGE when the matrix would
 * hold more than HS_RMM_MAX_OBJECTS objects, HS_EUSAGE for bad options,
 * HS_ENOMEM.  out is filled on success only; release with hs_rmm_release. */
int hs_rmm_build(const char *const *names, size_t n, const struct hs_rmm_opts *opts,
                 struct hs_rmm *out, struct hs_err *err);
void hs_rmm_release(struct hs_rmm *r);

/* Is name one of the names hs_rmm_build gives ("rmm_" then anything)? */
bool hs_rmm_name(const char *name);

#endif

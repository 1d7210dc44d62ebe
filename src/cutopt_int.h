/* cutopt_int.h: what the cut optimiser's two files share (cutopt.c sets
 * the problem up and reports; cutopt_search.c searches over bin boxes). */
#ifndef HS_CUTOPT_INT_H
#define HS_CUTOPT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "task.h"

/* Codes: 0 below the first edge, c for edge[c-1] <= x < edge[c], top for
 * x >= the last edge; NaN is CO_NAN, above every top, so it fails every box. */
#define CO_NAN 255
#define CO_MAXQ 253 /* bins between the edges: codes 0 .. CO_MAXQ + 1 */

/* The training events, coded: signal events first, then background. */
struct co_prob {
    size_t nf, nt, ns; /* features, training events, of them signal */
    uint8_t **code;    /* nf columns of nt codes */
    double **x;        /* nf columns of nt values (for the polish) */
    double *w;         /* nt weights */
    double **edge;     /* nf: top[k] edges each */
    uint32_t **ev;     /* nf: the events sorted by their code in k ... */
    uint32_t **start;  /* ... those of code c at ev[k][start[k][c] .. start[k][c + 1]) */
    uint8_t *top;      /* nf: the highest code; 0 for a feature left open */
    double stot, btot; /* training sums, events with NaN included */
    bool negw;         /* some weight is negative */
    const struct hs_task *task;
};

/* A box of codes and its training sums. */
struct co_box {
    uint8_t *lo, *hi; /* nf each */
    double s, b;
    bool ok; /* holds the needed signal */
};

/* A box with what makes its moves cheap: how many features each event
 * fails, and for each feature k the signal and background histograms over
 * k's codes of the events passing every other feature (h + 512 k, the
 * background 256 further).  Changing one range updates them from the
 * events of the bins that enter or leave it. */
struct co_state {
    struct co_box box;
    uint8_t *fail; /* nt */
    double *h;     /* nf * 512 */
};

/* The best window [*pa, *pb] of items 0..len-1 (signal s, background b):
 * least background holding at least need signal, ties to more signal, then
 * widened over neighbours that add no background.  ps, pb: len + 1 scratch
 * each.  false when no window holds need. */
bool hs_cutopt_window(const double *s, const double *b, size_t len, double need, bool negw,
                      double *ps, double *pbk, size_t *pa, size_t *pz, double *outs, double *outb);

/* Fail counts of a box from scratch. */
void hs_cutopt_fail_init(const struct co_prob *p, const uint8_t *lo, const uint8_t *hi,
                         uint8_t *fail);

/* The state of the box with every feature open. */
void hs_cutopt_state_open(const struct co_prob *p, struct co_state *st);

/* Search the best box for need, starting from the boxes in seeds (nseeds,
 * any may be infeasible), writing it to best.  HS_ECANCELLED, HS_ENOMEM. */
struct co_search {
    const struct co_prob *p;
    const struct co_state *open; /* hs_cutopt_state_open's, or any state: seeds are made
                                    from it by changing the ranges that differ */
    struct co_state *keep;       /* NULL, or where to copy the best state */
    int nthreads;
    size_t pop, gens; /* population and generations of the evolutionary stage */
    uint64_t seed;
    double prog0, prog1; /* the run's progress before and after this search */
};
int hs_cutopt_search(const struct co_search *sr, double need, const struct co_box *seeds,
                     size_t nseeds, struct co_box *best);

#endif

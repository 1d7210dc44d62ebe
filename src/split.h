/* split.h: the seeded, stratified train / validation / test split.
 *
 * Every method of a dataset (cuts, classifiers) is trained on the same
 * training events and judged on the same test events, so the split is made
 * once, stored in the session (sessions/results.h), and shared.
 *
 * Stratified: events are grouped by class (label 1 / 0 / missing) and, when
 * the table has a group column, by group too (the demo's HNL mass points),
 * and each stratum is divided in the requested proportions on its own, so
 * the test part has the overall class ratio and every mass point.  Counts
 * per stratum are apportioned by largest remainders, so the parts' sizes
 * are as close to the fractions as whole events allow.  Which events go
 * where comes from a seeded shuffle (a generator of hepscope's own, not
 * the C library's): the same table, fractions and seed give the same split
 * on every machine.
 */
#ifndef HS_SPLIT_H
#define HS_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "table.h"

enum hs_part {
    HS_PART_TRAIN = 0,
    HS_PART_VAL = 1,
    HS_PART_TEST = 2,
};

/* Which events a computation runs on: a part, or all events. */
enum hs_part_sel {
    HS_ON_TRAIN = HS_PART_TRAIN,
    HS_ON_VAL = HS_PART_VAL,
    HS_ON_TEST = HS_PART_TEST,
    HS_ON_ALL = 3,
};

#define HS_SPLIT_DEFAULT_TRAIN 0.5
#define HS_SPLIT_DEFAULT_VAL 0.25
#define HS_SPLIT_DEFAULT_TEST 0.25
#define HS_SPLIT_DEFAULT_SEED 0

struct hs_split {
    double frac[3];    /* train, val, test fractions as asked (sum 1) */
    uint64_t seed;
    size_t n;          /* events */
    uint8_t *part;     /* n entries, each an enum hs_part */
    size_t count[3];   /* events in each part */
};

/* Make a split of t's rows.  Fractions are each in [0, 1] and must sum to
 * 1 within 1e-9 (HS_EUSAGE saying what they sum to); the training part
 * must not be empty when t has rows.  sp is filled (release with
 * hs_split_release).  HS_ENOMEM. */
int hs_split_make(const struct hs_table *t, double train, double val, double test, uint64_t seed,
                  struct hs_split *sp, struct hs_err *err);
void hs_split_release(struct hs_split *sp);

/* Fill mask[0..n) with 1 for the rows in `on` and 0 for the others
 * (every row for HS_ON_ALL; sp may then be NULL).  Returns the count. */
size_t hs_split_mask(const struct hs_split *sp, enum hs_part_sel on, size_t n, unsigned char *mask);

/* "train", "val", "test", "all"; and back (-1 when unknown: the caller
 * names the accepted words). */
const char *hs_part_sel_name(enum hs_part_sel on);
int hs_part_sel_parse(const char *s);

#endif

/* freq.h: the frequency table of a column (VisiData's Shift-F): how many
 * rows hold each value, in total and per class.
 *
 * What is counted, by column:
 *   - text (codes into cats): one entry per string that occurs, most
 *     frequent first, ties in the strings' byte order;
 *   - numbers with at most max_distinct distinct values (-0 and +0 are
 *     one value, as they compare equal): one entry per value, most
 *     frequent first, ties in numeric order;
 *   - numbers with more (a continuous column, or an integer one of wide
 *     range): bins of one round width (1, 2 or 5 times a power of ten,
 *     the first at least span / HS_FREQ_BINS) from a multiple of the
 *     width at or below the smallest finite value, so about 10-20 bins,
 *     in value order, empty ones included; bin k holds
 *     lo + k * width <= v < lo + (k + 1) * width, the largest value
 *     in the last.  -inf and +inf are then entries of their own, before
 *     and after the bins.
 * Missing values (NaN) are one entry, always last.
 *
 * Per class: with a label column (1 signal, 0 background, anything else
 * neither), each entry also counts its signal and background rows.
 *
 * Cost: two streaming passes over the rows (distinct values and range,
 * then counts), split over hs_par_threads() parts run by the par.h
 * executor; a million rows are a few milliseconds.  Counts are integers,
 * so the result never depends on the thread count. */
#ifndef HS_FREQ_H
#define HS_FREQ_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "task.h"

#define HS_FREQ_BINS 20

enum hs_freq_what {
    HS_FREQ_VALUE, /* a number: value */
    HS_FREQ_TEXT,  /* a string: code, the index into the column's strings */
    HS_FREQ_BIN,   /* [lo, hi) */
    HS_FREQ_MISSING,
};

struct hs_freq_entry {
    enum hs_freq_what what;
    double value;   /* HS_FREQ_VALUE (also -inf, +inf among bins) */
    size_t code;    /* HS_FREQ_TEXT */
    double lo, hi;  /* HS_FREQ_BIN */
    size_t count, nsig, nbkg;
};

struct hs_freq {
    struct hs_freq_entry *entries; /* owned */
    size_t n;
    bool binned;            /* numbers in bins (then width and the bins' lo, hi) */
    double width;
    size_t total, nsig, nbkg; /* rows counted, of which signal and background */
};

/* What to count: rows[0..n) of the column v (every row 0..n when rows is
 * NULL).  A text column gives its strings (ncats > 0, cats non-NULL) and
 * holds codes in v; label (indexed like v) may be NULL.  max_distinct is
 * the most distinct numbers listed one by one (at least 1). */
struct hs_freq_input {
    const double *v;
    const size_t *rows;
    size_t n;
    const char *const *cats;
    size_t ncats;
    const double *label;
    size_t max_distinct;
};

/* Count into *out (initialised here; hs_freq_release frees).  HS_OK,
 * HS_ENOMEM, HS_ECANCELLED (within a chunk of rows of the flag; *out then
 * empty). */
int hs_freq_count(const struct hs_freq_input *in, struct hs_freq *out, const struct hs_task *task,
                  struct hs_err *err);
void hs_freq_release(struct hs_freq *f);

#endif

/* freq.c: frequency tables of a column (see freq.h). */
#include "config.h"

#include "freq.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "par.h"
#include "sortkey.h"

/* Rows per part: a part is the unit of cancel checks and of progress. */
#define FREQ_BLOCK 65536
/* The most distinct values a table lists one by one: beyond that a
 * frequency table of values is no longer read, only scrolled. */
#define FREQ_DISTINCT_MAX 4096

/* A small set of doubles by their sort keys (-0 and +0 are one), open
 * addressing in a power-of-two table four times the most it holds. */
struct dset {
    uint64_t *key;
    unsigned char *used;
    size_t cap, n, most;
    bool over; /* more than `most` distinct values were seen */
};

static size_t
dset_slot(const struct dset *s, uint64_t k)
{
    size_t i = (size_t)((k * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & (s->cap - 1);

    while (s->used[i] && s->key[i] != k)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static void
dset_add(struct dset *s, uint64_t k)
{
    size_t i;

    if (s->over)
        return;
    i = dset_slot(s, k);
    if (s->used[i])
        return;
    if (s->n == s->most) {
        s->over = true;
        return;
    }
    s->used[i] = 1;
    s->key[i] = k;
    s->n++;
}

/* What the first pass learns of a block of rows. */
struct scan {
    double lo, hi; /* finite range (lo > hi: no finite value) */
    bool ninf, pinf;
    struct dset set;
};

/* The job shared by the parts of both passes. */
struct job {
    const struct hs_freq_input *in;
    const struct hs_task *task;
    struct hs_par_progress prog;
    atomic_int stop;
    size_t nblocks;
    struct scan *scans; /* pass 1: one per block */
    /* pass 2: the entry of each value (a set over every block) or the
     * bins, and per thread slot three counts per entry */
    const struct dset *values;
    const size_t *value_entry;
    bool binned;
    double lo, width;
    size_t nbins, ninf_entry, pinf_entry, na_entry, nentries;
    size_t *counts; /* [slot][entry][3]: count, signal, background */
};

static double
value_at(const struct hs_freq_input *in, size_t i)
{
    return in->v[in->rows ? in->rows[i] : i];
}

static bool
part_start(struct job *j)
{
    if (atomic_load_explicit(&j->stop, memory_order_relaxed))
        return false;
    if (hs_task_cancelled(j->task)) {
        atomic_store(&j->stop, 1);
        return false;
    }
    return true;
}

static int
scan_part(void *ctx, size_t b)
{
    struct job *j = ctx;
    struct scan *sc = &j->scans[b];
    size_t lo = b * FREQ_BLOCK, hi = lo + FREQ_BLOCK < j->in->n ? lo + FREQ_BLOCK : j->in->n;

    if (!part_start(j))
        return HS_ECANCELLED;
    for (size_t i = lo; i < hi; i++) {
        double v = value_at(j->in, i);
        if (isnan(v))
            continue;
        if (isinf(v)) {
            if (v > 0)
                sc->pinf = true;
            else
                sc->ninf = true;
        } else {
            sc->lo = v < sc->lo ? v : sc->lo;
            sc->hi = v > sc->hi ? v : sc->hi;
        }
        dset_add(&sc->set, hs_sort_key(v));
    }
    hs_par_progress_add(&j->prog, 1);
    return HS_OK;
}

/* Entry of value v in pass 2. */
static size_t
entry_of(const struct job *j, double v)
{
    const struct hs_freq_input *in = j->in;

    if (isnan(v))
        return j->na_entry;
    if (in->cats)
        return v >= 0 && v < (double)in->ncats ? (size_t)v : j->na_entry;
    if (!j->binned)
        return j->value_entry[dset_slot(j->values, hs_sort_key(v))];
    if (isinf(v))
        return v > 0 ? j->pinf_entry : j->ninf_entry;
    {
        /* The reported edges are lo + k * width as doubles: the index
         * from the quotient is moved by one where rounding put it past
         * them, so that a value is always between its bin's edges. */
        double q = (v - j->lo) / j->width;
        size_t k;
        if (!isfinite(q))
            q = v / j->width - j->lo / j->width;
        k = q <= 0 ? 0 : q >= (double)(j->nbins - 1) ? j->nbins - 1 : (size_t)q;
        if (k > 0 && v < j->lo + (double)k * j->width)
            k--;
        else if (k + 1 < j->nbins && v >= j->lo + (double)(k + 1) * j->width)
            k++;
        return (j->ninf_entry != SIZE_MAX) + k;
    }
}

static int
count_part(void *ctx, size_t b)
{
    struct job *j = ctx;
    const struct hs_freq_input *in = j->in;
    size_t lo = b * FREQ_BLOCK, hi = lo + FREQ_BLOCK < in->n ? lo + FREQ_BLOCK : in->n;
    size_t *c = j->counts + (size_t)hs_par_slot() * j->nentries * 3;

    if (!part_start(j))
        return HS_ECANCELLED;
    for (size_t i = lo; i < hi; i++) {
        size_t row = in->rows ? in->rows[i] : i, e = entry_of(j, in->v[row]);
        c[3 * e]++;
        if (in->label) {
            c[3 * e + 1] += in->label[row] == 1;
            c[3 * e + 2] += in->label[row] == 0;
        }
    }
    hs_par_progress_add(&j->prog, 1);
    return HS_OK;
}

/* A round bin width near span / nbins: 1, 2 or 5 times a power of ten. */
static double
nice_width(double raw)
{
    double p = pow(10, floor(log10(raw)));

    for (int k = 0; k < 3; k++) {
        double w = (double[]){1, 2, 5}[k] * p;
        if (w >= raw)
            return w;
    }
    return 10 * p;
}

static int
by_count_then_value(const void *pa, const void *pb)
{
    const struct hs_freq_entry *a = pa, *b = pb;

    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return (a->value > b->value) - (a->value < b->value);
}

static int
by_count_then_text(const void *pa, const void *pb, void *user)
{
    const struct hs_freq_entry *a = pa, *b = pb;
    const char *const *cats = user;

    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(cats[a->code], cats[b->code]);
}

static int
key_cmp(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

    return (a > b) - (a < b);
}

static double
unkey(uint64_t k)
{
    double x;

    k = k >> 63 ? k & ~(UINT64_C(1) << 63) : ~k;
    memcpy(&x, &k, sizeof x);
    return x;
}

static int
dset_init(struct dset *s, size_t most)
{
    s->most = most;
    s->cap = 16;
    while (s->cap < 4 * most)
        s->cap *= 2;
    s->n = 0;
    s->over = false;
    s->key = hs_malloc(s->cap * sizeof *s->key);
    s->used = hs_calloc(s->cap, 1);
    return s->key && s->used ? HS_OK : HS_ENOMEM;
}

static void
dset_release(struct dset *s)
{
    hs_free(s->key);
    hs_free(s->used);
}

/* Pass 1 for numbers: the range, the infinities and the distinct values
 * of every block, merged in block order into all.  HS_OK, HS_ENOMEM,
 * HS_ECANCELLED. */
static int
scan_numbers(struct job *j, struct dset *all, double *lo, double *hi, bool *ninf, bool *pinf)
{
    size_t most = j->in->max_distinct;
    int rc = HS_OK;

    if (!(j->scans = hs_calloc(j->nblocks ? j->nblocks : 1, sizeof *j->scans)))
        return HS_ENOMEM;
    for (size_t b = 0; b < j->nblocks && !rc; b++) {
        j->scans[b].lo = HUGE_VAL;
        j->scans[b].hi = -HUGE_VAL;
        rc = dset_init(&j->scans[b].set, most);
    }
    if (!rc && (rc = dset_init(all, most)) == HS_OK &&
        hs_par_run(j->nblocks, hs_par_threads(), scan_part, j) != HS_OK)
        rc = HS_ECANCELLED;
    *lo = HUGE_VAL;
    *hi = -HUGE_VAL;
    *ninf = *pinf = false;
    for (size_t b = 0; b < j->nblocks; b++) {
        struct scan *sc = &j->scans[b];
        if (!rc) {
            *lo = sc->lo < *lo ? sc->lo : *lo;
            *hi = sc->hi > *hi ? sc->hi : *hi;
            *ninf |= sc->ninf;
            *pinf |= sc->pinf;
            all->over |= sc->set.over;
            for (size_t i = 0; i < sc->set.cap && !all->over; i++)
                if (sc->set.used[i])
                    dset_add(all, sc->set.key[i]);
        }
        dset_release(&sc->set);
    }
    hs_free(j->scans);
    j->scans = NULL;
    return rc;
}

/* The entries of a numeric column: its values in numeric order, or its
 * bins with the infinities at their ends; then missing.  Fills j's
 * pass-2 look-up.  HS_OK or HS_ENOMEM. */
static int
number_entries(struct job *j, const struct dset *all, double lo, double hi, bool ninf, bool pinf,
               struct hs_freq *f, size_t **value_entry)
{
    size_t ne = 0;

    *value_entry = NULL;
    j->ninf_entry = j->pinf_entry = SIZE_MAX;
    if (!all->over) {
        uint64_t *keys = hs_malloc((all->n ? all->n : 1) * sizeof *keys);
        if (!keys || !(*value_entry = hs_malloc(all->cap * sizeof **value_entry)) ||
            !(f->entries = hs_calloc(all->n + 1, sizeof *f->entries))) {
            hs_free(keys);
            return HS_ENOMEM;
        }
        for (size_t i = 0, k = 0; i < all->cap; i++)
            if (all->used[i])
                keys[k++] = all->key[i];
        qsort(keys, all->n, sizeof *keys, key_cmp);
        for (size_t k = 0; k < all->n; k++) {
            (*value_entry)[dset_slot(all, keys[k])] = k;
            f->entries[k].what = HS_FREQ_VALUE;
            f->entries[k].value = unkey(keys[k]);
        }
        hs_free(keys);
        j->values = all;
        j->value_entry = *value_entry;
        j->na_entry = all->n;
        return HS_OK;
    }
    j->binned = f->binned = true;
    if (lo <= hi) {
        double span = hi - lo, raw = isfinite(span) ? span / HS_FREQ_BINS
                                                    : hi / HS_FREQ_BINS - lo / HS_FREQ_BINS;
        double w = raw > 0 ? nice_width(raw) : 1, start = floor(lo / w) * w, nb;
        if (!isfinite(start) || start > lo)
            start = lo;
        nb = floor(isfinite(hi - start) ? (hi - start) / w : hi / w - start / w) + 1;
        j->lo = start;
        j->width = f->width = w;
        j->nbins = (size_t)nb;
    }
    if (!(f->entries = hs_calloc(j->nbins + 3, sizeof *f->entries)))
        return HS_ENOMEM;
    if (ninf) {
        j->ninf_entry = ne;
        f->entries[ne].what = HS_FREQ_VALUE;
        f->entries[ne++].value = -INFINITY;
    }
    for (size_t k = 0; k < j->nbins; k++, ne++) {
        f->entries[ne].what = HS_FREQ_BIN;
        f->entries[ne].lo = j->lo + (double)k * j->width;
        f->entries[ne].hi = j->lo + (double)(k + 1) * j->width;
    }
    if (pinf) {
        j->pinf_entry = ne;
        f->entries[ne].what = HS_FREQ_VALUE;
        f->entries[ne++].value = INFINITY;
    }
    j->na_entry = ne;
    return HS_OK;
}

void
hs_freq_release(struct hs_freq *f)
{
    if (!f)
        return;
    hs_free(f->entries);
    memset(f, 0, sizeof *f);
}

int
hs_freq_count(const struct hs_freq_input *in, struct hs_freq *out, const struct hs_task *task,
              struct hs_err *err)
{
    struct job j = {.in = in, .task = task};
    struct hs_freq f = {0};
    struct dset all = {0};
    size_t *value_entry = NULL, m = 0, nslots;
    int nthreads = hs_par_threads(), rc = HS_OK;
    bool text = in->cats != NULL;

    memset(out, 0, sizeof *out);
    if (!text && (in->max_distinct < 1 || in->max_distinct > FREQ_DISTINCT_MAX))
        return hs_err_set(err, HS_EUSAGE, "a frequency table lists 1 to %d distinct values, not %zu",
                          FREQ_DISTINCT_MAX, in->max_distinct);
    j.nblocks = (in->n + FREQ_BLOCK - 1) / FREQ_BLOCK;
    atomic_init(&j.stop, 0);
    hs_par_progress_init(&j.prog, task, 2 * j.nblocks, "counting", false);
    if (text) {
        if (!(f.entries = hs_calloc(in->ncats + 1, sizeof *f.entries))) {
            rc = HS_ENOMEM;
            goto done;
        }
        for (size_t k = 0; k < in->ncats; k++) {
            f.entries[k].what = HS_FREQ_TEXT;
            f.entries[k].code = k;
        }
        j.na_entry = in->ncats;
        hs_par_progress_add(&j.prog, j.nblocks);
    } else {
        double lo, hi;
        bool ninf, pinf;
        if ((rc = scan_numbers(&j, &all, &lo, &hi, &ninf, &pinf)) ||
            (rc = number_entries(&j, &all, lo, hi, ninf, pinf, &f, &value_entry)))
            goto done;
    }
    f.entries[j.na_entry].what = HS_FREQ_MISSING;
    j.nentries = j.na_entry + 1;
    nslots = (size_t)(nthreads > 0 ? nthreads : 1);
    if (!(j.counts = hs_calloc(nslots * j.nentries * 3, sizeof *j.counts))) {
        rc = HS_ENOMEM;
        goto done;
    }
    if (hs_par_run(j.nblocks, nthreads, count_part, &j) != HS_OK || hs_task_cancelled(task)) {
        rc = HS_ECANCELLED;
        goto done;
    }
    /* Integer sums: the same in any order, whichever slot counted. */
    for (size_t s = 0; s < nslots; s++)
        for (size_t e = 0; e < j.nentries; e++) {
            const size_t *c = j.counts + (s * j.nentries + e) * 3;
            f.entries[e].count += c[0];
            f.entries[e].nsig += c[1];
            f.entries[e].nbkg += c[2];
        }
    /* Values and strings that occur, by count; every bin, in order. */
    for (size_t e = 0; e < j.nentries; e++) {
        struct hs_freq_entry *x = &f.entries[e];
        f.total += x->count;
        f.nsig += x->nsig;
        f.nbkg += x->nbkg;
        if (x->what == HS_FREQ_MISSING ? x->count > 0 : f.binned || x->count > 0)
            f.entries[m++] = *x;
    }
    f.n = m;
    {
        size_t nsort = m && f.entries[m - 1].what == HS_FREQ_MISSING ? m - 1 : m;
        if (text)
            qsort_r(f.entries, nsort, sizeof *f.entries, by_count_then_text, (void *)in->cats);
        else if (!f.binned)
            qsort(f.entries, nsort, sizeof *f.entries, by_count_then_value);
    }
done:
    hs_free(j.counts);
    hs_free(value_entry);
    dset_release(&all);
    if (rc) {
        hs_freq_release(&f);
        if (rc == HS_ECANCELLED)
            return hs_err_set(err, rc, "counting cancelled");
        return hs_err_set(err, rc, "out of memory counting %zu rows", in->n);
    }
    hs_task_progress(task, 1.0, "counting");
    *out = f;
    return HS_OK;
}

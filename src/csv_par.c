/* csv_par.c: the CSV reader's parallel path.
 *
 * A large plain file (or memory buffer) is read by several threads at once:
 * the bytes after the header are cut into ranges just after a '\n', each
 * range is parsed by a reader of its own into a table of its own, and the
 * tables are joined in file order.
 *
 * A cut is a record boundary unless it falls inside a quoted field.  The
 * first range starts at a record, as the serial reader would; a range that
 * starts at a record and ends without error ends at a record too, since a
 * quoted field still open at the end of its bytes is an unterminated quote.
 * So when every range succeeds, each parsed exactly the records the serial
 * reader would have, and on any error in any range the whole file is read
 * again by the serial reader, which then gives its own message and location.
 * The serial reader also takes over when the ranges disagree on a column's
 * kind (one range decides text where an earlier one decided numbers: the
 * serial reader reports that cell), so every result and every message is
 * the serial reader's, whatever the number of ranges.  Text codes are local
 * to a range and are mapped to the file's codes in range order, which is
 * the order of first appearance over the whole file.
 */
#include "config.h"

#include "csv_impl.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "mem.h"
#include "par.h"
#include "table.h"

#define PAR_MIN_RANGE (2u << 20) /* bytes a thread at least */
#define PAR_SEEK (1u << 20)      /* how far to look for a line break at a cut */

struct range {
    struct hs_csv_reader r;
    struct hs_err err;
    int rc;
    long long from, to;
    size_t row0;  /* its first row in the joined table */
    double **map; /* per field: text code in the range -> code in the file */
};

/* The offset just after the first '\n' at or after `at` and before
 * `limit`, or -1. */
static long long
line_after(const struct hs_csv_reader *r, long long at, long long limit)
{
    char tmp[16384];

    if (r->in.kind == HS_CSV_IN_MEM) {
        const char *nl = memchr(r->in.mem + at, '\n', (size_t)(limit - at));
        return nl ? (long long)(nl - r->in.mem) + 1 : -1;
    }
    while (at < limit) {
        size_t n = limit - at < (long long)sizeof tmp ? (size_t)(limit - at) : sizeof tmp;
        ssize_t got = pread(r->in.fd, tmp, n, (off_t)at);
        const char *nl;
        if (got <= 0)
            return -1;
        if ((nl = memchr(tmp, '\n', (size_t)got)))
            return at + (nl - tmp) + 1;
        at += got;
    }
    return -1;
}

/* Set up range reader `rr` like the main reader r, over [from, to), with a
 * table of r's columns holding room for about est rows. */
static int
range_init(const struct hs_csv_reader *r, struct range *rg, size_t est)
{
    struct hs_csv_reader *rr = &rg->r;

    memset(rr, 0, sizeof *rr);
    rr->name = r->name;
    rr->opt = r->opt;
    rr->task = r->task;
    rr->err = &rg->err;
    rr->extra.st = HS_CSV_F_SKIP;
    rr->line = 1;
    rr->delim = r->delim;
    rr->ws = r->ws;
    rr->tab_blank = r->tab_blank;
    rr->comment = r->comment;
    memcpy(rr->stop, r->stop, sizeof rr->stop);
    memcpy(rr->special, r->special, sizeof rr->special);
    rr->nsent = r->nsent; /* borrowed, read only */
    rr->n_nsent = r->n_nsent;
    rr->wsent = r->wsent;
    rr->wsent_len = r->wsent_len;
    rr->n_wsent = r->n_wsent;
    if (r->in.kind == HS_CSV_IN_MEM)
        hs_csv_input_mem(&rr->in, r->in.mem + rg->from, (size_t)(rg->to - rg->from),
                         r->in.chunk, r->name);
    else
        hs_csv_input_range(&rr->in, r->in.fd, rg->from, rg->to, r->name);
    if (hs_csv_reader_alloc(rr) || !(rr->t = hs_table_new()) ||
        !(rr->f = hs_calloc(r->nf, sizeof *rr->f)) ||
        !(rg->map = hs_calloc(r->nf, sizeof *rg->map)))
        return HS_ENOMEM;
    rr->nf = r->nf;
    for (size_t i = 0; i < r->nf; i++) {
        const struct hs_column *c;
        rr->f[i].st = r->f[i].st;
        rr->f[i].finite = r->f[i].finite;
        if (r->f[i].st == HS_CSV_F_SKIP)
            continue;
        c = &r->t->cols[r->f[i].col];
        if (hs_table_add_column(rr->t, c->name, c->kind, &rr->f[i].col, NULL))
            return HS_ENOMEM;
    }
    if (hs_table_reserve(rr->t, est ? est : 4096))
        return HS_ENOMEM;
    for (size_t i = 0; i < rr->nf; i++)
        if (rr->f[i].st != HS_CSV_F_SKIP)
            rr->f[i].v = rr->t->cols[rr->f[i].col].v;
    return HS_OK;
}

static void
range_release(struct range *rg)
{
    struct hs_csv_reader *rr = &rg->r;

    for (size_t i = 0; i < rr->nf; i++) {
        hs_csv_cathash_release(&rr->f[i].h);
        if (rg->map)
            hs_free(rg->map[i]);
    }
    hs_free(rg->map);
    hs_free(rr->f);
    hs_free(rr->scratch);
    hs_free(rr->buf);
    hs_table_free(rr->t);
    if (rr->in.kind == HS_CSV_IN_MEM)
        hs_csv_input_close(&rr->in);
}

/* Parse one range to its end: HS_OK or an error. */
static int
range_parse(struct range *rg)
{
    struct hs_csv_reader *rr = &rg->r;
    int rc = hs_csv_refill(rr);

    while (rc == HS_OK) {
        rc = hs_csv_parse_rows(rr);
        if (rc == HS_CSV_DONE)
            return HS_OK;
        if (rc == HS_CSV_MORE)
            rc = hs_csv_refill(rr);
    }
    return rc;
}

/* The file's kind of each field from the ranges' (false: they disagree),
 * and the text codes of each range mapped to the file's (in r's columns). */
static int
join_kinds_and_texts(struct hs_csv_reader *r, struct range *rg, size_t n, bool *agree)
{
    *agree = true;
    for (size_t i = 0; i < r->nf; i++) {
        struct hs_csv_field *fd = &r->f[i];
        struct hs_column *c;
        if (fd->st == HS_CSV_F_SKIP)
            continue;
        for (size_t k = 0; k < n; k++) {
            enum hs_csv_fstate s = rg[k].r.f[i].st;
            if (s == HS_CSV_F_UNDECIDED)
                continue;
            if (fd->st == HS_CSV_F_UNDECIDED)
                fd->st = s;
            else if (fd->st != s)
                *agree = false;
        }
        if (!*agree)
            return HS_OK;
        if (fd->st != HS_CSV_F_TEXT)
            continue;
        c = &r->t->cols[fd->col];
        c->kind = HS_COL_TEXT;
        for (size_t k = 0; k < n; k++) {
            const struct hs_column *sc = &rg[k].r.t->cols[rg[k].r.f[i].col];
            double *map;
            if (!sc->ncats)
                continue;
            if (!(map = rg[k].map[i] = hs_malloc(sc->ncats * sizeof *map)))
                return HS_ENOMEM;
            for (size_t j = 0; j < sc->ncats; j++) {
                size_t len = strlen(sc->cats[j]);
                uint32_t hv = hs_csv_hash(sc->cats[j], len);
                if (hs_csv_cathash_find(&fd->h, c, sc->cats[j], len, hv, &map[j]))
                    continue;
                if (c->ncats >= 0xfffffffeu) {
                    *agree = false; /* the serial reader says so */
                    return HS_OK;
                }
                if (hs_csv_cathash_add(&fd->h, c, sc->cats[j], len, hv, &map[j]))
                    return HS_ENOMEM;
            }
        }
    }
    return HS_OK;
}

/* Copy range k's rows into r's table (range 0's arrays are r's already). */
static void
join_rows(struct hs_csv_reader *r, struct range *rg, size_t k)
{
    const struct hs_csv_reader *rr = &rg[k].r;
    size_t n = rr->t->nrows;

    for (size_t i = 0; i < r->nf; i++) {
        const double *map = rg[k].map[i];
        double *dst, *src;
        if (r->f[i].st == HS_CSV_F_SKIP)
            continue;
        dst = r->t->cols[r->f[i].col].v + rg[k].row0;
        src = k == 0 ? dst : rr->t->cols[rr->f[i].col].v;
        if (r->f[i].st == HS_CSV_F_TEXT) {
            for (size_t j = 0; j < n; j++)
                dst[j] = isnan(src[j]) ? src[j] : map[(size_t)src[j]];
        } else if (k > 0) {
            memcpy(dst, src, n * sizeof *dst);
        }
    }
}

/* The two parallel steps, each range a part of a par.h job. */
static int
parse_part(void *ctx, size_t k)
{
    struct range *rg = ctx;
    rg[k].rc = range_parse(&rg[k]);
    return 0;
}

struct join_job {
    struct hs_csv_reader *r;
    struct range *rg;
};

static int
join_part(void *ctx, size_t k)
{
    struct join_job *j = ctx;
    join_rows(j->r, j->rg, k);
    return 0;
}

int
hs_csv_parse_parallel(struct hs_csv_reader *r)
{
    struct range *rg = NULL;
    enum hs_csv_fstate *st0 = NULL;
    long long data, size, span, done_at;
    size_t n = (size_t)(r->threads > 0 ? r->threads : 1), total = 0, est_row = 0, nl = 0;
    bool agree;
    int rc = HS_CSV_MORE, nthreads = hs_par_threads();

    /* By default, ranges only while a CPU stands free for them: the
     * serial read gives the same table, and beside a competitor the
     * ranges' extra pass (joining them) is all they would add. */
    if (r->threads <= 0)
        n = (size_t)(nthreads > 1 ? hs_par_threads_free(nthreads) : 1);
    if (n < 2 || r->opt->max_rows || (r->in.kind != HS_CSV_IN_FD && r->in.kind != HS_CSV_IN_MEM))
        return HS_CSV_MORE;
    size = r->in.kind == HS_CSV_IN_MEM ? (long long)r->in.memlen : r->in.size;
    data = hs_csv_input_offset(&r->in) - (long long)(r->len - r->pos);
    if (size <= data || (size_t)(size - data) < r->par_min)
        return HS_CSV_MORE;
    span = size - data;
    if (r->par_min && (size_t)span / n < PAR_MIN_RANGE)
        n = (size_t)span / PAR_MIN_RANGE;
    if ((long long)n > span)
        n = (size_t)span;
    if (n < 2)
        return HS_CSV_MORE;
    if ((size_t)nthreads > n)
        nthreads = (int)n;
    /* rows per byte from what is in the buffer, to reserve the columns */
    for (const char *p = r->buf + r->pos; (p = memchr(p, '\n', r->len - (size_t)(p - r->buf)));
         p++)
        nl++;
    if (nl >= 16)
        est_row = (r->len - r->pos) / nl;
    if (!(rg = hs_calloc(n, sizeof *rg)))
        return hs_csv_nomem(r);
    /* cut at the line break after each even share */
    done_at = data;
    for (size_t k = 0; k < n; k++) {
        long long to = k + 1 == n ? size : data + span / (long long)n * (long long)(k + 1);
        if (to < done_at)
            to = done_at;
        if (k + 1 < n) {
            long long lim = to + PAR_SEEK < size ? to + PAR_SEEK : size;
            to = line_after(r, to, lim);
            if (to < 0)
                to = done_at; /* no line break near: an empty range */
        }
        rg[k].from = done_at;
        rg[k].to = to;
        done_at = to;
    }
    for (size_t k = 0; k < n; k++) {
        size_t est = est_row ? (size_t)((rg[k].to - rg[k].from) / (long long)est_row) : 0;
        rg[k].rc = range_init(r, &rg[k], est + est / 16 + 1024);
        /* range 0 reports for all: its fraction is about everyone's */
        rg[k].r.quiet = k > 0;
        rg[k].r.progress_step = HS_CSV_PROGRESS_STEP / n + 1;
        if (rg[k].rc) {
            rc = rg[k].rc == HS_ENOMEM ? hs_csv_nomem(r) : HS_CSV_MORE;
            goto out;
        }
    }
    /* Range 0 on the calling thread (par.h's part 0), which alone may
     * report progress; never more threads than the logical count (tests
     * ask for more ranges than there are cores). */
    hs_par_run(n, nthreads, parse_part, rg);
    for (size_t k = 0; k < n; k++) {
        if (rg[k].rc == HS_ECANCELLED) {
            rc = hs_err_set(r->err, HS_ECANCELLED, "%s: cancelled", r->name);
            goto out;
        }
        if (rg[k].rc)
            goto out; /* the serial reader finds the same trouble and says where */
        rg[k].row0 = total;
        total += rg[k].r.t->nrows;
    }
    if (!(st0 = hs_malloc(r->nf * sizeof *st0)))
        goto nomem;
    for (size_t i = 0; i < r->nf; i++)
        st0[i] = r->f[i].st;
    if ((rc = join_kinds_and_texts(r, rg, n, &agree)))
        goto nomem;
    if (!agree) {
        /* undo: the serial reader decides kinds and texts afresh (no row
         * has been read into r's table yet) */
        for (size_t i = 0; i < r->nf; i++) {
            struct hs_column *c;
            if (st0[i] == HS_CSV_F_SKIP)
                continue;
            c = &r->t->cols[r->f[i].col];
            r->f[i].st = st0[i];
            c->kind = st0[i] == HS_CSV_F_TEXT ? HS_COL_TEXT : HS_COL_NUMBER;
            for (size_t j = 0; j < c->ncats; j++)
                hs_free(c->cats[j]);
            c->ncats = 0;
            hs_csv_cathash_release(&r->f[i].h);
        }
        rc = HS_CSV_MORE;
        goto out;
    }
    /* Range 0's arrays become the table's, which then grows (in place, or
     * by remapping pages) to hold every row. */
    for (size_t i = 0; i < r->nf; i++) {
        struct hs_column *c, *sc;
        double *v;
        if (r->f[i].st == HS_CSV_F_SKIP)
            continue;
        c = &r->t->cols[r->f[i].col];
        sc = &rg[0].r.t->cols[rg[0].r.f[i].col];
        v = c->v;
        c->v = sc->v;
        sc->v = v;
    }
    {
        size_t cap = r->t->cap;
        r->t->cap = rg[0].r.t->cap;
        rg[0].r.t->cap = cap;
    }
    if (hs_table_reserve(r->t, total))
        goto nomem;
    for (size_t i = 0; i < r->nf; i++)
        if (r->f[i].st != HS_CSV_F_SKIP)
            r->f[i].v = r->t->cols[r->f[i].col].v;
    struct join_job jj = {r, rg};
    hs_par_run(n, nthreads, join_part, &jj);
    hs_table_set_nrows(r->t, total);
    rc = HS_OK;
    goto out;
nomem:
    rc = hs_csv_nomem(r);
out:
    for (size_t k = 0; k < n; k++)
        range_release(&rg[k]);
    hs_free(rg);
    hs_free(st0);
    return rc;
}

int
hs_csv_read_threads(const char *path, const struct hs_csv_options *opt, int threads,
                    struct hs_table **out, const struct hs_task *task, struct hs_err *err)
{
    return hs_csv_read_path(path, opt, threads, 0, out, task, err);
}

int
hs_csv_read_mem_threads(const char *data, size_t len, size_t chunk, const char *name,
                        const struct hs_csv_options *opt, int threads, struct hs_table **out,
                        const struct hs_task *task, struct hs_err *err)
{
    return hs_csv_read_buffer(data, len, chunk, name, opt, threads, 0, out, task, err);
}

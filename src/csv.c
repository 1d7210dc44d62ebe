/* csv.c: the streaming reader of delimited event files.
 *
 * The input streams through one buffer (1 MiB, growing only for a record
 * longer than that, up to the 8 MiB line limit).  A NUL sentinel follows
 * the valid bytes, so the inner loops need no bounds checks: every scan
 * stops at a NUL, and a NUL before the end of the data is binary garbage.
 * Records are parsed in place; when one is cut by the end of the buffer the
 * parse of that record is abandoned and redone after the next read, so no
 * state machine has to survive a block boundary.  The abandoned parse has
 * only written cells of the row being built (counted at its end), and may
 * have decided a column's type or added a category, which the second parse
 * does again in the same way.
 *
 * A numeric cell takes the inline fast path of numparse_fast.h and is
 * stored straight into its column; only cells that are not short plain
 * decimals (quotes, blanks, words, long digit strings) go through the
 * general path.  No memory is allocated per cell: text is interned through
 * a hash per column and copied once per distinct string.
 *
 * Choices made here: a header field that is empty, other than the first
 * (which marks a pandas row index), names its column colN (N its 1-based
 * position in the file), as --no-header does.  Unquoted cells lose their
 * leading and trailing blanks (spaces; and tabs, except in TSV).  A line of
 * blanks only is a blank line.  A comment line starts with the comment
 * character in its first byte (after blanks in whitespace mode).  Text
 * cells and header names must be valid UTF-8.
 *
 * A large plain file is parsed by several threads at once: csv_par.c cuts
 * it into ranges, reads each with a reader of its own through the record
 * loop here (hs_csv_parse_rows), and joins the tables.
 */
#include "config.h"

#include "csv.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "csv_impl.h"
#include "mem.h"
#include "numparse.h"
#include "numparse_fast.h"

#define BLOCK (1u << 20)
#define LINE_CAP (8u << 20)
#define SNIFF_BYTES (64u << 10)
#define PAD 8                    /* bytes after the data: sentinel and slack */

/* One cell as the general path sees it. */
struct cell {
    const char *s; /* content: unquoted, blanks trimmed */
    size_t n;
    const char *next; /* the byte that ended the field */
    long long lines;  /* line breaks inside quotes */
};

/* ---- errors -------------------------------------------------------------- */

static int
clamp_int(long long x)
{
    return x > INT_MAX ? INT_MAX : (int)x;
}

/* "NAME:LINE:COL: message"; line 0 leaves out the position, col 0 the column. */
static int __attribute__((format(__printf__, 5, 6)))
fail_at(struct hs_csv_reader *r, int code, long long line, size_t col, const char *fmt, ...)
{
    char msg[HS_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0 && col > 0)
        return hs_err_set_at(r->err, code, clamp_int(line), clamp_int((long long)col),
                             "%s:%lld:%zu: %s", r->name, line, col, msg);
    if (line > 0)
        return hs_err_set_at(r->err, code, clamp_int(line), 0, "%s:%lld: %s", r->name, line, msg);
    return hs_err_set(r->err, code, "%s: %s", r->name, msg);
}

int
hs_csv_nomem(struct hs_csv_reader *r)
{
    return hs_err_set(r->err, HS_ENOMEM, "%s: out of memory", r->name);
}

static int
binary(struct hs_csv_reader *r, long long line, size_t col)
{
    return fail_at(r, HS_EDATA, line, col, "binary data (a NUL byte): is this a CSV file?");
}

/* ---- small helpers ------------------------------------------------------- */

static bool
num_sentinel(const struct hs_csv_reader *r, double v)
{
    for (size_t i = 0; i < r->n_nsent; i++)
        if (v == r->nsent[i])
            return true;
    return false;
}

static bool
word_sentinel(const struct hs_csv_reader *r, const char *s, size_t n)
{
    for (size_t i = 0; i < r->n_wsent; i++)
        if (r->wsent_len[i] == n && memcmp(r->wsent[i], s, n) == 0)
            return true;
    return false;
}

static bool
is_blank(const struct hs_csv_reader *r, char c)
{
    return c == ' ' || (c == '\t' && r->tab_blank);
}

/* A short excerpt of a cell for messages. */
static int
excerpt_len(const char *s, size_t n)
{
    size_t k = n > 40 ? 40 : n;
    /* do not cut a UTF-8 sequence */
    while (k < n && k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
        k--;
    return (int)k;
}

/* ---- buffer -------------------------------------------------------------- */

int
hs_csv_reader_alloc(struct hs_csv_reader *r)
{
    r->cap = BLOCK;
    if (hs_csv_input_remaining(&r->in) < BLOCK)
        r->cap = hs_csv_input_remaining(&r->in) + 64;
    r->buf = hs_malloc(r->cap + PAD);
    return r->buf ? HS_OK : HS_ENOMEM;
}

int
hs_csv_refill(struct hs_csv_reader *r)
{
    long got;

    if (hs_task_cancelled(r->task))
        return hs_err_set(r->err, HS_ECANCELLED, "%s: cancelled", r->name);
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    /* The buffer never holds more than LINE_CAP bytes of one record, so
     * the limit does not depend on how the input arrives in blocks. */
    if (r->len >= LINE_CAP) {
        if (r->quote_line)
            return fail_at(r, HS_EDATA, r->quote_line, r->quote_col,
                           "a quoted field that opens here runs over more than 8 MiB: "
                           "is a closing quote missing?");
        return fail_at(r, HS_EDATA, r->line, (size_t)LINE_CAP + 1,
                       "line is longer than 8 MiB: is this a CSV file?");
    }
    /* grow when less than half a block is free, unless what is left of
     * the input fits anyway (small inputs in memory keep a small buffer) */
    if (r->cap - r->len < BLOCK / 2 && r->cap - r->len < hs_csv_input_remaining(&r->in) &&
        r->cap < LINE_CAP) {
        size_t ncap = r->cap * 2 > LINE_CAP ? LINE_CAP : r->cap * 2;
        char *nb = hs_realloc(r->buf, ncap + PAD);
        if (!nb)
            return hs_csv_nomem(r);
        r->buf = nb;
        r->cap = ncap;
    }
    got = hs_csv_input_read(&r->in, r->buf + r->len, r->cap - r->len, r->err);
    if (got < 0)
        return (int)got;
    if (got == 0)
        r->eof = true;
    r->len += (size_t)got;
    memset(r->buf + r->len, 0, PAD);
    r->since_progress += (size_t)got;
    if (r->since_progress >= (r->progress_step ? r->progress_step : HS_CSV_PROGRESS_STEP) &&
        !r->quiet) {
        r->since_progress = 0;
        hs_task_progress(r->task, hs_csv_input_fraction(&r->in), "reading");
    }
    return HS_OK;
}

/* ---- fields -------------------------------------------------------------- */

static int
scratch_put(struct hs_csv_reader *r, const char *s, size_t n, const char **out)
{
    size_t k = 0;

    if (hs_grow((void **)&r->scratch, &r->scratch_cap, n + 1, 1))
        return hs_csv_nomem(r);
    for (size_t i = 0; i < n; i++) {
        r->scratch[k++] = s[i];
        if (s[i] == '"')
            i++; /* a doubled quote stands for one */
    }
    *out = r->scratch;
    return (int)k;
}

/* Find the field that starts at s (the fi-th, 0-based, on physical line
 * `line`): its content in c, the byte that ends it in c->next.  HS_CSV_MORE when
 * the buffer ends before the field does. */
static int
scan_field(struct hs_csv_reader *r, const char *s, size_t fi, long long line, struct cell *c)
{
    const char *end = r->buf + r->len;
    const char *q;

    c->lines = 0;
    for (q = s; is_blank(r, *q); q++)
        ;
    if (*q == '"') {
        bool doubled = false;
        const char *open = q;
        q++;
        for (;;) {
            char ch = *q;
            if (ch == '"') {
                if (q + 1 == end && !r->eof)
                    goto more_quoted;
                if (q[1] != '"')
                    break;
                doubled = true;
                q += 2;
            } else if (ch == '\n') {
                c->lines++;
                q++;
            } else if (ch == '\r') {
                if (q + 1 == end && !r->eof)
                    goto more_quoted;
                c->lines++;
                q += q[1] == '\n' ? 2 : 1;
            } else if (ch == '\0') {
                if (q < end)
                    return binary(r, line + c->lines, fi + 1);
                if (!r->eof)
                    goto more_quoted;
                return fail_at(r, HS_EDATA, line, fi + 1,
                               "unterminated quote: the quoted field that opens on line %lld "
                               "has no closing quote",
                               line);
            } else {
                q++;
            }
        }
        c->s = open + 1;
        c->n = (size_t)(q - open - 1);
        q++;
        while (!r->ws && is_blank(r, *q))
            q++;
        if (!r->stop[(unsigned char)*q])
            return fail_at(r, HS_EDATA, line + c->lines, fi + 1,
                           "text after the closing quote of a quoted field");
        if (doubled) {
            int n = scratch_put(r, c->s, c->n, &c->s);
            if (n < 0)
                return n;
            c->n = (size_t)n;
        }
        c->next = q;
        return HS_OK;
    more_quoted:
        r->quote_line = line;
        r->quote_col = fi + 1;
        return HS_CSV_MORE;
    }
    q = s;
    while (!r->stop[(unsigned char)*q])
        q++;
    if (*q == '\0') {
        if (q < end)
            return binary(r, line, fi + 1);
        if (!r->eof)
            return HS_CSV_MORE;
    }
    c->next = q;
    while (s < q && is_blank(r, *s))
        s++;
    while (q > s && is_blank(r, q[-1]))
        q--;
    c->s = s;
    c->n = (size_t)(q - s);
    return HS_OK;
}

/* The code of text s[0..n) in the field's column, adding it when new. */
static int
intern(struct hs_csv_reader *r, struct hs_csv_field *fd, const char *s, size_t n, long long line,
       size_t col, double *code)
{
    struct hs_column *c = &r->t->cols[fd->col];
    uint32_t hv = hs_csv_hash(s, n);

    if (hs_csv_cathash_find(&fd->h, c, s, n, hv, code))
        return HS_OK;
    if (!hs_csv_utf8_valid(s, n))
        return fail_at(r, HS_EDATA, line, col, "column '%s': the text '%.*s' is not valid UTF-8",
                       c->name, excerpt_len(s, n), s);
    if (c->ncats >= 0xfffffffeu)
        return fail_at(r, HS_EDATA, line, col, "column '%s': too many distinct strings", c->name);
    if (hs_csv_cathash_add(&fd->h, c, s, n, hv, code))
        return hs_csv_nomem(r);
    return HS_OK;
}

/* A weight cell s[0..n) that is missing (v NaN; n == 0 for an empty cell)
 * or infinite (v). */
static int
bad_weight(struct hs_csv_reader *r, const struct hs_csv_field *fd, const char *s, size_t n,
           double v, long long line, size_t col)
{
    const char *name = r->t->cols[fd->col].name;
    int k = excerpt_len(s, n);

    if (n == 0)
        return fail_at(r, HS_EDATA, line, col, "column '%s': the weight is missing (an empty cell)",
                       name);
    if (isnan(v)) /* NA, nan, a --missing sentinel */
        return fail_at(r, HS_EDATA, line, col, "column '%s': the weight is missing ('%.*s')", name,
                       k, s);
    return fail_at(r, HS_EDATA, line, col, "column '%s': the weight '%.*s' is not finite", name, k,
                   s);
}

/* Store one cell that the fast path did not take. */
static int
store_cell(struct hs_csv_reader *r, struct hs_csv_field *fd, const struct cell *c, size_t row,
           long long line, size_t col)
{
    double v;
    bool isnum;
    int prc;

    if (fd->st == HS_CSV_F_SKIP)
        return HS_OK;
    if (c->n == 0 || hs_csv_is_na_word(c->s, c->n) || word_sentinel(r, c->s, c->n)) {
        if (fd->finite)
            return bad_weight(r, fd, c->s, c->n, NAN, line, col);
        fd->v[row] = NAN;
        return HS_OK;
    }
    prc = hs_num_parse_checked(c->s, c->n, &v);
    if (prc == HS_ERANGE && fd->st != HS_CSV_F_TEXT) {
        /* 1e400 would be inf and 1e-400 zero: values the file never had */
        const char *name = r->t->cols[fd->col].name;
        int k = excerpt_len(c->s, c->n);
        return fail_at(r, HS_EDATA, line, col,
                       "column '%s': '%.*s' is out of range (it %s a double; use --missing "
                       "%.*s if it marks a missing value)",
                       name, k, c->s, isinf(v) ? "overflows" : "underflows", k, c->s);
    }
    isnum = prc == HS_OK;
    if (isnum && r->n_nsent && num_sentinel(r, v)) {
        if (fd->finite)
            return bad_weight(r, fd, c->s, c->n, NAN, line, col);
        fd->v[row] = NAN;
        return HS_OK;
    }
    if (isnum && fd->finite && !isfinite(v))
        return bad_weight(r, fd, c->s, c->n, v, line, col);
    if (fd->st != HS_CSV_F_TEXT) {
        if (isnum) {
            fd->st = HS_CSV_F_NUMBER;
            fd->v[row] = v;
            return HS_OK;
        }
        if (fd->st == HS_CSV_F_NUMBER) {
            const char *name = r->t->cols[fd->col].name;
            int k = excerpt_len(c->s, c->n);
            return fail_at(r, HS_EDATA, line, col,
                           "column '%s': '%.*s' is not a number (use --text %s to read it as "
                           "text, or --missing %.*s if it marks a missing value)",
                           name, k, c->s, name, k, c->s);
        }
        fd->st = HS_CSV_F_TEXT;
        r->t->cols[fd->col].kind = HS_COL_TEXT;
    }
    return intern(r, fd, c->s, c->n, line, col, &fd->v[row]);
}

/* ---- records ------------------------------------------------------------- */

/* Skip blank and comment lines at *pp.  Returns HS_OK with *pp at the
 * start of a record (after leading blanks in whitespace mode), HS_CSV_DONE at
 * the end of the input, HS_CSV_MORE when the buffer ends first. */
static int
skip_ignorable(struct hs_csv_reader *r, const char **pp, long long *line)
{
    const char *end = r->buf + r->len;
    const char *p = *pp;

    for (;;) {
        const char *q = p;
        while (is_blank(r, *q) || (r->ws && *q == '\t'))
            q++;
        if (*q == '\n' || *q == '\r' || (*q == r->comment && (q == p || r->ws))) {
            while (*q != '\n' && *q != '\r' && *q != '\0')
                q++;
            if (*q == '\0' && q < end) /* in a comment: the character column */
                return binary(r, *line, (size_t)(q - p) + 1);
            if (q == end) {
                if (!r->eof)
                    return HS_CSV_MORE;
                *pp = q;
                return HS_CSV_DONE;
            }
            if (*q == '\r' && q + 1 == end && !r->eof)
                return HS_CSV_MORE;
            q += (*q == '\r' && q[1] == '\n') ? 2 : 1;
            (*line)++;
            /* commit: the skipped line is never looked at again */
            r->pos = (size_t)(q - r->buf);
            r->line = *line;
            p = q;
            continue;
        }
        if (q == end) {
            if (!r->eof)
                return HS_CSV_MORE;
            *pp = q;
            return HS_CSV_DONE;
        }
        if (*q == '\0')
            return binary(r, *line, 1);
        *pp = r->ws ? q : p;
        return HS_OK;
    }
}

/* After a field ended at *pp: move to the next field (HS_OK) or to the
 * byte that ends the record (HS_CSV_DONE). */
static int
next_field(const struct hs_csv_reader *r, const char **pp)
{
    const char *p = *pp;

    if (r->ws) {
        if (*p != ' ' && *p != '\t')
            return HS_CSV_DONE;
        while (*p == ' ' || *p == '\t')
            p++;
        *pp = p;
        return (*p == '\n' || *p == '\r' || *p == '\0') ? HS_CSV_DONE : HS_OK;
    }
    if (*p == r->delim) {
        *pp = p + 1;
        return HS_OK;
    }
    return HS_CSV_DONE;
}

/* At the byte that ends a record: step over the line break.  HS_CSV_MORE when
 * the buffer ends first; a NUL inside the data is an error. */
static int
end_record(struct hs_csv_reader *r, const char **pp, long long *line, size_t fi)
{
    const char *end = r->buf + r->len;
    const char *p = *pp;

    if (*p == '\n') {
        p++;
    } else if (*p == '\r') {
        if (p + 1 == end && !r->eof)
            return HS_CSV_MORE;
        p += p[1] == '\n' ? 2 : 1;
    } else if (p < end) {
        return binary(r, *line, fi);
    } else if (!r->eof) {
        return HS_CSV_MORE;
    } else {
        *pp = p;
        return HS_OK; /* the last line has no line break */
    }
    (*line)++;
    *pp = p;
    return HS_OK;
}

static int
ragged(struct hs_csv_reader *r, long long line, size_t expected, size_t found)
{
    return fail_at(r, HS_EDATA, line, found > expected ? expected + 1 : found + 1,
                   "expected %zu field%s (as in the %s), found %zu", expected,
                   expected == 1 ? "" : "s", r->opt->no_header ? "first line" : "header", found);
}

static int
grow_rows(struct hs_csv_reader *r)
{
    struct hs_table *t = r->t;

    if (t->cap > SIZE_MAX / 2 || hs_table_reserve(t, t->cap ? t->cap * 2 : 4096))
        return hs_csv_nomem(r);
    for (size_t i = 0; i < r->nf; i++)
        if (r->f[i].st != HS_CSV_F_SKIP)
            r->f[i].v = t->cols[r->f[i].col].v;
    return HS_OK;
}

int
hs_csv_parse_rows(struct hs_csv_reader *r)
{
    struct hs_table *t = r->t;
    const size_t max_rows = r->opt->max_rows;
    const bool *stop = r->stop;
    const size_t nf = r->nf;
    const int delim = r->ws ? -1 : r->delim;

    for (;;) {
        const char *p = r->buf + r->pos;
        long long line = r->line, rline;
        size_t fi = 0, row = t->nrows;
        int rc;

        if (max_rows && row >= max_rows)
            return HS_CSV_DONE;
        if (r->ws || r->special[(unsigned char)*p]) {
            rc = skip_ignorable(r, &p, &line);
            if (rc)
                return rc;
        }
        rline = line;
        r->quote_line = 0;
        if (row == t->cap && (rc = grow_rows(r)))
            return rc;
        for (;;) {
            struct hs_csv_field *fd = fi < nf ? &r->f[fi] : &r->extra;
            const char *q;
            double v;
            struct cell c;

            if ((fd->st == HS_CSV_F_NUMBER || fd->st == HS_CSV_F_UNDECIDED) &&
                (q = hs_num_scan_fast(p, &v)) && stop[(unsigned char)*q]) {
                if (r->n_nsent && num_sentinel(r, v)) {
                    if (fd->finite)
                        return bad_weight(r, fd, p, (size_t)(q - p), NAN, line, fi + 1);
                    v = NAN;
                } else
                    fd->st = HS_CSV_F_NUMBER;
                fd->v[row] = v;
                p = q;
            } else {
                rc = scan_field(r, p, fi, line, &c);
                if (rc)
                    return rc;
                if (fd->st != HS_CSV_F_SKIP && (rc = store_cell(r, fd, &c, row, line, fi + 1)))
                    return rc;
                line += c.lines;
                p = c.next;
            }
            fi++;
            if ((unsigned char)*p == delim) {
                p++;
                continue;
            }
            if (!r->ws || next_field(r, &p) != HS_OK)
                break;
        }
        if (*p == '\n') {
            p++;
            line++;
        } else if ((rc = end_record(r, &p, &line, fi))) {
            return rc;
        }
        if (fi != nf)
            return ragged(r, rline, nf, fi);
        t->nrows++;
        r->pos = (size_t)(p - r->buf);
        r->line = line;
    }
}

/* Split the record at r->pos into hs_malloc'd strings (the header, or the
 * first line without one).  HS_CSV_MORE, HS_CSV_DONE (no record), or HS_OK with
 * out and n set, r->pos and r->line after the record, and rpos, rline where the
 * record's line starts. */
static int
split_record(struct hs_csv_reader *r, char ***out, size_t *n, size_t *rpos, long long *rline)
{
    const char *p = r->buf + r->pos;
    long long line = r->line;
    char **v = NULL;
    size_t nv = 0, vcap = 0;
    int rc = skip_ignorable(r, &p, &line);

    if (rc)
        return rc;
    *rline = line;
    *rpos = r->pos; /* skip_ignorable committed the lines it skipped */
    r->quote_line = 0;
    for (;;) {
        struct cell c;
        rc = scan_field(r, p, nv, line, &c);
        if (rc)
            goto fail;
        if (hs_grow((void **)&v, &vcap, nv + 1, sizeof *v) || !(v[nv] = hs_strndup(c.s, c.n))) {
            rc = hs_csv_nomem(r);
            goto fail;
        }
        nv++;
        line += c.lines;
        p = c.next;
        if (next_field(r, &p) != HS_OK)
            break;
    }
    rc = end_record(r, &p, &line, nv);
    if (rc)
        goto fail;
    r->pos = (size_t)(p - r->buf);
    r->line = line;
    r->quote_line = 0;
    *out = v;
    *n = nv;
    return HS_OK;
fail:
    for (size_t i = 0; i < nv; i++)
        hs_free(v[i]);
    hs_free(v);
    return rc;
}

/* ---- set-up -------------------------------------------------------------- */

static bool
listed(const char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0)
            return true;
    return false;
}

/* "NAME: no column 'x' (the columns are: a, b, c)" for an option naming a
 * column the file does not have. */
static int
unknown_column(struct hs_csv_reader *r, const char *what, const char *name, char **names, size_t n,
               size_t first)
{
    char list[300];
    size_t used = 0;

    list[0] = '\0';
    for (size_t i = first; i < n && used < sizeof list - 1; i++) {
        int k = snprintf(list + used, sizeof list - used, "%s%s", i > first ? ", " : "", names[i]);
        if (k < 0)
            break;
        used += (size_t)k;
    }
    if (used >= sizeof list - 1)
        strcpy(list + sizeof list - 5, "...");
    return hs_err_set(r->err, HS_EUSAGE, "%s: %s names no column '%s' (the columns are: %s)",
                      r->name, what, name, list);
}

/* Apply the "OLD=NEW" renames to the header names. */
static int
apply_renames(struct hs_csv_reader *r, char **names, size_t n, size_t first)
{
    const struct hs_csv_options *o = r->opt;

    for (size_t k = 0; k < o->n_renames; k++) {
        const char *spec = o->renames[k], *eq = strchr(spec, '=');
        size_t len = eq ? (size_t)(eq - spec) : strlen(spec), i;
        char *nn;

        for (i = first; i < n && (strlen(names[i]) != len || memcmp(names[i], spec, len)); i++)
            ;
        if (i == n || !eq) {
            char old[128];
            snprintf(old, sizeof old, "%.*s", (int)(len < 127 ? len : 127), spec);
            return unknown_column(r, "--rename", old, names, n, first);
        }
        if (!(nn = hs_strdup(eq + 1)))
            return hs_csv_nomem(r);
        hs_free(names[i]);
        names[i] = nn;
    }
    return HS_OK;
}

/* Build the fields and the table's columns from the header names. */
static int
setup_columns(struct hs_csv_reader *r, char **names, size_t n, long long hline)
{
    const struct hs_csv_options *o = r->opt;
    size_t first = 0;
    int rc;

    /* pandas writes its row index under an empty name */
    if (!o->no_header && n >= 2 && names[0][0] == '\0')
        first = 1;
    for (size_t i = first; i < n; i++) {
        if (!hs_csv_utf8_valid(names[i], strlen(names[i])))
            return fail_at(r, HS_EDATA, hline, i + 1, "the name of column %zu is not valid UTF-8",
                           i + 1);
        if (names[i][0] == '\0') {
            char tmp[32];
            char *nn;
            snprintf(tmp, sizeof tmp, "col%zu", i + 1);
            if (!(nn = hs_strdup(tmp)))
                return hs_csv_nomem(r);
            hs_free(names[i]);
            names[i] = nn;
        }
    }
    if ((rc = apply_renames(r, names, n, first)))
        return rc;
    for (size_t i = first; i < n; i++)
        if (listed(o->reserved, o->n_reserved, names[i]) &&
            (!o->n_columns || listed(o->columns, o->n_columns, names[i])))
            return fail_at(r, HS_EDATA, hline, i + 1,
                           "column name '%s' is reserved (the dataset gets a column of that "
                           "name): import it under another name with --rename %s=NEW",
                           names[i], names[i]);
    for (size_t i = first; i < n; i++)
        for (size_t j = first; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                return fail_at(r, HS_EDATA, hline, i + 1,
                               "duplicate column name '%s' (columns %zu and %zu)", names[i], j + 1,
                               i + 1);
    for (size_t k = 0; k < o->n_columns; k++) {
        size_t i;
        for (i = first; i < n && strcmp(names[i], o->columns[k]) != 0; i++)
            ;
        if (i == n)
            return unknown_column(r, "--columns", o->columns[k], names, n, first);
    }
    for (size_t k = 0; k < o->n_text; k++) {
        size_t i;
        for (i = first; i < n && strcmp(names[i], o->text_columns[k]) != 0; i++)
            ;
        if (i == n)
            return unknown_column(r, "--text", o->text_columns[k], names, n, first);
    }

    r->f = hs_calloc(n, sizeof *r->f);
    if (!r->f)
        return hs_csv_nomem(r);
    r->nf = n;
    for (size_t i = 0; i < n; i++) {
        struct hs_csv_field *fd = &r->f[i];
        bool text;
        if (i < first || (o->n_columns && !listed(o->columns, o->n_columns, names[i]))) {
            fd->st = HS_CSV_F_SKIP;
            continue;
        }
        text = listed(o->text_columns, o->n_text, names[i]);
        rc = hs_table_add_column(r->t, names[i], text ? HS_COL_TEXT : HS_COL_NUMBER, &fd->col,
                                 r->err);
        if (rc)
            return rc == HS_ENOMEM ? hs_csv_nomem(r) : rc;
        fd->st = text ? HS_CSV_F_TEXT : HS_CSV_F_UNDECIDED;
        fd->finite = o->weight_column && strcmp(names[i], o->weight_column) == 0;
    }
    if (grow_rows(r))
        return HS_ENOMEM;
    return HS_OK;
}

static int
setup_sentinels(struct hs_csv_reader *r)
{
    const struct hs_csv_options *o = r->opt;

    if (!o->n_missing)
        return HS_OK;
    r->nsent = hs_calloc(o->n_missing, sizeof *r->nsent);
    r->wsent = hs_calloc(o->n_missing, sizeof *r->wsent);
    r->wsent_len = hs_calloc(o->n_missing, sizeof *r->wsent_len);
    if (!r->nsent || !r->wsent || !r->wsent_len)
        return hs_csv_nomem(r);
    for (size_t i = 0; i < o->n_missing; i++) {
        const char *s = o->missing[i];
        double v;
        /* an out-of-range sentinel (1e400) matches as text, as the cell
         * would be refused if read as a number */
        if (hs_num_parse_checked(s, strlen(s), &v) == HS_OK && !isnan(v)) {
            r->nsent[r->n_nsent++] = v;
        } else {
            r->wsent[r->n_wsent] = s;
            r->wsent_len[r->n_wsent++] = strlen(s);
        }
    }
    return HS_OK;
}

static int
setup_delimiter(struct hs_csv_reader *r)
{
    const struct hs_csv_options *o = r->opt;
    int d = o->delimiter;

    r->comment = o->comment ? o->comment : '#';
    if (d == HS_CSV_SNIFF)
        d = hs_csv_sniff(r->buf + r->pos,
                         r->len < SNIFF_BYTES ? r->len - r->pos : SNIFF_BYTES - r->pos,
                         r->eof && r->len <= SNIFF_BYTES, r->comment);
    if (d != HS_CSV_WS && (d < 1 || d > 255 || d == '"' || d == '\n' || d == '\r'))
        return hs_err_set(r->err, HS_EUSAGE, "%s: cannot use that delimiter (byte %d)", r->name, d);
    if (d == r->comment)
        return hs_err_set(r->err, HS_EUSAGE,
                          "%s: the delimiter and the comment character are "
                          "the same ('%c')",
                          r->name, d);
    r->delim = d;
    r->ws = d == HS_CSV_WS;
    r->tab_blank = d != '\t';
    memset(r->stop, 0, sizeof r->stop);
    r->stop['\0'] = r->stop['\n'] = r->stop['\r'] = true;
    if (r->ws)
        r->stop[' '] = r->stop['\t'] = true;
    else
        r->stop[(unsigned char)d] = true;
    memset(r->special, 0, sizeof r->special);
    r->special['\0'] = r->special['\n'] = r->special['\r'] = r->special[' '] = true;
    r->special['\t'] = r->tab_blank;
    r->special[(unsigned char)r->comment] = true;
    return HS_OK;
}

/* Fill the buffer for the first look: at least SNIFF_BYTES or all of it. */
static int
prime(struct hs_csv_reader *r)
{
    const char *nul;
    int rc;

    while (!r->eof && r->len < SNIFF_BYTES)
        if ((rc = hs_csv_refill(r)))
            return rc;
    if (r->len >= 3 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0)
        r->pos = 3;
    if (r->len >= 2 && ((unsigned char)r->buf[0] == 0xff && (unsigned char)r->buf[1] == 0xfe))
        return fail_at(r, HS_EDATA, 1, 1,
                       "UTF-16 text: convert it to UTF-8 first "
                       "(iconv -f UTF-16 -t UTF-8)");
    if (r->len >= 2 && ((unsigned char)r->buf[0] == 0xfe && (unsigned char)r->buf[1] == 0xff))
        return fail_at(r, HS_EDATA, 1, 1,
                       "UTF-16 text: convert it to UTF-8 first "
                       "(iconv -f UTF-16 -t UTF-8)");
    if (r->len == r->pos)
        return fail_at(r, HS_EDATA, 1, 1, "the file is empty");
    /* only the first look's bytes, whatever was read: the same input must
     * give the same message however it arrives */
    nul = memchr(r->buf, '\0', r->len < SNIFF_BYTES ? r->len : SNIFF_BYTES);
    if (nul) {
        /* binary garbage: say so before the header makes less sense of it */
        long long line = 1;
        const char *start = r->buf;
        for (const char *q = r->buf; q < nul; q++)
            if (*q == '\n' || (*q == '\r' && q[1] != '\n')) {
                line++;
                start = q + 1;
            }
        /* The delimiter is not known yet: the column is the character's. */
        return fail_at(r, HS_EDATA, line, (size_t)(nul - start) + 1,
                       "binary data (a NUL byte): is this a CSV file?");
    }
    return HS_OK;
}

/* Read the header (or count the fields of the first line). */
static int
read_header(struct hs_csv_reader *r)
{
    char **names = NULL;
    size_t n = 0, hpos = 0;
    long long hline = 0;
    int rc;

    for (;;) {
        rc = split_record(r, &names, &n, &hpos, &hline);
        if (rc != HS_CSV_MORE)
            break;
        if ((rc = hs_csv_refill(r)))
            return rc;
    }
    if (rc == HS_CSV_DONE)
        return fail_at(r, HS_EDATA, 1, 1, "the file is empty (only blank or comment lines)");
    if (rc)
        return rc;
    if (r->opt->no_header) {
        /* the names are col1..colN; the line is data and is read again */
        for (size_t i = 0; i < n; i++) {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "col%zu", i + 1);
            hs_free(names[i]);
            names[i] = hs_strdup(tmp);
            if (!names[i]) {
                rc = hs_csv_nomem(r);
                goto out;
            }
        }
        r->pos = hpos;
        r->line = hline;
    }
    r->header_line = r->opt->no_header ? 0 : hline;
    rc = setup_columns(r, names, n, hline);
out:
    for (size_t i = 0; i < n; i++)
        hs_free(names[i]);
    hs_free(names);
    return rc;
}

static int
read_all(struct hs_csv_reader *r, struct hs_table **out)
{
    int rc;

    if ((rc = hs_csv_refill(r)) || (rc = prime(r)))
        return rc;
    if ((rc = setup_delimiter(r)) || (rc = setup_sentinels(r)))
        return rc;
    r->t = hs_table_new();
    if (!r->t)
        return hs_csv_nomem(r);
    if ((rc = read_header(r)))
        return rc;
    /* HS_OK: the threads read every row; HS_CSV_MORE: the serial reader is to */
    rc = hs_csv_parse_parallel(r);
    while (rc == HS_CSV_MORE) {
        rc = hs_csv_parse_rows(r);
        if (rc == HS_CSV_DONE)
            rc = HS_OK;
        else if (rc == HS_CSV_MORE && (rc = hs_csv_refill(r)) == HS_OK)
            rc = HS_CSV_MORE;
    }
    if (rc)
        return rc;
    if (r->t->nrows == 0) {
        if (r->opt->no_header)
            return fail_at(r, HS_EDATA, 1, 1, "the file is empty");
        /* Located where the first event should have been. */
        return fail_at(r, HS_EDATA, r->header_line + 1, 1, "a header but no events");
    }
    if (hs_task_cancelled(r->task))
        return hs_err_set(r->err, HS_ECANCELLED, "%s: cancelled", r->name);
    hs_task_progress(r->task, 1.0, "reading");
    *out = r->t;
    r->t = NULL;
    return HS_OK;
}

static int
read_input(struct hs_csv_reader *r, struct hs_table **out)
{
    int rc;

    r->line = 1;
    if (hs_csv_reader_alloc(r))
        rc = hs_csv_nomem(r);
    else
        rc = read_all(r, out);
    hs_csv_input_close(&r->in);
    for (size_t i = 0; i < r->nf; i++)
        hs_csv_cathash_release(&r->f[i].h);
    hs_free(r->f);
    hs_free(r->nsent);
    hs_free(r->wsent);
    hs_free(r->wsent_len);
    hs_free(r->scratch);
    hs_free(r->buf);
    hs_table_free(r->t);
    return rc;
}

static void
reader_init(struct hs_csv_reader *r, const char *name, const struct hs_csv_options *opt,
            const struct hs_task *task, struct hs_err *err)
{
    static const struct hs_csv_options defaults = {0};

    memset(r, 0, sizeof *r);
    r->name = name;
    r->opt = opt ? opt : &defaults;
    r->task = task;
    r->err = err;
    r->extra.st = HS_CSV_F_SKIP;
}

int
hs_csv_read_path(const char *path, const struct hs_csv_options *opt, int threads, size_t par_min,
                 struct hs_table **out, const struct hs_task *task, struct hs_err *err)
{
    struct hs_csv_reader r;
    const char *name = opt && opt->display_name ? opt->display_name
                       : strcmp(path, "-") == 0 ? "<stdin>"
                                                : path;
    int rc;

    reader_init(&r, name, opt, task, err);
    r.threads = threads;
    r.par_min = par_min;
    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "%s: cancelled", name);
    rc = hs_csv_input_open(&r.in, path, name, err);
    if (rc)
        return rc;
    return read_input(&r, out);
}

int
hs_csv_read_buffer(const char *data, size_t len, size_t chunk, const char *name,
                   const struct hs_csv_options *opt, int threads, size_t par_min,
                   struct hs_table **out, const struct hs_task *task, struct hs_err *err)
{
    struct hs_csv_reader r;

    if (opt && opt->display_name)
        name = opt->display_name;
    if (!name)
        name = "<memory>";
    reader_init(&r, name, opt, task, err);
    r.threads = threads;
    r.par_min = par_min;
    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "%s: cancelled", name);
    hs_csv_input_mem(&r.in, data, len, chunk, name);
    return read_input(&r, out);
}

int
hs_csv_read(const char *path, const struct hs_csv_options *opt, struct hs_table **out,
            const struct hs_task *task, struct hs_err *err)
{
    return hs_csv_read_path(path, opt, 0, HS_CSV_PAR_MIN, out, task, err);
}

int
hs_csv_read_mem_chunked(const char *data, size_t len, size_t chunk, const char *name,
                        const struct hs_csv_options *opt, struct hs_table **out,
                        const struct hs_task *task, struct hs_err *err)
{
    return hs_csv_read_buffer(data, len, chunk, name, opt, 0, HS_CSV_PAR_MIN, out, task, err);
}

int
hs_csv_read_mem(const char *data, size_t len, const char *name, const struct hs_csv_options *opt,
                struct hs_table **out, const struct hs_task *task, struct hs_err *err)
{
    return hs_csv_read_mem_chunked(data, len, 0, name, opt, out, task, err);
}

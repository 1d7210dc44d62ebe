/* csv_input.c: where the CSV reader's bytes come from, and the sniffer.
 *
 * Plain files are read with read(2) straight into the reader's buffer.
 * gzip is recognised by its magic bytes (1f 8b), not by the name, and goes
 * through zlib's inflate.  Standard input and pipes cannot be peeked and
 * rewound, so they go through the same code, which passes plain bytes
 * through when the first two are not the magic.
 *
 * Concatenated gzip members are one stream, as gzip(1) reads them.  Bytes
 * after the last member that do not start another one are an error naming
 * their offset: zlib's gzread would drop them without a word, and a file
 * with a damaged or foreign tail would import as if complete.
 */
#include "config.h"

#include "csv_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "csv.h"
#include "mem.h"

/* Compressed bytes read at a time. */
#define GZ_BUFFER (256u << 10)

enum gz_mode {
    GZ_PROBE,  /* at the start: gzip or plain? */
    GZ_PLAIN,  /* not gzip: bytes pass through */
    GZ_MEMBER, /* inside a gzip member */
    GZ_NEXT,   /* after a member: another one, the end, or trailing garbage */
    GZ_DONE,
};

struct gz_state {
    z_stream zs;
    bool zinit;          /* inflateInit2 done */
    bool eof;            /* read(2) returned 0 */
    enum gz_mode mode;
    long long pos;       /* file offset of buf[0] */
    unsigned char buf[GZ_BUFFER];
};

static int
open_gz(struct hs_csv_input *in, int fd, struct hs_err *err)
{
    struct gz_state *g = hs_malloc(sizeof *g);

    if (!g) {
        close(fd);
        return hs_err_set(err, HS_ENOMEM, "%s: out of memory", in->name);
    }
    memset(&g->zs, 0, sizeof g->zs);
    g->zinit = false;
    g->eof = false;
    g->mode = GZ_PROBE;
    g->pos = 0;
    g->zs.next_in = g->buf;
    g->zs.avail_in = 0;
    in->kind = HS_CSV_IN_GZ;
    in->gz = g;
    in->fd = fd;
    return HS_OK;
}

int
hs_csv_input_open(struct hs_csv_input *in, const char *path, const char *name, struct hs_err *err)
{
    struct stat st;
    unsigned char magic[2];
    int fd;

    memset(in, 0, sizeof *in);
    in->name = name;
    in->fd = -1;
    in->size = -1;
    if (strcmp(path, "-") == 0) {
        fd = dup(STDIN_FILENO);
        if (fd < 0)
            return hs_err_set(err, HS_EIO, "%s: cannot read standard input: %s", name,
                              strerror(errno));
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
            in->size = (long long)st.st_size;
        return open_gz(in, fd, err);
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return hs_err_set(err, HS_EIO, "%s: cannot open: %s", name, strerror(errno));
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return hs_err_set(err, HS_EIO, "%s: cannot open: %s", name, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return hs_err_set(err, HS_EIO, "%s: is a directory, not a file", name);
    }
    if (!S_ISREG(st.st_mode)) /* a pipe or device: no peeking */
        return open_gz(in, fd, err);
    in->size = (long long)st.st_size;
    if (pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        return open_gz(in, fd, err);
    in->kind = HS_CSV_IN_FD;
    in->fd = fd;
    return HS_OK;
}

void
hs_csv_input_range(struct hs_csv_input *in, int fd, long long from, long long to,
                   const char *name)
{
    memset(in, 0, sizeof *in);
    in->kind = HS_CSV_IN_RANGE;
    in->name = name;
    in->fd = -1;
    in->range_fd = fd;
    in->from = in->off = from;
    in->end = to;
    in->size = to - from;
}

long long
hs_csv_input_offset(const struct hs_csv_input *in)
{
    switch (in->kind) {
    case HS_CSV_IN_MEM:
        return (long long)in->memoff;
    case HS_CSV_IN_FD:
        return in->off;
    default:
        return -1;
    }
}

void
hs_csv_input_mem(struct hs_csv_input *in, const char *data, size_t len, size_t chunk,
                 const char *name)
{
    memset(in, 0, sizeof *in);
    in->kind = HS_CSV_IN_MEM;
    in->name = name;
    in->mem = data;
    in->memlen = len;
    in->chunk = chunk;
    in->fd = -1;
    in->size = (long long)len;
}

/* Make at least want compressed bytes available (fewer only at the end of
 * the file), moving the unread ones to the front of the buffer. */
static int
gz_fill(struct hs_csv_input *in, struct gz_state *g, unsigned want, struct hs_err *err)
{
    while (g->zs.avail_in < want && !g->eof) {
        size_t used = (size_t)(g->zs.next_in - g->buf);
        ssize_t got;

        if (used) {
            memmove(g->buf, g->zs.next_in, g->zs.avail_in);
            g->pos += (long long)used;
            g->zs.next_in = g->buf;
        }
        got = read(in->fd, g->buf + g->zs.avail_in, sizeof g->buf - g->zs.avail_in);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return hs_err_set(err, HS_EIO, "%s: read error: %s", in->name, strerror(errno));
        g->eof = got == 0;
        g->zs.avail_in += (unsigned)got;
    }
    return HS_OK;
}

/* The file offset of the next compressed byte not yet used. */
static long long
gz_offset(const struct gz_state *g)
{
    return g->pos + (long long)(g->zs.next_in - g->buf);
}

static bool
gz_magic(const struct gz_state *g)
{
    return g->zs.avail_in >= 2 && g->zs.next_in[0] == 0x1f && g->zs.next_in[1] == 0x8b;
}

/* Start a member at next_in (a gzip header: windowBits 15 + 16). */
static int
gz_start(struct hs_csv_input *in, struct gz_state *g, struct hs_err *err)
{
    int zrc = g->zinit ? inflateReset(&g->zs) : inflateInit2(&g->zs, 15 + 16);

    if (zrc == Z_MEM_ERROR)
        return hs_err_set(err, HS_ENOMEM, "%s: out of memory", in->name);
    if (zrc != Z_OK)
        return hs_err_set(err, HS_EDATA, "%s: corrupt gzip stream: %s", in->name,
                          g->zs.msg ? g->zs.msg : "cannot start zlib");
    g->zinit = true;
    g->mode = GZ_MEMBER;
    return HS_OK;
}

static long
read_gz(struct hs_csv_input *in, char *buf, size_t n, struct hs_err *err)
{
    struct gz_state *g = in->gz;
    int rc;

    if (n > UINT_MAX / 2)
        n = UINT_MAX / 2;
    for (;;) {
        switch (g->mode) {
        case GZ_PROBE:
        case GZ_NEXT:
            if ((rc = gz_fill(in, g, 2, err)))
                return rc;
            if (g->zs.avail_in == 0) {
                g->mode = GZ_DONE;
                break;
            }
            if (gz_magic(g)) {
                if ((rc = gz_start(in, g, err)))
                    return rc;
                break;
            }
            if (g->mode == GZ_PROBE) {
                g->mode = GZ_PLAIN;
                break;
            }
            return hs_err_set(err, HS_EDATA,
                              "%s: byte offset %lld: data after the end of the gzip stream "
                              "that is not another gzip member",
                              in->name, gz_offset(g));
        case GZ_PLAIN:
            if ((rc = gz_fill(in, g, 1, err)))
                return rc;
            if (n > g->zs.avail_in)
                n = g->zs.avail_in;
            memcpy(buf, g->zs.next_in, n);
            g->zs.next_in += n;
            g->zs.avail_in -= (unsigned)n;
            return (long)n;
        case GZ_MEMBER: {
            int zrc;
            size_t made;

            if ((rc = gz_fill(in, g, 1, err)))
                return rc;
            g->zs.next_out = (unsigned char *)buf;
            g->zs.avail_out = (unsigned)n;
            zrc = inflate(&g->zs, Z_NO_FLUSH);
            made = n - g->zs.avail_out;
            if (zrc == Z_STREAM_END)
                g->mode = GZ_NEXT;
            else if (zrc == Z_MEM_ERROR)
                return hs_err_set(err, HS_ENOMEM, "%s: out of memory", in->name);
            else if (zrc == Z_BUF_ERROR && g->zs.avail_in == 0 && g->eof)
                return hs_err_set(err, HS_EDATA, "%s: corrupt gzip stream: unexpected end of file",
                                  in->name);
            else if (zrc != Z_OK && zrc != Z_BUF_ERROR)
                return hs_err_set(err, HS_EDATA, "%s: corrupt gzip stream: %s", in->name,
                                  g->zs.msg ? g->zs.msg : "unknown zlib error");
            if (made)
                return (long)made;
            break;
        }
        case GZ_DONE:
            return 0;
        }
    }
}

long
hs_csv_input_read(struct hs_csv_input *in, char *buf, size_t n, struct hs_err *err)
{
    if (in->chunk && n > in->chunk)
        n = in->chunk;
    if (n > LONG_MAX)
        n = LONG_MAX;
    switch (in->kind) {
    case HS_CSV_IN_MEM:
        if (n > in->memlen - in->memoff)
            n = in->memlen - in->memoff;
        memcpy(buf, in->mem + in->memoff, n);
        in->memoff += n;
        return (long)n;
    case HS_CSV_IN_FD:
        for (;;) {
            ssize_t got = read(in->fd, buf, n);
            if (got >= 0) {
                in->off += got;
                return (long)got;
            }
            if (errno != EINTR)
                return hs_err_set(err, HS_EIO, "%s: read error: %s", in->name, strerror(errno));
        }
    case HS_CSV_IN_RANGE:
        if ((long long)n > in->end - in->off)
            n = (size_t)(in->end - in->off);
        for (;;) {
            ssize_t got = n ? pread(in->range_fd, buf, n, (off_t)in->off) : 0;
            if (got >= 0) {
                in->off += got;
                /* a file that shrank under us ends the range */
                if (got == 0)
                    in->end = in->off;
                return (long)got;
            }
            if (errno != EINTR)
                return hs_err_set(err, HS_EIO, "%s: read error: %s", in->name, strerror(errno));
        }
    case HS_CSV_IN_GZ:
        return read_gz(in, buf, n, err);
    }
    return 0;
}

size_t
hs_csv_input_remaining(const struct hs_csv_input *in)
{
    if (in->kind == HS_CSV_IN_RANGE)
        return (size_t)(in->end - in->off);
    return in->kind == HS_CSV_IN_MEM ? in->memlen - in->memoff : SIZE_MAX;
}

double
hs_csv_input_fraction(const struct hs_csv_input *in)
{
    long long at;

    if (in->size <= 0)
        return -1;
    switch (in->kind) {
    case HS_CSV_IN_MEM:
        at = (long long)in->memoff;
        break;
    case HS_CSV_IN_FD:
        at = in->off;
        break;
    case HS_CSV_IN_RANGE:
        at = in->off - in->from;
        break;
    default:
        at = gz_offset(in->gz);
        break;
    }
    if (at < 0)
        return -1;
    return at >= in->size ? 1.0 : (double)at / (double)in->size;
}

void
hs_csv_input_close(struct hs_csv_input *in)
{
    struct gz_state *g = in->gz;

    if (g && g->zinit)
        inflateEnd(&g->zs);
    hs_free(g);
    if (in->fd >= 0)
        close(in->fd);
    in->gz = NULL;
    in->fd = -1;
}

/* ---- sniffing ------------------------------------------------------------ */

#define SNIFF_RECORDS 20

static const char sniff_cands[] = {',', '\t', ';', '|'};
#define NCANDS (sizeof sniff_cands)

int
hs_csv_sniff(const char *p, size_t len, bool eof, char comment)
{
    size_t counts[SNIFF_RECORDS][NCANDS], wsf[SNIFF_RECORDS];
    size_t nrec = 0, i = 0;
    int best = -1;
    size_t best_score = 0;

    while (i < len && nrec < SNIFF_RECORDS) {
        size_t j = i, c[NCANDS] = {0}, nws = 0;
        bool quoted = false, inword = false, done = false;

        while (j < len && (p[j] == ' ' || p[j] == '\t'))
            j++;
        if (j < len && (p[j] == '\n' || p[j] == '\r')) { /* blank line */
            i = j + 1;
            continue;
        }
        if (j < len && p[i] == comment) {
            while (j < len && p[j] != '\n' && p[j] != '\r')
                j++;
            i = j + 1;
            continue;
        }
        for (j = i; j < len; j++) {
            char ch = p[j];
            if (ch == '"')
                quoted = !quoted;
            if (quoted) {
                nws += !inword;
                inword = true;
                continue;
            }
            if (ch == '\n' || ch == '\r') {
                done = true;
                break;
            }
            for (size_t k = 0; k < NCANDS; k++)
                c[k] += ch == sniff_cands[k];
            if (ch == ' ' || ch == '\t') {
                inword = false;
            } else if (!inword) {
                inword = true;
                nws++;
            }
        }
        /* A record cut by the end of the sample counts only when it is the
         * whole input or the only record seen. */
        if (!done && !eof && nrec > 0)
            break;
        memcpy(counts[nrec], c, sizeof c);
        wsf[nrec] = nws;
        nrec++;
        i = j + 1;
    }
    if (nrec == 0)
        return ',';
    for (size_t k = 0; k < NCANDS; k++) {
        size_t score = 0;
        if (counts[0][k] == 0)
            continue;
        for (size_t r = 0; r < nrec; r++)
            score += counts[r][k] == counts[0][k];
        if (score > best_score) {
            best_score = score;
            best = (int)k;
        }
    }
    if (best >= 0)
        return sniff_cands[best];
    if (wsf[0] >= 2) {
        size_t r;
        for (r = 1; r < nrec && wsf[r] == wsf[0]; r++)
            ;
        if (r == nrec)
            return HS_CSV_WS;
    }
    return ',';
}

/* csv_input.c: where the CSV reader's bytes come from, and the sniffer.
 *
 * Plain files are read with read(2) straight into the reader's buffer.
 * gzip is recognised by its magic bytes (1f 8b), not by the name, and goes
 * through zlib's gzread, which also reads concatenated members.  Standard
 * input cannot be peeked and rewound, so it always goes through gzread,
 * whose "transparent" mode passes plain bytes through unchanged.
 */
#include "config.h"

#include "csv_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "csv.h"

/* zlib's own buffer; larger than the default 8 KiB to make fewer calls. */
#define GZ_BUFFER (256u << 10)

static int
open_gz(struct hs_csv_input *in, int fd, struct hs_err *err)
{
    gzFile gz = gzdopen(fd, "rb");

    if (!gz) {
        close(fd);
        return hs_err_set(err, HS_EIO, "%s: cannot read: out of memory", in->name);
    }
    gzbuffer(gz, GZ_BUFFER);
    in->kind = HS_CSV_IN_GZ;
    in->gz = gz;
    in->fd = -1; /* owned by gz now */
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

static long
read_gz(struct hs_csv_input *in, char *buf, size_t n, struct hs_err *err)
{
    int got, errnum;
    const char *msg;

    if (n > INT_MAX / 2)
        n = INT_MAX / 2;
    got = gzread(in->gz, buf, (unsigned)n);
    if (got > 0)
        return got;
    msg = gzerror(in->gz, &errnum);
    /* zlib writes the name it was given, "<fd:3>", in front */
    if (msg && strncmp(msg, "<fd:", 4) == 0 && strstr(msg, ": "))
        msg = strstr(msg, ": ") + 2;
    if (errnum == Z_ERRNO)
        return hs_err_set(err, HS_EIO, "%s: read error: %s", in->name, strerror(errno));
    /* A truncated stream ends with Z_BUF_ERROR ("unexpected end of file"). */
    if (got < 0 || errnum != Z_OK)
        return hs_err_set(err, HS_EDATA, "%s: corrupt gzip stream: %s", in->name,
                          msg && *msg ? msg : "unknown zlib error");
    return 0;
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
        at = (long long)gzoffset(in->gz);
        break;
    }
    if (at < 0)
        return -1;
    return at >= in->size ? 1.0 : (double)at / (double)in->size;
}

void
hs_csv_input_close(struct hs_csv_input *in)
{
    if (in->gz)
        gzclose(in->gz);
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

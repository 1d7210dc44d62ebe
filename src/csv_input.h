/* csv_input.h: the CSV reader's byte source and delimiter sniffing (internal).
 *
 * A source hands out the bytes of a plain file, a gzip file (decompressed),
 * standard input (either), or a memory buffer, in blocks.  Not part of the
 * engine's API: only csv.c uses it.
 */
#ifndef HS_CSV_INPUT_H
#define HS_CSV_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum hs_csv_input_kind {
    HS_CSV_IN_MEM,
    HS_CSV_IN_FD,   /* a plain file read with read(2) */
    HS_CSV_IN_GZ,   /* zlib's gzread: gzip files, and stdin (plain or gzip) */
};

struct hs_csv_input {
    enum hs_csv_input_kind kind;
    const char *name;       /* for messages */
    const char *mem;        /* HS_CSV_IN_MEM */
    size_t memlen, memoff;
    size_t chunk;           /* at most this many bytes per read (0: no limit) */
    int fd;                 /* HS_CSV_IN_FD, and the descriptor under a gzFile */
    void *gz;               /* gzFile */
    long long size;         /* total input bytes (compressed for gzip), -1 if unknown */
};

/* Open path ("-" is standard input); name is used in messages.  A regular
 * file starting with the gzip magic bytes is decompressed.  HS_EIO. */
int hs_csv_input_open(struct hs_csv_input *in, const char *path, const char *name,
                      struct hs_err *err);

/* A source over data[0..len), handing out at most chunk bytes a read
 * (0: all at once), so that tests can cut records at every byte. */
void hs_csv_input_mem(struct hs_csv_input *in, const char *data, size_t len, size_t chunk,
                      const char *name);

/* Read up to n bytes into buf.  Returns the count, 0 at the end, or a
 * negative status: HS_EIO (read error), HS_EDATA (corrupt gzip stream). */
long hs_csv_input_read(struct hs_csv_input *in, char *buf, size_t n, struct hs_err *err);

/* Fraction of the input consumed so far, or -1 when the size is unknown. */
double hs_csv_input_fraction(const struct hs_csv_input *in);

void hs_csv_input_close(struct hs_csv_input *in);

/* The delimiter of the text p[0..len): ',', '\t', ';' or '|' when the
 * first record has it and the next records have it as many times (outside
 * quotes), else HS_CSV_WS when blanks split the records into the same
 * number (>= 2) of fields, else ',' (a single column).  Blank lines and
 * lines starting with comment are ignored; eof says p ends the input (a
 * last line without newline then counts). */
int hs_csv_sniff(const char *p, size_t len, bool eof, char comment);

#endif

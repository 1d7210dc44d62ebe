/* csv_impl.h: the CSV reader's helpers (internal; only csv.c uses them).
 *
 * csv_input.c: the byte source, which hands out the bytes of a plain file,
 * a gzip file (decompressed), standard input (either), or a memory buffer,
 * in blocks; and the delimiter sniffer.
 * csv_text.c: UTF-8 checks, the missing-value words, and the hash that
 * gives text cells their category codes.
 */
#ifndef HS_CSV_IMPL_H
#define HS_CSV_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "table.h"
#include "task.h"
#include "csv.h"

enum hs_csv_input_kind {
    HS_CSV_IN_MEM,
    HS_CSV_IN_FD, /* a plain file read with read(2) */
    HS_CSV_IN_GZ, /* zlib's gzread: gzip files, and stdin (plain or gzip) */
    HS_CSV_IN_RANGE, /* bytes [off, end) of a plain file, with pread(2) */
};

struct hs_csv_input {
    enum hs_csv_input_kind kind;
    const char *name; /* for messages */
    const char *mem;  /* HS_CSV_IN_MEM */
    size_t memlen, memoff;
    size_t chunk;   /* at most this many bytes per read (0: no limit) */
    int fd;         /* HS_CSV_IN_FD, and the descriptor under a gzFile */
    void *gz;       /* gzFile */
    long long size; /* total input bytes (compressed for gzip), -1 if unknown */
    long long off;  /* HS_CSV_IN_FD, HS_CSV_IN_RANGE: the next byte's file offset */
    long long from, end; /* HS_CSV_IN_RANGE */
    int range_fd;        /* HS_CSV_IN_RANGE: borrowed, never closed here */
};

/* Open path ("-" is standard input); name is used in messages.  A regular
 * file starting with the gzip magic bytes is decompressed.  HS_EIO. */
int hs_csv_input_open(struct hs_csv_input *in, const char *path, const char *name,
                      struct hs_err *err);

/* A source over data[0..len), handing out at most chunk bytes a read
 * (0: all at once), so that tests can cut records at every byte. */
void hs_csv_input_mem(struct hs_csv_input *in, const char *data, size_t len, size_t chunk,
                      const char *name);

/* A source over bytes [from, to) of the plain file open as fd (borrowed:
 * not closed), for one range of the parallel reader.  pread(2) keeps the
 * sources of several threads over one descriptor independent. */
void hs_csv_input_range(struct hs_csv_input *in, int fd, long long from, long long to,
                        const char *name);

/* Bytes handed out so far (HS_CSV_IN_MEM, HS_CSV_IN_FD), else -1. */
long long hs_csv_input_offset(const struct hs_csv_input *in);

/* Read up to n bytes into buf.  Returns the count, 0 at the end, or a
 * negative status: HS_EIO (read error), HS_EDATA (corrupt gzip stream). */
long hs_csv_input_read(struct hs_csv_input *in, char *buf, size_t n, struct hs_err *err);

/* The bytes left to read when known (memory), else SIZE_MAX. */
size_t hs_csv_input_remaining(const struct hs_csv_input *in);

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

/* Is s[0..n) valid UTF-8 (no overlong forms, no surrogates)? */
bool hs_csv_utf8_valid(const char *s, size_t n);

/* Is s[0..n) one of the words for a missing value: NA, NaN, N/A, null,
 * None, in any case? */
bool hs_csv_is_na_word(const char *s, size_t n);

/* Text column interning.  The table's hs_column_intern searches the
 * categories linearly; a column with many distinct strings (an identifier)
 * would make reading quadratic, so the reader keeps a hash per column and
 * appends new strings to the column's cats itself. */
struct hs_csv_cathash {
    uint64_t *slot; /* (hash << 32) | (code + 1); 0 is an empty slot */
    size_t mask;    /* slots - 1, or 0 before the first string */
    size_t used;
};

uint32_t hs_csv_hash(const char *s, size_t n);

/* The code of s[0..n) (hash hv) in column c, when it is there. */
bool hs_csv_cathash_find(const struct hs_csv_cathash *h, const struct hs_column *c, const char *s,
                         size_t n, uint32_t hv, double *code);

/* Add s[0..n) as the next category of c and to the hash.  HS_ENOMEM. */
int hs_csv_cathash_add(struct hs_csv_cathash *h, struct hs_column *c, const char *s, size_t n,
                       uint32_t hv, double *code);

void hs_csv_cathash_release(struct hs_csv_cathash *h);

/* Tests: hs_csv_read and hs_csv_read_mem_chunked with the parallel path
 * forced, whatever the input's size: threads ranges (1: the serial reader
 * only; 0: OpenMP's thread count).  The results, and the messages, are the
 * serial reader's whatever the count. */
int hs_csv_read_threads(const char *path, const struct hs_csv_options *opt, int threads,
                        struct hs_table **out, const struct hs_task *task, struct hs_err *err);
int hs_csv_read_mem_threads(const char *data, size_t len, size_t chunk, const char *name,
                            const struct hs_csv_options *opt, int threads,
                            struct hs_table **out, const struct hs_task *task,
                            struct hs_err *err);

#endif

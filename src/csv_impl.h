/* csv_impl.h: the CSV reader's internals, shared by its files (and the
 * tests); nothing outside the reader uses them.
 *
 * csv.c: the reader itself (struct hs_csv_reader): the buffer, the header,
 * the serial record loop, and the public entry points of csv.h.
 * csv_par.c: the parallel path, which cuts a large plain input into ranges,
 * parses each with a reader of its own through csv.c's record loop, and
 * joins the tables; the entry points that force it (for the tests).
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
    HS_CSV_IN_GZ, /* zlib's inflate: gzip files, and stdin or a pipe (plain or gzip) */
    HS_CSV_IN_RANGE, /* bytes [off, end) of a plain file, with pread(2) */
};

struct hs_csv_input {
    enum hs_csv_input_kind kind;
    const char *name; /* for messages */
    const char *mem;  /* HS_CSV_IN_MEM */
    size_t memlen, memoff;
    size_t chunk;   /* at most this many bytes per read (0: no limit) */
    int fd;         /* HS_CSV_IN_FD, HS_CSV_IN_GZ */
    void *gz;       /* HS_CSV_IN_GZ: the inflater's state (csv_input.c) */
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

/* ---- the reader (csv.c, csv_par.c) ---------------------------------------- */

#define HS_CSV_PROGRESS_STEP (4u << 20) /* report progress at most every 4 MiB */
#define HS_CSV_PAR_MIN (8u << 20)       /* bytes after the header for threads to pay */

/* Statuses of the parse steps, besides HS_OK and the negative codes. */
enum {
    HS_CSV_DONE = 1, /* the input, or the row limit, ended */
    HS_CSV_MORE = 2, /* the buffer ended first: refill and call again */
};

/* What a field (a column of the file) has turned out to be. */
enum hs_csv_fstate {
    HS_CSV_F_SKIP,      /* not imported: the row index, a column left out by --columns */
    HS_CSV_F_UNDECIDED, /* no non-missing cell yet */
    HS_CSV_F_NUMBER,
    HS_CSV_F_TEXT,
};

/* One field of the records: its state, and where its cells go. */
struct hs_csv_field {
    enum hs_csv_fstate st;
    size_t col;              /* table column, unless HS_CSV_F_SKIP */
    double *v;               /* that column's values; refreshed when the table grows */
    struct hs_csv_cathash h; /* text: string -> code */
    bool finite;             /* the weight column: no missing, inf or nan cell */
};

/* A reader: the whole file's (csv.c), or one range's (csv_par.c).  Its
 * owned memory (buf, f, their hashes, nsent, wsent, scratch, t) is freed by
 * whoever set it up; a range reader borrows the sentinels of the file's. */
struct hs_csv_reader {
    const char *name;
    struct hs_csv_input in;
    const struct hs_csv_options *opt;
    const struct hs_task *task;
    struct hs_err *err;

    char *buf;
    size_t cap, len, pos; /* buf holds cap + PAD bytes; data is [pos, len) */
    bool eof;
    long long line;       /* physical line of buf[pos] */
    long long quote_line; /* set when a record was cut inside quotes */
    size_t quote_col;
    size_t since_progress;

    int delim; /* a byte, or HS_CSV_WS */
    bool ws;
    bool tab_blank; /* tabs are blanks (trimmed), i.e. not TSV */
    char comment;
    bool stop[256];    /* bytes that end an unquoted field */
    bool special[256]; /* bytes that may start a blank or comment line */

    struct hs_csv_field *f;
    size_t nf;
    struct hs_csv_field extra; /* for fields beyond nf in a ragged row */
    long long header_line;
    struct hs_table *t;

    double *nsent; /* --missing values that are numbers */
    size_t n_nsent;
    const char **wsent; /* --missing values that are words */
    size_t *wsent_len;
    size_t n_wsent;

    char *scratch; /* unescaped quoted cells */
    size_t scratch_cap;

    /* the parallel path (csv_par.c) */
    int threads;          /* ranges to read at once; 0: OpenMP's thread count */
    size_t par_min;       /* fewer data bytes than this are read serially */
    bool quiet;           /* a range reader on another thread: no progress calls */
    size_t progress_step; /* bytes read between reports; 0: HS_CSV_PROGRESS_STEP */
};

/* Set r->err to "NAME: out of memory" and return HS_ENOMEM. */
int hs_csv_nomem(struct hs_csv_reader *r);

/* Allocate r->buf (r->cap + its padding) for reading r->in: one block, or
 * less when r->in is known to hold less.  HS_ENOMEM, r->err not set. */
int hs_csv_reader_alloc(struct hs_csv_reader *r);

/* Move the unparsed bytes r->buf[pos..len) to the front and read more;
 * sets r->eof at the end of the input.  Checks the cancel flag, and
 * reports progress unless r->quiet.  HS_ECANCELLED, HS_EIO, HS_EDATA (a
 * record over the 8 MiB limit, a corrupt gzip stream), HS_ENOMEM, with
 * r->err set. */
int hs_csv_refill(struct hs_csv_reader *r);

/* Parse the records at r->pos into r->t, after the delimiter, the fields
 * and the table are set up.  HS_CSV_MORE when the buffer ends inside a
 * record (hs_csv_refill, then call again), HS_CSV_DONE at the end of the
 * input or the row limit, or an error with r->err set.  r->pos and r->line
 * always stay at the first record not stored. */
int hs_csv_parse_rows(struct hs_csv_reader *r);

/* csv_par.c: read every record after the header (at r->pos) with
 * r->threads ranges at once.  HS_OK with all rows in r->t; HS_CSV_MORE
 * when the serial reader is to read them, r unchanged (a small input, not
 * a plain file or buffer, a row limit, a range that failed, ranges that
 * disagree on a column's kind); HS_ECANCELLED or HS_ENOMEM with r->err set. */
int hs_csv_parse_parallel(struct hs_csv_reader *r);

/* csv.c: hs_csv_read and hs_csv_read_mem_chunked with the parallel path's
 * settings: threads ranges (0: OpenMP's thread count, 1: serial only), and
 * inputs with fewer than par_min bytes after the header read serially. */
int hs_csv_read_path(const char *path, const struct hs_csv_options *opt, int threads,
                     size_t par_min, struct hs_table **out, const struct hs_task *task,
                     struct hs_err *err);
int hs_csv_read_buffer(const char *data, size_t len, size_t chunk, const char *name,
                       const struct hs_csv_options *opt, int threads, size_t par_min,
                       struct hs_table **out, const struct hs_task *task, struct hs_err *err);

/* csv_par.c, for the tests: hs_csv_read and hs_csv_read_mem_chunked with the parallel path
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

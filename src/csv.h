/* csv.h: a streaming reader for delimited event files.
 *
 * Reads CSV, TSV and whitespace-separated files, plain or gzip-compressed
 * (detected by content, not name), from a path or "-" for standard input,
 * into a new hs_table.  The file streams through a fixed buffer; the table
 * grows as it goes.  On any error nothing is returned and err holds
 * "FILE:LINE:COL: what is wrong" (line and col also in err->line/col).
 *
 * Cells: quoted fields ("a,b", "say ""hi"""), CRLF and lone CR line ends, a
 * UTF-8 BOM, comment lines (starting with the comment character), empty
 * cells and the missing-value words NA, NaN, N/A, null, None (any case) are
 * missing (NaN), as is any cell equal, as a number, to a --missing sentinel.
 * A column's kind is decided by its first non-missing cell; a later cell
 * that does not fit is an error, as is a missing, infinite or nan cell in
 * the weight column (when its header names one).  An empty first header field marks a row
 * index column (as pandas writes it), which is skipped; any other empty
 * header field names its column colN (N its position in the file).
 * Renames apply to the header before anything else looks at the names
 * (--columns and --text name the new ones).
 */
#ifndef HS_CSV_H
#define HS_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "table.h"
#include "task.h"

#define HS_CSV_SNIFF 0     /* delimiter: look at the first lines */
#define HS_CSV_WS (-1)     /* delimiter: runs of blanks and tabs */

struct hs_csv_options {
    int delimiter;                 /* HS_CSV_SNIFF, HS_CSV_WS, or a byte (',' '\t' ';' '|') */
    bool no_header;                /* the first line is data; columns are col1..colN */
    char comment;                  /* comment line start; 0 means '#' */
    const char *const *missing;    /* extra sentinels (numbers or words) */
    size_t n_missing;
    const char *const *text_columns; /* forced to text */
    size_t n_text;
    const char *const *columns;    /* import only these (NULL: all) */
    size_t n_columns;
    size_t max_rows;               /* stop after this many events; 0 = all */
    const char *display_name;      /* the name used in messages; NULL: path, or "<stdin>" */
    const char *weight_column;     /* its cells must be finite numbers (NULL: none) */
    const char *const *renames;    /* "OLD=NEW": read header column OLD as NEW */
    size_t n_renames;
    const char *const *reserved;   /* names no imported column may have (after renames) */
    size_t n_reserved;
};

/* Read path ("-" = stdin) into *out.  Errors: HS_EIO (cannot open or read),
 * HS_EDATA (malformed, with location), HS_EUSAGE (an option names a column
 * that is not there), HS_ENOMEM, HS_ECANCELLED.  Progress is reported as
 * the fraction of the input bytes read when the size is known. */
int hs_csv_read(const char *path, const struct hs_csv_options *opt, struct hs_table **out,
                const struct hs_task *task, struct hs_err *err);

/* The same from a memory buffer (tests, fuzzing); name is used in messages. */
int hs_csv_read_mem(const char *data, size_t len, const char *name,
                    const struct hs_csv_options *opt, struct hs_table **out,
                    const struct hs_task *task, struct hs_err *err);

/* The same, with the data handed to the reader at most chunk bytes at a
 * time (0: all at once), so that tests and the fuzzer can cut records at
 * every byte boundary. */
int hs_csv_read_mem_chunked(const char *data, size_t len, size_t chunk, const char *name,
                            const struct hs_csv_options *opt, struct hs_table **out,
                            const struct hs_task *task, struct hs_err *err);

#endif

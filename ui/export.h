/* export.h: writing a table as CSV, the way `export` and `demo -o` do. */
#ifndef HS_EXPORT_H
#define HS_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "featureset.h"
#include "table.h"
#include "ui/cmd.h"

/* A file written whole or not at all.  hs_out_open: path "-" is
 * cmd->out; a device or a pipe (/dev/null, a FIFO) is written in place,
 * where a rename would put a regular file; any other path is a temporary
 * file beside it (mode as umask allows).  hs_out_close(rc): when rc is
 * HS_OK and every write succeeded, the temporary file is renamed over
 * path; else it is removed and path is left as it was.  Returns rc, or
 * HS_EIO with the reason in cmd->err. */
struct hs_out_file {
    FILE *fp;
    const char *path; /* borrowed */
    char *tmp;        /* the temporary file, or NULL when written in place */
    bool is_stdout;
};
int hs_out_open(struct hs_cmd *cmd, const char *path, struct hs_out_file *of);
int hs_out_close(struct hs_cmd *cmd, struct hs_out_file *of, int rc);

/* name as part of a file name: what a file name should not hold (a
 * slash, a blank, ...) becomes '_', and so does a leading dot. */
void hs_file_name_part(char *out, size_t size, const char *name);

/* Write t's imported columns (not hepscope's own), in order, then, when fs
 * is not NULL, the enabled derived features of fs, as CSV: a header line,
 * numbers in their shortest exact form, missing values as empty cells,
 * text quoted where needed.  path "-" writes to cmd->out; any other path
 * is written through a temporary file renamed over it at the end, so a
 * failure or a cancel never leaves a half-written file.  Errors go to
 * cmd->err (HS_EIO, HS_ENOMEM, HS_ECANCELLED, or a feature's error). */
int hs_export_csv(struct hs_cmd *cmd, const struct hs_table *t, struct hs_featureset *fs,
                  const char *path);

#endif

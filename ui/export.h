/* export.h: writing a table as CSV, the way `export` and `demo -o` do. */
#ifndef HS_EXPORT_H
#define HS_EXPORT_H

#include "featureset.h"
#include "table.h"
#include "ui/cmd.h"

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

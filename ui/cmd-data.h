/* cmd-data.h: shared parts of the data commands (ui/cmd-data.c,
 * ui/cmd-import.c), and the import-or-reuse step of `hepscope FILE`. */
#ifndef HS_CMD_DATA_H
#define HS_CMD_DATA_H

#include "ui/cmd.h"

extern const struct hs_cmd_entry hs_cmd_import_entry;

/* For `hepscope FILE`: find a dataset of app's session imported from the
 * same file (same absolute path, size and modification time) or import
 * the file (as its stem, replacing an older import of the same path, or
 * under a free variant of the stem), then set app->dataset to it.  The
 * session is opened read-write and left open.  The import's summary line
 * goes to out (may be NULL). */
int hs_import_or_reuse(struct hs_app *app, const char *path, FILE *out, struct hs_err *err);

/* The dataset name a file gets by default: its base name without ".gz"
 * and without its last extension ("data.csv.gz" -> "data"; "-" gives
 * "stdin"), a new string in *name.  HS_EUSAGE, and *name NULL, when that
 * name would hold a control character (as --name would: see below);
 * HS_ENOMEM. */
int hs_import_default_name(const char *path, char **name, struct hs_err *err);

/* HS_EUSAGE for a name a dataset cannot have: empty, or holding a
 * control character. */
int hs_import_check_name(const char *name, struct hs_err *err);

#endif

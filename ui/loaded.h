/* loaded.h: a dataset's events and feature set, loaded for one command. */
#ifndef HS_LOADED_H
#define HS_LOADED_H

#include "featureset.h"
#include "table.h"
#include "ui/cmd.h"

struct hs_loaded {
    struct hs_table *t;
    struct hs_featureset fs;
};

/* Open cmd->dataset's events and stored feature list; errors in cmd->err.
 * The events are a lazy table (table.h): a column is read from the
 * session when the command first asks for its values (through the
 * feature set, hs_table_values), so a command reads the columns it uses
 * and those its derived features and models read, no other.  The label,
 * weight and group come at once. */
int hs_loaded_open(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld);
/* The same without the events (a table of no rows): for commands that
 * change the feature list and read no value. */
int hs_loaded_open_columns(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld);
void hs_loaded_close(struct hs_loaded *ld);

/* The feature called name, or HS_ENOTFOUND with a suggestion in cmd->err. */
int hs_loaded_feature(struct hs_cmd *cmd, const struct hs_loaded *ld, const char *name,
                      size_t *idx);

#endif

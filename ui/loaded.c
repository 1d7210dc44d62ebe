#include "config.h"

#include "ui/loaded.h"

#include <stdlib.h>

#include "names.h"
#include "sessions/features.h"

/* The feature set on t (loaded by the caller, freed here on failure). */
static int
load_features(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld)
{
    int rc;

    rc = hs_sess_featureset_load(app->sess, cmd->dataset, ld->t, &ld->fs, &cmd->err);
    if (rc) {
        hs_table_free(ld->t);
        ld->t = NULL;
    }
    return rc;
}

int
hs_loaded_open(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld)
{
    int rc = hs_sess_dataset_open(app->sess, cmd->dataset, &ld->t, &cmd->task, &cmd->err);

    return rc ? rc : load_features(cmd, app, ld);
}

int
hs_loaded_open_columns(struct hs_cmd *cmd, struct hs_app *app, struct hs_loaded *ld)
{
    int rc = hs_sess_dataset_load_columns(app->sess, cmd->dataset, &ld->t, &cmd->err);

    return rc ? rc : load_features(cmd, app, ld);
}

void
hs_loaded_close(struct hs_loaded *ld)
{
    if (ld->t)
        hs_featureset_release(&ld->fs);
    hs_table_free(ld->t);
    ld->t = NULL;
}

int
hs_loaded_feature(struct hs_cmd *cmd, const struct hs_loaded *ld, const char *name, size_t *idx)
{
    long i = hs_featureset_find(&ld->fs, name);
    const char **names;
    const char *close = NULL;

    if (i >= 0) {
        *idx = (size_t)i;
        return HS_OK;
    }
    names = malloc((ld->fs.n + 1) * sizeof *names);
    if (names) {
        for (size_t k = 0; k < ld->fs.n; k++)
            names[k] = ld->fs.f[k].name;
        close = hs_closest_name(name, names, ld->fs.n);
    }
    if (close)
        hs_err_set(&cmd->err, HS_ENOTFOUND, "no feature '%s' in dataset '%s' (did you mean '%s'?)",
                   name, cmd->dataset, close);
    else
        hs_err_set(&cmd->err, HS_ENOTFOUND, "no feature '%s' in dataset '%s'", name,
                   cmd->dataset);
    free(names);
    return HS_ENOTFOUND;
}

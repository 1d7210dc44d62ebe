/* tui-features.c: the shown dataset's features, loaded into the TUI.
 *
 * After every command that changed the session the TUI reloads the shown
 * dataset (ui/tui.c).  Here the reloaded events are compared with the ones
 * shown, so that a command that changed only the features (a toggle, an
 * add) keeps the views and the statistics already computed, and the
 * feature list is read from the session into the features view, its
 * enabled derived features becoming extra columns of the data view.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "featureset.h"
#include "mem.h"
#include "sessions/features.h"
#include "ui/view.h"

/* Do a and b hold the same events, bit for bit?  A command that changed
 * only the features reloads the same events; comparing them (a few ms for
 * a million rows) is what lets the views and statistics stay. */
bool
hs_tui_same_events(const struct hs_table *a, const struct hs_table *b)
{
    if (!a || !b || a->nrows != b->nrows || a->ncols != b->ncols)
        return false;
    for (size_t j = 0; j < a->ncols; j++) {
        const struct hs_column *x = &a->cols[j], *y = &b->cols[j];
        if (strcmp(x->name, y->name) != 0 || x->kind != y->kind || x->role != y->role ||
            x->synthetic != y->synthetic || x->ncats != y->ncats)
            return false;
        if (a->nrows && memcmp(x->v, y->v, a->nrows * sizeof *x->v) != 0)
            return false;
        for (size_t k = 0; k < x->ncats; k++)
            if (strcmp(x->cats[k], y->cats[k]) != 0)
                return false;
    }
    return true;
}

/* Load the shown dataset's features into the features view (the stored
 * list when a session is open, else the raw columns); the enabled derived
 * ones become extra columns of the data view.  same_data: the events did
 * not change, so the statistics of unchanged features stay.  A stored
 * expression that no longer compiles is left out, with a message; the
 * other features stay. */
int
hs_tui_load_features(struct hs_tui *tui, bool same_data, struct hs_err *err)
{
    struct hs_featureset fs;
    struct hs_err e;
    const char **names = NULL;
    const double **values = NULL;
    size_t n = 0;
    int rc;

    /* The data view borrows the old set's values: let go of them first. */
    hs_data_view_set_extra(&tui->data, NULL, NULL, 0);
    /* The histograms are of the old features' values and indexes. */
    hs_hist_view_reset(&tui->hist);
    if (!tui->table) {
        hs_features_view_set(&tui->feat, NULL, NULL, false);
        return HS_OK;
    }
    hs_err_clear(&e);
    if (tui->app && tui->app->sess && tui->dsname)
        rc = hs_sess_featureset_load(tui->app->sess, tui->dsname, tui->table, &fs, &e);
    else
        rc = hs_featureset_init(&fs, tui->table, &e);
    if (rc == HS_ESESSION) {
        /* A stored expression no longer compiles: show the others and
         * say which, rather than no features at all. */
        struct hs_feature_rec *recs = NULL;
        size_t nrecs = 0;
        char *skipped = NULL;
        hs_tui_message(tui, true, "%s", e.msg);
        if ((rc = hs_sess_feature_recs(tui->app->sess, tui->dsname, &recs, &nrecs, &e)) == HS_OK &&
            (rc = hs_featureset_init(&fs, tui->table, &e)) == HS_OK &&
            (rc = hs_featureset_apply_recs(&fs, recs, nrecs, false, &skipped, &e)) != HS_OK)
            hs_featureset_release(&fs);
        if (rc == HS_OK && skipped)
            hs_tui_message(tui, true, "features left out (their expressions do not compile): %s",
                           skipped);
        hs_free(skipped);
        hs_feature_recs_free(recs, nrecs);
    }
    if (rc != HS_OK && rc != HS_ENOMEM) {
        hs_tui_message(tui, true, "%s", e.msg);
        rc = hs_featureset_init(&fs, tui->table, &e);
    }
    if (rc != HS_OK) {
        hs_features_view_set(&tui->feat, NULL, NULL, false);
        return hs_err_set(err, rc, "%s", e.msg);
    }
    if ((rc = hs_features_view_set(&tui->feat, tui->table, &fs, same_data)) != HS_OK)
        return hs_err_set(err, rc, "out of memory");
    names = calloc(tui->feat.fs.n + 1, sizeof *names);
    values = calloc(tui->feat.fs.n + 1, sizeof *values);
    for (size_t i = 0; names && values && i < tui->feat.fs.n; i++) {
        const struct hs_feature *f = &tui->feat.fs.f[i];
        if (!f->expr || !f->on)
            continue;
        if (hs_featureset_values(&tui->feat.fs, i, &values[n], NULL, &e) != HS_OK) {
            hs_tui_message(tui, true, "%s", e.msg);
            continue;
        }
        names[n++] = f->name;
    }
    rc = names && values ? hs_data_view_set_extra(&tui->data, names, values, n) : HS_ENOMEM;
    free(names);
    free(values);
    return rc == HS_OK ? HS_OK : hs_err_set(err, rc, "out of memory");
}

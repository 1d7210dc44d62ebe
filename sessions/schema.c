#include "config.h"

#include "schema.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "sessions/sess_int.h"

/* Version 1.  Events are column chunks (see chunks.c); the rest are plain
 * tables a user can read with the sqlite3 shell.  Deletes are explicit in
 * datasets.c; the foreign keys document the structure and cascade when a
 * connection has them on. */
static const char *const schema_v1[] = {
    "CREATE TABLE meta (\n"
    "    key TEXT PRIMARY KEY NOT NULL,\n"
    "    value TEXT\n"
    ")",
    "CREATE TABLE datasets (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    name TEXT NOT NULL UNIQUE,\n"
    "    nrows INTEGER NOT NULL CHECK (nrows >= 0),\n"
    "    ncols INTEGER NOT NULL CHECK (ncols >= 0),\n"
    "    labelled INTEGER NOT NULL CHECK (labelled IN (0, 1)),\n"
    "    nsignal INTEGER NOT NULL DEFAULT 0,\n"
    "    nbackground INTEGER NOT NULL DEFAULT 0,\n"
    "    source TEXT,\n"
    "    source_size INTEGER,\n"
    "    source_mtime INTEGER,\n"
    "    created TEXT NOT NULL\n"
    ")",
    "CREATE TABLE columns (\n"
    "    dataset INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,\n"
    "    idx INTEGER NOT NULL CHECK (idx >= 0),\n"
    "    name TEXT NOT NULL,\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('number', 'text')),\n"
    "    role TEXT NOT NULL\n"
    "        CHECK (role IN ('feature', 'label_source', 'weight', 'group', 'label', 'id')),\n"
    "    synthetic INTEGER NOT NULL CHECK (synthetic IN (0, 1)),\n"
    "    PRIMARY KEY (dataset, idx),\n"
    "    UNIQUE (dataset, name)\n"
    ")",
    "CREATE TABLE categories (\n"
    "    dataset INTEGER NOT NULL,\n"
    "    col INTEGER NOT NULL,\n"
    "    code INTEGER NOT NULL CHECK (code >= 0),\n"
    "    text TEXT NOT NULL,\n"
    "    PRIMARY KEY (dataset, col, code),\n"
    "    FOREIGN KEY (dataset, col) REFERENCES columns (dataset, idx) ON DELETE CASCADE\n"
    ")",
    "CREATE TABLE chunks (\n"
    "    dataset INTEGER NOT NULL,\n"
    "    col INTEGER NOT NULL,\n"
    "    chunk INTEGER NOT NULL CHECK (chunk >= 0),\n"
    "    data BLOB NOT NULL,\n"
    "    PRIMARY KEY (dataset, col, chunk),\n"
    "    FOREIGN KEY (dataset, col) REFERENCES columns (dataset, idx) ON DELETE CASCADE\n"
    ")",
    "CREATE TABLE journal (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    time TEXT NOT NULL,\n"
    "    command TEXT NOT NULL\n"
    ")",
    NULL,
};

/* One migration step: from version `from` to from + 1, by SQL statements
 * and, where SQL is not enough, a function.  A step must leave the schema
 * text exactly as a new file gets it (new files run every step too). */
struct migration {
    int from;
    const char *const *sql;
    int (*fn)(sqlite3 *db, const char *path, struct hs_err *err);
};

/* Version 2: the feature list of each dataset (sessions/features.c):
 * a row per feature the user derived or toggled; raw columns without a
 * row are on. */
static const char *const schema_v2[] = {
    "CREATE TABLE features (\n"
    "    dataset INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,\n"
    "    position INTEGER NOT NULL CHECK (position >= 0),\n"
    "    name TEXT NOT NULL,\n"
    "    expr TEXT,\n"
    "    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),\n"
    "    PRIMARY KEY (dataset, name)\n"
    ")",
    NULL,
};

/* Version 3: what the analysis of a dataset leaves (sessions/results.c):
 * its split, and its cut sets with their cuts.  Everything is keyed by the
 * dataset's id and cascades, so a dropped or replaced dataset takes its
 * split and cut sets with it.  lo and hi have no declared type on purpose:
 * REAL affinity would store -0.0 as the integer 0, and a cut must read
 * back bit for bit; the CHECK keeps them numbers. */
static const char *const schema_v3[] = {
    "CREATE TABLE splits (\n"
    "    dataset INTEGER PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,\n"
    "    train REAL NOT NULL CHECK (train BETWEEN 0 AND 1),\n"
    "    val REAL NOT NULL CHECK (val BETWEEN 0 AND 1),\n"
    "    test REAL NOT NULL CHECK (test BETWEEN 0 AND 1),\n"
    "    seed INTEGER NOT NULL,\n"
    "    nevents INTEGER NOT NULL CHECK (nevents >= 0),\n"
    "    ntrain INTEGER NOT NULL CHECK (ntrain >= 0),\n"
    "    nval INTEGER NOT NULL CHECK (nval >= 0),\n"
    "    ntest INTEGER NOT NULL CHECK (ntest >= 0),\n"
    "    part BLOB NOT NULL CHECK (length(part) = nevents),\n"
    "    created TEXT NOT NULL\n"
    ")",
    "CREATE TABLE cutsets (\n"
    "    dataset INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,\n"
    "    name TEXT NOT NULL,\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('set', 'grid')),\n"
    "    npoints INTEGER NOT NULL CHECK (npoints >= 1),\n"
    "    targets TEXT,\n"
    "    features TEXT,\n"
    "    created TEXT NOT NULL,\n"
    "    PRIMARY KEY (dataset, name)\n"
    ")",
    "CREATE TABLE cuts (\n"
    "    dataset INTEGER NOT NULL,\n"
    "    cutset TEXT NOT NULL,\n"
    "    point INTEGER NOT NULL CHECK (point >= 0),\n"
    "    position INTEGER NOT NULL CHECK (position >= 0),\n"
    "    feature TEXT,\n"
    "    lo CHECK (lo IS NULL OR typeof(lo) IN ('real', 'integer')),\n"
    "    hi CHECK (hi IS NULL OR typeof(hi) IN ('real', 'integer')),\n"
    "    expr TEXT,\n"
    "    PRIMARY KEY (dataset, cutset, point, position),\n"
    "    FOREIGN KEY (dataset, cutset) REFERENCES cutsets (dataset, name) ON DELETE CASCADE,\n"
    "    CHECK ((feature IS NOT NULL AND expr IS NULL) OR\n"
    "           (feature IS NULL AND lo IS NULL AND hi IS NULL AND expr IS NOT NULL)),\n"
    "    CHECK (lo IS NULL OR hi IS NULL OR lo < hi)\n"
    ")",
    NULL,
};

/* The model tables' children, the same in versions 4 and 5 (5 rebuilds
 * them around the new models table). */
static const char model_features_sql[] =
    "CREATE TABLE model_features (\n"
    "    model TEXT NOT NULL REFERENCES models (name) ON DELETE CASCADE ON UPDATE CASCADE,\n"
    "    position INTEGER NOT NULL CHECK (position >= 0),\n"
    "    name TEXT NOT NULL CHECK (name <> ''),\n"
    "    expr TEXT CHECK (expr IS NULL OR expr <> ''),\n"
    "    PRIMARY KEY (model, position),\n"
    "    UNIQUE (model, name)\n"
    ")";
static const char model_epochs_sql[] =
    "CREATE TABLE model_epochs (\n"
    "    model TEXT NOT NULL REFERENCES models (name) ON DELETE CASCADE ON UPDATE CASCADE,\n"
    "    epoch INTEGER NOT NULL CHECK (epoch >= 1),\n"
    "    loss CHECK (loss IS NULL OR typeof(loss) IN ('real', 'integer')),\n"
    "    val_loss CHECK (val_loss IS NULL OR typeof(val_loss) IN ('real', 'integer')),\n"
    "    val_auc CHECK (val_auc IS NULL OR typeof(val_auc) IN ('real', 'integer')),\n"
    "    seconds CHECK (seconds IS NULL OR typeof(seconds) IN ('real', 'integer')),\n"
    "    lr CHECK (lr IS NULL OR typeof(lr) IN ('real', 'integer')),\n"
    "    PRIMARY KEY (model, epoch)\n"
    ")";

/* Version 4: trained models (sessions/models.c), session-wide and keyed
 * by name.  The dataset a model was trained on is its name then, not a
 * reference: dropping the dataset keeps the model.  nfeatures and nepochs
 * count the rows of model_features and model_epochs, so a lost row shows.
 * The curve's numbers have no declared type for the reason lo and hi of
 * cuts have none (REAL affinity would store -0.0 as the integer 0); NaN,
 * which SQLite cannot store, is NULL. */
static const char *const schema_v4[] = {
    "CREATE TABLE models (\n"
    "    name TEXT PRIMARY KEY NOT NULL,\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('mlp')),\n"
    "    dataset TEXT NOT NULL,\n"
    "    created TEXT NOT NULL,\n"
    "    options TEXT NOT NULL,\n"
    "    split_train REAL NOT NULL CHECK (split_train BETWEEN 0 AND 1),\n"
    "    split_val REAL NOT NULL CHECK (split_val BETWEEN 0 AND 1),\n"
    "    split_test REAL NOT NULL CHECK (split_test BETWEEN 0 AND 1),\n"
    "    split_seed INTEGER NOT NULL,\n"
    "    train_group TEXT,\n"
    "    nfeatures INTEGER NOT NULL CHECK (nfeatures >= 1),\n"
    "    nepochs INTEGER NOT NULL CHECK (nepochs >= 0),\n"
    "    best_epoch INTEGER NOT NULL CHECK (best_epoch BETWEEN 0 AND nepochs),\n"
    "    nimputed INTEGER NOT NULL CHECK (nimputed >= 0),\n"
    "    test_auc REAL CHECK (test_auc IS NULL OR test_auc BETWEEN 0 AND 1),\n"
    "    test_bkg95 REAL CHECK (test_bkg95 IS NULL OR test_bkg95 BETWEEN 0 AND 1),\n"
    "    network BLOB NOT NULL CHECK (typeof(network) = 'blob')\n"
    ")",
    model_features_sql,
    model_epochs_sql,
    NULL,
};

/* Version 5: models of every kind.  The kind is any method's name (the
 * engine's list decides which it can read); an MLP keeps its bytes in
 * `network` as before, every other kind has an empty `network` and its
 * own bytes beside it, in model_params.  SQLite cannot drop a CHECK, so
 * the model tables are rebuilt with their rows: the children first out
 * of the way (dropping a parent with rows would cascade), the parent,
 * then all three again. */
static const char *const schema_v5[] = {
    "CREATE TEMP TABLE hs_v4_models AS SELECT * FROM main.models",
    "CREATE TEMP TABLE hs_v4_model_features AS SELECT * FROM main.model_features",
    "CREATE TEMP TABLE hs_v4_model_epochs AS SELECT * FROM main.model_epochs",
    "DROP TABLE main.model_epochs",
    "DROP TABLE main.model_features",
    "DROP TABLE main.models",
    "CREATE TABLE models (\n"
    "    name TEXT PRIMARY KEY NOT NULL,\n"
    "    kind TEXT NOT NULL CHECK (kind <> '' AND kind NOT GLOB '*[^a-z0-9_]*'),\n"
    "    dataset TEXT NOT NULL,\n"
    "    created TEXT NOT NULL,\n"
    "    options TEXT NOT NULL,\n"
    "    split_train REAL NOT NULL CHECK (split_train BETWEEN 0 AND 1),\n"
    "    split_val REAL NOT NULL CHECK (split_val BETWEEN 0 AND 1),\n"
    "    split_test REAL NOT NULL CHECK (split_test BETWEEN 0 AND 1),\n"
    "    split_seed INTEGER NOT NULL,\n"
    "    train_group TEXT,\n"
    "    nfeatures INTEGER NOT NULL CHECK (nfeatures >= 1),\n"
    "    nepochs INTEGER NOT NULL CHECK (nepochs >= 0),\n"
    "    best_epoch INTEGER NOT NULL CHECK (best_epoch BETWEEN 0 AND nepochs),\n"
    "    nimputed INTEGER NOT NULL CHECK (nimputed >= 0),\n"
    "    test_auc REAL CHECK (test_auc IS NULL OR test_auc BETWEEN 0 AND 1),\n"
    "    test_bkg95 REAL CHECK (test_bkg95 IS NULL OR test_bkg95 BETWEEN 0 AND 1),\n"
    "    network BLOB NOT NULL CHECK (typeof(network) = 'blob'),\n"
    "    CHECK ((kind = 'mlp') = (length(network) > 0))\n"
    ")",
    model_features_sql,
    model_epochs_sql,
    "CREATE TABLE model_params (\n"
    "    model TEXT PRIMARY KEY NOT NULL\n"
    "        REFERENCES models (name) ON DELETE CASCADE ON UPDATE CASCADE,\n"
    "    params BLOB NOT NULL CHECK (typeof(params) = 'blob' AND length(params) > 0)\n"
    ")",
    "INSERT INTO main.models (name, kind, dataset, created, options, split_train, split_val, "
    "split_test, split_seed, train_group, nfeatures, nepochs, best_epoch, nimputed, test_auc, "
    "test_bkg95, network) SELECT name, kind, dataset, created, options, split_train, split_val, "
    "split_test, split_seed, train_group, nfeatures, nepochs, best_epoch, nimputed, test_auc, "
    "test_bkg95, network FROM temp.hs_v4_models",
    "INSERT INTO main.model_features (model, position, name, expr) "
    "SELECT model, position, name, expr FROM temp.hs_v4_model_features",
    "INSERT INTO main.model_epochs (model, epoch, loss, val_loss, val_auc, seconds, lr) "
    "SELECT model, epoch, loss, val_loss, val_auc, seconds, lr FROM temp.hs_v4_model_epochs",
    "DROP TABLE temp.hs_v4_models",
    "DROP TABLE temp.hs_v4_model_features",
    "DROP TABLE temp.hs_v4_model_epochs",
    NULL,
};

/* Version 6: what a figure says of a feature, and the TUI's command line
 * history.  A unit ("GeV") and an axis label ("m_{#mu#mu}") belong to a
 * feature of a dataset by name, raw or derived, and go with the dataset;
 * the history is the session's, one row per line entered at ':', oldest
 * first, and is trimmed by its writer. */
static const char *const schema_v6[] = {
    "CREATE TABLE feature_units (\n"
    "    dataset INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,\n"
    "    name TEXT NOT NULL,\n"
    "    unit TEXT CHECK (unit IS NULL OR unit <> ''),\n"
    "    axis_label TEXT CHECK (axis_label IS NULL OR axis_label <> ''),\n"
    "    PRIMARY KEY (dataset, name)\n"
    ")",
    "CREATE TABLE history (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    line TEXT NOT NULL CHECK (line <> '')\n"
    ")",
    NULL,
};

/* Version 7: what projections and clusterings learn per event
 * (sessions/outputs.c).  An output belongs to a dataset by id and goes
 * with it; its columns (NAME_1, NAME_2 of a projection; NAME and NAME_p1
 * ... of a clustering) are BLOBs of one little-endian double per event,
 * NaN where the method placed none, so that the values a user saw are
 * the values that come back, bit for bit, whatever the code does later.
 * A column's name is unique in its dataset across outputs. */
static const char *const schema_v7[] = {
    "CREATE TABLE outputs (\n"
    "    dataset INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,\n"
    "    name TEXT NOT NULL CHECK (name <> ''),\n"
    "    kind TEXT NOT NULL CHECK (kind IN ('projection', 'clustering')),\n"
    "    method TEXT NOT NULL CHECK (method <> ''),\n"
    "    options TEXT NOT NULL,\n"
    "    features TEXT NOT NULL CHECK (features <> ''),\n"
    "    selection TEXT,\n"
    "    nevents INTEGER NOT NULL CHECK (nevents >= 0),\n"
    "    nfitted INTEGER NOT NULL CHECK (nfitted BETWEEN 0 AND nevents),\n"
    "    ncolumns INTEGER NOT NULL CHECK (ncolumns >= 1),\n"
    "    created TEXT NOT NULL,\n"
    "    PRIMARY KEY (dataset, name)\n"
    ")",
    "CREATE TABLE output_columns (\n"
    "    dataset INTEGER NOT NULL,\n"
    "    output TEXT NOT NULL,\n"
    "    position INTEGER NOT NULL CHECK (position >= 0),\n"
    "    name TEXT NOT NULL CHECK (name <> ''),\n"
    "    data BLOB NOT NULL CHECK (typeof(data) = 'blob' AND length(data) % 8 = 0),\n"
    "    PRIMARY KEY (dataset, output, position),\n"
    "    UNIQUE (dataset, name),\n"
    "    FOREIGN KEY (dataset, output) REFERENCES outputs (dataset, name) ON DELETE CASCADE\n"
    ")",
    NULL,
};

/* Version 8: an output's key figures as its command printed them (the
 * loss and trustworthiness of a projection, the log-likelihood, BIC or
 * inertia of a clustering), for listing; NULL when it had none. */
static const char *const schema_v8[] = {
    "ALTER TABLE outputs ADD COLUMN figures TEXT CHECK (figures IS NULL OR figures <> '')",
    NULL,
};

/* Version 9: hyperparameter searches (sessions/trials.c): a row per
 * search and one per trial it ran.  Keyed by the search's name, which is
 * also its best model's, but with no reference to `models`: dropping the
 * model keeps the record of the search.  The figures have no declared
 * type for the reason lo and hi of cuts have none; NaN is NULL. */
static const char *const schema_v9[] = {
    "CREATE TABLE searches (\n"
    "    name TEXT PRIMARY KEY NOT NULL CHECK (name <> ''),\n"
    "    dataset TEXT NOT NULL,\n"
    "    method TEXT NOT NULL CHECK (method <> ''),\n"
    "    strategy TEXT NOT NULL CHECK (strategy IN ('random', 'tpe', 'halving')),\n"
    "    space TEXT NOT NULL CHECK (space <> ''),\n"
    "    options TEXT NOT NULL,\n"
    "    seed INTEGER NOT NULL,\n"
    "    planned INTEGER NOT NULL CHECK (planned >= 1),\n"
    "    stopped TEXT CHECK (stopped IS NULL OR stopped IN ('cancelled', 'time budget')),\n"
    "    ntrials INTEGER NOT NULL CHECK (ntrials >= 0),\n"
    "    created TEXT NOT NULL\n"
    ")",
    "CREATE TABLE trials (\n"
    "    search TEXT NOT NULL REFERENCES searches (name) ON DELETE CASCADE,\n"
    "    trial INTEGER NOT NULL CHECK (trial >= 1),\n"
    "    params TEXT NOT NULL,\n"
    "    val_auc CHECK (val_auc IS NULL OR (typeof(val_auc) IN ('real', 'integer') AND\n"
    "                                       val_auc BETWEEN 0 AND 1)),\n"
    "    test_auc CHECK (test_auc IS NULL OR (typeof(test_auc) IN ('real', 'integer') AND\n"
    "                                         test_auc BETWEEN 0 AND 1)),\n"
    "    seconds CHECK (seconds IS NULL OR (typeof(seconds) IN ('real', 'integer') AND\n"
    "                                       seconds >= 0)),\n"
    "    budget INTEGER NOT NULL CHECK (budget >= 0),\n"
    "    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),\n"
    "    PRIMARY KEY (search, trial)\n"
    ")",
    NULL,
};

static const struct migration migrations[] = {
    {1, schema_v2, NULL},
    {2, schema_v3, NULL},
    {3, schema_v4, NULL},
    {4, schema_v5, NULL},
    {5, schema_v6, NULL},
    {6, schema_v7, NULL},
    {7, schema_v8, NULL},
    {8, schema_v9, NULL},
};

/* Tables SQLite itself may add when someone runs ANALYZE on the file with
 * the sqlite3 shell: harmless (they only guide the query planner). */
static const char *const allowed_extra[][2] = {
    {"sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)"},
    {"sqlite_stat4", "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)"},
};

static int
run_all(sqlite3 *db, const char *path, const char *const *sql, struct hs_err *err)
{
    for (; *sql; sql++) {
        int rc = sqlite3_exec(db, *sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return hs_sess_dberr(db, path, rc, "setting up the session", err);
    }
    return HS_OK;
}

static int
set_version(sqlite3 *db, const char *path, int version, struct hs_err *err)
{
    char sql[160];
    int rc;

    snprintf(sql, sizeof sql,
             "PRAGMA user_version = %d; "
             "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', '%d')",
             version, version);
    rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? HS_OK : hs_sess_dberr(db, path, rc, "setting up the session", err);
}

/* Run the steps from version `from` up to `to` (no transaction here). */
static int
migrate_to(sqlite3 *db, const char *path, int from, int to, struct hs_err *err)
{
    for (int v = from; v < to; v++) {
        const struct migration *m = NULL;
        int rc;

        for (size_t i = 0; i < sizeof migrations / sizeof *migrations; i++)
            if (migrations[i].from == v && v > 0)
                m = &migrations[i];
        if (!m)
            return hs_err_set(err, HS_ESESSION, "%s: no migration from schema version %d", path, v);
        if (m->sql && (rc = run_all(db, path, m->sql, err)))
            return rc;
        if (m->fn && (rc = m->fn(db, path, err)))
            return rc;
    }
    return HS_OK;
}

int
hs_schema_create(sqlite3 *db, const char *path, struct hs_err *err)
{
    char sql[300];
    int rc;

    if ((rc = run_all(db, path, schema_v1, err)))
        return rc;
    if ((rc = migrate_to(db, path, 1, HS_SESS_SCHEMA_VERSION, err)))
        return rc;
    snprintf(sql, sizeof sql,
             "INSERT INTO meta (key, value) VALUES ('created_by', 'hepscope %s'), "
             "('created', strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'))",
             PACKAGE_VERSION);
    rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return hs_sess_dberr(db, path, rc, "setting up the session", err);
    return set_version(db, path, HS_SESS_SCHEMA_VERSION, err);
}

int
hs_schema_migrate(sqlite3 *db, const char *path, int from, struct hs_err *err)
{
    int rc;

    if (from >= HS_SESS_SCHEMA_VERSION)
        return HS_OK;
    if ((rc = migrate_to(db, path, from, HS_SESS_SCHEMA_VERSION, err)))
        return rc;
    return set_version(db, path, HS_SESS_SCHEMA_VERSION, err);
}

/* One row of sqlite_schema. */
struct object {
    char *type, *name, *tbl, *sql;
    bool seen;
};

static void
objects_free(struct object *o, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        hs_free(o[i].type);
        hs_free(o[i].name);
        hs_free(o[i].tbl);
        hs_free(o[i].sql);
    }
    hs_free(o);
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return hs_strdup(s ? s : "");
}

/* The objects of a new file of the given version, built in memory. */
static int
reference_objects(int version, struct object **out, size_t *n, struct hs_err *err)
{
    sqlite3 *mem = NULL;
    sqlite3_stmt *st = NULL;
    struct object *o = NULL;
    size_t cap = 0, k = 0;
    int rc, ret = HS_OK;

    *out = NULL;
    *n = 0;
    if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        sqlite3_close(mem);
        return hs_err_set(err, HS_ENOMEM, "out of memory checking a session");
    }
    if ((ret = run_all(mem, ":memory:", schema_v1, err)) ||
        (ret = migrate_to(mem, ":memory:", 1, version, err)))
        goto done;
    rc = sqlite3_prepare_v2(mem, "SELECT type, name, tbl_name, sql FROM sqlite_schema", -1, &st,
                            NULL);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        if ((rc = sqlite3_step(st)) != SQLITE_ROW)
            break;
        if (hs_grow((void **)&o, &cap, k + 1, sizeof *o)) {
            ret = hs_err_set(err, HS_ENOMEM, "out of memory checking a session");
            goto done;
        }
        memset(&o[k], 0, sizeof o[k]);
        o[k].type = col_dup(st, 0);
        o[k].name = col_dup(st, 1);
        o[k].tbl = col_dup(st, 2);
        o[k].sql = sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL : col_dup(st, 3);
        k++;
        if (!o[k - 1].type || !o[k - 1].name || !o[k - 1].tbl ||
            (sqlite3_column_type(st, 3) != SQLITE_NULL && !o[k - 1].sql)) {
            ret = hs_err_set(err, HS_ENOMEM, "out of memory checking a session");
            goto done;
        }
    }
    if (rc != SQLITE_DONE)
        ret = hs_sess_dberr(mem, ":memory:", rc, "checking a session", err);
done:
    sqlite3_finalize(st);
    sqlite3_close(mem);
    if (ret) {
        objects_free(o, k);
        return ret;
    }
    *out = o;
    *n = k;
    return HS_OK;
}

static bool
same(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool
allowed_extra_object(const char *type, const char *name, const char *sql)
{
    if (strcmp(type, "table") != 0 || !sql)
        return false;
    for (size_t i = 0; i < sizeof allowed_extra / sizeof *allowed_extra; i++)
        if (strcmp(name, allowed_extra[i][0]) == 0 && strcmp(sql, allowed_extra[i][1]) == 0)
            return true;
    return false;
}

static int
pragma_int(sqlite3 *db, const char *path, const char *sql, long long *out, struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        }
    }
    if (rc != SQLITE_OK) {
        int ret = hs_sess_dberr(db, path, rc, NULL, err);
        sqlite3_finalize(st);
        return ret;
    }
    sqlite3_finalize(st);
    return HS_OK;
}

/* Compare the file's objects with the reference: any object we did not
 * create is refused by name, a changed one likewise, a missing one means
 * damage. */
static int
compare_objects(sqlite3 *db, const char *path, struct object *ref, size_t nref, bool *empty,
                struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc, ret = HS_OK;

    *empty = true;
    rc = sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema", -1, &st,
                            NULL);
    if (rc != SQLITE_OK)
        return hs_sess_dberr(db, path, rc, NULL, err);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *tbl = (const char *)sqlite3_column_text(st, 2);
        const char *sql = (const char *)sqlite3_column_text(st, 3);
        size_t i;

        type = type ? type : "?";
        name = name ? name : "?";
        *empty = false;
        if (allowed_extra_object(type, name, sql))
            continue;
        for (i = 0; i < nref && strcmp(ref[i].name, name) != 0; i++)
            ;
        if (i == nref) {
            ret = hs_err_set(err, HS_ESESSION,
                             "%s: refusing a session that holds objects hepscope did not create "
                             "(%s '%s')",
                             path, type, name);
            break;
        }
        if (!same(ref[i].type, type) || !same(ref[i].tbl, tbl) || !same(ref[i].sql, sql)) {
            ret = hs_err_set(err, HS_ESESSION,
                             "%s: refusing a session whose %s '%s' is not as hepscope made it",
                             path, type, name);
            break;
        }
        ref[i].seen = true;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = hs_sess_dberr(db, path, rc, NULL, err);
    sqlite3_finalize(st);
    if (ret || *empty)
        return ret;
    for (size_t i = 0; i < nref; i++)
        if (!ref[i].seen)
            return hs_sess_damaged(path, err, "%s '%s' is missing", ref[i].type, ref[i].name);
    return HS_OK;
}

int
hs_schema_check(sqlite3 *db, const char *path, int *version, struct hs_err *err)
{
    struct object *ref = NULL;
    size_t nref = 0;
    long long appid, v;
    bool empty;
    int ret;

    *version = -1;
    if ((ret = pragma_int(db, path, "PRAGMA application_id", &appid, err)))
        return ret;
    if (appid != HS_SESS_APP_ID)
        return hs_err_set(err, HS_ESESSION,
                          "%s: not a hepscope session (an SQLite database of another program)",
                          path);
    if ((ret = pragma_int(db, path, "PRAGMA user_version", &v, err)))
        return ret;
    if (v > HS_SESS_SCHEMA_VERSION)
        return hs_err_set(err, HS_ESESSION,
                          "%s: written by a newer hepscope (schema version %lld; this one reads "
                          "up to %d)",
                          path, v, HS_SESS_SCHEMA_VERSION);
    if (v < 0)
        return hs_err_set(err, HS_ESESSION, "%s: not a hepscope session (schema version %lld)",
                          path, v);
    if ((ret = reference_objects(v == 0 ? 1 : (int)v, &ref, &nref, err)))
        return ret;
    ret = compare_objects(db, path, ref, nref, &empty, err);
    objects_free(ref, nref);
    if (ret)
        return ret;
    if (v == 0 && !empty)
        return hs_err_set(err, HS_ESESSION, "%s: not a hepscope session (schema version 0)", path);
    if (v > 0 && empty)
        return hs_sess_damaged(path, err, "it holds no tables");
    *version = (int)v;
    return HS_OK;
}

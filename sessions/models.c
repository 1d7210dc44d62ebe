#include "config.h"

#include "sessions/models.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "model.h"
#include "names.h"
#include "sessions/sess_int.h"

/* The tables models, model_features and model_epochs of schema version 4
 * (schema.c, man/hepscope-session.5).  Names are always bound as values.
 * Every change runs in hs_sess_change_begin/end, so it nests in the
 * caller's transaction (with its journal line) and a failure leaves
 * nothing.  A model's bytes are opaque here (bytes in, the same bytes
 * out) until hs_sess_model_open hands them to the engine's kind
 * (src/model.h); an MLP's are in `network`, every other kind's in
 * model_params (its `network` is empty). */

static const char model_cols[] =
    "name, kind, dataset, created, options, split_train, split_val, split_test, split_seed, "
    "train_group, nfeatures, nepochs, best_epoch, nimputed, test_auc, test_bkg95, network, "
    "(SELECT params FROM model_params WHERE model = name)";

/* ---- shared helpers ------------------------------------------------------ */

static int
oom(struct hs_err *err)
{
    return hs_err_set(err, HS_ENOMEM, "out of memory");
}

/* "no model 'x'" with a did-you-mean, or the list, or "there are none". */
static int
model_not_found(struct hs_sess *s, const char *name, struct hs_err *err)
{
    return hs_sess_not_found(s, "SELECT name FROM models ORDER BY name", -1, "model", "models",
                             name, "", "the session has none", err);
}

/* ---- records ------------------------------------------------------------- */

void
hs_model_rec_release(struct hs_model_rec *rec)
{
    if (!rec)
        return;
    hs_free(rec->name);
    hs_free(rec->kind);
    hs_free(rec->dataset);
    hs_free(rec->created);
    hs_free(rec->options);
    hs_free(rec->train_group);
    if (rec->features)
        for (size_t i = 0; i < rec->nfeatures; i++) {
            hs_free(rec->features[i].name);
            hs_free(rec->features[i].expr);
        }
    hs_free(rec->features);
    hs_free(rec->blob);
    hs_free(rec->curve);
    memset(rec, 0, sizeof *rec);
}

void
hs_model_recs_free(struct hs_model_rec *recs, size_t n)
{
    if (!recs)
        return;
    for (size_t i = 0; i < n; i++)
        hs_model_rec_release(&recs[i]);
    hs_free(recs);
}

static bool
unit_or_nan(double x)
{
    return isnan(x) || (x >= 0 && x <= 1);
}

/* A record the store can hold (what the tables' CHECKs also say, with
 * messages): a name, a kind the engine knows, a dataset, fractions in [0, 1], at least
 * one feature, distinct feature names, a network, a curve numbered 1, 2,
 * ..., a best epoch within it. */
static int
check_rec(const struct hs_model_rec *rec, struct hs_err *err)
{
    const char *name;

    if (!rec || !rec->name || !rec->name[0])
        return hs_err_set(err, HS_EUSAGE, "a model needs a name");
    name = rec->name;
    if (!hs_name_is_identifier(name))
        return hs_err_set(err, HS_EUSAGE,
                          "model name '%s' is not a name (letters, digits and '_', not starting "
                          "with a digit)",
                          name);
    if (rec->kind && !hs_model_kind_find(rec->kind))
        return hs_err_set(err, HS_EUSAGE, "model '%s': unknown kind '%s'", name, rec->kind);

    if (!rec->dataset || !rec->dataset[0])
        return hs_err_set(err, HS_EUSAGE, "model '%s' names no dataset", name);
    for (int k = 0; k < 3; k++)
        if (!(rec->split_frac[k] >= 0 && rec->split_frac[k] <= 1))
            return hs_err_set(err, HS_EUSAGE, "model '%s': split fraction %g is not in [0, 1]",
                              name, rec->split_frac[k]);
    if (rec->nfeatures < 1 || !rec->features)
        return hs_err_set(err, HS_EUSAGE, "model '%s' has no features", name);
    if (rec->nfeatures > INT64_MAX || rec->nepochs > INT64_MAX || rec->nimputed > INT64_MAX)
        return hs_err_set(err, HS_EUSAGE, "model '%s' is too large to store", name);
    for (size_t i = 0; i < rec->nfeatures; i++) {
        const struct hs_model_feature *f = &rec->features[i];
        if (!f->name || !f->name[0])
            return hs_err_set(err, HS_EUSAGE, "model '%s': feature %zu has no name", name, i + 1);
        if (f->expr && !f->expr[0])
            return hs_err_set(err, HS_EUSAGE, "model '%s': feature '%s' has an empty expression",
                              name, f->name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(rec->features[j].name, f->name) == 0)
                return hs_err_set(err, HS_EUSAGE, "model '%s': feature '%s' appears twice", name,
                                  f->name);
    }
    if (!rec->blob || rec->bloblen == 0 || rec->bloblen > INT64_MAX)
        return hs_err_set(err, HS_EUSAGE, "model '%s' has no network", name);
    if (rec->nepochs && !rec->curve)
        return hs_err_set(err, HS_EUSAGE, "model '%s' has no training curve", name);
    for (size_t i = 0; i < rec->nepochs; i++)
        if (rec->curve[i].epoch != i + 1)
            return hs_err_set(err, HS_EUSAGE, "model '%s': curve entry %zu is epoch %zu", name,
                              i + 1, rec->curve[i].epoch);
    if (rec->best_epoch > rec->nepochs)
        return hs_err_set(err, HS_EUSAGE, "model '%s': best epoch %zu of %zu", name,
                          rec->best_epoch, rec->nepochs);
    if (!unit_or_nan(rec->test_auc) || !unit_or_nan(rec->test_bkg95))
        return hs_err_set(err, HS_EUSAGE, "model '%s': test figures are not in [0, 1]", name);
    return HS_OK;
}

/* ---- changes ------------------------------------------------------------- */

/* Delete model name, its rows first (the cascade would, but only on a
 * connection with foreign keys on).  *gone: whether there was one. */
static int
model_delete(struct hs_sess *s, const char *name, bool *gone, struct hs_err *err)
{
    static const char *const sql[] = {
        "DELETE FROM model_epochs WHERE model = ?1",
        "DELETE FROM model_features WHERE model = ?1",
        "DELETE FROM model_params WHERE model = ?1",
        "DELETE FROM models WHERE name = ?1",
    };

    *gone = false;
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st;
        int rc = hs_sess_prepare(s, sql[i], &st, err);

        if (rc)
            return rc;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        rc = hs_sess_step_done(s, st, "removing a model", err);
        sqlite3_finalize(st);
        if (rc)
            return rc;
        if (i == sizeof sql / sizeof *sql - 1)
            *gone = sqlite3_changes(s->db) > 0;
    }
    return HS_OK;
}

/* Run a prepared insert whose last bind returned bind_rc, and finalize it. */
static int
store_step(struct hs_sess *s, sqlite3_stmt *st, int bind_rc, struct hs_err *err)
{
    int rc = bind_rc != SQLITE_OK ? hs_sess_dberr(s->db, s->path, bind_rc, "storing a model", err)
                                  : hs_sess_step_done(s, st, "storing a model", err);

    sqlite3_finalize(st);
    return rc;
}

static int
insert_model(struct hs_sess *s, const struct hs_model_rec *rec, struct hs_err *err)
{
    const char *kind = rec->kind ? rec->kind : "mlp";
    sqlite3_stmt *st;
    int64_t seed;
    int rc = hs_sess_prepare(s,
                             "INSERT INTO models (name, kind, dataset, created, options, "
                             "split_train, split_val, split_test, split_seed, train_group, "
                             "nfeatures, nepochs, best_epoch, nimputed, test_auc, test_bkg95, "
                             "network) VALUES (?1, ?16, ?2, "
                             "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                             "?10, ?11, ?12, ?13, ?14, ?15)",
                             &st, err);

    if (rc)
        return rc;
    /* The seed's 64 bits as SQLite's signed integer, read back the same. */
    memcpy(&seed, &rec->split_seed, sizeof seed);
    sqlite3_bind_text(st, 1, rec->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, rec->dataset, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, rec->options ? rec->options : "", -1, SQLITE_STATIC);
    for (int k = 0; k < 3; k++)
        sqlite3_bind_double(st, 4 + k, rec->split_frac[k]);
    sqlite3_bind_int64(st, 7, seed);
    if (rec->train_group)
        sqlite3_bind_text(st, 8, rec->train_group, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)rec->nfeatures);
    sqlite3_bind_int64(st, 10, (sqlite3_int64)rec->nepochs);
    sqlite3_bind_int64(st, 11, (sqlite3_int64)rec->best_epoch);
    sqlite3_bind_int64(st, 12, (sqlite3_int64)rec->nimputed);
    hs_sess_bind_real(st, 13, rec->test_auc);
    hs_sess_bind_real(st, 14, rec->test_bkg95);
    sqlite3_bind_text(st, 16, kind, -1, SQLITE_STATIC);
    /* An MLP's bytes stay where version 4 kept them; other kinds' go to
     * model_params (insert_params). */
    if (strcmp(kind, "mlp") == 0)
        rc = sqlite3_bind_blob64(st, 15, rec->blob, (sqlite3_uint64)rec->bloblen, SQLITE_STATIC);
    else
        rc = sqlite3_bind_zeroblob(st, 15, 0);
    return store_step(s, st, rc, err);
}

/* The bytes of a kind other than the MLP, beside its row. */
static int
insert_params(struct hs_sess *s, const struct hs_model_rec *rec, struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc;

    if (!rec->kind || strcmp(rec->kind, "mlp") == 0)
        return HS_OK;
    if ((rc = hs_sess_prepare(s, "INSERT INTO model_params (model, params) VALUES (?1, ?2)", &st,
                              err)))
        return rc;
    sqlite3_bind_text(st, 1, rec->name, -1, SQLITE_STATIC);
    rc = sqlite3_bind_blob64(st, 2, rec->blob, (sqlite3_uint64)rec->bloblen, SQLITE_STATIC);
    return store_step(s, st, rc, err);
}

static int
insert_features(struct hs_sess *s, const struct hs_model_rec *rec, struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc = hs_sess_prepare(s,
                             "INSERT INTO model_features (model, position, name, expr) "
                             "VALUES (?1, ?2, ?3, ?4)",
                             &st, err);

    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, rec->name, -1, SQLITE_STATIC);
    for (size_t i = 0; i < rec->nfeatures && !rc; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_text(st, 3, rec->features[i].name, -1, SQLITE_STATIC);
        if (rec->features[i].expr)
            sqlite3_bind_text(st, 4, rec->features[i].expr, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 4);
        rc = hs_sess_step_done(s, st, "storing a model", err);
    }
    sqlite3_finalize(st);
    return rc;
}

static int
insert_epochs(struct hs_sess *s, const struct hs_model_rec *rec, struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc = hs_sess_prepare(s,
                             "INSERT INTO model_epochs (model, epoch, loss, val_loss, val_auc, "
                             "seconds, lr) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                             &st, err);

    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, rec->name, -1, SQLITE_STATIC);
    for (size_t i = 0; i < rec->nepochs && !rc; i++) {
        const struct hs_epoch_info *e = &rec->curve[i];

        sqlite3_reset(st);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)e->epoch);
        hs_sess_bind_real(st, 3, e->loss);
        hs_sess_bind_real(st, 4, e->val_loss);
        hs_sess_bind_real(st, 5, e->val_auc);
        hs_sess_bind_real(st, 6, e->seconds);
        hs_sess_bind_real(st, 7, e->lr);
        rc = hs_sess_step_done(s, st, "storing a model", err);
    }
    sqlite3_finalize(st);
    return rc;
}

int
hs_sess_model_save(struct hs_sess *s, const struct hs_model_rec *rec, bool replace,
                   struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    bool own, gone;
    int rc;

    if ((rc = check_rec(rec, err)))
        return rc;
    if ((rc = hs_sess_change_begin(s, &own, err)))
        return rc;
    if (!replace) {
        if ((rc = hs_sess_prepare(s, "SELECT 1 FROM models WHERE name = ?1", &st, err)))
            goto fail;
        sqlite3_bind_text(st, 1, rec->name, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            rc = hs_err_set(err, HS_EEXIST, "there is a model '%s' already", rec->name);
            goto fail;
        }
        if (rc != SQLITE_DONE) {
            rc = hs_sess_dberr(s->db, s->path, rc, "storing a model", err);
            goto fail;
        }
        sqlite3_finalize(st);
        st = NULL;
    } else if ((rc = model_delete(s, rec->name, &gone, err))) {
        goto fail;
    }
    if ((rc = insert_model(s, rec, err)) || (rc = insert_params(s, rec, err)) ||
        (rc = insert_features(s, rec, err)) || (rc = insert_epochs(s, rec, err)))
        goto fail;
    return hs_sess_change_end(s, own, err);
fail:
    sqlite3_finalize(st);
    hs_sess_change_abort(s, own);
    return rc;
}

int
hs_sess_model_drop(struct hs_sess *s, const char *name, struct hs_err *err)
{
    bool own, gone;
    int rc;

    if (!name)
        return hs_err_set(err, HS_EUSAGE, "no model named");
    if ((rc = hs_sess_change_begin(s, &own, err)))
        return rc;
    if ((rc = model_delete(s, name, &gone, err)))
        goto fail;
    if (!gone) {
        rc = model_not_found(s, name, err);
        goto fail;
    }
    return hs_sess_change_end(s, own, err);
fail:
    hs_sess_change_abort(s, own);
    return rc;
}

/* ---- reading ------------------------------------------------------------- */

int
hs_sess_text_dup(sqlite3_stmt *st, int i, bool nullable, char **out)
{
    const char *t = (const char *)sqlite3_column_text(st, i);

    *out = NULL;
    if (!t && nullable)
        return HS_OK;
    return (*out = hs_strdup(t ? t : "")) ? HS_OK : HS_ENOMEM;
}

/* The features of rec (its models row read): positions 0 .. nfeatures-1,
 * each once. */
static int
features_read(struct hs_sess *s, struct hs_model_rec *rec, struct hs_err *err)
{
    sqlite3_stmt *st;
    size_t k = 0;
    int rc, src;

    if (!(rec->features = hs_calloc(rec->nfeatures, sizeof *rec->features)))
        return oom(err);
    rc = hs_sess_prepare(s,
                         "SELECT position, name, expr FROM model_features WHERE model = ?1 "
                         "ORDER BY position",
                         &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, rec->name, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t pos = sqlite3_column_int64(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        struct hs_model_feature *f;

        if (pos < 0 || (uint64_t)pos != k || k >= rec->nfeatures || !name || !name[0]) {
            rc = hs_sess_damaged(s->path, err, "the features of model '%s' are not whole",
                                 rec->name);
            break;
        }
        f = &rec->features[k];
        if (!(f->name = hs_strdup(name)) || hs_sess_text_dup(st, 2, true, &f->expr)) {
            rc = oom(err);
            break;
        }
        k++;
    }
    if (!rc && src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, "reading a model", err);
    if (!rc && k != rec->nfeatures)
        rc = hs_sess_damaged(s->path, err, "model '%s' has %zu of its %zu features", rec->name, k,
                             rec->nfeatures);
    sqlite3_finalize(st);
    return rc;
}

/* The curve of rec: epochs 1 .. nepochs, each once. */
static int
epochs_read(struct hs_sess *s, struct hs_model_rec *rec, struct hs_err *err)
{
    sqlite3_stmt *st;
    size_t k = 0;
    int rc, src;

    if (rec->nepochs == 0)
        return HS_OK;
    if (!(rec->curve = hs_calloc(rec->nepochs, sizeof *rec->curve)))
        return oom(err);
    rc = hs_sess_prepare(s,
                         "SELECT epoch, loss, val_loss, val_auc, seconds, lr FROM model_epochs "
                         "WHERE model = ?1 ORDER BY epoch",
                         &st, err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, rec->name, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t epoch = sqlite3_column_int64(st, 0);
        struct hs_epoch_info *e;

        if (k >= rec->nepochs || epoch < 1 || (uint64_t)epoch != k + 1) {
            rc = hs_sess_damaged(s->path, err, "the training curve of model '%s' is not whole",
                                 rec->name);
            break;
        }
        e = &rec->curve[k++];
        e->epoch = (size_t)epoch;
        e->loss = hs_sess_column_real(st, 1);
        e->val_loss = hs_sess_column_real(st, 2);
        e->val_auc = hs_sess_column_real(st, 3);
        e->seconds = hs_sess_column_real(st, 4);
        e->lr = hs_sess_column_real(st, 5);
    }
    if (!rc && src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, "reading a model", err);
    if (!rc && k != rec->nepochs)
        rc = hs_sess_damaged(s->path, err, "model '%s' has %zu of its %zu epochs", rec->name, k,
                             rec->nepochs);
    sqlite3_finalize(st);
    return rc;
}

/* Read one models row (st positioned on it, columns model_cols) with its
 * features and curve into rec. */
static int
model_read(struct hs_sess *s, sqlite3_stmt *st, struct hs_model_rec *rec, struct hs_err *err)
{
    const char *name = (const char *)sqlite3_column_text(st, 0);
    const char *kind = (const char *)sqlite3_column_text(st, 1);
    int64_t nfeatures = sqlite3_column_int64(st, 10);
    int64_t nepochs = sqlite3_column_int64(st, 11);
    int64_t best = sqlite3_column_int64(st, 12);
    int64_t nimputed = sqlite3_column_int64(st, 13);
    int64_t seed = sqlite3_column_int64(st, 8);
    bool is_blob;
    const void *p;
    size_t len;
    /* An MLP's bytes are its network; other kinds' are in model_params. */
    int blobcol = kind && strcmp(kind, "mlp") == 0 ? 16 : 17;
    int rc;

    memset(rec, 0, sizeof *rec);

    if (!name || !kind || !hs_model_kind_find(kind) || nfeatures < 1 ||
        (uint64_t)nfeatures > SIZE_MAX / sizeof(struct hs_model_feature) || nepochs < 0 ||
        (uint64_t)nepochs > SIZE_MAX / sizeof(struct hs_epoch_info) || best < 0 ||
        best > nepochs || nimputed < 0)
        return hs_sess_damaged(s->path, err, "a model is wrong");
    if ((rc = hs_sess_text_dup(st, 0, false, &rec->name)) || (rc = hs_sess_text_dup(st, 1, false, &rec->kind)) ||
        (rc = hs_sess_text_dup(st, 2, false, &rec->dataset)) ||
        (rc = hs_sess_text_dup(st, 3, false, &rec->created)) ||
        (rc = hs_sess_text_dup(st, 4, false, &rec->options)) ||
        (rc = hs_sess_text_dup(st, 9, true, &rec->train_group))) {
        rc = oom(err);
        goto fail;
    }
    for (int k = 0; k < 3; k++)
        rec->split_frac[k] = sqlite3_column_double(st, 5 + k);
    memcpy(&rec->split_seed, &seed, sizeof seed);
    rec->nfeatures = (size_t)nfeatures;
    rec->nepochs = (size_t)nepochs;
    rec->best_epoch = (size_t)best;
    rec->nimputed = (size_t)nimputed;
    rec->test_auc = hs_sess_column_real(st, 14);
    rec->test_bkg95 = hs_sess_column_real(st, 15);
    /* The type first: reading the value may convert it. */
    is_blob = sqlite3_column_type(st, blobcol) == SQLITE_BLOB;
    p = sqlite3_column_blob(st, blobcol);
    len = (size_t)sqlite3_column_bytes(st, blobcol);
    if (len && !p) {
        rc = hs_sess_dberr(s->db, s->path, sqlite3_errcode(s->db), "reading a model", err);
        goto fail;
    }
    if (!is_blob || len == 0) {
        rc = hs_sess_damaged(s->path, err, "model '%s' has no %s", rec->name,
                             blobcol == 16 ? "network" : "parameters");
        goto fail;
    }
    if (!(rec->blob = hs_malloc(len))) {
        rc = oom(err);
        goto fail;
    }
    memcpy(rec->blob, p, len);
    rec->bloblen = len;
    if ((rc = features_read(s, rec, err)) || (rc = epochs_read(s, rec, err)))
        goto fail;
    return HS_OK;
fail:
    hs_model_rec_release(rec);
    return rc;
}

int
hs_sess_model_load(struct hs_sess *s, const char *name, struct hs_model_rec *rec,
                   struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    char sql[400];
    bool own;
    int rc, src;

    memset(rec, 0, sizeof *rec); /* releasable whatever happens */
    if (!name)
        return hs_err_set(err, HS_EUSAGE, "no model named");
    if ((rc = hs_sess_read_begin(s, &own, err)))
        return rc;
    snprintf(sql, sizeof sql, "SELECT %s FROM models WHERE name = ?1", model_cols);
    if ((rc = hs_sess_prepare(s, sql, &st, err)))
        goto done;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        rc = model_read(s, st, rec, err);
    else if (src == SQLITE_DONE)
        rc = model_not_found(s, name, err);
    else
        rc = hs_sess_dberr(s->db, s->path, src, "reading a model", err);
done:
    sqlite3_finalize(st);
    hs_sess_read_end(s, own);
    return rc;
}

int
hs_sess_models(struct hs_sess *s, const char *dataset, struct hs_model_rec **out, size_t *n,
               struct hs_err *err)
{
    sqlite3_stmt *st = NULL;
    struct hs_model_rec *recs = NULL;
    size_t k = 0, cap = 0;
    char sql[400];
    bool own;
    int rc, src;

    *out = NULL;
    *n = 0;
    if ((rc = hs_sess_read_begin(s, &own, err)))
        return rc;
    snprintf(sql, sizeof sql, "SELECT %s FROM models%s ORDER BY name", model_cols,
             dataset ? " WHERE dataset = ?1" : "");
    if ((rc = hs_sess_prepare(s, sql, &st, err)))
        goto done;
    if (dataset)
        sqlite3_bind_text(st, 1, dataset, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (hs_grow((void **)&recs, &cap, k + 1, sizeof *recs)) {
            rc = oom(err);
            goto done;
        }
        if ((rc = model_read(s, st, &recs[k], err)))
            goto done;
        k++;
    }
    if (src != SQLITE_DONE)
        rc = hs_sess_dberr(s->db, s->path, src, "reading the models", err);
done:
    sqlite3_finalize(st);
    hs_sess_read_end(s, own);
    if (rc) {
        hs_model_recs_free(recs, k);
        return rc;
    }
    *out = recs;
    *n = k;
    return HS_OK;
}

int
hs_sess_model_exists(struct hs_sess *s, const char *name, struct hs_err *err)
{
    sqlite3_stmt *st;
    int rc;

    if (!name)
        return 0;
    if ((rc = hs_sess_prepare(s, "SELECT 1 FROM models WHERE name = ?1", &st, err)))
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = 1;
    else if (rc == SQLITE_DONE)
        rc = 0;
    else
        rc = hs_sess_dberr(s->db, s->path, rc, "looking for a model", err);
    sqlite3_finalize(st);
    return rc;
}

int
hs_model_rec_model(const struct hs_model_rec *rec, struct hs_model **model, struct hs_err *err)
{
    int rc = hs_model_load(rec->kind, rec->blob, rec->bloblen, rec->nfeatures, model, err);

    if (rc == HS_EDATA) {
        char why[HS_ERR_MSG_MAX];
        snprintf(why, sizeof why, "%s", err ? err->msg : "");
        rc = hs_err_set(err, HS_ESESSION, "model '%s' is damaged: %s", rec->name, why);
    }
    return rc;
}

int
hs_sess_model_open(struct hs_sess *s, const char *name, struct hs_model_rec *rec,
                   struct hs_model **model, struct hs_err *err)
{
    int rc;

    *model = NULL;
    if ((rc = hs_sess_model_load(s, name, rec, err)))
        return rc;
    if ((rc = hs_model_rec_model(rec, model, err)))
        hs_model_rec_release(rec);
    return rc;
}

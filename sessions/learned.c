#include "config.h"

#include "sessions/learned.h"

#include <stdio.h>
#include <string.h>

#include "mem.h"

int
hs_model_rec_score(const struct hs_model_rec *rec, const struct hs_model *m,
                   struct hs_featureset *fs, double *out, const struct hs_task *task,
                   struct hs_err *err)
{
    const char **names = hs_calloc(rec->nfeatures + 1, sizeof *names);
    const char **exprs = hs_calloc(rec->nfeatures + 1, sizeof *exprs);
    struct hs_inputs in = {0};
    char owner[160];
    int rc;

    if (!names || !exprs) {
        rc = hs_err_set(err, HS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < rec->nfeatures; i++) {
        names[i] = rec->features[i].name;
        exprs[i] = rec->features[i].expr;
    }
    snprintf(owner, sizeof owner, "model '%s'", rec->name);
    rc = hs_featureset_inputs(fs, owner, rec->nfeatures, names, exprs, &in, task, err);
    if (rc == HS_OK)
        rc = hs_model_score(m, in.cols, fs->t->nrows, out, task, err);
done:
    hs_inputs_release(&in);
    hs_free(names);
    hs_free(exprs);
    return rc;
}

/* ---- a model as a learned source ---- */

struct model_source {
    struct hs_model_rec rec;
    struct hs_model *model; /* deserialised on first use */
    char **reads;           /* the names the inputs read */
    size_t nreads;
};

static int
model_compute(void *user, struct hs_featureset *fs, double *out, const struct hs_task *task,
              struct hs_err *err)
{
    struct model_source *ms = user;
    int rc;

    if (!ms->model && (rc = hs_model_rec_model(&ms->rec, &ms->model, err)))
        return rc;
    return hs_model_rec_score(&ms->rec, ms->model, fs, out, task, err);
}

static size_t
model_reads(const void *user, const char *const **names)
{
    const struct model_source *ms = user;

    *names = (const char *const *)ms->reads;
    return ms->nreads;
}

static void
model_source_free(void *user)
{
    struct model_source *ms = user;

    if (!ms)
        return;
    hs_model_rec_release(&ms->rec);
    hs_model_free(ms->model);
    for (size_t i = 0; i < ms->nreads; i++)
        hs_free(ms->reads[i]);
    hs_free(ms->reads);
    hs_free(ms);
}

static const struct hs_learned_source model_source = {
    .kind = "model",
    .compute = model_compute,
    .reads = model_reads,
    .free = model_source_free,
};

static int
reads_add(struct model_source *ms, size_t *cap, const char *name)
{
    for (size_t i = 0; i < ms->nreads; i++)
        if (strcmp(ms->reads[i], name) == 0)
            return HS_OK;
    if (hs_grow((void **)&ms->reads, cap, ms->nreads + 1, sizeof *ms->reads) ||
        !(ms->reads[ms->nreads] = hs_strdup(name)))
        return HS_ENOMEM;
    ms->nreads++;
    return HS_OK;
}

/* Can fs score rec now (every input there)?  HS_OK and the names its
 * inputs read in ms; HS_ENOTFOUND when not; HS_ENOMEM. */
static int
model_reads_on(struct hs_featureset *fs, const struct hs_model_rec *rec, struct model_source *ms)
{
    size_t cap = 0;

    for (size_t i = 0; i < rec->nfeatures; i++) {
        const struct hs_model_feature *mf = &rec->features[i];
        struct hs_expr *e = NULL;
        long c;
        int rc;

        if (strcmp(mf->name, rec->name) == 0)
            return HS_ENOTFOUND; /* its own score: never scoreable */
        if (!mf->expr) {
            c = hs_table_find(fs->t, mf->name);
            if (hs_featureset_find(fs, mf->name) < 0 && (c < 0 || fs->t->cols[c].synthetic))
                return HS_ENOTFOUND;
            if (reads_add(ms, &cap, mf->name))
                return HS_ENOMEM;
            continue;
        }
        if ((rc = hs_featureset_compile(fs, mf->expr, &e, NULL)))
            return rc == HS_ENOMEM ? rc : HS_ENOTFOUND;
        for (size_t k = 0; k < hs_expr_ncolumns(e) && rc == HS_OK; k++)
            rc = reads_add(ms, &cap, hs_expr_column_name(e, k));
        hs_expr_free(e);
        if (rc)
            return HS_ENOMEM;
    }
    return HS_OK;
}

int
hs_featureset_add_models(struct hs_featureset *fs, struct hs_model_rec *recs, size_t n,
                         struct hs_err *err)
{
    bool progress = true;
    int rc = HS_OK;

    /* Passes until none adds a model: one stacked on another is added
     * once that one is. */
    while (progress && rc == HS_OK) {
        progress = false;
        for (size_t i = 0; i < n && rc == HS_OK; i++) {
            struct model_source *ms;
            if (!recs[i].name || hs_featureset_find(fs, recs[i].name) >= 0 ||
                hs_table_find(fs->t, recs[i].name) >= 0)
                continue;
            if (!(ms = hs_calloc(1, sizeof *ms))) {
                rc = HS_ENOMEM;
                break;
            }
            rc = model_reads_on(fs, &recs[i], ms);
            if (rc == HS_OK) {
                ms->rec = recs[i];
                rc = hs_featureset_add_learned(fs, recs[i].name, &model_source, ms, NULL);
                memset(&recs[i], 0, sizeof recs[i]);
                progress = rc == HS_OK;
                continue;
            }
            model_source_free(ms);
            if (rc == HS_ENOTFOUND)
                rc = HS_OK;
        }
    }
    hs_model_recs_free(recs, n);
    return rc ? hs_err_set(err, HS_ENOMEM, "out of memory") : HS_OK;
}

int
hs_sess_featureset_add_models(struct hs_sess *s, struct hs_featureset *fs, struct hs_err *err)
{
    struct hs_model_rec *recs;
    size_t n;
    int rc;

    if ((rc = hs_sess_models(s, NULL, &recs, &n, err)))
        return rc;
    return hs_featureset_add_models(fs, recs, n, err);
}

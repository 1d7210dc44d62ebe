/* fisher_io.c: the "fisher" model kind: scoring, the stored byte string,
 * the `model show` lines and the C export of a learned discriminant.
 *
 * The byte string (format version 1), little endian whatever the host
 * (src/bytes.h):
 *   "HSFSH"              5 bytes, the magic
 *   version              1 byte
 *   nin                  u32, 1 to 100000
 *   w[nin], b, mean[nin], sd[nin]   IEEE-754 binary64
 *   checksum             u64, FNV-1a 64 of every byte before it
 * A reader checks the magic, the version, nin against its limit and the
 * length it implies, and the checksum, all before it allocates.
 *
 * Scores are b + w[0] x[0] + w[1] x[1] + ... summed in that order, here
 * and in the exported C, which therefore gives the same doubles.  Chunks
 * of events are scored as parts of a par.h job.
 */
#include "config.h"

#include "fisher.h"

#include <inttypes.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "cexport.h"
#include "mem.h"
#include "par.h"

#define FISHER_FORMAT_VERSION 1
#define FISHER_MAGIC "HSFSH"
#define FISHER_MAGIC_LEN 5
#define FISHER_MAX_NIN 100000
#define FISHER_HEAD (FISHER_MAGIC_LEN + 1 + 4)
/* Events scored between two looks at the cancel flag. */
#define FISHER_SCORE_CHUNK 65536

struct hs_fisher *
hs_fisher_new(size_t nin)
{
    struct hs_fisher *f = hs_calloc(1, sizeof *f);

    if (!f)
        return NULL;
    /* One block for the three arrays: w, then mean, then sd. */
    f->w = hs_calloc(3 * (nin ? nin : 1), sizeof *f->w);
    if (!f->w) {
        hs_free(f);
        return NULL;
    }
    f->nin = nin;
    f->mean = f->w + nin;
    f->sd = f->w + 2 * nin;
    return f;
}

void
hs_fisher_free(struct hs_fisher *f)
{
    if (!f)
        return;
    hs_free(f->w);
    hs_free(f);
}

double
hs_fisher_sigmoid(double t)
{
    double e;

    if (t >= 0)
        return 1.0 / (1.0 + exp(-t));
    e = exp(t);
    return e / (1.0 + e);
}

/* Scoring: chunks of events are the parts of a par.h job; an event's
 * score does not depend on which part or thread computed it. */
struct score_job {
    const struct hs_fisher *f;
    const double *const *x;
    size_t n;
    double *out;
    const struct hs_task *task;
    atomic_int stop;
    struct hs_par_progress prog;
};

static int
score_part(void *ctx, size_t part)
{
    struct score_job *sj = ctx;
    const struct hs_fisher *f = sj->f;
    size_t i0 = part * FISHER_SCORE_CHUNK;
    size_t rows = sj->n - i0 < FISHER_SCORE_CHUNK ? sj->n - i0 : FISHER_SCORE_CHUNK;
    double *o = sj->out + i0;

    if (atomic_load_explicit(&sj->stop, memory_order_relaxed) || hs_task_cancelled(sj->task)) {
        atomic_store(&sj->stop, 1);
        return HS_ECANCELLED;
    }
    for (size_t r = 0; r < rows; r++)
        o[r] = f->b;
    for (size_t j = 0; j < f->nin; j++) {
        const double *col = sj->x[j] + i0;
        double w = f->w[j], mu = f->mean[j];
        for (size_t r = 0; r < rows; r++)
            o[r] += w * (isnan(col[r]) ? mu : col[r]);
    }
    for (size_t r = 0; r < rows; r++)
        o[r] = hs_fisher_sigmoid(o[r]);
    hs_par_progress_add(&sj->prog, 1);
    return HS_OK;
}

int
hs_fisher_score(const struct hs_fisher *f, const double *const *x, size_t n, double *out,
                const struct hs_task *task, struct hs_err *err)
{
    size_t nparts = (n + FISHER_SCORE_CHUNK - 1) / FISHER_SCORE_CHUNK;
    struct score_job sj = {.f = f, .x = x, .n = n, .out = out, .task = task};

    atomic_init(&sj.stop, 0);
    if (hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "scoring cancelled");
    hs_par_progress_init(&sj.prog, nparts > 1 ? task : NULL, nparts, "scoring", false);
    if (hs_par_run(nparts, hs_par_threads(), score_part, &sj) || hs_task_cancelled(task))
        return hs_err_set(err, HS_ECANCELLED, "scoring cancelled");
    return HS_OK;
}

/* ---- bytes ---- */

static size_t
blob_len(size_t nin)
{
    return FISHER_HEAD + 8 * (3 * nin + 1) + 8;
}

static int
kind_serialize(const void *impl, unsigned char **buf, size_t *len, struct hs_err *err)
{
    const struct hs_fisher *f = impl;
    unsigned char *b, *p;
    size_t n;

    *buf = NULL;
    *len = 0;
    if (!f || f->nin == 0 || f->nin > FISHER_MAX_NIN)
        return hs_err_set(err, HS_ERANGE, "model has %zu inputs (1 to %d allowed)",
                          f ? f->nin : 0, FISHER_MAX_NIN);
    n = blob_len(f->nin);
    b = hs_malloc(n);
    if (!b)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    memcpy(b, FISHER_MAGIC, FISHER_MAGIC_LEN);
    p = b + FISHER_MAGIC_LEN;
    *p++ = FISHER_FORMAT_VERSION;
    p = hs_bytes_put_u32(p, (uint32_t)f->nin);
    p = hs_bytes_put_f64s(p, f->w, f->nin);
    p = hs_bytes_put_f64(p, f->b);
    p = hs_bytes_put_f64s(p, f->mean, f->nin);
    p = hs_bytes_put_f64s(p, f->sd, f->nin);
    hs_bytes_put_u64(p, hs_bytes_fnv1a64(b, (size_t)(p - b)));
    *buf = b;
    *len = n;
    return HS_OK;
}

static int
damaged(struct hs_err *err, const char *what)
{
    return hs_err_set(err, HS_EDATA, "model data is damaged: %s", what);
}

static int
kind_deserialize(const unsigned char *buf, size_t len, void **impl, size_t *nin_out,
                 struct hs_err *err)
{
    const unsigned char *p;
    struct hs_fisher *f;
    uint32_t nin;

    *impl = NULL;
    if (nin_out)
        *nin_out = 0;
    if (!buf || len < FISHER_HEAD)
        return damaged(err, "too short to be a model");
    if (memcmp(buf, FISHER_MAGIC, FISHER_MAGIC_LEN) != 0)
        return damaged(err, "not a hepscope Fisher model");
    if (buf[FISHER_MAGIC_LEN] != FISHER_FORMAT_VERSION)
        return hs_err_set(err, HS_EDATA,
                          "model data is damaged: format version %u is not known (this "
                          "hepscope reads version %d)",
                          buf[FISHER_MAGIC_LEN], FISHER_FORMAT_VERSION);
    nin = hs_bytes_get_u32(buf + FISHER_MAGIC_LEN + 1);
    if (nin == 0 || nin > FISHER_MAX_NIN)
        return hs_err_set(err, HS_EDATA, "model data is damaged: %" PRIu32 " inputs", nin);
    if (len < blob_len(nin))
        return damaged(err, "truncated");
    if (len > blob_len(nin))
        return damaged(err, "unexpected bytes after the end");
    if (hs_bytes_fnv1a64(buf, len - 8) != hs_bytes_get_u64(buf + len - 8))
        return damaged(err, "checksum mismatch");

    f = hs_fisher_new(nin);
    if (!f)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    p = hs_bytes_get_f64s(buf + FISHER_HEAD, f->w, nin);
    f->b = hs_bytes_get_f64(p);
    p = hs_bytes_get_f64s(p + 8, f->mean, nin);
    hs_bytes_get_f64s(p, f->sd, nin);
    *impl = f;
    if (nin_out)
        *nin_out = nin;
    return HS_OK;
}

/* ---- for people ---- */

static int
kind_score(const void *impl, const double *const *x, size_t n, double *out,
           const struct hs_task *task, struct hs_err *err)
{
    return hs_fisher_score(impl, x, n, out, task, err);
}

static void
kind_describe(const void *impl, char *buf, size_t size)
{
    const struct hs_fisher *f = impl;

    snprintf(buf, size, "Fisher, %zu coefficient%s", f->nin, f->nin == 1 ? "" : "s");
}

/* Input i's name for people: its own, or "input i" when there is none. */
static const char *
input_name(const char *const *names, size_t i, char *tmp, size_t size)
{
    if (names && names[i])
        return names[i];
    snprintf(tmp, size, "input %zu", i + 1);
    return tmp;
}

/* The offset, then a table of the inputs, their coefficients and the
 * standardised coefficients w_i sd_i, which compare across units. */
static int
kind_details(const void *impl, const char *const *names, char **out, struct hs_err *err)
{
    const struct hs_fisher *f = impl;
    struct hs_strbuf b = {0};
    size_t width = strlen("input");
    char tmp[32];

    for (size_t i = 0; i < f->nin; i++) {
        size_t k = strlen(input_name(names, i, tmp, sizeof tmp));
        if (k > width)
            width = k;
    }
    hs_strbuf_printf(&b, "Fisher discriminant: score = sigmoid(b + sum of w_i x_i), missing x_i "
                       "taken as the training mean\n");
    hs_strbuf_printf(&b, "offset b: %.10g\n", f->b);
    hs_strbuf_printf(&b, "%-*s  %17s  %17s\n", (int)width, "input", "coefficient w_i",
                   "standardised w*sd");
    for (size_t i = 0; i < f->nin; i++)
        hs_strbuf_printf(&b, "%-*s  %17.9g  %17.9g\n", (int)width,
                       input_name(names, i, tmp, sizeof tmp), f->w[i], f->w[i] * f->sd[i]);
    return hs_cexport_finish(&b, out, err);
}

static int
kind_export_c(const void *impl, const char *const *names, const char *func, char **out,
              struct hs_err *err)
{
    const struct hs_fisher *f = impl;
    struct hs_strbuf b = {0};
    char tmp[32];
    int rc;

    *out = NULL;
    rc = hs_cexport_check_name(func, err);
    if (rc != HS_OK)
        return rc;
    hs_strbuf_printf(&b, "/* %s: the score of Fisher's linear discriminant, generated by "
                       "hepscope %s.\n", func, PACKAGE_VERSION);
    hs_strbuf_printf(&b, " *\n *   double %s(const double *x);\n *\n", func);
    hs_strbuf_printf(&b, " * returns the probability of signal of one event from its %zu raw inputs\n"
                       " * x[0..%zu), in the order below: sigmoid(b + sum of w[i] x[i]), a\n"
                       " * missing input (NaN) replaced by its training mean.\n *\n",
                   f->nin, f->nin);
    hs_strbuf_printf(&b, " *   x[i]  name: coefficient, mean\n");
    for (size_t i = 0; i < f->nin; i++) {
        hs_strbuf_printf(&b, " *   %zu  ", i);
        hs_cexport_comment(&b, input_name(names, i, tmp, sizeof tmp));
        hs_strbuf_printf(&b, ": %.17g, %.17g\n", f->w[i], f->mean[i]);
    }
    hs_strbuf_printf(&b, " *\n * Numbers are hexadecimal floating constants, which read back exactly.\n"
                       " * Depends on nothing but <math.h> (link with -lm).\n */\n");
    hs_strbuf_printf(&b, "#include <math.h>\n\n");
    hs_strbuf_printf(&b, "double %s(const double *x);\n\n", func);
    hs_cexport_array(&b, func, "w", f->w, f->nin);
    hs_cexport_array(&b, func, "mean", f->mean, f->nin);
    hs_strbuf_printf(&b, "static const double %s_b = ", func);
    hs_strbuf_c_double(&b, f->b);
    hs_strbuf_printf(&b, ";\n");
    hs_cexport_sigmoid(&b, func);
    hs_strbuf_printf(&b,
                   "\ndouble\n%s(const double *x)\n{\n"
                   "    double z = %s_b;\n"
                   "    long i;\n\n"
                   "    for (i = 0; i < %zu; i++)\n"
                   "        z += %s_w[i] * (x[i] != x[i] ? %s_mean[i] : x[i]);\n"
                   "    return %s_sigmoid(z);\n}\n",
                   func, func, f->nin, func, func, func);
    return hs_cexport_finish(&b, out, err);
}

static void
kind_free(void *impl)
{
    hs_fisher_free(impl);
}

const struct hs_model_kind hs_model_kind_fisher = {
    .name = "fisher",
    .serialize = kind_serialize,
    .deserialize = kind_deserialize,
    .score = kind_score,
    .describe = kind_describe,
    .details = kind_details,
    .export_c = kind_export_c,
    .free = kind_free,
};

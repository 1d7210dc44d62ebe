/* mlp_io.c: a network as a portable byte string, and as C source.
 *
 * The byte string (format version 1 for a classifier, 2 for a
 * reconstructing network), every integer and double little endian
 * whatever the host, written byte by byte:
 *   "HSMLP"              5 bytes, the magic
 *   version              1 byte
 *   nin, nhidden         u32 each
 *   width[nhidden]       u32 each
 *   activation           u32 (enum hs_act)
 *   version 2 only: task, bottleneck, variational, score   u32 each, beta  binary64
 *   nparams              u64 (redundant with the shape: a check)
 *   mean[nin], sd[nin], params[nparams]   IEEE-754 binary64
 *   checksum             u64, FNV-1a 64 of every byte before it
 * A reader checks the magic and version, then every size against the
 * limits and against the length before it allocates anything, so a
 * hostile string cannot ask for a huge allocation, then the checksum.
 *
 * The C export writes each number as a hexadecimal floating constant
 * ("%a"), which a C99 compiler reads back to the same bits, so the
 * function differs from hs_mlp_score only by the order of its sums.
 */
#include "config.h"

#include "mlp.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "cexport.h"
#include "mem.h"
#include "mlp_int.h"

#define MLP_FORMAT_VERSION 1
/* The version of a reconstructing network's string; a classifier's stays
 * version 1, byte for byte what earlier hepscopes wrote and read. */
#define MLP_FORMAT_RECON 2
/* What version 2 adds to the header. */
#define MLP_RECON_HEAD (4 * 4 + 8)
#define MLP_MAGIC "HSMLP"
#define MLP_MAGIC_LEN 5
#define MLP_MAX_NIN 100000
/* Inputs up to this many are standardised once into a local array in the
 * exported function; beyond, on the fly, to keep the stack small. */
#define EXPORT_MAX_STACK_IN 4096

/* ---- the shape ---- */

/* The parameter count of m's shape: within the limits checked first it
 * stays far below 2^63, so size_t arithmetic does not overflow. */
static uint64_t
shape_nparams(const struct hs_mlp *m)
{
    return hs_mlp_count_params(m);
}

/* The header's size for a shape and version. */
static size_t
head_size(size_t nhidden, unsigned version)
{
    return MLP_MAGIC_LEN + 1 + 4 + 4 + 4 * nhidden + 4 + 8 +
           (version == MLP_FORMAT_RECON ? MLP_RECON_HEAD : 0);
}

/* The reconstruction fields agree with each other and the shape? */
static const char *
recon_problem(const struct hs_mlp *m)
{
    if ((unsigned)m->task > HS_MLP_RECONSTRUCT)
        return "an unknown task";
    if (m->nout != (m->task == HS_MLP_CLASSIFY ? 1 : m->nin))
        return "an output count that does not fit its task";
    if (m->task == HS_MLP_CLASSIFY)
        return m->bottleneck || m->variational || m->score ? "a classifier with a bottleneck"
                                                          : NULL;
    if (m->bottleneck > m->nhidden || (m->variational && m->bottleneck == 0))
        return "a bottleneck outside its hidden layers";
    if ((unsigned)m->score > HS_MLP_SCORE_KL || (m->score == HS_MLP_SCORE_KL && !m->variational))
        return "an unknown score";
    if (!(m->beta >= 0) || !isfinite(m->beta))
        return "a KL weight that is not a number >= 0";
    return NULL;
}

/* Does the model hold a shape this format can store, with the parameter
 * count it implies? */
static int
check_model(const struct hs_mlp *m, struct hs_err *err)
{
    const char *why;

    if (!m || m->nin == 0 || m->nin > MLP_MAX_NIN)
        return hs_err_set(err, HS_ERANGE, "model has %zu inputs (1 to %d allowed)",
                          m ? m->nin : 0, MLP_MAX_NIN);
    if (m->nhidden > HS_MLP_MAX_HIDDEN)
        return hs_err_set(err, HS_ERANGE, "model has %zu hidden layers (at most %d allowed)",
                          m->nhidden, HS_MLP_MAX_HIDDEN);
    for (size_t l = 0; l < m->nhidden; l++) {
        if (m->width[l] == 0 || m->width[l] > HS_MLP_MAX_WIDTH)
            return hs_err_set(err, HS_ERANGE, "hidden layer %zu has width %zu (1 to %d allowed)",
                              l + 1, m->width[l], HS_MLP_MAX_WIDTH);
    }
    if ((unsigned)m->act > HS_ACT_IDENTITY)
        return hs_err_set(err, HS_EUSAGE, "model has an unknown activation (%d)", (int)m->act);
    if ((why = recon_problem(m)))
        return hs_err_set(err, HS_EUSAGE, "model has %s", why);
    if (shape_nparams(m) != m->nparams)
        return hs_err_set(err, HS_EUSAGE,
                          "model holds %zu parameters but its shape needs %" PRIu64, m->nparams,
                          shape_nparams(m));
    return HS_OK;
}

/* ---- bytes ---- */

int
hs_mlp_serialize(const struct hs_mlp *m, unsigned char **buf, size_t *len, struct hs_err *err)
{
    size_t n, head;
    unsigned char *b, *p;
    int rc;

    *buf = NULL;
    *len = 0;
    rc = check_model(m, err);
    if (rc != HS_OK)
        return rc;
    unsigned version = m->task == HS_MLP_CLASSIFY ? MLP_FORMAT_VERSION : MLP_FORMAT_RECON;
    head = head_size(m->nhidden, version);
    n = head + 8 * (2 * m->nin + m->nparams) + 8;
    b = hs_malloc(n);
    if (!b)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    memcpy(b, MLP_MAGIC, MLP_MAGIC_LEN);
    p = b + MLP_MAGIC_LEN;
    *p++ = (unsigned char)version;
    p = hs_bytes_put_u32(p, (uint32_t)m->nin);
    p = hs_bytes_put_u32(p, (uint32_t)m->nhidden);
    for (size_t l = 0; l < m->nhidden; l++)
        p = hs_bytes_put_u32(p, (uint32_t)m->width[l]);
    p = hs_bytes_put_u32(p, (uint32_t)m->act);
    if (version == MLP_FORMAT_RECON) {
        p = hs_bytes_put_u32(p, (uint32_t)m->task);
        p = hs_bytes_put_u32(p, (uint32_t)m->bottleneck);
        p = hs_bytes_put_u32(p, (uint32_t)m->variational);
        p = hs_bytes_put_u32(p, (uint32_t)m->score);
        p = hs_bytes_put_f64s(p, &m->beta, 1);
    }
    p = hs_bytes_put_u64(p, m->nparams);
    p = hs_bytes_put_f64s(p, m->mean, m->nin);
    p = hs_bytes_put_f64s(p, m->sd, m->nin);
    p = hs_bytes_put_f64s(p, m->params, m->nparams);
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

int
hs_mlp_deserialize(const unsigned char *buf, size_t len, struct hs_mlp **out,
                   struct hs_err *err)
{
    size_t width[HS_MLP_MAX_HIDDEN];
    struct hs_mlp shape = {.width = width};
    uint64_t nparams, need;
    uint32_t nin, nhidden, act;
    const unsigned char *p;
    const char *why;
    struct hs_mlp *m;
    unsigned version;
    size_t head;

    *out = NULL;
    if (!buf || len < MLP_MAGIC_LEN + 1 + 8)
        return damaged(err, "too short to be a model");
    if (memcmp(buf, MLP_MAGIC, MLP_MAGIC_LEN) != 0)
        return hs_err_set(err, HS_EDATA, "model data is damaged: not a hepscope model");
    version = buf[MLP_MAGIC_LEN];
    if (version != MLP_FORMAT_VERSION && version != MLP_FORMAT_RECON)
        return hs_err_set(err, HS_EDATA,
                          "model data is damaged: format version %u is not known (this "
                          "hepscope reads version %d and %d)",
                          version, MLP_FORMAT_VERSION, MLP_FORMAT_RECON);
    p = buf + MLP_MAGIC_LEN + 1;
    nin = hs_bytes_get_u32(p);
    nhidden = hs_bytes_get_u32(p + 4);
    if (nin == 0 || nin > MLP_MAX_NIN)
        return hs_err_set(err, HS_EDATA, "model data is damaged: %" PRIu32 " inputs", nin);
    if (nhidden > HS_MLP_MAX_HIDDEN)
        return hs_err_set(err, HS_EDATA, "model data is damaged: %" PRIu32 " hidden layers",
                          nhidden);
    head = head_size(nhidden, version);
    if (len < head + 8)
        return damaged(err, "truncated");
    p += 8;
    for (uint32_t l = 0; l < nhidden; l++, p += 4) {
        width[l] = hs_bytes_get_u32(p);
        if (width[l] == 0 || width[l] > HS_MLP_MAX_WIDTH)
            return hs_err_set(err, HS_EDATA,
                              "model data is damaged: hidden layer %" PRIu32 " has width %zu",
                              l + 1, width[l]);
    }
    act = hs_bytes_get_u32(p);
    p += 4;
    if (act > HS_ACT_IDENTITY)
        return hs_err_set(err, HS_EDATA, "model data is damaged: activation %" PRIu32, act);
    shape.nin = nin;
    shape.nhidden = nhidden;
    shape.act = (enum hs_act)act;
    shape.nout = 1;
    if (version == MLP_FORMAT_RECON) {
        uint32_t task = hs_bytes_get_u32(p), bn = hs_bytes_get_u32(p + 4);
        uint32_t var = hs_bytes_get_u32(p + 8), score = hs_bytes_get_u32(p + 12);
        hs_bytes_get_f64s(p + 16, &shape.beta, 1);
        p += MLP_RECON_HEAD;
        if (task != HS_MLP_RECONSTRUCT || var > 1 || bn > nhidden || score > HS_MLP_SCORE_KL)
            return damaged(err, "the reconstruction's fields are out of range");
        shape.task = HS_MLP_RECONSTRUCT;
        shape.nout = nin;
        shape.bottleneck = bn;
        shape.variational = var;
        shape.score = (enum hs_mlp_score)score;
    }
    if ((why = recon_problem(&shape)))
        return hs_err_set(err, HS_EDATA, "model data is damaged: %s", why);
    nparams = hs_bytes_get_u64(p);
    if (nparams != shape_nparams(&shape))
        return damaged(err, "the parameter count does not match the shape");
    /* Bounded by the limits (about 2^30 parameters), so no overflow. */
    need = head + 8 * (2 * (uint64_t)nin + nparams) + 8;
    if (len < need)
        return damaged(err, "truncated");
    if (len > need)
        return damaged(err, "unexpected bytes after the end");
    if (hs_bytes_fnv1a64(buf, len - 8) != hs_bytes_get_u64(buf + len - 8))
        return damaged(err, "checksum mismatch");

    m = hs_calloc(1, sizeof *m);
    if (!m)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    *m = shape;
    m->width = NULL;
    m->nparams = (size_t)nparams;
    m->width = hs_malloc((nhidden ? nhidden : 1) * sizeof *m->width);
    m->mean = hs_malloc(nin * sizeof *m->mean);
    m->sd = hs_malloc(nin * sizeof *m->sd);
    m->params = hs_malloc(m->nparams * sizeof *m->params);
    if (!m->width || !m->mean || !m->sd || !m->params) {
        hs_mlp_free(m);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (uint32_t l = 0; l < nhidden; l++)
        m->width[l] = width[l];
    p = hs_bytes_get_f64s(buf + head, m->mean, nin);
    p = hs_bytes_get_f64s(p, m->sd, nin);
    hs_bytes_get_f64s(p, m->params, m->nparams);
    *out = m;
    return HS_OK;
}

/* ---- C export ---- */

/* The hidden activations, of the pre-activation z, as in mlp.c. */
static const char *const act_c[] = {
    [HS_ACT_RELU] = "z > 0 ? z : 0.0",
    [HS_ACT_LEAKY_RELU] = "z > 0 ? z : 0.01 * z",
    [HS_ACT_TANH] = "tanh(z)",
    [HS_ACT_SIGMOID] = "FUNC_sigmoid(z)",
    [HS_ACT_IDENTITY] = "z",
};

/* The body of the exported function: layer after layer into two buffers
 * of the widest layer's size, each sum taken before its bias is added as
 * hs_mlp_score's GEMM does (the order within a sum may still differ). */
static void
export_body(struct hs_strbuf *b, const struct hs_mlp *m, const char *func)
{
    size_t maxw = 1;
    bool stack_in = m->nin <= EXPORT_MAX_STACK_IN;

    bool recon = m->task == HS_MLP_RECONSTRUCT;

    for (size_t l = 0; l < m->nhidden; l++) {
        size_t w;
        hs_mlp_layer(m, l, NULL, NULL, NULL, &w);
        if (w > maxw)
            maxw = w;
    }
    /* The reconstruction's targets are the standardised inputs. */
    stack_in = stack_in || recon;
    hs_strbuf_printf(b, "\ndouble\n%s(const double *x)\n{\n", func);
    if (m->nhidden > 0)
        hs_strbuf_printf(b, "    double h[2][%zu];\n", maxw);
    if (stack_in)
        hs_strbuf_printf(b, "    double s[%zu];\n", m->nin);
    hs_strbuf_printf(b, "    double z%s;\n    long i, o;\n\n",
                     !recon ? "" : m->score == HS_MLP_SCORE_KL ? ", e = 0.0" : ", d, e = 0.0");
    if (stack_in) {
        hs_strbuf_printf(b, "    /* standardise; a missing value (NaN) becomes the mean, i.e. 0 */\n");
        hs_strbuf_printf(b, "    for (i = 0; i < %zu; i++)\n", m->nin);
        hs_strbuf_printf(b,
                  "        s[i] = x[i] != x[i] ? 0.0 : (x[i] - %s_mean[i]) * (1.0 / %s_sd[i]);\n",
                  func, func);
    }
    for (size_t l = 0; l <= m->nhidden; l++) {
        size_t in, out;
        hs_mlp_layer(m, l, NULL, NULL, &in, &out);
        hs_strbuf_printf(b, "    /* layer %zu: %zu -> %zu */\n", l + 1, in, out);
        hs_strbuf_printf(b, "    for (o = 0; o < %zu; o++) {\n", out);
        hs_strbuf_printf(b, "        z = 0.0;\n");
        hs_strbuf_printf(b, "        for (i = 0; i < %zu; i++)\n", in);
        if (l > 0)
            hs_strbuf_printf(b, "            z += %s_w%zu[o * %zu + i] * h[%zu][i];\n", func, l, in,
                      (l - 1) % 2);
        else if (stack_in)
            hs_strbuf_printf(b, "            z += %s_w0[o * %zu + i] * s[i];\n", func, in);
        else
            hs_strbuf_printf(b,
                      "            z += %s_w0[o * %zu + i] *\n"
                      "                 (x[i] != x[i] ? 0.0 : (x[i] - %s_mean[i]) * (1.0 / "
                      "%s_sd[i]));\n",
                      func, in, func, func);
        hs_strbuf_printf(b, "        z += %s_b%zu[o];\n", func, l);
        if (l == m->nhidden && recon)
            hs_strbuf_printf(b, "        d = z - s[o];\n        e += d * d;\n");
        if (l < m->nhidden) {
            const char *a = act_c[l + 1 == m->bottleneck ? HS_ACT_IDENTITY : m->act];
            hs_strbuf_printf(b, "        h[%zu][o] = ", l % 2);
            if (strncmp(a, "FUNC", 4) == 0)
                hs_strbuf_printf(b, "%s%s;\n", func, a + 4);
            else
                hs_strbuf_printf(b, "%s;\n", a);
        }
        hs_strbuf_printf(b, "    }\n");
        if (m->variational && l + 1 == m->bottleneck) {
            /* Scoring takes each latent at its mean: the next layer reads
             * the first half, the means. */
            hs_strbuf_printf(b, "    /* the latents at their means; KL(q(z|x) || N(0, 1)) */\n");
            if (m->score == HS_MLP_SCORE_KL) {
                hs_strbuf_printf(b, "    for (i = 0; i < %zu; i++)\n", out / 2);
                hs_strbuf_printf(b, "        e += h[%zu][i] * h[%zu][i] + exp(h[%zu][%zu + i]) - 1.0 - "
                                    "h[%zu][%zu + i];\n",
                                 l % 2, l % 2, l % 2, out / 2, l % 2, out / 2);
                hs_strbuf_printf(b, "    return 0.5 * e;\n}\n");
                return;
            }
        }
    }
    if (!recon)
        hs_strbuf_printf(b, "    return %s_sigmoid(z);\n}\n", func);
    else if (m->variational)
        hs_strbuf_printf(b, "    return 0.5 * e + %zu.0 * 0.91893853320467274178; /* n log(2 pi) / 2 */\n}\n",
                         m->nin);
    else
        hs_strbuf_printf(b, "    return e / %zu.0;\n}\n", m->nin);
}

int
hs_mlp_export_c(const struct hs_mlp *m, const char *const *names, const char *func,
                char **out, struct hs_err *err)
{
    struct hs_strbuf b = {0};
    int rc;

    *out = NULL;
    rc = hs_cexport_check_name(func, err);
    if (rc != HS_OK)
        return rc;
    rc = check_model(m, err);
    if (rc != HS_OK)
        return rc;

    bool recon = m->task == HS_MLP_RECONSTRUCT;
    static const char *const what[] = {
        "the probability of signal",
        "the anomaly score (the mean squared error of the reconstruction of the\n"
        " * standardised inputs)",
        "the anomaly score (-log p(x | z = mean) of the reconstruction under a\n"
        " * unit-variance Gaussian, the latents at their means)",
        "the anomaly score (the KL divergence of the latents' Gaussian from N(0, 1))",
    };
    size_t wi = !recon ? 0 : !m->variational ? 1 : m->score == HS_MLP_SCORE_KL ? 3 : 2;
    hs_strbuf_printf(&b, "/* %s: the score of %s, generated by hepscope %s.\n", func,
                     !recon ? "a multilayer perceptron"
                     : m->variational ? "a variational autoencoder" : "an autoencoder",
                     PACKAGE_VERSION);
    hs_strbuf_printf(&b, " *\n *   double %s(const double *x);\n *\n", func);
    hs_strbuf_printf(&b, " * returns %s of one event from its %zu raw inputs\n"
                  " * x[0..%zu), in the order below.  Each input is standardised with the\n"
                  " * training part's mean and standard deviation, (x - mean) / sd, and a\n"
                  " * missing input (NaN) is replaced by the mean.\n *\n",
              what[wi], m->nin, m->nin);
    hs_strbuf_printf(&b, " *   x[i]  name: mean, sd\n");
    for (size_t i = 0; i < m->nin; i++) {
        hs_strbuf_printf(&b, " *   %zu  ", i);
        if (names && names[i])
            hs_cexport_comment(&b, names[i]);
        else
            hs_strbuf_printf(&b, "(input %zu)", i);
        hs_strbuf_printf(&b, ": %.17g, %.17g\n", m->mean[i], m->sd[i]);
    }
    hs_strbuf_printf(&b, " *\n * Network: %zu inputs", m->nin);
    for (size_t l = 0; l < m->nhidden; l++)
        hs_strbuf_printf(&b, " -> %zu", m->width[l]);
    if (recon)
        hs_strbuf_printf(&b, " -> %zu linear outputs; %s activation in the hidden layers\n"
                             " * but the linear bottleneck (layer %zu%s).\n",
                         m->nout, hs_act_name(m->act), m->bottleneck,
                         m->variational ? ": means, then log variances" : "");
    else
        hs_strbuf_printf(&b, " -> 1 output; %s activation in the hidden layers,\n * sigmoid output.\n",
                         hs_act_name(m->act));
    hs_strbuf_printf(&b, " * Numbers are hexadecimal floating constants, which read back exactly.\n"
                  " * Depends on nothing but <math.h> (link with -lm).\n */\n");
    hs_strbuf_printf(&b, "#include <math.h>\n\n");
    hs_strbuf_printf(&b, "double %s(const double *x);\n\n", func);
    hs_cexport_array(&b, func, "mean", m->mean, m->nin);
    hs_cexport_array(&b, func, "sd", m->sd, m->nin);
    /* The KL score needs the encoder alone. */
    size_t last = m->score == HS_MLP_SCORE_KL ? m->bottleneck - 1 : m->nhidden;
    for (size_t l = 0; l <= last; l++) {
        size_t wo, bo, in, nout;
        char name[32];
        hs_mlp_layer(m, l, &wo, &bo, &in, &nout);
        snprintf(name, sizeof name, "w%zu", l);
        hs_cexport_array(&b, func, name, m->params + wo, nout * in);
        snprintf(name, sizeof name, "b%zu", l);
        hs_cexport_array(&b, func, name, m->params + bo, nout);
    }
    if (!recon || m->act == HS_ACT_SIGMOID)
        hs_cexport_sigmoid(&b, func);
    export_body(&b, m, func);
    return hs_cexport_finish(&b, out, err);
}

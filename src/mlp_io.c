/* mlp_io.c: a network as a portable byte string, and as C source.
 *
 * The byte string (format version 1), every integer and double little
 * endian whatever the host, written byte by byte:
 *   "HSMLP"              5 bytes, the magic
 *   version              1 byte
 *   nin, nhidden         u32 each
 *   width[nhidden]       u32 each
 *   activation           u32 (enum hs_act)
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
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "names.h"

#define MLP_FORMAT_VERSION 1
#define MLP_MAGIC "HSMLP"
#define MLP_MAGIC_LEN 5
#define MLP_MAX_NIN 100000
/* Inputs up to this many are standardised once into a local array in the
 * exported function; beyond, on the fly, to keep the stack small. */
#define EXPORT_MAX_STACK_IN 4096

/* ---- the shape ---- */

/* The parameter count of a shape, in 64 bits so that no limit-sized
 * shape overflows. */
static uint64_t
shape_nparams(uint64_t nin, size_t nhidden, const uint64_t *width)
{
    uint64_t n = 0, in = nin;

    for (size_t l = 0; l <= nhidden; l++) {
        uint64_t out = l < nhidden ? width[l] : 1;
        n += out * in + out;
        in = out;
    }
    return n;
}

/* Does the model hold a shape this format can store, with the parameter
 * count it implies? */
static int
check_model(const struct hs_mlp *m, struct hs_err *err)
{
    uint64_t w[HS_MLP_MAX_HIDDEN];

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
        w[l] = m->width[l];
    }
    if ((unsigned)m->act > HS_ACT_IDENTITY)
        return hs_err_set(err, HS_EUSAGE, "model has an unknown activation (%d)", (int)m->act);
    if (shape_nparams(m->nin, m->nhidden, w) != m->nparams)
        return hs_err_set(err, HS_EUSAGE,
                          "model holds %zu parameters but its shape needs %" PRIu64, m->nparams,
                          shape_nparams(m->nin, m->nhidden, w));
    return HS_OK;
}

/* ---- bytes ---- */

static uint64_t
fnv1a64(const unsigned char *p, size_t n)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);

    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

static unsigned char *
put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        *p++ = (unsigned char)(v >> (8 * i));
    return p;
}

static unsigned char *
put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        *p++ = (unsigned char)(v >> (8 * i));
    return p;
}

/* A double's bits as an integer, so that the bytes go out in a fixed
 * order whatever the host's. */
static unsigned char *
put_f64(unsigned char *p, double d)
{
    uint64_t v;

    memcpy(&v, &d, sizeof v);
    return put_u64(p, v);
}

static uint32_t
get_u32(const unsigned char *p)
{
    uint32_t v = 0;

    for (int i = 3; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint64_t
get_u64(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static double
get_f64(const unsigned char *p)
{
    uint64_t v = get_u64(p);
    double d;

    memcpy(&d, &v, sizeof d);
    return d;
}

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
    head = MLP_MAGIC_LEN + 1 + 4 + 4 + 4 * m->nhidden + 4 + 8;
    n = head + 8 * (2 * m->nin + m->nparams) + 8;
    b = hs_malloc(n);
    if (!b)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    memcpy(b, MLP_MAGIC, MLP_MAGIC_LEN);
    p = b + MLP_MAGIC_LEN;
    *p++ = MLP_FORMAT_VERSION;
    p = put_u32(p, (uint32_t)m->nin);
    p = put_u32(p, (uint32_t)m->nhidden);
    for (size_t l = 0; l < m->nhidden; l++)
        p = put_u32(p, (uint32_t)m->width[l]);
    p = put_u32(p, (uint32_t)m->act);
    p = put_u64(p, m->nparams);
    for (size_t i = 0; i < m->nin; i++)
        p = put_f64(p, m->mean[i]);
    for (size_t i = 0; i < m->nin; i++)
        p = put_f64(p, m->sd[i]);
    for (size_t i = 0; i < m->nparams; i++)
        p = put_f64(p, m->params[i]);
    put_u64(p, fnv1a64(b, (size_t)(p - b)));
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
    uint64_t width[HS_MLP_MAX_HIDDEN], nparams, need;
    uint32_t nin, nhidden, act;
    const unsigned char *p;
    struct hs_mlp *m;
    size_t head;

    *out = NULL;
    if (!buf || len < MLP_MAGIC_LEN + 1 + 8)
        return damaged(err, "too short to be a model");
    if (memcmp(buf, MLP_MAGIC, MLP_MAGIC_LEN) != 0)
        return hs_err_set(err, HS_EDATA, "model data is damaged: not a hepscope model");
    if (buf[MLP_MAGIC_LEN] != MLP_FORMAT_VERSION)
        return hs_err_set(err, HS_EDATA,
                          "model data is damaged: format version %u is not known (this "
                          "hepscope reads version %d)",
                          buf[MLP_MAGIC_LEN], MLP_FORMAT_VERSION);
    p = buf + MLP_MAGIC_LEN + 1;
    nin = get_u32(p);
    nhidden = get_u32(p + 4);
    if (nin == 0 || nin > MLP_MAX_NIN)
        return hs_err_set(err, HS_EDATA, "model data is damaged: %" PRIu32 " inputs", nin);
    if (nhidden > HS_MLP_MAX_HIDDEN)
        return hs_err_set(err, HS_EDATA, "model data is damaged: %" PRIu32 " hidden layers",
                          nhidden);
    head = MLP_MAGIC_LEN + 1 + 4 + 4 + 4 * (size_t)nhidden + 4 + 8;
    if (len < head + 8)
        return damaged(err, "truncated");
    p += 8;
    for (uint32_t l = 0; l < nhidden; l++, p += 4) {
        width[l] = get_u32(p);
        if (width[l] == 0 || width[l] > HS_MLP_MAX_WIDTH)
            return hs_err_set(err, HS_EDATA,
                              "model data is damaged: hidden layer %" PRIu32 " has width %" PRIu64,
                              l + 1, width[l]);
    }
    act = get_u32(p);
    nparams = get_u64(p + 4);
    if (act > HS_ACT_IDENTITY)
        return hs_err_set(err, HS_EDATA, "model data is damaged: activation %" PRIu32, act);
    if (nparams != shape_nparams(nin, nhidden, width))
        return damaged(err, "the parameter count does not match the shape");
    /* Bounded by the limits (about 2^30 parameters), so no overflow. */
    need = head + 8 * (2 * (uint64_t)nin + nparams) + 8;
    if (len < need)
        return damaged(err, "truncated");
    if (len > need)
        return damaged(err, "unexpected bytes after the end");
    if (fnv1a64(buf, len - 8) != get_u64(buf + len - 8))
        return damaged(err, "checksum mismatch");

    m = hs_calloc(1, sizeof *m);
    if (!m)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    m->nin = nin;
    m->nhidden = nhidden;
    m->act = (enum hs_act)act;
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
        m->width[l] = (size_t)width[l];
    p = buf + head;
    for (size_t i = 0; i < nin; i++, p += 8)
        m->mean[i] = get_f64(p);
    for (size_t i = 0; i < nin; i++, p += 8)
        m->sd[i] = get_f64(p);
    for (size_t i = 0; i < m->nparams; i++, p += 8)
        m->params[i] = get_f64(p);
    *out = m;
    return HS_OK;
}

/* ---- C export ---- */

/* A growing string; after a failed append it stays failed. */
struct sbuf {
    char *s;
    size_t len, cap;
    bool failed;
};

static void sb_printf(struct sbuf *b, const char *f, ...) __attribute__((format(__printf__, 2, 3)));

static void
sb_printf(struct sbuf *b, const char *f, ...)
{
    va_list ap;
    int n;

    if (b->failed)
        return;
    va_start(ap, f);
    n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    if (n < 0 || hs_grow((void **)&b->s, &b->cap, b->len + (size_t)n + 1, 1) != HS_OK) {
        b->failed = true;
        return;
    }
    va_start(ap, f);
    vsnprintf(b->s + b->len, (size_t)n + 1, f, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* A number that a C99 compiler reads back to the same double. */
static void
sb_number(struct sbuf *b, double v)
{
    if (isnan(v))
        sb_printf(b, "NAN");
    else if (isinf(v))
        sb_printf(b, "%sINFINITY", v < 0 ? "-" : "");
    else
        sb_printf(b, "%a", v);
}

/* Text inside a block comment: control characters become '?', and the
 * sequences that would end the comment, open a nested one (a -Wcomment
 * warning) or form a trigraph get a space inside. */
static void
sb_comment_text(struct sbuf *b, const char *s)
{
    for (const char *c = s; *c; c++) {
        unsigned char u = (unsigned char)*c;
        char ch = u < 0x20 || u == 0x7f ? '?' : *c;
        sb_printf(b, "%c", ch);
        if ((ch == '*' && c[1] == '/') || (ch == '/' && c[1] == '*') || (ch == '?' && c[1] == '?'))
            sb_printf(b, " ");
    }
}

static void
sb_array(struct sbuf *b, const char *func, const char *name, const double *v, size_t n)
{
    sb_printf(b, "static const double %s_%s[%zu] = {", func, name, n);
    for (size_t i = 0; i < n; i++) {
        sb_printf(b, i % 3 == 0 ? "\n    " : " ");
        sb_number(b, v[i]);
        sb_printf(b, ",");
    }
    sb_printf(b, "\n};\n");
}

/* Names a definition of FUNC would clash with: C's keywords, main, and
 * what <math.h> declares (with the float and long double variants, sinf
 * and sinl), and what C reserves for the implementation. */
static bool
is_reserved(const char *s)
{
    static const char *const keywords[] = {
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double",
        "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
        "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
        "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "main",
    };
    static const char *const math[] = {
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cbrt", "ceil", "copysign",
        "cos", "cosh", "erf", "erfc", "exp", "exp2", "expm1", "fabs", "fdim", "floor", "fma",
        "fmax", "fmin", "fmod", "frexp", "hypot", "ilogb", "ldexp", "lgamma", "llrint",
        "llround", "log", "log10", "log1p", "log2", "logb", "lrint", "lround", "modf", "nan",
        "nearbyint", "nextafter", "nexttoward", "pow", "remainder", "remquo", "rint", "round",
        "scalbln", "scalbn", "sin", "sinh", "sqrt", "tan", "tanh", "tgamma", "trunc",
        "isnan", "isinf", "isfinite", "isnormal", "signbit", "fpclassify", "isgreater",
        "isgreaterequal", "isless", "islessequal", "islessgreater", "isunordered",
    };
    size_t n = strlen(s);

    if (s[0] == '_' && (s[1] == '_' || (s[1] >= 'A' && s[1] <= 'Z')))
        return true;
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (strcmp(s, keywords[i]) == 0)
            return true;
    for (size_t i = 0; i < sizeof math / sizeof *math; i++) {
        size_t k = strlen(math[i]);
        if (strncmp(s, math[i], k) == 0 &&
            (n == k || (n == k + 1 && (s[k] == 'f' || s[k] == 'l'))))
            return true;
    }
    return false;
}

/* The hidden activations, of the pre-activation z, as in mlp.c. */
static const char *const act_c[] = {
    [HS_ACT_RELU] = "z > 0 ? z : 0.0",
    [HS_ACT_LEAKY_RELU] = "z > 0 ? z : 0.01 * z",
    [HS_ACT_TANH] = "tanh(z)",
    [HS_ACT_SIGMOID] = "FUNC_sigmoid(z)",
    [HS_ACT_IDENTITY] = "z",
};

/* The sigmoid as mlp.c computes it: no overflow of exp for either sign. */
static void
export_sigmoid(struct sbuf *b, const char *func)
{
    sb_printf(b,
              "\nstatic double\n%s_sigmoid(double z)\n{\n"
              "    double e;\n\n"
              "    if (z >= 0)\n"
              "        return 1.0 / (1.0 + exp(-z));\n"
              "    e = exp(z);\n"
              "    return e / (1.0 + e);\n}\n",
              func);
}

/* The body of the exported function: layer after layer into two buffers
 * of the widest layer's size, each sum taken before its bias is added as
 * hs_mlp_score's GEMM does (the order within a sum may still differ). */
static void
export_body(struct sbuf *b, const struct hs_mlp *m, const char *func)
{
    size_t maxw = 1;
    bool stack_in = m->nin <= EXPORT_MAX_STACK_IN;

    for (size_t l = 0; l < m->nhidden; l++)
        if (m->width[l] > maxw)
            maxw = m->width[l];
    sb_printf(b, "\ndouble\n%s(const double *x)\n{\n", func);
    if (m->nhidden > 0)
        sb_printf(b, "    double h[2][%zu];\n", maxw);
    if (stack_in)
        sb_printf(b, "    double s[%zu];\n", m->nin);
    sb_printf(b, "    double z;\n    long i, o;\n\n");
    if (stack_in) {
        sb_printf(b, "    /* standardise; a missing value (NaN) becomes the mean, i.e. 0 */\n");
        sb_printf(b, "    for (i = 0; i < %zu; i++)\n", m->nin);
        sb_printf(b,
                  "        s[i] = x[i] != x[i] ? 0.0 : (x[i] - %s_mean[i]) * (1.0 / %s_sd[i]);\n",
                  func, func);
    }
    for (size_t l = 0; l <= m->nhidden; l++) {
        size_t in, out;
        hs_mlp_layer(m, l, NULL, NULL, &in, &out);
        sb_printf(b, "    /* layer %zu: %zu -> %zu */\n", l + 1, in, out);
        sb_printf(b, "    for (o = 0; o < %zu; o++) {\n", out);
        sb_printf(b, "        z = 0.0;\n");
        sb_printf(b, "        for (i = 0; i < %zu; i++)\n", in);
        if (l > 0)
            sb_printf(b, "            z += %s_w%zu[o * %zu + i] * h[%zu][i];\n", func, l, in,
                      (l - 1) % 2);
        else if (stack_in)
            sb_printf(b, "            z += %s_w0[o * %zu + i] * s[i];\n", func, in);
        else
            sb_printf(b,
                      "            z += %s_w0[o * %zu + i] *\n"
                      "                 (x[i] != x[i] ? 0.0 : (x[i] - %s_mean[i]) * (1.0 / "
                      "%s_sd[i]));\n",
                      func, in, func, func);
        sb_printf(b, "        z += %s_b%zu[o];\n", func, l);
        if (l < m->nhidden) {
            const char *a = act_c[m->act];
            sb_printf(b, "        h[%zu][o] = ", l % 2);
            if (strncmp(a, "FUNC", 4) == 0)
                sb_printf(b, "%s%s;\n", func, a + 4);
            else
                sb_printf(b, "%s;\n", a);
        }
        sb_printf(b, "    }\n");
    }
    sb_printf(b, "    return %s_sigmoid(z);\n}\n", func);
}

int
hs_mlp_export_c(const struct hs_mlp *m, const char *const *names, const char *func,
                char **out, struct hs_err *err)
{
    struct sbuf b = {0};
    int rc;

    *out = NULL;
    if (!func || !hs_name_is_identifier(func) || is_reserved(func))
        return hs_err_set(err, HS_EUSAGE,
                          "'%s' cannot name a C function: use letters, digits and '_', not a "
                          "keyword or a <math.h> name",
                          func ? func : "");
    rc = check_model(m, err);
    if (rc != HS_OK)
        return rc;

    sb_printf(&b, "/* %s: the score of a multilayer perceptron, generated by hepscope %s.\n",
              func, PACKAGE_VERSION);
    sb_printf(&b, " *\n *   double %s(const double *x);\n *\n", func);
    sb_printf(&b, " * returns the probability of signal of one event from its %zu raw inputs\n"
                  " * x[0..%zu), in the order below.  Each input is standardised with the\n"
                  " * training part's mean and standard deviation, (x - mean) / sd, and a\n"
                  " * missing input (NaN) is replaced by the mean.\n *\n",
              m->nin, m->nin);
    sb_printf(&b, " *   x[i]  name: mean, sd\n");
    for (size_t i = 0; i < m->nin; i++) {
        sb_printf(&b, " *   %zu  ", i);
        if (names && names[i])
            sb_comment_text(&b, names[i]);
        else
            sb_printf(&b, "(input %zu)", i);
        sb_printf(&b, ": %.17g, %.17g\n", m->mean[i], m->sd[i]);
    }
    sb_printf(&b, " *\n * Network: %zu inputs", m->nin);
    for (size_t l = 0; l < m->nhidden; l++)
        sb_printf(&b, " -> %zu", m->width[l]);
    sb_printf(&b, " -> 1 output; %s activation in the hidden layers,\n * sigmoid output.\n",
              hs_act_name(m->act));
    sb_printf(&b, " * Numbers are hexadecimal floating constants, which read back exactly.\n"
                  " * Depends on nothing but <math.h> (link with -lm).\n */\n");
    sb_printf(&b, "#include <math.h>\n\n");
    sb_printf(&b, "double %s(const double *x);\n\n", func);
    sb_array(&b, func, "mean", m->mean, m->nin);
    sb_array(&b, func, "sd", m->sd, m->nin);
    for (size_t l = 0; l <= m->nhidden; l++) {
        size_t wo, bo, in, nout;
        char name[32];
        hs_mlp_layer(m, l, &wo, &bo, &in, &nout);
        snprintf(name, sizeof name, "w%zu", l);
        sb_array(&b, func, name, m->params + wo, nout * in);
        snprintf(name, sizeof name, "b%zu", l);
        sb_array(&b, func, name, m->params + bo, nout);
    }
    export_sigmoid(&b, func);
    export_body(&b, m, func);
    if (b.failed) {
        hs_free(b.s);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    *out = b.s;
    return HS_OK;
}

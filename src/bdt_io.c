/* bdt_io.c: the "bdt" model kind: a struct hs_forest scored, stored,
 * shown and exported as C.
 *
 * The byte string (format version 1), little endian whatever the host
 * (src/bytes.h):
 *   "HSBDT"              5 bytes, the magic
 *   version              1 byte
 *   nin, ntrees, nnodes, rounds    u32 each
 *   base                 IEEE-754 binary64
 *   size[ntrees]         u32, the nodes of each tree
 *   nnodes nodes         feature (u32, 0xffffffff for a leaf), left, right
 *                        (u32), missing_left (1 byte), threshold, value,
 *                        cover, gain (binary64)
 *   checksum             u64, FNV-1a 64 of every byte before it
 * A reader checks the magic, the version, the counts against their
 * limits and the exact length they imply, and the checksum, before it
 * allocates; the forest read back must pass hs_forest_check.
 *
 * The score is sigmoid(raw) with raw = base + the trees' leaf values
 * added in tree order, here (hs_forest_raw) and in the exported C, which
 * walks the same tables and so gives the same doubles.
 */
#include "config.h"

#include "bdt.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "cexport.h"
#include "fisher.h"
#include "forest.h"
#include "mem.h"
#include "par.h"

#define BDT_FORMAT_VERSION 1
#define BDT_MAGIC "HSBDT"
#define BDT_MAGIC_LEN 5
#define BDT_HEAD (BDT_MAGIC_LEN + 1 + 4 * 4 + 8)
#define BDT_NODE_BYTES (4 * 3 + 1 + 8 * 4)
#define BDT_MAX_NIN 100000
#define BDT_MAX_TREES 1000000
#define BDT_MAX_NODES ((uint64_t)1 << 31)

static int
damaged(struct hs_err *err, const char *what)
{
    return hs_err_set(err, HS_EDATA, "model data is damaged: %s", what);
}

static uint64_t
blob_len(uint64_t ntrees, uint64_t nnodes)
{
    return BDT_HEAD + 4 * ntrees + BDT_NODE_BYTES * nnodes + 8;
}

static int
kind_serialize(const void *impl, unsigned char **buf, size_t *len, struct hs_err *err)
{
    const struct hs_forest *f = impl;
    *buf = NULL;
    *len = 0;
    size_t nnodes = f->start[f->ntrees];
    if (f->nin == 0 || f->nin > BDT_MAX_NIN || f->ntrees > BDT_MAX_TREES ||
        nnodes > BDT_MAX_NODES || f->rounds > UINT32_MAX)
        return hs_err_set(err, HS_ERANGE, "a forest of %zu inputs, %zu trees and %zu nodes "
                                          "is beyond what a model stores",
                          f->nin, f->ntrees, nnodes);
    uint64_t n = blob_len(f->ntrees, nnodes);
    if (n > SIZE_MAX)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    unsigned char *b = hs_malloc((size_t)n), *p;
    if (!b)
        return hs_err_set(err, HS_ENOMEM, "out of memory storing a forest");
    memcpy(b, BDT_MAGIC, BDT_MAGIC_LEN);
    p = b + BDT_MAGIC_LEN;
    *p++ = BDT_FORMAT_VERSION;
    p = hs_bytes_put_u32(p, (uint32_t)f->nin);
    p = hs_bytes_put_u32(p, (uint32_t)f->ntrees);
    p = hs_bytes_put_u32(p, (uint32_t)nnodes);
    p = hs_bytes_put_u32(p, (uint32_t)f->rounds);
    p = hs_bytes_put_f64(p, f->base);
    for (size_t t = 0; t < f->ntrees; t++)
        p = hs_bytes_put_u32(p, (uint32_t)(f->start[t + 1] - f->start[t]));
    for (size_t i = 0; i < nnodes; i++) {
        const struct hs_forest_node *d = &f->nodes[i];
        p = hs_bytes_put_u32(p, (uint32_t)d->feature);
        p = hs_bytes_put_u32(p, d->left);
        p = hs_bytes_put_u32(p, d->right);
        *p++ = d->missing_left ? 1 : 0;
        p = hs_bytes_put_f64(p, d->threshold);
        p = hs_bytes_put_f64(p, d->value);
        p = hs_bytes_put_f64(p, d->cover);
        p = hs_bytes_put_f64(p, d->gain);
    }
    hs_bytes_put_u64(p, hs_bytes_fnv1a64(b, (size_t)(p - b)));
    *buf = b;
    *len = (size_t)n;
    return HS_OK;
}

static int
kind_deserialize(const unsigned char *buf, size_t len, void **impl, size_t *nin_out,
                 struct hs_err *err)
{
    *impl = NULL;
    if (nin_out)
        *nin_out = 0;
    if (!buf || len < BDT_HEAD + 8)
        return damaged(err, "too short to be a model");
    if (memcmp(buf, BDT_MAGIC, BDT_MAGIC_LEN) != 0)
        return damaged(err, "not a hepscope boosted-trees model");
    if (buf[BDT_MAGIC_LEN] != BDT_FORMAT_VERSION)
        return hs_err_set(err, HS_EDATA,
                          "model data is damaged: format version %u is not known (this "
                          "hepscope reads version %d)",
                          buf[BDT_MAGIC_LEN], BDT_FORMAT_VERSION);
    const unsigned char *p = buf + BDT_MAGIC_LEN + 1;
    uint32_t nin = hs_bytes_get_u32(p), ntrees = hs_bytes_get_u32(p + 4),
             nnodes = hs_bytes_get_u32(p + 8), rounds = hs_bytes_get_u32(p + 12);
    if (nin == 0 || nin > BDT_MAX_NIN)
        return hs_err_set(err, HS_EDATA, "model data is damaged: %" PRIu32 " inputs", nin);
    if (ntrees > BDT_MAX_TREES || nnodes > BDT_MAX_NODES || nnodes < ntrees)
        return hs_err_set(err, HS_EDATA,
                          "model data is damaged: %" PRIu32 " trees of %" PRIu32 " nodes",
                          ntrees, nnodes);
    uint64_t want = blob_len(ntrees, nnodes);
    if (len < want)
        return damaged(err, "truncated");
    if (len > want)
        return damaged(err, "unexpected bytes after the end");
    if (hs_bytes_fnv1a64(buf, len - 8) != hs_bytes_get_u64(buf + len - 8))
        return damaged(err, "checksum mismatch");
    double base = hs_bytes_get_f64(p + 16);
    p += 24;
    struct hs_forest *f = hs_forest_new(nin, base);
    if (!f)
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    f->rounds = rounds;
    const unsigned char *q = p + 4 * (size_t)ntrees;
    uint64_t seen = 0;
    int rc = HS_OK;
    struct hs_forest_node *tmp = NULL;
    for (uint32_t t = 0; t < ntrees && rc == HS_OK; t++) {
        uint32_t size = hs_bytes_get_u32(p + 4 * (size_t)t);
        if (size == 0 || size > nnodes - seen) {
            rc = damaged(err, "tree sizes do not add up to the nodes");
            break;
        }
        struct hs_forest_node *nt = hs_realloc(tmp, size * sizeof *nt);
        if (!nt) {
            rc = hs_err_set(err, HS_ENOMEM, "out of memory");
            break;
        }
        tmp = nt;
        for (uint32_t i = 0; i < size; i++, q += BDT_NODE_BYTES) {
            struct hs_forest_node *d = &tmp[i];
            d->feature = (int32_t)hs_bytes_get_u32(q);
            d->left = hs_bytes_get_u32(q + 4);
            d->right = hs_bytes_get_u32(q + 8);
            if (q[12] > 1) {
                rc = damaged(err, "a missing-value direction is neither left nor right");
                break;
            }
            d->missing_left = q[12] == 1;
            d->threshold = hs_bytes_get_f64(q + 13);
            d->value = hs_bytes_get_f64(q + 21);
            d->cover = hs_bytes_get_f64(q + 29);
            d->gain = hs_bytes_get_f64(q + 37);
        }
        seen += size;
        if (!rc)
            rc = hs_forest_add_tree(f, tmp, size, err);
    }
    hs_free(tmp);
    if (!rc && seen != nnodes)
        rc = damaged(err, "tree sizes do not add up to the nodes");
    if (!rc)
        rc = hs_forest_check(f, err);
    if (rc) {
        hs_forest_free(f);
        return rc == HS_ENOMEM ? rc : HS_EDATA;
    }
    *impl = f;
    if (nin_out)
        *nin_out = nin;
    return HS_OK;
}

static int
kind_score(const void *impl, const double *const *x, size_t n, double *out,
           const struct hs_task *task, struct hs_err *err)
{
    int rc = hs_forest_raw(impl, x, n, out, hs_par_threads(), task, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        out[i] = hs_fisher_sigmoid(out[i]);
    return HS_OK;
}

/* A tree's depth (root 0) and leaves. */
static void
tree_shape(const struct hs_forest *f, size_t t, size_t *depth, size_t *leaves)
{
    const struct hs_forest_node *nd = f->nodes + f->start[t];
    size_t n = f->start[t + 1] - f->start[t], dmax = 0, nl = 0;
    size_t dstack[64] = {0}, *d = n <= 64 ? dstack : hs_calloc(n, sizeof *d);
    if (!d) {
        *depth = *leaves = 0;
        return;
    }
    /* children come after their parent, so one forward pass sees each
     * parent's depth before its children */
    d[0] = 0;
    for (size_t i = 0; i < n; i++) {
        if (nd[i].feature < 0) {
            nl++;
            if (d[i] > dmax)
                dmax = d[i];
        } else {
            d[nd[i].left] = d[nd[i].right] = d[i] + 1;
        }
    }
    if (d != dstack)
        hs_free(d);
    *depth = dmax;
    *leaves = nl;
}

static void
kind_describe(const void *impl, char *buf, size_t size)
{
    const struct hs_forest *f = impl;
    size_t dmax = 0;
    for (size_t t = 0; t < f->ntrees; t++) {
        size_t dep, nl;
        tree_shape(f, t, &dep, &nl);
        if (dep > dmax)
            dmax = dep;
    }
    snprintf(buf, size, "%zu tree%s, depth %zu", f->ntrees, f->ntrees == 1 ? "" : "s", dmax);
}

static const char *
input_name(const char *const *names, size_t i, char *tmp, size_t size)
{
    if (names && names[i])
        return names[i];
    snprintf(tmp, size, "input %zu", i + 1);
    return tmp;
}

/* The trees, the best round, the leaves, and each input's total gain
 * (the sum of the gains of the splits on it), largest first. */
static int
kind_details(const void *impl, const char *const *names, char **out, struct hs_err *err)
{
    const struct hs_forest *f = impl;
    struct hs_strbuf b = {0};
    double *gain = hs_calloc(f->nin, sizeof *gain);
    size_t *splits = hs_calloc(f->nin, sizeof *splits), *order = hs_malloc(f->nin * sizeof *order);
    size_t leaves = 0, dmax = 0, width = strlen("input");
    long double total = 0;
    char tmp[32];

    *out = NULL;
    if (!gain || !splits || !order) {
        hs_free(gain);
        hs_free(splits);
        hs_free(order);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t t = 0; t < f->ntrees; t++) {
        size_t dep, nl;
        tree_shape(f, t, &dep, &nl);
        leaves += nl;
        dmax = dep > dmax ? dep : dmax;
    }
    for (size_t i = 0; i < f->start[f->ntrees]; i++)
        if (f->nodes[i].feature >= 0) {
            gain[f->nodes[i].feature] += f->nodes[i].gain;
            splits[f->nodes[i].feature]++;
            total += f->nodes[i].gain;
        }
    for (size_t i = 0; i < f->nin; i++) {
        order[i] = i;
        size_t k = strlen(input_name(names, i, tmp, sizeof tmp));
        width = k > width ? k : width;
    }
    /* insertion sort: stable, inputs of equal gain in the model's order */
    for (size_t i = 1; i < f->nin; i++)
        for (size_t m = i; m > 0 && gain[order[m - 1]] < gain[order[m]]; m--) {
            size_t t = order[m];
            order[m] = order[m - 1];
            order[m - 1] = t;
        }
    hs_strbuf_printf(&b, "boosted trees: score = sigmoid(base + sum of the trees' leaf "
                         "values); x < threshold goes left\n");
    hs_strbuf_printf(&b, "trees: %zu", f->ntrees);
    if (f->rounds)
        hs_strbuf_printf(&b, " (best round %zu of %zu run)", f->ntrees, f->rounds);
    hs_strbuf_printf(&b, ", %zu leaves, depth %zu at most\n", leaves, dmax);
    hs_strbuf_printf(&b, "base (log-odds): %.10g\n", f->base);
    hs_strbuf_printf(&b, "%-*s  %14s  %7s  %7s\n", (int)width, "input", "total gain", "share",
                     "splits");
    for (size_t k = 0; k < f->nin; k++) {
        size_t i = order[k];
        hs_strbuf_printf(&b, "%-*s  %14.6g  %6.2f%%  %7zu\n", (int)width,
                         input_name(names, i, tmp, sizeof tmp), gain[i],
                         total > 0 ? (double)(100 * gain[i] / total) : 0.0, splits[i]);
    }
    hs_free(gain);
    hs_free(splits);
    hs_free(order);
    return hs_cexport_finish(&b, out, err);
}

static void
int_array(struct hs_strbuf *b, const char *func, const char *type, const char *name,
          const struct hs_forest *f, int which)
{
    size_t n = f->start[f->ntrees];
    hs_strbuf_printf(b, "static const %s %s_%s[%zu] = {", type, func, name, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        const struct hs_forest_node *d = &f->nodes[i];
        long v = which == 0 ? (long)d->feature
                 : which == 1 ? (long)d->left
                 : which == 2 ? (long)d->right
                              : (long)d->missing_left;
        hs_strbuf_printf(b, i % 12 == 0 ? "\n    %ld," : " %ld,", v);
    }
    hs_strbuf_printf(b, n ? "\n};\n" : "0};\n");
}

static int
kind_export_c(const void *impl, const char *const *names, const char *func, char **out,
              struct hs_err *err)
{
    const struct hs_forest *f = impl;
    struct hs_strbuf b = {0};
    size_t n = f->start[f->ntrees];
    char tmp[32];

    *out = NULL;
    int rc = hs_cexport_check_name(func, err);
    if (rc != HS_OK)
        return rc;
    double *thr = hs_malloc((n ? n : 1) * sizeof *thr), *val = hs_malloc((n ? n : 1) * sizeof *val);
    if (!thr || !val) {
        hs_free(thr);
        hs_free(val);
        return hs_err_set(err, HS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        thr[i] = f->nodes[i].threshold;
        val[i] = f->nodes[i].value;
    }
    if (n == 0)
        thr[0] = val[0] = 0;
    hs_strbuf_printf(&b, "/* %s: the score of %zu boosted decision trees, generated by "
                         "hepscope %s.\n", func, f->ntrees, PACKAGE_VERSION);
    hs_strbuf_printf(&b, " *\n *   double %s(const double *x);\n *\n", func);
    hs_strbuf_printf(&b, " * returns the probability of signal of one event from its %zu raw "
                         "inputs\n * x[0..%zu), in the order below: sigmoid(base + the leaf "
                         "value of each\n * tree).  A tree's walk starts at its first node; "
                         "an inner node sends x\n * left when x[feature] < threshold, and a "
                         "missing input (NaN) the way\n * missing_left says.\n *\n",
                     f->nin, f->nin);
    for (size_t i = 0; i < f->nin; i++) {
        hs_strbuf_printf(&b, " *   x[%zu]  ", i);
        hs_cexport_comment(&b, input_name(names, i, tmp, sizeof tmp));
        hs_strbuf_printf(&b, "\n");
    }
    hs_strbuf_printf(&b, " *\n * Numbers are hexadecimal floating constants, which read back "
                         "exactly.\n * Depends on nothing but <math.h> (link with -lm).\n */\n");
    hs_strbuf_printf(&b, "#include <math.h>\n\n");
    hs_strbuf_printf(&b, "double %s(const double *x);\n\n", func);
    int_array(&b, func, "long", "feature", f, 0);
    int_array(&b, func, "long", "left", f, 1);
    int_array(&b, func, "long", "right", f, 2);
    int_array(&b, func, "unsigned char", "missing_left", f, 3);
    hs_cexport_array(&b, func, "threshold", thr, n ? n : 1);
    hs_cexport_array(&b, func, "value", val, n ? n : 1);
    hs_strbuf_printf(&b, "static const long %s_start[%zu] = {", func, f->ntrees + 1);
    for (size_t t = 0; t <= f->ntrees; t++)
        hs_strbuf_printf(&b, t % 12 == 0 ? "\n    %zu," : " %zu,", f->start[t]);
    hs_strbuf_printf(&b, "\n};\nstatic const double %s_base = ", func);
    hs_strbuf_c_double(&b, f->base);
    hs_strbuf_printf(&b, ";\n");
    hs_cexport_sigmoid(&b, func);
    hs_strbuf_printf(&b,
                     "\ndouble\n%s(const double *x)\n{\n"
                     "    double z = %s_base;\n"
                     "    long t;\n\n"
                     "    for (t = 0; t < %zu; t++) {\n"
                     "        long o = %s_start[t], i = 0;\n"
                     "        while (%s_feature[o + i] >= 0) {\n"
                     "            double v = x[%s_feature[o + i]];\n"
                     "            int left = v != v ? %s_missing_left[o + i] : v < "
                     "%s_threshold[o + i];\n"
                     "            i = left ? %s_left[o + i] : %s_right[o + i];\n"
                     "        }\n"
                     "        z += %s_value[o + i];\n"
                     "    }\n"
                     "    return %s_sigmoid(z);\n}\n",
                     func, func, f->ntrees, func, func, func, func, func, func, func, func,
                     func);
    hs_free(thr);
    hs_free(val);
    return hs_cexport_finish(&b, out, err);
}

static void
kind_free(void *impl)
{
    hs_forest_free(impl);
}

const struct hs_model_kind hs_model_kind_bdt = {
    .name = "bdt",
    .serialize = kind_serialize,
    .deserialize = kind_deserialize,
    .score = kind_score,
    .describe = kind_describe,
    .details = kind_details,
    .export_c = kind_export_c,
    .free = kind_free,
};

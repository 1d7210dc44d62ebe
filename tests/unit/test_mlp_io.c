/* Unit tests of a network's storage and C export (src/mlp_io.c): the
 * byte layout against one written out by hand, bit-identical round trips,
 * every truncation and flipped byte of a blob, hostile sizes, and the
 * exported C compiled with cc and run on random events (with missing
 * values) against hs_mlp_score and a forward pass written here. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_export.h"
#include "test_util.h"

#include "mem.h"
#include "mlp.h"

/* A network of the given shape with random weights and standardisation
 * from the test's own stream. */
static struct hs_mlp *
make_model(size_t nin, size_t nhidden, const size_t *width, enum hs_act act, uint64_t seed)
{
    struct hs_mlp_config c;
    struct hs_mlp *m = NULL;
    uint64_t r = seed | 1;

    hs_mlp_config_default(&c);
    c.nhidden = nhidden;
    for (size_t l = 0; l < nhidden; l++)
        c.width[l] = width[l];
    c.act = act;
    assert_int_equal(hs_mlp_new(&c, nin, &m, NULL), HS_OK);
    for (size_t i = 0; i < m->nparams; i++)
        m->params[i] = tu_box_muller(tu_unit(tu_xorshift(&r)), tu_unit(tu_xorshift(&r))) * 0.7;
    for (size_t j = 0; j < nin; j++) {
        m->mean[j] = (tu_unit(tu_xorshift(&r)) - 0.5) * 100;
        m->sd[j] = 0.1 + tu_unit(tu_xorshift(&r)) * 20;
    }
    return m;
}

/* The score written out plainly from the header's description. */
static double
forward(const struct hs_mlp *m, const double *x)
{
    double a[HS_MLP_MAX_WIDTH], b[HS_MLP_MAX_WIDTH], *in = a, *out = b, z = 0;
    size_t nin = m->nin, off = 0;

    for (size_t j = 0; j < m->nin; j++)
        a[j] = isnan(x[j]) ? 0 : (x[j] - m->mean[j]) / m->sd[j];
    for (size_t l = 0; l <= m->nhidden; l++) {
        size_t nout = l < m->nhidden ? m->width[l] : 1;
        const double *w = m->params + off, *bias = w + nout * nin;
        for (size_t o = 0; o < nout; o++) {
            z = bias[o];
            for (size_t i = 0; i < nin; i++)
                z += w[o * nin + i] * in[i];
            if (l < m->nhidden) {
                switch (m->act) {
                case HS_ACT_RELU: z = z > 0 ? z : 0; break;
                case HS_ACT_LEAKY_RELU: z = z > 0 ? z : 0.01 * z; break;
                case HS_ACT_TANH: z = tanh(z); break;
                case HS_ACT_SIGMOID: z = 1 / (1 + exp(-z)); break;
                case HS_ACT_IDENTITY: break;
                }
                out[o] = z;
            }
        }
        off += nout * nin + nout;
        nin = nout;
        double *t = in;
        in = out;
        out = t;
    }
    return 1 / (1 + exp(-z));
}

/* n random events (columns), about one value in ten missing. */
static double **
make_events(const struct hs_mlp *m, size_t n, uint64_t seed)
{
    double **x = malloc(m->nin * sizeof *x);
    uint64_t r = seed | 1;

    for (size_t j = 0; j < m->nin; j++) {
        x[j] = malloc(n * sizeof **x);
        for (size_t i = 0; i < n; i++) {
            double u = tu_unit(tu_xorshift(&r));
            x[j][i] = u < 0.1 ? NAN
                              : m->mean[j] + m->sd[j] * tu_box_muller(tu_unit(tu_xorshift(&r)),
                                                                      tu_unit(tu_xorshift(&r)));
        }
    }
    return x;
}

static void
free_events(double **x, size_t nin)
{
    for (size_t j = 0; j < nin; j++)
        free(x[j]);
    free(x);
}

static int
rel_close(double a, double b, double tol)
{
    return fabs(a - b) <= tol * fmax(fabs(a), fabs(b)) || a == b || (isnan(a) && isnan(b));
}

/* ---- the byte format ---- */

/* The layout of a tiny model, byte by byte as the format describes it,
 * with values whose IEEE-754 bits are known. */
static void
test_layout(void **state)
{
    const size_t width[] = {2};
    struct hs_mlp *m = make_model(1, 1, width, HS_ACT_TANH, 1);
    unsigned char *buf;
    size_t len;

    (void)state;
    m->mean[0] = 1.5; /* 0x3ff8000000000000 */
    m->sd[0] = -2.0;  /* 0xc000000000000000 */
    for (size_t i = 0; i < m->nparams; i++)
        m->params[i] = 0.0;
    m->params[m->nparams - 1] = 0x1.23456789abcdep-3;
    assert_int_equal(hs_mlp_serialize(m, &buf, &len, NULL), HS_OK);
    /* magic, version, nin 1, nhidden 1, width 2, act 2, nparams 7, then
     * 9 doubles and the checksum */
    assert_int_equal(m->nparams, 7);
    assert_int_equal(len, 5 + 1 + 4 + 4 + 4 + 4 + 8 + 9 * 8 + 8);
    assert_memory_equal(buf, "HSMLP\x01", 6);
    assert_memory_equal(buf + 6, "\x01\0\0\0\x01\0\0\0\x02\0\0\0\x02\0\0\0", 16);
    assert_memory_equal(buf + 22, "\x07\0\0\0\0\0\0\0", 8);
    assert_memory_equal(buf + 30, "\0\0\0\0\0\0\xf8\x3f", 8);
    assert_memory_equal(buf + 38, "\0\0\0\0\0\0\0\xc0", 8);
    assert_true(tu_le64(buf + 30 + 8 * 8) == UINT64_C(0x3fc23456789abcde));
    /* FNV-1a 64 of everything before the checksum, computed here */
    uint64_t h = UINT64_C(14695981039346656037);
    for (size_t i = 0; i < len - 8; i++)
        h = (h ^ buf[i]) * UINT64_C(1099511628211);
    assert_true(tu_le64(buf + len - 8) == h);
    hs_free(buf);
    hs_mlp_free(m);
}

static void
assert_same_model(const struct hs_mlp *a, const struct hs_mlp *b)
{
    assert_int_equal(a->nin, b->nin);
    assert_int_equal(a->nhidden, b->nhidden);
    assert_int_equal(a->act, b->act);
    assert_int_equal(a->nparams, b->nparams);
    for (size_t l = 0; l < a->nhidden; l++)
        assert_int_equal(a->width[l], b->width[l]);
    assert_memory_equal(a->mean, b->mean, a->nin * sizeof *a->mean);
    assert_memory_equal(a->sd, b->sd, a->nin * sizeof *a->sd);
    assert_memory_equal(a->params, b->params, a->nparams * sizeof *a->params);
}

static void
test_round_trip(void **state)
{
    const size_t widths[][3] = {{0}, {5}, {7, 3}, {64, 64, 2}};
    const size_t nh[] = {0, 1, 2, 3};

    (void)state;
    for (int shape = 0; shape < 4; shape++) {
        for (int act = HS_ACT_RELU; act <= HS_ACT_IDENTITY; act++) {
            struct hs_mlp *m = make_model(4 + shape, nh[shape], widths[shape], act,
                                          (uint64_t)(shape * 10 + act + 1));
            struct hs_mlp *back = NULL;
            unsigned char *buf;
            size_t len, n = 200;
            if (shape == 1) {
                /* special values survive as bits */
                m->params[0] = -0.0;
                m->params[1] = INFINITY;
                m->params[2] = 0x1p-1074;
                m->mean[0] = NAN;
            }
            assert_int_equal(hs_mlp_serialize(m, &buf, &len, NULL), HS_OK);
            assert_int_equal(hs_mlp_deserialize(buf, len, &back, NULL), HS_OK);
            assert_same_model(m, back);
            if (shape != 1) {
                double **x = make_events(m, n, 99);
                double *s1 = malloc(n * sizeof *s1), *s2 = malloc(n * sizeof *s2);
                assert_int_equal(hs_mlp_score(m, (const double *const *)x, n, s1, NULL, NULL),
                                 HS_OK);
                assert_int_equal(
                    hs_mlp_score(back, (const double *const *)x, n, s2, NULL, NULL), HS_OK);
                assert_memory_equal(s1, s2, n * sizeof *s1);
                /* and hs_mlp_score is the network the header describes */
                for (size_t i = 0; i < n; i++) {
                    double xi[16];
                    for (size_t j = 0; j < m->nin; j++)
                        xi[j] = x[j][i];
                    assert_true(rel_close(s1[i], forward(m, xi), 1e-12));
                }
                free(s1);
                free(s2);
                free_events(x, m->nin);
            }
            hs_free(buf);
            hs_mlp_free(m);
            hs_mlp_free(back);
        }
    }
}

static void
expect_damaged(const unsigned char *buf, size_t len)
{
    struct hs_mlp *m = (struct hs_mlp *)&m; /* must be reset to NULL */
    struct hs_err err = {0};

    assert_int_equal(hs_mlp_deserialize(buf, len, &m, &err), HS_EDATA);
    assert_null(m);
    assert_int_equal(err.code, HS_EDATA);
    assert_non_null(strstr(err.msg, "model data is damaged"));
}

static void
test_damaged(void **state)
{
    const size_t width[] = {4, 3};
    struct hs_mlp *m = make_model(3, 2, width, HS_ACT_RELU, 5), *m2 = NULL;
    unsigned char *buf, *copy;
    size_t len;
    struct hs_err err = {0};

    (void)state;
    assert_int_equal(hs_mlp_serialize(m, &buf, &len, NULL), HS_OK);
    copy = malloc(len + 1);
    /* Every truncation, every changed byte, a byte too many. */
    tu_each_damage(buf, len, expect_damaged);
    /* Foreign magic, and a version from the future, named as such. */
    memcpy(copy, buf, len);
    copy[0] = 'X';
    assert_int_equal(hs_mlp_deserialize(copy, len, &m2, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "not a hepscope model"));
    assert_null(m2);
    memcpy(copy, buf, len);
    copy[5] = 9;
    struct hs_mlp *back = NULL;
    assert_int_equal(hs_mlp_deserialize(copy, len, &back, &err), HS_EDATA);
    assert_non_null(strstr(err.msg, "version 9"));
    assert_null(back);
    free(copy);
    hs_free(buf);
    hs_mlp_free(m);
}

static unsigned char *
put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        *p++ = (unsigned char)(v >> (8 * i));
    return p;
}

/* Headers asking for the largest shapes (or beyond) in a short blob: an
 * error before any allocation, which hs_mem_fail_after(0) would turn into
 * HS_ENOMEM. */
static void
test_hostile_sizes(void **state)
{
    unsigned char blob[256];
    struct hs_mlp *m = NULL;
    struct hs_err err = {0};
    const uint32_t nins[] = {100000, 100001, 0xffffffffu, 3};
    const uint32_t nhs[] = {16, 16, 2, 17};
    const uint32_t ws[] = {4096, 4097, 0xffffffffu, 0};

    (void)state;
    for (int k = 0; k < 4; k++) {
        unsigned char *p = blob;
        memset(blob, 0, sizeof blob);
        memcpy(p, "HSMLP\x01", 6);
        p = put32(p + 6, nins[k]);
        p = put32(p, nhs[k]);
        for (uint32_t l = 0; l < nhs[k] && l < 16; l++)
            p = put32(p, ws[k]);
        if (k == 0) {
            /* the right parameter count: only the length is wrong */
            uint64_t np = 100000ull * 4096 + 4096 + 15 * (4096ull * 4096 + 4096) + 4096 + 1;
            p = put32(p, 0);
            p = put32(p, (uint32_t)np);
            put32(p, (uint32_t)(np >> 32));
        }
        hs_mem_fail_after(0);
        assert_int_equal(hs_mlp_deserialize(blob, sizeof blob, &m, &err), HS_EDATA);
        hs_mem_fail_after(-1);
        assert_null(m);
        assert_non_null(strstr(err.msg, "model data is damaged"));
    }
}

static void
test_oom(void **state)
{
    const size_t width[] = {6};
    struct hs_mlp *m = make_model(4, 1, width, HS_ACT_SIGMOID, 8);
    unsigned char *buf = NULL;
    size_t len;
    int ok = 0;

    (void)state;
    for (long k = 0; k < 20 && !ok; k++) {
        struct hs_mlp *back = NULL;
        hs_mem_fail_after(k);
        int rc = hs_mlp_serialize(m, &buf, &len, NULL);
        if (rc == HS_OK)
            rc = hs_mlp_deserialize(buf, len, &back, NULL);
        hs_mem_fail_after(-1);
        if (rc == HS_OK) {
            assert_same_model(m, back);
            ok = 1;
        } else {
            assert_int_equal(rc, HS_ENOMEM);
            assert_null(back);
        }
        hs_free(buf);
        buf = NULL;
        hs_mlp_free(back);
    }
    assert_true(ok);
    for (long k = 0; k < 200 && ok; k++) {
        char *src = NULL;
        hs_mem_fail_after(k);
        int rc = hs_mlp_export_c(m, NULL, "f", &src, NULL);
        hs_mem_fail_after(-1);
        if (rc == HS_OK)
            ok = 2;
        else
            assert_null(src);
        hs_free(src);
    }
    assert_int_equal(ok, 2);
    hs_mlp_free(m);
}

static void
test_serialize_rejects(void **state)
{
    const size_t width[] = {3};
    struct hs_mlp *m = make_model(2, 1, width, HS_ACT_RELU, 3);
    unsigned char *buf = (unsigned char *)"x";
    size_t len = 7;
    struct hs_err err = {0};

    (void)state;
    m->nparams--;
    assert_int_not_equal(hs_mlp_serialize(m, &buf, &len, &err), HS_OK);
    assert_null(buf);
    assert_true(err.msg[0] != '\0');
    m->nparams++;
    m->width[0] = HS_MLP_MAX_WIDTH + 1;
    assert_int_not_equal(hs_mlp_serialize(m, &buf, &len, &err), HS_OK);
    m->width[0] = 3;
    hs_mlp_free(m);
}

/* ---- C export ---- */

static void
test_export_names(void **state)
{
    const char *bad[] = {"", "1f", "a-b", "int", "exp", "tanh", "sinf", "expl", "main",
                         "__f", "_Score", "a b"};
    const char *good[] = {"score", "f", "_f", "score_1", "expo", "tanhx", "sinh2"};
    const size_t width[] = {2};
    struct hs_mlp *m = make_model(2, 1, width, HS_ACT_RELU, 4);
    struct hs_err err = {0};
    char *src = NULL;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(hs_mlp_export_c(m, NULL, bad[i], &src, &err), HS_EUSAGE);
        assert_null(src);
    }
    assert_int_equal(hs_mlp_export_c(m, NULL, NULL, &src, &err), HS_EUSAGE);
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        assert_int_equal(hs_mlp_export_c(m, NULL, good[i], &src, &err), HS_OK);
        assert_non_null(strstr(src, "#include <math.h>"));
        hs_free(src);
        src = NULL;
    }
    hs_mlp_free(m);
}

/* Export, compile with the strictest flags, run on n events, compare. */
static void
check_export(const struct hs_mlp *m, const char *const *names, const char *func, size_t n,
             uint64_t seed)
{
    char *src = NULL;
    double **x = make_events(m, n, seed);
    double *want = malloc(n * sizeof *want), *got = malloc(n * sizeof *got);

    assert_int_equal(hs_mlp_export_c(m, names, func, &src, NULL), HS_OK);
    tx_run(src, func, (const double *const *)x, n, m->nin, got);
    hs_free(src);
    assert_int_equal(hs_mlp_score(m, (const double *const *)x, n, want, NULL, NULL), HS_OK);
    for (size_t i = 0; i < n; i++)
        if (!rel_close(got[i], want[i], 1e-12))
            fail_msg("event %zu: exported %.17g, hs_mlp_score %.17g", i, got[i], want[i]);
    free(want);
    free(got);
    free_events(x, m->nin);
}

static void
test_export_activations(void **state)
{
    const size_t width[] = {9, 5};
    const char *names[] = {"pt_lep", "eta */ int boom; /* x", "m_{ll} /* nested", "d?\?/",
                           "line\nbreak */"};

    (void)state;
    if (!tx_have_cc())
        skip();
    for (int act = HS_ACT_RELU; act <= HS_ACT_IDENTITY; act++) {
        struct hs_mlp *m = make_model(5, 2, width, act, (uint64_t)(act + 40));
        check_export(m, names, "hnl_score", 300, (uint64_t)act + 7);
        hs_mlp_free(m);
    }
}

static void
test_export_shapes(void **state)
{
    const size_t w1[] = {3}, w3[] = {16, 8, 4};
    struct hs_mlp *m;

    (void)state;
    if (!tx_have_cc())
        skip();
    /* logistic regression: no hidden layer */
    m = make_model(3, 0, NULL, HS_ACT_RELU, 11);
    check_export(m, NULL, "logit", 200, 1);
    hs_mlp_free(m);
    /* three hidden layers, non-finite standardisation left as it is */
    m = make_model(6, 3, w3, HS_ACT_TANH, 12);
    check_export(m, NULL, "deep", 300, 2);
    hs_mlp_free(m);
    /* non-finite numbers must compile too (as NAN and INFINITY): an
     * infinite sd silences its input, a -inf bias its relu unit, a NaN
     * mean spreads to every score but the missing input's */
    m = make_model(3, 1, w1, HS_ACT_RELU, 14);
    m->sd[0] = INFINITY;
    m->params[3 * 3] = -INFINITY;
    check_export(m, NULL, "nonfinite", 100, 4);
    m->mean[2] = NAN;
    check_export(m, NULL, "nonfinite", 50, 5);
    hs_mlp_free(m);
    /* more inputs than fit the exported function's stack array */
    m = make_model(4100, 1, w1, HS_ACT_LEAKY_RELU, 13);
    check_export(m, NULL, "_wide", 20, 3);
    hs_mlp_free(m);
}

/* Names reach the source only inside the comment, intact where safe. */
static void
test_export_comment(void **state)
{
    const size_t width[] = {2};
    const char *names[] = {"pt */ x", "eta"};
    struct hs_mlp *m = make_model(2, 1, width, HS_ACT_RELU, 21);
    char *src = NULL;
    const char *end;

    (void)state;
    assert_int_equal(hs_mlp_export_c(m, names, "f", &src, NULL), HS_OK);
    end = strstr(src, "*/");
    assert_non_null(end);
    /* the first comment ends after both names, before the code */
    assert_true(strstr(src, "eta") < end);
    assert_true(end < strstr(src, "#include"));
    assert_non_null(strstr(src, "pt * / x"));
    assert_non_null(strstr(src, "double f(const double *x)"));
    assert_non_null(strstr(src, "relu"));
    hs_free(src);
    hs_mlp_free(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_hostile_sizes),
        cmocka_unit_test(test_oom),
        cmocka_unit_test(test_serialize_rejects),
        cmocka_unit_test(test_export_names),
        cmocka_unit_test(test_export_comment),
        cmocka_unit_test_setup_teardown(test_export_activations, tx_setup, tx_teardown),
        cmocka_unit_test_setup_teardown(test_export_shapes, tx_setup, tx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

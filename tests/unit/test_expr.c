/* Unit tests of the expression language (src/expr*.c).
 *
 * References are computed here, independently: libm calls and exact
 * formulas for the functions, hand-derived values for the physics
 * helpers, and the M column of CMS open data for mass().
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include <cmocka.h>

#include "csv.h"
#include "expr.h"
#include "expr_int.h"
#include "mem.h"
#include "names.h"
#include "table.h"

static const double pi = 3.14159265358979323846;

/* ---- a fixture of columns ---- */

enum { C_A, C_B, C_C, C_X, C_Y, C_Z, C_ETA, C_PT, C_PSPACE, C_TICK, C_TYPE, C_EMU, C_DOCA,
       C_MU, C_TYPE2, NCOLS };

static const char *const names[NCOLS] = {
    "a", "b", "c", "x", "y", "z", "eta", "pt", "p T", "a`b", "type", "E_mu_plus", "doca", "µ",
    "type2",
};

static char cat_eb[] = "EB", cat_ee[] = "EE";
static char *type_cats[] = {cat_eb, cat_ee};
static struct hs_column type_col = {.name = (char *)"type", .kind = HS_COL_TEXT,
                                    .cats = type_cats, .ncats = 2, .cats_cap = 2};
/* The same strings in another order, and one that type lacks. */
static char cat_xx[] = "XX";
static char *type2_cats[] = {cat_ee, cat_xx, cat_eb};
static struct hs_column type2_col = {.name = (char *)"type2", .kind = HS_COL_TEXT,
                                     .cats = type2_cats, .ncats = 3, .cats_cap = 3};

static enum hs_col_kind kinds[NCOLS];
static const struct hs_column *colptrs[NCOLS];
static struct hs_expr_columns fixture;

static void
fixture_init(void)
{
    kinds[C_TYPE] = HS_COL_TEXT;
    colptrs[C_TYPE] = &type_col;
    kinds[C_TYPE2] = HS_COL_TEXT;
    colptrs[C_TYPE2] = &type2_col;
    fixture.n = NCOLS;
    fixture.names = names;
    fixture.kinds = kinds;
    fixture.cols = colptrs;
}

static struct hs_expr *
compile_ok(const char *src)
{
    struct hs_expr *e = NULL;
    struct hs_err err;
    int rc = hs_expr_compile(src, &fixture, &e, &err);
    if (rc != HS_OK)
        fail_msg("'%s' did not compile: %s", src, err.msg);
    return e;
}

/* Evaluate src on nrows rows; vals[c] (NULL: zeros) are the columns. */
static void
eval_rows(const char *src, const double *const *vals, size_t nrows, double *out,
          struct hs_expr_stats *st)
{
    struct hs_expr *e = compile_ok(src);
    struct hs_err err;
    int rc = hs_expr_eval(e, vals, nrows, out, st, NULL, &err);
    if (rc != HS_OK)
        fail_msg("'%s' did not evaluate: %s", src, err.msg);
    hs_expr_free(e);
}

/* src on one row where column a..z and friends hold the given values. */
static double
eval1(const char *src, double a, double b, double c)
{
    double cols[NCOLS], out = -12345;
    const double *ptrs[NCOLS];
    for (int i = 0; i < NCOLS; i++) {
        cols[i] = 0.25 * i;
        ptrs[i] = &cols[i];
    }
    cols[C_A] = a;
    cols[C_B] = b;
    cols[C_C] = c;
    eval_rows(src, ptrs, 1, &out, NULL);
    return out;
}

static void
expect_error(const char *src, int code, int col, const char *msg)
{
    struct hs_expr *e = NULL;
    struct hs_err err;
    int rc = hs_expr_compile(src, &fixture, &e, &err);
    if (rc == HS_OK) {
        hs_expr_free(e);
        fail_msg("'%s' compiled but should fail with \"%s\"", src, msg);
    }
    assert_null(e);
    assert_int_equal(rc, code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.msg, msg);
    assert_int_equal(err.col, col);
}

static void
assert_close(double got, double want, double rel)
{
    if (isnan(want)) {
        if (!isnan(got))
            fail_msg("got %.17g, want NaN", got);
        return;
    }
    if (isinf(want)) {
        if (got != want)
            fail_msg("got %.17g, want %g", got, want);
        return;
    }
    if (!(fabs(got - want) <= rel * fabs(want) + 1e-300))
        fail_msg("got %.17g, want %.17g (rel %g)", got, want, rel);
}

/* ---- tests ---- */

static void
test_precedence(void **state)
{
    (void)state;
    assert_close(eval1("-a^2", 3, 0, 0), -9, 0);
    assert_close(eval1("-2^2", 0, 0, 0), -4, 0);
    assert_close(eval1("2^3^2", 0, 0, 0), 512, 0);
    assert_close(eval1("(2^3)^2", 0, 0, 0), 64, 0);
    assert_close(eval1("2^-1", 0, 0, 0), 0.5, 0);
    assert_close(eval1("a^-b^2", 2, 2, 0), 1.0 / 16, 0);
    assert_close(eval1("a-b-c", 10, 3, 2), 5, 0);
    assert_close(eval1("a/b/c", 24, 3, 2), 4, 0);
    assert_close(eval1("a-b*c", 10, 3, 2), 4, 0);
    assert_close(eval1("(a-b)*c", 10, 3, 2), 14, 0);
    assert_close(eval1("a+b*c^2", 1, 2, 3), 19, 0);
    assert_close(eval1("- -a", 4, 0, 0), 4, 0);
    assert_close(eval1("+a", 4, 0, 0), 4, 0);
    assert_close(eval1("a*-b", 4, 2, 0), -8, 0);
    assert_close(eval1("1 + 2 < 4", 0, 0, 0), 1, 0);
    assert_close(eval1("a + 1 <= b * 2", 3, 2, 0), 1, 0);
    assert_close(eval1("(a > b) == 0", 1, 2, 0), 1, 0);
    assert_close(eval1("1 || 0 && 0", 0, 0, 0), 1, 0);     /* && binds tighter */
    assert_close(eval1("(1 || 0) && 0", 0, 0, 0), 0, 0);
    assert_close(eval1("!a", 0, 0, 0), 1, 0);
    assert_close(eval1("!a", 2.5, 0, 0), 0, 0);
    assert_close(eval1("!a == 0", 5, 0, 0), 1, 0);          /* (!a) == 0 */
    assert_close(eval1("!!a", -3, 0, 0), 1, 0);
    assert_close(eval1("a < b && b < c", 1, 2, 3), 1, 0);
    assert_close(eval1("a < b && b < c", 1, 3, 2), 0, 0);
    assert_close(eval1("a >= b || c != 2", 1, 3, 2), 0, 0);
    assert_close(eval1("a == 1 && b <= 3 && c > 1.5", 1, 3, 2), 1, 0);
    assert_close(eval1("1e3 + .5 + 5. + 2E-1 + 1e+1", 0, 0, 0), 1015.7, 1e-15);
    /* Numbers parse exactly: the same double as strtod. */
    assert_true(eval1("0.1", 0, 0, 0) == strtod("0.1", NULL));
    assert_true(eval1("a * 0.3", 1, 0, 0) == strtod("0.3", NULL));
}

struct fcase {
    const char *src;
    double (*f1)(double);
    double (*f2)(double, double);
};

static void
test_functions_vs_libm(void **state)
{
    static const struct fcase cases[] = {
        {"sqrt(a)", sqrt, NULL},   {"abs(a)", fabs, NULL},   {"log(a)", log, NULL},
        {"log10(a)", log10, NULL}, {"exp(a)", exp, NULL},    {"sin(a)", sin, NULL},
        {"cos(a)", cos, NULL},     {"tan(a)", tan, NULL},    {"asin(a)", asin, NULL},
        {"acos(a)", acos, NULL},   {"atan(a)", atan, NULL},  {"sinh(a)", sinh, NULL},
        {"cosh(a)", cosh, NULL},   {"tanh(a)", tanh, NULL},  {"atan2(a, b)", NULL, atan2},
        {"pow(a, b)", NULL, pow},  {"a ^ b", NULL, pow},     {"min(a, b)", NULL, fmin},
        {"max(a, b)", NULL, fmax},
    };
    static const double as[] = {0.3, 0.75, 1.5, 2.0, 17.25, 1e-5};
    static const double bs[] = {-2.5, 0.5, 3.0, 1.25, -0.125, 7.0};

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (size_t k = 0; k < sizeof as / sizeof as[0]; k++) {
            double a = as[k], b = bs[k];
            double want = cases[i].f1 ? cases[i].f1(a) : cases[i].f2(a, b);
            if (cases[i].f1 == asin || cases[i].f1 == acos)
                a = as[k] / 20, want = cases[i].f1(a);
            double got = eval1(cases[i].src, a, b, 0);
            if (!(fabs(got - want) <= 1e-15 * fabs(want)))
                fail_msg("%s at a=%g b=%g: got %.17g, want %.17g", cases[i].src, a, b, got, want);
        }
    }
    /* Variadic min and max, and constants folded at compile time. */
    assert_close(eval1("min(a, b, c, 7)", 3, -1, 2), -1, 0);
    assert_close(eval1("max(a, b, c, 7)", 3, -1, 2), 7, 0);
    assert_close(eval1("max(1, 2, 3) * sqrt(16)", 0, 0, 0), 12, 0);
    assert_close(eval1("min(a, b)", NAN, 1, 0), NAN, 0);
    assert_close(eval1("max(a, b)", 1, NAN, 0), NAN, 0);
    assert_close(eval1("sin(0.5) + cos(0.5)", 0, 0, 0), sin(0.5) + cos(0.5), 1e-15);
}

/* Eight columns of momenta: the mass helper and friends on one row. */
static double
phys(const char *src, const double v[8])
{
    static const char *const pn[8] = {"E1", "px1", "py1", "pz1", "E2", "px2", "py2", "pz2"};
    struct hs_expr_columns cols = {8, pn, NULL, NULL, NULL};
    struct hs_expr *e = NULL;
    struct hs_err err;
    const double *ptrs[8];
    double out;

    for (int i = 0; i < 8; i++)
        ptrs[i] = &v[i];
    if (hs_expr_compile(src, &cols, &e, &err) != HS_OK)
        fail_msg("%s: %s", src, err.msg);
    assert_int_equal(hs_expr_eval(e, ptrs, 1, &out, NULL, NULL, &err), HS_OK);
    hs_expr_free(e);
    return out;
}

static void
test_physics(void **state)
{
    const char *m = "mass(E1,px1,py1,pz1,E2,px2,py2,pz2)";
    (void)state;

    /* Two massless particles back to back: m = E1 + E2. */
    assert_close(phys(m, (double[]){5, 0, 0, 5, 5, 0, 0, -5}), 10, 0);
    /* (5; 3,4,0) + (13; -5,-12,0): E = 18, p = (-2,-8,0), m^2 = 324 - 68 = 256. */
    assert_close(phys(m, (double[]){5, 3, 4, 0, 13, -5, -12, 0}), 16, 0);
    /* At rest: m = E. */
    assert_close(phys(m, (double[]){3, 0, 0, 0, 4, 0, 0, 0}), 7, 0);
    /* Space-like: m^2 = 1 - 4 = -3 gives -sqrt(3), as TLorentzVector::M. */
    assert_close(phys(m, (double[]){1, 2, 0, 0, 0, 0, 0, 0}), -sqrt(3.0), 1e-15);
    /* Muon pair, m^2 = 2 m_mu^2 + 2 (E1 E2 - p1.p2) with p1 = (0,0,10), p2 = (0,1,0). */
    {
        double mmu = 0.10566, e1 = sqrt(100 + mmu * mmu), e2 = sqrt(1 + mmu * mmu);
        double want = sqrt(2 * mmu * mmu + 2 * e1 * e2);
        assert_close(phys(m, (double[]){e1, 0, 0, 10, e2, 0, 1, 0}), want, 1e-12);
    }
    assert_close(phys("pt(px1, py1)", (double[]){0, 3, 4, 0, 0, 0, 0, 0}), 5, 0);
    assert_close(phys("p(px1, py1, pz1)", (double[]){0, 2, 3, 6, 0, 0, 0, 0}), 7, 0);
    /* pt = 3, pz = 4: eta = asinh(4/3) = ln(4/3 + 5/3) = ln 3. */
    assert_close(phys("eta(px1, py1, pz1)", (double[]){0, 0, 3, 4, 0, 0, 0, 0}), log(3.0), 1e-15);
    assert_close(phys("eta(px1, py1, pz1)", (double[]){0, 3, 4, 0, 0, 0, 0, 0}), 0, 0);
    assert_close(phys("eta(px1, py1, pz1)", (double[]){0, 0, 0, -2, 0, 0, 0, 0}), -INFINITY, 0);
    /* theta = 45 degrees: eta = -ln tan(pi/8). */
    assert_close(phys("eta(px1, py1, pz1)", (double[]){0, 1, 0, 1, 0, 0, 0, 0}),
                 -log(tan(pi / 8)), 1e-15);
    /* E = 5, pz = 3: y = 1/2 ln(8/2) = ln 2. */
    assert_close(phys("rapidity(E1, pz1)", (double[]){5, 0, 0, 3, 0, 0, 0, 0}), log(2.0), 1e-15);
    assert_close(phys("rapidity(E1, pz1)", (double[]){5, 0, 0, -3, 0, 0, 0, 0}), -log(2.0),
                 1e-15);
    assert_close(phys("phi(px1, py1)", (double[]){0, 0, 1, 0, 0, 0, 0, 0}), pi / 2, 1e-15);
    assert_close(phys("phi(px1, py1)", (double[]){0, -1, 0, 0, 0, 0, 0, 0}), pi, 1e-15);
    assert_close(phys("phi(px1, py1)", (double[]){0, 1, -1, 0, 0, 0, 0, 0}), -pi / 4, 1e-15);
    assert_close(phys("dphi(E1, E2)", (double[]){0.5, 0, 0, 0, 0.25, 0, 0, 0}), 0.25, 0);
    assert_close(phys("dphi(E1, E2)", (double[]){3, 0, 0, 0, -3, 0, 0, 0}), 6 - 2 * pi, 1e-14);
    assert_close(phys("dphi(E1, E2)", (double[]){-3, 0, 0, 0, 3, 0, 0, 0}), 2 * pi - 6, 1e-14);
    assert_close(phys("dphi(E1, E2)", (double[]){0.1 + 20 * pi, 0, 0, 0, 0, 0, 0, 0}), 0.1,
                 1e-12);
    assert_close(phys("deltaR(E1, px1, E2, px2)", (double[]){1, 3, 0, 0, 0, -3, 0, 0}),
                 sqrt(1 + (6 - 2 * pi) * (6 - 2 * pi)), 1e-14);
    assert_close(phys("deltaR(E1, px1, E2, px2)", (double[]){0.5, 0, 0, 0, 0.2, 0.4, 0, 0}), 0.5,
                 1e-15);
    /* Opening angles: right, none, opposite, and a tiny one that acos loses. */
    assert_close(phys("angle(E1,px1,py1,pz1,E2,px2)", (double[]){1, 0, 0, 0, 1, 0, 0, 0}),
                 pi / 2, 1e-15);
    assert_close(phys("angle(E1,px1,py1,E1,px1,py1)", (double[]){1, 2, 3, 0, 0, 0, 0, 0}), 0, 0);
    assert_close(phys("angle(E1,px1,py1,pz1,E2,px2)", (double[]){1, 2, 3, -1, -2, -3, 0, 0}), pi,
                 1e-15);
    assert_close(phys("angle(E1,px1,py1,pz1,E2,px2)", (double[]){1, 0, 0, 1, 1e-8, 0, 0, 0}),
                 atan(1e-8), 1e-15);
    /* Every dphi of random angles lands in [-pi, pi] and differs from
     * phi1 - phi2 by a multiple of 2 pi. */
    srand(7);
    for (int i = 0; i < 1000; i++) {
        double p1 = (rand() / (double)RAND_MAX - 0.5) * 40, p2 = (rand() / (double)RAND_MAX - 0.5) * 40;
        double d = phys("dphi(E1, E2)", (double[]){p1, 0, 0, 0, p2, 0, 0, 0});
        double k = (p1 - p2 - d) / (2 * pi);
        assert_true(d >= -pi && d <= pi);
        assert_true(fabs(k - round(k)) < 1e-12);
    }
}

static void
test_nan_and_domain(void **state)
{
    double av[4] = {-1, 0, NAN, 4}, bv[4] = {0, 0, 1, 2}, out[4];
    const double *cols[NCOLS] = {0};
    struct hs_expr_stats st;

    (void)state;
    cols[C_A] = av;
    cols[C_B] = bv;
    eval_rows("log(a)", cols, 4, out, &st);
    assert_true(isnan(out[0]) && isnan(out[1]) && isnan(out[2]));
    assert_close(out[3], log(4.0), 1e-15);
    assert_int_equal(st.nrows, 4);
    assert_int_equal(st.nnan, 3);
    assert_int_equal(st.ndomain, 2);        /* log(-1), log(0); NaN in is not an error */
    eval_rows("sqrt(a)", cols, 4, out, &st);
    assert_int_equal(st.nnan, 2);
    assert_int_equal(st.ndomain, 1);
    eval_rows("a / b", cols, 4, out, &st);  /* -1/0, 0/0: NaN, counted */
    assert_true(isnan(out[0]) && isnan(out[1]) && isnan(out[2]));
    assert_close(out[3], 2, 0);
    assert_int_equal(st.ndomain, 2);
    eval_rows("sqrt(a) + log(a)", cols, 4, out, &st); /* counted per operation */
    assert_int_equal(st.ndomain, 3);
    eval_rows("pow(b, -1)", cols, 4, out, &st);
    assert_int_equal(st.ndomain, 2);
    /* A constant domain error is not folded away: counted on every row. */
    eval_rows("log(-1) + a", cols, 4, out, &st);
    assert_int_equal(st.ndomain, 4);
    assert_int_equal(st.nnan, 4);
    /* Comparisons with NaN are false (also !=); && || ! take NaN as false. */
    eval_rows("a < 1", cols, 4, out, &st);
    assert_true(out[0] == 1 && out[1] == 1 && out[2] == 0 && out[3] == 0);
    assert_int_equal(st.nnan, 0);
    eval_rows("a != 1", cols, 4, out, &st);
    assert_true(out[0] == 1 && out[1] == 1 && out[2] == 0 && out[3] == 1);
    eval_rows("a == a", cols, 4, out, &st);
    assert_true(out[0] == 1 && out[2] == 0);
    eval_rows("a && 1", cols, 4, out, &st);
    assert_true(out[0] == 1 && out[1] == 0 && out[2] == 0 && out[3] == 1);
    eval_rows("a || 0", cols, 4, out, &st);
    assert_true(out[0] == 1 && out[1] == 0 && out[2] == 0 && out[3] == 1);
    eval_rows("a || 1", cols, 4, out, &st);
    assert_true(out[2] == 1);
    eval_rows("!a", cols, 4, out, &st);
    assert_true(out[0] == 0 && out[1] == 1 && out[2] == 1 && out[3] == 0);
    /* Overflow is inf, not a domain error; inf - inf is. */
    eval_rows("exp(a * 1000)", cols, 4, out, &st);
    assert_true(isinf(out[3]));
    assert_int_equal(st.ndomain, 0);
    eval_rows("exp(a * 1000) - exp(a * 1000)", cols, 4, out, &st);
    assert_int_equal(st.ndomain, 1);
}

static void
test_text_columns(void **state)
{
    double tv[5] = {0, 1, NAN, 0, 1}, out[5];
    const double *cols[NCOLS] = {0};
    struct hs_expr_stats st;
    struct hs_expr *e;

    (void)state;
    cols[C_TYPE] = tv;
    eval_rows("type == \"EB\"", cols, 5, out, &st);
    assert_true(out[0] == 1 && out[1] == 0 && out[2] == 0 && out[3] == 1 && out[4] == 0);
    eval_rows("\"EE\" == type", cols, 5, out, &st);
    assert_true(out[0] == 0 && out[1] == 1 && out[2] == 0 && out[3] == 0 && out[4] == 1);
    eval_rows("type != \"EB\"", cols, 5, out, &st);
    assert_true(out[0] == 0 && out[1] == 1 && out[2] == 0 && out[3] == 0 && out[4] == 1);
    eval_rows("(type == \"EB\") + 2 * (type == \"EE\")", cols, 5, out, &st);
    assert_true(out[0] == 1 && out[1] == 2 && out[2] == 0);
    /* A string the column does not hold: unequal everywhere, and a warning. */
    e = compile_ok("type == \"ZZ\" || type != \"Z\\\"Z\"");
    assert_string_equal(hs_expr_warning(e), "string \"ZZ\" at 9 is not a value of column 'type'");
    assert_int_equal(hs_expr_eval(e, cols, 5, out, &st, NULL, NULL), HS_OK);
    assert_true(out[0] == 1 && out[1] == 1 && out[2] == 0 && out[3] == 1);
    assert_true(hs_expr_is_boolean(e));
    hs_expr_free(e);
    e = compile_ok("type == \"EE\"");
    assert_null(hs_expr_warning(e));
    hs_expr_free(e);

    expect_error("type < \"EB\"", HS_EUSAGE, 6,
                 "text can only be compared with '==' or '!=', not '<' at 6");
    expect_error("a == \"EB\"", HS_EUSAGE, 6,
                 "cannot compare number column 'a' with the string \"EB\" at 6");
    expect_error("(a + 1) != \"EB\"", HS_EUSAGE, 12,
                 "cannot compare a number with the string \"EB\" at 12");
    expect_error("type + 1", HS_EUSAGE, 1,
                 "text column 'type' at 1 can only be compared with a string");
    expect_error("type == 1", HS_EUSAGE, 1,
                 "text column 'type' at 1 can only be compared with a string");
    expect_error("sqrt(type)", HS_EUSAGE, 6,
                 "text column 'type' at 6 can only be compared with a string");
    expect_error("type", HS_EUSAGE, 1,
                 "text column 'type' at 1 can only be compared with a string");
    expect_error("\"EB\"", HS_EUSAGE, 1,
                 "string \"EB\" at 1 can only be compared with a text column");
    expect_error("\"a\" == \"b\"", HS_EUSAGE, 1,
                 "string \"a\" at 1 can only be compared with a text column");
    expect_error("type2 < type", HS_EUSAGE, 7,
                 "text can only be compared with '==' or '!=', not '<' at 7");
    expect_error("-\"EB\"", HS_EUSAGE, 2,
                 "string \"EB\" at 2 can only be compared with a text column");
    expect_error("type == \"E\\B\"", HS_EUSAGE, 11, "unknown escape in string at 11 (only \\\" and \\\\)");
    expect_error("type == \"EB", HS_EUSAGE, 9, "unterminated string at 9");
    /* Two text columns compare by string, whatever their codes:
     * type = EB EE - EB EE, type2 = EB EE EB XX -. */
    {
        double t2[5] = {2, 0, 2, 1, NAN};
        cols[C_TYPE2] = t2;
        eval_rows("type == type2", cols, 5, out, &st);
        assert_true(out[0] == 1 && out[1] == 1 && out[2] == 0 && out[3] == 0 && out[4] == 0);
        eval_rows("type2 != type", cols, 5, out, &st);
        assert_true(out[0] == 0 && out[1] == 0 && out[2] == 0 && out[3] == 1 && out[4] == 0);
        eval_rows("type == type", cols, 5, out, &st);
        assert_true(out[0] == 1 && out[1] == 1 && out[2] == 0 && out[3] == 1 && out[4] == 1);
        eval_rows("type2 == \"XX\" || type2 == type", cols, 5, out, &st);
        assert_true(out[0] == 1 && out[1] == 1 && out[2] == 0 && out[3] == 1 && out[4] == 0);
    }
    /* Without the column's strings there is nothing to compare with. */
    {
        struct hs_expr_columns nocats = fixture;
        struct hs_err err;
        nocats.cols = NULL;
        e = NULL;
        assert_int_equal(hs_expr_compile("type == \"EB\"", &nocats, &e, &err), HS_EUSAGE);
        assert_string_equal(err.msg, "cannot compare text column 'type' with \"EB\" at 9: "
                                     "its values are not known");
        assert_null(e);
        assert_int_equal(hs_expr_compile("type == type2", &nocats, &e, &err), HS_EUSAGE);
        assert_string_equal(err.msg, "cannot compare text columns 'type' and 'type2' at 6: "
                                     "their values are not known");
        assert_int_equal(err.col, 6);
    }
}

static void
test_names(void **state)
{
    double out[2];
    double v[NCOLS][2];
    const double *cols[NCOLS];

    (void)state;
    for (int i = 0; i < NCOLS; i++) {
        v[i][0] = i + 1;
        v[i][1] = -(i + 1);
        cols[i] = v[i];
    }
    /* Backquoted names, a doubled backquote, a UTF-8 name. */
    eval_rows("`p T` * 2 + `a``b` + µ", cols, 2, out, NULL);
    assert_close(out[0], (C_PSPACE + 1) * 2 + C_TICK + 1 + C_MU + 1, 0);
    /* Columns named like functions: a name followed by '(' is the function. */
    eval_rows("eta * 10 + pt", cols, 2, out, NULL);
    assert_close(out[0], (C_ETA + 1) * 10 + C_PT + 1, 0);
    eval_rows("eta(pt, eta, x)", cols, 2, out, NULL);
    {
        double px = C_PT + 1, py = C_ETA + 1, pz = C_X + 1;
        assert_close(out[0], asinh(pz / sqrt(px * px + py * py)), 1e-15);
    }
    expect_error("`eta`(1)", HS_EUSAGE, 6, "unexpected '(' at 6: expected an operator");
}

static void
test_columns_listed(void **state)
{
    struct hs_expr *e = compile_ok("doca < 0.05 && b > a + doca && E_mu_plus > 1");

    (void)state;
    assert_true(hs_expr_is_boolean(e));
    assert_int_equal(hs_expr_ncolumns(e), 4);
    assert_int_equal(hs_expr_column(e, 0), C_DOCA);
    assert_int_equal(hs_expr_column(e, 1), C_B);
    assert_int_equal(hs_expr_column(e, 2), C_A);
    assert_int_equal(hs_expr_column(e, 3), C_EMU);
    assert_string_equal(hs_expr_column_name(e, 3), "E_mu_plus");
    hs_expr_free(e);
    e = compile_ok("a + 1");
    assert_false(hs_expr_is_boolean(e));
    hs_expr_free(e);
    e = compile_ok("2 * 3 + 1 > 0");
    assert_true(hs_expr_is_boolean(e));
    assert_int_equal(hs_expr_ncolumns(e), 0);
    /* Folded to one constant: a single copy. */
    assert_int_equal(e->ncode, 1);
    hs_expr_free(e);
    /* x^2 is a square, not a pow call. */
    e = compile_ok("a^2");
    assert_int_equal(e->ncode, 1);
    assert_int_equal(e->code[0].op, HS_OP_SQUARE);
    hs_expr_free(e);
    hs_expr_free(NULL);
}

static void
test_errors(void **state)
{
    (void)state;
    expect_error("", HS_EUSAGE, 1, "empty expression");
    expect_error("   ", HS_EUSAGE, 1, "empty expression");
    expect_error("a +", HS_EUSAGE, 4, "unexpected end of expression at 4: expected a value");
    expect_error("a + * b", HS_EUSAGE, 5, "unexpected '*' at 5: expected a value");
    expect_error("a b", HS_EUSAGE, 3, "unexpected 'b' at 3: expected an operator");
    expect_error("a + b)", HS_EUSAGE, 6,
                 "unexpected ')' at 6: expected an operator (no '(' to close)");
    expect_error("(a + b", HS_EUSAGE, 1, "unclosed '(' at 1");
    expect_error("2 * (a + (b - c)", HS_EUSAGE, 5, "unclosed '(' at 5");
    expect_error("(a + b c)", HS_EUSAGE, 8,
                 "unexpected 'c' at 8: expected ')' to close '(' at 1");
    expect_error("sqrt(a", HS_EUSAGE, 5, "unclosed '(' at 5");
    expect_error("sqrt(a b)", HS_EUSAGE, 8,
                 "unexpected 'b' at 8: expected ',' or ')' to close '(' at 5");
    expect_error("()", HS_EUSAGE, 2, "unexpected ')' at 2: expected a value");
    expect_error("a < b < c", HS_EUSAGE, 7,
                 "unexpected '<' at 7: comparisons do not chain (use &&)");
    expect_error("a = 1", HS_EUSAGE, 3, "unexpected '=' at 3 (did you mean '=='?)");
    expect_error("a & b", HS_EUSAGE, 3, "unexpected '&' at 3 (did you mean '&&'?)");
    expect_error("a | b", HS_EUSAGE, 3, "unexpected '|' at 3 (did you mean '||'?)");
    expect_error("a ** 2", HS_EUSAGE, 3, "unexpected '**' at 3 (use '^' for powers)");
    expect_error("a # b", HS_EUSAGE, 3, "unexpected character '#' at 3");
    expect_error("a + \x01", HS_EUSAGE, 5, "unexpected character '\\x01' at 5");
    expect_error("1e + a", HS_EUSAGE, 1, "malformed number '1e' at 1");
    expect_error("3abc", HS_EUSAGE, 1, "malformed number '3abc' at 1");
    expect_error("a + 1.2.3", HS_EUSAGE, 5, "malformed number '1.2.3' at 5");
    expect_error("`p T", HS_EUSAGE, 1, "unterminated name at 1");
    expect_error("a + ``", HS_EUSAGE, 5, "empty column name at 5");
    expect_error("a + ```", HS_EUSAGE, 5, "unterminated name at 5");
    expect_error("a + ` `", HS_ENOTFOUND, 5, "column ' ' not found at 5");
    /* Positions count characters, not bytes: µ is two bytes. */
    expect_error("`µ` + qq", HS_ENOTFOUND, 7, "column 'qq' not found at 7");
    expect_error("µ + qq", HS_ENOTFOUND, 5, "column 'qq' not found at 5");
    expect_error("µ + zz", HS_ENOTFOUND, 5, "column 'zz' not found at 5 (did you mean 'z'?)");
    /* Argument counts name the function and what it takes. */
    expect_error("mass(a, b, c, a, b, c, a)", HS_EUSAGE, 1,
                 "function 'mass' at 1 takes 8 arguments, got 7");
    expect_error("1 + sqrt(a, b)", HS_EUSAGE, 5, "function 'sqrt' at 5 takes 1 argument, got 2");
    expect_error("sqrt()", HS_EUSAGE, 1, "function 'sqrt' at 1 takes 1 argument, got 0");
    expect_error("atan2(a)", HS_EUSAGE, 1, "function 'atan2' at 1 takes 2 arguments, got 1");
    expect_error("min(a)", HS_EUSAGE, 1, "function 'min' at 1 takes 2 or more arguments, got 1");
    expect_error("max()", HS_EUSAGE, 1, "function 'max' at 1 takes 2 or more arguments, got 0");
    expect_error("angle(a,b,c,a,b,c,a,b,c,a)", HS_EUSAGE, 1,
                 "function 'angle' at 1 takes 6 arguments, got 10");
    expect_error("sqrt(a,)", HS_EUSAGE, 8, "unexpected ')' at 8: expected a value");
    /* An expression that is too long. */
    {
        size_t n = HS_EXPR_MAX_LEN + 2;
        char *s = malloc(n);
        struct hs_expr *e = NULL;
        struct hs_err err;
        memset(s, ' ', n - 1);
        s[0] = 'a';
        s[n - 1] = '\0';
        assert_int_equal(hs_expr_compile(s, &fixture, &e, &err), HS_ERANGE);
        assert_string_equal(err.msg, "expression too long (65537 bytes, at most 65536)");
        free(s);
    }
}

static void
test_did_you_mean(void **state)
{
    (void)state;
    expect_error("m + E_mu_plsu", HS_ENOTFOUND, 1, "column 'm' not found at 1");
    expect_error("2 * E_mu_plsu", HS_ENOTFOUND, 5,
                 "column 'E_mu_plsu' not found at 5 (did you mean 'E_mu_plus'?)");
    expect_error("E_mu_plu + 1", HS_ENOTFOUND, 1,
                 "column 'E_mu_plu' not found at 1 (did you mean 'E_mu_plus'?)");
    expect_error("Doca < 1", HS_ENOTFOUND, 1, "column 'Doca' not found at 1 (did you mean 'doca'?)");
    expect_error("dcoa < 1", HS_ENOTFOUND, 1, "column 'dcoa' not found at 1 (did you mean 'doca'?)");
    expect_error("zzzz < 1", HS_ENOTFOUND, 1, "column 'zzzz' not found at 1");
    expect_error("sqr(a)", HS_EUSAGE, 1, "unknown function 'sqr' at 1 (did you mean 'sqrt'?)");
    expect_error("1 + mas(a)", HS_EUSAGE, 5, "unknown function 'mas' at 5 (did you mean 'mass'?)");
    expect_error("detlaR(a)", HS_EUSAGE, 1,
                 "unknown function 'detlaR' at 1 (did you mean 'deltaR'?)");
    expect_error("frobnicate(a)", HS_EUSAGE, 1, "unknown function 'frobnicate' at 1");
    /* The distance itself: one swap, one edit, case ignored. */
    assert_int_equal(hs_name_distance("plsu", 4, "plus", 4), 1);
    assert_int_equal(hs_name_distance("kitten", 6, "sitting", 7), 3);
    assert_int_equal(hs_name_distance("DOCA", 4, "doca", 4), 0);
    assert_int_equal(hs_name_distance("", 0, "abc", 3), 3);
}

static char *
repeat(const char *head, int n, const char *mid, const char *tail)
{
    size_t hl = strlen(head), tl = strlen(tail), ml = strlen(mid);
    char *s = malloc(hl * n + ml + tl * n + 1), *p = s;
    for (int i = 0; i < n; i++, p += hl)
        memcpy(p, head, hl);
    memcpy(p, mid, ml);
    p += ml;
    for (int i = 0; i < n; i++, p += tl)
        memcpy(p, tail, tl);
    *p = '\0';
    return s;
}

static void
expect_depth(const char *head, int n, const char *mid, const char *tail, int ok)
{
    char *s = repeat(head, n, mid, tail);
    struct hs_expr *e = NULL;
    struct hs_err err;
    int rc = hs_expr_compile(s, &fixture, &e, &err);
    if (ok) {
        if (rc != HS_OK)
            fail_msg("%.40s... (%d) failed: %s", s, n, err.msg);
        hs_expr_free(e);
    } else {
        assert_int_equal(rc, HS_ERANGE);
        assert_non_null(strstr(err.msg, "expression nested too deeply at "));
        assert_non_null(strstr(err.msg, "(more than 256 levels)"));
        assert_true(err.col > 0);
    }
    free(s);
}

static void
test_depth_limit(void **state)
{
    (void)state;
    expect_depth("(", 200, "a", ")", 1);
    expect_depth("(", 300, "a", ")", 0);
    expect_depth("(", 30000, "a", ")", 0);
    expect_depth("-", 200, "a", "", 1);
    expect_depth("-", 300, "a", "", 0);
    expect_depth("!", 5000, "a", "", 0);
    expect_depth("2^", 300, "a", "", 0);
    expect_depth("sqrt(", 300, "a", ")", 0);
    expect_depth("a + (", 300, "a", ")", 0);
    {
        char *s = repeat("(", 256, "1", ")");
        struct hs_expr *e = NULL;
        struct hs_err err;
        assert_int_equal(hs_expr_compile(s, &fixture, &e, &err), HS_OK);
        hs_expr_free(e);
        free(s);
        s = repeat("(", 257, "1", ")");
        assert_int_equal(hs_expr_compile(s, &fixture, &e, &err), HS_ERANGE);
        assert_string_equal(err.msg, "expression nested too deeply at 257 (more than 256 levels)");
        assert_int_equal(err.col, 257);
        free(s);
    }
    /* A long flat sum is not deep: it compiles and evaluates. */
    {
        char *s = repeat("a + ", 10000, "a", "");
        double av[3] = {1, 2, 0.5}, out[3];
        const double *cols[NCOLS] = {0};
        cols[C_A] = av;
        eval_rows(s, cols, 3, out, NULL);
        assert_close(out[0], 10001, 0);
        assert_close(out[1], 20002, 0);
        free(s);
    }
    /* Many distinct constants: some get blocks, the rest fill registers. */
    {
        char buf[4096];
        size_t o = 0;
        double want = 0, av[2] = {1, -1}, out[2];
        const double *cols[NCOLS] = {0};
        cols[C_A] = av;
        o += (size_t)snprintf(buf + o, sizeof buf - o, "a");
        for (int i = 1; i <= 200; i++) {
            o += (size_t)snprintf(buf + o, sizeof buf - o, " + a * %d", i);
            want += i;
        }
        eval_rows(buf, cols, 2, out, NULL);
        assert_close(out[0], 1 + want, 1e-15);
        assert_close(out[1], -1 - want, 1e-15);
    }
}

/* Reference for the block test, computed row by row. */
static double
block_ref(double a, double b, double c)
{
    return a * b + sqrt(fabs(c)) - (a < b) + (c != c ? 0 : 1);
}

static void
test_blocks(void **state)
{
    static const size_t sizes[] = {0, 1, 2, 1023, 1024, 1025, 2048, 3000, 20000, 40961};
    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        double *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
        double *c = malloc((n + 1) * sizeof *c), *out = malloc((n + 1) * sizeof *out);
        const double *cols[NCOLS] = {0};
        struct hs_expr_stats st;
        size_t nnan = 0;

        srand((unsigned)n + 1);
        for (size_t i = 0; i < n; i++) {
            a[i] = rand() / (double)RAND_MAX - 0.5;
            b[i] = rand() / (double)RAND_MAX - 0.5;
            c[i] = i % 97 == 5 ? NAN : rand() / (double)RAND_MAX - 0.5;
        }
        out[n] = 42;    /* a sentinel past the end */
        cols[C_A] = a;
        cols[C_B] = b;
        cols[C_C] = c;
        eval_rows("a * b + sqrt(abs(c)) - (a < b) + (c == c)", cols, n, out, &st);
        for (size_t i = 0; i < n; i++) {
            double want = block_ref(a[i], b[i], c[i]);
            if (isnan(c[i])) {
                nnan++;
                assert_true(isnan(out[i]));
            } else if (!(fabs(out[i] - want) <= 1e-15 * fabs(want) + 1e-300)) {
                fail_msg("n=%zu row %zu: got %.17g want %.17g", n, i, out[i], want);
            }
        }
        assert_true(out[n] == 42);
        assert_int_equal(st.nrows, n);
        assert_int_equal(st.nnan, nnan);
        assert_int_equal(st.ndomain, 0);
#ifdef _OPENMP
        /* The same bits with one thread as with several. */
        if (n > 0) {
            double *out1 = malloc(n * sizeof *out1);
            struct hs_expr_stats st1;
            int saved = omp_get_max_threads();
            omp_set_num_threads(1);
            eval_rows("a * b + sqrt(abs(c)) - (a < b) + (c == c)", cols, n, out1, &st1);
            omp_set_num_threads(saved > 1 ? saved : 2);
            eval_rows("a * b + sqrt(abs(c)) - (a < b) + (c == c)", cols, n, out, &st);
            omp_set_num_threads(saved);
            assert_memory_equal(out, out1, n * sizeof *out);
            assert_int_equal(st.nnan, st1.nnan);
            free(out1);
        }
#endif
        free(a);
        free(b);
        free(c);
        free(out);
    }
}

static void
test_eval_table_and_cancel(void **state)
{
    struct hs_table *t = hs_table_new();
    struct hs_expr *e = NULL;
    struct hs_err err;
    struct hs_expr_stats st;
    size_t ia, ib, it, n = 50000;
    double *out = malloc(n * sizeof *out), code;
    atomic_int cancel = 1;
    struct hs_task task = {NULL, NULL, &cancel};

    (void)state;
    assert_int_equal(hs_table_add_column(t, "a", HS_COL_NUMBER, &ia, NULL), HS_OK);
    assert_int_equal(hs_table_add_column(t, "kind", HS_COL_TEXT, &it, NULL), HS_OK);
    assert_int_equal(hs_table_add_column(t, "b", HS_COL_NUMBER, &ib, NULL), HS_OK);
    assert_int_equal(hs_table_resize(t, n), HS_OK);
    for (size_t i = 0; i < n; i++) {
        t->cols[ia].v[i] = (double)i;
        t->cols[ib].v[i] = 2.0;
        assert_int_equal(hs_column_intern(&t->cols[it], i % 3 ? "bkg" : "sig", 3, &code), HS_OK);
        t->cols[it].v[i] = code;
    }
    assert_int_equal(hs_expr_compile_table("a * b + (kind == \"sig\")", t, &e, &err), HS_OK);
    assert_int_equal(hs_expr_eval_table(e, t, out, &st, NULL, &err), HS_OK);
    for (size_t i = 0; i < n; i++)
        assert_true(out[i] == 2.0 * i + (i % 3 == 0));
    assert_int_equal(st.nrows, n);
    /* A raised cancel flag stops the evaluation. */
    assert_int_equal(hs_expr_eval_table(e, t, out, &st, &task, &err), HS_ECANCELLED);
    /* Columns are found by name: a table without b does not do. */
    hs_table_remove_column(t, ib);
    assert_int_equal(hs_expr_eval_table(e, t, out, &st, NULL, &err), HS_ENOTFOUND);
    assert_string_equal(err.msg, "column 'b' not found");
    /* A missing column pointer in hs_expr_eval. */
    {
        const double *cols[3] = {t->cols[ia].v, t->cols[it].v, NULL};
        assert_int_equal(hs_expr_eval(e, cols, n, out, &st, NULL, &err), HS_EUSAGE);
        assert_string_equal(err.msg, "column 'b' has no values");
    }
    hs_expr_free(e);
    hs_table_free(t);
    free(out);
}

/* Every allocation of compile and evaluation failing in turn. */
static void
test_alloc_failures(void **state)
{
    static const char *const srcs[] = {
        "mass(a,b,c,x,y,z,eta,pt) + log(a) * (type == \"ZZ\")",
        "type != \"EB\" && `p T` < 3 || max(a, b, c, 1, 2, 3) > sqrt(16)",
        "a + 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13 + 14 + 15 + 16 + 17 + 18 + 19"
        " + 20 + 21 + 22 + 23 + 24 + 25 + 26 + 27 + 28 + 29 + 30 + 31 + 32 + 33 + 34 + 35 + 36"
        " + 37 + 38 + 39 + 40 + 41 + 42 + 43 + 44 + 45 + 46 + 47 + 48 + 49 + 50 + 51 + 52 + 53"
        " + 54 + 55 + 56 + 57 + 58 + 59 + 60 + 61 + 62 + 63 + 64 + 65 + 66 + 67 + 68",
        "E_mu_plsu",
        "type == type2 || type2 != type",
    };
    double v[NCOLS][3000];
    const double *cols[NCOLS];
    double out[3000];

    (void)state;
    for (int i = 0; i < NCOLS; i++) {
        for (int r = 0; r < 3000; r++)
            v[i][r] = 1 + 0.01 * r;
        cols[i] = v[i];
    }
    for (size_t s = 0; s < sizeof srcs / sizeof srcs[0]; s++) {
        int succeeded = 0;
        for (long k = 0; k < 200 && !succeeded; k++) {
            struct hs_expr *e = NULL;
            struct hs_err err;
            int rc;
            hs_mem_fail_after(k);
            rc = hs_expr_compile(srcs[s], &fixture, &e, &err);
            if (rc == HS_OK) {
                rc = hs_expr_eval(e, cols, 3000, out, NULL, NULL, &err);
                hs_expr_free(e);
                if (rc == HS_OK)
                    succeeded = 1;
                else
                    assert_int_equal(rc, HS_ENOMEM);
            } else if (rc == HS_ENOTFOUND) {
                assert_null(e);
                succeeded = 1;
            } else {
                assert_int_equal(rc, HS_ENOMEM);
                assert_null(e);
            }
        }
        hs_mem_fail_after(-1);
        assert_true(succeeded);
    }
}

/* mass() against the M column of CMS open data (Z -> mu mu, 2011A). */
static void
test_cms_masses(void **state)
{
    const char *srcdir = getenv("HS_SRCDIR");
    char path[4096];
    struct stat sb;
    struct hs_table *t = NULL;
    struct hs_expr *e = NULL;
    struct hs_err err;
    struct hs_expr_stats st;
    struct hs_csv_options opt;
    double *out;
    long im;

    memset(&opt, 0, sizeof opt);

    (void)state;
    snprintf(path, sizeof path, "%s/../shared/data/cms/cms_opendata_edu__Zmumu_Run2011A_masses.csv",
             srcdir ? srcdir : "..");
    if (stat(path, &sb) != 0)
        skip();
    if (hs_csv_read(path, &opt, &t, NULL, &err) != HS_OK)
        fail_msg("%s", err.msg);
    assert_true(t->nrows > 10000);
    assert_int_equal(hs_expr_compile_table("mass(E1,px1,py1,pz1,E2,px2,py2,pz2)", t, &e, &err),
                     HS_OK);
    out = malloc(t->nrows * sizeof *out);
    assert_int_equal(hs_expr_eval_table(e, t, out, &st, NULL, &err), HS_OK);
    assert_int_equal(st.nnan, 0);
    im = hs_table_find(t, "M");
    assert_true(im >= 0);
    for (size_t i = 0; i < t->nrows; i++) {
        double m = t->cols[im].v[i];
        if (!(fabs(out[i] - m) <= 1e-4 * fabs(m)))
            fail_msg("row %zu: mass %.9g, M %.9g", i + 1, out[i], m);
    }
    hs_expr_free(e);
    /* The text columns of the same file: every muon is global ("G"), none
     * tracker-only ("T"). */
    assert_int_equal(
        hs_expr_compile_table("(Type1 == \"G\") - (Type2 == \"T\") + (Type1 != Type2)", t, &e, &err),
        HS_OK);
    assert_string_equal(hs_expr_warning(e), "string \"T\" at 28 is not a value of column 'Type2'");
    assert_int_equal(hs_expr_eval_table(e, t, out, &st, NULL, &err), HS_OK);
    for (size_t i = 0; i < t->nrows; i++)
        assert_true(out[i] == 1);
    hs_expr_free(e);
    free(out);
    hs_table_free(t);
}

/* Many names: 3,000 columns (so the compile indexes them) and a sum of
 * 10,000 terms (near the length limit) reading 2,000 of them, each
 * several times (so the columns read are indexed too): each read once, in order of first use, and the
 * sum right; an unknown name is still found missing with a suggestion. */
static void
test_many_columns(void **state)
{
    enum { NC = 3000, NT = 10000, NU = 2000 };
    char **cnames = calloc(NC, sizeof *cnames);
    double *vals = calloc(NC, sizeof *vals);
    const double **ptrs = calloc(NC, sizeof *ptrs);
    char *src = malloc((size_t)NT * 8 + 1), *p = src;
    struct hs_expr_columns cols = {NC, NULL, NULL, NULL, NULL};
    struct hs_expr *e = NULL;
    struct hs_err err;
    double out, want = 0;

    (void)state;
    assert_non_null(cnames);
    for (size_t j = 0; j < NC; j++) {
        cnames[j] = malloc(16);
        snprintf(cnames[j], 16, "v%zu", j);
        vals[j] = (double)j;
        ptrs[j] = &vals[j];
    }
    cols.names = (const char *const *)cnames;
    for (size_t k = 0; k < NT; k++) {
        size_t j = (k * 7) % NU + 500;
        p += sprintf(p, "%sv%zu", k ? "+" : "", j);
        want += (double)j;
    }
    assert_true(strlen(src) <= HS_EXPR_MAX_LEN);
    assert_int_equal(hs_expr_compile(src, &cols, &e, &err), HS_OK);
    assert_int_equal(hs_expr_ncolumns(e), NU);
    assert_int_equal(hs_expr_column(e, 0), 500);
    assert_int_equal(hs_expr_column(e, 1), 507);
    assert_string_equal(hs_expr_column_name(e, 1), "v507");
    assert_int_equal(hs_expr_eval(e, ptrs, 1, &out, NULL, NULL, &err), HS_OK);
    assert_true(fabs(out - want) < 1e-6 * want);
    hs_expr_free(e);
    e = NULL;
    assert_int_equal(hs_expr_compile("v1 + v29999", &cols, &e, &err), HS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "did you mean"));
    for (size_t j = 0; j < NC; j++)
        free(cnames[j]);
    free(cnames);
    free(vals);
    free(ptrs);
    free(src);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_functions_vs_libm),
        cmocka_unit_test(test_physics),
        cmocka_unit_test(test_nan_and_domain),
        cmocka_unit_test(test_text_columns),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_columns_listed),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_did_you_mean),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_eval_table_and_cancel),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_cms_masses),
        cmocka_unit_test(test_many_columns),
    };
    fixture_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}

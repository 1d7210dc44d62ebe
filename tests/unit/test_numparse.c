/* test_numparse.c: hs_num_parse against the C library's strtod, bit for
 * bit, on millions of random decimal strings; hs_num_format round trips and
 * is shortest (checked by brute force with printf); both ignore the locale.
 *
 * HS_NUMPARSE_ITER overrides the number of random strings (default two
 * million, a tenth of that under the sanitizers).
 */
#include "config.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "numparse.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

/* splitmix64: a seeded, reproducible stream */
static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static uint64_t
rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static unsigned
rnd_below(unsigned n)
{
    return (unsigned)(rnd() % n);
}

static long
iterations(void)
{
    const char *e = getenv("HS_NUMPARSE_ITER");
    if (e && *e)
        return atol(e);
    return SANITIZED ? 200000 : 2000000;
}

static bool
same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* strtod is the reference: it must take the whole string. */
static double
ref_strtod(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (*end != '\0')
        fail_msg("reference strtod did not take all of '%s'", s);
    return v;
}

static void
check_one(const char *s)
{
    double got = 0, want = ref_strtod(s);
    int rc = hs_num_parse(s, strlen(s), &got);
    if (rc != HS_OK)
        fail_msg("hs_num_parse rejected '%s'", s);
    if (!same_bits(got, want) && !(isnan(got) && isnan(want)))
        fail_msg("'%s': got %.17g (%a), strtod gives %.17g (%a)", s, got, got, want, want);
}

/* ---- accepted and rejected forms ----------------------------------------- */

static void
test_accepts(void **state)
{
    static const char *const ok[] = {
        "0",
        "-0",
        "+0",
        "1",
        "-1",
        "+1",
        ".5",
        "5.",
        "-.5",
        "+5.",
        "1e5",
        "1E5",
        "1e+5",
        "1e-5",
        "1.5e3",
        "-1.5E-3",
        "0.123456789",
        "-12.5",
        "3.0e-05",
        "00001",
        "0000.000123",
        "123456789012345678901234567890",
        "1e308",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "2e308",
        "4.9e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "1e-400",
        "0e999999999999",
        "1e-999999999999",
        "1e999999999999",
        "9007199254740993",
        "9007199254740992.5",
        "0.1",
        "0.3",
        "2.2250738585072011e-308",
        "2.2250738585072012e-308",
        "123e-330",
        "7e22",
        "7e23",
        "12e30",
        "9007199254740991e22",
        "1e-22",
        "1e-23",
        "4503599627370496.5",
        "4503599627370497.5",
        "179769313486231580793728971405303415079934132710037826936173778"
        "980444968292764750946649017977587207096330286416692887910946555"
        "547851940402630657488671505820681908902000708383676273854845817"
        "711531764475730270069855571366959622842914819860834936475292719"
        "074168444365510704342711559699508093042880177904174497791.9999"
        "99999999999999999",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        check_one(ok[i]);
    (void)state;
}

static void
test_specials(void **state)
{
    static const char *const inf[] = {"inf", "INF", "Inf", "infinity", "Infinity", "+inf"};
    static const char *const nan[] = {"nan", "NaN", "NAN", "-nan", "+nan"};
    double v = 0;

    for (size_t i = 0; i < sizeof inf / sizeof *inf; i++) {
        assert_int_equal(hs_num_parse(inf[i], strlen(inf[i]), &v), HS_OK);
        assert_true(isinf(v) && v > 0);
    }
    assert_int_equal(hs_num_parse("-Infinity", 9, &v), HS_OK);
    assert_true(isinf(v) && v < 0);
    for (size_t i = 0; i < sizeof nan / sizeof *nan; i++) {
        assert_int_equal(hs_num_parse(nan[i], strlen(nan[i]), &v), HS_OK);
        assert_true(isnan(v));
    }
    assert_int_equal(hs_num_parse("-0", 2, &v), HS_OK);
    assert_true(v == 0 && signbit(v));
    assert_int_equal(hs_num_parse("-0.000e5", 8, &v), HS_OK);
    assert_true(v == 0 && signbit(v));
    (void)state;
}

static void
test_rejects(void **state)
{
    static const char *const bad[] = {
        "",
        "+",
        "-",
        ".",
        "-.",
        "1e",
        "1e+",
        "1e-",
        "0x10",
        "0X1p3",
        "1.5x",
        " 1",
        "1 ",
        "\t1",
        "1..2",
        "e5",
        "E5",
        "--1",
        "+-1",
        "inf5",
        "infinit",
        "in",
        "nan(1)",
        "1,5",
        "1e5.5",
        "1.2.3",
        "١",
        "1e5e5",
        "nanx",
        "++1",
        ".e1",
        "1_000",
        "$1",
        "1f",
        "1d",
        "0b1",
        "\xef\xbc\x91" /* fullwidth 1 */,
    };
    double v = 42;

    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (hs_num_parse(bad[i], strlen(bad[i]), &v) != HS_EDATA)
            fail_msg("'%s' was accepted", bad[i]);
    /* the length bounds the text: "12" inside "123" */
    assert_int_equal(hs_num_parse("123", 2, &v), HS_OK);
    assert_true(v == 12.0);
    assert_int_equal(hs_num_parse("1e5", 2, &v), HS_EDATA);
    assert_int_equal(hs_num_parse("1.5\0", 4, &v), HS_EDATA);
    (void)state;
}

/* hs_num_parse_checked: a nonzero decimal that becomes inf or 0 is a range
 * error (with the rounded value still stored); subnormals, the largest
 * double, the words and zero are not. */
static void
test_checked_range(void **state)
{
    static const char *const over[] = {"1e400", "-1e400", "2e308", "1.7976931348623159e308",
                                       "1e999999999999", "123456789012345678901234567890e300"};
    static const char *const under[] = {"1e-400", "-1e-400", "2.4703282292062327e-324",
                                        "1e-999999999999", "0.0000001e-320", "123e-330"};
    static const char *const fine[] = {"4.9e-324", "-4.9e-324", "2.4703282292062328e-324",
                                       "1.7976931348623157e308", "2.2250738585072011e-308",
                                       "0", "-0", "0e999999999999", "0.000e-5000", "inf",
                                       "-Infinity", "nan", "1.5", "123e-325"};
    double v;

    for (size_t i = 0; i < sizeof over / sizeof *over; i++) {
        v = 0;
        if (hs_num_parse_checked(over[i], strlen(over[i]), &v) != HS_ERANGE)
            fail_msg("'%s' was not an overflow", over[i]);
        assert_true(isinf(v));
        assert_true((v < 0) == (over[i][0] == '-'));
    }
    for (size_t i = 0; i < sizeof under / sizeof *under; i++) {
        v = 1;
        if (hs_num_parse_checked(under[i], strlen(under[i]), &v) != HS_ERANGE)
            fail_msg("'%s' was not an underflow", under[i]);
        assert_true(v == 0 && !signbit(v) == (under[i][0] != '-'));
    }
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
        double want = 0;
        if (hs_num_parse_checked(fine[i], strlen(fine[i]), &v) != HS_OK)
            fail_msg("'%s' was refused", fine[i]);
        assert_int_equal(hs_num_parse(fine[i], strlen(fine[i]), &want), HS_OK);
        assert_true(same_bits(v, want) || (isnan(v) && isnan(want)));
    }
    assert_true(hs_num_parse_checked("4.9e-324", 8, &v) == HS_OK && v > 0);
    assert_int_equal(hs_num_parse_checked("1e40x", 5, &v), HS_EDATA);
    assert_int_equal(hs_num_parse_checked("", 0, &v), HS_EDATA);
    (void)state;
}

/* ---- random strings against strtod --------------------------------------- */

/* digits, an optional point somewhere, an optional exponent */
static void
random_decimal(char *s)
{
    int k = 0, nd;
    unsigned kind = rnd_below(10);

    if (rnd_below(2))
        s[k++] = '-';
    else if (rnd_below(8) == 0)
        s[k++] = '+';
    /* mostly short (the fast path), sometimes up to 40 digits */
    nd = kind < 6   ? 1 + (int)rnd_below(16)
         : kind < 9 ? 1 + (int)rnd_below(22)
                    : 1 + (int)rnd_below(40);
    int point = rnd_below(4) == 0 ? -1 : (int)rnd_below((unsigned)nd + 1);
    int lead = rnd_below(6) == 0 ? (int)rnd_below(5) : 0;
    for (int i = 0; i < lead; i++)
        s[k++] = '0';
    for (int i = 0; i < nd; i++) {
        if (i == point)
            s[k++] = '.';
        s[k++] = (char)('0' + rnd_below(10));
    }
    if (point == nd)
        s[k++] = '.';
    if (rnd_below(2)) {
        int e;
        unsigned r = rnd_below(10);
        if (r < 5)
            e = (int)rnd_below(45) - 22;
        else if (r < 8)
            e = (int)rnd_below(700) - 350;
        else if (r < 9)
            e = -(int)rnd_below(40) - 300; /* subnormals */
        else
            e = (int)rnd_below(40) + 290; /* near overflow */
        k += sprintf(s + k, "%c%d", rnd_below(2) ? 'e' : 'E', e);
    }
    s[k] = '\0';
}

static double
random_double(void)
{
    for (;;) {
        uint64_t b = rnd();
        double d;
        memcpy(&d, &b, sizeof d);
        if (isfinite(d))
            return d;
    }
}

static void
test_random_vs_strtod(void **state)
{
    char s[128];
    long n = iterations();

    for (long i = 0; i < n; i++) {
        random_decimal(s);
        check_one(s);
    }
    /* printf's view of random doubles, at several precisions */
    for (long i = 0; i < n / 8; i++) {
        double d = random_double();
        snprintf(s, sizeof s, "%.*e", 1 + (int)rnd_below(24), d);
        check_one(s);
        snprintf(s, sizeof s, "%.*g", 1 + (int)rnd_below(20), d * 1e-300);
        check_one(s); /* subnormals and tiny */
    }
    (void)state;
}

/* Points halfway between two neighbouring doubles, written out exactly (a
 * long double holds the midpoint exactly) and then nudged: exact, a digit
 * more, a digit less, and a 1 beyond the 800 digits that are kept. */
static void
test_halfway(void **state)
{
#if LDBL_MANT_DIG >= 64
    static char s[2400];
    long n = iterations() / 1000;

    for (long i = 0; i < n; i++) {
        double d = random_double();
        unsigned r = rnd_below(4);
        if (r == 0)
            d = ldexp(fabs(d), -(int)rnd_below(1074)); /* many subnormals */
        else if (r == 1)
            d = (double)(rnd() >> 11) * 0x1p-20; /* integers and short fractions */
        long double mid = ((long double)d + (long double)nextafter(d, INFINITY)) / 2;
        /* enough digits for the exact expansion: the midpoint has 54
         * bits, so 54 - e binary places after the point, each giving one
         * decimal; fewer significant ones when |d| is small */
        int e2, prec;
        frexp(d, &e2);
        prec = 54 - e2 > 0 ? 54 - e2 + (int)floor(log10(fabs(d))) + 3 : 330;
        if (prec < 20)
            prec = 20;
        int len = snprintf(s, sizeof s, "%.*Le", prec > 1100 ? 1100 : prec, mid);
        assert_true(len > 0 && len < (int)sizeof s);
        check_one(s);
        /* the exact expansion, then more digits: a 1 far out rounds up */
        char *e = strchr(s, 'e');
        char expo[16];
        snprintf(expo, sizeof expo, "%s", e);
        /* strip trailing zeros of the mantissa to get the exact expansion */
        char *m = e;
        while (m[-1] == '0')
            m--;
        size_t keep = (size_t)(m - s);
        snprintf(s + keep, sizeof s - keep, "%s", expo);
        check_one(s);
        memset(s + keep, '0', 900);
        snprintf(s + keep + 900, sizeof s - keep - 900, "1%s", expo);
        check_one(s);
        /* one unit less in the last exact digit: just below the midpoint */
        if (keep > 3 && s[keep - 1] > '0' && s[keep - 1] <= '9') {
            s[keep - 1]--;
            snprintf(s + keep, sizeof s - keep, "%s", expo);
            check_one(s);
        }
    }
#else
    skip();
#endif
    (void)state;
}

static void
test_long_inputs(void **state)
{
    static char s[5000];
    /* 3000 digits of zeros then a one: tiny; and a huge integer */
    strcpy(s, "0.");
    memset(s + 2, '0', 3000);
    strcpy(s + 3002, "1e3000");
    check_one(s);
    memset(s, '9', 3000);
    strcpy(s + 3000, "e-3000");
    check_one(s);
    memset(s, '1', 4000);
    strcpy(s + 4000, ".5");
    check_one(s);
    (void)state;
}

/* ---- formatting ---------------------------------------------------------- */

static void
expect_format(double x, const char *want)
{
    char buf[HS_NUM_BUF];
    int n = hs_num_format(x, buf);
    if (strcmp(buf, want) != 0)
        fail_msg("format(%a) = '%s', want '%s'", x, buf, want);
    assert_int_equal(n, (int)strlen(want));
}

static void
test_format_examples(void **state)
{
    expect_format(0.1, "0.1");
    expect_format(0.3, "0.3");
    expect_format(-3, "-3");
    expect_format(100, "100");
    expect_format(1e100, "1e+100");
    expect_format(1e16, "1e+16");
    expect_format(1e15, "1000000000000000");
    expect_format(0.0001, "0.0001");
    expect_format(0.00001, "1e-05");
    expect_format(1.5e-7, "1.5e-07");
    expect_format(2.0 / 3.0, "0.6666666666666666");
    expect_format(123456.789, "123456.789");
    expect_format(-0.1234567, "-0.1234567");
    expect_format(5e-324, "5e-324");
    expect_format(DBL_MAX, "1.7976931348623157e+308");
    expect_format(DBL_MIN, "2.2250738585072014e-308");
    expect_format(0.1 + 0.2, "0.30000000000000004");
    expect_format(9007199254740993.0, "9007199254740992");
    expect_format(1e23, "1e+23");
    expect_format(0.0, "0");
    expect_format(-0.0, "-0");
    expect_format(NAN, "nan");
    expect_format(INFINITY, "inf");
    expect_format(-INFINITY, "-inf");
    (void)state;
}

/* Number of significant digits in a formatted number. */
static int
sig_digits(const char *s)
{
    int n = 0, started = 0, trailing = 0;
    for (; *s && *s != 'e'; s++) {
        if (*s < '0' || *s > '9')
            continue;
        if (*s != '0')
            started = 1;
        if (!started)
            continue;
        n++;
        trailing = *s == '0' ? trailing + 1 : 0;
    }
    return n - trailing;
}

static void
check_format(double x, bool check_short)
{
    char buf[HS_NUM_BUF], tmp[64];
    double back;
    int nd;

    hs_num_format(x, buf);
    back = ref_strtod(buf);
    if (!same_bits(back, x))
        fail_msg("format(%a) = '%s' reads back as %a", x, buf, back);
    if (!check_short)
        return;
    /* no shorter precision that printf offers reads back */
    nd = sig_digits(buf);
    for (int p = 1; p < nd; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, x);
        if (same_bits(strtod(tmp, NULL), x))
            fail_msg("format(%a) = '%s' but '%s' is shorter", x, buf, tmp);
    }
}

static void
test_format_random(void **state)
{
    long n = iterations() / 10;
    char s[64];

    for (long i = 0; i < n; i++) {
        bool brute = i % 8 == 0;
        check_format(random_double(), brute);
        /* short decimals, as data files hold them */
        snprintf(s, sizeof s, "%.*f", (int)rnd_below(9),
                 ((double)(int64_t)(rnd() % 2000000001) - 1e9) / 1e4);
        check_format(ref_strtod(s), brute);
        check_format(ldexp((double)(rnd() >> 12), -1074), brute); /* subnormal */
    }
    (void)state;
}

/* ---- the locale does not matter ------------------------------------------ */

static const char *
german_locale(void)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (setlocale(LC_ALL, names[i]))
            return names[i];
    return NULL;
}

static void
test_locale(void **state)
{
    enum { N = 20000 };
    static char strs[N][64];
    static double vals[N];
    static char fmts[N][HS_NUM_BUF];
    double v;
    char buf[HS_NUM_BUF];

    setlocale(LC_ALL, "C");
    for (int i = 0; i < N; i++) {
        random_decimal(strs[i]);
        assert_int_equal(hs_num_parse(strs[i], strlen(strs[i]), &vals[i]), HS_OK);
        hs_num_format(i % 2 ? vals[i] : random_double(), fmts[i]);
    }
    if (!german_locale()) {
        setlocale(LC_ALL, "C");
        skip(); /* no locale with a decimal comma installed */
    }
    /* the test means something only when printf now writes a comma */
    snprintf(buf, sizeof buf, "%.1f", 1.5);
    assert_string_equal(buf, "1,5");

    rng_state = 0x2545F4914F6CDD1DULL ^ 77;
    assert_int_equal(hs_num_parse("1.5", 3, &v), HS_OK);
    assert_true(v == 1.5);
    assert_int_equal(hs_num_parse("1,5", 3, &v), HS_EDATA);
    expect_format(1.5, "1.5");
    expect_format(-0.1234567, "-0.1234567");
    expect_format(2.0 / 3.0, "0.6666666666666666");
    expect_format(1e-300 / 3, "3.3333333333333334e-301");
    for (int i = 0; i < N; i++) {
        double w;
        char again[HS_NUM_BUF];
        assert_int_equal(hs_num_parse(strs[i], strlen(strs[i]), &w), HS_OK);
        if (!same_bits(w, vals[i]))
            fail_msg("'%s' parses differently under a decimal-comma locale", strs[i]);
        hs_num_parse(fmts[i], strlen(fmts[i]), &w);
        hs_num_format(w, again);
        if (strcmp(again, fmts[i]) != 0)
            fail_msg("'%s' formats as '%s' under a decimal-comma locale", fmts[i], again);
    }
    setlocale(LC_ALL, "C");
    (void)state;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts),         cmocka_unit_test(test_specials),
        cmocka_unit_test(test_rejects),         cmocka_unit_test(test_random_vs_strtod),
        cmocka_unit_test(test_halfway),         cmocka_unit_test(test_long_inputs),
        cmocka_unit_test(test_format_examples), cmocka_unit_test(test_format_random),
        cmocka_unit_test(test_locale),          cmocka_unit_test(test_checked_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* numparse.c: exact, locale-independent number parsing and printing.
 *
 * Parsing: a decimal whose significand fits 2^53 and whose power of ten is
 * small is exact with one multiply or divide (numparse_fast.h).  Everything
 * else goes to the C library's strtod, which glibc rounds correctly, but
 * only after the text has been rewritten as "[-]DIGITSe[-]EXP": no radix
 * character, so the process locale (a decimal comma under de_DE) cannot
 * change the result, and no process-wide C locale object has to be created
 * and kept in a global.  The rewrite also bounds the length: beyond 800
 * significant digits only whether the rest is zero matters (a halfway point
 * between two doubles has at most 767 significant digits), so the tail
 * becomes one sticky '1'.
 *
 * Printing: the shortest digit string that reads back to the same double,
 * found by a fast exact search for short decimals and otherwise by asking
 * snprintf for 15, 16 and 17 significant digits (keeping the first that
 * reads back); the digits are then laid out by our own code, so the C
 * library's locale radix never reaches the output.
 */
#include "config.h"

#include "numparse.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "numparse_fast.h"

/* Significant digits kept for strtod; see the comment at the top. */
#define MAX_SIG_DIGITS 800

/* The exponent text is clamped: any decimal with fewer than 1000 digits and
 * a power of ten beyond this is an overflow or an underflow anyway. */
#define MAX_EXP10 100000

struct decimal {
    uint64_t w;    /* the first (up to 19) significant digits */
    size_t nsig;   /* significant digits in the text (leading zeros not counted) */
    long long e10; /* value = w * 10^e10 when nsig <= 19 */
    bool neg;
    /* slow path only: */
    char digits[MAX_SIG_DIGITS + 2];
    size_t ndigits; /* in digits[] (the last may be the sticky '1') */
    long long dexp; /* value = digits * 10^dexp */
};

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool
word_is(const char *s, size_t n, const char *word)
{
    size_t i;

    for (i = 0; i < n && word[i]; i++)
        if (lower((unsigned char)s[i]) != word[i])
            return false;
    return i == n && word[i] == '\0';
}

/* Parse s[0..len) into d.  With keep, also collect the digits for strtod.
 * Returns false when the text is not a decimal number. */
static bool
scan_decimal(const char *s, size_t len, struct decimal *d, bool keep)
{
    const char *p = s, *end = s + len;
    bool any = false, sticky = false;
    long long x = 0;

    d->w = 0;
    d->nsig = 0;
    d->e10 = 0;
    d->neg = false;
    d->ndigits = 0;
    d->dexp = 0;
    if (p < end && (*p == '-' || *p == '+')) {
        d->neg = *p == '-';
        p++;
    }
    /* Integer part: a digit beyond the first 19 (or beyond what digits[]
     * holds) is dropped and multiplies by ten instead. */
    for (; p < end && hs_num_is_digit(*p); p++) {
        int v = *p - '0';
        any = true;
        if (d->nsig == 0 && v == 0)
            continue;
        if (d->nsig < 19)
            d->w = d->w * 10 + (uint64_t)v;
        else
            d->e10++;
        if (keep) {
            if (d->ndigits < MAX_SIG_DIGITS)
                d->digits[d->ndigits++] = (char)*p;
            else {
                d->dexp++;
                sticky |= v != 0;
            }
        }
        d->nsig++;
    }
    if (p < end && *p == '.') {
        for (p++; p < end && hs_num_is_digit(*p); p++) {
            int v = *p - '0';
            any = true;
            if (d->nsig == 0 && v == 0) {
                d->e10--;
                d->dexp--;
                continue;
            }
            if (d->nsig < 19) {
                d->w = d->w * 10 + (uint64_t)v;
                d->e10--;
            }
            if (keep) {
                if (d->ndigits < MAX_SIG_DIGITS) {
                    d->digits[d->ndigits++] = (char)*p;
                    d->dexp--;
                } else {
                    sticky |= v != 0;
                }
            }
            d->nsig++;
        }
    }
    if (!any)
        return false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        bool eneg = false;
        p++;
        if (p < end && (*p == '-' || *p == '+')) {
            eneg = *p == '-';
            p++;
        }
        if (p == end || !hs_num_is_digit(*p))
            return false;
        for (; p < end && hs_num_is_digit(*p); p++)
            if (x < 100000000)
                x = x * 10 + (*p - '0');
        if (eneg)
            x = -x;
    }
    if (p != end)
        return false;
    d->e10 += x;
    d->dexp += x;
    if (keep && sticky)
        d->digits[d->ndigits++] = '1', d->dexp--;
    return true;
}

static bool
parse_special(const char *s, size_t n, bool neg, double *out)
{
    if (word_is(s, n, "inf") || word_is(s, n, "infinity")) {
        *out = neg ? -INFINITY : INFINITY;
        return true;
    }
    if (word_is(s, n, "nan")) {
        *out = neg ? -NAN : NAN;
        return true;
    }
    return false;
}

/* The parser behind both entry points; *range is set when a nonzero
 * decimal rounded to infinity or to zero. */
static int
parse(const char *s, size_t len, double *out, bool *range)
{
    struct decimal d;
    char text[MAX_SIG_DIGITS + 32], *endp;
    size_t n = 0;
    long long e;

    if (len == 0)
        return HS_EDATA;
    {
        /* inf, infinity, nan after an optional sign */
        size_t k = (s[0] == '-' || s[0] == '+') ? 1 : 0;
        if (k < len && lower((unsigned char)s[k]) >= 'a' && lower((unsigned char)s[k]) <= 'z')
            return parse_special(s + k, len - k, s[0] == '-', out) ? HS_OK : HS_EDATA;
    }
    if (!scan_decimal(s, len, &d, false))
        return HS_EDATA;
    if (d.nsig == 0) {
        *out = d.neg ? -0.0 : 0.0;
        return HS_OK;
    }
    if (d.nsig <= 19 && hs_num_clinger(d.w, d.e10, d.neg, out))
        return HS_OK;

    scan_decimal(s, len, &d, true);
    if (d.neg)
        text[n++] = '-';
    memcpy(text + n, d.digits, d.ndigits);
    n += d.ndigits;
    e = d.dexp;
    if (e > MAX_EXP10)
        e = MAX_EXP10;
    if (e < -MAX_EXP10)
        e = -MAX_EXP10;
    snprintf(text + n, sizeof text - n, "e%lld", e);
    /* Over- and underflow come back as +-HUGE_VAL and +-0 (or the nearest
     * subnormal), the correctly rounded results; errno is not needed. */
    *out = strtod(text, &endp);
    /* The fast path above never rounds a nonzero decimal to 0 or inf; only
     * this one can, and then the text was nonzero (d.nsig > 0). */
    *range = isinf(*out) || *out == 0;
    return HS_OK;
}

int
hs_num_parse(const char *s, size_t len, double *out)
{
    bool range = false;

    return parse(s, len, out, &range);
}

int
hs_num_parse_checked(const char *s, size_t len, double *out)
{
    bool range = false;
    int rc = parse(s, len, out, &range);

    return rc == HS_OK && range ? HS_ERANGE : rc;
}

/* ---- printing ---------------------------------------------------------- */

/* Lay out the digits dig[0..n) (no trailing zeros, dig[0] != '0') of a
 * number dig[0].dig[1..] * 10^e10 as Python's repr does: plain notation for
 * 1e-4 <= |x| < 1e16, else d.ddde+XX. */
static int
layout(bool neg, const char *dig, int n, int e10, char buf[HS_NUM_BUF])
{
    int k = 0;

    if (neg)
        buf[k++] = '-';
    if (e10 >= -4 && e10 < 16) {
        if (e10 < 0) {
            buf[k++] = '0';
            buf[k++] = '.';
            for (int i = 0; i < -e10 - 1; i++)
                buf[k++] = '0';
            memcpy(buf + k, dig, (size_t)n);
            k += n;
        } else if (n <= e10 + 1) {
            memcpy(buf + k, dig, (size_t)n);
            k += n;
            for (int i = n; i < e10 + 1; i++)
                buf[k++] = '0';
        } else {
            memcpy(buf + k, dig, (size_t)e10 + 1);
            k += e10 + 1;
            buf[k++] = '.';
            memcpy(buf + k, dig + e10 + 1, (size_t)(n - e10 - 1));
            k += n - e10 - 1;
        }
    } else {
        buf[k++] = dig[0];
        if (n > 1) {
            buf[k++] = '.';
            memcpy(buf + k, dig + 1, (size_t)n - 1);
            k += n - 1;
        }
        k += snprintf(buf + k, (size_t)(HS_NUM_BUF - k), "e%c%02d", e10 < 0 ? '-' : '+',
                      e10 < 0 ? -e10 : e10);
    }
    buf[k] = '\0';
    return k;
}

static bool
same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Fast search: the smallest k <= 15 such that m = x * 10^k is an integer
 * below 2^50 with m / 10^k == x.  By Clinger that division is exactly what
 * parsing "m e-k" gives, so the digits of m read back to x; and with m below
 * 2^50 the rounding of x * 10^k is too small to make llround miss the
 * shortest m, so the first k found gives the shortest digits.  Positive x. */
static int
format_short(double x, char *dig, int *e10)
{
    if (!HS_NUM_FAST_OK || !(x >= 1e-5 && x < 1e15))
        return 0;
    for (int k = 0; k <= 15; k++) {
        double y = x * hs_num_pow10[k];
        uint64_t m;
        char tmp[24];
        int n = 0, len = 0;

        if (y >= 1125899906842624.0) /* 2^50 */
            return 0;
        m = (uint64_t)(y + 0.5); /* exact: below 2^50, y has at least 3 fraction bits */
        if ((double)m / hs_num_pow10[k] != x)
            continue;
        for (; m; m /= 10)
            tmp[len++] = (char)('0' + m % 10); /* reversed */
        while (n < len - 1 && tmp[n] == '0')
            n++; /* trailing zeros, first in tmp */
        for (int i = 0; i < len - n; i++)
            dig[i] = tmp[len - 1 - i];
        *e10 = len - 1 - k;
        return len - n;
    }
    return 0;
}

/* Digits and exponent from snprintf's %.*e, whatever radix the locale uses:
 * the first digit, then the digits after the radix up to 'e'. */
static int
format_printf(double x, int prec, char *dig, int *e10)
{
    char tmp[64];
    const char *p = tmp;
    int n = 0;

    snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
    dig[n++] = *p++;
    while (*p && *p != 'e' && !hs_num_is_digit(*p))
        p++; /* the radix, one byte or several */
    while (hs_num_is_digit(*p))
        dig[n++] = *p++;
    *e10 = (*p == 'e') ? atoi(p + 1) : 0;
    while (n > 1 && dig[n - 1] == '0')
        n--;
    return n;
}

/* Do prec significant digits of x read back as x? */
static bool
printf_reads_back(double x, int prec, char *dig, int *e10)
{
    char text[64];
    double back;
    int n = format_printf(x, prec, dig, e10);

    snprintf(text, sizeof text, "%.*se%d", n, dig, *e10 - n + 1);
    return hs_num_parse(text, strlen(text), &back) == HS_OK && same_double(back, x);
}

int
hs_num_format(double x, char buf[HS_NUM_BUF])
{
    char dig[40];
    int n, e10 = 0;
    bool neg = signbit(x) != 0;
    double a = fabs(x);

    if (isnan(x) || isinf(x) || a == 0) {
        const char *word = isnan(x)   ? "nan"
                           : isinf(x) ? (neg ? "-inf" : "inf")
                                      : (neg ? "-0" : "0");
        strcpy(buf, word);
        return (int)strlen(word);
    }
    n = format_short(a, dig, &e10);
    if (n == 0 && a < DBL_MIN) {
        /* Subnormals carry fewer than 53 bits, so fewer than 15 digits may
         * do; their doubles are evenly spaced, so if p digits read back so
         * do p + 1, and a binary search finds the least p. */
        int lo = 1, hi = 17;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (printf_reads_back(a, mid, dig, &e10))
                hi = mid;
            else
                lo = mid + 1;
        }
        n = format_printf(a, lo, dig, &e10);
    } else if (n == 0) {
        /* A normal double has 53 bits: when some decimal of at most 15
         * digits reads back, the 15-digit rounding of x is that decimal
         * (its trailing zeros dropped), as x is nearer to it than half a
         * unit of the 15th digit. */
        int prec = 15;
        while (prec < 17 && !printf_reads_back(a, prec, dig, &e10))
            prec++;
        n = format_printf(a, prec, dig, &e10);
    }
    return layout(neg, dig, n, e10, buf);
}

/* numparse_fast.h: the inline fast path of number parsing (internal).
 *
 * Shared by numparse.c and the CSV reader, whose inner loop calls it once
 * per cell: a call through hs_num_parse would cost a scan for the field's
 * end plus a second pass over its digits.  Not part of the engine's API.
 *
 * The fast path is Clinger's: a decimal whose significand w is at most 2^53
 * and whose power of ten p is at most 22 in magnitude is w * 10^p or
 * w / 10^-p, one IEEE operation on two exactly representable doubles, hence
 * correctly rounded.  That needs double arithmetic without excess precision
 * (FLT_EVAL_METHOD 0: SSE2 on x86-64, every 64-bit ARM); elsewhere the fast
 * path is off and everything goes through the exact slow path.
 */
#ifndef HS_NUMPARSE_FAST_H
#define HS_NUMPARSE_FAST_H

#include <float.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
#define HS_NUM_FAST_OK 1
#else
#define HS_NUM_FAST_OK 0
#endif

#define HS_NUM_MAX_EXACT_W (UINT64_C(1) << 53)

static const double hs_num_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static inline bool
hs_num_is_digit(char c)
{
    return (unsigned char)(c - '0') < 10;
}

/* w * 10^e10 (or w / 10^-e10) when that is exact by Clinger's argument;
 * false when the slow path must decide. */
static inline bool
hs_num_clinger(uint64_t w, long long e10, bool neg, double *out)
{
    double v;

    if (!HS_NUM_FAST_OK)
        return false;
    if (w == 0) {
        *out = neg ? -0.0 : 0.0;
        return true;
    }
    if (w > HS_NUM_MAX_EXACT_W)
        return false;
    if (e10 >= 0 && e10 <= 22) {
        v = (double)w * hs_num_pow10[e10];
    } else if (e10 < 0 && e10 >= -22) {
        v = (double)w / hs_num_pow10[-e10];
    } else if (e10 > 22 && e10 <= 22 + 15) {
        /* 12e30 is 12000000 * 1e22: move powers of ten into w while it
         * stays exact. */
        for (long long k = e10 - 22; k > 0; k--) {
            w *= 10;
            if (w > HS_NUM_MAX_EXACT_W)
                return false;
        }
        v = (double)w * 1e22;
    } else {
        return false;
    }
    *out = neg ? -v : v;
    return true;
}

static const uint64_t hs_num_pow10_int[9] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
};

/* The value of the 8 digits in x, one per byte (0..9, the first digit in
 * the lowest byte): Lemire's SWAR reduction, pairs, then quads, then all. */
static inline uint64_t
hs_num_swar8(uint64_t x)
{
    x = (x & UINT64_C(0x0F0F0F0F0F0F0F0F)) * 2561 >> 8;
    x = (x & UINT64_C(0x00FF00FF00FF00FF)) * 6553601 >> 16;
    return (uint32_t)((x & UINT64_C(0x0000FFFF0000FFFF)) * UINT64_C(42949672960001) >> 32);
}

/* Append the run of digits at p to *w; returns the end of the run.  Reads
 * 8 bytes at a time, so up to 8 bytes past the first non-digit must be
 * readable (the CSV reader's buffer has that much padding). */
static inline const char *
hs_num_digits(const char *p, uint64_t *w)
{
    for (;;) {
        uint64_t v, x, m;
        unsigned n;
        memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        v = __builtin_bswap64(v); /* the first character in the lowest byte */
#endif
        x = v ^ UINT64_C(0x3030303030303030); /* digits become 0..9 */
        /* top bit of a byte set when the byte is not 0..9; a carry out of
         * a non-digit byte can only spoil later bytes, which do not count */
        m = ((x + UINT64_C(0x7676767676767676)) | x) & UINT64_C(0x8080808080808080);
        if (m == 0) {
            *w = *w * 100000000u + hs_num_swar8(x);
            p += 8;
            continue;
        }
        n = (unsigned)__builtin_ctzll(m) >> 3;
        if (n)
            *w = *w * hs_num_pow10_int[n] + hs_num_swar8(x << (64 - 8 * n));
        return p + n;
    }
}

/* Scan a plain decimal at p ([+-]digits[.digits][(e|E)[+-]digits]) that is
 * followed by a byte which cannot continue it, with 8 readable bytes after
 * that (the caller guarantees a sentinel and padding).  Returns the end of
 * the number and stores its value when the fast path decides it exactly;
 * NULL otherwise (malformed, too many digits, a big exponent, inf, nan),
 * and the caller then hands the whole field to hs_num_parse.
 */
static inline const char *
hs_num_scan_fast(const char *p, double *out)
{
    uint64_t w = 0;
    const char *d0;
    size_t ndig;
    long long e10 = 0;
    bool neg = false;

    if (*p == '-' || *p == '+') {
        neg = *p == '-';
        p++;
    }
    d0 = p;
    p = hs_num_digits(p, &w);
    ndig = (size_t)(p - d0);
    if (*p == '.') {
        const char *f0 = ++p;
        p = hs_num_digits(p, &w);
        e10 = -(long long)(p - f0);
        ndig += (size_t)(p - f0);
    }
    /* Up to 19 digits cannot overflow w; beyond, w wrapped: slow path. */
    if (ndig == 0 || ndig > 19)
        return NULL;
    if ((*p | 0x20) == 'e') {
        bool eneg = false;
        long long x = 0;
        p++;
        if (*p == '-' || *p == '+') {
            eneg = *p == '-';
            p++;
        }
        if (!hs_num_is_digit(*p))
            return NULL;
        while (hs_num_is_digit(*p)) {
            if (x < 100000)
                x = x * 10 + (*p - '0');
            p++;
        }
        e10 += eneg ? -x : x;
    }
    if (!hs_num_clinger(w, e10, neg, out))
        return NULL;
    return p;
}

#endif

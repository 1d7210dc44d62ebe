/* test_util.h: small helpers the engine's unit tests share: seeded
 * random streams of their own (never the engine's, so that a test does
 * not check the engine against itself), and a progress callback that
 * raises the cancel flag part way through a job. */
#ifndef HS_TEST_UTIL_H
#define HS_TEST_UTIL_H

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64 */
static inline uint64_t
tu_splitmix(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* xorshift64* (the state must not be 0) */
static inline uint64_t
tu_xorshift(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * UINT64_C(2685821657736338717);
}

/* Equal bit for bit (-0.0 is not 0.0, NaN payloads count). */
static inline int
tu_same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* A double in [0, 1) from the top 53 bits. */
static inline double
tu_unit(uint64_t x)
{
    return (double)(x >> 11) * 0x1p-53;
}

/* A standard normal deviate from two uniforms (Box-Muller). */
static inline double
tu_box_muller(double u, double v)
{
    return sqrt(-2 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

/* Raises flag once progress reaches `at`, so that a job must notice the
 * cancel in the middle of its work: {cancel_at_progress, &c, &c.flag}. */
struct tu_cancel_at {
    double at;
    atomic_int flag;
};

static inline void
tu_cancel_at_progress(void *user, double fraction, const char *what)
{
    struct tu_cancel_at *c = user;

    (void)what;
    if (fraction >= c->at)
        atomic_store(&c->flag, 1);
}

/* A little-endian u64 at p, read here (not through src/bytes.c). */
static inline uint64_t
tu_le64(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* Every damage of a stored blob that its reader must refuse, each handed
 * to expect(): NULL, every truncation (in a buffer of exactly that size,
 * so that the sanitizers see any read beyond), every byte changed to each
 * of its other 255 values, and one byte too many. */
static inline void
tu_each_damage(const unsigned char *buf, size_t len,
               void (*expect)(const unsigned char *buf, size_t len))
{
    unsigned char *copy = malloc(len + 1);

    expect(NULL, 0);
    for (size_t n = 0; n < len; n++) {
        unsigned char *t = malloc(n ? n : 1);
        memcpy(t, buf, n);
        expect(t, n);
        free(t);
    }
    for (size_t i = 0; i < len; i++) {
        for (int v = 0; v < 256; v++) {
            if (v == buf[i])
                continue;
            memcpy(copy, buf, len);
            copy[i] = (unsigned char)v;
            expect(copy, len);
        }
    }
    memcpy(copy, buf, len);
    copy[len] = 0;
    expect(copy, len + 1);
    free(copy);
}

#endif

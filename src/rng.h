/* rng.h: the engine's own random numbers, so that a seed gives the same
 * split, search and network on every machine and C library.
 *
 * splitmix64 seeds and mixes; xoshiro256** (Blackman and Vigna) draws.
 * Header-only: the draws sit in inner loops. */
#ifndef HS_RNG_H
#define HS_RNG_H

#include <stdint.h>

#define HS_RNG_GOLDEN UINT64_C(0x9e3779b97f4a7c15)

/* splitmix64's finaliser: a bijection that spreads nearby inputs. */
static inline uint64_t
hs_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* splitmix64: advance the state, return the next value. */
static inline uint64_t
hs_splitmix64(uint64_t *x)
{
    *x += HS_RNG_GOLDEN;
    return hs_mix64(*x);
}

struct hs_rng {
    uint64_t s[4];
};

static inline void
hs_rng_seed(struct hs_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = hs_splitmix64(&seed);
}

static inline uint64_t
hs_rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static inline uint64_t
hs_rng_next(struct hs_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = hs_rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = hs_rng_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, bound), bound > 0, without modulo bias: draws below
 * 2^64 mod bound are rejected so every residue is equally likely. */
static inline uint64_t
hs_rng_below(struct hs_rng *r, uint64_t bound)
{
    uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        uint64_t x = hs_rng_next(r);
        if (x >= threshold)
            return x % bound;
    }
}

/* A double in [0, 1) from the top 53 bits. */
static inline double
hs_rng_unit(struct hs_rng *r)
{
    return (double)(hs_rng_next(r) >> 11) * 0x1p-53;
}

#endif

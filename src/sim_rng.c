/* sim_rng.c: the generator's random stream, xoshiro256+ (Blackman and
 * Vigna, 2018) behind GSL's gsl_rng interface.
 *
 * Why not one of GSL's own: the generator draws some 200 uniform deviates
 * per event, and a call through gsl_rng's function pointer costs more than
 * the deviate.  With this type the generator draws inline (sim_kin.h) while
 * gsl_ran_* still work on the same stream.
 */
#include "config.h"

#include "sim.h"

#include "sim_kin.h"

/* splitmix64 (Vigna): fills the state from one seed, never all zero. */
static uint64_t
splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void
xoshiro_set(void *vstate, unsigned long seed)
{
    struct hs_sim_rng_state *st = vstate;
    uint64_t x = (uint64_t)seed;

    for (int i = 0; i < 4; i++)
        st->s[i] = splitmix64(&x);
}

static unsigned long
xoshiro_get(void *vstate)
{
    /* The high bits of xoshiro256+ are its best. */
    return (unsigned long)(hs_kin_next(vstate) >> 32);
}

static double
xoshiro_get_double(void *vstate)
{
    return (double)(hs_kin_next(vstate) >> 11) * 0x1.0p-53;
}

const gsl_rng_type hs_sim_rng_xoshiro = {
    "hs_xoshiro256+", 0xffffffffUL, 0, sizeof(struct hs_sim_rng_state),
    xoshiro_set,      xoshiro_get,  xoshiro_get_double,
};

const gsl_rng_type *
hs_sim_rng_type(void)
{
    return &hs_sim_rng_xoshiro;
}

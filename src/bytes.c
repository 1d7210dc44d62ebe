/* bytes.c: little-endian integers and doubles, and FNV-1a 64. */
#include "config.h"

#include "bytes.h"

#include <string.h>

uint64_t
hs_bytes_fnv1a64(const unsigned char *p, size_t n)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);

    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

/* n bytes of v, least significant first, and back. */
static unsigned char *
put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        *p++ = (unsigned char)(v >> (8 * i));
    return p;
}

static uint64_t
get_le(const unsigned char *p, int n)
{
    uint64_t v = 0;

    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

unsigned char *
hs_bytes_put_u32(unsigned char *p, uint32_t v)
{
    return put_le(p, v, 4);
}

unsigned char *
hs_bytes_put_u64(unsigned char *p, uint64_t v)
{
    return put_le(p, v, 8);
}

/* A double's bits as an integer, so that the bytes go out in a fixed
 * order whatever the host's. */
unsigned char *
hs_bytes_put_f64(unsigned char *p, double d)
{
    uint64_t v;

    memcpy(&v, &d, sizeof v);
    return put_le(p, v, 8);
}

uint32_t
hs_bytes_get_u32(const unsigned char *p)
{
    return (uint32_t)get_le(p, 4);
}

uint64_t
hs_bytes_get_u64(const unsigned char *p)
{
    return get_le(p, 8);
}

double
hs_bytes_get_f64(const unsigned char *p)
{
    uint64_t v = get_le(p, 8);
    double d;

    memcpy(&d, &v, sizeof d);
    return d;
}

unsigned char *
hs_bytes_put_f64s(unsigned char *p, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p = hs_bytes_put_f64(p, v[i]);
    return p;
}

const unsigned char *
hs_bytes_get_f64s(const unsigned char *p, double *v, size_t n)
{
    for (size_t i = 0; i < n; i++, p += 8)
        v[i] = hs_bytes_get_f64(p);
    return p;
}

#include "config.h"

#include "nameidx.h"

#include <stdint.h>
#include <string.h>

#include "err.h"
#include "mem.h"

void
hs_nameidx_init(struct hs_nameidx *x)
{
    memset(x, 0, sizeof *x);
}

void
hs_nameidx_release(struct hs_nameidx *x)
{
    if (!x)
        return;
    hs_free(x->keys);
    hs_free(x->lens);
    hs_free(x->vals);
    memset(x, 0, sizeof *x);
}

/* FNV-1a: short keys, no adversary; the table is kept under half full. */
static size_t
hash(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037u;

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return (size_t)(h ^ (h >> 29));
}

/* The slot of name[0..len), or of the empty slot where it would go. */
static size_t
probe(const struct hs_nameidx *x, const char *name, size_t len)
{
    size_t mask = x->cap - 1, i = hash(name, len) & mask;

    while (x->keys[i] && !(x->lens[i] == len && memcmp(x->keys[i], name, len) == 0))
        i = (i + 1) & mask;
    return i;
}

static int
grow(struct hs_nameidx *x)
{
    struct hs_nameidx y = {0};

    y.cap = x->cap ? 2 * x->cap : 64;
    y.keys = hs_calloc(y.cap, sizeof *y.keys);
    y.lens = hs_calloc(y.cap, sizeof *y.lens);
    y.vals = hs_calloc(y.cap, sizeof *y.vals);
    if (!y.keys || !y.lens || !y.vals) {
        hs_nameidx_release(&y);
        return HS_ENOMEM;
    }
    for (size_t i = 0; i < x->cap; i++) {
        size_t j;
        if (!x->keys[i])
            continue;
        j = probe(&y, x->keys[i], x->lens[i]);
        y.keys[j] = x->keys[i];
        y.lens[j] = x->lens[i];
        y.vals[j] = x->vals[i];
    }
    y.n = x->n;
    hs_nameidx_release(x);
    *x = y;
    return HS_OK;
}

int
hs_nameidx_put(struct hs_nameidx *x, const char *name, long val)
{
    size_t len = strlen(name), i;

    if (2 * (x->n + 1) > x->cap && grow(x))
        return HS_ENOMEM;
    i = probe(x, name, len);
    if (x->keys[i])
        return HS_OK;
    x->keys[i] = name;
    x->lens[i] = len;
    x->vals[i] = val;
    x->n++;
    return HS_OK;
}

void
hs_nameidx_set(struct hs_nameidx *x, const char *name, long val)
{
    size_t i;

    if (!x->cap)
        return;
    i = probe(x, name, strlen(name));
    if (x->keys[i])
        x->vals[i] = val;
}

long
hs_nameidx_get(const struct hs_nameidx *x, const char *name, size_t len)
{
    size_t i;

    if (!x->cap)
        return -1;
    i = probe(x, name, len);
    return x->keys[i] ? x->vals[i] : -1;
}

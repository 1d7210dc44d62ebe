#include "config.h"

#include "mem.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "err.h"

/* The fault-injection countdown is the only process-wide state of the
 * engine; it exists for tests (as SQLite's sqlite3FaultSim does). */
static atomic_long fail_countdown = -1;

static int
should_fail(void)
{
    long left = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
    if (left < 0)
        return 0;
    if (left == 0)
        return 1;
    atomic_fetch_sub_explicit(&fail_countdown, 1, memory_order_relaxed);
    return 0;
}

void
hs_mem_fail_after(long n)
{
    atomic_store(&fail_countdown, n);
}

void *
hs_malloc(size_t n)
{
    return should_fail() ? NULL : malloc(n ? n : 1);
}

void *
hs_malloc_aligned(size_t align, size_t n)
{
    void *p = NULL;

    if (should_fail() || posix_memalign(&p, align, n ? n : 1) != 0)
        return NULL;
    return p;
}

void *
hs_malloc_large(size_t n)
{
    const size_t huge = (size_t)2 << 20; /* x86-64 and arm64 with 4 KB pages */
    size_t whole;
    void *p;

    if (n < huge)
        return hs_malloc(n);
    if (n > SIZE_MAX - huge)
        return NULL;
    /* Rounded up to whole huge pages when that adds at most an eighth
     * (a huge page is memory as soon as it is touched); else the tail
     * stays in small pages. */
    whole = (n + huge - 1) / huge * huge;
    if ((whole - n) <= n / 8)
        n = whole;
    if (!(p = hs_malloc_aligned(huge, n)))
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, n / huge * huge, MADV_HUGEPAGE); /* a hint: nothing happens where unsupported */
#endif
    return p;
}

void *
hs_calloc(size_t count, size_t size)
{
    return should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);
}

void *
hs_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : realloc(p, n ? n : 1);
}

int
hs_grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t ncap;
    void *np;

    if (need <= *cap)
        return HS_OK;
    ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return HS_ENOMEM;
        ncap *= 2;
    }
    np = hs_realloc(*p, ncap * size);
    if (!np)
        return HS_ENOMEM;
    *p = np;
    *cap = ncap;
    return HS_OK;
}

char *
hs_strndup(const char *s, size_t n)
{
    char *d = hs_malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *
hs_strdup(const char *s)
{
    return s ? hs_strndup(s, strlen(s)) : NULL;
}

void
hs_free(void *p)
{
    free(p);
}

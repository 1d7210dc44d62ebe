/* test_sess_oom.h: allocation failures on demand for the session tests,
 * SQLite's (through an allocator installed before SQLite starts) and
 * hepscope's (hs_mem_fail_after).  Call tu_oom_install() first in main. */
#ifndef HS_TEST_SESS_OOM_H
#define HS_TEST_SESS_OOM_H

#include <sqlite3.h>
#include <stdatomic.h>

#include "mem.h"

static sqlite3_mem_methods tu_real_mem;
static atomic_long tu_sqlite_fail_countdown = -1;

static inline int
tu_sqlite_should_fail(void)
{
    long left = atomic_load(&tu_sqlite_fail_countdown);
    if (left < 0)
        return 0;
    if (left == 0)
        return 1;
    atomic_fetch_sub(&tu_sqlite_fail_countdown, 1);
    return 0;
}

static inline void *
tu_failing_malloc(int n)
{
    return tu_sqlite_should_fail() ? NULL : tu_real_mem.xMalloc(n);
}

static inline void *
tu_failing_realloc(void *p, int n)
{
    return tu_sqlite_should_fail() ? NULL : tu_real_mem.xRealloc(p, n);
}

/* Install the failing allocator (before any other SQLite call): 0, or -1. */
static inline int
tu_oom_install(void)
{
    sqlite3_mem_methods failing;

    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &tu_real_mem) != SQLITE_OK)
        return -1;
    failing = tu_real_mem;
    failing.xMalloc = tu_failing_malloc;
    failing.xRealloc = tu_failing_realloc;
    return sqlite3_config(SQLITE_CONFIG_MALLOC, &failing) == SQLITE_OK ? 0 : -1;
}

/* Fail the n-th allocation from now, and all after, of SQLite (which 0)
 * or of hepscope (1); n = -1 stops. */
static inline void
tu_fail_after(int which, long n)
{
    if (which == 0)
        atomic_store(&tu_sqlite_fail_countdown, n);
    else
        hs_mem_fail_after(n);
}

static inline void
tu_fail_none(void)
{
    atomic_store(&tu_sqlite_fail_countdown, -1);
    hs_mem_fail_after(-1);
}

#endif

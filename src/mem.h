/* mem.h: the engine's allocator.
 *
 * Engine memory goes through these so that tests can make the n-th
 * allocation fail (hs_mem_fail_after) and check that every caller fails
 * cleanly with HS_ENOMEM.  hs_free(NULL) does nothing.
 */
#ifndef HS_MEM_H
#define HS_MEM_H

#include <stddef.h>

void *hs_malloc(size_t n);
/* n bytes at a multiple of align (a power of two, a multiple of
 * sizeof(void *)), freed by hs_free like any other. */
void *hs_malloc_aligned(size_t align, size_t n);
/* n bytes for a large array written once from start to end (a column of
 * a million events): faulting such an array in 4 KB at a time costs more
 * than writing it, so a large one is aligned to transparent huge pages,
 * rounded up to whole ones when that adds at most an eighth, and advised
 * as such (a hint).  hs_free frees. */
void *hs_malloc_large(size_t n);
void *hs_calloc(size_t count, size_t size);
void *hs_realloc(void *p, size_t n);
/* Grow *p (holding *cap elements of size) to at least need elements. */
int hs_grow(void **p, size_t *cap, size_t need, size_t size);
char *hs_strdup(const char *s);
char *hs_strndup(const char *s, size_t n);
void hs_free(void *p);

/* Tests only: let n more allocations succeed, then fail every one; a
 * negative n turns the failures off. */
void hs_mem_fail_after(long n);

#endif

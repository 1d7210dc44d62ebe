/* nameidx.h: a hash index of names (columns, features) to numbers, so
 * that finding a name among tens of thousands is one probe rather than a
 * scan, and loading a long list of names is linear overall.
 *
 * The index borrows its keys: each name must stay valid and unchanged
 * while it is in the index.  An empty index (zeroed or after
 * hs_nameidx_init) needs no memory; hs_nameidx_release(NULL) does
 * nothing. */
#ifndef HS_NAMEIDX_H
#define HS_NAMEIDX_H

#include <stddef.h>

struct hs_nameidx {
    size_t n, cap;          /* names held; slots (0 or a power of two) */
    const char **keys;      /* NULL for an empty slot */
    size_t *lens;
    long *vals;
};

void hs_nameidx_init(struct hs_nameidx *x);
void hs_nameidx_release(struct hs_nameidx *x);

/* Map name to val (val >= 0).  A name already there keeps its first
 * value, as a linear scan would find the first: returns HS_OK either way;
 * HS_ENOMEM leaves the index as it was. */
int hs_nameidx_put(struct hs_nameidx *x, const char *name, long val);
/* Give a name already there a new value; nothing when it is absent. */
void hs_nameidx_set(struct hs_nameidx *x, const char *name, long val);
/* The value of name[0..len), or -1 when absent. */
long hs_nameidx_get(const struct hs_nameidx *x, const char *name, size_t len);

#endif

/* names.h: helpers for the names users type (columns, features, functions). */
#ifndef HS_NAMES_H
#define HS_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* The optimal string alignment distance (Levenshtein plus swaps of two
 * neighbours), ignoring case; (size_t)-1 for a name over 64 bytes. */
size_t hs_name_distance(const char *a, size_t alen, const char *b, size_t blen);

/* The candidate closest to name[0..len), when close enough to be a likely
 * typo (at most one edit per three characters typed, and at least one);
 * among equally close ones, the one sharing the longest start with what
 * was typed ("mas": "mass", not "max").  NULL otherwise.  Borrowed from
 * cands. */
const char *hs_closest_name_n(const char *name, size_t len, const char *const *cands, size_t n);
/* The same for a NUL-terminated name. */
const char *hs_closest_name(const char *name, const char *const *cands, size_t n);

/* Is name an identifier of the expression language (letters, digits and
 * '_', not starting with a digit)? */
bool hs_name_is_identifier(const char *name);

#endif
